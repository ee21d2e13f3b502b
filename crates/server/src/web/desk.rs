//! テレワーク相談センター: the consultation desk (`/desk`: consultations at
//! the counter, by phone or by e-mail, their follow-up, and in one click a
//! diagnosis or an application for the employer) and consulting by
//! テレワークマネージャー (`/consulting`: requests, assignment, visits; the
//! outreach list of industries where telework lags). Every rule is in
//! `josei_app::desk`; these pages read forms and shape answers.

use super::*;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use josei_app::desk::{self as d, ConsultationFields, VisitFields};
use josei_store::bureaus::prefecture_name;
use josei_store::{
    Channel, Consultation, ConsultationId, ConsultingRequestId, ConsultingStatus, Referral, Role,
    Topic, VisitMode,
};
use maud::{html, Markup};
use serde::Deserialize;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/desk", get(desk_list).post(desk_create))
        .route("/desk/new", get(desk_new))
        .route("/desk/{id}", get(desk_page).post(desk_update))
        .route("/desk/{id}/follow-up", post(desk_follow_up))
        .route("/desk/{id}/case", post(desk_open_case))
        .route("/desk/{id}/organization", post(desk_register_org))
        .route("/consulting", get(consulting_list))
        .route(
            "/consulting/request",
            get(|| async { Redirect::to("/consulting") }).post(consulting_request),
        )
        .route("/consulting/outreach", get(outreach_page))
        .route("/consulting/outreach.csv", get(outreach_csv))
        .route("/consulting/{id}", get(consulting_page))
        .route("/consulting/{id}/assign", post(consulting_assign))
        .route("/consulting/{id}/visits", post(consulting_visit))
        .route("/consulting/{id}/complete", post(consulting_complete))
}

/// A page, or the page that ended the handler early.
type Answer = Result<Response, Response>;

/// A posted form as its pairs (checkboxes repeat a name).
#[derive(Deserialize, Default)]
#[serde(transparent)]
struct Pairs(Vec<(String, String)>);

impl HasCsrf for Pairs {
    fn csrf(&self) -> &str {
        self.get("csrf")
    }
}

impl Pairs {
    fn get(&self, k: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == k)
            .map_or("", |(_, v)| v.as_str())
    }

    fn all(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

#[allow(clippy::result_large_err)] // the Err is the page answered at once
fn staff_only(u: &WebUser) -> Result<(), Response> {
    if d::STAFF.contains(&u.user.role) {
        return Ok(());
    }
    Err(error_page(
        StatusCode::FORBIDDEN,
        "権限がありません",
        "このページはテレワーク相談センターの職員と管理者だけが使えます。",
        Some(u),
    ))
}

fn see(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn not_found(u: &WebUser) -> Response {
    api_error_page(josei_app::Error::not_found(), u)
}

fn field_label(field: &str) -> &'static str {
    match field {
        "received_on" => "受付日",
        "channel" => "受付の方法",
        "organization_id" => "事業主",
        "enquirer_name" => "相談者の名称",
        "enquirer_contact" => "連絡先",
        "prefecture" => "都道府県",
        "industry" => "業種",
        "topics" => "相談の内容の区分",
        "question" => "相談の内容",
        "answer" => "回答",
        "follow_up_on" => "フォローアップの予定日",
        "referral" => "紹介先",
        "note" => "フォローアップの内容",
        "name" => "事業主の名称",
        "regular_employees" => "常時雇用する労働者の数",
        "capital_yen" => "資本金",
        "request" => "相談したい内容",
        "preferred_mode" => "希望する方法",
        "manager" => "担当のテレワークマネージャー",
        "visited_on" => "実施日",
        "mode" => "実施の方法",
        "report" => "報告",
        "outcome" => "成果",
        _ => "入力",
    }
}

fn error_summary(title: &str, err: FieldError<'_>) -> Markup {
    html! {
        @if let Some((field, m)) = err {
            div.errors.error-summary #error-summary role="alert" tabindex="-1" aria-labelledby="error-summary-title" {
                h2 #error-summary-title { (title) }
                p { "入力した内容は残っています。直してから、もう一度送信してください。" }
                ul { li { a href=(format!("#{field}")) { (field_label(field)) "：" (sentence(m)) } } }
            }
        }
    }
}

fn bad<'a>(err: FieldError<'a>, name: &str) -> Option<&'a str> {
    err.filter(|(f, _)| *f == name).map(|(_, m)| m)
}

fn field_error(err: FieldError<'_>, name: &str) -> Markup {
    html! { @if let Some(m) = bad(err, name) { p.field-error id=(format!("{name}-error")) { (sentence(m)) } } }
}

fn text_input(
    kind: &str,
    name: &str,
    label: &str,
    hint: &str,
    value: &str,
    err: FieldError<'_>,
) -> Markup {
    let b = bad(err, name);
    html! {
        label for=(name) { (label) @if !hint.is_empty() { span.hint { "　" (hint) } } }
        (field_error(err, name))
        input id=(name) type=(kind) name=(name) value=(value)
            aria-invalid=[b.map(|_| "true")] aria-describedby=[b.map(|_| format!("{name}-error"))];
    }
}

fn textarea(
    name: &str,
    label: &str,
    hint: &str,
    value: &str,
    err: FieldError<'_>,
    rows: u32,
) -> Markup {
    let b = bad(err, name);
    html! {
        label for=(name) { (label) @if !hint.is_empty() { span.hint { "　" (hint) } } }
        (field_error(err, name))
        textarea id=(name) name=(name) rows=(rows)
            aria-invalid=[b.map(|_| "true")] aria-describedby=[b.map(|_| format!("{name}-error"))] { (value) }
    }
}

fn industry_options(blank: &str) -> Vec<(String, String)> {
    let mut o = vec![(String::new(), blank.to_string())];
    o.extend(josei_rules::model::Industry::ALL.iter().map(|i| {
        (
            i.as_str().to_string(),
            d::industry_label(i.as_str()).to_string(),
        )
    }));
    o
}

fn done_notice(m: Option<&str>) -> Markup {
    html! { @if let Some(m) = m { div.success role="status" { p { (m) } } } }
}

/// A refused form: its page again with the refusal's status.
fn refused(e: &josei_app::Error, title: &str, u: &WebUser, body: Markup) -> Response {
    (crate::error::status(e), page(title, Some(u), body)).into_response()
}

