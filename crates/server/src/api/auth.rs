//! `/api/v1/login`, `logout`, `me`, `tokens`, `me/password`.

use crate::auth::{CurrentUser, Via};
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult, ErrorBody};
use crate::AppState;
use crate::{auth, client_address};
use axum::extract::ConnectInfo;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use josei_app::auth::{change_own_password, create_api_token, login_session, sign_out};
use josei_store::{ApiTokenId, User};
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::SocketAddr;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginBody {
    username: String,
    password: String,
}

#[utoipa::path(post, path = "/api/v1/login", tag = "auth", request_body = LoginBody, responses((status = 200, description = "セッション Cookie を設定し、csrf_token を返す", body = serde_json::Value), (status = 401, body = ErrorBody), (status = 429, description = "失敗が続いたため一時的に拒否", body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Response> {
    let client = client_address(peer, &headers, state.trusted_proxy);
    let (user, token, csrf) =
        login_session(&state, &body.username, &body.password, &client).await?;
    let mut res = Json(json!({"user": user, "csrf_token": csrf})).into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&auth::session_cookie(&token, state.secure_cookies))
            .map_err(|_| ApiError::unauthenticated())?,
    );
    Ok(res)
}

#[utoipa::path(post, path = "/api/v1/logout", tag = "auth", responses((status = 204, description = "ログアウトした"), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    current: CurrentUser,
) -> ApiResult<Response> {
    // Signing out with a token revokes that token.
    let bearer = match current.via {
        Via::ApiToken => auth::bearer_token(&headers),
        Via::Session => None,
    };
    sign_out(
        &state,
        &current.user,
        auth::session_token(&headers).as_deref(),
        bearer.as_deref(),
    )
    .await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&auth::clear_cookie(state.secure_cookies))
            .map_err(|_| ApiError::unauthenticated())?,
    );
    Ok(res)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, description = "ログイン中のユーザー", body = serde_json::Value), (status = 401, body = ErrorBody)))]
pub async fn me(current: CurrentUser) -> Json<User> {
    Json(current.user)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenBody {
    name: String,
    /// Days until the token expires: 1–365, default 90.
    expires_in_days: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/tokens", tag = "auth", request_body = TokenBody, responses((status = 201, description = "トークン（この時だけ表示）", body = serde_json::Value), (status = 401, body = ErrorBody)))]
/// `POST /api/v1/tokens`: a token for machine clients; shown once.
pub async fn create_token(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    if current.via != Via::Session {
        return Err(ApiError::forbidden(
            "API トークンはログインした画面からのみ発行できます",
        ));
    }
    let made = create_api_token(&state, &current.user, &body.name, body.expires_in_days).await?;
    Ok((StatusCode::CREATED, Json(json!(made))))
}

#[utoipa::path(get, path = "/api/v1/tokens", tag = "auth", responses((status = 200, description = "自分の API トークン（トークン自体は含まない）", body = serde_json::Value), (status = 401, body = ErrorBody)))]
/// `GET /api/v1/tokens`: the caller's tokens, with expiry and revocation.
pub async fn list_tokens(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(state.db.api_tokens(current.user.id).await?)))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "auth", params(("id" = i64, Path, description = "トークン番号")), responses((status = 204, description = "失効させた"), (status = 404, description = "自分の有効なトークンにない", body = ErrorBody), (status = 401, body = ErrorBody)))]
/// `DELETE /api/v1/tokens/{id}`: revokes one of the caller's tokens.
pub async fn revoke_token(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<ApiTokenId>,
) -> ApiResult<StatusCode> {
    state
        .db
        .revoke_api_token(
            current.user.id,
            josei_store::TokenRef::Id(id),
            current.user.id,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PasswordBody {
    current_password: String,
    new_password: String,
}

#[utoipa::path(put, path = "/api/v1/me/password", tag = "auth", request_body = PasswordBody, responses((status = 204, description = "変更した（ほかのセッションは終了）"), (status = 403, description = "今のパスワードが違う", body = ErrorBody), (status = 422, description = "新しいパスワードが規則に合わない", body = ErrorBody), (status = 401, body = ErrorBody)))]
/// `PUT /api/v1/me/password`: any user changes their own password.
pub async fn change_password(
    State(state): State<AppState>,
    current: CurrentUser,
    headers: HeaderMap,
    ApiJson(b): ApiJson<PasswordBody>,
) -> ApiResult<StatusCode> {
    change_own_password(
        &state,
        &current.user,
        auth::session_token(&headers).as_deref(),
        b.current_password,
        b.new_password,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
