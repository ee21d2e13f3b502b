//! The plan editor (area B): target workers and expenses as rows with ids the
//! system keeps, what people type read after NFKC, every problem shown by its
//! field, receipts on their expense row (removable only before filing), and
//! the estimate with planned expenses; in process for SQLite and PostgreSQL,
//! and in Chromium at 1366 and 390 px.

use super::*;
use std::time::{Duration, Instant};

/// Posts a page form (with the session's CSRF token): status, page, redirect.
fn post_form(c: &Client, path: &str, fields: &[(&str, &str)]) -> (u16, String, Option<String>) {
    let csrf = c.csrf.clone().unwrap();
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let (s, h, b) = c.raw(
        "POST",
        path,
        Some("application/x-www-form-urlencoded"),
        &form_urlencoded(&all),
    );
    let location = h.into_iter().find(|(k, _)| k == "location").map(|(_, v)| v);
    (s, String::from_utf8(b).unwrap(), location)
}

/// Posts a file the way the page's upload form does (multipart).
fn post_file(
    c: &Client,
    path: &str,
    fields: &[(&str, &str)],
    file: (&str, &str, &[u8]),
) -> (u16, String, Option<String>) {
    let boundary = "----josei-plan-editor-test";
    let mut body = Vec::new();
    let mut all = vec![("csrf".to_string(), c.csrf.clone().unwrap())];
    all.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    for (k, v) in &all {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    let (name, content_type, bytes) = file;
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (s, h, b) = c.raw(
        "POST",
        path,
        Some(&format!("multipart/form-data; boundary={boundary}")),
        &body,
    );
    let location = h.into_iter().find(|(k, _)| k == "location").map(|(_, v)| v);
    (s, String::from_utf8(b).unwrap(), location)
}

/// The text of some HTML, without its tags.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn page(c: &mut Client, path: &str) -> (u16, String) {
    let (s, b) = c.get_raw(path);
    (s, String::from_utf8(b).unwrap())
}

/// The employer fields as the page sends them, from the stored document.
fn employer_fields(doc: &Value) -> Vec<(&'static str, String)> {
    let e = &doc["employer"];
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    };
    vec![
        ("version", String::new()),
        ("employer_name", text(&e["name"])),
        ("employer_industry", text(&e["industry"])),
        ("employer_capital_yen", text(&e["capital_yen"])),
        ("employer_regular_employees", text(&e["regular_employees"])),
        ("employer_telework_status", text(&e["telework_status"])),
        ("employer_employment_insurance", "true".into()),
        ("climate_top_message_on", String::new()),
        ("climate_case_sharing_on", String::new()),
    ]
}

/// A case of the 令和7年度 rules (no plan), as the employer opens it.
fn r7_case(w: &mut World) -> (i64, Value) {
    set_clock(&mut w.admin, "2025-04-05");
    let (s, c) = w.employer.post(
        "/api/v1/cases",
        &json!({"title": "テレワーク導入（令和7年度）"}),
    );
    assert_eq!(s, 201, "{c}");
    (c["case"]["id"].as_i64().unwrap(), c)
}

/// Saves the plan form of case `id` with `rows` over the employer fields.
fn save(c: &mut Client, id: i64, rows: &[(&str, &str)]) -> (u16, String, Option<String>) {
    save_at(c, id, None, rows)
}

/// [`save`] as of `version` (default: the current one).
fn save_at(
    c: &mut Client,
    id: i64,
    at: Option<i64>,
    rows: &[(&str, &str)],
) -> (u16, String, Option<String>) {
    let (_, current) = c.get(&format!("/api/v1/cases/{id}"));
    let mut fields = employer_fields(&current["document"]);
    fields[0].1 = at.unwrap_or_else(|| version(&current)).to_string();
    let mut all: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    all.extend_from_slice(rows);
    post_form(c, &format!("/cases/{id}/plan"), &all)
}

