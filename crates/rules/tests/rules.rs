//! The rules, one behaviour at a time, on variations of shared case 01
//! (a retail employer, 3 target workers, certified 2022-07-01, evaluation period
//! 2022-08-01 … 2022-10-31, equipment filed 2022-11-25, goal filed 2023-11-20).

use jiff::civil::date;
use josei_rules::{evaluate, parse_case};
use serde_json::{json, Value};

fn base() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/cases/01-standard-success.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("shared case 01")).unwrap()
}

fn eval(case: &Value) -> Value {
    let parsed = parse_case(&case.to_string(), date(2024, 1, 15)).expect("valid case");
    serde_json::to_value(evaluate(&parsed)).unwrap()
}

/// The status of check `id` of `subsidy` ("equipment_subsidy" | "goal_subsidy").
fn status(out: &Value, subsidy: &str, id: &str) -> String {
    out[subsidy]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id}"))["status"]
        .as_str()
        .unwrap()
        .to_string()
}

// --- SME test -------------------------------------------------------------

#[test]
fn sme_limits_are_inclusive_and_either_suffices() {
    let limits = [
        ("retail", 50_000_000u64, 50u64),
        ("service", 50_000_000, 100),
        ("wholesale", 100_000_000, 100),
        ("other", 300_000_000, 300),
    ];
    for (industry, capital, employees) in limits {
        let run = |cap: Value, emp: u64| {
            let mut v = base();
            v["employer"]["industry"] = json!(industry);
            v["employer"]["capital_yen"] = cap;
            v["employer"]["regular_employees"] = json!(emp);
            eval(&v)["sme"].clone()
        };
        let s = run(json!(capital), employees);
        assert_eq!(
            s,
            json!({"result": true, "capital_test": true, "employee_test": true}),
            "{industry} at limits"
        );
        let s = run(json!(capital + 1), employees);
        assert_eq!(
            s,
            json!({"result": true, "capital_test": false, "employee_test": true}),
            "{industry} capital over"
        );
        let s = run(json!(capital), employees + 1);
        assert_eq!(
            s,
            json!({"result": true, "capital_test": true, "employee_test": false}),
            "{industry} employees over"
        );
        let s = run(json!(capital + 1), employees + 1);
        assert_eq!(
            s,
            json!({"result": false, "capital_test": false, "employee_test": false}),
            "{industry} both over"
        );
        // No capital: employees alone decide.
        assert_eq!(
            run(Value::Null, employees),
            json!({"result": true, "capital_test": null, "employee_test": true})
        );
        assert_eq!(
            run(Value::Null, employees + 1),
            json!({"result": false, "capital_test": null, "employee_test": false})
        );
    }
}

#[test]
fn employer_requirements_each_fail_alone() {
    for (field, value, check) in [
        ("employment_insurance", json!(false), "employment_insurance"),
        ("telework_status", json!("established"), "telework_status"),
        (
            "work_rules_have_telework",
            json!(true),
            "no_telework_rules_at_plan",
        ),
        ("received_telework_subsidy", json!(true), "no_prior_subsidy"),
    ] {
        let mut v = base();
        v["employer"][field] = value;
        let out = eval(&v);
        assert_eq!(status(&out, "equipment_subsidy", check), "fail", "{field}");
        assert_eq!(out["equipment_subsidy"]["status"], "not_payable");
        assert_eq!(status(&out, "goal_subsidy", "equipment_subsidy"), "fail");
    }
    for trial in ["trial_ongoing", "trial_ended"] {
        let mut v = base();
        v["employer"]["telework_status"] = json!(trial);
        assert_eq!(
            eval(&v)["equipment_subsidy"]["status"],
            "payable",
            "{trial}"
        );
    }
}

#[test]
fn at_least_one_direct_target_worker() {
    let mut v = base();
    for w in v["plan"]["target_workers"].as_array_mut().unwrap() {
        w["employment"] = json!("dispatched");
    }
    assert_eq!(
        status(&eval(&v), "equipment_subsidy", "direct_target_worker"),
        "fail"
    );
    v["plan"]["target_workers"][1]["employment"] = json!("direct");
    assert_eq!(
        status(&eval(&v), "equipment_subsidy", "direct_target_worker"),
        "pass"
    );
}

