//! Every example case in `shared/cases/` evaluates to its expected evaluation,
//! compared as the contract says.

use jiff::civil::date;
use josei_rules::{conformance::differences, evaluate, parse_case};
use serde_json::Value;
use std::path::PathBuf;

/// `shared/cases`, beside the repository (or `$JOSEI_SHARED_DIR/cases`).
fn cases_dir() -> PathBuf {
    let shared = std::env::var_os("JOSEI_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    shared.join("cases")
}

fn case_files() -> Vec<PathBuf> {
    let dir = cases_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".json") && !name.ends_with(".expected.json")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_shared_case_conforms() {
    let files = case_files();
    assert!(
        files.len() >= 13,
        "expected the 13 shared cases, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for case_path in &files {
        let expected_path = case_path.with_extension("expected.json");
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
        let json = std::fs::read_to_string(case_path).unwrap();
        // A fixed "today" that is never used: every shared case has as_of.
        let parsed = parse_case(&json, date(2000, 1, 1)).unwrap();
        let actual = serde_json::to_value(evaluate(&parsed)).unwrap();
        for d in differences(&expected, &actual) {
            failures.push(format!(
                "{}: {d}",
                case_path.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
