//! The officers' queue: its views, the processing deadline of a case
//! waiting for the bureau, the assignment of a case to an officer, the
//! counts per status and the rows of its exports.

use crate::access::{require_role, scope_of, visible_case};
use crate::deadlines::of_snapshot;
use crate::{App, Error, Result};
use jiff::civil::Date;
use jiff::ToSpan;
use josei_store::{
    CaseId, DecidedAmount, DecisionKind, ListedCase, Outcome, Role, Status, User, UserId, Verdict,
    WAITING,
};

/// A parameter with where it comes from and how sure it is (the grades of
/// `crates/rules/data/regimes.toml`).
#[derive(Clone, Copy, Debug)]
pub struct ProcessingPeriod {
    pub status: Status,
    /// Days from the 受付日 to the processing deadline.
    pub days: i64,
    pub grade: &'static str,
    pub source: &'static str,
    pub note: &'static str,
}

/// How long the bureau gives itself for each kind of case waiting for it.
///
/// No official standard processing period (標準処理期間) for this subsidy is
/// published in the seed documents or the research (`/work/shared`): these
/// are the product's reading, graded `interpretation`, for the queue's own
/// 処理期限 only (never shown to an applicant as a promise).
pub const PROCESSING_PERIODS: &[ProcessingPeriod] = &[
    ProcessingPeriod {
        status: Status::PlanSubmitted,
        days: 30,
        grade: "interpretation",
        source: "支給要領: 計画は実施期間の初日から起算して6か月前から1か月前までに提出する",
        note: "the latest a plan may arrive is one month before its period starts; deciding within 30 days lets it start on time",
    },
    ProcessingPeriod {
        status: Status::EquipmentFiled,
        days: 90,
        grade: "interpretation",
        source: "no published standard processing period; product's reading",
        note: "three months for the examination of a 支給申請 and its documents",
    },
    ProcessingPeriod {
        status: Status::GoalFiled,
        days: 90,
        grade: "interpretation",
        source: "no published standard processing period; product's reading",
        note: "three months for the examination of a 支給申請 and its documents",
    },
];

/// The days to the processing deadline per status, for the store's order.
pub fn processing_days() -> Vec<(Status, i64)> {
    PROCESSING_PERIODS
        .iter()
        .map(|p| (p.status, p.days))
        .collect()
}

/// The 処理期限 of a case in `status` received on `received`: only while it
/// waits for the bureau.
pub fn processing_deadline(status: Status, received: Date) -> Option<Date> {
    let p = PROCESSING_PERIODS.iter().find(|p| p.status == status)?;
    received.checked_add(p.days.days()).ok()
}

/// 待ち日数: days since the case was received, while it waits.
pub fn days_waiting(status: Status, received: Date, today: Date) -> Option<i64> {
    WAITING
        .contains(&status)
        .then(|| (today - received).get_days() as i64)
}

/// The queue's views.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum View {
    /// Waiting for the bureau's decision (the default).
    #[default]
    Waiting,
    /// Decided by the bureau (certified, rejected, granted, denied, closed).
    Decided,
    /// Every case the bureau sees except those withdrawn.
    All,
    /// Withdrawn.
    Withdrawn,
}

impl View {
    pub const ALL: [View; 4] = [View::Waiting, View::Decided, View::All, View::Withdrawn];

    pub fn key(self) -> &'static str {
        match self {
            View::Waiting => "waiting",
            View::Decided => "decided",
            View::All => "all",
            View::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.key() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            View::Waiting => "要対応",
            View::Decided => "決定済み",
            View::All => "すべて",
            View::Withdrawn => "取下げ",
        }
    }

    /// The statuses the view lists (never a draft).
    pub fn statuses(self) -> Vec<Status> {
        Status::ALL
            .iter()
            .copied()
            .filter(|s| *s != Status::Draft)
            .filter(|s| match self {
                View::Waiting => WAITING.contains(s),
                View::Decided => DECIDED.contains(s),
                View::All => *s != Status::Withdrawn,
                View::Withdrawn => *s == Status::Withdrawn,
            })
            .collect()
    }
}

