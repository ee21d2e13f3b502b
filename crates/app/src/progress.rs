//! Where an application stands, in the applicant's words: one status word
//! and what it means ([`summary`]), the amounts (見込み額 until the bureau
//! decides, then the 支給決定額 it decided, never the engine's figure in its
//! place), the steps of the case's procedure ([`steps`]), what is left to do
//! ([`todo`]) and the bureau's decisions and returns with their reasons
//! ([`bureau_notices`]).
//!
//! Everything here is pure but [`bureau_notices`] and [`case_progress`],
//! which read the decisions and the audit log.

use crate::documents::DocItem;
use crate::{App, Result};
use jiff::civil::Date;
use josei_rules::civil::parse_iso_date;
use josei_rules::evaluate::{Check, CheckId, CheckStatus, Evaluation};
use josei_store::workflow::{self, Procedure, Status};
use josei_store::{CaseRow, Decision, DecisionKind, Outcome, Role};
use serde::Serialize;

/// How a status reads: a neutral step, waiting for the bureau, good news, bad news.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Neutral,
    Waiting,
    Good,
    Bad,
}

/// Which figure an [`Amount`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountKind {
    /// The engine's or the plan's figure before any decision: 「見込み額」.
    Estimate,
    /// The amount the bureau decided: 「支給決定額」.
    Decided,
    /// The bureau decided not to pay: 「不支給決定」 (no amount shown).
    Denied,
}

/// One subsidy's figure for the applicant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Amount {
    /// 機器等導入助成, 制度導入助成 or 目標達成助成.
    pub subsidy: String,
    pub kind: AmountKind,
    pub yen: i64,
    /// A caution next to the figure (an estimate whose requirements are not met).
    pub note: Option<String>,
}

impl Amount {
    /// The figure's name on a page.
    pub fn label(&self) -> &'static str {
        match self.kind {
            AmountKind::Estimate => "見込み額",
            AmountKind::Decided => "支給決定額",
            AmountKind::Denied => "不支給決定",
        }
    }
}

/// The applicant-facing status of a case.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// The big word: 準備中, 審査中, 差戻し, 計画認定, 評価期間中, 支給決定, 不支給決定, …
    pub word: String,
    pub tone: Tone,
    /// One or two sentences: what the word means and what comes next.
    pub detail: String,
    pub amounts: Vec<Amount>,
}

/// What [`summary`], [`steps`] and [`todo`] need to know about a case.
#[derive(Clone, Copy)]
pub struct Facts<'a> {
    pub status: Status,
    pub procedure: Procedure,
    pub evaluation: Option<&'a Evaluation>,
    /// The bureau's decisions on the case, oldest first.
    pub decisions: &'a [Decision],
    /// How many target workers the case names.
    pub target_workers: usize,
    /// The 見込み額 of the first subsidy and of the goal subsidy, when known
    /// (planned and paid expenses); else the engine's amounts stand in.
    pub estimates: [Option<i64>; 2],
    /// For a closed or withdrawn case, the state it was in before.
    pub previous: Option<Status>,
    /// Whether the estimates count expense items not yet paid (予定).
    pub includes_planned: bool,
}

impl Facts<'_> {
    /// The first subsidy's name: 機器等導入助成 (plan regimes) or 制度導入助成.
    pub fn first_name(&self) -> &'static str {
        match (self.evaluation, self.procedure) {
            (Some(e), _) => e.equipment_subsidy.name,
            (None, Procedure::Plan) => "機器等導入助成",
            (None, Procedure::NoPlan) => "制度導入助成",
        }
    }

    fn decision(&self, kind: DecisionKind) -> Option<&Decision> {
        self.decisions.iter().rev().find(|d| d.kind == kind)
    }

    /// The failing checks that stop a subsidy, leaving out what only says
    /// the case is still being filled in (no target worker named yet).
    fn blocking<'e>(&self, checks: &'e [Check]) -> Vec<&'e Check> {
        checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .filter(|c| !(c.id == CheckId::DirectTargetWorker && self.target_workers == 0))
            .filter(|c| c.id != CheckId::EquipmentSubsidy)
            .collect()
    }
}

