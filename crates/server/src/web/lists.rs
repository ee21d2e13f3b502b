//! The lists of cases: the officers' queue (`/queue`, with its CSV and Excel
//! exports and the assignment of a case, `POST /queue/assign`) and everyone
//! else's case list (`/cases`). Both read evaluation snapshots, filter, sort
//! and page in the database (50 a page), so a load costs the same with 20
//! cases or 20,000.

use super::{api_error_page, error_page, jd, page, urlencode, yen, CsrfForm, WebUser};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use jiff::civil::Date;
use josei_app::access::scope_of;
use josei_app::deadlines::days_after;
use josei_app::overview::{
    overview, Amount, FilterProblem, Filters, Overview, Stage, SubsidyAmount, SORTS, WEEK_DAYS,
};
use josei_app::queue::{self as q, ExportRow, View};
use josei_app::snapshots::refresh_snapshots;
use josei_store::{Assignee, CaseId, ListQuery, ListedCase, Role, Sort, Status, User, Verdict};
use maud::{html, Markup};
use unicode_normalization::UnicodeNormalization;

/// The lists: cases, the officers' queue and its exports.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/cases", get(case_list))
        .route("/queue", get(queue))
        .route("/queue/assign", post(assign))
        .route("/queue.csv", get(queue_csv))
        .route("/queue.xlsx", get(queue_xlsx))
}
use serde::Deserialize;

/// Rows on one page of a list.
pub const PER_PAGE: i64 = 50;

/// The queue's view, filters, order and page, as the form and the links
/// send them.
#[derive(Deserialize, Default, Clone)]
pub(super) struct ListParams {
    view: Option<String>,
    status: Option<String>,
    assignee: Option<String>,
    due_within: Option<String>,
    min_amount: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

/// The queue's orders: the key a link sends, its words, and the store's order.
const QUEUE_SORTS: &[(&str, &str, Sort)] = &[
    ("processing", "処理期限の近い順", Sort::Processing),
    ("processing_desc", "処理期限の遠い順", Sort::ProcessingDesc),
    (
        "received",
        "受付日の古い順（待ち日数の多い順）",
        Sort::Received,
    ),
    (
        "received_desc",
        "受付日の新しい順（待ち日数の少ない順）",
        Sort::ReceivedDesc,
    ),
    ("amount", "支給見込み額の多い順", Sort::Amount),
    ("amount_asc", "支給見込み額の少ない順", Sort::AmountAsc),
    ("employer", "事業主名の順", Sort::Employer),
    ("employer_desc", "事業主名の逆順", Sort::EmployerDesc),
    ("number", "申請番号の小さい順", Sort::Number),
    ("newest", "申請番号の大きい順", Sort::Newest),
    ("deadline", "申請者の次の期限が近い順", Sort::Deadline),
];

/// The order a view shows when none is chosen.
fn default_sort(view: View) -> &'static str {
    match view {
        View::Waiting => "processing",
        _ => "received_desc",
    }
}

