//! The evaluation of one case: every requirement, amount and status.
//!
//! Each rule below is a function that quotes the passage it implements. Checks
//! come out in the order of the contract (`case-format.md`, "Checks, in this
//! order"), each with its citation and a Japanese message for the employer.

use crate::civil::Period;
use crate::model::*;
use crate::parse::{ParsedCase, Warning};
use crate::ratio::Ratio;
use crate::regime::{Regime, WeeklyAverageBasis};
use crate::schedule::{schedule, Deadline, Schedule};
use crate::wareki::format_wareki;
use jiff::civil::Date;
use serde::{Serialize, Serializer};
use std::collections::{HashMap, HashSet};

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
    pub goal_subsidy: GoalSubsidy,
    /// Beyond the contract: the productivity requirement's outcome.
    pub productivity: ProductivityResult,
    /// Beyond the contract: the engine version.
    pub engine_version: &'static str,
    /// Beyond the contract: cautions for the employer (e.g. what not to do before
    /// certification) and warnings about the input (unknown fields).
    pub notices: Vec<Notice>,
}

/// A caution or warning that does not change the outcome.
#[derive(Clone, Debug, Serialize)]
pub struct Notice {
    pub code: &'static str,
    pub field: Option<String>,
    pub message: String,
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
    pub met: bool,
}

/// Why an expense item is not eligible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IneligibleReason {
    IneligibleCategory,
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

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    Fail,
    Pending,
}

/// One requirement, its outcome, its source and an explanation.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    pub id: &'static str,
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

/// The equipment subsidy (機器等導入助成).
#[derive(Clone, Debug, Serialize)]
pub struct EquipmentSubsidy {
    pub status: SubsidyStatus,
    pub base_yen: Yen,
    pub rate_percent: u32,
    pub cap_yen: Yen,
    pub amount_yen: Yen,
    pub checks: Vec<Check>,
}

/// The goal subsidy (目標達成助成).
#[derive(Clone, Debug, Serialize)]
pub struct GoalSubsidy {
    pub status: SubsidyStatus,
    pub base_yen: Yen,
    pub rate_percent: u32,
    pub cap_yen: Yen,
    pub amount_yen: Yen,
    pub teleworkers: Option<u64>,
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
    /// `stated`, `computed`, or `not_given`.
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
    let productivity = productivity(regime, case.productivity.as_ref());

    let equipment = equipment_subsidy(&ctx, &sme, telework.as_ref(), &expenses);
    let goal = goal_subsidy(&ctx, &equipment, &turnover, &expenses, &productivity);

    let mut notices = Vec::new();
    if case.plan.certified_on.is_none() {
        notices.push(Notice {
            code: "before_certification",
            field: None,
            message: "計画の認定前に、就業規則へのテレワーク規定の追加や、テレワーク用機器・サービスの購入・納品・支払をしないでください。認定前の取組は助成の対象外になり、就業規則の整備が認定前だと機器等導入助成を受けられません".into(),
        });
    }
    notices.extend(warnings.iter().map(|w| Notice {
        code: "unknown_field",
        field: Some(w.field.clone()),
        message: w.message.clone(),
    }));

    Evaluation {
        regime: regime.id.clone(),
        as_of: case.as_of,
        schedule: ctx.schedule,
        sme,
        telework,
        expenses,
        equipment_subsidy: equipment,
        turnover,
        goal_subsidy: goal,
        productivity,
        engine_version: ENGINE_VERSION,
        notices,
    }
}

/// What every rule may need: the case, the regime and the schedule.
struct Context<'a> {
    case: &'a Case,
    regime: &'a Regime,
    schedule: Schedule,
    /// 計画認定日.
    certified: Option<Date>,
    as_of: Date,
}

