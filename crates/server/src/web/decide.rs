//! The bureau's decisions on a case, one page per decision: 計画の認定・差戻し・
//! 不認定 and 支給決定・不支給決定. Each page shows what the engine says, lets
//! the officer leave out expense items and telework days with a reason
//! (査定: the engine evaluates the case again without them, and that amount
//! is what may be granted — never a number typed in), asks for the day the
//! decision takes effect (today by default, never in the future) and a
//! confirmation, and records the decision once. Every recorded subsidy
//! decision has a printable 支給決定通知書 / 不支給決定通知書.

use super::cases::{expense_label, ActionError, CasePage};
use super::print::decided_day;
use super::*;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use josei_app::exclusions::Exclusion;
use josei_app::workflow::{assess, perform_action, ActionBody, Assessment};
use josei_rules::civil::Period;
use josei_rules::evaluate::{Check, CheckStatus};
use josei_rules::model::{ExpenseCategory, Place};
use josei_store::{DecisionId, DecisionKind, Outcome, Role};
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/cases/{id}/decide/{action}",
            get(decision_page).post(decision_post),
        )
        .route("/cases/{id}/decisions/{decision}/notice", get(notice_page))
}

/// Whether `action` is one of the bureau's decisions (certifying, returning
/// or rejecting a plan; granting or denying a subsidy).
pub(crate) fn is_decision(action: &str) -> bool {
    Decision::of(action).is_some()
}

/// The bureau's decisions, each with its own page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decision {
    CertifyPlan,
    ReturnPlan,
    RejectPlan,
    Grant { equipment: bool },
    Deny { equipment: bool },
}

impl Decision {
    fn of(action: &str) -> Option<Decision> {
        Some(match action {
            "certify_plan" => Decision::CertifyPlan,
            "return_plan" => Decision::ReturnPlan,
            "reject_plan" => Decision::RejectPlan,
            "grant_equipment" => Decision::Grant { equipment: true },
            "grant_goal" => Decision::Grant { equipment: false },
            "deny_equipment" => Decision::Deny { equipment: true },
            "deny_goal" => Decision::Deny { equipment: false },
            _ => return None,
        })
    }

    fn subsidy(self) -> Option<bool> {
        match self {
            Decision::Grant { equipment } | Decision::Deny { equipment } => Some(equipment),
            _ => None,
        }
    }

    /// What the decision is called, e.g. 「機器等導入助成の支給決定」.
    fn title(self, first: &str) -> String {
        let name = |equipment: bool| {
            if equipment {
                first
            } else {
                "目標達成助成"
            }
        };
        match self {
            Decision::CertifyPlan => "テレワーク実施計画の認定".into(),
            Decision::ReturnPlan => "テレワーク実施計画の差戻し".into(),
            Decision::RejectPlan => "テレワーク実施計画の不認定".into(),
            Decision::Grant { equipment } => format!("{}の支給決定", name(equipment)),
            Decision::Deny { equipment } => format!("{}の不支給決定", name(equipment)),
        }
    }

    /// The button that records it.
    fn button(self) -> &'static str {
        match self {
            Decision::CertifyPlan => "計画を認定する",
            Decision::ReturnPlan => "計画を差し戻す",
            Decision::RejectPlan => "計画を不認定とする",
            Decision::Grant { .. } => "支給を決定する",
            Decision::Deny { .. } => "不支給と決定する",
        }
    }

    /// The button's look: a denial or rejection is marked as what it is.
    fn button_class(self) -> &'static str {
        match self {
            Decision::CertifyPlan | Decision::Grant { .. } => "",
            Decision::ReturnPlan => "secondary",
            Decision::RejectPlan | Decision::Deny { .. } => "danger",
        }
    }

    /// What the officer confirms.
    fn confirmation(self) -> &'static str {
        match self {
            Decision::CertifyPlan => {
                "計画の内容と添付書類を確認し、認定します。認定すると申請者に通知されます。"
            }
            Decision::ReturnPlan => "理由を添えて計画を差し戻します。申請者は直して出し直せます。",
            Decision::RejectPlan => {
                "計画を不認定とします。申請者に通知され、この申請はここで終わります。"
            }
            Decision::Grant { .. } => {
                "上の金額で支給を決定します。申請者に通知され、取り消せません。"
            }
            Decision::Deny { .. } => {
                "支給しないと決定します。申請者に理由とともに通知され、取り消せません。"
            }
        }
    }

    fn date_label(self) -> &'static str {
        match self {
            Decision::CertifyPlan => "認定日",
            Decision::ReturnPlan => "差戻し日",
            Decision::RejectPlan | Decision::Grant { .. } | Decision::Deny { .. } => "決定日",
        }
    }

    /// Whether a reason is always required.
    fn reason_required(self) -> bool {
        matches!(self, Decision::ReturnPlan | Decision::RejectPlan)
    }
}

