//! One step of the workflow, with every precondition the rules decide asked
//! of the engine.

use crate::access::{require_role, visible_case};
use crate::cases::{case_targets, case_view, CaseView};
use crate::engine::{document_for_engine, procedure_of, run_engine};
use crate::exclusions::Exclusion;
use crate::{today, App, Error, Result};
use jiff::civil::Date;
use josei_rules::civil::parse_iso_date;
use josei_rules::evaluate::{CheckId, CheckStatus, Evaluation, SubsidyStatus};
use josei_store::workflow::{self, Action, Procedure};
use josei_store::{CaseId, CaseRow, DecisionKind, NewDecision, Outcome, StepChanges, User};
use serde::Deserialize;
use serde_json::{json, Value};

/// The body of a workflow step.
#[derive(Deserialize, Default)]
pub struct ActionBody {
    /// The case version the step is based on.
    pub version: i64,
    /// Required for returning, rejecting and deciding against the engine.
    pub reason: Option<String>,
    /// For grants: a lower amount than the engine's after the exclusions
    /// (a reason required); never more.
    pub decided_amount_yen: Option<i64>,
    /// For the bureau's decisions (certifying, returning or rejecting a
    /// plan; granting or denying a subsidy): the day it takes effect, ISO
    /// `YYYY-MM-DD`; today when absent; never in the future, never before
    /// the plan or application it decides was received.
    pub decided_on: Option<String>,
    /// For grants and denials: what the officer leaves out, each with a reason.
    #[serde(default)]
    pub exclusions: Vec<Exclusion>,
}

/// The day a decision takes effect: `entered` (ISO) or `today`, checked to
/// be neither after `today` nor before `received` (the day what it decides
/// reached the bureau). The field is `decided_on`.
pub fn decision_day(entered: Option<&str>, today: Date, received: Option<Date>) -> Result<Date> {
    let day = match entered.map(str::trim).filter(|s| !s.is_empty()) {
        None => today,
        Some(s) => parse_iso_date(s).map_err(|_| {
            Error::invalid(
                "decided_on",
                "日付は「2026-11-21」の形（年-月-日）で入力してください",
            )
        })?,
    };
    if day > today {
        return Err(Error::invalid(
            "decided_on",
            format!(
                "決定日に先の日付は入力できません（今日は{}です）",
                josei_rules::wareki::format_wareki(today)
            ),
        ));
    }
    if let Some(r) = received.filter(|r| day < *r) {
        return Err(Error::invalid(
            "decided_on",
            format!(
                "決定日は、受け付けた日（{}）より前にはできません",
                josei_rules::wareki::format_wareki(r)
            ),
        ));
    }
    Ok(day)
}

/// The engine's view of a subsidy decision before it is made: the automatic
/// evaluation of the case, and the evaluation without what the officer
/// leaves out (査定), which bounds the amount that may be granted.
#[derive(Clone, Debug)]
pub struct Assessment {
    /// The subsidy decided (機器等導入助成・制度導入助成 or 目標達成助成).
    pub equipment: bool,
    pub automatic: SubsidyOutcome,
    pub assessed: SubsidyOutcome,
    /// The exclusions, checked and normalised.
    pub exclusions: Vec<Exclusion>,
    /// The evaluation without the exclusions' items, and its regime.
    pub evaluation: Evaluation,
    pub regime: String,
}

/// One subsidy's status and amount in an evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubsidyOutcome {
    pub status: SubsidyStatus,
    pub amount_yen: i64,
}

impl SubsidyOutcome {
    fn of(e: &Evaluation, equipment: bool) -> SubsidyOutcome {
        if equipment {
            SubsidyOutcome {
                status: e.equipment_subsidy.status,
                amount_yen: e.equipment_subsidy.amount_yen.0 as i64,
            }
        } else {
            SubsidyOutcome {
                status: e.goal_subsidy.status,
                amount_yen: e.goal_subsidy.amount_yen.0 as i64,
            }
        }
    }
}