fn shown_on_form(e: &josei_app::Error) -> bool {
    e.kind == josei_app::Kind::Invalid
}

/// A record's history: when, who, what (the audit log's Japanese labels).
fn history_section(entries: &[d::HistoryEntry]) -> Markup {
    html! {
        @if !entries.is_empty() {
            section aria-labelledby="history-title" {
                h2 #history-title { "操作の記録" }
                div.table-wrap {
                    table.admin-list.history {
                        caption { "いつ・誰が・何をしたか（変更や削除はできません）" }
                        thead { tr { th scope="col" { "日時" } th scope="col" { "操作した人" } th scope="col" { "操作" } } }
                        tbody {
                            @for e in entries {
                                tr {
                                    td data-label="日時" { (jtime(&e.at)) }
                                    td data-label="操作した人" { (e.who.as_deref().unwrap_or("システム")) }
                                    td data-label="操作" { (super::audit::action_label(&e.action)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// /desk

#[derive(Deserialize, Default)]
struct DeskQuery {
    due: Option<String>,
    channel: Option<String>,
    topic: Option<String>,
    q: Option<String>,
    page: Option<String>,
}

fn topics_text(c: &Consultation) -> String {
    c.input
        .topics
        .iter()
        .map(|t| t.label())
        .collect::<Vec<_>>()
        .join("・")
}

async fn desk_list(
    State(state): State<AppState>,
    u: WebUser,
    Query(q): Query<DeskQuery>,
) -> Answer {
    staff_only(&u)?;
    let lq = d::ListQuery {
        due: q.due.as_deref() == Some("1"),
        channel: q.channel.clone().unwrap_or_default(),
        topic: q.topic.clone().unwrap_or_default(),
        text: q.q.clone().unwrap_or_default(),
        page: parse_page(q.page.as_deref()),
    };
    let list = d::consultations(&state, &u.user, &lq)
        .await
        .map_err(|e| api_error_page(e, &u))?;
    let mut query: Vec<String> = Vec::new();
    if lq.due {
        query.push("due=1".into());
    }
    for (k, v) in [
        ("channel", &lq.channel),
        ("topic", &lq.topic),
        ("q", &lq.text),
    ] {
        if !v.trim().is_empty() {
            query.push(format!("{k}={}", urlencode(v.trim())));
        }
    }
    let mut channels = vec![(String::new(), "すべて".to_string())];
    channels.extend(
        Channel::ALL
            .iter()
            .map(|c| (c.as_str().to_string(), c.label().to_string())),
    );
    let mut topics = vec![(String::new(), "すべて".to_string())];
    topics.extend(
        Topic::ALL
            .iter()
            .map(|t| (t.as_str().to_string(), t.label().to_string())),
    );
    Ok(page(
        "相談窓口",
        Some(&u),
        html! {
            div.desk {
                h1 { "相談窓口（テレワーク相談センター）" }
                p { "窓口・電話・電子メールで受けた相談を記録し、回答、フォローアップ、関係機関の紹介を管理します。" }
                p.actions {
                    a.button href="/desk/new" { "相談を記録する" }
                    " "
                    a.button.secondary href="/consulting" { "コンサルティングの依頼" }
                }
                form.filters method="get" action="/desk" role="search" aria-label="相談の絞り込み" {
                    div.check {
                        label { input type="checkbox" name="due" value="1" checked[lq.due]; " フォローアップの予定日が来たものだけ" }
                    }
                    div { (select("channel", "受付の方法", "", &channels, lq.channel.trim(), None)) }
                    div { (select("topic", "相談の内容の区分", "", &topics, lq.topic.trim(), None)) }
                    div {
                        label for="q" { "相談者の名称" }
                        input #q type="search" name="q" value=(lq.text);
                    }
                    button type="submit" { "絞り込む" }
                }
                @if list.consultations.is_empty() {
                    p { "条件に合う相談はありません。" }
                } @else {
                    div.table-wrap {
                        table.admin-list.desk-list {
                            caption { "相談の一覧（" (list.total) "件、受付日の新しい順）" }
                            thead { tr {
                                th scope="col" { "相談番号" }
                                th scope="col" { "受付日" }
                                th scope="col" { "方法" }
                                th scope="col" { "相談者" }
                                th scope="col" { "相談の内容の区分" }
                                th scope="col" { "フォローアップ" }
                                th scope="col" { "申請" }
                            } }
                            tbody {
                                @for c in &list.consultations {
                                    tr {
                                        td data-label="相談番号" { a href=(format!("/desk/{}", c.id)) { (c.id) } }
                                        td data-label="受付日" { (jd(c.input.received_on)) }
                                        td data-label="方法" { (c.input.channel.label()) }
                                        td data-label="相談者" { a href=(format!("/desk/{}", c.id)) { (c.who()) } }
                                        td data-label="相談の内容の区分" { (topics_text(c)) }
                                        td data-label="フォローアップ" {
                                            @match (c.input.follow_up_on, c.followed_up_on) {
                                                (_, Some(done)) => { "済み（" (jd(done)) "）" }
                                                (Some(due), None) => {
                                                    (jd(due))
                                                    @if c.follow_up_due(list.today) { " " strong.due { "予定日です" } }
                                                }
                                                (None, None) => { "—" }
                                            }
                                        }
                                        td data-label="申請" { @if let Some(id) = c.case_id { "申請番号" (id) } @else { "—" } }
                                    }
                                }
                            }
                        }
                    }
                    (pager("/desk", &query.join("&"), list.page, list.pages, list.total, "件"))
                }
            }
        },
    )
    .into_response())
}

fn fields_of(p: &Pairs) -> ConsultationFields {
    ConsultationFields {
        received_on: p.get("received_on").into(),
        channel: p.get("channel").into(),
        organization_id: p.get("organization_id").into(),
        enquirer_name: p.get("enquirer_name").into(),
        enquirer_contact: p.get("enquirer_contact").into(),
        prefecture: p.get("prefecture").into(),
        industry: p.get("industry").into(),
        special_zone: p.get("special_zone") == "1",
        topics: p.all("topics"),
        question: p.get("question").into(),
        answer: p.get("answer").into(),
        follow_up_on: p.get("follow_up_on").into(),
        referral: p.get("referral").into(),
    }
}

fn fields_from(c: &Consultation) -> ConsultationFields {
    let i = &c.input;
    ConsultationFields {
        received_on: i.received_on.to_string(),
        channel: i.channel.as_str().into(),
        organization_id: i.organization_id.map(|o| o.to_string()).unwrap_or_default(),
        enquirer_name: i.enquirer_name.clone().unwrap_or_default(),
        enquirer_contact: i.enquirer_contact.clone().unwrap_or_default(),
        prefecture: i.prefecture.map(|p| p.to_string()).unwrap_or_default(),
        industry: i.industry.clone().unwrap_or_default(),
        special_zone: i.special_zone,
        topics: i.topics.iter().map(|t| t.as_str().to_string()).collect(),
        question: i.question.clone(),
        answer: i.answer.clone(),
        follow_up_on: i.follow_up_on.map(|d| d.to_string()).unwrap_or_default(),
        referral: i
            .referral
            .map(|r| r.as_str().to_string())
            .unwrap_or_default(),
    }
}

/// The organisations a consultation may name (at most 1,000, by id).
async fn org_options(state: &AppState) -> Vec<(String, String)> {
    let mut o = vec![(
        String::new(),
        "登録のない相談者（下に名称を入力）".to_string(),
    )];
    if let Ok((orgs, _)) = state.db.orgs_page(None, 1_000, 0).await {
        o.extend(orgs.into_iter().map(|x| {
            let pref = prefecture_name(x.prefecture).unwrap_or("");
            (x.id.to_string(), format!("{}（{pref}）", x.name))
        }));
    }
    o
}

fn consultation_form(
    u: &WebUser,
    action: &str,
    f: &ConsultationFields,
    orgs: &[(String, String)],
    err: FieldError<'_>,
    submit: &str,
) -> Markup {
    let mut referrals = vec![(String::new(), "紹介していない".to_string())];
    referrals.extend(
        Referral::ALL
            .iter()
            .map(|r| (r.as_str().to_string(), r.label().to_string())),
    );
    html! {
        form.desk-form method="post" action=(action) novalidate {
            input type="hidden" name="csrf" value=(u.csrf);
            fieldset {
                legend { "受付" }
                (text_input("date", "received_on", "受付日", "", &f.received_on, err))
                fieldset.choices #channel {
                    legend { "受付の方法" }
                    (field_error(err, "channel"))
                    @for c in Channel::ALL {
                        label { input type="radio" name="channel" value=(c.as_str()) checked[f.channel == c.as_str()]; " " (c.label()) }
                    }
                }
            }
            fieldset {
                legend { "相談者" }
                (select("organization_id", "事業主", "登録済みの事業主から選びます", orgs, &f.organization_id, err))
                (text_input("text", "enquirer_name", "相談者（事業所）の名称", "登録のない相談者のとき。100文字まで", &f.enquirer_name, err))
                (text_input("text", "enquirer_contact", "連絡先", "電話番号や電子メールアドレス。任意", &f.enquirer_contact, err))
                (select("prefecture", "都道府県", "事業主を選んだときは空欄で構いません", &prefecture_options("選ばない"), &f.prefecture, err))
                (select("industry", "業種", "登録のない相談者のとき。任意", &industry_options("選ばない"), &f.industry, err))
                div.choices {
                    label { input type="checkbox" name="special_zone" value="1" checked[f.special_zone]; " 国家戦略特別区域内の事業所である" }
                }
            }
            fieldset {
                legend { "相談と回答" }
                fieldset.choices #topics {
                    legend { "相談の内容の区分（複数選べます）" }
                    (field_error(err, "topics"))
                    @for t in Topic::ALL {
                        label { input type="checkbox" name="topics" value=(t.as_str()) checked[f.topics.iter().any(|x| x == t.as_str())]; " " (t.label()) }
                    }
                }
                (textarea("question", "相談の内容", "4,000文字まで", &f.question, err, 5))
                (textarea("answer", "回答", "4,000文字まで。未回答なら空欄", &f.answer, err, 5))
                (select("referral", "紹介先", "連携する関係機関を紹介したとき", &referrals, &f.referral, err))
                (text_input("date", "follow_up_on", "フォローアップの予定日", "任意", &f.follow_up_on, err))
            }
            button type="submit" { (submit) }
        }
    }
}

fn desk_new_markup(
    u: &WebUser,
    f: &ConsultationFields,
    orgs: &[(String, String)],
    err: FieldError<'_>,
) -> Markup {
    html! {
        div.desk {
            p.no-print { a href="/desk" { "← 相談窓口" } }
            h1 { "相談を記録する" }
            (error_summary("相談を記録できませんでした", err))
            (consultation_form(u, "/desk", f, orgs, err, "記録する"))
        }
    }
}

async fn desk_new(State(state): State<AppState>, u: WebUser) -> Answer {
    staff_only(&u)?;
    let today = josei_app::today(&state)
        .await
        .map_err(|e| api_error_page(e, &u))?;
    let f = ConsultationFields {
        received_on: today.to_string(),
        channel: "phone".into(),
        ..ConsultationFields::default()
    };
    let orgs = org_options(&state).await;
    Ok(page(
        "相談を記録する",
        Some(&u),
        desk_new_markup(&u, &f, &orgs, None),
    )
    .into_response())
}

async fn desk_create(State(state): State<AppState>, CsrfForm(u, p): CsrfForm<Pairs>) -> Answer {
    staff_only(&u)?;
    let f = fields_of(&p);
    match d::create_consultation(&state, &u.user, &f).await {
        Ok(id) => Ok(see(&format!("/desk/{id}?done=created"))),
        Err(e) if shown_on_form(&e) => {
            let orgs = org_options(&state).await;
            let err = Some((e.field.as_deref().unwrap_or("question"), e.message.as_str()));
            Ok(refused(
                &e,
                "相談を記録する",
                &u,
                desk_new_markup(&u, &f, &orgs, err),
            ))
        }
        Err(e) => Err(api_error_page(e, &u)),
    }
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

fn desk_done(done: &str) -> Option<&'static str> {
    Some(match done {
        "created" => "相談を記録しました。",
        "saved" => "変更を保存しました。",
        "followed" => "フォローアップを記録しました。",
        "case" => "この事業主の申請（下書き）を作成しました。事業主と委任を受けた社会保険労務士が、申請の一覧で確認できます。",
        "organization" => "相談者を事業主として登録しました。この事業主の申請を作成できます。",
        _ => return None,
    })
}

/// Which form of the consultation's page failed, and how.
#[derive(Default)]
struct DeskState<'a> {
    done: Option<&'static str>,
    edit: Option<(&'a ConsultationFields, FieldError<'a>)>,
    follow: Option<(&'a str, FieldError<'a>)>,
    org: Option<(&'a Pairs, FieldError<'a>)>,
    conflict: Option<&'a str>,
}

/// The diagnosis, prefilled with what the consultation knows.
async fn diagnosis_link(state: &AppState, c: &Consultation) -> String {
    let mut q: Vec<String> = Vec::new();
    if let Some(p) = c.input.prefecture {
        q.push(format!("pref={p}"));
    }
    if let Some(org) = match c.input.organization_id {
        Some(id) => state.db.org(id).await.ok().flatten(),
        None => None,
    } {
        let e = &org.employer;
        if let Some(n) = e
            .get("regular_employees")
            .and_then(serde_json::Value::as_i64)
        {
            q.push(format!("employees={n}"));
        }
        if let Some(n) = e.get("capital_yen").and_then(serde_json::Value::as_i64) {
            q.push(format!("capital={n}"));
        }
        if let Some(s) = e.get("telework_status").and_then(serde_json::Value::as_str) {
            q.push(format!("telework_status={}", urlencode(s)));
        }
    }
    if q.is_empty() {
        "/diagnosis".into()
    } else {
        format!("/diagnosis?{}", q.join("&"))
    }
}

async fn render_desk(state: &AppState, u: &WebUser, c: &Consultation, s: DeskState<'_>) -> Markup {
    let orgs = org_options(state).await;
    let history = d::consultation_history(state, &u.user, c.id)
        .await
        .unwrap_or_default();
    let own = fields_from(c);
    let (edit, edit_err) = s.edit.unwrap_or((&own, None));
    let diagnosis = diagnosis_link(state, c).await;
    let i = &c.input;
    let empty = Pairs::default();
    let (org_form, org_err) = s.org.unwrap_or((&empty, None));
    let orgv = |k: &str, default: String| {
        if s.org.is_some() {
            org_form.get(k).to_string()
        } else {
            default
        }
    };
    html! {
        div.desk {
            p.no-print { a href="/desk" { "← 相談窓口" } }
            h1 { "相談番号" (c.id) "：" (c.who()) }
            (done_notice(s.done))
            @if let Some(m) = s.conflict { div.errors.error-summary role="alert" { p { (sentence(m)) } } }
            (error_summary("保存できませんでした", edit_err.or(s.follow.and_then(|f| f.1)).or(org_err)))
            dl.facts.desk-facts {
                div { dt { "受付日" } dd { (jd(i.received_on)) } }
                div { dt { "受付の方法" } dd { (i.channel.label()) } }
                div { dt { "相談者" } dd { (c.who()) @if i.organization_id.is_none() { "（事業主として未登録）" } } }
                @if let Some(contact) = &i.enquirer_contact { div { dt { "連絡先" } dd { (contact) } } }
                div { dt { "都道府県" } dd { (i.prefecture.and_then(prefecture_name).unwrap_or("—")) } }
                div { dt { "国家戦略特別区域" } dd { @if i.special_zone { "区域内" } @else { "区域外" } } }
                div { dt { "相談の内容の区分" } dd { (topics_text(c)) } }
                div { dt { "相談の内容" } dd.pre { (i.question) } }
                div { dt { "回答" } dd.pre { @if i.answer.is_empty() { "（未回答）" } @else { (i.answer) } } }
                div { dt { "紹介先" } dd { (i.referral.map_or("紹介していない", Referral::label)) } }
                div { dt { "フォローアップの予定日" } dd { (i.follow_up_on.map_or("—".to_string(), jd)) } }
                div { dt { "受け付けた職員" } dd { (c.advisor_name) } }
            }
            section.desk-next aria-labelledby="next-title" {
                h2 #next-title { "この事業主について次にすること" }
                p.actions {
                    a.button.secondary href=(diagnosis) { "この事業主の診断を始める" }
                }
                @match (i.organization_id, c.case_id) {
                    (_, Some(case)) => {
                        p { "この相談から申請番号" (case) "の申請（下書き）を作成しました。事業主と委任を受けた社会保険労務士が、申請の一覧で確認して入力します。"
                            @if u.user.role == Role::Admin { " " a href=(format!("/cases/{case}")) { "申請を開く" } } }
                    }
                    (Some(_), None) => {
                        form.inline method="post" action=(format!("/desk/{}/case", c.id)) {
                            input type="hidden" name="csrf" value=(u.csrf);
                            button type="submit" { "この事業主の申請を作成する" }
                        }
                        p.hint { "下書きの申請を作成します。申請は事業主のもので、事業主と委任を受けた社会保険労務士が入力して提出します。" }
                    }
                    (None, None) => {
                        p { "相談者が事業主として登録されていないため、申請はまだ作成できません。先に事業主として登録してください。" }
                        details.register open[s.org.is_some()] {
                            summary { "相談者を事業主として登録する" }
                            form method="post" action=(format!("/desk/{}/organization", c.id)) novalidate {
                                input type="hidden" name="csrf" value=(u.csrf);
                                (text_input("text", "name", "事業主の名称", "100文字まで", &orgv("name", i.enquirer_name.clone().unwrap_or_default()), org_err))
                                (select("prefecture", "所在地の都道府県", "管轄の労働局が決まります", &prefecture_options("選んでください"), &orgv("prefecture", i.prefecture.map(|p| p.to_string()).unwrap_or_default()), org_err))
                                (select("industry", "業種", "", &industry_options("選んでください"), &orgv("industry", i.industry.clone().unwrap_or_default()), org_err))
                                (text_input("text", "regular_employees", "常時雇用する労働者の数", "人数（0以上の整数）", &orgv("regular_employees", String::new()), org_err))
                                (text_input("text", "capital_yen", "資本金（円）", "分からなければ空欄", &orgv("capital_yen", String::new()), org_err))
                                div.choices {
                                    label { input type="checkbox" name="employment_insurance" value="1" checked[orgv("employment_insurance", "1".into()) == "1"]; " 雇用保険の適用事業主である" }
                                }
                                button type="submit" { "事業主として登録する" }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="follow-title" {
                h2 #follow-title { "フォローアップ" }
                @if let Some(done) = c.followed_up_on {
                    p { (jd(done)) "に記録しました。" }
                    p.pre { (c.follow_up_note) }
                } @else {
                    @if let Some(due) = i.follow_up_on { p { "予定日：" (jd(due)) } } @else { p { "予定日は決めていません。" } }
                    form method="post" action=(format!("/desk/{}/follow-up", c.id)) novalidate {
                        input type="hidden" name="csrf" value=(u.csrf);
                        (textarea("note", "フォローアップの内容", "2,000文字まで。今日の日付で記録します", s.follow.map_or("", |f| f.0), s.follow.and_then(|f| f.1), 3))
                        button type="submit" { "フォローアップを記録する" }
                    }
                }
            }
            section aria-labelledby="edit-title" {
                h2 #edit-title { "相談の記録を直す" }
                details open[s.edit.is_some()] {
                    summary { "記録を直す" }
                    (consultation_form(u, &format!("/desk/{}", c.id), edit, &orgs, edit_err, "変更を保存する"))
                }
            }
            (history_section(&history))
        }
    }
}

fn consultation_id(id: &str) -> Option<ConsultationId> {
    id.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(ConsultationId::from)
}

/// The consultation of the path; anyone but the centre's staff gets 404, as
/// for a record that does not exist.
async fn load_consultation(
    state: &AppState,
    u: &WebUser,
    id: &str,
) -> Result<Consultation, Response> {
    let id = consultation_id(id).ok_or_else(|| not_found(u))?;
    d::consultation(state, &u.user, id)
        .await
        .map_err(|e| api_error_page(e, u))
}

fn desk_title(c: &Consultation) -> String {
    format!("相談番号{}", c.id)
}

async fn desk_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Answer {
    let c = load_consultation(&state, &u, &id).await?;
    let s = DeskState {
        done: q.done.as_deref().and_then(desk_done),
        ..DeskState::default()
    };
    Ok(page(
        &desk_title(&c),
        Some(&u),
        render_desk(&state, &u, &c, s).await,
    )
    .into_response())
}

async fn desk_update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, p): CsrfForm<Pairs>,
) -> Answer {
    let c = load_consultation(&state, &u, &id).await?;
    let f = fields_of(&p);
    match d::update_consultation(&state, &u.user, c.id, &f).await {
        Ok(()) => Ok(see(&format!("/desk/{}?done=saved", c.id))),
        Err(e) if shown_on_form(&e) => {
            let err = Some((e.field.as_deref().unwrap_or("question"), e.message.as_str()));
            let s = DeskState {
                edit: Some((&f, err)),
                ..DeskState::default()
            };
            Ok(refused(
                &e,
                &desk_title(&c),
                &u,
                render_desk(&state, &u, &c, s).await,
            ))
        }
        Err(e) => Err(api_error_page(e, &u)),
    }
}

async fn desk_follow_up(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, p): CsrfForm<Pairs>,
) -> Answer {
    let c = load_consultation(&state, &u, &id).await?;
    match d::follow_up(&state, &u.user, c.id, p.get("note")).await {
        Ok(()) => Ok(see(&format!("/desk/{}?done=followed", c.id))),
        Err(e) if shown_on_form(&e) => {
            let s = DeskState {
                follow: Some((p.get("note"), Some(("note", e.message.as_str())))),
                ..DeskState::default()
            };
            Ok(refused(
                &e,
                &desk_title(&c),
                &u,
                render_desk(&state, &u, &c, s).await,
            ))
        }
        Err(e) => Err(api_error_page(e, &u)),
    }
}

async fn desk_open_case(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, _p): CsrfForm<Pairs>,
) -> Answer {
    let c = load_consultation(&state, &u, &id).await?;
    match d::open_case(&state, &u.user, c.id).await {
        Ok(_) => Ok(see(&format!("/desk/{}?done=case", c.id))),
        Err(e) if e.kind == josei_app::Kind::Conflict => {
            let s = DeskState {
                conflict: Some(&e.message),
                ..DeskState::default()
            };
            Ok(refused(
                &e,
                &desk_title(&c),
                &u,
                render_desk(&state, &u, &c, s).await,
            ))
        }
        Err(e) => Err(api_error_page(e, &u)),
    }
}

async fn desk_register_org(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, p): CsrfForm<Pairs>,
) -> Answer {
    let c = load_consultation(&state, &u, &id).await?;
    let result = async {
        let prefecture = match p.get("prefecture").trim() {
            "" => None,
            v => Some(v.parse::<i64>().map_err(|_| {
                josei_app::Error::invalid("prefecture", "所在地の都道府県を選んでください")
            })?),
        };
        let regular_employees = opt_number(p.get("regular_employees")).map_err(|_| {
            josei_app::Error::invalid(
                "regular_employees",
                "常時雇用する労働者の数を、0以上の整数で入力してください",
            )
        })?;
        let capital_yen = opt_number(p.get("capital_yen")).map_err(|_| {
            josei_app::Error::invalid("capital_yen", "資本金は数字（円）で入力してください")
        })?;
        let input = josei_app::organizations::NewOrgInput {
            name: p.get("name"),
            prefecture,
            industry: p.get("industry"),
            regular_employees,
            capital_yen,
            employment_insurance: p.get("employment_insurance") == "1",
        };
        d::register_organization(&state, &u.user, c.id, &input).await
    }
    .await;
    match result {
        Ok(_) => Ok(see(&format!("/desk/{}?done=organization", c.id))),
        Err(e) if shown_on_form(&e) => {
            let err = Some((e.field.as_deref().unwrap_or("name"), e.message.as_str()));
            let s = DeskState {
                org: Some((&p, err)),
                ..DeskState::default()
            };
            Ok(refused(
                &e,
                &desk_title(&c),
                &u,
                render_desk(&state, &u, &c, s).await,
            ))
        }
        Err(e) if e.kind == josei_app::Kind::Conflict => {
            let s = DeskState {
                conflict: Some(&e.message),
                ..DeskState::default()
            };
            Ok(refused(
                &e,
                &desk_title(&c),
                &u,
                render_desk(&state, &u, &c, s).await,
            ))
        }
        Err(e) => Err(api_error_page(e, &u)),
    }
}

// ---------------------------------------------------------------------------
// /consulting

#[derive(Deserialize, Default)]
struct ConsultingQuery {
    status: Option<String>,
    page: Option<String>,
    done: Option<String>,
}

fn mode_text(m: Option<VisitMode>) -> &'static str {
    m.map_or("どちらでもよい", VisitMode::label)
}

fn requests_table(list: &d::RequestPage, staff: bool) -> Markup {
    html! {
        div.table-wrap {
            table.admin-list.consulting-list {
                caption { "コンサルティングの依頼（" (list.total) "件、新しい順）" }
                thead { tr {
                    th scope="col" { "依頼番号" }
                    th scope="col" { "依頼日" }
                    th scope="col" { "事業主" }
                    th scope="col" { "希望する方法" }
                    th scope="col" { "担当のテレワークマネージャー" }
                    th scope="col" { "状態" }
                } }
                tbody {
                    @for r in &list.requests {
                        tr {
                            td data-label="依頼番号" { a href=(format!("/consulting/{}", r.id)) { (r.id) } }
                            td data-label="依頼日" { (jtime(&r.created_at)) }
                            td data-label="事業主" {
                                @if staff { a href=(format!("/consulting/{}", r.id)) { (r.organization_name) } } @else { (r.organization_name) }
                            }
                            td data-label="希望する方法" { (mode_text(r.preferred_mode)) }
                            td data-label="担当" { (r.manager_name.as_deref().unwrap_or("未定")) }
                            td data-label="状態" { (r.status.label()) }
                        }
                    }
                }
            }
        }
    }
}

fn request_form(
    u: &WebUser,
    orgs: &[josei_store::Organization],
    p: &Pairs,
    err: FieldError<'_>,
) -> Markup {
    let mut options = vec![(String::new(), "選んでください".to_string())];
    options.extend(orgs.iter().map(|o| (o.id.to_string(), o.name.clone())));
    let mode = p.get("preferred_mode");
    html! {
        form.request-form method="post" action="/consulting/request" novalidate {
            input type="hidden" name="csrf" value=(u.csrf);
            @if orgs.len() == 1 {
                input type="hidden" name="organization_id" value=(orgs[0].id);
                p { "事業主：" (orgs[0].name) }
            } @else {
                (select("organization_id", "依頼する事業主", "", &options, p.get("organization_id"), err))
            }
            (textarea("request", "相談したい内容", "2,000文字まで。例：テレワークの対象者の決め方、労務管理、セキュリティ対策", p.get("request"), err, 5))
            fieldset.choices #preferred_mode {
                legend { "希望する方法" }
                (field_error(err, "preferred_mode"))
                label { input type="radio" name="preferred_mode" value="either" checked[mode.is_empty() || mode == "either"]; " どちらでもよい" }
                @for m in VisitMode::ALL {
                    label { input type="radio" name="preferred_mode" value=(m.as_str()) checked[mode == m.as_str()]; " " (m.label()) }
                }
            }
            button type="submit" { "依頼する" }
        }
    }
}

async fn applicant_consulting(
    state: &AppState,
    u: &WebUser,
    q: &ConsultingQuery,
    form: Option<(&Pairs, FieldError<'_>)>,
) -> Result<Markup, Response> {
    let list = d::requests(state, &u.user, None, parse_page(q.page.as_deref()))
        .await
        .map_err(|e| api_error_page(e, u))?;
    let orgs = d::requesting_organizations(state, &u.user)
        .await
        .map_err(|e| api_error_page(e, u))?;
    let empty = Pairs::default();
    let (p, err) = form.unwrap_or((&empty, None));
    let done = match q.done.as_deref() {
        Some("requested") => Some("依頼を受け付けました。担当のテレワークマネージャーが決まりましたら、この一覧でお知らせします。"),
        _ => None,
    };
    Ok(html! {
        div.desk {
            h1 { "コンサルティング（テレワークマネージャー）" }
            (done_notice(done))
            p { "テレワーク相談センターのテレワークマネージャーが、テレワークの導入や運用について、オンラインまたは訪問で無料の相談に応じます。" }
            @if list.requests.is_empty() { p { "これまでの依頼はありません。" } } @else { (requests_table(&list, false)) }
            @if list.pages > 1 { (pager("/consulting", "", list.page, list.pages, list.total, "件")) }
            h2 { "新しく依頼する" }
            (error_summary("依頼できませんでした", err))
            @if orgs.is_empty() {
                p { "依頼できる事業主がありません。事業主から委任を受けると依頼できます。" }
            } @else {
                (request_form(u, &orgs, p, err))
            }
        }
    })
}

async fn consulting_list(
    State(state): State<AppState>,
    u: WebUser,
    Query(q): Query<ConsultingQuery>,
) -> Answer {
    match u.user.role {
        Role::Employer | Role::Agent => {
            let body = applicant_consulting(&state, &u, &q, None).await?;
            return Ok(page("コンサルティング", Some(&u), body).into_response());
        }
        Role::Advisor | Role::Admin => {}
        _ => {
            return Err(error_page(
                StatusCode::FORBIDDEN,
                "権限がありません",
                "このページは事業主・社会保険労務士とテレワーク相談センターの職員が使えます。",
                Some(&u),
            ))
        }
    }
    let status = q.status.as_deref().and_then(ConsultingStatus::parse);
    let list = d::requests(&state, &u.user, status, parse_page(q.page.as_deref()))
        .await
        .map_err(|e| api_error_page(e, &u))?;
    let query = status
        .map(|s| format!("status={}", s.as_str()))
        .unwrap_or_default();
    Ok(page(
        "コンサルティング",
        Some(&u),
        html! {
            div.desk {
                h1 { "コンサルティング（テレワークマネージャー）" }
                p { "事業主からの依頼に担当のテレワークマネージャーを決め、実施（オンライン・訪問）と報告を記録します。" }
                p.actions { a.button.secondary href="/consulting/outreach" { "テレワークの導入が遅れている業種（アウトリーチ）" } }
                nav.tabs aria-label="状態で絞り込む" {
                    a href="/consulting" aria-current=[status.is_none().then_some("page")] { "すべて" }
                    @for s in ConsultingStatus::ALL {
                        " "
                        a href=(format!("/consulting?status={}", s.as_str())) aria-current=[(status == Some(*s)).then_some("page")] { (s.label()) }
                    }
                }
                @if list.requests.is_empty() { p { "該当する依頼はありません。" } } @else {
                    (requests_table(&list, true))
                    (pager("/consulting", &query, list.page, list.pages, list.total, "件"))
                }
            }
        },
    )
    .into_response())
}

async fn consulting_request(
    State(state): State<AppState>,
    CsrfForm(u, p): CsrfForm<Pairs>,
) -> Answer {
    match d::create_request(
        &state,
        &u.user,
        p.get("organization_id"),
        p.get("request"),
        p.get("preferred_mode"),
    )
    .await
    {
        Ok(id) => Ok(see(&format!("/consulting/{id}?done=requested"))),
        Err(e) if shown_on_form(&e) => {
            let err = Some((e.field.as_deref().unwrap_or("request"), e.message.as_str()));
            let body =
                applicant_consulting(&state, &u, &ConsultingQuery::default(), Some((&p, err)))
                    .await?;
            Ok(refused(&e, "コンサルティング", &u, body))
        }
        Err(e) => Err(api_error_page(e, &u)),
    }
}

/// Which form of a request's page failed.
#[derive(Default)]
struct RequestState<'a> {
    done: Option<&'static str>,
    assign: FieldError<'a>,
    visit: Option<(&'a Pairs, FieldError<'a>)>,
    conflict: Option<&'a str>,
}

fn consulting_done(done: &str) -> Option<&'static str> {
    Some(match done {
        "requested" => "依頼を受け付けました。担当のテレワークマネージャーが決まると、このページに表示されます。",
        "assigned" => "担当のテレワークマネージャーを決めました。",
        "visited" => "実施の記録を保存しました。",
        "completed" => "この依頼を完了にしました。",
        _ => return None,
    })
}

async fn render_request(
    state: &AppState,
    u: &WebUser,
    id: ConsultingRequestId,
    s: RequestState<'_>,
) -> Result<Markup, Response> {
    let (r, visits) = d::request(state, &u.user, id)
        .await
        .map_err(|e| api_error_page(e, u))?;
    let staff = d::STAFF.contains(&u.user.role);
    let managers = if staff {
        d::managers(state, &u.user)
            .await
            .map_err(|e| api_error_page(e, u))?
    } else {
        Vec::new()
    };
    let history = if staff {
        d::request_history(state, &u.user, id)
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut manager_options = vec![(String::new(), "選んでください".to_string())];
    manager_options.extend(managers.iter().map(|(id, n)| (id.to_string(), n.clone())));
    let empty = Pairs::default();
    let (vp, verr) = s.visit.unwrap_or((&empty, None));
    let today = josei_app::today(state)
        .await
        .map(|t| t.to_string())
        .unwrap_or_default();
    let visited_on = if s.visit.is_some() {
        vp.get("visited_on").to_string()
    } else {
        today
    };
    Ok(html! {
        div.desk {
            p.no-print { a href="/consulting" { "← コンサルティング" } }
            h1 { "コンサルティングの依頼 " (r.id) "：" (r.organization_name) }
            (done_notice(s.done))
            @if let Some(m) = s.conflict { div.errors.error-summary role="alert" { p { (sentence(m)) } } }
            (error_summary("保存できませんでした", s.assign.or(verr)))
            dl.facts.desk-facts {
                div { dt { "状態" } dd { strong { (r.status.label()) } } }
                div { dt { "事業主" } dd { (r.organization_name) "（" (prefecture_name(r.prefecture).unwrap_or("—")) "）" } }
                div { dt { "依頼日" } dd { (jtime(&r.created_at)) } }
                div { dt { "依頼した人" } dd { (r.requested_by_name) } }
                div { dt { "相談したい内容" } dd.pre { (r.request) } }
                div { dt { "希望する方法" } dd { (mode_text(r.preferred_mode)) } }
                div { dt { "担当のテレワークマネージャー" } dd { (r.manager_name.as_deref().unwrap_or("未定")) } }
            }
            h2 { "実施の記録" }
            @if visits.is_empty() { p { "まだ実施していません。" } } @else {
                div.table-wrap {
                    table.admin-list {
                        caption { "実施の記録（" (visits.len()) "件）" }
                        thead { tr { th scope="col" { "実施日" } th scope="col" { "方法" } th scope="col" { "報告" } th scope="col" { "成果" } th scope="col" { "記録した人" } } }
                        tbody {
                            @for v in &visits {
                                tr {
                                    td data-label="実施日" { (jd(v.visited_on)) }
                                    td data-label="方法" { (v.mode.label()) }
                                    td.pre data-label="報告" { (v.report) }
                                    td.pre data-label="成果" { @if v.outcome.is_empty() { "—" } @else { (v.outcome) } }
                                    td data-label="記録した人" { (v.recorded_by_name) }
                                }
                            }
                        }
                    }
                }
            }
            @if staff && r.status != ConsultingStatus::Completed {
                section aria-labelledby="assign-title" {
                    h2 #assign-title { "担当を決める" }
                    form method="post" action=(format!("/consulting/{}/assign", r.id)) novalidate {
                        input type="hidden" name="csrf" value=(u.csrf);
                        (select("manager", "担当のテレワークマネージャー", "相談センターの職員から選びます", &manager_options, &r.manager_id.map(|m| m.to_string()).unwrap_or_default(), s.assign))
                        button type="submit" { "担当に決める" }
                    }
                }
                @if r.status != ConsultingStatus::Received {
                    section aria-labelledby="visit-title" {
                        h2 #visit-title { "実施を記録する" }
                        form method="post" action=(format!("/consulting/{}/visits", r.id)) novalidate {
                            input type="hidden" name="csrf" value=(u.csrf);
                            (text_input("date", "visited_on", "実施日", "", &visited_on, verr))
                            fieldset.choices #mode {
                                legend { "実施の方法" }
                                (field_error(verr, "mode"))
                                @for m in VisitMode::ALL {
                                    label { input type="radio" name="mode" value=(m.as_str()) checked[vp.get("mode") == m.as_str()]; " " (m.label()) }
                                }
                            }
                            (textarea("report", "報告", "4,000文字まで", vp.get("report"), verr, 5))
                            (textarea("outcome", "成果", "2,000文字まで。任意", vp.get("outcome"), verr, 3))
                            button type="submit" { "記録する" }
                        }
                    }
                }
                @if r.status == ConsultingStatus::Visited {
                    form.inline method="post" action=(format!("/consulting/{}/complete", r.id)) {
                        input type="hidden" name="csrf" value=(u.csrf);
                        button type="submit" { "この依頼を完了にする" }
                    }
                }
            }
            (history_section(&history))
        }
    })
}

fn request_id(id: &str) -> Option<ConsultingRequestId> {
    id.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(ConsultingRequestId::from)
}

async fn consulting_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<String>,
    Query(q): Query<ConsultingQuery>,
) -> Answer {
    let id = request_id(&id).ok_or_else(|| not_found(&u))?;
    let s = RequestState {
        done: q.done.as_deref().and_then(consulting_done),
        ..RequestState::default()
    };
    let body = render_request(&state, &u, id, s).await?;
    Ok(page("コンサルティングの依頼", Some(&u), body).into_response())
}

async fn request_answer(
    state: &AppState,
    u: &WebUser,
    id: ConsultingRequestId,
    result: josei_app::Result<()>,
    done: &str,
    p: &Pairs,
    visit: bool,
) -> Answer {
    match result {
        Ok(()) => Ok(see(&format!("/consulting/{id}?done={done}"))),
        Err(e) if shown_on_form(&e) || e.kind == josei_app::Kind::Conflict => {
            let field = e.field.clone().unwrap_or_default();
            let mut s = RequestState::default();
            if e.kind == josei_app::Kind::Conflict {
                s.conflict = Some(&e.message);
            } else if visit {
                s.visit = Some((p, Some((field.as_str(), e.message.as_str()))));
            } else {
                s.assign = Some((field.as_str(), e.message.as_str()));
            }
            let body = render_request(state, u, id, s).await?;
            Ok(refused(&e, "コンサルティングの依頼", u, body))
        }
        Err(e) => Err(api_error_page(e, u)),
    }
}

async fn consulting_assign(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, p): CsrfForm<Pairs>,
) -> Answer {
    let id = request_id(&id).ok_or_else(|| not_found(&u))?;
    let r = d::assign(&state, &u.user, id, p.get("manager")).await;
    request_answer(&state, &u, id, r, "assigned", &p, false).await
}

async fn consulting_visit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, p): CsrfForm<Pairs>,
) -> Answer {
    let id = request_id(&id).ok_or_else(|| not_found(&u))?;
    let f = VisitFields {
        visited_on: p.get("visited_on").into(),
        mode: p.get("mode").into(),
        report: p.get("report").into(),
        outcome: p.get("outcome").into(),
    };
    let r = d::add_visit(&state, &u.user, id, &f).await;
    request_answer(&state, &u, id, r, "visited", &p, true).await
}

async fn consulting_complete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, p): CsrfForm<Pairs>,
) -> Answer {
    let id = request_id(&id).ok_or_else(|| not_found(&u))?;
    let r = d::complete(&state, &u.user, id).await;
    request_answer(&state, &u, id, r, "completed", &p, false).await
}