/// The entry to a decision on the case page: what it is, and the way to
/// its own page (reason, date and confirmation are asked there).
pub(crate) fn decision_form(
    p: &CasePage,
    _u: &WebUser,
    a: &str,
    _error: Option<&ActionError>,
) -> Markup {
    let Some(d) = Decision::of(a) else {
        return html! {};
    };
    let id = p.view.case.id;
    let first = first_name(p);
    let hint = match d {
        Decision::CertifyPlan => "認定日を入力して認定します。",
        Decision::ReturnPlan => "直してほしい点を理由に書いて差し戻します。",
        Decision::RejectPlan => "理由を書いて不認定とします。",
        Decision::Grant { .. } => {
            "対象外とする経費やテレワークの日を除いて金額を計算し、決定します。"
        }
        Decision::Deny { .. } => "理由を書いて不支給と決定します。",
    };
    html! {
        div.decision-entry id=(format!("action-{a}")) {
            a class=(format!("button {}", d.button_class())) href=(format!("/cases/{id}/decide/{a}")) { (d.title(first)) "へ進む" }
            p.hint { (hint) }
        }
    }
}

fn first_name(p: &CasePage) -> &'static str {
    p.view.evaluation.as_ref().map_or_else(
        || josei_app::overview::first_subsidy(p.view.procedure),
        |e| e.equipment_subsidy.name,
    )
}

/// What the officer has entered on a decision page so far.
#[derive(Default, Clone)]
struct Draft {
    version: Option<i64>,
    decided_on: String,
    reason: String,
    confirm: bool,
    /// Expense ids left out, with their reasons.
    expenses: BTreeMap<String, String>,
    /// Telework days left out: (worker id, day).
    days: Vec<(String, String)>,
    /// The reason for each worker's days left out.
    day_reasons: BTreeMap<String, String>,
    /// The amount the page showed when the officer pressed 決定.
    shown_yen: Option<i64>,
}

impl Draft {
    /// Reads the posted pairs (checkboxes repeat their name).
    fn read(pairs: &[(String, String)]) -> Draft {
        let mut d = Draft::default();
        let mut reasons: HashMap<String, String> = HashMap::new();
        let mut chosen = Vec::new();
        for (k, v) in pairs {
            // Numbers and dates may come in full width; free text is kept as typed.
            let v = v.trim().to_string();
            match k.as_str() {
                "version" => d.version = super::plan::nfkc(&v).parse().ok(),
                "decided_on" => d.decided_on = super::plan::nfkc(&v),
                "reason" => d.reason = v,
                "confirm" => d.confirm = v == "yes",
                "shown_yen" => d.shown_yen = super::plan::nfkc(&v).parse().ok(),
                "exclude_expense" => chosen.push(v),
                "exclude_day" => {
                    if let Some((w, day)) = v.split_once('|') {
                        d.days.push((w.to_string(), day.to_string()));
                    }
                }
                _ => {
                    if let Some(x) = k.strip_prefix("expense_reason.") {
                        reasons.insert(x.to_string(), v);
                    } else if let Some(w) = k.strip_prefix("day_reason.") {
                        d.day_reasons.insert(w.to_string(), v);
                    }
                }
            }
        }
        for x in chosen {
            let r = reasons.remove(&x).unwrap_or_default();
            d.expenses.insert(x, r);
        }
        d
    }

