//! Every period and deadline of the course, one function each.
//!
//! All are counted by [`period_end`] (民法 143条): "X から起算して N か月" starts
//! on X. Lengths come from the regime ([`Params`]).

use crate::civil::{
    first_of_month_offset, months_before_clamped, next_day, period_end, previous_day, Period,
};
use crate::holidays::{closure_reason, next_open_day};
use crate::regime::{
    Design, MeasuresWindowStart, NoPlanDesign, Params, PlanDesign, Regime, RegimeKind,
    TurnoverPeriods,
};
use jiff::civil::Date;
use serde::Serialize;

/// A filing deadline: the day the rule names, and the day it really falls on
/// once moved off a day the labour bureau is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub nominal: Date,
    pub effective: Date,
}

impl Deadline {
    /// `nominal`, moved to the next open day when `moves` (行政機関の休日に関する法律 2条).
    pub fn new(nominal: Date, moves: bool) -> Deadline {
        let effective = if moves {
            next_open_day(nominal)
        } else {
            nominal
        };
        Deadline { nominal, effective }
    }

    /// Why the nominal day was moved (e.g. `日曜日`), if it was.
    pub fn moved_because(&self) -> Option<&'static str> {
        (self.nominal != self.effective)
            .then(|| closure_reason(self.nominal))
            .flatten()
    }
}

/// Every period and deadline the given dates determine; a part is `None` until
/// its inputs exist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Schedule {
    /// Plan regimes: where evaluation period 1 must lie.
    pub evaluation_window: Option<Period>,
    /// No-plan regimes: where the measures must lie, `[M, S−1]`.
    pub measures_window: Option<Period>,
    pub evaluation_period: Option<Period>,
    pub equipment_application_deadline: Option<Deadline>,
    pub goal_evaluation_period: Option<Period>,
    pub goal_application_deadline: Option<Deadline>,
    pub plan_turnover_period: Option<Period>,
    pub evaluation_turnover_period: Option<Period>,
}

/// The dates that determine a schedule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dates {
    /// 計画提出日 (plan regimes).
    pub submitted: Option<Date>,
    /// 計画認定日 (plan regimes).
    pub certified: Option<Date>,
    /// The first day of evaluation period 1.
    pub evaluation_start: Option<Date>,
}

/// The schedule of a case under `regime`. In the no-plan regimes the plan's
/// dates are ignored.
pub fn schedule(regime: &Regime, dates: Dates) -> Schedule {
    let p = &regime.params;
    let (submitted, certified) = match regime.kind {
        RegimeKind::Plan => (dates.submitted, dates.certified),
        RegimeKind::NoPlan => (None, None),
    };
    let evaluation_period = dates.evaluation_start.map(|s| evaluation_period(p, s));
    let goal_evaluation_period = dates.evaluation_start.map(|s| goal_evaluation_period(p, s));
    let turnover_anchor = match p.turnover_periods {
        TurnoverPeriods::PlanSubmission => submitted,
        TurnoverPeriods::EvaluationStart => dates.evaluation_start,
    };
    let (evaluation_window, measures_window, equipment_application_deadline) = match &regime.design
    {
        Design::Plan(plan) => (
            certified.map(|c| evaluation_window(plan, c)),
            None,
            certified.map(|c| equipment_deadline(p, c)),
        ),
        Design::NoPlan(no_plan) => (
            None,
            dates.evaluation_start.map(|s| measures_window(no_plan, s)),
            evaluation_period.map(|e| equipment_deadline_after_period(p, &e)),
        ),
    };
    Schedule {
        evaluation_window,
        measures_window,
        evaluation_period,
        equipment_application_deadline,
        goal_evaluation_period,
        goal_application_deadline: goal_evaluation_period.map(|p2| goal_deadline(p, &p2)),
        plan_turnover_period: turnover_anchor.map(|d| plan_turnover_period(p, d)),
        evaluation_turnover_period: evaluation_period.map(|e| evaluation_turnover_period(p, &e)),
    }
}

