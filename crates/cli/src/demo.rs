//! `josei demo`: fills an empty database with realistic cases for training,
//! demonstrations and benchmarks. Deterministic for a seed.
//!
//! What it makes, for `--cases N`:
//!
//! - the users `admin`, `advisor1` and `advisor2` (テレワーク相談センター),
//!   `judge1` and `judge2` (輝くテレワーク賞), one officer per prefecture used (`officer13` for
//!   Tokyo, `officer27` for Osaka, …), `agent1`… (one 社労士 per 25
//!   employers) and `employer1`… (one per four cases), all with the password
//!   in `JOSEI_DEMO_PASSWORD`;
//! - one organisation per employer, 40 % in Tokyo and the rest over six other
//!   prefectures, 60 % of them delegated to a 社労士;
//! - N cases over every regime (令和3年度 to 令和8年度), each in a workflow
//!   state that fits its dates as of today: plans of past years decided or
//!   in goal tracking, 令和8年度 cases in preparation or under evaluation;
//!   each with target workers, a roster, telework records in its evaluation
//!   period and, in plan regimes, expenses;
//! - the programme on a small scale: consultations and consulting of the
//!   centre, seminars, and this fiscal year's award round under screening;
//! - every case's evaluation snapshot, so the first list is fast, and fresh
//!   planner statistics (PostgreSQL: `VACUUM ANALYZE`).
//!
//! The workflow states are placed directly (recorded in the audit log as
//! `case.demo`); the decided ones get their decisions afterwards ([`decide`]).

use crate::synth::Rng;
use jiff::civil::Date;
use jiff::ToSpan;
use josei_rules::regime::{self, Regime, RegimeKind};
use josei_store::{Db, Role, Status, StepChanges};
use serde_json::{json, Value};
use std::io::{IsTerminal, Write};

/// Prefectures of the demo employers and their weights (percent).
const PREFECTURES: &[(i64, u64)] = &[
    (13, 40),
    (27, 20),
    (23, 10),
    (14, 10),
    (1, 8),
    (40, 7),
    (36, 5),
];

/// The labour bureaus of the demo prefectures.
fn bureau(prefecture: i64) -> &'static str {
    match prefecture {
        13 => "東京労働局",
        27 => "大阪労働局",
        23 => "愛知労働局",
        14 => "神奈川労働局",
        1 => "北海道労働局",
        40 => "福岡労働局",
        36 => "徳島労働局",
        _ => "労働局",
    }
}

const NAMES: &[&str] = &[
    "みなと商店",
    "あおば会計",
    "さくら設計",
    "ひかり物産",
    "つばさ運輸",
    "かえで工房",
    "みどり介護",
    "はるか印刷",
    "そら情報",
    "いろは食品",
];
const FORMS: &[&str] = &["株式会社", "有限会社", "合同会社"];

/// Target workers' names (people read names; the ids stay in the data).
const FAMILY_NAMES: &[&str] = &[
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田",
];
const GIVEN_NAMES: &[&str] = &[
    "花子",
    "太郎",
    "美咲",
    "健太",
    "陽子",
    "翔",
    "由美",
    "大輔",
    "さくら",
    "直樹",
    "恵",
    "拓也",
    "真由美",
];

/// The `n`th target worker's name (from 1), the same for every seed.
fn worker_name(n: usize) -> String {
    format!(
        "{} {}",
        FAMILY_NAMES[(n - 1) % FAMILY_NAMES.len()],
        GIVEN_NAMES[(n * 5) % GIVEN_NAMES.len()]
    )
}

