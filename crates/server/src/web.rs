//! The web application, in Japanese: server-rendered HTML that works without
//! JavaScript. Public self-diagnosis; case dashboards for employers and their
//! 社労士; the queue and review pages for labour-bureau officers; printable
//! summaries. Forms carry the session's CSRF token; every action goes through
//! the same functions as the REST API ([`perform_action`], [`save_document`]).

use crate::error::ApiError;
use crate::{
    auth, case_view_and_evaluation, perform_action, save_document, today, visible_case, ActionBody,
    AppState,
};
use axum::extract::{Form, FromRequestParts, Multipart, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use jiff::civil::Date;
use josei_rules::civil::parse_iso_date;
use josei_rules::evaluate::{CheckStatus, Evaluation, SubsidyStatus};
use josei_rules::model::{Disqualification, ExpenseCategory, MeasureKind, Yen};
use josei_rules::wareki::format_wareki;
use josei_store::{Role, User};
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

mod lists;

/// The pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/style.css", get(stylesheet))
        .route("/plan.js", get(plan_script))
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout_submit))
        .route("/account", get(account_page).post(account_submit))
        .route("/diagnosis", get(diagnosis))
        .route("/cases", get(lists::case_list))
        .route("/cases/new", post(case_new))
        .route("/cases/{id}", get(case_page))
        .route("/cases/{id}/action", post(case_action))
        .route("/cases/{id}/import", post(import_preview))
        .route("/cases/{id}/attachments", post(attachment_upload))
        .route("/cases/{id}/import/confirm", post(import_confirm))
        .route("/cases/{id}/print", get(print_page))
        .route("/cases/{id}/plan", get(plan_page).post(plan_submit))
        .route("/queue", get(lists::queue))
        .route("/queue.csv", get(lists::queue_csv))
        .route("/queue.xlsx", get(lists::queue_xlsx))
}

// ---------------------------------------------------------------------------
// Formatting.

/// `2022-07-01（令和4年7月1日）`.
fn jdate(iso: &str) -> String {
    match parse_iso_date(iso) {
        Ok(d) => format!("{iso}（{}）", format_wareki(d)),
        Err(_) => iso.to_string(),
    }
}

fn jd(d: Date) -> String {
    jdate(&d.to_string())
}

fn yen(n: u64) -> String {
    Yen(n).to_string()
}

fn status_class(s: SubsidyStatus) -> &'static str {
    match s {
        SubsidyStatus::Payable => "ok",
        SubsidyStatus::Pending => "pending",
        SubsidyStatus::NotPayable => "ng",
    }
}

fn check_mark(s: CheckStatus) -> (&'static str, &'static str, &'static str) {
    match s {
        CheckStatus::Pass => ("○", "ok", "満たしている"),
        CheckStatus::Fail => ("×", "ng", "満たしていない"),
        CheckStatus::Pending => ("…", "pending", "判定待ち"),
    }
}

const ACTION_LABELS: &[(&str, &str)] = &[
    ("submit_plan", "計画を提出する"),
    ("return_plan", "差し戻す"),
    ("reject_plan", "不認定とする"),
    ("certify_plan", "計画を認定する"),
    ("start_evaluation", "評価期間を開始する"),
    ("file_equipment", "機器等導入助成を申請する"),
    ("grant_equipment", "機器等導入助成を支給決定する"),
    ("deny_equipment", "機器等導入助成を不支給とする"),
    ("start_goal_tracking", "目標達成に向けた取組を始める"),
    ("file_goal", "目標達成助成を申請する"),
    ("grant_goal", "目標達成助成を支給決定する"),
    ("deny_goal", "目標達成助成を不支給とする"),
    ("close", "完了にする"),
    ("withdraw", "取り下げる"),
];

/// The button's label for a case: from 令和7年度 the first subsidy is 制度導入助成.
fn action_label_for(name: &str, e: Option<&Evaluation>) -> String {
    let label = action_label(name);
    match e.map(|e| e.equipment_subsidy.name) {
        Some(first) => label.replace("機器等導入助成", first),
        None => label.to_string(),
    }
}

fn action_label(name: &str) -> &str {
    ACTION_LABELS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(name, |(_, l)| l)
}

// ---------------------------------------------------------------------------
// Layout.

fn page(title: &str, user: Option<&WebUser>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="ja" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " | テレワーク助成金 josei" }
                link rel="stylesheet" href="/style.css";
            }
            body {
                a.skip href="#main" { "本文へ移動" }
                header.site {
                    a.brand href="/" { "josei" span { "人材確保等支援助成金（テレワークコース）" } }
                    nav aria-label="メニュー" {
                        a href="/diagnosis" { "助成金の診断" }
                        @if let Some(u) = user {
                            @match u.user.role {
                                Role::Officer => { a href="/queue" { "審査の一覧" } }
                                _ => { a href="/cases" { "申請の一覧" } }
                            }
                            a href="/account" { "パスワードの変更" }
                            form.inline method="post" action="/logout" {
                                input type="hidden" name="csrf" value=(u.csrf);
                                button.link type="submit" { (u.user.display_name) " さん：ログアウト" }
                            }
                        } @else {
                            a href="/login" { "ログイン" }
                        }
                    }
                }
                main #main { (body) }
                footer.site { "josei — 判定エンジン " (josei_rules::ENGINE_VERSION) "。判定は公開資料に基づく目安です。最終的な判断は労働局が行います。" }
            }
        }
    }
}

async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

/// The plan editor's only script: live caps while typing (the page works without it).
async fn plan_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        PLAN_JS,
    )
        .into_response()
}

/// Served as `/plan.js`.
const PLAN_JS: &str = include_str!("../assets/plan.js");

/// Served as `/style.css`.
const STYLE: &str = include_str!("../assets/style.css");

/// An error page for an error the framework answered (no user at hand).
pub(crate) fn plain_error_page(status: StatusCode, message: &str) -> Response {
    let title = match status {
        StatusCode::NOT_FOUND => "ページが見つかりません",
        StatusCode::PAYLOAD_TOO_LARGE => "送信された内容が大きすぎます",
        s if s.is_server_error() => "ただいま処理できません",
        _ => "送信された内容を受け付けられません",
    };
    error_page(status, title, message, None)
}

fn error_page(status: StatusCode, title: &str, message: &str, user: Option<&WebUser>) -> Response {
    (
        status,
        page(
            title,
            user,
            html! { h1 { (title) } p { (message) } p { a href="/" { "最初のページへ" } } },
        ),
    )
        .into_response()
}

// ---------------------------------------------------------------------------
// The signed-in user of a page.

/// The user of a page and the session's CSRF token for its forms.
pub struct WebUser {
    pub user: User,
    pub csrf: String,
}

async fn web_user(parts: &Parts, state: &AppState) -> Option<WebUser> {
    let token = auth::session_token(&parts.headers)?;
    let (user, csrf) = state.db.session(&auth::token_hash(&token)).await.ok()??;
    Some(WebUser { user, csrf })
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match web_user(parts, state).await {
            Some(u) => Ok(u),
            None => Err(
                Redirect::to(&format!("/login?next={}", urlencode(parts.uri.path())))
                    .into_response(),
            ),
        }
    }
}

/// A page that anyone may see, signed in or not.
pub struct MaybeUser(pub Option<WebUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(web_user(parts, state).await))
    }
}

fn urlencode(s: &str) -> String {
    crate::percent_encode(s, true)
}

/// Forms must carry the session's CSRF token: the error page when they do not.
fn csrf_error(u: &WebUser, sent: &str) -> Option<Response> {
    if auth::constant_time_eq(sent.as_bytes(), u.csrf.as_bytes()) {
        None
    } else {
        Some(error_page(StatusCode::FORBIDDEN, "送信できませんでした", "画面の有効期限が切れたか、不正な送信です。ページを読み込み直してから、もう一度操作してください。", Some(u)))
    }
}

// ---------------------------------------------------------------------------
// Home, login, logout.

async fn home(MaybeUser(user): MaybeUser) -> Response {
    match user.as_ref().map(|u| u.user.role) {
        Some(Role::Officer) => Redirect::to("/queue").into_response(),
        Some(_) => Redirect::to("/cases").into_response(),
        None => page(
            "ようこそ",
            None,
            html! {
                h1 { "テレワーク導入の助成金を、確実に。" }
                p { "人材確保等支援助成金（テレワークコース）の要件・期限・金額を、制度の条文どおりに判定します。" }
                div.cards {
                    div.card { h2 { "まず診断する" } p { "いくつかの質問に答えると、対象になるか、いくら受け取れそうか、いつまでに何をするかが分かります。ログインは不要です。" } a.button href="/diagnosis" { "助成金の診断へ" } }
                    div.card { h2 { "ケースを管理する" } p { "事業主・社会保険労務士・労働局の職員の方はログインしてください。" } a.button href="/login" { "ログイン" } }
                }
            },
        )
        .into_response(),
    }
}

#[derive(Deserialize, Default)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    login_csrf: String,
}

#[derive(Deserialize, Default)]
struct NextQuery {
    next: Option<String>,
}

/// The login page with a fresh form token, set as a cookie too: a post is
/// accepted only when both agree.
fn login_form(
    status: StatusCode,
    secure: bool,
    username: &str,
    next: &str,
    error: Option<&str>,
) -> Response {
    let token = auth::new_token();
    let markup = page(
        "ログイン",
        None,
        html! {
            h1 { "ログイン" }
            @if let Some(e) = error { p.errors role="alert" { (e) } }
            form method="post" action="/login" {
                input type="hidden" name="next" value=(next);
                input type="hidden" name="login_csrf" value=(token);
                label for="username" { "ユーザー名" }
                input #username type="text" name="username" value=(username) autocomplete="username" required;
                label for="password" { "パスワード" }
                input #password type="password" name="password" autocomplete="current-password" required;
                button type="submit" { "ログイン" }
            }
        },
    );
    let mut res = (status, markup).into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::login_cookie(&token, secure)) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

async fn login_page(State(state): State<AppState>, Query(q): Query<NextQuery>) -> Response {
    login_form(
        StatusCode::OK,
        state.secure_cookies,
        "",
        safe_next(q.next.as_deref().unwrap_or("/")),
        None,
    )
}

