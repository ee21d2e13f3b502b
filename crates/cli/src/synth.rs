//! `josei synth`: a synthetic population of SMEs, deterministic for a seed.
//!
//! The distributions are plausible, not official statistics; they exist so
//! that the simulator can be exercised and timed at the scale of Japan's
//! 3.4 million SMEs. Per employer (probabilities in percent):
//!
//! - industry: retail 22, service 38, wholesale 8, other 32;
//! - regular employees by band: 0–4: 45, 5–9: 20, 10–19: 14, 20–49: 11,
//!   50–99: 5, 100–299: 4, 300–1,500: 1 (uniform inside the band);
//! - capital: none for 15 % of employers under 10 workers and 3 % of the
//!   rest; otherwise one of 1, 3, 5, 10, 20, 50, 100, 300 or 1,000 million
//!   yen, larger for larger bands;
//! - employment insurance 99 % (30 % with no employees); telework status none
//!   66, trial ongoing 14, trial ended 10, established 5, expanding 5 (with
//!   90–160 % of period 1's telework days before); telework rules already in
//!   the work rules 6 %; a telework subsidy received before 3 %, another
//!   national or local one 5 %; a common ground for refusal 2 %;
//! - target workers uniform in 1 ..= min(employees, 30); all directly employed
//!   in 96 %, one dispatched in 3 %, all dispatched in 1 %;
//! - evaluation period of 92, 91, 90 or 89 days (40/25/20/15); every target
//!   worker teleworked in 80 %, otherwise a uniform number of them; 1–30
//!   telework days per teleworking worker; in evaluation period 2, at least
//!   as many telework days in 75 % (0–20 more), fewer otherwise;
//! - spending per category with its own probability and range (e.g. work rules
//!   88 % at 50,000–250,000 yen; Web会議 55 % at 4,000–20,000 yen per target
//!   worker; PCs bought 20 %, never eligible; PCs leased 12 %, eligible from
//!   R5), in 100-yen steps;
//! - turnover: a plan-time rate of 0–25 %, an evaluation-time rate of 50–130 % of
//!   it, headcounts near the employee count; the goal headcount met in 70 %;
//! - the productivity requirement met in 25 %, the wage requirement in 30 %;
//!   every weight 1.

use josei_rules::model::{ExpenseCategory, Industry, TeleworkStatus, Yen};
use josei_rules::simulate::EmployerFigures;

