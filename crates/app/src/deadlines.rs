//! Deadlines: the next one of each case, and the cases due soon.

use jiff::civil::Date;
use josei_rules::evaluate::{CheckStatus, Evaluation};
use josei_store::{CaseId, OrganizationId, Status};
use serde::{Deserialize, Serialize};

/// A candidate deadline: kind, effective date, nominal date.
type Candidate = (DeadlineKind, Option<Date>, Option<Date>);

/// Which deadline a [`Deadline`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The last day for the measures of a no-plan regime (職場風土作り, rules, training).
    MeasuresWindowEnd,
    EvaluationPeriodEnd,
    EquipmentApplication,
    GoalEvaluationPeriodEnd,
    GoalApplication,
}

/// The next deadline of a case: what, when (with the nominal date when a
/// holiday moved it), in 和暦, how many days are left and what is missing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub label: String,
    pub date: Date,
    pub nominal: Option<Date>,
    pub wareki: String,
    pub days_left: i64,
    pub missing: Vec<String>,
}

/// The next deadline of a case in `status`, with what is still missing.
pub fn next_deadline(status: Status, e: &Evaluation, today: Date) -> Option<Deadline> {
    let s = &e.schedule;
    let no_plan = e.regime_kind == josei_rules::regime::RegimeKind::NoPlan;
    let (candidates, checks): (Vec<Candidate>, _) = match status {
        Status::Draft if no_plan => (
            vec![
                (
                    DeadlineKind::MeasuresWindowEnd,
                    s.measures_window.map(|p| p.to()),
                    None,
                ),
                (
                    DeadlineKind::EvaluationPeriodEnd,
                    s.evaluation_period.map(|p| p.to()),
                    None,
                ),
            ],
            &e.equipment_subsidy.checks,
        ),
        Status::PlanCertified | Status::Evaluation => (
            vec![
                (
                    DeadlineKind::EvaluationPeriodEnd,
                    s.evaluation_period.map(|p| p.to()),
                    None,
                ),
                (
                    DeadlineKind::EquipmentApplication,
                    s.equipment_application_deadline.map(|d| d.effective),
                    s.equipment_application_deadline.map(|d| d.nominal),
                ),
            ],
            &e.equipment_subsidy.checks,
        ),
        Status::EquipmentGranted | Status::GoalTracking => (
            vec![
                (
                    DeadlineKind::GoalEvaluationPeriodEnd,
                    s.goal_evaluation_period.map(|p| p.to()),
                    None,
                ),
                (
                    DeadlineKind::GoalApplication,
                    s.goal_application_deadline.map(|d| d.effective),
                    s.goal_application_deadline.map(|d| d.nominal),
                ),
            ],
            &e.goal_subsidy.checks,
        ),
        _ => return None,
    };
    let (kind, date, nominal) = candidates
        .into_iter()
        .filter_map(|(k, d, n)| d.filter(|d| *d >= today).map(|d| (k, d, n)))
        .min_by_key(|(_, d, _)| *d)?;
    let first = e.equipment_subsidy.name;
    let label = match kind {
        DeadlineKind::MeasuresWindowEnd => {
            "取組（職場風土作り・就業規則・研修など）の期限".to_string()
        }
        DeadlineKind::EvaluationPeriodEnd => format!("評価期間（{first}）の終了"),
        DeadlineKind::EquipmentApplication => format!("{first}の申請期限"),
        DeadlineKind::GoalEvaluationPeriodEnd => "評価期間（目標達成助成）の終了".to_string(),
        DeadlineKind::GoalApplication => "目標達成助成の申請期限".to_string(),
    };
    let days_left =
        (josei_rules::civil::day_number(date) - josei_rules::civil::day_number(today)) as i64;
    let missing = checks
        .iter()
        .filter(|c| c.status == CheckStatus::Pending)
        .map(|c| c.message.clone())
        .collect();
    Some(Deadline {
        kind,
        label,
        date,
        nominal,
        wareki: josei_rules::wareki::format_wareki(date),
        days_left,
        missing,
    })
}

/// The day `days` after `today`, for "due within N days" filters.
pub fn days_after(today: Date, days: i64) -> Option<String> {
    today
        .checked_add(jiff::Span::new().days(days))
        .ok()
        .map(|d| d.to_string())
}

/// One case due soon.
#[derive(Debug, Serialize)]
pub struct DueCase {
    pub case_id: CaseId,
    pub title: String,
    pub organization_id: OrganizationId,
    pub status: Status,
    pub deadline: Deadline,
}

/// Every open case `user` may see that is due within `within_days` (0–3660,
/// default 30), nearest first; read from the evaluation snapshots.
pub async fn due_within(
    app: &crate::App,
    user: &josei_store::User,
    within_days: Option<i64>,
) -> crate::Result<Vec<DueCase>> {
    let within = within_days.unwrap_or(30);
    if !(0..=3660).contains(&within) {
        return Err(crate::Error::invalid(
            "within_days",
            "0〜3660 の日数を指定してください",
        ));
    }
    let scope = crate::access::scope_of(app, user).await?;
    let today = crate::snapshots::refresh_snapshots(app, &scope).await?;
    let query = josei_store::ListQuery {
        open_only: true,
        due_by: days_after(today, within),
        sort: josei_store::Sort::Deadline,
        ..Default::default()
    };
    let (rows, _) = app.db.list_page(&scope, &query).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let deadline = of_snapshot(&r.snapshot)?;
            Some(DueCase {
                case_id: r.case.id,
                title: r.case.title,
                organization_id: r.case.organization_id,
                status: r.case.status,
                deadline,
            })
        })
        .collect())
}

/// The deadline a snapshot recorded.
pub fn of_snapshot(s: &josei_store::Snapshot) -> Option<Deadline> {
    serde_json::from_str(s.deadline_json.as_deref()?).ok()
}
