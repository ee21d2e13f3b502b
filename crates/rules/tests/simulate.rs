//! The simulator's fast path agrees with the full engine on every employer.

use josei_rules::evaluate::{evaluate_case, headcount_on, SubsidyStatus};
use josei_rules::model::{ExpenseCategory, Industry, TeleworkStatus, Yen};
use josei_rules::regime::{self, Reform, Regime};
use josei_rules::simulate::{figures_to_case, simulate_employer, timeline, EmployerFigures};
use proptest::prelude::*;

prop_compose! {
    fn figures()(
        industry in proptest::sample::select(Industry::ALL),
        capital in proptest::option::of(0u64..=400_000_000),
        employees in 0u64..=400,
        flags in proptest::collection::vec(proptest::bool::weighted(0.9), 6),
        status in proptest::sample::select(TeleworkStatus::ALL),
        targets in 0u32..=8,
        direct_share in 0u32..=8,
        tw_share in 0u32..=8,
        days_per in 0u32..=30,
        before in 0u64..=120,
        spending in proptest::collection::vec(prop_oneof![3 => Just(0u64), 2 => 0u64..=1_200_000], 16),
        plan in (0u64..=30, 0u64..=8),
        eval in (0u64..=30, 0u64..=8),
        at_c in 0u64..=30,
        at_goal in 0u64..=30,
        goal_tw in 0u64..=10,
        goal_days_per in 0u32..=40,
        premiums in (any::<bool>(), any::<bool>()),
    ) -> EmployerFigures {
        let telework_workers = tw_share.min(targets);
        let mut s = [Yen(0); 16];
        for (slot, v) in s.iter_mut().zip(&spending) { *slot = Yen(*v); }
        EmployerFigures {
            industry, capital_yen: capital.map(Yen), regular_employees: employees,
            employment_insurance: flags[0], disqualified: !flags[4], telework_status: status,
            work_rules_have_telework: !flags[1], received_telework_subsidy: !flags[2],
            received_other_telework_subsidy: !flags[5],
            target_workers: targets, direct_target_workers: direct_share.min(targets),
            telework_workers, telework_days: (telework_workers * days_per.max(1)).min(telework_workers * 92),
            period_days: 92, telework_before_count: before, spending: s,
            plan_headcount: plan.0, plan_separations: plan.1,
            eval_headcount: eval.0, eval_separations: eval.1,
            headcount_at_certification: at_c, headcount_at_goal_start: at_goal,
            goal_teleworkers: goal_tw,
            goal_telework_days: (targets * goal_days_per).min(targets * 92),
            productivity_met: premiums.0, wage_increase_met: premiums.1,
        }
    }
}

