//! The public portal (総合ポータルサイト): the subsidy per fiscal year, the
//! guideline's key points, events, winners and the labour-bureau directory.

use crate::AppState;
use axum::Router;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
}
