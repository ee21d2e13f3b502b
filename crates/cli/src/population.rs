//! Population files for `josei simulate`: one employer per row, CSV or Parquet.
//!
//! Both formats share one schema ([`COLUMNS`]). Every cell becomes an
//! `Option<i64>` (enums as their index, booleans as 0/1, weights in
//! millionths), and [`build_row`] turns a row of cells into figures, so the two
//! formats are validated identically.

use josei_rules::model::{ExpenseCategory, Industry, TeleworkStatus, Yen};
use josei_rules::parse::{MAX_COUNT, MAX_YEN};
use josei_rules::simulate::{EmployerFigures, WEIGHT_SCALE};
use std::fmt;

/// How a column's cells are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Free text, not used by the rules (kept for people).
    Id,
    /// A non-negative decimal with at most six decimals, in millionths.
    Weight,
    /// A non-negative whole number of yen, at most `MAX_YEN`.
    Yen,
    /// A non-negative whole count, at most `MAX_COUNT`.
    Count,
    Bool,
    Industry,
    TeleworkStatus,
}

/// Whether a column must be present, and its value when a cell is empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    Required,
    /// Empty means "none" (no capital).
    None,
    Value(i64),
    /// Empty means the value of `target_workers`.
    TargetWorkers,
}

/// One column of the schema.
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub default: Fill,
    pub doc: &'static str,
}

macro_rules! columns {
    ($($name:literal $kind:ident $default:expr, $doc:literal;)*) => {
        &[$(Column { name: $name, kind: Kind::$kind, default: $default, doc: $doc },)*]
    };
}

use Fill::{Required, TargetWorkers, Value};

/// The population schema, in the order `josei synth` writes it.
pub const COLUMNS: &[Column] = columns![
    "id" Id Fill::None, "employer id (free text, optional)";
    "weight" Weight Value(WEIGHT_SCALE as i64), "how many employers the row stands for (default 1)";
    "industry" Industry Required, "retail | service | wholesale | other";
    "capital_yen" Yen Fill::None, "capital in yen; empty: no capital (judged by employees)";
    "regular_employees" Count Required, "常時雇用する労働者の数";
    "employment_insurance" Bool Value(1), "雇用保険の適用事業主 (default true)";
    "telework_status" TeleworkStatus Value(0), "none | trial_ongoing | trial_ended | established | expanding (default none)";
    "work_rules_have_telework" Bool Value(0), "telework provisions at plan submission (default false)";
    "received_telework_subsidy" Bool Value(0), "received a telework subsidy before (default false)";
    "target_workers" Count Required, "target workers named in the plan";
    "direct_target_workers" Count TargetWorkers, "directly employed target workers (default: all)";
    "telework_workers" Count Required, "target workers who teleworked at least once in evaluation period 1";
    "telework_days" Count Required, "telework days of target workers in evaluation period 1";
    "period_days" Count Value(92), "days in evaluation period 1 (default 92)";
    "network_equipment_yen" Yen Value(0), "eligible spending: ネットワーク機器";
    "server_equipment_yen" Yen Value(0), "eligible spending: サーバ機器";
    "nas_equipment_yen" Yen Value(0), "eligible spending: NAS機器";
    "security_equipment_yen" Yen Value(0), "eligible spending: セキュリティ機器";
    "web_conference_equipment_yen" Yen Value(0), "eligible spending: Web会議関係機器";
    "satellite_office_fee_yen" Yen Value(0), "eligible spending: サテライトオフィス利用料";
    "telework_service_initial_yen" Yen Value(0), "eligible spending: テレワーク用サービス 初期費用";
    "telework_service_fee_yen" Yen Value(0), "eligible spending: テレワーク用サービス 利用料";
    "manager_training_yen" Yen Value(0), "eligible spending: 労務管理担当者に対する研修";
    "worker_training_yen" Yen Value(0), "eligible spending: 労働者に対する研修";
    "consulting_yen" Yen Value(0), "eligible spending: 外部専門家によるコンサルティング";
    "work_rules_yen" Yen Value(0), "eligible spending: 就業規則等の作成・変更";
    "travel_yen" Yen Value(0), "travel for training and consulting";
    "pc_tablet_smartphone_yen" Yen Value(0), "PCs etc. bought (never eligible; a reform may change that)";
    "pc_rental_lease_yen" Yen Value(0), "PCs etc. rented or leased, eligible months only (eligible from R5)";
    "other_yen" Yen Value(0), "anything else (not eligible)";
    "plan_headcount" Count Required, "workers on the first day of the plan-time turnover period";
    "plan_separations" Count Required, "counted separations in the plan-time period";
    "eval_headcount" Count Required, "workers on the first day of the evaluation-time period";
    "eval_separations" Count Required, "counted separations in the evaluation-time period";
    "headcount_at_certification" Count Required, "workers on 計画認定日";
    "headcount_at_goal_start" Count Required, "workers on the first day of evaluation period 2";
    "goal_teleworkers" Count Required, "workers who teleworked at least once in evaluation period 2";
    "productivity_met" Bool Value(0), "生産性要件 met (default false; premium in R3a–R4)";
    "disqualified" Bool Value(0), "falls under a common ground for refusal, 不支給要件 (default false)";
    "received_other_telework_subsidy" Bool Value(0), "received a national or local telework subsidy (bars in R3a only; default false)";
    "telework_before_count" Count Value(0), "expanding employers: telework instances in the 3 months before (R6 on)";
    "goal_telework_days" Count Value(0), "no-plan regimes (R7 on): telework days of target workers in evaluation period 2";
    "wage_increase_met" Bool Value(0), "賃金要件 met (default false; premium from R5)";
];

