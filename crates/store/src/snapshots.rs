//! `case_snapshots`: each case's evaluation as of a day, so that lists read
//! one row per case (filtered, sorted and paged in SQL) instead of running the
//! engine for every case on every load.
//!
//! Invariant: every case has a snapshot row from its creation on, and every
//! write to a case marks that row dirty in the write's own transaction
//! ([`mark_stale`]). [`Db::stale_cases`] names the rows that are dirty or
//! were made for another day or engine (an index lookup, not a scan);
//! callers refresh those before they read a page, so a list never shows an
//! outdated evaluation.

use crate::{
    case_from, Backend, CaseId, CaseRow, Db, OrganizationId, Result, Scope, Status, UserId,
    CASE_COLUMNS,
};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// Marks the case's snapshot dirty (creating its row for a new case); called
/// inside the transaction of every write to a case.
pub(crate) async fn mark_stale(tx: &mut Transaction<'_, Any>, case_id: CaseId) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_snapshots (case_id, case_version, as_of, engine, dirty) VALUES ($1, 0, '', '', 1) \
         ON CONFLICT (case_id) DO UPDATE SET dirty = 1",
    )
    .bind(case_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// How a subsidy stands in a snapshot (the engine's subsidy status).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Payable,
    NotPayable,
    Pending,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Payable => "payable",
            Verdict::NotPayable => "not_payable",
            Verdict::Pending => "pending",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        match s {
            "payable" => Some(Verdict::Payable),
            "not_payable" => Some(Verdict::NotPayable),
            "pending" => Some(Verdict::Pending),
            _ => None,
        }
    }

    /// How the verdict is shown to a user.
    pub fn label_ja(self) -> &'static str {
        match self {
            Verdict::Payable => "支給対象",
            Verdict::NotPayable => "不支給",
            Verdict::Pending => "判定待ち",
        }
    }
}

/// A case's evaluation as of one day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    pub case_id: CaseId,
    pub case_version: i64,
    /// The day it was evaluated as of (ISO).
    pub as_of: String,
    /// The engine version and the regime data it ran with.
    pub engine: String,
    pub regime: Option<String>,
    /// `None` when the case's inputs could not be evaluated.
    pub equipment: Option<Verdict>,
    pub equipment_yen: i64,
    pub goal: Option<Verdict>,
    pub goal_yen: i64,
    /// The next deadline's day (ISO), for filtering and sorting.
    pub deadline_date: Option<String>,
    /// The next deadline as the API shows it (JSON object).
    pub deadline_json: Option<String>,
    /// Why the inputs could not be evaluated, in Japanese.
    pub input_error: Option<String>,
}

/// The order of a list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Nearest deadline first; cases without one last.
    #[default]
    Deadline,
    /// Largest expected amount (both subsidies) first.
    Amount,
    /// Most recently changed first.
    Updated,
    /// Case number, newest first.
    Newest,
    /// By employer's name, then nearest deadline first.
    Employer,
    /// By employer's name, Z to A.
    EmployerDesc,
    /// Smallest expected amount first.
    AmountAsc,
    /// Case number, oldest first.
    Number,
    /// Received by the bureau longest ago first (most days waiting); cases
    /// never received last.
    Received,
    /// Received most recently first.
    ReceivedDesc,
    /// Nearest processing deadline first ([`ListQuery::processing_days`]
    /// after the day received); cases without one last.
    Processing,
    /// Farthest processing deadline first.
    ProcessingDesc,
}

