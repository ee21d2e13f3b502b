//! Users, organisations and delegations.

use crate::auth;
use crate::text::forbidden_char;
use crate::{App, Error, Result};
use josei_store::{
    AgentParticulars, Db, NewMail, OrganizationId, ResetRefused, Role, User, UserChange,
    UserFilter, UserId,
};

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

/// What the administrators' first page counts.
#[derive(Debug)]
pub struct AdminCounts {
    /// Accounts per role (roles with none left out).
    pub by_role: Vec<(Role, i64)>,
    pub disabled: i64,
    pub organizations: i64,
    /// Live delegations to 社会保険労務士.
    pub delegations: i64,
}

/// The counts of accounts, organisations and delegations; administrators only.
pub async fn admin_counts(app: &App, admin: &User) -> Result<AdminCounts> {
    crate::access::require_role(admin, &[Role::Admin])?;
    let (by_role, disabled) = app.db.user_counts().await?;
    Ok(AdminCounts {
        by_role,
        disabled,
        organizations: app.db.count_orgs().await?,
        delegations: app.db.count_live_delegations().await?,
    })
}

/// Users on one page of the administrators' list.
pub const PER_PAGE: i64 = 50;

/// A page of the administrators' list of users.
#[derive(Debug)]
pub struct UserPage {
    pub users: Vec<User>,
    /// How many users match the filter.
    pub total: i64,
    /// This page (1-based) and the last page (at least 1).
    pub page: i64,
    pub pages: i64,
}

/// The `page`th page (1-based; past the end: the last) of the users
/// matching `filter`; administrators only.
pub async fn list(app: &App, admin: &User, filter: &UserFilter, page: i64) -> Result<UserPage> {
    crate::access::require_role(admin, &[Role::Admin])?;
    let filter = UserFilter {
        text: filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| t.chars().take(100).collect()),
        ..filter.clone()
    };
    let (_, total) = app.db.users_page(&filter, 0, 0).await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let (users, total) = app
        .db
        .users_page(&filter, PER_PAGE, (page - 1) * PER_PAGE)
        .await?;
    Ok(UserPage {
        users,
        total,
        page,
        pages,
    })
}

/// The account `id`, for an administrator.
pub async fn get(app: &App, admin: &User, id: UserId) -> Result<User> {
    crate::access::require_role(admin, &[Role::Admin])?;
    app.db.user_by_id(id).await?.ok_or_else(Error::not_found)
}

/// An administrator's change to an account, as typed.
pub struct UserEdit<'a> {
    pub display_name: &'a str,
    pub role: &'a str,
    pub organization_id: Option<OrganizationId>,
    pub prefecture: Option<i64>,
    pub email: &'a str,
    pub registration_number: &'a str,
    pub office_name: &'a str,
}

/// Changes an account's 氏名, role, organisation (employers), prefecture
/// (officers), e-mail address and particulars (社会保険労務士), each checked
/// as on creation; administrators only, and never their own role. A change
/// of role, organisation or prefecture ends the user's sessions.
pub async fn update(app: &App, admin: &User, id: UserId, e: &UserEdit<'_>) -> Result<User> {
    crate::access::require_role(admin, &[Role::Admin])?;
    let current = app.db.user_by_id(id).await?.ok_or_else(Error::not_found)?;
    let role = Role::parse(e.role)
        .ok_or_else(|| Error::invalid("role", "役割を一覧から選んでください"))?;
    if current.id == admin.id && role != Role::Admin {
        return Err(Error::invalid(
            "role",
            "自分自身の役割は変更できません（ほかの管理者に依頼してください）",
        ));
    }
    let display_name = check_display_name(e.display_name)?;
    let (organization_id, prefecture) =
        check_role_fields(&app.db, role, e.organization_id, e.prefecture).await?;
    let email = crate::mail::validate_email(e.email)?;
    let particulars =
        check_agent_particulars(role, Some(e.registration_number), Some(e.office_name))?;
    let change = UserChange {
        display_name,
        role,
        organization_id,
        prefecture,
        email,
        particulars,
    };
    Ok(app.db.update_user(id, &change, admin.id).await?)
}

