//! The applicant's overview (`/cases`) and the printable documents
//! (`/cases/{id}/print`): who sees which employers, the filters (read or
//! named), 要対応 and the counts at the top; in Chromium at 1366 and 390 px,
//! the overview as a table and as cards, and the printout of a decided case
//! with its decided amount and the applicant block.

use super::*;

/// The page at `path` as `c` sees it (status 200 expected).
fn html(c: &mut Client, path: &str) -> String {
    let (s, body) = c.get_raw(path);
    assert_eq!(s, 200, "{path}");
    String::from_utf8(body).unwrap()
}

/// The titles of the listed applications, in order.
fn titles(page: &str) -> Vec<String> {
    page.split("<a href=\"/cases/")
        .skip(1)
        .filter_map(|rest| {
            let (id, after) = rest.split_once("\">")?;
            id.parse::<i64>().ok()?;
            Some(after.split_once("</a>")?.0.to_string())
        })
        .collect()
}

/// A case of `c`'s employer titled `title`, holding case 01's inputs.
fn case_of(c: &mut Client, title: &str) -> i64 {
    let (s, v) = c.post("/api/v1/cases", &json!({ "title": title }));
    assert_eq!(s, 201, "{v}");
    let id = v["case"]["id"].as_i64().unwrap();
    let (s, v) = c.put(
        &format!("/api/v1/cases/{id}/inputs"),
        &json!({"version": version(&v), "document": case01_document()}),
    );
    assert_eq!(s, 200, "{v}");
    id
}

