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
    assert!(seen >= 13, "only {seen} cases");
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
        "根拠: 労働局リーフレット「ご利用の流れ」 支給申請の期限",
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

fn tmp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn a_regimes_overlay_corrects_values_without_a_release() {
    let case = shared().join("cases/11-r6-expanding-employer.json");
    let overlay = tmp("overlay.toml");
    std::fs::write(
        &overlay,
        "[regime.R6.values.goal_rate_percent]\nvalue = 20\ngrade = \"official\"\nsource = \"令和6年度 支給要領 0508\"\n",
    )
    .unwrap();
    let plain: Value =
        serde_json::from_slice(&josei().arg("evaluate").arg(&case).output().unwrap().stdout)
            .unwrap();
    assert_eq!(plain["goal_subsidy"]["rate_percent"], 10);
    let out = josei()
        .arg("evaluate")
        .arg(&case)
        .arg("--regimes")
        .arg(&overlay)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let corrected: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(corrected["goal_subsidy"]["rate_percent"], 20);
    assert_eq!(corrected["goal_subsidy"]["amount_yen"], 69_960);
    // The corrected value is official now: no longer an assumption.
    let params: Vec<&str> = corrected["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["parameter"].as_str().unwrap())
        .collect();
    assert!(!params.contains(&"goal_rate_percent"), "{params:?}");
    // The environment variable works too, and `josei regimes` shows the overlay.
    let out = josei()
        .arg("regimes")
        .env("JOSEI_REGIMES", &overlay)
        .output()
        .unwrap();
    let listing = text(&out.stdout);
    assert!(listing.contains("訂正ファイル: あり"), "{listing}");
    assert!(listing.contains("R6.goal_rate_percent"), "{listing}");
    // A misspelt key is an input error naming it; nothing is evaluated.
    std::fs::write(
        &overlay,
        "[regime.R6.values.goal_rate_percnt]\nvalue = 20\ngrade = \"official\"\nsource = \"x\"\n",
    )
    .unwrap();
    for args in [
        vec!["evaluate", case.to_str().unwrap()],
        vec!["schedule", "--evaluation-start", "2026-05-01"],
        vec!["regimes"],
    ] {
        let out = josei()
            .args(&args)
            .arg("--regimes")
            .arg(&overlay)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        let err = text(&out.stderr);
        assert!(
            err.starts_with("--regimes: ") && err.contains("goal_rate_percnt"),
            "{err}"
        );
    }
    // A missing file is named too.
    let out = josei()
        .args(["regimes", "--regimes", "/nonexistent/x.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/nonexistent/x.toml"));
}

#[test]
fn regimes_lists_every_year_with_its_dates_and_unverified_values() {
    let out = josei().arg("regimes").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let t = text(&out.stdout);
    for needle in [
        "R3a",
        "計画提出日 2021-04-01〜2021-12-20",
        "R7   令和7年度  評価期間の初日 2025-04-01〜2026-03-31  計画認定なし",
        "制度導入助成 200,000円",
        "機器等導入助成 50％",
        "未確認の値: 0",
    ] {
        assert!(t.contains(needle), "{needle}\n{t}");
    }
    let out = josei()
        .args(["regimes", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let regimes = v["regimes"].as_array().unwrap();
    assert_eq!(regimes.len(), 7);
    let r8 = &regimes[6];
    assert_eq!(r8["id"], "R8");
    assert!(r8["unverified"].as_u64().unwrap() >= 5);
    assert_eq!(r8["grades"]["equipment_amount_yen"]["grade"], "unverified");
    assert_eq!(regimes[2]["grades"]["expense_caps"]["grade"], "seed");
    assert_eq!(
        regimes[3]["grades"]["expense_caps"]["note"],
        "carried over from R4"
    );
}

#[test]
fn schedule_of_a_no_plan_year_and_of_a_plan_submitted_today() {
    let out = josei()
        .args([
            "schedule",
            "--evaluation-start",
            "2025-07-01",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["evaluation_window"], Value::Null);
    assert_eq!(s["measures_window"]["from"], "2025-04-01");
    assert_eq!(s["measures_window"]["to"], "2025-06-30");
    assert_eq!(s["equipment_application_deadline"]["nominal"], "2025-11-30");
    assert_eq!(
        s["equipment_application_deadline"]["effective"],
        "2025-12-01"
    );
    // --regime R7 alone: everything still to be decided.
    let out = josei()
        .args(["schedule", "--regime", "R7"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let t = text(&out.stdout);
    assert!(t.contains("令和7年度の制度") && t.contains("未定"), "{t}");
    // A plan submitted today points to the no-plan procedure.
    let out = josei()
        .args(["schedule", "--submitted", "2026-11-22"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("--submitted: ")
            && err.contains("令和7年度")
            && err.contains("--evaluation-start"),
        "{err}"
    );
}

#[test]
fn text_report_names_the_year_and_its_unverified_assumptions() {
    let case = shared().join("cases/11-r6-expanding-employer.json");
    let out = josei()
        .arg("evaluate")
        .arg(&case)
        .args(["--format", "text"])
        .output()
        .unwrap();
    let t = text(&out.stdout);
    assert!(t.contains("制度: 令和6年度の制度"), "{t}");
    // Beside the amounts: the goal rate, unverified in 令和6年度.
    let amounts = t.split("■ 日程").next().unwrap();
    assert!(
        amounts.contains("未確認の前提: ") && amounts.contains("目標達成助成の助成率"),
        "{amounts}"
    );
    assert!(t.contains("■ 未確認の前提"), "{t}");
    assert!(t.contains("拡大前3か月からの増加: 満たす"), "{t}");
    let case = shared().join("cases/09-r7-system-introduction.json");
    let out = josei()
        .arg("evaluate")
        .arg(&case)
        .args(["--format", "text"])
        .output()
        .unwrap();
    let t = text(&out.stdout);
    for needle in [
        "令和7年度の制度（計画認定なし・定額の助成）",
        "■ 制度導入助成: 支給対象  200,000円",
        "取組（職場風土作り・就業規則・研修など）の期間",
    ] {
        assert!(t.contains(needle), "{needle}\n{t}");
    }
}

#[test]
fn help_never_prints_a_database_or_mail_password_from_the_environment() {
    for args in [
        &["serve", "--help"][..],
        &["remind", "--help"],
        &["user", "--help"],
        &["user", "add", "--help"],
        &["import", "--help"],
        &["export", "--help"],
        &["demo", "--help"],
        &["backup", "--help"],
    ] {
        let out = josei()
            .args(args)
            .env("DATABASE_URL", "postgres://u:s3cret@h/db")
            .env("JOSEI_SMTP", "smtp://mailer:m4ilpass@relay:25")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        let help = text(&out.stdout);
        // The option and its variable are still named; the value is not.
        assert!(
            help.contains("DATABASE_URL") || help.contains("--database"),
            "{args:?}\n{help}"
        );
        for secret in ["s3cret", "m4ilpass", "postgres://u:"] {
            assert!(!help.contains(secret), "{args:?} shows {secret}:\n{help}");
        }
    }
}
