//! The plan editor: the case's inputs as a form.

use super::*;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use jiff::civil::Date;
use josei_app::access::visible_case;
use josei_app::today;
use josei_rules::model::{Disqualification, ExpenseCategory, MeasureKind};
use josei_store::Role;
use maud::{html, Markup};
use serde_json::{json, Value};
use std::collections::HashMap;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/cases/{id}/plan", get(plan_page).post(plan_submit))
}

/// Where an engine error's field path is shown in the plan form.
pub(crate) fn form_field_of(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("workplace_climate.") {
        return format!("climate_{rest}");
    }
    if let Some(rest) = path.strip_prefix("measures[") {
        if let Some((i, field)) = rest.split_once("].") {
            return format!("m{i}_{}", if field == "kind" { "on" } else { field });
        }
    }
    if let Some(rest) = path.strip_prefix("employer.") {
        return format!("employer_{rest}");
    }
    if path.starts_with("plan.target_workers") {
        return "targets".into();
    }
    if let Some(rest) = path.strip_prefix("expenses[") {
        if let Some((i, field)) = rest.split_once("].") {
            return format!("x{i}_{field}");
        }
        return format!("x{}", rest.trim_end_matches(']'));
    }
    path.replace('.', "_")
}

pub(crate) const TRAVEL_FOR: &[(&str, &str)] = &[
    ("", "—"),
    ("manager_training", "労務管理担当者研修"),
    ("worker_training", "労働者研修"),
    ("consulting", "コンサルティング"),
];

