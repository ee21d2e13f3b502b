//! `josei serve` (with the `server` feature).

use josei_app::mail::MailConfig;
use std::time::Duration;

/// Runs an async service command; its text goes to standard output.
/// `josei serve`: the web application and the API; with `mail`, the mail
/// scheduler too (the outbox every interval, reminders at start and daily).
#[cfg(feature = "server")]
pub async fn serve(
    listen: String,
    database: String,
    secure_cookies: bool,
    clock_override: bool,
    trusted_proxy: bool,
    mail: Option<(MailConfig, Duration)>,
) -> Result<String, String> {
    let database = josei_app::DatabaseUrl::new(database);
    if let Some((config, interval)) = mail {
        let app = josei_app::App::open(&database, clock_override)
            .await
            .map_err(|e| e.message)?;
        tokio::spawn(josei_app::mail::run_scheduler(app, config, interval));
    }
    josei_server::run(josei_server::Config {
        listen,
        database,
        secure_cookies,
        clock_override,
        trusted_proxy,
    })
    .await
    .map(|_| String::new())
}

/// Built without the `server` feature: say how to get it.
#[cfg(not(feature = "server"))]
pub async fn serve(
    _listen: String,
    _database: String,
    _secure_cookies: bool,
    _clock_override: bool,
    _trusted_proxy: bool,
    _mail: Option<(MailConfig, Duration)>,
) -> Result<String, String> {
    Err("この josei は Web サーバーなしで作られています（cargo build --features server で作り直してください）".into())
}