/// SplitMix64: small, fast, and the same sequence on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo ..= hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + ((u128::from(self.next_u64()) * u128::from(hi - lo + 1)) >> 64) as u64
    }

    /// True with probability `percent` %.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.range(0, 99) < percent
    }

    /// An index drawn with the given weights.
    pub fn pick(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut x = self.range(0, total.saturating_sub(1));
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

const BANDS: [(u64, u64, u64); 7] = [
    (0, 4, 45),
    (5, 9, 20),
    (10, 19, 14),
    (20, 49, 11),
    (50, 99, 5),
    (100, 299, 4),
    (300, 1500, 1),
];

const CAPITALS: [u64; 9] = [
    1_000_000,
    3_000_000,
    5_000_000,
    10_000_000,
    20_000_000,
    50_000_000,
    100_000_000,
    300_000_000,
    1_000_000_000,
];

/// (category, percent of employers, low, high) in yen; Web会議 is per target worker.
const SPENDING: [(ExpenseCategory, u64, u64, u64); 16] = [
    (ExpenseCategory::NetworkEquipment, 35, 30_000, 250_000),
    (ExpenseCategory::ServerEquipment, 8, 150_000, 900_000),
    (ExpenseCategory::NasEquipment, 12, 40_000, 200_000),
    (ExpenseCategory::SecurityEquipment, 25, 50_000, 500_000),
    (ExpenseCategory::WebConferenceEquipment, 55, 4_000, 20_000),
    (ExpenseCategory::SatelliteOfficeFee, 6, 50_000, 500_000),
    (ExpenseCategory::TeleworkServiceInitial, 25, 10_000, 100_000),
    (ExpenseCategory::TeleworkServiceFee, 45, 30_000, 600_000),
    (ExpenseCategory::ManagerTraining, 18, 30_000, 200_000),
    (ExpenseCategory::WorkerTraining, 22, 30_000, 200_000),
    (ExpenseCategory::Consulting, 30, 100_000, 600_000),
    (ExpenseCategory::WorkRules, 88, 50_000, 250_000),
    (ExpenseCategory::Travel, 10, 2_000, 25_000),
    (ExpenseCategory::PcTabletSmartphone, 20, 100_000, 900_000),
    (ExpenseCategory::PcRentalLease, 12, 30_000, 400_000),
    (ExpenseCategory::Other, 5, 10_000, 300_000),
];

/// `x × rate‰`, rounded at random (so that small firms sometimes have one).
fn scaled(rng: &mut Rng, x: u64, permille: u64) -> u64 {
    (x * permille + rng.range(0, 999)) / 1000
}

/// One synthetic employer.
pub fn employer(rng: &mut Rng) -> EmployerFigures {
    let industry = Industry::ALL[rng.pick(&[22, 38, 8, 32])];
    let band = rng.pick(&BANDS.map(|b| b.2));
    let employees = rng.range(BANDS[band].0, BANDS[band].1);
    let no_capital = rng.chance(if employees < 10 { 15 } else { 3 });
    let capital_yen = (!no_capital).then(|| {
        let tier = (band as u64 + rng.range(0, 3)).min(CAPITALS.len() as u64 - 1);
        Yen(CAPITALS[tier as usize])
    });
    let employment_insurance = rng.chance(if employees == 0 { 30 } else { 99 });
    // TeleworkStatus::ALL: none, trial_ongoing, trial_ended, established, expanding.
    let telework_status = TeleworkStatus::ALL[rng.pick(&[66, 14, 10, 5, 5])];
    let work_rules_have_telework = rng.chance(6);
    let received_telework_subsidy = rng.chance(3);
    let target_workers = rng.range(1, employees.clamp(1, 30)) as u32;
    let direct_target_workers = match rng.range(0, 99) {
        0 => 0,
        1..=3 => target_workers
            .saturating_sub(1)
            .max(u32::from(target_workers == 1)),
        _ => target_workers,
    };
    let period_days = [92, 91, 90, 89][rng.pick(&[40, 25, 20, 15])];
    let telework_workers = if rng.chance(80) {
        target_workers
    } else {
        rng.range(0, u64::from(target_workers)) as u32
    };
    let telework_days = if telework_workers == 0 {
        0
    } else {
        let per = rng.range(1, 30) as u32;
        (telework_workers * per).clamp(telework_workers, telework_workers * period_days)
    };
    let mut spending = [Yen(0); 16];
    for (category, percent, lo, hi) in SPENDING {
        if rng.chance(percent) {
            let per_unit = rng.range(lo / 100, hi / 100) * 100;
            let units = if category == ExpenseCategory::WebConferenceEquipment {
                u64::from(target_workers)
            } else {
                1
            };
            spending[category as usize] = Yen(per_unit * units);
        }
    }
    let plan_rate = rng.range(0, 250);
    let plan_headcount = employees;
    let plan_separations = scaled(rng, plan_headcount, plan_rate);
    let headcount_at_certification = employees;
    let eval_headcount = (employees + rng.range(0, 2)).saturating_sub(rng.range(0, 2));
    let eval_rate = plan_rate * rng.range(50, 130) / 100;
    let eval_separations = scaled(rng, eval_headcount, eval_rate);
    let headcount_at_goal_start =
        (eval_headcount + rng.range(0, 2)).saturating_sub(rng.range(0, 2));
    let required = (headcount_at_goal_start * u64::from(target_workers))
        .div_ceil(headcount_at_certification.max(1));
    let goal_teleworkers = if rng.chance(70) {
        required + rng.range(0, 2)
    } else {
        rng.range(0, required.saturating_sub(1))
    };
    EmployerFigures {
        industry,
        capital_yen,
        regular_employees: employees,
        employment_insurance,
        telework_status,
        work_rules_have_telework,
        received_telework_subsidy,
        target_workers,
        direct_target_workers,
        telework_workers,
        telework_days,
        period_days,
        spending,
        plan_headcount,
        plan_separations,
        eval_headcount,
        eval_separations,
        headcount_at_certification,
        headcount_at_goal_start,
        goal_teleworkers,
        productivity_met: rng.chance(25),
        disqualified: rng.chance(2),
        received_other_telework_subsidy: rng.chance(5),
        telework_before_count: if telework_status == TeleworkStatus::Expanding {
            u64::from(telework_days) * 100 / rng.range(90, 160)
        } else {
            0
        },
        goal_telework_days: if rng.chance(75) {
            (telework_days + rng.range(0, 20) as u32).min(target_workers * 92)
        } else {
            rng.range(0, u64::from(telework_days)) as u32
        },
        wage_increase_met: rng.chance(30),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_valid() {
        let a: Vec<_> = {
            let mut r = Rng::new(7);
            (0..2000).map(|_| employer(&mut r)).collect()
        };
        let mut r = Rng::new(7);
        for f in &a {
            assert_eq!(*f, employer(&mut r));
            assert!(f.check().is_ok(), "{:?} {:?}", f.check(), f);
        }
        let mut other = Rng::new(8);
        assert_ne!(
            a[0..10],
            (0..10).map(|_| employer(&mut other)).collect::<Vec<_>>()[..]
        );
    }

    #[test]
    fn range_is_inclusive_and_bounded() {
        let mut r = Rng::new(1);
        let mut seen = [false; 4];
        for _ in 0..1000 {
            let x = r.range(3, 6);
            assert!((3..=6).contains(&x));
            seen[(x - 3) as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }
}