/// The statuses after a decision of the bureau.
pub const DECIDED: &[Status] = &[
    Status::PlanRejected,
    Status::PlanCertified,
    Status::Evaluation,
    Status::EquipmentGranted,
    Status::EquipmentDenied,
    Status::GoalTracking,
    Status::GoalGranted,
    Status::GoalDenied,
    Status::Closed,
];

/// The counts above the queue: per status (one grouped query) and per view.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub by_status: Vec<(Status, i64)>,
}

impl Counts {
    pub fn view(&self, v: View) -> i64 {
        let statuses = v.statuses();
        self.by_status
            .iter()
            .filter(|(s, _)| statuses.contains(s))
            .map(|(_, n)| n)
            .sum()
    }

    pub fn status(&self, s: Status) -> i64 {
        self.by_status
            .iter()
            .find(|(x, _)| *x == s)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    }
}

/// The counts per status of the cases `user` sees in the queue.
pub async fn counts(app: &App, user: &User) -> Result<Counts> {
    require_role(user, &[Role::Officer, Role::Admin])?;
    let scope = scope_of(app, user).await?;
    let mut by_status = app.db.status_counts(&scope).await?;
    by_status.retain(|(s, _)| *s != Status::Draft);
    Ok(Counts { by_status })
}

/// The officers a case of `prefecture` may be assigned to.
pub async fn officers(app: &App, prefecture: i64) -> Result<Vec<User>> {
    Ok(app.db.bureau_officers(prefecture).await?)
}

/// Assigns the case to `assignee` (`None`: to no one). Officers and
/// administrators only; the case must be in the user's scope (an officer's
/// prefecture), and the assignee an enabled officer of the case's
/// prefecture. Audited (`case.assign`).
pub async fn assign(
    app: &App,
    user: &User,
    case_id: CaseId,
    assignee: Option<UserId>,
) -> Result<()> {
    require_role(user, &[Role::Officer, Role::Admin])?;
    let case = visible_case(app, user, case_id).await?;
    if let Some(a) = assignee {
        let ok = officers(app, case.prefecture)
            .await?
            .iter()
            .any(|o| o.id == a);
        if !ok {
            return Err(Error::invalid(
                "assignee",
                "担当者は、この申請を管轄する労働局の職員から選んでください。",
            ));
        }
    }
    app.db.assign_case(case_id, assignee, user.id).await?;
    Ok(())
}

/// One row of the queue's exports, typed: numbers and days stay numbers and
/// days.
#[derive(Clone, Debug)]
pub struct ExportRow {
    pub number: i64,
    pub title: String,
    pub employer: String,
    pub insurance_number: String,
    pub status: String,
    pub received: Option<Date>,
    pub days_waiting: Option<i64>,
    pub processing_deadline: Option<Date>,
    pub assignee: String,
    pub next_deadline: Option<Date>,
    /// Expected yen per subsidy (`None`: not expected, e.g. 不支給 predicted).
    pub expected_first: Option<i64>,
    pub expected_goal: Option<i64>,
    /// Decided yen per subsidy (0 for a 不支給決定; `None`: not decided).
    pub decided_first: Option<i64>,
    pub decided_goal: Option<i64>,
    /// The day of the latest decision.
    pub decided_on: Option<Date>,
}

/// The export's header, in the order of [`ExportRow`]'s fields.
pub const EXPORT_HEADER: [&str; 15] = [
    "申請番号",
    "件名",
    "事業主",
    "雇用保険適用事業所番号",
    "状態",
    "受付日",
    "待ち日数",
    "処理期限",
    "担当者",
    "次の期限",
    "見込み額（機器等導入助成・制度導入助成）",
    "見込み額（目標達成助成）",
    "支給決定額（機器等導入助成・制度導入助成）",
    "支給決定額（目標達成助成）",
    "決定日",
];

fn day(s: Option<&str>) -> Option<Date> {
    s.and_then(|s| s.get(..10)).and_then(|s| s.parse().ok())
}