/// Only paths on this site are followed after login: a single leading `/`,
/// no backslash, whitespace or control character anywhere (browsers drop tabs
/// and newlines, so `/\t/evil.example/` would become `//evil.example/`), and
/// nothing a `Location` header could not carry.
fn safe_next(next: &str) -> &str {
    let ok = next.starts_with('/')
        && !next[1..].starts_with(['/', '\\'])
        && next.len() <= 2_000
        && !next
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    if ok {
        next
    } else {
        "/"
    }
}

async fn login_submit(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: axum::http::HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    // The form must come from the login page this browser was given.
    let from_our_form = auth::login_token(&headers)
        .is_some_and(|t| auth::constant_time_eq(t.as_bytes(), f.login_csrf.as_bytes()));
    if !from_our_form {
        return login_form(
            StatusCode::FORBIDDEN,
            state.secure_cookies,
            "",
            safe_next(&f.next),
            Some("ログイン画面の有効期限が切れたか、別のサイトからの送信です。もう一度ログインしてください。"),
        );
    }
    // Rate limits count per user and per client address, as for the API.
    let client = crate::client_address(peer, &headers, state.trusted_proxy);
    match crate::login_session(&state, &f.username, &f.password, &client).await {
        Ok((_, token, _)) => {
            let mut res = Redirect::to(safe_next(&f.next)).into_response();
            if let Ok(v) =
                HeaderValue::from_str(&auth::session_cookie(&token, state.secure_cookies))
            {
                res.headers_mut().insert(header::SET_COOKIE, v);
            }
            res
        }
        Err(e) => login_form(
            e.status,
            state.secure_cookies,
            &f.username,
            safe_next(&f.next),
            Some(&e.message),
        ),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout_submit(
    State(state): State<AppState>,
    u: WebUser,
    headers: axum::http::HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Some(r) = csrf_error(&u, &f.csrf) {
        return r;
    }
    if let Some(t) = auth::session_token(&headers) {
        let _ = state.db.delete_session(&auth::token_hash(&t)).await;
    }
    let mut res = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::clear_cookie(state.secure_cookies)) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

// ---------------------------------------------------------------------------
// The account: changing one's password.

fn account_form(u: &WebUser, error: Option<&str>, done: bool) -> Markup {
    html! {
        h1 { "パスワードの変更" }
        @if done { p.notice role="status" { "パスワードを変更しました。ほかの端末のログインは終了しました。" } }
        @if let Some(e) = error { div.errors role="alert" { p { (e) } } }
        form method="post" action="/account" {
            input type="hidden" name="csrf" value=(u.csrf);
            label for="current_password" { "今のパスワード" }
            input #current_password type="password" name="current_password" autocomplete="current-password" required;
            label for="new_password" { "新しいパスワード" span.hint { "　" (auth::MIN_PASSWORD) "文字以上。ユーザー名と同じものは使えません" } }
            input #new_password type="password" name="new_password" autocomplete="new-password" required minlength=(auth::MIN_PASSWORD);
            button type="submit" { "変更する" }
        }
    }
}

async fn account_page(u: WebUser) -> Response {
    page("パスワードの変更", Some(&u), account_form(&u, None, false)).into_response()
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

async fn account_submit(
    State(state): State<AppState>,
    u: WebUser,
    headers: axum::http::HeaderMap,
    Form(f): Form<PasswordForm>,
) -> Response {
    if let Some(r) = csrf_error(&u, &f.csrf) {
        return r;
    }
    match crate::change_own_password(
        &state,
        &u.user,
        &headers,
        f.current_password,
        f.new_password,
    )
    .await
    {
        Ok(()) => page("パスワードの変更", Some(&u), account_form(&u, None, true)).into_response(),
        Err(e) => (
            e.status,
            page(
                "パスワードの変更",
                Some(&u),
                account_form(&u, Some(&e.message), false),
            ),
        )
            .into_response(),
    }
}

// ---------------------------------------------------------------------------
// The public self-diagnosis.

/// Expense categories asked about in the diagnosis, in the seed's order, with
/// their form fields (`x_` and the category).
const DIAGNOSIS_CATEGORIES: [(ExpenseCategory, &str); 14] = [
    (ExpenseCategory::WorkRules, "x_work_rules"),
    (ExpenseCategory::NetworkEquipment, "x_network_equipment"),
    (ExpenseCategory::ServerEquipment, "x_server_equipment"),
    (ExpenseCategory::NasEquipment, "x_nas_equipment"),
    (ExpenseCategory::SecurityEquipment, "x_security_equipment"),
    (
        ExpenseCategory::WebConferenceEquipment,
        "x_web_conference_equipment",
    ),
    (
        ExpenseCategory::SatelliteOfficeFee,
        "x_satellite_office_fee",
    ),
    (
        ExpenseCategory::TeleworkServiceInitial,
        "x_telework_service_initial",
    ),
    (
        ExpenseCategory::TeleworkServiceFee,
        "x_telework_service_fee",
    ),
    (ExpenseCategory::ManagerTraining, "x_manager_training"),
    (ExpenseCategory::WorkerTraining, "x_worker_training"),
    (ExpenseCategory::Consulting, "x_consulting"),
    (
        ExpenseCategory::PcTabletSmartphone,
        "x_pc_tablet_smartphone",
    ),
    (ExpenseCategory::PcRentalLease, "x_pc_rental_lease"),
];

async fn diagnosis(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let today = today(&state).await.unwrap_or(Date::MIN);
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let submitted_default = today.to_string();
    let asked = q.contains_key("industry");
    let mut errors: Vec<(&str, String)> = Vec::new();
    let mut result = None;
    if asked {
        match diagnose(&q, today) {
            Ok(r) => result = Some(r),
            Err(e) => errors = e,
        }
    }
    let err_for = |field: &str| {
        errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
    };
    let val = |k: &str, default: &str| {
        if q.contains_key(k) {
            get(k)
        } else {
            default.to_string()
        }
    };
    let checked = |k: &str, v: &str, default: bool| {
        if q.contains_key(k) {
            get(k) == v
        } else {
            default
        }
    };
    let body = html! {
        h1 { "助成金の診断" }
        p { "質問に答えて「診断する」を押してください。入力した内容は保存されません。" }
        @if !errors.is_empty() {
            div.errors role="alert" { p { "入力を確かめてください（" (errors.len()) "か所）。" } }
        }
        @if let Some(r) = &result { (r) h2 { "答えを変えて診断し直す" } }
        form method="get" action="/diagnosis" novalidate {
            fieldset {
                legend { "事業主について" }
                label for="industry" { "業種" }
                select #industry name="industry" {
                    @for (v, l) in [("retail", "小売業（飲食店を含む）"), ("service", "サービス業"), ("wholesale", "卸売業"), ("other", "その他の業種")] {
                        option value=(v) selected[val("industry", "other") == v] { (l) }
                    }
                }
                label for="capital" { "資本金・出資の総額（円）" span.hint { "　個人事業主など資本金がない場合は空欄" } }
                input #capital type="number" min="0" name="capital" value=(val("capital", "")) aria-describedby="capital-error";
                @if let Some(m) = err_for("capital") { p.field-error #capital-error { (m) } }
                label for="employees" { "常時雇用する労働者の数（人）" }
                input #employees type="number" min="0" name="employees" value=(val("employees", "")) required aria-describedby="employees-error";
                @if let Some(m) = err_for("employees") { p.field-error #employees-error { (m) } }
                fieldset.choices {
                    legend { "テレワークの状況" }
                    @for (v, l) in [("none", "これから導入する"), ("trial_ongoing", "試行中"), ("trial_ended", "試行したことがある"), ("expanding", "すでに実施していて、対象者や回数を拡大する"), ("established", "制度として定着している")] {
                        label { input type="radio" name="telework_status" value=(v) checked[checked("telework_status", v, v == "none")]; " " (l) }
                    }
                }
                fieldset.choices {
                    legend { "就業規則などに、テレワークの規定がすでにありますか" }
                    label { input type="radio" name="work_rules" value="no" checked[checked("work_rules", "no", true)]; " ない" }
                    label { input type="radio" name="work_rules" value="yes" checked[checked("work_rules", "yes", false)]; " ある" }
                }
                fieldset.choices {
                    legend { "過去にテレワーク導入の助成金を受けたことがありますか" }
                    label { input type="radio" name="prior" value="no" checked[checked("prior", "no", true)]; " ない" }
                    label { input type="radio" name="prior" value="yes" checked[checked("prior", "yes", false)]; " ある" }
                }
                fieldset.choices {
                    legend { "雇用保険の適用事業所ですか" }
                    label { input type="radio" name="insurance" value="yes" checked[checked("insurance", "yes", true)]; " はい" }
                    label { input type="radio" name="insurance" value="no" checked[checked("insurance", "no", false)]; " いいえ" }
                }
            }
            fieldset {
                legend { "いつ始めますか" }
                label for="submitted" { "取組を始める日（令和6年度までの制度では、計画を提出する日）" }
                p.hint { "この日付から、どの年度の制度が当てはまるかを判断します。令和7年度からは計画の提出・認定はなく、評価期間の前3か月に取組を行います。" }
                input #submitted type="date" name="submitted" value=(val("submitted", &submitted_default)) aria-describedby="submitted-error";
                @if let Some(m) = err_for("submitted") { p.field-error #submitted-error { (m) } }
                label for="certified" { "計画の認定の見込み日（令和6年度までの制度のみ）" span.hint { "　空欄なら提出の1か月後として計算します" } }
                input #certified type="date" name="certified" value=(val("certified", "")) aria-describedby="certified-error";
                @if let Some(m) = err_for("certified") { p.field-error #certified-error { (m) } }
                label for="targets" { "テレワークをする予定の労働者（対象労働者）の数" }
                input #targets type="number" min="1" name="targets" value=(val("targets", "3")) aria-describedby="targets-error";
                @if let Some(m) = err_for("targets") { p.field-error #targets-error { (m) } }
            }
            fieldset {
                legend { "予定している経費（税込・円）" }
                p.hint { "認定日より後に納品・支払をするものを入力してください。空欄は0円です。" }
                @for (c, key) in DIAGNOSIS_CATEGORIES {
                    label for=(key) { (c.label_ja()) }
                    input id=(key) type="number" min="0" name=(key) value=(val(key, "")) aria-describedby=(format!("{key}-error"));
                    @if let Some(m) = err_for(key) { p.field-error id=(format!("{key}-error")) { (m) } }
                }
            }
            button type="submit" { "診断する" }
        }
    };
    page("助成金の診断", user.as_ref(), body).into_response()
}

/// Builds a case from the diagnosis answers and renders the engine's verdict.
fn diagnose(
    q: &HashMap<String, String>,
    today: Date,
) -> Result<Markup, Vec<(&'static str, String)>> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let number = |k: &'static str,
                  required: bool,
                  errors: &mut Vec<(&'static str, String)>|
     -> Option<u64> {
        let v = get(k).replace(',', "");
        if v.is_empty() {
            if required {
                errors.push((k, "入力してください".into()));
            }
            return None;
        }
        match v.parse::<u64>() {
            Ok(n) if n <= 1_000_000_000_000_000 => Some(n),
            _ => {
                errors.push((
                    k,
                    format!("0以上の整数で入力してください（{v:?} は使えません）"),
                ));
                None
            }
        }
    };
    let capital = number("capital", false, &mut errors);
    let employees = number("employees", true, &mut errors);
    let targets = number("targets", true, &mut errors);
    if targets == Some(0) {
        errors.push(("targets", "1人以上を入力してください".into()));
    }
    let mut spend = Vec::new();
    for (c, key) in DIAGNOSIS_CATEGORIES {
        if let Some(n) = number(key, false, &mut errors) {
            if n > 0 {
                spend.push((c, n));
            }
        }
    }
    let date = |k: &'static str, errors: &mut Vec<(&'static str, String)>| -> Option<Date> {
        let v = get(k);
        if v.is_empty() {
            return None;
        }
        match parse_iso_date(&v) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push((k, format!("{v:?} は日付として使えません")));
                None
            }
        }
    };
    let start = date("submitted", &mut errors).unwrap_or(today);
    let set = josei_rules::regime::set();
    // The rules in force for a case that starts on `start`: a plan regime
    // covering it, else the no-plan regime of the evaluation period that
    // follows the 3 months of measures, else the newest regime.
    let plan_regime = set.for_submission(start);
    let certified = match (plan_regime, date("certified", &mut errors)) {
        (Some(_), Some(c)) if c < start => {
            errors.push(("certified", "提出予定日より後の日付にしてください".into()));
            start
        }
        (_, Some(c)) => c,
        (_, None) => josei_rules::civil::next_day(josei_rules::civil::period_end(start, 1)),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let targets = targets.unwrap_or(1);
    let employer = json!({
        "industry": get("industry"), "capital_yen": capital, "regular_employees": employees,
        "employment_insurance": get("insurance") != "no", "telework_status": get("telework_status"),
        "work_rules_have_telework": get("work_rules") == "yes", "received_telework_subsidy": get("prior") == "yes",
    });
    let target_workers = (0..targets.min(1000))
        .map(|i| json!({"id": format!("W{i}"), "employment": "direct"}))
        .collect::<Vec<_>>();
    let (doc, note) = match plan_regime {
        Some(r) => (
            json!({
                "regime": r.id,
                "as_of": start.to_string(),
                "employer": employer,
                "plan": {"submitted_on": start.to_string(), "certified_on": certified.to_string(), "target_workers": target_workers},
                "evaluation_start": certified.to_string(),
                "expenses": spend.iter().map(|(c, n)| json!({"id": c.as_str(), "category": c.as_str(), "amount_yen": n,
                    "delivered_on": certified.to_string(), "paid_on": certified.to_string()})).collect::<Vec<_>>(),
            }),
            format!(
                "{}の制度で判定しました（計画の提出日 {} の場合）",
                r.name,
                jd(start)
            ),
        ),
        None => {
            let evaluation_start =
                josei_rules::civil::next_day(josei_rules::civil::period_end(start, 3));
            let (r, note) = match set.for_evaluation_start(evaluation_start) {
                Some(r) => (r, format!(
                    "{}の制度で判定しました（{} から3か月の取組を行い、評価期間を {} から始める場合）",
                    r.name, jd(start), jd(evaluation_start)
                )),
                None => {
                    let newest = set.all().last().ok_or_else(|| vec![("submitted", "制度のデータがありません".to_string())])?;
                    (newest, format!(
                        "{} に始まる評価期間の制度はまだ公表されていないため、{}の制度で判定しました",
                        jd(evaluation_start), newest.name
                    ))
                }
            };
            (
                json!({
                    "regime": r.id,
                    "as_of": start.to_string(),
                    "employer": employer,
                    "plan": {"target_workers": target_workers},
                    "evaluation_start": evaluation_start.to_string(),
                    "expenses": spend.iter().map(|(c, n)| json!({"id": c.as_str(), "category": c.as_str(), "amount_yen": n,
                        "delivered_on": start.to_string(), "paid_on": start.to_string()})).collect::<Vec<_>>(),
                }),
                note,
            )
        }
    };
    let parsed = josei_rules::parse_case(&doc.to_string(), start).map_err(|e| {
        let field: &'static str = match e.field.as_str() {
            "employer.industry" => "industry",
            "employer.telework_status" => "employees",
            _ => "submitted",
        };
        vec![(field, e.message)]
    })?;
    let e = josei_rules::evaluate(&parsed);
    let employer_ids = [
        "employment_insurance",
        "sme",
        "telework_status",
        "no_telework_rules_at_plan",
        "no_prior_subsidy",
        "direct_target_worker",
    ];
    let employer_checks: Vec<_> = e
        .equipment_subsidy
        .checks
        .iter()
        .filter(|c| employer_ids.contains(&c.id))
        .collect();
    let eligible = employer_checks
        .iter()
        .all(|c| c.status == CheckStatus::Pass);
    let s = &e.schedule;
    let no_plan = parsed.regime.no_plan();
    let premium = match parsed.regime.params.premium_condition {
        josei_rules::regime::PremiumCondition::Productivity => "生産性要件",
        josei_rules::regime::PremiumCondition::Wage => "賃金要件（賃金5％以上の引上げ）",
        josei_rules::regime::PremiumCondition::None => "",
    };
    let (first, goal) = (&e.equipment_subsidy, &e.goal_subsidy);
    Ok(html! {
        section #result aria-live="polite" {
            h2 { "診断の結果" }
            p.regime-note { strong { (note) } }
            @if eligible {
                p.amount.ok { "対象になる見込みです" }
            } @else {
                p.amount.ng { "このままでは対象になりません" }
            }
            ul {
                @for c in &employer_checks {
                    @let (mark, class, _) = check_mark(c.status);
                    li { span class=(class) { (mark) " " } (c.message) " " span.citation { "（" (c.citation) "）" } }
                }
            }
            h2 { "受け取れる見込みの額" }
            div.cards {
                @match no_plan {
                    Some(np) => {
                        div.card { h3 { (first.name) } p.amount { (yen(if eligible { first.amount_yen.0 } else { 0 })) } p { "定額です。評価期間のテレワーク実績などの要件を満たした場合" } }
                        div.card { h3 { (goal.name) } p.amount { (yen(if eligible { np.goal_amount_yen } else { 0 })) } p { (premium) "を満たすと " (yen(np.goal_amount_premium_yen)) "。1年後の離職率と、テレワーク実績が評価期間以上であることが要件です" } }
                    }
                    None => {
                        div.card { h3 { (first.name) } p.amount { (yen(if eligible { first.amount_yen.0 } else { 0 })) } p { "対象経費 " (yen(e.expenses.eligible_total_yen.0)) " × " (first.rate_percent.unwrap_or(0)) "％（上限 " (yen(first.cap_yen.0)) "）" } }
                        div.card { h3 { (goal.name) } p.amount { (yen(if eligible { goal.amount_yen.0 } else { 0 })) } p { "対象経費 × " (goal.rate_percent.unwrap_or(0)) "％（" (premium) "を満たすと " (parsed.regime.plan().map_or(0, |p| p.goal_rate_premium_percent)) "％）。1年後の離職率とテレワークの実施人数の目標を達成した場合" } }
                    }
                }
            }
            @if !e.assumptions.is_empty() {
                details.assumptions {
                    summary { "未確認の前提（" (e.assumptions.len()) "件）" }
                    p.hint { "公式の支給要領で確認できていない値や、josei の解釈を含みます。最寄りの労働局で確認してください。" }
                    ul { @for a in &e.assumptions { li { (assumption_label(a.parameter)) "（" (a.grade.label_ja()) "）" } } }
                }
            }
            @if no_plan.is_none() && !e.expenses.categories.is_empty() {
                div.table-wrap { table {
                    caption { "経費の区分ごとの上限" }
                    thead { tr { th scope="col" { "区分" } th.num scope="col" { "予定額" } th.num scope="col" { "上限" } th.num scope="col" { "対象になる額" } } }
                    tbody { @for c in &e.expenses.categories {
                        tr { td { (c.category.label_ja()) } td.num { (yen(c.claimed_yen.0)) } td.num { (yen(c.cap_yen.0)) } td.num { (yen(c.eligible_yen.0)) } }
                    } }
                } }
            }
            @if no_plan.is_some() {
                h2 { "日程（取組を " (jd(start)) " に始めた場合）" }
            } @else {
                h2 { "日程（認定日を " (jd(certified)) " とした場合）" }
            }
            div.table-wrap { table {
                tbody {
                    @if no_plan.is_none() { tr { th scope="row" { "計画の提出" } td { (jd(start)) } } }
                    @if let Some(p) = s.measures_window { tr { th scope="row" { "取組（職場風土作り・就業規則・研修など）を行う期間" } td { (jd(p.from())) " 〜 " (jd(p.to())) } } }
                    @if let Some(p) = s.evaluation_window { tr { th scope="row" { "評価期間を設定できる期間" } td { (jd(p.from())) " 〜 " (jd(p.to())) } } }
                    @if let Some(p) = s.evaluation_period { tr { th scope="row" { @if no_plan.is_some() { "評価期間（3か月）" } @else { "評価期間（例: 認定日から3か月）" } } td { (jd(p.from())) " 〜 " (jd(p.to())) } } }
                    @if let Some(d) = s.equipment_application_deadline { tr { th scope="row" { (first.name) "の申請期限" } td { (jd(d.effective)) @if d.nominal != d.effective { " （本来の期限 " (jd(d.nominal)) " が閉庁日のため延長）" } } } }
                    @if let Some(p) = s.goal_evaluation_period { tr { th scope="row" { "目標達成助成の評価期間" } td { (jd(p.from())) " 〜 " (jd(p.to())) } } }
                    @if let Some(d) = s.goal_application_deadline { tr { th scope="row" { "目標達成助成の申請期限" } td { (jd(d.effective)) } } }
                }
            } }
            @if no_plan.is_some() {
                h2 { "評価期間の前3か月に行うこと" }
                div.notice { ul {
                    li { "全労働者に向けた、企業トップからのメッセージ発信・社内呼びかけと、テレワーク事例の収集・社内周知（職場風土作り。必須）" }
                    li { "就業規則等にテレワーク制度を整備すること" }
                    li { "外部専門家によるコンサルティング、労務管理担当者への研修、労働者への研修のいずれか1つ以上" }
                } }
            } @else {
                h2 { "認定の前にしてはいけないこと" }
                div.notice { ul {
                    li { "就業規則にテレワークの規定を追加・作成すること（認定日以降に整備します）" }
                    li { "テレワーク用の機器やサービスを購入・納品・支払すること（認定日より前のものは対象外です）" }
                } }
                p.hint { "PC・タブレット・スマートフォンの購入は助成の対象外です。旅費は研修・コンサルティングのものに限り合計1万1千円までです。" }
            }
        }
    })
}

/// A parameter's name for people (for 「未確認の前提」).
pub(crate) fn assumption_label(parameter: &str) -> &'static str {
    josei_rules::regime::ParamId::parse(parameter).map_or("その他の値", |p| p.label_ja())
}

// ---------------------------------------------------------------------------
// Case list, dashboard, actions.

fn deadline_text(d: &Value) -> Markup {
    html! {
        @if d.is_null() { "—" } @else {
            (d["label"].as_str().unwrap_or("")) "：" strong { (jdate(d["date"].as_str().unwrap_or(""))) }
            " あと" (d["days_left"]) "日"
        }
    }
}

#[derive(Deserialize)]
struct NewCaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    organization_id: Option<i64>,
}

async fn case_new(
    State(state): State<AppState>,
    u: WebUser,
    Form(f): Form<NewCaseForm>,
) -> Response {
    if let Some(r) = csrf_error(&u, &f.csrf) {
        return r;
    }
    let org = match u.user.role {
        Role::Employer => u.user.organization_id,
        Role::Agent => f.organization_id.filter(|_| true),
        _ => None,
    };
    let Some(org) = org else {
        return error_page(
            StatusCode::FORBIDDEN,
            "作成できません",
            "ケースを作れるのは事業主と、委任を受けた社労士です。",
            Some(&u),
        );
    };
    if u.user.role == Role::Agent
        && !state
            .db
            .agent_org_ids(u.user.id)
            .await
            .unwrap_or_default()
            .contains(&org)
    {
        return error_page(
            StatusCode::NOT_FOUND,
            "見つかりません",
            "その事業主は見つかりません。",
            Some(&u),
        );
    }
    let title = match crate::validate_title(&f.title) {
        Ok(t) => t,
        Err(e) => {
            return error_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "件名を確かめてください",
                &e.message,
                Some(&u),
            )
        }
    };
    match state.db.create_case(org, &title, u.user.id).await {
        Ok(c) => Redirect::to(&format!("/cases/{}", c.id)).into_response(),
        Err(e) => api_error_page(e.into(), &u),
    }
}

fn api_error_page(e: ApiError, u: &WebUser) -> Response {
    let title = match e.status {
        StatusCode::NOT_FOUND => "見つかりません",
        StatusCode::FORBIDDEN => "権限がありません",
        StatusCode::CONFLICT => "この操作はできません",
        _ => "エラー",
    };
    error_page(e.status, title, &e.message, Some(u))
}

/// The SVG bar chart of telework days per target worker in evaluation period 1.
fn telework_chart(per_worker: &[(String, u32)], period_days: u32, weekly_needed: u32) -> Markup {
    let width = 640;
    let bar_h = 22;
    let left = 90;
    let height = per_worker.len() as u32 * (bar_h + 8) + 30;
    let max = per_worker
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0)
        .max(weekly_needed)
        .max(1);
    let scale = |n: u32| (n as f64 / max as f64 * (width - left - 60) as f64) as u32;
    html! {
        svg width="100%" viewBox=(format!("0 0 {width} {height}")) role="img" aria-labelledby="chart-title" {
            title #chart-title { "対象労働者ごとのテレワーク日数（評価期間 " (period_days) "日）" }
            @for (i, (w, n)) in per_worker.iter().enumerate() {
                @let y = i as u32 * (bar_h + 8) + 10;
                text x="0" y=(y + 16) { (w) }
                rect x=(left) y=(y) width=(scale(*n).max(1)) height=(bar_h) fill=(if *n > 0 { "#0b5cad" } else { "#b00020" }) {}
                text x=(left + scale(*n) + 6) y=(y + 16) { (n) "日" }
            }
            @if weekly_needed > 0 {
                @let x = left + scale(weekly_needed);
                line x1=(x) x2=(x) y1="0" y2=(height - 10) stroke="#7a5200" stroke-dasharray="4 3" {}
                text x=(x - 4) y=(height - 2) text-anchor="end" { "週1回の目安 " (weekly_needed) "日" }
            }
        }
    }
}