async fn assess_case(
    app: &App,
    case: &CaseRow,
    today: Date,
    equipment: bool,
    exclusions: &[Exclusion],
) -> Result<Assessment> {
    let doc = document_for_engine(app, case, today, &[]).await?;
    let exclusions = crate::exclusions::check(&doc, exclusions)?;
    let judge = |doc: &Value| {
        run_engine(doc).map_err(|e| {
            Error::conflict(format!("申請の内容を判定できません：{}", e.message))
                .with_field(e.field)
        })
    };
    let (auto, _) = judge(&doc)?;
    let mut reduced = doc;
    crate::exclusions::apply(&mut reduced, &exclusions);
    let (evaluation, regime) = judge(&reduced)?;
    Ok(Assessment {
        equipment,
        automatic: SubsidyOutcome::of(&auto, equipment),
        assessed: SubsidyOutcome::of(&evaluation, equipment),
        exclusions,
        evaluation,
        regime,
    })
}

/// What the engine says of granting or denying a subsidy of case `id`
/// (`action`: `grant_equipment`, `deny_equipment`, `grant_goal`, `deny_goal`)
/// with `exclusions` left out, for the officer's page before they decide.
pub async fn assess(
    app: &App,
    user: &User,
    id: CaseId,
    action: &str,
    exclusions: &[Exclusion],
) -> Result<Assessment> {
    let case = visible_case(app, user, id).await?;
    let t = workflow::by_name(action).ok_or_else(Error::not_found)?;
    require_role(user, t.roles)?;
    let equipment = match t.action {
        Action::GrantEquipment | Action::DenyEquipment => true,
        Action::GrantGoal | Action::DenyGoal => false,
        _ => return Err(Error::not_found()),
    };
    let today = today(app).await?;
    assess_case(app, &case, today, equipment, exclusions).await
}

/// The day the plan or application that `action` decides reached the bureau.
fn received_for(case: &CaseRow, action: Action) -> Option<Date> {
    let day = match action {
        Action::ReturnPlan | Action::RejectPlan | Action::CertifyPlan => {
            case.submitted_on.as_deref()
        }
        Action::GrantEquipment | Action::DenyEquipment => {
            case.equipment_application_filed_on.as_deref()
        }
        Action::GrantGoal | Action::DenyGoal => case.goal_application_filed_on.as_deref(),
        _ => None,
    };
    day.and_then(|d| parse_iso_date(d).ok())
}

