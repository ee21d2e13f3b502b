//! モデル就業規則 (`/cases/{id}/work-rules`): the questionnaire that makes a
//! テレワーク勤務規程 draft (.docx) for the case, the drafts made (each
//! downloaded again as the same file), and 「この規程を制定しました」, which
//! records the day the rules were adopted as the case's 就業規則等の整備日.
//! The employer and 社会保険労務士 of the case make and adopt drafts; the
//! labour bureau sees the drafts and downloads them; anyone else gets 404.
//! Every rule is `josei_app::work_rules`'s; this module reads forms and
//! draws pages.

use super::*;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use josei_app::work_rules::{
    self as wr, Application, BreakOut, Choice, Cost, Eligibility, Equipment, Hours, Overtime,
    Problem, RawAnswers, Takeout, Training, View,
};
use josei_store::{WorkRulesDraft, WorkRulesDraftId};
use maud::{html, Markup};
use serde::Deserialize;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/cases/{id}/work-rules",
            get(work_rules_page).post(make_draft),
        )
        .route("/cases/{id}/work-rules/{draft}/download", get(download))
        .route("/cases/{id}/work-rules/adopt", post(adopt))
}

/// What a page shows besides the record: a notice after a post, or the
/// refused form with what was typed.
#[derive(Default)]
struct Flash {
    /// A draft was just made (its id).
    made: Option<WorkRulesDraftId>,
    /// The adoption was just recorded.
    adopted: bool,
    /// The questionnaire as typed, refused with these problems.
    typed: Option<RawAnswers>,
    problems: Vec<Problem>,
    /// The adoption form refused: (field, message), and what was typed.
    adopt_error: Option<(String, String)>,
    adopt_typed: Option<(String, String)>,
}

#[derive(Deserialize, Default)]
struct PageQuery {
    made: Option<String>,
    adopted: Option<String>,
}

async fn work_rules_page(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<CaseId>,
    Query(q): Query<PageQuery>,
) -> Response {
    let flash = Flash {
        made: q.made.as_deref().and_then(|m| m.parse().ok()),
        adopted: q.adopted.is_some(),
        ..Flash::default()
    };
    answer(&state, &u, id, &flash, StatusCode::OK).await
}

/// The page with `flash`, answered with `status`.
async fn answer(
    state: &AppState,
    u: &WebUser,
    id: CaseId,
    flash: &Flash,
    status: StatusCode,
) -> Response {
    match wr::view(state, &u.user, id).await {
        Ok(v) => (
            status,
            page(
                &format!("テレワーク勤務規程の案：{}", v.case.title),
                Some(u),
                render(u, &v, flash),
            ),
        )
            .into_response(),
        Err(e) => api_error_page(e, u),
    }
}

#[derive(Deserialize)]
struct QuestionnaireForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    raw: RawAnswers,
}

async fn make_draft(
    State(state): State<AppState>,
    Path(id): Path<CaseId>,
    CsrfForm(u, f): CsrfForm<QuestionnaireForm>,
) -> Response {
    match wr::generate(&state, &u.user, id, &f.raw).await {
        Ok((draft, _)) => {
            Redirect::to(&format!("/cases/{id}/work-rules?made={}#made", draft.id)).into_response()
        }
        Err(e) if e.kind == josei_app::Kind::Invalid => {
            let problems = wr::parse(&f.raw).err().unwrap_or_else(|| {
                vec![Problem {
                    field: "company",
                    message: e.message.clone(),
                }]
            });
            let flash = Flash {
                typed: Some(f.raw),
                problems,
                ..Flash::default()
            };
            answer(&state, &u, id, &flash, crate::error::status(&e)).await
        }
        Err(e) if e.kind == josei_app::Kind::Conflict => {
            let flash = Flash {
                typed: Some(f.raw),
                problems: vec![Problem {
                    field: "questionnaire",
                    message: e.message.clone(),
                }],
                ..Flash::default()
            };
            answer(&state, &u, id, &flash, crate::error::status(&e)).await
        }
        Err(e) => api_error_page(e, &u),
    }
}

