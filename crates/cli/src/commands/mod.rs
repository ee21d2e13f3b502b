//! One module per command; [`run`] sends each to its module.

pub mod evaluate;
pub mod regimes;
pub mod remind;
pub mod schedule;
pub mod serve;
pub mod simulate;
pub mod synth;

use crate::args::*;
use crate::output::*;
use crate::{demo, population, service};

use evaluate::*;
use regimes::*;
use schedule::*;
use serve::*;
use simulate::*;
use synth::*;

pub fn run(command: Command) -> Result<(), Failure> {
    match command {
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
            mail,
            mail_interval_secs,
        } => service_command(|| async move {
            service::init_logging();
            let mail = remind::mail_config(&mail)?
                .map(|c| (c, std::time::Duration::from_secs(mail_interval_secs.max(1))));
            serve(
                listen,
                database,
                secure_cookies,
                clock_override,
                trusted_proxy,
                mail,
            )
            .await
        }),
        Command::Remind {
            database,
            mail,
            as_of,
        } => {
            let as_of = as_of
                .as_deref()
                .map(|s| option_date("--as-of", s))
                .transpose()?;
            service_command(move || async move { remind::remind(&database, &mail, as_of).await })
        }
        Command::User { command, database } => service_command(|| async move {
            let db = service::open(&database).await?;
            match command {
                UserCommand::Add {
                    username,
                    role,
                    display_name,
                    organization,
                    prefecture,
                    email,
                    registration_number,
                    office_name,
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
                        email.as_deref(),
                        (registration_number.as_deref(), office_name.as_deref()),
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
            service::import(&db, kind, case_id, &bytes, replace, user.as_deref()).await
        }),
        Command::Export {
            what: _,
            format: _,
            prefecture,
            as_of,
            database,
        } => {
            let today = match as_of.as_deref() {
                Some(s) => option_date("--as-of", s)?,
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
                "デモのデータを作成しました: ユーザー {} 人、事業所 {} 社、申請 {} 件\nログイン: admin、officer13（東京労働局）、agent1、employer1、advisor1（テレワーク相談センター）、judge1（テレワーク賞）ほか（パスワードは JOSEI_DEMO_PASSWORD）\n",
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
    }
}
