//! `docs/rules-map.md` is true: every citation the engine can carry has a
//! row naming its check ids, functions and tests, each of which exists, and
//! every row's passage is found, after Unicode NFKC normalisation, in the
//! seed documents (or, for the years the seeds do not cover, in the research
//! notes).

use josei_rules::evaluate::{evaluate_case, CITATIONS};
use josei_rules::model::{Industry, TeleworkStatus, Yen};
use josei_rules::regime;
use josei_rules::simulate::{figures_to_case, EmployerFigures};
use josei_rules::{evaluate, parse_case};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared() -> PathBuf {
    std::env::var_os("JOSEI_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// NFKC, without whitespace (the seeds break lines inside words) and with
/// the wave dash and its look-alikes unified.
fn normalise(text: &str) -> String {
    text.nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '〜' | '～' => '~',
            c => c,
        })
        .collect()
}

/// One row of the map.
#[derive(Debug)]
struct Row {
    citation: String,
    checks: Vec<String>,
    functions: Vec<String>,
    tests: Vec<String>,
    source: String,
    /// The quoted passages (「…」), each of which must be found.
    passages: Vec<String>,
}

fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(|c| c.trim().trim_matches('`').to_string())
        .collect()
}

fn list(cell: &str) -> Vec<String> {
    cell.split(',')
        .map(|s| s.trim().trim_matches('`').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn rows() -> Vec<Row> {
    let text = read(&repo().join("docs/rules-map.md"));
    let mut rows = Vec::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.starts_with("| Citation") {
            in_table = true;
            continue;
        }
        if in_table && line.starts_with("|---") {
            continue;
        }
        if in_table && line.starts_with('|') {
            let c = cells(line);
            assert_eq!(c.len(), 6, "a row of six cells: {line}");
            rows.push(Row {
                citation: c[0].clone(),
                checks: list(&c[1]),
                functions: list(&c[2]),
                tests: list(&c[3]),
                source: c[4].clone(),
                passages: c[5]
                    .split('「')
                    .skip(1)
                    .filter_map(|q| q.split_once('」').map(|(q, _)| q.to_string()))
                    .collect(),
            });
        } else {
            in_table = false;
        }
    }
    assert!(!rows.is_empty(), "docs/rules-map.md has no table");
    rows
}

fn sample() -> EmployerFigures {
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
        spending: [Yen(100_000); 16],
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

/// The (check id → citations) the engine produced on the shared cases and on
/// a new, a trial and an expanding employer in every regime.
fn observed() -> BTreeMap<String, BTreeSet<String>> {
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut record = |e: &josei_rules::Evaluation| {
        let all = e
            .equipment_subsidy
            .checks
            .iter()
            .chain(&e.goal_subsidy.checks);
        for c in all {
            seen.entry(c.id.to_string())
                .or_default()
                .insert(c.citation.to_string());
        }
    };
    let dir = shared().join("cases");
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".json") && !name.ends_with(".expected.json") {
            let parsed = parse_case(&read(&path), jiff::civil::date(2026, 11, 21))
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            record(&evaluate(&parsed));
        }
    }
    for r in regime::all() {
        for status in [
            TeleworkStatus::None,
            TeleworkStatus::TrialOngoing,
            TeleworkStatus::Established,
            TeleworkStatus::Expanding,
        ] {
            let f = EmployerFigures {
                telework_status: status,
                telework_before_count: 10,
                ..sample()
            };
            if let Some(case) = figures_to_case(r, &f) {
                record(&evaluate_case(&case, r, &[]));
            }
        }
    }
    seen
}

#[test]
fn every_citation_has_one_row_and_every_row_a_citation() {
    let rows = rows();
    let in_map: Vec<&str> = rows.iter().map(|r| r.citation.as_str()).collect();
    for c in CITATIONS {
        assert_eq!(
            in_map.iter().filter(|m| *m == c).count(),
            1,
            "{c} needs exactly one row in docs/rules-map.md"
        );
    }
    for m in &in_map {
        assert!(
            CITATIONS.contains(m),
            "{m} is in the map but no check cites it"
        );
    }
}

#[test]
fn every_check_the_engine_makes_is_mapped_to_its_citation() {
    let rows = rows();
    let observed = observed();
    assert!(observed.len() >= 20, "too few checks seen: {observed:?}");
    for (id, citations) in &observed {
        for c in citations {
            let row = rows.iter().find(|r| &r.citation == c).unwrap();
            assert!(
                row.checks.contains(id),
                "check {id} cites {c}: add it to that row of docs/rules-map.md"
            );
        }
    }
    for r in &rows {
        for id in &r.checks {
            assert!(
                observed.get(id).is_some_and(|c| c.contains(&r.citation)),
                "the map says {id} cites {}, the engine never does",
                r.citation
            );
        }
    }
}

#[test]
fn functions_and_tests_named_in_the_map_exist() {
    let src = read(&repo().join("crates/rules/src/evaluate.rs"));
    let mut tests = String::new();
    for dir in ["crates/rules/tests", "crates/rules/src"] {
        for entry in std::fs::read_dir(repo().join(dir)).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_some_and(|e| e == "rs") {
                tests.push_str(&read(&p));
            }
        }
    }
    for r in rows() {
        assert!(
            !r.functions.is_empty() && !r.tests.is_empty(),
            "{}",
            r.citation
        );
        for f in &r.functions {
            assert!(
                src.contains(&format!("fn {f}(")),
                "{}: no fn {f} in evaluate.rs",
                r.citation
            );
        }
        for t in &r.tests {
            let at = tests
                .find(&format!("fn {t}("))
                .unwrap_or_else(|| panic!("{}: no test fn {t}", r.citation));
            let before = &tests[..at];
            let attr = before
                .rfind("#[test]")
                .map(|i| at - i < 200)
                .unwrap_or(false)
                || before.trim_end().ends_with("#[test]");
            assert!(attr, "{}: {t} is not a test", r.citation);
        }
    }
}

#[test]
fn every_passage_is_found_in_its_source_after_nfkc() {
    let seeds_dir = shared().join("seeds");
    let mut seeds = String::new();
    for entry in
        std::fs::read_dir(&seeds_dir).unwrap_or_else(|e| panic!("{}: {e}", seeds_dir.display()))
    {
        seeds.push_str(&normalise(&read(&entry.unwrap().path())));
    }
    let research = normalise(&read(&shared().join("research/regimes-sources.md")));
    // The seeds are written partly in compatibility ideographs (⽀ for 支):
    // without NFKC the passages would not be found.
    assert!(seeds.contains(&normalise("支給要領")));
    for r in rows() {
        assert!(
            !r.passages.is_empty(),
            "{}: quote a passage 「…」",
            r.citation
        );
        let haystack = match r.source.as_str() {
            "seed" => &seeds,
            "research" => &research,
            other => panic!("{}: source is seed or research, not {other}", r.citation),
        };
        for p in &r.passages {
            assert!(
                p.chars().count() >= 6,
                "{}: 「{p}」 is too short to prove anything",
                r.citation
            );
            assert!(
                haystack.contains(&normalise(p)),
                "{}: 「{p}」 is not in the {}",
                r.citation,
                r.source
            );
        }
    }
}
