//! Printable summaries of a case.

use super::cases::{checks_table, measures_table, no_plan_measures, schedule_table};
use super::*;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use josei_app::access::visible_case;
use josei_app::cases::{case_view, CaseView};
use maud::html;
use serde::Deserialize;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/cases/{id}/print", get(print_page))
}

#[derive(Deserialize, Default)]
pub(crate) struct PrintQuery {
    doc: Option<String>,
}

/// `?doc=plan|equipment|goal`: the plan summary or one application's summary
/// (default: everything).
pub(crate) async fn print_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<CaseId>,
    Query(pq): Query<PrintQuery>,
) -> Response {
    let which = pq.doc.unwrap_or_default();
    let (plan, equipment, goal) = match which.as_str() {
        "plan" => (true, false, false),
        "equipment" => (false, true, false),
        "goal" => (false, false, true),
        _ => (true, true, true),
    };
    let title = match which.as_str() {
        "plan" => "テレワーク実施計画の概要",
        "equipment" => "機器等導入助成 支給申請の概要",
        "goal" => "目標達成助成 支給申請の概要",
        _ => "テレワーク実施計画・申請の概要",
    };
    let case = match visible_case(&state, &u.user, id).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, &u),
    };
    let view: CaseView = match case_view(&state, &case, &u.user).await {
        Ok(v) => v,
        Err(err) => return api_error_page(err, &u),
    };
    let e = view.evaluation.as_ref();
    let org = state.db.org(case.organization_id).await.ok().flatten();
    let first = e.map_or("機器等導入助成", |e| e.equipment_subsidy.name);
    let title = title.replace("機器等導入助成", first);
    let title = title.as_str();
    let body = html! {
        h1 { (title) }
        p { "事業主：" (org.map(|o| o.name).unwrap_or_default()) "　ケース：" (case.title) "（番号 " (case.id) "）" }
        p { "状態：" (view.status_label) "　作成日：" (jd(view.today)) }
        @if let Some(e) = e { p { (e.regime_name) "の制度" } }
        @if plan {
            h2 { "対象労働者" }
            p { @for t in view.document["plan"]["target_workers"].as_array().into_iter().flatten() { (t["id"].as_str().unwrap_or("")) "（" (if t["employment"] == "direct" { "直接雇用" } else { "派遣" }) "）　" } }
        }
        @if let (Some(e), true) = (e, plan) {
            @if e.regime_kind == josei_rules::regime::RegimeKind::NoPlan {
                h2 { "評価期間の前3か月の取組" }
                (no_plan_measures(e, &view.document))
            } @else {
                h2 { "計画の取組" }
                (measures_table(e))
            }
        }
        @if let Some(e) = &e {
            h2 { "経費" }
            div.table-wrap { table {
                thead { tr { th scope="col" { "区分" } th.num scope="col" { "申請額" } th.num scope="col" { "上限" } th.num scope="col" { "対象額" } } }
                tbody { @for c in &e.expenses.categories { tr { td { (c.category.label_ja()) } td.num { (yen(c.claimed_yen.0)) } td.num { (yen(c.cap_yen.0)) } td.num { (yen(c.eligible_yen.0)) } } } }
            } }
            p { (e.equipment_subsidy.name) "：" strong { (e.equipment_subsidy.status.label_ja()) " " (yen(e.equipment_subsidy.amount_yen.0)) } "　目標達成助成：" strong { (e.goal_subsidy.status.label_ja()) " " (yen(e.goal_subsidy.amount_yen.0)) } }
            h2 { "日程" }
            (schedule_table(e))
            @if equipment || goal { h2 { "要件の確認（根拠つき）" } }
            @if equipment { (checks_table("機器等導入助成", &e.equipment_subsidy.checks)) }
            @if goal {
                (checks_table("目標達成助成", &e.goal_subsidy.checks))
                @if let Some(t) = e.turnover.evaluation { p { "評価時離職率：期間初日の労働者 " (t.headcount) "人、離職者 " (t.separations) "人" } }
            }
        }
        p.no-print { button type="button" onclick="window.print()" { "印刷する" } " " a href=(format!("/cases/{id}")) { "戻る" } }
    };
    page("印刷用の概要", Some(&u), body).into_response()
}
