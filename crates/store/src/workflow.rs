//! The life of a case as an explicit state machine.
//!
//! ```text
//! draft → plan_submitted → plan_certified → evaluation → equipment_filed → equipment_granted
//!            ↓ ↓                                              ↓                  ↓
//!  plan_returned plan_rejected                        equipment_denied      goal_tracking → goal_filed → goal_granted | goal_denied → closed
//! ```
//! `plan_returned` goes back to `plan_submitted` when corrected; `withdraw`
//! leaves any open state up to the first decision ([`WITHDRAWABLE`]): once
//! the bureau has granted or denied a subsidy, the decided application cannot
//! be withdrawn. Each action names its allowed roles; the server adds the
//! engine's preconditions (e.g. no filing before evaluation period 1 ends).
//!
//! From 令和7年度 there is no plan ([`Procedure::NoPlan`]): a draft goes
//! straight to `evaluation` once the measures are done and evaluation period 1
//! is set (draft → evaluation → equipment_filed → …); the plan's steps are
//! not offered, and [`allowed`] refuses them.

use crate::Role;
use serde::Serialize;

macro_rules! statuses {
    ($($v:ident = $s:literal, $ja:literal;)*) => {
        /// Where a case stands.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Status { $($v,)* }

        impl Status {
            pub const ALL: &'static [Status] = &[$(Status::$v,)*];
            pub fn as_str(self) -> &'static str { match self { $(Status::$v => $s,)* } }
            pub fn label_ja(self) -> &'static str { match self { $(Status::$v => $ja,)* } }
            pub fn parse(s: &str) -> Option<Status> { match s { $($s => Some(Status::$v),)* _ => None } }
        }
    };
}

statuses! {
    Draft = "draft", "作成中";
    PlanSubmitted = "plan_submitted", "計画提出済み";
    PlanReturned = "plan_returned", "計画差戻し";
    PlanRejected = "plan_rejected", "計画不認定";
    PlanCertified = "plan_certified", "計画認定";
    Evaluation = "evaluation", "評価期間中";
    EquipmentFiled = "equipment_filed", "機器等導入助成 申請済み";
    EquipmentGranted = "equipment_granted", "機器等導入助成 支給決定";
    EquipmentDenied = "equipment_denied", "機器等導入助成 不支給";
    GoalTracking = "goal_tracking", "目標達成に向けた取組中";
    GoalFiled = "goal_filed", "目標達成助成 申請済み";
    GoalGranted = "goal_granted", "目標達成助成 支給決定";
    GoalDenied = "goal_denied", "目標達成助成 不支給";
    Closed = "closed", "完了";
    Withdrawn = "withdrawn", "取下げ";
}

impl Status {
    /// Whether the case is still open (can be withdrawn).
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            Status::PlanRejected
                | Status::EquipmentDenied
                | Status::GoalGranted
                | Status::GoalDenied
                | Status::Closed
                | Status::Withdrawn
        )
    }

    /// Whether the plan (employer attributes, target workers) may still be edited.
    pub fn plan_editable(self) -> bool {
        matches!(self, Status::Draft | Status::PlanReturned)
    }

    /// Whether records (telework, roster, expenses, dates) may still be edited.
    pub fn records_editable(self) -> bool {
        self.is_open()
            && !matches!(
                self,
                Status::PlanSubmitted | Status::EquipmentFiled | Status::GoalFiled
            )
    }
}

/// Which procedure a case follows: with a certified plan (令和3〜6年度) or
/// without (令和7年度 on). It follows from the case's regime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    Plan,
    NoPlan,
}

impl Status {
    /// The label for a case following `procedure`: from 令和7年度 the first
    /// subsidy is 制度導入助成.
    pub fn label_for(self, procedure: Procedure) -> String {
        match procedure {
            Procedure::Plan => self.label_ja().to_string(),
            Procedure::NoPlan => self.label_ja().replace("機器等導入助成", "制度導入助成"),
        }
    }
}

/// What can be done to a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    SubmitPlan,
    ReturnPlan,
    RejectPlan,
    CertifyPlan,
    StartEvaluation,
    FileEquipment,
    GrantEquipment,
    DenyEquipment,
    StartGoalTracking,
    FileGoal,
    GrantGoal,
    DenyGoal,
    Close,
    Withdraw,
}

