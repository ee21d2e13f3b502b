//! The lists of cases: the officers' queue (`/queue`, with its CSV and Excel
//! exports) and everyone else's case list (`/cases`). Both read evaluation
//! snapshots, filter, sort and page in the database (50 a page), so a load
//! costs the same with 20 cases or 20,000.

use super::{api_error_page, deadline_text, error_page, jd, page, urlencode, yen, WebUser};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use josei_app::access::scope_of;
use josei_app::deadlines::days_after;
use josei_app::overview::{
    overview, Amount, FilterProblem, Filters, Overview, Stage, SubsidyAmount, SORTS, WEEK_DAYS,
};
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
/// read, with the id of its field (that filter is then left out, never guessed).
fn to_query(p: &ListParams, today: jiff::civil::Date) -> (ListQuery, Vec<(&'static str, String)>) {
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
            None => problems.push(("status", "状態は一覧から選んでください。".to_string())),
        }
    }
    if let Some(d) = text(&p.due_within) {
        match d.parse::<i64>() {
            Ok(n) if (0..=3660).contains(&n) => q.due_by = days_after(today, n),
            _ => problems.push((
                "due_within",
                "「期限まで」は 0〜3660 の日数で入力してください。".to_string(),
            )),
        }
    }
    if let Some(m) = text(&p.min_amount) {
        match m.replace([',', '，'], "").parse::<i64>() {
            Ok(n) if n >= 0 => q.min_amount = Some(n),
            _ => problems.push((
                "min_amount",
                "「支給見込み額」は 0 以上の金額（円）で入力してください。".to_string(),
            )),
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

/// The filter form of the queue, each field that could not be read marked
/// and explained.
fn filter_form(action: &str, p: &ListParams, problems: &[(&'static str, String)]) -> Markup {
    let problem = |f: &str| problems.iter().find(|(k, _)| *k == f).map(|(_, m)| m);
    let invalid = |f: &str| problem(f).map(|_| "true");
    let described = |f: &str| problem(f).map(|_| format!("{f}-error"));
    let error = |f: &str| {
        html! { @if let Some(m) = problem(f) { p.field-error id=(format!("{f}-error")) { (m) } } }
    };
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
                (error("status"))
                select #status name="status" aria-invalid=[invalid("status")] aria-describedby=[described("status")] {
                    option value="" { "すべて" }
                    @for s in Status::ALL { option value=(s.as_str()) selected[status == s.as_str()] { (s.label_ja()) } }
                }
            }
            div { label for="due_within" { "期限まで（日以内）" } (error("due_within")) input #due_within type="text" inputmode="numeric" maxlength="5" name="due_within" value=(p.due_within.clone().unwrap_or_default()) aria-invalid=[invalid("due_within")] aria-describedby=[described("due_within")]; }
            div { label for="min_amount" { "支給見込み額（円以上）" } (error("min_amount")) input #min_amount type="text" inputmode="numeric" maxlength="15" name="min_amount" value=(p.min_amount.clone().unwrap_or_default()) aria-invalid=[invalid("min_amount")] aria-describedby=[described("min_amount")]; }
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
            caption.visually-hidden { "申請の一覧" }
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
) -> Result<
    (
        Scope,
        ListQuery,
        Vec<(&'static str, String)>,
        Vec<ListedCase>,
        i64,
    ),
    Response,
> {
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
        @if !problems.is_empty() {
            div.errors.error-summary role="alert" tabindex="-1" #error-summary {
                p { "絞り込みの条件を確かめてください。読み取れなかった条件は使わずに表示しています。" }
                ul { @for (f, m) in &problems { li { a href=(format!("#{f}")) { (m) } } } }
            }
        }
        (filter_form("/queue", &p, &problems))
        p { a href=(format!("/queue.csv?{qs}")) { "CSV で書き出す" } "　" a href=(format!("/queue.xlsx?{qs}")) { "Excel で書き出す" } "（絞り込んだ全件）" }
        (pager("/queue", &p, &q, rows.len(), total))
        (table(&rows, "該当する申請はありません。"))
        @if total > PER_PAGE { (pager("/queue", &p, &q, rows.len(), total)) }
    };
    page("審査の一覧", Some(&u), body).into_response()
}

/// `GET /cases`: the overview of an employer's applications, or of every
/// employer that delegated to a 社労士 (officers go to the queue).
pub(super) async fn case_list(
    State(state): State<AppState>,
    u: WebUser,
    Query(f): Query<Filters>,
) -> Response {
    if u.user.role == Role::Officer {
        return Redirect::to("/queue").into_response();
    }
    case_list_page(&state, &u, &f, &NewCase::default(), StatusCode::OK).await
}

/// The new-application form at the foot of the list as it was sent: what
/// was typed, and why it was refused (shown at the field and at the top).
#[derive(Default)]
pub(crate) struct NewCase {
    pub title: String,
    pub organization_id: Option<String>,
    /// The field at fault (`title`, `organization_id`) and the message.
    pub error: Option<(&'static str, String)>,
}

/// The overview with the new-application form in the state `new`.
pub(crate) async fn case_list_page(
    state: &AppState,
    u: &WebUser,
    f: &Filters,
    new: &NewCase,
    status: StatusCode,
) -> Response {
    let o = match overview(state, &u.user, f).await {
        Ok(o) => o,
        Err(e) => return api_error_page(e, u),
    };
    let title = match u.user.role {
        Role::Agent => "委任を受けた事業主の申請",
        Role::Admin => "すべての申請",
        _ => "申請の一覧",
    };
    let bad = |field: &str| {
        new.error
            .as_ref()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    };
    let body = html! {
        h1 { (title) }
        @if let Some((field, m)) = &new.error {
            div.errors.error-summary role="alert" tabindex="-1" #error-summary {
                h2 { "新しい申請を作れませんでした" }
                ul { li { a href=(format!("#{field}")) { (m) } } }
            }
        }
        p.lead { (jd(o.today)) " 現在" }
        (overview_counts(&o))
        (filter_summary(&o.problems, u.user.role != Role::Employer))
        (overview_form(f, &o, u.user.role))
        (overview_pager(f, &o))
        (overview_table(&o, u.user.role))
        @if o.total > PER_PAGE { (overview_pager(f, &o)) }
        p.hint { "見込み額は、公表されている支給要領に基づいて計算した目安です（経費は支払済みのものだけを数えます）。支給決定額は労働局が決定した額です。" }
        @if u.user.role == Role::Agent { (employer_table(&o)) }
        h2 #new-case { "新しい申請の準備" }
        form method="post" action="/cases/new" {
            input type="hidden" name="csrf" value=(u.csrf);
            @if u.user.role == Role::Agent {
                label for="organization_id" { "事業主" }
                @if let Some(m) = bad("organization_id") { p.field-error #organization_id-error { (m) } }
                select #organization_id name="organization_id" aria-invalid=[bad("organization_id").map(|_| "true")] aria-describedby=[bad("organization_id").map(|_| "organization_id-error")] {
                    @for e in &o.employers { option value=(e.id) selected[new.organization_id.as_deref() == Some(e.id.to_string().as_str())] { (e.name) } }
                }
            }
            label for="title" { "件名" span.hint { "　申請の一覧に表示する名前です（200文字まで）" } }
            @if let Some(m) = bad("title") { p.field-error #title-error { (m) } }
            input #title type="text" name="title" required maxlength="200" value=(new.title) placeholder="例: 2026年度 テレワーク導入" aria-invalid=[bad("title").map(|_| "true")] aria-describedby=[bad("title").map(|_| "title-error")];
            button type="submit" { "作成する" }
        }
    };
    (status, page(title, Some(u), body)).into_response()
}

/// The counts at the top, each a link to the cases it counts.
fn overview_counts(o: &Overview) -> Markup {
    let c = &o.counts;
    let status_link = |stage: Stage| format!("/cases?status={}", urlencode(stage.label()));
    html! {
        ul.tiles aria-label="件数" {
            li.urgent[c.due_this_week > 0] { a href=(format!("/cases?due_within={WEEK_DAYS}")) { strong { (c.due_this_week) "件" } "7日以内に期限" } }
            li.urgent[c.needs_action > 0] { a href="/cases?action=1" { strong { (c.needs_action) "件" } "要対応" } }
            li { a href=(status_link(Stage::UnderReview)) { strong { (c.under_review) "件" } "労働局の審査中" } }
            li { a href="/cases" { strong { (c.cases) "件" } "すべての申請" } }
        }
    }
}

/// The error summary of filters that could not be read, each linked to its
/// field on the form (an employer has no employer field).
fn filter_summary(problems: &[FilterProblem], employer_field: bool) -> Markup {
    let linked = |field: &str| field != "page" && (employer_field || field != "employer");
    html! {
        @if !problems.is_empty() {
            div.errors.error-summary role="alert" aria-labelledby="filter-errors" {
                h2 #filter-errors { "絞り込みの条件を確かめてください" }
                ul { @for p in problems {
                    li { @if linked(p.field) { a href=(format!("#{}", p.field)) { (p.message) } } @else { (p.message) } }
                } }
                p { "読み取れなかった条件を除いて表示しています。" }
            }
        }
    }
}

/// The inline message of `field`, if it has a problem.
fn field_problem<'a>(problems: &'a [FilterProblem], field: &str) -> Option<&'a FilterProblem> {
    problems.iter().find(|p| p.field == field)
}

/// The overview's filter form: what the user typed stays in it.
fn overview_form(f: &Filters, o: &Overview, role: Role) -> Markup {
    let v = |x: &Option<String>| x.clone().unwrap_or_default();
    let status = v(&f.status);
    let sort = v(&f.sort);
    let employer = v(&f.employer);
    let bad = |field: &str| field_problem(&o.problems, field);
    let error = |field: &str| {
        html! { @if let Some(p) = bad(field) { p.field-error id=(format!("{field}-error")) { (p.message) } } }
    };
    let described = |field: &str| bad(field).map(|_| format!("{field}-error"));
    html! {
        form.filters.overview-filters method="get" action="/cases" role="search" aria-label="申請の絞り込み" {
            div { label for="q" { "件名・事業主名" }
                input #q type="search" name="q" maxlength="100" value=(v(&f.q)) aria-invalid=[bad("q").map(|_| "true")] aria-describedby=[described("q")];
                (error("q")) }
            @if role != Role::Employer {
                div { label for="employer" { "事業主" }
                    select #employer name="employer" aria-invalid=[bad("employer").map(|_| "true")] aria-describedby=[described("employer")] {
                        option value="" { "すべての事業主" }
                        @for e in &o.employers { option value=(e.id) selected[employer == e.id.to_string()] { (e.name) } }
                    }
                    (error("employer")) }
            }
            div { label for="status" { "状態" }
                select #status name="status" aria-invalid=[bad("status").map(|_| "true")] aria-describedby=[described("status")] {
                    option value="" { "すべて" }
                    @for s in Stage::ALL { option value=(s.label()) selected[status == s.label()] { (s.label()) } }
                }
                (error("status")) }
            div { label for="due_within" { "期限まで（日以内）" }
                input #due_within type="text" inputmode="numeric" size="5" maxlength="5" name="due_within" value=(v(&f.due_within)) aria-invalid=[bad("due_within").map(|_| "true")] aria-describedby=[described("due_within")];
                (error("due_within")) }
            div { label for="sort" { "並び順" }
                select #sort name="sort" aria-invalid=[bad("sort").map(|_| "true")] aria-describedby=[described("sort")] {
                    @for (key, label) in SORTS { option value=(key) selected[sort == *key || (sort.is_empty() && *key == "deadline")] { (label) } }
                }
                (error("sort")) }
            div.check { label for="action" {
                input #action type="checkbox" name="action" value="1" checked[f.action.as_deref() == Some("1")] aria-invalid=[bad("action").map(|_| "true")] aria-describedby=[described("action")];
                " 要対応のみ" }
                (error("action")) }
            div { button type="submit" { "絞り込む" } " " a.clear href="/cases" { "条件を解除" } }
        }
    }
}