#[test]
fn the_overview_shows_each_user_their_employers_and_reads_or_names_every_filter() {
    for db in backends() {
        let mut w = world(&db);
        set_clock(&mut w.admin, "2022-06-01");
        let returned = case_of(&mut w.employer, "差し戻される計画");
        let running = case_of(&mut w.employer, "評価期間中の計画");
        let mut emp2 = w.server.client();
        emp2.login("emp2", PASSWORD);
        case_of(&mut emp2, "大阪の計画");
        let (_, orgs) = emp2.get("/api/v1/organizations");
        let osaka = orgs[0]["id"].as_i64().unwrap();

        // Before any delegation the 社労士 sees no employer and no case.
        let page = html(&mut w.agent, "/cases");
        assert!(page.contains("委任を受けた事業主の申請"), "{page}");
        assert!(page.contains("委任を受けている事業主はまだありません"));
        assert_eq!(titles(&page), Vec::<String>::new());

        // Tokyo delegates; Osaka does not.
        let (s, r) = w.employer.post(
            &format!("/api/v1/organizations/{}/delegations", w.org_id),
            &json!({"agent": "agent"}),
        );
        assert_eq!(s, 201, "{r}");
        let page = html(&mut w.agent, "/cases");
        let mut listed = titles(&page);
        listed.sort();
        assert_eq!(listed, ["差し戻される計画", "評価期間中の計画"]);
        assert!(page.contains("委任を受けている事業主（1）"), "{page}");
        assert!(!page.contains("大阪の計画"));
        // Each employer sees its own only.
        assert_eq!(titles(&html(&mut emp2, "/cases")), ["大阪の計画"]);
        let mine = html(&mut w.employer, "/cases");
        assert_eq!(titles(&mine).len(), 2);
        assert!(
            !mine.contains("id=\"employer\""),
            "no employer filter for one employer"
        );
        // Another agent, not delegated, sees nothing; an officer has the queue.
        let mut agent2 = w.server.client();
        agent2.login("agent2", PASSWORD);
        assert_eq!(titles(&html(&mut agent2, "/cases")), Vec::<String>::new());
        let (s, _) = w.officer.get_raw("/cases");
        assert_eq!(s, 303);

        // An employer the agent does not act for reads like one that does not exist.
        let page = html(&mut w.agent, &format!("/cases?employer={osaka}"));
        assert!(page.contains("事業主は一覧から選んでください。"), "{page}");
        assert!(page.contains("aria-invalid=\"true\""));
        assert!(!page.contains("大阪"), "nothing of Osaka leaks: {page}");
        assert_eq!(titles(&page).len(), 2, "listed without that filter");
        let page = html(&mut emp2, &format!("/cases?employer={}", w.org_id));
        assert!(page.contains("事業主は一覧から選んでください。"), "{page}");
        assert!(!page.contains("href=\"#employer\""), "no field to link to");
        assert_eq!(titles(&page), ["大阪の計画"]);
        let page = html(&mut w.agent, &format!("/cases?employer={}", w.org_id));
        assert!(!page.contains("error-summary"), "{page}");
        assert_eq!(titles(&page).len(), 2);

        // Move the cases along: one returned, one in its evaluation period.
        set_clock(&mut w.admin, "2022-06-15");
        for id in [returned, running] {
            assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);
        }
        let (s, r) = act(
            &mut w.officer,
            returned,
            "return_plan",
            json!({"reason": "対象労働者の雇用形態を確認してください"}),
        );
        assert_eq!(s, 200, "{r}");
        set_clock(&mut w.admin, "2022-07-01");
        assert_eq!(
            act(&mut w.officer, running, "certify_plan", json!({})).0,
            200
        );
        set_clock(&mut w.admin, "2022-08-01");
        assert_eq!(
            act(&mut w.agent, running, "start_evaluation", json!({})).0,
            200
        );

        // Applicant words filter; an unknown status is named, with what was typed.
        let page = html(&mut w.agent, "/cases?status=%E5%B7%AE%E6%88%BB%E3%81%97");
        assert_eq!(titles(&page), ["差し戻される計画"], "差戻し");
        let page = html(
            &mut w.agent,
            "/cases?status=%E8%A9%95%E4%BE%A1%E6%9C%9F%E9%96%93%E4%B8%AD",
        );
        assert_eq!(titles(&page), ["評価期間中の計画"], "評価期間中");
        assert!(page.contains("評価期間中（機器等導入助成）"));
        let page = html(&mut w.agent, "/cases?status=%E5%AF%A9%E6%9F%BB%E4%B8%AD");
        assert_eq!(titles(&page), Vec::<String>::new(), "審査中: none now");
        assert!(page.contains("条件に合う申請はありません。"));
        let page = html(
            &mut w.agent,
            "/cases?status=plan_submitted&due_within=soon&sort=cheapest",
        );
        assert!(
            page.contains("状態「plan_submitted」では絞り込めません。"),
            "{page}"
        );
        assert!(page.contains("「期限まで」は 0〜3660 の日数で入力してください。"));
        assert!(page.contains("並び順は一覧から選んでください。"));
        assert!(page.contains("href=\"#status\"") && page.contains("href=\"#due_within\""));
        assert!(page.contains("value=\"soon\""), "what was typed stays");
        assert_eq!(titles(&page).len(), 2, "listed without those filters");

        // 要対応: the returned plan, and the evaluation period ending in 4 days.
        set_clock(&mut w.admin, "2022-10-27");
        let page = html(&mut w.agent, "/cases");
        assert!(page.contains("<strong>2件</strong>要対応"), "{page}");
        assert!(page.contains("<strong>1件</strong>7日以内に期限"), "{page}");
        assert_eq!(page.matches("class=\"badge\"").count(), 2);
        assert!(page.contains("計画が差し戻されました。修正して提出し直してください。"));
        assert!(page.contains("評価期間（機器等導入助成）の終了まであと4日です。"));
        let due = html(&mut w.agent, "/cases?due_within=7");
        assert_eq!(titles(&due), ["評価期間中の計画"]);
        let action = html(&mut w.agent, "/cases?action=1");
        assert_eq!(titles(&action).len(), 2);
        let page = html(&mut w.agent, "/cases?action=yes");
        assert!(page.contains("「要対応のみ」は"), "{page}");
        // The employer table counts them per employer.
        assert!(page.contains(&format!("/cases?employer={}&amp;action=1", w.org_id)));
        // Search on employer name and title together with the other filters.
        let page = html(
            &mut w.agent,
            "/cases?q=%E8%A9%95%E4%BE%A1&action=1&sort=employer",
        );
        assert_eq!(titles(&page), ["評価期間中の計画"]);
        // Once the evaluation period is further than 30 days ahead, nothing is due.
        set_clock(&mut w.admin, "2022-08-02");
        let action = html(&mut w.agent, "/cases?action=1");
        assert_eq!(titles(&action), ["差し戻される計画"]);
        // The officers' export names its column in the applicant's word too.
        let (s, csv) = w.officer.get_raw("/queue.csv");
        assert_eq!(s, 200);
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.starts_with("\u{feff}申請番号,件名"), "{csv}");
    }
}

