//! The case page (area C): honest status words, the steps, the bureau's
//! decisions on top, review before sending, safe withdrawal and the
//! documents checklist; in process for SQLite and PostgreSQL, and in
//! Chromium at 1366 and 390 px.

use super::*;

/// A form body with the client's CSRF token.
fn form(c: &Client, fields: &[(&str, &str)]) -> Vec<u8> {
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
    let mut all = vec![("csrf".to_string(), c.csrf.clone().unwrap())];
    all.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    all.iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

fn page_text(c: &mut Client, path: &str) -> (u16, String) {
    let (s, b) = c.get_raw(path);
    (s, String::from_utf8(b).unwrap())
}

fn post_form(c: &Client, path: &str, fields: &[(&str, &str)]) -> (u16, String, Option<String>) {
    let (s, h, b) = c.raw(
        "POST",
        path,
        Some("application/x-www-form-urlencoded"),
        &form(c, fields),
    );
    let location = h.into_iter().find(|(k, _)| k == "location").map(|(_, v)| v);
    (s, String::from_utf8(b).unwrap(), location)
}

/// Case 01 taken to a granted first subsidy: the bureau decided 80,000 yen,
/// less than the engine's 104,940, with a reason.
fn granted_case(w: &mut World) -> i64 {
    let (id, _) = new_case(w);
    set_clock(&mut w.admin, "2022-06-15");
    assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);
    set_clock(&mut w.admin, "2022-07-01");
    assert_eq!(act(&mut w.officer, id, "certify_plan", json!({})).0, 200);
    set_clock(&mut w.admin, "2022-08-01");
    assert_eq!(
        act(&mut w.employer, id, "start_evaluation", json!({})).0,
        200
    );
    set_clock(&mut w.admin, "2022-11-25");
    assert_eq!(act(&mut w.employer, id, "file_equipment", json!({})).0, 200);
    set_clock(&mut w.admin, "2022-12-20");
    let (s, c) = act(
        &mut w.officer,
        id,
        "grant_equipment",
        json!({"decided_amount_yen": 80000, "reason": "Web会議関係機器の領収書が確認できないため、その分を除いて決定します"}),
    );
    assert_eq!(s, 200, "{c}");
    id
}

#[test]
fn withdrawal_is_refused_once_a_subsidy_is_decided() {
    for db in backends() {
        let mut w = world(&db);
        // Before any decision the applicant may withdraw (and is offered it).
        let (open, c) = new_case(&mut w);
        assert!(c["actions"]
            .as_array()
            .unwrap()
            .contains(&json!("withdraw")));
        let id = granted_case(&mut w);
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(c["case"]["status"], "equipment_granted");
        assert_eq!(c["actions"], json!(["start_goal_tracking"]));
        let (s, e) = act(&mut w.employer, id, "withdraw", json!({}));
        assert_eq!(s, 409, "{e}");
        let m = e["error"]["message"].as_str().unwrap();
        assert!(
            m.contains("支給・不支給の決定が出た申請は取り下げられません"),
            "{m}"
        );
        assert!(!m.contains("withdraw") && !m.contains("ケース"), "{m}");
        // Nor while the goal subsidy is tracked or filed.
        assert_eq!(
            act(w.agent_or_employer(), id, "start_goal_tracking", json!({})).0,
            200
        );
        let (s, e) = act(&mut w.employer, id, "withdraw", json!({}));
        assert_eq!(s, 409, "{e}");
        // Nothing changed.
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(c["case"]["status"], "goal_tracking");
        // The open case is still withdrawn as before.
        assert_eq!(act(&mut w.employer, open, "withdraw", json!({})).0, 200);
        // Other refusals speak of the application in Japanese, never of internal names.
        let (s, e) = act(&mut w.employer, open, "submit_plan", json!({}));
        assert_eq!(s, 409);
        let m = e["error"]["message"].as_str().unwrap();
        assert!(
            m.contains("「取下げ」の申請では、計画の提出はできません"),
            "{m}"
        );
    }
}

