//! `mail_outbox`: the e-mails to send, written with their notification
//! ([`crate::notifications`]) and sent by `josei serve --smtp` or
//! `josei remind`.
//!
//! Invariants: `dedupe_key` is unique, so one event or reminder is queued
//! once whatever retries or servers do; a sender first claims a row (moves
//! `next_attempt_at_ms` past now and counts the attempt, only if the row is
//! still due), so two servers never send one row at once; `sent_at` is set
//! only after the relay accepted the mail. A row given up on keeps its last
//! error and is never due again.

use crate::notifications::{NewMail, NotificationKind};
use crate::{Db, MailId, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// One e-mail of the outbox.
#[derive(Clone, Debug, Serialize)]
pub struct OutboxMail {
    pub id: MailId,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub link_path: Option<String>,
    pub kind: NotificationKind,
    pub dedupe_key: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub attempts: i64,
    pub last_error: Option<String>,
}

fn mail_from(r: &AnyRow) -> Result<OutboxMail> {
    let kind: String = r.try_get("kind")?;
    Ok(OutboxMail {
        id: r.try_get("id")?,
        to_address: r.try_get("to_address")?,
        subject: r.try_get("subject")?,
        body: r.try_get("body")?,
        link_path: r.try_get("link_path")?,
        kind: NotificationKind::from_column(&kind)?,
        dedupe_key: r.try_get("dedupe_key")?,
        created_at: r.try_get("created_at")?,
        sent_at: r.try_get("sent_at")?,
        attempts: r.try_get("attempts")?,
        last_error: r.try_get("last_error")?,
    })
}

/// Queues `mail` inside `tx` under `key` (nothing when the key is there).
pub(crate) async fn insert_mail(
    tx: &mut Transaction<'_, Any>,
    mail: &NewMail,
    kind: NotificationKind,
    key: &str,
    now: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO mail_outbox (to_address, subject, body, link_path, kind, dedupe_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING")
        .bind(&mail.to)
        .bind(&mail.subject)
        .bind(&mail.body)
        .bind(mail.link_path.clone())
        .bind(kind.as_str())
        .bind(key)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Db {
    /// Claims up to `limit` mails due at `now_ms` for `lease_ms` (another
    /// sender skips them until then) and counts the attempt; oldest first.
    pub async fn claim_mails(
        &self,
        now_ms: i64,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<OutboxMail>> {
        let due = sqlx::query("SELECT id FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at_ms <= $1 ORDER BY id LIMIT $2")
            .bind(now_ms)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let mut claimed = Vec::with_capacity(due.len());
        for r in due {
            let id: MailId = r.try_get("id")?;
            let row = sqlx::query("UPDATE mail_outbox SET next_attempt_at_ms = $1, attempts = attempts + 1 WHERE id = $2 AND sent_at IS NULL AND next_attempt_at_ms <= $3 RETURNING *")
                .bind(now_ms.saturating_add(lease_ms))
                .bind(id)
                .bind(now_ms)
                .fetch_optional(&self.pool)
                .await?;
            if let Some(row) = row {
                claimed.push(mail_from(&row)?);
            }
        }
        Ok(claimed)
    }

    /// The relay accepted the mail.
    pub async fn mail_sent(&self, id: MailId) -> Result<()> {
        // A password reset's link and an event registration's cancellation
        // link are secrets: once sent, they are not kept.
        sqlx::query("UPDATE mail_outbox SET sent_at = $1, last_error = NULL, link_path = CASE WHEN kind IN ('password_reset', 'event_registration') THEN NULL ELSE link_path END WHERE id = $2")
            .bind(crate::now_text())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Sending failed with `error`: try again at `retry_at_ms`, or with
    /// `None` never again.
    pub async fn mail_failed(
        &self,
        id: MailId,
        error: &str,
        retry_at_ms: Option<i64>,
    ) -> Result<()> {
        sqlx::query("UPDATE mail_outbox SET next_attempt_at_ms = $1, last_error = $2 WHERE id = $3 AND sent_at IS NULL")
            .bind(retry_at_ms.unwrap_or(i64::MAX))
            .bind(error.chars().take(1_000).collect::<String>())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Every mail of the outbox, oldest first (at most `limit`).
    pub async fn outbox(&self, limit: i64) -> Result<Vec<OutboxMail>> {
        let rows = sqlx::query("SELECT * FROM mail_outbox ORDER BY id LIMIT $1")
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(mail_from).collect()
    }
}