/// The index of a column by name.
pub fn column_index(name: &str) -> Option<usize> {
    COLUMNS.iter().position(|c| c.name == name)
}

const FIRST_SPENDING: usize = 14;

/// A problem with one row (or the header, line 1), in Japanese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub column: String,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "{}行目: {}", self.line, self.message)
        } else {
            write!(f, "{}行目 列 {}: {}", self.line, self.column, self.message)
        }
    }
}

/// One row as cells, indexed like [`COLUMNS`]; `None` = empty or absent.
pub type Cells = [Option<i64>; COLUMNS.len()];

/// Builds figures and the weight from a row of cells.
pub fn build_row(cells: &Cells, line: u64) -> Result<(EmployerFigures, u64), RowError> {
    let err = |col: usize, message: String| RowError {
        line,
        column: COLUMNS[col].name.to_string(),
        message,
    };
    let mut v = [0i64; COLUMNS.len()];
    let mut capital = None;
    for (i, c) in COLUMNS.iter().enumerate() {
        v[i] = match (cells[i], c.default) {
            (Some(x), _) => x,
            (None, Required) => return Err(err(i, "値がありません（必須の列です）".into())),
            (None, Value(d)) => d,
            (None, Fill::None | TargetWorkers) => -1,
        };
        if i == 3 {
            capital = cells[i].map(|x| Yen(x as u64));
        }
    }
    if v[10] < 0 {
        v[10] = v[9];
    }
    let u32_of = |i: usize| -> Result<u32, RowError> {
        u32::try_from(v[i]).map_err(|_| err(i, format!("{} は大きすぎます", v[i])))
    };
    let mut spending = [Yen(0); 16];
    for (k, slot) in spending.iter_mut().enumerate() {
        *slot = Yen(v[FIRST_SPENDING + k] as u64);
    }
    let figures = EmployerFigures {
        industry: Industry::ALL[v[2] as usize],
        capital_yen: capital,
        regular_employees: v[4] as u64,
        employment_insurance: v[5] != 0,
        telework_status: TeleworkStatus::ALL[v[6] as usize],
        work_rules_have_telework: v[7] != 0,
        received_telework_subsidy: v[8] != 0,
        target_workers: u32_of(9)?,
        direct_target_workers: u32_of(10)?,
        telework_workers: u32_of(11)?,
        telework_days: u32_of(12)?,
        period_days: u32_of(13)?,
        spending,
        plan_headcount: v[30] as u64,
        plan_separations: v[31] as u64,
        eval_headcount: v[32] as u64,
        eval_separations: v[33] as u64,
        headcount_at_certification: v[34] as u64,
        headcount_at_goal_start: v[35] as u64,
        goal_teleworkers: v[36] as u64,
        productivity_met: v[37] != 0,
        disqualified: v[38] != 0,
        received_other_telework_subsidy: v[39] != 0,
        telework_before_count: v[40] as u64,
        goal_telework_days: u32_of(41)?,
        wage_increase_met: v[42] != 0,
    };
    figures.check().map_err(|(col, msg)| RowError {
        line,
        column: col.to_string(),
        message: msg,
    })?;
    Ok((figures, v[1] as u64))
}

