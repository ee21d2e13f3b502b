//! The evaluation of one case: every requirement, amount and status, under
//! whichever regime governs it.
//!
//! Each rule below is a function that quotes the passage it implements. Checks
//! come out in the order of the contract (`case-format.md`, "Checks, in this
//! order", and `regimes.md` §2–3), each with its citation and a Japanese message
//! that says what happened and what to do. Plan regimes (令和3〜6年度) and
//! no-plan regimes (令和7年度 on) share every rule they have in common; where
//! the shape differs, the regime's [`Design`] decides.

use crate::civil::Period;
use crate::model::*;
use crate::parse::{ParsedCase, Warning};
use crate::ratio::Ratio;
use crate::regime::{
    Design, Figure, Grade, LeaseProration, NoPlanDesign, ParamId, ParamSet, PlanDesign,
    PremiumCondition, Regime, RegimeKind, WeeklyAverageBasis,
};
use crate::schedule::{schedule, Dates, Deadline, Schedule};
use crate::wareki::Wareki;
use jiff::civil::Date;
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

fn ser_arc_str<S: Serializer>(s: &Arc<str>, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s)
}

/// The engine's version, recorded with every officer decision.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The full evaluation of a case (the contract's output).
#[derive(Clone, Debug, Serialize)]
pub struct Evaluation {
    pub regime: String,
    pub as_of: Date,
    pub schedule: Schedule,
    pub sme: SmeResult,
    pub telework: Option<TeleworkResult>,
    pub expenses: ExpensesResult,
    pub equipment_subsidy: EquipmentSubsidy,
    pub turnover: TurnoverResult,
    /// The wage requirement, in regimes whose premium depends on it (null when
    /// not given, and always in 令和3・4年度).
    pub wage_increase: Option<WageResult>,
    pub goal_subsidy: GoalSubsidy,
    /// Things the employer must know that do not change the outcome (regimes.md).
    pub notices: Vec<Notice>,
    /// Every `interpretation` or `unverified` value this evaluation used
    /// (regimes.md §4), in parameter order.
    pub assumptions: Vec<Assumption>,
    /// Beyond the contract: the regime's Japanese name, e.g. `令和7年度`.
    pub regime_name: String,
    /// Beyond the contract: `plan` or `no_plan`.
    pub regime_kind: RegimeKind,
    /// Beyond the contract: the productivity requirement's outcome.
    pub productivity: ProductivityResult,
    /// Beyond the contract: the engine version.
    pub engine_version: &'static str,
    /// Beyond the contract: cautions about what not to do yet.
    pub cautions: Vec<Notice>,
    /// Beyond the contract: input fields that were not understood (ignored).
    pub warnings: Vec<Warning>,
}

/// A notice or caution: an id and a Japanese message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub id: &'static str,
    pub message: Cow<'static, str>,
}

/// A value graded `interpretation` or `unverified` that the evaluation used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assumption {
    pub parameter: &'static str,
    pub grade: Grade,
    #[serde(serialize_with = "ser_arc_str")]
    pub note: Arc<str>,
    /// A Japanese name for people (in process only; `ParamId::label_ja`).
    #[serde(skip)]
    pub label: &'static str,
    /// Which figures it affects (in process only; `ParamId::figure`).
    #[serde(skip)]
    pub affects: Figure,
}

/// The SME test (中小企業の範囲).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct SmeResult {
    pub result: bool,
    /// `None` for an employer without capital.
    pub capital_test: Option<bool>,
    pub employee_test: bool,
}

/// The telework performance test over evaluation period 1.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct TeleworkResult {
    pub target_workers: u32,
    pub workers_with_telework: u32,
    pub telework_days: u32,
    pub period_days: u32,
    pub all_workers_once: bool,
    pub weekly_average_met: bool,
    /// Expanding employers (令和6年度 on): telework instances before.
    pub before_count: Option<u64>,
    /// Expanding employers: whether the growth over `before_count` was reached.
    pub growth_met: Option<bool>,
    pub met: bool,
}

/// Why an expense item is not eligible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IneligibleReason {
    IneligibleCategory,
    OtherSubsidy,
    NotCertified,
    NotPaid,
    BeforeCertification,
    AfterApplication,
}

impl IneligibleReason {
    /// A Japanese explanation.
    pub fn label_ja(self) -> &'static str {
        match self {
            IneligibleReason::IneligibleCategory => "助成対象外の経費です",
            IneligibleReason::OtherSubsidy => "他の助成金・補助金を受けている経費は対象外です",
            IneligibleReason::NotCertified => "計画の認定前です（認定日以降の納品・支払のみ対象）",
            IneligibleReason::NotPaid => "支払が済んでいません（納品・支払が必要）",
            IneligibleReason::BeforeCertification => {
                "計画認定日より前に納品または支払がされています"
            }
            IneligibleReason::AfterApplication => {
                "支給申請日（未申請なら申請期限）より後に納品または支払がされています"
            }
        }
    }
}

/// One expense item's outcome.
#[derive(Clone, Debug, Serialize)]
pub struct ItemResult {
    pub id: String,
    pub eligible: bool,
    pub reason: Option<IneligibleReason>,
}

/// One claimed category's outcome.
#[derive(Clone, Debug, Serialize)]
pub struct CategoryResult {
    pub category: ExpenseCategory,
    pub claimed_yen: Yen,
    pub cap_yen: Yen,
    pub eligible_yen: Yen,
}

/// Expenses with their caps and timing.
#[derive(Clone, Debug, Serialize)]
pub struct ExpensesResult {
    pub items: Vec<ItemResult>,
    pub categories: Vec<CategoryResult>,
    pub eligible_total_yen: Yen,
}

/// A turnover rate over one period.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct TurnoverRate {
    pub headcount: u64,
    pub separations: u64,
    /// The rate as an exact fraction, separations ÷ headcount (not × 100);
    /// `None` when the headcount is 0. Serialized as `rate_percent`, in percent
    /// rounded half up to 2 places.
    #[serde(rename = "rate_percent", serialize_with = "ser_percent")]
    pub rate: Option<Ratio>,
}

/// Turnover for both periods.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct TurnoverResult {
    pub plan: Option<TurnoverRate>,
    pub evaluation: Option<TurnoverRate>,
}

/// The wage requirement's outcome.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct WageResult {
    pub met: bool,
}

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    Fail,
    Pending,
}

/// Which requirement a check tests. Serialised as its snake-case name, the
/// `id` of the case format (`checks[].id`); [`CheckId::as_str`] gives the
/// same name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckId {
    /// `employment_insurance`
    EmploymentInsurance,
    /// `no_prior_subsidy`
    NoPriorSubsidy,
    /// `no_telework_rules_at_plan`
    NoTeleworkRulesAtPlan,
    /// `common_requirements`
    CommonRequirements,
    /// `sme`
    Sme,
    /// `telework_status`
    TeleworkStatus,
    /// `plan_certified`
    PlanCertified,
    /// `direct_target_worker`
    DirectTargetWorker,
    /// `evaluation_period`
    EvaluationPeriod,
    /// `work_rules_established`
    WorkRulesEstablished,
    /// `workplace_climate`
    WorkplaceClimate,
    /// `measures`
    Measures,
    /// `telework_performance`
    TeleworkPerformance,
    /// `eligible_expenses`
    EligibleExpenses,
    /// `application_timely`
    ApplicationTimely,
    /// `equipment_subsidy`
    EquipmentSubsidy,
    /// `turnover_not_increased`
    TurnoverNotIncreased,
    /// `turnover_at_most_30`
    #[serde(rename = "turnover_at_most_30")]
    TurnoverAtMost30,
    /// `goal_telework_growth`
    GoalTeleworkGrowth,
    /// `goal_telework_headcount`
    GoalTeleworkHeadcount,
    /// `goal_application_timely`
    GoalApplicationTimely,
}

impl CheckId {
    /// Every check id, in the order the engine reports them.
    pub const ALL: [CheckId; 21] = [
        CheckId::EmploymentInsurance,
        CheckId::NoPriorSubsidy,
        CheckId::NoTeleworkRulesAtPlan,
        CheckId::CommonRequirements,
        CheckId::Sme,
        CheckId::TeleworkStatus,
        CheckId::PlanCertified,
        CheckId::DirectTargetWorker,
        CheckId::EvaluationPeriod,
        CheckId::WorkRulesEstablished,
        CheckId::WorkplaceClimate,
        CheckId::Measures,
        CheckId::TeleworkPerformance,
        CheckId::EligibleExpenses,
        CheckId::ApplicationTimely,
        CheckId::EquipmentSubsidy,
        CheckId::TurnoverNotIncreased,
        CheckId::TurnoverAtMost30,
        CheckId::GoalTeleworkGrowth,
        CheckId::GoalTeleworkHeadcount,
        CheckId::GoalApplicationTimely,
    ];

    /// The id as the case format writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::EmploymentInsurance => "employment_insurance",
            CheckId::NoPriorSubsidy => "no_prior_subsidy",
            CheckId::NoTeleworkRulesAtPlan => "no_telework_rules_at_plan",
            CheckId::CommonRequirements => "common_requirements",
            CheckId::Sme => "sme",
            CheckId::TeleworkStatus => "telework_status",
            CheckId::PlanCertified => "plan_certified",
            CheckId::DirectTargetWorker => "direct_target_worker",
            CheckId::EvaluationPeriod => "evaluation_period",
            CheckId::WorkRulesEstablished => "work_rules_established",
            CheckId::WorkplaceClimate => "workplace_climate",
            CheckId::Measures => "measures",
            CheckId::TeleworkPerformance => "telework_performance",
            CheckId::EligibleExpenses => "eligible_expenses",
            CheckId::ApplicationTimely => "application_timely",
            CheckId::EquipmentSubsidy => "equipment_subsidy",
            CheckId::TurnoverNotIncreased => "turnover_not_increased",
            CheckId::TurnoverAtMost30 => "turnover_at_most_30",
            CheckId::GoalTeleworkGrowth => "goal_telework_growth",
            CheckId::GoalTeleworkHeadcount => "goal_telework_headcount",
            CheckId::GoalApplicationTimely => "goal_application_timely",
        }
    }

    /// The id named `s`, if the engine has such a check.
    pub fn parse(s: &str) -> Option<CheckId> {
        CheckId::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl std::fmt::Display for CheckId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One requirement, its outcome, its source and an explanation.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    pub id: CheckId,
    pub status: CheckStatus,
    pub citation: &'static str,
    pub message: String,
}

/// Whether a subsidy is payable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubsidyStatus {
    Payable,
    NotPayable,
    Pending,
}

impl SubsidyStatus {
    /// `not_payable` when any check fails, else `pending` when any is pending,
    /// else `payable` (case-format.md).
    pub fn of(checks: &[Check]) -> SubsidyStatus {
        if checks.iter().any(|c| c.status == CheckStatus::Fail) {
            SubsidyStatus::NotPayable
        } else if checks.iter().any(|c| c.status == CheckStatus::Pending) {
            SubsidyStatus::Pending
        } else {
            SubsidyStatus::Payable
        }
    }

    /// Japanese label.
    pub fn label_ja(self) -> &'static str {
        match self {
            SubsidyStatus::Payable => "支給対象",
            SubsidyStatus::NotPayable => "不支給",
            SubsidyStatus::Pending => "判定待ち",
        }
    }
}

/// The first subsidy: 機器等導入助成 (plan regimes) or 制度導入助成 (no-plan).
#[derive(Clone, Debug, Serialize)]
pub struct EquipmentSubsidy {
    pub name: &'static str,
    pub status: SubsidyStatus,
    /// Null in the no-plan regimes (fixed amount).
    pub base_yen: Option<Yen>,
    /// Null in the no-plan regimes (fixed amount).
    pub rate_percent: Option<u32>,
    pub cap_yen: Yen,
    pub amount_yen: Yen,
    pub checks: Vec<Check>,
}

