//! Every kind of invalid input in the contract's list is refused with its code
//! and the exact field path, and nothing is evaluated.

use jiff::civil::date;
use josei_rules::{parse_case, ErrorCode};
use serde_json::{json, Value};

fn base() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/cases/01-standard-success.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("shared case 01")).unwrap()
}

/// What a row does to the base case.
enum Edit {
    Set(&'static str, Value),
    Remove(&'static str),
    Raw(&'static str),
}

fn apply(edit: &Edit) -> String {
    let mut v = base();
    match edit {
        Edit::Set(ptr, new) => {
            let (parent, key) = ptr.rsplit_once('/').unwrap();
            match v
                .pointer_mut(parent)
                .unwrap_or_else(|| panic!("no {parent}"))
            {
                Value::Object(map) => {
                    map.insert(key.to_string(), new.clone());
                }
                Value::Array(items) => items[key.parse::<usize>().unwrap()] = new.clone(),
                _ => panic!("{parent} is neither object nor array"),
            }
        }
        Edit::Remove(ptr) => {
            let (parent, key) = ptr.rsplit_once('/').unwrap();
            v.pointer_mut(parent)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .remove(key);
        }
        Edit::Raw(text) => return text.to_string(),
    }
    v.to_string()
}

#[test]
fn invalid_inputs_name_their_field() {
    use Edit::*;
    use ErrorCode::*;
    let rows: Vec<(&str, Edit, ErrorCode, &str)> = vec![
        ("not JSON", Raw("{\"employer\": "), InvalidJson, "$"),
        ("not an object", Raw("[1, 2]"), WrongType, "$"),
        ("empty", Raw(""), InvalidJson, "$"),
        (
            "missing employer",
            Remove("/employer"),
            MissingField,
            "employer",
        ),
        (
            "missing plan date: 2022-08-01 starts no no-plan regime",
            Remove("/plan/submitted_on"),
            NoRegime,
            "regime",
        ),
        (
            "missing industry",
            Remove("/employer/industry"),
            MissingField,
            "employer.industry",
        ),
        (
            "null required bool",
            Set("/employer/employment_insurance", Value::Null),
            MissingField,
            "employer.employment_insurance",
        ),
        (
            "missing amount",
            Remove("/expenses/2/amount_yen"),
            MissingField,
            "expenses[2].amount_yen",
        ),
        (
            "missing telework date",
            Remove("/telework/5/date"),
            MissingField,
            "telework[5].date",
        ),
        (
            "blank target id",
            Set("/plan/target_workers/0/id", json!("  ")),
            MissingField,
            "plan.target_workers[0].id",
        ),
        (
            "bool as string",
            Set("/employer/employment_insurance", json!("yes")),
            WrongType,
            "employer.employment_insurance",
        ),
        (
            "amount as string",
            Set("/expenses/3/amount_yen", json!("5000")),
            WrongType,
            "expenses[3].amount_yen",
        ),
        (
            "fractional yen",
            Set("/expenses/3/amount_yen", json!(100.5)),
            WrongType,
            "expenses[3].amount_yen",
        ),
        (
            "count as float",
            Set("/employer/regular_employees", json!(12.5)),
            WrongType,
            "employer.regular_employees",
        ),
        (
            "array not object",
            Set("/expenses/1", json!(5)),
            WrongType,
            "expenses[1]",
        ),
        (
            "telework not array",
            Set("/telework", json!({})),
            WrongType,
            "telework",
        ),
        (
            "date as number",
            Set("/plan/submitted_on", json!(20220615)),
            WrongType,
            "plan.submitted_on",
        ),
        (
            "travel for as number",
            Set("/expenses/0/for", json!(3)),
            WrongType,
            "expenses[0].for",
        ),
        (
            "unknown industry",
            Set("/employer/industry", json!("shop")),
            UnknownValue,
            "employer.industry",
        ),
        (
            "unknown status",
            Set("/employer/telework_status", json!("yes")),
            UnknownValue,
            "employer.telework_status",
        ),
        (
            "unknown employment",
            Set("/plan/target_workers/1/employment", json!("part_time")),
            UnknownValue,
            "plan.target_workers[1].employment",
        ),
        (
            "unknown place",
            Set("/telework/0/place", json!("cafe")),
            UnknownValue,
            "telework[0].place",
        ),
        (
            "unknown category",
            Set("/expenses/0/category", json!("furniture")),
            UnknownValue,
            "expenses[0].category",
        ),
        (
            "unknown leave reason",
            Set("/roster/5/leave_reason", json!("fired")),
            UnknownValue,
            "roster[5].leave_reason",
        ),
        (
            "Feb 29 of 2023",
            Set("/evaluation_start", json!("2023-02-29")),
            InvalidDate,
            "evaluation_start",
        ),
        (
            "month 13",
            Set("/plan/certified_on", json!("2022-13-01")),
            InvalidDate,
            "plan.certified_on",
        ),
        (
            "slashes",
            Set("/as_of", json!("2024/01/15")),
            InvalidDate,
            "as_of",
        ),
        (
            "bad paid_on",
            Set("/expenses/1/paid_on", json!("2022-07-32")),
            InvalidDate,
            "expenses[1].paid_on",
        ),
        (
            "year out of range",
            Set("/as_of", json!("2150-01-01")),
            OutOfRange,
            "as_of",
        ),
        (
            "negative amount",
            Set("/expenses/3/amount_yen", json!(-5)),
            Negative,
            "expenses[3].amount_yen",
        ),
        (
            "negative capital",
            Set("/employer/capital_yen", json!(-1)),
            Negative,
            "employer.capital_yen",
        ),
        (
            "negative employees",
            Set("/employer/regular_employees", json!(-3)),
            Negative,
            "employer.regular_employees",
        ),
        (
            "negative float",
            Set("/expenses/0/amount_yen", json!(-1.5)),
            Negative,
            "expenses[0].amount_yen",
        ),
        (
            "certified before submitted",
            Set("/plan/certified_on", json!("2022-06-14")),
            DateOrder,
            "plan.certified_on",
        ),
        (
            "left before hired",
            Set("/roster/0/left_on", json!("2015-03-31")),
            DateOrder,
            "roster[0].left_on",
        ),
        (
            "duplicate target",
            Set("/plan/target_workers/2/id", json!("E001")),
            DuplicateId,
            "plan.target_workers[2].id",
        ),
        (
            "plan before the course began",
            Set("/plan/submitted_on", json!("2021-03-31")),
            NoRegime,
            "regime",
        ),
        (
            "plan after plans were abolished",
            Raw(
                r#"{"employer": {"industry": "retail", "capital_yen": 1, "regular_employees": 1, "employment_insurance": true, "telework_status": "none", "work_rules_have_telework": false, "received_telework_subsidy": false}, "plan": {"submitted_on": "2026-11-22", "target_workers": []}, "evaluation_start": "2027-01-01"}"#,
            ),
            NoRegime,
            "plan.submitted_on",
        ),
        (
            "no-plan start outside every regime",
            Raw(
                r#"{"employer": {"industry": "retail", "capital_yen": 1, "regular_employees": 1, "employment_insurance": true, "telework_status": "none", "work_rules_have_telework": false, "received_telework_subsidy": false}, "plan": {"target_workers": []}, "evaluation_start": "2027-04-01"}"#,
            ),
            NoRegime,
            "regime",
        ),
        (
            "no date chooses a regime",
            Raw(
                r#"{"employer": {"industry": "retail", "capital_yen": 1, "regular_employees": 1, "employment_insurance": true, "telework_status": "none", "work_rules_have_telework": false, "received_telework_subsidy": false}, "plan": {"target_workers": []}}"#,
            ),
            NoRegime,
            "regime",
        ),
        (
            "named plan regime without submission",
            Raw(
                r#"{"regime": "R5", "employer": {"industry": "retail", "capital_yen": 1, "regular_employees": 1, "employment_insurance": true, "telework_status": "none", "work_rules_have_telework": false, "received_telework_subsidy": false}, "plan": {"target_workers": []}, "evaluation_start": "2023-08-01"}"#,
            ),
            MissingField,
            "plan.submitted_on",
        ),
        (
            "lease months 0",
            Set("/expenses/0/months", json!(0)),
            OutOfRange,
            "expenses[0].months",
        ),
        (
            "lease months negative",
            Set("/expenses/0/months", json!(-6)),
            Negative,
            "expenses[0].months",
        ),
        (
            "other subsidy flag as text",
            Set("/expenses/1/funded_by_other_subsidy", json!("yes")),
            WrongType,
            "expenses[1].funded_by_other_subsidy",
        ),
        (
            "negative wages",
            Set("/wage_increase", json!({"before_yen": -1, "after_yen": 5})),
            Negative,
            "wage_increase.before_yen",
        ),
        (
            "wages after missing",
            Set("/wage_increase", json!({"before_yen": 100})),
            MissingField,
            "wage_increase.after_yen",
        ),
        (
            "wage yen validated even when met is given",
            Set("/wage_increase", json!({"met": true, "after_yen": 1.5})),
            WrongType,
            "wage_increase.after_yen",
        ),
        (
            "unknown measure",
            Set("/measures", json!([{"kind": "party", "on": "2022-07-10"}])),
            UnknownValue,
            "measures[0].kind",
        ),
        (
            "measure without date",
            Set("/measures", json!([{"kind": "consulting"}])),
            MissingField,
            "measures[0].on",
        ),
        (
            "climate date that does not exist",
            Set("/workplace_climate/top_message_on", json!("2022-02-30")),
            InvalidDate,
            "workplace_climate.top_message_on",
        ),
        (
            "unknown disqualification",
            Set("/employer/disqualifications", json!(["bankruptcy", "late"])),
            UnknownValue,
            "employer.disqualifications[1]",
        ),
        (
            "disqualification not text",
            Set("/employer/disqualifications", json!([1])),
            WrongType,
            "employer.disqualifications[0]",
        ),
        (
            "negative count before",
            Set("/telework_before_count", json!(-4)),
            Negative,
            "telework_before_count",
        ),
        (
            "unknown regime",
            Set("/regime", json!("R99")),
            UnknownRegime,
            "regime",
        ),
    ];
    let mut wrong = Vec::new();
    for (what, edit, code, field) in &rows {
        match parse_case(&apply(edit), date(2024, 1, 15)) {
            Ok(_) => wrong.push(format!("{what}: accepted")),
            Err(e) => {
                if e.code != *code || e.field != *field {
                    wrong.push(format!(
                        "{what}: got {:?} at {} ({})",
                        e.code, e.field, e.message
                    ));
                }
                let line = e.to_string();
                assert!(!line.contains('\n'), "{what}: message is not one line");
                assert!(line.starts_with(field), "{what}: {line}");
                assert!(e.message.chars().count() > 5, "{what}: message too thin");
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_named_regime_admits_any_submission_date() {
    let mut v = base();
    v["regime"] = json!("R4");
    v["plan"]["submitted_on"] = json!("2021-06-15");
    v["plan"]["certified_on"] = json!("2021-07-01");
    assert!(parse_case(&v.to_string(), date(2024, 1, 15)).is_ok());
}

#[test]
fn optional_fields_may_be_null_or_absent_alike() {
    let mut v = base();
    for key in [
        "work_rules_established_on",
        "evaluation_start",
        "equipment_application_filed_on",
        "productivity",
        "roster",
        "telework",
        "expenses",
    ] {
        v[key] = Value::Null;
    }
    v["employer"]["capital_yen"] = Value::Null;
    let with_nulls = parse_case(&v.to_string(), date(2024, 1, 15)).unwrap();
    let obj = v.as_object_mut().unwrap();
    obj.retain(|_, val| !val.is_null());
    let absent = parse_case(&v.to_string(), date(2024, 1, 15)).unwrap();
    let a = serde_json::to_value(josei_rules::evaluate(&with_nulls)).unwrap();
    let b = serde_json::to_value(josei_rules::evaluate(&absent)).unwrap();
    assert_eq!(a, b);
    assert_eq!(a["sme"]["capital_test"], Value::Null);
}

#[test]
fn unknown_fields_are_warned_about_not_lost() {
    let mut v = base();
    v["evaluaton_start"] = json!("2022-08-01");
    v["expenses"][0]["memo"] = json!("x");
    let parsed = parse_case(&v.to_string(), date(2024, 1, 15)).unwrap();
    let fields: Vec<&str> = parsed.warnings.iter().map(|w| w.field.as_str()).collect();
    assert_eq!(fields, ["evaluaton_start", "expenses[0].memo"]);
    let out = serde_json::to_value(josei_rules::evaluate(&parsed)).unwrap();
    assert_eq!(out["warnings"][0]["field"], "evaluaton_start");
    // Warnings are not notices: the contract's notices stay as the spec lists them.
    assert!(out["notices"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["id"] != "unknown_field"));
}

#[test]
fn as_of_defaults_to_the_callers_today() {
    let mut v = base();
    v.as_object_mut().unwrap().remove("as_of");
    let parsed = parse_case(&v.to_string(), date(2022, 9, 15)).unwrap();
    assert_eq!(parsed.case.as_of, date(2022, 9, 15));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Pointers into case 01 where a hostile value is put.
    const POINTERS: &[&str] = &[
        "/as_of",
        "/regime",
        "/employer",
        "/employer/industry",
        "/employer/capital_yen",
        "/employer/regular_employees",
        "/plan",
        "/plan/submitted_on",
        "/plan/certified_on",
        "/plan/target_workers",
        "/plan/target_workers/0",
        "/plan/target_workers/0/id",
        "/evaluation_start",
        "/telework",
        "/telework/0",
        "/telework/0/date",
        "/expenses",
        "/expenses/0/amount_yen",
        "/expenses/0/category",
        "/expenses/0/paid_on",
        "/roster",
        "/roster/0/left_on",
        "/productivity",
        "/productivity/met",
        "/equipment_application_filed_on",
        "/workplace_climate",
        "/workplace_climate/top_message_on",
        "/measures",
        "/telework_before_count",
        "/wage_increase",
        "/employer/disqualifications",
        "/employer/telework_status",
        "/expenses/0/months",
        "/expenses/0/funded_by_other_subsidy",
    ];

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(Value::from),
            ".{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(2, 8, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn hostile_values_give_an_error_or_an_evaluation(ptr in proptest::sample::select(POINTERS), value in any_json()) {
            match parse_case(&apply(&Edit::Set(ptr, value)), date(2024, 1, 15)) {
                Ok(parsed) => {
                    let out = serde_json::to_value(josei_rules::evaluate(&parsed)).unwrap();
                    prop_assert!(out["equipment_subsidy"]["status"].is_string());
                }
                Err(e) => prop_assert!(!e.field.is_empty() && !e.message.is_empty()),
            }
        }

        #[test]
        fn productivity_with_extreme_figures(
            a in -1_000_000_000_000_000i64..=1_000_000_000_000_000, b in 0u64..=1_000_000_000_000_000,
            w1 in 1u64..=1_000_000_000, w2 in 1u64..=1_000_000_000, fi in any::<bool>()
        ) {
            let year = |w: u64| json!({"operating_profit": a, "personnel_cost": b, "depreciation": b, "rent": b, "taxes": b, "insured_workers": w});
            let mut v = base();
            v["productivity"] = json!({"base_year": year(w1), "latest_year": year(w2), "financial_institution_evaluation": fi});
            let parsed = parse_case(&v.to_string(), date(2024, 1, 15)).unwrap();
            let out = serde_json::to_value(josei_rules::evaluate(&parsed)).unwrap();
            prop_assert!(out["productivity"]["met"].is_boolean());
        }
    }
}

#[test]
fn escaped_strings_and_duplicate_keys() {
    let mut v = base();
    v["employer"]["name"] = json!("株式会社\"みなと\"\n商店");
    // Escapes in keys and values decode; the last of duplicate keys wins.
    let text = v.to_string().replacen(
        "\"as_of\":\"2024-01-15\"",
        "\"as_of\":\"2022-01-01\",\"as_\\u006ff\":\"2024-01-15\"",
        1,
    );
    let parsed = parse_case(&text, date(2000, 1, 1)).unwrap();
    assert_eq!(parsed.case.as_of, date(2024, 1, 15));
    assert_eq!(parsed.case.employer.name, "株式会社\"みなと\"\n商店");
}
