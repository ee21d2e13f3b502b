//! Debian's chromium, headless, through its chromedriver: a fantoccini
//! WebDriver session run on a runtime of the browser's own, so that the tests
//! stay synchronous. Enough to fill forms, click, read pages and take
//! screenshots.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::future::Future;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How to get what the browser tests need.
pub const INSTALL: &str = "sudo apt-get install chromium chromium-driver fonts-noto-cjk";

/// The Japanese font that fonts-noto-cjk installs (pages are Japanese; the
/// screenshots are read by people).
const CJK_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// How long one WebDriver command may take.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// Where chromium and chromedriver are, when they and a Japanese font are
/// installed; otherwise what is missing and the command that installs it.
pub fn available() -> Result<(String, String), String> {
    let find = |names: &[&str]| {
        names
            .iter()
            .find(|p| Path::new(p).exists())
            .map(|p| p.to_string())
    };
    let chromium = find(&["/usr/bin/chromium", "/usr/bin/chromium-browser"]);
    let chromedriver = find(&["/usr/bin/chromedriver"]);
    let font = Path::new(CJK_FONT).exists();
    match (chromium, chromedriver, font) {
        (Some(chromium), Some(chromedriver), true) => Ok((chromium, chromedriver)),
        (chromium, chromedriver, font) => {
            let missing: Vec<&str> = [
                (chromium.is_none(), "chromium"),
                (chromedriver.is_none(), "chromedriver"),
                (!font, "a Japanese font (fonts-noto-cjk)"),
            ]
            .into_iter()
            .filter_map(|(gone, what)| gone.then_some(what))
            .collect();
            Err(format!(
                "the browser tests need chromium, chromedriver and a Japanese font; \
                 missing: {}. Install them with: {INSTALL}",
                missing.join(", ")
            ))
        }
    }
}

/// A chromedriver process with one headless browser session.
pub struct Browser {
    runtime: tokio::runtime::Runtime,
    /// `None` only while closing.
    client: Option<Client>,
    driver: Child,
    _profile: PathBuf,
}

impl Browser {
    /// A browser whose window is `width` × `height`; panics, naming the
    /// install command, when chromium, chromedriver or the font is missing.
    /// Below 500 px (narrower than Chromium's smallest window) it emulates a
    /// phone of that width, so that pages really are laid out at `width`.
    pub fn start(width: u32, height: u32) -> Browser {
        Browser::launch(width, height, width < 500)
    }

    /// A browser emulating a phone whose screen is `width` × `height` CSS
    /// pixels. Chromium's windows are at least 500 px wide, so [`Browser::start`]
    /// lays a narrower window's pages out at 500 px; this one at `width`.
    pub fn start_phone(width: u32, height: u32) -> Browser {
        Browser::launch(width, height, true)
    }

