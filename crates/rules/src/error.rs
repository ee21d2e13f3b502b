//! Input errors: which field is wrong, and why, in one line.

use serde::Serialize;
use std::fmt;

/// The kinds of invalid input the contract lists (case-format.md, "Invalid means").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not JSON at all.
    InvalidJson,
    /// A required field is missing (or null).
    MissingField,
    /// A field has the wrong JSON type.
    WrongType,
    /// A string that is not one of an enum's names.
    UnknownValue,
    /// Not a `YYYY-MM-DD` date, or a day that does not exist.
    InvalidDate,
    /// A negative amount or count, or a fraction where whole numbers are required.
    Negative,
    /// A value outside what the engine supports (years, sizes).
    OutOfRange,
    /// Two dates in the wrong order (`certified_on` before `submitted_on`).
    DateOrder,
    /// The same target-worker id twice.
    DuplicateId,
    /// No regime covers the submission date.
    NoRegime,
    /// The case names a regime josei does not know.
    UnknownRegime,
}

impl ErrorCode {
    /// The snake_case code, as in the JSON error shape.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::MissingField => "missing_field",
            ErrorCode::WrongType => "wrong_type",
            ErrorCode::UnknownValue => "unknown_value",
            ErrorCode::InvalidDate => "invalid_date",
            ErrorCode::Negative => "negative",
            ErrorCode::OutOfRange => "out_of_range",
            ErrorCode::DateOrder => "date_order",
            ErrorCode::DuplicateId => "duplicate_id",
            ErrorCode::NoRegime => "no_regime",
            ErrorCode::UnknownRegime => "unknown_regime",
        }
    }
}

/// A case that cannot be evaluated: the field (by its path, e.g.
/// `expenses[3].amount_yen`, or `$` for the whole document), a code, and a
/// Japanese message that says what is wrong and what to write instead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputError {
    pub code: ErrorCode,
    pub field: String,
    pub message: String,
}

impl InputError {
    pub(crate) fn new(
        code: ErrorCode,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        InputError {
            code,
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    /// One line: `field: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message.replace('\n', " "))
    }
}

impl std::error::Error for InputError {}
