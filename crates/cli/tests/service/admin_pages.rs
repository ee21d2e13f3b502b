//! The administrators' pages (`/admin`): refused to every other role;
//! users created for each role (bad input refused with the field named,
//! nothing stored), disabled (signed out at once, sign-in refused), sent a
//! password link by e-mail through a real SMTP server and that link
//! followed (once, within 24 hours); organisations and delegations (the
//! 社会保険労務士 sees the employer's cases only while delegated); the bureau
//! directory; the rules in force with the correction file's hash (the real
//! binary with `--regimes`); and in Chromium at 1366 and 390 px.

use super::mail::SmtpServer;
use super::*;

/// A form body with the client's CSRF token (none when `csrf` is false).
fn form_body(c: &Client, fields: &[(&str, &str)], csrf: bool) -> Vec<u8> {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let token = c.csrf.clone().unwrap_or_default();
    let mut all: Vec<(&str, &str)> = Vec::new();
    if csrf {
        all.push(("csrf", &token));
    }
    all.extend_from_slice(fields);
    all.iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

/// Posts a page's form: status, page and where it redirects.
fn post_form(c: &Client, path: &str, fields: &[(&str, &str)]) -> (u16, String, Option<String>) {
    post_form_with(c, path, fields, true)
}

fn post_form_with(
    c: &Client,
    path: &str,
    fields: &[(&str, &str)],
    csrf: bool,
) -> (u16, String, Option<String>) {
    let (s, headers, body) = c.raw(
        "POST",
        path,
        Some("application/x-www-form-urlencoded"),
        &form_body(c, fields, csrf),
    );
    let location = headers
        .iter()
        .find(|(k, _)| k == "location")
        .map(|(_, v)| v.clone());
    (s, String::from_utf8_lossy(&body).into_owned(), location)
}

/// The page at `path`: status and text.
fn page_of(c: &mut Client, path: &str) -> (u16, String) {
    let (s, body) = c.get_raw(path);
    (s, String::from_utf8_lossy(&body).into_owned())
}

/// The id of the user `name`, from the admin's list.
fn user_id(admin: &mut Client, name: &str) -> i64 {
    let (s, html) = page_of(admin, &format!("/admin/users?q={name}"));
    assert_eq!(s, 200);
    let needle = format!("\">{name}</a>");
    let at = html
        .find(&needle)
        .unwrap_or_else(|| panic!("{name} listed: {html}"));
    let start = html[..at].rfind("/admin/users/").unwrap() + "/admin/users/".len();
    html[start..at].parse().unwrap()
}

/// The id at the end of a redirect to `/admin/<area>/{id}?…`.
fn id_in(location: &str) -> i64 {
    let path = location.split(['?', '#']).next().unwrap();
    path.rsplit('/').next().unwrap().parse().unwrap()
}

/// Runs SQL on the test database directly (as an operator would).
fn sql(db: &TestDb, statement: &str) {
    let url = if db.is_sqlite() {
        format!("sqlite://{}", db.url)
    } else {
        db.url.clone()
    };
    let statement = statement.to_string();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async move {
            use sqlx::Connection;
            sqlx::any::install_default_drivers();
            let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
            sqlx::query(&statement).execute(&mut conn).await.unwrap();
        });
}

/// Every admin page the tests visit, with the ids of the world's records.
fn admin_paths(w: &mut World) -> Vec<String> {
    let emp = user_id(&mut w.admin, "emp");
    vec![
        "/admin".into(),
        "/admin/users".into(),
        "/admin/users?role=officer&status=enabled".into(),
        "/admin/users/new".into(),
        format!("/admin/users/{emp}"),
        "/admin/organizations".into(),
        "/admin/organizations/new".into(),
        format!("/admin/organizations/{}", w.org_id),
        "/admin/bureaus".into(),
        "/admin/bureaus/36".into(),
        "/admin/rules".into(),
    ]
}

