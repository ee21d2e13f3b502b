//! お知らせ (`/notifications`): the user's notifications, newest first, the
//! unread ones marked, each opening its case; and the user's own e-mail
//! address for them (`/account/email`, also a section of the account page).

use super::*;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use josei_store::{Notification, NotificationId, NotificationKind};
use maud::{html, Markup};
use serde::Deserialize;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(notifications_page))
        .route("/notifications/read", post(read_all))
        .route("/notifications/{id}", get(open_notification))
        .route("/account/email", get(email_page).post(email_submit))
}

/// 支給決定 / 不支給決定 / … as a short word for the list.
fn kind_label(k: NotificationKind) -> &'static str {
    match k {
        NotificationKind::Granted => "支給決定",
        NotificationKind::Denied => "不支給決定",
        NotificationKind::PlanCertified => "計画認定",
        NotificationKind::PlanReturned => "差戻し",
        NotificationKind::PlanRejected => "不認定",
        NotificationKind::Message => "連絡",
        NotificationKind::Reminder => "期限",
        NotificationKind::PasswordReset => "パスワードの設定",
        NotificationKind::EventRegistration => "セミナーのお申込み",
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct DoneQuery {
    done: Option<String>,
}

pub(crate) async fn notifications_page(
    State(state): State<AppState>,
    u: WebUser,
    Query(q): Query<DoneQuery>,
) -> Response {
    let list: Vec<Notification> = match josei_app::notifications::list(&state, &u.user).await {
        Ok(l) => l,
        Err(e) => return api_error_page(e, &u),
    };
    let unread = list.iter().filter(|n| n.read_at.is_none()).count();
    let body = html! {
        h1 { "お知らせ" }
        @if q.done.is_some() { p.notice role="status" { "すべて既読にしました。" } }
        p {
            @if unread > 0 { "未読のお知らせが " strong { (unread) "件" } " あります。" }
            @else { "未読のお知らせはありません。" }
            @if u.user.email.is_none() && u.user.role != josei_store::Role::Admin {
                " メールでも受け取るには、" a href="/account/email" { "メールアドレスを設定してください" } "。"
            }
        }
        @if unread > 0 {
            form method="post" action="/notifications/read" {
                input type="hidden" name="csrf" value=(u.csrf);
                button.secondary type="submit" { "すべて既読にする" }
            }
        }
        @if list.is_empty() {
            p { "お知らせはまだありません。労働局の決定や連絡、期限が近づいたときにここに届きます。" }
        } @else {
            ul.notifications {
                @for n in &list {
                    li class=(if n.read_at.is_none() { "notification unread" } else { "notification" }) {
                        p.notification-meta {
                            @if n.read_at.is_none() { span.unread-badge { "未読" } " " }
                            span.kind { (kind_label(n.kind)) } " "
                            span.notification-time { (jtime(&n.created_at)) }
                        }
                        p.notification-title {
                            a href=(format!("/notifications/{}", n.id)) { (n.title) }
                        }
                        div.notification-body { (n.body) }
                    }
                }
            }
        }
    };
    page("お知らせ", Some(&u), body).into_response()
}

/// Opens a notification: marks it read and goes to its case (its 連絡 for a message).
pub(crate) async fn open_notification(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<NotificationId>,
) -> Response {
    match josei_app::notifications::mark_read(&state, &u.user, id).await {
        Ok(n) => match (n.case_id, n.kind) {
            (Some(c), NotificationKind::Message) => {
                Redirect::to(&format!("/cases/{c}/messages#messages")).into_response()
            }
            (Some(c), _) => Redirect::to(&format!("/cases/{c}")).into_response(),
            (None, _) => Redirect::to("/notifications").into_response(),
        },
        Err(e) => api_error_page(e, &u),
    }
}

#[derive(Deserialize)]
pub(crate) struct TokenForm {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn read_all(
    State(state): State<AppState>,
    CsrfForm(u, _f): CsrfForm<TokenForm>,
) -> Response {
    match josei_app::notifications::mark_all_read(&state, &u.user).await {
        Ok(_) => Redirect::to("/notifications?done=1").into_response(),
        Err(e) => api_error_page(e, &u),
    }
}

/// What the e-mail form shows after a post: the text typed, the error, or
/// that it was saved.
#[derive(Default)]
pub(crate) struct EmailForm<'a> {
    pub typed: Option<&'a str>,
    pub error: Option<&'a str>,
    pub saved: bool,
}

/// The e-mail section of the account page (`id="email"`): the address
/// notifications are mailed to, posted to `/account/email`.
pub(crate) fn email_section(u: &WebUser, form: &EmailForm<'_>) -> Markup {
    let value = form
        .typed
        .unwrap_or(u.user.email.as_deref().unwrap_or_default());
    html! {
        section #email aria-labelledby="email-title" {
            h2 #email-title { "お知らせのメール" }
            @if form.saved {
                p.notice role="status" {
                    @match &u.user.email { Some(a) => { "メールアドレスを " (a) " に設定しました。" } None => { "メールアドレスを消しました。お知らせはこの画面の「お知らせ」だけに届きます。" } }
                }
            }
            @if let Some(e) = form.error {
                div.errors role="alert" {
                    p { "保存できませんでした。入力した内容は残っています。" }
                    ul { li { a href="#email-address" { (e) } } }
                }
            }
            p.hint { "労働局の決定・差戻し、新しい連絡、期限（30日・7日・1日前）をメールでもお知らせします。空欄にして保存すると、メールは届かなくなります。" }
            form method="post" action="/account/email" novalidate {
                input type="hidden" name="csrf" value=(u.csrf);
                label for="email-address" { "メールアドレス" span.hint { "　1つだけ。例: tanaka@example.co.jp" } }
                @if let Some(e) = form.error {
                    p.field-error #email-address-error { (e) }
                    input #email-address type="email" name="email" value=(value) autocomplete="email" maxlength="254" aria-invalid="true" aria-describedby="email-address-error";
                } @else {
                    input #email-address type="email" name="email" value=(value) autocomplete="email" maxlength="254";
                }
                button type="submit" { "メールアドレスを保存する" }
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct SavedQuery {
    saved: Option<String>,
}

fn email_markup(u: &WebUser, form: &EmailForm<'_>) -> Markup {
    html! {
        p { a href="/account" { "← アカウントの設定へ" } }
        h1 { "メールアドレスの設定" }
        (email_section(u, form))
    }
}

pub(crate) async fn email_page(u: WebUser, Query(q): Query<SavedQuery>) -> Response {
    let form = EmailForm {
        saved: q.saved.is_some(),
        ..EmailForm::default()
    };
    page("メールアドレスの設定", Some(&u), email_markup(&u, &form)).into_response()
}

#[derive(Deserialize)]
pub(crate) struct EmailPost {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

pub(crate) async fn email_submit(
    State(state): State<AppState>,
    CsrfForm(u, f): CsrfForm<EmailPost>,
) -> Response {
    match josei_app::users::set_own_email(&state, &u.user, &f.email).await {
        Ok(_) => Redirect::to("/account/email?saved=1").into_response(),
        Err(e) if e.kind == josei_app::Kind::Invalid => {
            let form = EmailForm {
                typed: Some(&f.email),
                error: Some(&e.message),
                saved: false,
            };
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                page("メールアドレスの設定", Some(&u), email_markup(&u, &form)),
            )
                .into_response()
        }
        Err(e) => api_error_page(e, &u),
    }
}

has_csrf!(TokenForm, EmailPost);
