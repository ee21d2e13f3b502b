//! `josei`: the command line of the telework-subsidy engine.
//!
//! Exit status: 0 when the work was done (whatever the outcome of a case), 2
//! when the input is invalid (one line on standard error naming the field),
//! 1 on any other failure.

mod batch;
mod demo;
#[cfg(feature = "parquet")]
mod parquet_io;
mod pipeline;
mod population;
mod report;
mod service;
mod simulate_cmd;
mod synth;

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
    /// 制度データの訂正ファイル（TOML、data/regimes.toml と同じ形）。組み込みの値に項目ごとに重ねる
    #[arg(long, global = true, env = "JOSEI_REGIMES", value_name = "FILE.toml")]
    regimes: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// ケース（JSON）を評価する。FILE に - を指定すると標準入力から読む
    Evaluate {
        /// ケースファイル（- で標準入力）
        #[arg(required_unless_present = "batch", conflicts_with = "batch")]
        file: Option<String>,
        /// 1行に1ケースの JSON Lines を評価し、1行に1評価を入力順に出力する（- で標準入力）
        #[arg(long, value_name = "FILE.jsonl")]
        batch: Option<String>,
        /// 並列に使うスレッド数（既定: CPU のコア数）
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// 出力形式: json（契約どおりの JSON）または text（読みやすい日本語のレポート）
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// ケースに as_of がないときの評価日（既定: 日本時間の今日）
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
    },
    /// 提出日・認定日・評価期間の初日から、すべての期間と期限を表示する（令和7年度からは評価期間の初日だけ）
    Schedule {
        /// 計画提出日（令和6年度までの制度）
        #[arg(long, value_name = "YYYY-MM-DD")]
        submitted: Option<String>,
        /// 計画認定日
        #[arg(long, value_name = "YYYY-MM-DD")]
        certified: Option<String>,
        /// 評価期間（機器等導入助成・制度導入助成）の初日
        #[arg(long, value_name = "YYYY-MM-DD")]
        evaluation_start: Option<String>,
        /// 制度（既定: 提出日、なければ評価期間の初日から選ぶ）
        #[arg(long, value_name = "ID")]
        regime: Option<String>,
        /// 出力形式
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// 事業主の母集団（CSV または Parquet）について、助成金の件数と総額を推計する
    Simulate {
        /// 母集団ファイル（.csv または .parquet。- で CSV を標準入力から）
        population: String,
        /// 制度パラメータを変更する改正案（TOML）。基準と並べて差を示す
        #[arg(long, value_name = "FILE.toml")]
        reform: Option<String>,
        /// 予算額（例: 420000000、4.2億、42000万）。賄える申請件数を示す
        #[arg(long, value_name = "YEN")]
        budget: Option<String>,
        /// 基準とする制度（既定: 最新の制度）
        #[arg(long, value_name = "ID")]
        regime: Option<String>,
        /// 同じ母集団を各年度の制度で評価し、年度ごとに並べる（件数・総額・1社あたり・予算）
        #[arg(long, conflicts_with_all = ["reform", "regime"])]
        compare_years: bool,
        /// 出力形式
        #[arg(long, value_enum, default_value_t = SimFormat::Table)]
        format: SimFormat,
        /// 並列に使うスレッド数（既定: CPU のコア数）
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// ベンチマーク用: 母集団を読んで検証するだけで、制度は評価しない
        #[arg(long, hide = true)]
        parse_only: bool,
    },
    /// 合成の母集団を作る（同じ seed なら同じ結果）
    Synth {
        /// 事業主数
        #[arg(long, value_name = "N")]
        employers: u64,
        /// 乱数の種
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
        /// 出力先（.csv または .parquet。既定: CSV を標準出力へ）
        #[arg(long, value_name = "FILE")]
        output: Option<String>,
    },
    /// 母集団ファイル（simulate の入力）の列の一覧を表示する
    Columns,
    /// 各年度の制度の一覧（対象の日付、主な値、未確認の値の数）
    Regimes {
        /// 出力形式
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// ケース管理サービス（REST API）を起動する
    Serve {
        /// 待ち受けるアドレスとポート
        #[arg(long, env = "JOSEI_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// データベース（SQLite のファイル、または postgres://…）
        #[arg(long, env = "DATABASE_URL", default_value = "josei.db")]
        database: String,
        /// セッション Cookie に Secure を付ける（HTTPS の背後で動かすとき）
        #[arg(long, env = "JOSEI_SECURE_COOKIES")]
        secure_cookies: bool,
        /// 管理者が「今日」の日付を設定できるようにする（研修・試験用）
        #[arg(long, hide = true)]
        clock_override: bool,
        /// リバースプロキシの背後で動かす: 接続元を X-Forwarded-For の最後のアドレスとみなす
        #[arg(long, env = "JOSEI_TRUSTED_PROXY")]
        trusted_proxy: bool,
    },
    /// ユーザーを管理する
    User {
        #[command(subcommand)]
        command: UserCommand,
        /// データベース（SQLite のファイル、または postgres://…）
        #[arg(long, env = "DATABASE_URL", default_value = "josei.db", global = true)]
        database: String,
    },
    /// テレワーク実績または労働者名簿の CSV をケースに取り込む（全件か、何もしないか）
    Import {
        /// telework（テレワーク実績）または roster（労働者名簿）
        #[arg(value_parser = ["telework", "roster"])]
        kind: String,
        /// ケース番号
        case_id: i64,
        /// CSV ファイル（UTF-8 または Shift_JIS）
        file: String,
        /// 既存の記録を置き換える（既定: 追加）
        #[arg(long)]
        replace: bool,
        /// 監査ログに記録する操作者のユーザー名
        #[arg(long, value_name = "USERNAME")]
        user: Option<String>,
        #[arg(long, env = "DATABASE_URL", default_value = "josei.db")]
        database: String,
    },
    /// ケースの一覧を書き出す（労働局向け）
    Export {
        /// 書き出すもの
        #[arg(value_parser = ["cases"])]
        what: String,
        /// 形式
        #[arg(long, value_parser = ["csv"], default_value = "csv")]
        format: String,
        /// 都道府県コード（1〜47）で絞り込む
        #[arg(long)]
        prefecture: Option<i64>,
        /// 評価日（既定: 日本時間の今日）
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        #[arg(long, env = "DATABASE_URL", default_value = "josei.db")]
        database: String,
    },
    /// 研修・デモ・性能測定用のデータを空のデータベースに作成する（パスワードは JOSEI_DEMO_PASSWORD）
    Demo {
        /// 作成するケースの件数
        #[arg(long, value_name = "N")]
        cases: u64,
        /// 乱数の種（同じ種なら同じデータ）
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, env = "DATABASE_URL", default_value = "josei.db")]
        database: String,
    },
    /// SQLite のデータベースをオンラインでバックアップする
    Backup {
        /// バックアップ先のファイル（既にあってはならない）
        path: String,
        #[arg(long, env = "DATABASE_URL", default_value = "josei.db")]
        database: String,
    },
    /// ベンチマークの基準: JSON Lines を読み、各行を JSON として解析して書き戻すだけ
    #[command(hide = true)]
    JsonlRoundtrip {
        file: String,
        #[arg(long)]
        jobs: Option<usize>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// ユーザーを作る（パスワードは JOSEI_PASSWORD、標準入力、または入力画面から）
    Add {
        #[arg(long)]
        username: String,
        /// employer, agent, officer, admin
        #[arg(long)]
        role: String,
        #[arg(long)]
        display_name: Option<String>,
        /// 事業主ユーザーの事業所 ID
        #[arg(long)]
        organization: Option<i64>,
        /// 労働局職員の都道府県コード（1〜47）
        #[arg(long)]
        prefecture: Option<i64>,
    },
    /// ユーザーの一覧
    List,
    /// ユーザーを無効にする（ログイン中のセッションも終わる）
    Disable { username: String },
    /// 無効にしたユーザーを有効に戻す
    Enable { username: String },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SimFormat {
    Table,
    Json,
    Csv,
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
    if let Some(path) = &cli.regimes {
        if let Err(e) = install_regimes(path) {
            return finish(Err(e));
        }
    }
    let result = match cli.command {
        Command::Evaluate {
            file,
            batch: Some(batch),
            jobs,
            as_of,
            ..
        } => {
            let _ = file;
            cmd_batch(&batch, jobs, as_of.as_deref())
        }
        Command::Evaluate {
            file,
            format,
            as_of,
            ..
        } => cmd_evaluate(file.as_deref().unwrap_or("-"), format, as_of.as_deref()),
        Command::JsonlRoundtrip { file, jobs } => cmd_roundtrip(&file, jobs),
        Command::Columns => write_stdout(&population::describe_columns()),
        Command::Regimes { format } => cmd_regimes(format),
        Command::Serve {
            listen,
            database,
            secure_cookies,
            clock_override,
            trusted_proxy,
        } => service_command(|| async move {
            service::init_logging();
            josei_server::run(josei_server::Config {
                listen,
                database,
                secure_cookies,
                clock_override,
                trusted_proxy,
            })
            .await
            .map(|_| String::new())
        }),
        Command::User { command, database } => service_command(|| async move {
            let db = service::open(&database).await?;
            match command {
                UserCommand::Add {
                    username,
                    role,
                    display_name,
                    organization,
                    prefecture,
                } => {
                    service::parse_role(&role)?;
                    let password = service::read_password()?;
                    service::user_add(
                        &db,
                        &username,
                        &role,
                        display_name.as_deref(),
                        organization,
                        prefecture,
                        &password,
                    )
                    .await
                }
                UserCommand::List => service::user_list(&db).await,
                UserCommand::Disable { username } => {
                    service::user_disable(&db, &username, true).await
                }
                UserCommand::Enable { username } => {
                    service::user_disable(&db, &username, false).await
                }
            }
        }),
        Command::Import {
            kind,
            case_id,
            file,
            replace,
            user,
            database,
        } => service_command(|| async move {
            let bytes = std::fs::read(&file).map_err(|e| format!("{file} を読めません: {e}"))?;
            let db = service::open(&database).await?;
            service::import(&db, &kind, case_id, &bytes, replace, user.as_deref()).await
        }),
        Command::Export {
            what: _,
            format: _,
            prefecture,
            as_of,
            database,
        } => {
            let today = match as_of.as_deref() {
                Some(s) => match option_date("--as-of", s) {
                    Ok(d) => d,
                    Err(e) => return finish(Err(e.into())),
                },
                None => today_in_japan(),
            };
            service_command(move || async move {
                let db = service::open(&database).await?;
                service::export_cases(&db, prefecture, today).await
            })
        }
        Command::Demo {
            cases,
            seed,
            database,
        } => service_command(move || async move {
            let password = std::env::var("JOSEI_DEMO_PASSWORD").map_err(|_| {
                "デモのユーザーのパスワードを環境変数 JOSEI_DEMO_PASSWORD に設定してください（12文字以上）"
                    .to_string()
            })?;
            let db = service::open(&database).await?;
            let jst = jiff::tz::TimeZone::fixed(jiff::tz::offset(9));
            let today = jiff::Timestamp::now().to_zoned(jst).date();
            let made = demo::fill(&db, cases, seed, &password, today).await?;
            Ok(format!(
                "デモのデータを作成しました: ユーザー {} 人、事業所 {} 社、ケース {} 件\nログイン: admin、officer13（東京労働局）、agent1、employer1 ほか（パスワードは JOSEI_DEMO_PASSWORD）\n",
                made.users, made.organizations, made.cases
            ))
        }),
        Command::Backup { path, database } => service_command(|| async move {
            if std::path::Path::new(&path).exists() {
                return Err(format!(
                    "{path} は既にあります。別のファイル名を指定してください"
                ));
            }
            let db = service::open(&database).await?;
            db.backup_sqlite(&path).await.map_err(|e| e.to_string())?;
            Ok(format!("{path} にバックアップしました\n"))
        }),
        Command::Simulate {
            population,
            reform,
            budget,
            regime,
            compare_years,
            format,
            jobs,
            parse_only,
        } => cmd_simulate(
            &population,
            reform.as_deref(),
            budget.as_deref(),
            regime.as_deref(),
            compare_years,
            format,
            jobs,
            parse_only,
        ),
        Command::Synth {
            employers,
            seed,
            output,
        } => cmd_synth(employers, seed, output.as_deref()),
        Command::Schedule {
            submitted,
            certified,
            evaluation_start,
            regime,
            format,
        } => cmd_schedule(
            submitted.as_deref(),
            certified.as_deref(),
            evaluation_start.as_deref(),
            regime.as_deref(),
            format,
        ),
    };
    finish(result)
}

/// Reads a corrections file and makes it the regime set of this process.
fn install_regimes(path: &str) -> Result<(), Failure> {
    let input_error = |message: String| InputError {
        code: ErrorCode::OutOfRange,
        field: "--regimes".into(),
        message,
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| input_error(format!("{path} を読めません: {e}")))?;
    let set =
        regime::RegimeSet::with_overlay(&text).map_err(|e| input_error(format!("{path}: {e}")))?;
    regime::install(set).map_err(|e| Failure::Other(e.to_string()))?;
    Ok(())
}

/// `josei regimes`: every regime with its dates, key values and grades.
fn cmd_regimes(format: Format) -> Result<(), Failure> {
    let set = regime::set();
    let out = match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&report::regimes_json(set))
                .map_err(|e| Failure::Other(format!("出力を作れません: {e}")))?;
            s.push('\n');
            s
        }
        Format::Text => report::regimes_report(set),
    };
    write_stdout(&out)
}