#[test]
fn admin_pages_answer_403_to_everyone_but_administrators() {
    for db in backends() {
        let mut w = world(&db);
        let paths = admin_paths(&mut w);
        for p in &paths {
            let (s, html) = page_of(&mut w.admin, p);
            assert_eq!(s, 200, "{p}: {html}");
            for word in ["ケース", "版", "null", "None"] {
                assert!(!html.contains(word), "{word} on {p}");
            }
        }
        let emp = user_id(&mut w.admin, "emp");
        for (who, c) in [
            ("employer", &mut w.employer),
            ("agent", &mut w.agent),
            ("officer", &mut w.officer),
        ] {
            for p in &paths {
                let (s, html) = page_of(c, p);
                assert_eq!(s, 403, "{who} {p}");
                assert!(
                    html.contains("権限がありません") && html.contains("管理者だけが使えます"),
                    "{who} {p}: {html}"
                );
            }
            // Writes too, and nothing changes.
            for (path, fields) in [
                (
                    "/admin/users".to_string(),
                    vec![
                        ("username", "intruder"),
                        ("role", "admin"),
                        ("password", "intruder-password-1234"),
                    ],
                ),
                (format!("/admin/users/{emp}/disable"), vec![]),
                (
                    "/admin/bureaus/13".to_string(),
                    vec![("phone", "03-1111-2222")],
                ),
            ] {
                let (s, _, _) = post_form(c, &path, &fields);
                assert_eq!(s, 403, "{who} POST {path}");
            }
            // Only administrators have 管理 in the header.
            let (_, html) = page_of(c, "/notifications");
            assert!(!html.contains("href=\"/admin\""), "{who}");
        }
        let (_, html) = page_of(&mut w.admin, "/notifications");
        assert!(html.contains("<a href=\"/admin\">管理</a>"), "{html}");
        assert!(!page_of(&mut w.admin, "/admin/users")
            .1
            .contains(">intruder<"));
        assert!(page_of(&mut w.admin, &format!("/admin/users/{emp}"))
            .1
            .contains("有効"));
        let (_, b) = w.admin.get("/api/v1/bureaus/13");
        assert_eq!(b["phone"], "", "{b}");
        // Signed out: to the login page.
        let (s, _) = w.server.client().get_raw("/admin");
        assert_eq!(s, 303);
    }
}

