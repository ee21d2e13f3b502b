//! The plan and each application as documents a person can file or keep
//! (`/cases/{id}/print`, one document with `?doc=plan|equipment|goal`): the
//! bureau it goes to, the applicant's particulars, the 社労士 acting for the
//! employer, the itemised expenses with their dates, the target workers by
//! name, each evaluation period's telework per worker, the turnover of both
//! periods, the checks with their citations, and the amounts (the decided
//! amount once decided, else the 見込み額 marked as such). A4, page numbers
//! from the print style sheet.

use super::*;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use josei_app::printout::{printout, telework_by_worker, worker_name, Printout, APPLICANT_FIELDS};
use josei_rules::civil::Period;
use josei_rules::evaluate::{Check, TurnoverRate};
use josei_rules::model::{ExpenseCategory, MeasureKind, Place};
use josei_rules::ratio::Ratio;
use josei_rules::regime::RegimeKind;
use josei_store::{Decision, DecisionKind, Outcome};
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/cases/{id}/print", get(print_page))
}

#[derive(Deserialize, Default)]
pub(crate) struct PrintQuery {
    doc: Option<String>,
}

/// Which document to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Doc {
    Plan,
    Equipment,
    Goal,
}

impl Doc {
    const ALL: [Doc; 3] = [Doc::Plan, Doc::Equipment, Doc::Goal];

    fn key(self) -> &'static str {
        match self {
            Doc::Plan => "plan",
            Doc::Equipment => "equipment",
            Doc::Goal => "goal",
        }
    }

    fn parse(s: &str) -> Option<Doc> {
        Doc::ALL.into_iter().find(|d| d.key() == s)
    }

    /// The document's title in the case's procedure (`first`: the first subsidy's name).
    fn title(self, no_plan: bool, first: &str) -> String {
        match self {
            Doc::Plan if no_plan => "テレワーク導入の取組の概要".to_string(),
            Doc::Plan => "テレワーク実施計画の概要".to_string(),
            Doc::Equipment => format!("{first} 支給申請の概要"),
            Doc::Goal => "目標達成助成 支給申請の概要".to_string(),
        }
    }

    /// The link's words in the chooser.
    fn short(self, first: &str) -> String {
        match self {
            Doc::Plan => "計画・取組".to_string(),
            Doc::Equipment => format!("{first}の申請"),
            Doc::Goal => "目標達成助成の申請".to_string(),
        }
    }
}

/// 令和4年7月20日 (documents use the Japanese era).
fn wa(d: Date) -> String {
    format_wareki(d)
}

/// A date of the document (ISO text) in the Japanese era; empty: a dash.
fn wa_text(v: &Value) -> String {
    v.as_str()
        .and_then(|s| parse_iso_date(s).ok())
        .map_or_else(|| "—".to_string(), wa)
}

fn period_text(p: Option<Period>) -> String {
    p.map_or_else(
        || "未定".to_string(),
        |p| format!("{} 〜 {}", wa(p.from()), wa(p.to())),
    )
}

fn yen_i(n: i64) -> String {
    yen(u64::try_from(n).unwrap_or(0))
}

/// A rate as a percentage rounded half up to 2 places: `8.33%`.
pub(crate) fn percent(r: Option<Ratio>) -> String {
    match r {
        Some(r) => {
            let h = r.percent_hundredths_half_up();
            format!("{}.{:02}%", h / 100, h % 100)
        }
        None => "—（期間初日の労働者がいません）".to_string(),
    }
}

pub(crate) fn industry_label(v: &Value) -> &'static str {
    match v.as_str() {
        Some("retail") => "小売業（飲食店を含む）",
        Some("service") => "サービス業",
        Some("wholesale") => "卸売業",
        Some("other") => "その他の業種（製造業・建設業など）",
        _ => "—",
    }
}

pub(crate) fn travel_for_label(v: &Value) -> Option<&'static str> {
    match v.as_str()? {
        "manager_training" => Some("労務管理担当者に対する研修"),
        "worker_training" => Some("労働者に対する研修"),
        "consulting" => Some("外部専門家によるコンサルティング"),
        _ => None,
    }
}

/// The latest decision on `kind`.
fn decision_on(p: &Printout, kind: DecisionKind) -> Option<&Decision> {
    p.decisions.iter().rev().find(|d| d.kind == kind)
}