async fn case_page(State(state): State<AppState>, u: WebUser, Path(id): Path<i64>) -> Response {
    let case = match visible_case(&state, &u.user, id).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, &u),
    };
    let (view, evaluation) = match case_view_and_evaluation(&state, &case, &u.user).await {
        Ok(v) => v,
        Err(e) => return api_error_page(e, &u),
    };
    let doc = &view["document"];
    let officer = u.user.role == Role::Officer;
    let actions: Vec<String> = view["actions"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let audit = if officer || u.user.role == Role::Admin {
        state
            .db
            .audit_log("case", &id.to_string())
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let attachments = state.db.attachments(id).await.unwrap_or_default();
    let body = html! {
        p.no-print { a href=(if officer { "/queue" } else { "/cases" }) { "← 一覧へ戻る" } }
        h1 { (case.title) }
        p { "状態：" strong { (view["status_label"].as_str().unwrap_or("")) } "　ケース番号 " (case.id) "　版 " (case.version) }
        @if let Some(e) = &evaluation {
            p.regime-note { (e.regime_name) "の制度で判定しています" @if e.regime_kind == josei_rules::regime::RegimeKind::NoPlan { "（計画の認定はなく、取組は評価期間の前3か月に行います）" } }
        }
        @if !view["next_deadline"].is_null() {
            div.deadline role="status" { "次の期限　" (deadline_text(&view["next_deadline"])) }
            @if let Some(m) = view["next_deadline"]["missing"].as_array().filter(|m| !m.is_empty()) {
                h2 { "まだ済んでいないこと" }
                ul { @for x in m { li { (x.as_str().unwrap_or("")) } } }
            }
        }
        @if let Some(err) = view.get("evaluation_error").filter(|e| !e.is_null()) {
            p.notice { "判定できません：" (err["message"].as_str().unwrap_or("")) }
        }
        @if let Some(e) = &evaluation {
            div.cards {
                @for (name, sub_status, amount, rate) in [(e.equipment_subsidy.name, e.equipment_subsidy.status, e.equipment_subsidy.amount_yen.0, e.equipment_subsidy.rate_percent), (e.goal_subsidy.name, e.goal_subsidy.status, e.goal_subsidy.amount_yen.0, e.goal_subsidy.rate_percent)] {
                    div.card {
                        h2 { (name) }
                        p.amount class=(status_class(sub_status)) { (sub_status.label_ja()) }
                        @if let Some(rate) = rate {
                            p { (yen(amount)) "（対象経費 " (yen(e.expenses.eligible_total_yen.0)) " × " (rate) "％）" }
                        } @else {
                            p { (yen(amount)) "（定額）" }
                        }
                    }
                }
            }
            @if e.regime_kind == josei_rules::regime::RegimeKind::NoPlan {
                h2 { "評価期間の前3か月の取組" }
                (no_plan_measures(e, doc))
            } @else {
                h2 { "計画の取組" }
                (measures_table(e))
            }
            @if let (Some(t), Some(p)) = (&e.telework, e.schedule.evaluation_period) {
                h2 { "評価期間のテレワーク実績" }
                @let per_worker = per_worker_days(doc, p.from(), p.to());
                @let today = parse_iso_date(view["today"].as_str().unwrap_or("")).unwrap_or(p.from());
                @let left = (josei_rules::civil::day_number(p.to()) - josei_rules::civil::day_number(today)).max(0);
                p { (jd(p.from())) " 〜 " (jd(p.to())) "　残り " strong { (left) "日" } }
                ul {
                    li class=(if t.all_workers_once { "ok" } else { "pending" }) { "① 対象労働者全員が1回以上：" (t.workers_with_telework) " / " (t.target_workers) "人" @if t.all_workers_once { "（達成）" } }
                    li class=(if t.weekly_average_met { "ok" } else { "pending" }) { "② 週平均1回以上：延べ " (t.telework_days) "日" @if t.weekly_average_met { "（達成）" } }
                }
                (telework_chart(&per_worker, t.period_days, ((t.target_workers as u64 * t.period_days as u64).div_ceil(7) / u64::from(t.target_workers.max(1))) as u32))
            }
            h2 { "要件の確認" }
            (checks_table(e.equipment_subsidy.name, &e.equipment_subsidy.checks))
            (checks_table(e.goal_subsidy.name, &e.goal_subsidy.checks))
            h2 { "日程" }
            (schedule_table(e))
            (assumptions_block(e))
        }
        @if !actions.is_empty() {
            h2.no-print { "操作" }
            div.no-print { @for a in &actions {
                form method="post" action=(format!("/cases/{id}/action")) {
                    input type="hidden" name="csrf" value=(u.csrf);
                    input type="hidden" name="version" value=(case.version);
                    input type="hidden" name="action" value=(a);
                    @if officer && (a.starts_with("grant") || a.starts_with("deny") || a.starts_with("return") || a.starts_with("reject")) {
                        label for=(format!("reason-{a}")) { "理由" span.hint { "（差戻し・不認定、判定エンジンと異なる決定には必須）" } }
                        textarea id=(format!("reason-{a}")) name="reason" rows="2" {}
                        @if a.starts_with("grant") {
                            label for=(format!("amount-{a}")) { "決定額（円）" span.hint { "　空欄なら判定エンジンの額" } }
                            input id=(format!("amount-{a}")) type="number" min="0" name="decided_amount_yen";
                        }
                    }
                    button type="submit" class=(if a == "withdraw" { "secondary" } else { "" }) { (action_label_for(a, evaluation.as_ref())) }
                }
            } }
        }
        @if matches!(u.user.role, Role::Employer | Role::Agent) && case.status.records_editable() {
            p.no-print { a.button href=(format!("/cases/{id}/plan")) { "計画の内容（事業主・対象労働者・経費）を編集する" } }
            h2.no-print { "CSV の取り込み" }
            form.no-print method="post" action=(format!("/cases/{id}/import")) enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(u.csrf);
                label for="kind" { "種類" }
                select #kind name="kind" { option value="telework" { "テレワーク実績（従業員ID・日付・勤務場所）" } option value="roster" { "労働者名簿（従業員ID・入社日・離職日・離職理由）" } }
                label for="file" { "CSV ファイル" span.hint { "　Excel で保存した Shift_JIS でも UTF-8 でも読めます" } }
                input #file type="file" name="file" accept=".csv,text/csv" required;
                button type="submit" { "内容を確認する" }
            }
        }
        h2 { "添付書類" }
        @if attachments.is_empty() { p { "添付書類はありません。" } } @else {
            ul { @for a in &attachments { li { a href=(format!("/api/v1/cases/{id}/attachments/{}", a.id)) { (a.filename) } "（" (attachment_kind(&a.kind)) "、" (a.size_bytes) "バイト）" } } }
        }
        @if matches!(u.user.role, Role::Employer | Role::Agent) && case.status.is_open() {
            form.no-print method="post" action=(format!("/cases/{id}/attachments")) enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(u.csrf);
                label for="attachment-kind" { "書類の種類" }
                select #attachment-kind name="kind" {
                    @for k in ["work_rules", "receipt", "invoice", "other"] { option value=(k) { (attachment_kind(k)) } }
                }
                label for="attachment-file" { "ファイル" span.hint { "　PDF・PNG・JPEG・Excel（.xlsx）、10 MiB まで" } }
                input #attachment-file type="file" name="file" accept=".pdf,.png,.jpg,.jpeg,.xlsx" required;
                button type="submit" { "添付する" }
            }
        }
        p.no-print { "印刷用（A4）：" a href=(format!("/cases/{id}/print?doc=plan")) { "計画の概要" } "　" a href=(format!("/cases/{id}/print?doc=equipment")) { "機器等導入助成の申請" } "　" a href=(format!("/cases/{id}/print?doc=goal")) { "目標達成助成の申請" } }
        @if !audit.is_empty() {
            h2 { "監査ログ" }
            div.table-wrap { table {
                thead { tr { th scope="col" { "日時" } th scope="col" { "利用者" } th scope="col" { "操作" } th scope="col" { "内容" } } }
                tbody { @for a in &audit {
                    tr { td { (jtime(&a.at)) } td { (a.user_id.map(|x| x.to_string()).unwrap_or_else(|| "システム".into())) } td { (a.action) } td { code { (a.after.as_ref().map(|v| { let s = v.to_string(); s.chars().take(160).collect::<String>() }).unwrap_or_default()) } } }
                } }
            } }
        }
    };
    page(&case.title, Some(&u), body).into_response()
}

