//! モデル就業規則 (`/cases/{id}/work-rules`), on both backends: who may see
//! the drafts and who may make and adopt them (404 for records out of
//! scope, a draft of one case never reached through another); the .docx
//! read back (its `word/document.xml` holds the answers, and a second
//! download is the same file whose SHA-256 the audit entry recorded); bad
//! answers refused with the field named and nothing stored; adoption setting
//! the case's `work_rules_established_on` (read through the API), refusing
//! bad and future dates, a stale version and a locked case; and the
//! questionnaire in Chromium at 1366 and 390 px.

use super::flows::{no_overflow, shot_at, sign_in, text_of};
use super::*;
use sha2::{Digest, Sha256};
use std::io::Read;

/// The questionnaire's defaults as a form posts them, with `changes`.
fn answers<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields: Vec<(&str, &str)> = vec![
        ("company", "株式会社みなと商店"),
        ("place_home", "1"),
        ("eligibility", "all"),
        ("tenure_months", ""),
        ("jobs", ""),
        ("application", "approval"),
        ("notice_days", "7"),
        ("hours", "standard"),
        ("break_out", "either"),
        ("overtime", "approval"),
        ("comm", "company"),
        ("comm_yen", ""),
        ("utility", "employee"),
        ("utility_yen", ""),
        ("equipment", "lend"),
        ("equipment_yen", ""),
        ("training", "before_start"),
        ("takeout", "approval"),
        ("no_public_wifi", "1"),
        ("contact", "所属長"),
        ("report_start_end", "1"),
        ("effective_on", ""),
    ];
    for (k, v) in changes {
        match fields.iter_mut().find(|(f, _)| f == k) {
            Some(f) => f.1 = v,
            None => fields.push((k, v)),
        }
    }
    fields
}