/// What the queue shows: the store's query, the view, and a message for each
/// parameter that could not be read, with the id of its field (that
/// parameter is then left out, never guessed).
struct Read {
    query: ListQuery,
    view: View,
    sort: &'static str,
    problems: Vec<(&'static str, String)>,
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(|s| s.nfkc().collect::<String>())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn to_query(p: &ListParams, today: Date, me: &User) -> Read {
    let mut problems = Vec::new();
    // Without a view, a status chosen picks the view that lists it (links
    // made before the views keep working).
    let inferred = text(&p.status)
        .and_then(|s| Status::parse(&s))
        .and_then(|s| View::ALL.into_iter().find(|v| v.statuses().contains(&s)))
        .unwrap_or_default();
    let view = match text(&p.view) {
        None => inferred,
        Some(v) => View::parse(&v).unwrap_or_else(|| {
            problems.push((
                "view",
                "表示する一覧は「要対応」「決定済み」「すべて」「取下げ」から選んでください。"
                    .to_string(),
            ));
            View::default()
        }),
    };
    let mut q = ListQuery {
        statuses: view.statuses(),
        processing_days: q::processing_days(),
        ..Default::default()
    };
    if let Some(s) = text(&p.status) {
        match Status::parse(&s).filter(|s| q.statuses.contains(s)) {
            Some(st) => q.status = Some(st),
            None => problems.push((
                "status",
                format!(
                    "状態は「{}」の一覧にある状態から選んでください。",
                    view.label()
                ),
            )),
        }
    }
    if let Some(a) = text(&p.assignee) {
        match a.as_str() {
            "me" => q.assignee = Some(Assignee::User(me.id)),
            "none" => q.assignee = Some(Assignee::Nobody),
            _ => problems.push((
                "assignee",
                "担当者は「自分の担当」「未割当」から選んでください。".to_string(),
            )),
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
        match m.replace([',', '，', '円'], "").parse::<i64>() {
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
    let mut sort = default_sort(view);
    if let Some(s) = text(&p.sort) {
        match QUEUE_SORTS.iter().find(|(k, _, _)| *k == s) {
            Some((k, _, _)) => sort = k,
            None => problems.push(("sort", "並び順は一覧から選んでください。".to_string())),
        }
    }
    q.sort = QUEUE_SORTS
        .iter()
        .find(|(k, _, _)| *k == sort)
        .map(|(_, _, s)| *s)
        .unwrap_or_default();
    let page = match text(&p.page) {
        None => 1,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (1..=1_000_000).contains(&n) => n,
            _ => {
                problems.push((
                    "page",
                    "ページは 1 以上の番号で指定してください。1ページ目を表示しています。"
                        .to_string(),
                ));
                1
            }
        },
    };
    q.offset = (page - 1) * PER_PAGE;
    q.limit = Some(PER_PAGE);
    Read {
        query: q,
        view,
        sort,
        problems,
    }
}

/// The query string of `p` with `view`, `sort` and `page` (for the tabs, the
/// column headers, the pager and the exports). The status belongs to a view
/// and is dropped when the view changes.
fn query_string(p: &ListParams, view: View, sort: Option<&str>, page: Option<i64>) -> String {
    let v = |o: &Option<String>| urlencode(o.as_deref().unwrap_or(""));
    let current = text(&p.view)
        .and_then(|v| View::parse(&v))
        .or_else(|| {
            let s = Status::parse(&text(&p.status)?)?;
            View::ALL.into_iter().find(|v| v.statuses().contains(&s))
        })
        .unwrap_or_default();
    let same_view = current == view;
    let mut s = format!(
        "view={}&status={}&assignee={}&due_within={}&min_amount={}&q={}&sort={}",
        view.key(),
        if same_view {
            v(&p.status)
        } else {
            String::new()
        },
        v(&p.assignee),
        v(&p.due_within),
        v(&p.min_amount),
        v(&p.q),
        urlencode(sort.unwrap_or(p.sort.as_deref().unwrap_or(""))),
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
            html! { span class=(class) { (v.label_ja()) } " " (yen(amount)) }
        }
        None if error => html! { span.pending { "入力を確認" } },
        None => html! { "—" },
    }
}

/// The tabs of the views with their counts, and the counts per status of
/// the view shown.
fn view_tabs(p: &ListParams, view: View, counts: &q::Counts) -> Markup {
    html! {
        nav.queue-views aria-label="一覧の切り替え" {
            ul {
                @for v in View::ALL {
                    li {
                        a href=(format!("/queue?{}", query_string(p, v, Some(""), None))) aria-current=[(v == view).then_some("page")] {
                            (v.label()) " " span.count { (counts.view(v)) "件" }
                        }
                    }
                }
            }
        }
        @let statuses = view.statuses();
        @if statuses.len() > 1 {
            ul.status-counts aria-label="状態ごとの件数" {
                @for s in &statuses {
                    @let n = counts.status(*s);
                    @if n > 0 { li { (s.label_ja()) " " strong { (n) "件" } } }
                }
            }
        }
    }
}

/// The filter form of the queue, each field that could not be read marked
/// and explained.
fn filter_form(p: &ListParams, r: &Read) -> Markup {
    let problems = &r.problems;
    let problem = |f: &str| problems.iter().find(|(k, _)| *k == f).map(|(_, m)| m);
    let invalid = |f: &str| problem(f).map(|_| "true");
    let described = |f: &str| problem(f).map(|_| format!("{f}-error"));
    let error = |f: &str| {
        html! { @if let Some(m) = problem(f) { p.field-error id=(format!("{f}-error")) { (m) } } }
    };
    let status = p.status.clone().unwrap_or_default();
    let assignee = p.assignee.clone().unwrap_or_default();
    html! {
        form.filters method="get" action="/queue" role="search" aria-label="審査の一覧の絞り込み" {
            input type="hidden" name="view" value=(r.view.key());
            div { label for="q" { "事業主名・件名・申請番号・雇用保険適用事業所番号" } input #q type="search" name="q" maxlength="100" value=(p.q.clone().unwrap_or_default()); }
            div { label for="status" { "状態" }
                (error("status"))
                select #status name="status" aria-invalid=[invalid("status")] aria-describedby=[described("status")] {
                    option value="" { "すべて" }
                    @for s in r.view.statuses() { option value=(s.as_str()) selected[status == s.as_str()] { (s.label_ja()) } }
                }
            }
            div { label for="assignee" { "担当者" }
                (error("assignee"))
                select #assignee name="assignee" aria-invalid=[invalid("assignee")] aria-describedby=[described("assignee")] {
                    option value="" { "すべて" }
                    option value="me" selected[assignee == "me"] { "自分の担当" }
                    option value="none" selected[assignee == "none"] { "未割当" }
                }
            }
            div { label for="due_within" { "申請者の期限まで（日以内）" } (error("due_within")) input #due_within type="text" inputmode="numeric" maxlength="5" name="due_within" value=(p.due_within.clone().unwrap_or_default()) aria-invalid=[invalid("due_within")] aria-describedby=[described("due_within")]; }
            div { label for="min_amount" { "支給見込み額（円以上）" } (error("min_amount")) input #min_amount type="text" inputmode="numeric" maxlength="15" name="min_amount" value=(p.min_amount.clone().unwrap_or_default()) aria-invalid=[invalid("min_amount")] aria-describedby=[described("min_amount")]; }
            div { label for="sort" { "並び順" }
                (error("sort"))
                select #sort name="sort" aria-invalid=[invalid("sort")] aria-describedby=[described("sort")] {
                    @for (key, label, _) in QUEUE_SORTS { option value=(key) selected[r.sort == *key] { (label) } }
                }
            }
            div { button type="submit" { "絞り込む" } " " a.clear href=(format!("/queue?view={}", r.view.key())) { "条件を解除" } }
        }
    }
}

/// "全120件中 1〜50件" and the links to the previous and next pages.
fn pager(p: &ListParams, r: &Read, shown: usize, total: i64) -> Markup {
    let page = r.query.offset / PER_PAGE + 1;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let first = if shown == 0 { 0 } else { r.query.offset + 1 };
    let last = r.query.offset + shown as i64;
    let link = |n: i64| format!("/queue?{}", query_string(p, r.view, Some(r.sort), Some(n)));
    html! {
        nav.pager aria-label="ページ" {
            p { "全" (total) "件中 " (first) "〜" (last) "件（" (page) " / " (pages) "ページ）" }
            @if page > 1 { a rel="prev" href=(link(page - 1)) { "← 前の50件" } }
            @if page < pages { " " a rel="next" href=(link(page + 1)) { "次の50件 →" } }
        }
    }
}

/// A column header that sorts by it: the first click in its natural
/// direction, the next the other way.
fn sort_header(
    p: &ListParams,
    r: &Read,
    label: &str,
    first: &str,
    second: &str,
    class: Option<&str>,
) -> Markup {
    let (aria, next, mark) = if r.sort == first {
        (
            Some(
                if first.ends_with("_desc") || first == "amount" || first == "newest" {
                    "descending"
                } else {
                    "ascending"
                },
            ),
            second,
            " ▲",
        )
    } else if r.sort == second {
        (
            Some(
                if second.ends_with("_desc") || second == "amount" || second == "newest" {
                    "descending"
                } else {
                    "ascending"
                },
            ),
            first,
            " ▼",
        )
    } else {
        (None, first, "")
    };
    html! {
        th scope="col" class=[class] aria-sort=[aria] {
            a href=(format!("/queue?{}", query_string(p, r.view, Some(next), None))) { (label) span aria-hidden="true" { (mark) } }
        }
    }
}

fn day(s: Option<&str>) -> Option<Date> {
    s.and_then(|s| s.get(..10)).and_then(|s| s.parse().ok())
}

/// The assignment form of one row: the officers of the case's bureau.
fn assign_form(u: &WebUser, r: &ListedCase, officers: &[User], back: &str) -> Markup {
    let id = format!("assignee-{}", r.case.id);
    html! {
        form.assign.inline method="post" action="/queue/assign" {
            input type="hidden" name="csrf" value=(u.csrf);
            input type="hidden" name="case_id" value=(r.case.id);
            input type="hidden" name="back" value=(back);
            label.visually-hidden for=(id) { "申請番号" (r.case.id) "の担当者" }
            select id=(id) name="assignee" {
                option value="" selected[r.assignee_id.is_none()] { "未割当" }
                @for o in officers {
                    option value=(o.id) selected[r.assignee_id == Some(o.id)] {
                        @if o.id == u.user.id { "自分" } @else { (o.display_name) }
                    }
                }
            }
            " " button type="submit" { span.visually-hidden { "申請番号" (r.case.id) "の担当者を" } "変更" }
        }
    }
}

fn table(
    u: &WebUser,
    p: &ListParams,
    r: &Read,
    rows: &[ListedCase],
    today: Date,
    officers: &[User],
) -> Markup {
    let back = query_string(p, r.view, Some(r.sort), Some(r.query.offset / PER_PAGE + 1));
    html! {
        div.table-wrap { table.list.queue.to-cards {
            caption.visually-hidden { "審査の一覧（" (r.view.label()) "）" }
            thead { tr {
                (sort_header(p, r, "申請番号", "newest", "number", None))
                th scope="col" { "件名" }
                (sort_header(p, r, "事業主", "employer", "employer_desc", None))
                th scope="col" { "状態" }
                (sort_header(p, r, "受付日", "received_desc", "received", None))
                (sort_header(p, r, "待ち日数", "received", "received_desc", Some("num")))
                (sort_header(p, r, "処理期限", "processing", "processing_desc", None))
                th scope="col" { "担当者" }
                (sort_header(p, r, "支給見込み額", "amount", "amount_asc", Some("num")))
            } }
            tbody {
                @for row in rows {
                    @let received = day(row.received_on.as_deref());
                    @let due = received.and_then(|d| q::processing_deadline(row.case.status, d));
                    @let waiting = received.and_then(|d| q::days_waiting(row.case.status, d, today));
                    tr {
                        td data-label="申請番号" { (row.case.id) }
                        td.case data-label="件名" { a href=(format!("/cases/{}", row.case.id)) { (row.case.title) } }
                        td data-label="事業主" {
                            (row.organization)
                            @if let Some(n) = &row.employment_insurance_number { br; span.hint { "雇用保険 " (n) } }
                        }
                        td data-label="状態" { (row.case.status.label_ja()) }
                        td data-label="受付日" { @match received { Some(d) => (jd(d)), None => "—" } }
                        td.num data-label="待ち日数" { @match waiting { Some(n) => { (n) "日" }, None => "—" } }
                        td data-label="処理期限" {
                            @match due {
                                Some(d) => { span.urgent[d < today] { (jd(d)) } @if d < today { br; span.ng { "期限を過ぎています" } } }
                                None => "—",
                            }
                        }
                        td data-label="担当者" {
                            @if officers.is_empty() { (row.assignee.as_deref().unwrap_or("未割当")) }
                            @else { (assign_form(u, row, officers, &back)) }
                        }
                        td.num data-label="支給見込み額" {
                            span.subsidy { "導入助成 " }
                            (verdict_cell(row.snapshot.equipment, row.snapshot.equipment_yen, row.snapshot.input_error.is_some()))
                            @if row.snapshot.goal.is_some() { br; span.subsidy { "目標達成 " } (verdict_cell(row.snapshot.goal, row.snapshot.goal_yen, false)) }
                        }
                    }
                }
                @if rows.is_empty() { tr { td colspan="9" { "該当する申請はありません。" } } }
            }
        } }
    }
}

/// One page of the queue matching `p` (snapshots refreshed first), or every
/// matching row (`all`, for the exports), with today.
async fn listed(
    state: &AppState,
    u: &WebUser,
    p: &ListParams,
    all: bool,
) -> Result<(Read, Vec<ListedCase>, i64, Date), Response> {
    let scope = scope_of(state, &u.user)
        .await
        .map_err(|e| api_error_page(e, u))?;
    let today = refresh_snapshots(state, &scope)
        .await
        .map_err(|e| api_error_page(e, u))?;
    let mut read = to_query(p, today, &u.user);
    if all {
        read.query.offset = 0;
        read.query.limit = None;
    }
    let (rows, total) = state
        .db
        .list_page(&scope, &read.query)
        .await
        .map_err(|e| api_error_page(e, u))?;
    Ok((read, rows, total, today))
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

/// `GET /queue`: the bureau's cases, by default those waiting for its
/// decision, nearest processing deadline first.
pub(super) async fn queue(
    State(state): State<AppState>,
    u: WebUser,
    Query(p): Query<ListParams>,
) -> Response {
    if let Some(r) = officers_only(&u) {
        return r;
    }
    let (r, rows, total, today) = match listed(&state, &u, &p, false).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let counts = match q::counts(&state, &u.user).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, &u),
    };
    // Officers assign within their own bureau (administrators from the case page).
    let officers = match u.user.prefecture.filter(|_| u.user.role == Role::Officer) {
        Some(pref) => match q::officers(&state, pref).await {
            Ok(o) => o,
            Err(e) => return api_error_page(e, &u),
        },
        None => Vec::new(),
    };
    let qs = query_string(&p, r.view, Some(r.sort), None);
    let body = html! {
        h1 { "審査の一覧" }
        p.lead { (jd(today)) " 現在" }
        @if !r.problems.is_empty() {
            div.errors.error-summary role="alert" tabindex="-1" #error-summary {
                h2 { "絞り込みの条件を確かめてください" }
                ul { @for (f, m) in &r.problems {
                    li { @if *f == "view" || *f == "page" { (m) } @else { a href=(format!("#{f}")) { (m) } } }
                } }
                p { "読み取れなかった条件は使わずに表示しています。" }
            }
        }
        (view_tabs(&p, r.view, &counts))
        (filter_form(&p, &r))
        p.exports { a href=(format!("/queue.xlsx?{qs}")) { "Excel で書き出す" } "　" a href=(format!("/queue.csv?{qs}")) { "CSV で書き出す" } "（絞り込んだ全件）" }
        (pager(&p, &r, rows.len(), total))
        (table(&u, &p, &r, &rows, today, &officers))
        @if total > PER_PAGE { (pager(&p, &r, rows.len(), total)) }
        p.hint { "処理期限は、受付日から計画の審査は" (days_of(Status::PlanSubmitted)) "日、支給申請の審査は" (days_of(Status::EquipmentFiled)) "日として、このサービスが目安として示すものです（法令や要領で定められた期間ではありません）。" }
    };
    page("審査の一覧", Some(&u), body).into_response()
}

fn days_of(s: Status) -> i64 {
    q::PROCESSING_PERIODS
        .iter()
        .find(|p| p.status == s)
        .map(|p| p.days)
        .unwrap_or(0)
}

/// The assignment form as posted.
#[derive(Deserialize)]
pub(super) struct AssignForm {
    #[serde(default)]
    csrf: String,
    case_id: String,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    back: String,
}
super::has_csrf!(AssignForm);

/// `POST /queue/assign`: assigns a case to an officer of its bureau (or to no
/// one), then back to the queue as it was.
pub(super) async fn assign(
    State(state): State<AppState>,
    CsrfForm(u, f): CsrfForm<AssignForm>,
) -> Response {
    if let Some(r) = officers_only(&u) {
        return r;
    }
    let Ok(case_id) = f.case_id.trim().parse::<i64>().map(CaseId::from) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "見つかりません",
            "申請が見つかりません。",
            Some(&u),
        );
    };
    let assignee = match f.assignee.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(n) => Some(josei_store::UserId::from(n)),
            Err(_) => {
                return error_page(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "担当者を変更できませんでした",
                    "担当者は、一覧の選択肢から選んでください。",
                    Some(&u),
                )
            }
        },
    };
    if let Err(e) = q::assign(&state, &u.user, case_id, assignee).await {
        return api_error_page(e, &u);
    }
    // Back to the queue with the same filters: only a query string of ours.
    let back: String = f
        .back
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "%&=_.-+".contains(*c))
        .collect();
    Redirect::to(&format!("/queue?{back}#main")).into_response()
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