/// Telework days per target worker (home or satellite office, once a day) in the period.
fn per_worker_days(doc: &Value, from: Date, to: Date) -> Vec<(String, u32)> {
    let targets: Vec<String> = doc["plan"]["target_workers"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut days: HashMap<&str, std::collections::HashSet<String>> = HashMap::new();
    if let Some(tw) = doc["telework"].as_array() {
        for t in tw {
            let (Some(w), Some(d), Some(p)) = (
                t["worker"].as_str(),
                t["date"].as_str(),
                t["place"].as_str(),
            ) else {
                continue;
            };
            let Ok(date) = parse_iso_date(d) else {
                continue;
            };
            if (p == "home" || p == "satellite_office") && from <= date && date <= to {
                days.entry(w).or_default().insert(d.to_string());
            }
        }
    }
    targets
        .iter()
        .map(|w| {
            (
                w.clone(),
                days.get(w.as_str()).map_or(0, |s| s.len() as u32),
            )
        })
        .collect()
}

fn checks_table(title: &str, checks: &[josei_rules::evaluate::Check]) -> Markup {
    html! {
        div.table-wrap { table {
            caption { (title) }
            thead { tr { th scope="col" { "結果" } th scope="col" { "内容" } th scope="col" { "根拠" } } }
            tbody { @for c in checks {
                @let (mark, class, label) = check_mark(c.status);
                tr { td class={ (class) " nowrap" } { (mark) " " (label) } td { (c.message) } td.citation { (c.citation) } }
            } }
        } }
    }
}

fn schedule_table(e: &Evaluation) -> Markup {
    // Labels follow the regime's procedure.
    let s = &e.schedule;
    let row = |label: &str, v: Option<String>| html! { tr { th scope="row" { (label) } td { (v.unwrap_or_else(|| "未定".into())) } } };
    let period = |p: Option<josei_rules::civil::Period>| {
        p.map(|p| format!("{} 〜 {}", jd(p.from()), jd(p.to())))
    };
    let deadline = |d: Option<josei_rules::schedule::Deadline>| {
        d.map(|d| {
            if d.nominal == d.effective {
                jd(d.effective)
            } else {
                format!(
                    "{}（本来の期限 {} が閉庁日のため延長）",
                    jd(d.effective),
                    jd(d.nominal)
                )
            }
        })
    };
    let first = e.equipment_subsidy.name;
    let no_plan = e.regime_kind == josei_rules::regime::RegimeKind::NoPlan;
    html! {
        div.table-wrap { table { tbody {
            @if no_plan {
                (row("制度導入前の離職率の期間", period(s.plan_turnover_period)))
                (row("取組（職場風土作り・就業規則・研修など）の期間", period(s.measures_window)))
            } @else {
                (row("計画時離職率の期間", period(s.plan_turnover_period)))
                (row("評価期間を設定できる期間", period(s.evaluation_window)))
            }
            (row(&format!("評価期間（{first}）"), period(s.evaluation_period)))
            (row(&format!("{first}の申請期限"), deadline(s.equipment_application_deadline)))
            (row(if no_plan { "制度導入後の離職率の期間" } else { "評価時離職率の期間" }, period(s.evaluation_turnover_period)))
            (row("評価期間（目標達成助成）", period(s.goal_evaluation_period)))
            (row("目標達成助成の申請期限", deadline(s.goal_application_deadline)))
        } } }
    }
}

/// 「未確認の前提」: the values graded interpretation or unverified that the
/// evaluation used, named for people.
fn assumptions_block(e: &Evaluation) -> Markup {
    html! {
        @if !e.assumptions.is_empty() {
            details.assumptions {
                summary { "未確認の前提（" (e.assumptions.len()) "件）" }
                p.hint { "公式の支給要領で確認できていない値や、josei の解釈を含みます。最寄りの労働局で確認してください。" }
                ul { @for a in &e.assumptions { li { (a.label) "（" (a.grade.label_ja()) "）" } } }
            }
        }
    }
}

/// The no-plan regimes' measures: 職場風土作り, the measures in the window, the work rules.
fn no_plan_measures(e: &Evaluation, doc: &Value) -> Markup {
    let check = |id: &str| {
        e.equipment_subsidy
            .checks
            .iter()
            .find(|c| c.id == id)
            .map(|c| (c.status, c.message.clone()))
    };
    let measures: Vec<(String, String)> = doc["measures"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    (
                        m["kind"]
                            .as_str()
                            .and_then(MeasureKind::parse)
                            .map_or("—", |k| k.label_ja())
                            .to_string(),
                        jdate(m["on"].as_str().unwrap_or("")),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    html! {
        div.table-wrap { table {
            caption { "取組の状況" }
            thead { tr { th scope="col" { "取組" } th scope="col" { "状況" } } }
            tbody {
                @for (label, id) in [("職場風土作り（必須）", "workplace_climate"), ("研修・コンサルティングなど（1つ以上）", "measures"), ("就業規則等の整備", "work_rules_established")] {
                    @if let Some((status, message)) = check(id) {
                        @let (mark, class, word) = check_mark(status);
                        tr { td { (label) } td class=(class) { span aria-label=(word) { (mark) } " " (message) } }
                    }
                }
            }
        } }
        @if !measures.is_empty() {
            ul { @for (kind, on) in &measures { li { (kind) "（" (on) "）" } } }
        }
    }
}

#[derive(Deserialize)]
struct ActionForm {
    #[serde(default)]
    csrf: String,
    version: i64,
    action: String,
    reason: Option<String>,
    decided_amount_yen: Option<String>,
}

async fn case_action(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> Response {
    if let Some(r) = csrf_error(&u, &f.csrf) {
        return r;
    }
    let amount = match f
        .decided_amount_yen
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => match s.replace(',', "").parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return error_page(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "決定額を確かめてください",
                    "決定額は0以上の整数（円）で入力してください。",
                    Some(&u),
                )
            }
        },
    };
    let body = ActionBody {
        version: f.version,
        reason: f.reason,
        decided_amount_yen: amount,
    };
    match perform_action(&state, &u.user, id, &f.action, body).await {
        Ok(_) => Redirect::to(&format!("/cases/{id}")).into_response(),
        Err(e) => api_error_page(e, &u),
    }
}

// ---------------------------------------------------------------------------
// CSV import with a preview.

async fn import_preview(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Response {
    let case = match visible_case(&state, &u.user, id).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, &u),
    };
    let (mut csrf, mut kind, mut bytes) = (String::new(), String::new(), Vec::new());
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "kind" => kind = field.text().await.unwrap_or_default(),
            "file" => bytes = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
            _ => {}
        }
    }
    if let Some(r) = csrf_error(&u, &csrf) {
        return r;
    }
    let parsed = match kind.as_str() {
        "telework" => josei_store::import::telework_csv(&bytes),
        "roster" => josei_store::import::roster_csv(&bytes),
        _ => {
            return error_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "種類を選んでください",
                "テレワーク実績か労働者名簿かを選んでください。",
                Some(&u),
            )
        }
    };
    let text = josei_store::import::decode(&bytes)
        .map(|(t, _)| t)
        .unwrap_or_default();
    let (status, body) = match parsed {
        Err(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            html! {
                h1 { "取り込めません" }
                div.errors role="alert" {
                    p { (errors.len()) "件の問題があります。CSV を直してから、もう一度選んでください。何も保存していません。" }
                    div.table-wrap { table {
                        thead { tr { th scope="col" { "行" } th scope="col" { "列" } th scope="col" { "内容" } } }
                        tbody { @for e in &errors { tr { td { @if e.line == 0 { "—" } @else { (e.line) } } td { (e.column.clone().unwrap_or_default()) } td { (e.message) } } } }
                    } }
                }
                p { a href=(format!("/cases/{id}")) { "ケースに戻る" } }
            },
        ),
        Ok((rows, encoding)) => (
            StatusCode::OK,
            html! {
                h1 { "取り込む内容の確認" }
                p { (rows.len()) "行を読み込みました（文字コード: " (encoding.label_ja()) "）。まだ保存していません。" }
                div.table-wrap { table {
                    thead { tr { @for h in josei_store::import::preview_headings(&kind) { th scope="col" { (h) } } } }
                    tbody { @for r in rows.iter().take(50) { tr { @for c in josei_store::import::preview_cells(&kind, r) { td { (c) } } } } }
                } }
                @if rows.len() > 50 { p { "ほか " (rows.len() - 50) "行" } }
                form method="post" action=(format!("/cases/{id}/import/confirm")) {
                    input type="hidden" name="csrf" value=(u.csrf);
                    input type="hidden" name="version" value=(case.version);
                    input type="hidden" name="kind" value=(kind);
                    input type="hidden" name="csv" value=(text);
                    fieldset.choices {
                        legend { "既にある記録" }
                        label { input type="radio" name="mode" value="append" checked; " 残して追加する" }
                        label { input type="radio" name="mode" value="replace"; " 置き換える" }
                    }
                    button type="submit" { "この内容で取り込む" }
                }
                p { a href=(format!("/cases/{id}")) { "取り込まずに戻る" } }
            },
        ),
    };
    (status, page("CSV の取り込み", Some(&u), body)).into_response()
}

