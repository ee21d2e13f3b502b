//! 輝くテレワーク賞: who may see which application (employer, agent,
//! officer, admin, advisor, judge; a record out of scope is 404), the form's
//! figures prefilled from the organisation's case, validation of the form
//! and of scores, the conflict-of-interest declaration that blocks scoring,
//! a judge never seeing another judge's scores, the public page showing
//! winners only once published, and the audit entries. On SQLite and
//! PostgreSQL; a judge's screening in Chromium at 1366 and 390 px.

use super::*;

/// A page's form, posted with the session's CSRF token: status, page and
/// where it redirects.
fn post_form(c: &Client, path: &str, fields: &[(&str, &str)]) -> (u16, String, Option<String>) {
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

fn page_of(c: &mut Client, path: &str) -> (u16, String) {
    let (s, body) = c.get_raw(path);
    (s, String::from_utf8_lossy(&body).into_owned())
}

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

/// The number at the end of a redirect (`…/{id}?…`).
fn id_in(location: &str) -> i64 {
    location
        .split('?')
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("{location}"))
}

/// The other organisation of the world (Osaka's, emp2's).
fn other_org(w: &mut World) -> i64 {
    let (s, orgs) = w.admin.get("/api/v1/organizations");
    assert_eq!(s, 200, "{orgs}");
    orgs.as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .find(|id| *id != w.org_id)
        .unwrap()
}

fn login(w: &World, name: &str) -> Client {
    let mut c = w.server.client();
    c.login(name, PASSWORD);
    c
}

/// Adds a user of `role` named `name`.
fn add_user(w: &mut World, name: &str, role: &str) -> Client {
    let (s, u) = w.admin.post(
        "/api/v1/users",
        &json!({"username": name, "password": PASSWORD, "role": role, "display_name": name}),
    );
    assert_eq!(s, 201, "{u}");
    login(w, name)
}

/// The round of 令和8年度, open from 2026-06-01 to 2026-08-31, with the
/// training clock on 2026-07-01; its id.
pub(super) fn open_round(w: &mut World) -> i64 {
    set_clock(&mut w.admin, "2026-07-01");
    let (s, _, to) = post_form(
        &w.admin,
        "/award/admin",
        &[
            ("fiscal_year", "2026"),
            ("opens_on", "2026-06-01"),
            ("closes_on", "2026-08-31"),
        ],
    );
    assert_eq!(s, 303);
    id_in(&to.unwrap())
}

pub(super) const COMPLETE: [(&str, &str); 6] = [
    ("background", "育児や介護と仕事の両立のため導入しました。"),
    (
        "practices",
        "全社員を対象に週2日の在宅勤務制度を設けました。",
    ),
    ("outcomes", "離職率が下がり、採用の応募が増えました。"),
    ("workers", "12"),
    ("teleworkers", "3"),
    ("telework_days", "39"),
];

/// Sends an application for `org` (a draft, or submitted); its id.
pub(super) fn apply(c: &Client, org: i64, fields: &[(&str, &str)], submit: bool) -> i64 {
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("intent", if submit { "submit" } else { "save" }));
    let (s, page, to) = post_form(c, &format!("/award/apply/{org}"), &all);
    assert_eq!(s, 303, "{page}");
    assert!(to.unwrap().contains("done="));
    let mut c = c.clone();
    let (s, list) = page_of(&mut c, "/award/apply");
    assert_eq!(s, 200);
    let at = list
        .find("/award/applications/")
        .unwrap_or_else(|| panic!("{list}"));
    let rest = &list[at + "/award/applications/".len()..];
    rest.split('"').next().unwrap().parse().unwrap()
}

fn start_screening(w: &World, round: i64) {
    let (s, body, _) = post_form(
        &w.admin,
        &format!("/award/admin/rounds/{round}/screening"),
        &[],
    );
    assert_eq!(s, 303, "{body}");
}

fn all_scores(n: &str) -> Vec<(&'static str, String)> {
    ["leadership", "system", "practice", "outcome", "spread"]
        .iter()
        .map(|k| (*k, n.to_string()))
        .collect()
}

