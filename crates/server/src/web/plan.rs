//! The plan editor (`/cases/{id}/plan`): the case's inputs as a form people
//! can use. Target workers and expenses are rows (氏名・社員番号・雇用形態;
//! 区分・内容・金額・支払の状況・日付) whose ids the system gives and keeps
//! and no page shows; what is typed is normalised (NFKC) and read by
//! [`form`], every problem shown by its field with a summary at the top and
//! nothing typed lost; receipts and invoices are attached on their expense
//! row. Works without JavaScript (`/plan.js` adds and removes rows, uploads
//! without leaving the page and shows the caps while typing).

use super::*;
use crate::AppState;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use jiff::civil::Date;
use josei_app::access::visible_case;
use josei_app::estimate::Estimate;
use josei_app::today;
use josei_rules::model::{Disqualification, ExpenseCategory, MeasureKind};
use josei_rules::regime::{CategoryRule, Regime, RegimeKind};
use josei_store::{Attachment, AttachmentId, Role};
use maud::{html, Markup};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

mod form;
pub(crate) use form::nfkc;
use form::{ExpenseRow, FieldError, WorkerRow};

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/plan", get(plan_page).post(plan_submit))
        .route("/cases/{id}/plan/attachments", post(receipt_upload))
        .route(
            "/cases/{id}/plan/attachments/{aid}/delete",
            post(receipt_delete),
        )
}

/// The expense categories in the order and groups the form offers them.
const CATEGORY_GROUPS: &[(&str, &[ExpenseCategory])] = {
    use ExpenseCategory::*;
    &[
        (
            "機器・ソフトウェア",
            &[
                NetworkEquipment,
                ServerEquipment,
                NasEquipment,
                SecurityEquipment,
                WebConferenceEquipment,
                PcRentalLease,
                PcTabletSmartphone,
            ],
        ),
        (
            "サービス・利用料",
            &[
                TeleworkServiceInitial,
                TeleworkServiceFee,
                SatelliteOfficeFee,
            ],
        ),
        (
            "就業規則・研修・専門家",
            &[
                WorkRules,
                ManagerTraining,
                WorkerTraining,
                Consulting,
                Travel,
            ],
        ),
        ("その他", &[Other]),
    ]
};

/// Examples that help people find an item's category.
fn category_examples(c: ExpenseCategory) -> &'static str {
    use ExpenseCategory::*;
    match c {
        NetworkEquipment => "ルーター、VPN装置、Wi-Fi機器など",
        ServerEquipment => "リモートアクセス用のサーバなど",
        NasEquipment => "ファイル共有用のNASなど",
        SecurityEquipment => "ファイアウォール、ウイルス対策ソフトなど",
        WebConferenceEquipment => "ヘッドセット、Webカメラ、マイクなど",
        PcRentalLease => "ノートPC、タブレットなど",
        PcTabletSmartphone => "",
        TeleworkServiceInitial => "リモートデスクトップ、クラウドサービスの導入費など",
        TeleworkServiceFee => "Web会議ツール、リモートデスクトップなどの利用料",
        SatelliteOfficeFee => "シェアオフィスなどの利用料",
        WorkRules => "社会保険労務士への報酬など",
        ManagerTraining => "労務管理担当者向けの研修の費用",
        WorkerTraining => "テレワークをする労働者向けの研修の費用",
        Consulting => "社会保険労務士などの専門家による指導の費用",
        Travel => "研修・コンサルティングのための旅費",
        Other => "上のどれにも当たらないもの",
    }
}

/// A category as the select offers it, e.g.
/// `Web会議関係機器（ヘッドセット、Webカメラ、マイクなど）`.
fn category_option(c: ExpenseCategory, regime: &Regime) -> String {
    let examples = category_examples(c);
    let mut text = if examples.is_empty() {
        c.label_ja().to_string()
    } else {
        format!("{}（{examples}）", c.label_ja())
    };
    if !regime.category(c).eligible() {
        text.push_str("　※この年度は対象外");
    }
    text
}

const TRAVEL_FOR_LABELS: &[(&str, &str)] = &[
    ("manager_training", "労務管理担当者研修"),
    ("worker_training", "労働者研修"),
    ("consulting", "コンサルティング"),
];

/// Everything one rendering of the form needs.
struct View<'a> {
    id: CaseId,
    version: i64,
    csrf: &'a str,
    /// The document whose employer, dates and measures the form shows.
    doc: &'a Value,
    workers: &'a [WorkerRow],
    expenses: &'a [ExpenseRow],
    errors: &'a [FieldError],
    plan_editable: bool,
    records_editable: bool,
    regime: &'static Regime,
    attachments: &'a [Attachment],
    /// The files that may still be removed (no filing rests on them yet).
    removable: HashSet<AttachmentId>,
    /// Whether a file attached now could be removed (the application is open).
    new_files_removable: bool,
    /// Expense ids saved in the case: only their rows take files.
    saved_expenses: HashSet<String>,
    estimate: Option<Estimate>,
    notice: Option<&'static str>,
    amendment: &'a str,
    filed: bool,
}

impl View<'_> {
    fn error(&self, field: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }

    /// The message under a field, when it has one.
    fn field_error(&self, field: &str) -> Markup {
        html! {
            @if let Some(e) = self.error(field) {
                p.field-error id=(format!("{field}-error")) { (e.message) }
            }
        }
    }

    fn invalid(&self, field: &str) -> Option<&'static str> {
        self.error(field).map(|_| "true")
    }

    fn described(&self, field: &str) -> Option<String> {
        self.error(field).map(|_| format!("{field}-error"))
    }
}

