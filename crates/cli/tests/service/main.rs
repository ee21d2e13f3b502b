//! The case service, tested from outside, for SQLite always and for
//! PostgreSQL whenever `TEST_DATABASE_URL` is set (CI sets it). Most tests
//! hand each request to the application in this process
//! ([`Server::in_process`]); those that need the real `josei serve` on a free
//! port, driven over HTTP ([`Server::start`]), use it: a whole workflow, the
//! regime overlay of `--regimes` (a process-wide setting), connections and
//! timeouts, two servers on one database, and the browser tests.

mod admin_pages;
mod award;
mod browser;
mod case_page;
mod crawl;
mod decisions;
mod desk;
mod diagnosis_imports;
mod events;
mod examine;
mod flows;
mod loose_ends;
mod mail;
mod overview;
mod plan_editor;
mod portal;
mod queue;
mod statistics;
mod support;
mod work_rules;

use serde_json::{json, Value};
use support::*;

/// Case 01 of the shared cases, as the inputs of a stored case.
fn case01_document() -> Value {
    let mut v: Value = serde_json::from_str(
        &std::fs::read_to_string(shared().join("cases/01-standard-success.json")).unwrap(),
    )
    .unwrap();
    let o = v.as_object_mut().unwrap();
    o.remove("as_of");
    o.remove("equipment_application_filed_on");
    o.remove("goal_application_filed_on");
    v["plan"]["submitted_on"] = Value::Null;
    v["plan"]["certified_on"] = Value::Null;
    v
}

/// An admin, an organisation in Tokyo (13), its employer, an agent, officers
/// of Tokyo and Osaka (27), an advisor of the テレワーク相談センター and a judge
/// of 輝くテレワーク賞.
struct World {
    server: Server,
    admin: Client,
    employer: Client,
    agent: Client,
    officer: Client,
    other_officer: Client,
    advisor: Client,
    judge: Client,
    org_id: i64,
}

/// The world on the application in process.
fn world(db: &TestDb) -> World {
    world_on(db, Server::in_process(db))
}

/// The world on the real `josei serve`, started with extra arguments.
fn world_served(db: &TestDb, serve_args: &[&str]) -> World {
    world_on(db, Server::start_with(db, serve_args))
}

fn world_on(db: &TestDb, server: Server) -> World {
    cli_add_admin(db);
    let mut admin = server.client();
    admin.login("admin", ADMIN_PASSWORD);
    let (s, org) = admin.post(
        "/api/v1/organizations",
        &json!({"prefecture": 13, "employer": case01_document()["employer"]}),
    );
    assert_eq!(s, 201, "{org}");
    let org_id = org["id"].as_i64().unwrap();
    let (s, other) = admin.post(
        "/api/v1/organizations",
        &json!({"prefecture": 27, "employer": case01_document()["employer"]}),
    );
    assert_eq!(s, 201, "{other}");
    for (name, role, extra) in [
        ("emp", "employer", json!({"organization_id": org_id})),
        ("emp2", "employer", json!({"organization_id": other["id"]})),
        ("agent", "agent", json!({})),
        ("agent2", "agent", json!({})),
        ("tokyo", "officer", json!({"prefecture": 13})),
        ("osaka", "officer", json!({"prefecture": 27})),
        ("advisor", "advisor", json!({})),
        ("judge", "judge", json!({})),
    ] {
        let mut body = json!({"username": name, "password": PASSWORD, "role": role});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (s, u) = admin.post("/api/v1/users", &body);
        assert_eq!(s, 201, "{u}");
    }
    let login = |name: &str| {
        let mut c = server.client();
        c.login(name, PASSWORD);
        c
    };
    World {
        employer: login("emp"),
        agent: login("agent"),
        officer: login("tokyo"),
        other_officer: login("osaka"),
        advisor: login("advisor"),
        judge: login("judge"),
        admin,
        org_id,
        server,
    }
}

fn version(c: &Value) -> i64 {
    c["case"]["version"].as_i64().unwrap()
}

/// Creates a case and stores case 01's inputs (clock on 2022-06-01).
fn new_case(w: &mut World) -> (i64, Value) {
    set_clock(&mut w.admin, "2022-06-01");
    let (s, c) = w
        .employer
        .post("/api/v1/cases", &json!({"title": "テレワーク導入計画"}));
    assert_eq!(s, 201, "{c}");
    let id = c["case"]["id"].as_i64().unwrap();
    let (s, c) = w.employer.put(
        &format!("/api/v1/cases/{id}/inputs"),
        &json!({"version": version(&c), "document": case01_document()}),
    );
    assert_eq!(s, 200, "{c}");
    (id, c)
}

/// The case's audit log, and the actions in it in order.
fn audit_actions(c: &mut Client, id: i64) -> (Vec<String>, Value) {
    let (s, log) = c.get(&format!("/api/v1/cases/{id}/audit"));
    assert_eq!(s, 200, "{log}");
    let actions = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    (actions, log)
}

fn set_clock(admin: &mut Client, day: &str) {
    let (s, r) = admin.put("/api/v1/admin/clock", &json!({"today": day}));
    assert_eq!(s, 200, "{r}");
}

fn act(c: &mut Client, id: i64, action: &str, body: Value) -> (u16, Value) {
    let (s, current) = c.get(&format!("/api/v1/cases/{id}"));
    assert_eq!(s, 200, "{current}");
    let mut b = body;
    if b.get("version").is_none() {
        b["version"] = json!(version(&current));
    }
    c.post(&format!("/api/v1/cases/{id}/actions/{action}"), &b)
}

