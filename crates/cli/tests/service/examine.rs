//! The bureau's review page (`/cases/{id}` for officers and administrators):
//! every section with the case's own values, failing checks before passing
//! ones, the audit trail in words; applicants keep their own page. In
//! process on SQLite and PostgreSQL, and in Chromium at 1366 and 390 px.

use super::*;

fn page_text(c: &mut Client, path: &str) -> (u16, String) {
    let (s, b) = c.get_raw(path);
    (s, String::from_utf8(b).unwrap())
}

/// The part of `html` from the element with `id` to the next `until` id.
fn section<'a>(html: &'a str, id: &str, until: &str) -> &'a str {
    let from = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let to = html[from..]
        .find(&format!("id=\"{until}\""))
        .map_or(html.len(), |n| from + n);
    &html[from..to]
}

/// The table row of `part` that contains `needle`.
fn row_with<'a>(part: &'a str, needle: &str) -> &'a str {
    let at = part
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle} in {part}"));
    let start = part[..at].rfind("<tr").unwrap();
    let end = at + part[at..].find("</tr>").unwrap();
    &part[start..end]
}

/// Case 01 with names, the applicant's particulars, a leaver in the roster,
/// an ineligible item, a missing 職場風土作り day (a failing check), a
/// receipt for the router, a corrected amount, filed on 2022-11-25.
fn filed_case(w: &mut World) -> i64 {
    let (id, c) = new_case(w);
    let mut doc = c["document"].clone();
    doc["employer"]["address"] = json!("東京都港区芝公園一丁目1番1号");
    doc["employer"]["representative"] = json!("代表取締役 港 一郎");
    doc["employer"]["employment_insurance_number"] = json!("1301-123456-7");
    for (i, (name, no)) in [
        ("山田 太郎", "1001"),
        ("佐藤 花子", "1002"),
        ("鈴木 一郎", "1003"),
    ]
    .iter()
    .enumerate()
    {
        doc["plan"]["target_workers"][i]["name"] = json!(name);
        doc["plan"]["target_workers"][i]["employee_number"] = json!(no);
    }
    doc["workplace_climate"]["case_sharing_on"] = Value::Null;
    doc["expenses"][1]["amount_yen"] = json!(80000);
    doc["expenses"].as_array_mut().unwrap().push(json!({
        "id": "X5", "category": "pc_tablet_smartphone", "amount_yen": 150000,
        "delivered_on": "2022-07-15", "paid_on": "2022-07-29", "description": "ノートパソコン"
    }));
    let (s, c) = w.employer.put(
        &format!("/api/v1/cases/{id}/inputs"),
        &json!({"version": version(&c), "document": doc}),
    );
    assert_eq!(s, 200, "{c}");
    // The amount corrected: the trail shows it field by field.
    doc["expenses"][1]["amount_yen"] = json!(88000);
    let (s, c) = w.employer.put(
        &format!("/api/v1/cases/{id}/inputs"),
        &json!({"version": version(&c), "document": doc}),
    );
    assert_eq!(s, 200, "{c}");
    let (s, a) = w.employer.post_bytes(
        &format!(
            "/api/v1/cases/{id}/attachments?kind=receipt&filename=router-receipt.pdf&expense=X2"
        ),
        "application/pdf",
        b"%PDF-1.4 receipt",
    );
    assert_eq!(s, 201, "{a}");
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
    let (s, c) = act(&mut w.employer, id, "file_equipment", json!({}));
    assert_eq!(s, 200, "{c}");
    set_clock(&mut w.admin, "2022-12-01");
    id
}

