//! Bureau statistics: what was received and decided, grouped by the case's
//! regime, for one prefecture or for all, in three grouped queries (no row
//! per case leaves the database).
//!
//! - [`RegimeCounts`]: plans submitted, certified, returned (at least once)
//!   and rejected; applications filed for each subsidy. Read from the
//!   workflow dates of `cases` and, for returns and rejections, the case's
//!   status or its steps in `audit_log` (a case made without steps, as the
//!   demo's are, still counts by its status).
//! - [`DecisionTotals`]: the decisions on each subsidy (the latest one per
//!   case and subsidy), counted by outcome, with the amounts decided.
//! - [`ProcessingDays`]: how many decisions took how many days from receipt
//!   (the plan's submission, the application's filing) to the decision (the
//!   day the step records as `on`, else the date of its audit entry): a
//!   histogram, so that a median costs one row per distinct number of days.
//!
//! A case counts under `cases.regime`, fixed when the plan is submitted (or,
//! without a plan, when evaluation period 1 starts); drafts are never counted.

use crate::db::Backend;
use crate::{Db, DecisionKind, Outcome, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// What was received under one regime.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RegimeCounts {
    /// The regime's id (`R4`); never shown.
    pub regime: String,
    pub plans_submitted: i64,
    pub plans_certified: i64,
    /// Plans returned for correction at least once.
    pub plans_returned: i64,
    pub plans_rejected: i64,
    /// 機器等導入助成 (制度導入助成 from 令和7年度) applications filed.
    pub equipment_filed: i64,
    /// 目標達成助成 applications filed.
    pub goal_filed: i64,
}

/// The decisions of one outcome on one subsidy under one regime.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DecisionTotals {
    pub regime: String,
    pub kind: DecisionKind,
    pub outcome: Outcome,
    pub count: i64,
    /// The sum of the decided amounts (0 for refusals).
    pub amount_yen: i64,
}

string_enum! {
    /// Which review a processing time belongs to.
    "review kind",
    ReviewKind {
        /// The plan: from its (last) submission to its certification or rejection.
        Plan = "plan",
        /// 機器等導入助成 / 制度導入助成: from filing to the decision.
        Equipment = "equipment",
        /// 目標達成助成: from filing to the decision.
        Goal = "goal",
    }
}

/// How many reviews of a kind under a regime took `days` days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProcessingDays {
    pub regime: String,
    pub kind: ReviewKind,
    pub days: i64,
    pub count: i64,
}

/// Everything the statistics page needs from the database.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Statistics {
    pub counts: Vec<RegimeCounts>,
    pub decisions: Vec<DecisionTotals>,
    pub processing: Vec<ProcessingDays>,
}

/// The workflow steps that end a review, and the review each ends.
const REVIEW_ENDS: [(&str, ReviewKind); 6] = [
    ("case.certify_plan", ReviewKind::Plan),
    ("case.reject_plan", ReviewKind::Plan),
    ("case.grant_equipment", ReviewKind::Equipment),
    ("case.deny_equipment", ReviewKind::Equipment),
    ("case.grant_goal", ReviewKind::Goal),
    ("case.deny_goal", ReviewKind::Goal),
];

