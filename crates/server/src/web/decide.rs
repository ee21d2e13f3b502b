//! The bureau's decisions on a case: one form per decision (計画の認定・差戻し・
//! 不認定, 支給決定・不支給決定), each with its own reason and confirmation.

use super::cases::{ActionError, CasePage};
use super::*;
use crate::AppState;
use axum::Router;
use maud::{html, Markup};

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
}

/// Whether `action` is one of the bureau's decisions (certifying, returning
/// or rejecting a plan; granting or denying a subsidy).
pub(crate) fn is_decision(action: &str) -> bool {
    ["grant", "deny", "return", "reject", "certify"]
        .iter()
        .any(|p| action.starts_with(p))
}

/// The form of one decision on the case page.
pub(crate) fn decision_form(
    p: &CasePage,
    u: &WebUser,
    a: &str,
    error: Option<&ActionError>,
) -> Markup {
    let case = &p.view.case;
    let id = case.id;
    let evaluation = p.view.evaluation.as_ref();
    let err = error.filter(|e| e.action == a);
    html! {
        form id=(format!("action-{a}")) method="post" action=(format!("/cases/{id}/action")) {
            input type="hidden" name="csrf" value=(u.csrf);
            input type="hidden" name="version" value=(case.version);
            input type="hidden" name="action" value=(a);
            @if !a.starts_with("certify") {
                @let bad_reason = err.is_some_and(|e| e.field.as_deref() == Some("reason"));
                @let bad_amount = err.is_some_and(|e| e.field.as_deref() == Some("decided_amount_yen"));
                label for=(format!("reason-{a}")) { "理由" span.hint { "（差戻し・不認定、自動判定と異なる決定には必須）" } }
                textarea id=(format!("reason-{a}")) name="reason" rows="2" aria-invalid=[bad_reason.then_some("true")] aria-describedby=[bad_reason.then(|| format!("reason-{a}-error"))] { (err.map(|e| e.reason.as_str()).unwrap_or("")) }
                @if bad_reason { p.field-error id=(format!("reason-{a}-error")) { (err.map(|e| e.message.as_str()).unwrap_or("")) } }
                @if a.starts_with("grant") {
                    label for=(format!("decided_amount_yen-{a}")) { "決定額（円）" span.hint { "　空欄なら自動判定の額" } }
                    input id=(format!("decided_amount_yen-{a}")) type="number" min="0" name="decided_amount_yen" value=(err.map(|e| e.amount.as_str()).unwrap_or("")) aria-invalid=[bad_amount.then_some("true")] aria-describedby=[bad_amount.then(|| format!("decided_amount_yen-{a}-error"))];
                    @if bad_amount { p.field-error id=(format!("decided_amount_yen-{a}-error")) { (err.map(|e| e.message.as_str()).unwrap_or("")) } }
                }
            }
            button type="submit" { (action_label_for(a, evaluation)) }
        }
    }
}
