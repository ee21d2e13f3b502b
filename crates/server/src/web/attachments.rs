//! Attaching documents to a case.

use super::*;
use crate::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use josei_app::access::visible_case;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/cases/{id}/attachments", post(attachment_upload))
}

pub(crate) async fn attachment_upload(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<CaseId>,
    mut form: Multipart,
) -> Response {
    let case = match visible_case(&state, &u.user, id).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, &u),
    };
    let Ok(up) = read_upload_form(&mut form).await else {
        return error_page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "添付できません",
            "ファイルが大きすぎます（10 MiB まで）。",
            Some(&u),
        );
    };
    let (csrf, kind, expense) = (up.field("csrf"), up.field("kind"), up.field("expense"));
    let (filename, content_type, bytes) = (&up.filename, &up.content_type, &up.bytes);
    if let Some(r) = csrf_error(&u, csrf) {
        return r;
    }
    let stored = match josei_app::attachments::parse_kind(kind) {
        Ok(kind) => {
            josei_app::attachments::store_attachment(
                &state,
                &u.user,
                &case,
                kind,
                filename,
                content_type,
                bytes,
                Some(expense),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match stored {
        Ok(_) => Redirect::to(&format!("/cases/{id}?done=attached")).into_response(),
        // Refused: the case page again, the message at the file field, the
        // kind and expense still chosen.
        Err(e) if e.kind != josei_app::Kind::NotFound && e.kind != josei_app::Kind::Forbidden => {
            let flash = super::cases::Flash {
                done: None,
                error: Some(super::cases::ActionError {
                    action: "file".into(),
                    message: e.message.clone(),
                    field: Some("attachment".into()),
                }),
            };
            let mut q = HashMap::new();
            q.insert("attach".to_string(), kind.to_string());
            if !expense.is_empty() {
                q.insert("expense".to_string(), expense.to_string());
            }
            super::cases::render_case(&state, &u, id, flash, &q, crate::error::status(&e)).await
        }
        Err(e) => api_error_page(e, &u),
    }
}
