//! The applicants' pages, loose ends (area H): one rule for removing
//! documents on every page and the API, bureau names from the directory,
//! imports that find workers by 社員番号 or name, the 社労士's registration
//! number on the print-out, and the case page's messages and dates; in
//! process for SQLite and PostgreSQL.

use super::*;

/// Posts a page form with the session's CSRF token: status, page, redirect.
fn post_form(c: &Client, path: &str, fields: &[(&str, &str)]) -> (u16, String, Option<String>) {
    let csrf = c.csrf.clone().unwrap_or_default();
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

/// Posts the import form of the records page (multipart, with the CSRF token).
fn post_csv(c: &Client, path: &str, kind: &str, csv: &str) -> (u16, String) {
    let boundary = "----joseiLooseEndsBoundary";
    let mut body = Vec::new();
    for (k, v) in [
        ("csrf", c.csrf.clone().unwrap_or_default()),
        ("kind", kind.to_string()),
        ("mode", "append".to_string()),
    ] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"records.csv\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
    body.extend_from_slice(csv.as_bytes());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (s, _, b) = c.raw(
        "POST",
        path,
        Some(&format!("multipart/form-data; boundary={boundary}")),
        &body,
    );
    (s, String::from_utf8_lossy(&b).into_owned())
}

fn html(c: &mut Client, path: &str) -> (u16, String) {
    let (s, b) = c.get_raw(path);
    (s, String::from_utf8_lossy(&b).into_owned())
}

/// The text a person reads: tags dropped, the few entities maud writes decoded.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn attach(c: &mut Client, id: i64, query: &str) -> i64 {
    let (s, a) = c.post_bytes(
        &format!("/api/v1/cases/{id}/attachments?{query}"),
        "application/pdf",
        b"%PDF-1.4 a document",
    );
    assert_eq!(s, 201, "{a}");
    a["id"].as_i64().unwrap()
}

#[test]
fn a_returned_plan_releases_its_documents_on_every_page_and_the_api() {
    for db in backends() {
        let mut w = world(&db);
        let (id, _) = new_case(&mut w);
        // A receipt on the router's row, and the current work rules.
        let receipt = attach(
            &mut w.employer,
            id,
            "kind=receipt&filename=router.pdf&expense=X2",
        );
        let rules = attach(&mut w.employer, id, "kind=work_rules&filename=rules.pdf");
        set_clock(&mut w.admin, "2022-06-15");
        assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);

        // The plan rests on both: the API, the plan page and the case page agree.
        for aid in [receipt, rules] {
            let (s, e) = w
                .employer
                .delete(&format!("/api/v1/cases/{id}/attachments/{aid}"));
            assert_eq!(s, 409, "{e}");
            let m = e["error"]["message"].as_str().unwrap();
            assert!(
                m.contains("計画の提出（令和4年6月15日）で労働局に提出済み"),
                "{m}"
            );
        }
        let (_, plan) = html(&mut w.employer, &format!("/cases/{id}/plan"));
        assert!(!plan.contains(&format!("form=\"del-{receipt}\"")), "{plan}");
        assert!(
            plan.contains("労働局に提出済みのため削除できません"),
            "{plan}"
        );
        let (_, page) = html(&mut w.employer, &format!("/cases/{id}"));
        assert!(
            !page.contains(&format!("/cases/{id}/documents/{rules}\"")),
            "{page}"
        );
        let (s, body, _) = post_form(
            &w.employer,
            &format!("/cases/{id}/plan/attachments/{receipt}/delete"),
            &[],
        );
        assert_eq!(s, 409, "{body}");
        let (s, body, _) = post_form(
            &w.employer,
            &format!("/cases/{id}/documents/{rules}/remove"),
            &[],
        );
        assert_eq!(s, 409, "{body}");

        // Returned for correction: the documents are the applicant's again, everywhere.
        set_clock(&mut w.admin, "2022-06-20");
        let (s, r) = act(
            &mut w.officer,
            id,
            "return_plan",
            json!({"reason": "就業規則の写しを差し替えてください"}),
        );
        assert_eq!(s, 200, "{r}");
        let (_, plan) = html(&mut w.employer, &format!("/cases/{id}/plan"));
        assert!(plan.contains(&format!("form=\"del-{receipt}\"")), "{plan}");
        let (_, page) = html(&mut w.employer, &format!("/cases/{id}"));
        assert!(
            page.contains(&format!("/cases/{id}/documents/{rules}\"")),
            "{page}"
        );
        let (s, _) = w
            .employer
            .delete(&format!("/api/v1/cases/{id}/attachments/{rules}"));
        assert_eq!(s, 204);
        let (s, _, to) = post_form(
            &w.employer,
            &format!("/cases/{id}/plan/attachments/{receipt}/delete"),
            &[],
        );
        assert_eq!(s, 303);
        assert!(to.unwrap().contains("removed=1"));
        let (_, list) = w.employer.get(&format!("/api/v1/cases/{id}/attachments"));
        assert_eq!(list, json!([]));
        // Still nobody else's to remove: an officer is refused, another employer never sees it.
        let again = attach(&mut w.employer, id, "kind=work_rules&filename=rules2.pdf");
        assert_eq!(
            w.officer
                .delete(&format!("/api/v1/cases/{id}/attachments/{again}"))
                .0,
            403
        );
        let mut emp2 = w.server.client();
        emp2.login("emp2", PASSWORD);
        assert_eq!(
            emp2.delete(&format!("/api/v1/cases/{id}/attachments/{again}"))
                .0,
            404
        );
    }
}