/// The goal subsidy (目標達成助成).
#[derive(Clone, Debug, Serialize)]
pub struct GoalSubsidy {
    pub name: &'static str,
    pub status: SubsidyStatus,
    pub base_yen: Option<Yen>,
    pub rate_percent: Option<u32>,
    pub cap_yen: Yen,
    pub amount_yen: Yen,
    /// Plan regimes: workers who teleworked in period 2. No-plan regimes:
    /// telework instances of the target workers in period 2.
    pub teleworkers: Option<u64>,
    /// Plan regimes: the required headcount. No-plan regimes: period 1's instances.
    #[serde(serialize_with = "ser_ratio")]
    pub required_teleworkers: Option<Ratio>,
    /// Beyond the contract: `required_teleworkers` as an exact fraction, e.g. `11/4`.
    #[serde(serialize_with = "ser_fraction")]
    pub required_teleworkers_exact: Option<Ratio>,
    pub checks: Vec<Check>,
}

/// The productivity requirement (生産性要件).
#[derive(Clone, Debug, Serialize)]
pub struct ProductivityResult {
    pub met: bool,
    /// `stated`, `computed`, `not_given`, or `ignored` (regimes without it).
    pub basis: &'static str,
    /// Growth of productivity in hundredths of a percent, when computed and defined.
    #[serde(serialize_with = "ser_signed_hundredths")]
    pub growth_percent: Option<i128>,
}

fn ser_percent<S: Serializer>(r: &Option<Ratio>, s: S) -> Result<S::Ok, S::Error> {
    match r {
        Some(r) => s.serialize_f64(r.percent_hundredths_half_up() as f64 / 100.0),
        None => s.serialize_none(),
    }
}

fn ser_ratio<S: Serializer>(r: &Option<Ratio>, s: S) -> Result<S::Ok, S::Error> {
    match r {
        Some(r) => s.serialize_f64(r.to_f64()),
        None => s.serialize_none(),
    }
}

fn ser_fraction<S: Serializer>(r: &Option<Ratio>, s: S) -> Result<S::Ok, S::Error> {
    match r {
        Some(r) => s.serialize_str(&r.to_fraction_string()),
        None => s.serialize_none(),
    }
}

fn ser_signed_hundredths<S: Serializer>(v: &Option<i128>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_f64(*v as f64 / 100.0),
        None => s.serialize_none(),
    }
}

/// Evaluates a parsed case.
pub fn evaluate(parsed: &ParsedCase) -> Evaluation {
    evaluate_case(&parsed.case, parsed.regime, &parsed.warnings)
}

/// Evaluates `case` under `regime`. Pure: "today" is `case.as_of`.
pub fn evaluate_case(case: &Case, regime: &Regime, warnings: &[Warning]) -> Evaluation {
    let ctx = Context::new(case, regime);
    let sme = sme_test(regime, &case.employer);
    let telework = ctx
        .schedule
        .evaluation_period
        .map(|period| telework_performance(regime, case, &period));
    let expenses = expenses(&ctx);
    let turnover = turnover(&ctx);
    let productivity = match regime.params.premium_condition {
        PremiumCondition::Productivity => productivity(regime, case.productivity.as_ref()),
        _ => ProductivityResult {
            met: false,
            basis: "ignored",
            growth_percent: None,
        },
    };
    let wage_increase = match regime.params.premium_condition {
        PremiumCondition::Wage => case.wage_increase.map(|w| WageResult {
            met: wage_increase_met(regime, w),
        }),
        _ => None,
    };
    let premium_met = match regime.params.premium_condition {
        PremiumCondition::Productivity => productivity.met,
        PremiumCondition::Wage => wage_increase.is_some_and(|w| w.met),
        PremiumCondition::None => false,
    };

    let equipment = match &regime.design {
        Design::Plan(plan) => {
            plan_equipment_subsidy(&ctx, plan, &sme, telework.as_ref(), &expenses)
        }
        Design::NoPlan(no_plan) => {
            no_plan_equipment_subsidy(&ctx, no_plan, &sme, telework.as_ref())
        }
    };
    let goal = match &regime.design {
        Design::Plan(plan) => {
            plan_goal_subsidy(&ctx, plan, &equipment, &turnover, &expenses, premium_met)
        }
        Design::NoPlan(no_plan) => no_plan_goal_subsidy(
            &ctx,
            no_plan,
            &equipment,
            &turnover,
            telework.as_ref(),
            premium_met,
        ),
    };

    let notices = notices(case, regime);
    let assumptions = assumptions(
        regime,
        &used_params(case, regime, telework.is_some(), premium_met),
    );
    let mut cautions = Vec::new();
    if regime.kind == RegimeKind::Plan && case.plan.certified_on.is_none() {
        cautions.push(Notice {
            id: "before_certification",
            message: "計画の認定前に、就業規則へのテレワーク規定の追加や、テレワーク用機器・サービスの購入・納品・支払をしないでください。認定前の取組は助成の対象外になり、就業規則の整備が認定前だと機器等導入助成を受けられません".into(),
        });
    }
    if let (Some(window), RegimeKind::NoPlan) = (ctx.schedule.measures_window, regime.kind) {
        if case.as_of <= window.to() {
            cautions.push(Notice {
                id: "measures_window",
                message: format!(
                    "職場風土作り・就業規則の整備・研修やコンサルティングは、評価期間の初日の前3か月（{} 〜 {}）に行ったものだけが数えられます",
                    jd(window.from()),
                    jd(window.to())
                ).into(),
            });
        }
    }

    Evaluation {
        regime: regime.id.clone(),
        as_of: case.as_of,
        schedule: ctx.schedule,
        sme,
        telework,
        expenses,
        equipment_subsidy: equipment,
        turnover,
        wage_increase,
        goal_subsidy: goal,
        notices,
        assumptions,
        regime_name: regime.name.clone(),
        regime_kind: regime.kind,
        productivity,
        engine_version: ENGINE_VERSION,
        cautions,
        warnings: warnings.to_vec(),
    }
}

/// What every rule may need: the case, the regime and the schedule.
struct Context<'a> {
    case: &'a Case,
    regime: &'a Regime,
    schedule: Schedule,
    /// 計画認定日 (plan regimes only).
    certified: Option<Date>,
    as_of: Date,
}

impl<'a> Context<'a> {
    fn new(case: &'a Case, regime: &'a Regime) -> Self {
        let schedule = schedule(
            regime,
            Dates {
                submitted: case.plan.submitted_on,
                certified: case.plan.certified_on,
                evaluation_start: case.evaluation_start,
            },
        );
        Context {
            case,
            regime,
            schedule,
            certified: match regime.kind {
                RegimeKind::Plan => case.plan.certified_on,
                RegimeKind::NoPlan => None,
            },
            as_of: case.as_of,
        }
    }

    fn target_count(&self) -> u64 {
        self.case.plan.target_workers.len() as u64
    }

    fn equipment_deadline(&self) -> Option<Deadline> {
        self.schedule.equipment_application_deadline
    }

    /// "Open" (case-format.md; regimes.md §6.13): the deadline is not known yet
    /// (not certified, or no evaluation period in the no-plan regimes), or the
    /// first subsidy is not filed and today is on or before its effective
    /// deadline. Once closed, a missing item fails.
    fn equipment_open(&self) -> bool {
        let filed = self.case.equipment_application_filed_on.is_some();
        match (self.equipment_deadline(), self.regime.kind) {
            // Plan regimes: open until certified, whatever else happened.
            (None, RegimeKind::Plan) => true,
            // No-plan regimes: "open" is not filed and not past the deadline;
            // without an evaluation period there is no deadline to pass yet.
            (None, RegimeKind::NoPlan) => !filed,
            (Some(d), _) => !filed && self.as_of <= d.effective,
        }
    }

    /// The last day an expense, the work rules or the climate measures may fall
    /// on: the filing day, or the effective deadline before filing (rules-R4.md §4).
    fn expense_limit(&self) -> Option<Date> {
        self.case
            .equipment_application_filed_on
            .or(self.equipment_deadline().map(|d| d.effective))
    }
}

// ---------------------------------------------------------------------------
// 支給対象事業主: the SME test.

/// 中小企業の範囲 (seed 002 【参考】): 「資本金の額・出資の総額」か「常時雇用する
/// 労働者の数」のいずれかを満たす企業. Limits are inclusive (以下). An employer
/// without capital is judged by employees alone.
pub fn sme_test(regime: &Regime, employer: &Employer) -> SmeResult {
    sme_test_parts(
        regime,
        employer.industry,
        employer.capital_yen,
        employer.regular_employees,
    )
}

/// [`sme_test`] on the three figures it needs.
pub fn sme_test_parts(
    regime: &Regime,
    industry: Industry,
    capital_yen: Option<Yen>,
    regular_employees: u64,
) -> SmeResult {
    let limits = &regime.params.sme_limits;
    let limit = limits.limit(industry);
    let capital_test = capital_yen.map(|c| c.0 <= limit.capital_max_yen);
    let employee_test = regular_employees <= limit.employees_max;
    let result = match (capital_test, limits.either_test_suffices) {
        (None, _) => employee_test,
        (Some(c), true) => c || employee_test,
        (Some(c), false) => c && employee_test,
    };
    SmeResult {
        result,
        capital_test,
        employee_test,
    }
}

/// 支給要件 (イ)(ロ): whether an employer in `status` qualifies under `regime`.
/// New employers always do; trial employers from 2021-12-21; expanding
/// employers from 令和6年度; established employers never.
pub fn telework_status_ok(regime: &Regime, status: TeleworkStatus) -> bool {
    match status {
        TeleworkStatus::None => true,
        TeleworkStatus::TrialOngoing | TeleworkStatus::TrialEnded => regime.params.trial_eligible,
        TeleworkStatus::Expanding => regime.params.expanding_eligible,
        TeleworkStatus::Established => false,
    }
}

/// 就業規則などにテレワークに関する規定がない事業主: passes for an expanding employer
/// where they qualify (their rules already provide for telework).
pub fn no_telework_rules_ok(
    regime: &Regime,
    status: TeleworkStatus,
    rules_have_telework: bool,
) -> bool {
    (status == TeleworkStatus::Expanding && regime.params.expanding_eligible)
        || !rules_have_telework
}

/// 過去にテレワーク導入に係る助成金の支給を受けていない事業主 (regimes.md §2, §6.7):
/// this course or the ministry's earlier telework courses always disqualify;
/// any other national or local telework subsidy only where the regime says so (R3a).
pub fn no_prior_subsidy_ok(regime: &Regime, e: &Employer) -> bool {
    let other_bars =
        regime.params.other_telework_subsidy_disqualifies && e.received_other_telework_subsidy;
    !(e.received_telework_subsidy || other_bars)
}

/// The employer requirements that need no dates: employment insurance, the
/// common grounds for refusal, SME, telework status, no telework rules at the
/// start, no prior subsidy.
pub fn employer_requirements_met(regime: &Regime, e: &Employer) -> bool {
    e.employment_insurance
        && e.disqualifications.as_ref().is_none_or(|d| d.is_empty())
        && sme_test(regime, e).result
        && telework_status_ok(regime, e.telework_status)
        && no_telework_rules_ok(regime, e.telework_status, e.work_rules_have_telework)
        && no_prior_subsidy_ok(regime, e)
}

// ---------------------------------------------------------------------------
// 支給額: amounts and caps (支給要領 0504, 0508).