/// The page's heading, messages and form.
fn plan_page_body(title: &str, v: &View<'_>) -> Markup {
    let id = v.id;
    html! {
        div.plan-editor {
        p.no-print { a href=(format!("/cases/{id}")) { "← 申請の状況に戻る" } }
        h1 { "計画の内容: " (title) }
        @if let Some(n) = v.notice {
            div.success role="status" { p { strong { (n) } " " a href=(format!("/cases/{id}")) { "申請の状況を見る" } } }
        }
        @if !v.errors.is_empty() {
            div.error-summary #error-summary role="alert" tabindex="-1" aria-labelledby="error-summary-title" {
                h2 #error-summary-title { "入力を確かめてください（" (v.errors.len()) "か所）" }
                p { "入力した内容は残っています。直してから、もう一度「保存する」を押してください。" }
                ul {
                    @for e in v.errors {
                        li { a href=(format!("#{}", e.field)) { (e.label) "：" (e.message) } }
                    }
                }
            }
        }
        @if !v.records_editable {
            p.notice { "この申請はいまの状態では変更できません。内容の確認だけができます。" }
        }
        (plan_form(v))
        }
    }
}

/// The plan form.
fn plan_form(v: &View<'_>) -> Markup {
    let id = v.id;
    let doc = v.doc;
    let e = &doc["employer"];
    let s = |v: &Value| {
        v.as_str().map(str::to_string).unwrap_or_else(|| {
            if v.is_null() {
                String::new()
            } else {
                v.to_string()
            }
        })
    };
    let number = |v: &Value| v.as_u64().map(form::thousands).unwrap_or_else(|| s(v));
    let mut measures: Vec<Value> = doc["measures"].as_array().cloned().unwrap_or_default();
    measures.extend([json!({}), json!({})]);
    let no_plan = v.regime.kind == RegimeKind::NoPlan;
    html! {
        form #plan-form method="post" action=(format!("/cases/{id}/plan")) novalidate {
            input type="hidden" name="csrf" value=(v.csrf);
            input type="hidden" name="version" value=(v.version);
            fieldset.plan-section disabled[!v.records_editable] {
            legend.sr-only { "計画の内容" }
            fieldset #employer disabled[!v.plan_editable] {
                legend { "事業主" @if !v.plan_editable { span.hint { "（計画の提出後は変更できません）" } } }
                label for="employer_name" { "事業主の名称" }
                input #employer_name type="text" name="employer_name" value=(s(&e["name"])) maxlength="200" aria-invalid=[v.invalid("employer_name")] aria-describedby=[v.described("employer_name")];
                (v.field_error("employer_name"))
                label for="employer_industry" { "業種" }
                select #employer_industry name="employer_industry" aria-invalid=[v.invalid("employer_industry")] aria-describedby=[v.described("employer_industry")] {
                    @for (val, l) in form::INDUSTRIES { option value=(val) selected[s(&e["industry"]) == *val] { (l) } }
                }
                (v.field_error("employer_industry"))
                label for="employer_capital_yen" { "資本金・出資の総額" span.hint { "　ない場合は空欄" } }
                span.with-unit {
                    input #employer_capital_yen.amount type="text" inputmode="numeric" autocomplete="off" name="employer_capital_yen" value=(number(&e["capital_yen"])) aria-invalid=[v.invalid("employer_capital_yen")] aria-describedby=[v.described("employer_capital_yen")];
                    span.unit { "円" }
                }
                (v.field_error("employer_capital_yen"))
                label for="employer_regular_employees" { "常時雇用する労働者の数" }
                span.with-unit {
                    input #employer_regular_employees.count type="text" inputmode="numeric" autocomplete="off" name="employer_regular_employees" value=(number(&e["regular_employees"])) aria-invalid=[v.invalid("employer_regular_employees")] aria-describedby=[v.described("employer_regular_employees")];
                    span.unit { "人" }
                }
                (v.field_error("employer_regular_employees"))
                label for="employer_telework_status" { "テレワークの状況" }
                select #employer_telework_status name="employer_telework_status" aria-invalid=[v.invalid("employer_telework_status")] aria-describedby=[v.described("employer_telework_status")] {
                    @for (val, l) in form::TELEWORK_STATUSES { option value=(val) selected[s(&e["telework_status"]) == *val] { (l) } }
                }
                (v.field_error("employer_telework_status"))
                @for (name, label) in [("employment_insurance", "雇用保険の適用事業主"), ("work_rules_have_telework", "取組の前（計画の提出時）に、就業規則等へ全社的なテレワークの規定がある"), ("received_telework_subsidy", "過去にこの助成金（テレワークコースとその前身）を受けた"), ("received_other_telework_subsidy", "国や地方公共団体の、ほかのテレワーク導入の助成金を受けた")] {
                    label.check { input type="checkbox" name=(format!("employer_{name}")) value="true" checked[e[name] == true]; " " (label) }
                }
                fieldset.choices {
                    legend { "不支給要件（支給要件確認申立書で申し立てる内容）" }
                    label.check { input type="checkbox" name="disqualifications_declared" value="true" checked[e["disqualifications"].is_array()]; " 確認した（該当するものがあれば下で選ぶ）" }
                    @for d in Disqualification::ALL {
                        label.check { input type="checkbox" name=(format!("disq_{}", d.as_str())) value="true" checked[e["disqualifications"].as_array().is_some_and(|a| a.iter().any(|x| x == d.as_str()))]; " " (d.label_ja()) }
                    }
                }
            }
            (applicant_section(v))
            (workers_section(v))
            fieldset #dates {
                legend { "日付" }
                p.regime-note { (v.regime.name) "の制度で入力しています" @if no_plan { "（計画の認定はなく、取組は評価期間の初日の前3か月に行います）" } }
                (date_field(v, "work_rules_established_on", "就業規則等にテレワークの規定を整備した日", if no_plan { "　評価期間の初日の前3か月の間に" } else { "　計画認定日以降、支給申請までに" }, &s(&doc["work_rules_established_on"])))
                (date_field(v, "evaluation_start", "評価期間（機器等導入助成・制度導入助成）の初日", "", &s(&doc["evaluation_start"])))
                (date_field(v, "climate_top_message_on", "職場風土作り：企業トップからのメッセージ発信・社内呼びかけをした日", "　令和4年度から必須", &s(&doc["workplace_climate"]["top_message_on"])))
                (date_field(v, "climate_case_sharing_on", "職場風土作り：テレワーク事例を収集し社内に周知した日", "", &s(&doc["workplace_climate"]["case_sharing_on"])))
                label for="telework_before_count" { "拡大前3か月の延べテレワーク実施回数" span.hint { "　テレワークを拡大する事業主のみ（1人1日1回）" } }
                span.with-unit {
                    input #telework_before_count.count type="text" inputmode="numeric" autocomplete="off" name="telework_before_count" value=(number(&doc["telework_before_count"])) aria-invalid=[v.invalid("telework_before_count")] aria-describedby=[v.described("telework_before_count")];
                    span.unit { "回" }
                }
                (v.field_error("telework_before_count"))
                label.check { input type="checkbox" name="productivity_met" value="true" checked[doc["productivity"]["met"] == true]; " 生産性要件を満たしている（令和4年度までの目標達成助成の割増）" }
                fieldset.choices {
                    legend { "賃金要件（令和5年度からの目標達成助成の割増）" }
                    @let wage = s(&doc["wage_increase"]["met"]);
                    @for (val, l) in [("", "未入力"), ("true", "満たしている"), ("false", "満たしていない")] {
                        label.check { input type="radio" name="wage_met" value=(val) checked[wage == val]; " " (l) }
                    }
                }
            }
            fieldset #measures {
                legend { "取組（令和7年度から：評価期間の初日の前3か月に行ったもの）" }
                p.hint { "外部専門家によるコンサルティング、労務管理担当者への研修、労働者への研修のいずれか1つ以上が必要です（テレワークを拡大する事業主は就業規則等の拡充でも可）。" }
                @for (i, m) in measures.iter().enumerate() {
                    div.measure-row {
                        @let (kind, on) = (format!("m{i}_kind"), format!("m{i}_on"));
                        div.field {
                            label for=(kind) { (i + 1) "件目の取組" }
                            select id=(kind) name=(kind) aria-invalid=[v.invalid(&kind)] aria-describedby=[v.described(&kind)] {
                                option value="" { "—" }
                                @for k in MeasureKind::ALL { option value=(k.as_str()) selected[s(&m["kind"]) == k.as_str()] { (k.label_ja()) } }
                            }
                            (v.field_error(&kind))
                        }
                        div.field {
                            label for=(on) { "実施日" }
                            input id=(on) type="date" name=(on) value=(s(&m["on"])) aria-invalid=[v.invalid(&on)] aria-describedby=[v.described(&on)];
                            (v.field_error(&on))
                        }
                    }
                }
            }
            (expenses_section(v))
            @if v.filed {
                fieldset #amendment {
                    legend { "修正の理由" }
                    p.hint { "支給申請の後に、申請の根拠になった内容（経費・評価期間・取組・申請済みの期間のテレワーク実績など）を変えるときは、理由を書いてください。記録に残ります。" }
                    label for="amendment_reason" { "理由" }
                    textarea #amendment_reason name="amendment_reason" rows="2" aria-invalid=[v.invalid("amendment_reason")] aria-describedby=[v.described("amendment_reason")] { (v.amendment) }
                    (v.field_error("amendment_reason"))
                }
            }
            @if v.records_editable {
                button type="submit" { "保存する" }
            }
            " " a href=(format!("/cases/{id}")) { "保存せずに戻る" }
            }
        }
        // Files are sent by forms of their own (HTML forms do not nest); the
        // controls on each expense row belong to them through `form=`.
        @for x in v.expenses.iter().filter(|x| v.saved_expenses.contains(&x.id)) {
            form.file-form id=(format!("up-{}", x.key)) method="post" action=(format!("/cases/{id}/plan/attachments")) enctype="multipart/form-data" data-expense=(x.id) data-row=(x.key) {
                input type="hidden" name="csrf" value=(v.csrf);
                input type="hidden" name="expense" value=(x.id);
            }
        }
        @for a in v.attachments.iter().filter(|a| a.expense_ref.is_some() && v.removable.contains(&a.id)) {
            form.file-form id=(format!("del-{}", a.id)) method="post" action=(format!("/cases/{id}/plan/attachments/{}/delete", a.id)) {
                input type="hidden" name="csrf" value=(v.csrf);
            }
        }
        (templates(v))
        (estimate_section(v))
        script src="/plan.js" defer {}
    }
}

