//! Regimes: the dated parameters of the course, kept as graded data.
//!
//! `data/regimes.toml` is compiled into the binary (`include_str!`). Every
//! value in it carries a [`Grade`] and a source; `[course]` holds the course's
//! own definitions and each `[regime.ID]` one fiscal year, which `inherits`
//! another and states only what changed. [`load_regimes`] resolves the
//! inheritance, types every value ([`Params`]) and checks the result; an
//! overlay file in the same shape corrects values without a new release
//! ([`RegimeSet::with_overlay`]).
//!
//! Invariants of a loaded [`RegimeSet`]: ids are unique; within each
//! [`RegimeKind`], no two regimes cover the same date; every value has a grade
//! and a source; every eligible expense category has exactly one cap; a plan
//! regime has its rates and caps ([`Design::Plan`]), a no-plan regime its fixed
//! amounts and measures ([`Design::NoPlan`]).

use crate::civil::parse_iso_date;
use crate::model::{ExpenseCategory, Industry, LeaveReason, MeasureKind, Place, Yen};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

fn ser_arc_str<S: serde::Serializer>(s: &Arc<str>, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s)
}

/// The regime data file, as shipped.
pub const REGIMES_TOML: &str = include_str!("../data/regimes.toml");

/// How much a value can be trusted (regimes.md, "Grades").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// Stated in a seed document.
    Seed,
    /// A ministry or labour-bureau page, or an official text quoted word for word.
    Official,
    /// A 社労士, trade-press or consultant source; not an authority.
    Secondary,
    /// The product's reading where sources are silent or ambiguous.
    Interpretation,
    /// Nobody here could confirm it; used so that a case can be evaluated at all.
    Unverified,
}

impl Grade {
    /// The snake_case name used in data and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Seed => "seed",
            Grade::Official => "official",
            Grade::Secondary => "secondary",
            Grade::Interpretation => "interpretation",
            Grade::Unverified => "unverified",
        }
    }

    /// Japanese label, for pages and reports.
    pub fn label_ja(self) -> &'static str {
        match self {
            Grade::Seed => "資料に記載",
            Grade::Official => "公式情報",
            Grade::Secondary => "二次情報",
            Grade::Interpretation => "解釈",
            Grade::Unverified => "未確認",
        }
    }

    /// Whether an evaluation that uses a value of this grade must say so
    /// (regimes.md §4: `interpretation` and `unverified`).
    pub fn is_assumption(self) -> bool {
        matches!(self, Grade::Interpretation | Grade::Unverified)
    }
}

/// Whether a regime certifies a plan first (令和3〜6年度) or not (令和7年度 on).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegimeKind {
    /// A certified plan; amounts are a rate of eligible expenses. The regime
    /// applies to plans submitted within its dates.
    Plan,
    /// No plan; fixed amounts. The regime applies to cases whose evaluation
    /// period 1 starts within its dates.
    NoPlan,
}

impl RegimeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RegimeKind::Plan => "plan",
            RegimeKind::NoPlan => "no_plan",
        }
    }
}

/// Declares the parameter ids: one per key of [`Params`], in the order in which
/// assumptions are listed (schedule, employer, telework, expenses, amounts,
/// turnover, procedure).
macro_rules! params {
    ($($variant:ident = $name:literal,)+) => {
        /// A parameter of the rules, by name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ParamId { $($variant,)+ }

        impl ParamId {
            /// Every parameter, in listing order.
            pub const ALL: &'static [ParamId] = &[$(ParamId::$variant,)+];

            /// The key used in the data file and in `assumptions`.
            pub fn name(self) -> &'static str {
                match self { $(ParamId::$variant => $name,)+ }
            }

            /// The parameter with this key.
            pub fn parse(s: &str) -> Option<ParamId> {
                match s { $($name => Some(ParamId::$variant),)+ _ => None }
            }
        }
    };
}

params! {
    MeasuresWindowMonths = "measures_window_months",
    MeasuresWindowStart = "measures_window_start",
    EvaluationWindowMonths = "evaluation_window_months",
    EvaluationPeriodMonths = "evaluation_period_months",
    EquipmentDeadlineMonths = "equipment_deadline_months",
    GoalPeriodOffsetMonths = "goal_period_offset_months",
    GoalPeriodMonths = "goal_period_months",
    GoalDeadlineMonths = "goal_deadline_months",
    TurnoverPeriods = "turnover_periods",
    TurnoverPeriodMonths = "turnover_period_months",
    SmeLimits = "sme_limits",
    TrialEligible = "trial_eligible",
    ExpandingEligible = "expanding_eligible",
    OtherTeleworkSubsidyDisqualifies = "other_telework_subsidy_disqualifies",
    CountedPlaces = "counted_places",
    WeeklyAverageRule = "weekly_average_rule",
    WeeklyAverageMinDaysPerWeek = "weekly_average_min_days_per_week",
    GrowthPercent = "growth_percent",
    IneligibleCategories = "ineligible_categories",
    OtherSubsidyItemIneligible = "other_subsidy_item_ineligible",
    PcRentalLeaseProration = "pc_rental_lease_proration",
    PcRentalLeaseMaxMonths = "pc_rental_lease_max_months",
    PcRentalLeaseCapYen = "pc_rental_lease_cap_yen",
    ExpenseCaps = "expense_caps",
    WebConferenceCapPerWorkerYen = "web_conference_cap_per_worker_yen",
    TravelFor = "travel_for",
    WorkplaceClimateRequired = "workplace_climate_required",
    WorkplaceClimateWindow = "workplace_climate_window",
    MeasuresRequired = "measures_required",
    SubsidyCapYen = "subsidy_cap_yen",
    SubsidyCapPerWorkerYen = "subsidy_cap_per_worker_yen",
    EquipmentRatePercent = "equipment_rate_percent",
    EquipmentAmountYen = "equipment_amount_yen",
    GoalRatePercent = "goal_rate_percent",
    GoalRatePremiumPercent = "goal_rate_premium_percent",
    GoalAmountYen = "goal_amount_yen",
    GoalAmountPremiumYen = "goal_amount_premium_yen",
    CombinedCapYen = "combined_cap_yen",
    PremiumCondition = "premium_condition",
    ProductivityGrowthPercent = "productivity_growth_percent",
    ProductivityGrowthWithFinancialInstitutionPercent = "productivity_growth_with_financial_institution_percent",
    WageIncreasePercent = "wage_increase_percent",
    TurnoverMaxPercent = "turnover_max_percent",
    TurnoverExcludedReasons = "turnover_excluded_reasons",
    DeadlinesMoveToOpenDay = "deadlines_move_to_open_day",
    AppliesBy = "applies_by",
}

/// What part of an evaluation a parameter affects, so that pages and reports
/// can show 「未確認の前提」 next to those figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// Which year's rules apply.
    Regime,
    /// Periods and deadlines.
    Schedule,
    /// Who may apply.
    Employer,
    /// The telework performance tests.
    Telework,
    /// Eligible expenses and their caps.
    Expenses,
    /// Rates, caps and amounts of the subsidies.
    Amounts,
    /// Turnover.
    Turnover,
}

