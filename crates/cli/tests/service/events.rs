//! Seminars and 個別相談会: staff pages for advisors and administrators only
//! (every other role refused, on both backends); public pages without an
//! account; registration with its own form token (no cookie, no
//! registration), a duplicate address refused, a full event's waiting list;
//! the cancellation link of the mail (wrong or spent links refused) giving
//! the seat to the first one waiting, who is mailed (outbox rows read
//! back); attendance; the registrants' CSV; materials with their size and
//! type limits; audit entries; and in Chromium, a person registering, the
//! mail arriving at a real SMTP server, and its link followed.

use super::mail::SmtpServer;
use super::*;

/// The store of the test database, on a runtime of its own.
fn store(db: &TestDb) -> (tokio::runtime::Runtime, josei_store::Db) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let s = rt.block_on(josei_store::connect(&db.url)).unwrap();
    (rt, s)
}

fn outbox(db: &TestDb) -> Vec<josei_store::OutboxMail> {
    let (rt, s) = store(db);
    rt.block_on(s.outbox(1_000)).unwrap()
}

fn audit_actions(db: &TestDb, id: i64) -> Vec<String> {
    let (rt, s) = store(db);
    rt.block_on(s.audit_log("event", &id.to_string()))
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

/// The page at `path`: status and HTML.
fn page_of(c: &Client, path: &str) -> (u16, String) {
    let (s, _, b) = c.raw("GET", path, None, b"");
    (s, String::from_utf8_lossy(&b).into_owned())
}

fn location(headers: &[(String, String)]) -> Option<String> {
    headers
        .iter()
        .find(|(k, _)| k == "location")
        .map(|(_, v)| v.clone())
}

/// Posts a staff form with the session's CSRF token: status, page, redirect.
pub(super) fn post_staff(
    c: &Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String, Option<String>) {
    let token = c.csrf.clone().unwrap_or_default();
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    let (s, h, b) = c.raw(
        "POST",
        path,
        Some("application/x-www-form-urlencoded"),
        &form_urlencoded(&all),
    );
    (s, String::from_utf8_lossy(&b).into_owned(), location(&h))
}

/// The fields of an event on `date` (starting 14:00) for `capacity`.
fn event_fields<'a>(
    title: &'a str,
    date: &'a str,
    deadline: &'a str,
    capacity: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("kind", "seminar"),
        ("audience", "managers"),
        ("prefecture", ""),
        ("format", "online"),
        ("venue", ""),
        ("date", date),
        ("start", "14:00"),
        ("end", "16:00"),
        ("capacity", capacity),
        (
            "description",
            "テレワークの導入事例と助成金の活用方法をご紹介します。",
        ),
        ("deadline", deadline),
    ]
}