#[test]
fn the_plan_form_keeps_ids_reads_what_people_type_and_says_what_is_wrong() {
    for db in backends() {
        let mut w = world(&db);
        let (id, _) = r7_case(&mut w);
        let (s, html) = page(&mut w.employer, &format!("/cases/{id}/plan"));
        assert_eq!(s, 200);
        for needle in [
            "氏名",
            "社員番号（任意）",
            "直接雇用",
            "派遣労働者",
            "行を追加",
            "Web会議関係機器（ヘッドセット、Webカメラ、マイクなど）",
            "予定（支払前）",
            "inputmode=\"numeric\"",
        ] {
            assert!(html.contains(needle), "{needle}");
        }
        assert!(!html.contains("ケース"), "no internal words");

        // Two workers and two expenses, typed with full-width digits and spaces.
        let (s, body, to) = save(
            &mut w.employer,
            id,
            &[
                ("w0_id", ""),
                ("w0_name", "　山田　太郎　"),
                ("w0_number", "１００１"),
                ("w0_employment", "direct"),
                ("w1_id", ""),
                ("w1_name", "佐藤 花子"),
                ("w1_number", "1002"),
                ("w1_employment", "dispatched"),
                ("w2_id", ""),
                ("w2_name", ""),
                ("w2_number", ""),
                ("w2_employment", "direct"),
                ("x0_id", ""),
                ("x0_category", "work_rules"),
                ("x0_description", "就業規則の改定"),
                ("x0_amount", "110,000"),
                ("x0_status", "paid"),
                ("x0_paid_on", "2025/6/30"),
                ("x1_id", ""),
                ("x1_category", "web_conference_equipment"),
                ("x1_amount", "３３，０００円"),
                ("x1_status", "planned"),
                ("x1_paid_on", ""),
                ("x2_category", ""),
                ("x2_amount", ""),
                ("x2_status", "paid"),
            ],
        );
        assert_eq!(s, 303, "{body}");
        assert_eq!(to.as_deref(), Some(&*format!("/cases/{id}/plan?saved=1")));
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(
            c["document"]["plan"]["target_workers"],
            json!([
                {"id": "W001", "employment": "direct", "name": "山田 太郎", "employee_number": "1001"},
                {"id": "W002", "employment": "dispatched", "name": "佐藤 花子", "employee_number": "1002"},
            ])
        );
        let x = &c["document"]["expenses"];
        assert_eq!(
            (
                x[0]["id"].as_str(),
                x[0]["amount_yen"].as_i64(),
                x[0]["paid_on"].as_str()
            ),
            (Some("X001"), Some(110_000), Some("2025-06-30"))
        );
        assert_eq!(
            (x[1]["id"].as_str(), x[1]["amount_yen"].as_i64()),
            (Some("X002"), Some(33_000))
        );
        assert!(x[1]["paid_on"].is_null(), "planned: not paid");
        assert_eq!(x.as_array().unwrap().len(), 2);
        // The names are kept for people; the engine is not bothered by them.
        assert_eq!(
            c["evaluation"]["warnings"],
            json!([]),
            "{}",
            c["evaluation"]
        );

        // The page says it was saved, with the amounts written for people and
        // the estimate counting the planned item apart.
        let (_, html) = page(&mut w.employer, &format!("/cases/{id}/plan?saved=1"));
        for needle in [
            "保存しました",
            "value=\"110,000\"",
            "value=\"33,000\"",
            "支払済の合計 <strong id=\"total-paid\">110,000円",
            "予定の合計 <strong id=\"total-planned\">33,000円",
            "見込み額（予定の経費を含む）",
            "対象となる経費 110,000円",
            "対象となる経費 132,000円（予定の経費 1件、33,000円を支払った場合）",
        ] {
            assert!(html.contains(needle), "{needle}");
        }

        // Saved again: the first worker removed, a new one added. The kept
        // worker keeps its id; the new one takes the next.
        let (s, body, _) = save(
            &mut w.employer,
            id,
            &[
                ("w0_id", "W001"),
                ("w0_name", "山田 太郎"),
                ("w0_employment", "direct"),
                ("w0_remove", "true"),
                ("w1_id", "W002"),
                ("w1_name", "佐藤 花子"),
                ("w1_number", "1002"),
                ("w1_employment", "dispatched"),
                ("w5_id", ""),
                ("w5_name", "鈴木 一郎"),
                ("w5_employment", "direct"),
                ("x0_id", "X001"),
                ("x0_category", "work_rules"),
                ("x0_amount", "110000"),
                ("x0_status", "paid"),
                ("x0_paid_on", "2025-06-30"),
            ],
        );
        assert_eq!(s, 303, "{body}");
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        let ids: Vec<&str> = c["document"]["plan"]["target_workers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["W002", "W003"]);
        assert_eq!(c["document"]["expenses"].as_array().unwrap().len(), 1);
        let before = version(&c);

        // Mistakes: each by its field, with a summary linking to it, what was
        // typed kept and nothing stored. No English enum names.
        let (s, html, _) = save(
            &mut w.employer,
            id,
            &[
                ("w0_id", "W002"),
                ("w0_name", ""),
                ("w0_number", "1002"),
                ("w0_employment", "dispatched"),
                ("w1_id", ""),
                ("w1_name", "E003,正社員"),
                ("w1_employment", "正社員"),
                ("x0_id", "X001"),
                ("x0_category", "work_rules"),
                ("x0_amount", "11万"),
                ("x0_status", "paid"),
                ("x0_paid_on", ""),
            ],
        );
        assert_eq!(s, 422);
        for needle in [
            "id=\"error-summary\"",
            "入力を確かめてください（4か所）",
            "href=\"#w0_name\"",
            "対象労働者 1人目の氏名：氏名を入力してください",
            "href=\"#w1_employment\"",
            "直接雇用か派遣労働者かを選んでください",
            "href=\"#x0_amount\"",
            "「万」「千」などの単位は使えません",
            "href=\"#x0_paid_on\"",
            "id=\"w0_name\" name=\"w0_name\" type=\"text\" value=\"\" maxlength=\"100\" autocomplete=\"off\" aria-invalid=\"true\" aria-describedby=\"w0_name-error\"",
            "id=\"w0_name-error\"",
            "value=\"11万\"",
            "value=\"E003,正社員\"",
        ] {
            assert!(html.contains(needle), "{needle}");
        }
        let summary = html.split("id=\"error-summary\"").nth(1).unwrap();
        let summary = summary.split_once('>').unwrap().1;
        let summary = summary.split("</div>").next().unwrap();
        let summary = visible_text(summary);
        for word in [
            "direct",
            "dispatched",
            "work_rules",
            "amount",
            "paid_on",
            "ケース",
        ] {
            assert!(!summary.contains(word), "{word} in {summary}");
        }
        let (_, same) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(version(&same), before, "nothing stored");

        // A stale version: the message on the page, the form kept.
        let (s, html, _) = save_at(
            &mut w.employer,
            id,
            Some(before - 1),
            &[
                ("w0_id", "W002"),
                ("w0_name", "佐藤 花子"),
                ("w0_employment", "dispatched"),
            ],
        );
        assert_eq!(s, 409, "{html}");
        assert!(html.contains("id=\"error-summary\"") && html.contains("value=\"佐藤 花子\""));
        drop(w.server);
    }
}

#[test]
fn receipts_belong_to_expense_rows_and_go_only_before_filing() {
    for db in backends() {
        let mut w = world(&db);
        let (id, _) = new_case(&mut w);
        let pdf = b"%PDF-1.4 receipt".to_vec();
        let add = |c: &mut Client, expense: &str| {
            c.post_bytes(
                &format!("/api/v1/cases/{id}/attachments?kind=receipt&filename=%E9%A0%98%E5%8F%8E%E6%9B%B8.pdf&expense={expense}"),
                "application/pdf",
                &pdf,
            )
        };
        // On a stored item: kept with it. On an unknown one: refused.
        let (s, a) = add(&mut w.employer, "X1");
        assert_eq!(s, 201, "{a}");
        assert_eq!(
            (a["expense_ref"].as_str(), a["filename"].as_str()),
            (Some("X1"), Some("領収書.pdf"))
        );
        let (s, e) = add(&mut w.employer, "X9");
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("expense")),
            "{e}"
        );
        // Out of scope: as if there were no such case.
        let mut emp2 = w.server.client();
        emp2.login("emp2", PASSWORD);
        assert_eq!(add(&mut emp2, "X1").0, 404);
        assert_eq!(
            add(&mut w.officer, "X1").0,
            404,
            "a draft is not the bureau's"
        );
        let aid = a["id"].as_i64().unwrap();
        assert_eq!(
            emp2.delete(&format!("/api/v1/cases/{id}/attachments/{aid}"))
                .0,
            404
        );

        // The page lists it on its row, with a button to remove it.
        let (_, html) = page(&mut w.employer, &format!("/cases/{id}/plan"));
        assert!(
            html.contains("領収書.pdf") && html.contains(&format!("form=\"del-{aid}\"")),
            "{html}"
        );
        assert!(html.contains("添付ファイルを削除すると、この行を削除できます"));

        // An item with a receipt cannot be dropped (the page, and the API).
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        let mut doc = c["document"].clone();
        doc["expenses"].as_array_mut().unwrap().remove(0);
        let (s, e) = w.employer.put(
            &format!("/api/v1/cases/{id}/inputs"),
            &json!({"version": version(&c), "document": doc}),
        );
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (409, Some("expenses")),
            "{e}"
        );
        let mut rows: Vec<(String, String)> = Vec::new();
        for (i, x) in c["document"]["expenses"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .skip(1)
        {
            let t = |v: &Value| v.as_str().unwrap_or("").to_string();
            for (k, v) in [
                ("id", t(&x["id"])),
                ("category", t(&x["category"])),
                ("amount", x["amount_yen"].to_string()),
                (
                    "status",
                    if x["paid_on"].is_null() {
                        "planned"
                    } else {
                        "paid"
                    }
                    .to_string(),
                ),
                ("paid_on", t(&x["paid_on"])),
                ("delivered_on", t(&x["delivered_on"])),
                ("description", t(&x["description"])),
            ] {
                rows.push((format!("x{i}_{k}"), v));
            }
        }
        for (i, t) in c["document"]["plan"]["target_workers"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            rows.push((format!("w{i}_id"), t["id"].as_str().unwrap().into()));
            rows.push((format!("w{i}_name"), format!("従業員{i}")));
            rows.push((format!("w{i}_employment"), "direct".into()));
        }
        let fields: Vec<(&str, &str)> =
            rows.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (s, html, _) = save(&mut w.employer, id, &fields);
        assert_eq!(s, 409, "{html}");
        assert!(
            html.contains("領収書などが添付されているため、この経費は削除できません"),
            "{html}"
        );

        // Without JavaScript: the row's own upload form, back to the row.
        let (s, body, to) = post_file(
            &w.employer,
            &format!("/cases/{id}/plan/attachments"),
            &[("expense", "X2"), ("kind", "invoice")],
            ("請求書.pdf", "application/pdf", b"%PDF-1.4 invoice"),
        );
        assert_eq!(s, 303, "{body}");
        assert_eq!(
            to.as_deref(),
            Some(&*format!("/cases/{id}/plan?attached=1#xrow-1"))
        );
        let (_, list) = w.employer.get(&format!("/api/v1/cases/{id}/attachments"));
        assert_eq!(list[1]["expense_ref"], "X2");
        assert_eq!(list[1]["kind"], "invoice");
        // A file that is not what it says: the message on the row.
        let (s, html, _) = post_file(
            &w.employer,
            &format!("/cases/{id}/plan/attachments"),
            &[("expense", "X2"), ("kind", "receipt")],
            ("x.pdf", "application/pdf", b"<html>"),
        );
        assert_eq!(s, 415);
        assert!(
            html.contains("href=\"#x1_file\"") && html.contains("id=\"x1_file-error\""),
            "{html}"
        );
        // Another employer's case: not found.
        let (s, _, _) = post_file(
            &emp2,
            &format!("/cases/{id}/plan/attachments"),
            &[("expense", "X2"), ("kind", "receipt")],
            ("r.pdf", "application/pdf", b"%PDF-1.4"),
        );
        assert_eq!(s, 404);
        let invoice = list[1]["id"].as_i64().unwrap();
        assert_eq!(
            post_form(
                &emp2,
                &format!("/cases/{id}/plan/attachments/{invoice}/delete"),
                &[]
            )
            .0,
            404
        );

        // Removed from the page, audited with what it was.
        let (s, _, to) = post_form(
            &w.employer,
            &format!("/cases/{id}/plan/attachments/{invoice}/delete"),
            &[],
        );
        assert_eq!(s, 303);
        assert_eq!(
            to.as_deref(),
            Some(&*format!("/cases/{id}/plan?removed=1#xrow-1"))
        );
        let (actions, log) = audit_actions(&mut w.employer, id);
        assert_eq!(actions.last().unwrap(), "attachment.delete");
        let last = log.as_array().unwrap().last().unwrap();
        assert_eq!(
            (
                last["before"]["filename"].as_str(),
                last["before"]["expense_ref"].as_str()
            ),
            (Some("請求書.pdf"), Some("X2"))
        );
        let (_, html) = page(&mut w.employer, &format!("/cases/{id}/plan?removed=1"));
        assert!(html.contains("添付ファイルを削除しました"));

        // Once the first application is filed, the receipt stays.
        set_clock(&mut w.admin, "2022-06-15");
        assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);
        // Plan submitted: the records wait for the bureau.
        let (s, e) = w
            .employer
            .delete(&format!("/api/v1/cases/{id}/attachments/{aid}"));
        assert_eq!(s, 409, "{e}");
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
        assert_eq!(act(&mut w.officer, id, "grant_equipment", json!({})).0, 200);
        let (s, e) = w
            .employer
            .delete(&format!("/api/v1/cases/{id}/attachments/{aid}"));
        assert_eq!(s, 409, "{e}");
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("計画の提出（令和4年6月15日）で労働局に提出済み"),
            "the one rule names the filing the receipt rests on: {e}"
        );
        assert_eq!(
            w.officer
                .delete(&format!("/api/v1/cases/{id}/attachments/{aid}"))
                .0,
            403
        );
        let (s, html, _) = post_form(
            &w.employer,
            &format!("/cases/{id}/plan/attachments/{aid}/delete"),
            &[],
        );
        assert_eq!(s, 409);
        assert!(html.contains("で労働局に提出済みのため、削除も差し替えもできません"));
        let (_, html) = page(&mut w.employer, &format!("/cases/{id}/plan"));
        assert!(
            html.contains("労働局に提出済みのため削除できません")
                && !html.contains(&format!("form=\"del-{aid}\""))
        );
        let (_, list) = w.employer.get(&format!("/api/v1/cases/{id}/attachments"));
        assert_eq!(list.as_array().unwrap().len(), 1);
        drop(w.server);
    }
}

