//! 輝くテレワーク賞 (テレワーク推進企業等厚生労働大臣表彰): the public page of
//! the award, its current round and its winners (`/award`); employers' and
//! 社会保険労務士's applications (`/award/apply`, `/award/apply/{org}`,
//! `/award/applications/{id}`), the figures prefilled from their cases; the
//! judges' screening (`/award/screening`, `/award/screening/{id}`: first the
//! declaration of conflict of interest, then a score per criterion and a
//! comment); the administrators' rounds, overview of scores, results and
//! publication (`/award/admin`, `/award/admin/rounds/{id}`). Every use case
//! and its access rule is in `josei_app::award`.

use super::*;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use josei_app::award::{self as aw, ApplicationInput, CRITERIA};
use josei_store::{
    AwardApplication, AwardApplicationId, AwardApplicationStatus, AwardResult, AwardReview,
    AwardRound, AwardRoundId, AwardRoundStatus, OrganizationId, Role,
};
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/award", get(public_page))
        .route("/award/apply", get(apply_list))
        .route("/award/apply/{org}", get(apply_page).post(apply_submit))
        .route("/award/applications/{id}", get(application_page))
        .route("/award/screening", get(screening_list))
        .route(
            "/award/screening/{id}",
            get(screening_page).post(screening_score),
        )
        .route("/award/screening/{id}/declare", post(screening_declare))
        .route("/award/admin", get(admin_page).post(admin_create_round))
        .route("/award/admin/rounds/{id}", get(admin_round))
        .route(
            "/award/admin/rounds/{id}/screening",
            post(admin_start_screening),
        )
        .route("/award/admin/rounds/{id}/publish", post(admin_publish))
        .route("/award/admin/applications/{id}/result", post(admin_decide))
}

type Answer = Result<Response, Response>;
type FormMap = HashMap<String, String>;

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

fn see(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn not_found(u: &WebUser) -> Response {
    api_error_page(josei_app::Error::not_found(), u)
}

/// 令和8年度 for 2026 (平成 before 2019).
pub(crate) fn nendo(fiscal_year: i64) -> String {
    match fiscal_year {
        2019 => "令和元年度".to_string(),
        y if y > 2019 => format!("令和{}年度", y - 2018),
        y => format!("平成{}年度", y - 1988),
    }
}

/// A text the applicant wrote, a paragraph per line.
fn paragraphs(text: &str) -> Markup {
    html! {
        @for line in text.lines().filter(|l| !l.trim().is_empty()) { p { (line) } }
        @if text.trim().is_empty() { p.hint { "（未記入）" } }
    }
}

fn people(n: Option<i64>, unit: &str) -> String {
    n.map_or_else(|| "未記入".to_string(), |n| format!("{n}{unit}"))
}

fn rate_text(a_workers: Option<i64>, a_tele: Option<i64>) -> String {
    aw::telework_rate(a_workers, a_tele).map_or_else(|| "—".to_string(), |r| format!("{r:.1}%"))
}

/// The summary of a refused form, linking to the field at fault.
fn error_summary(e: &josei_app::Error) -> Markup {
    let field = e.field.clone().unwrap_or_default();
    html! {
        div.errors.error-summary #error-summary role="alert" tabindex="-1" aria-labelledby="error-summary-title" {
            h2 #error-summary-title { "送信できませんでした" }
            p { "入力した内容は残っています。直してから、もう一度送信してください。" }
            ul { li {
                @if field.is_empty() { (sentence(&e.message)) }
                @else { a href=(format!("#{field}")) { (sentence(&e.message)) } }
            } }
        }
    }
}

/// The message of `e` under the field `name`, when `e` names it.
fn field_error<'a>(e: Option<&'a josei_app::Error>, name: &str) -> Option<&'a str> {
    e.filter(|e| e.field.as_deref() == Some(name))
        .map(|e| e.message.as_str())
}

/// The round in one line: 令和8年度（募集期間 … 〜 …、募集中）.
fn round_facts(r: &AwardRound) -> Markup {
    html! {
        dl.award-facts {
            div { dt { "回" } dd { (nendo(r.fiscal_year)) } }
            div { dt { "募集期間" } dd { span.nowrap { (jd(r.opens_on)) } "から" br; span.nowrap { (jd(r.closes_on)) } "まで" } }
            div { dt { "状況" } dd { (aw::round_status_label(r.status)) } }
            @if let Some(p) = r.published_on { div { dt { "結果の公表日" } dd { (jd(p)) } } }
        }
    }
}

/// An application as its readers see it: figures and the three texts.
fn application_body(a: &AwardApplication) -> Markup {
    html! {
        section.award-application aria-labelledby=(format!("app-{}-figures", a.id)) {
            h2 id=(format!("app-{}-figures", a.id)) { "テレワークの実施状況" }
            dl.award-figures {
                div { dt { "常時雇用する労働者の数" } dd { (people(a.workers, "人")) } }
                div { dt { "テレワークを実施した労働者の数" } dd { (people(a.teleworkers, "人")) } }
                div { dt { "テレワーク実施率" } dd { (rate_text(a.workers, a.teleworkers)) } }
                div { dt { "テレワークの延べ実施日数" } dd { (people(a.telework_days, "日")) } }
            }
            h2 { "導入の経緯" }
            (paragraphs(&a.background))
            h2 { "取組内容" }
            (paragraphs(&a.practices))
            h2 { "成果" }
            (paragraphs(&a.outcomes))
        }
    }
}

