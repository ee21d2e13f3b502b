//! Every period and deadline of the course, one function each.
//!
//! All are counted by [`period_end`] (民法 143条): "X から起算して N か月" starts
//! on X. Lengths come from the regime ([`PeriodParams`]).

use crate::civil::{first_of_month_offset, next_day, period_end, previous_day, Period};
use crate::holidays::{closure_reason, next_open_day};
use crate::regime::PeriodParams;
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
    pub evaluation_window: Option<Period>,
    pub evaluation_period: Option<Period>,
    pub equipment_application_deadline: Option<Deadline>,
    pub goal_evaluation_period: Option<Period>,
    pub goal_application_deadline: Option<Deadline>,
    pub plan_turnover_period: Option<Period>,
    pub evaluation_turnover_period: Option<Period>,
}

/// The schedule of a plan submitted on `submitted`, certified on `certified`,
/// with evaluation period 1 starting on `evaluation_start`.
pub fn schedule(
    p: &PeriodParams,
    submitted: Date,
    certified: Option<Date>,
    evaluation_start: Option<Date>,
) -> Schedule {
    let evaluation_period = evaluation_start.map(|s| evaluation_period(p, s));
    let goal_evaluation_period = evaluation_start.map(|s| goal_evaluation_period(p, s));
    Schedule {
        evaluation_window: certified.map(|c| evaluation_window(p, c)),
        evaluation_period,
        equipment_application_deadline: certified.map(|c| equipment_deadline(p, c)),
        goal_evaluation_period,
        goal_application_deadline: goal_evaluation_period.map(|p2| goal_deadline(p, &p2)),
        plan_turnover_period: Some(plan_turnover_period(p, submitted)),
        evaluation_turnover_period: evaluation_period.map(|e| evaluation_turnover_period(p, &e)),
    }
}

/// The window evaluation period 1 must lie in: 計画認定日から起算して6か月を経過する日
/// までの期間 (seed 002 ⑥; 支給要領 0201).
pub fn evaluation_window(p: &PeriodParams, certified: Date) -> Period {
    Period::of_months(certified, p.evaluation_window_months)
}

/// Evaluation period 1: 任意に連続する3ヶ月間 from the chosen start (seed 002 ⑥).
pub fn evaluation_period(p: &PeriodParams, start: Date) -> Period {
    Period::of_months(start, p.evaluation_period_months)
}

/// The equipment subsidy's filing deadline: 計画認定日から起算して7ヶ月以内に提出
/// (seed 002 ご利用の流れ).
pub fn equipment_deadline(p: &PeriodParams, certified: Date) -> Deadline {
    Deadline::new(
        period_end(certified, p.equipment_deadline_months),
        p.deadlines_move_to_open_day,
    )
}

/// Evaluation period 2: 評価期間（機器等導入助成）の初日から12ヶ月を経過した日から
/// 起算した3ヶ月間 (seed 002 ⑥). "1年を経過した日" is the day after the 12-month
/// period that starts on the first day of period 1 ends.
pub fn goal_evaluation_period(p: &PeriodParams, evaluation_start: Date) -> Period {
    let start = next_day(period_end(evaluation_start, p.goal_offset_months));
    Period::of_months(start, p.goal_period_months)
}

/// The goal subsidy's filing deadline: 評価期間の終了日の翌日から起算して1ヶ月が経過
/// する日までに提出 (seed 002 ご利用の流れ).
pub fn goal_deadline(p: &PeriodParams, goal_period: &Period) -> Deadline {
    Deadline::new(
        period_end(next_day(goal_period.to()), p.goal_deadline_months),
        p.deadlines_move_to_open_day,
    )
}

/// 計画時離職率の期間: テレワーク実施計画提出日の12ヶ月前の属する月の初日から当該
/// 計画提出日の属する月の前月末まで (seed 002 ⑨).
pub fn plan_turnover_period(p: &PeriodParams, submitted: Date) -> Period {
    let months = p.turnover_period_months as i32;
    let from = first_of_month_offset(submitted, -months);
    let to = previous_day(first_of_month_offset(submitted, 0));
    Period::new(from, to).unwrap_or_else(|| Period::of_months(from, 1))
}

/// 評価時離職率の期間: 評価期間（機器等導入助成）の末日の翌月から起算して12ヶ月を
/// 経過する日まで (seed 002 ⑨): from the 1st of the month after period 1 ends.
pub fn evaluation_turnover_period(p: &PeriodParams, evaluation_period: &Period) -> Period {
    let from = first_of_month_offset(evaluation_period.to(), 1);
    Period::of_months(from, p.turnover_period_months)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regime;
    use jiff::civil::date;

    fn params() -> &'static PeriodParams {
        &regime::by_id("R4").unwrap().periods
    }

    #[test]
    fn case_01_schedule() {
        let s = schedule(
            params(),
            date(2022, 6, 15),
            Some(date(2022, 7, 1)),
            Some(date(2022, 8, 1)),
        );
        let period = |a, b| Some(Period::new(a, b).unwrap());
        assert_eq!(
            s.evaluation_window,
            period(date(2022, 7, 1), date(2022, 12, 31))
        );
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
        // Certified 2022-09-01: nominal 2023-03-31 (Fri) stays; 2022-09-02 ->
        // 2023-04-01 (Sat) moves to Monday 2023-04-03.
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