fn agree(regime: &Regime, f: &EmployerFigures) -> Result<(), TestCaseError> {
    prop_assert!(f.check().is_ok(), "{:?}", f.check());
    let case = figures_to_case(regime, f).unwrap();
    let s = josei_rules::schedule::schedule(
        regime,
        josei_rules::schedule::Dates {
            submitted: case.plan.submitted_on,
            certified: case.plan.certified_on,
            evaluation_start: case.evaluation_start,
        },
    );
    // The roster realises the headcounts.
    let roster = case.roster.as_deref().unwrap();
    prop_assert_eq!(
        headcount_on(roster, s.plan_turnover_period.unwrap().from()),
        f.plan_headcount
    );
    if let Some(c) = case.plan.certified_on {
        prop_assert_eq!(headcount_on(roster, c), f.headcount_at_certification);
    }
    prop_assert_eq!(
        headcount_on(roster, s.evaluation_turnover_period.unwrap().from()),
        f.eval_headcount
    );
    prop_assert_eq!(
        headcount_on(roster, s.goal_evaluation_period.unwrap().from()),
        f.headcount_at_goal_start
    );

    let full = evaluate_case(&case, regime, &[]);
    let fast = simulate_employer(regime, f);
    prop_assert_eq!(full.expenses.eligible_total_yen, fast.eligible_total_yen);
    prop_assert_eq!(full.equipment_subsidy.amount_yen, fast.equipment_yen);
    prop_assert_eq!(full.goal_subsidy.amount_yen, fast.goal_yen);
    prop_assert_eq!(
        full.equipment_subsidy.status == SubsidyStatus::Payable,
        fast.equipment_payable,
        "{:?}",
        full.equipment_subsidy.checks
    );
    prop_assert_ne!(full.equipment_subsidy.status, SubsidyStatus::Pending);
    prop_assert_eq!(
        full.goal_subsidy.status == SubsidyStatus::Payable,
        fast.goal_payable,
        "{:?}",
        full.goal_subsidy.checks
    );
    prop_assert_ne!(full.goal_subsidy.status, SubsidyStatus::Pending);
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

fn every_regime() -> impl Strategy<Value = &'static Regime> {
    proptest::sample::select(regime::all().iter().collect::<Vec<_>>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn fast_path_equals_engine_under_every_regime(r in every_regime(), f in figures()) {
        agree(r, &f)?;
    }

    #[test]
    fn fast_path_equals_engine_under_a_reform(f in figures()) {
        let reform = Reform::from_toml(
            "[reform]\nbase = \"R4\"\n[values]\nequipment_rate_percent = 45\nsubsidy_cap_per_worker_yen = 150000\n\
             premium_condition = \"none\"\nturnover_max_percent = 20\n\
             ineligible_categories = [\"other\"]\npc_rental_lease_proration = \"months_ratio_floor\"\n\
             pc_rental_lease_max_months = 6\npc_rental_lease_cap_yen = 300000\n\
             [values.sme_limits.other]\nemployees_max = 100\n\
             [values.expense_caps]\npc_tablet_smartphone = 200000\n",
        ).unwrap();
        agree(&reform.regime, &f)?;
    }

    #[test]
    fn fast_path_equals_engine_under_a_no_plan_reform(f in figures()) {
        let reform = Reform::from_toml(
            "[reform]\nbase = \"R8\"\n[values]\nequipment_amount_yen = 300000\ngoal_amount_yen = 50000\n\
             growth_percent = 10\ntrial_eligible = false\n",
        ).unwrap();
        agree(&reform.regime, &f)?;
    }
}

fn sample_figures() -> EmployerFigures {
    EmployerFigures {
        industry: Industry::Retail,
        capital_yen: Some(Yen(10_000_000)),
        regular_employees: 12,
        employment_insurance: true,
        disqualified: false,
        telework_status: TeleworkStatus::None,
        work_rules_have_telework: false,
        received_telework_subsidy: false,
        received_other_telework_subsidy: false,
        target_workers: 5,
        direct_target_workers: 5,
        telework_workers: 5,
        telework_days: 70,
        period_days: 92,
        telework_before_count: 0,
        spending: [Yen(0); 16],
        plan_headcount: 12,
        plan_separations: 1,
        eval_headcount: 12,
        eval_separations: 0,
        headcount_at_certification: 12,
        headcount_at_goal_start: 12,
        goal_teleworkers: 6,
        goal_telework_days: 80,
        productivity_met: false,
        wage_increase_met: false,
    }
}

#[test]
fn every_regime_has_a_timeline() {
    for r in regime::all() {
        let d = timeline(r).unwrap_or_else(|| panic!("{} has no 92-day timeline", r.id));
        let key = d.submitted.or(d.evaluation_start).unwrap();
        assert!(r.covers(key), "{}", r.id);
    }
}

#[test]
fn fixed_amounts_in_the_no_plan_regimes() {
    let r7 = regime::by_id("R7").unwrap();
    let mut f = sample_figures();
    let o = simulate_employer(r7, &f);
    assert!(o.equipment_payable && o.goal_payable);
    assert_eq!((o.equipment_yen, o.goal_yen), (Yen(200_000), Yen(100_000)));
    f.wage_increase_met = true;
    assert_eq!(simulate_employer(r7, &f).goal_yen, Yen(150_000));
    // The goal needs as many telework days in period 2 as in period 1.
    f.goal_telework_days = 69;
    assert!(!simulate_employer(r7, &f).goal_payable);
    // Expanding employers need 25 % growth: 70 days over 56 before passes, over 57 fails.
    f.goal_telework_days = 80;
    f.telework_status = TeleworkStatus::Expanding;
    f.work_rules_have_telework = true;
    f.telework_before_count = 56;
    assert!(simulate_employer(r7, &f).equipment_payable);
    f.telework_before_count = 57;
    assert!(!simulate_employer(r7, &f).equipment_payable);
    // In R5 an expanding employer does not qualify at all.
    f.telework_before_count = 0;
    assert!(!simulate_employer(regime::by_id("R5").unwrap(), &f).equipment_payable);
}

#[test]
fn doubling_a_rate_doubles_amounts_below_caps() {
    let base = regime::by_id("R4").unwrap();
    let doubled =
        Reform::from_toml("[reform]\nbase = \"R4\"\n[values]\nequipment_rate_percent = 60\n")
            .unwrap()
            .regime;
    let mut f = sample_figures();
    for amount in [10u64, 1_000, 123_450, 550_000] {
        f.spending[ExpenseCategory::ServerEquipment as usize] = Yen(amount);
        let a = simulate_employer(base, &f);
        let b = simulate_employer(&doubled, &f);
        assert_eq!(b.equipment_yen.0, 2 * a.equipment_yen.0, "{amount}");
        assert_eq!(a.goal_yen, b.goal_yen, "the goal subsidy is untouched");
    }
}
