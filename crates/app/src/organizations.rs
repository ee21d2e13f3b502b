//! Organisations (employers) and delegations to 社労士.

use crate::access::{in_scope, require_role, scope_of};
use crate::engine::check_employer;
use crate::{App, Error, Result};
use josei_store::{DelegationId, Organization, OrganizationId, Role, User, UserId};
use serde::Serialize;
use serde_json::Value;

/// Registers an employer in `prefecture` (1–47); admins only. The `employer`
/// object is checked by the engine's parser, field paths included.
pub async fn create(
    app: &App,
    user: &User,
    prefecture: i64,
    employer: &Value,
) -> Result<Organization> {
    require_role(user, &[Role::Admin])?;
    if !(1..=47).contains(&prefecture) {
        return Err(Error::invalid(
            "prefecture",
            "都道府県コード（1〜47）を指定してください",
        ));
    }
    check_employer(employer)?;
    Ok(app
        .db
        .create_org(prefecture, employer, Some(user.id))
        .await?)
}

/// The organisations `user` may see.
pub async fn visible(app: &App, user: &User) -> Result<Vec<Organization>> {
    let scope = scope_of(app, user).await?;
    Ok(app
        .db
        .list_orgs()
        .await?
        .into_iter()
        .filter(|o| in_scope(&scope, o.id, o.prefecture))
        .collect())
}

/// A delegation just granted.
#[derive(Debug, Serialize)]
pub struct Delegation {
    pub id: DelegationId,
    pub organization_id: OrganizationId,
    pub agent_user_id: UserId,
}

/// An employer (of that organisation) or an admin delegates the organisation's
/// cases to the 社労士 `agent` (a user name).
pub async fn grant_delegation(
    app: &App,
    user: &User,
    org_id: OrganizationId,
    agent: &str,
) -> Result<Delegation> {
    let own = user.role == Role::Employer && user.organization_id == Some(org_id);
    if !own && user.role != Role::Admin {
        let org = app.db.org(org_id).await?.ok_or_else(Error::not_found)?;
        let scope = scope_of(app, user).await?;
        return Err(if in_scope(&scope, org.id, org.prefecture) {
            Error::forbidden("委任できるのは事業主本人と管理者です")
        } else {
            Error::not_found()
        });
    }
    app.db.org(org_id).await?.ok_or_else(Error::not_found)?;
    let agent = app
        .db
        .user_by_username(agent)
        .await?
        .filter(|a| a.role == Role::Agent && !a.disabled)
        .ok_or_else(|| Error::invalid("agent", format!("社労士のユーザー {agent} はいません")))?;
    let id = app.db.grant_delegation(org_id, agent.id, user.id).await?;
    Ok(Delegation {
        id,
        organization_id: org_id,
        agent_user_id: agent.id,
    })
}

/// Ends a delegation; the employer of the organisation or an admin.
pub async fn revoke_delegation(
    app: &App,
    user: &User,
    org_id: OrganizationId,
    agent: &str,
) -> Result<()> {
    let own = user.role == Role::Employer && user.organization_id == Some(org_id);
    if !own && user.role != Role::Admin {
        return Err(Error::not_found());
    }
    let agent = app
        .db
        .user_by_username(agent)
        .await?
        .ok_or_else(Error::not_found)?;
    app.db.revoke_delegation(org_id, agent.id, user.id).await?;
    Ok(())
}
