//! The officers' queue (`/queue`) and its exports: views (要対応 by
//! default, drafts never, withdrawn on their own), search by employer, case
//! number and 雇用保険適用事業所番号, sorting and paging, counts per status,
//! the minimum amount (a 不支給 amount is not expected), filters read or
//! named, assignment (to oneself or a colleague, refused across prefectures
//! and to applicants); the Excel file read back with calamine, the CSV, and
//! their Japanese file names. On SQLite and PostgreSQL; in Chromium at 1366
//! and 390 px with 20,000 demo cases (SQLite).

use super::*;
use std::io::Read as _;

const DEMO_PASSWORD: &str = "demo-password-for-tests";

/// The export's header, as the officers read it.
const HEADER: [&str; 15] = [
    "申請番号",
    "件名",
    "事業主",
    "雇用保険適用事業所番号",
    "状態",
    "受付日",
    "待ち日数",
    "処理期限",
    "担当者",
    "次の期限",
    "見込み額（機器等導入助成・制度導入助成）",
    "見込み額（目標達成助成）",
    "支給決定額（機器等導入助成・制度導入助成）",
    "支給決定額（目標達成助成）",
    "決定日",
];

fn html(c: &mut Client, path: &str) -> String {
    let (s, body) = c.get_raw(path);
    assert_eq!(s, 200, "{path}: {}", String::from_utf8_lossy(&body));
    String::from_utf8(body).unwrap()
}

/// The text of each cell of the column `label`, in row order, tags removed.
fn column(page: &str, label: &str) -> Vec<String> {
    let key = format!("data-label=\"{label}\">");
    page.split(&key)
        .skip(1)
        .map(|rest| {
            let cell = rest.split("</td>").next().unwrap();
            let mut out = String::new();
            let mut tag = false;
            for ch in cell.chars() {
                match ch {
                    '<' => tag = true,
                    '>' => tag = false,
                    c if !tag => out.push(c),
                    _ => {}
                }
            }
            out.trim().to_string()
        })
        .collect()
}

/// The case numbers listed, in order.
fn ids(page: &str) -> Vec<i64> {
    column(page, "申請番号")
        .iter()
        .map(|s| s.parse().unwrap())
        .collect()
}

/// "全N件中": how many match.
fn total(page: &str) -> i64 {
    let rest = page.split("<p>全").nth(1).unwrap_or_default();
    let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
    n.parse().unwrap_or_else(|_| panic!("no total"))
}

/// The count on the tab of a view (「要対応 20件」).
fn tab(page: &str, label: &str) -> i64 {
    let key = format!("{label} <span class=\"count\">");
    let rest = page
        .split(&key)
        .nth(1)
        .unwrap_or_else(|| panic!("no tab {label}"));
    rest.split("件").next().unwrap().parse().unwrap()
}

/// The ISO day at the start of a cell (`2026-11-21（令和8年11月21日）`).
fn iso(cell: &str) -> Option<String> {
    cell.get(..10)
        .filter(|d| d.as_bytes()[4] == b'-')
        .map(str::to_string)
}

/// The amounts of an amount cell, each with whether it is 不支給.
fn amounts(cell: &str) -> Vec<(bool, i64)> {
    cell.split('円')
        .filter_map(|part| {
            let digits: String = part
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit() || *c == ',')
                .collect::<String>()
                .chars()
                .rev()
                .filter(char::is_ascii_digit)
                .collect();
            let n = digits.parse().ok()?;
            Some((part.contains("不支給"), n))
        })
        .collect()
}