impl ParamId {
    /// A short Japanese name for people (pages, reports).
    pub fn label_ja(self) -> &'static str {
        use ParamId::*;
        match self {
            MeasuresWindowMonths => "取組を行う期間（評価期間の前3か月）",
            MeasuresWindowStart => "取組期間の初日の数え方",
            EvaluationWindowMonths => "評価期間を設定できる期間（認定から6か月）",
            EvaluationPeriodMonths => "評価期間の長さ（3か月）",
            EquipmentDeadlineMonths => "最初の助成の申請期限",
            GoalPeriodOffsetMonths => "目標達成助成の評価期間の始まり（1年後）",
            GoalPeriodMonths => "目標達成助成の評価期間の長さ",
            GoalDeadlineMonths => "目標達成助成の申請期限",
            TurnoverPeriods => "離職率を計算する期間",
            TurnoverPeriodMonths => "離職率の期間の長さ（12か月）",
            SmeLimits => "中小企業の範囲",
            TrialEligible => "試行導入の事業主の扱い",
            ExpandingEligible => "実施拡大事業主の扱い",
            OtherTeleworkSubsidyDisqualifies => "他のテレワーク助成金を受けた事業主の扱い",
            CountedPlaces => "テレワークとして数える場所",
            WeeklyAverageRule => "週平均1回以上の数え方",
            WeeklyAverageMinDaysPerWeek => "週平均の回数",
            GrowthPercent => "実施拡大事業主の増加率",
            IneligibleCategories => "対象外の経費",
            OtherSubsidyItemIneligible => "他の助成金を受けた経費の扱い",
            PcRentalLeaseProration => "PC等のリース料の按分",
            PcRentalLeaseMaxMonths => "PC等のリースの対象月数",
            PcRentalLeaseCapYen => "PC等のリースの上限額",
            ExpenseCaps => "経費の区分ごとの上限額",
            WebConferenceCapPerWorkerYen => "Web会議関係機器の上限額",
            TravelFor => "旅費の対象",
            WorkplaceClimateRequired => "職場風土作りの要否",
            WorkplaceClimateWindow => "職場風土作りを行う期間",
            MeasuresRequired => "必要な取組の種類",
            SubsidyCapYen | SubsidyCapPerWorkerYen => "助成額の上限",
            EquipmentRatePercent => "機器等導入助成の助成率",
            EquipmentAmountYen => "制度導入助成の額",
            GoalRatePercent | GoalRatePremiumPercent => "目標達成助成の助成率",
            GoalAmountYen | GoalAmountPremiumYen => "目標達成助成の額",
            CombinedCapYen => "2つの助成の合計の上限",
            PremiumCondition => "目標達成助成の割増の要件",
            ProductivityGrowthPercent | ProductivityGrowthWithFinancialInstitutionPercent => {
                "生産性要件の伸び率"
            }
            WageIncreasePercent => "賃金要件の引上げ率（5％）",
            TurnoverMaxPercent => "離職率の上限（30％）",
            TurnoverExcludedReasons => "離職率に数えない離職",
            DeadlinesMoveToOpenDay => "期限が閉庁日のときの扱い",
            AppliesBy => "どの年度の制度を当てはめるか",
        }
    }

    /// The part of an evaluation the parameter affects.
    pub fn figure(self) -> Figure {
        use ParamId::*;
        match self {
            AppliesBy => Figure::Regime,
            MeasuresWindowMonths
            | MeasuresWindowStart
            | EvaluationWindowMonths
            | EvaluationPeriodMonths
            | EquipmentDeadlineMonths
            | GoalPeriodOffsetMonths
            | GoalPeriodMonths
            | GoalDeadlineMonths
            | DeadlinesMoveToOpenDay
            | WorkplaceClimateWindow
            | MeasuresRequired
            | WorkplaceClimateRequired => Figure::Schedule,
            SmeLimits | TrialEligible | ExpandingEligible | OtherTeleworkSubsidyDisqualifies => {
                Figure::Employer
            }
            CountedPlaces | WeeklyAverageRule | WeeklyAverageMinDaysPerWeek | GrowthPercent => {
                Figure::Telework
            }
            IneligibleCategories
            | OtherSubsidyItemIneligible
            | PcRentalLeaseProration
            | PcRentalLeaseMaxMonths
            | PcRentalLeaseCapYen
            | ExpenseCaps
            | WebConferenceCapPerWorkerYen
            | TravelFor => Figure::Expenses,
            SubsidyCapYen
            | SubsidyCapPerWorkerYen
            | EquipmentRatePercent
            | EquipmentAmountYen
            | GoalRatePercent
            | GoalRatePremiumPercent
            | GoalAmountYen
            | GoalAmountPremiumYen
            | CombinedCapYen
            | PremiumCondition
            | ProductivityGrowthPercent
            | ProductivityGrowthWithFinancialInstitutionPercent
            | WageIncreasePercent => Figure::Amounts,
            TurnoverPeriods
            | TurnoverPeriodMonths
            | TurnoverMaxPercent
            | TurnoverExcludedReasons => Figure::Turnover,
        }
    }
}

impl fmt::Display for ParamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of parameters (e.g. those one evaluation used). Copy, allocation-free.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParamSet(u64);

impl ParamSet {
    pub fn insert(&mut self, p: ParamId) {
        self.0 |= 1 << p as u32;
    }
    pub fn contains(&self, p: ParamId) -> bool {
        self.0 & (1 << p as u32) != 0
    }
    /// The members, in listing order.
    pub fn iter(&self) -> impl Iterator<Item = ParamId> + '_ {
        ParamId::ALL.iter().copied().filter(|p| self.contains(*p))
    }
}

/// Where a value comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Provenance {
    pub grade: Grade,
    pub source: String,
    /// Why it is an assumption (shown in `assumptions`); set for
    /// `interpretation` and `unverified` values. Shared: evaluations copy it.
    #[serde(serialize_with = "ser_arc_str")]
    pub note: Arc<str>,
    /// Where the value is stated: a regime id, `course`, or `overlay`.
    pub stated_in: String,
}

/// How the telework test's ② averages (週平均).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeeklyAverageBasis {
    /// Per target worker: `days × 7 ≥ n × target_workers × period_days`.
    PerTargetWorker,
    /// For the establishment as a whole: `days × 7 ≥ n × period_days`.
    PerEstablishment,
}

/// Which dates the two turnover periods hang on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnoverPeriods {
    /// 計画時: the 12 months before the plan's submission month.
    PlanSubmission,
    /// The no-plan regimes: the 12 months before evaluation period 1's month.
    EvaluationStart,
}

/// The start of the no-plan measures window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasuresWindowStart {
    /// The same day number N months before S, or that month's last day.
    SameDayOrMonthEnd,
}

/// How a longer rental/lease is reduced to its eligible months.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaseProration {
    /// `floor(amount × min(months, max) ÷ months)`.
    MonthsRatioFloor,
}

/// The window the 職場風土作り dates must lie in (plan regimes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClimateWindow {
    /// From 計画認定日 to the equipment filing day (before filing: the deadline).
    CertificationToFiling,
}

/// What raises the goal subsidy to its premium.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PremiumCondition {
    /// 生産性要件 (令和3・4年度).
    Productivity,
    /// 賃金要件 (令和5年度 on).
    Wage,
    /// No premium.
    None,
}

/// Which date chooses the regime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppliesBy {
    PlanSubmitted,
    EvaluationStart,
}

/// Inclusive SME limits of one industry.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SmeLimit {
    pub capital_max_yen: u64,
    pub employees_max: u64,
}

/// The SME test (中小企業の範囲).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SmeLimits {
    /// `true` when meeting either limit suffices (いずれかを満たす).
    pub either_test_suffices: bool,
    pub retail: SmeLimit,
    pub service: SmeLimit,
    pub wholesale: SmeLimit,
    pub other: SmeLimit,
}

impl SmeLimits {
    /// The limits for `industry`.
    pub fn limit(&self, industry: Industry) -> &SmeLimit {
        match industry {
            Industry::Retail => &self.retail,
            Industry::Service => &self.service,
            Industry::Wholesale => &self.wholesale,
            Industry::Other => &self.other,
        }
    }
}

/// Which measures satisfy the no-plan regimes' "one of" requirement.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MeasuresRequired {
    /// For employers introducing telework (none, trial).
    pub new: Vec<MeasureKind>,
    /// For employers expanding it.
    pub expanding: Vec<MeasureKind>,
}

