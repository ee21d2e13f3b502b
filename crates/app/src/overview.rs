//! The applicant's overview (`/cases`): an employer's applications, or every
//! application of the employers that delegated to a 社労士. The words of
//! each stage as applicants say them ([`Stage`]), the rule that says a case
//! needs the applicant's action ([`needs_action`]), the filters read and
//! checked field by field ([`read_filters`]), and one page read from the
//! evaluation snapshots with the counts at the top, each employer's tally and
//! the amounts decided so far ([`overview`]).

use crate::access::{require_role, scope_of};
use crate::deadlines::{days_after, of_snapshot, Deadline};
use crate::engine::procedure_of;
use crate::text::forbidden_char;
use crate::{App, Result};
use jiff::civil::Date;
use josei_store::snapshots::{ACTIONABLE_FIRST, ACTIONABLE_GOAL};
use josei_store::workflow::Procedure;
use josei_store::{
    CaseRow, DecidedAmount, DecisionKind, ListQuery, ListedCase, OrganizationId, Outcome, Role,
    Scope, Snapshot, Sort, Status, Tally, User, Verdict,
};
use serde::Serialize;
use std::collections::HashMap;

/// Rows on one page of the overview.
pub const PER_PAGE: i64 = 50;

/// A deadline this close (days) with items missing needs the applicant's action.
pub const ACTION_WITHIN_DAYS: i64 = 30;

/// "Due this week": a deadline at most this many days ahead.
pub const WEEK_DAYS: i64 = 7;

/// Where an application stands, in the words applicants use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Stage {
    /// 準備中: being written, not yet sent.
    Preparing,
    /// 差戻し: the bureau returned the plan to be corrected.
    Returned,
    /// 審査中: with the bureau (a plan or an application).
    UnderReview,
    /// 計画認定: the plan is certified, the evaluation period not started.
    Certified,
    /// 評価期間中: evaluation period 1 is running.
    Evaluating,
    /// 目標達成に向けた取組中: the first subsidy granted, working towards the goal.
    TowardsGoal,
    /// 支給決定: a subsidy was granted.
    Granted,
    /// 不支給決定: a subsidy was refused.
    Denied,
    /// 計画不認定: the plan was not certified.
    Rejected,
    /// 完了.
    Closed,
    /// 取下げ.
    Withdrawn,
}

impl Stage {
    /// Every stage, in the order of an application's life.
    pub const ALL: &'static [Stage] = &[
        Stage::Preparing,
        Stage::Returned,
        Stage::UnderReview,
        Stage::Certified,
        Stage::Evaluating,
        Stage::TowardsGoal,
        Stage::Granted,
        Stage::Denied,
        Stage::Rejected,
        Stage::Closed,
        Stage::Withdrawn,
    ];

    /// The word shown (and sent by the filter form).
    pub fn label(self) -> &'static str {
        match self {
            Stage::Preparing => "準備中",
            Stage::Returned => "差戻し",
            Stage::UnderReview => "審査中",
            Stage::Certified => "計画認定",
            Stage::Evaluating => "評価期間中",
            Stage::TowardsGoal => "目標達成に向けた取組中",
            Stage::Granted => "支給決定",
            Stage::Denied => "不支給決定",
            Stage::Rejected => "計画不認定",
            Stage::Closed => "完了",
            Stage::Withdrawn => "取下げ",
        }
    }

    /// The stage written as `label` ([`Stage::label`]).
    pub fn parse(label: &str) -> Option<Stage> {
        Stage::ALL.iter().copied().find(|s| s.label() == label)
    }

    /// The stage of a case in `status`.
    pub fn of(status: Status) -> Stage {
        match status {
            Status::Draft => Stage::Preparing,
            Status::PlanReturned => Stage::Returned,
            Status::PlanSubmitted | Status::EquipmentFiled | Status::GoalFiled => {
                Stage::UnderReview
            }
            Status::PlanCertified => Stage::Certified,
            Status::Evaluation => Stage::Evaluating,
            Status::GoalTracking => Stage::TowardsGoal,
            Status::EquipmentGranted | Status::GoalGranted => Stage::Granted,
            Status::EquipmentDenied | Status::GoalDenied => Stage::Denied,
            Status::PlanRejected => Stage::Rejected,
            Status::Closed => Stage::Closed,
            Status::Withdrawn => Stage::Withdrawn,
        }
    }

    /// The statuses of this stage.
    pub fn statuses(self) -> Vec<Status> {
        Status::ALL
            .iter()
            .copied()
            .filter(|s| Stage::of(*s) == self)
            .collect()
    }
}

