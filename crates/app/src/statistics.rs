//! Bureau statistics (`/statistics`): for each fiscal year of the course, the
//! plans and applications received, the decisions made, the amounts decided
//! against the course's national budget, and how long reviews took.
//!
//! Officers see their prefecture; administrators every prefecture together
//! (全国) or one they choose. Employers and 社会保険労務士 may not see it. The
//! store counts and sums in grouped queries ([`josei_store::statistics`]);
//! this module only files the groups under fiscal years and works out the
//! medians from the store's histogram of days.
//!
//! A case's fiscal year is its regime's: 令和3年度 has two regimes (before and
//! after the amendment of 2021-12-21) and counts once. The budget figures are
//! data (`data/budgets.toml`), each with its grade, source and quote.

use crate::access::require_role;
use crate::{App, Error, Result};
use jiff::civil::Date;
use josei_rules::regime::{Grade, RegimeKind};
use josei_store::bureaus::prefecture_name;
use josei_store::statistics::ReviewKind;
use josei_store::{DecisionKind, Outcome, Role, User};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The course's budget in one fiscal year (national, 当初予算).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Budget {
    /// The year the fiscal year starts in (2022 = 令和4年度).
    pub fiscal_year: i16,
    pub yen: u64,
    pub grade: Grade,
    /// The document, in Japanese.
    pub source: String,
    /// Its words ("" when none were kept).
    pub quote: String,
    /// Where the project keeps the document (never shown).
    #[serde(default)]
    pub reference: String,
}

#[derive(Deserialize)]
struct BudgetFile {
    budget: Vec<Budget>,
}

const BUDGETS_TOML: &str = include_str!("../data/budgets.toml");

fn parse_budgets(text: &str) -> std::result::Result<Vec<Budget>, String> {
    let file: BudgetFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut seen = std::collections::BTreeSet::new();
    for b in &file.budget {
        if !seen.insert(b.fiscal_year) {
            return Err(format!("fiscal year {} twice", b.fiscal_year));
        }
        if b.source.trim().is_empty() {
            return Err(format!("fiscal year {}: no source", b.fiscal_year));
        }
    }
    Ok(file.budget)
}

/// Every budget figure, parsed once.
pub fn budgets() -> &'static [Budget] {
    static BUDGETS: OnceLock<Vec<Budget>> = OnceLock::new();
    // The shipped file is checked by the unit test `budgets_parse`; an error
    // here is a build defect, and the page then says no figure is known.
    BUDGETS.get_or_init(|| parse_budgets(BUDGETS_TOML).unwrap_or_default())
}

/// The budget of the fiscal year starting in `fiscal_year`, if known.
pub fn budget_of(fiscal_year: i16) -> Option<&'static Budget> {
    budgets().iter().find(|b| b.fiscal_year == fiscal_year)
}

/// The year a fiscal year starting on or before `d` starts in (April to March).
pub fn fiscal_year_of(d: Date) -> i16 {
    if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    }
}

/// `令和4年度` for 2022.
pub fn fiscal_year_label(fiscal_year: i16) -> String {
    match fiscal_year - 2018 {
        1 => "令和元年度".to_string(),
        n if n > 1 => format!("令和{n}年度"),
        _ => format!("{fiscal_year}年度"),
    }
}

/// Whose cases the statistics cover.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Area {
    /// Every prefecture (administrators).
    National,
    /// One prefecture (JIS code), with its name.
    Prefecture(i64, &'static str),
}

impl Area {
    /// `全国` or the prefecture's name.
    pub fn name(&self) -> &'static str {
        match self {
            Area::National => "全国",
            Area::Prefecture(_, name) => name,
        }
    }
}

/// How long the reviews of one kind took, in days from receipt to decision.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Processing {
    /// Decisions measured.
    pub count: i64,
    /// The median, in half days (a median of an even count may fall between two days).
    pub median_half_days: Option<i64>,
    pub max_days: Option<i64>,
}

impl Processing {
    /// `12日` or `12.5日`; `—` when nothing was decided.
    pub fn median_text(&self) -> String {
        match self.median_half_days {
            None => "—".into(),
            Some(h) if h % 2 == 0 => format!("{}日", h / 2),
            Some(h) => format!("{}.5日", h / 2),
        }
    }