/// A subsidy's cap: the lower of a fixed cap and a cap per target worker
/// (「100万円又は対象労働者数×20万円のいずれか低い額」).
pub fn subsidy_cap(cap_yen: u64, cap_per_target_worker_yen: u64, target_workers: u64) -> Yen {
    Yen(cap_yen.min(cap_per_target_worker_yen.saturating_mul(target_workers)))
}

/// A subsidy's amount: floor(base × rate %), at most `cap`.
pub fn subsidy_amount(base: Yen, rate_percent: u32, cap: Yen) -> Yen {
    base.percent_floor(rate_percent).min(cap)
}

/// The plan regimes' goal subsidy: (rate, cap, amount). The rate is the premium
/// rate when the premium condition is met; the amount never exceeds what the
/// combined cap leaves after the equipment subsidy (rules-R4.md §8).
pub fn goal_amount(
    regime: &Regime,
    plan: &PlanDesign,
    base: Yen,
    premium_met: bool,
    target_workers: u64,
    equipment: Yen,
) -> (u32, Yen, Yen) {
    let rate = if premium_met && regime.params.premium_condition != PremiumCondition::None {
        plan.goal_rate_premium_percent
    } else {
        plan.goal_rate_percent
    };
    let cap = subsidy_cap(
        plan.subsidy_cap_yen,
        plan.subsidy_cap_per_worker_yen,
        target_workers,
    );
    let room = Yen(regime.params.combined_cap_yen).minus(equipment);
    (rate, cap, subsidy_amount(base, rate, cap).min(room))
}

/// The plan regimes' equipment subsidy: (rate, cap, amount) for `base`.
pub fn equipment_amount(plan: &PlanDesign, base: Yen, target_workers: u64) -> (u32, Yen, Yen) {
    let cap = subsidy_cap(
        plan.subsidy_cap_yen,
        plan.subsidy_cap_per_worker_yen,
        target_workers,
    );
    let rate = plan.equipment_rate_percent;
    (rate, cap, subsidy_amount(base, rate, cap))
}

/// The no-plan regimes' goal subsidy: 10万円, or 15万円 with 賃金要件.
pub fn fixed_goal_amount(no_plan: &NoPlanDesign, premium_met: bool) -> Yen {
    Yen(if premium_met {
        no_plan.goal_amount_premium_yen
    } else {
        no_plan.goal_amount_yen
    })
}

/// (ハ) 評価時離職率が計画時離職率以下, exact; `None` when either rate is undefined.
pub fn turnover_not_increased(evaluation: Option<Ratio>, plan: Option<Ratio>) -> Option<bool> {
    Some(evaluation? <= plan?)
}

/// (ニ) 評価時離職率が max % 以下, exact; `None` when the rate is undefined.
pub fn turnover_at_most(evaluation: Option<Ratio>, max_percent: u32) -> Option<bool> {
    let limit = Ratio::new(u128::from(max_percent), 100)?;
    Some(evaluation? <= limit)
}

/// The goal's required number of teleworkers: workers on period 2's first day
/// × target workers ÷ workers on 計画認定日, exact; `None` when nobody was
/// employed on 計画認定日.
pub fn required_teleworkers(
    on_goal_start: u64,
    target_workers: u64,
    on_certification: u64,
) -> Option<Ratio> {
    Ratio::new(
        u128::from(on_goal_start) * u128::from(target_workers),
        u128::from(on_certification),
    )
}

/// Whether `teleworkers` meets the required number, exactly.
pub fn goal_headcount_met(teleworkers: u64, required: Ratio) -> bool {
    Ratio::integer(u128::from(teleworkers)) >= required
}

/// 実施拡大事業主のテレワーク実績: period 1's count at least `growth_percent` above
/// the count before, exactly (`count × 100 ≥ before × (100 + g)`), and at least 1.
pub fn growth_met(count: u64, before: u64, growth_percent: u32) -> bool {
    count >= 1 && u128::from(count) * 100 >= u128::from(before) * (100 + u128::from(growth_percent))
}

/// 賃金要件: total wages after the raise at least `wage_increase_percent` above
/// those before, exactly (`after × 100 ≥ before × 105`), or as stated.
pub fn wage_increase_met(regime: &Regime, w: WageIncrease) -> bool {
    match w {
        WageIncrease::Stated { met } => met,
        WageIncrease::Figures {
            before_yen,
            after_yen,
        } => {
            u128::from(after_yen.0) * 100
                >= u128::from(before_yen.0)
                    * (100 + u128::from(regime.params.wage_increase_percent))
        }
    }
}

// ---------------------------------------------------------------------------
// テレワーク実績基準.

/// Telework days of `workers` in `period` at counted places, once per worker
/// per day: per worker (by index) a bitset of the period's days. Returns (days
/// in all, workers with at least one day).
fn count_telework(regime: &Regime, case: &Case, period: &Period) -> (u32, u32) {
    let targets = &case.plan.target_workers;
    let index: HashMap<&str, usize> = targets
        .iter()
        .enumerate()
        .map(|(i, w)| (w.id.as_str(), i))
        .collect();
    let words = (period.days() as usize).div_ceil(64);
    let mut bits = vec![0u64; words * targets.len()];
    let from = crate::civil::day_number(period.from());
    let mut days = 0u32;
    for day in &case.telework {
        if !regime.params.counts(day.place) || !period.contains(day.date) {
            continue;
        }
        let Some(&w) = index.get(day.worker.as_str()) else {
            continue;
        };
        let offset = (crate::civil::day_number(day.date) - from) as usize;
        let slot = &mut bits[w * words + offset / 64];
        let mask = 1u64 << (offset % 64);
        if *slot & mask == 0 {
            *slot |= mask;
            days += 1;
        }
    }
    let workers = (0..targets.len())
        .filter(|w| bits[w * words..(w + 1) * words].iter().any(|&b| b != 0))
        .count() as u32;
    (days, workers)
}

/// The telework performance test (seed 000 機器等導入助成; 支給要領 0300 (ト)):
/// ① 評価期間（3か月）に1回以上対象労働者全員がテレワークを実施する、又は
/// ② 評価期間に対象労働者がテレワークを実施した回数の週平均を1回以上とする;
/// for expanding employers (令和6年度 on) also the growth over the 3 months before.
///
/// Only target workers' days at a counted place (自宅・サテライトオフィス) inside the
/// period count, once per worker per day. Linear in the number of records.
pub fn telework_performance(regime: &Regime, case: &Case, period: &Period) -> TeleworkResult {
    let p = &regime.params;
    let (telework_days, workers_with_telework) = count_telework(regime, case, period);
    let period_days = period.days();
    let target_workers = case.plan.target_workers.len() as u32;
    let all_workers_once = target_workers > 0 && workers_with_telework == target_workers;
    let weekly_average_met = weekly_average_met(
        p.weekly_average_rule,
        p.weekly_average_min_days_per_week,
        telework_days,
        target_workers,
        period_days,
    );
    let growth = match p.growth_percent {
        Some(g)
            if case.employer.telework_status == TeleworkStatus::Expanding
                && p.expanding_eligible =>
        {
            Some((
                case.telework_before_count,
                case.telework_before_count
                    .is_some_and(|b| growth_met(u64::from(telework_days), b, g)),
            ))
        }
        _ => None,
    };
    TeleworkResult {
        target_workers,
        workers_with_telework,
        telework_days,
        period_days,
        all_workers_once,
        weekly_average_met,
        before_count: growth.and_then(|g| g.0),
        growth_met: growth.map(|g| g.1),
        met: (all_workers_once || weekly_average_met) && growth.is_none_or(|g| g.1),
    }
}

/// Test ②, 週平均1回以上 **[interpretation, rules-R4.md §5]**: per target worker,
/// weeks = days / 7, exact: `days_total × 7 ≥ min × target_workers × period_days`.
/// With no target workers the test cannot be met.
pub fn weekly_average_met(
    basis: WeeklyAverageBasis,
    min_per_week: u32,
    telework_days: u32,
    target_workers: u32,
    period_days: u32,
) -> bool {
    if target_workers == 0 {
        return false;
    }
    let per = match basis {
        WeeklyAverageBasis::PerTargetWorker => u64::from(target_workers),
        WeeklyAverageBasis::PerEstablishment => 1,
    };
    u64::from(telework_days) * 7 >= u64::from(min_per_week) * per * u64::from(period_days)
}

// ---------------------------------------------------------------------------
// 支給対象となる経費 (支給要領 0303).

/// Whether one item is eligible, and if not, why (rules-R4.md §4; regimes.md
/// §6.6): eligible category (travel only for ②③④), not funded by another
/// subsidy, certified plan, paid, delivery and payment on or after 計画認定日 and
/// on or before the filing day (before filing: the effective deadline). The
/// no-plan regimes check category, other subsidy and payment only (§6.14).
/// The first failing reason is reported.
fn item_eligibility(ctx: &Context<'_>, e: &Expense) -> Option<IneligibleReason> {
    let p = &ctx.regime.params;
    let travel_ok = e.category != ExpenseCategory::Travel
        || e.travel_for
            .as_deref()
            .and_then(ExpenseCategory::parse)
            .is_some_and(|c| p.travel_for.contains(&c));
    if !ctx.regime.category(e.category).eligible() || !travel_ok {
        return Some(IneligibleReason::IneligibleCategory);
    }
    if e.funded_by_other_subsidy && p.other_subsidy_item_ineligible {
        return Some(IneligibleReason::OtherSubsidy);
    }
    if ctx.regime.kind == RegimeKind::NoPlan {
        return e.paid_on.is_none().then_some(IneligibleReason::NotPaid);
    }
    let Some(certified) = ctx.certified else {
        return Some(IneligibleReason::NotCertified);
    };
    let Some(paid) = e.paid_on else {
        return Some(IneligibleReason::NotPaid);
    };
    let dates = [Some(paid), e.delivered_on];
    if dates.iter().flatten().any(|&d| d < certified) {
        return Some(IneligibleReason::BeforeCertification);
    }
    if let Some(limit) = ctx.expense_limit() {
        if dates.iter().flatten().any(|&d| d > limit) {
            return Some(IneligibleReason::AfterApplication);
        }
    }
    None
}

/// The eligible part of an item: the whole amount, except that a rental or
/// lease longer than the eligible months counts pro rata
/// (`floor(amount × min(months, max) ÷ months)`, regimes.md §2).
pub fn item_eligible_amount(regime: &Regime, e: &Expense) -> Yen {
    let p = &regime.params;
    match (
        e.category,
        p.pc_rental_lease_proration,
        p.pc_rental_lease_max_months,
    ) {
        (ExpenseCategory::PcRentalLease, Some(LeaseProration::MonthsRatioFloor), Some(max)) => {
            let months = u128::from(e.months.unwrap_or(1).max(1));
            let counted = months.min(u128::from(max));
            Yen((u128::from(e.amount_yen.0) * counted / months) as u64)
        }
        _ => e.amount_yen,
    }
}

/// A category's eligible amount: min(sum of its eligible items, cap).
pub fn capped(
    regime: &Regime,
    category: ExpenseCategory,
    eligible_sum: Yen,
    target_workers: u64,
) -> (Yen, Yen) {
    let cap = regime.category(category).cap(target_workers);
    (cap, eligible_sum.min(cap))
}