// --- Expenses: caps ---------------------------------------------------------

/// A case whose only expense is `amount` in `category` (paid inside the window).
fn single_expense(category: &str, amount: u64, travel_for: Option<&str>) -> Value {
    let mut v = base();
    v["expenses"] = json!([{"id": "Y1", "category": category, "amount_yen": amount,
        "delivered_on": "2022-07-11", "paid_on": "2022-07-29", "for": travel_for}]);
    eval(&v)
}

#[test]
fn every_category_cap() {
    // rules-R4.md §4, with 3 target workers.
    let caps = [
        ("network_equipment", 165_000u64),
        ("server_equipment", 550_000),
        ("nas_equipment", 110_000),
        ("security_equipment", 330_000),
        ("web_conference_equipment", 33_000),
        ("satellite_office_fee", 330_000),
        ("telework_service_initial", 55_000),
        ("telework_service_fee", 385_000),
        ("manager_training", 110_000),
        ("worker_training", 110_000),
        ("consulting", 330_000),
        ("work_rules", 110_000),
    ];
    for (category, cap) in caps {
        for amount in [cap - 1, cap, cap + 1, cap * 3] {
            let out = single_expense(category, amount, None);
            let c = &out["expenses"]["categories"][0];
            assert_eq!(c["cap_yen"], json!(cap), "{category}");
            assert_eq!(
                c["eligible_yen"],
                json!(amount.min(cap)),
                "{category} {amount}"
            );
            assert_eq!(
                out["expenses"]["eligible_total_yen"],
                json!(amount.min(cap))
            );
        }
    }
    for category in ["pc_tablet_smartphone", "other"] {
        let out = single_expense(category, 100_000, None);
        assert_eq!(out["expenses"]["items"][0]["reason"], "ineligible_category");
        assert_eq!(out["expenses"]["categories"][0]["cap_yen"], 0);
        assert_eq!(out["expenses"]["eligible_total_yen"], 0);
    }
}

#[test]
fn web_conference_cap_is_per_target_worker() {
    for n in [1usize, 2, 5] {
        let mut v = base();
        v["plan"]["target_workers"] = json!((0..n)
            .map(|i| json!({"id": format!("T{i}"), "employment": "direct"}))
            .collect::<Vec<_>>());
        v["expenses"] = json!([{"id": "W", "category": "web_conference_equipment", "amount_yen": 100_000,
            "delivered_on": "2022-07-11", "paid_on": "2022-07-29"}]);
        let out = eval(&v);
        assert_eq!(
            out["expenses"]["categories"][0]["cap_yen"],
            json!(11_000 * n as u64)
        );
        assert_eq!(
            out["expenses"]["eligible_total_yen"],
            json!(11_000 * n as u64)
        );
        // The subsidy cap follows the target workers too: min(1,000,000, 200,000 × n).
        assert_eq!(
            out["equipment_subsidy"]["cap_yen"],
            json!((200_000 * n as u64).min(1_000_000))
        );
    }
}

#[test]
fn travel_is_capped_together_and_only_for_three_measures() {
    let mut v = base();
    v["expenses"] = json!([
        {"id": "T1", "category": "travel", "for": "manager_training", "amount_yen": 6000, "paid_on": "2022-08-01"},
        {"id": "T2", "category": "travel", "for": "worker_training", "amount_yen": 4000, "paid_on": "2022-08-01"},
        {"id": "T3", "category": "travel", "for": "consulting", "amount_yen": 3000, "paid_on": "2022-08-01"},
        {"id": "T4", "category": "travel", "for": "network_equipment", "amount_yen": 5000, "paid_on": "2022-08-01"},
        {"id": "T5", "category": "travel", "amount_yen": 5000, "paid_on": "2022-08-01"},
        {"id": "T6", "category": "travel", "for": "seminar", "amount_yen": 5000, "paid_on": "2022-08-01"}
    ]);
    let out = eval(&v);
    let reasons: Vec<Value> = out["expenses"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["reason"].clone())
        .collect();
    assert_eq!(
        reasons,
        [
            json!(null),
            json!(null),
            json!(null),
            json!("ineligible_category"),
            json!("ineligible_category"),
            json!("ineligible_category")
        ]
    );
    let c = &out["expenses"]["categories"][0];
    assert_eq!(
        (
            c["claimed_yen"].clone(),
            c["cap_yen"].clone(),
            c["eligible_yen"].clone()
        ),
        (json!(28_000), json!(11_000), json!(11_000))
    );
}