/// Posts a judge's scores (`score_{key}`) and comment.
fn score(c: &Client, id: i64, scores: &[(&str, String)], comment: &str) -> (u16, String) {
    let names: Vec<(String, &str)> = scores
        .iter()
        .map(|(k, v)| (format!("score_{k}"), v.as_str()))
        .collect();
    let mut fields: Vec<(&str, &str)> = names.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    fields.push(("comment", comment));
    let (s, page, _) = post_form(c, &format!("/award/screening/{id}"), &fields);
    (s, page)
}

fn declare(c: &Client, id: i64, conflict: &str) -> u16 {
    post_form(
        c,
        &format!("/award/screening/{id}/declare"),
        &[("conflict", conflict)],
    )
    .0
}

/// Each role reaches only what it may: applicants their organisations'
/// applications (another's is 404, an agent's only once delegated), judges
/// only submitted applications of a round under screening, administrators
/// everything, officers and advisors nothing.
#[test]
fn each_role_sees_only_its_applications() {
    for db in backends() {
        let mut w = world(&db);
        let other = other_org(&mut w);
        let mut emp2 = login(&w, "emp2");
        let round = open_round(&mut w);

        // The employer applies for its own organisation only.
        let (s, page) = page_of(&mut w.employer, "/award/apply");
        assert_eq!(s, 200);
        assert!(
            page.contains(&format!("/award/apply/{}", w.org_id)),
            "{page}"
        );
        assert!(!page.contains(&format!("/award/apply/{other}\"")));
        assert_eq!(
            page_of(&mut w.employer, &format!("/award/apply/{other}")).0,
            404
        );
        assert_eq!(page_of(&mut w.employer, "/award/apply/99999").0, 404);
        let (s, _, _) = post_form(
            &w.employer,
            &format!("/award/apply/{other}"),
            &[("intent", "save")],
        );
        assert_eq!(s, 404, "posting for another organisation");
        let id = apply(&w.employer, w.org_id, &COMPLETE[..2], false);
        let mine = format!("/award/applications/{id}");
        assert_eq!(page_of(&mut w.employer, &mine).0, 200);
        assert_eq!(page_of(&mut emp2, &mine).0, 404);

        // The agent: 404 until the organisation delegates to them.
        assert_eq!(
            page_of(&mut w.agent, &format!("/award/apply/{}", w.org_id)).0,
            404
        );
        assert_eq!(page_of(&mut w.agent, &mine).0, 404);
        let (s, d) = w.admin.post(
            &format!("/api/v1/organizations/{}/delegations", w.org_id),
            &json!({"agent": "agent"}),
        );
        assert_eq!(s, 201, "{d}");
        assert_eq!(
            page_of(&mut w.agent, &format!("/award/apply/{}", w.org_id)).0,
            200
        );
        let (s, page) = page_of(&mut w.agent, &mine);
        assert_eq!(s, 200);
        assert!(page.contains("週2日の在宅勤務制度"), "{page}");

        // Officers and advisors have no part in the award.
        let closed = [
            "/award/apply".to_string(),
            format!("/award/apply/{}", w.org_id),
            mine.clone(),
            "/award/screening".to_string(),
            format!("/award/screening/{id}"),
            "/award/admin".to_string(),
            format!("/award/admin/rounds/{round}"),
        ];
        for c in [&mut w.officer, &mut w.advisor] {
            for path in &closed {
                assert_eq!(page_of(c, path).0, 403, "{path}");
            }
            assert_eq!(page_of(c, "/award").0, 200);
        }

        // A judge sees no draft, nor a submitted application before screening.
        assert_eq!(page_of(&mut w.judge, "/award/apply").0, 403);
        assert_eq!(page_of(&mut w.judge, "/award/admin").0, 403);
        assert_eq!(
            page_of(&mut w.judge, &format!("/award/screening/{id}")).0,
            404
        );
        assert_eq!(declare(&w.judge, id, "none"), 404);
        apply(&w.employer, w.org_id, &COMPLETE, true);
        assert_eq!(
            page_of(&mut w.judge, &format!("/award/screening/{id}")).0,
            404
        );
        let (_, list) = page_of(&mut w.judge, "/award/screening");
        assert!(!list.contains(&format!("/award/screening/{id}")), "{list}");
        // emp2's draft stays out of screening.
        let draft = apply(&emp2, other, &COMPLETE[..1], false);
        start_screening(&w, round);
        let (s, list) = page_of(&mut w.judge, "/award/screening");
        assert_eq!(s, 200);
        assert!(list.contains(&format!("/award/screening/{id}\"")), "{list}");
        assert!(
            !list.contains(&format!("/award/screening/{draft}\"")),
            "{list}"
        );
        assert_eq!(
            page_of(&mut w.judge, &format!("/award/screening/{id}")).0,
            200
        );
        assert_eq!(
            page_of(&mut w.judge, &format!("/award/screening/{draft}")).0,
            404
        );
        assert_eq!(declare(&w.judge, draft, "none"), 404);
        // Applicants do not screen.
        assert_eq!(page_of(&mut w.employer, "/award/screening").0, 403);
        assert_eq!(page_of(&mut w.employer, "/award/admin").0, 403);

        // The administrator sees every application, draft or not.
        assert_eq!(page_of(&mut w.admin, &mine).0, 200);
        assert_eq!(
            page_of(&mut w.admin, &format!("/award/applications/{draft}")).0,
            200
        );
        let (s, overview) = page_of(&mut w.admin, &format!("/award/admin/rounds/{round}"));
        assert_eq!(s, 200);
        assert!(overview.contains(&format!("/award/applications/{id}\"")));
        assert!(
            !overview.contains(&format!("/award/applications/{draft}\"")),
            "drafts are not screened"
        );

        // Once screening started, applicants can no longer change anything.
        let (s, _, _) = post_form(
            &emp2,
            &format!("/award/apply/{other}"),
            &[("intent", "save")],
        );
        assert_eq!(s, 409);
    }
}