#[derive(Deserialize)]
struct ImportConfirm {
    #[serde(default)]
    csrf: String,
    version: i64,
    kind: String,
    csv: String,
    mode: Option<String>,
}

async fn import_confirm(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Form(f): Form<ImportConfirm>,
) -> Response {
    if let Some(r) = csrf_error(&u, &f.csrf) {
        return r;
    }
    let case = match visible_case(&state, &u.user, id).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, &u),
    };
    if !matches!(u.user.role, Role::Employer | Role::Agent) {
        return error_page(
            StatusCode::FORBIDDEN,
            "権限がありません",
            "取り込みは事業主と社労士が行います。",
            Some(&u),
        );
    }
    let parsed = if f.kind == "telework" {
        josei_store::import::telework_csv(f.csv.as_bytes())
    } else {
        josei_store::import::roster_csv(f.csv.as_bytes())
    };
    let Ok((rows, _)) = parsed else {
        return error_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "取り込めません",
            "CSV に問題があります。もう一度ファイルを選んでください。",
            Some(&u),
        );
    };
    let mut doc = match state.db.case_document(&case).await {
        Ok(d) => d,
        Err(e) => return api_error_page(e.into(), &u),
    };
    josei_store::import::merge(
        &mut doc,
        &f.kind,
        rows,
        f.mode.as_deref() == Some("replace"),
    );
    match save_document(&state, &case, f.version, doc, &u.user).await {
        Ok(_) => Redirect::to(&format!("/cases/{id}")).into_response(),
        Err(e) => api_error_page(e, &u),
    }
}