#[test]
fn a_plan_from_draft_to_goal_decision() {
    for db in backends() {
        let mut w = world_served(&db, &[]);
        let (id, c) = new_case(&mut w);
        assert_eq!(c["case"]["status"], "draft");
        assert_eq!(
            c["document"]["plan"]["target_workers"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
        assert_eq!(c["actions"], json!(["submit_plan", "withdraw"]));

        set_clock(&mut w.admin, "2022-06-15");
        let (s, c) = act(&mut w.employer, id, "submit_plan", json!({}));
        assert_eq!(s, 200, "{c}");
        assert_eq!(
            (
                c["case"]["status"].as_str(),
                c["case"]["submitted_on"].as_str(),
                c["case"]["regime"].as_str()
            ),
            (Some("plan_submitted"), Some("2022-06-15"), Some("R4"))
        );

        set_clock(&mut w.admin, "2022-07-01");
        let (s, c) = act(&mut w.officer, id, "certify_plan", json!({}));
        assert_eq!(s, 200, "{c}");
        assert_eq!(c["case"]["certified_on"], "2022-07-01");

        set_clock(&mut w.admin, "2022-08-01");
        let (s, c) = act(w.agent_or_employer(), id, "start_evaluation", json!({}));
        assert_eq!(s, 200, "{c}");
        assert_eq!(c["next_deadline"]["kind"], "evaluation_period_end");
        assert_eq!(c["next_deadline"]["date"], "2022-10-31");

        // Filing before evaluation period 1 ends is refused with the engine's reason.
        set_clock(&mut w.admin, "2022-10-15");
        let (s, e) = act(&mut w.employer, id, "file_equipment", json!({}));
        assert_eq!(s, 409, "{e}");
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("評価期間の終了日 2022-10-31"),
            "{e}"
        );

        set_clock(&mut w.admin, "2022-11-25");
        let (s, c) = act(&mut w.employer, id, "file_equipment", json!({}));
        assert_eq!(s, 200, "{c}");
        assert_eq!(c["case"]["equipment_application_filed_on"], "2022-11-25");

        set_clock(&mut w.admin, "2022-12-20");
        let (s, c) = act(&mut w.officer, id, "grant_equipment", json!({}));
        assert_eq!(s, 200, "{c}");
        let d = &c["decision"];
        assert_eq!(
            (
                d["kind"].as_str(),
                d["outcome"].as_str(),
                d["engine_status"].as_str()
            ),
            (Some("equipment"), Some("granted"), Some("payable"))
        );
        assert_eq!(
            (
                d["engine_amount_yen"].as_i64(),
                d["decided_amount_yen"].as_i64(),
                d["overrides_engine"].as_bool()
            ),
            (Some(104_940), Some(104_940), Some(false))
        );
        assert_eq!(d["regime"], "R4");
        assert!(d["overlay_sha256"].is_null(), "no overlay in force");
        let used: Vec<&str> = d["assumptions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["parameter"].as_str().unwrap())
            .collect();
        assert!(used.contains(&"premium_condition"), "{used:?}");
        assert!(!d["engine_version"].as_str().unwrap().is_empty());
        assert_eq!(d["evaluation"]["equipment_subsidy"]["amount_yen"], 104_940);

        let (s, c) = act(&mut w.employer, id, "start_goal_tracking", json!({}));
        assert_eq!(s, 200, "{c}");
        set_clock(&mut w.admin, "2023-11-20");
        let (s, c) = act(&mut w.employer, id, "file_goal", json!({}));
        assert_eq!(s, 200, "{c}");
        set_clock(&mut w.admin, "2024-01-15");
        let (s, c) = act(&mut w.officer, id, "grant_goal", json!({}));
        assert_eq!(s, 200, "{c}");
        assert_eq!(c["decision"]["decided_amount_yen"], 69_960);
        let (s, c) = act(&mut w.officer, id, "close", json!({}));
        assert_eq!(s, 200, "{c}");
        assert_eq!(c["case"]["status"], "closed");

        // The audit trail: every step, who, before and after.
        let (actions, log) = audit_actions(&mut w.officer, id);
        assert_eq!(
            actions,
            [
                "case.create",
                "case.inputs",
                "case.submit_plan",
                "case.certify_plan",
                "case.start_evaluation",
                "case.file_equipment",
                "case.grant_equipment",
                "case.start_goal_tracking",
                "case.file_goal",
                "case.grant_goal",
                "case.close"
            ]
        );
        let grant = &log[6];
        assert_eq!(grant["before"]["status"], "equipment_filed");
        assert_eq!(grant["after"]["status"], "equipment_granted");
        assert!(grant["after"]["decision_id"].is_i64());
        assert!(grant["user_id"].is_i64() && !grant["at"].as_str().unwrap().is_empty());
        assert_eq!(log[1]["after"]["record_counts"]["telework"], 45);
        let (_, decisions) = w.employer.get(&format!("/api/v1/cases/{id}/decisions"));
        assert_eq!(decisions.as_array().unwrap().len(), 2);
        drop(w.server);
    }
}

/// Case 09 of the shared cases (令和7年度, no plan), as the inputs of a stored case.
fn case09_document() -> Value {
    let mut v: Value = serde_json::from_str(
        &std::fs::read_to_string(shared().join("cases/09-r7-system-introduction.json")).unwrap(),
    )
    .unwrap();
    let o = v.as_object_mut().unwrap();
    o.remove("as_of");
    o.remove("equipment_application_filed_on");
    o.remove("goal_application_filed_on");
    v
}

#[test]
fn an_r7_case_from_draft_to_goal_decision_without_a_plan() {
    for db in backends() {
        let overlay = dir(&db).join("corrections.toml");
        let overlay_text = "[regime.R6.values.goal_rate_percent]\nvalue = 20\ngrade = \"official\"\nsource = \"令和6年度 支給要領（訂正の試験）\"\n";
        std::fs::write(&overlay, overlay_text).unwrap();
        let mut w = world_served(&db, &["--regimes", overlay.to_str().unwrap()]);
        set_clock(&mut w.admin, "2025-04-05");
        let (s, c) = w.employer.post(
            "/api/v1/cases",
            &json!({"title": "テレワーク制度の導入（令和7年度）"}),
        );
        assert_eq!(s, 201, "{c}");
        let id = c["case"]["id"].as_i64().unwrap();
        // No plan: the draft's only way forward is the evaluation period.
        assert_eq!(c["actions"], json!(["start_evaluation", "withdraw"]));
        assert_eq!(c["procedure"], "no_plan");
        let (s, c) = w.employer.put(
            &format!("/api/v1/cases/{id}/inputs"),
            &json!({"version": version(&c), "document": case09_document()}),
        );
        assert_eq!(s, 200, "{c}");
        // Every new input is stored and comes back as given.
        let stored = &c["document"];
        let given = case09_document();
        for key in [
            "workplace_climate",
            "measures",
            "wage_increase",
            "evaluation_start",
        ] {
            assert_eq!(stored[key], given[key], "{key}");
        }
        assert_eq!(stored["employer"]["disqualifications"], json!([]));
        assert_eq!(c["evaluation"]["regime"], "R7");
        assert_eq!(c["evaluation"]["equipment_subsidy"]["name"], "制度導入助成");
        assert_eq!(c["next_deadline"]["kind"], "measures_window_end");
        assert_eq!(c["next_deadline"]["date"], "2025-06-30");

        // Submitting a plan is refused with the 令和7年度 procedure.
        let (s, e) = act(&mut w.employer, id, "submit_plan", json!({}));
        assert_eq!(s, 409, "{e}");
        let m = e["error"]["message"].as_str().unwrap();
        assert!(
            m.contains("令和7年度") && m.contains("評価期間を開始"),
            "{m}"
        );
        // The bureau does not see the draft, let alone certify a plan.
        let (s, _) = w.officer.post(
            &format!("/api/v1/cases/{id}/actions/certify_plan"),
            &json!({"version": 1}),
        );
        assert_eq!(s, 404);

        set_clock(&mut w.admin, "2025-07-01");
        let (s, c) = act(w.agent_or_employer(), id, "start_evaluation", json!({}));
        assert_eq!(s, 200, "{c}");
        assert_eq!(
            (c["case"]["status"].as_str(), c["case"]["regime"].as_str()),
            (Some("evaluation"), Some("R7"))
        );
        assert_eq!(c["status_label"], "評価期間中");
        assert_eq!(c["next_deadline"]["date"], "2025-09-30");

        // Filing before evaluation period 1 ends is refused with the engine's reason.
        set_clock(&mut w.admin, "2025-09-15");
        let (s, e) = act(&mut w.employer, id, "file_equipment", json!({}));
        assert_eq!(s, 409, "{e}");
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("2025-09-30"),
            "{e}"
        );

        set_clock(&mut w.admin, "2025-10-25");
        let (s, c) = act(&mut w.employer, id, "file_equipment", json!({}));
        assert_eq!(s, 200, "{c}");
        assert_eq!(c["status_label"], "制度導入助成 申請済み");

        set_clock(&mut w.admin, "2025-11-10");
        let (s, c) = act(&mut w.officer, id, "grant_equipment", json!({}));
        assert_eq!(s, 200, "{c}");
        let d = &c["decision"];
        assert_eq!(
            (
                d["engine_amount_yen"].as_i64(),
                d["decided_amount_yen"].as_i64()
            ),
            (Some(200_000), Some(200_000))
        );
        assert_eq!(d["regime"], "R7");
        assert_eq!(d["engine_status"], "payable");
        // The decision records the grades it rested on and the overlay in force.
        use sha2::{Digest, Sha256};
        let hash: String = Sha256::digest(overlay_text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(d["overlay_sha256"], hash.as_str());
        let used: Vec<&str> = d["assumptions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["parameter"].as_str().unwrap())
            .collect();
        assert!(used.contains(&"measures_window_start"), "{used:?}");

        let (s, c) = act(&mut w.employer, id, "start_goal_tracking", json!({}));
        assert_eq!(s, 200, "{c}");
        set_clock(&mut w.admin, "2026-10-25");
        let (s, c) = act(&mut w.employer, id, "file_goal", json!({}));
        assert_eq!(s, 200, "{c}");
        set_clock(&mut w.admin, "2026-11-10");
        let (s, c) = act(&mut w.officer, id, "grant_goal", json!({}));
        assert_eq!(s, 200, "{c}");
        assert_eq!(c["decision"]["decided_amount_yen"], 100_000);
        let (s, c) = act(&mut w.officer, id, "close", json!({}));
        assert_eq!(s, 200, "{c}");

        let (actions, log) = audit_actions(&mut w.officer, id);
        assert_eq!(
            actions,
            [
                "case.create",
                "case.inputs",
                "case.start_evaluation",
                "case.file_equipment",
                "case.grant_equipment",
                "case.start_goal_tracking",
                "case.file_goal",
                "case.grant_goal",
                "case.close"
            ]
        );
        assert_eq!(log[1]["after"]["record_counts"]["measures"], 2);
        drop(w.server);
    }
}

#[test]
fn a_plan_submitted_today_is_refused_with_the_no_plan_procedure() {
    for db in backends() {
        let mut w = world(&db);
        set_clock(&mut w.admin, "2026-11-22");
        let (s, c) = w
            .employer
            .post("/api/v1/cases", &json!({"title": "テレワーク導入"}));
        assert_eq!(s, 201, "{c}");
        let id = c["case"]["id"].as_i64().unwrap();
        // A plan-year document without plan dates: evaluated under today's rules.
        let mut doc = case01_document();
        doc.as_object_mut().unwrap().remove("evaluation_start");
        let (s, c) = w.employer.put(
            &format!("/api/v1/cases/{id}/inputs"),
            &json!({"version": version(&c), "document": doc}),
        );
        assert_eq!(s, 200, "{c}");
        assert_eq!(c["evaluation"]["regime"], "R8");
        assert_eq!(c["evaluation"]["regime_name"], "令和8年度");
        assert!(!c["actions"]
            .as_array()
            .unwrap()
            .contains(&json!("submit_plan")));
        let (s, e) = act(&mut w.employer, id, "submit_plan", json!({}));
        assert_eq!(s, 409, "{e}");
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("令和7年度から"),
            "{e}"
        );
        // Starting the evaluation needs its first day.
        let (s, e) = act(&mut w.employer, id, "start_evaluation", json!({}));
        assert_eq!(s, 409, "{e}");
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("評価期間の初日"),
            "{e}"
        );
        // New invalid inputs answer 422 with the field path; nothing is stored.
        let (_, before) = w.employer.get(&format!("/api/v1/cases/{id}"));
        for (key, value, field) in [
            (
                "measures",
                json!([{"kind": "party", "on": "2026-12-01"}]),
                "measures[0].kind",
            ),
            (
                "wage_increase",
                json!({"before_yen": -1, "after_yen": 10}),
                "wage_increase.before_yen",
            ),
            ("telework_before_count", json!(-1), "telework_before_count"),
        ] {
            let mut bad = doc.clone();
            bad[key] = value;
            let (s, e) = w.employer.put(
                &format!("/api/v1/cases/{id}/inputs"),
                &json!({"version": version(&before), "document": bad}),
            );
            assert_eq!(s, 422, "{e}");
            assert_eq!(e["error"]["field"], field);
        }
        let (_, after) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(version(&after), version(&before));
        drop(w.server);
    }
}

/// Posts the web login form; returns the status and the `Location` header.
fn web_login_post(c: &Client, user: &str, password: &str, next: &str) -> (u16, String) {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    // As a browser does: the login page first, its form token and cookie.
    let (c, token) = login_form_token(c);
    let body = format!(
        "username={}&password={}&next={}&login_csrf={}",
        enc(user),
        enc(password),
        enc(next),
        enc(&token)
    );
    let (s, headers, _) = c.raw(
        "POST",
        "/login",
        Some("application/x-www-form-urlencoded"),
        body.as_bytes(),
    );
    let location = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("location"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    (s, location)
}

/// A copy of `c` holding the login page's cookie, and the page's form token.
fn login_form_token(c: &Client) -> (Client, String) {
    let (s, headers, page) = c.raw("GET", "/login", None, b"");
    assert_eq!(s, 200);
    let cookie = headers
        .iter()
        .find(|(k, v)| k == "set-cookie" && v.starts_with("josei_login="))
        .map(|(_, v)| v.split(';').next().unwrap().to_string())
        .expect("the login page sets its form cookie");
    let page = String::from_utf8_lossy(&page);
    let token = page
        .split("name=\"login_csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the login form carries its token")
        .to_string();
    let mut with_cookie = c.clone();
    with_cookie.cookie = Some(cookie);
    (with_cookie, token)
}

#[test]
fn login_forms_from_elsewhere_are_refused() {
    let db = backends().remove(0);
    let w = world(&db);
    let c = w.server.client();
    let form = format!("username=emp&password={PASSWORD}&next=%2F");
    let post = |c: &Client, body: &str| {
        let (s, h, page) = c.raw(
            "POST",
            "/login",
            Some("application/x-www-form-urlencoded"),
            body.as_bytes(),
        );
        let signed_in = h.iter().any(|(k, v)| {
            k == "set-cookie" && v.starts_with("josei_session=") && !v.contains("Max-Age=0")
        });
        (s, signed_in, String::from_utf8_lossy(&page).into_owned())
    };
    // A post from another site carries neither the cookie nor the token.
    let (s, signed_in, page) = post(&c, &form);
    assert_eq!((s, signed_in), (403, false));
    assert!(page.contains("もう一度ログインしてください"), "{page}");
    // A token without its cookie, or a cookie with another token, is refused too.
    let (with_cookie, token) = login_form_token(&c);
    let (s, signed_in, _) = post(&c, &format!("{form}&login_csrf={token}"));
    assert_eq!((s, signed_in), (403, false));
    let (s, signed_in, _) = post(&with_cookie, &format!("{form}&login_csrf=forged"));
    assert_eq!((s, signed_in), (403, false));
    // The page's own form signs in.
    let (s, signed_in, _) = post(&with_cookie, &format!("{form}&login_csrf={token}"));
    assert_eq!((s, signed_in), (303, true));
}

#[test]
fn logins_are_limited_per_user_and_address_and_follow_only_local_paths() {
    let db = backends().remove(0);
    let w = world(&db);
    // Web logins no longer share one key: failures for one user lock only that user.
    let c = w.server.client();
    for i in 0..6 {
        let (s, _) = web_login_post(&c, &format!("nobody{i}"), "wrong-password-1", "/");
        assert_eq!(s, 401, "attempt {i}");
    }
    for _ in 0..4 {
        let (s, _) = web_login_post(&c, "osaka", "wrong-password-1", "/");
        assert_eq!(s, 401);
    }
    let (s, location) = web_login_post(&c, "emp", PASSWORD, "/cases");
    assert_eq!(
        (s, location.as_str()),
        (303, "/cases"),
        "another user still logs in"
    );
    // Parallel guesses never check more passwords than the limit.
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..12)
            .map(|_| {
                let c = w.server.client();
                scope.spawn(move || web_login_post(&c, "tokyo", "wrong-password-1", "/").0)
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert!(
        checked <= 5,
        "{checked} passwords checked in parallel: {statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "{statuses:?}"
    );
    // The locked account does not let the right password through.
    let (s, _) = web_login_post(&c, "tokyo", PASSWORD, "/");
    assert_eq!(s, 429);
    // Without --trusted-proxy, X-Forwarded-For cannot dodge the per-address limit.
    let mut spoofing = w.server.client();
    for i in 0..20 {
        spoofing.headers = vec![("X-Forwarded-For".into(), format!("10.0.0.{i}"))];
        web_login_post(&spoofing, &format!("ghost{i}"), "wrong-password-1", "/");
    }
    spoofing.headers = vec![("X-Forwarded-For".into(), "10.9.9.9".into())];
    let (s, _) = web_login_post(&spoofing, "agent", PASSWORD, "/");
    assert_eq!(s, 429, "the peer address counts, not the header");

    // After login only paths on this site are followed; bad `next` values never fail.
    let fresh = {
        drop(w);
        let db = backends().remove(0);
        world(&db)
    };
    let mut c = fresh.server.client();
    for next in [
        "/\t/evil.example/",
        "//evil.example/",
        "/cases\r\nX-Evil: 1",
        "/a\u{0}b",
    ] {
        let (s, location) = web_login_post(&c, "emp", PASSWORD, next);
        assert_eq!((s, location.as_str()), (303, "/"), "{next:?}");
    }
    let (s, page) = c.get_raw("/login?next=/%09/evil.example/");
    assert_eq!(s, 200);
    let page = String::from_utf8_lossy(&page);
    assert!(page.contains("name=\"next\" value=\"/\""), "{page}");
}

#[test]
fn security_headers_on_every_response() {
    let db = backends().remove(0);
    let w = world(&db);
    let header = |headers: &[(String, String)], name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let anonymous = w.server.client();
    for path in [
        "/",
        "/diagnosis",
        "/login",
        "/api/v1/openapi.json",
        "/no-such-page",
    ] {
        let (_, h, _) = anonymous.raw("GET", path, None, b"");
        let csp = header(&h, "content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{path}: {csp}"
        );
        assert_eq!(
            header(&h, "x-content-type-options").as_deref(),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            header(&h, "referrer-policy").as_deref(),
            Some("same-origin"),
            "{path}"
        );
        assert!(
            header(&h, "strict-transport-security").is_none(),
            "no HSTS without HTTPS"
        );
    }
    // Whatever a signed-in user receives is never stored by the browser.
    for path in ["/cases", "/api/v1/me"] {
        let (_, h, _) = w.employer.raw("GET", path, None, b"");
        assert_eq!(
            header(&h, "cache-control").as_deref(),
            Some("no-store"),
            "{path}"
        );
    }
    // The plan editor's script is a file of this site, not inline.
    let (s, h, body) = anonymous.raw("GET", "/plan.js", None, b"");
    assert_eq!(s, 200);
    assert!(header(&h, "content-type")
        .unwrap_or_default()
        .contains("javascript"));
    assert!(String::from_utf8_lossy(&body).contains("data-caps"));
}

#[test]
fn text_is_checked_at_the_boundary_the_same_on_both_backends() {
    for db in backends() {
        let mut w = world(&db);
        // The public login: NUL or absurd names are a wrong password, never a 500.
        let anon = w.server.client();
        for name in ["a\u{0}b", &"x".repeat(5000)] {
            let (s, _, _) = anon.raw(
                "POST",
                "/api/v1/login",
                Some("application/json"),
                json!({"username": name, "password": "whatever-123456"})
                    .to_string()
                    .as_bytes(),
            );
            assert_eq!(s, 401, "{}", name.len());
        }
        // Titles: the API and the pages accept the same.
        for title in [
            "a\u{0}b".to_string(),
            "x".repeat(2_000_000),
            "請求\u{202E}書".to_string(),
        ] {
            let (s, e) = w.employer.post("/api/v1/cases", &json!({"title": title}));
            assert_eq!(s, 422, "{e}");
            assert_eq!(e["error"]["field"], "title");
        }
        let (id, c) = new_case(&mut w);
        let v = version(&c);
        for (pointer, value, field) in [
            (
                "/employer/name",
                json!("株式会社\u{202E}テスト"),
                "employer.name",
            ),
            (
                "/telework/0/worker",
                json!("E\u{0}01"),
                "telework[0].worker",
            ),
            (
                "/expenses/0/description",
                json!("x".repeat(5_000)),
                "expenses[0].description",
            ),
        ] {
            let mut doc = case01_document();
            *doc.pointer_mut(pointer).unwrap() = value;
            let (s, e) = w.employer.put(
                &format!("/api/v1/cases/{id}/inputs"),
                &json!({"version": v, "document": doc}),
            );
            assert_eq!(s, 422, "{pointer}: {e}");
            assert_eq!(e["error"]["field"], field);
        }
        // A description may break lines.
        let mut doc = case01_document();
        doc["expenses"][0]["description"] = json!("就業規則の改定\n社労士報酬");
        let (s, e) = w.employer.put(
            &format!("/api/v1/cases/{id}/inputs"),
            &json!({"version": v, "document": doc}),
        );
        assert_eq!(s, 200, "{e}");
        drop(w.server);
    }
}

#[test]
fn api_tokens_are_listed_revoked_and_expire_and_passwords_change() {
    for db in backends() {
        let mut w = world(&db);
        // Issuing: the lifetime is bounded.
        for days in [0, 366] {
            let (s, e) = w.employer.post(
                "/api/v1/tokens",
                &json!({"name": "x", "expires_in_days": days}),
            );
            assert_eq!(s, 422, "{e}");
        }
        let (s, made) = w
            .employer
            .post("/api/v1/tokens", &json!({"name": "会計ソフト"}));
        assert_eq!(s, 201, "{made}");
        let days = (made["expires_at_ms"].as_i64().unwrap() - josei_store::now_ms()) / 86_400_000;
        assert!((89..=90).contains(&days), "{days}");
        let mut machine = w.server.client();
        machine.bearer = Some(made["token"].as_str().unwrap().to_string());
        assert_eq!(machine.get("/api/v1/me").0, 200);
        // Listing shows the token's facts, never the token.
        let (s, list) = w.employer.get("/api/v1/tokens");
        assert_eq!(s, 200);
        assert_eq!(list[0]["name"], "会計ソフト");
        assert!(
            list[0].get("token").is_none()
                && !list.to_string().contains(made["token"].as_str().unwrap())
        );
        // Signing out with the token revokes it.
        assert_eq!(machine.post("/api/v1/logout", &json!({})).0, 204);
        assert_eq!(machine.get("/api/v1/me").0, 401);
        // Revoking by id; again is 404, and so is another user's token.
        let (_, second) = w
            .employer
            .post("/api/v1/tokens", &json!({"name": "二つ目"}));
        machine.bearer = Some(second["token"].as_str().unwrap().to_string());
        assert_eq!(machine.get("/api/v1/me").0, 200);
        let (_, agent_token) = w.agent.post("/api/v1/tokens", &json!({"name": "agent"}));
        assert_eq!(
            w.employer
                .delete(&format!("/api/v1/tokens/{}", agent_token["id"]))
                .0,
            404
        );
        assert_eq!(
            w.employer
                .delete(&format!("/api/v1/tokens/{}", second["id"]))
                .0,
            204
        );
        assert_eq!(
            w.employer
                .delete(&format!("/api/v1/tokens/{}", second["id"]))
                .0,
            404
        );
        assert_eq!(machine.get("/api/v1/me").0, 401);
        // A disabled account's tokens stay dead when it is enabled again.
        let (_, third) = w
            .employer
            .post("/api/v1/tokens", &json!({"name": "三つ目"}));
        machine.bearer = Some(third["token"].as_str().unwrap().to_string());
        assert_eq!(machine.get("/api/v1/me").0, 200);
        for args in [["user", "disable", "emp"], ["user", "enable", "emp"]] {
            let out = cli(&db, &args, None);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_eq!(machine.get("/api/v1/me").0, 401);

        // Passwords: the current one is required, the policy holds, other sessions end.
        let mut a = w.server.client();
        a.login("agent", PASSWORD);
        let mut b = w.server.client();
        b.login("agent", PASSWORD);
        let change = |c: &mut Client, current: &str, new: &str| {
            c.put(
                "/api/v1/me/password",
                &json!({"current_password": current, "new_password": new}),
            )
        };
        assert_eq!(
            change(&mut a, "wrong-password-00", "a-new-password-1").0,
            403
        );
        for weak in ["short", "            ", "agent", "AGENT"] {
            let (s, e) = change(&mut a, PASSWORD, weak);
            assert_eq!(s, 422, "{weak:?}: {e}");
            assert_eq!(e["error"]["field"], "new_password");
        }
        let (s, e) = change(&mut a, PASSWORD, "a-new-password-1");
        assert_eq!(s, 204, "{e}");
        assert_eq!(a.get("/api/v1/me").0, 200, "this session stays");
        assert_eq!(b.get("/api/v1/me").0, 401, "the other session ended");
        let mut c = w.server.client();
        c.login("agent", "a-new-password-1");
        assert_eq!(c.get("/api/v1/me").0, 200);
        // Creating a user applies the same policy.
        let (s, e) = w.admin.post(
            "/api/v1/users",
            &json!({"username": "sameasname12", "password": "sameasname12", "role": "admin"}),
        );
        assert_eq!(s, 422, "{e}");
        drop(w.server);
    }
}

#[test]
fn idle_connections_are_closed_and_cannot_starve_real_clients() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    let db = backends().remove(0);
    let server = Server::start(&db);
    let host = server.base.trim_start_matches("http://").to_string();
    // Many idle connections (each holds a place for 10 s at most).
    let idle: Vec<TcpStream> = (0..2_000)
        .map(|_| TcpStream::connect(&host).unwrap())
        .collect();
    // A half-sent request as well (a slow client).
    let mut slow = TcpStream::connect(&host).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    // Real clients are still served at once.
    let started = std::time::Instant::now();
    let mut c = server.client();
    while c.get_raw("/diagnosis").0 != 200 {
        assert!(started.elapsed().as_secs() < 5, "a real client was starved");
    }
    // After the header-read timeout the idle and slow connections are closed.
    std::thread::sleep(std::time::Duration::from_secs(11));
    slow.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 512];
    // A read that times out means the server still holds the connection open.
    let n = slow
        .read(&mut buf)
        .expect("the slow connection is still open");
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(n == 0 || answer.starts_with("HTTP/1.1 408"), "{answer}");
    let mut first = idle.into_iter().next().unwrap();
    first
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    match first.read(&mut buf) {
        Ok(0) => {}
        other => panic!("an idle connection is still open: {other:?}"),
    }
    assert_eq!(c.get_raw("/diagnosis").0, 200);
}

#[test]
fn what_a_decision_rests_on_changes_only_by_an_amendment() {
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
        set_clock(&mut w.admin, "2022-12-20");
        assert_eq!(act(&mut w.officer, id, "grant_equipment", json!({})).0, 200);
        let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
        let put = |c: &mut Client, version: i64, doc: &Value, reason: Option<&str>| {
            let mut body = json!({"version": version, "document": doc});
            if let Some(r) = reason {
                body["amendment_reason"] = json!(r);
            }
            c.put(&format!("/api/v1/cases/{id}/inputs"), &body)
        };
        // Expenses after the decision: refused without a reason, nothing stored.
        let mut doc = c["document"].clone();
        doc["expenses"][0]["amount_yen"] = json!(999_000);
        let (s, e) = put(&mut w.employer, version(&c), &doc, None);
        assert_eq!(s, 409, "{e}");
        assert!(
            e["error"]["message"].as_str().unwrap().contains("経費"),
            "{e}"
        );
        let (_, same) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(same["document"]["expenses"][0]["amount_yen"], 132_000);
        // The evaluation start and period-1 telework records too.
        let mut moved = c["document"].clone();
        moved["evaluation_start"] = json!("2022-09-01");
        assert_eq!(put(&mut w.employer, version(&c), &moved, None).0, 409);
        let mut fewer = c["document"].clone();
        fewer["telework"]
            .as_array_mut()
            .unwrap()
            .retain(|d| d["date"] != "2022-08-03");
        assert_eq!(put(&mut w.employer, version(&c), &fewer, None).0, 409);
        // Records for the goal period stay open to ordinary edits.
        let mut more = c["document"].clone();
        more["telework"]
            .as_array_mut()
            .unwrap()
            .push(json!({"worker": "E004", "date": "2023-08-03", "place": "home"}));
        let (s, e) = put(&mut w.employer, version(&c), &more, None);
        assert_eq!(s, 200, "{e}");
        // An amendment with its reason goes through and is in the audit log.
        let (s, amended) = put(
            &mut w.employer,
            version(&e),
            &doc,
            Some("領収書の金額の誤りを訂正"),
        );
        assert_eq!(s, 200, "{amended}");
        assert_eq!(amended["document"]["expenses"][0]["amount_yen"], 999_000);
        let (actions, log) = audit_actions(&mut w.officer, id);
        assert_eq!(actions.last().unwrap(), "case.amend");
        assert_eq!(
            log.as_array().unwrap().last().unwrap()["after"]["amendment_reason"],
            "領収書の金額の誤りを訂正"
        );
        drop(w.server);
    }
}

impl World {
    /// The agent, once delegated: the 社労士 acts for the employer.
    fn agent_or_employer(&mut self) -> &mut Client {
        let (s, r) = self.employer.post(
            &format!("/api/v1/organizations/{}/delegations", self.org_id),
            &json!({"agent": "agent"}),
        );
        assert!(s == 201 || s == 409, "{r}");
        &mut self.agent
    }
}

#[test]
fn the_role_matrix() {
    for db in backends() {
        let mut w = world(&db);
        let (id, _) = new_case(&mut w);
        let path = format!("/api/v1/cases/{id}");
        // Who sees the case.
        assert_eq!(w.employer.get(&path).0, 200);
        // A draft is the employer's own: the bureau sees it once it is sent.
        assert_eq!(w.officer.get(&path).0, 404, "a draft");
        assert_eq!(
            w.officer.get("/api/v1/cases").1.as_array().unwrap().len(),
            0
        );
        set_clock(&mut w.admin, "2022-06-15");
        assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);
        assert_eq!(
            w.officer.get(&path).0,
            200,
            "officer of the case's prefecture"
        );
        assert_eq!(w.admin.get(&path).0, 200);
        assert_eq!(
            w.other_officer.get(&path).0,
            404,
            "another bureau: as if it did not exist"
        );
        assert_eq!(w.agent.get(&path).0, 404, "no delegation yet");
        let mut emp2 = w.server.client();
        emp2.login("emp2", PASSWORD);
        assert_eq!(emp2.get(&path).0, 404, "another employer");
        assert_eq!(w.server.client().get(&path).0, 401, "nobody");
        assert_eq!(
            w.other_officer.get("/api/v1/cases/999999").0,
            404,
            "missing looks the same"
        );
        // Lists are filtered the same way.
        assert_eq!(
            w.other_officer
                .get("/api/v1/cases")
                .1
                .as_array()
                .unwrap()
                .len(),
            0
        );
        assert_eq!(
            w.officer.get("/api/v1/cases").1.as_array().unwrap().len(),
            1
        );

        // Delegation gives the agent access; revocation takes it away.
        let (s, _) = w.employer.post(
            &format!("/api/v1/organizations/{}/delegations", w.org_id),
            &json!({"agent": "agent"}),
        );
        assert_eq!(s, 201);
        assert_eq!(w.agent.get(&path).0, 200);
        let mut agent2 = w.server.client();
        agent2.login("agent2", PASSWORD);
        assert_eq!(agent2.get(&path).0, 404);
        assert_eq!(
            w.agent
                .get("/api/v1/organizations")
                .1
                .as_array()
                .unwrap()
                .len(),
            1
        );
        // Only the employer (or an admin) delegates; another employer cannot.
        assert_eq!(
            emp2.post(
                &format!("/api/v1/organizations/{}/delegations", w.org_id),
                &json!({"agent": "agent2"})
            )
            .0,
            404
        );
        assert_eq!(
            w.agent
                .post(
                    &format!("/api/v1/organizations/{}/delegations", w.org_id),
                    &json!({"agent": "agent2"})
                )
                .0,
            403
        );
        assert_eq!(
            w.employer
                .delete(&format!(
                    "/api/v1/organizations/{}/delegations/agent",
                    w.org_id
                ))
                .0,
            204
        );
        assert_eq!(w.agent.get(&path).0, 404);

        // What each role may do to a visible case.
        let (s, e) = act(&mut w.employer, id, "certify_plan", json!({}));
        assert_eq!(s, 403, "{e}");
        let (s, c) = w.officer.get(&path);
        assert_eq!(s, 200);
        let (s, e) = w.officer.put(
            &format!("{path}/inputs"),
            &json!({"version": version(&c), "document": case01_document()}),
        );
        assert_eq!(s, 403, "officers do not edit inputs: {e}");
        assert_eq!(
            w.employer
                .post(
                    "/api/v1/users",
                    &json!({"username": "x", "password": PASSWORD, "role": "admin"})
                )
                .0,
            403
        );
        assert_eq!(
            w.officer.post("/api/v1/cases", &json!({"title": "x"})).0,
            403
        );
        assert_eq!(
            w.employer
                .put("/api/v1/admin/clock", &json!({"today": "2022-01-01"}))
                .0,
            403
        );
        // The audit log of another bureau's case is not visible either.
        assert_eq!(w.other_officer.get(&format!("{path}/audit")).0, 404);
        assert_eq!(w.other_officer.get(&format!("{path}/attachments")).0, 404);
    }
}

