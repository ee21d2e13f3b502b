//! A case's page (its status, checks, schedule, actions), a new case, workflow actions.

use super::*;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use jiff::civil::Date;
use josei_app::access::visible_case;
use josei_app::attachments::AttachmentKind;
use josei_app::cases::{case_view, CaseView};
use josei_app::workflow::{perform_action, ActionBody};
use josei_rules::civil::parse_iso_date;
use josei_rules::evaluate::{CheckId, Evaluation};
use josei_rules::model::{ExpenseCategory, MeasureKind};
use josei_store::Role;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/new", post(case_new))
        .route("/cases/{id}", get(case_page))
        .route("/cases/{id}/action", post(case_action))
}

#[derive(Deserialize)]
pub(crate) struct NewCaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    organization_id: Option<OrganizationId>,
}

pub(crate) async fn case_new(
    State(state): State<AppState>,
    CsrfForm(u, f): CsrfForm<NewCaseForm>,
) -> Response {
    let org = match u.user.role {
        Role::Employer => u.user.organization_id,
        Role::Agent => f.organization_id.filter(|_| true),
        _ => None,
    };
    let Some(org) = org else {
        return error_page(
            StatusCode::FORBIDDEN,
            "作成できません",
            "ケースを作れるのは事業主と、委任を受けた社労士です。",
            Some(&u),
        );
    };
    if u.user.role == Role::Agent
        && !state
            .db
            .agent_org_ids(u.user.id)
            .await
            .unwrap_or_default()
            .contains(&org)
    {
        return error_page(
            StatusCode::NOT_FOUND,
            "見つかりません",
            "その事業主は見つかりません。",
            Some(&u),
        );
    }
    let title = match josei_app::text::validate_title(&f.title) {
        Ok(t) => t,
        Err(e) => {
            return error_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "件名を確かめてください",
                &e.message,
                Some(&u),
            )
        }
    };
    match state.db.create_case(org, &title, u.user.id).await {
        Ok(c) => Redirect::to(&format!("/cases/{}", c.id)).into_response(),
        Err(e) => api_error_page(e, &u),
    }
}

/// The SVG bar chart of telework days per target worker in evaluation period 1.
pub(crate) fn telework_chart(
    per_worker: &[(String, u32)],
    period_days: u32,
    weekly_needed: u32,
) -> Markup {
    let width = 640;
    let bar_h = 22;
    let left = 90;
    let height = per_worker.len() as u32 * (bar_h + 8) + 30;
    let max = per_worker
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0)
        .max(weekly_needed)
        .max(1);
    let scale = |n: u32| (n as f64 / max as f64 * (width - left - 60) as f64) as u32;
    html! {
        svg width="100%" viewBox=(format!("0 0 {width} {height}")) role="img" aria-labelledby="chart-title" {
            title #chart-title { "対象労働者ごとのテレワーク日数（評価期間 " (period_days) "日）" }
            @for (i, (w, n)) in per_worker.iter().enumerate() {
                @let y = i as u32 * (bar_h + 8) + 10;
                text x="0" y=(y + 16) { (w) }
                rect x=(left) y=(y) width=(scale(*n).max(1)) height=(bar_h) fill=(if *n > 0 { "#0b5cad" } else { "#b00020" }) {}
                text x=(left + scale(*n) + 6) y=(y + 16) { (n) "日" }
            }
            @if weekly_needed > 0 {
                @let x = left + scale(weekly_needed);
                line x1=(x) x2=(x) y1="0" y2=(height - 10) stroke="#7a5200" stroke-dasharray="4 3" {}
                text x=(x - 4) y=(height - 2) text-anchor="end" { "週1回の目安 " (weekly_needed) "日" }
            }
        }
    }
}

