//! Decisions reach the applicant side: the 連絡 thread, in-app notifications
//! and e-mail, sent to a real SMTP server (Debian's `python3-aiosmtpd`,
//! writing a Maildir) and read back. Headers and bodies are decoded here
//! (RFC 2047 encoded words, base64 and quoted-printable), without a mail
//! crate.

use super::*;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PYTHON: &str = "/usr/bin/python3";

/// A real SMTP server on a free port of this machine, storing what it
/// receives in a Maildir; stopped when dropped.
pub struct SmtpServer {
    pub port: u16,
    dir: PathBuf,
    child: Child,
}

/// One received mail, decoded.
#[derive(Clone, Debug)]
pub struct Mail {
    pub to: String,
    pub from: String,
    pub subject: String,
    pub body: String,
    pub headers: String,
}

impl SmtpServer {
    /// Starts `python3 -m aiosmtpd` with the Mailbox handler. Without
    /// python3-aiosmtpd the test fails and says how to install it.
    pub fn start(dir: &Path) -> SmtpServer {
        let installed = Command::new(PYTHON)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            installed,
            "the mail tests need a real SMTP server: apt-get install python3-aiosmtpd"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(PYTHON)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        SmtpServer {
            port,
            dir: dir.to_path_buf(),
            child,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every mail received so far.
    pub fn mails(&self) -> Vec<Mail> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.dir.join(sub)) else {
                continue;
            };
            let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
            files.sort();
            for f in files {
                out.push(parse_mail(&std::fs::read(f).unwrap()));
            }
        }
        out
    }

    /// Waits (up to `secs`) until at least `n` mails arrived; returns them all.
    pub fn wait_for(&self, n: usize, secs: u64) -> Vec<Mail> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let mails = self.mails();
            if mails.len() >= n || Instant::now() >= deadline {
                return mails;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A mail as stored: headers unfolded and RFC 2047 words decoded, the body
/// decoded by its Content-Transfer-Encoding.
fn parse_mail(raw: &[u8]) -> Mail {
    let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.1.push_str(line);
            }
        } else if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let get = |k: &str| {
        headers
            .iter()
            .find(|(h, _)| h == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let body = match get("content-transfer-encoding")
        .to_ascii_lowercase()
        .as_str()
    {
        "base64" => String::from_utf8(base64(body)).expect("a UTF-8 body"),
        "quoted-printable" => String::from_utf8(quoted_printable(body, false)).unwrap(),
        _ => body.to_string(),
    }
    .replace("\r\n", "\n");
    Mail {
        to: decode_words(&get("to")),
        from: decode_words(&get("from")),
        subject: decode_words(&get("subject")),
        body,
        headers: head.to_string(),
    }
}

/// RFC 2047: `=?utf-8?b?…?=` and `=?utf-8?q?…?=` words decoded (whitespace
/// between two encoded words dropped), the rest kept.
fn decode_words(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    let mut last_was_word = false;
    while let Some(start) = rest.find("=?") {
        let before = &rest[..start];
        let after = &rest[start + 2..];
        let parts: Vec<&str> = after.splitn(3, '?').collect();
        let end = parts.get(2).and_then(|p| p.find("?="));
        let (Some(end), [_, enc, _]) = (end, parts.as_slice()) else {
            break;
        };
        let payload = &parts[2][..end];
        if !(last_was_word && before.trim().is_empty()) {
            out.push_str(before);
        }
        let bytes = if enc.eq_ignore_ascii_case("b") {
            base64(payload)
        } else {
            quoted_printable(payload, true)
        };
        out.push_str(&String::from_utf8(bytes).expect("UTF-8 words"));
        last_was_word = true;
        let consumed = start + 2 + parts[0].len() + 1 + parts[1].len() + 1 + end + 2;
        rest = &rest[consumed..];
    }
    out.push_str(rest);
    out
}

fn base64(s: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let Some(v) = value(c) else { continue };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn quoted_printable(s: &str, header: bool) -> Vec<u8> {
    let s = s.replace("=\n", "");
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'=' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            }
            b'_' if header => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[test]
fn mail_decoding_reads_encoded_words_and_bodies() {
    assert_eq!(
        decode_words("=?utf-8?b?44GK55+l44KJ44Gb?= =?utf-8?q?=E3=81=A7=E3=81=99_x?="),
        "お知らせです x"
    );
    assert_eq!(decode_words("plain text"), "plain text");
    let m = parse_mail(b"To: a@example.jp\r\nSubject: =?utf-8?b?5Lu2?=\r\n =?utf-8?b?5ZCN?=\r\nContent-Transfer-Encoding: base64\r\n\r\n5pys5paH\r\n");
    assert_eq!(
        (m.to.as_str(), m.subject.as_str(), m.body.as_str()),
        ("a@example.jp", "件名", "本文")
    );
}

/// Every user of the world gets an address (the employer, the agent, both
/// officers) through `PUT /api/v1/me/email`; the agent is delegated.
fn with_addresses(w: &mut World) {
    w.agent_or_employer();
    for (c, a) in [
        (&mut w.employer, "emp@example.jp"),
        (&mut w.agent, "agent@example.jp"),
        (&mut w.officer, "tokyo@example.jp"),
        (&mut w.other_officer, "osaka@example.jp"),
    ] {
        let (s, u) = c.put("/api/v1/me/email", &json!({"email": a}));
        assert_eq!((s, u["email"].as_str()), (200, Some(a)), "{u}");
    }
}

fn notifications(c: &mut Client) -> (i64, Vec<Value>) {
    let (s, v) = c.get("/api/v1/notifications");
    assert_eq!(s, 200, "{v}");
    (
        v["unread"].as_i64().unwrap(),
        v["notifications"].as_array().unwrap().clone(),
    )
}

fn remind(db: &TestDb, smtp: &str, as_of: &str) -> (bool, String, String) {
    let out = cli(
        db,
        &[
            "remind",
            "--smtp",
            smtp,
            "--as-of",
            as_of,
            "--public-url",
            "http://josei.test/",
            "--mail-from",
            "josei@example.jp",
        ],
        None,
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Words of the system that must never reach a person.
const INTERNAL: &[&str] = &[
    "granted",
    "denied",
    "equipment",
    "plan_",
    "ケース",
    "reminder",
    "R4",
    "None",
    "null",
];

fn assert_no_internal_words(text: &str) {
    for w in INTERNAL {
        assert!(!text.contains(w), "{w:?} in {text}");
    }
}

/// A case from draft to evaluation period 1 (clock 2022-08-01), the agent delegated.
fn case_in_evaluation(w: &mut World) -> i64 {
    let (id, _) = new_case(w);
    set_clock(&mut w.admin, "2022-06-15");
    assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);
    set_clock(&mut w.admin, "2022-07-01");
    assert_eq!(act(&mut w.officer, id, "certify_plan", json!({})).0, 200);
    set_clock(&mut w.admin, "2022-08-01");
    let (s, c) = act(&mut w.employer, id, "start_evaluation", json!({}));
    assert_eq!(s, 200, "{c}");
    id
}

#[test]
fn decisions_and_returned_plans_reach_the_applicant_side_in_app_and_by_mail() {
    for db in backends() {
        let smtp = SmtpServer::start(&dir(&db).join("maildir"));
        let mut w = world(&db);
        with_addresses(&mut w);
        let (id, _) = new_case(&mut w);
        set_clock(&mut w.admin, "2022-06-15");
        assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);
        let (s, c) = act(
            &mut w.officer,
            id,
            "return_plan",
            json!({"reason": "対象労働者の雇用形態を確認してください"}),
        );
        assert_eq!(s, 200, "{c}");
        assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);
        set_clock(&mut w.admin, "2022-07-01");
        assert_eq!(act(&mut w.officer, id, "certify_plan", json!({})).0, 200);
        set_clock(&mut w.admin, "2022-08-01");
        assert_eq!(act(&mut w.agent, id, "start_evaluation", json!({})).0, 200);
        set_clock(&mut w.admin, "2022-11-25");
        assert_eq!(act(&mut w.employer, id, "file_equipment", json!({})).0, 200);
        set_clock(&mut w.admin, "2022-12-20");
        let (s, c) = act(
            &mut w.officer,
            id,
            "grant_equipment",
            json!({"decided_amount_yen": 100_000, "reason": "領収書の一部が確認できないため減額しました"}),
        );
        assert_eq!(s, 200, "{c}");
        assert_eq!(
            act(&mut w.employer, id, "start_goal_tracking", json!({})).0,
            200
        );
        set_clock(&mut w.admin, "2023-11-20");
        assert_eq!(act(&mut w.employer, id, "file_goal", json!({})).0, 200);
        set_clock(&mut w.admin, "2024-01-15");
        let (s, c) = act(
            &mut w.officer,
            id,
            "deny_goal",
            json!({"reason": "評価時離職率の確認書類が提出されていません"}),
        );
        assert_eq!(s, 200, "{c}");

        // In the application: the employer and the agent, newest first.
        for c in [&mut w.employer, &mut w.agent] {
            let (unread, list) = notifications(c);
            let kinds: Vec<&str> = list.iter().map(|n| n["kind"].as_str().unwrap()).collect();
            assert_eq!(
                kinds,
                ["denied", "granted", "plan_certified", "plan_returned"]
            );
            assert_eq!(unread, 4);
            assert!(list
                .iter()
                .all(|n| n["case_id"] == id && n["read_at"].is_null()));
            let body = |i: usize| list[i]["body"].as_str().unwrap().to_string();
            assert!(
                body(0).contains("目標達成助成を支給しないことを決定しました（不支給決定）"),
                "{}",
                body(0)
            );
            assert!(
                body(0).contains("理由：評価時離職率の確認書類が提出されていません"),
                "{}",
                body(0)
            );
            assert!(body(1).contains("支給決定額：100,000円"), "{}", body(1));
            assert!(body(1).contains("理由：領収書の一部が確認できないため減額しました"));
            assert!(body(3).contains("理由：対象労働者の雇用形態を確認してください"));
            assert_eq!(list[1]["title"], "機器等導入助成の支給決定");
            for n in &list {
                assert_no_internal_words(n["title"].as_str().unwrap());
                assert_no_internal_words(n["body"].as_str().unwrap());
            }
        }
        // The officers who decided are not notified of their own steps.
        assert_eq!(notifications(&mut w.officer).1.len(), 0);
        assert_eq!(notifications(&mut w.other_officer).1.len(), 0);

        // Marking read: one's own only.
        let (_, list) = notifications(&mut w.employer);
        let nid = list[0]["id"].as_i64().unwrap();
        let (s, n) = w
            .employer
            .post(&format!("/api/v1/notifications/{nid}/read"), &json!({}));
        assert_eq!(s, 200, "{n}");
        assert!(n["read_at"].is_string());
        assert_eq!(notifications(&mut w.employer).0, 3);
        let (s, _) = w
            .agent
            .post(&format!("/api/v1/notifications/{nid}/read"), &json!({}));
        assert_eq!(s, 404);
        assert_eq!(notifications(&mut w.agent).0, 4);

        // By mail: `josei remind` sends the outbox (no reminders: the case is decided).
        let (ok, out, err) = remind(&db, &smtp.url(), "2024-01-15");
        assert!(ok, "{out}{err}");
        assert!(
            out.contains("期限のお知らせを0件登録し、メールを8通送りました"),
            "{out}"
        );
        let mails = smtp.wait_for(8, 10);
        assert_eq!(mails.len(), 8, "{mails:?}");
        for to in ["emp@example.jp", "agent@example.jp"] {
            let mine: Vec<&Mail> = mails.iter().filter(|m| m.to.contains(to)).collect();
            assert_eq!(mine.len(), 4, "{to}: {mine:?}");
            let find = |s: &str| {
                mine.iter()
                    .find(|m| m.subject.contains(s))
                    .unwrap_or_else(|| panic!("{to}: no mail about {s}: {mine:?}"))
            };
            let grant = find("機器等導入助成の支給決定");
            assert_eq!(
                grant.subject,
                "【テレワーク助成金】機器等導入助成の支給決定"
            );
            assert!(
                grant.body.contains("支給決定額：100,000円"),
                "{}",
                grant.body
            );
            assert!(grant
                .body
                .contains("理由：領収書の一部が確認できないため減額しました"));
            assert!(
                grant
                    .body
                    .contains(&format!("http://josei.test/cases/{id}\n")),
                "{}",
                grant.body
            );
            assert!(grant.body.starts_with(if to.starts_with("emp") {
                "emp 様"
            } else {
                "agent 様"
            }));
            let deny = find("目標達成助成の不支給決定");
            assert!(deny
                .body
                .contains("理由：評価時離職率の確認書類が提出されていません"));
            let ret = find("テレワーク実施計画が差し戻されました");
            assert!(ret
                .body
                .contains("理由：対象労働者の雇用形態を確認してください"));
            find("テレワーク実施計画が認定されました");
            for m in &mine {
                assert!(m.from.contains("josei@example.jp"), "{}", m.from);
                assert!(m
                    .headers
                    .to_ascii_lowercase()
                    .contains("content-type: text/plain; charset=utf-8"));
                assert_no_internal_words(&m.subject);
                assert_no_internal_words(&m.body);
            }
        }
        // Sent once: a second run sends nothing more.
        let (ok, out, _) = remind(&db, &smtp.url(), "2024-01-15");
        assert!(ok && out.contains("メールを0通送りました"), "{out}");
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(smtp.mails().len(), 8);
        drop(w.server);
    }
}

#[test]
fn messages_notify_the_other_side_and_stay_in_scope() {
    for db in backends() {
        let smtp = SmtpServer::start(&dir(&db).join("maildir"));
        let mut w = world(&db);
        with_addresses(&mut w);
        let (id, _) = new_case(&mut w);
        let path = format!("/api/v1/cases/{id}/messages");

        // A draft is the applicant side's alone: no thread with the bureau yet.
        let (s, e) = w.employer.post(&path, &json!({"body": "質問があります"}));
        assert_eq!(s, 409, "{e}");
        assert_eq!(w.officer.get(&path).0, 404);
        set_clock(&mut w.admin, "2022-06-15");
        assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);

        // The employer writes: the Tokyo officer is told, not Osaka's, nor the agent.
        let (s, m) = w.employer.post(
            &path,
            &json!({"body": "お世話になっております。\n就業規則の変更届の写しを添付しました。"}),
        );
        assert_eq!(s, 201, "{m}");
        assert_eq!(m["author_role"], "employer");
        let (unread, list) = notifications(&mut w.officer);
        assert_eq!(unread, 1);
        assert_eq!(list[0]["kind"], "message");
        assert!(list[0]["body"]
            .as_str()
            .unwrap()
            .contains("就業規則の変更届の写しを添付しました"));
        assert_eq!(notifications(&mut w.other_officer).1.len(), 0);
        assert_eq!(notifications(&mut w.agent).1.len(), 0);

        // The officer answers: the employer and the agent are told.
        let (s, m) = w
            .officer
            .post(&path, &json!({"body": "受け取りました。審査を進めます。"}));
        assert_eq!(s, 201, "{m}");
        for c in [&mut w.employer, &mut w.agent] {
            let (unread, list) = notifications(c);
            assert_eq!((unread, list[0]["kind"].as_str()), (1, Some("message")));
            assert!(list[0]["body"]
                .as_str()
                .unwrap()
                .contains("受け取りました。審査を進めます。"));
        }
        // Both sides read the same thread, oldest first.
        for c in [&mut w.employer, &mut w.agent, &mut w.officer, &mut w.admin] {
            let (s, t) = c.get(&path);
            assert_eq!(s, 200, "{t}");
            let bodies: Vec<&str> = t
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["body"].as_str().unwrap())
                .collect();
            assert_eq!(bodies.len(), 2);
            assert!(bodies[1].starts_with("受け取りました"));
        }

        // Out of scope: 404, read or write, exactly as a missing case.
        let mut emp2 = w.server.client();
        emp2.login("emp2", PASSWORD);
        let mut agent2 = w.server.client();
        agent2.login("agent2", PASSWORD);
        for c in [&mut emp2, &mut agent2, &mut w.other_officer] {
            assert_eq!(c.get(&path).0, 404);
            assert_eq!(c.post(&path, &json!({"body": "x"})).0, 404);
        }
        assert_eq!(w.employer.get("/api/v1/cases/999999/messages").0, 404);
        // The pages answer the same: 404 for the thread, and for another
        // user's notification.
        let page = format!("/cases/{id}/messages");
        assert_eq!(w.employer.get_raw(&page).0, 200);
        assert_eq!(emp2.get_raw(&page).0, 404);
        assert_eq!(w.other_officer.get_raw(&page).0, 404);
        let (_, list) = notifications(&mut w.officer);
        let nid = list[0]["id"].as_i64().unwrap();
        assert_eq!(emp2.get_raw(&format!("/notifications/{nid}")).0, 404);
        assert_eq!(notifications(&mut w.officer).0, 1);
        let (s, h, _) = w
            .officer
            .raw("GET", &format!("/notifications/{nid}"), None, b"");
        assert_eq!(s, 303);
        assert!(
            h.iter()
                .any(|(k, v)| k == "location" && v == &format!("/cases/{id}/messages#messages")),
            "{h:?}"
        );
        assert_eq!(notifications(&mut w.officer).0, 0);
        // Bad input: the field named, nothing stored.
        for body in [
            json!(""),
            json!("  \n "),
            json!("あ".repeat(4_001)),
            json!("a\u{0}b"),
        ] {
            let (s, e) = w.employer.post(&path, &json!({"body": body}));
            assert_eq!(
                (s, e["error"]["field"].as_str()),
                (422, Some("body")),
                "{e}"
            );
        }
        assert_eq!(
            w.employer
                .post(&path, &json!({"body": "あ".repeat(4_000)}))
                .0,
            201
        );
        // Each post is audited on the case.
        let (actions, _) = audit_actions(&mut w.officer, id);
        assert_eq!(actions.iter().filter(|a| *a == "case.message").count(), 3);

        // Mailed to the other side: the officer 2, the employer and the agent 1 each.
        let (ok, out, err) = remind(&db, &smtp.url(), "2022-06-15");
        assert!(ok, "{out}{err}");
        let mails = smtp.wait_for(4, 10);
        assert_eq!(mails.len(), 4, "{mails:?}");
        let to_officer: Vec<&Mail> = mails.iter().filter(|m| m.to.contains("tokyo@")).collect();
        assert_eq!(to_officer.len(), 2);
        assert!(to_officer
            .iter()
            .all(|m| m.subject == "【テレワーク助成金】新しい連絡：テレワーク導入計画"));
        assert!(to_officer
            .iter()
            .any(|m| m.body.contains("就業規則の変更届の写しを添付しました")));
        assert!(to_officer.iter().all(|m| m
            .body
            .contains(&format!("http://josei.test/cases/{id}/messages"))));
        // The 4,000-character message is cut in the mail, whole on the page.
        assert!(to_officer
            .iter()
            .any(|m| m.body.contains("（続きは申請のページでご覧ください）")));
        assert!(mails.iter().any(
            |m| m.to.contains("emp@") && m.body.contains("tokyo（労働局）から連絡がありました")
        ));
        assert!(!mails.iter().any(|m| m.to.contains("osaka@")));

        // A relay that cannot be reached: exit 1, the password never shown,
        // the mail kept for a later run.
        assert_eq!(
            w.officer
                .post(&path, &json!({"body": "追加の確認です。"}))
                .0,
            201
        );
        let (ok, out, err) = remind(
            &db,
            "smtp://mailer:hunter2-secret@127.0.0.1:1",
            "2022-06-15",
        );
        assert!(!ok, "{out}");
        assert!(
            err.contains("送れませんでした") && err.contains("smtp://mailer:***@127.0.0.1:1"),
            "{err}"
        );
        assert!(
            !err.contains("hunter2") && !out.contains("hunter2"),
            "{err}"
        );
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let outbox = rt.block_on(async {
            josei_store::connect(&db.url)
                .await
                .unwrap()
                .outbox(100)
                .await
                .unwrap()
        });
        let failed: Vec<_> = outbox.iter().filter(|m| m.sent_at.is_none()).collect();
        assert_eq!(failed.len(), 2, "{outbox:?}");
        assert!(failed
            .iter()
            .all(|m| m.attempts == 1 && m.last_error.is_some()));
        assert!(outbox
            .iter()
            .all(|m| !m.last_error.as_deref().unwrap_or("").contains("hunter2")));
        drop(w.server);
    }
}

