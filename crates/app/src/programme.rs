//! The programme around the subsidy as a whole (雇用型テレワークの導入・定着促進
//! のための施策): its statistics per fiscal year against the budgets of the
//! seed (`/programme/statistics`), and the public portal's summary of the
//! course per fiscal year (`/guide`).
//!
//! The budgets and the figures the documents report are data
//! (`data/programme.toml`, the course's own budget in `data/budgets.toml`),
//! each with its grade, source and quote. What josei records (consultations,
//! consulting, seminars, award applications, cases) is counted by the store
//! in grouped queries ([`josei_store::programme`]); this module files the
//! groups under fiscal years.

use crate::access::require_role;
use crate::statistics::{assemble, budget_of, fiscal_year_label, fiscal_year_of, Budget, YearRow};
use crate::{App, Error, Result};
use jiff::civil::Date;
use josei_rules::regime::{Design, Grade, PremiumCondition, Regime, RegimeKind};
use josei_store::{Channel, Role, Topic, User};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Which budget a figure is.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BudgetLine {
    /// The whole programme (施策全体).
    Programme,
    /// テレワーク・ワンストップ・サポート事業: the centre, consulting, seminars,
    /// the portal.
    OneStop,
}

impl BudgetLine {
    pub fn label(self) -> &'static str {
        match self {
            BudgetLine::Programme => "施策全体の予算額",
            BudgetLine::OneStop => "テレワーク・ワンストップ・サポート事業の予算額",
        }
    }
}

/// One budget figure of the programme.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct ProgrammeBudget {
    pub line: BudgetLine,
    pub fiscal_year: i16,
    pub yen: u64,
    pub grade: Grade,
    pub source: String,
    pub quote: String,
    #[serde(default)]
    pub reference: String,
}

/// What a reported figure counts.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReportedWhat {
    /// テレワーク相談センターに対する相談等件数.
    Consultations,
}

/// A figure a document reports (not recorded in josei).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Reported {
    pub what: ReportedWhat,
    pub fiscal_year: i16,
    pub count: u64,
    pub grade: Grade,
    pub source: String,
    pub quote: String,
    #[serde(default)]
    pub reference: String,
}

#[derive(Debug, Deserialize)]
struct ProgrammeFile {
    budget: Vec<ProgrammeBudget>,
    reported: Vec<Reported>,
}

const PROGRAMME_TOML: &str = include_str!("../data/programme.toml");

fn parse_programme(text: &str) -> std::result::Result<ProgrammeFile, String> {
    let file: ProgrammeFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut seen = std::collections::BTreeSet::new();
    for b in &file.budget {
        if !seen.insert((b.line as u8, b.fiscal_year)) {
            return Err(format!("{:?} {} twice", b.line, b.fiscal_year));
        }
        if b.source.trim().is_empty() || b.quote.trim().is_empty() {
            return Err(format!(
                "{:?} {}: no source or quote",
                b.line, b.fiscal_year
            ));
        }
    }
    for r in &file.reported {
        if r.source.trim().is_empty() || r.quote.trim().is_empty() {
            return Err(format!(
                "{:?} {}: no source or quote",
                r.what, r.fiscal_year
            ));
        }
    }
    Ok(file)
}

fn programme_file() -> &'static ProgrammeFile {
    static FILE: OnceLock<ProgrammeFile> = OnceLock::new();
    // The shipped file is checked by the unit test `programme_data_parses`.
    FILE.get_or_init(|| {
        parse_programme(PROGRAMME_TOML).unwrap_or(ProgrammeFile {
            budget: Vec::new(),
            reported: Vec::new(),
        })
    })
}

/// Every programme budget figure.
pub fn programme_budgets() -> &'static [ProgrammeBudget] {
    &programme_file().budget
}

/// Every reported figure.
pub fn reported() -> &'static [Reported] {
    &programme_file().reported
}

/// One fiscal year of the programme.
#[derive(Clone, Debug, Serialize)]
pub struct ProgrammeYear {
    pub fiscal_year: i16,
    /// `令和4年度`.
    pub label: String,
    /// Consultations recorded at the centre, by channel (label, count), in
    /// the channels' order; and by topic (a consultation may have several).
    pub consultations: i64,
    pub consultations_by_channel: Vec<(String, i64)>,
    pub consultations_by_topic: Vec<(String, i64)>,
    /// The centre's count as the documents report it, when they do.
    pub reported_consultations: Option<Reported>,
    pub consulting_requests: i64,
    pub consulting_visits: i64,
    pub seminar_registrations: i64,
    pub seminar_attendance: i64,
    pub award_applications: i64,
    /// The course: plans, applications, decisions, amounts.
    pub subsidy: YearRow,
    pub programme_budget: Option<ProgrammeBudget>,
    pub one_stop_budget: Option<ProgrammeBudget>,
    pub course_budget: Option<Budget>,
}

