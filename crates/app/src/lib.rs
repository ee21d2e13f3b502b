//! # josei-app
//!
//! The application layer: every use case of the case service, once. The JSON
//! API, the web pages and the CLI all call these functions; none of them
//! talks to the store or the engine for a use case on its own.
//!
//! ```text
//!   josei-server (api/*, web/*)      josei-cli
//!                  \                   /
//!                   josei-app  (this crate: use cases, access, view models)
//!                  /          \
//!        josei-store          josei-rules
//!   (typed records, SQL)   (the engine: pure)
//! ```
//!
//! Invariants kept here:
//! - a record the user may not see answers [`Error::not_found`], never
//!   "forbidden" ([`access`]);
//! - every write goes through the engine's parser first, and the store
//!   refreshes the case's evaluation snapshot in the same transaction;
//! - "today" is the date in Japan, or the administrator's training clock when
//!   the service runs with it ([`today`]);
//! - argon2 runs on a blocking thread, never on the async executor ([`auth`]).

pub mod access;
pub mod attachments;
pub mod auth;
pub mod award;
pub mod bureaus;
pub mod cases;
pub mod deadlines;
pub mod desk;
pub mod documents;
pub mod engine;
pub mod error;
pub mod estimate;
pub mod events;
pub mod exclusions;
pub mod imports;
pub mod mail;
pub mod messages;
pub mod notifications;
pub mod organizations;
pub mod overview;
pub mod printout;
pub mod programme;
pub mod progress;
pub mod queue;
pub mod secret;
pub mod snapshots;
pub mod statistics;
pub mod text;
pub mod users;
pub mod work_rules;
pub mod workers;
pub mod workflow;

pub use error::{Error, Kind, Result};
pub use secret::DatabaseUrl;

use jiff::civil::Date;
use josei_store::{Db, Role, User};

/// What every use case needs: the database, and whether the training clock
/// may stand in for today.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    /// Let administrators set "today" (training environments and tests).
    pub clock_override: bool,
}

impl App {
    pub fn new(db: Db, clock_override: bool) -> App {
        App { db, clock_override }
    }

    /// Opens (and migrates) the database at `url`; the error never shows the
    /// URL's password.
    pub async fn open(url: &DatabaseUrl, clock_override: bool) -> Result<App> {
        let db = josei_store::connect(url.expose()).await.map_err(|e| {
            Error::new(
                Kind::Internal,
                "database",
                format!(
                    "データベース {url} を開けません: {}",
                    url.redact_in(&e.to_string())
                ),
            )
        })?;
        Ok(App::new(db, clock_override))
    }
}

/// "Today" for the rules: the admin's clock when overriding is enabled and
/// set, else today's date in Japan.
pub async fn today(app: &App) -> Result<Date> {
    if app.clock_override {
        if let Some(s) = app.db.setting("clock.today").await? {
            if let Ok(d) = josei_rules::civil::parse_iso_date(&s) {
                return Ok(d);
            }
        }
    }
    let jst = jiff::tz::TimeZone::fixed(jiff::tz::offset(9));
    Ok(jiff::Timestamp::now().to_zoned(jst).date())
}

/// Sets (or with `None` clears) the training clock; admins only, and only
/// when the service runs with the clock override. Returns today after it.
pub async fn set_clock(app: &App, user: &User, day: Option<&str>) -> Result<Date> {
    access::require_role(user, &[Role::Admin])?;
    if !app.clock_override {
        return Err(Error::forbidden(
            "日付の変更は、サーバーを --clock-override で起動したときだけ使えます",
        ));
    }
    if let Some(t) = day {
        josei_rules::civil::parse_iso_date(t)
            .map_err(|_| Error::invalid("today", "YYYY-MM-DD の日付を指定してください"))?;
    }
    app.db.set_setting("clock.today", day, user.id).await?;
    today(app).await
}