/// Parses one cell of `kind` from text. Empty text is `Ok(None)`.
pub fn parse_cell(kind: Kind, raw: &[u8]) -> Result<Option<i64>, String> {
    let text = trim(raw);
    if text.is_empty() {
        return Ok(None);
    }
    let show = || {
        String::from_utf8_lossy(text)
            .chars()
            .take(30)
            .collect::<String>()
    };
    match kind {
        Kind::Id => Ok(None),
        Kind::Yen | Kind::Count => {
            let max = if kind == Kind::Yen {
                MAX_YEN
            } else {
                MAX_COUNT
            };
            let mut n: u64 = 0;
            for &b in text {
                if !b.is_ascii_digit() {
                    return Err(if text[0] == b'-' {
                        format!("0以上の整数で指定してください（{} は使えません）", show())
                    } else {
                        format!("整数で指定してください（{:?} は使えません）", show())
                    });
                }
                n = n.saturating_mul(10).saturating_add(u64::from(b - b'0'));
            }
            if n > max {
                return Err(format!("{n} は大きすぎます（上限 {max}）"));
            }
            Ok(Some(n as i64))
        }
        Kind::Weight => parse_weight(text).map(Some).ok_or_else(|| {
            format!(
                "0以上の数（小数は6桁まで）で指定してください（{:?} は使えません）",
                show()
            )
        }),
        Kind::Bool => match text {
            b"true" | b"TRUE" | b"True" | b"1" => Ok(Some(1)),
            b"false" | b"FALSE" | b"False" | b"0" => Ok(Some(0)),
            _ => Err(format!(
                "true か false を指定してください（{:?} は使えません）",
                show()
            )),
        },
        Kind::Industry => {
            let s = std::str::from_utf8(text).unwrap_or("");
            Industry::parse(s).map(|i| Some(i as i64)).ok_or_else(|| {
                format!(
                    "{:?} は使えません。{} のいずれか",
                    show(),
                    Industry::names()
                )
            })
        }
        Kind::TeleworkStatus => {
            let s = std::str::from_utf8(text).unwrap_or("");
            TeleworkStatus::parse(s)
                .map(|i| Some(i as i64))
                .ok_or_else(|| {
                    format!(
                        "{:?} は使えません。{} のいずれか",
                        show(),
                        TeleworkStatus::names()
                    )
                })
        }
    }
}

/// `1`, `2.5`, `0.000001` → millionths; `None` for anything else.
fn parse_weight(text: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(text).ok()?;
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() && frac.is_empty()
        || frac.len() > 6
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || whole.len() > 12
    {
        return None;
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let f: i64 = format!("{frac:0<6}").parse().ok()?;
    Some(w * WEIGHT_SCALE as i64 + f)
}

fn trim(b: &[u8]) -> &[u8] {
    let b = b.trim_ascii();
    b.strip_prefix(b"\"")
        .and_then(|x| x.strip_suffix(b"\""))
        .unwrap_or(b)
}

/// Splits one CSV line into fields (RFC 4180 quotes within the line).
pub fn split_fields<'a>(line: &'a [u8], out: &mut Vec<&'a [u8]>) {
    out.clear();
    let mut start = 0;
    let mut quoted = false;
    for (i, &b) in line.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                out.push(&line[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&line[start..]);
}

/// Maps a CSV header to schema columns: `map[schema] = Some(file column)`.
/// Unknown columns are returned for a warning; a missing required column or a
/// duplicate is an error.
pub fn map_header(header: &[u8]) -> Result<(Vec<Option<usize>>, Vec<String>), RowError> {
    let header = header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(header);
    let mut fields = Vec::new();
    split_fields(header, &mut fields);
    let mut map = vec![None; COLUMNS.len()];
    let mut unknown = Vec::new();
    for (file_col, raw) in fields.iter().enumerate() {
        let name = String::from_utf8_lossy(trim(raw)).into_owned();
        match column_index(&name) {
            Some(i) if map[i].is_some() => {
                return Err(RowError {
                    line: 1,
                    column: name,
                    message: "列名が重複しています".into(),
                })
            }
            Some(i) => map[i] = Some(file_col),
            None => unknown.push(name),
        }
    }
    check_required(&map, 1)?;
    Ok((map, unknown))
}

/// Every required column must be mapped.
pub fn check_required(map: &[Option<usize>], line: u64) -> Result<(), RowError> {
    let missing: Vec<&str> = COLUMNS
        .iter()
        .zip(map)
        .filter(|(c, m)| c.default == Required && m.is_none())
        .map(|(c, _)| c.name)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(RowError {
            line,
            column: String::new(),
            message: format!("必須の列がありません: {}", missing.join(", ")),
        })
    }
}