/// The applicant-facing status: the word, what it means, and the amounts.
/// A draft is 準備中 (never 不支給); a filed application is 審査中 (never
/// 支給対象) until the bureau decides; a decided subsidy shows the amount the
/// bureau decided.
pub fn summary(f: &Facts) -> Summary {
    use Status::*;
    let first = f.first_name();
    let (word, tone, detail): (&str, Tone, String) = match f.status {
        Draft => match f.procedure {
            Procedure::Plan => (
                "準備中",
                Tone::Neutral,
                "テレワーク実施計画を作成しています。まだ労働局には提出していません。".into(),
            ),
            Procedure::NoPlan => (
                "準備中",
                Tone::Neutral,
                "評価期間の前3か月に行う取組（職場風土作り・就業規則・研修など）を準備しています。まだ労働局には何も送っていません。".into(),
            ),
        },
        PlanSubmitted => (
            "審査中",
            Tone::Waiting,
            "計画を労働局に提出しました。労働局が審査しています。認定の結果をお待ちください（認定までに1か月ほどかかります）。".into(),
        ),
        PlanReturned => (
            "差戻し",
            Tone::Bad,
            "労働局から計画が差し戻されました。下の理由を確かめ、計画を直してから、もう一度提出してください。".into(),
        ),
        PlanRejected => (
            "計画不認定",
            Tone::Bad,
            "労働局は計画を認定しませんでした。理由は下の「労働局からの決定」にあります。".into(),
        ),
        PlanCertified => (
            "計画認定",
            Tone::Good,
            "計画が認定されました。計画に沿って取組（就業規則の整備、職場風土作り、機器の導入など）を行い、評価期間を始めてください。".into(),
        ),
        Evaluation => (
            "評価期間中",
            Tone::Neutral,
            "評価期間中です。対象労働者のテレワークの実績を記録してください。評価期間が終わったら支給申請ができます。".into(),
        ),
        EquipmentFiled => (
            "審査中",
            Tone::Waiting,
            format!("{first}を申請しました。労働局が審査しています。支給・不支給の決定をお待ちください。"),
        ),
        EquipmentGranted => (
            "支給決定",
            Tone::Good,
            format!("{first}の支給が決定しました。次は目標達成助成です。目標達成に向けた取組を始めてください。"),
        ),
        EquipmentDenied => (
            "不支給決定",
            Tone::Bad,
            format!("{first}は支給しないと決定されました。理由は下の「労働局からの決定」にあります。"),
        ),
        GoalTracking => (
            "目標達成に向けた取組中",
            Tone::Neutral,
            "目標達成助成の評価期間（1年後の3か月間）に向けて、テレワークを続け、労働者名簿を最新にしてください。".into(),
        ),
        GoalFiled => (
            "審査中",
            Tone::Waiting,
            "目標達成助成を申請しました。労働局が審査しています。支給・不支給の決定をお待ちください。".into(),
        ),
        GoalGranted => (
            "支給決定",
            Tone::Good,
            "目標達成助成の支給が決定しました。".into(),
        ),
        GoalDenied => (
            "不支給決定",
            Tone::Bad,
            "目標達成助成は支給しないと決定されました。理由は下の「労働局からの決定」にあります。".into(),
        ),
        Closed => (
            "完了",
            Tone::Neutral,
            "この申請の手続きは終わりました。".into(),
        ),
        Withdrawn => (
            "取下げ",
            Tone::Neutral,
            "この申請は取り下げられました。労働局の審査は行われません。".into(),
        ),
    };
    let mut amounts = Vec::new();
    let still_possible = !matches!(
        f.status,
        PlanRejected | EquipmentDenied | Withdrawn | Closed
    );
    // The first subsidy: decided, or estimated while still possible.
    match f.decision(DecisionKind::Equipment) {
        Some(d) => amounts.push(decided(first, d)),
        None if still_possible => {
            if let Some(a) = estimate(f, 0) {
                amounts.push(a);
            }
        }
        None => {}
    }
    // The goal subsidy: once the first is granted.
    let first_granted = f
        .decision(DecisionKind::Equipment)
        .is_some_and(|d| d.outcome == Outcome::Granted);
    match f.decision(DecisionKind::Goal) {
        Some(d) => amounts.push(decided("目標達成助成", d)),
        None if still_possible && first_granted => {
            if let Some(a) = estimate(f, 1) {
                amounts.push(a);
            }
        }
        None => {}
    }
    let mut detail = detail;
    if f.status == Draft
        && f.procedure == Procedure::Plan
        && !amounts.iter().any(|a| a.kind == AmountKind::Estimate)
    {
        detail.push_str("見込み額は、計画に経費を入力すると表示されます。");
    }
    Summary {
        word: word.to_string(),
        tone,
        detail,
        amounts,
    }
}

fn decided(subsidy: &str, d: &Decision) -> Amount {
    match d.outcome {
        Outcome::Granted => Amount {
            subsidy: subsidy.to_string(),
            kind: AmountKind::Decided,
            yen: d.decided_amount_yen,
            note: None,
        },
        Outcome::Denied => Amount {
            subsidy: subsidy.to_string(),
            kind: AmountKind::Denied,
            yen: 0,
            note: None,
        },
    }
}

/// The 見込み額 of subsidy `which` (0: the first, 1: the goal subsidy), if
/// there is a figure above zero; with a caution when a requirement fails.
fn estimate(f: &Facts, which: usize) -> Option<Amount> {
    let e = f.evaluation;
    let (name, engine_amount, checks): (&str, Option<i64>, &[Check]) = match (which, e) {
        (0, Some(e)) => (
            e.equipment_subsidy.name,
            Some(e.equipment_subsidy.amount_yen.0 as i64),
            &e.equipment_subsidy.checks,
        ),
        (_, Some(e)) => (
            e.goal_subsidy.name,
            Some(e.goal_subsidy.amount_yen.0 as i64),
            &e.goal_subsidy.checks,
        ),
        (0, None) => (f.first_name(), None, &[]),
        (_, None) => ("目標達成助成", None, &[]),
    };
    let yen = f.estimates[which.min(1)].or(engine_amount)?;
    if yen <= 0 {
        return None;
    }
    let blocking = f.blocking(checks);
    let note = if blocking.is_empty() {
        Some(format!(
            "{}要件をすべて満たした場合の額です。最終的な額は労働局が決定します。",
            if f.includes_planned && which == 0 {
                "予定の経費を支払った場合を含め、"
            } else {
                ""
            }
        ))
    } else {
        Some(format!(
            "このままでは要件を満たしていない項目が{}件あり、支給されません。下の「やること」を確かめてください。",
            blocking.len()
        ))
    };
    Some(Amount {
        subsidy: name.to_string(),
        kind: AmountKind::Estimate,
        yen,
        note,
    })
}

