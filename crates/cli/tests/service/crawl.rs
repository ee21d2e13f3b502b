//! The crawl: every page a person can reach, as each role, read in real
//! Chromium at 1366 and 390 px, and every e-mail the service sends. A
//! database filled by `josei demo --cases 40` and a case driven into each
//! workflow state (with reasons, messages, documents and notifications) is
//! walked from the navigation and from each kind of case page; each page is
//! checked for words of the system a person must never see (「ケース」,
//! enum values, check ids, regime ids, MIME types, raw JSON, `W001`-style
//! ids), for sideways scrolling, for labels, text alternatives, tables'
//! captions and header scopes, `lang`, one `h1`, and on a refused form for
//! `aria-invalid` fields linked from an error summary. Every problem on every
//! page is collected, then reported together.

use super::*;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::PathBuf;

const DEMO_PASSWORD: &str = "crawl-demo-password-2026";

/// The most pages one role's crawl visits at one width (a safety net: the
/// crawl stops well before).
const MAX_PAGES: usize = 400;

/// Words of the system, as whole ASCII words: enum values, check ids, the
/// parameters of the rules, the code's own names.
fn internal_words() -> HashSet<String> {
    use josei_rules::model::*;
    let mut w = HashSet::new();
    let mut add = |s: &str| {
        w.insert(s.to_string());
    };
    for c in josei_rules::evaluate::CheckId::ALL {
        add(c.as_str());
    }
    for p in josei_rules::regime::ParamId::ALL {
        add(p.name());
    }
    for s in josei_store::Status::ALL {
        add(s.as_str());
    }
    for k in josei_store::AttachmentKind::ALL {
        add(k.as_str());
    }
    for k in josei_store::ImportKind::ALL {
        add(k.as_str());
    }
    for k in josei_store::NotificationKind::ALL {
        add(k.as_str());
    }
    for k in josei_store::DecisionKind::ALL {
        add(k.as_str());
    }
    for k in josei_store::Outcome::ALL {
        add(k.as_str());
    }
    for v in Industry::ALL {
        add(v.as_str());
    }
    for v in TeleworkStatus::ALL {
        add(v.as_str());
    }
    for v in Employment::ALL {
        add(v.as_str());
    }
    for v in Place::ALL {
        add(v.as_str());
    }
    for v in ExpenseCategory::ALL {
        add(v.as_str());
    }
    for v in MeasureKind::ALL {
        add(v.as_str());
    }
    for v in Disqualification::ALL {
        add(v.as_str());
    }
    for v in LeaveReason::ALL {
        add(v.as_str());
    }
    for s in [
        "ShiftJis",
        "Utf8Bom",
        "Utf8",
        "seed",
        "null",
        "undefined",
        "NaN",
        "None",
        "Some",
        "true",
        "false",
        "josei",
        "rules",
        "regime",
        "payable",
        "not_payable",
        "pending",
    ] {
        add(s);
    }
    w
}

/// Text (not whole words) that must never reach a person.
const INTERNAL_TEXT: &[&str] = &[
    "ケース",
    "版",
    "{\"",
    "application/",
    "image/",
    "text/csv",
    "text/plain",
];

/// The words of the system in `text`, each with a little of its context.
fn internal_words_in(text: &str, words: &HashSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    let context = |at: usize, len: usize| {
        let start = text[..at]
            .char_indices()
            .rev()
            .nth(11)
            .map_or(0, |(i, _)| i);
        let end = text[at + len..]
            .char_indices()
            .nth(12)
            .map_or(text.len(), |(i, _)| at + len + i);
        text[start..end].replace('\n', "⏎")
    };
    for t in INTERNAL_TEXT {
        if let Some(at) = text.find(t) {
            found.push(format!("「{t}」 in …{}…", context(at, t.len())));
        }
    }
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                tokens.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    for (start, token) in tokens {
        let mut chars = token.chars();
        let first = chars.next().unwrap();
        let rest = chars.as_str();
        let digits = !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit());
        let why = if words.contains(token) {
            Some("a word of the system")
        } else if first == 'R' && digits && rest.len() <= 2 {
            Some("a regime id")
        } else if matches!(first, 'W' | 'X') && digits {
            Some("an id the system made")
        } else {
            None
        };
        if let Some(why) = why {
            // The same word is reported once per page.
            let line = format!("`{token}` ({why}) in …{}…", context(start, token.len()));
            if !found
                .iter()
                .any(|f: &String| f.starts_with(&format!("`{token}`")))
            {
                found.push(line);
            }
        }
    }
    found
}