/// The name of the first subsidy of a procedure: 機器等導入助成 with a plan
/// (令和3〜6年度), 制度導入助成 without (令和7年度 on).
pub fn first_subsidy(procedure: Procedure) -> &'static str {
    match procedure {
        Procedure::Plan => "機器等導入助成",
        Procedure::NoPlan => "制度導入助成",
    }
}

/// Where a case in `status` stands, for its applicant: the stage and what it
/// is about, e.g. 「審査中（機器等導入助成の支給申請）」.
pub fn stage_text(status: Status, procedure: Procedure) -> String {
    let first = first_subsidy(procedure);
    let stage = Stage::of(status).label();
    match status {
        Status::Draft => match procedure {
            Procedure::Plan => format!("{stage}（計画の作成）"),
            Procedure::NoPlan => format!("{stage}（取組と申請の準備）"),
        },
        Status::PlanReturned => format!("{stage}（計画の修正）"),
        Status::PlanSubmitted => format!("{stage}（計画）"),
        Status::EquipmentFiled => format!("{stage}（{first}の支給申請）"),
        Status::GoalFiled => format!("{stage}（目標達成助成の支給申請）"),
        Status::Evaluation => format!("{stage}（{first}）"),
        Status::EquipmentGranted | Status::EquipmentDenied => format!("{stage}（{first}）"),
        Status::GoalGranted | Status::GoalDenied => format!("{stage}（目標達成助成）"),
        Status::PlanCertified
        | Status::PlanRejected
        | Status::GoalTracking
        | Status::Closed
        | Status::Withdrawn => stage.to_string(),
    }
}

/// Why a case needs its applicant's action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Attention {
    /// The bureau returned the plan.
    PlanReturned,
    /// A deadline within [`ACTION_WITHIN_DAYS`] with items still missing.
    DeadlineSoon { label: String, days_left: i64 },
    /// The engine predicts the subsidy in progress will not be paid (as the
    /// inputs stand: a draft may simply not be filled in yet).
    PredictedNotPayable {
        subsidy: &'static str,
        preparing: bool,
    },
    /// The inputs cannot be evaluated as they are.
    InputError,
}

impl Attention {
    /// What to tell the applicant.
    pub fn message(&self) -> String {
        match self {
            Attention::PlanReturned => {
                "計画が差し戻されました。修正して提出し直してください。".to_string()
            }
            Attention::DeadlineSoon { label, days_left } => {
                format!("{label}まであと{days_left}日です。まだ済んでいない項目があります。")
            }
            Attention::PredictedNotPayable {
                subsidy,
                preparing: false,
            } => {
                format!("このままでは{subsidy}の要件を満たしません。申請の画面で確認してください。")
            }
            Attention::PredictedNotPayable {
                subsidy,
                preparing: true,
            } => format!(
                "入力がまだ途中か、このままでは{subsidy}の要件を満たしません。申請の画面で確認してください。"
            ),
            Attention::InputError => {
                "入力に誤りがあり判定できません。申請の画面で確認してください。".to_string()
            }
        }
    }
}

/// Whether (and why) a case in `status` with snapshot `s` (made today)
/// needs its applicant's action: the plan was returned; the next
/// deadline is within [`ACTION_WITHIN_DAYS`] days with items still missing;
/// or, while the applicant can still act on a subsidy, the engine predicts it
/// will not be paid, or cannot evaluate the inputs. The store's
/// `needs_action_by` filter is the same rule in SQL.
pub fn needs_action(status: Status, s: &Snapshot, procedure: Procedure) -> Vec<Attention> {
    let mut out = Vec::new();
    if status == Status::PlanReturned {
        out.push(Attention::PlanReturned);
    }
    if let Some(d) = of_snapshot(s) {
        if d.days_left <= ACTION_WITHIN_DAYS && !d.missing.is_empty() {
            out.push(Attention::DeadlineSoon {
                label: d.label,
                days_left: d.days_left,
            });
        }
    }
    let (verdict, subsidy) = if ACTIONABLE_FIRST.contains(&status) {
        (Some(s.equipment), first_subsidy(procedure))
    } else if ACTIONABLE_GOAL.contains(&status) {
        (Some(s.goal), "目標達成助成")
    } else {
        (None, "")
    };
    match verdict {
        Some(_) if s.input_error.is_some() => out.push(Attention::InputError),
        Some(Some(Verdict::NotPayable)) => out.push(Attention::PredictedNotPayable {
            subsidy,
            preparing: status == Status::Draft,
        }),
        _ => {}
    }
    out
}

