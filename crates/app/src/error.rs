//! The one error type of every use case: what went wrong, in Japanese, with
//! the field at fault. The HTTP layer maps [`Kind`] to a status once; the CLI
//! prints the message.

use josei_rules::InputError;
use josei_store::StoreError;

/// What kind of failure an [`Error`] is (the API maps each to one status).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// No one is signed in, or the credentials are wrong (401).
    Unauthenticated,
    /// Signed in, but the role may not do this (403).
    Forbidden,
    /// No such record, or one the user may not see (404).
    NotFound,
    /// The record's state or version does not allow it (409).
    Conflict,
    /// A field is not valid (422).
    Invalid,
    /// The content is larger than allowed (413).
    TooLarge,
    /// The content's type is not accepted (415).
    UnsupportedType,
    /// Too many failed attempts (429).
    RateLimited,
    /// A failure of the system itself, logged (500).
    Internal,
}

/// An error of a use case: a machine code, a Japanese message that says what
/// to do, and the field path when one field is at fault.
#[derive(Debug)]
pub struct Error {
    pub kind: Kind,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
}

/// The result of a use case.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(kind: Kind, code: &'static str, message: impl Into<String>) -> Error {
        Error {
            kind,
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Error {
        self.field = Some(field.into());
        self
    }

    pub fn unauthenticated() -> Error {
        Error::new(
            Kind::Unauthenticated,
            "unauthenticated",
            "ログインしてください",
        )
    }

    pub fn bad_credentials() -> Error {
        Error::new(
            Kind::Unauthenticated,
            "bad_credentials",
            "ユーザー名またはパスワードが違います",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Error {
        Error::new(Kind::Forbidden, "forbidden", message)
    }

    /// For records the user may not see: the same answer as for records that do not exist.
    pub fn not_found() -> Error {
        Error::new(
            Kind::NotFound,
            "not_found",
            "お探しのページや申請は見つかりません。アドレスが正しいか、見る権限があるかを確かめてください",
        )
    }

    pub fn conflict(message: impl Into<String>) -> Error {
        Error::new(Kind::Conflict, "conflict", message)
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Error {
        Error::new(Kind::Invalid, "invalid", message).with_field(field)
    }

    /// A failure of the system itself (logged; the user gets a generic message).
    pub fn internal(detail: impl Into<String>) -> Error {
        tracing::error!(detail = %detail.into(), "internal error");
        Error::new(
            Kind::Internal,
            "internal",
            "サーバーで問題が起きました。しばらくしてからもう一度お試しください",
        )
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) if !field.is_empty() => write!(f, "{}（{field}）", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Error::not_found(),
            StoreError::Conflict(m) => Error::conflict(m),
            StoreError::Db(e) => {
                tracing::error!(error = %e, "database error");
                Error::new(
                    Kind::Internal,
                    "internal",
                    "サーバーの内部エラーです。時間をおいて再度お試しください",
                )
            }
        }
    }
}

impl From<InputError> for Error {
    /// A case document that is not valid: the engine's code and field path.
    fn from(e: InputError) -> Self {
        Error::new(Kind::Invalid, e.code.as_str(), e.message).with_field(e.field)
    }
}
