//! CSV imports of telework records and the roster: every bad row reported
//! (the first [`josei_store::import::MAX_REPORTED_ERRORS`] and a count),
//! nothing stored unless every row is good. A file names people as the
//! employer knows them (its 従業員ID column holds the 社員番号, or the name):
//! each is matched to the plan's target worker by
//! [`crate::workers::worker_id_for`] ([`map_workers`]), and a person the plan
//! does not have is flagged in the preview.

use crate::access::{require_role, visible_case};
use crate::cases::{save_document, save_document_as, CaseView};
use crate::engine::{document_for_engine, run_engine};
use crate::{today, App, Error, Result};
use jiff::civil::Date;
use josei_rules::evaluate::{Evaluation, TeleworkResult, TurnoverRate};
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
    editable(case)?;
    if case.version != version {
        return Err(stale_page());
    }
    let mut doc = app.db.case_document(case).await?;
    let rows = parsed.rows.len();
    let mut imported = parsed.rows;
    map_workers(&doc, parsed.kind, &mut imported);
    josei_store::import::merge(&mut doc, parsed.kind, imported, mode == Mode::Replace);
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
    let mut imported = parsed.rows;
    map_workers(&doc, kind, &mut imported);
    josei_store::import::merge(&mut doc, kind, imported, mode == Mode::Replace);
    crate::cases::save_checked(app, &case, case.version, doc, by, None).await?;
    Ok(Summary {
        kind,
        rows,
        encoding: parsed.encoding,
        mode,
    })
}

// --- the preview: what the rows will do ----------------------------------------

/// Which evaluation period a telework row counts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CountsIn {
    /// The evaluation period (機器等導入助成 / 制度導入助成).
    Evaluation,
    /// The goal subsidy's evaluation period (目標達成助成).
    Goal,
}

impl CountsIn {
    pub fn label_ja(self) -> &'static str {
        match self {
            CountsIn::Evaluation => "評価期間の実績に数えます",
            CountsIn::Goal => "目標達成助成の評価期間の実績に数えます",
        }
    }
}

/// Why an imported row does not count (or needs a second look).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// モバイル勤務: not telework for this subsidy.
    Mobile,
    /// 出社: not telework.
    Office,
    /// A person the plan's target workers do not have (by id, 社員番号 or name).
    NotTarget,
    /// A day that has not come yet.
    Future,
    /// The evaluation period is not set yet.
    NoPeriod,
    /// Outside both evaluation periods.
    OutsidePeriod,
    /// The same worker and day again in the file (a day counts once).
    Repeated,
    /// Roster: hired after today.
    FutureHire,
}

impl Flag {
    /// The reason, for people.
    pub fn label_ja(self) -> &'static str {
        match self {
            Flag::Mobile => "モバイル勤務はテレワークに数えません",
            Flag::Office => "出社はテレワークに数えません",
            Flag::NotTarget => "計画の対象労働者にいない人です（社員番号か氏名を確かめてください）",
            Flag::Future => "まだ来ていない日です（その日が過ぎるまで実績になりません）",
            Flag::NoPeriod => "評価期間がまだ決まっていません",
            Flag::OutsidePeriod => "評価期間の外の日です",
            Flag::Repeated => "同じ人・同じ日の行がほかにもあります（1日1回として数えます）",
            Flag::FutureHire => "入社日が今日より後です",
        }
    }
}

/// One row of a preview: its cells as the template words them (in the
/// template's order; [`Preview::order`] gives the file's), where it counts,
/// and why not.
#[derive(Debug, Serialize)]
pub struct PreviewRow {
    pub cells: Vec<String>,
    pub counts_in: Option<CountsIn>,
    pub flags: Vec<Flag>,
}

/// Telework days of one target worker in the evaluation period.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct WorkerDays {
    pub worker: String,
    pub before: u32,
    pub after: u32,
}