#[test]
fn users_are_created_for_each_role_and_bad_input_is_refused() {
    for db in backends() {
        let mut w = world(&db);
        let org = w.org_id.to_string();
        // One of each role from the form, each with its own fields.
        for (name, role, extra) in [
            (
                "hanako",
                "employer",
                vec![("organization_id", org.as_str())],
            ),
            (
                "sr-suzuki",
                "agent",
                vec![
                    ("registration_number", "１３０１２３４５"),
                    ("office_name", "すずき社労士事務所"),
                ],
            ),
            ("kanagawa1", "officer", vec![("prefecture", "14")]),
            ("admin2", "admin", vec![]),
        ] {
            let mut fields = vec![
                ("username", name),
                ("display_name", "山田 花子"),
                ("role", role),
                ("email", ""),
                ("password", "initial-password-2026"),
            ];
            fields.extend(extra);
            let (s, html, to) = post_form(&w.admin, "/admin/users", &fields);
            assert_eq!(s, 303, "{name}: {html}");
            let to = to.unwrap();
            assert!(to.ends_with("?done=created"), "{to}");
            let (s, html) = page_of(&mut w.admin, &to);
            assert_eq!(s, 200);
            assert!(html.contains("利用者を追加しました"), "{html}");
            let mut c = w.server.client();
            c.login(name, "initial-password-2026");
            let (_, me) = c.get("/api/v1/me");
            assert_eq!(me["role"], role, "{me}");
        }
        let (_, me) = {
            let mut c = w.server.client();
            c.login("kanagawa1", "initial-password-2026");
            c.get("/api/v1/me")
        };
        assert_eq!(me["prefecture"], 14);
        let (_, me) = {
            let mut c = w.server.client();
            c.login("sr-suzuki", "initial-password-2026");
            c.get("/api/v1/me")
        };
        assert_eq!(me["registration_number"], "13012345", "{me}");

        // The list: roles in Japanese, searched and filtered.
        let (_, html) = page_of(&mut w.admin, "/admin/users?q=%E5%B1%B1%E7%94%B0");
        for name in ["hanako", "sr-suzuki", "kanagawa1", "admin2"] {
            assert!(html.contains(&format!(">{name}</a>")), "{name}: {html}");
        }
        assert!(!html.contains(">emp</a>"));
        assert!(html.contains("労働局職員") && html.contains("社会保険労務士"));
        assert!(html.contains("神奈川労働局") && html.contains("すずき社労士事務所"));
        let (_, html) = page_of(&mut w.admin, "/admin/users?role=officer");
        assert!(html.contains(">kanagawa1</a>") && html.contains(">tokyo</a>"));
        assert!(!html.contains(">hanako</a>"), "{html}");
        for word in ["officer", "employer", "agent\"<"] {
            assert!(!html.contains(&format!(">{word}<")), "{word}");
        }

        let count = |admin: &mut Client| {
            let (_, html) = page_of(admin, "/admin/users");
            html.matches("<a href=\"/admin/users/").count()
                - html.matches("/admin/users/new").count()
        };
        let before = count(&mut w.admin);
        // An officer without a prefecture: refused, the field named, what was typed kept.
        let (s, html, _) = post_form(
            &w.admin,
            "/admin/users",
            &[
                ("username", "nopref"),
                ("display_name", "県なし 職員"),
                ("role", "officer"),
                ("prefecture", ""),
                ("password", "initial-password-2026"),
            ],
        );
        assert_eq!(s, 422, "{html}");
        assert!(html.contains("class=\"errors error-summary\""), "{html}");
        assert!(html.contains("担当する都道府県を選んでください"), "{html}");
        assert!(html.contains("href=\"#prefecture\""));
        assert!(
            html.contains("id=\"prefecture\" name=\"prefecture\" aria-invalid=\"true\""),
            "{html}"
        );
        assert!(html.contains("value=\"nopref\"") && html.contains("value=\"県なし 職員\""));
        // A prefecture for an employer, an organisation for an agent: refused.
        let (s, html, _) = post_form(
            &w.admin,
            "/admin/users",
            &[
                ("username", "emp-pref"),
                ("role", "employer"),
                ("organization_id", &org),
                ("prefecture", "13"),
                ("password", "initial-password-2026"),
            ],
        );
        assert_eq!(s, 422);
        assert!(html.contains("労働局職員のときだけ"), "{html}");
        let (s, html, _) = post_form(
            &w.admin,
            "/admin/users",
            &[
                ("username", "emp-noorg"),
                ("role", "employer"),
                ("password", "initial-password-2026"),
            ],
        );
        assert_eq!(s, 422);
        assert!(html.contains("事業主（組織）を選んでください"), "{html}");
        assert!(
            !html.contains("organization_id が"),
            "no field names in words"
        );
        // A duplicate login name.
        let (s, html, _) = post_form(
            &w.admin,
            "/admin/users",
            &[
                ("username", "emp"),
                ("role", "agent"),
                ("password", "initial-password-2026"),
            ],
        );
        assert_eq!(s, 409, "{html}");
        assert!(
            html.contains("ユーザー名 emp は既に使われています"),
            "{html}"
        );
        assert!(html.contains("href=\"#username\""));
        // Neither a password nor an address: nowhere to send the link.
        let (s, html, _) = post_form(
            &w.admin,
            "/admin/users",
            &[("username", "nomail"), ("role", "agent"), ("password", "")],
        );
        assert_eq!(s, 422);
        assert!(
            html.contains("パスワード設定のご案内を送るメールアドレス"),
            "{html}"
        );
        assert!(html.contains("id=\"email\" type=\"email\" name=\"email\" value=\"\" autocomplete=\"off\" aria-invalid=\"true\""), "{html}");
        // A short password.
        let (s, html, _) = post_form(
            &w.admin,
            "/admin/users",
            &[
                ("username", "shortpw"),
                ("role", "agent"),
                ("password", "short"),
            ],
        );
        assert_eq!(s, 422);
        assert!(html.contains("12文字以上"), "{html}");
        // No CSRF token: refused, nothing stored.
        let (s, html, _) = post_form_with(
            &w.admin,
            "/admin/users",
            &[
                ("username", "nocsrf"),
                ("role", "agent"),
                ("password", "initial-password-2026"),
            ],
            false,
        );
        assert_eq!(s, 403, "{html}");
        assert_eq!(count(&mut w.admin), before, "nothing was stored");

        // Editing: the officer moves to Osaka; the role and prefecture checked
        // again, and the session opened with the old prefecture ends.
        let id = user_id(&mut w.admin, "kanagawa1");
        let mut before_move = w.server.client();
        before_move.login("kanagawa1", "initial-password-2026");
        let (s, html, _) = post_form(
            &w.admin,
            &format!("/admin/users/{id}"),
            &[
                ("display_name", "大阪 職員"),
                ("role", "officer"),
                ("prefecture", ""),
                ("email", "osaka2@example.jp"),
            ],
        );
        assert_eq!(s, 422);
        assert!(
            html.contains("aria-invalid=\"true\"") && html.contains("value=\"osaka2@example.jp\"")
        );
        let (s, _, to) = post_form(
            &w.admin,
            &format!("/admin/users/{id}"),
            &[
                ("display_name", "大阪 職員"),
                ("role", "officer"),
                ("prefecture", "27"),
                ("email", "osaka2@example.jp"),
            ],
        );
        assert_eq!(s, 303);
        assert!(to.unwrap().ends_with("done=saved"));
        assert_eq!(before_move.get("/api/v1/me").0, 401, "signed out");
        let mut c = w.server.client();
        c.login("kanagawa1", "initial-password-2026");
        let (_, me) = c.get("/api/v1/me");
        assert_eq!(
            (me["prefecture"].as_i64(), me["email"].as_str()),
            (Some(27), Some("osaka2@example.jp"))
        );
        // An administrator cannot take away their own role.
        let me_id = user_id(&mut w.admin, "admin");
        let (s, html, _) = post_form(
            &w.admin,
            &format!("/admin/users/{me_id}"),
            &[("display_name", "管理者"), ("role", "agent")],
        );
        assert_eq!(s, 422);
        assert!(html.contains("自分自身の役割は変更できません"), "{html}");
    }
}

