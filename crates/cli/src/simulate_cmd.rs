//! `josei simulate`: the budget cost of the course over a population, and of a
//! reform of it, side by side.

use crate::pipeline::{self, group_digits, Progress};
use crate::population::{build_row, csv_cells, map_header, Layout, RowError};
use josei_rules::model::Industry;
use josei_rules::regime::Regime;
use josei_rules::simulate::{simulate_employer, Aggregate, Totals, SIZE_BANDS, WEIGHT_SCALE};
use serde::Serialize;
use std::io::BufRead;
use std::sync::Arc;

/// A named regime to evaluate the population under.
pub struct Scenario {
    pub name: String,
    pub regime: Regime,
}

/// Everything a run found.
pub struct Outcome {
    pub rows: u64,
    /// One aggregate per scenario, in order.
    pub aggregates: Vec<Aggregate>,
    pub unknown_columns: Vec<String>,
    pub seconds: f64,
}

type ChunkResult = (Vec<Aggregate>, Option<RowError>);

fn evaluate_rows<'a>(
    scenarios: &[Scenario],
    rows: impl Iterator<Item = Result<(josei_rules::simulate::EmployerFigures, u64), RowError>> + 'a,
) -> ChunkResult {
    let mut aggs = vec![Aggregate::default(); scenarios.len().max(1)];
    for row in rows {
        match row {
            Ok((f, w)) if scenarios.is_empty() => {
                // Parsing only (benchmark): count the row.
                std::hint::black_box((f, w));
                aggs[0].rows += 1;
            }
            Ok((f, w)) => {
                for (s, agg) in scenarios.iter().zip(aggs.iter_mut()) {
                    agg.add(&f, &simulate_employer(&s.regime, &f), w);
                }
            }
            Err(e) => return (aggs, Some(e)),
        }
    }
    (aggs, None)
}

fn merge_into(total: &mut Vec<Aggregate>, part: &[Aggregate]) {
    if total.is_empty() {
        total.extend(part.iter().cloned());
    } else {
        for (t, p) in total.iter_mut().zip(part) {
            t.merge(p);
        }
    }
}

/// Simulates a CSV population read from `input`.
pub fn run_csv(
    mut input: Box<dyn BufRead + Send>,
    size: Option<u64>,
    scenarios: Arc<Vec<Scenario>>,
    jobs: usize,
) -> Result<Outcome, RowError> {
    let io_err = |e: std::io::Error| RowError {
        line: 0,
        column: String::new(),
        message: format!("読み込めません: {e}"),
    };
    let mut header = Vec::new();
    input.read_until(b'\n', &mut header).map_err(io_err)?;
    let header = header.strip_suffix(b"\n").unwrap_or(&header);
    let header = header.strip_suffix(b"\r").unwrap_or(header);
    if header.is_empty() {
        return Err(RowError {
            line: 1,
            column: String::new(),
            message: "見出し行がありません（空のファイル）".into(),
        });
    }
    let (map, unknown_columns) = map_header(header)?;
    let layout = Arc::new(Layout::new(&map));
    let mut progress = Progress::new("シミュレーション中", size);
    let mut aggregates: Vec<Aggregate> = Vec::new();
    let mut first_error: Option<RowError> = None;
    let mut rows_seen = 0u64;
    let mut bytes = 0u64;
    let work_scenarios = Arc::clone(&scenarios);
    pipeline::run_from(
        input,
        &mut std::io::sink(),
        jobs,
        1 << 16,
        2,
        4096,
        move |chunk| {
            let layout = Arc::clone(&layout);
            let rows = chunk.lines().filter_map(move |(line_no, line)| {
                let line = match line {
                    None => {
                        return Some(Err(RowError {
                            line: line_no,
                            column: String::new(),
                            message: "行が長すぎます".into(),
                        }))
                    }
                    Some(l) if l.iter().all(u8::is_ascii_whitespace) => return None,
                    Some(l) => l,
                };
                Some(csv_cells(line, &layout, line_no).and_then(|cells| build_row(&cells, line_no)))
            });
            (Vec::new(), evaluate_rows(&work_scenarios, rows))
        },
        |done| {
            let (aggs, err) = &done.stats;
            if first_error.is_none() {
                first_error = err.clone();
            }
            merge_into(&mut aggregates, aggs);
            rows_seen += done.lines;
            bytes += done.bytes;
            progress.update(rows_seen, bytes);
        },
    )
    .map_err(io_err)?;
    progress.finish();
    if let Some(e) = first_error {
        return Err(e);
    }
    if aggregates.is_empty() {
        aggregates = vec![Aggregate::default(); scenarios.len().max(1)];
    }
    Ok(Outcome {
        rows: aggregates[0].rows,
        aggregates,
        unknown_columns,
        seconds: progress.elapsed(),
    })
}