/// Where a step of the procedure stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    Done,
    Current,
    Upcoming,
    /// The case stopped here: not certified, not paid, or withdrawn.
    Stopped,
}

/// One step of a procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub label: String,
    pub state: StepState,
    /// A word on the current step (審査中, 差戻し, 不支給決定, 取下げ, …).
    pub note: Option<String>,
}

impl Step {
    /// Whether this is the step the case is at (`aria-current="step"`).
    pub fn is_current(&self) -> bool {
        matches!(self.state, StepState::Current | StepState::Stopped)
    }
}

/// The labels of a procedure's steps, in order.
pub fn step_labels(procedure: Procedure) -> Vec<String> {
    match procedure {
        Procedure::Plan => vec![
            "計画作成".into(),
            "計画提出".into(),
            "計画認定".into(),
            "評価期間".into(),
            "機器等導入助成の支給申請".into(),
            "支給決定".into(),
            "目標達成の評価期間".into(),
            "目標達成助成の支給申請".into(),
            "支給決定".into(),
        ],
        Procedure::NoPlan => vec![
            "取組（職場風土作り・就業規則・研修）".into(),
            "評価期間".into(),
            "制度導入助成の支給申請".into(),
            "支給決定".into(),
            "目標達成の評価期間".into(),
            "目標達成助成の支給申請".into(),
            "支給決定".into(),
        ],
    }
}

/// The step a case in `status` is at, with its state and note.
fn position(
    procedure: Procedure,
    status: Status,
) -> Option<(usize, StepState, Option<&'static str>)> {
    use Status::*;
    use StepState::{Current, Done, Stopped};
    // In the no-plan procedure the plan's three steps are one.
    let shift = |i: usize| match procedure {
        Procedure::Plan => i,
        Procedure::NoPlan => i.saturating_sub(2),
    };
    Some(match status {
        Draft => (0, Current, None),
        PlanReturned => (0, Current, Some("差戻し：直して再提出")),
        PlanSubmitted => (1, Current, Some("労働局が審査中")),
        PlanCertified => (2, Done, Some("認定済み")),
        PlanRejected => (2, Stopped, Some("不認定")),
        Evaluation => (shift(3), Current, None),
        EquipmentFiled => (shift(4), Current, Some("労働局が審査中")),
        EquipmentGranted => (shift(5), Done, None),
        EquipmentDenied => (shift(5), Stopped, Some("不支給決定")),
        GoalTracking => (shift(6), Current, None),
        GoalFiled => (shift(7), Current, Some("労働局が審査中")),
        GoalGranted => (shift(8), Done, None),
        GoalDenied => (shift(8), Stopped, Some("不支給決定")),
        Closed | Withdrawn => return None,
    })
}

/// The steps of the case's procedure, the one it is at marked current.
/// A closed or withdrawn case is shown at the step it left (`previous`);
/// a withdrawn case stops there.
pub fn steps(f: &Facts) -> Vec<Step> {
    let labels = step_labels(f.procedure);
    let at = match f.status {
        Status::Closed => f.previous.and_then(|p| position(f.procedure, p)).or(Some((
            labels.len() - 1,
            StepState::Done,
            Some("完了"),
        ))),
        Status::Withdrawn => f
            .previous
            .and_then(|p| position(f.procedure, p))
            .map(|(i, _, _)| (i, StepState::Stopped, Some("取下げ"))),
        s => position(f.procedure, s),
    };
    labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            let (state, note) = match at {
                Some((at, state, note)) if i == at => {
                    // The step reached is shown as where the case is.
                    let state = if state == StepState::Done {
                        StepState::Current
                    } else {
                        state
                    };
                    (state, note.map(str::to_string))
                }
                Some((at, _, _)) if i < at => (StepState::Done, None),
                _ => (StepState::Upcoming, None),
            };
            Step { label, state, note }
        })
        .collect()
}

