//! `api_tokens`: bearer tokens for the API, by their hash.
//!
//! Invariants: only the token's hash is stored (unique); a token is live
//! while it has no `revoked_at` and its `expires_at_ms` (if any) is in the
//! future, and only for an enabled user. Revoked tokens are kept for the
//! listing. Creating and revoking are audited on the user.

use crate::audit::audit;
use crate::{now_ms, now_text, ApiTokenId, Db, Result, StoreError, User, UserId};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// An API token's metadata (the token itself is never stored).
#[derive(Clone, Debug, Serialize)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub name: String,
    pub created_at: String,
    /// Milliseconds since the epoch; `None` for tokens made before expiry existed.
    pub expires_at_ms: Option<i64>,
    pub revoked_at: Option<String>,
}

/// Which token to revoke.
#[derive(Clone, Copy, Debug)]
pub enum TokenRef<'a> {
    Id(ApiTokenId),
    Hash(&'a str),
}

impl Db {
    pub async fn create_api_token(
        &self,
        token_hash: &str,
        user_id: UserId,
        name: &str,
        expires_at_ms: i64,
    ) -> Result<ApiTokenId> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(token_hash)
            .bind(user_id)
            .bind(name)
            .bind(now_text())
            .bind(expires_at_ms)
            .fetch_one(&mut *tx)
            .await?;
        let id: ApiTokenId = row.try_get("id")?;
        audit(
            &mut tx,
            Some(user_id),
            "token.create",
            "user",
            &user_id.to_string(),
            None,
            Some(&json!({"token_id": id, "name": name})),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A user's API tokens, newest first (never the tokens themselves).
    pub async fn api_tokens(&self, user_id: UserId) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query("SELECT id, name, created_at, expires_at_ms, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiToken {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    created_at: r.try_get("created_at")?,
                    expires_at_ms: r.try_get("expires_at_ms")?,
                    revoked_at: r.try_get("revoked_at")?,
                })
            })
            .collect()
    }

    /// Revokes one of `user_id`'s live tokens, by id or by its hash.
    /// `NotFound` when there is no such live token of the user.
    pub async fn revoke_api_token(
        &self,
        user_id: UserId,
        which: TokenRef<'_>,
        by: UserId,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let (column, key) = match which {
            TokenRef::Id(id) => ("id", id.to_string()),
            TokenRef::Hash(h) => ("token_hash", h.to_string()),
        };
        let sql = format!("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND {column} = $3 AND revoked_at IS NULL");
        let q = sqlx::query(&sql).bind(now_text()).bind(user_id);
        let revoked = match which {
            TokenRef::Id(id) => q.bind(id),
            TokenRef::Hash(h) => q.bind(h.to_string()),
        }
        .execute(&mut *tx)
        .await?;
        if revoked.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let detail = match which {
            TokenRef::Id(_) => json!({"token_id": key}),
            TokenRef::Hash(_) => json!({"token": "revoked on sign-out"}),
        };
        audit(
            &mut tx,
            Some(by),
            "token.revoke",
            "user",
            &user_id.to_string(),
            None,
            Some(&detail),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at_ms IS NULL OR expires_at_ms > $2)",
        )
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(self
                .user_by_id(r.try_get::<UserId, _>("user_id")?)
                .await?
                .filter(|u| !u.disabled)),
            None => Ok(None),
        }
    }
}