/// Items, per-category caps and the eligible total: a category's eligible amount
/// is min(sum of its eligible items, cap); categories sorted by id.
fn expenses(ctx: &Context<'_>) -> ExpensesResult {
    let mut items = Vec::with_capacity(ctx.case.expenses.len());
    // (claimed, eligible sum, claimed at all) per category, by category index.
    let mut sums = vec![(Yen(0), Yen(0), false); ExpenseCategory::ALL.len()];
    for e in &ctx.case.expenses {
        let reason = item_eligibility(ctx, e);
        let slot = &mut sums[e.category as usize];
        slot.0 = slot.0.plus(e.amount_yen);
        slot.2 = true;
        if reason.is_none() {
            slot.1 = slot.1.plus(item_eligible_amount(ctx.regime, e));
        }
        items.push(ItemResult {
            id: e.id.clone(),
            eligible: reason.is_none(),
            reason,
        });
    }
    let mut categories: Vec<CategoryResult> = ExpenseCategory::ALL
        .iter()
        .filter(|c| sums[**c as usize].2)
        .map(|&category| {
            let (claimed, eligible_sum, _) = sums[category as usize];
            let (cap, eligible) = capped(ctx.regime, category, eligible_sum, ctx.target_count());
            CategoryResult {
                category,
                claimed_yen: claimed,
                cap_yen: cap,
                eligible_yen: eligible,
            }
        })
        .collect();
    categories.sort_by(|a, b| a.category.as_str().cmp(b.category.as_str()));
    let eligible_total_yen = categories
        .iter()
        .fold(Yen(0), |acc, c| acc.plus(c.eligible_yen));
    ExpensesResult {
        items,
        categories,
        eligible_total_yen,
    }
}

// ---------------------------------------------------------------------------
// 離職率.

/// Workers on the payroll on `day`: hired on or before it and not separated
/// before it (someone whose last day is `day` is still on it).
pub fn headcount_on(roster: &[RosterEntry], day: Date) -> u64 {
    roster
        .iter()
        .filter(|r| r.hired_on <= day && r.left_on.is_none_or(|l| l >= day))
        .count() as u64
}

/// Separations counted in `period` (seed 002 ⑧): last day of employment inside
/// the period, except the excluded reasons (定年退職・重責解雇・役員昇格).
pub fn separations_in(roster: &[RosterEntry], period: &Period, excluded: &[LeaveReason]) -> u64 {
    roster
        .iter()
        .filter(|r| {
            r.left_on.is_some_and(|l| period.contains(l))
                && !r.leave_reason.is_some_and(|why| excluded.contains(&why))
        })
        .count() as u64
}

/// 離職率(％) = 所定の期間に離職した労働者 ÷ 所定の期間の初日における労働者 × 100
/// (seed 002 ⑧), exact.
pub fn turnover_rate(
    roster: &[RosterEntry],
    period: &Period,
    excluded: &[LeaveReason],
) -> TurnoverRate {
    let headcount = headcount_on(roster, period.from());
    let separations = separations_in(roster, period, excluded);
    TurnoverRate {
        headcount,
        separations,
        rate: Ratio::new(u128::from(separations), u128::from(headcount)),
    }
}

fn turnover(ctx: &Context<'_>) -> TurnoverResult {
    let Some(roster) = ctx.case.roster.as_deref() else {
        return TurnoverResult {
            plan: None,
            evaluation: None,
        };
    };
    let excluded = &ctx.regime.params.turnover_excluded_reasons;
    let plan = ctx
        .schedule
        .plan_turnover_period
        .map(|p| turnover_rate(roster, &p, excluded));
    // The evaluation-time rate exists only once its period is over.
    let evaluation = ctx
        .schedule
        .evaluation_turnover_period
        .filter(|p| ctx.as_of > p.to())
        .map(|p| turnover_rate(roster, &p, excluded));
    TurnoverResult { plan, evaluation }
}

// ---------------------------------------------------------------------------
// 生産性要件.