#[test]
fn deadline_reminders_come_30_7_and_1_days_before_once_each() {
    for db in backends() {
        let smtp = SmtpServer::start(&dir(&db).join("maildir"));
        let mut w = world(&db);
        with_addresses(&mut w);
        let id = case_in_evaluation(&mut w);
        // Evaluation period 1 ends on 2022-10-31.
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(c["next_deadline"]["date"], "2022-10-31");
        // The certification's mails first (to the employer and the agent).
        let (ok, out, err) = remind(&db, &smtp.url(), "2022-08-01");
        assert!(
            ok && out.contains("期限のお知らせを0件登録し、メールを2通送りました"),
            "{out}{err}"
        );
        assert_eq!(smtp.wait_for(2, 10).len(), 2);
        let runs = [
            ("2022-09-30", 0),
            ("2022-10-01", 2),
            ("2022-10-01", 0),
            ("2022-10-02", 0),
            ("2022-10-24", 2),
            ("2022-10-25", 0),
            ("2022-10-30", 2),
            ("2022-10-30", 0),
            ("2022-10-31", 0),
        ];
        let mut total = 2;
        for (day, queued) in runs {
            let (ok, out, err) = remind(&db, &smtp.url(), day);
            assert!(ok, "{day}: {out}{err}");
            assert!(
                out.contains(&format!(
                    "{day}: 期限のお知らせを{queued}件登録し、メールを{queued}通送りました"
                )),
                "{day}: {out}"
            );
            total += queued;
            assert_eq!(smtp.wait_for(total, 10).len(), total, "{day}");
        }
        let mails = smtp.mails();
        for to in ["emp@", "agent@"] {
            let mut mine: Vec<String> = mails
                .iter()
                .filter(|m| m.to.contains(to) && m.subject.contains("期限"))
                .map(|m| m.subject.clone())
                .collect();
            mine.sort();
            assert_eq!(
                mine,
                [
                    "【テレワーク助成金】期限のお知らせ（あと1日）：評価期間（機器等導入助成）の終了",
                    "【テレワーク助成金】期限のお知らせ（あと30日）：評価期間（機器等導入助成）の終了",
                    "【テレワーク助成金】期限のお知らせ（あと7日）：評価期間（機器等導入助成）の終了",
                ],
                "{to}"
            );
        }
        let week = mails
            .iter()
            .find(|m| m.subject.contains("あと7日"))
            .unwrap();
        assert!(
            week.body.contains("申請「テレワーク導入計画」の評価期間（機器等導入助成）の終了は、2022-10-31（令和4年10月31日）です。あと7日です。"),
            "{}",
            week.body
        );
        assert_no_internal_words(&week.body);
        // Officers get no reminders; in the application the applicant side sees three.
        assert!(!mails.iter().any(|m| m.to.contains("tokyo@")));
        let (_, list) = notifications(&mut w.agent);
        assert_eq!(list.iter().filter(|n| n["kind"] == "reminder").count(), 3);
        drop(w.server);
    }
}

