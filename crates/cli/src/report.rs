//! Readable Japanese reports for a person: `--format text`.

use jiff::civil::Date;
use josei_rules::civil::Period;
use josei_rules::evaluate::{Check, CheckStatus, Evaluation, SubsidyStatus};
use josei_rules::regime::{Figure, PremiumCondition, Regime, RegimeKind, RegimeSet};
use josei_rules::schedule::{Deadline, Schedule};
use josei_rules::wareki::format_iso_and_wareki;
use josei_rules::ParsedCase;
use std::fmt::Write;

/// The evaluation of one case, for the employer, their 社労士 or an officer.
pub fn evaluation_report(parsed: &ParsedCase, e: &Evaluation) -> String {
    let mut r = String::new();
    let case = &parsed.case;
    let name = if case.employer.name.is_empty() {
        "（事業主名なし）"
    } else {
        &case.employer.name
    };
    let _ = writeln!(r, "人材確保等支援助成金（テレワークコース） 判定レポート");
    let _ = writeln!(r, "事業主: {name}");
    let _ = writeln!(
        r,
        "制度: {}の制度（{}）  評価日: {}",
        parsed.regime.name,
        match parsed.regime.kind {
            RegimeKind::Plan => "計画認定あり・経費に応じた助成",
            RegimeKind::NoPlan => "計画認定なし・定額の助成",
        },
        format_iso_and_wareki(e.as_of)
    );
    assumptions_line(&mut r, e, Figure::Regime);
    r.push('\n');

    let eq = &e.equipment_subsidy;
    let goal = &e.goal_subsidy;
    let _ = writeln!(
        r,
        "■ {}: {}  {}",
        eq.name,
        eq.status.label_ja(),
        eq.amount_yen
    );
    match (eq.base_yen, eq.rate_percent) {
        (Some(base), Some(rate)) => {
            let _ = writeln!(r, "  支給対象経費 {base} × {rate}％（上限 {}）", eq.cap_yen);
        }
        _ => {
            let _ = writeln!(r, "  定額 {}", eq.amount_yen);
        }
    }
    let _ = writeln!(
        r,
        "■ {}: {}  {}",
        goal.name,
        goal.status.label_ja(),
        goal.amount_yen
    );
    let premium = match (
        parsed.regime.params.premium_condition,
        e.productivity.met,
        e.wage_increase.is_some_and(|w| w.met),
    ) {
        (PremiumCondition::Productivity, true, _) => "（生産性要件を満たすため割増）",
        (PremiumCondition::Wage, _, true) => "（賃金要件を満たすため割増）",
        _ => "",
    };
    match (goal.base_yen, goal.rate_percent) {
        (Some(base), Some(rate)) => {
            let _ = writeln!(
                r,
                "  支給対象経費 {base} × {rate}％{premium}（上限 {}）",
                goal.cap_yen
            );
        }
        _ => {
            let _ = writeln!(r, "  定額 {}{premium}", goal.amount_yen);
        }
    }
    if eq.status != SubsidyStatus::Payable || goal.status != SubsidyStatus::Payable {
        let _ = writeln!(r, "  ※ 金額は、要件をすべて満たした場合の額です");
    }
    assumptions_line(&mut r, e, Figure::Amounts);
    r.push('\n');

    r.push_str(&schedule_section(parsed.regime, &e.schedule));
    assumptions_line(&mut r, e, Figure::Schedule);
    r.push('\n');

    let _ = writeln!(r, "■ 中小企業の判定");
    let yes_no = |b: bool| if b { "満たす" } else { "満たさない" };
    let _ = writeln!(
        r,
        "  {}（資本金等: {}、常時雇用する労働者数: {}）",
        if e.sme.result {
            "中小企業に該当"
        } else {
            "中小企業に該当しない"
        },
        e.sme
            .capital_test
            .map_or("資本金なし（労働者数のみで判定）", yes_no),
        yes_no(e.sme.employee_test)
    );
    assumptions_line(&mut r, e, Figure::Employer);
    r.push('\n');

    if let Some(t) = &e.telework {
        let _ = writeln!(r, "■ テレワーク実績（評価期間 {}日）", t.period_days);
        let _ = writeln!(
            r,
            "  対象労働者 {}人中 {}人が実施、延べ {}日",
            t.target_workers, t.workers_with_telework, t.telework_days
        );
        let _ = writeln!(
            r,
            "  ①全員が1回以上: {}  ②週平均1回以上: {}",
            yes_no(t.all_workers_once),
            yes_no(t.weekly_average_met)
        );
        if let (Some(met), before) = (t.growth_met, t.before_count) {
            let _ = writeln!(
                r,
                "  拡大前3か月からの増加: {}（拡大前 {}）",
                yes_no(met),
                before.map_or("未入力".to_string(), |b| format!("延べ {b}回"))
            );
        }
        assumptions_line(&mut r, e, Figure::Telework);
        r.push('\n');
    }

    if !e.expenses.items.is_empty() {
        let _ = writeln!(r, "■ 経費");
        for (item, expense) in e.expenses.items.iter().zip(&case.expenses) {
            let verdict = match item.reason {
                None => "対象".to_string(),
                Some(reason) => format!("対象外: {}", reason.label_ja()),
            };
            let _ = writeln!(
                r,
                "  {} {} {}  {}  {}",
                item.id,
                expense.category.label_ja(),
                expense.description.as_deref().unwrap_or(""),
                expense.amount_yen,
                verdict
            );
        }
        let _ = writeln!(r, "  区分ごとの上限:");
        for c in &e.expenses.categories {
            let _ = writeln!(
                r,
                "    {}: 申請 {} / 上限 {} → 対象 {}",
                c.category.label_ja(),
                c.claimed_yen,
                c.cap_yen,
                c.eligible_yen
            );
        }
        let _ = writeln!(r, "  支給対象経費の合計: {}", e.expenses.eligible_total_yen);
        if parsed.regime.kind == RegimeKind::NoPlan {
            let _ = writeln!(
                r,
                "  ※ {}の制度では助成額は定額で、経費の額は支給額に影響しません",
                parsed.regime.name
            );
        }
        assumptions_line(&mut r, e, Figure::Expenses);
        r.push('\n');
    }

    let _ = writeln!(r, "■ 離職率");
    let rate = |t: &Option<josei_rules::evaluate::TurnoverRate>| match t {
        None => "未計算".to_string(),
        Some(t) => match t.rate {
            Some(p) => format!(
                "{:.2}％（期間初日の労働者 {}人、離職者 {}人）",
                p.percent_hundredths_half_up() as f64 / 100.0,
                t.headcount,
                t.separations
            ),
            None => "計算不能（期間初日の労働者 0人）".to_string(),
        },
    };
    let (before, after) = match parsed.regime.kind {
        RegimeKind::Plan => ("計画時", "評価時"),
        RegimeKind::NoPlan => ("制度導入前", "制度導入後"),
    };
    let _ = writeln!(r, "  {before}: {}", rate(&e.turnover.plan));
    let _ = writeln!(r, "  {after}: {}", rate(&e.turnover.evaluation));
    if let (Some(n), Some(req)) = (goal.teleworkers, goal.required_teleworkers) {
        match parsed.regime.kind {
            RegimeKind::Plan => {
                let _ = writeln!(
                    r,
                    "  目標期間にテレワークをした労働者: {n}人（必要: {}人 = {:.2}人）",
                    req.to_fraction_string(),
                    req.to_f64()
                );
            }
            RegimeKind::NoPlan => {
                let _ = writeln!(
                    r,
                    "  目標期間の延べテレワーク: {n}回（評価期間（制度導入助成）の延べ {}回以上が必要）",
                    req.to_fraction_string()
                );
            }
        }
    }
    assumptions_line(&mut r, e, Figure::Turnover);
    r.push('\n');

    checks_section(&mut r, &format!("■ 要件の確認（{}）", eq.name), &eq.checks);
    checks_section(
        &mut r,
        &format!("■ 要件の確認（{}）", goal.name),
        &goal.checks,
    );

    let _ = writeln!(r, "■ 次にすること");
    let pending: Vec<&Check> = eq
        .checks
        .iter()
        .chain(&goal.checks)
        .filter(|c| c.status == CheckStatus::Pending)
        .collect();
    if eq.status == SubsidyStatus::NotPayable {
        let _ = writeln!(
            r,
            "  - {}は要件を満たしていません（上の × の項目）。内容に誤りがあれば修正して再評価してください",
            eq.name
        );
    } else if goal.status == SubsidyStatus::NotPayable {
        let _ = writeln!(
            r,
            "  - 目標達成助成は要件を満たしていません（上の × の項目）"
        );
    }
    // The equipment subsidy's steps first, then the goal subsidy's.
    for c in pending.iter().take(6) {
        let _ = writeln!(r, "  - {}", c.message);
    }
    if pending.is_empty()
        && eq.status == SubsidyStatus::Payable
        && goal.status == SubsidyStatus::Payable
    {
        let _ = writeln!(
            r,
            "  - 両方の助成の要件を満たしています。支給決定の通知を確認してください"
        );
    }

    let notes: Vec<String> = e
        .notices
        .iter()
        .chain(&e.cautions)
        .map(|n| n.message.to_string())
        .chain(
            e.warnings
                .iter()
                .map(|w| format!("{}: {}", w.field, w.message)),
        )
        .collect();
    if !notes.is_empty() {
        r.push('\n');
        let _ = writeln!(r, "■ 注意");
        for n in notes {
            let _ = writeln!(r, "  - {n}");
        }
    }
    if !e.assumptions.is_empty() {
        r.push('\n');
        let _ = writeln!(
            r,
            "■ 未確認の前提（公式の支給要領で確認できていない値・josei の解釈）"
        );
        for a in &e.assumptions {
            let _ = writeln!(r, "  - {}（{}）", a.label, a.grade.label_ja());
        }
    }
    r
}

