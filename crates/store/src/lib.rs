//! # josei-store
//!
//! Persistence for josei: one schema for SQLite (embedded default, WAL mode)
//! and PostgreSQL (shared by several servers), applied by `sqlx::migrate!`
//! from one folder of migrations per backend ([`db`]). A case's inputs are
//! stored as records (target workers, telework days, roster, expenses,
//! dates) and reassembled into the engine's JSON contract by
//! [`Db::case_document`]. Every change to a case checks its version
//! (optimistic concurrency) and writes an audit entry in the same
//! transaction. Nothing lives only in one process's memory: sessions, login
//! attempts and settings are rows too. Every enumerated column has a CHECK,
//! so the database itself refuses a value outside its list.
//!
//! Each table has one repository module, an `impl Db` block that alone
//! reads and writes it and states its invariants:
//!
//! | module | tables |
//! |---|---|
//! | `users` | `users` |
//! | `organizations` | `organizations` |
//! | `delegations` | `delegations` |
//! | `sessions` | `sessions` |
//! | `api_tokens` | `api_tokens` |
//! | `login_attempts` | `login_attempts` |
//! | `settings` | `settings` |
//! | `cases` | `cases` (status, version, workflow dates) |
//! | `case_inputs` | `case_target_workers`, `case_telework`, `case_roster`, `case_expenses`, `case_measures` (and the input columns of `cases`) |
//! | `decisions` | `decisions` |
//! | `audit` | `audit_log` |
//! | `attachments` | `attachments` |
//! | [`snapshots`] | `case_snapshots` |
//!
//! Their types are re-exported here. [`workflow`] holds the statuses and
//! transitions, [`import`] reads CSV files, [`limits`] bounds a case's lists.

pub mod db;
pub mod import;
pub mod limits;
pub mod snapshots;
pub mod workflow;

mod api_tokens;
mod attachments;
mod audit;
mod bulk;
mod case_inputs;
mod cases;
mod decisions;
mod delegations;
mod login_attempts;
mod organizations;
mod sessions;
mod settings;
mod users;

pub use api_tokens::{ApiToken, TokenRef};
pub use attachments::Attachment;
pub use audit::AuditEntry;
pub(crate) use cases::{case_from, CASE_COLUMNS};
pub use cases::{locked_changes, CaseRow, Scope, StepChanges};
pub use db::{connect, Backend, Db};
pub use decisions::{Decision, NewDecision};
pub use organizations::Organization;
pub use snapshots::{ListQuery, ListedCase, Snapshot, Sort, Verdict};
pub use users::{Role, User};
pub use workflow::Status;

use serde_json::Value;
use std::fmt;

/// What can go wrong in the store.
#[derive(Debug)]
pub enum StoreError {
    Db(sqlx::Error),
    NotFound,
    /// A stale version or a uniqueness clash; the message says which.
    Conflict(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Db(e) => write!(f, "database error: {e}"),
            StoreError::NotFound => f.write_str("not found"),
            StoreError::Conflict(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::Conflict("既に登録されています".into())
            }
            _ => StoreError::Db(e),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Now, as RFC 3339 text in UTC.
pub fn now_text() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Millisecond)
        .unwrap_or(jiff::Timestamp::now())
        .to_string()
}

/// Now, in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// The text at `key` of a JSON object, if it is text.
pub(crate) fn opt_str(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(|x| x.as_str()).map(str::to_string)
}