/// The queue's export rows (every case matching the filters, no paging) and
/// the file name for the user and day.
async fn export_rows(
    state: &AppState,
    u: &WebUser,
    p: &ListParams,
) -> Result<(Vec<ExportRow>, String), Response> {
    if let Some(r) = officers_only(u) {
        return Err(r);
    }
    let (_, rows, _, today) = listed(state, u, p, true).await?;
    let rows = q::export_rows(state, &rows, today)
        .await
        .map_err(|e| api_error_page(e, u))?;
    Ok((rows, q::export_name(&u.user, today)))
}

/// `attachment` with the Japanese name (RFC 5987 `filename*`) and an ASCII
/// fallback for clients that do not read it.
fn content_disposition(name: &str, ext: &str) -> String {
    let ascii: String = name
        .rsplit('_')
        .next()
        .filter(|d| d.chars().all(|c| c.is_ascii_digit()))
        .map(|d| format!("shinsa_ichiran_{d}"))
        .unwrap_or_else(|| "shinsa_ichiran".to_string());
    format!(
        "attachment; filename=\"{ascii}.{ext}\"; filename*=UTF-8''{}",
        crate::percent_encode(&format!("{name}.{ext}"), false)
    )
}

/// The export's cells as text, for the CSV (days as 2026-11-21, yen as digits).
fn export_texts(r: &ExportRow) -> Vec<String> {
    let d = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let n = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    vec![
        r.number.to_string(),
        r.title.clone(),
        r.employer.clone(),
        r.insurance_number.clone(),
        r.status.clone(),
        d(r.received),
        n(r.days_waiting),
        d(r.processing_deadline),
        r.assignee.clone(),
        d(r.next_deadline),
        n(r.expected_first),
        n(r.expected_goal),
        n(r.decided_first),
        n(r.decided_goal),
        d(r.decided_on),
    ]
}

