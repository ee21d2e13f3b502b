//! The public self-diagnosis: which subsidy, how much, what to do, by the
//! rules of the year the dates fall in; the labour bureau to ask; and, after
//! signing in, a new application started from the answers. Also the public
//! directory of labour bureaus.

use super::*;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use jiff::civil::Date;
use josei_app::today;
use josei_rules::civil::parse_iso_date;
use josei_rules::evaluate::{CheckId, CheckStatus};
use josei_rules::model::ExpenseCategory;
use josei_store::bureaus::{prefecture_name, PREFECTURES};
use josei_store::Bureau;
use maud::{html, Markup};
use serde_json::{json, Value};
use std::collections::HashMap;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/diagnosis", get(diagnosis))
        .route("/diagnosis/start", get(start_page).post(start_submit))
        .route("/bureaus", get(bureaus_page))
}

/// Expense categories asked about in the diagnosis, in the seed's order, with
/// their form fields (`x_` and the category).
pub(crate) const DIAGNOSIS_CATEGORIES: [(ExpenseCategory, &str); 14] = [
    (ExpenseCategory::WorkRules, "x_work_rules"),
    (ExpenseCategory::NetworkEquipment, "x_network_equipment"),
    (ExpenseCategory::ServerEquipment, "x_server_equipment"),
    (ExpenseCategory::NasEquipment, "x_nas_equipment"),
    (ExpenseCategory::SecurityEquipment, "x_security_equipment"),
    (
        ExpenseCategory::WebConferenceEquipment,
        "x_web_conference_equipment",
    ),
    (
        ExpenseCategory::SatelliteOfficeFee,
        "x_satellite_office_fee",
    ),
    (
        ExpenseCategory::TeleworkServiceInitial,
        "x_telework_service_initial",
    ),
    (
        ExpenseCategory::TeleworkServiceFee,
        "x_telework_service_fee",
    ),
    (ExpenseCategory::ManagerTraining, "x_manager_training"),
    (ExpenseCategory::WorkerTraining, "x_worker_training"),
    (ExpenseCategory::Consulting, "x_consulting"),
    (
        ExpenseCategory::PcTabletSmartphone,
        "x_pc_tablet_smartphone",
    ),
    (ExpenseCategory::PcRentalLease, "x_pc_rental_lease"),
];

/// The industries of the SME test, as the form offers them.
const INDUSTRIES: [(&str, &str); 4] = [
    ("retail", "小売業（飲食店を含む）"),
    ("service", "サービス業"),
    ("wholesale", "卸売業"),
    ("other", "その他の業種"),
];

/// Where the employer stands with telework, as the form offers it.
const TELEWORK_STATUSES: [(&str, &str); 5] = [
    ("none", "これから導入する"),
    ("trial_ongoing", "試行中"),
    ("trial_ended", "試行したことがある"),
    ("expanding", "すでに実施していて、対象者や回数を拡大する"),
    ("established", "制度として定着している"),
];

/// The answers a diagnosis reads (the query's keys), which the button
/// 「この内容で申請を始める」 carries to the new application.
const ANSWER_KEYS: [&str; 11] = [
    "industry",
    "capital",
    "employees",
    "telework_status",
    "work_rules",
    "prior",
    "insurance",
    "submitted",
    "certified",
    "targets",
    "pref",
];

/// A field's name for the error summary.
fn field_label(field: &str) -> &'static str {
    match field {
        "industry" => "業種",
        "capital" => "資本金・出資の総額",
        "employees" => "常時雇用する労働者の数",
        "submitted" => "取組を始める日",
        "certified" => "計画の認定の見込み日",
        "targets" => "対象労働者の数",
        "pref" => "事業所の所在地",
        "telework_status" => "テレワークの状況",
        "title" => "件名",
        "organization_id" => "事業主",
        _ => DIAGNOSIS_CATEGORIES
            .iter()
            .find(|(_, k)| *k == field)
            .map_or("入力", |(c, _)| c.label_ja()),
    }
}

/// Plain-language help for a term, folded under its field.
fn help(term: &str, text: &str) -> Markup {
    html! {
        details.help {
            summary { "「" (term) "」とは" }
            p { (text) }
        }
    }
}

/// The errors of a form: a summary that links to each field, at the top.
fn error_summary(errors: &[(&'static str, String)]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.errors role="alert" tabindex="-1" #error-summary {
                p { "入力を確かめてください（" (errors.len()) "か所）。" }
                ul { @for (f, m) in errors { li { a href=(format!("#{f}")) { (field_label(f)) } "：" (m) } } }
            }
        }
    }
}

/// The diagnosis's answers, read and checked.
#[derive(Debug)]
pub(crate) struct Answers {
    /// The case format's `employer`, without its name.
    pub employer: Value,
    /// The day the measures start (plan regimes: the plan's submission).
    pub start: Date,
    /// Plan regimes: the expected certification.
    pub certified: Date,
    pub targets: u64,
    pub spend: Vec<(ExpenseCategory, u64)>,
    /// The prefecture of the establishment, when chosen.
    pub prefecture: Option<i64>,
}