/// `GET /cases/{id}/print`: every document of the case, or the one `?doc=` names.
pub(crate) async fn print_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<CaseId>,
    Query(pq): Query<PrintQuery>,
) -> Response {
    let asked = pq.doc.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let docs: Vec<Doc> = match asked {
        None | Some("all") => Doc::ALL.to_vec(),
        Some(s) => match Doc::parse(s) {
            Some(d) => vec![d],
            None => {
                return error_page(
                    StatusCode::BAD_REQUEST,
                    "書類を選んでください",
                    "印刷する書類は、計画・取組、支給申請（1回目）、目標達成助成の申請のいずれかです。申請の画面の「印刷用」から選んでください。",
                    Some(&u),
                )
            }
        },
    };
    let p = match printout(&state, &u.user, id).await {
        Ok(p) => p,
        Err(e) => return api_error_page(e, &u),
    };
    let e = p.view.evaluation.as_ref();
    let first = e.map_or_else(
        || josei_app::overview::first_subsidy(p.view.procedure),
        |e| e.equipment_subsidy.name,
    );
    let no_plan = p.view.procedure == josei_store::workflow::Procedure::NoPlan;
    let title = match docs.as_slice() {
        [d] => d.title(no_plan, first),
        _ if no_plan => "テレワーク導入の取組・支給申請の概要".to_string(),
        _ => "テレワーク実施計画・支給申請の概要".to_string(),
    };
    let current = match docs.as_slice() {
        [d] => d.key(),
        _ => "all",
    };
    let body = html! {
        div.printout {
            div.no-print.print-tools {
                @if docs.len() > 1 { h1 { (title) } }
                p { "印刷して、提出書類の控えや添付資料としてお使いください（A4・縦）。" }
                nav.doc-choice aria-label="印刷する書類" {
                    @for d in Doc::ALL {
                        @if current == d.key() { span aria-current="page" { (d.short(first)) } }
                        @else { a href=(format!("/cases/{id}/print?doc={}", d.key())) { (d.short(first)) } }
                    }
                    @if current == "all" { span aria-current="page" { "すべて" } }
                    @else { a href=(format!("/cases/{id}/print")) { "すべて" } }
                }
                p { button type="button" onclick="window.print()" { "印刷する" } " " a href=(format!("/cases/{id}")) { "申請の画面に戻る" } }
                (missing_particulars(&p))
            }
            @if p.view.evaluation.is_none() {
                div.notice.no-print { p { "入力に足りないところか誤りがあり判定できないため、判定の結果と日程は載せていません。" } @if let Some(err) = &p.view.evaluation_error { p { (err.for_people()) } } }
            }
            @for d in &docs {
                section.doc aria-label=(d.title(no_plan, first)) {
                    (doc_head(&p, &d.title(no_plan, first), docs.len() == 1))
                    @match d {
                        Doc::Plan => (plan_doc(&p, no_plan)),
                        Doc::Equipment => (equipment_doc(&p, first)),
                        Doc::Goal => (goal_doc(&p)),
                    }
                    (doc_foot())
                }
            }
        }
    };
    page(&title, Some(&u), body).into_response()
}

/// On screen only: the particulars josei does not hold, to be written in by hand.
fn missing_particulars(p: &Printout) -> Markup {
    let employer = &p.view.document["employer"];
    let missing: Vec<&str> = APPLICANT_FIELDS
        .iter()
        .filter(|(k, _, _)| employer[*k].as_str().is_none_or(str::is_empty))
        .map(|(_, label, _)| *label)
        .collect();
    let unregistered = p.agents.iter().any(|a| a.registration_number.is_none());
    html! {
        @if !missing.is_empty() || unregistered {
            div.notice {
                @if !missing.is_empty() {
                    p { "未入力の項目（" (missing.join("・")) "）は空欄で印刷されます。印刷後に記入するか、「計画の内容」の事業主の欄で入力してください。" }
                }
                @if unregistered {
                    p { "社会保険労務士の登録番号がまだ登録されていないため、空欄で印刷されます。社会保険労務士の方は、画面上部の「アカウントの設定」のページで登録できます。" }
                }
            }
        }
    }
}

