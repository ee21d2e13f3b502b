//! `password_resets`: one-time links that let a user set a new password,
//! sent by e-mail (`mail_outbox`, kind `password_reset`).
//!
//! Invariants: only the SHA-256 of a link's token is stored; a reset is
//! spent once (`used_at`), and only before `expires_at_ms`; issuing a new
//! reset for a user spends the ones before it; setting the password through
//! a reset ends every session of the user. The outbox holds the link only
//! until the mail is sent or the reset spent (its `link_path` is then
//! cleared). Issuing and spending are audited on the user in the same
//! transaction (`user.password_reset`, `user.password_reset_used`).

use crate::audit::audit;
use crate::mail_outbox::insert_mail;
use crate::notifications::{NewMail, NotificationKind};
use crate::{now_ms, now_text, Db, Result, StoreError, UserId};
use serde_json::json;
use sqlx::Row;

/// A stored reset, found by its token's hash.
#[derive(Clone, Debug)]
pub struct PasswordReset {
    pub id: i64,
    pub user_id: UserId,
    pub expires_at_ms: i64,
    pub used: bool,
}

/// Why a reset could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetRefused {
    /// No reset has this token.
    Unknown,
    /// It was used already (or replaced by a newer one).
    Spent,
    /// Its 24 hours are over.
    Expired,
}

fn outbox_key(id: i64) -> String {
    format!("password_reset:{id}")
}

impl Db {
    /// Stores a reset of `user_id` (its token's hash, valid until
    /// `expires_at_ms`) and queues `mail` with it, spending the user's earlier
    /// resets; audited as `user.password_reset` by `by`.
    pub async fn create_password_reset(
        &self,
        user_id: UserId,
        token_hash: &str,
        expires_at_ms: i64,
        mail: &NewMail,
        by: Option<UserId>,
    ) -> Result<()> {
        let now = now_text();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
        )
        .bind(&now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query("INSERT INTO password_resets (user_id, token_hash, created_by, created_at, expires_at_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(user_id)
            .bind(token_hash)
            .bind(by)
            .bind(&now)
            .bind(expires_at_ms)
            .fetch_one(&mut *tx)
            .await?;
        let id: i64 = row.try_get("id")?;
        insert_mail(
            &mut tx,
            mail,
            NotificationKind::PasswordReset,
            &outbox_key(id),
            &now,
        )
        .await?;
        audit(
            &mut tx,
            by,
            "user.password_reset",
            "user",
            &user_id.to_string(),
            None,
            Some(&json!({"to": mail.to, "expires_at_ms": expires_at_ms})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The reset whose token hashes to `token_hash`, if any.
    pub async fn password_reset(&self, token_hash: &str) -> Result<Option<PasswordReset>> {
        let row = sqlx::query(
            "SELECT id, user_id, expires_at_ms, used_at FROM password_resets WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(PasswordReset {
                id: r.try_get("id")?,
                user_id: r.try_get("user_id")?,
                expires_at_ms: r.try_get("expires_at_ms")?,
                used: r.try_get::<Option<String>, _>("used_at")?.is_some(),
            })
        })
        .transpose()
    }

    /// Whether the reset of `token_hash` may be used now.
    pub async fn check_password_reset(
        &self,
        token_hash: &str,
    ) -> Result<std::result::Result<PasswordReset, ResetRefused>> {
        Ok(match self.password_reset(token_hash).await? {
            None => Err(ResetRefused::Unknown),
            Some(r) if r.used => Err(ResetRefused::Spent),
            Some(r) if r.expires_at_ms < now_ms() => Err(ResetRefused::Expired),
            Some(r) => Ok(r),
        })
    }

    /// Spends the reset of `token_hash` and sets its user's password hash,
    /// ending every session of theirs; all in one transaction, so that two
    /// uses of one link never both succeed.
    pub async fn use_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
    ) -> Result<std::result::Result<UserId, ResetRefused>> {
        let reset = match self.check_password_reset(token_hash).await? {
            Ok(r) => r,
            Err(why) => return Ok(Err(why)),
        };
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE password_resets SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND expires_at_ms >= $3")
            .bind(now_text())
            .bind(reset.id)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(Err(ResetRefused::Spent));
        }
        let user = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(reset.user_id)
            .execute(&mut *tx)
            .await?;
        if user.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(reset.user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE mail_outbox SET link_path = NULL WHERE dedupe_key = $1")
            .bind(outbox_key(reset.id))
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(reset.user_id),
            "user.password_reset_used",
            "user",
            &reset.user_id.to_string(),
            None,
            Some(&json!({"password": "changed"})),
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(reset.user_id))
    }
}
