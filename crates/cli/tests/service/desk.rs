//! テレワーク相談センター: consultations (`/desk`) are the centre's records —
//! advisors and administrators only, anyone else 403 on the pages and 404
//! on a record; recorded, listed with their filters, changed, followed up,
//! refused with the field named (nothing stored); in one click a draft
//! application for the employer (who sees it as usual), or the enquirer
//! registered as an organisation first; every change audited. Consulting
//! requests (`/consulting`) per role and per organisation; assignment,
//! visits and completion; the outreach numbers and CSV on a known dataset.
//! On SQLite and PostgreSQL; in Chromium at 1366 and 390 px.

use super::flows::{shot_at, sign_in, text_of};
use super::*;

const TODAY: &str = "2026-11-20";

/// Posts a page's form with the client's CSRF token: status, page, location.
fn post(c: &Client, path: &str, fields: &[(&str, &str)]) -> (u16, String, Option<String>) {
    let token = c.csrf.clone().unwrap_or_default();
    let mut all: Vec<(&str, &str)> = vec![("csrf", &token)];
    all.extend_from_slice(fields);
    let (s, headers, body) = c.raw(
        "POST",
        path,
        Some("application/x-www-form-urlencoded"),
        &form_urlencoded(&all),
    );
    let location = headers
        .iter()
        .find(|(k, _)| k == "location")
        .map(|(_, v)| v.clone());
    (s, String::from_utf8_lossy(&body).into_owned(), location)
}

fn page_of(c: &mut Client, path: &str) -> (u16, String) {
    let (s, body) = c.get_raw(path);
    (s, String::from_utf8_lossy(&body).into_owned())
}

/// The number in a redirect to `{prefix}{id}?…`.
fn id_in(location: &Option<String>, prefix: &str) -> i64 {
    let l = location.as_deref().expect("a redirect");
    l.strip_prefix(prefix)
        .and_then(|r| r.split(['?', '/']).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{l}"))
}

/// A phone consultation of the world's organisation.
fn consultation_fields(org: &str) -> Vec<(&'static str, String)> {
    vec![
        ("received_on", TODAY.into()),
        ("channel", "phone".into()),
        ("organization_id", org.into()),
        ("topics", "ict".into()),
        ("topics", "subsidy".into()),
        (
            "question",
            "在宅勤務用のパソコンは助成の対象になりますか。".into(),
        ),
        (
            "answer",
            "リース料は対象になりますが、購入費は対象外です。".into(),
        ),
        ("referral", "labour_bureau".into()),
        ("follow_up_on", "2026-12-01".into()),
    ]
}

fn as_refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The total of the consultation list (「相談の一覧（N件」).
fn listed(c: &mut Client, query: &str) -> i64 {
    let (s, html) = page_of(c, &format!("/desk{query}"));
    assert_eq!(s, 200, "{html}");
    match html.split("相談の一覧（").nth(1) {
        Some(rest) => rest.split('件').next().unwrap().parse().unwrap(),
        None => 0,
    }
}

/// The audit actions about one record of the store.
fn audit_of(db: &TestDb, entity: &str, id: i64) -> Vec<String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let store = josei_store::connect(&db.url).await.unwrap();
            let log = store.audit_log(entity, &id.to_string()).await.unwrap();
            store.pool.close().await;
            log.into_iter().map(|e| e.action).collect()
        })
}

