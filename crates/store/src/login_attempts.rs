//! `login_attempts`: recent sign-in attempts, for rate limits.
//!
//! Invariants: `success` is a 0/1 flag (a CHECK since version 7); an
//! attempt is recorded as failed until it is known to have succeeded, so a
//! crash mid-login counts against the limit; attempts older than a day are
//! purged as new ones begin. Not audited: the audit log is for changes.

use crate::{now_ms, Db, LoginAttemptId, Result};
use sqlx::Row;

impl Db {
    pub async fn record_login_attempt(
        &self,
        username: &str,
        client: &str,
        success: bool,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO login_attempts (username, client, at_ms, success) VALUES ($1, $2, $3, $4)",
        )
        .bind(username)
        .bind(client)
        .bind(now_ms())
        .bind(i64::from(success))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a login attempt as failed until [`Db::finish_login_attempt`]
    /// marks it successful; returns its id. Attempts older than a day are purged.
    pub async fn begin_login_attempt(
        &self,
        username: &str,
        client: &str,
    ) -> Result<LoginAttemptId> {
        let now = now_ms();
        sqlx::query("DELETE FROM login_attempts WHERE at_ms < $1")
            .bind(now - 24 * 60 * 60 * 1000)
            .execute(&self.pool)
            .await?;
        let row = sqlx::query(
            "INSERT INTO login_attempts (username, client, at_ms, success) VALUES ($1, $2, $3, 0) RETURNING id",
        )
        .bind(username)
        .bind(client)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Marks a login attempt successful.
    pub async fn finish_login_attempt(&self, id: LoginAttemptId) -> Result<()> {
        sqlx::query("UPDATE login_attempts SET success = 1 WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Failed logins since `since_ms`, for this username or from this client.
    pub async fn recent_login_failures(
        &self,
        username: &str,
        client: &str,
        since_ms: i64,
    ) -> Result<(i64, i64)> {
        let by_user = sqlx::query("SELECT COUNT(*) AS n FROM login_attempts WHERE username = $1 AND success = 0 AND at_ms >= $2")
            .bind(username)
            .bind(since_ms)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let by_client = sqlx::query("SELECT COUNT(*) AS n FROM login_attempts WHERE client = $1 AND success = 0 AND at_ms >= $2")
            .bind(client)
            .bind(since_ms)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        Ok((by_user, by_client))
    }
}