/// The evaluation before and after the rows, as far as the rows change it.
#[derive(Debug, Default, Serialize)]
pub struct Effect {
    /// The evaluation period (機器等導入助成 / 制度導入助成), once known.
    pub period: Option<(Date, Date)>,
    pub goal_period: Option<(Date, Date)>,
    pub before: Option<TeleworkResult>,
    pub after: Option<TeleworkResult>,
    /// Days in all that test ② needs (with the rows).
    pub required_days: Option<u64>,
    pub workers: Vec<WorkerDays>,
    /// Turnover at the plan (or before the measures): before and after the rows.
    pub turnover_before: Option<TurnoverRate>,
    pub turnover_after: Option<TurnoverRate>,
    /// Why the case cannot be evaluated with the rows, if it cannot.
    pub error: Option<String>,
}

/// What a CSV would do to a case, before anything is stored.
#[derive(Debug, Serialize)]
pub struct Preview {
    pub kind: ImportKind,
    pub encoding: Encoding,
    pub mode: Mode,
    /// The template's columns in the file's order (indexes into
    /// [`josei_store::import::preview_headings`]).
    pub order: Vec<usize>,
    /// Headings of the file's columns the importer does not read.
    pub ignored_columns: Vec<String>,
    pub rows: Vec<PreviewRow>,
    /// Records of this kind the case holds now.
    pub existing: usize,
    pub effect: Effect,
}

impl Preview {
    /// Rows that do not count (or need a second look).
    pub fn flagged(&self) -> usize {
        self.rows.iter().filter(|r| !r.flags.is_empty()).count()
    }

    /// How many rows each reason flags, in the order of [`Flag`].
    pub fn flag_counts(&self) -> Vec<(Flag, usize)> {
        let mut out: Vec<(Flag, usize)> = Vec::new();
        for f in self.rows.iter().flat_map(|r| r.flags.iter().copied()) {
            match out.iter_mut().find(|(x, _)| *x == f) {
                Some((_, n)) => *n += 1,
                None => out.push((f, 1)),
            }
        }
        out.sort_by_key(|(f, _)| *f as u8);
        out
    }
}

