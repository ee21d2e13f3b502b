//! The 連絡 thread of a case: a section for the case page
//! ([`thread_section`]) and its own page (`/cases/{id}/messages`), where a
//! message is posted.

use super::*;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use josei_app::access::visible_case;
use josei_app::messages::{can_post, role_label, MAX_MESSAGE_CHARS};
use josei_store::{CaseRow, Message, Role};
use maud::{html, Markup};
use serde::Deserialize;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/cases/{id}/messages", get(thread_page).post(thread_post))
}

/// What the thread's form shows: the text typed (kept after an error), the
/// error, and whether a message was just sent.
#[derive(Default)]
pub(crate) struct ThreadForm<'a> {
    pub typed: &'a str,
    pub error: Option<&'a str>,
    pub posted: bool,
}

/// The 連絡 section of a case page (`id="messages"`): every message, oldest
/// first, each with who wrote it and when, and the form to write one
/// (posting to `/cases/{id}/messages`; `back` says which page to return to
/// after sending: `"case"` for the case page, `"thread"` for the thread's
/// own page). On a draft, which the bureau cannot see yet, it says when
/// writing opens instead of showing the form.
pub(crate) fn thread_section(
    case: &CaseRow,
    messages: &[Message],
    u: &WebUser,
    form: &ThreadForm<'_>,
    back: &str,
) -> Markup {
    let id = case.id;
    let officer_side = matches!(u.user.role, Role::Officer | Role::Admin);
    html! {
        section.thread #messages aria-labelledby="messages-title" {
            h2 #messages-title { "連絡" @if !messages.is_empty() { "（" (messages.len()) "件）" } }
            p.hint {
                @if officer_side { "事業主・社会保険労務士との連絡です。書き込むと、相手にお知らせ（メールアドレスがあればメールも）が届きます。" }
                @else { "労働局との連絡です。書き込むと、労働局の担当者にお知らせが届きます。" }
            }
            @if form.posted { p.notice role="status" { "連絡を送りました。相手にお知らせが届きます。" } }
            @if let Some(e) = form.error {
                div.errors role="alert" aria-labelledby="message-errors-title" {
                    p #message-errors-title { "送信できませんでした。入力した内容は残っています。" }
                    ul { li { a href="#message-body" { (e) } } }
                }
            }
            @if messages.is_empty() {
                p { "まだ連絡はありません。" }
            } @else {
                ol.messages {
                    @for m in messages {
                        @let bureau = matches!(m.author_role, Role::Officer | Role::Admin);
                        li class=(if bureau { "message bureau" } else { "message applicant" }) {
                            p.message-meta {
                                strong { (role_label(m.author_role)) }
                                " " (m.author_name)
                                @if m.author_id == u.user.id { "（自分）" }
                                span.message-time { (jtime(&m.created_at)) }
                            }
                            div.message-body { (m.body) }
                        }
                    }
                }
            }
            @if can_post(case) {
                form.no-print method="post" action=(format!("/cases/{id}/messages")) novalidate {
                    input type="hidden" name="csrf" value=(u.csrf);
                    input type="hidden" name="back" value=(back);
                    label for="message-body" { "連絡を書く" span.hint { "　" (josei_app::messages::with_commas(MAX_MESSAGE_CHARS)) "文字まで" } }
                    @if let Some(e) = form.error {
                        p.field-error #message-body-error { (e) }
                        textarea #message-body name="body" rows="5" maxlength=(MAX_MESSAGE_CHARS) aria-invalid="true" aria-describedby="message-body-error" autofocus { (form.typed) }
                    } @else {
                        textarea #message-body name="body" rows="5" maxlength=(MAX_MESSAGE_CHARS) { (form.typed) }
                    }
                    button type="submit" { "送信する" }
                }
            } @else {
                p.notice { "労働局との連絡は、申請を労働局に送った後（計画の提出、または評価期間の開始の後）に使えます。" }
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct PostedQuery {
    posted: Option<String>,
}

/// The thread's own page.
fn thread_markup(
    case: &CaseRow,
    messages: &[Message],
    u: &WebUser,
    form: &ThreadForm<'_>,
) -> Markup {
    html! {
        p.no-print { a href=(format!("/cases/{}", case.id)) { "← 申請のページへ戻る" } }
        h1 { "連絡：" (case.title) }
        (thread_section(case, messages, u, form, "thread"))
    }
}

pub(crate) async fn thread_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<CaseId>,
    Query(q): Query<PostedQuery>,
) -> Response {
    let case = match visible_case(&state, &u.user, id).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, &u),
    };
    let messages = match state.db.messages(case.id).await {
        Ok(m) => m,
        Err(e) => return api_error_page(e, &u),
    };
    let form = ThreadForm {
        posted: q.posted.is_some(),
        ..ThreadForm::default()
    };
    page(
        &format!("連絡：{}", case.title),
        Some(&u),
        thread_markup(&case, &messages, &u, &form),
    )
    .into_response()
}

#[derive(Deserialize)]
pub(crate) struct MessageForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    back: String,
}

pub(crate) async fn thread_post(
    State(state): State<AppState>,
    Path(id): Path<CaseId>,
    CsrfForm(u, f): CsrfForm<MessageForm>,
) -> Response {
    match josei_app::messages::post(&state, &u.user, id, &f.body).await {
        Ok(_) => {
            let to = if f.back == "case" {
                format!("/cases/{id}?posted=1#messages")
            } else {
                format!("/cases/{id}/messages?posted=1#messages")
            };
            Redirect::to(&to).into_response()
        }
        Err(e) if e.kind == josei_app::Kind::Invalid => {
            // Shown next to the field, with what was typed.
            let (case, messages) = match visible_case(&state, &u.user, id).await {
                Ok(c) => {
                    let m = state.db.messages(c.id).await.unwrap_or_default();
                    (c, m)
                }
                Err(e) => return api_error_page(e, &u),
            };
            let form = ThreadForm {
                typed: &f.body,
                error: Some(&e.message),
                posted: false,
            };
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                page(
                    &format!("連絡：{}", case.title),
                    Some(&u),
                    thread_markup(&case, &messages, &u, &form),
                ),
            )
                .into_response()
        }
        Err(e) => api_error_page(e, &u),
    }
}

has_csrf!(MessageForm);
