//! CSV imports of telework records and the roster: every bad row reported
//! (the first [`josei_store::import::MAX_REPORTED_ERRORS`] and a count),
//! nothing stored unless every row is good.

use crate::access::{require_role, visible_case};
use crate::cases::{save_document, CaseView};
use crate::{App, Error, Result};
pub use josei_store::import::ImportKind;
use josei_store::import::{Encoding, ImportError};
use josei_store::{CaseId, Role, User};
use serde::Serialize;
use serde_json::Value;

/// Whether imported rows are added to the stored ones or replace them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Append,
    Replace,
}

impl Mode {
    /// `None` (the default, append), `append` or `replace`.
    pub fn parse(s: Option<&str>) -> Result<Mode> {
        match s {
            None | Some("append") => Ok(Mode::Append),
            Some("replace") => Ok(Mode::Replace),
            Some(_) => Err(Error::invalid("mode", "mode は append か replace です")),
        }
    }
}

/// The rows of a CSV, read and checked but not stored.
pub struct Parsed {
    pub kind: ImportKind,
    pub rows: Vec<Value>,
    pub encoding: Encoding,
}

/// Reads `bytes` as a CSV of `kind` (UTF-8 with or without BOM, or Shift_JIS).
/// On failure: the bad rows, with line numbers as an editor shows them.
pub fn parse(kind: ImportKind, bytes: &[u8]) -> std::result::Result<Parsed, Vec<ImportError>> {
    let (rows, encoding) = match kind {
        ImportKind::Telework => josei_store::import::telework_csv(bytes)?,
        ImportKind::Roster => josei_store::import::roster_csv(bytes)?,
    };
    Ok(Parsed {
        kind,
        rows,
        encoding,
    })
}

/// What an import did.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub kind: ImportKind,
    pub rows: usize,
    pub encoding: Encoding,
    pub mode: Mode,
}

/// Why an import stored nothing.
pub enum Failure {
    /// Rows that cannot be read (the first 1,000 and a count in the last).
    Rows(Vec<ImportError>),
    /// Anything else: access, state, version, limits.
    Other(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Other(e)
    }
}

/// Imports a CSV into case `case_id` at `version` (employer or 社労士).
pub async fn import(
    app: &App,
    user: &User,
    case_id: CaseId,
    version: i64,
    kind: ImportKind,
    mode: Mode,
    bytes: &[u8],
) -> std::result::Result<(CaseView, Summary), Failure> {
    let case = visible_case(app, user, case_id).await?;
    require_role(user, &[Role::Employer, Role::Agent])?;
    let parsed = parse(kind, bytes).map_err(Failure::Rows)?;
    store(app, user, &case, version, parsed, mode)
        .await
        .map_err(Failure::Other)
}

/// Stores rows already read (the web's preview, once confirmed).
pub async fn store(
    app: &App,
    user: &User,
    case: &josei_store::CaseRow,
    version: i64,
    parsed: Parsed,
    mode: Mode,
) -> Result<(CaseView, Summary)> {
    require_role(user, &[Role::Employer, Role::Agent])?;
    let mut doc = app.db.case_document(case).await?;
    let rows = parsed.rows.len();
    josei_store::import::merge(&mut doc, parsed.kind, parsed.rows, mode == Mode::Replace);
    let view = save_document(app, case, version, doc, user).await?;
    Ok((
        view,
        Summary {
            kind: parsed.kind,
            rows,
            encoding: parsed.encoding,
            mode,
        },
    ))
}

/// Imports a CSV into case `case_id` from the command line, as the user named
/// `by` or as the system: the same checks as [`import`] but no role scope
/// (the operator holds the database). Returns the summary.
pub async fn import_as_operator(
    app: &App,
    case_id: CaseId,
    kind: ImportKind,
    mode: Mode,
    bytes: &[u8],
    by: Option<&str>,
) -> std::result::Result<Summary, Failure> {
    let case = app
        .db
        .case(case_id)
        .await
        .map_err(Error::from)?
        .ok_or_else(|| Error::not_found().with_field("case"))?;
    let by = match by {
        Some(name) => Some(
            app.db
                .user_by_username(name)
                .await
                .map_err(Error::from)?
                .ok_or_else(|| Error::invalid("by", format!("ユーザー {name} はいません")))?
                .id,
        ),
        None => None,
    };
    let parsed = parse(kind, bytes).map_err(Failure::Rows)?;
    let mut doc = app.db.case_document(&case).await.map_err(Error::from)?;
    let rows = parsed.rows.len();
    josei_store::import::merge(&mut doc, kind, parsed.rows, mode == Mode::Replace);
    crate::cases::save_checked(app, &case, case.version, doc, by, None).await?;
    Ok(Summary {
        kind,
        rows,
        encoding: parsed.encoding,
        mode,
    })
}