#[test]
fn the_officer_sees_everything_the_decision_rests_on() {
    for db in backends() {
        let mut w = world(&db);
        let id = filed_case(&mut w);
        let (s, api) = w.officer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(s, 200, "{api}");
        let e = &api["evaluation"];
        let (s, html) = page_text(&mut w.officer, &format!("/cases/{id}"));
        assert_eq!(s, 200, "{html}");

        // The header: number, status, the day received, the regime, the summary.
        let head = &html[..html.find("id=\"decisions\"").unwrap()];
        assert!(
            head.contains("申請番号") && head.contains(&format!("<dd>{id}</dd>")),
            "{head}"
        );
        assert!(
            head.contains("2022-11-25（令和4年11月25日）"),
            "received: {head}"
        );
        assert!(head.contains("令和4年度の制度"), "{head}");
        let checks = e["equipment_subsidy"]["checks"].as_array().unwrap();
        let count = |st: &str| checks.iter().filter(|c| c["status"] == st).count();
        assert!(count("fail") >= 1, "a failing check: {checks:?}");
        let summary = format!(
            "{}：要件 {}件中 不適合 {}件・確認中 {}件",
            "機器等導入助成",
            checks.len(),
            count("fail"),
            count("pending")
        );
        assert!(head.contains(&summary), "{summary} in {head}");
        // The sections in order, with a table of contents.
        let mut at = 0;
        for id in [
            "decisions",
            "checks",
            "employer",
            "workers",
            "expenses",
            "telework",
            "roster",
            "regime",
            "documents",
            "messages",
            "audit",
        ] {
            assert!(html.contains(&format!("href=\"#{id}\"")), "toc {id}");
            let here = html
                .find(&format!("id=\"{id}\""))
                .unwrap_or_else(|| panic!("#{id}"));
            assert!(here > at, "{id} out of order");
            at = here;
        }
        // The decisions: the grant form is there.
        assert!(section(&html, "decisions", "checks").contains("action-grant_equipment"));

        // Failing checks before passing ones.
        let part = section(&html, "checks", "employer");
        let first_goal = part.find("目標達成助成：").unwrap();
        let equipment = &part[..first_goal];
        let pos = |m: &str| equipment.find(m).unwrap_or_else(|| panic!("{m} missing"));
        let last_open = checks
            .iter()
            .filter(|c| c["status"] != "pass")
            .map(|c| pos(c["message"].as_str().unwrap()))
            .max()
            .unwrap();
        let passed = equipment.find("適合している要件").unwrap();
        assert!(last_open < passed, "open checks first");
        for c in checks.iter().filter(|c| c["status"] == "pass") {
            let m = c["message"].as_str().unwrap();
            assert!(equipment[passed..].contains(m), "passing check folded: {m}");
            assert!(
                !equipment[..passed].contains(m),
                "passing check among open: {m}"
            );
        }
        assert!(equipment.contains("<details"));

        // The employer's profile.
        let part = section(&html, "employer", "workers");
        for v in [
            "株式会社みなと商店",
            "東京都港区芝公園一丁目1番1号",
            "代表取締役 港 一郎",
            "1301-123456-7",
            "小売業（飲食店を含む）",
            "10,000,000円",
            "12人",
            "該当",
            "これから導入する",
        ] {
            assert!(part.contains(v), "{v} in {part}");
        }
        // Target workers.
        let part = section(&html, "workers", "expenses");
        for v in [
            "山田 太郎",
            "1001",
            "佐藤 花子",
            "1002",
            "鈴木 一郎",
            "直接雇用",
        ] {
            assert!(part.contains(v), "{v}");
        }
        // Expenses: amounts, dates, the receipt on the router's row only, eligibility.
        let part = section(&html, "expenses", "telework");
        let router = row_with(part, "VPNルーター");
        assert!(
            router.contains("88,000円")
                && router.contains("令和4年7月11日")
                && router.contains("令和4年7月29日"),
            "{router}"
        );
        assert!(
            router.contains("router-receipt.pdf") && router.contains("/attachments/"),
            "{router}"
        );
        assert!(
            router.contains("支払済") && router.contains("対象"),
            "{router}"
        );
        let rules = row_with(part, "就業規則改定");
        assert!(
            rules.contains("132,000円") && !rules.contains("router-receipt.pdf"),
            "{rules}"
        );
        let pc = row_with(part, "ノートパソコン");
        assert!(
            pc.contains("対象外") && pc.contains("助成対象外の経費です"),
            "{pc}"
        );
        assert!(part.contains("支給対象経費の合計"));
        assert!(part.contains(&format!(
            "{}円",
            format_yen(e["expenses"]["eligible_total_yen"].as_u64().unwrap())
        )));
        // Telework per worker in the evaluation period.
        let part = section(&html, "telework", "roster");
        let yamada = row_with(part, "山田 太郎");
        let period = &e["schedule"]["evaluation_period"];
        let (from, to) = (
            period["from"].as_str().unwrap(),
            period["to"].as_str().unwrap(),
        );
        let days = api["document"]["telework"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["worker"] == "E001" && t["place"] == "home")
            .filter(|t| (from..=to).contains(&t["date"].as_str().unwrap()))
            .count();
        assert!(days > 5);
        assert!(
            yamada.contains(&format!("<strong>{days}日</strong>")),
            "{days}: {yamada}"
        );
        assert!(
            part.contains("① 対象労働者全員が1回以上：3 / 3人"),
            "{part}"
        );
        assert!(
            part.contains("数える場所：自宅・サテライトオフィス"),
            "{part}"
        );
        // The roster and the turnover of the plan period.
        let part = section(&html, "roster", "regime");
        let plan = &e["turnover"]["plan"];
        let row = row_with(part, "計画時離職率");
        assert!(row.contains(&format!("{}人", plan["headcount"])), "{row}");
        assert!(row.contains(&format!("{}人", plan["separations"])), "{row}");
        assert!(
            row.contains(&format!("{:.2}%", plan["rate_percent"].as_f64().unwrap())),
            "{row}"
        );
        assert!(row_with(part, "評価時離職率").contains("期間が終わってから計算します"));
        assert!(
            part.contains("自己都合") && part.contains("定年退職"),
            "{part}"
        );
        assert!(
            part.contains("山田 太郎（社員番号 1001）（対象労働者）"),
            "{part}"
        );
        // The regime and its assumptions.
        let part = section(&html, "regime", "documents");
        assert!(part.contains("令和4年度の制度で判定しています"));
        // Documents of each filing, with their files.
        let part = section(&html, "documents", "messages");
        assert!(
            part.contains("計画の提出の書類") && part.contains("機器等導入助成の支給申請の書類"),
            "{part}"
        );
        assert!(part.contains("router-receipt.pdf"));

        // The trail: names, labels, field by field; no codes, ids or JSON.
        let part = section(&html, "audit", "print");
        for v in [
            "emp（事業主）",
            "tokyo（労働局職員）",
            "計画の認定",
            "機器等導入助成の支給申請",
            "経費「VPNルーター」の金額：80,000円 → 88,000円",
            "書類の添付",
        ] {
            assert!(part.contains(v), "{v} in {part}");
        }
        for bad in ["case.", "attachment.", "{", "user_id", "_on", "amount_yen"] {
            assert!(!part.contains(bad), "{bad} in {part}");
        }

        // An administrator gets the same page.
        let (s, admin) = page_text(&mut w.admin, &format!("/cases/{id}"));
        assert_eq!(s, 200);
        assert!(admin.contains("id=\"decisions\"") && admin.contains("操作の記録"));
        // Another prefecture's officer does not see the case at all.
        let (s, other) = page_text(&mut w.other_officer, &format!("/cases/{id}"));
        assert_eq!(s, 404, "{other}");
        assert!(!other.contains("株式会社みなと商店"));
        // The employer and the delegated 社労士 keep the applicant's page.
        let (s, mine) = page_text(&mut w.employer, &format!("/cases/{id}"));
        assert_eq!(s, 200);
        assert!(mine.contains("いまの状況"), "applicant's status panel");
        for bad in [
            "id=\"decisions\"",
            "操作の記録",
            "要件 ",
            "受付日",
            "action-grant_equipment",
        ] {
            assert!(!mine.contains(bad), "{bad} on the employer's page");
        }
        let (s, _) = page_text(&mut w.agent, &format!("/cases/{id}"));
        assert_eq!(s, 404, "not yet delegated");
        w.agent_or_employer();
        let (s, theirs) = page_text(&mut w.agent, &format!("/cases/{id}"));
        assert_eq!(s, 200);
        assert!(!theirs.contains("操作の記録") && !theirs.contains("id=\"decisions\""));
    }
}