/// The applicant's particulars the printed plan and applications carry
/// (所在地, 代表者, 雇用保険適用事業所番号): optional, not used by the
/// judgement, and still editable after the plan is submitted.
fn applicant_section(v: &View<'_>) -> Markup {
    let e = &v.doc["employer"];
    let text = |k: &str| e[k].as_str().unwrap_or_default().to_string();
    html! {
        fieldset #applicant {
            legend { "申請書に載せる事業主の情報（任意）" }
            p.hint #applicant-hint { "計画や支給申請の書類を印刷するときに載せます。判定には使いません。空欄のままなら、印刷した書類に手で記入できます。" }
            @for (key, label, max) in josei_app::printout::APPLICANT_FIELDS {
                @let name = format!("employer_{key}");
                @let number = key == "employment_insurance_number";
                label for=(name) {
                    (label)
                    @if number { span.hint { "　11桁の数字。例: 1301-123456-7（ハイフンは省略できます）" } }
                    @else if key == "representative" { span.hint { "　例: 代表取締役 港 花子" } }
                    @else { span.hint { "　例: 東京都港区芝公園1-1-1" } }
                }
                input id=(name) name=(name) type="text" value=(text(key)) maxlength=(if number { 20 } else { max })
                    autocomplete=(match key { "address" => "street-address", _ => "off" })
                    inputmode=[number.then_some("numeric")]
                    aria-invalid=[v.invalid(&name)] aria-describedby=[v.described(&name)];
                (v.field_error(&name))
            }
        }
    }
}

