//! `/api/v1/evaluate` (the contract, no login) and the OpenAPI document.

use super::{admin, attachments, auth, bureaus, cases, deadlines, messages, organizations};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use josei_rules::evaluate::{evaluate, Evaluation};

#[utoipa::path(post, path = "/api/v1/evaluate", tag = "engine", request_body(content = Object, description = "ケース（case-format.md）"), responses((status = 200, description = "評価（case-format.md）", body = serde_json::Value), (status = 422, description = "入力の誤り（field にパス）", body = ErrorBody)))]
/// `POST /api/v1/evaluate`: the contract, no login, nothing stored.
pub async fn evaluate_document(
    State(state): State<AppState>,
    body: Bytes,
) -> ApiResult<Json<Evaluation>> {
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::invalid("$", "UTF-8 の JSON を送ってください"))?;
    let parsed = josei_rules::parse_case(text, josei_app::today(&state).await?)?;
    Ok(Json(evaluate(&parsed)))
}

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::COOKIE,
                "書き込みには X-CSRF-Token ヘッダーも必要",
            ))),
        );
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API's OpenAPI 3 document, generated from the handlers' annotations.
/// The API's OpenAPI 3 document, generated from the handlers' annotations.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "josei API", description = "人材確保等支援助成金（テレワークコース）の申請・審査 API"),
    paths(
        evaluate_document, openapi, auth::login, auth::logout, auth::me, auth::create_token, auth::list_tokens, auth::revoke_token, auth::change_password, admin::create_user, admin::create_org, organizations::list_orgs,
        organizations::grant_delegation, organizations::revoke_delegation, cases::list_cases, cases::create_case, cases::get_case, cases::put_inputs, cases::act, cases::import,
        cases::case_audit, cases::case_decisions, attachments::add_attachment, attachments::list_attachments, attachments::get_attachment, attachments::delete_attachment, deadlines::deadlines, admin::set_clock,
        bureaus::list_bureaus, bureaus::get_bureau, bureaus::put_bureau,
        messages::list_messages, messages::post_message, messages::list_notifications, messages::read_notification, messages::put_email
    ),
    components(schemas(ErrorBody, crate::error::ErrorDetail)),
    modifiers(&Security),
    security(("session" = []), ("token" = []))
)]
pub struct ApiDoc;

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "engine", responses((status = 200, description = "この文書", body = serde_json::Value)))]
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    use utoipa::OpenApi;
    let mut doc = ApiDoc::openapi();
    doc.info.version = josei_rules::ENGINE_VERSION.to_string();
    Json(doc)
}
