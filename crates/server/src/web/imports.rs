//! CSV imports with a preview before anything is stored (what each row will
//! do, and tests ① and ② before and after), templates to fill in, and the
//! imported records: viewed page by page, removed before filing.

use super::*;
use crate::AppState;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use josei_app::access::visible_case;
use josei_app::imports::{self, Failure, ImportKind, Mode, Preview, Removal};
use josei_rules::evaluate::{TeleworkResult, TurnoverRate};
use josei_store::import::{preview_cells, preview_headings};
use josei_store::Role;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/import", get(imports_page).post(import_preview))
        .route("/cases/{id}/import/confirm", post(import_confirm))
        .route("/cases/{id}/import/remove", post(import_remove))
        .route("/cases/{id}/import/template/{kind}", get(import_template))
}

/// How many rows a preview lists in full (flagged rows are listed too, up to
/// [`PREVIEW_FLAGGED`]).
const PREVIEW_ROWS: usize = 50;
const PREVIEW_FLAGGED: usize = 200;

/// The page for a form without a known kind of import.
fn no_kind(u: &WebUser) -> Response {
    error_page(
        StatusCode::UNPROCESSABLE_ENTITY,
        "種類を選んでください",
        "テレワーク実施記録か労働者名簿かを選んでください。",
        Some(u),
    )
}

/// Whether this user may import and remove records on a case in this state.
fn may_edit(u: &WebUser, case: &josei_store::CaseRow) -> bool {
    matches!(u.user.role, Role::Employer | Role::Agent) && case.status.records_editable()
}

/// `n / m人（達成）`-style words for test ①.
fn test1(t: &TeleworkResult) -> String {
    format!(
        "{} / {}人{}",
        t.workers_with_telework,
        t.target_workers,
        if t.all_workers_once {
            "（達成）"
        } else {
            "（未達成）"
        }
    )
}

/// Words for test ②, with the days it needs.
fn test2(t: &TeleworkResult, required: Option<u64>) -> String {
    let need = required.map_or(String::new(), |r| format!("・必要 {r}日"));
    format!(
        "延べ {}日（{}{}）",
        t.telework_days,
        if t.weekly_average_met {
            "達成"
        } else {
            "未達成"
        },
        need
    )
}

/// A turnover rate in words: `12人中 1人（8.33％）`.
fn turnover_text(t: Option<&TurnoverRate>) -> String {
    match t {
        None => "—（名簿がありません）".into(),
        Some(t) => match t.rate {
            Some(r) => {
                let h = r.percent_hundredths_half_up();
                format!(
                    "{}人中 {}人（{}.{:02}％）",
                    t.headcount,
                    t.separations,
                    h / 100,
                    h % 100
                )
            }
            None => format!("{}人中 {}人（計算できません）", t.headcount, t.separations),
        },
    }
}

/// The imported records of a case and the form to import more.
pub(crate) async fn imports_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<CaseId>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    render_page(&state, &u, id, &q, None).await
}

/// A problem to show at the top of the records page, with its status.
struct Problem {
    status: StatusCode,
    message: String,
    /// The field at fault (the confirmation of removing every record).
    field: Option<&'static str>,
}

