//! The administrators' pages (`/admin`): users (create, change, disable,
//! a password link by e-mail), employers (organisations) and their
//! delegations to 社会保険労務士, the labour-bureau directory and the rules in
//! force (the regime data and the correction file loaded with it). Every
//! page answers 403 to anyone but an administrator; every write goes through
//! `josei_app` (users, organizations, bureaus), which checks the role again
//! and audits it. The public page `/password-reset/{token}` is where a
//! password link leads (the token in the path is the form's secret: no
//! session, no other CSRF token).

use super::*;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use josei_app::users::{NewUserInput, ResetReason, UserEdit};
use josei_rules::model::Industry;
use josei_rules::regime::{Grade, ParamId};
use josei_store::bureaus::prefecture_name;
use josei_store::{Organization, OrganizationId, Role, User, UserFilter, UserId};
use maud::{html, Markup};
use serde::Deserialize;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(home))
        .route("/admin/users", get(users_page).post(user_create))
        .route("/admin/users/new", get(user_new))
        .route("/admin/users/{id}", get(user_page).post(user_update))
        .route("/admin/users/{id}/disable", post(user_disable))
        .route("/admin/users/{id}/enable", post(user_enable))
        .route("/admin/users/{id}/password-link", post(user_password_link))
        .route("/admin/organizations", get(orgs_page).post(org_create))
        .route("/admin/organizations/new", get(org_new))
        .route("/admin/organizations/{id}", get(org_page).post(org_update))
        .route(
            "/admin/organizations/{id}/delegations",
            post(delegation_grant),
        )
        .route(
            "/admin/organizations/{id}/delegations/revoke",
            post(delegation_revoke),
        )
        .route("/admin/bureaus", get(bureaus_page))
        .route(
            "/admin/bureaus/{prefecture}",
            get(bureau_page).post(bureau_update),
        )
        .route("/admin/rules", get(rules_page))
        .route(
            "/password-reset/{token}",
            get(reset_page).post(reset_submit),
        )
}

// ---------------------------------------------------------------------------
// Shared pieces.

/// What a handler answers: its page, or the page that ended it early (403,
/// 404, an application error).
type Answer = Result<Response, Response>;

/// Lets an administrator through; anyone else gets the 403 page.
#[allow(clippy::result_large_err)] // the Err is the page answered at once, never kept
fn admin_only(u: &WebUser) -> Result<(), Response> {
    if u.user.role == Role::Admin {
        return Ok(());
    }
    Err(error_page(
        StatusCode::FORBIDDEN,
        "権限がありません",
        "このページは管理者だけが使えます。",
        Some(u),
    ))
}

/// An application result whose error ends the handler with the error page.
#[allow(clippy::result_large_err)] // the Err is the page answered at once, never kept
trait OrPage<T> {
    fn or_page(self, u: &WebUser) -> Result<T, Response>;
}

impl<T> OrPage<T> for josei_app::Result<T> {
    fn or_page(self, u: &WebUser) -> Result<T, Response> {
        self.map_err(|e| api_error_page(e, u))
    }
}

/// Whether a form shows this refusal on its own page (an invalid input, and
/// a conflict when `conflict`) rather than on the error page.
fn shown_on_form(e: &josei_app::Error, conflict: bool) -> bool {
    e.kind == josei_app::Kind::Invalid || (conflict && e.kind == josei_app::Kind::Conflict)
}

/// A refused form: its page again (`title`, `body`) with the refusal's status.
fn refused(e: &josei_app::Error, title: &str, u: &WebUser, body: Markup) -> Response {
    (crate::error::status(e), page(title, Some(u), body)).into_response()
}

/// Where a post that went through leads.
fn see(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// 事業主 / 社会保険労務士 / 労働局職員 / 管理者.
pub(crate) fn role_ja(r: Role) -> &'static str {
    r.label()
}

const ROLES: [Role; 6] = Role::ALL;

fn industry_ja(i: Industry) -> &'static str {
    match i {
        Industry::Retail => "小売業（飲食店を含む）",
        Industry::Service => "サービス業",
        Industry::Wholesale => "卸売業",
        Industry::Other => "その他の業種",
    }
}

fn grade_ja(g: Grade) -> &'static str {
    match g {
        Grade::Seed => "初期値（案内資料に記載）",
        Grade::Official => "公式",
        Grade::Secondary => "二次資料",
        Grade::Interpretation => "解釈",
        Grade::Unverified => "未確認",
    }
}

/// The summary of a refused form: what failed, and a link to the field.
fn error_summary(title: &str, field: &str, label: &str, message: &str) -> Markup {
    html! {
        div.errors.error-summary #error-summary role="alert" tabindex="-1" aria-labelledby="error-summary-title" {
            h2 #error-summary-title { (title) }
            p { "入力した内容は残っています。直してから、もう一度送信してください。" }
            ul { li { a href=(format!("#{field}")) { (label) "：" (sentence(message)) } } }
        }
    }
}

/// A labelled text input (`kind`: text, email, password, tel, url), marked
/// invalid with its message when `err` names it.
fn input(
    kind: &str,
    name: &str,
    label: &str,
    hint: &str,
    value: &str,
    err: FieldError<'_>,
    autocomplete: &str,
) -> Markup {
    let bad = err.filter(|(f, _)| *f == name).map(|(_, m)| m);
    html! {
        label for=(name) { (label) @if !hint.is_empty() { span.hint { "　" (hint) } } }
        @if let Some(m) = bad { p.field-error id=(format!("{name}-error")) { (sentence(m)) } }
        input id=(name) type=(kind) name=(name) value=(value) autocomplete=(autocomplete)
            aria-invalid=[bad.map(|_| "true")]
            aria-describedby=[bad.map(|_| format!("{name}-error"))];
    }
}

/// A list: its caption, its column heads (the last `nums` of them columns
/// of numbers) and its rows.
fn list_table(caption: Markup, heads: &[&str], nums: usize, rows: Markup) -> Markup {
    let first_num = heads.len() - nums;
    html! {
        div.table-wrap {
            table.admin-list {
                caption { (caption) }
                thead { tr {
                    @for (i, h) in heads.iter().enumerate() {
                        th scope="col" class=[(i >= first_num).then_some("num")] { (h) }
                    }
                } }
                tbody { (rows) }
            }
        }
    }
}

/// The admin pages' breadcrumb back to 管理.
fn back(to: &str, text: &str) -> Markup {
    html! { p.no-print { a href=(to) { "← " (text) } } }
}

fn jtime_opt(t: Option<&str>) -> String {
    t.map_or_else(|| "—".to_string(), jtime)
}

// ---------------------------------------------------------------------------
// /admin