/// Where a to-do is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// The plan page, at the field or section with this id.
    Plan(&'static str),
    /// The import form of the case page (telework records or the worker register).
    Import(&'static str),
    /// The documents section of the case page, the upload form set to this kind.
    Attach(josei_store::AttachmentKind),
    /// The review page of a workflow action.
    Review(&'static str),
    /// The case page's own button for an action that needs no review.
    Action(&'static str),
}

/// One thing left to do, and where to do it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Todo {
    pub text: String,
    pub place: Place,
}

/// Where the input a check depends on is entered.
fn place_of(id: CheckId) -> Option<Place> {
    use CheckId::*;
    Some(match id {
        EmploymentInsurance
        | CommonRequirements
        | Sme
        | TeleworkStatus
        | NoTeleworkRulesAtPlan
        | NoPriorSubsidy => Place::Plan("employer"),
        DirectTargetWorker => Place::Plan("workers"),
        EvaluationPeriod => Place::Plan("dates"),
        WorkRulesEstablished => Place::Plan("dates"),
        WorkplaceClimate => Place::Plan("climate"),
        Measures => Place::Plan("measures"),
        EligibleExpenses => Place::Plan("expenses"),
        TeleworkPerformance | GoalTeleworkGrowth | GoalTeleworkHeadcount => {
            Place::Import("telework")
        }
        TurnoverNotIncreased | TurnoverAtMost30 => Place::Import("roster"),
        ApplicationTimely => Place::Review("file_equipment"),
        GoalApplicationTimely => Place::Review("file_goal"),
        PlanCertified | EquipmentSubsidy => return None,
    })
}

/// The checks that matter before the plan is sent (the employer and the
/// target workers); the rest are done after certification and must not be
/// done earlier.
fn plan_phase(id: CheckId) -> bool {
    use CheckId::*;
    matches!(
        id,
        EmploymentInsurance
            | CommonRequirements
            | Sme
            | TeleworkStatus
            | NoTeleworkRulesAtPlan
            | NoPriorSubsidy
            | DirectTargetWorker
    )
}

/// What is left to do now, each with the place where it is done: the
/// engine's unmet checks for the step the case is at, the documents still
/// missing for the next filing, and the filing itself once it may be made.
/// Nothing while the bureau holds the case.
pub fn todo(f: &Facts, missing_documents: &[DocItem], actions: &[&str]) -> Vec<Todo> {
    use Status::*;
    let Some(e) = f.evaluation else {
        return Vec::new();
    };
    let checks: Vec<&Check> = match (f.status, f.procedure) {
        (Draft | PlanReturned, Procedure::Plan) => e
            .equipment_subsidy
            .checks
            .iter()
            .filter(|c| plan_phase(c.id))
            .collect(),
        (Draft, Procedure::NoPlan) => e
            .equipment_subsidy
            .checks
            .iter()
            .filter(|c| c.id != CheckId::TeleworkPerformance && c.id != CheckId::ApplicationTimely)
            .collect(),
        (PlanCertified, _) => e
            .equipment_subsidy
            .checks
            .iter()
            .filter(|c| c.id != CheckId::TeleworkPerformance && c.id != CheckId::ApplicationTimely)
            .collect(),
        (Evaluation, _) => e.equipment_subsidy.checks.iter().collect(),
        (EquipmentGranted | GoalTracking, _) => e.goal_subsidy.checks.iter().collect(),
        _ => return Vec::new(),
    };
    let mut out: Vec<Todo> = checks
        .into_iter()
        .filter(|c| c.status != CheckStatus::Pass)
        // Filing comes last, as an action of its own.
        .filter(|c| {
            !matches!(
                c.id,
                CheckId::ApplicationTimely | CheckId::GoalApplicationTimely
            )
        })
        .filter_map(|c| {
            let text = if c.id == CheckId::DirectTargetWorker && f.target_workers == 0 {
                "テレワークを行う対象労働者（直接雇用の労働者を1名以上）を登録してください"
                    .to_string()
            } else {
                c.message.clone()
            };
            place_of(c.id).map(|place| Todo { text, place })
        })
        .collect();
    for d in missing_documents.iter().filter(|d| !d.satisfied) {
        out.push(Todo {
            text: format!("{}を用意してください", d.label),
            place: d.place,
        });
    }
    for (action, text) in [
        (
            "submit_plan",
            "内容を確かめて、計画を労働局に提出してください",
        ),
        (
            "start_evaluation",
            if f.procedure == Procedure::NoPlan {
                "取組が済み、評価期間の初日を決めたら、評価期間を開始してください"
            } else {
                "評価期間の初日を決め、評価期間を開始してください"
            },
        ),
        (
            "file_equipment",
            "評価期間が終わったら、期限までに支給申請をしてください",
        ),
        (
            "start_goal_tracking",
            "目標達成に向けた取組を始めてください",
        ),
        (
            "file_goal",
            "目標達成助成の評価期間が終わったら、期限までに支給申請をしてください",
        ),
    ] {
        if actions.contains(&action) {
            let place = if needs_review(action, f.procedure) {
                Place::Review(action)
            } else {
                Place::Action(action)
            };
            out.push(Todo {
                text: text.to_string(),
                place,
            });
        }
    }
    once_each(out)
}

/// The to-dos without repeats: two checks can fail for the same reason (the
/// register missing for both turnover rates) and say it in the same words;
/// the first stays, where it was.
fn once_each(todos: Vec<Todo>) -> Vec<Todo> {
    let mut seen = std::collections::HashSet::new();
    todos
        .into_iter()
        .filter(|t| seen.insert(t.text.clone()))
        .collect()
}

/// A decision or a return of the bureau, for the top of the case page.
#[derive(Clone, Debug, Serialize)]
pub struct BureauNotice {
    /// What was decided: 「機器等導入助成」「計画」…
    pub subject: String,
    /// 支給決定, 不支給決定, 差戻し, 不認定, 計画認定.
    pub outcome: String,
    pub tone: Tone,
    /// The amount decided, for a grant.
    pub amount_yen: Option<i64>,
    /// The day, in Japan.
    pub on: Option<Date>,
    pub reason: Option<String>,
    /// The labour bureau that decided (東京労働局, …), named by the
    /// directory ([`crate::bureaus::name_of`]).
    pub bureau: Option<String>,
    /// The recorded subsidy decision (case and decision), which has a
    /// printable 決定通知書; `None` for plan decisions.
    pub decision: Option<(josei_store::CaseId, josei_store::DecisionId)>,
}

/// The day a workflow step recorded in its audit entry: the certification
/// day it set, or the day it was taken (`on`, the training clock's today);
/// for older entries, the instant of the entry in Japan.
fn recorded_day(a: &josei_store::AuditEntry) -> Option<Date> {
    let after = a.after.as_ref();
    let field = |k: &str| {
        after
            .and_then(|v| v.get(k))
            .and_then(|v| v.as_str())
            .and_then(|v| parse_iso_date(v).ok())
    };
    field("certified_on")
        .or_else(|| field("on"))
        .or_else(|| day_in_japan(&a.at))
}

/// The day in Japan of an RFC 3339 instant.
fn day_in_japan(rfc3339: &str) -> Option<Date> {
    let t: jiff::Timestamp = rfc3339.parse().ok()?;
    Some(
        t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
            .date(),
    )
}

/// The bureau's decisions on `case` (grants and denials with amounts) and
/// its answers to the plan (returns, rejections, certification), with
/// their reasons and the deciding officer's bureau; newest first.
pub async fn bureau_notices(
    app: &App,
    case: &CaseRow,
    procedure: Procedure,
) -> Result<Vec<BureauNotice>> {
    let decisions = app.db.decisions(case.id).await?;
    let audit = app.db.audit_log("case", &case.id.to_string()).await?;
    // The deciding officer's bureau (the case's for anyone else), named by
    // the directory; each user and each prefecture looked up once.
    let mut prefectures: std::collections::HashMap<josei_store::UserId, i64> = Default::default();
    let mut names: std::collections::HashMap<i64, Option<String>> = Default::default();
    let mut bureau_of = async |by: Option<josei_store::UserId>| -> Result<Option<String>> {
        let prefecture = match by {
            None => case.prefecture,
            Some(by) => match prefectures.get(&by) {
                Some(p) => *p,
                None => {
                    let p = app
                        .db
                        .user_by_id(by)
                        .await?
                        .filter(|u| u.role == Role::Officer)
                        .and_then(|u| u.prefecture)
                        .unwrap_or(case.prefecture);
                    prefectures.insert(by, p);
                    p
                }
            },
        };
        if let Some(n) = names.get(&prefecture) {
            return Ok(n.clone());
        }
        let n = crate::bureaus::name_of(app, prefecture).await?;
        names.insert(prefecture, n.clone());
        Ok(n)
    };
    let mut out: Vec<(String, BureauNotice)> = Vec::new();
    let first = match procedure {
        Procedure::Plan => "機器等導入助成",
        Procedure::NoPlan => "制度導入助成",
    };
    for d in &decisions {
        let subject = match d.kind {
            DecisionKind::Equipment => {
                // The decision's own regime names its first subsidy.
                let no_plan = josei_rules::regime::set()
                    .by_id(&d.regime)
                    .is_some_and(|r| r.kind == josei_rules::regime::RegimeKind::NoPlan);
                if no_plan {
                    "制度導入助成"
                } else {
                    first
                }
            }
            DecisionKind::Goal => "目標達成助成",
        };
        let granted = d.outcome == Outcome::Granted;
        out.push((
            d.decided_at.clone(),
            BureauNotice {
                subject: subject.to_string(),
                outcome: if granted {
                    "支給決定"
                } else {
                    "不支給決定"
                }
                .to_string(),
                tone: if granted { Tone::Good } else { Tone::Bad },
                amount_yen: granted.then_some(d.decided_amount_yen),
                // The day the officer entered, else the day the decision
                // was evaluated as of (the training clock's today), else
                // its instant in Japan.
                on: parse_iso_date(&d.decided_on)
                    .ok()
                    .or_else(|| {
                        d.evaluation
                            .get("as_of")
                            .and_then(|v| v.as_str())
                            .and_then(|v| parse_iso_date(v).ok())
                    })
                    .or_else(|| day_in_japan(&d.decided_at)),
                reason: d.reason.clone(),
                bureau: bureau_of(Some(d.decided_by)).await?,
                decision: Some((d.case_id, d.id)),
            },
        ));
    }
    for a in &audit {
        let (outcome, tone) = match a.action.as_str() {
            "case.return_plan" => ("差戻し", Tone::Bad),
            "case.reject_plan" => ("不認定", Tone::Bad),
            "case.certify_plan" => ("計画認定", Tone::Good),
            _ => continue,
        };
        let reason = a
            .after
            .as_ref()
            .and_then(|v| v.get("reason"))
            .and_then(|r| r.as_str())
            .map(str::to_string);
        out.push((
            a.at.clone(),
            BureauNotice {
                subject: "テレワーク実施計画".to_string(),
                outcome: outcome.to_string(),
                tone,
                amount_yen: None,
                on: recorded_day(a),
                reason,
                bureau: bureau_of(a.user_id).await?,
                decision: None,
            },
        ));
    }
    // Newest first (RFC 3339 instants in UTC sort as text).
    out.sort_by(|a, b| b.0.cmp(&a.0));
    Ok(out.into_iter().map(|(_, n)| n).collect())
}

/// The state a closed or withdrawn case left, from its audit log.
pub async fn previous_status(app: &App, case: &CaseRow) -> Result<Option<Status>> {
    if !matches!(case.status, Status::Closed | Status::Withdrawn) {
        return Ok(None);
    }
    let audit = app.db.audit_log("case", &case.id.to_string()).await?;
    Ok(audit
        .iter()
        .rev()
        .find(|a| a.action == "case.close" || a.action == "case.withdraw")
        .and_then(|a| a.before.as_ref())
        .and_then(|b| b.get("status"))
        .and_then(|s| s.as_str())
        .and_then(Status::parse))
}

/// Whether `action` is a filing the applicant should review before sending.
pub fn needs_review(action: &str, procedure: Procedure) -> bool {
    match workflow::by_name(action).map(|t| t.action) {
        Some(workflow::Action::SubmitPlan)
        | Some(workflow::Action::FileEquipment)
        | Some(workflow::Action::FileGoal)
        | Some(workflow::Action::Withdraw) => true,
        Some(workflow::Action::StartEvaluation) => procedure == Procedure::NoPlan,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::run_engine;
    use josei_store::{CaseId, DecisionId, UserId};
    use serde_json::{json, Value};

    fn employer() -> Value {
        json!({"name": "株式会社あおば", "industry": "service", "capital_yen": 10000000,
            "regular_employees": 12, "employment_insurance": true, "telework_status": "none",
            "work_rules_have_telework": false, "received_telework_subsidy": false})
    }

    /// A new 令和8年度 case: no target workers, no dates.
    fn empty_r8() -> Evaluation {
        run_engine(
            &json!({"as_of": "2026-11-21", "regime": "R8", "employer": employer(),
            "plan": {"target_workers": []}}),
        )
        .unwrap()
        .0
    }

    /// A new 令和4年度 plan: nothing but the employer.
    fn empty_r4() -> Evaluation {
        run_engine(&json!({"as_of": "2022-06-01", "employer": employer(),
            "plan": {"submitted_on": "2022-06-01", "target_workers": []}}))
        .unwrap()
        .0
    }

    fn facts<'a>(
        status: Status,
        procedure: Procedure,
        e: Option<&'a Evaluation>,
        decisions: &'a [Decision],
    ) -> Facts<'a> {
        Facts {
            status,
            procedure,
            evaluation: e,
            decisions,
            target_workers: 3,
            estimates: [None, None],
            previous: None,
            includes_planned: false,
        }
    }

    fn decision(kind: DecisionKind, outcome: Outcome, engine: i64, decided: i64) -> Decision {
        Decision {
            id: DecisionId::from(1),
            case_id: CaseId::from(1),
            kind,
            outcome,
            decided_by: UserId::from(1),
            decided_at: "2022-12-10T01:00:00Z".into(),
            decided_on: "2022-12-10".into(),
            engine_version: "test".into(),
            regime: "R4".into(),
            engine_status: josei_rules::evaluate::SubsidyStatus::Payable,
            engine_amount_yen: engine,
            decided_amount_yen: decided,
            overrides_engine: engine != decided,
            reason: Some("領収書の一部が確認できないため".into()),
            evaluation: Value::Null,
            assumptions: Value::Null,
            overlay_sha256: None,
            exclusions: Value::Array(Vec::new()),
        }
    }

    #[test]
    fn a_new_case_is_in_preparation_and_never_shows_a_denial() {
        let e = empty_r8();
        // The engine says not payable (no target worker yet)…
        assert_eq!(
            e.equipment_subsidy.status,
            josei_rules::evaluate::SubsidyStatus::NotPayable
        );
        let mut f = facts(Status::Draft, Procedure::NoPlan, Some(&e), &[]);
        f.target_workers = 0;
        let s = summary(&f);
        // …but the applicant reads 準備中, and the fixed amount as an estimate.
        assert_eq!(s.word, "準備中");
        assert_eq!(s.tone, Tone::Neutral);
        assert!(!s.word.contains("不支給") && !s.detail.contains("不支給"));
        assert_eq!(s.amounts.len(), 1);
        let a = &s.amounts[0];
        assert_eq!(
            (a.label(), a.yen, a.subsidy.as_str()),
            ("見込み額", 200_000, "制度導入助成")
        );
        assert!(
            a.note
                .as_deref()
                .unwrap()
                .contains("要件をすべて満たした場合"),
            "{a:?}"
        );

        // A plan with no expenses yet: no 0円 at all, and a hint instead.
        let e = empty_r4();
        let mut f = facts(Status::Draft, Procedure::Plan, Some(&e), &[]);
        f.target_workers = 0;
        let s = summary(&f);
        assert_eq!(s.word, "準備中");
        assert!(s.amounts.is_empty(), "{:?}", s.amounts);
        assert!(s.detail.contains("経費を入力すると"), "{}", s.detail);
    }

    #[test]
    fn an_estimate_whose_requirements_fail_says_so() {
        let e = run_engine(&json!({"as_of": "2026-11-21", "regime": "R8",
            "employer": {"name": "大きな会社", "industry": "service", "capital_yen": 900000000,
                "regular_employees": 900, "employment_insurance": true, "telework_status": "none",
                "work_rules_have_telework": false, "received_telework_subsidy": false},
            "plan": {"target_workers": [{"id": "A", "employment": "direct"}]}}))
        .unwrap()
        .0;
        let s = summary(&facts(Status::Draft, Procedure::NoPlan, Some(&e), &[]));
        assert_eq!(s.word, "準備中");
        let note = s.amounts[0].note.as_deref().unwrap();
        assert!(note.contains("要件を満たしていない項目が1件"), "{note}");
    }

    #[test]
    fn filed_applications_are_under_review_not_payable() {
        let e = empty_r4();
        for status in [
            Status::PlanSubmitted,
            Status::EquipmentFiled,
            Status::GoalFiled,
        ] {
            let mut f = facts(status, Procedure::Plan, Some(&e), &[]);
            f.estimates = [Some(104_940), Some(69_960)];
            let s = summary(&f);
            assert_eq!(s.word, "審査中", "{status:?}");
            assert_eq!(s.tone, Tone::Waiting);
            assert!(!s.detail.contains("支給対象"), "{}", s.detail);
            assert!(s.amounts.iter().all(|a| a.kind == AmountKind::Estimate));
        }
        let s = summary(&facts(Status::EquipmentFiled, Procedure::NoPlan, None, &[]));
        assert!(
            s.detail.contains("制度導入助成を申請しました"),
            "{}",
            s.detail
        );
    }

    #[test]
    fn a_decided_amount_replaces_the_engines() {
        // A partial grant: the bureau decided less than the engine computed.
        let d = [decision(
            DecisionKind::Equipment,
            Outcome::Granted,
            104_940,
            80_000,
        )];
        let mut f = facts(Status::EquipmentGranted, Procedure::Plan, None, &d);
        f.estimates = [Some(104_940), Some(69_960)];
        let s = summary(&f);
        assert_eq!(s.word, "支給決定");
        assert_eq!(s.tone, Tone::Good);
        let first = &s.amounts[0];
        assert_eq!((first.label(), first.yen), ("支給決定額", 80_000));
        assert!(s.amounts.iter().all(|a| a.yen != 104_940));
        // The goal subsidy is now estimated.
        assert_eq!(
            (s.amounts[1].label(), s.amounts[1].yen),
            ("見込み額", 69_960)
        );

        let d = [decision(DecisionKind::Equipment, Outcome::Denied, 0, 0)];
        let s = summary(&facts(Status::EquipmentDenied, Procedure::Plan, None, &d));
        assert_eq!((s.word.as_str(), s.tone), ("不支給決定", Tone::Bad));
        assert_eq!(s.amounts.len(), 1);
        assert_eq!(s.amounts[0].label(), "不支給決定");

        let d = [
            decision(DecisionKind::Equipment, Outcome::Granted, 200_000, 200_000),
            decision(DecisionKind::Goal, Outcome::Granted, 150_000, 100_000),
        ];
        let s = summary(&facts(Status::GoalGranted, Procedure::NoPlan, None, &d));
        let yen: Vec<(i64, &str)> = s.amounts.iter().map(|a| (a.yen, a.label())).collect();
        assert_eq!(yen, [(200_000, "支給決定額"), (100_000, "支給決定額")]);
        // Closed and withdrawn cases keep their decisions and drop estimates.
        let s = summary(&facts(Status::Closed, Procedure::NoPlan, None, &d));
        assert_eq!(s.word, "完了");
        assert_eq!(s.amounts.len(), 2);
        let s = summary(&facts(Status::Withdrawn, Procedure::Plan, None, &[]));
        assert_eq!(s.word, "取下げ");
        assert!(s.amounts.is_empty());
    }

    fn labels_and_current(steps: &[Step]) -> (Vec<&str>, Vec<(usize, StepState)>) {
        (
            steps.iter().map(|s| s.label.as_str()).collect(),
            steps
                .iter()
                .enumerate()
                .filter(|(_, s)| s.is_current())
                .map(|(i, s)| (i, s.state))
                .collect(),
        )
    }

    #[test]
    fn the_steps_of_each_procedure() {
        let plan = steps(&facts(Status::Draft, Procedure::Plan, None, &[]));
        let (labels, current) = labels_and_current(&plan);
        assert_eq!(
            labels,
            [
                "計画作成",
                "計画提出",
                "計画認定",
                "評価期間",
                "機器等導入助成の支給申請",
                "支給決定",
                "目標達成の評価期間",
                "目標達成助成の支給申請",
                "支給決定"
            ]
        );
        assert_eq!(current, [(0, StepState::Current)]);
        let no_plan = steps(&facts(Status::Draft, Procedure::NoPlan, None, &[]));
        let (labels, current) = labels_and_current(&no_plan);
        assert_eq!(
            labels,
            [
                "取組（職場風土作り・就業規則・研修）",
                "評価期間",
                "制度導入助成の支給申請",
                "支給決定",
                "目標達成の評価期間",
                "目標達成助成の支給申請",
                "支給決定"
            ]
        );
        assert_eq!(current, [(0, StepState::Current)]);
        // Exactly one current step in every state of both procedures, and
        // every step before it done.
        for p in [Procedure::Plan, Procedure::NoPlan] {
            for s in Status::ALL {
                let mut f = facts(*s, p, None, &[]);
                f.previous = Some(Status::Evaluation);
                let st = steps(&f);
                let (_, current) = labels_and_current(&st);
                assert_eq!(current.len(), 1, "{s:?} {p:?}");
                let at = current[0].0;
                assert!(st[..at].iter().all(|x| x.state == StepState::Done), "{s:?}");
                assert!(
                    st[at + 1..].iter().all(|x| x.state == StepState::Upcoming),
                    "{s:?}"
                );
            }
        }
        let at = |s: Status, p: Procedure| {
            let st = steps(&facts(s, p, None, &[]));
            let i = st.iter().position(Step::is_current).unwrap();
            (i, st[i].state, st[i].note.clone())
        };
        assert_eq!(
            at(Status::PlanSubmitted, Procedure::Plan),
            (1, StepState::Current, Some("労働局が審査中".into()))
        );
        assert_eq!(
            at(Status::PlanRejected, Procedure::Plan),
            (2, StepState::Stopped, Some("不認定".into()))
        );
        assert_eq!(
            at(Status::EquipmentFiled, Procedure::NoPlan),
            (2, StepState::Current, Some("労働局が審査中".into()))
        );
        assert_eq!(
            at(Status::EquipmentDenied, Procedure::NoPlan),
            (3, StepState::Stopped, Some("不支給決定".into()))
        );
        assert_eq!(at(Status::GoalGranted, Procedure::Plan).0, 8);
        // A withdrawn case stops where it was.
        let mut f = facts(Status::Withdrawn, Procedure::Plan, None, &[]);
        f.previous = Some(Status::EquipmentFiled);
        let st = steps(&f);
        assert_eq!(st[4].state, StepState::Stopped);
        assert_eq!(st[4].note.as_deref(), Some("取下げ"));
    }

    #[test]
    fn to_dos_follow_the_step_and_link_where_they_are_done() {
        // A plan draft: only what the plan needs, never the work after certification.
        let e = empty_r4();
        let mut f = facts(Status::Draft, Procedure::Plan, Some(&e), &[]);
        f.target_workers = 0;
        let t = todo(&f, &[], &["submit_plan", "withdraw"]);
        assert_eq!(t[0].place, Place::Plan("workers"), "{t:?}");
        assert!(
            t[0].text
                .contains("対象労働者（直接雇用の労働者を1名以上）を登録"),
            "{t:?}"
        );
        assert!(t.iter().all(|x| x.place != Place::Plan("dates")), "{t:?}");
        assert_eq!(t.last().unwrap().place, Place::Review("submit_plan"));
        // A certified plan starts its evaluation period with the case page's
        // own button: that step has no review page in plan years.
        let f = facts(Status::PlanCertified, Procedure::Plan, Some(&e), &[]);
        let t = todo(&f, &[], &["start_evaluation", "withdraw"]);
        assert_eq!(
            t.last().unwrap().place,
            Place::Action("start_evaluation"),
            "{t:?}"
        );
        // A no-plan draft: the measures, the climate, the work rules.
        let e = empty_r8();
        let f = facts(Status::Draft, Procedure::NoPlan, Some(&e), &[]);
        let places: Vec<Place> = todo(&f, &[], &[]).iter().map(|x| x.place).collect();
        for p in [
            Place::Plan("climate"),
            Place::Plan("measures"),
            Place::Plan("dates"),
        ] {
            assert!(places.contains(&p), "{places:?}");
        }
        // Missing documents are listed with where to attach them.
        let missing = crate::documents::DocItem {
            label: "賃金台帳".into(),
            detail: None,
            satisfied: false,
            state: String::new(),
            place: Place::Attach(josei_store::AttachmentKind::WageLedger),
            kind: Some(josei_store::AttachmentKind::WageLedger),
            expense_ref: None,
        };
        let t = todo(&f, &[missing], &[]);
        assert!(t.iter().any(|x| x.text == "賃金台帳を用意してください"
            && x.place == Place::Attach(josei_store::AttachmentKind::WageLedger)));
        // Nothing to do while the bureau holds the case.
        let f = facts(Status::EquipmentFiled, Procedure::NoPlan, Some(&e), &[]);
        assert!(todo(&f, &[], &[]).is_empty());
    }

    #[test]
    fn a_return_or_certification_is_dated_by_the_day_the_workflow_recorded() {
        let entry = |after: Value| josei_store::AuditEntry {
            id: josei_store::AuditEntryId::from(1),
            // Recorded on 2026-11-21 by the wall clock (Japan: the 22nd).
            at: "2026-11-21T16:00:00Z".into(),
            user_id: None,
            action: "case.return_plan".into(),
            entity: "case".into(),
            entity_id: "1".into(),
            before: None,
            after: Some(after),
        };
        let day = |s: &str| parse_iso_date(s).unwrap();
        // The training clock's day, as the certification set it or the step took it.
        assert_eq!(
            recorded_day(&entry(
                json!({"certified_on": "2022-07-01", "on": "2022-07-01"})
            )),
            Some(day("2022-07-01"))
        );
        assert_eq!(
            recorded_day(&entry(json!({"on": "2022-06-20", "reason": "r"}))),
            Some(day("2022-06-20"))
        );
        // Older entries: the instant of the entry, in Japan.
        assert_eq!(
            recorded_day(&entry(json!({"reason": "r"}))),
            Some(day("2026-11-22"))
        );
    }

    #[test]
    fn a_to_do_said_twice_is_listed_once() {
        let t = |text: &str, place: Place| Todo {
            text: text.into(),
            place,
        };
        let once = once_each(vec![
            t("名簿を登録してください", Place::Import("roster")),
            t(
                "評価期間を開始してください",
                Place::Action("start_evaluation"),
            ),
            t("名簿を登録してください", Place::Import("roster")),
        ]);
        let texts: Vec<&str> = once.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            ["名簿を登録してください", "評価期間を開始してください"]
        );
    }

    #[test]
    fn filings_and_withdrawal_are_reviewed_first() {
        for a in ["submit_plan", "file_equipment", "file_goal", "withdraw"] {
            assert!(needs_review(a, Procedure::Plan), "{a}");
        }
        assert!(needs_review("start_evaluation", Procedure::NoPlan));
        assert!(!needs_review("start_evaluation", Procedure::Plan));
        assert!(!needs_review("certify_plan", Procedure::Plan));
        assert!(!needs_review("start_goal_tracking", Procedure::Plan));
    }
}