/// Every value of one regime, typed. Keys are the [`ParamId`] names.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub measures_window_months: Option<u32>,
    pub measures_window_start: Option<MeasuresWindowStart>,
    pub evaluation_window_months: Option<u32>,
    pub evaluation_period_months: u32,
    pub equipment_deadline_months: u32,
    pub goal_period_offset_months: u32,
    pub goal_period_months: u32,
    pub goal_deadline_months: u32,
    pub turnover_periods: TurnoverPeriods,
    pub turnover_period_months: u32,
    pub sme_limits: SmeLimits,
    pub trial_eligible: bool,
    pub expanding_eligible: bool,
    pub other_telework_subsidy_disqualifies: bool,
    pub counted_places: Vec<Place>,
    pub weekly_average_rule: WeeklyAverageBasis,
    pub weekly_average_min_days_per_week: u32,
    /// Growth over the 3 months before, for expanding employers (percent).
    pub growth_percent: Option<u32>,
    pub ineligible_categories: Vec<ExpenseCategory>,
    pub other_subsidy_item_ineligible: bool,
    pub pc_rental_lease_proration: Option<LeaseProration>,
    pub pc_rental_lease_max_months: Option<u32>,
    pub pc_rental_lease_cap_yen: Option<u64>,
    pub expense_caps: BTreeMap<ExpenseCategory, u64>,
    pub web_conference_cap_per_worker_yen: u64,
    pub travel_for: Vec<ExpenseCategory>,
    pub workplace_climate_required: bool,
    pub workplace_climate_window: Option<ClimateWindow>,
    pub measures_required: Option<MeasuresRequired>,
    pub subsidy_cap_yen: Option<u64>,
    pub subsidy_cap_per_worker_yen: Option<u64>,
    pub equipment_rate_percent: Option<u32>,
    pub equipment_amount_yen: Option<u64>,
    pub goal_rate_percent: Option<u32>,
    pub goal_rate_premium_percent: Option<u32>,
    pub goal_amount_yen: Option<u64>,
    pub goal_amount_premium_yen: Option<u64>,
    pub combined_cap_yen: u64,
    pub premium_condition: PremiumCondition,
    pub productivity_growth_percent: u32,
    pub productivity_growth_with_financial_institution_percent: u32,
    pub wage_increase_percent: u32,
    pub turnover_max_percent: u32,
    pub turnover_excluded_reasons: Vec<LeaveReason>,
    pub deadlines_move_to_open_day: bool,
    pub applies_by: AppliesBy,
}

impl Params {
    /// Whether a day at `place` counts as telework.
    pub fn counts(&self, place: Place) -> bool {
        self.counted_places.contains(&place)
    }
}

/// How one expense category is capped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CategoryRule {
    /// Never eligible (cap 0).
    Ineligible,
    /// A fixed cap per employer.
    Cap(u64),
    /// A cap per target worker.
    PerTargetWorker(u64),
}

impl CategoryRule {
    /// The cap for a plan with `target_workers` target workers (0 when ineligible).
    pub fn cap(self, target_workers: u64) -> Yen {
        match self {
            CategoryRule::Ineligible => Yen(0),
            CategoryRule::Cap(c) => Yen(c),
            CategoryRule::PerTargetWorker(per) => Yen(per.saturating_mul(target_workers)),
        }
    }

    pub fn eligible(self) -> bool {
        self != CategoryRule::Ineligible
    }
}

/// The parameters of a plan regime, known to be present.
#[derive(Clone, Copy, Debug)]
pub struct PlanDesign {
    pub evaluation_window_months: u32,
    pub subsidy_cap_yen: u64,
    pub subsidy_cap_per_worker_yen: u64,
    pub equipment_rate_percent: u32,
    pub goal_rate_percent: u32,
    pub goal_rate_premium_percent: u32,
    /// `Some` when 職場風土作り is required.
    pub climate_window: Option<ClimateWindow>,
}

/// The parameters of a no-plan regime, known to be present.
#[derive(Clone, Debug)]
pub struct NoPlanDesign {
    pub measures_window_months: u32,
    pub measures_window_start: MeasuresWindowStart,
    pub measures_required: MeasuresRequired,
    pub equipment_amount_yen: u64,
    pub goal_amount_yen: u64,
    pub goal_amount_premium_yen: u64,
}

/// The shape of a regime's rules.
#[derive(Clone, Debug)]
pub enum Design {
    Plan(PlanDesign),
    NoPlan(NoPlanDesign),
}

/// One regime: every parameter of the rules for the cases in its dates.
#[derive(Clone, Debug)]
pub struct Regime {
    /// Short id, e.g. `R4`.
    pub id: String,
    /// Japanese name, e.g. `令和4年度`.
    pub name: String,
    pub kind: RegimeKind,
    /// First date covered (plan submission, or evaluation period 1's start).
    pub applies_from: Date,
    /// Last date covered.
    pub applies_to: Date,
    pub source: String,
    pub params: Params,
    pub design: Design,
    /// Category caps, indexed by `ExpenseCategory as usize`.
    categories: Vec<CategoryRule>,
    /// Provenance of every value, indexed by `ParamId as usize`.
    provenance: Vec<Provenance>,
    /// The resolved values as data (for reforms).
    values: toml::Table,
    /// The course's budget in the regime's fiscal year, when known.
    pub budget: Option<Budget>,
}

/// A fiscal year's budget for the course (当初予算).
#[derive(Clone, Debug)]
pub struct Budget {
    pub yen: u64,
    pub provenance: Provenance,
}

impl Regime {
    /// The cap rule of `category`.
    pub fn category(&self, category: ExpenseCategory) -> CategoryRule {
        self.categories[category as usize]
    }

    /// Where the value of `p` comes from.
    pub fn provenance(&self, p: ParamId) -> &Provenance {
        &self.provenance[p as usize]
    }

    /// The plan design, for plan regimes.
    pub fn plan(&self) -> Option<&PlanDesign> {
        match &self.design {
            Design::Plan(p) => Some(p),
            Design::NoPlan(_) => None,
        }
    }

    /// The no-plan design, for no-plan regimes.
    pub fn no_plan(&self) -> Option<&NoPlanDesign> {
        match &self.design {
            Design::NoPlan(p) => Some(p),
            Design::Plan(_) => None,
        }
    }

    /// Whether the regime states a value for `p` that its rules use (a plan
    /// regime's rates mean nothing to a no-plan regime, and the other way round).
    pub fn uses(&self, p: ParamId) -> bool {
        use ParamId::*;
        let plan_only = matches!(
            p,
            EvaluationWindowMonths
                | SubsidyCapYen
                | SubsidyCapPerWorkerYen
                | EquipmentRatePercent
                | GoalRatePercent
                | GoalRatePremiumPercent
                | CombinedCapYen
                | WorkplaceClimateWindow
        );
        let no_plan_only = matches!(
            p,
            MeasuresWindowMonths
                | MeasuresWindowStart
                | MeasuresRequired
                | EquipmentAmountYen
                | GoalAmountYen
                | GoalAmountPremiumYen
        );
        !self.provenance(p).stated_in.is_empty()
            && match self.kind {
                RegimeKind::Plan => !no_plan_only,
                RegimeKind::NoPlan => !plan_only,
            }
    }

    fn count_graded(&self, grade: Grade) -> usize {
        ParamId::ALL
            .iter()
            .filter(|p| self.uses(**p) && self.provenance(**p).grade == grade)
            .count()
    }

    /// How many of the values its rules use are `unverified`.
    pub fn unverified_count(&self) -> usize {
        self.count_graded(Grade::Unverified)
    }

    /// How many of the values its rules use are `interpretation`.
    pub fn interpretation_count(&self) -> usize {
        self.count_graded(Grade::Interpretation)
    }

    /// Whether `d` lies in the regime's dates.
    pub fn covers(&self, d: Date) -> bool {
        self.applies_from <= d && d <= self.applies_to
    }

