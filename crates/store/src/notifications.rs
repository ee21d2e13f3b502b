//! `notifications`: what a user is told in the application (a decision, a
//! returned plan, a new message of the 連絡 thread, a deadline coming), each
//! with the e-mail that goes with it in `mail_outbox`.
//!
//! Invariants: `kind` is one of [`NotificationKind`] (a CHECK, migration 8);
//! a notification and its e-mail are written in one transaction, so neither
//! is ever lost without the other; a `dedupe_key` (reminders) is unique, and
//! a notification whose key is already there is not written again, nor is
//! its e-mail. Only the user a notification is for may mark it read.

use crate::mail_outbox::insert_mail;
use crate::{now_text, CaseId, Db, NotificationId, Result, UserId};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

string_enum! {
    /// What a notification (and its e-mail) is about (`notifications.kind`,
    /// `mail_outbox.kind`).
    "notification kind",
    NotificationKind {
        /// A subsidy was granted (支給決定).
        Granted = "granted",
        /// A subsidy was denied (不支給決定).
        Denied = "denied",
        /// The plan was certified (計画認定).
        PlanCertified = "plan_certified",
        /// The plan was returned for correction (差戻し).
        PlanReturned = "plan_returned",
        /// The plan was not certified (不認定).
        PlanRejected = "plan_rejected",
        /// A new message in the case's 連絡 thread.
        Message = "message",
        /// A deadline is coming (30, 7 and 1 days before).
        Reminder = "reminder",
        /// A link to set a new password (e-mail only, never in the
        /// application; `password_resets`).
        PasswordReset = "password_reset",
        /// A registrant of a seminar or 個別相談会: the confirmation, a seat
        /// from the waiting list, the event's cancellation (e-mail only, to
        /// someone without an account; `events`).
        EventRegistration = "event_registration",
    }
}

/// One notification of one user.
#[derive(Clone, Debug, Serialize)]
pub struct Notification {
    pub id: NotificationId,
    pub user_id: UserId,
    pub case_id: Option<CaseId>,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub created_at: String,
    pub read_at: Option<String>,
}

/// An e-mail to queue with a notification.
#[derive(Clone, Debug)]
pub struct NewMail {
    pub to: String,
    pub subject: String,
    /// The text; the sender adds the link (`link_path` under the public URL)
    /// and the closing lines.
    pub body: String,
    pub link_path: Option<String>,
}

/// A notification to write, with its e-mail when the user has an address.
#[derive(Clone, Debug)]
pub struct NewNotification {
    pub user_id: UserId,
    pub case_id: Option<CaseId>,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    /// Set for what must happen once only (a reminder): a second
    /// notification with the same key is not written, nor its e-mail.
    pub dedupe_key: Option<String>,
    pub mail: Option<NewMail>,
}

fn notification_from(r: &AnyRow) -> Result<Notification> {
    let kind: String = r.try_get("kind")?;
    Ok(Notification {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        case_id: r.try_get("case_id")?,
        kind: NotificationKind::from_column(&kind)?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        created_at: r.try_get("created_at")?,
        read_at: r.try_get("read_at")?,
    })
}

/// Writes `notes` and their e-mails inside `tx`; returns how many were new
/// (those whose `dedupe_key` was already there are skipped with their mail).
pub(crate) async fn insert_notifications(
    tx: &mut Transaction<'_, Any>,
    notes: &[NewNotification],
) -> Result<usize> {
    let mut written = 0;
    for n in notes {
        let now = now_text();
        let row = sqlx::query("INSERT INTO notifications (user_id, case_id, kind, title, body, created_at, dedupe_key) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id")
            .bind(n.user_id)
            .bind(n.case_id)
            .bind(n.kind.as_str())
            .bind(&n.title)
            .bind(&n.body)
            .bind(&now)
            .bind(n.dedupe_key.clone())
            .fetch_optional(&mut **tx)
            .await?;
        let Some(row) = row else { continue };
        let id: NotificationId = row.try_get("id")?;
        written += 1;
        if let Some(mail) = &n.mail {
            let key = match &n.dedupe_key {
                Some(k) => k.clone(),
                None => format!("notification:{id}"),
            };
            insert_mail(tx, mail, n.kind, &key, &now).await?;
        }
    }
    Ok(written)
}

