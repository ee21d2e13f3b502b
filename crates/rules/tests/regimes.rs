//! The rules that differ between fiscal years, one behaviour at a time, on
//! variations of shared cases 09 (令和7年度, no plan), 10 (令和5年度, wage premium
//! and a PC lease) and 11 (令和6年度, expanding employer).

use jiff::civil::date;
use josei_rules::{evaluate, parse_case};
use serde_json::{json, Value};

fn shared(name: &str) -> Value {
    let path = format!(
        "{}/../../../shared/cases/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect("shared case")).unwrap()
}

fn r7() -> Value {
    shared("09-r7-system-introduction")
}
fn r5() -> Value {
    shared("10-r5-wage-premium-pc-lease")
}
fn r6() -> Value {
    shared("11-r6-expanding-employer")
}

fn eval(case: &Value) -> Value {
    let parsed = parse_case(&case.to_string(), date(2030, 1, 1)).expect("valid case");
    serde_json::to_value(evaluate(&parsed)).unwrap()
}

fn status(out: &Value, subsidy: &str, id: &str) -> String {
    out[subsidy]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id}: {}", out[subsidy]["checks"]))["status"]
        .as_str()
        .unwrap()
        .to_string()
}

fn check_ids(out: &Value, subsidy: &str) -> Vec<String> {
    out[subsidy]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

fn notice_ids(out: &Value) -> Vec<String> {
    out["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect()
}

fn assumption_params(out: &Value) -> Vec<String> {
    out["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["parameter"].as_str().unwrap().to_string())
        .collect()
}

// --- Which regime applies ---------------------------------------------------

#[test]
fn the_regime_follows_the_date_that_starts_the_case() {
    let mut v = r5();
    for (submitted, certified, regime) in [
        ("2021-04-01", "2021-04-10", "R3a"),
        ("2021-12-20", "2021-12-27", "R3a"),
        ("2021-12-21", "2021-12-27", "R3b"),
        ("2022-03-31", "2022-04-10", "R3b"),
        ("2022-04-01", "2022-04-10", "R4"),
        ("2023-03-31", "2023-04-10", "R4"),
        ("2023-04-01", "2023-04-10", "R5"),
        ("2024-03-31", "2024-04-10", "R5"),
        ("2024-04-01", "2024-04-10", "R6"),
        ("2025-03-31", "2025-04-10", "R6"),
    ] {
        v["plan"]["submitted_on"] = json!(submitted);
        v["plan"]["certified_on"] = json!(certified);
        assert_eq!(eval(&v)["regime"], regime, "{submitted}");
    }
    let mut v = r7();
    for (start, regime, name) in [
        ("2025-04-01", "R7", "令和7年度"),
        ("2026-03-31", "R7", "令和7年度"),
        ("2026-04-01", "R8", "令和8年度"),
        ("2027-03-31", "R8", "令和8年度"),
    ] {
        v["evaluation_start"] = json!(start);
        let out = eval(&v);
        assert_eq!(out["regime"], regime, "{start}");
        assert_eq!(out["regime_name"], name);
        assert_eq!(out["equipment_subsidy"]["name"], "制度導入助成");
    }
}

#[test]
fn a_plan_submitted_today_points_to_the_no_plan_procedure() {
    let mut v = r5();
    v["plan"]["submitted_on"] = json!("2026-11-22");
    v["plan"]["certified_on"] = Value::Null;
    let e = parse_case(&v.to_string(), date(2026, 11, 22)).unwrap_err();
    assert_eq!(e.field, "plan.submitted_on");
    assert!(e.message.contains("令和7年度"), "{}", e.message);
    assert!(e.message.contains("evaluation_start"), "{}", e.message);
}

#[test]
fn an_explicit_no_plan_regime_ignores_plan_dates_with_a_notice() {
    let mut v = r7();
    v["regime"] = json!("R7");
    v["plan"]["submitted_on"] = json!("2025-03-01");
    v["plan"]["certified_on"] = json!("2025-03-10");
    let with_dates = eval(&v);
    assert_eq!(notice_ids(&with_dates), ["plan_dates_ignored"]);
    assert_eq!(with_dates["schedule"]["evaluation_window"], Value::Null);
    let plain = eval(&r7());
    assert_eq!(with_dates["equipment_subsidy"], plain["equipment_subsidy"]);
    assert_eq!(with_dates["goal_subsidy"], plain["goal_subsidy"]);
    // Without a start, an explicit no-plan regime still evaluates: all pending
    // while nothing is filed.
    let mut v = r7();
    v["regime"] = json!("R8");
    for k in [
        "evaluation_start",
        "equipment_application_filed_on",
        "goal_application_filed_on",
    ] {
        v.as_object_mut().unwrap().remove(k);
    }
    let out = eval(&v);
    assert_eq!(out["equipment_subsidy"]["status"], "pending");
    assert_eq!(out["schedule"]["measures_window"], Value::Null);
    assert_eq!(out["goal_subsidy"]["teleworkers"], Value::Null);
}

// --- Plan regimes -------------------------------------------------------------

#[test]
fn wage_requirement_at_exactly_five_percent() {
    let mut v = r5();
    for (after, met, rate) in [
        (25_200_000u64, true, 35),
        (25_199_999, false, 20),
        (25_440_000, true, 35),
    ] {
        v["wage_increase"] = json!({"before_yen": 24_000_000u64, "after_yen": after});
        let out = eval(&v);
        assert_eq!(out["wage_increase"]["met"], met, "{after}");
        assert_eq!(out["goal_subsidy"]["rate_percent"], rate, "{after}");
    }
    v["wage_increase"] = json!({"met": true});
    assert_eq!(eval(&v)["goal_subsidy"]["rate_percent"], 35);
    v.as_object_mut().unwrap().remove("wage_increase");
    let out = eval(&v);
    assert_eq!(out["wage_increase"], Value::Null);
    assert_eq!(out["goal_subsidy"]["rate_percent"], 20);
}

#[test]
fn premium_inputs_the_regime_does_not_use_are_ignored_with_a_notice() {
    let mut v = r5();
    v["productivity"] = json!({"met": true});
    v["wage_increase"] = json!({"met": false});
    let out = eval(&v);
    assert_eq!(
        out["goal_subsidy"]["rate_percent"], 20,
        "productivity no longer raises it"
    );
    assert!(notice_ids(&out).contains(&"productivity_ignored".to_string()));
    let mut v = shared("01-standard-success");
    v["wage_increase"] = json!({"met": true});
    let out = eval(&v);
    assert_eq!(out["wage_increase"], Value::Null);
    assert_eq!(out["goal_subsidy"]["rate_percent"], 20);
    assert!(notice_ids(&out).contains(&"wage_increase_ignored".to_string()));
}

#[test]
fn lease_is_prorated_to_six_months_then_capped() {
    let mut v = r5();
    let lease = |amount: u64, months: Value| {
        json!({"id": "L", "category": "pc_rental_lease", "amount_yen": amount, "months": months,
               "delivered_on": "2023-07-10", "paid_on": "2023-07-31"})
    };
    for (amount, months, eligible) in [
        (396_000u64, json!(12), 198_000u64),
        (100_000, json!(7), 85_714), // floor(100000 × 6 ÷ 7)
        (120_000, json!(6), 120_000),
        (50_000, Value::Null, 50_000),   // absent: one month
        (2_000_000, json!(2), 770_000),  // the category cap after proration
        (1_200_000, json!(2400), 3_000), // a 200-year lease: 6 of 2,400 months
    ] {
        v["expenses"] = json!([lease(amount, months.clone())]);
        let out = eval(&v);
        let cat = &out["expenses"]["categories"][0];
        assert_eq!(cat["category"], "pc_rental_lease");
        assert_eq!(cat["claimed_yen"], amount, "claimed is the full amount");
        assert_eq!(cat["eligible_yen"], eligible, "{amount} over {months}");
    }
    // Leases are not eligible before 令和5年度, purchases never.
    let mut v = shared("01-standard-success");
    v["expenses"] = json!([{"id": "L", "category": "pc_rental_lease", "amount_yen": 60000, "months": 3,
        "delivered_on": "2022-07-11", "paid_on": "2022-07-29"},
        {"id": "P", "category": "pc_tablet_smartphone", "amount_yen": 60000,
        "delivered_on": "2022-07-11", "paid_on": "2022-07-29"}]);
    let out = eval(&v);
    assert_eq!(out["expenses"]["items"][0]["reason"], "ineligible_category");
    assert_eq!(out["expenses"]["items"][1]["reason"], "ineligible_category");
    let mut v = r5();
    v["expenses"] = json!([{"id": "P", "category": "pc_tablet_smartphone", "amount_yen": 60000,
        "delivered_on": "2023-07-10", "paid_on": "2023-07-31"}]);
    assert_eq!(
        eval(&v)["expenses"]["items"][0]["reason"],
        "ineligible_category"
    );
}

#[test]
fn an_item_funded_by_another_subsidy_is_never_eligible() {
    let mut v = r5();
    v["expenses"][1]["funded_by_other_subsidy"] = json!(true);
    let out = eval(&v);
    assert_eq!(out["expenses"]["items"][1]["reason"], "other_subsidy");
    // The category reason comes first; other_subsidy comes before timing reasons.
    v["expenses"][1]["paid_on"] = json!("2023-01-01");
    assert_eq!(eval(&v)["expenses"]["items"][1]["reason"], "other_subsidy");
    v["expenses"][1]["category"] = json!("other");
    assert_eq!(
        eval(&v)["expenses"]["items"][1]["reason"],
        "ineligible_category"
    );
}

#[test]
fn expanding_employers_need_twenty_five_percent_growth() {
    // Case 11: 39 days in period 1.
    let mut v = r6();
    for (before, met) in [(31u64, true), (32, false), (0, true)] {
        v["telework_before_count"] = json!(before);
        let out = eval(&v);
        assert_eq!(out["telework"]["growth_met"], met, "39 over {before}");
        assert_eq!(out["telework"]["before_count"], before);
        assert_eq!(
            status(&out, "equipment_subsidy", "telework_performance"),
            if met { "pass" } else { "fail" }
        );
    }
    // Missing: pending during period 1, then not met.
    v.as_object_mut().unwrap().remove("telework_before_count");
    let out = eval(&v);
    assert_eq!(out["telework"]["growth_met"], false);
    assert_eq!(
        status(&out, "equipment_subsidy", "telework_performance"),
        "fail"
    );
    v["as_of"] = json!("2024-09-15");
    v.as_object_mut()
        .unwrap()
        .remove("equipment_application_filed_on");
    assert_eq!(
        status(&eval(&v), "equipment_subsidy", "telework_performance"),
        "pending"
    );
    // Before 令和6年度 they do not qualify, and the growth test does not apply.
    let mut v = r5();
    v["employer"]["telework_status"] = json!("expanding");
    v["telework_before_count"] = json!(10);
    let out = eval(&v);
    assert_eq!(status(&out, "equipment_subsidy", "telework_status"), "fail");
    assert_eq!(out["telework"]["growth_met"], Value::Null);
    // Others carry no growth figures.
    assert_eq!(eval(&r5())["telework"]["before_count"], Value::Null);
}

#[test]
fn r3a_excludes_trial_employers_and_other_telework_subsidies() {
    let v = shared("13-r3a-trial-not-eligible");
    let mut new = v.clone();
    new["employer"]["telework_status"] = json!("none");
    assert_eq!(
        status(&eval(&new), "equipment_subsidy", "telework_status"),
        "pass"
    );
    new["employer"]["received_other_telework_subsidy"] = json!(true);
    assert_eq!(
        status(&eval(&new), "equipment_subsidy", "no_prior_subsidy"),
        "fail"
    );
    // From 2021-12-21 the same employer qualifies and a local subsidy no longer bars.
    let mut r3b = new.clone();
    r3b["employer"]["telework_status"] = json!("trial_ended");
    r3b["plan"]["submitted_on"] = json!("2021-12-21");
    r3b["plan"]["certified_on"] = json!("2021-12-27");
    let out = eval(&r3b);
    assert_eq!(out["regime"], "R3b");
    assert_eq!(status(&out, "equipment_subsidy", "telework_status"), "pass");
    assert_eq!(
        status(&out, "equipment_subsidy", "no_prior_subsidy"),
        "pass"
    );
    // R3 has no 職場風土作り check.
    assert!(!check_ids(&out, "equipment_subsidy").contains(&"workplace_climate".to_string()));
}

#[test]
fn workplace_climate_window_in_plan_regimes() {
    // Case 01: certified 2022-07-01, filed 2022-11-25.
    let mut v = shared("01-standard-success");
    for (top, expected) in [
        ("2022-07-01", "pass"),
        ("2022-06-30", "fail"),
        ("2022-11-25", "pass"),
        ("2022-11-26", "fail"),
    ] {
        v["workplace_climate"]["top_message_on"] = json!(top);
        assert_eq!(
            status(&eval(&v), "equipment_subsidy", "workplace_climate"),
            expected,
            "{top}"
        );
    }
    // Missing: pending while open, fail once filed.
    v["workplace_climate"] = json!({"top_message_on": "2022-07-05"});
    assert_eq!(
        status(&eval(&v), "equipment_subsidy", "workplace_climate"),
        "fail"
    );
    v.as_object_mut()
        .unwrap()
        .remove("equipment_application_filed_on");
    v["as_of"] = json!("2022-12-01");
    assert_eq!(
        status(&eval(&v), "equipment_subsidy", "workplace_climate"),
        "pending"
    );
    // A date outside the window fails even while open.
    v["workplace_climate"]["case_sharing_on"] = json!("2022-06-01");
    assert_eq!(
        status(&eval(&v), "equipment_subsidy", "workplace_climate"),
        "fail"
    );
}

#[test]
fn common_requirements_in_every_regime() {
    for mut v in [shared("01-standard-success"), r5(), r7()] {
        v["employer"]["disqualifications"] = json!(["unpaid_labour_insurance"]);
        let out = eval(&v);
        assert_eq!(
            status(&out, "equipment_subsidy", "common_requirements"),
            "fail"
        );
        assert_eq!(out["goal_subsidy"]["status"], "not_payable");
        assert!(notice_ids(&out).is_empty());
        v["employer"]
            .as_object_mut()
            .unwrap()
            .remove("disqualifications");
        let out = eval(&v);
        assert_eq!(
            status(&out, "equipment_subsidy", "common_requirements"),
            "pass"
        );
        assert_eq!(notice_ids(&out)[0], "common_requirements_undeclared");
    }
}

// --- No-plan regimes ----------------------------------------------------------

#[test]
fn measures_count_from_the_windows_first_to_its_last_day() {
    // Case 09: S = 2025-07-01, window 2025-04-01 … 2025-06-30.
    let mut v = r7();
    for (on, expected) in [
        ("2025-04-01", "pass"),
        ("2025-06-30", "pass"),
        ("2025-03-31", "fail"),
        ("2025-07-01", "fail"),
    ] {
        v["measures"] = json!([{"kind": "manager_training", "on": on}]);
        assert_eq!(
            status(&eval(&v), "equipment_subsidy", "measures"),
            expected,
            "{on}"
        );
    }
    // Work-rules expansion counts only for expanding employers.
    v["measures"] = json!([{"kind": "work_rules_expansion", "on": "2025-05-01"}]);
    assert_eq!(status(&eval(&v), "equipment_subsidy", "measures"), "fail");
    v["employer"]["telework_status"] = json!("expanding");
    v["employer"]["work_rules_have_telework"] = json!(true);
    v["telework_before_count"] = json!(20);
    let out = eval(&v);
    assert_eq!(status(&out, "equipment_subsidy", "measures"), "pass");
    assert_eq!(
        status(&out, "equipment_subsidy", "work_rules_established"),
        "pass"
    );
    assert_eq!(
        status(&out, "equipment_subsidy", "no_telework_rules_at_plan"),
        "pass"
    );
    // Missing measures stay pending while open, even after the window ended.
    let mut v = r7();
    v["measures"] = json!([]);
    v.as_object_mut()
        .unwrap()
        .remove("equipment_application_filed_on");
    v["as_of"] = json!("2025-10-15");
    assert_eq!(
        status(&eval(&v), "equipment_subsidy", "measures"),
        "pending"
    );
    v["as_of"] = json!("2025-12-02");
    assert_eq!(status(&eval(&v), "equipment_subsidy", "measures"), "fail");
}

#[test]
fn no_plan_checks_amounts_and_goal_growth() {
    let out = eval(&r7());
    assert_eq!(
        check_ids(&out, "equipment_subsidy"),
        [
            "employment_insurance",
            "common_requirements",
            "sme",
            "telework_status",
            "no_telework_rules_at_plan",
            "no_prior_subsidy",
            "direct_target_worker",
            "workplace_climate",
            "measures",
            "work_rules_established",
            "telework_performance",
            "application_timely"
        ]
    );
    assert_eq!(out["equipment_subsidy"]["base_yen"], Value::Null);
    assert_eq!(out["equipment_subsidy"]["amount_yen"], 200_000);
    let mut v = r7();
    v["wage_increase"] = json!({"before_yen": 1_000_000, "after_yen": 1_050_000});
    assert_eq!(eval(&v)["goal_subsidy"]["amount_yen"], 150_000);
    // The goal needs at least period 1's instances in period 2 (39 in case 09).
    let mut v = r7();
    let keep: Vec<Value> = v["telework"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["date"].as_str().unwrap() < "2026-07-01")
        .cloned()
        .chain((0..38).map(|i| {
            json!({"worker": "E001", "date": format!("2026-07-{:02}", 1 + i % 31), "place": if i < 31 { "home" } else { "satellite_office" }})
        }))
        .collect();
    v["telework"] = json!(keep);
    let out = eval(&v);
    assert_eq!(out["goal_subsidy"]["required_teleworkers"], 39.0);
    assert_eq!(
        out["goal_subsidy"]["teleworkers"], 31,
        "one per worker per day"
    );
    assert_eq!(status(&out, "goal_subsidy", "goal_telework_growth"), "fail");
    // An established employer does not qualify.
    let mut v = r7();
    v["employer"]["telework_status"] = json!("established");
    assert_eq!(
        status(&eval(&v), "equipment_subsidy", "telework_status"),
        "fail"
    );
}

#[test]
fn assumptions_list_what_the_evaluation_used() {
    // R8 carries 令和7年度's values unverified.
    let mut v = r7();
    v["evaluation_start"] = json!("2026-07-01");
    let out = eval(&v);
    let params = assumption_params(&out);
    for p in [
        "measures_window_months",
        "equipment_deadline_months",
        "goal_deadline_months",
        "equipment_amount_yen",
        "goal_amount_yen",
        "premium_condition",
    ] {
        assert!(params.contains(&p.to_string()), "{p} in {params:?}");
    }
    assert!(
        !params.contains(&"goal_amount_premium_yen".to_string()),
        "not used"
    );
    for a in out["assumptions"].as_array().unwrap() {
        assert!(["interpretation", "unverified"].contains(&a["grade"].as_str().unwrap()));
        assert!(!a["note"].as_str().unwrap().is_empty());
    }
    // The weekly-average reading is listed only once there is an evaluation period.
    let mut v = shared("01-standard-success");
    assert!(assumption_params(&eval(&v)).contains(&"weekly_average_rule".to_string()));
    v.as_object_mut().unwrap().remove("evaluation_start");
    assert!(!assumption_params(&eval(&v)).contains(&"weekly_average_rule".to_string()));
}

#[test]
fn a_target_passes_once_met_is_pending_through_its_period_then_fails() {
    use josei_rules::evaluate::{met_by_period_end, CheckStatus};
    let end = date(2026, 9, 30);
    assert_eq!(
        met_by_period_end(true, date(2030, 1, 1), end),
        CheckStatus::Pass
    );
    assert_eq!(
        met_by_period_end(false, date(2026, 9, 30), end),
        CheckStatus::Pending
    );
    assert_eq!(
        met_by_period_end(false, date(2026, 10, 1), end),
        CheckStatus::Fail
    );
}

#[test]
fn a_filed_no_plan_case_without_an_evaluation_period_is_closed() {
    let mut v = r7();
    v["regime"] = json!("R8");
    v.as_object_mut().unwrap().remove("evaluation_start");
    v["measures"] = json!([]);
    let out = eval(&v);
    for id in [
        "workplace_climate",
        "measures",
        "work_rules_established",
        "telework_performance",
        "application_timely",
    ] {
        assert_eq!(status(&out, "equipment_subsidy", id), "fail", "{id}");
    }
    assert_eq!(out["equipment_subsidy"]["status"], "not_payable");
    // Not filed: still open.
    v.as_object_mut()
        .unwrap()
        .remove("equipment_application_filed_on");
    let out = eval(&v);
    assert_eq!(status(&out, "equipment_subsidy", "measures"), "pending");
}

#[test]
fn wages_of_zero_before_are_valid_and_the_formula_decides() {
    let mut v = r5();
    v["wage_increase"] = json!({"before_yen": 0, "after_yen": 0});
    assert_eq!(eval(&v)["wage_increase"]["met"], true);
    // Ignored, with a notice, where the premium is productivity.
    let mut v = shared("01-standard-success");
    v["wage_increase"] = json!({"before_yen": 0, "after_yen": 10});
    assert!(notice_ids(&eval(&v)).contains(&"wage_increase_ignored".to_string()));
}