/// Reads `bytes` as a CSV of `kind` for case `case_id` and says what storing
/// it with `mode` would do: each row where it counts or why it does not, the
/// target workers' days and tests ① and ② of the evaluation period before
/// and after (the engine's evaluation of the case with the rows merged; as
/// of today, so rows dated after today are flagged and left out of "after").
/// Nothing is stored. Employers and 社労士, while the records may change.
pub async fn preview(
    app: &App,
    user: &User,
    case_id: CaseId,
    kind: ImportKind,
    mode: Mode,
    bytes: &[u8],
) -> std::result::Result<Preview, Failure> {
    let case = visible_case(app, user, case_id).await?;
    require_role(user, &[Role::Employer, Role::Agent])?;
    editable(&case)?;
    let parsed = parse(kind, bytes).map_err(Failure::Rows)?;
    let (order, ignored_columns) = josei_store::import::file_layout(kind, bytes);
    let today = today(app).await?;
    let before = document_for_engine(app, &case, today, &[]).await?;
    let existing = before[kind.document_key()].as_array().map_or(0, Vec::len);
    // People as the plan knows them (the stored document keeps their names).
    let stored = app.db.case_document(&case).await.map_err(Error::from)?;
    let mut mapped = parsed.rows.clone();
    map_workers(&stored, kind, &mut mapped);
    // The effect as of today: a day that has not come is no telework done yet.
    let done: Vec<Value> = mapped
        .iter()
        .filter(|r| {
            kind != ImportKind::Telework
                || r["date"]
                    .as_str()
                    .and_then(|d| josei_rules::civil::parse_iso_date(d).ok())
                    .is_some_and(|d| d <= today)
        })
        .cloned()
        .collect();
    let mut after = before.clone();
    josei_store::import::merge(&mut after, kind, done, mode == Mode::Replace);
    let e_before = run_engine(&before).ok();
    let e_after = run_engine(&after);
    let (e_after, error) = match e_after {
        Ok(e) => (Some(e), None),
        // In words for the page: no field paths, no regime ids.
        Err(e) => (
            None,
            Some(
                crate::cases::EvaluationError {
                    code: e.code.as_str(),
                    field: e.field,
                    message: e.message,
                }
                .for_people(),
            ),
        ),
    };
    let regime = e_after
        .as_ref()
        .or(e_before.as_ref())
        .and_then(|(_, id)| josei_rules::regime::by_id(id));
    let counted = |place: &str| match (regime, josei_rules::model::Place::parse(place)) {
        (Some(r), Some(p)) => r.params.counts(p),
        (None, _) => matches!(place, "home" | "satellite_office"),
        _ => false,
    };
    let eval = e_after.as_ref().or(e_before.as_ref()).map(|(e, _)| e);
    let period = eval.and_then(|e| e.schedule.evaluation_period);
    let goal_period = eval.and_then(|e| e.schedule.goal_evaluation_period);
    let targets = target_ids(&after);
    let mut rows = judge_rows(
        kind,
        &mapped,
        &Judging {
            targets: &targets,
            period,
            goal_period,
            today,
            counted: &counted,
        },
    );
    // Each row as the file wrote it (never the plan's internal ids).
    for (row, written) in rows.iter_mut().zip(&parsed.rows) {
        row.cells = josei_store::import::preview_cells(kind, written);
    }
    let names = target_names(&stored, &targets);
    let workers = match period {
        Some(p) => {
            let b = days_per_worker(&before, &targets, p, &counted);
            let a = days_per_worker(&after, &targets, p, &counted);
            names
                .into_iter()
                .zip(b.into_iter().zip(a))
                .map(|(worker, (before, after))| WorkerDays {
                    worker,
                    before,
                    after,
                })
                .collect()
        }
        None => Vec::new(),
    };
    let tele = |e: &Option<(Evaluation, String)>| e.as_ref().and_then(|(e, _)| e.telework);
    let after_t = tele(&e_after);
    let required_days = match (regime, &after_t) {
        (Some(r), Some(t)) => Some(required_days(r, t)),
        _ => None,
    };
    let turnover = |e: &Option<(Evaluation, String)>| e.as_ref().and_then(|(e, _)| e.turnover.plan);
    Ok(Preview {
        kind,
        encoding: parsed.encoding,
        mode,
        order,
        ignored_columns,
        rows,
        existing,
        effect: Effect {
            period: period.map(|p| (p.from(), p.to())),
            goal_period: goal_period.map(|p| (p.from(), p.to())),
            before: tele(&e_before),
            after: after_t,
            required_days,
            workers,
            turnover_before: turnover(&e_before),
            turnover_after: turnover(&e_after),
            error,
        },
    })
}

/// What [`judge_rows`] judges rows against.
pub struct Judging<'a> {
    /// The plan's target workers.
    pub targets: &'a [String],
    pub period: Option<josei_rules::civil::Period>,
    pub goal_period: Option<josei_rules::civil::Period>,
    pub today: Date,
    /// Whether a day at this place (the case format's word) counts as telework.
    pub counted: &'a dyn Fn(&str) -> bool,
}