#[test]
fn illegal_transitions_and_stale_writes() {
    for db in backends() {
        let mut w = world(&db);
        let (id, c) = new_case(&mut w);
        // The bureau does not see a draft at all.
        let (s, e) = w.officer.post(
            &format!("/api/v1/cases/{id}/actions/grant_equipment"),
            &json!({"version": version(&c)}),
        );
        assert_eq!(s, 404, "{e}");
        let (s, e) = act(&mut w.employer, id, "file_equipment", json!({}));
        assert_eq!(s, 409, "{e}");
        assert!(
            e["error"]["message"].as_str().unwrap().contains("作成中"),
            "{e}"
        );
        assert_eq!(act(&mut w.employer, id, "no_such_action", json!({})).0, 404);

        // A stale version is refused and changes nothing.
        let stale = version(&c) - 1;
        let (s, e) = w.employer.put(
            &format!("/api/v1/cases/{id}/inputs"),
            &json!({"version": stale, "document": case01_document()}),
        );
        assert_eq!(s, 409, "{e}");
        assert_eq!(e["error"]["code"], "conflict");
        let (s, e) = act(
            &mut w.employer,
            id,
            "submit_plan",
            json!({"version": stale}),
        );
        assert_eq!(s, 409, "{e}");
        let (_, now) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(version(&now), version(&c));
        assert_eq!(now["case"]["status"], "draft");

        // Invalid inputs: 422 with the field path, nothing stored.
        let mut bad = case01_document();
        bad["expenses"][1]["amount_yen"] = json!(-5);
        let (s, e) = w.employer.put(
            &format!("/api/v1/cases/{id}/inputs"),
            &json!({"version": version(&c), "document": bad}),
        );
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["error"]["field"], "expenses[1].amount_yen");
        assert_eq!(e["error"]["code"], "negative");

        // Reasons are required where the workflow says so.
        set_clock(&mut w.admin, "2022-06-15");
        assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);
        let (s, e) = act(&mut w.officer, id, "return_plan", json!({}));
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("reason")));
        let (s, c) = act(
            &mut w.officer,
            id,
            "return_plan",
            json!({"reason": "対象労働者の記載を確認してください"}),
        );
        assert_eq!(s, 200, "{c}");
        assert_eq!(c["case"]["status"], "plan_returned");
        // Withdrawal from an open state; nothing after it.
        assert_eq!(act(&mut w.employer, id, "withdraw", json!({})).0, 200);
        assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 409);
    }
}

