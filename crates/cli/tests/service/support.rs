//! Test support: databases for both backends, the real server, an HTTP client.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// A running `josei serve` on a free port; killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn start(db: &TestDb) -> Server {
        Server::start_with(db, &[])
    }

    /// A server started with extra arguments (e.g. `--regimes FILE`).
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
            child,
            base: base.expect("the server printed its address"),
        }
    }

    pub fn client(&self) -> Client {
        Client {
            base: self.base.clone(),
            cookie: None,
            csrf: None,
            bearer: None,
            headers: Vec::new(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A tiny HTTP/1.1 client with a cookie, a CSRF token and an optional bearer token.
#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub bearer: Option<String>,
    /// Extra request headers (e.g. `X-Forwarded-For`).
    pub headers: Vec<(String, String)>,
}

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
    pub fn raw(
        &self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> (u16, Vec<(String, String)>, Vec<u8>) {
        self.send(method, path, content_type, body)
    }

    fn json(&mut self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let text = body.map(|b| b.to_string()).unwrap_or_default();
        let ct = body.map(|_| "application/json");
        let (s, _, b) = self.send(method, path, ct, text.as_bytes());
        (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
    }

    fn send(
        &self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let host = self.base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(host).unwrap();
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
        if let Some(ct) = content_type {
            req.push_str(&format!("Content-Type: {ct}\r\n"));
        }
        if let Some(c) = &self.cookie {
            req.push_str(&format!("Cookie: {c}\r\n"));
        }
        if let Some(t) = &self.csrf {
            req.push_str(&format!("X-CSRF-Token: {t}\r\n"));
        }
        if let Some(b) = &self.bearer {
            req.push_str(&format!("Authorization: Bearer {b}\r\n"));
        }
        for (k, v) in &self.headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        stream.write_all(req.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        parse_response(&raw)
    }
}

/// Status, lower-cased headers and (de-chunked) body of a raw HTTP response.
pub fn parse_response(raw: &[u8]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    (status, headers, body)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&data[..end]).unwrap().trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

pub fn encode_sjis(text: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!had_errors);
    bytes.into_owned()
}
