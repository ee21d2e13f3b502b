//! Whole applications in Chromium, as the people who make them (area H):
//! a 令和4年度 plan (the training clock gives its dates) and a 令和8年度
//! application without a plan, each from the diagnosis to the bureau's
//! decision, by an employer and by the 社労士 it delegates to, with the
//! officer in the browser too; and an application the bureau denies. What
//! each person sees is asserted at each step, at 1366 px and, for the key
//! screens, at 390 px, with screenshots under `target/screenshots/flow-*`.

use super::*;
use browser::Browser;

pub(super) fn no_overflow(b: &Browser, what: &str) {
    let fits = b.script("return document.documentElement.scrollWidth <= window.innerWidth;");
    assert_eq!(fits, json!(true), "{what}: the page scrolls sideways");
}

/// Signs `user` in on `b`, signing out whoever was signed in.
pub(super) fn sign_in(b: &Browser, base: &str, user: &str) {
    b.go(&format!("{base}/"));
    if b.exists("header form[action='/logout'] button") {
        web_logout(b);
    }
    web_login(b, base, user, PASSWORD);
}

/// A screenshot with the element `css` scrolled to the top of the window.
pub(super) fn shot_at(b: &Browser, css: &str, name: &str) {
    b.script(&format!(
        "var e = document.querySelector({}); if (e) {{ e.scrollIntoView(); }} return null;",
        json!(css)
    ));
    b.screenshot(name);
}

