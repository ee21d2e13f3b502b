//! The bureau's review of a case (`/cases/{id}` for officers and
//! administrators): everything an officer certifies, in view on one page —
//! a header with the received day, the regime, the next deadline and a
//! one-line summary of the checks; the decisions; the failing and pending
//! checks first; the employer; the target workers; every expense item with
//! its dates, receipts and eligibility; the telework of each period per
//! worker; the roster with the turnover of both periods; the regime and its
//! 未確認の前提; the documents of each filing; the 連絡 thread; the audit
//! trail in words.

use super::cases::{
    assumptions_block, done_message, notices_section, per_worker_days, schedule_table, size_text,
    telework_chart, CasePage, Flash,
};
use super::*;
use crate::AppState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use josei_app::documents::{self, DocItem, Filing};
use josei_app::printout::{telework_by_worker, worker_name};
use josei_rules::civil::{parse_iso_date, Period};
use josei_rules::evaluate::{Check, CheckId, Evaluation};
use josei_rules::model::{ExpenseCategory, LeaveReason, Place};
use josei_rules::regime::RegimeKind;
use josei_store::workflow::Procedure;
use josei_store::{Attachment, AuditEntry, Status};
use maud::{html, Markup};
use serde_json::Value;

/// The sections of the page, in order: anchor and heading.
const SECTIONS: [(&str, &str); 12] = [
    ("decisions", "判定"),
    ("checks", "要件の確認"),
    ("employer", "事業主"),
    ("workers", "対象労働者"),
    ("expenses", "経費"),
    ("telework", "テレワーク実績"),
    ("roster", "労働者名簿と離職率"),
    ("regime", "制度と前提"),
    ("documents", "書類"),
    ("messages", "連絡"),
    ("audit", "操作の記録"),
    ("print", "印刷用"),
];

/// A date of the document (ISO text) in the Japanese era; absent: a dash.
fn wa_text(v: &Value) -> String {
    v.as_str()
        .and_then(|s| parse_iso_date(s).ok())
        .map_or_else(|| "—".to_string(), josei_rules::wareki::format_wareki)
}

/// The day the bureau received the case's latest filing (計画の提出,
/// 支給申請): the day the audit log recorded for the step, else the dates
/// of the document.
pub(crate) fn received_on(audit: &[AuditEntry], doc: &Value) -> Option<jiff::civil::Date> {
    let filings = ["case.submit_plan", "case.file_equipment", "case.file_goal"];
    let logged = audit
        .iter()
        .rev()
        .filter(|a| filings.contains(&a.action.as_str()))
        .find_map(|a| {
            let after = a.after.as_ref()?;
            [
                "on",
                "submitted_on",
                "equipment_application_filed_on",
                "goal_application_filed_on",
            ]
            .iter()
            .find_map(|k| after.get(*k)?.as_str().and_then(|s| parse_iso_date(s).ok()))
            .or_else(|| {
                a.at.parse::<jiff::Timestamp>().ok().map(|t| {
                    t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
                        .date()
                })
            })
        });
    logged.or_else(|| {
        [
            "/goal_application_filed_on",
            "/equipment_application_filed_on",
            "/plan/submitted_on",
        ]
        .iter()
        .find_map(|p| {
            doc.pointer(p)?
                .as_str()
                .and_then(|s| parse_iso_date(s).ok())
        })
    })
}

/// 「要件 15件中 不適合 2件・確認中 1件」.
pub(crate) fn checks_summary(checks: &[Check]) -> String {
    use josei_rules::evaluate::CheckStatus as S;
    let n = |s: S| checks.iter().filter(|c| c.status == s).count();
    let (fail, pending) = (n(S::Fail), n(S::Pending));
    if fail == 0 && pending == 0 {
        format!("要件 {}件すべて適合", checks.len())
    } else {
        format!(
            "要件 {}件中 不適合 {fail}件・確認中 {pending}件",
            checks.len()
        )
    }
}

/// The checks that need the officer's eyes (不適合, then 確認中), and the rest.
fn split_checks(checks: &[Check]) -> (Vec<&Check>, Vec<&Check>) {
    use josei_rules::evaluate::CheckStatus as S;
    let mut open: Vec<&Check> = checks.iter().filter(|c| c.status != S::Pass).collect();
    open.sort_by_key(|c| if c.status == S::Fail { 0 } else { 1 });
    let passed = checks.iter().filter(|c| c.status == S::Pass).collect();
    (open, passed)
}