/// What a page is checked for, read in the browser: the problems found and
/// the text a person can read (visible text, the title, labels given as
/// attributes, values of fields and options, the chart's text).
const CHECK_PAGE: &str = r##"
const problems = [];
const describe = (e) => {
  const id = e.id ? '#' + e.id : '';
  const name = e.getAttribute('name') ? '[name=' + e.getAttribute('name') + ']' : '';
  const cls = e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '';
  return e.tagName.toLowerCase() + id + name + (id || name ? '' : cls);
};
const nameOf = (e) => {
  const label = (e.getAttribute('aria-label') || '').trim();
  if (label) return label;
  const ids = (e.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
  const by = ids.map(i => document.getElementById(i)).filter(Boolean).map(x => x.textContent.trim()).join(' ');
  if (by) return by;
  return '';
};
const visible = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
const overflow = document.documentElement.scrollWidth - window.innerWidth;
if (overflow > 0) problems.push('横にはみ出している（' + overflow + ' px）');
if (document.documentElement.getAttribute('lang') !== 'ja') problems.push('html に lang="ja" がない');
const h1 = document.querySelectorAll('h1').length;
if (h1 !== 1) problems.push('h1 が ' + h1 + ' 個');
for (const e of document.querySelectorAll('input, select, textarea')) {
  const type = (e.getAttribute('type') || '').toLowerCase();
  if (type === 'hidden' || type === 'submit' || type === 'button' || type === 'reset' || type === 'image') continue;
  const labelled = nameOf(e) || [...(e.labels || [])].some(l => l.textContent.trim());
  if (!labelled) problems.push('ラベルのない入力欄 ' + describe(e));
}
for (const e of document.querySelectorAll('img')) {
  if (!e.hasAttribute('alt')) problems.push('alt のない画像 ' + describe(e));
}
for (const e of document.querySelectorAll('svg')) {
  if (e.closest('[aria-hidden=true]')) continue;
  const titled = e.querySelector(':scope > title') && e.querySelector(':scope > title').textContent.trim();
  if (!(e.getAttribute('role') === 'img' && (nameOf(e) || titled))) problems.push('代替テキストのない図 ' + describe(e));
}
for (const e of document.querySelectorAll('[tabindex]')) {
  if (parseInt(e.getAttribute('tabindex'), 10) > 0) problems.push('正の tabindex ' + describe(e));
}
for (const t of document.querySelectorAll('table')) {
  const caption = t.querySelector(':scope > caption');
  if (!((caption && caption.textContent.trim()) || nameOf(t))) problems.push('caption も aria-label もない表 ' + describe(t));
  for (const th of t.querySelectorAll('th')) {
    if (!th.hasAttribute('scope')) { problems.push('scope のない見出しセル「' + th.textContent.trim().slice(0, 20) + '」'); break; }
  }
}
for (const e of document.querySelectorAll('a[href], button')) {
  if (!visible(e)) continue;
  if (!(e.textContent.trim() || nameOf(e) || e.querySelector('img[alt]:not([alt=""])'))) problems.push('名前のないリンク・ボタン ' + describe(e));
}
const alerts = [...document.querySelectorAll('[role=alert], .error-summary, #error-summary')].filter(a => a.textContent.trim());
for (const e of document.querySelectorAll('[aria-invalid=true]')) {
  if (!e.id) { problems.push('aria-invalid の欄に id がない ' + describe(e)); continue; }
  const linked = alerts.some(a => a.querySelector('a[href="#' + CSS.escape(e.id) + '"]'));
  if (!linked) problems.push('誤りの一覧から欄 #' + e.id + ' へのリンクがない');
  const described = (e.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean).some(i => document.getElementById(i));
  if (!described) problems.push('aria-invalid の欄 #' + e.id + ' に aria-describedby（誤りの説明）がない');
}
for (const e of document.querySelectorAll('.field-error')) {
  if (!visible(e)) continue;
  if (!document.querySelector('[aria-invalid=true]')) { problems.push('誤りの表示があるのに aria-invalid の欄がない'); break; }
}
for (const e of document.querySelectorAll('.success, .notice[role], .ok-box')) {
  const live = e.closest('[role=status], [role=alert], [aria-live]');
  if (e.classList.contains('success') && !live) problems.push('完了の知らせに role="status" がない ' + describe(e));
}
const texts = [document.title, document.body ? document.body.innerText : ''];
for (const e of document.querySelectorAll('svg title, svg text, svg desc')) texts.push(e.textContent);
for (const e of document.querySelectorAll('[aria-label], [title], [alt], [placeholder]')) {
  for (const a of ['aria-label', 'title', 'alt', 'placeholder']) if (e.hasAttribute(a)) texts.push(e.getAttribute(a));
}
for (const e of document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), textarea')) texts.push(e.value);
for (const e of document.querySelectorAll('option')) texts.push(e.textContent);
const nav = performance.getEntriesByType('navigation')[0];
return {
  problems,
  text: texts.join('\n'),
  status: nav && nav.responseStatus ? nav.responseStatus : 0,
  errors: alerts.length,
  invalid: document.querySelectorAll('[aria-invalid=true]').length,
};
"##;

/// Every problem found, with the pages it was found on.
#[derive(Default)]
struct Findings {
    /// The problem (without its context) → an example of its context and
    /// every page it is on.
    problems: BTreeMap<String, (String, Vec<String>)>,
    pages: usize,
    /// `[PostgreSQL] ` while the crawl reads the second backend.
    backend: &'static str,
}

impl Findings {
    fn add(&mut self, at: &str, what: String) {
        let (key, example) = match what.split_once(" in …") {
            Some((k, e)) => (k.to_string(), e.to_string()),
            None => (what, String::new()),
        };
        let at = format!("{}{at}", self.backend);
        let entry = self.problems.entry(key).or_default();
        if entry.0.is_empty() {
            entry.0 = example;
        }
        if !entry.1.contains(&at) {
            entry.1.push(at);
        }
    }

    /// Each problem once, with how many pages and which (the first `limit`).
    fn report(&self, limit: usize) -> String {
        let mut out = String::new();
        for (problem, (example, pages)) in &self.problems {
            out.push_str(&format!("{problem} — {} page(s)", pages.len()));
            if !example.is_empty() {
                out.push_str(&format!(" — e.g. …{example}"));
            }
            out.push('\n');
            for p in pages.iter().take(limit) {
                out.push_str(&format!("    {p}\n"));
            }
            if pages.len() > limit {
                out.push_str(&format!("    … and {} more\n", pages.len() - limit));
            }
        }
        out
    }
}

/// One browser at one width, signed in as one person, walking the pages.
struct Crawler<'a> {
    b: &'a browser::Browser,
    base: String,
    /// `employer` and the like, for the report.
    who: &'static str,
    width: u32,
    /// Each case's status, so that each kind of page is visited in each state.
    statuses: &'a HashMap<i64, String>,
    words: &'a HashSet<String>,
    seen: HashSet<String>,
    /// Kinds of page already photographed at this width.
    shots: &'a mut HashSet<String>,
    findings: &'a mut Findings,
}

