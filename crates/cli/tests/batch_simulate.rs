//! Batch evaluation and the policy simulator, driven through the binary.

use josei_rules::evaluate::{evaluate_case, SubsidyStatus};
use josei_rules::model::{ExpenseCategory, Industry, TeleworkStatus, Yen};
use josei_rules::regime;
use josei_rules::simulate::{figures_to_case, EmployerFigures};
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

fn tmp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("batch_simulate");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = josei()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn shared_cases() -> Vec<(String, String)> {
    let mut cases: Vec<(String, String)> = std::fs::read_dir(shared().join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.ends_with(".json") && !n.ends_with(".expected.json")
        })
        .map(|p| {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (p.to_string_lossy().into_owned(), v.to_string())
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn batch_equals_one_by_one_and_bad_lines_do_not_stop_it() {
    let cases = shared_cases();
    assert!(cases.len() >= 8);
    // Enough lines for many chunks on every thread, with bad lines among them.
    let mut input = String::new();
    let mut expected: Vec<Option<usize>> = Vec::new(); // per output line: case index or None (error)
    let mut bad_lines = Vec::new();
    let mut line_no = 0;
    for round in 0..120 {
        for (i, (_, json)) in cases.iter().enumerate() {
            input.push_str(json);
            input.push('\n');
            line_no += 1;
            expected.push(Some(i));
        }
        if round % 40 == 7 {
            input.push_str("{\"employer\": 5}\n");
            line_no += 1;
            expected.push(None);
            bad_lines.push(line_no);
            input.push('\n'); // blank: skipped, still counted as a line
            line_no += 1;
        }
    }
    let out = run_stdin(
        &["evaluate", "--batch", "-", "--jobs", "3"],
        input.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), expected.len());

    // One by one, through the same binary.
    let singles: Vec<Value> = cases
        .iter()
        .map(|(path, _)| {
            let o = josei().args(["evaluate", path]).output().unwrap();
            serde_json::from_slice(&o.stdout).unwrap()
        })
        .collect();
    let mut errors_seen = Vec::new();
    for (got, want) in lines.iter().zip(&expected) {
        match want {
            Some(i) => assert_eq!(got, &singles[*i]),
            None => {
                assert_eq!(got["error"]["code"], "wrong_type");
                assert_eq!(got["error"]["field"], "employer");
                assert!(!got["error"]["message"].as_str().unwrap().is_empty());
                errors_seen.push(got["line"].as_u64().unwrap());
            }
        }
    }
    assert_eq!(errors_seen, bad_lines);
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(
        summary.contains(&format!("評価 {}", group(120 * cases.len()))),
        "{summary}"
    );
    assert!(summary.contains("エラー 3"), "{summary}");
    assert!(summary.contains("支給対象額の合計"), "{summary}");
}

#[test]
fn batch_from_a_file_and_a_missing_file() {
    let path = tmp("cases.jsonl");
    let cases = shared_cases();
    std::fs::write(
        &path,
        cases
            .iter()
            .map(|(_, j)| format!("{j}\n"))
            .collect::<String>(),
    )
    .unwrap();
    let out = josei()
        .args(["evaluate", "--batch"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().lines().count(),
        cases.len()
    );
    let out = josei()
        .args(["evaluate", "--batch", "/nonexistent.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

// --- simulate -------------------------------------------------------------------

/// A deterministic population with 92-day periods (so `figures_to_case` applies).
fn population(n: usize) -> Vec<(EmployerFigures, &'static str)> {
    let mut x: u64 = 42;
    let mut next = |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    (0..n)
        .map(|i| {
            let targets = 1 + next(6) as u32;
            let tw = if next(5) == 0 {
                next(u64::from(targets) + 1) as u32
            } else {
                targets
            };
            let mut spending = [Yen(0); 16];
            for c in ExpenseCategory::ALL {
                if next(3) == 0 {
                    spending[*c as usize] = Yen(next(60_000) * 10);
                }
            }
            let employees = next(120);
            let f = EmployerFigures {
                industry: Industry::ALL[next(4) as usize],
                capital_yen: if next(8) == 0 {
                    None
                } else {
                    Some(Yen(next(400) * 1_000_000))
                },
                regular_employees: employees,
                employment_insurance: next(30) != 0,
                telework_status: TeleworkStatus::ALL[next(5) as usize],
                work_rules_have_telework: next(20) == 0,
                received_telework_subsidy: next(25) == 0,
                target_workers: targets,
                direct_target_workers: targets - u32::from(next(10) == 0),
                telework_workers: tw,
                telework_days: tw * (1 + next(20) as u32),
                period_days: 92,
                spending,
                plan_headcount: 5 + next(30),
                plan_separations: next(6),
                eval_headcount: 5 + next(30),
                eval_separations: next(6),
                headcount_at_certification: 5 + next(30),
                headcount_at_goal_start: 5 + next(30),
                goal_teleworkers: next(8),
                productivity_met: next(4) == 0,
                disqualified: next(40) == 0,
                received_other_telework_subsidy: next(10) == 0,
                telework_before_count: next(60),
                goal_telework_days: (next(40) as u32).min(targets * 92),
                wage_increase_met: next(3) == 0,
            };
            let weight = ["1", "2.5", "1", "0.25"][i % 4];
            (f, weight)
        })
        .collect()
}

/// CSV with the columns in a different order from the schema, and an extra one.
fn to_csv(rows: &[(EmployerFigures, &str)]) -> String {
    let mut s = String::from("note,productivity_met,industry,weight,capital_yen,regular_employees,employment_insurance,telework_status,work_rules_have_telework,received_telework_subsidy,target_workers,direct_target_workers,telework_workers,telework_days,period_days");
    for c in ExpenseCategory::ALL {
        s.push_str(&format!(",{c}_yen"));
    }
    s.push_str(",plan_headcount,plan_separations,eval_headcount,eval_separations,headcount_at_certification,headcount_at_goal_start,goal_teleworkers,disqualified,received_other_telework_subsidy,telework_before_count,goal_telework_days,wage_increase_met\r\n");
    for (f, w) in rows {
        s.push_str(&format!(
            "\"x, y\",{},{},{w},{},{},{},{},{},{},{},{},{},{},{}",
            f.productivity_met,
            f.industry,
            f.capital_yen.map(|c| c.0.to_string()).unwrap_or_default(),
            f.regular_employees,
            f.employment_insurance,
            f.telework_status,
            f.work_rules_have_telework,
            f.received_telework_subsidy,
            f.target_workers,
            f.direct_target_workers,
            f.telework_workers,
            f.telework_days,
            f.period_days
        ));
        for c in ExpenseCategory::ALL {
            s.push_str(&format!(",{}", f.spending[*c as usize].0));
        }
        s.push_str(&format!(
            ",{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            f.plan_headcount,
            f.plan_separations,
            f.eval_headcount,
            f.eval_separations,
            f.headcount_at_certification,
            f.headcount_at_goal_start,
            f.goal_teleworkers,
            f.disqualified,
            f.received_other_telework_subsidy,
            f.telework_before_count,
            f.goal_telework_days,
            f.wage_increase_met
        ));
    }
    s
}

fn weight_micro(w: &str) -> u128 {
    match w {
        "1" => 1_000_000,
        "2.5" => 2_500_000,
        "0.25" => 250_000,
        _ => unreachable!(),
    }
}

fn simulate_json(args: &[&str]) -> Value {
    let out = josei()
        .arg("simulate")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn simulate_totals_equal_the_engine_case_by_case_under_every_regime() {
    let rows = population(600);
    let path = tmp("pop.csv");
    std::fs::write(&path, to_csv(&rows)).unwrap();
    for r in regime::all() {
        let report = simulate_json(&[path.to_str().unwrap(), "--regime", &r.id]);
        assert_eq!(report["scenarios"][0]["regime"], r.id.as_str());

        // The full engine on a full case per employer.
        let (mut eq_yen, mut goal_yen, mut eq_n, mut goal_n, mut employers) =
            (0u128, 0u128, 0u128, 0u128, 0u128);
        for (f, w) in &rows {
            let w = weight_micro(w);
            let e = evaluate_case(&figures_to_case(r, f).unwrap(), r, &[]);
            employers += w;
            if e.equipment_subsidy.status == SubsidyStatus::Payable {
                eq_n += w;
                eq_yen += u128::from(e.equipment_subsidy.amount_yen.0) * w;
            }
            if e.goal_subsidy.status == SubsidyStatus::Payable {
                goal_n += w;
                goal_yen += u128::from(e.goal_subsidy.amount_yen.0) * w;
            }
        }
        let round = |micro: u128| (micro + 500_000) / 1_000_000;
        let t = &report["scenarios"][0]["totals"];
        assert_eq!(report["population"]["rows"], 600);
        assert_eq!(t["employers"].as_f64().unwrap(), employers as f64 / 1e6);
        assert_eq!(
            t["equipment_payable"].as_f64().unwrap(),
            eq_n as f64 / 1e6,
            "{}",
            r.id
        );
        assert_eq!(
            t["goal_payable"].as_f64().unwrap(),
            goal_n as f64 / 1e6,
            "{}",
            r.id
        );
        assert_eq!(
            t["equipment_yen"].as_u64().unwrap() as u128,
            round(eq_yen),
            "{}",
            r.id
        );
        assert_eq!(
            t["goal_yen"].as_u64().unwrap() as u128,
            round(goal_yen),
            "{}",
            r.id
        );
        assert!(
            eq_n > 0 && goal_n > 0 && eq_n < employers,
            "a population that exercises the rules of {}",
            r.id
        );

        // The breakdowns add up to the total.
        let sum = |key: &str, dim: &str| -> u64 {
            report["scenarios"][0][dim]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g[key].as_u64().unwrap())
                .sum()
        };
        for dim in ["by_industry", "by_size_band"] {
            let total = sum("total_yen", dim) as i64;
            // Each group rounds its own yen: at most half a yen per group off.
            assert!(
                (total - t["total_yen"].as_i64().unwrap()).abs() <= 14,
                "{dim}"
            );
        }
    }
}

#[test]
fn compare_years_puts_every_regime_side_by_side_with_its_budget() {
    let rows: Vec<_> = population(300).into_iter().map(|(f, _)| (f, "1")).collect();
    let path = tmp("pop_years.csv");
    std::fs::write(&path, to_csv(&rows)).unwrap();
    let p = path.to_str().unwrap();
    let report = simulate_json(&[p, "--compare-years"]);
    let years = report["years"].as_array().unwrap();
    let ids: Vec<&str> = years
        .iter()
        .map(|y| y["regime"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["R3a", "R3b", "R4", "R5", "R6", "R7", "R8"]);
    let budget = |id: &str| years.iter().find(|y| y["regime"] == id).unwrap()["budget_yen"].clone();
    assert_eq!(budget("R4"), 1_800_000_000u64);
    assert_eq!(budget("R5"), 420_000_000u64);
    assert_eq!(budget("R6"), 220_000_000u64);
    assert_eq!(budget("R7"), 140_000_000u64);
    assert_eq!(budget("R8"), 140_000_000u64);
    assert_eq!(budget("R3a"), Value::Null);
    for (y, s) in years.iter().zip(report["scenarios"].as_array().unwrap()) {
        // Each year equals a plain run under that regime.
        let single = simulate_json(&[p, "--regime", y["regime"].as_str().unwrap()]);
        assert_eq!(single["scenarios"][0]["totals"], s["totals"]);
        let total = y["total_yen"].as_u64().unwrap();
        assert_eq!(
            y["cost_per_employer_yen"].as_u64().unwrap(),
            (total + 150) / 300
        );
    }
    // Fixed amounts from 令和7年度: the first subsidy is 200,000 yen per payable employer.
    let r7 = years.iter().find(|y| y["regime"] == "R7").unwrap();
    assert_eq!(
        r7["equipment_yen"].as_u64().unwrap(),
        200_000 * r7["equipment_payable"].as_u64().unwrap()
    );
    let out = josei()
        .args(["simulate", p, "--compare-years"])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "年度ごとの制度の比較",
        "令和4年度（機器等導入助成）",
        "令和8年度（制度導入助成）",
        "予算 140,000,000円",
        "—（予算不明）",
    ] {
        assert!(table.contains(needle), "{needle}\n{table}");
    }
    // Comparing years and a reform at once is refused.
    let out = josei()
        .args(["simulate", p, "--compare-years", "--regime", "R4"])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
}

#[test]
fn reforms_change_exactly_what_they_should() {
    // Whole weights, so that totals are whole yen before any rounding.
    let rows: Vec<_> = population(400).into_iter().map(|(f, _)| (f, "1")).collect();
    let path = tmp("pop_reform.csv");
    std::fs::write(&path, to_csv(&rows)).unwrap();
    let p = path.to_str().unwrap();

    let same = tmp("same.toml");
    std::fs::write(&same, "[reform]\nname = \"変更なし\"\n").unwrap();
    let r = simulate_json(&[p, "--regime", "R4", "--reform", same.to_str().unwrap()]);
    assert_eq!(r["scenarios"][0]["totals"], r["scenarios"][1]["totals"]);
    assert_eq!(
        r["scenarios"][0]["by_industry"],
        r["scenarios"][1]["by_industry"]
    );
    assert_eq!(r["difference"]["total_yen"], 0);

    // Doubling the rate with caps out of reach doubles the equipment subsidy exactly
    // (spending is in 10-yen steps, so 30 % and 60 % are whole yen) and leaves the goal subsidy.
    let doubled = tmp("double.toml");
    std::fs::write(&doubled, "[values]\nequipment_rate_percent = 60\nsubsidy_cap_yen = 100000000\nsubsidy_cap_per_worker_yen = 100000000\ncombined_cap_yen = 1000000000\n").unwrap();
    let plain = tmp("plain.toml");
    std::fs::write(&plain, "[values]\nsubsidy_cap_yen = 100000000\nsubsidy_cap_per_worker_yen = 100000000\ncombined_cap_yen = 1000000000\n").unwrap();
    let a = simulate_json(&[p, "--regime", "R4", "--reform", plain.to_str().unwrap()]);
    let b = simulate_json(&[p, "--regime", "R4", "--reform", doubled.to_str().unwrap()]);
    let (ta, tb) = (&a["scenarios"][1]["totals"], &b["scenarios"][1]["totals"]);
    assert_eq!(
        tb["equipment_yen"].as_u64().unwrap(),
        2 * ta["equipment_yen"].as_u64().unwrap()
    );
    assert_eq!(tb["goal_yen"], ta["goal_yen"]);
    assert_eq!(tb["equipment_payable"], ta["equipment_payable"]);

    // A misspelt parameter is refused, naming the reform file.
    let typo = tmp("typo.toml");
    std::fs::write(&typo, "[values]\nequipment_rate_percnt = 60\n").unwrap();
    let out = josei()
        .args(["simulate", p, "--reform", typo.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("--reform: ") && err.contains("equipment_rate_percnt"),
        "{err}"
    );
}

#[test]
fn budget_table_and_csv_outputs() {
    let rows = population(200);
    let path = tmp("pop_budget.csv");
    std::fs::write(&path, to_csv(&rows)).unwrap();
    let p = path.to_str().unwrap();
    let r = simulate_json(&[p, "--regime", "R4", "--budget", "4.2億"]);
    assert_eq!(r["budget"][0]["budget_yen"], 420_000_000u64);
    assert_eq!(r["budget"][0]["covers_all"], true);
    let r = simulate_json(&[p, "--regime", "R4", "--budget", "100000"]);
    let b = &r["budget"][0];
    assert_eq!(b["covers_all"], false);
    let covered = b["applications_covered"].as_f64().unwrap();
    let avg = b["average_yen_per_application"].as_f64().unwrap();
    assert!(
        covered * avg <= 100_000.0 && (covered + 1.0) * avg > 100_000.0,
        "{b}"
    );

    let out = josei()
        .args(["simulate", p, "--regime", "R4", "--budget", "4.2億"])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "予算シミュレーション",
        "機器等導入助成 支給額",
        "業種別",
        "規模別",
        "予算 420,000,000円",
    ] {
        assert!(table.contains(needle), "{needle}\n{table}");
    }
    assert!(
        table.contains("使われない列を無視しました: note"),
        "{table}"
    );
    let out = josei()
        .args(["simulate", p, "--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("scenario,dimension,group,employers,"));
    assert_eq!(csv.lines().count(), 1 + 1 + 4 + 7);
    let out = josei()
        .args(["simulate", p, "--budget", "lots"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_rows_are_named_by_line_and_column() {
    let rows = population(50);
    let good = to_csv(&rows);
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    lines[7] = lines[7]
        .replacen(",retail,", ",shop,", 1)
        .replacen(",service,", ",shop,", 1)
        .replacen(",wholesale,", ",shop,", 1)
        .replacen(",other,", ",shop,", 1);
    let path = tmp("bad.csv");
    std::fs::write(&path, lines.join("\n")).unwrap();
    let out = josei().args(["simulate"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(":8: 8行目 列 industry: \"shop\" は使えません"),
        "{err}"
    );
    assert!(out.stdout.is_empty());

    // A missing required column is reported from the header.
    std::fs::write(&path, "industry,regular_employees\nretail,5\n").unwrap();
    let out = josei().args(["simulate"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("必須の列がありません: target_workers"));

    // Figures that contradict each other.
    std::fs::write(&path, to_csv(&rows).replacen(",92,", ",0,", 1)).unwrap();
    let out = josei().args(["simulate"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[cfg(feature = "parquet")]
#[test]
fn csv_and_parquet_agree_and_synth_is_deterministic() {
    let csv = tmp("synth.csv");
    let csv2 = tmp("synth2.csv");
    let pq = tmp("synth.parquet");
    for (path, seed) in [(&csv, "9"), (&csv2, "9"), (&pq, "9")] {
        let out = josei()
            .args(["synth", "--employers", "5000", "--seed", seed, "--output"])
            .arg(path)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(std::fs::read(&csv).unwrap(), std::fs::read(&csv2).unwrap());
    let a = simulate_json(&[csv.to_str().unwrap()]);
    let b = simulate_json(&[pq.to_str().unwrap(), "--jobs", "3"]);
    assert_eq!(a["scenarios"], b["scenarios"]);
    assert_eq!(a["population"]["rows"], 5000);
    // Another seed, another population.
    let out = josei()
        .args(["synth", "--employers", "5", "--seed", "10"])
        .output()
        .unwrap();
    let other = String::from_utf8(out.stdout).unwrap();
    assert_ne!(
        other.lines().nth(1),
        std::fs::read_to_string(&csv).unwrap().lines().nth(1)
    );
}

/// `1560` → `1,560`.
fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