/// The form takes the figures of the organisation's case and says where
/// each comes from; without a case it says so and leaves them blank.
#[test]
fn the_form_is_prefilled_from_the_case() {
    for db in backends() {
        let mut w = world(&db);
        let (s, page) = {
            open_round(&mut w);
            page_of(&mut w.employer, &format!("/award/apply/{}", w.org_id))
        };
        assert_eq!(s, 200);
        assert!(page.contains("申請の記録がないため"), "{page}");
        assert!(
            page.contains(
                "id=\"workers\" name=\"workers\" type=\"text\" inputmode=\"numeric\" value=\"\""
            ),
            "{page}"
        );

        new_case(&mut w);
        set_clock(&mut w.admin, "2026-07-01");
        let doc = case01_document();
        let records: Vec<&Value> = doc["telework"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["place"] != "office")
            .collect();
        let mut people: Vec<&str> = records
            .iter()
            .map(|r| r["worker"].as_str().unwrap())
            .collect();
        people.sort_unstable();
        people.dedup();
        let (s, page) = page_of(&mut w.employer, &format!("/award/apply/{}", w.org_id));
        assert_eq!(s, 200);
        let value = |name: &str| -> String {
            let key = format!(
                "id=\"{name}\" name=\"{name}\" type=\"text\" inputmode=\"numeric\" value=\""
            );
            let rest = page
                .split(&key)
                .nth(1)
                .unwrap_or_else(|| panic!("{name}: {page}"));
            rest.split('"').next().unwrap().to_string()
        };
        assert_eq!(
            value("workers"),
            doc["employer"]["regular_employees"].to_string()
        );
        assert_eq!(value("teleworkers"), people.len().to_string());
        assert_eq!(value("telework_days"), records.len().to_string());
        assert!(
            page.contains("申請「テレワーク導入計画」の事業主情報（常時雇用する労働者の数）"),
            "{page}"
        );
        assert!(page
            .contains("申請「テレワーク導入計画」のテレワークの実施記録（実施した労働者の人数）"));
        assert!(page.contains("申請「テレワーク導入計画」のテレワークの実施記録（延べ日数）"));

        // Edited figures are kept over the case's once saved.
        apply(
            &w.employer,
            w.org_id,
            &[("workers", "20"), ("teleworkers", "5")],
            false,
        );
        let (_, page) = page_of(&mut w.employer, &format!("/award/apply/{}", w.org_id));
        assert!(
            page.contains("inputmode=\"numeric\" value=\"20\""),
            "{page}"
        );
        assert!(
            page.contains("テレワーク実施率（保存した数値から）：25.0%"),
            "{page}"
        );
        // The source is still named.
        assert!(page.contains("（12人）"), "{page}");
    }
}

