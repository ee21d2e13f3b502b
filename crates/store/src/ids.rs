//! The ids of the store's tables, one type per table, so that a case's id
//! cannot be passed where a user's is meant.
//!
//! Each is an `i64` (the tables' `INTEGER`/`BIGINT` keys) that serialises as
//! a bare number (`#[serde(transparent)]`), prints as one, and binds and
//! reads as one on either backend (`#[sqlx(transparent)]`: the
//! `Encode`/`Decode`/`Type` impls of `i64`, for any database, `Any`
//! included).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::num::ParseIntError;
use std::str::FromStr;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(i64);

        impl $name {
            /// The id as the database stores it.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )*};
}

ids! {
    /// A consultation of the テレワーク相談センター (`consultations.id`).
    ConsultationId;
    /// A request for consulting (`consulting_requests.id`).
    ConsultingRequestId;
    /// A seminar or 個別相談会 (`events.id`).
    EventId;
    /// A registration for an event (`event_registrations.id`).
    RegistrationId;
    /// A material of an event (`event_materials.id`).
    MaterialId;
    /// A round of 輝くテレワーク賞, one per fiscal year (`award_rounds.id`).
    AwardRoundId;
    /// An employer's application to a round (`award_applications.id`).
    AwardApplicationId;
    /// A テレワーク勤務規程 draft (`work_rules_drafts.id`).
    WorkRulesDraftId;
    /// A case (`cases.id`).
    CaseId;
    /// A user account (`users.id`).
    UserId;
    /// An organisation, the employer (`organizations.id`).
    OrganizationId;
    /// An attachment (`attachments.id`).
    AttachmentId;
    /// A decision on an application (`decisions.id`).
    DecisionId;
    /// An API token (`api_tokens.id`).
    ApiTokenId;
    /// A delegation to a 社会保険労務士 (`delegations.id`).
    DelegationId;
    /// An entry of the audit log (`audit_log.id`).
    AuditEntryId;
    /// A sign-in attempt (`login_attempts.id`).
    LoginAttemptId;
    /// A message of a case's 連絡 thread (`case_messages.id`).
    MessageId;
    /// An in-app notification (`notifications.id`).
    NotificationId;
    /// An e-mail of the outbox (`mail_outbox.id`).
    MailId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_parse_and_serialise_as_bare_numbers() {
        let id = CaseId::from(42);
        assert_eq!(id.get(), 42);
        assert_eq!(i64::from(id), 42);
        assert_eq!(id.to_string(), "42");
        assert_eq!("42".parse::<CaseId>().unwrap(), id);
        assert!("4x".parse::<CaseId>().is_err());
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert_eq!(serde_json::from_str::<CaseId>("42").unwrap(), id);
        assert_eq!(
            serde_json::to_value(Some(UserId::from(7))).unwrap(),
            serde_json::json!(7)
        );
        assert_eq!(
            serde_json::to_string(&(
                UserId::from(1),
                OrganizationId::from(2),
                AttachmentId::from(3),
                DecisionId::from(4),
                ApiTokenId::from(5),
                DelegationId::from(6),
                AuditEntryId::from(7),
                LoginAttemptId::from(8),
            ))
            .unwrap(),
            "[1,2,3,4,5,6,7,8]"
        );
        assert!(CaseId::from(1) < CaseId::from(2));
    }
}
