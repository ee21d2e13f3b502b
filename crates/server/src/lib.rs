//! # josei-server
//!
//! The case service: a REST JSON API under `/api/v1` for employers, their 社労士
//! (agents) and labour-bureau officers. Handlers are thin. Access rules live in
//! [`access`]; the workflow is `josei_store::workflow`; every precondition that
//! the rules decide (e.g. "no filing before evaluation period 1 ends") is asked
//! of the engine, and refused with the engine's own message.

pub mod auth;
pub mod error;
pub mod web;
pub mod xlsx;

use auth::{CurrentUser, Via};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use error::{ApiError, ApiJson, ApiPath, ApiQuery};
use jiff::civil::Date;
use josei_rules::evaluate::{CheckStatus, Evaluation, SubsidyStatus};
use josei_rules::{evaluate, parse_case_value};
use josei_store::workflow::{self, Action, Procedure};
use josei_store::{CaseRow, Db, NewDecision, Role, Scope, Status, StepChanges, User};
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::Duration;

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// `ADDR:PORT` to listen on.
    pub listen: String,
    /// A file path or `sqlite:`/`postgres://` URL.
    pub database: String,
    /// Mark the session cookie `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Allow admins to set "today" (`PUT /api/v1/admin/clock`): for training
    /// environments and tests only.
    pub clock_override: bool,
    /// Behind a reverse proxy: take the client's address from the last entry of
    /// `X-Forwarded-For` (never trusted otherwise).
    pub trusted_proxy: bool,
}

/// What every handler may use.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub secure_cookies: bool,
    pub clock_override: bool,
    pub trusted_proxy: bool,
}

/// The client's address for rate limiting: the peer, or behind a trusted
/// proxy the last address in `X-Forwarded-For` (the one the proxy saw).
pub fn client_address(peer: SocketAddr, headers: &HeaderMap, trusted_proxy: bool) -> String {
    if trusted_proxy {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<std::net::IpAddr>().ok())
            .next_back();
        if let Some(ip) = forwarded {
            return ip.to_string();
        }
    }
    peer.ip().to_string()
}

/// A case title, as the API and the pages both accept it: 1–200 characters
/// after trimming, no control or bidirectional-override characters.
pub fn validate_title(title: &str) -> ApiResult<String> {
    let t = title.trim();
    if t.is_empty() || t.chars().count() > 200 {
        return Err(ApiError::invalid(
            "title",
            "件名を1〜200文字で指定してください",
        ));
    }
    if let Some(c) = t.chars().find(|c| forbidden_char(*c, false)) {
        return Err(ApiError::invalid(
            "title",
            format!("件名に使えない文字（U+{:04X}）が含まれています", c as u32),
        ));
    }
    Ok(t.to_string())
}

/// Characters no stored text may hold: NUL and other controls (line breaks
/// and tabs allowed where `multiline`), and the bidirectional overrides that
/// can disguise a name (U+202A–U+202E, U+2066–U+2069).
pub fn forbidden_char(c: char, multiline: bool) -> bool {
    (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// The largest text value a case document may hold (characters).
pub const MAX_TEXT_CHARS: usize = 2_000;

/// Checks every string of a case document before it reaches the database, the
/// same way on SQLite and PostgreSQL: no forbidden characters (descriptions
/// may break lines), at most [`MAX_TEXT_CHARS`] characters. The error names
/// the field by its path.
pub fn check_document_text(doc: &Value) -> ApiResult<()> {
    fn walk(v: &Value, path: &str) -> ApiResult<()> {
        match v {
            Value::String(s) => {
                let multiline = path.ends_with("description") || path.ends_with("name");
                if s.chars().count() > MAX_TEXT_CHARS {
                    return Err(ApiError::invalid(
                        path,
                        format!("{MAX_TEXT_CHARS}文字以内で指定してください"),
                    ));
                }
                if let Some(c) = s.chars().find(|c| forbidden_char(*c, multiline)) {
                    return Err(ApiError::invalid(
                        path,
                        format!("使えない文字（U+{:04X}）が含まれています", c as u32),
                    ));
                }
                Ok(())
            }
            Value::Array(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, x)| walk(x, &format!("{path}[{i}]"))),
            Value::Object(map) => map.iter().try_for_each(|(k, x)| {
                let key_path = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if k.chars().any(|c| forbidden_char(c, false)) || k.chars().count() > 100 {
                    return Err(ApiError::invalid(
                        path,
                        "項目名に使えない文字が含まれています",
                    ));
                }
                walk(x, &key_path)
            }),
            _ => Ok(()),
        }
    }
    walk(doc, "")
}

/// A cell a spreadsheet would read as a formula (starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return) gets a leading `'`.
pub fn formula_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A CSV export (the `csv` crate: cells with a comma, quote or line break are
/// quoted, so a bare CR in a title cannot split a row), every cell made
/// formula-safe, CRLF line ends and a BOM so that Excel reads UTF-8.
pub fn csv_table<R, C>(rows: R) -> String
where
    R: IntoIterator<Item = Vec<C>>,
    C: AsRef<str>,
{
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(row.iter().map(|c| formula_safe(c.as_ref()).into_owned()));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A database URL fit for messages and logs: the password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The largest request body (imports, attachments): 16 MiB.
pub const MAX_BODY: usize = 16 * 1024 * 1024;
/// The largest attachment: 10 MiB.
pub const MAX_ATTACHMENT: usize = 10 * 1024 * 1024;

/// The application's routes.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(web::routes())
        .route("/api/v1/evaluate", post(evaluate_document))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/login", post(login))
        .route("/api/v1/logout", post(logout))
        .route("/api/v1/me", get(me))
        .route("/api/v1/tokens", get(list_tokens).post(create_token))
        .route("/api/v1/tokens/{id}", axum::routing::delete(revoke_token))
        .route("/api/v1/me/password", put(change_password))
        .route("/api/v1/users", post(create_user))
        .route("/api/v1/organizations", get(list_orgs).post(create_org))
        .route(
            "/api/v1/organizations/{id}/delegations",
            post(grant_delegation),
        )
        .route(
            "/api/v1/organizations/{id}/delegations/{agent}",
            axum::routing::delete(revoke_delegation),
        )
        .route("/api/v1/cases", get(list_cases).post(create_case))
        .route("/api/v1/cases/{id}", get(get_case))
        .route("/api/v1/cases/{id}/inputs", put(put_inputs))
        .route("/api/v1/cases/{id}/actions/{action}", post(act))
        .route("/api/v1/cases/{id}/imports/{kind}", post(import))
        .route("/api/v1/cases/{id}/audit", get(case_audit))
        .route("/api/v1/cases/{id}/decisions", get(case_decisions))
        .route(
            "/api/v1/cases/{id}/attachments",
            get(list_attachments).post(add_attachment),
        )
        .route("/api/v1/cases/{id}/attachments/{aid}", get(get_attachment))
        .route("/api/v1/deadlines", get(deadlines))
        .route("/api/v1/admin/clock", put(set_clock))
        .fallback(|uri: axum::http::Uri| async move {
            if uri.path().starts_with("/api/") {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    "no_route",
                    "そのような API はありません",
                )
                .into_response()
            } else {
                web::plain_error_page(
                    StatusCode::NOT_FOUND,
                    "お探しのページはありません。アドレスを確かめてください。",
                )
            }
        })
        .method_not_allowed_fallback(|uri: axum::http::Uri| async move {
            if uri.path().starts_with("/api/") {
                ApiError::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "method_not_allowed",
                    "この API はそのメソッドに対応していません",
                )
                .into_response()
            } else {
                web::plain_error_page(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "このページはその操作に対応していません。",
                )
            }
        })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(axum::middleware::from_fn(error_shape))
        .layer(axum::middleware::from_fn_with_state(
            state.secure_cookies,
            security_headers,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Every error in its documented shape: an error answered by the framework
/// itself (a body over the limit, a missing content type, an unreadable form,
/// a timeout) comes as plain text; under `/api/` it becomes the API's JSON
/// error with the same status, elsewhere a Japanese error page.
async fn error_shape(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    // A body announced over the limit is refused before a byte of it is read.
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let res = if announced.is_some_and(|n| n > MAX_BODY as u64) {
        StatusCode::PAYLOAD_TOO_LARGE.into_response()
    } else {
        next.run(req).await
    };
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| t.starts_with("text/plain"));
    if !plain {
        return res;
    }
    let (code, message) = framework_error(status);
    if api {
        ApiError::new(status, code, message).into_response()
    } else {
        web::plain_error_page(status, message)
    }
}

/// The code and Japanese message for an error the framework answered.
fn framework_error(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "送信された内容が大きすぎます（16 MiB まで）。ファイルを分けてお送りください",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "送信の形式に対応していません（JSON は Content-Type: application/json で送ってください）",
        ),
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => (
            "timeout",
            "時間内に処理を終えられませんでした。しばらくしてからもう一度お試しください",
        ),
        StatusCode::NOT_FOUND => ("not_found", "見つかりません"),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "このページはその操作に対応していません",
        ),
        s if s.is_server_error() => (
            "internal",
            "サーバーで問題が起きました。しばらくしてからもう一度お試しください",
        ),
        _ => (
            "bad_request",
            "送信された内容を読み取れません。入力を確かめて、もう一度お送りください",
        ),
    }
}