/// How one subsidy of a case stands in money, in the case page's words:
/// 支給決定額 or 不支給決定 once the bureau decided, else the 見込み額 (the
/// engine's figure from the paid expenses), never the estimate in place of a
/// decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Amount {
    /// Decided by the bureau: granted with the amount, or refused.
    Decided { granted: bool, yen: i64, on: String },
    /// Not decided: the engine's figure, and whether its requirements are
    /// failing as the case stands (a 見込み額 with a caution).
    Expected { yen: i64, failing: bool },
}

/// One subsidy's figure in a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SubsidyAmount {
    /// 機器等導入助成, 制度導入助成 or 目標達成助成.
    pub subsidy: &'static str,
    pub amount: Amount,
}

/// The figures of a case in `status`: each subsidy's decision (the latest),
/// else its 見込み額 while it can still be paid and is above zero (the goal
/// subsidy's once the first is granted), as the case page shows them.
pub fn amounts(
    status: Status,
    s: &Snapshot,
    decided: &[&DecidedAmount],
    first: &'static str,
) -> Vec<SubsidyAmount> {
    let decision = |kind| {
        decided
            .iter()
            .rev()
            .find(|d| d.kind == kind)
            .map(|d| Amount::Decided {
                granted: d.outcome == Outcome::Granted,
                yen: d.amount_yen,
                on: d.decided_at.clone(),
            })
    };
    let still_possible = !matches!(
        status,
        Status::PlanRejected | Status::EquipmentDenied | Status::Withdrawn | Status::Closed
    );
    let expected = |verdict: Option<Verdict>, yen: i64| {
        (still_possible && yen > 0 && verdict.is_some()).then_some(Amount::Expected {
            yen,
            failing: verdict == Some(Verdict::NotPayable),
        })
    };
    let mut out = Vec::new();
    let first_amount = decision(DecisionKind::Equipment);
    let first_granted = matches!(first_amount, Some(Amount::Decided { granted: true, .. }));
    if let Some(a) = first_amount.or_else(|| expected(s.equipment, s.equipment_yen)) {
        out.push(SubsidyAmount {
            subsidy: first,
            amount: a,
        });
    }
    let goal = decision(DecisionKind::Goal)
        .or_else(|| expected(s.goal, s.goal_yen).filter(|_| first_granted));
    if let Some(a) = goal {
        out.push(SubsidyAmount {
            subsidy: "目標達成助成",
            amount: a,
        });
    }
    out
}

/// One row of the overview.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub case: CaseRow,
    pub organization: String,
    pub stage: Stage,
    /// [`stage_text`] of the case.
    pub stage_text: String,
    pub procedure: Procedure,
    /// 機器等導入助成 or 制度導入助成.
    pub first_subsidy: &'static str,
    pub deadline: Option<Deadline>,
    pub amounts: Vec<SubsidyAmount>,
    pub attention: Vec<Attention>,
}

/// An employer the user acts for, with its cases counted.
#[derive(Clone, Debug, Serialize)]
pub struct Employer {
    pub id: OrganizationId,
    pub name: String,
    pub cases: i64,
    pub needs_action: i64,
    pub due_this_week: i64,
}

/// The counts at the top of the overview (over every case in scope).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Counts {
    pub cases: i64,
    pub due_this_week: i64,
    pub needs_action: i64,
    pub under_review: i64,
    pub preparing: i64,
}

/// The filters as the form sends them (text, checked here).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct Filters {
    pub q: Option<String>,
    pub employer: Option<String>,
    pub status: Option<String>,
    pub action: Option<String>,
    pub due_within: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
}

/// A filter that could not be read: the form field and what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FilterProblem {
    pub field: &'static str,
    pub message: String,
}