async fn render_page(
    state: &AppState,
    u: &WebUser,
    id: CaseId,
    q: &HashMap<String, String>,
    problem: Option<Problem>,
) -> Response {
    let case = match visible_case(state, &u.user, id).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, u),
    };
    let view = match josei_app::cases::case_view(state, &case, &u.user).await {
        Ok(v) => v,
        Err(e) => return api_error_page(e, u),
    };
    let page_no = |k: &str| q.get(k).and_then(|p| p.parse::<usize>().ok()).unwrap_or(1);
    let telework = imports::page_of(&view.document, ImportKind::Telework, page_no("tpage"));
    let roster = imports::page_of(&view.document, ImportKind::Roster, page_no("rpage"));
    let editable = may_edit(u, &case);
    let names = people(&view.document);
    let done = |k: &str| {
        let kind = q.get(k).and_then(|v| ImportKind::parse(v))?;
        let rows = q.get("rows").and_then(|n| n.parse::<usize>().ok())?;
        Some((kind, rows))
    };
    let telework_now = view.evaluation.as_ref().and_then(|e| {
        let t = e.telework.as_ref()?;
        let p = e.schedule.evaluation_period?;
        let required = josei_rules::regime::by_id(&e.regime).map(|r| imports::required_days(r, t));
        Some((*t, p, required))
    });
    let body = html! {
        p { a href=(format!("/cases/{id}")) { "← 申請の画面へ戻る" } }
        h1 { "CSV の取り込みと記録" }
        p { (case.title) }
        @if let Some((kind, rows)) = done("saved") {
            div.success role="status" { p { (kind.label_ja()) "を" (rows) "行取り込みました。" } }
        }
        @if let Some((kind, rows)) = done("removed") {
            div.success role="status" { p { (kind.label_ja()) "を" (rows) "行削除しました。" } }
        }
        @if let Some(p) = &problem {
            div.errors role="alert" #error-summary {
                p { (p.message) }
                @if let Some(f) = p.field { p { a href=(format!("#{f}")) { "確認の欄へ" } } }
            }
        }
        @if let Some((t, p, required)) = &telework_now {
            div.card.telework-now {
                h2 { "評価期間のテレワーク実績（いまの記録）" }
                p { (jd(p.from())) " 〜 " (jd(p.to())) }
                ul {
                    li class=(if t.all_workers_once { "ok" } else { "pending" }) { "① 対象労働者全員が1回以上：" (test1(t)) }
                    li class=(if t.weekly_average_met { "ok" } else { "pending" }) { "② 週平均1回以上：" (test2(t, *required)) }
                }
            }
        }
        @if editable {
            h2 { "CSV を取り込む" }
            p { "取り込む前に、内容と、評価期間の実績がどう変わるかを確認できます。確認の画面で「この内容で取り込む」を押すまでは保存しません。" }
            form.import-form method="post" action=(format!("/cases/{id}/import")) enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(u.csrf);
                label for="kind" { "種類" }
                select #kind name="kind" {
                    option value="telework" { "テレワーク実施記録（社員番号か氏名・日付・勤務場所）" }
                    option value="roster" { "労働者名簿（社員番号か氏名・入社日・離職日・離職理由）" }
                }
                fieldset.choices {
                    legend { "いまある記録" }
                    label { input type="radio" name="mode" value="append" checked; " 残して追加する" }
                    label { input type="radio" name="mode" value="replace"; " 削除して置き換える" }
                }
                label for="file" { "CSV ファイル" }
                p.hint #file-hint { "Excel で保存した Shift_JIS でも UTF-8 でも読めます。" }
                input #file type="file" name="file" accept=".csv,text/csv" aria-describedby="file-hint" required;
                button type="submit" { "内容を確認する" }
            }
            h3 { "テンプレート" }
            p { "見出しと記入例が1行入った CSV です。Excel で開いて、記入例の行を書き換えてお使いください。" }
            ul.templates {
                li { a href=(format!("/cases/{id}/import/template/telework")) download { "テレワーク実施記録のテンプレート（CSV）" } }
                li { a href=(format!("/cases/{id}/import/template/roster")) download { "労働者名簿のテンプレート（CSV）" } }
            }
            details.help {
                summary { "各列の書き方" }
                dl {
                    dt { "従業員ID（社員番号・氏名）" } dd { "勤怠の記録にある社員番号か氏名を書きます。「計画の内容」で対象労働者に入力した社員番号、または氏名と突き合わせます（同じ氏名の人が2人以上いるときは社員番号で）。見出しは「従業員ID」「社員番号」「氏名」のどれでも読めます。計画の対象労働者にいない人の行は、実績に数えません。" }
                    dt { "日付・入社日・離職日" } dd { "2026/12/1 または 2026-12-01 の形で書きます。" }
                    dt { "勤務場所" } dd { "在宅・サテライトオフィス・モバイル・出社 のいずれかです。実績に数えるのは在宅とサテライトオフィスです。" }
                    dt { "離職理由" } dd { "自己都合・解雇・重責解雇・定年退職・役員昇格・契約期間満了・その他 のいずれかです。在籍中の人は空欄にします。" }
                }
            }
        } @else if matches!(u.user.role, Role::Employer | Role::Agent) {
            div.notice { p { "この申請は「" (view.status_label) "」のため、記録を取り込んだり削除したりできません。支給申請の後に記録の修正が必要なときは、労働局にご相談ください。" } }
        }
        (records_table(u, id, case.version, &telework, &names, editable, problem.as_ref()))
        (records_table(u, id, case.version, &roster, &names, editable, problem.as_ref()))
    };
    let status = problem.as_ref().map_or(StatusCode::OK, |p| p.status);
    (status, page("CSV の取り込みと記録", Some(u), body)).into_response()
}