#[test]
fn subsidy_amounts_floor_and_cap() {
    // 333,333 × 30 % = 99,999.9 → 99,999.
    let out = single_expense("server_equipment", 333_333, None);
    assert_eq!(out["equipment_subsidy"]["amount_yen"], 99_999);
    assert_eq!(out["goal_subsidy"]["amount_yen"], 66_666);
    // Large spending hits the cap of 600,000 (3 workers) for both.
    let mut v = base();
    let cats = [
        "server_equipment",
        "security_equipment",
        "satellite_office_fee",
        "telework_service_fee",
        "consulting",
        "network_equipment",
        "nas_equipment",
        "manager_training",
        "worker_training",
    ];
    v["expenses"] = json!(cats.iter().enumerate().map(|(i, c)| json!({"id": format!("E{i}"), "category": c, "amount_yen": 9_000_000, "paid_on": "2022-08-01"})).collect::<Vec<_>>());
    v["productivity"] = json!({"met": true});
    let out = eval(&v);
    assert_eq!(out["expenses"]["eligible_total_yen"], 2_420_000);
    assert_eq!(out["equipment_subsidy"]["amount_yen"], 600_000);
    assert_eq!(out["goal_subsidy"]["amount_yen"], 600_000);
    assert_eq!(out["goal_subsidy"]["rate_percent"], 35);
}

// --- Expenses: timing -------------------------------------------------------

fn timing(delivered: Option<&str>, paid: Option<&str>, filed: Option<&str>, as_of: &str) -> Value {
    let mut v = base();
    v["as_of"] = json!(as_of);
    v["equipment_application_filed_on"] = json!(filed);
    v["expenses"] = json!([{"id": "Z", "category": "network_equipment", "amount_yen": 1000, "delivered_on": delivered, "paid_on": paid}]);
    eval(&v)["expenses"]["items"][0]["reason"].clone()
}

#[test]
fn expense_timing_rules() {
    let on = |d: Option<&str>, p: Option<&str>, f: Option<&str>| timing(d, p, f, "2024-01-15");
    // On the certification day and on the filing day: eligible.
    assert_eq!(
        on(Some("2022-07-01"), Some("2022-07-01"), Some("2022-11-25")),
        Value::Null
    );
    assert_eq!(
        on(Some("2022-11-25"), Some("2022-11-25"), Some("2022-11-25")),
        Value::Null
    );
    // The day before certification, by delivery or by payment.
    assert_eq!(
        on(Some("2022-06-30"), Some("2022-07-05"), Some("2022-11-25")),
        json!("before_certification")
    );
    assert_eq!(
        on(None, Some("2022-06-30"), Some("2022-11-25")),
        json!("before_certification")
    );
    // The day after filing.
    assert_eq!(
        on(Some("2022-08-01"), Some("2022-11-26"), Some("2022-11-25")),
        json!("after_application")
    );
    assert_eq!(
        on(Some("2022-11-26"), Some("2022-11-20"), Some("2022-11-25")),
        json!("after_application")
    );
    // Not paid.
    assert_eq!(
        on(Some("2022-08-01"), None, Some("2022-11-25")),
        json!("not_paid")
    );
    // Before filing, the effective deadline (2023-01-31) is the limit.
    assert_eq!(
        timing(None, Some("2023-01-31"), None, "2023-01-10"),
        Value::Null
    );
    assert_eq!(
        timing(None, Some("2023-02-01"), None, "2023-01-10"),
        json!("after_application")
    );
    // Not certified: nothing is eligible yet.
    let mut v = base();
    v["plan"]["certified_on"] = Value::Null;
    assert_eq!(eval(&v)["expenses"]["items"][0]["reason"], "not_certified");
}

// --- Telework performance ---------------------------------------------------