/// The plan form, filled from a document, with errors by form field.
pub(crate) fn plan_form(
    id: CaseId,
    version: i64,
    csrf: &str,
    doc: &Value,
    editable_plan: bool,
    errors: &HashMap<String, String>,
    regime: &josei_rules::regime::Regime,
) -> Markup {
    let e = &doc["employer"];
    let s = |v: &Value| {
        v.as_str().map(str::to_string).unwrap_or_else(|| {
            if v.is_null() {
                String::new()
            } else {
                v.to_string()
            }
        })
    };
    let err = |f: &str| errors.get(f).cloned();
    let targets_text: String = doc["plan"]["target_workers"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| {
                    format!(
                        "{},{}",
                        s(&t["id"]),
                        if t["employment"] == "dispatched" {
                            "派遣"
                        } else {
                            "直接"
                        }
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    let mut expenses: Vec<Value> = doc["expenses"].as_array().cloned().unwrap_or_default();
    for _ in 0..3 {
        expenses.push(json!({}));
    }
    // The measures given, and two empty rows to add more.
    let mut measures: Vec<Value> = doc["measures"].as_array().cloned().unwrap_or_default();
    measures.extend([json!({}), json!({})]);
    let n_targets = doc["plan"]["target_workers"].as_array().map_or(0, Vec::len) as u64;
    let caps: Vec<(String, u64)> = ExpenseCategory::ALL
        .iter()
        .map(|c| (c.as_str().to_string(), regime.category(*c).cap(n_targets).0))
        .collect();
    let field_error = |f: &str| html! { @if let Some(m) = err(f) { p.field-error id=(format!("{f}-error")) role="alert" { (m) } } };
    html! {
        form method="post" action=(format!("/cases/{id}/plan")) novalidate {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="version" value=(version);
            @if !errors.is_empty() { div.errors role="alert" { p { "入力を確かめてください（" (errors.len()) "か所）。入力した内容は残っています。" } } }
            fieldset disabled[!editable_plan] {
                legend { "事業主" @if !editable_plan { span.hint { "（計画の提出後は変更できません）" } } }
                label for="employer_name" { "事業主の名称" }
                input #employer_name type="text" name="employer_name" value=(s(&e["name"]));
                label for="employer_industry" { "業種" }
                select #employer_industry name="employer_industry" {
                    @for (v, l) in [("retail", "小売業（飲食店を含む）"), ("service", "サービス業"), ("wholesale", "卸売業"), ("other", "その他の業種")] { option value=(v) selected[s(&e["industry"]) == v] { (l) } }
                }
                label for="employer_capital_yen" { "資本金・出資の総額（円）" span.hint { "　ない場合は空欄" } }
                input #employer_capital_yen type="number" min="0" name="employer_capital_yen" value=(s(&e["capital_yen"]));
                (field_error("employer_capital_yen"))
                label for="employer_regular_employees" { "常時雇用する労働者の数（人）" }
                input #employer_regular_employees type="number" min="0" name="employer_regular_employees" value=(s(&e["regular_employees"]));
                (field_error("employer_regular_employees"))
                label for="employer_telework_status" { "テレワークの状況" }
                select #employer_telework_status name="employer_telework_status" {
                    @for (v, l) in [("none", "これから導入する"), ("trial_ongoing", "試行中"), ("trial_ended", "試行したことがある"), ("expanding", "すでに実施していて、対象者や回数を拡大する"), ("established", "制度として定着している")] { option value=(v) selected[s(&e["telework_status"]) == v] { (l) } }
                }
                @for (name, label) in [("employment_insurance", "雇用保険の適用事業主"), ("work_rules_have_telework", "取組の前（計画の提出時）に、就業規則等へ全社的なテレワークの規定がある"), ("received_telework_subsidy", "過去にこの助成金（テレワークコースとその前身）を受けた"), ("received_other_telework_subsidy", "国や地方公共団体の、ほかのテレワーク導入の助成金を受けた")] {
                    label { input type="checkbox" name=(format!("employer_{name}")) value="true" checked[e[name] == true]; " " (label) }
                }
                fieldset.choices {
                    legend { "不支給要件（支給要件確認申立書で申し立てる内容）" }
                    label { input type="checkbox" name="disqualifications_declared" value="true" checked[e["disqualifications"].is_array()]; " 確認した（該当するものがあれば下で選ぶ）" }
                    @for d in Disqualification::ALL {
                        label { input type="checkbox" name=(format!("disq_{}", d.as_str())) value="true" checked[e["disqualifications"].as_array().is_some_and(|a| a.iter().any(|x| x == d.as_str()))]; " " (d.label_ja()) }
                    }
                }
                label for="targets" { "対象労働者" span.hint { "　1行に1人「従業員ID,直接」または「従業員ID,派遣」" } }
                textarea #targets name="targets" rows="5" aria-describedby="targets-error" { (targets_text) }
                (field_error("targets"))
            }
            fieldset {
                legend { "日付" }
                @let no_plan = regime.kind == josei_rules::regime::RegimeKind::NoPlan;
                p.regime-note { (regime.name) "の制度で入力しています" @if no_plan { "（計画の認定はなく、取組は評価期間の初日の前3か月に行います）" } }
                label for="work_rules_established_on" { "就業規則等にテレワークの規定を整備した日" span.hint { @if no_plan { "　評価期間の初日の前3か月の間に" } @else { "　計画認定日以降、支給申請までに" } } }
                input #work_rules_established_on type="date" name="work_rules_established_on" value=(s(&doc["work_rules_established_on"]));
                (field_error("work_rules_established_on"))
                label for="evaluation_start" { "評価期間（機器等導入助成・制度導入助成）の初日" }
                input #evaluation_start type="date" name="evaluation_start" value=(s(&doc["evaluation_start"]));
                (field_error("evaluation_start"))
                label for="climate_top_message_on" { "職場風土作り：企業トップからのメッセージ発信・社内呼びかけをした日" span.hint { "　令和4年度から必須" } }
                input #climate_top_message_on type="date" name="climate_top_message_on" value=(s(&doc["workplace_climate"]["top_message_on"]));
                (field_error("climate_top_message_on"))
                label for="climate_case_sharing_on" { "職場風土作り：テレワーク事例を収集し社内に周知した日" }
                input #climate_case_sharing_on type="date" name="climate_case_sharing_on" value=(s(&doc["workplace_climate"]["case_sharing_on"]));
                (field_error("climate_case_sharing_on"))
                label for="telework_before_count" { "拡大前3か月の延べテレワーク実施回数" span.hint { "　テレワークを拡大する事業主のみ（1人1日1回）" } }
                input #telework_before_count type="number" min="0" inputmode="numeric" name="telework_before_count" value=(s(&doc["telework_before_count"]));
                (field_error("telework_before_count"))
                label { input type="checkbox" name="productivity_met" value="true" checked[doc["productivity"]["met"] == true]; " 生産性要件を満たしている（令和4年度までの目標達成助成の割増）" }
                fieldset.choices {
                    legend { "賃金要件（令和5年度からの目標達成助成の割増）" }
                    @let wage = s(&doc["wage_increase"]["met"]);
                    @for (v, l) in [("", "未入力"), ("true", "満たしている"), ("false", "満たしていない")] {
                        label { input type="radio" name="wage_met" value=(v) checked[wage == v]; " " (l) }
                    }
                }
            }
            fieldset {
                legend { "取組（令和7年度から：評価期間の初日の前3か月に行ったもの）" }
                p.hint { "外部専門家によるコンサルティング、労務管理担当者への研修、労働者への研修のいずれか1つ以上が必要です（テレワークを拡大する事業主は就業規則等の拡充でも可）。" }
                @for (i, m) in measures.iter().enumerate() {
                    div.measure-row {
                        label for=(format!("m{i}_kind")) { (i + 1) "件目の取組" }
                        select id=(format!("m{i}_kind")) name=(format!("m{i}_kind")) {
                            option value="" { "—" }
                            @for k in MeasureKind::ALL { option value=(k.as_str()) selected[s(&m["kind"]) == k.as_str()] { (k.label_ja()) } }
                        }
                        label for=(format!("m{i}_on")) { "実施日" }
                        input id=(format!("m{i}_on")) type="date" name=(format!("m{i}_on")) value=(s(&m["on"]));
                        (field_error(&format!("m{i}_on")))
                    }
                }
            }
            fieldset {
                legend { "経費（税込）" }
                p.hint { "納品日・支払日は計画認定日以降、支給申請日までのものが対象です。上限は対象労働者 " (n_targets) " 人での額です。" }
                div.table-wrap { table #expenses data-caps=(serde_json::to_string(&caps.iter().cloned().collect::<HashMap<String, u64>>()).unwrap_or_default()) {
                    thead { tr { th scope="col" { "番号" } th scope="col" { "区分" } th.num scope="col" { "金額（円）" } th scope="col" { "納品日" } th scope="col" { "支払日" } th scope="col" { "旅費の対象" } th scope="col" { "内容" } th scope="col" { "リース月数" } th scope="col" { "他の助成金" } th.num scope="col" { "区分の上限" } } }
                    tbody { @for (i, x) in expenses.iter().enumerate() {
                        tr {
                            td { input type="text" name=(format!("x{i}_id")) value=(s(&x["id"])) aria-label=(format!("{}行目の番号", i + 1)) size="6"; (field_error(&format!("x{i}_id"))) }
                            td { select name=(format!("x{i}_category")) aria-label=(format!("{}行目の区分", i + 1)) data-row=(i) {
                                option value="" { "—" }
                                @for c in ExpenseCategory::ALL { option value=(c.as_str()) selected[s(&x["category"]) == c.as_str()] { (c.label_ja()) } }
                            } (field_error(&format!("x{i}_category"))) }
                            td { input type="number" min="0" name=(format!("x{i}_amount_yen")) value=(s(&x["amount_yen"])) aria-label=(format!("{}行目の金額", i + 1)) data-row=(i); (field_error(&format!("x{i}_amount_yen"))) }
                            td { input type="date" name=(format!("x{i}_delivered_on")) value=(s(&x["delivered_on"])) aria-label=(format!("{}行目の納品日", i + 1)); (field_error(&format!("x{i}_delivered_on"))) }
                            td { input type="date" name=(format!("x{i}_paid_on")) value=(s(&x["paid_on"])) aria-label=(format!("{}行目の支払日", i + 1)); (field_error(&format!("x{i}_paid_on"))) }
                            td { select name=(format!("x{i}_for")) aria-label=(format!("{}行目の旅費の対象", i + 1)) { @for (v, l) in TRAVEL_FOR { option value=(v) selected[s(&x["for"]) == *v] { (l) } } } }
                            td { input type="text" name=(format!("x{i}_description")) value=(s(&x["description"])) aria-label=(format!("{}行目の内容", i + 1)); }
                            td { input type="number" min="1" inputmode="numeric" size="3" name=(format!("x{i}_months")) value=(s(&x["months"])) aria-label=(format!("{}行目の支払の対象月数（リース・レンタル）", i + 1)); (field_error(&format!("x{i}_months"))) }
                            td { input type="checkbox" name=(format!("x{i}_funded_by_other_subsidy")) value="true" checked[x["funded_by_other_subsidy"] == true] aria-label=(format!("{}行目は他の助成金・補助金を受けた", i + 1)); }
                            td.num.cap id=(format!("cap{i}")) aria-live="polite" {}
                        }
                    } }
                } }
            }
            @if !doc["equipment_application_filed_on"].is_null() {
                fieldset {
                    legend { "修正の理由" }
                    p.hint { "支給申請の後に、申請の根拠になった内容（経費・評価期間・取組・申請済みの期間のテレワーク実績など）を変えるときは、理由を書いてください。記録に残ります。" }
                    label for="amendment_reason" { "理由" }
                    textarea #amendment_reason name="amendment_reason" rows="2" {}
                    (field_error("amendment_reason"))
                }
            }
            button type="submit" { "保存する" }
            " " a href=(format!("/cases/{id}")) { "保存せずに戻る" }
        }
        // Live caps (assets/plan.js): each category's cap from `data-caps`.
        script src="/plan.js" defer {}
    }
}