#[test]
fn a_disabled_user_cannot_sign_in_and_is_signed_out_at_once() {
    for db in backends() {
        let mut w = world(&db);
        let (s, t) = w.employer.post("/api/v1/tokens", &json!({"name": "連携"}));
        assert_eq!(s, 201, "{t}");
        let mut bearer = w.server.client();
        bearer.bearer = Some(t["token"].as_str().unwrap().to_string());
        assert_eq!(bearer.get("/api/v1/me").0, 200);
        assert_eq!(w.employer.get_raw("/cases").0, 200);

        let id = user_id(&mut w.admin, "emp");
        let (s, _, to) = post_form(&w.admin, &format!("/admin/users/{id}/disable"), &[]);
        assert_eq!(s, 303);
        let (_, html) = page_of(&mut w.admin, &to.unwrap());
        assert!(
            html.contains("利用者を無効にしました") && html.contains("無効（ログインできません）")
        );
        // The session in use ends, the API token with it; signing in is refused.
        assert_eq!(w.employer.get("/api/v1/me").0, 401);
        assert_eq!(w.employer.get_raw("/cases").0, 303, "to the login page");
        assert_eq!(bearer.get("/api/v1/me").0, 401);
        let (s, _) = w.server.client().post(
            "/api/v1/login",
            &json!({"username": "emp", "password": PASSWORD}),
        );
        assert_eq!(s, 401);
        let (s, _) = web_login_post(&w.server.client(), "emp", PASSWORD, "/cases");
        assert_ne!(s, 303, "the login page refuses");
        // In the list: 無効, and the filter finds it.
        let (_, html) = page_of(&mut w.admin, "/admin/users?status=disabled");
        assert!(
            html.contains(">emp</a>") && !html.contains(">agent</a>"),
            "{html}"
        );

        // An administrator cannot disable themself.
        let me = user_id(&mut w.admin, "admin");
        let (s, html, _) = post_form(&w.admin, &format!("/admin/users/{me}/disable"), &[]);
        assert_eq!(s, 409, "{html}");
        assert!(html.contains("自分自身のアカウントは無効にできません"));
        assert_eq!(w.admin.get("/api/v1/me").0, 200);

        // Enabled again: signing in works; the old token stays revoked.
        let (s, _, _) = post_form(&w.admin, &format!("/admin/users/{id}/enable"), &[]);
        assert_eq!(s, 303);
        let mut again = w.server.client();
        again.login("emp", PASSWORD);
        assert_eq!(bearer.get("/api/v1/me").0, 401);
    }
}

