//! `delegations`: an organisation's mandate to a 社会保険労務士 (agent).
//!
//! Invariants: at most one live delegation (no `revoked_at`) per organisation
//! and agent; a revoked row is kept, with who revoked it and when, so that
//! the history of mandates stays readable. Granting and revoking are audited
//! on the organisation in the same transaction.

use crate::audit::audit;
use crate::{now_text, Db, DelegationId, OrganizationId, Result, StoreError, UserId};
use serde_json::json;
use sqlx::Row;

impl Db {
    /// Records that `organization_id` delegates to the agent.
    pub async fn grant_delegation(
        &self,
        organization_id: OrganizationId,
        agent_user_id: UserId,
        by: UserId,
    ) -> Result<DelegationId> {
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
        let id: DelegationId = row.try_get("id")?;
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
        organization_id: OrganizationId,
        agent_user_id: UserId,
        by: UserId,
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
    pub async fn agent_org_ids(&self, agent_user_id: UserId) -> Result<Vec<OrganizationId>> {
        let rows = sqlx::query("SELECT organization_id FROM delegations WHERE agent_user_id = $1 AND revoked_at IS NULL ORDER BY organization_id")
            .bind(agent_user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok(r.try_get("organization_id")?))
            .collect()
    }
}

/// A delegation of an organisation, live or revoked, with its 社労士.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DelegationRow {
    pub id: DelegationId,
    pub organization_id: OrganizationId,
    pub agent_user_id: UserId,
    pub agent_username: String,
    pub agent_name: String,
    pub agent_office: Option<String>,
    pub granted_at: String,
    pub revoked_at: Option<String>,
}

impl Db {
    /// The delegations of an organisation, live first, then the newest
    /// revoked ones (at most `limit` in all).
    pub async fn org_delegations(
        &self,
        organization_id: OrganizationId,
        limit: i64,
    ) -> Result<Vec<DelegationRow>> {
        let rows = sqlx::query("SELECT d.id, d.organization_id, d.agent_user_id, u.username, u.display_name, u.office_name, d.granted_at, d.revoked_at FROM delegations d JOIN users u ON u.id = d.agent_user_id WHERE d.organization_id = $1 ORDER BY CASE WHEN d.revoked_at IS NULL THEN 0 ELSE 1 END, d.id DESC LIMIT $2")
            .bind(organization_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(DelegationRow {
                    id: r.try_get("id")?,
                    organization_id: r.try_get("organization_id")?,
                    agent_user_id: r.try_get("agent_user_id")?,
                    agent_username: r.try_get("username")?,
                    agent_name: r.try_get("display_name")?,
                    agent_office: r.try_get("office_name")?,
                    granted_at: r.try_get("granted_at")?,
                    revoked_at: r.try_get("revoked_at")?,
                })
            })
            .collect()
    }

    /// How many delegations are live.
    pub async fn count_live_delegations(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM delegations WHERE revoked_at IS NULL")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }
}