// ---------------------------------------------------------------------------
// The public page.

async fn public_page(State(state): State<AppState>, MaybeUser(u): MaybeUser) -> Response {
    let loaded = async {
        let current = aw::current_round(&state).await?;
        let winners = aw::winners(&state).await?;
        let today = josei_app::today(&state).await?;
        Ok::<_, josei_app::Error>((current, winners, today))
    }
    .await;
    let (current, winners, today) = match loaded {
        Ok(x) => x,
        Err(e) => {
            return error_page(
                crate::error::status(&e),
                "表示できません",
                &e.message,
                u.as_ref(),
            )
        }
    };
    let role = u.as_ref().map(|u| u.user.role);
    let body = html! {
        h1 { "輝くテレワーク賞" }
        p.lead { "テレワーク推進企業等厚生労働大臣表彰（通称「輝くテレワーク賞」）は、テレワークの活用によって労働者のワーク・ライフ・バランスの実現を図るとともに、他の企業・団体の模範となる取組を行っている企業・団体を、厚生労働大臣が表彰するものです。" }
        @match role {
            Some(Role::Judge) => { p { a.button href="/award/screening" { "審査する応募の一覧へ" } } }
            Some(Role::Admin) => { p { a.button href="/award/admin" { "募集・審査・結果の管理へ" } } }
            _ => {}
        }
        section #award-kinds aria-labelledby="kinds-title" {
            h2 #kinds-title { "表彰の種類" }
            dl.award-kinds {
                dt { (aw::result_label(AwardResult::Excellence)) }
                dd { "テレワークの活用によるワーク・ライフ・バランスの実現の取組が、総合的に特に優れていると認められる企業・団体" }
                dt { (aw::result_label(AwardResult::Encouragement)) }
                dd { "テレワークの活用が難しいとされてきた業界・職種での効果的な取組や、中小企業・団体の効果的な取組など、優れた取組を行っている企業・団体" }
            }
        }
        section #award-round aria-labelledby="round-title" {
            h2 #round-title { "募集" }
            @match &current {
                None => { p { "次の募集はまだ決まっていません。決まりしだい、このページでお知らせします。" } }
                Some(r) => {
                    (round_facts(r))
                    @if aw::accepting(r, today) {
                        p { "応募は、事業主の方、または事業主から委任を受けた社会保険労務士の方がログインして行います。テレワークの実施状況の数値は、この窓口でお使いの助成金の申請の内容から入力できます。" }
                        @match role {
                            Some(Role::Employer | Role::Agent) => { p { a.button href="/award/apply" { "応募する" } } }
                            None => { p { a.button href="/login?next=/award/apply" { "ログインして応募する" } } }
                            _ => {}
                        }
                    } @else if r.status == AwardRoundStatus::Accepting && today < r.opens_on {
                        p { "募集開始前です。募集期間になると応募できます。" }
                    } @else if r.status == AwardRoundStatus::Accepting {
                        p { "募集期間は終了しました。" }
                    } @else if r.status == AwardRoundStatus::Screening {
                        p { "応募の受付は終了し、審査を行っています。結果はこのページで公表します。" }
                    }
                }
            }
        }
        section #award-criteria aria-labelledby="criteria-title" {
            h2 #criteria-title { "審査の観点" }
            p { "審査員が、次の観点ごとに5段階で評価します。" }
            ol.award-criteria {
                @for c in CRITERIA { li { strong { (c.label) } "：" (c.question) } }
            }
        }
        section #award-winners aria-labelledby="winners-title" {
            h2 #winners-title { "受賞企業・団体とその取組" }
            @if winners.is_empty() {
                p { "公表された受賞企業・団体はまだありません。" }
            }
            @for (year, list) in &winners {
                h3 { (nendo(*year)) }
                @for a in list {
                    article.award-winner {
                        h4 { (a.organization_name) }
                        @if let Some(r) = a.result { p.award-category { (aw::result_label(r)) } }
                        p.award-rate { "テレワーク実施率：" (rate_text(a.workers, a.teleworkers)) }
                        h5 { "取組内容" }
                        (paragraphs(&a.practices))
                        h5 { "成果" }
                        (paragraphs(&a.outcomes))
                    }
                }
            }
        }
    };
    page("輝くテレワーク賞", u.as_ref(), body).into_response()
}

// ---------------------------------------------------------------------------
// Applicants.

