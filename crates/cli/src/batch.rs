//! `josei evaluate --batch`: one case per line in, one evaluation per line out.

use crate::pipeline::{self, group_digits, Chunk, Progress};
use jiff::civil::Date;
use josei_rules::evaluate::SubsidyStatus;
use josei_rules::{evaluate, parse_case, ErrorCode, InputError};
use serde::Serialize;
use std::io::{BufRead, Write};

/// Counts for the closing summary.
#[derive(Default, Clone, Copy)]
pub struct Summary {
    pub cases: u64,
    pub errors: u64,
    /// [payable, pending, not payable] for the equipment and the goal subsidy.
    pub equipment: [u64; 3],
    pub goal: [u64; 3],
    /// Payable amounts of both subsidies, in yen.
    pub payable_yen: u128,
}

impl Summary {
    fn add(&mut self, o: &Summary) {
        self.cases += o.cases;
        self.errors += o.errors;
        for i in 0..3 {
            self.equipment[i] += o.equipment[i];
            self.goal[i] += o.goal[i];
        }
        self.payable_yen += o.payable_yen;
    }

    /// The summary as printed on standard error (Japanese, one block).
    pub fn render(&self, seconds: f64) -> String {
        format!(
            "件数 {}（評価 {}、エラー {}）\n\
             機器等導入助成・制度導入助成: 支給対象 {} / 判定待ち {} / 不支給 {}\n\
             目標達成助成:   支給対象 {} / 判定待ち {} / 不支給 {}\n\
             支給対象額の合計: {}円\n\
             所要時間 {:.2} 秒",
            group_digits(self.cases + self.errors),
            group_digits(self.cases),
            group_digits(self.errors),
            group_digits(self.equipment[0]),
            group_digits(self.equipment[1]),
            group_digits(self.equipment[2]),
            group_digits(self.goal[0]),
            group_digits(self.goal[1]),
            group_digits(self.goal[2]),
            group_digits(self.payable_yen),
            seconds
        )
    }
}

fn slot(s: SubsidyStatus) -> usize {
    match s {
        SubsidyStatus::Payable => 0,
        SubsidyStatus::Pending => 1,
        SubsidyStatus::NotPayable => 2,
    }
}

/// An error record, in place of the evaluation of a bad line.
#[derive(Serialize)]
struct ErrorRecord<'a> {
    line: u64,
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    field: &'a str,
    message: &'a str,
}

fn write_error(out: &mut Vec<u8>, line: u64, e: &InputError) {
    let record = ErrorRecord {
        line,
        error: ErrorBody {
            code: e.code.as_str(),
            field: &e.field,
            message: &e.message,
        },
    };
    // Serializing plain strings and numbers cannot fail.
    let _ = serde_json::to_writer(&mut *out, &record);
    out.push(b'\n');
}

/// Evaluates every line of one chunk.
fn evaluate_chunk(chunk: &Chunk, today: Date, max_line: usize) -> (Vec<u8>, Summary) {
    let mut out = Vec::with_capacity(chunk.lines().count() * 4096);
    let mut summary = Summary::default();
    for (line_no, line) in chunk.lines() {
        let result = line
            .ok_or_else(|| InputError {
                code: ErrorCode::OutOfRange,
                field: "$".into(),
                message: format!("行が長すぎます（上限 {} MiB）", max_line >> 20),
            })
            .and_then(|bytes| {
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    return Ok(None);
                }
                let text = std::str::from_utf8(bytes).map_err(|e| InputError {
                    code: ErrorCode::InvalidJson,
                    field: "$".into(),
                    message: format!(
                        "UTF-8 のテキストではありません（{} バイト目）",
                        e.valid_up_to()
                    ),
                })?;
                parse_case(text, today).map(Some)
            });
        match result {
            Ok(None) => {}
            Ok(Some(parsed)) => {
                let e = evaluate(&parsed);
                summary.cases += 1;
                summary.equipment[slot(e.equipment_subsidy.status)] += 1;
                summary.goal[slot(e.goal_subsidy.status)] += 1;
                if e.equipment_subsidy.status == SubsidyStatus::Payable {
                    summary.payable_yen += u128::from(e.equipment_subsidy.amount_yen.0);
                }
                if e.goal_subsidy.status == SubsidyStatus::Payable {
                    summary.payable_yen += u128::from(e.goal_subsidy.amount_yen.0);
                }
                let _ = serde_json::to_writer(&mut out, &e);
                out.push(b'\n');
            }
            Err(err) => {
                summary.errors += 1;
                write_error(&mut out, line_no, &err);
            }
        }
    }
    (out, summary)
}

/// Runs the batch; returns the summary.
pub fn run_batch<R: BufRead + Send + 'static, W: Write>(
    input: R,
    out: &mut W,
    total_bytes: Option<u64>,
    jobs: usize,
    today: Date,
    max_line: usize,
) -> std::io::Result<(Summary, f64)> {
    let mut progress = Progress::new("評価中", total_bytes);
    let mut summary = Summary::default();
    let mut bytes = 0;
    pipeline::run(
        input,
        out,
        jobs,
        max_line,
        move |chunk| evaluate_chunk(chunk, today, max_line),
        |done| {
            summary.add(&done.stats);
            bytes += done.bytes;
            progress.update(summary.cases + summary.errors, bytes);
        },
    )?;
    progress.finish();
    Ok((summary, progress.elapsed()))
}

/// The baseline the batch is measured against: parse every line as JSON and
/// write it back, with the same pipeline (`josei jsonl-roundtrip`).
pub fn run_roundtrip<R: BufRead + Send + 'static, W: Write>(
    input: R,
    out: &mut W,
    jobs: usize,
    max_line: usize,
) -> std::io::Result<u64> {
    let mut lines = 0;
    pipeline::run(
        input,
        out,
        jobs,
        max_line,
        |chunk| {
            let mut out = Vec::new();
            for (_, line) in chunk.lines() {
                if let Some(Ok(v)) = line.map(serde_json::from_slice::<serde_json::Value>) {
                    let _ = serde_json::to_writer(&mut out, &v);
                    out.push(b'\n');
                }
            }
            (out, ())
        },
        |done| lines += done.lines,
    )?;
    Ok(lines)
}