    /// `30日`; `—` when nothing was decided.
    pub fn max_text(&self) -> String {
        self.max_days
            .map_or_else(|| "—".into(), |d| format!("{d}日"))
    }
}

/// One fiscal year of the course.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct YearRow {
    /// The year the fiscal year starts in.
    pub fiscal_year: i16,
    /// `令和4年度`.
    pub label: String,
    /// With a certified plan (令和3〜6年度) or without (令和7年度 on).
    pub with_plan: bool,
    /// The first subsidy's name that year: 機器等導入助成, or 制度導入助成.
    pub equipment_name: &'static str,
    pub plans_submitted: i64,
    pub plans_certified: i64,
    pub plans_returned: i64,
    pub plans_rejected: i64,
    pub equipment_filed: i64,
    pub goal_filed: i64,
    pub equipment_granted: i64,
    pub equipment_denied: i64,
    pub goal_granted: i64,
    pub goal_denied: i64,
    pub equipment_granted_yen: i64,
    pub goal_granted_yen: i64,
    /// Reviews of plans, of the first subsidy, of the goal subsidy.
    pub plan_processing: Processing,
    pub equipment_processing: Processing,
    pub goal_processing: Processing,
    /// The national budget that year, when known.
    pub budget: Option<Budget>,
    /// The decided amount's share of the budget, in tenths of a percent
    /// (only for 全国, where the two are comparable).
    pub budget_share_tenths: Option<i64>,
}

impl YearRow {
    /// Every subsidy granted that year, in yen.
    pub fn decided_yen(&self) -> i64 {
        self.equipment_granted_yen + self.goal_granted_yen
    }

    /// `支給決定` plus `不支給決定` on both subsidies.
    pub fn decisions(&self) -> i64 {
        self.equipment_granted + self.equipment_denied + self.goal_granted + self.goal_denied
    }

    /// `12.3%`, when a share is given.
    pub fn share_text(&self) -> Option<String> {
        self.budget_share_tenths
            .map(|t| format!("{}.{}%", t / 10, t % 10))
    }
}

/// The statistics page.
#[derive(Clone, Debug, Serialize)]
pub struct Statistics {
    pub area: Area,
    /// Whether the user may choose the area (administrators).
    pub may_choose: bool,
    /// Every fiscal year of the course, oldest first.
    pub years: Vec<YearRow>,
    /// The day the figures were read (the training clock's when it runs).
    pub as_of: Date,
}

impl Statistics {
    /// The sum of every year's row, for the table's total line.
    pub fn total(&self) -> YearRow {
        let mut t = YearRow {
            label: "合計".into(),
            ..YearRow::default()
        };
        for y in &self.years {
            t.plans_submitted += y.plans_submitted;
            t.plans_certified += y.plans_certified;
            t.plans_returned += y.plans_returned;
            t.plans_rejected += y.plans_rejected;
            t.equipment_filed += y.equipment_filed;
            t.goal_filed += y.goal_filed;
            t.equipment_granted += y.equipment_granted;
            t.equipment_denied += y.equipment_denied;
            t.goal_granted += y.goal_granted;
            t.goal_denied += y.goal_denied;
            t.equipment_granted_yen += y.equipment_granted_yen;
            t.goal_granted_yen += y.goal_granted_yen;
        }
        t
    }
}

/// The area an administrator asked for: `""` (or nothing) is 全国, else a
/// prefecture code 1–47.
pub fn read_area(prefecture: Option<&str>) -> Result<Area> {
    let text = prefecture.map(str::trim).unwrap_or("");
    if text.is_empty() {
        return Ok(Area::National);
    }
    text.parse::<i64>()
        .ok()
        .and_then(|p| prefecture_name(p).map(|name| Area::Prefecture(p, name)))
        .ok_or_else(|| {
            let shown: String = text.chars().take(20).collect();
            Error::invalid(
                "prefecture",
                format!("都道府県「{shown}」は一覧にありません。一覧から選んでください"),
            )
        })
}