/// The 氏名 as typed: trimmed, at most 100 characters, one line.
fn check_display_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.chars().count() > 100 || name.chars().any(|c| forbidden_char(c, false)) {
        return Err(Error::invalid(
            "display_name",
            "氏名は改行を含めず、100文字以内で入力してください",
        ));
    }
    Ok(name.to_string())
}

/// The organisation and prefecture a role's account holds: an employer's
/// organisation (required, existing), an officer's prefecture (required,
/// 1–47); for any other role giving them is refused, naming the field.
async fn check_role_fields(
    db: &Db,
    role: Role,
    organization_id: Option<OrganizationId>,
    prefecture: Option<i64>,
) -> Result<(Option<OrganizationId>, Option<i64>)> {
    if role != Role::Officer && prefecture.is_some() {
        return Err(Error::invalid(
            "prefecture",
            "都道府県は、労働局職員のときだけ選んでください",
        ));
    }
    if role != Role::Employer && organization_id.is_some() {
        return Err(Error::invalid(
            "organization_id",
            "事業主（組織）は、事業主のときだけ選んでください",
        ));
    }
    match role {
        Role::Employer => {
            let org = organization_id.ok_or_else(|| {
                Error::invalid(
                    "organization_id",
                    "事業主の利用者には、事業主（組織）を選んでください",
                )
            })?;
            db.org(org).await?.ok_or_else(|| {
                Error::invalid(
                    "organization_id",
                    "選んだ事業主（組織）は登録されていません",
                )
            })?;
            Ok((Some(org), None))
        }
        Role::Officer => match prefecture {
            Some(p) if (1..=47).contains(&p) => Ok((None, Some(p))),
            _ => Err(Error::invalid(
                "prefecture",
                "労働局職員の利用者には、担当する都道府県を選んでください",
            )),
        },
        _ => Ok((None, None)),
    }
}

/// Disables or enables the account `id`; a disabled account cannot sign
/// in, and its sessions and API tokens end at once (the store). An
/// administrator cannot disable their own account.
pub async fn set_disabled(app: &App, admin: &User, id: UserId, disabled: bool) -> Result<User> {
    crate::access::require_role(admin, &[Role::Admin])?;
    let user = app.db.user_by_id(id).await?.ok_or_else(Error::not_found)?;
    if disabled && user.id == admin.id {
        return Err(Error::conflict("自分自身のアカウントは無効にできません"));
    }
    Ok(app
        .db
        .set_user_disabled(&user.username, disabled, Some(admin.id))
        .await?)
}

/// How long a password link is valid.
pub const RESET_HOURS: i64 = 24;

/// Why a password is set by e-mail: a new account, or a reset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetReason {
    NewAccount,
    Reset,
}

/// Sends `user` a one-time link (valid [`RESET_HOURS`] hours) to set a new
/// password: only its token's hash is stored, the e-mail is queued in the
/// outbox, and earlier links of the user stop working. The administrator
/// never sees the link. Refused without an e-mail address, or for a
/// disabled account.
pub async fn send_password_link(
    app: &App,
    admin: &User,
    id: UserId,
    reason: ResetReason,
) -> Result<()> {
    crate::access::require_role(admin, &[Role::Admin])?;
    let user = app.db.user_by_id(id).await?.ok_or_else(Error::not_found)?;
    let Some(to) = user.email.clone() else {
        return Err(Error::invalid(
            "email",
            "メールアドレスが登録されていないため、パスワード設定のご案内を送れません。先にメールアドレスを登録してください",
        ));
    };
    if user.disabled {
        return Err(Error::conflict(
            "無効にした利用者には、パスワード設定のご案内を送れません。先に有効にしてください",
        ));
    }
    let token = auth::new_token();
    let (subject, why) = match reason {
        ResetReason::NewAccount => (
            "【テレワーク助成金】アカウントのパスワード設定のご案内",
            "テレワーク助成金 申請・審査のアカウントを作成しました。",
        ),
        ResetReason::Reset => (
            "【テレワーク助成金】パスワード再設定のご案内",
            "管理者が、テレワーク助成金 申請・審査のアカウントのパスワード再設定を受け付けました。",
        ),
    };
    let body = format!(
        "{} 様\n\n{why}\nユーザー名：{}\n\n次のページで、新しいパスワードを設定してください。\nこのご案内は{RESET_HOURS}時間有効で、一度だけ使えます。お心当たりのない場合は、このメールを破棄してください。\n",
        if user.display_name.is_empty() { &user.username } else { &user.display_name },
        user.username,
    );
    let mail = NewMail {
        to,
        subject: subject.to_string(),
        body,
        link_path: Some(format!("/password-reset/{token}")),
    };
    let expires = josei_store::now_ms() + RESET_HOURS * 3600 * 1000;
    app.db
        .create_password_reset(
            user.id,
            &auth::token_hash(&token),
            expires,
            &mail,
            Some(admin.id),
        )
        .await?;
    Ok(())
}

