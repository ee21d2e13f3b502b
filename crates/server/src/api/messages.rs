//! `/api/v1/cases/{id}/messages` (the 連絡 thread), `/api/v1/notifications`
//! and `/api/v1/me/email`.

use crate::auth::CurrentUser;
use crate::error::{ApiJson, ApiPath, ApiResult, ErrorBody};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use josei_store::{CaseId, Message, Notification, NotificationId, User};
use serde::{Deserialize, Serialize};

#[utoipa::path(get, path = "/api/v1/cases/{id}/messages", tag = "messages", params(("id" = i64, Path, description = "申請の番号")), responses((status = 200, description = "連絡（古い順）", body = serde_json::Value), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
/// `GET /cases/{id}/messages`: the case's thread, oldest first.
pub async fn list_messages(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<CaseId>,
) -> ApiResult<Json<Vec<Message>>> {
    Ok(Json(
        josei_app::messages::list(&state, &current.user, id).await?,
    ))
}

/// A new message.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewMessage {
    /// 1–4,000 characters.
    body: String,
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/messages", tag = "messages", params(("id" = i64, Path, description = "申請の番号")), request_body = NewMessage, responses((status = 201, description = "書き込んだ連絡（相手側にお知らせとメール）", body = serde_json::Value), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody), (status = 409, description = "下書きの申請（労働局にまだ送っていない）", body = ErrorBody), (status = 422, description = "空、または4,000文字を超える", body = ErrorBody)))]
/// `POST /cases/{id}/messages`: writes to the thread; the other side is notified.
pub async fn post_message(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(b): ApiJson<NewMessage>,
) -> ApiResult<(StatusCode, Json<Message>)> {
    let m = josei_app::messages::post(&state, &current.user, id, &b.body).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// The user's notifications and how many are unread.
#[derive(Serialize)]
pub struct Notifications {
    unread: i64,
    notifications: Vec<Notification>,
}

#[utoipa::path(get, path = "/api/v1/notifications", tag = "messages", responses((status = 200, description = "お知らせ（新しい順）と未読の数", body = serde_json::Value), (status = 401, body = ErrorBody)))]
/// `GET /notifications`: the user's notifications, newest first, and the unread count.
pub async fn list_notifications(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<Notifications>> {
    Ok(Json(Notifications {
        unread: josei_app::notifications::unread(&state, &current.user).await?,
        notifications: josei_app::notifications::list(&state, &current.user).await?,
    }))
}

#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "messages", params(("id" = i64, Path, description = "お知らせの番号")), responses((status = 200, description = "既読にしたお知らせ", body = serde_json::Value), (status = 401, body = ErrorBody), (status = 404, description = "ない、または自分のものでない", body = ErrorBody)))]
/// `POST /notifications/{id}/read`: marks one of the user's notifications read.
pub async fn read_notification(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<NotificationId>,
) -> ApiResult<Json<Notification>> {
    Ok(Json(
        josei_app::notifications::mark_read(&state, &current.user, id).await?,
    ))
}

/// The user's own e-mail address.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct EmailBody {
    /// One address; null or blank removes it.
    email: Option<String>,
}

#[utoipa::path(put, path = "/api/v1/me/email", tag = "messages", request_body = EmailBody, responses((status = 200, description = "更新したユーザー", body = serde_json::Value), (status = 401, body = ErrorBody), (status = 422, description = "メールアドレスの誤り", body = ErrorBody)))]
/// `PUT /me/email`: sets or removes the user's own address for notifications.
pub async fn put_email(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(b): ApiJson<EmailBody>,
) -> ApiResult<Json<User>> {
    Ok(Json(
        josei_app::users::set_own_email(&state, &current.user, b.email.as_deref().unwrap_or(""))
            .await?,
    ))
}
