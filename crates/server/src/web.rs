//! The web application, in Japanese: server-rendered HTML that works without
//! JavaScript. Public self-diagnosis; case dashboards for employers and their
//! 社労士; the queue and review pages for labour-bureau officers; printable
//! summaries. Forms carry the session's CSRF token; every action goes through
//! the same functions as the REST API ([`perform_action`], [`save_document`]).

use crate::error::ApiError;
use crate::{auth, AppState};
use axum::extract::{Form, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use jiff::civil::Date;
use josei_app::deadlines::Deadline;
use josei_rules::civil::parse_iso_date;
use josei_rules::evaluate::{CheckStatus, Evaluation, SubsidyStatus};
use josei_rules::model::Yen;
use josei_rules::wareki::format_wareki;
use josei_store::{CaseId, OrganizationId, Role, User};
use maud::{html, Markup, DOCTYPE};
use std::collections::HashMap;

mod admin;
mod attachments;
mod audit;
mod award;
mod cases;
#[cfg(test)]
mod contrast;
mod decide;
mod desk;
mod diagnosis;
mod events;
mod examine;
mod imports;
mod lists;
mod messages;
mod notifications;
mod plan;
mod portal;
mod print;
mod review;
mod session;
mod statistics;
mod work_rules;

/// The pages: each area's router, and the assets.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/style.css", get(stylesheet))
        .route("/plan.js", get(plan_script))
        .merge(session::router())
        .merge(diagnosis::router())
        .merge(cases::router())
        .merge(decide::router())
        .merge(imports::router())
        .merge(print::router())
        .merge(plan::router())
        .merge(attachments::router())
        .merge(lists::router())
        .merge(messages::router())
        .merge(notifications::router())
        .merge(statistics::router())
        .merge(admin::router())
        .merge(portal::router())
        .merge(desk::router())
        .merge(events::router())
        .merge(award::router())
        .merge(work_rules::router())
}

/// `2022-07-01（令和4年7月1日）`.
pub(crate) fn jdate(iso: &str) -> String {
    match parse_iso_date(iso) {
        Ok(d) => format!("{iso}（{}）", format_wareki(d)),
        Err(_) => iso.to_string(),
    }
}

pub(crate) fn jd(d: Date) -> String {
    jdate(&d.to_string())
}

pub(crate) fn yen(n: u64) -> String {
    Yen(n).to_string()
}

pub(crate) fn status_class(s: SubsidyStatus) -> &'static str {
    match s {
        SubsidyStatus::Payable => "ok",
        SubsidyStatus::Pending => "pending",
        SubsidyStatus::NotPayable => "ng",
    }
}

pub(crate) fn check_mark(s: CheckStatus) -> (&'static str, &'static str, &'static str) {
    match s {
        CheckStatus::Pass => ("○", "ok", "満たしている"),
        CheckStatus::Fail => ("×", "ng", "満たしていない"),
        CheckStatus::Pending => ("…", "pending", "判定待ち"),
    }
}

pub(crate) const ACTION_LABELS: &[(&str, &str)] = &[
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
pub(crate) fn action_label_for(name: &str, e: Option<&Evaluation>) -> String {
    let label = action_label(name);
    match e.map(|e| e.equipment_subsidy.name) {
        Some(first) => label.replace("機器等導入助成", first),
        None => label.to_string(),
    }
}

pub(crate) fn action_label(name: &str) -> &str {
    ACTION_LABELS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(name, |(_, l)| l)
}

pub(crate) fn page(title: &str, user: Option<&WebUser>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="ja" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " | " (SITE_NAME) }
                link rel="stylesheet" href="/style.css";
            }
            body {
                a.skip href="#main" { "本文へ移動" }
                header.site {
                    a.brand href="/" { (SITE_NAME) span { "人材確保等支援助成金（テレワークコース）" } }
                    nav aria-label="メニュー" {
                        a href="/diagnosis" { "助成金の診断" }
                        @if let Some(u) = user {
                            @match u.user.role {
                                Role::Officer => { a href="/queue" { "審査の一覧" } }
                                Role::Advisor => {
                                    a href="/desk" { "相談窓口" }
                                    a href="/consulting" { "コンサルティング" }
                                    a href="/events/manage" { "セミナーの運営" }
                                    a href="/programme/statistics" { "施策の統計" }
                                }
                                Role::Judge => { a href="/award/screening" { "テレワーク賞の審査" } }
                                Role::Employer | Role::Agent => {
                                    a href="/cases" { "申請の一覧" }
                                    a href="/consulting" { "コンサルティング" }
                                    a href="/award/apply" { "テレワーク賞" }
                                }
                                Role::Admin => { a href="/cases" { "申請の一覧" } }
                            }
                            @if matches!(u.user.role, Role::Officer | Role::Admin) { a href="/statistics" { "統計" } }
                            @if u.user.role == Role::Admin {
                                a href="/programme/statistics" { "施策の統計" }
                                a href="/admin" { "管理" }
                            }
                            a.unread-link[u.unread > 0] href="/notifications" { "お知らせ（" (u.unread) "）" }
                            a href="/account" { "アカウントの設定" }
                            form.inline method="post" action="/logout" {
                                input type="hidden" name="csrf" value=(u.csrf);
                                button.link type="submit" { (u.user.display_name) " さん：ログアウト" }
                            }
                        } @else {
                            a href="/events" { "セミナー" }
                            a href="/award" { "テレワーク賞" }
                            a href="/login" { "ログイン" }
                        }
                    }
                }
                main #main { (body) }
                footer.site { (footer_text()) }
            }
        }
    }
}

