//! Administration: users, organisations, the training clock.

use crate::auth::CurrentUser;
use crate::error::{ApiJson, ApiResult, ErrorBody};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use josei_app::users::NewUserInput;
use josei_store::{Organization, OrganizationId, User};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewUser {
    username: String,
    password: String,
    display_name: Option<String>,
    role: String,
    #[schema(value_type = Option<i64>)]
    organization_id: Option<OrganizationId>,
    prefecture: Option<i64>,
    /// Where notifications are mailed (one address; blank or absent: none).
    email: Option<String>,
    /// 社会保険労務士 only: the registration number (登録番号, 1–10 digits).
    registration_number: Option<String>,
    /// 社会保険労務士 only: the office's name (事務所名, ≤ 100 characters).
    office_name: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = NewUser, responses((status = 201, description = "作成したユーザー", body = serde_json::Value), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(b): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let input = NewUserInput {
        username: &b.username,
        password: &b.password,
        display_name: b.display_name.as_deref().unwrap_or(&b.username),
        role: &b.role,
        organization_id: b.organization_id,
        prefecture: b.prefecture,
        email: b.email.as_deref(),
        registration_number: b.registration_number.as_deref(),
        office_name: b.office_name.as_deref(),
    };
    let user = josei_app::users::create(&state, &current.user, &input).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewOrg {
    prefecture: i64,
    /// The `employer` object of the case format.
    #[schema(value_type = Object)]
    employer: Value,
}

#[utoipa::path(post, path = "/api/v1/organizations", tag = "admin", request_body = NewOrg, responses((status = 201, description = "登録した事業所", body = serde_json::Value), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_org(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(b): ApiJson<NewOrg>,
) -> ApiResult<(StatusCode, Json<Organization>)> {
    let org =
        josei_app::organizations::create(&state, &current.user, b.prefecture, &b.employer).await?;
    Ok((StatusCode::CREATED, Json(org)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ClockBody {
    today: Option<String>,
}

#[utoipa::path(put, path = "/api/v1/admin/clock", tag = "admin", request_body = ClockBody, responses((status = 200, description = "設定した今日", body = serde_json::Value), (status = 403, body = ErrorBody)))]
pub async fn set_clock(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(b): ApiJson<ClockBody>,
) -> ApiResult<Json<Value>> {
    let today = josei_app::set_clock(&state, &current.user, b.today.as_deref()).await?;
    Ok(Json(json!({"today": today.to_string()})))
}