/// 「未確認の前提」 next to the figures they affect: one line naming them.
fn assumptions_line(r: &mut String, e: &Evaluation, figure: Figure) {
    let mut labels: Vec<&str> = e
        .assumptions
        .iter()
        .filter(|a| a.affects == figure)
        .map(|a| a.label)
        .collect();
    labels.dedup();
    if !labels.is_empty() {
        let _ = writeln!(r, "  未確認の前提: {}", labels.join("、"));
    }
}

fn checks_section(r: &mut String, title: &str, checks: &[Check]) {
    let _ = writeln!(r, "{title}");
    for c in checks {
        let mark = match c.status {
            CheckStatus::Pass => "○",
            CheckStatus::Fail => "×",
            CheckStatus::Pending => "…",
        };
        let _ = writeln!(r, "  {mark} {}", c.message);
        if c.status != CheckStatus::Pass {
            let _ = writeln!(r, "      根拠: {}", c.citation);
        }
    }
    r.push('\n');
}

/// Every period and deadline, with ISO and 和暦 dates.
pub fn schedule_report(regime: &Regime, s: &Schedule) -> String {
    let mut r = String::new();
    let _ = writeln!(r, "制度: {}の制度（{}）", regime.name, regime.coverage_ja());
    r.push_str(&schedule_section(regime, s));
    r
}