/// 「104,940」: the amount as pages print it, without the 円.
fn format_yen(n: u64) -> String {
    josei_rules::model::Yen(n)
        .to_string()
        .trim_end_matches('円')
        .to_string()
}

/// Each decision is reached from the review page, and only recorded on its own page.
#[test]
fn each_decision_is_reached_from_the_review_page() {
    let db = backends().remove(0);
    let mut w = world(&db);
    let id = filed_case(&mut w);
    let (_, page) = w.officer.get_raw(&format!("/cases/{id}"));
    let html = String::from_utf8(page).unwrap();
    for action in ["grant_equipment", "deny_equipment"] {
        assert!(
            html.contains(&format!("href=\"/cases/{id}/decide/{action}\"")),
            "{action}: {html}"
        );
    }
    // A decision posted to the review page's action route is not recorded:
    // it is sent to its own page (reason, date, confirmation).
    let (_, api) = w.officer.get(&format!("/api/v1/cases/{id}"));
    let (s, h, _) = w.officer.raw(
        "POST",
        &format!("/cases/{id}/action"),
        Some("application/x-www-form-urlencoded"),
        format!(
            "csrf={}&version={}&action=grant_equipment&reason=",
            w.officer.csrf.clone().unwrap(),
            version(&api)
        )
        .as_bytes(),
    );
    assert_eq!(s, 303);
    assert!(h
        .iter()
        .any(|(k, v)| k == "location" && v == &format!("/cases/{id}/decide/grant_equipment")));
    let (_, after) = w.officer.get(&format!("/api/v1/cases/{id}"));
    assert_eq!(after["case"]["status"], "equipment_filed");
}