async fn apply_list(State(state): State<AppState>, u: WebUser) -> Answer {
    let orgs = aw::applicant_orgs(&state, &u.user)
        .await
        .map_err(|e| api_error_page(e, &u))?;
    let mine = aw::my_applications(&state, &u.user)
        .await
        .map_err(|e| api_error_page(e, &u))?;
    let current = aw::current_round(&state)
        .await
        .map_err(|e| api_error_page(e, &u))?;
    let today = josei_app::today(&state)
        .await
        .map_err(|e| api_error_page(e, &u))?;
    let body = html! {
        p.no-print { a href="/award" { "← 輝くテレワーク賞" } }
        h1 { "輝くテレワーク賞への応募" }
        @match &current {
            None => { p { "現在、募集している回はありません。" } }
            Some(r) => {
                (round_facts(r))
                @if !aw::accepting(r, today) { p.notice { "募集期間外のため、応募の保存や提出はできません。" } }
                @if orgs.is_empty() {
                    p { "応募できる事業主がありません。社会保険労務士の方は、事業主から委任を受けると応募できます。" }
                } @else {
                    div.table-wrap { table.list.to-cards.award-orgs {
                        caption { (nendo(r.fiscal_year)) "の応募（事業主ごと）" }
                        thead { tr { th scope="col" { "事業主" } th scope="col" { "応募の状況" } th scope="col" { "操作" } } }
                        tbody {
                            @for o in &orgs {
                                @let a = mine.iter().find(|a| a.organization_id == o.id && a.round_id == r.id);
                                tr {
                                    td data-label="事業主" { (o.name) }
                                    td data-label="応募の状況" { (a.map_or("未応募", aw::application_status_label)) }
                                    td data-label="操作" {
                                        a href=(format!("/award/apply/{}", o.id)) {
                                            @if a.is_some_and(|a| a.status == AwardApplicationStatus::Submitted) { "提出した内容を見る" }
                                            @else if a.is_some() { "下書きの続きを入力する" }
                                            @else { "応募を入力する" }
                                        }
                                    }
                                }
                            }
                        }
                    } }
                }
            }
        }
        h2 { "これまでの応募" }
        @if mine.is_empty() { p { "応募はまだありません。" } }
        @else {
            div.table-wrap { table.list.to-cards.award-mine {
                caption { "応募の一覧（" (mine.len()) "件）" }
                thead { tr {
                    th scope="col" { "回" } th scope="col" { "事業主" } th scope="col" { "状況" }
                    th scope="col" { "結果" } th scope="col" { "最終更新" }
                } }
                tbody { @for a in &mine { tr {
                    td data-label="回" { a href=(format!("/award/applications/{}", a.id)) { (nendo(a.fiscal_year)) } }
                    td data-label="事業主" { (a.organization_name) }
                    td data-label="状況" { (aw::application_status_label(a)) }
                    td data-label="結果" {
                        @match (a.round_status, a.result) {
                            (AwardRoundStatus::Published, Some(r)) => { (aw::result_label(r)) }
                            (AwardRoundStatus::Published, None) => { "—" }
                            _ => { "公表前" }
                        }
                    }
                    td data-label="最終更新" { (jtime(&a.updated_at)) }
                } } }
            } }
        }
    };
    Ok(page("輝くテレワーク賞への応募", Some(&u), body).into_response())
}

fn parse_org(s: &str) -> Option<OrganizationId> {
    s.parse::<i64>().ok().map(OrganizationId::from)
}

fn input_of(f: &FormMap) -> ApplicationInput {
    let g = |k: &str| f.get(k).cloned().unwrap_or_default();
    ApplicationInput {
        background: g("background"),
        practices: g("practices"),
        outcomes: g("outcomes"),
        workers: g("workers"),
        teleworkers: g("teleworkers"),
        telework_days: g("telework_days"),
    }
}

async fn apply_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(org): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Answer {
    let org = parse_org(&org).ok_or_else(|| not_found(&u))?;
    render_apply(&state, &u, org, None, None, q.done.as_deref()).await
}

async fn apply_submit(
    State(state): State<AppState>,
    Path(org): Path<String>,
    CsrfForm(u, f): CsrfForm<FormMap>,
) -> Answer {
    let org = parse_org(&org).ok_or_else(|| not_found(&u))?;
    let submit = f.get("intent").map(String::as_str) == Some("submit");
    let input = input_of(&f);
    match aw::save_application(&state, &u.user, org, &input, submit).await {
        Ok(_) => Ok(see(&format!(
            "/award/apply/{org}?done={}",
            if submit { "submitted" } else { "saved" }
        ))),
        Err(e) if e.kind == josei_app::Kind::Invalid => {
            render_apply(&state, &u, org, Some(&input), Some(&e), None).await
        }
        Err(e) => Err(api_error_page(e, &u)),
    }
}

/// A labelled number input with where its prefilled figure came from.
fn figure_input(
    name: &str,
    label: &str,
    unit: &str,
    value: &str,
    source: Option<&aw::Figure>,
    err: Option<&josei_app::Error>,
) -> Markup {
    let bad = field_error(err, name);
    let hint_id = format!("{name}-source");
    html! {
        div.award-figure {
            label for=(name) { (label) }
            p.hint id=(hint_id) {
                @match source {
                    Some(f) => { "出典：" (f.source) "（" (f.value) (unit) "）" }
                    None => { "申請の記録にない数値です。直接入力してください。" }
                }
            }
            @if let Some(m) = bad { p.field-error id=(format!("{name}-error")) { (sentence(m)) } }
            div.with-unit {
                input id=(name) name=(name) type="text" inputmode="numeric" value=(value) maxlength="12"
                    aria-invalid=[bad.map(|_| "true")]
                    aria-describedby=(match bad { Some(_) => format!("{hint_id} {name}-error"), None => hint_id.clone() });
                span.unit { (unit) }
            }
        }
    }
}