/// Runs an async service command; its text goes to standard output.
fn service_command<F, Fut>(f: F) -> Result<(), Failure>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<String, String>>,
{
    let rt = service::runtime().map_err(Failure::Other)?;
    match rt.block_on(f()) {
        Ok(text) if text.is_empty() => Ok(()),
        Ok(text) if text.ends_with('\n') => write_stdout(&text),
        Ok(text) => write_stdout(&format!("{text}\n")),
        Err(e) => Err(Failure::Other(e)),
    }
}

fn finish(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(e)) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
        Err(Failure::Other(msg)) if msg.is_empty() => ExitCode::SUCCESS,
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

fn cmd_batch(file: &str, jobs: Option<usize>, as_of: Option<&str>) -> Result<(), Failure> {
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

fn cmd_roundtrip(file: &str, jobs: Option<usize>) -> Result<(), Failure> {
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
fn jobs_or_cores(jobs: Option<usize>) -> usize {
    jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}

/// A buffered reader over a file or standard input, with the file's size when known.
fn open_input(file: &str) -> Result<(Box<dyn std::io::BufRead + Send>, Option<u64>), InputError> {
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

fn io_failure(file: &str, e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return Failure::Other(String::new());
    }
    Failure::Other(format!("{file}: {e}"))
}

#[allow(clippy::too_many_arguments)]
fn cmd_simulate(
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

fn cmd_synth(employers: u64, seed: u64, output: Option<&str>) -> Result<(), Failure> {
    let mut rng = synth::Rng::new(seed);
    match output {
        #[cfg(feature = "parquet")]
        Some(path) if path.ends_with(".parquet") => {
            let mut w = parquet_io::Writer::create(path).map_err(Failure::Other)?;
            for i in 0..employers {
                w.push(
                    format!("S{i:08}"),
                    synth::employer(&mut rng),
                    josei_rules::simulate::WEIGHT_SCALE,
                )
                .map_err(Failure::Other)?;
            }
            w.finish().map_err(Failure::Other)
        }
        _ => {
            let sink: Box<dyn Write> = match output {
                Some(path) => Box::new(
                    std::fs::File::create(path)
                        .map_err(|e| Failure::Other(format!("{path} を作れません: {e}")))?,
                ),
                None => Box::new(std::io::stdout().lock()),
            };
            let mut out = std::io::BufWriter::with_capacity(1 << 20, sink);
            let mut buf = population::csv_header().into_bytes();
            for i in 0..employers {
                let f = synth::employer(&mut rng);
                population::write_csv_row(
                    &mut buf,
                    &format!("S{i:08}"),
                    &f,
                    josei_rules::simulate::WEIGHT_SCALE,
                );
                if buf.len() > 1 << 20 {
                    out.write_all(&buf).map_err(|e| io_failure("synth", e))?;
                    buf.clear();
                }
            }
            out.write_all(&buf)
                .and_then(|_| out.flush())
                .map_err(|e| io_failure("synth", e))
        }
    }
}

fn cmd_schedule(
    submitted: Option<&str>,
    certified: Option<&str>,
    evaluation_start: Option<&str>,
    regime_id: Option<&str>,
    format: Format,
) -> Result<(), Failure> {
    let submitted = submitted
        .map(|s| option_date("--submitted", s))
        .transpose()?;
    let certified = certified
        .map(|s| option_date("--certified", s))
        .transpose()?;
    let start = evaluation_start
        .map(|s| option_date("--evaluation-start", s))
        .transpose()?;
    if let (Some(c), Some(s)) = (certified, submitted) {
        if c < s {
            return Err(InputError {
                code: ErrorCode::DateOrder,
                field: "--certified".into(),
                message: format!("認定日 {c} が計画提出日 {s} より前です"),
            }
            .into());
        }
    }
    let named = match regime_id {
        Some(id) => Some(regime::by_id(id).ok_or_else(|| InputError {
            code: ErrorCode::UnknownRegime,
            field: "--regime".into(),
            message: format!(
                "制度 {id:?} はありません。使える制度: {}",
                regime::coverage_summary()
            ),
        })?),
        None => None,
    };
    // The engine's own choice of regime, with its fields named as options.
    let regime = josei_rules::parse::choose_regime(regime::set(), named, submitted, start)
        .map_err(|mut e| {
            e.field = if regime_id.is_some() {
                "--regime"
            } else if submitted.is_some() {
                "--submitted"
            } else {
                "--evaluation-start"
            }
            .into();
            e.message = e
                .message
                .replace("plan.submitted_on", "--submitted")
                .replace("evaluation_start", "--evaluation-start")
                .replace("regime で", "--regime で");
            e
        })?;
    let schedule = josei_rules::schedule::schedule(
        regime,
        josei_rules::schedule::Dates {
            submitted,
            certified,
            evaluation_start: start,
        },
    );
    let out = match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&schedule)
                .map_err(|e| Failure::Other(format!("出力を作れません: {e}")))?;
            s.push('\n');
            s
        }
        Format::Text => {
            let mut r = report::schedule_report(regime, &schedule);
            if regime.kind == regime::RegimeKind::NoPlan
                && (submitted.is_some() || certified.is_some())
            {
                r.push_str(&format!(
                    "\n注意: {}の制度には計画の提出・認定がないため、--submitted と --certified は使いませんでした\n",
                    regime.name
                ));
            }
            r
        }
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