/// Reads the answers of `q` as of `today`; on failure every field at fault.
pub(crate) fn read_answers(
    q: &HashMap<String, String>,
    today: Date,
) -> Result<Answers, Vec<(&'static str, String)>> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let number = |k: &'static str,
                  required: bool,
                  errors: &mut Vec<(&'static str, String)>|
     -> Option<u64> {
        // Digits as people type them: full-width, with commas.
        let v: String = get(k)
            .chars()
            .filter(|c| !matches!(c, ',' | '，'))
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                c => c,
            })
            .collect();
        if v.is_empty() {
            if required {
                errors.push((k, "入力してください".into()));
            }
            return None;
        }
        match v.parse::<u64>() {
            Ok(n) if n <= 1_000_000_000_000_000 => Some(n),
            _ => {
                let shown: String = v.chars().take(20).collect();
                errors.push((
                    k,
                    format!("0以上の整数で入力してください（「{shown}」は使えません）"),
                ));
                None
            }
        }
    };
    if !INDUSTRIES.iter().any(|(v, _)| *v == get("industry")) {
        errors.push(("industry", "業種を選んでください".into()));
    }
    let capital = number("capital", false, &mut errors);
    let employees = number("employees", true, &mut errors);
    let targets = number("targets", true, &mut errors);
    if targets == Some(0) {
        errors.push(("targets", "1人以上を入力してください".into()));
    } else if targets.is_some_and(|t| t > 1_000) {
        errors.push(("targets", "1,000人以内で入力してください".into()));
    }
    let mut spend = Vec::new();
    for (c, key) in DIAGNOSIS_CATEGORIES {
        if let Some(n) = number(key, false, &mut errors) {
            if n > 0 {
                spend.push((c, n));
            }
        }
    }
    let prefecture = match get("pref").as_str() {
        "" => None,
        p => match p
            .parse::<i64>()
            .ok()
            .filter(|p| prefecture_name(*p).is_some())
        {
            Some(p) => Some(p),
            None => {
                errors.push(("pref", "一覧から都道府県を選んでください".into()));
                None
            }
        },
    };
    let date = |k: &'static str, errors: &mut Vec<(&'static str, String)>| -> Option<Date> {
        let v = get(k);
        if v.is_empty() {
            return None;
        }
        match parse_iso_date(&v) {
            Ok(d) => Some(d),
            Err(_) => {
                let shown: String = v.chars().take(20).collect();
                errors.push((
                    k,
                    format!("「{shown}」は日付として使えません（例: 2026-12-01）"),
                ));
                None
            }
        }
    };
    let start = date("submitted", &mut errors).unwrap_or(today);
    let plan_regime = josei_rules::regime::set().for_submission(start);
    let certified = match (plan_regime, date("certified", &mut errors)) {
        (Some(_), Some(c)) if c < start => {
            errors.push(("certified", "提出予定日より後の日付にしてください".into()));
            start
        }
        (_, Some(c)) => c,
        (_, None) => josei_rules::civil::next_day(josei_rules::civil::period_end(start, 1)),
    };
    let status = get("telework_status");
    if !TELEWORK_STATUSES.iter().any(|(v, _)| *v == status) {
        errors.push(("telework_status", "テレワークの状況を選んでください".into()));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Answers {
        employer: json!({
            "industry": get("industry"), "capital_yen": capital, "regular_employees": employees,
            "employment_insurance": get("insurance") != "no", "telework_status": status,
            "work_rules_have_telework": get("work_rules") == "yes", "received_telework_subsidy": get("prior") == "yes",
        }),
        start,
        certified,
        targets: targets.unwrap_or(1),
        spend,
        prefecture,
    })
}

/// The case the answers describe, and in words which year's rules it falls under.
pub(crate) struct Diagnosed {
    pub doc: Value,
    pub note: String,
    /// No-plan regimes (令和7年度 on): the first day of the evaluation period.
    pub evaluation_start: Option<Date>,
}

/// The case of `a` in the case format: a plan regime when one covers the
/// start, else the no-plan regime of the evaluation period that follows the
/// 3 months of measures, else the newest regime.
pub(crate) fn diagnosed_case(a: &Answers) -> Result<Diagnosed, Vec<(&'static str, String)>> {
    let set = josei_rules::regime::set();
    let (start, certified) = (a.start, a.certified);
    let target_workers = (0..a.targets.min(1000))
        .map(|i| json!({"id": format!("W{i}"), "employment": "direct"}))
        .collect::<Vec<_>>();
    if let Some(r) = set.for_submission(start) {
        return Ok(Diagnosed {
            doc: json!({
                "regime": r.id,
                "as_of": start.to_string(),
                "employer": a.employer,
                "plan": {"submitted_on": start.to_string(), "certified_on": certified.to_string(), "target_workers": target_workers},
                "evaluation_start": certified.to_string(),
                "expenses": a.spend.iter().map(|(c, n)| json!({"id": c.as_str(), "category": c.as_str(), "amount_yen": n,
                    "delivered_on": certified.to_string(), "paid_on": certified.to_string()})).collect::<Vec<_>>(),
            }),
            note: format!(
                "{}の制度で判定しました（計画の提出日 {} の場合）",
                r.name,
                jd(start)
            ),
            evaluation_start: None,
        });
    }
    let evaluation_start = josei_rules::civil::next_day(josei_rules::civil::period_end(start, 3));
    let (r, note) = match set.for_evaluation_start(evaluation_start) {
        Some(r) => (
            r,
            format!(
                "{}の制度で判定しました（{} から3か月の取組を行い、評価期間を {} から始める場合）",
                r.name,
                jd(start),
                jd(evaluation_start)
            ),
        ),
        None => {
            let newest = set
                .all()
                .last()
                .ok_or_else(|| vec![("submitted", "制度のデータがありません".to_string())])?;
            (
                newest,
                format!(
                    "{} に始まる評価期間の制度はまだ公表されていないため、{}の制度で判定しました",
                    jd(evaluation_start),
                    newest.name
                ),
            )
        }
    };
    Ok(Diagnosed {
        doc: json!({
            "regime": r.id,
            "as_of": start.to_string(),
            "employer": a.employer,
            "plan": {"target_workers": target_workers},
            "evaluation_start": evaluation_start.to_string(),
            "expenses": a.spend.iter().map(|(c, n)| json!({"id": c.as_str(), "category": c.as_str(), "amount_yen": n,
                "delivered_on": start.to_string(), "paid_on": start.to_string()})).collect::<Vec<_>>(),
        }),
        note,
        evaluation_start: Some(evaluation_start),
    })
}

