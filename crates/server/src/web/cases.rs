//! A case's page (its status, checks, schedule, actions), a new case, workflow actions.

use super::*;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use jiff::civil::Date;
use josei_app::access::visible_case;
use josei_app::attachments::AttachmentKind;
use josei_app::cases::{case_view, CaseView};
use josei_app::documents::{self, DocItem};
use josei_app::progress::{self, Place};
use josei_app::workflow::{perform_action, ActionBody};
use josei_rules::civil::parse_iso_date;
use josei_rules::evaluate::{CheckId, Evaluation};
use josei_rules::model::{ExpenseCategory, MeasureKind};
use josei_store::Role;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/new", post(case_new))
        .route("/cases/{id}", get(case_page))
        .route("/cases/{id}/action", post(case_action))
        .merge(super::review::router())
}

#[derive(Deserialize)]
pub(crate) struct NewCaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    organization_id: Option<OrganizationId>,
}

pub(crate) async fn case_new(
    State(state): State<AppState>,
    CsrfForm(u, f): CsrfForm<NewCaseForm>,
) -> Response {
    // A mistake in the form: the list again, the message at the field and
    // what was typed kept.
    let refused = |field: &'static str, message: String| super::lists::NewCase {
        title: f.title.clone(),
        organization_id: f.organization_id.map(|o| o.to_string()),
        error: Some((field, message)),
    };
    let org = match u.user.role {
        Role::Employer => u.user.organization_id,
        Role::Agent => f.organization_id,
        _ => None,
    };
    let Some(org) = org else {
        if u.user.role == Role::Agent {
            let new = refused("organization_id", "申請する事業主を選んでください。".into());
            return super::lists::case_list_page(
                &state,
                &u,
                &Default::default(),
                &new,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        return error_page(
            StatusCode::FORBIDDEN,
            "作成できません",
            "申請を作れるのは事業主と、委任を受けた社労士です。",
            Some(&u),
        );
    };
    if u.user.role == Role::Agent
        && !state
            .db
            .agent_org_ids(u.user.id)
            .await
            .unwrap_or_default()
            .contains(&org)
    {
        return error_page(
            StatusCode::NOT_FOUND,
            "見つかりません",
            "その事業主は見つかりません。",
            Some(&u),
        );
    }
    let title = match josei_app::text::validate_title(&f.title) {
        Ok(t) => t,
        Err(e) => {
            let new = refused("title", e.message);
            return super::lists::case_list_page(
                &state,
                &u,
                &Default::default(),
                &new,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state.db.create_case(org, &title, u.user.id).await {
        Ok(c) => Redirect::to(&format!("/cases/{}", c.id)).into_response(),
        Err(e) => api_error_page(e, &u),
    }
}

/// The SVG bar chart of telework days per target worker in evaluation period 1.
pub(crate) fn telework_chart(
    per_worker: &[(String, u32)],
    period_days: u32,
    weekly_needed: u32,
) -> Markup {
    let width = 640;
    let bar_h = 22;
    // Room for the longest name (16 units a character), within reason.
    let longest = per_worker
        .iter()
        .map(|(w, _)| w.chars().count() as u32)
        .max()
        .unwrap_or(0);
    let left = (longest * 16 + 10).clamp(90, 260);
    let height = per_worker.len() as u32 * (bar_h + 8) + 30;
    let max = per_worker
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0)
        .max(weekly_needed)
        .max(1);
    let scale = |n: u32| (n as f64 / max as f64 * (width - left - 60) as f64) as u32;
    html! {
        svg width="100%" viewBox=(format!("0 0 {width} {height}")) role="img" aria-labelledby="chart-title" {
            title #chart-title { "対象労働者ごとのテレワーク日数（評価期間 " (period_days) "日）" }
            @for (i, (w, n)) in per_worker.iter().enumerate() {
                @let y = i as u32 * (bar_h + 8) + 10;
                text x="0" y=(y + 16) { (w) }
                rect x=(left) y=(y) width=(scale(*n).max(1)) height=(bar_h) fill=(if *n > 0 { "#0b5cad" } else { "#b00020" }) {}
                text x=(left + scale(*n) + 6) y=(y + 16) { (n) "日" }
            }
            @if weekly_needed > 0 {
                @let x = left + scale(weekly_needed);
                line x1=(x) x2=(x) y1="0" y2=(height - 10) stroke="#7a5200" stroke-dasharray="4 3" {}
                text x=(x - 4) y=(height - 2) text-anchor="end" { "週1回の目安 " (weekly_needed) "日" }
            }
        }
    }
}

/// A message at the top of the case page: what a write just did, or why an
/// action was refused (with what the officer typed kept).
#[derive(Default)]
pub(crate) struct Flash {
    pub done: Option<String>,
    pub error: Option<ActionError>,
}

/// An action refused, shown on the case page itself.
pub(crate) struct ActionError {
    pub action: String,
    pub message: String,
    pub field: Option<String>,
}

/// What a write on the case page did, in the words of a success message.
pub(crate) fn done_message(done: &str, first: &str) -> Option<String> {
    Some(match done {
        "submit_plan" => "計画を労働局に提出しました。認定の結果をお待ちください。".into(),
        "return_plan" => "計画を差し戻しました。".into(),
        "reject_plan" => "計画を不認定としました。".into(),
        "certify_plan" => "計画を認定しました。".into(),
        "start_evaluation" => "評価期間を開始しました。".into(),
        "file_equipment" => format!("{first}を申請しました。労働局の審査をお待ちください。"),
        "grant_equipment" => format!("{first}の支給を決定しました。"),
        "deny_equipment" => format!("{first}を不支給と決定しました。"),
        "start_goal_tracking" => "目標達成に向けた取組を始めました。".into(),
        "file_goal" => "目標達成助成を申請しました。労働局の審査をお待ちください。".into(),
        "grant_goal" => "目標達成助成の支給を決定しました。".into(),
        "deny_goal" => "目標達成助成を不支給と決定しました。".into(),
        "close" => "この申請を完了にしました。".into(),
        "withdraw" => "申請を取り下げました。".into(),
        "removed" => "書類を削除しました。".into(),
        "attached" => "書類を添付しました。".into(),
        "replaced" => "書類を差し替えました。".into(),
        "diagnosis" => {
            "診断の内容で申請を作りました。対象労働者と取組を「計画の内容」で入力してください。"
                .into()
        }
        _ => return None,
    })
}

/// Where a to-do or a missing document is provided, as a link.
pub(crate) fn place_href(id: CaseId, place: &Place, expense: Option<&str>) -> String {
    match place {
        Place::Plan(section) => format!("/cases/{id}/plan#{}", plan_anchor(section)),
        Place::Import(kind) => format!("/cases/{id}?import={kind}#import"),
        Place::Attach(kind) => format!(
            "/cases/{id}?attach={}{}#documents",
            kind.as_str(),
            expense
                .map(|x| format!("&expense={}", urlencode(x)))
                .unwrap_or_default()
        ),
        Place::Review(action) => format!("/cases/{id}/review/{action}"),
        Place::Action(action) => format!("/cases/{id}#action-{action}"),
    }
}

/// The element of the plan page that holds a section's first field.
fn plan_anchor(section: &str) -> &str {
    match section {
        "climate" => "climate_top_message_on",
        "expenses" => "expenses-section",
        // employer, workers, dates, measures: the plan page's fieldsets.
        other => other,
    }
}

/// The status of an application as its applicant reads it: the word, what
/// it means, the amounts.
pub(crate) fn status_panel(s: &progress::Summary) -> Markup {
    let tone = match s.tone {
        progress::Tone::Neutral => "neutral",
        progress::Tone::Waiting => "waiting",
        progress::Tone::Good => "good",
        progress::Tone::Bad => "bad",
    };
    html! {
        section class={ "status-panel " (tone) } aria-labelledby="status-word" {
            p.status-label { "いまの状況" }
            p.status-word #status-word { (s.word) }
            p.status-detail { (s.detail) }
            @if !s.amounts.is_empty() {
                dl.amounts {
                    @for a in &s.amounts {
                        div class={ "amount-line " (match a.kind { progress::AmountKind::Estimate => "estimate", progress::AmountKind::Decided => "decided", progress::AmountKind::Denied => "denied" }) } {
                            dt { (a.subsidy) "の" (a.label()) }
                            dd {
                                @match a.kind {
                                    progress::AmountKind::Denied => { span.figure { "不支給" } }
                                    _ => { span.figure { (yen(a.yen.max(0) as u64)) } }
                                }
                                @if let Some(n) = &a.note { span.amount-note { (n) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The steps of the case's procedure, the current one marked for screen readers.
pub(crate) fn steps_list(steps: &[progress::Step]) -> Markup {
    html! {
        nav.steps-nav aria-label="手続きの流れ" {
            ol.steps {
                @for (i, st) in steps.iter().enumerate() {
                    @let class = match st.state {
                        progress::StepState::Done => "done",
                        progress::StepState::Current => "current",
                        progress::StepState::Upcoming => "upcoming",
                        progress::StepState::Stopped => "stopped",
                    };
                    li class=(class) aria-current=[st.is_current().then_some("step")] {
                        span.step-no aria-hidden="true" { (i + 1) }
                        span.step-label {
                            (st.label)
                            @match st.state {
                                progress::StepState::Done => { span.visually-hidden { "（済み）" } }
                                progress::StepState::Current | progress::StepState::Stopped => { span.visually-hidden { "（いまここ）" } }
                                progress::StepState::Upcoming => {}
                            }
                            @if let Some(n) = &st.note { span.step-note { (n) } }
                        }
                    }
                }
            }
        }
    }
}

/// The bureau's decisions and answers to the plan, newest first.
pub(crate) fn notices_section(notices: &[progress::BureauNotice]) -> Markup {
    html! {
        @if !notices.is_empty() {
            section.decisions aria-labelledby="decisions-title" {
                h2 #decisions-title { "労働局からの決定" }
                @for n in notices {
                    @let tone = match n.tone { progress::Tone::Good => "good", progress::Tone::Bad => "bad", _ => "neutral" };
                    article class={ "decision " (tone) } {
                        h3 { (n.subject) "：" strong { (n.outcome) } }
                        dl {
                            @if let Some(a) = n.amount_yen { div { dt { "支給決定額" } dd.figure { (yen(a.max(0) as u64)) } } }
                            @if let Some(d) = n.on { div { dt { "決定日" } dd { (jd(d)) } } }
                            @if let Some(b) = &n.bureau { div { dt { "決定した労働局" } dd { (b) } } }
                            @if let Some(r) = n.reason.as_deref() { div { dt { "理由" } dd { (r) } } }
                            @else if n.tone == progress::Tone::Bad { div { dt { "理由" } dd { "（記載はありません）" } } }
                        }
                        @if let Some((case, decision)) = n.decision {
                            p.no-print { a href=(format!("/cases/{case}/decisions/{decision}/notice")) { (if n.tone == progress::Tone::Good { "支給決定通知書" } else { "不支給決定通知書" }) "を表示・印刷する" } }
                        }
                    }
                }
            }
        }
    }
}

/// The documents a filing needs, each with its state and where to provide it.
pub(crate) fn checklist_table(id: CaseId, title: &str, items: &[DocItem], link: bool) -> Markup {
    html! {
        ul.checklist aria-label=(title) {
            @for d in items {
                li class=(if d.satisfied { "ok" } else { "missing" }) {
                    span.mark aria-hidden="true" { (if d.satisfied { "✓" } else { "！" }) }
                    span.visually-hidden { (if d.satisfied { "用意済み：" } else { "未提出：" }) }
                    strong { (d.label) }
                    @if let Some(x) = &d.detail { span.hint { " — " (x) } }
                    br;
                    span.doc-state { (d.state) }
                    @if link && !d.satisfied {
                        " " a href=(place_href(id, &d.place, d.expense_ref.as_deref())) { (provide_word(&d.place)) }
                    }
                }
            }
        }
    }
}

fn provide_word(p: &Place) -> &'static str {
    match p {
        Place::Import(_) => "取り込む",
        Place::Attach(_) => "添付する",
        Place::Plan(_) => "入力する",
        Place::Review(_) => "確認する",
        Place::Action(_) => "行う",
    }
}

/// Everything the case page shows, gathered once.
pub(crate) struct CasePage {
    pub view: CaseView,
    pub decisions: Vec<josei_store::Decision>,
    pub notices: Vec<progress::BureauNotice>,
    pub attachments: Vec<josei_store::Attachment>,
    pub previous: Option<josei_store::Status>,
    pub estimate: Option<josei_app::estimate::Estimate>,
    /// The filings the attached documents rest on.
    pub filed: documents::Filed,
}

impl CasePage {
    pub(crate) async fn load(
        state: &AppState,
        user: &josei_store::User,
        id: CaseId,
    ) -> Result<CasePage, josei_app::Error> {
        let case = visible_case(state, user, id).await?;
        let view = case_view(state, &case, user).await?;
        let decisions = state.db.decisions(id).await?;
        let notices = progress::bureau_notices(state, &case, view.procedure).await?;
        let attachments = state.db.attachments(id).await?;
        let previous = progress::previous_status(state, &case).await?;
        let estimate = josei_app::estimate::case_estimate(state, &case).await?;
        let audit = state.db.audit_log("case", &id.to_string()).await?;
        let filed = documents::Filed::of(&case, view.procedure, &audit);
        Ok(CasePage {
            view,
            decisions,
            notices,
            attachments,
            previous,
            estimate,
            filed,
        })
    }

    pub(crate) fn target_workers(&self) -> usize {
        self.view.document["plan"]["target_workers"]
            .as_array()
            .map_or(0, Vec::len)
    }

    pub(crate) fn facts(&self) -> progress::Facts<'_> {
        let est = self.estimate.as_ref();
        progress::Facts {
            status: self.view.case.status,
            procedure: self.view.procedure,
            evaluation: self.view.evaluation.as_ref(),
            decisions: &self.decisions,
            target_workers: self.target_workers(),
            estimates: [
                est.map(|e| e.with_planned.equipment_yen as i64),
                est.map(|e| e.with_planned.goal_yen as i64),
            ],
            previous: self.previous,
            includes_planned: est.is_some_and(|e| e.planned_items > 0),
        }
    }

    pub(crate) fn inputs(&self) -> documents::Inputs<'_> {
        documents::Inputs {
            procedure: self.view.procedure,
            document: &self.view.document,
            evaluation: self.view.evaluation.as_ref(),
            attachments: &self.attachments,
        }
    }
}

pub(crate) async fn case_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<CaseId>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let flash = Flash {
        done: q.get("done").cloned(),
        error: None,
    };
    render_case(&state, &u, id, flash, &q, StatusCode::OK).await
}

/// The case page, with a message at the top when a write just happened or
/// an action was refused.
pub(crate) async fn render_case(
    state: &AppState,
    u: &WebUser,
    id: CaseId,
    flash: Flash,
    q: &HashMap<String, String>,
    status: StatusCode,
) -> Response {
    let p = match CasePage::load(state, &u.user, id).await {
        Ok(p) => p,
        Err(e) => return api_error_page(e, u),
    };
    // The bureau reviews the case on its own page.
    if matches!(u.user.role, Role::Officer | Role::Admin) {
        return super::examine::render(state, u, p, flash, q, status).await;
    }
    let view = &p.view;
    let case = &view.case;
    let evaluation = view.evaluation.as_ref();
    let doc = &view.document;
    let applicant = matches!(u.user.role, Role::Employer | Role::Agent);
    let actions = &view.actions;
    let facts = p.facts();
    let first = facts.first_name();
    let summary = progress::summary(&facts);
    let steps = progress::steps(&facts);
    let filing = documents::Filing::next(case.status, view.procedure);
    let checklist = filing
        .map(|f| documents::checklist(f, &p.inputs()))
        .unwrap_or_default();
    let todo = if applicant {
        progress::todo(&facts, &checklist, actions)
    } else {
        Vec::new()
    };
    let done = flash.done.as_deref().and_then(|d| done_message(d, first));
    let attach_kind = q
        .get("attach")
        .and_then(|k| AttachmentKind::parse(k))
        .unwrap_or(AttachmentKind::WorkRules);
    let attach_expense = q.get("expense").filter(|x| {
        doc["expenses"]
            .as_array()
            .is_some_and(|a| a.iter().any(|e| e["id"].as_str() == Some(x.as_str())))
    });
    let messages = state.db.messages(id).await.unwrap_or_default();
    let import_kind = q.get("import").map(String::as_str).unwrap_or("telework");
    let error = flash.error.as_ref();
    let filing_title = match filing {
        Some(documents::Filing::Plan) => "計画の提出に必要な書類".to_string(),
        Some(documents::Filing::First) => format!("{first}の支給申請に必要な書類"),
        Some(documents::Filing::Goal) => "目標達成助成の支給申請に必要な書類".to_string(),
        None => String::new(),
    };
    let body = html! {
        p.no-print { a href="/cases" { "← 一覧へ戻る" } }
        h1 { (case.title) }
        @if let Some(m) = &done {
            div.success role="status" { p { (m) } }
        }
        @if let Some(e) = error {
            div.errors role="alert" tabindex="-1" #action-error {
                h2 { "この操作はできませんでした" }
                p { (e.message) }
                @if let Some(f) = &e.field {
                    p { a href=(format!("#{}-{}", f, e.action)) { "入力欄へ移動する" } }
                }
                p { a href=(format!("/cases/{id}")) { "申請のページを読み込み直す" } }
            }
        }
        (status_panel(&summary))
        (steps_list(&steps))
        (notices_section(&p.notices))
        @if let Some(e) = evaluation {
            p.regime-note { (e.regime_name) "の制度で判定しています" @if e.regime_kind == josei_rules::regime::RegimeKind::NoPlan { "（計画の認定はなく、取組は評価期間の前3か月に行います）" } }
        }
        @if let Some(d) = &view.next_deadline {
            div.deadline role="status" { "次の期限　" (deadline_text(Some(d))) }
        }
        @if applicant && !todo.is_empty() {
            section.todo aria-labelledby="todo-title" {
                h2 #todo-title { "やること" }
                ol.todo-list {
                    @for t in &todo {
                        li { (t.text) " " a href=(place_href(id, &t.place, None)) { (match t.place { Place::Review(_) => "確認して進む", _ => provide_word(&t.place) }) } }
                    }
                }
            }
        }
        @if let Some(err) = &view.evaluation_error {
            p.notice { (err.for_people()) }
        }
        @if !actions.is_empty() {
            h2.no-print { "操作" }
            div.no-print.actions { @for a in actions.iter().copied() {
                @if applicant && progress::needs_review(a, view.procedure) {
                    p { a class=(if a == "withdraw" { "button secondary" } else { "button" }) href=(format!("/cases/{id}/review/{a}")) { (action_label_for(a, evaluation)) } }
                } @else {
                    form id=(format!("action-{a}")) method="post" action=(format!("/cases/{id}/action")) {
                        input type="hidden" name="csrf" value=(u.csrf);
                        input type="hidden" name="version" value=(case.version);
                        input type="hidden" name="action" value=(a);
                        button type="submit" class=(if a == "withdraw" { "secondary" } else { "" }) { (action_label_for(a, evaluation)) }
                    }
                }
            } }
        }
        @if let Some(e) = evaluation {
            @if e.regime_kind == josei_rules::regime::RegimeKind::NoPlan {
                h2 { "評価期間の前3か月の取組" }
                (no_plan_measures(e, doc))
            } @else {
                h2 { "計画の取組" }
                (measures_table(e))
            }
            @if let (Some(t), Some(p)) = (&e.telework, e.schedule.evaluation_period) {
                h2 { "評価期間のテレワーク実績" }
                @let per_worker = per_worker_days(doc, p.from(), p.to());
                @let today = view.today;
                @let left = (josei_rules::civil::day_number(p.to()) - josei_rules::civil::day_number(today)).max(0);
                p { (jd(p.from())) " 〜 " (jd(p.to())) "　残り " strong { (left) "日" } }
                ul {
                    li class=(if t.all_workers_once { "ok" } else { "pending" }) { "① 対象労働者全員が1回以上：" (t.workers_with_telework) " / " (t.target_workers) "人" @if t.all_workers_once { "（達成）" } }
                    li class=(if t.weekly_average_met { "ok" } else { "pending" }) { "② 週平均1回以上：延べ " (t.telework_days) "日" @if t.weekly_average_met { "（達成）" } }
                }
                (telework_chart(&per_worker, t.period_days, ((t.target_workers as u64 * t.period_days as u64).div_ceil(7) / u64::from(t.target_workers.max(1))) as u32))
            }
            h2 { "要件の確認" }
            (checks_table(e.equipment_subsidy.name, &e.equipment_subsidy.checks))
            (checks_table(e.goal_subsidy.name, &e.goal_subsidy.checks))
            h2 { "日程" }
            (schedule_table(e))
            (assumptions_block(e))
        }
        @if applicant && case.status.records_editable() {
            p.no-print { a.button href=(format!("/cases/{id}/plan")) { "計画の内容（事業主・対象労働者・経費）を編集する" } }
            h2.no-print #import { "CSV の取り込み" }
            form.no-print method="post" action=(format!("/cases/{id}/import")) enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(u.csrf);
                label for="kind" { "種類" }
                select #kind name="kind" {
                    option value="telework" selected[import_kind == "telework"] { "テレワーク実績（社員番号か氏名・日付・勤務場所）" }
                    option value="roster" selected[import_kind == "roster"] { "労働者名簿（社員番号か氏名・入社日・離職日・離職理由）" }
                }
                label for="file" { "CSV ファイル" span.hint { "　Excel で保存した Shift_JIS でも UTF-8 でも読めます" } }
                input #file type="file" name="file" accept=".csv,text/csv" required;
                button type="submit" { "内容を確認する" }
            }
            p.no-print #import-records { a href=(format!("/cases/{id}/import")) { "取り込んだ記録を見る・削除する、CSV のテンプレート" } }
        } @else if applicant {
            p.no-print { a href=(format!("/cases/{id}/import")) { "取り込んだ記録を見る" } }
        }
        p.no-print #work-rules-link { a href=(format!("/cases/{id}/work-rules")) { "モデル就業規則でテレワーク勤務規程の案を作る・制定日を記録する" } }
        h2 #documents { "書類" }
        @if !checklist.is_empty() {
            h3 { (filing_title) }
            (checklist_table(id, &filing_title, &checklist, applicant))
        }
        h3 { "添付した書類" }
        @if p.attachments.is_empty() { p { "添付した書類はまだありません。" } } @else {
            ul.attachments { @for a in &p.attachments {
                li {
                    a href=(format!("/api/v1/cases/{id}/attachments/{}", a.id)) { (a.filename) }
                    "（" (a.kind.label_ja()) @if let Some(x) = a.expense_ref.as_deref().and_then(|x| expense_label(doc, x)) { "：" (x) } "、" (size_text(a.size_bytes)) "）"
                    @if applicant && documents::removable(&p.filed, a).is_ok() {
                        " " a.no-print href=(format!("/cases/{id}/documents/{}", a.id)) { "差し替え・削除" }
                    }
                }
            } }
        }
        @if applicant && case.status.is_open() {
            form.no-print method="post" action=(format!("/cases/{id}/attachments")) enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(u.csrf);
                @if let Some(x) = attach_expense { input type="hidden" name="expense" value=(x); }
                label for="attachment-kind" { "書類の種類" }
                select #attachment-kind name="kind" {
                    @for k in AttachmentKind::ALL { option value=(k.as_str()) selected[*k == attach_kind] { (k.label_ja()) } }
                }
                @if let Some(x) = attach_expense.and_then(|x| expense_label(doc, x)) { p.hint { "経費「" (x) "」の書類として添付します" } }
                label for="attachment-file" { "ファイル" span.hint { "　PDF・PNG・JPEG・Excel（.xlsx）、10 MiB まで" } }
                @let attach_error = error.filter(|e| e.action == "file");
                @if let Some(e) = attach_error { p.field-error #attachment-file-error { (e.message) } }
                input #attachment-file type="file" name="file" accept=".pdf,.png,.jpg,.jpeg,.xlsx" required aria-invalid=[attach_error.map(|_| "true")] aria-describedby=[attach_error.map(|_| "attachment-file-error")];
                button type="submit" { "添付する" }
            }
        }
        (super::messages::thread_section(case, &messages, u, &super::messages::ThreadForm { posted: q.contains_key("posted"), ..Default::default() }, "case"))
        p.no-print { "印刷用（A4）：" a href=(format!("/cases/{id}/print?doc=plan")) { "計画の概要" } "　" a href=(format!("/cases/{id}/print?doc=equipment")) { (first) "の申請" } "　" a href=(format!("/cases/{id}/print?doc=goal")) { "目標達成助成の申請" } }
    };
    (status, page(&case.title, Some(u), body)).into_response()
}

/// An expense item of the document by its id, named for people.
pub(crate) fn expense_label(doc: &Value, id: &str) -> Option<String> {
    let x = doc["expenses"]
        .as_array()?
        .iter()
        .find(|e| e["id"].as_str() == Some(id))?;
    let what = x["description"]
        .as_str()
        .filter(|d| !d.trim().is_empty())
        .map(str::to_string)
        .or_else(|| {
            x["category"]
                .as_str()
                .and_then(ExpenseCategory::parse)
                .map(|c| c.label_ja().to_string())
        })?;
    Some(match x["amount_yen"].as_u64() {
        Some(n) => format!("{what} {}", yen(n)),
        None => what,
    })
}

/// A file size for people: 「12 KB」「1.5 MB」.
pub(crate) fn size_text(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b < 1024.0 {
        format!("{bytes}バイト")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.0} KB", b / 1024.0)
    } else {
        format!("{:.1} MB", b / 1024.0 / 1024.0)
    }
}

/// How the chart names a target worker: the 氏名, else the 社員番号, else an
/// id the employer gave; never an id the plan editor made up.
fn chart_name(worker: &Value, position: usize) -> String {
    let text = |k: &str| worker[k].as_str().map(str::trim).filter(|s| !s.is_empty());
    match (text("name"), text("employee_number")) {
        (Some(n), _) => n.to_string(),
        (None, Some(no)) => format!("社員番号 {no}"),
        (None, None) => match josei_app::printout::worker_name(worker) {
            n if n.starts_with('（') => format!("{}人目", position + 1),
            n => n,
        },
    }
}

/// Telework days per target worker (home or satellite office, once a day) in
/// the period, each worker named as people know them ([`chart_name`]).
pub(crate) fn per_worker_days(doc: &Value, from: Date, to: Date) -> Vec<(String, u32)> {
    let workers: Vec<&Value> = doc["plan"]["target_workers"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let mut days: HashMap<&str, std::collections::HashSet<String>> = HashMap::new();
    if let Some(tw) = doc["telework"].as_array() {
        for t in tw {
            let (Some(w), Some(d), Some(p)) = (
                t["worker"].as_str(),
                t["date"].as_str(),
                t["place"].as_str(),
            ) else {
                continue;
            };
            let Ok(date) = parse_iso_date(d) else {
                continue;
            };
            if (p == "home" || p == "satellite_office") && from <= date && date <= to {
                days.entry(w).or_default().insert(d.to_string());
            }
        }
    }
    workers
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let id = w["id"].as_str()?;
            Some((chart_name(w, i), days.get(id).map_or(0, |s| s.len() as u32)))
        })
        .collect()
}

pub(crate) fn checks_table(title: &str, checks: &[josei_rules::evaluate::Check]) -> Markup {
    html! {
        div.table-wrap { table {
            caption { (title) }
            thead { tr { th scope="col" { "結果" } th scope="col" { "内容" } th scope="col" { "根拠" } } }
            tbody { @for c in checks {
                @let (mark, class, label) = check_mark(c.status);
                tr { td class={ (class) " nowrap" } { (mark) " " (label) } td { (c.message) } td.citation { (c.citation) } }
            } }
        } }
    }
}

pub(crate) fn schedule_table(e: &Evaluation) -> Markup {
    // Labels follow the regime's procedure.
    let s = &e.schedule;
    let row = |label: &str, v: Option<String>| html! { tr { th scope="row" { (label) } td { (v.unwrap_or_else(|| "未定".into())) } } };
    let period = |p: Option<josei_rules::civil::Period>| {
        p.map(|p| format!("{} 〜 {}", jd(p.from()), jd(p.to())))
    };
    let deadline = |d: Option<josei_rules::schedule::Deadline>| {
        d.map(|d| {
            if d.nominal == d.effective {
                jd(d.effective)
            } else {
                format!(
                    "{}（本来の期限 {} が閉庁日のため延長）",
                    jd(d.effective),
                    jd(d.nominal)
                )
            }
        })
    };
    let first = e.equipment_subsidy.name;
    let no_plan = e.regime_kind == josei_rules::regime::RegimeKind::NoPlan;
    html! {
        div.table-wrap { table aria-label="日程" { tbody {
            @if no_plan {
                (row("制度導入前の離職率の期間", period(s.plan_turnover_period)))
                (row("取組（職場風土作り・就業規則・研修など）の期間", period(s.measures_window)))
            } @else {
                (row("計画時離職率の期間", period(s.plan_turnover_period)))
                (row("評価期間を設定できる期間", period(s.evaluation_window)))
            }
            (row(&format!("評価期間（{first}）"), period(s.evaluation_period)))
            (row(&format!("{first}の申請期限"), deadline(s.equipment_application_deadline)))
            (row(if no_plan { "制度導入後の離職率の期間" } else { "評価時離職率の期間" }, period(s.evaluation_turnover_period)))
            (row("評価期間（目標達成助成）", period(s.goal_evaluation_period)))
            (row("目標達成助成の申請期限", deadline(s.goal_application_deadline)))
        } } }
    }
}

/// 「未確認の前提」: the values graded interpretation or unverified that the
/// evaluation used, named for people.
pub(crate) fn assumptions_block(e: &Evaluation) -> Markup {
    html! {
        @if !e.assumptions.is_empty() {
            details.assumptions {
                summary { "未確認の前提（" (e.assumptions.len()) "件）" }
                p.hint { "公式の支給要領でまだ確認できていない値や、このサービスでの解釈を含みます。最寄りの労働局で確認してください。" }
                ul { @for a in &e.assumptions { li { (a.label) "（" (a.grade.label_ja()) "）" } } }
            }
        }
    }
}

/// The no-plan regimes' measures: 職場風土作り, the measures in the window, the work rules.
pub(crate) fn no_plan_measures(e: &Evaluation, doc: &Value) -> Markup {
    let check = |id: CheckId| {
        e.equipment_subsidy
            .checks
            .iter()
            .find(|c| c.id == id)
            .map(|c| (c.status, c.message.clone()))
    };
    let measures: Vec<(String, String)> = doc["measures"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    (
                        m["kind"]
                            .as_str()
                            .and_then(MeasureKind::parse)
                            .map_or("—", |k| k.label_ja())
                            .to_string(),
                        jdate(m["on"].as_str().unwrap_or("")),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    html! {
        div.table-wrap { table {
            caption { "取組の状況" }
            thead { tr { th scope="col" { "取組" } th scope="col" { "状況" } } }
            tbody {
                @for (label, id) in [("職場風土作り（必須）", CheckId::WorkplaceClimate), ("研修・コンサルティングなど（1つ以上）", CheckId::Measures), ("就業規則等の整備", CheckId::WorkRulesEstablished)] {
                    @if let Some((status, message)) = check(id) {
                        @let (mark, class, word) = check_mark(status);
                        tr { td { (label) } td class=(class) { span aria-label=(word) { (mark) } " " (message) } }
                    }
                }
            }
        } }
        @if !measures.is_empty() {
            ul { @for (kind, on) in &measures { li { (kind) "（" (on) "）" } } }
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct ActionForm {
    #[serde(default)]
    csrf: String,
    version: i64,
    action: String,
    reason: Option<String>,
    /// The review page's confirmation (withdrawal; a filing the engine predicts 不支給).
    confirm: Option<String>,
}

pub(crate) async fn case_action(
    State(state): State<AppState>,
    Path(id): Path<CaseId>,
    CsrfForm(u, f): CsrfForm<ActionForm>,
) -> Response {
    let refused = |message: String, field: Option<String>| ActionError {
        action: f.action.clone(),
        message,
        field,
    };
    // The bureau's decisions are made on their own page, with a date and
    // a confirmation: a form posted here goes there, nothing recorded.
    if super::decide::is_decision(&f.action) {
        return Redirect::to(&format!("/cases/{id}/decide/{}", urlencode(&f.action)))
            .into_response();
    }
    // Filings and withdrawal are sent from their review page, with the
    // confirmations it asks for.
    let reviewed = matches!(u.user.role, Role::Employer | Role::Agent);
    if reviewed {
        if let Some(r) =
            super::review::confirmation_missing(&state, &u, id, &f.action, f.confirm.as_deref())
                .await
        {
            return r;
        }
    }
    let body = ActionBody {
        version: f.version,
        reason: f.reason.clone(),
        ..ActionBody::default()
    };
    match perform_action(&state, &u.user, id, &f.action, body).await {
        Ok(_) => {
            Redirect::to(&format!("/cases/{id}?done={}", urlencode(&f.action))).into_response()
        }
        Err(e) if e.kind == josei_app::Kind::NotFound || e.kind == josei_app::Kind::Forbidden => {
            api_error_page(e, &u)
        }
        Err(e) => {
            let status = crate::error::status(&e);
            let on_review =
                reviewed && super::review::has_review_page(&state, &u, id, &f.action).await;
            if on_review {
                return super::review::render_review(
                    &state,
                    &u,
                    id,
                    &f.action,
                    Some(e.message),
                    status,
                )
                .await;
            }
            let flash = Flash {
                done: None,
                error: Some(refused(e.message, e.field)),
            };
            render_case(&state, &u, id, flash, &HashMap::new(), status).await
        }
    }
}

/// The plan's measures (テレワークを可能とする取組, seed 002 ⑤), derived from
/// the expenses and the work-rules check: what is planned, for how much.
pub(crate) fn measures_table(e: &Evaluation) -> Markup {
    use ExpenseCategory as C;
    let measures = super::PLAN_MEASURES.map(|(name, cats)| {
        // The work rules are the one measure every plan must include.
        let name = if cats == [C::WorkRules] {
            format!("{name}（必須）")
        } else {
            name.to_string()
        };
        (name, cats)
    });
    let work_rules = e
        .equipment_subsidy
        .checks
        .iter()
        .find(|c| c.id == CheckId::WorkRulesEstablished);
    html! {
        div.table-wrap { table {
            caption { "テレワークを可能とする取組" }
            thead { tr { th scope="col" { "取組" } th.num scope="col" { "経費" } th.num scope="col" { "対象になる額" } th scope="col" { "状況" } } }
            tbody { @for (i, (name, cats)) in measures.iter().enumerate() {
                @let rows: Vec<_> = e.expenses.categories.iter().filter(|c| cats.contains(&c.category)).collect();
                @let claimed: u64 = rows.iter().map(|c| c.claimed_yen.0).sum();
                @let eligible: u64 = rows.iter().map(|c| c.eligible_yen.0).sum();
                tr {
                    td { (name) }
                    td.num { (yen(claimed)) }
                    td.num { (yen(eligible)) }
                    td {
                        @if i == 0 {
                            @if let Some(c) = work_rules { @let (mark, class, _) = check_mark(c.status); span class=(class) { (mark) " " } (c.message) }
                        } @else if claimed > 0 { "予定あり" } @else { "予定なし" }
                    }
                }
            } }
        } }
    }
}

has_csrf!(NewCaseForm, ActionForm);