/// The productivity requirement (rules-R4.md §8).
///
/// Productivity = (営業利益 + 人件費 + 減価償却費 + 動産・不動産賃借料 + 租税公課)
/// ÷ 雇用保険被保険者数. It is met when the latest year is at least 6 % above the
/// base year, or at least 1 % with a financial institution's evaluation.
/// **[interpretation]** Growth is undefined (not met) when the base year's
/// productivity is not positive.
pub fn productivity(regime: &Regime, p: Option<&Productivity>) -> ProductivityResult {
    let params = &regime.params;
    match p {
        None => ProductivityResult {
            met: false,
            basis: "not_given",
            growth_percent: None,
        },
        Some(Productivity::Stated { met }) => ProductivityResult {
            met: *met,
            basis: "stated",
            growth_percent: None,
        },
        Some(Productivity::Figures {
            base_year,
            latest_year,
            financial_institution_evaluation,
        }) => {
            // productivity_x = va_x / w_x; growth = latest/base − 1.
            // latest ≥ base × (100 + g)/100  ⇔  va_l·w_b·100 ≥ va_b·w_l·(100 + g).
            let (va_b, w_b) = (
                base_year.value_added(),
                i128::from(base_year.insured_workers),
            );
            let (va_l, w_l) = (
                latest_year.value_added(),
                i128::from(latest_year.insured_workers),
            );
            if va_b <= 0 {
                return ProductivityResult {
                    met: false,
                    basis: "computed",
                    growth_percent: None,
                };
            }
            let lhs = va_l * w_b * 100;
            let needed = if *financial_institution_evaluation {
                params.productivity_growth_with_financial_institution_percent
            } else {
                params.productivity_growth_percent
            };
            let met = lhs >= va_b * w_l * (100 + i128::from(needed));
            // growth in hundredths of a percent, floored, for display.
            let growth = (va_l * w_b * 10_000).div_euclid(va_b * w_l) - 10_000;
            ProductivityResult {
                met,
                basis: "computed",
                growth_percent: Some(growth),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Checks shared by every regime.

const CITE_SUPPORT: &str = "支給要領 0300 支給対象事業主";
const CITE_COMMON: &str = "共通要領 0303 不支給要件";
const CITE_SME: &str = "共通要領 0202 中小企業事業主の範囲";
const CITE_TELEWORK_STATUS: &str = "支給要領 0300 支給対象事業主 (イ)(ロ)";
const CITE_EXPANDING: &str = "支給要領 0300 支給対象事業主（実施拡大事業主）";
const CITE_0201: &str = "支給要領 0201";
const CITE_WORK_RULES: &str = "支給要領 0300 (ニ)";
const CITE_CLIMATE: &str = "支給要領 0300 職場風土作り";
const CITE_PERFORMANCE: &str = "支給要領 0300 (ト)";
const CITE_EXPENSES: &str = "支給要領 0303";
const CITE_FLOW: &str = "労働局リーフレット「ご利用の流れ」 支給申請の期限";
const CITE_NP_CLIMATE: &str = "令和7年度〜 支給要件 職場風土作り";
const CITE_NP_MEASURES: &str = "令和7年度〜 支給要件 テレワークを可能とする取組";
const CITE_NP_WORK_RULES: &str = "令和7年度〜 支給要件 就業規則等の整備";
const CITE_NP_PERFORMANCE: &str = "令和7年度〜 支給要件 評価期間（制度導入助成）の実績";
const CITE_NP_FLOW: &str = "令和7年度〜 支給申請期間（評価期間終了後2か月以内）";

/// Every citation a check can carry; `docs/rules-map.md` maps each to its
/// check ids, functions, tests and the passage it rests on.
pub const CITATIONS: &[&str] = &[
    CITE_SUPPORT,
    CITE_COMMON,
    CITE_SME,
    CITE_TELEWORK_STATUS,
    CITE_EXPANDING,
    CITE_0201,
    CITE_WORK_RULES,
    CITE_CLIMATE,
    CITE_PERFORMANCE,
    CITE_EXPENSES,
    CITE_FLOW,
    CITE_NP_CLIMATE,
    CITE_NP_MEASURES,
    CITE_NP_WORK_RULES,
    CITE_NP_PERFORMANCE,
    CITE_NP_FLOW,
    CITE_GOAL_EQUIPMENT,
    CITE_GOAL_TURNOVER,
    CITE_GOAL_30,
    CITE_GOAL_HEADCOUNT,
    CITE_NP_GOAL_EQUIPMENT,
    CITE_NP_GOAL_GROWTH,
];

fn check(id: CheckId, status: CheckStatus, citation: &'static str, message: String) -> Check {
    Check {
        id,
        status,
        citation,
        message,
    }
}

/// A target to reach within a period: passed as soon as it is met, pending
/// while the period is not over (today on or before its last day), failed after.
pub fn met_by_period_end(met: bool, as_of: Date, period_end: Date) -> CheckStatus {
    if met {
        CheckStatus::Pass
    } else if as_of <= period_end {
        CheckStatus::Pending
    } else {
        CheckStatus::Fail
    }
}

fn pass_fail(ok: bool) -> CheckStatus {
    if ok {
        CheckStatus::Pass
    } else {
        CheckStatus::Fail
    }
}

/// A date for messages: `2022-07-01（令和4年7月1日）`, written straight into
/// the message (no allocation of its own).
fn jd(d: Date) -> JaDate {
    JaDate(d)
}

#[derive(Clone, Copy)]
struct JaDate(Date);

impl std::fmt::Display for JaDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}（{}）", self.0, Wareki(self.0))
    }
}

/// The employer checks every regime starts with, up to `direct_target_worker`.
fn employer_checks(ctx: &Context<'_>, sme: &SmeResult, first_subsidy: &str) -> Vec<Check> {
    let case = ctx.case;
    let employer = &case.employer;
    let regime = ctx.regime;
    let mut checks = Vec::with_capacity(14);

    // 雇用保険の適用事業主 (seed 002 支給要件).
    checks.push(check(
        CheckId::EmploymentInsurance,
        pass_fail(employer.employment_insurance),
        CITE_SUPPORT,
        if employer.employment_insurance {
            "雇用保険の適用事業主です".into()
        } else {
            "雇用保険の適用事業主でないため対象外です。雇用保険の適用手続きが必要です".into()
        },
    ));

    // 共通要領 不支給要件 (regimes.md §2).
    checks.push(match &employer.disqualifications {
        None => check(
            CheckId::CommonRequirements,
            CheckStatus::Pass,
            CITE_COMMON,
            "不支給要件の申告がありません（該当なしとして判定。支給要件確認申立書の提出が必要です）".into(),
        ),
        Some(list) if list.is_empty() => check(
            CheckId::CommonRequirements,
            CheckStatus::Pass,
            CITE_COMMON,
            "雇用関係助成金に共通の不支給要件（不正受給・労働保険料の滞納など）に該当しないと申告されています".into(),
        ),
        Some(list) => check(
            CheckId::CommonRequirements,
            CheckStatus::Fail,
            CITE_COMMON,
            format!(
                "雇用関係助成金に共通の不支給要件に該当するため支給されません: {}",
                list.iter().map(|d| d.label_ja()).collect::<Vec<_>>().join("、")
            ),
        ),
    });

    // 中小企業事業主 (seed 002 【参考】中小企業の範囲).
    let limit = regime.params.sme_limits.limit(employer.industry);
    checks.push(check(
        CheckId::Sme,
        pass_fail(sme.result),
        CITE_SME,
        if sme.result {
            format!(
                "中小企業事業主に該当します（資本金等 {} 以下 または 常時雇用する労働者 {}人以下）",
                Yen(limit.capital_max_yen),
                limit.employees_max
            )
        } else {
            format!(
                "中小企業事業主に該当しないため対象外です。この業種では資本金等 {} 以下 または 常時雇用する労働者 {}人以下のいずれかが必要です（現在: 資本金等 {}、労働者 {}人）",
                Yen(limit.capital_max_yen),
                limit.employees_max,
                employer.capital_yen.map_or("なし".to_string(), |c| c.to_string()),
                employer.regular_employees
            )
        },
    ));

    // (イ) 新規に導入 (ロ) 試行的に導入; 令和6年度から実施拡大事業主.
    let status = employer.telework_status;
    let status_ok = telework_status_ok(regime, status);
    checks.push(check(
        CheckId::TeleworkStatus,
        pass_fail(status_ok),
        CITE_TELEWORK_STATUS,
        match (status, status_ok) {
            (TeleworkStatus::None, _) => "テレワークを新規に導入する事業主です".into(),
            (TeleworkStatus::TrialOngoing | TeleworkStatus::TrialEnded, true) => {
                "テレワークを試行的に導入している（していた）事業主として対象です".into()
            }
            (TeleworkStatus::TrialOngoing | TeleworkStatus::TrialEnded, false) => format!(
                "{}の制度では、テレワークを試行的に導入している（していた）事業主は対象外です（2021年12月21日の改正で対象になりました）",
                regime.name
            ),
            (TeleworkStatus::Expanding, true) => {
                "テレワークの実施を拡大する事業主（実施拡大事業主）として対象です".into()
            }
            (TeleworkStatus::Expanding, false) => format!(
                "{}の制度では、既にテレワークを実施していて拡大する事業主は対象外です（令和6年度から対象）",
                regime.name
            ),
            (TeleworkStatus::Established, _) => {
                "テレワークが既に制度として定着している事業主は対象外です（新規導入・試行導入の事業主が対象）".into()
            }
        },
    ));

    // 就業規則などにテレワークに関する規定がない事業主.
    let expanding = status == TeleworkStatus::Expanding && regime.params.expanding_eligible;
    checks.push(if expanding {
        check(
            CheckId::NoTeleworkRulesAtPlan,
            CheckStatus::Pass,
            CITE_EXPANDING,
            "テレワークを拡充する事業主にはこの要件は適用されません".into(),
        )
    } else {
        let when = match regime.kind {
            RegimeKind::Plan => "計画提出時",
            RegimeKind::NoPlan => "取組の前",
        };
        check(
            CheckId::NoTeleworkRulesAtPlan,
            pass_fail(!employer.work_rules_have_telework),
            CITE_SUPPORT,
            if employer.work_rules_have_telework {
                format!("{when}に就業規則等へ全社的なテレワーク制度の規定が既にあるため、新規導入の事業主として対象外です")
            } else {
                format!("{when}の就業規則等にテレワークの規定はありません")
            },
        )
    });

    // 過去にテレワーク導入に係る助成金の支給を受けていない事業主.
    let prior_ok = no_prior_subsidy_ok(regime, employer);
    checks.push(check(
        CheckId::NoPriorSubsidy,
        pass_fail(prior_ok),
        CITE_SUPPORT,
        if employer.received_telework_subsidy {
            "過去にこの助成金（またはテレワークコースの前身の助成金）を受けているため対象外です"
                .into()
        } else if !prior_ok {
            format!(
                "{}の制度では、国や地方公共団体のテレワーク導入の助成金を受けた事業主は対象外です",
                regime.name
            )
        } else {
            "過去にテレワーク導入に係る助成金を受けていません".into()
        },
    ));

    // 対象労働者のうち1名以上は当該事業主に直接雇用される者 (seed 002 ③; 支給要領 0201).
    let direct = case
        .plan
        .target_workers
        .iter()
        .any(|w| w.employment == Employment::Direct);
    checks.push(check(
        CheckId::DirectTargetWorker,
        pass_fail(direct),
        CITE_0201,
        if direct {
            "直接雇用の対象労働者が1名以上います".into()
        } else {
            format!("対象労働者に直接雇用の労働者が1名もいません。{first_subsidy}の対象となるには、直接雇用の労働者を1名以上、対象労働者に指定してください")
        },
    ));
    checks
}

// ---------------------------------------------------------------------------
// 機器等導入助成 (plan regimes).

fn plan_equipment_subsidy(
    ctx: &Context<'_>,
    plan: &PlanDesign,
    sme: &SmeResult,
    telework: Option<&TeleworkResult>,
    expenses: &ExpensesResult,
) -> EquipmentSubsidy {
    let open = ctx.equipment_open();
    let mut checks = employer_checks(ctx, sme, "機器等導入助成");

    // テレワーク実施計画の認定 (支給要領 0201).
    checks.push(match ctx.certified {
        Some(c) => check(
            CheckId::PlanCertified,
            CheckStatus::Pass,
            CITE_0201,
            format!("テレワーク実施計画は {} に認定されています", jd(c)),
        ),
        None => check(
            CheckId::PlanCertified,
            CheckStatus::Pending,
            CITE_0201,
            "テレワーク実施計画の認定待ちです。認定前に就業規則の変更や機器の購入・支払をしないでください".into(),
        ),
    });

    checks.push(work_rules_check(ctx, open));
    if plan.climate_window.is_some() {
        checks.push(climate_check_plan(ctx, open));
    }
    checks.push(evaluation_period_check(ctx, plan, open));
    checks.push(performance_check(ctx, telework, open, CITE_PERFORMANCE));

    // 支給対象経費 (支給要領 0303).
    let total = expenses.eligible_total_yen;
    checks.push(if total.0 > 0 {
        check(
            CheckId::EligibleExpenses,
            CheckStatus::Pass,
            CITE_EXPENSES,
            format!("支給対象経費は {total} です"),
        )
    } else if open {
        check(
            CheckId::EligibleExpenses,
            CheckStatus::Pending,
            CITE_EXPENSES,
            "支給対象となる経費はまだありません。計画認定日以降に納品・支払を行い、領収書等を保管してください".into(),
        )
    } else {
        check(
            CheckId::EligibleExpenses,
            CheckStatus::Fail,
            CITE_EXPENSES,
            "支給対象となる経費がないため支給されません".into(),
        )
    });

    checks.push(application_timely_check(ctx));

    let (rate, cap, amount) = equipment_amount(plan, total, ctx.target_count());
    EquipmentSubsidy {
        name: "機器等導入助成",
        status: SubsidyStatus::of(&checks),
        base_yen: Some(total),
        rate_percent: Some(rate),
        cap_yen: cap,
        amount_yen: amount,
        checks,
    }
}

/// ⑤ 就業規則等の作成・変更 is mandatory (支給要領 0300 (ニ)): 計画認定日以降、機器等
/// 導入助成の支給申請日までに、テレワーク勤務に関する制度を就業規則又は労働協約に整備.
fn work_rules_check(ctx: &Context<'_>, open: bool) -> Check {
    const ID: CheckId = CheckId::WorkRulesEstablished;
    let case = ctx.case;
    let Some(c) = ctx.certified else {
        return check(ID, CheckStatus::Pending, CITE_WORK_RULES,
            "計画の認定後、支給申請までに就業規則等へテレワーク勤務の規定を整備してください（認定前の整備は対象外になります）".into());
    };
    let limit = ctx.expense_limit();
    match case.work_rules_established_on {
        Some(w) if w < c => check(ID, CheckStatus::Fail, CITE_WORK_RULES,
            format!("就業規則等の整備日 {} が計画認定日 {} より前のため要件を満たしません（認定日以降の整備が必要です）", jd(w), jd(c))),
        Some(w) if limit.is_some_and(|l| w > l) => check(ID, CheckStatus::Fail, CITE_WORK_RULES,
            format!("就業規則等の整備日 {} が支給申請日（または申請期限）より後のため要件を満たしません", jd(w))),
        Some(w) => check(ID, CheckStatus::Pass, CITE_WORK_RULES,
            format!("就業規則等へのテレワーク規定の整備日 {} は計画認定日以降です", jd(w))),
        None if open => check(ID, CheckStatus::Pending, CITE_WORK_RULES,
            "就業規則等へのテレワーク勤務の規定がまだ整備されていません。支給申請日までに整備してください".into()),
        None => check(ID, CheckStatus::Fail, CITE_WORK_RULES,
            "支給申請日（または申請期限）までに就業規則等へテレワーク勤務の規定が整備されていません".into()),
    }
}

/// The two 職場風土作り dates against a window: `Ok(())` when both lie in it,
/// `Err(Some(msg))` when one lies outside, `Err(None)` when one is missing.
fn climate_dates(ctx: &Context<'_>, window: &Period) -> Result<(), Option<String>> {
    let w = &ctx.case.workplace_climate;
    let parts = [
        (
            "企業トップからのメッセージ発信・社内呼びかけ",
            w.top_message_on,
        ),
        ("テレワーク事例の収集・社内周知", w.case_sharing_on),
    ];
    for (what, d) in parts {
        if let Some(d) = d.filter(|d| !window.contains(*d)) {
            return Err(Some(format!(
                "{what}の日付 {} が期間 {} 〜 {} の外です",
                jd(d),
                jd(window.from()),
                jd(window.to())
            )));
        }
    }
    if parts.iter().any(|(_, d)| d.is_none()) {
        return Err(None);
    }
    Ok(())
}

/// 職場風土作り (regimes.md §2; 令和4年度 on): both a message from the top (or a
/// company-wide call) and collected cases shared in the company, dated on or
/// after 計画認定日 and on or before the filing day (before filing: the
/// effective deadline) **[interpretation: the measures' window]**.
fn climate_check_plan(ctx: &Context<'_>, open: bool) -> Check {
    const ID: CheckId = CheckId::WorkplaceClimate;
    let todo = "全労働者に向けた「企業トップからのメッセージ発信・社内呼びかけ」と「テレワーク事例の収集・社内周知」";
    let Some(c) = ctx.certified else {
        return check(
            ID,
            CheckStatus::Pending,
            CITE_CLIMATE,
            format!("計画の認定後、支給申請までに{todo}を行ってください"),
        );
    };
    let to = ctx.expense_limit().unwrap_or(c);
    let window = Period::new(c, to).unwrap_or_else(|| Period::of_months(c, 1));
    match climate_dates(ctx, &window) {
        Ok(()) => check(
            ID,
            CheckStatus::Pass,
            CITE_CLIMATE,
            "職場風土作り（トップメッセージ・事例の共有）を計画認定日以降に行っています".into(),
        ),
        Err(Some(why)) => check(
            ID,
            CheckStatus::Fail,
            CITE_CLIMATE,
            format!("{why}。職場風土作りは計画認定日から支給申請日までに行う必要があります"),
        ),
        Err(None) if open => check(
            ID,
            CheckStatus::Pending,
            CITE_CLIMATE,
            format!("職場風土作りがまだ済んでいません。支給申請までに{todo}を行い、記録を残してください"),
        ),
        Err(None) => check(
            ID,
            CheckStatus::Fail,
            CITE_CLIMATE,
            format!("支給申請日（または申請期限）までに{todo}が行われていないため要件を満たしません"),
        ),
    }
}

/// 評価期間（機器等導入助成）: 計画認定日から起算して6か月を経過する日までの期間に
/// おいて任意に連続する3ヶ月間 (seed 002 ⑥; 支給要領 0201).
fn evaluation_period_check(ctx: &Context<'_>, plan: &PlanDesign, open: bool) -> Check {
    const ID: CheckId = CheckId::EvaluationPeriod;
    let months = plan.evaluation_window_months;
    let (Some(window), Some(_)) = (ctx.schedule.evaluation_window, ctx.certified) else {
        return check(
            ID,
            CheckStatus::Pending,
            CITE_0201,
            format!("計画の認定後に、認定日から{months}か月以内で連続する3か月の評価期間を決めてください"),
        );
    };
    match ctx.schedule.evaluation_period {
        Some(period) if window.covers(&period) => check(ID, CheckStatus::Pass, CITE_0201,
            format!("評価期間 {} 〜 {} は認定日から{months}か月の期間内です", jd(period.from()), jd(period.to()))),
        Some(period) => check(ID, CheckStatus::Fail, CITE_0201,
            format!("評価期間 {} 〜 {} が、認定日から{months}か月の期間（{} 〜 {}）からはみ出しています", jd(period.from()), jd(period.to()), jd(window.from()), jd(window.to()))),
        None if open => check(ID, CheckStatus::Pending, CITE_0201,
            format!("評価期間の初日をまだ決めていません。{} 〜 {} の間に収まる連続3か月を設定してください", jd(window.from()), jd(window.to()))),
        None => check(ID, CheckStatus::Fail, CITE_0201,
            "評価期間が設定されないまま申請期限を過ぎました".into()),
    }
}

/// テレワーク実績基準 (支給要領 0300 (ト)): test ① or ② over evaluation period 1,
/// and for expanding employers the growth over the 3 months before.
fn performance_check(
    ctx: &Context<'_>,
    telework: Option<&TeleworkResult>,
    open: bool,
    citation: &'static str,
) -> Check {
    const ID: CheckId = CheckId::TeleworkPerformance;
    let (Some(t), Some(period)) = (telework, ctx.schedule.evaluation_period) else {
        return if open {
            check(
                ID,
                CheckStatus::Pending,
                citation,
                "評価期間が決まっていないため、テレワーク実績はまだ判定できません".into(),
            )
        } else {
            check(
                ID,
                CheckStatus::Fail,
                citation,
                "評価期間がないため、テレワーク実績基準を満たしていません".into(),
            )
        };
    };
    let mut detail = format!(
        "対象労働者 {}人中 {}人が実施、延べ {}日（評価期間 {}日、週平均の基準は延べ {}日以上）",
        t.target_workers,
        t.workers_with_telework,
        t.telework_days,
        t.period_days,
        required_days_for_weekly_average(ctx.regime, t)
    );
    if let (Some(met), Some(g)) = (t.growth_met, ctx.regime.params.growth_percent) {
        detail.push_str(&match t.before_count {
            Some(b) => format!(
                "。拡大前3か月の延べ実施回数 {b}回に対し{g}％以上の増加（{}回以上）が{}",
                (u128::from(b) * (100 + u128::from(g))).div_ceil(100).max(1),
                if met { "あります" } else { "まだありません" }
            ),
            None => "。拡大前3か月の延べテレワーク実施回数（telework_before_count）が未入力のため、25％増加の基準を判定できません".into(),
        });
    }
    if t.met {
        let how = if t.all_workers_once {
            "①対象労働者全員が1回以上実施"
        } else {
            "②週平均1回以上"
        };
        check(
            ID,
            CheckStatus::Pass,
            citation,
            format!("テレワーク実績基準を満たしています（{how}）: {detail}"),
        )
    } else if ctx.as_of < period.from() {
        check(ID, CheckStatus::Pending, citation,
            format!("評価期間（{} 〜 {}）はまだ始まっていません。期間中に、対象労働者全員が1回以上テレワークをするか、週平均1回以上を目指してください", jd(period.from()), jd(period.to())))
    } else if ctx.as_of <= period.to() {
        check(ID, CheckStatus::Pending, citation,
            format!("評価期間中です（{} まで）。まだ基準を満たしていません: {detail}。全員が1回以上テレワークをするか、週平均1回以上を目指してください", jd(period.to())))
    } else {
        check(ID, CheckStatus::Fail, citation,
            format!("評価期間のテレワーク実績が基準（①全員が1回以上 または ②週平均1回以上{}）に届きませんでした: {detail}",
                if t.growth_met.is_some() { "、かつ拡大前からの増加" } else { "" }))
    }
}

/// The smallest number of telework days that meets test ②.
fn required_days_for_weekly_average(regime: &Regime, t: &TeleworkResult) -> u64 {
    let p = &regime.params;
    let per = match p.weekly_average_rule {
        WeeklyAverageBasis::PerTargetWorker => u64::from(t.target_workers),
        WeeklyAverageBasis::PerEstablishment => 1,
    };
    (u64::from(p.weekly_average_min_days_per_week) * per * u64::from(t.period_days)).div_ceil(7)
}

/// "（本来の期限 … が日曜日のため延長）" when the deadline moved.
fn moved_note(deadline: &Deadline) -> String {
    deadline
        .moved_because()
        .map(|why| {
            format!(
                "（本来の期限 {} が{}のため延長）",
                jd(deadline.nominal),
                why
            )
        })
        .unwrap_or_default()
}

/// The first subsidy's filing window: after evaluation period 1 ends, on or
/// before the effective deadline (plan regimes: 計画認定日から起算して7ヶ月以内,
/// seed 002 ご利用の流れ; no-plan regimes: 評価期間終了後2か月以内).
fn application_timely_check(ctx: &Context<'_>) -> Check {
    const ID: CheckId = CheckId::ApplicationTimely;
    let (citation, what) = match ctx.regime.kind {
        RegimeKind::Plan => (CITE_FLOW, "支給申請"),
        RegimeKind::NoPlan => (CITE_NP_FLOW, "制度導入助成の支給申請"),
    };
    let Some(deadline) = ctx.equipment_deadline() else {
        if ctx.regime.kind == RegimeKind::NoPlan {
            if let Some(f) = ctx.case.equipment_application_filed_on {
                return check(
                    ID,
                    CheckStatus::Fail,
                    citation,
                    format!("{what}日 {} の時点で評価期間が設定されていません", jd(f)),
                );
            }
        }
        let when = match ctx.regime.kind {
            RegimeKind::Plan => format!(
                "評価期間の終了後、計画認定日から{}か月以内",
                ctx.regime.params.equipment_deadline_months
            ),
            RegimeKind::NoPlan => format!(
                "評価期間の終了後{}か月以内",
                ctx.regime.params.equipment_deadline_months
            ),
        };
        return check(
            ID,
            CheckStatus::Pending,
            citation,
            format!("{what}は、{when}に行います"),
        );
    };
    let period_end = ctx.schedule.evaluation_period.map(|p| p.to());
    let moved = moved_note(&deadline);
    match ctx.case.equipment_application_filed_on {
        Some(f) if period_end.is_some_and(|e| f > e) && f <= deadline.effective => check(
            ID,
            CheckStatus::Pass,
            citation,
            format!(
                "{what}日 {} は評価期間終了後、期限 {}{moved} 以内です",
                jd(f),
                jd(deadline.effective)
            ),
        ),
        Some(f) if f > deadline.effective => check(
            ID,
            CheckStatus::Fail,
            citation,
            format!(
                "{what}日 {} が期限 {}{moved} を過ぎています",
                jd(f),
                jd(deadline.effective)
            ),
        ),
        Some(f) => check(
            ID,
            CheckStatus::Fail,
            citation,
            match period_end {
                Some(e) => format!(
                    "{what}日 {} が評価期間の終了日 {} 以前です。申請は評価期間の終了後に行います",
                    jd(f),
                    jd(e)
                ),
                None => format!("{what}日 {} の時点で評価期間が設定されていません", jd(f)),
            },
        ),
        None if ctx.as_of <= deadline.effective => check(
            ID,
            CheckStatus::Pending,
            citation,
            match period_end {
                Some(e) => format!(
                    "評価期間の終了日 {} の翌日から、期限 {}{moved} までに{what}してください",
                    jd(e),
                    jd(deadline.effective)
                ),
                None => format!(
                    "評価期間の終了後、期限 {}{moved} までに{what}してください",
                    jd(deadline.effective)
                ),
            },
        ),
        None => check(
            ID,
            CheckStatus::Fail,
            citation,
            format!(
                "{what}の期限 {}{moved} を過ぎました",
                jd(deadline.effective)
            ),
        ),
    }
}

// ---------------------------------------------------------------------------
// 制度導入助成 (no-plan regimes, 令和7年度 on).

fn no_plan_equipment_subsidy(
    ctx: &Context<'_>,
    no_plan: &NoPlanDesign,
    sme: &SmeResult,
    telework: Option<&TeleworkResult>,
) -> EquipmentSubsidy {
    let open = ctx.equipment_open();
    let mut checks = employer_checks(ctx, sme, "制度導入助成");
    checks.push(climate_check_no_plan(ctx, open));
    checks.push(measures_check(ctx, no_plan, open));
    checks.push(work_rules_check_no_plan(ctx, open));
    checks.push(performance_check(ctx, telework, open, CITE_NP_PERFORMANCE));
    checks.push(application_timely_check(ctx));
    let amount = Yen(no_plan.equipment_amount_yen);
    EquipmentSubsidy {
        name: "制度導入助成",
        status: SubsidyStatus::of(&checks),
        base_yen: None,
        rate_percent: None,
        cap_yen: amount,
        amount_yen: amount,
        checks,
    }
}

/// A check on something that must happen inside the measures window, in the
/// no-plan regimes (regimes.md §3, §6.13): pending without an evaluation period
/// (the window is unknown) and, when missing, while the case is open.
fn in_window_check(
    ctx: &Context<'_>,
    id: CheckId,
    citation: &'static str,
    open: bool,
    judge: impl FnOnce(&Period) -> Result<String, Option<String>>,
    todo: &str,
) -> Check {
    let Some(window) = ctx.schedule.measures_window else {
        return if open {
            check(
                id,
                CheckStatus::Pending,
                citation,
                format!(
                    "評価期間の初日を決めると期間が決まります。評価期間の初日の前3か月の間に{todo}"
                ),
            )
        } else {
            check(
                id,
                CheckStatus::Fail,
                citation,
                "評価期間の初日が決まらないまま申請されたため、取組の期間を確認できません".into(),
            )
        };
    };
    match judge(&window) {
        Ok(msg) => check(id, CheckStatus::Pass, citation, msg),
        Err(Some(why)) => check(id, CheckStatus::Fail, citation, why),
        Err(None) if open => check(
            id,
            CheckStatus::Pending,
            citation,
            format!(
                "まだ確認できていません。{} 〜 {} の間に{todo}",
                jd(window.from()),
                jd(window.to())
            ),
        ),
        Err(None) => check(
            id,
            CheckStatus::Fail,
            citation,
            format!(
                "{} 〜 {} の間に行ったことが確認できないまま、申請期限を過ぎたか申請されたため要件を満たしません",
                jd(window.from()),
                jd(window.to())
            ),
        ),
    }
}

/// 職場風土作り (必須) in the measures window (R7 支給要件, official).
fn climate_check_no_plan(ctx: &Context<'_>, open: bool) -> Check {
    in_window_check(
        ctx,
        CheckId::WorkplaceClimate,
        CITE_NP_CLIMATE,
        open,
        |window| match climate_dates(ctx, window) {
            Ok(()) => Ok("職場風土作り（トップメッセージ・事例の共有）を評価期間前3か月の間に行っています".into()),
            Err(Some(why)) => Err(Some(format!(
                "{why}。職場風土作りは評価期間の初日の前3か月の間に行う必要があります"
            ))),
            Err(None) => Err(None),
        },
        "全労働者に向けた「企業トップからのメッセージ発信・社内呼びかけ」と「テレワーク事例の収集・社内周知」を行ってください",
    )
}

/// テレワークを可能とする取組: at least one of the measures the employer's kind
/// needs, dated in the window (R7 支給要件: 新規 3〜5, 拡大 2〜5). Measures
/// outside the window do not count (regimes.md §6.13).
fn measures_check(ctx: &Context<'_>, no_plan: &NoPlanDesign, open: bool) -> Check {
    let expanding = ctx.case.employer.telework_status == TeleworkStatus::Expanding;
    let kinds = if expanding {
        &no_plan.measures_required.expanding
    } else {
        &no_plan.measures_required.new
    };
    let names = kinds
        .iter()
        .map(|k| k.label_ja())
        .collect::<Vec<_>>()
        .join("・");
    in_window_check(
        ctx,
        CheckId::Measures,
        CITE_NP_MEASURES,
        open,
        |window| {
            let done: Vec<&Measure> = ctx
                .case
                .measures
                .iter()
                .filter(|m| kinds.contains(&m.kind) && window.contains(m.on))
                .collect();
            match done.first() {
                Some(m) => Ok(format!(
                    "評価期間前3か月の取組として「{}」（{}）を行っています",
                    m.kind.label_ja(),
                    jd(m.on)
                )),
                None => Err(None),
            }
        },
        &format!("次のいずれか1つ以上を行ってください: {names}"),
    )
}

/// 就業規則等の整備 in the measures window: a new employer must establish
/// telework provisions in it; an expanding employer whose rules already provide
/// for telework passes (regimes.md §3, §6.12).
fn work_rules_check_no_plan(ctx: &Context<'_>, open: bool) -> Check {
    let e = &ctx.case.employer;
    if e.telework_status == TeleworkStatus::Expanding && e.work_rules_have_telework {
        return check(
            CheckId::WorkRulesEstablished,
            CheckStatus::Pass,
            CITE_NP_WORK_RULES,
            "就業規則等に既にテレワークの規定があります（実施拡大事業主）".into(),
        );
    }
    in_window_check(
        ctx,
        CheckId::WorkRulesEstablished,
        CITE_NP_WORK_RULES,
        open,
        |window| match ctx.case.work_rules_established_on {
            Some(d) if window.contains(d) => Ok(format!(
                "就業規則等へのテレワーク制度の整備日 {} は評価期間前3か月の間です",
                jd(d)
            )),
            Some(d) => Err(Some(format!(
                "就業規則等の整備日 {} が評価期間前3か月（{} 〜 {}）の外のため要件を満たしません",
                jd(d),
                jd(window.from()),
                jd(window.to())
            ))),
            None => Err(None),
        },
        "就業規則等にテレワーク制度（対象者の範囲・手続・留意事項など）を整備してください",
    )
}

// ---------------------------------------------------------------------------
// 目標達成助成.

const CITE_GOAL_EQUIPMENT: &str = "支給要領 0300 目標達成助成 (イ)";
const CITE_GOAL_TURNOVER: &str = "支給要領 0300 目標達成助成 (ハ)";
const CITE_GOAL_30: &str = "支給要領 0300 目標達成助成 (ニ)";
const CITE_GOAL_HEADCOUNT: &str = "令和5年度 施策概要 目標達成助成 テレワーク実績基準";
const CITE_NP_GOAL_EQUIPMENT: &str = "令和7年度〜 目標達成助成 支給要件";
const CITE_NP_GOAL_GROWTH: &str = "令和7年度〜 目標達成助成 テレワーク実績";

/// (イ) the first subsidy must be payable.
fn first_subsidy_check(equipment: &EquipmentSubsidy, citation: &'static str) -> Check {
    let name = equipment.name;
    match equipment.status {
        SubsidyStatus::Payable => check(
            CheckId::EquipmentSubsidy,
            CheckStatus::Pass,
            citation,
            format!("{name}の支給要件を満たしています"),
        ),
        SubsidyStatus::Pending => check(
            CheckId::EquipmentSubsidy,
            CheckStatus::Pending,
            citation,
            format!("{name}の判定待ちです（目標達成助成は{name}を受けた事業主が対象）"),
        ),
        SubsidyStatus::NotPayable => check(
            CheckId::EquipmentSubsidy,
            CheckStatus::Fail,
            citation,
            format!("{name}の要件を満たしていないため、目標達成助成も受けられません"),
        ),
    }
}

fn plan_goal_subsidy(
    ctx: &Context<'_>,
    plan: &PlanDesign,
    equipment: &EquipmentSubsidy,
    turnover: &TurnoverResult,
    expenses: &ExpensesResult,
    premium_met: bool,
) -> GoalSubsidy {
    let mut checks = Vec::with_capacity(5);
    checks.push(first_subsidy_check(equipment, CITE_GOAL_EQUIPMENT));
    let (not_increased, at_most_30) = turnover_checks(ctx, turnover);
    checks.push(not_increased);
    checks.push(at_most_30);
    let (headcount_check, teleworkers, required) = goal_headcount(ctx);
    checks.push(headcount_check);
    checks.push(goal_application_timely_check(ctx));

    let base = expenses.eligible_total_yen;
    let (rate, cap, amount) = goal_amount(
        ctx.regime,
        plan,
        base,
        premium_met,
        ctx.target_count(),
        equipment.amount_yen,
    );
    GoalSubsidy {
        name: "目標達成助成",
        status: SubsidyStatus::of(&checks),
        base_yen: Some(base),
        rate_percent: Some(rate),
        cap_yen: cap,
        amount_yen: amount,
        teleworkers,
        required_teleworkers: required,
        required_teleworkers_exact: required,
        checks,
    }
}

fn no_plan_goal_subsidy(
    ctx: &Context<'_>,
    no_plan: &NoPlanDesign,
    equipment: &EquipmentSubsidy,
    turnover: &TurnoverResult,
    telework: Option<&TeleworkResult>,
    premium_met: bool,
) -> GoalSubsidy {
    let mut checks = Vec::with_capacity(5);
    checks.push(first_subsidy_check(equipment, CITE_NP_GOAL_EQUIPMENT));
    let (not_increased, at_most_30) = turnover_checks(ctx, turnover);
    checks.push(not_increased);
    checks.push(at_most_30);
    let (growth_check, counts) = goal_telework_growth(ctx, telework);
    checks.push(growth_check);
    checks.push(goal_application_timely_check(ctx));
    let amount = fixed_goal_amount(no_plan, premium_met);
    let required = counts.map(|(_, p1)| Ratio::integer(u128::from(p1)));
    GoalSubsidy {
        name: "目標達成助成",
        status: SubsidyStatus::of(&checks),
        base_yen: None,
        rate_percent: None,
        cap_yen: amount,
        amount_yen: amount,
        teleworkers: counts.map(|(p2, _)| p2),
        required_teleworkers: required,
        required_teleworkers_exact: required,
        checks,
    }
}

/// 評価期間(目標達成助成)におけるテレワーク実績が評価期間(制度導入助成)における実績以上
/// (R7, official): telework instances of the target workers in period 2 (home or
/// satellite office, one per worker per day) at least those in period 1. Passes
/// as soon as reached (regimes.md §6.15). Returns the check and (period 2,
/// period 1) counts when S is known.
fn goal_telework_growth(
    ctx: &Context<'_>,
    telework: Option<&TeleworkResult>,
) -> (Check, Option<(u64, u64)>) {
    const ID: CheckId = CheckId::GoalTeleworkGrowth;
    let (Some(p2), Some(t)) = (ctx.schedule.goal_evaluation_period, telework) else {
        return (
            check(
                ID,
                CheckStatus::Pending,
                CITE_NP_GOAL_GROWTH,
                "評価期間の初日が決まると、目標達成助成の評価期間（1年後の3か月間）が決まります"
                    .into(),
            ),
            None,
        );
    };
    let (p2_count, _) = count_telework(ctx.regime, ctx.case, &p2);
    let (p2_count, p1_count) = (u64::from(p2_count), u64::from(t.telework_days));
    let detail = format!(
        "期間 {} 〜 {} の延べテレワーク {}回、評価期間（制度導入助成）の延べ {}回",
        jd(p2.from()),
        jd(p2.to()),
        p2_count,
        p1_count
    );
    let status = met_by_period_end(p2_count >= p1_count, ctx.as_of, p2.to());
    let message = match status {
        CheckStatus::Pass => format!("評価期間（制度導入助成）以上のテレワーク実績があります: {detail}"),
        CheckStatus::Pending => format!(
            "目標の期間中または期間前です。まだ評価期間（制度導入助成）の実績に届いていません: {detail}"
        ),
        CheckStatus::Fail => format!(
            "テレワーク実績が評価期間（制度導入助成）の実績に届きませんでした: {detail}"
        ),
    };
    (
        check(ID, status, CITE_NP_GOAL_GROWTH, message),
        Some((p2_count, p1_count)),
    )
}

/// (ハ) 評価時離職率が計画時離職率以下; (ニ) 評価時離職率が30％以下. Compared exactly.
fn turnover_checks(ctx: &Context<'_>, t: &TurnoverResult) -> (Check, Check) {
    let pending = |id, cite, why: &str| check(id, CheckStatus::Pending, cite, why.to_string());
    let (before, after) = match ctx.regime.kind {
        RegimeKind::Plan => ("計画時離職率", "評価時離職率"),
        RegimeKind::NoPlan => ("制度導入前の離職率", "制度導入後の離職率"),
    };
    if ctx.case.roster.is_none() {
        let why = "労働者名簿（入社日・離職日・離職理由）がないため離職率を計算できません。名簿を登録してください";
        return (
            pending(CheckId::TurnoverNotIncreased, CITE_GOAL_TURNOVER, why),
            pending(CheckId::TurnoverAtMost30, CITE_GOAL_30, why),
        );
    }
    let Some(eval) = t.evaluation else {
        let why = match ctx.schedule.evaluation_turnover_period {
            Some(p) => format!(
                "{after}の期間（{} 〜 {}）が終わるまで判定できません",
                jd(p.from()),
                jd(p.to())
            ),
            None => format!("評価期間が決まると、{after}の期間が決まります"),
        };
        return (
            pending(CheckId::TurnoverNotIncreased, CITE_GOAL_TURNOVER, &why),
            pending(CheckId::TurnoverAtMost30, CITE_GOAL_30, &why),
        );
    };
    let show = |r: &TurnoverRate| match r.rate {
        Some(p) => format!(
            "{:.2}％（{}人中 {}人）",
            p.percent_hundredths_half_up() as f64 / 100.0,
            r.headcount,
            r.separations
        ),
        None => "計算不能（期間初日の労働者 0人）".to_string(),
    };
    let not_increased = match turnover_not_increased(eval.rate, t.plan.and_then(|p| p.rate)) {
        Some(ok) => {
            check(CheckId::TurnoverNotIncreased, pass_fail(ok), CITE_GOAL_TURNOVER, format!(
                "{after} {} は{before} {} {}",
                show(&eval),
                t.plan.as_ref().map(show).unwrap_or_default(),
                if ok { "以下です" } else { "を上回っているため要件を満たしません" }
            ))
        }
        None => check(CheckId::TurnoverNotIncreased, CheckStatus::Fail, CITE_GOAL_TURNOVER, format!(
            "離職率を計算できないため要件を満たしません（期間初日の労働者が0人）: {after} {}、{before} {}",
            show(&eval),
            t.plan.as_ref().map(show).unwrap_or_default()
        )),
    };
    let max = ctx.regime.params.turnover_max_percent;
    let at_most_30 = match turnover_at_most(eval.rate, max) {
        Some(ok) => check(
            CheckId::TurnoverAtMost30,
            pass_fail(ok),
            CITE_GOAL_30,
            format!(
                "{after} {} は {max}％{}",
                show(&eval),
                if ok {
                    "以下です"
                } else {
                    "を超えているため要件を満たしません"
                }
            ),
        ),
        None => check(
            CheckId::TurnoverAtMost30,
            CheckStatus::Fail,
            CITE_GOAL_30,
            format!("{after}を計算できないため要件を満たしません（期間初日の労働者が0人）"),
        ),
    };
    (not_increased, at_most_30)
}

/// 評価期間初日から1年を経過した日からの3か月間に、1回以上テレワークを実施した労働者数が、
/// 評価期間初日から1年を経過した日における事業所の労働者数に、計画認定時点における
/// 事業所の労働者全体に占める対象労働者の割合を掛け合わせた人数以上 (seed 000 目標達成助成).
///
/// Exact: `teleworkers × workers_on_C ≥ workers_on_P2_start × target_workers`.
fn goal_headcount(ctx: &Context<'_>) -> (Check, Option<u64>, Option<Ratio>) {
    const ID: CheckId = CheckId::GoalTeleworkHeadcount;
    let Some(p2) = ctx.schedule.goal_evaluation_period else {
        return (
            check(
                ID,
                CheckStatus::Pending,
                CITE_GOAL_HEADCOUNT,
                "評価期間が決まると、目標達成助成の評価期間（1年後の3か月間）が決まります".into(),
            ),
            None,
            None,
        );
    };
    let counted = &ctx.regime.params;
    let teleworkers = ctx
        .case
        .telework
        .iter()
        .filter(|d| counted.counts(d.place) && p2.contains(d.date))
        .map(|d| d.worker.as_str())
        .collect::<HashSet<&str>>()
        .len() as u64;
    let (Some(roster), Some(c)) = (ctx.case.roster.as_deref(), ctx.certified) else {
        return (
            check(
                ID,
                CheckStatus::Pending,
                CITE_GOAL_HEADCOUNT,
                "必要な人数は、労働者名簿と計画認定日がそろうと計算できます".into(),
            ),
            Some(teleworkers),
            None,
        );
    };
    let on_c = headcount_on(roster, c);
    let on_p2 = headcount_on(roster, p2.from());
    let targets = ctx.target_count();
    let required = required_teleworkers(on_p2, targets, on_c);
    let Some(req) = required else {
        return (
            check(
                ID,
                CheckStatus::Fail,
                CITE_GOAL_HEADCOUNT,
                format!(
                    "計画認定日 {} の労働者数が0人のため、必要な人数を計算できません",
                    jd(c)
                ),
            ),
            Some(teleworkers),
            None,
        );
    };
    let met = goal_headcount_met(teleworkers, req);
    let detail = format!(
        "期間 {} 〜 {} にテレワークをした労働者 {}人、必要な人数 {}人（{}人 × 対象労働者 {}人 ÷ 認定時の労働者 {}人 = {:.2}）",
        jd(p2.from()), jd(p2.to()), teleworkers, req.to_fraction_string(), on_p2, targets, on_c, req.to_f64()
    );
    let status = met_by_period_end(met, ctx.as_of, p2.to());
    let message = match status {
        CheckStatus::Pass => format!("目標のテレワーク実施人数を満たしています: {detail}"),
        CheckStatus::Pending => {
            format!("目標の期間中または期間前です。まだ人数に届いていません: {detail}")
        }
        CheckStatus::Fail => {
            format!("テレワークを実施した労働者が必要な人数に届きませんでした: {detail}")
        }
    };
    (
        check(ID, status, CITE_GOAL_HEADCOUNT, message),
        Some(teleworkers),
        required,
    )
}

/// 評価期間の終了日の翌日から起算して1ヶ月 (令和7年度 on: 2か月) が経過する日までに
/// 提出 (seed 002 ご利用の流れ), after period 2 ends.
fn goal_application_timely_check(ctx: &Context<'_>) -> Check {
    const ID: CheckId = CheckId::GoalApplicationTimely;
    let months = ctx.regime.params.goal_deadline_months;
    let cite = match ctx.regime.kind {
        RegimeKind::Plan => CITE_FLOW,
        RegimeKind::NoPlan => CITE_NP_FLOW,
    };
    let (Some(p2), Some(deadline)) = (
        ctx.schedule.goal_evaluation_period,
        ctx.schedule.goal_application_deadline,
    ) else {
        return check(
            ID,
            CheckStatus::Pending,
            cite,
            format!("目標達成助成の申請は、評価期間（1年後の3か月間）の終了後{months}か月以内に行います"),
        );
    };
    let moved = moved_note(&deadline);
    match ctx.case.goal_application_filed_on {
        Some(f) if f > p2.to() && f <= deadline.effective => check(
            ID,
            CheckStatus::Pass,
            cite,
            format!(
                "目標達成助成の申請日 {} は期限 {}{moved} 以内です",
                jd(f),
                jd(deadline.effective)
            ),
        ),
        Some(f) if f > deadline.effective => check(
            ID,
            CheckStatus::Fail,
            cite,
            format!(
                "目標達成助成の申請日 {} が期限 {}{moved} を過ぎています",
                jd(f),
                jd(deadline.effective)
            ),
        ),
        Some(f) => check(
            ID,
            CheckStatus::Fail,
            cite,
            format!(
                "目標達成助成の申請日 {} が評価期間の終了日 {} 以前です。終了後に申請してください",
                jd(f),
                jd(p2.to())
            ),
        ),
        None if ctx.as_of <= deadline.effective => check(
            ID,
            CheckStatus::Pending,
            cite,
            format!(
                "評価期間 {} 〜 {} の終了後、期限 {}{moved} までに申請してください",
                jd(p2.from()),
                jd(p2.to()),
                jd(deadline.effective)
            ),
        ),
        None => check(
            ID,
            CheckStatus::Fail,
            cite,
            format!(
                "目標達成助成の申請期限 {}{moved} を過ぎました",
                jd(deadline.effective)
            ),
        ),
    }
}

// ---------------------------------------------------------------------------
// Notices and assumptions.

/// The notices regimes.md asks for: an undeclared 不支給要件, plan dates ignored
/// in a no-plan regime, and a premium input the regime does not use.
pub fn notices(case: &Case, regime: &Regime) -> Vec<Notice> {
    let mut out = Vec::new();
    if case.employer.disqualifications.is_none() {
        out.push(Notice {
            id: "common_requirements_undeclared",
            message: "不支給要件の該当の有無が入力されていません。支給要件確認申立書で申し立てが必要です。".into(),
        });
    }
    if regime.kind == RegimeKind::NoPlan
        && (case.plan.submitted_on.is_some() || case.plan.certified_on.is_some())
    {
        out.push(Notice {
            id: "plan_dates_ignored",
            message: format!(
                "{}はテレワーク実施計画の提出・認定がない制度のため、計画の提出日・認定日は使いませんでした",
                regime.name
            ).into(),
        });
    }
    match regime.params.premium_condition {
        PremiumCondition::Wage if case.productivity.is_some() => out.push(Notice {
            id: "productivity_ignored",
            message: format!(
                "{}の目標達成助成の割増は賃金要件によるため、生産性要件の入力は使いませんでした",
                regime.name
            )
            .into(),
        }),
        PremiumCondition::Productivity if case.wage_increase.is_some() => out.push(Notice {
            id: "wage_increase_ignored",
            message: format!(
                "{}の目標達成助成の割増は生産性要件によるため、賃金要件の入力は使いませんでした",
                regime.name
            )
            .into(),
        }),
        _ => {}
    }
    out
}

/// The parameters an evaluation of `case` under `regime` uses (regimes.md §4).
/// Most rules use theirs always; a few only when the case reaches them: the
/// weekly average once there is an evaluation period, the lease proration and
/// the per-worker web-conference cap only with such an item, the growth test
/// only for expanding employers, one goal rate or amount of the two.
pub fn used_params(
    case: &Case,
    regime: &Regime,
    telework_tested: bool,
    premium_met: bool,
) -> ParamSet {
    use ParamId as P;
    let p = &regime.params;
    let mut used = ParamSet::default();
    for id in [
        P::EvaluationPeriodMonths,
        P::EquipmentDeadlineMonths,
        P::GoalPeriodOffsetMonths,
        P::GoalPeriodMonths,
        P::GoalDeadlineMonths,
        P::TurnoverPeriods,
        P::TurnoverPeriodMonths,
        P::SmeLimits,
        P::OtherTeleworkSubsidyDisqualifies,
        P::CountedPlaces,
        P::IneligibleCategories,
        P::OtherSubsidyItemIneligible,
        P::ExpenseCaps,
        P::TravelFor,
        P::WorkplaceClimateRequired,
        P::PremiumCondition,
        P::TurnoverMaxPercent,
        P::TurnoverExcludedReasons,
        P::DeadlinesMoveToOpenDay,
        P::AppliesBy,
    ] {
        used.insert(id);
    }
    match &regime.design {
        Design::Plan(plan) => {
            for id in [
                P::EvaluationWindowMonths,
                P::SubsidyCapYen,
                P::SubsidyCapPerWorkerYen,
                P::EquipmentRatePercent,
                P::CombinedCapYen,
            ] {
                used.insert(id);
            }
            if plan.climate_window.is_some() {
                used.insert(P::WorkplaceClimateWindow);
            }
            let premium = premium_met && p.premium_condition != PremiumCondition::None;
            used.insert(if premium {
                P::GoalRatePremiumPercent
            } else {
                P::GoalRatePercent
            });
        }
        Design::NoPlan(_) => {
            for id in [
                P::MeasuresWindowMonths,
                P::MeasuresWindowStart,
                P::MeasuresRequired,
                P::EquipmentAmountYen,
            ] {
                used.insert(id);
            }
            used.insert(if premium_met {
                P::GoalAmountPremiumYen
            } else {
                P::GoalAmountYen
            });
        }
    }
    match case.employer.telework_status {
        TeleworkStatus::TrialOngoing | TeleworkStatus::TrialEnded => used.insert(P::TrialEligible),
        TeleworkStatus::Expanding => {
            used.insert(P::ExpandingEligible);
            if p.expanding_eligible && p.growth_percent.is_some() && telework_tested {
                used.insert(P::GrowthPercent);
            }
        }
        _ => {}
    }
    if telework_tested {
        used.insert(P::WeeklyAverageRule);
        used.insert(P::WeeklyAverageMinDaysPerWeek);
    }
    let claimed = |c: ExpenseCategory| case.expenses.iter().any(|e| e.category == c);
    if claimed(ExpenseCategory::PcRentalLease)
        && regime.category(ExpenseCategory::PcRentalLease).eligible()
    {
        used.insert(P::PcRentalLeaseProration);
        used.insert(P::PcRentalLeaseMaxMonths);
        used.insert(P::PcRentalLeaseCapYen);
    }
    if claimed(ExpenseCategory::WebConferenceEquipment) {
        used.insert(P::WebConferenceCapPerWorkerYen);
    }
    match p.premium_condition {
        PremiumCondition::Productivity
            if matches!(case.productivity, Some(Productivity::Figures { .. })) =>
        {
            used.insert(P::ProductivityGrowthPercent);
            used.insert(P::ProductivityGrowthWithFinancialInstitutionPercent);
        }
        PremiumCondition::Wage
            if matches!(case.wage_increase, Some(WageIncrease::Figures { .. })) =>
        {
            used.insert(P::WageIncreasePercent)
        }
        _ => {}
    }
    used
}

/// The `interpretation` and `unverified` values among `used`, in parameter order.
pub fn assumptions(regime: &Regime, used: &ParamSet) -> Vec<Assumption> {
    used.iter()
        .filter_map(|id| {
            let p = regime.provenance(id);
            p.grade.is_assumption().then(|| Assumption {
                parameter: id.name(),
                grade: p.grade,
                note: p.note.clone(),
                label: id.label_ja(),
                affects: id.figure(),
            })
        })
        .collect()
}

#[cfg(test)]
mod check_id_tests {
    use super::CheckId;

    #[test]
    fn check_ids_serialise_as_their_names_and_parse_back() {
        for id in CheckId::ALL {
            assert_eq!(
                serde_json::to_value(id).unwrap(),
                serde_json::Value::String(id.as_str().to_string())
            );
            assert_eq!(CheckId::parse(id.as_str()), Some(id));
            assert_eq!(id.to_string(), id.as_str());
        }
        assert_eq!(CheckId::parse("no_such_check"), None);
        let mut names: Vec<_> = CheckId::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CheckId::ALL.len(), "ids are unique");
    }
}