fn with_telework(days: Vec<(&str, &str, &str)>, as_of: &str) -> Value {
    let mut v = base();
    v["as_of"] = json!(as_of);
    v["equipment_application_filed_on"] = Value::Null;
    v["telework"] = json!(days
        .iter()
        .map(|(w, d, p)| json!({"worker": w, "date": d, "place": p}))
        .collect::<Vec<_>>());
    eval(&v)
}

#[test]
fn test_one_counts_only_home_and_satellite_inside_the_period() {
    let out = with_telework(
        vec![
            ("E001", "2022-08-01", "home"),             // first day
            ("E002", "2022-10-31", "satellite_office"), // last day
            ("E003", "2022-11-01", "home"),             // day after: not counted
            ("E003", "2022-09-01", "mobile"),           // not telework
            ("E003", "2022-09-02", "office"),           // not telework
            ("X999", "2022-09-03", "home"),             // not a target worker
        ],
        "2022-11-02",
    );
    let t = &out["telework"];
    assert_eq!(
        (
            t["workers_with_telework"].clone(),
            t["telework_days"].clone()
        ),
        (json!(2), json!(2))
    );
    assert_eq!(t["all_workers_once"], false);
    assert_eq!(
        status(&out, "equipment_subsidy", "telework_performance"),
        "fail"
    );
}

#[test]
fn test_two_is_the_exact_weekly_average() {
    // 3 workers × 92 days: needs days × 7 ≥ 276, i.e. 40 days (39 is 273).
    let dates: Vec<String> = (1..=31)
        .map(|d| format!("2022-08-{d:02}"))
        .chain((1..=30).map(|d| format!("2022-09-{d:02}")))
        .collect();
    let mut days: Vec<(&str, &str, &str)> = dates
        .iter()
        .take(40)
        .map(|d| ("E001", d.as_str(), "home"))
        .collect();
    let out = with_telework(days.clone(), "2022-11-02");
    assert_eq!(out["telework"]["telework_days"], 40);
    assert_eq!(out["telework"]["weekly_average_met"], true);
    assert_eq!(out["telework"]["all_workers_once"], false);
    assert_eq!(
        status(&out, "equipment_subsidy", "telework_performance"),
        "pass"
    );
    days.pop();
    // A duplicate record of the same worker and day counts once.
    days.push(("E001", "2022-08-01", "satellite_office"));
    let out = with_telework(days, "2022-11-02");
    assert_eq!(out["telework"]["telework_days"], 39);
    assert_eq!(out["telework"]["weekly_average_met"], false);
    assert_eq!(
        status(&out, "equipment_subsidy", "telework_performance"),
        "fail"
    );
}

#[test]
fn performance_is_pending_until_the_period_ends() {
    let days = vec![("E001", "2022-08-03", "home")];
    // On the last day of the period: still pending.
    let out = with_telework(days.clone(), "2022-10-31");
    assert_eq!(
        status(&out, "equipment_subsidy", "telework_performance"),
        "pending"
    );
    // The day after: failed.
    let out = with_telework(days, "2022-11-01");
    assert_eq!(
        status(&out, "equipment_subsidy", "telework_performance"),
        "fail"
    );
}

#[test]
fn evaluation_period_must_lie_in_the_window() {
    let mut v = base();
    // Window 2022-07-01 … 2022-12-31: a start on 2022-10-01 ends 2022-12-31 (inside).
    v["evaluation_start"] = json!("2022-10-01");
    v["equipment_application_filed_on"] = json!("2023-01-10");
    assert_eq!(
        status(&eval(&v), "equipment_subsidy", "evaluation_period"),
        "pass"
    );
    v["evaluation_start"] = json!("2022-10-02");
    assert_eq!(
        status(&eval(&v), "equipment_subsidy", "evaluation_period"),
        "fail"
    );
    v["evaluation_start"] = json!("2022-06-30");
    assert_eq!(
        status(&eval(&v), "equipment_subsidy", "evaluation_period"),
        "fail"
    );
    // No start: pending while open, failed once the deadline has passed.
    v["evaluation_start"] = Value::Null;
    v["equipment_application_filed_on"] = Value::Null;
    v["as_of"] = json!("2023-01-31");
    assert_eq!(
        status(&eval(&v), "equipment_subsidy", "evaluation_period"),
        "pending"
    );
    v["as_of"] = json!("2023-02-01");
    assert_eq!(
        status(&eval(&v), "equipment_subsidy", "evaluation_period"),
        "fail"
    );
}