impl ProgrammeYear {
    /// Applications filed for either subsidy.
    pub fn applications(&self) -> i64 {
        self.subsidy.equipment_filed + self.subsidy.goal_filed
    }
}

/// The programme statistics page.
#[derive(Clone, Debug, Serialize)]
pub struct ProgrammeStatistics {
    /// Every fiscal year from the course's first to the current one, oldest first.
    pub years: Vec<ProgrammeYear>,
    pub as_of: Date,
}

/// The statistics of the programme, for administrators and the centre's
/// staff (the ministry's analysts work as administrators).
pub async fn programme_statistics(app: &App, user: &User) -> Result<ProgrammeStatistics> {
    require_role(user, &[Role::Admin, Role::Advisor]).map_err(|_| {
        Error::forbidden("事業の統計は、管理者とテレワーク相談センターの相談員だけが見られます")
    })?;
    let as_of = crate::today(app).await?;
    let raw = app.db.programme_counts().await?;
    let subsidy = assemble(&app.db.statistics(None).await?, true);
    Ok(ProgrammeStatistics {
        years: years(&raw, subsidy, fiscal_year_of(as_of)),
        as_of,
    })
}

/// Files the store's day groups under fiscal years, from the course's first
/// year (or the earliest recorded) to `current`.
fn years(
    raw: &josei_store::programme::ProgrammeCounts,
    subsidy: Vec<YearRow>,
    current: i16,
) -> Vec<ProgrammeYear> {
    let first = subsidy
        .iter()
        .map(|y| y.fiscal_year)
        .chain(raw.earliest().map(fiscal_year_of))
        .min()
        .unwrap_or(current)
        .min(current);
    let mut out: BTreeMap<i16, ProgrammeYear> =
        (first..=current).map(|fy| (fy, empty_year(fy))).collect();
    for y in subsidy {
        if let Some(row) = out.get_mut(&y.fiscal_year) {
            row.subsidy = y;
        }
    }
    let mut channels: BTreeMap<i16, BTreeMap<usize, (String, i64)>> = BTreeMap::new();
    let mut topics: BTreeMap<i16, BTreeMap<usize, (String, i64)>> = BTreeMap::new();
    for g in &raw.consultations {
        let fy = fiscal_year_of(g.day);
        let Some(row) = out.get_mut(&fy) else {
            continue;
        };
        row.consultations += g.count;
        let (order, label) = channel_of(&g.key);
        let e = channels
            .entry(fy)
            .or_default()
            .entry(order)
            .or_insert_with(|| (label, 0));
        e.1 += g.count;
    }
    for g in &raw.consultation_topics {
        let fy = fiscal_year_of(g.day);
        let (order, label) = topic_of(&g.key);
        let e = topics
            .entry(fy)
            .or_default()
            .entry(order)
            .or_insert_with(|| (label, 0));
        e.1 += g.count;
    }
    let add = |out: &mut BTreeMap<i16, ProgrammeYear>,
               groups: &[josei_store::programme::DayCount],
               field: fn(&mut ProgrammeYear) -> &mut i64| {
        for g in groups {
            if let Some(row) = out.get_mut(&fiscal_year_of(g.day)) {
                *field(row) += g.count;
            }
        }
    };
    add(&mut out, &raw.consulting_requests, |y| {
        &mut y.consulting_requests
    });
    add(&mut out, &raw.consulting_visits, |y| {
        &mut y.consulting_visits
    });
    add(&mut out, &raw.seminar_registrations, |y| {
        &mut y.seminar_registrations
    });
    add(&mut out, &raw.seminar_attendance, |y| {
        &mut y.seminar_attendance
    });
    add(&mut out, &raw.award_applications, |y| {
        &mut y.award_applications
    });
    for (fy, row) in out.iter_mut() {
        row.consultations_by_channel = channels
            .remove(fy)
            .map(|m| m.into_values().collect())
            .unwrap_or_default();
        row.consultations_by_topic = topics
            .remove(fy)
            .map(|m| m.into_values().collect())
            .unwrap_or_default();
    }
    out.into_values().collect()
}