fn schedule_section(regime: &Regime, s: &Schedule) -> String {
    let mut r = String::new();
    let _ = writeln!(r, "■ 日程");
    let period = |label: &str, p: &Option<Period>, missing: &str| match p {
        Some(p) => format!(
            "  {label}: {} 〜 {}\n",
            format_iso_and_wareki(p.from()),
            format_iso_and_wareki(p.to())
        ),
        None => format!("  {label}: 未定（{missing}）\n"),
    };
    let deadline = |label: &str, d: &Option<Deadline>, missing: &str| match d {
        Some(d) => {
            let mut line = format!("  {label}: {}", format_iso_and_wareki(d.effective));
            if let Some(why) = d.moved_because() {
                let _ = write!(
                    line,
                    "（本来の期限 {} が{why}のため延長）",
                    fmt_date(d.nominal)
                );
            }
            line.push('\n');
            line
        }
        None => format!("  {label}: 未定（{missing}）\n"),
    };
    let no_plan = regime.kind == RegimeKind::NoPlan;
    let first = if no_plan {
        "制度導入助成"
    } else {
        "機器等導入助成"
    };
    if no_plan {
        r.push_str(&period(
            "制度導入前の離職率の期間",
            &s.plan_turnover_period,
            "評価期間の初日が必要",
        ));
        r.push_str(&period(
            "取組（職場風土作り・就業規則・研修など）の期間",
            &s.measures_window,
            "評価期間の初日が必要",
        ));
    } else {
        r.push_str(&period(
            "計画時離職率の期間",
            &s.plan_turnover_period,
            "計画提出日が必要",
        ));
        r.push_str(&period(
            "評価期間を設定できる期間",
            &s.evaluation_window,
            "計画認定日が必要",
        ));
    }
    r.push_str(&period(
        &format!("評価期間（{first}）"),
        &s.evaluation_period,
        "評価期間の初日が必要",
    ));
    r.push_str(&deadline(
        &format!("{first}の申請期限"),
        &s.equipment_application_deadline,
        if no_plan {
            "評価期間の初日が必要"
        } else {
            "計画認定日が必要"
        },
    ));
    r.push_str(&period(
        if no_plan {
            "制度導入後の離職率の期間"
        } else {
            "評価時離職率の期間"
        },
        &s.evaluation_turnover_period,
        "評価期間の初日が必要",
    ));
    r.push_str(&period(
        "評価期間（目標達成助成）",
        &s.goal_evaluation_period,
        "評価期間の初日が必要",
    ));
    r.push_str(&deadline(
        "目標達成助成の申請期限",
        &s.goal_application_deadline,
        "評価期間の初日が必要",
    ));
    r
}

