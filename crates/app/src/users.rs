//! Users, organisations and delegations.

use crate::auth;
use crate::text::forbidden_char;
use crate::{App, Error, Result};
use josei_store::{Db, OrganizationId, Role, User, UserId};

/// A new user's fields.
pub struct NewUserInput<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub organization_id: Option<OrganizationId>,
    pub prefecture: Option<i64>,
    /// Where notifications are mailed ([`crate::mail::validate_email`]; blank: none).
    pub email: Option<&'a str>,
}

/// Checks and creates a user (shared with `josei user add`).
pub async fn add_user(db: &Db, u: &NewUserInput<'_>, by: Option<UserId>) -> Result<User> {
    let name_ok = !u.username.is_empty()
        && u.username.len() <= 64
        && u.username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c));
    if !name_ok {
        return Err(Error::invalid(
            "username",
            "ユーザー名は英数字と . _ - @ で64文字以内にしてください",
        ));
    }
    let role = Role::parse(u.role).ok_or_else(|| {
        Error::invalid(
            "role",
            "role は employer, agent, officer, admin のいずれかです",
        )
    })?;
    if u.display_name.chars().count() > 100
        || u.display_name.chars().any(|c| forbidden_char(c, false))
    {
        return Err(Error::invalid(
            "display_name",
            "表示名は100文字以内で、制御文字を含めないでください",
        ));
    }
    let email = match u.email {
        Some(e) => crate::mail::validate_email(e)?,
        None => None,
    };
    auth::check_password_policy(u.username, u.password)
        .map_err(|m| Error::invalid("password", m))?;
    match role {
        Role::Employer => {
            let org = u.organization_id.ok_or_else(|| {
                Error::invalid(
                    "organization_id",
                    "事業主ユーザーには organization_id が必要です",
                )
            })?;
            db.org(org).await?.ok_or_else(|| {
                Error::invalid("organization_id", format!("事業所 {org} はありません"))
            })?;
        }
        Role::Officer if !u.prefecture.is_some_and(|p| (1..=47).contains(&p)) => {
            return Err(Error::invalid(
                "prefecture",
                "労働局の職員には都道府県コード（1〜47）が必要です",
            ));
        }
        _ => {}
    }
    if db.user_by_username(u.username).await?.is_some() {
        return Err(Error::conflict(format!(
            "ユーザー名 {} は既に使われています",
            u.username
        )));
    }
    let hash = auth::hash_password_blocking(u.password.to_string()).await?;
    let org = if role == Role::Employer {
        u.organization_id
    } else {
        None
    };
    let pref = if role == Role::Officer {
        u.prefecture
    } else {
        None
    };
    Ok(db
        .create_user_with_email(
            u.username,
            u.display_name,
            &hash,
            role,
            org,
            pref,
            email.as_deref(),
            by,
        )
        .await?)
}

/// A user sets (or, blank, removes) their own e-mail address for notifications.
pub async fn set_own_email(app: &App, user: &User, email: &str) -> Result<User> {
    let email = crate::mail::validate_email(email)?;
    Ok(app
        .db
        .set_user_email(user.id, email.as_deref(), Some(user.id))
        .await?)
}

/// An administrator creates a user.
pub async fn create(app: &App, admin: &User, u: &NewUserInput<'_>) -> Result<User> {
    crate::access::require_role(admin, &[Role::Admin])?;
    add_user(&app.db, u, Some(admin.id)).await
}