#[test]
fn web_examine_page_at_desktop_and_phone_widths() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    let base = w.server.base.clone();
    let id = filed_case(&mut w);
    for (width, height, tag) in [(1366, 900, "1366"), (390, 844, "390")] {
        let b = if width < 500 {
            browser::Browser::start_phone(width, height)
        } else {
            browser::Browser::start(width, height)
        };
        web_login(&b, &base, "tokyo", PASSWORD);
        b.go(&format!("{base}/cases/{id}"));
        let t = b.text();
        assert!(t.contains("要件 ") && t.contains("受付日"), "{t}");
        assert!(
            t.contains("山田 太郎") && t.contains("router-receipt.pdf"),
            "{t}"
        );
        let fits = b.script("return document.documentElement.scrollWidth <= window.innerWidth;");
        assert_eq!(fits, json!(true), "overflows at {width}");
        b.screenshot(&format!("examine-{tag}"));
        for part in [
            "decisions",
            "checks",
            "expenses",
            "telework",
            "roster",
            "documents",
            "audit",
        ] {
            b.script(&format!(
                "document.getElementById('{part}').scrollIntoView(); return true;"
            ));
            b.screenshot(&format!("examine-{tag}-{part}"));
        }
        // The table of contents leads to its section.
        b.click("nav.toc a[href='#expenses']");
        assert!(b.url().ends_with("#expenses"), "{}", b.url());
    }
}

/// A 令和7年度 application (no plan) filed for 制度導入助成: the page speaks
/// of that regime, its measures period and its turnover before and after.
#[test]
fn a_no_plan_application_is_reviewed_in_its_own_terms() {
    for db in backends() {
        let mut w = world(&db);
        set_clock(&mut w.admin, "2025-04-05");
        let (s, c) = w.employer.post(
            "/api/v1/cases",
            &json!({"title": "制度の導入（令和7年度）"}),
        );
        assert_eq!(s, 201, "{c}");
        let id = c["case"]["id"].as_i64().unwrap();
        let (s, c) = w.employer.put(
            &format!("/api/v1/cases/{id}/inputs"),
            &json!({"version": version(&c), "document": case09_document()}),
        );
        assert_eq!(s, 200, "{c}");
        set_clock(&mut w.admin, "2025-07-01");
        assert_eq!(
            act(&mut w.employer, id, "start_evaluation", json!({})).0,
            200
        );
        set_clock(&mut w.admin, "2025-10-25");
        let (s, c) = act(&mut w.employer, id, "file_equipment", json!({}));
        assert_eq!(s, 200, "{c}");
        let (_, api) = w.officer.get(&format!("/api/v1/cases/{id}"));
        let checks = api["evaluation"]["equipment_subsidy"]["checks"]
            .as_array()
            .unwrap()
            .clone();
        let (s, html) = page_text(&mut w.officer, &format!("/cases/{id}"));
        assert_eq!(s, 200, "{html}");
        let head = &html[..html.find("id=\"decisions\"").unwrap()];
        assert!(head.contains("令和7年度の制度（計画の認定なし）"), "{head}");
        assert!(head.contains("2025-10-25（令和7年10月25日）"), "{head}");
        let fail = checks.iter().filter(|c| c["status"] == "fail").count();
        let pending = checks.iter().filter(|c| c["status"] == "pending").count();
        let line = if fail + pending == 0 {
            format!("制度導入助成：要件 {}件すべて適合", checks.len())
        } else {
            format!(
                "制度導入助成：要件 {}件中 不適合 {fail}件・確認中 {pending}件",
                checks.len()
            )
        };
        assert!(head.contains(&line), "{line} in {head}");
        assert!(section(&html, "telework", "roster").contains("評価期間（制度導入助成）"));
        let roster = section(&html, "roster", "regime");
        assert!(roster.contains("制度導入前離職率"), "{roster}");
        // No plan was submitted: only the first subsidy's documents.
        let docs = section(&html, "documents", "messages");
        assert!(
            docs.contains("制度導入助成の支給申請の書類") && !docs.contains("計画の提出の書類")
        );
        assert!(section(&html, "decisions", "checks").contains("action-grant_equipment"));
    }
}
