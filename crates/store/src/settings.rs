//! `settings`: instance-wide key/value settings.
//!
//! Invariants: one row per key (absent: unset); every change is audited in
//! the same transaction.

use crate::audit::audit;
use crate::{Db, Result, UserId};
use serde_json::json;
use sqlx::Row;

impl Db {
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("value")).transpose()?)
    }

    pub async fn set_setting(&self, key: &str, value: Option<&str>, by: UserId) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM settings WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
        if let Some(v) = value {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
                .bind(key)
                .bind(v)
                .execute(&mut *tx)
                .await?;
        }
        audit(
            &mut tx,
            Some(by),
            "setting.set",
            "setting",
            key,
            None,
            value.map(|v| json!(v)).as_ref(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
