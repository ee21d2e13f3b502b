//! Test support: databases for both backends, the server (the real binary or
//! the application in process) and a client for either.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub const ADMIN_PASSWORD: &str = "admin-password-0123";
pub const PASSWORD: &str = "user-password-4567";

pub fn josei() -> Command {
    Command::new(env!("CARGO_BIN_EXE_josei"))
}

pub fn shared() -> PathBuf {
    std::env::var_os("JOSEI_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh database: an SQLite file in its own folder, or a new PostgreSQL database.
pub struct TestDb {
    pub url: String,
    dir: PathBuf,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub fn is_sqlite(&self) -> bool {
        self.pg.is_none()
    }
}

pub fn dir(db: &TestDb) -> PathBuf {
    db.dir.clone()
}

fn unique() -> String {
    format!(
        "{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// SQLite always; PostgreSQL too when `TEST_DATABASE_URL` is set.
pub fn backends() -> Vec<TestDb> {
    let name = unique();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("service_{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut out = vec![TestDb {
        url: dir.join("josei.db").to_string_lossy().into_owned(),
        dir: dir.clone(),
        pg: None,
    }];
    if let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") {
        let db_name = format!("josei_test_{name}");
        block_on(async {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&admin_url)
                .await
                .expect("TEST_DATABASE_URL reachable");
            sqlx::query(&format!("CREATE DATABASE {db_name}"))
                .execute(&mut conn)
                .await
                .unwrap();
        });
        let (base, _) = admin_url.split_once('?').unwrap_or((&admin_url, ""));
        let url = format!("{}/{db_name}", &base[..base.rfind('/').unwrap()]);
        let pg_dir = dir.join("pg");
        std::fs::create_dir_all(&pg_dir).unwrap();
        out.push(TestDb {
            url,
            dir: pg_dir,
            pg: Some((admin_url, db_name)),
        });
    }
    out
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.pg.take() {
            block_on(async {
                use sqlx::Connection;
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await;
                }
            });
        }
    }
}

/// Runs the CLI against the test database.
pub fn cli(db: &TestDb, args: &[&str], password: Option<&str>) -> Output {
    let mut c = josei();
    c.args(args).env("DATABASE_URL", &db.url);
    if let Some(p) = password {
        c.env("JOSEI_PASSWORD", p);
    }
    c.output().unwrap()
}