#[test]
fn work_rules_between_certification_and_filing() {
    let run = |established: Value, filed: &str| {
        let mut v = base();
        v["work_rules_established_on"] = established;
        v["equipment_application_filed_on"] = json!(filed);
        status(&eval(&v), "equipment_subsidy", "work_rules_established")
    };
    assert_eq!(run(json!("2022-07-01"), "2022-11-25"), "pass");
    assert_eq!(run(json!("2022-11-25"), "2022-11-25"), "pass");
    assert_eq!(run(json!("2022-06-30"), "2022-11-25"), "fail");
    assert_eq!(run(json!("2022-11-26"), "2022-11-25"), "fail");
    assert_eq!(run(Value::Null, "2022-11-25"), "fail");
}

// --- Filing deadlines ---------------------------------------------------------

#[test]
fn equipment_filing_window_and_moved_deadline() {
    let run = |certified: &str, start: &str, filed: Option<&str>, as_of: &str| {
        let mut v = base();
        v["plan"]["certified_on"] = json!(certified);
        v["work_rules_established_on"] = json!(certified);
        v["evaluation_start"] = json!(start);
        v["equipment_application_filed_on"] = json!(filed);
        v["as_of"] = json!(as_of);
        eval(&v)
    };
    // Certified 2022-09-02: nominal deadline 2023-04-01 (Saturday) → 2023-04-03.
    let out = run("2022-09-02", "2022-10-01", Some("2023-04-03"), "2023-05-01");
    assert_eq!(
        out["schedule"]["equipment_application_deadline"],
        json!({"nominal": "2023-04-01", "effective": "2023-04-03"})
    );
    assert_eq!(
        status(&out, "equipment_subsidy", "application_timely"),
        "pass"
    );
    let out = run("2022-09-02", "2022-10-01", Some("2023-04-04"), "2023-05-01");
    assert_eq!(
        status(&out, "equipment_subsidy", "application_timely"),
        "fail"
    );
    // Filing on the last day of the evaluation period is too early.
    let out = run("2022-07-01", "2022-08-01", Some("2022-10-31"), "2023-05-01");
    assert_eq!(
        status(&out, "equipment_subsidy", "application_timely"),
        "fail"
    );
    // Not filed: pending up to the effective deadline, failed the day after.
    let out = run("2022-09-02", "2022-10-01", None, "2023-04-03");
    assert_eq!(
        status(&out, "equipment_subsidy", "application_timely"),
        "pending"
    );
    let out = run("2022-09-02", "2022-10-01", None, "2023-04-04");
    assert_eq!(
        status(&out, "equipment_subsidy", "application_timely"),
        "fail"
    );
    assert_eq!(
        status(&out, "equipment_subsidy", "work_rules_established"),
        "pass"
    );
}

#[test]
fn goal_filing_window() {
    let run = |filed: Option<&str>, as_of: &str| {
        let mut v = base();
        v["goal_application_filed_on"] = json!(filed);
        v["as_of"] = json!(as_of);
        status(&eval(&v), "goal_subsidy", "goal_application_timely")
    };
    // Period 2 is 2023-08-01 … 2023-10-31; deadline 2023-11-30.
    assert_eq!(run(Some("2023-11-01"), "2024-01-15"), "pass");
    assert_eq!(run(Some("2023-11-30"), "2024-01-15"), "pass");
    assert_eq!(run(Some("2023-10-31"), "2024-01-15"), "fail");
    assert_eq!(run(Some("2023-12-01"), "2024-01-15"), "fail");
    assert_eq!(run(None, "2023-11-30"), "pending");
    assert_eq!(run(None, "2023-12-01"), "fail");
}

// --- Turnover -------------------------------------------------------------------

fn roster(entries: Value) -> Value {
    let mut v = base();
    v["roster"] = entries;
    eval(&v)["turnover"].clone()
}