#[test]
fn serve_with_smtp_sends_on_its_own_with_links() {
    for db in backends() {
        let smtp = SmtpServer::start(&dir(&db).join("maildir"));
        let url = smtp.url();
        let mut w = world_served(
            &db,
            &[
                "--smtp",
                &url,
                "--mail-from",
                "josei@example.jp",
                "--public-url",
                "http://josei.test",
                "--mail-interval-secs",
                "1",
            ],
        );
        with_addresses(&mut w);
        let id = case_in_evaluation(&mut w);
        // A message, sent within a few seconds, with its link.
        let (s, _) = w.employer.post(
            &format!("/api/v1/cases/{id}/messages"),
            &json!({"body": "評価期間の実績を入力しました。"}),
        );
        assert_eq!(s, 201);
        // The certification went to the employer and the agent, the message
        // to the Tokyo officer.
        let mails = smtp.wait_for(3, 20);
        assert_eq!(mails.len(), 3, "{mails:?}");
        let to_officer: Vec<&Mail> = mails.iter().filter(|m| m.to.contains("tokyo@")).collect();
        assert_eq!(to_officer.len(), 1, "{mails:?}");
        assert!(to_officer[0]
            .body
            .contains(&format!("http://josei.test/cases/{id}/messages")));
        let certified = mails
            .iter()
            .filter(|m| m.subject.contains("計画が認定されました"));
        assert_eq!(certified.count(), 2);
        // A new day on the training clock: that day's reminders, once.
        set_clock(&mut w.admin, "2022-10-24");
        let mails = smtp.wait_for(5, 20);
        let reminders: Vec<&Mail> = mails
            .iter()
            .filter(|m| m.subject.contains("あと7日"))
            .collect();
        assert_eq!(reminders.len(), 2, "{mails:?}");
        std::thread::sleep(Duration::from_secs(3));
        assert_eq!(smtp.mails().len(), 5);
        drop(w.server);
    }
}

