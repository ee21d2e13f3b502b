//! `audit_log`: who changed what, when, with the values before and after.
//!
//! Invariants: append-only. The database itself refuses UPDATE and DELETE
//! (and, on PostgreSQL, TRUNCATE) with triggers (migration 2); every write
//! of the store adds its entry in the write's own transaction through
//! [`audit`]; `entity` is one of `user`, `organization`, `case`, `setting`
//! (a CHECK since version 7).

use crate::{now_text, AuditEntryId, Db, Result, UserId};
use serde::Serialize;
use serde_json::Value;
use sqlx::{Any, Row, Transaction};

/// One entry of the audit log.
#[derive(Clone, Debug, Serialize)]
pub struct AuditEntry {
    pub id: AuditEntryId,
    pub at: String,
    pub user_id: Option<UserId>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Adds an entry to the audit log inside the write's transaction `tx`.
/// `entity` is one of `user`, `organization`, `case`, `setting`.
pub(crate) async fn audit(
    tx: &mut Transaction<'_, Any>,
    user: Option<UserId>,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (at, user_id, action, entity, entity_id, before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(now_text())
        .bind(user)
        .bind(action)
        .bind(entity)
        .bind(entity_id)
        .bind(before.map(|v| v.to_string()))
        .bind(after.map(|v| v.to_string()))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Db {
    /// The entries about one entity, oldest first.
    pub async fn audit_log(&self, entity: &str, entity_id: &str) -> Result<Vec<AuditEntry>> {
        let rows =
            sqlx::query("SELECT * FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id")
                .bind(entity)
                .bind(entity_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                let parse = |k: &str| -> Result<Option<Value>> {
                    Ok(r.try_get::<Option<String>, _>(k)?
                        .and_then(|s| serde_json::from_str(&s).ok()))
                };
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    user_id: r.try_get("user_id")?,
                    action: r.try_get("action")?,
                    entity: r.try_get("entity")?,
                    entity_id: r.try_get("entity_id")?,
                    before: parse("before_json")?,
                    after: parse("after_json")?,
                })
            })
            .collect()
    }
}
