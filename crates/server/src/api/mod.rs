//! The JSON API under `/api/v1`: one module per area, each handler thin (read
//! the request, call the use case in `josei_app`, shape the answer). Errors
//! come in one shape, `{"error": {"code", "message", "field"}}`
//! ([`crate::error`]).

pub mod admin;
pub mod attachments;
pub mod auth;
pub mod bureaus;
pub mod cases;
pub mod deadlines;
pub mod engine;
pub mod messages;
pub mod organizations;

use crate::AppState;
use axum::routing::{delete, get, post, put};
use axum::Router;

/// Every route of the API.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/evaluate", post(engine::evaluate_document))
        .route("/api/v1/openapi.json", get(engine::openapi))
        .route("/api/v1/login", post(auth::login))
        .route("/api/v1/logout", post(auth::logout))
        .route("/api/v1/me", get(auth::me))
        .route(
            "/api/v1/tokens",
            get(auth::list_tokens).post(auth::create_token),
        )
        .route("/api/v1/tokens/{id}", delete(auth::revoke_token))
        .route("/api/v1/me/password", put(auth::change_password))
        .route("/api/v1/users", post(admin::create_user))
        .route(
            "/api/v1/organizations",
            get(organizations::list_orgs).post(admin::create_org),
        )
        .route(
            "/api/v1/organizations/{id}/delegations",
            post(organizations::grant_delegation),
        )
        .route(
            "/api/v1/organizations/{id}/delegations/{agent}",
            delete(organizations::revoke_delegation),
        )
        .route(
            "/api/v1/cases",
            get(cases::list_cases).post(cases::create_case),
        )
        .route("/api/v1/cases/{id}", get(cases::get_case))
        .route("/api/v1/cases/{id}/inputs", put(cases::put_inputs))
        .route("/api/v1/cases/{id}/actions/{action}", post(cases::act))
        .route("/api/v1/cases/{id}/imports/{kind}", post(cases::import))
        .route("/api/v1/cases/{id}/audit", get(cases::case_audit))
        .route("/api/v1/cases/{id}/decisions", get(cases::case_decisions))
        .route(
            "/api/v1/cases/{id}/attachments",
            get(attachments::list_attachments).post(attachments::add_attachment),
        )
        .route(
            "/api/v1/cases/{id}/attachments/{aid}",
            get(attachments::get_attachment).delete(attachments::delete_attachment),
        )
        .route("/api/v1/deadlines", get(deadlines::deadlines))
        .route("/api/v1/admin/clock", put(admin::set_clock))
        .route(
            "/api/v1/cases/{id}/messages",
            get(messages::list_messages).post(messages::post_message),
        )
        .route("/api/v1/notifications", get(messages::list_notifications))
        .route(
            "/api/v1/notifications/{id}/read",
            post(messages::read_notification),
        )
        .route("/api/v1/me/email", put(messages::put_email))
        .route("/api/v1/bureaus", get(bureaus::list_bureaus))
        .route(
            "/api/v1/bureaus/{prefecture}",
            get(bureaus::get_bureau).put(bureaus::put_bureau),
        )
}