fn demo(db: &TestDb, cases: usize, seed: u64) {
    let out = josei()
        .args([
            "demo",
            "--cases",
            &cases.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .env("DATABASE_URL", &db.url)
        .env("JOSEI_DEMO_PASSWORD", DEMO_PASSWORD)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The statuses of the 要対応 view, as the page names them.
const WAITING: [&str; 3] = [
    "計画提出済み",
    "機器等導入助成 申請済み",
    "目標達成助成 申請済み",
];

#[test]
fn the_queue_sorts_pages_counts_and_exports_the_demo_cases() {
    for db in backends() {
        demo(&db, 300, 11);
        let server = Server::in_process(&db);
        let mut officer = server.client();
        officer.login("officer13", DEMO_PASSWORD);

        // 要対応 by default: only cases waiting for the bureau, nearest
        // processing deadline first.
        let page = html(&mut officer, "/queue");
        let waiting = total(&page);
        assert!(waiting > 5, "{page}");
        assert_eq!(tab(&page, "要対応"), waiting);
        for s in column(&page, "状態") {
            assert!(WAITING.contains(&s.as_str()), "{s} in 要対応");
        }
        let due: Vec<String> = column(&page, "処理期限")
            .iter()
            .filter_map(|c| iso(c))
            .collect();
        assert_eq!(due.len(), ids(&page).len(), "every waiting case has one");
        assert!(due.windows(2).all(|w| w[0] <= w[1]), "{due:?}");
        let later = html(&mut officer, "/queue?sort=processing_desc");
        let mut reversed: Vec<String> = column(&later, "処理期限")
            .iter()
            .filter_map(|c| iso(c))
            .collect();
        reversed.reverse();
        assert_eq!(reversed, due);

        // The counts: one per view, each the total of its list; drafts in
        // none of them, withdrawn cases only in their own.
        let (s, api) = officer.get("/api/v1/cases");
        assert_eq!(s, 200);
        let api = api.as_array().unwrap();
        let withdrawn_api = api.iter().filter(|c| c["status"] == "withdrawn").count() as i64;
        assert!(api.iter().all(|c| c["status"] != "draft"));
        let all = html(&mut officer, "/queue?view=all");
        let decided = html(&mut officer, "/queue?view=decided");
        let withdrawn = html(&mut officer, "/queue?view=withdrawn");
        assert_eq!(tab(&all, "すべて"), total(&all));
        assert_eq!(tab(&all, "決定済み"), total(&decided));
        assert_eq!(tab(&all, "取下げ"), total(&withdrawn));
        assert_eq!(total(&withdrawn), withdrawn_api);
        assert_eq!(total(&all) + total(&withdrawn), api.len() as i64);
        assert!(withdrawn_api > 0 && total(&decided) > 0);
        for s in column(&withdrawn, "状態") {
            assert_eq!(s, "取下げ");
        }
        for page in [&all, &decided] {
            for s in column(page, "状態") {
                assert!(s != "取下げ" && s != "作成中", "{s}");
            }
        }

        // Sorting by case number, both ways, and paging (50 a page).
        assert!(total(&all) > 50, "{}", total(&all));
        let first = ids(&html(&mut officer, "/queue?view=all&sort=number"));
        let second = ids(&html(&mut officer, "/queue?view=all&sort=number&page=2"));
        assert_eq!(first.len(), 50);
        assert!(!second.is_empty());
        assert!(first.windows(2).all(|w| w[0] < w[1]), "{first:?}");
        assert!(second.windows(2).all(|w| w[0] < w[1]), "{second:?}");
        assert!(first.last() < second.first(), "page 2 follows page 1");
        let newest = ids(&html(&mut officer, "/queue?view=all&sort=newest"));
        assert!(newest.windows(2).all(|w| w[0] > w[1]), "{newest:?}");
        // The pager and the column headers keep the view and the order.
        let p1 = html(&mut officer, "/queue?view=all&sort=number");
        assert!(
            p1.contains("href=\"/queue?view=all&amp;status=&amp;assignee=&amp;due_within=&amp;min_amount=&amp;q=&amp;sort=number&amp;page=2\""),
            "{p1}"
        );
        assert!(p1.contains("aria-sort=\"ascending\""));
        // By the day received: oldest first (most days waiting), then newest first.
        for (sort, ascending) in [("received", true), ("received_desc", false)] {
            let page = html(&mut officer, &format!("/queue?view=all&sort={sort}"));
            let days: Vec<String> = column(&page, "受付日")
                .iter()
                .filter_map(|c| iso(c))
                .collect();
            assert!(days.len() > 10, "{sort}");
            assert!(
                days.windows(2).all(|w| if ascending {
                    w[0] <= w[1]
                } else {
                    w[0] >= w[1]
                }),
                "{sort}: {days:?}"
            );
        }
        let waits: Vec<i64> = column(&html(&mut officer, "/queue?sort=received"), "待ち日数")
            .iter()
            .filter_map(|c| c.trim_end_matches('日').parse().ok())
            .collect();
        assert!(waits.windows(2).all(|w| w[0] >= w[1]), "{waits:?}");

        // The minimum amount counts only amounts that are expected: a
        // subsidy predicted 不支給 adds nothing.
        let mut rows = Vec::new();
        for n in 1..=(total(&all) + 49) / 50 {
            let page = html(
                &mut officer,
                &format!("/queue?view=all&sort=number&page={n}"),
            );
            rows.extend(ids(&page).into_iter().zip(column(&page, "支給見込み額")));
        }
        let sums: Vec<(i64, i64, i64)> = rows
            .iter()
            .map(|(id, cell)| {
                let a = amounts(cell);
                let all: i64 = a.iter().map(|(_, n)| n).sum();
                let expected: i64 = a.iter().filter(|(ng, _)| !ng).map(|(_, n)| n).sum();
                (*id, expected, all)
            })
            .collect();
        let (denied, expected, _) = *sums
            .iter()
            .find(|(_, e, a)| a > e && *a > 0)
            .expect("a case with an amount predicted 不支給");
        let threshold = expected + 1;
        let rich = html(
            &mut officer,
            &format!("/queue?view=all&sort=number&min_amount={threshold}"),
        );
        let listed = ids(&rich);
        assert!(
            !listed.contains(&denied),
            "{denied} is not expected to get {threshold}"
        );
        let want: Vec<i64> = sums
            .iter()
            .filter(|(_, e, _)| *e >= threshold)
            .map(|(id, _, _)| *id)
            .collect();
        assert_eq!(total(&rich), want.len() as i64);
        assert_eq!(listed, want[..want.len().min(50)]);

        // The Excel file: Japanese name, header, types and formats, the
        // header frozen and filtered.
        let (s, headers, xlsx) = officer.raw("GET", "/queue.xlsx?view=all&sort=number", None, b"");
        assert_eq!(s, 200);
        let disposition = headers
            .iter()
            .find(|(k, _)| k == "content-disposition")
            .map(|(_, v)| v.clone())
            .unwrap();
        assert!(
            disposition.starts_with("attachment; filename=\"shinsa_ichiran_")
                && disposition.contains(".xlsx\"; filename*=UTF-8''")
                && disposition.contains(&percent("審査一覧_東京_")),
            "{disposition}"
        );
        let sheet = read_sheet(&xlsx);
        assert_eq!(
            sheet[0],
            HEADER
                .iter()
                .map(|h| Cell::Text(h.to_string()))
                .collect::<Vec<_>>()
        );
        assert_eq!(sheet.len() as i64, total(&all) + 1, "every row, no paging");
        assert_eq!(sheet[1][0], Cell::Number(first[0] as f64));
        assert!(
            sheet[1..].iter().any(|r| matches!(r[5], Cell::Date(_))),
            "受付日 is a date"
        );
        for r in &sheet[1..] {
            assert!(matches!(r[0], Cell::Number(_)));
            assert!(matches!(r[5], Cell::Date(_) | Cell::Empty), "{r:?}");
            assert!(matches!(r[7], Cell::Date(_) | Cell::Empty), "{r:?}");
            assert!(matches!(r[10], Cell::Number(_) | Cell::Empty), "{r:?}");
        }
        let files = unzip(&xlsx);
        let styles = &files["xl/styles.xml"];
        assert!(
            styles.contains("formatCode=\"#,##0&quot;円&quot;\""),
            "{styles}"
        );
        assert!(styles.contains("formatCode=\"yyyy/mm/dd\""), "{styles}");
        assert!(
            styles.contains("<b/>") && styles.contains("patternFill"),
            "bold, filled header"
        );
        let sheet1 = &files["xl/worksheets/sheet1.xml"];
        assert!(
            sheet1.contains("<pane ySplit=\"1\"") && sheet1.contains("state=\"frozen\""),
            "{sheet1}"
        );
        assert!(sheet1.contains("<autoFilter ref=\"A1:O"), "{sheet1}");
        assert!(sheet1.contains("<col "), "column widths");

        // The CSV: the same columns, UTF-8 with a BOM, its own Japanese name.
        let (s, headers, csv) = officer.raw("GET", "/queue.csv?view=all", None, b"");
        assert_eq!(s, 200);
        let csv = String::from_utf8(csv).unwrap();
        assert!(
            csv.starts_with(&format!("\u{feff}{}\r\n", HEADER.join(","))),
            "{csv}"
        );
        assert_eq!(csv.lines().count() as i64, total(&all) + 1);
        let disposition = headers
            .iter()
            .find(|(k, _)| k == "content-disposition")
            .map(|(_, v)| v.clone())
            .unwrap();
        assert!(
            disposition.contains(
                ".csv\"; filename*=UTF-8''%E5%AF%A9%E6%9F%BB%E4%B8%80%E8%A6%A7_%E6%9D%B1%E4%BA%AC_"
            ),
            "{disposition}"
        );

        // An administrator's file names the whole country.
        let mut admin = server.client();
        admin.login("admin", DEMO_PASSWORD);
        let (s, headers, _) = admin.raw("GET", "/queue.csv", None, b"");
        assert_eq!(s, 200);
        assert!(headers
            .iter()
            .any(|(k, v)| k == "content-disposition" && v.contains(&percent("審査一覧_全国_"))));
    }
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Debug, PartialEq)]
pub(super) enum Cell {
    Text(String),
    Number(f64),
    Date(f64),
    Empty,
}

/// The first sheet, as typed cells.
pub(super) fn read_sheet(xlsx: &[u8]) -> Vec<Vec<Cell>> {
    use calamine::{Data, Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    assert_eq!(book.sheet_names(), ["審査一覧"]);
    let range = book.worksheet_range("審査一覧").unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Float(f) => Cell::Number(*f),
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::DateTime(d) if d.is_datetime() => Cell::Date(d.as_f64()),
                    Data::Empty => Cell::Empty,
                    other => panic!("unexpected cell {other:?}"),
                })
                .collect()
        })
        .collect()
}

