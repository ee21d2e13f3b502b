//! `users`: the accounts, their roles and password hashes.
//!
//! Invariants: `role` is one of [`Role`] (a CHECK since version 1);
//! `prefecture` is a JIS X 0401 code (1–47) and `disabled` a 0/1 flag
//! (CHECKs since version 7). Disabling an account ends its sessions and
//! revokes its API tokens in the same transaction, and enabling it again
//! revives neither; a new password ends every other session (these write
//! `sessions` and `api_tokens` too). Every change writes its audit entry in
//! the same transaction.

use crate::audit::audit;
use crate::{now_text, Db, OrganizationId, Result, StoreError, UserId};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A user's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sees and edits only its organisation.
    Employer,
    /// A 社会保険労務士: organisations that delegated to them.
    Agent,
    /// A labour-bureau officer: cases of their prefecture.
    Officer,
    Admin,
    /// Staff of the テレワーク相談センター: consultations, consulting by
    /// テレワークマネージャー, seminars. Sees no case.
    Advisor,
    /// A screener of 輝くテレワーク賞: award applications only. Sees no case.
    Judge,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employer => "employer",
            Role::Agent => "agent",
            Role::Officer => "officer",
            Role::Admin => "admin",
            Role::Advisor => "advisor",
            Role::Judge => "judge",
        }
    }

    /// Every role, in the order pages list them.
    pub const ALL: [Role; 6] = [
        Role::Employer,
        Role::Agent,
        Role::Officer,
        Role::Admin,
        Role::Advisor,
        Role::Judge,
    ];

    /// The role as pages, print-outs and e-mails name it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Employer => "事業主",
            Role::Agent => "社会保険労務士",
            Role::Officer => "労働局職員",
            Role::Admin => "管理者",
            Role::Advisor => "テレワーク相談センター相談員",
            Role::Judge => "テレワーク賞審査員",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "employer" => Some(Role::Employer),
            "agent" => Some(Role::Agent),
            "officer" => Some(Role::Officer),
            "admin" => Some(Role::Admin),
            "advisor" => Some(Role::Advisor),
            "judge" => Some(Role::Judge),
            _ => None,
        }
    }
}

/// A user account.
#[derive(Clone, Debug, Serialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub organization_id: Option<OrganizationId>,
    pub prefecture: Option<i64>,
    pub disabled: bool,
    /// Where notifications are mailed (none: in-app only); checked by
    /// `josei_app::mail::validate_email` and a CHECK (≤ 254 characters).
    pub email: Option<String>,
    /// A 社会保険労務士's registration number (登録番号, 1–10 digits; a CHECK
    /// since version 12), printed on the documents they submit.
    pub registration_number: Option<String>,
    /// A 社会保険労務士's office (事務所名, ≤ 100 characters).
    pub office_name: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
}

/// A 社会保険労務士's particulars for the documents they submit: the
/// registration number (digits) and the office's name; `None`: not given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgentParticulars {
    pub registration_number: Option<String>,
    pub office_name: Option<String>,
}

fn user_from(r: &AnyRow) -> Result<User> {
    let role: String = r.try_get("role")?;
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: Role::parse(&role).unwrap_or(Role::Employer),
        organization_id: r.try_get("organization_id")?,
        prefecture: r.try_get("prefecture")?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
        email: r.try_get("email")?,
        registration_number: r.try_get("registration_number")?,
        office_name: r.try_get("office_name")?,
        password_hash: r.try_get("password_hash")?,
    })
}

impl Db {
    #[allow(clippy::too_many_arguments)]
    pub async fn create_user(
        &self,
        username: &str,
        display_name: &str,
        password_hash: &str,
        role: Role,
        organization_id: Option<OrganizationId>,
        prefecture: Option<i64>,
        by: Option<UserId>,
    ) -> Result<User> {
        self.create_user_with_email(
            username,
            display_name,
            password_hash,
            role,
            organization_id,
            prefecture,
            None,
            by,
        )
        .await
    }

    /// [`Db::create_user`] with the user's e-mail address (checked by the caller).
    #[allow(clippy::too_many_arguments)]
    pub async fn create_user_with_email(
        &self,
        username: &str,
        display_name: &str,
        password_hash: &str,
        role: Role,
        organization_id: Option<OrganizationId>,
        prefecture: Option<i64>,
        email: Option<&str>,
        by: Option<UserId>,
    ) -> Result<User> {
        self.create_user_with_particulars(
            username,
            display_name,
            password_hash,
            role,
            organization_id,
            prefecture,
            email,
            &AgentParticulars::default(),
            by,
        )
        .await
    }