impl Action {
    /// What the action does, in the words of a page (plan regimes; from
    /// 令和7年度 the first subsidy is 制度導入助成, see [`Action::label_for`]).
    pub fn label_ja(self) -> &'static str {
        match self {
            Action::SubmitPlan => "計画の提出",
            Action::ReturnPlan => "計画の差戻し",
            Action::RejectPlan => "計画の不認定",
            Action::CertifyPlan => "計画の認定",
            Action::StartEvaluation => "評価期間の開始",
            Action::FileEquipment => "機器等導入助成の支給申請",
            Action::GrantEquipment => "機器等導入助成の支給決定",
            Action::DenyEquipment => "機器等導入助成の不支給決定",
            Action::StartGoalTracking => "目標達成に向けた取組の開始",
            Action::FileGoal => "目標達成助成の支給申請",
            Action::GrantGoal => "目標達成助成の支給決定",
            Action::DenyGoal => "目標達成助成の不支給決定",
            Action::Close => "完了",
            Action::Withdraw => "申請の取下げ",
        }
    }

    /// [`Action::label_ja`] for a case following `procedure`.
    pub fn label_for(self, procedure: Procedure) -> String {
        match procedure {
            Procedure::Plan => self.label_ja().to_string(),
            Procedure::NoPlan => self.label_ja().replace("機器等導入助成", "制度導入助成"),
        }
    }
}

/// One edge of the state machine.
pub struct Transition {
    pub action: Action,
    pub name: &'static str,
    pub from: &'static [Status],
    pub to: Status,
    pub roles: &'static [Role],
}

use Role::{Admin, Agent, Employer, Officer};
use Status::*;

const APPLICANT: &[Role] = &[Employer, Agent];
const BUREAU: &[Role] = &[Officer];
/// The states an application may be withdrawn from: open, and before any
/// decision on a subsidy. From `equipment_granted` on (goal tracking, the
/// goal filing) the first subsidy is decided, and a decided application is
/// never withdrawn; denied, closed and withdrawn cases are no longer open.
pub const WITHDRAWABLE: &[Status] = &[
    Draft,
    PlanSubmitted,
    PlanReturned,
    PlanCertified,
    Evaluation,
    EquipmentFiled,
];

impl Status {
    /// Whether a subsidy of the case has been decided (granted or denied):
    /// the open and final states after the bureau's first decision. (A
    /// closed case may or may not have one: its decisions tell.)
    pub fn decided(self) -> bool {
        matches!(
            self,
            EquipmentGranted
                | EquipmentDenied
                | GoalTracking
                | GoalFiled
                | GoalGranted
                | GoalDenied
        )
    }
}

/// Every transition.
pub const TRANSITIONS: &[Transition] = &[
    Transition {
        action: Action::SubmitPlan,
        name: "submit_plan",
        from: &[Draft, PlanReturned],
        to: PlanSubmitted,
        roles: APPLICANT,
    },
    Transition {
        action: Action::ReturnPlan,
        name: "return_plan",
        from: &[PlanSubmitted],
        to: PlanReturned,
        roles: BUREAU,
    },
    Transition {
        action: Action::RejectPlan,
        name: "reject_plan",
        from: &[PlanSubmitted],
        to: PlanRejected,
        roles: BUREAU,
    },
    Transition {
        action: Action::CertifyPlan,
        name: "certify_plan",
        from: &[PlanSubmitted],
        to: PlanCertified,
        roles: BUREAU,
    },
    Transition {
        action: Action::StartEvaluation,
        name: "start_evaluation",
        // From a certified plan, or (no-plan procedure) straight from the draft.
        from: &[PlanCertified, Draft],
        to: Evaluation,
        roles: APPLICANT,
    },
    Transition {
        action: Action::FileEquipment,
        name: "file_equipment",
        from: &[Evaluation],
        to: EquipmentFiled,
        roles: APPLICANT,
    },
    Transition {
        action: Action::GrantEquipment,
        name: "grant_equipment",
        from: &[EquipmentFiled],
        to: EquipmentGranted,
        roles: BUREAU,
    },
    Transition {
        action: Action::DenyEquipment,
        name: "deny_equipment",
        from: &[EquipmentFiled],
        to: EquipmentDenied,
        roles: BUREAU,
    },
    Transition {
        action: Action::StartGoalTracking,
        name: "start_goal_tracking",
        from: &[EquipmentGranted],
        to: GoalTracking,
        roles: &[Employer, Agent, Officer],
    },
    Transition {
        action: Action::FileGoal,
        name: "file_goal",
        from: &[GoalTracking],
        to: GoalFiled,
        roles: APPLICANT,
    },
    Transition {
        action: Action::GrantGoal,
        name: "grant_goal",
        from: &[GoalFiled],
        to: GoalGranted,
        roles: BUREAU,
    },
    Transition {
        action: Action::DenyGoal,
        name: "deny_goal",
        from: &[GoalFiled],
        to: GoalDenied,
        roles: BUREAU,
    },
    Transition {
        action: Action::Close,
        name: "close",
        from: &[PlanRejected, EquipmentDenied, GoalGranted, GoalDenied],
        to: Closed,
        roles: &[Officer, Admin],
    },
    Transition {
        action: Action::Withdraw,
        name: "withdraw",
        from: WITHDRAWABLE,
        to: Withdrawn,
        roles: APPLICANT,
    },
];

/// The transition named `name` (as in the URL), if any.
pub fn by_name(name: &str) -> Option<&'static Transition> {
    TRANSITIONS.iter().find(|t| t.name == name)
}

