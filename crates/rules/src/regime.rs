//! Regimes: the dated parameters of the course, kept as data.
//!
//! `data/regimes.toml` is compiled into the binary (`include_str!`) and parsed
//! once. Each table there names the seed passage its values come from. A regime
//! applies to plans submitted within its dates; [`for_submission`] picks it, and
//! a case may name one explicitly.

use crate::civil::parse_iso_date;
use crate::model::{ExpenseCategory, Industry, LeaveReason, Place, Yen};
use jiff::civil::Date;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The regime data file, as shipped.
pub const REGIMES_TOML: &str = include_str!("../data/regimes.toml");

/// One regime: every parameter of the rules for plans submitted in its dates.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regime {
    /// Short id, e.g. `R4`.
    pub id: String,
    /// Japanese name, e.g. `令和4年度`.
    pub name: String,
    /// First submission date the regime covers.
    #[serde(deserialize_with = "de_date")]
    pub plans_submitted_from: Date,
    /// Last submission date the regime covers.
    #[serde(deserialize_with = "de_date")]
    pub plans_submitted_to: Date,
    pub source: String,
    pub sme: SmeParams,
    pub periods: PeriodParams,
    pub telework_test: TeleworkTestParams,
    pub equipment_subsidy: SubsidyParams,
    pub goal_subsidy: GoalSubsidyParams,
    pub turnover: TurnoverParams,
    pub productivity: ProductivityParams,
    pub expenses: ExpenseParams,
}

/// The SME test (中小企業の範囲).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmeParams {
    pub source: String,
    /// Switch: `true` when meeting either limit suffices (いずれかを満たす).
    pub either_test_suffices: bool,
    pub retail: SmeLimit,
    pub service: SmeLimit,
    pub wholesale: SmeLimit,
    pub other: SmeLimit,
}

impl SmeParams {
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

/// Inclusive SME limits of one industry.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmeLimit {
    pub capital_max_yen: u64,
    pub employees_max: u64,
}

/// Lengths of the periods, in months, counted by the Civil Code.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodParams {
    pub source: String,
    pub evaluation_window_months: u32,
    pub evaluation_period_months: u32,
    pub equipment_deadline_months: u32,
    pub goal_offset_months: u32,
    pub goal_period_months: u32,
    pub goal_deadline_months: u32,
    pub turnover_period_months: u32,
    /// Interpretation: filing deadlines on closed days move to the next open day.
    pub deadlines_move_to_open_day: bool,
}

/// How test ② of the telework performance test averages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeeklyAverageBasis {
    /// Per target worker: `days × 7 ≥ n × target_workers × period_days`.
    PerTargetWorker,
    /// For the establishment as a whole: `days × 7 ≥ n × period_days`.
    PerEstablishment,
}

/// The telework performance test (テレワーク実績基準).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeleworkTestParams {
    pub source: String,
    /// Places at which a day of work counts as telework.
    pub counted_places: Vec<Place>,
    /// Interpretation of "週平均".
    pub weekly_average_basis: WeeklyAverageBasis,
    pub weekly_average_min_days_per_week: u32,
}

impl TeleworkTestParams {
    /// Whether a day at `place` counts as telework.
    pub fn counts(&self, place: Place) -> bool {
        self.counted_places.contains(&place)
    }
}

/// Rate and cap of the equipment subsidy.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubsidyParams {
    pub source: String,
    pub rate_percent: u32,
    pub cap_yen: u64,
    pub cap_per_target_worker_yen: u64,
}

/// Rates and caps of the goal subsidy.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalSubsidyParams {
    pub source: String,
    pub rate_percent: u32,
    /// Switch: whether the productivity premium exists.
    pub productivity_premium: bool,
    pub productivity_rate_percent: u32,
    pub cap_yen: u64,
    pub cap_per_target_worker_yen: u64,
    pub combined_cap_yen: u64,
}

/// Turnover rules (離職率).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnoverParams {
    pub source: String,
    pub max_rate_percent: u32,
    pub excluded_leave_reasons: Vec<LeaveReason>,
}

/// The productivity requirement (生産性要件).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductivityParams {
    pub source: String,
    pub growth_percent: u32,
    pub growth_with_financial_institution_percent: u32,
}

/// Eligible expenses and their caps.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpenseParams {
    pub source: String,
    #[serde(deserialize_with = "de_categories")]
    pub categories: CategoryRules,
}

/// One rule per expense category, indexed by category.
#[derive(Clone, Debug)]
pub struct CategoryRules(Vec<CategoryRule>);

impl CategoryRules {
    /// The rule of `category`.
    pub fn get(&self, category: ExpenseCategory) -> &CategoryRule {
        &self.0[category as usize]
    }
}

/// How one category is capped.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRule {
    /// `false`: never eligible (cap 0).
    #[serde(default = "yes")]
    pub eligible: bool,
    /// A fixed cap per employer.
    pub cap_yen: Option<u64>,
    /// A cap per target worker.
    pub cap_per_target_worker_yen: Option<u64>,
    /// For travel: the measures whose travel is eligible.
    pub travel_for: Option<Vec<ExpenseCategory>>,
}

impl CategoryRule {
    /// The cap for a plan with `target_workers` target workers (0 when ineligible).
    pub fn cap(&self, target_workers: u64) -> Yen {
        if !self.eligible {
            return Yen(0);
        }
        match (self.cap_yen, self.cap_per_target_worker_yen) {
            (Some(cap), _) => Yen(cap),
            (None, Some(per)) => Yen(per.saturating_mul(target_workers)),
            (None, None) => Yen(0),
        }
    }
}

fn yes() -> bool {
    true
}