/// The query string of the overview's filters at `page`.
fn overview_query(f: &Filters, page: i64) -> String {
    let v = |o: &Option<String>| urlencode(o.as_deref().unwrap_or(""));
    format!(
        "q={}&employer={}&status={}&due_within={}&action={}&sort={}&page={page}",
        v(&f.q),
        v(&f.employer),
        v(&f.status),
        v(&f.due_within),
        v(&f.action),
        v(&f.sort)
    )
}

/// "全120件中 1〜50件" and the links to the previous and next pages.
fn overview_pager(f: &Filters, o: &Overview) -> Markup {
    let last = if o.rows.is_empty() {
        0
    } else {
        o.first + o.rows.len() as i64 - 1
    };
    html! {
        nav.pager aria-label="ページ" {
            p { "全" (o.total) "件中 " (o.first) "〜" (last) "件（" (o.page) " / " (o.pages) "ページ）" }
            @if o.page > 1 { a rel="prev" href=(format!("/cases?{}", overview_query(f, o.page - 1))) { "← 前の50件" } }
            @if o.page < o.pages { " " a rel="next" href=(format!("/cases?{}", overview_query(f, o.page + 1))) { "次の50件 →" } }
        }
    }
}

/// One subsidy's figure: 支給決定額, 不支給決定, or the 見込み額.
fn amount_line(a: &SubsidyAmount) -> Markup {
    html! {
        span.subsidy { (a.subsidy) } br;
        @match &a.amount {
            Amount::Decided { granted: true, yen, .. } => { span.ok { "支給決定額 " strong { (yen_i(*yen)) } } }
            Amount::Decided { granted: false, .. } => { span.ng { "不支給決定" } }
            Amount::Expected { yen, failing: false } => { "見込み額 " (yen_i(*yen)) }
            Amount::Expected { yen, failing: true } => { "見込み額 " (yen_i(*yen)) br; span.ng { "（このままでは要件を満たしません）" } }
        }
    }
}