async fn home(State(state): State<AppState>, u: WebUser) -> Answer {
    admin_only(&u)?;
    let counts = josei_app::users::admin_counts(&state, &u.user)
        .await
        .or_page(&u)?;
    let bureaus = josei_app::bureaus::list(&state).await.or_page(&u)?;
    let (by_role, disabled, orgs, delegations) = (
        counts.by_role,
        counts.disabled,
        counts.organizations,
        counts.delegations,
    );
    let users: i64 = by_role.iter().map(|(_, n)| n).sum();
    let count_of = |r: Role| by_role.iter().find(|(x, _)| *x == r).map_or(0, |(_, n)| *n);
    let phones = bureaus.iter().filter(|b| !b.phone.is_empty()).count();
    let overlay = josei_rules::regime::set().overlay().is_some();
    Ok(page(
        "管理",
        Some(&u),
        html! {
            h1 { "管理" }
            p { "利用者、事業主（組織）と委任、労働局の連絡先、判定に使っている制度のデータを管理します。変更はすべて記録されます。" }
            div.cards.admin-cards {
                section.card aria-labelledby="a-users" {
                    h2 #a-users { a href="/admin/users" { "利用者" } }
                    p { strong { (users) } "人（うち無効 " (disabled) "人）" }
                    p.hint {
                        @for r in ROLES { (role_ja(r)) " " (count_of(r)) "人　" }
                    }
                    p { a href="/admin/users/new" { "利用者を追加する" } }
                }
                section.card aria-labelledby="a-orgs" {
                    h2 #a-orgs { a href="/admin/organizations" { "事業主（組織）と委任" } }
                    p { strong { (orgs) } "事業主　委任 " strong { (delegations) } "件" }
                    p.hint { "社会保険労務士への委任は、事業主ごとのページで追加・取消しします。" }
                }
                section.card aria-labelledby="a-bureaus" {
                    h2 #a-bureaus { a href="/admin/bureaus" { "労働局" } }
                    p { "47労働局（電話番号の登録 " strong { (phones) } "局）" }
                }
                section.card aria-labelledby="a-rules" {
                    h2 #a-rules { a href="/admin/rules" { "判定ルール" } }
                    p { @if overlay { "訂正ファイルを読み込んでいます。" } @else { "組み込みの制度データだけで判定しています。" } }
                }
            }
            h2 { "テレワークの導入・定着促進の事業" }
            div.cards.admin-cards {
                section.card aria-labelledby="a-desk" {
                    h2 #a-desk { a href="/desk" { "テレワーク相談センター" } }
                    p { "相談の記録、テレワークマネージャーによる" a href="/consulting" { "コンサルティング" } "、" a href="/consulting/outreach" { "アウトリーチの対象" } "。" }
                }
                section.card aria-labelledby="a-events" {
                    h2 #a-events { a href="/events/manage" { "セミナー・個別相談会" } }
                    p { "日程の登録と公開、申込者と出席、資料。" }
                }
                section.card aria-labelledby="a-award" {
                    h2 #a-award { a href="/award/admin" { "輝くテレワーク賞" } }
                    p { "募集の回、審査の状況、結果の決定と公表。" }
                }
                section.card aria-labelledby="a-programme" {
                    h2 #a-programme { a href="/programme/statistics" { "施策の統計" } }
                    p { "相談・セミナー・表彰・助成金の件数と予算額。" }
                }
            }
        },
    )
    .into_response())
}

// ---------------------------------------------------------------------------
// 利用者

#[derive(Deserialize, Default)]
struct UserListQuery {
    q: Option<String>,
    role: Option<String>,
    status: Option<String>,
    page: Option<String>,
}

async fn users_page(
    State(state): State<AppState>,
    u: WebUser,
    Query(q): Query<UserListQuery>,
) -> Answer {
    admin_only(&u)?;
    let text = q.q.clone().unwrap_or_default();
    let role = q.role.as_deref().and_then(Role::parse);
    let disabled = match q.status.as_deref() {
        Some("disabled") => Some(true),
        Some("enabled") => Some(false),
        _ => None,
    };
    let filter = UserFilter {
        text: Some(text.clone()),
        role,
        disabled,
    };
    let list = josei_app::users::list(&state, &u.user, &filter, parse_page(q.page.as_deref()))
        .await
        .or_page(&u)?;
    let mut org_names: std::collections::HashMap<OrganizationId, String> = Default::default();
    for id in list.users.iter().filter_map(|x| x.organization_id) {
        if let std::collections::hash_map::Entry::Vacant(v) = org_names.entry(id) {
            if let Ok(o) = josei_app::organizations::get(&state, &u.user, id).await {
                v.insert(o.name);
            }
        }
    }
    let mut query = vec![];
    if !text.trim().is_empty() {
        query.push(format!("q={}", urlencode(text.trim())));
    }
    if let Some(r) = role {
        query.push(format!("role={}", r.as_str()));
    }
    if let Some(s) = q
        .status
        .as_deref()
        .filter(|s| matches!(*s, "enabled" | "disabled"))
    {
        query.push(format!("status={s}"));
    }
    let query = query.join("&");
    let mut role_options = vec![(String::new(), "すべての役割".to_string())];
    role_options.extend(
        ROLES
            .iter()
            .map(|r| (r.as_str().to_string(), role_ja(*r).to_string())),
    );
    let status_options = vec![
        (String::new(), "有効・無効とも".to_string()),
        ("enabled".to_string(), "有効".to_string()),
        ("disabled".to_string(), "無効".to_string()),
    ];
    Ok(page(
        "利用者",
        Some(&u),
        html! {
            (back("/admin", "管理"))
            h1 { "利用者" }
            p { a.button href="/admin/users/new" { "利用者を追加する" } }
            form.filters method="get" action="/admin/users" role="search" aria-label="利用者の絞り込み" {
                div {
                    label for="q" { "ユーザー名・氏名・メールアドレス" }
                    input #q type="search" name="q" value=(text);
                }
                div { (select("role", "役割", "", &role_options, role.map_or("", Role::as_str), None)) }
                div { (select("status", "状態", "", &status_options, q.status.as_deref().unwrap_or(""), None)) }
                button type="submit" { "絞り込む" }
            }
            @if list.users.is_empty() {
                p { "条件に合う利用者はいません。" }
            } @else {
                (list_table(html! { "利用者の一覧（" (list.total) "人）" }, &["ユーザー名", "氏名", "役割", "所属", "メールアドレス", "状態"], 0, html! {
                    @for x in &list.users {
                        tr.disabled[x.disabled] {
                            td data-label="ユーザー名" { a href=(format!("/admin/users/{}", x.id)) { (x.username) } }
                            td data-label="氏名" { (x.display_name) }
                            td.nowrap data-label="役割" { (role_ja(x.role)) }
                            td data-label="所属" { (affiliation(x, &org_names)) }
                            td.email data-label="メールアドレス" { (x.email.as_deref().unwrap_or("—")) }
                            td.nowrap data-label="状態" { @if x.disabled { strong.ng { "無効" } } @else { "有効" } }
                        }
                    }
                }))
                (pager("/admin/users", &query, list.page, list.pages, list.total, "人"))
            }
        },
    )
    .into_response())
}

/// Where a user belongs: an employer's organisation, an officer's bureau, a
/// 社会保険労務士's office.
fn affiliation(x: &User, org_names: &std::collections::HashMap<OrganizationId, String>) -> String {
    match x.role {
        Role::Employer => x
            .organization_id
            .and_then(|id| org_names.get(&id).cloned())
            .unwrap_or_else(|| "—".into()),
        Role::Officer => x
            .prefecture
            .and_then(josei_app::bureaus::fallback_name)
            .unwrap_or_else(|| "—".into()),
        Role::Agent => x.office_name.clone().unwrap_or_else(|| "—".into()),
        Role::Admin | Role::Judge => "—".into(),
        Role::Advisor => "テレワーク相談センター".into(),
    }
}

#[derive(Deserialize, Default, Clone)]
struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    prefecture: String,
    #[serde(default)]
    organization_id: String,
    #[serde(default)]
    registration_number: String,
    #[serde(default)]
    office_name: String,
    #[serde(default)]
    password: String,
}

#[derive(Deserialize, Default)]
struct NewUserQuery {
    organization: Option<String>,
}