fn checks_rows(caption: &str, checks: &[&Check]) -> Markup {
    html! {
        div.table-wrap { table.stack.checks {
            caption { (caption) }
            thead { tr { th scope="col" { "結果" } th scope="col" { "内容" } th scope="col" { "根拠" } } }
            tbody { @for c in checks {
                @let (mark, class, label) = check_mark(c.status);
                tr class=(class) { td class={ (class) " nowrap" } data-label="結果" { (mark) " " (label) } td data-label="内容" { (c.message) } td.citation data-label="根拠" { (c.citation) } }
            } }
        } }
    }
}

/// One subsidy's checks: the open ones first, the passing ones folded.
fn subsidy_checks(name: &str, checks: &[Check]) -> Markup {
    let (open, passed) = split_checks(checks);
    html! {
        h3 { (name) "：" (checks_summary(checks)) }
        @if open.is_empty() {
            p.ok { "不適合・確認中の要件はありません。" }
        } @else {
            (checks_rows(&format!("{name}の不適合・確認中の要件"), &open))
        }
        @if !passed.is_empty() {
            details.passed-checks {
                summary { "適合している要件（" (passed.len()) "件）" }
                (checks_rows(&format!("{name}の適合している要件"), &passed))
            }
        }
    }
}

/// A leaving reason in words.
fn leave_reason_label(v: &Value) -> &'static str {
    match v.as_str().and_then(LeaveReason::parse) {
        Some(LeaveReason::Voluntary) => "自己都合",
        Some(LeaveReason::Dismissal) => "解雇",
        Some(LeaveReason::SeriousMisconductDismissal) => "重責解雇",
        Some(LeaveReason::MandatoryRetirement) => "定年退職",
        Some(LeaveReason::PromotedToOfficer) => "役員昇格",
        Some(LeaveReason::ContractEnd) => "契約期間満了",
        Some(LeaveReason::Other) => "その他",
        None => "—",
    }
}

/// A place of work in words.
fn place_label(p: Place) -> &'static str {
    match p {
        Place::Home => "自宅",
        Place::SatelliteOffice => "サテライトオフィス",
        Place::Mobile => "モバイル勤務",
        Place::Office => "事業所",
    }
}