#[test]
fn bureau_names_come_from_the_directory_and_days_from_the_workflow() {
    for db in backends() {
        let mut w = world(&db);
        // The directory's entry for Tokyo, as an administrator keeps it.
        let (s, b) = w.admin.put(
            "/api/v1/bureaus/13",
            &json!({"department": "雇用環境・均等部 企画課"}),
        );
        assert_eq!(s, 200, "{b}");
        let (id, _) = new_case(&mut w);
        set_clock(&mut w.admin, "2022-06-15");
        // Before sending: where it goes.
        let (_, review) = html(&mut w.employer, &format!("/cases/{id}/review/submit_plan"));
        let t = visible(&review);
        assert!(
            t.contains("送り先：東京労働局 雇用環境・均等部 企画課"),
            "{t}"
        );
        assert!(t.contains("まだ東京労働局には送っていません"), "{t}");
        assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);
        set_clock(&mut w.admin, "2022-06-20");
        let (s, r) = act(
            &mut w.officer,
            id,
            "return_plan",
            json!({"reason": "対象労働者の雇用形態を確認してください"}),
        );
        assert_eq!(s, 200, "{r}");
        // The case page: the bureau by name, the day the training clock gave.
        let (_, page) = html(&mut w.employer, &format!("/cases/{id}"));
        let t = visible(&page);
        let decisions = t.split("労働局からの決定").nth(1).unwrap();
        assert!(
            decisions.contains("差戻し")
                && decisions.contains("2022-06-20（令和4年6月20日）")
                && decisions.contains("東京労働局")
                && decisions.contains("対象労働者の雇用形態を確認してください"),
            "{decisions}"
        );
        // The notification (and its e-mail) names the bureau too.
        let (_, notes) = w.employer.get("/api/v1/notifications");
        let body = notes["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["kind"] == "plan_returned")
            .map(|n| n["body"].as_str().unwrap().to_string())
            .expect("a notification of the return");
        assert!(body.contains("東京労働局から差し戻されました"), "{body}");
        set_clock(&mut w.admin, "2022-06-25");
        assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);
        set_clock(&mut w.admin, "2022-07-01");
        assert_eq!(act(&mut w.officer, id, "certify_plan", json!({})).0, 200);
        let (_, page) = html(&mut w.employer, &format!("/cases/{id}"));
        let t = visible(&page);
        let certified = t
            .split("テレワーク実施計画：計画認定")
            .nth(1)
            .expect("the certification among the decisions");
        assert!(
            certified.starts_with("決定日2022-07-01（令和4年7月1日）"),
            "{t}"
        );
        // The print-out's head: the directory's bureau and department.
        let (_, print) = html(&mut w.employer, &format!("/cases/{id}/print?doc=plan"));
        let t = visible(&print);
        assert!(
            t.contains("提出先 東京労働局 雇用環境・均等部 企画課"),
            "{t}"
        );
    }
}

/// A case whose target workers have the plan editor's ids, with names and
/// numbers: 山田 太郎 (1001), 佐藤 花子 (no number), 鈴木 一郎 (1003).
fn named_workers_case(w: &mut World) -> i64 {
    let (id, c) = new_case(w);
    let mut doc = c["document"].clone();
    doc["plan"]["target_workers"] = json!([
        {"id": "W001", "employment": "direct", "name": "山田 太郎", "employee_number": "1001"},
        {"id": "W002", "employment": "direct", "name": "佐藤 花子"},
        {"id": "W003", "employment": "direct", "name": "鈴木 一郎", "employee_number": "1003"},
    ]);
    doc["telework"] = json!([]);
    doc["roster"] = json!([]);
    let (s, c) = w.employer.put(
        &format!("/api/v1/cases/{id}/inputs"),
        &json!({"version": version(&c), "document": doc}),
    );
    assert_eq!(s, 200, "{c}");
    id
}

