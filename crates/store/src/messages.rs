//! `case_messages`: the 連絡 thread of a case, between the applicant side
//! (the employer and its 社労士) and the labour bureau.
//!
//! Invariants: a message is only ever added, never changed; its body is 1 to
//! 4,000 characters (a CHECK, migration 8; the application checks first);
//! each post writes its audit entry on the case and the notifications (with
//! their e-mails) of the other side in the same transaction.

use crate::audit::audit;
use crate::notifications::{insert_notifications, NewNotification};
use crate::{now_text, CaseId, Db, MessageId, Result, Role, UserId};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

/// One message, with who wrote it.
#[derive(Clone, Debug, Serialize)]
pub struct Message {
    pub id: MessageId,
    pub case_id: CaseId,
    pub author_id: UserId,
    pub author_name: String,
    pub author_role: Role,
    pub body: String,
    pub created_at: String,
}

fn message_from(r: &AnyRow) -> Result<Message> {
    let role: String = r.try_get("author_role")?;
    Ok(Message {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        author_id: r.try_get("author_id")?,
        author_name: r.try_get("author_name")?,
        author_role: Role::parse(&role).unwrap_or(Role::Employer),
        body: r.try_get("body")?,
        created_at: r.try_get("created_at")?,
    })
}

const MESSAGE_COLUMNS: &str = "m.id, m.case_id, m.author_id, u.display_name AS author_name, u.role AS author_role, m.body, m.created_at";

impl Db {
    /// Adds a message to the case's thread, with its audit entry and the
    /// notifications `notes` (and their e-mails), in one transaction.
    pub async fn post_message(
        &self,
        case_id: CaseId,
        author_id: UserId,
        body: &str,
        notes: &[NewNotification],
    ) -> Result<Message> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO case_messages (case_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(case_id)
            .bind(author_id)
            .bind(body)
            .bind(now_text())
            .fetch_one(&mut *tx)
            .await?;
        let id: MessageId = row.try_get("id")?;
        audit(
            &mut tx,
            Some(author_id),
            "case.message",
            "case",
            &case_id.to_string(),
            None,
            Some(&json!({"message_id": id, "characters": body.chars().count()})),
        )
        .await?;
        insert_notifications(&mut tx, notes).await?;
        tx.commit().await?;
        let sql = format!("SELECT {MESSAGE_COLUMNS} FROM case_messages m JOIN users u ON u.id = m.author_id WHERE m.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_one(&self.pool).await?;
        message_from(&row)
    }

    /// The case's thread, oldest first.
    pub async fn messages(&self, case_id: CaseId) -> Result<Vec<Message>> {
        let sql = format!("SELECT {MESSAGE_COLUMNS} FROM case_messages m JOIN users u ON u.id = m.author_id WHERE m.case_id = $1 ORDER BY m.id");
        let rows = sqlx::query(&sql)
            .bind(case_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(message_from).collect()
    }
}