/// Headers on every response: a content security policy (scripts, styles and
/// frames from this site only; never framed), `nosniff`, no referrer to other
/// sites, `no-store` for anything a signed-in user receives, and HSTS when
/// cookies are marked `Secure` (behind HTTPS).
async fn security_headers(
    State(https): State<bool>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let signed_in = req.headers().contains_key(header::AUTHORIZATION)
        || req
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|c| c.contains(auth::COOKIE));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut HeaderMap, name: &'static str, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    if signed_in {
        set(h, "cache-control", "no-store");
    }
    if https {
        set(
            h,
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        );
    }
    res
}

/// Starts the server and runs until SIGINT or SIGTERM, then finishes the
/// requests in flight.
pub async fn run(config: Config) -> Result<(), String> {
    let shown = redact_url(&config.database);
    let db = josei_store::connect(&config.database).await.map_err(|e| {
        format!(
            "データベース {shown} を開けません: {}",
            e.to_string().replace(&config.database, &shown)
        )
    })?;
    if db.count_users().await.map_err(|e| e.to_string())? == 0 {
        let hint = if config.database.contains("://") {
            "（--database には、サーバーと同じ接続先を指定してください）".to_string()
        } else {
            format!(" --database {shown}")
        };
        eprintln!(
            "josei: ユーザーがまだいません。最初の管理者を作成してください:\n  josei user add --username admin --role admin{hint}"
        );
    }
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| format!("{} で待ち受けできません: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    eprintln!("josei: listening on http://{addr}");
    let state = AppState {
        db,
        secure_cookies: config.secure_cookies,
        clock_override: config.clock_override,
        trusted_proxy: config.trusted_proxy,
    };
    tokio::spawn(keep_snapshots_fresh(state.clone()));
    serve(listener, app(state), shutdown_signal()).await;
    Ok(())
}

/// How long a client may take to send a request's headers, and to start the
/// next request on a kept-alive connection, before it is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once; more are closed at once (kept below the usual
/// descriptor limit, so that the database and files still open). Idle or slow
/// clients hold a place for [`HEADER_READ_TIMEOUT`] at most.
pub const MAX_CONNECTIONS: usize = 10_000;

/// Accepts connections until `shutdown` resolves, then lets the requests in
/// flight finish (30 s at most). Each connection gets the peer address as
/// `ConnectInfo`, a header-read timeout and a place under [`MAX_CONNECTIONS`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::Service as _;
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        // Out of file descriptors and the like: wait, then go on.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let Ok(slot) = slots.clone().try_acquire_owned() else {
                    tracing::warn!(%peer, "too many connections: closed");
                    drop(stream);
                    continue;
                };
                let router = router.clone();
                let service = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
                    let mut router = router.clone();
                    async move { router.call(req).await }
                });
                let mut http = hyper::server::conn::http1::Builder::new();
                http.timer(TokioTimer::new())
                    .header_read_timeout(HEADER_READ_TIMEOUT)
                    .keep_alive(true);
                let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    let _ = connection.await;
                    drop(slot);
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(Duration::from_secs(30)) => {
            tracing::warn!("requests still running after 30 s: stopping anyway");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

type ApiResult<T> = Result<T, ApiError>;

// ---------------------------------------------------------------------------
// Today, evaluation.

/// "Today" for the rules: the admin's clock when overriding is enabled and
/// set, else today's date in Japan.
async fn today(state: &AppState) -> ApiResult<Date> {
    if state.clock_override {
        if let Some(s) = state.db.setting("clock.today").await? {
            if let Ok(d) = josei_rules::civil::parse_iso_date(&s) {
                return Ok(d);
            }
        }
    }
    let jst = jiff::tz::TimeZone::fixed(jiff::tz::offset(9));
    Ok(jiff::Timestamp::now().to_zoned(jst).date())
}

/// The case's document with `as_of` = today, made evaluable for drafts
/// ([`provisional`]), and `overrides` applied.
async fn document_for_engine(
    state: &AppState,
    c: &CaseRow,
    today: Date,
    overrides: &[(&str, Value)],
) -> ApiResult<Value> {
    let mut doc = state.db.case_document(c).await?;
    doc["as_of"] = json!(today.to_string());
    for (k, v) in overrides {
        doc[*k] = v.clone();
    }
    provisional(&mut doc, today);
    Ok(doc)
}

/// Makes a draft evaluable as of `today`: when a plan regime covers today, a
/// plan not yet submitted is treated as submitted today; otherwise (令和7年度
/// on) the case follows the no-plan regime of its evaluation period, or, with
/// no evaluation period yet, the regime in force today.
pub fn provisional(doc: &mut Value, today: Date) {
    let set = josei_rules::regime::set();
    if !doc["regime"].is_null() || !doc["plan"]["submitted_on"].is_null() {
        return;
    }
    if set.for_submission(today).is_some() {
        doc["plan"]["submitted_on"] = json!(today.to_string());
        return;
    }
    let start = doc["evaluation_start"]
        .as_str()
        .and_then(|s| josei_rules::civil::parse_iso_date(s).ok());
    if start.is_some_and(|s| set.for_evaluation_start(s).is_some()) {
        return;
    }
    if start.is_none() {
        let regime = set
            .in_force_on(today)
            .or_else(|| set.all().last())
            .map(|r| r.id.clone());
        doc["regime"] = json!(regime);
    }
}

/// Which procedure a case follows: that of its regime once fixed, else that
/// of the regime the engine chose for it, else that of the rules in force.
pub(crate) fn procedure_of(case: &CaseRow, e: Option<&Evaluation>, today: Date) -> Procedure {
    let set = josei_rules::regime::set();
    let kind = case
        .regime
        .as_deref()
        .and_then(|id| set.by_id(id))
        .map(|r| r.kind)
        .or(e.map(|e| e.regime_kind))
        .or_else(|| set.in_force_on(today).map(|r| r.kind))
        .unwrap_or(josei_rules::regime::RegimeKind::NoPlan);
    match kind {
        josei_rules::regime::RegimeKind::Plan => Procedure::Plan,
        josei_rules::regime::RegimeKind::NoPlan => Procedure::NoPlan,
    }
}

/// Evaluates `doc` with the engine.
fn run_engine(doc: &Value) -> Result<(Evaluation, String), josei_rules::InputError> {
    let text = doc.to_string();
    let parsed = josei_rules::parse_case(&text, Date::MIN)?;
    let regime = parsed.regime.id.clone();
    Ok((evaluate(&parsed), regime))
}

#[utoipa::path(post, path = "/api/v1/evaluate", tag = "engine", request_body(content = Object, description = "ケース（case-format.md）"), responses((status = 200, description = "評価（case-format.md）", body = serde_json::Value), (status = 422, description = "入力の誤り（field にパス）", body = ErrorBody)))]
/// `POST /api/v1/evaluate`: the contract, no login, nothing stored.
async fn evaluate_document(
    State(state): State<AppState>,
    body: Bytes,
) -> ApiResult<Json<Evaluation>> {
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::invalid("$", "UTF-8 の JSON を送ってください"))?;
    let parsed = josei_rules::parse_case(text, today(&state).await?)?;
    Ok(Json(evaluate(&parsed)))
}

// ---------------------------------------------------------------------------
// Authentication.

#[derive(Deserialize, utoipa::ToSchema)]
struct LoginBody {
    username: String,
    password: String,
}

#[utoipa::path(post, path = "/api/v1/login", tag = "auth", request_body = LoginBody, responses((status = 200, description = "セッション Cookie を設定し、csrf_token を返す", body = serde_json::Value), (status = 401, body = ErrorBody), (status = 429, description = "失敗が続いたため一時的に拒否", body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Response> {
    let client = client_address(peer, &headers, state.trusted_proxy);
    let (user, token, csrf) =
        login_session(&state, &body.username, &body.password, &client).await?;
    let mut res = Json(json!({"user": user, "csrf_token": csrf})).into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&auth::session_cookie(&token, state.secure_cookies))
            .map_err(|_| ApiError::unauthenticated())?,
    );
    Ok(res)
}