/// The statistics `user` may see: an officer's prefecture, or for an
/// administrator the area `prefecture` names (全国 when empty). Employers and
/// 社会保険労務士 are refused.
pub async fn statistics(app: &App, user: &User, prefecture: Option<&str>) -> Result<Statistics> {
    require_role(user, &[Role::Officer, Role::Admin])
        .map_err(|_| Error::forbidden("統計は労働局の職員と管理者だけが見られます"))?;
    let (area, may_choose) = match user.role {
        Role::Admin => (read_area(prefecture)?, true),
        _ => {
            let p = user.prefecture.unwrap_or(0);
            (
                Area::Prefecture(p, prefecture_name(p).unwrap_or("所属の都道府県")),
                false,
            )
        }
    };
    let filter = match area {
        Area::National => None,
        Area::Prefecture(p, _) => Some(p),
    };
    let raw = app.db.statistics(filter).await?;
    let as_of = crate::today(app).await?;
    Ok(Statistics {
        years: assemble(&raw, area == Area::National),
        area,
        may_choose,
        as_of,
    })
}

/// Files the store's groups under the fiscal years of the regimes in force.
pub(crate) fn assemble(raw: &josei_store::statistics::Statistics, national: bool) -> Vec<YearRow> {
    let regimes = josei_rules::regime::all();
    let mut years: BTreeMap<i16, YearRow> = BTreeMap::new();
    let mut year_of: BTreeMap<&str, i16> = BTreeMap::new();
    for r in regimes {
        let fy = fiscal_year_of(r.applies_from);
        year_of.insert(r.id.as_str(), fy);
        let row = years.entry(fy).or_insert_with(|| YearRow {
            fiscal_year: fy,
            label: fiscal_year_label(fy),
            with_plan: true,
            equipment_name: "機器等導入助成",
            budget: budget_of(fy).cloned(),
            ..YearRow::default()
        });
        if r.kind == RegimeKind::NoPlan {
            row.with_plan = false;
            row.equipment_name = "制度導入助成";
        }
    }
    for c in &raw.counts {
        let Some(row) = year_of
            .get(c.regime.as_str())
            .and_then(|fy| years.get_mut(fy))
        else {
            continue;
        };
        row.plans_submitted += c.plans_submitted;
        row.plans_certified += c.plans_certified;
        row.plans_returned += c.plans_returned;
        row.plans_rejected += c.plans_rejected;
        row.equipment_filed += c.equipment_filed;
        row.goal_filed += c.goal_filed;
    }
    for d in &raw.decisions {
        let Some(row) = year_of
            .get(d.regime.as_str())
            .and_then(|fy| years.get_mut(fy))
        else {
            continue;
        };
        match (d.kind, d.outcome) {
            (DecisionKind::Equipment, Outcome::Granted) => {
                row.equipment_granted += d.count;
                row.equipment_granted_yen += d.amount_yen;
            }
            (DecisionKind::Equipment, Outcome::Denied) => row.equipment_denied += d.count,
            (DecisionKind::Goal, Outcome::Granted) => {
                row.goal_granted += d.count;
                row.goal_granted_yen += d.amount_yen;
            }
            (DecisionKind::Goal, Outcome::Denied) => row.goal_denied += d.count,
        }
    }
    // Days → decisions, per fiscal year and review.
    let mut hist: HashMap<(i16, ReviewKind), BTreeMap<i64, i64>> = HashMap::new();
    for p in &raw.processing {
        if let Some(fy) = year_of.get(p.regime.as_str()) {
            *hist
                .entry((*fy, p.kind))
                .or_default()
                .entry(p.days)
                .or_default() += p.count;
        }
    }
    for ((fy, kind), h) in &hist {
        if let Some(row) = years.get_mut(fy) {
            let p = processing(h);
            match kind {
                ReviewKind::Plan => row.plan_processing = p,
                ReviewKind::Equipment => row.equipment_processing = p,
                ReviewKind::Goal => row.goal_processing = p,
            }
        }
    }
    for row in years.values_mut() {
        if national {
            row.budget_share_tenths = row
                .budget
                .as_ref()
                .and_then(|b| share_tenths(row.decided_yen(), b.yen));
        }
    }
    years.into_values().collect()
}

/// `part` as tenths of a percent of `whole`, rounded half up.
fn share_tenths(part: i64, whole: u64) -> Option<i64> {
    let part = u128::try_from(part).ok()?;
    let whole = u128::from(whole);
    if whole == 0 {
        return None;
    }
    i64::try_from((part * 1000 + whole / 2) / whole).ok()
}