/// Posts a page form with the client's CSRF token: status, page, location.
fn post(c: &Client, path: &str, fields: &[(&str, &str)]) -> (u16, String, Option<String>) {
    let token = c.csrf.clone().unwrap_or_default();
    let mut all = vec![("csrf", token.as_str())];
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

fn page(c: &mut Client, path: &str) -> (u16, String) {
    let (s, b) = c.get_raw(path);
    (s, String::from_utf8_lossy(&b).into_owned())
}

/// Makes a draft of case `id` with `changes`; its id.
fn make_draft(c: &Client, id: i64, changes: &[(&str, &str)]) -> i64 {
    let (s, body, to) = post(c, &format!("/cases/{id}/work-rules"), &answers(changes));
    assert_eq!(s, 303, "{body}");
    let to = to.unwrap();
    to.split("made=")
        .nth(1)
        .unwrap()
        .split('#')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The text of `word/document.xml` in a .docx.
fn document_xml(docx: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx.to_vec())).expect("a zip archive");
    for part in ["[Content_Types].xml", "_rels/.rels", "word/styles.xml"] {
        assert!(z.by_name(part).is_ok(), "{part}");
    }
    let mut xml = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

#[test]
fn who_sees_and_who_makes_work_rules_drafts() {
    for db in backends() {
        let mut w = world(&db);
        let (id, _) = new_case(&mut w);
        let path = format!("/cases/{id}/work-rules");
        // The employer's page: the questionnaire, its defaults.
        let (s, html) = page(&mut w.employer, &path);
        assert_eq!(s, 200, "{html}");
        assert!(html.contains("テレワーク勤務規程の案を作成する"), "{html}");
        assert!(
            html.contains("value=\"株式会社みなと商店\""),
            "the employer's name: {html}"
        );
        // A 社労士 without the delegation, the programme's staff: 404.
        assert_eq!(page(&mut w.agent.clone(), &path).0, 404);
        assert_eq!(page(&mut w.advisor, &path).0, 404);
        assert_eq!(page(&mut w.judge, &path).0, 404);
        let (s, _, _) = post(&w.advisor, &path, &answers(&[]));
        assert_eq!(s, 404, "the advisor cannot make a draft");
        // The bureau does not see a draft application.
        assert_eq!(page(&mut w.officer, &path).0, 404);

        let draft = make_draft(&w.employer, id, &[]);
        let download = format!("/cases/{id}/work-rules/{draft}/download");
        assert_eq!(w.employer.get_raw(&download).0, 200);
        let mut agent = w.agent_or_employer().clone();
        let (s, html) = page(&mut agent, &path);
        assert_eq!(s, 200);
        assert!(html.contains("第1版"), "{html}");
        let second = make_draft(&agent, id, &[("hours", "flex")]);
        assert!(second > draft);
        for c in [
            &mut w.advisor,
            &mut w.judge,
            &mut w.officer,
            &mut w.other_officer,
        ] {
            assert_eq!(c.get_raw(&download).0, 404);
        }
        let mut emp2 = w.server.client();
        emp2.login("emp2", PASSWORD);
        assert_eq!(page(&mut emp2, &path).0, 404);
        assert_eq!(emp2.get_raw(&download).0, 404);
        let (s, _, _) = post(&emp2, &path, &answers(&[]));
        assert_eq!(s, 404, "another employer cannot make a draft");

        // A draft is reached only through its own case.
        let (s, other) = w
            .employer
            .post("/api/v1/cases", &json!({"title": "別の申請"}));
        assert_eq!(s, 201, "{other}");
        let other_id = other["case"]["id"].as_i64().unwrap();
        assert_eq!(
            w.employer
                .get_raw(&format!("/cases/{other_id}/work-rules/{draft}/download"))
                .0,
            404
        );
        assert_eq!(
            w.employer
                .get_raw(&format!("/cases/{id}/work-rules/999999/download"))
                .0,
            404
        );
        assert_eq!(
            w.employer
                .get_raw(&format!("/cases/{id}/work-rules/abc/download"))
                .0,
            404
        );
        let v = w.employer.get(&format!("/api/v1/cases/{other_id}")).1;
        let (s, _, _) = post(
            &w.employer,
            &format!("/cases/{other_id}/work-rules/adopt"),
            &[
                ("version", &version(&v).to_string()),
                ("draft", &draft.to_string()),
                ("adopted_on", "2022-05-20"),
            ],
        );
        assert_eq!(s, 422, "another case's draft cannot be adopted here");

        // Sent to the bureau: the officer of Tokyo sees and downloads, read only.
        set_clock(&mut w.admin, "2022-06-15");
        let (s, c) = act(&mut w.employer, id, "submit_plan", json!({}));
        assert_eq!(s, 200, "{c}");
        let (s, html) = page(&mut w.officer, &path);
        assert_eq!(s, 200, "{html}");
        assert!(html.contains("第2版") && html.contains("第1版"), "{html}");
        assert!(!html.contains("テレワーク勤務規程の案を作成する"), "{html}");
        assert!(!html.contains("この規程を制定しました"), "{html}");
        assert_eq!(w.officer.get_raw(&download).0, 200);
        let (s, _, _) = post(&w.officer, &path, &answers(&[]));
        assert_eq!(s, 403, "the bureau cannot make a draft");
        let (s, _, _) = post(
            &w.officer,
            &format!("/cases/{id}/work-rules/adopt"),
            &[
                ("version", &version(&c).to_string()),
                ("draft", &draft.to_string()),
                ("adopted_on", "2022-05-20"),
            ],
        );
        assert_eq!(s, 403, "the bureau cannot adopt");
        assert_eq!(page(&mut w.other_officer, &path).0, 404);
        assert_eq!(w.other_officer.get_raw(&download).0, 404);
        // The administrator reads, as on every case.
        let (s, html) = page(&mut w.admin, &path);
        assert_eq!(s, 200);
        assert!(!html.contains("テレワーク勤務規程の案を作成する"));
        // Still two drafts: nothing the refused posts stored.
        let (actions, _) = audit_actions(&mut w.employer, id);
        let made = actions
            .iter()
            .filter(|a| *a == "case.work_rules_draft")
            .count();
        assert_eq!(made, 2, "{actions:?}");
    }
}

#[test]
fn a_draft_is_a_word_document_of_the_answers() {
    for db in backends() {
        let mut w = world(&db);
        let (id, _) = new_case(&mut w);
        let path = format!("/cases/{id}/work-rules");
        let draft = make_draft(
            &w.employer,
            id,
            &[
                ("company", "株式会社テスト&<商会>"),
                ("eligibility", "jobs"),
                ("jobs", "営業職及び事務職"),
                ("comm", "allowance"),
                ("comm_yen", "３，０００"),
                ("hours", "flex"),
                ("break_out", "leave"),
                ("place_satellite", "1"),
                ("effective_on", "2022-08-01"),
            ],
        );
        let (s, html) = page(&mut w.employer, &format!("{path}?made={draft}"));
        assert_eq!(s, 200);
        assert!(html.contains("第1版の案を作成しました"), "{html}");
        assert!(html.contains("role=\"status\""), "{html}");

        let download = format!("/cases/{id}/work-rules/{draft}/download");
        let (s, headers, docx) = w.employer.raw("GET", &download, None, b"");
        assert_eq!(s, 200);
        assert_eq!(
            header(&headers, "content-type"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        let disposition = header(&headers, "content-disposition");
        assert!(
            disposition.starts_with("attachment;")
                && disposition.contains(
                    "filename*=UTF-8''%E3%83%86%E3%83%AC%E3%83%AF%E3%83%BC%E3%82%AF%E5%8B%A4%E5%8B%99%E8%A6%8F%E7%A8%8B.docx"
                ),
            "{disposition}"
        );
        // Kept beside the screenshots, for people to open in Word.
        let dir =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("work-rules-sample.docx"), &docx).unwrap();
        let xml = document_xml(&docx);
        for expected in [
            "株式会社テスト&amp;&lt;商会&gt;（以下「会社」という。）",
            "営業職及び事務職に従事する者",
            "テレワーク勤務手当（通信費分）月額3,000円を支給する",
            "フレックスタイム制を適用する",
            "時間単位の年次有給休暇として取り扱うものとする",
            "サテライトオフィス勤務",
            "令和4年8月1日から施行する",
            "第13条",
        ] {
            assert!(xml.contains(expected), "{expected}: {xml}");
        }
        assert!(!xml.contains("モバイル勤務："), "not chosen");

        // Downloaded again: the same file, whose hash the audit recorded.
        let (_, again) = w.employer.get_raw(&download);
        assert_eq!(again, docx);
        let (actions, log) = audit_actions(&mut w.employer, id);
        assert!(
            actions.contains(&"case.work_rules_draft".to_string()),
            "{actions:?}"
        );
        let entry = log
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "case.work_rules_draft")
            .unwrap();
        assert_eq!(
            entry["after"]["file_sha256"].as_str().unwrap(),
            format!("{:x}", Sha256::digest(&docx))
        );
        assert_eq!(entry["after"]["answers"]["comm_yen"], 3000);
        // Bad answers: every field named, nothing stored.
        let (s, html, _) = post(
            &w.employer,
            &path,
            &answers(&[
                ("company", ""),
                ("place_home", ""),
                ("eligibility", "tenure"),
                ("tenure_months", "たくさん"),
                ("comm", "allowance"),
                ("comm_yen", "1000000"),
                ("effective_on", "2022-02-30"),
            ]),
        );
        assert_eq!(s, 422, "{html}");
        for expected in [
            "error-summary",
            "事業主の名称を入力してください",
            "勤続期間を1〜120か月の数字で入力してください",
            "通信費の手当の月額を1〜100,000円の数字で入力してください",
            "施行日は 2026-04-01 の形の正しい日付で入力してください",
            "href=\"#places\"",
            "id=\"comm_yen\"",
            "value=\"たくさん\"",
        ] {
            assert!(html.contains(expected), "{expected}: {html}");
        }
        assert!(html.contains("aria-invalid=\"true\""));
        // An unchecked box is absent from a form post.
        let long = "x".repeat(101);
        let fields: Vec<(&str, &str)> = answers(&[("company", &long)])
            .into_iter()
            .filter(|(k, _)| *k != "place_home")
            .collect();
        let (s, html, _) = post(&w.employer, &path, &fields);
        assert_eq!(s, 422);
        assert!(html.contains("100文字以内"), "{html}");
        assert!(
            html.contains("テレワークの種類を1つ以上選んでください"),
            "{html}"
        );
        // Without the CSRF token: refused, nothing stored.
        let (s, _, _) = w.employer.raw(
            "POST",
            &path,
            Some("application/x-www-form-urlencoded"),
            &form_urlencoded(&answers(&[])),
        );
        assert_eq!(s, 403);
        let (actions, _) = audit_actions(&mut w.employer, id);
        assert_eq!(
            actions
                .iter()
                .filter(|a| *a == "case.work_rules_draft")
                .count(),
            1,
            "{actions:?}"
        );
    }
}

#[test]
fn adopting_a_draft_sets_the_work_rules_date() {
    for db in backends() {
        let mut w = world(&db);
        let (id, c) = new_case(&mut w);
        let draft = make_draft(&w.employer, id, &[]).to_string();
        let adopt = format!("/cases/{id}/work-rules/adopt");
        let v = version(&c).to_string();
        let emp = w.employer.clone();
        let refused = |on: &str, version: &str| {
            post(
                &emp,
                &adopt,
                &[("version", version), ("draft", &draft), ("adopted_on", on)],
            )
        };
        // The clock is on 2022-06-01.
        for (on, message) in [
            (
                "2022-13-01",
                "制定日を 2026-04-01 の形の正しい日付で入力してください",
            ),
            ("", "制定日を 2026-04-01 の形の正しい日付で入力してください"),
            (
                "2022-07-01",
                "制定日は今日（令和4年6月1日）以前の日付を入力してください",
            ),
        ] {
            let (s, html, _) = refused(on, &v);
            assert_eq!(s, 422, "{on}: {html}");
            assert!(html.contains(message), "{on}: {html}");
            assert!(html.contains("role=\"alert\"") && html.contains("href=\"#adopted_on\""));
        }
        let (s, html, _) = refused("2022-05-20", "0");
        assert_eq!(s, 409, "a stale version: {html}");
        let (s, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(s, 200);
        // Case 01 names a day already: it is replaced, not filled.
        assert_eq!(c["document"]["work_rules_established_on"], "2022-07-20");

        let (s, html, to) = refused("2022-05-20", &v);
        assert_eq!(s, 303, "{html}");
        assert!(to.unwrap().contains("adopted=1"));
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(c["document"]["work_rules_established_on"], "2022-05-20");
        let (actions, log) = audit_actions(&mut w.employer, id);
        let n = actions.len();
        assert_eq!(
            actions[n - 2..],
            [
                "case.inputs".to_string(),
                "case.work_rules_adopt".to_string()
            ],
            "{actions:?}"
        );
        assert_eq!(log[n - 1]["after"]["adopted_on"], "2022-05-20");
        let (_, html) = page(
            &mut w.employer,
            &format!("/cases/{id}/work-rules?adopted=1"),
        );
        assert!(html.contains("制定日を記録しました"), "{html}");
        // With the engine's word on the day: a plan's rules count from its certification.
        assert!(html.contains("class=\"wr-check\""), "{html}");
        assert!(html.contains("認定"), "{html}");
        assert!(
            html.contains("制定済み：</span>2022-05-20（令和4年5月20日）"),
            "{html}"
        );

        // Sent to the bureau, the case is locked: refused, the day kept.
        set_clock(&mut w.admin, "2022-06-15");
        let (s, c) = act(&mut w.employer, id, "submit_plan", json!({}));
        assert_eq!(s, 200, "{c}");
        let (s, html, _) = post(
            &w.employer,
            &adopt,
            &[
                ("version", &version(&c).to_string()),
                ("draft", &draft),
                ("adopted_on", "2022-06-10"),
            ],
        );
        assert_eq!(s, 409, "{html}");
        assert!(
            html.contains("就業規則等の整備日を変更できません"),
            "{html}"
        );
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(c["document"]["work_rules_established_on"], "2022-05-20");
        // Its page says so instead of offering the form.
        let (_, html) = page(&mut w.employer, &format!("/cases/{id}/work-rules"));
        assert!(!html.contains("この規程を制定しました"), "{html}");
        // The case page links to the work rules.
        let (_, html) = page(&mut w.employer, &format!("/cases/{id}"));
        assert!(
            html.contains(&format!("href=\"/cases/{id}/work-rules\"")),
            "{html}"
        );
    }
}

#[test]
fn the_work_rules_in_a_browser() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    let (id, _) = new_case(&mut w);
    let base = w.server.base.clone();
    for (width, height) in [(1366u32, 900u32), (390, 844)] {
        let b = if width < 500 {
            browser::Browser::start_phone(width, height)
        } else {
            browser::Browser::start(width, height)
        };
        sign_in(&b, &base, "emp");
        b.go(&format!("{base}/cases/{id}"));
        b.submit("#work-rules-link a");
        assert!(
            b.url().ends_with(&format!("/cases/{id}/work-rules")),
            "{}",
            b.url()
        );
        no_overflow(&b, "the questionnaire");
        b.screenshot(&format!("work-rules-questionnaire-{width}"));
        // A refused answer: the summary names the field.
        b.click("input[name=comm][value=allowance]");
        b.fill("#comm_yen", "");
        b.submit("form.wr-form button[type=submit]");
        let t = text_of(&b, ".error-summary");
        assert!(t.contains("通信費の手当の月額"), "{t}");
        assert!(b.exists("#comm_yen[aria-invalid=true]"));
        no_overflow(&b, "the questionnaire refused");
        shot_at(&b, ".error-summary", &format!("work-rules-error-{width}"));
        shot_at(&b, "#comm", &format!("work-rules-costs-{width}"));
        b.fill("#comm_yen", "3000");
        b.click("input[name=eligibility][value=jobs]");
        b.fill("#jobs", "営業職");
        b.click("input[name=hours][value=deemed]");
        b.set_value("#effective_on", "2022-07-01");
        b.submit("form.wr-form button[type=submit]");
        let t = text_of(&b, "#made");
        assert!(t.contains("の案を作成しました"), "{t}");
        let href =
            b.script("return document.querySelector('#made a.button').getAttribute('href');");
        let href = href.as_str().unwrap().to_string();
        let (s, docx) = w.employer.get_raw(&href);
        assert_eq!(s, 200);
        let xml = document_xml(&docx);
        assert!(
            xml.contains("営業職に従事する者") && xml.contains("月額3,000円"),
            "{xml}"
        );
        no_overflow(&b, "the draft made");
        b.screenshot(&format!("work-rules-made-{width}"));
        shot_at(&b, "#drafts", &format!("work-rules-drafts-{width}"));
        // The adoption.
        b.set_value("#adopted_on", "2022-05-31");
        b.submit("#adopt button[type=submit]");
        assert!(b.text().contains("制定日を記録しました"));
        no_overflow(&b, "the adoption recorded");
        b.screenshot(&format!("work-rules-adopted-{width}"));
        for word in [
            "null",
            "None",
            "approval",
            "allowance",
            "draft",
            "work_rules",
        ] {
            assert!(!b.text().contains(word), "{word} on the page");
        }
    }
    // The bureau, once the plan is sent: the drafts, read only.
    set_clock(&mut w.admin, "2022-06-15");
    let (s, c) = act(&mut w.employer, id, "submit_plan", json!({}));
    assert_eq!(s, 200, "{c}");
    for (width, height) in [(1366u32, 900u32), (390, 844)] {
        let b = if width < 500 {
            browser::Browser::start_phone(width, height)
        } else {
            browser::Browser::start(width, height)
        };
        sign_in(&b, &base, "tokyo");
        b.go(&format!("{base}/cases/{id}/work-rules"));
        let t = b.text();
        assert!(t.contains("第2版") && t.contains("制定済み"), "{t}");
        assert!(!b.exists("form.wr-form") && !b.exists("#adopt form"));
        no_overflow(&b, "the bureau's view");
        b.screenshot(&format!("work-rules-officer-{width}"));
    }
}