/// Which schema column each file column feeds (`None`: ignored).
pub struct Layout {
    file_columns: Vec<Option<(usize, Kind)>>,
}

impl Layout {
    /// From a schema → file-column map (see [`map_header`]).
    pub fn new(map: &[Option<usize>]) -> Layout {
        let width = map.iter().flatten().max().map_or(0, |m| m + 1);
        let mut file_columns = vec![None; width];
        for (schema, file) in map.iter().enumerate() {
            if let Some(f) = file {
                file_columns[*f] = Some((schema, COLUMNS[schema].kind));
            }
        }
        Layout { file_columns }
    }
}

/// Parses a CSV data line into cells in one pass: whole numbers are read while
/// scanning; anything else (text, quotes, spaces, signs) goes through
/// [`parse_cell`], which also words the errors.
pub fn csv_cells(line: &[u8], layout: &Layout, line_no: u64) -> Result<Cells, RowError> {
    let mut cells: Cells = [None; COLUMNS.len()];
    let n = line.len();
    let mut i = 0;
    let mut col = 0;
    let err = |schema: usize, message: String| RowError {
        line: line_no,
        column: COLUMNS[schema].name.to_string(),
        message,
    };
    loop {
        let target = layout.file_columns.get(col).copied().flatten();
        let start = i;
        // Fast path: an unquoted whole number.
        let mut value: u64 = 0;
        let mut digits = 0;
        if matches!(target, Some((_, Kind::Yen | Kind::Count))) {
            while i < n && line[i].is_ascii_digit() && digits < 19 {
                value = value * 10 + u64::from(line[i] - b'0');
                i += 1;
                digits += 1;
            }
        }
        if i < n && line[i] != b',' || digits == 0 {
            // General path: find the end of the field (quotes may hold commas).
            i = start;
            let mut quoted = false;
            while i < n && (quoted || line[i] != b',') {
                if line[i] == b'"' {
                    quoted = !quoted;
                }
                i += 1;
            }
            if quoted {
                return Err(RowError {
                    line: line_no,
                    column: String::new(),
                    message: "引用符 \" が閉じていません（1行に1事業主、セル内の改行は使えません）"
                        .into(),
                });
            }
            if let Some((schema, kind)) = target {
                cells[schema] = parse_cell(kind, &line[start..i]).map_err(|m| err(schema, m))?;
            }
        } else if let Some((schema, kind)) = target {
            let max = if kind == Kind::Yen {
                MAX_YEN
            } else {
                MAX_COUNT
            };
            if value > max {
                return Err(err(schema, format!("{value} は大きすぎます（上限 {max}）")));
            }
            cells[schema] = Some(value as i64);
        }
        if i >= n {
            return Ok(cells);
        }
        i += 1; // the comma
        col += 1;
    }
}

/// One data row as CSV text, in [`COLUMNS`] order (for `josei synth`).
pub fn write_csv_row(out: &mut Vec<u8>, id: &str, f: &EmployerFigures, weight: u64) {
    use std::io::Write;
    let b = |x: bool| if x { "true" } else { "false" };
    let _ = write!(out, "{id},");
    if weight.is_multiple_of(WEIGHT_SCALE) {
        let _ = write!(out, "{},", weight / WEIGHT_SCALE);
    } else {
        let _ = write!(
            out,
            "{}.{:06},",
            weight / WEIGHT_SCALE,
            weight % WEIGHT_SCALE
        );
    }
    let _ = write!(out, "{},", f.industry);
    if let Some(c) = f.capital_yen {
        let _ = write!(out, "{}", c.0);
    }
    let _ = write!(
        out,
        ",{},{},{},{},{},{},{},{},{},{}",
        f.regular_employees,
        b(f.employment_insurance),
        f.telework_status,
        b(f.work_rules_have_telework),
        b(f.received_telework_subsidy),
        f.target_workers,
        f.direct_target_workers,
        f.telework_workers,
        f.telework_days,
        f.period_days
    );
    for &c in ExpenseCategory::ALL {
        let _ = write!(out, ",{}", f.spending[c as usize].0);
    }
    let _ = write!(
        out,
        ",{},{},{},{},{},{},{},{}",
        f.plan_headcount,
        f.plan_separations,
        f.eval_headcount,
        f.eval_separations,
        f.headcount_at_certification,
        f.headcount_at_goal_start,
        f.goal_teleworkers,
        b(f.productivity_met)
    );
    let _ = writeln!(
        out,
        ",{},{},{},{},{}",
        b(f.disqualified),
        b(f.received_other_telework_subsidy),
        f.telework_before_count,
        f.goal_telework_days,
        b(f.wage_increase_met)
    );
}

