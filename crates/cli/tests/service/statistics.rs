//! The bureau statistics (`/statistics`, `/statistics.csv`): counts, sums
//! and processing days of cases taken through the workflow, for the officer
//! of their prefecture, another prefecture's officer (zeros), an
//! administrator (全国 and a chosen prefecture, with the share of the
//! national budget) and applicants (403); in Chromium at 1366 and 390 px.

use super::*;

/// The page at `path` as `c` sees it, and its status.
fn page(c: &mut Client, path: &str) -> (u16, String) {
    let (s, body) = c.get_raw(path);
    (s, String::from_utf8(body).unwrap())
}

/// The `data-value` of the cell `id` (`plans_submitted-2022`), if it has one.
fn value(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{id}\""))?;
    let tag = &html[at..at + html[at..].find('>')?];
    let v = tag.split("data-value=\"").nth(1)?;
    Some(v[..v.find('"')?].to_string())
}

/// The header `name` of an answer ("" when absent).
fn header(headers: &[(String, String)], name: &str) -> String {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn number(html: &str, id: &str) -> i64 {
    value(html, id)
        .unwrap_or_else(|| panic!("no value for {id}"))
        .parse()
        .unwrap_or_else(|_| panic!("{id} is not a whole number"))
}

/// Takes a Tokyo case (case 01's inputs, 令和4年度) through `steps`: (day,
/// who: `e` employer / `o` officer, action, body).
fn through(w: &mut World, steps: &[(&str, char, &str, Value)]) -> i64 {
    let (id, _) = new_case(w);
    for (day, who, action, body) in steps {
        set_clock(&mut w.admin, day);
        let c = if *who == 'e' {
            &mut w.employer
        } else {
            &mut w.officer
        };
        let (s, r) = act(c, id, action, body.clone());
        assert_eq!(s, 200, "{action} on {day}: {r}");
    }
    id
}

/// Three 令和4年度 cases of the Tokyo employer:
/// A: submitted 06-15, certified 07-01 (16 days); 機器等導入助成 filed 11-25,
///    granted 12-20 (25 days, 104,940円); 目標達成助成 filed 2023-11-20,
///    granted 2024-01-15 (56 days, 69,960円).
/// B: submitted 06-15, returned 06-20, submitted again 06-25, certified
///    07-05 (10 days); filed 11-28, refused 12-28 (30 days).
/// C: submitted 06-15, not certified 06-30 (15 days).
/// And one 令和7年度 case (D, below), and a draft.
fn three_cases(w: &mut World) {
    let none = json!({});
    through(
        w,
        &[
            ("2022-06-15", 'e', "submit_plan", none.clone()),
            ("2022-07-01", 'o', "certify_plan", none.clone()),
            ("2022-08-01", 'e', "start_evaluation", none.clone()),
            ("2022-11-25", 'e', "file_equipment", none.clone()),
            ("2022-12-20", 'o', "grant_equipment", none.clone()),
            ("2022-12-21", 'e', "start_goal_tracking", none.clone()),
            ("2023-11-20", 'e', "file_goal", none.clone()),
            ("2024-01-15", 'o', "grant_goal", none.clone()),
        ],
    );
    through(
        w,
        &[
            ("2022-06-15", 'e', "submit_plan", none.clone()),
            (
                "2022-06-20",
                'o',
                "return_plan",
                json!({"reason": "対象労働者の雇用形態を確認してください"}),
            ),
            ("2022-06-25", 'e', "submit_plan", none.clone()),
            ("2022-07-05", 'o', "certify_plan", none.clone()),
            ("2022-08-01", 'e', "start_evaluation", none.clone()),
            ("2022-11-28", 'e', "file_equipment", none.clone()),
            (
                "2022-12-28",
                'o',
                "deny_equipment",
                json!({"reason": "支給対象経費の支払が確認できないため"}),
            ),
        ],
    );
    through(
        w,
        &[
            ("2022-06-15", 'e', "submit_plan", none.clone()),
            (
                "2022-06-30",
                'o',
                "reject_plan",
                json!({"reason": "テレワーク実施計画の要件を満たさないため"}),
            ),
        ],
    );
    // D, 令和7年度 (no plan): evaluation started 2025-07-01, 制度導入助成
    // filed 10-25, granted 11-10 (16 days, 200,000円).
    set_clock(&mut w.admin, "2025-04-05");
    let (s, c) = w
        .employer
        .post("/api/v1/cases", &json!({"title": "テレワーク制度の導入"}));
    assert_eq!(s, 201, "{c}");
    let id = c["case"]["id"].as_i64().unwrap();
    let (s, c) = w.employer.put(
        &format!("/api/v1/cases/{id}/inputs"),
        &json!({"version": version(&c), "document": case09_document()}),
    );
    assert_eq!(s, 200, "{c}");
    for (day, who, action) in [
        ("2025-07-01", 'e', "start_evaluation"),
        ("2025-10-25", 'e', "file_equipment"),
        ("2025-11-10", 'o', "grant_equipment"),
    ] {
        set_clock(&mut w.admin, day);
        let c = if who == 'e' {
            &mut w.employer
        } else {
            &mut w.officer
        };
        let (s, r) = act(c, id, action, json!({}));
        assert_eq!(s, 200, "{action}: {r}");
    }
    // A draft is never counted.
    new_case(w);
}

#[test]
fn statistics_count_sum_and_time_what_the_workflow_did() {
    for db in backends() {
        let mut w = world(&db);
        three_cases(&mut w);

        // The Tokyo officer: their prefecture, 令和4年度.
        let (s, html) = page(&mut w.officer, "/statistics");
        assert_eq!(s, 200, "{html}");
        assert!(html.contains("東京都"), "{html}");
        for (id, expected) in [
            ("plans_submitted-2022", 3),
            ("plans_certified-2022", 2),
            ("plans_returned-2022", 1),
            ("plans_rejected-2022", 1),
            ("equipment_filed-2022", 2),
            ("goal_filed-2022", 1),
            ("equipment_granted-2022", 1),
            ("equipment_denied-2022", 1),
            ("goal_granted-2022", 1),
            ("goal_denied-2022", 0),
            ("decided_yen-2022", 104_940 + 69_960),
            // Days from receipt to decision: plans 16, 10 and 15.
            ("plan_days_max-2022", 16),
            ("plan_days_count-2022", 3),
            ("equipment_days_max-2022", 30),
            ("equipment_days_count-2022", 2),
            ("goal_days_max-2022", 56),
            ("goal_days_count-2022", 1),
            // Other years: nothing.
            ("plans_submitted-2021", 0),
            ("equipment_filed-2025", 1),
            ("equipment_granted-2025", 1),
            ("decided_yen-2025", 200_000),
            ("equipment_days_max-2025", 16),
            ("equipment_days_count-2025", 1),
            ("equipment_filed-2026", 0),
            ("decided_yen-2023", 0),
        ] {
            assert_eq!(number(&html, id), expected, "{id}");
        }
        assert_eq!(value(&html, "plan_days_median-2022").as_deref(), Some("15"));
        assert_eq!(
            value(&html, "equipment_days_median-2022").as_deref(),
            Some("27.5")
        );
        assert_eq!(value(&html, "goal_days_median-2022").as_deref(), Some("56"));
        assert!(
            html.contains("27.5日") && html.contains("174,900円"),
            "{html}"
        );
        // The budget: national figures with their source; none for 令和3年度.
        assert_eq!(number(&html, "budget_yen-2022"), 1_800_000_000);
        assert_eq!(number(&html, "budget_yen-2023"), 420_000_000);
        assert_eq!(value(&html, "budget_yen-2021"), None);
        assert!(html.contains("予算額の資料なし"));
        assert!(html.contains("令和５年度予算額 4.2億円（18億円）※（）内は前年度当初予算額"));
        // A prefecture's amount is not a share of the national budget.
        assert!(!html.contains("id=\"budget_share-2022\""), "{html}");
        // The chart, with its text alternative and Japanese axis.
        assert!(
            html.contains("role=\"img\" aria-label=\"東京都の年度別の件数"),
            "{html}"
        );
        assert!(html.contains("<title id=\"chart-title\">東京都の年度別の件数"));
        assert!(
            html.contains("令和4年度：計画の提出3件、支給申請3件、決定3件"),
            "{html}"
        );
        // Never an id or an internal word.
        for word in [
            "R4",
            "R3a",
            "plan_submitted",
            "equipment",
            "ケース",
            "officer",
        ] {
            assert!(
                !html.contains(&format!(">{word}<")) && !html.contains(&format!("{word}：")),
                "{word} on the page"
            );
        }
        let text = html
            .split("<main")
            .nth(1)
            .unwrap()
            .split("</main>")
            .next()
            .unwrap();
        let visible: String = {
            let mut out = String::new();
            let mut in_tag = false;
            for ch in text.chars() {
                match ch {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => out.push(c),
                    _ => {}
                }
            }
            out
        };
        for word in ["R4", "R5", "plan", "equipment", "goal", "seed", "ケース"] {
            assert!(
                !visible.contains(word),
                "{word} in the page's text: {visible}"
            );
        }
        assert!(html.contains("href=\"/statistics\""), "in the navigation");

        // The CSV: the same numbers, named for the prefecture and the day.
        let (s, headers, body) = w.officer.raw("GET", "/statistics.csv", None, b"");
        assert_eq!(s, 200);
        let disposition = header(&headers, "content-disposition");
        assert!(
            disposition.contains(
                "filename*=UTF-8''%E5%AF%A9%E6%9F%BB%E7%B5%B1%E8%A8%88_%E6%9D%B1%E4%BA%AC%E9%83%BD_20220601.csv"
            ),
            "審査統計_東京都_20220601.csv (the training clock's day): {disposition}"
        );
        let csv = String::from_utf8(body).unwrap();
        let mut lines = csv.trim_start_matches('\u{feff}').split("\r\n");
        let headings: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = |name: &str| {
            headings
                .iter()
                .position(|h| *h == name)
                .unwrap_or_else(|| panic!("no column {name}: {headings:?}"))
        };
        let rows: Vec<Vec<&str>> = lines
            .filter(|l| !l.is_empty())
            .map(|l| l.split(',').collect())
            .collect();
        assert_eq!(rows.len(), 6, "令和3〜8年度");
        assert!(rows.iter().all(|r| r.len() == headings.len()));
        let r4 = rows.iter().find(|r| r[0] == "令和4年度").unwrap();
        assert_eq!(r4[col("制度")], "計画あり");
        assert_eq!(r4[col("計画 提出")], "3");
        assert_eq!(r4[col("計画 差戻し")], "1");
        assert_eq!(r4[col("目標達成助成 支給決定")], "1");
        assert_eq!(r4[col("支給決定額（円）")], "174900");
        assert_eq!(r4[col("予算額（円）")], "1800000000");
        assert_eq!(
            r4[col("機器等導入助成・制度導入助成の審査日数 中央値")],
            "27.5"
        );
        assert_eq!(r4[col("計画の審査日数 最大")], "16");
        let r7 = rows.iter().find(|r| r[0] == "令和7年度").unwrap();
        assert_eq!((r7[col("制度")], r7[col("計画 提出")]), ("計画なし", ""));
        assert_eq!(r7[col("機器等導入助成・制度導入助成 支給決定")], "1");
        assert_eq!(r7[col("支給決定額（円）")], "200000");
        let r3 = rows.iter().find(|r| r[0] == "令和3年度").unwrap();
        assert_eq!(r3[col("予算額（円）")], "予算額の資料なし");

        // Osaka's officer sees Osaka: zeros.
        let (s, html) = page(&mut w.other_officer, "/statistics");
        assert_eq!(s, 200);
        assert!(html.contains("大阪府"));
        for id in [
            "plans_submitted-2022",
            "equipment_granted-2022",
            "decided_yen-2022",
            "plan_days_count-2022",
        ] {
            assert_eq!(number(&html, id), 0, "{id} for Osaka");
        }
        assert_eq!(value(&html, "plan_days_max-2022"), None);
        // An officer cannot look at another prefecture by asking for it.
        let (_, html) = page(&mut w.other_officer, "/statistics?prefecture=13");
        assert_eq!(number(&html, "plans_submitted-2022"), 0);
        assert!(!html.contains("id=\"prefecture\""), "no choice of area");

        // The administrator: 全国, with the share of the national budget.
        let (s, html) = page(&mut w.admin, "/statistics");
        assert_eq!(s, 200);
        assert!(html.contains("全国") && html.contains("id=\"prefecture\""));
        assert_eq!(number(&html, "plans_submitted-2022"), 3);
        assert_eq!(number(&html, "decided_yen-2022"), 174_900);
        // 174,900 of 1,800,000,000円: 0.0%.
        assert_eq!(value(&html, "budget_share-2022").as_deref(), Some("0.0"));
        assert!(html.contains("0.0%"));
        assert_eq!(value(&html, "budget_share-2021"), None);
        // 200,000 of 140,000,000円: 0.14…%, shown as 0.1%.
        assert_eq!(value(&html, "budget_share-2025").as_deref(), Some("0.1"));
        // A chosen prefecture.
        let (_, html) = page(&mut w.admin, "/statistics?prefecture=27");
        assert_eq!(number(&html, "plans_submitted-2022"), 0);
        assert!(
            html.contains("<option value=\"27\" selected>大阪府</option>"),
            "{html}"
        );
        let (_, html) = page(&mut w.admin, "/statistics?prefecture=13");
        assert_eq!(number(&html, "goal_granted-2022"), 1);
        let (s, headers, _) = w
            .admin
            .raw("GET", "/statistics.csv?prefecture=13", None, b"");
        assert_eq!(s, 200);
        assert!(header(&headers, "content-disposition").contains("%E6%9D%B1%E4%BA%AC%E9%83%BD"));
        // An area that cannot be read: named at the field, kept, 全国 shown.
        let (s, html) = page(&mut w.admin, "/statistics?prefecture=99");
        assert_eq!(s, 422);
        assert!(html.contains("error-summary") && html.contains("role=\"alert\""));
        assert!(
            html.contains("都道府県「99」は一覧にありません。一覧から選んでください"),
            "{html}"
        );
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(
            html.contains("<option value=\"99\" selected>「99」（一覧にない値）</option>"),
            "what was sent is kept: {html}"
        );
        assert_eq!(number(&html, "plans_submitted-2022"), 3);

        // Applicants may not see it.
        for c in [&mut w.employer, &mut w.agent] {
            let (s, html) = page(c, "/statistics");
            assert_eq!(s, 403, "{html}");
            assert!(html.contains("権限がありません"), "{html}");
            assert!(!html.contains("plans_submitted-2022"));
            let (s, _) = c.get_raw("/statistics.csv");
            assert_eq!(s, 403);
            let (_, home) = page(c, "/cases");
            assert!(
                !home.contains("href=\"/statistics\""),
                "not in their navigation"
            );
        }
    }
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
fn statistics_in_a_browser() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    let base = w.server.base.clone();
    three_cases(&mut w);
    for (width, height, name) in [(1366, 900, "1366"), (390, 844, "390")] {
        let b = if width < 500 {
            browser::Browser::start_phone(width, height)
        } else {
            browser::Browser::start(width, height)
        };
        web_login(&b, &base, "tokyo", PASSWORD);
        b.click("header a[href='/statistics']");
        let t = b.text();
        assert!(t.contains("審査の統計") && t.contains("東京都"), "{t}");
        assert!(t.contains("174,900円") && t.contains("27.5日"), "{t}");
        no_overflow(&b, &format!("/statistics at {width}"));
        let chart_width = b.script(
            "return document.querySelector('figure.chart svg').getBoundingClientRect().width;",
        );
        assert!(
            chart_width.as_f64().unwrap() <= f64::from(width),
            "the chart fits: {chart_width}"
        );
        b.screenshot(&format!("statistics-{name}"));
        b.script("document.querySelector('#applications').scrollIntoView(); return null;");
        b.screenshot(&format!("statistics-tables-{name}"));
        b.script("document.querySelector('#budget').scrollIntoView(); return null;");
        b.screenshot(&format!("statistics-budget-{name}"));
        web_logout(&b);
        // The administrator's choice of area.
        web_login(&b, &base, "admin", ADMIN_PASSWORD);
        b.go(&format!("{base}/statistics"));
        let t = b.text();
        assert!(
            t.contains("全国の申請について") && t.contains("0.1%"),
            "{t}"
        );
        no_overflow(&b, &format!("/statistics (全国) at {width}"));
        b.script("document.querySelector('#budget').scrollIntoView(); return null;");
        b.screenshot(&format!("statistics-national-budget-{name}"));
        b.script("document.querySelector('#prefecture').value = '13'; return null;");
        b.submit("form[action='/statistics'] button[type=submit]");
        let t = b.text();
        assert!(t.contains("東京都の申請について"), "{t}");
        no_overflow(&b, &format!("/statistics?prefecture=13 at {width}"));
        b.go(&format!("{base}/statistics?prefecture=abc"));
        no_overflow(&b, &format!("/statistics?prefecture=abc at {width}"));
        b.screenshot(&format!("statistics-error-{name}"));
    }
}