/// The refusal of a password link, in words for the person who followed it.
fn reset_refused(why: ResetRefused) -> Error {
    let message = match why {
        ResetRefused::Unknown => "このリンクは使えません。メールにあるリンクを、途中で切れないように開いてください。解決しない場合は、管理者にもう一度ご案内を送ってもらってください",
        ResetRefused::Spent => "このリンクは使用済みです（ご案内は一度だけ使えます。新しいご案内が送られた場合は、古いリンクは使えません）。パスワードが分からない場合は、管理者にもう一度ご案内を送ってもらってください",
        ResetRefused::Expired => "このリンクの有効期限（24時間）が過ぎています。管理者に、もう一度ご案内を送ってもらってください",
    };
    Error::new(crate::Kind::Conflict, "password_link", message)
}

/// A token as it may appear in a link: 64 hexadecimal digits.
fn token_shape_ok(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The account a password link is for, if the link may still be used.
pub async fn password_link_user(app: &App, token: &str) -> Result<User> {
    if !token_shape_ok(token) {
        return Err(reset_refused(ResetRefused::Unknown));
    }
    let reset = app
        .db
        .check_password_reset(&auth::token_hash(token))
        .await?
        .map_err(reset_refused)?;
    let user = app
        .db
        .user_by_id(reset.user_id)
        .await?
        .ok_or_else(|| reset_refused(ResetRefused::Unknown))?;
    if user.disabled {
        return Err(Error::forbidden(
            "このアカウントは無効になっています。管理者にお問い合わせください",
        ));
    }
    Ok(user)
}

/// Sets a new password through a password link (the policy of
/// [`auth::check_password_policy`]); the link is spent and every session of
/// the user ends. Returns the user, who then signs in.
pub async fn set_password_by_link(app: &App, token: &str, new_password: String) -> Result<User> {
    let user = password_link_user(app, token).await?;
    auth::check_password_policy(&user.username, &new_password)
        .map_err(|m| Error::invalid("new_password", m))?;
    let hash = auth::hash_password_blocking(new_password).await?;
    match app
        .db
        .use_password_reset(&auth::token_hash(token), &hash)
        .await?
    {
        Ok(_) => Ok(user),
        Err(why) => Err(reset_refused(why)),
    }
}

/// An administrator creates an account. With a password, as typed; without
/// one, the account gets an unusable random password and the user is sent a
/// link to set their own ([`send_password_link`]), which needs an e-mail
/// address (checked before anything is stored). Returns the user and whether
/// the link was sent.
pub async fn create_with_link(
    app: &App,
    admin: &User,
    u: &NewUserInput<'_>,
) -> Result<(User, bool)> {
    crate::access::require_role(admin, &[Role::Admin])?;
    let role = Role::parse(u.role)
        .ok_or_else(|| Error::invalid("role", "役割を一覧から選んでください"))?;
    check_display_name(u.display_name)?;
    check_role_fields(&app.db, role, u.organization_id, u.prefecture).await?;
    if !u.password.is_empty() {
        return Ok((add_user(&app.db, u, Some(admin.id)).await?, false));
    }
    if crate::mail::validate_email(u.email.unwrap_or(""))?.is_none() {
        return Err(Error::invalid(
            "email",
            "初期パスワードを入力しない場合は、パスワード設定のご案内を送るメールアドレスを入力してください",
        ));
    }
    let random = auth::new_token();
    let user = add_user(
        &app.db,
        &NewUserInput {
            password: &random,
            ..*u
        },
        Some(admin.id),
    )
    .await?;
    send_password_link(app, admin, user.id, ResetReason::NewAccount).await?;
    Ok((user, true))
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