/// Checks a password (rate limited per username and per client) and opens a
/// session; returns the user, the session token and its CSRF token.
pub async fn login_session(
    state: &AppState,
    username: &str,
    password: &str,
    client: &str,
) -> ApiResult<(User, String, String)> {
    // Names no account can have never reach the database (PostgreSQL refuses
    // NUL in text): the same answer as a wrong password.
    if username.is_empty()
        || username.chars().count() > 100
        || password.len() > 1_000
        || username.chars().any(|c| forbidden_char(c, false))
        || password.contains('\0')
    {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad_credentials",
            "ユーザー名またはパスワードが違います",
        ));
    }
    // The attempt counts as a failure from the start, so that parallel guesses
    // see each other: at most MAX_FAILURES passwords are ever checked per user
    // in the window. A success clears it.
    let attempt = state.db.begin_login_attempt(username, client).await?;
    let since = josei_store::now_ms() - auth::FAILURE_WINDOW_MS;
    let (by_user, by_client) = state
        .db
        .recent_login_failures(username, client, since)
        .await?;
    if by_user > auth::MAX_FAILURES || by_client > 4 * auth::MAX_FAILURES {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "ログインの失敗が続いたため、しばらく（15分）ログインできません",
        ));
    }
    let user = state.db.user_by_username(username).await?;
    let hash = user
        .as_ref()
        .filter(|u| !u.disabled)
        .map(|u| u.password_hash.clone());
    let password = password.to_string();
    // argon2 is deliberately slow: off the async executor.
    let ok = tokio::task::spawn_blocking(move || match hash {
        Some(h) => auth::verify_password(&password, &h),
        None => {
            // Same work whether or not the user exists.
            let _ = auth::verify_password(&password, "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0000000000000000000000000000000000000000000");
            false
        }
    })
    .await
    .unwrap_or(false);
    if ok {
        state.db.finish_login_attempt(attempt).await?;
    }
    let Some(user) = user.filter(|_| ok) else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad_credentials",
            "ユーザー名またはパスワードが違います",
        ));
    };
    let token = auth::new_token();
    let csrf = auth::new_token();
    let expires = josei_store::now_ms() + auth::SESSION_HOURS * 3600 * 1000;
    state
        .db
        .create_session(&auth::token_hash(&token), user.id, &csrf, expires)
        .await?;
    Ok((user, token, csrf))
}

#[utoipa::path(post, path = "/api/v1/logout", tag = "auth", responses((status = 204, description = "ログアウトした"), (status = 401, body = ErrorBody)))]
async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    current: CurrentUser,
) -> ApiResult<Response> {
    if let Some(token) = auth::session_token(&headers) {
        state.db.delete_session(&auth::token_hash(&token)).await?;
    }
    // Signing out with a token revokes that token.
    if let (Via::ApiToken, Some(token)) = (current.via, auth::bearer_token(&headers)) {
        state
            .db
            .revoke_api_token(
                current.user.id,
                josei_store::TokenRef::Hash(&auth::token_hash(&token)),
                current.user.id,
            )
            .await?;
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&auth::clear_cookie(state.secure_cookies))
            .map_err(|_| ApiError::unauthenticated())?,
    );
    Ok(res)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, description = "ログイン中のユーザー", body = serde_json::Value), (status = 401, body = ErrorBody)))]
async fn me(current: CurrentUser) -> Json<User> {
    Json(current.user)
}

#[derive(Deserialize, utoipa::ToSchema)]
struct TokenBody {
    name: String,
    /// Days until the token expires: 1–365, default 90.
    expires_in_days: Option<i64>,
}

/// How long an API token lives unless asked otherwise.
pub const TOKEN_DAYS: i64 = 90;

#[utoipa::path(post, path = "/api/v1/tokens", tag = "auth", request_body = TokenBody, responses((status = 201, description = "トークン（この時だけ表示）", body = serde_json::Value), (status = 401, body = ErrorBody)))]
/// `POST /api/v1/tokens`: a token for machine clients; shown once.
async fn create_token(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    if current.via != Via::Session {
        return Err(ApiError::forbidden(
            "API トークンはログインした画面からのみ発行できます",
        ));
    }
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::invalid(
            "name",
            "トークンの名前を1〜100文字で指定してください",
        ));
    }
    let days = body.expires_in_days.unwrap_or(TOKEN_DAYS);
    if !(1..=365).contains(&days) {
        return Err(ApiError::invalid(
            "expires_in_days",
            "有効期間は1〜365日で指定してください",
        ));
    }
    let expires_at_ms = josei_store::now_ms() + days * 24 * 60 * 60 * 1000;
    let token = auth::new_token();
    let id = state
        .db
        .create_api_token(
            &auth::token_hash(&token),
            current.user.id,
            name,
            expires_at_ms,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "name": name, "token": token, "expires_at_ms": expires_at_ms})),
    ))
}

