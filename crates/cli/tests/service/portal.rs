//! The public portal and the programme statistics; and the programme's two
//! roles (advisor, judge) kept away from the cases.

use super::flows::{no_overflow, shot_at, sign_in, text_of};
use super::*;

/// An advisor of the テレワーク相談センター and a judge of 輝くテレワーク賞 see
/// no case: the list is empty, a case answers 404, its page too, and they
/// cannot create one.
#[test]
fn programme_roles_see_no_case() {
    for db in backends() {
        let mut w = world(&db);
        let (id, _) = new_case(&mut w);
        for c in [&mut w.advisor, &mut w.judge] {
            let (s, list) = c.get("/api/v1/cases");
            assert_eq!(s, 200, "{list}");
            assert_eq!(list.as_array().map(Vec::len), Some(0), "{list}");
            let (s, _) = c.get(&format!("/api/v1/cases/{id}"));
            assert_eq!(s, 404);
            let (s, _) = c.get_raw(&format!("/cases/{id}"));
            assert_eq!(s, 404);
            let (s, body) = c.post("/api/v1/cases", &json!({"title": "x"}));
            assert!(s == 403 || s == 400 || s == 404, "{s} {body}");
        }
        // The employer still sees it.
        let (s, _) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(s, 200);
    }
}

fn page_text(c: &mut Client, path: &str) -> String {
    let (s, body) = c.get_raw(path);
    assert_eq!(s, 200, "{path}: {}", String::from_utf8_lossy(&body));
    String::from_utf8(body).unwrap()
}

/// The portal's pages are public: the home page links every section; the
/// guide tells each fiscal year's amounts; the guideline's points; the
/// directory lists the 47 labour bureaus.
#[test]
fn the_portal_is_public_and_tells_each_year() {
    let db = &backends()[0];
    let w = world(db);
    let mut visitor = w.server.client();
    let home = page_text(&mut visitor, "/");
    for href in [
        "/diagnosis",
        "/guide",
        "/guide/guideline",
        "/events",
        "/award",
        "/bureaus",
        "/login",
    ] {
        assert!(home.contains(&format!("href=\"{href}\"")), "{href}");
    }
    assert!(home.contains("テレワーク相談センター"));
    let guide = page_text(&mut visitor, "/guide");
    for text in [
        "令和4年度",
        "支給対象経費の30%（上限は100万円か、対象労働者1人当たり20万円のいずれか低い額）",
        "生産性要件を満たした場合は35%",
        "令和7年度",
        "制度導入助成",
        "計画の認定は不要です",
        "計画認定あり",
        "計画認定なし",
    ] {
        assert!(guide.contains(text), "{text}");
    }
    // Newest first.
    assert!(guide.find("令和8年度").unwrap() < guide.find("令和4年度").unwrap());
    let guideline = page_text(&mut visitor, "/guide/guideline");
    for text in [
        "中抜け",
        "費用",
        "労災保険",
        "テレワークセキュリティガイドライン",
    ] {
        assert!(guideline.contains(text), "{text}");
    }
    let bureaus = page_text(&mut visitor, "/bureaus");
    assert_eq!(bureaus.matches("<tr id=\"pref-").count(), 47);
    assert!(bureaus.contains("東京労働局") && bureaus.contains("沖縄労働局"));
    // A logged-in user is sent to their own start page, not the portal.
    let (s, _, _) = w.advisor.raw("GET", "/", None, b"");
    assert_eq!(s, 303);
}