/// What the crawl does not open in the browser: downloads, the API, phone
/// numbers and mail addresses.
fn skipped(path: &str) -> bool {
    let p = path.split('?').next().unwrap_or("");
    p.starts_with("/api/")
        || p.ends_with(".csv")
        || p.ends_with(".xlsx")
        || p.ends_with(".css")
        || p.ends_with(".js")
        || p.contains("/template/")
}

/// The kind of a page: its path with ids as `N`, its query likewise, and
/// for a case's pages the case's status.
fn page_kind(path: &str, statuses: &HashMap<i64, String>) -> String {
    let (p, q) = path.split_once('?').unwrap_or((path, ""));
    let segments: Vec<&str> = p.split('/').collect();
    let mut status = "";
    if segments.len() > 2 && segments[1] == "cases" {
        if let Ok(id) = segments[2].parse::<i64>() {
            status = statuses.get(&id).map_or("?", String::as_str);
        }
    }
    let shape: Vec<&str> = segments
        .iter()
        .map(|s| {
            if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
                "N"
            } else {
                s
            }
        })
        .collect();
    let mut pairs: Vec<String> = q
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) if !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()) => {
                format!("{k}=N")
            }
            _ => kv.to_string(),
        })
        .collect();
    pairs.sort();
    format!("{}?{}@{status}", shape.join("/"), pairs.join("&"))
}