/// The organisations an employer's account may be given
/// ([`josei_app::organizations::choices`]), `chosen` among them.
async fn org_options(state: &AppState, u: &WebUser, chosen: &str) -> Vec<(String, String)> {
    let mut orgs = josei_app::organizations::choices(state, &u.user)
        .await
        .unwrap_or_default();
    if let Some(id) = parse_org_id(chosen) {
        if !orgs.iter().any(|o| o.id == id) {
            if let Ok(o) = josei_app::organizations::get(state, &u.user, id).await {
                orgs.push(o);
            }
        }
    }
    let mut o = vec![(String::new(), "選んでください".to_string())];
    o.extend(orgs.into_iter().map(|x| {
        let pref = prefecture_name(x.prefecture).unwrap_or("");
        (x.id.to_string(), format!("{}（{pref}）", x.name))
    }));
    o
}

fn field_label(field: &str) -> &'static str {
    match field {
        "username" => "ユーザー名",
        "display_name" => "氏名",
        "role" => "役割",
        "email" => "メールアドレス",
        "prefecture" => "都道府県",
        "organization_id" => "事業主（組織）",
        "registration_number" => "登録番号",
        "office_name" => "事務所名",
        "password" => "初期パスワード",
        "name" => "名称",
        "industry" => "業種",
        "regular_employees" => "常時雇用する労働者の数",
        "capital_yen" => "資本金",
        "agent" => "社会保険労務士のユーザー名",
        "department" => "担当部署",
        "phone" => "電話番号",
        "address" => "所在地",
        "url" => "ホームページ",
        "source" => "出典",
        "new_password" => "新しいパスワード",
        _ => "入力",
    }
}

/// The fields of an account, for the new-user form (`new`) and the
/// account's page.
fn user_fields(f: &UserForm, err: FieldError<'_>, orgs: &[(String, String)], new: bool) -> Markup {
    let role_options: Vec<(String, String)> = ROLES
        .iter()
        .map(|r| (r.as_str().to_string(), role_ja(*r).to_string()))
        .collect();
    html! {
        @if new {
            (input("text", "username", "ユーザー名", "ログインに使います。半角英数字と . _ - @、64文字まで", &f.username, err, "off"))
        }
        (input("text", "display_name", "氏名", "100文字まで", &f.display_name, err, "off"))
        (select("role", "役割", "", &role_options, &f.role, err))
        (input("email", "email", "メールアドレス", "お知らせとパスワード設定のご案内の送り先", &f.email, err, "off"))
        fieldset {
            legend { "役割ごとの項目" }
            (select("organization_id", "事業主（組織）", "事業主のときだけ選びます", orgs, &f.organization_id, err))
            (select("prefecture", "担当する都道府県", "労働局職員のときだけ選びます（必須）", &prefecture_options("選んでください"), &f.prefecture, err))
            (input("text", "registration_number", "登録番号", "社会保険労務士のときだけ。証票の番号（数字、10桁まで）", &f.registration_number, err, "off"))
            (input("text", "office_name", "事務所名", "社会保険労務士のときだけ。100文字まで", &f.office_name, err, "off"))
        }
    }
}

fn user_new_markup(
    u: &WebUser,
    f: &UserForm,
    err: FieldError<'_>,
    orgs: &[(String, String)],
) -> Markup {
    html! {
        (back("/admin/users", "利用者"))
        h1 { "利用者を追加する" }
        @if let Some((field, m)) = err { (error_summary("利用者を追加できませんでした", field, field_label(field), m)) }
        form method="post" action="/admin/users" novalidate {
            input type="hidden" name="csrf" value=(u.csrf);
            (user_fields(f, err, orgs, true))
            (input("password", "password", "初期パスワード（任意）", &format!("{}文字以上。空欄にすると、メールアドレスにパスワード設定のご案内（24時間有効）を送ります", crate::auth::MIN_PASSWORD), "", err, "new-password"))
            button type="submit" { "追加する" }
        }
    }
}

async fn user_new(
    State(state): State<AppState>,
    u: WebUser,
    Query(q): Query<NewUserQuery>,
) -> Answer {
    admin_only(&u)?;
    let preset = q.organization.unwrap_or_default();
    let orgs = org_options(&state, &u, &preset).await;
    let f = UserForm {
        role: if preset.is_empty() {
            String::new()
        } else {
            "employer".into()
        },
        organization_id: preset,
        ..UserForm::default()
    };
    Ok(page(
        "利用者を追加する",
        Some(&u),
        user_new_markup(&u, &f, None, &orgs),
    )
    .into_response())
}

/// The number a select sent: blank is none; anything else unreadable is
/// refused, naming the field.
fn chosen(v: &str, field: &'static str) -> Result<Option<i64>, josei_app::Error> {
    opt_number(v).map_err(|_| josei_app::Error::invalid(field, "一覧から選んでください"))
}

async fn user_create(State(state): State<AppState>, CsrfForm(u, f): CsrfForm<UserForm>) -> Answer {
    admin_only(&u)?;
    let result = async {
        let prefecture = chosen(&f.prefecture, "prefecture")?;
        let organization_id =
            chosen(&f.organization_id, "organization_id")?.map(OrganizationId::from);
        let display_name = if f.display_name.trim().is_empty() {
            f.username.trim()
        } else {
            f.display_name.trim()
        };
        let input = NewUserInput {
            username: f.username.trim(),
            password: &f.password,
            display_name,
            role: &f.role,
            organization_id,
            prefecture,
            email: Some(&f.email),
            registration_number: Some(&f.registration_number),
            office_name: Some(&f.office_name),
        };
        josei_app::users::create_with_link(&state, &u.user, &input).await
    }
    .await;
    Ok(match result {
        Ok((user, sent)) => see(&format!(
            "/admin/users/{}?done={}",
            user.id,
            if sent { "created_link" } else { "created" }
        )),
        Err(e) if shown_on_form(&e, true) => {
            let orgs = org_options(&state, &u, &f.organization_id).await;
            let err = Some((field_of(&e, "username"), e.message.as_str()));
            refused(
                &e,
                "利用者を追加する",
                &u,
                user_new_markup(&u, &f, err, &orgs),
            )
        }
        Err(e) => api_error_page(e, &u),
    })
}

/// The form field an application error names (known fields only; else `fallback`).
fn field_of(e: &josei_app::Error, fallback: &'static str) -> &'static str {
    let field = e.field.as_deref().unwrap_or("");
    const KNOWN: &[&str] = &[
        "username",
        "display_name",
        "role",
        "email",
        "prefecture",
        "organization_id",
        "registration_number",
        "office_name",
        "password",
        "name",
        "industry",
        "regular_employees",
        "capital_yen",
        "agent",
        "department",
        "phone",
        "address",
        "url",
        "source",
        "new_password",
    ];
    KNOWN
        .iter()
        .find(|k| **k == field)
        .copied()
        .unwrap_or(fallback)
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

fn user_form_of(x: &User) -> UserForm {
    UserForm {
        username: x.username.clone(),
        display_name: x.display_name.clone(),
        role: x.role.as_str().to_string(),
        email: x.email.clone().unwrap_or_default(),
        prefecture: x.prefecture.map(|p| p.to_string()).unwrap_or_default(),
        organization_id: x.organization_id.map(|p| p.to_string()).unwrap_or_default(),
        registration_number: x.registration_number.clone().unwrap_or_default(),
        office_name: x.office_name.clone().unwrap_or_default(),
        ..UserForm::default()
    }
}

/// What a finished action on an account says.
fn user_done(done: &str) -> Option<&'static str> {
    Some(match done {
        "created" => "利用者を追加しました。",
        "created_link" => "利用者を追加し、パスワード設定のご案内をメールで送りました（24時間有効）。",
        "saved" => "変更を保存しました。",
        "disabled" => "利用者を無効にしました。この利用者はログインできず、ログイン中の画面とAPIトークンも使えなくなりました。",
        "enabled" => "利用者を有効に戻しました。APIトークンは改めて発行してもらってください。",
        "link_sent" => "パスワード再設定のご案内をメールで送りました（24時間有効。前に送ったご案内は使えなくなりました）。",
        _ => return None,
    })
}

/// Which form of the account's page failed: the account's fields, or an
/// action (disable, enable, password link) with its message.
enum UserPageError<'a> {
    Fields(&'a str, &'a str),
    Action(&'a str, &'a str),
}