// ---------------------------------------------------------------------------
// Printable summary.

#[derive(Deserialize, Default)]
struct PrintQuery {
    doc: Option<String>,
}

/// `?doc=plan|equipment|goal`: the plan summary or one application's summary
/// (default: everything).
async fn print_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
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
    let (view, e) = match case_view_and_evaluation(&state, &case, &u.user).await {
        Ok(v) => v,
        Err(err) => return api_error_page(err, &u),
    };
    let org = state.db.org(case.organization_id).await.ok().flatten();
    let first = e
        .as_ref()
        .map_or("機器等導入助成", |e| e.equipment_subsidy.name);
    let title = title.replace("機器等導入助成", first);
    let title = title.as_str();
    let body = html! {
        h1 { (title) }
        p { "事業主：" (org.map(|o| o.name).unwrap_or_default()) "　ケース：" (case.title) "（番号 " (case.id) "）" }
        p { "状態：" (view["status_label"].as_str().unwrap_or("")) "　作成日：" (jdate(view["today"].as_str().unwrap_or(""))) }
        @if let Some(e) = &e { p { (e.regime_name) "の制度" } }
        @if plan {
            h2 { "対象労働者" }
            p { @for t in view["document"]["plan"]["target_workers"].as_array().into_iter().flatten() { (t["id"].as_str().unwrap_or("")) "（" (if t["employment"] == "direct" { "直接雇用" } else { "派遣" }) "）　" } }
        }
        @if let (Some(e), true) = (&e, plan) {
            @if e.regime_kind == josei_rules::regime::RegimeKind::NoPlan {
                h2 { "評価期間の前3か月の取組" }
                (no_plan_measures(e, &view["document"]))
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

// ---------------------------------------------------------------------------
// The plan editor: employer, target workers, dates, expenses with live caps.

/// Where an engine error's field path is shown in the plan form.
fn form_field_of(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("workplace_climate.") {
        return format!("climate_{rest}");
    }
    if let Some(rest) = path.strip_prefix("measures[") {
        if let Some((i, field)) = rest.split_once("].") {
            return format!("m{i}_{}", if field == "kind" { "on" } else { field });
        }
    }
    if let Some(rest) = path.strip_prefix("employer.") {
        return format!("employer_{rest}");
    }
    if path.starts_with("plan.target_workers") {
        return "targets".into();
    }
    if let Some(rest) = path.strip_prefix("expenses[") {
        if let Some((i, field)) = rest.split_once("].") {
            return format!("x{i}_{field}");
        }
        return format!("x{}", rest.trim_end_matches(']'));
    }
    path.replace('.', "_")
}

const TRAVEL_FOR: &[(&str, &str)] = &[
    ("", "—"),
    ("manager_training", "労務管理担当者研修"),
    ("worker_training", "労働者研修"),
    ("consulting", "コンサルティング"),
];

/// The plan form, filled from a document, with errors by form field.
fn plan_form(
    id: i64,
    version: i64,
    csrf: &str,
    doc: &Value,
    editable_plan: bool,
    errors: &HashMap<String, String>,
    regime: &josei_rules::regime::Regime,
) -> Markup {
    let e = &doc["employer"];
    let s = |v: &Value| {
        v.as_str().map(str::to_string).unwrap_or_else(|| {
            if v.is_null() {
                String::new()
            } else {
                v.to_string()
            }
        })
    };
    let err = |f: &str| errors.get(f).cloned();
    let targets_text: String = doc["plan"]["target_workers"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| {
                    format!(
                        "{},{}",
                        s(&t["id"]),
                        if t["employment"] == "dispatched" {
                            "派遣"
                        } else {
                            "直接"
                        }
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    let mut expenses: Vec<Value> = doc["expenses"].as_array().cloned().unwrap_or_default();
    for _ in 0..3 {
        expenses.push(json!({}));
    }
    // The measures given, and two empty rows to add more.
    let mut measures: Vec<Value> = doc["measures"].as_array().cloned().unwrap_or_default();
    measures.extend([json!({}), json!({})]);
    let n_targets = doc["plan"]["target_workers"].as_array().map_or(0, Vec::len) as u64;
    let caps: Vec<(String, u64)> = ExpenseCategory::ALL
        .iter()
        .map(|c| (c.as_str().to_string(), regime.category(*c).cap(n_targets).0))
        .collect();
    let field_error = |f: &str| html! { @if let Some(m) = err(f) { p.field-error id=(format!("{f}-error")) role="alert" { (m) } } };
    html! {
        form method="post" action=(format!("/cases/{id}/plan")) novalidate {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="version" value=(version);
            @if !errors.is_empty() { div.errors role="alert" { p { "入力を確かめてください（" (errors.len()) "か所）。入力した内容は残っています。" } } }
            fieldset disabled[!editable_plan] {
                legend { "事業主" @if !editable_plan { span.hint { "（計画の提出後は変更できません）" } } }
                label for="employer_name" { "事業主の名称" }
                input #employer_name type="text" name="employer_name" value=(s(&e["name"]));
                label for="employer_industry" { "業種" }
                select #employer_industry name="employer_industry" {
                    @for (v, l) in [("retail", "小売業（飲食店を含む）"), ("service", "サービス業"), ("wholesale", "卸売業"), ("other", "その他の業種")] { option value=(v) selected[s(&e["industry"]) == v] { (l) } }
                }
                label for="employer_capital_yen" { "資本金・出資の総額（円）" span.hint { "　ない場合は空欄" } }
                input #employer_capital_yen type="number" min="0" name="employer_capital_yen" value=(s(&e["capital_yen"]));
                (field_error("employer_capital_yen"))
                label for="employer_regular_employees" { "常時雇用する労働者の数（人）" }
                input #employer_regular_employees type="number" min="0" name="employer_regular_employees" value=(s(&e["regular_employees"]));
                (field_error("employer_regular_employees"))
                label for="employer_telework_status" { "テレワークの状況" }
                select #employer_telework_status name="employer_telework_status" {
                    @for (v, l) in [("none", "これから導入する"), ("trial_ongoing", "試行中"), ("trial_ended", "試行したことがある"), ("expanding", "すでに実施していて、対象者や回数を拡大する"), ("established", "制度として定着している")] { option value=(v) selected[s(&e["telework_status"]) == v] { (l) } }
                }
                @for (name, label) in [("employment_insurance", "雇用保険の適用事業主"), ("work_rules_have_telework", "取組の前（計画の提出時）に、就業規則等へ全社的なテレワークの規定がある"), ("received_telework_subsidy", "過去にこの助成金（テレワークコースとその前身）を受けた"), ("received_other_telework_subsidy", "国や地方公共団体の、ほかのテレワーク導入の助成金を受けた")] {
                    label { input type="checkbox" name=(format!("employer_{name}")) value="true" checked[e[name] == true]; " " (label) }
                }
                fieldset.choices {
                    legend { "不支給要件（支給要件確認申立書で申し立てる内容）" }
                    label { input type="checkbox" name="disqualifications_declared" value="true" checked[e["disqualifications"].is_array()]; " 確認した（該当するものがあれば下で選ぶ）" }
                    @for d in Disqualification::ALL {
                        label { input type="checkbox" name=(format!("disq_{}", d.as_str())) value="true" checked[e["disqualifications"].as_array().is_some_and(|a| a.iter().any(|x| x == d.as_str()))]; " " (d.label_ja()) }
                    }
                }
                label for="targets" { "対象労働者" span.hint { "　1行に1人「従業員ID,直接」または「従業員ID,派遣」" } }
                textarea #targets name="targets" rows="5" aria-describedby="targets-error" { (targets_text) }
                (field_error("targets"))
            }
            fieldset {
                legend { "日付" }
                @let no_plan = regime.kind == josei_rules::regime::RegimeKind::NoPlan;
                p.regime-note { (regime.name) "の制度で入力しています" @if no_plan { "（計画の認定はなく、取組は評価期間の初日の前3か月に行います）" } }
                label for="work_rules_established_on" { "就業規則等にテレワークの規定を整備した日" span.hint { @if no_plan { "　評価期間の初日の前3か月の間に" } @else { "　計画認定日以降、支給申請までに" } } }
                input #work_rules_established_on type="date" name="work_rules_established_on" value=(s(&doc["work_rules_established_on"]));
                (field_error("work_rules_established_on"))
                label for="evaluation_start" { "評価期間（機器等導入助成・制度導入助成）の初日" }
                input #evaluation_start type="date" name="evaluation_start" value=(s(&doc["evaluation_start"]));
                (field_error("evaluation_start"))
                label for="climate_top_message_on" { "職場風土作り：企業トップからのメッセージ発信・社内呼びかけをした日" span.hint { "　令和4年度から必須" } }
                input #climate_top_message_on type="date" name="climate_top_message_on" value=(s(&doc["workplace_climate"]["top_message_on"]));
                (field_error("climate_top_message_on"))
                label for="climate_case_sharing_on" { "職場風土作り：テレワーク事例を収集し社内に周知した日" }
                input #climate_case_sharing_on type="date" name="climate_case_sharing_on" value=(s(&doc["workplace_climate"]["case_sharing_on"]));
                (field_error("climate_case_sharing_on"))
                label for="telework_before_count" { "拡大前3か月の延べテレワーク実施回数" span.hint { "　テレワークを拡大する事業主のみ（1人1日1回）" } }
                input #telework_before_count type="number" min="0" inputmode="numeric" name="telework_before_count" value=(s(&doc["telework_before_count"]));
                (field_error("telework_before_count"))
                label { input type="checkbox" name="productivity_met" value="true" checked[doc["productivity"]["met"] == true]; " 生産性要件を満たしている（令和4年度までの目標達成助成の割増）" }
                fieldset.choices {
                    legend { "賃金要件（令和5年度からの目標達成助成の割増）" }
                    @let wage = s(&doc["wage_increase"]["met"]);
                    @for (v, l) in [("", "未入力"), ("true", "満たしている"), ("false", "満たしていない")] {
                        label { input type="radio" name="wage_met" value=(v) checked[wage == v]; " " (l) }
                    }
                }
            }
            fieldset {
                legend { "取組（令和7年度から：評価期間の初日の前3か月に行ったもの）" }
                p.hint { "外部専門家によるコンサルティング、労務管理担当者への研修、労働者への研修のいずれか1つ以上が必要です（テレワークを拡大する事業主は就業規則等の拡充でも可）。" }
                @for (i, m) in measures.iter().enumerate() {
                    div.measure-row {
                        label for=(format!("m{i}_kind")) { (i + 1) "件目の取組" }
                        select id=(format!("m{i}_kind")) name=(format!("m{i}_kind")) {
                            option value="" { "—" }
                            @for k in MeasureKind::ALL { option value=(k.as_str()) selected[s(&m["kind"]) == k.as_str()] { (k.label_ja()) } }
                        }
                        label for=(format!("m{i}_on")) { "実施日" }
                        input id=(format!("m{i}_on")) type="date" name=(format!("m{i}_on")) value=(s(&m["on"]));
                        (field_error(&format!("m{i}_on")))
                    }
                }
            }
            fieldset {
                legend { "経費（税込）" }
                p.hint { "納品日・支払日は計画認定日以降、支給申請日までのものが対象です。上限は対象労働者 " (n_targets) " 人での額です。" }
                div.table-wrap { table #expenses data-caps=(serde_json::to_string(&caps.iter().cloned().collect::<HashMap<String, u64>>()).unwrap_or_default()) {
                    thead { tr { th scope="col" { "番号" } th scope="col" { "区分" } th.num scope="col" { "金額（円）" } th scope="col" { "納品日" } th scope="col" { "支払日" } th scope="col" { "旅費の対象" } th scope="col" { "内容" } th scope="col" { "リース月数" } th scope="col" { "他の助成金" } th.num scope="col" { "区分の上限" } } }
                    tbody { @for (i, x) in expenses.iter().enumerate() {
                        tr {
                            td { input type="text" name=(format!("x{i}_id")) value=(s(&x["id"])) aria-label=(format!("{}行目の番号", i + 1)) size="6"; (field_error(&format!("x{i}_id"))) }
                            td { select name=(format!("x{i}_category")) aria-label=(format!("{}行目の区分", i + 1)) data-row=(i) {
                                option value="" { "—" }
                                @for c in ExpenseCategory::ALL { option value=(c.as_str()) selected[s(&x["category"]) == c.as_str()] { (c.label_ja()) } }
                            } (field_error(&format!("x{i}_category"))) }
                            td { input type="number" min="0" name=(format!("x{i}_amount_yen")) value=(s(&x["amount_yen"])) aria-label=(format!("{}行目の金額", i + 1)) data-row=(i); (field_error(&format!("x{i}_amount_yen"))) }
                            td { input type="date" name=(format!("x{i}_delivered_on")) value=(s(&x["delivered_on"])) aria-label=(format!("{}行目の納品日", i + 1)); (field_error(&format!("x{i}_delivered_on"))) }
                            td { input type="date" name=(format!("x{i}_paid_on")) value=(s(&x["paid_on"])) aria-label=(format!("{}行目の支払日", i + 1)); (field_error(&format!("x{i}_paid_on"))) }
                            td { select name=(format!("x{i}_for")) aria-label=(format!("{}行目の旅費の対象", i + 1)) { @for (v, l) in TRAVEL_FOR { option value=(v) selected[s(&x["for"]) == *v] { (l) } } } }
                            td { input type="text" name=(format!("x{i}_description")) value=(s(&x["description"])) aria-label=(format!("{}行目の内容", i + 1)); }
                            td { input type="number" min="1" inputmode="numeric" size="3" name=(format!("x{i}_months")) value=(s(&x["months"])) aria-label=(format!("{}行目の支払の対象月数（リース・レンタル）", i + 1)); (field_error(&format!("x{i}_months"))) }
                            td { input type="checkbox" name=(format!("x{i}_funded_by_other_subsidy")) value="true" checked[x["funded_by_other_subsidy"] == true] aria-label=(format!("{}行目は他の助成金・補助金を受けた", i + 1)); }
                            td.num.cap id=(format!("cap{i}")) aria-live="polite" {}
                        }
                    } }
                } }
            }
            @if !doc["equipment_application_filed_on"].is_null() {
                fieldset {
                    legend { "修正の理由" }
                    p.hint { "支給申請の後に、申請の根拠になった内容（経費・評価期間・取組・申請済みの期間のテレワーク実績など）を変えるときは、理由を書いてください。記録に残ります。" }
                    label for="amendment_reason" { "理由" }
                    textarea #amendment_reason name="amendment_reason" rows="2" {}
                    (field_error("amendment_reason"))
                }
            }
            button type="submit" { "保存する" }
            " " a href=(format!("/cases/{id}")) { "保存せずに戻る" }
        }
        // Live caps (assets/plan.js): each category's cap from `data-caps`.
        script src="/plan.js" defer {}
    }
}

/// The case whose plan `u` may edit, or the page that says why not.
async fn editable_case(
    state: &AppState,
    u: &WebUser,
    id: i64,
) -> Result<josei_store::CaseRow, Response> {
    let case = visible_case(state, &u.user, id)
        .await
        .map_err(|e| api_error_page(e, u))?;
    if !matches!(u.user.role, Role::Employer | Role::Agent) {
        return Err(error_page(
            StatusCode::FORBIDDEN,
            "権限がありません",
            "計画を編集できるのは事業主と社労士です。",
            Some(u),
        ));
    }
    Ok(case)
}

async fn plan_page(State(state): State<AppState>, u: WebUser, Path(id): Path<i64>) -> Response {
    let case = match editable_case(&state, &u, id).await {
        Ok(c) => c,
        Err(page) => return page,
    };
    let doc = match state.db.case_document(&case).await {
        Ok(d) => d,
        Err(e) => return api_error_page(e.into(), &u),
    };
    let today = today(&state).await.unwrap_or(Date::MIN);
    let regime = regime_of(&case, &doc, today);
    let body = html! {
        p { a href=(format!("/cases/{id}")) { "← ケースに戻る" } }
        h1 { "計画の内容: " (case.title) }
        (plan_form(id, case.version, &u.csrf, &doc, case.status.plan_editable(), &HashMap::new(), regime))
    };
    page("計画の内容", Some(&u), body).into_response()
}

/// The regime a case is evaluated under: its own once fixed, else the one the
/// engine chooses for its (provisional) document, else the newest.
fn regime_of(
    case: &josei_store::CaseRow,
    doc: &Value,
    today: Date,
) -> &'static josei_rules::regime::Regime {
    let set = josei_rules::regime::set();
    case.regime
        .as_deref()
        .and_then(|id| set.by_id(id))
        .or_else(|| {
            let mut probe = doc.clone();
            probe["as_of"] = json!(today.to_string());
            crate::provisional(&mut probe, today);
            josei_rules::parse_case(&probe.to_string(), today)
                .ok()
                .map(|p| p.regime)
        })
        .or_else(|| set.all().last())
        .expect("at least one regime is shipped")
}

/// The document a plan form describes (telework and roster kept as stored).
fn document_from_form(f: &HashMap<String, String>, stored: &Value) -> Value {
    let get = |k: &str| f.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let num = |k: &str| -> Value {
        let v = get(k).replace(',', "");
        if v.is_empty() {
            Value::Null
        } else {
            v.parse::<i64>()
                .map(Value::from)
                .unwrap_or(Value::String(v))
        }
    };
    let date = |k: &str| -> Value {
        Some(get(k))
            .filter(|s| !s.is_empty())
            .map_or(Value::Null, Value::String)
    };
    let mut doc = stored.clone();
    if f.contains_key("employer_industry") {
        doc["employer"] = json!({
            "name": get("employer_name"), "industry": get("employer_industry"),
            "capital_yen": num("employer_capital_yen"), "regular_employees": num("employer_regular_employees"),
            "employment_insurance": get("employer_employment_insurance") == "true",
            "telework_status": get("employer_telework_status"),
            "work_rules_have_telework": get("employer_work_rules_have_telework") == "true",
            "received_telework_subsidy": get("employer_received_telework_subsidy") == "true",
            "received_other_telework_subsidy": get("employer_received_other_telework_subsidy") == "true",
        });
        let chosen: Vec<&str> = Disqualification::ALL
            .iter()
            .filter(|d| get(&format!("disq_{}", d.as_str())) == "true")
            .map(|d| d.as_str())
            .collect();
        if get("disqualifications_declared") == "true" || !chosen.is_empty() {
            doc["employer"]["disqualifications"] = json!(chosen);
        }
        let targets: Vec<Value> = get("targets")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (id, kind) = l.split_once([',', '、', '\t']).unwrap_or((l, "直接"));
                let employment = match kind.trim() {
                    "派遣" | "dispatched" => "dispatched",
                    "直接" | "direct" | "" => "direct",
                    other => other,
                };
                json!({"id": id.trim(), "employment": employment})
            })
            .collect();
        doc["plan"]["target_workers"] = json!(targets);
    }
    doc["work_rules_established_on"] = date("work_rules_established_on");
    doc["evaluation_start"] = date("evaluation_start");
    doc["productivity"] = if get("productivity_met") == "true" {
        json!({"met": true})
    } else {
        Value::Null
    };
    if f.contains_key("climate_top_message_on") {
        let (top, sharing) = (
            date("climate_top_message_on"),
            date("climate_case_sharing_on"),
        );
        doc["workplace_climate"] = if top.is_null() && sharing.is_null() {
            Value::Null
        } else {
            json!({"top_message_on": top, "case_sharing_on": sharing})
        };
        doc["telework_before_count"] = num("telework_before_count");
        doc["wage_increase"] = match get("wage_met").as_str() {
            "true" => json!({"met": true}),
            "false" => json!({"met": false}),
            _ => stored
                .get("wage_increase")
                .filter(|w| w.get("met").is_none())
                .cloned()
                .unwrap_or(Value::Null),
        };
        let mut measures = Vec::new();
        for i in 0..50 {
            let (kind, on) = (get(&format!("m{i}_kind")), get(&format!("m{i}_on")));
            if !f.contains_key(&format!("m{i}_kind")) {
                break;
            }
            if kind.is_empty() && on.is_empty() {
                continue;
            }
            measures.push(json!({"kind": kind, "on": date(&format!("m{i}_on"))}));
        }
        doc["measures"] = json!(measures);
    }
    let mut expenses = Vec::new();
    // Every row the form sent (the page offers a few blank ones to add more).
    for i in 0..usize::MAX {
        let k = |field: &str| format!("x{i}_{field}");
        if !f.contains_key(&k("id")) {
            break;
        }
        let row_empty = [
            "id",
            "category",
            "amount_yen",
            "delivered_on",
            "paid_on",
            "description",
        ]
        .iter()
        .all(|x| get(&k(x)).is_empty());
        if row_empty {
            continue;
        }
        expenses.push(json!({
            "id": get(&k("id")), "category": get(&k("category")), "amount_yen": num(&k("amount_yen")),
            "delivered_on": date(&k("delivered_on")), "paid_on": date(&k("paid_on")),
            "for": Some(get(&k("for"))).filter(|s| !s.is_empty()), "description": Some(get(&k("description"))).filter(|s| !s.is_empty()),
            "months": num(&k("months")),
            "funded_by_other_subsidy": get(&k("funded_by_other_subsidy")) == "true",
        }));
    }
    doc["expenses"] = json!(expenses);
    doc
}