/// The document of case 01 with the applicant's particulars and the target
/// workers' names.
fn named_document() -> Value {
    let mut doc = case01_document();
    doc["employer"]["address"] = json!("東京都港区芝公園1-1-1");
    doc["employer"]["representative"] = json!("代表取締役 港 花子");
    doc["employer"]["employment_insurance_number"] = json!("1301-123456-7");
    let names = ["山田 太郎", "佐藤 花子", "鈴木 一郎"];
    for (w, name) in doc["plan"]["target_workers"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .zip(names)
    {
        w["name"] = json!(name);
    }
    doc
}

/// How many pages a PDF made by Chromium has (its page tree's `/Count`).
fn pdf_pages(pdf: &[u8]) -> usize {
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let text = String::from_utf8_lossy(pdf);
    text.split("/Count ")
        .skip(1)
        .filter_map(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse::<usize>()
                .ok()
        })
        .max()
        .unwrap_or(0)
}

/// No horizontal overflow on the page in the browser.
fn no_overflow(b: &browser::Browser, what: &str) {
    let wide = b.script(
        "return document.documentElement.scrollWidth > window.innerWidth \
         ? [document.documentElement.scrollWidth, window.innerWidth] : null;",
    );
    assert!(wide.is_null(), "{what} overflows: {wide}");
}