#[test]
fn a_new_case_is_in_preparation_with_steps_and_links() {
    for db in backends() {
        let mut w = world(&db);
        set_clock(&mut w.admin, "2026-11-21");
        let (s, c) = w
            .employer
            .post("/api/v1/cases", &json!({"title": "新しい申請"}));
        assert_eq!(s, 201, "{c}");
        let id = c["case"]["id"].as_i64().unwrap();
        let (s, html) = page_text(&mut w.employer, &format!("/cases/{id}"));
        assert_eq!(s, 200);
        assert!(html.contains("準備中"), "{html}");
        assert!(html.contains("id=\"status-word\">準備中<"), "{html}");
        assert!(
            !html.contains(">不支給<") && !html.contains("不支給決定") && !html.contains(">0円<"),
            "a new case shows no denial: {html}"
        );
        // 令和8年度: the no-plan steps, the first one current.
        assert!(html.contains("aria-current=\"step\""), "{html}");
        let current = html.split("aria-current=\"step\"").nth(1).unwrap();
        assert!(
            current.contains("取組（職場風土作り・就業規則・研修）"),
            "{current}"
        );
        // To-dos link where they are done.
        assert!(html.contains("やること"), "{html}");
        assert!(
            html.contains(&format!("/cases/{id}/plan#workers")),
            "{html}"
        );
        // No internal words.
        for word in ["ケース", "版 ", "draft", "start_evaluation\"", "E001"] {
            assert!(!html.contains(&format!(">{word}")), "{word}: {html}");
        }
        // The officer does not see a draft at all.
        assert_eq!(w.officer.get_raw(&format!("/cases/{id}")).0, 404);
    }
}