    /// What its dates mean, in Japanese: `計画提出日 2022-04-01〜2023-03-31`.
    pub fn coverage_ja(&self) -> String {
        let what = match self.kind {
            RegimeKind::Plan => "計画提出日",
            RegimeKind::NoPlan => "評価期間の初日",
        };
        format!("{what} {}〜{}", self.applies_from, self.applies_to)
    }
}

// ---------------------------------------------------------------------------
// Loading.

/// A loaded, checked set of regimes, oldest first, with the overlay (if any)
/// that corrected the shipped data.
#[derive(Clone, Debug)]
pub struct RegimeSet {
    regimes: Vec<Regime>,
    overlay: Option<Overlay>,
}

/// An overlay file applied to the shipped data.
#[derive(Clone, Debug)]
pub struct Overlay {
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// The parameters it changed, as `R6.goal_rate_percent` (or `course.…`).
    pub changed: Vec<String>,
}

impl RegimeSet {
    /// The shipped data.
    pub fn builtin() -> RegimeSet {
        // The shipped file is checked by the test `shipped_regimes_load`; a
        // failure here is a build defect, not bad input.
        let table: toml::Table = toml::from_str(REGIMES_TOML).expect("data/regimes.toml is TOML");
        RegimeSet {
            regimes: load_table(&table).expect("data/regimes.toml is valid"),
            overlay: None,
        }
    }

    /// The shipped data corrected by `overlay` (TOML in the shape of
    /// `data/regimes.toml`), merged key by key and checked the same way. A value
    /// the overlay sets must come with its `grade` and `source`.
    pub fn with_overlay(overlay: &str) -> Result<RegimeSet, String> {
        let patch: toml::Table = toml::from_str(overlay).map_err(|e| format!("TOML: {e}"))?;
        let mut changed = Vec::new();
        check_overlay(&patch, &mut changed)?;
        let mut table: toml::Table = toml::from_str(REGIMES_TOML).map_err(|e| e.to_string())?;
        merge(&mut table, &patch);
        let regimes = load_table(&table)?;
        Ok(RegimeSet {
            regimes,
            overlay: Some(Overlay {
                sha256: sha256_hex(overlay.as_bytes()),
                changed,
            }),
        })
    }

    /// Every regime, oldest first.
    pub fn all(&self) -> &[Regime] {
        &self.regimes
    }

    /// The overlay in force, if any.
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    /// The regime with this id.
    pub fn by_id(&self, id: &str) -> Option<&Regime> {
        self.regimes.iter().find(|r| r.id == id)
    }

    /// The plan regime covering plans submitted on `submitted_on`.
    pub fn for_submission(&self, submitted_on: Date) -> Option<&Regime> {
        self.regimes
            .iter()
            .find(|r| r.kind == RegimeKind::Plan && r.covers(submitted_on))
    }

    /// The no-plan regime covering cases whose evaluation period 1 starts on `start`.
    pub fn for_evaluation_start(&self, start: Date) -> Option<&Regime> {
        self.regimes
            .iter()
            .find(|r| r.kind == RegimeKind::NoPlan && r.covers(start))
    }

    /// The first day from which no plan regime applies any more (`None` when
    /// the newest regime still certifies plans).
    pub fn plans_end(&self) -> Option<Date> {
        let last_plan = self
            .regimes
            .iter()
            .filter(|r| r.kind == RegimeKind::Plan)
            .map(|r| r.applies_to)
            .max()?;
        self.regimes
            .iter()
            .any(|r| r.kind == RegimeKind::NoPlan && r.applies_from > last_plan)
            .then(|| crate::civil::next_day(last_plan))
    }

    /// The regime for a case that starts on `day` with no other dates: the plan
    /// regime covering it, else the no-plan regime covering it (for the
    /// diagnosis: "the rules in force on this day").
    pub fn in_force_on(&self, day: Date) -> Option<&Regime> {
        self.for_submission(day)
            .or_else(|| self.for_evaluation_start(day))
    }

    /// `R3a（計画提出日 2021-04-01〜2021-12-20）, …`, for messages.
    pub fn coverage_summary(&self) -> String {
        self.regimes
            .iter()
            .map(|r| format!("{}（{}）", r.id, r.coverage_ja()))
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// Parses and checks a whole regimes file (the shipped shape).
pub fn load_regimes(text: &str) -> Result<Vec<Regime>, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    load_table(&table)
}

fn load_table(file: &toml::Table) -> Result<Vec<Regime>, String> {
    for key in file.keys() {
        if !["course", "regime", "budget"].contains(&key.as_str()) {
            return Err(format!(
                "unknown top-level key {key:?} (expected course, regime, budget)"
            ));
        }
    }
    let course = table_at(file, "course")?;
    let budget_table = table_at(file, "budget")?;
    let regimes_table = table_at(file, "regime")?;
    // Course values: stated once, for every regime.
    let mut course_values = BTreeMap::new();
    for (name, v) in &course {
        let param = ParamId::parse(name)
            .ok_or_else(|| format!("course.{name}: unknown parameter (misspelt?)"))?;
        course_values.insert(param, graded(&format!("course.{name}"), v, "course")?);
    }
    let mut out = Vec::new();
    for id in regimes_table.keys() {
        let mut chain = Vec::new();
        let values = resolve(&regimes_table, id, &course_values, &mut chain)?;
        out.push(build(&regimes_table, id, values)?);
    }
    out.sort_by_key(|r| (r.applies_from, r.kind.as_str()));
    for kind in [RegimeKind::Plan, RegimeKind::NoPlan] {
        let same: Vec<&Regime> = out.iter().filter(|r| r.kind == kind).collect();
        for pair in same.windows(2) {
            if pair[1].applies_from <= pair[0].applies_to {
                return Err(format!(
                    "regimes {} and {} overlap ({} and {})",
                    pair[0].id,
                    pair[1].id,
                    pair[0].coverage_ja(),
                    pair[1].coverage_ja()
                ));
            }
        }
    }
    for (id, v) in &budget_table {
        let g = graded(&format!("budget.{id}"), v, id)?;
        let yen = g
            .value
            .as_integer()
            .filter(|y| (0..=crate::parse::MAX_YEN as i64).contains(y))
            .ok_or_else(|| format!("budget.{id}: expected a whole number of yen"))?;
        let r = out
            .iter_mut()
            .find(|r| &r.id == id)
            .ok_or_else(|| format!("budget.{id}: no regime {id}"))?;
        r.budget = Some(Budget {
            yen: yen as u64,
            provenance: g.provenance,
        });
    }
    Ok(out)
}

/// A value with its provenance, before typing.
#[derive(Clone, Debug)]
struct GradedValue {
    value: toml::Value,
    provenance: Provenance,
}

/// Reads `{ value, grade, source [, note] }`.
fn graded(path: &str, v: &toml::Value, stated_in: &str) -> Result<GradedValue, String> {
    let t = v
        .as_table()
        .ok_or_else(|| format!("{path}: expected {{ value, grade, source }}"))?;
    for k in t.keys() {
        if !["value", "grade", "source", "note"].contains(&k.as_str()) {
            return Err(format!(
                "{path}.{k}: unknown key (expected value, grade, source, note)"
            ));
        }
    }
    let value = t
        .get("value")
        .cloned()
        .ok_or_else(|| format!("{path}: no value"))?;
    let grade: Grade = t
        .get("grade")
        .cloned()
        .ok_or_else(|| {
            format!("{path}: no grade (seed, official, secondary, interpretation, unverified)")
        })?
        .try_into()
        .map_err(|_| {
            format!(
                "{path}.grade: expected seed, official, secondary, interpretation or unverified"
            )
        })?;
    let source = t
        .get("source")
        .and_then(|s| s.as_str())
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| format!("{path}: no source (where does the value come from?)"))?
        .to_string();
    let note: Arc<str> = match t.get("note") {
        None => Arc::from(""),
        Some(toml::Value::String(s)) => Arc::from(s.as_str()),
        Some(_) => return Err(format!("{path}.note: expected a string")),
    };
    Ok(GradedValue {
        value,
        provenance: Provenance {
            grade,
            source,
            note,
            stated_in: stated_in.to_string(),
        },
    })
}

