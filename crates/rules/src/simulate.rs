//! The policy view: one employer as a row of figures, evaluated fast.
//!
//! A population (see the `josei simulate` documentation) gives, per employer,
//! the figures the rules need instead of the raw records: spending per expense
//! category, how many target workers teleworked and on how many days, headcounts
//! and separations for both turnover periods, and so on. [`simulate_employer`]
//! applies the same rule functions as the full engine ([`crate::evaluate`]) to
//! those figures. It assumes the procedure was followed: the plan certified,
//! work rules changed in time, the evaluation period inside its window, every
//! expense delivered and paid in time, and both applications filed in time.
//!
//! [`figures_to_case`] builds a full case that realises a row's figures, so
//! tests can prove that the fast path and the engine agree, under every regime.

use crate::civil::{first_of_month_offset, Period};
use crate::evaluate::{
    capped, equipment_amount, fixed_goal_amount, goal_amount, goal_headcount_met, growth_met,
    no_telework_rules_ok, required_teleworkers, sme_test_parts, telework_status_ok,
    turnover_at_most, turnover_not_increased, weekly_average_met,
};
use crate::model::*;
use crate::ratio::Ratio;
use crate::regime::{Design, PremiumCondition, Regime, RegimeKind};
use crate::schedule::{schedule, Dates};
use jiff::civil::Date;

/// Weights are fixed-point with six decimals: 1.0 is 1,000,000.
pub const WEIGHT_SCALE: u64 = 1_000_000;

/// One employer's figures, as a population row gives them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmployerFigures {
    pub industry: Industry,
    pub capital_yen: Option<Yen>,
    pub regular_employees: u64,
    pub employment_insurance: bool,
    /// Falls under a common ground for refusal (共通要領 不支給要件).
    pub disqualified: bool,
    pub telework_status: TeleworkStatus,
    pub work_rules_have_telework: bool,
    pub received_telework_subsidy: bool,
    /// Received another national or local telework subsidy (counts in 令和3年度 only).
    pub received_other_telework_subsidy: bool,
    pub target_workers: u32,
    /// Directly employed target workers (≤ `target_workers`).
    pub direct_target_workers: u32,
    /// Target workers who teleworked at least once in evaluation period 1.
    pub telework_workers: u32,
    /// Telework days of target workers in evaluation period 1 (one per worker per day).
    pub telework_days: u32,
    /// Days in evaluation period 1 (89–92 for three months).
    pub period_days: u32,
    /// Expanding employers: telework instances in the 3 months before.
    pub telework_before_count: u64,
    /// Eligible spending per category (delivered and paid in time, leases
    /// already reduced to their eligible months), indexed by
    /// `ExpenseCategory as usize`; travel only for training and consulting.
    pub spending: [Yen; 16],
    pub plan_headcount: u64,
    pub plan_separations: u64,
    pub eval_headcount: u64,
    pub eval_separations: u64,
    pub headcount_at_certification: u64,
    pub headcount_at_goal_start: u64,
    /// Plan regimes: workers (any, not only targets) who teleworked in evaluation period 2.
    pub goal_teleworkers: u64,
    /// No-plan regimes: telework days of target workers in evaluation period 2.
    pub goal_telework_days: u32,
    pub productivity_met: bool,
    pub wage_increase_met: bool,
}

impl EmployerFigures {
    /// Checks the figures against each other; the message names the field.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        if self.direct_target_workers > self.target_workers {
            return Err((
                "direct_target_workers",
                "target_workers を超えています".into(),
            ));
        }
        if self.telework_workers > self.target_workers {
            return Err(("telework_workers", "target_workers を超えています".into()));
        }
        if self.telework_days < self.telework_workers {
            return Err((
                "telework_days",
                "telework_workers より少なくできません（実施した人は1日以上）".into(),
            ));
        }
        if u64::from(self.telework_days)
            > u64::from(self.telework_workers) * u64::from(self.period_days)
        {
            return Err((
                "telework_days",
                "telework_workers × period_days を超えています（1人1日1回まで）".into(),
            ));
        }
        if !(1..=400).contains(&self.period_days) {
            return Err(("period_days", "1〜400 の日数で指定してください".into()));
        }
        if u64::from(self.goal_telework_days) > u64::from(self.target_workers) * 92 {
            return Err((
                "goal_telework_days",
                "target_workers × 92 を超えています（1人1日1回まで）".into(),
            ));
        }
        Ok(())
    }
}

