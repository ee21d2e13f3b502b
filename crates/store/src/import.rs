//! CSV imports of telework records and the roster.
//!
//! Files are UTF-8 (with or without BOM) or Shift_JIS/CP932 as Excel writes
//! them in Japan, detected automatically. Headers may be Japanese or English;
//! values too (在宅 / home). Every bad row is reported with its line number;
//! a file with any bad row imports nothing.

use josei_rules::civil::parse_iso_date;
use serde::Serialize;
use serde_json::{json, Value};

/// How many problems an import reports one by one; the rest are counted.
pub const MAX_REPORTED_ERRORS: usize = 1_000;

/// A cell's text for a message: quoted, and cut to 40 characters so that a
/// huge cell cannot make a huge answer.
fn shown(v: &str) -> String {
    let mut s: String = v.chars().take(40).collect();
    if v.chars().nth(40).is_some() {
        s.push('…');
    }
    format!("{s:?}")
}

/// A problem in an import file (`line` 0: a summary of further problems).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportError {
    /// 1-based line number in the file (1 is the header).
    pub line: usize,
    pub column: Option<String>,
    pub message: String,
}

/// Which encoding a file was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    ShiftJis,
}

impl Encoding {
    /// How the encoding is named to a user.
    pub fn label_ja(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8（BOM付き）",
            Encoding::ShiftJis => "Shift_JIS",
        }
    }
}

string_enum! {
    /// What an import reads.
    "import kind",
    ImportKind {
        /// Telework records: one row per worker and day.
        Telework = "telework",
        /// The roster: one row per worker, with hire and leave dates.
        Roster = "roster",
    }
}

impl ImportKind {
    /// The Japanese name, for pages and messages.
    pub fn label_ja(self) -> &'static str {
        match self {
            ImportKind::Telework => "テレワーク実施記録",
            ImportKind::Roster => "労働者名簿",
        }
    }

    /// The key of the case document's list that rows of this kind go to.
    pub fn document_key(self) -> &'static str {
        match self {
            ImportKind::Telework => "telework",
            ImportKind::Roster => "roster",
        }
    }
}

/// Column headings of a preview of `kind`, in the words of the CSV template.
pub fn preview_headings(kind: ImportKind) -> &'static [&'static str] {
    match kind {
        ImportKind::Telework => &["従業員ID", "日付", "勤務場所"],
        ImportKind::Roster => &["従業員ID", "入社日", "離職日", "離職理由"],
    }
}

/// One imported row as the user wrote it: codes turned back into the
/// template's words (`home` → 在宅), absent values empty.
pub fn preview_cells(kind: ImportKind, row: &Value) -> Vec<String> {
    let text = |k: &str| row[k].as_str().unwrap_or_default().to_string();
    match kind {
        ImportKind::Telework => {
            let place = match row["place"].as_str() {
                Some("home") => "在宅",
                Some("satellite_office") => "サテライトオフィス",
                Some("mobile") => "モバイル",
                Some("office") => "出社",
                _ => "",
            };
            vec![text("worker"), text("date"), place.to_string()]
        }
        ImportKind::Roster => {
            let reason = match row["leave_reason"].as_str() {
                Some("voluntary") => "自己都合",
                Some("dismissal") => "解雇",
                Some("serious_misconduct_dismissal") => "重責解雇",
                Some("mandatory_retirement") => "定年退職",
                Some("promoted_to_officer") => "役員昇格",
                Some("contract_end") => "契約期間満了",
                Some("other") => "その他",
                _ => "",
            };
            vec![
                text("id"),
                text("hired_on"),
                text("left_on"),
                reason.to_string(),
            ]
        }
    }
}

