//! The simulator's fast path agrees with the full engine on every employer.

use josei_rules::evaluate::{evaluate_case, headcount_on, SubsidyStatus};
use josei_rules::model::{ExpenseCategory, Industry, TeleworkStatus, Yen};
use josei_rules::regime::{self, Reform};
use josei_rules::simulate::{figures_to_case, simulate_employer, EmployerFigures};
use proptest::prelude::*;

prop_compose! {
    fn figures()(
        industry in proptest::sample::select(Industry::ALL),
        capital in proptest::option::of(0u64..=400_000_000),
        employees in 0u64..=400,
        flags in proptest::collection::vec(proptest::bool::weighted(0.9), 4),
        status in proptest::sample::select(TeleworkStatus::ALL),
        targets in 0u32..=8,
        direct_share in 0u32..=8,
        tw_share in 0u32..=8,
        days_per in 0u32..=30,
        spending in proptest::collection::vec(prop_oneof![3 => Just(0u64), 2 => 0u64..=1_200_000], 15),
        plan in (0u64..=30, 0u64..=8),
        eval in (0u64..=30, 0u64..=8),
        at_c in 0u64..=30,
        at_goal in 0u64..=30,
        goal_tw in 0u64..=10,
        productivity in any::<bool>(),
    ) -> EmployerFigures {
        let telework_workers = tw_share.min(targets);
        let mut s = [Yen(0); 15];
        for (slot, v) in s.iter_mut().zip(&spending) { *slot = Yen(*v); }
        EmployerFigures {
            industry, capital_yen: capital.map(Yen), regular_employees: employees,
            employment_insurance: flags[0], telework_status: status,
            work_rules_have_telework: !flags[1], received_telework_subsidy: !flags[2],
            target_workers: targets, direct_target_workers: direct_share.min(targets),
            telework_workers, telework_days: (telework_workers * days_per.max(1)).min(telework_workers * 92),
            period_days: 92, spending: s,
            plan_headcount: plan.0, plan_separations: plan.1,
            eval_headcount: eval.0, eval_separations: eval.1,
            headcount_at_certification: at_c, headcount_at_goal_start: at_goal,
            goal_teleworkers: goal_tw, productivity_met: productivity,
        }
    }
}

fn agree(regime: &josei_rules::regime::Regime, f: &EmployerFigures) -> Result<(), TestCaseError> {
    prop_assert!(f.check().is_ok(), "{:?}", f.check());
    let case = figures_to_case(f).unwrap();
    // The roster realises the headcounts.
    let roster = case.roster.as_deref().unwrap();
    let date = |s: &str| josei_rules::civil::parse_iso_date(s).unwrap();
    prop_assert_eq!(headcount_on(roster, date("2021-06-01")), f.plan_headcount);
    prop_assert_eq!(
        headcount_on(roster, date("2022-07-01")),
        f.headcount_at_certification
    );
    prop_assert_eq!(headcount_on(roster, date("2022-11-01")), f.eval_headcount);
    prop_assert_eq!(
        headcount_on(roster, date("2023-08-01")),
        f.headcount_at_goal_start
    );

    let full = evaluate_case(&case, regime, &[]);
    let fast = simulate_employer(regime, f);
    prop_assert_eq!(full.expenses.eligible_total_yen, fast.eligible_total_yen);
    prop_assert_eq!(full.equipment_subsidy.amount_yen, fast.equipment_yen);
    prop_assert_eq!(full.goal_subsidy.amount_yen, fast.goal_yen);
    prop_assert_eq!(
        full.equipment_subsidy.status == SubsidyStatus::Payable,
        fast.equipment_payable
    );
    prop_assert_ne!(full.equipment_subsidy.status, SubsidyStatus::Pending);
    prop_assert_eq!(
        full.goal_subsidy.status == SubsidyStatus::Payable,
        fast.goal_payable,
        "{:?}",
        full.goal_subsidy.checks
    );
    if let Some(t) = full.turnover.plan {
        prop_assert_eq!(
            (t.headcount, t.separations),
            (f.plan_headcount, f.plan_separations)
        );
    }
    let t = full.turnover.evaluation.unwrap();
    prop_assert_eq!(
        (t.headcount, t.separations),
        (f.eval_headcount, f.eval_separations)
    );
    prop_assert_eq!(full.telework.unwrap().telework_days, f.telework_days);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn fast_path_equals_engine(f in figures()) {
        agree(regime::by_id("R4").unwrap(), &f)?;
    }

    #[test]
    fn fast_path_equals_engine_under_a_reform(f in figures()) {
        let reform = Reform::from_toml(
            "[equipment_subsidy]\nrate_percent = 45\ncap_per_target_worker_yen = 150000\n\
             [goal_subsidy]\nproductivity_premium = false\n\
             [turnover]\nmax_rate_percent = 20\n\
             [sme.other]\nemployees_max = 100\n\
             [expenses.categories.pc_tablet_smartphone]\neligible = true\ncap_yen = 200000\n",
        ).unwrap();
        agree(&reform.regime, &f)?;
    }
}

#[test]
fn doubling_a_rate_doubles_amounts_below_caps() {
    let base = regime::by_id("R4").unwrap();
    let doubled = Reform::from_toml("[equipment_subsidy]\nrate_percent = 60\n")
        .unwrap()
        .regime;
    let mut f = EmployerFigures {
        industry: Industry::Retail,
        capital_yen: Some(Yen(10_000_000)),
        regular_employees: 12,
        employment_insurance: true,
        telework_status: TeleworkStatus::None,
        work_rules_have_telework: false,
        received_telework_subsidy: false,
        target_workers: 5,
        direct_target_workers: 5,
        telework_workers: 5,
        telework_days: 70,
        period_days: 92,
        spending: [Yen(0); 15],
        plan_headcount: 12,
        plan_separations: 1,
        eval_headcount: 12,
        eval_separations: 0,
        headcount_at_certification: 12,
        headcount_at_goal_start: 12,
        goal_teleworkers: 6,
        productivity_met: false,
    };
    for amount in [10u64, 1_000, 123_450, 550_000] {
        f.spending[ExpenseCategory::ServerEquipment as usize] = Yen(amount);
        let a = simulate_employer(base, &f);
        let b = simulate_employer(&doubled, &f);
        assert_eq!(b.equipment_yen.0, 2 * a.equipment_yen.0, "{amount}");
        assert_eq!(a.goal_yen, b.goal_yen, "the goal subsidy is untouched");
    }
}