#[test]
fn turnover_boundaries() {
    // Plan period 2021-06-01 … 2022-05-31.
    let t = roster(json!([
        {"id": "A", "hired_on": "2021-06-01"},                                      // hired on day 1: counted
        {"id": "B", "hired_on": "2021-06-02"},                                      // hired day 2: not in headcount
        {"id": "C", "hired_on": "2010-01-01", "left_on": "2021-06-01", "leave_reason": "voluntary"}, // left on day 1: counted both
        {"id": "D", "hired_on": "2010-01-01", "left_on": "2021-05-31", "leave_reason": "voluntary"}, // left before: neither
        {"id": "E", "hired_on": "2010-01-01", "left_on": "2022-05-31", "leave_reason": "dismissal"}, // last day: separation
        {"id": "F", "hired_on": "2010-01-01", "left_on": "2022-06-01", "leave_reason": "voluntary"}, // after: not a separation
        {"id": "G", "hired_on": "2010-01-01", "left_on": "2021-09-30", "leave_reason": "mandatory_retirement"},
        {"id": "H", "hired_on": "2010-01-01", "left_on": "2021-09-30", "leave_reason": "serious_misconduct_dismissal"},
        {"id": "I", "hired_on": "2010-01-01", "left_on": "2021-09-30", "leave_reason": "promoted_to_officer"},
        {"id": "J", "hired_on": "2010-01-01", "left_on": "2021-09-30", "leave_reason": "contract_end"},
        {"id": "K", "hired_on": "2010-01-01", "left_on": "2021-09-30"}
    ]));
    // Headcount on 2021-06-01: A, C, E, F, G, H, I, J, K = 9.
    // Separations: C, E, J, K = 4 (G, H, I excluded) → 44.44 %.
    assert_eq!(t["plan"]["headcount"], 9);
    assert_eq!(t["plan"]["separations"], 4);
    assert!((t["plan"]["rate_percent"].as_f64().unwrap() - 44.44).abs() < 1e-9);
}

#[test]
fn turnover_rate_rounds_half_up_and_handles_zero_headcount() {
    // 1 of 8 = 12.5 %; 2 of 3 = 66.67 %.
    let entries = |n: usize, left: usize| {
        json!((0..n).map(|i| if i < left {
        json!({"id": format!("W{i}"), "hired_on": "2010-01-01", "left_on": "2021-10-01", "leave_reason": "voluntary"})
    } else {
        json!({"id": format!("W{i}"), "hired_on": "2010-01-01"})
    }).collect::<Vec<_>>())
    };
    assert_eq!(roster(entries(8, 1))["plan"]["rate_percent"], 12.5);
    assert_eq!(roster(entries(3, 2))["plan"]["rate_percent"], 66.67);
    // Nobody on the first day: no rate, and the goal checks fail with a reason.
    let mut v = base();
    v["roster"] = json!([{"id": "N", "hired_on": "2023-12-01"}]);
    let out = eval(&v);
    assert_eq!(out["turnover"]["plan"]["headcount"], 0);
    assert_eq!(out["turnover"]["plan"]["rate_percent"], Value::Null);
    assert_eq!(
        status(&out, "goal_subsidy", "turnover_not_increased"),
        "fail"
    );
    assert_eq!(status(&out, "goal_subsidy", "turnover_at_most_30"), "fail");
    assert_eq!(
        status(&out, "goal_subsidy", "goal_telework_headcount"),
        "fail"
    );
    assert_eq!(out["goal_subsidy"]["required_teleworkers"], Value::Null);
}