#[test]
fn imports_find_workers_by_their_number_or_their_name() {
    for db in backends() {
        let mut w = world(&db);
        let id = named_workers_case(&mut w);
        set_clock(&mut w.admin, "2022-11-01");
        // The template's example names the first worker by 社員番号.
        let (s, t) = w
            .employer
            .get_raw(&format!("/cases/{id}/import/template/telework"));
        assert_eq!(s, 200);
        let t = String::from_utf8(t).unwrap();
        assert!(t.contains("\r\n1001,2022/8/1,在宅\r\n"), "{t}");
        assert!(!t.contains("W001"), "{t}");

        // The preview: people by number and by name; a stranger is flagged.
        let csv = "従業員ID,日付,勤務場所\n1001,2022/8/3,在宅\n佐藤 花子,2022/8/3,在宅\n鈴木 一郎,2022/8/4,在宅\n9999,2022/8/4,在宅\n";
        let (s, preview) = post_csv(&w.employer, &format!("/cases/{id}/import"), "telework", csv);
        assert_eq!(s, 200, "{preview}");
        let t = visible(&preview);
        assert!(
            t.contains("計画の対象労働者にいない人です") && t.contains("9999"),
            "{t}"
        );
        assert!(
            t.contains("山田 太郎（社員番号 1001）") && t.contains("佐藤 花子"),
            "the workers by name: {t}"
        );
        assert!(!t.contains("W001") && !t.contains("W002"), "{t}");
        // Stored through the API, by the same rule.
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        let (s, c) = w.employer.post_bytes(
            &format!(
                "/api/v1/cases/{id}/imports/telework?version={}",
                version(&c)
            ),
            "text/csv",
            csv.as_bytes(),
        );
        assert_eq!(s, 200, "{c}");
        let mut workers: Vec<&str> = c["document"]["telework"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["worker"].as_str().unwrap())
            .collect();
        workers.sort();
        assert_eq!(workers, ["9999", "W001", "W002", "W003"]);
        // A roster headed 社員番号: target workers by their ids, others as written.
        let (s, c) = w.employer.post_bytes(
            &format!("/api/v1/cases/{id}/imports/roster?version={}", version(&c)),
            "text/csv",
            "社員番号,入社日,離職日,離職理由\n1003,2015/4/1,,\n2001,2016/4/1,,\n".as_bytes(),
        );
        assert_eq!(s, 200, "{c}");
        let ids: Vec<&str> = c["document"]["roster"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["W003", "2001"]);
        // The records page names them as people know them.
        let (_, records) = html(&mut w.employer, &format!("/cases/{id}/import"));
        let t = visible(&records);
        assert!(
            t.contains("山田 太郎（社員番号 1001）") && t.contains("鈴木 一郎（社員番号 1003）"),
            "{t}"
        );
        assert!(!t.contains("W00"), "no internal id: {t}");
        // The CLI imports by the same rule (once the plan is certified, as
        // its clock is the real one).
        set_clock(&mut w.admin, "2022-06-15");
        assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);
        set_clock(&mut w.admin, "2022-07-01");
        assert_eq!(act(&mut w.officer, id, "certify_plan", json!({})).0, 200);
        let file = dir(&db).join("more.csv");
        std::fs::write(&file, "従業員ID,日付,勤務場所\n佐藤 花子,2022/8/10,在宅\n").unwrap();
        let out = cli(
            &db,
            &[
                "import",
                "telework",
                &id.to_string(),
                file.to_str().unwrap(),
            ],
            None,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        let added = c["document"]["telework"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["date"] == "2022-08-10")
            .unwrap();
        assert_eq!(added["worker"], "W002");
    }
}