/// The sort orders offered, with their labels.
pub const SORTS: &[(&str, &str)] = &[
    ("deadline", "期限の近い順"),
    ("employer", "事業主名の順"),
    ("amount", "見込み額の多い順"),
    ("updated", "更新の新しい順"),
    ("newest", "作成の新しい順"),
];

/// What a user typed, shortened for a message.
fn echo(s: &str) -> String {
    let mut t: String = s.chars().take(20).collect();
    if s.chars().count() > 20 {
        t.push('…');
    }
    t
}

/// The store's query for `f` as of `today` among `employers` (the ones the
/// user acts for), and a problem for each filter that could not be read: that
/// filter is left out (never guessed) and the page says so.
pub fn read_filters(
    f: &Filters,
    today: Date,
    employers: &[OrganizationId],
) -> (ListQuery, Vec<FilterProblem>) {
    let mut problems = Vec::new();
    let mut problem =
        |field: &'static str, message: String| problems.push(FilterProblem { field, message });
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut q = ListQuery::default();
    if let Some(words) = text(&f.q) {
        if words.chars().count() > 100 {
            problem("q", "検索する言葉は100文字以内で入力してください。".into());
        } else if words.chars().any(|c| forbidden_char(c, false)) {
            problem("q", "検索する言葉に使えない文字が含まれています。".into());
        } else {
            q.search = Some(words);
        }
    }
    if let Some(e) = text(&f.employer) {
        match e
            .parse::<i64>()
            .ok()
            .map(OrganizationId::from)
            .filter(|id| employers.contains(id))
        {
            Some(id) => q.organization = Some(id),
            None => problem("employer", "事業主は一覧から選んでください。".into()),
        }
    }
    if let Some(s) = text(&f.status) {
        match Stage::parse(&s) {
            Some(stage) => q.statuses = stage.statuses(),
            None => problem(
                "status",
                format!(
                    "状態「{}」では絞り込めません。{}のいずれかを選んでください。",
                    echo(&s),
                    Stage::ALL
                        .iter()
                        .map(|s| s.label())
                        .collect::<Vec<_>>()
                        .join("・")
                ),
            ),
        }
    }
    if let Some(a) = text(&f.action) {
        if a == "1" {
            q.needs_action_by = days_after(today, ACTION_WITHIN_DAYS);
        } else {
            problem(
                "action",
                "「要対応のみ」は、チェックを付けるか外すかで指定してください。".into(),
            );
        }
    }
    if let Some(d) = text(&f.due_within) {
        match d.parse::<i64>() {
            Ok(n) if (0..=3660).contains(&n) => q.due_by = days_after(today, n),
            _ => problem(
                "due_within",
                "「期限まで」は 0〜3660 の日数で入力してください。".into(),
            ),
        }
    }
    if let Some(s) = text(&f.sort) {
        match Sort::parse(&s).filter(|s| SORTS.iter().any(|(k, _)| *k == s.as_str())) {
            Some(sort) => q.sort = sort,
            None => problem("sort", "並び順は一覧から選んでください。".into()),
        }
    }
    let page = match text(&f.page) {
        None => 1,
        Some(p) => match p.parse::<i64>() {
            Ok(n) if (1..=1_000_000).contains(&n) => n,
            _ => {
                problem("page", "ページは 1 以上の番号で指定してください。".into());
                1
            }
        },
    };
    q.offset = (page - 1) * PER_PAGE;
    q.limit = Some(PER_PAGE);
    (q, problems)
}

/// The overview of `user`'s applications filtered by `f`.
#[derive(Clone, Debug, Serialize)]
pub struct Overview {
    pub today: Date,
    pub rows: Vec<Row>,
    /// Rows matching the filters, over every page.
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    /// The first row's position (0 when none), from 1.
    pub first: i64,
    pub problems: Vec<FilterProblem>,
    /// Every employer the user acts for, by name.
    pub employers: Vec<Employer>,
    pub counts: Counts,
}

/// The procedure of a listed case: its regime's (the snapshot's for a draft), else today's.
fn procedure_of_row(case: &CaseRow, s: &Snapshot, today: Date) -> Procedure {
    let mut case = case.clone();
    if case.regime.is_none() {
        case.regime = s.regime.clone();
    }
    procedure_of(&case, None, today)
}