/// Where each imported row counts, or why it does not: telework at a place
/// that does not count, of a worker outside the plan, on a day not yet come,
/// outside both evaluation periods (or before one is set), or repeated; a
/// roster entry hired after today.
pub fn judge_rows(kind: ImportKind, rows: &[Value], cx: &Judging<'_>) -> Vec<PreviewRow> {
    match kind {
        ImportKind::Telework => {
            let mut seen = std::collections::HashSet::new();
            rows.iter()
                .map(|r| {
                    let (worker, date, place) = (
                        r["worker"].as_str().unwrap_or_default(),
                        r["date"].as_str().unwrap_or_default(),
                        r["place"].as_str().unwrap_or_default(),
                    );
                    let day = josei_rules::civil::parse_iso_date(date).ok();
                    let mut flags = Vec::new();
                    match place {
                        "mobile" => flags.push(Flag::Mobile),
                        "office" => flags.push(Flag::Office),
                        p if !(cx.counted)(p) => flags.push(Flag::Office),
                        _ => {}
                    }
                    if !cx.targets.iter().any(|t| t == worker) {
                        flags.push(Flag::NotTarget);
                    }
                    if day.is_some_and(|d| d > cx.today) {
                        flags.push(Flag::Future);
                    }
                    let counts_in = match (day, cx.period, cx.goal_period) {
                        (Some(d), Some(p), _) if p.contains(d) => Some(CountsIn::Evaluation),
                        (Some(d), _, Some(g)) if g.contains(d) => Some(CountsIn::Goal),
                        _ => None,
                    };
                    if counts_in.is_none() {
                        flags.push(if cx.period.is_none() {
                            Flag::NoPeriod
                        } else {
                            Flag::OutsidePeriod
                        });
                    }
                    if !seen.insert((worker, date)) {
                        flags.push(Flag::Repeated);
                    }
                    PreviewRow {
                        cells: josei_store::import::preview_cells(kind, r),
                        counts_in: counts_in.filter(|_| flags.is_empty()),
                        flags,
                    }
                })
                .collect()
        }
        ImportKind::Roster => rows
            .iter()
            .map(|r| {
                let hired = r["hired_on"]
                    .as_str()
                    .and_then(|d| josei_rules::civil::parse_iso_date(d).ok());
                PreviewRow {
                    cells: josei_store::import::preview_cells(kind, r),
                    counts_in: None,
                    flags: if hired.is_some_and(|d| d > cx.today) {
                        vec![Flag::FutureHire]
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect(),
    }
}

/// The ids of the plan's target workers, in the plan's order.
fn target_ids(doc: &Value) -> Vec<String> {
    doc.pointer("/plan/target_workers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|t| t["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// How people know each of `targets` (ids of the plan's target workers):
/// 氏名 and 社員番号 as the plan holds them, never an id the editor made up.
pub fn target_names(doc: &Value, targets: &[String]) -> Vec<String> {
    let workers = doc
        .pointer("/plan/target_workers")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    targets
        .iter()
        .map(|id| {
            workers
                .iter()
                .find(|w| w["id"].as_str() == Some(id.as_str()))
                .map_or_else(|| id.clone(), crate::printout::worker_name)
        })
        .collect()
}

/// Rewrites the people a CSV's rows name (a telework record's `worker`, a
/// roster entry's `id`) to the ids of the plan's target workers they are:
/// by id, then 社員番号, then a name no one else shares
/// ([`crate::workers::worker_id_for`]). Anyone else is left as written (a
/// roster lists every employee; a telework record of someone else is
/// flagged [`Flag::NotTarget`] in the preview).
pub fn map_workers(doc: &Value, kind: ImportKind, rows: &mut [Value]) {
    let key = match kind {
        ImportKind::Telework => "worker",
        ImportKind::Roster => "id",
    };
    for row in rows.iter_mut() {
        let Some(written) = row.get(key).and_then(Value::as_str) else {
            continue;
        };
        if let Some(id) = crate::workers::worker_id_for(doc, written) {
            if id != written {
                row[key] = Value::String(id.to_string());
            }
        }
    }
}

/// Telework days of each target worker in `period` at counted places, once
/// per worker per day (as the engine counts them).
pub fn days_per_worker(
    doc: &Value,
    targets: &[String],
    period: josei_rules::civil::Period,
    counted: &dyn Fn(&str) -> bool,
) -> Vec<u32> {
    let mut days: std::collections::HashMap<&str, std::collections::HashSet<&str>> =
        std::collections::HashMap::new();
    for t in doc["telework"].as_array().into_iter().flatten() {
        let (Some(w), Some(d), Some(p)) = (
            t["worker"].as_str(),
            t["date"].as_str(),
            t["place"].as_str(),
        ) else {
            continue;
        };
        let inside = josei_rules::civil::parse_iso_date(d).is_ok_and(|d| period.contains(d));
        if inside && counted(p) {
            days.entry(w).or_default().insert(d);
        }
    }
    targets
        .iter()
        .map(|w| days.get(w.as_str()).map_or(0, |s| s.len() as u32))
        .collect()
}

/// The fewest telework days in all that meet test ② (週平均1回以上).
pub fn required_days(regime: &josei_rules::regime::Regime, t: &TeleworkResult) -> u64 {
    let p = &regime.params;
    let per = match p.weekly_average_rule {
        josei_rules::regime::WeeklyAverageBasis::PerTargetWorker => u64::from(t.target_workers),
        josei_rules::regime::WeeklyAverageBasis::PerEstablishment => 1,
    };
    (u64::from(p.weekly_average_min_days_per_week) * per * u64::from(t.period_days)).div_ceil(7)
}

/// Imported records may change only while the case's records may, before
/// filing (after filing, an amendment: refused here).
fn editable(case: &josei_store::CaseRow) -> Result<()> {
    if case.status.records_editable() {
        Ok(())
    } else {
        Err(Error::conflict(format!(
            "この申請は「{}」のため、記録を取り込んだり削除したりできません",
            case.status.label_ja()
        )))
    }
}

/// The conflict of a write from a page the case has left.
fn stale_page() -> Error {
    Error::conflict(
        "この申請は、ほかの人が先に更新しました。画面を読み込み直してから、もう一度操作してください",
    )
}

// --- records: view and remove ----------------------------------------------------

/// One page of a case's records of one kind.
#[derive(Debug, Serialize)]
pub struct Records {
    pub kind: ImportKind,
    /// Each record's position in the whole list and the record.
    pub rows: Vec<(usize, Value)>,
    pub total: usize,
    /// From 1.
    pub page: usize,
    pub pages: usize,
}

/// Records per page.
pub const RECORDS_PER_PAGE: usize = 50;

/// Page `page` (from 1; past the end: the last) of case `case_id`'s records of `kind`.
pub async fn records(
    app: &App,
    user: &User,
    case_id: CaseId,
    kind: ImportKind,
    page: usize,
) -> Result<Records> {
    let case = visible_case(app, user, case_id).await?;
    let doc = app.db.case_document(&case).await?;
    Ok(page_of(&doc, kind, page))
}

/// Page `page` of the document's records of `kind`.
pub fn page_of(doc: &Value, kind: ImportKind, page: usize) -> Records {
    let all = doc[kind.document_key()]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let pages = all.len().div_ceil(RECORDS_PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let rows = all
        .iter()
        .enumerate()
        .skip((page - 1) * RECORDS_PER_PAGE)
        .take(RECORDS_PER_PAGE)
        .map(|(i, v)| (i, v.clone()))
        .collect();
    Records {
        kind,
        rows,
        total: all.len(),
        page,
        pages,
    }
}

/// Which records to remove.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Removal {
    /// Every record of the kind.
    All,
    /// The telework record of this worker and day.
    Telework { worker: String, date: String },
    /// The roster entry at this position, if it still has this id.
    Roster { index: usize, id: String },
}

/// Removes records of `kind` from case `case_id` at `version` (employers and
/// 社労士, before filing; after filing the stored inputs' locks refuse it as
/// they refuse any change without an amendment). Returns the case and how
/// many records went.
pub async fn remove(
    app: &App,
    user: &User,
    case_id: CaseId,
    version: i64,
    kind: ImportKind,
    removal: &Removal,
) -> Result<(CaseView, usize)> {
    let case = visible_case(app, user, case_id).await?;
    require_role(user, &[Role::Employer, Role::Agent])?;
    editable(&case)?;
    if case.version != version {
        return Err(stale_page());
    }
    let mut doc = app.db.case_document(&case).await?;
    let key = kind.document_key();
    let list = doc[key].as_array().cloned().unwrap_or_default();
    let kept: Vec<Value> = match (kind, removal) {
        (_, Removal::All) => Vec::new(),
        (ImportKind::Telework, Removal::Telework { worker, date }) => list
            .iter()
            .filter(|r| !(r["worker"] == worker.as_str() && r["date"] == date.as_str()))
            .cloned()
            .collect(),
        (ImportKind::Roster, Removal::Roster { index, id }) => {
            if list.get(*index).is_none_or(|r| r["id"] != id.as_str()) {
                return Err(stale_page());
            }
            let mut l = list.clone();
            l.remove(*index);
            l
        }
        _ => return Err(Error::invalid("row", "削除する行を選んでください")),
    };
    let removed = list.len() - kept.len();
    if removed == 0 {
        return Err(Error::conflict(
            "その記録はすでにありません。画面を読み込み直してください",
        ));
    }
    doc[key] = Value::Array(kept);
    let view = save_document_as(app, &case, version, doc, user, None).await?;
    Ok((view, removed))
}

/// How a template's example row names the plan's first target worker: by
/// 社員番号, else by name, else by an id the employer gave (never one the
/// plan editor made up); a value a spreadsheet would read as a formula is
/// passed over.
pub fn template_person(doc: &Value) -> Option<String> {
    let workers = doc.pointer("/plan/target_workers")?.as_array()?;
    let usable =
        |v: &str| !v.is_empty() && crate::text::formula_safe(v) == v && !v.contains(['\r', '\n']);
    let text = |w: &Value, k: &str| {
        w.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .map(str::to_string)
    };
    workers.iter().find_map(|w| {
        text(w, "employee_number")
            .filter(|v| usable(v))
            .or_else(|| text(w, "name").filter(|v| usable(v)))
            .or_else(|| text(w, "id").filter(|v| usable(v) && !crate::printout::is_editor_id(v)))
    })
}

/// A template of `kind` for case `case_id`: its first target worker (as
/// people know them, [`template_person`]) and the first day of its
/// evaluation period as the example (or neutral values).
pub async fn template(
    app: &App,
    user: &User,
    case_id: CaseId,
    kind: ImportKind,
) -> Result<Vec<u8>> {
    let case = visible_case(app, user, case_id).await?;
    let doc = app.db.case_document(&case).await?;
    let today = today(app).await?;
    let worker = template_person(&doc).unwrap_or_else(|| "1001".to_string());
    let day = doc["evaluation_start"]
        .as_str()
        .and_then(|d| josei_rules::civil::parse_iso_date(d).ok())
        .unwrap_or(today);
    let slash = format!("{}/{}/{}", day.year(), day.month(), day.day());
    Ok(match kind {
        ImportKind::Telework => josei_store::import::template(kind, &[&worker, &slash, "在宅"]),
        ImportKind::Roster => josei_store::import::template(kind, &[&worker, "2020/4/1", "", ""]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use josei_rules::civil::{parse_iso_date, Period};
    use serde_json::json;

    fn day(s: &str) -> Date {
        parse_iso_date(s).unwrap()
    }

    fn counted(p: &str) -> bool {
        matches!(p, "home" | "satellite_office")
    }

    #[test]
    fn every_row_that_will_not_count_says_why() {
        let csv = "従業員ID,日付,勤務場所\n\
                   E001,2022/8/3,在宅\n\
                   E002,2022/8/4,モバイル\n\
                   E003,2022/8/5,出社\n\
                   E009,2022/8/5,在宅\n\
                   E001,2022/9/30,サテライトオフィス\n\
                   E001,2023/1/10,在宅\n\
                   E001,2022/8/3,在宅\n\
                   E002,2023/8/2,在宅\n";
        let parsed = parse(ImportKind::Telework, csv.as_bytes()).unwrap();
        let targets = ["E001", "E002", "E003"].map(String::from);
        let cx = Judging {
            targets: &targets,
            period: Period::new(day("2022-08-01"), day("2022-10-31")),
            goal_period: Period::new(day("2023-08-01"), day("2023-10-31")),
            today: day("2022-08-20"),
            counted: &counted,
        };
        let rows = judge_rows(ImportKind::Telework, &parsed.rows, &cx);
        let got: Vec<(Option<CountsIn>, Vec<Flag>)> = rows
            .iter()
            .map(|r| (r.counts_in, r.flags.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (Some(CountsIn::Evaluation), vec![]),
                (None, vec![Flag::Mobile]),
                (None, vec![Flag::Office]),
                (None, vec![Flag::NotTarget]),
                (None, vec![Flag::Future]),
                (None, vec![Flag::Future, Flag::OutsidePeriod]),
                (None, vec![Flag::Repeated]),
                (None, vec![Flag::Future]),
            ]
        );
        // The cells speak the template's words.
        assert_eq!(rows[1].cells, ["E002", "2022-08-04", "モバイル"]);
        // Rows of the goal period count there once the day has come.
        let later = Judging {
            today: day("2023-12-01"),
            ..cx
        };
        let rows = judge_rows(ImportKind::Telework, &parsed.rows, &later);
        assert_eq!(rows[7].counts_in, Some(CountsIn::Goal));
        assert_eq!(
            rows[7].counts_in.unwrap().label_ja(),
            "目標達成助成の評価期間の実績に数えます"
        );
        // Before the evaluation period is set, nothing counts yet.
        let unset = Judging {
            period: None,
            goal_period: None,
            ..later
        };
        let rows = judge_rows(ImportKind::Telework, &parsed.rows, &unset);
        assert_eq!(rows[0].flags, [Flag::NoPeriod]);
        // Every reason has words, and none of them is a stored code.
        for f in [
            Flag::Mobile,
            Flag::Office,
            Flag::NotTarget,
            Flag::Future,
            Flag::NoPeriod,
            Flag::OutsidePeriod,
            Flag::Repeated,
            Flag::FutureHire,
        ] {
            let l = f.label_ja();
            assert!(
                !l.is_empty() && !l.is_ascii() && !l.contains("mobile") && !l.contains("office")
            );
        }
    }

    #[test]
    fn rows_find_the_plans_workers_by_number_or_name() {
        let doc = json!({"plan": {"target_workers": [
            {"id": "W001", "employment": "direct", "name": "山田 太郎", "employee_number": "1001"},
            {"id": "W002", "employment": "direct", "name": "佐藤 花子"},
            {"id": "W003", "employment": "direct", "name": "佐藤 花子", "employee_number": "1003"},
        ]}});
        let csv = "従業員ID,日付,勤務場所\n1001,2022/8/3,在宅\n山田 太郎,2022/8/3,在宅\nW002,2022/8/4,在宅\n1003,2022/8/4,在宅\n佐藤 花子,2022/8/5,在宅\n9999,2022/8/5,在宅\n";
        let mut rows = parse(ImportKind::Telework, csv.as_bytes()).unwrap().rows;
        map_workers(&doc, ImportKind::Telework, &mut rows);
        let workers: Vec<&str> = rows.iter().map(|r| r["worker"].as_str().unwrap()).collect();
        // By 社員番号, by a name no one else has, by id; a shared name and a
        // stranger stay as written (and are flagged).
        assert_eq!(
            workers,
            ["W001", "W001", "W002", "W003", "佐藤 花子", "9999"]
        );
        let targets = target_ids(&doc);
        let cx = Judging {
            targets: &targets,
            period: Period::new(day("2022-08-01"), day("2022-10-31")),
            goal_period: None,
            today: day("2022-11-01"),
            counted: &counted,
        };
        let judged = judge_rows(ImportKind::Telework, &rows, &cx);
        let flags: Vec<Vec<Flag>> = judged.iter().map(|r| r.flags.clone()).collect();
        assert_eq!(
            flags,
            [
                vec![],
                vec![Flag::Repeated],
                vec![],
                vec![],
                vec![Flag::NotTarget],
                vec![Flag::NotTarget]
            ]
        );
        assert!(Flag::NotTarget
            .label_ja()
            .starts_with("計画の対象労働者にいない人"));
        // The roster: target workers by their ids, everyone else as written.
        let mut roster = parse(
            ImportKind::Roster,
            "従業員ID,入社日,離職日,離職理由\n1001,2015/4/1,,\n2001,2016/4/1,,\n".as_bytes(),
        )
        .unwrap()
        .rows;
        map_workers(&doc, ImportKind::Roster, &mut roster);
        assert_eq!(
            (roster[0]["id"].as_str(), roster[1]["id"].as_str()),
            (Some("W001"), Some("2001"))
        );
        // Names as people know them, never the editor's ids.
        assert_eq!(
            target_names(&doc, &targets),
            [
                "山田 太郎（社員番号 1001）",
                "佐藤 花子",
                "佐藤 花子（社員番号 1003）"
            ]
        );
    }

    #[test]
    fn templates_name_the_first_worker_as_people_know_them() {
        let with = |w: Value| json!({"plan": {"target_workers": [w]}});
        assert_eq!(
            template_person(&with(
                json!({"id": "W001", "name": "山田 太郎", "employee_number": "1001"})
            ))
            .as_deref(),
            Some("1001")
        );
        assert_eq!(
            template_person(&with(json!({"id": "W001", "name": "山田 太郎"}))).as_deref(),
            Some("山田 太郎")
        );
        assert_eq!(
            template_person(&with(json!({"id": "E001"}))).as_deref(),
            Some("E001"),
            "the employer's own code"
        );
        assert_eq!(
            template_person(&with(json!({"id": "W001"}))),
            None,
            "never the editor's id"
        );
        assert_eq!(
            template_person(&with(
                json!({"id": "W001", "employee_number": "=1+1", "name": "鈴木"})
            ))
            .as_deref(),
            Some("鈴木"),
            "no formula"
        );
        assert_eq!(template_person(&json!({})), None);
    }

    #[test]
    fn a_roster_entry_hired_after_today_is_flagged() {
        let csv = "従業員ID,入社日,離職日,離職理由\nE1,2015/4/1,,\nE2,2022/9/1,,\n";
        let parsed = parse(ImportKind::Roster, csv.as_bytes()).unwrap();
        let cx = Judging {
            targets: &[],
            period: None,
            goal_period: None,
            today: day("2022-08-20"),
            counted: &counted,
        };
        let rows = judge_rows(ImportKind::Roster, &parsed.rows, &cx);
        assert!(rows[0].flags.is_empty());
        assert_eq!(rows[1].flags, [Flag::FutureHire]);
        assert_eq!(rows[1].cells, ["E2", "2022-09-01", "", ""]);
    }

    #[test]
    fn days_per_worker_count_as_the_engine_counts() {
        let doc = json!({"telework": [
            {"worker": "E001", "date": "2022-08-03", "place": "home"},
            {"worker": "E001", "date": "2022-08-03", "place": "satellite_office"},
            {"worker": "E001", "date": "2022-08-04", "place": "mobile"},
            {"worker": "E002", "date": "2022-07-31", "place": "home"},
            {"worker": "E002", "date": "2022-10-31", "place": "home"},
            {"worker": "E009", "date": "2022-08-05", "place": "home"},
        ]});
        let targets = ["E001", "E002", "E003"].map(String::from);
        let p = Period::new(day("2022-08-01"), day("2022-10-31")).unwrap();
        assert_eq!(days_per_worker(&doc, &targets, p, &counted), [1, 1, 0]);
        // Test ②: 3 workers × 92 days ÷ 7, rounded up (per target worker, R4).
        let r4 = josei_rules::regime::by_id("R4").unwrap();
        let t = TeleworkResult {
            target_workers: 3,
            workers_with_telework: 2,
            telework_days: 2,
            period_days: 92,
            all_workers_once: false,
            weekly_average_met: false,
            before_count: None,
            growth_met: None,
            met: false,
        };
        assert_eq!(required_days(r4, &t), 40);
    }

    #[test]
    fn records_come_a_page_at_a_time() {
        let rows: Vec<Value> = (0..120).map(|i| json!({"id": format!("E{i}")})).collect();
        let doc = json!({"roster": rows});
        let p = page_of(&doc, ImportKind::Roster, 3);
        assert_eq!((p.page, p.pages, p.total, p.rows.len()), (3, 3, 120, 20));
        assert_eq!(p.rows[0].0, 100);
        assert_eq!(
            page_of(&doc, ImportKind::Roster, 99).page,
            3,
            "past the end: the last"
        );
        assert_eq!(page_of(&doc, ImportKind::Roster, 0).page, 1);
        let empty = page_of(&doc, ImportKind::Telework, 1);
        assert_eq!((empty.total, empty.pages), (0, 1));
    }
}