impl Db {
    /// The statistics of the cases of employers in `prefecture` (every
    /// prefecture when `None`).
    pub async fn statistics(&self, prefecture: Option<i64>) -> Result<Statistics> {
        // The only bound value is the prefecture, always `$1` when present.
        let pref = if prefecture.is_some() {
            " AND o.prefecture = $1"
        } else {
            ""
        };
        let audited = |action: &str| {
            format!("EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'case' AND a.entity_id = CAST(c.id AS TEXT) AND a.action = '{action}')")
        };
        let counts_sql = format!(
            "SELECT c.regime AS regime, \
             COUNT(c.submitted_on) AS plans_submitted, \
             COUNT(c.certified_on) AS plans_certified, \
             SUM(CASE WHEN c.status = 'plan_returned' OR {returned} THEN 1 ELSE 0 END) AS plans_returned, \
             SUM(CASE WHEN c.status = 'plan_rejected' OR {rejected} THEN 1 ELSE 0 END) AS plans_rejected, \
             COUNT(c.equipment_application_filed_on) AS equipment_filed, \
             COUNT(c.goal_application_filed_on) AS goal_filed \
             FROM cases c JOIN organizations o ON o.id = c.organization_id \
             WHERE c.regime IS NOT NULL AND c.status <> 'draft'{pref} \
             GROUP BY c.regime ORDER BY c.regime",
            returned = audited("case.return_plan"),
            rejected = audited("case.reject_plan"),
        );
        let mut counts = Vec::new();
        for r in self.fetch(&counts_sql, prefecture).await? {
            counts.push(RegimeCounts {
                regime: r.try_get("regime")?,
                plans_submitted: r.try_get("plans_submitted")?,
                plans_certified: r.try_get("plans_certified")?,
                plans_returned: r.try_get("plans_returned")?,
                plans_rejected: r.try_get("plans_rejected")?,
                equipment_filed: r.try_get("equipment_filed")?,
                goal_filed: r.try_get("goal_filed")?,
            });
        }

        // The latest decision on each subsidy of a case (one per subsidy in
        // practice: a decided application is never decided again).
        let decisions_sql = format!(
            "SELECT c.regime AS regime, d.kind AS kind, d.outcome AS outcome, COUNT(*) AS n, \
             CAST(COALESCE(SUM(d.decided_amount_yen), 0) AS BIGINT) AS yen \
             FROM decisions d \
             JOIN (SELECT MAX(id) AS id FROM decisions GROUP BY case_id, kind) latest ON latest.id = d.id \
             JOIN cases c ON c.id = d.case_id JOIN organizations o ON o.id = c.organization_id \
             WHERE c.regime IS NOT NULL{pref} \
             GROUP BY c.regime, d.kind, d.outcome ORDER BY c.regime, d.kind, d.outcome"
        );
        let mut decisions = Vec::new();
        for r in self.fetch(&decisions_sql, prefecture).await? {
            decisions.push(DecisionTotals {
                regime: r.try_get("regime")?,
                kind: DecisionKind::from_column(&r.try_get::<String, _>("kind")?)?,
                outcome: Outcome::from_column(&r.try_get::<String, _>("outcome")?)?,
                count: r.try_get("n")?,
                amount_yen: r.try_get("yen")?,
            });
        }

        let step_day = match self.backend {
            Backend::Sqlite => "COALESCE(json_extract(a.after_json, '$.on'), SUBSTR(a.at, 1, 10))",
            Backend::Postgres => {
                "COALESCE(CAST(a.after_json AS json) ->> 'on', SUBSTR(a.at, 1, 10))"
            }
        };
        let receipt = "CASE WHEN a.action IN ('case.certify_plan', 'case.reject_plan') THEN c.submitted_on \
             WHEN a.action IN ('case.grant_equipment', 'case.deny_equipment') THEN c.equipment_application_filed_on \
             ELSE c.goal_application_filed_on END";
        let days = match self.backend {
            Backend::Sqlite => {
                format!("CAST(julianday({step_day}) - julianday({receipt}) AS INTEGER)")
            }
            Backend::Postgres => {
                format!("CAST(CAST({step_day} AS date) - CAST({receipt} AS date) AS BIGINT)")
            }
        };
        let actions = REVIEW_ENDS
            .iter()
            .map(|(a, _)| format!("'{a}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let processing_sql = format!(
            "SELECT c.regime AS regime, a.action AS action, {days} AS days, COUNT(*) AS n \
             FROM audit_log a \
             JOIN cases c ON a.entity = 'case' AND a.entity_id = CAST(c.id AS TEXT) \
             JOIN organizations o ON o.id = c.organization_id \
             WHERE a.action IN ({actions}) AND c.regime IS NOT NULL AND ({receipt}) IS NOT NULL{pref} \
             GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        );
        let mut processing = Vec::new();
        for r in self.fetch(&processing_sql, prefecture).await? {
            let action: String = r.try_get("action")?;
            let Some(kind) = REVIEW_ENDS
                .iter()
                .find(|(a, _)| *a == action)
                .map(|(_, k)| *k)
            else {
                continue;
            };
            // A date that could not be read (NULL) or a decision dated before
            // its receipt is left out rather than guessed.
            let Some(days) = r.try_get::<Option<i64>, _>("days")? else {
                continue;
            };
            if days < 0 {
                continue;
            }
            processing.push(ProcessingDays {
                regime: r.try_get("regime")?,
                kind,
                days,
                count: r.try_get("n")?,
            });
        }
        Ok(Statistics {
            counts,
            decisions,
            processing,
        })
    }

    /// The rows of `sql`, whose only parameter (`$1`) is the prefecture, if any.
    async fn fetch(&self, sql: &str, prefecture: Option<i64>) -> Result<Vec<AnyRow>> {
        let q = sqlx::query(sql);
        let q = match prefecture {
            Some(p) => q.bind(p),
            None => q,
        };
        Ok(q.fetch_all(&self.pool).await?)
    }
}
