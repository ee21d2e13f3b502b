//! Home, signing in and out, the account page.

use super::*;
use crate::{auth, AppState};
use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use josei_store::Role;
use maud::{html, Markup};
use serde::Deserialize;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout_submit))
        .route("/account", get(account_page).post(account_submit))
        .route("/account/particulars", post(particulars_submit))
}

pub(crate) async fn home(MaybeUser(user): MaybeUser) -> Response {
    match user.as_ref().map(|u| u.user.role) {
        Some(Role::Officer) => Redirect::to("/queue").into_response(),
        Some(Role::Advisor) => Redirect::to("/desk").into_response(),
        Some(Role::Judge) => Redirect::to("/award/screening").into_response(),
        Some(_) => Redirect::to("/cases").into_response(),
        None => super::portal::home_page(),
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct LoginForm {
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
pub(crate) struct NextQuery {
    next: Option<String>,
}

/// The login page with a fresh form token, set as a cookie too: a post is
/// accepted only when both agree.
pub(crate) fn login_form(
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

pub(crate) async fn login_page(
    State(state): State<AppState>,
    Query(q): Query<NextQuery>,
) -> Response {
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
pub(crate) fn safe_next(next: &str) -> &str {
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

pub(crate) async fn login_submit(
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
    match josei_app::auth::login_session(&state, &f.username, &f.password, &client).await {
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
            crate::error::status(&e),
            state.secure_cookies,
            &f.username,
            safe_next(&f.next),
            Some(&e.message),
        ),
    }
}

#[derive(Deserialize)]
pub(crate) struct TokenOnly {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn logout_submit(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    CsrfForm(_u, _f): CsrfForm<TokenOnly>,
) -> Response {
    if let Some(t) = auth::session_token(&headers) {
        let _ = state.db.delete_session(&auth::token_hash(&t)).await;
    }
    let mut res = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::clear_cookie(state.secure_cookies)) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// What the 社会保険労務士's particulars form shows after a post: the text
/// typed and the error by its field, or that it was saved.
#[derive(Default)]
pub(crate) struct ParticularsForm<'a> {
    pub typed: Option<(&'a str, &'a str)>,
    /// The field at fault (`registration_number`, `office_name`) and why.
    pub error: Option<(&'a str, &'a str)>,
    pub saved: bool,
}

/// The 社会保険労務士's own particulars (`id="particulars"`), printed in the
/// 社会保険労務士 block of the documents they submit; agents only.
fn particulars_section(u: &WebUser, f: &ParticularsForm<'_>) -> Markup {
    let (number, office) = f.typed.unwrap_or((
        u.user.registration_number.as_deref().unwrap_or_default(),
        u.user.office_name.as_deref().unwrap_or_default(),
    ));
    let bad = |field: &str| f.error.filter(|(x, _)| *x == field).map(|(_, m)| m);
    html! {
        section #particulars aria-labelledby="particulars-title" {
            h2 #particulars-title { "社会保険労務士の登録番号と事務所名" }
            @if f.saved {
                div.success role="status" { p { "登録番号と事務所名を保存しました。印刷する書類の「社会保険労務士（提出代行者）」の欄に載ります。" } }
            }
            p.hint { "事業主の代わりに提出する計画や支給申請の書類に印刷します。空欄にして保存すると、書類の欄は空欄になります（印刷後に記入してください）。" }
            form method="post" action="/account/particulars" novalidate {
                input type="hidden" name="csrf" value=(u.csrf);
                label for="registration_number" { "登録番号" span.hint { "　社会保険労務士証票の番号（数字だけ、10桁まで）。例: 13012345" } }
                input #registration_number type="text" name="registration_number" value=(number) inputmode="numeric" autocomplete="off" maxlength="20"
                    aria-invalid=[bad("registration_number").map(|_| "true")]
                    aria-describedby=[bad("registration_number").map(|_| "registration_number-error")];
                @if let Some(m) = bad("registration_number") { p.field-error #registration_number-error { (m) } }
                label for="office_name" { "事務所名" span.hint { "　100文字まで。例: みなと社会保険労務士事務所" } }
                input #office_name type="text" name="office_name" value=(office) autocomplete="organization" maxlength="100"
                    aria-invalid=[bad("office_name").map(|_| "true")]
                    aria-describedby=[bad("office_name").map(|_| "office_name-error")];
                @if let Some(m) = bad("office_name") { p.field-error #office_name-error { (m) } }
                button type="submit" { "登録番号と事務所名を保存する" }
            }
        }
    }
}

/// The account page; `error`: the password field at fault and why.
pub(crate) fn account_form(u: &WebUser, error: Option<(&str, &str)>, done: bool) -> Markup {
    account_markup(u, error, done, &ParticularsForm::default())
}

fn account_markup(
    u: &WebUser,
    error: Option<(&str, &str)>,
    done: bool,
    particulars: &ParticularsForm<'_>,
) -> Markup {
    let label = |field: &str| match field {
        "office_name" => "事務所名",
        _ => "登録番号",
    };
    html! {
        h1 { "アカウントの設定" }
        @if let Some((field, m)) = particulars.error {
            div.errors.error-summary #error-summary role="alert" tabindex="-1" aria-labelledby="error-summary-title" {
                h2 #error-summary-title { "登録番号と事務所名を保存できませんでした" }
                p { "入力した内容は残っています。直してから、もう一度保存してください。" }
                ul { li { a href=(format!("#{field}")) { (label(field)) "：" (m) } } }
            }
        }
        h2 #password { "パスワードの変更" }
        @if done { p.notice role="status" { "パスワードを変更しました。ほかの端末のログインは終了しました。" } }
        @if let Some((field, e)) = error { div.errors role="alert" { p { a href=(format!("#{field}")) { (e) } } } }
        @let bad = |f: &str| error.filter(|(x, _)| *x == f).map(|(_, m)| m);
        form method="post" action="/account" {
            input type="hidden" name="csrf" value=(u.csrf);
            label for="current_password" { "今のパスワード" }
            @if let Some(e) = bad("current_password") { p.field-error #current_password-error { (e) } }
            input #current_password type="password" name="current_password" autocomplete="current-password" required
                aria-invalid=[bad("current_password").map(|_| "true")] aria-describedby=[bad("current_password").map(|_| "current_password-error")];
            label for="new_password" { "新しいパスワード" span.hint { "　" (auth::MIN_PASSWORD) "文字以上。ユーザー名と同じものは使えません" } }
            @if let Some(e) = bad("new_password") { p.field-error #new_password-error { (e) } }
            input #new_password type="password" name="new_password" autocomplete="new-password" required minlength=(auth::MIN_PASSWORD)
                aria-invalid=[bad("new_password").map(|_| "true")] aria-describedby=[bad("new_password").map(|_| "new_password-error")];
            button type="submit" { "変更する" }
        }
        (super::notifications::email_section(u, &Default::default()))
        @if u.user.role == Role::Agent { (particulars_section(u, particulars)) }
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct AccountQuery {
    particulars: Option<String>,
}

pub(crate) async fn account_page(u: WebUser, Query(q): Query<AccountQuery>) -> Response {
    let particulars = ParticularsForm {
        saved: q.particulars.as_deref() == Some("saved"),
        ..ParticularsForm::default()
    };
    page(
        "アカウントの設定",
        Some(&u),
        account_markup(&u, None, false, &particulars),
    )
    .into_response()
}

#[derive(Deserialize)]
pub(crate) struct ParticularsPost {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    registration_number: String,
    #[serde(default)]
    office_name: String,
}

/// `POST /account/particulars`: a 社会保険労務士 saves their 登録番号 and
/// 事務所名 (typed text normalised by NFKC: full-width digits and letters
/// become plain); anyone else is refused.
pub(crate) async fn particulars_submit(
    State(state): State<AppState>,
    CsrfForm(u, f): CsrfForm<ParticularsPost>,
) -> Response {
    use unicode_normalization::UnicodeNormalization;
    if u.user.role != Role::Agent {
        return error_page(
            StatusCode::FORBIDDEN,
            "権限がありません",
            "登録番号と事務所名を登録できるのは、社会保険労務士の方です。",
            Some(&u),
        );
    }
    let number: String = f.registration_number.nfkc().collect();
    let office: String = f.office_name.nfkc().collect();
    match josei_app::users::set_own_particulars(&state, &u.user, &number, &office).await {
        Ok(_) => Redirect::to("/account?particulars=saved#particulars").into_response(),
        Err(e) if e.kind == josei_app::Kind::Invalid => {
            let field = match e.field.as_deref() {
                Some("office_name") => "office_name",
                _ => "registration_number",
            };
            let form = ParticularsForm {
                typed: Some((&f.registration_number, &f.office_name)),
                error: Some((field, &e.message)),
                saved: false,
            };
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                page(
                    "アカウントの設定",
                    Some(&u),
                    account_markup(&u, None, false, &form),
                ),
            )
                .into_response()
        }
        Err(e) => api_error_page(e, &u),
    }
}

#[derive(Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub(crate) async fn account_submit(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    CsrfForm(u, f): CsrfForm<PasswordForm>,
) -> Response {
    match josei_app::auth::change_own_password(
        &state,
        &u.user,
        auth::session_token(&headers).as_deref(),
        f.current_password,
        f.new_password,
    )
    .await
    {
        Ok(()) => page("アカウントの設定", Some(&u), account_form(&u, None, true)).into_response(),
        Err(e) => (
            crate::error::status(&e),
            page(
                "アカウントの設定",
                Some(&u),
                account_form(
                    &u,
                    Some((
                        match e.field.as_deref() {
                            Some("new_password") => "new_password",
                            _ => "current_password",
                        },
                        &e.message,
                    )),
                    false,
                ),
            ),
        )
            .into_response(),
    }
}

has_csrf!(TokenOnly, PasswordForm, ParticularsPost);

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