pub(crate) async fn case_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<CaseId>,
) -> Response {
    let case = match visible_case(&state, &u.user, id).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, &u),
    };
    let view: CaseView = match case_view(&state, &case, &u.user).await {
        Ok(v) => v,
        Err(e) => return api_error_page(e, &u),
    };
    let evaluation = view.evaluation.as_ref();
    let doc = &view.document;
    let officer = u.user.role == Role::Officer;
    let actions = &view.actions;
    let audit = if officer || u.user.role == Role::Admin {
        state
            .db
            .audit_log("case", &id.to_string())
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let attachments = state.db.attachments(id).await.unwrap_or_default();
    let body = html! {
        p.no-print { a href=(if officer { "/queue" } else { "/cases" }) { "← 一覧へ戻る" } }
        h1 { (case.title) }
        p { "状態：" strong { (view.status_label) } "　ケース番号 " (case.id) "　版 " (case.version) }
        @if let Some(e) = evaluation {
            p.regime-note { (e.regime_name) "の制度で判定しています" @if e.regime_kind == josei_rules::regime::RegimeKind::NoPlan { "（計画の認定はなく、取組は評価期間の前3か月に行います）" } }
        }
        @if let Some(d) = &view.next_deadline {
            div.deadline role="status" { "次の期限　" (deadline_text(Some(d))) }
            @if !d.missing.is_empty() {
                h2 { "まだ済んでいないこと" }
                ul { @for x in &d.missing { li { (x) } } }
            }
        }
        @if let Some(err) = &view.evaluation_error {
            p.notice { "判定できません：" (err.message) }
        }
        @if let Some(e) = evaluation {
            div.cards {
                @for (name, sub_status, amount, rate) in [(e.equipment_subsidy.name, e.equipment_subsidy.status, e.equipment_subsidy.amount_yen.0, e.equipment_subsidy.rate_percent), (e.goal_subsidy.name, e.goal_subsidy.status, e.goal_subsidy.amount_yen.0, e.goal_subsidy.rate_percent)] {
                    div.card {
                        h2 { (name) }
                        p.amount class=(status_class(sub_status)) { (sub_status.label_ja()) }
                        @if let Some(rate) = rate {
                            p { (yen(amount)) "（対象経費 " (yen(e.expenses.eligible_total_yen.0)) " × " (rate) "％）" }
                        } @else {
                            p { (yen(amount)) "（定額）" }
                        }
                    }
                }
            }
            @if e.regime_kind == josei_rules::regime::RegimeKind::NoPlan {
                h2 { "評価期間の前3か月の取組" }
                (no_plan_measures(e, doc))
            } @else {
                h2 { "計画の取組" }
                (measures_table(e))
            }
            @if let (Some(t), Some(p)) = (&e.telework, e.schedule.evaluation_period) {
                h2 { "評価期間のテレワーク実績" }
                @let per_worker = per_worker_days(doc, p.from(), p.to());
                @let today = view.today;
                @let left = (josei_rules::civil::day_number(p.to()) - josei_rules::civil::day_number(today)).max(0);
                p { (jd(p.from())) " 〜 " (jd(p.to())) "　残り " strong { (left) "日" } }
                ul {
                    li class=(if t.all_workers_once { "ok" } else { "pending" }) { "① 対象労働者全員が1回以上：" (t.workers_with_telework) " / " (t.target_workers) "人" @if t.all_workers_once { "（達成）" } }
                    li class=(if t.weekly_average_met { "ok" } else { "pending" }) { "② 週平均1回以上：延べ " (t.telework_days) "日" @if t.weekly_average_met { "（達成）" } }
                }
                (telework_chart(&per_worker, t.period_days, ((t.target_workers as u64 * t.period_days as u64).div_ceil(7) / u64::from(t.target_workers.max(1))) as u32))
            }
            h2 { "要件の確認" }
            (checks_table(e.equipment_subsidy.name, &e.equipment_subsidy.checks))
            (checks_table(e.goal_subsidy.name, &e.goal_subsidy.checks))
            h2 { "日程" }
            (schedule_table(e))
            (assumptions_block(e))
        }
        @if !actions.is_empty() {
            h2.no-print { "操作" }
            div.no-print { @for a in actions.iter().copied() {
                form method="post" action=(format!("/cases/{id}/action")) {
                    input type="hidden" name="csrf" value=(u.csrf);
                    input type="hidden" name="version" value=(case.version);
                    input type="hidden" name="action" value=(a);
                    @if officer && (a.starts_with("grant") || a.starts_with("deny") || a.starts_with("return") || a.starts_with("reject")) {
                        label for=(format!("reason-{a}")) { "理由" span.hint { "（差戻し・不認定、判定エンジンと異なる決定には必須）" } }
                        textarea id=(format!("reason-{a}")) name="reason" rows="2" {}
                        @if a.starts_with("grant") {
                            label for=(format!("amount-{a}")) { "決定額（円）" span.hint { "　空欄なら判定エンジンの額" } }
                            input id=(format!("amount-{a}")) type="number" min="0" name="decided_amount_yen";
                        }
                    }
                    button type="submit" class=(if a == "withdraw" { "secondary" } else { "" }) { (action_label_for(a, evaluation)) }
                }
            } }
        }
        @if matches!(u.user.role, Role::Employer | Role::Agent) && case.status.records_editable() {
            p.no-print { a.button href=(format!("/cases/{id}/plan")) { "計画の内容（事業主・対象労働者・経費）を編集する" } }
            h2.no-print { "CSV の取り込み" }
            form.no-print method="post" action=(format!("/cases/{id}/import")) enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(u.csrf);
                label for="kind" { "種類" }
                select #kind name="kind" { option value="telework" { "テレワーク実績（従業員ID・日付・勤務場所）" } option value="roster" { "労働者名簿（従業員ID・入社日・離職日・離職理由）" } }
                label for="file" { "CSV ファイル" span.hint { "　Excel で保存した Shift_JIS でも UTF-8 でも読めます" } }
                input #file type="file" name="file" accept=".csv,text/csv" required;
                button type="submit" { "内容を確認する" }
            }
        }
        h2 { "添付書類" }
        @if attachments.is_empty() { p { "添付書類はありません。" } } @else {
            ul { @for a in &attachments { li { a href=(format!("/api/v1/cases/{id}/attachments/{}", a.id)) { (a.filename) } "（" (a.kind.label_ja()) "、" (a.size_bytes) "バイト）" } } }
        }
        @if matches!(u.user.role, Role::Employer | Role::Agent) && case.status.is_open() {
            form.no-print method="post" action=(format!("/cases/{id}/attachments")) enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(u.csrf);
                label for="attachment-kind" { "書類の種類" }
                select #attachment-kind name="kind" {
                    @for k in AttachmentKind::ALL { option value=(k.as_str()) { (k.label_ja()) } }
                }
                label for="attachment-file" { "ファイル" span.hint { "　PDF・PNG・JPEG・Excel（.xlsx）、10 MiB まで" } }
                input #attachment-file type="file" name="file" accept=".pdf,.png,.jpg,.jpeg,.xlsx" required;
                button type="submit" { "添付する" }
            }
        }
        p.no-print { "印刷用（A4）：" a href=(format!("/cases/{id}/print?doc=plan")) { "計画の概要" } "　" a href=(format!("/cases/{id}/print?doc=equipment")) { "機器等導入助成の申請" } "　" a href=(format!("/cases/{id}/print?doc=goal")) { "目標達成助成の申請" } }
        @if !audit.is_empty() {
            h2 { "監査ログ" }
            div.table-wrap { table {
                thead { tr { th scope="col" { "日時" } th scope="col" { "利用者" } th scope="col" { "操作" } th scope="col" { "内容" } } }
                tbody { @for a in &audit {
                    tr { td { (jtime(&a.at)) } td { (a.user_id.map(|x| x.to_string()).unwrap_or_else(|| "システム".into())) } td { (a.action) } td { code { (a.after.as_ref().map(|v| { let s = v.to_string(); s.chars().take(160).collect::<String>() }).unwrap_or_default()) } } }
                } }
            } }
        }
    };
    page(&case.title, Some(&u), body).into_response()
}