#[test]
fn only_the_employer_and_their_agent_reach_the_plan_editor() {
    let db = backends().remove(0);
    let mut w = world(&db);
    let (id, _) = new_case(&mut w);
    let mut emp2 = w.server.client();
    emp2.login("emp2", PASSWORD);
    let anonymous = w.server.client();
    let (s, h, _) = anonymous.raw("GET", &format!("/cases/{id}/plan"), None, b"");
    assert_eq!(s, 303);
    assert!(h
        .iter()
        .any(|(k, v)| k == "location" && v.starts_with("/login")));
    assert_eq!(page(&mut emp2, &format!("/cases/{id}/plan")).0, 404);
    assert_eq!(
        page(&mut w.officer, &format!("/cases/{id}/plan")).0,
        404,
        "a draft"
    );
    assert_eq!(
        post_form(&emp2, &format!("/cases/{id}/plan"), &[("version", "1")]).0,
        404
    );
    // The 社労士 once delegated edits it; the bureau, once sent, may only read the case.
    let agent = w.agent_or_employer();
    assert_eq!(page(agent, &format!("/cases/{id}/plan")).0, 200);
    set_clock(&mut w.admin, "2022-06-15");
    assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);
    assert_eq!(page(&mut w.officer, &format!("/cases/{id}/plan")).0, 403);
    assert_eq!(
        post_form(
            &w.officer,
            &format!("/cases/{id}/plan"),
            &[("version", "1")]
        )
        .0,
        403
    );
    // Submitted: the page shows the plan but offers no saving.
    let (s, html) = page(&mut w.employer, &format!("/cases/{id}/plan"));
    assert_eq!(s, 200);
    assert!(html.contains("いまの状態では変更できません") && !html.contains(">保存する<"));
}