fn date_field(v: &View<'_>, name: &str, label: &str, hint: &str, value: &str) -> Markup {
    html! {
        label for=(name) { (label) @if !hint.is_empty() { span.hint { (hint) } } }
        input id=(name) type="date" name=(name) value=(value) aria-invalid=[v.invalid(name)] aria-describedby=[v.described(name)];
        (v.field_error(name))
    }
}

/// The target workers: a row each, and blank rows to add more.
fn workers_section(v: &View<'_>) -> Markup {
    let blank = |i: usize| WorkerRow {
        key: (v
            .workers
            .iter()
            .filter_map(|w| w.key.parse::<usize>().ok())
            .max()
            .map_or(0, |k| k + 1)
            + i)
            .to_string(),
        employment: "direct".into(),
        ..Default::default()
    };
    let blanks: Vec<WorkerRow> = if v.plan_editable {
        (0..if v.workers.is_empty() { 3 } else { 2 })
            .map(blank)
            .collect()
    } else {
        Vec::new()
    };
    html! {
        fieldset #workers aria-describedby="workers-hint" disabled[!v.plan_editable] {
            legend { "対象労働者" @if !v.plan_editable { span.hint { "（計画の提出後は変更できません）" } } }
            p.hint #workers-hint { "テレワークをする人を1行に1人ずつ入力します。社員番号は、勤怠の記録と突き合わせるときに使います（なければ空欄）。" }
            (v.field_error("workers"))
            table.rows.worker-table aria-label="対象労働者" {
                thead { tr { th scope="col" { "氏名" } th scope="col" { "社員番号（任意）" } th scope="col" { "雇用形態" } th scope="col" { span.sr-only { "行の操作" } } } }
                tbody #worker-rows {
                    @for w in v.workers { (worker_row(v, w, false)) }
                    @for w in &blanks { (worker_row(v, w, true)) }
                }
            }
            @if v.plan_editable {
                button.secondary.add-row type="button" data-template="worker-template" data-target="worker-rows" hidden { "＋ 行を追加" }
                p.hint.no-js { "行が足りないときは、いったん保存すると空の行が増えます。" }
            }
        }
    }
}

fn worker_row(v: &View<'_>, w: &WorkerRow, blank: bool) -> Markup {
    let f = |name: &str| format!("w{}_{name}", w.key);
    let (name, number, employment) = (f("name"), f("number"), f("employment"));
    let valid_employment = matches!(w.employment.as_str(), "direct" | "dispatched");
    html! {
        tr.worker-row data-blank=[blank.then_some("true")] {
            td {
                label.cell-label for=(name) { "氏名" }
                input id=(name) name=(name) type="text" value=(w.name) maxlength="100" autocomplete="off" aria-invalid=[v.invalid(&name)] aria-describedby=[v.described(&name)];
                (v.field_error(&name))
            }
            td {
                label.cell-label for=(number) { "社員番号（任意）" }
                input.short id=(number) name=(number) type="text" value=(w.number) maxlength="30" autocomplete="off" aria-invalid=[v.invalid(&number)] aria-describedby=[v.described(&number)];
                (v.field_error(&number))
            }
            td {
                label.cell-label for=(employment) { "雇用形態" }
                select id=(employment) name=(employment) aria-invalid=[v.invalid(&employment)] aria-describedby=[v.described(&employment)] {
                    @if !valid_employment { option value="" selected { "選んでください" } }
                    option value="direct" selected[w.employment == "direct"] { "直接雇用" }
                    option value="dispatched" selected[w.employment == "dispatched"] { "派遣労働者" }
                }
                (v.field_error(&employment))
            }
            td.row-actions {
                input type="hidden" name=(f("id")) value=(w.id);
                label.check.remove-row { input type="checkbox" name=(f("remove")) value="true"; " この行を削除" }
            }
        }
    }
}

/// Each category's cap for the live display: fixed caps, and caps per target worker.
fn caps(regime: &Regime) -> (BTreeMap<&'static str, u64>, BTreeMap<&'static str, u64>) {
    let (mut fixed, mut per) = (BTreeMap::new(), BTreeMap::new());
    for c in ExpenseCategory::ALL {
        match regime.category(*c) {
            CategoryRule::Ineligible => {
                fixed.insert(c.as_str(), 0);
            }
            CategoryRule::Cap(n) => {
                fixed.insert(c.as_str(), n);
            }
            CategoryRule::PerTargetWorker(n) => {
                per.insert(c.as_str(), n);
            }
        }
    }
    (fixed, per)
}