/// A channel's place in the list and its name (an unknown value last, as
/// その他: a newer version's channel read by this one).
fn channel_of(key: &str) -> (usize, String) {
    match Channel::parse(key) {
        Some(c) => (
            Channel::ALL
                .iter()
                .position(|x| *x == c)
                .unwrap_or(usize::MAX),
            c.label().to_string(),
        ),
        None => (usize::MAX, "その他".to_string()),
    }
}

/// A topic's place in the list and its name.
fn topic_of(key: &str) -> (usize, String) {
    match Topic::parse(key) {
        Some(t) => (
            Topic::ALL
                .iter()
                .position(|x| *x == t)
                .unwrap_or(usize::MAX),
            t.label().to_string(),
        ),
        None => (usize::MAX, "その他".to_string()),
    }
}

fn empty_year(fy: i16) -> ProgrammeYear {
    let budget = |line| {
        programme_budgets()
            .iter()
            .find(|b| b.line == line && b.fiscal_year == fy)
            .cloned()
    };
    ProgrammeYear {
        fiscal_year: fy,
        label: fiscal_year_label(fy),
        consultations: 0,
        consultations_by_channel: Vec::new(),
        consultations_by_topic: Vec::new(),
        reported_consultations: reported()
            .iter()
            .find(|r| r.what == ReportedWhat::Consultations && r.fiscal_year == fy)
            .cloned(),
        consulting_requests: 0,
        consulting_visits: 0,
        seminar_registrations: 0,
        seminar_attendance: 0,
        award_applications: 0,
        subsidy: YearRow {
            fiscal_year: fy,
            label: fiscal_year_label(fy),
            ..YearRow::default()
        },
        programme_budget: budget(BudgetLine::Programme),
        one_stop_budget: budget(BudgetLine::OneStop),
        course_budget: budget_of(fy).cloned(),
    }
}

/// The CSV file's name: `テレワーク施策の統計_2026-11-22.csv`.
pub fn csv_file_name(s: &ProgrammeStatistics) -> String {
    format!("テレワーク施策の統計_{}.csv", s.as_of)
}

/// The CSV (and spreadsheet) headings.
pub const HEADER: [&str; 17] = [
    "年度",
    "相談件数（記録）",
    "相談件数（公表値）",
    "コンサルティング依頼",
    "コンサルティング訪問",
    "セミナー申込",
    "セミナー出席",
    "テレワーク賞応募",
    "計画の提出",
    "計画の認定",
    "支給申請",
    "支給決定",
    "支給決定額（円）",
    "コースの予算額（円）",
    "ワンストップ・サポート事業の予算額（円）",
    "施策全体の予算額（円）",
    "相談の内訳（経路別）",
];