/// Required fields to submit, numbers and ranges, teleworkers within the
/// workers; a submitted application is final and the only one of its
/// organisation in the round; outside the period nothing is saved.
#[test]
fn applications_are_checked_and_final_once_submitted() {
    for db in backends() {
        let mut w = world(&db);
        let path = format!("/award/apply/{}", w.org_id);
        // No round yet.
        assert_eq!(page_of(&mut w.employer, &path).0, 409);
        open_round(&mut w);

        let mut missing: Vec<(&str, &str)> = COMPLETE.to_vec();
        missing.retain(|(k, _)| *k != "outcomes");
        missing.push(("intent", "submit"));
        let (s, page, _) = post_form(&w.employer, &path, &missing);
        assert_eq!(s, 422);
        assert!(page.contains("role=\"alert\""), "{page}");
        assert!(page.contains("href=\"#outcomes\""), "{page}");
        assert!(
            page.contains("応募するには成果を入力してください"),
            "{page}"
        );
        // What was typed is kept.
        assert!(page.contains("週2日の在宅勤務制度"));

        for (field, value, message) in [
            ("teleworkers", "13", "常時雇用する労働者の数以下"),
            ("workers", "十二", "半角の整数"),
            ("workers", "0", "1〜1000000の範囲"),
            ("telework_days", "-1", "0〜100000000の範囲"),
        ] {
            let mut fields: Vec<(&str, &str)> = COMPLETE.to_vec();
            fields.retain(|(k, _)| *k != field);
            fields.push((field, value));
            fields.push(("intent", "save"));
            let (s, page, _) = post_form(&w.employer, &path, &fields);
            assert_eq!(s, 422, "{field}={value}");
            assert!(page.contains(&format!("href=\"#{field}\"")), "{page}");
            assert!(page.contains(message), "{field}: {page}");
            assert!(page.contains(&format!("id=\"{field}\" name=\"{field}\"")));
        }
        let long = "あ".repeat(2001);
        let (s, page, _) = post_form(
            &w.employer,
            &path,
            &[("practices", long.as_str()), ("intent", "save")],
        );
        assert_eq!(s, 422);
        assert!(page.contains("取組内容は2000文字以内"), "{page}");
        // Nothing was stored by the refusals.
        let (_, list) = page_of(&mut w.employer, "/award/apply");
        assert!(list.contains("応募はまだありません"), "{list}");

        // Without the CSRF token nothing is done.
        let (s, _, _) = w.employer.raw(
            "POST",
            &path,
            Some("application/x-www-form-urlencoded"),
            &form_urlencoded(&[("intent", "save")]),
        );
        assert_eq!(s, 403);

        let id = apply(&w.employer, w.org_id, &COMPLETE, true);
        let (s, page) = page_of(&mut w.employer, &format!("{path}?done=submitted"));
        assert_eq!(s, 200);
        assert!(
            page.contains("role=\"status\"") && page.contains("応募を提出しました"),
            "{page}"
        );
        assert!(
            !page.contains("<textarea"),
            "a submitted application has no form"
        );
        let (s, _, _) = post_form(&w.employer, &path, &[("intent", "save")]);
        assert_eq!(s, 409, "a submitted application is final");
        let (_, list) = page_of(&mut w.employer, "/award/apply");
        assert_eq!(list.matches("/award/applications/").count(), 1, "{list}");
        assert!(list.contains("提出済み（受付済み）"));
        assert!(list.contains(&format!("/award/applications/{id}")));

        // After the period: refused.
        set_clock(&mut w.admin, "2026-09-01");
        let mut emp2 = login(&w, "emp2");
        let other = other_org(&mut w);
        let (s, page) = page_of(&mut emp2, &format!("/award/apply/{other}"));
        assert_eq!(s, 200);
        assert!(page.contains("募集期間外"), "{page}");
        let (s, _, _) = post_form(&emp2, &format!("/award/apply/{other}"), &COMPLETE);
        assert_eq!(s, 409);
    }
}