fn text_area(
    name: &str,
    label: &str,
    hint: &str,
    value: &str,
    err: Option<&josei_app::Error>,
) -> Markup {
    let bad = field_error(err, name);
    html! {
        label for=(name) { (label) span.hint { "　" (hint) } }
        @if let Some(m) = bad { p.field-error id=(format!("{name}-error")) { (sentence(m)) } }
        textarea id=(name) name=(name) rows="6" maxlength="2000"
            aria-invalid=[bad.map(|_| "true")]
            aria-describedby=[bad.map(|_| format!("{name}-error"))] { (value) }
    }
}

async fn render_apply(
    state: &AppState,
    u: &WebUser,
    org: OrganizationId,
    posted: Option<&ApplicationInput>,
    err: Option<&josei_app::Error>,
    done: Option<&str>,
) -> Answer {
    let form = aw::apply_form(state, &u.user, org)
        .await
        .map_err(|e| api_error_page(e, u))?;
    let submitted = form
        .application
        .as_ref()
        .filter(|a| a.status == AwardApplicationStatus::Submitted);
    let n = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let p = &form.prefill;
    let values = match (posted, &form.application) {
        (Some(i), _) => i.clone(),
        (None, Some(a)) => ApplicationInput {
            background: a.background.clone(),
            practices: a.practices.clone(),
            outcomes: a.outcomes.clone(),
            workers: n(a.workers),
            teleworkers: n(a.teleworkers),
            telework_days: n(a.telework_days),
        },
        (None, None) => ApplicationInput {
            workers: n(p.workers.as_ref().map(|f| f.value)),
            teleworkers: n(p.teleworkers.as_ref().map(|f| f.value)),
            telework_days: n(p.telework_days.as_ref().map(|f| f.value)),
            ..Default::default()
        },
    };
    let title = format!("応募の入力：{}", form.org.name);
    let body = html! {
        p.no-print { a href="/award/apply" { "← 応募の一覧" } }
        h1 { "輝くテレワーク賞への応募" }
        p.lead { (form.org.name) "　" (nendo(form.round.fiscal_year)) }
        @match done {
            Some("saved") => { div.success role="status" { p { "下書きを保存しました。提出するまで何度でも直せます。" } } }
            Some("submitted") => { div.success role="status" { p { "応募を提出しました。審査の結果はテレワーク賞のページで公表します。" } } }
            _ => {}
        }
        @if let Some(e) = err { (error_summary(e)) }
        @if let Some(a) = submitted {
            p.status-line { "状況：" strong { (aw::application_status_label(a)) } }
            p { "提出した応募は変更できません。" }
            (application_body(a))
        } @else if !form.open {
            p.notice { "募集期間外のため、応募の保存や提出はできません。" }
            @if let Some(a) = &form.application { (application_body(a)) }
        } @else {
            form.award-apply method="post" action=(format!("/award/apply/{}", form.org.id)) novalidate {
                input type="hidden" name="csrf" value=(u.csrf);
                fieldset {
                    legend { "テレワークの実施状況" }
                    @match &p.case_title {
                        Some(t) => { p.hint { "数値は、この窓口の申請「" (t) "」の内容から入れています。実際の状況に合わせて直してください。" } }
                        None => { p.hint { "この事業主の申請の記録がないため、数値は入力してください。" } }
                    }
                    (figure_input("workers", "常時雇用する労働者の数", "人", &values.workers, p.workers.as_ref(), err))
                    (figure_input("teleworkers", "テレワークを実施した労働者の数", "人", &values.teleworkers, p.teleworkers.as_ref(), err))
                    (figure_input("telework_days", "テレワークの延べ実施日数", "日", &values.telework_days, p.telework_days.as_ref(), err))
                    p.hint { "テレワーク実施率（実施した労働者の数 ÷ 常時雇用する労働者の数）は、保存すると計算されます。" }
                }
                fieldset {
                    legend { "取組の内容" }
                    p.hint { "受賞した場合は、事業主の名称、テレワーク実施率、取組内容と成果を、テレワーク賞のページで公表します。導入の経緯は審査にだけ使います。" }
                    (text_area("background", "導入の経緯", "テレワークを導入した理由やきっかけ（2,000文字以内）", &values.background, err))
                    (text_area("practices", "取組内容", "制度、労務管理、情報通信機器、社内の周知など（2,000文字以内）", &values.practices, err))
                    (text_area("outcomes", "成果", "ワーク・ライフ・バランス、生産性、人材確保などの成果（2,000文字以内）", &values.outcomes, err))
                }
                p.hint { "提出した後は変更できません。まず下書きとして保存し、内容を確かめてから提出できます。" }
                div.award-buttons {
                    button.secondary type="submit" name="intent" value="save" { "下書きを保存する" }
                    button type="submit" name="intent" value="submit" { "応募を提出する" }
                }
            }
            @if let Some(a) = &form.application {
                p.hint { "テレワーク実施率（保存した数値から）：" (rate_text(a.workers, a.teleworkers)) }
            }
        }
    };
    let status = if err.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page(&title, Some(u), body)).into_response())
}

fn parse_app(s: &str) -> Option<AwardApplicationId> {
    s.parse::<i64>().ok().map(AwardApplicationId::from)
}