/// The export rows of `rows`, with the decided amounts read in one query
/// per 500 cases.
pub async fn export_rows(app: &App, rows: &[ListedCase], today: Date) -> Result<Vec<ExportRow>> {
    let ids: Vec<CaseId> = rows.iter().map(|r| r.case.id).collect();
    let decided = app.db.decided_amounts(&ids).await?;
    Ok(rows
        .iter()
        .map(|r| {
            let mine: Vec<&DecidedAmount> =
                decided.iter().filter(|d| d.case_id == r.case.id).collect();
            export_row(r, &mine, today)
        })
        .collect())
}

fn expected(v: Option<Verdict>, yen: i64) -> Option<i64> {
    matches!(v, Some(Verdict::Payable | Verdict::Pending)).then_some(yen)
}

/// One export row (`decided`: the case's decisions, oldest first).
pub fn export_row(r: &ListedCase, decided: &[&DecidedAmount], today: Date) -> ExportRow {
    let received = day(r.received_on.as_deref());
    let latest = |kind: DecisionKind| {
        decided
            .iter()
            .rev()
            .find(|d| d.kind == kind)
            .map(|d| match d.outcome {
                Outcome::Granted => d.amount_yen,
                Outcome::Denied => 0,
            })
    };
    ExportRow {
        number: r.case.id.get(),
        title: r.case.title.clone(),
        employer: r.organization.clone(),
        insurance_number: r.employment_insurance_number.clone().unwrap_or_default(),
        status: r.case.status.label_ja().to_string(),
        received,
        days_waiting: received.and_then(|d| days_waiting(r.case.status, d, today)),
        processing_deadline: received.and_then(|d| processing_deadline(r.case.status, d)),
        assignee: r.assignee.clone().unwrap_or_default(),
        next_deadline: of_snapshot(&r.snapshot).map(|d| d.date),
        expected_first: expected(r.snapshot.equipment, r.snapshot.equipment_yen),
        expected_goal: expected(r.snapshot.goal, r.snapshot.goal_yen),
        decided_first: latest(DecisionKind::Equipment),
        decided_goal: latest(DecisionKind::Goal),
        decided_on: decided.last().and_then(|d| day(Some(&d.decided_at))),
    }
}

/// The export's file name without extension: 「審査一覧_東京_20261121」, the
/// prefecture of the officer's bureau (全国 for an administrator).
pub fn export_name(user: &User, today: Date) -> String {
    let place = user
        .prefecture
        .and_then(crate::bureaus::fallback_name)
        .map(|n| n.trim_end_matches("労働局").to_string())
        .unwrap_or_else(|| "全国".to_string());
    format!("審査一覧_{place}_{}", today.strftime("%Y%m%d"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn processing_deadlines_count_from_the_day_received() {
        let d = date(2026, 11, 1);
        assert_eq!(
            processing_deadline(Status::PlanSubmitted, d),
            Some(date(2026, 12, 1))
        );
        assert_eq!(
            processing_deadline(Status::EquipmentFiled, d),
            Some(date(2027, 1, 30))
        );
        assert_eq!(processing_deadline(Status::PlanCertified, d), None);
        assert_eq!(
            days_waiting(Status::GoalFiled, d, date(2026, 11, 21)),
            Some(20)
        );
        assert_eq!(days_waiting(Status::Closed, d, date(2026, 11, 21)), None);
        for p in PROCESSING_PERIODS {
            assert!(WAITING.contains(&p.status) && p.days > 0);
            assert_eq!(p.grade, "interpretation");
        }
    }

    #[test]
    fn views_never_list_drafts_and_withdrawn_only_on_their_own() {
        for v in View::ALL {
            assert!(!v.statuses().contains(&Status::Draft));
            assert_eq!(
                v.statuses().contains(&Status::Withdrawn),
                v == View::Withdrawn
            );
            assert_eq!(View::parse(v.key()), Some(v));
        }
        assert_eq!(View::Waiting.statuses(), WAITING);
    }
}