/// A judge first declares a conflict of interest or none; with a conflict
/// there is no score form and scores are refused; without, every criterion
/// is scored 1–5. No judge sees another's scores; the administrator sees
/// the averages, the total, who scored and the conflicts.
#[test]
fn judges_declare_conflicts_and_score_alone() {
    for db in backends() {
        let mut w = world(&db);
        let round = open_round(&mut w);
        let id = apply(&w.employer, w.org_id, &COMPLETE, true);
        start_screening(&w, round);
        let judge2 = add_user(&mut w, "judge2", "judge");
        let judge3 = add_user(&mut w, "judge3", "judge");
        let path = format!("/award/screening/{id}");

        // Scoring before the declaration is refused.
        let (s, _) = score(&w.judge, id, &all_scores("4"), "");
        assert_eq!(s, 409);
        let (_, page) = page_of(&mut w.judge, &path);
        assert!(
            page.contains("利害関係の申告") && !page.contains("name=\"score_leadership\""),
            "{page}"
        );
        let (s, page, _) = post_form(&w.judge, &format!("{path}/declare"), &[]);
        assert_eq!(s, 422, "{page}");
        assert!(page.contains("利害関係の有無を選んでください"));

        // judge3 has a conflict: no form, scores refused, recorded.
        assert_eq!(declare(&judge3, id, "declared"), 303);
        let mut judge3 = judge3;
        let (_, page) = page_of(&mut judge3, &path);
        assert!(
            page.contains("利害関係ありと申告しました")
                && !page.contains("name=\"score_leadership\""),
            "{page}"
        );
        assert_eq!(score(&judge3, id, &all_scores("5"), "").0, 409);
        assert_eq!(declare(&judge3, id, "none"), 409, "a declaration is final");

        // judge and judge2 declare none and score.
        assert_eq!(declare(&w.judge, id, "none"), 303);
        assert_eq!(declare(&judge2, id, "none"), 303);
        let mut bad = all_scores("4");
        bad[4].1 = "6".into();
        let (s, page) = score(&w.judge, id, &bad, "");
        assert_eq!(s, 422);
        assert!(
            page.contains("href=\"#score_spread\"") && page.contains("「波及効果」の評点は1〜5"),
            "{page}"
        );
        let (s, page) = score(&w.judge, id, &all_scores("4")[..4], "");
        assert_eq!(s, 422);
        assert!(
            page.contains("「波及効果」の評点を選んでください"),
            "{page}"
        );
        assert_eq!(score(&w.judge, id, &all_scores("0"), "").0, 422);
        assert_eq!(
            score(&w.judge, id, &all_scores("4"), "経営層の関与が明確").0,
            303
        );
        assert_eq!(
            score(&judge2, id, &all_scores("5"), "他社の模範になる").0,
            303
        );

        let (_, mine) = page_of(&mut w.judge, &format!("{path}?done=scored"));
        assert!(
            mine.contains("評点と講評を保存しました") && mine.contains("経営層の関与が明確"),
            "{mine}"
        );
        assert!(mine.contains("value=\"4\" checked"), "{mine}");
        assert!(
            !mine.contains("他社の模範になる") && !mine.contains("value=\"5\" checked"),
            "another judge's scores: {mine}"
        );
        let mut judge2 = judge2;
        let (_, theirs) = page_of(&mut judge2, &path);
        assert!(
            theirs.contains("他社の模範になる") && !theirs.contains("経営層の関与が明確"),
            "{theirs}"
        );

        let (_, overview) = page_of(&mut w.admin, &format!("/award/admin/rounds/{round}"));
        assert!(overview.contains(">4.5</td>"), "{overview}");
        assert!(overview.contains("<strong>22.5</strong>"), "{overview}");
        assert!(overview.contains("data-label=\"採点者\">2人"), "{overview}");
        assert!(
            overview.contains("data-label=\"利害関係あり\">1人"),
            "{overview}"
        );
        assert!(overview.contains("経営層の関与が明確") && overview.contains("他社の模範になる"));

        // Each step is audited on the applicant organisation.
        let log = with_store(&db, async |s| {
            s.audit_log("organization", &w.org_id.to_string())
                .await
                .unwrap()
        });
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions
                .iter()
                .filter(|a| a.starts_with("award."))
                .copied()
                .collect::<Vec<_>>(),
            [
                "award.application_submit",
                "award.conflict_declare",
                "award.conflict_declare",
                "award.conflict_declare",
                "award.review_save",
                "award.review_save",
            ],
            "{log:?}"
        );
        let conflict = log
            .iter()
            .find(|e| e.action == "award.conflict_declare")
            .unwrap();
        assert_eq!(conflict.after.as_ref().unwrap()["conflict"], true);
        assert_eq!(conflict.after.as_ref().unwrap()["award_application_id"], id);
        let review = log
            .iter()
            .rfind(|e| e.action == "award.review_save")
            .unwrap();
        assert_eq!(review.after.as_ref().unwrap()["scores"]["spread"], 5);
    }
}