fn table_at(t: &toml::Table, key: &str) -> Result<toml::Table, String> {
    match t.get(key) {
        None => Ok(toml::Table::new()),
        Some(toml::Value::Table(t)) => Ok(t.clone()),
        Some(_) => Err(format!("{key}: expected a table")),
    }
}

/// The values of regime `id`: course values, then the inherited regime's, then
/// its own. A `seed` value reached through inheritance becomes an
/// interpretation ("carried over from R4").
fn resolve(
    regimes: &toml::Table,
    id: &str,
    course: &BTreeMap<ParamId, GradedValue>,
    chain: &mut Vec<String>,
) -> Result<BTreeMap<ParamId, GradedValue>, String> {
    if chain.iter().any(|c| c == id) {
        return Err(format!(
            "regime {id}: inheritance goes round in a circle ({} → {id})",
            chain.join(" → ")
        ));
    }
    chain.push(id.to_string());
    let r = regimes
        .get(id)
        .and_then(|v| v.as_table())
        .ok_or_else(|| format!("regime {id}: no such regime"))?;
    let mut values = match r.get("inherits") {
        None => course.clone(),
        Some(toml::Value::String(parent)) => {
            let mut inherited = resolve(regimes, parent, course, chain)?;
            for v in inherited.values_mut() {
                let p = &mut v.provenance;
                if p.grade == Grade::Seed && p.stated_in != "course" {
                    p.grade = Grade::Interpretation;
                    p.note = Arc::from(format!("carried over from {}", p.stated_in));
                }
            }
            inherited
        }
        Some(_) => return Err(format!("regime.{id}.inherits: expected a regime id")),
    };
    if let Some(own) = r.get("values") {
        let own = own
            .as_table()
            .ok_or_else(|| format!("regime.{id}.values: expected a table"))?;
        for (name, v) in own {
            let param = ParamId::parse(name).ok_or_else(|| {
                format!("regime.{id}.values.{name}: unknown parameter (misspelt?)")
            })?;
            values.insert(param, graded(&format!("regime.{id}.values.{name}"), v, id)?);
        }
    }
    chain.pop();
    Ok(values)
}

/// Types and checks one regime.
fn build(
    regimes: &toml::Table,
    id: &str,
    values: BTreeMap<ParamId, GradedValue>,
) -> Result<Regime, String> {
    let r = regimes
        .get(id)
        .and_then(|v| v.as_table())
        .ok_or_else(|| format!("regime {id}: not a table"))?;
    for k in r.keys() {
        if ![
            "name",
            "kind",
            "inherits",
            "applies_from",
            "applies_to",
            "source",
            "values",
        ]
        .contains(&k.as_str())
        {
            return Err(format!(
                "regime.{id}.{k}: unknown key (expected name, kind, inherits, applies_from, applies_to, source, values)"
            ));
        }
    }
    let text = |k: &str| -> Result<String, String> {
        r.get(k)
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .ok_or_else(|| format!("regime.{id}.{k}: expected a string"))
    };
    let date = |k: &str| -> Result<Date, String> {
        let s = text(k)?;
        parse_iso_date(&s).map_err(|_| format!("regime.{id}.{k}: {s:?} is not a YYYY-MM-DD date"))
    };
    let kind: RegimeKind = toml::Value::String(text("kind")?)
        .try_into()
        .map_err(|_| format!("regime.{id}.kind: expected plan or no_plan"))?;
    let applies_from = date("applies_from")?;
    let applies_to = date("applies_to")?;
    if applies_to < applies_from {
        return Err(format!("regime {id}: applies_to is before applies_from"));
    }
    let mut table = toml::Table::new();
    let mut provenance = Vec::with_capacity(ParamId::ALL.len());
    for &p in ParamId::ALL {
        match values.get(&p) {
            Some(v) => {
                table.insert(p.name().to_string(), v.value.clone());
                let mut prov = v.provenance.clone();
                if prov.grade.is_assumption() && prov.note.is_empty() {
                    prov.note = Arc::from(format!("{id} value {}", p.name()));
                }
                provenance.push(prov);
            }
            None => provenance.push(Provenance {
                grade: Grade::Seed,
                source: String::new(),
                note: Arc::from(""),
                stated_in: String::new(),
            }),
        }
    }
    let params = typed(id, &table)?;
    finish(
        id.to_string(),
        text("name")?,
        kind,
        applies_from,
        applies_to,
        text("source")?,
        params,
        provenance,
        table,
    )
}

fn typed(id: &str, table: &toml::Table) -> Result<Params, String> {
    toml::Value::Table(table.clone())
        .try_into()
        .map_err(|e: toml::de::Error| format!("regime {id}: {}", e.message()))
}