/// The link of a password mail.
fn link_in(body: &str) -> String {
    let at = body
        .find("http://josei.test/password-reset/")
        .unwrap_or_else(|| panic!("a link in {body}"));
    body[at..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_start_matches("http://josei.test")
        .to_string()
}

fn send_mail(db: &TestDb, smtp: &SmtpServer) {
    let out = cli(
        db,
        &[
            "remind",
            "--smtp",
            &smtp.url(),
            "--as-of",
            "2022-06-01",
            "--public-url",
            "http://josei.test/",
            "--mail-from",
            "josei@example.jp",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_password_link_by_email_sets_a_new_password_once_within_a_day() {
    for db in backends() {
        let smtp = SmtpServer::start(&dir(&db).join("maildir"));
        let mut w = world(&db);
        let id = user_id(&mut w.admin, "agent");
        // No address yet: the link cannot be sent, and the page says why.
        let (s, html, _) = post_form(&w.admin, &format!("/admin/users/{id}/password-link"), &[]);
        assert_eq!(s, 422, "{html}");
        assert!(
            html.contains("メールアドレスが登録されていないため"),
            "{html}"
        );
        let (s, _, _) = post_form(
            &w.admin,
            &format!("/admin/users/{id}"),
            &[
                ("display_name", "社労士 一郎"),
                ("role", "agent"),
                ("email", "agent@example.jp"),
            ],
        );
        assert_eq!(s, 303);
        let (s, _, to) = post_form(&w.admin, &format!("/admin/users/{id}/password-link"), &[]);
        assert_eq!(s, 303);
        let (_, html) = page_of(&mut w.admin, &to.unwrap());
        assert!(
            html.contains("パスワード再設定のご案内をメールで送りました"),
            "{html}"
        );
        assert!(
            !html.contains("/password-reset/"),
            "the admin never sees the link"
        );

        send_mail(&db, &smtp);
        let mails = smtp.wait_for(1, 10);
        assert_eq!(mails.len(), 1);
        let m = &mails[0];
        assert_eq!(m.to, "agent@example.jp");
        assert!(
            m.subject.contains("パスワード再設定のご案内"),
            "{}",
            m.subject
        );
        assert!(
            m.body.contains("社労士 一郎 様") && m.body.contains("ユーザー名：agent"),
            "{}",
            m.body
        );
        assert!(m.body.contains("24時間有効"));
        assert!(!m.body.contains("ログインが必要"), "{}", m.body);
        let link = link_in(&m.body);
        let token = link.rsplit('/').next().unwrap().to_string();
        assert_eq!(token.len(), 64);

        // The page behind the link: the account, and the password rules.
        let mut guest = w.server.client();
        let (s, html) = page_of(&mut guest, &link);
        assert_eq!(s, 200, "{html}");
        assert!(html.contains("パスワードの設定") && html.contains("<strong>agent</strong>"));
        let (_, headers, _) = guest.raw("GET", &link, None, b"");
        assert!(
            headers
                .iter()
                .any(|(k, v)| k == "cache-control" && v == "no-store"),
            "a page with a secret address is not cached: {headers:?}"
        );
        let (s, html, _) = post_form_with(
            &guest,
            &link,
            &[
                ("new_password", "brand-new-password-1"),
                ("new_password_again", "something-else-22"),
            ],
            false,
        );
        assert_eq!(s, 422);
        assert!(html.contains("一致しません") && html.contains("href=\"#new_password_again\""));
        let (s, html, _) = post_form_with(
            &guest,
            &link,
            &[("new_password", "short"), ("new_password_again", "short")],
            false,
        );
        assert_eq!(s, 422);
        assert!(html.contains("12文字以上"), "{html}");
        // Still the old password until it is set.
        w.server.client().login("agent", PASSWORD);
        let (s, html, _) = post_form_with(
            &guest,
            &link,
            &[
                ("new_password", "brand-new-password-1"),
                ("new_password_again", "brand-new-password-1"),
            ],
            false,
        );
        assert_eq!(s, 200, "{html}");
        assert!(html.contains("パスワードを設定しました"));
        // Signed in elsewhere: signed out. The new password works, the old does not.
        assert_eq!(w.agent.get("/api/v1/me").0, 401);
        let mut c = w.server.client();
        c.login("agent", "brand-new-password-1");
        let (s, _) = w.server.client().post(
            "/api/v1/login",
            &json!({"username": "agent", "password": PASSWORD}),
        );
        assert_eq!(s, 401);
        // The link is spent.
        let (s, html) = page_of(&mut guest, &link);
        assert_eq!(s, 409);
        assert!(html.contains("使用済み"), "{html}");
        let (s, html, _) = post_form_with(
            &guest,
            &link,
            &[
                ("new_password", "another-password-333"),
                ("new_password_again", "another-password-333"),
            ],
            false,
        );
        assert_eq!(s, 409);
        assert!(html.contains("使用済み"));
        c.login("agent", "brand-new-password-1");
        // A link that was never sent, or cut short.
        assert_eq!(
            page_of(&mut guest, &format!("/password-reset/{}", "0".repeat(64))).0,
            409
        );
        assert_eq!(page_of(&mut guest, "/password-reset/abc").0, 409);

        // A second link, expired (set back in the database): a clear refusal.
        let (s, _, _) = post_form(&w.admin, &format!("/admin/users/{id}/password-link"), &[]);
        assert_eq!(s, 303);
        send_mail(&db, &smtp);
        let mails = smtp.wait_for(2, 10);
        assert_eq!(mails.len(), 2);
        // The new mail's link (Maildir names do not promise the order of two
        // mails within one second).
        let links: Vec<String> = mails.iter().map(|m| link_in(&m.body)).collect();
        assert!(links.contains(&link), "{links:?}");
        let link2 = links
            .into_iter()
            .find(|l| *l != link)
            .expect("a second, different link");
        sql(
            &db,
            "UPDATE password_resets SET expires_at_ms = 0 WHERE used_at IS NULL",
        );
        let (s, html) = page_of(&mut guest, &link2);
        assert_eq!(s, 409);
        assert!(html.contains("有効期限（24時間）が過ぎています"), "{html}");

        // A new account without a password: the link to set one comes by mail.
        let (s, html, to) = post_form(
            &w.admin,
            "/admin/users",
            &[
                ("username", "new-officer"),
                ("display_name", "新任 職員"),
                ("role", "officer"),
                ("prefecture", "13"),
                ("email", "new-officer@example.jp"),
                ("password", ""),
            ],
        );
        assert_eq!(s, 303, "{html}");
        let (_, html) = page_of(&mut w.admin, &to.unwrap());
        assert!(
            html.contains("パスワード設定のご案内をメールで送りました"),
            "{html}"
        );
        send_mail(&db, &smtp);
        let mails = smtp.wait_for(3, 10);
        let m = mails
            .iter()
            .find(|m| m.to == "new-officer@example.jp")
            .expect("the new user's mail");
        assert!(
            m.subject.contains("アカウントのパスワード設定"),
            "{}",
            m.subject
        );
        let link3 = link_in(&m.body);
        let (s, _, _) = post_form_with(
            &guest,
            &link3,
            &[
                ("new_password", "officer-password-2026"),
                ("new_password_again", "officer-password-2026"),
            ],
            false,
        );
        assert_eq!(s, 200);
        let mut c = w.server.client();
        c.login("new-officer", "officer-password-2026");
        for m in smtp.mails() {
            for word in ["password_reset", "ケース", "None", "null"] {
                assert!(
                    !m.body.contains(word) && !m.subject.contains(word),
                    "{word}"
                );
            }
        }
    }
}

#[test]
fn organisations_and_delegations_from_the_pages() {
    for db in backends() {
        let mut w = world(&db);
        // Registering: each field checked, then stored.
        let (s, html, _) = post_form(
            &w.admin,
            "/admin/organizations",
            &[
                ("name", ""),
                ("prefecture", "36"),
                ("industry", "retail"),
                ("regular_employees", "12"),
            ],
        );
        assert_eq!(s, 422);
        assert!(html.contains("事業主の名称を入力してください") && html.contains("href=\"#name\""));
        let (s, html, _) = post_form(
            &w.admin,
            "/admin/organizations",
            &[
                ("name", "阿波商店"),
                ("prefecture", "36"),
                ("industry", "retail"),
                ("regular_employees", "十二"),
            ],
        );
        assert_eq!(s, 422);
        assert!(html.contains("常時雇用する労働者の数") && html.contains("value=\"阿波商店\""));
        let (s, html, to) = post_form(
            &w.admin,
            "/admin/organizations",
            &[
                ("name", "阿波商店"),
                ("prefecture", "36"),
                ("industry", "retail"),
                ("regular_employees", "１２"),
                ("capital_yen", "3,000,000"),
                ("employment_insurance", "1"),
            ],
        );
        assert_eq!(s, 303, "{html}");
        let new_org = id_in(&to.unwrap());
        let (_, orgs) = w.admin.get("/api/v1/organizations");
        let o = orgs
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == new_org)
            .unwrap()
            .clone();
        assert_eq!(o["prefecture"], 36);
        assert_eq!(o["employer"]["regular_employees"], 12);
        assert_eq!(o["employer"]["capital_yen"], 3_000_000);
        let (_, html) = page_of(&mut w.admin, "/admin/organizations?q=%E9%98%BF%E6%B3%A2");
        assert!(html.contains("阿波商店") && html.contains("徳島県") && html.contains("小売業"));
        assert!(html.contains("1件"), "{html}");
        // Editing.
        let (s, html, _) = post_form(
            &w.admin,
            &format!("/admin/organizations/{new_org}"),
            &[
                ("name", "阿波商店"),
                ("prefecture", "48"),
                ("industry", "retail"),
            ],
        );
        assert_eq!(s, 422, "{html}");
        assert!(html.contains("所在地の都道府県を選んでください"));
        let (s, _, _) = post_form(
            &w.admin,
            &format!("/admin/organizations/{new_org}"),
            &[
                ("name", "株式会社 阿波商店"),
                ("prefecture", "37"),
                ("industry", "service"),
            ],
        );
        assert_eq!(s, 303);
        let (_, html) = page_of(
            &mut w.admin,
            &format!("/admin/organizations/{new_org}?done=saved"),
        );
        assert!(html.contains("株式会社 阿波商店") && html.contains("変更を保存しました"));

        // Delegation: the agent sees the employer's case only while delegated.
        let (case, _) = new_case(&mut w);
        assert_eq!(w.agent.get(&format!("/api/v1/cases/{case}")).0, 404);
        let org_page = format!("/admin/organizations/{}", w.org_id);
        let grant = format!("{org_page}/delegations");
        let (s, html, _) = post_form(&w.admin, &grant, &[("agent", "nobody")]);
        assert_eq!(s, 422);
        assert!(
            html.contains("社労士のユーザー nobody はいません")
                && html.contains("value=\"nobody\"")
        );
        let (s, html, _) = post_form(&w.admin, &grant, &[("agent", "tokyo")]);
        assert_eq!(s, 422, "an officer is no 社労士: {html}");
        let (s, _, to) = post_form(&w.admin, &grant, &[("agent", "agent")]);
        assert_eq!(s, 303);
        let (_, html) = page_of(&mut w.admin, &to.unwrap());
        assert!(
            html.contains("委任を追加しました") && html.contains("委任中"),
            "{html}"
        );
        assert_eq!(w.agent.get(&format!("/api/v1/cases/{case}")).0, 200);
        let (s, html, _) = post_form(&w.admin, &grant, &[("agent", "agent")]);
        assert_eq!(s, 409);
        assert!(html.contains("既に委任しています"), "{html}");
        let (s, _, _) = post_form(
            &w.admin,
            &format!("{org_page}/delegations/revoke"),
            &[("agent", "agent")],
        );
        assert_eq!(s, 303);
        assert_eq!(w.agent.get(&format!("/api/v1/cases/{case}")).0, 404);
        let (_, html) = page_of(&mut w.admin, &org_page);
        assert!(
            html.contains("取消し（") && html.contains("委任中 0件"),
            "{html}"
        );
    }
}

#[test]
fn the_bureau_directory_is_edited_with_each_field_checked() {
    for db in backends() {
        let mut w = world(&db);
        let (_, html) = page_of(&mut w.admin, "/admin/bureaus");
        assert_eq!(html.matches("href=\"/admin/bureaus/").count(), 47);
        assert!(html.contains("088-652-2718") && html.contains("案内資料から"));
        assert!(html.contains("案内資料に載っていた 4 局"), "{html}");
        assert!(html.contains("<caption>"));
        let (s, html, _) = post_form(
            &w.admin,
            "/admin/bureaus/13",
            &[
                ("department", "雇用環境・均等部"),
                ("phone", "電話してください"),
                ("address", "東京都千代田区九段南1-2-1"),
                ("url", ""),
                ("source", "東京労働局のホームページ"),
            ],
        );
        assert_eq!(s, 422);
        assert!(html.contains("電話番号は") && html.contains("href=\"#phone\""));
        assert!(html.contains("id=\"phone\" type=\"tel\" name=\"phone\" value=\"電話してください\" autocomplete=\"off\" aria-invalid=\"true\""), "{html}");
        assert!(html.contains("value=\"東京都千代田区九段南1-2-1\""));
        let (_, b) = w.admin.get("/api/v1/bureaus/13");
        assert_eq!(b["address"], "", "nothing stored");
        let (s, _, to) = post_form(
            &w.admin,
            "/admin/bureaus/13",
            &[
                ("department", "雇用環境・均等部"),
                ("phone", "０３－３５１２－１６１１"),
                ("address", "東京都千代田区九段南1-2-1"),
                ("url", ""),
                ("source", "東京労働局のホームページ"),
            ],
        );
        assert_eq!(s, 303);
        assert!(page_of(&mut w.admin, &to.unwrap())
            .1
            .contains("問い合わせ先を保存しました"));
        let (_, b) = w.admin.get("/api/v1/bureaus/13");
        assert_eq!(b["phone"], "03-3512-1611");
        assert_eq!(b["source"], "東京労働局のホームページ");
        let (_, html) = page_of(&mut w.admin, "/admin/bureaus");
        assert!(html.contains("管理者が変更（"));
    }
}

#[test]
fn the_rules_page_shows_the_correction_files_hash_when_one_is_loaded() {
    use sha2::{Digest, Sha256};
    let db = backends().remove(0);
    // Without a correction file.
    {
        let mut w = world(&db);
        let (s, html) = page_of(&mut w.admin, "/admin/rules");
        assert_eq!(s, 200);
        assert!(html.contains("令和4年度") && html.contains("計画提出日"));
        assert!(
            html.contains("訂正ファイルは読み込まれていません"),
            "{html}"
        );
        assert!(!html.contains("SHA-256"));
    }
    let db = backends().remove(0);
    let overlay = dir(&db).join("corrections.toml");
    let text = "[regime.R6.values.goal_rate_percent]\nvalue = 20\ngrade = \"official\"\nsource = \"令和6年度 支給要領（訂正の試験）\"\n";
    std::fs::write(&overlay, text).unwrap();
    let hash: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut w = world_served(&db, &["--regimes", overlay.to_str().unwrap()]);
    let (s, html) = page_of(&mut w.admin, "/admin/rules");
    assert_eq!(s, 200);
    assert!(html.contains(&hash), "the hash {hash}: {html}");
    assert!(
        html.contains("令和6年度")
            && html.contains("目標達成助成の助成率")
            && html.contains("公式")
    );
    assert!(
        !html.contains("corrections.toml") && !html.contains(overlay.to_str().unwrap()),
        "no path"
    );
    assert!(!html.contains("goal_rate_percent") && !html.contains("official"));
    let (_, html) = page_of(&mut w.admin, "/admin");
    assert!(html.contains("訂正ファイルを読み込んでいます"));
    assert_eq!(page_of(&mut w.officer, "/admin/rules").0, 403);
}

fn no_overflow(b: &browser::Browser, what: &str) {
    let wide = b.script(
        "return document.documentElement.scrollWidth > window.innerWidth \
         ? [document.documentElement.scrollWidth, window.innerWidth] : null;",
    );
    assert!(wide.is_null(), "{what} overflows: {wide}");
}

#[test]
fn the_admin_pages_in_a_browser() {
    require_browser();
    let db = backends().remove(0);
    let overlay = dir(&db).join("corrections.toml");
    std::fs::write(
        &overlay,
        "[regime.R6.values.goal_rate_percent]\nvalue = 20\ngrade = \"official\"\nsource = \"令和6年度 支給要領（訂正の試験）\"\n\n[course.turnover_period_months]\nvalue = 12\ngrade = \"secondary\"\nsource = \"解説記事（訂正の試験）\"\n",
    )
    .unwrap();
    let mut w = world_served(&db, &["--regimes", overlay.to_str().unwrap()]);
    let base = w.server.base.clone();
    let emp = user_id(&mut w.admin, "emp");
    let (s, _, _) = post_form(
        &w.admin,
        &format!("/admin/organizations/{}/delegations", w.org_id),
        &[("agent", "agent")],
    );
    assert_eq!(s, 303);
    for (width, height) in [(1366u32, 900u32), (390, 844)] {
        let b = if width < 500 {
            browser::Browser::start_phone(width, height)
        } else {
            browser::Browser::start(width, height)
        };
        web_login(&b, &base, "admin", ADMIN_PASSWORD);
        b.go(&format!("{base}/cases"));
        b.click("header a[href='/admin']");
        assert!(b.text().contains("利用者") && b.text().contains("判定ルール"));
        no_overflow(&b, "/admin");
        b.screenshot(&format!("admin-home-{width}"));
        for (path, name, expect) in [
            ("/admin/users".to_string(), "users", "利用者の一覧"),
            (
                format!("/admin/users/{emp}"),
                "user",
                "パスワード再設定のご案内を送る",
            ),
            (
                "/admin/organizations".to_string(),
                "organizations",
                "事業主の一覧",
            ),
            (
                format!("/admin/organizations/{}", w.org_id),
                "organization",
                "委任中",
            ),
            ("/admin/bureaus".to_string(), "bureaus", "徳島労働局"),
            ("/admin/bureaus/36".to_string(), "bureau", "案内資料から"),
            ("/admin/rules".to_string(), "rules", "年度ごとの制度"),
        ] {
            b.go(&format!("{base}{path}"));
            let t = b.text();
            assert!(t.contains(expect), "{path}: {t}");
            for word in ["ケース", "版", "employer", "officer", "null", "None"] {
                assert!(!t.contains(word), "{word} on {path}");
            }
            no_overflow(&b, &format!("{path} at {width}"));
            b.screenshot(&format!("admin-{name}-{width}"));
            // What lies below the first screen: the delegations, the correction file.
            for (anchor, below) in [("delegations", "organization"), ("overlay", "rules")] {
                if name == below {
                    b.script(&format!(
                        "document.getElementById('{anchor}').scrollIntoView(); return null;"
                    ));
                    b.screenshot(&format!("admin-{name}-{anchor}-{width}"));
                }
            }
        }
        let t = {
            b.go(&format!("{base}/admin/rules"));
            b.text()
        };
        assert!(
            t.contains("SHA-256") && t.contains("離職率の期間の長さ") && t.contains("全年度共通"),
            "{t}"
        );
        // A refused form: the summary and the field.
        b.go(&format!("{base}/admin/users/new"));
        b.fill("#username", &format!("pref-missing-{width}"));
        b.set_value("#role", "officer");
        b.fill("#password", "initial-password-2026");
        b.submit("main form[action='/admin/users'] button[type=submit]");
        let t = b.text();
        assert!(t.contains("担当する都道府県を選んでください"), "{t}");
        assert!(b.exists("#prefecture[aria-invalid=true]"));
        no_overflow(&b, "/admin/users/new with an error");
        b.screenshot(&format!("admin-user-new-error-{width}"));
    }
}