/// What one employer would receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub eligible_total_yen: Yen,
    pub equipment_payable: bool,
    /// The amount the expenses earn, or the fixed amount (paid only when payable).
    pub equipment_yen: Yen,
    pub goal_payable: bool,
    pub goal_yen: Yen,
}

impl Outcome {
    /// What the budget pays for this employer.
    pub fn cost(&self) -> Yen {
        let eq = if self.equipment_payable {
            self.equipment_yen
        } else {
            Yen(0)
        };
        let goal = if self.goal_payable {
            self.goal_yen
        } else {
            Yen(0)
        };
        eq.plus(goal)
    }
}

/// Evaluates one employer's figures under `regime` with the engine's rule
/// functions. Pure and allocation-free.
pub fn simulate_employer(regime: &Regime, f: &EmployerFigures) -> Outcome {
    let p = &regime.params;
    let targets = u64::from(f.target_workers);
    let employer_ok = f.employment_insurance
        && !f.disqualified
        && sme_test_parts(regime, f.industry, f.capital_yen, f.regular_employees).result
        && telework_status_ok(regime, f.telework_status)
        && no_telework_rules_ok(regime, f.telework_status, f.work_rules_have_telework)
        && !f.received_telework_subsidy
        && (!p.other_telework_subsidy_disqualifies || !f.received_other_telework_subsidy)
        && f.direct_target_workers >= 1;
    let all_once = f.target_workers > 0 && f.telework_workers == f.target_workers;
    let growth_ok = match p.growth_percent {
        Some(g) if f.telework_status == TeleworkStatus::Expanding && p.expanding_eligible => {
            growth_met(u64::from(f.telework_days), f.telework_before_count, g)
        }
        _ => true,
    };
    let performance = (all_once
        || weekly_average_met(
            p.weekly_average_rule,
            p.weekly_average_min_days_per_week,
            f.telework_days,
            f.target_workers,
            f.period_days,
        ))
        && growth_ok;
    let mut total = Yen(0);
    for &category in ExpenseCategory::ALL {
        let spent = f.spending[category as usize];
        if spent.0 > 0 {
            total = total.plus(capped(regime, category, spent, targets).1);
        }
    }
    let premium_met = match p.premium_condition {
        PremiumCondition::Productivity => f.productivity_met,
        PremiumCondition::Wage => f.wage_increase_met,
        PremiumCondition::None => false,
    };
    let plan = Ratio::new(u128::from(f.plan_separations), u128::from(f.plan_headcount));
    let eval = Ratio::new(u128::from(f.eval_separations), u128::from(f.eval_headcount));
    let turnover_ok = turnover_not_increased(eval, plan) == Some(true)
        && turnover_at_most(eval, p.turnover_max_percent) == Some(true);
    match &regime.design {
        Design::Plan(design) => {
            let equipment_payable = employer_ok && performance && total.0 > 0;
            let (_, _, equipment_yen) = equipment_amount(design, total, targets);
            let goal_payable = equipment_payable
                && turnover_ok
                && required_teleworkers(
                    f.headcount_at_goal_start,
                    targets,
                    f.headcount_at_certification,
                )
                .is_some_and(|r| goal_headcount_met(f.goal_teleworkers, r));
            let (_, _, goal_yen) =
                goal_amount(regime, design, total, premium_met, targets, equipment_yen);
            Outcome {
                eligible_total_yen: total,
                equipment_payable,
                equipment_yen,
                goal_payable,
                goal_yen,
            }
        }
        Design::NoPlan(design) => {
            let equipment_payable = employer_ok && performance;
            let goal_payable =
                equipment_payable && turnover_ok && f.goal_telework_days >= f.telework_days;
            Outcome {
                eligible_total_yen: total,
                equipment_payable,
                equipment_yen: Yen(design.equipment_amount_yen),
                goal_payable,
                goal_yen: fixed_goal_amount(design, premium_met),
            }
        }
    }
}

