//! Parquet populations (feature `parquet`): read row groups in parallel into
//! [`Cells`], and write synthetic populations.
//!
//! Accepted physical types: INT64 or INT32 for counts, yen and booleans (0/1),
//! BOOLEAN for booleans, DOUBLE or FLOAT or INT64 for `weight`, BYTE_ARRAY
//! (UTF-8) for `industry`, `telework_status` and `id`. Any column may be
//! OPTIONAL: a null is an empty cell.

use crate::population::{check_required, column_index, Cells, Kind, RowError, COLUMNS};
use josei_rules::model::ExpenseCategory;
use josei_rules::parse::{MAX_COUNT, MAX_YEN};
use josei_rules::simulate::{EmployerFigures, WEIGHT_SCALE};
use parquet::basic::Compression;
use parquet::column::reader::ColumnReader;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::fs::File;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Rows per row group written by `josei synth`.
pub const ROW_GROUP_ROWS: usize = 131_072;

fn open(path: &str) -> Result<SerializedFileReader<File>, RowError> {
    let file = File::open(path).map_err(|e| header_error(format!("{path} を開けません: {e}")))?;
    SerializedFileReader::new(file)
        .map_err(|e| header_error(format!("Parquet として読めません: {e}")))
}

fn header_error(message: String) -> RowError {
    RowError {
        line: 0,
        column: String::new(),
        message,
    }
}