#[test]
fn filings_are_reviewed_and_a_predicted_denial_needs_a_confirmation() {
    for db in backends() {
        let mut w = world(&db);
        let (id, _) = new_case(&mut w);
        set_clock(&mut w.admin, "2022-06-15");
        // The case page sends the filing to its review page.
        let (_, html) = page_text(&mut w.employer, &format!("/cases/{id}"));
        assert!(
            html.contains(&format!("href=\"/cases/{id}/review/submit_plan\"")),
            "{html}"
        );
        let (s, html) = page_text(&mut w.employer, &format!("/cases/{id}/review/submit_plan"));
        assert_eq!(s, 200, "{html}");
        assert!(
            html.contains("送る内容") && html.contains("対象労働者（3人）"),
            "{html}"
        );
        assert!(
            html.contains("計画の提出に必要な書類") || html.contains("現在の就業規則"),
            "{html}"
        );
        assert!(!html.contains("不支給になる見込み"), "{html}");
        // Sent from the review page: a success message on the case page.
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        let v = version(&c).to_string();
        let (s, _, to) = post_form(
            &w.employer,
            &format!("/cases/{id}/action"),
            &[("version", &v), ("action", "submit_plan")],
        );
        assert_eq!(s, 303);
        let to = to.unwrap();
        assert!(to.ends_with("?done=submit_plan"), "{to}");
        let (_, html) = page_text(&mut w.employer, &to);
        assert!(html.contains("計画を労働局に提出しました"), "{html}");
        assert!(html.contains("id=\"status-word\">審査中<"), "{html}");
        assert!(!html.contains(">支給対象<"), "{html}");

        // Without its telework records the filing is predicted 不支給.
        set_clock(&mut w.admin, "2022-07-01");
        assert_eq!(act(&mut w.officer, id, "certify_plan", json!({})).0, 200);
        set_clock(&mut w.admin, "2022-08-01");
        assert_eq!(
            act(&mut w.employer, id, "start_evaluation", json!({})).0,
            200
        );
        set_clock(&mut w.admin, "2022-11-25");
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        let mut doc = c["document"].clone();
        doc["telework"] = json!([]);
        let (s, c) = w.employer.put(
            &format!("/api/v1/cases/{id}/inputs"),
            &json!({"version": version(&c), "document": doc}),
        );
        assert_eq!(s, 200, "{c}");
        let (s, html) = page_text(
            &mut w.employer,
            &format!("/cases/{id}/review/file_equipment"),
        );
        assert_eq!(s, 200);
        assert!(
            html.contains("このままでは機器等導入助成は不支給になる見込みです"),
            "{html}"
        );
        assert!(
            html.contains("テレワーク"),
            "the failing check in plain Japanese: {html}"
        );
        assert!(
            html.contains("name=\"confirm\"") && html.contains("required"),
            "{html}"
        );
        assert!(html.contains("まだ用意していない書類が"), "{html}");
        // Without the confirmation nothing is sent, and the page says why.
        let v = version(&c).to_string();
        let (s, html, _) = post_form(
            &w.employer,
            &format!("/cases/{id}/action"),
            &[("version", &v), ("action", "file_equipment")],
        );
        assert_eq!(s, 422, "{html}");
        assert!(
            html.contains("まだ送っていません")
                && html.contains("不支給の見込みであることを理解したうえで送ります"),
            "{html}"
        );
        let (_, now) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(now["case"]["status"], "evaluation");
        // With it the engine's refusal (the filing's own rule) shows on the review page.
        let (s, _, to) = post_form(
            &w.employer,
            &format!("/cases/{id}/action"),
            &[
                ("version", &v),
                ("action", "file_equipment"),
                ("confirm", "yes"),
            ],
        );
        assert_eq!(s, 303, "sent when confirmed");
        assert!(to.unwrap().ends_with("?done=file_equipment"));
        let (_, now) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(now["case"]["status"], "equipment_filed");
        // A stale version is refused on the page itself, in Japanese.
        let (s, html) = page_text(
            &mut w.employer,
            &format!("/cases/{id}/review/file_equipment"),
        );
        assert_eq!(s, 409, "no longer possible: {html}");
        assert!(
            html.contains("いま機器等導入助成の支給申請はできません"),
            "{html}"
        );
    }
}

#[test]
fn the_decision_is_on_top_for_the_employer_with_the_decided_amount() {
    for db in backends() {
        let mut w = world(&db);
        let id = granted_case(&mut w);
        w.agent_or_employer();
        for who in ["employer", "agent"] {
            let c = if who == "employer" {
                &mut w.employer
            } else {
                &mut w.agent
            };
            let (s, html) = page_text(c, &format!("/cases/{id}"));
            assert_eq!(s, 200);
            assert!(html.contains("支給決定"), "{html}");
            assert!(html.contains("80,000円"), "the decided amount: {html}");
            assert!(
                !html.contains("104,940円"),
                "never the engine's amount: {html}"
            );
            assert!(html.contains("支給決定額"), "{html}");
            assert!(
                html.contains("Web会議関係機器の領収書が確認できないため"),
                "the reason: {html}"
            );
            assert!(html.contains("東京労働局"), "the bureau: {html}");
            assert!(html.contains("労働局からの決定"), "{html}");
            // The decision comes before the details of the checks.
            assert!(html.find("労働局からの決定").unwrap() < html.find("要件の確認").unwrap());
        }
        // Withdrawal is neither offered nor possible from the page.
        let (_, html) = page_text(&mut w.employer, &format!("/cases/{id}"));
        assert!(!html.contains("/review/withdraw"), "{html}");
        let (s, html) = page_text(&mut w.employer, &format!("/cases/{id}/review/withdraw"));
        assert_eq!(s, 409, "{html}");
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        let v = version(&c).to_string();
        let (s, html, _) = post_form(
            &w.employer,
            &format!("/cases/{id}/action"),
            &[("version", &v), ("action", "withdraw"), ("confirm", "yes")],
        );
        assert_eq!(s, 409);
        assert!(
            html.contains("支給・不支給の決定が出た申請は取り下げられません"),
            "{html}"
        );
        assert!(
            html.contains("この操作はできませんでした"),
            "shown on the case page: {html}"
        );
        // A plan return shows its reason too.
        let (other, _) = new_case(&mut w);
        set_clock(&mut w.admin, "2022-06-15");
        assert_eq!(act(&mut w.employer, other, "submit_plan", json!({})).0, 200);
        let (s, _) = act(
            &mut w.officer,
            other,
            "return_plan",
            json!({"reason": "対象労働者の雇用形態を確認してください"}),
        );
        assert_eq!(s, 200);
        let (_, html) = page_text(&mut w.employer, &format!("/cases/{other}"));
        assert!(
            html.contains("差戻し") && html.contains("対象労働者の雇用形態を確認してください"),
            "{html}"
        );
    }
}