#[test]
fn the_overview_and_a_decided_printout_in_a_browser() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    let base = w.server.base.clone();
    // A case through to the decision on 機器等導入助成, decided below the engine's figure.
    set_clock(&mut w.admin, "2022-06-01");
    let id = case_of(&mut w.employer, "2022年度 テレワーク導入計画");
    let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
    let (s, c) = w.employer.put(
        &format!("/api/v1/cases/{id}/inputs"),
        &json!({"version": version(&c), "document": named_document()}),
    );
    assert_eq!(s, 200, "{c}");
    assert!(
        c["evaluation"]["warnings"]
            .as_array()
            .is_none_or(|w| w.is_empty()),
        "the particulars never reach the engine: {c}"
    );
    let (s, r) = w.employer.post(
        &format!("/api/v1/organizations/{}/delegations", w.org_id),
        &json!({"agent": "agent"}),
    );
    assert_eq!(s, 201, "{r}");
    set_clock(&mut w.admin, "2022-06-15");
    assert_eq!(act(&mut w.agent, id, "submit_plan", json!({})).0, 200);
    set_clock(&mut w.admin, "2022-07-01");
    assert_eq!(act(&mut w.officer, id, "certify_plan", json!({})).0, 200);
    set_clock(&mut w.admin, "2022-08-01");
    assert_eq!(act(&mut w.agent, id, "start_evaluation", json!({})).0, 200);
    set_clock(&mut w.admin, "2022-11-25");
    let (s, r) = act(&mut w.agent, id, "file_equipment", json!({}));
    assert_eq!(s, 200, "{r}");
    set_clock(&mut w.admin, "2022-12-10");
    let (s, r) = act(
        &mut w.officer,
        id,
        "grant_equipment",
        json!({"decided_amount_yen": 100_000, "reason": "領収書の一部を対象外としたため"}),
    );
    assert_eq!(s, 200, "{r}");
    // A second case, still being prepared, and one of another employer of the agent.
    case_of(&mut w.employer, "2023年度 追加の計画");

    for (width, height, name) in [(1366, 1000, "desktop"), (390, 844, "phone")] {
        let b = if width < 500 {
            browser::Browser::start_phone(width, height)
        } else {
            browser::Browser::start(width, height)
        };
        web_login(&b, &base, "agent", PASSWORD);
        b.go(&format!("{base}/cases"));
        let t = b.text();
        assert!(t.contains("委任を受けた事業主の申請"), "{t}");
        assert!(
            t.contains("7日以内に期限") && t.contains("要対応") && t.contains("労働局の審査中")
        );
        assert!(
            t.contains("支給決定額 100,000円"),
            "the decided amount: {t}"
        );
        assert!(
            !t.contains("104,940"),
            "never the engine's figure once decided: {t}"
        );
        assert!(t.contains("支給決定（機器等導入助成）"), "{t}");
        assert!(t.contains("準備中（計画の作成）"), "{t}");
        for word in ["ケース", "draft", "equipment_granted", "payable"] {
            assert!(!t.contains(word), "{word} on the page: {t}");
        }
        no_overflow(&b, &format!("/cases at {width}"));
        let cards = b.script(
            "return getComputedStyle(document.querySelector('table.overview tbody tr')).display;",
        );
        assert_eq!(
            cards,
            if width < 720 { "flex" } else { "table-row" },
            "rows become cards on a phone"
        );
        assert_eq!(b.script("return window.innerWidth;"), json!(width));
        b.screenshot(&format!("overview-{name}"));
        b.script("document.querySelector('table.overview').scrollIntoView(); return null;");
        b.screenshot(&format!("overview-rows-{name}"));
        // A filter from the form: 支給決定 only.
        b.script("document.querySelector('#status').value = '支給決定'; return null;");
        b.submit(".overview-filters button[type=submit]");
        let t = b.text();
        assert!(t.contains("全1件中"), "{t}");
        assert!(t.contains("2022年度 テレワーク導入計画") && !t.contains("2023年度 追加の計画"));
        b.go(&format!("{base}/cases?status=foo"));
        let t = b.text();
        assert!(t.contains("状態「foo」では絞り込めません。"), "{t}");
        no_overflow(&b, &format!("/cases?status=foo at {width}"));
        b.screenshot(&format!("overview-filter-error-{name}"));

        // The printout of the decided application.
        b.go(&format!("{base}/cases/{id}/print?doc=equipment"));
        let t = b.text();
        for expected in [
            "機器等導入助成 支給申請の概要",
            "提出先 東京労働局",
            "申請者（事業主）",
            "東京都港区芝公園1-1-1",
            "代表取締役 港 花子",
            "1301-123456-7",
            "社会保険労務士（提出代行者）",
            "支給決定額 100,000円",
            "経費の明細",
            "令和4年7月20日",
            "山田 太郎",
            "支給要領 0303",
        ] {
            assert!(t.contains(expected), "{expected} missing: {t}");
        }
        assert!(!t.contains("見込み額 104,940円"), "{t}");
        for word in ["ケース", "E001", "版 ", "rules-R4", "payable"] {
            assert!(!t.contains(word), "{word} on the printout: {t}");
        }
        no_overflow(&b, &format!("print at {width}"));
        b.screenshot(&format!("print-equipment-{name}"));
        b.script("document.querySelector('.expenses-print').scrollIntoView(); return null;");
        b.screenshot(&format!("print-equipment-expenses-{name}"));
        b.go(&format!("{base}/cases/{id}/print?doc=goal"));
        let t = b.text();
        assert!(
            t.contains("目標達成助成 支給申請の概要") && t.contains("離職率"),
            "{t}"
        );
        assert!(
            t.contains("計画時") && t.contains("評価時"),
            "both periods: {t}"
        );
        b.go(&format!("{base}/cases/{id}/print?doc=plan"));
        let t = b.text();
        assert!(
            t.contains("テレワーク実施計画の概要") && t.contains("佐藤 花子"),
            "{t}"
        );
        no_overflow(&b, &format!("plan print at {width}"));
        b.screenshot(&format!("print-plan-{name}"));
        b.go(&format!("{base}/cases/{id}/print?doc=other"));
        assert!(b.text().contains("書類を選んでください"));
    }
    // Printed: every document on its own pages, numbered by the print style sheet.
    let b = browser::Browser::start(1366, 1000);
    web_login(&b, &base, "agent", PASSWORD);
    b.go(&format!("{base}/cases/{id}/print?doc=equipment"));
    let one = pdf_pages(&b.pdf("print-equipment"));
    b.go(&format!("{base}/cases/{id}/print"));
    let all = pdf_pages(&b.pdf("print-all"));
    assert!(one >= 2 && all >= one + 2, "{one} and {all} pages");
    let margin_box = b.script(
        "return [...document.styleSheets].flatMap(s => [...s.cssRules]) \
         .some(r => r.media && r.media.mediaText === 'print' && [...r.cssRules].some(p => p.cssText.includes('counter(pages)')));",
    );
    assert_eq!(
        margin_box,
        json!(true),
        "page numbers in the print style sheet"
    );
    drop(b);
    // Another agent (not delegated) gets 404 for the printout; so does the other bureau.
    let mut agent2 = w.server.client();
    agent2.login("agent2", PASSWORD);
    assert_eq!(agent2.get_raw(&format!("/cases/{id}/print")).0, 404);
    assert_eq!(
        w.other_officer.get_raw(&format!("/cases/{id}/print")).0,
        404
    );
    assert_eq!(w.officer.get_raw(&format!("/cases/{id}/print")).0, 200);
    let mut emp2 = w.server.client();
    emp2.login("emp2", PASSWORD);
    assert_eq!(emp2.get_raw(&format!("/cases/{id}/print?doc=plan")).0, 404);
}