/// Whether `t` may leave `status` in a case following `procedure` (roles aside).
pub fn allowed(t: &Transition, status: Status, procedure: Procedure) -> bool {
    let plan_step = matches!(
        t.action,
        Action::SubmitPlan | Action::ReturnPlan | Action::RejectPlan | Action::CertifyPlan
    );
    t.from.contains(&status)
        && match procedure {
            Procedure::Plan => !(t.action == Action::StartEvaluation && status == Draft),
            Procedure::NoPlan => !plan_step,
        }
}

/// The actions `role` may take on a case in `status` following `procedure`.
pub fn available(status: Status, role: Role, procedure: Procedure) -> Vec<&'static str> {
    TRANSITIONS
        .iter()
        .filter(|t| allowed(t, status, procedure) && t.roles.contains(&role))
        .map(|t| t.name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_but_the_first_is_reachable_and_closed_states_have_no_exit_but_close() {
        for s in Status::ALL {
            if *s != Draft {
                assert!(TRANSITIONS.iter().any(|t| t.to == *s), "{s:?} unreachable");
            }
        }
        for t in TRANSITIONS {
            assert!(
                !t.from.contains(&Closed) && !t.from.contains(&Withdrawn),
                "{}",
                t.name
            );
        }
        use Procedure::Plan;
        assert_eq!(
            available(Draft, Employer, Plan),
            ["submit_plan", "withdraw"]
        );
        assert_eq!(
            available(PlanSubmitted, Officer, Plan),
            ["return_plan", "reject_plan", "certify_plan"]
        );
        assert!(available(PlanSubmitted, Employer, Plan).contains(&"withdraw"));
        assert!(available(Closed, Employer, Plan).is_empty());
        assert_eq!(
            available(PlanCertified, Agent, Plan),
            ["start_evaluation", "withdraw"]
        );
    }

    #[test]
    fn withdrawal_only_before_a_decision() {
        use Procedure::{NoPlan, Plan};
        let withdraw = by_name("withdraw").unwrap();
        for s in Status::ALL {
            for p in [Plan, NoPlan] {
                let may = allowed(withdraw, *s, p);
                // Never after a decision, never from a closed or withdrawn case.
                if s.decided() || !s.is_open() {
                    assert!(!may, "{s:?} ({p:?}) may be withdrawn");
                }
            }
        }
        // Every state before a decision may still be withdrawn by the applicant.
        for s in [
            Draft,
            PlanSubmitted,
            PlanReturned,
            PlanCertified,
            Evaluation,
            EquipmentFiled,
        ] {
            assert!(allowed(withdraw, s, Procedure::Plan), "{s:?}");
            assert!(available(s, Employer, Procedure::Plan).contains(&"withdraw"));
            assert!(available(s, Agent, Procedure::Plan).contains(&"withdraw"));
            assert!(!available(s, Officer, Procedure::Plan).contains(&"withdraw"));
        }
        for s in [EquipmentGranted, GoalTracking, GoalFiled] {
            assert!(s.is_open(), "{s:?} is still open");
            assert!(
                !available(s, Employer, Procedure::Plan).contains(&"withdraw"),
                "{s:?}"
            );
            assert!(!available(s, Agent, NoPlan).contains(&"withdraw"), "{s:?}");
        }
        assert_eq!(
            available(EquipmentGranted, Employer, Plan),
            ["start_goal_tracking"]
        );
        assert_eq!(available(GoalTracking, Agent, NoPlan), ["file_goal"]);
        assert!(available(GoalFiled, Employer, Plan).is_empty());
        // The decided states are exactly those after a grant or a denial.
        let decided: Vec<Status> = Status::ALL
            .iter()
            .copied()
            .filter(|s| s.decided())
            .collect();
        assert_eq!(
            decided,
            [
                EquipmentGranted,
                EquipmentDenied,
                GoalTracking,
                GoalFiled,
                GoalGranted,
                GoalDenied
            ]
        );
    }

    #[test]
    fn the_no_plan_procedure_skips_the_plan() {
        use Procedure::NoPlan;
        assert_eq!(
            available(Draft, Employer, NoPlan),
            ["start_evaluation", "withdraw"]
        );
        let submit = by_name("submit_plan").unwrap();
        assert!(!allowed(submit, Draft, NoPlan));
        assert!(!allowed(
            by_name("certify_plan").unwrap(),
            PlanSubmitted,
            NoPlan
        ));
        assert_eq!(
            available(EquipmentFiled, Officer, NoPlan),
            ["grant_equipment", "deny_equipment"]
        );
        assert_eq!(EquipmentFiled.label_for(NoPlan), "制度導入助成 申請済み");
        assert_eq!(
            EquipmentFiled.label_for(Procedure::Plan),
            "機器等導入助成 申請済み"
        );
    }
}