async fn download(
    State(state): State<AppState>,
    u: WebUser,
    Path((id, draft)): Path<(CaseId, String)>,
) -> Response {
    let Ok(draft) = draft.parse::<WorkRulesDraftId>() else {
        return api_error_page(josei_app::Error::not_found(), &u);
    };
    match wr::download(&state, &u.user, id, draft).await {
        Ok((_, bytes)) => (
            [
                (header::CONTENT_TYPE, wr::DOCX_TYPE.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"telework_kinmu_kitei.docx\"; filename*=UTF-8''{}",
                        crate::percent_encode(wr::FILE_NAME, false)
                    ),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => api_error_page(e, &u),
    }
}

#[derive(Deserialize)]
struct AdoptForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    draft: String,
    #[serde(default)]
    adopted_on: String,
}

async fn adopt(
    State(state): State<AppState>,
    Path(id): Path<CaseId>,
    CsrfForm(u, f): CsrfForm<AdoptForm>,
) -> Response {
    let version = f.version.trim().parse::<i64>().unwrap_or(-1);
    // An unreadable choice is no draft of the case: refused as such, after
    // the same access checks as any other.
    let draft = f
        .draft
        .trim()
        .parse::<WorkRulesDraftId>()
        .unwrap_or(WorkRulesDraftId::from(0));
    let result = wr::adopt(&state, &u.user, id, draft, version, &f.adopted_on).await;
    match result {
        Ok(_) => {
            Redirect::to(&format!("/cases/{id}/work-rules?adopted=1#established")).into_response()
        }
        Err(e) if matches!(e.kind, josei_app::Kind::Invalid | josei_app::Kind::Conflict) => {
            let field = e.field.clone().unwrap_or_else(|| "adopt".into());
            let flash = Flash {
                adopt_error: Some((field, e.message.clone())),
                adopt_typed: Some((f.draft.clone(), f.adopted_on.clone())),
                ..Flash::default()
            };
            answer(&state, &u, id, &flash, crate::error::status(&e)).await
        }
        Err(e) => api_error_page(e, &u),
    }
}

has_csrf!(QuestionnaireForm, AdoptForm);

// ---------------------------------------------------------------------------
// The page.

fn render(u: &WebUser, v: &View, f: &Flash) -> Markup {
    let id = v.case.id;
    let applicant = matches!(
        u.user.role,
        josei_store::Role::Employer | josei_store::Role::Agent
    );
    let made = f.made.and_then(|m| v.drafts.iter().find(|d| d.id == m));
    html! {
        div.work-rules {
            p.no-print { a href=(format!("/cases/{id}")) { "← 申請のページへ戻る" } }
            h1 { "テレワーク勤務規程の案（モデル就業規則）" }
            p.case-name { "申請：" (v.case.title) }
            @if applicant {
                p { "質問に答えると、厚生労働省の「テレワークモデル就業規則」に沿ったテレワーク勤務規程の案を、Word 形式（.docx）で作成します。案は自由に書き換えられます。社内で制定したら、制定日を記録してください。申請の「就業規則等の整備日」（必須の取組）に反映されます。" }
            } @else {
                p { "事業主・社会保険労務士が作成したテレワーク勤務規程の案と、制定の記録です。案はダウンロードして確認できます。" }
            }
            @if let Some(d) = made {
                div.notice.done #made role="status" {
                    p { strong { "第" (d.number) "版の案を作成しました。" } "ダウンロードして、自社の就業規則に合わせて書き換えてください。" }
                    p { a.button href=(download_path(d)) download=(wr::FILE_NAME) { "第" (d.number) "版を Word 形式でダウンロードする" } }
                }
            }
            (error_summary(f))
            section #established aria-labelledby="established-title" {
                h2 #established-title { "就業規則等の整備日" }
                @if f.adopted {
                    div.notice.done role="status" {
                        p { "制定日を記録しました。申請の「就業規則等の整備日」に反映されています。" }
                    }
                }
                p {
                    @match v.established_on.as_deref() {
                        Some(d) => { strong { (jdate(d)) } }
                        None => { "まだ記録されていません。" }
                    }
                }
                @if let Some(c) = &v.check {
                    @let (mark, class, word) = check_mark(c.status);
                    p.wr-check { span class=(class) { (mark) " " (word) } "：" (c.message) }
                }
            }
            (drafts_section(v))
            @if applicant { (adopt_section(u, v, f)) }
            @if v.can_make {
                (questionnaire(u, v, f))
            } @else if applicant {
                p.notice { "「" (v.case.status.label_ja()) "」の申請では、新しい案は作れません。作成済みの案はダウンロードできます。" }
            }
        }
    }
}

