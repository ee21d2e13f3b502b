//! # josei-store
//!
//! Persistence for josei: one SQL schema for SQLite (embedded default, WAL
//! mode) and PostgreSQL (shared by several servers), applied by the migration
//! runner in [`db`]. A case's inputs are stored as records (target workers,
//! telework days, roster, expenses, dates) and reassembled into the engine's
//! JSON contract by [`Db::case_document`]. Every change to a case checks its
//! version (optimistic concurrency) and writes an audit entry in the same
//! transaction. Nothing lives only in one process's memory: sessions, login
//! attempts and settings are rows too.

pub mod db;
pub mod import;
pub mod limits;
pub mod snapshots;
pub mod workflow;

pub use db::{connect, Backend, Db};
use serde::Serialize;
use serde_json::{json, Value};
pub use snapshots::{ListQuery, ListedCase, Snapshot, Sort, Verdict};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::fmt;
pub use workflow::Status;

/// What can go wrong in the store.
#[derive(Debug)]
pub enum StoreError {
    Db(sqlx::Error),
    NotFound,
    /// A stale version or a uniqueness clash; the message says which.
    Conflict(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Db(e) => write!(f, "database error: {e}"),
            StoreError::NotFound => f.write_str("not found"),
            StoreError::Conflict(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::Conflict("既に登録されています".into())
            }
            _ => StoreError::Db(e),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Now, as RFC 3339 text in UTC.
pub fn now_text() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Millisecond)
        .unwrap_or(jiff::Timestamp::now())
        .to_string()
}

/// Now, in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

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
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employer => "employer",
            Role::Agent => "agent",
            Role::Officer => "officer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "employer" => Some(Role::Employer),
            "agent" => Some(Role::Agent),
            "officer" => Some(Role::Officer),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A user account.
#[derive(Clone, Debug, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub organization_id: Option<i64>,
    pub prefecture: Option<i64>,
    pub disabled: bool,
    #[serde(skip)]
    pub password_hash: String,
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
        password_hash: r.try_get("password_hash")?,
    })
}

/// An organisation (employer), with its attributes from the case format.
#[derive(Clone, Debug, Serialize)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    /// JIS X 0401 prefecture code, 1–47: the labour bureau in charge.
    pub prefecture: i64,
    /// The `employer` object of the case format.
    pub employer: Value,
}

fn org_from(r: &AnyRow) -> Result<Organization> {
    let b = |k: &str| -> Result<bool> { Ok(r.try_get::<i64, _>(k)? != 0) };
    let name: String = r.try_get("name")?;
    Ok(Organization {
        id: r.try_get("id")?,
        prefecture: r.try_get("prefecture")?,
        employer: json!({
            "name": name,
            "industry": r.try_get::<String, _>("industry")?,
            "capital_yen": r.try_get::<Option<i64>, _>("capital_yen")?,
            "regular_employees": r.try_get::<i64, _>("regular_employees")?,
            "employment_insurance": b("employment_insurance")?,
            "telework_status": r.try_get::<String, _>("telework_status")?,
            "work_rules_have_telework": b("work_rules_have_telework")?,
            "received_telework_subsidy": b("received_telework_subsidy")?,
        }),
        name,
    })
}

/// Which cases a user may see.
#[derive(Clone, Debug)]
pub enum Scope {
    All,
    Organizations(Vec<i64>),
    /// A labour bureau: its prefecture's cases, drafts excluded.
    Prefecture(i64),
}

/// A case's row (its child records are read by [`Db::case_document`]).
#[derive(Clone, Debug, Serialize)]
pub struct CaseRow {
    pub id: i64,
    pub organization_id: i64,
    pub prefecture: i64,
    pub title: String,
    pub status: Status,
    pub version: i64,
    pub regime: Option<String>,
    pub submitted_on: Option<String>,
    pub certified_on: Option<String>,
    pub work_rules_established_on: Option<String>,
    pub evaluation_start: Option<String>,
    pub equipment_application_filed_on: Option<String>,
    pub goal_application_filed_on: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip)]
    employer_json: String,
    #[serde(skip)]
    productivity_json: Option<String>,
    pub climate_top_message_on: Option<String>,
    pub climate_case_sharing_on: Option<String>,
    pub telework_before_count: Option<i64>,
    #[serde(skip)]
    wage_increase_json: Option<String>,
}

pub(crate) const CASE_COLUMNS: &str = "c.id, c.organization_id, o.prefecture, c.title, c.status, c.version, c.regime, c.submitted_on, c.certified_on, c.work_rules_established_on, c.evaluation_start, c.equipment_application_filed_on, c.goal_application_filed_on, c.created_at, c.updated_at, c.employer_json, c.productivity_json, c.climate_top_message_on, c.climate_case_sharing_on, c.telework_before_count, c.wage_increase_json";