async fn application_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<String>,
) -> Answer {
    let id = parse_app(&id).ok_or_else(|| not_found(&u))?;
    if u.user.role == Role::Judge {
        return Ok(see(&format!("/award/screening/{id}")));
    }
    let a = aw::application(&state, &u.user, id)
        .await
        .map_err(|e| api_error_page(e, &u))?;
    let back = match u.user.role {
        Role::Admin => {
            html! { a href=(format!("/award/admin/rounds/{}", a.round_id)) { "← 審査の状況" } }
        }
        _ => html! { a href="/award/apply" { "← 応募の一覧" } },
    };
    let body = html! {
        p.no-print { (back) }
        h1 { "応募の内容：" (a.organization_name) }
        p.lead { (nendo(a.fiscal_year)) "　状況：" (aw::application_status_label(&a)) }
        @if a.status == AwardApplicationStatus::Draft && a.round_status == AwardRoundStatus::Accepting && u.user.role != Role::Admin {
            p { a href=(format!("/award/apply/{}", a.organization_id)) { "下書きの続きを入力する" } }
        }
        @if let (AwardRoundStatus::Published, Some(r)) = (a.round_status, a.result) {
            p.award-category { "審査結果：" (aw::result_label(r)) }
        }
        (application_body(&a))
    };
    Ok(page("応募の内容", Some(&u), body).into_response())
}

// ---------------------------------------------------------------------------
// Judges.

fn review_state(r: Option<&AwardReview>) -> &'static str {
    match r {
        None => "未着手（利害関係の申告前）",
        Some(r) if r.conflict => "利害関係あり（採点しない）",
        Some(r) if r.scored_at.is_some() => "採点済み",
        Some(_) => "未採点",
    }
}

async fn screening_list(State(state): State<AppState>, u: WebUser) -> Answer {
    let list = aw::screening_list(&state, &u.user)
        .await
        .map_err(|e| api_error_page(e, &u))?;
    let done = list
        .iter()
        .filter(|(_, r)| {
            r.as_ref()
                .is_some_and(|r| r.conflict || r.scored_at.is_some())
        })
        .count();
    let body = html! {
        h1 { "テレワーク賞の審査" }
        p { "審査中の回に提出された応募です。応募ごとに、まず利害関係の有無を申告してください。利害関係がない応募だけを採点します。ほかの審査員の評点は表示されません。" }
        @if list.is_empty() {
            p { "審査する応募は、いまはありません。" }
        } @else {
            p { "全" (list.len()) "件のうち、" (done) "件の審査を終えています。" }
            div.table-wrap { table.list.to-cards.award-screening {
                caption { "審査する応募（" (list.len()) "件）" }
                thead { tr { th scope="col" { "事業主" } th scope="col" { "回" } th scope="col" { "あなたの審査" } } }
                tbody { @for (a, r) in &list { tr {
                    td data-label="事業主" { a href=(format!("/award/screening/{}", a.id)) { (a.organization_name) } }
                    td data-label="回" { (nendo(a.fiscal_year)) }
                    td data-label="あなたの審査" { (review_state(r.as_ref())) }
                } } }
            } }
        }
    };
    Ok(page("テレワーク賞の審査", Some(&u), body).into_response())
}

async fn screening_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Answer {
    let id = parse_app(&id).ok_or_else(|| not_found(&u))?;
    render_screening(&state, &u, id, None, None, q.done.as_deref()).await
}

async fn screening_declare(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, f): CsrfForm<FormMap>,
) -> Answer {
    let id = parse_app(&id).ok_or_else(|| not_found(&u))?;
    let conflict = match f.get("conflict").map(String::as_str) {
        Some("declared") => true,
        Some("none") => false,
        _ => {
            let e = josei_app::Error::invalid("conflict-none", "利害関係の有無を選んでください");
            return render_screening(&state, &u, id, None, Some(&e), None).await;
        }
    };
    aw::declare(&state, &u.user, id, conflict)
        .await
        .map_err(|e| api_error_page(e, &u))?;
    Ok(see(&format!(
        "/award/screening/{id}?done={}",
        if conflict { "conflict" } else { "declared" }
    )))
}

async fn screening_score(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, f): CsrfForm<FormMap>,
) -> Answer {
    let id = parse_app(&id).ok_or_else(|| not_found(&u))?;
    let scores: BTreeMap<String, String> = CRITERIA
        .iter()
        .filter_map(|c| {
            f.get(&format!("score_{}", c.key.as_str()))
                .map(|v| (c.key.as_str().to_string(), v.clone()))
        })
        .collect();
    let comment = f.get("comment").cloned().unwrap_or_default();
    match aw::score(&state, &u.user, id, &scores, &comment).await {
        Ok(()) => Ok(see(&format!("/award/screening/{id}?done=scored"))),
        Err(e) if e.kind == josei_app::Kind::Invalid => {
            render_screening(&state, &u, id, Some(&f), Some(&e), None).await
        }
        Err(e) => Err(api_error_page(e, &u)),
    }
}

/// The words under each score.
const SCORE_WORDS: [&str; 5] = [
    "不十分",
    "やや不十分",
    "標準的",
    "優れている",
    "特に優れている",
];