/// The statistics as rows (headings first), one per fiscal year; unknown
/// budgets and unreported figures are empty cells.
pub fn csv_rows(s: &ProgrammeStatistics) -> Vec<Vec<String>> {
    let mut rows = vec![HEADER.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    let opt = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
    for y in &s.years {
        rows.push(vec![
            y.label.clone(),
            y.consultations.to_string(),
            opt(y.reported_consultations.as_ref().map(|r| r.count)),
            y.consulting_requests.to_string(),
            y.consulting_visits.to_string(),
            y.seminar_registrations.to_string(),
            y.seminar_attendance.to_string(),
            y.award_applications.to_string(),
            y.subsidy.plans_submitted.to_string(),
            y.subsidy.plans_certified.to_string(),
            y.applications().to_string(),
            (y.subsidy.equipment_granted + y.subsidy.goal_granted).to_string(),
            y.subsidy.decided_yen().to_string(),
            opt(y.course_budget.as_ref().map(|b| b.yen)),
            opt(y.one_stop_budget.as_ref().map(|b| b.yen)),
            opt(y.programme_budget.as_ref().map(|b| b.yen)),
            y.consultations_by_channel
                .iter()
                .map(|(l, n)| format!("{l} {n}"))
                .collect::<Vec<_>>()
                .join("／"),
        ]);
    }
    rows
}

// ---------------------------------------------------------------------------
// The public guide: the course per fiscal year.

/// One regime as the public guide tells it.
#[derive(Clone, Debug, Serialize)]
pub struct RegimeSummary {
    /// `令和4年度`.
    pub name: String,
    /// Which cases it covers, in words.
    pub covers: String,
    /// Whether a plan is certified first.
    pub with_plan: bool,
    /// (heading, text) lines: the subsidies, their amounts, the key periods.
    pub lines: Vec<(String, String)>,
    /// The course's budget that fiscal year, when known.
    pub budget_yen: Option<u64>,
    /// Whether some of its values rest on our interpretation or are
    /// unverified (the page then says so).
    pub uncertain: bool,
}

fn man(yen: u64) -> String {
    if yen.is_multiple_of(10_000) {
        format!("{}万円", yen / 10_000)
    } else {
        format!("{}円", josei_rules::model::Yen(yen))
    }
}

/// The course of `r`, in words for an employer.
pub fn regime_summary(r: &Regime) -> RegimeSummary {
    let p = &r.params;
    let from = josei_rules::wareki::format_wareki(r.applies_from);
    let to = josei_rules::wareki::format_wareki(r.applies_to);
    let covers = match r.kind {
        RegimeKind::Plan => format!("テレワーク実施計画を{from}から{to}までに提出した事業主"),
        RegimeKind::NoPlan => format!("評価期間が{from}から{to}までに始まる事業主"),
    };
    let mut lines = Vec::new();
    match &r.design {
        Design::Plan(d) => {
            lines.push((
                "進め方".to_string(),
                format!(
                    "テレワーク実施計画を労働局に提出して計画認定を受け、認定後{}か月以内に始まる評価期間（{}か月）にテレワークを実施します。",
                    d.evaluation_window_months, p.evaluation_period_months
                ),
            ));
            lines.push((
                "機器等導入助成".to_string(),
                format!(
                    "支給対象経費の{}%（上限は{}か、対象労働者1人当たり{}のいずれか低い額）",
                    d.equipment_rate_percent,
                    man(d.subsidy_cap_yen),
                    man(d.subsidy_cap_per_worker_yen)
                ),
            ));
            let premium = match p.premium_condition {
                PremiumCondition::Productivity => "生産性要件を満たした場合",
                PremiumCondition::Wage => "賃金要件を満たした場合",
                PremiumCondition::None => "",
            };
            let goal = if premium.is_empty() || d.goal_rate_premium_percent == d.goal_rate_percent {
                format!("支給対象経費の{}%", d.goal_rate_percent)
            } else {
                format!(
                    "支給対象経費の{}%（{premium}は{}%）",
                    d.goal_rate_percent, d.goal_rate_premium_percent
                )
            };
            lines.push(("目標達成助成".to_string(), goal));
        }
        Design::NoPlan(d) => {
            lines.push((
                "進め方".to_string(),
                format!(
                    "計画の認定は不要です。就業規則の整備などの取組を行い、評価期間（{}か月）にテレワークを実施します。",
                    p.evaluation_period_months
                ),
            ));
            lines.push((
                "制度導入助成".to_string(),
                format!("1企業当たり{}", man(d.equipment_amount_yen)),
            ));
            let goal = if d.goal_amount_premium_yen > d.goal_amount_yen {
                format!(
                    "1企業当たり{}（賃金要件を満たした場合は{}）",
                    man(d.goal_amount_yen),
                    man(d.goal_amount_premium_yen)
                )
            } else {
                format!("1企業当たり{}", man(d.goal_amount_yen))
            };
            lines.push(("目標達成助成".to_string(), goal));
        }
    }
    let first = match r.kind {
        RegimeKind::Plan => format!(
            "機器等導入助成は、評価期間の終了後、計画認定日から起算して{}か月以内",
            p.equipment_deadline_months
        ),
        RegimeKind::NoPlan => format!(
            "制度導入助成は、評価期間の末日の翌日から{}か月以内",
            p.equipment_deadline_months
        ),
    };
    lines.push((
        "支給申請の期限".to_string(),
        format!(
            "{first}。目標達成助成は、評価期間（目標達成助成）の末日の翌日から{}か月以内",
            p.goal_deadline_months
        ),
    ));
    lines.push((
        "目標達成助成の離職率".to_string(),
        format!(
            "評価時の離職率が、それ以前の離職率を上回らず、かつ{}%以下であること",
            p.turnover_max_percent
        ),
    ));
    RegimeSummary {
        name: r.name.clone(),
        covers,
        with_plan: r.kind == RegimeKind::Plan,
        lines,
        budget_yen: r.budget.as_ref().map(|b| b.yen),
        uncertain: r.interpretation_count() + r.unverified_count() > 0,
    }
}

/// Every regime in force, newest first, as the public guide tells them.
pub fn guide() -> Vec<RegimeSummary> {
    let set = josei_rules::regime::set();
    let mut out: Vec<RegimeSummary> = set.all().iter().map(regime_summary).collect();
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use josei_store::programme::{DayCount, ProgrammeCounts};

    #[test]
    fn programme_data_parses_with_the_seed_figures() {
        let f = parse_programme(PROGRAMME_TOML).unwrap();
        let yen = |line, fy| {
            f.budget
                .iter()
                .find(|b| b.line == line && b.fiscal_year == fy)
                .map(|b| b.yen)
        };
        assert_eq!(yen(BudgetLine::Programme, 2023), Some(558_191_000));
        assert_eq!(yen(BudgetLine::Programme, 2022), Some(1_938_632_000));
        assert_eq!(yen(BudgetLine::OneStop, 2023), Some(120_000_000));
        assert_eq!(yen(BudgetLine::OneStop, 2022), Some(130_000_000));
        assert_eq!(f.reported[0].count, 21_110);
        assert_eq!(f.reported[0].fiscal_year, 2022);
        // Every figure's quote holds its number as the document writes it.
        for b in &f.budget {
            assert_eq!(b.grade, Grade::Seed);
            assert!(!b.reference.is_empty());
        }
        assert!(parse_programme("[[budget]]\nline = \"x\"").is_err());
        let twice = format!(
            "{PROGRAMME_TOML}\n[[budget]]\nline = \"programme\"\nfiscal_year = 2023\nyen = 1\ngrade = \"seed\"\nsource = \"s\"\nquote = \"q\"\n"
        );
        assert!(parse_programme(&twice).unwrap_err().contains("twice"));
    }

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn group(d: &str, key: &str, count: i64) -> DayCount {
        DayCount {
            day: day(d),
            key: key.into(),
            count,
        }
    }

    #[test]
    fn groups_are_filed_under_fiscal_years_april_to_march() {
        let raw = ProgrammeCounts {
            consultations: vec![
                group("2022-04-01", "phone", 2),
                group("2023-03-31", "counter", 1),
                group("2023-04-01", "phone", 5),
            ],
            consultation_topics: vec![group("2022-05-01", "subsidy", 3)],
            seminar_registrations: vec![group("2023-03-31", "", 7)],
            ..ProgrammeCounts::default()
        };
        let y = years(&raw, Vec::new(), 2024);
        assert_eq!(
            y.iter().map(|y| y.fiscal_year).collect::<Vec<_>>(),
            vec![2022, 2023, 2024]
        );
        assert_eq!(y[0].consultations, 3);
        assert_eq!(
            y[0].consultations_by_channel,
            vec![("窓口".to_string(), 1), ("電話".to_string(), 2)]
        );
        assert_eq!(y[0].consultations_by_topic, vec![("助成金".to_string(), 3)]);
        assert_eq!(y[0].seminar_registrations, 7);
        assert_eq!(y[1].consultations, 5);
        assert_eq!(
            y[0].reported_consultations.as_ref().map(|r| r.count),
            Some(21_110)
        );
        assert_eq!(
            y[1].programme_budget.as_ref().map(|b| b.yen),
            Some(558_191_000)
        );
        assert_eq!(
            y[1].course_budget.as_ref().map(|b| b.yen),
            Some(420_000_000)
        );
        let rows = csv_rows(&ProgrammeStatistics {
            years: y,
            as_of: day("2024-05-01"),
        });
        assert_eq!(rows[0].len(), HEADER.len());
        assert!(rows.iter().all(|r| r.len() == HEADER.len()));
        assert_eq!(rows[1][0], "令和4年度");
        assert_eq!(rows[1][2], "21110");
        assert_eq!(rows[2][15], "558191000");
        assert_eq!(rows[3][15], "", "no figure is known for 令和6年度");
    }

    #[test]
    fn the_guide_tells_each_year_in_words() {
        let g = guide();
        assert!(g.len() >= 6);
        let r4 = g.iter().find(|r| r.name == "令和4年度").unwrap();
        assert!(r4.with_plan);
        let text: String = r4.lines.iter().map(|(h, t)| format!("{h}{t}")).collect();
        assert!(text.contains("支給対象経費の30%"), "{text}");
        assert!(text.contains("100万円"), "{text}");
        assert!(text.contains("20万円"), "{text}");
        let r7 = g.iter().find(|r| r.name.starts_with("令和7年度")).unwrap();
        assert!(!r7.with_plan);
        let text: String = r7.lines.iter().map(|(h, t)| format!("{h}{t}")).collect();
        assert!(text.contains("制度導入助成"), "{text}");
        assert!(text.contains("計画の認定は不要"), "{text}");
        // No internal word reaches the page.
        for r in &g {
            for (h, t) in &r.lines {
                assert!(!format!("{h}{t}").is_ascii(), "{h}{t}");
                assert!(!t.contains("seed") && !t.contains("R4"), "{t}");
            }
        }
    }
}
