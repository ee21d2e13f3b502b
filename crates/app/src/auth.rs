//! Passwords (argon2id, always on a blocking thread), tokens, the password
//! policy and login with its rate limit: the same for the API, the pages and
//! the CLI.

use crate::text::forbidden_char;
use crate::{App, Error, Result};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use josei_store::{ApiTokenId, User};
use sha2::{Digest, Sha256};

/// How long a session lives.
pub const SESSION_HOURS: i64 = 12;

/// Failed logins allowed per username (and 4× per client) in the window.
pub const MAX_FAILURES: i64 = 5;

pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;

/// An argon2id hash of `password` (PHC string).
pub fn hash_password(password: &str) -> std::result::Result<String, String> {
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

/// Whether two secrets are equal, in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

/// The password policy for every account: at least [`MIN_PASSWORD`]
/// characters, not blank, not the user name. The error says what to change.
pub fn check_password_policy(username: &str, password: &str) -> std::result::Result<(), String> {
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

/// Checks a password (rate limited per username and per client) and opens a
/// session; returns the user, the session token and its CSRF token.
pub async fn login_session(
    app: &App,
    username: &str,
    password: &str,
    client: &str,
) -> Result<(User, String, String)> {
    // Names no account can have never reach the database (PostgreSQL refuses
    // NUL in text): the same answer as a wrong password.
    if username.is_empty()
        || username.chars().count() > 100
        || password.len() > 1_000
        || username.chars().any(|c| forbidden_char(c, false))
        || password.contains('\0')
    {
        return Err(Error::bad_credentials());
    }
    // The attempt counts as a failure from the start, so that parallel guesses
    // see each other: at most MAX_FAILURES passwords are ever checked per user
    // in the window. A success clears it.
    let attempt = app.db.begin_login_attempt(username, client).await?;
    let since = josei_store::now_ms() - FAILURE_WINDOW_MS;
    let (by_user, by_client) = app
        .db
        .recent_login_failures(username, client, since)
        .await?;
    if by_user > MAX_FAILURES || by_client > 4 * MAX_FAILURES {
        return Err(Error::new(
            crate::Kind::RateLimited,
            "rate_limited",
            "ログインの失敗が続いたため、しばらく（15分）ログインできません",
        ));
    }
    let user = app.db.user_by_username(username).await?;
    let hash = user
        .as_ref()
        .filter(|u| !u.disabled)
        .map(|u| u.password_hash.clone());
    let password = password.to_string();
    // argon2 is deliberately slow: off the async executor.
    let ok = tokio::task::spawn_blocking(move || match hash {
        Some(h) => verify_password(&password, &h),
        None => {
            // Same work whether or not the user exists.
            let _ = verify_password(&password, "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0000000000000000000000000000000000000000000");
            false
        }
    })
    .await
    .unwrap_or(false);
    if ok {
        app.db.finish_login_attempt(attempt).await?;
    }
    let Some(user) = user.filter(|_| ok) else {
        return Err(Error::bad_credentials());
    };
    let token = new_token();
    let csrf = new_token();
    let expires = josei_store::now_ms() + SESSION_HOURS * 3600 * 1000;
    app.db
        .create_session(&token_hash(&token), user.id, &csrf, expires)
        .await?;
    Ok((user, token, csrf))
}

/// How long an API token lives unless asked otherwise.
pub const TOKEN_DAYS: i64 = 90;

/// Changes `user`'s password after checking the current one (shared by the
/// API and the account page); every session of the user ends but
/// `keep_session` (the token of the session asking, if any).
pub async fn change_own_password(
    app: &App,
    user: &User,
    keep_session: Option<&str>,
    current_password: String,
    new_password: String,
) -> Result<()> {
    check_password_policy(&user.username, &new_password)
        .map_err(|m| Error::invalid("new_password", m))?;
    let stored = app
        .db
        .user_by_id(user.id)
        .await?
        .ok_or_else(Error::unauthenticated)?;
    let hash = tokio::task::spawn_blocking(move || {
        if current_password.len() > 1_000
            || !verify_password(&current_password, &stored.password_hash)
        {
            return Ok(None);
        }
        hash_password(&new_password).map(Some)
    })
    .await
    .map_err(|e| Error::internal(e.to_string()))?
    .map_err(Error::internal)?
    .ok_or_else(|| Error::forbidden("今のパスワードが違います"))?;
    let keep = keep_session.map(token_hash);
    app.db
        .set_password(user.id, &hash, keep.as_deref(), user.id)
        .await?;
    Ok(())
}

/// A new API token: shown once, stored hashed.
#[derive(Debug, serde::Serialize)]
pub struct NewApiToken {
    pub id: ApiTokenId,
    pub name: String,
    pub token: String,
    pub expires_at_ms: i64,
}

/// Issues an API token for `user`, named `name` (1–100 characters), valid
/// `days` days (1–365, default [`TOKEN_DAYS`]).
pub async fn create_api_token(
    app: &App,
    user: &User,
    name: &str,
    days: Option<i64>,
) -> Result<NewApiToken> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > 100
        || name.chars().any(|c| forbidden_char(c, false))
    {
        return Err(Error::invalid(
            "name",
            "トークンの名前を1〜100文字で指定してください",
        ));
    }
    let days = days.unwrap_or(TOKEN_DAYS);
    if !(1..=365).contains(&days) {
        return Err(Error::invalid(
            "expires_in_days",
            "有効期間は1〜365日で指定してください",
        ));
    }
    let expires_at_ms = josei_store::now_ms() + days * 24 * 60 * 60 * 1000;
    let token = new_token();
    let id = app
        .db
        .create_api_token(&token_hash(&token), user.id, name, expires_at_ms)
        .await?;
    Ok(NewApiToken {
        id,
        name: name.to_string(),
        token,
        expires_at_ms,
    })
}

/// Signs out: ends the session `session` (its token) and revokes the API
/// token `bearer` the request was made with, if any.
pub async fn sign_out(
    app: &App,
    user: &User,
    session: Option<&str>,
    bearer: Option<&str>,
) -> Result<()> {
    if let Some(token) = session {
        app.db.delete_session(&token_hash(token)).await?;
    }
    if let Some(token) = bearer {
        app.db
            .revoke_api_token(
                user.id,
                josei_store::TokenRef::Hash(&token_hash(token)),
                user.id,
            )
            .await?;
    }
    Ok(())
}

/// [`hash_password`] on a blocking thread: argon2 is deliberately slow and
/// must not hold up the async executor.
pub async fn hash_password_blocking(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| Error::internal(e.to_string()))?
        .map_err(Error::internal)
}