/// Whether the page is wider than the window.
fn overflows(b: &browser::Browser) -> bool {
    b.script("return document.documentElement.scrollWidth > window.innerWidth;") == json!(true)
}

#[test]
fn web_thread_and_notifications_in_a_browser() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    w.agent_or_employer();
    let id = case_in_evaluation(&mut w);
    let base = w.server.base.clone();
    for (width, height) in [(1366, 900), (390, 844)] {
        let b = browser::Browser::start(width, height);
        // The employer writes to the bureau.
        web_login(&b, &base, "emp", PASSWORD);
        b.go(&format!("{base}/cases/{id}/messages"));
        assert!(b.text().contains("連絡：テレワーク導入計画"));
        // Empty: the error next to the field, nothing sent.
        b.submit("#messages form button[type=submit]");
        let t = b.text();
        assert!(t.contains("連絡の内容を入力してください"), "{t}");
        assert_eq!(
            b.script(
                "return document.querySelector('#message-body').getAttribute('aria-invalid');"
            ),
            json!("true")
        );
        // Too long (past the field's own limit): kept, with the count.
        let long = format!("見積書について{}", "あ".repeat(4_000));
        b.set_value("#message-body", &long);
        b.submit("#messages form button[type=submit]");
        assert!(b
            .text()
            .contains("連絡は4,000文字以内にしてください（いま4,007文字です）"));
        assert_eq!(b.value("#message-body"), long);
        b.screenshot(&format!("thread-error-{width}"));
        assert!(!overflows(&b), "{width}: the thread page overflows");
        let message = format!(
            "{width}px から：見積書を添付しました。ご確認をお願いします。\nhttps://example.jp/{}",
            "very-long-address/".repeat(8)
        );
        b.fill("#message-body", &message);
        b.submit("#messages form button[type=submit]");
        let t = b.text();
        assert!(t.contains("連絡を送りました。"), "{t}");
        assert!(t.contains("見積書を添付しました。ご確認をお願いします。"));
        assert!(!overflows(&b), "{width}: a long address overflows");
        b.screenshot(&format!("thread-{width}"));
        web_logout(&b);

        // The officer sees お知らせ（1） and opens it.
        web_login(&b, &base, "tokyo", PASSWORD);
        b.go(&format!("{base}/notifications"));
        let t = b.text();
        assert!(t.contains("お知らせ（1）"), "{t}");
        assert!(
            t.contains("未読") && t.contains("新しい連絡：テレワーク導入計画"),
            "{t}"
        );
        assert!(!overflows(&b), "{width}: the notifications page overflows");
        b.screenshot(&format!("notifications-{width}"));
        b.submit(".notification-title a");
        assert!(
            b.url().contains(&format!("/cases/{id}/messages")),
            "{}",
            b.url()
        );
        b.fill("#message-body", "受け取りました。");
        b.submit("#messages form button[type=submit]");
        assert!(b.text().contains("お知らせ（0）"));
        web_logout(&b);

        // The employer's own address, on the account page.
        web_login(&b, &base, "emp", PASSWORD);
        b.go(&format!("{base}/account"));
        b.fill("#email-address", "emp@example.jp, boss@example.jp");
        b.submit("#email form button[type=submit]");
        let t = b.text();
        assert!(t.contains("メールアドレスは1つだけ入力してください"), "{t}");
        assert_eq!(b.value("#email-address"), "emp@example.jp, boss@example.jp");
        b.fill("#email-address", "emp@example.jp");
        b.submit("#email form button[type=submit]");
        assert!(b
            .text()
            .contains("メールアドレスを emp@example.jp に設定しました。"));
        b.screenshot(&format!("account-email-{width}"));
        assert!(!overflows(&b));
        b.go(&format!("{base}/notifications"));
        let t = b.text();
        // The officer's answer, unread (with the plan's certification).
        assert!(t.contains("受け取りました。") && t.contains("未読"), "{t}");
        b.submit("form[action='/notifications/read'] button");
        assert!(b.text().contains("すべて既読にしました。"));
        assert!(b.text().contains("お知らせ（0）"));
        web_logout(&b);
    }
    drop(w.server);
}