#[test]
fn an_officer_may_overrule_the_engine_only_with_a_reason() {
    for db in backends() {
        let mut w = world(&db);
        let (id, _) = new_case(&mut w);
        for (day, who, action) in [
            ("2022-06-15", "e", "submit_plan"),
            ("2022-07-01", "o", "certify_plan"),
            ("2022-08-01", "e", "start_evaluation"),
            ("2022-11-25", "e", "file_equipment"),
        ] {
            set_clock(&mut w.admin, day);
            let c = if who == "e" {
                &mut w.employer
            } else {
                &mut w.officer
            };
            let (s, r) = act(c, id, action, json!({}));
            assert_eq!(s, 200, "{action}: {r}");
        }
        // The engine says payable (104,940円): denying, or granting another amount, needs a reason.
        let (s, e) = act(&mut w.officer, id, "deny_equipment", json!({}));
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("reason")),
            "{e}"
        );
        let (s, e) = act(
            &mut w.officer,
            id,
            "grant_equipment",
            json!({"decided_amount_yen": 90000}),
        );
        assert_eq!(s, 422, "{e}");
        // Never above the engine's amount for the case (104,940 yen; the
        // subsidy's cap is 600,000 yen for 3 target workers), even with a reason.
        for amount in [104_941i64, 600_001, i64::MAX] {
            let (s, e) = act(
                &mut w.officer,
                id,
                "grant_equipment",
                json!({"decided_amount_yen": amount, "reason": "上限を超える額"}),
            );
            assert_eq!(s, 422, "{e}");
            assert_eq!(e["error"]["field"], "decided_amount_yen");
            assert!(
                e["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("104,940円"),
                "{e}"
            );
        }
        let (s, c) = act(
            &mut w.officer,
            id,
            "grant_equipment",
            json!({"decided_amount_yen": 90000, "reason": "領収書の一部が確認できないため減額"}),
        );
        assert_eq!(s, 200, "{c}");
        let d = &c["decision"];
        assert_eq!(
            (
                d["overrides_engine"].as_bool(),
                d["decided_amount_yen"].as_i64(),
                d["engine_amount_yen"].as_i64()
            ),
            (Some(true), Some(90_000), Some(104_940))
        );
        assert_eq!(d["reason"], "領収書の一部が確認できないため減額");
    }
}

