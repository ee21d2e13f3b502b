//! The lists of cases: the officers' queue (`/queue`, with its CSV and Excel
//! exports) and everyone else's case list (`/cases`). Both read evaluation
//! snapshots, filter, sort and page in the database (50 a page), so a load
//! costs the same with 20 cases or 20,000.

use super::{api_error_page, deadline_text, error_page, page, urlencode, yen, WebUser};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use josei_app::access::scope_of;
use josei_app::deadlines::days_after;
use josei_app::snapshots::refresh_snapshots;
use josei_store::{ListQuery, ListedCase, Role, Scope, Sort, Status, Verdict};
use maud::{html, Markup};

/// The lists: cases, the officers' queue and its exports.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/cases", get(case_list))
        .route("/queue", get(queue))
        .route("/queue.csv", get(queue_csv))
        .route("/queue.xlsx", get(queue_xlsx))
}
use serde::Deserialize;

/// Rows on one page of a list.
pub const PER_PAGE: i64 = 50;

/// A list's filters, order and page, as the form and the links send them.
#[derive(Deserialize, Default, Clone)]
pub(super) struct ListParams {
    status: Option<String>,
    due_within: Option<String>,
    min_amount: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

/// The store's query for `p`, and a message for each filter that could not be
/// read (that filter is then left out, never guessed).
fn to_query(p: &ListParams, today: jiff::civil::Date) -> (ListQuery, Vec<String>) {
    let mut problems = Vec::new();
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut q = ListQuery::default();
    if let Some(s) = text(&p.status) {
        match Status::parse(&s) {
            Some(st) => q.status = Some(st),
            None => problems.push("状態は一覧から選んでください。".to_string()),
        }
    }
    if let Some(d) = text(&p.due_within) {
        match d.parse::<i64>() {
            Ok(n) if (0..=3660).contains(&n) => q.due_by = days_after(today, n),
            _ => problems.push("「期限まで」は 0〜3660 の日数で入力してください。".to_string()),
        }
    }
    if let Some(m) = text(&p.min_amount) {
        match m.replace([',', '，'], "").parse::<i64>() {
            Ok(n) if n >= 0 => q.min_amount = Some(n),
            _ => problems
                .push("「支給見込み額」は 0 以上の金額（円）で入力してください。".to_string()),
        }
    }
    if let Some(words) = text(&p.q) {
        q.search = Some(words.chars().take(100).collect());
    }
    q.sort = text(&p.sort)
        .and_then(|s| Sort::parse(&s))
        .unwrap_or_default();
    let page = text(&p.page)
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 1_000_000);
    q.offset = (page - 1) * PER_PAGE;
    q.limit = Some(PER_PAGE);
    (q, problems)
}

/// The query string of `p` at `page` (for the pager and the exports).
fn query_string(p: &ListParams, page: Option<i64>) -> String {
    let v = |o: &Option<String>| urlencode(o.as_deref().unwrap_or(""));
    let mut s = format!(
        "status={}&due_within={}&min_amount={}&q={}&sort={}",
        v(&p.status),
        v(&p.due_within),
        v(&p.min_amount),
        v(&p.q),
        v(&p.sort)
    );
    if let Some(n) = page {
        s.push_str(&format!("&page={n}"));
    }
    s
}

fn verdict_cell(v: Option<Verdict>, amount: i64, error: bool) -> Markup {
    let amount = u64::try_from(amount).unwrap_or(0);
    match v {
        Some(v) => {
            let class = match v {
                Verdict::Payable => "ok",
                Verdict::NotPayable => "ng",
                Verdict::Pending => "pending",
            };
            html! { span class=(class) { (v.label_ja()) } br; (yen(amount)) }
        }
        None if error => html! { span.pending { "入力を確認" } },
        None => html! { "—" },
    }
}

