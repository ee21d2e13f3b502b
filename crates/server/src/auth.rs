//! Authentication: passwords (argon2id), session cookies with CSRF tokens,
//! API tokens, and login rate limiting kept in the database (so that every
//! server process sees the same counts).

use crate::error::ApiError;
use crate::AppState;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use josei_store::User;
use sha2::{Digest, Sha256};

/// The session cookie's name.
pub const COOKIE: &str = "josei_session";
/// The header that must carry the session's CSRF token on cookie-authenticated writes.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lives.
pub const SESSION_HOURS: i64 = 12;
/// Failed logins allowed per username (and 4× per client) in the window.
pub const MAX_FAILURES: i64 = 5;
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;

/// An argon2id hash of `password` (PHC string).
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the PHC `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A new random token: 32 bytes, hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    // getrandom only fails when the OS has no entropy source at all.
    getrandom::getrandom(&mut bytes).expect("the operating system provides randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Tokens are stored hashed: a stolen database holds no usable session.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The minimum password length for new accounts.
pub const MIN_PASSWORD: usize = 12;

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

/// Whether two secrets are equal, in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

/// The bearer token of the request, if any.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
}

/// The password policy for every account: at least [`MIN_PASSWORD`]
/// characters, not blank, not the user name. The error says what to change.
pub fn check_password_policy(username: &str, password: &str) -> Result<(), String> {
    if password.trim().is_empty() {
        return Err("空白だけのパスワードは使えません".into());
    }
    if password.chars().count() < MIN_PASSWORD {
        return Err(format!("パスワードは{MIN_PASSWORD}文字以上にしてください"));
    }
    if password.trim().eq_ignore_ascii_case(username.trim()) {
        return Err("ユーザー名と同じパスワードは使えません".into());
    }
    if password.contains('\0') || password.len() > 1_000 {
        return Err("パスワードに使えない文字が含まれているか、長すぎます".into());
    }
    Ok(())
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