/// The account's page with `status` (200, or a refusal's).
async fn user_answer(
    state: &AppState,
    u: &WebUser,
    x: &User,
    form: &UserForm,
    error: Option<UserPageError<'_>>,
    done: Option<&str>,
    status: StatusCode,
) -> Response {
    let orgs = org_options(state, u, &form.organization_id).await;
    let field_err = match &error {
        Some(UserPageError::Fields(f, m)) => Some((*f, *m)),
        _ => None,
    };
    let me = x.id == u.user.id;
    let body = html! {
        (back("/admin/users", "利用者"))
        h1 { "利用者：" (x.display_name) }
        @if let Some(m) = done.and_then(user_done) { div.success role="status" { p { (m) } } }
        @if let Some((field, m)) = field_err { (error_summary("変更を保存できませんでした", field, field_label(field), m)) }
        @if let Some(UserPageError::Action(what, m)) = &error {
            div.errors.error-summary role="alert" { h2 { (what) } p { (sentence(m)) } }
        }
        dl.facts {
            div { dt { "ユーザー名" } dd { (x.username) } }
            div { dt { "役割" } dd { (role_ja(x.role)) } }
            div { dt { "状態" } dd { @if x.disabled { strong.ng { "無効（ログインできません）" } } @else { "有効" } } }
        }
        h2 #edit { "登録内容の変更" }
        form method="post" action=(format!("/admin/users/{}", x.id)) novalidate {
            input type="hidden" name="csrf" value=(u.csrf);
            (user_fields(form, field_err, &orgs, false))
            @if me { p.hint { "自分自身の役割は変更できません。" } }
            button type="submit" { "変更を保存する" }
        }
        h2 #password { "パスワード" }
        p { "管理者はパスワードを見ることも決めることもできません。登録したメールアドレスに、本人が新しいパスワードを設定するためのご案内（24時間有効、一度だけ使えます）を送ります。" }
        @if x.email.is_none() { p.notice { "メールアドレスが登録されていないため、ご案内を送れません。先にメールアドレスを登録してください。" } }
        form method="post" action=(format!("/admin/users/{}/password-link", x.id)) {
            input type="hidden" name="csrf" value=(u.csrf);
            button type="submit" { "パスワード再設定のご案内を送る" }
        }
        h2 #status { "利用の停止" }
        @if x.disabled {
            p { "有効に戻すと、もう一度ログインできます（APIトークンは戻りません）。" }
            form method="post" action=(format!("/admin/users/{}/enable", x.id)) {
                input type="hidden" name="csrf" value=(u.csrf);
                button type="submit" { "有効に戻す" }
            }
        } @else if me {
            p { "自分自身のアカウントは無効にできません。" }
        } @else {
            p { "無効にすると、この利用者はログインできなくなり、ログイン中の画面とAPIトークンもすぐに使えなくなります。申請や記録は消えません。" }
            form method="post" action=(format!("/admin/users/{}/disable", x.id)) {
                input type="hidden" name="csrf" value=(u.csrf);
                button.danger type="submit" { "この利用者を無効にする" }
            }
        }
    };
    (status, page("利用者", Some(u), body)).into_response()
}

fn parse_user_id(id: &str) -> Option<UserId> {
    id.parse::<i64>().ok().map(UserId::from)
}

fn not_found_page(u: &WebUser) -> Response {
    api_error_page(josei_app::Error::not_found(), u)
}

/// The account the address names, for an administrator only (else 403; 404
/// for an address that names no account).
async fn admin_user(state: &AppState, u: &WebUser, id: &str) -> Result<User, Response> {
    admin_only(u)?;
    let id = parse_user_id(id).ok_or_else(|| not_found_page(u))?;
    josei_app::users::get(state, &u.user, id).await.or_page(u)
}

async fn user_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Answer {
    let x = admin_user(&state, &u, &id).await?;
    let form = user_form_of(&x);
    Ok(user_answer(
        &state,
        &u,
        &x,
        &form,
        None,
        q.done.as_deref(),
        StatusCode::OK,
    )
    .await)
}

async fn user_update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, f): CsrfForm<UserForm>,
) -> Answer {
    let x = admin_user(&state, &u, &id).await?;
    let result = async {
        let prefecture = chosen(&f.prefecture, "prefecture")?;
        let organization_id =
            chosen(&f.organization_id, "organization_id")?.map(OrganizationId::from);
        let edit = UserEdit {
            display_name: &f.display_name,
            role: &f.role,
            organization_id,
            prefecture,
            email: &f.email,
            registration_number: &f.registration_number,
            office_name: &f.office_name,
        };
        josei_app::users::update(&state, &u.user, x.id, &edit).await
    }
    .await;
    Ok(match result {
        Ok(_) => see(&format!("/admin/users/{}?done=saved", x.id)),
        Err(e) if shown_on_form(&e, false) => {
            let error = UserPageError::Fields(field_of(&e, "display_name"), &e.message);
            let status = crate::error::status(&e);
            user_answer(&state, &u, &x, &f, Some(error), None, status).await
        }
        Err(e) => api_error_page(e, &u),
    })
}

#[derive(Deserialize)]
struct TokenOnly {
    #[serde(default)]
    csrf: String,
}

/// Runs `action` on the account the address names and goes back to its
/// page with `done`; a refusal is shown on the page under `what`, the
/// account unchanged.
async fn user_action<F, Fut>(
    state: &AppState,
    u: &WebUser,
    id: &str,
    what: &str,
    done: &str,
    action: F,
) -> Answer
where
    F: FnOnce(UserId) -> Fut,
    Fut: std::future::Future<Output = josei_app::Result<()>>,
{
    let x = admin_user(state, u, id).await?;
    Ok(match action(x.id).await {
        Ok(()) => see(&format!("/admin/users/{}?done={done}", x.id)),
        Err(e) if shown_on_form(&e, true) => {
            let error = UserPageError::Action(what, &e.message);
            let status = crate::error::status(&e);
            user_answer(state, u, &x, &user_form_of(&x), Some(error), None, status).await
        }
        Err(e) => api_error_page(e, u),
    })
}

/// Disables (`disabled`) or enables again the account the address names.
async fn user_set_disabled(state: &AppState, u: &WebUser, id: &str, disabled: bool) -> Answer {
    let (what, done) = if disabled {
        ("無効にできませんでした", "disabled")
    } else {
        ("有効に戻せませんでした", "enabled")
    };
    let me = &u.user;
    user_action(state, u, id, what, done, move |id| async move {
        josei_app::users::set_disabled(state, me, id, disabled)
            .await
            .map(|_| ())
    })
    .await
}

async fn user_disable(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, _f): CsrfForm<TokenOnly>,
) -> Answer {
    user_set_disabled(&state, &u, &id, true).await
}

async fn user_enable(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, _f): CsrfForm<TokenOnly>,
) -> Answer {
    user_set_disabled(&state, &u, &id, false).await
}