fn yen_i(n: i64) -> String {
    yen(u64::try_from(n).unwrap_or(0))
}

/// The overview's rows: a table on a wide screen, a card per case on a phone.
fn overview_table(o: &Overview, role: Role) -> Markup {
    html! {
        div.table-wrap { table.overview.to-cards {
            caption.visually-hidden { "申請の一覧" }
            thead { tr {
                th scope="col" { "事業主" }
                th scope="col" { "申請" }
                th scope="col" { "状態" }
                th scope="col" { "次の期限" }
                th scope="col" { "見込み額・支給決定額" }
            } }
            tbody {
                @for r in &o.rows {
                    tr.needs-action[!r.attention.is_empty()] {
                        td data-label="事業主" { (r.organization) }
                        td.case data-label="申請" {
                            a href=(format!("/cases/{}", r.case.id)) { (r.case.title) }
                            @if !r.attention.is_empty() {
                                " " span.badge { "要対応" }
                                ul.attention { @for a in &r.attention { li { (a.message()) } } }
                            }
                        }
                        td data-label="状態" { (r.stage_text) }
                        td data-label="次の期限" {
                            @match &r.deadline {
                                None => { "—" }
                                Some(d) => {
                                    (d.label) br;
                                    strong { (jd(d.date)) }
                                    " " span.days-left.urgent[d.days_left <= WEEK_DAYS] { "あと" (d.days_left) "日" }
                                }
                            }
                        }
                        td.amounts data-label="見込み額・支給決定額" {
                            @if r.amounts.is_empty() { "—" }
                            @for (i, a) in r.amounts.iter().enumerate() { @if i > 0 { br; } (amount_line(a)) }
                        }
                    }
                }
                @if o.rows.is_empty() {
                    tr { td colspan="5" {
                        @if o.counts.cases == 0 {
                            @if role == Role::Agent { "まだ申請はありません。下の「新しい申請の準備」から、事業主の申請を作成できます。" }
                            @else { "まだ申請はありません。下の「新しい申請の準備」から作成できます。" }
                        } @else { "条件に合う申請はありません。" }
                    } }
                }
            }
        } }
    }
}

