//! `josei evaluate` (one case, or JSON Lines in batch) and the JSON round trip.

use super::schedule::option_date;
use crate::args::*;
use crate::output::*;
use crate::{batch, report};
use josei_rules::{evaluate, parse_case, ErrorCode, InputError};
use std::io::Read;

/// The largest case document accepted (bytes).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

pub fn cmd_evaluate(file: &str, format: Format, as_of: Option<&str>) -> Result<(), Failure> {
    let today = match as_of {
        Some(s) => option_date("--as-of", s)?,
        None => today_in_japan(),
    };
    let text = read_input(file)?;
    let parsed = parse_case(&text, today)?;
    let evaluation = evaluate(&parsed);
    let out = match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&evaluation)
                .map_err(|e| Failure::Other(format!("出力を作れません: {e}")))?;
            s.push('\n');
            s
        }
        Format::Text => report::evaluation_report(&parsed, &evaluation),
    };
    write_stdout(&out)
}

pub fn cmd_batch(file: &str, jobs: Option<usize>, as_of: Option<&str>) -> Result<(), Failure> {
    let today = match as_of {
        Some(s) => option_date("--as-of", s)?,
        None => today_in_japan(),
    };
    let (input, size) = open_input(file)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let (summary, seconds) = batch::run_batch(
        input,
        &mut out,
        size,
        jobs_or_cores(jobs),
        today,
        MAX_INPUT_BYTES as usize,
    )
    .map_err(|e| io_failure(file, e))?;
    eprintln!("{}", summary.render(seconds));
    Ok(())
}

pub fn cmd_roundtrip(file: &str, jobs: Option<usize>) -> Result<(), Failure> {
    let (input, _) = open_input(file)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let started = std::time::Instant::now();
    let lines = batch::run_roundtrip(
        input,
        &mut out,
        jobs_or_cores(jobs),
        MAX_INPUT_BYTES as usize,
    )
    .map_err(|e| io_failure(file, e))?;
    eprintln!("{lines} lines in {:.2} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The number of threads: `--jobs`, else every core.
pub fn jobs_or_cores(jobs: Option<usize>) -> usize {
    jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}

/// A buffered reader over a file or standard input, with the file's size when known.
pub fn open_input(
    file: &str,
) -> Result<(Box<dyn std::io::BufRead + Send>, Option<u64>), InputError> {
    if file == "-" {
        let stdin = std::io::stdin();
        return Ok((
            Box::new(std::io::BufReader::with_capacity(1 << 20, stdin)),
            None,
        ));
    }
    let f = std::fs::File::open(file).map_err(|e| InputError {
        code: ErrorCode::InvalidJson,
        field: "$".into(),
        message: format!("{file} を開けません: {e}"),
    })?;
    let size = f.metadata().ok().map(|m| m.len());
    Ok((
        Box::new(std::io::BufReader::with_capacity(1 << 20, f)),
        size,
    ))
}

pub fn io_failure(file: &str, e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return Failure::Other(String::new());
    }
    Failure::Other(format!("{file}: {e}"))
}

/// Reads the whole case from a file or, for `-`, standard input, within
/// [`MAX_INPUT_BYTES`]. Every failure is an input error at `$`.
pub fn read_input(file: &str) -> Result<String, InputError> {
    let input_error = |message: String| InputError {
        code: ErrorCode::InvalidJson,
        field: "$".into(),
        message,
    };
    let mut bytes = Vec::new();
    let read = if file == "-" {
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(file).and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| input_error(format!("{file} を読めません: {e}")))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(input_error(format!(
            "入力が大きすぎます（上限 {} MiB）",
            MAX_INPUT_BYTES / 1024 / 1024
        )));
    }
    // A UTF-8 byte-order mark is tolerated.
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(body.to_vec()).map_err(|e| {
        input_error(format!(
            "UTF-8 のテキストではありません（{} バイト目）",
            e.utf8_error().valid_up_to()
        ))
    })
}