/// Winners appear on the public page only once an administrator has
/// decided every result and published them; 選外 never appears.
#[test]
fn winners_are_public_only_after_publication() {
    for db in backends() {
        let mut w = world(&db);
        let round = open_round(&mut w);
        let other = other_org(&mut w);
        let emp2 = login(&w, "emp2");
        let won = apply(&w.employer, w.org_id, &COMPLETE, true);
        let mut lost_fields: Vec<(&str, &str)> = COMPLETE.to_vec();
        lost_fields[1] = ("practices", "選外になった取組の説明");
        let lost = apply(&emp2, other, &lost_fields, true);
        let mut anyone = w.server.client();
        let (s, public) = page_of(&mut anyone, "/award");
        assert_eq!(s, 200);
        assert!(
            public.contains("令和8年度") && public.contains("募集中"),
            "{public}"
        );
        assert!(public.contains("公表された受賞企業・団体はまだありません"));

        // Results are decided only while screening.
        let decide = |id: i64, result: &str| {
            post_form(
                &w.admin,
                &format!("/award/admin/applications/{id}/result"),
                &[("result", result)],
            )
            .0
        };
        assert_eq!(decide(won, "excellence"), 409);
        start_screening(&w, round);
        assert_eq!(decide(won, "grand_prize"), 422);
        assert_eq!(decide(won, "excellence"), 303);
        let mut judge = w.judge.clone();
        assert_eq!(
            page_of(&mut judge, &format!("/award/screening/{won}")).0,
            200
        );
        assert_eq!(
            post_form(
                &w.employer,
                &format!("/award/admin/applications/{won}/result"),
                &[("result", "excellence")]
            )
            .0,
            403
        );
        let (_, public) = page_of(&mut anyone, "/award");
        assert!(
            !public.contains("週2日の在宅勤務制度"),
            "not before publication: {public}"
        );
        // One result still open: publication refused.
        let (s, page, _) = post_form(
            &w.admin,
            &format!("/award/admin/rounds/{round}/publish"),
            &[],
        );
        assert_eq!(s, 409);
        assert!(page.contains("結果を決めていない応募が1件"), "{page}");
        assert_eq!(decide(lost, "not_selected"), 303);
        let (s, _, _) = post_form(
            &w.admin,
            &format!("/award/admin/rounds/{round}/publish"),
            &[],
        );
        assert_eq!(s, 303);

        let (_, public) = page_of(&mut anyone, "/award");
        assert!(public.contains("週2日の在宅勤務制度"), "{public}");
        assert!(
            public.contains("厚生労働大臣賞「優秀賞」")
                && public.contains("テレワーク実施率：25.0%")
        );
        assert!(!public.contains("選外になった取組"), "{public}");
        assert!(
            !public.contains("育児や介護と仕事の両立のため導入"),
            "only practices and outcomes are public"
        );
        // Screening is over for judges; the applicants see their result.
        assert_eq!(
            page_of(&mut judge, &format!("/award/screening/{won}")).0,
            404
        );
        let (_, list) = page_of(&mut w.employer, "/award/apply");
        assert!(list.contains("厚生労働大臣賞「優秀賞」"), "{list}");
        assert_eq!(
            decide(won, "encouragement"),
            409,
            "published results are final"
        );

        // The round's steps are audited.
        let log = with_store(&db, async |s| {
            s.audit_log("setting", "award_round.2026").await.unwrap()
        });
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "award.round_create",
                "award.round_status",
                "award.results_publish"
            ]
        );
        assert!(log.iter().all(|e| e.user_id.is_some()));
        let org_log = with_store(&db, async |s| {
            s.audit_log("organization", &w.org_id.to_string())
                .await
                .unwrap()
        });
        let decided = org_log
            .iter()
            .find(|e| e.action == "award.result_decide")
            .unwrap();
        assert_eq!(decided.after.as_ref().unwrap()["result"], "excellence");
    }
}