    /// [`Db::create_user_with_email`] with a 社会保険労務士's particulars
    /// (checked by the caller), written with the account in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_user_with_particulars(
        &self,
        username: &str,
        display_name: &str,
        password_hash: &str,
        role: Role,
        organization_id: Option<OrganizationId>,
        prefecture: Option<i64>,
        email: Option<&str>,
        particulars: &AgentParticulars,
        by: Option<UserId>,
    ) -> Result<User> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO users (username, display_name, password_hash, role, organization_id, prefecture, disabled, created_at, email) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8) RETURNING id")
            .bind(username)
            .bind(display_name)
            .bind(password_hash)
            .bind(role.as_str())
            .bind(organization_id)
            .bind(prefecture)
            .bind(now_text())
            .bind(email.map(str::to_string))
            .fetch_one(&mut *tx)
            .await?;
        let id: UserId = row.try_get("id")?;
        if *particulars != AgentParticulars::default() {
            sqlx::query(
                "UPDATE users SET registration_number = $1, office_name = $2 WHERE id = $3",
            )
            .bind(particulars.registration_number.clone())
            .bind(particulars.office_name.clone())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        let after = json!({"username": username, "role": role.as_str(), "organization_id": organization_id, "prefecture": prefecture, "email": email, "registration_number": particulars.registration_number, "office_name": particulars.office_name});
        audit(
            &mut tx,
            by,
            "user.create",
            "user",
            &id.to_string(),
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        self.user_by_id(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        let row = sqlx::query("SELECT * FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from).transpose()
    }

    pub async fn user_by_id(&self, id: UserId) -> Result<Option<User>> {
        let row = sqlx::query("SELECT * FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from).transpose()
    }

    pub async fn list_users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query("SELECT * FROM users ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from).collect()
    }

    /// The applicant side of an organisation, enabled accounts only: its
    /// employer users and the 社労士 it currently delegates to.
    pub async fn applicant_users(&self, organization_id: OrganizationId) -> Result<Vec<User>> {
        let rows = sqlx::query("SELECT * FROM users WHERE disabled = 0 AND ((role = 'employer' AND organization_id = $1) OR (role = 'agent' AND id IN (SELECT agent_user_id FROM delegations WHERE organization_id = $2 AND revoked_at IS NULL))) ORDER BY id")
            .bind(organization_id)
            .bind(organization_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from).collect()
    }

    /// The enabled officers of a prefecture's labour bureau.
    pub async fn bureau_officers(&self, prefecture: i64) -> Result<Vec<User>> {
        let rows = sqlx::query(
            "SELECT * FROM users WHERE disabled = 0 AND role = 'officer' AND prefecture = $1 ORDER BY id",
        )
        .bind(prefecture)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_from).collect()
    }

    pub async fn count_users(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Disables or enables a user; a disabled user's sessions end at once.
    pub async fn set_user_disabled(
        &self,
        username: &str,
        disabled: bool,
        by: Option<UserId>,
    ) -> Result<User> {
        let user = self
            .user_by_username(username)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
            // Tokens die with the account: enabling it again does not revive them.
            sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            )
            .bind(now_text())
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        }
        audit(
            &mut tx,
            by,
            if disabled {
                "user.disable"
            } else {
                "user.enable"
            },
            "user",
            &user.id.to_string(),
            Some(&json!({"disabled": user.disabled})),
            Some(&json!({"disabled": disabled})),
        )
        .await?;
        tx.commit().await?;
        self.user_by_id(user.id).await?.ok_or(StoreError::NotFound)
    }

    /// Sets (or with `None` removes) the user's e-mail address, audited.
    pub async fn set_user_email(
        &self,
        user_id: UserId,
        email: Option<&str>,
        by: Option<UserId>,
    ) -> Result<User> {
        let before = self
            .user_by_id(user_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET email = $1 WHERE id = $2")
            .bind(email.map(str::to_string))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            by,
            "user.email",
            "user",
            &user_id.to_string(),
            Some(&json!({"email": before.email})),
            Some(&json!({"email": email})),
        )
        .await?;
        tx.commit().await?;
        self.user_by_id(user_id).await?.ok_or(StoreError::NotFound)
    }

    /// Sets a 社会保険労務士's particulars (`None`: not given), audited with
    /// the values before and after.
    pub async fn set_agent_particulars(
        &self,
        user_id: UserId,
        particulars: &AgentParticulars,
        by: Option<UserId>,
    ) -> Result<User> {
        let before = self
            .user_by_id(user_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET registration_number = $1, office_name = $2 WHERE id = $3")
            .bind(particulars.registration_number.clone())
            .bind(particulars.office_name.clone())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            by,
            "user.particulars",
            "user",
            &user_id.to_string(),
            Some(&json!({"registration_number": before.registration_number, "office_name": before.office_name})),
            Some(&json!({"registration_number": particulars.registration_number, "office_name": particulars.office_name})),
        )
        .await?;
        tx.commit().await?;
        self.user_by_id(user_id).await?.ok_or(StoreError::NotFound)
    }

    /// Replaces a user's password hash; every other session of theirs ends.
    pub async fn set_password(
        &self,
        user_id: UserId,
        hash: &str,
        keep_session: Option<&str>,
        by: UserId,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(keep_session.unwrap_or(""))
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(by),
            "user.password",
            "user",
            &user_id.to_string(),
            None,
            Some(&json!({"password": "changed"})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// What the administrators' list of users is narrowed to.
#[derive(Clone, Debug, Default)]
pub struct UserFilter {
    /// Part of the login name, the name or the e-mail address (any case).
    pub text: Option<String>,
    pub role: Option<Role>,
    /// `Some(true)`: disabled accounts only; `Some(false)`: enabled only.
    pub disabled: Option<bool>,
}

/// A change an administrator makes to an account (checked by the caller):
/// every field is written as given.
#[derive(Clone, Debug)]
pub struct UserChange {
    pub display_name: String,
    pub role: Role,
    pub organization_id: Option<OrganizationId>,
    pub prefecture: Option<i64>,
    pub email: Option<String>,
    pub particulars: AgentParticulars,
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// `q` with `texts`, then `numbers`, bound in order.
pub(crate) fn bind_all<'q>(mut q: AnyQuery<'q>, texts: &[String], numbers: &[i64]) -> AnyQuery<'q> {
    for t in texts {
        q = q.bind(t.clone());
    }
    for v in numbers {
        q = q.bind(*v);
    }
    q
}

/// `text` for `LIKE … ESCAPE '\'`: `%`, `_` and `\` stand for themselves.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut p = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

impl Db {
    /// One page of the users matching `filter` (by id), and how many match.
    pub async fn users_page(
        &self,
        filter: &UserFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<User>, i64)> {
        // Placeholders numbered by hand (`$n`): both backends read them.
        let mut sql = String::from(" FROM users WHERE 1 = 1");
        let mut texts: Vec<String> = Vec::new();
        let mut n = 0;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        if let Some(t) = filter.text.as_deref().filter(|t| !t.is_empty()) {
            let p = like_pattern(t);
            let (a, b, c) = (next(), next(), next());
            sql.push_str(&format!(" AND (LOWER(username) LIKE {a} ESCAPE '\\' OR LOWER(display_name) LIKE {b} ESCAPE '\\' OR LOWER(COALESCE(email, '')) LIKE {c} ESCAPE '\\')"));
            texts.extend([p.clone(), p.clone(), p]);
        }
        if let Some(r) = filter.role {
            sql.push_str(&format!(" AND role = {}", next()));
            texts.push(r.as_str().to_string());
        }
        let mut numbers: Vec<i64> = Vec::new();
        if let Some(d) = filter.disabled {
            sql.push_str(&format!(" AND disabled = {}", next()));
            numbers.push(i64::from(d));
        }
        let (l, o) = (next(), next());
        let count_sql = format!("SELECT COUNT(*) AS n{sql}");
        let page_sql = format!("SELECT *{sql} ORDER BY id LIMIT {l} OFFSET {o}");
        let total: i64 = bind_all(sqlx::query(&count_sql), &texts, &numbers)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let rows = bind_all(sqlx::query(&page_sql), &texts, &numbers)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        Ok((rows.iter().map(user_from).collect::<Result<_>>()?, total))
    }

    /// How many accounts hold each role, and how many are disabled.
    pub async fn user_counts(&self) -> Result<(Vec<(Role, i64)>, i64)> {
        let rows = sqlx::query("SELECT role, COUNT(*) AS n FROM users GROUP BY role")
            .fetch_all(&self.pool)
            .await?;
        let mut by_role = Vec::new();
        for r in rows {
            let role: String = r.try_get("role")?;
            if let Some(role) = Role::parse(&role) {
                by_role.push((role, r.try_get::<i64, _>("n")?));
            }
        }
        let disabled: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE disabled = 1")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        Ok((by_role, disabled))
    }

    /// Changes an account's name, role, organisation, prefecture, address
    /// and particulars, audited (`user.update`) with the values before and
    /// after. A change of role ends the user's sessions (they sign in again
    /// with the new role's scope).
    pub async fn update_user(
        &self,
        user_id: UserId,
        change: &UserChange,
        by: UserId,
    ) -> Result<User> {
        let before = self
            .user_by_id(user_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET display_name = $1, role = $2, organization_id = $3, prefecture = $4, email = $5, registration_number = $6, office_name = $7 WHERE id = $8")
            .bind(&change.display_name)
            .bind(change.role.as_str())
            .bind(change.organization_id)
            .bind(change.prefecture)
            .bind(change.email.clone())
            .bind(change.particulars.registration_number.clone())
            .bind(change.particulars.office_name.clone())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let scope_changed = before.role != change.role
            || before.organization_id != change.organization_id
            || before.prefecture != change.prefecture;
        if scope_changed {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        let before_values = json!({"display_name": before.display_name, "role": before.role.as_str(), "organization_id": before.organization_id, "prefecture": before.prefecture, "email": before.email, "registration_number": before.registration_number, "office_name": before.office_name});
        let after_values = json!({"display_name": change.display_name, "role": change.role.as_str(), "organization_id": change.organization_id, "prefecture": change.prefecture, "email": change.email, "registration_number": change.particulars.registration_number, "office_name": change.particulars.office_name});
        audit(
            &mut tx,
            Some(by),
            "user.update",
            "user",
            &user_id.to_string(),
            Some(&before_values),
            Some(&after_values),
        )
        .await?;
        tx.commit().await?;
        self.user_by_id(user_id).await?.ok_or(StoreError::NotFound)
    }
}