async fn user_password_link(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, _f): CsrfForm<TokenOnly>,
) -> Answer {
    let (s, me) = (&state, &u.user);
    let what = "ご案内を送れませんでした";
    user_action(&state, &u, &id, what, "link_sent", move |id| async move {
        josei_app::users::send_password_link(s, me, id, ResetReason::Reset).await
    })
    .await
}

// ---------------------------------------------------------------------------
// 事業主（組織）と委任

#[derive(Deserialize, Default)]
struct OrgListQuery {
    q: Option<String>,
    page: Option<String>,
}

async fn orgs_page(
    State(state): State<AppState>,
    u: WebUser,
    Query(q): Query<OrgListQuery>,
) -> Answer {
    admin_only(&u)?;
    let text = q.q.clone().unwrap_or_default();
    let number = parse_page(q.page.as_deref());
    let list = josei_app::organizations::page(&state, &u.user, Some(&text), number)
        .await
        .or_page(&u)?;
    let query = if text.trim().is_empty() {
        String::new()
    } else {
        format!("q={}", urlencode(text.trim()))
    };
    Ok(page(
        "事業主（組織）",
        Some(&u),
        html! {
            (back("/admin", "管理"))
            h1 { "事業主（組織）" }
            p { "事業主の名称や所在地を変更し、社会保険労務士への委任を追加・取消しします。" }
            p { a.button href="/admin/organizations/new" { "事業主を登録する" } }
            form.filters method="get" action="/admin/organizations" role="search" aria-label="事業主の検索" {
                div {
                    label for="q" { "名称" }
                    input #q type="search" name="q" value=(text);
                }
                button type="submit" { "検索する" }
            }
            @if list.organizations.is_empty() {
                p { "条件に合う事業主はいません。" }
            } @else {
                (list_table(html! { "事業主の一覧（" (list.total) "件）" }, &["名称", "所在地（管轄の労働局）", "業種", "常時雇用する労働者"], 1, html! {
                    @for o in &list.organizations {
                        tr {
                            td data-label="名称" { a href=(format!("/admin/organizations/{}", o.id)) { (o.name) } }
                            td data-label="所在地" { (prefecture_name(o.prefecture).unwrap_or("—")) }
                            td data-label="業種" { (org_industry(o).map_or("—", industry_ja)) }
                            td.num data-label="常時雇用する労働者" { (o.employer.get("regular_employees").and_then(serde_json::Value::as_i64).unwrap_or(0)) "人" }
                        }
                    }
                }))
                (pager("/admin/organizations", &query, list.page, list.pages, list.total, "件"))
            }
        },
    )
    .into_response())
}

fn org_industry(o: &Organization) -> Option<Industry> {
    o.employer
        .get("industry")
        .and_then(serde_json::Value::as_str)
        .and_then(Industry::parse)
}

fn industry_options() -> Vec<(String, String)> {
    let mut o = vec![(String::new(), "選んでください".to_string())];
    o.extend(
        Industry::ALL
            .iter()
            .map(|i| (i.as_str().to_string(), industry_ja(*i).to_string())),
    );
    o
}

#[derive(Deserialize, Default)]
struct OrgForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    prefecture: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    regular_employees: String,
    #[serde(default)]
    capital_yen: String,
    #[serde(default)]
    employment_insurance: String,
}

fn org_new_markup(u: &WebUser, f: &OrgForm, err: FieldError<'_>) -> Markup {
    html! {
        (back("/admin/organizations", "事業主（組織）"))
        h1 { "事業主を登録する" }
        @if let Some((field, m)) = err { (error_summary("事業主を登録できませんでした", field, field_label(field), m)) }
        form method="post" action="/admin/organizations" novalidate {
            input type="hidden" name="csrf" value=(u.csrf);
            (input("text", "name", "名称", "100文字まで", &f.name, err, "organization"))
            (select("prefecture", "所在地の都道府県", "管轄の労働局が決まります", &prefecture_options("選んでください"), &f.prefecture, err))
            (select("industry", "業種", "", &industry_options(), &f.industry, err))
            (input("text", "regular_employees", "常時雇用する労働者の数", "人数（0以上の整数）", &f.regular_employees, err, "off"))
            (input("text", "capital_yen", "資本金（円）", "分からなければ空欄", &f.capital_yen, err, "off"))
            div.choices {
                label { input type="checkbox" name="employment_insurance" value="1" checked[f.employment_insurance == "1"]; " 雇用保険の適用事業主である" }
            }
            p.hint { "テレワークの実施状況などは、申請の入力で事業主が登録します。" }
            button type="submit" { "登録する" }
        }
    }
}

async fn org_new(u: WebUser) -> Answer {
    admin_only(&u)?;
    let f = OrgForm {
        employment_insurance: "1".into(),
        ..OrgForm::default()
    };
    Ok(page("事業主を登録する", Some(&u), org_new_markup(&u, &f, None)).into_response())
}

async fn org_create(State(state): State<AppState>, CsrfForm(u, f): CsrfForm<OrgForm>) -> Answer {
    admin_only(&u)?;
    let result = async {
        let prefecture = chosen(&f.prefecture, "prefecture")?;
        let regular_employees = opt_number(&f.regular_employees).map_err(|_| {
            josei_app::Error::invalid(
                "regular_employees",
                "常時雇用する労働者の数を、0以上の整数で入力してください",
            )
        })?;
        let capital_yen = opt_number(&f.capital_yen).map_err(|_| {
            josei_app::Error::invalid("capital_yen", "資本金は数字（円）で入力してください")
        })?;
        let input = josei_app::organizations::NewOrgInput {
            name: &f.name,
            prefecture,
            industry: &f.industry,
            regular_employees,
            capital_yen,
            employment_insurance: f.employment_insurance == "1",
        };
        josei_app::organizations::create_from_form(&state, &u.user, &input).await
    }
    .await;
    Ok(match result {
        Ok(o) => see(&format!("/admin/organizations/{}?done=created", o.id)),
        Err(e) if shown_on_form(&e, false) => {
            let err = Some((field_of(&e, "name"), e.message.as_str()));
            refused(&e, "事業主を登録する", &u, org_new_markup(&u, &f, err))
        }
        Err(e) => api_error_page(e, &u),
    })
}

#[derive(Deserialize, Default)]
struct DelegationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    agent: String,
}

/// What the organisation's page shows after a post.
#[derive(Default)]
struct OrgPageState<'a> {
    form: Option<&'a OrgForm>,
    field_error: FieldError<'a>,
    agent_typed: &'a str,
    agent_error: Option<&'a str>,
    done: Option<&'a str>,
}

fn org_done(done: &str) -> Option<&'static str> {
    Some(match done {
        "created" => "事業主を登録しました。",
        "saved" => "変更を保存しました。",
        "granted" => {
            "委任を追加しました。この社会保険労務士は、この事業主の申請を扱えるようになりました。"
        }
        "revoked" => {
            "委任を取り消しました。この社会保険労務士は、この事業主の申請を扱えなくなりました。"
        }
        _ => return None,
    })
}

