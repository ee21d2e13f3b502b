//! Users, organisations and delegations.

use crate::auth;
use crate::text::forbidden_char;
use crate::{App, Error, Result};
use josei_store::{AgentParticulars, Db, OrganizationId, Role, User, UserId};

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
    /// A 社会保険労務士's 登録番号 and 事務所名 ([`check_agent_particulars`]; blank: none).
    pub registration_number: Option<&'a str>,
    pub office_name: Option<&'a str>,
}

/// The longest 事務所名 (characters).
pub const MAX_OFFICE_CHARS: usize = 100;

/// Checks a 社会保険労務士's particulars as typed: the 登録番号 1–10 digits
/// (full-width digits allowed, spaces around ignored), the 事務所名 one line
/// of at most [`MAX_OFFICE_CHARS`] characters; blank or absent: not given.
/// Only a 社会保険労務士's account holds them (`role`). The error names the
/// field.
pub fn check_agent_particulars(
    role: Role,
    registration_number: Option<&str>,
    office_name: Option<&str>,
) -> Result<AgentParticulars> {
    fn given(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|v| !v.is_empty())
    }
    let (number, office) = (given(registration_number), given(office_name));
    if role != Role::Agent {
        let field = match (number, office) {
            (Some(_), _) => "registration_number",
            (None, Some(_)) => "office_name",
            (None, None) => return Ok(AgentParticulars::default()),
        };
        return Err(Error::invalid(
            field,
            "登録番号と事務所名は、社会保険労務士のユーザーだけが登録できます",
        ));
    }
    let number = match number {
        None => None,
        Some(n) => {
            let digits: String = n
                .chars()
                .map(|c| match c {
                    '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                    c => c,
                })
                .collect();
            if digits.is_empty()
                || digits.chars().count() > 10
                || !digits.chars().all(|c| c.is_ascii_digit())
            {
                return Err(Error::invalid(
                    "registration_number",
                    "登録番号は、社会保険労務士証票にある番号を数字だけで入力してください（10桁まで。例：13012345）",
                ));
            }
            Some(digits)
        }
    };
    if let Some(o) = office {
        if o.chars().count() > MAX_OFFICE_CHARS || o.chars().any(|c| forbidden_char(c, false)) {
            return Err(Error::invalid(
                "office_name",
                format!("事務所名は改行を含めず、{MAX_OFFICE_CHARS}文字以内で入力してください"),
            ));
        }
    }
    Ok(AgentParticulars {
        registration_number: number,
        office_name: office.map(str::to_string),
    })
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
    let particulars = check_agent_particulars(role, u.registration_number, u.office_name)?;
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
        .create_user_with_particulars(
            u.username,
            u.display_name,
            &hash,
            role,
            org,
            pref,
            email.as_deref(),
            &particulars,
            by,
        )
        .await?)
}

/// A 社会保険労務士 sets (or, blank, removes) their own 登録番号 and 事務所名,
/// printed on the documents they submit for their employers.
pub async fn set_own_particulars(
    app: &App,
    user: &User,
    registration_number: &str,
    office_name: &str,
) -> Result<User> {
    crate::access::require_role(user, &[Role::Agent])?;
    let p = check_agent_particulars(user.role, Some(registration_number), Some(office_name))?;
    Ok(app
        .db
        .set_agent_particulars(user.id, &p, Some(user.id))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registration_number_is_digits_and_only_an_agent_has_one() {
        let p = check_agent_particulars(
            Role::Agent,
            Some(" １３０１２３４５ "),
            Some("みなと社労士事務所"),
        )
        .unwrap();
        assert_eq!(p.registration_number.as_deref(), Some("13012345"));
        assert_eq!(p.office_name.as_deref(), Some("みなと社労士事務所"));
        assert_eq!(
            check_agent_particulars(Role::Agent, Some("1"), None)
                .unwrap()
                .registration_number
                .as_deref(),
            Some("1")
        );
        assert_eq!(
            check_agent_particulars(Role::Agent, Some(""), Some("  ")).unwrap(),
            AgentParticulars::default(),
            "blank: not given"
        );
        for (number, office, field) in [
            (Some("12345678901"), None, "registration_number"),
            (Some("1301-2345"), None, "registration_number"),
            (Some("第123号"), None, "registration_number"),
            (None, Some("事務所\n2行目"), "office_name"),
            (None, Some(&*"あ".repeat(101)), "office_name"),
        ] {
            let e = check_agent_particulars(Role::Agent, number, office).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{number:?} {office:?}");
            assert_eq!(e.kind, crate::Kind::Invalid);
        }
        let e = check_agent_particulars(Role::Employer, Some("13012345"), None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("registration_number"));
        assert_eq!(
            check_agent_particulars(Role::Officer, None, None).unwrap(),
            AgentParticulars::default()
        );
    }
}