/// The answers of `q` as a query string (only the diagnosis's own keys, only
/// those answered), for the button that carries them on.
fn answers_query(q: &HashMap<String, String>) -> String {
    let keys = ANSWER_KEYS
        .iter()
        .copied()
        .chain(DIAGNOSIS_CATEGORIES.iter().map(|(_, k)| *k));
    keys.filter_map(|k| {
        let v = q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty())?;
        let v: String = v.chars().take(40).collect();
        Some(format!("{k}={}", urlencode(&v)))
    })
    .collect::<Vec<_>>()
    .join("&")
}

/// The answers of `q` as hidden fields.
fn answers_hidden(q: &HashMap<String, String>) -> Markup {
    let keys = ANSWER_KEYS
        .iter()
        .copied()
        .chain(DIAGNOSIS_CATEGORIES.iter().map(|(_, k)| *k));
    html! {
        @for k in keys {
            @if let Some(v) = q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty()) {
                input type="hidden" name=(k) value=(v.chars().take(40).collect::<String>());
            }
        }
    }
}

pub(crate) async fn diagnosis(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let today = today(&state).await.unwrap_or(Date::MIN);
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let asked = q.contains_key("industry");
    // An employer's own prefecture is the default.
    let own_prefecture = match user.as_ref().and_then(|u| u.user.organization_id) {
        Some(org) => state.db.org(org).await.ok().flatten().map(|o| o.prefecture),
        None => None,
    };
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let mut result = None;
    if asked {
        match read_answers(&q, today) {
            Ok(a) => {
                let bureau = match a.prefecture {
                    Some(p) => josei_app::bureaus::get(&state, p).await.ok(),
                    None => None,
                };
                match diagnose(&a, bureau.as_ref(), &q, user.as_ref()) {
                    Ok(r) => result = Some(r),
                    Err(e) => errors = e,
                }
            }
            Err(e) => errors = e,
        }
    }
    let err_for = |field: &str| {
        errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
    };
    let val = |k: &str, default: &str| {
        if q.contains_key(k) {
            get(k)
        } else {
            default.to_string()
        }
    };
    let checked = |k: &str, v: &str, default: bool| {
        if q.contains_key(k) {
            get(k) == v
        } else {
            default
        }
    };
    let pref_default = own_prefecture.map(|p| p.to_string()).unwrap_or_default();
    // A number field with its label, hint, inline error and help.
    let number_field = |key: &str, label: &str, hint: Option<&str>, value: String| {
        let err = err_for(key);
        let described = [
            hint.map(|_| format!("{key}-hint")),
            err.as_ref().map(|_| format!("{key}-error")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        html! {
            label for=(key) { (label) }
            @if let Some(h) = hint { p.hint id=(format!("{key}-hint")) { (h) } }
            input id=(key) type="text" inputmode="numeric" name=(key) value=(value)
                aria-invalid=[err.as_ref().map(|_| "true")]
                aria-describedby=[(!described.is_empty()).then_some(described)];
            @if let Some(m) = err { p.field-error id=(format!("{key}-error")) { (m) } }
        }
    };
    let body = html! {
        h1 { "助成金の診断" }
        p { "質問に答えて「診断する」を押してください。入力した内容は保存されません。言葉の意味は、各項目の「〜とは」を開くと説明があります。" }
        (error_summary(&errors))
        @if let Some(r) = &result { (r) h2 { "答えを変えて診断し直す" } }
        form method="get" action="/diagnosis" novalidate {
            fieldset {
                legend { "事業主について" }
                label for="industry" { "業種" }
                select #industry name="industry" {
                    @for (v, l) in INDUSTRIES {
                        option value=(v) selected[val("industry", "other") == v] { (l) }
                    }
                }
                (number_field("capital", "資本金・出資の総額（円）", Some("個人事業主など資本金がない場合は空欄にしてください。"), val("capital", "")))
                (help("資本金・出資の総額", "株式会社の資本金、または合同会社などの出資の総額です。中小企業に当たるかどうかは、資本金か、常時雇用する労働者の数のどちらかが業種ごとの基準以下かで決まります。"))
                (number_field("employees", "常時雇用する労働者の数（人）", None, val("employees", "")))
                (help("常時雇用する労働者", "2か月を超えて雇用されていて、週の所定労働時間が正社員とほぼ同じ人のことです。パートやアルバイトでも、この条件に当てはまれば数えます。役員や、派遣で受け入れている人は数えません。"))
                fieldset.choices #telework_status {
                    legend { "テレワークの状況" }
                    @for (v, l) in TELEWORK_STATUSES {
                        label { input type="radio" name="telework_status" value=(v) checked[checked("telework_status", v, v == "none")]; " " (l) }
                    }
                    @if let Some(m) = err_for("telework_status") { p.field-error #telework_status-error { (m) } }
                }
                (help("テレワーク勤務", "労働者が自宅やサテライトオフィス（会社が用意した、ふだんの職場とは別の仕事場）で、パソコンなどの情報通信機器を使って働くことです。移動中やカフェなどで働くモバイル勤務と、出社は、この助成金のテレワークに数えません。"))
                fieldset.choices {
                    legend { "就業規則などに、テレワークの規定がすでにありますか" }
                    label { input type="radio" name="work_rules" value="no" checked[checked("work_rules", "no", true)]; " ない" }
                    label { input type="radio" name="work_rules" value="yes" checked[checked("work_rules", "yes", false)]; " ある" }
                }
                (help("就業規則", "労働時間や賃金など、職場のルールを会社が文書にまとめたものです。この助成金では、テレワークの制度（対象者、申請の手続、費用の負担など）を就業規則や労働協約に新しく定めることが要件の一つです。すでに定めている場合は、原則として対象になりません（令和6年度からの「実施の拡大」を除きます）。"))
                fieldset.choices {
                    legend { "過去にテレワーク導入の助成金を受けたことがありますか" }
                    label { input type="radio" name="prior" value="no" checked[checked("prior", "no", true)]; " ない" }
                    label { input type="radio" name="prior" value="yes" checked[checked("prior", "yes", false)]; " ある" }
                }
                (help("テレワーク導入の助成金", "この助成金（テレワークコース）や、厚生労働省の以前のテレワーク導入の助成金のことです。受けたことがあれば「ある」を選んでください。都道府県や市区町村の補助金は含みません。"))
                fieldset.choices {
                    legend { "雇用保険の適用事業主ですか" }
                    label { input type="radio" name="insurance" value="yes" checked[checked("insurance", "yes", true)]; " はい" }
                    label { input type="radio" name="insurance" value="no" checked[checked("insurance", "no", false)]; " いいえ" }
                }
                (help("雇用保険の適用事業主", "労働者を雇用保険に加入させ、雇用保険料を納めている事業主です。労働者を1人でも雇っていれば、原則として加入の義務があります。"))
                label for="pref" { "事業所の所在地（都道府県）" }
                p.hint #pref-hint { "問い合わせ先の労働局を表示します。" }
                select #pref name="pref" aria-describedby="pref-hint" aria-invalid=[err_for("pref").map(|_| "true")] {
                    option value="" selected[val("pref", &pref_default).is_empty()] { "選んでください" }
                    @for (i, p) in PREFECTURES.iter().enumerate() {
                        @let code = (i + 1).to_string();
                        option value=(code) selected[val("pref", &pref_default) == code] { (p) }
                    }
                }
                @if let Some(m) = err_for("pref") { p.field-error #pref-error { (m) } }
            }
            fieldset {
                legend { "いつ始めますか" }
                label for="submitted" { "取組を始める日（令和6年度までの制度では、計画を提出する日）" }
                p.hint #submitted-hint { "この日付から、どの年度の制度が当てはまるかを判断します。令和7年度からは計画の提出・認定はなく、評価期間の前3か月に取組を行います。" }
                input #submitted type="date" name="submitted" value=(val("submitted", &today.to_string()))
                    aria-invalid=[err_for("submitted").map(|_| "true")]
                    aria-describedby=(if err_for("submitted").is_some() { "submitted-hint submitted-error" } else { "submitted-hint" });
                @if let Some(m) = err_for("submitted") { p.field-error #submitted-error { (m) } }
                (help("評価期間", "テレワークの実績を評価する3か月間です。この期間に、対象労働者全員が1回以上テレワークをするか、対象労働者のテレワークの回数が週平均1回以上になることが要件です。令和7年度からは、評価期間の前の3か月に就業規則の整備や研修などの取組を行います。"))
                (help("職場風土作り", "全労働者に向けて、社長など会社のトップからテレワークを勧めるメッセージを出したり社内で呼びかけたりすることと、テレワークの事例を集めて社内で共有することです。令和4年度から必要です。"))
                label for="certified" { "計画の認定の見込み日（令和6年度までの制度のみ）" }
                p.hint #certified-hint { "空欄なら提出の1か月後として計算します。" }
                input #certified type="date" name="certified" value=(val("certified", ""))
                    aria-invalid=[err_for("certified").map(|_| "true")]
                    aria-describedby=(if err_for("certified").is_some() { "certified-hint certified-error" } else { "certified-hint" });
                @if let Some(m) = err_for("certified") { p.field-error #certified-error { (m) } }
                (number_field("targets", "テレワークをする予定の労働者（対象労働者）の数", None, val("targets", "3")))
                (help("対象労働者", "テレワークをする予定の労働者として、あらかじめ指定する人です。少なくとも1人は、自社で直接雇用している人にします（派遣で受け入れている人も指定できます）。"))
            }
            fieldset {
                legend { "予定している経費（税込・円）" }
                p.hint { "令和6年度までの制度で使います。認定日より後に納品・支払をするものを入力してください。空欄は0円です。令和7年度からは定額のため、経費の額は金額に影響しません。" }
                @for (c, key) in DIAGNOSIS_CATEGORIES {
                    (number_field(key, c.label_ja(), None, val(key, "")))
                }
            }
            button type="submit" { "診断する" }
        }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, page("助成金の診断", user.as_ref(), body)).into_response()
}

/// The engine's verdict on the answers, the total, and the next steps with
/// the labour bureau of the chosen prefecture.
pub(crate) fn diagnose(
    a: &Answers,
    bureau: Option<&Bureau>,
    q: &HashMap<String, String>,
    user: Option<&WebUser>,
) -> Result<Markup, Vec<(&'static str, String)>> {
    let Diagnosed {
        doc,
        note,
        evaluation_start,
    } = diagnosed_case(a)?;
    let (start, certified) = (a.start, a.certified);
    let parsed = josei_rules::parse_case(&doc.to_string(), start).map_err(|e| {
        let field: &'static str = match e.field.as_str() {
            "employer.industry" => "industry",
            "employer.telework_status" => "telework_status",
            _ => "submitted",
        };
        vec![(field, e.message)]
    })?;
    let e = josei_rules::evaluate(&parsed);
    let employer_ids = [
        CheckId::EmploymentInsurance,
        CheckId::Sme,
        CheckId::TeleworkStatus,
        CheckId::NoTeleworkRulesAtPlan,
        CheckId::NoPriorSubsidy,
        CheckId::DirectTargetWorker,
    ];
    let employer_checks: Vec<_> = e
        .equipment_subsidy
        .checks
        .iter()
        .filter(|c| employer_ids.contains(&c.id))
        .collect();
    let eligible = employer_checks
        .iter()
        .all(|c| c.status == CheckStatus::Pass);
    let s = &e.schedule;
    let no_plan = parsed.regime.no_plan();
    let premium = match parsed.regime.params.premium_condition {
        josei_rules::regime::PremiumCondition::Productivity => "生産性要件",
        josei_rules::regime::PremiumCondition::Wage => "賃金要件（賃金5％以上の引上げ）",
        josei_rules::regime::PremiumCondition::None => "",
    };
    let (first, goal) = (&e.equipment_subsidy, &e.goal_subsidy);
    // Both subsidies together (an estimate), and with the premium.
    let (first_yen, goal_yen, goal_premium_yen) = match no_plan {
        Some(np) => (
            first.amount_yen.0,
            np.goal_amount_yen,
            Some(np.goal_amount_premium_yen),
        ),
        None => (first.amount_yen.0, goal.amount_yen.0, None),
    };
    let total = if eligible { first_yen + goal_yen } else { 0 };
    let start_query = answers_query(q);
    let can_start = user.is_none_or(|u| matches!(u.user.role, Role::Employer | Role::Agent));
    Ok(html! {
        section #result aria-live="polite" {
            h2 { "診断の結果" }
            p.regime-note { strong { (note) } }
            @if eligible {
                p.amount.ok { "対象になる見込みです" }
            } @else {
                p.amount.ng { "このままでは対象になりません" }
            }
            ul {
                @for c in &employer_checks {
                    @let (mark, class, _) = check_mark(c.status);
                    li { span class=(class) { (mark) " " } (c.message) " " span.citation { "（" (c.citation) "）" } }
                }
            }
            h2 { "受け取れる見込みの額" }
            div.cards {
                @match no_plan {
                    Some(np) => {
                        div.card { h3 { (first.name) } p.amount { (yen(if eligible { first.amount_yen.0 } else { 0 })) } p { "定額です。評価期間のテレワーク実績などの要件を満たした場合" } }
                        div.card { h3 { (goal.name) } p.amount { (yen(if eligible { np.goal_amount_yen } else { 0 })) } p { (premium) "を満たすと " (yen(np.goal_amount_premium_yen)) "。1年後の離職率と、テレワーク実績が評価期間以上であることが要件です" } }
                    }
                    None => {
                        div.card { h3 { (first.name) } p.amount { (yen(if eligible { first.amount_yen.0 } else { 0 })) } p { "対象経費 " (yen(e.expenses.eligible_total_yen.0)) " × " (first.rate_percent.unwrap_or(0)) "％（上限 " (yen(first.cap_yen.0)) "）" } }
                        div.card { h3 { (goal.name) } p.amount { (yen(if eligible { goal.amount_yen.0 } else { 0 })) } p { "対象経費 × " (goal.rate_percent.unwrap_or(0)) "％（" (premium) "を満たすと " (parsed.regime.plan().map_or(0, |p| p.goal_rate_premium_percent)) "％）。1年後の離職率とテレワークの実施人数の目標を達成した場合" } }
                    }
                }
            }
            div.total #total {
                p { "2つの助成金の合計（見込み）" }
                p.amount { (yen(total)) }
                p.hint {
                    "診断の答えから計算した目安です。実際の額は、労働局が申請の内容を審査して決めます。"
                    @if let (true, Some(p)) = (eligible, goal_premium_yen) {
                        " " (premium) "を満たすと、合計 " (yen(first_yen + p)) "です。"
                    }
                }
            }
            @if !e.assumptions.is_empty() {
                details.assumptions {
                    summary { "未確認の前提（" (e.assumptions.len()) "件）" }
                    p.hint { "公式の支給要領でまだ確認できていない値や、このサービスでの解釈を含みます。最寄りの労働局で確認してください。" }
                    ul { @for a in &e.assumptions { li { (assumption_label(a.parameter)) "（" (a.grade.label_ja()) "）" } } }
                }
            }
            @if no_plan.is_none() && !e.expenses.categories.is_empty() {
                div.table-wrap { table {
                    caption { "経費の区分ごとの上限" }
                    thead { tr { th scope="col" { "区分" } th.num scope="col" { "予定額" } th.num scope="col" { "上限" } th.num scope="col" { "対象になる額" } } }
                    tbody { @for c in &e.expenses.categories {
                        tr { td { (c.category.label_ja()) } td.num { (yen(c.claimed_yen.0)) } td.num { (yen(c.cap_yen.0)) } td.num { (yen(c.eligible_yen.0)) } }
                    } }
                } }
            }
            @if no_plan.is_some() {
                h2 { "日程（取組を " (jd(start)) " に始めた場合）" }
            } @else {
                h2 { "日程（認定日を " (jd(certified)) " とした場合）" }
            }
            div.table-wrap { table.schedule {
                caption.visually-hidden { "日程" }
                tbody {
                    @if no_plan.is_none() { tr { th scope="row" { "計画の提出" } td { (jd(start)) } } }
                    @if let Some(p) = s.measures_window { tr { th scope="row" { "取組（職場風土作り・就業規則・研修など）を行う期間" } td { (jd(p.from())) " 〜 " (jd(p.to())) } } }
                    @if let Some(p) = s.evaluation_window { tr { th scope="row" { "評価期間を設定できる期間" } td { (jd(p.from())) " 〜 " (jd(p.to())) } } }
                    @if let Some(p) = s.evaluation_period { tr { th scope="row" { @if no_plan.is_some() { "評価期間（3か月）" } @else { "評価期間（例: 認定日から3か月）" } } td { (jd(p.from())) " 〜 " (jd(p.to())) } } }
                    @if let Some(d) = s.equipment_application_deadline { tr { th scope="row" { (first.name) "の申請期限" } td { (jd(d.effective)) @if d.nominal != d.effective { " （本来の期限 " (jd(d.nominal)) " が閉庁日のため延長）" } } } }
                    @if let Some(p) = s.goal_evaluation_period { tr { th scope="row" { "目標達成助成の評価期間" } td { (jd(p.from())) " 〜 " (jd(p.to())) } } }
                    @if let Some(d) = s.goal_application_deadline { tr { th scope="row" { "目標達成助成の申請期限" } td { (jd(d.effective)) } } }
                }
            } }
            @if no_plan.is_some() {
                h2 { "評価期間の前3か月に行うこと" }
                div.notice { ul {
                    li { "全労働者に向けた、企業トップからのメッセージ発信・社内呼びかけと、テレワーク事例の収集・社内周知（職場風土作り。必須）" }
                    li { "就業規則等にテレワーク制度を整備すること" }
                    li { "外部専門家によるコンサルティング、労務管理担当者への研修、労働者への研修のいずれか1つ以上" }
                } }
            } @else {
                h2 { "認定の前にしてはいけないこと" }
                div.notice { ul {
                    li { "就業規則にテレワークの規定を追加・作成すること（認定日以降に整備します）" }
                    li { "テレワーク用の機器やサービスを購入・納品・支払すること（認定日より前のものは対象外です）" }
                } }
                p.hint { "PC・タブレット・スマートフォンの購入は助成の対象外です。旅費は研修・コンサルティングのものに限り合計1万1千円までです。" }
            }
            h2 { "次にすること" }
            ol.next-steps {
                li {
                    strong { "労働局に相談する" }
                    p { "要件や書類は、事業所の所在地を受け持つ都道府県労働局が案内しています。始める前に確かめておくと安心です。" }
                    (bureau_contact(bureau))
                }
                @if no_plan.is_some() {
                    li {
                        strong { "取組の準備をする" }
                        @if let Some(s) = evaluation_start {
                            p { "評価期間を " (jd(s)) " から始める場合、その前の3か月に、上の「評価期間の前3か月に行うこと」を行います。" }
                        }
                    }
                } @else {
                    li { strong { "テレワーク実施計画を作って提出する" } p { "計画の認定を受けてから、就業規則の整備や機器の導入を行います。" } }
                }
                li {
                    strong { "申請を始める" }
                    @if can_start {
                        p { "この診断の答え（事業主の情報と日程）を入れた申請を作れます。" @if user.is_none() { "ログインが必要です。" } }
                        a.button #start-application href=(format!("/diagnosis/start?{start_query}")) { "この内容で申請を始める" }
                    } @else {
                        p { "申請を作れるのは、事業主と社会保険労務士の方です。" }
                    }
                }
            }
        }
    })
}

