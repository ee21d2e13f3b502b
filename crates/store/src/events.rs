//! `events`, `event_registrations`, `event_materials`: the seminars and
//! 個別相談会 of the テレワーク相談センター, the public's registrations with
//! their waiting list (キャンセル待ち) and attendance, and the materials
//! (事例集 and the like) offered for download.
//!
//! Invariants: a registration is `registered` while the event has room
//! (registered and attended together at most `capacity`), else `waiting`;
//! the event's row is written first in every transaction that counts its
//! seats, so two registrations never take the last seat at once (a row lock
//! on PostgreSQL, the write lock on SQLite). An address registers once per
//! event while its registration stands (a partial unique index). Only the
//! SHA-256 of a cancellation link's token is stored, and the outbox keeps a
//! link only until its mail is sent or the link is spent. A cancelled seat
//! goes to the first registrant waiting, with a new link and a mail. Every
//! change is audited on the event (entity `event`) in its own transaction;
//! the audit holds ids and statuses, never a registrant's name or address.

use crate::audit::audit;
use crate::mail_outbox::insert_mail;
use crate::notifications::{NewMail, NotificationKind};
use crate::{now_text, Db, Result, StoreError, UserId};
use jiff::civil::{Date, DateTime};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

pub use crate::ids::{EventId, MaterialId, RegistrationId};

string_enum! {
    /// セミナー or 個別相談会 (`events.kind`).
    "event kind",
    EventKind {
        /// セミナー.
        Seminar = "seminar",
        /// 個別相談会.
        Consultation = "consultation",
    }
}

string_enum! {
    /// Whom an event is for (`events.audience`), as the programme
    /// distinguishes: employers' managers and HR staff, or the workers.
    "event audience",
    Audience {
        /// 企業の経営者・人事労務担当者.
        Managers = "managers",
        /// テレワークで働く労働者.
        Workers = "workers",
    }
}

string_enum! {
    /// オンライン or 会場 (`events.format`).
    "event format",
    EventFormat {
        /// オンライン.
        Online = "online",
        /// 会場 (with a venue).
        OnSite = "on_site",
    }
}

string_enum! {
    /// Where an event stands (`events.status`).
    "event status",
    EventStatus {
        /// Being prepared: staff only.
        Draft = "draft",
        /// Public, open for registration until its deadline.
        Published = "published",
        /// 中止: public, closed, its registrants told.
        Cancelled = "cancelled",
    }
}

string_enum! {
    /// Where a registration stands (`event_registrations.status`).
    "registration status",
    RegistrationStatus {
        /// 申込済み: has a seat.
        Registered = "registered",
        /// キャンセル待ち.
        Waiting = "waiting",
        /// 取消.
        Cancelled = "cancelled",
        /// 出席.
        Attended = "attended",
    }
}

/// What staff set on an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventFields {
    pub title: String,
    pub kind: EventKind,
    pub audience: Audience,
    /// `None`: 全国 (nationwide).
    pub prefecture: Option<i64>,
    pub format: EventFormat,
    /// The venue of an event on site.
    pub venue: Option<String>,
    /// Start and end, in Japan's local time.
    pub starts_at: DateTime,
    pub ends_at: DateTime,
    pub capacity: i64,
    pub description: String,
    /// The last day to register.
    pub registration_deadline: Date,
}

/// A stored event with its counts.
#[derive(Clone, Debug)]
pub struct Event {
    pub id: EventId,
    pub fields: EventFields,
    pub status: EventStatus,
    pub created_at: String,
    pub updated_at: String,
    /// Registered or attended: the seats taken.
    pub taken: i64,
    /// On the waiting list.
    pub waiting: i64,
    /// Materials to download.
    pub materials: i64,
}

/// One registration.
#[derive(Clone, Debug)]
pub struct Registration {
    pub id: RegistrationId,
    pub event_id: EventId,
    pub name: String,
    pub company: String,
    pub email: String,
    pub prefecture: Option<i64>,
    pub status: RegistrationStatus,
    pub created_at: String,
    pub updated_at: String,
}

/// A registration to store.
#[derive(Clone, Debug)]
pub struct NewRegistration {
    pub name: String,
    pub company: String,
    pub email: String,
    pub prefecture: Option<i64>,
    /// The SHA-256 (hex) of the cancellation link's token.
    pub token_hash: String,
}