async fn plan_submit(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Some(r) = csrf_error(&u, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return r;
    }
    let case = match editable_case(&state, &u, id).await {
        Ok(c) => c,
        Err(page) => return page,
    };
    // A failed read must not become an empty document that wipes records.
    let stored = match state.db.case_document(&case).await {
        Ok(d) => d,
        Err(e) => return api_error_page(e.into(), &u),
    };
    // The version the form was based on is required: no silent overwrite.
    let Some(version) = f.get("version").and_then(|v| v.parse().ok()) else {
        return error_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "送信の内容が足りません",
            "ページを読み込み直してから、もう一度保存してください。",
            Some(&u),
        );
    };
    let doc = document_from_form(&f, &stored);
    let amendment = f.get("amendment_reason").map(String::as_str);
    match crate::save_document_as(&state, &case, version, doc.clone(), &u.user, amendment).await {
        Ok(_) => Redirect::to(&format!("/cases/{id}")).into_response(),
        Err(e) => {
            // Show the form again with what was typed and the message by its field.
            let mut errors = HashMap::new();
            errors.insert(
                e.field
                    .as_deref()
                    .map(form_field_of)
                    .unwrap_or_else(|| "form".into()),
                e.message.clone(),
            );
            let general = e.field.is_none();
            let body = html! {
                p { a href=(format!("/cases/{id}")) { "← ケースに戻る" } }
                h1 { "計画の内容: " (case.title) }
                @if general { p.errors role="alert" { (e.message) } }
                (plan_form(id, version, &u.csrf, &doc, case.status.plan_editable(), &errors, regime_of(&case, &stored, today(&state).await.unwrap_or(Date::MIN))))
            };
            (e.status, page("計画の内容", Some(&u), body)).into_response()
        }
    }
}