impl Sort {
    pub fn parse(s: &str) -> Option<Sort> {
        match s {
            "deadline" | "" => Some(Sort::Deadline),
            "amount" => Some(Sort::Amount),
            "updated" => Some(Sort::Updated),
            "newest" => Some(Sort::Newest),
            "employer" => Some(Sort::Employer),
            "employer_desc" => Some(Sort::EmployerDesc),
            "amount_asc" => Some(Sort::AmountAsc),
            "number" => Some(Sort::Number),
            "received" => Some(Sort::Received),
            "received_desc" => Some(Sort::ReceivedDesc),
            "processing" => Some(Sort::Processing),
            "processing_desc" => Some(Sort::ProcessingDesc),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Deadline => "deadline",
            Sort::Amount => "amount",
            Sort::Updated => "updated",
            Sort::Newest => "newest",
            Sort::Employer => "employer",
            Sort::EmployerDesc => "employer_desc",
            Sort::AmountAsc => "amount_asc",
            Sort::Number => "number",
            Sort::Received => "received",
            Sort::ReceivedDesc => "received_desc",
            Sort::Processing => "processing",
            Sort::ProcessingDesc => "processing_desc",
        }
    }

    /// Every order, for tests and forms.
    pub const ALL: &'static [Sort] = &[
        Sort::Deadline,
        Sort::Amount,
        Sort::Updated,
        Sort::Newest,
        Sort::Employer,
        Sort::EmployerDesc,
        Sort::AmountAsc,
        Sort::Number,
        Sort::Received,
        Sort::ReceivedDesc,
        Sort::Processing,
        Sort::ProcessingDesc,
    ];

    fn order_by(self, q: &ListQuery, backend: Backend) -> String {
        let processing = || processing_due(&q.processing_days, backend);
        match self {
            Sort::Deadline => "(s.deadline_date IS NULL), s.deadline_date, c.id".into(),
            Sort::Amount => format!("{EXPECTED_YEN} DESC, c.id DESC"),
            Sort::AmountAsc => format!("{EXPECTED_YEN}, c.id"),
            Sort::Updated => "c.updated_at DESC, c.id DESC".into(),
            Sort::Newest => "c.id DESC".into(),
            Sort::Number => "c.id".into(),
            Sort::Employer => {
                "o.name, o.id, (s.deadline_date IS NULL), s.deadline_date, c.id".into()
            }
            Sort::EmployerDesc => "o.name DESC, o.id DESC, c.id".into(),
            Sort::Received => "(c.received_on IS NULL), c.received_on, c.id".into(),
            Sort::ReceivedDesc => "(c.received_on IS NULL), c.received_on DESC, c.id DESC".into(),
            Sort::Processing => {
                let p = processing();
                format!("({p} IS NULL), {p}, c.id")
            }
            Sort::ProcessingDesc => {
                let p = processing();
                format!("({p} IS NULL), {p} DESC, c.id DESC")
            }
        }
    }
}

/// The expected yen of a snapshot: each subsidy's amount unless the engine
/// finds it not payable (or could not evaluate it), whose amount is not
/// expected.
const EXPECTED_YEN: &str =
    "(CASE WHEN s.equipment_status IN ('payable', 'pending') THEN s.equipment_yen ELSE 0 END \
     + CASE WHEN s.goal_status IN ('payable', 'pending') THEN s.goal_yen ELSE 0 END)";

/// The SQL day of a case's processing deadline: its 受付日 plus the days
/// `days` gives its status (NULL for other statuses or no 受付日).
fn processing_due(days: &[(Status, i64)], backend: Backend) -> String {
    if days.is_empty() {
        return "CAST(NULL AS TEXT)".into();
    }
    let mut sql = String::from("(CASE c.status");
    for (status, n) in days {
        let add = match backend {
            Backend::Sqlite => format!("date(c.received_on, '+{n} days')"),
            Backend::Postgres => format!("CAST(CAST(c.received_on AS date) + {n} AS TEXT)"),
        };
        sql.push_str(&format!(" WHEN '{}' THEN {add}", status.as_str()));
    }
    sql.push_str(" END)");
    sql
}

/// Whose cases a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assignee {
    /// Those assigned to this user.
    User(UserId),
    /// Those assigned to no one.
    Nobody,
}