/// Size bands of 常時雇用する労働者数, as in the 経済センサス.
pub const SIZE_BANDS: [(&str, u64); 7] = [
    ("0-4", 4),
    ("5-9", 9),
    ("10-19", 19),
    ("20-49", 49),
    ("50-99", 99),
    ("100-299", 299),
    ("300+", u64::MAX),
];

/// The index in [`SIZE_BANDS`] of an employer with `employees` workers.
pub fn size_band(employees: u64) -> usize {
    SIZE_BANDS
        .iter()
        .position(|&(_, max)| employees <= max)
        .unwrap_or(SIZE_BANDS.len() - 1)
}

/// Weighted sums for one group of employers. Weights are in millionths
/// ([`WEIGHT_SCALE`]); yen sums are yen × millionths, exact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub employers: u128,
    pub equipment_payable: u128,
    pub equipment_yen: u128,
    pub goal_payable: u128,
    pub goal_yen: u128,
}

impl Totals {
    fn add(&mut self, o: &Outcome, w: u128) {
        self.employers += w;
        if o.equipment_payable {
            self.equipment_payable += w;
            self.equipment_yen += u128::from(o.equipment_yen.0) * w;
        }
        if o.goal_payable {
            self.goal_payable += w;
            self.goal_yen += u128::from(o.goal_yen.0) * w;
        }
    }

    fn merge(&mut self, other: &Totals) {
        self.employers += other.employers;
        self.equipment_payable += other.equipment_payable;
        self.equipment_yen += other.equipment_yen;
        self.goal_payable += other.goal_payable;
        self.goal_yen += other.goal_yen;
    }

    /// Both subsidies together, in yen × millionths.
    pub fn total_yen(&self) -> u128 {
        self.equipment_yen + self.goal_yen
    }
}

/// Totals overall, by industry and by size band.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Aggregate {
    pub rows: u64,
    pub total: Totals,
    /// Indexed by `Industry as usize`.
    pub by_industry: [Totals; 4],
    /// Indexed like [`SIZE_BANDS`].
    pub by_size: [Totals; 7],
}

impl Aggregate {
    /// Adds one employer's outcome with weight `weight` (millionths).
    pub fn add(&mut self, f: &EmployerFigures, o: &Outcome, weight: u64) {
        let w = u128::from(weight);
        self.rows += 1;
        self.total.add(o, w);
        self.by_industry[f.industry as usize].add(o, w);
        self.by_size[size_band(f.regular_employees)].add(o, w);
    }

    /// Adds another aggregate (e.g. from another thread).
    pub fn merge(&mut self, other: &Aggregate) {
        self.rows += other.rows;
        self.total.merge(&other.total);
        for (a, b) in self.by_industry.iter_mut().zip(&other.by_industry) {
            a.merge(b);
        }
        for (a, b) in self.by_size.iter_mut().zip(&other.by_size) {
            a.merge(b);
        }
    }
}

/// The dates `figures_to_case` uses under `regime`: a plan submitted on the 15th
/// of the first month its regime covers whose evaluation period (starting on
/// the 1st two months later) lasts 92 days, certified on the 1st of the next
/// month; or, in a no-plan regime, the first 1st of a month it covers whose
/// evaluation period lasts 92 days.
pub fn timeline(regime: &Regime) -> Option<Dates> {
    let mut month = first_of_month_offset(regime.applies_from, 0);
    while month <= regime.applies_to {
        let dates = match regime.kind {
            RegimeKind::Plan => Dates {
                submitted: Some(month.saturating_add(jiff::Span::new().days(14))),
                certified: Some(first_of_month_offset(month, 1)),
                evaluation_start: Some(first_of_month_offset(month, 2)),
            },
            RegimeKind::NoPlan => Dates {
                submitted: None,
                certified: None,
                evaluation_start: Some(month),
            },
        };
        let key = dates.submitted.or(dates.evaluation_start)?;
        let s = schedule(regime, dates);
        if regime.covers(key)
            && regime.applies_from <= key
            && s.evaluation_period.is_some_and(|e| e.days() == 92)
        {
            return Some(dates);
        }
        month = first_of_month_offset(month, 1);
    }
    None
}

