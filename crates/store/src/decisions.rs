//! `decisions`: an officer's decision on an application, with the
//! evaluation it was made against.
//!
//! Invariants: `kind` is `equipment` or `goal`, `outcome` `granted` or
//! `denied`, `engine_status` one of the engine's subsidy statuses
//! (`payable`, `not_payable`, `pending`) and `overrides_engine` a 0/1 flag
//! (CHECKs since version 7). Decisions are only ever added, by a workflow
//! step ([`Db::step`]) in the step's transaction.

use crate::{now_text, Db, Result};
use serde::Serialize;
use serde_json::Value;
use sqlx::{Any, Row, Transaction};

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

/// Records decision `d` on the case, made by `by`, inside the workflow
/// step's transaction; returns its id.
pub(crate) async fn insert_decision(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
    d: &NewDecision,
    by: i64,
) -> Result<i64> {
    let row = sqlx::query("INSERT INTO decisions (case_id, kind, outcome, decided_by, decided_at, engine_version, regime, engine_status, engine_amount_yen, decided_amount_yen, overrides_engine, reason, evaluation_json, assumptions_json, overlay_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id")
        .bind(case_id).bind(&d.kind).bind(&d.outcome).bind(by).bind(now_text()).bind(&d.engine_version).bind(&d.regime)
        .bind(&d.engine_status).bind(d.engine_amount_yen).bind(d.decided_amount_yen).bind(i64::from(d.overrides_engine))
        .bind(&d.reason).bind(d.evaluation.to_string()).bind(d.assumptions.to_string()).bind(&d.overlay_sha256)
        .fetch_one(&mut **tx).await?;
    Ok(row.try_get("id")?)
}

impl Db {
    /// The decisions on a case, oldest first.
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
}