/// The plan's target workers by id, named as people know them (氏名 and
/// 社員番号; never an id the plan editor made up).
fn people(doc: &serde_json::Value) -> HashMap<String, String> {
    doc.pointer("/plan/target_workers")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|w| {
            let id = w["id"].as_str()?;
            Some((id.to_string(), josei_app::printout::worker_name(w)))
        })
        .collect()
}

/// One kind's records: a page of them, each removable, and removing them all.
fn records_table(
    u: &WebUser,
    id: CaseId,
    version: i64,
    r: &imports::Records,
    names: &HashMap<String, String>,
    editable: bool,
    problem: Option<&Problem>,
) -> Markup {
    let kind = r.kind;
    let headings = preview_headings(kind);
    let page_key = match kind {
        ImportKind::Telework => "tpage",
        ImportKind::Roster => "rpage",
    };
    let anchor = format!("records-{kind}");
    let confirm_id = format!("confirm-all-{kind}");
    let confirm_error = problem.is_some_and(|p| p.field.is_some_and(|f| f == confirm_id));
    html! {
        section.records id=(anchor) {
            h2 { (kind.label_ja()) "（" (r.total) "件）" }
            @if r.total == 0 {
                p { "記録はありません。" }
            } @else {
                div.table-wrap { table.records {
                    caption { (kind.label_ja()) "　" (r.page) " / " (r.pages) "ページ" }
                    thead { tr {
                        @for h in headings { th scope="col" { (h) } }
                        @if editable { th scope="col" { span.visually-hidden { "操作" } } }
                    } }
                    tbody { @for (i, row) in &r.rows {
                        @let cells = preview_cells(kind, row);
                        // The person as people know them; the stored id stays in the form.
                        @let shown: Vec<String> = cells.iter().enumerate().map(|(j, c)| match names.get(c) { Some(n) if j == 0 => n.clone(), _ => c.clone() }).collect();
                        tr {
                            @for (h, c) in headings.iter().zip(&shown) { td.value data-label=(h) { (c) } }
                            @if editable {
                                td.actions {
                                    form method="post" action=(format!("/cases/{id}/import/remove")) {
                                        input type="hidden" name="csrf" value=(u.csrf);
                                        input type="hidden" name="version" value=(version);
                                        input type="hidden" name="kind" value=(kind);
                                        input type="hidden" name="page" value=(r.page);
                                        @match kind {
                                            ImportKind::Telework => {
                                                input type="hidden" name="worker" value=(cells[0]);
                                                input type="hidden" name="date" value=(cells[1]);
                                            }
                                            ImportKind::Roster => {
                                                input type="hidden" name="index" value=(i);
                                                input type="hidden" name="id" value=(cells[0]);
                                            }
                                        }
                                        button.secondary.small type="submit" aria-label=(format!("{} の行を削除", shown.iter().take(2).cloned().collect::<Vec<_>>().join(" "))) { "削除" }
                                    }
                                }
                            }
                        }
                    } }
                } }
                @if r.pages > 1 {
                    nav.pager aria-label=(format!("{}のページ", kind.label_ja())) {
                        @if r.page > 1 { a href=(format!("?{page_key}={}#{anchor}", r.page - 1)) { "← 前のページ" } }
                        span { (r.page) " / " (r.pages) "ページ" }
                        @if r.page < r.pages { a href=(format!("?{page_key}={}#{anchor}", r.page + 1)) { "次のページ →" } }
                    }
                }
                @if editable {
                    form.remove-all method="post" action=(format!("/cases/{id}/import/remove")) {
                        input type="hidden" name="csrf" value=(u.csrf);
                        input type="hidden" name="version" value=(version);
                        input type="hidden" name="kind" value=(kind);
                        input type="hidden" name="all" value="yes";
                        label.check for=(confirm_id) {
                            input id=(confirm_id) type="checkbox" name="confirm" value="yes"
                                aria-invalid=[confirm_error.then_some("true")]
                                aria-describedby=[confirm_error.then(|| format!("{confirm_id}-error"))];
                            " " (kind.label_ja()) "の" (r.total) "件をすべて削除します"
                        }
                        @if confirm_error { p.field-error id=(format!("{confirm_id}-error")) { "削除してよければ、チェックを入れてください" } }
                        button.secondary type="submit" { (kind.label_ja()) "をすべて削除する" }
                    }
                }
            }
        }
    }
}