/// The bureau to ask: name, department, telephone; or what is not known yet.
fn bureau_contact(bureau: Option<&Bureau>) -> Markup {
    html! {
        div.bureau #bureau {
            @match bureau {
                None => {
                    p { "上の「事業所の所在地」で都道府県を選ぶと、問い合わせ先の労働局を表示します。" a href="/bureaus" { "労働局の一覧" } "からも探せます。" }
                }
                Some(b) => {
                    p.bureau-name { strong { (b.name) } " " (b.department) }
                    @if b.phone.is_empty() {
                        p { "電話番号はまだ登録されていません。" a href="/bureaus" { "労働局の一覧" } "に載っている厚生労働省の案内で確かめてください。" }
                    } @else {
                        p { "電話 " a href=(format!("tel:{}", b.phone)) { (b.phone) } }
                    }
                    @if !b.address.is_empty() { p { "所在地 " (b.address) } }
                    @if !b.url.is_empty() { p { a href=(b.url) rel="noopener" { (b.name) "のホームページ" } } }
                    @if !b.source.is_empty() { p.hint { "出典：" (b.source) } }
                }
            }
        }
    }
}

/// A parameter's name for people (for 「未確認の前提」).
pub(crate) fn assumption_label(parameter: &str) -> &'static str {
    josei_rules::regime::ParamId::parse(parameter).map_or("その他の値", |p| p.label_ja())
}