/// Simulates a Parquet population.
#[cfg(feature = "parquet")]
pub fn run_parquet(
    path: &str,
    scenarios: Arc<Vec<Scenario>>,
    jobs: usize,
) -> Result<Outcome, RowError> {
    let started = std::time::Instant::now();
    let n = scenarios.len();
    let work = Arc::clone(&scenarios);
    let parts = crate::parquet_io::for_each_row_group(
        path,
        jobs,
        move |rows, first| {
            let (aggs, err) = evaluate_rows(
                &work,
                rows.iter()
                    .enumerate()
                    .map(|(k, cells)| build_row(cells, first + k as u64)),
            );
            match err {
                Some(e) => Err(e),
                None => Ok(aggs),
            }
        },
        move || vec![Aggregate::default(); n.max(1)],
        |acc: &mut Vec<Aggregate>, part| merge_into(acc, &part),
    )?;
    let mut aggregates = vec![Aggregate::default(); scenarios.len().max(1)];
    for p in &parts {
        merge_into(&mut aggregates, p);
    }
    Ok(Outcome {
        rows: aggregates[0].rows,
        aggregates,
        unknown_columns: Vec::new(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

// ---------------------------------------------------------------------------
// Reporting.

/// Yen × millionths → whole yen, rounded half up.
fn yen(micro: u128) -> u128 {
    (micro + u128::from(WEIGHT_SCALE) / 2) / u128::from(WEIGHT_SCALE)
}

/// A weighted count as text: whole when whole, else up to six decimals.
fn count_text(micro: u128) -> String {
    let scale = u128::from(WEIGHT_SCALE);
    let whole = group_digits(micro / scale);
    match micro % scale {
        0 => whole,
        frac => format!("{whole}.{}", format!("{frac:06}").trim_end_matches('0')),
    }
}

fn count_number(micro: u128) -> serde_json::Value {
    let scale = u128::from(WEIGHT_SCALE);
    if micro.is_multiple_of(scale) {
        serde_json::Value::from((micro / scale) as u64)
    } else {
        serde_json::Value::from(micro as f64 / scale as f64)
    }
}

#[derive(Serialize)]
struct TotalsOut {
    employers: serde_json::Value,
    equipment_payable: serde_json::Value,
    equipment_yen: u128,
    goal_payable: serde_json::Value,
    goal_yen: u128,
    total_yen: u128,
}

impl From<&Totals> for TotalsOut {
    fn from(t: &Totals) -> Self {
        TotalsOut {
            employers: count_number(t.employers),
            equipment_payable: count_number(t.equipment_payable),
            equipment_yen: yen(t.equipment_yen),
            goal_payable: count_number(t.goal_payable),
            goal_yen: yen(t.goal_yen),
            total_yen: yen(t.equipment_yen) + yen(t.goal_yen),
        }
    }
}

#[derive(Serialize)]
struct Group {
    group: &'static str,
    #[serde(flatten)]
    totals: TotalsOut,
}

#[derive(Serialize)]
struct ScenarioOut {
    name: String,
    regime: String,
    totals: TotalsOut,
    by_industry: Vec<Group>,
    by_size_band: Vec<Group>,
}

#[derive(Serialize)]
struct Difference {
    employers_equipment_payable: f64,
    equipment_yen: i128,
    goal_yen: i128,
    total_yen: i128,
}

#[derive(Serialize)]
struct BudgetOut {
    scenario: String,
    budget_yen: u128,
    applications: serde_json::Value,
    cost_yen: u128,
    average_yen_per_application: Option<u128>,
    applications_covered: serde_json::Value,
    covers_all: bool,
}

#[derive(Serialize)]
struct Report {
    population: PopulationOut,
    scenarios: Vec<ScenarioOut>,
    difference: Option<Difference>,
    budget: Vec<BudgetOut>,
    /// `--compare-years`: one entry per regime, with its fiscal year's budget.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    years: Vec<YearOut>,
}

/// One fiscal year's design applied to the population.
#[derive(Serialize)]
struct YearOut {
    regime: String,
    name: String,
    first_subsidy: &'static str,
    #[serde(flatten)]
    totals: TotalsOut,
    /// Total cost ÷ employers in the population, in yen (rounded half up).
    cost_per_employer_yen: Option<u128>,
    /// The course's budget that fiscal year, when known, with its grade.
    budget_yen: Option<u64>,
    budget_grade: Option<josei_rules::regime::Grade>,
    /// Cost as a percentage of that budget, two decimals.
    cost_percent_of_budget: Option<f64>,
}

fn first_subsidy_name(r: &Regime) -> &'static str {
    match r.kind {
        josei_rules::regime::RegimeKind::Plan => "機器等導入助成",
        josei_rules::regime::RegimeKind::NoPlan => "制度導入助成",
    }
}

fn year_out(s: &Scenario, a: &Aggregate) -> YearOut {
    let t = &a.total;
    let total = yen(t.equipment_yen) + yen(t.goal_yen);
    let scale = u128::from(WEIGHT_SCALE);
    let budget = s.regime.budget.as_ref();
    YearOut {
        regime: s.regime.id.clone(),
        name: s.regime.name.clone(),
        first_subsidy: first_subsidy_name(&s.regime),
        totals: t.into(),
        cost_per_employer_yen: (t.employers > 0)
            .then(|| (t.total_yen() * scale / t.employers + scale / 2) / scale),
        budget_yen: budget.map(|b| b.yen),
        budget_grade: budget.map(|b| b.provenance.grade),
        cost_percent_of_budget: budget
            .filter(|b| b.yen > 0)
            .map(|b| (total * 10_000 / u128::from(b.yen)) as f64 / 100.0),
    }
}

#[derive(Serialize)]
struct PopulationOut {
    file: String,
    rows: u64,
    seconds: f64,
}

fn industry_label(i: usize) -> &'static str {
    match Industry::ALL[i] {
        Industry::Retail => "小売業（飲食店を含む）",
        Industry::Service => "サービス業",
        Industry::Wholesale => "卸売業",
        Industry::Other => "その他の業種",
    }
}

/// How many applications `budget` covers, in millionths: all of them when the
/// cost fits, else the whole applications it pays at their average cost.
/// Returns (applications, cost in yen, applications covered, covers all).
fn coverage(t: &Totals, budget: u128) -> (u128, u128, u128, bool) {
    let applications = t.equipment_payable + t.goal_payable;
    let cost = yen(t.equipment_yen) + yen(t.goal_yen);
    let scale = u128::from(WEIGHT_SCALE);
    let covers_all = cost <= budget;
    let covered = if covers_all {
        applications
    } else {
        (budget * applications / cost) / scale * scale
    };
    (applications, cost, covered, covers_all)
}

fn budget_out(name: &str, t: &Totals, budget: u128) -> BudgetOut {
    let (applications, cost, covered, covers_all) = coverage(t, budget);
    BudgetOut {
        scenario: name.to_string(),
        budget_yen: budget,
        applications: count_number(applications),
        cost_yen: cost,
        average_yen_per_application: (applications > 0)
            .then(|| cost * u128::from(WEIGHT_SCALE) / applications),
        applications_covered: count_number(covered),
        covers_all,
    }
}

fn scenario_out(s: &Scenario, a: &Aggregate) -> ScenarioOut {
    ScenarioOut {
        name: s.name.clone(),
        regime: s.regime.id.clone(),
        totals: (&a.total).into(),
        by_industry: a
            .by_industry
            .iter()
            .enumerate()
            .map(|(i, t)| Group {
                group: Industry::ALL[i].as_str(),
                totals: t.into(),
            })
            .collect(),
        by_size_band: a
            .by_size
            .iter()
            .enumerate()
            .map(|(i, t)| Group {
                group: SIZE_BANDS[i].0,
                totals: t.into(),
            })
            .collect(),
    }
}

fn report(
    file: &str,
    scenarios: &[Scenario],
    o: &Outcome,
    budget: Option<u128>,
    years: bool,
) -> Report {
    let outs: Vec<ScenarioOut> = scenarios
        .iter()
        .zip(&o.aggregates)
        .map(|(s, a)| scenario_out(s, a))
        .collect();
    let difference = (o.aggregates.len() == 2).then(|| {
        let (a, b) = (&o.aggregates[0].total, &o.aggregates[1].total);
        Difference {
            employers_equipment_payable: (b.equipment_payable as f64 - a.equipment_payable as f64)
                / WEIGHT_SCALE as f64,
            equipment_yen: yen(b.equipment_yen) as i128 - yen(a.equipment_yen) as i128,
            goal_yen: yen(b.goal_yen) as i128 - yen(a.goal_yen) as i128,
            total_yen: (yen(b.equipment_yen) + yen(b.goal_yen)) as i128
                - (yen(a.equipment_yen) + yen(a.goal_yen)) as i128,
        }
    });
    let budget = budget
        .map(|b| {
            scenarios
                .iter()
                .zip(&o.aggregates)
                .map(|(s, a)| budget_out(&s.name, &a.total, b))
                .collect()
        })
        .unwrap_or_default();
    Report {
        population: PopulationOut {
            file: file.to_string(),
            rows: o.rows,
            seconds: o.seconds,
        },
        scenarios: outs,
        difference,
        budget,
        years: if years {
            scenarios
                .iter()
                .zip(&o.aggregates)
                .map(|(s, a)| year_out(s, a))
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// `--compare-years` as a table: one line per fiscal year.
pub fn render_years_table(file: &str, scenarios: &[Scenario], o: &Outcome) -> String {
    let mut out = String::new();
    out.push_str("人材確保等支援助成金（テレワークコース） 年度ごとの制度の比較\n");
    out.push_str(&format!(
        "母集団: {file}（{} 行、{:.2} 秒）。同じ事業主を各年度の制度で評価した場合\n\n",
        group_digits(o.rows),
        o.seconds
    ));
    let cols: [(&str, usize); 8] = [
        ("年度", 46),
        ("第1の助成 件数", 16),
        ("支給額", 18),
        ("目標達成助成 件数", 18),
        ("支給額", 18),
        ("合計", 18),
        ("1社あたり", 12),
        ("予算に対する割合", 36),
    ];
    for (i, (name, w)) in cols.iter().enumerate() {
        out.push_str(&if i == 0 {
            pad(name, *w)
        } else {
            rpad(name, *w)
        });
    }
    out.push('\n');
    for (s, a) in scenarios.iter().zip(&o.aggregates) {
        let y = year_out(s, a);
        let budget = match (y.budget_yen, y.cost_percent_of_budget) {
            (Some(b), Some(p)) => format!("{p:.2}％（予算 {}円）", group_digits(u128::from(b))),
            _ => "—（予算不明）".to_string(),
        };
        let cells = [
            format!("{}（{}）", y.name, y.first_subsidy),
            count_text(a.total.equipment_payable),
            format!("{}円", group_digits(y.totals.equipment_yen)),
            count_text(a.total.goal_payable),
            format!("{}円", group_digits(y.totals.goal_yen)),
            format!("{}円", group_digits(y.totals.total_yen)),
            y.cost_per_employer_yen
                .map_or("—".to_string(), |c| format!("{}円", group_digits(c))),
            budget,
        ];
        for (i, (cell, (_, w))) in cells.iter().zip(cols.iter()).enumerate() {
            out.push_str(&if i == 0 {
                pad(cell, *w)
            } else {
                rpad(cell, *w)
            });
        }
        out.push('\n');
    }
    out.push_str("\n予算は各年度の当初予算（令和3年度は不明）。令和7年度からは定額の助成で、経費の額は支給額に影響しません。\n");
    if !o.unknown_columns.is_empty() {
        out.push_str(&format!(
            "\n注意: 使われない列を無視しました: {}\n",
            o.unknown_columns.join(", ")
        ));
    }
    out
}

/// The report as JSON.
pub fn render_json(
    file: &str,
    scenarios: &[Scenario],
    o: &Outcome,
    budget: Option<u128>,
    years: bool,
) -> String {
    let mut s = serde_json::to_string_pretty(&report(file, scenarios, o, budget, years))
        .unwrap_or_default();
    s.push('\n');
    s
}

/// The report as CSV: one line per scenario × dimension × group.
pub fn render_csv(scenarios: &[Scenario], o: &Outcome) -> String {
    let mut out = String::from("scenario,dimension,group,employers,equipment_payable,equipment_yen,goal_payable,goal_yen,total_yen\n");
    let line = |out: &mut String, s: &str, dim: &str, group: &str, t: &Totals| {
        let plain = |m: u128| count_text(m).replace(',', "");
        out.push_str(&format!(
            "{s},{dim},{group},{},{},{},{},{},{}\n",
            plain(t.employers),
            plain(t.equipment_payable),
            yen(t.equipment_yen),
            plain(t.goal_payable),
            yen(t.goal_yen),
            yen(t.equipment_yen) + yen(t.goal_yen)
        ));
    };
    for (s, a) in scenarios.iter().zip(&o.aggregates) {
        line(&mut out, &s.name, "total", "all", &a.total);
        for (i, t) in a.by_industry.iter().enumerate() {
            line(&mut out, &s.name, "industry", Industry::ALL[i].as_str(), t);
        }
        for (i, t) in a.by_size.iter().enumerate() {
            line(&mut out, &s.name, "size_band", SIZE_BANDS[i].0, t);
        }
    }
    out
}

/// The report as a table for the terminal, in Japanese.
pub fn render_table(
    file: &str,
    scenarios: &[Scenario],
    o: &Outcome,
    budget: Option<u128>,
) -> String {
    let mut out = String::new();
    out.push_str("人材確保等支援助成金（テレワークコース） 予算シミュレーション\n");
    out.push_str(&format!(
        "母集団: {file}（{} 行、{:.2} 秒）\n\n",
        group_digits(o.rows),
        o.seconds
    ));
    let names: Vec<String> = scenarios
        .iter()
        .map(|s| format!("{}（{}）", s.name, s.regime.id))
        .collect();
    let two = o.aggregates.len() == 2;
    let width = 22;
    let header = |out: &mut String, title: &str| {
        out.push_str(&pad(title, 28));
        for n in &names {
            out.push_str(&rpad(n, width));
        }
        if two {
            out.push_str(&rpad("差", width));
        }
        out.push('\n');
    };
    let row = |out: &mut String, label: &str, values: Vec<u128>, yen_unit: bool| {
        out.push_str(&pad(label, 28));
        for &v in &values {
            let text = if yen_unit {
                format!("{}円", group_digits(v))
            } else {
                count_text(v)
            };
            out.push_str(&rpad(&text, width));
        }
        if two {
            let d = values[1] as i128 - values[0] as i128;
            let text = if yen_unit {
                format!("{}{}円", if d > 0 { "+" } else { "" }, group_digits(d))
            } else {
                let sign = if d > 0 {
                    "+"
                } else if d < 0 {
                    "-"
                } else {
                    ""
                };
                format!("{sign}{}", count_text(d.unsigned_abs()))
            };
            out.push_str(&rpad(&text, width));
        }
        out.push('\n');
    };
    let totals: Vec<&Totals> = o.aggregates.iter().map(|a| &a.total).collect();
    let mut firsts: Vec<&str> = scenarios
        .iter()
        .map(|s| first_subsidy_name(&s.regime))
        .collect();
    firsts.dedup();
    let first = firsts.join("・");
    header(&mut out, "全体");
    row(
        &mut out,
        "事業主数",
        totals.iter().map(|t| t.employers).collect(),
        false,
    );
    row(
        &mut out,
        &format!("{first} 支給件数"),
        totals.iter().map(|t| t.equipment_payable).collect(),
        false,
    );
    row(
        &mut out,
        &format!("{first} 支給額"),
        totals.iter().map(|t| yen(t.equipment_yen)).collect(),
        true,
    );
    row(
        &mut out,
        "目標達成助成 支給件数",
        totals.iter().map(|t| t.goal_payable).collect(),
        false,
    );
    row(
        &mut out,
        "目標達成助成 支給額",
        totals.iter().map(|t| yen(t.goal_yen)).collect(),
        true,
    );
    row(
        &mut out,
        "合計",
        totals
            .iter()
            .map(|t| yen(t.equipment_yen) + yen(t.goal_yen))
            .collect(),
        true,
    );
    out.push('\n');
    header(&mut out, "業種別 支給額合計");
    for i in 0..Industry::ALL.len() {
        row(
            &mut out,
            industry_label(i),
            o.aggregates
                .iter()
                .map(|a| yen(a.by_industry[i].total_yen()))
                .collect(),
            true,
        );
    }
    out.push('\n');
    header(&mut out, "規模別 支給額合計");
    for (i, (band, _)) in SIZE_BANDS.iter().enumerate() {
        row(
            &mut out,
            &format!("{band}人（常時雇用）"),
            o.aggregates
                .iter()
                .map(|a| yen(a.by_size[i].total_yen()))
                .collect(),
            true,
        );
    }
    if let Some(b) = budget {
        out.push_str(&format!(
            "\n予算 {}円 で賄える申請件数（{first}と目標達成助成の申請を1件ずつ数える）\n",
            group_digits(b)
        ));
        for (s, a) in scenarios.iter().zip(&o.aggregates) {
            let (apps, cost, covered, covers_all) = coverage(&a.total, b);
            let avg = (cost * u128::from(WEIGHT_SCALE))
                .checked_div(apps)
                .map_or("—".to_string(), |a| format!("{}円", group_digits(a)));
            if covers_all {
                out.push_str(&format!(
                    "  {}: 支給対象の申請 {} 件すべて（所要額 {}円、平均 {}、残額 {}円）\n",
                    s.name,
                    count_text(apps),
                    group_digits(cost),
                    avg,
                    group_digits(b - cost)
                ));
            } else {
                out.push_str(&format!(
                    "  {}: {} 件 / 支給対象の申請 {} 件（所要額 {}円、平均 {}、不足 {}円）\n",
                    s.name,
                    count_text(covered),
                    count_text(apps),
                    group_digits(cost),
                    avg,
                    group_digits(cost - b)
                ));
            }
        }
    }
    if !o.unknown_columns.is_empty() {
        out.push_str(&format!(
            "\n注意: 使われない列を無視しました: {}\n",
            o.unknown_columns.join(", ")
        ));
    }
    out
}

/// Display width in a terminal (East Asian wide characters count double).
fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` padded on the right to `width` display columns.
fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(display_width(s))))
}

/// `s` padded on the left to `width` display columns.
fn rpad(s: &str, width: usize) -> String {
    format!("{}{s}", " ".repeat(width.saturating_sub(display_width(s))))
}

/// `420000000`, `4.2億`, `42000万`, `4.2億円` → yen.
pub fn parse_budget(s: &str) -> Option<u128> {
    let s = s.trim().trim_end_matches('円').replace(',', "");
    let (number, unit) = if let Some(n) = s.strip_suffix('億') {
        (n.to_string(), 100_000_000u128)
    } else if let Some(n) = s.strip_suffix('万') {
        (n.to_string(), 10_000u128)
    } else {
        (s.clone(), 1)
    };
    let (whole, frac) = number.split_once('.').unwrap_or((&number, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut value: u128 = whole.parse::<u128>().ok()?.checked_mul(unit)?;
    let mut place = unit;
    for d in frac.bytes() {
        place /= 10;
        if place == 0 {
            return None; // finer than one yen
        }
        value += u128::from(d - b'0') * place;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets() {
        assert_eq!(parse_budget("420000000"), Some(420_000_000));
        assert_eq!(parse_budget("4.2億"), Some(420_000_000));
        assert_eq!(parse_budget("4.2億円"), Some(420_000_000));
        assert_eq!(parse_budget("42,000万"), Some(420_000_000));
        assert_eq!(parse_budget("1.5"), None);
        assert_eq!(parse_budget("abc"), None);
        assert_eq!(parse_budget("-5"), None);
    }

    #[test]
    fn counts_and_yen() {
        assert_eq!(count_text(2_500_000), "2.5");
        assert_eq!(count_text(12_000_000_000), "12,000");
        assert_eq!(yen(1_499_999), 1);
        assert_eq!(yen(1_500_000), 2);
    }

    #[test]
    fn budget_coverage() {
        let t = Totals {
            employers: 10 * 1_000_000,
            equipment_payable: 4 * 1_000_000,
            equipment_yen: 400_000 * 1_000_000,
            goal_payable: 2 * 1_000_000,
            goal_yen: 200_000 * 1_000_000,
        };
        // 6 applications cost 600,000: 100,000 each.
        let b = budget_out("x", &t, 250_000);
        assert_eq!(b.applications_covered, serde_json::json!(2));
        assert!(!b.covers_all);
        assert_eq!(b.average_yen_per_application, Some(100_000));
        let b = budget_out("x", &t, 600_000);
        assert!(b.covers_all);
        assert_eq!(b.applications_covered, serde_json::json!(6));
    }
}