impl Crawler<'_> {
    fn at(&self, path: &str) -> String {
        format!("{} {} px {path}", self.who, self.width)
    }

    /// Checks the page the browser is on; `label` names it in the report.
    fn check(&mut self, label: &str, kind: &str) -> Value {
        let r = self.b.script(CHECK_PAGE);
        self.findings.pages += 1;
        let at = self.at(label);
        for p in r["problems"].as_array().into_iter().flatten() {
            self.findings.add(&at, p.as_str().unwrap_or("").to_string());
        }
        for w in internal_words_in(r["text"].as_str().unwrap_or(""), self.words) {
            self.findings.add(&at, w);
        }
        if r["status"].as_i64().is_some_and(|s| s >= 500) {
            self.findings.add(&at, format!("status {}", r["status"]));
        }
        // One photograph of each kind of page per person and width (pages
        // that differ only in their query, once per width).
        let shape = kind.split('@').next().unwrap_or(kind).to_string();
        let key = if shape.ends_with('?') {
            format!("{} {shape}", self.who)
        } else {
            shape.clone()
        };
        if self.shots.insert(key) {
            let slug: String = shape
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .take(60)
                .collect();
            let name = format!(
                "crawl-{}-{:03}-{}-{slug}",
                self.width,
                self.shots.len(),
                self.who
            );
            self.b.screenshot(&name);
            // The bureau's record of the case is at the foot of its page.
            if self.b.exists("#audit-title") {
                self.b.script(
                    "document.getElementById('audit-title').scrollIntoView(); return null;",
                );
                self.b.screenshot(&format!("{name}-audit"));
                self.b.script("window.scrollTo(0, 0); return null;");
            }
        }
        r
    }

    /// Opens `path`, checks it, and returns the links on it.
    fn visit(&mut self, path: &str) -> Vec<String> {
        self.b.go(&format!("{}{path}", self.base));
        self.b.text();
        let kind = page_kind(path, self.statuses);
        self.check(path, &kind);
        let links = self.b.script(
            "return [...document.querySelectorAll('a[href]')].map(a => a.href).filter(h => h.startsWith(location.origin)).map(h => h.slice(location.origin.length));",
        );
        links
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|h| h.split('#').next().unwrap_or("").to_string())
            .filter(|h| h.starts_with('/') && !skipped(h))
            .collect()
    }

    /// Walks every page reachable from `seeds` (each kind of page once; the
    /// seeds themselves always).
    fn crawl(&mut self, seeds: &[String]) {
        let mut queue: VecDeque<String> = seeds.iter().cloned().collect();
        let mut forced: HashSet<String> = seeds.iter().cloned().collect();
        let mut visited = 0;
        while let Some(path) = queue.pop_front() {
            let kind = page_kind(&path, self.statuses);
            let first = self.seen.insert(kind);
            if !first && !forced.remove(&path) {
                continue;
            }
            forced.remove(&path);
            visited += 1;
            if visited > MAX_PAGES {
                self.findings
                    .add(&self.at(&path), format!("more than {MAX_PAGES} pages"));
                return;
            }
            for link in self.visit(&path) {
                if !self.seen.contains(&page_kind(&link, self.statuses)) {
                    queue.push_back(link);
                }
            }
        }
    }

    /// Posts a form the page does not offer (as a person could from an old
    /// page): `fields` to `action`, with the session's CSRF token.
    fn post(&mut self, action: &str, fields: &[(&str, &str)]) {
        let js = format!(
            "const f = document.createElement('form'); f.method = 'post'; f.action = {};
             const add = (k, v) => {{ const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }};
             const csrf = document.querySelector('input[name=csrf]'); if (csrf) add('csrf', csrf.value);
             for (const [k, v] of {}) add(k, v);
             document.body.appendChild(f); window.__joseiOldPage = true; f.submit(); return null;",
            json!(action),
            json!(fields
                .iter()
                .map(|(k, v)| json!([k, v]))
                .collect::<Vec<_>>())
        );
        self.b.script(&js);
        self.wait_for_new_page();
    }

    /// Sends a form as the server receives it, the browser's own checks
    /// (`required`, `min`, `type=email`) switched off.
    fn send(&self, button: &str) {
        self.b.script(
            "for (const f of document.forms) f.noValidate = true; for (const e of document.querySelectorAll('[required]')) e.removeAttribute('required'); return null;",
        );
        self.b.submit(button);
    }

    fn wait_for_new_page(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            std::thread::sleep(std::time::Duration::from_millis(100));
            let done = self.b.script(
                "return window.__joseiOldPage === undefined && document.readyState === 'complete'",
            );
            if done == json!(true) {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "no new page");
        }
    }

    /// A form sent with a mistake: the page must say so, mark the field
    /// (`aria-invalid`) and link to it from the error summary.
    fn refused(&mut self, label: &str, field: Option<&str>) {
        let kind = format!("refused {label}");
        let r = self.check(label, &kind);
        let at = self.at(label);
        if r["errors"].as_i64() == Some(0) {
            self.findings
                .add(&at, "誤りの一覧（role=\"alert\"）がない".to_string());
        }
        if let Some(field) = field {
            let invalid = self.b.script(&format!(
                "const e = document.querySelector({}); return e ? e.getAttribute('aria-invalid') : 'missing';",
                json!(field)
            ));
            if invalid != json!("true") {
                self.findings.add(
                    &at,
                    format!("{field} に aria-invalid=\"true\" がない ({invalid})"),
                );
            }
        }
    }
}

/// A demo database, then one case of the crawl's own organisation (Tokyo,
/// delegated to `agent1`) driven into each workflow state through the API,
/// with reasons, an amount below the engine's, messages both ways and a
/// document.
struct Filled {
    server: Server,
    admin: Client,
    /// The crawl's cases by the status they were left in.
    cases: BTreeMap<String, i64>,
}