async fn render_screening(
    state: &AppState,
    u: &WebUser,
    id: AwardApplicationId,
    posted: Option<&FormMap>,
    err: Option<&josei_app::Error>,
    done: Option<&str>,
) -> Answer {
    let (a, review) = aw::screening(state, &u.user, id)
        .await
        .map_err(|e| api_error_page(e, u))?;
    let chosen = |key: &str| -> Option<i64> {
        match posted {
            Some(f) => f.get(&format!("score_{key}")).and_then(|v| v.parse().ok()),
            None => review
                .as_ref()
                .and_then(|r| r.scores.iter().find(|(c, _)| c.as_str() == key))
                .map(|(_, s)| *s),
        }
    };
    let comment = match posted {
        Some(f) => f.get("comment").cloned().unwrap_or_default(),
        None => review
            .as_ref()
            .map(|r| r.comment.clone())
            .unwrap_or_default(),
    };
    let scoring = review.as_ref().is_some_and(|r| !r.conflict);
    let review_section = html! {
        section #review aria-labelledby="review-title" {
            h2 #review-title { "あなたの審査" }
            @match &review {
                None => {
                    form.award-declare method="post" action=(format!("/award/screening/{}/declare", a.id)) {
                        input type="hidden" name="csrf" value=(u.csrf);
                        fieldset {
                            legend { "利害関係の申告" }
                            p.hint { "この応募の企業・団体と、役員・顧問・取引・親族などの関係がある場合は「利害関係がある」を選んでください。申告は記録され、後から変えられません。" }
                            @if let Some(m) = field_error(err, "conflict-none") { p.field-error { (sentence(m)) } }
                            div.choices {
                                label for="conflict-none" { input #conflict-none type="radio" name="conflict" value="none"; " 利害関係はない（採点する）" }
                                label for="conflict-declared" { input #conflict-declared type="radio" name="conflict" value="declared"; " 利害関係がある（採点しない）" }
                            }
                        }
                        button type="submit" { "申告する" }
                    }
                }
                Some(r) if r.conflict => {
                    p { "利害関係ありと申告しました。この応募は採点しません。ほかの審査員の評点も表示されません。" }
                }
                Some(r) => {
                    @if let Some(at) = &r.scored_at { p.award-saved { "保存済み（" (jtime(at)) "）" } }
                    form.award-score method="post" action=(format!("/award/screening/{}", a.id)) novalidate {
                        input type="hidden" name="csrf" value=(u.csrf);
                        p.score-scale aria-hidden="true" {
                            "評点の目安："
                            @for (i, w) in SCORE_WORDS.iter().enumerate() {
                                @if i > 0 { "、" }
                                span.nowrap { (i + 1) " " (w) }
                            }
                        }
                        @for c in CRITERIA {
                            @let key = c.key.as_str();
                            @let name = format!("score_{key}");
                            @let bad = field_error(err, &name);
                            fieldset.award-criterion id=(name) aria-describedby=(format!("{name}-q")) {
                                legend { (c.label) }
                                p.hint id=(format!("{name}-q")) { (c.question) }
                                @if let Some(m) = bad { p.field-error { (sentence(m)) } }
                                div.score-choices {
                                    @for n in aw::SCORE_RANGE {
                                        @let rid = format!("{name}-{n}");
                                        label for=(rid) {
                                            input id=(rid) type="radio" name=(name) value=(n) checked[chosen(key) == Some(n)];
                                            span.score-n { (n) }
                                            span.score-word { (SCORE_WORDS[(n - 1) as usize]) }
                                        }
                                    }
                                }
                            }
                        }
                        (text_area("comment", "講評", "評価の理由や気づいた点（2,000文字以内。応募者には公開されません）", &comment, err))
                        button type="submit" { "評点と講評を保存する" }
                    }
                }
            }
        }
    };
    let body = html! {
        p.no-print { a href="/award/screening" { "← 審査する応募の一覧" } }
        h1 { "審査：" (a.organization_name) }
        p.lead { (nendo(a.fiscal_year)) "　あなたの審査：" (review_state(review.as_ref())) }
        @match done {
            Some("declared") => { div.success role="status" { p { "利害関係はないと申告しました。続けて採点してください。" } } }
            Some("conflict") => { div.success role="status" { p { "利害関係ありと申告しました。この応募は採点しません。" } } }
            Some("scored") => { div.success role="status" { p { "評点と講評を保存しました。審査を終えるまでは直せます。" } } }
            _ => {}
        }
        @if let Some(e) = err { (error_summary(e)) }
        @if scoring {
            p.no-print { a href="#review" { "採点の欄へ移動する" } }
            (application_body(&a))
            (review_section)
        } @else {
            (review_section)
            (application_body(&a))
        }
    };
    let status = if err.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page("テレワーク賞の審査", Some(u), body)).into_response())
}

// ---------------------------------------------------------------------------
// Administrators.

/// Lets an administrator through; anyone else gets the 403 page.
#[allow(clippy::result_large_err)] // the Err is the page answered at once, never kept
fn admin_only(u: &WebUser) -> Result<(), Response> {
    if u.user.role == Role::Admin {
        Ok(())
    } else {
        Err(error_page(
            StatusCode::FORBIDDEN,
            "権限がありません",
            "このページは管理者だけが使えます。",
            Some(u),
        ))
    }
}