/// What the service is, in the header and every page's title.
pub(crate) const SITE_NAME: &str = "テレワーク助成金 申請・審査";

/// The footer: what the judgements and amounts are, and who decides.
pub(crate) fn footer_text() -> String {
    let newest = josei_rules::regime::set()
        .all()
        .iter()
        .max_by_key(|r| r.applies_to)
        .map_or("最新", |r| r.name.as_str());
    format!(
        "表示している判定と金額は、{newest}までに公表された支給要領に基づく目安です。支給の可否と金額は、都道府県労働局が審査して決定します。"
    )
}

pub(crate) async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

/// The plan editor's only script: live caps while typing (the page works without it).
pub(crate) async fn plan_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        PLAN_JS,
    )
        .into_response()
}

/// Served as `/plan.js`.
pub(crate) const PLAN_JS: &str = include_str!("../assets/plan.js");

/// Served as `/style.css`.
/// The stylesheet: the base, then each programme area's own file.
pub(crate) const STYLE: &str = concat!(
    include_str!("../assets/style.css"),
    include_str!("../assets/portal.css"),
    include_str!("../assets/desk.css"),
    include_str!("../assets/events.css"),
    include_str!("../assets/award.css"),
    include_str!("../assets/work_rules.css"),
);

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

pub(crate) fn error_page(
    status: StatusCode,
    title: &str,
    message: &str,
    user: Option<&WebUser>,
) -> Response {
    (
        status,
        page(
            title,
            user,
            html! { h1 { (title) } p { (sentence(message)) } p { a href="/" { "最初のページへ" } } },
        ),
    )
        .into_response()
}

/// A message as a sentence on a page: the application's messages (shared with
/// the API's JSON) end without a full stop.
pub(crate) fn sentence(message: &str) -> String {
    if message.ends_with(['。', '．', '？', '！']) {
        message.to_string()
    } else {
        format!("{message}。")
    }
}

/// The user of a page and the session's CSRF token for its forms.
pub struct WebUser {
    pub user: User,
    pub csrf: String,
    /// Unread notifications, for the header's 「お知らせ（N）」.
    pub unread: i64,
}

pub(crate) async fn web_user(parts: &Parts, state: &AppState) -> Option<WebUser> {
    let token = auth::session_token(&parts.headers)?;
    let (user, csrf) = state.db.session(&auth::token_hash(&token)).await.ok()??;
    let unread = state.db.unread_notifications(user.id).await.unwrap_or(0);
    Some(WebUser { user, csrf, unread })
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

pub(crate) fn urlencode(s: &str) -> String {
    crate::percent_encode(s, true)
}

/// A form a signed-in user posted, its CSRF token checked: the one extractor
/// every urlencoded form handler takes (multipart forms call [`csrf_error`]
/// with the token they read). Signed out: to the login page; a missing or
/// wrong token: the error page, nothing done.
pub(crate) struct CsrfForm<T>(pub WebUser, pub T);

/// A form that carries the session's CSRF token.
pub(crate) trait HasCsrf {
    fn csrf(&self) -> &str;
}

impl HasCsrf for HashMap<String, String> {
    fn csrf(&self) -> &str {
        self.get("csrf").map_or("", String::as_str)
    }
}

/// `HasCsrf` for form structs with a `csrf: String` field.
macro_rules! has_csrf {
    ($($t:ty),* $(,)?) => {
        $(impl crate::web::HasCsrf for $t {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        })*
    };
}
pub(crate) use has_csrf;

impl<T> axum::extract::FromRequest<AppState> for CsrfForm<T>
where
    T: serde::de::DeserializeOwned + HasCsrf + Send,
{
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let user = WebUser::from_request_parts(&mut parts, state).await?;
        let req = axum::extract::Request::from_parts(parts, body);
        // An unreadable form: the framework's answer, which `error_shape`
        // turns into a Japanese page.
        let Form(form) = Form::<T>::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if let Some(r) = csrf_error(&user, form.csrf()) {
            return Err(r);
        }
        Ok(CsrfForm(user, form))
    }
}

/// Forms must carry the session's CSRF token: the error page when they do not.
pub(crate) fn csrf_error(u: &WebUser, sent: &str) -> Option<Response> {
    if auth::constant_time_eq(sent.as_bytes(), u.csrf.as_bytes()) {
        None
    } else {
        Some(error_page(StatusCode::FORBIDDEN, "送信できませんでした", "画面の有効期限が切れたか、不正な送信です。ページを読み込み直してから、もう一度操作してください。", Some(u)))
    }
}