#[test]
fn withdrawal_asks_for_a_confirmation_and_documents_follow_the_filing() {
    for db in backends() {
        let mut w = world(&db);
        let (id, c) = new_case(&mut w);
        let (s, html) = page_text(&mut w.employer, &format!("/cases/{id}/review/withdraw"));
        assert_eq!(s, 200);
        assert!(html.contains("取り下げると元に戻せません"), "{html}");
        assert!(
            html.contains("まだ労働局には何も送っていない"),
            "a draft: {html}"
        );
        let v = version(&c).to_string();
        let (s, html, _) = post_form(
            &w.employer,
            &format!("/cases/{id}/action"),
            &[("version", &v), ("action", "withdraw")],
        );
        assert_eq!(s, 422, "no confirmation, nothing done");
        assert!(html.contains("チェックを入れてください"), "{html}");

        // A document attached before filing may be removed; after the filing, not.
        let (s, a) = w.employer.post_bytes(
            &format!("/api/v1/cases/{id}/attachments?kind=work_rules&filename=rules.pdf"),
            "application/pdf",
            b"%PDF-1.4 rules",
        );
        assert_eq!(s, 201, "{a}");
        let aid = a["id"].as_i64().unwrap();
        let (s, html) = page_text(&mut w.employer, &format!("/cases/{id}"));
        assert_eq!(s, 200);
        assert!(
            html.contains(&format!("/cases/{id}/documents/{aid}")),
            "{html}"
        );
        let (s, _, to) = post_form(
            &w.employer,
            &format!("/cases/{id}/documents/{aid}/remove"),
            &[],
        );
        assert_eq!(s, 303);
        assert!(to.unwrap().contains("done=removed"));
        let (actions, _) = audit_actions(&mut w.employer, id);
        assert!(
            actions.contains(&"attachment.delete".to_string()),
            "{actions:?}"
        );
        let (s, a) = w.employer.post_bytes(
            &format!("/api/v1/cases/{id}/attachments?kind=work_rules&filename=rules2.pdf"),
            "application/pdf",
            b"%PDF-1.4 rules again",
        );
        assert_eq!(s, 201, "{a}");
        let aid = a["id"].as_i64().unwrap();
        set_clock(&mut w.admin, "2022-06-15");
        assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);
        let (s, html, _) = post_form(
            &w.employer,
            &format!("/cases/{id}/documents/{aid}/remove"),
            &[],
        );
        assert_eq!(s, 409, "{html}");
        assert!(
            html.contains("計画の提出") && html.contains("提出済み"),
            "{html}"
        );
        let (_, list) = w.employer.get(&format!("/api/v1/cases/{id}/attachments"));
        assert_eq!(list.as_array().unwrap().len(), 1, "still there");
        // Someone else's case: not found.
        assert_eq!(
            post_form(
                &w.other_officer,
                &format!("/cases/{id}/documents/{aid}/remove"),
                &[]
            )
            .0,
            404
        );
        // Withdrawal with the confirmation: done, with its message.
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        let v = version(&c).to_string();
        let (s, _, to) = post_form(
            &w.employer,
            &format!("/cases/{id}/action"),
            &[("version", &v), ("action", "withdraw"), ("confirm", "yes")],
        );
        assert_eq!(s, 303);
        let (_, html) = page_text(&mut w.employer, &to.unwrap());
        assert!(
            html.contains("申請を取り下げました") && html.contains("取下げ"),
            "{html}"
        );
    }
}