/// The fields of an upload (or of a preview asked again with the other mode).
struct Upload {
    csrf: String,
    kind: String,
    mode: Option<String>,
    bytes: Vec<u8>,
}

async fn read_upload(form: &mut Multipart) -> Upload {
    let mut up = Upload {
        csrf: String::new(),
        kind: String::new(),
        mode: None,
        bytes: Vec::new(),
    };
    let mut text = Vec::new();
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or("") {
            "csrf" => up.csrf = field.text().await.unwrap_or_default(),
            "kind" => up.kind = field.text().await.unwrap_or_default(),
            "mode" => up.mode = field.text().await.ok(),
            "file" => up.bytes = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
            "csv" => text = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
            _ => {}
        }
    }
    if up.bytes.is_empty() {
        up.bytes = text;
    }
    up
}

/// `POST /cases/{id}/import`: the preview of a CSV file; nothing stored.
pub(crate) async fn import_preview(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<CaseId>,
    mut form: Multipart,
) -> Response {
    let case = match visible_case(&state, &u.user, id).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, &u),
    };
    let up = read_upload(&mut form).await;
    if let Some(r) = csrf_error(&u, &up.csrf) {
        return r;
    }
    let Some(kind) = ImportKind::parse(&up.kind) else {
        return no_kind(&u);
    };
    let mode = Mode::parse(up.mode.as_deref()).unwrap_or(Mode::Append);
    if up.bytes.is_empty() {
        let problem = Problem {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "CSV ファイルを選んでから「内容を確認する」を押してください。".into(),
            field: None,
        };
        return render_page(&state, &u, id, &HashMap::new(), Some(problem)).await;
    }
    let (status, body) = match imports::preview(&state, &u.user, id, kind, mode, &up.bytes).await {
        Err(Failure::Other(e)) => return api_error_page(e, &u),
        Err(Failure::Rows(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            html! {
                p { a href=(format!("/cases/{id}/import")) { "← 取り込みの画面へ戻る" } }
                h1 { "取り込めません" }
                div.errors role="alert" {
                    p { (errors.len()) "件の問題があります。CSV を直してから、もう一度選んでください。何も保存していません。" }
                    div.table-wrap { table {
                        caption.visually-hidden { "問題のある行" }
                        thead { tr { th scope="col" { "行" } th scope="col" { "列" } th scope="col" { "内容" } } }
                        tbody { @for e in &errors { tr { td { @if e.line == 0 { "—" } @else { (e.line) } } td { (e.column.clone().unwrap_or_default()) } td { (e.message) } } } }
                    } }
                }
                p { "テンプレートの見出しと書き方は、" a href=(format!("/cases/{id}/import")) { "取り込みの画面" } "にあります。" }
            },
        ),
        Ok(p) => {
            let text = josei_store::import::decode(&up.bytes)
                .map(|(t, _)| t)
                .unwrap_or_default();
            (
                StatusCode::OK,
                preview_page(&u, id, case.version, &p, &text),
            )
        }
    };
    (status, page("取り込む内容の確認", Some(&u), body)).into_response()
}