/// Every employer that delegated to the 社労士, with its counts and a link to its cases.
fn employer_table(o: &Overview) -> Markup {
    html! {
        h2 #employers { "委任を受けている事業主（" (o.employers.len()) "）" }
        @if o.employers.is_empty() {
            p { "委任を受けている事業主はまだありません。事業主がこのサービスで委任の手続きをすると、ここに表示されます。" }
        } @else {
            div.table-wrap { table.employers.to-cards {
                caption.visually-hidden { "委任を受けている事業主" }
                thead { tr { th scope="col" { "事業主" } th.num scope="col" { "申請" } th.num scope="col" { "要対応" } th.num scope="col" { "7日以内に期限" } } }
                tbody { @for e in &o.employers {
                    tr {
                        td data-label="事業主" { a href=(format!("/cases?employer={}", e.id)) { (e.name) } }
                        td.num data-label="申請" { (e.cases) "件" }
                        td.num data-label="要対応" {
                            @if e.needs_action > 0 { a.ng href=(format!("/cases?employer={}&action=1", e.id)) { (e.needs_action) "件" } } @else { "0件" }
                        }
                        td.num data-label="7日以内に期限" {
                            @if e.due_this_week > 0 { a.ng href=(format!("/cases?employer={}&due_within={WEEK_DAYS}", e.id)) { (e.due_this_week) "件" } } @else { "0件" }
                        }
                    }
                } }
            } }
        }
    }
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
        "申請番号",
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
        assert_eq!(
            problems.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            ["status", "due_within", "min_amount"],
            "each problem names the field to mark: {problems:?}"
        );
        assert_eq!(
            (q.status, q.due_by, q.min_amount, q.offset),
            (None, None, None, 0)
        );
    }
}
