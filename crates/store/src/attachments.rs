//! `attachments`: files attached to a case (work rules, receipts, invoices).
//!
//! Invariants: `kind` is one of [`AttachmentKind`] (`work_rules`, `receipt`,
//! `invoice`, `other`; a CHECK since version 7); the data is
//! stored whole with its size and SHA-256; attachments are never changed
//! or deleted, and each upload is audited on its case in the same
//! transaction.

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
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO attachments (case_id, kind, filename, content_type, size_bytes, sha256, data, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
            .bind(case_id).bind(kind.as_str()).bind(filename).bind(content_type).bind(data.len() as i64).bind(sha256).bind(data.to_vec()).bind(by).bind(now_text())
            .fetch_one(&mut *tx).await?;
        let id: AttachmentId = row.try_get("id")?;
        audit(&mut tx, Some(by), "attachment.add", "case", &case_id.to_string(), None, Some(&json!({"attachment_id": id, "kind": kind.as_str(), "filename": filename, "content_type": content_type, "size_bytes": data.len(), "sha256": sha256}))).await?;
        tx.commit().await?;
        self.attachments(case_id)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(StoreError::NotFound)
    }

    pub async fn attachments(&self, case_id: CaseId) -> Result<Vec<Attachment>> {
        let rows = sqlx::query("SELECT id, case_id, kind, filename, content_type, size_bytes, sha256, uploaded_by, uploaded_at FROM attachments WHERE case_id = $1 ORDER BY id").bind(case_id).fetch_all(&self.pool).await?;
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
}