/// The programme statistics: administrators and advisors only; the seed's
/// budgets and reported count in the page, the CSV, the workbook and the
/// SVG chart.
#[test]
fn programme_statistics_for_admins_and_advisors_with_the_seed_budgets() {
    for db in backends() {
        let mut w = world(&db);
        for (who, c) in [
            ("employer", &mut w.employer),
            ("agent", &mut w.agent),
            ("officer", &mut w.officer),
            ("judge", &mut w.judge),
        ] {
            for path in [
                "/programme/statistics",
                "/programme/statistics.csv",
                "/programme/statistics.xlsx",
                "/programme/statistics.svg",
            ] {
                let (s, _) = c.get_raw(path);
                assert_eq!(s, 403, "{who} {path}");
            }
        }
        let (s, _, _) = w
            .server
            .client()
            .raw("GET", "/programme/statistics", None, b"");
        assert_eq!(s, 303, "a visitor is sent to the login page");
        for c in [&mut w.admin, &mut w.advisor] {
            let page = page_text(c, "/programme/statistics");
            assert!(page.contains("id=\"programme-budget-2023\" data-value=\"558191000\""));
            assert!(page.contains("id=\"programme-budget-2022\" data-value=\"1938632000\""));
            assert!(page.contains("id=\"one-stop-budget-2023\" data-value=\"120000000\""));
            assert!(page.contains("id=\"one-stop-budget-2022\" data-value=\"130000000\""));
            assert!(page.contains("id=\"course-budget-2023\" data-value=\"420000000\""));
            assert!(page.contains("id=\"course-budget-2022\" data-value=\"1800000000\""));
            assert!(page.contains("（公表値 21,110件）"));
            assert!(page.contains("<svg"));
        }
        let (s, headers, csv) = w.admin.raw("GET", "/programme/statistics.csv", None, b"");
        assert_eq!(s, 200);
        assert!(headers
            .iter()
            .any(|(k, v)| k == "content-disposition" && v.contains("filename*=UTF-8''")));
        let csv = String::from_utf8(csv).unwrap();
        let mut lines = csv.lines();
        let header = lines.next().unwrap().trim_start_matches('\u{feff}');
        assert!(
            header.starts_with("年度,相談件数（記録）,相談件数（公表値）"),
            "{header}"
        );
        let r4 = csv.lines().find(|l| l.starts_with("令和4年度")).unwrap();
        assert!(r4.contains(",21110,"), "{r4}");
        assert!(r4.contains(",1938632000,"), "{r4}");
        let (s, xlsx) = w.admin.get_raw("/programme/statistics.xlsx");
        assert_eq!(s, 200);
        use calamine::{Data, Reader, Xlsx};
        let mut book = Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
        let range = book.worksheet_range("テレワーク施策の統計").unwrap();
        let rows: Vec<_> = range.rows().collect();
        assert_eq!(rows[0][0], Data::String("年度".into()));
        let r5 = rows
            .iter()
            .find(|r| r[0] == Data::String("令和5年度".into()))
            .unwrap();
        assert_eq!(r5[15], Data::Float(558_191_000.0));
        let (s, headers, svg) = w.advisor.raw("GET", "/programme/statistics.svg", None, b"");
        assert_eq!(s, 200);
        assert!(headers
            .iter()
            .any(|(k, v)| k == "content-type" && v.starts_with("image/svg+xml")));
        let svg = String::from_utf8(svg).unwrap();
        assert!(
            svg.starts_with("<?xml") && svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\"")
        );
        assert!(
            svg.contains("令和5年度：施策全体の予算額559百万円"),
            "{svg}"
        );
    }
}

/// The portal as a visitor reads it in Chromium, and the programme
/// statistics as an advisor reads them, at 1366 and 390 px: no sideways
/// scrolling, the sections and figures where a person looks for them.
/// Screenshots `target/screenshots/portal-*.png`.
#[test]
fn web_portal_and_programme_statistics_in_the_browser() {
    require_browser();
    let db = &backends()[0];
    let w = world_on(db, Server::start(db));
    let base = w.server.base.clone();
    for (width, height) in [(1366u32, 900u32), (390, 844)] {
        let b = browser::Browser::start(width, height);
        b.go(&format!("{base}/"));
        assert_eq!(
            b.script("return document.querySelectorAll('.portal-cards .card').length;"),
            json!(7)
        );
        no_overflow(&b, "the portal's home");
        b.screenshot(&format!("portal-home-{width}"));
        b.click("a[href='/guide']");
        assert!(b.url().ends_with("/guide"));
        let first = text_of(&b, ".guide-year h2");
        assert!(first.starts_with("令和8年度"), "{first}");
        no_overflow(&b, "the guide");
        b.screenshot(&format!("portal-guide-{width}"));
        b.go(&format!("{base}/guide/guideline"));
        no_overflow(&b, "the guideline");
        b.screenshot(&format!("portal-guideline-{width}"));
        sign_in(&b, &base, "advisor");
        assert!(b.url().ends_with("/desk"), "{}", b.url());
        b.go(&format!("{base}/programme/statistics"));
        assert!(b.exists("header a[href='/programme/statistics']"));
        let cell = text_of(&b, "#programme-budget-2023");
        assert!(cell.starts_with("558,191,000円"), "{cell}");
        let seed = text_of(&b, "#consultations-2022");
        assert!(seed.contains("公表値 21,110件"), "{seed}");
        no_overflow(&b, "the programme statistics");
        b.screenshot(&format!("portal-statistics-{width}"));
        shot_at(
            &b,
            "#programme-activity",
            &format!("portal-activity-{width}"),
        );
    }
}

/// A form post with the client's CSRF token; the status and the body.
fn post_form(c: &Client, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let token = c.csrf.clone().unwrap_or_default();
    let mut all: Vec<(&str, &str)> = vec![("csrf", &token)];
    all.extend_from_slice(fields);
    let (s, _, body) = c.raw(
        "POST",
        path,
        Some("application/x-www-form-urlencoded"),
        &form_urlencoded(&all),
    );
    (s, String::from_utf8_lossy(&body).into_owned())
}