/// `/bureaus`: every labour bureau and how to reach it; no login.
pub(crate) async fn bureaus_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> Response {
    let bureaus = match josei_app::bureaus::list(&state).await {
        Ok(b) => b,
        Err(e) => {
            return plain_error_page(crate::error::status(&e), &e.message);
        }
    };
    let known = bureaus.iter().filter(|b| !b.phone.is_empty()).count();
    let body = html! {
        h1 { "都道府県労働局の問い合わせ先" }
        p { "助成金の要件や申請の書類は、事業所の所在地を受け持つ都道府県労働局の雇用環境・均等部（室）が案内しています。" }
        p { "電話番号を登録している労働局は " (known) " か所です。登録のない労働局は、厚生労働省の「" a href="https://www.mhlw.go.jp/kouseiroudoushou/shozaiannai/roudoukyoku/index.html" rel="noopener" { "都道府県労働局所在地一覧" } "」で確かめてください。" }
        div.table-wrap { table.bureaus {
            caption { "労働局の一覧（都道府県の順）" }
            thead { tr { th scope="col" { "都道府県" } th scope="col" { "労働局・部署" } th scope="col" { "電話" } th scope="col" { "所在地・ホームページ" } } }
            tbody { @for b in &bureaus {
                tr id=(format!("pref-{}", b.prefecture)) {
                    th scope="row" { (b.prefecture_name) }
                    td data-label="労働局" { (b.name) " " span.hint { (b.department) } }
                    td data-label="電話" { @if b.phone.is_empty() { span.hint { "未登録" } } @else { a href=(format!("tel:{}", b.phone)) { (b.phone) } } }
                    @if b.address.is_empty() && b.url.is_empty() {
                        td.empty { span.hint { "—" } }
                    } @else {
                        td data-label="所在地" {
                            @if !b.address.is_empty() { (b.address) " " }
                            @if !b.url.is_empty() { a href=(b.url) rel="noopener" { "ホームページ" } }
                        }
                    }
                }
            } }
        } }
        p.hint { "電話番号の出典：人材確保等支援助成金（テレワークコース）の案内資料。内容は管理者が更新します。" }
        p { a href="/diagnosis" { "助成金の診断へ戻る" } }
    };
    page("労働局の問い合わせ先", user.as_ref(), body).into_response()
}