/// The case whose plan `u` may edit, or the page that says why not.
pub(crate) async fn editable_case(
    state: &AppState,
    u: &WebUser,
    id: CaseId,
) -> Result<josei_store::CaseRow, Response> {
    let case = visible_case(state, &u.user, id)
        .await
        .map_err(|e| api_error_page(e, u))?;
    if !matches!(u.user.role, Role::Employer | Role::Agent) {
        return Err(error_page(
            StatusCode::FORBIDDEN,
            "権限がありません",
            "計画を編集できるのは事業主と社労士です。",
            Some(u),
        ));
    }
    Ok(case)
}

pub(crate) async fn plan_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<CaseId>,
) -> Response {
    let case = match editable_case(&state, &u, id).await {
        Ok(c) => c,
        Err(page) => return page,
    };
    let doc = match state.db.case_document(&case).await {
        Ok(d) => d,
        Err(e) => return api_error_page(e, &u),
    };
    let today = today(&state).await.unwrap_or(Date::MIN);
    let regime = regime_of(&case, &doc, today);
    let body = html! {
        p { a href=(format!("/cases/{id}")) { "← ケースに戻る" } }
        h1 { "計画の内容: " (case.title) }
        (plan_form(id, case.version, &u.csrf, &doc, case.status.plan_editable(), &HashMap::new(), regime))
    };
    page("計画の内容", Some(&u), body).into_response()
}

