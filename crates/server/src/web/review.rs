//! Review before sending: what a filing sends (employer, target workers,
//! periods, expenses, measures), the documents still missing, and a clear
//! warning when the engine predicts 不支給; the withdrawal confirmation; and
//! replacing or removing an attached document before the filing that rests
//! on it.

use super::cases::{checklist_table, expense_label, place_href, size_text, CasePage};
use super::*;
use crate::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use josei_app::documents::{self, Filing};
use josei_app::progress::{self, Place};
use josei_rules::evaluate::{Check, CheckId, CheckStatus};
use josei_rules::model::{Employment, ExpenseCategory, Industry, MeasureKind};
use josei_store::workflow::Procedure;
use josei_store::AttachmentId;
use serde::Deserialize;
use serde_json::{json, Value};

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/review/{action}", get(review_page))
        .route("/cases/{id}/documents/{attachment}", get(document_page))
        .route(
            "/cases/{id}/documents/{attachment}/remove",
            post(document_remove),
        )
        .route(
            "/cases/{id}/documents/{attachment}/replace",
            post(document_replace),
        )
}

/// What the engine predicts for the subsidy a filing asks for.
pub(crate) struct Prediction {
    pub subsidy: &'static str,
    pub status: SubsidyStatus,
    pub amount_yen: u64,
    /// The unmet requirements, in the engine's plain Japanese, with where to fix them.
    pub failing: Vec<(String, Option<Place>)>,
}

/// Where the input a failing check depends on is entered (as the to-do list links).
fn fix_place(id: CheckId) -> Option<Place> {
    use CheckId::*;
    Some(match id {
        EmploymentInsurance
        | CommonRequirements
        | Sme
        | TeleworkStatus
        | NoTeleworkRulesAtPlan
        | NoPriorSubsidy => Place::Plan("employer"),
        DirectTargetWorker => Place::Plan("workers"),
        EvaluationPeriod | WorkRulesEstablished => Place::Plan("dates"),
        WorkplaceClimate => Place::Plan("climate"),
        Measures => Place::Plan("measures"),
        EligibleExpenses => Place::Plan("expenses"),
        TeleworkPerformance | GoalTeleworkGrowth | GoalTeleworkHeadcount => {
            Place::Import("telework")
        }
        TurnoverNotIncreased | TurnoverAtMost30 => Place::Import("roster"),
        _ => return None,
    })
}

/// The engine's prediction for `action` on the case as if it were sent
/// today (a filing is evaluated with today as its filing day).
async fn predict(state: &AppState, p: &CasePage, action: &str) -> Option<Prediction> {
    let field = match action {
        "file_equipment" => Some("equipment_application_filed_on"),
        "file_goal" => Some("goal_application_filed_on"),
        "submit_plan" | "start_evaluation" => None,
        _ => return None,
    };
    let today = p.view.today;
    let overrides: Vec<(&str, Value)> = field
        .map(|f| vec![(f, json!(today.to_string()))])
        .unwrap_or_default();
    let doc = josei_app::engine::document_for_engine(state, &p.view.case, today, &overrides)
        .await
        .ok()?;
    let (e, _) = josei_app::engine::run_engine(&doc).ok()?;
    let goal = action == "file_goal";
    let (subsidy, status, amount, checks): (&'static str, _, _, &[Check]) = if goal {
        (
            e.goal_subsidy.name,
            e.goal_subsidy.status,
            e.goal_subsidy.amount_yen.0,
            &e.goal_subsidy.checks,
        )
    } else {
        (
            e.equipment_subsidy.name,
            e.equipment_subsidy.status,
            e.equipment_subsidy.amount_yen.0,
            &e.equipment_subsidy.checks,
        )
    };
    let failing = checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail && c.id != CheckId::EquipmentSubsidy)
        .map(|c| (c.message.clone(), fix_place(c.id)))
        .collect();
    Some(Prediction {
        subsidy,
        status,
        amount_yen: amount,
        failing,
    })
}