/// The workbook of the export: one sheet, a bold filled header row that
/// stays in view, an autofilter, widths per column, yen and dates as Excel
/// numbers and dates with their formats.
fn workbook(rows: &[ExportRow]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("審査一覧")?;
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDE7F3))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let yen = Format::new().set_num_format("#,##0\"円\"");
    let date = Format::new().set_num_format("yyyy/mm/dd");
    let days = Format::new().set_num_format("0\"日\"");
    let widths = [
        10.0, 36.0, 28.0, 16.0, 22.0, 12.0, 10.0, 12.0, 14.0, 12.0, 18.0, 18.0, 18.0, 18.0, 12.0,
    ];
    for (c, (h, w)) in q::EXPORT_HEADER.iter().zip(widths).enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, *h, &header)?;
        sheet.set_column_width(c, w)?;
    }
    sheet.set_row_height(0, 32)?;
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        let put_date = |sheet: &mut rust_xlsxwriter::Worksheet, col: u16, d: Option<Date>| match d {
            Some(d) => sheet
                .write_datetime_with_format(row, col, d, &date)
                .map(|_| ()),
            None => Ok(()),
        };
        let put_number = |sheet: &mut rust_xlsxwriter::Worksheet,
                          col: u16,
                          n: Option<i64>,
                          f: &Format| {
            match n {
                Some(n) => sheet
                    .write_number_with_format(row, col, n as f64, f)
                    .map(|_| ()),
                None => Ok(()),
            }
        };
        sheet.write_number(row, 0, r.number as f64)?;
        // Text cells are never formulas: rust_xlsxwriter writes strings as strings.
        sheet.write_string(row, 1, &r.title)?;
        sheet.write_string(row, 2, &r.employer)?;
        sheet.write_string(row, 3, &r.insurance_number)?;
        sheet.write_string(row, 4, &r.status)?;
        put_date(sheet, 5, r.received)?;
        put_number(sheet, 6, r.days_waiting, &days)?;
        put_date(sheet, 7, r.processing_deadline)?;
        sheet.write_string(row, 8, &r.assignee)?;
        put_date(sheet, 9, r.next_deadline)?;
        put_number(sheet, 10, r.expected_first, &yen)?;
        put_number(sheet, 11, r.expected_goal, &yen)?;
        put_number(sheet, 12, r.decided_first, &yen)?;
        put_number(sheet, 13, r.decided_goal, &yen)?;
        put_date(sheet, 14, r.decided_on)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last = q::EXPORT_HEADER.len() as u16 - 1;
    sheet.autofilter(0, 0, rows.len() as u32, last)?;
    book.save_to_buffer()
}