/// The regime a case is evaluated under: its own once fixed, else the one the
/// engine chooses for its (provisional) document, else the newest.
pub(crate) fn regime_of(
    case: &josei_store::CaseRow,
    doc: &Value,
    today: Date,
) -> &'static josei_rules::regime::Regime {
    let set = josei_rules::regime::set();
    case.regime
        .as_deref()
        .and_then(|id| set.by_id(id))
        .or_else(|| {
            let mut probe = doc.clone();
            probe["as_of"] = json!(today.to_string());
            josei_app::engine::provisional(&mut probe, today);
            josei_rules::parse_case(&probe.to_string(), today)
                .ok()
                .map(|p| p.regime)
        })
        .or_else(|| set.all().last())
        .expect("at least one regime is shipped")
}

/// The document a plan form describes (telework and roster kept as stored).
pub(crate) fn document_from_form(f: &HashMap<String, String>, stored: &Value) -> Value {
    let get = |k: &str| f.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let num = |k: &str| -> Value {
        let v = get(k).replace(',', "");
        if v.is_empty() {
            Value::Null
        } else {
            v.parse::<i64>()
                .map(Value::from)
                .unwrap_or(Value::String(v))
        }
    };
    let date = |k: &str| -> Value {
        Some(get(k))
            .filter(|s| !s.is_empty())
            .map_or(Value::Null, Value::String)
    };
    let mut doc = stored.clone();
    if f.contains_key("employer_industry") {
        doc["employer"] = json!({
            "name": get("employer_name"), "industry": get("employer_industry"),
            "capital_yen": num("employer_capital_yen"), "regular_employees": num("employer_regular_employees"),
            "employment_insurance": get("employer_employment_insurance") == "true",
            "telework_status": get("employer_telework_status"),
            "work_rules_have_telework": get("employer_work_rules_have_telework") == "true",
            "received_telework_subsidy": get("employer_received_telework_subsidy") == "true",
            "received_other_telework_subsidy": get("employer_received_other_telework_subsidy") == "true",
        });
        let chosen: Vec<&str> = Disqualification::ALL
            .iter()
            .filter(|d| get(&format!("disq_{}", d.as_str())) == "true")
            .map(|d| d.as_str())
            .collect();
        if get("disqualifications_declared") == "true" || !chosen.is_empty() {
            doc["employer"]["disqualifications"] = json!(chosen);
        }
        let targets: Vec<Value> = get("targets")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (id, kind) = l.split_once([',', '、', '\t']).unwrap_or((l, "直接"));
                let employment = match kind.trim() {
                    "派遣" | "dispatched" => "dispatched",
                    "直接" | "direct" | "" => "direct",
                    other => other,
                };
                json!({"id": id.trim(), "employment": employment})
            })
            .collect();
        doc["plan"]["target_workers"] = json!(targets);
    }
    doc["work_rules_established_on"] = date("work_rules_established_on");
    doc["evaluation_start"] = date("evaluation_start");
    doc["productivity"] = if get("productivity_met") == "true" {
        json!({"met": true})
    } else {
        Value::Null
    };
    if f.contains_key("climate_top_message_on") {
        let (top, sharing) = (
            date("climate_top_message_on"),
            date("climate_case_sharing_on"),
        );
        doc["workplace_climate"] = if top.is_null() && sharing.is_null() {
            Value::Null
        } else {
            json!({"top_message_on": top, "case_sharing_on": sharing})
        };
        doc["telework_before_count"] = num("telework_before_count");
        doc["wage_increase"] = match get("wage_met").as_str() {
            "true" => json!({"met": true}),
            "false" => json!({"met": false}),
            _ => stored
                .get("wage_increase")
                .filter(|w| w.get("met").is_none())
                .cloned()
                .unwrap_or(Value::Null),
        };
        let mut measures = Vec::new();
        for i in 0..50 {
            let (kind, on) = (get(&format!("m{i}_kind")), get(&format!("m{i}_on")));
            if !f.contains_key(&format!("m{i}_kind")) {
                break;
            }
            if kind.is_empty() && on.is_empty() {
                continue;
            }
            measures.push(json!({"kind": kind, "on": date(&format!("m{i}_on"))}));
        }
        doc["measures"] = json!(measures);
    }
    let mut expenses = Vec::new();
    // Every row the form sent (the page offers a few blank ones to add more).
    for i in 0..usize::MAX {
        let k = |field: &str| format!("x{i}_{field}");
        if !f.contains_key(&k("id")) {
            break;
        }
        let row_empty = [
            "id",
            "category",
            "amount_yen",
            "delivered_on",
            "paid_on",
            "description",
        ]
        .iter()
        .all(|x| get(&k(x)).is_empty());
        if row_empty {
            continue;
        }
        expenses.push(json!({
            "id": get(&k("id")), "category": get(&k("category")), "amount_yen": num(&k("amount_yen")),
            "delivered_on": date(&k("delivered_on")), "paid_on": date(&k("paid_on")),
            "for": Some(get(&k("for"))).filter(|s| !s.is_empty()), "description": Some(get(&k("description"))).filter(|s| !s.is_empty()),
            "months": num(&k("months")),
            "funded_by_other_subsidy": get(&k("funded_by_other_subsidy")) == "true",
        }));
    }
    doc["expenses"] = json!(expenses);
    doc
}