/// The round form: a year twice, dates in the wrong order, unreadable
/// values are refused with the field named.
#[test]
fn rounds_are_checked() {
    let db = backends().remove(0);
    let mut w = world(&db);
    open_round(&mut w);
    for (fields, field, message) in [
        (
            [
                ("fiscal_year", "2026"),
                ("opens_on", "2026-06-01"),
                ("closes_on", "2026-08-31"),
            ],
            "fiscal_year",
            "この年度の回は既に登録されています",
        ),
        (
            [
                ("fiscal_year", "2027"),
                ("opens_on", "2027-09-01"),
                ("closes_on", "2027-08-31"),
            ],
            "closes_on",
            "募集締切日は募集開始日以降",
        ),
        (
            [
                ("fiscal_year", "令和9"),
                ("opens_on", "2027-06-01"),
                ("closes_on", "2027-08-31"),
            ],
            "fiscal_year",
            "年度は半角の整数",
        ),
        (
            [
                ("fiscal_year", "2027"),
                ("opens_on", "6月1日"),
                ("closes_on", "2027-08-31"),
            ],
            "opens_on",
            "2026-06-01 の形の日付",
        ),
    ] {
        let (s, page, _) = post_form(&w.admin, "/award/admin", &fields);
        assert_eq!(s, 422, "{fields:?}");
        assert!(
            page.contains(&format!("href=\"#{field}\"")) && page.contains(message),
            "{page}"
        );
    }
    assert_eq!(
        post_form(&w.employer, "/award/admin", &[("fiscal_year", "2027")]).0,
        403
    );
}