fn fmt_date(d: Date) -> String {
    format_iso_and_wareki(d)
}

/// The regimes in force, for `josei regimes`.
pub fn regimes_report(set: &RegimeSet) -> String {
    let mut r = String::new();
    let _ = writeln!(r, "人材確保等支援助成金（テレワークコース） 制度の一覧");
    match set.overlay() {
        Some(o) => {
            let _ = writeln!(
                r,
                "訂正ファイル: あり（SHA-256 {}、訂正した値: {}）",
                o.sha256,
                o.changed.join(", ")
            );
        }
        None => {
            let _ = writeln!(r, "訂正ファイル: なし（組み込みの値）");
        }
    }
    r.push('\n');
    for g in set.all() {
        let _ = writeln!(
            r,
            "{:<4} {}  {}  {}",
            g.id,
            g.name,
            g.coverage_ja(),
            match g.kind {
                RegimeKind::Plan => "計画認定あり",
                RegimeKind::NoPlan => "計画認定なし",
            }
        );
        let premium = match g.params.premium_condition {
            PremiumCondition::Productivity => "生産性要件",
            PremiumCondition::Wage => "賃金要件",
            PremiumCondition::None => "なし",
        };
        match (g.plan(), g.no_plan()) {
            (Some(p), _) => {
                let _ = writeln!(
                    r,
                    "     機器等導入助成 {}％ / 目標達成助成 {}％〈{}％: {premium}〉 上限 {}または{}×対象労働者数",
                    p.equipment_rate_percent,
                    p.goal_rate_percent,
                    p.goal_rate_premium_percent,
                    josei_rules::model::Yen(p.subsidy_cap_yen),
                    josei_rules::model::Yen(p.subsidy_cap_per_worker_yen)
                );
            }
            (None, Some(n)) => {
                let _ = writeln!(
                    r,
                    "     制度導入助成 {} / 目標達成助成 {}〈{}: {premium}〉 取組は評価期間の前{}か月",
                    josei_rules::model::Yen(n.equipment_amount_yen),
                    josei_rules::model::Yen(n.goal_amount_yen),
                    josei_rules::model::Yen(n.goal_amount_premium_yen),
                    n.measures_window_months
                );
            }
            (None, None) => {}
        }
        let p = &g.params;
        let yes = |b: bool| if b { "対象" } else { "対象外" };
        let _ =
            writeln!(
            r,
            "     試行導入の事業主: {} / 実施拡大事業主: {} / 職場風土作り: {} / PC等のリース: {}",
            yes(p.trial_eligible),
            yes(p.expanding_eligible),
            if p.workplace_climate_required || g.kind == RegimeKind::NoPlan {
                "必須"
            } else {
                "不要"
            },
            yes(g.category(josei_rules::model::ExpenseCategory::PcRentalLease).eligible())
        );
        let _ = writeln!(
            r,
            "     予算: {}  未確認の値: {}  解釈による値: {}",
            g.budget.as_ref().map_or("—（不明）".to_string(), |b| {
                format!(
                    "{}（{}）",
                    josei_rules::model::Yen(b.yen),
                    b.provenance.grade.label_ja()
                )
            }),
            g.unverified_count(),
            g.interpretation_count()
        );
    }
    r
}

/// The regimes in force as JSON: every value with its grade and source.
pub fn regimes_json(set: &RegimeSet) -> serde_json::Value {
    use josei_rules::regime::ParamId;
    serde_json::json!({
        "overlay": set.overlay().map(|o| serde_json::json!({"sha256": o.sha256, "changed": o.changed})),
        "regimes": set.all().iter().map(|g| serde_json::json!({
            "id": g.id,
            "name": g.name,
            "kind": g.kind,
            "applies_from": g.applies_from,
            "applies_to": g.applies_to,
            "source": g.source,
            "budget_yen": g.budget.as_ref().map(|b| b.yen),
            "unverified": g.unverified_count(),
            "interpretations": g.interpretation_count(),
            "params": g.params,
            "grades": ParamId::ALL.iter().map(|p| {
                let pr = g.provenance(*p);
                (p.name().to_string(), serde_json::json!({"grade": pr.grade, "source": pr.source, "note": pr.note, "stated_in": pr.stated_in}))
            }).collect::<serde_json::Map<_, _>>(),
        })).collect::<Vec<_>>(),
    })
}