/// The visible text of the first element `css` matches.
pub(super) fn text_of(b: &Browser, css: &str) -> String {
    b.script(&format!(
        "var e = document.querySelector({}); return e ? e.innerText : '';",
        json!(css)
    ))
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// The case a page of it is on: `/cases/{id}…`.
fn case_in(url: &str) -> i64 {
    let rest = url
        .split("/cases/")
        .nth(1)
        .unwrap_or_else(|| panic!("{url}"));
    rest.split(['/', '?', '#'])
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{url}"))
}

/// Fills expense row `n` (from 1; added when missing) as paid.
fn fill_expense(b: &Browser, n: usize, row: (&str, &str, &str, &str, &str)) {
    let (category, description, amount, delivered, paid) = row;
    let sel = format!("#expenses tbody.expense-row:nth-of-type({n})");
    if !b.exists(&sel) {
        b.click("button.add-row[data-target=expenses]");
    }
    b.click(&format!(
        "{sel} select[data-role=category] option[value={category}]"
    ));
    b.fill(&format!("{sel} input[name$='_description']"), description);
    b.fill(&format!("{sel} input[data-role=amount]"), amount);
    b.set_value(&format!("{sel} input[name$='_delivered_on']"), delivered);
    b.set_value(&format!("{sel} input[name$='_paid_on']"), paid);
}

/// Opens the review page of `action` from the case page, checks what it
/// says, confirms when asked and sends it.
fn review_and_send(b: &Browser, action: &str, expect: &[&str], shot: &str) -> String {
    b.submit(&format!("a[href$='/review/{action}']"));
    let t = b.text();
    for e in expect {
        assert!(t.contains(e), "{action} review: {e}\n{t}");
    }
    no_overflow(b, &format!("the review of {action}"));
    b.screenshot(shot);
    if b.exists("#confirm") {
        b.click("#confirm");
    }
    b.submit(&format!(
        "form:has(input[name=action][value={action}]) button[type=submit]"
    ));
    b.text()
}

/// Imports `csv` as telework records from the records page (reached from the
/// case page's link): the preview, then the confirmation.
fn import_telework(b: &Browser, base: &str, id: i64, dir: &std::path::Path, csv: &str) -> String {
    b.go(&format!("{base}/cases/{id}"));
    b.submit("#import-records a");
    assert!(
        b.url().ends_with(&format!("/cases/{id}/import")),
        "{}",
        b.url()
    );
    let file = dir.join(format!("attendance-{id}.csv"));
    std::fs::write(&file, encode_sjis(csv)).unwrap();
    b.click("#kind option[value=telework]");
    b.fill("#file", file.to_str().unwrap());
    b.submit("form.import-form button[type=submit]");
    let preview = b.text();
    assert!(preview.contains("まだ保存していません"), "{preview}");
    preview
}

/// Posts a 連絡 message from the case page.
fn post_message(b: &Browser, base: &str, id: i64, body: &str) {
    b.go(&format!("{base}/cases/{id}#messages"));
    b.fill("#message-body", body);
    b.submit("form[action$='/messages'] button[type=submit]");
    let t = b.text();
    assert!(t.contains("連絡を送りました") && t.contains(body), "{t}");
}

/// The third target worker's name on the plan page.
const THIRD_NAME: &str = "#worker-rows tr.worker-row:nth-of-type(3) input[name$='_name']";

const RETURN_REASON: &str = "対象労働者の氏名に誤りがないか確認してください（鈴木様の名の漢字）。";
const GRANT_REASON: &str =
    "ヘッドセットの領収書が確認できないため、その分を除いた額で支給を決定します。";

#[test]
fn a_plan_year_from_the_diagnosis_to_a_reduced_grant_in_the_browser() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    let base = w.server.base.clone();
    w.agent_or_employer();
    let b = Browser::start(1366, 1000);
    let phone = Browser::start(390, 844);

    // ── The employer diagnoses (令和4年度 by the training clock) and starts an application.
    set_clock(&mut w.admin, "2022-06-01");
    sign_in(&b, &base, "emp");
    b.go(&format!("{base}/diagnosis"));
    b.click("#industry option[value=retail]");
    b.fill("#capital", "10000000");
    b.fill("#employees", "12");
    b.fill("#x_work_rules", "132000");
    b.fill("#x_network_equipment", "88000");
    b.fill("#x_web_conference_equipment", "49500");
    b.click("#pref option[value='13']");
    b.submit("form[action='/diagnosis'] button[type=submit]");
    let t = b.text();
    assert!(t.contains("令和4年度の制度で判定しました"), "{t}");
    assert!(t.contains("対象になる見込みです"), "{t}");
    no_overflow(&b, "the diagnosis");
    b.screenshot("flow-r4-1-diagnosis");
    b.submit("#start-application");
    let t = b.text();
    assert!(
        t.contains("診断の内容で申請を始める") && t.contains("小売業"),
        "{t}"
    );
    b.fill("#title", "テレワーク導入（令和4年度）");
    b.submit("form[action='/diagnosis/start'] button[type=submit]");
    let id = case_in(&b.url());
    assert!(b.url().ends_with("?done=diagnosis"), "{}", b.url());
    let t = b.text();
    assert!(
        t.contains(
            "診断の内容で申請を作りました。対象労働者と取組を「計画の内容」で入力してください。"
        ),
        "{t}"
    );
    assert!(t.contains("やること"), "{t}");
    b.screenshot("flow-r4-2-new-application");

    // ── The plan editor: workers by name and number, the applicant's particulars
    // (a mistake shown by its field), dates and expenses.
    b.go(&format!("{base}/cases/{id}/plan"));
    plan_editor::fill_workers(
        &b,
        &[
            ("山田 太郎", "1001", false),
            ("佐藤 花子", "", false),
            ("鈴木 一朗", "1003", false),
        ],
    );
    b.fill("#employer_address", "東京都港区芝公園１－１－１");
    b.fill("#employer_representative", "代表取締役　港 花子");
    b.fill("#employer_employment_insurance_number", "1301-12345-7");
    b.set_value("#work_rules_established_on", "2022-07-20");
    b.set_value("#evaluation_start", "2022-08-01");
    b.set_value("#climate_top_message_on", "2022-07-05");
    b.set_value("#climate_case_sharing_on", "2022-08-25");
    for (n, row) in [
        (
            "work_rules",
            "就業規則の改定（社労士報酬）",
            "132000",
            "2022-07-20",
            "2022-07-29",
        ),
        (
            "network_equipment",
            "VPNルーター",
            "88000",
            "2022-07-11",
            "2022-07-29",
        ),
        (
            "web_conference_equipment",
            "ヘッドセット 3台",
            "49500",
            "2022-07-11",
            "2022-07-29",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        fill_expense(&b, n + 1, row);
    }
    b.click("input[name=disqualifications_declared]");
    b.submit("form[action$='/plan'] button[type=submit]");
    let t = b.text();
    assert!(
        b.exists("#error-summary a[href='#employer_employment_insurance_number']"),
        "{t}"
    );
    assert!(t.contains("11桁の数字"), "{t}");
    assert_eq!(
        b.script("return document.querySelector('#employer_employment_insurance_number').getAttribute('aria-invalid');"),
        json!("true")
    );
    assert_eq!(
        b.value("#employer_employment_insurance_number"),
        "1301-12345-7"
    );
    assert_eq!(b.value(THIRD_NAME), "鈴木 一朗", "what was typed is kept");
    no_overflow(&b, "the plan editor with an error");
    b.screenshot("flow-r4-3-plan-error");
    shot_at(&b, "#applicant", "flow-r4-3-plan-error-field");
    b.fill(
        "#employer_employment_insurance_number",
        "１３０１－１２３４５６－７",
    );
    b.submit("form[action$='/plan'] button[type=submit]");
    assert!(
        b.url().ends_with(&format!("/cases/{id}/plan?saved=1")),
        "{}: {}",
        b.url(),
        b.text()
    );
    assert!(b.text().contains("保存しました"));
    let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
    let e = &c["document"]["employer"];
    assert_eq!(
        (
            e["address"].as_str(),
            e["representative"].as_str(),
            e["employment_insurance_number"].as_str()
        ),
        (
            Some("東京都港区芝公園1-1-1"),
            Some("代表取締役 港 花子"),
            Some("1301-123456-7")
        )
    );
    let workers = c["document"]["plan"]["target_workers"].as_array().unwrap();
    assert_eq!(workers.len(), 3);
    assert_eq!(workers[0]["employee_number"], "1001");
    b.screenshot("flow-r4-4-plan-saved");

    // ── The 社労士 reviews the plan and submits it for the employer.
    set_clock(&mut w.admin, "2022-06-15");
    sign_in(&b, &base, "agent");
    b.go(&format!("{base}/cases/{id}"));
    let t = review_and_send(
        &b,
        "submit_plan",
        &[
            "送り先：東京労働局",
            "対象労働者（3人）",
            "山田 太郎",
            "まだ東京労働局には送っていません",
        ],
        "flow-r4-5-review-by-agent",
    );
    assert!(
        t.contains("計画を労働局に提出しました") && t.contains("審査中"),
        "{t}"
    );

    // ── The officer returns the plan with a reason.
    set_clock(&mut w.admin, "2022-06-20");
    sign_in(&b, &base, "tokyo");
    b.go(&format!("{base}/cases/{id}"));
    let t = b.text();
    assert!(t.contains("テレワーク導入（令和4年度）"), "{t}");
    web_decide(&b, "return_plan", &[("#reason", RETURN_REASON)]);
    assert!(b.text().contains("計画を差し戻しました"), "{}", b.text());

    // ── The employer sees the reason on the case page and in お知らせ (wide and phone).
    sign_in(&b, &base, "emp");
    b.go(&format!("{base}/cases/{id}"));
    let decisions = text_of(&b, "section.decisions");
    for needle in [
        "差戻し",
        RETURN_REASON,
        "東京労働局",
        "2022-06-20（令和4年6月20日）",
    ] {
        assert!(decisions.contains(needle), "{needle}: {decisions}");
    }
    b.screenshot("flow-r4-6-returned");
    sign_in(&phone, &base, "emp");
    phone.go(&format!("{base}/cases/{id}"));
    assert!(phone.text().contains(RETURN_REASON));
    no_overflow(&phone, "the returned plan at 390 px");
    shot_at(&phone, "section.decisions", "flow-r4-6-returned-390");
    phone.go(&format!("{base}/notifications"));
    let t = phone.text();
    assert!(
        t.contains("テレワーク実施計画が差し戻されました") && t.contains(RETURN_REASON),
        "{t}"
    );
    assert!(t.contains("東京労働局から差し戻されました"), "{t}");
    no_overflow(&phone, "お知らせ at 390 px");
    phone.screenshot("flow-r4-7-notifications-390");

    // ── The employer corrects the name and submits again.
    b.go(&format!("{base}/cases/{id}/plan"));
    assert_eq!(b.value(THIRD_NAME), "鈴木 一朗");
    b.fill(THIRD_NAME, "鈴木 一郎");
    b.submit("form[action$='/plan'] button[type=submit]");
    assert!(b.text().contains("保存しました"), "{}", b.text());
    set_clock(&mut w.admin, "2022-06-25");
    b.go(&format!("{base}/cases/{id}"));
    let t = review_and_send(
        &b,
        "submit_plan",
        &["鈴木 一郎", "送り先：東京労働局"],
        "flow-r4-8-resubmit",
    );
    assert!(t.contains("計画を労働局に提出しました"), "{t}");

    // ── The officer certifies it; the employer starts the evaluation period.
    set_clock(&mut w.admin, "2022-07-01");
    sign_in(&b, &base, "tokyo");
    b.go(&format!("{base}/cases/{id}"));
    web_act(&b, "certify_plan");
    assert!(b.text().contains("計画を認定しました"), "{}", b.text());
    set_clock(&mut w.admin, "2022-08-01");
    sign_in(&b, &base, "emp");
    b.go(&format!("{base}/cases/{id}"));
    let decisions = text_of(&b, "section.decisions");
    assert!(
        decisions.contains("計画認定") && decisions.contains("2022-07-01（令和4年7月1日）"),
        "{decisions}"
    );
    web_act(&b, "start_evaluation");
    assert!(b.text().contains("評価期間中"), "{}", b.text());

    // ── After the period, the attendance records (by 社員番号 and by name).
    set_clock(&mut w.admin, "2022-11-01");
    let csv = "従業員ID,日付,勤務場所\r\n1001,2022/8/3,在宅\r\n佐藤 花子,2022/8/3,在宅\r\n1003,2022/8/4,サテライトオフィス\r\n1003,2022/8/5,在宅\r\n2050,2022/8/5,在宅\r\n";
    let t = import_telework(&b, &base, id, &dir(&db), csv);
    assert!(
        t.contains("5行を読み込みました") && t.contains("Shift_JIS"),
        "{t}"
    );
    assert!(
        t.contains("山田 太郎（社員番号 1001）") && t.contains("鈴木 一郎（社員番号 1003）"),
        "the workers by name: {t}"
    );
    assert!(
        t.contains("計画の対象労働者にいない人です") && t.contains("2050"),
        "{t}"
    );
    assert!(!t.contains("W001"), "{t}");
    no_overflow(&b, "the import preview");
    b.screenshot("flow-r4-9-import-preview");
    b.submit("form[action$='/import/confirm'] button[type=submit]");
    let t = b.text();
    assert!(t.contains("テレワーク実施記録を5行取り込みました。"), "{t}");
    assert!(t.contains("佐藤 花子") && !t.contains("W002"), "{t}");
    b.screenshot("flow-r4-10-records");
    phone.go(&format!("{base}/cases/{id}/import"));
    no_overflow(&phone, "the records at 390 px");
    assert!(phone.text().contains("山田 太郎（社員番号 1001）"));
    shot_at(&phone, "#records-telework", "flow-r4-10-records-390");
    b.go(&format!("{base}/cases/{id}"));
    let t = b.text();
    assert!(
        t.contains("① 対象労働者全員が1回以上：3 / 3人（達成）"),
        "{t}"
    );

    // ── The 社労士 reviews and files the application.
    set_clock(&mut w.admin, "2022-11-25");
    sign_in(&b, &base, "agent");
    b.go(&format!("{base}/cases/{id}"));
    let t = review_and_send(
        &b,
        "file_equipment",
        &["送り先：東京労働局", "機器等導入助成"],
        "flow-r4-11-filing-by-agent",
    );
    assert!(t.contains("機器等導入助成を申請しました"), "{t}");

    // ── 連絡: the officer asks, the employer answers, the officer reads it.
    set_clock(&mut w.admin, "2022-12-01");
    sign_in(&b, &base, "tokyo");
    let question = "ヘッドセットの領収書の写しを添付していただけますか。";
    post_message(&b, &base, id, question);
    sign_in(&b, &base, "emp");
    b.go(&format!("{base}/notifications"));
    assert!(b.text().contains(question), "{}", b.text());
    let answer = "領収書が見つからないため、納品書のみお送りします。";
    post_message(&b, &base, id, answer);
    let thread = text_of(&b, "#messages");
    assert!(
        thread.find(question).unwrap() < thread.find(answer).unwrap(),
        "{thread}"
    );
    sign_in(&b, &base, "tokyo");
    b.go(&format!("{base}/cases/{id}"));
    assert!(text_of(&b, "#messages").contains(answer));

    // ── The officer grants less than the engine's amount, with the reason.
    set_clock(&mut w.admin, "2022-12-20");
    let (_, c) = w.officer.get(&format!("/api/v1/cases/{id}"));
    let engine = c["evaluation"]["equipment_subsidy"]["amount_yen"]
        .as_i64()
        .unwrap();
    assert!(engine > 50_000, "{engine}");
    b.go(&format!("{base}/cases/{id}"));
    b.submit("a[href$='/decide/grant_equipment']");
    // One expense item left out, with its reason: the engine computes the amount again.
    let item = b.script("return document.querySelector('input[name=exclude_expense]').value");
    let item = item.as_str().unwrap().to_string();
    b.click(&format!("#exclude-expense-{item}"));
    b.fill(&format!("[id='expense_reason.{item}']"), GRANT_REASON);
    b.submit("button[name=intent][value=assess]");
    let granted = text_of(&b, "#assessed-amount");
    let granted_yen: u64 = granted
        .trim_end_matches('円')
        .replace(',', "")
        .parse()
        .unwrap();
    assert!(granted_yen < engine as u64, "{granted} of {engine}");
    b.fill("#reason", GRANT_REASON);
    b.screenshot("flow-r4-12-officer-grants");
    b.click("#confirm");
    b.submit("button[name=intent][value=decide]");
    assert!(
        b.text().contains("機器等導入助成の支給を決定しました"),
        "{}",
        b.text()
    );

    // ── The employer and the 社労士 see 支給決定額 and the reason, never the engine's amount.
    let engine_text = josei_rules::model::Yen(engine as u64).to_string();
    assert!(engine_text.ends_with('円'), "{engine_text}");
    for (who, browser, shot) in [
        ("emp", &phone, "flow-r4-13-granted-390"),
        ("agent", &b, "flow-r4-13-granted"),
    ] {
        sign_in(browser, &base, who);
        browser.go(&format!("{base}/cases/{id}"));
        let t = browser.text();
        assert!(
            t.contains("支給決定額") && t.contains(&granted),
            "{who}: {t}"
        );
        assert!(t.contains(GRANT_REASON), "{who}: {t}");
        assert!(!t.contains(&engine_text), "{who}: {engine_text} in {t}");
        no_overflow(browser, &format!("the decision for {who}"));
        browser.screenshot(shot);
        shot_at(browser, "section.decisions", &format!("{shot}-reason"));
    }
    phone.go(&format!("{base}/notifications"));
    let t = phone.text();
    assert!(
        t.contains("機器等導入助成の支給決定") && t.contains(&format!("支給決定額：{granted}")),
        "{t}"
    );
}

#[test]
fn a_no_plan_year_by_the_agent_and_a_denial_in_the_browser() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    let base = w.server.base.clone();
    w.agent_or_employer();
    let b = Browser::start(1366, 1000);
    let phone = Browser::start(390, 844);

    // ── The 社労士 registers their number and office on the account page.
    set_clock(&mut w.admin, "2026-11-21");
    sign_in(&b, &base, "agent");
    b.go(&format!("{base}/account"));
    b.fill("#registration_number", "１３０１－２３４５");
    b.fill("#office_name", "みなと社会保険労務士事務所");
    b.submit("form[action='/account/particulars'] button[type=submit]");
    assert!(
        b.exists("#error-summary a[href='#registration_number']"),
        "{}",
        b.text()
    );
    assert_eq!(
        b.script(
            "return document.querySelector('#registration_number').getAttribute('aria-invalid');"
        ),
        json!("true")
    );
    assert_eq!(b.value("#office_name"), "みなと社会保険労務士事務所");
    b.screenshot("flow-r8-0-account-error");
    b.fill("#registration_number", "１３０１２３４５");
    b.submit("form[action='/account/particulars'] button[type=submit]");
    assert!(
        b.text().contains("登録番号と事務所名を保存しました"),
        "{}",
        b.text()
    );
    assert_eq!(b.value("#registration_number"), "13012345");
    sign_in(&phone, &base, "agent");
    phone.go(&format!("{base}/account"));
    no_overflow(&phone, "the account page at 390 px");
    shot_at(&phone, "#particulars", "flow-r8-0-account-390");

    // ── The 社労士 diagnoses for the employer (令和8年度) and starts the application.
    b.go(&format!("{base}/diagnosis"));
    b.click("#industry option[value=service]");
    b.fill("#capital", "10000000");
    b.fill("#employees", "12");
    b.click("#pref option[value='13']");
    b.submit("form[action='/diagnosis'] button[type=submit]");
    let t = b.text();
    assert!(t.contains("令和8年度の制度で判定しました"), "{t}");
    assert!(t.contains("制度導入助成"), "{t}");
    b.screenshot("flow-r8-1-diagnosis");
    b.submit("#start-application");
    b.click(&format!("#organization_id option[value='{}']", w.org_id));
    b.fill("#title", "テレワーク制度の導入（令和8年度）");
    b.submit("form[action='/diagnosis/start'] button[type=submit]");
    let id = case_in(&b.url());
    let t = b.text();
    assert!(t.contains("診断の内容で申請を作りました"), "{t}");
    assert!(t.contains("令和8年度の制度で判定しています"), "{t}");
    no_overflow(&b, "the new application");
    b.screenshot("flow-r8-2-new-application");

    // ── The plan editor: workers, 職場風土作り, the measure, the work rules.
    b.go(&format!("{base}/cases/{id}/plan"));
    plan_editor::fill_workers(&b, &[("高橋 美咲", "", false), ("田中 健", "2002", false)]);
    assert_eq!(b.value("#evaluation_start"), "2027-02-21");
    b.set_value("#work_rules_established_on", "2027-01-20");
    b.set_value("#climate_top_message_on", "2026-11-25");
    b.set_value("#climate_case_sharing_on", "2027-01-15");
    b.click("select[name=m0_kind] option[value=consulting]");
    b.set_value("#m0_on", "2026-12-10");
    b.click("input[name=disqualifications_declared]");
    b.fill("#employer_address", "東京都千代田区丸の内1-1-1");
    b.submit("form[action$='/plan'] button[type=submit]");
    assert!(
        b.url().ends_with(&format!("/cases/{id}/plan?saved=1")),
        "{}: {}",
        b.url(),
        b.text()
    );
    b.screenshot("flow-r8-3-plan");

    // ── The evaluation period starts after the measures, reviewed first.
    set_clock(&mut w.admin, "2027-02-21");
    b.go(&format!("{base}/cases/{id}"));
    let t = review_and_send(
        &b,
        "start_evaluation",
        &["高橋 美咲", "田中 健"],
        "flow-r8-4-review-start",
    );
    assert!(t.contains("評価期間中"), "{t}");

    // ── After the period, the records by name and number; then the filing.
    set_clock(&mut w.admin, "2027-05-25");
    let csv = "氏名,日付,勤務場所\r\n高橋 美咲,2027/3/3,在宅\r\n2002,2027/3/4,在宅\r\n高橋 美咲,2027/3/10,在宅\r\n";
    let t = import_telework(&b, &base, id, &dir(&db), csv);
    assert!(
        t.contains("高橋 美咲") && t.contains("田中 健（社員番号 2002）"),
        "{t}"
    );
    assert!(!t.contains("計画の対象労働者にいない人"), "{t}");
    b.submit("form[action$='/import/confirm'] button[type=submit]");
    assert!(
        b.text().contains("テレワーク実施記録を3行取り込みました。"),
        "{}",
        b.text()
    );
    b.go(&format!("{base}/cases/{id}"));
    let t = review_and_send(
        &b,
        "file_equipment",
        &["送り先：東京労働局", "制度導入助成"],
        "flow-r8-5-filing",
    );
    assert!(t.contains("制度導入助成を申請しました"), "{t}");

    // The printed application carries the applicant's and the 社労士's particulars.
    b.go(&format!("{base}/cases/{id}/print?doc=equipment"));
    let t = b.text();
    assert!(
        t.contains("東京都千代田区丸の内1-1-1")
            && t.contains("13012345")
            && t.contains("みなと社会保険労務士事務所"),
        "{t}"
    );
    shot_at(&b, "h2", "flow-r8-5-print");

    // ── 連絡 between the officer and the 社労士.
    set_clock(&mut w.admin, "2027-06-01");
    sign_in(&b, &base, "tokyo");
    let question = "就業規則の届出の控えをお送りください。";
    post_message(&b, &base, id, question);
    sign_in(&b, &base, "agent");
    let answer = "本日、届出の控えを添付しました。ご確認をお願いします。";
    post_message(&b, &base, id, answer);

    // ── The officer grants the fixed amount, with a note for the applicant.
    set_clock(&mut w.admin, "2027-06-20");
    sign_in(&b, &base, "tokyo");
    b.go(&format!("{base}/cases/{id}"));
    assert!(text_of(&b, "#messages").contains(answer));
    let reason = "研修の記録と就業規則の届出の控えを確認しました。";
    web_decide(&b, "grant_equipment", &[("#reason", reason)]);
    assert!(
        b.text().contains("制度導入助成の支給を決定しました"),
        "{}",
        b.text()
    );
    for (who, browser, shot) in [
        ("agent", &b, "flow-r8-6-granted"),
        ("emp", &phone, "flow-r8-6-granted-390"),
    ] {
        sign_in(browser, &base, who);
        browser.go(&format!("{base}/cases/{id}"));
        let t = browser.text();
        assert!(
            t.contains("支給決定額") && t.contains("200,000円") && t.contains(reason),
            "{who}: {t}"
        );
        no_overflow(browser, &format!("the decision for {who}"));
        browser.screenshot(shot);
    }

    // ── Another application, filed: the bureau denies it with a reason.
    let (denied, _) = new_case(&mut w);
    set_clock(&mut w.admin, "2022-06-15");
    assert_eq!(
        act(&mut w.employer, denied, "submit_plan", json!({})).0,
        200
    );
    set_clock(&mut w.admin, "2022-07-01");
    assert_eq!(
        act(&mut w.officer, denied, "certify_plan", json!({})).0,
        200
    );
    set_clock(&mut w.admin, "2022-08-01");
    assert_eq!(
        act(&mut w.employer, denied, "start_evaluation", json!({})).0,
        200
    );
    set_clock(&mut w.admin, "2022-11-25");
    assert_eq!(
        act(&mut w.employer, denied, "file_equipment", json!({})).0,
        200
    );
    set_clock(&mut w.admin, "2022-12-20");
    sign_in(&b, &base, "tokyo");
    b.go(&format!("{base}/cases/{denied}"));
    let why = "評価期間の出勤簿が提出されず、テレワークの実施が確認できないため。";
    web_decide(&b, "deny_equipment", &[("#reason", why)]);
    assert!(
        b.text().contains("機器等導入助成を不支給と決定しました"),
        "{}",
        b.text()
    );
    for (browser, shot) in [(&b, "flow-deny-1"), (&phone, "flow-deny-1-390")] {
        sign_in(browser, &base, "emp");
        browser.go(&format!("{base}/cases/{denied}"));
        let decisions = text_of(browser, "section.decisions");
        assert!(
            decisions.contains("不支給決定") && decisions.contains(why),
            "{decisions}"
        );
        assert!(
            decisions.contains("東京労働局") && decisions.contains("2022-12-20（令和4年12月20日）"),
            "{decisions}"
        );
        assert!(!decisions.contains("支給決定額"), "{decisions}");
        no_overflow(browser, "the denial");
        shot_at(browser, "section.decisions", shot);
    }
    phone.go(&format!("{base}/notifications"));
    let t = phone.text();
    assert!(t.contains("不支給決定") && t.contains(why), "{t}");
    phone.screenshot("flow-deny-2-notifications-390");
}