/// What a list shows: filters, order and page.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub status: Option<Status>,
    /// Only cases in one of these statuses (empty: any).
    pub statuses: Vec<Status>,
    /// Only this employer's cases.
    pub organization: Option<OrganizationId>,
    /// Only cases that need the applicant's action (a returned plan, a
    /// deadline on or before this day (ISO) with items missing, a predicted
    /// problem while the applicant can act).
    pub needs_action_by: Option<String>,
    /// Only open cases (not decided, closed or withdrawn).
    pub open_only: bool,
    /// Only cases whose next deadline is on or before this day (ISO).
    pub due_by: Option<String>,
    /// Only cases expecting at least this many yen (both subsidies).
    pub min_amount: Option<i64>,
    /// Words in the case title or the employer's name; digits (hyphens
    /// aside) also find the case number and the 雇用保険適用事業所番号.
    pub search: Option<String>,
    /// Only cases assigned to this officer, or to no one.
    pub assignee: Option<Assignee>,
    /// Days from the 受付日 to the processing deadline, per status waiting
    /// for the bureau (for [`Sort::Processing`]).
    pub processing_days: Vec<(Status, i64)>,
    pub sort: Sort,
    /// Rows to skip and rows to return (`None`: all).
    pub offset: i64,
    pub limit: Option<i64>,
}

/// One row of a list.
#[derive(Clone, Debug, Serialize)]
pub struct ListedCase {
    pub case: CaseRow,
    pub organization: String,
    pub snapshot: Snapshot,
    /// The day the bureau last received the case (ISO).
    pub received_on: Option<String>,
    /// The officer the case is assigned to, and their name.
    pub assignee_id: Option<UserId>,
    pub assignee: Option<String>,
    /// The employer's 雇用保険適用事業所番号 as the case states it.
    pub employment_insurance_number: Option<String>,
}

enum Bind {
    Int(i64),
    Text(String),
}

/// The `WHERE` condition of a scope (`o` is the organisation, `c` the case).
fn scope_condition(scope: &Scope, binds: &mut Vec<Bind>) -> String {
    match scope {
        Scope::All => "1 = 1".into(),
        Scope::Prefecture(p) => {
            binds.push(Bind::Int(*p));
            format!("o.prefecture = ${} AND c.status <> 'draft'", binds.len())
        }
        Scope::Organizations(ids) if ids.is_empty() => "1 = 0".into(),
        Scope::Organizations(ids) => {
            let list: Vec<String> = ids
                .iter()
                .map(|id| {
                    binds.push(Bind::Int(id.get()));
                    format!("${}", binds.len())
                })
                .collect();
            format!("c.organization_id IN ({})", list.join(", "))
        }
    }
}

/// The `WHERE` condition of a scope and its bound integers.
pub(crate) fn scope_sql(scope: &Scope) -> (String, Vec<i64>) {
    let mut binds = Vec::new();
    let cond = scope_condition(scope, &mut binds);
    let ints = binds
        .into_iter()
        .filter_map(|b| match b {
            Bind::Int(i) => Some(i),
            Bind::Text(_) => None,
        })
        .collect();
    (cond, ints)
}

fn bound<'q>(
    sql: &'q str,
    binds: &'q [Bind],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = match b {
            Bind::Int(i) => q.bind(*i),
            Bind::Text(t) => q.bind(t.as_str()),
        };
    }
    q
}

