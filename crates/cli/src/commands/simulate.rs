//! `josei simulate`.

use super::evaluate::{jobs_or_cores, open_input};
use crate::args::*;
use crate::output::*;
use crate::{population, simulate_cmd};
use josei_rules::{regime, ErrorCode, InputError};

#[allow(clippy::too_many_arguments)]
pub fn cmd_simulate(
    population: &str,
    reform: Option<&str>,
    budget: Option<&str>,
    regime_id: Option<&str>,
    compare_years: bool,
    format: SimFormat,
    jobs: Option<usize>,
    parse_only: bool,
) -> Result<(), Failure> {
    use simulate_cmd::Scenario;
    let input_error = |field: &str, message: String| InputError {
        code: ErrorCode::OutOfRange,
        field: field.to_string(),
        message,
    };
    let base = match regime_id {
        Some(id) => regime::by_id(id).ok_or_else(|| InputError {
            code: ErrorCode::UnknownRegime,
            field: "--regime".into(),
            message: format!(
                "制度 {id:?} はありません。使える制度: {}",
                regime::coverage_summary()
            ),
        })?,
        None => regime::all()
            .last()
            .ok_or_else(|| Failure::Other("制度データがありません".into()))?,
    };
    let budget = budget
        .map(|b| {
            simulate_cmd::parse_budget(b).ok_or_else(|| {
                input_error(
                    "--budget",
                    format!("{b:?} は金額として読めません（例: 420000000、4.2億、42000万）"),
                )
            })
        })
        .transpose()?;
    let mut scenarios = if compare_years {
        regime::all()
            .iter()
            .map(|r| Scenario {
                name: r.name.clone(),
                regime: r.clone(),
            })
            .collect()
    } else {
        vec![Scenario {
            name: "基準".into(),
            regime: base.clone(),
        }]
    };
    if let Some(path) = reform {
        let text = std::fs::read_to_string(path)
            .map_err(|e| input_error("--reform", format!("{path} を読めません: {e}")))?;
        let r = josei_rules::regime::Reform::from_toml_with_base(
            regime::set(),
            &text,
            regime_id.map(|_| base.id.as_str()),
        )
        .map_err(|e| input_error("--reform", format!("{path}: {}", e.trim())))?;
        scenarios.push(Scenario {
            name: r.name,
            regime: r.regime,
        });
    }
    if parse_only {
        scenarios.clear();
    }
    let scenarios = std::sync::Arc::new(scenarios);
    let jobs = jobs_or_cores(jobs);
    let row_error = |e: population::RowError| InputError {
        code: ErrorCode::OutOfRange,
        field: if e.line == 0 {
            population.to_string()
        } else {
            format!("{population}:{}", e.line)
        },
        message: e.to_string(),
    };
    let outcome = if population.ends_with(".parquet") {
        #[cfg(feature = "parquet")]
        {
            simulate_cmd::run_parquet(population, std::sync::Arc::clone(&scenarios), jobs)
                .map_err(row_error)?
        }
        #[cfg(not(feature = "parquet"))]
        {
            return Err(input_error(population, "この josei は Parquet に対応していません（--features parquet でビルドしてください）".into()).into());
        }
    } else {
        let (input, size) = open_input(population)?;
        simulate_cmd::run_csv(input, size, std::sync::Arc::clone(&scenarios), jobs)
            .map_err(row_error)?
    };
    if parse_only {
        eprintln!("{} rows parsed in {:.2} s", outcome.rows, outcome.seconds);
        return Ok(());
    }
    let text = match format {
        SimFormat::Table if compare_years => {
            simulate_cmd::render_years_table(population, &scenarios, &outcome)
        }
        SimFormat::Table => simulate_cmd::render_table(population, &scenarios, &outcome, budget),
        SimFormat::Json => {
            simulate_cmd::render_json(population, &scenarios, &outcome, budget, compare_years)
        }
        SimFormat::Csv => simulate_cmd::render_csv(&scenarios, &outcome),
    };
    write_stdout(&text)
}