    fn launch(width: u32, height: u32, phone: bool) -> Browser {
        let (chromium, chromedriver) = available().unwrap_or_else(|e| panic!("{e}"));
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() >= deadline {
                let _ = driver.kill();
                let _ = driver.wait();
                panic!("chromedriver did not start");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("chrome_{port}"));
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--lang=ja", format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", profile.display()),
            ]}
        });
        let mut caps = caps;
        if phone {
            caps["goog:chromeOptions"]["mobileEmulation"] =
                json!({"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0}});
        }
        let Value::Object(caps) = caps else {
            unreachable!("an object")
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let session = runtime.block_on(async {
            tokio::time::timeout(
                COMMAND_TIMEOUT,
                ClientBuilder::new(connector)
                    .capabilities(caps)
                    .connect(&format!("http://127.0.0.1:{port}")),
            )
            .await
        });
        let client = match session {
            Ok(Ok(client)) => client,
            failed => {
                let _ = driver.kill();
                let _ = driver.wait();
                match failed {
                    Ok(Err(e)) => panic!("no webdriver session: {e}"),
                    _ => panic!("no webdriver session within {COMMAND_TIMEOUT:?}"),
                }
            }
        };
        Browser {
            runtime,
            client: Some(client),
            driver,
            _profile: profile,
        }
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("an open session")
    }

    /// Runs one WebDriver exchange to its end (or [`COMMAND_TIMEOUT`]).
    fn run<T, E: std::fmt::Display>(
        &self,
        what: &str,
        f: impl Future<Output = Result<T, E>>,
    ) -> Result<T, String> {
        match self
            .runtime
            .block_on(async { tokio::time::timeout(COMMAND_TIMEOUT, f).await })
        {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(format!("webdriver {what}: {e}")),
            Err(_) => Err(format!(
                "webdriver {what}: no answer in {COMMAND_TIMEOUT:?}"
            )),
        }
    }

    /// As [`Browser::run`], panicking on an error.
    fn must<T, E: std::fmt::Display>(
        &self,
        what: &str,
        f: impl Future<Output = Result<T, E>>,
    ) -> T {
        self.run(what, f).unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn go(&self, url: &str) {
        self.must(&format!("go to {url}"), self.client().goto(url));
    }

    pub fn find(&self, css: &str) -> Element {
        self.must(
            &format!("find {css}"),
            self.client().find(Locator::Css(css)),
        )
    }

    pub fn exists(&self, css: &str) -> bool {
        self.run(
            &format!("find all {css}"),
            self.client().find_all(Locator::Css(css)),
        )
        .is_ok_and(|all| !all.is_empty())
    }

    pub fn fill(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.must(&format!("clear {css}"), e.clear());
        self.must(&format!("type into {css}"), e.send_keys(text));
    }

    pub fn click(&self, css: &str) {
        let e = self.find(css);
        self.must(&format!("click {css}"), e.click());
    }

    /// Clicks a button that loads a new page, and waits until that page has loaded.
    pub fn submit(&self, css: &str) {
        self.script("window.__joseiOldPage = true; return null;");
        self.click(css);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let loaded = self.run(
                "wait for the new page",
                self.client().execute(
                    "return window.__joseiOldPage === undefined && document.readyState === 'complete'",
                    vec![],
                ),
            );
            if matches!(loaded, Ok(Value::Bool(true))) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no new page after clicking {css}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The visible text of the page, once it has finished loading.
    pub fn text(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let text = self.run(
                "read the page",
                self.client().execute(
                    "return document.readyState === 'complete' && document.body ? document.body.innerText : null",
                    vec![],
                ),
            );
            if let Ok(Value::String(t)) = text {
                return t;
            }
            assert!(Instant::now() < deadline, "the page did not finish loading");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sets a field's value directly (date inputs do not take typed ISO dates).
    pub fn set_value(&self, css: &str, value: &str) {
        let js = format!(
            "document.querySelector({}).value = {}; return null;",
            json!(css),
            json!(value)
        );
        self.script(&js);
    }

    /// Runs JavaScript in the page and returns its result.
    pub fn script(&self, js: &str) -> Value {
        self.must(&format!("run {js}"), self.client().execute(js, vec![]))
    }

    pub fn url(&self) -> String {
        self.must("read the URL", self.client().current_url())
            .to_string()
    }

    pub fn value(&self, css: &str) -> String {
        let e = self.find(css);
        self.must(&format!("read the value of {css}"), e.prop("value"))
            .unwrap_or_default()
    }

    /// Saves a full-window screenshot as `target/screenshots/NAME.png`.
    pub fn screenshot(&self, name: &str) {
        let png = self.must("take a screenshot", self.client().screenshot());
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Prints the page as Chromium prints it (A4, with backgrounds), saves
    /// it as `target/screenshots/NAME.pdf` and returns it.
    pub fn pdf(&self, name: &str) -> Vec<u8> {
        let config = fantoccini::wd::PrintConfiguration::builder()
            .background(true)
            .build()
            .unwrap();
        let pdf = self.must("print to PDF", self.client().print(config));
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.pdf")), &pdf).unwrap();
        pdf
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.run("close the session", client.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