/// Checks a typed regime and derives its design and category rules.
#[allow(clippy::too_many_arguments)]
fn finish(
    id: String,
    name: String,
    kind: RegimeKind,
    applies_from: Date,
    applies_to: Date,
    source: String,
    params: Params,
    provenance: Vec<Provenance>,
    values: toml::Table,
) -> Result<Regime, String> {
    let p = &params;
    let need = |v: Option<u64>, what: ParamId| -> Result<u64, String> {
        v.ok_or_else(|| format!("regime {id} ({}) needs {what}", kind.as_str()))
    };
    let months = [
        p.evaluation_period_months,
        p.equipment_deadline_months,
        p.goal_period_offset_months,
        p.goal_period_months,
        p.goal_deadline_months,
        p.turnover_period_months,
    ];
    let optional_months = [
        p.evaluation_window_months,
        p.measures_window_months,
        p.pc_rental_lease_max_months,
    ];
    if months
        .iter()
        .chain(optional_months.iter().flatten())
        .any(|&m| m == 0 || m > 60)
    {
        return Err(format!("regime {id}: period lengths must be 1..=60 months"));
    }
    let rates = [
        p.equipment_rate_percent,
        p.goal_rate_percent,
        p.goal_rate_premium_percent,
        Some(p.turnover_max_percent),
    ];
    if rates.iter().flatten().any(|&x| x > 100) {
        return Err(format!("regime {id}: rates are percentages from 0 to 100"));
    }
    let growths = [
        p.growth_percent,
        Some(p.productivity_growth_percent),
        Some(p.productivity_growth_with_financial_institution_percent),
        Some(p.wage_increase_percent),
    ];
    if growths.iter().flatten().any(|&g| g > 1000) {
        return Err(format!(
            "regime {id}: growth percentages must be at most 1000"
        ));
    }
    let max_yen = crate::parse::MAX_YEN;
    let amounts = [
        p.subsidy_cap_yen,
        p.subsidy_cap_per_worker_yen,
        p.equipment_amount_yen,
        p.goal_amount_yen,
        p.goal_amount_premium_yen,
        p.pc_rental_lease_cap_yen,
        Some(p.combined_cap_yen),
        Some(p.web_conference_cap_per_worker_yen),
    ];
    if amounts
        .iter()
        .flatten()
        .chain(p.expense_caps.values())
        .any(|&y| y > max_yen)
    {
        return Err(format!(
            "regime {id}: amounts must be at most {max_yen} yen"
        ));
    }
    if p.weekly_average_min_days_per_week == 0 || p.weekly_average_min_days_per_week > 7 {
        return Err(format!(
            "regime {id}: weekly_average_min_days_per_week must be 1..=7"
        ));
    }
    let design = match kind {
        RegimeKind::Plan => {
            if p.applies_by != AppliesBy::PlanSubmitted {
                return Err(format!(
                    "regime {id}: a plan regime applies by plan_submitted"
                ));
            }
            if p.workplace_climate_required && p.workplace_climate_window.is_none() {
                return Err(format!(
                    "regime {id}: workplace_climate_required needs workplace_climate_window"
                ));
            }
            Design::Plan(PlanDesign {
                evaluation_window_months: need(
                    p.evaluation_window_months.map(u64::from),
                    ParamId::EvaluationWindowMonths,
                )? as u32,
                subsidy_cap_yen: need(p.subsidy_cap_yen, ParamId::SubsidyCapYen)?,
                subsidy_cap_per_worker_yen: need(
                    p.subsidy_cap_per_worker_yen,
                    ParamId::SubsidyCapPerWorkerYen,
                )?,
                equipment_rate_percent: need(
                    p.equipment_rate_percent.map(u64::from),
                    ParamId::EquipmentRatePercent,
                )? as u32,
                goal_rate_percent: need(
                    p.goal_rate_percent.map(u64::from),
                    ParamId::GoalRatePercent,
                )? as u32,
                goal_rate_premium_percent: need(
                    p.goal_rate_premium_percent.map(u64::from),
                    ParamId::GoalRatePremiumPercent,
                )? as u32,
                climate_window: if p.workplace_climate_required {
                    p.workplace_climate_window
                } else {
                    None
                },
            })
        }
        RegimeKind::NoPlan => {
            if p.applies_by != AppliesBy::EvaluationStart {
                return Err(format!(
                    "regime {id}: a no-plan regime applies by evaluation_start"
                ));
            }
            Design::NoPlan(NoPlanDesign {
                measures_window_months: need(
                    p.measures_window_months.map(u64::from),
                    ParamId::MeasuresWindowMonths,
                )? as u32,
                measures_window_start: p
                    .measures_window_start
                    .ok_or_else(|| format!("regime {id} (no_plan) needs measures_window_start"))?,
                measures_required: p
                    .measures_required
                    .clone()
                    .ok_or_else(|| format!("regime {id} (no_plan) needs measures_required"))?,
                equipment_amount_yen: need(p.equipment_amount_yen, ParamId::EquipmentAmountYen)?,
                goal_amount_yen: need(p.goal_amount_yen, ParamId::GoalAmountYen)?,
                goal_amount_premium_yen: need(
                    p.goal_amount_premium_yen,
                    ParamId::GoalAmountPremiumYen,
                )?,
            })
        }
    };
    // Category rules: ineligible wins; every eligible category has exactly one cap.
    let mut categories = Vec::with_capacity(ExpenseCategory::ALL.len());
    for &c in ExpenseCategory::ALL {
        let rule = if p.ineligible_categories.contains(&c) {
            CategoryRule::Ineligible
        } else {
            let fixed = p.expense_caps.get(&c).copied();
            let special = match c {
                ExpenseCategory::WebConferenceEquipment => Some(CategoryRule::PerTargetWorker(
                    p.web_conference_cap_per_worker_yen,
                )),
                ExpenseCategory::PcRentalLease => {
                    if p.pc_rental_lease_proration.is_none()
                        || p.pc_rental_lease_max_months.is_none()
                    {
                        return Err(format!(
                            "regime {id}: pc_rental_lease is eligible, so it needs pc_rental_lease_proration and pc_rental_lease_max_months"
                        ));
                    }
                    p.pc_rental_lease_cap_yen.map(CategoryRule::Cap)
                }
                _ => None,
            };
            match (fixed, special) {
                (Some(cap), None) => CategoryRule::Cap(cap),
                (None, Some(rule)) => rule,
                (None, None) => {
                    return Err(format!(
                        "regime {id}: expense category {c} is eligible but has no cap (add it to expense_caps or to ineligible_categories)"
                    ))
                }
                (Some(_), Some(_)) => {
                    return Err(format!(
                        "regime {id}: expense category {c} has two caps (expense_caps and its own parameter)"
                    ))
                }
            }
        };
        categories.push(rule);
    }
    if p.travel_for.contains(&ExpenseCategory::Travel) {
        return Err(format!("regime {id}: travel_for cannot name travel itself"));
    }
    Ok(Regime {
        id,
        name,
        kind,
        applies_from,
        applies_to,
        source,
        params,
        design,
        categories,
        provenance,
        values,
        budget: None,
    })
}

/// Checks an overlay's shape before merging: known top-level keys, and every
/// value it sets comes with its grade and source. Collects what it changes.
fn check_overlay(patch: &toml::Table, changed: &mut Vec<String>) -> Result<(), String> {
    for (key, v) in patch {
        match key.as_str() {
            "course" => {
                let t = v.as_table().ok_or("course: expected a table")?;
                for (name, v) in t {
                    ParamId::parse(name)
                        .ok_or_else(|| format!("course.{name}: unknown parameter (misspelt?)"))?;
                    check_overlay_value(&format!("course.{name}"), v)?;
                    changed.push(format!("course.{name}"));
                }
            }
            "regime" => {
                let t = v.as_table().ok_or("regime: expected a table")?;
                for (id, r) in t {
                    let r = r
                        .as_table()
                        .ok_or_else(|| format!("regime.{id}: expected a table"))?;
                    if let Some(values) = r.get("values") {
                        let values = values
                            .as_table()
                            .ok_or_else(|| format!("regime.{id}.values: expected a table"))?;
                        for (name, v) in values {
                            ParamId::parse(name).ok_or_else(|| {
                                format!("regime.{id}.values.{name}: unknown parameter (misspelt?)")
                            })?;
                            check_overlay_value(&format!("regime.{id}.values.{name}"), v)?;
                            changed.push(format!("{id}.{name}"));
                        }
                    }
                }
            }
            "budget" => {
                let t = v.as_table().ok_or("budget: expected a table")?;
                for (id, v) in t {
                    check_overlay_value(&format!("budget.{id}"), v)?;
                    changed.push(format!("budget.{id}"));
                }
            }
            other => {
                return Err(format!(
                    "{other}: unknown top-level key (expected course, regime, budget)"
                ))
            }
        }
    }
    Ok(())
}

fn check_overlay_value(path: &str, v: &toml::Value) -> Result<(), String> {
    let t = v
        .as_table()
        .ok_or_else(|| format!("{path}: expected {{ value, grade, source }}"))?;
    if t.contains_key("value") && !(t.contains_key("grade") && t.contains_key("source")) {
        return Err(format!(
            "{path}: a corrected value needs its grade and source (e.g. grade = \"official\", source = \"令和6年度 支給要領 0508\")"
        ));
    }
    Ok(())
}

/// Merges `from` into `into`: tables key by key, anything else replaced.
fn merge(into: &mut toml::Table, from: &toml::Table) {
    for (k, v) in from {
        match (into.get_mut(k), v) {
            (Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
            _ => {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

// ---------------------------------------------------------------------------
// The set in force.

static SET: OnceLock<&'static RegimeSet> = OnceLock::new();

/// The regime set in force in this process: the one [`install`]ed, else the
/// shipped data.
pub fn set() -> &'static RegimeSet {
    SET.get_or_init(|| Box::leak(Box::new(RegimeSet::builtin())))
}

/// Makes `set` the regime set of this process (e.g. the shipped data with an
/// overlay). Call it once, before anything evaluates; a second call, or one
/// after [`set`] was used, is an error.
pub fn install(set: RegimeSet) -> Result<&'static RegimeSet, String> {
    let leaked: &'static RegimeSet = Box::leak(Box::new(set));
    SET.set(leaked).map_err(|_| {
        "the regime set is already in use; install it before evaluating".to_string()
    })?;
    Ok(leaked)
}

/// Every regime in force, oldest first.
pub fn all() -> &'static [Regime] {
    set().all()
}

/// The regime with this id.
pub fn by_id(id: &str) -> Option<&'static Regime> {
    set().by_id(id)
}

/// The plan regime covering plans submitted on `submitted_on`.
pub fn for_submission(submitted_on: Date) -> Option<&'static Regime> {
    set().for_submission(submitted_on)
}

