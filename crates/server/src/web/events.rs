//! Seminars and 個別相談会: the public pages (`/events`, an event with its
//! registration form, the confirmation, the cancellation link of the mail,
//! the materials) and the staff's pages under `/events/manage` (advisors and
//! administrators: events, registrants, attendance, CSV, materials).
//!
//! The public forms have no session: like the login form, each carries a
//! token that is also set as a cookie (`josei_event`, `/events` only), and a
//! post is taken only when both agree. A registration is reached only by its
//! link's token; no page lists or confirms anyone else's.

use super::*;
use crate::{auth, AppState};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::routing::{get, post};
use josei_app::events::{
    self as ev, Event, EventForm, EventId, EventStatus, Material, MaterialId, Registration,
    RegistrationForm, RegistrationId, RegistrationStatus,
};
use josei_store::{Audience, EventFormat, EventKind};
use serde::Deserialize;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(public_list))
        .route("/events/{id}", get(public_page).post(register_submit))
        .route("/events/{id}/materials/{n}", get(public_material))
        .route(
            "/events/cancel/{token}",
            get(cancel_page).post(cancel_submit),
        )
        .route("/events/manage", get(manage_list))
        .route("/events/manage/new", get(new_page).post(new_submit))
        .route("/events/manage/{id}", get(manage_page).post(edit_submit))
        .route("/events/manage/{id}/status", post(status_submit))
        .route("/events/manage/{id}/attendance", post(attendance_submit))
        .route("/events/manage/{id}/registrants.csv", get(registrants_csv))
        .route("/events/manage/{id}/materials", post(material_upload))
        .route("/events/manage/{id}/materials/{n}", get(staff_material))
        .route(
            "/events/manage/{id}/materials/{n}/remove",
            post(material_remove),
        )
}

/// The cookie of the public forms' token.
const FORM_COOKIE: &str = "josei_event";

fn form_cookie(token: &str, secure: bool) -> String {
    format!(
        "{FORM_COOKIE}={token}; Path=/events; HttpOnly; SameSite=Strict; Max-Age=7200{}",
        if secure { "; Secure" } else { "" }
    )
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == FORM_COOKIE)
        .map(|(_, v)| v.to_string())
}

/// Whether a public form came from a page this browser was given.
fn from_our_form(headers: &HeaderMap, sent: &str) -> bool {
    !sent.is_empty()
        && cookie_token(headers)
            .is_some_and(|t| auth::constant_time_eq(t.as_bytes(), sent.as_bytes()))
}

/// A public page with a fresh form token (also set as the cookie).
fn with_form_token(
    status: StatusCode,
    secure: bool,
    render: impl FnOnce(&str) -> Markup,
) -> Response {
    let token = auth::new_token();
    let mut res = (status, render(&token)).into_response();
    if let Ok(v) = HeaderValue::from_str(&form_cookie(&token, secure)) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// The error page of a use case's error, signed in or not.
fn error_for(e: josei_app::Error, user: Option<&WebUser>) -> Response {
    let status = crate::error::status(&e);
    let title = match status {
        StatusCode::NOT_FOUND => "見つかりません",
        StatusCode::FORBIDDEN => "権限がありません",
        StatusCode::CONFLICT => "この操作はできません",
        s if s.is_server_error() => "ただいま処理できません",
        _ => "エラー",
    };
    error_page(status, title, &e.message, user)
}

fn seats_text(e: &Event) -> String {
    if e.status == EventStatus::Cancelled {
        return "中止".into();
    }
    let left = e.fields.capacity - e.taken;
    if left > 0 {
        format!("残り{left}席（定員{}人）", e.fields.capacity)
    } else {
        format!(
            "満席（定員{}人）・キャンセル待ちを受け付けています",
            e.fields.capacity
        )
    }
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

fn type_text(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => "PDF",
        "image/png" => "PNG画像",
        _ => "JPEG画像",
    }
}

fn facts(e: &Event) -> Markup {
    let f = &e.fields;
    html! {
        dl.facts.event-facts {
            div { dt { "種類" } dd { (ev::kind_label(f.kind)) } }
            div { dt { "日時" } dd { (ev::when_text(f)) } }
            div { dt { "開催方法" } dd { (ev::place_text(f)) } }
            div { dt { "地域" } dd { (ev::scope_label(f.prefecture)) } }
            div { dt { "対象" } dd { (ev::audience_label(f.audience)) } }
            div { dt { "申込締切" } dd { (ev::day_text(f.registration_deadline)) } }
            div { dt { "空き状況" } dd { (seats_text(e)) } }
        }
    }
}

fn error_summary(title: &str, err: FieldError<'_>, label: &str) -> Markup {
    html! {
        @if let Some((field, message)) = err {
            div.errors.error-summary #error-summary role="alert" tabindex="-1" aria-labelledby="error-summary-title" {
                h2 #error-summary-title { (title) }
                p { "入力した内容は残っています。直してから、もう一度送信してください。" }
                ul { li { a href=(format!("#{field}")) {
                    // The label once: not before a message that names it already.
                    @if !message.starts_with(label) { (label) "：" }
                    (sentence(message))
                } } }
            }
        }
    }
}

