//! The diagnosis (help, total, the labour bureau to ask, an application
//! started from the answers), the labour-bureau directory (anyone reads, only
//! administrators change it, audited) and CSV imports (a preview in Japanese
//! with the rows that do not count and the effect on tests ① and ②,
//! templates, records viewed and removed until filing): over HTTP on both
//! backends, and in Chromium at 1366 and 390 px.

use super::*;

/// A form body, `application/x-www-form-urlencoded`.
fn form_body(pairs: &[(&str, &str)]) -> Vec<u8> {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Posts a page form; status, `Location` and the page's HTML.
fn post_form(c: &Client, path: &str, pairs: &[(&str, &str)]) -> (u16, String, String) {
    let (s, h, b) = c.raw(
        "POST",
        path,
        Some("application/x-www-form-urlencoded"),
        &form_body(pairs),
    );
    (s, location(&h), String::from_utf8_lossy(&b).into_owned())
}

/// A multipart form with a file field `file` (when given) after the text fields.
fn post_multipart(
    c: &Client,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<&[u8]>,
) -> (u16, String) {
    let boundary = "----joseiTestBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some(bytes) = file {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"records.csv\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let (s, _, b) = c.raw(
        "POST",
        path,
        Some(&format!("multipart/form-data; boundary={boundary}")),
        &body,
    );
    (s, String::from_utf8_lossy(&b).into_owned())
}

fn location(headers: &[(String, String)]) -> String {
    headers
        .iter()
        .find(|(k, _)| k == "location")
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn get_page(c: &mut Client, path: &str) -> (u16, String) {
    let (s, b) = c.get_raw(path);
    (s, String::from_utf8_lossy(&b).into_owned())
}

/// The text a person reads: tags (and their attributes) dropped, entities decoded.
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

/// The store of the test database, for what no API shows (the audit log of
/// settings).
fn with_store<T>(db: &TestDb, f: impl AsyncFnOnce(&josei_store::Db) -> T) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let store = josei_store::connect(&db.url).await.unwrap();
            let out = f(&store).await;
            store.pool.close().await;
            out
        })
}

#[test]
fn the_bureau_directory_is_read_by_anyone_and_changed_only_by_admins() {
    for db in backends() {
        let mut w = world(&db);
        let mut anyone = w.server.client();
        let (s, all) = anyone.get("/api/v1/bureaus");
        assert_eq!(s, 200, "{all}");
        let all = all.as_array().unwrap();
        assert_eq!(all.len(), 47);
        assert_eq!(all[35]["name"], "徳島労働局");
        assert_eq!(all[35]["phone"], "088-652-2718");
        assert_eq!(all[35]["department"], "雇用環境・均等部（室）");
        assert_eq!(all[12]["phone"], "");
        let (s, b) = anyone.get("/api/v1/bureaus/37");
        assert_eq!((s, b["phone"].as_str()), (200, Some("087-811-8924")));
        assert_eq!(anyone.get("/api/v1/bureaus/48").0, 404);
        assert_eq!(anyone.get("/api/v1/bureaus/tokyo").0, 404);

        // Writing: signed out 401; employer, 社労士 and officer 403; nothing changes.
        let change = json!({"phone": "０３－３５１２－１６１１", "address": "東京都千代田区九段南1-2-1", "source": "東京労働局のホームページ"});
        assert_eq!(anyone.put("/api/v1/bureaus/13", &change).0, 401);
        for c in [&mut w.employer, &mut w.agent, &mut w.officer] {
            let (s, e) = c.put("/api/v1/bureaus/13", &change);
            assert_eq!(s, 403, "{e}");
        }
        assert_eq!(anyone.get("/api/v1/bureaus/13").1["phone"], "");

        // An administrator: full-width digits stored half-width, the rest kept.
        let (s, b) = w.admin.put("/api/v1/bureaus/13", &change);
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["phone"], "03-3512-1611");
        assert_eq!(b["department"], "雇用環境・均等部（室）");
        assert_eq!(b["name"], "東京労働局");
        // Bad values name their field; an unknown prefecture is not found.
        for (body, field) in [
            (json!({"phone": "03-3512"}), "phone"),
            (json!({"url": "javascript:alert(1)"}), "url"),
            (json!({"department": "部\u{0007}"}), "department"),
        ] {
            let (s, e) = w.admin.put("/api/v1/bureaus/13", &body);
            assert_eq!((s, e["error"]["field"].as_str()), (422, Some(field)), "{e}");
        }
        assert_eq!(w.admin.put("/api/v1/bureaus/0", &change).0, 404);
        assert_eq!(anyone.get("/api/v1/bureaus/13").1["phone"], "03-3512-1611");

        // Each change is audited with who made it and the values before and after.
        let log = with_store(&db, async |s| {
            s.audit_log("setting", "labour_bureau.13").await.unwrap()
        });
        assert_eq!(log.len(), 1, "{log:?}");
        assert_eq!(log[0].action, "bureau.update");
        assert!(log[0].user_id.is_some());
        assert_eq!(log[0].before.as_ref().unwrap()["phone"], "");
        assert_eq!(log[0].after.as_ref().unwrap()["phone"], "03-3512-1611");

        // The public directory page shows it; the API documents the routes.
        let (s, html) = get_page(&mut anyone, "/bureaus");
        assert_eq!(s, 200);
        let t = visible(&html);
        assert!(
            t.contains("東京労働局") && t.contains("03-3512-1611"),
            "{t}"
        );
        assert!(t.contains("088-652-2718") && t.contains("未登録"), "{t}");
        let (_, doc) = anyone.get("/api/v1/openapi.json");
        assert!(doc["paths"]["/api/v1/bureaus/{prefecture}"]["put"].is_object());
    }
}