/// A material's description (without its bytes).
#[derive(Clone, Debug)]
pub struct Material {
    pub id: MaterialId,
    pub event_id: EventId,
    pub title: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: String,
}

/// A material to store.
#[derive(Clone, Debug)]
pub struct NewMaterial {
    pub title: String,
    pub filename: String,
    pub content_type: String,
    pub sha256: String,
    pub data: Vec<u8>,
}

/// Why a registration was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegisterRefused {
    /// The event is not open (a draft, cancelled, or gone).
    Closed,
    /// The address already holds a registration for the event.
    Duplicate,
}

/// Why a cancellation link was not used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelRefused {
    /// No registration has this token (never, or replaced by a newer link).
    Unknown,
    /// Cancelled already (or attended).
    Spent,
}

/// Makes the mail (and the new link's token hash) for a registrant who gets
/// a seat from the waiting list.
pub type Promote<'a> = &'a (dyn Fn(&Event, &Registration) -> (String, NewMail) + Send + Sync);

/// Makes the mail telling a registrant something about the event.
pub type Tell<'a> = &'a (dyn Fn(&Event, &Registration) -> NewMail + Send + Sync);

fn text_of(t: DateTime) -> String {
    t.strftime("%Y-%m-%dT%H:%M").to_string()
}

fn bad(what: &str, v: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(format!("{what} {v:?}").into()))
}

const EVENT_COLUMNS: &str = "e.*, \
    (SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status IN ('registered', 'attended')) AS taken, \
    (SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'waiting') AS waiting_n, \
    (SELECT COUNT(*) FROM event_materials m WHERE m.event_id = e.id) AS materials_n";

fn event_from(r: &AnyRow) -> Result<Event> {
    let kind: String = r.try_get("kind")?;
    let audience: String = r.try_get("audience")?;
    let format: String = r.try_get("format")?;
    let status: String = r.try_get("status")?;
    let starts: String = r.try_get("starts_at")?;
    let ends: String = r.try_get("ends_at")?;
    let deadline: String = r.try_get("registration_deadline")?;
    Ok(Event {
        id: r.try_get("id")?,
        fields: EventFields {
            title: r.try_get("title")?,
            kind: EventKind::from_column(&kind)?,
            audience: Audience::from_column(&audience)?,
            prefecture: r.try_get("prefecture")?,
            format: EventFormat::from_column(&format)?,
            venue: r.try_get("venue")?,
            starts_at: starts.parse().map_err(|_| bad("event start", &starts))?,
            ends_at: ends.parse().map_err(|_| bad("event end", &ends))?,
            capacity: r.try_get("capacity")?,
            description: r.try_get("description")?,
            registration_deadline: deadline
                .parse()
                .map_err(|_| bad("event deadline", &deadline))?,
        },
        status: EventStatus::from_column(&status)?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        taken: r.try_get("taken")?,
        waiting: r.try_get("waiting_n")?,
        materials: r.try_get("materials_n")?,
    })
}