/// The form of `/diagnosis/start`: the carried answers as hidden fields,
/// the title and, for a 社労士, the employer.
#[derive(Default)]
struct StartForm<'a> {
    title: &'a str,
    organization_id: &'a str,
    errors: Vec<(&'static str, String)>,
}

/// The page that starts an application from the answers of a diagnosis:
/// what will be carried over, the application's title, one button.
async fn start_form(
    state: &AppState,
    u: &WebUser,
    q: &HashMap<String, String>,
    a: &Answers,
    f: StartForm<'_>,
) -> Response {
    let d = match diagnosed_case(a) {
        Ok(d) => d,
        Err(_) => return not_carried(u, q),
    };
    let regime = d.doc["regime"].as_str().unwrap_or_default();
    let regime_name = josei_rules::regime::set()
        .by_id(regime)
        .map_or(String::new(), |r| r.name.clone());
    let default_title = format!("テレワークの導入（{regime_name}）");
    let title = if f.title.is_empty() && f.errors.is_empty() {
        default_title.as_str()
    } else {
        f.title
    };
    let own_name = match u.user.organization_id {
        Some(org) if u.user.role == Role::Employer => {
            state.db.org(org).await.ok().flatten().map(|o| o.name)
        }
        _ => None,
    };
    let orgs = if u.user.role == Role::Agent {
        josei_app::organizations::visible(state, &u.user)
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let err_for = |field: &str| {
        f.errors
            .iter()
            .find(|(x, _)| *x == field)
            .map(|(_, m)| m.clone())
    };
    let e = &a.employer;
    let label_of = |list: &[(&str, &'static str)], v: &Value| {
        list.iter()
            .find(|(k, _)| Some(*k) == v.as_str())
            .map_or("", |(_, l)| *l)
    };
    let yes_no = |v: &Value| {
        if v == &json!(true) {
            "ある"
        } else {
            "ない"
        }
    };
    let back = format!("/diagnosis?{}", answers_query(q));
    let body = html! {
        h1 { "診断の内容で申請を始める" }
        (error_summary(&f.errors))
        p { "診断で答えた内容を入れた申請を作ります。作った後で、「計画の内容」から変更できます。" }
        div.table-wrap { table.carried {
            caption { "申請に入れる内容" }
            tbody {
                @if let Some(n) = &own_name { tr { th scope="row" { "事業主" } td { (n) } } }
                tr { th scope="row" { "業種" } td { (label_of(&INDUSTRIES, &e["industry"])) } }
                tr { th scope="row" { "資本金・出資の総額" } td { @if let Some(c) = e["capital_yen"].as_u64() { (yen(c)) } @else { "なし" } } }
                tr { th scope="row" { "常時雇用する労働者の数" } td { (e["regular_employees"].as_u64().unwrap_or(0)) "人" } }
                tr { th scope="row" { "テレワークの状況" } td { (label_of(&TELEWORK_STATUSES, &e["telework_status"])) } }
                tr { th scope="row" { "就業規則のテレワークの規定" } td { (yes_no(&e["work_rules_have_telework"])) } }
                tr { th scope="row" { "過去のテレワーク導入の助成金" } td { (yes_no(&e["received_telework_subsidy"])) } }
                tr { th scope="row" { "雇用保険の適用事業主" } td { @if e["employment_insurance"] == json!(true) { "はい" } @else { "いいえ" } } }
                tr { th scope="row" { "当てはまる制度" } td { (regime_name) } }
                @if let Some(s) = d.evaluation_start {
                    tr { th scope="row" { "評価期間の初日（予定）" } td { (jd(s)) } }
                }
            }
        } }
        p.hint { "対象労働者の名前、経費、取組の日付は、申請を作った後で入力します。" }
        form method="post" action="/diagnosis/start" novalidate {
            input type="hidden" name="csrf" value=(u.csrf);
            (answers_hidden(q))
            @if u.user.role == Role::Agent {
                label for="organization_id" { "申請する事業主" }
                select #organization_id name="organization_id" aria-invalid=[err_for("organization_id").map(|_| "true")] aria-describedby=[err_for("organization_id").map(|_| "organization_id-error")] {
                    option value="" { "選んでください" }
                    @for o in &orgs {
                        option value=(o.id) selected[f.organization_id == o.id.to_string()] { (o.name) }
                    }
                }
                @if let Some(m) = err_for("organization_id") { p.field-error #organization_id-error { (m) } }
            }
            label for="title" { "件名" }
            p.hint #title-hint { "申請の一覧に表示する名前です（200文字まで）。" }
            input #title type="text" name="title" value=(title) maxlength="200"
                aria-invalid=[err_for("title").map(|_| "true")]
                aria-describedby=(if err_for("title").is_some() { "title-hint title-error" } else { "title-hint" });
            @if let Some(m) = err_for("title") { p.field-error #title-error { (m) } }
            button type="submit" { "この内容で申請を作る" }
        }
        p { a href=(back) { "診断に戻る" } }
    };
    let status = if f.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, page("診断の内容で申請を始める", Some(u), body)).into_response()
}

/// The page for answers that cannot be carried (changed by hand, or stale).
fn not_carried(u: &WebUser, q: &HashMap<String, String>) -> Response {
    let back = format!("/diagnosis?{}", answers_query(q));
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        page(
            "診断の内容を読み取れません",
            Some(u),
            html! {
                h1 { "診断の内容を読み取れません" }
                p { "診断の答えに足りないところや誤りがあります。診断の画面で確かめてから、もう一度「この内容で申請を始める」を押してください。" }
                p { a href=(back) { "診断に戻る" } }
            },
        ),
    )
        .into_response()
}

/// Only employers and 社労士 start applications.
fn may_start(u: &WebUser) -> Option<Response> {
    (!matches!(u.user.role, Role::Employer | Role::Agent)).then(|| {
        error_page(
            StatusCode::FORBIDDEN,
            "申請を作れません",
            "申請を作れるのは、事業主と社会保険労務士の方です。",
            Some(u),
        )
    })
}

/// `GET /diagnosis/start?…answers`: signed out, to the login page and back
/// here; signed in, the page that starts the application.
pub(crate) async fn start_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(u) = user else {
        let next = format!("/diagnosis/start?{}", answers_query(&q));
        return Redirect::to(&format!("/login?next={}", urlencode(&next))).into_response();
    };
    if let Some(r) = may_start(&u) {
        return r;
    }
    let today = today(&state).await.unwrap_or(Date::MIN);
    match read_answers(&q, today) {
        Ok(a) => start_form(&state, &u, &q, &a, StartForm::default()).await,
        Err(_) => not_carried(&u, &q),
    }
}

