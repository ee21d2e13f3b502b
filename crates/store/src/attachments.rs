//! `attachments`: files attached to a case (work rules, receipts, invoices).
//!
//! Invariants: `kind` is one of [`AttachmentKind`] (`work_rules`, `receipt`,
//! `invoice`, `other`; a CHECK since version 7); the data is
//! stored whole with its size and SHA-256; attachments are never changed,
//! each upload is audited on its case in the same transaction, and so is a
//! removal ([`Db::delete_attachment`]; the application allows it only before
//! the application that rests on the file is filed). `expense_ref` (since
//! version 9) names the expense item (`expenses[].id` of the case document) a
//! receipt or invoice belongs to.

use crate::audit::audit;
use crate::{now_text, AttachmentId, CaseId, Db, Result, StoreError, UserId};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

string_enum! {
    /// What an attachment is (`attachments.kind`).
    "attachment kind",
    AttachmentKind {
        WorkRules = "work_rules",
        Receipt = "receipt",
        Invoice = "invoice",
        Other = "other",
        // Since version 10: the documents a filing needs (area C's checklist).
        WorkRulesNotice = "work_rules_notice",
        Roster = "roster",
        Attendance = "attendance",
        WageLedger = "wage_ledger",
        Climate = "climate",
        Training = "training",
    }
}

impl AttachmentKind {
    /// The Japanese name, for pages.
    pub fn label_ja(self) -> &'static str {
        match self {
            AttachmentKind::WorkRules => "就業規則等",
            AttachmentKind::Receipt => "領収書",
            AttachmentKind::Invoice => "請求書・納品書",
            AttachmentKind::Other => "その他",
            AttachmentKind::WorkRulesNotice => "就業規則の届出・労働者代表の意見書",
            AttachmentKind::Roster => "労働者名簿",
            AttachmentKind::Attendance => "出勤簿・テレワーク実施記録",
            AttachmentKind::WageLedger => "賃金台帳",
            AttachmentKind::Climate => "職場風土作りの記録",
            AttachmentKind::Training => "研修・コンサルティングの記録",
        }
    }
}

/// An attachment's metadata.
#[derive(Clone, Debug, Serialize)]
pub struct Attachment {
    pub id: AttachmentId,
    pub case_id: CaseId,
    pub kind: AttachmentKind,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: UserId,
    pub uploaded_at: String,
    /// The expense item this file belongs to (`expenses[].id`), if any.
    pub expense_ref: Option<String>,
}

impl Db {
    #[allow(clippy::too_many_arguments)]
    pub async fn add_attachment(
        &self,
        case_id: CaseId,
        kind: AttachmentKind,
        filename: &str,
        content_type: &str,
        sha256: &str,
        data: &[u8],
        by: UserId,
    ) -> Result<Attachment> {
        self.add_attachment_for(
            case_id,
            kind,
            filename,
            content_type,
            sha256,
            data,
            by,
            None,
        )
        .await
    }

    /// [`Db::add_attachment`], belonging to the expense item `expense_ref`.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_attachment_for(
        &self,
        case_id: CaseId,
        kind: AttachmentKind,
        filename: &str,
        content_type: &str,
        sha256: &str,
        data: &[u8],
        by: UserId,
        expense_ref: Option<&str>,
    ) -> Result<Attachment> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO attachments (case_id, kind, filename, content_type, size_bytes, sha256, data, uploaded_by, uploaded_at, expense_ref) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
            .bind(case_id).bind(kind.as_str()).bind(filename).bind(content_type).bind(data.len() as i64).bind(sha256).bind(data.to_vec()).bind(by).bind(now_text()).bind(expense_ref)
            .fetch_one(&mut *tx).await?;
        let id: AttachmentId = row.try_get("id")?;
        audit(&mut tx, Some(by), "attachment.add", "case", &case_id.to_string(), None, Some(&json!({"attachment_id": id, "kind": kind.as_str(), "filename": filename, "content_type": content_type, "size_bytes": data.len(), "sha256": sha256, "expense_ref": expense_ref}))).await?;
        tx.commit().await?;
        self.attachments(case_id)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(StoreError::NotFound)
    }

    pub async fn attachments(&self, case_id: CaseId) -> Result<Vec<Attachment>> {
        let rows = sqlx::query("SELECT id, case_id, kind, filename, content_type, size_bytes, sha256, uploaded_by, uploaded_at, expense_ref FROM attachments WHERE case_id = $1 ORDER BY id").bind(case_id).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(Attachment {
                    id: r.try_get("id")?,
                    case_id: r.try_get("case_id")?,
                    kind: AttachmentKind::from_column(&r.try_get::<String, _>("kind")?)?,
                    filename: r.try_get("filename")?,
                    content_type: r.try_get("content_type")?,
                    size_bytes: r.try_get("size_bytes")?,
                    sha256: r.try_get("sha256")?,
                    uploaded_by: r.try_get("uploaded_by")?,
                    uploaded_at: r.try_get("uploaded_at")?,
                    expense_ref: r.try_get("expense_ref")?,
                })
            })
            .collect()
    }

    pub async fn attachment_data(
        &self,
        case_id: CaseId,
        id: AttachmentId,
    ) -> Result<(Attachment, Vec<u8>)> {
        let meta = self
            .attachments(case_id)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(StoreError::NotFound)?;
        let row = sqlx::query("SELECT data FROM attachments WHERE id = $1 AND case_id = $2")
            .bind(id)
            .bind(case_id)
            .fetch_one(&self.pool)
            .await?;
        Ok((meta, row.try_get("data")?))
    }

    /// Removes attachment `id` of case `case_id`, audited on the case with
    /// what it was (name, kind, size, SHA-256, expense item) in the same
    /// transaction. Whether it may go is the application's decision.
    pub async fn delete_attachment(
        &self,
        case_id: CaseId,
        id: AttachmentId,
        by: UserId,
    ) -> Result<Attachment> {
        let meta = self
            .attachments(case_id)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(StoreError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        let gone = sqlx::query("DELETE FROM attachments WHERE id = $1 AND case_id = $2")
            .bind(id)
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        if gone.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit(&mut tx, Some(by), "attachment.delete", "case", &case_id.to_string(), Some(&json!({"attachment_id": id, "kind": meta.kind.as_str(), "filename": meta.filename, "content_type": meta.content_type, "size_bytes": meta.size_bytes, "sha256": meta.sha256, "expense_ref": meta.expense_ref})), None).await?;
        tx.commit().await?;
        Ok(meta)
    }
}