/// The snapshot's next deadline.
fn deadline_of(r: &ListedCase) -> Option<josei_app::deadlines::Deadline> {
    josei_app::deadlines::of_snapshot(&r.snapshot)
}

fn deadline_cell(r: &ListedCase) -> Markup {
    deadline_text(deadline_of(r).as_ref())
}

/// The filter form, shared by the queue and the case list.
fn filter_form(action: &str, p: &ListParams) -> Markup {
    let status = p.status.clone().unwrap_or_default();
    let sort = p.sort.clone().unwrap_or_default();
    let sorts = [
        ("deadline", "期限の近い順"),
        ("amount", "支給見込み額の多い順"),
        ("updated", "更新の新しい順"),
        ("newest", "作成の新しい順"),
    ];
    html! {
        form.filters method="get" action=(action) role="search" {
            div { label for="q" { "件名・事業主名" } input #q type="search" name="q" maxlength="100" value=(p.q.clone().unwrap_or_default()); }
            div { label for="status" { "状態" }
                select #status name="status" {
                    option value="" { "すべて" }
                    @for s in Status::ALL { option value=(s.as_str()) selected[status == s.as_str()] { (s.label_ja()) } }
                }
            }
            div { label for="due_within" { "期限まで（日以内）" } input #due_within type="number" min="0" max="3660" name="due_within" value=(p.due_within.clone().unwrap_or_default()); }
            div { label for="min_amount" { "支給見込み額（円以上）" } input #min_amount type="number" min="0" name="min_amount" value=(p.min_amount.clone().unwrap_or_default()); }
            div { label for="sort" { "並び順" }
                select #sort name="sort" {
                    @for (key, label) in sorts { option value=(key) selected[sort == key || (sort.is_empty() && key == "deadline")] { (label) } }
                }
            }
            div { button type="submit" { "絞り込む" } }
        }
    }
}

/// "1–50 / 120件" and the links to the previous and next pages.
fn pager(action: &str, p: &ListParams, q: &ListQuery, shown: usize, total: i64) -> Markup {
    let page = q.offset / PER_PAGE + 1;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let first = if shown == 0 { 0 } else { q.offset + 1 };
    let last = q.offset + shown as i64;
    html! {
        nav.pager aria-label="ページ" {
            p { "全" (total) "件中 " (first) "〜" (last) "件（" (page) " / " (pages) "ページ）" }
            @if page > 1 { a rel="prev" href=(format!("{action}?{}", query_string(p, Some(page - 1)))) { "← 前の50件" } }
            @if page < pages { " " a rel="next" href=(format!("{action}?{}", query_string(p, Some(page + 1)))) { "次の50件 →" } }
        }
    }
}

fn table(rows: &[ListedCase], empty: &str) -> Markup {
    html! {
        div.table-wrap { table.list {
            thead { tr { th scope="col" { "件名" } th scope="col" { "事業主" } th scope="col" { "状態" } th scope="col" { "次の期限" } th.num scope="col" { "機器等導入助成・" br; "制度導入助成" } th.num scope="col" { "目標達成助成" } } }
            tbody {
                @for r in rows {
                    tr {
                        td { a href=(format!("/cases/{}", r.case.id)) { (r.case.title) } }
                        td { (r.organization) }
                        td { (r.case.status.label_ja()) }
                        td { (deadline_cell(r)) }
                        td.num { (verdict_cell(r.snapshot.equipment, r.snapshot.equipment_yen, r.snapshot.input_error.is_some())) }
                        td.num { (verdict_cell(r.snapshot.goal, r.snapshot.goal_yen, r.snapshot.input_error.is_some())) }
                    }
                }
                @if rows.is_empty() { tr { td colspan="6" { (empty) } } }
            }
        } }
    }
}

/// One page of the user's cases matching `p` (snapshots refreshed first).
async fn listed(
    state: &AppState,
    u: &WebUser,
    p: &ListParams,
    all: bool,
) -> Result<(Scope, ListQuery, Vec<String>, Vec<ListedCase>, i64), Response> {
    let scope = scope_of(state, &u.user)
        .await
        .map_err(|e| api_error_page(e, u))?;
    let today = refresh_snapshots(state, &scope)
        .await
        .map_err(|e| api_error_page(e, u))?;
    let (mut q, problems) = to_query(p, today);
    if all {
        q.offset = 0;
        q.limit = None;
    }
    let (rows, total) = state
        .db
        .list_page(&scope, &q)
        .await
        .map_err(|e| api_error_page(e, u))?;
    Ok((scope, q, problems, rows, total))
}

fn officers_only(u: &WebUser) -> Option<Response> {
    (!matches!(u.user.role, Role::Officer | Role::Admin)).then(|| {
        error_page(
            StatusCode::FORBIDDEN,
            "権限がありません",
            "審査の一覧は労働局の職員が使います。",
            Some(u),
        )
    })
}

/// `GET /queue`: the bureau's cases, nearest deadline first.
pub(super) async fn queue(
    State(state): State<AppState>,
    u: WebUser,
    Query(p): Query<ListParams>,
) -> Response {
    if let Some(r) = officers_only(&u) {
        return r;
    }
    let (_, q, problems, rows, total) = match listed(&state, &u, &p, false).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let qs = query_string(&p, None);
    let body = html! {
        h1 { "審査の一覧" }
        (filter_form("/queue", &p))
        @if !problems.is_empty() { div.errors role="alert" { @for m in &problems { p { (m) } } } }
        p { a href=(format!("/queue.csv?{qs}")) { "CSV で書き出す" } "　" a href=(format!("/queue.xlsx?{qs}")) { "Excel で書き出す" } "（絞り込んだ全件）" }
        (pager("/queue", &p, &q, rows.len(), total))
        (table(&rows, "該当する申請はありません。"))
        @if total > PER_PAGE { (pager("/queue", &p, &q, rows.len(), total)) }
    };
    page("審査の一覧", Some(&u), body).into_response()
}

/// `GET /cases`: an employer's or a 社労士's cases (officers go to the queue).
pub(super) async fn case_list(
    State(state): State<AppState>,
    u: WebUser,
    Query(p): Query<ListParams>,
) -> Response {
    if u.user.role == Role::Officer {
        return Redirect::to("/queue").into_response();
    }
    let (scope, q, problems, rows, total) = match listed(&state, &u, &p, false).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let orgs = state.db.list_orgs().await.unwrap_or_default();
    let body = html! {
        h1 { @if u.user.role == Role::Agent { "委任を受けた事業主の申請" } @else { "申請の一覧" } }
        (filter_form("/cases", &p))
        @if !problems.is_empty() { div.errors role="alert" { @for m in &problems { p { (m) } } } }
        (pager("/cases", &p, &q, rows.len(), total))
        (table(&rows, "該当する申請はありません。"))
        @if total > PER_PAGE { (pager("/cases", &p, &q, rows.len(), total)) }
        h2 { "新しい申請の準備" }
        form method="post" action="/cases/new" {
            input type="hidden" name="csrf" value=(u.csrf);
            @if u.user.role == Role::Agent {
                label for="organization_id" { "事業主" }
                select #organization_id name="organization_id" {
                    @for o in orgs.iter().filter(|o| matches!(&scope, Scope::Organizations(ids) if ids.contains(&o.id))) {
                        option value=(o.id) { (o.name) }
                    }
                }
            }
            label for="title" { "件名" }
            input #title type="text" name="title" required maxlength="200" placeholder="例: 2022年度 テレワーク導入計画";
            button type="submit" { "作成する" }
        }
    };
    page("申請の一覧", Some(&u), body).into_response()
}