#[test]
fn imports_in_both_encodings_with_bad_rows() {
    for db in backends() {
        let mut w = world(&db);
        let (id, c) = new_case(&mut w);
        let path = |kind: &str, v: i64, mode: &str| {
            format!("/api/v1/cases/{id}/imports/{kind}?version={v}&mode={mode}")
        };
        // Shift_JIS, as Excel writes it, with Japanese headers and values.
        let text = "従業員ID,日付,勤務場所\r\nE001,2022/8/5,在宅\r\nE002,2022/8/5,サテライトオフィス\r\nE003,2022/8/5,出社\r\n";
        let sjis = encode_sjis(text);
        let (s, r) =
            w.employer
                .post_bytes(&path("telework", version(&c), "replace"), "text/csv", &sjis);
        assert_eq!(s, 200, "{r}");
        assert_eq!(
            (
                r["import"]["rows"].as_i64(),
                r["import"]["encoding"].as_str()
            ),
            (Some(3), Some("shift_jis"))
        );
        assert_eq!(r["document"]["telework"].as_array().unwrap().len(), 3);
        assert_eq!(r["document"]["telework"][1]["place"], "satellite_office");

        // UTF-8 with BOM, English headers, appended.
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(b"worker,date,place\nE001,2022-08-06,home\n");
        let (s, r2) =
            w.employer
                .post_bytes(&path("telework", version(&r), "append"), "text/csv", &bom);
        assert_eq!(s, 200, "{r2}");
        assert_eq!(r2["import"]["encoding"], "utf8_bom");
        assert_eq!(r2["document"]["telework"].as_array().unwrap().len(), 4);

        // Bad rows: every one reported by line, nothing stored.
        let bad = "従業員ID,入社日,離職日,離職理由\nE1,2015/4/1,,\nE2,2015/13/1,,\nE3,2015-04-01,2014-01-01,自己都合\nE4,2015-04-01,,転職\n";
        let (s, e) = w.employer.post_bytes(
            &path("roster", version(&r2), "replace"),
            "text/csv",
            &encode_sjis(bad),
        );
        assert_eq!(s, 422, "{e}");
        let lines: Vec<i64> = e["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["line"].as_i64().unwrap())
            .collect();
        assert_eq!(lines, [3, 4, 5]);
        assert_eq!(e["error"]["code"], "import_rows");
        let (_, now) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(version(&now), version(&r2), "nothing stored");
        assert_eq!(now["document"]["roster"].as_array().unwrap().len(), 13);

        // A good roster replaces the old one.
        let good = "id,hired_on,left_on,leave_reason\nE1,2015-04-01,,\nE2,2015-04-01,2023-02-28,mandatory_retirement\n";
        let (s, r3) = w.employer.post_bytes(
            &path("roster", version(&now), "replace"),
            "text/csv",
            good.as_bytes(),
        );
        assert_eq!(s, 200, "{r3}");
        assert_eq!(r3["document"]["roster"].as_array().unwrap().len(), 2);
    }
}

#[test]
fn csrf_tokens_rate_limits_and_the_open_endpoints() {
    for db in backends() {
        let mut w = world(&db);
        // A cookie-authenticated write without the CSRF header is refused.
        let mut no_csrf = w.employer.clone();
        no_csrf.csrf = None;
        let (s, e) = no_csrf.post("/api/v1/cases", &json!({"title": "x"}));
        assert_eq!((s, e["error"]["code"].as_str()), (403, Some("forbidden")));
        // An API token works without cookie or CSRF.
        let (s, t) = w
            .employer
            .post("/api/v1/tokens", &json!({"name": "会計ソフト連携"}));
        assert_eq!(s, 201, "{t}");
        let mut machine = w.server.client();
        machine.bearer = Some(t["token"].as_str().unwrap().to_string());
        let (s, c) = machine.post("/api/v1/cases", &json!({"title": "API から"}));
        assert_eq!(s, 201, "{c}");
        machine.bearer = Some("wrong".into());
        assert_eq!(machine.get("/api/v1/cases").0, 401);

        // Logout ends the session.
        let mut emp = w.server.client();
        emp.login("emp", PASSWORD);
        assert_eq!(emp.post("/api/v1/logout", &json!({})).0, 204);
        assert_eq!(emp.get("/api/v1/me").0, 401);

        // Login attempts are limited.
        let mut attacker = w.server.client();
        for _ in 0..5 {
            assert_eq!(
                attacker
                    .post(
                        "/api/v1/login",
                        &json!({"username": "tokyo", "password": "wrong-password"})
                    )
                    .0,
                401
            );
        }
        let (s, e) = attacker.post(
            "/api/v1/login",
            &json!({"username": "tokyo", "password": PASSWORD}),
        );
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (429, Some("rate_limited"))
        );

        // Every error has the one shape, even the framework's.
        let (s, _, body) = w.employer.raw(
            "POST",
            "/api/v1/cases",
            Some("application/json"),
            b"{\"title\": 5",
        );
        let e: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (422, Some("invalid_body")),
            "{e}"
        );
        assert!(e["error"]["message"].is_string() && e["error"].get("field").is_some());
        let (s, e) = w.employer.get("/api/v1/cases/abc");
        assert_eq!((s, e["error"]["code"].as_str()), (404, Some("not_found")));
        let (s, e) = w.employer.get("/api/v1/nothing");
        assert_eq!((s, e["error"]["code"].as_str()), (404, Some("no_route")));
        let (s, e) = w.employer.delete("/api/v1/me");
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (405, Some("method_not_allowed"))
        );
        let (s, e) = w.employer.get("/api/v1/deadlines?within_days=soon");
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (422, Some("invalid_query"))
        );
        // The framework's own refusals come in the same shape, status kept.
        let (s, h, body) = w.employer.raw("POST", "/api/v1/cases", None, b"{}");
        let e: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (415, Some("unsupported_media_type")),
            "{h:?} {e}"
        );
        let (s, h, body) = w.server.client().head_only("/api/v1/evaluate", 20_000_000);
        let e: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (413, Some("payload_too_large")),
            "{h:?} {e}"
        );
        assert!(h
            .iter()
            .any(|(k, v)| k == "content-type" && v.starts_with("application/json")));
        let (s, _, body) = w.server.client().head_only("/login", 20_000_000);
        let page = String::from_utf8_lossy(&body);
        assert_eq!(s, 413, "{page}");
        assert!(
            page.contains("<html") && page.contains("大きすぎます"),
            "{page}"
        );
        // A page that does not exist is a page, not JSON.
        let (s, h, body) = w.employer.raw("GET", "/no-such-page", None, b"");
        assert_eq!(s, 404);
        assert!(
            h.iter()
                .any(|(k, v)| k == "content-type" && v.starts_with("text/html")),
            "{h:?}"
        );
        assert!(String::from_utf8_lossy(&body).contains("お探しのページはありません"));
        // A CSV with problems is refused with 422 and the problems on the page.
        let (case_id, _) = new_case(&mut w);
        let csrf = w.employer.csrf.clone().unwrap();
        let boundary = "XjoseiX";
        let mut form = String::new();
        for (name, value) in [("csrf", csrf.as_str()), ("kind", "telework")] {
            form.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        form.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n従業員ID,日付,勤務場所\r\nE1,2022/8/32,在宅\r\n\r\n--{boundary}--\r\n"
        ));
        let (s, _, body) = w.employer.raw(
            "POST",
            &format!("/cases/{case_id}/import"),
            Some(&format!("multipart/form-data; boundary={boundary}")),
            form.as_bytes(),
        );
        let page = String::from_utf8_lossy(&body);
        assert_eq!(s, 422, "{page}");
        assert!(page.contains("1件の問題があります"), "{page}");

        // The contract without login, and the API's own description.
        let case: Value = serde_json::from_str(
            &std::fs::read_to_string(shared().join("cases/05-expense-caps-and-exclusions.json"))
                .unwrap(),
        )
        .unwrap();
        let (s, e) = w.server.client().post("/api/v1/evaluate", &case);
        assert_eq!(s, 200);
        assert_eq!(e["equipment_subsidy"]["amount_yen"], 207_240);
        let (s, e) = w
            .server
            .client()
            .post("/api/v1/evaluate", &json!({"employer": 1}));
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("employer")));
        let (s, doc) = w.server.client().get("/api/v1/openapi.json");
        assert_eq!(s, 200);
        assert!(
            doc["openapi"].as_str().unwrap().starts_with("3."),
            "{}",
            doc["openapi"]
        );
        let act_op = &doc["paths"]["/api/v1/cases/{id}/actions/{action}"]["post"];
        assert!(
            act_op["requestBody"].is_object() && act_op["responses"]["409"].is_object(),
            "{act_op}"
        );
        assert!(doc["components"]["schemas"]["ActionBody"]["properties"]["version"].is_object());
        assert!(doc["components"]["schemas"]["ErrorBody"].is_object());

        // A disabled user is out at once.
        let (s, _) = w.officer.get("/api/v1/me");
        assert_eq!(s, 200);
        let out = cli(&db, &["user", "disable", "tokyo"], None);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(w.officer.get("/api/v1/me").0, 401);
    }
}

#[test]
fn attachments_deadlines_and_the_cli() {
    for db in backends() {
        let mut w = world(&db);
        let (id, c) = new_case(&mut w);
        let att =
            |name: &str| format!("/api/v1/cases/{id}/attachments?kind=work_rules&filename={name}");
        let pdf = b"%PDF-1.4 test".to_vec();
        let (s, a) = w.employer.post_bytes(
            &att("..%2F..%2Fetc%2F%E5%B0%B1%E6%A5%AD%E8%A6%8F%E5%89%87.pdf"),
            "application/pdf",
            &pdf,
        );
        assert_eq!(s, 201, "{a}");
        assert_eq!(a["filename"], "就業規則.pdf", "path parts are dropped");
        let (s, e) = w
            .employer
            .post_bytes(&att("x.pdf"), "application/pdf", b"<html>");
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (415, Some("type_mismatch"))
        );
        let (s, _) = w
            .employer
            .post_bytes(&att("x.exe"), "application/x-msdownload", b"MZ");
        assert_eq!(s, 415);
        // A kind outside the list is refused where the query is read.
        let (s, e) = w.employer.post_bytes(
            &format!("/api/v1/cases/{id}/attachments?kind=photo&filename=p.pdf"),
            "application/pdf",
            &pdf,
        );
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (422, Some("kind")),
            "{e}"
        );
        assert_eq!(
            e["error"]["message"],
            "kind は work_rules, receipt, invoice, other, work_rules_notice, roster, attendance, wage_ledger, climate, training のいずれかです"
        );
        // Listed as stored: bare numbers for ids, the kind's text.
        let (s, list) = w.employer.get(&format!("/api/v1/cases/{id}/attachments"));
        assert_eq!(s, 200);
        assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
        assert_eq!(list[0]["kind"], "work_rules");
        assert_eq!(
            (list[0]["id"].as_i64(), list[0]["case_id"].as_i64()),
            (a["id"].as_i64(), Some(id))
        );
        assert!(list[0]["uploaded_by"].is_i64(), "{list}");
        // Deadlines: certified on 2022-07-01, evaluation from 2022-08-01.
        set_clock(&mut w.admin, "2022-06-15");
        assert_eq!(act(&mut w.employer, id, "submit_plan", json!({})).0, 200);
        // Once the plan is sent, the bureau reads its documents.
        let (s, body) = w
            .officer
            .get_raw(&format!("/api/v1/cases/{id}/attachments/{}", a["id"]));
        assert_eq!(s, 200);
        assert_eq!(body, pdf);
        set_clock(&mut w.admin, "2022-07-01");
        assert_eq!(act(&mut w.officer, id, "certify_plan", json!({})).0, 200);
        set_clock(&mut w.admin, "2022-10-20");
        let (s, list) = w.officer.get("/api/v1/deadlines?within_days=30");
        assert_eq!(s, 200);
        assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
        assert_eq!(list[0]["deadline"]["date"], "2022-10-31");
        assert_eq!(list[0]["deadline"]["days_left"], 11);
        assert_eq!(
            w.officer
                .get("/api/v1/deadlines?within_days=5")
                .1
                .as_array()
                .unwrap()
                .len(),
            0
        );
        assert_eq!(
            w.other_officer
                .get("/api/v1/deadlines?within_days=365")
                .1
                .as_array()
                .unwrap()
                .len(),
            0
        );

        // CLI: import, export, user list, backup.
        let csv = dir(&db).join("tw.csv");
        std::fs::write(&csv, "worker,date,place\nE001,2022-09-09,home\n").unwrap();
        let out = cli(
            &db,
            &[
                "import",
                "telework",
                &id.to_string(),
                csv.to_str().unwrap(),
                "--user",
                "emp",
            ],
            None,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bad = dir(&db).join("bad.csv");
        std::fs::write(&bad, "worker,date,place\nE001,2022-09-31,home\n").unwrap();
        let out = cli(
            &db,
            &["import", "telework", &id.to_string(), bad.to_str().unwrap()],
            None,
        );
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("2行目"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = cli(
            &db,
            &[
                "export",
                "cases",
                "--format",
                "csv",
                "--as-of",
                "2022-10-20",
            ],
            None,
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains(&format!("{id},テレワーク導入計画,")),
            "{text}"
        );
        assert!(text.contains("2022-10-31"), "{text}");
        let out = cli(&db, &["user", "list"], None);
        assert!(String::from_utf8_lossy(&out.stdout).contains("tokyo\tofficer\t\t13"));
        if db.is_sqlite() {
            let backup = dir(&db).join("backup.db");
            let out = cli(&db, &["backup", backup.to_str().unwrap()], None);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(std::fs::metadata(&backup).unwrap().len() > 0);
            let out = cli(&db, &["backup", backup.to_str().unwrap()], None);
            assert!(!out.status.success(), "an existing file is not overwritten");
        }
        let _ = c;
    }
}