pub(crate) fn deadline_text(d: Option<&Deadline>) -> Markup {
    html! {
        @match d {
            None => { "—" }
            Some(d) => {
                (d.label) "：" strong { (jd(d.date)) }
                " あと" (d.days_left) "日"
            }
        }
    }
}

pub(crate) fn api_error_page(e: impl Into<ApiError>, u: &WebUser) -> Response {
    let e: ApiError = e.into();
    let title = match e.status {
        StatusCode::NOT_FOUND => "見つかりません",
        StatusCode::FORBIDDEN => "権限がありません",
        StatusCode::CONFLICT => "この操作はできません",
        _ => "エラー",
    };
    error_page(e.status, title, &e.message, Some(u))
}

/// An RFC 3339 instant as the date and time in Japan: `2022-07-01（令和4年7月1日） 09:30`.
pub(crate) fn jtime(rfc3339: &str) -> String {
    match rfc3339.parse::<jiff::Timestamp>() {
        Ok(t) => {
            let z = t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)));
            format!("{} {:02}:{:02}", jd(z.date()), z.hour(), z.minute())
        }
        Err(_) => rfc3339.to_string(),
    }
}

/// A multipart form with one file: its text fields by name, and the file.
#[derive(Default)]
pub(crate) struct Upload {
    fields: HashMap<String, String>,
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Upload {
    /// The text field `name` ("" when absent).
    pub(crate) fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// The file of an upload was larger than the request limit.
pub(crate) struct FileTooLarge;

/// Reads an upload form: every text field, and the field `file` with its
/// name and declared type. The CSRF token is one of the fields (check it
/// with [`csrf_error`]).
pub(crate) async fn read_upload_form(
    form: &mut axum::extract::Multipart,
) -> Result<Upload, FileTooLarge> {
    let mut up = Upload::default();
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            up.filename = field.file_name().unwrap_or("").to_string();
            up.content_type = field.content_type().unwrap_or("").to_string();
            up.bytes = field.bytes().await.map_err(|_| FileTooLarge)?.to_vec();
        } else if !name.is_empty() {
            up.fields
                .insert(name, field.text().await.unwrap_or_default());
        }
    }
    Ok(up)
}

/// The plan regimes' measures (テレワークを可能とする取組, (イ)–(ホ)) and the
/// expense categories that carry each: one table for the case page and the
/// print-out.
pub(crate) const PLAN_MEASURES: [(&str, &[josei_rules::model::ExpenseCategory]); 5] = {
    use josei_rules::model::ExpenseCategory as C;
    [
        ("(イ) 就業規則・労使協定等の作成・変更", &[C::WorkRules]),
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
    ]
};

/// 「前へ」「次へ」 and where we are, the filters kept in `query`.
pub(crate) fn pager(
    path: &str,
    query: &str,
    page: i64,
    pages: i64,
    total: i64,
    unit: &str,
) -> Markup {
    let link = |p: i64| {
        if query.is_empty() {
            format!("{path}?page={p}")
        } else {
            format!("{path}?{query}&page={p}")
        }
    };
    html! {
        nav.pager aria-label="ページ送り" {
            span { (total) (unit) "（" (page) "／" (pages) "ページ）" }
            @if page > 1 { a href=(link(page - 1)) rel="prev" { "前のページ" } }
            @if page < pages { a href=(link(page + 1)) rel="next" { "次のページ" } }
        }
    }
}

pub(crate) fn parse_page(p: Option<&str>) -> i64 {
    p.and_then(|p| p.trim().parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 1_000_000)
}

/// An optional whole number as typed (full-width digits read as digits):
/// blank is `None`; anything else unreadable is `Err`.
pub(crate) fn opt_number(v: &str) -> Result<Option<i64>, ()> {
    let t: String = v
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>().map(Some).map_err(|_| ())
}

/// A form's error: the field (the input's id) and the message.
pub(crate) type FieldError<'a> = Option<(&'a str, &'a str)>;

/// A labelled select of `options` (value, text), `selected` chosen.
pub(crate) fn select(
    name: &str,
    label: &str,
    hint: &str,
    options: &[(String, String)],
    selected: &str,
    err: FieldError<'_>,
) -> Markup {
    let bad = err.filter(|(f, _)| *f == name).map(|(_, m)| m);
    html! {
        label for=(name) { (label) @if !hint.is_empty() { span.hint { "　" (hint) } } }
        @if let Some(m) = bad { p.field-error id=(format!("{name}-error")) { (sentence(m)) } }
        select id=(name) name=(name)
            aria-invalid=[bad.map(|_| "true")]
            aria-describedby=[bad.map(|_| format!("{name}-error"))] {
            @for (v, t) in options {
                option value=(v) selected[v == selected] { (t) }
            }
        }
    }
}

/// The prefectures as options, after a blank 「選んでください」.
pub(crate) fn prefecture_options(blank: &str) -> Vec<(String, String)> {
    let mut o = vec![(String::new(), blank.to_string())];
    o.extend(
        josei_store::bureaus::PREFECTURES
            .iter()
            .enumerate()
            .map(|(i, p)| ((i + 1).to_string(), (*p).to_string())),
    );
    o
}