impl<'a> Context<'a> {
    fn new(case: &'a Case, regime: &'a Regime) -> Self {
        let schedule = schedule(
            &regime.periods,
            case.plan.submitted_on,
            case.plan.certified_on,
            case.evaluation_start,
        );
        Context {
            case,
            regime,
            schedule,
            certified: case.plan.certified_on,
            as_of: case.as_of,
        }
    }

    fn target_count(&self) -> u64 {
        self.case.plan.target_workers.len() as u64
    }

    fn equipment_deadline(&self) -> Option<Deadline> {
        self.schedule.equipment_application_deadline
    }

    /// "Open" (case-format.md): not certified yet, or not filed and still on or
    /// before the effective equipment deadline. Once closed, a missing item fails.
    fn equipment_open(&self) -> bool {
        match self.equipment_deadline() {
            None => true,
            Some(d) => {
                self.case.equipment_application_filed_on.is_none() && self.as_of <= d.effective
            }
        }
    }

    /// The last day an expense may be delivered or paid: the filing day, or the
    /// effective deadline before filing (rules-R4.md §4).
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
    let limit = regime.sme.limit(industry);
    let capital_test = capital_yen.map(|c| c.0 <= limit.capital_max_yen);
    let employee_test = regular_employees <= limit.employees_max;
    let result = match (capital_test, regime.sme.either_test_suffices) {
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

/// The employer requirements that need no dates (支給要件): employment insurance,
/// SME, not established in telework, no telework rules at submission, no prior
/// subsidy.
pub fn employer_requirements_met(regime: &Regime, e: &Employer) -> bool {
    e.employment_insurance
        && sme_test(regime, e).result
        && e.telework_status != TeleworkStatus::Established
        && !e.work_rules_have_telework
        && !e.received_telework_subsidy
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

/// The goal subsidy's amount: [`subsidy_amount`], and never more than what the
/// combined cap leaves after the equipment subsidy (rules-R4.md §8).
pub fn goal_amount(
    regime: &Regime,
    base: Yen,
    productivity_met: bool,
    target_workers: u64,
    equipment: Yen,
) -> (u32, Yen, Yen) {
    let p = &regime.goal_subsidy;
    let rate = if p.productivity_premium && productivity_met {
        p.productivity_rate_percent
    } else {
        p.rate_percent
    };
    let cap = subsidy_cap(p.cap_yen, p.cap_per_target_worker_yen, target_workers);
    let room = Yen(p.combined_cap_yen).minus(equipment);
    (rate, cap, subsidy_amount(base, rate, cap).min(room))
}

/// The equipment subsidy's (rate, cap, amount) for `base` and `target_workers`.
pub fn equipment_amount(regime: &Regime, base: Yen, target_workers: u64) -> (u32, Yen, Yen) {
    let p = &regime.equipment_subsidy;
    let cap = subsidy_cap(p.cap_yen, p.cap_per_target_worker_yen, target_workers);
    (
        p.rate_percent,
        cap,
        subsidy_amount(base, p.rate_percent, cap),
    )
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

// ---------------------------------------------------------------------------
// テレワーク実績基準 (機器等導入助成).

/// The telework performance test (seed 000 機器等導入助成; 支給要領 0300 (ト)):
/// ① 評価期間（3か月）に1回以上対象労働者全員がテレワークを実施する、又は
/// ② 評価期間に対象労働者がテレワークを実施した回数の週平均を1回以上とする.
///
/// Only target workers' days at a counted place (自宅・サテライトオフィス) inside the
/// period count, once per worker per day. Linear in the number of records: each
/// target worker has a bitset of the period's days.
pub fn telework_performance(regime: &Regime, case: &Case, period: &Period) -> TeleworkResult {
    let params = &regime.telework_test;
    let targets = &case.plan.target_workers;
    let index: HashMap<&str, usize> = targets
        .iter()
        .enumerate()
        .map(|(i, w)| (w.id.as_str(), i))
        .collect();
    let period_days = period.days();
    let words = (period_days as usize).div_ceil(64);
    let mut bits = vec![0u64; words * targets.len()];
    let from = crate::civil::day_number(period.from());
    let mut telework_days = 0u32;
    for day in &case.telework {
        if !params.counts(day.place) || !period.contains(day.date) {
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
            telework_days += 1;
        }
    }
    let workers_with_telework = (0..targets.len())
        .filter(|w| bits[w * words..(w + 1) * words].iter().any(|&b| b != 0))
        .count() as u32;
    let target_workers = targets.len() as u32;
    let all_workers_once = target_workers > 0 && workers_with_telework == target_workers;
    let weekly_average_met = weekly_average_met(
        params.weekly_average_basis,
        params.weekly_average_min_days_per_week,
        telework_days,
        target_workers,
        period_days,
    );
    TeleworkResult {
        target_workers,
        workers_with_telework,
        telework_days,
        period_days,
        all_workers_once,
        weekly_average_met,
        met: all_workers_once || weekly_average_met,
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

/// Whether one item is eligible, and if not, why (rules-R4.md §4): eligible
/// category (travel only for ②③④), certified plan, paid, delivery and payment
/// on or after 計画認定日 and on or before the filing day (before filing: the
/// effective deadline). The first failing reason is reported.
fn item_eligibility(ctx: &Context<'_>, e: &Expense) -> Option<IneligibleReason> {
    let rule = ctx.regime.expenses.categories.get(e.category);
    let travel_ok = match &rule.travel_for {
        None => true,
        Some(allowed) => e
            .travel_for
            .as_deref()
            .and_then(ExpenseCategory::parse)
            .is_some_and(|c| allowed.contains(&c)),
    };
    if !rule.eligible || !travel_ok {
        return Some(IneligibleReason::IneligibleCategory);
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

/// A category's eligible amount: min(sum of its eligible items, cap).
pub fn capped(
    regime: &Regime,
    category: ExpenseCategory,
    eligible_sum: Yen,
    target_workers: u64,
) -> (Yen, Yen) {
    let cap = regime.expenses.categories.get(category).cap(target_workers);
    (cap, eligible_sum.min(cap))
}

/// Items, per-category caps and the eligible total: a category's eligible amount
/// is min(sum of its eligible items, cap); categories sorted by id.
fn expenses(ctx: &Context<'_>) -> ExpensesResult {
    let mut items = Vec::with_capacity(ctx.case.expenses.len());
    // (claimed, eligible sum) per category, by category index.
    let mut sums = vec![(Yen(0), Yen(0), false); ExpenseCategory::ALL.len()];
    for e in &ctx.case.expenses {
        let reason = item_eligibility(ctx, e);
        let slot = &mut sums[e.category as usize];
        slot.0 = slot.0.plus(e.amount_yen);
        slot.2 = true;
        if reason.is_none() {
            slot.1 = slot.1.plus(e.amount_yen);
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
    let excluded = &ctx.regime.turnover.excluded_leave_reasons;
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
    let params = &regime.productivity;
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
                params.growth_with_financial_institution_percent
            } else {
                params.growth_percent
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
// 機器等導入助成.

const CITE_SUPPORT: &str = "seed: 支給要件";
const CITE_SME: &str = "seed: 中小企業の範囲";
const CITE_TELEWORK_STATUS: &str = "seed: 支給要件 (イ)(ロ)";
const CITE_0201: &str = "支給要領 0201";
const CITE_WORK_RULES: &str = "支給要領 0300 (ニ)";
const CITE_PERFORMANCE: &str = "支給要領 0300 (ト)";
const CITE_EXPENSES: &str = "支給要領 0303";
const CITE_FLOW: &str = "seed: ご利用の流れ";

fn check(id: &'static str, status: CheckStatus, citation: &'static str, message: String) -> Check {
    Check {
        id,
        status,
        citation,
        message,
    }
}

fn pass_fail(ok: bool) -> CheckStatus {
    if ok {
        CheckStatus::Pass
    } else {
        CheckStatus::Fail
    }
}

/// A date for messages: `2022-07-01（令和4年7月1日）`.
fn jd(d: Date) -> String {
    format!("{d}（{}）", format_wareki(d))
}

fn equipment_subsidy(
    ctx: &Context<'_>,
    sme: &SmeResult,
    telework: Option<&TeleworkResult>,
    expenses: &ExpensesResult,
) -> EquipmentSubsidy {
    let case = ctx.case;
    let employer = &case.employer;
    let open = ctx.equipment_open();
    let mut checks = Vec::with_capacity(12);

    // 雇用保険の適用事業主 (seed 002 支給要件).
    checks.push(check(
        "employment_insurance",
        pass_fail(employer.employment_insurance),
        CITE_SUPPORT,
        if employer.employment_insurance {
            "雇用保険の適用事業主です".into()
        } else {
            "雇用保険の適用事業主でないため対象外です。雇用保険の適用手続きが必要です".into()
        },
    ));

    // 中小企業事業主 (seed 002 【参考】中小企業の範囲).
    let limit = ctx.regime.sme.limit(employer.industry);
    checks.push(check(
        "sme",
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

    // (イ) テレワーク勤務を新規に導入する事業主 (ロ) 試行的に導入している又は導入していた事業主.
    let status_ok = employer.telework_status != TeleworkStatus::Established;
    checks.push(check(
        "telework_status",
        pass_fail(status_ok),
        CITE_TELEWORK_STATUS,
        if status_ok {
            "テレワークを新規に導入する、または試行的に導入している（していた）事業主です".into()
        } else {
            "テレワークが既に制度として定着している事業主は対象外です（新規導入または試行導入の事業主が対象）".into()
        },
    ));

    // 就業規則などにテレワークに関する規定がない事業主.
    checks.push(check(
        "no_telework_rules_at_plan",
        pass_fail(!employer.work_rules_have_telework),
        CITE_SUPPORT,
        if employer.work_rules_have_telework {
            "計画提出時に就業規則等へテレワークの規定が既にあるため対象外です".into()
        } else {
            "計画提出時の就業規則等にテレワークの規定はありません".into()
        },
    ));

    // 過去にテレワーク導入に係る助成金の支給を受けていない事業主.
    checks.push(check(
        "no_prior_subsidy",
        pass_fail(!employer.received_telework_subsidy),
        CITE_SUPPORT,
        if employer.received_telework_subsidy {
            "過去にテレワーク導入に係る助成金を受けているため対象外です".into()
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
        "direct_target_worker",
        pass_fail(direct),
        CITE_0201,
        if direct {
            "直接雇用の対象労働者が1名以上います".into()
        } else {
            "対象労働者に直接雇用の労働者が1名もいません。直接雇用の労働者を1名以上、対象労働者に指定してください".into()
        },
    ));

    // テレワーク実施計画の認定 (支給要領 0201).
    checks.push(match ctx.certified {
        Some(c) => check(
            "plan_certified",
            CheckStatus::Pass,
            CITE_0201,
            format!("テレワーク実施計画は {} に認定されています", jd(c)),
        ),
        None => check(
            "plan_certified",
            CheckStatus::Pending,
            CITE_0201,
            "テレワーク実施計画の認定待ちです。認定前に就業規則の変更や機器の購入・支払をしないでください".into(),
        ),
    });

    checks.push(work_rules_check(ctx, open));
    checks.push(evaluation_period_check(ctx, open));
    checks.push(performance_check(ctx, telework, open));

    // 支給対象経費 (支給要領 0303).
    let total = expenses.eligible_total_yen;
    checks.push(if total.0 > 0 {
        check(
            "eligible_expenses",
            CheckStatus::Pass,
            CITE_EXPENSES,
            format!("支給対象経費は {total} です"),
        )
    } else if open {
        check(
            "eligible_expenses",
            CheckStatus::Pending,
            CITE_EXPENSES,
            "支給対象となる経費はまだありません。計画認定日以降に納品・支払を行い、領収書等を保管してください".into(),
        )
    } else {
        check(
            "eligible_expenses",
            CheckStatus::Fail,
            CITE_EXPENSES,
            "支給対象となる経費がないため支給されません".into(),
        )
    });

    checks.push(application_timely_check(ctx));

    let p = &ctx.regime.equipment_subsidy;
    let cap = Yen(p.cap_yen.min(
        p.cap_per_target_worker_yen
            .saturating_mul(ctx.target_count()),
    ));
    let amount = total.percent_floor(p.rate_percent).min(cap);
    EquipmentSubsidy {
        status: SubsidyStatus::of(&checks),
        base_yen: total,
        rate_percent: p.rate_percent,
        cap_yen: cap,
        amount_yen: amount,
        checks,
    }
}

/// ⑤ 就業規則等の作成・変更 is mandatory (支給要領 0300 (ニ)): 計画認定日以降、機器等
/// 導入助成の支給申請日までに、テレワーク勤務に関する制度を就業規則又は労働協約に整備.
fn work_rules_check(ctx: &Context<'_>, open: bool) -> Check {
    const ID: &str = "work_rules_established";
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

/// 評価期間（機器等導入助成）: 計画認定日から起算して6か月を経過する日までの期間に
/// おいて任意に連続する3ヶ月間 (seed 002 ⑥; 支給要領 0201).
fn evaluation_period_check(ctx: &Context<'_>, open: bool) -> Check {
    const ID: &str = "evaluation_period";
    let (Some(window), Some(_)) = (ctx.schedule.evaluation_window, ctx.certified) else {
        return check(
            ID,
            CheckStatus::Pending,
            CITE_0201,
            "計画の認定後に、認定日から6か月以内で連続する3か月の評価期間を決めてください".into(),
        );
    };
    match ctx.schedule.evaluation_period {
        Some(period) if window.covers(&period) => check(ID, CheckStatus::Pass, CITE_0201,
            format!("評価期間 {} 〜 {} は認定日から6か月の期間内です", jd(period.from()), jd(period.to()))),
        Some(period) => check(ID, CheckStatus::Fail, CITE_0201,
            format!("評価期間 {} 〜 {} が、認定日から6か月の期間（{} 〜 {}）からはみ出しています", jd(period.from()), jd(period.to()), jd(window.from()), jd(window.to()))),
        None if open => check(ID, CheckStatus::Pending, CITE_0201,
            format!("評価期間の初日をまだ決めていません。{} 〜 {} の間に収まる連続3か月を設定してください", jd(window.from()), jd(window.to()))),
        None => check(ID, CheckStatus::Fail, CITE_0201,
            "評価期間が設定されないまま申請期限を過ぎました".into()),
    }
}

/// テレワーク実績基準 (支給要領 0300 (ト)): test ① or ② over evaluation period 1.
fn performance_check(ctx: &Context<'_>, telework: Option<&TeleworkResult>, open: bool) -> Check {
    const ID: &str = "telework_performance";
    let (Some(t), Some(period)) = (telework, ctx.schedule.evaluation_period) else {
        return if open {
            check(
                ID,
                CheckStatus::Pending,
                CITE_PERFORMANCE,
                "評価期間が決まっていないため、テレワーク実績はまだ判定できません".into(),
            )
        } else {
            check(
                ID,
                CheckStatus::Fail,
                CITE_PERFORMANCE,
                "評価期間がないため、テレワーク実績基準を満たしていません".into(),
            )
        };
    };
    let detail = format!(
        "対象労働者 {}人中 {}人が実施、延べ {}日（評価期間 {}日、週平均の基準は延べ {}日以上）",
        t.target_workers,
        t.workers_with_telework,
        t.telework_days,
        t.period_days,
        required_days_for_weekly_average(ctx.regime, t)
    );
    if t.met {
        let how = if t.all_workers_once {
            "①対象労働者全員が1回以上実施"
        } else {
            "②週平均1回以上"
        };
        check(
            ID,
            CheckStatus::Pass,
            CITE_PERFORMANCE,
            format!("テレワーク実績基準を満たしています（{how}）: {detail}"),
        )
    } else if ctx.as_of <= period.to() {
        check(ID, CheckStatus::Pending, CITE_PERFORMANCE,
            format!("評価期間中です（{} まで）。まだ基準を満たしていません: {detail}。全員が1回以上テレワークをするか、週平均1回以上を目指してください", jd(period.to())))
    } else {
        check(ID, CheckStatus::Fail, CITE_PERFORMANCE,
            format!("評価期間のテレワーク実績が基準（①全員が1回以上 または ②週平均1回以上）に届きませんでした: {detail}"))
    }
}

/// The smallest number of telework days that meets test ②.
fn required_days_for_weekly_average(regime: &Regime, t: &TeleworkResult) -> u64 {
    let p = &regime.telework_test;
    let per = match p.weekly_average_basis {
        WeeklyAverageBasis::PerTargetWorker => u64::from(t.target_workers),
        WeeklyAverageBasis::PerEstablishment => 1,
    };
    (u64::from(p.weekly_average_min_days_per_week) * per * u64::from(t.period_days)).div_ceil(7)
}

/// 計画認定日から起算して7ヶ月以内に提出 (seed 002 ご利用の流れ), after evaluation period 1.
fn application_timely_check(ctx: &Context<'_>) -> Check {
    const ID: &str = "application_timely";
    let (Some(deadline), Some(_)) = (ctx.equipment_deadline(), ctx.certified) else {
        return check(
            ID,
            CheckStatus::Pending,
            CITE_FLOW,
            "支給申請は、評価期間の終了後、計画認定日から7か月以内に行います".into(),
        );
    };
    let period_end = ctx.schedule.evaluation_period.map(|p| p.to());
    let moved = deadline
        .moved_because()
        .map(|why| {
            format!(
                "（本来の期限 {} が{}のため延長）",
                jd(deadline.nominal),
                why
            )
        })
        .unwrap_or_default();
    match ctx.case.equipment_application_filed_on {
        Some(f) if period_end.is_some_and(|e| f > e) && f <= deadline.effective => check(ID, CheckStatus::Pass, CITE_FLOW,
            format!("支給申請日 {} は評価期間終了後、期限 {}{moved} 以内です", jd(f), jd(deadline.effective))),
        Some(f) if f > deadline.effective => check(ID, CheckStatus::Fail, CITE_FLOW,
            format!("支給申請日 {} が期限 {}{moved} を過ぎています", jd(f), jd(deadline.effective))),
        Some(f) => check(ID, CheckStatus::Fail, CITE_FLOW,
            match period_end {
                Some(e) => format!("支給申請日 {} が評価期間の終了日 {} 以前です。申請は評価期間の終了後に行います", jd(f), jd(e)),
                None => format!("支給申請日 {} の時点で評価期間が設定されていません", jd(f)),
            }),
        None if ctx.as_of <= deadline.effective => check(ID, CheckStatus::Pending, CITE_FLOW,
            match period_end {
                Some(e) => format!("評価期間の終了日 {} の翌日から、期限 {}{moved} までに支給申請してください", jd(e), jd(deadline.effective)),
                None => format!("評価期間の終了後、期限 {}{moved} までに支給申請してください", jd(deadline.effective)),
            }),
        None => check(ID, CheckStatus::Fail, CITE_FLOW,
            format!("支給申請の期限 {}{moved} を過ぎました", jd(deadline.effective))),
    }
}

// ---------------------------------------------------------------------------
// 目標達成助成.

const CITE_GOAL_EQUIPMENT: &str = "支給要領 0300 目標達成助成 (イ)";
const CITE_GOAL_TURNOVER: &str = "支給要領 0300 目標達成助成 (ハ)";
const CITE_GOAL_30: &str = "支給要領 0300 目標達成助成 (ニ)";
const CITE_GOAL_HEADCOUNT: &str = "seed: 目標達成助成 テレワーク実績基準";

fn goal_subsidy(
    ctx: &Context<'_>,
    equipment: &EquipmentSubsidy,
    turnover: &TurnoverResult,
    expenses: &ExpensesResult,
    productivity: &ProductivityResult,
) -> GoalSubsidy {
    let mut checks = Vec::with_capacity(5);

    // (イ) 機器等導入助成を受けた事業主.
    checks.push(match equipment.status {
        SubsidyStatus::Payable => check(
            "equipment_subsidy",
            CheckStatus::Pass,
            CITE_GOAL_EQUIPMENT,
            "機器等導入助成の支給要件を満たしています".into(),
        ),
        SubsidyStatus::Pending => check(
            "equipment_subsidy",
            CheckStatus::Pending,
            CITE_GOAL_EQUIPMENT,
            "機器等導入助成の判定待ちです（目標達成助成は機器等導入助成を受けた事業主が対象）"
                .into(),
        ),
        SubsidyStatus::NotPayable => check(
            "equipment_subsidy",
            CheckStatus::Fail,
            CITE_GOAL_EQUIPMENT,
            "機器等導入助成の要件を満たしていないため、目標達成助成も受けられません".into(),
        ),
    });

    let (not_increased, at_most_30) = turnover_checks(ctx, turnover);
    checks.push(not_increased);
    checks.push(at_most_30);

    let (headcount_check, teleworkers, required) = goal_headcount(ctx);
    checks.push(headcount_check);
    checks.push(goal_application_timely_check(ctx));

    let p = &ctx.regime.goal_subsidy;
    let rate = if p.productivity_premium && productivity.met {
        p.productivity_rate_percent
    } else {
        p.rate_percent
    };
    let cap = Yen(p.cap_yen.min(
        p.cap_per_target_worker_yen
            .saturating_mul(ctx.target_count()),
    ));
    let base = expenses.eligible_total_yen;
    // Both subsidies together never exceed the combined cap (rules-R4.md §8).
    let room = Yen(p.combined_cap_yen).minus(equipment.amount_yen);
    let amount = base.percent_floor(rate).min(cap).min(room);
    GoalSubsidy {
        status: SubsidyStatus::of(&checks),
        base_yen: base,
        rate_percent: rate,
        cap_yen: cap,
        amount_yen: amount,
        teleworkers,
        required_teleworkers: required,
        required_teleworkers_exact: required,
        checks,
    }
}

/// (ハ) 評価時離職率が計画時離職率以下; (ニ) 評価時離職率が30％以下. Compared exactly.
fn turnover_checks(ctx: &Context<'_>, t: &TurnoverResult) -> (Check, Check) {
    let pending = |id, cite, why: &str| check(id, CheckStatus::Pending, cite, why.to_string());
    if ctx.case.roster.is_none() {
        let why = "労働者名簿（入社日・離職日・離職理由）がないため離職率を計算できません。名簿を登録してください";
        return (
            pending("turnover_not_increased", CITE_GOAL_TURNOVER, why),
            pending("turnover_at_most_30", CITE_GOAL_30, why),
        );
    }
    let Some(eval) = t.evaluation else {
        let why = match ctx.schedule.evaluation_turnover_period {
            Some(p) => format!(
                "評価時離職率の期間（{} 〜 {}）が終わるまで判定できません",
                jd(p.from()),
                jd(p.to())
            ),
            None => "評価期間が決まると、評価時離職率の期間が決まります".to_string(),
        };
        return (
            pending("turnover_not_increased", CITE_GOAL_TURNOVER, &why),
            pending("turnover_at_most_30", CITE_GOAL_30, &why),
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
            check("turnover_not_increased", pass_fail(ok), CITE_GOAL_TURNOVER, format!(
                "評価時離職率 {} は計画時離職率 {} {}",
                show(&eval),
                t.plan.as_ref().map(show).unwrap_or_default(),
                if ok { "以下です" } else { "を上回っているため要件を満たしません" }
            ))
        }
        None => check("turnover_not_increased", CheckStatus::Fail, CITE_GOAL_TURNOVER, format!(
            "離職率を計算できないため要件を満たしません（期間初日の労働者が0人）: 評価時 {}、計画時 {}",
            show(&eval),
            t.plan.as_ref().map(show).unwrap_or_default()
        )),
    };
    let max = ctx.regime.turnover.max_rate_percent;
    let at_most_30 = match turnover_at_most(eval.rate, max) {
        Some(ok) => check(
            "turnover_at_most_30",
            pass_fail(ok),
            CITE_GOAL_30,
            format!(
                "評価時離職率 {} は {max}％{}",
                show(&eval),
                if ok {
                    "以下です"
                } else {
                    "を超えているため要件を満たしません"
                }
            ),
        ),
        None => check(
            "turnover_at_most_30",
            CheckStatus::Fail,
            CITE_GOAL_30,
            "評価時離職率を計算できないため要件を満たしません（期間初日の労働者が0人）".into(),
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
    const ID: &str = "goal_telework_headcount";
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
    let counted = &ctx.regime.telework_test;
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
    let status = if met {
        CheckStatus::Pass
    } else if ctx.as_of <= p2.to() {
        CheckStatus::Pending
    } else {
        CheckStatus::Fail
    };
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

/// 評価期間の終了日の翌日から起算して1ヶ月が経過する日までに提出 (seed 002 ご利用の流れ).
fn goal_application_timely_check(ctx: &Context<'_>) -> Check {
    const ID: &str = "goal_application_timely";
    let (Some(p2), Some(deadline)) = (
        ctx.schedule.goal_evaluation_period,
        ctx.schedule.goal_application_deadline,
    ) else {
        return check(
            ID,
            CheckStatus::Pending,
            CITE_FLOW,
            "目標達成助成の申請は、評価期間（1年後の3か月間）の終了後1か月以内に行います".into(),
        );
    };
    let moved = deadline
        .moved_because()
        .map(|why| {
            format!(
                "（本来の期限 {} が{}のため延長）",
                jd(deadline.nominal),
                why
            )
        })
        .unwrap_or_default();
    match ctx.case.goal_application_filed_on {
        Some(f) if f > p2.to() && f <= deadline.effective => check(
            ID,
            CheckStatus::Pass,
            CITE_FLOW,
            format!(
                "目標達成助成の申請日 {} は期限 {}{moved} 以内です",
                jd(f),
                jd(deadline.effective)
            ),
        ),
        Some(f) if f > deadline.effective => check(
            ID,
            CheckStatus::Fail,
            CITE_FLOW,
            format!(
                "目標達成助成の申請日 {} が期限 {}{moved} を過ぎています",
                jd(f),
                jd(deadline.effective)
            ),
        ),
        Some(f) => check(
            ID,
            CheckStatus::Fail,
            CITE_FLOW,
            format!(
                "目標達成助成の申請日 {} が評価期間の終了日 {} 以前です。終了後に申請してください",
                jd(f),
                jd(p2.to())
            ),
        ),
        None if ctx.as_of <= deadline.effective => check(
            ID,
            CheckStatus::Pending,
            CITE_FLOW,
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
            CITE_FLOW,
            format!(
                "目標達成助成の申請期限 {}{moved} を過ぎました",
                jd(deadline.effective)
            ),
        ),
    }
}