/// The row of `r` with the decisions `decided` on it.
pub fn row_of(r: ListedCase, decided: &[&DecidedAmount], today: Date) -> Row {
    let procedure = procedure_of_row(&r.case, &r.snapshot, today);
    let s = &r.snapshot;
    Row {
        stage: Stage::of(r.case.status),
        stage_text: stage_text(r.case.status, procedure),
        procedure,
        first_subsidy: first_subsidy(procedure),
        deadline: of_snapshot(s),
        amounts: amounts(r.case.status, s, decided, first_subsidy(procedure)),
        attention: needs_action(r.case.status, s, procedure),
        case: r.case,
        organization: r.organization,
    }
}

/// The employers `user` acts for, by name: an employer's own, a 社労士's
/// delegating employers, every employer for an administrator.
async fn employers_of(
    app: &App,
    user: &User,
    scope: &Scope,
) -> Result<Vec<(OrganizationId, String)>> {
    let mut orgs: Vec<(OrganizationId, String)> = app
        .db
        .list_orgs()
        .await?
        .into_iter()
        .filter(|o| match scope {
            Scope::All => true,
            Scope::Organizations(ids) => ids.contains(&o.id),
            Scope::Prefecture(_) => false,
        })
        .map(|o| (o.id, o.name))
        .collect();
    if user.role != Role::Employer {
        orgs.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    }
    Ok(orgs)
}

/// The overview for an employer, a 社労士 or an administrator (officers have
/// the queue): one page of the applications in scope matching `f` (snapshots
/// brought up to date first, filtered, sorted and paged in SQL), the counts
/// over every application in scope, each employer's tally and the decided
/// amounts of the page's rows.
pub async fn overview(app: &App, user: &User, f: &Filters) -> Result<Overview> {
    require_role(user, &[Role::Employer, Role::Agent, Role::Admin])?;
    let scope = scope_of(app, user).await?;
    let today = crate::snapshots::refresh_snapshots(app, &scope).await?;
    let orgs = employers_of(app, user, &scope).await?;
    let ids: Vec<OrganizationId> = orgs.iter().map(|(id, _)| *id).collect();
    let (q, problems) = read_filters(f, today, &ids);
    let (listed, total) = app.db.list_page(&scope, &q).await?;
    let case_ids: Vec<_> = listed.iter().map(|r| r.case.id).collect();
    let decided = app.db.decided_amounts(&case_ids).await?;
    let rows = listed
        .into_iter()
        .map(|r| {
            let mine: Vec<&DecidedAmount> =
                decided.iter().filter(|d| d.case_id == r.case.id).collect();
            row_of(r, &mine, today)
        })
        .collect();
    let action_by = days_after(today, ACTION_WITHIN_DAYS).unwrap_or_default();
    let week_by = days_after(today, WEEK_DAYS).unwrap_or_default();
    let tally = app.db.tally(&scope, &action_by, &week_by).await?;
    let (employers, counts) = summarize(&orgs, &tally);
    let per_page = q.limit.unwrap_or(PER_PAGE).max(1);
    Ok(Overview {
        today,
        rows,
        total,
        page: q.offset / per_page + 1,
        pages: ((total + per_page - 1) / per_page).max(1),
        first: if total > q.offset { q.offset + 1 } else { 0 },
        problems,
        employers,
        counts,
    })
}