/// Today's answers of a service company in 徳島.
const ANSWERS: &str = "industry=service&capital=10000000&employees=12&telework_status=none&work_rules=no&prior=no&insurance=yes&targets=3&pref=36";

#[test]
fn the_diagnosis_explains_totals_names_the_bureau_and_starts_an_application() {
    for db in backends() {
        let mut w = world(&db);
        set_clock(&mut w.admin, "2026-11-21");
        let mut anyone = w.server.client();
        let (s, html) = get_page(&mut anyone, &format!("/diagnosis?{ANSWERS}"));
        assert_eq!(s, 200);
        let t = visible(&html);
        assert!(t.contains("令和8年度の制度で判定しました"), "{t}");
        assert!(
            t.contains("2つの助成金の合計（見込み）") && t.contains("300,000円"),
            "{t}"
        );
        assert!(t.contains("合計 350,000円"), "with the wage premium: {t}");
        for term in [
            "常時雇用する労働者",
            "雇用保険の適用事業主",
            "テレワーク勤務",
            "就業規則",
            "評価期間",
            "職場風土作り",
        ] {
            assert!(t.contains(&format!("「{term}」とは")), "help for {term}");
        }
        assert!(
            t.contains("徳島労働局 雇用環境・均等部（室）") && t.contains("088-652-2718"),
            "{t}"
        );
        assert!(t.contains("この内容で申請を始める"));
        // A bureau whose number nobody entered yet: said so, and the directory linked.
        let (_, html) = get_page(
            &mut anyone,
            &format!("/diagnosis?{}", ANSWERS.replace("pref=36", "pref=13")),
        );
        assert!(
            visible(&html).contains("東京労働局")
                && visible(&html).contains("電話番号はまだ登録されていません")
        );
        assert!(html.contains("href=\"/bureaus\""));
        // Mistakes: named at the top with links, marked on the field, what was typed kept.
        let bad = ANSWERS
            .replace("employees=12", "employees=")
            .replace("capital=10000000", "capital=abc");
        let (s, html) = get_page(&mut anyone, &format!("/diagnosis?{bad}"));
        assert_eq!(s, 422);
        assert!(
            html.contains("href=\"#employees\"") && html.contains("href=\"#capital\""),
            "{html}"
        );
        assert!(html.contains("id=\"capital\" type=\"text\" inputmode=\"numeric\" name=\"capital\" value=\"abc\" aria-invalid=\"true\""), "{html}");
        assert!(
            html.contains("name=\"employees\" value=\"\" aria-invalid=\"true\""),
            "{html}"
        );

        // Signed out, the button goes through the login page and back.
        let start = format!("/diagnosis/start?{ANSWERS}");
        let (s, h, _) = anyone.raw("GET", &start, None, b"");
        assert_eq!(s, 303);
        let to = location(&h);
        assert!(
            to.starts_with("/login?next=/diagnosis/start%3Findustry%3Dservice"),
            "{to}"
        );
        // An officer cannot start one.
        assert_eq!(get_page(&mut w.officer, &start).0, 403);
        // The employer sees what will be carried over and names the application.
        let (s, html) = get_page(&mut w.employer, &start);
        assert_eq!(s, 200, "{html}");
        let t = visible(&html);
        assert!(
            t.contains("サービス業") && t.contains("12人") && t.contains("令和8年度"),
            "{t}"
        );
        assert!(
            t.contains("評価期間の初日（予定）") && t.contains("2027-02-21"),
            "{t}"
        );
        let csrf = w.employer.csrf.clone().unwrap();
        let mut fields: Vec<(&str, &str)> = ANSWERS
            .split('&')
            .map(|kv| kv.split_once('=').unwrap())
            .collect();
        fields.push(("csrf", &csrf));
        // Without a title: the field is marked and nothing is created.
        let (_, before) = w.employer.get("/api/v1/cases");
        let mut no_title = fields.clone();
        no_title.push(("title", " "));
        let (s, _, html) = post_form(&w.employer, "/diagnosis/start", &no_title);
        assert_eq!(s, 422);
        assert!(
            html.contains("aria-invalid=\"true\"") && html.contains("件名を1〜200文字"),
            "{html}"
        );
        assert_eq!(w.employer.get("/api/v1/cases").1, before);
        // Without the session's token: refused.
        let mut forged = no_title.clone();
        forged.retain(|(k, _)| *k != "csrf");
        forged.push(("title", "偽の申請"));
        assert_eq!(post_form(&w.employer, "/diagnosis/start", &forged).0, 403);
        // With a title: the new application, prefilled with the answers and the dates.
        fields.push(("title", "テレワークの導入（令和8年度）"));
        let (s, to, html) = post_form(&w.employer, "/diagnosis/start", &fields);
        assert_eq!(s, 303, "{html}");
        let id: i64 = to
            .strip_prefix("/cases/")
            .and_then(|r| r.strip_suffix("?done=diagnosis"))
            .unwrap()
            .parse()
            .unwrap();
        let (s, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(s, 200);
        let e = &c["document"]["employer"];
        assert_eq!(e["name"], "株式会社みなと商店", "the registered name stays");
        assert_eq!(
            (e["industry"].as_str(), e["regular_employees"].as_i64()),
            (Some("service"), Some(12))
        );
        assert_eq!(e["capital_yen"], 10_000_000);
        assert_eq!(c["document"]["evaluation_start"], "2027-02-21");
        assert_eq!(c["case"]["title"], "テレワークの導入（令和8年度）");
        // A 社労士 names the employer; one that did not delegate is not found.
        let agent_csrf = w.agent.csrf.clone().unwrap();
        let mut agent_fields = fields.clone();
        agent_fields.retain(|(k, _)| *k != "csrf");
        agent_fields.push(("csrf", &agent_csrf));
        let (s, _, html) = post_form(&w.agent, "/diagnosis/start", &agent_fields);
        assert_eq!(s, 422, "{html}");
        assert!(visible(&html).contains("申請する事業主を選んでください"));
        let org = w.org_id.to_string();
        agent_fields.push(("organization_id", &org));
        assert_eq!(
            post_form(&w.agent, "/diagnosis/start", &agent_fields).0,
            404
        );
    }
}

/// A case in its evaluation period (case 01, clock 2022-08-20) without telework records.
fn evaluating_case(w: &mut World) -> i64 {
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
    set_clock(&mut w.admin, "2022-08-20");
    let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
    let mut doc = c["document"].clone();
    doc["telework"] = json!([]);
    let (s, c) = w.employer.put(
        &format!("/api/v1/cases/{id}/inputs"),
        &json!({"version": version(&c), "document": doc}),
    );
    assert_eq!(s, 200, "{c}");
    id
}

/// Telework records in the file's own column order (a notes column too):
/// one that counts, and one of each reason not to.
const TELEWORK_CSV: &str = "勤務場所,従業員ID,日付,備考\r\n\
    在宅,E001,2022/8/3,\r\n\
    モバイル,E002,2022/8/4,移動中\r\n\
    出社,E003,2022/8/5,\r\n\
    在宅,E009,2022/8/5,\r\n\
    サテライトオフィス,E001,2022/9/30,予定\r\n\
    在宅,E002,2022/11/15,\r\n\
    在宅,E001,2022/8/3,二重\r\n\
    在宅,E003,2022/8/19,\r\n";

#[test]
fn an_import_preview_speaks_japanese_flags_rows_and_shows_tests_one_and_two() {
    for db in backends() {
        let mut w = world(&db);
        let id = evaluating_case(&mut w);
        let csrf = w.employer.csrf.clone().unwrap();
        let path = format!("/cases/{id}/import");
        let (s, html) = post_multipart(
            &w.employer,
            &path,
            &[("csrf", &csrf), ("kind", "telework"), ("mode", "append")],
            Some(&encode_sjis(TELEWORK_CSV)),
        );
        assert_eq!(s, 200, "{html}");
        let t = visible(&html);
        assert!(
            t.contains("8行を読み込みました（文字コード: Shift_JIS）。まだ保存していません。"),
            "{t}"
        );
        // The file's own column order, the column not read named.
        let head = &t[t.find("番号").unwrap()..];
        let (place, worker, date) = (
            head.find("勤務場所").unwrap(),
            head.find("従業員ID").unwrap(),
            head.find("日付").unwrap(),
        );
        assert!(place < worker && worker < date, "{head}");
        assert!(t.contains("読み込まない列：備考"), "{t}");
        // Values in the template's words; no stored code anywhere.
        assert!(t.contains("モバイル") && t.contains("サテライトオフィス") && t.contains("出社"));
        for code in [
            "home",
            "mobile",
            "office",
            "satellite",
            "ShiftJis",
            "shift_jis",
            "worker",
            "telework",
        ] {
            assert!(!t.contains(code), "{code} on the page: {t}");
        }
        // Rows that do not count, each with its reason.
        assert!(t.contains("実績に数えない行が 6行あります"), "{t}");
        for reason in [
            "モバイル勤務はテレワークに数えません：1行",
            "出社はテレワークに数えません：1行",
            "計画の対象労働者にいない人です（社員番号か氏名を確かめてください）：1行",
            "まだ来ていない日です（その日が過ぎるまで実績になりません）：2行",
            "評価期間の外の日です：1行",
            "同じ人・同じ日の行がほかにもあります（1日1回として数えます）：1行",
        ] {
            assert!(t.contains(reason), "{reason}: {t}");
        }
        assert!(t.contains("評価期間の実績に数えます"), "{t}");
        // Tests ① and ② before and after (as of today: the past days that count).
        assert!(
            t.contains("① 対象労働者全員が1回以上0 / 3人（未達成）2 / 3人（未達成）"),
            "{t}"
        );
        assert!(
            t.contains("② 週平均1回以上延べ 0日（未達成・必要 40日）延べ 2日（未達成・必要 40日）"),
            "{t}"
        );
        assert!(
            t.contains("E0010日1日+1日")
                && t.contains("E0020日0日+0日")
                && t.contains("E0030日1日+1日"),
            "{t}"
        );
        let (_, now) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(now["document"]["telework"], json!([]), "nothing stored yet");

        // A roster preview: the turnover before and after.
        let roster = "従業員ID,入社日,離職日,離職理由\nE001,2015/4/1,,\nE002,2015/4/1,2022/3/31,自己都合\nE003,2023/4/1,,\n";
        let (s, html) = post_multipart(
            &w.employer,
            &path,
            &[("csrf", &csrf), ("kind", "roster"), ("mode", "replace")],
            Some(roster.as_bytes()),
        );
        assert_eq!(s, 200, "{html}");
        let t = visible(&html);
        assert!(
            t.contains("いまある労働者名簿 13件を削除して、置き換えます。"),
            "{t}"
        );
        assert!(
            t.contains("離職率への影響") && t.contains("入社日が今日より後です"),
            "{t}"
        );
        assert!(t.contains("文字コード: UTF-8"), "{t}");

        // Bad rows: every one by line, nothing stored.
        let (s, html) = post_multipart(
            &w.employer,
            &path,
            &[("csrf", &csrf), ("kind", "telework")],
            Some("従業員ID,日付,勤務場所\nE001,2022/8/32,在宅\nE002,2022/8/3,カフェ\n".as_bytes()),
        );
        assert_eq!(s, 422);
        assert!(
            visible(&html).contains("2件の問題があります") && visible(&html).contains("カフェ")
        );
        // Only the case's own people: another employer gets 404, an officer may not import.
        let mut other = w.server.client();
        other.login("emp2", PASSWORD);
        let other_csrf = other.csrf.clone().unwrap();
        let (s, _) = post_multipart(
            &other,
            &path,
            &[("csrf", &other_csrf), ("kind", "telework")],
            Some(TELEWORK_CSV.as_bytes()),
        );
        assert_eq!(s, 404);
        let officer_csrf = w.officer.csrf.clone().unwrap();
        let (s, _) = post_multipart(
            &w.officer,
            &path,
            &[("csrf", &officer_csrf), ("kind", "telework")],
            Some(TELEWORK_CSV.as_bytes()),
        );
        assert_eq!(s, 403);
        let (s, _) = post_multipart(
            &w.employer,
            &path,
            &[("csrf", "forged"), ("kind", "telework")],
            Some(TELEWORK_CSV.as_bytes()),
        );
        assert_eq!(s, 403);
    }
}

#[test]
fn templates_import_back_and_records_are_removed_until_filing() {
    for db in backends() {
        let mut w = world(&db);
        let id = evaluating_case(&mut w);
        let csrf = w.employer.csrf.clone().unwrap();
        // Templates: UTF-8 with BOM, the importer's headings, the case's own example.
        let (s, h, t) = w.employer.raw(
            "GET",
            &format!("/cases/{id}/import/template/telework"),
            None,
            b"",
        );
        assert_eq!(s, 200);
        let header = |k: &str| {
            h.iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert!(header("content-type").starts_with("text/csv"));
        assert!(
            header("content-disposition").starts_with("attachment;"),
            "{h:?}"
        );
        assert_eq!(
            String::from_utf8(t.clone()).unwrap(),
            "\u{feff}従業員ID,日付,勤務場所\r\nE001,2022/8/1,在宅\r\n"
        );
        let (s, h2, roster) = w.employer.raw(
            "GET",
            &format!("/cases/{id}/import/template/roster"),
            None,
            b"",
        );
        assert_eq!(s, 200, "{h2:?}");
        assert!(String::from_utf8(roster)
            .unwrap()
            .starts_with("\u{feff}従業員ID,入社日,離職日,離職理由\r\n"));
        assert_eq!(
            w.employer
                .raw(
                    "GET",
                    &format!("/cases/{id}/import/template/expenses"),
                    None,
                    b""
                )
                .0,
            404
        );
        let mut other = w.server.client();
        other.login("emp2", PASSWORD);
        assert_eq!(
            other
                .raw(
                    "GET",
                    &format!("/cases/{id}/import/template/telework"),
                    None,
                    b""
                )
                .0,
            404
        );
        assert_eq!(get_page(&mut other, &format!("/cases/{id}/import")).0, 404);
        // The template goes through the preview and in.
        let (s, html) = post_multipart(
            &w.employer,
            &format!("/cases/{id}/import"),
            &[("csrf", &csrf), ("kind", "telework")],
            Some(&t),
        );
        assert_eq!(s, 200, "{html}");
        assert!(visible(&html).contains("1行を読み込みました（文字コード: UTF-8（BOM付き））"));

        // Import the records (confirm), then see them on the records page.
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        let v = version(&c).to_string();
        let (s, to, _) = post_form(
            &w.employer,
            &format!("/cases/{id}/import/confirm"),
            &[
                ("csrf", &csrf),
                ("version", &v),
                ("kind", "telework"),
                ("mode", "append"),
                ("csv", TELEWORK_CSV),
            ],
        );
        assert_eq!(
            (s, to.as_str()),
            (
                303,
                format!("/cases/{id}/import?saved=telework&rows=8").as_str()
            )
        );
        let (_, html) = get_page(&mut w.employer, &to);
        let t = visible(&html);
        assert!(t.contains("テレワーク実施記録を8行取り込みました。"), "{t}");
        assert!(t.contains("テレワーク実施記録（7件）"), "one day once: {t}");
        assert!(t.contains("労働者名簿（13件）"), "{t}");
        // A stale page: refused, nothing removed.
        let (s, _, html) = post_form(
            &w.employer,
            &format!("/cases/{id}/import/remove"),
            &[
                ("csrf", &csrf),
                ("version", &v),
                ("kind", "telework"),
                ("worker", "E009"),
                ("date", "2022-08-05"),
            ],
        );
        assert_eq!(s, 409);
        assert!(
            visible(&html).contains("ほかの人が先に更新しました"),
            "{html}"
        );
        // One record.
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        let v = version(&c).to_string();
        let (s, to, _) = post_form(
            &w.employer,
            &format!("/cases/{id}/import/remove"),
            &[
                ("csrf", &csrf),
                ("version", &v),
                ("kind", "telework"),
                ("worker", "E009"),
                ("date", "2022-08-05"),
            ],
        );
        assert_eq!(s, 303);
        assert!(visible(&get_page(&mut w.employer, &to).1)
            .contains("テレワーク実施記録を1行削除しました。"));
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        let days = c["document"]["telework"].as_array().unwrap();
        assert_eq!(days.len(), 6);
        assert!(!days.iter().any(|d| d["worker"] == "E009"));
        // A roster entry, by its place and id.
        let v = version(&c).to_string();
        let second = c["document"]["roster"][1]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (s, _, _) = post_form(
            &w.employer,
            &format!("/cases/{id}/import/remove"),
            &[
                ("csrf", &csrf),
                ("version", &v),
                ("kind", "roster"),
                ("index", "1"),
                ("id", &second),
            ],
        );
        assert_eq!(s, 303);
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(c["document"]["roster"].as_array().unwrap().len(), 12);
        // Every record of a kind, only once confirmed.
        let v = version(&c).to_string();
        let (s, _, html) = post_form(
            &w.employer,
            &format!("/cases/{id}/import/remove"),
            &[
                ("csrf", &csrf),
                ("version", &v),
                ("kind", "telework"),
                ("all", "yes"),
            ],
        );
        assert_eq!(s, 422);
        assert!(html.contains("id=\"confirm-all-telework\" type=\"checkbox\" name=\"confirm\" value=\"yes\" aria-invalid=\"true\""), "{html}");
        assert_eq!(
            w.employer.get(&format!("/api/v1/cases/{id}")).1["document"]["telework"]
                .as_array()
                .unwrap()
                .len(),
            6
        );
        let (s, _, _) = post_form(
            &w.employer,
            &format!("/cases/{id}/import/remove"),
            &[
                ("csrf", &csrf),
                ("version", &v),
                ("kind", "telework"),
                ("all", "yes"),
                ("confirm", "yes"),
            ],
        );
        assert_eq!(s, 303);
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(c["document"]["telework"], json!([]));
        // An officer reads the records but may not remove them.
        let (s, html) = get_page(&mut w.officer, &format!("/cases/{id}/import"));
        assert_eq!(s, 200);
        assert!(visible(&html).contains("労働者名簿（12件）") && !html.contains("/import/remove"));
        let officer_csrf = w.officer.csrf.clone().unwrap();
        let v = version(&c).to_string();
        assert_eq!(
            post_form(
                &w.officer,
                &format!("/cases/{id}/import/remove"),
                &[
                    ("csrf", &officer_csrf),
                    ("version", &v),
                    ("kind", "roster"),
                    ("all", "yes"),
                    ("confirm", "yes")
                ]
            )
            .0,
            403
        );
    }
}

#[test]
fn filed_records_cannot_be_removed_without_an_amendment() {
    for db in backends() {
        let mut w = world(&db);
        let (id, _) = new_case(&mut w);
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
        let csrf = w.employer.csrf.clone().unwrap();
        let remove = |c: &Client, v: &str| {
            post_form(
                c,
                &format!("/cases/{id}/import/remove"),
                &[
                    ("csrf", &csrf),
                    ("version", v),
                    ("kind", "telework"),
                    ("worker", "E001"),
                    ("date", "2022-08-03"),
                ],
            )
        };
        // Filed: the page says why, no import form, removing refused.
        let (_, html) = get_page(&mut w.employer, &format!("/cases/{id}/import"));
        let t = visible(&html);
        assert!(t.contains("記録を取り込んだり削除したりできません"), "{t}");
        assert!(
            !html.contains("/import/remove") && !html.contains("enctype=\"multipart/form-data\"")
        );
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        let (s, _, html) = remove(&w.employer, &version(&c).to_string());
        assert_eq!(s, 409, "{html}");
        // Decided: records open again, but what the application rests on stays locked.
        set_clock(&mut w.admin, "2022-12-10");
        assert_eq!(act(&mut w.officer, id, "grant_equipment", json!({})).0, 200);
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        let (s, _, html) = remove(&w.employer, &version(&c).to_string());
        assert_eq!(s, 409, "{html}");
        assert!(
            visible(&html).contains("申請済みの期間のテレワーク実績"),
            "{html}"
        );
        let (_, after) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(after["document"]["telework"], c["document"]["telework"]);
        assert_eq!(version(&after), version(&c));
    }
}

// --- in Chromium --------------------------------------------------------------------

fn no_overflow(b: &browser::Browser, what: &str) {
    let fits = b.script("return document.documentElement.scrollWidth <= window.innerWidth;");
    assert_eq!(fits, json!(true), "{what}: the page scrolls sideways");
}

#[test]
fn web_diagnosis_with_help_total_bureau_and_a_new_application() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    let base = w.server.base.clone();
    set_clock(&mut w.admin, "2026-11-21");
    for (width, height, name) in [(1366, 1600, "wide"), (390, 844, "phone")] {
        let b = browser::Browser::start(width, height);
        b.go(&format!("{base}/diagnosis"));
        // Help for a term opens in place.
        b.click("#employees + details.help > summary");
        assert!(
            b.text().contains("2か月を超えて雇用されていて"),
            "{}",
            b.text()
        );
        // A mistake: summary, field marked, what was typed kept.
        b.fill("#capital", "1千万");
        b.submit("form[action='/diagnosis'] button[type=submit]");
        assert!(b.exists("#error-summary a[href='#capital']"));
        assert_eq!(
            b.script("return document.querySelector('#capital').getAttribute('aria-invalid');"),
            json!("true")
        );
        assert_eq!(b.value("#capital"), "1千万");
        b.screenshot(&format!("d-diagnosis-error-{name}"));
        b.fill("#capital", "10000000");
        b.click("#industry option[value=service]");
        b.fill("#employees", "12");
        b.click("#pref option[value='36']");
        b.submit("form[action='/diagnosis'] button[type=submit]");
        let t = b.text();
        assert!(t.contains("令和8年度の制度で判定しました"), "{t}");
        assert!(
            t.contains("2つの助成金の合計（見込み）") && t.contains("300,000円"),
            "{t}"
        );
        assert!(
            t.contains("徳島労働局") && t.contains("088-652-2718"),
            "{t}"
        );
        no_overflow(&b, &format!("diagnosis at {width}px"));
        b.script("document.querySelector('#total').scrollIntoView(); return null;");
        b.screenshot(&format!("d-diagnosis-total-{name}"));
        b.script("document.querySelector('#bureau').scrollIntoView(); return null;");
        b.screenshot(&format!("d-diagnosis-bureau-{name}"));
        // The directory.
        b.go(&format!("{base}/bureaus"));
        assert!(b.text().contains("高知労働局") && b.text().contains("088-885-6041"));
        no_overflow(&b, &format!("directory at {width}px"));
        b.screenshot(&format!("d-bureaus-{name}"));
    }
    // Signed out, 「この内容で申請を始める」 leads through the login to a new application.
    let b = browser::Browser::start(1366, 1600);
    b.go(&format!("{base}/diagnosis"));
    b.click("#industry option[value=service]");
    b.fill("#employees", "12");
    b.fill("#capital", "10000000");
    b.click("#pref option[value='36']");
    b.submit("form[action='/diagnosis'] button[type=submit]");
    b.submit("#start-application");
    assert!(b.url().contains("/login?next="), "{}", b.url());
    b.fill("#username", "emp");
    b.fill("#password", PASSWORD);
    b.submit("form[action='/login'] button[type=submit]");
    assert!(b.url().contains("/diagnosis/start?"), "{}", b.url());
    let t = b.text();
    assert!(
        t.contains("診断の内容で申請を始める") && t.contains("サービス業"),
        "{t}"
    );
    no_overflow(&b, "start page");
    b.screenshot("d-diagnosis-start");
    b.submit("form[action='/diagnosis/start'] button[type=submit]");
    let url = b.url();
    let id: i64 = url
        .rsplit('/')
        .next()
        .and_then(|r| r.strip_suffix("?done=diagnosis"))
        .unwrap_or_else(|| panic!("{url}"))
        .parse()
        .unwrap();
    let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
    assert_eq!(c["document"]["employer"]["industry"], "service");
    assert_eq!(c["document"]["evaluation_start"], "2027-02-21");
    b.screenshot("d-diagnosis-new-case");
}

#[test]
fn web_import_preview_template_and_removing_records() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    let base = w.server.base.clone();
    let id = evaluating_case(&mut w);
    let file = dir(&db).join("records.csv");
    std::fs::write(&file, encode_sjis(TELEWORK_CSV)).unwrap();
    for (width, height, name) in [(1366, 1600, "wide"), (390, 844, "phone")] {
        let b = browser::Browser::start(width, height);
        web_login(&b, &base, "emp", PASSWORD);
        b.go(&format!("{base}/cases/{id}/import"));
        let t = b.text();
        assert!(
            t.contains("CSV の取り込みと記録") && t.contains("テンプレート"),
            "{t}"
        );
        no_overflow(&b, &format!("imports page at {width}px"));
        // The template link serves the CSV (fetched as the page would).
        let got = b.script(&format!(
            "const r = new XMLHttpRequest(); r.open('GET', '/cases/{id}/import/template/telework', false); r.send(); return [r.status, r.getResponseHeader('content-disposition'), r.responseText];"
        ));
        assert_eq!(got[0], 200);
        assert!(got[1].as_str().unwrap().contains("attachment"));
        assert!(
            got[2].as_str().unwrap().contains("従業員ID,日付,勤務場所"),
            "{got}"
        );
        b.click("#kind option[value=telework]");
        b.fill("#file", file.to_str().unwrap());
        b.submit("form.import-form button[type=submit]");
        let t = b.text();
        assert!(
            t.contains("8行を読み込みました") && t.contains("Shift_JIS"),
            "{t}"
        );
        assert!(
            t.contains("実績に数えない行が 6行あります")
                && t.contains("モバイル勤務はテレワークに数えません"),
            "{t}"
        );
        assert!(
            t.contains("0 / 3人（未達成）") && t.contains("2 / 3人（未達成）"),
            "{t}"
        );
        for code in ["home", "mobile", "office", "ShiftJis", "worker"] {
            assert!(!t.contains(code), "{code}: {t}");
        }
        no_overflow(&b, &format!("preview at {width}px"));
        b.screenshot(&format!("d-import-preview-{name}"));
        b.script("document.querySelector('table.preview').scrollIntoView(); return null;");
        b.screenshot(&format!("d-import-preview-rows-{name}"));
        if name == "wide" {
            b.submit("form[action$='/import/confirm'] button[type=submit]");
            let t = b.text();
            assert!(
                t.contains("テレワーク実施記録を8行取り込みました。")
                    && t.contains("テレワーク実施記録（7件）"),
                "{t}"
            );
            b.screenshot("d-import-records-wide");
            // Remove one row, then all of them once confirmed.
            b.submit("#records-telework tbody tr:first-child form button[type=submit]");
            assert!(
                b.text().contains("テレワーク実施記録を1行削除しました。")
                    && b.text().contains("テレワーク実施記録（6件）"),
                "{}",
                b.text()
            );
            b.submit("#records-telework form.remove-all button[type=submit]");
            assert!(
                b.text().contains("確認のチェックを入れてください"),
                "{}",
                b.text()
            );
            b.click("#confirm-all-telework");
            b.submit("#records-telework form.remove-all button[type=submit]");
            assert!(
                b.text().contains("テレワーク実施記録を6行削除しました。"),
                "{}",
                b.text()
            );
        } else {
            // The records page at phone width, with the roster's table.
            b.go(&format!("{base}/cases/{id}/import?rpage=1#records-roster"));
            no_overflow(&b, "records at 390px");
            b.screenshot("d-import-records-phone");
        }
    }
    let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
    assert_eq!(c["document"]["telework"], json!([]));
}
