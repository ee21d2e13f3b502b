//! The public self-diagnosis: which subsidy, how much, what to do, by today's rules.

use super::*;
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use jiff::civil::Date;
use josei_app::today;
use josei_rules::civil::parse_iso_date;
use josei_rules::evaluate::{CheckId, CheckStatus};
use josei_rules::model::ExpenseCategory;
use maud::{html, Markup};
use serde_json::json;
use std::collections::HashMap;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/diagnosis", get(diagnosis))
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

pub(crate) async fn diagnosis(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let today = today(&state).await.unwrap_or(Date::MIN);
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let submitted_default = today.to_string();
    let asked = q.contains_key("industry");
    let mut errors: Vec<(&str, String)> = Vec::new();
    let mut result = None;
    if asked {
        match diagnose(&q, today) {
            Ok(r) => result = Some(r),
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
    let body = html! {
        h1 { "助成金の診断" }
        p { "質問に答えて「診断する」を押してください。入力した内容は保存されません。" }
        @if !errors.is_empty() {
            div.errors role="alert" { p { "入力を確かめてください（" (errors.len()) "か所）。" } }
        }
        @if let Some(r) = &result { (r) h2 { "答えを変えて診断し直す" } }
        form method="get" action="/diagnosis" novalidate {
            fieldset {
                legend { "事業主について" }
                label for="industry" { "業種" }
                select #industry name="industry" {
                    @for (v, l) in [("retail", "小売業（飲食店を含む）"), ("service", "サービス業"), ("wholesale", "卸売業"), ("other", "その他の業種")] {
                        option value=(v) selected[val("industry", "other") == v] { (l) }
                    }
                }
                label for="capital" { "資本金・出資の総額（円）" span.hint { "　個人事業主など資本金がない場合は空欄" } }
                input #capital type="number" min="0" name="capital" value=(val("capital", "")) aria-describedby="capital-error";
                @if let Some(m) = err_for("capital") { p.field-error #capital-error { (m) } }
                label for="employees" { "常時雇用する労働者の数（人）" }
                input #employees type="number" min="0" name="employees" value=(val("employees", "")) required aria-describedby="employees-error";
                @if let Some(m) = err_for("employees") { p.field-error #employees-error { (m) } }
                fieldset.choices {
                    legend { "テレワークの状況" }
                    @for (v, l) in [("none", "これから導入する"), ("trial_ongoing", "試行中"), ("trial_ended", "試行したことがある"), ("expanding", "すでに実施していて、対象者や回数を拡大する"), ("established", "制度として定着している")] {
                        label { input type="radio" name="telework_status" value=(v) checked[checked("telework_status", v, v == "none")]; " " (l) }
                    }
                }
                fieldset.choices {
                    legend { "就業規則などに、テレワークの規定がすでにありますか" }
                    label { input type="radio" name="work_rules" value="no" checked[checked("work_rules", "no", true)]; " ない" }
                    label { input type="radio" name="work_rules" value="yes" checked[checked("work_rules", "yes", false)]; " ある" }
                }
                fieldset.choices {
                    legend { "過去にテレワーク導入の助成金を受けたことがありますか" }
                    label { input type="radio" name="prior" value="no" checked[checked("prior", "no", true)]; " ない" }
                    label { input type="radio" name="prior" value="yes" checked[checked("prior", "yes", false)]; " ある" }
                }
                fieldset.choices {
                    legend { "雇用保険の適用事業所ですか" }
                    label { input type="radio" name="insurance" value="yes" checked[checked("insurance", "yes", true)]; " はい" }
                    label { input type="radio" name="insurance" value="no" checked[checked("insurance", "no", false)]; " いいえ" }
                }
            }
            fieldset {
                legend { "いつ始めますか" }
                label for="submitted" { "取組を始める日（令和6年度までの制度では、計画を提出する日）" }
                p.hint { "この日付から、どの年度の制度が当てはまるかを判断します。令和7年度からは計画の提出・認定はなく、評価期間の前3か月に取組を行います。" }
                input #submitted type="date" name="submitted" value=(val("submitted", &submitted_default)) aria-describedby="submitted-error";
                @if let Some(m) = err_for("submitted") { p.field-error #submitted-error { (m) } }
                label for="certified" { "計画の認定の見込み日（令和6年度までの制度のみ）" span.hint { "　空欄なら提出の1か月後として計算します" } }
                input #certified type="date" name="certified" value=(val("certified", "")) aria-describedby="certified-error";
                @if let Some(m) = err_for("certified") { p.field-error #certified-error { (m) } }
                label for="targets" { "テレワークをする予定の労働者（対象労働者）の数" }
                input #targets type="number" min="1" name="targets" value=(val("targets", "3")) aria-describedby="targets-error";
                @if let Some(m) = err_for("targets") { p.field-error #targets-error { (m) } }
            }
            fieldset {
                legend { "予定している経費（税込・円）" }
                p.hint { "認定日より後に納品・支払をするものを入力してください。空欄は0円です。" }
                @for (c, key) in DIAGNOSIS_CATEGORIES {
                    label for=(key) { (c.label_ja()) }
                    input id=(key) type="number" min="0" name=(key) value=(val(key, "")) aria-describedby=(format!("{key}-error"));
                    @if let Some(m) = err_for(key) { p.field-error id=(format!("{key}-error")) { (m) } }
                }
            }
            button type="submit" { "診断する" }
        }
    };
    page("助成金の診断", user.as_ref(), body).into_response()
}

/// Builds a case from the diagnosis answers and renders the engine's verdict.
pub(crate) fn diagnose(
    q: &HashMap<String, String>,
    today: Date,
) -> Result<Markup, Vec<(&'static str, String)>> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let number = |k: &'static str,
                  required: bool,
                  errors: &mut Vec<(&'static str, String)>|
     -> Option<u64> {
        let v = get(k).replace(',', "");
        if v.is_empty() {
            if required {
                errors.push((k, "入力してください".into()));
            }
            return None;
        }
        match v.parse::<u64>() {
            Ok(n) if n <= 1_000_000_000_000_000 => Some(n),
            _ => {
                errors.push((
                    k,
                    format!("0以上の整数で入力してください（{v:?} は使えません）"),
                ));
                None
            }
        }
    };
    let capital = number("capital", false, &mut errors);
    let employees = number("employees", true, &mut errors);
    let targets = number("targets", true, &mut errors);
    if targets == Some(0) {
        errors.push(("targets", "1人以上を入力してください".into()));
    }
    let mut spend = Vec::new();
    for (c, key) in DIAGNOSIS_CATEGORIES {
        if let Some(n) = number(key, false, &mut errors) {
            if n > 0 {
                spend.push((c, n));
            }
        }
    }
    let date = |k: &'static str, errors: &mut Vec<(&'static str, String)>| -> Option<Date> {
        let v = get(k);
        if v.is_empty() {
            return None;
        }
        match parse_iso_date(&v) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push((k, format!("{v:?} は日付として使えません")));
                None
            }
        }
    };
    let start = date("submitted", &mut errors).unwrap_or(today);
    let set = josei_rules::regime::set();
    // The rules in force for a case that starts on `start`: a plan regime
    // covering it, else the no-plan regime of the evaluation period that
    // follows the 3 months of measures, else the newest regime.
    let plan_regime = set.for_submission(start);
    let certified = match (plan_regime, date("certified", &mut errors)) {
        (Some(_), Some(c)) if c < start => {
            errors.push(("certified", "提出予定日より後の日付にしてください".into()));
            start
        }
        (_, Some(c)) => c,
        (_, None) => josei_rules::civil::next_day(josei_rules::civil::period_end(start, 1)),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let targets = targets.unwrap_or(1);
    let employer = json!({
        "industry": get("industry"), "capital_yen": capital, "regular_employees": employees,
        "employment_insurance": get("insurance") != "no", "telework_status": get("telework_status"),
        "work_rules_have_telework": get("work_rules") == "yes", "received_telework_subsidy": get("prior") == "yes",
    });
    let target_workers = (0..targets.min(1000))
        .map(|i| json!({"id": format!("W{i}"), "employment": "direct"}))
        .collect::<Vec<_>>();
    let (doc, note) = match plan_regime {
        Some(r) => (
            json!({
                "regime": r.id,
                "as_of": start.to_string(),
                "employer": employer,
                "plan": {"submitted_on": start.to_string(), "certified_on": certified.to_string(), "target_workers": target_workers},
                "evaluation_start": certified.to_string(),
                "expenses": spend.iter().map(|(c, n)| json!({"id": c.as_str(), "category": c.as_str(), "amount_yen": n,
                    "delivered_on": certified.to_string(), "paid_on": certified.to_string()})).collect::<Vec<_>>(),
            }),
            format!(
                "{}の制度で判定しました（計画の提出日 {} の場合）",
                r.name,
                jd(start)
            ),
        ),
        None => {
            let evaluation_start =
                josei_rules::civil::next_day(josei_rules::civil::period_end(start, 3));
            let (r, note) = match set.for_evaluation_start(evaluation_start) {
                Some(r) => (r, format!(
                    "{}の制度で判定しました（{} から3か月の取組を行い、評価期間を {} から始める場合）",
                    r.name, jd(start), jd(evaluation_start)
                )),
                None => {
                    let newest = set.all().last().ok_or_else(|| vec![("submitted", "制度のデータがありません".to_string())])?;
                    (newest, format!(
                        "{} に始まる評価期間の制度はまだ公表されていないため、{}の制度で判定しました",
                        jd(evaluation_start), newest.name
                    ))
                }
            };
            (
                json!({
                    "regime": r.id,
                    "as_of": start.to_string(),
                    "employer": employer,
                    "plan": {"target_workers": target_workers},
                    "evaluation_start": evaluation_start.to_string(),
                    "expenses": spend.iter().map(|(c, n)| json!({"id": c.as_str(), "category": c.as_str(), "amount_yen": n,
                        "delivered_on": start.to_string(), "paid_on": start.to_string()})).collect::<Vec<_>>(),
                }),
                note,
            )
        }
    };
    let parsed = josei_rules::parse_case(&doc.to_string(), start).map_err(|e| {
        let field: &'static str = match e.field.as_str() {
            "employer.industry" => "industry",
            "employer.telework_status" => "employees",
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
            @if !e.assumptions.is_empty() {
                details.assumptions {
                    summary { "未確認の前提（" (e.assumptions.len()) "件）" }
                    p.hint { "公式の支給要領で確認できていない値や、josei の解釈を含みます。最寄りの労働局で確認してください。" }
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
            div.table-wrap { table {
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
        }
    })
}

/// A parameter's name for people (for 「未確認の前提」).
pub(crate) fn assumption_label(parameter: &str) -> &'static str {
    josei_rules::regime::ParamId::parse(parameter).map_or("その他の値", |p| p.label_ja())
}