/// The preview: what the file holds in its own column order, what each row
/// does, and the effect on the evaluation period; one button stores it.
fn preview_page(u: &WebUser, id: CaseId, version: i64, p: &Preview, text: &str) -> Markup {
    let kind = p.kind;
    let headings = preview_headings(kind);
    let ordered = |cells: &[String]| -> Vec<String> {
        p.order
            .iter()
            .filter_map(|&i| cells.get(i).cloned())
            .collect()
    };
    let flagged = p.flagged();
    let e = &p.effect;
    let other_mode = match p.mode {
        Mode::Append => "replace",
        Mode::Replace => "append",
    };
    let shown: Vec<(usize, &imports::PreviewRow)> = p
        .rows
        .iter()
        .enumerate()
        .filter(|(i, r)| *i < PREVIEW_ROWS || !r.flags.is_empty())
        .take(PREVIEW_ROWS + PREVIEW_FLAGGED)
        .collect();
    html! {
        p { a href=(format!("/cases/{id}/import")) { "← 取り込まずに戻る" } }
        h1 { "取り込む内容の確認" }
        p { (p.rows.len()) "行を読み込みました（文字コード: " (p.encoding.label_ja()) "）。まだ保存していません。" }
        @if p.existing > 0 {
            p {
                @match p.mode {
                    Mode::Append => { "いまある" (kind.label_ja()) " " (p.existing) "件を残して、追加します。" }
                    Mode::Replace => { "いまある" (kind.label_ja()) " " (p.existing) "件を削除して、置き換えます。" }
                }
            }
            form.inline-form method="post" action=(format!("/cases/{id}/import")) enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(u.csrf);
                input type="hidden" name="kind" value=(kind);
                input type="hidden" name="mode" value=(other_mode);
                input type="hidden" name="csv" value=(text);
                button.secondary type="submit" {
                    @if p.mode == Mode::Append { "置き換えた場合を確認する" } @else { "残して追加した場合を確認する" }
                }
            }
        }
        @if !p.ignored_columns.is_empty() {
            p.hint { "読み込まない列：" (p.ignored_columns.join("、")) }
        }
        @match kind {
            ImportKind::Telework => {
                h2 { "評価期間のテレワーク実績への影響" }
                @if let Some(msg) = &e.error {
                    p.notice { "この内容では判定できません。" (msg) }
                }
                @match (e.period, &e.before, &e.after) {
                    (Some((from, to)), before, Some(after)) => {
                        p { "評価期間 " (jd(from)) " 〜 " (jd(to)) }
                        div.table-wrap { table.effect aria-label="評価期間の実績への影響" {
                            thead { tr { th scope="col" { "要件" } th scope="col" { "取り込む前" } th scope="col" { "取り込んだ後" } } }
                            tbody {
                                tr {
                                    th scope="row" { "① 対象労働者全員が1回以上" }
                                    td { (before.as_ref().map_or("—".to_string(), test1)) }
                                    td class=(if after.all_workers_once { "ok" } else { "pending" }) { (test1(after)) }
                                }
                                tr {
                                    th scope="row" { "② 週平均1回以上" }
                                    td { (before.as_ref().map_or("—".to_string(), |b| test2(b, e.required_days))) }
                                    td class=(if after.weekly_average_met { "ok" } else { "pending" }) { (test2(after, e.required_days)) }
                                }
                                tr {
                                    th scope="row" { "実績の要件（①か②）" }
                                    td { @match before { Some(b) if b.met => { "満たす" } Some(_) => { "まだ満たさない" } None => { "—" } } }
                                    td class=(if after.met { "ok" } else { "pending" }) { @if after.met { "満たす" } @else { "まだ満たさない" } }
                                }
                            }
                        } }
                        @if !e.workers.is_empty() {
                            div.table-wrap { table.worker-days {
                                caption { "対象労働者ごとの日数（評価期間内の在宅・サテライトオフィス、今日までの記録）" }
                                thead { tr { th scope="col" { "対象労働者" } th.num scope="col" { "取り込む前" } th.num scope="col" { "取り込んだ後" } th.num scope="col" { "増えた日数" } } }
                                tbody { @for w in &e.workers {
                                    tr {
                                        th scope="row" { (w.worker) }
                                        td.num { (w.before) "日" }
                                        td.num class=(if w.after > 0 { "ok" } else { "ng" }) { (w.after) "日" }
                                        td.num { "+" (w.after.saturating_sub(w.before)) "日" }
                                    }
                                } }
                            } }
                        }
                    }
                    _ => {
                        p.notice { "評価期間がまだ決まっていないため、実績への影響は計算できません。「計画の内容」で評価期間の初日を入力すると、ここに表示します。" }
                    }
                }
            }
            ImportKind::Roster => {
                h2 { "離職率への影響" }
                @if let Some(msg) = &e.error {
                    p.notice { "この内容では判定できません。" (msg) }
                }
                div.table-wrap { table.effect aria-label="離職率への影響" {
                    thead { tr { th scope="col" { "離職率" } th scope="col" { "取り込む前" } th scope="col" { "取り込んだ後" } } }
                    tbody { tr {
                        th scope="row" { "計画時（取組の前の12か月）" }
                        td { (turnover_text(e.turnover_before.as_ref())) }
                        td { (turnover_text(e.turnover_after.as_ref())) }
                    } }
                } }
            }
        }
        @if flagged > 0 {
            div.notice.flags role="status" {
                @if kind == ImportKind::Telework {
                    p { strong { "実績に数えない行が " (flagged) "行あります。" } "取り込むことはできます。理由を確かめてください。" }
                } @else {
                    p { strong { "確認が必要な行が " (flagged) "行あります。" } "取り込むことはできます。内容を確かめてください。" }
                }
                ul { @for (f, n) in p.flag_counts() { li { (f.label_ja()) "：" (n) "行" } } }
            }
        }
        h2 { "読み込んだ内容" }
        div.table-wrap { table.preview {
            caption {
                @if p.rows.len() > shown.len() { "先頭の" (PREVIEW_ROWS) "行と、数えない行（全" (p.rows.len()) "行）" } @else { "全" (p.rows.len()) "行" }
            }
            thead { tr {
                th.num scope="col" { "番号" }
                @for &i in &p.order { th scope="col" { (headings[i]) } }
                @if kind == ImportKind::Telework || flagged > 0 { th scope="col" { "判定" } }
            } }
            tbody { @for (i, r) in &shown {
                tr class=[(!r.flags.is_empty()).then_some("flagged")] {
                    td.num data-label="番号" { (i + 1) }
                    @for (&h, c) in p.order.iter().map(|&i| &headings[i]).zip(ordered(&r.cells)) { td.value data-label=(h) { (c) } }
                    @if kind == ImportKind::Telework || flagged > 0 {
                        td.verdict {
                            @if r.flags.is_empty() {
                                @if let Some(c) = r.counts_in { span.ok { (c.label_ja()) } } @else { "—" }
                            } @else {
                                span.ng { @if kind == ImportKind::Telework { "数えません：" } @else { "確認してください：" } }
                                (r.flags.iter().map(|f| f.label_ja()).collect::<Vec<_>>().join("／"))
                            }
                        }
                    }
                }
            } }
        } }
        @if p.rows.len() > shown.len() { p { "ほか " (p.rows.len() - shown.len()) "行" } }
        form method="post" action=(format!("/cases/{id}/import/confirm")) {
            input type="hidden" name="csrf" value=(u.csrf);
            input type="hidden" name="version" value=(version);
            input type="hidden" name="kind" value=(kind);
            input type="hidden" name="mode" value=(match p.mode { Mode::Append => "append", Mode::Replace => "replace" });
            input type="hidden" name="csv" value=(text);
            button type="submit" { "この内容で取り込む" }
        }
        p { a href=(format!("/cases/{id}/import")) { "取り込まずに戻る" } }
    }
}