/// One step of the workflow for `user` (shared by the API and the web pages):
/// roles, state, version and the engine's preconditions are checked here.
pub async fn perform_action(
    app: &App,
    user: &User,
    id: CaseId,
    action: &str,
    b: ActionBody,
) -> Result<CaseView> {
    let app = app.clone();
    let case = visible_case(&app, user, id).await?;
    let t = workflow::by_name(action).ok_or_else(Error::not_found)?;
    require_role(user, t.roles)?;
    let today = today(&app).await?;
    let provisional_kind = {
        let doc = document_for_engine(&app, &case, today, &[]).await?;
        run_engine(&doc).ok().map(|(e, _)| e)
    };
    let procedure = procedure_of(&case, provisional_kind.as_ref(), today);
    if procedure == Procedure::NoPlan && t.action == Action::SubmitPlan {
        return Err(Error::conflict(
            "令和7年度から、テレワーク実施計画の提出・認定はなくなりました。評価期間の初日の前3か月に職場風土作り（トップメッセージと事例の共有）、就業規則の整備、研修やコンサルティングを行い、評価期間の初日を入力してから「評価期間を開始する」を行ってください",
        ));
    }
    if t.action == Action::Withdraw && case.status.decided() {
        return Err(Error::conflict(
            "支給・不支給の決定が出た申請は取り下げられません。決定の内容について確かめたいことがあるときは、決定をした労働局にご相談ください",
        ));
    }
    if !workflow::allowed(t, case.status, procedure) {
        let now: Vec<String> = workflow::available(case.status, user.role, procedure)
            .iter()
            .filter_map(|n| workflow::by_name(n))
            .map(|t| format!("「{}」", t.action.label_for(procedure)))
            .collect();
        return Err(Error::conflict(format!(
            "「{}」の申請では、{}はできません{}",
            case.status.label_for(procedure),
            t.action.label_for(procedure),
            if now.is_empty() {
                String::new()
            } else {
                format!("（いまできる操作：{}）", now.join("・"))
            }
        )));
    }
    if b.version != case.version {
        return Err(Error::conflict(
            "この申請は、ほかの方が先に更新しました。ページを読み込み直し、内容を確かめてから、もう一度操作してください",
        ));
    }
    let reason = b
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    let decides = matches!(
        t.action,
        Action::ReturnPlan
            | Action::RejectPlan
            | Action::CertifyPlan
            | Action::GrantEquipment
            | Action::DenyEquipment
            | Action::GrantGoal
            | Action::DenyGoal
    );
    let on = if decides {
        decision_day(
            b.decided_on.as_deref(),
            today,
            received_for(&case, t.action),
        )?
    } else {
        today
    };
    let mut changes = StepChanges {
        reason: reason.clone(),
        on: Some(on.to_string()),
        ..StepChanges::default()
    };
    let check_of = |e: &Evaluation, id: CheckId| -> Option<(CheckStatus, String)> {
        e.equipment_subsidy
            .checks
            .iter()
            .chain(&e.goal_subsidy.checks)
            .find(|c| c.id == id)
            .map(|c| (c.status, c.message.clone()))
    };
    let engine = |overrides: Vec<(&'static str, Value)>| {
        let app = app.clone();
        let case = case.clone();
        async move {
            let doc = document_for_engine(&app, &case, today, &overrides).await?;
            run_engine(&doc).map_err(|e| {
                Error::conflict(format!("申請の内容を判定できません：{}", e.message))
                    .with_field(e.field)
            })
        }
    };
    match t.action {
        Action::SubmitPlan => {
            if case_targets(&app, &case).await? == 0 {
                return Err(Error::conflict(
                    "対象労働者を1人以上登録してから提出してください",
                ));
            }
            // The whole case must be valid, and a regime must cover today.
            let (_, regime) = engine(vec![]).await?;
            changes.set.push(("submitted_on", Some(today.to_string())));
            changes.set.push(("regime", Some(regime)));
        }
        Action::ReturnPlan | Action::RejectPlan => {
            if reason.is_none() {
                return Err(Error::invalid("reason", "差戻し・不認定には理由が必要です"));
            }
        }
        Action::CertifyPlan => changes.set.push(("certified_on", Some(on.to_string()))),
        Action::StartEvaluation if procedure == Procedure::NoPlan => {
            if case_targets(&app, &case).await? == 0 {
                return Err(Error::conflict(
                    "対象労働者を1人以上登録してから評価期間を開始してください",
                ));
            }
            if case.evaluation_start.is_none() {
                return Err(Error::conflict(
                    "評価期間の初日を入力してから開始してください（初日の前3か月に行った取組が数えられます）",
                ));
            }
            // The case must be valid, and its evaluation period must start in a
            // no-plan regime: that regime is fixed from now on.
            let (e, regime) = engine(vec![]).await?;
            if e.regime_kind != josei_rules::regime::RegimeKind::NoPlan {
                return Err(Error::conflict(
                    "評価期間の初日が計画のない制度の期間にありません",
                ));
            }
            changes.set.push(("regime", Some(regime)));
        }
        Action::StartEvaluation => {
            let (e, _) = engine(vec![]).await?;
            match check_of(&e, CheckId::EvaluationPeriod) {
                Some((CheckStatus::Pass, _)) => {}
                Some((_, message)) => return Err(Error::conflict(message)),
                None => return Err(Error::conflict("評価期間を判定できません")),
            }
        }
        Action::FileEquipment | Action::FileGoal => {
            let (field, check) = if t.action == Action::FileEquipment {
                ("equipment_application_filed_on", CheckId::ApplicationTimely)
            } else {
                ("goal_application_filed_on", CheckId::GoalApplicationTimely)
            };
            let (e, _) = engine(vec![(field, json!(today.to_string()))]).await?;
            match check_of(&e, check) {
                Some((CheckStatus::Pass, _)) => {}
                Some((_, message)) => return Err(Error::conflict(message)),
                None => return Err(Error::conflict("申請期限を判定できません")),
            }
            changes.set.push((field, Some(today.to_string())));
        }
        Action::GrantEquipment | Action::DenyEquipment | Action::GrantGoal | Action::DenyGoal => {
            let equipment = matches!(t.action, Action::GrantEquipment | Action::DenyEquipment);
            let grant = matches!(t.action, Action::GrantEquipment | Action::GrantGoal);
            let a = assess_case(&app, &case, today, equipment, &b.exclusions).await?;
            let (auto, assessed) = (a.automatic, a.assessed);
            let decided = if grant {
                b.decided_amount_yen.unwrap_or(assessed.amount_yen)
            } else {
                0
            };
            if decided < 0 {
                return Err(Error::invalid(
                    "decided_amount_yen",
                    "金額は0以上で指定してください",
                ));
            }
            // Never more than the engine's amount for what is left in the case.
            if decided > assessed.amount_yen {
                return Err(Error::invalid(
                    "decided_amount_yen",
                    format!(
                        "決定額は、判定エンジンの額 {} を超えられません（除外した経費・日を反映した額です）",
                        josei_rules::model::Yen(assessed.amount_yen.max(0) as u64)
                    ),
                ));
            }
            // The exclusions carry their own reasons; anything else that
            // departs from the assessed evaluation needs one.
            let agrees_with_assessment = if grant {
                assessed.status == SubsidyStatus::Payable && decided == assessed.amount_yen
            } else {
                assessed.status != SubsidyStatus::Payable
            };
            if !agrees_with_assessment && reason.is_none() {
                return Err(Error::invalid(
                    "reason",
                    format!(
                        "自動判定の結果（{}、{}）と異なる決定には理由が必要です",
                        assessed.status.label_ja(),
                        josei_rules::model::Yen(assessed.amount_yen.max(0) as u64)
                    ),
                ));
            }
            let agrees_with_engine = if grant {
                auto.status == SubsidyStatus::Payable && decided == auto.amount_yen
            } else {
                auto.status != SubsidyStatus::Payable
            };
            let e = &a.evaluation;
            changes.decision = Some(NewDecision {
                kind: if equipment {
                    DecisionKind::Equipment
                } else {
                    DecisionKind::Goal
                },
                outcome: if grant {
                    Outcome::Granted
                } else {
                    Outcome::Denied
                },
                engine_version: josei_rules::ENGINE_VERSION.into(),
                regime: a.regime.clone(),
                engine_status: auto.status,
                engine_amount_yen: auto.amount_yen,
                decided_amount_yen: decided,
                overrides_engine: !agrees_with_engine,
                reason: reason.clone(),
                assumptions: serde_json::to_value(&e.assumptions).unwrap_or(Value::Null),
                overlay_sha256: josei_rules::regime::set()
                    .overlay()
                    .map(|o| o.sha256.clone()),
                evaluation: serde_json::to_value(e).unwrap_or(Value::Null),
                decided_on: on.to_string(),
                exclusions: serde_json::to_value(&a.exclusions).unwrap_or(Value::Null),
            });
        }
        Action::StartGoalTracking | Action::Close | Action::Withdraw => {}
    }
    let (updated, decision) = app
        .db
        .step(case.id, b.version, t.from, t.to, t.name, changes, user.id)
        .await?;
    let mut view = case_view(&app, &updated, user).await?;
    view.decision = decision;
    crate::notifications::after_step(&app, &case, &view, user, reason.as_deref()).await;
    Ok(view)
}