/// The expenses: a row (two lines) each, blank rows to add more, and totals.
fn expenses_section(v: &View<'_>) -> Markup {
    let next = v
        .expenses
        .iter()
        .filter_map(|x| x.key.parse::<usize>().ok())
        .max()
        .map_or(0, |k| k + 1);
    let blanks: Vec<ExpenseRow> = if v.records_editable {
        (0..if v.expenses.is_empty() { 3 } else { 2 })
            .map(|i| ExpenseRow {
                key: (next + i).to_string(),
                status: "paid".into(),
                ..Default::default()
            })
            .collect()
    } else {
        Vec::new()
    };
    let (fixed, per) = caps(v.regime);
    let (mut paid, mut planned) = (0u64, 0u64);
    for x in v.expenses {
        let a = form::parse_amount(&x.amount).ok().flatten().unwrap_or(0);
        if x.status == "planned" {
            planned = planned.saturating_add(a);
        } else {
            paid = paid.saturating_add(a);
        }
    }
    html! {
        fieldset #expenses-section {
            legend { "経費（税込）" }
            p.hint { "支払った経費は「支払済」と支払日を、これから買うものは「予定」を選びます。予定の経費は見込み額にだけ入ります。" @if v.regime.kind == RegimeKind::Plan { "納品日・支払日は計画認定日以降、支給申請日までのものが対象です。" } }
            (v.field_error("expenses"))
            table.rows.expense-table #expenses aria-label="経費" data-caps=(serde_json::to_string(&fixed).unwrap_or_default()) data-caps-per-worker=(serde_json::to_string(&per).unwrap_or_default()) data-files-removable=[v.new_files_removable.then_some("true")] {
                thead { tr {
                    th scope="col" { "区分" }
                    th scope="col" { "内容" }
                    th.num scope="col" { "金額（税込）" }
                    th scope="col" { "支払の状況・支払日" }
                    th scope="col" { "納品日" }
                } }
                @for x in v.expenses { (expense_row(v, x, false)) }
                @for x in &blanks { (expense_row(v, x, true)) }
            }
            @if v.records_editable {
                button.secondary.add-row type="button" data-template="expense-template" data-target="expenses" hidden { "＋ 行を追加" }
                p.hint.no-js { "行が足りないときは、いったん保存すると空の行が増えます。" }
            }
            p.totals aria-live="polite" {
                "支払済の合計 " strong #total-paid { (form::thousands(paid)) "円" }
                "　予定の合計 " strong #total-planned { (form::thousands(planned)) "円" }
            }
        }
    }
}

fn expense_row(v: &View<'_>, x: &ExpenseRow, blank: bool) -> Markup {
    let f = |name: &str| format!("x{}_{name}", x.key);
    let [category, description, amount, status, paid_on, delivered_on, months, travel, other, file] =
        [
            "category",
            "description",
            "amount",
            "status",
            "paid_on",
            "delivered_on",
            "months",
            "for",
            "other_subsidy",
            "file",
        ]
        .map(f);
    let saved = v.saved_expenses.contains(&x.id);
    let files: Vec<&Attachment> = v
        .attachments
        .iter()
        .filter(|a| saved && a.expense_ref.as_deref() == Some(x.id.as_str()))
        .collect();
    let valid_category = ExpenseCategory::parse(&x.category).is_some();
    html! {
        tbody.expense-row id=(format!("xrow-{}", x.key)) data-blank=[blank.then_some("true")] data-files=(files.len()) {
            tr.main {
                td.category {
                    label.cell-label for=(category) { "区分" }
                    select id=(category) name=(category) data-role="category" aria-invalid=[v.invalid(&category)] aria-describedby=[v.described(&category)] {
                        option value="" selected[!valid_category] { "選んでください" }
                        @for (group, members) in CATEGORY_GROUPS {
                            optgroup label=(group) {
                                @for c in *members { option value=(c.as_str()) selected[x.category == c.as_str()] { (category_option(*c, v.regime)) } }
                            }
                        }
                    }
                    (v.field_error(&category))
                }
                td {
                    label.cell-label for=(description) { "内容" }
                    input id=(description) name=(description) type="text" value=(x.description) maxlength="200" placeholder="例：ヘッドセット 3台" aria-invalid=[v.invalid(&description)] aria-describedby=[v.described(&description)];
                    (v.field_error(&description))
                }
                td.num {
                    label.cell-label for=(amount) { "金額（税込）" }
                    span.with-unit {
                        input.amount id=(amount) name=(amount) type="text" inputmode="numeric" autocomplete="off" value=(x.amount) data-role="amount" aria-invalid=[v.invalid(&amount)] aria-describedby=[v.described(&amount)];
                        span.unit { "円" }
                    }
                    (v.field_error(&amount))
                }
                td {
                    label.cell-label for=(status) { "支払の状況" }
                    select id=(status) name=(status) data-role="status" aria-invalid=[v.invalid(&status)] aria-describedby=[v.described(&status)] {
                        @if !matches!(x.status.as_str(), "paid" | "planned") { option value="" selected { "選んでください" } }
                        option value="paid" selected[x.status == "paid"] { "支払済" }
                        option value="planned" selected[x.status == "planned"] { "予定（支払前）" }
                    }
                    (v.field_error(&status))
                    div.paid-on {
                        label.sub-label for=(paid_on) { "支払日" }
                        input id=(paid_on) name=(paid_on) type="date" value=(x.paid_on) aria-invalid=[v.invalid(&paid_on)] aria-describedby=[v.described(&paid_on)];
                        (v.field_error(&paid_on))
                    }
                }
                td {
                    label.cell-label for=(delivered_on) { "納品日" }
                    input id=(delivered_on) name=(delivered_on) type="date" value=(x.delivered_on) aria-invalid=[v.invalid(&delivered_on)] aria-describedby=[v.described(&delivered_on)];
                    (v.field_error(&delivered_on))
                }
            }
            tr.extra {
                td colspan="5" {
                    div.extra-fields {
                        div.field data-show-for="pc_rental_lease" {
                            label for=(months) { "リース・レンタルの月数" }
                            span.with-unit {
                                input.count id=(months) name=(months) type="text" inputmode="numeric" autocomplete="off" value=(x.months) aria-invalid=[v.invalid(&months)] aria-describedby=[v.described(&months)];
                                span.unit { "か月" }
                            }
                            (v.field_error(&months))
                        }
                        div.field data-show-for="travel" {
                            label for=(travel) { "旅費の対象" }
                            select id=(travel) name=(travel) aria-invalid=[v.invalid(&travel)] aria-describedby=[v.described(&travel)] {
                                option value="" { "—" }
                                @for (val, l) in TRAVEL_FOR_LABELS { option value=(val) selected[x.travel_for == *val] { (l) } }
                            }
                            (v.field_error(&travel))
                        }
                        label.check { input id=(other) type="checkbox" name=(other) value="true" checked[x.other_subsidy]; " ほかの助成金・補助金を受けた経費" }
                        span.cap data-role="cap" aria-live="polite" {}
                        div.row-actions {
                            input type="hidden" name=(f("id")) value=(x.id);
                            label.check.remove-row hidden[!files.is_empty()] { input type="checkbox" name=(f("remove")) value="true"; " この行を削除" }
                            span.hint.files-hint hidden[files.is_empty()] { "添付ファイルを削除すると、この行を削除できます" }
                        }
                    }
                    div.receipts {
                        @if saved {
                            span.receipts-title { "領収書・請求書" }
                            ul.files data-row=(x.key) {
                                @for a in &files {
                                    li {
                                        a href=(format!("/api/v1/cases/{}/attachments/{}", v.id, a.id)) { (a.filename) }
                                        " （" (a.kind.label_ja()) "、" (size_text(a.size_bytes)) "）"
                                        @if v.removable.contains(&a.id) {
                                            " " input.link.delete-file type="submit" form=(format!("del-{}", a.id)) data-attachment=(a.id) value="削除" aria-label=(format!("{} を削除", a.filename));
                                        } @else {
                                            " " span.hint { "労働局に提出済みのため削除できません" }
                                        }
                                    }
                                }
                            }
                            @if v.records_editable {
                                div.upload {
                                    label.sub-label for=(file) { "ファイルを添付（PDF・画像・Excel、10 MiB まで）" }
                                    select name="kind" form=(format!("up-{}", x.key)) aria-label="書類の種類" {
                                        option value="receipt" { "領収書" }
                                        option value="invoice" { "請求書・納品書" }
                                    }
                                    input id=(file) type="file" name="file" form=(format!("up-{}", x.key)) accept=".pdf,.png,.jpg,.jpeg,.xlsx" required aria-invalid=[v.invalid(&file)] aria-describedby=[v.described(&file)];
                                    // Inputs, not buttons: the plan form's own button stays its only `button`.
                                    input.secondary.small type="submit" form=(format!("up-{}", x.key)) value="添付する";
                                    (v.field_error(&file))
                                    p.upload-status role="status" {}
                                }
                            }
                        } @else {
                            p.hint { "保存すると、この経費に領収書・請求書を添付できます。" }
                        }
                    }
                }
            }
        }
    }
}