/// The employer (`employer` of the case document).
fn employer_section(doc: &Value, e: Option<&Evaluation>) -> Markup {
    let employer = &doc["employer"];
    let text = |k: &str| {
        employer[k]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let yes_no = |k: &str| match employer[k].as_bool() {
        Some(true) => "はい",
        Some(false) => "いいえ",
        None => "—",
    };
    html! {
        div.table-wrap { table.kv {
            caption { "事業主の情報" }
            tbody {
                tr { th scope="row" { "事業主名" } td { (text("name").unwrap_or_else(|| "—".into())) } }
                @for (key, label, _) in josei_app::printout::APPLICANT_FIELDS {
                    tr { th scope="row" { (label) } td { (text(key).unwrap_or_else(|| "（未入力）".into())) } }
                }
                tr { th scope="row" { "業種" } td { (super::print::industry_label(&employer["industry"])) } }
                tr { th scope="row" { "資本金" } td { @match employer["capital_yen"].as_u64() { Some(n) => { (yen(n)) } None => { "なし" } } } }
                tr { th scope="row" { "常時雇用する労働者数" } td { @match employer["regular_employees"].as_u64() { Some(n) => { (n) "人" } None => { "—" } } } }
                tr { th scope="row" { "中小企業事業主" } td {
                    @match e.map(|e| e.sme) {
                        Some(s) => {
                            @if s.result { span.ok { "該当" } } @else { span.ng { "該当しない" } }
                            "（資本金："
                            (match s.capital_test { Some(true) => "基準以下", Some(false) => "基準超", None => "資本金なし" })
                            "、労働者数："
                            (if s.employee_test { "基準以下" } else { "基準超" })
                            "）"
                        }
                        None => { "—" }
                    }
                } }
                tr { th scope="row" { "テレワークの実施状況" } td { (super::audit::telework_status_label(employer["telework_status"].as_str().unwrap_or(""))) } }
                tr { th scope="row" { "雇用保険の適用事業主" } td { (yes_no("employment_insurance")) } }
                tr { th scope="row" { "就業規則等にテレワークの規定がある（計画時）" } td { (yes_no("work_rules_have_telework")) } }
                tr { th scope="row" { "テレワークの助成金を受けたことがある" } td { (yes_no("received_telework_subsidy")) } }
            }
        } }
    }
}

/// 対象労働者: name, 社員番号, employment.
fn workers_section(doc: &Value) -> Markup {
    let workers = doc["plan"]["target_workers"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let text = |w: &Value, k: &str| w[k].as_str().filter(|s| !s.is_empty()).map(str::to_string);
    html! {
        @if workers.is_empty() { p { "対象労働者はまだ登録されていません。" } }
        @else {
            div.table-wrap { table {
                caption { "対象労働者（" (workers.len()) "人）" }
                thead { tr { th.num scope="col" { "No." } th scope="col" { "氏名" } th scope="col" { "社員番号" } th scope="col" { "雇用形態" } } }
                tbody { @for (i, w) in workers.iter().enumerate() {
                    tr {
                        td.num { (i + 1) }
                        td { (text(w, "name").unwrap_or_else(|| worker_name(w))) }
                        td { (text(w, "employee_number").unwrap_or_else(|| "—".into())) }
                        td { @if w["employment"] == "dispatched" { "派遣労働者" } @else { "直接雇用" } }
                    }
                } }
            } }
        }
    }
}

/// Every expense item with its dates, its receipts and whether it counts.
fn expenses_section(
    id: CaseId,
    doc: &Value,
    e: Option<&Evaluation>,
    files: &[Attachment],
) -> Markup {
    let items = doc["expenses"].as_array().map_or(&[][..], Vec::as_slice);
    let result = |x: &Value| {
        e?.expenses
            .items
            .iter()
            .find(|r| Some(r.id.as_str()) == x["id"].as_str())
    };
    let amount = |x: &Value| x["amount_yen"].as_u64().unwrap_or(0);
    let total: u64 = items.iter().map(amount).sum();
    let paid: u64 = items
        .iter()
        .filter(|x| x["paid_on"].is_string())
        .map(amount)
        .sum();
    html! {
        @if items.is_empty() { p { "経費はまだ入力されていません。" } }
        @else {
            div.table-wrap { table.stack.expenses-review {
                caption { "経費の明細（" (items.len()) "件）" }
                thead { tr {
                    th.num scope="col" { "No." } th scope="col" { "区分・内容" } th.num scope="col" { "金額" }
                    th scope="col" { "支払" } th scope="col" { "納品日" } th scope="col" { "支払日" }
                    th scope="col" { "領収書など" } th scope="col" { "判定" }
                } }
                tbody {
                    @for (i, x) in items.iter().enumerate() {
                        @let receipts: Vec<&Attachment> = files.iter().filter(|a| a.expense_ref.is_some() && a.expense_ref.as_deref() == x["id"].as_str()).collect();
                        tr.expense {
                            td.num data-label="No." { (i + 1) }
                            td data-label="区分・内容" {
                                (x["category"].as_str().and_then(ExpenseCategory::parse).map_or("—", |c| c.label_ja()))
                                @if let Some(f) = super::print::travel_for_label(&x["for"]) { "（" (f) "）" }
                                @if let Some(d) = x["description"].as_str().filter(|d| !d.is_empty()) { br; span.desc { (d) } }
                                @if let Some(m) = x["months"].as_u64() { br; span.desc { "対象月数 " (m) "か月" } }
                                @if x["funded_by_other_subsidy"] == true { br; span.desc { "他の助成金・補助金を受けた経費" } }
                            }
                            td.num.nowrap data-label="金額" { (yen(amount(x))) }
                            td.nowrap data-label="支払" { @if x["paid_on"].is_string() { "支払済" } @else { "予定" } }
                            td.nowrap data-label="納品日" { (wa_text(&x["delivered_on"])) }
                            td.nowrap data-label="支払日" { (wa_text(&x["paid_on"])) }
                            td.receipts data-label="領収書など" {
                                @if receipts.is_empty() { span.ng { "なし" } }
                                @else { ul.files { @for a in &receipts {
                                    li { a href=(format!("/api/v1/cases/{id}/attachments/{}", a.id)) { (a.filename) } "（" (a.kind.label_ja()) "）" }
                                } } }
                            }
                            td data-label="判定" {
                                @match result(x) {
                                    Some(r) if r.eligible => { span.ok { "対象" } }
                                    Some(r) => { span.ng { "対象外" } @if let Some(why) = r.reason { br; span.desc { (why.label_ja()) } } }
                                    None => { "—" }
                                }
                            }
                        }
                    }
                }
            } }
            p.expense-total { "経費の合計 " strong { (yen(total)) } "（うち支払済 " (yen(paid)) "、予定 " (yen(total.saturating_sub(paid))) "）" }
            @if let Some(e) = e {
                @if !e.expenses.categories.is_empty() {
                    div.table-wrap { table {
                        caption { "区分ごとの集計（上限を適用）" }
                        thead { tr { th scope="col" { "区分" } th.num scope="col" { "申請額" } th.num scope="col" { "上限" } th.num scope="col" { "対象になる額" } } }
                        tbody {
                            @for c in &e.expenses.categories { tr { td { (c.category.label_ja()) } td.num { (yen(c.claimed_yen.0)) } td.num { (yen(c.cap_yen.0)) } td.num { (yen(c.eligible_yen.0)) } } }
                            tr.sum-row { th scope="row" colspan="3" { "支給対象経費の合計" } td.num { (yen(e.expenses.eligible_total_yen.0)) } }
                        }
                    } }
                }
            }
        }
    }
}

/// One period's telework per target worker, by place.
fn telework_period(doc: &Value, e: &Evaluation, heading: &str, period: Period) -> Markup {
    let regime = josei_rules::regime::set().by_id(&e.regime);
    let counts = |p: Place| regime.is_some_and(|r| r.params.counts(p));
    let rows = telework_by_worker(doc, period, counts);
    let counted: Vec<&str> = Place::ALL
        .iter()
        .filter(|p| counts(**p))
        .map(|p| place_label(*p))
        .collect();
    let not_counted: Vec<&str> = Place::ALL
        .iter()
        .filter(|p| !counts(**p) && **p != Place::Office)
        .map(|p| place_label(*p))
        .collect();
    html! {
        h3 { (heading) }
        p { "期間：" (jd(period.from())) " 〜 " (jd(period.to())) }
        p.hint {
            "数える場所：" (counted.join("・"))
            @if !not_counted.is_empty() { "。" (not_counted.join("・")) "での勤務は、この制度では実績に数えません" }
            "。1日に複数の記録があるときは1日として数えます。"
        }
        @if rows.is_empty() { p { "対象労働者がまだ登録されていません。" } }
        @else {
            div.table-wrap.wide { table.telework-review {
                caption { (heading) "：対象労働者ごとの日数" }
                thead { tr {
                    th scope="col" { "氏名" } th scope="col" { "雇用形態" }
                    th.num scope="col" { "自宅" } th.num scope="col" { "サテライトオフィス" } th.num scope="col" { "モバイル勤務" }
                    th.num scope="col" { "数えた日数" } th.num scope="col" { "数えない日数" }
                } }
                tbody {
                    @for r in &rows {
                        @let all = r.home + r.satellite_office + r.mobile;
                        tr class=[(r.counted == 0).then_some("ng")] {
                            td { (r.name) } td { (r.employment) }
                            td.num { (r.home) "日" } td.num { (r.satellite_office) "日" } td.num { (r.mobile) "日" }
                            td.num { strong { (r.counted) "日" } }
                            td.num { (all.saturating_sub(r.counted)) "日" }
                        }
                    }
                    tr.sum-row {
                        th scope="row" colspan="2" { "合計（" (rows.iter().filter(|r| r.counted > 0).count()) "人が実施）" }
                        td.num { (rows.iter().map(|r| r.home).sum::<u32>()) "日" }
                        td.num { (rows.iter().map(|r| r.satellite_office).sum::<u32>()) "日" }
                        td.num { (rows.iter().map(|r| r.mobile).sum::<u32>()) "日" }
                        td.num { strong { (rows.iter().map(|r| r.counted).sum::<u32>()) "日" } }
                        td.num { (rows.iter().map(|r| (r.home + r.satellite_office + r.mobile).saturating_sub(r.counted)).sum::<u32>()) "日" }
                    }
                }
            } }
        }
    }
}

fn telework_section(doc: &Value, e: &Evaluation) -> Markup {
    let first = e.equipment_subsidy.name;
    html! {
        @match e.schedule.evaluation_period {
            None => { p { "評価期間がまだ決まっていません。" } }
            Some(p) => {
                (telework_period(doc, e, &format!("評価期間（{first}）"), p))
                @if let Some(t) = &e.telework {
                    ul.telework-tests {
                        li class=(if t.all_workers_once { "ok" } else { "pending" }) { "① 対象労働者全員が1回以上：" (t.workers_with_telework) " / " (t.target_workers) "人" @if t.all_workers_once { "（達成）" } @else { "（未達成）" } }
                        li class=(if t.weekly_average_met { "ok" } else { "pending" }) { "② 週平均1回以上：延べ " (t.telework_days) "日（評価期間 " (t.period_days) "日）" @if t.weekly_average_met { "（達成）" } @else { "（未達成）" } }
                        @if let (Some(before), Some(met)) = (t.before_count, t.growth_met) {
                            li class=(if met { "ok" } else { "ng" }) { "計画前の実施回数 " (before) "回からの増加" @if met { "（達成）" } @else { "（未達成）" } }
                        }
                    }
                    p class=(if t.met { "ok" } else { "ng" }) { "テレワークの実績の要件（①か②のどちらか" @if t.growth_met.is_some() { "と、実施回数の増加" } "）：" strong { (if t.met { "満たしている" } else { "満たしていない" }) } }
                    @let per_worker = per_worker_days(doc, p.from(), p.to());
                    (telework_chart(&per_worker, t.period_days, ((t.target_workers as u64 * t.period_days as u64).div_ceil(7) / u64::from(t.target_workers.max(1))) as u32))
                }
            }
        }
        @if let Some(p) = e.schedule.goal_evaluation_period {
            (telework_period(doc, e, "評価期間（目標達成助成）", p))
            @if let Some(n) = e.goal_subsidy.teleworkers {
                p { "テレワークを実施した労働者：" (n) "人"
                    @if let Some(r) = e.goal_subsidy.required_teleworkers { "（必要な人数 " (super::print::percent(Some(r)).trim_end_matches('%')) "人）" } }
            }
        }
    }
}

/// The roster and the turnover of both periods, with the comparison rule.
fn roster_section(doc: &Value, e: Option<&Evaluation>) -> Markup {
    let roster = doc["roster"].as_array().map_or(&[][..], Vec::as_slice);
    let workers = doc["plan"]["target_workers"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let who = |r: &Value| {
        let id = r["id"].as_str().unwrap_or("");
        match workers.iter().find(|w| w["id"].as_str() == Some(id)) {
            Some(w) => format!("{}（対象労働者）", worker_name(w)),
            None if id.is_empty() => "—".into(),
            None => id.to_string(),
        }
    };
    html! {
        @if let Some(e) = e {
            @let no_plan = e.regime_kind == RegimeKind::NoPlan;
            @let rows = [
                (if no_plan { "制度導入前" } else { "計画時" }, e.schedule.plan_turnover_period, e.turnover.plan),
                (if no_plan { "制度導入後" } else { "評価時" }, e.schedule.evaluation_turnover_period, e.turnover.evaluation),
            ];
            div.table-wrap.wide { table.turnover {
                caption { "離職率" }
                thead { tr { th scope="col" { "区分" } th scope="col" { "期間" } th.num scope="col" { "期間初日の労働者数" } th.num scope="col" { "離職者数" } th.num scope="col" { "離職率" } } }
                tbody { @for (label, period, rate) in rows {
                    tr {
                        th scope="row" { (label) "離職率" }
                        td { @match period { Some(p) => { (josei_rules::wareki::format_wareki(p.from())) " 〜 " (josei_rules::wareki::format_wareki(p.to())) } None => { "未定" } } }
                        @match rate {
                            Some(r) => { td.num { (r.headcount) "人" } td.num { (r.separations) "人" } td.num { (super::print::percent(r.rate)) } }
                            None => { td colspan="3" { @if period.is_some_and(|p| p.to() >= e.as_of) { "期間が終わってから計算します" } @else { "労働者名簿が入力されていません" } } }
                        }
                    }
                } }
            } }
            p.hint {
                "離職率 ＝ 期間中の離職者数 ÷ 期間初日の労働者数。定年退職・重責解雇・役員昇格による離職は数えません。"
                "目標達成助成では、" (if no_plan { "制度導入後" } else { "評価時" }) "離職率が" (if no_plan { "制度導入前" } else { "計画時" }) "離職率以下で、かつ30％以下であることが要件です。"
            }
            @let rules: Vec<&Check> = e.goal_subsidy.checks.iter().filter(|c| matches!(c.id, CheckId::TurnoverNotIncreased | CheckId::TurnoverAtMost30)).collect();
            @if !rules.is_empty() {
                ul.turnover-rules { @for c in rules {
                    @let (mark, class, label) = check_mark(c.status);
                    @let rule = if c.id == CheckId::TurnoverAtMost30 { "30％以下" } else if no_plan { "制度導入前以下" } else { "計画時以下" };
                    li class=(class) { span aria-label=(label) { (mark) } " " (rule) "：" (c.message) }
                } }
            }
        }
        @if roster.is_empty() { p { "労働者名簿はまだ取り込まれていません。" } }
        @else {
            div.table-wrap { table.stack.roster {
                caption { "労働者名簿（" (roster.len()) "件）" }
                thead { tr { th scope="col" { "労働者（社員番号など）" } th scope="col" { "入社日" } th scope="col" { "離職日" } th scope="col" { "離職理由" } } }
                tbody { @for r in roster {
                    tr {
                        td data-label="労働者" { (who(r)) }
                        td data-label="入社日" { (wa_text(&r["hired_on"])) }
                        td data-label="離職日" { @if r["left_on"].is_string() { (wa_text(&r["left_on"])) } @else { "在籍中" } }
                        td data-label="離職理由" { @if r["left_on"].is_string() { (leave_reason_label(&r["leave_reason"])) } @else { "—" } }
                    }
                } }
            } }
        }
    }
}

/// The filings the bureau has received so far, the latest first.
fn filings_received(status: Status, procedure: Procedure, doc: &Value) -> Vec<Filing> {
    use Status::*;
    let mut out = Vec::new();
    let goal = matches!(status, GoalFiled | GoalGranted | GoalDenied)
        || doc["goal_application_filed_on"].is_string();
    let first =
        goal || matches!(
            status,
            EquipmentFiled | EquipmentGranted | EquipmentDenied | GoalTracking
        ) || doc["equipment_application_filed_on"].is_string();
    if goal {
        out.push(Filing::Goal);
    }
    if first {
        out.push(Filing::First);
    }
    if procedure == Procedure::Plan && status != Draft {
        out.push(Filing::Plan);
    }
    out
}

fn filing_title(f: Filing, first: &str) -> String {
    match f {
        Filing::Plan => "計画の提出".into(),
        Filing::First => format!("{first}の支給申請"),
        Filing::Goal => "目標達成助成の支給申請".into(),
    }
}

/// One filing's documents, each with its state and the files attached for it.
fn checklist_with_files(
    id: CaseId,
    title: &str,
    items: &[DocItem],
    files: &[Attachment],
) -> Markup {
    html! {
        ul.checklist aria-label=(title) {
            @for d in items {
                @let mine: Vec<&Attachment> = files.iter().filter(|a| Some(a.kind) == d.kind && (d.expense_ref.is_none() || a.expense_ref == d.expense_ref)).collect();
                li class=(if d.satisfied { "ok" } else { "missing" }) {
                    span.mark aria-hidden="true" { (if d.satisfied { "✓" } else { "！" }) }
                    span.visually-hidden { (if d.satisfied { "用意済み：" } else { "未提出：" }) }
                    strong { (d.label) }
                    @if let Some(x) = &d.detail { span.hint { " — " (x) } }
                    br;
                    span.doc-state { (d.state) }
                    @if !mine.is_empty() {
                        ul.files { @for a in mine {
                            li { a href=(format!("/api/v1/cases/{id}/attachments/{}", a.id)) { (a.filename) } "（" (size_text(a.size_bytes)) "）" }
                        } }
                    }
                }
            }
        }
    }
}

/// The bureau's page of a case.
pub(crate) async fn render(
    state: &AppState,
    u: &WebUser,
    p: CasePage,
    flash: Flash,
    q: &HashMap<String, String>,
    status: StatusCode,
) -> Response {
    let view = &p.view;
    let case = &view.case;
    let id = case.id;
    let e = view.evaluation.as_ref();
    let doc = &view.document;
    let facts = p.facts();
    let first = facts.first_name();
    let audit = state
        .db
        .audit_log("case", &id.to_string())
        .await
        .unwrap_or_default();
    let names = super::audit::names(state, &audit).await;
    let messages = state.db.messages(id).await.unwrap_or_default();
    let received = received_on(&audit, doc);
    let done = flash.done.as_deref().and_then(|d| done_message(d, first));
    let error = flash.error.as_ref();
    let employer_name = doc["employer"]["name"]
        .as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or("—");
    let filings = filings_received(case.status, view.procedure, doc);
    let back = if u.user.role == josei_store::Role::Officer {
        "/queue"
    } else {
        "/cases"
    };
    let body = html! {
        div.examine {
        p.no-print { a href=(back) { "← 一覧へ戻る" } }
        h1 { (case.title) }
        @if let Some(m) = &done {
            div.success role="status" { p { (m) } }
        }
        @if let Some(err) = error {
            div.errors.error-summary role="alert" tabindex="-1" #action-error {
                h2 { "この操作はできませんでした" }
                p { (err.message) }
                @if let Some(f) = &err.field {
                    p { a href=(format!("#{}-{}", f, err.action)) { "入力欄へ移動する" } }
                }
                p { a href=(format!("/cases/{id}")) { "申請のページを読み込み直す" } }
            }
        }
        section.examine-head aria-label="申請の概要" {
            dl.summary-grid {
                div { dt { "申請番号" } dd { (id) } }
                div { dt { "状態" } dd { strong { (view.status_label) } } }
                div { dt { "事業主" } dd { (employer_name) } }
                div { dt { "受付日" } dd { @match received { Some(d) => { (jd(d)) } None => { "未受付" } } } }
                div { dt { "制度" } dd { @match e { Some(e) => { (e.regime_name) "の制度" @if e.regime_kind == RegimeKind::NoPlan { "（計画の認定なし）" } } None => { "—" } } } }
                div { dt { "次の期限" } dd { (deadline_text(view.next_deadline.as_ref())) } }
            }
            @if let Some(e) = e {
                ul.check-summary {
                    li #summary-first { (e.equipment_subsidy.name) "：" (checks_summary(&e.equipment_subsidy.checks)) }
                    li #summary-goal { (e.goal_subsidy.name) "：" (checks_summary(&e.goal_subsidy.checks)) }
                }
            }
            @if let Some(err) = &view.evaluation_error {
                p.notice { (err.for_people()) }
            }
        }
        nav.toc.no-print aria-label="このページの目次" {
            h2 { "目次" }
            ol { @for (anchor, title) in SECTIONS { li { a href=(format!("#{anchor}")) { (title) } } } }
        }
        section #decisions aria-labelledby="decisions-h" {
            h2 #decisions-h { "判定" }
            @if let Some(e) = e {
                div.cards {
                    @for (name, sub_status, amount, rate) in [(e.equipment_subsidy.name, e.equipment_subsidy.status, e.equipment_subsidy.amount_yen.0, e.equipment_subsidy.rate_percent), (e.goal_subsidy.name, e.goal_subsidy.status, e.goal_subsidy.amount_yen.0, e.goal_subsidy.rate_percent)] {
                        div.card {
                            h3 { (name) "（自動判定）" }
                            p class={ "amount " (status_class(sub_status)) } { (sub_status.label_ja()) }
                            @if let Some(rate) = rate {
                                p { (yen(amount)) "（対象経費 " (yen(e.expenses.eligible_total_yen.0)) " × " (rate) "％）" }
                            } @else {
                                p { (yen(amount)) "（定額）" }
                            }
                        }
                    }
                }
            }
            (notices_section(&p.notices))
            @if view.actions.is_empty() {
                p { "いま行える判定はありません。" }
            } @else {
                div.no-print.actions { @for a in view.actions.iter().copied() {
                    @if super::decide::is_decision(a) {
                        (super::decide::decision_form(&p, u, a, error))
                    } @else {
                        form id=(format!("action-{a}")) method="post" action=(format!("/cases/{id}/action")) {
                            input type="hidden" name="csrf" value=(u.csrf);
                            input type="hidden" name="version" value=(case.version);
                            input type="hidden" name="action" value=(a);
                            button type="submit" class=(if a == "withdraw" { "secondary" } else { "" }) { (action_label_for(a, e)) }
                        }
                    }
                } }
            }
        }
        section #checks aria-labelledby="checks-h" {
            h2 #checks-h { "要件の確認" }
            @match e {
                Some(e) => {
                    (subsidy_checks(e.equipment_subsidy.name, &e.equipment_subsidy.checks))
                    (subsidy_checks(e.goal_subsidy.name, &e.goal_subsidy.checks))
                }
                None => { p { "入力がそろっていないため、自動判定はまだできません。" } }
            }
        }
        section #employer aria-labelledby="employer-h" {
            h2 #employer-h { "事業主" }
            (employer_section(doc, e))
        }
        section #workers aria-labelledby="workers-h" {
            h2 #workers-h { "対象労働者" }
            (workers_section(doc))
        }
        section #expenses aria-labelledby="expenses-h" {
            h2 #expenses-h { "経費" }
            (expenses_section(id, doc, e, &p.attachments))
        }
        section #telework aria-labelledby="telework-h" {
            h2 #telework-h { "テレワーク実績" }
            @match e {
                Some(e) => { (telework_section(doc, e)) }
                None => { p { "評価期間がまだ決まっていません。" } }
            }
        }
        section #roster aria-labelledby="roster-h" {
            h2 #roster-h { "労働者名簿と離職率" }
            (roster_section(doc, e))
        }
        section #regime aria-labelledby="regime-h" {
            h2 #regime-h { "制度と前提" }
            @match e {
                Some(e) => {
                    p { (e.regime_name) "の制度で判定しています。"
                        @if e.regime_kind == RegimeKind::NoPlan { "計画の認定はなく、取組は評価期間の前3か月に行います。" } }
                    (schedule_table(e))
                    (assumptions_block(e))
                    @if e.assumptions.is_empty() { p { "未確認の前提はありません。" } }
                }
                None => { p { "制度はまだ決まっていません。" } }
            }
        }
        section #documents aria-labelledby="documents-h" {
            h2 #documents-h { "書類" }
            @for f in &filings {
                @let title = format!("{}の書類", filing_title(*f, first));
                h3 { (title) }
                (checklist_with_files(id, &title, &documents::checklist(*f, &p.inputs()), &p.attachments))
            }
            p.no-print { a href=(format!("/cases/{id}/work-rules")) { "モデル就業規則から作成したテレワーク勤務規程の案と制定日" } }
            h3 { "添付された書類（" (p.attachments.len()) "件）" }
            @if p.attachments.is_empty() { p { "添付された書類はありません。" } } @else {
                ul.attachments { @for a in &p.attachments {
                    li {
                        a href=(format!("/api/v1/cases/{id}/attachments/{}", a.id)) { (a.filename) }
                        "（" (a.kind.label_ja()) @if let Some(x) = a.expense_ref.as_deref().and_then(|x| super::cases::expense_label(doc, x)) { "：" (x) } "、" (size_text(a.size_bytes)) "、" (jtime(&a.uploaded_at)) "）"
                    }
                } }
            }
        }
        (super::messages::thread_section(case, &messages, u, &super::messages::ThreadForm { posted: q.contains_key("posted"), ..Default::default() }, "case"))
        section #audit aria-labelledby="audit-title" {
            @if audit.is_empty() { h2 #audit-title { "操作の記録" } p { "記録はまだありません。" } }
            (super::audit::audit_section(&audit, &names, first, Some(doc)))
        }
        section #print.no-print aria-labelledby="print-h" {
            h2 #print-h { "印刷用" }
            p { "A4：" a href=(format!("/cases/{id}/print?doc=plan")) { "計画の概要" } "　" a href=(format!("/cases/{id}/print?doc=equipment")) { (first) "の申請" } "　" a href=(format!("/cases/{id}/print?doc=goal")) { "目標達成助成の申請" } }
        }
        }
    };
    (status, page(&case.title, Some(u), body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use josei_rules::evaluate::CheckStatus;

    fn check(id: CheckId, status: CheckStatus) -> Check {
        Check {
            id,
            status,
            citation: "",
            message: String::new(),
        }
    }

    #[test]
    fn failing_checks_come_first_and_are_counted() {
        let checks = vec![
            check(CheckId::Sme, CheckStatus::Pass),
            check(CheckId::TurnoverAtMost30, CheckStatus::Pending),
            check(CheckId::WorkRulesEstablished, CheckStatus::Fail),
            check(CheckId::Measures, CheckStatus::Pass),
        ];
        assert_eq!(checks_summary(&checks), "要件 4件中 不適合 1件・確認中 1件");
        let (open, passed) = split_checks(&checks);
        assert_eq!(
            open.iter().map(|c| c.status).collect::<Vec<_>>(),
            [CheckStatus::Fail, CheckStatus::Pending]
        );
        assert_eq!(passed.len(), 2);
        assert_eq!(checks_summary(&checks[..1]), "要件 1件すべて適合");
    }
}