/// `R3a（計画提出日 …）、…`, for messages.
pub fn coverage_summary() -> String {
    set().coverage_summary()
}

// ---------------------------------------------------------------------------
// Reforms.

/// A reform: a regime with some parameters changed, for the policy simulator.
///
/// The file is TOML. An optional `[reform]` table names it (`name`) and the
/// regime it changes (`base`, default the newest regime); `[values]` sets any
/// parameter by its name, tables merged key by key, e.g.
///
/// ```toml
/// [reform]
/// name = "助成率40％"
/// base = "R6"
/// [values]
/// equipment_rate_percent = 40
/// [values.sme_limits.retail]
/// employees_max = 60
/// ```
///
/// A misspelt key is an error, not a silent no-op. Changed values are graded
/// `interpretation` with the note `reform`.
#[derive(Clone, Debug)]
pub struct Reform {
    pub name: String,
    pub regime: Regime,
}

impl Reform {
    /// Parses a reform file against the regimes in force.
    pub fn from_toml(text: &str) -> Result<Reform, String> {
        Reform::from_toml_in(set(), text)
    }

    /// Parses a reform file against `set`.
    pub fn from_toml_in(set: &RegimeSet, text: &str) -> Result<Reform, String> {
        Reform::from_toml_with_base(set, text, None)
    }

    /// Parses a reform file against `set`; a file that names no `base` changes
    /// `default_base` (else the newest regime).
    pub fn from_toml_with_base(
        set: &RegimeSet,
        text: &str,
        default_base: Option<&str>,
    ) -> Result<Reform, String> {
        let mut file: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let meta = match file.remove("reform") {
            None => toml::Table::new(),
            Some(toml::Value::Table(t)) => t,
            Some(_) => return Err("[reform] must be a table".into()),
        };
        let values = match file.remove("values") {
            None => toml::Table::new(),
            Some(toml::Value::Table(t)) => t,
            Some(_) => return Err("[values] must be a table".into()),
        };
        if let Some(k) = file.keys().next() {
            return Err(format!(
                "unknown table [{k}] (a reform has [reform] and [values])"
            ));
        }
        let text_of = |key: &str| -> Result<Option<String>, String> {
            match meta.get(key) {
                None => Ok(None),
                Some(toml::Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!("reform.{key} must be a string")),
            }
        };
        if let Some(k) = meta.keys().find(|k| *k != "name" && *k != "base") {
            return Err(format!("unknown key reform.{k} (expected name, base)"));
        }
        let base = match text_of("base")?.or(default_base.map(str::to_string)) {
            Some(b) => set.by_id(&b).ok_or_else(|| {
                format!(
                    "no regime {b:?} to reform (known: {})",
                    set.coverage_summary()
                )
            })?,
            None => set.all().last().ok_or("no regime to reform")?,
        };
        let regime = base.with_values(&values)?;
        Ok(Reform {
            name: text_of("name")?.unwrap_or_else(|| "reform".into()),
            regime,
        })
    }
}