/// `12,345 バイト` as people read it: `12 KB`, `1.5 MB`.
fn size_text(bytes: i64) -> String {
    let b = bytes.max(0) as u64;
    if b < 1024 {
        format!("{b} バイト")
    } else if b < 1024 * 1024 {
        format!("{} KB", b.div_ceil(1024))
    } else {
        format!("{:.1} MB", b as f64 / (1024.0 * 1024.0))
    }
}

/// The rows `plan.js` adds (with `__K__` for the row key).
fn templates(v: &View<'_>) -> Markup {
    let worker = WorkerRow {
        key: "__K__".into(),
        employment: "direct".into(),
        ..Default::default()
    };
    let expense = ExpenseRow {
        key: "__K__".into(),
        status: "paid".into(),
        ..Default::default()
    };
    html! {
        template #worker-template { table { tbody { (worker_row(v, &worker, false)) } } }
        template #expense-template { table { (expense_row(v, &expense, false)) } }
    }
}

/// The estimate from the saved inputs: the engine's figures (paid items) and
/// 見込み額（予定の経費を含む）.
fn estimate_section(v: &View<'_>) -> Markup {
    let Some(e) = &v.estimate else {
        return html! {};
    };
    let yen = |n: u64| format!("{}円", form::thousands(n));
    html! {
        section.estimate #estimate aria-labelledby="estimate-title" {
            h2 #estimate-title { "助成額の目安（保存した内容で計算）" }
            div.cards {
                div.card {
                    p { "支払済の経費で計算した額" }
                    p.amount { (e.equipment_name) " " (yen(e.paid.equipment_yen)) }
                    p.hint { "対象となる経費 " (yen(e.paid.eligible_expenses_yen)) }
                }
                div.card {
                    p { "見込み額（予定の経費を含む）" }
                    p.amount { (e.equipment_name) " " (yen(e.with_planned.equipment_yen)) }
                    p.hint {
                        "対象となる経費 " (yen(e.with_planned.eligible_expenses_yen))
                        @if e.planned_items > 0 { "（予定の経費 " (e.planned_items) "件、" (yen(e.planned_yen)) "を支払った場合）" } @else { "（予定の経費はありません）" }
                    }
                }
            }
            @if v.regime.kind == RegimeKind::NoPlan {
                p.hint { "制度導入助成は定額のため、経費の額では変わりません。経費は対象かどうかの確認に使います。" }
            } @else {
                p.hint { "見込み額は、予定の経費を期限までに支払った場合の目安です。区分ごとの上限と、対象にならない経費を除いて計算しています。" }
            }
        }
    }
}

/// The case whose plan `u` may edit, or the page that says why not.
pub(crate) async fn editable_case(
    state: &AppState,
    u: &WebUser,
    id: CaseId,
) -> Result<josei_store::CaseRow, Response> {
    let case = visible_case(state, &u.user, id)
        .await
        .map_err(|e| api_error_page(e, u))?;
    if !matches!(u.user.role, Role::Employer | Role::Agent) {
        return Err(error_page(
            StatusCode::FORBIDDEN,
            "権限がありません",
            "計画を編集できるのは事業主と社労士です。",
            Some(u),
        ));
    }
    Ok(case)
}

/// What a page shows besides the form's own rows: files (and which may
/// still go), the estimate.
struct Context {
    attachments: Vec<Attachment>,
    filed: josei_app::documents::Filed,
    estimate: Option<Estimate>,
    regime: &'static Regime,
}