/// Builds a full case that realises `f` under `regime` (with `period_days` =
/// 92), for checking the fast path against the engine. Dates come from
/// [`timeline`]: every measure in time, both applications filed in time, and
/// "today" after the evaluation-time turnover period. The roster is
/// constructed so that every headcount and separation count equals the figures
/// (departures that must not count use 定年退職). Returns `None` when
/// `period_days` is not 92 or the regime has no such dates.
pub fn figures_to_case(regime: &Regime, f: &EmployerFigures) -> Option<Case> {
    if f.period_days != 92 {
        return None;
    }
    let dates = timeline(regime)?;
    let s = schedule(regime, dates);
    let (p0, e1, t1, g) = (
        s.plan_turnover_period?,
        s.evaluation_period?,
        s.evaluation_turnover_period?,
        s.goal_evaluation_period?,
    );
    let start = e1.from();
    let day = |d: Date, n: i64| d.saturating_add(jiff::Span::new().days(n));
    let month = |d: Date, n: i32| first_of_month_offset(d, n);
    let mut roster = RosterBuilder::default();

    // Plan-time period: H0 on day 1, S0 separations.
    let initial = roster.hire(f.plan_headcount, month(p0.from(), -60));
    let s0a = f.plan_separations.min(f.plan_headcount);
    roster.leave(
        &initial[..s0a as usize],
        day(p0.from(), 44),
        LeaveReason::Voluntary,
    );
    let extra = roster.hire(f.plan_separations - s0a, day(p0.from(), 30));
    roster.leave(&extra, day(p0.from(), 75), LeaveReason::Voluntary);
    let mut active: Vec<usize> = initial[s0a as usize..].to_vec();

    // To the headcount on 計画認定日 (plan regimes), between the plan-time period and C.
    if dates.certified.is_some() {
        roster.adjust(
            &mut active,
            f.headcount_at_certification,
            day(p0.to(), 10),
            day(p0.to(), 5),
        );
    }
    // To the headcount on the first day of the evaluation-time period.
    let before_t1 = day(t1.from(), -61);
    roster.adjust(&mut active, f.eval_headcount, before_t1, before_t1);

    // Evaluation-time separations, and the headcount on period 2's first day.
    let sea = f.eval_separations.min(f.eval_headcount) as usize;
    let seb = f.eval_separations - sea as u64;
    let extra = roster.hire(seb, day(t1.from(), 30));
    roster.leave(&extra, day(t1.from(), 75), LeaveReason::Voluntary);
    let late = sea.min(f.headcount_at_goal_start as usize);
    let early = sea - late;
    let before_g = month(g.from(), -5);
    let early_leavers: Vec<usize> = active.drain(..early).collect();
    roster.leave(&early_leavers, before_g, LeaveReason::Voluntary);
    let late_leavers: Vec<usize> = active.drain(..late).collect();
    roster.adjust(
        &mut active,
        f.headcount_at_goal_start - late as u64,
        day(before_g, 1),
        before_g,
    );
    roster.leave(&late_leavers, day(g.from(), 45), LeaveReason::Voluntary);
    if roster.entries.is_empty() {
        // Nobody ever employed: still a roster (not "no roster").
        roster.hire(1, day(t1.to(), 30));
    }

    let target_workers: Vec<TargetWorker> = (0..f.target_workers)
        .map(|i| TargetWorker {
            id: format!("T{i}"),
            employment: if i < f.direct_target_workers {
                Employment::Direct
            } else {
                Employment::Dispatched
            },
        })
        .collect();
    let mut telework = Vec::new();
    spread(&mut telework, f.telework_days, f.telework_workers, &e1);
    match regime.kind {
        RegimeKind::Plan => {
            for i in 0..f.goal_teleworkers {
                telework.push(TeleworkDay {
                    worker: format!("G{i}"),
                    date: day(g.from(), 1),
                    place: Place::Home,
                });
            }
        }
        RegimeKind::NoPlan => {
            let workers = f
                .goal_telework_days
                .div_ceil(92)
                .max(1)
                .min(f.target_workers);
            spread(&mut telework, f.goal_telework_days, workers, &g);
        }
    }
    // When measures, work rules and expenses happen: after C, or inside the
    // no-plan measures window.
    let (measures_from, filed) = match (dates.certified, s.measures_window) {
        (Some(c), _) => (c, day(e1.to(), 25)),
        (None, Some(w)) => (w.from(), day(e1.to(), 25)),
        (None, None) => return None,
    };
    let expenses = ExpenseCategory::ALL
        .iter()
        .filter(|c| f.spending[**c as usize].0 > 0)
        .map(|&category| Expense {
            id: format!("X-{category}"),
            category,
            amount_yen: f.spending[category as usize],
            delivered_on: Some(day(measures_from, 10)),
            paid_on: Some(day(measures_from, 28)),
            travel_for: (category == ExpenseCategory::Travel).then(|| "consulting".to_string()),
            description: None,
            funded_by_other_subsidy: false,
            months: Some(1),
        })
        .collect();
    Some(Case {
        regime: None,
        as_of: day(t1.to(), 76),
        employer: Employer {
            name: String::new(),
            industry: f.industry,
            capital_yen: f.capital_yen,
            regular_employees: f.regular_employees,
            employment_insurance: f.employment_insurance,
            telework_status: f.telework_status,
            work_rules_have_telework: f.work_rules_have_telework,
            received_telework_subsidy: f.received_telework_subsidy,
            received_other_telework_subsidy: f.received_other_telework_subsidy,
            disqualifications: Some(if f.disqualified {
                vec![Disqualification::UnpaidLabourInsurance]
            } else {
                Vec::new()
            }),
        },
        plan: Plan {
            submitted_on: dates.submitted,
            certified_on: dates.certified,
            target_workers,
        },
        work_rules_established_on: Some(day(measures_from, 19)),
        workplace_climate: WorkplaceClimate {
            top_message_on: Some(day(measures_from, 4)),
            case_sharing_on: Some(day(measures_from, 50)),
        },
        measures: vec![Measure {
            kind: MeasureKind::Consulting,
            on: day(measures_from, 12),
        }],
        evaluation_start: Some(start),
        telework_before_count: Some(f.telework_before_count),
        telework,
        expenses,
        roster: Some(roster.entries),
        equipment_application_filed_on: Some(filed),
        goal_application_filed_on: Some(day(g.to(), 20)),
        productivity: (regime.params.premium_condition == PremiumCondition::Productivity)
            .then_some(Productivity::Stated {
                met: f.productivity_met,
            }),
        wage_increase: (regime.params.premium_condition == PremiumCondition::Wage).then_some(
            WageIncrease::Stated {
                met: f.wage_increase_met,
            },
        ),
    })
}