#[test]
fn turnover_goal_comparisons_are_exact() {
    // Plan: 1 of 3 (33.33…%). Evaluation: 3 of 10 (30 %): not above plan, at most 30.
    let mut list = vec![
        json!({"id": "P1", "hired_on": "2010-01-01", "left_on": "2021-08-01", "leave_reason": "voluntary"}),
        json!({"id": "P2", "hired_on": "2010-01-01", "left_on": "2022-06-10", "leave_reason": "voluntary"}),
        json!({"id": "P3", "hired_on": "2010-01-01", "left_on": "2022-06-10", "leave_reason": "voluntary"}),
    ];
    for i in 0..7 {
        list.push(json!({"id": format!("N{i}"), "hired_on": "2022-06-20"}));
    }
    for i in 0..3 {
        list.push(json!({"id": format!("Q{i}"), "hired_on": "2022-06-20", "left_on": "2023-03-01", "leave_reason": "voluntary"}));
    }
    let mut v = base();
    v["roster"] = json!(list);
    let out = eval(&v);
    assert_eq!(out["turnover"]["plan"]["separations"], 1);
    assert_eq!(out["turnover"]["evaluation"]["headcount"], 10);
    assert_eq!(out["turnover"]["evaluation"]["separations"], 3);
    assert_eq!(status(&out, "goal_subsidy", "turnover_at_most_30"), "pass");
    assert_eq!(
        status(&out, "goal_subsidy", "turnover_not_increased"),
        "pass"
    );
    // One more worker who leaves: 4 of 11 = 36.36 % > 30 % and > 33.33 %.
    list.push(json!({"id": "Q9", "hired_on": "2022-06-20", "left_on": "2023-03-01", "leave_reason": "other"}));
    v["roster"] = json!(list);
    let out = eval(&v);
    assert_eq!(status(&out, "goal_subsidy", "turnover_at_most_30"), "fail");
    assert_eq!(
        status(&out, "goal_subsidy", "turnover_not_increased"),
        "fail"
    );
}

#[test]
fn evaluation_turnover_waits_for_its_period() {
    let mut v = base();
    // Evaluation-time period ends 2023-10-31.
    v["as_of"] = json!("2023-10-31");
    let out = eval(&v);
    assert_eq!(out["turnover"]["evaluation"], Value::Null);
    assert_eq!(
        status(&out, "goal_subsidy", "turnover_not_increased"),
        "pending"
    );
    v["as_of"] = json!("2023-11-01");
    let out = eval(&v);
    assert_eq!(out["turnover"]["evaluation"]["headcount"], 12);
    assert_eq!(
        status(&out, "goal_subsidy", "turnover_not_increased"),
        "pass"
    );
    // No roster: pending, whatever the date.
    v["roster"] = json!([]);
    let out = eval(&v);
    assert_eq!(out["turnover"]["plan"], Value::Null);
    assert_eq!(
        status(&out, "goal_subsidy", "turnover_at_most_30"),
        "pending"
    );
}

// --- Goal headcount -------------------------------------------------------------

#[test]
fn goal_headcount_ratio_is_exact() {
    // Case 01: 11 workers on 2023-08-01 × 3 targets ÷ 12 on C = 2.75 → 3 needed.
    let mut v = base();
    let keep = |v: &mut Value, workers: &[&str]| {
        let t: Vec<Value> = v["telework"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| {
                !d["date"].as_str().unwrap().starts_with("2023")
                    || workers.contains(&d["worker"].as_str().unwrap())
            })
            .cloned()
            .collect();
        v["telework"] = json!(t);
    };
    keep(&mut v, &["E001", "E002"]);
    let out = eval(&v);
    assert_eq!(out["goal_subsidy"]["teleworkers"], 2);
    assert_eq!(out["goal_subsidy"]["required_teleworkers"], 2.75);
    assert_eq!(out["goal_subsidy"]["required_teleworkers_exact"], "11/4");
    assert_eq!(
        status(&out, "goal_subsidy", "goal_telework_headcount"),
        "fail"
    );
    // Any worker of the establishment counts, not only targets.
    v["telework"]
        .as_array_mut()
        .unwrap()
        .push(json!({"worker": "E010", "date": "2023-10-31", "place": "satellite_office"}));
    let out = eval(&v);
    assert_eq!(out["goal_subsidy"]["teleworkers"], 3);
    assert_eq!(
        status(&out, "goal_subsidy", "goal_telework_headcount"),
        "pass"
    );
    // Exactly equal to an integer requirement passes: with E007 still employed,
    // 12 × 3 ÷ 12 = 3.
    v["roster"][6]["left_on"] = Value::Null;
    let out = eval(&v);
    assert_eq!(out["goal_subsidy"]["required_teleworkers"], 3.0);
    assert_eq!(
        status(&out, "goal_subsidy", "goal_telework_headcount"),
        "pass"
    );
}