pub(crate) async fn plan_submit(
    State(state): State<AppState>,
    Path(id): Path<CaseId>,
    CsrfForm(u, f): CsrfForm<HashMap<String, String>>,
) -> Response {
    let case = match editable_case(&state, &u, id).await {
        Ok(c) => c,
        Err(page) => return page,
    };
    // A failed read must not become an empty document that wipes records.
    let stored = match state.db.case_document(&case).await {
        Ok(d) => d,
        Err(e) => return api_error_page(e, &u),
    };
    // The version the form was based on is required: no silent overwrite.
    let Some(version) = f.get("version").and_then(|v| v.parse().ok()) else {
        return error_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "送信の内容が足りません",
            "ページを読み込み直してから、もう一度保存してください。",
            Some(&u),
        );
    };
    let doc = document_from_form(&f, &stored);
    let amendment = f.get("amendment_reason").map(String::as_str);
    match josei_app::cases::save_document_as(
        &state,
        &case,
        version,
        doc.clone(),
        &u.user,
        amendment,
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/cases/{id}")).into_response(),
        Err(e) => {
            // Show the form again with what was typed and the message by its field.
            let mut errors = HashMap::new();
            errors.insert(
                e.field
                    .as_deref()
                    .map(form_field_of)
                    .unwrap_or_else(|| "form".into()),
                e.message.clone(),
            );
            let general = e.field.is_none();
            let body = html! {
                p { a href=(format!("/cases/{id}")) { "← ケースに戻る" } }
                h1 { "計画の内容: " (case.title) }
                @if general { p.errors role="alert" { (e.message) } }
                (plan_form(id, version, &u.csrf, &doc, case.status.plan_editable(), &errors, regime_of(&case, &stored, today(&state).await.unwrap_or(Date::MIN))))
            };
            (crate::error::status(&e), page("計画の内容", Some(&u), body)).into_response()
        }
    }
}