// ---------------------------------------------------------------------------
// /consulting/outreach

fn permille(n: i64) -> String {
    format!("{}.{}%", n / 10, n % 10)
}

async fn outreach_page(State(state): State<AppState>, u: WebUser) -> Answer {
    staff_only(&u)?;
    let rows = d::outreach(&state, &u.user)
        .await
        .map_err(|e| api_error_page(e, &u))?;
    Ok(page(
        "テレワークの導入が遅れている業種",
        Some(&u),
        html! {
            div.desk {
                p.no-print { a href="/consulting" { "← コンサルティング" } }
                h1 { "テレワークの導入が遅れている業種（アウトリーチ）" }
                p { "登録されている事業主、申請、相談、コンサルティングの依頼を業種ごとに数え、テレワークを実施していない事業主の割合が高い順に並べています。働きかけ（アウトリーチ型の支援）の対象を選ぶときに使います。" }
                @if rows.is_empty() { p { "まだ集計できるデータがありません。" } } @else {
                    div.table-wrap {
                        table.admin-list.outreach {
                            caption { "業種ごとの状況（テレワーク未実施の割合が高い順）" }
                            thead { tr {
                                th scope="col" { "業種" }
                                th.num scope="col" { "事業主の数" }
                                th.num scope="col" { "テレワーク未実施の割合" }
                                th.num scope="col" { "申請の数" }
                                th.num scope="col" { "相談の数" }
                                th.num scope="col" { "コンサルティングの依頼の数" }
                            } }
                            tbody {
                                @for r in &rows {
                                    tr {
                                        td data-label="業種" { (d::industry_label(&r.counts.industry)) }
                                        td.num data-label="事業主の数" { (r.counts.organizations) "社" }
                                        td.num data-label="テレワーク未実施の割合" { (permille(r.without_permille)) "（" (r.counts.without_telework) "社）" }
                                        td.num data-label="申請の数" { (r.counts.cases) "件" }
                                        td.num data-label="相談の数" { (r.counts.consultations) "件" }
                                        td.num data-label="コンサルティングの依頼の数" { (r.counts.consulting_requests) "件" }
                                    }
                                }
                            }
                        }
                    }
                    p { a.button href="/consulting/outreach.csv" download { "上位" (d::OUTREACH_TOP) "業種の働きかけ先の一覧をダウンロード（CSV）" } }
                    p.hint { "一覧には、テレワークを制度として定着させていない、まだ申請のない事業主を載せています（名称、都道府県、業種、テレワークの実施状況）。" }
                }
            }
        },
    )
    .into_response())
}

async fn outreach_csv(State(state): State<AppState>, u: WebUser) -> Answer {
    staff_only(&u)?;
    let csv = d::outreach_csv(&state, &u.user)
        .await
        .map_err(|e| api_error_page(e, &u))?;
    let today = josei_app::today(&state)
        .await
        .map(|t| t.to_string())
        .unwrap_or_default();
    let name = format!("働きかけ先の一覧_{}", today.replace('-', ""));
    let disposition = format!(
        "attachment; filename=\"outreach_{}.csv\"; filename*=UTF-8''{}",
        today.replace('-', ""),
        crate::percent_encode(&format!("{name}.csv"), false)
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        csv,
    )
        .into_response())
}