async fn render_org(
    state: &AppState,
    u: &WebUser,
    o: &Organization,
    s: OrgPageState<'_>,
) -> Result<Markup, josei_app::Error> {
    let delegations = josei_app::organizations::delegations(state, &u.user, o.id).await?;
    let own = OrgForm {
        name: o.name.clone(),
        prefecture: o.prefecture.to_string(),
        industry: org_industry(o)
            .map(|i| i.as_str().to_string())
            .unwrap_or_default(),
        ..OrgForm::default()
    };
    let f = s.form.unwrap_or(&own);
    let err = s.field_error;
    let live = delegations
        .iter()
        .filter(|d| d.revoked_at.is_none())
        .count();
    Ok(html! {
        (back("/admin/organizations", "事業主（組織）"))
        h1 { (o.name) }
        @if let Some(m) = s.done.and_then(org_done) { div.success role="status" { p { (m) } } }
        @if let Some((field, m)) = err { (error_summary("変更を保存できませんでした", field, field_label(field), m)) }
        @if let Some(m) = s.agent_error { (error_summary("委任を追加できませんでした", "agent", field_label("agent"), m)) }
        h2 #edit { "名称・所在地・業種" }
        p.hint { "所在地の都道府県を変えると、この事業主の申請を審査する労働局が変わります。申請に入力済みの事業主の情報は変わりません。" }
        form method="post" action=(format!("/admin/organizations/{}", o.id)) novalidate {
            input type="hidden" name="csrf" value=(u.csrf);
            (input("text", "name", "名称", "100文字まで", &f.name, err, "organization"))
            (select("prefecture", "所在地の都道府県", "", &prefecture_options("選んでください"), &f.prefecture, err))
            (select("industry", "業種", "", &industry_options(), &f.industry, err))
            button type="submit" { "変更を保存する" }
        }
        p { a href=(format!("/admin/users/new?organization={}", o.id)) { "この事業主の利用者を追加する" } }
        h2 #delegations { "社会保険労務士への委任" }
        p { "委任を受けた社会保険労務士は、この事業主の申請を見て、代わりに入力・提出できます。" }
        @if delegations.is_empty() {
            p { "委任はありません。" }
        } @else {
            (list_table(html! { "委任の一覧（委任中 " (live) "件）" }, &["社会保険労務士", "事務所名", "委任した日時", "状態"], 0, html! {
                @for d in &delegations {
                    tr {
                        td data-label="社会保険労務士" { (d.agent_name) "（" (d.agent_username) "）" }
                        td data-label="事務所名" { (d.agent_office.as_deref().unwrap_or("—")) }
                        td data-label="委任した日時" { (jtime(&d.granted_at)) }
                        td data-label="状態" {
                            @if d.revoked_at.is_none() {
                                "委任中"
                                form.inline method="post" action=(format!("/admin/organizations/{}/delegations/revoke", o.id)) {
                                    input type="hidden" name="csrf" value=(u.csrf);
                                    input type="hidden" name="agent" value=(d.agent_username);
                                    " "
                                    button.link type="submit" aria-label=(format!("{}さんへの委任を取り消す", d.agent_name)) { "取り消す" }
                                }
                            } @else {
                                "取消し（" (jtime_opt(d.revoked_at.as_deref())) "）"
                            }
                        }
                    }
                }
            }))
        }
        h3 { "委任を追加する" }
        form method="post" action=(format!("/admin/organizations/{}/delegations", o.id)) novalidate {
            input type="hidden" name="csrf" value=(u.csrf);
            (input("text", "agent", "社会保険労務士のユーザー名", "利用者の一覧で確かめられます", s.agent_typed, s.agent_error.map(|m| ("agent", m)), "off"))
            button type="submit" { "委任を追加する" }
        }
    })
}

fn parse_org_id(id: &str) -> Option<OrganizationId> {
    id.parse::<i64>().ok().map(OrganizationId::from)
}

/// The organisation the address names, for an administrator only (else
/// 403; 404 for an address that names no organisation).
#[allow(clippy::result_large_err)] // the Err is the page answered at once, never kept
fn admin_org_id(u: &WebUser, id: &str) -> Result<OrganizationId, Response> {
    admin_only(u)?;
    parse_org_id(id).ok_or_else(|| not_found_page(u))
}

/// [`admin_org_id`], and the organisation loaded.
async fn admin_org(state: &AppState, u: &WebUser, id: &str) -> Result<Organization, Response> {
    let id = admin_org_id(u, id)?;
    josei_app::organizations::get(state, &u.user, id)
        .await
        .or_page(u)
}

/// The organisation's page with `status` (200, or a refusal's).
async fn org_answer(
    state: &AppState,
    u: &WebUser,
    o: &Organization,
    s: OrgPageState<'_>,
    status: StatusCode,
) -> Response {
    match render_org(state, u, o, s).await {
        Ok(body) => (status, page("事業主（組織）", Some(u), body)).into_response(),
        Err(e) => api_error_page(e, u),
    }
}

async fn org_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Answer {
    let o = admin_org(&state, &u, &id).await?;
    let s = OrgPageState {
        done: q.done.as_deref(),
        ..OrgPageState::default()
    };
    Ok(org_answer(&state, &u, &o, s, StatusCode::OK).await)
}

async fn org_update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, f): CsrfForm<OrgForm>,
) -> Answer {
    let o = admin_org(&state, &u, &id).await?;
    let result = async {
        let prefecture = chosen(&f.prefecture, "prefecture")?;
        josei_app::organizations::update(&state, &u.user, o.id, &f.name, prefecture, &f.industry)
            .await
    }
    .await;
    Ok(match result {
        Ok(_) => see(&format!("/admin/organizations/{}?done=saved", o.id)),
        Err(e) if shown_on_form(&e, false) => {
            let s = OrgPageState {
                form: Some(&f),
                field_error: Some((field_of(&e, "name"), &e.message)),
                ..OrgPageState::default()
            };
            org_answer(&state, &u, &o, s, crate::error::status(&e)).await
        }
        Err(e) => api_error_page(e, &u),
    })
}

async fn delegation_grant(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, f): CsrfForm<DelegationForm>,
) -> Answer {
    let o = admin_org(&state, &u, &id).await?;
    let agent = f.agent.trim();
    let result = if agent.is_empty() {
        Err(josei_app::Error::invalid(
            "agent",
            "委任する社会保険労務士のユーザー名を入力してください",
        ))
    } else {
        josei_app::organizations::grant_delegation(&state, &u.user, o.id, agent).await
    };
    Ok(match result {
        Ok(_) => see(&format!(
            "/admin/organizations/{}?done=granted#delegations",
            o.id
        )),
        Err(e) if shown_on_form(&e, true) => {
            let s = OrgPageState {
                agent_typed: &f.agent,
                agent_error: Some(&e.message),
                ..OrgPageState::default()
            };
            org_answer(&state, &u, &o, s, crate::error::status(&e)).await
        }
        Err(e) => api_error_page(e, &u),
    })
}

async fn delegation_revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(u, f): CsrfForm<DelegationForm>,
) -> Answer {
    let id = admin_org_id(&u, &id)?;
    josei_app::organizations::revoke_delegation(&state, &u.user, id, f.agent.trim())
        .await
        .or_page(&u)?;
    Ok(see(&format!(
        "/admin/organizations/{id}?done=revoked#delegations"
    )))
}

// ---------------------------------------------------------------------------
// 労働局

/// Whether an entry is as the seed leaflet gave it (never changed here).
fn from_seed(b: &josei_store::Bureau) -> bool {
    b.updated_by.is_none() && !b.source.is_empty()
}