/// A judge screens an application in Chromium: declares no conflict,
/// scores every criterion, comments, saves and sees it saved; at 1366 and
/// 390 px, without sideways scrolling. Screenshots `award-*`.
#[test]
fn a_judge_screens_in_the_browser() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    let base = w.server.base.clone();
    new_case(&mut w);
    let round = open_round(&mut w);
    // The employer's form, its figures from the case.
    for (width, height) in [(1366u32, 900u32), (390, 844)] {
        let b = if width < 500 {
            browser::Browser::start_phone(width, height)
        } else {
            browser::Browser::start(width, height)
        };
        let tag = if width < 500 { "phone" } else { "desktop" };
        flows::sign_in(&b, &base, "emp");
        b.go(&format!("{base}/award"));
        b.click("a.button[href='/award/apply']");
        flows::no_overflow(&b, "the applicant's list");
        b.screenshot(&format!("award-mine-{tag}"));
        b.click(&format!("a[href='/award/apply/{}']", w.org_id));
        assert_eq!(b.value("#workers"), "12");
        assert!(
            b.text().contains("出典：申請「テレワーク導入計画」"),
            "{}",
            b.text()
        );
        flows::no_overflow(&b, "the application form");
        b.screenshot(&format!("award-apply-{tag}"));
    }
    let id = apply(&w.employer, w.org_id, &COMPLETE, true);
    start_screening(&w, round);
    add_user(&mut w, "judge2", "judge");
    for (width, height, judge) in [(1366u32, 900u32, "judge"), (390, 844, "judge2")] {
        let b = if width < 500 {
            browser::Browser::start_phone(width, height)
        } else {
            browser::Browser::start(width, height)
        };
        let tag = if width < 500 { "phone" } else { "desktop" };
        flows::sign_in(&b, &base, judge);
        b.go(&format!("{base}/"));
        b.click("header a[href='/award/screening']");
        assert!(b.text().contains("テレワーク賞の審査"), "{}", b.text());
        flows::no_overflow(&b, "the screening list");
        b.screenshot(&format!("award-list-{tag}"));
        b.click(&format!("a[href='/award/screening/{id}']"));
        assert!(!b.exists("input[name=score_leadership]"));
        b.click("#conflict-none");
        b.submit("form.award-declare button[type=submit]");
        assert!(
            flows::text_of(&b, "[role=status]").contains("利害関係はないと申告しました"),
            "{}",
            b.text()
        );
        flows::no_overflow(&b, "the score form");
        for (i, key) in ["leadership", "system", "practice", "outcome", "spread"]
            .iter()
            .enumerate()
        {
            let label = format!("label[for=score_{key}-{}]", 3 + i % 3);
            // Centred first: a phone's window may show only part of the row.
            b.script(&format!(
                "document.querySelector({}).scrollIntoView({{block: 'center'}}); return null;",
                json!(label)
            ));
            b.click(&label);
        }
        b.fill("#comment", "経営トップが自ら在宅勤務を実践している。");
        flows::shot_at(
            &b,
            "fieldset.award-criterion",
            &format!("award-score-{tag}"),
        );
        b.submit("form.award-score button[type=submit]");
        assert!(
            flows::text_of(&b, "[role=status]").contains("評点と講評を保存しました"),
            "{}",
            b.text()
        );
        assert!(b.text().contains("保存済み"));
        assert_eq!(
            b.value("#comment"),
            "経営トップが自ら在宅勤務を実践している。"
        );
        let checked = b.script(
            "return Array.from(document.querySelectorAll('input[type=radio]:checked')).map(e => e.id);",
        );
        assert_eq!(
            checked,
            json!([
                "score_leadership-3",
                "score_system-4",
                "score_practice-5",
                "score_outcome-3",
                "score_spread-4"
            ])
        );
        flows::no_overflow(&b, "the saved review");
        flows::shot_at(&b, "#review", &format!("award-saved-{tag}"));
        b.go(&format!("{base}/award/screening"));
        assert!(b.text().contains("採点済み"), "{}", b.text());
    }
    // The administrator's overview, then the published results.
    let (s, _, _) = post_form(
        &w.admin,
        &format!("/award/admin/applications/{id}/result"),
        &[("result", "excellence")],
    );
    assert_eq!(s, 303);
    for (width, height) in [(1366u32, 900u32), (390, 844)] {
        let b = if width < 500 {
            browser::Browser::start_phone(width, height)
        } else {
            browser::Browser::start(width, height)
        };
        let tag = if width < 500 { "phone" } else { "desktop" };
        web_login(&b, &base, "admin", ADMIN_PASSWORD);
        b.go(&format!("{base}/award/admin"));
        flows::no_overflow(&b, "the rounds");
        b.screenshot(&format!("award-rounds-{tag}"));
        b.go(&format!("{base}/award/admin/rounds/{round}"));
        assert!(b.text().contains("19.0"), "{}", b.text());
        flows::no_overflow(&b, "the overview");
        b.screenshot(&format!("award-overview-{tag}"));
    }
    let (s, _, _) = post_form(
        &w.admin,
        &format!("/award/admin/rounds/{round}/publish"),
        &[],
    );
    assert_eq!(s, 303);
    for (width, height) in [(1366u32, 900u32), (390, 844)] {
        let b = if width < 500 {
            browser::Browser::start_phone(width, height)
        } else {
            browser::Browser::start(width, height)
        };
        let tag = if width < 500 { "phone" } else { "desktop" };
        b.go(&format!("{base}/award"));
        assert!(b.text().contains("週2日の在宅勤務制度"), "{}", b.text());
        flows::no_overflow(&b, "the public page");
        shot_at_top(&b, &format!("award-public-{tag}"));
        flows::shot_at(&b, "#award-winners", &format!("award-winners-{tag}"));
    }
}

fn shot_at_top(b: &browser::Browser, name: &str) {
    b.script("window.scrollTo(0, 0); return null;");
    b.screenshot(name);
}
