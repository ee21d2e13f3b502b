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
        validate(r)?;
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

/// Checks one regime's values beyond their types.
fn validate(r: &Regime) -> Result<(), String> {
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
    let rates = [
        r.equipment_subsidy.rate_percent,
        r.goal_subsidy.rate_percent,
        r.goal_subsidy.productivity_rate_percent,
        r.turnover.max_rate_percent,
    ];
    if rates.iter().any(|&x| x > 100) {
        return Err(format!(
            "regime {}: rates are percentages from 0 to 100",
            r.id
        ));
    }
    if r.productivity.growth_percent > 1000
        || r.productivity.growth_with_financial_institution_percent > 1000
    {
        return Err(format!(
            "regime {}: productivity growth must be at most 1000 %",
            r.id
        ));
    }
    Ok(())
}

/// A reform: a regime with some parameters changed, for the policy simulator.
///
/// The file is TOML. An optional `[reform]` table names it (`name`) and the
/// regime it changes (`base`, default the only or newest regime); every other
/// table is merged key by key onto that regime's data in `data/regimes.toml`,
/// e.g.
///
/// ```toml
/// [reform]
/// name = "助成率40％"
/// [equipment_subsidy]
/// rate_percent = 40
/// [sme.retail]
/// employees_max = 60
/// ```
///
/// A misspelt key is an error, not a silent no-op.
#[derive(Clone, Debug)]
pub struct Reform {
    pub name: String,
    pub regime: Regime,
}

impl Reform {
    /// Parses a reform file.
    pub fn from_toml(text: &str) -> Result<Reform, String> {
        let mut overrides: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let meta = match overrides.remove("reform") {
            None => toml::Table::new(),
            Some(toml::Value::Table(t)) => t,
            Some(_) => return Err("[reform] must be a table".into()),
        };
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
        let base = match text_of("base")? {
            Some(b) => b,
            None => all().last().map(|r| r.id.clone()).unwrap_or_default(),
        };
        let regime = with_overrides(&base, &overrides)?;
        Ok(Reform {
            name: text_of("name")?.unwrap_or_else(|| "reform".into()),
            regime,
        })
    }
}

/// The shipped regime `base_id` with `overrides` merged onto its data: tables
/// are merged key by key, any other value replaces the shipped one.
pub fn with_overrides(base_id: &str, overrides: &toml::Table) -> Result<Regime, String> {
    let file: toml::Table = toml::from_str(REGIMES_TOML).map_err(|e| e.to_string())?;
    let base = file
        .get("regime")
        .and_then(|v| v.as_array())
        .and_then(|rs| {
            rs.iter()
                .find(|r| r.get("id").and_then(|i| i.as_str()) == Some(base_id))
        })
        .and_then(|r| r.as_table())
        .ok_or_else(|| {
            format!(
                "no regime {base_id:?} to reform (known: {})",
                coverage_summary()
            )
        })?;
    let mut merged = base.clone();
    merge(&mut merged, overrides);
    let regime: Regime = toml::Value::Table(merged)
        .try_into()
        .map_err(|e: toml::de::Error| e.to_string())?;
    validate(&regime)?;
    Ok(regime)
}

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
    fn reforms_merge_onto_the_shipped_regime() {
        let r = Reform::from_toml(
            "[reform]\nname = \"40%\"\n[equipment_subsidy]\nrate_percent = 40\n[sme.retail]\nemployees_max = 60\n[expenses.categories.pc_tablet_smartphone]\neligible = true\ncap_yen = 100000\n",
        )
        .unwrap();
        assert_eq!(r.name, "40%");
        assert_eq!(r.regime.equipment_subsidy.rate_percent, 40);
        assert_eq!(r.regime.equipment_subsidy.cap_yen, 1_000_000, "untouched");
        assert_eq!(r.regime.sme.retail.employees_max, 60);
        assert_eq!(r.regime.sme.retail.capital_max_yen, 50_000_000, "untouched");
        assert_eq!(
            r.regime
                .expenses
                .categories
                .get(ExpenseCategory::PcTabletSmartphone)
                .cap(3),
            Yen(100_000)
        );
        // An empty reform is the shipped regime.
        let same = Reform::from_toml("").unwrap();
        assert_eq!(
            format!("{:?}", same.regime),
            format!("{:?}", by_id("R4").unwrap())
        );
        // Typos and bad values are errors.
        assert!(Reform::from_toml("[equipment_subsidy]\nrate_percnt = 40")
            .unwrap_err()
            .contains("rate_percnt"));
        assert!(Reform::from_toml("[equipment_subsidy]\nrate_percent = 140").is_err());
        assert!(Reform::from_toml("[equipment_subsidy]\nrate_percent = \"x\"").is_err());
        assert!(Reform::from_toml("[reform]\nbase = \"R1\"")
            .unwrap_err()
            .contains("R1"));
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