async fn bureaus_page(State(state): State<AppState>, u: WebUser) -> Answer {
    admin_only(&u)?;
    let list = josei_app::bureaus::list(&state).await.or_page(&u)?;
    let seeded = list.iter().filter(|b| from_seed(b)).count();
    Ok(page(
        "労働局",
        Some(&u),
        html! {
            (back("/admin", "管理"))
            h1 { "労働局" }
            p { "47の都道府県労働局の問い合わせ先です。診断の結果や申請のページ、印刷する書類に載ります。" }
            p { "案内資料に載っていた " (seeded) " 局は、その資料を出典として登録済みです。ほかの労働局の電話番号や所在地は、確かめてから登録してください。" }
            (list_table(html! { "都道府県労働局の一覧（47局）" }, &["労働局", "担当部署", "電話番号", "所在地", "出典・登録"], 0, html! {
                @for b in &list {
                    tr {
                        td data-label="労働局" { a href=(format!("/admin/bureaus/{}", b.prefecture)) { (b.name) } }
                        td data-label="担当部署" { (b.department) }
                        td.nowrap data-label="電話番号" { @if b.phone.is_empty() { span.hint { "未登録" } } @else { (b.phone) } }
                        td data-label="所在地" { @if b.address.is_empty() { span.hint { "未登録" } } @else { (b.address) } }
                        td data-label="出典・登録" {
                            @if from_seed(b) {
                                strong { "案内資料から" } br; span.hint { (b.source) }
                            } @else if let Some(at) = &b.updated_at {
                                "管理者が変更（" (jtime(at)) "）"
                                @if !b.source.is_empty() { br; span.hint { "出典：" (b.source) } }
                            } @else {
                                span.hint { "名称のみ" }
                            }
                        }
                    }
                }
            }))
        },
    )
    .into_response())
}

#[derive(Deserialize, Default)]
struct BureauForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    source: String,
}

fn bureau_markup(
    u: &WebUser,
    b: &josei_store::Bureau,
    f: &BureauForm,
    err: FieldError<'_>,
    saved: bool,
) -> Markup {
    html! {
        (back("/admin/bureaus", "労働局"))
        h1 { (b.name) }
        @if saved { div.success role="status" { p { "問い合わせ先を保存しました。" } } }
        @if let Some((field, m)) = err { (error_summary("問い合わせ先を保存できませんでした", field, field_label(field), m)) }
        dl.facts {
            div { dt { "都道府県" } dd { (b.prefecture_name) } }
            div { dt { "登録" } dd {
                @if from_seed(b) { "案内資料から（出典：" (b.source) "）" }
                @else if let Some(at) = &b.updated_at { "管理者が変更（" (jtime(at)) "）" }
                @else { "名称のみ" }
            } }
        }
        p.hint { "労働局の名称は変えられません。空欄にした項目は「未登録」になります。" }
        form method="post" action=(format!("/admin/bureaus/{}", b.prefecture)) novalidate {
            input type="hidden" name="csrf" value=(u.csrf);
            (input("text", "department", "担当部署", "100文字まで", &f.department, err, "off"))
            (input("tel", "phone", "電話番号", "例: 088-652-2718", &f.phone, err, "off"))
            (input("text", "address", "所在地", "200文字まで", &f.address, err, "off"))
            (input("url", "url", "ホームページ", "https:// から始まるアドレス", &f.url, err, "off"))
            (input("text", "source", "出典", "どの資料やページで確かめたか（300文字まで）", &f.source, err, "off"))
            button type="submit" { "保存する" }
        }
    }
}

fn bureau_form_of(b: &josei_store::Bureau) -> BureauForm {
    BureauForm {
        department: b.department.clone(),
        phone: b.phone.clone(),
        address: b.address.clone(),
        url: b.url.clone(),
        source: b.source.clone(),
        ..BureauForm::default()
    }
}

#[derive(Deserialize, Default)]
struct SavedQuery {
    saved: Option<String>,
}

/// The bureau the address names (its prefecture's code), for an
/// administrator only (else 403; 404 for an address that names none).
async fn admin_bureau(
    state: &AppState,
    u: &WebUser,
    prefecture: &str,
) -> Result<josei_store::Bureau, Response> {
    admin_only(u)?;
    let prefecture = prefecture.parse::<i64>().map_err(|_| not_found_page(u))?;
    josei_app::bureaus::get(state, prefecture).await.or_page(u)
}

async fn bureau_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(prefecture): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Answer {
    let b = admin_bureau(&state, &u, &prefecture).await?;
    let body = bureau_markup(&u, &b, &bureau_form_of(&b), None, q.saved.is_some());
    Ok(page("労働局", Some(&u), body).into_response())
}

async fn bureau_update(
    State(state): State<AppState>,
    Path(prefecture): Path<String>,
    CsrfForm(u, f): CsrfForm<BureauForm>,
) -> Answer {
    let b = admin_bureau(&state, &u, &prefecture).await?;
    let change = josei_app::bureaus::BureauUpdate {
        department: Some(f.department.clone()),
        phone: Some(f.phone.clone()),
        address: Some(f.address.clone()),
        url: Some(f.url.clone()),
        source: Some(f.source.clone()),
    };
    Ok(
        match josei_app::bureaus::update(&state, &u.user, b.prefecture, &change).await {
            Ok(_) => see(&format!("/admin/bureaus/{}?saved=1", b.prefecture)),
            Err(e) if shown_on_form(&e, false) => {
                let err = Some((field_of(&e, "department"), e.message.as_str()));
                refused(&e, "労働局", &u, bureau_markup(&u, &b, &f, err, false))
            }
            Err(e) => api_error_page(e, &u),
        },
    )
}

// ---------------------------------------------------------------------------
// 判定ルール

/// An overridden parameter as the overlay names it (`R6.goal_rate_percent`,
/// `course.x`, `budget.R6`): what it is and each regime's grade, in words.
fn overridden(set: &josei_rules::regime::RegimeSet, key: &str) -> (String, String, String) {
    let regime_name = |id: &str| {
        set.by_id(id)
            .map_or_else(|| "（該当する年度なし）".to_string(), |r| r.name.clone())
    };
    if let Some(id) = key.strip_prefix("budget.") {
        let grade = set
            .by_id(id)
            .and_then(|r| r.budget.as_ref())
            .map_or("—", |b| grade_ja(b.provenance.grade));
        return (regime_name(id), "予算額".into(), grade.into());
    }
    let (scope, name) = key.split_once('.').unwrap_or(("", key));
    let Some(p) = ParamId::parse(name) else {
        return (String::new(), "（不明な項目）".into(), "—".into());
    };
    if scope == "course" {
        let mut grades: Vec<&str> = set
            .all()
            .iter()
            .filter(|r| r.uses(p) && r.provenance(p).stated_in == "course")
            .map(|r| grade_ja(r.provenance(p).grade))
            .collect();
        grades.sort_unstable();
        grades.dedup();
        let grade = if grades.is_empty() {
            "—（どの年度も年度ごとの値を使います）".to_string()
        } else {
            grades.join("・")
        };
        return ("全年度共通".into(), p.label_ja().into(), grade);
    }
    let grade = set
        .by_id(scope)
        .map_or("—", |r| grade_ja(r.provenance(p).grade));
    (regime_name(scope), p.label_ja().into(), grade.into())
}