/// How a file lays out its columns: the template's columns in the order the
/// file has them (indexes into [`preview_headings`]), and the headings of the
/// columns the importer does not read (e.g. a notes column). A file whose
/// header cannot be read gets the template's order.
pub fn file_layout(kind: ImportKind, bytes: &[u8]) -> (Vec<usize>, Vec<String>) {
    let cols = columns(kind);
    let default = ((0..cols.len()).collect(), Vec::new());
    let Ok((text, _)) = decode(bytes) else {
        return default;
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let Some(Ok(header)) = reader.records().next() else {
        return default;
    };
    let (mut order, mut ignored) = (Vec::new(), Vec::new());
    for name in header.iter() {
        match cols.iter().position(|c| c.named(name)) {
            Some(i) if !order.contains(&i) => order.push(i),
            Some(_) => {}
            None if name.is_empty() => {}
            None => ignored.push(name.chars().take(40).collect()),
        }
    }
    // Columns the file lacks (optional ones) come last, as the template has them.
    for i in 0..cols.len() {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    (order, ignored)
}

/// The columns of `kind`, in the template's order.
fn columns(kind: ImportKind) -> &'static [Col] {
    match kind {
        ImportKind::Telework => TELEWORK,
        ImportKind::Roster => ROSTER,
    }
}

/// A template for `kind` as a spreadsheet opens it: UTF-8 with a BOM, CRLF,
/// the Japanese headings the importer reads, and `example` as its one row
/// (in the template's words: 在宅, 2026/12/1, …).
pub fn template(kind: ImportKind, example: &[&str]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let headings: Vec<&str> = columns(kind).iter().map(|c| c.1).collect();
    // Writing to memory cannot fail.
    let _ = w.write_record(&headings);
    let _ = w.write_record(example);
    w.into_inner().unwrap_or_default()
}

/// Decodes a file: UTF-8 with BOM, else UTF-8, else Shift_JIS (CP932).
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), ImportError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), Encoding::Utf8Bom))
            .map_err(|_| whole("UTF-8（BOM付き）として読めません"));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), Encoding::Utf8));
    }
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    if had_errors {
        return Err(whole(
            "文字コードを判別できません（UTF-8 または Shift_JIS で保存してください）",
        ));
    }
    Ok((text.into_owned(), Encoding::ShiftJis))
}

fn whole(message: &str) -> ImportError {
    ImportError {
        line: 0,
        column: None,
        message: message.into(),
    }
}

/// A date as written by people or Excel: `2022-08-03`, `2022/08/03`, `2022/8/3`.
pub fn parse_date(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split(['-', '/']).collect();
    if parts.len() != 3
        || parts[0].len() != 4
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let iso = format!("{}-{:0>2}-{:0>2}", parts[0], parts[1], parts[2]);
    parse_iso_date(&iso).ok().map(|_| iso)
}

/// One column: English name, Japanese name.
struct Col(&'static str, &'static str);

impl Col {
    /// Whether a file's heading `name` is this column: its names, and for the
    /// person a row is about, the headings attendance and payroll files use
    /// for the employer's own number or the name (matched to the plan's
    /// target workers by `josei_app::workers::worker_id_for`).
    fn named(&self, name: &str) -> bool {
        name == self.0
            || name == self.1
            || (matches!(self.0, "worker" | "id")
                && matches!(name, "社員番号" | "従業員番号" | "社員ID" | "氏名" | "名前"))
    }
}

fn header_map(
    names: &[String],
    cols: &[Col],
    required: &[usize],
) -> Result<Vec<Option<usize>>, ImportError> {
    let map: Vec<Option<usize>> = cols
        .iter()
        .map(|c| names.iter().position(|n| c.named(n)))
        .collect();
    let missing: Vec<String> = required
        .iter()
        .filter(|&&i| map[i].is_none())
        .map(|&i| format!("{}（{}）", cols[i].1, cols[i].0))
        .collect();
    if !missing.is_empty() {
        return Err(ImportError {
            line: 1,
            column: None,
            message: format!("見出し行に必須の列がありません: {}", missing.join(", ")),
        });
    }
    Ok(map)
}