pub fn cli_add_admin(db: &TestDb) {
    let out = cli(
        db,
        &["user", "add", "--username", "admin", "--role", "admin"],
        Some(ADMIN_PASSWORD),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The service under test: the real `josei serve` on a free port (killed when
/// dropped), or the same application run in this process, each request handed
/// to its router with `tower::ServiceExt::oneshot`.
pub struct Server {
    /// `http://ADDR:PORT` of the real server; a placeholder in process.
    pub base: String,
    kind: Kind,
}

enum Kind {
    Process(Child),
    InProcess(Arc<App>),
}

/// What an in-process server holds: the router over an open database and the
/// runtime its requests (and the database pool) run on.
struct App {
    router: axum::Router,
    runtime: tokio::runtime::Runtime,
}

/// The options of `josei serve` that an in-process server takes (the clock
/// override is always on, as for [`Server::start`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct InProcess {
    /// As `--secure-cookies`.
    pub secure_cookies: bool,
    /// As `--trusted-proxy`.
    pub trusted_proxy: bool,
}

impl Server {
    /// The real binary, as `josei serve --clock-override`.
    pub fn start(db: &TestDb) -> Server {
        Server::start_with(db, &[])
    }

    /// The real binary started with extra arguments (e.g. `--regimes FILE`).
    pub fn start_with(db: &TestDb, extra: &[&str]) -> Server {
        let mut child = josei()
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--database",
                &db.url,
                "--clock-override",
            ])
            .args(extra)
            .env("JOSEI_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut base = None;
        for line in lines.by_ref() {
            let line = line.unwrap();
            if let Some(addr) = line.strip_prefix("josei: listening on ") {
                base = Some(addr.trim().to_string());
                break;
            }
        }
        // Keep draining so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            base: base.expect("the server printed its address"),
            kind: Kind::Process(child),
        }
    }

    /// The application in this process, as `josei serve --clock-override`
    /// would serve it.
    pub fn in_process(db: &TestDb) -> Server {
        Server::in_process_with(db, InProcess::default())
    }

    /// The application in this process with the given options.
    pub fn in_process_with(db: &TestDb, options: InProcess) -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let store = runtime
            .block_on(josei_store::connect(&db.url))
            .unwrap_or_else(|e| panic!("opening {}: {e}", db.url));
        let config = josei_server::Config {
            listen: String::new(),
            database: db.url.parse().expect("a database URL"),
            secure_cookies: options.secure_cookies,
            clock_override: true,
            trusted_proxy: options.trusted_proxy,
        };
        let (router, _) = josei_server::router_for(store, &config);
        Server {
            base: "http://in-process.invalid".into(),
            kind: Kind::InProcess(Arc::new(App { router, runtime })),
        }
    }

    pub fn client(&self) -> Client {
        let transport = match &self.kind {
            Kind::Process(_) => Transport::Http(
                ureq::Agent::config_builder()
                    // Statuses are the tests' to check; redirects are not followed.
                    .http_status_as_error(false)
                    .max_redirects(0)
                    // A fresh connection for each request, as a new client would.
                    .max_idle_connections(0)
                    .max_idle_connections_per_host(0)
                    // The server is on this machine: no proxy from the environment.
                    .proxy(None)
                    .build()
                    .into(),
            ),
            Kind::InProcess(app) => Transport::InProcess(app.clone()),
        };
        Client {
            base: self.base.clone(),
            cookie: None,
            csrf: None,
            bearer: None,
            headers: Vec::new(),
            transport,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Kind::Process(child) = &mut self.kind {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// How a [`Client`] reaches its server.
#[derive(Clone)]
enum Transport {
    /// Over HTTP to `Client::base`.
    Http(ureq::Agent),
    /// Straight to the in-process router.
    InProcess(Arc<App>),
}

/// An HTTP client with a cookie, a CSRF token and an optional bearer token.
#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub bearer: Option<String>,
    /// Extra request headers (e.g. `X-Forwarded-For`).
    pub headers: Vec<(String, String)>,
    transport: Transport,
}

/// Status, lower-cased headers and body of a response.
pub type Answer = (u16, Vec<(String, String)>, Vec<u8>);

impl Client {
    pub fn login(&mut self, username: &str, password: &str) {
        let body = serde_json::json!({"username": username, "password": password}).to_string();
        let (status, headers, body) = self.send(
            "POST",
            "/api/v1/login",
            Some("application/json"),
            body.as_bytes(),
        );
        assert_eq!(
            status,
            200,
            "login {username}: {}",
            String::from_utf8_lossy(&body)
        );
        let cookie = headers
            .iter()
            .find(|(k, _)| k == "set-cookie")
            .map(|(_, v)| v.split(';').next().unwrap().to_string());
        self.cookie = cookie;
        let v: Value = serde_json::from_slice(&body).unwrap();
        self.csrf = v["csrf_token"].as_str().map(str::to_string);
    }

    pub fn get(&mut self, path: &str) -> (u16, Value) {
        self.json("GET", path, None)
    }
    pub fn post(&mut self, path: &str, body: &Value) -> (u16, Value) {
        self.json("POST", path, Some(body))
    }
    pub fn put(&mut self, path: &str, body: &Value) -> (u16, Value) {
        self.json("PUT", path, Some(body))
    }
    pub fn delete(&mut self, path: &str) -> (u16, Value) {
        self.json("DELETE", path, None)
    }

    pub fn post_bytes(&mut self, path: &str, content_type: &str, body: &[u8]) -> (u16, Value) {
        let (s, _, b) = self.send("POST", path, Some(content_type), body);
        (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
    }

    pub fn get_raw(&mut self, path: &str) -> (u16, Vec<u8>) {
        let (s, _, b) = self.send("GET", path, None, b"");
        (s, b)
    }

    /// Any request; status, headers and raw body.
    pub fn raw(&self, method: &str, path: &str, content_type: Option<&str>, body: &[u8]) -> Answer {
        self.send(method, path, content_type, body)
    }

    fn json(&mut self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let text = body.map(|b| b.to_string()).unwrap_or_default();
        let ct = body.map(|_| "application/json");
        let (s, _, b) = self.send(method, path, ct, text.as_bytes());
        (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
    }

    /// The request's headers: content type, cookie, CSRF token, bearer token
    /// and the extra ones (the length and host are the transport's).
    fn request_headers(&self, content_type: Option<&str>) -> Vec<(String, String)> {
        let mut h = Vec::new();
        let mut add = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                h.push((k.to_string(), v));
            }
        };
        add("content-type", content_type.map(str::to_string));
        add("cookie", self.cookie.clone());
        add("x-csrf-token", self.csrf.clone());
        add(
            "authorization",
            self.bearer.as_ref().map(|b| format!("Bearer {b}")),
        );
        h.extend(self.headers.iter().cloned());
        h
    }

    fn send(&self, method: &str, path: &str, content_type: Option<&str>, body: &[u8]) -> Answer {
        let headers = self.request_headers(content_type);
        match &self.transport {
            Transport::Http(agent) => {
                let mut req = ureq::http::Request::builder()
                    .method(method)
                    .uri(format!("{}{path}", self.base));
                for (k, v) in &headers {
                    req = req.header(k, v);
                }
                let mut res = agent
                    .run(req.body(body.to_vec()).unwrap())
                    .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
                let status = res.status().as_u16();
                let headers = header_list(res.headers());
                let body = res
                    .body_mut()
                    .with_config()
                    .limit(u64::MAX)
                    .read_to_vec()
                    .unwrap_or_else(|e| panic!("{method} {path}: reading the body: {e}"));
                (status, headers, body)
            }
            Transport::InProcess(app) => {
                let length = body.len() as u64;
                let body = axum::body::Body::from(body.to_vec());
                app.call(
                    in_process_request(method, path, &headers, length, body),
                    None,
                )
                .expect("no time limit")
            }
        }
    }

    /// Sends only a request's head announcing `length` bytes, and waits (30 s
    /// at most) for the answer: the server must refuse an oversized body from
    /// its announced length alone, never waiting for the body.
    pub fn head_only(&self, path: &str, length: u64) -> Answer {
        let Transport::InProcess(app) = &self.transport else {
            panic!("head_only drives the in-process server");
        };
        let headers = self.request_headers(Some("application/json"));
        let body = axum::body::Body::new(NeverSent(length));
        app.call(
            in_process_request("POST", path, &headers, length, body),
            Some(std::time::Duration::from_secs(30)),
        )
        .unwrap_or_else(|| panic!("POST {path}: no answer before the body was sent"))
    }
}

/// An in-process request as [`josei_server::serve`] hands it to the router:
/// with the peer's address as `ConnectInfo`.
fn in_process_request(
    method: &str,
    path: &str,
    headers: &[(String, String)],
    length: u64,
    body: axum::body::Body,
) -> axum::http::Request<axum::body::Body> {
    static PORT: AtomicUsize = AtomicUsize::new(0);
    let port = 20_000 + (PORT.fetch_add(1, Ordering::Relaxed) % 40_000) as u16;
    let mut req = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1")
        .header("content-length", length);
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let mut req = req.body(body).unwrap();
    let peer = SocketAddr::from(([127, 0, 0, 1], port));
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(peer));
    req
}

impl App {
    /// Runs one request through the router on the app's runtime; `None` if
    /// `limit` passed first.
    fn call(
        &self,
        req: axum::http::Request<axum::body::Body>,
        limit: Option<std::time::Duration>,
    ) -> Option<Answer> {
        use tower::ServiceExt as _;
        let router = self.router.clone();
        let answer = async move {
            let res = router.oneshot(req).await.unwrap_or_else(|e| match e {});
            let status = res.status().as_u16();
            let headers = header_list(res.headers());
            let body = axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .expect("the response body");
            (status, headers, body.to_vec())
        };
        let task = self.runtime.spawn(async move {
            match limit {
                Some(limit) => tokio::time::timeout(limit, answer).await.ok(),
                None => Some(answer.await),
            }
        });
        self.runtime.block_on(task).unwrap()
    }
}

fn header_list(headers: &axum::http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// A request body announced but never sent: reading it waits forever.
struct NeverSent(u64);

impl http_body::Body for NeverSent {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Pending
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.0)
    }
}

pub fn encode_sjis(text: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!had_errors);
    bytes.into_owned()
}

/// A form body, `application/x-www-form-urlencoded`.
pub fn form_urlencoded(pairs: &[(&str, &str)]) -> Vec<u8> {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}