impl Context {
    /// The files no filing rests on yet ([`josei_app::documents::removable`]).
    fn removable(&self) -> HashSet<AttachmentId> {
        self.attachments
            .iter()
            .filter(|a| josei_app::documents::removable(&self.filed, a).is_ok())
            .map(|a| a.id)
            .collect()
    }
}

async fn context(
    state: &AppState,
    case: &josei_store::CaseRow,
    stored: &Value,
) -> Result<Context, josei_app::Error> {
    let today = today(state).await?;
    Ok(Context {
        attachments: state.db.attachments(case.id).await?,
        filed: josei_app::documents::filed(state, case).await?,
        estimate: josei_app::estimate::case_estimate(state, case).await?,
        regime: regime_of(case, stored, today),
    })
}

/// The page for `case` from its stored inputs, with `errors` and `notice`.
async fn stored_page(
    state: &AppState,
    u: &WebUser,
    case: &josei_store::CaseRow,
    errors: &[FieldError],
    notice: Option<&'static str>,
    status: StatusCode,
) -> Response {
    let doc = match state.db.case_document(case).await {
        Ok(d) => d,
        Err(e) => return api_error_page(e, u),
    };
    let cx = match context(state, case, &doc).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, u),
    };
    let (workers, expenses) = form::rows_of(&doc);
    let view = View {
        id: case.id,
        version: case.version,
        csrf: &u.csrf,
        doc: &doc,
        workers: &workers,
        expenses: &expenses,
        errors,
        plan_editable: case.status.plan_editable(),
        records_editable: case.status.records_editable(),
        regime: cx.regime,
        attachments: &cx.attachments,
        removable: cx.removable(),
        new_files_removable: cx.filed.new_files_removable(),
        saved_expenses: expenses.iter().map(|x| x.id.clone()).collect(),
        estimate: cx.estimate,
        notice,
        amendment: "",
        filed: !doc["equipment_application_filed_on"].is_null(),
    };
    (
        status,
        page("計画の内容", Some(u), plan_page_body(&case.title, &view)),
    )
        .into_response()
}

pub(crate) async fn plan_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<CaseId>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let case = match editable_case(&state, &u, id).await {
        Ok(c) => c,
        Err(page) => return page,
    };
    let notice = if q.contains_key("saved") {
        Some("保存しました。")
    } else if q.contains_key("attached") {
        Some("添付しました。")
    } else if q.contains_key("removed") {
        Some("添付ファイルを削除しました。")
    } else {
        None
    };
    stored_page(&state, &u, &case, &[], notice, StatusCode::OK).await
}

/// The regime a case is evaluated under: its own once fixed, else the one the
/// engine chooses for its (provisional) document, else the newest.
pub(crate) fn regime_of(
    case: &josei_store::CaseRow,
    doc: &Value,
    today: Date,
) -> &'static josei_rules::regime::Regime {
    let set = josei_rules::regime::set();
    case.regime
        .as_deref()
        .and_then(|id| set.by_id(id))
        .or_else(|| {
            let mut probe = doc.clone();
            probe["as_of"] = json!(today.to_string());
            josei_app::engine::provisional(&mut probe, today);
            josei_app::workers::for_engine(&mut probe);
            josei_rules::parse_case(&probe.to_string(), today)
                .ok()
                .map(|p| p.regime)
        })
        .or_else(|| set.all().last())
        .expect("at least one regime is shipped")
}

pub(crate) async fn plan_submit(
    State(state): State<AppState>,
    Path(id): Path<CaseId>,
    CsrfForm(u, f): CsrfForm<HashMap<String, String>>,
) -> Response {
    let case = match editable_case(&state, &u, id).await {
        Ok(c) => c,
        Err(page) => return page,
    };
    // A failed read must not become an empty document that wipes records.
    let stored = match state.db.case_document(&case).await {
        Ok(d) => d,
        Err(e) => return api_error_page(e, &u),
    };
    // The version the form was based on is required: no silent overwrite.
    let Some(version) = f.get("version").and_then(|v| v.parse().ok()) else {
        return error_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "送信の内容が足りません",
            "ページを読み込み直してから、もう一度保存してください。",
            Some(&u),
        );
    };
    let cx = match context(&state, &case, &stored).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, &u),
    };
    let refs: HashSet<String> = cx
        .attachments
        .iter()
        .filter_map(|a| a.expense_ref.clone())
        .collect();
    let mut read = form::read(&f, &stored, case.status.plan_editable(), &refs);
    // An expense with files stays until its files are removed.
    let kept: HashSet<&str> = read.expenses.iter().map(|x| x.id.as_str()).collect();
    let dropped: Vec<(usize, &Value)> = stored["expenses"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(_, x)| {
            x["id"]
                .as_str()
                .is_some_and(|xid| !kept.contains(xid) && refs.contains(xid))
        })
        .collect();
    let mut back = Vec::new();
    for (i, x) in dropped {
        let key = (1_000_000 + i).to_string();
        back.push(FieldError {
            field: format!("x{key}_category"),
            label: String::new(),
            message: "領収書などが添付されているため、この経費は削除できません。先に添付ファイルを削除してください".into(),
        });
        read.expenses.push(form::expense_row(x, &key));
    }
    let refused_removal = !back.is_empty();
    read.errors.extend(back);
    let amendment = form::nfkc(f.get("amendment_reason").map_or("", String::as_str));
    let result = if read.errors.is_empty() {
        josei_app::cases::save_document_as(
            &state,
            &case,
            version,
            read.doc.clone(),
            &u.user,
            Some(amendment.as_str()).filter(|a| !a.is_empty()),
        )
        .await
        .map(|_| ())
    } else {
        Err(josei_app::Error::invalid("form", ""))
    };
    match result {
        Ok(()) => Redirect::to(&format!("/cases/{id}/plan?saved=1")).into_response(),
        Err(e) => {
            // The form again, with what was typed and each message by its field.
            let status = if read.errors.is_empty() {
                let field = e
                    .field
                    .as_deref()
                    .map(|p| form::field_of(p, &read.worker_keys, &read.expense_keys))
                    .unwrap_or_else(|| "plan-form".into());
                read.errors.push(FieldError {
                    field,
                    label: String::new(),
                    message: e.message.clone(),
                });
                crate::error::status(&e)
            } else if refused_removal {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            for err in read.errors.iter_mut().filter(|e| e.label.is_empty()) {
                err.label = form::label_of(&err.field, &read.workers, &read.expenses);
            }
            let saved_expenses = stored["expenses"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| x["id"].as_str().map(str::to_string))
                .collect();
            let view = View {
                id,
                version,
                csrf: &u.csrf,
                doc: &read.doc,
                workers: &read.workers,
                expenses: &read.expenses,
                errors: &read.errors,
                plan_editable: case.status.plan_editable(),
                records_editable: case.status.records_editable(),
                regime: cx.regime,
                attachments: &cx.attachments,
                removable: cx.removable(),
                new_files_removable: cx.filed.new_files_removable(),
                saved_expenses,
                estimate: cx.estimate,
                notice: None,
                amendment: &amendment,
                filed: !stored["equipment_application_filed_on"].is_null(),
            };
            (
                status,
                page("計画の内容", Some(&u), plan_page_body(&case.title, &view)),
            )
                .into_response()
        }
    }
}