/// Fills the target-worker rows of the plan page (adding rows as needed):
/// `(name, employee number, dispatched)`.
pub(super) fn fill_workers(b: &browser::Browser, workers: &[(&str, &str, bool)]) {
    for (i, (name, number, dispatched)) in workers.iter().enumerate() {
        let n = i + 1;
        let row = format!("#worker-rows tr.worker-row:nth-of-type({n})");
        if !b.exists(&row) {
            b.click("button.add-row[data-target=worker-rows]");
        }
        b.fill(&format!("{row} input[name$='_name']"), name);
        b.fill(&format!("{row} input[name$='_number']"), number);
        let value = if *dispatched { "dispatched" } else { "direct" };
        b.click(&format!("{row} select option[value={value}]"));
    }
}

/// Fills expense row `n` (from 1; added when missing).
fn fill_expense(
    b: &browser::Browser,
    n: usize,
    category: &str,
    description: &str,
    amount: &str,
    paid_on: Option<&str>,
) {
    let row = format!("#expenses tbody.expense-row:nth-of-type({n})");
    if !b.exists(&row) {
        b.click("button.add-row[data-target=expenses]");
    }
    b.click(&format!(
        "{row} select[data-role=category] option[value={category}]"
    ));
    b.fill(&format!("{row} input[name$='_description']"), description);
    b.fill(&format!("{row} input[data-role=amount]"), amount);
    match paid_on {
        Some(day) => {
            b.click(&format!(
                "{row} select[data-role=status] option[value=paid]"
            ));
            b.set_value(&format!("{row} input[name$='_paid_on']"), day);
        }
        None => b.click(&format!(
            "{row} select[data-role=status] option[value=planned]"
        )),
    }
}