#[test]
fn two_servers_share_sessions_and_data_through_postgresql() {
    let Some(db) = backends().into_iter().find(|b| !b.is_sqlite()) else {
        eprintln!("TEST_DATABASE_URL is not set: the PostgreSQL test did not run");
        assert!(
            std::env::var("CI").is_err(),
            "CI must set TEST_DATABASE_URL"
        );
        return;
    };
    let mut w = world_served(&db, &[]);
    let second = Server::start(&db);
    let (id, _) = new_case(&mut w);
    // The session made on server 1 works on server 2, CSRF token included.
    let mut on_second = w.employer.clone();
    on_second.base = second.base.clone();
    let (s, c) = on_second.get(&format!("/api/v1/cases/{id}"));
    assert_eq!(s, 200, "{c}");
    let (s, c2) = on_second.put(
        &format!("/api/v1/cases/{id}/inputs"),
        &json!({"version": version(&c), "document": case01_document()}),
    );
    assert_eq!(s, 200, "{c2}");
    // A write through server 2 is seen by server 1, and server 1's stale write fails.
    let (_, seen) = w.employer.get(&format!("/api/v1/cases/{id}"));
    assert_eq!(version(&seen), version(&c2));
    let (s, _) = w.employer.put(
        &format!("/api/v1/cases/{id}/inputs"),
        &json!({"version": version(&c), "document": case01_document()}),
    );
    assert_eq!(s, 409);
    // Logging out on one ends the session on both.
    assert_eq!(on_second.post("/api/v1/logout", &json!({})).0, 204);
    assert_eq!(w.employer.get("/api/v1/me").0, 401);
}

#[test]
fn every_documented_route_exists() {
    let db = backends().remove(0);
    let server = Server::in_process(&db);
    cli_add_admin(&db);
    let mut admin = server.client();
    admin.login("admin", ADMIN_PASSWORD);
    let (_, doc) = admin.get("/api/v1/openapi.json");
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 20, "{}", paths.len());
    for (path, ops) in paths {
        let concrete = path
            .replace("{id}", "1")
            .replace("{aid}", "1")
            .replace("{agent}", "x")
            .replace("{action}", "withdraw")
            .replace("{kind}", "telework");
        for method in ops.as_object().unwrap().keys() {
            let m = method.to_uppercase();
            let (status, _, body) = admin.raw(&m, &concrete, Some("application/json"), b"{}");
            assert_ne!(status, 405, "{m} {path}: not routed");
            // The router's own 404 has no body; every handler answers with one.
            assert!(
                !(status == 404 && body.is_empty()),
                "{m} {path}: no such route"
            );
        }
    }
}

// --- the web application, in a real browser ----------------------------------------

/// The browser tests need chromium, chromedriver and a Japanese font; without
/// them they fail (never pass silently) and say how to install them.
fn require_browser() {
    if let Err(missing) = browser::available() {
        panic!("{missing}");
    }
}

fn web_login(b: &browser::Browser, base: &str, user: &str, password: &str) {
    b.go(&format!("{base}/login"));
    b.fill("#username", user);
    b.fill("#password", password);
    b.submit("form[action='/login'] button[type=submit]");
}

fn web_logout(b: &browser::Browser) {
    b.submit("header form[action='/logout'] button");
}

fn web_act(b: &browser::Browser, action: &str) {
    // The bureau's decisions are made on their own page.
    if b.exists(&format!("a[href$='/decide/{action}']")) {
        return web_decide(b, action, &[]);
    }
    // Filings go through their review page first (confirming a predicted 不支給).
    let review = format!("a[href$='/review/{action}']");
    if b.exists(&review) {
        b.submit(&review);
        if b.exists("#confirm") {
            b.click("#confirm");
        }
    }
    let button = format!("form:has(input[name=action][value={action}]) button[type=submit]");
    assert!(b.exists(&button), "no {action} on this page:\n{}", b.text());
    b.submit(&button);
}

/// A bureau decision from the case page: its own page, the fields
/// (`(css, text)`), the confirmation, recorded.
fn web_decide(b: &browser::Browser, action: &str, fields: &[(&str, &str)]) {
    let link = format!("a[href$='/decide/{action}']");
    assert!(b.exists(&link), "no {action} on this page:\n{}", b.text());
    b.submit(&link);
    for (css, text) in fields {
        b.fill(css, text);
    }
    b.click("#confirm");
    b.submit("button[name=intent][value=decide]");
}

#[test]
fn web_diagnosis_in_a_browser() {
    require_browser();
    let db = backends().remove(0);
    let server = Server::start(&db);
    let b = browser::Browser::start(1280, 1800);
    b.go(&format!("{}/diagnosis", server.base));
    assert!(b.text().contains("助成金の診断"));
    // A missing answer: the message stands next to the field, and nothing typed is lost.
    b.fill("#capital", "10000000");
    b.fill("#x_work_rules", "132000");
    b.submit("form[action='/diagnosis'] button[type=submit]");
    assert!(b.exists("#employees-error"), "{}", b.text());
    assert!(b.text().contains("入力してください"));
    assert_eq!(b.value("#capital"), "10000000");
    assert_eq!(b.value("#x_work_rules"), "132000");
    // Answer and diagnose: a retail SME with 3 target workers.
    b.click("#industry option[value=retail]");
    b.fill("#employees", "12");
    b.set_value("#submitted", "2022-06-15");
    b.fill("#x_web_conference_equipment", "49500");
    b.fill("#x_pc_tablet_smartphone", "300000");
    b.submit("form[action='/diagnosis'] button[type=submit]");
    let t = b.text();
    assert!(t.contains("対象になる見込みです"), "{t}");
    // 110,000 (work rules cap) + 33,000 (Web会議 3 × 11,000) = 143,000 × 30 % = 42,900円; PCs earn nothing.
    assert!(t.contains("42,900円"), "{t}");
    assert!(t.contains("28,600円"), "goal subsidy at 20 %: {t}");
    assert!(t.contains("令和4年"), "dates in 和暦: {t}");
    assert!(t.contains("認定の前にしてはいけないこと"));
    b.screenshot("diagnosis");
    // A non-SME wholesaler is told why.
    b.click("#industry option[value=wholesale]");
    b.fill("#capital", "150000000");
    b.fill("#employees", "101");
    b.submit("form[action='/diagnosis'] button[type=submit]");
    assert!(b.text().contains("このままでは対象になりません"));
    // At phone width the page does not scroll sideways.
    let phone = browser::Browser::start(390, 844);
    phone.go(&format!("{}/diagnosis", server.base));
    let overflow = phone.script("return document.documentElement.scrollWidth - window.innerWidth");
    assert!(
        overflow.as_i64().unwrap() <= 0,
        "horizontal overflow: {overflow}"
    );
    phone.screenshot("diagnosis-phone");
}