/// Runs `process` on every row group's rows on `jobs` threads; returns each
/// thread's result. `process` gets the rows and the 1-based number of the first.
pub fn for_each_row_group<S: Send + 'static>(
    path: &str,
    jobs: usize,
    process: impl Fn(&[Cells], u64) -> Result<S, RowError> + Send + Sync + 'static,
    init: impl Fn() -> S + Send + Sync + 'static,
    merge: impl Fn(&mut S, S) + Send + Sync + 'static,
) -> Result<Vec<S>, RowError> {
    let reader = open(path)?;
    let meta = reader.metadata();
    let schema = meta.file_metadata().schema_descr();
    // schema column -> leaf index in the file.
    let mut map = vec![None; COLUMNS.len()];
    for j in 0..schema.num_columns() {
        if let Some(i) = column_index(schema.column(j).name()) {
            map[i] = Some(j);
        }
    }
    check_required(&map, 0)?;
    let groups = meta.num_row_groups();
    let mut starts = Vec::with_capacity(groups);
    let mut row = 1u64;
    for g in 0..groups {
        starts.push(row);
        row += meta.row_group(g).num_rows() as u64;
    }
    let next = Arc::new(AtomicUsize::new(0));
    let shared = Arc::new((map, starts, process, init, merge));
    let path = Arc::new(path.to_string());
    let handles: Vec<_> = (0..jobs.max(1).min(groups.max(1)))
        .map(|_| {
            let next = Arc::clone(&next);
            let shared = Arc::clone(&shared);
            let path = Arc::clone(&path);
            std::thread::spawn(move || -> Result<S, RowError> {
                let (map, starts, process, init, merge) = &*shared;
                let reader = open(&path)?;
                let mut acc = init();
                loop {
                    let g = next.fetch_add(1, Ordering::Relaxed);
                    if g >= starts.len() {
                        return Ok(acc);
                    }
                    read_group(&reader, g, map, starts[g], &mut |rows, first| {
                        merge(&mut acc, process(rows, first)?);
                        Ok(())
                    })?;
                }
            })
        })
        .collect();
    let mut results = Vec::new();
    let mut first_error: Option<RowError> = None;
    for h in handles {
        match h.join() {
            Ok(Ok(s)) => results.push(s),
            Ok(Err(e)) => {
                if first_error.as_ref().is_none_or(|f| e.line < f.line) {
                    first_error = Some(e);
                }
            }
            Err(_) => first_error = Some(header_error("読み込みスレッドが異常終了しました".into())),
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(results),
    }
}

/// Receives each decoded batch of rows with the number of its first row.
type BatchSink<'a> = dyn FnMut(&[Cells], u64) -> Result<(), RowError> + 'a;

/// Rows decoded at a time: small enough that the rows stay in cache.
const BATCH: usize = 4096;

/// A column of one row group being read, with its reusable buffers.
struct ColumnState {
    index: usize,
    reader: ColumnReader,
    max_def: i16,
    defs: Vec<i16>,
}

/// Reads row group `g` in batches of [`BATCH`] rows and hands each batch to `sink`.
fn read_group(
    reader: &SerializedFileReader<File>,
    g: usize,
    map: &[Option<usize>],
    first_row: u64,
    sink: &mut BatchSink<'_>,
) -> Result<(), RowError> {
    let group = reader
        .get_row_group(g)
        .map_err(|e| header_error(format!("行グループ {g} を読めません: {e}")))?;
    let n = group.metadata().num_rows() as usize;
    let mut columns = Vec::new();
    for (i, col) in COLUMNS.iter().enumerate() {
        let Some(j) = map[i] else { continue };
        if col.kind == Kind::Id {
            continue;
        }
        let reader = group.get_column_reader(j).map_err(|e| RowError {
            line: first_row,
            column: col.name.to_string(),
            message: format!("列を読めません: {e}"),
        })?;
        columns.push(ColumnState {
            index: i,
            reader,
            max_def: group.metadata().column(j).column_descr().max_def_level(),
            defs: Vec::with_capacity(BATCH),
        });
    }
    let mut rows: Vec<Cells> = vec![[None; COLUMNS.len()]; BATCH.min(n.max(1))];
    let mut i64s: Vec<i64> = Vec::with_capacity(BATCH);
    let mut i32s: Vec<i32> = Vec::with_capacity(BATCH);
    let mut bools: Vec<bool> = Vec::with_capacity(BATCH);
    let mut f64s: Vec<f64> = Vec::with_capacity(BATCH);
    let mut f32s: Vec<f32> = Vec::with_capacity(BATCH);
    let mut bytes: Vec<ByteArray> = Vec::with_capacity(BATCH);
    let mut done = 0;
    while done < n {
        let want = BATCH.min(n - done);
        let batch_first = first_row + done as u64;
        for row in rows[..want].iter_mut() {
            *row = [None; COLUMNS.len()];
        }
        for c in columns.iter_mut() {
            let ColumnState {
                index: i,
                reader,
                max_def,
                defs,
            } = c;
            let (i, max_def) = (*i, *max_def);
            let col = &COLUMNS[i];
            let fail = |row: usize, message: String| RowError {
                line: batch_first + row as u64,
                column: col.name.to_string(),
                message,
            };
            defs.clear();
            macro_rules! read_batch {
                ($r:expr, $values:expr) => {{
                    $values.clear();
                    let mut got = 0;
                    while got < want {
                        let (records, _, _) = $r
                            .read_records(want - got, Some(&mut *defs), None, &mut $values)
                            .map_err(|e| fail(got, format!("列を読めません: {e}")))?;
                        if records == 0 {
                            return Err(fail(got, "行数が足りません".into()));
                        }
                        got += records;
                    }
                }};
            }
            match reader {
                ColumnReader::Int64ColumnReader(r) => {
                    read_batch!(r, i64s);
                    put_ints(
                        &mut rows[..want],
                        i,
                        col.kind,
                        defs,
                        max_def,
                        i64s.iter().copied(),
                        &fail,
                    )?;
                }
                ColumnReader::Int32ColumnReader(r) => {
                    read_batch!(r, i32s);
                    put_ints(
                        &mut rows[..want],
                        i,
                        col.kind,
                        defs,
                        max_def,
                        i32s.iter().map(|&v| i64::from(v)),
                        &fail,
                    )?;
                }
                ColumnReader::BoolColumnReader(r) if col.kind == Kind::Bool => {
                    read_batch!(r, bools);
                    put_all(
                        &mut rows[..want],
                        i,
                        defs,
                        max_def,
                        bools.iter().map(|&v| Ok(i64::from(v))),
                        &fail,
                    )?;
                }
                ColumnReader::DoubleColumnReader(r) if col.kind == Kind::Weight => {
                    read_batch!(r, f64s);
                    put_all(
                        &mut rows[..want],
                        i,
                        defs,
                        max_def,
                        f64s.iter().map(|&v| weight_cell(v)),
                        &fail,
                    )?;
                }
                ColumnReader::FloatColumnReader(r) if col.kind == Kind::Weight => {
                    read_batch!(r, f32s);
                    put_all(
                        &mut rows[..want],
                        i,
                        defs,
                        max_def,
                        f32s.iter().map(|&v| weight_cell(f64::from(v))),
                        &fail,
                    )?;
                }
                ColumnReader::ByteArrayColumnReader(r)
                    if matches!(col.kind, Kind::Industry | Kind::TeleworkStatus) =>
                {
                    read_batch!(r, bytes);
                    // Values repeat: remember the last one decoded.
                    let mut last: Option<(Vec<u8>, i64)> = None;
                    let cells = bytes.iter().map(|v| {
                        if let Some((b, c)) = &last {
                            if b.as_slice() == v.data() {
                                return Ok(*c);
                            }
                        }
                        let c = match crate::population::parse_cell(col.kind, v.data()) {
                            Ok(Some(c)) => c,
                            Ok(None) => return Err("空の値は使えません".to_string()),
                            Err(m) => return Err(m),
                        };
                        last = Some((v.data().to_vec(), c));
                        Ok(c)
                    });
                    put_all(&mut rows[..want], i, defs, max_def, cells, &fail)?;
                }
                _ => {
                    return Err(fail(
                        0,
                        "この列の型には対応していません（整数・真偽値・文字列・重みは実数）".into(),
                    ))
                }
            }
        }
        sink(&rows[..want], batch_first)?;
        done += want;
    }
    Ok(())
}

/// Integer columns: validated in a tight loop, the message built only on failure.
fn put_ints(
    rows: &mut [Cells],
    i: usize,
    kind: Kind,
    defs: &[i16],
    max_def: i16,
    values: impl Iterator<Item = i64>,
    fail: &dyn Fn(usize, String) -> RowError,
) -> Result<(), RowError> {
    let max = match kind {
        Kind::Yen => MAX_YEN as i64,
        Kind::Count => MAX_COUNT as i64,
        Kind::Bool => 1,
        _ => i64::MAX,
    };
    if max_def == 0 && matches!(kind, Kind::Yen | Kind::Count | Kind::Bool) {
        for (row, (cell, v)) in rows.iter_mut().zip(values).enumerate() {
            if !(0..=max).contains(&v) {
                return Err(fail(row, int_cell(kind, v).err().unwrap_or_default()));
            }
            cell[i] = Some(v);
        }
        return Ok(());
    }
    put_all(
        rows,
        i,
        defs,
        max_def,
        values.map(|v| int_cell(kind, v)),
        fail,
    )
}

/// Stores a column's values into the rows: a row whose definition level is
/// below the maximum is null (an empty cell).
fn put_all(
    rows: &mut [Cells],
    i: usize,
    defs: &[i16],
    max_def: i16,
    values: impl Iterator<Item = Result<i64, String>>,
    fail: &dyn Fn(usize, String) -> RowError,
) -> Result<(), RowError> {
    let mut values = values;
    for (row, cell) in rows.iter_mut().enumerate() {
        let present = max_def == 0 || defs.get(row).is_some_and(|&d| d == max_def);
        if present {
            let v = values
                .next()
                .ok_or_else(|| fail(row, "値が足りません".into()))?
                .map_err(|m| fail(row, m))?;
            cell[i] = Some(v);
        }
    }
    Ok(())
}

fn int_cell(kind: Kind, v: i64) -> Result<i64, String> {
    let max = match kind {
        Kind::Yen => MAX_YEN as i64,
        Kind::Count => MAX_COUNT as i64,
        Kind::Bool => 1,
        Kind::Weight => {
            return v
                .checked_mul(WEIGHT_SCALE as i64)
                .filter(|w| *w >= 0)
                .ok_or("0以上の重みを指定してください".into())
        }
        _ => return Err("整数の列ではありません".into()),
    };
    if v < 0 {
        return Err(format!("0以上で指定してください（{v} は使えません）"));
    }
    if v > max {
        return Err(format!("{v} は大きすぎます（上限 {max}）"));
    }
    Ok(v)
}

/// A floating-point weight, rounded to millionths (the only float the
/// simulator accepts; it becomes exact fixed-point at once).
fn weight_cell(w: f64) -> Result<i64, String> {
    if !(w.is_finite() && (0.0..1e12).contains(&w)) {
        return Err(format!("0以上の重みを指定してください（{w} は使えません）"));
    }
    Ok((w * WEIGHT_SCALE as f64).round() as i64)
}

/// The Parquet schema of a population written by `josei synth`.
fn message_type() -> String {
    let mut s = String::from("message population {\n");
    for c in COLUMNS {
        let line = match (c.kind, c.name) {
            (Kind::Id | Kind::Industry | Kind::TeleworkStatus, _) => {
                format!("REQUIRED BYTE_ARRAY {} (UTF8);", c.name)
            }
            (Kind::Weight, _) => format!("REQUIRED DOUBLE {};", c.name),
            (Kind::Bool, _) => format!("REQUIRED BOOLEAN {};", c.name),
            (_, "capital_yen") => format!("OPTIONAL INT64 {};", c.name),
            _ => format!("REQUIRED INT64 {};", c.name),
        };
        s.push_str(&line);
        s.push('\n');
    }
    s.push('}');
    s
}

/// Writes rows of a synthetic population as Parquet.
pub struct Writer {
    inner: SerializedFileWriter<File>,
    rows: Vec<(String, EmployerFigures, u64)>,
}

impl Writer {
    pub fn create(path: &str) -> Result<Writer, String> {
        let schema = Arc::new(parse_message_type(&message_type()).map_err(|e| e.to_string())?);
        let props = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .build(),
        );
        let file = File::create(path).map_err(|e| format!("{path} を作れません: {e}"))?;
        let inner = SerializedFileWriter::new(file, schema, props).map_err(|e| e.to_string())?;
        Ok(Writer {
            inner,
            rows: Vec::with_capacity(ROW_GROUP_ROWS),
        })
    }

    pub fn push(&mut self, id: String, f: EmployerFigures, weight: u64) -> Result<(), String> {
        self.rows.push((id, f, weight));
        if self.rows.len() >= ROW_GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), String> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.rows);
        let mut group = self.inner.next_row_group().map_err(|e| e.to_string())?;
        let mut i = 0;
        while let Some(mut col) = group.next_column().map_err(|e| e.to_string())? {
            let c = &COLUMNS[i];
            let err = |e: parquet::errors::ParquetError| e.to_string();
            match (c.kind, c.name) {
                (Kind::Id, _) => {
                    let v: Vec<ByteArray> =
                        rows.iter().map(|r| ByteArray::from(r.0.as_str())).collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&v, None, None)
                        .map_err(err)?;
                }
                (Kind::Industry | Kind::TeleworkStatus, _) => {
                    let v: Vec<ByteArray> = rows
                        .iter()
                        .map(|r| {
                            ByteArray::from(if c.kind == Kind::Industry {
                                r.1.industry.as_str()
                            } else {
                                r.1.telework_status.as_str()
                            })
                        })
                        .collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&v, None, None)
                        .map_err(err)?;
                }
                (Kind::Weight, _) => {
                    let v: Vec<f64> = rows
                        .iter()
                        .map(|r| r.2 as f64 / WEIGHT_SCALE as f64)
                        .collect();
                    col.typed::<DoubleType>()
                        .write_batch(&v, None, None)
                        .map_err(err)?;
                }
                (Kind::Bool, _) => {
                    let v: Vec<bool> = rows.iter().map(|r| int_value(i, &r.1) != 0).collect();
                    col.typed::<BoolType>()
                        .write_batch(&v, None, None)
                        .map_err(err)?;
                }
                (_, "capital_yen") => {
                    let defs: Vec<i16> = rows
                        .iter()
                        .map(|r| i16::from(r.1.capital_yen.is_some()))
                        .collect();
                    let v: Vec<i64> = rows
                        .iter()
                        .filter_map(|r| r.1.capital_yen.map(|c| c.0 as i64))
                        .collect();
                    col.typed::<Int64Type>()
                        .write_batch(&v, Some(&defs), None)
                        .map_err(err)?;
                }
                _ => {
                    let v: Vec<i64> = rows.iter().map(|r| int_value(i, &r.1)).collect();
                    col.typed::<Int64Type>()
                        .write_batch(&v, None, None)
                        .map_err(err)?;
                }
            }
            col.close().map_err(|e| e.to_string())?;
            i += 1;
        }
        group.close().map_err(|e| e.to_string())?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<(), String> {
        self.flush()?;
        self.inner.close().map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// The integer value of schema column `i` for `f` (booleans as 0/1).
fn int_value(i: usize, f: &EmployerFigures) -> i64 {
    let b = |x: bool| i64::from(x);
    match i {
        4 => f.regular_employees as i64,
        5 => b(f.employment_insurance),
        7 => b(f.work_rules_have_telework),
        8 => b(f.received_telework_subsidy),
        9 => i64::from(f.target_workers),
        10 => i64::from(f.direct_target_workers),
        11 => i64::from(f.telework_workers),
        12 => i64::from(f.telework_days),
        13 => i64::from(f.period_days),
        14..=29 => f.spending[ExpenseCategory::ALL[i - 14] as usize].0 as i64,
        30 => f.plan_headcount as i64,
        31 => f.plan_separations as i64,
        32 => f.eval_headcount as i64,
        33 => f.eval_separations as i64,
        34 => f.headcount_at_certification as i64,
        35 => f.headcount_at_goal_start as i64,
        36 => f.goal_teleworkers as i64,
        37 => b(f.productivity_met),
        38 => b(f.disqualified),
        39 => b(f.received_other_telework_subsidy),
        40 => f.telework_before_count as i64,
        41 => i64::from(f.goal_telework_days),
        42 => b(f.wage_increase_met),
        _ => 0,
    }
}
