//! The `josei` binary, driven from outside as a user or another program would.

use josei_rules::conformance::differences;
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn josei() -> Command {
    Command::new(env!("CARGO_BIN_EXE_josei"))
}

fn shared() -> PathBuf {
    std::env::var_os("JOSEI_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = josei()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The binary may exit before reading (a bad option): a closed pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn evaluates_every_shared_case_from_a_file() {
    let dir = shared().join("cases");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".json") || name.ends_with(".expected.json") {
            continue;
        }
        seen += 1;
        let out = josei().arg("evaluate").arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert!(out.stderr.is_empty(), "{name}: {}", text(&out.stderr));
        let actual: Value = serde_json::from_slice(&out.stdout).unwrap();
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(path.with_extension("expected.json")).unwrap(),
        )
        .unwrap();
        let diff = differences(&expected, &actual);
        assert!(diff.is_empty(), "{name}:\n{}", diff.join("\n"));
    }
    assert!(seen >= 8, "only {seen} cases");
}

#[test]
fn reads_standard_input_with_dash() {
    let case = std::fs::read(shared().join("cases/07-goal-with-productivity.json")).unwrap();
    let out = run_stdin(&["evaluate", "-"], &case);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["goal_subsidy"]["amount_yen"], 122_430);
    // A UTF-8 byte-order mark (as Windows editors write) is accepted.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&case);
    assert_eq!(run_stdin(&["evaluate", "-"], &bom).status.code(), Some(0));
}

#[test]
fn invalid_input_exits_2_with_one_line_and_no_stdout() {
    let case = std::fs::read_to_string(shared().join("cases/01-standard-success.json")).unwrap();
    let bad_amount = case.replacen("\"amount_yen\": 118800", "\"amount_yen\": -5", 1);
    let rows: Vec<(Vec<u8>, &str)> = vec![
        (bad_amount.into_bytes(), "expenses[3].amount_yen: "),
        (b"{not json".to_vec(), "$: "),
        (
            case.replacen("\"2022-07-01\"", "\"2023-02-29\"", 1)
                .into_bytes(),
            "plan.certified_on: ",
        ),
        (b"\xff\xfe{}".to_vec(), "$: "),
        (
            case.replacen("\"retail\"", "\"shop\"", 1).into_bytes(),
            "employer.industry: ",
        ),
    ];
    for (input, prefix) in rows {
        let out = run_stdin(&["evaluate", "-"], &input);
        assert_eq!(out.status.code(), Some(2), "{prefix}");
        assert!(out.stdout.is_empty(), "{prefix}: stdout must be empty");
        let err = text(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with(prefix), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // A file that does not exist is an input problem too.
    let out = josei()
        .args(["evaluate", "/nonexistent/case.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn text_report_is_japanese_with_wareki_dates() {
    let path = shared().join("cases/08-mid-evaluation-progress.json");
    let out = josei()
        .args(["evaluate", "--format", "text"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r = text(&out.stdout);
    for needle in [
        "機器等導入助成: 判定待ち",
        "104,940円",
        "2023-01-31（令和5年1月31日）",
        "評価期間（目標達成助成）: 2023-08-01（令和5年8月1日）",
        "■ 次にすること",
        "根拠: seed: ご利用の流れ",
    ] {
        assert!(r.contains(needle), "missing {needle:?} in\n{r}");
    }
}

#[test]
fn default_as_of_comes_from_the_option_or_today() {
    let case = std::fs::read_to_string(shared().join("cases/01-standard-success.json")).unwrap();
    let mut v: Value = serde_json::from_str(&case).unwrap();
    v.as_object_mut().unwrap().remove("as_of");
    let input = v.to_string();
    let out = run_stdin(
        &["evaluate", "-", "--as-of", "2022-09-15"],
        input.as_bytes(),
    );
    let e: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["as_of"], "2022-09-15");
    assert_eq!(
        e["equipment_subsidy"]["status"], "payable",
        "filed dates are in the case"
    );
    let out = run_stdin(&["evaluate", "-"], input.as_bytes());
    let e: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(e["as_of"].as_str().unwrap() >= "2026-01-01", "today in JST");
    let out = run_stdin(
        &["evaluate", "-", "--as-of", "2022-02-30"],
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("--as-of: "));
}

#[test]
fn schedule_json_has_the_contract_shape() {
    let out = josei()
        .args([
            "schedule",
            "--submitted",
            "2022-06-15",
            "--certified",
            "2022-07-01",
            "--evaluation-start",
            "2022-08-01",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(shared().join("cases/01-standard-success.expected.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(s, expected["schedule"]);

    // Missing dates give nulls.
    let out = josei()
        .args(["schedule", "--submitted", "2022-05-10", "--format", "json"])
        .output()
        .unwrap();
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(shared().join("cases/02-diagnosis-before-plan.expected.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(s, expected["schedule"]);
}

#[test]
fn schedule_text_and_errors() {
    let out = josei()
        .args([
            "schedule",
            "--submitted",
            "2022-05-20",
            "--certified",
            "2022-05-30",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r = text(&out.stdout);
    assert!(r.contains("機器等導入助成の申請期限: 2023-01-04（令和5年1月4日）（本来の期限 2022-12-29（令和4年12月29日） が年末年始"), "{r}");
    assert!(r.contains("評価期間（機器等導入助成）: 未定"), "{r}");

    for (args, prefix) in [
        (
            vec!["schedule", "--submitted", "2022-02-30"],
            "--submitted: ",
        ),
        (
            vec!["schedule", "--submitted", "2021-01-10"],
            "--submitted: ",
        ),
        (
            vec![
                "schedule",
                "--submitted",
                "2022-06-10",
                "--certified",
                "2022-06-01",
            ],
            "--certified: ",
        ),
        (
            vec!["schedule", "--submitted", "2022-06-10", "--regime", "R9"],
            "--regime: ",
        ),
    ] {
        let out = josei().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(
            text(&out.stderr).starts_with(prefix),
            "{}",
            text(&out.stderr)
        );
    }
    // A named regime admits other dates.
    let out = josei()
        .args(["schedule", "--submitted", "2021-01-10", "--regime", "R4"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}
