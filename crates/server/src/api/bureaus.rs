//! `/api/v1/bureaus`: the labour-bureau directory. Anyone reads it; only
//! administrators change an entry (audited).

use crate::auth::CurrentUser;
use crate::error::{ApiJson, ApiPath, ApiResult, ErrorBody};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use josei_app::bureaus::BureauUpdate;
use josei_store::Bureau;
use serde::Deserialize;

#[utoipa::path(get, path = "/api/v1/bureaus", tag = "bureaus", security(()), responses((status = 200, description = "47の都道府県労働局と問い合わせ先（電話番号などが空なら未登録）", body = serde_json::Value)))]
/// `GET /api/v1/bureaus`: every bureau, by prefecture code; no login.
pub async fn list_bureaus(State(state): State<AppState>) -> ApiResult<Json<Vec<Bureau>>> {
    Ok(Json(josei_app::bureaus::list(&state).await?))
}

#[utoipa::path(get, path = "/api/v1/bureaus/{prefecture}", tag = "bureaus", security(()), params(("prefecture" = i64, Path, description = "都道府県コード（1〜47）")), responses((status = 200, description = "その都道府県の労働局", body = serde_json::Value), (status = 404, description = "そのような都道府県コードはない", body = ErrorBody)))]
/// `GET /api/v1/bureaus/{prefecture}`: one bureau; no login.
pub async fn get_bureau(
    State(state): State<AppState>,
    ApiPath(prefecture): ApiPath<i64>,
) -> ApiResult<Json<Bureau>> {
    Ok(Json(josei_app::bureaus::get(&state, prefecture).await?))
}

/// The contact details to change; a field left out keeps its value, an empty
/// text clears it.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct BureauBody {
    /// e.g. `雇用環境・均等部（室）` (100 characters at most).
    department: Option<String>,
    /// e.g. `088-652-2718`: 10 or 11 digits from 0, hyphens allowed; full-width digits are converted.
    phone: Option<String>,
    /// 200 characters at most.
    address: Option<String>,
    /// `https://…` (500 characters at most).
    url: Option<String>,
    /// Where the details come from (300 characters at most).
    source: Option<String>,
}

#[utoipa::path(put, path = "/api/v1/bureaus/{prefecture}", tag = "bureaus", params(("prefecture" = i64, Path, description = "都道府県コード（1〜47）")), request_body = BureauBody, responses((status = 200, description = "変更後の労働局（監査ログに前後の値）", body = serde_json::Value), (status = 401, description = "ログインしていない", body = ErrorBody), (status = 403, description = "管理者ではない", body = ErrorBody), (status = 404, description = "そのような都道府県コードはない", body = ErrorBody), (status = 422, description = "入力の誤り（field に項目名）", body = ErrorBody)))]
/// `PUT /api/v1/bureaus/{prefecture}`: changes a bureau's contact details (admins).
pub async fn put_bureau(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(prefecture): ApiPath<i64>,
    ApiJson(b): ApiJson<BureauBody>,
) -> ApiResult<Json<Bureau>> {
    let change = BureauUpdate {
        department: b.department,
        phone: b.phone,
        address: b.address,
        url: b.url,
        source: b.source,
    };
    Ok(Json(
        josei_app::bureaus::update(&state, &current.user, prefecture, &change).await?,
    ))
}