/// The head of one document: the bureau it goes to, the date, the title,
/// where the application stands, the applicant and the 社労士.
fn doc_head(p: &Printout, title: &str, top: bool) -> Markup {
    let employer = &p.view.document["employer"];
    let text = |k: &str| {
        employer[k]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let bureau = p.bureau.as_ref();
    html! {
        div.doc-head {
            p.doc-date { "作成日 " (wa(p.view.today)) }
            p.doc-to {
                "提出先 "
                strong { (p.bureau_name) }
                @if let Some(b) = bureau.filter(|b| !b.department.is_empty()) { " " (b.department) }
            }
        }
        @if top { h1 { (title) } } @else { h2.doc-title { (title) } }
        p.doc-case { "申請：" (p.view.case.title) "　状態：" (josei_app::overview::stage_text(p.view.case.status, p.view.procedure)) }
        h2 { "申請者（事業主）" }
        table.kv aria-label="申請者（事業主）" { tbody {
            tr { th scope="row" { "名称" } td { (text("name").or_else(|| p.organization.as_ref().map(|o| o.name.clone())).unwrap_or_default()) } }
            @for (key, label, _) in APPLICANT_FIELDS {
                tr { th scope="row" { (label) } td { @match text(key) { Some(v) => { (v) } None => { span.write-in {} } } } }
            }
            tr { th scope="row" { "業種" } td { (industry_label(&employer["industry"])) } }
            tr { th scope="row" { "資本金" } td { @match employer["capital_yen"].as_u64() { Some(n) => { (yen(n)) } None => { "なし" } } } }
            tr { th scope="row" { "常時雇用する労働者数" } td { @match employer["regular_employees"].as_u64() { Some(n) => { (n) "人" } None => { "—" } } } }
        } }
        @if !p.agents.is_empty() {
            h2 { "社会保険労務士（提出代行者）" }
            table.kv aria-label="社会保険労務士（提出代行者）" { tbody {
                @for a in &p.agents {
                    tr { th scope="row" { "氏名" } td { (a.display_name) } }
                    tr { th scope="row" { "事務所名" } td { @match &a.office_name { Some(o) => { (o) } None => { span.write-in {} } } } }
                    tr { th scope="row" { "登録番号" } td { @match &a.registration_number { Some(n) => { (n) } None => { span.write-in {} } } } }
                }
            } }
        }
    }
}

fn doc_foot() -> Markup {
    html! {
        p.doc-foot { "この書類は、公表されている支給要領に基づいて作成した概要です。判定と見込み額は目安で、支給の可否と金額は都道府県労働局が審査して決定します。" }
    }
}

/// 対象労働者: by name, with their employment.
fn workers_table(doc: &Value) -> Markup {
    let workers = doc["plan"]["target_workers"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    html! {
        h2 { "対象労働者（" (workers.len()) "人）" }
        @if workers.is_empty() { p { "まだ登録されていません。" } }
        @else {
            div.table-wrap { table.print-table aria-label="対象労働者" { thead { tr { th.num scope="col" { "No." } th scope="col" { "氏名" } th scope="col" { "雇用形態" } } }
                tbody { @for (i, w) in workers.iter().enumerate() {
                    tr { td.num { (i + 1) } td { (worker_name(w)) } td { @if w["employment"] == "dispatched" { "派遣労働者" } @else { "直接雇用" } } }
                } }
            } }
        }
    }
}

/// 経費の明細: every item with its dates and, once evaluated, whether it counts.
fn expenses_table(p: &Printout) -> Markup {
    let items = p.view.document["expenses"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let e = p.view.evaluation.as_ref();
    let result = |i: usize, x: &Value| {
        let e = e?;
        e.expenses
            .items
            .get(i)
            .filter(|r| Some(r.id.as_str()) == x["id"].as_str())
            .or_else(|| {
                e.expenses
                    .items
                    .iter()
                    .find(|r| Some(r.id.as_str()) == x["id"].as_str())
            })
    };
    let total: i64 = items.iter().filter_map(|x| x["amount_yen"].as_i64()).sum();
    html! {
        h2 { "経費の明細" }
        @if items.is_empty() { p { "経費はまだ入力されていません。" } }
        @else {
            div.table-wrap { table.print-table.expenses-print aria-label="経費の明細" {
                thead { tr {
                    th.num scope="col" { "No." } th scope="col" { "区分・内容" } th.num scope="col" { "金額" }
                    th scope="col" { "納品日" } th scope="col" { "支払日" } th scope="col" { "対象" }
                } }
                tbody {
                  @for (i, x) in items.iter().enumerate() {
                    @let category = x["category"].as_str().and_then(ExpenseCategory::parse);
                    tr {
                        td.num { (i + 1) }
                        td {
                            (category.map_or("—", |c| c.label_ja()))
                            @if let Some(f) = travel_for_label(&x["for"]) { "（" (f) "）" }
                            @if let Some(d) = x["description"].as_str().filter(|d| !d.is_empty()) { br; span.desc { (d) } }
                            @if let Some(m) = x["months"].as_u64() { br; span.desc { "対象月数 " (m) "か月" } }
                            @if x["funded_by_other_subsidy"] == true { br; span.desc { "他の助成金・補助金を受けた経費" } }
                        }
                        td.num { (yen_i(x["amount_yen"].as_i64().unwrap_or(0))) }
                        td.nowrap { (wa_text(&x["delivered_on"])) }
                        td.nowrap { @if x["paid_on"].is_string() { (wa_text(&x["paid_on"])) } @else { "未払（予定）" } }
                        td { @match result(i, x) {
                            Some(r) if r.eligible => { "対象" }
                            Some(r) => { "対象外" @if let Some(why) = r.reason { br; span.desc { (why.label_ja()) } } }
                            None => { "—" }
                        } }
                    }
                  }
                    tr.sum-row { th scope="row" colspan="2" { "合計" } td.num { (yen_i(total)) } td colspan="3" {} }
                }
            } }
        }
        @if let Some(e) = e {
            @if !e.expenses.categories.is_empty() {
                div.table-wrap { table.print-table {
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

/// The plan regimes' measures (テレワークを可能とする取組): what is planned, for how much.
fn plan_measures(e: &Evaluation) -> Markup {
    let measures = super::PLAN_MEASURES;
    html! {
        h2 { "テレワークを可能とする取組" }
        div.table-wrap { table.print-table aria-label="テレワークを可能とする取組" {
            thead { tr { th scope="col" { "取組" } th.num scope="col" { "経費" } th scope="col" { "予定" } } }
            tbody { @for (name, cats) in measures {
                @let claimed: u64 = e.expenses.categories.iter().filter(|c| cats.contains(&c.category)).map(|c| c.claimed_yen.0).sum();
                tr { td { (name) } td.num { (yen(claimed)) } td { @if claimed > 0 { "あり" } @else { "なし" } } }
            } }
        } }
    }
}

/// The no-plan regimes' measures: 職場風土作り, the measures and their days, the work rules.
fn no_plan_measures(doc: &Value) -> Markup {
    let measures = doc["measures"].as_array().map_or(&[][..], Vec::as_slice);
    html! {
        h2 { "評価期間の前3か月の取組" }
        div.table-wrap { table.print-table aria-label="評価期間の前3か月の取組" { tbody {
            tr { th scope="row" { "職場風土作り：経営者からのメッセージの発信" } td { (wa_text(&doc["workplace_climate"]["top_message_on"])) } }
            tr { th scope="row" { "職場風土作り：好事例の共有" } td { (wa_text(&doc["workplace_climate"]["case_sharing_on"])) } }
            @for m in measures {
                tr { th scope="row" { (m["kind"].as_str().and_then(MeasureKind::parse).map_or("—", |k| k.label_ja())) } td { (wa_text(&m["on"])) } }
            }
            tr { th scope="row" { "就業規則等の整備" } td { (wa_text(&doc["work_rules_established_on"])) } }
        } } }
    }
}

/// 日程: the periods and deadlines of the case's regime.
fn schedule_rows(e: &Evaluation) -> Markup {
    let s = &e.schedule;
    let first = e.equipment_subsidy.name;
    let deadline = |d: Option<josei_rules::schedule::Deadline>| {
        d.map_or_else(
            || "未定".to_string(),
            |d| {
                if d.nominal == d.effective {
                    wa(d.effective)
                } else {
                    format!(
                        "{}（本来の期限 {} が閉庁日のため延長）",
                        wa(d.effective),
                        wa(d.nominal)
                    )
                }
            },
        )
    };
    let no_plan = e.regime_kind == RegimeKind::NoPlan;
    html! {
        h2 { "日程（" (e.regime_name) "の制度）" }
        table.kv aria-label="日程" { tbody {
            @if !no_plan {
                tr { th scope="row" { "評価期間を設定できる期間" } td { (period_text(s.evaluation_window)) } }
            } @else {
                tr { th scope="row" { "取組の期間" } td { (period_text(s.measures_window)) } }
            }
            tr { th scope="row" { "評価期間（" (first) "）" } td { (period_text(s.evaluation_period)) } }
            tr { th scope="row" { (first) "の申請期限" } td { (deadline(s.equipment_application_deadline)) } }
            tr { th scope="row" { "評価期間（目標達成助成）" } td { (period_text(s.goal_evaluation_period)) } }
            tr { th scope="row" { "目標達成助成の申請期限" } td { (deadline(s.goal_application_deadline)) } }
        } }
    }
}

/// The turnover rows: plan-time (or before the measures) and, when asked, evaluation-time.
fn turnover_table(e: &Evaluation, both: bool) -> Markup {
    let no_plan = e.regime_kind == RegimeKind::NoPlan;
    let rows: Vec<(&str, Option<Period>, Option<TurnoverRate>)> = {
        let mut v = vec![(
            if no_plan {
                "制度導入前"
            } else {
                "計画時"
            },
            e.schedule.plan_turnover_period,
            e.turnover.plan,
        )];
        if both {
            v.push((
                if no_plan {
                    "制度導入後"
                } else {
                    "評価時"
                },
                e.schedule.evaluation_turnover_period,
                e.turnover.evaluation,
            ));
        }
        v
    };
    html! {
        h2 { "離職率" }
        div.table-wrap { table.print-table aria-label="離職率" {
            thead { tr { th scope="col" { "区分" } th scope="col" { "期間" } th.num scope="col" { "期間初日の労働者数" } th.num scope="col" { "離職者数" } th.num scope="col" { "離職率" } } }
            tbody { @for (label, period, rate) in rows {
                tr {
                    td { (label) }
                    td { (period_text(period)) }
                    @match rate {
                        Some(r) => { td.num { (r.headcount) "人" } td.num { (r.separations) "人" } td.num { (percent(r.rate)) } }
                        None => { td colspan="3" { @if period.is_some_and(|p| p.to() >= e.as_of) { "期間が終わってから計算します" } @else { "労働者名簿が入力されていません" } } }
                    }
                }
            } }
        } }
    }
}

/// One evaluation period's telework, per target worker.
fn telework_table(p: &Printout, heading: &str, period: Option<Period>) -> Markup {
    let e = p.view.evaluation.as_ref();
    let regime = e.and_then(|e| josei_rules::regime::set().by_id(&e.regime));
    html! {
        h2 { (heading) }
        @match period {
            None => { p { "評価期間がまだ決まっていません。" } }
            Some(period) => {
                @let rows = telework_by_worker(&p.view.document, period, |place: Place| regime.is_some_and(|r| r.params.counts(place)));
                p { "期間：" (period_text(Some(period))) }
                @if rows.is_empty() { p { "対象労働者がまだ登録されていません。" } }
                @else {
                    div.table-wrap { table.print-table.telework-print aria-label=(heading) {
                        thead { tr {
                            th scope="col" { "氏名" } th scope="col" { "雇用形態" }
                            th.num scope="col" { "自宅" } th.num scope="col" { "サテライトオフィス" } th.num scope="col" { "モバイル" }
                            th.num scope="col" { "対象となる日数" }
                        } }
                        tbody {
                          @for r in &rows {
                            tr { td { (r.name) } td { (r.employment) } td.num { (r.home) "日" } td.num { (r.satellite_office) "日" } td.num { (r.mobile) "日" } td.num { strong { (r.counted) "日" } } }
                          }
                          tr.sum-row {
                            th scope="row" colspan="2" { "合計（" (rows.iter().filter(|r| r.counted > 0).count()) "人が実施）" }
                            td.num { (rows.iter().map(|r| r.home).sum::<u32>()) "日" }
                            td.num { (rows.iter().map(|r| r.satellite_office).sum::<u32>()) "日" }
                            td.num { (rows.iter().map(|r| r.mobile).sum::<u32>()) "日" }
                            td.num { strong { (rows.iter().map(|r| r.counted).sum::<u32>()) "日" } }
                          }
                        }
                    } }
                    p.desc { "1日に複数の記録があるときは1日として数えます。「対象となる日数」は、この制度で実績として数える場所での日数です。" }
                }
            }
        }
    }
}

/// The amount box of one subsidy: the decided amount once decided, else the
/// 見込み額 (never presented as approved).
fn amount_box(
    bureau: &str,
    name: &str,
    decision: Option<&Decision>,
    estimate: Option<(SubsidyStatus, u64)>,
    basis: Option<String>,
) -> Markup {
    html! {
        div.amount-box {
            @match decision {
                Some(d) if d.outcome == Outcome::Granted => {
                    p { (name) "　" strong.amount { "支給決定額 " (yen_i(d.decided_amount_yen)) } }
                    p.desc { (decided_day(d)) "に" (bureau) "が支給を決定しました。" }
                }
                Some(d) => {
                    p { (name) "　" strong.amount.ng { "不支給決定" } }
                    p.desc { (decided_day(d)) "に" (bureau) "が支給しないと決定しました。" @if let Some(r) = &d.reason { "理由：" (r) } }
                }
                None => {
                    @match estimate {
                        Some((status, amount)) => {
                            p { (name) "　" strong.amount { "見込み額 " (yen(amount)) } "（支給は未決定）" }
                            @if let Some(b) = &basis { p.desc { (b) } }
                            p.desc {
                                @match status {
                                    SubsidyStatus::Payable => { "支給要領に照らした判定では、要件を満たしています。" }
                                    SubsidyStatus::Pending => { "まだ判定できない要件があります。" }
                                    SubsidyStatus::NotPayable => { "支給要領に照らした判定では、満たしていない要件があります（下の「要件の確認」）。" }
                                }
                                "見込み額は公開資料に基づく目安で、支給の可否と額は労働局が決定します。"
                            }
                        }
                        None => { p { (name) "　—" } }
                    }
                }
            }
        }
    }
}

/// How an estimate is reckoned: 支給対象経費 × 助成率 (上限).
fn basis(
    base: Option<josei_rules::model::Yen>,
    rate: Option<u32>,
    cap: josei_rules::model::Yen,
) -> Option<String> {
    let (base, rate) = (base?, rate?);
    Some(format!(
        "支給対象経費 {} × 助成率 {rate}%（上限 {}）",
        yen(base.0),
        yen(cap.0)
    ))
}

/// The day a decision took effect, in the Japanese era: the day the officer
/// entered, else the day in Japan of the instant it was recorded.
pub(crate) fn decided_day(d: &Decision) -> String {
    if let Ok(day) = parse_iso_date(&d.decided_on) {
        return wa(day);
    }
    d.decided_at
        .parse::<jiff::Timestamp>()
        .map(|t| {
            wa(t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
                .date())
        })
        .unwrap_or_default()
}

/// The checks of a subsidy, with their citations.
fn checks_print(title: &str, checks: &[Check]) -> Markup {
    html! {
        h2 { "要件の確認（" (title) "）" }
        div.table-wrap { table.print-table.checks-print aria-label=(format!("要件の確認（{title}）")) {
            thead { tr { th scope="col" { "結果" } th scope="col" { "内容" } th scope="col" { "根拠" } } }
            tbody { @for c in checks {
                @let (mark, class, label) = check_mark(c.status);
                tr { td class={ (class) " nowrap" } { (mark) " " (label) } td { (c.message) } td.citation { (c.citation) } }
            } }
        } }
    }
}

/// The plan (or, without a plan, the measures before evaluation period 1).
fn plan_doc(p: &Printout, no_plan: bool) -> Markup {
    let doc = &p.view.document;
    let e = p.view.evaluation.as_ref();
    html! {
        @if !no_plan {
            h2 { "計画の日付" }
            table.kv aria-label="計画の日付" { tbody {
                tr { th scope="row" { "計画提出日" } td { (wa_text(&doc["plan"]["submitted_on"])) } }
                tr { th scope="row" { "計画認定日" } td { (wa_text(&doc["plan"]["certified_on"])) } }
                tr { th scope="row" { "評価期間の初日（予定）" } td { (wa_text(&doc["evaluation_start"])) } }
            } }
        }
        (workers_table(doc))
        @if no_plan { (no_plan_measures(doc)) }
        @else if let Some(e) = e { (plan_measures(e)) }
        (expenses_table(p))
        @if let Some(e) = e {
            (turnover_table(e, false))
            (schedule_rows(e))
        }
    }
}

/// The first subsidy's application.
fn equipment_doc(p: &Printout, first: &str) -> Markup {
    let e = p.view.evaluation.as_ref();
    let doc = &p.view.document;
    html! {
        h2 { "申請の内容" }
        table.kv aria-label="申請の内容" { tbody {
            tr { th scope="row" { "支給申請日" } td { @if doc["equipment_application_filed_on"].is_string() { (wa_text(&doc["equipment_application_filed_on"])) } @else { "未申請" } } }
            tr { th scope="row" { "就業規則等の整備日" } td { (wa_text(&doc["work_rules_established_on"])) } }
        } }
        (amount_box(&p.bureau_name, first, decision_on(p, DecisionKind::Equipment), e.map(|e| (e.equipment_subsidy.status, e.equipment_subsidy.amount_yen.0)), e.and_then(|e| basis(e.equipment_subsidy.base_yen, e.equipment_subsidy.rate_percent, e.equipment_subsidy.cap_yen))))
        (expenses_table(p))
        (telework_table(p, &format!("評価期間のテレワーク実績（{first}）"), e.and_then(|e| e.schedule.evaluation_period)))
        @if let Some(t) = e.and_then(|e| e.telework) {
            p { "対象労働者 " (t.target_workers) "人のうち " (t.workers_with_telework) "人が実施、延べ " (t.telework_days) "日（期間 " (t.period_days) "日）。"
                @if t.met { strong.ok { "実績の要件を満たしています。" } } @else { strong.pending { "実績の要件はまだ満たしていません。" } } }
        }
        @if let Some(e) = e { (checks_print(first, &e.equipment_subsidy.checks)) }
    }
}

/// The goal subsidy's application.
fn goal_doc(p: &Printout) -> Markup {
    let e = p.view.evaluation.as_ref();
    let doc = &p.view.document;
    html! {
        h2 { "申請の内容" }
        table.kv aria-label="申請の内容" { tbody {
            tr { th scope="row" { "支給申請日" } td { @if doc["goal_application_filed_on"].is_string() { (wa_text(&doc["goal_application_filed_on"])) } @else { "未申請" } } }
        } }
        (amount_box(&p.bureau_name, "目標達成助成", decision_on(p, DecisionKind::Goal), e.map(|e| (e.goal_subsidy.status, e.goal_subsidy.amount_yen.0)), e.and_then(|e| basis(e.goal_subsidy.base_yen, e.goal_subsidy.rate_percent, e.goal_subsidy.cap_yen))))
        (telework_table(p, "評価期間のテレワーク実績（目標達成助成）", e.and_then(|e| e.schedule.goal_evaluation_period)))
        @if let Some(e) = e {
            @if let Some(n) = e.goal_subsidy.teleworkers {
                p { "テレワークを実施した対象労働者 " (n) "人"
                    @if let Some(r) = e.goal_subsidy.required_teleworkers { "（必要な人数 " (format!("{:.2}", r.to_f64())) "人以上）" } }
            }
            (turnover_table(e, true))
            (checks_print("目標達成助成", &e.goal_subsidy.checks))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_named_and_rates_rounded() {
        assert_eq!(Doc::parse("goal"), Some(Doc::Goal));
        assert_eq!(Doc::parse("all"), None);
        assert_eq!(
            Doc::Equipment.title(true, "制度導入助成"),
            "制度導入助成 支給申請の概要"
        );
        assert_eq!(
            Doc::Plan.title(false, "機器等導入助成"),
            "テレワーク実施計画の概要"
        );
        assert_eq!(percent(Ratio::new(1, 12)), "8.33%");
        assert_eq!(percent(Ratio::new(0, 12)), "0.00%");
        assert_eq!(percent(Ratio::new(1, 8)), "12.50%");
        assert!(percent(None).starts_with('—'));
        assert_eq!(wa_text(&Value::Null), "—");
        assert_eq!(wa_text(&Value::from("2022-07-20")), "令和4年7月20日");
    }
}