#[derive(Deserialize)]
pub(crate) struct ImportConfirm {
    #[serde(default)]
    csrf: String,
    version: i64,
    kind: String,
    csv: String,
    mode: Option<String>,
}

/// `POST /cases/{id}/import/confirm`: stores the previewed rows.
pub(crate) async fn import_confirm(
    State(state): State<AppState>,
    Path(id): Path<CaseId>,
    CsrfForm(u, f): CsrfForm<ImportConfirm>,
) -> Response {
    let case = match visible_case(&state, &u.user, id).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, &u),
    };
    let Some(kind) = ImportKind::parse(&f.kind) else {
        return no_kind(&u);
    };
    let mode = Mode::parse(f.mode.as_deref()).unwrap_or(Mode::Append);
    let Ok(parsed) = imports::parse(kind, f.csv.as_bytes()) else {
        return error_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "取り込めません",
            "CSV に問題があります。もう一度ファイルを選んでください。",
            Some(&u),
        );
    };
    match imports::store(&state, &u.user, &case, f.version, parsed, mode).await {
        Ok((_, summary)) => Redirect::to(&format!(
            "/cases/{id}/import?saved={kind}&rows={}",
            summary.rows
        ))
        .into_response(),
        Err(e) => api_error_page(e, &u),
    }
}

