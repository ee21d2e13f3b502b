//! `/api/v1/deadlines`.

use crate::auth::CurrentUser;
use crate::error::{ApiQuery, ApiResult, ErrorBody};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use josei_app::deadlines::{due_within, DueCase};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeadlineQuery {
    within_days: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/deadlines", tag = "cases", params(DeadlineQuery), responses((status = 200, description = "期限が近い申請（近い順）", body = serde_json::Value), (status = 401, body = ErrorBody)))]
/// `GET /deadlines?within_days=N`: every visible open case due within N days (default 30), nearest first.
pub async fn deadlines(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(q): ApiQuery<DeadlineQuery>,
) -> ApiResult<Json<Vec<DueCase>>> {
    Ok(Json(
        due_within(&state, &current.user, q.within_days).await?,
    ))
}