fn no_overflow(b: &browser::Browser, what: &str) {
    let fits = b.script("return document.documentElement.scrollWidth <= window.innerWidth;");
    assert_eq!(fits, json!(true), "{what}: the page scrolls sideways");
}

fn wait_for_text(b: &browser::Browser, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let t = b.text();
        if t.contains(needle) {
            return t;
        }
        assert!(Instant::now() < deadline, "{needle} never appeared: {t}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_plan_editor_in_chromium_at_1366_and_390() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    let base = w.server.base.clone();
    let (id, _) = r7_case(&mut w);
    let b = browser::Browser::start(1366, 1800);
    web_login(&b, &base, "emp", PASSWORD);
    b.go(&format!("{base}/cases/{id}/plan"));
    // With JavaScript, one blank row of each and buttons to add more.
    assert_eq!(
        b.script("return document.querySelectorAll('#worker-rows tr.worker-row').length;"),
        json!(1)
    );
    assert_eq!(
        b.script("return document.querySelectorAll('#expenses tbody.expense-row').length;"),
        json!(1)
    );
    no_overflow(&b, "empty form at 1366 px");

    // Two workers, three expenses (one planned), typed as people type.
    fill_workers(
        &b,
        &[
            ("山田 太郎", "１００１", false),
            ("佐藤 花子", "1002", true),
        ],
    );
    b.set_value("#evaluation_start", "2025-07-01");
    fill_expense(
        &b,
        1,
        "work_rules",
        "就業規則の改定（社労士報酬）",
        "110000",
        Some("2025-06-30"),
    );
    fill_expense(
        &b,
        2,
        "web_conference_equipment",
        "ヘッドセット 2台",
        "３３，０００",
        None,
    );
    fill_expense(
        &b,
        3,
        "telework_service_fee",
        "リモートデスクトップ 利用料",
        "118,800円",
        Some("2025-07-31"),
    );
    // Leaving the amount field writes it with separators; the planned row hides its payment day.
    b.click("#expenses tbody.expense-row:nth-of-type(1) input[name$='_description']");
    assert_eq!(
        b.value("#expenses tbody.expense-row:nth-of-type(1) input[data-role=amount]"),
        "110,000"
    );
    assert_eq!(b.script("return document.querySelector('#expenses tbody.expense-row:nth-of-type(2) .paid-on').hidden;"), json!(true));
    let t = b.text();
    assert!(
        t.contains("支払済の合計 228,800円") && t.contains("予定の合計 33,000円"),
        "{t}"
    );
    assert!(
        t.contains("この区分の上限：22,000円（超過分は対象外）"),
        "Web会議: 2 workers × 11,000円: {t}"
    );
    b.screenshot("plan-editor-filled");
    b.submit("#plan-form button[type=submit]");
    assert!(
        b.url().ends_with(&format!("/cases/{id}/plan?saved=1")),
        "{}",
        b.url()
    );
    let t = b.text();
    for needle in [
        "保存しました",
        "支払済の合計 228,800円",
        "予定の合計 33,000円",
        "見込み額（予定の経費を含む）",
        "（予定の経費 1件、33,000円を支払った場合）",
    ] {
        assert!(t.contains(needle), "{needle}: {t}");
    }
    for internal in ["W001", "X001", "work_rules", "planned", "ケース"] {
        assert!(!t.contains(internal), "{internal} on the page: {t}");
    }
    assert_eq!(
        b.value("#expenses tbody.expense-row:nth-of-type(3) input[data-role=amount]"),
        "118,800"
    );
    assert_eq!(
        b.value("#worker-rows tr.worker-row:nth-of-type(1) input[name$='_number']"),
        "1001"
    );
    no_overflow(&b, "saved form at 1366 px");
    b.screenshot("plan-editor-saved");
    b.script("document.getElementById('estimate').scrollIntoView(); return null;");
    b.screenshot("plan-editor-estimate");

    // A receipt on the first expense, without leaving the page.
    let receipt = dir(&db).join("領収書.pdf");
    std::fs::write(&receipt, b"%PDF-1.4 receipt").unwrap();
    b.fill(
        "#expenses tbody.expense-row:nth-of-type(1) input[type=file]",
        receipt.to_str().unwrap(),
    );
    b.click("#expenses tbody.expense-row:nth-of-type(1) .upload input[type=submit]");
    wait_for_text(&b, "添付しました：領収書.pdf");
    assert!(
        b.text().contains("領収書.pdf （領収書、16 バイト）"),
        "{}",
        b.text()
    );
    let (_, list) = w.employer.get(&format!("/api/v1/cases/{id}/attachments"));
    assert_eq!(
        (list[0]["expense_ref"].as_str(), list[0]["kind"].as_str()),
        (Some("X001"), Some("receipt"))
    );
    // The row with a receipt cannot be removed until the receipt goes.
    assert_eq!(b.script("return document.querySelector('#expenses tbody.expense-row:nth-of-type(1) button.remove-row').hidden;"), json!(true));
    b.screenshot("plan-editor-receipt");

    // Remove the third expense; save.
    b.click("#expenses tbody.expense-row:nth-of-type(3) button.remove-row");
    assert_eq!(
        b.script("return document.querySelectorAll('#expenses tbody.expense-row').length;"),
        json!(2)
    );
    b.submit("#plan-form button[type=submit]");
    let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
    assert_eq!(
        c["document"]["expenses"].as_array().unwrap().len(),
        2,
        "{}",
        c["document"]["expenses"]
    );

    // A name left empty: the message by the field, the summary above, and
    // everything typed kept.
    b.fill(
        "#worker-rows tr.worker-row:nth-of-type(1) input[name$='_name']",
        "",
    );
    b.fill(
        "#expenses tbody.expense-row:nth-of-type(2) input[data-role=amount]",
        "44,000",
    );
    b.submit("#plan-form button[type=submit]");
    let t = b.text();
    assert!(
        t.contains("入力を確かめてください（1か所）")
            && t.contains("対象労働者 1人目の氏名：氏名を入力してください"),
        "{t}"
    );
    assert!(b.exists("#worker-rows tr.worker-row:nth-of-type(1) input[aria-invalid=true]"));
    assert!(b.exists("#w0_name-error"));
    assert_eq!(
        b.value("#worker-rows tr.worker-row:nth-of-type(2) input[name$='_name']"),
        "佐藤 花子"
    );
    assert_eq!(
        b.value("#expenses tbody.expense-row:nth-of-type(2) input[data-role=amount]"),
        "44,000"
    );
    assert_eq!(
        b.script("return document.activeElement.id;"),
        json!("error-summary")
    );
    no_overflow(&b, "errors at 1366 px");
    b.screenshot("plan-editor-error");
    b.click("a[href='#w0_name']");
    b.fill("#w0_name", "山田 太郎");
    b.submit("#plan-form button[type=submit]");
    assert!(b.text().contains("保存しました"));

    // At phone width: cards, no sideways scrolling, the amount whole.
    let phone = browser::Browser::start(390, 844);
    web_login(&phone, &base, "emp", PASSWORD);
    phone.go(&format!("{base}/cases/{id}/plan"));
    no_overflow(&phone, "390 px");
    assert_eq!(phone.script("return getComputedStyle(document.querySelector('#expenses tbody.expense-row')).display;"), json!("block"));
    let amount = phone.script("var i = document.querySelector('#expenses tbody.expense-row input[data-role=amount]'); return i.scrollWidth <= i.clientWidth;");
    assert_eq!(amount, json!(true), "110,000 fits its field");
    phone.screenshot("plan-editor-phone");
    phone.script("document.querySelector('#workers').scrollIntoView(); return null;");
    phone.screenshot("plan-editor-phone-workers");
    phone.script("document.querySelector('#expenses').scrollIntoView(); return null;");
    phone.screenshot("plan-editor-phone-expenses");
    // An error at phone width stays readable.
    phone.fill(
        "#expenses tbody.expense-row:nth-of-type(1) input[data-role=amount]",
        "11万",
    );
    phone.submit("#plan-form button[type=submit]");
    assert!(phone.text().contains("「万」「千」などの単位は使えません"));
    no_overflow(&phone, "errors at 390 px");
    phone.screenshot("plan-editor-phone-error");
}