has_csrf!(ImportConfirm);

#[derive(Deserialize)]
pub(crate) struct RemoveForm {
    #[serde(default)]
    csrf: String,
    version: i64,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    all: String,
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    worker: String,
    #[serde(default)]
    date: String,
    index: Option<usize>,
    #[serde(default)]
    id: String,
    /// The page of records the form was on (one record removed: back to it).
    page: Option<usize>,
}

has_csrf!(RemoveForm);

/// `POST /cases/{id}/import/remove`: removes one record, or every record of a
/// kind once confirmed; refused after filing.
pub(crate) async fn import_remove(
    State(state): State<AppState>,
    Path(id): Path<CaseId>,
    CsrfForm(u, f): CsrfForm<RemoveForm>,
) -> Response {
    let Some(kind) = ImportKind::parse(&f.kind) else {
        return no_kind(&u);
    };
    let removal = if f.all == "yes" {
        if f.confirm != "yes" {
            let problem = Problem {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message: format!(
                    "{}をすべて削除するときは、確認のチェックを入れてください。何も削除していません。",
                    kind.label_ja()
                ),
                field: Some(match kind {
                    ImportKind::Telework => "confirm-all-telework",
                    ImportKind::Roster => "confirm-all-roster",
                }),
            };
            return render_page(&state, &u, id, &HashMap::new(), Some(problem)).await;
        }
        Removal::All
    } else {
        match (kind, f.index) {
            (ImportKind::Telework, _) => Removal::Telework {
                worker: f.worker,
                date: f.date,
            },
            (ImportKind::Roster, Some(index)) => Removal::Roster { index, id: f.id },
            (ImportKind::Roster, None) => return no_kind(&u),
        }
    };
    match imports::remove(&state, &u.user, id, f.version, kind, &removal).await {
        Ok((_, n)) => {
            let page_key = match kind {
                ImportKind::Telework => "tpage",
                ImportKind::Roster => "rpage",
            };
            let page = f.page.filter(|_| removal != Removal::All).unwrap_or(1);
            Redirect::to(&format!(
                "/cases/{id}/import?removed={kind}&rows={n}&{page_key}={page}#records-{kind}"
            ))
            .into_response()
        }
        Err(e) if matches!(e.kind, josei_app::Kind::Conflict | josei_app::Kind::Invalid) => {
            let problem = Problem {
                status: crate::error::status(&e),
                message: format!("削除できませんでした。{}", e.message),
                field: None,
            };
            render_page(&state, &u, id, &HashMap::new(), Some(problem)).await
        }
        Err(e) => api_error_page(e, &u),
    }
}

/// `GET /cases/{id}/import/template/{telework|roster}`: a CSV to fill in
/// (UTF-8 with BOM, the headings the importer reads, one example row).
pub(crate) async fn import_template(
    State(state): State<AppState>,
    u: WebUser,
    Path((id, kind)): Path<(CaseId, String)>,
) -> Response {
    let Some(kind) = ImportKind::parse(&kind) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "見つかりません",
            "そのテンプレートはありません。",
            Some(&u),
        );
    };
    match imports::template(&state, &u.user, id, kind).await {
        Ok(bytes) => {
            let (ascii, name) = match kind {
                ImportKind::Telework => ("telework-template.csv", "テレワーク実施記録.csv"),
                ImportKind::Roster => ("roster-template.csv", "労働者名簿.csv"),
            };
            let disposition = format!(
                "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                crate::percent_encode(name, false)
            );
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => api_error_page(e, &u),
    }
}