/// What a refused post got wrong, at the top of the page: every problem,
/// each a link to its field.
fn error_summary(f: &Flash) -> Markup {
    let mut items: Vec<(String, String)> = f
        .problems
        .iter()
        .map(|x| (x.field.to_string(), x.message.clone()))
        .collect();
    let mut title = "案を作成できませんでした";
    if let Some((field, message)) = &f.adopt_error {
        title = "制定日を記録できませんでした";
        let to = if field == "draft" || field == "adopted_on" {
            field.clone()
        } else {
            "adopt".to_string()
        };
        items.push((to, message.clone()));
    }
    html! {
        @if !items.is_empty() {
            div.errors.error-summary #error-summary role="alert" tabindex="-1" aria-labelledby="error-summary-title" {
                h2 #error-summary-title { (title) }
                p { "入力した内容は残っています。直してから、もう一度送信してください。" }
                ul { @for (field, message) in &items {
                    li { a href=(format!("#{field}")) { (sentence(message)) } }
                } }
            }
        }
    }
}

fn download_path(d: &WorkRulesDraft) -> String {
    format!("/cases/{}/work-rules/{}/download", d.case_id, d.id)
}

fn drafts_section(v: &View) -> Markup {
    html! {
        section #drafts aria-labelledby="drafts-title" {
            h2 #drafts-title { "作成した案" }
            @if v.drafts.is_empty() {
                p { "まだ案は作成されていません。" }
            } @else {
                div.table-wrap {
                    table.wr-drafts {
                        caption { "作成したテレワーク勤務規程の案（" (v.drafts.len()) "件、新しい順）" }
                        thead { tr {
                            th scope="col" { "版" }
                            th scope="col" { "作成日時" }
                            th.nowrap scope="col" { "作成者" }
                            th scope="col" { "主な内容" }
                            th scope="col" { "制定" }
                            th scope="col" { "ファイル" }
                        } }
                        tbody {
                            @for d in v.drafts.iter().rev() {
                                tr {
                                    td.nowrap data-label="版" { "第" (d.number) "版" }
                                    td data-label="作成日時" { (jtime(&d.created_at)) }
                                    td data-label="作成者" { (d.created_by_name) }
                                    td data-label="主な内容" { (wr::summary(&d.answers)) }
                                    td data-label="制定" {
                                        @match d.adopted_on.as_deref() {
                                            Some(on) => { span.ok { "制定済み：" } (jdate(on)) }
                                            None => { "—" }
                                        }
                                    }
                                    td.nowrap data-label="ファイル" {
                                        a href=(download_path(d)) download=(wr::FILE_NAME) { "ダウンロード" span.visually-hidden { "（第" (d.number) "版）" } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn adopt_section(u: &WebUser, v: &View, f: &Flash) -> Markup {
    let id = v.case.id;
    let (typed_draft, typed_on) = f.adopt_typed.clone().unwrap_or_else(|| {
        (
            v.drafts
                .last()
                .map(|d| d.id.to_string())
                .unwrap_or_default(),
            v.drafts
                .last()
                .and_then(|d| {
                    d.adopted_on
                        .as_deref()
                        .or(d.answers["effective_on"].as_str())
                })
                .map(str::to_string)
                .unwrap_or_default(),
        )
    });
    let err = f.adopt_error.as_ref();
    let bad = |field: &str| err.filter(|(f, _)| f == field).map(|(_, m)| m.as_str());
    html! {
        @if !v.drafts.is_empty() {
            section #adopt aria-labelledby="adopt-title" {
                h2 #adopt-title { "制定の記録" }
                @if v.can_adopt {
                    p { "規程を社内で制定したら（労働者の過半数代表者等の意見を聴き、従業員に周知したうえで）、制定した案と制定日を記録してください。" }
                    form method="post" action=(format!("/cases/{id}/work-rules/adopt")) novalidate {
                        input type="hidden" name="csrf" value=(u.csrf);
                        input type="hidden" name="version" value=(v.case.version);
                        label for="draft" { "制定した案" }
                        @if let Some(m) = bad("draft") { p.field-error #draft-error { (sentence(m)) } }
                        select #draft name="draft" aria-invalid=[bad("draft").map(|_| "true")] aria-describedby=[bad("draft").map(|_| "draft-error")] {
                            @for d in v.drafts.iter().rev() {
                                option value=(d.id) selected[d.id.to_string() == typed_draft] { "第" (d.number) "版（" (jtime(&d.created_at)) " 作成）" }
                            }
                        }
                        label for="adopted_on" { "制定日" span.hint { "　就業規則等にテレワークの規定を整備した日です" } }
                        @if let Some(m) = bad("adopted_on") { p.field-error #adopted_on-error { (sentence(m)) } }
                        input #adopted_on type="date" name="adopted_on" value=(typed_on) required
                            aria-invalid=[bad("adopted_on").map(|_| "true")] aria-describedby=[bad("adopted_on").map(|_| "adopted_on-error")];
                        button type="submit" { "この規程を制定しました" }
                    }
                } @else {
                    p.notice { "「" (v.case.status.label_ja()) "」の申請は、いまは就業規則等の整備日を変更できません。" }
                }
            }
        }
    }
}

/// A group of radio buttons (`fieldset#name`).
fn radios<T: Choice>(name: &str, legend: &str, selected: &str, problems: &[Problem]) -> Markup {
    let bad = problems.iter().find(|p| p.field == name);
    html! {
        fieldset.wr-group id=(name) aria-describedby=[bad.map(|_| format!("{name}-error"))] {
            legend { (legend) }
            @if let Some(p) = bad { p.field-error id=(format!("{name}-error")) { (sentence(&p.message)) } }
            @for (_, code, label) in T::ALL {
                label.wr-choice {
                    input type="radio" name=(name) value=(code) checked[*code == selected.trim()];
                    " " (label)
                }
            }
        }
    }
}

/// A labelled text input (`input#name`), its hint and its error.
fn text_input(
    name: &str,
    label: &str,
    hint: &str,
    value: &str,
    max: usize,
    numeric: bool,
    problems: &[Problem],
) -> Markup {
    let bad = problems.iter().find(|p| p.field == name);
    html! {
        label for=(name) { (label) @if !hint.is_empty() { span.hint { "　" (hint) } } }
        @if let Some(p) = bad { p.field-error id=(format!("{name}-error")) { (sentence(&p.message)) } }
        input id=(name) type="text" name=(name) value=(value) maxlength=(max)
            class=[numeric.then_some("wr-number")]
            inputmode=[numeric.then_some("numeric")]
            aria-invalid=[bad.map(|_| "true")]
            aria-describedby=[bad.map(|_| format!("{name}-error"))];
    }
}

/// A check box with its label.
fn check(name: &str, label: &str, on: bool) -> Markup {
    html! {
        label.wr-choice {
            input type="checkbox" name=(name) value="1" checked[on];
            " " (label)
        }
    }
}

fn questionnaire(u: &WebUser, v: &View, f: &Flash) -> Markup {
    let id = v.case.id;
    let r = f.typed.clone().unwrap_or_else(|| v.answers.to_raw());
    let p = &f.problems;
    html! {
        section #questionnaire aria-labelledby="questionnaire-title" {
            h2 #questionnaire-title { "質問に答えて案を作る" }
            p.hint { "はじめは一般的な内容を選んであります。前に作った案があれば、その回答から始まります。" }
            form.wr-form method="post" action=(format!("/cases/{id}/work-rules")) novalidate {
                input type="hidden" name="csrf" value=(u.csrf);
                fieldset.wr-section {
                    legend { "1. 会社とテレワークの種類" }
                    (text_input("company", "事業主の名称", "規程の第1条に入ります", &r.company, wr::MAX_COMPANY_CHARS, false, p))
                    @let bad_places = p.iter().find(|x| x.field == "places");
                    fieldset.wr-group #places aria-describedby=[bad_places.map(|_| "places-error")] {
                        legend { "テレワークの種類（1つ以上）" }
                        @if let Some(x) = bad_places { p.field-error #places-error { (sentence(&x.message)) } }
                        (check("place_home", "在宅勤務", on(&r.place_home)))
                        (check("place_satellite", "サテライトオフィス勤務", on(&r.place_satellite)))
                        (check("place_mobile", "モバイル勤務（外出先など）", on(&r.place_mobile)))
                    }
                }
                fieldset.wr-section {
                    legend { "2. 対象者と申請手続" }
                    (radios::<Eligibility>("eligibility", "テレワークができる人", &r.eligibility, p))
                    (text_input("tenure_months", "勤続期間（か月）", "「一定の期間以上勤続した従業員」のとき。例：6", &r.tenure_months, 3, true, p))
                    (text_input("jobs", "対象とする職種", "「特定の職種の従業員」のとき。例：営業職及び事務職", &r.jobs, wr::MAX_JOBS_CHARS, false, p))
                    (radios::<Application>("application", "申請の手続", &r.application, p))
                    (text_input("notice_days", "申請・届出の期限（何日前まで）", "1 なら前日まで。例：7", &r.notice_days, 2, true, p))
                }
                fieldset.wr-section {
                    legend { "3. 労働時間" }
                    (radios::<Hours>("hours", "テレワーク時の労働時間の制度", &r.hours, p))
                    (radios::<BreakOut>("break_out", "中抜け時間（私用などで業務から離れる時間）の扱い", &r.break_out, p))
                    (radios::<Overtime>("overtime", "時間外・休日・深夜の労働", &r.overtime, p))
                }
                fieldset.wr-section {
                    legend { "4. 費用の負担" }
                    (radios::<Cost>("comm", "通信費（インターネット回線など）", &r.comm, p))
                    (text_input("comm_yen", "通信費の手当の月額（円）", "手当を支給するとき", &r.comm_yen, 9, true, p))
                    (radios::<Cost>("utility", "水道光熱費", &r.utility, p))
                    (text_input("utility_yen", "水道光熱費の手当の月額（円）", "手当を支給するとき", &r.utility_yen, 9, true, p))
                    (radios::<Equipment>("equipment", "パソコン等の情報通信機器", &r.equipment, p))
                    (text_input("equipment_yen", "情報通信機器の手当の月額（円）", "手当を支給するとき", &r.equipment_yen, 9, true, p))
                }
                fieldset.wr-section {
                    legend { "5. 教育訓練・情報管理・連絡体制" }
                    (radios::<Training>("training", "教育訓練", &r.training, p))
                    (radios::<Takeout>("takeout", "会社の情報の持ち出し", &r.takeout, p))
                    fieldset.wr-group {
                        legend { "セキュリティのきまり" }
                        (check("no_public_wifi", "暗号化されていない公衆無線LANでの業務を禁止する", on(&r.no_public_wifi)))
                    }
                    (text_input("contact", "連絡・報告の相手", "例：所属長", &r.contact, wr::MAX_CONTACT_CHARS, false, p))
                    fieldset.wr-group {
                        legend { "始業・終業の報告" }
                        (check("report_start_end", "始業・終業の時刻にメールやチャットで報告する", on(&r.report_start_end)))
                    }
                }
                fieldset.wr-section {
                    legend { "6. 施行日" }
                    @let bad = p.iter().find(|x| x.field == "effective_on");
                    label for="effective_on" { "施行日" span.hint { "　未定なら空欄のままにしてください（規程には「令和　年　月　日」と入ります）" } }
                    @if let Some(x) = bad { p.field-error #effective_on-error { (sentence(&x.message)) } }
                    input #effective_on type="date" name="effective_on" value=(r.effective_on)
                        aria-invalid=[bad.map(|_| "true")] aria-describedby=[bad.map(|_| "effective_on-error")];
                }
                button type="submit" { "テレワーク勤務規程の案を作成する" }
            }
        }
    }
}

/// Whether a check box was ticked (a form posts it with a value).
fn on(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.trim().is_empty())
}
