//! `attachments`: files attached to a case (work rules, receipts, invoices).
//!
//! Invariants: `kind` is one of `work_rules`, `receipt`, `invoice`, `other`
//! (a CHECK since version 7; the server refuses others first); the data is
//! stored whole with its size and SHA-256; attachments are never changed
//! or deleted, and each upload is audited on its case in the same
//! transaction.

use crate::audit::audit;
use crate::{now_text, Db, Result, StoreError};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// An attachment's metadata.
#[derive(Clone, Debug, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: i64,
    pub uploaded_at: String,
}

impl Db {
    #[allow(clippy::too_many_arguments)]
    pub async fn add_attachment(
        &self,
        case_id: i64,
        kind: &str,
        filename: &str,
        content_type: &str,
        sha256: &str,
        data: &[u8],
        by: i64,
    ) -> Result<Attachment> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO attachments (case_id, kind, filename, content_type, size_bytes, sha256, data, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
            .bind(case_id).bind(kind).bind(filename).bind(content_type).bind(data.len() as i64).bind(sha256).bind(data.to_vec()).bind(by).bind(now_text())
            .fetch_one(&mut *tx).await?;
        let id: i64 = row.try_get("id")?;
        audit(&mut tx, Some(by), "attachment.add", "case", &case_id.to_string(), None, Some(&json!({"attachment_id": id, "kind": kind, "filename": filename, "content_type": content_type, "size_bytes": data.len(), "sha256": sha256}))).await?;
        tx.commit().await?;
        self.attachments(case_id)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(StoreError::NotFound)
    }

    pub async fn attachments(&self, case_id: i64) -> Result<Vec<Attachment>> {
        let rows = sqlx::query("SELECT id, case_id, kind, filename, content_type, size_bytes, sha256, uploaded_by, uploaded_at FROM attachments WHERE case_id = $1 ORDER BY id").bind(case_id).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(Attachment {
                    id: r.try_get("id")?,
                    case_id: r.try_get("case_id")?,
                    kind: r.try_get("kind")?,
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

    pub async fn attachment_data(&self, case_id: i64, id: i64) -> Result<(Attachment, Vec<u8>)> {
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
