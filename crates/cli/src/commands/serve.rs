//! `josei serve` (with the `server` feature).

/// Runs an async service command; its text goes to standard output.
/// `josei serve`: the web application and the API.
#[cfg(feature = "server")]
pub async fn serve(
    listen: String,
    database: String,
    secure_cookies: bool,
    clock_override: bool,
    trusted_proxy: bool,
) -> Result<String, String> {
    josei_server::run(josei_server::Config {
        listen,
        database: josei_app::DatabaseUrl::new(database),
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
) -> Result<String, String> {
    Err("この josei は Web サーバーなしで作られています（cargo build --features server で作り直してください）".into())
}