impl Regime {
    /// This regime with `overrides` (parameter name → value) merged onto its
    /// values and checked again. Changed values become `interpretation`.
    pub fn with_values(&self, overrides: &toml::Table) -> Result<Regime, String> {
        let mut values = self.values.clone();
        let mut provenance = self.provenance.clone();
        for (name, v) in overrides {
            let p = ParamId::parse(name)
                .ok_or_else(|| format!("values.{name}: unknown parameter (misspelt?)"))?;
            match (values.get_mut(name), v) {
                (Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
                _ => {
                    values.insert(name.clone(), v.clone());
                }
            }
            provenance[p as usize] = Provenance {
                grade: Grade::Interpretation,
                source: "reform".into(),
                note: Arc::from("reform"),
                stated_in: "reform".into(),
            };
        }
        let params = typed(&self.id, &values)?;
        let mut r = finish(
            self.id.clone(),
            self.name.clone(),
            self.kind,
            self.applies_from,
            self.applies_to,
            self.source.clone(),
            params,
            provenance,
            values,
        )?;
        r.budget = self.budget.clone();
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn builtin() -> RegimeSet {
        RegimeSet::builtin()
    }

    #[test]
    fn shipped_regimes_load() {
        let set = builtin();
        let ids: Vec<&str> = set.all().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["R3a", "R3b", "R4", "R5", "R6", "R7", "R8"]);
        let r4 = set.by_id("R4").unwrap();
        assert_eq!(r4.plan().unwrap().equipment_rate_percent, 30);
        assert_eq!(r4.plan().unwrap().goal_rate_premium_percent, 35);
        assert_eq!(r4.params.turnover_max_percent, 30);
        assert_eq!(
            r4.category(ExpenseCategory::WebConferenceEquipment).cap(3),
            Yen(33_000)
        );
        assert_eq!(
            r4.category(ExpenseCategory::PcTabletSmartphone).cap(3),
            Yen(0)
        );
        assert_eq!(r4.category(ExpenseCategory::PcRentalLease).cap(3), Yen(0));
        let r5 = set.by_id("R5").unwrap();
        assert_eq!(
            r5.category(ExpenseCategory::PcRentalLease),
            CategoryRule::Cap(770_000)
        );
        assert_eq!(r5.params.premium_condition, PremiumCondition::Wage);
        let r6 = set.by_id("R6").unwrap();
        assert_eq!(r6.plan().unwrap().equipment_rate_percent, 50);
        assert!(r6.params.expanding_eligible);
        let r3a = set.by_id("R3a").unwrap();
        assert!(!r3a.params.trial_eligible);
        assert!(!r3a.params.workplace_climate_required);
        assert!(!r3a.category(ExpenseCategory::TeleworkServiceFee).eligible());
        assert!(set
            .by_id("R3b")
            .unwrap()
            .category(ExpenseCategory::TeleworkServiceFee)
            .eligible());
        let r7 = set.by_id("R7").unwrap();
        assert_eq!(r7.no_plan().unwrap().equipment_amount_yen, 200_000);
        assert_eq!(r7.params.equipment_deadline_months, 2);
        assert!(r7.plan().is_none());
        assert_eq!(
            set.by_id("R5").unwrap().budget.as_ref().unwrap().yen,
            420_000_000
        );
        assert!(set.by_id("R3a").unwrap().budget.is_none());
    }

    #[test]
    fn grades_follow_inheritance() {
        let set = builtin();
        let r4 = set.by_id("R4").unwrap();
        let r5 = set.by_id("R5").unwrap();
        let r6 = set.by_id("R6").unwrap();
        let r8 = set.by_id("R8").unwrap();
        // Stated in R4 from the seeds.
        assert_eq!(r4.provenance(ParamId::ExpenseCaps).grade, Grade::Seed);
        // Carried to R5 and R6: our interpretation, saying from where.
        for r in [r5, r6] {
            let p = r.provenance(ParamId::ExpenseCaps);
            assert_eq!(p.grade, Grade::Interpretation);
            assert_eq!(&*p.note, "carried over from R4");
        }
        // Stated by a later year keeps its own grade.
        assert_eq!(
            r6.provenance(ParamId::EquipmentRatePercent).grade,
            Grade::Secondary
        );
        // An unverified value without a note gets one naming it.
        assert_eq!(
            &*r6.provenance(ParamId::GoalRatePercent).note,
            "R6 value goal_rate_percent"
        );
        // Course values are the course's own, in every regime.
        assert_eq!(r6.provenance(ParamId::CountedPlaces).grade, Grade::Seed);
        assert_eq!(
            r8.provenance(ParamId::EquipmentAmountYen).grade,
            Grade::Unverified
        );
        assert!(r8.unverified_count() >= 5);
        assert_eq!(r4.unverified_count(), 0);
    }

    #[test]
    fn selection_by_date_on_both_sides_of_every_boundary() {
        let set = builtin();
        let plan = |d| set.for_submission(d).map(|r| r.id.as_str());
        let no_plan = |d| set.for_evaluation_start(d).map(|r| r.id.as_str());
        assert_eq!(plan(date(2021, 3, 31)), None);
        assert_eq!(plan(date(2021, 4, 1)), Some("R3a"));
        assert_eq!(plan(date(2021, 12, 20)), Some("R3a"));
        assert_eq!(plan(date(2021, 12, 21)), Some("R3b"));
        assert_eq!(plan(date(2022, 3, 31)), Some("R3b"));
        assert_eq!(plan(date(2022, 4, 1)), Some("R4"));
        assert_eq!(plan(date(2023, 3, 31)), Some("R4"));
        assert_eq!(plan(date(2023, 4, 1)), Some("R5"));
        assert_eq!(plan(date(2024, 3, 31)), Some("R5"));
        assert_eq!(plan(date(2024, 4, 1)), Some("R6"));
        assert_eq!(plan(date(2025, 3, 31)), Some("R6"));
        assert_eq!(plan(date(2025, 4, 1)), None);
        assert_eq!(no_plan(date(2025, 3, 31)), None);
        assert_eq!(no_plan(date(2025, 4, 1)), Some("R7"));
        assert_eq!(no_plan(date(2026, 3, 31)), Some("R7"));
        assert_eq!(no_plan(date(2026, 4, 1)), Some("R8"));
        assert_eq!(no_plan(date(2027, 3, 31)), Some("R8"));
        assert_eq!(no_plan(date(2027, 4, 1)), None);
        assert_eq!(set.plans_end(), Some(date(2025, 4, 1)));
        assert_eq!(set.in_force_on(date(2026, 11, 22)).unwrap().id, "R8");
        assert_eq!(set.in_force_on(date(2022, 6, 15)).unwrap().id, "R4");
    }

    #[test]
    fn overlays_correct_values_and_are_checked() {
        let o = RegimeSet::with_overlay(
            "[regime.R6.values.goal_rate_percent]\nvalue = 20\ngrade = \"official\"\nsource = \"令和6年度 支給要領 0508\"\n",
        )
        .unwrap();
        let r6 = o.by_id("R6").unwrap();
        assert_eq!(r6.plan().unwrap().goal_rate_percent, 20);
        assert_eq!(
            r6.provenance(ParamId::GoalRatePercent).grade,
            Grade::Official
        );
        assert_eq!(o.overlay().unwrap().changed, ["R6.goal_rate_percent"]);
        assert_eq!(o.overlay().unwrap().sha256.len(), 64);
        // Untouched regimes stay as shipped.
        assert_eq!(o.by_id("R5").unwrap().plan().unwrap().goal_rate_percent, 20);
        // A misspelt parameter is named.
        let e = RegimeSet::with_overlay(
            "[regime.R6.values.goal_rate_percnt]\nvalue = 20\ngrade = \"official\"\nsource = \"x\"\n",
        )
        .unwrap_err();
        assert!(e.contains("goal_rate_percnt"), "{e}");
        // A value without its grade is refused.
        let e = RegimeSet::with_overlay("[regime.R6.values.goal_rate_percent]\nvalue = 20\n")
            .unwrap_err();
        assert!(e.contains("grade"), "{e}");
        // A bad value is refused like in the shipped file.
        let e = RegimeSet::with_overlay(
            "[regime.R6.values.goal_rate_percent]\nvalue = 140\ngrade = \"official\"\nsource = \"x\"\n",
        )
        .unwrap_err();
        assert!(e.contains("0 to 100"), "{e}");
        let e = RegimeSet::with_overlay(
            "[regime.R6.values.goal_rate_percent]\nvalue = \"ten\"\ngrade = \"official\"\nsource = \"x\"\n",
        )
        .unwrap_err();
        assert!(e.contains("R6"), "{e}");
        // Overlapping dates are refused.
        let e =
            RegimeSet::with_overlay("[regime.R5]\napplies_from = \"2023-03-01\"\n").unwrap_err();
        assert!(e.contains("overlap"), "{e}");
        // Not TOML.
        assert!(RegimeSet::with_overlay("[regime")
            .unwrap_err()
            .contains("TOML"));
    }

    #[test]
    fn incomplete_or_ambiguous_files_are_refused() {
        let missing = REGIMES_TOML.replace("value.nas_equipment = 110_000\n", "");
        assert!(load_regimes(&missing)
            .unwrap_err()
            .contains("nas_equipment"));
        let both = REGIMES_TOML.replace(
            "value.travel = 11_000\n",
            "value.travel = 11_000\nvalue.web_conference_equipment = 1\n",
        );
        assert!(load_regimes(&both).unwrap_err().contains("two caps"));
        let no_source = REGIMES_TOML.replace(
            "turnover_max_percent = { value = 30, grade = \"seed\", source = \"seed 002 ⑩ 目標達成助成 (ニ): 評価時離職率が３０％以下\" }",
            "turnover_max_percent = { value = 30, grade = \"seed\" }",
        );
        assert!(load_regimes(&no_source).unwrap_err().contains("no source"));
        let circle = REGIMES_TOML.replace("inherits = \"R3b\"", "inherits = \"R3a\"");
        assert!(load_regimes(&circle).unwrap_err().contains("circle"));
    }

    #[test]
    fn reforms_merge_onto_a_regime() {
        let set = builtin();
        let r = Reform::from_toml_in(
            &set,
            "[reform]\nname = \"40%\"\nbase = \"R4\"\n[values]\nequipment_rate_percent = 40\n[values.sme_limits.retail]\nemployees_max = 60\n[values.expense_caps]\npc_tablet_smartphone = 100000\n",
        );
        // pc_tablet_smartphone is still listed as ineligible: ineligible wins.
        let r = r.unwrap();
        assert_eq!(r.name, "40%");
        assert_eq!(r.regime.plan().unwrap().equipment_rate_percent, 40);
        assert_eq!(
            r.regime.plan().unwrap().subsidy_cap_yen,
            1_000_000,
            "untouched"
        );
        assert_eq!(r.regime.params.sme_limits.retail.employees_max, 60);
        assert_eq!(
            r.regime.params.sme_limits.retail.capital_max_yen,
            50_000_000
        );
        // An empty reform is the newest regime.
        let same = Reform::from_toml_in(&set, "").unwrap();
        assert_eq!(same.regime.id, "R8");
        // Typos and bad values are errors.
        let e = Reform::from_toml_in(&set, "[values]\nequipment_rate_percnt = 40").unwrap_err();
        assert!(e.contains("equipment_rate_percnt"), "{e}");
        assert!(Reform::from_toml_in(
            &set,
            "[reform]\nbase = \"R4\"\n[values]\nequipment_rate_percent = 140"
        )
        .is_err());
        assert!(Reform::from_toml_in(&set, "[values]\nturnover_max_percent = \"x\"").is_err());
        assert!(Reform::from_toml_in(&set, "[reform]\nbase = \"R1\"")
            .unwrap_err()
            .contains("R1"));
        assert!(
            Reform::from_toml_in(&set, "[equipment_subsidy]\nrate_percent = 1")
                .unwrap_err()
                .contains("equipment_subsidy")
        );
    }

    #[test]
    fn every_param_is_a_field_and_the_order_is_complete() {
        let set = builtin();
        let r4 = set.by_id("R4").unwrap();
        let fields: Vec<String> = toml::Value::try_from(&r4.params)
            .unwrap()
            .as_table()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        for f in &fields {
            assert!(ParamId::parse(f).is_some(), "{f} has no ParamId");
        }
        assert!(ParamId::ALL.len() <= 64, "ParamSet is a u64");
    }
}