/// Parses rows with `row`, collecting every error; all-or-nothing.
fn parse_rows(
    bytes: &[u8],
    max_rows: usize,
    cols: &[Col],
    required: &[usize],
    row: impl Fn(&dyn Fn(usize) -> Option<String>, &mut Vec<(String, String)>) -> Option<Value>,
) -> Result<(Vec<Value>, Encoding), Vec<ImportError>> {
    let (text, encoding) = decode(bytes).map_err(|e| vec![e])?;
    // RFC 4180 as Excel writes it: quoted fields may hold commas, quotes and
    // line breaks; rows may have fewer or more fields than the header.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let body = text.trim_start_matches('\u{feff}').as_bytes();
    let (mut line, mut seen) = (0usize, 0usize);
    let mut records = reader.records();
    let unreadable = |e: csv::Error| ImportError {
        line: e.position().map_or(0, |p| p.line() as usize),
        column: None,
        message: "CSV として読めません（引用符 \" の閉じ忘れなど）".into(),
    };
    let header: Vec<String> = match records.next() {
        Some(Ok(r)) if r.iter().any(|f| !f.is_empty()) => r.iter().map(str::to_string).collect(),
        Some(Err(e)) => return Err(vec![unreadable(e)]),
        _ => {
            return Err(vec![ImportError {
                line: 1,
                column: None,
                message: "ファイルが空です".into(),
            }])
        }
    };
    let map = header_map(&header, cols, required).map_err(|e| vec![e])?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut more = 0usize;
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                if errors.len() < MAX_REPORTED_ERRORS {
                    errors.push(unreadable(e));
                } else {
                    more += 1;
                }
                break;
            }
        };
        // The line the row starts on, counted from 1 as an editor shows it
        // (line breaks inside quoted fields count; the reader's own line
        // number does not count them).
        // After a CRLF the reader's position is at the LF, which belongs to the
        // line before.
        let mut start = record
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(body.len());
        if body.get(start) == Some(&b'\n') {
            start += 1;
        }
        line += body[seen.min(start)..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        seen = start;
        let line = line + 1;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let get = |c: usize| {
            map[c]
                .and_then(|k| record.get(k))
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let i = line.saturating_sub(1);
        if out.len() >= max_rows && errors.is_empty() {
            return Err(vec![ImportError {
                line: i + 1,
                column: None,
                message: format!(
                    "1件の申請に取り込めるのは{max_rows}行までです。ファイルの行数を確かめてください"
                ),
            }]);
        }
        let mut row_errors = Vec::new();
        match row(&get, &mut row_errors) {
            // Once a row is bad nothing will be stored: stop keeping rows.
            Some(v) if row_errors.is_empty() && errors.is_empty() => out.push(v),
            Some(_) if row_errors.is_empty() => {}
            _ => {
                for (column, message) in row_errors {
                    if errors.len() < MAX_REPORTED_ERRORS {
                        errors.push(ImportError {
                            line: i + 1,
                            column: Some(column),
                            message,
                        });
                    } else {
                        more += 1;
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        Ok((out, encoding))
    } else {
        if more > 0 {
            errors.push(ImportError {
                line: 0,
                column: None,
                message: format!(
                    "ほかにも {more} 件の誤りがあります（最初の {MAX_REPORTED_ERRORS} 件を表示しています）"
                ),
            });
        }
        Err(errors)
    }
}

const TELEWORK: &[Col] = &[
    Col("worker", "従業員ID"),
    Col("date", "日付"),
    Col("place", "勤務場所"),
];

/// Telework records (`worker`, `date`, `place`) in the contract's shape.
pub fn telework_csv(bytes: &[u8]) -> Result<(Vec<Value>, Encoding), Vec<ImportError>> {
    parse_rows(
        bytes,
        crate::limits::MAX_TELEWORK_ROWS,
        TELEWORK,
        &[0, 1, 2],
        |get, errors| {
            let worker = get(0).or_else(|| {
                errors.push(("従業員ID".into(), "従業員IDがありません".into()));
                None
            });
            let date = match get(1) {
                Some(d) => parse_date(&d).or_else(|| {
                    errors.push((
                        "日付".into(),
                        format!(
                            "{} は日付として読めません（例: 2022-08-03 または 2022/8/3）",
                            shown(&d)
                        ),
                    ));
                    None
                }),
                None => {
                    errors.push(("日付".into(), "日付がありません".into()));
                    None
                }
            };
            let place = match get(2).as_deref() {
                Some("在宅" | "home" | "自宅") => Some("home"),
                Some("サテライトオフィス" | "satellite_office") => {
                    Some("satellite_office")
                }
                Some("モバイル" | "mobile") => Some("mobile"),
                Some("出社" | "office") => Some("office"),
                Some(other) => {
                    errors.push((
                        "勤務場所".into(),
                        format!(
                            "{} は使えません（在宅・サテライトオフィス・モバイル・出社）",
                            shown(other)
                        ),
                    ));
                    None
                }
                None => {
                    errors.push(("勤務場所".into(), "勤務場所がありません".into()));
                    None
                }
            };
            Some(json!({"worker": worker?, "date": date?, "place": place?}))
        },
    )
}

const ROSTER: &[Col] = &[
    Col("id", "従業員ID"),
    Col("hired_on", "入社日"),
    Col("left_on", "離職日"),
    Col("leave_reason", "離職理由"),
];

/// Roster entries (`id`, `hired_on`, `left_on`, `leave_reason`) in the contract's shape.
pub fn roster_csv(bytes: &[u8]) -> Result<(Vec<Value>, Encoding), Vec<ImportError>> {
    parse_rows(
        bytes,
        crate::limits::MAX_ROSTER_ROWS,
        ROSTER,
        &[0, 1],
        |get, errors| {
            let id = get(0).or_else(|| {
                errors.push(("従業員ID".into(), "従業員IDがありません".into()));
                None
            });
            let date_of = |col: usize,
                           name: &str,
                           errors: &mut Vec<(String, String)>|
             -> Option<Option<String>> {
                match get(col) {
                    None => Some(None),
                    Some(d) => match parse_date(&d) {
                        Some(iso) => Some(Some(iso)),
                        None => {
                            errors.push((
                                name.into(),
                                format!(
                                    "{} は日付として読めません（例: 2022-08-03 または 2022/8/3）",
                                    shown(&d)
                                ),
                            ));
                            None
                        }
                    },
                }
            };
            let hired = date_of(1, "入社日", errors);
            if matches!(hired, Some(None)) {
                errors.push(("入社日".into(), "入社日がありません".into()));
            }
            let left = date_of(2, "離職日", errors);
            let reason = match get(3).as_deref() {
                None => Some(None),
                Some("自己都合" | "voluntary") => Some(Some("voluntary")),
                Some("解雇" | "dismissal") => Some(Some("dismissal")),
                Some("重責解雇" | "serious_misconduct_dismissal") => {
                    Some(Some("serious_misconduct_dismissal"))
                }
                Some("定年退職" | "mandatory_retirement") => Some(Some("mandatory_retirement")),
                Some("役員昇格" | "promoted_to_officer") => Some(Some("promoted_to_officer")),
                Some("契約期間満了" | "contract_end") => Some(Some("contract_end")),
                Some("その他" | "other") => Some(Some("other")),
                Some(other) => {
                    errors.push(("離職理由".into(), format!("{} は使えません（自己都合・解雇・重責解雇・定年退職・役員昇格・契約期間満了・その他）", shown(other))));
                    None
                }
            };
            let (hired, left) = (hired??, left?);
            if let Some(l) = &left {
                if l < &hired {
                    errors.push((
                        "離職日".into(),
                        format!("離職日 {l} が入社日 {hired} より前です"),
                    ));
                }
            }
            Some(json!({"id": id?, "hired_on": hired, "left_on": left, "leave_reason": reason?}))
        },
    )
}

/// Adds imported rows to a case document: telework records or roster
/// entries, by `kind`; `replace` drops the existing ones first.
pub fn merge(doc: &mut Value, kind: ImportKind, rows: Vec<Value>, replace: bool) {
    let key = kind.document_key();
    let mut list = if replace {
        Vec::new()
    } else {
        doc[key].as_array().cloned().unwrap_or_default()
    };
    list.extend(rows);
    doc[key] = Value::Array(list);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_person_column_may_be_headed_by_the_number_or_the_name() {
        let (rows, _) =
            telework_csv("社員番号,日付,勤務場所\n1001,2022/8/3,在宅\n".as_bytes()).unwrap();
        assert_eq!(rows[0]["worker"], "1001");
        let (rows, _) = roster_csv("氏名,入社日\n山田 太郎,2015/4/1\n".as_bytes()).unwrap();
        assert_eq!(rows[0]["id"], "山田 太郎");
        assert_eq!(
            file_layout(ImportKind::Telework, "日付,社員番号,勤務場所\n".as_bytes()),
            (vec![1, 0, 2], vec![])
        );
    }

    #[test]
    fn encodings_are_detected() {
        let text =
            "従業員ID,日付,勤務場所\nE001,2022/8/3,在宅\nE002,2022-08-04,サテライトオフィス\n";
        let (rows, enc) = telework_csv(text.as_bytes()).unwrap();
        assert_eq!(enc, Encoding::Utf8);
        assert_eq!(
            rows[0],
            json!({"worker": "E001", "date": "2022-08-03", "place": "home"})
        );
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(telework_csv(&bom).unwrap().1, Encoding::Utf8Bom);
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let (rows2, enc) = telework_csv(&sjis).unwrap();
        assert_eq!(enc, Encoding::ShiftJis);
        assert_eq!(rows, rows2);
    }

    #[test]
    fn every_bad_row_is_reported() {
        let text = "worker,date,place\nE001,2022-02-30,home\nE002,2022-08-04,cafe\n,2022-08-05,home\nE003,2022-08-05,office\n";
        let errors = telework_csv(text.as_bytes()).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4]);
        assert!(errors[1].message.contains("cafe"));
    }

    #[test]
    fn merging_appends_or_replaces() {
        let mut doc = json!({"telework": [{"worker": "A"}], "roster": [{"id": "R"}]});
        merge(
            &mut doc,
            ImportKind::Telework,
            vec![json!({"worker": "B"})],
            false,
        );
        assert_eq!(doc["telework"].as_array().unwrap().len(), 2);
        merge(&mut doc, ImportKind::Roster, vec![json!({"id": "S"})], true);
        assert_eq!(doc["roster"], json!([{"id": "S"}]));
    }

    #[test]
    fn quoted_line_breaks_commas_and_quotes_from_excel_import() {
        let text = "従業員ID,日付,勤務場所,備考\r\nE1,2022/8/3,在宅,\"午前は\r\n自宅、午後は\"\"移動\"\", 後半\"\r\n\"E2\",2022/8/4,在宅,\r\nE3,2022/8/32,在宅,\r\n";
        let errors = telework_csv(text.as_bytes()).unwrap_err();
        // The bad date is on line 5: the note's line break is inside its quotes.
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 5);
        let good = text.replace("2022/8/32", "2022/8/5");
        let (rows, _) = telework_csv(good.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1]["worker"], "E2");
        // An unclosed quote swallows the rest of the file into one cell, which
        // is then refused with its line, never stored half-read.
        let broken = "従業員ID,日付,勤務場所\nE1,2022/8/3,\"在宅\nE2,2022/8/4,在宅\n";
        let errors = telework_csv(broken.as_bytes()).unwrap_err();
        assert_eq!(
            (errors[0].line, errors[0].column.as_deref()),
            (2, Some("勤務場所")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_file_over_the_case_bound_is_refused_without_keeping_its_rows() {
        let mut text = String::from("従業員ID,入社日,離職日,離職理由\n");
        for i in 0..=crate::limits::MAX_ROSTER_ROWS {
            text.push_str(&format!("E{i},2015-04-01,,\n"));
        }
        let errors = roster_csv(text.as_bytes()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, crate::limits::MAX_ROSTER_ROWS + 2);
        assert!(
            errors[0].message.contains("5000行まで"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn previews_speak_the_template_words() {
        let (rows, enc) =
            telework_csv("従業員ID,日付,勤務場所\nE1,2022/8/3,在宅\n".as_bytes()).unwrap();
        assert_eq!(enc.label_ja(), "UTF-8");
        assert_eq!(
            preview_headings(ImportKind::Telework),
            &["従業員ID", "日付", "勤務場所"]
        );
        assert_eq!(
            preview_cells(ImportKind::Telework, &rows[0]),
            ["E1", "2022-08-03", "在宅"]
        );
        let (rows, _) = roster_csv(
            "従業員ID,入社日,離職日,離職理由\nE2,2015-04-01,2023-02-28,定年退職\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(preview_headings(ImportKind::Roster).len(), 4);
        assert_eq!(
            preview_cells(ImportKind::Roster, &rows[0]),
            ["E2", "2015-04-01", "2023-02-28", "定年退職"]
        );
    }

    #[test]
    fn templates_read_back_through_the_importer() {
        let t = template(ImportKind::Telework, &["1001", "2026/12/1", "在宅"]);
        assert!(t.starts_with("\u{feff}従業員ID,日付,勤務場所\r\n".as_bytes()));
        let (rows, enc) = telework_csv(&t).unwrap();
        assert_eq!(enc, Encoding::Utf8Bom);
        assert_eq!(
            rows,
            [json!({"worker": "1001", "date": "2026-12-01", "place": "home"})]
        );
        let t = template(ImportKind::Roster, &["1001", "2020/4/1", "", ""]);
        let (rows, _) = roster_csv(&t).unwrap();
        assert_eq!(rows[0]["hired_on"], "2020-04-01");
        assert_eq!(rows[0]["left_on"], Value::Null);
        let (order, ignored) = file_layout(ImportKind::Roster, &t);
        assert_eq!((order, ignored), (vec![0, 1, 2, 3], Vec::<String>::new()));
    }

    #[test]
    fn a_files_own_column_order_is_kept_and_other_columns_named() {
        let text = "備考,勤務場所,日付,従業員ID\nメモ,在宅,2022/8/3,E1\n";
        let (order, ignored) = file_layout(ImportKind::Telework, text.as_bytes());
        assert_eq!(order, [2, 1, 0]);
        assert_eq!(ignored, ["備考"]);
        let (rows, _) = telework_csv(text.as_bytes()).unwrap();
        let cells = preview_cells(ImportKind::Telework, &rows[0]);
        let shown: Vec<&str> = order.iter().map(|&i| cells[i].as_str()).collect();
        assert_eq!(shown, ["在宅", "2022-08-03", "E1"]);
        // English headings, a missing optional column, Shift_JIS.
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("hired_on,従業員ID\n2015/4/1,E1\n");
        assert_eq!(file_layout(ImportKind::Roster, &sjis).0, [1, 0, 2, 3]);
        assert_eq!(file_layout(ImportKind::Roster, b"\xff\xfe").0, [0, 1, 2, 3]);
    }

    #[test]
    fn roster_rows() {
        let text = "従業員ID,入社日,離職日,離職理由\nE1,2015/4/1,,\nE2,2015-04-01,2023-02-28,定年退職\nE3,2020-01-01,2019-01-01,自己都合\nE4,,2020-01-01,退職\n";
        let errors = roster_csv(text.as_bytes()).unwrap_err();
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [4, 5, 5]);
    }

    #[test]
    fn thousands_of_bad_rows_give_a_bounded_answer() {
        let mut text = String::from("従業員ID,日付,勤務場所\n");
        // About 6 MB of bad rows with long cells.
        let huge = "x".repeat(3_000);
        for _ in 0..2_000 {
            text.push_str(&format!("E001,{huge},在宅\n"));
        }
        let errors = telework_csv(text.as_bytes()).unwrap_err();
        assert_eq!(errors.len(), MAX_REPORTED_ERRORS + 1);
        assert!(
            errors.last().unwrap().message.contains("1000 件"),
            "{:?}",
            errors.last()
        );
        let size: usize = errors.iter().map(|e| e.message.len()).sum();
        assert!(size < 200_000, "{size} bytes of messages");
        let ok =
            "id,hired_on,left_on,leave_reason\nE1,2015-04-01,2023-02-28,mandatory_retirement\n";
        assert_eq!(
            roster_csv(ok.as_bytes()).unwrap().0[0]["leave_reason"],
            "mandatory_retirement"
        );
        assert!(roster_csv(b"name,x\n").unwrap_err()[0]
            .message
            .contains("従業員ID"));
    }
}
