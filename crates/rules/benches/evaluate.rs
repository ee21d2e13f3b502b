//! Evaluation speed on a large case: 50 target workers, 10,000 telework records,
//! 100 roster entries, 40 expenses.
//!
//! Run: `cargo bench -p josei-rules --bench evaluate`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use jiff::civil::date;
use josei_rules::model::{Industry, TeleworkStatus, Yen};
use josei_rules::simulate::{simulate_employer, Aggregate, EmployerFigures};
use josei_rules::{evaluate, parse_case};
use serde_json::{json, Value};
use std::hint::black_box;

/// A deterministic large case (no randomness: same input every run).
fn large_case() -> String {
    let targets: Vec<Value> = (0..50)
        .map(|i| json!({"id": format!("E{i:03}"), "employment": if i % 10 == 0 { "dispatched" } else { "direct" }}))
        .collect();
    let places = ["home", "satellite_office", "mobile", "office"];
    let mut telework = Vec::with_capacity(10_000);
    let start = date(2022, 8, 1);
    for n in 0..10_000u32 {
        // Spread over period 1 and period 2 and beyond, several workers a day.
        let day = start
            .checked_add(jiff::Span::new().days(i64::from(n % 500)))
            .unwrap();
        telework.push(json!({
            "worker": format!("E{:03}", (n * 7) % 60),
            "date": day.to_string(),
            "place": places[(n % 4) as usize],
        }));
    }
    let roster: Vec<Value> = (0..100)
        .map(|i| {
            if i % 9 == 0 {
                json!({"id": format!("E{i:03}"), "hired_on": "2015-04-01", "left_on": "2023-01-31", "leave_reason": "voluntary"})
            } else {
                json!({"id": format!("E{i:03}"), "hired_on": "2015-04-01"})
            }
        })
        .collect();
    let cats = [
        "network_equipment",
        "server_equipment",
        "web_conference_equipment",
        "consulting",
        "work_rules",
    ];
    let expenses: Vec<Value> = (0..40)
        .map(|i| json!({"id": format!("X{i}"), "category": cats[i % cats.len()], "amount_yen": 12_345 * (i + 1),
            "delivered_on": "2022-07-11", "paid_on": "2022-07-29"}))
        .collect();
    json!({
        "as_of": "2024-01-15",
        "employer": {"name": "ベンチマーク株式会社", "industry": "other", "capital_yen": 100000000,
            "regular_employees": 100, "employment_insurance": true, "telework_status": "none",
            "work_rules_have_telework": false, "received_telework_subsidy": false},
        "plan": {"submitted_on": "2022-06-15", "certified_on": "2022-07-01", "target_workers": targets},
        "work_rules_established_on": "2022-07-20",
        "evaluation_start": "2022-08-01",
        "telework": telework,
        "expenses": expenses,
        "roster": roster,
        "equipment_application_filed_on": "2022-11-25",
        "goal_application_filed_on": "2023-11-20",
        "productivity": {"met": false}
    })
    .to_string()
}

fn bench(c: &mut Criterion) {
    let json = large_case();
    let parsed = parse_case(&json, date(2024, 1, 15)).unwrap();
    assert_eq!(parsed.case.telework.len(), 10_000);
    c.bench_function("evaluate 50 workers, 10k telework records", |b| {
        b.iter(|| evaluate(black_box(&parsed)))
    });
    c.bench_function("parse + evaluate + serialize, same case", |b| {
        b.iter(|| {
            let p = parse_case(black_box(&json), date(2024, 1, 15)).unwrap();
            serde_json::to_vec(&evaluate(&p)).unwrap()
        })
    });
    let small = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/cases/01-standard-success.json"
    ));
    if let Ok(small) = small {
        let p = parse_case(&small, date(2024, 1, 15)).unwrap();
        c.bench_function("evaluate shared case 01", |b| {
            b.iter(|| evaluate(black_box(&p)))
        });
    }
}

/// 100,000 varied employers (a fixed linear congruential sequence).
fn figures() -> Vec<EmployerFigures> {
    let mut x: u64 = 7;
    let mut next = |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    (0..100_000)
        .map(|_| {
            let targets = 1 + next(10) as u32;
            let mut spending = [Yen(0); 16];
            for s in spending.iter_mut() {
                if next(3) == 0 {
                    *s = Yen(next(500_000));
                }
            }
            EmployerFigures {
                industry: Industry::ALL[next(4) as usize],
                capital_yen: (next(6) != 0).then(|| Yen(next(400_000_000))),
                regular_employees: next(400),
                employment_insurance: next(50) != 0,
                telework_status: TeleworkStatus::ALL[next(5) as usize],
                work_rules_have_telework: next(15) == 0,
                received_telework_subsidy: next(30) == 0,
                target_workers: targets,
                direct_target_workers: targets,
                telework_workers: targets - (next(4) == 0) as u32,
                telework_days: targets * 10,
                period_days: 92,
                spending,
                plan_headcount: 10 + next(50),
                plan_separations: next(8),
                eval_headcount: 10 + next(50),
                eval_separations: next(8),
                headcount_at_certification: 10 + next(50),
                headcount_at_goal_start: 10 + next(50),
                goal_teleworkers: next(12),
                productivity_met: next(4) == 0,
                disqualified: next(50) == 0,
                received_other_telework_subsidy: next(20) == 0,
                telework_before_count: next(40),
                goal_telework_days: targets * (5 + next(10) as u32),
                wage_increase_met: next(3) == 0,
            }
        })
        .collect()
}

fn bench_simulate(c: &mut Criterion) {
    let figs = figures();
    let mut g = c.benchmark_group("simulate");
    g.throughput(Throughput::Elements(figs.len() as u64));
    // A plan regime (expense-based) and a no-plan regime (fixed amounts).
    for id in ["R4", "R6", "R8"] {
        let r = josei_rules::regime::by_id(id).unwrap();
        g.bench_function(format!("simulate_employer {id} x100k"), |b| {
            b.iter(|| {
                for f in &figs {
                    black_box(simulate_employer(r, black_box(f)));
                }
            })
        });
    }
    let r6 = josei_rules::regime::by_id("R6").unwrap();
    g.bench_function("simulate_employer R6 + aggregate x100k", |b| {
        b.iter(|| {
            let mut agg = Aggregate::default();
            for f in &figs {
                agg.add(f, &simulate_employer(r6, f), 1_000_000);
            }
            black_box(agg)
        })
    });
    g.finish();
}

criterion_group!(benches, bench, bench_simulate);
criterion_main!(benches);