    fn exclusions(&self) -> Vec<Exclusion> {
        let mut out: Vec<Exclusion> = self
            .expenses
            .iter()
            .map(|(x, r)| Exclusion::Expense {
                expense: x.clone(),
                reason: r.clone(),
            })
            .collect();
        out.extend(self.days.iter().map(|(w, day)| Exclusion::TeleworkDay {
            worker: w.clone(),
            date: day.clone(),
            reason: self.day_reasons.get(w).cloned().unwrap_or_default(),
        }));
        out
    }
}

/// The posted form, as name–value pairs in order.
#[derive(Deserialize)]
#[serde(transparent)]
pub(crate) struct Pairs(Vec<(String, String)>);

impl HasCsrf for Pairs {
    fn csrf(&self) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == "csrf")
            .map_or("", |(_, v)| v.as_str())
    }
}

fn bureau_only(u: &WebUser) -> Option<Response> {
    (!matches!(u.user.role, Role::Officer | Role::Admin)).then(|| {
        error_page(
            StatusCode::FORBIDDEN,
            "権限がありません",
            "計画の認定や支給の決定は、労働局の職員が行います。",
            Some(u),
        )
    })
}

/// `GET /cases/{id}/decide/{action}`.
async fn decision_page(
    State(state): State<AppState>,
    u: WebUser,
    Path((id, action)): Path<(CaseId, String)>,
) -> Response {
    if let Some(r) = bureau_only(&u) {
        return r;
    }
    render(
        &state,
        &u,
        id,
        &action,
        Draft::default(),
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /cases/{id}/decide/{action}`: 再計算 (`intent=assess`) shows the
/// page again with the exclusions applied; 決定 (`intent=decide`) records
/// the decision when it is confirmed and the amount is the one shown.
async fn decision_post(
    State(state): State<AppState>,
    Path((id, action)): Path<(CaseId, String)>,
    CsrfForm(u, Pairs(pairs)): CsrfForm<Pairs>,
) -> Response {
    if let Some(r) = bureau_only(&u) {
        return r;
    }
    let Some(decision) = Decision::of(&action) else {
        return not_a_decision(&u, id);
    };
    let draft = Draft::read(&pairs);
    let intent = pairs
        .iter()
        .find(|(k, _)| k == "intent")
        .map(|(_, v)| v.as_str());
    if intent != Some("decide") {
        return render(&state, &u, id, &action, draft, None, StatusCode::OK).await;
    }
    let refuse = |field: &str, message: &str| josei_app::Error::invalid(field, message.to_string());
    if !draft.confirm {
        let e = refuse(
            "confirm",
            "決定する前に、確認の欄にチェックを入れてください。",
        );
        return render(
            &state,
            &u,
            id,
            &action,
            draft,
            Some(e),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    if decision.subsidy().is_some() {
        // What is decided must be what the officer saw.
        match assess(&state, &u.user, id, &action, &draft.exclusions()).await {
            Ok(a) if Some(a.assessed.amount_yen) != draft.shown_yen => {
                let e = refuse(
                    "exclusions",
                    "除外の内容が変わったため、金額を計算し直しました。下の金額を確かめてから、もう一度決定してください。",
                );
                return render(
                    &state,
                    &u,
                    id,
                    &action,
                    draft,
                    Some(e),
                    StatusCode::CONFLICT,
                )
                .await;
            }
            Ok(_) => {}
            Err(e) => {
                let status = crate::error::status(&e);
                return render(&state, &u, id, &action, draft, Some(e), status).await;
            }
        }
    }
    let body = ActionBody {
        version: draft.version.unwrap_or(-1),
        reason: Some(draft.reason.clone()),
        decided_amount_yen: None,
        decided_on: Some(draft.decided_on.clone()),
        exclusions: draft.exclusions(),
    };
    match perform_action(&state, &u.user, id, &action, body).await {
        Ok(_) => Redirect::to(&format!("/cases/{id}?done={}", urlencode(&action))).into_response(),
        Err(e) if e.kind == josei_app::Kind::NotFound || e.kind == josei_app::Kind::Forbidden => {
            api_error_page(e, &u)
        }
        Err(e) => {
            let status = crate::error::status(&e);
            render(&state, &u, id, &action, draft, Some(e), status).await
        }
    }
}

fn not_a_decision(u: &WebUser, id: CaseId) -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "この決定はできません",
        &format!("申請の画面（/cases/{id}）に戻り、いまできる操作から選んでください。"),
        Some(u),
    )
}

/// A telework day's place, for people.
fn place_label(p: Option<Place>) -> &'static str {
    match p {
        Some(Place::Home) => "自宅",
        Some(Place::SatelliteOffice) => "サテライトオフィス",
        Some(Place::Mobile) => "モバイル",
        Some(Place::Office) => "出社",
        None => "—",
    }
}

/// One target worker's telework records on a decision page.
type WorkerDays = (String, String, Vec<(String, Option<Place>)>);

/// The telework records of each target worker within `period` (all of them
/// when there is none): (worker id, worker's name, [(day, place)]).
fn telework_days(doc: &Value, period: Option<Period>) -> Vec<WorkerDays> {
    let workers = doc
        .pointer("/plan/target_workers")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let records = doc["telework"].as_array().map_or(&[][..], Vec::as_slice);
    let mut out = Vec::new();
    for w in workers {
        let Some(wid) = w["id"].as_str() else {
            continue;
        };
        let mut days: Vec<(String, Option<Place>)> = records
            .iter()
            .filter(|t| t["worker"].as_str() == Some(wid))
            .filter_map(|t| {
                let day = t["date"].as_str()?;
                let inside = match period {
                    Some(p) => parse_iso_date(day).is_ok_and(|d| p.from() <= d && d <= p.to()),
                    None => true,
                };
                inside.then(|| (day.to_string(), t["place"].as_str().and_then(Place::parse)))
            })
            .collect();
        days.sort();
        days.dedup_by(|a, b| a.0 == b.0);
        out.push((wid.to_string(), josei_app::workers::display_name(w), days));
    }
    out
}

fn checks_list(checks: &[Check]) -> Markup {
    let open: Vec<&Check> = checks
        .iter()
        .filter(|c| c.status != CheckStatus::Pass)
        .collect();
    html! {
        @if open.is_empty() {
            p.ok { "すべての要件を満たしています。" }
        } @else {
            ul.open-checks {
                @for c in open {
                    li class=(if c.status == CheckStatus::Fail { "ng" } else { "pending" }) {
                        strong { (if c.status == CheckStatus::Fail { "不適合" } else { "確認中" }) } "　" (c.message)
                        span.hint { "（" (c.citation) "）" }
                    }
                }
            }
        }
    }
}

/// The decision page, with what was entered and why it was not recorded.
async fn render(
    state: &AppState,
    u: &WebUser,
    id: CaseId,
    action: &str,
    draft: Draft,
    error: Option<josei_app::Error>,
    status: StatusCode,
) -> Response {
    let p = match CasePage::load(state, &u.user, id).await {
        Ok(p) => p,
        Err(e) => return api_error_page(e, u),
    };
    let Some(decision) = Decision::of(action) else {
        return not_a_decision(u, id);
    };
    if !p.view.actions.contains(&action) {
        return error_page(
            StatusCode::CONFLICT,
            "この決定はいまできません",
            &format!(
                "この申請は「{}」です。申請の画面に戻り、いまできる操作から選んでください。",
                p.view.status_label
            ),
            Some(u),
        );
    }
    let case = &p.view.case;
    let doc = &p.view.document;
    let first = first_name(&p);
    let today = p.view.today;
    let title = decision.title(first);
    // The engine's view, with the exclusions entered so far; a refused
    // exclusion is shown, and the page falls back to the case as it is.
    let mut error = error;
    let assessment: Option<Assessment> = match decision.subsidy() {
        None => None,
        Some(_) => match assess(state, &u.user, id, action, &draft.exclusions()).await {
            Ok(a) => Some(a),
            Err(e) => {
                if error.is_none() {
                    error = Some(e);
                }
                assess(state, &u.user, id, action, &[]).await.ok()
            }
        },
    };
    let field = error.as_ref().and_then(|e| e.field.clone());
    let bad = |f: &str| field.as_deref() == Some(f);
    let invalid = |f: &str| bad(f).then_some("true");
    let described = |f: &str| bad(f).then(|| format!("{f}-error"));
    let field_error = |f: &str| {
        html! { @if bad(f) { p.field-error id=(format!("{f}-error")) { (error.as_ref().map(|e| e.message.as_str()).unwrap_or("")) } } }
    };
    let received = match decision {
        Decision::CertifyPlan | Decision::ReturnPlan | Decision::RejectPlan => {
            case.submitted_on.clone()
        }
        Decision::Grant { equipment } | Decision::Deny { equipment } => {
            if equipment {
                case.equipment_application_filed_on.clone()
            } else {
                case.goal_application_filed_on.clone()
            }
        }
    };
    let decided_on = if draft.decided_on.is_empty() {
        today.to_string()
    } else {
        draft.decided_on.clone()
    };
    let e = assessment.as_ref().map(|a| &a.evaluation);
    let auto_eval = p.view.evaluation.as_ref();
    let period = decision.subsidy().and_then(|equipment| {
        auto_eval.and_then(|e| {
            if equipment {
                e.schedule.evaluation_period
            } else {
                e.schedule.goal_evaluation_period
            }
        })
    });
    let workers = telework_days(doc, period);
    let expenses = doc["expenses"].as_array().map_or(&[][..], Vec::as_slice);
    let item_reason = |x: &str| {
        auto_eval.and_then(|e| {
            e.expenses
                .items
                .iter()
                .find(|i| i.id == x)
                .map(|i| (i.eligible, i.reason.map(|r| r.label_ja())))
        })
    };
    let version = draft.version.unwrap_or(case.version);
    let subsidy_checks: &[Check] = match (decision.subsidy(), auto_eval) {
        (Some(true), Some(e)) => &e.equipment_subsidy.checks,
        (Some(false), Some(e)) => &e.goal_subsidy.checks,
        (None, Some(e)) => &e.equipment_subsidy.checks,
        _ => &[],
    };
    let body = html! {
        p.no-print { a href=(format!("/cases/{id}")) { "← 申請の審査画面に戻る" } }
        h1 { (title) }
        p { "申請：" strong { (case.title) } "　事業主：" (doc["employer"]["name"].as_str().unwrap_or("")) }
        @if let Some(r) = &received { p { "受付日：" (jdate(r)) } }
        @if let Some(err) = &error {
            div.errors.error-summary role="alert" tabindex="-1" #error-summary {
                h2 { "まだ決定していません" }
                p { @if let Some(f) = &err.field { a href=(format!("#{f}")) { (err.message) } } @else { (err.message) } }
            }
        }
        section aria-labelledby="engine-title" {
            h2 #engine-title { "判定エンジンの結果" }
            @if let Some(a) = &assessment {
                p { "自動判定：" strong class=(status_class(a.automatic.status)) { (a.automatic.status.label_ja()) } "　" (yen(a.automatic.amount_yen.max(0) as u64)) }
            } @else if let Some(err) = &p.view.evaluation_error {
                p.notice { (err.for_people()) }
            }
            (checks_list(subsidy_checks))
        }
        form method="post" action=(format!("/cases/{id}/decide/{action}")) novalidate {
            input type="hidden" name="csrf" value=(u.csrf);
            input type="hidden" name="version" value=(version);
            @if let Some(a) = &assessment {
                input type="hidden" name="shown_yen" value=(a.assessed.amount_yen);
                section aria-labelledby="exclude-title" #exclusions {
                    h2 #exclude-title { "査定：除外する経費・テレワークの日" }
                    p.hint { "対象とならない経費や、テレワークとして数えない日を選び、理由を入力して「除外を反映して計算し直す」を押してください。判定エンジンが除いた内容で判定し直し、その額が決定額の上限になります。" }
                    (field_error("exclusions"))
                    @if decision.subsidy() == Some(true) && !expenses.is_empty() {
                        div.table-wrap { table.list {
                            caption { "経費" }
                            thead { tr { th scope="col" { "除外" } th scope="col" { "経費" } th scope="col" { "区分" } th scope="col" { "支払日" } th scope="col" { "判定" } th scope="col" { "除外の理由" } } }
                            tbody { @for x in expenses {
                                @let xid = x["id"].as_str().unwrap_or("");
                                @let checked = draft.expenses.contains_key(xid);
                                @let label = expense_label(doc, xid).unwrap_or_default();
                                tr {
                                    td { input type="checkbox" name="exclude_expense" value=(xid) id=(format!("exclude-expense-{xid}")) checked[checked] aria-label=(format!("{label}を除外する")); }
                                    td { label for=(format!("exclude-expense-{xid}")) { (label) } }
                                    td { (x["category"].as_str().and_then(ExpenseCategory::parse).map_or("", |c| c.label_ja())) }
                                    td { (x["paid_on"].as_str().map(jdate).unwrap_or_else(|| "未払".into())) }
                                    td { @match item_reason(xid) { Some((true, _)) => span.ok { "対象" }, Some((false, r)) => { span.ng { "対象外" } @if let Some(r) = r { br; span.hint { (r) } } }, None => "—" } }
                                    td {
                                        @let rid = format!("expense_reason.{xid}");
                                        input type="text" name=(rid) id=(rid) maxlength="500" value=(draft.expenses.get(xid).cloned().unwrap_or_default()) aria-label=(format!("{label}を除外する理由")) aria-invalid=[(checked && draft.expenses.get(xid).is_some_and(|r| r.is_empty()) && bad("exclusion_reason")).then_some("true")];
                                    }
                                }
                            } }
                        } }
                    }
                    @if !workers.is_empty() {
                        h3 { "テレワークの日" @if let Some(p) = period { span.hint { "（" (jd(p.from())) "〜" (jd(p.to())) "）" } } }
                        @for (wid, name, days) in &workers {
                            @let excluded = draft.days.iter().filter(|(w, _)| w == wid).count();
                            details.worker-days open[excluded > 0] {
                                summary { (name) "：" (days.len()) "日" @if excluded > 0 { "（除外 " (excluded) "日）" } }
                                @if days.is_empty() { p { "この期間の記録はありません。" } } @else {
                                    fieldset.day-grid {
                                        legend.visually-hidden { (name) "の除外する日" }
                                        @for (day, place) in days {
                                            @let key = format!("{wid}|{day}");
                                            @let did = format!("day-{wid}-{day}");
                                            label.day for=(did) {
                                                input type="checkbox" name="exclude_day" value=(key) id=(did) checked[draft.days.iter().any(|(w, d)| w == wid && d == day)];
                                                (jdate_short(day)) " " span.hint { (place_label(*place)) }
                                            }
                                        }
                                    }
                                    @let rid = format!("day_reason.{wid}");
                                    label for=(rid) { (name) "の日を除外する理由" }
                                    input type="text" name=(rid) id=(rid) maxlength="500" value=(draft.day_reasons.get(wid).cloned().unwrap_or_default()) aria-invalid=[(excluded > 0 && draft.day_reasons.get(wid).is_none_or(|r| r.is_empty()) && bad("exclusion_day_reason")).then_some("true")];
                                }
                            }
                        }
                    }
                    p { button.secondary type="submit" name="intent" value="assess" { "除外を反映して計算し直す" } }
                }
                section aria-labelledby="assessed-title" #assessed {
                    h2 #assessed-title { "除外を反映した判定" }
                    table.kv { caption.visually-hidden { "除外を反映した判定" } tbody {
                        tr { th scope="row" { "判定" } td { strong class=(status_class(a.assessed.status)) { (a.assessed.status.label_ja()) } } }
                        tr { th scope="row" { "自動判定の額" } td { (yen(a.automatic.amount_yen.max(0) as u64)) } }
                        tr { th scope="row" { "除外を反映した額" } td { strong #assessed-amount { (yen(a.assessed.amount_yen.max(0) as u64)) } } }
                        tr { th scope="row" { "除外した経費・日" } td { (a.exclusions.iter().filter(|x| matches!(x, Exclusion::Expense { .. })).count()) "件・" (a.exclusions.iter().filter(|x| matches!(x, Exclusion::TeleworkDay { .. })).count()) "日" } }
                    } }
                    @if let Some(e) = e { @if a.assessed.status != a.automatic.status { (checks_list(if a.equipment { &e.equipment_subsidy.checks } else { &e.goal_subsidy.checks })) } }
                }
            }
            section aria-labelledby="decide-title" #decide {
                h2 #decide-title { "決定" }
                label for="decided_on" { (decision.date_label()) span.hint { @if let Some(r) = received.as_deref().and_then(|r| parse_iso_date(r).ok()) { "　受付日（" (josei_rules::wareki::format_wareki(r)) "）から今日までの日付" } @else { "　今日までの日付" } } }
                (field_error("decided_on"))
                input #decided_on type="date" name="decided_on" value=(decided_on) max=(today.to_string()) min=[received.as_deref()] required aria-invalid=[invalid("decided_on")] aria-describedby=[described("decided_on")];
                label for="reason" { "理由" span.hint { (if decision.reason_required() { "（必須。申請者に通知されます）" } else if matches!(decision, Decision::Deny { .. }) { "（申請者に通知されます。自動判定が支給対象のときは必須）" } else if matches!(decision, Decision::Grant { .. }) { "（自動判定と異なる決定のときは必須）" } else { "（任意）" }) } }
                (field_error("reason"))
                textarea #reason name="reason" rows="3" maxlength="2000" aria-invalid=[invalid("reason")] aria-describedby=[described("reason")] { (draft.reason) }
                @if let Some(a) = &assessment { @if matches!(decision, Decision::Grant { .. }) {
                    p.decided-amount { "決定額　" strong { (yen(a.assessed.amount_yen.max(0) as u64)) } }
                } }
                (field_error("confirm"))
                p.confirm {
                    input #confirm type="checkbox" name="confirm" value="yes" checked[draft.confirm && error.is_none()] aria-invalid=[invalid("confirm")] aria-describedby=[described("confirm")];
                    " " label for="confirm" { (decision.confirmation()) }
                }
                button type="submit" name="intent" value="decide" class=(decision.button_class()) { (decision.button()) }
                a.cancel href=(format!("/cases/{id}")) { "決定せずに戻る" }
            }
        }
    };
    (status, page(&title, Some(u), body)).into_response()
}

/// 「8/3（水）」-like short day for the grid of days: 「8月3日」.
fn jdate_short(iso: &str) -> String {
    match parse_iso_date(iso) {
        Ok(d) => format!("{}月{}日", d.month(), d.day()),
        Err(_) => iso.to_string(),
    }
}

/// `GET /cases/{id}/decisions/{decision}/notice`: the 支給決定通知書 or
/// 不支給決定通知書 of one decision, for print (applicants of the case and
/// the bureau).
async fn notice_page(
    State(state): State<AppState>,
    u: WebUser,
    Path((id, decision)): Path<(CaseId, DecisionId)>,
) -> Response {
    let p = match josei_app::printout::printout(&state, &u.user, id).await {
        Ok(p) => p,
        Err(e) => return api_error_page(e, &u),
    };
    let Some(d) = p.decisions.iter().find(|d| d.id == decision) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "決定通知書が見つかりません",
            "この申請の決定の中に、指定された決定はありません。申請の画面の「労働局からの決定」から開いてください。",
            Some(&u),
        );
    };
    let doc = &p.view.document;
    let no_plan = josei_rules::regime::set()
        .by_id(&d.regime)
        .is_some_and(|r| r.kind == josei_rules::regime::RegimeKind::NoPlan);
    let subsidy = match d.kind {
        DecisionKind::Equipment if no_plan => "制度導入助成",
        DecisionKind::Equipment => "機器等導入助成",
        DecisionKind::Goal => "目標達成助成",
    };
    let granted = d.outcome == Outcome::Granted;
    let title = if granted {
        "支給決定通知書"
    } else {
        "不支給決定通知書"
    };
    let regime_name = josei_rules::regime::set()
        .by_id(&d.regime)
        .map(|r| r.name.clone())
        .unwrap_or_default();
    let organization = p.organization.as_ref();
    let bureau = p.bureau_name.as_str();
    let exclusions: Vec<Exclusion> =
        serde_json::from_value(d.exclusions.clone()).unwrap_or_default();
    let employer = &doc["employer"];
    let text = |k: &str| employer[k].as_str().filter(|s| !s.is_empty()).unwrap_or("");
    let worker_names: HashMap<&str, String> = doc
        .pointer("/plan/target_workers")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|w| Some((w["id"].as_str()?, josei_app::workers::display_name(w))))
        .collect();
    let addressee = if text("name").is_empty() {
        organization.map(|o| o.name.clone()).unwrap_or_default()
    } else {
        text("name").to_string()
    };
    let body = html! {
        div.printout {
            div.no-print.print-tools {
                p { "印刷して、決定の通知としてお使いください（A4・縦）。" }
                p { button type="button" onclick="window.print()" { "印刷する" } " " a href=(format!("/cases/{id}")) { "申請の画面に戻る" } }
            }
            section.doc.notice-doc aria-label=(title) {
                div.doc-head {
                    p.doc-date { "決定番号 第" (d.id) "号" br; (decided_day(d)) }
                }
                p.addressee { (addressee) @if !text("representative").is_empty() { br; "代表者 " (text("representative")) } " 様" }
                p.sender { (bureau) "長" }
                h1 { (title) }
                p { "人材確保等支援助成金（テレワークコース）" (subsidy) "の支給申請について、" @if granted { "次のとおり支給することに決定したので通知します。" } @else { "次のとおり支給しないことに決定したので通知します。" } }
                table.kv { caption.visually-hidden { "決定の内容" } tbody {
                    tr { th scope="row" { "申請" } td { (p.view.case.title) } }
                    tr { th scope="row" { "適用した制度" } td { (regime_name) } }
                    @if !text("address").is_empty() { tr { th scope="row" { "所在地" } td { (text("address")) } } }
                    @if !text("employment_insurance_number").is_empty() { tr { th scope="row" { "雇用保険適用事業所番号" } td { (text("employment_insurance_number")) } } }
                    tr { th scope="row" { "決定" } td { strong { (if granted { "支給" } else { "不支給" }) } } }
                    @if granted { tr { th scope="row" { "支給決定額" } td { strong.amount { (yen(d.decided_amount_yen.max(0) as u64)) } } } }
                    tr { th scope="row" { "決定日" } td { (decided_day(d)) } }
                    @if let Some(r) = &d.reason { tr { th scope="row" { "理由" } td { (r) } } }
                } }
                @if !exclusions.is_empty() {
                    h2 { "支給の対象としなかったもの" }
                    div.table-wrap { table.print-table {
                        caption.visually-hidden { "支給の対象としなかったもの" }
                        thead { tr { th scope="col" { "内容" } th scope="col" { "理由" } } }
                        tbody { @for x in &exclusions { tr {
                            @match x {
                                Exclusion::Expense { expense, reason } => { td { "経費：" (expense_label(doc, expense).unwrap_or_else(|| "（削除された経費）".into())) } td { (reason) } }
                                Exclusion::TeleworkDay { worker, date, reason } => { td { "テレワーク：" (worker_names.get(worker.as_str()).cloned().unwrap_or_default()) "　" (jdate(date)) } td { (reason) } }
                            }
                        } } }
                    } }
                }
                p.doc-foot { "この決定の内容について確かめたいことがあるときは、" (bureau) "にお問い合わせください。" }
            }
        }
    };
    page(title, Some(&u), body).into_response()
}