#[test]
fn web_employer_flow_with_import_and_officer_decision() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    let base = w.server.base.clone();
    let b = browser::Browser::start(1280, 2000);

    // The employer signs in and creates a case through the pages.
    set_clock(&mut w.admin, "2022-06-01");
    web_login(&b, &base, "emp", PASSWORD);
    assert!(b.url().ends_with("/cases"), "{}", b.url());
    b.fill("#title", "ブラウザからの計画");
    b.submit("form[action='/cases/new'] button[type=submit]");
    let id: i64 = b.url().rsplit('/').next().unwrap().parse().unwrap();
    // The plan through the editor: target workers, dates, expenses (the employer's
    // attributes come from the organisation). A mistake is shown by its field and
    // nothing typed is lost. The workers' ids are the attendance system's
    // (E001…, set through the API), as the CSV import below names them.
    let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
    let mut doc = c["document"].clone();
    doc["plan"]["target_workers"] = json!([
        {"id": "E001", "employment": "direct", "name": "山田 太郎"},
        {"id": "E002", "employment": "direct", "name": "佐藤 花子"},
        {"id": "E003", "employment": "direct", "name": "鈴木 一郎"},
    ]);
    let (s, e) = w.employer.put(
        &format!("/api/v1/cases/{id}/inputs"),
        &json!({"version": version(&c), "document": doc}),
    );
    assert_eq!(s, 200, "{e}");
    b.go(&format!("{base}/cases/{id}/plan"));
    assert_eq!(b.value("#w2_name"), "鈴木 一郎");
    b.set_value("#work_rules_established_on", "2022-07-20");
    b.set_value("#evaluation_start", "2022-08-01");
    b.set_value("#climate_top_message_on", "2022-07-05");
    b.set_value("#climate_case_sharing_on", "2022-08-25");
    let rows = [
        ("work_rules", "-5", "2022-07-20", "2022-07-29"),
        ("network_equipment", "88000", "2022-07-11", "2022-07-29"),
        (
            "web_conference_equipment",
            "49500",
            "2022-07-11",
            "2022-07-29",
        ),
    ];
    for (i, (cat, amount, delivered, paid)) in rows.iter().enumerate() {
        let row = format!("#expenses tbody.expense-row:nth-of-type({})", i + 1);
        if !b.exists(&row) {
            b.click("button.add-row[data-target=expenses]");
        }
        b.click(&format!(
            "{row} select[data-role=category] option[value={cat}]"
        ));
        b.fill(&format!("{row} input[data-role=amount]"), amount);
        b.set_value(&format!("{row} input[name$='_delivered_on']"), delivered);
        b.set_value(&format!("{row} input[name$='_paid_on']"), paid);
    }
    b.submit("form[action$='/plan'] button[type=submit]");
    assert!(b.exists("#x0_amount-error"), "{}", b.text());
    assert!(b.text().contains("0以上で入力してください"), "{}", b.text());
    assert_eq!(b.value("#w2_name"), "鈴木 一郎", "what was typed is kept");
    assert_eq!(
        b.value("#expenses tbody.expense-row:nth-of-type(3) input[data-role=amount]"),
        "49,500"
    );
    b.screenshot("plan-error");
    b.fill("#x0_amount", "132000");
    b.submit("form[action$='/plan'] button[type=submit]");
    assert!(
        b.url().ends_with(&format!("/cases/{id}/plan?saved=1")),
        "{}",
        b.url()
    );
    assert!(b.text().contains("保存しました"));
    // A fourth expense; the live cap shows the Web会議 cap for 3 workers.
    assert!(
        b.text().contains("33,000円（超過分は対象外）"),
        "live caps: {}",
        b.text()
    );
    b.click("button.add-row[data-target=expenses]");
    let row = "#expenses tbody.expense-row:nth-of-type(4)";
    b.click(&format!(
        "{row} select[data-role=category] option[value=telework_service_fee]"
    ));
    b.fill(&format!("{row} input[data-role=amount]"), "118800");
    b.set_value(&format!("{row} input[name$='_paid_on']"), "2022-10-31");
    b.screenshot("plan-editor");
    b.submit("form[action$='/plan'] button[type=submit]");
    let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
    assert_eq!(c["document"]["expenses"].as_array().unwrap().len(), 4);
    assert_eq!(
        c["document"]["plan"]["target_workers"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(c["document"]["evaluation_start"], "2022-08-01");
    assert_eq!(
        c["document"]["workplace_climate"],
        json!({"top_message_on": "2022-07-05", "case_sharing_on": "2022-08-25"})
    );
    set_clock(&mut w.admin, "2022-06-15");
    b.go(&format!("{base}/cases/{id}"));
    web_act(&b, "submit_plan");
    // The applicant side sees the plan with the bureau, not a verdict.
    assert!(b.text().contains("審査中"), "{}", b.text());
    web_logout(&b);

    // The officer finds it in the queue and certifies it.
    set_clock(&mut w.admin, "2022-07-01");
    web_login(&b, &base, "tokyo", PASSWORD);
    assert!(b.url().ends_with("/queue"), "{}", b.url());
    assert!(b.text().contains("ブラウザからの計画"));
    b.screenshot("officer-queue");
    b.go(&format!("{base}/queue?status=plan_submitted"));
    assert!(b.text().contains("1件"), "{}", b.text());
    b.go(&format!("{base}/queue?status=closed"));
    assert!(b.text().contains("0件"));
    b.go(&format!("{base}/cases/{id}"));
    web_act(&b, "certify_plan");
    assert!(b.text().contains("計画認定"), "{}", b.text());
    web_logout(&b);

    // The employer starts the evaluation and imports attendance (Shift_JIS) with a preview.
    set_clock(&mut w.admin, "2022-08-01");
    web_login(&b, &base, "emp", PASSWORD);
    b.go(&format!("{base}/cases/{id}"));
    web_act(&b, "start_evaluation");
    assert!(b.text().contains("評価期間中"));
    let mut csv = String::from("従業員ID,日付,勤務場所\r\n");
    for (w_id, day) in [
        ("E001", "2022/8/3"),
        ("E001", "2022/8/10"),
        ("E002", "2022/8/3"),
        ("E003", "2022/8/4"),
        ("E003", "2022/8/5"),
    ] {
        csv.push_str(&format!("{w_id},{day},在宅\r\n"));
    }
    let file = dir(&db).join("attendance.csv");
    std::fs::write(&file, encode_sjis(&csv)).unwrap();
    b.click("#kind option[value=telework]");
    b.fill("#file", file.to_str().unwrap());
    b.submit("form[action$='/import'] button[type=submit]");
    let t = b.text();
    assert!(
        t.contains("5行を読み込みました") && t.contains("Shift_JIS"),
        "{t}"
    );
    // The preview speaks the template's words, never the stored codes.
    assert!(
        t.contains("勤務場所") && t.contains("在宅") && t.contains("2022-08-03"),
        "{t}"
    );
    assert!(!t.contains("home") && !t.contains("worker"), "{t}");
    assert!(t.contains("まだ保存していません"));
    b.screenshot("import-preview");
    b.submit("form[action$='/import/confirm'] button[type=submit]");
    // Stored: the records page says so; the case page shows the effect.
    assert!(
        b.text().contains("テレワーク実施記録を5行取り込みました。"),
        "{}",
        b.text()
    );
    b.go(&format!("{base}/cases/{id}"));
    let t = b.text();
    assert!(
        t.contains("① 対象労働者全員が1回以上：3 / 3人（達成）"),
        "{t}"
    );
    assert!(b.exists("svg[aria-labelledby=chart-title]"));
    assert!(
        t.contains("(イ) 就業規則・労使協定等の作成・変更（必須）")
            && t.contains("(ハ) テレワーク用通信機器等の導入・運用"),
        "the plan's measures: {t}"
    );
    b.screenshot("employer-dashboard");
    // A bad file: every problem by line, nothing stored.
    std::fs::write(
        &file,
        encode_sjis("従業員ID,日付,勤務場所\r\nE001,2022/8/32,在宅\r\nE002,2022/8/3,カフェ\r\n"),
    )
    .unwrap();
    b.fill("#file", file.to_str().unwrap());
    b.submit("form[action$='/import'] button[type=submit]");
    let t = b.text();
    assert!(
        t.contains("2件の問題があります") && t.contains("カフェ"),
        "{t}"
    );
    let (_, now) = w.employer.get(&format!("/api/v1/cases/{id}"));
    assert_eq!(now["document"]["telework"].as_array().unwrap().len(), 5);

    // Documents: the amended work rules as a PDF; a file that only claims to be one is refused.
    b.go(&format!("{base}/cases/{id}"));
    let pdf = dir(&db).join("就業規則.pdf");
    std::fs::write(&pdf, b"%PDF-1.4 amended work rules").unwrap();
    b.click("#attachment-kind option[value=work_rules]");
    b.fill("#attachment-file", pdf.to_str().unwrap());
    b.submit("form[action$='/attachments'] button[type=submit]");
    assert!(
        b.text().contains("就業規則.pdf（就業規則等、"),
        "{}",
        b.text()
    );
    let fake = dir(&db).join("fake.pdf");
    std::fs::write(&fake, b"<html>not a pdf</html>").unwrap();
    b.fill("#attachment-file", fake.to_str().unwrap());
    b.submit("form[action$='/attachments'] button[type=submit]");
    assert!(
        b.text().contains("ファイルの中身がPDFではありません"),
        "{}",
        b.text()
    );

    // Filing, then the officer's decision with the engine's verdict.
    set_clock(&mut w.admin, "2022-11-25");
    b.go(&format!("{base}/cases/{id}"));
    web_act(&b, "file_equipment");
    assert!(
        b.text().contains("機器等導入助成を申請しました"),
        "{}",
        b.text()
    );
    assert!(b.text().contains("審査中"), "{}", b.text());
    web_logout(&b);
    set_clock(&mut w.admin, "2022-12-10");
    web_login(&b, &base, "tokyo", PASSWORD);
    b.go(&format!("{base}/cases/{id}"));
    // Passing checks are folded on the review page.
    b.script("document.querySelectorAll('details').forEach(d => d.open = true); return true;");
    let t = b.text();
    assert!(
        t.contains("要件の確認") && t.contains("支給要領 0300 (ト)"),
        "checks with citations: {t}"
    );
    assert!(
        t.contains("操作の記録")
            && t.contains("機器等導入助成の支給申請")
            && !t.contains("case.file_equipment"),
        "audit trail, in words: {t}"
    );
    assert!(t.contains("就業規則.pdf"), "the documents: {t}");
    // Audit times are shown as dates (ISO and 和暦) and times in Japan, not raw RFC 3339.
    let raw_instant = t
        .split_whitespace()
        .any(|w| w.len() > 11 && w.as_bytes()[10] == b'T' && w[..4].parse::<u32>().is_ok());
    assert!(!raw_instant, "raw timestamps shown: {t}");
    b.screenshot("officer-review");
    web_act(&b, "grant_equipment");
    assert!(b.text().contains("機器等導入助成 支給決定"), "{}", b.text());
    let (_, d) = w.officer.get(&format!("/api/v1/cases/{id}/decisions"));
    assert_eq!(d[0]["decided_amount_yen"], 104_940);
    // The printable summaries.
    b.go(&format!("{base}/cases/{id}/print?doc=equipment"));
    let t = b.text();
    assert!(
        t.contains("機器等導入助成 支給申請の概要") && t.contains("支給要領 0303"),
        "{t}"
    );
    assert!(
        !t.contains("目標達成助成（"),
        "only the equipment application"
    );
    b.screenshot("print-equipment");
    b.go(&format!("{base}/cases/{id}/print?doc=plan"));
    let t = b.text();
    assert!(
        t.contains("テレワーク実施計画の概要") && t.contains("山田 太郎") && !t.contains("E001"),
        "workers by name: {t}"
    );
    // The queue's exports (the session cookie works for the pages too).
    let (s, xlsx) = w.officer.get_raw("/queue.xlsx?view=all");
    assert_eq!(s, 200);
    assert!(xlsx.starts_with(b"PK\x03\x04"));
    let sheet = queue::read_sheet(&xlsx);
    let row = sheet
        .iter()
        .find(|r| r[1] == queue::Cell::Text("ブラウザからの計画".into()))
        .unwrap_or_else(|| panic!("{sheet:?}"));
    assert_eq!(row[10], queue::Cell::Number(104940.0), "{row:?}");
    let (s, csv) = w.officer.get_raw("/queue.csv?status=equipment_granted");
    assert_eq!(s, 200);
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.starts_with("\u{feff}申請番号,件名")
            && csv.contains("ブラウザからの計画")
            && csv.contains("104940"),
        "{csv}"
    );
    let (_, none) = w.officer.get_raw("/queue.csv?status=closed");
    assert_eq!(
        String::from_utf8(none).unwrap().lines().count(),
        1,
        "header only"
    );
}

#[test]
fn web_forbidden_access() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    let (id, _) = new_case(&mut w);
    let base = w.server.base.clone();
    let b = browser::Browser::start(1280, 900);
    // Not signed in: to the login page, and back after it.
    b.go(&format!("{base}/cases/{id}"));
    assert!(b.url().contains("/login?next=/cases/"), "{}", b.url());
    b.fill("#username", "emp2");
    b.fill("#password", PASSWORD);
    b.submit("form[action='/login'] button[type=submit]");
    assert!(
        b.url().ends_with(&format!("/cases/{id}")),
        "back to where they were going: {}",
        b.url()
    );
    // Another employer's case does not exist for them.
    let t = b.text();
    assert!(t.contains("見つかりません"), "{t}");
    assert!(!t.contains("テレワーク導入計画"));
    b.screenshot("forbidden");
    // An employer cannot open the officers' queue.
    b.go(&format!("{base}/queue"));
    assert!(b.text().contains("権限がありません"));
    // A login redirect never leaves the site.
    web_logout(&b);
    b.go(&format!("{base}/login?next=//evil.example/"));
    b.fill("#username", "emp2");
    b.fill("#password", PASSWORD);
    b.submit("form[action='/login'] button[type=submit]");
    assert!(b.url().starts_with(&base), "{}", b.url());
}

#[test]
fn web_agent_sees_every_delegated_employer_by_nearest_deadline() {
    let db = backends().remove(0);
    let mut w = world(&db);
    // Employer 1 (Tokyo): a draft, no deadline yet.
    let (draft, _) = new_case(&mut w);
    assert!(draft > 0);
    // Employer 2 (Osaka): a certified plan, whose evaluation window closes first.
    let mut emp2 = w.server.client();
    emp2.login("emp2", PASSWORD);
    let (_, c) = emp2.post("/api/v1/cases", &json!({"title": "大阪の計画"}));
    let id2 = c["case"]["id"].as_i64().unwrap();
    let (s, c) = emp2.put(
        &format!("/api/v1/cases/{id2}/inputs"),
        &json!({"version": version(&c), "document": case01_document()}),
    );
    assert_eq!(s, 200, "{c}");
    set_clock(&mut w.admin, "2022-06-15");
    assert_eq!(act(&mut emp2, id2, "submit_plan", json!({})).0, 200);
    set_clock(&mut w.admin, "2022-07-01");
    assert_eq!(
        act(&mut w.other_officer, id2, "certify_plan", json!({})).0,
        200
    );
    assert_eq!(act(&mut emp2, id2, "start_evaluation", json!({})).0, 200);
    // Both delegate to the same 社労士.
    let (_, orgs) = emp2.get("/api/v1/organizations");
    let org2 = orgs[0]["id"].as_i64().unwrap();
    assert_eq!(
        w.employer
            .post(
                &format!("/api/v1/organizations/{}/delegations", w.org_id),
                &json!({"agent": "agent"})
            )
            .0,
        201
    );
    assert_eq!(
        emp2.post(
            &format!("/api/v1/organizations/{org2}/delegations"),
            &json!({"agent": "agent"})
        )
        .0,
        201
    );
    let (s, page) = w.agent.get_raw("/cases");
    assert_eq!(s, 200);
    let html = String::from_utf8(page).unwrap();
    assert!(html.contains("委任を受けた事業主の申請"));
    let (osaka, tokyo) = (
        html.find("大阪の計画").expect("Osaka case listed"),
        html.find("テレワーク導入計画").expect("Tokyo case listed"),
    );
    assert!(
        osaka < tokyo,
        "the case with the nearest deadline comes first"
    );
    assert!(
        html.contains("2022-10-31（令和4年10月31日）"),
        "deadline in ISO and 和暦"
    );
    // The Osaka officer does not see the Tokyo case, nor the agent's other clients' pages without delegation.
    let (s, _) = w.other_officer.get_raw(&format!("/cases/{draft}"));
    assert_eq!(s, 404);
}

#[test]
fn a_case_holds_a_bounded_number_of_records() {
    let db = backends().remove(0);
    let mut w = world(&db);
    let (id, case) = new_case(&mut w);
    let mut doc = case01_document();
    let one = doc["telework"][0].clone();
    doc["telework"] = json!(vec![one; 60_001]);
    let (s, e) = w.employer.put(
        &format!("/api/v1/cases/{id}/inputs"),
        &json!({"version": version(&case), "document": doc}),
    );
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (422, Some("telework")),
        "{e}"
    );
    assert!(e["error"]["message"]
        .as_str()
        .unwrap()
        .contains("60000件まで"));
    let (_, now) = w.employer.get(&format!("/api/v1/cases/{id}"));
    assert_eq!(version(&now), version(&case), "nothing stored");
}