pub(super) async fn queue_xlsx(
    State(state): State<AppState>,
    u: WebUser,
    Query(p): Query<ListParams>,
) -> Response {
    let (rows, name) = match export_rows(&state, &u, &p).await {
        Ok(r) => r,
        Err(page) => return page,
    };
    let bytes = match workbook(&rows) {
        Ok(b) => b,
        Err(e) => return api_error_page(josei_app::Error::internal(e.to_string()), &u),
    };
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                content_disposition(&name, "xlsx"),
            ),
        ],
        bytes,
    )
        .into_response()
}

pub(super) async fn queue_csv(
    State(state): State<AppState>,
    u: WebUser,
    Query(p): Query<ListParams>,
) -> Response {
    let (rows, name) = match export_rows(&state, &u, &p).await {
        Ok(r) => r,
        Err(page) => return page,
    };
    let header_row = q::EXPORT_HEADER.iter().map(|h| h.to_string()).collect();
    let out = josei_app::text::csv_table(
        std::iter::once(header_row).chain(rows.iter().map(export_texts)),
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                content_disposition(&name, "csv"),
            ),
        ],
        out,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officer() -> User {
        User {
            id: josei_store::UserId::from(7),
            username: "o".into(),
            display_name: "o".into(),
            role: Role::Officer,
            organization_id: None,
            prefecture: Some(13),
            disabled: false,
            email: None,
            registration_number: None,
            office_name: None,
            password_hash: String::new(),
        }
    }

    #[test]
    fn filters_are_read_or_named() {
        let today = jiff::civil::date(2026, 11, 21);
        let p = ListParams {
            view: Some("all".into()),
            status: Some("plan_submitted".into()),
            assignee: Some("me".into()),
            due_within: Some("10".into()),
            min_amount: Some("1,000".into()),
            q: Some(" 東京 ".into()),
            sort: Some("amount".into()),
            page: Some("3".into()),
        };
        let r = to_query(&p, today, &officer());
        assert!(r.problems.is_empty());
        let q = r.query;
        assert_eq!(r.view, View::All);
        assert_eq!(q.status, Some(Status::PlanSubmitted));
        assert_eq!(
            q.assignee,
            Some(Assignee::User(josei_store::UserId::from(7)))
        );
        assert_eq!(q.due_by.as_deref(), Some("2026-12-01"));
        assert_eq!(q.min_amount, Some(1000));
        assert_eq!(q.search.as_deref(), Some("東京"));
        assert_eq!(q.sort, Sort::Amount);
        assert_eq!((q.offset, q.limit), (100, Some(PER_PAGE)));
        let bad = ListParams {
            view: Some("drafts".into()),
            status: Some("draft".into()),
            assignee: Some("someone".into()),
            due_within: Some("soon".into()),
            min_amount: Some("-5".into()),
            sort: Some("price".into()),
            page: Some("zero".into()),
            ..Default::default()
        };
        let r = to_query(&bad, today, &officer());
        assert_eq!(
            r.problems.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            [
                "view",
                "status",
                "assignee",
                "due_within",
                "min_amount",
                "sort",
                "page"
            ],
            "each problem names the field to mark: {:?}",
            r.problems
        );
        let q = r.query;
        assert_eq!(
            (q.status, q.due_by, q.min_amount, q.assignee, q.offset),
            (None, None, None, None, 0)
        );
        assert_eq!((r.view, q.sort), (View::Waiting, Sort::Processing));
    }

    #[test]
    fn file_names_are_japanese_with_an_ascii_fallback() {
        let h = content_disposition("審査一覧_東京_20261121", "xlsx");
        assert!(
            h.starts_with(
                "attachment; filename=\"shinsa_ichiran_20261121.xlsx\"; filename*=UTF-8''%E5%AF%A9"
            ),
            "{h}"
        );
        assert!(h.ends_with(".xlsx"), "{h}");
    }
}