async fn admin_page(
    State(state): State<AppState>,
    u: WebUser,
    Query(q): Query<DoneQuery>,
) -> Answer {
    admin_only(&u)?;
    render_admin(&state, &u, None, None, q.done.as_deref()).await
}

async fn admin_create_round(
    State(state): State<AppState>,
    CsrfForm(u, f): CsrfForm<FormMap>,
) -> Answer {
    admin_only(&u)?;
    let g = |k: &str| f.get(k).map_or("", String::as_str);
    match aw::create_round(
        &state,
        &u.user,
        g("fiscal_year"),
        g("opens_on"),
        g("closes_on"),
    )
    .await
    {
        Ok(id) => Ok(see(&format!("/award/admin/rounds/{id}?done=created"))),
        Err(e) if e.kind == josei_app::Kind::Invalid => {
            render_admin(&state, &u, Some(&f), Some(&e), None).await
        }
        Err(e) => Err(api_error_page(e, &u)),
    }
}

async fn render_admin(
    state: &AppState,
    u: &WebUser,
    posted: Option<&FormMap>,
    err: Option<&josei_app::Error>,
    done: Option<&str>,
) -> Answer {
    let rounds = aw::rounds(state).await.map_err(|e| api_error_page(e, u))?;
    let v = |k: &str| posted.and_then(|f| f.get(k)).cloned().unwrap_or_default();
    let field = |name: &str, label: &str, hint: &str, kind: &str| {
        let bad = field_error(err, name);
        html! {
            label for=(name) { (label) span.hint { "　" (hint) } }
            @if let Some(m) = bad { p.field-error id=(format!("{name}-error")) { (sentence(m)) } }
            input id=(name) name=(name) type=(kind) value=(v(name)) maxlength="10"
                aria-invalid=[bad.map(|_| "true")]
                aria-describedby=[bad.map(|_| format!("{name}-error"))];
        }
    };
    let body = html! {
        p.no-print { a href="/award" { "← 輝くテレワーク賞" } }
        h1 { "輝くテレワーク賞の管理" }
        @if done == Some("published") { div.success role="status" { p { "結果を公表しました。" } } }
        @if let Some(e) = err { (error_summary(e)) }
        @if rounds.is_empty() { p { "登録された回はまだありません。" } }
        @else {
            div.table-wrap { table.list.to-cards.award-rounds {
                caption { "回の一覧" }
                thead { tr { th scope="col" { "回" } th scope="col" { "募集期間" } th scope="col" { "状況" } } }
                tbody { @for r in &rounds { tr {
                    td data-label="回" { a href=(format!("/award/admin/rounds/{}", r.id)) { (nendo(r.fiscal_year)) } }
                    td data-label="募集期間" { (jd(r.opens_on)) " 〜 " (jd(r.closes_on)) }
                    td data-label="状況" { (aw::round_status_label(r.status)) }
                } } }
            } }
        }
        h2 { "回を登録する" }
        form.award-round method="post" action="/award/admin" novalidate {
            input type="hidden" name="csrf" value=(u.csrf);
            (field("fiscal_year", "年度", "西暦で入力（例：2026 は令和8年度）", "text"))
            (field("opens_on", "募集開始日", "", "date"))
            (field("closes_on", "募集締切日", "", "date"))
            button type="submit" { "登録して募集を始める" }
        }
    };
    let status = if err.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page("輝くテレワーク賞の管理", Some(u), body)).into_response())
}

/// A result in a few characters, for the overview's select.
fn result_short(r: AwardResult) -> &'static str {
    match r {
        AwardResult::Excellence => "優秀賞",
        AwardResult::Encouragement => "特別奨励賞",
        AwardResult::NotSelected => "選外",
    }
}

fn parse_round(s: &str) -> Option<AwardRoundId> {
    s.parse::<i64>().ok().map(AwardRoundId::from)
}

fn average(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"))
}