/// The programme around the subsidy, on a small scale: consultations of the
/// centre over the last months (channels and topics in turn), consulting
/// requests (one assigned and visited), two published seminars and a
/// 個別相談会 still a draft, and this fiscal year's award round under
/// screening with three submitted applications.
async fn programme(
    db: &Db,
    staff: &[josei_store::User],
    admin: josei_store::UserId,
    orgs: &[(josei_store::OrganizationId, josei_store::UserId, Value)],
    today: Date,
) -> Result<(), josei_store::StoreError> {
    use josei_store::{
        Audience, AwardDraft, AwardRoundStatus, Channel, ConsultationInput, EventFields,
        EventFormat, EventKind, NewConsultingRequest, NewVisit, Referral, Topic, VisitMode,
    };
    let advisor = staff[0].id;
    let questions = [
        ("在宅勤務の労働時間はどう把握すればよいですか。", "パソコンの使用時間の記録など客観的な方法で把握し、中抜け時間の扱いを就業規則に定めてください。"),
        ("テレワーク用の機器の費用は助成の対象になりますか。", "リース料やネットワーク機器は対象になりえます。パソコンの購入費は対象外です。詳しくは管轄の労働局にご確認ください。"),
        ("自宅で働く社員の情報管理が心配です。", "情報の持ち出しのルールと端末の管理方法を定め、研修を行うことをお勧めします。"),
        ("テレワーク勤務規程を作りたいのですが。", "モデル就業規則をもとに案を作成できます。社会保険労務士会のご案内もできます。"),
    ];
    for i in 0..orgs.len().min(24) {
        let (org, _, _) = &orgs[i];
        let (question, answer) = questions[i % questions.len()];
        let input = ConsultationInput {
            received_on: add_days(today, -(i as i64) * 9),
            channel: Channel::ALL[i % Channel::ALL.len()],
            organization_id: Some(*org),
            enquirer_name: None,
            enquirer_contact: None,
            prefecture: None,
            industry: None,
            special_zone: i % 7 == 0,
            topics: match Topic::ALL[i % Topic::ALL.len()] {
                Topic::Subsidy => vec![Topic::Subsidy],
                t => vec![t, Topic::Subsidy],
            },
            question: question.into(),
            answer: answer.into(),
            follow_up_on: (i % 3 == 0).then(|| add_days(today, 7 + i as i64)),
            referral: (i % 4 == 1).then_some(Referral::LabourBureau),
        };
        db.create_consultation(&input, advisor).await?;
    }
    for (i, (org, user, _)) in orgs.iter().take(3).enumerate() {
        let id = db
            .create_consulting_request(
                &NewConsultingRequest {
                    organization_id: *org,
                    request: "テレワークの導入に向けて、業務の切り出し方と労務管理の進め方を相談したいです。".into(),
                    preferred_mode: Some(if i % 2 == 0 { VisitMode::Online } else { VisitMode::OnSite }),
                },
                *user,
            )
            .await?;
        if i == 0 {
            db.assign_consulting(id, advisor, advisor).await?;
            db.add_visit(
                id,
                &NewVisit {
                    visited_on: add_days(today, -3),
                    mode: VisitMode::Online,
                    report: "対象業務の洗い出しと、在宅勤務の申請手続の案を一緒に作成しました。"
                        .into(),
                    outcome: "来月から一部の部署で試行する予定です。".into(),
                },
                advisor,
            )
            .await?;
        }
    }
    let at = |days: i64, hour: i8| add_days(today, days).at(hour, 0, 0, 0);
    for (title, kind, audience, days, publish) in [
        (
            "テレワーク導入セミナー（経営者・人事労務担当者向け）",
            EventKind::Seminar,
            Audience::Managers,
            21,
            true,
        ),
        (
            "テレワークで働く方のためのＩＴリテラシー講座",
            EventKind::Seminar,
            Audience::Workers,
            35,
            true,
        ),
        (
            "テレワーク個別相談会",
            EventKind::Consultation,
            Audience::Managers,
            49,
            false,
        ),
    ] {
        let fields = EventFields {
            title: title.into(),
            kind,
            audience,
            prefecture: None,
            format: EventFormat::Online,
            venue: None,
            starts_at: at(days, 14),
            ends_at: at(days, 16),
            capacity: 100,
            description: "企業の導入事例と、労務管理・セキュリティ上の留意点をご紹介します。助成金の活用方法もご説明します。".into(),
            registration_deadline: add_days(today, days - 2),
        };
        let id = db.create_event(&fields, advisor).await?;
        if publish {
            db.set_event_published(id, true, advisor).await?;
        }
    }
    let fy = i64::from(josei_app::statistics::fiscal_year_of(today));
    let round = db
        .create_award_round(fy, add_days(today, -60), add_days(today, -1), admin)
        .await?;
    for (org, user, employer) in orgs.iter().take(3) {
        let workers = employer["regular_employees"].as_i64().unwrap_or(20).max(1);
        let draft = AwardDraft {
            background: "育児や介護と仕事の両立を支え、人材を確保するために導入しました。".into(),
            practices:
                "全社員を対象に週2日までの在宅勤務制度を設け、勤怠管理をシステム化しました。".into(),
            outcomes: "離職率が下がり、採用の応募が増えました。".into(),
            workers: Some(workers),
            teleworkers: Some(workers / 2),
            telework_days: Some(workers * 20),
        };
        db.save_award_application(round, *org, &draft, true, *user)
            .await?;
    }
    db.set_award_round_status(
        round,
        AwardRoundStatus::Accepting,
        AwardRoundStatus::Screening,
        today,
        admin,
    )
    .await?;
    Ok(())
}

