//! テレワーク相談センター: consultations (counter, phone, e-mail) and consulting by テレワークマネージャー, with outreach lists.
//! (Placeholder of the programme skeleton; filled by its area.)

use crate::AppState;
use axum::Router;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
}
