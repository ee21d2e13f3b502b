//! `/api/v1/cases`: list, create, view, inputs, workflow actions, imports,
//! audit, decisions.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, ErrorBody};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use josei_app::cases::{self, CaseView, ListParams};
use josei_app::imports::{self, Failure, ImportKind, Mode};
use josei_app::workflow::ActionBody as Step;
use josei_store::{AuditEntry, CaseId, Decision, OrganizationId};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CasesQuery {
    /// Page number from 1; with it the list is paged (`per_page`, default 50).
    page: Option<i64>,
    /// Rows per page, 1–500.
    per_page: Option<i64>,
    /// Words in the title or the employer's name.
    q: Option<String>,
    /// `deadline` (default), `amount`, `updated` or `newest`.
    sort: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CasesQuery), responses((status = 200, description = "見られる申請。page を指定すると1ページ分（総数は X-Total-Count ヘッダー）", body = serde_json::Value), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_cases(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(q): ApiQuery<CasesQuery>,
) -> ApiResult<Response> {
    let params = ListParams {
        page: q.page,
        per_page: q.per_page,
        q: q.q,
        sort: q.sort,
    };
    let (rows, total) = cases::list(&state, &current.user, params).await?;
    let mut res = Json(rows).into_response();
    if let Some(total) = total {
        res.headers_mut()
            .insert("x-total-count", HeaderValue::from(total.max(0) as u64));
    }
    Ok(res)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewCase {
    title: String,
    #[schema(value_type = Option<i64>)]
    organization_id: Option<OrganizationId>,
}

#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = NewCase, responses((status = 201, description = "作成した申請", body = serde_json::Value), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_case(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(b): ApiJson<NewCase>,
) -> ApiResult<(StatusCode, Json<CaseView>)> {
    let view = cases::create(&state, &current.user, &b.title, b.organization_id).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = i64, Path, description = "申請番号")), responses((status = 200, description = "申請、入力、評価、できる操作、次の期限", body = serde_json::Value), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
pub async fn get_case(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<CaseId>,
) -> ApiResult<Json<CaseView>> {
    Ok(Json(cases::get(&state, &current.user, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct InputsBody {
    version: i64,
    /// Required to change what a filed application rests on (expenses, the
    /// evaluation period, …): the reason, recorded as an amendment.
    amendment_reason: Option<String>,
    /// The case in the case format (`shared/spec/case-format.md`).
    #[schema(value_type = Object)]
    document: Value,
}

#[utoipa::path(put, path = "/api/v1/cases/{id}/inputs", tag = "cases", params(("id" = i64, Path, description = "申請番号")), request_body = InputsBody, responses((status = 200, description = "更新後の申請", body = serde_json::Value), (status = 403, body = ErrorBody), (status = 409, description = "古い版、または変更できない状態", body = ErrorBody), (status = 422, description = "入力の誤り（field にパス）", body = ErrorBody), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
/// `PUT /cases/{id}/inputs`: replaces the case's inputs with a document in the
/// case format, validated by the engine's parser (422 with the field path).
pub async fn put_inputs(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(b): ApiJson<InputsBody>,
) -> ApiResult<Json<CaseView>> {
    let view = cases::put_inputs(
        &state,
        &current.user,
        id,
        b.version,
        b.document,
        b.amendment_reason.as_deref(),
    )
    .await?;
    Ok(Json(view))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/actions/{action}", tag = "cases", params(("id" = i64, Path, description = "申請番号"), ("action" = String, Path, description = "submit_plan, return_plan, reject_plan, certify_plan, start_evaluation, file_equipment, grant_equipment, deny_equipment, start_goal_tracking, file_goal, grant_goal, deny_goal, close, withdraw")), request_body = ActionBody, responses((status = 200, description = "進めた後の申請（決定があれば decision）", body = serde_json::Value), (status = 403, body = ErrorBody), (status = 409, description = "できない状態・古い版・判定エンジンが認めない", body = ErrorBody), (status = 422, description = "理由が必要", body = ErrorBody), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
/// `POST /cases/{id}/actions/{action}`: one step of the workflow.
pub async fn act(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath((id, action)): ApiPath<(CaseId, String)>,
    ApiJson(b): ApiJson<ActionBody>,
) -> ApiResult<Json<CaseView>> {
    let body = Step {
        version: b.version,
        reason: b.reason,
        decided_amount_yen: b.decided_amount_yen,
        decided_on: b.decided_on,
        exclusions: b.exclusions,
    };
    let view =
        josei_app::workflow::perform_action(&state, &current.user, id, &action, body).await?;
    Ok(Json(view))
}

/// The body of a workflow step.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ActionBody {
    /// The case version the step is based on.
    version: i64,
    /// Required for returning, rejecting and deciding against the engine.
    reason: Option<String>,
    /// For grants: a lower amount than the engine's (after the exclusions),
    /// with a reason; never more.
    decided_amount_yen: Option<i64>,
    /// For certifications, returns, rejections and decisions: the day the
    /// decision takes effect (`YYYY-MM-DD`, default today, never in the future).
    decided_on: Option<String>,
    /// For grants and denials: expense items and telework days left out,
    /// each with a reason; the engine evaluates the case without them.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    exclusions: Vec<josei_app::exclusions::Exclusion>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    version: i64,
    mode: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/imports/{kind}", tag = "cases", params(("id" = i64, Path, description = "申請番号"), ("kind" = String, Path, description = "telework または roster"), ImportQuery), request_body(content = String, content_type = "text/csv", description = "UTF-8（BOM可）または Shift_JIS の CSV"), responses((status = 200, description = "取り込んだ後の申請（import に件数と文字コード）", body = serde_json::Value), (status = 422, description = "問題のある行（rows に行番号）。何も保存しない", body = serde_json::Value), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
/// `POST /cases/{id}/imports/{telework|roster}?version=N[&mode=append|replace]`:
/// a CSV in UTF-8 or Shift_JIS; every bad row is reported and nothing is stored.
pub async fn import(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath((id, kind)): ApiPath<(CaseId, String)>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> ApiResult<Response> {
    let kind = ImportKind::parse(&kind).ok_or_else(ApiError::not_found)?;
    let mode = Mode::parse(q.mode.as_deref())?;
    match imports::import(&state, &current.user, id, q.version, kind, mode, &body).await {
        Ok((mut view, summary)) => {
            view.import = Some(summary);
            Ok(Json(view).into_response())
        }
        Err(Failure::Rows(errors)) => {
            let body = json!({
                "error": {"code": "import_rows", "message": format!("{}件の行に問題があるため、何も取り込んでいません", errors.len()), "field": null},
                "rows": errors,
            });
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response())
        }
        Err(Failure::Other(e)) => Err(e.into()),
    }
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/audit", tag = "cases", params(("id" = i64, Path, description = "申請番号")), responses((status = 200, description = "監査ログ（誰が・いつ・何を・前後）", body = serde_json::Value), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
pub async fn case_audit(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<CaseId>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    Ok(Json(cases::audit(&state, &current.user, id).await?))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/decisions", tag = "cases", params(("id" = i64, Path, description = "申請番号")), responses((status = 200, description = "決定の記録", body = serde_json::Value), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
pub async fn case_decisions(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<CaseId>,
) -> ApiResult<Json<Vec<Decision>>> {
    Ok(Json(cases::decisions(&state, &current.user, id).await?))
}