/// `%` and `_` in a user's search are literal.
fn like_pattern(words: &str) -> String {
    let mut p = String::from("%");
    for c in words.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The statuses in which the applicant can act on the first subsidy (not
/// with the bureau, not ended): where a predicted problem is theirs to mend.
pub const ACTIONABLE_FIRST: &[Status] = &[
    Status::Draft,
    Status::PlanReturned,
    Status::PlanCertified,
    Status::Evaluation,
];
/// The statuses in which the applicant can act on 目標達成助成.
pub const ACTIONABLE_GOAL: &[Status] = &[Status::EquipmentGranted, Status::GoalTracking];

/// What `deadline_json` holds when its deadline still has items missing: the
/// serialised `Deadline` of the application layer with a non-empty `missing`
/// list (`"missing":["…"]`; that layer tests the shape).
pub const DEADLINE_WITH_MISSING_LIKE: &str = "%\"missing\":[\"%";

fn status_list(statuses: &[Status]) -> String {
    statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The SQL condition "needs the applicant's action" (`c` the case, `s` its
/// snapshot; `$by` the bound last day that makes a deadline count): the plan
/// was returned; or the next deadline falls on or before `by` with items
/// still missing; or, while the applicant can still act, the engine predicts
/// that the subsidy in progress will not be paid or cannot evaluate the
/// inputs. `josei_app::overview::needs_action` is the same rule for one row.
fn needs_action_condition(by: usize) -> String {
    format!(
        "(c.status = 'plan_returned' \
         OR (s.deadline_date IS NOT NULL AND s.deadline_date <= ${by} AND s.deadline_json LIKE '{DEADLINE_WITH_MISSING_LIKE}') \
         OR (c.status IN ({first}) AND (s.equipment_status = 'not_payable' OR s.input_error IS NOT NULL)) \
         OR (c.status IN ({goal}) AND (s.goal_status = 'not_payable' OR s.input_error IS NOT NULL)))",
        first = status_list(ACTIONABLE_FIRST),
        goal = status_list(ACTIONABLE_GOAL),
    )
}

/// The `WHERE` conditions of a list in `scope` filtered by `q`.
fn list_conditions(
    scope: &Scope,
    q: &ListQuery,
    backend: Backend,
    binds: &mut Vec<Bind>,
) -> Vec<String> {
    let mut cond = vec![scope_condition(scope, binds)];
    if let Some(s) = q.status {
        binds.push(Bind::Text(s.as_str().into()));
        cond.push(format!("c.status = ${}", binds.len()));
    }
    if !q.statuses.is_empty() {
        cond.push(format!("c.status IN ({})", status_list(&q.statuses)));
    }
    if let Some(org) = q.organization {
        binds.push(Bind::Int(org.get()));
        cond.push(format!("c.organization_id = ${}", binds.len()));
    }
    if q.open_only {
        let closed: Vec<Status> = Status::ALL
            .iter()
            .copied()
            .filter(|s| !s.is_open())
            .collect();
        cond.push(format!("c.status NOT IN ({})", status_list(&closed)));
    }
    if let Some(d) = &q.due_by {
        binds.push(Bind::Text(d.clone()));
        cond.push(format!(
            "s.deadline_date IS NOT NULL AND s.deadline_date <= ${}",
            binds.len()
        ));
    }
    if let Some(d) = &q.needs_action_by {
        binds.push(Bind::Text(d.clone()));
        cond.push(needs_action_condition(binds.len()));
    }
    if let Some(m) = q.min_amount {
        binds.push(Bind::Int(m));
        cond.push(format!("{EXPECTED_YEN} >= ${}", binds.len()));
    }
    match q.assignee {
        Some(Assignee::User(u)) => {
            binds.push(Bind::Int(u.get()));
            cond.push(format!("c.assignee_id = ${}", binds.len()));
        }
        Some(Assignee::Nobody) => cond.push("c.assignee_id IS NULL".into()),
        None => {}
    }
    if let Some(words) = q.search.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        binds.push(Bind::Text(like_pattern(words)));
        let n = binds.len();
        let mut any = vec![
            format!("LOWER(c.title) LIKE ${n} ESCAPE '\\'"),
            format!("LOWER(o.name) LIKE ${n} ESCAPE '\\'"),
        ];
        let digits: String = words.chars().filter(|c| *c != '-').collect();
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            if let Ok(id) = digits.parse::<i64>() {
                binds.push(Bind::Int(id));
                any.push(format!("c.id = ${}", binds.len()));
            }
            binds.push(Bind::Text(like_pattern(&digits)));
            any.push(format!(
                "REPLACE(COALESCE({}, ''), '-', '') LIKE ${} ESCAPE '\\'",
                insurance_number(backend),
                binds.len()
            ));
        }
        cond.push(format!("({})", any.join(" OR ")));
    }
    cond
}

/// How many cases of one employer are in one status, how many of them need
/// the applicant's action and how many are due soon (open, next deadline on
/// or before the day asked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub organization_id: OrganizationId,
    pub status: Status,
    pub cases: i64,
    pub needs_action: i64,
    pub due: i64,
}

/// The 雇用保険適用事業所番号 in the case's employer document, as SQL text.
fn insurance_number(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "json_extract(c.employer_json, '$.employment_insurance_number')",
        Backend::Postgres => "(CAST(c.employer_json AS jsonb) ->> 'employment_insurance_number')",
    }
}