/// The queue's export rows: every case matching the filters, no paging.
async fn export_rows(
    state: &AppState,
    u: &WebUser,
    p: &ListParams,
) -> Result<Vec<ListedCase>, Response> {
    if let Some(r) = officers_only(u) {
        return Err(r);
    }
    listed(state, u, p, true)
        .await
        .map(|(_, _, _, rows, _)| rows)
}

/// The queue's export: header and one row per case.
fn export_table(rows: &[ListedCase]) -> Vec<Vec<crate::xlsx::Cell>> {
    use crate::xlsx::Cell::{Number, Text};
    let header = [
        "ケース番号",
        "件名",
        "事業主",
        "状態",
        "次の期限",
        "期限の内容",
        "機器等導入助成・制度導入助成の判定",
        "機器等導入助成・制度導入助成の額",
        "目標達成助成の判定",
        "目標達成助成の額",
    ];
    let mut out = vec![header
        .iter()
        .map(|h| Text(h.to_string()))
        .collect::<Vec<_>>()];
    let label = |v: Option<Verdict>| v.map(Verdict::label_ja).unwrap_or("").to_string();
    for r in rows {
        let d = deadline_of(r);
        out.push(vec![
            Number(r.case.id.get()),
            Text(r.case.title.clone()),
            Text(r.organization.clone()),
            Text(r.case.status.label_ja().to_string()),
            Text(d.as_ref().map(|d| d.date.to_string()).unwrap_or_default()),
            Text(d.map(|d| d.label).unwrap_or_default()),
            Text(label(r.snapshot.equipment)),
            Number(r.snapshot.equipment_yen),
            Text(label(r.snapshot.goal)),
            Number(r.snapshot.goal_yen),
        ]);
    }
    out
}