impl Db {
    /// Writes notifications and their e-mails in one transaction; returns
    /// how many were new.
    pub async fn add_notifications(&self, notes: &[NewNotification]) -> Result<usize> {
        if notes.is_empty() {
            return Ok(0);
        }
        let mut tx = self.pool.begin().await?;
        let n = insert_notifications(&mut tx, notes).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The user's notifications, newest first, at most `limit`.
    pub async fn notifications(&self, user_id: UserId, limit: i64) -> Result<Vec<Notification>> {
        let rows =
            sqlx::query("SELECT * FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2")
                .bind(user_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(notification_from).collect()
    }

    /// How many of the user's notifications are unread.
    pub async fn unread_notifications(&self, user_id: UserId) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("n")?)
    }

    /// Marks one of the user's notifications read (`None`: every unread
    /// one). Returns how many changed; another user's notification is never
    /// touched.
    pub async fn mark_notifications_read(
        &self,
        user_id: UserId,
        id: Option<NotificationId>,
    ) -> Result<u64> {
        let done = match id {
            Some(id) => sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND id = $3 AND read_at IS NULL")
                .bind(now_text())
                .bind(user_id)
                .bind(id)
                .execute(&self.pool)
                .await?,
            None => sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
                .bind(now_text())
                .bind(user_id)
                .execute(&self.pool)
                .await?,
        };
        Ok(done.rows_affected())
    }

    /// One notification, if it is the user's.
    pub async fn notification(
        &self,
        user_id: UserId,
        id: NotificationId,
    ) -> Result<Option<Notification>> {
        let row = sqlx::query("SELECT * FROM notifications WHERE user_id = $1 AND id = $2")
            .bind(user_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(notification_from).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kinds are the texts the CHECKs list, on both backends: migration
    /// 8's for notifications and the outbox (every kind but the password
    /// link, which is mail only), migration 14's for the outbox (every kind).
    #[test]
    fn kinds_are_the_texts_the_checks_list() {
        let check = |kinds: &mut dyn Iterator<Item = &NotificationKind>| {
            let list = kinds
                .map(|k| format!("'{k}'"))
                .collect::<Vec<_>>()
                .join(", ");
            format!("CHECK (kind IN ({list}))")
        };
        let in_app = check(
            &mut NotificationKind::ALL
                .iter()
                .filter(|k| **k != NotificationKind::PasswordReset)
                .filter(|k| **k != NotificationKind::EventRegistration),
        );
        for sql in [
            include_str!("../migrations/sqlite/0008_messages_and_mail.sql"),
            include_str!("../migrations/postgres/0008_messages_and_mail.sql"),
        ] {
            assert_eq!(sql.matches(&in_app).count(), 2, "{in_app}");
        }
        let all = check(
            &mut NotificationKind::ALL
                .iter()
                .filter(|k| **k != NotificationKind::EventRegistration),
        );
        for sql in [
            include_str!("../migrations/sqlite/0014_password_resets.sql"),
            include_str!("../migrations/postgres/0014_password_resets.sql"),
        ] {
            assert_eq!(sql.matches(&all).count(), 1, "{all}");
        }
        let all = check(&mut NotificationKind::ALL.iter());
        for sql in [
            include_str!("../migrations/sqlite/0018_events.sql"),
            include_str!("../migrations/postgres/0018_events.sql"),
        ] {
            assert_eq!(sql.matches(&all).count(), 1, "{all}");
        }
        for k in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(k.as_str()), Some(*k));
        }
        assert!(NotificationKind::from_column("news").is_err());
    }
}