async fn rules_page(u: WebUser) -> Answer {
    admin_only(&u)?;
    let set = josei_rules::regime::set();
    let overlay = set.overlay();
    Ok(page(
        "判定ルール",
        Some(&u),
        html! {
            (back("/admin", "管理"))
            h1 { "判定ルール" }
            p { "判定と金額の計算に使っている、年度ごとの制度のデータです。値ごとに、どこまで確かめられたか（公式・二次資料・解釈・未確認・初期値）を記録しています。" }
            (list_table(html! { "年度ごとの制度" }, &["年度", "当てはめる期間", "解釈による値", "未確認の値"], 2, html! {
                @for r in set.all() {
                    tr {
                        td.nowrap data-label="年度" { (r.name) }
                        td data-label="当てはめる期間" { (r.coverage_ja()) }
                        td.num data-label="解釈による値" { (r.interpretation_count()) "件" }
                        td.num data-label="未確認の値" { (r.unverified_count()) "件" }
                    }
                }
            }))
            h2 #overlay { "訂正ファイル" }
            @match overlay {
                None => {
                    p { "訂正ファイルは読み込まれていません。組み込みの制度データだけで判定しています。" }
                    p.hint { "支給要領の改正などで値を直すときは、サーバーの起動時に訂正ファイルを指定します（プログラムの更新を待たずに直せます）。" }
                }
                Some(o) => {
                    p { "サーバーの起動時に訂正ファイルを読み込み、組み込みの制度データに重ねて判定しています。支給決定には、この訂正ファイルの識別値が記録されます。" }
                    dl.facts {
                        div { dt { "識別値（SHA-256）" } dd { code.hash { (o.sha256) } } }
                        div { dt { "訂正した値" } dd { (o.changed.len()) "件" } }
                    }
                    @if !o.changed.is_empty() {
                        (list_table(html! { "訂正ファイルで変えた値" }, &["年度", "項目", "確かさ"], 0, html! {
                            @for key in &o.changed {
                                @let (year, what, grade) = overridden(set, key);
                                tr { td data-label="年度" { (year) } td data-label="項目" { (what) } td data-label="確かさ" { (grade) } }
                            }
                        }))
                    }
                }
            }
        },
    )
    .into_response())
}

// ---------------------------------------------------------------------------
// /password-reset/{token}: public

#[derive(Deserialize, Default)]
struct ResetForm {
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_again: String,
}

fn reset_markup(token: &str, user: &User, err: FieldError<'_>) -> Markup {
    let bad = |f: &str| err.filter(|(x, _)| *x == f).map(|(_, m)| m);
    html! {
        h1 { "パスワードの設定" }
        @if let Some((field, m)) = err { (error_summary("パスワードを設定できませんでした", field, field_label(field), m)) }
        p { "ユーザー名 " strong { (user.username) } " のパスワードを設定します。設定すると、このページのリンクは使えなくなり、ほかの端末のログインは終了します。" }
        form method="post" action=(format!("/password-reset/{token}")) novalidate {
            input type="text" name="username" value=(user.username) autocomplete="username" hidden aria-hidden="true" tabindex="-1" aria-label="ユーザー名";
            label for="new_password" { "新しいパスワード" span.hint { "　" (crate::auth::MIN_PASSWORD) "文字以上。ユーザー名と同じものは使えません" } }
            @if let Some(m) = bad("new_password") { p.field-error #new_password-error { (sentence(m)) } }
            input #new_password type="password" name="new_password" autocomplete="new-password" required minlength=(crate::auth::MIN_PASSWORD)
                aria-invalid=[bad("new_password").map(|_| "true")] aria-describedby=[bad("new_password").map(|_| "new_password-error")];
            label for="new_password_again" { "新しいパスワード（確認のため、もう一度）" }
            @if let Some(m) = bad("new_password_again") { p.field-error #new_password_again-error { (sentence(m)) } }
            input #new_password_again type="password" name="new_password_again" autocomplete="new-password" required
                aria-invalid=[bad("new_password_again").map(|_| "true")] aria-describedby=[bad("new_password_again").map(|_| "new_password_again-error")];
            button type="submit" { "パスワードを設定する" }
        }
    }
}

/// The password pages carry a secret in their address: never kept by a
/// browser's or a proxy's cache.
fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    r
}

async fn reset_page(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    no_store(reset_page_inner(state, token).await)
}

async fn reset_submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    axum::extract::Form(f): axum::extract::Form<ResetForm>,
) -> Response {
    no_store(reset_submit_inner(state, token, f).await)
}

fn reset_refused_page(e: &josei_app::Error) -> Response {
    error_page(
        crate::error::status(e),
        "このリンクは使えません",
        &e.message,
        None,
    )
}

async fn reset_page_inner(state: AppState, token: String) -> Response {
    match josei_app::users::password_link_user(&state, &token).await {
        Ok(user) => {
            page("パスワードの設定", None, reset_markup(&token, &user, None)).into_response()
        }
        Err(e) => reset_refused_page(&e),
    }
}

async fn reset_submit_inner(state: AppState, token: String, f: ResetForm) -> Response {
    let user = match josei_app::users::password_link_user(&state, &token).await {
        Ok(u) => u,
        Err(e) => return reset_refused_page(&e),
    };
    if f.new_password != f.new_password_again {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            page(
                "パスワードの設定",
                None,
                reset_markup(
                    &token,
                    &user,
                    Some((
                        "new_password_again",
                        "確認のために入力したパスワードが一致しません",
                    )),
                ),
            ),
        )
            .into_response();
    }
    match josei_app::users::set_password_by_link(&state, &token, f.new_password).await {
        Ok(_) => page(
            "パスワードの設定",
            None,
            html! {
                h1 { "パスワードを設定しました" }
                div.success role="status" { p { "新しいパスワードでログインしてください。" } }
                p { a.button href="/login" { "ログイン" } }
            },
        )
        .into_response(),
        Err(e) if e.kind == josei_app::Kind::Invalid => (
            crate::error::status(&e),
            page(
                "パスワードの設定",
                None,
                reset_markup(&token, &user, Some(("new_password", &e.message))),
            ),
        )
            .into_response(),
        Err(e) => reset_refused_page(&e),
    }
}

has_csrf!(UserForm, TokenOnly, OrgForm, DelegationForm, BureauForm);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grade_and_role_has_a_japanese_label() {
        for r in ROLES {
            assert!(!role_ja(r).is_ascii());
        }
        for g in [
            Grade::Seed,
            Grade::Official,
            Grade::Secondary,
            Grade::Interpretation,
            Grade::Unverified,
        ] {
            assert!(!grade_ja(g).is_ascii());
        }
        assert_eq!(opt_number(" １，２００ "), Ok(Some(1200)));
        assert_eq!(opt_number(""), Ok(None));
        assert_eq!(opt_number("abc"), Err(()));
    }

    #[test]
    fn overridden_parameters_are_named_in_japanese() {
        let set = josei_rules::regime::RegimeSet::builtin();
        let (year, what, _) = overridden(&set, "R4.goal_rate_percent");
        assert_eq!(year, "令和4年度");
        assert_eq!(what, "目標達成助成の助成率");
        let (year, what, _) = overridden(&set, "course.turnover_max_percent");
        assert_eq!(
            (year.as_str(), what.as_str()),
            ("全年度共通", "離職率の上限（30％）")
        );
        let corrected = josei_rules::regime::RegimeSet::with_overlay(
            "[course.turnover_period_months]\nvalue = 12\ngrade = \"secondary\"\nsource = \"解説記事\"\n\n[regime.R6.values.goal_rate_percent]\nvalue = 20\ngrade = \"official\"\nsource = \"支給要領\"\n",
        )
        .unwrap();
        let changed = &corrected.overlay().unwrap().changed;
        assert_eq!(changed.len(), 2);
        let rows: Vec<_> = changed.iter().map(|k| overridden(&corrected, k)).collect();
        for row in [
            ("全年度共通", "離職率の期間の長さ（12か月）", "二次資料"),
            ("令和6年度", "目標達成助成の助成率", "公式"),
        ] {
            let row = (row.0.to_string(), row.1.to_string(), row.2.to_string());
            assert!(rows.contains(&row), "{row:?} in {rows:?}");
        }
    }
}