/// The row key the page gives the stored expense `expense` (its position).
fn row_of_expense(doc: &Value, expense: &str) -> Option<usize> {
    doc["expenses"]
        .as_array()?
        .iter()
        .position(|x| x["id"] == expense)
}

/// A receipt or invoice attached on an expense row (the page without
/// JavaScript; `plan.js` sends the file to the API instead).
pub(crate) async fn receipt_upload(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<CaseId>,
    mut multipart: Multipart,
) -> Response {
    let case = match editable_case(&state, &u, id).await {
        Ok(c) => c,
        Err(page) => return page,
    };
    let Ok(up) = read_upload_form(&mut multipart).await else {
        return error_page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "添付できません",
            "ファイルが大きすぎます（10 MiB まで）。",
            Some(&u),
        );
    };
    let (csrf, kind, expense) = (up.field("csrf"), up.field("kind"), up.field("expense"));
    let (filename, content_type, bytes) = (&up.filename, &up.content_type, &up.bytes);
    if let Some(r) = csrf_error(&u, csrf) {
        return r;
    }
    let kind = match kind {
        "invoice" => josei_store::AttachmentKind::Invoice,
        _ => josei_store::AttachmentKind::Receipt,
    };
    let doc = match state.db.case_document(&case).await {
        Ok(d) => d,
        Err(e) => return api_error_page(e, &u),
    };
    let row = row_of_expense(&doc, expense);
    let stored = josei_app::attachments::store_attachment(
        &state,
        &u.user,
        &case,
        kind,
        filename,
        content_type,
        bytes,
        Some(expense),
    )
    .await;
    match (stored, row) {
        (Ok(_), Some(row)) => {
            Redirect::to(&format!("/cases/{id}/plan?attached=1#xrow-{row}")).into_response()
        }
        (Ok(_), None) => Redirect::to(&format!("/cases/{id}/plan?attached=1")).into_response(),
        (Err(e), row) => {
            let field = row.map_or_else(|| "expenses".to_string(), |r| format!("x{r}_file"));
            let (workers, expenses) = form::rows_of(&doc);
            let errors = [FieldError {
                label: form::label_of(&field, &workers, &expenses),
                field,
                message: e.message.clone(),
            }];
            stored_page(&state, &u, &case, &errors, None, crate::error::status(&e)).await
        }
    }
}

/// Removes a file from an expense row (before filing; audited).
pub(crate) async fn receipt_delete(
    State(state): State<AppState>,
    Path((id, aid)): Path<(CaseId, AttachmentId)>,
    CsrfForm(u, _f): CsrfForm<HashMap<String, String>>,
) -> Response {
    let case = match editable_case(&state, &u, id).await {
        Ok(c) => c,
        Err(page) => return page,
    };
    match josei_app::attachments::delete(&state, &u.user, id, aid).await {
        Ok(a) => {
            let doc = state.db.case_document(&case).await.unwrap_or(Value::Null);
            let anchor = a
                .expense_ref
                .as_deref()
                .and_then(|x| row_of_expense(&doc, x))
                .map(|r| format!("#xrow-{r}"))
                .unwrap_or_default();
            Redirect::to(&format!("/cases/{id}/plan?removed=1{anchor}")).into_response()
        }
        Err(e) => {
            let errors = [FieldError {
                field: "expenses".into(),
                label: "経費".into(),
                message: e.message.clone(),
            }];
            stored_page(&state, &u, &case, &errors, None, crate::error::status(&e)).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_is_offered_once_with_japanese_words() {
        let offered: Vec<ExpenseCategory> = CATEGORY_GROUPS
            .iter()
            .flat_map(|(_, c)| c.iter().copied())
            .collect();
        assert_eq!(offered.len(), ExpenseCategory::ALL.len());
        for c in ExpenseCategory::ALL {
            assert!(offered.contains(c), "{c:?}");
        }
        let r4 = josei_rules::regime::set().by_id("R4").unwrap();
        assert_eq!(
            category_option(ExpenseCategory::WebConferenceEquipment, r4),
            "Web会議関係機器（ヘッドセット、Webカメラ、マイクなど）"
        );
        // PCs cannot be bought with the subsidy in 令和4年度.
        assert!(
            category_option(ExpenseCategory::PcTabletSmartphone, r4).ends_with("※この年度は対象外")
        );
        assert_eq!(size_text(900), "900 バイト");
        assert_eq!(size_text(12_345), "13 KB");
        assert_eq!(size_text(3 * 1024 * 1024 / 2), "1.5 MB");
    }
}