/// The count, median and maximum of a histogram of days.
fn processing(h: &BTreeMap<i64, i64>) -> Processing {
    let count: i64 = h.values().sum();
    if count <= 0 {
        return Processing::default();
    }
    // The k-th smallest value (0-based).
    let nth = |k: i64| {
        let mut seen = 0;
        for (days, n) in h {
            seen += n;
            if seen > k {
                return *days;
            }
        }
        0
    };
    let (lo, hi) = ((count - 1) / 2, count / 2);
    Processing {
        count,
        median_half_days: Some(nth(lo) + nth(hi)),
        max_days: h.keys().next_back().copied(),
    }
}

/// The statistics as rows of a CSV file (headings first).
pub fn csv_rows(s: &Statistics) -> Vec<Vec<String>> {
    let mut rows = vec![[
        "年度",
        "制度",
        "計画 提出",
        "計画 認定",
        "計画 差戻し",
        "計画 不認定",
        "機器等導入助成・制度導入助成 支給申請",
        "目標達成助成 支給申請",
        "機器等導入助成・制度導入助成 支給決定",
        "機器等導入助成・制度導入助成 不支給決定",
        "目標達成助成 支給決定",
        "目標達成助成 不支給決定",
        "支給決定額（円）",
        "予算額（円）",
        "予算額に対する割合（%）",
        "計画の審査日数 中央値",
        "計画の審査日数 最大",
        "機器等導入助成・制度導入助成の審査日数 中央値",
        "機器等導入助成・制度導入助成の審査日数 最大",
        "目標達成助成の審査日数 中央値",
        "目標達成助成の審査日数 最大",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect::<Vec<_>>()];
    let days = |p: &Processing| -> (String, String) {
        (
            p.median_half_days.map_or(String::new(), |h| {
                if h % 2 == 0 {
                    (h / 2).to_string()
                } else {
                    format!("{}.5", h / 2)
                }
            }),
            p.max_days.map_or(String::new(), |d| d.to_string()),
        )
    };
    for y in &s.years {
        let plan = |n: i64| {
            if y.with_plan {
                n.to_string()
            } else {
                String::new()
            }
        };
        let (pm, px) = days(&y.plan_processing);
        let (em, ex) = days(&y.equipment_processing);
        let (gm, gx) = days(&y.goal_processing);
        rows.push(vec![
            y.label.clone(),
            if y.with_plan {
                "計画あり"
            } else {
                "計画なし"
            }
            .to_string(),
            plan(y.plans_submitted),
            plan(y.plans_certified),
            plan(y.plans_returned),
            plan(y.plans_rejected),
            y.equipment_filed.to_string(),
            y.goal_filed.to_string(),
            y.equipment_granted.to_string(),
            y.equipment_denied.to_string(),
            y.goal_granted.to_string(),
            y.goal_denied.to_string(),
            y.decided_yen().to_string(),
            y.budget
                .as_ref()
                .map_or("予算額の資料なし".to_string(), |b| {
                    b.yen.to_string()
                }),
            y.budget_share_tenths
                .map_or(String::new(), |t| format!("{}.{}", t / 10, t % 10)),
            if y.with_plan { pm } else { String::new() },
            if y.with_plan { px } else { String::new() },
            em,
            ex,
            gm,
            gx,
        ]);
    }
    rows
}

/// `審査統計_東京都_20261121.csv`.
pub fn csv_file_name(s: &Statistics) -> String {
    format!(
        "審査統計_{}_{:04}{:02}{:02}.csv",
        s.area.name(),
        s.as_of.year(),
        s.as_of.month(),
        s.as_of.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_parse() {
        let b = parse_budgets(BUDGETS_TOML).unwrap();
        assert_eq!(budgets(), b.as_slice());
        // The seed's line: 令和５年度予算額 4.2億円（18億円）※（）内は前年度当初予算額.
        let r4 = budget_of(2022).unwrap();
        let r5 = budget_of(2023).unwrap();
        assert_eq!((r4.yen, r4.grade), (1_800_000_000, Grade::Seed));
        assert_eq!((r5.yen, r5.grade), (420_000_000, Grade::Seed));
        assert!(r5.quote.contains("4.2億円（18億円）"), "{}", r5.quote);
        assert_eq!(budget_of(2021), None, "令和3年度: no figure");
        // Whole yen: an amount with a fraction or a sign is refused.
        assert!(parse_budgets(
            "[[budget]]\nfiscal_year = 2022\nyen = 1.5e9\ngrade = \"seed\"\nsource = \"x\"\nquote = \"\"\n"
        )
        .is_err());
        assert!(parse_budgets(
            "[[budget]]\nfiscal_year = 2022\nyen = -1\ngrade = \"seed\"\nsource = \"x\"\nquote = \"\"\n"
        )
        .is_err());
        assert!(parse_budgets(
            "[[budget]]\nfiscal_year = 2022\nyen = 1\ngrade = \"rumour\"\nsource = \"x\"\nquote = \"\"\n"
        )
        .is_err());
        // The same figures as the regimes' [budget.*] (josei simulate reads those).
        for r in josei_rules::regime::all() {
            let fy = fiscal_year_of(r.applies_from);
            match (&r.budget, budget_of(fy)) {
                (Some(rb), Some(b)) => {
                    assert_eq!((rb.yen, rb.provenance.grade), (b.yen, b.grade), "{}", r.id)
                }
                (None, Some(_)) => {}
                (Some(_), None) => panic!("{}: budget missing from budgets.toml", r.id),
                (None, None) => {}
            }
        }
        for b in budgets() {
            assert!(!b.source.is_ascii() && !b.source.contains("seed"), "{b:?}");
        }
    }

    #[test]
    fn fiscal_years_and_their_names() {
        assert_eq!(fiscal_year_of(jiff::civil::date(2021, 12, 21)), 2021);
        assert_eq!(fiscal_year_of(jiff::civil::date(2022, 3, 31)), 2021);
        assert_eq!(fiscal_year_of(jiff::civil::date(2022, 4, 1)), 2022);
        assert_eq!(fiscal_year_label(2021), "令和3年度");
        assert_eq!(fiscal_year_label(2026), "令和8年度");
        assert_eq!(fiscal_year_label(2019), "令和元年度");
    }

    #[test]
    fn medians_and_shares() {
        let h: BTreeMap<i64, i64> = [(10, 1), (20, 1)].into_iter().collect();
        let p = processing(&h);
        assert_eq!(
            (p.count, p.median_text(), p.max_text()),
            (2, "15日".into(), "20日".into())
        );
        let h: BTreeMap<i64, i64> = [(3, 1), (4, 1)].into_iter().collect();
        assert_eq!(processing(&h).median_text(), "3.5日");
        let h: BTreeMap<i64, i64> = [(5, 2), (40, 1)].into_iter().collect();
        assert_eq!(processing(&h).median_text(), "5日");
        assert_eq!(processing(&BTreeMap::new()).median_text(), "—");
        assert_eq!(share_tenths(104_940, 420_000_000), Some(0));
        assert_eq!(share_tenths(21_000_000, 420_000_000), Some(50));
        assert_eq!(share_tenths(1_239_000, 140_000_000), Some(9));
        assert_eq!(share_tenths(1, 0), None);
        assert_eq!(share_tenths(-1, 10), None);
    }

    #[test]
    fn every_fiscal_year_is_a_row_with_zeros() {
        let raw = josei_store::statistics::Statistics::default();
        let years = assemble(&raw, true);
        let labels: Vec<&str> = years.iter().map(|y| y.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "令和3年度",
                "令和4年度",
                "令和5年度",
                "令和6年度",
                "令和7年度",
                "令和8年度"
            ]
        );
        assert!(years[0].with_plan && !years[4].with_plan);
        assert_eq!(years[4].equipment_name, "制度導入助成");
        assert_eq!(years[1].share_text().as_deref(), Some("0.0%"));
        assert!(years[0].budget.is_none());
    }

    #[test]
    fn areas_are_read_or_refused() {
        assert_eq!(read_area(None).unwrap(), Area::National);
        assert_eq!(read_area(Some(" ")).unwrap(), Area::National);
        assert_eq!(
            read_area(Some("13")).unwrap(),
            Area::Prefecture(13, "東京都")
        );
        for bad in ["0", "48", "東京", "-1"] {
            let e = read_area(Some(bad)).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("prefecture"), "{bad}");
        }
    }
}