fn registration_from(r: &AnyRow) -> Result<Registration> {
    let status: String = r.try_get("status")?;
    Ok(Registration {
        id: r.try_get("id")?,
        event_id: r.try_get("event_id")?,
        name: r.try_get("name")?,
        company: r.try_get("company")?,
        email: r.try_get("email")?,
        prefecture: r.try_get("prefecture")?,
        status: RegistrationStatus::from_column(&status)?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn material_from(r: &AnyRow) -> Result<Material> {
    Ok(Material {
        id: r.try_get("id")?,
        event_id: r.try_get("event_id")?,
        title: r.try_get("title")?,
        filename: r.try_get("filename")?,
        content_type: r.try_get("content_type")?,
        size_bytes: r.try_get("size_bytes")?,
        sha256: r.try_get("sha256")?,
        uploaded_at: r.try_get("uploaded_at")?,
    })
}

/// The outbox key of a registration's mail about `what`.
fn mail_key(id: RegistrationId, what: &str) -> String {
    format!("event_registration:{id}:{what}")
}

/// Writes the event's row (its `updated_at`, unchanged) so that the rest of
/// `tx` holds it: no other transaction counts its seats meanwhile. Returns
/// the event, or `None` if there is none.
async fn hold_event(tx: &mut Transaction<'_, Any>, id: EventId) -> Result<Option<Event>> {
    let held = sqlx::query("UPDATE events SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if held.rows_affected() == 0 {
        return Ok(None);
    }
    let row = sqlx::query(&format!(
        "SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Some(event_from(&row)?))
}

/// Gives free seats of the (held) event to the registrants waiting, first
/// come first served, each with a new link and a mail. Returns them.
async fn promote_waiting(
    tx: &mut Transaction<'_, Any>,
    event: &mut Event,
    promote: Promote<'_>,
    by: Option<UserId>,
) -> Result<Vec<Registration>> {
    let mut promoted = Vec::new();
    if event.status != EventStatus::Published {
        return Ok(promoted);
    }
    while event.taken < event.fields.capacity {
        let row = sqlx::query("SELECT * FROM event_registrations WHERE event_id = $1 AND status = 'waiting' ORDER BY id LIMIT 1")
            .bind(event.id)
            .fetch_optional(&mut **tx)
            .await?;
        let Some(row) = row else { break };
        let mut reg = registration_from(&row)?;
        let now = now_text();
        let (token_hash, mail) = promote(event, &reg);
        sqlx::query("UPDATE event_registrations SET status = 'registered', token_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(&token_hash)
            .bind(&now)
            .bind(reg.id)
            .execute(&mut **tx)
            .await?;
        // The links mailed before are spent with the old token.
        clear_links(tx, reg.id).await?;
        insert_mail(
            tx,
            &mail,
            NotificationKind::EventRegistration,
            &mail_key(reg.id, "promoted"),
            &now,
        )
        .await?;
        audit(
            tx,
            by,
            "event.registration_promote",
            "event",
            &event.id.to_string(),
            Some(&json!({"registration": reg.id, "status": "waiting"})),
            Some(&json!({"registration": reg.id, "status": "registered"})),
        )
        .await?;
        reg.status = RegistrationStatus::Registered;
        reg.updated_at = now;
        event.taken += 1;
        event.waiting -= 1;
        promoted.push(reg);
    }
    Ok(promoted)
}

/// Clears the links of a registration's queued mails (spent or replaced).
async fn clear_links(tx: &mut Transaction<'_, Any>, id: RegistrationId) -> Result<()> {
    sqlx::query("UPDATE mail_outbox SET link_path = NULL WHERE dedupe_key LIKE $1")
        .bind(format!("event_registration:{id}:%"))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn fields_json(f: &EventFields) -> serde_json::Value {
    json!({
        "title": f.title,
        "kind": f.kind,
        "audience": f.audience,
        "prefecture": f.prefecture,
        "format": f.format,
        "venue": f.venue,
        "starts_at": text_of(f.starts_at),
        "ends_at": text_of(f.ends_at),
        "capacity": f.capacity,
        "description": f.description,
        "registration_deadline": f.registration_deadline.to_string(),
    })
}

impl Db {
    /// Stores a new event (a draft); audited as `event.create`.
    pub async fn create_event(&self, f: &EventFields, by: UserId) -> Result<EventId> {
        let now = now_text();
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO events (title, kind, audience, prefecture, format, venue, starts_at, ends_at, capacity, description, registration_deadline, status, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $13, $13) RETURNING id")
            .bind(&f.title)
            .bind(f.kind.as_str())
            .bind(f.audience.as_str())
            .bind(f.prefecture)
            .bind(f.format.as_str())
            .bind(f.venue.clone())
            .bind(text_of(f.starts_at))
            .bind(text_of(f.ends_at))
            .bind(f.capacity)
            .bind(&f.description)
            .bind(f.registration_deadline.to_string())
            .bind(by)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
        let id: EventId = row.try_get("id")?;
        audit(
            &mut tx,
            Some(by),
            "event.create",
            "event",
            &id.to_string(),
            None,
            Some(&fields_json(f)),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes an event's fields (audited as `event.update`, before and
    /// after); a larger capacity gives its new seats to those waiting. When
    /// the day, the time or the place changes, everyone registered or
    /// waiting (but those just given a seat, whose mail says it) is mailed
    /// by `changed`. Returns the registrants who got a seat.
    pub async fn update_event(
        &self,
        id: EventId,
        f: &EventFields,
        by: UserId,
        promote: Promote<'_>,
        changed: Tell<'_>,
    ) -> Result<Vec<Registration>> {
        let mut tx = self.pool.begin().await?;
        let Some(before) = hold_event(&mut tx, id).await? else {
            return Err(StoreError::NotFound);
        };
        sqlx::query("UPDATE events SET title = $1, kind = $2, audience = $3, prefecture = $4, format = $5, venue = $6, starts_at = $7, ends_at = $8, capacity = $9, description = $10, registration_deadline = $11, updated_at = $12 WHERE id = $13")
            .bind(&f.title)
            .bind(f.kind.as_str())
            .bind(f.audience.as_str())
            .bind(f.prefecture)
            .bind(f.format.as_str())
            .bind(f.venue.clone())
            .bind(text_of(f.starts_at))
            .bind(text_of(f.ends_at))
            .bind(f.capacity)
            .bind(&f.description)
            .bind(f.registration_deadline.to_string())
            .bind(now_text())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(by),
            "event.update",
            "event",
            &id.to_string(),
            Some(&fields_json(&before.fields)),
            Some(&fields_json(f)),
        )
        .await?;
        let moved = before.fields.starts_at != f.starts_at
            || before.fields.ends_at != f.ends_at
            || before.fields.format != f.format
            || before.fields.venue != f.venue;
        let mut event = before;
        event.fields = f.clone();
        let promoted = promote_waiting(&mut tx, &mut event, promote, Some(by)).await?;
        if moved && event.status == EventStatus::Published {
            let rows = sqlx::query("SELECT * FROM event_registrations WHERE event_id = $1 AND status IN ('registered', 'waiting') ORDER BY id")
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
            let now = now_text();
            for r in &rows {
                let reg = registration_from(r)?;
                if promoted.iter().any(|p| p.id == reg.id) {
                    continue;
                }
                insert_mail(
                    &mut tx,
                    &changed(&event, &reg),
                    NotificationKind::EventRegistration,
                    &mail_key(reg.id, &format!("changed:{now}")),
                    &now,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(promoted)
    }

    /// Publishes an event or takes it back to a draft (`event.publish`,
    /// `event.unpublish`). A cancelled event stays cancelled (`false`).
    pub async fn set_event_published(
        &self,
        id: EventId,
        published: bool,
        by: UserId,
    ) -> Result<bool> {
        let (from, to, action) = if published {
            ("draft", "published", "event.publish")
        } else {
            ("published", "draft", "event.unpublish")
        };
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE events SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
        )
        .bind(to)
        .bind(now_text())
        .bind(id)
        .bind(from)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        audit(
            &mut tx,
            Some(by),
            action,
            "event",
            &id.to_string(),
            Some(&json!({"status": from})),
            Some(&json!({"status": to})),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Cancels (中止) an event and mails everyone registered or waiting
    /// (`event.cancel`). Returns how many were told, or `None` when it was
    /// cancelled already.
    pub async fn cancel_event(
        &self,
        id: EventId,
        by: UserId,
        tell: Tell<'_>,
    ) -> Result<Option<usize>> {
        let mut tx = self.pool.begin().await?;
        let Some(event) = hold_event(&mut tx, id).await? else {
            return Err(StoreError::NotFound);
        };
        if event.status == EventStatus::Cancelled {
            return Ok(None);
        }
        sqlx::query("UPDATE events SET status = 'cancelled', updated_at = $1 WHERE id = $2")
            .bind(now_text())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let rows = sqlx::query("SELECT * FROM event_registrations WHERE event_id = $1 AND status IN ('registered', 'waiting') ORDER BY id")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let now = now_text();
        for r in &rows {
            let reg = registration_from(r)?;
            clear_links(&mut tx, reg.id).await?;
            insert_mail(
                &mut tx,
                &tell(&event, &reg),
                NotificationKind::EventRegistration,
                &mail_key(reg.id, "event_cancelled"),
                &now,
            )
            .await?;
        }
        audit(
            &mut tx,
            Some(by),
            "event.cancel",
            "event",
            &id.to_string(),
            Some(&json!({"status": event.status})),
            Some(&json!({"status": "cancelled", "told": rows.len()})),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(rows.len()))
    }

    /// One event with its counts.
    pub async fn event(&self, id: EventId) -> Result<Option<Event>> {
        let row = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(event_from).transpose()
    }

    /// The events, earliest first: only the public ones (published or
    /// cancelled) unless `drafts`; at most `limit`.
    pub async fn events(&self, drafts: bool, limit: i64) -> Result<Vec<Event>> {
        let cond = if drafts {
            "1 = 1"
        } else {
            "e.status IN ('published', 'cancelled')"
        };
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM events e WHERE {cond} ORDER BY e.starts_at, e.id LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from).collect()
    }

    /// Takes a registration for a published event: a seat while there is
    /// room, else the waiting list; its mail (made by `mail` from the
    /// status) goes into the outbox, the registration is audited
    /// (`event.register`), all in one transaction.
    pub async fn register_for_event(
        &self,
        id: EventId,
        new: &NewRegistration,
        mail: Tell<'_>,
    ) -> Result<std::result::Result<Registration, RegisterRefused>> {
        let mut tx = self.pool.begin().await?;
        let Some(event) = hold_event(&mut tx, id).await? else {
            return Ok(Err(RegisterRefused::Closed));
        };
        if event.status != EventStatus::Published {
            return Ok(Err(RegisterRefused::Closed));
        }
        let key = new.email.to_lowercase();
        let dup = sqlx::query("SELECT id FROM event_registrations WHERE event_id = $1 AND email_key = $2 AND status <> 'cancelled'")
            .bind(id)
            .bind(&key)
            .fetch_optional(&mut *tx)
            .await?;
        if dup.is_some() {
            return Ok(Err(RegisterRefused::Duplicate));
        }
        let status = if event.taken < event.fields.capacity {
            RegistrationStatus::Registered
        } else {
            RegistrationStatus::Waiting
        };
        let now = now_text();
        let row = sqlx::query("INSERT INTO event_registrations (event_id, name, company, email, email_key, prefecture, status, token_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING *")
            .bind(id)
            .bind(&new.name)
            .bind(&new.company)
            .bind(&new.email)
            .bind(&key)
            .bind(new.prefecture)
            .bind(status.as_str())
            .bind(&new.token_hash)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await;
        let row = match row.map_err(StoreError::from) {
            Ok(r) => r,
            Err(StoreError::Conflict(_)) => return Ok(Err(RegisterRefused::Duplicate)),
            Err(e) => return Err(e),
        };
        let reg = registration_from(&row)?;
        insert_mail(
            &mut tx,
            &mail(&event, &reg),
            NotificationKind::EventRegistration,
            &mail_key(reg.id, "registered"),
            &now,
        )
        .await?;
        audit(
            &mut tx,
            None,
            "event.register",
            "event",
            &id.to_string(),
            None,
            Some(&json!({"registration": reg.id, "status": status})),
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(reg))
    }

    /// The registration whose link's token hashes to `token_hash`, with its
    /// event.
    pub async fn registration_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<(Event, Registration)>> {
        let row = sqlx::query("SELECT * FROM event_registrations WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let reg = registration_from(&row)?;
        let event = self
            .event(reg.event_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(Some((event, reg)))
    }

    /// Cancels the registration of `token_hash` (`event.registration_cancel`)
    /// and, when it held a seat, gives the seat to the first registrant
    /// waiting (`event.registration_promote`, with their mail). Returns the
    /// cancelled registration and those promoted.
    pub async fn cancel_registration(
        &self,
        token_hash: &str,
        promote: Promote<'_>,
    ) -> Result<std::result::Result<(Registration, Vec<Registration>), CancelRefused>> {
        let Some((event, reg)) = self.registration_by_token(token_hash).await? else {
            return Ok(Err(CancelRefused::Unknown));
        };
        let mut tx = self.pool.begin().await?;
        let Some(mut event) = hold_event(&mut tx, event.id).await? else {
            return Ok(Err(CancelRefused::Unknown));
        };
        let done = sqlx::query("UPDATE event_registrations SET status = 'cancelled', updated_at = $1 WHERE id = $2 AND token_hash = $3 AND status IN ('registered', 'waiting')")
            .bind(now_text())
            .bind(reg.id)
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(Err(CancelRefused::Spent));
        }
        clear_links(&mut tx, reg.id).await?;
        audit(
            &mut tx,
            None,
            "event.registration_cancel",
            "event",
            &event.id.to_string(),
            Some(&json!({"registration": reg.id, "status": reg.status})),
            Some(&json!({"registration": reg.id, "status": "cancelled"})),
        )
        .await?;
        // Counted again inside the transaction: the seat is free now.
        let counts = sqlx::query("SELECT COUNT(*) AS n FROM event_registrations WHERE event_id = $1 AND status IN ('registered', 'attended')")
            .bind(event.id)
            .fetch_one(&mut *tx)
            .await?;
        event.taken = counts.try_get("n")?;
        let promoted = promote_waiting(&mut tx, &mut event, promote, None).await?;
        tx.commit().await?;
        let mut cancelled = reg;
        cancelled.status = RegistrationStatus::Cancelled;
        Ok(Ok((cancelled, promoted)))
    }

    /// The event's registrations, in the order they came.
    pub async fn registrations(&self, id: EventId) -> Result<Vec<Registration>> {
        let rows = sqlx::query("SELECT * FROM event_registrations WHERE event_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(registration_from).collect()
    }

    /// Marks a registrant of the event present (`attended`) or not
    /// (`registered` again); audited as `event.attendance`. `false` when the
    /// registration is not the event's or holds no seat.
    pub async fn set_attendance(
        &self,
        id: EventId,
        registration: RegistrationId,
        attended: bool,
        by: UserId,
    ) -> Result<bool> {
        let (from, to) = if attended {
            ("registered", "attended")
        } else {
            ("attended", "registered")
        };
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE event_registrations SET status = $1, updated_at = $2 WHERE id = $3 AND event_id = $4 AND status = $5")
            .bind(to)
            .bind(now_text())
            .bind(registration)
            .bind(id)
            .bind(from)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        audit(
            &mut tx,
            Some(by),
            "event.attendance",
            "event",
            &id.to_string(),
            Some(&json!({"registration": registration, "status": from})),
            Some(&json!({"registration": registration, "status": to})),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Stores a material of the event (`event.material_add`).
    pub async fn add_material(
        &self,
        id: EventId,
        m: &NewMaterial,
        by: UserId,
    ) -> Result<MaterialId> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO event_materials (event_id, title, filename, content_type, size_bytes, sha256, data, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
            .bind(id)
            .bind(&m.title)
            .bind(&m.filename)
            .bind(&m.content_type)
            .bind(m.data.len() as i64)
            .bind(&m.sha256)
            .bind(m.data.clone())
            .bind(by)
            .bind(now_text())
            .fetch_one(&mut *tx)
            .await?;
        let mid: MaterialId = row.try_get("id")?;
        audit(
            &mut tx,
            Some(by),
            "event.material_add",
            "event",
            &id.to_string(),
            None,
            Some(&json!({"material": mid, "title": m.title, "filename": m.filename, "size_bytes": m.data.len(), "sha256": m.sha256})),
        )
        .await?;
        tx.commit().await?;
        Ok(mid)
    }

    /// Removes a material of the event (`event.material_remove`); `false`
    /// when it is not the event's.
    pub async fn remove_material(&self, id: EventId, mid: MaterialId, by: UserId) -> Result<bool> {
        let Some(m) = self.materials(id).await?.into_iter().find(|m| m.id == mid) else {
            return Ok(false);
        };
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("DELETE FROM event_materials WHERE id = $1 AND event_id = $2")
            .bind(mid)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        audit(
            &mut tx,
            Some(by),
            "event.material_remove",
            "event",
            &id.to_string(),
            Some(&json!({"material": mid, "title": m.title, "filename": m.filename, "sha256": m.sha256})),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The event's materials, in the order they were added.
    pub async fn materials(&self, id: EventId) -> Result<Vec<Material>> {
        let rows = sqlx::query("SELECT id, event_id, title, filename, content_type, size_bytes, sha256, uploaded_at FROM event_materials WHERE event_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(material_from).collect()
    }

    /// One material of the event with its bytes.
    pub async fn material(
        &self,
        id: EventId,
        mid: MaterialId,
    ) -> Result<Option<(Material, Vec<u8>)>> {
        let row = sqlx::query("SELECT * FROM event_materials WHERE id = $1 AND event_id = $2")
            .bind(mid)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((material_from(&r)?, r.try_get("data")?)))
            .transpose()
    }
}
