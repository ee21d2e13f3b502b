//! `/api/v1/cases/{id}/attachments`.

use crate::auth::CurrentUser;
use crate::error::{ApiPath, ApiQuery, ApiResult, ErrorBody};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use josei_store::{AttachmentId, CaseId};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachmentQuery {
    kind: String,
    filename: String,
    /// The expense item (`expenses[].id` of the case document) a receipt or
    /// invoice belongs to.
    expense: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/attachments", tag = "cases", params(("id" = i64, Path, description = "申請番号"), AttachmentQuery), request_body(content = Vec<u8>, content_type = "application/pdf", description = "PDF・PNG・JPEG・xlsx（10 MiB まで）"), responses((status = 201, description = "登録した添付ファイル", body = serde_json::Value), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
pub async fn add_attachment(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<CaseId>,
    ApiQuery(q): ApiQuery<AttachmentQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<josei_store::Attachment>)> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let kind = josei_app::attachments::parse_kind(&q.kind)?;
    let a = josei_app::attachments::add(
        &state,
        &current.user,
        id,
        kind,
        &q.filename,
        content_type,
        &body,
        q.expense.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(a)))
}

#[utoipa::path(delete, path = "/api/v1/cases/{id}/attachments/{aid}", tag = "cases", params(("id" = i64, Path, description = "申請番号"), ("aid" = i64, Path, description = "添付ファイル ID")), responses((status = 204, description = "削除した（監査記録に残る）"), (status = 409, description = "この書類の後にした提出（計画の提出・支給申請）がこの書類に基づいている、または手続きの終わった申請", body = ErrorBody), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 403, description = "事業主・社労士以外", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
pub async fn delete_attachment(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath((id, aid)): ApiPath<(CaseId, AttachmentId)>,
) -> ApiResult<StatusCode> {
    josei_app::attachments::delete(&state, &current.user, id, aid).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/attachments", tag = "cases", params(("id" = i64, Path, description = "申請番号")), responses((status = 200, description = "添付ファイルの一覧", body = serde_json::Value), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
pub async fn list_attachments(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<CaseId>,
) -> ApiResult<Json<Vec<josei_store::Attachment>>> {
    Ok(Json(
        josei_app::attachments::list(&state, &current.user, id).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/attachments/{aid}", tag = "cases", params(("id" = i64, Path, description = "申請番号"), ("aid" = i64, Path, description = "添付ファイル ID")), responses((status = 200, description = "ファイル", content_type = "application/octet-stream"), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 404, description = "ない、または見る権限がない", body = ErrorBody)))]
pub async fn get_attachment(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath((id, aid)): ApiPath<(CaseId, AttachmentId)>,
) -> ApiResult<Response> {
    let (meta, data) = josei_app::attachments::get(&state, &current.user, id, aid).await?;
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        crate::percent_encode(&meta.filename, false)
    );
    let mut res = data.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&meta.content_type)
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
    Ok(res)
}
