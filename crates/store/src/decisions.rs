//! `decisions`: an officer's decision on an application, with the
//! evaluation it was made against.
//!
//! Invariants: `kind` is one of [`DecisionKind`] (`equipment`, `goal`),
//! `outcome` one of [`Outcome`] (`granted`, `denied`), `engine_status` one
//! of the engine's [`SubsidyStatus`] (`payable`, `not_payable`, `pending`)
//! and `overrides_engine` a 0/1 flag (CHECKs since version 7). Decisions are only ever added, by a workflow
//! step ([`Db::step`]) in the step's transaction.

use crate::{now_text, CaseId, Db, DecisionId, Result, StoreError, UserId};
use josei_rules::evaluate::SubsidyStatus;
use serde::Serialize;
use serde_json::Value;
use sqlx::{Any, Row, Transaction};

string_enum! {
    /// Which subsidy a decision is on (`decisions.kind`).
    "decision kind",
    DecisionKind {
        /// 機器等導入助成 (制度導入助成 from 令和7年度).
        Equipment = "equipment",
        /// 目標達成助成.
        Goal = "goal",
    }
}

string_enum! {
    /// What was decided (`decisions.outcome`).
    "decision outcome",
    Outcome {
        Granted = "granted",
        Denied = "denied",
    }
}

/// The engine's subsidy status as `decisions.engine_status` stores it (the
/// engine's own serialisation).
pub(crate) fn engine_status_str(s: SubsidyStatus) -> &'static str {
    match s {
        SubsidyStatus::Payable => "payable",
        SubsidyStatus::NotPayable => "not_payable",
        SubsidyStatus::Pending => "pending",
    }
}

/// The engine's subsidy status stored as `s`; any other text is a damaged row.
pub(crate) fn engine_status_from(s: &str) -> Result<SubsidyStatus> {
    [
        SubsidyStatus::Payable,
        SubsidyStatus::NotPayable,
        SubsidyStatus::Pending,
    ]
    .into_iter()
    .find(|v| engine_status_str(*v) == s)
    .ok_or_else(|| {
        StoreError::Db(sqlx::Error::Decode(
            format!("unknown engine status {s:?}").into(),
        ))
    })
}

/// An officer's decision on an application.
#[derive(Clone, Debug, Serialize)]
pub struct Decision {
    pub id: DecisionId,
    pub case_id: CaseId,
    pub kind: DecisionKind,
    pub outcome: Outcome,
    pub decided_by: UserId,
    pub decided_at: String,
    /// The day the decision takes effect (ISO), as the officer entered it.
    pub decided_on: String,
    pub engine_version: String,
    pub regime: String,
    pub engine_status: SubsidyStatus,
    pub engine_amount_yen: i64,
    pub decided_amount_yen: i64,
    pub overrides_engine: bool,
    pub reason: Option<String>,
    pub evaluation: Value,
    /// The `interpretation`/`unverified` values the evaluation used (regimes.md §4).
    pub assumptions: Value,
    /// SHA-256 of the regime overlay in force, if any.
    pub overlay_sha256: Option<String>,
    /// What the officer left out (`josei_app::exclusions::Exclusion` as JSON; `[]`: nothing).
    pub exclusions: Value,
}

/// What was decided on one subsidy of a case, without the evaluation behind it
/// (for lists).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DecidedAmount {
    pub case_id: CaseId,
    pub kind: DecisionKind,
    pub outcome: Outcome,
    pub amount_yen: i64,
    pub decided_at: String,
    /// The day the decision takes effect (ISO).
    pub decided_on: String,
}

/// A decision to record with a workflow step.
#[derive(Clone, Debug)]
pub struct NewDecision {
    pub kind: DecisionKind,
    pub outcome: Outcome,
    pub engine_version: String,
    pub regime: String,
    pub engine_status: SubsidyStatus,
    pub engine_amount_yen: i64,
    pub decided_amount_yen: i64,
    pub overrides_engine: bool,
    pub reason: Option<String>,
    pub evaluation: Value,
    pub assumptions: Value,
    pub overlay_sha256: Option<String>,
    /// The day the decision takes effect (ISO).
    pub decided_on: String,
    /// What the officer left out (JSON array).
    pub exclusions: Value,
}

/// Records decision `d` on the case, made by `by`, inside the workflow
/// step's transaction; returns its id.
pub(crate) async fn insert_decision(
    tx: &mut Transaction<'_, Any>,
    case_id: CaseId,
    d: &NewDecision,
    by: UserId,
) -> Result<DecisionId> {
    let row = sqlx::query("INSERT INTO decisions (case_id, kind, outcome, decided_by, decided_at, engine_version, regime, engine_status, engine_amount_yen, decided_amount_yen, overrides_engine, reason, evaluation_json, assumptions_json, overlay_sha256, decided_on, exclusions_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id")
        .bind(case_id).bind(d.kind.as_str()).bind(d.outcome.as_str()).bind(by).bind(now_text()).bind(&d.engine_version).bind(&d.regime)
        .bind(engine_status_str(d.engine_status)).bind(d.engine_amount_yen).bind(d.decided_amount_yen).bind(i64::from(d.overrides_engine))
        .bind(&d.reason).bind(d.evaluation.to_string()).bind(d.assumptions.to_string()).bind(&d.overlay_sha256)
        .bind(&d.decided_on).bind(d.exclusions.to_string())
        .fetch_one(&mut **tx).await?;
    Ok(row.try_get("id")?)
}

impl Db {
    /// The decisions on a case, oldest first.
    pub async fn decisions(&self, case_id: CaseId) -> Result<Vec<Decision>> {
        let rows = sqlx::query("SELECT * FROM decisions WHERE case_id = $1 ORDER BY id")
            .bind(case_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Decision {
                    id: r.try_get("id")?,
                    case_id: r.try_get("case_id")?,
                    kind: DecisionKind::from_column(&r.try_get::<String, _>("kind")?)?,
                    outcome: Outcome::from_column(&r.try_get::<String, _>("outcome")?)?,
                    decided_by: r.try_get("decided_by")?,
                    decided_at: r.try_get("decided_at")?,
                    decided_on: r
                        .try_get::<Option<String>, _>("decided_on")?
                        .unwrap_or_default(),
                    engine_version: r.try_get("engine_version")?,
                    regime: r.try_get("regime")?,
                    engine_status: engine_status_from(&r.try_get::<String, _>("engine_status")?)?,
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
                    exclusions: serde_json::from_str(&r.try_get::<String, _>("exclusions_json")?)
                        .unwrap_or(Value::Array(Vec::new())),
                })
            })
            .collect()
    }

    /// The decisions on the cases `ids`, oldest first (a later decision on the
    /// same subsidy replaces an earlier one for the reader).
    pub async fn decided_amounts(&self, ids: &[CaseId]) -> Result<Vec<DecidedAmount>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT case_id, kind, outcome, decided_amount_yen, decided_at, decided_on FROM decisions WHERE case_id IN ({}) ORDER BY id",
                list.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&self.pool).await? {
                out.push(DecidedAmount {
                    case_id: r.try_get("case_id")?,
                    kind: DecisionKind::from_column(&r.try_get::<String, _>("kind")?)?,
                    outcome: Outcome::from_column(&r.try_get::<String, _>("outcome")?)?,
                    amount_yen: r.try_get("decided_amount_yen")?,
                    decided_at: r.try_get("decided_at")?,
                    decided_on: r
                        .try_get::<Option<String>, _>("decided_on")?
                        .unwrap_or_default(),
                });
            }
        }
        Ok(out)
    }
}