/// `POST /diagnosis/start`: creates the application with the employer's
/// answers and the dates, then opens it.
pub(crate) async fn start_submit(
    State(state): State<AppState>,
    CsrfForm(u, f): CsrfForm<HashMap<String, String>>,
) -> Response {
    if let Some(r) = may_start(&u) {
        return r;
    }
    let today = today(&state).await.unwrap_or(Date::MIN);
    let Ok(a) = read_answers(&f, today) else {
        return not_carried(&u, &f);
    };
    let Ok(d) = diagnosed_case(&a) else {
        return not_carried(&u, &f);
    };
    let title = f.get("title").map_or("", String::as_str);
    let org_text = f.get("organization_id").map_or("", String::as_str);
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if let Err(e) = josei_app::text::validate_title(title) {
        errors.push(("title", e.message));
    }
    let org = match u.user.role {
        Role::Agent => match org_text.parse::<i64>() {
            Ok(id) => Some(OrganizationId::from(id)),
            Err(_) => {
                errors.push(("organization_id", "申請する事業主を選んでください".into()));
                None
            }
        },
        _ => None,
    };
    if !errors.is_empty() {
        let form = StartForm {
            title,
            organization_id: org_text,
            errors,
        };
        return start_form(&state, &u, &f, &a, form).await;
    }
    let view = match josei_app::cases::create(&state, &u.user, title, org).await {
        Ok(v) => v,
        Err(e) => return api_error_page(e, &u),
    };
    // The employer's answers replace the registered attributes (the name stays).
    let mut doc = view.document.clone();
    let mut employer = doc["employer"].clone();
    if !employer.is_object() {
        employer = json!({});
    }
    for (k, v) in a.employer.as_object().into_iter().flatten() {
        employer[k] = v.clone();
    }
    doc["employer"] = employer;
    if let Some(s) = d.evaluation_start {
        doc["evaluation_start"] = json!(s.to_string());
    }
    let id = view.case.id;
    match josei_app::cases::save_document(&state, &view.case, view.case.version, doc, &u.user).await
    {
        Ok(_) => Redirect::to(&format!("/cases/{id}?done=diagnosis")).into_response(),
        Err(e) => error_page(
            crate::error::status(&e),
            "申請は作りましたが、診断の内容を入れられませんでした",
            &format!(
                "{}（申請の画面の「計画の内容」から入力してください）",
                e.message
            ),
            Some(&u),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn day(s: &str) -> Date {
        parse_iso_date(s).unwrap()
    }

    #[test]
    fn todays_answers_fall_under_the_no_plan_rules_with_an_evaluation_start() {
        let a = read_answers(
            &q(&[
                ("industry", "service"),
                ("employees", "１２"),
                ("capital", "10,000,000"),
                ("telework_status", "none"),
                ("targets", "3"),
                ("pref", "36"),
            ]),
            day("2026-11-21"),
        )
        .unwrap();
        assert_eq!(a.employer["regular_employees"], 12, "full-width digits");
        assert_eq!(a.employer["capital_yen"], 10_000_000, "commas");
        assert_eq!(a.prefecture, Some(36));
        let d = diagnosed_case(&a).unwrap();
        assert_eq!(d.doc["regime"], "R8");
        assert!(
            d.note.starts_with("令和8年度の制度で判定しました"),
            "{}",
            d.note
        );
        assert_eq!(d.evaluation_start, Some(day("2027-02-21")));
    }

    #[test]
    fn an_earlier_date_falls_under_its_plan_regime() {
        let a = read_answers(
            &q(&[
                ("industry", "retail"),
                ("employees", "12"),
                ("telework_status", "none"),
                ("targets", "3"),
                ("submitted", "2024-06-14"),
            ]),
            day("2026-11-21"),
        )
        .unwrap();
        let d = diagnosed_case(&a).unwrap();
        assert_eq!(d.doc["regime"], "R6");
        assert!(d.note.starts_with("令和6年度の制度で判定しました"));
        assert_eq!(d.evaluation_start, None);
    }

    #[test]
    fn every_bad_answer_is_named_by_its_field() {
        let errors = read_answers(
            &q(&[
                ("industry", "mining"),
                ("employees", ""),
                ("capital", "-5"),
                ("targets", "0"),
                ("pref", "48"),
                ("submitted", "2026-02-30"),
                ("x_consulting", "abc"),
                ("telework_status", "none"),
            ]),
            day("2026-11-21"),
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        for f in [
            "industry",
            "employees",
            "capital",
            "targets",
            "pref",
            "submitted",
            "x_consulting",
        ] {
            assert!(fields.contains(&f), "{f}: {errors:?}");
            assert_ne!(field_label(f), "入力", "{f} has a label");
        }
    }

    #[test]
    fn the_carried_answers_keep_only_the_diagnosis_keys() {
        let query = answers_query(&q(&[
            ("industry", "service"),
            ("employees", "12"),
            ("capital", ""),
            ("x_consulting", "330000"),
            ("evil", "x"),
            ("csrf", "token"),
        ]));
        assert!(query.contains("industry=service"), "{query}");
        assert!(query.contains("x_consulting=330000"), "{query}");
        assert!(!query.contains("evil") && !query.contains("csrf") && !query.contains("capital"));
        // The login page follows it back.
        let next = format!("/diagnosis/start?{query}");
        assert_eq!(super::super::session::safe_next(&next), next);
    }
}