async fn admin_round(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Answer {
    admin_only(&u)?;
    let id = parse_round(&id).ok_or_else(|| not_found(&u))?;
    let (r, rows) = aw::overview(&state, &u.user, id)
        .await
        .map_err(|e| api_error_page(e, &u))?;
    let done = match q.done.as_deref() {
        Some("created") => Some("回を登録し、募集を始めました。"),
        Some("screening") => Some("募集を締め切り、審査を始めました。審査員に応募が表示されます。"),
        Some("decided") => Some("結果を保存しました。"),
        _ => None,
    };
    let body = html! {
        p.no-print { a href="/award/admin" { "← 輝くテレワーク賞の管理" } }
        h1 { (nendo(r.fiscal_year)) "の審査状況" }
        @if let Some(m) = done { div.success role="status" { p { (m) } } }
        (round_facts(&r))
        @match r.status {
            AwardRoundStatus::Accepting => {
                form method="post" action=(format!("/award/admin/rounds/{}/screening", r.id)) {
                    input type="hidden" name="csrf" value=(u.csrf);
                    p.hint { "締め切ると、応募者は保存も提出もできなくなり、提出済みの応募が審査員に表示されます。" }
                    button type="submit" { "募集を締め切り、審査を始める" }
                }
            }
            AwardRoundStatus::Screening => {
                form method="post" action=(format!("/award/admin/rounds/{}/publish", r.id)) {
                    input type="hidden" name="csrf" value=(u.csrf);
                    p.hint { "すべての応募の結果を決めてから公表してください。公表すると、受賞企業・団体と取組がテレワーク賞のページに載ります。" }
                    button type="submit" { "結果を公表する" }
                }
            }
            AwardRoundStatus::Published => {}
        }
        @if rows.is_empty() {
            p { "提出された応募はまだありません。" }
        } @else {
            p.hint { "各観点の評点は、利害関係がなく採点した審査員の平均（5点満点）です。合計は5観点の平均の和（25点満点）、「採点者」は採点した審査員の数、「利害関係あり」は利害関係を申告した審査員の数です。" }
            div.table-wrap { table.list.to-cards.award-overview {
                caption { "提出された応募と評点（" (rows.len()) "件）" }
                thead { tr {
                    th scope="col" { "事業主" }
                    @for c in CRITERIA { th.num scope="col" { (c.label) } }
                    th.num scope="col" { "合計" }
                    th.num scope="col" { "採点者" }
                    th.num scope="col" { "利害関係あり" }
                    th scope="col" { "結果" }
                } }
                tbody { @for row in &rows {
                    @let a = &row.application;
                    tr {
                        td data-label="事業主" { a href=(format!("/award/applications/{}", a.id)) { (a.organization_name) } }
                        @for (c, avg) in CRITERIA.iter().zip(&row.averages) {
                            td.num data-label=(c.label) { (average(*avg)) }
                        }
                        td.num data-label="合計" { strong { (average(row.total)) } }
                        td.num data-label="採点者" { (row.scored) "人" }
                        td.num data-label="利害関係あり" { (row.conflicts) "人" }
                        td data-label="結果" {
                            @if r.status == AwardRoundStatus::Screening {
                                form.inline.award-result method="post" action=(format!("/award/admin/applications/{}/result", a.id)) {
                                    input type="hidden" name="csrf" value=(u.csrf);
                                    label.visually-hidden for=(format!("result-{}", a.id)) { (a.organization_name) "の結果" }
                                    select id=(format!("result-{}", a.id)) name="result" {
                                        option value="" selected[a.result.is_none()] { "未決定" }
                                        @for x in AwardResult::ALL {
                                            option value=(x.as_str()) selected[a.result == Some(*x)] { (result_short(*x)) }
                                        }
                                    }
                                    button.secondary type="submit" { "決定" }
                                }
                            } @else {
                                (a.result.map_or("未決定", aw::result_label))
                            }
                        }
                    }
                } }
            } }
            h2 { "審査員ごとの評点と講評" }
            @for row in &rows {
                details.award-reviews {
                    summary { (row.application.organization_name) "（" (row.reviews.len()) "人）" }
                    @if row.reviews.is_empty() { p { "まだ審査した審査員はいません。" } }
                    ul { @for (name, rv) in &row.reviews { li {
                        strong { (name) } "："
                        @if rv.conflict { "利害関係あり（採点しない）" }
                        @else if rv.scores.is_empty() { "未採点" }
                        @else {
                            @for (i, (c, s)) in rv.scores.iter().enumerate() {
                                @if i > 0 { "、" }
                                (aw::criterion_label(*c)) " " (s)
                            }
                            @if !rv.comment.is_empty() { p.award-comment { (rv.comment) } }
                        }
                    } } }
                }
            }
        }
    };
    Ok(page(
        &format!("{}の審査状況", nendo(r.fiscal_year)),
        Some(&u),
        body,
    )
    .into_response())
}

async fn admin_start_screening(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, _f): CsrfForm<FormMap>,
) -> Answer {
    admin_only(&u)?;
    let id = parse_round(&id).ok_or_else(|| not_found(&u))?;
    aw::start_screening(&state, &u.user, id)
        .await
        .map_err(|e| api_error_page(e, &u))?;
    Ok(see(&format!("/award/admin/rounds/{id}?done=screening")))
}

async fn admin_publish(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, _f): CsrfForm<FormMap>,
) -> Answer {
    admin_only(&u)?;
    let id = parse_round(&id).ok_or_else(|| not_found(&u))?;
    aw::publish(&state, &u.user, id)
        .await
        .map_err(|e| api_error_page(e, &u))?;
    Ok(see("/award/admin?done=published"))
}

async fn admin_decide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, f): CsrfForm<FormMap>,
) -> Answer {
    admin_only(&u)?;
    let id = parse_app(&id).ok_or_else(|| not_found(&u))?;
    let result = match f.get("result").map(String::as_str).unwrap_or("") {
        "" => None,
        s => Some(AwardResult::parse(s).ok_or_else(|| {
            api_error_page(
                josei_app::Error::invalid("result", "結果は一覧から選んでください"),
                &u,
            )
        })?),
    };
    let a = aw::decide(&state, &u.user, id, result)
        .await
        .map_err(|e| api_error_page(e, &u))?;
    Ok(see(&format!(
        "/award/admin/rounds/{}?done=decided",
        a.round_id
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_years_in_japanese_eras() {
        assert_eq!(nendo(2026), "令和8年度");
        assert_eq!(nendo(2019), "令和元年度");
        assert_eq!(nendo(2018), "平成30年度");
    }
}