fn attachment_kind(k: &str) -> &'static str {
    match k {
        "work_rules" => "就業規則等",
        "receipt" => "領収書",
        "invoice" => "請求書・納品書",
        _ => "その他",
    }
}

async fn attachment_upload(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Response {
    let case = match visible_case(&state, &u.user, id).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, &u),
    };
    let (mut csrf, mut kind, mut filename, mut content_type, mut bytes) = (
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        Vec::new(),
    );
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "kind" => kind = field.text().await.unwrap_or_default(),
            "file" => {
                filename = field.file_name().unwrap_or("").to_string();
                content_type = field.content_type().unwrap_or("").to_string();
                match field.bytes().await {
                    Ok(b) => bytes = b.to_vec(),
                    Err(_) => {
                        return error_page(
                            StatusCode::PAYLOAD_TOO_LARGE,
                            "添付できません",
                            "ファイルが大きすぎます（10 MiB まで）。",
                            Some(&u),
                        )
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(r) = csrf_error(&u, &csrf) {
        return r;
    }
    match crate::store_attachment(
        &state,
        &u.user,
        &case,
        &kind,
        &filename,
        &content_type,
        &bytes,
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/cases/{id}")).into_response(),
        Err(e) => error_page(e.status, "添付できません", &e.message, Some(&u)),
    }
}

/// The plan's measures (テレワークを可能とする取組, seed 002 ⑤), derived from
/// the expenses and the work-rules check: what is planned, for how much.
fn measures_table(e: &Evaluation) -> Markup {
    use ExpenseCategory as C;
    let measures: [(&str, &[C]); 5] = [
        (
            "(イ) 就業規則・労使協定等の作成・変更（必須）",
            &[C::WorkRules],
        ),
        ("(ロ) 外部専門家によるコンサルティング", &[C::Consulting]),
        (
            "(ハ) テレワーク用通信機器等の導入・運用",
            &[
                C::NetworkEquipment,
                C::ServerEquipment,
                C::NasEquipment,
                C::SecurityEquipment,
                C::WebConferenceEquipment,
                C::SatelliteOfficeFee,
                C::TeleworkServiceInitial,
                C::TeleworkServiceFee,
            ],
        ),
        ("(ニ) 労務管理担当者に対する研修", &[C::ManagerTraining]),
        ("(ホ) 労働者に対する研修", &[C::WorkerTraining]),
    ];
    let work_rules = e
        .equipment_subsidy
        .checks
        .iter()
        .find(|c| c.id == "work_rules_established");
    html! {
        div.table-wrap { table {
            caption { "テレワークを可能とする取組" }
            thead { tr { th scope="col" { "取組" } th.num scope="col" { "経費" } th.num scope="col" { "対象になる額" } th scope="col" { "状況" } } }
            tbody { @for (i, (name, cats)) in measures.iter().enumerate() {
                @let rows: Vec<_> = e.expenses.categories.iter().filter(|c| cats.contains(&c.category)).collect();
                @let claimed: u64 = rows.iter().map(|c| c.claimed_yen.0).sum();
                @let eligible: u64 = rows.iter().map(|c| c.eligible_yen.0).sum();
                tr {
                    td { (name) }
                    td.num { (yen(claimed)) }
                    td.num { (yen(eligible)) }
                    td {
                        @if i == 0 {
                            @if let Some(c) = work_rules { @let (mark, class, _) = check_mark(c.status); span class=(class) { (mark) " " } (c.message) }
                        } @else if claimed > 0 { "予定あり" } @else { "予定なし" }
                    }
                }
            } }
        } }
    }
}

/// An RFC 3339 instant as the date and time in Japan: `2022-07-01（令和4年7月1日） 09:30`.
fn jtime(rfc3339: &str) -> String {
    match rfc3339.parse::<jiff::Timestamp>() {
        Ok(t) => {
            let z = t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)));
            format!("{} {:02}:{:02}", jd(z.date()), z.hour(), z.minute())
        }
        Err(_) => rfc3339.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_followed_after_login() {
        for ok in ["/", "/cases/3", "/queue?status=draft&x=%2F"] {
            assert_eq!(safe_next(ok), ok);
        }
        for bad in [
            "//evil.example/",
            "/\t/evil.example/",
            "/\\evil.example",
            "https://evil.example/",
            "/cases\r\nSet-Cookie: x=1",
            "/a\0b",
            "/a b",
            "",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
        assert_eq!(safe_next(&format!("/{}", "a".repeat(3000))), "/");
    }
}