fn demo(db: &TestDb) {
    let out = josei()
        .args(["demo", "--cases", "40", "--seed", "11"])
        .env("DATABASE_URL", &db.url)
        .env("JOSEI_DEMO_PASSWORD", DEMO_PASSWORD)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Case 01 with its target workers named as the plan editor keeps them.
fn named_case01() -> Value {
    let mut doc = case01_document();
    for (w, (name, number)) in doc["plan"]["target_workers"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .zip([
            ("山田 太郎", "1001"),
            ("佐藤 花子", "1002"),
            ("鈴木 一郎", "1003"),
        ])
    {
        w["name"] = json!(name);
        w["employee_number"] = json!(number);
    }
    doc
}

/// A workflow step: the day, whether the applicant (else the officer) takes
/// it, the action and its body.
type Step = (&'static str, bool, &'static str, Value);

fn fill(db: &TestDb) -> Filled {
    demo(db);
    let server = Server::start(db);
    let mut admin = server.client();
    admin.login("admin", DEMO_PASSWORD);
    let (s, org) = admin.post(
        "/api/v1/organizations",
        &json!({"prefecture": 13, "employer": named_case01()["employer"]}),
    );
    assert_eq!(s, 201, "{org}");
    let org_id = org["id"].as_i64().unwrap();
    let (s, u) = admin.post(
        "/api/v1/users",
        &json!({"username": "crawl-employer", "password": DEMO_PASSWORD, "role": "employer", "organization_id": org_id}),
    );
    assert_eq!(s, 201, "{u}");
    let mut employer = server.client();
    employer.login("crawl-employer", DEMO_PASSWORD);
    let (s, r) = employer.post(
        &format!("/api/v1/organizations/{org_id}/delegations"),
        &json!({"agent": "agent1"}),
    );
    assert_eq!(s, 201, "{r}");
    let (s, r) = employer.put(
        "/api/v1/me/email",
        &json!({"email": "crawl-employer@example.jp"}),
    );
    assert_eq!(s, 200, "{r}");
    let mut officer = server.client();
    officer.login("officer13", DEMO_PASSWORD);

    // Each path of the workflow, and where each case stops.
    let plan: &[Step] = &[
        ("2022-06-15", true, "submit_plan", json!({})),
        (
            "2022-06-20",
            false,
            "return_plan",
            json!({"reason": "就業規則の変更届の写しが添付されていません。添付して再提出してください。"}),
        ),
        ("2022-06-25", true, "submit_plan", json!({})),
        ("2022-07-01", false, "certify_plan", json!({})),
        ("2022-08-01", true, "start_evaluation", json!({})),
        ("2022-11-25", true, "file_equipment", json!({})),
        (
            "2022-12-20",
            false,
            "grant_equipment",
            json!({"decided_amount_yen": 90000, "reason": "領収書の一部が確認できないため減額しました。"}),
        ),
        ("2022-12-21", true, "start_goal_tracking", json!({})),
        ("2023-11-20", true, "file_goal", json!({})),
        ("2024-01-15", false, "grant_goal", json!({})),
        ("2024-01-16", false, "close", json!({})),
    ];
    // (the status a case is left in, its steps: an index into `plan` to
    // stop after, and a last step of its own)
    let branches: &[(&str, usize, Option<Step>)] = &[
        ("draft", 0, None),
        ("plan_submitted", 1, None),
        ("plan_returned", 2, None),
        (
            "plan_rejected",
            1,
            Some((
                "2022-06-20",
                false,
                "reject_plan",
                json!({"reason": "テレワーク勤務を新たに導入する計画になっていないため、認定できません。"}),
            )),
        ),
        ("plan_certified", 4, None),
        ("evaluation", 5, None),
        ("equipment_filed", 6, None),
        ("equipment_granted", 7, None),
        (
            "equipment_denied",
            6,
            Some((
                "2022-12-20",
                false,
                "deny_equipment",
                json!({"reason": "評価期間のテレワーク実施の記録が確認できませんでした。"}),
            )),
        ),
        ("goal_tracking", 8, None),
        ("goal_filed", 9, None),
        ("goal_granted", 10, None),
        (
            "goal_denied",
            9,
            Some((
                "2024-01-15",
                false,
                "deny_goal",
                json!({"reason": "評価期間2のテレワーク実施人数が目標に届いていません。"}),
            )),
        ),
        ("closed", 11, None),
        (
            "withdrawn",
            5,
            Some(("2022-08-02", true, "withdraw", json!({}))),
        ),
    ];
    let mut cases = BTreeMap::new();
    for (status, upto, last) in branches {
        set_clock(&mut admin, "2022-06-01");
        let (s, c) = employer.post(
            "/api/v1/cases",
            &json!({"title": format!("テレワーク導入計画（{}）", josei_store::Status::parse(status).unwrap().label_ja())}),
        );
        assert_eq!(s, 201, "{c}");
        let id = c["case"]["id"].as_i64().unwrap();
        let (s, c) = employer.put(
            &format!("/api/v1/cases/{id}/inputs"),
            &json!({"version": version(&c), "document": named_case01()}),
        );
        assert_eq!(s, 200, "{c}");
        for (day, applicant, action, body) in plan[..*upto].iter().chain(last.iter()) {
            set_clock(&mut admin, day);
            let c = if *applicant {
                &mut employer
            } else {
                &mut officer
            };
            let (s, r) = act(c, id, action, body.clone());
            assert_eq!(s, 200, "{status}: {action}: {r}");
            if *action == "start_evaluation" {
                let (s, a) = employer.post_bytes(
                    &format!("/api/v1/cases/{id}/attachments?kind=work_rules&filename=%E5%B0%B1%E6%A5%AD%E8%A6%8F%E5%89%87.pdf"),
                    "application/pdf",
                    b"%PDF-1.4 work rules",
                );
                assert_eq!(s, 201, "{a}");
            }
        }
        let (_, c) = employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(c["case"]["status"], *status, "{c}");
        cases.insert(status.to_string(), id);
    }
    // Messages both ways on a case under review.
    let id = cases["equipment_filed"];
    for (c, body) in [
        (
            &mut employer,
            "お世話になっております。\n領収書の写しを添付しました。ご確認をお願いいたします。",
        ),
        (&mut officer, "ありがとうございます。内容を確認いたします。"),
    ] {
        let (s, m) = c.post(
            &format!("/api/v1/cases/{id}/messages"),
            &json!({"body": body}),
        );
        assert_eq!(s, 201, "{m}");
    }
    // A 令和7年度 case without a plan, in its evaluation period.
    set_clock(&mut admin, "2025-04-05");
    let (s, c) = employer.post(
        "/api/v1/cases",
        &json!({"title": "テレワーク制度の導入（令和7年度）"}),
    );
    assert_eq!(s, 201, "{c}");
    let id = c["case"]["id"].as_i64().unwrap();
    let (s, c) = employer.put(
        &format!("/api/v1/cases/{id}/inputs"),
        &json!({"version": version(&c), "document": case09_document()}),
    );
    assert_eq!(s, 200, "{c}");
    set_clock(&mut admin, "2025-07-01");
    let (s, c) = act(&mut employer, id, "start_evaluation", json!({}));
    assert_eq!(s, 200, "{c}");
    cases.insert("evaluation (令和7年度)".into(), id);
    // Back to today for the crawl.
    let (s, r) = admin.put("/api/v1/admin/clock", &json!({"today": null}));
    assert_eq!(s, 200, "{r}");
    Filled {
        server,
        admin,
        cases,
    }
}

/// The cases a person sees, by status (the first of each).
fn one_case_per_status(c: &mut Client) -> Vec<i64> {
    let (s, list) = c.get("/api/v1/cases");
    assert_eq!(s, 200, "{list}");
    let mut by_status: BTreeMap<String, i64> = BTreeMap::new();
    for case in list.as_array().unwrap() {
        by_status
            .entry(case["status"].as_str().unwrap().to_string())
            .or_insert(case["id"].as_i64().unwrap());
    }
    by_status.into_values().collect()
}

#[test]
fn crawl_every_page_as_every_role_for_internal_words_and_accessibility() {
    require_browser();
    // This run's screenshots only.
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    for old in std::fs::read_dir(&shots).into_iter().flatten().flatten() {
        if old.file_name().to_string_lossy().starts_with("crawl-") {
            let _ = std::fs::remove_file(old.path());
        }
    }
    let mut findings = Findings::default();
    let mut mails_read = 0;
    for db in backends() {
        findings.backend = if db.is_sqlite() { "" } else { "[PostgreSQL] " };
        let mut filled = fill(&db);
        let base = filled.server.base.clone();
        let words = internal_words();
        let mut statuses: HashMap<i64, String> = HashMap::new();
        let (_, all) = filled.admin.get("/api/v1/cases");
        for c in all.as_array().unwrap() {
            statuses.insert(
                c["id"].as_i64().unwrap(),
                c["status"].as_str().unwrap().to_string(),
            );
        }
        let all_ids: Vec<i64> = statuses.keys().copied().collect();
        let roles: [(&'static str, &str); 6] = [
            ("employer", "crawl-employer"),
            ("agent", "agent1"),
            ("officer", "officer13"),
            ("admin", "admin"),
            ("advisor", "advisor1"),
            ("judge", "judge1"),
        ];
        for width in [1366u32, 390] {
            let mut shots = HashSet::new();
            let b = browser::Browser::start(width, if width > 500 { 900 } else { 844 });
            // Signed out: the home page, diagnosis, bureaus, login, errors.
            {
                let mut c = Crawler {
                    b: &b,
                    base: base.clone(),
                    who: "guest",
                    width,
                    statuses: &statuses,
                    words: &words,
                    seen: HashSet::new(),
                    shots: &mut shots,
                    findings: &mut findings,
                };
                c.crawl(&[
                    "/".into(),
                    "/login".into(),
                    "/diagnosis".into(),
                    "/bureaus".into(),
                    "/guide".into(),
                    "/guide/guideline".into(),
                    "/events".into(),
                    "/award".into(),
                    "/no-such-page".into(),
                ]);
                // A wrong password.
                b.go(&format!("{base}/login"));
                b.fill("#username", "crawl-employer");
                b.fill("#password", "not-the-password");
                b.submit("form[action='/login'] button[type=submit]");
                c.refused("/login (wrong password)", None);
                // A diagnosis with nothing answered.
                b.go(&format!("{base}/diagnosis"));
                c.send("form[action='/diagnosis'] button[type=submit]");
                c.refused("/diagnosis (nothing answered)", Some("#employees"));
                // A diagnosis answered.
                b.click("#industry option[value=retail]");
                b.fill("#employees", "12");
                b.submit("form[action='/diagnosis'] button[type=submit]");
                let links = c.visit_current("/diagnosis (answered)");
                c.crawl(&links);
            }
            for (who, username) in roles {
                let mut client = filled.server.client();
                client.login(username, DEMO_PASSWORD);
                let visible: Vec<i64> = one_case_per_status(&mut client);
                let (_, mine) = client.get("/api/v1/cases");
                let mine: HashSet<i64> = mine
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|c| c["id"].as_i64())
                    .collect();
                let other = all_ids.iter().copied().find(|id| !mine.contains(id));
                web_login(&b, &base, username, DEMO_PASSWORD);
                let mut c = Crawler {
                    b: &b,
                    base: base.clone(),
                    who,
                    width,
                    statuses: &statuses,
                    words: &words,
                    seen: HashSet::new(),
                    shots: &mut shots,
                    findings: &mut findings,
                };
                // The case pages first (so that the photographs show them),
                // then the other pages and the errors.
                let mut seeds: Vec<String> =
                    visible.iter().map(|id| format!("/cases/{id}")).collect();
                seeds.extend([
                    "/".into(),
                    "/notifications".into(),
                    "/account".into(),
                    "/account/email".into(),
                    "/diagnosis".into(),
                    "/bureaus".into(),
                    "/no-such-page".into(),
                    "/cases/999999999".into(),
                ]);
                if let Some(o) = other {
                    seeds.push(format!("/cases/{o}"));
                }
                c.crawl(&seeds);
                c.refused_forms(who, &filled.cases, &visible);
                b.submit("header form[action='/logout'] button");
            }
        }
        // The mail the service sent for all of this, read from a real SMTP server.
        let smtp = mail::SmtpServer::start(&dir(&db).join("maildir"));
        let out = cli(
            &db,
            &[
                "remind",
                "--smtp",
                &smtp.url(),
                "--public-url",
                "http://localhost:8080/",
                "--mail-from",
                "noreply@example.jp",
            ],
            None,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mails = smtp.wait_for(1, 20);
        assert!(!mails.is_empty(), "the decisions were mailed");
        for m in &mails {
            let text = format!("{}\n{}\n{}", m.from, m.subject, m.body);
            for w in internal_words_in(&text, &words) {
                findings.add(&format!("mail to {}: {}", m.to, m.subject), w);
            }
        }
        mails_read += mails.len();
        drop(filled);
    }
    eprintln!(
        "crawl: {} pages and {mails_read} mails read",
        findings.pages
    );
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/crawl-report.txt");
    std::fs::write(&file, findings.report(usize::MAX)).unwrap();
    let report = findings.report(6);
    assert!(
        findings.problems.is_empty(),
        "{} problems (also in {}):\n{report}",
        findings.problems.len(),
        file.display()
    );
}

impl Crawler<'_> {
    /// Checks the page the browser is on now and returns its links.
    fn visit_current(&mut self, label: &str) -> Vec<String> {
        let path = self.b.url();
        let path = path
            .find("://")
            .and_then(|i| {
                path[i + 3..]
                    .find('/')
                    .map(|j| path[i + 3 + j..].to_string())
            })
            .unwrap_or(path);
        let kind = page_kind(&path, self.statuses);
        self.check(label, &kind);
        let links = self.b.script(
            "return [...document.querySelectorAll('a[href]')].map(a => a.href).filter(h => h.startsWith(location.origin)).map(h => h.slice(location.origin.length));",
        );
        links
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|h| h.split('#').next().unwrap_or("").to_string())
            .filter(|h| h.starts_with('/') && !skipped(h))
            .collect()
    }

    /// The forms of this role sent with mistakes, and an action refused.
    fn refused_forms(&mut self, who: &str, cases: &BTreeMap<String, i64>, visible: &[i64]) {
        let base = self.base.clone();
        let b = self.b;
        // The password change with a wrong current password.
        b.go(&format!("{base}/account"));
        b.fill("#current_password", "not-the-password");
        b.fill("#new_password", "another-password-2026");
        self.send("form[action='/account'] button[type=submit]");
        self.refused(
            "/account (wrong current password)",
            Some("#current_password"),
        );
        // An e-mail address that is not one.
        b.go(&format!("{base}/account/email"));
        b.fill("#email-address", "not an address");
        self.send("form[action='/account/email'] button[type=submit]");
        self.refused("/account/email (not an address)", Some("#email-address"));
        // An action this person may not take, posted from the case page.
        if let Some(id) = visible.first() {
            b.go(&format!("{base}/cases/{id}"));
            self.post(
                &format!("/cases/{id}/action"),
                &[("action", "grant_goal"), ("version", "1")],
            );
            let label = format!("/cases/{id}/action (refused)");
            self.check(&label, "refused action");
        }
        match who {
            "employer" | "agent" => {
                // A new application without a title.
                b.go(&format!("{base}/cases"));
                if b.exists("form[action='/cases/new'] #title") {
                    b.fill("form[action='/cases/new'] #title", " ");
                    self.send("form[action='/cases/new'] button[type=submit]");
                    self.refused("/cases/new (no title)", Some("#title"));
                }
                // Filters that cannot be read.
                b.go(&format!("{base}/cases?due_within=soon"));
                self.refused("/cases (unreadable filter)", Some("#due_within"));
                // An application started from a diagnosis, without a title
                // (and, for the 社労士, without choosing the employer).
                b.go(&format!("{base}/diagnosis"));
                b.click("#industry option[value=retail]");
                b.fill("#employees", "12");
                b.submit("form[action='/diagnosis'] button[type=submit]");
                if b.exists("a[href^='/diagnosis/start']") {
                    b.submit("a[href^='/diagnosis/start']");
                    let links = self.visit_current("/diagnosis/start");
                    drop(links);
                    b.fill("#title", " ");
                    self.send("form[action='/diagnosis/start'] button[type=submit]");
                    self.refused("/diagnosis/start (no title)", Some("#title"));
                    if who == "agent" {
                        self.refused("/diagnosis/start (no employer)", Some("#organization_id"));
                    }
                } else {
                    self.findings.add(
                        &self.at("/diagnosis"),
                        "no link to start an application from the diagnosis".into(),
                    );
                }
                // An empty message to the bureau.
                let id = cases["equipment_filed"];
                b.go(&format!("{base}/cases/{id}/messages"));
                self.send("#messages form button[type=submit]");
                self.refused(
                    &format!("/cases/{id}/messages (empty)"),
                    Some("#message-body"),
                );
                // The plan with a count that is not a number.
                let id = cases["draft"];
                b.go(&format!("{base}/cases/{id}/plan"));
                b.fill("#employer_regular_employees", "十二人");
                self.send("#plan-form button[type=submit]");
                self.refused(
                    &format!("/cases/{id}/plan (not a number)"),
                    Some("#employer_regular_employees"),
                );
                // Records that cannot be read, then records that can (some
                // of them not counted), previewed and sent without the
                // confirmation the flagged rows ask for.
                let id = cases["evaluation"];
                for (name, csv) in [
                    (
                        "unreadable",
                        "従業員ID,日付,勤務場所\r\n1001,2022/8/32,在宅\r\n1002,2022/8/3,カフェ\r\n",
                    ),
                    (
                        "flagged",
                        "従業員ID,日付,勤務場所\r\n1001,2022/8/10,在宅\r\n佐藤 花子,2022/8/11,モバイル\r\n9999,2022/8/12,在宅\r\n",
                    ),
                ] {
                    b.go(&format!("{base}/cases/{id}/import"));
                    let file = std::env::temp_dir()
                        .join(format!("crawl-{name}-{}.csv", std::process::id()));
                    std::fs::write(&file, csv).unwrap();
                    b.fill("#file", file.to_str().unwrap());
                    b.submit("form.import-form button[type=submit]");
                    let links = self.visit_current(&format!("/cases/{id}/import ({name})"));
                    drop(links);
                    if b.exists("form[action$='/import/confirm'] button[type=submit]") {
                        self.send("form[action$='/import/confirm'] button[type=submit]");
                        let label = format!("/cases/{id}/import/confirm (not confirmed)");
                        if b.exists("[aria-invalid=true]") {
                            self.refused(&label, None);
                        } else {
                            let links = self.visit_current(&label);
                            drop(links);
                        }
                    }
                }
                // A file that only claims to be a PDF.
                b.go(&format!("{base}/cases/{id}"));
                let fake = std::env::temp_dir().join(format!("crawl-{}.pdf", std::process::id()));
                std::fs::write(&fake, "<html>not a pdf</html>").unwrap();
                b.fill("#attachment-file", fake.to_str().unwrap());
                self.send("form[action$='/attachments'] button[type=submit]");
                self.refused(
                    &format!("/cases/{id}/attachments (not a PDF)"),
                    Some("#attachment-file"),
                );
                // Withdrawal without its confirmation.
                b.go(&format!("{base}/cases/{id}/review/withdraw"));
                if b.exists("form.confirm-form button[type=submit]") {
                    self.send("form.confirm-form button[type=submit]");
                    self.refused(
                        &format!("/cases/{id}/review/withdraw (not confirmed)"),
                        Some("#confirm"),
                    );
                }
            }
            "officer" => {
                // Filters that cannot be read.
                b.go(&format!(
                    "{base}/queue?due_within=soon&min_amount=-5&status=x"
                ));
                self.refused("/queue (unreadable filters)", Some("#due_within"));
                // A plan returned without a reason (confirmed).
                let id = cases["plan_submitted"];
                b.go(&format!("{base}/cases/{id}/decide/return_plan"));
                b.click("#confirm");
                self.send("button[name=intent][value=decide]");
                self.refused(
                    &format!("/cases/{id}/decide/return_plan (no reason)"),
                    Some("#reason"),
                );
                // A decision not confirmed, and one dated in the future.
                let id = cases["equipment_filed"];
                b.go(&format!("{base}/cases/{id}/decide/grant_equipment"));
                self.send("button[name=intent][value=decide]");
                self.refused(
                    &format!("/cases/{id}/decide/grant_equipment (not confirmed)"),
                    Some("#confirm"),
                );
                b.set_value("#decided_on", "2099-01-01");
                b.click("#confirm");
                self.send("button[name=intent][value=decide]");
                self.refused(
                    &format!("/cases/{id}/decide/grant_equipment (a day in the future)"),
                    Some("#decided_on"),
                );
            }
            _ => {}
        }
    }
}