/// No horizontal overflow at the browser's width.
fn no_overflow(b: &browser::Browser, what: &str) {
    let fits = b.script("return document.documentElement.scrollWidth <= window.innerWidth;");
    assert_eq!(fits, json!(true), "{what} overflows horizontally");
}

#[test]
fn web_case_page_status_review_decision_and_withdrawal() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    let base = w.server.base.clone();
    // A decided case (a partial grant), a new case, a case to review.
    let granted = granted_case(&mut w);
    set_clock(&mut w.admin, "2026-11-21");
    let (_, c) = w
        .employer
        .post("/api/v1/cases", &json!({"title": "令和8年度の申請"}));
    let fresh = c["case"]["id"].as_i64().unwrap();
    let (reviewed, c) = new_case(&mut w);
    let mut doc = c["document"].clone();
    doc["plan"]["target_workers"] = json!([{"id": "E001", "employment": "dispatched"}]);
    let (s, c) = w.employer.put(
        &format!("/api/v1/cases/{reviewed}/inputs"),
        &json!({"version": version(&c), "document": doc}),
    );
    assert_eq!(s, 200, "{c}");
    set_clock(&mut w.admin, "2022-06-15");
    for (width, height, tag) in [(1366, 900, "1366"), (390, 844, "390")] {
        let b = browser::Browser::start(width, height);
        web_login(&b, &base, "emp", PASSWORD);

        set_clock(&mut w.admin, "2026-11-21");
        b.go(&format!("{base}/cases/{fresh}"));
        let t = b.text();
        assert!(t.contains("準備中"), "{t}");
        assert!(
            !t.contains("不支給決定") && !t.contains("\n不支給\n") && !t.contains("\n0円"),
            "{t}"
        );
        assert!(b.exists("ol.steps li[aria-current=step]"));
        assert!(t.contains("やること"), "{t}");
        no_overflow(&b, "a new case");
        b.screenshot(&format!("case-new-{tag}"));

        set_clock(&mut w.admin, "2022-06-15");
        b.go(&format!("{base}/cases/{reviewed}"));
        b.submit("a[href$='/review/submit_plan']");
        let t = b.text();
        assert!(
            t.contains("このままでは機器等導入助成は不支給になる見込みです"),
            "{t}"
        );
        assert!(t.contains("直接雇用"), "the failing check: {t}");
        no_overflow(&b, "the review page");
        b.screenshot(&format!("case-review-{tag}"));
        // Sending without the confirmation is stopped by the form itself.
        assert!(b.exists("#confirm[required]"));

        b.go(&format!("{base}/cases/{granted}"));
        let t = b.text();
        assert!(t.contains("支給決定") && t.contains("80,000円"), "{t}");
        assert!(!t.contains("104,940円"), "{t}");
        assert!(
            t.contains("Web会議関係機器の領収書が確認できないため") && t.contains("東京労働局"),
            "{t}"
        );
        no_overflow(&b, "a decided case");
        b.screenshot(&format!("case-decided-{tag}"));

        b.go(&format!("{base}/cases/{reviewed}/review/withdraw"));
        let t = b.text();
        assert!(t.contains("取り下げると元に戻せません"), "{t}");
        no_overflow(&b, "the withdrawal confirmation");
        b.screenshot(&format!("case-withdraw-{tag}"));
        web_logout(&b);
    }
}