pub(super) async fn queue_xlsx(
    State(state): State<AppState>,
    u: WebUser,
    Query(p): Query<ListParams>,
) -> Response {
    let rows = match export_rows(&state, &u, &p).await {
        Ok(r) => r,
        Err(page) => return page,
    };
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"queue.xlsx\"",
            ),
        ],
        crate::xlsx::workbook("審査の一覧", &export_table(&rows)),
    )
        .into_response()
}

pub(super) async fn queue_csv(
    State(state): State<AppState>,
    u: WebUser,
    Query(p): Query<ListParams>,
) -> Response {
    let rows = match export_rows(&state, &u, &p).await {
        Ok(r) => r,
        Err(page) => return page,
    };
    let out = josei_app::text::csv_table(export_table(&rows).into_iter().map(|row| {
        row.into_iter()
            .map(|c| match c {
                crate::xlsx::Cell::Text(t) => t,
                crate::xlsx::Cell::Number(n) => n.to_string(),
            })
            .collect::<Vec<_>>()
    }));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"queue.csv\"",
            ),
        ],
        out,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_read_or_named() {
        let today = jiff::civil::date(2026, 11, 21);
        let p = ListParams {
            status: Some("plan_submitted".into()),
            due_within: Some("10".into()),
            min_amount: Some("1,000".into()),
            q: Some(" 東京 ".into()),
            sort: Some("amount".into()),
            page: Some("3".into()),
        };
        let (q, problems) = to_query(&p, today);
        assert!(problems.is_empty());
        assert_eq!(q.status, Some(Status::PlanSubmitted));
        assert_eq!(q.due_by.as_deref(), Some("2026-12-01"));
        assert_eq!(q.min_amount, Some(1000));
        assert_eq!(q.search.as_deref(), Some("東京"));
        assert_eq!(q.sort, Sort::Amount);
        assert_eq!((q.offset, q.limit), (100, Some(PER_PAGE)));
        let bad = ListParams {
            status: Some("nonsense".into()),
            due_within: Some("soon".into()),
            min_amount: Some("-5".into()),
            page: Some("0".into()),
            ..Default::default()
        };
        let (q, problems) = to_query(&bad, today);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert_eq!(
            (q.status, q.due_by, q.min_amount, q.offset),
            (None, None, None, 0)
        );
    }
}