/// How many users, organisations and cases were made.
pub struct Made {
    pub users: usize,
    pub organizations: usize,
    pub cases: u64,
}

/// Uniform draws in `0 .. n`.
trait Below {
    fn below(&mut self, n: u64) -> u64;
}

impl Below for Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.range(0, n.saturating_sub(1))
    }
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len() as u64) as usize]
}

fn weighted(rng: &mut Rng, items: &[(i64, u64)]) -> i64 {
    let total: u64 = items.iter().map(|(_, w)| w).sum();
    let mut r = rng.below(total);
    for (v, w) in items {
        if r < *w {
            return *v;
        }
        r -= w;
    }
    items[0].0
}

fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(n.days()).unwrap_or(d)
}

fn first_of_next_month(d: Date) -> Date {
    let first = d.first_of_month();
    first.checked_add(1.month()).unwrap_or(first)
}

/// The workflow states a case of this regime can be in today, given where its
/// evaluation periods fall.
fn states_for(kind: RegimeKind, eval_start: Date, today: Date) -> Vec<Status> {
    use Status::*;
    let eval_end = add_days(eval_start.checked_add(3.months()).unwrap_or(eval_start), -1);
    let goal_start = eval_start.checked_add(12.months()).unwrap_or(eval_start);
    let goal_end = add_days(goal_start.checked_add(3.months()).unwrap_or(goal_start), -1);
    if today < eval_start {
        return match kind {
            RegimeKind::Plan => vec![PlanSubmitted, PlanReturned, PlanCertified, Withdrawn],
            RegimeKind::NoPlan => vec![Draft, Draft, Withdrawn],
        };
    }
    if today <= eval_end {
        return vec![Evaluation, Evaluation, Withdrawn];
    }
    if today < goal_start {
        return vec![
            EquipmentFiled,
            EquipmentGranted,
            EquipmentDenied,
            Evaluation,
        ];
    }
    if today <= goal_end {
        return vec![GoalTracking, GoalTracking, EquipmentDenied];
    }
    vec![
        GoalFiled,
        GoalGranted,
        GoalGranted,
        GoalDenied,
        Closed,
        EquipmentDenied,
    ]
}