const SNAPSHOT_COLUMNS: &str = "s.case_id, s.case_version, s.as_of, s.engine, s.regime AS s_regime, s.equipment_status, s.equipment_yen, s.goal_status, s.goal_yen, s.deadline_date, s.deadline_json, s.input_error";

fn snapshot_from(r: &AnyRow) -> Result<Snapshot> {
    let verdict = |col: &str| -> Result<Option<Verdict>> {
        let v: Option<String> = r.try_get(col)?;
        Ok(v.as_deref().and_then(Verdict::parse))
    };
    Ok(Snapshot {
        case_id: r.try_get("case_id")?,
        case_version: r.try_get("case_version")?,
        as_of: r.try_get("as_of")?,
        engine: r.try_get("engine")?,
        regime: r.try_get("s_regime")?,
        equipment: verdict("equipment_status")?,
        equipment_yen: r.try_get("equipment_yen")?,
        goal: verdict("goal_status")?,
        goal_yen: r.try_get("goal_yen")?,
        deadline_date: r.try_get("deadline_date")?,
        deadline_json: r.try_get("deadline_json")?,
        input_error: r.try_get("input_error")?,
    })
}

impl Db {
    /// The cases in `scope` whose snapshot is dirty or was made for another
    /// day or another engine.
    pub async fn stale_cases(
        &self,
        scope: &Scope,
        as_of: &str,
        engine: &str,
    ) -> Result<Vec<CaseRow>> {
        // First the stale ids over every case, each term answered by its index
        // (usually none at all), then only those cases' rows within the scope.
        let ids: Vec<CaseId> = sqlx::query(
            "SELECT case_id FROM case_snapshots WHERE dirty = 1 \
             UNION SELECT case_id FROM case_snapshots WHERE as_of < $1 \
             UNION SELECT case_id FROM case_snapshots WHERE as_of > $1 \
             UNION SELECT case_id FROM case_snapshots WHERE engine < $2 \
             UNION SELECT case_id FROM case_snapshots WHERE engine > $2",
        )
        .bind(as_of)
        .bind(engine)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get::<CaseId, _>("case_id"))
        .collect::<std::result::Result<_, _>>()?;
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let mut binds = Vec::new();
            let cond = scope_condition(scope, &mut binds);
            let list: Vec<String> = chunk
                .iter()
                .map(|id| {
                    binds.push(Bind::Int(id.get()));
                    format!("${}", binds.len())
                })
                .collect();
            let sql = format!(
                "SELECT {CASE_COLUMNS} FROM cases c JOIN organizations o ON o.id = c.organization_id \
                 WHERE c.id IN ({}) AND {cond} ORDER BY c.id",
                list.join(", ")
            );
            for r in bound(&sql, &binds).fetch_all(&self.pool).await? {
                out.push(case_from(&r)?);
            }
        }
        Ok(out)
    }

    /// Stores snapshots (replacing the earlier one of the same case) in one
    /// transaction, as multi-row upserts. A snapshot made from a version the
    /// case has since left stays dirty, to be made again. Of two snapshots
    /// of the same case the later wins.
    pub async fn put_snapshots(&self, snapshots: &[Snapshot]) -> Result<()> {
        if snapshots.is_empty() {
            return Ok(());
        }
        // One row per case: PostgreSQL refuses to upsert a row twice in one
        // statement.
        let mut last = std::collections::HashMap::with_capacity(snapshots.len());
        for (i, s) in snapshots.iter().enumerate() {
            last.insert(s.case_id, i);
        }
        let rows: Vec<&Snapshot> = snapshots
            .iter()
            .enumerate()
            .filter(|(i, s)| last.get(&s.case_id) == Some(i))
            .map(|(_, s)| s)
            .collect();
        let mut tx = self.pool.begin().await?;
        crate::bulk::insert_values(
            &mut tx,
            self.backend,
            "INSERT INTO case_snapshots (case_id, case_version, as_of, engine, regime, equipment_status, equipment_yen, goal_status, goal_yen, deadline_date, deadline_json, input_error) ",
            12,
            &rows,
            " ON CONFLICT (case_id) DO UPDATE SET dirty = CASE WHEN (SELECT c.version FROM cases c WHERE c.id = excluded.case_id) = excluded.case_version THEN 0 ELSE 1 END, case_version = excluded.case_version, as_of = excluded.as_of, engine = excluded.engine, regime = excluded.regime, \
             equipment_status = excluded.equipment_status, equipment_yen = excluded.equipment_yen, goal_status = excluded.goal_status, goal_yen = excluded.goal_yen, \
             deadline_date = excluded.deadline_date, deadline_json = excluded.deadline_json, input_error = excluded.input_error",
            |b, _, s| {
                b.push_bind(s.case_id)
                    .push_bind(s.case_version)
                    .push_bind(s.as_of.as_str())
                    .push_bind(s.engine.as_str())
                    .push_bind(s.regime.as_deref())
                    .push_bind(s.equipment.map(Verdict::as_str))
                    .push_bind(s.equipment_yen)
                    .push_bind(s.goal.map(Verdict::as_str))
                    .push_bind(s.goal_yen)
                    .push_bind(s.deadline_date.as_deref())
                    .push_bind(s.deadline_json.as_deref())
                    .push_bind(s.input_error.as_deref());
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One page of the cases in `scope` that match `q`, with their snapshots
    /// and employers' names, and how many match in all. Cases without a
    /// snapshot are left out: refresh them first ([`Db::stale_cases`]).
    pub async fn list_page(&self, scope: &Scope, q: &ListQuery) -> Result<(Vec<ListedCase>, i64)> {
        let mut binds = Vec::new();
        let cond = list_conditions(scope, q, self.backend, &mut binds);
        let from = format!(
            "FROM cases c JOIN organizations o ON o.id = c.organization_id JOIN case_snapshots s ON s.case_id = c.id WHERE {}",
            cond.join(" AND ")
        );
        // Every case has a snapshot row (made with the case), so without a
        // filter on the snapshot the count needs only cases and organisations.
        let count_from =
            if q.due_by.is_none() && q.min_amount.is_none() && q.needs_action_by.is_none() {
                // (The search and the assignee read only cases and organisations.)
                from.replace(" JOIN case_snapshots s ON s.case_id = c.id", "")
            } else {
                from.clone()
            };
        let total: i64 = bound(&format!("SELECT COUNT(*) AS n {count_from}"), &binds)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let page = match q.limit {
            Some(l) => format!(" LIMIT {} OFFSET {}", l.max(0), q.offset.max(0)),
            None => String::new(),
        };
        // Order and cut on the narrow columns first, then read the page's rows
        // whole: the sort never carries the cases' documents.
        let ids: Vec<CaseId> = bound(
            &format!(
                "SELECT c.id AS id {from} ORDER BY {}{page}",
                q.sort.order_by(q, self.backend)
            ),
            &binds,
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get::<CaseId, _>("id"))
        .collect::<std::result::Result<_, _>>()?;
        let mut by_id = std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let mut chunk_binds = Vec::with_capacity(chunk.len());
            let list: Vec<String> = chunk
                .iter()
                .map(|id| {
                    chunk_binds.push(Bind::Int(id.get()));
                    format!("${}", chunk_binds.len())
                })
                .collect();
            let sql = format!(
                "SELECT {CASE_COLUMNS}, o.name AS org_name, {SNAPSHOT_COLUMNS}, c.received_on AS received_on, \
                 c.assignee_id AS assignee_id, a.display_name AS assignee_name \
                 FROM cases c JOIN organizations o ON o.id = c.organization_id \
                 JOIN case_snapshots s ON s.case_id = c.id LEFT JOIN users a ON a.id = c.assignee_id \
                 WHERE c.id IN ({})",
                list.join(", ")
            );
            for r in bound(&sql, &chunk_binds).fetch_all(&self.pool).await? {
                let case = case_from(&r)?;
                let employment_insurance_number =
                    serde_json::from_str::<serde_json::Value>(&case.employer_json)
                        .ok()
                        .and_then(|e| {
                            e.get("employment_insurance_number")
                                .and_then(|n| n.as_str())
                                .map(str::to_string)
                        })
                        .filter(|n| !n.trim().is_empty());
                let listed = ListedCase {
                    case,
                    organization: r.try_get("org_name")?,
                    snapshot: snapshot_from(&r)?,
                    received_on: r.try_get("received_on")?,
                    assignee_id: r.try_get("assignee_id")?,
                    assignee: r.try_get("assignee_name")?,
                    employment_insurance_number,
                };
                by_id.insert(listed.case.id, listed);
            }
        }
        let listed: Vec<ListedCase> = ids.iter().filter_map(|id| by_id.remove(id)).collect();
        Ok((listed, total))
    }

    /// The cases in `scope`, counted by employer and status: how many, how
    /// many need the applicant's action (deadlines up to `needs_action_by`)
    /// and how many open ones are due on or before `due_by` (ISO days). One
    /// grouped query over the snapshots (refresh them first).
    pub async fn tally(
        &self,
        scope: &Scope,
        needs_action_by: &str,
        due_by: &str,
    ) -> Result<Vec<Tally>> {
        let mut binds = Vec::new();
        let cond = scope_condition(scope, &mut binds);
        binds.push(Bind::Text(needs_action_by.to_string()));
        let needs = needs_action_condition(binds.len());
        binds.push(Bind::Text(due_by.to_string()));
        let due = binds.len();
        let closed: Vec<Status> = Status::ALL
            .iter()
            .copied()
            .filter(|s| !s.is_open())
            .collect();
        let sql = format!(
            "SELECT c.organization_id AS org, c.status AS status, COUNT(*) AS n, \
             SUM(CASE WHEN {needs} THEN 1 ELSE 0 END) AS needs, \
             SUM(CASE WHEN c.status NOT IN ({closed}) AND s.deadline_date IS NOT NULL AND s.deadline_date <= ${due} THEN 1 ELSE 0 END) AS due \
             FROM cases c JOIN organizations o ON o.id = c.organization_id JOIN case_snapshots s ON s.case_id = c.id \
             WHERE {cond} GROUP BY c.organization_id, c.status ORDER BY c.organization_id, c.status",
            closed = status_list(&closed),
        );
        bound(&sql, &binds)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                Ok(Tally {
                    organization_id: r.try_get("org")?,
                    status: Status::parse(&status).ok_or_else(|| {
                        crate::StoreError::Db(sqlx::Error::Decode(
                            format!("case has an unknown status {status:?}").into(),
                        ))
                    })?,
                    cases: r.try_get("n")?,
                    needs_action: r.try_get("needs")?,
                    due: r.try_get("due")?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_literal() {
        assert_eq!(like_pattern("50%_off"), "%50\\%\\_off%");
        assert_eq!(like_pattern("ABC"), "%abc%");
    }

    #[test]
    fn sorts_and_verdicts_round_trip() {
        for &s in Sort::ALL {
            assert_eq!(Sort::parse(s.as_str()), Some(s));
        }
        assert_eq!(Sort::parse("x"), None);
        for v in [Verdict::Payable, Verdict::NotPayable, Verdict::Pending] {
            assert_eq!(Verdict::parse(v.as_str()), Some(v));
        }
    }
}
