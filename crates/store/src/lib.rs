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
//! | [`bureaus`] | `labour_bureaus` |
//! | [`statistics`] | (reads `cases`, `decisions`, `audit_log`) |
//! | [`programme`] | (reads the programme's tables: consultations, consulting, events, award) |
//! | `messages` | `case_messages` |
//! | `notifications` | `notifications` |
//! | `mail_outbox` | `mail_outbox` |
//! | `password_resets` | `password_resets` |
//! | `consultations` | `consultations`, `consultation_topics`, `consulting_requests`, `consulting_visits` |
//! | `events` | `events`, `event_registrations`, `event_materials` |
//! | `award` | `award_rounds`, `award_applications`, `award_reviews`, `award_scores` |
//! | `work_rules` | `work_rules_drafts` |
//!
//! Their types are re-exported here, with the tables' ids ([`ids`]: one
//! newtype over `i64` per table). [`workflow`] holds the statuses and
//! transitions, [`import`] reads CSV files, [`limits`] bounds a case's lists.
//! Enumerated columns are Rust enums in the store's API and text in the
//! database, each variant written as the column's CHECK lists it.

/// An enum whose variants are stored (and serialised) as fixed text: `ALL`,
/// `as_str`, `parse`, `Display` and `FromStr`, and serde with the same text.
macro_rules! string_enum {
    ($(#[$doc:meta])* $what:literal, $name:ident { $($(#[$vdoc:meta])* $v:ident = $s:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $s)] $v,)*
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$v,)*];

            /// The text stored in the database and used in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$v => $s,)*
                }
            }

            /// The value written as `s` ([`Self::as_str`]), if any.
            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($s => Some($name::$v),)*
                    _ => None,
                }
            }

            /// The value read from a row's column; one this version does not
            /// know is a damaged row.
            #[allow(dead_code)]
            pub(crate) fn from_column(s: &str) -> $crate::Result<$name> {
                $name::parse(s).ok_or_else(|| {
                    $crate::StoreError::Db(sqlx::Error::Decode(
                        format!("unknown {} {s:?}", $what).into(),
                    ))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::UnknownValue;

            fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
                $name::parse(s).ok_or_else(|| $crate::UnknownValue {
                    what: $what,
                    value: s.to_string(),
                })
            }
        }
    };
}

pub mod bureaus;
pub mod db;
pub mod ids;
pub mod import;
pub mod limits;
pub mod programme;
pub mod snapshots;
pub mod statistics;
pub mod workflow;

mod api_tokens;
mod attachments;
mod audit;
mod award;
mod bulk;
mod case_inputs;
mod cases;
mod consultations;
mod decisions;
mod delegations;
mod events;
mod login_attempts;
mod mail_outbox;
mod messages;
mod notifications;
mod organizations;
mod password_resets;
mod queue;
mod sessions;
mod settings;
mod users;
mod work_rules;

pub use api_tokens::{ApiToken, TokenRef};
pub use attachments::{Attachment, AttachmentKind};
pub use audit::AuditEntry;
pub use award::{
    AwardApplication, AwardApplicationId, AwardApplicationStatus, AwardCriterion, AwardDraft,
    AwardResult, AwardReview, AwardRound, AwardRoundId, AwardRoundStatus, AwardScoreRow,
};
pub use bureaus::{Bureau, BureauContact};
pub(crate) use cases::{case_from, CASE_COLUMNS};
pub use cases::{locked_changes, CaseRow, Scope, StepChanges};
pub use consultations::{
    Channel, Consultation, ConsultationFilter, ConsultationId, ConsultationInput,
    ConsultingRequest, ConsultingRequestId, ConsultingStatus, IndustryCounts, NewConsultingRequest,
    NewVisit, OutreachTarget, Referral, Topic, Visit, VisitMode,
};
pub use db::{connect, Backend, Db};
pub use decisions::{DecidedAmount, Decision, DecisionKind, NewDecision, Outcome};
pub use delegations::DelegationRow;
pub use events::{
    Audience, CancelRefused, Event, EventFields, EventFormat, EventId, EventKind, EventStatus,
    Material, MaterialId, NewMaterial, NewRegistration, Promote, RegisterRefused, Registration,
    RegistrationId, RegistrationStatus, Tell,
};
pub use ids::{
    ApiTokenId, AttachmentId, AuditEntryId, CaseId, DecisionId, DelegationId, LoginAttemptId,
    OrganizationId, UserId,
};
pub use ids::{MailId, MessageId, NotificationId};
pub use import::ImportKind;
pub use mail_outbox::OutboxMail;
pub use messages::Message;
pub use notifications::{NewMail, NewNotification, Notification, NotificationKind};
pub use organizations::Organization;
pub use password_resets::{PasswordReset, ResetRefused};
pub use queue::WAITING;
pub use snapshots::{Assignee, ListQuery, ListedCase, Snapshot, Sort, Tally, Verdict};
pub use users::{AgentParticulars, Role, User, UserChange, UserFilter};
pub use work_rules::{WorkRulesDraft, WorkRulesDraftId, MAX_DRAFTS_PER_CASE};
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