fn field_label(field: &str) -> &'static str {
    match field {
        "name" => "お名前",
        "company" => "会社・団体名",
        "email" => "メールアドレス",
        "prefecture" => "都道府県",
        "title" => "名称",
        "kind" => "種類",
        "audience" => "対象",
        "format" => "開催方法",
        "venue" => "会場",
        "date" => "開催日",
        "start" => "開始時刻",
        "end" => "終了時刻",
        "capacity" => "定員",
        "description" => "内容",
        "deadline" => "申込締切日",
        "material-title" => "資料の名称",
        "material-file" => "ファイル",
        _ => "入力",
    }
}

/// A labelled input, marked invalid with its message when `err` names it.
#[allow(clippy::too_many_arguments)]
fn input(
    kind: &str,
    name: &str,
    label: &str,
    hint: &str,
    value: &str,
    err: FieldError<'_>,
    autocomplete: &str,
    max: usize,
) -> Markup {
    let bad = err.filter(|(f, _)| *f == name).map(|(_, m)| m);
    html! {
        label for=(name) { (label) @if !hint.is_empty() { span.hint { "　" (hint) } } }
        @if let Some(m) = bad { p.field-error id=(format!("{name}-error")) { (sentence(m)) } }
        input id=(name) type=(kind) name=(name) value=(value) autocomplete=(autocomplete)
            maxlength=[(max > 0).then_some(max)]
            aria-invalid=[bad.map(|_| "true")]
            aria-describedby=[bad.map(|_| format!("{name}-error"))];
    }
}

// ---- Public ----

/// The public list's filters (unknown values are ignored).
#[derive(Deserialize, Default)]
struct ListFilter {
    kind: Option<String>,
    audience: Option<String>,
}

