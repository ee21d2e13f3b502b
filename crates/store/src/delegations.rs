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