#[test]
fn agents_register_their_number_and_the_print_out_carries_it() {
    for db in backends() {
        let mut w = world(&db);
        // The API: an administrator creates a 社労士 with the particulars.
        let (s, u) = w.admin.post(
            "/api/v1/users",
            &json!({"username": "sr3", "password": PASSWORD, "role": "agent",
                "registration_number": "１３０１２３４５", "office_name": "みなと社会保険労務士事務所"}),
        );
        assert_eq!(s, 201, "{u}");
        assert_eq!(
            (u["registration_number"].as_str(), u["office_name"].as_str()),
            (Some("13012345"), Some("みなと社会保険労務士事務所"))
        );
        for (body, field) in [
            (
                json!({"username": "sr4", "password": PASSWORD, "role": "agent", "registration_number": "12-345"}),
                "registration_number",
            ),
            (
                json!({"username": "sr5", "password": PASSWORD, "role": "agent", "registration_number": "12345678901"}),
                "registration_number",
            ),
            (
                json!({"username": "emp9", "password": PASSWORD, "role": "employer", "organization_id": w.org_id, "registration_number": "123"}),
                "registration_number",
            ),
        ] {
            let (s, e) = w.admin.post("/api/v1/users", &body);
            assert_eq!(s, 422, "{e}");
            assert_eq!(e["error"]["field"], field, "{e}");
        }
        // The CLI.
        let out = cli(
            &db,
            &[
                "user",
                "add",
                "--username",
                "sr6",
                "--role",
                "agent",
                "--registration-number",
                "27000001",
                "--office-name",
                "なにわ事務所",
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
                "sr7",
                "--role",
                "agent",
                "--registration-number",
                "第1号",
            ],
            Some(PASSWORD),
        );
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("登録番号"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );

        // The account page: the agent sets their own, with errors by the field.
        let (_, page) = html(&mut w.agent, "/account");
        assert!(page.contains("id=\"registration_number\""), "{page}");
        let (s, page, _) = post_form(
            &w.agent,
            "/account/particulars",
            &[
                ("registration_number", "13-0001"),
                ("office_name", "みなと事務所"),
            ],
        );
        assert_eq!(s, 422, "{page}");
        assert!(
            page.contains("aria-invalid=\"true\"")
                && page.contains("href=\"#registration_number\"")
                && page.contains("id=\"registration_number-error\""),
            "{page}"
        );
        assert!(
            page.contains("value=\"13-0001\"") && page.contains("value=\"みなと事務所\""),
            "what was typed is kept: {page}"
        );
        let (s, _, to) = post_form(
            &w.agent,
            "/account/particulars",
            &[
                ("registration_number", "１３０９８７６５"),
                ("office_name", "みなと社会保険労務士事務所"),
            ],
        );
        assert_eq!(s, 303);
        let to = to.unwrap();
        assert_eq!(to, "/account?particulars=saved#particulars");
        let (_, page) = html(&mut w.agent, &to);
        assert!(
            page.contains("登録番号と事務所名を保存しました")
                && page.contains("value=\"13098765\""),
            "{page}"
        );
        // Without the form's token nothing is saved; an employer has no such section.
        let mut no_token = w.agent.clone();
        no_token.csrf = Some("wrong".into());
        let (s, _, _) = post_form(
            &no_token,
            "/account/particulars",
            &[("registration_number", "1")],
        );
        assert_eq!(s, 403);
        let (_, page) = html(&mut w.employer, "/account");
        assert!(!page.contains("id=\"registration_number\""), "{page}");
        let (s, _, _) = post_form(
            &w.employer,
            "/account/particulars",
            &[("registration_number", "1")],
        );
        assert_eq!(s, 403);

        // The employer's print-out carries the delegated 社労士's particulars.
        let (id, _) = new_case(&mut w);
        w.agent_or_employer();
        let (_, print) = html(&mut w.employer, &format!("/cases/{id}/print?doc=plan"));
        let t = visible(&print);
        let block = t.split("社会保険労務士（提出代行者）").nth(1).unwrap_or("");
        assert!(
            block.contains("13098765") && block.contains("みなと社会保険労務士事務所"),
            "{t}"
        );
        assert!(!t.contains("登録番号がまだ登録されていない"), "{t}");
    }
}

#[test]
fn the_case_page_says_what_the_diagnosis_did_and_links_the_records() {
    for db in backends() {
        let mut w = world(&db);
        let (id, _) = new_case(&mut w);
        let (s, page) = html(&mut w.employer, &format!("/cases/{id}?done=diagnosis"));
        assert_eq!(s, 200);
        let t = visible(&page);
        assert!(
            t.contains(
                "診断の内容で申請を作りました。対象労働者と取組を「計画の内容」で入力してください。"
            ),
            "{t}"
        );
        // Near the import form: the records page, with its templates.
        let form = page
            .find(&format!("action=\"/cases/{id}/import\""))
            .unwrap();
        let link = page
            .find(&format!("href=\"/cases/{id}/import\""))
            .expect("a link to the records page");
        assert!(link > form, "{page}");
        assert!(t.contains("社員番号か氏名"), "{t}");
        assert!(!t.contains("ケース"), "{t}");
    }
}