/// The text of a page, tags removed.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for ch in html.chars() {
        match ch {
            '<' => tag = true,
            '>' => {
                tag = false;
                out.push(' ');
            }
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Words of the code that must never reach a page's text.
fn no_internal_words(html: &str) {
    let text = visible_text(html);
    for w in [
        "labour_bureau",
        "work_style",
        "phone",
        "counter",
        "subsidy",
        "on_site",
        "online",
        "received",
        "consult",
        "retail",
        "none",
    ] {
        assert!(!text.contains(w), "{w} on the page: {text}");
    }
}

/// A query value, percent-encoded.
fn enc(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[test]
fn consultations_are_the_centres_records_on_both_backends() {
    for db in backends() {
        let mut w = world(&db);
        set_clock(&mut w.admin, TODAY);
        let org = w.org_id.to_string();

        // The pages: staff only; others 403, signed out to the login page.
        for (who, c) in [("advisor", &mut w.advisor), ("admin", &mut w.admin)] {
            assert_eq!(page_of(c, "/desk").0, 200, "{who}");
            assert_eq!(page_of(c, "/desk/new").0, 200, "{who}");
        }
        for (who, c) in [
            ("employer", &mut w.employer),
            ("agent", &mut w.agent),
            ("officer", &mut w.officer),
            ("judge", &mut w.judge),
        ] {
            assert_eq!(page_of(c, "/desk").0, 403, "{who}");
            assert_eq!(page_of(c, "/desk/new").0, 403, "{who}");
            let (s, _, _) = post(c, "/desk", &as_refs(&consultation_fields(&org)));
            assert_eq!(s, 403, "{who} records a consultation");
        }
        let (s, headers, _) = w.server.client().raw("GET", "/desk", None, b"");
        assert_eq!(s, 303);
        assert!(headers
            .iter()
            .any(|(k, v)| k == "location" && v.starts_with("/login")));

        // Recorded by an advisor.
        let (s, html, loc) = post(&w.advisor, "/desk", &as_refs(&consultation_fields(&org)));
        assert_eq!(s, 303, "{html}");
        let id = id_in(&loc, "/desk/");
        let (s, html) = page_of(&mut w.advisor, &format!("/desk/{id}?done=created"));
        assert_eq!(s, 200);
        for t in [
            "相談を記録しました",
            "電話",
            "ICT（情報通信技術）・助成金",
            "都道府県労働局",
            "株式会社みなと商店",
            "令和8年12月1日",
            "この事業主の診断を始める",
            "この事業主の申請を作成する",
        ] {
            assert!(html.contains(t), "{t} missing");
        }
        no_internal_words(&html);
        // The diagnosis link carries what the diagnosis page reads.
        assert!(
            html.contains(
                "/diagnosis?pref=13&amp;employees=12&amp;capital=10000000&amp;telework_status=none"
            ),
            "{html}"
        );
        // A record: anyone but the staff 404, as if it did not exist.
        for (who, c) in [
            ("employer", &mut w.employer),
            ("agent", &mut w.agent),
            ("officer", &mut w.officer),
            ("judge", &mut w.judge),
        ] {
            assert_eq!(page_of(c, &format!("/desk/{id}")).0, 404, "{who}");
            let (s, _, _) = post(
                c,
                &format!("/desk/{id}"),
                &as_refs(&consultation_fields(&org)),
            );
            assert_eq!(s, 404, "{who} edits");
            assert_eq!(
                post(c, &format!("/desk/{id}/case"), &[]).0,
                404,
                "{who} opens a case"
            );
        }
        assert_eq!(page_of(&mut w.admin, &format!("/desk/{id}")).0, 200);
        assert_eq!(page_of(&mut w.advisor, "/desk/999999").0, 404);
        assert_eq!(page_of(&mut w.advisor, "/desk/abc").0, 404);

        // Bad input: refused with the field named, what was typed kept, nothing stored.
        let before = listed(&mut w.advisor, "");
        let cases: [(&str, &str, &str, &str); 6] = [
            ("topics", "", "相談の内容の区分", "一つ以上選んで"),
            ("organization_id", "", "相談者の名称", "名称を入力"),
            (
                "follow_up_on",
                "2026-11-01",
                "フォローアップの予定日",
                "受付日以降",
            ),
            ("received_on", "2026-11-31", "受付日", "正しい日付"),
            ("received_on", "2027-01-05", "受付日", "今日より後"),
            ("channel", "fax", "受付の方法", "選んでください"),
        ];
        for (field, value, label, says) in cases {
            let mut f: Vec<(&'static str, String)> = consultation_fields(&org)
                .into_iter()
                .filter(|(k, _)| *k != field)
                .collect();
            if !value.is_empty() {
                f.push((field, value.to_string()));
            }
            let (s, html, _) = post(&w.advisor, "/desk", &as_refs(&f));
            assert_eq!(s, 422, "{field}");
            assert!(html.contains("role=\"alert\""), "{field}");
            assert!(
                html.contains(&format!("{label}：")) && html.contains(says),
                "{field}: {html}"
            );
            assert!(
                html.contains("在宅勤務用のパソコン"),
                "{field}: the typed text is kept"
            );
        }
        let long = "あ".repeat(4001);
        let mut f = consultation_fields(&org);
        f.retain(|(k, _)| *k != "question");
        f.push(("question", long));
        let (s, html, _) = post(&w.advisor, "/desk", &as_refs(&f));
        assert_eq!(s, 422);
        assert!(html.contains("相談の内容：") && html.contains("4000文字以内"));
        assert_eq!(listed(&mut w.advisor, ""), before, "nothing stored");
        // Without the CSRF token: refused.
        let (s, _, _) = w.advisor.raw(
            "POST",
            "/desk",
            Some("application/x-www-form-urlencoded"),
            &form_urlencoded(&as_refs(&consultation_fields(&org))),
        );
        assert_eq!(s, 403);

        // A free-text enquirer by e-mail whose follow-up is due today.
        let enquirer = [
            ("received_on", "2026-11-18"),
            ("channel", "email"),
            ("enquirer_name", "山田商店"),
            ("enquirer_contact", "yamada@example.jp"),
            ("prefecture", "27"),
            ("industry", "service"),
            ("special_zone", "1"),
            ("topics", "security"),
            ("question", "私物の端末を使わせてよいですか。"),
            ("follow_up_on", TODAY),
        ];
        let (s, html, loc) = post(&w.advisor, "/desk", &enquirer);
        assert_eq!(s, 303, "{html}");
        let free = id_in(&loc, "/desk/");
        assert_eq!(listed(&mut w.advisor, ""), 2);
        assert_eq!(listed(&mut w.advisor, "?due=1"), 1);
        assert_eq!(listed(&mut w.advisor, "?channel=phone"), 1);
        assert_eq!(listed(&mut w.advisor, "?topic=security"), 1);
        assert_eq!(listed(&mut w.advisor, "?topic=ict"), 1);
        assert_eq!(listed(&mut w.advisor, &format!("?q={}", enc("山田"))), 1);
        assert_eq!(listed(&mut w.advisor, &format!("?q={}", enc("みなと"))), 1);
        assert_eq!(listed(&mut w.advisor, "?channel=counter"), 0);
        let (_, html) = page_of(&mut w.advisor, "/desk?due=1");
        assert!(html.contains("予定日です") && html.contains("山田商店"));

        // Changed: the answer, audited with before and after.
        let mut f = consultation_fields(&org);
        f.retain(|(k, _)| *k != "answer");
        f.push(("answer", "リース料が対象です。詳しくは労働局へ。".into()));
        let (s, html, _) = post(&w.advisor, &format!("/desk/{id}"), &as_refs(&f));
        assert_eq!(s, 303, "{html}");
        let (_, html) = page_of(&mut w.advisor, &format!("/desk/{id}"));
        assert!(html.contains("詳しくは労働局へ"));
        // The history in words.
        let history = html
            .split("id=\"history-title\"")
            .nth(1)
            .expect("a history");
        assert!(history.contains("相談の記録</td>") && history.contains("相談の記録の変更"));
        assert!(!history.contains("consultation."));
        f.retain(|(k, _)| *k != "topics");
        let (s, html, _) = post(&w.advisor, &format!("/desk/{id}"), &as_refs(&f));
        assert_eq!(s, 422);
        assert!(html.contains("相談の内容の区分："));

        // The follow-up: a note is needed; once recorded it is no longer due.
        let (s, html, _) = post(
            &w.advisor,
            &format!("/desk/{free}/follow-up"),
            &[("note", " ")],
        );
        assert_eq!(s, 422);
        assert!(html.contains("フォローアップの内容："));
        let (s, _, _) = post(
            &w.advisor,
            &format!("/desk/{free}/follow-up"),
            &[("note", "電話で状況を確認した。")],
        );
        assert_eq!(s, 303);
        assert_eq!(listed(&mut w.advisor, "?due=1"), 0);

        // A free-text enquirer: no application until registered.
        let (s, html, _) = post(&w.advisor, &format!("/desk/{free}/case"), &[]);
        assert_eq!(s, 409);
        assert!(html.contains("先に事業主として登録"));
        let org_form = |employees: &'static str| {
            vec![
                ("name", "山田商店"),
                ("prefecture", "27"),
                ("industry", "service"),
                ("regular_employees", employees),
                ("capital_yen", ""),
                ("employment_insurance", "1"),
            ]
        };
        let (s, html, _) = post(
            &w.advisor,
            &format!("/desk/{free}/organization"),
            &org_form("十人"),
        );
        assert_eq!(s, 422);
        assert!(html.contains("常時雇用する労働者の数："), "{html}");
        let (s, _, _) = post(
            &w.admin,
            &format!("/desk/{free}/organization"),
            &org_form("8"),
        );
        assert_eq!(s, 303);
        let (s, _, _) = post(
            &w.admin,
            &format!("/desk/{free}/organization"),
            &org_form("8"),
        );
        assert_eq!(s, 409, "registered once");
        let (s, _, loc) = post(&w.advisor, &format!("/desk/{free}/case"), &[]);
        assert_eq!(s, 303);
        assert!(loc.unwrap().ends_with("done=case"));

        // One click: a draft application for the employer, once.
        let (s, _, _) = post(&w.advisor, &format!("/desk/{id}/case"), &[]);
        assert_eq!(s, 303);
        let (s, html, _) = post(&w.advisor, &format!("/desk/{id}/case"), &[]);
        assert_eq!(s, 409);
        assert!(html.contains("既に申請を作成しています"));
        let (s, cases) = w.employer.get("/api/v1/cases");
        assert_eq!(s, 200, "{cases}");
        let mine: Vec<&Value> = cases
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| {
                c["title"]
                    .as_str()
                    .unwrap_or("")
                    .contains(&format!("相談番号{id}から"))
            })
            .collect();
        assert_eq!(mine.len(), 1, "{cases}");
        assert_eq!(mine[0]["status"], "draft");
        let case_id = mine[0]["id"].as_i64().unwrap();
        // Its organisation is now fixed.
        let mut f = consultation_fields(&org);
        f.retain(|(k, _)| *k != "organization_id");
        f.push(("enquirer_name", "別の相談者".into()));
        let (s, html, _) = post(&w.advisor, &format!("/desk/{id}"), &as_refs(&f));
        assert_eq!(s, 422);
        assert!(html.contains("申請を作成した相談の事業主は変更できません"));
        let (_, html) = page_of(&mut w.advisor, &format!("/desk/{id}"));
        assert!(html.contains(&format!("申請番号{case_id}の申請")));
        assert!(!html.contains("この事業主の申請を作成する</button>"));
        // The other organisation's employer does not see it.
        let mut emp2 = w.server.client();
        emp2.login("emp2", PASSWORD);
        let (_, theirs) = emp2.get("/api/v1/cases");
        assert!(!theirs.to_string().contains(&format!("相談番号{id}から")));
        assert_eq!(emp2.get(&format!("/api/v1/cases/{case_id}")).0, 404);

        // Every change audited.
        assert_eq!(
            audit_of(&db, "consultation", id),
            [
                "consultation.create",
                "consultation.update",
                "consultation.open_case"
            ]
        );
        assert_eq!(
            audit_of(&db, "consultation", free),
            [
                "consultation.create",
                "consultation.follow_up",
                "consultation.link_organization",
                "consultation.open_case"
            ]
        );
        assert_eq!(audit_of(&db, "case", case_id), ["case.create"]);
    }
}

#[test]
fn the_desk_list_pages_and_keeps_its_filters() {
    for db in backends() {
        let mut w = world(&db);
        set_clock(&mut w.admin, TODAY);
        for i in 0..52 {
            let channel = if i == 0 { "email" } else { "phone" };
            let name = format!("相談者{i:02}");
            let (s, html, _) = post(
                &w.advisor,
                "/desk",
                &[
                    ("received_on", TODAY),
                    ("channel", channel),
                    ("enquirer_name", &name),
                    ("topics", "other"),
                    ("question", "質問"),
                ],
            );
            assert_eq!(s, 303, "{html}");
        }
        let rows = |html: &str| html.matches("data-label=\"相談番号\"").count();
        let (_, first) = page_of(&mut w.advisor, "/desk?channel=phone");
        assert_eq!(rows(&first), 50);
        assert!(first.contains("51件（1／2ページ）"));
        // The next page keeps the filter.
        assert!(
            first.contains("href=\"/desk?channel=phone&amp;page=2\""),
            "{first}"
        );
        let (_, second) = page_of(&mut w.advisor, "/desk?channel=phone&page=2");
        assert_eq!(rows(&second), 1);
        // The newest first: the second page holds the oldest phone consultation.
        assert!(second.contains("相談者01") && !second.contains("相談者00"));
        // Past the end: the last page.
        let (s, past) = page_of(&mut w.advisor, "/desk?page=99");
        assert_eq!(s, 200);
        assert!(past.contains("52件（2／2ページ）"));
    }
}

/// A request for consulting by the employer: its id.
fn request_by(c: &Client, fields: &[(&str, &str)]) -> i64 {
    let (s, html, loc) = post(c, "/consulting/request", fields);
    assert_eq!(s, 303, "{html}");
    id_in(&loc, "/consulting/")
}

#[test]
fn consulting_requests_per_role_and_organisation_on_both_backends() {
    for db in backends() {
        let mut w = world(&db);
        set_clock(&mut w.admin, TODAY);
        let org = w.org_id.to_string();

        // The form is on /consulting itself.
        let (s, headers, _) = w.employer.raw("GET", "/consulting/request", None, b"");
        assert_eq!(s, 303);
        assert!(headers
            .iter()
            .any(|(k, v)| k == "location" && v == "/consulting"));
        // Officers and judges: none.
        for c in [&mut w.officer, &mut w.judge] {
            assert_eq!(page_of(c, "/consulting").0, 403);
        }
        // The employer asks; the field is named when the request is empty.
        let (s, html, _) = post(&w.employer, "/consulting/request", &[("request", "  ")]);
        assert_eq!(s, 422);
        assert!(html.contains("相談したい内容：") && html.contains("role=\"alert\""));
        let (s, html, _) = post(
            &w.employer,
            "/consulting/request",
            &[("request", "対象者の選び方"), ("preferred_mode", "by_fax")],
        );
        assert_eq!(s, 422);
        assert!(html.contains("希望する方法："));
        let id = request_by(
            &w.employer,
            &[
                ("organization_id", &org),
                (
                    "request",
                    "テレワークの対象者の選び方と労務管理を相談したい。",
                ),
                ("preferred_mode", "on_site"),
            ],
        );
        // An employer may not ask for another organisation.
        let mut emp2 = w.server.client();
        emp2.login("emp2", PASSWORD);
        let (s, html, _) = post(
            &emp2,
            "/consulting/request",
            &[("organization_id", &org), ("request", "x")],
        );
        assert_eq!(s, 422, "{html}");
        assert!(
            html.contains("依頼する事業主を一覧から選んでください"),
            "{html}"
        );
        // An agent not delegated to has no organisation to ask for.
        let (_, html) = page_of(&mut w.agent, "/consulting");
        assert!(html.contains("依頼できる事業主がありません"));

        // Who sees the request.
        let (s, html) = page_of(&mut w.employer, "/consulting");
        assert_eq!(s, 200);
        assert!(html.contains("株式会社みなと商店") && html.contains("受付"));
        assert_eq!(
            page_of(&mut w.employer, &format!("/consulting/{id}")).0,
            200
        );
        for (who, c) in [("advisor", &mut w.advisor), ("admin", &mut w.admin)] {
            let (s, html) = page_of(c, &format!("/consulting/{id}"));
            assert_eq!(s, 200, "{who}");
            assert!(html.contains("訪問（対面）"), "{who}");
            no_internal_words(&html);
            assert!(page_of(c, "/consulting")
                .1
                .contains(&format!("/consulting/{id}")));
        }
        assert_eq!(page_of(&mut emp2, &format!("/consulting/{id}")).0, 404);
        assert!(!page_of(&mut emp2, "/consulting")
            .1
            .contains(&format!("/consulting/{id}\"")));
        assert_eq!(page_of(&mut w.agent, &format!("/consulting/{id}")).0, 404);
        assert_eq!(page_of(&mut w.officer, &format!("/consulting/{id}")).0, 403);
        assert_eq!(page_of(&mut w.judge, &format!("/consulting/{id}")).0, 403);
        assert_eq!(page_of(&mut w.advisor, "/consulting/999999").0, 404);
        // Delegated, the agent sees it.
        let (s, _) = w.employer.post(
            &format!("/api/v1/organizations/{}/delegations", w.org_id),
            &json!({"agent": "agent"}),
        );
        assert_eq!(s, 201);
        assert_eq!(page_of(&mut w.agent, &format!("/consulting/{id}")).0, 200);

        // Only the staff assign, visit and complete.
        for c in [&w.employer, &w.agent] {
            assert_eq!(
                post(c, &format!("/consulting/{id}/assign"), &[("manager", "1")]).0,
                403
            );
            assert_eq!(post(c, &format!("/consulting/{id}/complete"), &[]).0, 403);
        }
        // A visit before a manager: refused.
        let visit = [
            ("visited_on", "2026-11-19"),
            ("mode", "online"),
            ("report", "就業規則の変更点を説明した。"),
            ("outcome", "規程の案を作成することになった。"),
        ];
        let (s, html, _) = post(&w.advisor, &format!("/consulting/{id}/visits"), &visit);
        assert_eq!(s, 409);
        assert!(html.contains("先に担当のテレワークマネージャーを決めてください"));
        // A manager must be an enabled advisor.
        let (_, html) = page_of(&mut w.advisor, &format!("/consulting/{id}"));
        let advisor_id: String = html
            .split("<option value=\"")
            .skip(2)
            .map(|r| r.split('"').next().unwrap().to_string())
            .next()
            .unwrap();
        let (s, html, _) = post(
            &w.advisor,
            &format!("/consulting/{id}/assign"),
            &[("manager", "1")],
        );
        assert_eq!(s, 422, "the admin is not a manager");
        assert!(html.contains("担当のテレワークマネージャー："));
        let (s, _, _) = post(
            &w.advisor,
            &format!("/consulting/{id}/assign"),
            &[("manager", &advisor_id)],
        );
        assert_eq!(s, 303);
        let (s, html, _) = post(
            &w.advisor,
            &format!("/consulting/{id}/visits"),
            &[
                ("visited_on", "2026-11-19"),
                ("mode", "online"),
                ("report", ""),
            ],
        );
        assert_eq!(s, 422);
        assert!(html.contains("報告："));
        assert_eq!(
            post(&w.advisor, &format!("/consulting/{id}/complete"), &[]).0,
            409
        );
        assert_eq!(
            post(&w.advisor, &format!("/consulting/{id}/visits"), &visit).0,
            303
        );
        assert_eq!(
            post(&w.advisor, &format!("/consulting/{id}/complete"), &[]).0,
            303
        );
        assert_eq!(
            post(
                &w.advisor,
                &format!("/consulting/{id}/assign"),
                &[("manager", &advisor_id)]
            )
            .0,
            409
        );
        let (_, html) = page_of(&mut w.employer, &format!("/consulting/{id}"));
        assert!(html.contains("完了") && html.contains("規程の案を作成することになった"));
        assert!(
            !html.contains("担当に決める"),
            "no staff forms for the employer"
        );
        assert!(!html.contains("操作の記録"));
        let (_, html) = page_of(&mut w.advisor, &format!("/consulting/{id}"));
        assert!(
            html.contains("テレワークマネージャーの割り当て")
                && html.contains("コンサルティングの完了")
        );
        let (_, html) = page_of(&mut w.advisor, "/consulting?status=completed");
        assert!(html.contains(&format!("/consulting/{id}\"")));
        let (_, html) = page_of(&mut w.advisor, "/consulting?status=received");
        assert!(!html.contains(&format!("/consulting/{id}\"")));
        assert_eq!(
            audit_of(&db, "consulting", id),
            [
                "consulting.request",
                "consulting.assign",
                "consulting.visit",
                "consulting.complete"
            ]
        );
    }
}

#[test]
fn outreach_counts_industries_where_telework_lags() {
    for db in backends() {
        let mut w = world(&db);
        set_clock(&mut w.admin, TODAY);
        // Known data: the world's two retail organisations without telework,
        // three service (one without), one wholesale (established).
        let employer = |name: &str, industry: &str, status: &str| {
            let mut e = case01_document()["employer"].clone();
            e["name"] = json!(name);
            e["industry"] = json!(industry);
            e["telework_status"] = json!(status);
            json!({"prefecture": 13, "employer": e})
        };
        for (name, industry, status) in [
            ("=サービスA", "service", "none"),
            ("サービスB", "service", "established"),
            ("サービスC", "service", "expanding"),
            ("=卸売D", "wholesale", "trial_ended"),
        ] {
            let (s, o) = w
                .admin
                .post("/api/v1/organizations", &employer(name, industry, status));
            assert_eq!(s, 201, "{o}");
        }
        // A case of the world's organisation, a consultation of a service
        // enquirer, a request of the world's organisation.
        let (s, _) = w
            .employer
            .post("/api/v1/cases", &json!({"title": "導入計画"}));
        assert_eq!(s, 201);
        let (s, _, _) = post(
            &w.advisor,
            "/desk",
            &[
                ("received_on", TODAY),
                ("channel", "counter"),
                ("enquirer_name", "喫茶ひまわり"),
                ("industry", "service"),
                ("topics", "labour_management"),
                ("question", "始めたい"),
            ],
        );
        assert_eq!(s, 303);
        request_by(
            &w.employer,
            &[("request", "相談したい"), ("preferred_mode", "either")],
        );

        assert_eq!(page_of(&mut w.employer, "/consulting/outreach").0, 403);
        assert_eq!(page_of(&mut w.officer, "/consulting/outreach.csv").0, 403);
        let (s, html) = page_of(&mut w.advisor, "/consulting/outreach");
        assert_eq!(s, 200);
        let body = html
            .split("<tbody>")
            .nth(1)
            .unwrap()
            .split("</tbody>")
            .next()
            .unwrap();
        let rows: Vec<String> = body
            .split("<tr>")
            .skip(1)
            .map(|r| {
                let mut out = String::new();
                let mut tag = false;
                for ch in r.chars() {
                    match ch {
                        '<' => {
                            tag = true;
                            out.push('|');
                        }
                        '>' => tag = false,
                        c if !tag => out.push(c),
                        _ => {}
                    }
                }
                out.split('|')
                    .filter(|c| !c.trim().is_empty())
                    .collect::<Vec<_>>()
                    .join(" / ")
            })
            .collect();
        assert_eq!(
            rows,
            [
                "小売業（飲食店を含む） / 2社 / 100.0%（2社） / 1件 / 0件 / 1件",
                "サービス業 / 3社 / 33.3%（1社） / 0件 / 1件 / 0件",
                "卸売業 / 1社 / 0.0%（0社） / 0件 / 0件 / 0件",
            ]
        );
        // The CSV: the two most lagging industries' organisations without
        // established telework and without an application.
        let (s, headers, body) = w.advisor.raw("GET", "/consulting/outreach.csv", None, b"");
        assert_eq!(s, 200);
        assert!(headers
            .iter()
            .any(|(k, v)| k == "content-disposition" && v.contains("filename*=UTF-8''")));
        let text = String::from_utf8(body).unwrap();
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(
            lines,
            [
                "事業主の名称,都道府県,業種,テレワークの実施状況",
                // The world's other organisation (Osaka) has no case.
                "株式会社みなと商店,大阪府,小売業（飲食店を含む）,未実施",
                "'=サービスA,東京都,サービス業,未実施",
            ]
        );
    }
}

#[test]
fn the_desk_in_a_browser() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    set_clock(&mut w.admin, TODAY);
    let base = w.server.base.clone();
    for (width, height) in [(1366u32, 900u32), (390, 844)] {
        let b = if width < 500 {
            browser::Browser::start_phone(width, height)
        } else {
            browser::Browser::start(width, height)
        };
        sign_in(&b, &base, "advisor");
        b.go(&format!("{base}/desk"));
        no_overflow(&b, "/desk");
        b.screenshot(&format!("desk-list-{width}"));
        b.click("a[href='/desk/new']");
        // A phone consultation of the registered organisation.
        b.click(&format!("#organization_id option[value='{}']", w.org_id));
        b.click("input[name=channel][value=phone]");
        b.fill(
            "#question",
            "自宅から社内のシステムに安全に接続する方法を知りたい。",
        );
        b.fill("#answer", "VPN の導入と端末の管理について説明した。");
        b.click("#referral option[value=work_style_centre]");
        b.set_value("#follow_up_on", "2026-12-04");
        // Without a topic: refused, the field named, what was typed kept.
        b.submit("form.desk-form button[type=submit]");
        assert!(text_of(&b, ".error-summary").contains("相談の内容の区分"));
        assert_eq!(b.value("#follow_up_on"), "2026-12-04");
        no_overflow(&b, "/desk refused");
        shot_at(&b, "main", &format!("desk-error-{width}"));
        b.click("input[name=topics][value=ict]");
        b.click("input[name=topics][value=security]");
        no_overflow(&b, "/desk/new");
        shot_at(&b, "form.desk-form", &format!("desk-new-{width}"));
        b.submit("form.desk-form button[type=submit]");
        let text = b.text();
        assert!(text.contains("相談を記録しました"), "{text}");
        assert!(text.contains("電話") && text.contains("ICT（情報通信技術）・セキュリティ"));
        assert!(text.contains("働き方改革推進支援センター"));
        assert!(text.contains("令和8年12月4日"));
        no_overflow(&b, "/desk/{id}");
        b.screenshot(&format!("desk-detail-{width}"));
        shot_at(&b, ".desk-next", &format!("desk-next-{width}"));
        // One click: the application for the employer.
        b.submit("form[action$='/case'] button[type=submit]");
        let text = b.text();
        assert!(text.contains("申請（下書き）を作成しました"), "{text}");
        no_overflow(&b, "/desk/{id} after the case");
        shot_at(&b, ".desk-next", &format!("desk-case-{width}"));
        shot_at(&b, "#history-title", &format!("desk-history-{width}"));
        b.go(&format!("{base}/desk"));
        no_overflow(&b, "/desk with rows");
        b.screenshot(&format!("desk-rows-{width}"));
        b.go(&format!("{base}/consulting/outreach"));
        no_overflow(&b, "/consulting/outreach");
        b.screenshot(&format!("desk-outreach-{width}"));
        // The employer sees the application in their list.
        sign_in(&b, &base, "emp");
        b.go(&format!("{base}/cases"));
        assert!(b.text().contains("から作成"), "{}", b.text());
        b.go(&format!("{base}/consulting"));
        b.fill("#request", "テレワークの対象者の決め方を相談したい。");
        b.click("input[name=preferred_mode][value=online]");
        b.submit("form.request-form button[type=submit]");
        assert!(b.text().contains("依頼を受け付けました"), "{}", b.text());
        let request = b.url();
        b.go(&format!("{base}/consulting"));
        no_overflow(&b, "/consulting (employer)");
        b.screenshot(&format!("desk-consulting-employer-{width}"));
        // The advisor assigns a manager and records the visit.
        sign_in(&b, &base, "advisor");
        b.go(&request);
        b.click("#manager option:nth-child(2)");
        b.submit("form[action$='/assign'] button[type=submit]");
        assert!(b
            .text()
            .contains("担当のテレワークマネージャーを決めました"));
        b.click("input[name=mode][value=online]");
        b.fill("#report", "対象者の範囲と労働時間の管理について説明した。");
        b.submit("form[action$='/visits'] button[type=submit]");
        assert!(
            b.text().contains("実施の記録を保存しました"),
            "{}",
            b.text()
        );
        no_overflow(&b, "/consulting/{id}");
        b.screenshot(&format!("desk-request-{width}"));
        b.go(&format!("{base}/consulting"));
        no_overflow(&b, "/consulting (advisor)");
        b.screenshot(&format!("desk-consulting-{width}"));
    }
}

fn no_overflow(b: &browser::Browser, what: &str) {
    let wide = b.script(
        "return document.documentElement.scrollWidth > window.innerWidth \
         ? [document.documentElement.scrollWidth, window.innerWidth] : null;",
    );
    assert!(wide.is_null(), "{what} overflows: {wide}");
}