/// The window evaluation period 1 must lie in: 計画認定日から起算して6か月を経過する日
/// までの期間 (seed 002 ⑥; 支給要領 0201).
pub fn evaluation_window(p: &PlanDesign, certified: Date) -> Period {
    Period::of_months(certified, p.evaluation_window_months)
}

/// The no-plan measures window (regimes.md §3): 評価期間(制度導入助成)の初日から起算して
/// 前3か月の間, `[M, S−1]` with M the same day N months before S (or that month's
/// last day).
pub fn measures_window(p: &NoPlanDesign, evaluation_start: Date) -> Period {
    let from = match p.measures_window_start {
        MeasuresWindowStart::SameDayOrMonthEnd => {
            months_before_clamped(evaluation_start, p.measures_window_months)
        }
    };
    let to = previous_day(evaluation_start);
    Period::new(from, to).unwrap_or_else(|| Period::of_months(from, 1))
}

/// Evaluation period 1: 任意に連続する3ヶ月間 from the chosen start (seed 002 ⑥).
pub fn evaluation_period(p: &Params, start: Date) -> Period {
    Period::of_months(start, p.evaluation_period_months)
}

/// The plan regimes' equipment filing deadline: 計画認定日から起算して7ヶ月以内に提出
/// (seed 002 ご利用の流れ).
pub fn equipment_deadline(p: &Params, certified: Date) -> Deadline {
    Deadline::new(
        period_end(certified, p.equipment_deadline_months),
        p.deadlines_move_to_open_day,
    )
}

/// The no-plan regimes' 制度導入助成 filing deadline: 評価期間終了後2か月以内
/// (research §1.6), counted from the day after period 1 ends.
pub fn equipment_deadline_after_period(p: &Params, evaluation_period: &Period) -> Deadline {
    Deadline::new(
        period_end(
            next_day(evaluation_period.to()),
            p.equipment_deadline_months,
        ),
        p.deadlines_move_to_open_day,
    )
}

/// Evaluation period 2: 評価期間（機器等導入助成）の初日から12ヶ月を経過した日から
/// 起算した3ヶ月間 (seed 002 ⑥). "1年を経過した日" is the day after the 12-month
/// period that starts on the first day of period 1 ends.
pub fn goal_evaluation_period(p: &Params, evaluation_start: Date) -> Period {
    let start = next_day(period_end(evaluation_start, p.goal_period_offset_months));
    Period::of_months(start, p.goal_period_months)
}

/// The goal subsidy's filing deadline: 評価期間の終了日の翌日から起算して1ヶ月
/// (令和7年度 on: 2か月) が経過する日までに提出 (seed 002 ご利用の流れ).
pub fn goal_deadline(p: &Params, goal_period: &Period) -> Deadline {
    Deadline::new(
        period_end(next_day(goal_period.to()), p.goal_deadline_months),
        p.deadlines_move_to_open_day,
    )
}

/// 計画時離職率の期間: テレワーク実施計画提出日の12ヶ月前の属する月の初日から当該
/// 計画提出日の属する月の前月末まで (seed 002 ⑨). In the no-plan regimes the
/// anchor is evaluation period 1's first day (regimes.md §3).
pub fn plan_turnover_period(p: &Params, anchor: Date) -> Period {
    let months = p.turnover_period_months as i32;
    let from = first_of_month_offset(anchor, -months);
    let to = previous_day(first_of_month_offset(anchor, 0));
    Period::new(from, to).unwrap_or_else(|| Period::of_months(from, 1))
}