#[utoipa::path(get, path = "/api/v1/tokens", tag = "auth", responses((status = 200, description = "自分の API トークン（トークン自体は含まない）", body = serde_json::Value), (status = 401, body = ErrorBody)))]
/// `GET /api/v1/tokens`: the caller's tokens, with expiry and revocation.
async fn list_tokens(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(state.db.api_tokens(current.user.id).await?)))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "auth", params(("id" = i64, Path, description = "トークン番号")), responses((status = 204, description = "失効させた"), (status = 404, description = "自分の有効なトークンにない", body = ErrorBody), (status = 401, body = ErrorBody)))]
/// `DELETE /api/v1/tokens/{id}`: revokes one of the caller's tokens.
async fn revoke_token(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state
        .db
        .revoke_api_token(
            current.user.id,
            josei_store::TokenRef::Id(id),
            current.user.id,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Changes `user`'s password after checking the current one (shared by the
/// API and the account page); every other session of the user ends.
pub async fn change_own_password(
    state: &AppState,
    user: &User,
    headers: &HeaderMap,
    current_password: String,
    new_password: String,
) -> ApiResult<()> {
    auth::check_password_policy(&user.username, &new_password)
        .map_err(|m| ApiError::invalid("new_password", m))?;
    let stored = state
        .db
        .user_by_id(user.id)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    let hash = tokio::task::spawn_blocking(move || {
        if current_password.len() > 1_000
            || !auth::verify_password(&current_password, &stored.password_hash)
        {
            return Ok(None);
        }
        auth::hash_password(&new_password).map(Some)
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?
    .map_err(ApiError::internal)?
    .ok_or_else(|| ApiError::forbidden("今のパスワードが違います"))?;
    let keep = auth::session_token(headers).map(|t| auth::token_hash(&t));
    state
        .db
        .set_password(user.id, &hash, keep.as_deref(), user.id)
        .await?;
    Ok(())
}

#[derive(Deserialize, utoipa::ToSchema)]
struct PasswordBody {
    current_password: String,
    new_password: String,
}

#[utoipa::path(put, path = "/api/v1/me/password", tag = "auth", request_body = PasswordBody, responses((status = 204, description = "変更した（ほかのセッションは終了）"), (status = 403, description = "今のパスワードが違う", body = ErrorBody), (status = 422, description = "新しいパスワードが規則に合わない", body = ErrorBody), (status = 401, body = ErrorBody)))]
/// `PUT /api/v1/me/password`: any user changes their own password.
async fn change_password(
    State(state): State<AppState>,
    current: CurrentUser,
    headers: HeaderMap,
    ApiJson(b): ApiJson<PasswordBody>,
) -> ApiResult<StatusCode> {
    change_own_password(
        &state,
        &current.user,
        &headers,
        b.current_password,
        b.new_password,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------
// Users and organisations (admin).

#[derive(Deserialize, utoipa::ToSchema)]
struct NewUser {
    username: String,
    password: String,
    display_name: Option<String>,
    role: String,
    organization_id: Option<i64>,
    prefecture: Option<i64>,
}

/// Checks and creates a user (shared with `josei user add`).
pub async fn add_user(db: &Db, u: &NewUserInput<'_>, by: Option<i64>) -> ApiResult<User> {
    let name_ok = !u.username.is_empty()
        && u.username.len() <= 64
        && u.username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c));
    if !name_ok {
        return Err(ApiError::invalid(
            "username",
            "ユーザー名は英数字と . _ - @ で64文字以内にしてください",
        ));
    }
    let role = Role::parse(u.role).ok_or_else(|| {
        ApiError::invalid(
            "role",
            "role は employer, agent, officer, admin のいずれかです",
        )
    })?;
    if u.display_name.chars().count() > 100
        || u.display_name.chars().any(|c| forbidden_char(c, false))
    {
        return Err(ApiError::invalid(
            "display_name",
            "表示名は100文字以内で、制御文字を含めないでください",
        ));
    }
    auth::check_password_policy(u.username, u.password)
        .map_err(|m| ApiError::invalid("password", m))?;
    match role {
        Role::Employer => {
            let org = u.organization_id.ok_or_else(|| {
                ApiError::invalid(
                    "organization_id",
                    "事業主ユーザーには organization_id が必要です",
                )
            })?;
            db.org(org).await?.ok_or_else(|| {
                ApiError::invalid("organization_id", format!("事業所 {org} はありません"))
            })?;
        }
        Role::Officer if !u.prefecture.is_some_and(|p| (1..=47).contains(&p)) => {
            return Err(ApiError::invalid(
                "prefecture",
                "労働局の職員には都道府県コード（1〜47）が必要です",
            ));
        }
        _ => {}
    }
    if db.user_by_username(u.username).await?.is_some() {
        return Err(ApiError::conflict(format!(
            "ユーザー名 {} は既に使われています",
            u.username
        )));
    }
    let hash = auth::hash_password(u.password)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e))?;
    let org = if role == Role::Employer {
        u.organization_id
    } else {
        None
    };
    let pref = if role == Role::Officer {
        u.prefecture
    } else {
        None
    };
    Ok(db
        .create_user(u.username, u.display_name, &hash, role, org, pref, by)
        .await?)
}

/// A new user's fields.
pub struct NewUserInput<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub organization_id: Option<i64>,
    pub prefecture: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = NewUser, responses((status = 201, description = "作成したユーザー", body = serde_json::Value), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_user(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(b): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, Json<User>)> {
    require_role(&current.user, &[Role::Admin])?;
    let input = NewUserInput {
        username: &b.username,
        password: &b.password,
        display_name: b.display_name.as_deref().unwrap_or(&b.username),
        role: &b.role,
        organization_id: b.organization_id,
        prefecture: b.prefecture,
    };
    Ok((
        StatusCode::CREATED,
        Json(add_user(&state.db, &input, Some(current.user.id)).await?),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct NewOrg {
    prefecture: i64,
    /// The `employer` object of the case format.
    #[schema(value_type = Object)]
    employer: Value,
}

/// Validates an `employer` object with the engine's parser (field paths included).
fn check_employer(employer: &Value) -> ApiResult<()> {
    check_document_text(&json!({ "employer": employer }))?;
    let probe = json!({
        "as_of": "2022-06-01", "regime": "R4", "employer": employer,
        "plan": {"submitted_on": "2022-06-01", "target_workers": []}
    });
    parse_case_value_text(&probe).map(|_| ())
}

fn parse_case_value_text(doc: &Value) -> ApiResult<josei_rules::ParsedCase> {
    let text = doc.to_string();
    let json: josei_rules::parse::Json<'_> =
        serde_json::from_str(&text).map_err(|e| ApiError::invalid("$", e.to_string()))?;
    Ok(parse_case_value(&json, Date::MIN)?)
}

#[utoipa::path(post, path = "/api/v1/organizations", tag = "admin", request_body = NewOrg, responses((status = 201, description = "登録した事業所", body = serde_json::Value), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_org(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(b): ApiJson<NewOrg>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    require_role(&current.user, &[Role::Admin])?;
    if !(1..=47).contains(&b.prefecture) {
        return Err(ApiError::invalid(
            "prefecture",
            "都道府県コード（1〜47）を指定してください",
        ));
    }
    check_employer(&b.employer)?;
    let org = state
        .db
        .create_org(b.prefecture, &b.employer, Some(current.user.id))
        .await?;
    Ok((StatusCode::CREATED, Json(json!(org))))
}

#[utoipa::path(get, path = "/api/v1/organizations", tag = "organizations", responses((status = 200, description = "見られる事業所", body = serde_json::Value), (status = 401, body = ErrorBody)))]
async fn list_orgs(State(state): State<AppState>, current: CurrentUser) -> ApiResult<Json<Value>> {
    let orgs = state.db.list_orgs().await?;
    let scope = scope_of(&state, &current.user).await?;
    let visible: Vec<_> = orgs
        .into_iter()
        .filter(|o| in_scope(&scope, o.id, o.prefecture))
        .collect();
    Ok(Json(json!(visible)))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct DelegationBody {
    agent: String,
}

#[utoipa::path(post, path = "/api/v1/organizations/{id}/delegations", tag = "organizations", params(("id" = i64, Path, description = "事業所 ID")), request_body = DelegationBody, responses((status = 201, description = "委任した", body = serde_json::Value), (status = 403, body = ErrorBody), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
/// An employer (of that organisation) or an admin delegates to a 社労士.
async fn grant_delegation(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(org_id): ApiPath<i64>,
    ApiJson(b): ApiJson<DelegationBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let u = &current.user;
    let own = u.role == Role::Employer && u.organization_id == Some(org_id);
    if !own && u.role != Role::Admin {
        let org = state
            .db
            .org(org_id)
            .await?
            .ok_or_else(ApiError::not_found)?;
        let scope = scope_of(&state, u).await?;
        return Err(if in_scope(&scope, org.id, org.prefecture) {
            ApiError::forbidden("委任できるのは事業主本人と管理者です")
        } else {
            ApiError::not_found()
        });
    }
    state
        .db
        .org(org_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let agent = state
        .db
        .user_by_username(&b.agent)
        .await?
        .filter(|a| a.role == Role::Agent && !a.disabled)
        .ok_or_else(|| {
            ApiError::invalid("agent", format!("社労士のユーザー {} はいません", b.agent))
        })?;
    let id = state.db.grant_delegation(org_id, agent.id, u.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "organization_id": org_id, "agent_user_id": agent.id})),
    ))
}

#[utoipa::path(delete, path = "/api/v1/organizations/{id}/delegations/{agent}", tag = "organizations", params(("id" = i64, Path, description = "事業所 ID"), ("agent" = String, Path, description = "社労士のユーザー名")), responses((status = 204, description = "委任を取り消した"), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
async fn revoke_delegation(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath((org_id, agent)): ApiPath<(i64, String)>,
) -> ApiResult<StatusCode> {
    let u = &current.user;
    let own = u.role == Role::Employer && u.organization_id == Some(org_id);
    if !own && u.role != Role::Admin {
        return Err(ApiError::not_found());
    }
    let agent = state
        .db
        .user_by_username(&agent)
        .await?
        .ok_or_else(ApiError::not_found)?;
    state.db.revoke_delegation(org_id, agent.id, u.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------
// Access.

fn require_role(user: &User, roles: &[Role]) -> ApiResult<()> {
    if roles.contains(&user.role) {
        Ok(())
    } else {
        Err(ApiError::forbidden("この操作の権限がありません"))
    }
}

/// Which cases and organisations `user` may see.
pub async fn scope_of(state: &AppState, user: &User) -> ApiResult<Scope> {
    Ok(match user.role {
        Role::Admin => Scope::All,
        Role::Officer => Scope::Prefecture(user.prefecture.unwrap_or(0)),
        Role::Employer => Scope::Organizations(user.organization_id.into_iter().collect()),
        Role::Agent => Scope::Organizations(state.db.agent_org_ids(user.id).await?),
    })
}

/// Whether an organisation is in `scope`.
fn in_scope(scope: &Scope, org_id: i64, prefecture: i64) -> bool {
    match scope {
        Scope::All => true,
        Scope::Prefecture(p) => *p == prefecture,
        Scope::Organizations(ids) => ids.contains(&org_id),
    }
}

/// Whether `case` is in `scope`. A labour bureau sees a case only once the
/// employer has sent it (never a draft), as [`josei_store::Db::cases`] lists.
fn case_in_scope(scope: &Scope, case: &CaseRow) -> bool {
    in_scope(scope, case.organization_id, case.prefecture)
        && !(matches!(scope, Scope::Prefecture(_)) && case.status == Status::Draft)
}

/// The case, if `user` may see it; otherwise 404, as if it did not exist.
async fn visible_case(state: &AppState, user: &User, id: i64) -> ApiResult<CaseRow> {
    let case = state.db.case(id).await?.ok_or_else(ApiError::not_found)?;
    let scope = scope_of(state, user).await?;
    if case_in_scope(&scope, &case) {
        Ok(case)
    } else {
        Err(ApiError::not_found())
    }
}

// ---------------------------------------------------------------------------
// Cases.

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CasesQuery {
    /// Page number from 1; with it the list is paged (`per_page`, default 50).
    page: Option<i64>,
    /// Rows per page, 1–500.
    per_page: Option<i64>,
    /// Words in the title or the employer's name.
    q: Option<String>,
    /// `deadline` (default), `amount`, `updated` or `newest`.
    sort: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CasesQuery), responses((status = 200, description = "見られるケース。page を指定すると1ページ分（総数は X-Total-Count ヘッダー）", body = serde_json::Value), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_cases(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(q): ApiQuery<CasesQuery>,
) -> ApiResult<Response> {
    let scope = scope_of(&state, &current.user).await?;
    if q.page.is_none() && q.per_page.is_none() && q.q.is_none() && q.sort.is_none() {
        // Without paging parameters: every case, as before.
        return Ok(Json(json!(state.db.cases(&scope).await?)).into_response());
    }
    let page = q.page.unwrap_or(1);
    if page < 1 {
        return Err(ApiError::invalid(
            "page",
            "1 以上のページ番号を指定してください",
        ));
    }
    let per_page = q.per_page.unwrap_or(50);
    if !(1..=500).contains(&per_page) {
        return Err(ApiError::invalid(
            "per_page",
            "1〜500 の件数を指定してください",
        ));
    }
    let sort = match q.sort.as_deref() {
        None => josei_store::Sort::Deadline,
        Some(s) => josei_store::Sort::parse(s).ok_or_else(|| {
            ApiError::invalid(
                "sort",
                "deadline・amount・updated・newest のいずれかを指定してください",
            )
        })?,
    };
    refresh_snapshots(&state, &scope).await?;
    let query = josei_store::ListQuery {
        search: q.q.map(|w| w.chars().take(100).collect()),
        sort,
        offset: (page - 1).saturating_mul(per_page),
        limit: Some(per_page),
        ..Default::default()
    };
    let (rows, total) = state.db.list_page(&scope, &query).await?;
    let cases: Vec<&CaseRow> = rows.iter().map(|r| &r.case).collect();
    let mut res = Json(json!(cases)).into_response();
    res.headers_mut()
        .insert("x-total-count", HeaderValue::from(total.max(0) as u64));
    Ok(res)
}

#[derive(Deserialize, utoipa::ToSchema)]
struct NewCase {
    title: String,
    organization_id: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = NewCase, responses((status = 201, description = "作成したケース", body = serde_json::Value), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_case(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(b): ApiJson<NewCase>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let u = &current.user;
    let org_id = match u.role {
        Role::Employer => u
            .organization_id
            .ok_or_else(|| ApiError::forbidden("事業所が設定されていません"))?,
        Role::Agent => {
            let id = b.organization_id.ok_or_else(|| {
                ApiError::invalid("organization_id", "委任を受けた事業所を指定してください")
            })?;
            if !state.db.agent_org_ids(u.id).await?.contains(&id) {
                return Err(ApiError::not_found());
            }
            id
        }
        _ => return Err(ApiError::forbidden("ケースを作れるのは事業主と社労士です")),
    };
    let title = validate_title(&b.title)?;
    let case = state.db.create_case(org_id, &title, u.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(case_view(&state, &case, u).await?),
    ))
}

/// A case with its document, the engine's evaluation, the actions this user
/// may take and the next deadline.
async fn case_view(state: &AppState, case: &CaseRow, user: &User) -> ApiResult<Value> {
    Ok(case_view_and_evaluation(state, case, user).await?.0)
}

/// [`case_view`] and the typed evaluation it was built from (for the pages).
pub(crate) async fn case_view_and_evaluation(
    state: &AppState,
    case: &CaseRow,
    user: &User,
) -> ApiResult<(Value, Option<Evaluation>)> {
    let today = today(state).await?;
    let doc = document_for_engine(state, case, today, &[]).await?;
    let (evaluation, error) = match run_engine(&doc) {
        Ok((e, _)) => (Some(e), None),
        Err(e) => (
            None,
            Some(json!({"code": e.code.as_str(), "field": e.field, "message": e.message})),
        ),
    };
    let deadline = evaluation
        .as_ref()
        .and_then(|e| next_deadline(case.status, e, today));
    let procedure = procedure_of(case, evaluation.as_ref(), today);
    let mut stored = state.db.case_document(case).await?;
    stored.as_object_mut().map(|o| o.remove("regime"));
    let view = json!({
        "case": case,
        "status_label": case.status.label_for(procedure),
        "procedure": procedure,
        "document": stored,
        "today": today.to_string(),
        "evaluation": evaluation,
        "evaluation_error": error,
        "actions": workflow::available(case.status, user.role, procedure),
        "next_deadline": deadline,
    });
    Ok((view, evaluation))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = i64, Path, description = "ケース番号")), responses((status = 200, description = "ケース、入力、評価、できる操作、次の期限", body = serde_json::Value), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
async fn get_case(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Value>> {
    let case = visible_case(&state, &current.user, id).await?;
    Ok(Json(case_view(&state, &case, &current.user).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct InputsBody {
    version: i64,
    /// Required to change what a filed application rests on (expenses, the
    /// evaluation period, …): the reason, recorded as an amendment.
    amendment_reason: Option<String>,
    /// The case in the case format (`shared/spec/case-format.md`).
    #[schema(value_type = Object)]
    document: Value,
}

#[utoipa::path(put, path = "/api/v1/cases/{id}/inputs", tag = "cases", params(("id" = i64, Path, description = "ケース番号")), request_body = InputsBody, responses((status = 200, description = "更新後のケース", body = serde_json::Value), (status = 403, body = ErrorBody), (status = 409, description = "古い版、または変更できない状態", body = ErrorBody), (status = 422, description = "入力の誤り（field にパス）", body = ErrorBody), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
/// `PUT /cases/{id}/inputs`: replaces the case's inputs with a document in the
/// case format, validated by the engine's parser (422 with the field path).
async fn put_inputs(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<InputsBody>,
) -> ApiResult<Json<Value>> {
    let case = visible_case(&state, &current.user, id).await?;
    require_role(&current.user, &[Role::Employer, Role::Agent])?;
    let doc = save_document_as(
        &state,
        &case,
        b.version,
        b.document,
        &current.user,
        b.amendment_reason.as_deref(),
    )
    .await?;
    Ok(Json(doc))
}

/// Validates and stores a document for `case`, enforcing what may still change.
async fn save_document(
    state: &AppState,
    case: &CaseRow,
    version: i64,
    doc: Value,
    user: &User,
) -> ApiResult<Value> {
    save_document_as(state, case, version, doc, user, None).await
}

/// [`save_document`]; changes to the basis of a filed application need an
/// amendment reason and are recorded as an amendment.
pub(crate) async fn save_document_as(
    state: &AppState,
    case: &CaseRow,
    version: i64,
    mut doc: Value,
    user: &User,
    amendment: Option<&str>,
) -> ApiResult<Value> {
    if !doc.is_object() {
        return Err(ApiError::invalid(
            "document",
            "ケースの入力（JSON オブジェクト）を送ってください",
        ));
    }
    if !case.status.records_editable() {
        return Err(ApiError::conflict(format!(
            "状態「{}」のケースは変更できません",
            case.status.label_ja()
        )));
    }
    let stored = state.db.case_document(case).await?;
    if !case.status.plan_editable() {
        // After submission the plan (employer, target workers) is fixed.
        let same = doc.get("employer") == stored.get("employer")
            && doc.pointer("/plan/target_workers") == stored.pointer("/plan/target_workers");
        if !same {
            return Err(ApiError::conflict(
                "計画の提出後は、事業主の情報と対象労働者を変更できません",
            ));
        }
    }
    // Dates owned by the workflow come from the stored case.
    for k in [
        "equipment_application_filed_on",
        "goal_application_filed_on",
        "regime",
    ] {
        doc[k] = stored[k].clone();
    }
    let plan = doc.get("plan").cloned().unwrap_or(json!({}));
    doc["plan"] = json!({
        "submitted_on": stored["plan"]["submitted_on"],
        "certified_on": stored["plan"]["certified_on"],
        "target_workers": plan.get("target_workers").cloned().unwrap_or(json!([])),
    });
    check_document_text(&doc)?;
    josei_store::limits::check_rows(&doc).map_err(|t| ApiError::invalid(t.field, t.message))?;
    let amendment = amendment.map(str::trim).filter(|r| !r.is_empty());
    if let Some(r) = amendment {
        if r.chars().count() > 1_000 || r.chars().any(|c| forbidden_char(c, true)) {
            return Err(ApiError::invalid(
                "amendment_reason",
                "理由は1,000文字以内で、制御文字を含めないでください",
            ));
        }
    }
    let locked = josei_store::locked_changes(case, &stored, &doc);
    if !locked.is_empty() && amendment.is_none() {
        return Err(ApiError::conflict(format!(
            "支給申請の後は、申請の根拠になった入力（{}）を変更できません。変更が必要なときは、修正の理由を添えて送ってください",
            locked.join("・")
        )));
    }
    let amendment = amendment.filter(|_| !locked.is_empty());
    let mut probe = doc.clone();
    let today = today(state).await?;
    probe["as_of"] = json!(today.to_string());
    provisional(&mut probe, today);
    parse_case_value_text(&probe)?;
    let updated = state
        .db
        .save_inputs_as(case.id, version, &doc, Some(user.id), amendment)
        .await?;
    case_view(state, &updated, user).await
}

/// The body of a workflow step.
#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct ActionBody {
    /// The case version the step is based on.
    pub version: i64,
    /// Required for returning, rejecting and deciding against the engine.
    pub reason: Option<String>,
    /// For grants: the amount, when it differs from the engine's.
    pub decided_amount_yen: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/actions/{action}", tag = "cases", params(("id" = i64, Path, description = "ケース番号"), ("action" = String, Path, description = "submit_plan, return_plan, reject_plan, certify_plan, start_evaluation, file_equipment, grant_equipment, deny_equipment, start_goal_tracking, file_goal, grant_goal, deny_goal, close, withdraw")), request_body = ActionBody, responses((status = 200, description = "進めた後のケース（決定があれば decision）", body = serde_json::Value), (status = 403, body = ErrorBody), (status = 409, description = "できない状態・古い版・判定エンジンが認めない", body = ErrorBody), (status = 422, description = "理由が必要", body = ErrorBody), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
/// `POST /cases/{id}/actions/{action}`: one step of the workflow.
async fn act(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath((id, action)): ApiPath<(i64, String)>,
    ApiJson(b): ApiJson<ActionBody>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        perform_action(&state, &current.user, id, &action, b).await?,
    ))
}

/// One step of the workflow for `user` (shared by the API and the web pages):
/// roles, state, version and the engine's preconditions are checked here.
pub async fn perform_action(
    state: &AppState,
    user: &User,
    id: i64,
    action: &str,
    b: ActionBody,
) -> ApiResult<Value> {
    let state = state.clone();
    let case = visible_case(&state, user, id).await?;
    let t = workflow::by_name(action).ok_or_else(ApiError::not_found)?;
    require_role(user, t.roles)?;
    let today = today(&state).await?;
    let provisional_kind = {
        let doc = document_for_engine(&state, &case, today, &[]).await?;
        run_engine(&doc).ok().map(|(e, _)| e)
    };
    let procedure = procedure_of(&case, provisional_kind.as_ref(), today);
    if procedure == Procedure::NoPlan && t.action == Action::SubmitPlan {
        return Err(ApiError::conflict(
            "令和7年度から、テレワーク実施計画の提出・認定はなくなりました。評価期間の初日の前3か月に職場風土作り（トップメッセージと事例の共有）、就業規則の整備、研修やコンサルティングを行い、評価期間の初日を入力してから「評価期間を開始する」を行ってください",
        ));
    }
    if !workflow::allowed(t, case.status, procedure) {
        return Err(ApiError::conflict(format!(
            "状態「{}」のケースには {} を行えません（できる操作: {}）",
            case.status.label_for(procedure),
            t.name,
            workflow::available(case.status, user.role, procedure).join(", ")
        )));
    }
    if b.version != case.version {
        return Err(ApiError::conflict(format!(
            "ケースは他の人が更新しました（送信された版 {} / 現在の版 {}）。読み込み直してください",
            b.version, case.version
        )));
    }
    let reason = b
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    let mut changes = StepChanges {
        reason: reason.clone(),
        ..StepChanges::default()
    };
    let check_of = |e: &Evaluation, id: &str| -> Option<(CheckStatus, String)> {
        e.equipment_subsidy
            .checks
            .iter()
            .chain(&e.goal_subsidy.checks)
            .find(|c| c.id == id)
            .map(|c| (c.status, c.message.clone()))
    };
    let engine = |overrides: Vec<(&'static str, Value)>| {
        let state = state.clone();
        let case = case.clone();
        async move {
            let doc = document_for_engine(&state, &case, today, &overrides).await?;
            run_engine(&doc).map_err(|e| {
                ApiError::conflict(format!(
                    "ケースの内容を判定できません（{}: {}）",
                    e.field, e.message
                ))
            })
        }
    };
    match t.action {
        Action::SubmitPlan => {
            if case_targets(&state, &case).await? == 0 {
                return Err(ApiError::conflict(
                    "対象労働者を1人以上登録してから提出してください",
                ));
            }
            // The whole case must be valid, and a regime must cover today.
            let (_, regime) = engine(vec![]).await?;
            changes.set.push(("submitted_on", Some(today.to_string())));
            changes.set.push(("regime", Some(regime)));
        }
        Action::ReturnPlan | Action::RejectPlan => {
            if reason.is_none() {
                return Err(ApiError::invalid(
                    "reason",
                    "差戻し・不認定には理由が必要です",
                ));
            }
        }
        Action::CertifyPlan => changes.set.push(("certified_on", Some(today.to_string()))),
        Action::StartEvaluation if procedure == Procedure::NoPlan => {
            if case_targets(&state, &case).await? == 0 {
                return Err(ApiError::conflict(
                    "対象労働者を1人以上登録してから評価期間を開始してください",
                ));
            }
            if case.evaluation_start.is_none() {
                return Err(ApiError::conflict(
                    "評価期間の初日を入力してから開始してください（初日の前3か月に行った取組が数えられます）",
                ));
            }
            // The case must be valid, and its evaluation period must start in a
            // no-plan regime: that regime is fixed from now on.
            let (e, regime) = engine(vec![]).await?;
            if e.regime_kind != josei_rules::regime::RegimeKind::NoPlan {
                return Err(ApiError::conflict(
                    "評価期間の初日が計画のない制度の期間にありません",
                ));
            }
            changes.set.push(("regime", Some(regime)));
        }
        Action::StartEvaluation => {
            let (e, _) = engine(vec![]).await?;
            match check_of(&e, "evaluation_period") {
                Some((CheckStatus::Pass, _)) => {}
                Some((_, message)) => return Err(ApiError::conflict(message)),
                None => return Err(ApiError::conflict("評価期間を判定できません")),
            }
        }
        Action::FileEquipment | Action::FileGoal => {
            let (field, check) = if t.action == Action::FileEquipment {
                ("equipment_application_filed_on", "application_timely")
            } else {
                ("goal_application_filed_on", "goal_application_timely")
            };
            let (e, _) = engine(vec![(field, json!(today.to_string()))]).await?;
            match check_of(&e, check) {
                Some((CheckStatus::Pass, _)) => {}
                Some((_, message)) => return Err(ApiError::conflict(message)),
                None => return Err(ApiError::conflict("申請期限を判定できません")),
            }
            changes.set.push((field, Some(today.to_string())));
        }
        Action::GrantEquipment | Action::DenyEquipment | Action::GrantGoal | Action::DenyGoal => {
            let (e, regime) = engine(vec![]).await?;
            let equipment = matches!(t.action, Action::GrantEquipment | Action::DenyEquipment);
            let grant = matches!(t.action, Action::GrantEquipment | Action::GrantGoal);
            let (status, amount, cap) = if equipment {
                (
                    e.equipment_subsidy.status,
                    e.equipment_subsidy.amount_yen.0 as i64,
                    e.equipment_subsidy.cap_yen.0 as i64,
                )
            } else {
                (
                    e.goal_subsidy.status,
                    e.goal_subsidy.amount_yen.0 as i64,
                    e.goal_subsidy.cap_yen.0 as i64,
                )
            };
            let decided = if grant {
                b.decided_amount_yen.unwrap_or(amount)
            } else {
                0
            };
            if decided < 0 {
                return Err(ApiError::invalid(
                    "decided_amount_yen",
                    "金額は0以上で指定してください",
                ));
            }
            // Never more than the subsidy's cap under the rules.
            if decided > cap {
                return Err(ApiError::invalid(
                    "decided_amount_yen",
                    format!(
                        "決定額は上限 {} を超えられません",
                        josei_rules::model::Yen(cap as u64)
                    ),
                ));
            }
            let agrees = if grant {
                status == SubsidyStatus::Payable && decided == amount
            } else {
                status != SubsidyStatus::Payable
            };
            if !agrees && reason.is_none() {
                return Err(ApiError::invalid(
                    "reason",
                    format!(
                        "判定エンジンの結果（{}、{}円）と異なる決定には理由が必要です",
                        status.label_ja(),
                        amount
                    ),
                ));
            }
            changes.decision = Some(NewDecision {
                kind: if equipment {
                    "equipment".into()
                } else {
                    "goal".into()
                },
                outcome: if grant {
                    "granted".into()
                } else {
                    "denied".into()
                },
                engine_version: josei_rules::ENGINE_VERSION.into(),
                regime,
                engine_status: serde_json::to_value(status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                engine_amount_yen: amount,
                decided_amount_yen: decided,
                overrides_engine: !agrees,
                reason: reason.clone(),
                assumptions: serde_json::to_value(&e.assumptions).unwrap_or(Value::Null),
                overlay_sha256: josei_rules::regime::set()
                    .overlay()
                    .map(|o| o.sha256.clone()),
                evaluation: serde_json::to_value(&e).unwrap_or(Value::Null),
            });
        }
        Action::StartGoalTracking | Action::Close | Action::Withdraw => {}
    }
    let (updated, decision) = state
        .db
        .step(case.id, b.version, t.from, t.to, t.name, changes, user.id)
        .await?;
    let mut view = case_view(&state, &updated, user).await?;
    view["decision"] = json!(decision);
    Ok(view)
}

async fn case_targets(state: &AppState, case: &CaseRow) -> ApiResult<usize> {
    let doc = state.db.case_document(case).await?;
    Ok(doc
        .pointer("/plan/target_workers")
        .and_then(Value::as_array)
        .map_or(0, Vec::len))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ImportQuery {
    version: i64,
    mode: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/imports/{kind}", tag = "cases", params(("id" = i64, Path, description = "ケース番号"), ("kind" = String, Path, description = "telework または roster"), ImportQuery), request_body(content = String, content_type = "text/csv", description = "UTF-8（BOM可）または Shift_JIS の CSV"), responses((status = 200, description = "取り込んだ後のケース（import に件数と文字コード）", body = serde_json::Value), (status = 422, description = "問題のある行（rows に行番号）。何も保存しない", body = serde_json::Value), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
/// `POST /cases/{id}/imports/{telework|roster}?version=N[&mode=append|replace]`:
/// a CSV in UTF-8 or Shift_JIS; every bad row is reported and nothing is stored.
async fn import(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath((id, kind)): ApiPath<(i64, String)>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> ApiResult<Response> {
    let case = visible_case(&state, &current.user, id).await?;
    require_role(&current.user, &[Role::Employer, Role::Agent])?;
    let replace = match q.mode.as_deref() {
        None | Some("append") => false,
        Some("replace") => true,
        Some(_) => return Err(ApiError::invalid("mode", "mode は append か replace です")),
    };
    let parsed = match kind.as_str() {
        "telework" => josei_store::import::telework_csv(&body),
        "roster" => josei_store::import::roster_csv(&body),
        _ => return Err(ApiError::not_found()),
    };
    let (rows, encoding) = match parsed {
        Ok(r) => r,
        Err(errors) => {
            let body = json!({
                "error": {"code": "import_rows", "message": format!("{}件の行に問題があるため、何も取り込んでいません", errors.len()), "field": null},
                "rows": errors,
            });
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response());
        }
    };
    let mut doc = state.db.case_document(&case).await?;
    let imported = rows.len();
    josei_store::import::merge(&mut doc, &kind, rows, replace);
    let mut view = save_document(&state, &case, q.version, doc, &current.user).await?;
    view["import"] = json!({"kind": kind, "rows": imported, "encoding": encoding, "mode": if replace { "replace" } else { "append" }});
    Ok(Json(view).into_response())
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/audit", tag = "cases", params(("id" = i64, Path, description = "ケース番号")), responses((status = 200, description = "監査ログ（誰が・いつ・何を・前後）", body = serde_json::Value), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
async fn case_audit(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Value>> {
    let case = visible_case(&state, &current.user, id).await?;
    Ok(Json(json!(
        state.db.audit_log("case", &case.id.to_string()).await?
    )))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/decisions", tag = "cases", params(("id" = i64, Path, description = "ケース番号")), responses((status = 200, description = "決定の記録", body = serde_json::Value), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
async fn case_decisions(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Value>> {
    let case = visible_case(&state, &current.user, id).await?;
    Ok(Json(json!(state.db.decisions(case.id).await?)))
}

// ---------------------------------------------------------------------------
// Attachments.

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct AttachmentQuery {
    kind: String,
    filename: String,
}

/// Accepted content types, with the bytes a file of that type starts with.
const CONTENT_TYPES: &[(&str, &[u8])] = &[
    ("application/pdf", b"%PDF-"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xFF\xD8\xFF"),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04",
    ),
];

#[utoipa::path(post, path = "/api/v1/cases/{id}/attachments", tag = "cases", params(("id" = i64, Path, description = "ケース番号"), AttachmentQuery), request_body(content = Vec<u8>, content_type = "application/pdf", description = "PDF・PNG・JPEG・xlsx（10 MiB まで）"), responses((status = 201, description = "登録した添付ファイル", body = serde_json::Value), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
async fn add_attachment(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<AttachmentQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let case = visible_case(&state, &current.user, id).await?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let a = store_attachment(
        &state,
        &current.user,
        &case,
        &q.kind,
        &q.filename,
        content_type,
        &body,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!(a))))
}

/// Checks and stores an attachment (shared by the API and the web pages):
/// the kind, the size, the content type against the file's first bytes, and a
/// file name reduced to its printable base name.
pub async fn store_attachment(
    state: &AppState,
    user: &User,
    case: &CaseRow,
    kind: &str,
    filename: &str,
    content_type: &str,
    body: &[u8],
) -> ApiResult<josei_store::Attachment> {
    require_role(user, &[Role::Employer, Role::Agent])?;
    if !["work_rules", "receipt", "invoice", "other"].contains(&kind) {
        return Err(ApiError::invalid(
            "kind",
            "kind は work_rules, receipt, invoice, other のいずれかです",
        ));
    }
    if body.len() > MAX_ATTACHMENT {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("添付ファイルは {} MiB までです", MAX_ATTACHMENT >> 20),
        ));
    }
    if body.is_empty() {
        return Err(ApiError::invalid("body", "ファイルが空です"));
    }
    let content_type = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    let Some((_, magic)) = CONTENT_TYPES.iter().find(|(t, _)| *t == content_type) else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_type",
            "PDF・PNG・JPEG・Excel（.xlsx）のファイルを送ってください",
        ));
    };
    if !body.starts_with(magic) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "type_mismatch",
            format!("ファイルの中身が {content_type} ではありません"),
        ));
    }
    let filename: String = filename
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    if filename.trim().is_empty() {
        return Err(ApiError::invalid(
            "filename",
            "ファイル名を指定してください",
        ));
    }
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(state
        .db
        .add_attachment(case.id, kind, &filename, &content_type, &sha, body, user.id)
        .await?)
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/attachments", tag = "cases", params(("id" = i64, Path, description = "ケース番号")), responses((status = 200, description = "添付ファイルの一覧", body = serde_json::Value), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
async fn list_attachments(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Value>> {
    let case = visible_case(&state, &current.user, id).await?;
    Ok(Json(json!(state.db.attachments(case.id).await?)))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/attachments/{aid}", tag = "cases", params(("id" = i64, Path, description = "ケース番号"), ("aid" = i64, Path, description = "添付ファイル ID")), responses((status = 200, description = "ファイル", content_type = "application/octet-stream"), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
async fn get_attachment(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath((id, aid)): ApiPath<(i64, i64)>,
) -> ApiResult<Response> {
    let case = visible_case(&state, &current.user, id).await?;
    let (meta, data) = state.db.attachment_data(case.id, aid).await?;
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        percent_encode(&meta.filename, false)
    );
    let mut res = data.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&meta.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    Ok(res)
}

/// Everything but ASCII letters, digits and `-._~` (RFC 3986 unreserved).
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// [`COMPONENT`] with `/` kept (paths in query strings).
const PATH: &percent_encoding::AsciiSet = &COMPONENT.remove(b'/');

/// Percent-encodes `s` as a URL component (RFC 3986), `/` kept when `keep_slash`.
pub(crate) fn percent_encode(s: &str, keep_slash: bool) -> String {
    let set = if keep_slash { PATH } else { COMPONENT };
    percent_encoding::utf8_percent_encode(s, set).to_string()
}

#[cfg(test)]
#[test]
fn url_components_are_percent_encoded() {
    assert_eq!(
        percent_encode("就業規則 v2.pdf", false),
        "%E5%B0%B1%E6%A5%AD%E8%A6%8F%E5%89%87%20v2.pdf"
    );
    assert_eq!(percent_encode("/cases?x=1&y", true), "/cases%3Fx%3D1%26y");
    assert_eq!(percent_encode("a/b", false), "a%2Fb");
}

// ---------------------------------------------------------------------------
// Deadlines.

/// A candidate deadline: kind, effective date, nominal date.
type Candidate = (&'static str, Option<Date>, Option<Date>);

/// The next deadline of a case in `status`, with what is still missing.
pub fn next_deadline(status: Status, e: &Evaluation, today: Date) -> Option<Value> {
    let s = &e.schedule;
    let no_plan = e.regime_kind == josei_rules::regime::RegimeKind::NoPlan;
    let (candidates, checks): (Vec<Candidate>, _) = match status {
        Status::Draft if no_plan => (
            vec![
                (
                    "measures_window_end",
                    s.measures_window.map(|p| p.to()),
                    None,
                ),
                (
                    "evaluation_period_end",
                    s.evaluation_period.map(|p| p.to()),
                    None,
                ),
            ],
            &e.equipment_subsidy.checks,
        ),
        Status::PlanCertified | Status::Evaluation => (
            vec![
                (
                    "evaluation_period_end",
                    s.evaluation_period.map(|p| p.to()),
                    None,
                ),
                (
                    "equipment_application",
                    s.equipment_application_deadline.map(|d| d.effective),
                    s.equipment_application_deadline.map(|d| d.nominal),
                ),
            ],
            &e.equipment_subsidy.checks,
        ),
        Status::EquipmentGranted | Status::GoalTracking => (
            vec![
                (
                    "goal_evaluation_period_end",
                    s.goal_evaluation_period.map(|p| p.to()),
                    None,
                ),
                (
                    "goal_application",
                    s.goal_application_deadline.map(|d| d.effective),
                    s.goal_application_deadline.map(|d| d.nominal),
                ),
            ],
            &e.goal_subsidy.checks,
        ),
        _ => return None,
    };
    let (kind, date, nominal) = candidates
        .into_iter()
        .filter_map(|(k, d, n)| d.filter(|d| *d >= today).map(|d| (k, d, n)))
        .min_by_key(|(_, d, _)| *d)?;
    let first = e.equipment_subsidy.name;
    let label = match kind {
        "measures_window_end" => "取組（職場風土作り・就業規則・研修など）の期限".to_string(),
        "evaluation_period_end" => format!("評価期間（{first}）の終了"),
        "equipment_application" => format!("{first}の申請期限"),
        "goal_evaluation_period_end" => "評価期間（目標達成助成）の終了".to_string(),
        _ => "目標達成助成の申請期限".to_string(),
    };
    let days_left =
        (josei_rules::civil::day_number(date) - josei_rules::civil::day_number(today)) as i64;
    let missing: Vec<&str> = checks
        .iter()
        .filter(|c| c.status == CheckStatus::Pending)
        .map(|c| c.message.as_str())
        .collect();
    Some(json!({
        "kind": kind, "label": label, "date": date.to_string(), "nominal": nominal.map(|n| n.to_string()),
        "wareki": josei_rules::wareki::format_wareki(date), "days_left": days_left, "missing": missing,
    }))
}

// ---------------------------------------------------------------------------
// Evaluation snapshots: what lists read instead of running the engine.

/// The engine a snapshot was made with: its version and, with an overlay, the
/// overlay's hash (a corrected value re-evaluates every case).
pub fn engine_key() -> String {
    match josei_rules::regime::set().overlay() {
        Some(o) => format!(
            "{}+{}",
            josei_rules::ENGINE_VERSION,
            &o.sha256[..16.min(o.sha256.len())]
        ),
        None => josei_rules::ENGINE_VERSION.to_string(),
    }
}

fn verdict(s: SubsidyStatus) -> josei_store::Verdict {
    match s {
        SubsidyStatus::Payable => josei_store::Verdict::Payable,
        SubsidyStatus::NotPayable => josei_store::Verdict::NotPayable,
        SubsidyStatus::Pending => josei_store::Verdict::Pending,
    }
}

/// The case evaluated as of `today`, as a snapshot.
async fn snapshot_of(
    state: &AppState,
    case: &CaseRow,
    today: Date,
    engine: &str,
) -> ApiResult<josei_store::Snapshot> {
    let doc = document_for_engine(state, case, today, &[]).await?;
    let mut snap = josei_store::Snapshot {
        case_id: case.id,
        case_version: case.version,
        as_of: today.to_string(),
        engine: engine.to_string(),
        regime: None,
        equipment: None,
        equipment_yen: 0,
        goal: None,
        goal_yen: 0,
        deadline_date: None,
        deadline_json: None,
        input_error: None,
    };
    let yen = |y: josei_rules::model::Yen| i64::try_from(y.0).unwrap_or(i64::MAX);
    match run_engine(&doc) {
        Ok((e, regime)) => {
            let deadline = next_deadline(case.status, &e, today);
            snap.regime = Some(regime);
            snap.equipment = Some(verdict(e.equipment_subsidy.status));
            snap.equipment_yen = yen(e.equipment_subsidy.amount_yen);
            snap.goal = Some(verdict(e.goal_subsidy.status));
            snap.goal_yen = yen(e.goal_subsidy.amount_yen);
            snap.deadline_date = deadline
                .as_ref()
                .and_then(|d| d["date"].as_str().map(str::to_string));
            snap.deadline_json = deadline.map(|d| d.to_string());
        }
        Err(e) => snap.input_error = Some(e.message),
    }
    Ok(snap)
}

/// Brings the snapshot of every case in `scope` up to date (today, this
/// engine, each case's current version) and returns today. Only stale cases
/// are evaluated: after a write, one case; after midnight, all once.
pub(crate) async fn refresh_snapshots(state: &AppState, scope: &Scope) -> ApiResult<Date> {
    let today = today(state).await?;
    let engine = engine_key();
    let stale = state
        .db
        .stale_cases(scope, &today.to_string(), &engine)
        .await?;
    for chunk in stale.chunks(200) {
        let mut fresh = Vec::with_capacity(chunk.len());
        for case in chunk {
            fresh.push(snapshot_of(state, case, today, &engine).await?);
        }
        state.db.put_snapshots(&fresh).await?;
    }
    Ok(today)
}

/// Brings every case's snapshot up to date (for `josei demo` and imports run
/// outside the server).
pub async fn refresh_all_snapshots(db: &Db) -> Result<(), String> {
    let state = AppState {
        db: db.clone(),
        secure_cookies: false,
        clock_override: false,
        trusted_proxy: false,
    };
    refresh_snapshots(&state, &Scope::All)
        .await
        .map(|_| ())
        .map_err(|e| e.message)
}

/// Keeps every snapshot current in the background: at start, after each
/// change of day and every minute for cases written since, so that the first
/// list of a morning does not wait for thousands of evaluations.
async fn keep_snapshots_fresh(state: AppState) {
    loop {
        if let Err(e) = refresh_snapshots(&state, &Scope::All).await {
            tracing::warn!(error = %e.message, "refreshing evaluation snapshots failed");
        }
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
}

/// The day `days` after `today`, for "due within N days" filters.
pub(crate) fn days_after(today: Date, days: i64) -> Option<String> {
    today
        .checked_add(jiff::Span::new().days(days))
        .ok()
        .map(|d| d.to_string())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DeadlineQuery {
    within_days: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/deadlines", tag = "cases", params(DeadlineQuery), responses((status = 200, description = "期限が近いケース（近い順）", body = serde_json::Value), (status = 401, body = ErrorBody)))]
/// `GET /deadlines?within_days=N`: every visible open case due within N days (default 30), nearest first.
async fn deadlines(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(q): ApiQuery<DeadlineQuery>,
) -> ApiResult<Json<Value>> {
    let within = q.within_days.unwrap_or(30);
    if !(0..=3660).contains(&within) {
        return Err(ApiError::invalid(
            "within_days",
            "0〜3660 の日数を指定してください",
        ));
    }
    let scope = scope_of(&state, &current.user).await?;
    let today = refresh_snapshots(&state, &scope).await?;
    let query = josei_store::ListQuery {
        open_only: true,
        due_by: days_after(today, within),
        sort: josei_store::Sort::Deadline,
        ..Default::default()
    };
    let (rows, _) = state.db.list_page(&scope, &query).await?;
    let out: Vec<Value> = rows
        .into_iter()
        .filter_map(|r| {
            let deadline: Value = serde_json::from_str(r.snapshot.deadline_json.as_deref()?).ok()?;
            Some(json!({"case_id": r.case.id, "title": r.case.title, "organization_id": r.case.organization_id, "status": r.case.status, "deadline": deadline}))
        })
        .collect();
    Ok(Json(json!(out)))
}

// ---------------------------------------------------------------------------
// Admin clock (training and tests).

#[derive(Deserialize, utoipa::ToSchema)]
struct ClockBody {
    today: Option<String>,
}

#[utoipa::path(put, path = "/api/v1/admin/clock", tag = "admin", request_body = ClockBody, responses((status = 200, description = "設定した今日", body = serde_json::Value), (status = 403, body = ErrorBody)))]
async fn set_clock(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(b): ApiJson<ClockBody>,
) -> ApiResult<Json<Value>> {
    require_role(&current.user, &[Role::Admin])?;
    if !state.clock_override {
        return Err(ApiError::forbidden(
            "日付の変更は、サーバーを --clock-override で起動したときだけ使えます",
        ));
    }
    if let Some(t) = &b.today {
        josei_rules::civil::parse_iso_date(t)
            .map_err(|_| ApiError::invalid("today", "YYYY-MM-DD の日付を指定してください"))?;
    }
    state
        .db
        .set_setting("clock.today", b.today.as_deref(), current.user.id)
        .await?;
    Ok(Json(json!({"today": today(&state).await?.to_string()})))
}

// ---------------------------------------------------------------------------
// OpenAPI.

/// The error shape of every endpoint (for the OpenAPI document).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// One error.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable code, e.g. `conflict`, `invalid`, `negative`.
    pub code: String,
    /// What went wrong and what to do, in Japanese.
    pub message: String,
    /// The field path, when one field is at fault (e.g. `expenses[3].amount_yen`).
    pub field: Option<String>,
}

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                auth::COOKIE,
                "書き込みには X-CSRF-Token ヘッダーも必要",
            ))),
        );
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API's OpenAPI 3 document, generated from the handlers' annotations.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "josei API", description = "人材確保等支援助成金（テレワークコース）のケース管理 API"),
    paths(
        evaluate_document, openapi, login, logout, me, create_token, list_tokens, revoke_token, change_password, create_user, create_org, list_orgs,
        grant_delegation, revoke_delegation, list_cases, create_case, get_case, put_inputs, act, import,
        case_audit, case_decisions, add_attachment, list_attachments, get_attachment, deadlines, set_clock
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&Security),
    security(("session" = []), ("token" = []))
)]
pub struct ApiDoc;

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "engine", responses((status = 200, description = "この文書", body = serde_json::Value)))]
async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    use utoipa::OpenApi;
    let mut doc = ApiDoc::openapi();
    doc.info.version = josei_rules::ENGINE_VERSION.to_string();
    Json(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_address_comes_from_the_proxy_only_when_trusted() {
        let peer: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.7, 198.51.100.2"),
        );
        assert_eq!(client_address(peer, &h, false), "127.0.0.1");
        assert_eq!(client_address(peer, &h, true), "198.51.100.2");
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("not an address"),
        );
        assert_eq!(client_address(peer, &h, true), "127.0.0.1");
        assert_eq!(client_address(peer, &HeaderMap::new(), true), "127.0.0.1");
    }

    #[test]
    fn csv_cells_cannot_be_formulas_or_split_rows() {
        for f in ["=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(formula_safe(f).starts_with('\''), "{f:?}");
        }
        assert_eq!(formula_safe("テレワーク導入"), "テレワーク導入");
        let text = csv_table([
            vec!["件名", "額"],
            vec!["a\rb", "100"],
            vec!["=1+1", "a,\"b\""],
        ]);
        assert_eq!(
            text,
            "\u{feff}件名,額\r\n\"a\rb\",100\r\n'=1+1,\"a,\"\"b\"\"\"\r\n"
        );
        // What it writes, the csv crate reads back cell for cell.
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[1][0], "a\rb");
    }

    #[test]
    fn database_urls_are_shown_without_their_password() {
        assert_eq!(
            redact_url("postgres://josei:s3cret@db.internal:5432/josei"),
            "postgres://josei:***@db.internal:5432/josei"
        );
        assert_eq!(
            redact_url("postgres://josei@db/josei"),
            "postgres://josei@db/josei"
        );
        assert_eq!(redact_url("josei.db"), "josei.db");
    }
}