pub(crate) fn case_from(r: &AnyRow) -> Result<CaseRow> {
    let status: String = r.try_get("status")?;
    Ok(CaseRow {
        id: r.try_get("id")?,
        organization_id: r.try_get("organization_id")?,
        prefecture: r.try_get("prefecture")?,
        title: r.try_get("title")?,
        // A status this version does not know is a damaged row, never a draft.
        status: Status::parse(&status).ok_or_else(|| {
            StoreError::Db(sqlx::Error::Decode(
                format!("case has an unknown status {status:?}").into(),
            ))
        })?,
        version: r.try_get("version")?,
        regime: r.try_get("regime")?,
        submitted_on: r.try_get("submitted_on")?,
        certified_on: r.try_get("certified_on")?,
        work_rules_established_on: r.try_get("work_rules_established_on")?,
        evaluation_start: r.try_get("evaluation_start")?,
        equipment_application_filed_on: r.try_get("equipment_application_filed_on")?,
        goal_application_filed_on: r.try_get("goal_application_filed_on")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        employer_json: r.try_get("employer_json")?,
        productivity_json: r.try_get("productivity_json")?,
        climate_top_message_on: r.try_get("climate_top_message_on")?,
        climate_case_sharing_on: r.try_get("climate_case_sharing_on")?,
        telework_before_count: r.try_get("telework_before_count")?,
        wage_increase_json: r.try_get("wage_increase_json")?,
    })
}

/// One entry of the audit log.
#[derive(Clone, Debug, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// An officer's decision on an application.
#[derive(Clone, Debug, Serialize)]
pub struct Decision {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub outcome: String,
    pub decided_by: i64,
    pub decided_at: String,
    pub engine_version: String,
    pub regime: String,
    pub engine_status: String,
    pub engine_amount_yen: i64,
    pub decided_amount_yen: i64,
    pub overrides_engine: bool,
    pub reason: Option<String>,
    pub evaluation: Value,
    /// The `interpretation`/`unverified` values the evaluation used (regimes.md §4).
    pub assumptions: Value,
    /// SHA-256 of the regime overlay in force, if any.
    pub overlay_sha256: Option<String>,
}

/// What a workflow step changes besides the status.
#[derive(Clone, Debug, Default)]
pub struct StepChanges {
    /// Date columns to set: `submitted_on`, `certified_on`, `equipment_application_filed_on`, `goal_application_filed_on`, `regime`.
    pub set: Vec<(&'static str, Option<String>)>,
    pub decision: Option<NewDecision>,
    pub reason: Option<String>,
}

/// A decision to record with a workflow step.
#[derive(Clone, Debug)]
pub struct NewDecision {
    pub kind: String,
    pub outcome: String,
    pub engine_version: String,
    pub regime: String,
    pub engine_status: String,
    pub engine_amount_yen: i64,
    pub decided_amount_yen: i64,
    pub overrides_engine: bool,
    pub reason: Option<String>,
    pub evaluation: Value,
    pub assumptions: Value,
    pub overlay_sha256: Option<String>,
}

/// The inputs a decided or filed application rests on that `after` would
/// change, by their Japanese names. Once the first subsidy is filed, its basis
/// (expenses, the evaluation period, the work rules, 職場風土作り, the measures,
/// the growth count, and the telework records up to the filing day) is fixed;
/// changing it needs an explicit amendment with a reason.
pub fn locked_changes(case: &CaseRow, before: &Value, after: &Value) -> Vec<&'static str> {
    let Some(filed) = case.equipment_application_filed_on.as_deref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, label) in [
        ("expenses", "経費"),
        ("evaluation_start", "評価期間の初日"),
        ("work_rules_established_on", "就業規則等の整備日"),
        ("workplace_climate", "職場風土作り"),
        ("measures", "取組"),
        ("telework_before_count", "拡大前の実施回数"),
    ] {
        let (a, b) = (before.get(key), after.get(key));
        let empty = |v: Option<&Value>| {
            v.is_none_or(|v| v.is_null() || v.as_array().is_some_and(|a| a.is_empty()))
        };
        if a != b && !(empty(a) && empty(b)) {
            out.push(label);
        }
    }
    // Telework records up to the filing day (evaluation period 1).
    let early = |doc: &Value| -> Vec<Value> {
        let mut v: Vec<Value> = doc["telework"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|d| d["date"].as_str().is_some_and(|x| x <= filed))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        v.sort_by_key(|d| (d["date"].to_string(), d["worker"].to_string()));
        v
    };
    if early(before) != early(after) {
        out.push("申請済みの期間のテレワーク実績");
    }
    out
}

/// An API token's metadata (the token itself is never stored).
#[derive(Clone, Debug, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    /// Milliseconds since the epoch; `None` for tokens made before expiry existed.
    pub expires_at_ms: Option<i64>,
    pub revoked_at: Option<String>,
}

/// Which token to revoke.
#[derive(Clone, Copy, Debug)]
pub enum TokenRef<'a> {
    Id(i64),
    Hash(&'a str),
}

/// An attachment's metadata.
#[derive(Clone, Debug, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: i64,
    pub uploaded_at: String,
}