/// The schema as text for people: name, required or default, meaning.
pub fn describe_columns() -> String {
    let mut out = String::from(
        "母集団ファイルの列（CSV の見出し行または Parquet の列名。順不同、未知の列は無視）\n\n",
    );
    for c in COLUMNS {
        let need = match c.default {
            Required => "必須".to_string(),
            Fill::None => "任意（空 = なし）".to_string(),
            Value(v) if c.kind == Kind::Weight => {
                format!("任意（既定 {}）", v / WEIGHT_SCALE as i64)
            }
            Value(v) if c.kind == Kind::Bool => format!("任意（既定 {}）", v != 0),
            Value(v) if c.kind == Kind::TeleworkStatus => {
                format!("任意（既定 {}）", TeleworkStatus::ALL[v as usize])
            }
            Value(v) => format!("任意（既定 {v}）"),
            TargetWorkers => "任意（既定 target_workers）".to_string(),
        };
        out.push_str(&format!("{:<30} {:<22} {}\n", c.name, need, c.doc));
    }
    out
}

/// The CSV header line.
pub fn csv_header() -> String {
    let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    format!("{}\n", names.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_lines_up_with_the_categories() {
        for (k, c) in ExpenseCategory::ALL.iter().enumerate() {
            assert_eq!(COLUMNS[FIRST_SPENDING + k].name, format!("{c}_yen"));
        }
        assert_eq!(COLUMNS[30].name, "plan_headcount");
        assert_eq!(COLUMNS[37].name, "productivity_met");
        assert_eq!(COLUMNS[42].name, "wage_increase_met");
        assert_eq!(COLUMNS.len(), 43);
    }

    #[test]
    fn cells() {
        assert_eq!(parse_cell(Kind::Yen, b" 1200 "), Ok(Some(1200)));
        assert_eq!(parse_cell(Kind::Yen, b""), Ok(None));
        assert!(parse_cell(Kind::Yen, b"-5").unwrap_err().contains("0以上"));
        assert!(parse_cell(Kind::Yen, b"1.5").is_err());
        assert!(parse_cell(Kind::Yen, b"99999999999999999999")
            .unwrap_err()
            .contains("大きすぎ"));
        assert_eq!(parse_cell(Kind::Weight, b"2.5"), Ok(Some(2_500_000)));
        assert_eq!(parse_cell(Kind::Weight, b".000001"), Ok(Some(1)));
        assert!(parse_cell(Kind::Weight, b"1.0000001").is_err());
        assert!(parse_cell(Kind::Weight, b"-1").is_err());
        assert_eq!(parse_cell(Kind::Bool, b"TRUE"), Ok(Some(1)));
        assert!(parse_cell(Kind::Bool, b"yes").is_err());
        assert_eq!(parse_cell(Kind::Industry, b"\"wholesale\""), Ok(Some(2)));
        assert!(parse_cell(Kind::Industry, b"shop").is_err());
    }

    #[test]
    fn header_mapping() {
        let (map, unknown) = map_header(csv_header().trim_end().as_bytes()).unwrap();
        assert!(map.iter().all(Option::is_some));
        assert!(unknown.is_empty());
        let e = map_header(b"industry,regular_employees,extra").unwrap_err();
        assert!(e.message.contains("target_workers"), "{e}");
        let e = map_header(b"industry,industry").unwrap_err();
        assert_eq!(e.column, "industry");
    }
}