/// Every file of a zip archive, as text.
fn unzip(bytes: &[u8]) -> std::collections::HashMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            (f.name().unwrap().to_string(), s)
        })
        .collect()
}

/// A form body with the client's CSRF token.
fn form(c: &Client, fields: &[(&str, &str)]) -> Vec<u8> {
    let mut all = vec![("csrf", c.csrf.clone().unwrap())];
    all.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    all.iter()
        .map(|(k, v)| format!("{}={}", percent(k), percent(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

/// Posts the assignment form; status and the `Location` it answers with.
fn assign(c: &Client, case: i64, assignee: &str) -> (u16, Option<String>, String) {
    let (s, h, b) = c.raw(
        "POST",
        "/queue/assign",
        Some("application/x-www-form-urlencoded"),
        &form(
            c,
            &[
                ("case_id", &case.to_string()),
                ("assignee", assignee),
                ("back", "view=all&sort=number"),
            ],
        ),
    );
    let location = h.into_iter().find(|(k, _)| k == "location").map(|(_, v)| v);
    (s, location, String::from_utf8_lossy(&b).into_owned())
}

fn user_id(c: &mut Client) -> i64 {
    let (s, me) = c.get("/api/v1/me");
    assert_eq!(s, 200, "{me}");
    me["id"]
        .as_i64()
        .or_else(|| me["user"]["id"].as_i64())
        .unwrap_or_else(|| panic!("{me}"))
}

/// An employer in Tokyo named `name` with its 雇用保険適用事業所番号, and
/// its user signed in.
fn employer(w: &mut World, name: &str, number: &str, user: &str) -> (Client, Value) {
    let mut employer = case01_document()["employer"].clone();
    employer["name"] = json!(name);
    employer["employment_insurance_number"] = json!(number);
    let (s, org) = w.admin.post(
        "/api/v1/organizations",
        &json!({"prefecture": 13, "employer": employer}),
    );
    assert_eq!(s, 201, "{org}");
    let (s, u) = w.admin.post(
        "/api/v1/users",
        &json!({"username": user, "password": PASSWORD, "role": "employer", "organization_id": org["id"]}),
    );
    assert_eq!(s, 201, "{u}");
    let mut c = w.server.client();
    c.login(user, PASSWORD);
    (c, employer)
}

/// A case of `c` with case 01's inputs under `employer`, submitted to the
/// bureau unless `draft`.
fn case(w: &mut World, c: &mut Client, employer: &Value, title: &str, draft: bool) -> i64 {
    set_clock(&mut w.admin, "2022-06-01");
    let (s, v) = c.post("/api/v1/cases", &json!({ "title": title }));
    assert_eq!(s, 201, "{v}");
    let id = v["case"]["id"].as_i64().unwrap();
    let mut doc = case01_document();
    doc["employer"] = employer.clone();
    let (s, v) = c.put(
        &format!("/api/v1/cases/{id}/inputs"),
        &json!({"version": version(&v), "document": doc}),
    );
    assert_eq!(s, 200, "{v}");
    if !draft {
        set_clock(&mut w.admin, "2022-06-15");
        let (s, v) = act(c, id, "submit_plan", json!({}));
        assert_eq!(s, 200, "{v}");
    }
    id
}

#[test]
fn officers_search_filter_and_assign_in_their_bureau() {
    for db in backends() {
        let mut w = world(&db);
        let (mut sakura, sakura_doc) =
            employer(&mut w, "さくら精機株式会社", "1301-555555-1", "sakura");
        let (mut kaede, kaede_doc) =
            employer(&mut w, "かえで商事株式会社", "1301-777777-2", "kaede");
        let a = case(
            &mut w,
            &mut sakura,
            &sakura_doc,
            "令和4年度 テレワーク導入",
            false,
        );
        let b = case(
            &mut w,
            &mut kaede,
            &kaede_doc,
            "令和4年度 テレワーク導入",
            false,
        );
        let draft = case(&mut w, &mut kaede, &kaede_doc, "まだ作成中の計画", true);
        let gone = case(&mut w, &mut kaede, &kaede_doc, "取り下げた計画", false);
        let (s, v) = act(
            &mut kaede,
            gone,
            "withdraw",
            json!({"reason": "計画を見直すため"}),
        );
        assert_eq!(s, 200, "{v}");
        set_clock(&mut w.admin, "2022-07-01");

        // 要対応 lists the submitted plans, received on the day submitted,
        // with a processing deadline 30 days on; never the draft or the
        // withdrawn plan.
        let page = html(&mut w.officer, "/queue");
        let mut listed = ids(&page);
        listed.sort();
        assert_eq!(listed, [a, b]);
        assert_eq!(
            column(&page, "受付日"),
            [
                "2022-06-15（令和4年6月15日）",
                "2022-06-15（令和4年6月15日）"
            ]
        );
        assert_eq!(column(&page, "待ち日数"), ["16日", "16日"]);
        assert!(column(&page, "処理期限")[0].starts_with("2022-07-15"));
        for view in ["all", "decided", "withdrawn"] {
            let p = html(&mut w.officer, &format!("/queue?view={view}"));
            assert!(!ids(&p).contains(&draft), "{view}");
            assert_eq!(ids(&p).contains(&gone), view == "withdrawn", "{view}");
        }
        assert!(!html(
            &mut w.officer,
            "/queue?view=all&q=%E4%BD%9C%E6%88%90%E4%B8%AD"
        )
        .contains("まだ作成中の計画"));

        // Search: the employer's name, the case number, the 雇用保険番号
        // (with or without hyphens, full-width digits too).
        let search = |w: &mut World, q: &str| {
            ids(&html(
                &mut w.officer,
                &format!("/queue?view=all&q={}", percent(q)),
            ))
        };
        assert_eq!(search(&mut w, "さくら精機"), [a]);
        assert_eq!(search(&mut w, "かえで"), [b]);
        assert_eq!(search(&mut w, &b.to_string()), [b]);
        assert_eq!(search(&mut w, "1301-777777-2"), [b]);
        assert_eq!(search(&mut w, "13015555551"), [a]);
        assert_eq!(search(&mut w, "５５５５５"), [a]);
        assert_eq!(search(&mut w, "9999999"), Vec::<i64>::new());
        let page = html(&mut w.officer, "/queue?view=all&q=1301-555555-1");
        assert!(
            page.contains("雇用保険 1301-555555-1"),
            "the number is shown"
        );

        // Filters that cannot be read are named, marked and left out.
        let page = html(
            &mut w.officer,
            "/queue?view=later&status=draft&assignee=boss&min_amount=abc&sort=price&page=x",
        );
        assert!(page.contains("error-summary"), "{page}");
        for (field, words) in [
            (
                "status",
                "状態は「要対応」の一覧にある状態から選んでください。",
            ),
            (
                "assignee",
                "担当者は「自分の担当」「未割当」から選んでください。",
            ),
            (
                "min_amount",
                "「支給見込み額」は 0 以上の金額（円）で入力してください。",
            ),
            ("sort", "並び順は一覧から選んでください。"),
        ] {
            assert!(page.contains(words), "{field}: {page}");
            assert!(
                page.contains(&format!("id=\"{field}-error\""))
                    && page.contains(&format!(
                        "aria-invalid=\"true\" aria-describedby=\"{field}-error\""
                    )),
                "{field} marked"
            );
        }
        assert!(page.contains(
            "表示する一覧は「要対応」「決定済み」「すべて」「取下げ」から選んでください。"
        ));
        assert!(page.contains("ページは 1 以上の番号で指定してください。"));
        let mut listed = ids(&page);
        listed.sort();
        assert_eq!(listed, [a, b], "the rest of the query still applies");

        // Assignment: to oneself, then to a colleague of the same bureau.
        let (s, u) = w.admin.post(
            "/api/v1/users",
            &json!({"username": "tokyo2", "password": PASSWORD, "role": "officer", "prefecture": 13}),
        );
        assert_eq!(s, 201, "{u}");
        let mut colleague = w.server.client();
        colleague.login("tokyo2", PASSWORD);
        let me = user_id(&mut w.officer);
        let other = user_id(&mut colleague);
        let osaka = user_id(&mut w.other_officer);
        assert!(ids(&html(&mut w.officer, "/queue?assignee=me")).is_empty());
        let (s, location, body) = assign(&w.officer, a, &me.to_string());
        assert_eq!(s, 303, "{body}");
        assert_eq!(
            location.as_deref(),
            Some("/queue?view=all&sort=number#main")
        );
        assert_eq!(ids(&html(&mut w.officer, "/queue?assignee=me")), [a]);
        assert_eq!(ids(&html(&mut w.officer, "/queue?assignee=none")), [b]);
        let page = html(&mut w.officer, "/queue?assignee=me");
        assert!(page.contains("selected>自分</option>"), "{page}");
        let (s, _, body) = assign(&w.officer, b, &other.to_string());
        assert_eq!(s, 303, "{body}");
        assert_eq!(ids(&html(&mut colleague, "/queue?assignee=me")), [b]);
        assert!(ids(&html(&mut w.officer, "/queue?assignee=none")).is_empty());
        // Each change is in the case's history.
        let (s, log) = w.officer.get(&format!("/api/v1/cases/{b}/audit"));
        assert_eq!(s, 200, "{log}");
        let entry = log
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "case.assign")
            .unwrap_or_else(|| panic!("{log}"));
        assert_eq!(entry["before"]["assignee_id"], json!(null), "{entry}");
        assert_eq!(entry["after"]["assignee_id"], json!(other), "{entry}");
        assert_eq!(entry["user_id"], json!(me), "{entry}");

        // Refused: an officer of another prefecture (the case does not exist
        // for them), an applicant, an officer of another bureau as assignee,
        // and nothing changes.
        let (s, _, _) = assign(&w.other_officer, a, &osaka.to_string());
        assert_eq!(s, 404);
        let (s, _, _) = assign(&sakura, a, "");
        assert_eq!(s, 403);
        let (s, _, body) = assign(&w.officer, a, &osaka.to_string());
        assert_eq!(s, 422);
        assert!(
            body.contains("担当者は、この申請を管轄する労働局の職員から選んでください。"),
            "{body}"
        );
        let (s, _, _) = assign(&w.officer, a, "nobody");
        assert_eq!(s, 422);
        assert_eq!(ids(&html(&mut w.officer, "/queue?assignee=me")), [a]);
        // Unassigning.
        let (s, _, _) = assign(&w.officer, a, "");
        assert_eq!(s, 303);
        assert!(ids(&html(&mut w.officer, "/queue?assignee=me")).is_empty());

        // Applicants never use the queue or its exports.
        for path in ["/queue", "/queue.csv", "/queue.xlsx"] {
            assert_eq!(sakura.get_raw(path).0, 403, "{path}");
            assert_eq!(w.agent.get_raw(path).0, 403, "{path}");
        }
    }
}

/// The queue at 20,000 demo cases in Chromium: sign in as the Tokyo
/// officer, search, sort by a column header, go to page 2, assign a case to
/// oneself and find it under 「自分の担当」; screenshots at 1366 and 390 px.
#[test]
fn the_queue_in_a_browser_with_20000_cases() {
    if let Err(missing) = browser::available() {
        eprintln!("skipped: {missing}");
        return;
    }
    let db = backends().into_iter().next().unwrap();
    demo(&db, 20_000, 3);
    let server = Server::start(&db);
    let base = server.base.clone();
    let b = browser::Browser::start(1366, 900);
    b.go(&format!("{base}/login"));
    b.fill("#username", "officer13");
    b.fill("#password", DEMO_PASSWORD);
    b.submit("form[action='/login'] button[type=submit]");
    b.go(&format!("{base}/queue"));
    let text = b.text();
    assert!(
        text.contains("審査の一覧") && text.contains("要対応"),
        "{text}"
    );
    assert!(text.contains("全"), "{text}");

    // Search by an employer's name.
    b.go(&format!("{base}/queue?view=all"));
    b.fill("#q", "さくら");
    b.submit("form.filters button[type=submit]");
    let text = b.text();
    assert!(
        b.url().contains("q=%E3%81%95%E3%81%8F%E3%82%89"),
        "{}",
        b.url()
    );
    assert!(text.contains("さくら"), "{text}");

    // Every case, sorted by clicking 受付日 (newest first), then page 2.
    b.go(&format!("{base}/queue?view=all&sort=number"));
    b.submit("th a[href*='sort=received_desc']");
    assert!(b.url().contains("sort=received_desc"), "{}", b.url());
    assert!(b.exists("th[aria-sort='descending']"));
    let page1 = b.text();
    b.submit("a[rel=next]");
    assert!(b.url().contains("page=2"), "{}", b.url());
    let page2 = b.text();
    assert!(page2.contains("51〜100件"), "{page2}");
    assert_ne!(page1, page2);

    // Assign the first case of 要対応 to oneself; it is then under 自分の担当.
    b.go(&format!("{base}/queue"));
    let id = b
        .script("return document.querySelector(\"table.queue tbody td[data-label='申請番号']\").innerText.trim();")
        .as_str()
        .unwrap()
        .to_string();
    let select = format!("#assignee-{id}");
    let own = b.script(&format!(
        "const s = document.querySelector('{select}'); const o = [...s.options].find(o => o.text.startsWith('自分')); s.value = o.value; return o.value;"
    ));
    assert!(own.as_str().is_some_and(|v| !v.is_empty()), "{own}");
    b.submit(&format!("form.assign:has({select}) button[type=submit]"));
    b.go(&format!("{base}/queue?assignee=me"));
    let mine = b.text();
    assert!(mine.contains("全1件中"), "{mine}");
    assert!(mine.contains(&id), "{mine}");
    b.go(&format!("{base}/queue"));
    b.screenshot("queue-1366");

    // At 390 px: cards, no sideways scrolling of the page.
    let phone = browser::Browser::start_phone(390, 844);
    phone.go(&format!("{base}/login"));
    phone.fill("#username", "officer13");
    phone.fill("#password", DEMO_PASSWORD);
    phone.submit("form[action='/login'] button[type=submit]");
    phone.go(&format!("{base}/queue"));
    let overflow = phone.script(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth;",
    );
    assert_eq!(
        overflow,
        json!(false),
        "the page scrolls sideways at 390 px"
    );
    phone.script("document.querySelector('table.queue').scrollIntoView(); return null;");
    phone.screenshot("queue-390");
}