/// `days` telework days at home for `workers` target workers (T0, T1, …) from
/// the start of `period`, as evenly as possible.
fn spread(out: &mut Vec<TeleworkDay>, days: u32, workers: u32, period: &Period) {
    let Some(per) = days.checked_div(workers) else {
        return;
    };
    let rest = days % workers;
    for i in 0..workers {
        for k in 0..per + u32::from(i < rest) {
            out.push(TeleworkDay {
                worker: format!("T{i}"),
                date: period
                    .from()
                    .saturating_add(jiff::Span::new().days(i64::from(k))),
                place: Place::Home,
            });
        }
    }
}

#[derive(Default)]
struct RosterBuilder {
    entries: Vec<RosterEntry>,
}

impl RosterBuilder {
    /// Hires `n` workers on `on`; returns their indices.
    fn hire(&mut self, n: u64, on: Date) -> Vec<usize> {
        (0..n)
            .map(|_| {
                self.entries.push(RosterEntry {
                    id: format!("R{}", self.entries.len()),
                    hired_on: on,
                    left_on: None,
                    leave_reason: None,
                });
                self.entries.len() - 1
            })
            .collect()
    }

    fn leave(&mut self, who: &[usize], on: Date, why: LeaveReason) {
        for &i in who {
            self.entries[i].left_on = Some(on);
            self.entries[i].leave_reason = Some(why);
        }
    }

    /// Brings `active` to `target` people: hires on `hire_on`, or retires
    /// (定年退職, not counted as turnover) the surplus on `retire_on`.
    fn adjust(&mut self, active: &mut Vec<usize>, target: u64, hire_on: Date, retire_on: Date) {
        let now = active.len() as u64;
        if target >= now {
            let hired = self.hire(target - now, hire_on);
            active.extend(hired);
        } else {
            let retiring: Vec<usize> = active.drain(..(now - target) as usize).collect();
            self.leave(&retiring, retire_on, LeaveReason::MandatoryRetirement);
        }
    }
}
