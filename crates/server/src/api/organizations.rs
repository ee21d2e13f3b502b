//! `/api/v1/organizations` and delegations.

use crate::auth::CurrentUser;
use crate::error::{ApiJson, ApiPath, ApiResult, ErrorBody};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use josei_app::organizations::{self, Delegation};
use josei_store::{Organization, OrganizationId};
use serde::Deserialize;

#[utoipa::path(get, path = "/api/v1/organizations", tag = "organizations", responses((status = 200, description = "見られる事業所", body = serde_json::Value), (status = 401, body = ErrorBody)))]
pub async fn list_orgs(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<Vec<Organization>>> {
    Ok(Json(organizations::visible(&state, &current.user).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DelegationBody {
    agent: String,
}

#[utoipa::path(post, path = "/api/v1/organizations/{id}/delegations", tag = "organizations", params(("id" = i64, Path, description = "事業所 ID")), request_body = DelegationBody, responses((status = 201, description = "委任した", body = serde_json::Value), (status = 403, body = ErrorBody), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
/// An employer (of that organisation) or an admin delegates to a 社労士.
pub async fn grant_delegation(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(org_id): ApiPath<OrganizationId>,
    ApiJson(b): ApiJson<DelegationBody>,
) -> ApiResult<(StatusCode, Json<Delegation>)> {
    let d = organizations::grant_delegation(&state, &current.user, org_id, &b.agent).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

#[utoipa::path(delete, path = "/api/v1/organizations/{id}/delegations/{agent}", tag = "organizations", params(("id" = i64, Path, description = "事業所 ID"), ("agent" = String, Path, description = "社労士のユーザー名")), responses((status = 204, description = "委任を取り消した"), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
pub async fn revoke_delegation(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath((org_id, agent)): ApiPath<(OrganizationId, String)>,
) -> ApiResult<StatusCode> {
    organizations::revoke_delegation(&state, &current.user, org_id, &agent).await?;
    Ok(StatusCode::NO_CONTENT)
}