/// Creates and publishes an event as `staff`; returns its id.
pub(super) fn published_event(staff: &Client, title: &str, capacity: &str) -> i64 {
    let (s, html, loc) = post_staff(
        staff,
        "/events/manage/new",
        &event_fields(title, "2026-07-10", "2026-07-08", capacity),
    );
    assert_eq!(s, 303, "{html}");
    let loc = loc.unwrap();
    let id: i64 = loc
        .trim_start_matches("/events/manage/")
        .split(['?', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (s, html, _) = post_staff(
        staff,
        &format!("/events/manage/{id}/status"),
        &[("to", "publish")],
    );
    assert_eq!(s, 303, "{html}");
    id
}

/// The public form's token and its cookie, from the event's page.
fn form_token(c: &Client, id: i64) -> (String, String) {
    let (s, h, b) = c.raw("GET", &format!("/events/{id}"), None, b"");
    assert_eq!(s, 200);
    let html = String::from_utf8_lossy(&b);
    let at = html
        .find("name=\"form_token\" value=\"")
        .unwrap_or_else(|| panic!("a registration form: {html}"))
        + "name=\"form_token\" value=\"".len();
    let token = html[at..at + 64].to_string();
    let cookie = h
        .iter()
        .find(|(k, v)| k == "set-cookie" && v.starts_with("josei_event="))
        .map(|(_, v)| v.split(';').next().unwrap().to_string())
        .expect("the form's cookie");
    assert!(cookie.ends_with(&token));
    (token, cookie)
}

/// Registers `name` <`email`> for the event from the public page, as a
/// browser without an account would: status and page.
pub(super) fn register(c: &Client, id: i64, name: &str, email: &str) -> (u16, String) {
    let (token, cookie) = form_token(c, id);
    let mut c = c.clone();
    c.cookie = Some(match &c.cookie {
        Some(session) => format!("{session}; {cookie}"),
        None => cookie,
    });
    let (s, _, b) = c.raw(
        "POST",
        &format!("/events/{id}"),
        Some("application/x-www-form-urlencoded"),
        &form_urlencoded(&[
            ("form_token", &token),
            ("name", name),
            ("company", "株式会社テレワーク商事"),
            ("email", email),
            ("prefecture", "13"),
        ]),
    );
    (s, String::from_utf8_lossy(&b).into_owned())
}

/// The cancellation link of the newest queued mail to `to`.
fn cancel_link(db: &TestDb, to: &str) -> String {
    outbox(db)
        .into_iter()
        .rev()
        .find(|m| m.to_address == to && m.link_path.is_some())
        .and_then(|m| m.link_path)
        .unwrap_or_else(|| panic!("a link mailed to {to}"))
}

fn row_of<'a>(html: &'a str, name: &str) -> &'a str {
    let at = html
        .find(name)
        .unwrap_or_else(|| panic!("{name} in {html}"));
    let start = html[..at].rfind("<tr").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

#[test]
fn only_advisors_and_administrators_run_events_and_everyone_sees_the_public_pages() {
    for db in backends() {
        let mut w = world(&db);
        set_clock(&mut w.admin, "2026-06-01");
        let id = published_event(&w.advisor, "テレワーク導入セミナー", "30");
        // A draft made by the administrator.
        let (s, _, loc) = post_staff(
            &w.admin,
            "/events/manage/new",
            &event_fields("準備中の相談会", "2026-08-01", "2026-07-30", "5"),
        );
        assert_eq!(s, 303);
        let draft: i64 = loc
            .unwrap()
            .trim_start_matches("/events/manage/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let staff_paths = [
            "/events/manage".to_string(),
            "/events/manage/new".to_string(),
            format!("/events/manage/{id}"),
            format!("/events/manage/{id}/registrants.csv"),
            format!("/events/manage/{draft}"),
        ];
        for (who, c) in [
            ("employer", &w.employer),
            ("agent", &w.agent),
            ("officer", &w.officer),
            ("judge", &w.judge),
        ] {
            for p in &staff_paths {
                assert_eq!(page_of(c, p).0, 403, "{who} {p}");
            }
            let (s, _, _) = post_staff(
                c,
                "/events/manage/new",
                &event_fields("x", "2026-07-10", "2026-07-08", "3"),
            );
            assert_eq!(s, 403, "{who} creates");
            let (s, _, _) = post_staff(
                c,
                &format!("/events/manage/{id}/status"),
                &[("to", "cancel"), ("confirm", "yes")],
            );
            assert_eq!(s, 403, "{who} cancels");
            // The public pages, as anyone sees them; a draft does not exist.
            assert_eq!(page_of(c, "/events").0, 200, "{who}");
            assert_eq!(page_of(c, &format!("/events/{id}")).0, 200, "{who}");
            assert_eq!(page_of(c, &format!("/events/{draft}")).0, 404, "{who}");
        }
        for (who, c) in [("advisor", &w.advisor), ("admin", &w.admin)] {
            for p in &staff_paths {
                assert_eq!(page_of(c, p).0, 200, "{who} {p}");
            }
        }
        let (_, html) = page_of(&w.advisor, "/events/manage");
        assert!(html.contains("テレワーク導入セミナー") && html.contains("準備中の相談会"));
        assert!(html.contains("公開前") && html.contains("公開中"));
        // Signed out: the staff pages ask for a login, the public ones answer.
        let anon = w.server.client();
        let (s, h, _) = anon.raw("GET", "/events/manage", None, b"");
        assert_eq!(s, 303);
        assert!(location(&h).unwrap().starts_with("/login"));
        let (s, html) = page_of(&anon, "/events");
        assert_eq!(s, 200);
        assert!(
            html.contains("テレワーク導入セミナー") && !html.contains("準備中の相談会"),
            "{html}"
        );
        assert!(html.contains("残り30席"), "{html}");
        // Filtered by kind and audience; unknown values are ignored.
        let (_, html) = page_of(&anon, "/events?audience=workers");
        assert!(
            html.contains("条件に合うセミナー・個別相談会はありません")
                && !html.contains("テレワーク導入セミナー</a>"),
            "{html}"
        );
        let (_, html) = page_of(&anon, "/events?kind=seminar&audience=managers");
        assert!(html.contains("テレワーク導入セミナー</a>"), "{html}");
        let (s, html) = page_of(&anon, "/events?kind=%3Cscript%3E&audience=");
        assert_eq!(s, 200);
        assert!(
            html.contains("テレワーク導入セミナー</a>") && !html.contains("<script>"),
            "{html}"
        );
        assert_eq!(page_of(&anon, &format!("/events/{draft}")).0, 404);
        assert_eq!(page_of(&anon, "/events/999999").0, 404);
        // Past events are listed apart.
        set_clock(&mut w.admin, "2026-07-11");
        let (_, html) = page_of(&anon, "/events");
        assert!(html.contains("終了したセミナー・個別相談会"));
        assert!(
            html.contains("いま受け付けているセミナー・個別相談会はありません"),
            "{html}"
        );
        let (_, html) = page_of(&anon, &format!("/events/{id}"));
        assert!(
            html.contains("終了しました") && !html.contains("form_token"),
            "{html}"
        );
        assert_eq!(audit_actions(&db, id), ["event.create", "event.publish"]);
    }
}

#[test]
fn a_full_event_takes_a_waiting_list_and_a_cancellation_gives_the_seat_to_the_first_waiting() {
    for db in backends() {
        let mut w = world(&db);
        set_clock(&mut w.admin, "2026-06-01");
        let id = published_event(&w.advisor, "テレワーク導入セミナー", "2");
        let anon = w.server.client();
        let (s, html) = register(&anon, id, "山田 太郎", "yamada@example.jp");
        assert_eq!(s, 200, "{html}");
        assert!(
            html.contains("お申込みを受け付けました") && html.contains("role=\"status\""),
            "{html}"
        );
        let (s, _) = register(&anon, id, "佐藤 花子", "sato@example.jp");
        assert_eq!(s, 200);
        // The same address again (in capitals): refused, nothing stored.
        let (s, html) = register(&anon, id, "山田 太郎", "YAMADA@example.jp");
        assert_eq!(s, 409, "{html}");
        assert!(
            html.contains("このメールアドレスでは、すでにお申込みを受け付けています"),
            "{html}"
        );
        assert!(
            html.contains("aria-invalid=\"true\"") && html.contains("href=\"#email\""),
            "{html}"
        );
        // Full: the page says so, and the next one waits.
        let (_, html) = page_of(&anon, &format!("/events/{id}"));
        assert!(html.contains("キャンセル待ちとして受け付けます"), "{html}");
        let (s, html) = register(&anon, id, "鈴木 一郎", "suzuki@example.jp");
        assert_eq!(s, 200);
        assert!(html.contains("キャンセル待ちで受け付けました"), "{html}");
        let (s, _) = register(&anon, id, "高橋 次郎", "takahashi@example.jp");
        assert_eq!(s, 200);
        // Bad input: the field named, nothing stored.
        for (name, email, field, message) in [
            ("", "a@example.jp", "name", "お名前を入力してください"),
            ("田中", "tanaka", "email", "@ がありません"),
            ("田中", "", "email", "メールアドレスを入力してください"),
        ] {
            let (s, html) = register(&anon, id, name, email);
            assert_eq!(s, 422, "{html}");
            assert!(
                html.contains(message) && html.contains(&format!("href=\"#{field}\"")),
                "{html}"
            );
        }
        let long = "あ".repeat(101);
        let (s, html) = register(&anon, id, &long, "long@example.jp");
        assert_eq!(s, 422);
        assert!(html.contains("お名前は100文字以内で入力してください"));

        // The mails: one each, with a cancellation link; none sent yet.
        let mails = outbox(&db);
        assert_eq!(mails.len(), 4, "{mails:?}");
        assert!(mails
            .iter()
            .all(|m| m.kind == josei_store::NotificationKind::EventRegistration));
        assert!(
            mails[0].subject.contains("お申込みを受け付けました")
                && mails[0].body.contains("山田 太郎 様")
        );
        assert!(
            mails[2].subject.contains("キャンセル待ちで受け付けました")
                && mails[2].to_address == "suzuki@example.jp"
        );
        assert!(mails.iter().all(|m| m
            .link_path
            .as_deref()
            .is_some_and(|l| l.starts_with("/events/cancel/"))));

        // Staff see the statuses.
        let (_, html) = page_of(&w.advisor, &format!("/events/manage/{id}"));
        assert!(row_of(&html, "山田 太郎").contains("申込済み"));
        assert!(row_of(&html, "鈴木 一郎").contains("キャンセル待ち"));

        // Wrong links: not found, nothing changed.
        for bad in [
            "/events/cancel/abc",
            &format!("/events/cancel/{}", "0".repeat(64)),
        ] {
            assert_eq!(page_of(&anon, bad).0, 404, "{bad}");
            let (s, _, _) = anon.raw("POST", bad, Some("application/x-www-form-urlencoded"), b"");
            assert_eq!(s, 404, "{bad}");
        }
        // Yamada cancels: the confirmation page, then the cancellation.
        let link = cancel_link(&db, "yamada@example.jp");
        let (s, html) = page_of(&anon, &link);
        assert_eq!(s, 200);
        assert!(
            html.contains("山田 太郎 様の次のお申込み（申込済み）を取り消します"),
            "{html}"
        );
        let (s, _, b) = anon.raw(
            "POST",
            &link,
            Some("application/x-www-form-urlencoded"),
            b"",
        );
        assert_eq!(s, 200);
        assert!(String::from_utf8_lossy(&b).contains("お申込みを取り消しました"));
        // Used once: refused after.
        let (s, html) = page_of(&anon, &link);
        assert_eq!(s, 409);
        assert!(html.contains("すでに取り消されています"), "{html}");
        let (s, _, _) = anon.raw(
            "POST",
            &link,
            Some("application/x-www-form-urlencoded"),
            b"",
        );
        assert_eq!(s, 409);
        // Suzuki, first waiting, has the seat and a mail with a new link;
        // Takahashi still waits.
        let mails = outbox(&db);
        let promoted: Vec<_> = mails
            .iter()
            .filter(|m| m.subject.contains("お席をご用意しました"))
            .collect();
        assert_eq!(promoted.len(), 1, "{mails:?}");
        assert_eq!(promoted[0].to_address, "suzuki@example.jp");
        assert!(promoted[0].body.contains("鈴木 一郎 様"));
        // The link of the first mail is spent (cleared), the new one works.
        assert!(mails
            .iter()
            .filter(|m| m.to_address == "yamada@example.jp")
            .all(|m| m.link_path.is_none()));
        let old = mails
            .iter()
            .find(|m| m.to_address == "suzuki@example.jp" && m.subject.contains("キャンセル待ち"))
            .unwrap();
        assert!(old.link_path.is_none(), "{old:?}");
        let new_link = promoted[0].link_path.clone().unwrap();
        let (s, html) = page_of(&anon, &new_link);
        assert_eq!(s, 200);
        assert!(html.contains("（申込済み）"), "{html}");
        let (_, html) = page_of(&w.advisor, &format!("/events/manage/{id}"));
        assert!(row_of(&html, "山田 太郎").contains("取消"));
        assert!(row_of(&html, "鈴木 一郎").contains("申込済み"));
        assert!(row_of(&html, "高橋 次郎").contains("キャンセル待ち"));
        // A waiting registrant who cancels frees no seat: nobody promoted.
        let link = cancel_link(&db, "takahashi@example.jp");
        let (s, _, _) = anon.raw(
            "POST",
            &link,
            Some("application/x-www-form-urlencoded"),
            b"",
        );
        assert_eq!(s, 200);
        assert_eq!(
            outbox(&db)
                .iter()
                .filter(|m| m.subject.contains("お席をご用意しました"))
                .count(),
            1
        );
        // Once cancelled, the address may register again (waiting: full).
        let (s, html) = register(&anon, id, "山田 太郎", "yamada@example.jp");
        assert_eq!(s, 200);
        assert!(html.contains("キャンセル待ちで受け付けました"), "{html}");
        // A larger capacity gives the new seat to the first one waiting.
        let mut fields = event_fields("テレワーク導入セミナー", "2026-07-10", "2026-07-08", "3");
        fields.retain(|(k, _)| *k != "csrf");
        let (s, html, loc) = post_staff(&w.advisor, &format!("/events/manage/{id}"), &fields);
        assert_eq!(s, 303, "{html}");
        assert!(loc.unwrap().contains("done=promoted"));
        let promoted: Vec<_> = outbox(&db)
            .into_iter()
            .filter(|m| m.subject.contains("お席をご用意しました"))
            .collect();
        assert_eq!(promoted.len(), 2);
        assert_eq!(promoted[1].to_address, "yamada@example.jp");
        // A new day: everyone registered or waiting is told (no link);
        // a change of the capacity or the text alone told no one.
        assert!(!outbox(&db).iter().any(|m| m.subject.contains("変更")));
        let fields = event_fields("テレワーク導入セミナー", "2026-07-17", "2026-07-15", "3");
        let (s, html, _) = post_staff(&w.advisor, &format!("/events/manage/{id}"), &fields);
        assert_eq!(s, 303, "{html}");
        let changed: Vec<_> = outbox(&db)
            .into_iter()
            .filter(|m| m.subject.contains("【日時・開催方法の変更】"))
            .collect();
        let mut to: Vec<&str> = changed.iter().map(|m| m.to_address.as_str()).collect();
        to.sort();
        assert_eq!(
            to,
            ["sato@example.jp", "suzuki@example.jp", "yamada@example.jp"],
            "{changed:?}"
        );
        assert!(changed
            .iter()
            .all(|m| m.link_path.is_none() && m.body.contains("令和8年7月17日（金）")));
        // A capacity below the seats taken is refused.
        let fields = event_fields("テレワーク導入セミナー", "2026-07-10", "2026-07-08", "1");
        let (s, html, _) = post_staff(&w.advisor, &format!("/events/manage/{id}"), &fields);
        assert_eq!(s, 422);
        assert!(
            html.contains("定員は、すでに席のある3人より少なくできません"),
            "{html}"
        );

        // The audit: who did what, without the registrants' names.
        let actions = audit_actions(&db, id);
        for a in [
            "event.create",
            "event.publish",
            "event.register",
            "event.registration_cancel",
            "event.registration_promote",
            "event.update",
        ] {
            assert!(actions.iter().any(|x| x == a), "{a}: {actions:?}");
        }
        assert_eq!(actions.iter().filter(|a| *a == "event.register").count(), 5);
        let (rt, s) = store(&db);
        let entries = rt.block_on(s.audit_log("event", &id.to_string())).unwrap();
        assert!(entries
            .iter()
            .all(|e| !format!("{:?}{:?}", e.before, e.after).contains("山田")));
    }
}

#[test]
fn the_public_form_is_refused_without_its_cookie() {
    for db in backends() {
        let mut w = world(&db);
        set_clock(&mut w.admin, "2026-06-01");
        let id = published_event(&w.advisor, "テレワーク導入セミナー", "10");
        let anon = w.server.client();
        let (token, _) = form_token(&anon, id);
        let body = form_urlencoded(&[
            ("form_token", &token),
            ("name", "山田 太郎"),
            ("email", "yamada@example.jp"),
        ]);
        // No cookie, another cookie, or no token: refused, nothing stored.
        for cookie in [
            None,
            Some(format!("josei_event={}", "f".repeat(64))),
            Some(format!("josei_event={token}")),
        ] {
            let mut c = anon.clone();
            c.cookie = cookie.clone();
            let body = if cookie.as_deref() == Some(&format!("josei_event={token}")) {
                form_urlencoded(&[("name", "山田 太郎"), ("email", "yamada@example.jp")])
            } else {
                body.clone()
            };
            let (s, _, b) = c.raw(
                "POST",
                &format!("/events/{id}"),
                Some("application/x-www-form-urlencoded"),
                &body,
            );
            assert_eq!(s, 403, "{cookie:?}");
            let html = String::from_utf8_lossy(&b);
            assert!(
                html.contains("有効期限が切れたか、別のサイトからの送信です"),
                "{html}"
            );
            // What was typed stays in the form.
            assert!(html.contains("value=\"山田 太郎\""), "{html}");
        }
        assert!(outbox(&db).is_empty());
        assert!(!audit_actions(&db, id).contains(&"event.register".to_string()));
        // A staff form without the session's token is refused too.
        let mut c = w.advisor.clone();
        c.csrf = Some("wrong".into());
        let (s, _, _) = post_staff(
            &c,
            &format!("/events/manage/{id}/status"),
            &[("to", "unpublish")],
        );
        assert_eq!(s, 403);
        // Registration closes after the deadline.
        set_clock(&mut w.admin, "2026-07-09");
        let (_, html) = page_of(&anon, &format!("/events/{id}"));
        assert!(html.contains("お申込みの受付は締め切りました") && !html.contains("form_token"));
    }
}

/// A multipart upload of a material.
fn upload(
    c: &Client,
    id: i64,
    title: &str,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
    csrf: &str,
) -> (u16, String, Option<String>) {
    let boundary = "----josei-events-boundary";
    let mut body = Vec::new();
    for (k, v) in [("csrf", csrf), ("material-title", title)] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (s, h, b) = c.raw(
        "POST",
        &format!("/events/manage/{id}/materials"),
        Some(&format!("multipart/form-data; boundary={boundary}")),
        &body,
    );
    (s, String::from_utf8_lossy(&b).into_owned(), location(&h))
}

#[test]
fn attendance_csv_materials_and_cancelling_an_event() {
    for db in backends() {
        let mut w = world(&db);
        set_clock(&mut w.admin, "2026-06-01");
        let id = published_event(&w.advisor, "テレワーク導入セミナー", "1");
        let anon = w.server.client();
        assert_eq!(register(&anon, id, "山田 太郎", "yamada@example.jp").0, 200);
        assert_eq!(
            register(&anon, id, "=HYPERLINK(\"x\")", "suzuki@example.jp").0,
            200
        );
        let regs = {
            let (rt, s) = store(&db);
            rt.block_on(s.registrations(josei_store::EventId::from(id)))
                .unwrap()
        };
        let (yamada, waiting) = (regs[0].id.to_string(), regs[1].id.to_string());
        // Attendance: a seat holder yes, one waiting no.
        let path = format!("/events/manage/{id}/attendance");
        let (s, _, loc) = post_staff(
            &w.advisor,
            &path,
            &[("registration", &yamada), ("attended", "yes")],
        );
        assert_eq!(s, 303);
        assert!(loc.unwrap().contains("done=attended"));
        let (s, html, _) = post_staff(
            &w.advisor,
            &path,
            &[("registration", &waiting), ("attended", "yes")],
        );
        assert_eq!(s, 409);
        assert!(
            html.contains("出席を記録できるのは、申込済み（席のある）の方だけです"),
            "{html}"
        );
        let (s, _, _) = post_staff(
            &w.employer,
            &path,
            &[("registration", &yamada), ("attended", "no")],
        );
        assert_eq!(s, 403);
        // Another event's registration: not found.
        let other = published_event(&w.admin, "別のセミナー", "5");
        let (s, _, _) = post_staff(
            &w.admin,
            &format!("/events/manage/{other}/attendance"),
            &[("registration", &yamada), ("attended", "no")],
        );
        assert_eq!(s, 404);
        let (_, html) = page_of(&w.advisor, &format!("/events/manage/{id}"));
        assert!(row_of(&html, "山田 太郎").contains("出席"));
        // The CSV: every registrant with the status, formula-safe.
        let (s, h, b) = w.advisor.raw(
            "GET",
            &format!("/events/manage/{id}/registrants.csv"),
            None,
            b"",
        );
        assert_eq!(s, 200);
        assert!(h
            .iter()
            .any(|(k, v)| k == "content-type" && v.starts_with("text/csv")));
        assert!(h
            .iter()
            .any(|(k, v)| k == "content-disposition" && v.contains("attachment")));
        let csv = String::from_utf8(b).unwrap();
        assert!(
            csv.starts_with(
                "\u{feff}受付番号,氏名,会社・団体名,メールアドレス,都道府県,状況,申込日時\r\n"
            ),
            "{csv}"
        );
        assert!(
            csv.contains(&format!(
                "{yamada},山田 太郎,株式会社テレワーク商事,yamada@example.jp,東京都,出席,"
            )),
            "{csv}"
        );
        assert!(
            csv.contains("'=HYPERLINK") && csv.contains("キャンセル待ち"),
            "{csv}"
        );
        assert_eq!(csv.lines().count(), 3);

        // Materials: a PDF is taken; other types, a mismatch and a file too large are refused.
        let csrf = w.advisor.csrf.clone().unwrap();
        let pdf = b"%PDF-1.4 telework case studies".to_vec();
        let (s, html, loc) = upload(
            &w.advisor,
            id,
            "テレワーク導入事例集",
            "事例集.pdf",
            "application/pdf",
            &pdf,
            &csrf,
        );
        assert_eq!(s, 303, "{html}");
        assert!(loc.unwrap().contains("done=uploaded"));
        for (name, ty, bytes, status, message) in [
            (
                "a.exe",
                "application/octet-stream",
                b"MZ\x90\x00".to_vec(),
                415,
                "PDF・PNG・JPEG のファイルにしてください",
            ),
            (
                "a.pdf",
                "application/pdf",
                b"\x89PNG\r\n\x1a\n....".to_vec(),
                415,
                "ファイルの中身が種類と合いません",
            ),
            (
                "a.pdf",
                "application/pdf",
                Vec::new(),
                422,
                "ファイルを選んでください",
            ),
            (
                "big.pdf",
                "application/pdf",
                [b"%PDF-".to_vec(), vec![b'x'; 10 * 1024 * 1024]].concat(),
                413,
                "ファイルが大きすぎます",
            ),
        ] {
            let (s, html, _) = upload(&w.advisor, id, "資料", name, ty, &bytes, &csrf);
            assert_eq!(s, status, "{name}: {html}");
            assert!(html.contains(message), "{name}: {html}");
        }
        let (s, html, _) = upload(&w.advisor, id, "", "b.pdf", "application/pdf", &pdf, &csrf);
        assert_eq!(s, 422);
        assert!(html.contains("資料の名称を入力してください"), "{html}");
        let (s, _, _) = upload(
            &w.advisor,
            id,
            "資料",
            "b.pdf",
            "application/pdf",
            &pdf,
            "wrong",
        );
        assert_eq!(s, 403);
        let (s, _, _) = upload(
            &w.judge,
            id,
            "資料",
            "b.pdf",
            "application/pdf",
            &pdf,
            &w.judge.csrf.clone().unwrap(),
        );
        assert_eq!(s, 403);
        let materials = {
            let (rt, s) = store(&db);
            rt.block_on(s.materials(josei_store::EventId::from(id)))
                .unwrap()
        };
        assert_eq!(materials.len(), 1);
        let n = materials[0].id;
        // Anyone downloads it from the public page.
        let (_, html) = page_of(&anon, &format!("/events/{id}"));
        assert!(
            html.contains("テレワーク導入事例集")
                && html.contains(&format!("/events/{id}/materials/{n}"))
        );
        let (s, h, b) = anon.raw("GET", &format!("/events/{id}/materials/{n}"), None, b"");
        assert_eq!(s, 200);
        assert_eq!(b, pdf);
        assert!(h
            .iter()
            .any(|(k, v)| k == "content-type" && v == "application/pdf"));
        assert!(h
            .iter()
            .any(|(k, v)| k == "content-disposition" && v.contains("attachment")));
        // Not through another event's address.
        assert_eq!(
            anon.raw("GET", &format!("/events/{other}/materials/{n}"), None, b"")
                .0,
            404
        );
        // Removed: gone.
        let (s, _, _) = post_staff(
            &w.officer,
            &format!("/events/manage/{id}/materials/{n}/remove"),
            &[],
        );
        assert_eq!(s, 403);
        let (s, _, _) = post_staff(
            &w.advisor,
            &format!("/events/manage/{id}/materials/{n}/remove"),
            &[],
        );
        assert_eq!(s, 303);
        assert_eq!(
            anon.raw("GET", &format!("/events/{id}/materials/{n}"), None, b"")
                .0,
            404
        );

        // Bad event fields: the field named, nothing changed.
        for (field, value, message) in [
            ("title", "", "名称を入力してください"),
            ("end", "13:00", "終了時刻は開始時刻より後にしてください"),
            ("capacity", "0", "定員は1〜10000の整数"),
            ("date", "2026-13-01", "開催日は 2026-12-01 のように"),
            (
                "deadline",
                "2026-07-11",
                "申込締切日は開催日までの日にしてください",
            ),
            ("format", "on_site", "会場の名称と所在地を入力してください"),
            ("kind", "party", "種類を選んでください"),
            ("prefecture", "48", "都道府県を一覧から選んでください"),
        ] {
            let mut fields =
                event_fields("テレワーク導入セミナー", "2026-07-10", "2026-07-08", "2");
            for f in fields.iter_mut() {
                if f.0 == field {
                    f.1 = value;
                }
            }
            let (s, html, _) = post_staff(&w.advisor, &format!("/events/manage/{id}"), &fields);
            assert_eq!(s, 422, "{field}: {html}");
            // On site without a venue: the venue is what is missing.
            let at = if field == "format" { "venue" } else { field };
            assert!(
                html.contains(message) && html.contains(&format!("href=\"#{at}\"")),
                "{field}: {html}"
            );
        }
        // Cannot be unpublished with registrants; cancelled with a confirmation only.
        let status = format!("/events/manage/{id}/status");
        let (s, html, _) = post_staff(&w.advisor, &status, &[("to", "unpublish")]);
        assert_eq!(s, 409);
        assert!(html.contains("申込みのあるセミナー・個別相談会は非公開にできません"));
        let (s, html, _) = post_staff(&w.advisor, &status, &[("to", "cancel")]);
        assert_eq!(s, 409);
        assert!(html.contains("チェックを入れてください"));
        let before = outbox(&db).len();
        let (s, _, loc) = post_staff(&w.advisor, &status, &[("to", "cancel"), ("confirm", "yes")]);
        assert_eq!(s, 303);
        assert!(loc.unwrap().contains("done=cancelled"));
        // The waiting one is told too; the one who attended is not.
        let mails = outbox(&db);
        let told: Vec<_> = mails[before..].iter().collect();
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(told[0].to_address, "suzuki@example.jp");
        assert!(told[0].subject.contains("開催中止") && told[0].link_path.is_none());
        let (_, html) = page_of(&anon, &format!("/events/{id}"));
        assert!(html.contains("中止になりました") && !html.contains("form_token"));
        let (s, html) = {
            let (s, _, b) = anon.raw(
                "POST",
                &format!("/events/{id}"),
                Some("application/x-www-form-urlencoded"),
                b"name=a",
            );
            (s, String::from_utf8_lossy(&b).into_owned())
        };
        assert!(s == 403 || s == 409, "{s}: {html}");
        let (s, _, _) = post_staff(&w.advisor, &status, &[("to", "cancel"), ("confirm", "yes")]);
        assert_eq!(s, 409);
        let actions = audit_actions(&db, id);
        for a in [
            "event.attendance",
            "event.material_add",
            "event.material_remove",
            "event.cancel",
        ] {
            assert!(actions.iter().any(|x| x == a), "{a}: {actions:?}");
        }
    }
}

fn no_overflow(b: &browser::Browser, what: &str) {
    let wide = b.script(
        "return document.documentElement.scrollWidth > window.innerWidth \
         ? [document.documentElement.scrollWidth, window.innerWidth] : null;",
    );
    assert!(wide.is_null(), "{what} overflows: {wide}");
}

#[test]
fn a_person_registers_in_a_browser_gets_the_mail_and_cancels_from_its_link() {
    require_browser();
    let db = backends().remove(0);
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
    set_clock(&mut w.admin, "2026-06-01");
    let base = w.server.base.clone();
    let id = published_event(
        &w.advisor,
        "テレワーク導入セミナー（企業の皆さま向け）",
        "20",
    );
    let pdf = b"%PDF-1.4 telework case studies".to_vec();
    let csrf = w.advisor.csrf.clone().unwrap();
    assert_eq!(
        upload(
            &w.advisor,
            id,
            "テレワーク導入事例集",
            "事例集.pdf",
            "application/pdf",
            &pdf,
            &csrf
        )
        .0,
        303
    );
    for (width, height) in [(1366u32, 900u32), (390, 844)] {
        let b = if width < 500 {
            browser::Browser::start_phone(width, height)
        } else {
            browser::Browser::start(width, height)
        };
        b.go(&format!("{base}/events"));
        let t = b.text();
        assert!(
            t.contains("これからのセミナー・個別相談会") && t.contains("テレワーク導入セミナー"),
            "{t}"
        );
        no_overflow(&b, "/events");
        b.screenshot(&format!("events-list-{width}"));
        b.submit(&format!("a[href='/events/{id}']"));
        assert!(b.text().contains("テレワーク導入事例集"));
        // Empty: the summary names the field, nothing sent.
        b.submit("form.event-register button[type=submit]");
        let t = b.text();
        assert!(
            t.contains("お申込みを受け付けられませんでした")
                && t.contains("お名前を入力してください"),
            "{t}"
        );
        no_overflow(&b, "the refused form");
        b.screenshot(&format!("events-error-{width}"));
        let email = format!("person{width}@example.jp");
        b.fill("#name", "山田 太郎");
        b.fill("#company", "株式会社テレワーク商事");
        b.fill("#email", &email);
        b.script("document.querySelector('#prefecture').value = '13'; return null;");
        no_overflow(&b, "/events/{id}");
        b.screenshot(&format!("events-detail-{width}"));
        b.submit("form.event-register button[type=submit]");
        let t = b.text();
        assert!(
            t.contains("お申込みを受け付けました") && t.contains(&email),
            "{t}"
        );
        no_overflow(&b, "the confirmation");
        b.screenshot(&format!("events-registered-{width}"));
        // The mail arrives at the SMTP server, with the link.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let mail = loop {
            let mails = smtp.mails();
            if let Some(m) = mails.iter().find(|m| m.to.contains(&email)) {
                break m.clone();
            }
            assert!(
                std::time::Instant::now() < deadline,
                "a mail to {email}: {mails:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        };
        assert!(
            mail.subject.contains("お申込みを受け付けました"),
            "{mail:?}"
        );
        assert!(
            mail.body.contains("山田 太郎 様") && mail.body.contains("テレワーク導入セミナー"),
            "{mail:?}"
        );
        for word in [
            "event_registration",
            "seminar",
            "managers",
            "online",
            "ログインが必要",
            "null",
        ] {
            assert!(!mail.body.contains(word), "{word} in {}", mail.body);
        }
        let at = mail
            .body
            .find("http://josei.test/events/cancel/")
            .expect("the link");
        let link = mail.body[at..]
            .split_whitespace()
            .next()
            .unwrap()
            .trim_start_matches("http://josei.test");
        // Sent: the outbox no longer holds the link.
        let sent = outbox(&db);
        assert!(sent
            .iter()
            .filter(|m| m.to_address == email)
            .all(|m| m.link_path.is_none()));
        b.go(&format!("{base}{link}"));
        let t = b.text();
        assert!(
            t.contains("山田 太郎 様の次のお申込み（申込済み）を取り消します"),
            "{t}"
        );
        no_overflow(&b, "the cancel page");
        b.screenshot(&format!("events-cancel-{width}"));
        b.submit("main form button[type=submit]");
        assert!(b.text().contains("お申込みを取り消しました"));
        no_overflow(&b, "cancelled");
        b.screenshot(&format!("events-cancelled-{width}"));
        // The link is spent.
        b.go(&format!("{base}{link}"));
        assert!(b.text().contains("すでに取り消されています"));

        // Others register over HTTP; one of them attends.
        let anon = w.server.client();
        for (name, email) in [
            ("佐藤 花子", format!("sato{width}@example.jp")),
            ("鈴木 一郎", format!("suzuki{width}@example.jp")),
        ] {
            assert_eq!(register(&anon, id, name, &email).0, 200);
        }
        let regs = {
            let (rt, s) = store(&db);
            rt.block_on(s.registrations(josei_store::EventId::from(id)))
                .unwrap()
        };
        let sato = regs
            .iter()
            .rev()
            .find(|r| r.name == "佐藤 花子")
            .unwrap()
            .id
            .to_string();
        let (s, _, _) = post_staff(
            &w.advisor,
            &format!("/events/manage/{id}/attendance"),
            &[("registration", &sato), ("attended", "yes")],
        );
        assert_eq!(s, 303);

        // The advisor's pages.
        web_login(&b, &base, "advisor", PASSWORD);
        b.go(&format!("{base}/events/manage"));
        assert!(b.text().contains("テレワーク導入セミナー"));
        no_overflow(&b, "/events/manage");
        b.screenshot(&format!("events-manage-{width}"));
        b.go(&format!("{base}/events/manage/{id}"));
        let t = b.text();
        assert!(
            t.contains("山田 太郎") && t.contains("取消") && t.contains("テレワーク導入事例集"),
            "{t}"
        );
        for word in ["registered", "cancelled", "seminar", "on_site", "null"] {
            assert!(!t.contains(word), "{word} on the staff page");
        }
        no_overflow(&b, "/events/manage/{id}");
        b.screenshot(&format!("events-manage-event-{width}"));
        b.script("document.querySelector('#registrants').scrollIntoView(); return null;");
        b.screenshot(&format!("events-manage-registrants-{width}"));
        b.script("document.querySelector('#edit').scrollIntoView(); return null;");
        b.screenshot(&format!("events-manage-edit-{width}"));
        web_logout(&b);
    }
    drop(w.server);
}

#[test]
fn registrations_at_once_never_take_more_seats_than_there_are() {
    for db in backends() {
        let mut w = world(&db);
        set_clock(&mut w.admin, "2026-06-01");
        let id = published_event(&w.advisor, "テレワーク導入セミナー", "3");
        let anon = w.server.client();
        // The form tokens first, then every post at once.
        let posts: Vec<(Client, Vec<u8>)> = (0..10)
            .map(|i| {
                let (token, cookie) = form_token(&anon, id);
                let mut c = anon.clone();
                c.cookie = Some(cookie);
                let body = form_urlencoded(&[
                    ("form_token", &token),
                    ("name", &format!("参加者{i}")),
                    ("email", &format!("p{i}@example.jp")),
                ]);
                (c, body)
            })
            .collect();
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let handles: Vec<_> = posts
                .iter()
                .map(|(c, body)| {
                    s.spawn(move || {
                        c.raw(
                            "POST",
                            &format!("/events/{id}"),
                            Some("application/x-www-form-urlencoded"),
                            body,
                        )
                        .0
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
        let regs = {
            let (rt, s) = store(&db);
            rt.block_on(s.registrations(josei_store::EventId::from(id)))
                .unwrap()
        };
        let seated = regs
            .iter()
            .filter(|r| r.status == josei_store::RegistrationStatus::Registered)
            .count();
        let waiting = regs
            .iter()
            .filter(|r| r.status == josei_store::RegistrationStatus::Waiting)
            .count();
        assert_eq!((seated, waiting), (3, 7), "{regs:?}");
        // The first three in the order stored have the seats.
        assert!(regs[..3]
            .iter()
            .all(|r| r.status == josei_store::RegistrationStatus::Registered));
        assert_eq!(outbox(&db).len(), 10);
    }
}