/// Each employer's counts and the counts over all of them.
pub fn summarize(orgs: &[(OrganizationId, String)], tally: &[Tally]) -> (Vec<Employer>, Counts) {
    let mut by_org: HashMap<OrganizationId, Employer> = orgs
        .iter()
        .map(|(id, name)| {
            (
                *id,
                Employer {
                    id: *id,
                    name: name.clone(),
                    cases: 0,
                    needs_action: 0,
                    due_this_week: 0,
                },
            )
        })
        .collect();
    let mut counts = Counts::default();
    for t in tally {
        counts.cases += t.cases;
        counts.needs_action += t.needs_action;
        counts.due_this_week += t.due;
        match Stage::of(t.status) {
            Stage::UnderReview => counts.under_review += t.cases,
            Stage::Preparing | Stage::Returned => counts.preparing += t.cases,
            _ => {}
        }
        if let Some(e) = by_org.get_mut(&t.organization_id) {
            e.cases += t.cases;
            e.needs_action += t.needs_action;
            e.due_this_week += t.due;
        }
    }
    let employers = orgs
        .iter()
        .filter_map(|(id, _)| by_org.remove(id))
        .collect();
    (employers, counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadlines::DeadlineKind;
    use josei_store::CaseId;

    fn snapshot(
        equipment: Option<Verdict>,
        goal: Option<Verdict>,
        deadline: Option<Deadline>,
    ) -> Snapshot {
        Snapshot {
            case_id: CaseId::from(1),
            case_version: 1,
            as_of: "2026-11-21".into(),
            engine: "e".into(),
            regime: Some("R4".into()),
            equipment,
            equipment_yen: 100_000,
            goal,
            goal_yen: 50_000,
            deadline_date: deadline.as_ref().map(|d| d.date.to_string()),
            deadline_json: deadline.map(|d| serde_json::to_string(&d).unwrap()),
            input_error: None,
        }
    }

    fn deadline(days_left: i64, missing: &[&str]) -> Deadline {
        let today = jiff::civil::date(2026, 11, 21);
        let date = today
            .checked_add(jiff::Span::new().days(days_left))
            .unwrap();
        Deadline {
            kind: DeadlineKind::EquipmentApplication,
            label: "機器等導入助成の申請期限".into(),
            date,
            nominal: None,
            wareki: String::new(),
            days_left,
            missing: missing.iter().map(|m| m.to_string()).collect(),
        }
    }

    #[test]
    fn every_status_has_one_stage_and_each_stage_a_status() {
        for s in Status::ALL {
            let stage = Stage::of(*s);
            assert!(stage.statuses().contains(s));
            assert_eq!(Stage::parse(stage.label()), Some(stage));
        }
        for stage in Stage::ALL {
            assert!(!stage.statuses().is_empty(), "{stage:?}");
        }
        assert_eq!(
            Stage::UnderReview.statuses(),
            [
                Status::PlanSubmitted,
                Status::EquipmentFiled,
                Status::GoalFiled
            ]
        );
        assert_eq!(Stage::parse("plan_submitted"), None);
        assert_eq!(
            stage_text(Status::EquipmentFiled, Procedure::NoPlan),
            "審査中（制度導入助成の支給申請）"
        );
        assert_eq!(
            stage_text(Status::GoalTracking, Procedure::Plan),
            "目標達成に向けた取組中"
        );
        // Applicants never read the internal names.
        for s in Status::ALL {
            for p in [Procedure::Plan, Procedure::NoPlan] {
                assert!(!stage_text(*s, p).is_ascii());
            }
        }
    }

    /// The overview says what the case page says ([`crate::progress::summary`]).
    #[test]
    fn the_words_are_the_case_pages() {
        for s in Status::ALL {
            for procedure in [Procedure::Plan, Procedure::NoPlan] {
                let facts = crate::progress::Facts {
                    status: *s,
                    procedure,
                    evaluation: None,
                    decisions: &[],
                    target_workers: 0,
                    estimates: [None, None],
                    previous: None,
                    includes_planned: false,
                };
                assert_eq!(
                    crate::progress::summary(&facts).word,
                    Stage::of(*s).label(),
                    "{s:?}"
                );
            }
        }
    }

    #[test]
    fn what_needs_the_applicants_action() {
        let plan = Procedure::Plan;
        let calm = snapshot(Some(Verdict::Pending), Some(Verdict::Pending), None);
        assert_eq!(needs_action(Status::Evaluation, &calm, plan), []);
        assert_eq!(
            needs_action(Status::PlanReturned, &calm, plan),
            [Attention::PlanReturned]
        );
        // A deadline within 30 days with items missing; not at 31 days, nor with nothing missing.
        let soon = snapshot(
            Some(Verdict::Pending),
            None,
            Some(deadline(30, &["申請がまだです"])),
        );
        assert!(matches!(
            needs_action(Status::Evaluation, &soon, plan)[..],
            [Attention::DeadlineSoon { days_left: 30, .. }]
        ));
        let later = snapshot(
            Some(Verdict::Pending),
            None,
            Some(deadline(31, &["申請がまだです"])),
        );
        assert_eq!(needs_action(Status::Evaluation, &later, plan), []);
        let done = snapshot(Some(Verdict::Pending), None, Some(deadline(3, &[])));
        assert_eq!(needs_action(Status::Evaluation, &done, plan), []);
        // The engine's prediction counts while the applicant can act, on the subsidy in progress.
        let failing = snapshot(Some(Verdict::NotPayable), Some(Verdict::Payable), None);
        assert_eq!(
            needs_action(Status::Draft, &failing, Procedure::NoPlan),
            [Attention::PredictedNotPayable {
                subsidy: "制度導入助成",
                preparing: true,
            }]
        );
        assert_eq!(
            needs_action(Status::EquipmentFiled, &failing, plan),
            [],
            "with the bureau"
        );
        assert_eq!(
            needs_action(Status::GoalTracking, &failing, plan),
            [],
            "goal payable"
        );
        let goal_failing = snapshot(Some(Verdict::Payable), Some(Verdict::NotPayable), None);
        assert_eq!(
            needs_action(Status::GoalTracking, &goal_failing, plan),
            [Attention::PredictedNotPayable {
                subsidy: "目標達成助成",
                preparing: false,
            }]
        );
        assert_eq!(needs_action(Status::Closed, &goal_failing, plan), []);
        let mut broken = snapshot(None, None, None);
        broken.input_error = Some("日付がありません".into());
        assert_eq!(
            needs_action(Status::Draft, &broken, plan),
            [Attention::InputError]
        );
        assert_eq!(needs_action(Status::Withdrawn, &broken, plan), []);
        for a in [
            Attention::PlanReturned,
            Attention::InputError,
            Attention::PredictedNotPayable {
                subsidy: "目標達成助成",
                preparing: false,
            },
            Attention::PredictedNotPayable {
                subsidy: "制度導入助成",
                preparing: true,
            },
        ] {
            assert!(a.message().ends_with('。'));
        }
    }

    /// The store finds deadlines with items missing by the shape of the
    /// serialised deadline: the shape it looks for is this layer's.
    #[test]
    fn the_store_reads_missing_items_as_they_are_serialised() {
        let like = josei_store::snapshots::DEADLINE_WITH_MISSING_LIKE;
        let needle = like.trim_matches('%');
        let with = serde_json::to_string(&deadline(3, &["申請がまだです"])).unwrap();
        let without = serde_json::to_string(&deadline(3, &[])).unwrap();
        assert!(with.contains(needle), "{with}");
        assert!(!without.contains(needle), "{without}");
    }

    #[test]
    fn filters_are_read_or_named() {
        let today = jiff::civil::date(2026, 11, 21);
        let mine = [OrganizationId::from(3), OrganizationId::from(7)];
        let f = Filters {
            q: Some(" みなと ".into()),
            employer: Some("7".into()),
            status: Some("審査中".into()),
            action: Some("1".into()),
            due_within: Some("7".into()),
            sort: Some("employer".into()),
            page: Some("2".into()),
        };
        let (q, problems) = read_filters(&f, today, &mine);
        assert_eq!(problems, []);
        assert_eq!(q.search.as_deref(), Some("みなと"));
        assert_eq!(q.organization, Some(OrganizationId::from(7)));
        assert_eq!(q.statuses, Stage::UnderReview.statuses());
        assert_eq!(q.needs_action_by.as_deref(), Some("2026-12-21"));
        assert_eq!(q.due_by.as_deref(), Some("2026-11-28"));
        assert_eq!(q.sort, Sort::Employer);
        assert_eq!((q.offset, q.limit), (50, Some(50)));

        let bad = Filters {
            q: Some("あ".repeat(101)),
            employer: Some("8".into()),
            status: Some("plan_submitted".into()),
            action: Some("yes".into()),
            due_within: Some("soon".into()),
            sort: Some("cheapest".into()),
            page: Some("0".into()),
        };
        let (q, problems) = read_filters(&bad, today, &mine);
        let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "q",
                "employer",
                "status",
                "action",
                "due_within",
                "sort",
                "page"
            ]
        );
        assert!(
            problems[2].message.contains("「plan_submitted」")
                && problems[2].message.contains("審査中")
        );
        assert_eq!(
            (
                q.search,
                q.organization,
                q.statuses,
                q.needs_action_by,
                q.due_by,
                q.sort,
                q.offset
            ),
            (None, None, vec![], None, None, Sort::Deadline, 0)
        );
        // An employer the user does not act for reads like one that does not exist.
        let (_, p) = read_filters(
            &Filters {
                employer: Some("x".into()),
                ..Default::default()
            },
            today,
            &mine,
        );
        assert_eq!(p[0].message, "事業主は一覧から選んでください。");
        let (_, p) = read_filters(
            &Filters {
                q: Some("a\u{202E}b".into()),
                ..Default::default()
            },
            today,
            &mine,
        );
        assert_eq!(p[0].field, "q");
    }

    #[test]
    fn a_decision_replaces_the_estimate() {
        let first = "機器等導入助成";
        let granted = DecidedAmount {
            case_id: CaseId::from(1),
            kind: DecisionKind::Equipment,
            outcome: Outcome::Granted,
            amount_yen: 90_000,
            decided_at: "2026-11-01T00:00:00Z".into(),
            decided_on: "2026-11-01".into(),
        };
        let s = snapshot(Some(Verdict::Payable), Some(Verdict::Pending), None);
        // Before a decision: the first subsidy's 見込み額 only.
        assert_eq!(
            amounts(Status::Evaluation, &s, &[], first),
            [SubsidyAmount {
                subsidy: first,
                amount: Amount::Expected {
                    yen: 100_000,
                    failing: false
                }
            }]
        );
        // Granted: the decided amount, and now the goal subsidy's 見込み額.
        assert_eq!(
            amounts(Status::EquipmentGranted, &s, &[&granted], first),
            [
                SubsidyAmount {
                    subsidy: first,
                    amount: Amount::Decided {
                        granted: true,
                        yen: 90_000,
                        on: "2026-11-01T00:00:00Z".into()
                    }
                },
                SubsidyAmount {
                    subsidy: "目標達成助成",
                    amount: Amount::Expected {
                        yen: 50_000,
                        failing: false
                    }
                },
            ]
        );
        let denied = DecidedAmount {
            outcome: Outcome::Denied,
            amount_yen: 0,
            ..granted.clone()
        };
        assert_eq!(
            amounts(Status::EquipmentDenied, &s, &[&granted, &denied], first),
            [SubsidyAmount {
                subsidy: first,
                amount: Amount::Decided {
                    granted: false,
                    yen: 0,
                    on: "2026-11-01T00:00:00Z".into()
                }
            }],
            "the latest decision, and no estimate once nothing can be paid"
        );
        // Nothing to show for an empty draft; a failing estimate says so.
        let mut empty = snapshot(Some(Verdict::NotPayable), Some(Verdict::NotPayable), None);
        empty.equipment_yen = 0;
        assert_eq!(amounts(Status::Draft, &empty, &[], first), []);
        let failing = snapshot(Some(Verdict::NotPayable), None, None);
        assert_eq!(
            amounts(Status::Draft, &failing, &[], first)[0].amount,
            Amount::Expected {
                yen: 100_000,
                failing: true
            }
        );
        assert_eq!(amounts(Status::Withdrawn, &failing, &[], first), []);
    }

    #[test]
    fn counts_add_up_per_employer_and_overall() {
        let a = OrganizationId::from(1);
        let b = OrganizationId::from(2);
        let orgs = vec![(a, "あ商店".to_string()), (b, "い工業".to_string())];
        let t = |org, status, cases, needs_action, due| Tally {
            organization_id: org,
            status,
            cases,
            needs_action,
            due,
        };
        let (employers, counts) = summarize(
            &orgs,
            &[
                t(a, Status::Draft, 2, 1, 0),
                t(a, Status::EquipmentFiled, 1, 0, 0),
                t(a, Status::Evaluation, 3, 2, 2),
            ],
        );
        assert_eq!(
            employers.len(),
            2,
            "an employer without cases is listed too"
        );
        assert_eq!(
            (
                employers[0].cases,
                employers[0].needs_action,
                employers[0].due_this_week
            ),
            (6, 3, 2)
        );
        assert_eq!(employers[1].cases, 0);
        assert_eq!(
            (
                counts.cases,
                counts.needs_action,
                counts.due_this_week,
                counts.under_review,
                counts.preparing
            ),
            (6, 3, 2, 1, 2)
        );
    }
}