/// Text that names no value of an enumerated kind (`what`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    pub what: &'static str,
    pub value: String,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?}", self.what, self.value)
    }
}

impl std::error::Error for UnknownValue {}

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

#[cfg(test)]
mod tests {
    use super::*;
    use josei_rules::evaluate::SubsidyStatus;

    /// The CHECK of migration 7 on `column`, on both backends, lists exactly
    /// `values` (in order).
    fn check_lists(column: &str, values: &[impl AsRef<str>]) {
        let list = values
            .iter()
            .map(|v| format!("'{}'", v.as_ref()))
            .collect::<Vec<_>>()
            .join(", ");
        let check = format!("CHECK ({column} IN ({list}))");
        for (backend, sql) in [
            (
                "sqlite",
                include_str!("../migrations/sqlite/0007_enumerated_checks.sql"),
            ),
            (
                "postgres",
                include_str!("../migrations/postgres/0007_enumerated_checks.sql"),
            ),
        ] {
            assert!(sql.contains(&check), "{backend}: no {check}");
        }
    }

    /// Each value's text, through `as_str`, `Display` and serde, and back.
    fn texts<T>(all: &[T]) -> Vec<String>
    where
        T: Copy
            + PartialEq
            + fmt::Debug
            + fmt::Display
            + std::str::FromStr
            + serde::Serialize
            + serde::de::DeserializeOwned,
        T::Err: fmt::Debug,
    {
        all.iter()
            .map(|v| {
                let json = serde_json::to_value(v).unwrap();
                let text = json.as_str().unwrap().to_string();
                assert_eq!(v.to_string(), text);
                assert_eq!(text.parse::<T>().unwrap(), *v);
                assert_eq!(serde_json::from_value::<T>(json).unwrap(), *v);
                text
            })
            .collect()
    }

    #[test]
    fn enumerated_kinds_are_the_texts_stored_today() {
        let kinds = texts(AttachmentKind::ALL);
        assert_eq!(
            kinds,
            [
                "work_rules",
                "receipt",
                "invoice",
                "other",
                "work_rules_notice",
                "roster",
                "attendance",
                "wage_ledger",
                "climate",
                "training"
            ]
        );
        // Version 7 listed the first four; version 10 lists them all.
        check_lists("kind", &kinds[..4]);
        for (backend, sql) in [
            (
                "sqlite",
                include_str!("../migrations/sqlite/0010_document_kinds.sql"),
            ),
            (
                "postgres",
                include_str!("../migrations/postgres/0010_document_kinds.sql"),
            ),
        ] {
            let list = kinds
                .iter()
                .map(|k| format!("'{k}'"))
                .collect::<Vec<_>>()
                .join(", ");
            assert!(
                sql.contains(&format!("CHECK (kind IN ({list}))")),
                "{backend}: attachment kinds"
            );
        }
        for k in AttachmentKind::ALL {
            assert_eq!(AttachmentKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(AttachmentKind::parse("photo"), None);
        assert_eq!(
            "photo".parse::<AttachmentKind>().unwrap_err().to_string(),
            "unknown attachment kind \"photo\""
        );

        let kinds = texts(DecisionKind::ALL);
        assert_eq!(kinds, ["equipment", "goal"]);
        check_lists("kind", &kinds);
        let outcomes = texts(Outcome::ALL);
        assert_eq!(outcomes, ["granted", "denied"]);
        check_lists("outcome", &outcomes);
        assert_eq!(Outcome::parse("maybe"), None);
        assert!("bonus".parse::<DecisionKind>().is_err());

        // Imports are not stored: the kind is the URL's and the summary's word.
        assert_eq!(texts(ImportKind::ALL), ["telework", "roster"]);
        assert_eq!(ImportKind::parse("expenses"), None);
        assert_eq!(
            serde_json::to_string(&ImportKind::Roster).unwrap(),
            "\"roster\""
        );

        // The engine's status is stored as the engine serialises it.
        let statuses = [
            SubsidyStatus::Payable,
            SubsidyStatus::NotPayable,
            SubsidyStatus::Pending,
        ];
        let stored: Vec<&str> = statuses
            .iter()
            .map(|s| decisions::engine_status_str(*s))
            .collect();
        assert_eq!(stored, ["payable", "not_payable", "pending"]);
        check_lists("engine_status", &stored);
        for s in statuses {
            let text = decisions::engine_status_str(s);
            assert_eq!(serde_json::to_value(s).unwrap(), text);
            assert_eq!(decisions::engine_status_from(text).unwrap(), s);
        }
        assert!(decisions::engine_status_from("unknown").is_err());
        assert!(AttachmentKind::from_column("photo").is_err());
    }
}