/// 評価時離職率の期間: 評価期間（機器等導入助成）の末日の翌月から起算して12ヶ月を
/// 経過する日まで (seed 002 ⑨): from the 1st of the month after period 1 ends.
pub fn evaluation_turnover_period(p: &Params, evaluation_period: &Period) -> Period {
    let from = first_of_month_offset(evaluation_period.to(), 1);
    Period::of_months(from, p.turnover_period_months)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regime::RegimeSet;
    use jiff::civil::date;
    use std::sync::OnceLock;

    fn set() -> &'static RegimeSet {
        static SET: OnceLock<RegimeSet> = OnceLock::new();
        SET.get_or_init(RegimeSet::builtin)
    }

    fn r(id: &str) -> &'static Regime {
        set().by_id(id).unwrap()
    }

    fn params() -> &'static Params {
        &r("R4").params
    }

    #[test]
    fn case_01_schedule() {
        let s = schedule(
            r("R4"),
            Dates {
                submitted: Some(date(2022, 6, 15)),
                certified: Some(date(2022, 7, 1)),
                evaluation_start: Some(date(2022, 8, 1)),
            },
        );
        let period = |a, b| Some(Period::new(a, b).unwrap());
        assert_eq!(
            s.evaluation_window,
            period(date(2022, 7, 1), date(2022, 12, 31))
        );
        assert_eq!(s.measures_window, None);
        assert_eq!(
            s.evaluation_period,
            period(date(2022, 8, 1), date(2022, 10, 31))
        );
        assert_eq!(
            s.equipment_application_deadline.unwrap().nominal,
            date(2023, 1, 31)
        );
        assert_eq!(
            s.goal_evaluation_period,
            period(date(2023, 8, 1), date(2023, 10, 31))
        );
        assert_eq!(
            s.goal_application_deadline.unwrap().nominal,
            date(2023, 11, 30)
        );
        assert_eq!(
            s.plan_turnover_period,
            period(date(2021, 6, 1), date(2022, 5, 31))
        );
        assert_eq!(
            s.evaluation_turnover_period,
            period(date(2022, 11, 1), date(2023, 10, 31))
        );
    }

    #[test]
    fn no_plan_schedule() {
        let s = schedule(
            r("R7"),
            Dates {
                submitted: Some(date(2025, 4, 1)),
                certified: Some(date(2025, 4, 10)),
                evaluation_start: Some(date(2025, 7, 1)),
            },
        );
        let period = |a, b| Some(Period::new(a, b).unwrap());
        assert_eq!(s.evaluation_window, None, "plan dates are ignored");
        assert_eq!(
            s.measures_window,
            period(date(2025, 4, 1), date(2025, 6, 30))
        );
        assert_eq!(
            s.evaluation_period,
            period(date(2025, 7, 1), date(2025, 9, 30))
        );
        let d = s.equipment_application_deadline.unwrap();
        // 2 months from 2025-10-01 end on Sunday 2025-11-30: moved to Monday.
        assert_eq!(
            (d.nominal, d.effective),
            (date(2025, 11, 30), date(2025, 12, 1))
        );
        assert_eq!(
            s.goal_evaluation_period,
            period(date(2026, 7, 1), date(2026, 9, 30))
        );
        let g = s.goal_application_deadline.unwrap();
        assert_eq!(
            (g.nominal, g.effective),
            (date(2026, 11, 30), date(2026, 11, 30))
        );
        assert_eq!(
            s.plan_turnover_period,
            period(date(2024, 7, 1), date(2025, 6, 30))
        );
        assert_eq!(
            s.evaluation_turnover_period,
            period(date(2025, 10, 1), date(2026, 9, 30))
        );
        // Without S nothing is known.
        let empty = schedule(r("R8"), Dates::default());
        assert_eq!(
            empty,
            schedule(
                r("R8"),
                Dates {
                    submitted: Some(date(2026, 5, 1)),
                    ..Dates::default()
                }
            )
        );
        assert!(empty.measures_window.is_none() && empty.plan_turnover_period.is_none());
    }

    #[test]
    fn measures_window_first_and_last_day() {
        let np = r("R7").no_plan().unwrap();
        let w = measures_window(np, date(2025, 5, 31));
        assert_eq!((w.from(), w.to()), (date(2025, 2, 28), date(2025, 5, 30)));
        let w = measures_window(np, date(2025, 4, 1));
        assert_eq!((w.from(), w.to()), (date(2025, 1, 1), date(2025, 3, 31)));
        let w = measures_window(np, date(2024, 5, 30));
        assert_eq!(w.from(), date(2024, 2, 29), "leap year");
    }

    #[test]
    fn two_month_deadlines_move_off_closed_days() {
        let p = &r("R7").params;
        // Period ends 2025-10-31: 2 months from 11-01 end 2025-12-31 (closure) → 2026-01-05.
        let e = Period::new(date(2025, 8, 1), date(2025, 10, 31)).unwrap();
        let d = equipment_deadline_after_period(p, &e);
        assert_eq!(
            (d.nominal, d.effective),
            (date(2025, 12, 31), date(2026, 1, 5))
        );
        // Period ends 2026-02-28: 2 months from 03-01 end 2026-04-30 (Thu), stays.
        let e = Period::new(date(2025, 12, 1), date(2026, 2, 28)).unwrap();
        let d = equipment_deadline_after_period(p, &e);
        assert_eq!(
            (d.nominal, d.effective),
            (date(2026, 4, 30), date(2026, 4, 30))
        );
        // Goal period ending 2026-07-31: 2 months end 2026-09-30 (Wed); ending
        // 2026-03-02 → 2026-05-02 (Sat), 05-03〜05-06 holidays → 2026-05-07.
        let g = Period::new(date(2025, 12, 3), date(2026, 3, 2)).unwrap();
        let d = goal_deadline(p, &g);
        assert_eq!(
            (d.nominal, d.effective),
            (date(2026, 5, 2), date(2026, 5, 7))
        );
    }

    #[test]
    fn mid_month_start() {
        // Start mid-month: period 1 ends the day before the 応当日.
        let e = evaluation_period(params(), date(2022, 8, 15));
        assert_eq!(e.to(), date(2022, 11, 14));
        // Turnover counts from the 1st of the next month.
        let t = evaluation_turnover_period(params(), &e);
        assert_eq!((t.from(), t.to()), (date(2022, 12, 1), date(2023, 11, 30)));
        // Period 2 starts the day after 12 months from the start.
        let g = goal_evaluation_period(params(), date(2022, 8, 15));
        assert_eq!((g.from(), g.to()), (date(2023, 8, 15), date(2023, 11, 14)));
        // A 31st start: 12 months end on Aug 30, period 2 starts Aug 31.
        let g = goal_evaluation_period(params(), date(2022, 8, 31));
        assert_eq!((g.from(), g.to()), (date(2023, 8, 31), date(2023, 11, 30)));
    }

    #[test]
    fn deadlines_move_off_closed_days() {
        // Certified 2022-05-30: 7 months end 2022-12-29, in the new-year closure.
        let d = equipment_deadline(params(), date(2022, 5, 30));
        assert_eq!(d.nominal, date(2022, 12, 29));
        assert_eq!(d.effective, date(2023, 1, 4));
        assert_eq!(d.moved_because(), Some("年末年始（12月29日〜1月3日）"));
        // Certified 2022-08-01: nominal 2023-02-28 (Tue) stays.
        let d = equipment_deadline(params(), date(2022, 8, 1));
        assert_eq!(d.nominal, d.effective);
        assert_eq!(d.moved_because(), None);
        // Certified 2022-09-02 -> 2023-04-01 (Sat) moves to Monday 2023-04-03.
        let d = equipment_deadline(params(), date(2022, 9, 2));
        assert_eq!(
            (d.nominal, d.effective),
            (date(2023, 4, 1), date(2023, 4, 3))
        );
    }

    #[test]
    fn plan_turnover_across_year() {
        let t = plan_turnover_period(params(), date(2023, 1, 10));
        assert_eq!((t.from(), t.to()), (date(2022, 1, 1), date(2022, 12, 31)));
    }
}