fn de_date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let s = String::deserialize(d)?;
    parse_iso_date(&s).map_err(|e| serde::de::Error::custom(format!("bad date {s:?}: {e:?}")))
}

fn de_categories<'de, D: Deserializer<'de>>(d: D) -> Result<CategoryRules, D::Error> {
    let mut map = BTreeMap::<ExpenseCategory, CategoryRule>::deserialize(d)?;
    let mut rules = Vec::with_capacity(ExpenseCategory::ALL.len());
    for &category in ExpenseCategory::ALL {
        let rule = map.remove(&category).ok_or_else(|| {
            serde::de::Error::custom(format!("expense category {category} has no rule"))
        })?;
        let caps = usize::from(rule.cap_yen.is_some())
            + usize::from(rule.cap_per_target_worker_yen.is_some());
        if rule.eligible && caps != 1 {
            return Err(serde::de::Error::custom(format!(
                "expense category {category} needs exactly one of cap_yen, cap_per_target_worker_yen"
            )));
        }
        if rule.travel_for.is_some() != (category == ExpenseCategory::Travel) {
            return Err(serde::de::Error::custom(format!(
                "travel_for belongs to the travel category only (found on {category})"
            )));
        }
        rules.push(rule);
    }
    Ok(CategoryRules(rules))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegimeFile {
    regime: Vec<Regime>,
}

/// Parses and checks a regimes file: ids unique, date ranges in order and not
/// overlapping, periods at least one month long.
pub fn load_regimes(text: &str) -> Result<Vec<Regime>, String> {
    let file: RegimeFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut regimes = file.regime;
    regimes.sort_by_key(|r| r.plans_submitted_from);
    for r in &regimes {
        if r.plans_submitted_to < r.plans_submitted_from {
            return Err(format!("regime {}: dates out of order", r.id));
        }
        let p = &r.periods;
        let months = [
            p.evaluation_window_months,
            p.evaluation_period_months,
            p.equipment_deadline_months,
            p.goal_offset_months,
            p.goal_period_months,
            p.goal_deadline_months,
            p.turnover_period_months,
        ];
        if months.iter().any(|&m| m == 0 || m > 60) {
            return Err(format!(
                "regime {}: period lengths must be 1..=60 months",
                r.id
            ));
        }
    }
    for pair in regimes.windows(2) {
        if pair[1].plans_submitted_from <= pair[0].plans_submitted_to {
            return Err(format!("regimes {} and {} overlap", pair[0].id, pair[1].id));
        }
    }
    let mut ids: Vec<&str> = regimes.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        return Err("regime ids must be unique".into());
    }
    Ok(regimes)
}

/// Every regime shipped with josei, oldest first.
pub fn all() -> &'static [Regime] {
    static REGIMES: OnceLock<Vec<Regime>> = OnceLock::new();
    REGIMES.get_or_init(|| {
        // The shipped file is checked by the test `shipped_regimes_load`; a
        // failure here is a build defect, not bad input.
        load_regimes(REGIMES_TOML).expect("data/regimes.toml is valid")
    })
}

/// The regime with this id.
pub fn by_id(id: &str) -> Option<&'static Regime> {
    all().iter().find(|r| r.id == id)
}

/// The regime covering plans submitted on `submitted_on`.
pub fn for_submission(submitted_on: Date) -> Option<&'static Regime> {
    all()
        .iter()
        .find(|r| r.plans_submitted_from <= submitted_on && submitted_on <= r.plans_submitted_to)
}

/// `R4 (2022-04-01〜2023-03-31)`, for messages.
pub fn coverage_summary() -> String {
    all()
        .iter()
        .map(|r| {
            format!(
                "{} ({}〜{})",
                r.id, r.plans_submitted_from, r.plans_submitted_to
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn shipped_regimes_load() {
        let regimes = load_regimes(REGIMES_TOML).unwrap();
        assert_eq!(regimes.len(), 1);
        let r4 = by_id("R4").unwrap();
        assert_eq!(r4.equipment_subsidy.rate_percent, 30);
        assert_eq!(r4.goal_subsidy.productivity_rate_percent, 35);
        assert_eq!(r4.turnover.max_rate_percent, 30);
        assert_eq!(
            r4.expenses
                .categories
                .get(ExpenseCategory::WebConferenceEquipment)
                .cap(3),
            Yen(33_000)
        );
        assert_eq!(
            r4.expenses
                .categories
                .get(ExpenseCategory::PcTabletSmartphone)
                .cap(3),
            Yen(0)
        );
    }

    #[test]
    fn selection_by_submission_date() {
        assert_eq!(for_submission(date(2022, 4, 1)).unwrap().id, "R4");
        assert_eq!(for_submission(date(2023, 3, 31)).unwrap().id, "R4");
        assert!(for_submission(date(2022, 3, 31)).is_none());
        assert!(for_submission(date(2023, 4, 1)).is_none());
    }

    #[test]
    fn overlapping_or_incomplete_files_are_refused() {
        let twice = format!(
            "{REGIMES_TOML}\n{}",
            REGIMES_TOML.replace("id = \"R4\"", "id = \"R4b\"")
        );
        assert!(load_regimes(&twice).unwrap_err().contains("overlap"));
        let missing = REGIMES_TOML.replace("nas_equipment = { cap_yen = 110_000 }\n", "");
        assert!(load_regimes(&missing)
            .unwrap_err()
            .contains("nas_equipment"));
        let both = REGIMES_TOML.replace(
            "network_equipment = { cap_yen = 165_000 }",
            "network_equipment = { cap_yen = 165_000, cap_per_target_worker_yen = 1 }",
        );
        assert!(load_regimes(&both).unwrap_err().contains("exactly one"));
    }
}