async fn public_list(
    State(state): State<AppState>,
    MaybeUser(u): MaybeUser,
    Query(q): Query<ListFilter>,
) -> Response {
    let (mut upcoming, past) = match ev::public_events(&state).await {
        Ok(x) => x,
        Err(e) => return error_for(e, u.as_ref()),
    };
    let kind = q.kind.as_deref().and_then(EventKind::parse);
    let audience = q.audience.as_deref().and_then(Audience::parse);
    upcoming.retain(|e| {
        kind.is_none_or(|k| e.fields.kind == k) && audience.is_none_or(|a| e.fields.audience == a)
    });
    let filtered = kind.is_some() || audience.is_some();
    let kinds: Vec<(String, String)> = std::iter::once((String::new(), "すべて".into()))
        .chain(
            EventKind::ALL
                .iter()
                .map(|k| (k.as_str().into(), ev::kind_label(*k).into())),
        )
        .collect();
    let audiences: Vec<(String, String)> = std::iter::once((String::new(), "すべて".into()))
        .chain(
            Audience::ALL
                .iter()
                .map(|a| (a.as_str().into(), ev::audience_label(*a).into())),
        )
        .collect();
    let today = josei_app::today(&state).await.ok();
    page(
        "セミナー・個別相談会",
        u.as_ref(),
        html! {
            div.events-public {
                h1 { "セミナー・個別相談会" }
                p { "テレワーク相談センターでは、テレワークの導入や助成金の活用についてのセミナーと、専門の相談員による個別相談会を開いています。お申込みにログインは必要ありません。" }
                h2 { "これからのセミナー・個別相談会" }
                form.inline-form.event-filter method="get" action="/events" {
                    div.event-filter-fields {
                        div { (select("kind", "種類", "", &kinds, kind.map_or("", |k| k.as_str()), None)) }
                        div { (select("audience", "対象", "", &audiences, audience.map_or("", |a| a.as_str()), None)) }
                    }
                    button.secondary type="submit" { "絞り込む" }
                }
                @if upcoming.is_empty() && filtered {
                    p { "条件に合うセミナー・個別相談会はありません。" a href="/events" { "すべて表示する" } }
                } @else if upcoming.is_empty() {
                    p { "いま受け付けているセミナー・個別相談会はありません。" }
                } @else {
                    ul.event-list {
                        @for e in &upcoming {
                            li.event-card {
                                p.event-tags {
                                    span.event-tag { (ev::kind_label(e.fields.kind)) }
                                    span.event-tag { (ev::format_label(e.fields.format)) }
                                    span.event-tag { (ev::scope_label(e.fields.prefecture)) }
                                    @if e.status == EventStatus::Cancelled { span.event-tag.cancelled { "中止" } }
                                }
                                h3 { a href=(format!("/events/{}", e.id)) { (e.fields.title) } }
                                p.event-when { (ev::when_text(&e.fields)) }
                                p { "対象：" (ev::audience_label(e.fields.audience)) }
                                @match today.and_then(|t| ev::registration_closed(e, t)) {
                                    Some(why) => { p.event-seats { (why) } }
                                    None => {
                                        p.event-seats { (seats_text(e)) }
                                        p.event-seats { "申込締切：" (ev::day_text(e.fields.registration_deadline)) }
                                    }
                                }
                            }
                        }
                    }
                }
                h2 { "終了したセミナー・個別相談会" }
                @if past.is_empty() {
                    p { "終了したセミナー・個別相談会はまだありません。" }
                } @else {
                    table.stack.past-events {
                        caption { "終了したセミナー・個別相談会（新しい順）。資料はそれぞれのページからダウンロードできます。" }
                        thead { tr { th scope="col" { "日時" } th scope="col" { "名称" } th scope="col" { "種類" } th scope="col" { "資料" } } }
                        tbody {
                            @for e in &past {
                                tr {
                                    td data-label="日時" { (ev::when_text(&e.fields)) }
                                    td data-label="名称" { a href=(format!("/events/{}", e.id)) { (e.fields.title) } }
                                    td data-label="種類" { (ev::kind_label(e.fields.kind)) }
                                    td data-label="資料" { @if e.materials > 0 { (e.materials) "件" } @else { "なし" } }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
    .into_response()
}

fn materials_list(id: EventId, materials: &[Material], staff: bool) -> Markup {
    html! {
        @if !materials.is_empty() {
            ul.event-materials {
                @for m in materials {
                    li {
                        a href=(if staff { format!("/events/manage/{id}/materials/{}", m.id) } else { format!("/events/{id}/materials/{}", m.id) }) download {
                            (m.title)
                        }
                        span.hint { "（" (type_text(&m.content_type)) "、" (size_text(m.size_bytes)) "）" }
                    }
                }
            }
        }
    }
}

/// The event's page with the registration form (`form`: what was typed,
/// `err`: the field at fault, `notice`: a refusal without a field).
#[allow(clippy::too_many_arguments)]
fn public_event_page(
    status: StatusCode,
    secure: bool,
    u: Option<&WebUser>,
    e: &Event,
    materials: &[Material],
    closed: Option<&str>,
    form: &RegistrationForm,
    err: FieldError<'_>,
    notice: Option<&str>,
) -> Response {
    with_form_token(status, secure, |token| {
        page(
            &e.fields.title,
            u,
            html! {
                div.events-public {
                    p.breadcrumb { a href="/events" { "セミナー・個別相談会の一覧へ" } }
                    h1 { (e.fields.title) }
                    @if e.status == EventStatus::Cancelled {
                        div.errors role="alert" { p { "このセミナー・個別相談会は中止になりました。" } }
                    }
                    (facts(e))
                    @if !e.fields.description.is_empty() {
                        h2 { "内容" }
                        p.event-description { (e.fields.description) }
                    }
                    @if !materials.is_empty() {
                        h2 { "資料" }
                        p { "事例集などの資料をダウンロードできます。" }
                        (materials_list(e.id, materials, false))
                    }
                    h2 #register { "お申込み" }
                    @match closed {
                        Some(why) => { p { (why) } }
                        None => {
                            (error_summary("お申込みを受け付けられませんでした", err, err.map_or("", |(f, _)| field_label(f))))
                            @if let Some(n) = notice {
                                div.errors.error-summary role="alert" { h2 { "お申込みを受け付けられませんでした" } p { (sentence(n)) } }
                            }
                            @if e.taken >= e.fields.capacity {
                                p.event-full { "定員に達しています。お申し込みいただくと、キャンセル待ちとして受け付けます。お席に空きが出ましたら、お申し込み順にメールでお知らせします。" }
                            }
                            form.event-register method="post" action=(format!("/events/{}", e.id)) novalidate {
                                input type="hidden" name="form_token" value=(token);
                                (input("text", "name", "お名前", "", &form.name, err, "name", 100))
                                (input("text", "company", "会社・団体名", "任意", &form.company, err, "organization", 200))
                                (input("email", "email", "メールアドレス", "受付のメールをお送りします", &form.email, err, "email", 254))
                                (select("prefecture", "都道府県", "任意", &prefecture_options("選ばない"), &form.prefecture, err))
                                p.hint { "ご入力の内容は、このセミナー・個別相談会の運営とご連絡にだけ使います。" }
                                button type="submit" { "申し込む" }
                            }
                        }
                    }
                }
            },
        )
    })
}

async fn public_page(
    State(state): State<AppState>,
    MaybeUser(u): MaybeUser,
    Path(id): Path<i64>,
) -> Response {
    match ev::public_event(&state, id.into()).await {
        Ok((e, materials, closed)) => public_event_page(
            StatusCode::OK,
            state.secure_cookies,
            u.as_ref(),
            &e,
            &materials,
            closed,
            &RegistrationForm::default(),
            None,
            None,
        ),
        Err(e) => error_for(e, u.as_ref()),
    }
}

#[derive(Deserialize, Default)]
struct RegisterPost {
    #[serde(default)]
    form_token: String,
    #[serde(flatten)]
    form: RegistrationForm,
}

async fn register_submit(
    State(state): State<AppState>,
    MaybeUser(u): MaybeUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(p): Form<RegisterPost>,
) -> Response {
    let id = EventId::from(id);
    let (e, materials, closed) = match ev::public_event(&state, id).await {
        Ok(x) => x,
        Err(e) => return error_for(e, u.as_ref()),
    };
    let again = |status: StatusCode, err: FieldError<'_>, notice: Option<&str>| {
        public_event_page(
            status,
            state.secure_cookies,
            u.as_ref(),
            &e,
            &materials,
            closed,
            &p.form,
            err,
            notice,
        )
    };
    if !from_our_form(&headers, &p.form_token) {
        return again(
            StatusCode::FORBIDDEN,
            None,
            Some("お申込みの画面の有効期限が切れたか、別のサイトからの送信です。お手数ですが、もう一度「申し込む」を押してください"),
        );
    }
    match ev::register(&state, id, &p.form).await {
        Ok((e, reg)) => registered_page(u.as_ref(), &e, &reg),
        Err(err) => {
            let status = crate::error::status(&err);
            match err.field.as_deref() {
                Some(f) if !f.is_empty() => {
                    let f = f.to_string();
                    again(status, Some((&f, &err.message)), None)
                }
                _ => again(status, None, Some(&err.message)),
            }
        }
    }
}

fn registered_page(u: Option<&WebUser>, e: &Event, reg: &Registration) -> Response {
    let waiting = reg.status == RegistrationStatus::Waiting;
    let title = if waiting {
        "キャンセル待ちで受け付けました"
    } else {
        "お申込みを受け付けました"
    };
    page(
        title,
        u,
        html! {
            div.events-public {
                h1 { (title) }
                div.success role="status" {
                    p { (e.fields.title) "（" (ev::when_text(&e.fields)) "）" }
                    p { "受付番号：" (reg.id) }
                }
                @if waiting {
                    p { "定員に達しているため、キャンセル待ちとして受け付けました。お席に空きが出ましたら、お申し込み順にメールでお知らせします。" }
                } @else {
                    p { "当日のご参加をお待ちしております。" }
                }
                p { "受付のメールを " strong.email { (reg.email) } " にお送りします。お申込みを取り消す場合は、そのメールにあるリンクからお手続きください。" }
                p.hint { "メールが届かない場合は、迷惑メールのフォルダもご確認ください。" }
                p { a href=(format!("/events/{}", e.id)) { "このセミナー・個別相談会のページへ戻る" } }
            }
        },
    )
    .into_response()
}

async fn public_material(
    State(state): State<AppState>,
    MaybeUser(u): MaybeUser,
    Path((id, n)): Path<(i64, i64)>,
) -> Response {
    match ev::public_material(&state, id.into(), MaterialId::from(n)).await {
        Ok((m, data)) => download(&m, data),
        Err(e) => error_for(e, u.as_ref()),
    }
}

fn download(m: &Material, data: Vec<u8>) -> Response {
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        crate::percent_encode(&m.filename, false)
    );
    let mut res = data.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&m.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    res
}

fn cancel_form_page(
    status: StatusCode,
    u: Option<&WebUser>,
    token: &str,
    e: &Event,
    reg: &Registration,
) -> Response {
    (
        status,
        page(
            "お申込みの取消",
            u,
            html! {
                div.events-public {
                    h1 { "お申込みの取消" }
                    p { (reg.name) " 様の次のお申込み（" (ev::registration_label(reg.status)) "）を取り消します。" }
                    (facts(e))
                    p { "取り消すと元に戻せません。もう一度参加する場合は、改めてお申し込みください。" }
                    form method="post" action=(format!("/events/cancel/{token}")) {
                        button type="submit" { "お申込みを取り消す" }
                    }
                    p { a href=(format!("/events/{}", e.id)) { "取り消さずにセミナー・個別相談会のページへ" } }
                }
            },
        ),
    )
        .into_response()
}

async fn cancel_page(
    State(state): State<AppState>,
    MaybeUser(u): MaybeUser,
    Path(token): Path<String>,
) -> Response {
    match ev::cancellation(&state, &token).await {
        Ok((e, reg)) => cancel_form_page(StatusCode::OK, u.as_ref(), &token, &e, &reg),
        Err(e) => error_for(e, u.as_ref()),
    }
}

async fn cancel_submit(
    State(state): State<AppState>,
    MaybeUser(u): MaybeUser,
    Path(token): Path<String>,
) -> Response {
    // The token in the address is the form's proof: no other site knows it.
    match ev::cancel_registration(&state, &token).await {
        Ok((e, _)) => page(
            "お申込みを取り消しました",
            u.as_ref(),
            html! {
                div.events-public {
                    h1 { "お申込みを取り消しました" }
                    div.success role="status" { p { (e.fields.title) "（" (ev::when_text(&e.fields)) "）のお申込みを取り消しました。" } }
                    p { "ご連絡ありがとうございました。またのご参加をお待ちしております。" }
                    p { a href="/events" { "セミナー・個別相談会の一覧へ" } }
                }
            },
        )
        .into_response(),
        Err(e) => error_for(e, u.as_ref()),
    }
}

// ---- Staff ----

async fn manage_list(State(state): State<AppState>, u: WebUser) -> Response {
    let events = match ev::manage_events(&state, &u.user).await {
        Ok(x) => x,
        Err(e) => return api_error_page(e, &u),
    };
    page(
        "セミナーの運営",
        Some(&u),
        html! {
            div.events-manage {
                h1 { "セミナー・個別相談会の運営" }
                p { a.button href="/events/manage/new" { "新しいセミナー・個別相談会を作る" } }
                @if events.is_empty() {
                    p { "まだセミナー・個別相談会はありません。" }
                } @else {
                    table.stack.events-table {
                        caption { "セミナー・個別相談会（開催日の早い順）と申込みの状況" }
                        thead { tr {
                            th scope="col" { "日時" } th scope="col" { "名称" } th scope="col" { "種類" }
                            th scope="col" { "状態" } th scope="col" { "申込み／定員" } th scope="col" { "キャンセル待ち" }
                        } }
                        tbody {
                            @for e in &events {
                                tr {
                                    td data-label="日時" { (ev::when_text(&e.fields)) }
                                    td data-label="名称" { a href=(format!("/events/manage/{}", e.id)) { (e.fields.title) } }
                                    td data-label="種類" { (ev::kind_label(e.fields.kind)) }
                                    td data-label="状態" { (ev::status_label(e.status)) }
                                    td data-label="申込み／定員" { (e.taken) "／" (e.fields.capacity) "人" }
                                    td data-label="キャンセル待ち" { (e.waiting) "人" }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
    .into_response()
}

fn event_form(
    action: &str,
    f: &EventForm,
    err: FieldError<'_>,
    button: &str,
    csrf: &str,
) -> Markup {
    let kinds: Vec<(String, String)> = std::iter::once((String::new(), "選んでください".into()))
        .chain(
            EventKind::ALL
                .iter()
                .map(|k| (k.as_str().into(), ev::kind_label(*k).into())),
        )
        .collect();
    let audiences: Vec<(String, String)> =
        std::iter::once((String::new(), "選んでください".into()))
            .chain(
                Audience::ALL
                    .iter()
                    .map(|a| (a.as_str().into(), ev::audience_label(*a).into())),
            )
            .collect();
    let formats: Vec<(String, String)> = std::iter::once((String::new(), "選んでください".into()))
        .chain(
            EventFormat::ALL
                .iter()
                .map(|x| (x.as_str().into(), ev::format_label(*x).into())),
        )
        .collect();
    let bad_description = err.filter(|(x, _)| *x == "description").map(|(_, m)| m);
    html! {
        (error_summary("保存できませんでした", err, err.map_or("", |(x, _)| field_label(x))))
        form.event-form method="post" action=(action) novalidate {
            input type="hidden" name="csrf" value=(csrf);
            (input("text", "title", "名称", "200文字まで", &f.title, err, "off", 200))
            (select("kind", "種類", "", &kinds, &f.kind, err))
            (select("audience", "対象", "", &audiences, &f.audience, err))
            (select("prefecture", "地域", "全国向けか、都道府県", &prefecture_options("全国"), &f.prefecture, err))
            (select("format", "開催方法", "", &formats, &f.format, err))
            (input("text", "venue", "会場", "会場で開催する場合：名称と所在地", &f.venue, err, "off", 200))
            (input("date", "date", "開催日", "", &f.date, err, "off", 0))
            div.time-pair {
                div { (input("time", "start", "開始時刻", "", &f.start, err, "off", 0)) }
                div { (input("time", "end", "終了時刻", "", &f.end, err, "off", 0)) }
            }
            (input("number", "capacity", "定員", "人数（1〜10000）", &f.capacity, err, "off", 0))
            (input("date", "deadline", "申込締切日", "この日まで受け付けます", &f.deadline, err, "off", 0))
            label for="description" { "内容" span.hint { "　4000文字まで（一覧と申込みのページに表示します）" } }
            @if let Some(m) = bad_description { p.field-error id="description-error" { (sentence(m)) } }
            textarea #description name="description" rows="6" maxlength="4000"
                aria-invalid=[bad_description.map(|_| "true")]
                aria-describedby=[bad_description.map(|_| "description-error")] { (f.description) }
            button type="submit" { (button) }
        }
    }
}

fn new_event_page(u: &WebUser, status: StatusCode, f: &EventForm, err: FieldError<'_>) -> Response {
    (
        status,
        page(
            "新しいセミナー・個別相談会",
            Some(u),
            html! {
                div.events-manage {
                    p.breadcrumb { a href="/events/manage" { "セミナー・個別相談会の運営へ" } }
                    h1 { "新しいセミナー・個別相談会" }
                    p { "保存すると「公開前」になります。内容を確かめてから公開してください。" }
                    (event_form("/events/manage/new", f, err, "保存する", &u.csrf))
                }
            },
        ),
    )
        .into_response()
}

async fn new_page(State(state): State<AppState>, u: WebUser) -> Response {
    if let Err(e) = josei_app::access::require_role(&u.user, ev::STAFF) {
        return api_error_page(e, &u);
    }
    let today = josei_app::today(&state).await.ok();
    let f = EventForm {
        kind: "seminar".into(),
        audience: "managers".into(),
        format: "online".into(),
        start: "14:00".into(),
        end: "16:00".into(),
        capacity: "30".into(),
        date: today.map(|d| d.to_string()).unwrap_or_default(),
        deadline: today.map(|d| d.to_string()).unwrap_or_default(),
        ..EventForm::default()
    };
    new_event_page(&u, StatusCode::OK, &f, None)
}

#[derive(Deserialize)]
struct EventPost {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    form: EventForm,
}
has_csrf!(EventPost);

async fn new_submit(
    State(state): State<AppState>,
    CsrfForm(u, p): CsrfForm<EventPost>,
) -> Response {
    match ev::create_event(&state, &u.user, &p.form).await {
        Ok(id) => Redirect::to(&format!("/events/manage/{id}?done=created")).into_response(),
        Err(e) if e.kind == josei_app::Kind::Invalid => {
            let f = e.field.clone().unwrap_or_default();
            new_event_page(
                &u,
                StatusCode::UNPROCESSABLE_ENTITY,
                &p.form,
                Some((&f, &e.message)),
            )
        }
        Err(e) => api_error_page(e, &u),
    }
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

fn done_text(done: &str) -> Option<&'static str> {
    Some(match done {
        "created" => "保存しました（公開前）。内容を確かめてから「公開する」を押してください。",
        "saved" => "変更を保存しました。",
        "promoted" => "変更を保存しました。定員が増えたため、キャンセル待ちの方に席をご用意し、メールでお知らせします。",
        "published" => "公開しました。一覧と申込みのページに表示されます。",
        "unpublished" => "非公開にしました。",
        "cancelled" => "中止にしました。申込みの方とキャンセル待ちの方に、メールでお知らせします。",
        "attended" => "出席を記録しました。",
        "absent" => "出席の記録を取り消しました。",
        "uploaded" => "資料を追加しました。",
        "removed" => "資料を削除しました。",
        _ => return None,
    })
}

/// What the staff's event page shows after a refused post.
#[derive(Default)]
struct ManageState<'a> {
    form: Option<&'a EventForm>,
    err: FieldError<'a>,
    /// A refusal of the material upload (field, message).
    material_err: FieldError<'a>,
    material_title: &'a str,
    /// A refusal without a field (a state conflict).
    notice: Option<&'a str>,
}

async fn render_manage(
    state: &AppState,
    u: &WebUser,
    id: EventId,
    status: StatusCode,
    done: Option<&str>,
    s: ManageState<'_>,
) -> Response {
    let (e, regs, materials) = match ev::event_people(state, &u.user, id).await {
        Ok(x) => x,
        Err(err) => return api_error_page(err, u),
    };
    let stored = EventForm::of(&e.fields);
    let form = s.form.unwrap_or(&stored);
    let active: Vec<&Registration> = regs
        .iter()
        .filter(|r| r.status != RegistrationStatus::Cancelled)
        .collect();
    let cancelled = regs.len() - active.len();
    (
        status,
        page(
            &e.fields.title,
            Some(u),
            html! {
                div.events-manage {
                    p.breadcrumb { a href="/events/manage" { "セミナー・個別相談会の運営へ" } }
                    h1 { (e.fields.title) }
                    @if let Some(m) = done.and_then(done_text) { div.success role="status" { p { (m) } } }
                    @if let Some(n) = s.notice { div.errors.error-summary role="alert" { h2 { "この操作はできません" } p { (sentence(n)) } } }
                    p.event-state { "状態：" strong { (ev::status_label(e.status)) } }
                    (facts(&e))
                    div.actions.event-actions {
                        @if e.status != EventStatus::Draft {
                            a.button.secondary href=(format!("/events/{}", e.id)) { "公開のページを見る" }
                        }
                        @if e.status == EventStatus::Draft {
                            form.inline method="post" action=(format!("/events/manage/{}/status", e.id)) {
                                input type="hidden" name="csrf" value=(u.csrf);
                                input type="hidden" name="to" value="publish";
                                button type="submit" { "公開する" }
                            }
                        }
                        @if e.status == EventStatus::Published && e.taken + e.waiting == 0 {
                            form.inline method="post" action=(format!("/events/manage/{}/status", e.id)) {
                                input type="hidden" name="csrf" value=(u.csrf);
                                input type="hidden" name="to" value="unpublish";
                                button.secondary type="submit" { "非公開にする" }
                            }
                        }
                    }
                    @if e.status != EventStatus::Cancelled {
                        details.event-cancel {
                            summary { "開催を中止する" }
                            form method="post" action=(format!("/events/manage/{}/status", e.id)) {
                                input type="hidden" name="csrf" value=(u.csrf);
                                input type="hidden" name="to" value="cancel";
                                p { "中止すると元に戻せません。申込みの方とキャンセル待ちの方（いま" (active.iter().filter(|r| matches!(r.status, RegistrationStatus::Registered | RegistrationStatus::Waiting)).count()) "人）に、中止のメールをお送りします。" }
                                label.check for="confirm" { input #confirm type="checkbox" name="confirm" value="yes"; " 中止することを確認しました" }
                                button.danger type="submit" { "中止する" }
                            }
                        }
                    }

                    h2 #registrants { "申込者" }
                    p { "申込み " (e.taken) "人／定員 " (e.fields.capacity) "人、キャンセル待ち " (e.waiting) "人" @if cancelled > 0 { "、取消 " (cancelled) "人" } "。"
                        @if !regs.is_empty() { " " a href=(format!("/events/manage/{}/registrants.csv", e.id)) { "申込者の一覧をCSVでダウンロード" } } }
                    @if regs.is_empty() {
                        p { "まだ申込みはありません。" }
                    } @else {
                        table.stack.registrants {
                            caption { "申込者（申込みの順）と出席の記録" }
                            thead { tr {
                                th scope="col" { "受付番号" } th scope="col" { "お名前" } th scope="col" { "会社・団体名" }
                                th scope="col" { "都道府県" } th scope="col" { "状況" } th scope="col" { "出席" }
                            } }
                            tbody {
                                @for r in &regs {
                                    tr.(format!("reg-{}", r.status.as_str().replace('_', "-"))) {
                                        td data-label="受付番号" { (r.id) }
                                        td data-label="お名前" { (r.name) }
                                        td data-label="会社・団体名" { @if r.company.is_empty() { "—" } @else { (r.company) } }
                                        td data-label="都道府県" { (r.prefecture.map(|p| ev::scope_label(Some(p))).unwrap_or("—")) }
                                        td data-label="状況" { (ev::registration_label(r.status)) }
                                        td data-label="出席" {
                                            @match r.status {
                                                RegistrationStatus::Registered | RegistrationStatus::Attended => {
                                                    form.inline method="post" action=(format!("/events/manage/{}/attendance", e.id)) {
                                                        input type="hidden" name="csrf" value=(u.csrf);
                                                        input type="hidden" name="registration" value=(r.id);
                                                        @if r.status == RegistrationStatus::Attended {
                                                            input type="hidden" name="attended" value="no";
                                                            button.small.secondary type="submit" aria-label=(format!("{} さんの出席の記録を取り消す", r.name)) { "出席を取り消す" }
                                                        } @else {
                                                            input type="hidden" name="attended" value="yes";
                                                            button.small type="submit" aria-label=(format!("{} さんの出席を記録する", r.name)) { "出席を記録" }
                                                        }
                                                    }
                                                }
                                                _ => { "—" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }

                    h2 #materials { "資料" }
                    p { "事例集などの資料（PDF・PNG・JPEG、10 MB まで）を載せると、公開のページからダウンロードできます。" }
                    @if materials.is_empty() {
                        p { "まだ資料はありません。" }
                    } @else {
                        table.stack.materials {
                            caption { "載せている資料" }
                            thead { tr { th scope="col" { "資料" } th scope="col" { "ファイル" } th scope="col" { "操作" } } }
                            tbody {
                                @for m in &materials {
                                    tr {
                                        td data-label="資料" { a href=(format!("/events/manage/{}/materials/{}", e.id, m.id)) download { (m.title) } }
                                        td data-label="ファイル" { (type_text(&m.content_type)) "、" (size_text(m.size_bytes)) }
                                        td data-label="操作" {
                                            form.inline method="post" action=(format!("/events/manage/{}/materials/{}/remove", e.id, m.id)) {
                                                input type="hidden" name="csrf" value=(u.csrf);
                                                button.small.secondary type="submit" aria-label=(format!("資料「{}」を削除する", m.title)) { "削除" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    h3 { "資料を追加する" }
                    (error_summary("資料を追加できませんでした", s.material_err, s.material_err.map_or("", |(x, _)| field_label(x))))
                    form.material-upload method="post" action=(format!("/events/manage/{}/materials", e.id)) enctype="multipart/form-data" novalidate {
                        input type="hidden" name="csrf" value=(u.csrf);
                        (input("text", "material-title", "資料の名称", "例：テレワーク導入事例集", s.material_title, s.material_err, "off", 200))
                        @let bad = s.material_err.filter(|(x, _)| *x == "material-file").map(|(_, m)| m);
                        label for="material-file" { "ファイル" span.hint { "　PDF・PNG・JPEG、10 MB まで" } }
                        @if let Some(m) = bad { p.field-error id="material-file-error" { (sentence(m)) } }
                        input #material-file type="file" name="file" accept="application/pdf,image/png,image/jpeg"
                            aria-invalid=[bad.map(|_| "true")]
                            aria-describedby=[bad.map(|_| "material-file-error")];
                        button type="submit" { "資料を追加する" }
                    }

                    @if e.status != EventStatus::Cancelled {
                        h2 #edit { "内容の変更" }
                        (event_form(&format!("/events/manage/{}", e.id), form, s.err, "変更を保存する", &u.csrf))
                    }
                }
            },
        ),
    )
        .into_response()
}

async fn manage_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    render_manage(
        &state,
        &u,
        id.into(),
        StatusCode::OK,
        q.done.as_deref(),
        ManageState::default(),
    )
    .await
}

async fn edit_submit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(u, p): CsrfForm<EventPost>,
) -> Response {
    let id = EventId::from(id);
    match ev::update_event(&state, &u.user, id, &p.form).await {
        Ok(0) => Redirect::to(&format!("/events/manage/{id}?done=saved")).into_response(),
        Ok(_) => Redirect::to(&format!("/events/manage/{id}?done=promoted")).into_response(),
        Err(e) if e.kind == josei_app::Kind::Invalid => {
            let f = e.field.clone().unwrap_or_default();
            let s = ManageState {
                form: Some(&p.form),
                err: Some((&f, &e.message)),
                ..ManageState::default()
            };
            render_manage(&state, &u, id, StatusCode::UNPROCESSABLE_ENTITY, None, s).await
        }
        Err(e) if e.kind == josei_app::Kind::Conflict => {
            let s = ManageState {
                notice: Some(&e.message),
                ..ManageState::default()
            };
            render_manage(&state, &u, id, StatusCode::CONFLICT, None, s).await
        }
        Err(e) => api_error_page(e, &u),
    }
}

#[derive(Deserialize)]
struct StatusPost {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    confirm: String,
}
has_csrf!(StatusPost);

async fn status_submit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(u, p): CsrfForm<StatusPost>,
) -> Response {
    let id = EventId::from(id);
    let result = match p.to.as_str() {
        "publish" => ev::set_published(&state, &u.user, id, true)
            .await
            .map(|_| "published"),
        "unpublish" => ev::set_published(&state, &u.user, id, false)
            .await
            .map(|_| "unpublished"),
        "cancel" if p.confirm == "yes" => ev::cancel_event(&state, &u.user, id)
            .await
            .map(|_| "cancelled"),
        "cancel" => Err(josei_app::Error::conflict(
            "中止するには「中止することを確認しました」にチェックを入れてください",
        )),
        _ => Err(josei_app::Error::invalid("to", "操作を選んでください")),
    };
    match result {
        Ok(done) => Redirect::to(&format!("/events/manage/{id}?done={done}")).into_response(),
        Err(e) if matches!(e.kind, josei_app::Kind::Conflict | josei_app::Kind::Invalid) => {
            let s = ManageState {
                notice: Some(&e.message),
                ..ManageState::default()
            };
            render_manage(&state, &u, id, StatusCode::CONFLICT, None, s).await
        }
        Err(e) => api_error_page(e, &u),
    }
}

#[derive(Deserialize)]
struct AttendancePost {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    registration: String,
    #[serde(default)]
    attended: String,
}
has_csrf!(AttendancePost);

async fn attendance_submit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(u, p): CsrfForm<AttendancePost>,
) -> Response {
    let id = EventId::from(id);
    let Ok(reg) = p.registration.trim().parse::<i64>() else {
        return api_error_page(josei_app::Error::not_found(), &u);
    };
    let attended = p.attended == "yes";
    match ev::set_attendance(&state, &u.user, id, RegistrationId::from(reg), attended).await {
        Ok(()) => Redirect::to(&format!(
            "/events/manage/{id}?done={}#registrants",
            if attended { "attended" } else { "absent" }
        ))
        .into_response(),
        Err(e) if e.kind == josei_app::Kind::Conflict => {
            let s = ManageState {
                notice: Some(&e.message),
                ..ManageState::default()
            };
            render_manage(&state, &u, id, StatusCode::CONFLICT, None, s).await
        }
        Err(e) => api_error_page(e, &u),
    }
}

async fn registrants_csv(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
) -> Response {
    match ev::registrants_csv(&state, &u.user, id.into()).await {
        Ok((name, text)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"registrants-{id}.csv\"; filename*=UTF-8''{}",
                        crate::percent_encode(&name, false)
                    ),
                ),
            ],
            text,
        )
            .into_response(),
        Err(e) => api_error_page(e, &u),
    }
}

async fn material_upload(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Response {
    let id = EventId::from(id);
    // Staff only, before the file is read.
    if let Err(e) = ev::managed_event(&state, &u.user, id).await {
        return api_error_page(e, &u);
    }
    let Ok(up) = read_upload_form(&mut form).await else {
        let s = ManageState {
            material_err: Some(("material-file", "ファイルが大きすぎます（10 MB まで）")),
            ..ManageState::default()
        };
        return render_manage(&state, &u, id, StatusCode::PAYLOAD_TOO_LARGE, None, s).await;
    };
    if let Some(r) = csrf_error(&u, up.field("csrf")) {
        return r;
    }
    let title = up.field("material-title");
    match ev::add_material(
        &state,
        &u.user,
        id,
        title,
        &up.filename,
        &up.content_type,
        &up.bytes,
    )
    .await
    {
        Ok(_) => {
            Redirect::to(&format!("/events/manage/{id}?done=uploaded#materials")).into_response()
        }
        Err(e) if e.field.is_some() => {
            let f = e.field.clone().unwrap_or_default();
            let status = crate::error::status(&e);
            let s = ManageState {
                material_err: Some((&f, &e.message)),
                material_title: title,
                ..ManageState::default()
            };
            render_manage(&state, &u, id, status, None, s).await
        }
        Err(e) => api_error_page(e, &u),
    }
}

async fn staff_material(
    State(state): State<AppState>,
    u: WebUser,
    Path((id, n)): Path<(i64, i64)>,
) -> Response {
    match ev::staff_material(&state, &u.user, id.into(), MaterialId::from(n)).await {
        Ok((m, data)) => download(&m, data),
        Err(e) => api_error_page(e, &u),
    }
}

#[derive(Deserialize)]
struct TokenOnly {
    #[serde(default)]
    csrf: String,
}
has_csrf!(TokenOnly);

async fn material_remove(
    State(state): State<AppState>,
    Path((id, n)): Path<(i64, i64)>,
    CsrfForm(u, _): CsrfForm<TokenOnly>,
) -> Response {
    match ev::remove_material(&state, &u.user, id.into(), MaterialId::from(n)).await {
        Ok(()) => {
            Redirect::to(&format!("/events/manage/{id}?done=removed#materials")).into_response()
        }
        Err(e) => api_error_page(e, &u),
    }
}