#[test]
fn addresses_are_set_by_the_cli_the_api_and_each_user() {
    for db in backends() {
        let mut w = world(&db);
        let out = cli(
            &db,
            &[
                "user",
                "add",
                "--username",
                "sato",
                "--role",
                "agent",
                "--email",
                "sato@example.co.jp",
            ],
            Some(PASSWORD),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = cli(
            &db,
            &[
                "user",
                "add",
                "--username",
                "kato",
                "--role",
                "agent",
                "--email",
                "kato@example.co.jp, x@example.jp",
            ],
            Some(PASSWORD),
        );
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("email: メールアドレスは1つだけ入力してください"),
            "{err}"
        );
        let mut sato = w.server.client();
        sato.login("sato", PASSWORD);
        assert_eq!(sato.get("/api/v1/me").1["email"], "sato@example.co.jp");

        // An administrator gives one with the account; a bad one is refused by name.
        let (s, u) = w.admin.post(
            "/api/v1/users",
            &json!({"username": "ito", "password": PASSWORD, "role": "agent", "email": "ito@example.jp"}),
        );
        assert_eq!(
            (s, u["email"].as_str()),
            (201, Some("ito@example.jp")),
            "{u}"
        );
        let (s, e) = w.admin.post(
            "/api/v1/users",
            &json!({"username": "abe", "password": PASSWORD, "role": "agent", "email": "abe@localhost"}),
        );
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("email")),
            "{e}"
        );

        // Each user sets or removes their own; the change is audited.
        let (s, e) = w.employer.put(
            "/api/v1/me/email",
            &json!({"email": "a".repeat(250) + "@x.jp"}),
        );
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("email")),
            "{e}"
        );
        let (s, u) = w
            .employer
            .put("/api/v1/me/email", &json!({"email": " emp@example.jp "}));
        assert_eq!(
            (s, u["email"].as_str()),
            (200, Some("emp@example.jp")),
            "{u}"
        );
        let (s, u) = w.employer.put("/api/v1/me/email", &json!({"email": null}));
        assert_eq!((s, u["email"].is_null()), (200, true), "{u}");
        // Without a CSRF token a session cannot change it.
        let mut no_csrf = w.employer.clone();
        no_csrf.csrf = None;
        assert_eq!(
            no_csrf
                .put("/api/v1/me/email", &json!({"email": "evil@example.jp"}))
                .0,
            403
        );
        assert!(w.employer.get("/api/v1/me").1["email"].is_null());
        drop(w.server);
    }
}