/// The number in the cell `id` of the statistics page (its `data-value`).
fn cell_value(page: &str, id: &str) -> i64 {
    let key = format!("id=\"{id}\" data-value=\"");
    let rest = &page[page.find(&key).unwrap_or_else(|| panic!("{id}")) + key.len()..];
    rest[..rest.find('"').unwrap()].parse().unwrap()
}

/// What the centre records is counted under the fiscal year it falls in
/// (April to March): consultations by channel and topic, consulting
/// requests.
#[test]
fn programme_statistics_count_the_centres_records_by_fiscal_year() {
    for db in backends() {
        let mut w = world(&db);
        let org = w.org_id.to_string();
        for (day, channel, topics) in [
            ("2026-03-31", "counter", &["security"][..]),
            ("2026-04-01", "phone", &["ict", "subsidy"][..]),
            ("2026-05-10", "email", &["subsidy"][..]),
        ] {
            let mut fields = vec![
                ("received_on", day),
                ("channel", channel),
                ("organization_id", org.as_str()),
                ("question", "在宅勤務の費用はどう扱えばよいですか。"),
                ("answer", "就業規則に費用負担を定めてください。"),
            ];
            for t in topics {
                fields.push(("topics", t));
            }
            let (s, body) = post_form(&w.advisor, "/desk", &fields);
            assert_eq!(s, 303, "{body}");
        }
        let (s, body) = post_form(
            &w.employer,
            "/consulting/request",
            &[
                ("organization_id", org.as_str()),
                ("request", "テレワークの導入を相談したいです。"),
                ("preferred_mode", "online"),
            ],
        );
        assert!(s == 303 || s == 200, "{s} {body}");
        let (s, page) = w.admin.get_raw("/programme/statistics");
        assert_eq!(s, 200);
        let page = String::from_utf8(page).unwrap();
        assert_eq!(cell_value(&page, "consultations-2025"), 1);
        assert_eq!(cell_value(&page, "consultations-2026"), 2);
        assert_eq!(cell_value(&page, "consulting-2026"), 1);
        assert!(
            page.contains("電話 1件、電子メール 1件"),
            "channels in order"
        );
        assert!(
            page.contains("ICT（情報通信技術） 1件、助成金 2件"),
            "topics"
        );
        let (_, csv) = w.advisor.get_raw("/programme/statistics.csv");
        let csv = String::from_utf8(csv).unwrap();
        let r7 = csv.lines().find(|l| l.starts_with("令和7年度")).unwrap();
        assert!(r7.starts_with("令和7年度,1,"), "{r7}");
        assert!(r7.ends_with("窓口 1"), "{r7}");
    }
}

/// Seminar registrations (a waiting one included, a cancelled one never)
/// and attendance are counted under the event's fiscal year; award
/// applications once submitted, under their round's.
#[test]
fn programme_statistics_count_seminars_and_award_applications() {
    for db in backends() {
        let mut w = world(&db);
        set_clock(&mut w.admin, "2026-06-01");
        let event = super::events::published_event(&w.advisor, "テレワーク導入セミナー", "1");
        for (name, email) in [
            ("山田 花子", "hanako@example.jp"),
            ("佐藤 一郎", "ichiro@example.jp"),
        ] {
            let (s, page) = super::events::register(&w.server.client(), event, name, email);
            assert_eq!(s, 200, "{page}");
        }
        let (s, manage) = w.advisor.get_raw(&format!("/events/manage/{event}"));
        assert_eq!(s, 200);
        let manage = String::from_utf8(manage).unwrap();
        let key = "name=\"registration\" value=\"";
        let at = manage.find(key).expect("an attendance form") + key.len();
        let registration = &manage[at..at + manage[at..].find('"').unwrap()];
        let (s, body, _) = super::events::post_staff(
            &w.advisor,
            &format!("/events/manage/{event}/attendance"),
            &[("registration", registration), ("attended", "yes")],
        );
        assert_eq!(s, 303, "{body}");
        let round = super::award::open_round(&mut w);
        assert!(round > 0);
        super::award::apply(&w.employer, w.org_id, &super::award::COMPLETE, true);
        let (s, page) = w.advisor.get_raw("/programme/statistics");
        assert_eq!(s, 200);
        let page = String::from_utf8(page).unwrap();
        assert_eq!(cell_value(&page, "registrations-2026"), 2);
        assert_eq!(cell_value(&page, "attendance-2026"), 1);
        assert_eq!(cell_value(&page, "award-2026"), 1);
        assert_eq!(cell_value(&page, "registrations-2025"), 0);
    }
}