/// Whether `action` on case `id` is sent from a review page for this user
/// (and may be taken now: a refused action that is not is shown on the case page).
pub(crate) async fn has_review_page(
    state: &AppState,
    u: &WebUser,
    id: CaseId,
    action: &str,
) -> bool {
    match josei_app::cases::get(state, &u.user, id).await {
        Ok(v) => progress::needs_review(action, v.procedure) && v.actions.contains(&action),
        Err(_) => false,
    }
}

/// The review page again, with why the action was not sent, when a
/// confirmation it asks for is missing: every withdrawal, and a filing the
/// engine predicts 不支給. `None`: nothing missing.
pub(crate) async fn confirmation_missing(
    state: &AppState,
    u: &WebUser,
    id: CaseId,
    action: &str,
    confirm: Option<&str>,
) -> Option<Response> {
    let p = CasePage::load(state, &u.user, id).await.ok()?;
    if !progress::needs_review(action, p.view.procedure) || !p.view.actions.contains(&action) {
        return None;
    }
    let confirmed = confirm == Some("yes");
    let message = if action == "withdraw" {
        (!confirmed).then_some("取り下げる前に、「取り下げると元に戻せないことを確認しました」にチェックを入れてください。")
    } else {
        let not_payable = predict(state, &p, action)
            .await
            .is_some_and(|x| x.status == SubsidyStatus::NotPayable);
        (not_payable && !confirmed).then_some("不支給の見込みのまま送るときは、「不支給の見込みであることを理解したうえで送ります」にチェックを入れてください。")
    }?;
    Some(
        render_review(
            state,
            u,
            id,
            action,
            Some(message.to_string()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await,
    )
}

pub(crate) async fn review_page(
    State(state): State<AppState>,
    u: WebUser,
    Path((id, action)): Path<(CaseId, String)>,
) -> Response {
    render_review(&state, &u, id, &action, None, StatusCode::OK).await
}

fn industry_label(v: &Value) -> String {
    match v.as_str().and_then(Industry::parse) {
        Some(Industry::Retail) => "小売業（飲食店を含む）".into(),
        Some(Industry::Service) => "サービス業".into(),
        Some(Industry::Wholesale) => "卸売業".into(),
        Some(Industry::Other) => "その他の業種".into(),
        None => "未入力".into(),
    }
}

fn or_unset(v: Option<String>) -> String {
    v.unwrap_or_else(|| "未入力".into())
}

/// The review page of `action` on case `id` (or the withdrawal confirmation).
pub(crate) async fn render_review(
    state: &AppState,
    u: &WebUser,
    id: CaseId,
    action: &str,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let p = match CasePage::load(state, &u.user, id).await {
        Ok(p) => p,
        Err(e) => return api_error_page(e, u),
    };
    let view = &p.view;
    let case = &view.case;
    let procedure = view.procedure;
    let evaluation = view.evaluation.as_ref();
    let Some(t) = josei_store::workflow::by_name(action) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "ページが見つかりません",
            "そのような操作はありません。",
            Some(u),
        );
    };
    let label = t.action.label_for(procedure);
    if !matches!(u.user.role, Role::Employer | Role::Agent)
        || !progress::needs_review(action, procedure)
        || !view.actions.contains(&action)
    {
        let body = html! {
            h1 { (label) }
            div.errors role="alert" {
                p { "「" (view.status_label) "」の申請では、いま" (label) "はできません。" }
            }
            p { a href=(format!("/cases/{id}")) { "← 申請のページへ戻る" } }
        };
        return (StatusCode::CONFLICT, page(&label, Some(u), body)).into_response();
    }
    let withdraw = action == "withdraw";
    let prediction = if withdraw {
        None
    } else {
        predict(state, &p, action).await
    };
    let not_payable = prediction
        .as_ref()
        .is_some_and(|x| x.status == SubsidyStatus::NotPayable);
    let filing = Filing::of_action(action);
    let checklist = filing
        .map(|f| documents::checklist(f, &p.inputs()))
        .unwrap_or_default();
    let missing = checklist.iter().filter(|d| !d.satisfied).count();
    let doc = &view.document;
    let employer = &doc["employer"];
    let workers: Vec<&Value> = doc["plan"]["target_workers"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let first = p.facts().first_name();
    let title = if withdraw {
        "申請の取下げ：確認".to_string()
    } else {
        format!("{label}：送る内容の確認")
    };
    let period = |x: Option<josei_rules::civil::Period>| {
        x.map(|x| format!("{} 〜 {}", jd(x.from()), jd(x.to())))
    };
    let expenses: Vec<&Value> = doc["expenses"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let show_expenses = procedure == Procedure::Plan && action != "file_goal";
    // Where it goes: the bureau of the employer's prefecture, named by the directory.
    let (bureau, contact) = josei_app::bureaus::named(state, case.prefecture)
        .await
        .unwrap_or_else(|_| (josei_app::bureaus::UNNAMED.to_string(), None));
    let body = html! {
        p.no-print { a href=(format!("/cases/{id}")) { "← 申請のページへ戻る（まだ送りません）" } }
        h1 { (title) }
        p.lead { (case.title) }
        @if let Some(m) = &error {
            div.errors role="alert" #review-error {
                h2 { "まだ送っていません" }
                p { (m) }
                p { a href="#confirm" { "確認の欄へ移動する" } }
            }
        }
        @if withdraw {
            section.warning aria-labelledby="withdraw-title" {
                h2 #withdraw-title { "取り下げると、どうなるか" }
                ul {
                    li { strong { "取り下げると元に戻せません。" } }
                    @if case.status == josei_store::Status::Draft { li { "まだ労働局には何も送っていないため、労働局での手続きはありません。" } } @else { li { "労働局は、この申請の審査をやめます。" @if case.status == josei_store::Status::EquipmentFiled { "審査中の" (first) "の支給申請も取り下げとなり、支給は受けられません。" } @else if case.status == josei_store::Status::PlanSubmitted { "審査中の計画も取り下げとなります。" } } }
                    li { "この申請では、これから計画の提出や支給申請はできなくなります。もう一度申請するときは、新しく申請を作ります。" }
                    li { "入力した内容と添付した書類は、取り下げた後も申請のページで見られます（変更はできません）。" }
                }
                p { "迷うときは、取り下げる前に労働局や社労士にご相談ください。" }
            }
        } @else {
            p.send-to { "送り先：" strong { (bureau) } @if let Some(b) = contact.as_ref().filter(|b| !b.department.is_empty()) { " " (b.department) } }
            p { "まだ" (bureau) "には送っていません。内容を確かめてから、いちばん下のボタンで送ってください。" }
            @if let Some(x) = &prediction {
                @if x.status == SubsidyStatus::NotPayable {
                    section.warning role="alert" aria-labelledby="prediction-title" {
                        h2 #prediction-title { "このままでは" (x.subsidy) "は不支給になる見込みです" }
                        p { "支給要領に照らして確かめたところ、次の要件を満たしていません。直してから送ることをおすすめします。" }
                        ul { @for (m, place) in &x.failing {
                            li { (m) @if let Some(pl) = place { " " a href=(place_href(id, pl, None)) { "直す" } } }
                        } }
                    }
                } @else if x.status == SubsidyStatus::Payable {
                    p.ok-box { "支給要領に照らした判定では、" (x.subsidy) "の要件をすべて満たす見込みです" @if x.amount_yen > 0 { "（見込み額 " (yen(x.amount_yen)) "）" } "。最終的な判断は労働局が行います。" }
                } @else {
                    p.notice { "まだ判定できない要件があります。送った後も、期限までに取組や記録をそろえてください。" }
                }
            }
            h2 { "送る内容" }
            h3 { "事業主" }
            dl.facts {
                div { dt { "名称" } dd { (or_unset(employer["name"].as_str().map(str::to_string))) } }
                div { dt { "業種" } dd { (industry_label(&employer["industry"])) } }
                div { dt { "資本金等" } dd { (or_unset(employer["capital_yen"].as_u64().map(yen))) } }
                div { dt { "常時雇用する労働者" } dd { (or_unset(employer["regular_employees"].as_u64().map(|n| format!("{n}人")))) } }
            }
            h3 { "対象労働者（" (workers.len()) "人）" }
            @if workers.is_empty() { p.ng { "対象労働者がまだいません。" a href=(place_href(id, &Place::Plan("workers"), None)) { "入力する" } } } @else {
                ul.workers { @for w in &workers {
                    li {
                        (w["name"].as_str().filter(|n| !n.is_empty()).or(w["id"].as_str()).unwrap_or("—"))
                        "（" (w["employment"].as_str().and_then(Employment::parse).map_or("—", |e| match e { Employment::Direct => "直接雇用", Employment::Dispatched => "派遣労働者" })) "）"
                    }
                } }
            }
            @if let Some(e) = evaluation {
                h3 { "期間" }
                dl.facts {
                    @if procedure == Procedure::NoPlan {
                        div { dt { "取組（職場風土作り・就業規則・研修など）の期間" } dd { (or_unset(period(e.schedule.measures_window))) } }
                    } @else if action == "submit_plan" {
                        div { dt { "評価期間を設定できる期間" } dd { (or_unset(period(e.schedule.evaluation_window))) } }
                    }
                    div { dt { "評価期間（" (first) "）" } dd { (or_unset(period(e.schedule.evaluation_period))) } }
                    @if action == "file_goal" {
                        div { dt { "評価期間（目標達成助成）" } dd { (or_unset(period(e.schedule.goal_evaluation_period))) } }
                    }
                    @if let (Some(t), true) = (&e.telework, action != "submit_plan") {
                        div { dt { "テレワークの実績（評価期間）" } dd { "延べ" (t.telework_days) "日、" (t.workers_with_telework) " / " (t.target_workers) "人が実施" } }
                    }
                }
            }
            @if procedure == Procedure::NoPlan && action != "file_goal" {
                h3 { "評価期間の前3か月の取組" }
                dl.facts {
                    div { dt { "トップからのメッセージ・社内への呼びかけ" } dd { (or_unset(doc["workplace_climate"]["top_message_on"].as_str().map(jdate))) } }
                    div { dt { "テレワーク事例の収集・社内周知" } dd { (or_unset(doc["workplace_climate"]["case_sharing_on"].as_str().map(jdate))) } }
                    div { dt { "就業規則等の整備" } dd { (or_unset(doc["work_rules_established_on"].as_str().map(jdate))) } }
                    @for m in doc["measures"].as_array().into_iter().flatten() {
                        div { dt { (m["kind"].as_str().and_then(MeasureKind::parse).map_or("取組", |k| k.label_ja())) } dd { (or_unset(m["on"].as_str().map(jdate))) } }
                    }
                }
            }
            @if show_expenses {
                h3 { "経費（" (expenses.len()) "件）" }
                @if expenses.is_empty() { p { "経費はまだありません。" a href=(place_href(id, &Place::Plan("expenses"), None)) { "入力する" } } } @else {
                    @let total: u64 = expenses.iter().filter_map(|x| x["amount_yen"].as_u64()).sum();
                    div.table-wrap { table.stack {
                        caption { "経費の一覧（合計 " (yen(total)) "）" }
                        thead { tr { th scope="col" { "内容" } th scope="col" { "区分" } th.num scope="col" { "金額" } th scope="col" { "納品日" } th scope="col" { "支払日" } } }
                        tbody { @for x in &expenses {
                            tr {
                                td data-label="内容" { (x["description"].as_str().filter(|d| !d.is_empty()).unwrap_or("—")) }
                                td data-label="区分" { (x["category"].as_str().and_then(ExpenseCategory::parse).map_or("—", |c| c.label_ja())) }
                                td.num data-label="金額" { (or_unset(x["amount_yen"].as_u64().map(yen))) }
                                td data-label="納品日" { (x["delivered_on"].as_str().map(jdate).unwrap_or_else(|| "—".into())) }
                                td data-label="支払日" { (x["paid_on"].as_str().map(jdate).unwrap_or_else(|| "未払い（予定）".into())) }
                            }
                        } }
                    } }
                }
            }
            @if !checklist.is_empty() {
                h2 { "書類" }
                @if missing > 0 {
                    p.notice role="status" { "まだ用意していない書類が" strong { (missing) "件" } "あります。送る前に添付するか、労働局へ別に提出できるようにしてください。" }
                } @else {
                    p.ok-box { "必要な書類はそろっています。" }
                }
                (checklist_table(id, "送る書類", &checklist, true))
            }
        }
        form.no-print.confirm-form method="post" action=(format!("/cases/{id}/action")) {
            input type="hidden" name="csrf" value=(u.csrf);
            input type="hidden" name="version" value=(case.version);
            input type="hidden" name="action" value=(action);
            @if withdraw || not_payable {
                div.confirm-box {
                    input #confirm type="checkbox" name="confirm" value="yes" required aria-invalid=[error.is_some().then_some("true")] aria-describedby=[error.is_some().then_some("review-error")];
                    label for="confirm" {
                        @if withdraw { "取り下げると元に戻せないことを確認しました" } @else { "不支給の見込みであることを理解したうえで送ります" }
                    }
                }
            }
            button type="submit" class=(if withdraw { "danger" } else { "" }) { (action_label_for(action, evaluation)) }
        }
        p.no-print { a href=(format!("/cases/{id}")) { "送らずに申請のページへ戻る" } }
    };
    (status, page(&title, Some(u), body)).into_response()
}

/// The page of one attached document: replace it with another file, or remove it.
pub(crate) async fn document_page(
    State(state): State<AppState>,
    u: WebUser,
    Path((id, attachment)): Path<(CaseId, AttachmentId)>,
) -> Response {
    document_view(&state, &u, id, attachment, None, StatusCode::OK).await
}

async fn document_view(
    state: &AppState,
    u: &WebUser,
    id: CaseId,
    attachment: AttachmentId,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let p = match CasePage::load(state, &u.user, id).await {
        Ok(p) => p,
        Err(e) => return api_error_page(e, u),
    };
    let Some(a) = p.attachments.iter().find(|a| a.id == attachment) else {
        return api_error_page(josei_app::Error::not_found(), u);
    };
    let applicant = matches!(u.user.role, Role::Employer | Role::Agent);
    let allowed = documents::removable(&p.filed, a);
    let title = format!("書類の差し替え・削除：{}", a.filename);
    let body = html! {
        p.no-print { a href=(format!("/cases/{id}#documents")) { "← 申請のページの書類へ戻る" } }
        h1 { "書類の差し替え・削除" }
        dl.facts {
            div { dt { "ファイル" } dd { a href=(format!("/api/v1/cases/{id}/attachments/{}", a.id)) { (a.filename) } "（" (size_text(a.size_bytes)) "）" } }
            div { dt { "書類の種類" } dd { (a.kind.label_ja()) } }
            @if let Some(x) = a.expense_ref.as_deref().and_then(|x| expense_label(&p.view.document, x)) { div { dt { "経費" } dd { (x) } } }
            div { dt { "添付した日時" } dd { (jtime(&a.uploaded_at)) } }
        }
        @if let Some(m) = &error {
            div.errors role="alert" { p { (m) } }
        }
        @match (&allowed, applicant) {
            (Err(e), _) => { div.notice role="status" { p { (e.message) } } }
            (Ok(()), false) => { p { "書類を差し替え・削除できるのは、事業主と社労士です。" } }
            (Ok(()), true) => {
                h2 { "別のファイルに差し替える" }
                form method="post" action=(format!("/cases/{id}/documents/{}/replace", a.id)) enctype="multipart/form-data" {
                    input type="hidden" name="csrf" value=(u.csrf);
                    label for="replace-file" { "新しいファイル" span.hint { "　PDF・PNG・JPEG・Excel（.xlsx）、10 MiB まで。種類と経費はそのまま引き継ぎます" } }
                    input #replace-file type="file" name="file" accept=".pdf,.png,.jpg,.jpeg,.xlsx" required;
                    button type="submit" { "差し替える" }
                }
                h2 { "削除する" }
                p { "削除した書類は元に戻せません（削除したことは記録に残ります）。" }
                form method="post" action=(format!("/cases/{id}/documents/{}/remove", a.id)) {
                    input type="hidden" name="csrf" value=(u.csrf);
                    button.danger type="submit" { "この書類を削除する" }
                }
            }
        }
    };
    (status, page(&title, Some(u), body)).into_response()
}

#[derive(Deserialize)]
pub(crate) struct RemoveForm {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn document_remove(
    State(state): State<AppState>,
    Path((id, attachment)): Path<(CaseId, AttachmentId)>,
    CsrfForm(u, _f): CsrfForm<RemoveForm>,
) -> Response {
    match documents::remove_attachment(&state, &u.user, id, attachment).await {
        Ok(_) => Redirect::to(&format!("/cases/{id}?done=removed#documents")).into_response(),
        Err(e) if e.kind == josei_app::Kind::NotFound || e.kind == josei_app::Kind::Forbidden => {
            api_error_page(e, &u)
        }
        Err(e) => {
            let status = crate::error::status(&e);
            document_view(&state, &u, id, attachment, Some(e.message), status).await
        }
    }
}

pub(crate) async fn document_replace(
    State(state): State<AppState>,
    u: WebUser,
    Path((id, attachment)): Path<(CaseId, AttachmentId)>,
    mut form: Multipart,
) -> Response {
    let (mut csrf, mut filename, mut content_type, mut bytes) =
        (String::new(), String::new(), String::new(), Vec::new());
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "file" => {
                filename = field.file_name().unwrap_or("").to_string();
                content_type = field.content_type().unwrap_or("").to_string();
                match field.bytes().await {
                    Ok(b) => bytes = b.to_vec(),
                    Err(_) => {
                        return document_view(
                            &state,
                            &u,
                            id,
                            attachment,
                            Some("ファイルが大きすぎます（10 MiB まで）。".into()),
                            StatusCode::PAYLOAD_TOO_LARGE,
                        )
                        .await
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(r) = csrf_error(&u, &csrf) {
        return r;
    }
    let p = match CasePage::load(&state, &u.user, id).await {
        Ok(p) => p,
        Err(e) => return api_error_page(e, &u),
    };
    let Some(old) = p.attachments.iter().find(|a| a.id == attachment).cloned() else {
        return api_error_page(josei_app::Error::not_found(), &u);
    };
    // The old file must still be removable before the new one is stored.
    if let Err(e) = documents::removable(&p.filed, &old) {
        let status = crate::error::status(&e);
        return document_view(&state, &u, id, attachment, Some(e.message), status).await;
    }
    let case = &p.view.case;
    let stored = josei_app::attachments::store_attachment(
        &state,
        &u.user,
        case,
        old.kind,
        &filename,
        &content_type,
        &bytes,
        old.expense_ref.as_deref(),
    )
    .await;
    if let Err(e) = stored {
        let status = crate::error::status(&e);
        return document_view(&state, &u, id, attachment, Some(e.message), status).await;
    }
    match documents::remove_attachment(&state, &u.user, id, attachment).await {
        Ok(_) => Redirect::to(&format!("/cases/{id}?done=replaced#documents")).into_response(),
        Err(e) => api_error_page(e, &u),
    }
}

has_csrf!(RemoveForm);
