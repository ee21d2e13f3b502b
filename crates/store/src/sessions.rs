//! `sessions`: signed-in browsers, by the hash of their cookie token.
//!
//! Invariants: only the token's hash is stored; a session past
//! `expires_at_ms` is removed when it is next read; a disabled user's
//! sessions are never honoured (and are deleted when the account is
//! disabled or its password changed, see `users`).

use crate::{now_ms, now_text, Db, Result, User, UserId};
use sqlx::Row;

impl Db {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: UserId,
        csrf_token: &str,
        expires_at_ms: i64,
    ) -> Result<()> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at_ms) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(user_id)
            .bind(csrf_token)
            .bind(now_text())
            .bind(expires_at_ms)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The live session's user and CSRF token (expired sessions are removed).
    pub async fn session(&self, token_hash: &str) -> Result<Option<(User, String)>> {
        let row = sqlx::query(
            "SELECT user_id, csrf_token, expires_at_ms FROM sessions WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires: i64 = row.try_get("expires_at_ms")?;
        if expires < now_ms() {
            self.delete_session(token_hash).await?;
            return Ok(None);
        }
        let user = self
            .user_by_id(row.try_get::<UserId, _>("user_id")?)
            .await?;
        Ok(user
            .filter(|u| !u.disabled)
            .map(|u| (u, row.try_get("csrf_token").unwrap_or_default())))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