/// One case's document, its placement (state and dates) and the regime.
fn make_case(
    rng: &mut Rng,
    regime: &Regime,
    employer: &Value,
    today: Date,
    forced: Option<Status>,
) -> (Value, Status, StepChanges) {
    let span_days = (regime.applies_to - regime.applies_from).get_days().max(1) as u64;
    let key = add_days(regime.applies_from, rng.below(span_days.min(360)) as i64);
    let (submitted, certified, eval_start) = match regime.kind {
        RegimeKind::Plan => {
            let certified = add_days(key, 14 + rng.below(30) as i64);
            let start = first_of_next_month(add_days(certified, rng.below(60) as i64));
            (Some(key), Some(certified), start)
        }
        RegimeKind::NoPlan => (None, None, key.first_of_month()),
    };
    let eval_end = add_days(eval_start.checked_add(3.months()).unwrap_or(eval_start), -1);
    let employees = employer["regular_employees"].as_u64().unwrap_or(10).max(2);
    let targets = 1 + rng.below(employees.min(6));
    let mut telework = Vec::new();
    for w in 1..=targets {
        let days = 1 + rng.below(12);
        for _ in 0..days {
            let d = add_days(eval_start, rng.below(90) as i64);
            let place = if rng.below(10) == 0 {
                "satellite_office"
            } else {
                "home"
            };
            telework
                .push(json!({"worker": format!("E{w:03}"), "date": d.to_string(), "place": place}));
        }
    }
    // Evaluation period 2 (a year on): most keep teleworking at least as much.
    let goal_start = eval_start.checked_add(12.months()).unwrap_or(eval_start);
    let first_period: Vec<Value> = telework.clone();
    if goal_start <= today {
        let keep = rng.below(4) != 0;
        for r in &first_period {
            if keep || rng.below(2) == 0 {
                let day = add_days(goal_start, rng.below(90) as i64);
                telework
                    .push(json!({"worker": r["worker"], "date": day.to_string(), "place": "home"}));
            }
        }
    }
    let mut roster = Vec::new();
    for w in 1..=employees {
        let hired = add_days(regime.applies_from, -(365 + rng.below(3650) as i64));
        let left = (rng.below(12) == 0).then(|| add_days(key, rng.below(500) as i64 - 200));
        roster.push(json!({
            "id": format!("E{w:03}"), "hired_on": hired.to_string(),
            "left_on": left.map(|d| d.to_string()),
            "leave_reason": left.map(|_| *pick(rng, &["voluntary", "contract_end", "mandatory_retirement"])),
        }));
    }
    let before_start = add_days(eval_start, -80);
    let mut doc = json!({
        "employer": employer,
        "plan": {"target_workers": (1..=targets).map(|w| json!({
            "id": format!("E{w:03}"), "employment": "direct",
            "name": worker_name(w as usize), "employee_number": format!("{}", 1000 + w),
        })).collect::<Vec<_>>()},
        "evaluation_start": eval_start.to_string(),
        "work_rules_established_on": add_days(certified.unwrap_or(before_start), 10 + rng.below(20) as i64).to_string(),
        "workplace_climate": {
            "top_message_on": add_days(certified.unwrap_or(before_start), 3).to_string(),
            "case_sharing_on": add_days(certified.unwrap_or(before_start), 30).to_string(),
        },
        "telework": telework,
        "roster": roster,
    });
    match regime.kind {
        RegimeKind::Plan => {
            let c = certified.unwrap_or(key);
            let mut expenses = vec![json!({
                "id": "X1", "category": "work_rules", "amount_yen": 50_000 + 1_000 * rng.below(150),
                "delivered_on": add_days(c, 15).to_string(), "paid_on": add_days(c, 25).to_string(),
                "description": "就業規則の改定（社労士報酬）",
            })];
            if rng.below(10) < 7 {
                expenses.push(json!({
                    "id": "X2", "category": "network_equipment", "amount_yen": 30_000 + 1_000 * rng.below(150),
                    "delivered_on": add_days(c, 10).to_string(), "paid_on": add_days(c, 25).to_string(),
                    "description": "VPN ルーター",
                }));
            }
            if rng.below(10) < 5 {
                expenses.push(json!({
                    "id": "X3", "category": "web_conference_equipment", "amount_yen": 9_000 * targets,
                    "delivered_on": add_days(c, 10).to_string(), "paid_on": add_days(c, 25).to_string(),
                    "description": "ヘッドセットとカメラ",
                }));
            }
            doc["expenses"] = json!(expenses);
            doc["productivity"] = json!({"met": rng.below(4) == 0});
        }
        RegimeKind::NoPlan => {
            doc["measures"] =
                json!([{"kind": "worker_training", "on": add_days(before_start, 20).to_string()}]);
            doc["wage_increase"] = json!({"met": rng.below(10) < 3});
        }
    }
    let status = forced.unwrap_or_else(|| *pick(rng, &states_for(regime.kind, eval_start, today)));
    let mut set: Vec<(&'static str, Option<String>)> =
        vec![("regime", Some(regime.id.to_string()))];
    if regime.kind == RegimeKind::Plan && status != Status::Draft {
        set.push(("submitted_on", submitted.map(|d| d.to_string())));
        if !matches!(
            status,
            Status::PlanSubmitted | Status::PlanReturned | Status::PlanRejected
        ) {
            set.push(("certified_on", certified.map(|d| d.to_string())));
        }
    }
    let equipment_filed = add_days(eval_end, 10 + rng.below(40) as i64);
    if matches!(
        status,
        Status::EquipmentFiled
            | Status::EquipmentGranted
            | Status::EquipmentDenied
            | Status::GoalTracking
            | Status::GoalFiled
            | Status::GoalGranted
            | Status::GoalDenied
            | Status::Closed
    ) && equipment_filed <= today
    {
        set.push((
            "equipment_application_filed_on",
            Some(equipment_filed.to_string()),
        ));
    }
    if matches!(
        status,
        Status::GoalFiled | Status::GoalGranted | Status::GoalDenied | Status::Closed
    ) {
        let goal_end = add_days(
            eval_start.checked_add(15.months()).unwrap_or(eval_start),
            -1,
        );
        let filed = add_days(goal_end, 10 + rng.below(40) as i64);
        if filed <= today {
            set.push(("goal_application_filed_on", Some(filed.to_string())));
        }
    }
    let changes = StepChanges {
        set,
        decision: None,
        reason: Some("デモ用のデータ".into()),
        on: None,
    };
    (doc, status, changes)
}

/// The decisions of the demo cases the bureaus have decided: the first
/// subsidy of every case past it (granted, or denied for 機器等導入助成 denied),
/// 目標達成助成 of the cases decided on it; at the amount of the case's
/// evaluation snapshot, by the prefecture's officer, 20–60 days after the
/// filing (never after today). Denials carry a reason.
async fn decide(
    db: &Db,
    officers: &std::collections::HashMap<i64, josei_store::UserId>,
    today: Date,
    rng: &mut Rng,
) -> Result<(), String> {
    use josei_rules::evaluate::SubsidyStatus;
    use josei_store::{DecisionKind, ListQuery, NewDecision, Outcome, Scope, Verdict};
    let q = ListQuery {
        statuses: vec![
            Status::EquipmentGranted,
            Status::EquipmentDenied,
            Status::GoalTracking,
            Status::GoalFiled,
            Status::GoalGranted,
            Status::GoalDenied,
            Status::Closed,
        ],
        ..ListQuery::default()
    };
    let (rows, _) = db
        .list_page(&Scope::All, &q)
        .await
        .map_err(|e| e.to_string())?;
    let engine_status = |v: Option<Verdict>| match v {
        Some(Verdict::Payable) => SubsidyStatus::Payable,
        Some(Verdict::NotPayable) => SubsidyStatus::NotPayable,
        _ => SubsidyStatus::Pending,
    };
    for r in rows {
        let case = &r.case;
        let by = officers
            .get(&case.prefecture)
            .copied()
            .ok_or_else(|| format!("no officer for prefecture {}", case.prefecture))?;
        let mut version = case.version;
        let mut subsidies = vec![(
            DecisionKind::Equipment,
            case.status != Status::EquipmentDenied,
            case.equipment_application_filed_on.as_deref(),
            r.snapshot.equipment,
            r.snapshot.equipment_yen,
        )];
        if matches!(
            case.status,
            Status::GoalGranted | Status::GoalDenied | Status::Closed
        ) {
            subsidies.push((
                DecisionKind::Goal,
                case.status != Status::GoalDenied,
                case.goal_application_filed_on.as_deref(),
                r.snapshot.goal,
                r.snapshot.goal_yen,
            ));
        }
        for (kind, granted, filed, verdict, yen) in subsidies {
            let Some(filed) = filed.and_then(|f| josei_rules::civil::parse_iso_date(f).ok()) else {
                continue;
            };
            let on = add_days(filed, 20 + rng.below(41) as i64).min(today);
            let decision = NewDecision {
                kind,
                outcome: if granted {
                    Outcome::Granted
                } else {
                    Outcome::Denied
                },
                engine_version: josei_rules::ENGINE_VERSION.into(),
                regime: r.snapshot.regime.clone().unwrap_or_default(),
                engine_status: engine_status(verdict),
                engine_amount_yen: yen,
                decided_amount_yen: if granted { yen } else { 0 },
                overrides_engine: granted != (verdict == Some(Verdict::Payable)),
                reason: (!granted).then(|| {
                    "評価期間のテレワーク実施の記録が確認できないため（デモ用のデータ）".to_string()
                }),
                evaluation: Value::Null,
                assumptions: Value::Null,
                overlay_sha256: None,
                decided_on: on.to_string(),
                exclusions: json!([]),
            };
            let changes = StepChanges {
                decision: Some(decision),
                reason: Some("デモ用のデータ".into()),
                on: Some(on.to_string()),
                ..StepChanges::default()
            };
            let (updated, _) = db
                .step(
                    case.id,
                    version,
                    &[case.status],
                    case.status,
                    "demo",
                    changes,
                    by,
                )
                .await
                .map_err(|e| e.to_string())?;
            version = updated.version;
        }
    }
    Ok(())
}

/// The 令和 fiscal year of a case's evaluation period (its first day).
fn fiscal_reiwa(doc: &Value) -> i16 {
    let key = doc["evaluation_start"]
        .as_str()
        .and_then(|d| josei_rules::civil::parse_iso_date(d).ok())
        .unwrap_or(jiff::civil::date(2022, 4, 1));
    let fy = if key.month() >= 4 {
        key.year()
    } else {
        key.year() - 1
    };
    fy - 2018
}

fn employer_of(rng: &mut Rng, n: usize) -> Value {
    let employees = 3 + rng.below(60);
    json!({
        "name": format!("{}{} {}", pick(rng, FORMS), pick(rng, NAMES), n),
        "industry": *pick(rng, &["retail", "service", "wholesale", "other"]),
        "capital_yen": 1_000_000 * (1 + rng.below(50)),
        "regular_employees": employees,
        "employment_insurance": true,
        "telework_status": "none",
        "work_rules_have_telework": false,
        "received_telework_subsidy": false,
    })
}

/// A demo user's e-mail address: `employer1@example.invalid` (a domain
/// reserved never to resolve, so no demo mail reaches anyone).
fn demo_email(username: &str) -> String {
    format!("{username}@example.invalid")
}

/// Fills `db` (which must hold no users) with `cases` cases.
pub async fn fill(
    db: &Db,
    cases: u64,
    seed: u64,
    password: &str,
    today: Date,
) -> Result<Made, String> {
    if db.count_users().await.map_err(|e| e.to_string())? > 0 {
        return Err("このデータベースには既にユーザーがいます。デモのデータは空のデータベースにだけ作成できます（--database で新しいファイルを指定してください）".into());
    }
    if cases == 0 || cases > 1_000_000 {
        return Err("--cases は 1〜1,000,000 の件数で指定してください".into());
    }
    josei_app::auth::check_password_policy("admin", password)
        .map_err(|m| format!("JOSEI_DEMO_PASSWORD: {m}"))?;
    // Every demo user shares the password: hash it once, not per user.
    let hash = josei_app::auth::hash_password(password)?;
    let err = |e: josei_store::StoreError| e.to_string();
    let mut rng = Rng::new(seed);
    let admin = db
        .create_user_with_email(
            "admin",
            "管理者",
            &hash,
            Role::Admin,
            None,
            None,
            Some("admin@example.invalid"),
            None,
        )
        .await
        .map_err(err)?;
    let mut users = 1;
    let mut officers = std::collections::HashMap::new();
    for (pref, _) in PREFECTURES {
        let officer = db
            .create_user_with_email(
                &format!("officer{pref}"),
                &format!("{} 審査担当", bureau(*pref)),
                &hash,
                Role::Officer,
                None,
                Some(*pref),
                Some(&demo_email(&format!("officer{pref}"))),
                Some(admin.id),
            )
            .await
            .map_err(err)?;
        officers.insert(*pref, officer.id);
        users += 1;
    }
    // The programme's staff: two advisors of the テレワーク相談センター (also
    // its テレワークマネージャー) and two judges of 輝くテレワーク賞.
    let mut programme_staff = Vec::new();
    for (username, name, role) in [
        ("advisor1", "相談センター 相談員1", Role::Advisor),
        ("advisor2", "相談センター 相談員2", Role::Advisor),
        ("judge1", "テレワーク賞 審査員1", Role::Judge),
        ("judge2", "テレワーク賞 審査員2", Role::Judge),
    ] {
        let u = db
            .create_user_with_email(
                username,
                name,
                &hash,
                role,
                None,
                None,
                Some(&demo_email(username)),
                Some(admin.id),
            )
            .await
            .map_err(err)?;
        programme_staff.push(u);
        users += 1;
    }
    let employers = cases.div_ceil(4) as usize;
    let agents = employers.div_ceil(25);
    let mut agent_ids = Vec::with_capacity(agents);
    for a in 1..=agents {
        let u = db
            .create_user_with_email(
                &format!("agent{a}"),
                &format!("社会保険労務士 {a}"),
                &hash,
                Role::Agent,
                None,
                None,
                Some(&demo_email(&format!("agent{a}"))),
                Some(admin.id),
            )
            .await
            .map_err(err)?;
        agent_ids.push(u.id);
        users += 1;
    }
    let mut orgs = Vec::with_capacity(employers);
    for e in 1..=employers {
        let employer = employer_of(&mut rng, e);
        let pref = weighted(&mut rng, PREFECTURES);
        let org = db
            .create_org(pref, &employer, Some(admin.id))
            .await
            .map_err(err)?;
        let user = db
            .create_user_with_email(
                &format!("employer{e}"),
                employer["name"].as_str().unwrap_or(""),
                &hash,
                Role::Employer,
                Some(org.id),
                None,
                Some(&demo_email(&format!("employer{e}"))),
                Some(admin.id),
            )
            .await
            .map_err(err)?;
        users += 1;
        if rng.below(10) < 6 {
            let agent = *pick(&mut rng, &agent_ids);
            db.grant_delegation(org.id, agent, user.id)
                .await
                .map_err(err)?;
        }
        orgs.push((org.id, user.id, employer));
    }
    let regimes: Vec<&Regime> = regime::all().iter().collect();
    let progress = std::io::stderr().is_terminal();
    // Generated in order (the same seed gives the same cases), written in
    // batches by several connections at once: each case is three short
    // transactions, and on PostgreSQL their commits are what takes the time.
    const BATCH: u64 = 256;
    const WRITERS: usize = 8;
    let mut start = 0;
    while start < cases {
        let end = (start + BATCH).min(cases);
        let mut batch = Vec::with_capacity((end - start) as usize);
        for i in start..end {
            let (org_id, user_id, employer) = &orgs[(i as usize) % orgs.len()];
            // The first cases take every workflow state once, in a regime that has it.
            let forced = Status::ALL.get(i as usize).copied();
            let regime = match forced {
                Some(Status::Draft) => regimes
                    .iter()
                    .rev()
                    .find(|r| r.kind == RegimeKind::NoPlan)
                    .copied(),
                Some(
                    Status::PlanSubmitted
                    | Status::PlanReturned
                    | Status::PlanRejected
                    | Status::PlanCertified,
                ) => regimes
                    .iter()
                    .rev()
                    .find(|r| r.kind == RegimeKind::Plan)
                    .copied(),
                _ => None,
            }
            .unwrap_or_else(|| *pick(&mut rng, &regimes));
            let (doc, status, changes) = make_case(&mut rng, regime, employer, today, forced);
            let title = format!("令和{}年度 テレワーク導入 {}", fiscal_reiwa(&doc), i + 1);
            batch.push((*org_id, *user_id, title, doc, status, changes));
        }
        let per_writer = batch.len().div_ceil(WRITERS).max(1);
        let mut writers = tokio::task::JoinSet::new();
        let mut rest = batch;
        while !rest.is_empty() {
            let tail = rest.split_off(per_writer.min(rest.len()));
            let mine = std::mem::replace(&mut rest, tail);
            let db = db.clone();
            let by = admin.id;
            writers.spawn(async move {
                for (org_id, user_id, title, doc, status, changes) in mine {
                    let case = db
                        .create_case(org_id, &title, user_id)
                        .await
                        .map_err(|e| e.to_string())?;
                    let case = db
                        .save_inputs(case.id, case.version, &doc, Some(user_id))
                        .await
                        .map_err(|e| format!("{title}: {e}"))?;
                    db.step(
                        case.id,
                        case.version,
                        Status::ALL,
                        status,
                        "demo",
                        changes,
                        by,
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                }
                Ok::<(), String>(())
            });
        }
        while let Some(done) = writers.join_next().await {
            done.map_err(|e| e.to_string())??;
        }
        start = end;
        if progress {
            eprint!("\r{start} / {cases} 件");
            let _ = std::io::stderr().flush();
        }
    }
    if progress {
        eprintln!("\r{cases} / {cases} 件");
    }
    programme(db, &programme_staff, admin.id, &orgs, today)
        .await
        .map_err(err)?;
    josei_app::snapshots::refresh_all_snapshots(db).await?;
    decide(db, &officers, today, &mut rng).await?;
    // The decisions marked their cases' snapshots stale.
    josei_app::snapshots::refresh_all_snapshots(db).await?;
    db.optimize().await.map_err(|e| e.to_string())?;
    Ok(Made {
        users,
        organizations: orgs.len(),
        cases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_workers_have_names_people_read() {
        let names: Vec<String> = (1..=12).map(worker_name).collect();
        let distinct: std::collections::BTreeSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), 12, "{names:?}");
        assert!(names
            .iter()
            .all(|n| !n.chars().any(|c| c.is_ascii_alphanumeric())));
    }

    #[test]
    fn demo_users_have_addresses_that_reach_no_one() {
        let a = demo_email("employer1");
        assert_eq!(a, "employer1@example.invalid");
        assert_eq!(
            josei_app::mail::validate_email(&a).unwrap().as_deref(),
            Some(a.as_str())
        );
    }

    #[test]
    fn states_follow_the_dates() {
        let today = jiff::civil::date(2026, 11, 21);
        let s = |kind, start| states_for(kind, start, today);
        assert!(s(RegimeKind::NoPlan, jiff::civil::date(2027, 1, 1)).contains(&Status::Draft));
        assert!(s(RegimeKind::NoPlan, jiff::civil::date(2026, 10, 1)).contains(&Status::Evaluation));
        assert!(s(RegimeKind::Plan, jiff::civil::date(2022, 8, 1)).contains(&Status::GoalGranted));
        assert!(!s(RegimeKind::Plan, jiff::civil::date(2022, 8, 1)).contains(&Status::Draft));
    }
}
