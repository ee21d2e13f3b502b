//! The officers' queue: the day a case was received by the labour bureau
//! (`cases.received_on`, set when a step moves the case into a
//! bureau-facing status), the officer it is assigned to
//! (`cases.assignee_id`) and the counts per status over a scope.

use crate::audit::audit;
use crate::snapshots::scope_sql;
use crate::{CaseId, Db, Result, Scope, Status, StepChanges, StoreError, UserId};
use serde_json::json;
use sqlx::Row;

/// The statuses in which a case waits for the bureau (a plan submitted, a
/// 支給申請 filed): entering one of them receives the case.
pub const WAITING: &[Status] = &[
    Status::PlanSubmitted,
    Status::EquipmentFiled,
    Status::GoalFiled,
];

/// The 受付日 a step into `to` records: for a bureau-facing status, the day
/// the step itself names for it (the filing day it sets), else the day the
/// step is taken (`on`, the training clock), else today. A step elsewhere
/// that sets a filing day (a case placed directly in a later state, as
/// `josei demo` does) records the latest filing it names; any other step
/// keeps the last 受付日 (`None`).
pub(crate) fn received_on(to: Status, changes: &StepChanges) -> Option<String> {
    const FILINGS: [(Status, &str); 3] = [
        (Status::GoalFiled, "goal_application_filed_on"),
        (Status::EquipmentFiled, "equipment_application_filed_on"),
        (Status::PlanSubmitted, "submitted_on"),
    ];
    let named = |column: &str| {
        changes
            .set
            .iter()
            .find(|(c, _)| *c == column)
            .and_then(|(_, v)| v.clone())
    };
    match FILINGS.iter().find(|(s, _)| *s == to) {
        Some((_, column)) => Some(
            named(column)
                .or_else(|| changes.on.clone())
                .unwrap_or_else(|| crate::now_text().chars().take(10).collect()),
        ),
        None => FILINGS.iter().find_map(|(_, column)| named(column)),
    }
}

impl Db {
    /// How many cases of `scope` are in each status (one grouped query;
    /// statuses without a case are left out).
    pub async fn status_counts(&self, scope: &Scope) -> Result<Vec<(Status, i64)>> {
        let (cond, binds) = scope_sql(scope);
        let sql = format!(
            "SELECT c.status AS status, COUNT(*) AS n FROM cases c JOIN organizations o ON o.id = c.organization_id \
             WHERE {cond} GROUP BY c.status"
        );
        let mut q = sqlx::query(&sql);
        for b in &binds {
            q = q.bind(*b);
        }
        q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let s: String = r.try_get("status")?;
                let status = Status::parse(&s).ok_or_else(|| {
                    StoreError::Db(sqlx::Error::Decode(
                        format!("case has an unknown status {s:?}").into(),
                    ))
                })?;
                Ok((status, r.try_get("n")?))
            })
            .collect()
    }

    /// Assigns the case to `assignee` (`None`: no one), with its audit entry
    /// (`case.assign`, the officer before and after). The case's version is
    /// not changed: an assignment is not an edit of the application.
    pub async fn assign_case(
        &self,
        case_id: CaseId,
        assignee: Option<UserId>,
        by: UserId,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let before: Option<UserId> = sqlx::query("SELECT assignee_id FROM cases WHERE id = $1")
            .bind(case_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_get("assignee_id")?;
        sqlx::query("UPDATE cases SET assignee_id = $1 WHERE id = $2")
            .bind(assignee)
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(by),
            "case.assign",
            "case",
            &case_id.to_string(),
            Some(&json!({ "assignee_id": before })),
            Some(&json!({ "assignee_id": assignee })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_into_the_bureau_records_its_filing_day() {
        let changes = |set: Vec<(&'static str, Option<String>)>, on: Option<&str>| StepChanges {
            set,
            decision: None,
            reason: None,
            on: on.map(str::to_string),
        };
        let filed = changes(
            vec![("equipment_application_filed_on", Some("2026-10-01".into()))],
            Some("2026-11-21"),
        );
        assert_eq!(
            received_on(Status::EquipmentFiled, &filed).as_deref(),
            Some("2026-10-01")
        );
        assert_eq!(
            received_on(Status::PlanSubmitted, &changes(vec![], Some("2026-11-21"))).as_deref(),
            Some("2026-11-21")
        );
        assert_eq!(
            received_on(Status::PlanCertified, &changes(vec![], Some("2026-11-21"))),
            None
        );
        // A case placed in a decided state with its filing day (the demo).
        assert_eq!(
            received_on(Status::EquipmentGranted, &filed).as_deref(),
            Some("2026-10-01")
        );
        let today = received_on(Status::GoalFiled, &changes(vec![], None)).unwrap();
        assert_eq!(today.len(), 10, "{today}");
    }
}
