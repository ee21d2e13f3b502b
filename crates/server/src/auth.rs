//! Authentication over HTTP: session cookies with CSRF tokens, bearer API
//! tokens, and the extractor that yields the current user. Passwords, tokens
//! and the login rate limit are `josei_app::auth`.

use crate::error::ApiError;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
pub use josei_app::auth::{
    check_password_policy, constant_time_eq, hash_password, new_token, token_hash, verify_password,
    FAILURE_WINDOW_MS, MAX_FAILURES, MIN_PASSWORD, SESSION_HOURS,
};
use josei_store::User;

/// The session cookie's name.
pub const COOKIE: &str = "josei_session";
/// The header that must carry the session's CSRF token on cookie-authenticated writes.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the request was authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Session,
    ApiToken,
}

/// The authenticated user of a request. Rejects with 401 when there is none,
/// and with 403 when a cookie-authenticated write lacks its CSRF token.
pub struct CurrentUser {
    pub user: User,
    pub via: Via,
}

fn cookie_value<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(auth) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        {
            let token = auth
                .strip_prefix("Bearer ")
                .ok_or_else(ApiError::unauthenticated)?;
            let user = state
                .db
                .user_by_api_token(&token_hash(token.trim()))
                .await?
                .ok_or_else(ApiError::unauthenticated)?;
            return Ok(CurrentUser {
                user,
                via: Via::ApiToken,
            });
        }
        let token = cookie_value(&parts.headers, COOKIE).ok_or_else(ApiError::unauthenticated)?;
        let (user, csrf) = state
            .db
            .session(&token_hash(token))
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), csrf.as_bytes()) {
                return Err(ApiError::forbidden("CSRF トークンがありません、または一致しません（X-CSRF-Token ヘッダーにログイン時のトークンを付けてください）"));
            }
        }
        Ok(CurrentUser {
            user,
            via: Via::Session,
        })
    }
}

/// The bearer token of the request, if any.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
}

/// The session token from the request's cookie, if any.
pub fn session_token(headers: &axum::http::HeaderMap) -> Option<String> {
    cookie_value(headers, COOKIE).map(str::to_string)
}

/// The `Set-Cookie` value for a new session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        SESSION_HOURS * 3600,
        if secure { "; Secure" } else { "" }
    )
}

/// The cookie that ties the login form to the browser that asked for it
/// (login CSRF: another site cannot sign a visitor into its own account).
pub const LOGIN_COOKIE: &str = "josei_login";

/// The `Set-Cookie` value carrying a login form's token (an hour, `/login` only).
pub fn login_cookie(token: &str, secure: bool) -> String {
    format!(
        "{LOGIN_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The login form token the browser holds, if any.
pub fn login_token(headers: &axum::http::HeaderMap) -> Option<String> {
    cookie_value(headers, LOGIN_COOKIE).map(str::to_string)
}

/// The `Set-Cookie` value that ends a session.
pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_tokens() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
        let t = new_token();
        assert_eq!(t.len(), 64);
        assert_ne!(t, new_token());
        assert_eq!(token_hash("a").len(), 64);
        assert!(session_cookie("t", true).contains("Secure"));
        assert!(session_cookie("t", false).contains("HttpOnly; SameSite=Strict"));
    }
}
