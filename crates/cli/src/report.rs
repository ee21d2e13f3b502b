//! Readable Japanese reports for a person: `--format text`.

use jiff::civil::Date;
use josei_rules::civil::Period;
use josei_rules::evaluate::{Check, CheckStatus, Evaluation, SubsidyStatus};
use josei_rules::regime::Regime;
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
        "制度: {}（{}）  評価日: {}",
        e.regime,
        parsed.regime.name,
        format_iso_and_wareki(e.as_of)
    );
    r.push('\n');

    let eq = &e.equipment_subsidy;
    let _ = writeln!(
        r,
        "■ 機器等導入助成: {}  {}",
        eq.status.label_ja(),
        eq.amount_yen
    );
    let _ = writeln!(
        r,
        "  支給対象経費 {} × {}％（上限 {}）",
        eq.base_yen, eq.rate_percent, eq.cap_yen
    );
    let goal = &e.goal_subsidy;
    let _ = writeln!(
        r,
        "■ 目標達成助成: {}  {}",
        goal.status.label_ja(),
        goal.amount_yen
    );
    let premium = if e.productivity.met {
        "（生産性要件を満たすため割増）"
    } else {
        ""
    };
    let _ = writeln!(
        r,
        "  支給対象経費 {} × {}％{premium}（上限 {}）",
        goal.base_yen, goal.rate_percent, goal.cap_yen
    );
    if eq.status != SubsidyStatus::Payable || goal.status != SubsidyStatus::Payable {
        let _ = writeln!(
            r,
            "  ※ 金額は、要件をすべて満たした場合に経費から計算される額です"
        );
    }
    r.push('\n');

    r.push_str(&schedule_section(&e.schedule));
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
    let _ = writeln!(r, "  計画時: {}", rate(&e.turnover.plan));
    let _ = writeln!(r, "  評価時: {}", rate(&e.turnover.evaluation));
    if let (Some(n), Some(req)) = (goal.teleworkers, goal.required_teleworkers) {
        let _ = writeln!(
            r,
            "  目標期間にテレワークをした労働者: {n}人（必要: {}人 = {:.2}人）",
            req.to_fraction_string(),
            req.to_f64()
        );
    }
    r.push('\n');

    checks_section(&mut r, "■ 要件の確認（機器等導入助成）", &eq.checks);
    checks_section(&mut r, "■ 要件の確認（目標達成助成）", &goal.checks);

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
            "  - 機器等導入助成は要件を満たしていません（上の × の項目）。内容に誤りがあれば修正して再評価してください"
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

    if !e.notices.is_empty() {
        r.push('\n');
        let _ = writeln!(r, "■ 注意");
        for n in &e.notices {
            match &n.field {
                Some(f) => {
                    let _ = writeln!(r, "  - {f}: {}", n.message);
                }
                None => {
                    let _ = writeln!(r, "  - {}", n.message);
                }
            }
        }
    }
    r
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
            let _ = writeln!(r, "      根拠: {}（{}）", c.citation, c.id);
        }
    }
    r.push('\n');
}

/// Every period and deadline, with ISO and 和暦 dates.
pub fn schedule_report(regime: &Regime, s: &Schedule) -> String {
    let mut r = String::new();
    let _ = writeln!(r, "制度: {}（{}）", regime.id, regime.name);
    r.push_str(&schedule_section(s));
    r
}

fn schedule_section(s: &Schedule) -> String {
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
    r.push_str(&period(
        "評価期間（機器等導入助成）",
        &s.evaluation_period,
        "評価期間の初日が必要",
    ));
    r.push_str(&deadline(
        "機器等導入助成の申請期限",
        &s.equipment_application_deadline,
        "計画認定日が必要",
    ));
    r.push_str(&period(
        "評価時離職率の期間",
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