async fn audit(
    tx: &mut Transaction<'_, Any>,
    user: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (at, user_id, action, entity, entity_id, before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(now_text())
        .bind(user)
        .bind(action)
        .bind(entity)
        .bind(entity_id)
        .bind(before.map(|v| v.to_string()))
        .bind(after.map(|v| v.to_string()))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn opt_str(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(|x| x.as_str()).map(str::to_string)
}

impl Db {
    // --- users ---------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    pub async fn create_user(
        &self,
        username: &str,
        display_name: &str,
        password_hash: &str,
        role: Role,
        organization_id: Option<i64>,
        prefecture: Option<i64>,
        by: Option<i64>,
    ) -> Result<User> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO users (username, display_name, password_hash, role, organization_id, prefecture, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7) RETURNING id")
            .bind(username)
            .bind(display_name)
            .bind(password_hash)
            .bind(role.as_str())
            .bind(organization_id)
            .bind(prefecture)
            .bind(now_text())
            .fetch_one(&mut *tx)
            .await?;
        let id: i64 = row.try_get("id")?;
        let after = json!({"username": username, "role": role.as_str(), "organization_id": organization_id, "prefecture": prefecture});
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

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
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
        by: Option<i64>,
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

    // --- organisations and delegations ---------------------------------------------

    /// Creates an organisation from the case format's `employer` object (validated by the caller).
    pub async fn create_org(
        &self,
        prefecture: i64,
        employer: &Value,
        by: Option<i64>,
    ) -> Result<Organization> {
        let b = |k: &str| i64::from(employer.get(k).and_then(Value::as_bool).unwrap_or(false));
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO organizations (name, prefecture, industry, capital_yen, regular_employees, employment_insurance, telework_status, work_rules_have_telework, received_telework_subsidy, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
            .bind(opt_str(employer, "name").unwrap_or_default())
            .bind(prefecture)
            .bind(opt_str(employer, "industry").unwrap_or_default())
            .bind(employer.get("capital_yen").and_then(Value::as_i64))
            .bind(employer.get("regular_employees").and_then(Value::as_i64).unwrap_or(0))
            .bind(b("employment_insurance"))
            .bind(opt_str(employer, "telework_status").unwrap_or_else(|| "none".into()))
            .bind(b("work_rules_have_telework"))
            .bind(b("received_telework_subsidy"))
            .bind(now_text())
            .fetch_one(&mut *tx)
            .await?;
        let id: i64 = row.try_get("id")?;
        audit(
            &mut tx,
            by,
            "organization.create",
            "organization",
            &id.to_string(),
            None,
            Some(&json!({"prefecture": prefecture, "employer": employer})),
        )
        .await?;
        tx.commit().await?;
        self.org(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn org(&self, id: i64) -> Result<Option<Organization>> {
        let row = sqlx::query("SELECT * FROM organizations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(org_from).transpose()
    }

    pub async fn list_orgs(&self) -> Result<Vec<Organization>> {
        let rows = sqlx::query("SELECT * FROM organizations ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(org_from).collect()
    }

    /// Records that `organization_id` delegates to the agent.
    pub async fn grant_delegation(
        &self,
        organization_id: i64,
        agent_user_id: i64,
        by: i64,
    ) -> Result<i64> {
        if self
            .agent_org_ids(agent_user_id)
            .await?
            .contains(&organization_id)
        {
            return Err(StoreError::Conflict(
                "この社労士には既に委任しています".into(),
            ));
        }
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO delegations (organization_id, agent_user_id, granted_by, granted_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(organization_id)
            .bind(agent_user_id)
            .bind(by)
            .bind(now_text())
            .fetch_one(&mut *tx)
            .await?;
        let id: i64 = row.try_get("id")?;
        audit(
            &mut tx,
            Some(by),
            "delegation.grant",
            "organization",
            &organization_id.to_string(),
            None,
            Some(&json!({"agent_user_id": agent_user_id, "delegation_id": id})),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Revokes an active delegation.
    pub async fn revoke_delegation(
        &self,
        organization_id: i64,
        agent_user_id: i64,
        by: i64,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE delegations SET revoked_by = $1, revoked_at = $2 WHERE organization_id = $3 AND agent_user_id = $4 AND revoked_at IS NULL")
            .bind(by)
            .bind(now_text())
            .bind(organization_id)
            .bind(agent_user_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit(
            &mut tx,
            Some(by),
            "delegation.revoke",
            "organization",
            &organization_id.to_string(),
            Some(&json!({"agent_user_id": agent_user_id})),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Organisations that currently delegate to this agent.
    pub async fn agent_org_ids(&self, agent_user_id: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT organization_id FROM delegations WHERE agent_user_id = $1 AND revoked_at IS NULL ORDER BY organization_id")
            .bind(agent_user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok(r.try_get("organization_id")?))
            .collect()
    }

    // --- sessions, tokens, login attempts, settings ------------------------------------

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        expires_at_ms: i64,
    ) -> Result<()> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at_ms) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(user_id)
            .bind(csrf_token)
            .bind(now_text())
            .bind(expires_at_ms)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The live session's user and CSRF token (expired sessions are removed).
    pub async fn session(&self, token_hash: &str) -> Result<Option<(User, String)>> {
        let row = sqlx::query(
            "SELECT user_id, csrf_token, expires_at_ms FROM sessions WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires: i64 = row.try_get("expires_at_ms")?;
        if expires < now_ms() {
            self.delete_session(token_hash).await?;
            return Ok(None);
        }
        let user = self.user_by_id(row.try_get("user_id")?).await?;
        Ok(user
            .filter(|u| !u.disabled)
            .map(|u| (u, row.try_get("csrf_token").unwrap_or_default())))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn create_api_token(
        &self,
        token_hash: &str,
        user_id: i64,
        name: &str,
        expires_at_ms: i64,
    ) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(token_hash)
            .bind(user_id)
            .bind(name)
            .bind(now_text())
            .bind(expires_at_ms)
            .fetch_one(&mut *tx)
            .await?;
        let id: i64 = row.try_get("id")?;
        audit(
            &mut tx,
            Some(user_id),
            "token.create",
            "user",
            &user_id.to_string(),
            None,
            Some(&json!({"token_id": id, "name": name})),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A user's API tokens, newest first (never the tokens themselves).
    pub async fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query("SELECT id, name, created_at, expires_at_ms, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiToken {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    created_at: r.try_get("created_at")?,
                    expires_at_ms: r.try_get("expires_at_ms")?,
                    revoked_at: r.try_get("revoked_at")?,
                })
            })
            .collect()
    }

    /// Revokes one of `user_id`'s live tokens, by id or by its hash.
    /// `NotFound` when there is no such live token of the user.
    pub async fn revoke_api_token(&self, user_id: i64, which: TokenRef<'_>, by: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let (column, key) = match which {
            TokenRef::Id(id) => ("id", id.to_string()),
            TokenRef::Hash(h) => ("token_hash", h.to_string()),
        };
        let sql = format!("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND {column} = $3 AND revoked_at IS NULL");
        let q = sqlx::query(&sql).bind(now_text()).bind(user_id);
        let revoked = match which {
            TokenRef::Id(id) => q.bind(id),
            TokenRef::Hash(h) => q.bind(h.to_string()),
        }
        .execute(&mut *tx)
        .await?;
        if revoked.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let detail = match which {
            TokenRef::Id(_) => json!({"token_id": key}),
            TokenRef::Hash(_) => json!({"token": "revoked on sign-out"}),
        };
        audit(
            &mut tx,
            Some(by),
            "token.revoke",
            "user",
            &user_id.to_string(),
            None,
            Some(&detail),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a user's password hash; every other session of theirs ends.
    pub async fn set_password(
        &self,
        user_id: i64,
        hash: &str,
        keep_session: Option<&str>,
        by: i64,
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

    pub async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at_ms IS NULL OR expires_at_ms > $2)",
        )
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(self
                .user_by_id(r.try_get("user_id")?)
                .await?
                .filter(|u| !u.disabled)),
            None => Ok(None),
        }
    }

    pub async fn record_login_attempt(
        &self,
        username: &str,
        client: &str,
        success: bool,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO login_attempts (username, client, at_ms, success) VALUES ($1, $2, $3, $4)",
        )
        .bind(username)
        .bind(client)
        .bind(now_ms())
        .bind(i64::from(success))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a login attempt as failed until [`Db::finish_login_attempt`]
    /// marks it successful; returns its id. Attempts older than a day are purged.
    pub async fn begin_login_attempt(&self, username: &str, client: &str) -> Result<i64> {
        let now = now_ms();
        sqlx::query("DELETE FROM login_attempts WHERE at_ms < $1")
            .bind(now - 24 * 60 * 60 * 1000)
            .execute(&self.pool)
            .await?;
        let row = sqlx::query(
            "INSERT INTO login_attempts (username, client, at_ms, success) VALUES ($1, $2, $3, 0) RETURNING id",
        )
        .bind(username)
        .bind(client)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Marks a login attempt successful.
    pub async fn finish_login_attempt(&self, id: i64) -> Result<()> {
        sqlx::query("UPDATE login_attempts SET success = 1 WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Failed logins since `since_ms`, for this username or from this client.
    pub async fn recent_login_failures(
        &self,
        username: &str,
        client: &str,
        since_ms: i64,
    ) -> Result<(i64, i64)> {
        let by_user = sqlx::query("SELECT COUNT(*) AS n FROM login_attempts WHERE username = $1 AND success = 0 AND at_ms >= $2")
            .bind(username)
            .bind(since_ms)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let by_client = sqlx::query("SELECT COUNT(*) AS n FROM login_attempts WHERE client = $1 AND success = 0 AND at_ms >= $2")
            .bind(client)
            .bind(since_ms)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        Ok((by_user, by_client))
    }

    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("value")).transpose()?)
    }

    pub async fn set_setting(&self, key: &str, value: Option<&str>, by: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM settings WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
        if let Some(v) = value {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
                .bind(key)
                .bind(v)
                .execute(&mut *tx)
                .await?;
        }
        audit(
            &mut tx,
            Some(by),
            "setting.set",
            "setting",
            key,
            None,
            value.map(|v| json!(v)).as_ref(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    // --- cases ------------------------------------------------------------------------

    pub async fn create_case(&self, organization_id: i64, title: &str, by: i64) -> Result<CaseRow> {
        let org = self
            .org(organization_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        let now = now_text();
        let row = sqlx::query("INSERT INTO cases (organization_id, title, status, version, employer_json, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $5, $6) RETURNING id")
            .bind(organization_id)
            .bind(title)
            .bind(Status::Draft.as_str())
            .bind(org.employer.to_string())
            .bind(&now)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
        let id: i64 = row.try_get("id")?;
        audit(
            &mut tx,
            Some(by),
            "case.create",
            "case",
            &id.to_string(),
            None,
            Some(&json!({"organization_id": organization_id, "title": title, "status": "draft"})),
        )
        .await?;
        snapshots::mark_stale(&mut tx, id).await?;
        tx.commit().await?;
        self.case(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn case(&self, id: i64) -> Result<Option<CaseRow>> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases c JOIN organizations o ON o.id = c.organization_id WHERE c.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(case_from).transpose()
    }

    /// Every case in `scope`, newest first.
    pub async fn cases(&self, scope: &Scope) -> Result<Vec<CaseRow>> {
        let base = format!(
            "SELECT {CASE_COLUMNS} FROM cases c JOIN organizations o ON o.id = c.organization_id"
        );
        let rows = match scope {
            Scope::All => {
                sqlx::query(&format!("{base} ORDER BY c.id DESC"))
                    .fetch_all(&self.pool)
                    .await?
            }
            // A labour bureau never sees an employer's draft.
            Scope::Prefecture(p) => {
                sqlx::query(&format!(
                    "{base} WHERE o.prefecture = $1 AND c.status <> 'draft' ORDER BY c.id DESC"
                ))
                .bind(*p)
                .fetch_all(&self.pool)
                .await?
            }
            Scope::Organizations(ids) if ids.is_empty() => Vec::new(),
            Scope::Organizations(ids) => {
                let list = ids
                    .iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(",");
                sqlx::query(&format!(
                    "{base} WHERE c.organization_id IN ({list}) ORDER BY c.id DESC"
                ))
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(case_from).collect()
    }

    /// The case's inputs in the engine's JSON contract (without `as_of`).
    pub async fn case_document(&self, c: &CaseRow) -> Result<Value> {
        let id = c.id;
        let targets = sqlx::query(
            "SELECT worker_id, employment FROM case_target_workers WHERE case_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let telework = sqlx::query("SELECT worker_id, day, place FROM case_telework WHERE case_id = $1 ORDER BY day, worker_id").bind(id).fetch_all(&self.pool).await?;
        let roster = sqlx::query("SELECT worker_id, hired_on, left_on, leave_reason FROM case_roster WHERE case_id = $1 ORDER BY seq").bind(id).fetch_all(&self.pool).await?;
        let expenses = sqlx::query("SELECT expense_id, category, amount_yen, delivered_on, paid_on, travel_for, description, funded_by_other_subsidy, months FROM case_expenses WHERE case_id = $1 ORDER BY seq").bind(id).fetch_all(&self.pool).await?;
        let measures =
            sqlx::query("SELECT kind, done_on FROM case_measures WHERE case_id = $1 ORDER BY seq")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        let g = |r: &AnyRow, k: &str| -> Value {
            r.try_get::<Option<String>, _>(k)
                .ok()
                .flatten()
                .map_or(Value::Null, Value::String)
        };
        Ok(json!({
            "regime": c.regime,
            "employer": serde_json::from_str::<Value>(&c.employer_json).unwrap_or(Value::Null),
            "plan": {
                "submitted_on": c.submitted_on,
                "certified_on": c.certified_on,
                "target_workers": targets.iter().map(|r| json!({"id": g(r, "worker_id"), "employment": g(r, "employment")})).collect::<Vec<_>>(),
            },
            "work_rules_established_on": c.work_rules_established_on,
            "workplace_climate": if c.climate_top_message_on.is_none() && c.climate_case_sharing_on.is_none() {
                Value::Null
            } else {
                json!({"top_message_on": c.climate_top_message_on, "case_sharing_on": c.climate_case_sharing_on})
            },
            "measures": measures.iter().map(|r| json!({"kind": g(r, "kind"), "on": g(r, "done_on")})).collect::<Vec<_>>(),
            "evaluation_start": c.evaluation_start,
            "telework_before_count": c.telework_before_count,
            "telework": telework.iter().map(|r| json!({"worker": g(r, "worker_id"), "date": g(r, "day"), "place": g(r, "place")})).collect::<Vec<_>>(),
            "expenses": expenses.iter().map(|r| json!({
                "id": g(r, "expense_id"), "category": g(r, "category"),
                "amount_yen": r.try_get::<i64, _>("amount_yen").unwrap_or(0),
                "delivered_on": g(r, "delivered_on"), "paid_on": g(r, "paid_on"),
                "for": g(r, "travel_for"), "description": g(r, "description"),
                "funded_by_other_subsidy": r.try_get::<i64, _>("funded_by_other_subsidy").unwrap_or(0) != 0,
                "months": r.try_get::<Option<i64>, _>("months").ok().flatten(),
            })).collect::<Vec<_>>(),
            "roster": roster.iter().map(|r| json!({"id": g(r, "worker_id"), "hired_on": g(r, "hired_on"), "left_on": g(r, "left_on"), "leave_reason": g(r, "leave_reason")})).collect::<Vec<_>>(),
            "equipment_application_filed_on": c.equipment_application_filed_on,
            "goal_application_filed_on": c.goal_application_filed_on,
            "productivity": c.productivity_json.as_deref().and_then(|p| serde_json::from_str::<Value>(p).ok()),
            "wage_increase": c.wage_increase_json.as_deref().and_then(|p| serde_json::from_str::<Value>(p).ok()),
        }))
    }

    /// Replaces the case's editable inputs with those of `doc` (a validated
    /// contract document), if the case is still at `expected_version`. Dates
    /// owned by the workflow (submission, certification, filing) are kept.
    pub async fn save_inputs(
        &self,
        case_id: i64,
        expected_version: i64,
        doc: &Value,
        by: Option<i64>,
    ) -> Result<CaseRow> {
        self.save_inputs_as(case_id, expected_version, doc, by, None)
            .await
    }

    /// [`Db::save_inputs`], recorded as an amendment with its reason when one
    /// is given (changes to inputs a filed application rests on).
    pub async fn save_inputs_as(
        &self,
        case_id: i64,
        expected_version: i64,
        doc: &Value,
        by: Option<i64>,
        amendment: Option<&str>,
    ) -> Result<CaseRow> {
        let before_row = self.case(case_id).await?.ok_or(StoreError::NotFound)?;
        let before = self.case_document(&before_row).await?;
        let mut tx = self.pool.begin().await?;
        let climate = doc.get("workplace_climate").cloned().unwrap_or(Value::Null);
        let updated = sqlx::query("UPDATE cases SET version = version + 1, updated_at = $1, employer_json = $2, work_rules_established_on = $3, evaluation_start = $4, productivity_json = $5, climate_top_message_on = $6, climate_case_sharing_on = $7, telework_before_count = $8, wage_increase_json = $9 WHERE id = $10 AND version = $11")
            .bind(now_text())
            .bind(doc.get("employer").cloned().unwrap_or(Value::Null).to_string())
            .bind(opt_str(doc, "work_rules_established_on"))
            .bind(opt_str(doc, "evaluation_start"))
            .bind(doc.get("productivity").filter(|p| !p.is_null()).map(|p| p.to_string()))
            .bind(opt_str(&climate, "top_message_on"))
            .bind(opt_str(&climate, "case_sharing_on"))
            .bind(doc.get("telework_before_count").and_then(Value::as_i64))
            .bind(doc.get("wage_increase").filter(|p| !p.is_null()).map(|p| p.to_string()))
            .bind(case_id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(stale(case_id, expected_version));
        }
        for table in [
            "case_target_workers",
            "case_telework",
            "case_roster",
            "case_expenses",
            "case_measures",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE case_id = $1"))
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
        }
        let empty = Vec::new();
        let arr = |v: Option<&Value>| v.and_then(Value::as_array).unwrap_or(&empty).clone();
        let targets = arr(doc.get("plan").and_then(|p| p.get("target_workers")));
        insert_rows(
            &mut tx,
            "case_target_workers",
            &["case_id", "seq", "worker_id", "employment"],
            targets.iter().enumerate().map(|(i, t)| {
                vec![
                    Cell::I(case_id),
                    Cell::I(i as i64),
                    Cell::S(opt_str(t, "id")),
                    Cell::S(opt_str(t, "employment")),
                ]
            }),
        )
        .await?;
        let telework = dedupe_telework(&arr(doc.get("telework")));
        insert_rows(
            &mut tx,
            "case_telework",
            &["case_id", "worker_id", "day", "place"],
            telework.iter().map(|t| {
                vec![
                    Cell::I(case_id),
                    Cell::S(opt_str(t, "worker")),
                    Cell::S(opt_str(t, "date")),
                    Cell::S(opt_str(t, "place")),
                ]
            }),
        )
        .await?;
        insert_rows(
            &mut tx,
            "case_roster",
            &[
                "case_id",
                "seq",
                "worker_id",
                "hired_on",
                "left_on",
                "leave_reason",
            ],
            arr(doc.get("roster")).iter().enumerate().map(|(i, r)| {
                vec![
                    Cell::I(case_id),
                    Cell::I(i as i64),
                    Cell::S(opt_str(r, "id")),
                    Cell::S(opt_str(r, "hired_on")),
                    Cell::S(opt_str(r, "left_on")),
                    Cell::S(opt_str(r, "leave_reason")),
                ]
            }),
        )
        .await?;
        insert_rows(
            &mut tx,
            "case_expenses",
            &[
                "case_id",
                "seq",
                "expense_id",
                "category",
                "amount_yen",
                "delivered_on",
                "paid_on",
                "travel_for",
                "description",
                "funded_by_other_subsidy",
                "months",
            ],
            arr(doc.get("expenses")).iter().enumerate().map(|(i, e)| {
                vec![
                    Cell::I(case_id),
                    Cell::I(i as i64),
                    Cell::S(opt_str(e, "id")),
                    Cell::S(opt_str(e, "category")),
                    Cell::I(e.get("amount_yen").and_then(Value::as_i64).unwrap_or(0)),
                    Cell::S(opt_str(e, "delivered_on")),
                    Cell::S(opt_str(e, "paid_on")),
                    Cell::S(opt_str(e, "for")),
                    Cell::S(opt_str(e, "description")),
                    Cell::I(i64::from(
                        e.get("funded_by_other_subsidy").and_then(Value::as_bool) == Some(true),
                    )),
                    Cell::N(e.get("months").and_then(Value::as_i64)),
                ]
            }),
        )
        .await?;
        insert_rows(
            &mut tx,
            "case_measures",
            &["case_id", "seq", "kind", "done_on"],
            arr(doc.get("measures")).iter().enumerate().map(|(i, m)| {
                vec![
                    Cell::I(case_id),
                    Cell::I(i as i64),
                    Cell::S(opt_str(m, "kind")),
                    Cell::S(opt_str(m, "on")),
                ]
            }),
        )
        .await?;
        // The audit entry holds the stored documents before and after.
        let after_row = case_in_tx(&mut tx, case_id).await?;
        let after = document_in_tx(&mut tx, &after_row).await?;
        let mut after = after;
        if let Some(reason) = amendment {
            after["amendment_reason"] = json!(reason);
        }
        audit(
            &mut tx,
            by,
            if amendment.is_some() {
                "case.amend"
            } else {
                "case.inputs"
            },
            "case",
            &case_id.to_string(),
            Some(&before),
            Some(&after),
        )
        .await?;
        snapshots::mark_stale(&mut tx, case_id).await?;
        tx.commit().await?;
        self.case(case_id).await?.ok_or(StoreError::NotFound)
    }

    /// Moves the case to `to` if it is at `expected_version` and in one of
    /// `from`, setting the given columns and recording a decision, in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn step(
        &self,
        case_id: i64,
        expected_version: i64,
        from: &[Status],
        to: Status,
        action: &str,
        changes: StepChanges,
        by: i64,
    ) -> Result<(CaseRow, Option<Decision>)> {
        let before = self.case(case_id).await?.ok_or(StoreError::NotFound)?;
        if !from.contains(&before.status) {
            return Err(StoreError::Conflict(format!(
                "状態 {} では {action} できません",
                before.status.label_ja()
            )));
        }
        let mut tx = self.pool.begin().await?;
        let mut sql =
            String::from("UPDATE cases SET version = version + 1, status = $1, updated_at = $2");
        for (i, (col, _)) in changes.set.iter().enumerate() {
            sql.push_str(&format!(", {col} = ${}", i + 3));
        }
        let n = changes.set.len();
        sql.push_str(&format!(
            " WHERE id = ${} AND version = ${} AND status = ${}",
            n + 3,
            n + 4,
            n + 5
        ));
        let mut q = sqlx::query(&sql).bind(to.as_str()).bind(now_text());
        for (_, v) in &changes.set {
            q = q.bind(v.clone());
        }
        let done = q
            .bind(case_id)
            .bind(expected_version)
            .bind(before.status.as_str())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(stale(case_id, expected_version));
        }
        let mut decision_id = None;
        if let Some(d) = &changes.decision {
            let row = sqlx::query("INSERT INTO decisions (case_id, kind, outcome, decided_by, decided_at, engine_version, regime, engine_status, engine_amount_yen, decided_amount_yen, overrides_engine, reason, evaluation_json, assumptions_json, overlay_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id")
                .bind(case_id).bind(&d.kind).bind(&d.outcome).bind(by).bind(now_text()).bind(&d.engine_version).bind(&d.regime)
                .bind(&d.engine_status).bind(d.engine_amount_yen).bind(d.decided_amount_yen).bind(i64::from(d.overrides_engine))
                .bind(&d.reason).bind(d.evaluation.to_string()).bind(d.assumptions.to_string()).bind(&d.overlay_sha256)
                .fetch_one(&mut *tx).await?;
            decision_id = Some(row.try_get::<i64, _>("id")?);
        }
        let before_json = json!({"status": before.status.as_str(), "version": before.version});
        let mut after_json =
            json!({"status": to.as_str(), "version": before.version + 1, "reason": changes.reason});
        for (col, v) in &changes.set {
            after_json[*col] = json!(v);
        }
        if let Some(id) = decision_id {
            after_json["decision_id"] = json!(id);
        }
        audit(
            &mut tx,
            Some(by),
            &format!("case.{action}"),
            "case",
            &case_id.to_string(),
            Some(&before_json),
            Some(&after_json),
        )
        .await?;
        snapshots::mark_stale(&mut tx, case_id).await?;
        tx.commit().await?;
        let case = self.case(case_id).await?.ok_or(StoreError::NotFound)?;
        let decision = match decision_id {
            Some(id) => self
                .decisions(case_id)
                .await?
                .into_iter()
                .find(|d| d.id == id),
            None => None,
        };
        Ok((case, decision))
    }

    pub async fn decisions(&self, case_id: i64) -> Result<Vec<Decision>> {
        let rows = sqlx::query("SELECT * FROM decisions WHERE case_id = $1 ORDER BY id")
            .bind(case_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Decision {
                    id: r.try_get("id")?,
                    case_id: r.try_get("case_id")?,
                    kind: r.try_get("kind")?,
                    outcome: r.try_get("outcome")?,
                    decided_by: r.try_get("decided_by")?,
                    decided_at: r.try_get("decided_at")?,
                    engine_version: r.try_get("engine_version")?,
                    regime: r.try_get("regime")?,
                    engine_status: r.try_get("engine_status")?,
                    engine_amount_yen: r.try_get("engine_amount_yen")?,
                    decided_amount_yen: r.try_get("decided_amount_yen")?,
                    overrides_engine: r.try_get::<i64, _>("overrides_engine")? != 0,
                    reason: r.try_get("reason")?,
                    evaluation: serde_json::from_str(&r.try_get::<String, _>("evaluation_json")?)
                        .unwrap_or(Value::Null),
                    assumptions: r
                        .try_get::<Option<String>, _>("assumptions_json")?
                        .and_then(|a| serde_json::from_str(&a).ok())
                        .unwrap_or(Value::Null),
                    overlay_sha256: r.try_get("overlay_sha256")?,
                })
            })
            .collect()
    }

    pub async fn audit_log(&self, entity: &str, entity_id: &str) -> Result<Vec<AuditEntry>> {
        let rows =
            sqlx::query("SELECT * FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id")
                .bind(entity)
                .bind(entity_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                let parse = |k: &str| -> Result<Option<Value>> {
                    Ok(r.try_get::<Option<String>, _>(k)?
                        .and_then(|s| serde_json::from_str(&s).ok()))
                };
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    user_id: r.try_get("user_id")?,
                    action: r.try_get("action")?,
                    entity: r.try_get("entity")?,
                    entity_id: r.try_get("entity_id")?,
                    before: parse("before_json")?,
                    after: parse("after_json")?,
                })
            })
            .collect()
    }

    // --- attachments -------------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    pub async fn add_attachment(
        &self,
        case_id: i64,
        kind: &str,
        filename: &str,
        content_type: &str,
        sha256: &str,
        data: &[u8],
        by: i64,
    ) -> Result<Attachment> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO attachments (case_id, kind, filename, content_type, size_bytes, sha256, data, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
            .bind(case_id).bind(kind).bind(filename).bind(content_type).bind(data.len() as i64).bind(sha256).bind(data.to_vec()).bind(by).bind(now_text())
            .fetch_one(&mut *tx).await?;
        let id: i64 = row.try_get("id")?;
        audit(&mut tx, Some(by), "attachment.add", "case", &case_id.to_string(), None, Some(&json!({"attachment_id": id, "kind": kind, "filename": filename, "content_type": content_type, "size_bytes": data.len(), "sha256": sha256}))).await?;
        tx.commit().await?;
        self.attachments(case_id)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(StoreError::NotFound)
    }

    pub async fn attachments(&self, case_id: i64) -> Result<Vec<Attachment>> {
        let rows = sqlx::query("SELECT id, case_id, kind, filename, content_type, size_bytes, sha256, uploaded_by, uploaded_at FROM attachments WHERE case_id = $1 ORDER BY id").bind(case_id).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(Attachment {
                    id: r.try_get("id")?,
                    case_id: r.try_get("case_id")?,
                    kind: r.try_get("kind")?,
                    filename: r.try_get("filename")?,
                    content_type: r.try_get("content_type")?,
                    size_bytes: r.try_get("size_bytes")?,
                    sha256: r.try_get("sha256")?,
                    uploaded_by: r.try_get("uploaded_by")?,
                    uploaded_at: r.try_get("uploaded_at")?,
                })
            })
            .collect()
    }

    pub async fn attachment_data(&self, case_id: i64, id: i64) -> Result<(Attachment, Vec<u8>)> {
        let meta = self
            .attachments(case_id)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(StoreError::NotFound)?;
        let row = sqlx::query("SELECT data FROM attachments WHERE id = $1 AND case_id = $2")
            .bind(id)
            .bind(case_id)
            .fetch_one(&self.pool)
            .await?;
        Ok((meta, row.try_get("data")?))
    }

    /// An online backup of an SQLite database to `path` (`VACUUM INTO`).
    pub async fn backup_sqlite(&self, path: &str) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Conflict("backup はSQLiteのデータベースにのみ使えます（PostgreSQL は pg_dump を使ってください）".into()));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

fn stale(case_id: i64, expected: i64) -> StoreError {
    StoreError::Conflict(format!(
        "ケース {case_id} は他の人が更新しました（送信された版 {expected} は古くなっています）。最新の内容を読み込み直してください"
    ))
}

/// Telework records, one per worker and day (the last wins).
fn dedupe_telework(items: &[Value]) -> Vec<Value> {
    let mut seen = std::collections::HashMap::new();
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    for t in items {
        let key = (opt_str(t, "worker"), opt_str(t, "date"));
        match seen.get(&key) {
            Some(&i) => out[i] = t.clone(),
            None => {
                seen.insert(key, out.len());
                out.push(t.clone());
            }
        }
    }
    out
}

async fn case_in_tx(tx: &mut Transaction<'_, Any>, id: i64) -> Result<CaseRow> {
    let sql = format!("SELECT {CASE_COLUMNS} FROM cases c JOIN organizations o ON o.id = c.organization_id WHERE c.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_one(&mut **tx).await?;
    case_from(&row)
}

async fn document_in_tx(tx: &mut Transaction<'_, Any>, c: &CaseRow) -> Result<Value> {
    let count =
        |table: &'static str| format!("SELECT COUNT(*) AS n FROM {table} WHERE case_id = $1");
    let mut counts = serde_json::Map::new();
    for table in [
        "case_target_workers",
        "case_telework",
        "case_roster",
        "case_expenses",
        "case_measures",
    ] {
        let n: i64 = sqlx::query(&count(table))
            .bind(c.id)
            .fetch_one(&mut **tx)
            .await?
            .try_get("n")?;
        counts.insert(table.trim_start_matches("case_").to_string(), json!(n));
    }
    Ok(json!({
        "employer": serde_json::from_str::<Value>(&c.employer_json).unwrap_or(Value::Null),
        "work_rules_established_on": c.work_rules_established_on,
        "workplace_climate": {"top_message_on": c.climate_top_message_on, "case_sharing_on": c.climate_case_sharing_on},
        "telework_before_count": c.telework_before_count,
        "wage_increase": c.wage_increase_json.as_deref().and_then(|p| serde_json::from_str::<Value>(p).ok()),
        "evaluation_start": c.evaluation_start,
        "record_counts": counts,
        "version": c.version,
    }))
}

/// A value to bind.
enum Cell {
    I(i64),
    /// A nullable integer.
    N(Option<i64>),
    S(Option<String>),
}

/// Inserts rows in batches of multi-row `VALUES`.
async fn insert_rows(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    columns: &[&str],
    rows: impl Iterator<Item = Vec<Cell>>,
) -> Result<()> {
    let rows: Vec<Vec<Cell>> = rows.collect();
    let per_batch = (900 / columns.len()).max(1);
    for batch in rows.chunks(per_batch) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, _) in batch.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for j in 0..columns.len() {
                if j > 0 {
                    sql.push_str(", ");
                }
                n += 1;
                sql.push_str(&format!("${n}"));
            }
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for row in batch {
            for cell in row {
                q = match cell {
                    Cell::I(v) => q.bind(*v),
                    Cell::N(v) => q.bind(*v),
                    Cell::S(v) => q.bind(v.clone()),
                };
            }
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}
