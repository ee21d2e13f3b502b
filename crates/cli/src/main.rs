//! `josei`: the command line of the telework-subsidy engine.
//!
//! Exit status: 0 when the work was done (whatever the outcome of a case), 2
//! when the input is invalid (one line on standard error naming the field),
//! 1 on any other failure.

mod report;

use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;
use josei_rules::civil::parse_iso_date;
use josei_rules::{evaluate, parse_case, regime, ErrorCode, InputError};
use std::io::{Read, Write};
use std::process::ExitCode;

/// The largest case document accepted (bytes).
const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Parser)]
#[command(
    name = "josei",
    version,
    about = "人材確保等支援助成金（テレワークコース）の判定エンジン",
    long_about = "人材確保等支援助成金（テレワークコース）の判定エンジン。\nケース（JSON）を評価し、日程・要件・支給額を出力します。"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// ケース（JSON）を評価する。FILE に - を指定すると標準入力から読む
    Evaluate {
        /// ケースファイル（- で標準入力）
        file: String,
        /// 出力形式: json（契約どおりの JSON）または text（読みやすい日本語のレポート）
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// ケースに as_of がないときの評価日（既定: 日本時間の今日）
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
    },
    /// 提出日・認定日・評価期間の初日から、すべての期間と期限を表示する
    Schedule {
        /// 計画提出日
        #[arg(long, value_name = "YYYY-MM-DD")]
        submitted: String,
        /// 計画認定日
        #[arg(long, value_name = "YYYY-MM-DD")]
        certified: Option<String>,
        /// 評価期間（機器等導入助成）の初日
        #[arg(long, value_name = "YYYY-MM-DD")]
        evaluation_start: Option<String>,
        /// 制度（既定: 提出日から選ぶ）
        #[arg(long, value_name = "ID")]
        regime: Option<String>,
        /// 出力形式
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Json,
    Text,
}

/// How a command failed.
enum Failure {
    /// Invalid input: exit 2.
    Input(InputError),
    /// Anything else (I/O on output): exit 1.
    Other(String),
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        Failure::Input(e)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Evaluate {
            file,
            format,
            as_of,
        } => cmd_evaluate(&file, format, as_of.as_deref()),
        Command::Schedule {
            submitted,
            certified,
            evaluation_start,
            regime,
            format,
        } => cmd_schedule(
            &submitted,
            certified.as_deref(),
            evaluation_start.as_deref(),
            regime.as_deref(),
            format,
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(e)) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
        Err(Failure::Other(msg)) => {
            eprintln!("josei: {msg}");
            ExitCode::from(1)
        }
    }
}

fn cmd_evaluate(file: &str, format: Format, as_of: Option<&str>) -> Result<(), Failure> {
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

fn cmd_schedule(
    submitted: &str,
    certified: Option<&str>,
    evaluation_start: Option<&str>,
    regime_id: Option<&str>,
    format: Format,
) -> Result<(), Failure> {
    let submitted = option_date("--submitted", submitted)?;
    let certified = certified
        .map(|s| option_date("--certified", s))
        .transpose()?;
    let start = evaluation_start
        .map(|s| option_date("--evaluation-start", s))
        .transpose()?;
    if let Some(c) = certified {
        if c < submitted {
            return Err(InputError {
                code: ErrorCode::DateOrder,
                field: "--certified".into(),
                message: format!("認定日 {c} が計画提出日 {submitted} より前です"),
            }
            .into());
        }
    }
    let regime = match regime_id {
        Some(id) => regime::by_id(id).ok_or_else(|| InputError {
            code: ErrorCode::UnknownRegime,
            field: "--regime".into(),
            message: format!("制度 {id:?} はありません。使える制度: {}", regime::coverage_summary()),
        })?,
        None => regime::for_submission(submitted).ok_or_else(|| InputError {
            code: ErrorCode::NoRegime,
            field: "--submitted".into(),
            message: format!(
                "{submitted} に提出された計画に適用される制度がありません（対応: {}）。--regime で指定できます",
                regime::coverage_summary()
            ),
        })?,
    };
    let schedule = josei_rules::schedule::schedule(&regime.periods, submitted, certified, start);
    let out = match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&schedule)
                .map_err(|e| Failure::Other(format!("出力を作れません: {e}")))?;
            s.push('\n');
            s
        }
        Format::Text => report::schedule_report(regime, &schedule),
    };
    write_stdout(&out)
}

/// A date given as a command-line option.
fn option_date(option: &str, s: &str) -> Result<Date, InputError> {
    parse_iso_date(s).map_err(|_| InputError {
        code: ErrorCode::InvalidDate,
        field: option.into(),
        message: format!(
            "{s:?} は日付として使えません。YYYY-MM-DD 形式の実在する日付を指定してください"
        ),
    })
}

/// Today's date in Japan (JST, UTC+9, no daylight saving).
fn today_in_japan() -> Date {
    let jst = jiff::tz::TimeZone::fixed(jiff::tz::offset(9));
    jiff::Timestamp::now().to_zoned(jst).date()
}

/// Reads the whole case from a file or, for `-`, standard input, within
/// [`MAX_INPUT_BYTES`]. Every failure is an input error at `$`.
fn read_input(file: &str) -> Result<String, InputError> {
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

fn write_stdout(s: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`josei … | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Other(format!("標準出力に書けません: {e}"))),
    }
}