#[test]
fn case_lists_page_sort_search_and_stay_current() {
    let db = backends().remove(0);
    let mut w = world(&db);
    for i in 1..=60 {
        let (s, _) = w
            .employer
            .post("/api/v1/cases", &json!({"title": format!("件名 {i:03}")}));
        assert_eq!(s, 201);
    }
    let page = |c: &mut Client, path: &str| {
        let (s, body) = c.get_raw(path);
        assert_eq!(s, 200, "{path}");
        String::from_utf8(body).unwrap()
    };
    let rows = |html: &str| html.matches("<a href=\"/cases/").count();
    // Fifty a page, the rest on the next.
    let first = page(&mut w.employer, "/cases?sort=newest");
    assert_eq!(rows(&first), 50);
    assert!(first.contains("全60件中 1〜50件（1 / 2ページ）"), "{first}");
    assert!(first.contains("件名 060") && !first.contains("件名 010"));
    let second = page(&mut w.employer, "/cases?sort=newest&page=2");
    assert_eq!(rows(&second), 10);
    assert!(second.contains("件名 010") && second.contains("← 前の50件"));
    // Search on the server, `%` taken literally.
    let found = page(&mut w.employer, "/cases?q=%E4%BB%B6%E5%90%8D+059");
    assert_eq!(rows(&found), 1, "{found}");
    assert!(found.contains("件名 059"));
    assert_eq!(rows(&page(&mut w.employer, "/cases?q=%25")), 0);
    // The API pages the same way on request, the total in a header.
    let (s, h, body) = w.employer.raw(
        "GET",
        "/api/v1/cases?page=2&per_page=25&sort=newest",
        None,
        b"",
    );
    assert_eq!(s, 200);
    let listed: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 25);
    assert_eq!(listed[0]["title"], "件名 035");
    assert!(
        h.iter().any(|(k, v)| k == "x-total-count" && v == "60"),
        "{h:?}"
    );
    let (s, e) = w.employer.get("/api/v1/cases?page=1&per_page=501");
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("per_page")));
    assert_eq!(
        w.employer.get("/api/v1/cases").1.as_array().unwrap().len(),
        60,
        "unpaged as before"
    );
    // A filter that cannot be read is named, not guessed.
    let bad = page(&mut w.employer, "/cases?due_within=soon");
    assert!(bad.contains("0〜3660 の日数"), "{bad}");
    assert_eq!(rows(&bad), 50);
    // A write shows at once: the list reads the evaluation of the new version.
    set_clock(&mut w.admin, "2022-06-15");
    let (_, c) = w.employer.get("/api/v1/cases");
    let id = c[0]["id"].as_i64().unwrap();
    let row_of = |html: &str| {
        let at = html
            .find(&format!("href=\"/cases/{id}\""))
            .expect("the case is listed");
        html[at..at + html[at..].find("</tr>").unwrap()].to_string()
    };
    let before = row_of(&page(&mut w.employer, "/cases?sort=newest"));
    assert!(
        before.contains("準備中（計画の作成）") && !before.contains("不支給"),
        "a draft is being prepared, never 不支給: {before}"
    );
    let (_, case) = w.employer.get(&format!("/api/v1/cases/{id}"));
    let (s, e) = w.employer.put(
        &format!("/api/v1/cases/{id}/inputs"),
        &json!({"version": version(&case), "document": case01_document()}),
    );
    assert_eq!(s, 200, "{e}");
    let (_, after) = w.employer.get(&format!("/api/v1/cases/{id}"));
    let failing = after["evaluation"]["equipment_subsidy"]["status"] == "not_payable";
    let now = row_of(&page(&mut w.employer, "/cases?sort=newest"));
    assert_eq!(now.contains("要対応"), failing, "{now}");
    assert!(now != before, "{before}\n{now}");
    // The officers' queue does not show employers' drafts at all.
    let queue = page(&mut w.officer, "/queue?q=%E4%BB%B6%E5%90%8D");
    assert_eq!(rows(&queue), 0, "{queue}");
}

#[test]
fn web_r7_case_without_a_plan_and_todays_diagnosis() {
    require_browser();
    let db = backends().remove(0);
    let mut w = world_served(&db, &[]);
    let base = w.server.base.clone();
    let b = browser::Browser::start(1366, 2200);

    // The diagnosis applies the rules of the year its date falls in, and says so.
    set_clock(&mut w.admin, "2026-11-22");
    b.go(&format!("{base}/diagnosis"));
    b.click("#industry option[value=service]");
    b.fill("#employees", "12");
    b.submit("form[action='/diagnosis'] button[type=submit]");
    let t = b.text();
    assert!(t.contains("令和8年度の制度で判定しました"), "{t}");
    assert!(t.contains("制度導入助成") && t.contains("200,000円"), "{t}");
    assert!(t.contains("評価期間の前3か月に行うこと"), "{t}");
    assert!(t.contains("未確認の前提"), "{t}");
    assert!(!t.contains("認定の前にしてはいけないこと"), "{t}");
    b.screenshot("diagnosis-r8");
    b.set_value("#submitted", "2024-06-14");
    b.submit("form[action='/diagnosis'] button[type=submit]");
    let t = b.text();
    assert!(t.contains("令和6年度の制度で判定しました"), "{t}");
    assert!(t.contains("認定の前にしてはいけないこと"), "{t}");

    // An employer works a 令和7年度 case: no plan, measures before the evaluation period.
    set_clock(&mut w.admin, "2025-04-05");
    web_login(&b, &base, "emp", PASSWORD);
    b.fill("#title", "制度導入（令和7年度）");
    b.submit("form[action='/cases/new'] button[type=submit]");
    let id: i64 = b.url().rsplit('/').next().unwrap().parse().unwrap();
    let t = b.text();
    assert!(
        t.contains("令和8年度の制度で判定しています")
            || t.contains("令和7年度の制度で判定しています"),
        "{t}"
    );
    assert!(!t.contains("計画を提出する"), "no plan to submit: {t}");
    b.go(&format!("{base}/cases/{id}/plan"));
    plan_editor::fill_workers(
        &b,
        &[
            ("山田 太郎", "E001", false),
            ("佐藤 花子", "E002", false),
            ("鈴木 一郎", "E003", false),
        ],
    );
    b.set_value("#evaluation_start", "2025-07-01");
    b.set_value("#work_rules_established_on", "2025-06-11");
    b.set_value("#climate_top_message_on", "2025-04-06");
    b.set_value("#climate_case_sharing_on", "2025-06-21");
    b.click("select[name=m0_kind] option[value=consulting]");
    b.set_value("#m0_on", "2025-04-11");
    b.click("input[name=disqualifications_declared]");
    b.screenshot("plan-editor-r7");
    b.submit("form[action$='/plan'] button[type=submit]");
    assert!(
        b.url().ends_with(&format!("/cases/{id}/plan?saved=1")),
        "{}: {}",
        b.url(),
        b.text()
    );
    b.go(&format!("{base}/cases/{id}"));
    let t = b.text();
    for needle in [
        "令和7年度の制度で判定しています",
        "評価期間の前3か月の取組",
        "取組（職場風土作り・就業規則・研修など）の期間",
        "制度導入助成",
        "評価期間を開始する",
    ] {
        assert!(t.contains(needle), "{needle}: {t}");
    }
    let (_, c) = w.employer.get(&format!("/api/v1/cases/{id}"));
    assert_eq!(
        c["document"]["measures"],
        json!([{"kind": "consulting", "on": "2025-04-11"}])
    );
    assert_eq!(c["document"]["employer"]["disqualifications"], json!([]));
    let checks = c["evaluation"]["equipment_subsidy"]["checks"]
        .as_array()
        .unwrap();
    for id in [
        "workplace_climate",
        "measures",
        "work_rules_established",
        "common_requirements",
    ] {
        let s = checks.iter().find(|x| x["id"] == id).unwrap()["status"].clone();
        assert_eq!(s, "pass", "{id}");
    }
    b.screenshot("case-r7");
    set_clock(&mut w.admin, "2025-07-01");
    b.go(&format!("{base}/cases/{id}"));
    web_act(&b, "start_evaluation");
    let t = b.text();
    assert!(t.contains("評価期間中"), "{t}");
    assert!(
        t.contains("制度導入助成を申請する") || t.contains("評価期間（制度導入助成）"),
        "{t}"
    );
    // At phone width the case page keeps its text readable.
    let phone = browser::Browser::start(390, 844);
    web_login(&phone, &base, "emp", PASSWORD);
    phone.go(&format!("{base}/cases/{id}"));
    assert!(phone.text().contains("令和7年度の制度で判定しています"));
    phone.screenshot("case-r7-phone");
    // The list of cases fits the phone: only its table scrolls sideways.
    phone.go(&format!("{base}/cases"));
    assert!(phone.text().contains("申請の一覧"));
    let fits = phone.script("return document.documentElement.scrollWidth <= window.innerWidth;");
    assert_eq!(
        fits,
        serde_json::json!(true),
        "the page scrolls sideways at 390 px"
    );
    phone.screenshot("case-list-phone");
}

#[test]
fn demo_fills_an_empty_database_with_every_state_and_regime() {
    const DEMO_PASSWORD: &str = "demo-password-for-tests";
    for db in backends() {
        let demo = |password: Option<&str>| {
            let mut c = josei();
            c.args(["demo", "--cases", "40", "--seed", "7"])
                .env("DATABASE_URL", &db.url)
                .env_remove("JOSEI_DEMO_PASSWORD");
            if let Some(p) = password {
                c.env("JOSEI_DEMO_PASSWORD", p);
            }
            c.output().unwrap()
        };
        // No password, no data.
        let out = demo(None);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("JOSEI_DEMO_PASSWORD"));
        let out = demo(Some("short"));
        assert!(!out.status.success(), "the password policy applies");
        let out = demo(Some(DEMO_PASSWORD));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("申請 40 件"));
        // A database with users is never filled again.
        let again = demo(Some(DEMO_PASSWORD));
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("既にユーザーがいます"));

        let server = Server::in_process(&db);
        let mut admin = server.client();
        admin.login("admin", DEMO_PASSWORD);
        let (s, cases) = admin.get("/api/v1/cases");
        assert_eq!(s, 200);
        let cases = cases.as_array().unwrap();
        assert_eq!(cases.len(), 40);
        let statuses: std::collections::BTreeSet<&str> =
            cases.iter().filter_map(|c| c["status"].as_str()).collect();
        assert_eq!(statuses.len(), 15, "every workflow state: {statuses:?}");
        let regimes: std::collections::BTreeSet<&str> =
            cases.iter().filter_map(|c| c["regime"].as_str()).collect();
        assert_eq!(regimes.len(), 7, "every regime: {regimes:?}");
        // The named users sign in; the Tokyo officer sees Tokyo's cases, no drafts.
        let mut officer = server.client();
        officer.login("officer13", DEMO_PASSWORD);
        let (s, page) = officer.get_raw("/queue");
        assert_eq!(s, 200);
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains("全") && page.contains("東京労働局 審査担当"),
            "{page}"
        );
        assert!(!page.contains("<td>作成中</td>"), "no drafts: {page}");
        let mut agent = server.client();
        agent.login("agent1", DEMO_PASSWORD);
        assert_eq!(agent.get("/api/v1/me").0, 200);
        let mut employer = server.client();
        employer.login("employer1", DEMO_PASSWORD);
        let (_, mine) = employer.get("/api/v1/cases");
        assert!(!mine.as_array().unwrap().is_empty());
    }
}
