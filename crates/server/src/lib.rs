//! # josei-server
//!
//! The case service over HTTP: the JSON API under `/api/v1` ([`api`], one
//! module and router per area) and the Japanese pages ([`web`], likewise).
//! Handlers are thin: they read the request, call the use case in
//! `josei_app`, and shape the answer. What is here is HTTP only: the accept
//! loop with its timeouts and connection limit, security headers, error
//! shapes, cookies and CSRF ([`auth`]).

pub mod api;
pub mod auth;
pub mod error;
pub mod web;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use error::ApiError;
use josei_app::App;
use josei_store::Db;
use std::net::SocketAddr;
use std::time::Duration;

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// `ADDR:PORT` to listen on.
    pub listen: String,
    /// A file path or `sqlite:`/`postgres://` URL (shown only redacted).
    pub database: josei_app::DatabaseUrl,
    /// Mark the session cookie `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Allow admins to set "today" (`PUT /api/v1/admin/clock`): for training
    /// environments and tests only.
    pub clock_override: bool,
    /// Behind a reverse proxy: take the client's address from the last entry of
    /// `X-Forwarded-For` (never trusted otherwise).
    pub trusted_proxy: bool,
}

/// What every handler may use: the application ([`App`], reached through
/// `Deref`) and how HTTP is served.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub secure_cookies: bool,
    pub trusted_proxy: bool,
}

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
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

/// The largest request body (imports, attachments): 16 MiB.
pub const MAX_BODY: usize = 16 * 1024 * 1024;

/// The application's routes.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(web::routes())
        .merge(api::router())
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
    } else if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
        // A page's form never names content types to the person who sent it.
        web::plain_error_page(
            status,
            "送信された内容を受け付けられませんでした。ページを読み込み直してから、もう一度お試しください。",
        )
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
    let url = &config.database;
    let app = App::open(url, config.clock_override)
        .await
        .map_err(|e| e.message)?;
    if app
        .db
        .count_users()
        .await
        .map_err(|e| url.redact_in(&e.to_string()))?
        == 0
    {
        let hint = if url.is_url() {
            "（--database には、サーバーと同じ接続先を指定してください）".to_string()
        } else {
            format!(" --database {url}")
        };
        eprintln!(
            "josei: ユーザーがまだいません。最初の管理者を作成してください:\n  josei user add --username admin --role admin{hint}"
        );
    }
    let (router, state) = router_for(app.db, &config);
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| format!("{} で待ち受けできません: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    eprintln!("josei: listening on http://{addr}");
    tokio::spawn(josei_app::snapshots::keep_snapshots_fresh(state.app));
    serve(listener, router, shutdown_signal()).await;
    Ok(())
}

/// The whole application (API and pages) over an open database, as
/// [`run`] serves it; also what in-process tests drive with
/// `tower::ServiceExt::oneshot` (they must insert
/// `axum::extract::ConnectInfo<SocketAddr>` into each request, as [`serve`]
/// does). `config.listen` is not used.
pub fn router_for(db: Db, config: &Config) -> (Router, AppState) {
    let state = AppState {
        app: App::new(db, config.clock_override),
        secure_cookies: config.secure_cookies,
        trusted_proxy: config.trusted_proxy,
    };
    (app(state.clone()), state)
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

/// Everything but ASCII letters, digits and `-._~` (RFC 3986 unreserved).
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// [`COMPONENT`] with `/` kept (paths in query strings).
const PATH: &percent_encoding::AsciiSet = &COMPONENT.remove(b'/');

/// Percent-encodes `s` as a URL component (RFC 3986), `/` kept when `keep_slash`.
pub fn percent_encode(s: &str, keep_slash: bool) -> String {
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
}