#[test]
fn goal_headcount_pending_until_period_two_ends() {
    let mut v = base();
    v["telework"] = json!([{"worker": "E001", "date": "2023-08-02", "place": "home"}]);
    v["goal_application_filed_on"] = Value::Null;
    v["as_of"] = json!("2023-10-31");
    assert_eq!(
        status(&eval(&v), "goal_subsidy", "goal_telework_headcount"),
        "pending"
    );
    v["as_of"] = json!("2023-11-01");
    assert_eq!(
        status(&eval(&v), "goal_subsidy", "goal_telework_headcount"),
        "fail"
    );
}

// --- Productivity ---------------------------------------------------------------

fn productivity(
    base_va: i64,
    base_workers: u64,
    latest_va: i64,
    latest_workers: u64,
    fi: bool,
) -> Value {
    let year = |va: i64, w: u64| json!({"operating_profit": va - 400, "personnel_cost": 100, "depreciation": 100, "rent": 100, "taxes": 100, "insured_workers": w});
    let mut v = base();
    v["productivity"] = json!({"base_year": year(base_va, base_workers), "latest_year": year(latest_va, latest_workers), "financial_institution_evaluation": fi});
    eval(&v)
}

#[test]
fn productivity_requirement_formula() {
    // 10,000,000 per worker → 10,600,000 per worker: exactly +6 %.
    let out = productivity(100_000_000, 10, 106_000_000, 10, false);
    assert_eq!(out["productivity"]["met"], true);
    assert_eq!(out["goal_subsidy"]["rate_percent"], 35);
    assert_eq!(out["goal_subsidy"]["amount_yen"], 122_430);
    // One yen short of +6 %.
    let out = productivity(100_000_000, 10, 105_999_999, 10, false);
    assert_eq!(out["productivity"]["met"], false);
    assert_eq!(out["goal_subsidy"]["rate_percent"], 20);
    // Per insured worker: more output with more workers can be less productive.
    let out = productivity(100_000_000, 10, 110_000_000, 11, false);
    assert_eq!(out["productivity"]["met"], false);
    // +1 % suffices with a financial institution's evaluation.
    let out = productivity(100_000_000, 10, 101_000_000, 10, true);
    assert_eq!(out["productivity"]["met"], true);
    let out = productivity(100_000_000, 10, 100_999_999, 10, true);
    assert_eq!(out["productivity"]["met"], false);
    // A loss in the base year: growth undefined, not met.
    let out = productivity(-1_000, 10, 100_000_000, 10, false);
    assert_eq!(out["productivity"]["met"], false);
}

// --- Status aggregation and not-yet-certified plans -------------------------------

#[test]
fn status_is_fail_over_pending_over_pass() {
    // Mid-evaluation (case 08 style) with a failing SME test: not_payable wins over pending.
    let mut v = base();
    v["as_of"] = json!("2022-09-15");
    v["equipment_application_filed_on"] = Value::Null;
    v["goal_application_filed_on"] = Value::Null;
    assert_eq!(eval(&v)["equipment_subsidy"]["status"], "pending");
    v["employer"]["regular_employees"] = json!(51);
    v["employer"]["capital_yen"] = json!(50_000_001);
    let out = eval(&v);
    assert_eq!(out["equipment_subsidy"]["status"], "not_payable");
    assert_eq!(out["goal_subsidy"]["status"], "not_payable");
    // The amount is still what the expenses would earn.
    assert_eq!(out["equipment_subsidy"]["amount_yen"], 104_940);
}

#[test]
fn uncertified_plan_warns_about_early_measures() {
    let mut v = base();
    v["plan"]["certified_on"] = Value::Null;
    let out = eval(&v);
    assert_eq!(out["schedule"]["evaluation_window"], Value::Null);
    assert_eq!(
        out["schedule"]["equipment_application_deadline"],
        Value::Null
    );
    assert_eq!(
        status(&out, "equipment_subsidy", "application_timely"),
        "pending"
    );
    assert_eq!(out["cautions"][0]["id"], "before_certification");
}