/// Telework days per target worker (home or satellite office, once a day) in the period.
pub(crate) fn per_worker_days(doc: &Value, from: Date, to: Date) -> Vec<(String, u32)> {
    let targets: Vec<String> = doc["plan"]["target_workers"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut days: HashMap<&str, std::collections::HashSet<String>> = HashMap::new();
    if let Some(tw) = doc["telework"].as_array() {
        for t in tw {
            let (Some(w), Some(d), Some(p)) = (
                t["worker"].as_str(),
                t["date"].as_str(),
                t["place"].as_str(),
            ) else {
                continue;
            };
            let Ok(date) = parse_iso_date(d) else {
                continue;
            };
            if (p == "home" || p == "satellite_office") && from <= date && date <= to {
                days.entry(w).or_default().insert(d.to_string());
            }
        }
    }
    targets
        .iter()
        .map(|w| {
            (
                w.clone(),
                days.get(w.as_str()).map_or(0, |s| s.len() as u32),
            )
        })
        .collect()
}

pub(crate) fn checks_table(title: &str, checks: &[josei_rules::evaluate::Check]) -> Markup {
    html! {
        div.table-wrap { table {
            caption { (title) }
            thead { tr { th scope="col" { "結果" } th scope="col" { "内容" } th scope="col" { "根拠" } } }
            tbody { @for c in checks {
                @let (mark, class, label) = check_mark(c.status);
                tr { td class={ (class) " nowrap" } { (mark) " " (label) } td { (c.message) } td.citation { (c.citation) } }
            } }
        } }
    }
}

pub(crate) fn schedule_table(e: &Evaluation) -> Markup {
    // Labels follow the regime's procedure.
    let s = &e.schedule;
    let row = |label: &str, v: Option<String>| html! { tr { th scope="row" { (label) } td { (v.unwrap_or_else(|| "未定".into())) } } };
    let period = |p: Option<josei_rules::civil::Period>| {
        p.map(|p| format!("{} 〜 {}", jd(p.from()), jd(p.to())))
    };
    let deadline = |d: Option<josei_rules::schedule::Deadline>| {
        d.map(|d| {
            if d.nominal == d.effective {
                jd(d.effective)
            } else {
                format!(
                    "{}（本来の期限 {} が閉庁日のため延長）",
                    jd(d.effective),
                    jd(d.nominal)
                )
            }
        })
    };
    let first = e.equipment_subsidy.name;
    let no_plan = e.regime_kind == josei_rules::regime::RegimeKind::NoPlan;
    html! {
        div.table-wrap { table { tbody {
            @if no_plan {
                (row("制度導入前の離職率の期間", period(s.plan_turnover_period)))
                (row("取組（職場風土作り・就業規則・研修など）の期間", period(s.measures_window)))
            } @else {
                (row("計画時離職率の期間", period(s.plan_turnover_period)))
                (row("評価期間を設定できる期間", period(s.evaluation_window)))
            }
            (row(&format!("評価期間（{first}）"), period(s.evaluation_period)))
            (row(&format!("{first}の申請期限"), deadline(s.equipment_application_deadline)))
            (row(if no_plan { "制度導入後の離職率の期間" } else { "評価時離職率の期間" }, period(s.evaluation_turnover_period)))
            (row("評価期間（目標達成助成）", period(s.goal_evaluation_period)))
            (row("目標達成助成の申請期限", deadline(s.goal_application_deadline)))
        } } }
    }
}

/// 「未確認の前提」: the values graded interpretation or unverified that the
/// evaluation used, named for people.
pub(crate) fn assumptions_block(e: &Evaluation) -> Markup {
    html! {
        @if !e.assumptions.is_empty() {
            details.assumptions {
                summary { "未確認の前提（" (e.assumptions.len()) "件）" }
                p.hint { "公式の支給要領で確認できていない値や、josei の解釈を含みます。最寄りの労働局で確認してください。" }
                ul { @for a in &e.assumptions { li { (a.label) "（" (a.grade.label_ja()) "）" } } }
            }
        }
    }
}

/// The no-plan regimes' measures: 職場風土作り, the measures in the window, the work rules.
pub(crate) fn no_plan_measures(e: &Evaluation, doc: &Value) -> Markup {
    let check = |id: CheckId| {
        e.equipment_subsidy
            .checks
            .iter()
            .find(|c| c.id == id)
            .map(|c| (c.status, c.message.clone()))
    };
    let measures: Vec<(String, String)> = doc["measures"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    (
                        m["kind"]
                            .as_str()
                            .and_then(MeasureKind::parse)
                            .map_or("—", |k| k.label_ja())
                            .to_string(),
                        jdate(m["on"].as_str().unwrap_or("")),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    html! {
        div.table-wrap { table {
            caption { "取組の状況" }
            thead { tr { th scope="col" { "取組" } th scope="col" { "状況" } } }
            tbody {
                @for (label, id) in [("職場風土作り（必須）", CheckId::WorkplaceClimate), ("研修・コンサルティングなど（1つ以上）", CheckId::Measures), ("就業規則等の整備", CheckId::WorkRulesEstablished)] {
                    @if let Some((status, message)) = check(id) {
                        @let (mark, class, word) = check_mark(status);
                        tr { td { (label) } td class=(class) { span aria-label=(word) { (mark) } " " (message) } }
                    }
                }
            }
        } }
        @if !measures.is_empty() {
            ul { @for (kind, on) in &measures { li { (kind) "（" (on) "）" } } }
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct ActionForm {
    #[serde(default)]
    csrf: String,
    version: i64,
    action: String,
    reason: Option<String>,
    decided_amount_yen: Option<String>,
}

pub(crate) async fn case_action(
    State(state): State<AppState>,
    Path(id): Path<CaseId>,
    CsrfForm(u, f): CsrfForm<ActionForm>,
) -> Response {
    let amount = match f
        .decided_amount_yen
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => match s.replace(',', "").parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return error_page(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "決定額を確かめてください",
                    "決定額は0以上の整数（円）で入力してください。",
                    Some(&u),
                )
            }
        },
    };
    let body = ActionBody {
        version: f.version,
        reason: f.reason,
        decided_amount_yen: amount,
    };
    match perform_action(&state, &u.user, id, &f.action, body).await {
        Ok(_) => Redirect::to(&format!("/cases/{id}")).into_response(),
        Err(e) => api_error_page(e, &u),
    }
}

/// The plan's measures (テレワークを可能とする取組, seed 002 ⑤), derived from
/// the expenses and the work-rules check: what is planned, for how much.
pub(crate) fn measures_table(e: &Evaluation) -> Markup {
    use ExpenseCategory as C;
    let measures: [(&str, &[C]); 5] = [
        (
            "(イ) 就業規則・労使協定等の作成・変更（必須）",
            &[C::WorkRules],
        ),
        ("(ロ) 外部専門家によるコンサルティング", &[C::Consulting]),
        (
            "(ハ) テレワーク用通信機器等の導入・運用",
            &[
                C::NetworkEquipment,
                C::ServerEquipment,
                C::NasEquipment,
                C::SecurityEquipment,
                C::WebConferenceEquipment,
                C::SatelliteOfficeFee,
                C::TeleworkServiceInitial,
                C::TeleworkServiceFee,
            ],
        ),
        ("(ニ) 労務管理担当者に対する研修", &[C::ManagerTraining]),
        ("(ホ) 労働者に対する研修", &[C::WorkerTraining]),
    ];
    let work_rules = e
        .equipment_subsidy
        .checks
        .iter()
        .find(|c| c.id == CheckId::WorkRulesEstablished);
    html! {
        div.table-wrap { table {
            caption { "テレワークを可能とする取組" }
            thead { tr { th scope="col" { "取組" } th.num scope="col" { "経費" } th.num scope="col" { "対象になる額" } th scope="col" { "状況" } } }
            tbody { @for (i, (name, cats)) in measures.iter().enumerate() {
                @let rows: Vec<_> = e.expenses.categories.iter().filter(|c| cats.contains(&c.category)).collect();
                @let claimed: u64 = rows.iter().map(|c| c.claimed_yen.0).sum();
                @let eligible: u64 = rows.iter().map(|c| c.eligible_yen.0).sum();
                tr {
                    td { (name) }
                    td.num { (yen(claimed)) }
                    td.num { (yen(eligible)) }
                    td {
                        @if i == 0 {
                            @if let Some(c) = work_rules { @let (mark, class, _) = check_mark(c.status); span class=(class) { (mark) " " } (c.message) }
                        } @else if claimed > 0 { "予定あり" } @else { "予定なし" }
                    }
                }
            } }
        } }
    }
}

has_csrf!(NewCaseForm, ActionForm);
