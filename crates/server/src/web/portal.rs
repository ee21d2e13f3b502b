//! The public portal (総合ポータルサイト) and the programme statistics.
//!
//! Public, without login: the home page for visitors (`/`, via
//! [`home_page`]), the course per fiscal year (`/guide`), the guideline's
//! key points (`/guide/guideline`); the labour-bureau directory
//! (`/bureaus`) is the diagnosis area's page; seminars (`/events`) and the award's winners (`/award`) are
//! their areas' pages, linked from here.
//!
//! For administrators and the centre's staff: the programme statistics
//! (`/programme/statistics`) with its CSV, Excel workbook and SVG chart.

use super::statistics::axis_step;
use super::{api_error_page, error_page, jd, page, yen, MaybeUser, WebUser};
use crate::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use josei_app::programme::{
    csv_file_name, csv_rows, guide, programme_statistics, ProgrammeStatistics, ProgrammeYear,
};
use maud::{html, Markup};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/guide", get(guide_page))
        .route("/guide/guideline", get(guideline_page))
        .route("/programme/statistics", get(statistics_page))
        .route("/programme/statistics.csv", get(statistics_csv))
        .route("/programme/statistics.xlsx", get(statistics_xlsx))
        .route("/programme/statistics.svg", get(statistics_svg))
}

/// The portal's sections, as cards: (heading, text, link, link text).
const SECTIONS: [(&str, &str, &str, &str); 7] = [
    (
        "助成金の診断",
        "いくつかの質問に答えると、対象になるか、いくら受け取れそうか、いつまでに何をするかが分かります。ログインは不要です。",
        "/diagnosis",
        "助成金の診断へ",
    ),
    (
        "制度の案内（年度別）",
        "人材確保等支援助成金（テレワークコース）の支給額と進め方を、年度ごとにまとめています。",
        "/guide",
        "制度の案内を読む",
    ),
    (
        "テレワークガイドラインのポイント",
        "テレワークを適切に導入・実施するために、労務管理で注意する点をまとめています。",
        "/guide/guideline",
        "ガイドラインのポイントを読む",
    ),
    (
        "セミナー・個別相談会",
        "全国セミナーや個別相談会の日程を掲載しています。ログインせずに申し込めます。",
        "/events",
        "セミナーの日程を見る",
    ),
    (
        "輝くテレワーク賞",
        "テレワークを活用して成果をあげた企業等を表彰する厚生労働大臣表彰です。受賞企業の取組を紹介しています。",
        "/award",
        "受賞企業の取組を見る",
    ),
    (
        "労働局の一覧",
        "助成金の申請と相談は、事業所の所在地を管轄する都道府県労働局が受け付けます。",
        "/bureaus",
        "労働局の連絡先を見る",
    ),
    (
        "申請を管理する",
        "事業主・社会保険労務士・労働局の職員・テレワーク相談センターの方はログインしてください。",
        "/login",
        "ログイン",
    ),
];

/// `GET /` for a visitor who has not logged in.
pub(crate) fn home_page() -> Response {
    page(
        "ようこそ",
        None,
        html! {
            h1 { "テレワーク導入の助成金を、確実に。" }
            p.lead { "人材確保等支援助成金（テレワークコース）の要件・期限・金額を、制度の条文どおりに判定します。テレワークの導入に役立つ情報、セミナー、相談窓口もご案内します。" }
            div.cards.portal-cards {
                @for (heading, text, href, link) in SECTIONS {
                    section.card {
                        h2 { (heading) }
                        p { (text) }
                        a.button href=(href) { (link) }
                    }
                }
            }
            section.portal-desk {
                h2 { "テレワーク相談センター" }
                p { "テレワークの導入・実施に関する労務管理やＩＣＴ（情報通信技術）の課題について、窓口のほか、電話や電子メールでご相談いただけます。専門的知識を有するテレワークマネージャーによるコンサルティング（訪問またはオンライン）も受けられます。" }
                p { "都道府県労働局、働き方改革推進支援センター、自治体、商工会議所、社会保険労務士会とも連携しています。" }
            }
        },
    )
    .into_response()
}

/// `GET /guide`: the course, fiscal year by fiscal year.
async fn guide_page(MaybeUser(u): MaybeUser) -> Response {
    let years = guide();
    page(
        "制度の案内（年度別）",
        u.as_ref(),
        html! {
            h1 { "制度の案内（年度別）" }
            p.lead { "人材確保等支援助成金（テレワークコース）は、良質なテレワークを制度として導入し、労働者の人材確保や雇用管理改善の効果をあげた中小企業事業主に支給されます。支給額と進め方は年度によって異なります。" }
            p { "どの年度の制度が当てはまるかは、令和6年度までは計画を提出した日、令和7年度からは評価期間の初日で決まります。ご自身の場合は" a href="/diagnosis" { "助成金の診断" } "でお確かめください。" }
            nav.toc aria-label="年度" {
                ul { @for (i, y) in years.iter().enumerate() { li { a href=(format!("#year-{i}")) { (y.name) } } } }
            }
            @for (i, y) in years.iter().enumerate() {
                section.guide-year id=(format!("year-{i}")) {
                    h2 { (y.name) @if y.with_plan { span.tag { "計画認定あり" } } @else { span.tag { "計画認定なし" } } }
                    p { "対象：" (y.covers) }
                    dl.facts {
                        @for (h, t) in &y.lines { div { dt { (h) } dd { (t) } } }
                        @if let Some(b) = y.budget_yen { div { dt { "コースの予算額（当初）" } dd { (yen(b)) } } }
                    }
                    @if y.uncertain {
                        p.hint { "この年度の値の一部は、公表資料から当サイトが解釈したものです。最終的な判断は都道府県労働局が行います。" }
                    }
                }
            }
            p.hint { "金額と要件は、公表された支給要領と案内資料をもとにした目安です。申請の際は、最新の支給要領を都道府県労働局でご確認ください。" }
        },
    )
    .into_response()
}

/// The guideline's key points: (heading, points).
const GUIDELINE: [(&str, &[&str]); 7] = [
    (
        "テレワークの形態",
        &[
            "労働者の自宅で働く在宅勤務、サテライトオフィスやコワーキングスペースで働くサテライトオフィス勤務、移動中や出張先で働くモバイル勤務があります。",
        ],
    ),
    (
        "導入に当たって",
        &[
            "テレワークに向かないと思われる業務も、仕事の進め方を見直すことで対象にできないか検討しましょう。",
            "正規雇用労働者・非正規雇用労働者といった雇用形態の違いだけを理由に、対象者から外すことのないようにしましょう。",
            "労使で十分に話し合い、対象者、手続、費用の負担などのルールを就業規則等に定めましょう。",
        ],
    ),
    (
        "人事評価・費用負担・人材育成",
        &[
            "テレワークを行っていることだけを理由に、不利益な人事評価をしないようにしましょう。",
            "通信費や情報通信機器などの費用をどちらが負担するかを労使で話し合い、就業規則等に定めておきましょう。",
            "オンラインでの研修など、テレワークでも能力開発の機会を確保しましょう。",
        ],
    ),
    (
        "労働時間の管理",
        &[
            "パソコンの使用時間の記録など客観的な記録によって、始業・終業の時刻を把握しましょう。",
            "業務から離れる「中抜け」の時間は、休憩時間として扱い終業時刻を繰り下げる、時間単位の年次有給休暇とするなどの取扱いを定めておきましょう。",
            "フレックスタイム制や事業場外みなし労働時間制も、要件を満たせば活用できます。",
        ],
    ),
    (
        "長時間労働の防止",
        &[
            "時間外・休日・深夜のメール送付の抑制、システムへのアクセス制限、時間外・休日・深夜労働の原則禁止などの対策が考えられます。",
        ],
    ),
    (
        "安全衛生と労働災害",
        &[
            "自宅等の作業環境をチェックリストで確かめ、健康相談やメンタルヘルス対策を行いましょう。",
            "テレワーク中の業務上の災害も、労災保険の対象になります。",
        ],
    ),
    (
        "ハラスメントとセキュリティ",
        &[
            "テレワークでもハラスメントは起こりえます。防止の方針を周知し、相談窓口を設けましょう。",
            "情報の持ち出しや端末の管理は、総務省の「テレワークセキュリティガイドライン」などを参考にルールを定めましょう。",
        ],
    ),
];

/// `GET /guide/guideline`.
async fn guideline_page(MaybeUser(u): MaybeUser) -> Response {
    page(
        "テレワークガイドラインのポイント",
        u.as_ref(),
        html! {
            h1 { "テレワークガイドラインのポイント" }
            p.lead { "厚生労働省の「テレワークの適切な導入及び実施の推進のためのガイドライン」から、導入の際に特に注意したい点を当サイトでまとめました。正確な内容はガイドラインの本文でご確認ください。" }
            @for (h, points) in GUIDELINE {
                section.guideline {
                    h2 { (h) }
                    ul { @for p in points.iter() { li { (p) } } }
                }
            }
            p { "テレワークの規程づくりには、ガイドラインに沿ったモデル就業規則（テレワーク勤務規程）をご利用ください。ログインした事業主と社会保険労務士の方は、申請のページから規程の案を作成できます。" }
        },
    )
    .into_response()
}

// ---------------------------------------------------------------------------
// /programme/statistics

async fn read(state: &AppState, u: &WebUser) -> Result<ProgrammeStatistics, Response> {
    programme_statistics(state, &u.user)
        .await
        .map_err(|e| api_error_page(e, u))
}

fn count(n: i64) -> String {
    format!("{}件", group_digits(n))
}

fn group_digits(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn budget_cell(label: &str, id: String, b: Option<(u64, &str, &str, &str)>) -> Markup {
    html! {
        @match b {
            Some((v, source, quote, grade)) => {
                td.num id=(id) data-value=(v) data-label=(label) {
                    (yen(v))
                    details.source-note {
                        summary { "出典" }
                        (source) br; span.citation { "「" (quote) "」" } br; span.citation { "情報の確かさ：" (grade) }
                    }
                }
            }
            None => { td.num id=(id) data-label=(label) { "資料なし" } }
        }
    }
}

/// `GET /programme/statistics`.
async fn statistics_page(State(state): State<AppState>, u: WebUser) -> Response {
    let s = match read(&state, &u).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let body = html! {
        h1 { "テレワーク施策の統計" }
        p.lead {
            (jd(s.as_of)) "時点で、このシステムに記録された相談・コンサルティング・セミナー・テレワーク賞・助成金の件数と、案内資料の予算額です。"
            "年度は4月から翌年3月までです（助成金は、申請に適用される制度の年度）。"
        }
        p.downloads {
            a href="/programme/statistics.csv" download { "CSV で書き出す" }
            a href="/programme/statistics.xlsx" download { "Excel で書き出す" }
            a href="/programme/statistics.svg" download { "グラフを SVG で保存する" }
        }
        h2 { "予算額と支給決定額" }
        (chart(&s))
        div.table-wrap {
            table.stats #programme-budgets {
                caption { "年度別の予算額（当初）と、テレワークコースの支給決定額" }
                thead { tr {
                    th scope="col" { "年度" }
                    th.num scope="col" { "施策全体の予算額" }
                    th.num scope="col" { "ワンストップ・サポート事業の予算額" }
                    th.num scope="col" { "テレワークコースの予算額" }
                    th.num scope="col" { "テレワークコースの支給決定額" }
                } }
                tbody {
                    @for y in &s.years {
                        tr {
                            th scope="row" { (y.label) }
                            (budget_cell("施策全体の予算額", format!("programme-budget-{}", y.fiscal_year), y.programme_budget.as_ref().map(|b| (b.yen, b.source.as_str(), b.quote.as_str(), b.grade.label_ja()))))
                            (budget_cell("ワンストップ・サポート事業の予算額", format!("one-stop-budget-{}", y.fiscal_year), y.one_stop_budget.as_ref().map(|b| (b.yen, b.source.as_str(), b.quote.as_str(), b.grade.label_ja()))))
                            (budget_cell("テレワークコースの予算額", format!("course-budget-{}", y.fiscal_year), y.course_budget.as_ref().map(|b| (b.yen, b.source.as_str(), if b.quote.is_empty() { "（引用なし）" } else { b.quote.as_str() }, b.grade.label_ja()))))
                            td.num id=(format!("decided-{}", y.fiscal_year)) data-value=(y.subsidy.decided_yen()) data-label="テレワークコースの支給決定額" { (yen(u64::try_from(y.subsidy.decided_yen()).unwrap_or(0))) }
                        }
                    }
                }
            }
        }
        h2 { "事業の実績" }
        div.table-wrap {
            table.stats #programme-activity {
                caption { "年度別の相談・コンサルティング・セミナー・テレワーク賞・助成金の件数" }
                thead { tr {
                    th scope="col" { "年度" }
                    th.num scope="col" { "相談" }
                    th.num scope="col" { "コンサルティングの依頼" }
                    th.num scope="col" { "訪問・オンライン支援" }
                    th.num scope="col" { "セミナーの申込" }
                    th.num scope="col" { "セミナーの出席" }
                    th.num scope="col" { "テレワーク賞の応募" }
                    th.num scope="col" { "計画の提出" }
                    th.num scope="col" { "支給申請" }
                } }
                tbody {
                    @for y in &s.years {
                        tr {
                            th scope="row" { (y.label) }
                            td.num id=(format!("consultations-{}", y.fiscal_year)) data-value=(y.consultations) data-label="相談" {
                                (count(y.consultations))
                                @if let Some(r) = &y.reported_consultations {
                                    span.citation { "（公表値 " (count(r.count as i64)) "）" }
                                }
                            }
                            td.num id=(format!("consulting-{}", y.fiscal_year)) data-value=(y.consulting_requests) data-label="コンサルティングの依頼" { (count(y.consulting_requests)) }
                            td.num id=(format!("visits-{}", y.fiscal_year)) data-value=(y.consulting_visits) data-label="訪問・オンライン支援" { (count(y.consulting_visits)) }
                            td.num id=(format!("registrations-{}", y.fiscal_year)) data-value=(y.seminar_registrations) data-label="セミナーの申込" { (count(y.seminar_registrations)) }
                            td.num id=(format!("attendance-{}", y.fiscal_year)) data-value=(y.seminar_attendance) data-label="セミナーの出席" { (count(y.seminar_attendance)) }
                            td.num id=(format!("award-{}", y.fiscal_year)) data-value=(y.award_applications) data-label="テレワーク賞の応募" { (count(y.award_applications)) }
                            td.num id=(format!("plans-{}", y.fiscal_year)) data-value=(y.subsidy.plans_submitted) data-label="計画の提出" { (count(y.subsidy.plans_submitted)) }
                            td.num id=(format!("applications-{}", y.fiscal_year)) data-value=(y.applications()) data-label="支給申請" { (count(y.applications())) }
                        }
                    }
                }
            }
        }
        @for (r, _) in s.years.iter().filter_map(|y| y.reported_consultations.as_ref().map(|r| (r, y))) {
            p.hint { "公表値：" (r.source) "「" (r.quote) "」（情報の確かさ：" (r.grade.label_ja()) "）" }
        }
        h2 { "相談の内訳" }
        @let recorded: Vec<&ProgrammeYear> = s.years.iter().filter(|y| y.consultations > 0).collect();
        @if recorded.is_empty() {
            p { "このシステムに記録された相談はまだありません。" }
        } @else {
            @for y in recorded {
                section.breakdown {
                    h3 { (y.label) "（" (count(y.consultations)) "）" }
                    dl.facts {
                        div { dt { "受付の方法" } dd { (joined(&y.consultations_by_channel)) } }
                        div { dt { "相談の内容（複数選択）" } dd { (joined(&y.consultations_by_topic)) } }
                    }
                }
            }
        }
    };
    page("テレワーク施策の統計", Some(&u), body).into_response()
}

fn joined(groups: &[(String, i64)]) -> String {
    if groups.is_empty() {
        return "—".into();
    }
    groups
        .iter()
        .map(|(l, n)| format!("{l} {}", count(*n)))
        .collect::<Vec<_>>()
        .join("、")
}

fn attachment(name: &str, ascii: &str) -> String {
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::percent_encode(name, false)
    )
}

/// `GET /programme/statistics.csv`.
async fn statistics_csv(State(state): State<AppState>, u: WebUser) -> Response {
    let s = match read(&state, &u).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                attachment(&csv_file_name(&s), "programme-statistics.csv"),
            ),
        ],
        josei_app::text::csv_table(csv_rows(&s)),
    )
        .into_response()
}

/// The workbook: one sheet of the CSV's rows, numbers as numbers.
fn workbook(s: &ProgrammeStatistics) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("テレワーク施策の統計")?;
    let head = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0");
    for (r, row) in csv_rows(s).iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if r == 0 {
                sheet.write_string_with_format(r, c, cell, &head)?;
            } else if let (true, Ok(n)) = (c > 0, cell.parse::<i64>()) {
                sheet.write_number_with_format(r, c, n as f64, &money)?;
            } else {
                sheet.write_string(r, c, cell)?;
            }
        }
    }
    sheet.set_column_width(0, 14)?;
    sheet.set_column_range_width(1, 16, 16)?;
    sheet.set_freeze_panes(1, 1)?;
    book.save_to_buffer()
}

/// `GET /programme/statistics.xlsx`.
async fn statistics_xlsx(State(state): State<AppState>, u: WebUser) -> Response {
    let s = match read(&state, &u).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let bytes = match workbook(&s) {
        Ok(b) => b,
        Err(_) => {
            return error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "書き出せませんでした",
                "Excel ファイルを作れませんでした。時間をおいてもう一度お試しください。",
                Some(&u),
            )
        }
    };
    let name = csv_file_name(&s).replace(".csv", ".xlsx");
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                attachment(&name, "programme-statistics.xlsx"),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /programme/statistics.svg`: the chart as a file of its own.
async fn statistics_svg(State(state): State<AppState>, u: WebUser) -> Response {
    let s = match read(&state, &u).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let svg = svg(&s, true).into_string();
    (
        [
            (
                header::CONTENT_TYPE,
                "image/svg+xml; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                attachment(
                    &csv_file_name(&s).replace(".csv", ".svg"),
                    "programme-statistics.svg",
                ),
            ),
        ],
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}"),
    )
        .into_response()
}

fn chart(s: &ProgrammeStatistics) -> Markup {
    html! {
        figure.chart {
            (svg(s, false))
            figcaption {
                ul.legend {
                    li { span.swatch.bar-programme aria-hidden="true" {} "施策全体の予算額" }
                    li { span.swatch.bar-course aria-hidden="true" {} "テレワークコースの予算額" }
                    li { span.swatch.bar-decided aria-hidden="true" {} "テレワークコースの支給決定額" }
                }
            }
        }
    }
}

/// The bars of each fiscal year, in 百万円: the programme's budget, the
/// course's budget, the course's amount decided. `standalone` writes the
/// colours into the file (a page styles them with its stylesheet).
fn svg(s: &ProgrammeStatistics, standalone: bool) -> Markup {
    const W: f64 = 360.0;
    const H: f64 = 244.0;
    const LEFT: f64 = 46.0;
    const RIGHT: f64 = 6.0;
    const TOP: f64 = 22.0;
    const BOTTOM: f64 = 44.0;
    const MILLION: u64 = 1_000_000;
    let series = |y: &ProgrammeYear| -> [(i64, &'static str, &'static str, &'static str); 3] {
        let m = |v: Option<u64>| v.map_or(0, |v| i64::try_from(v.div_ceil(MILLION)).unwrap_or(0));
        [
            (
                m(y.programme_budget.as_ref().map(|b| b.yen)),
                "bar-programme",
                "#1d4f91",
                "施策全体の予算額",
            ),
            (
                m(y.course_budget.as_ref().map(|b| b.yen)),
                "bar-course",
                "#6a9fd8",
                "テレワークコースの予算額",
            ),
            (
                m(u64::try_from(y.subsidy.decided_yen()).ok()),
                "bar-decided",
                "#c85a19",
                "支給決定額",
            ),
        ]
    };
    let max = s
        .years
        .iter()
        .flat_map(|y| series(y).map(|(n, ..)| n))
        .max()
        .unwrap_or(0);
    let step = axis_step(max);
    let top = ((max + step - 1) / step).max(1) * step;
    let plot_h = H - TOP - BOTTOM;
    let plot_w = W - LEFT - RIGHT;
    let y_of = |n: i64| TOP + plot_h - (n as f64 / top as f64) * plot_h;
    let group = plot_w / s.years.len().max(1) as f64;
    let bar = (group - 8.0) / 3.0;
    let fmt = |v: f64| format!("{v:.1}");
    let name = "年度別の予算額と支給決定額（百万円）";
    let summary = s
        .years
        .iter()
        .map(|y| {
            let [p, c, d] = series(y);
            format!(
                "{}：施策全体の予算額{}百万円、コースの予算額{}百万円、支給決定額{}百万円",
                y.label, p.0, c.0, d.0
            )
        })
        .collect::<Vec<_>>()
        .join("。");
    let short = |label: &str| label.replace("年度", "");
    html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {W} {H}")) role="img" aria-label=(name) aria-describedby="programme-chart-desc" {
            title { (name) }
            desc #programme-chart-desc { (summary) }
            text x="0" y="12" class="axis-title" font-size=[standalone.then_some("10")] { "百万円" }
            @for i in 0..=(top / step) {
                @let v = i * step;
                @let yy = y_of(v);
                line.grid x1=(fmt(LEFT)) x2=(fmt(W - RIGHT)) y1=(fmt(yy)) y2=(fmt(yy)) stroke=[standalone.then_some("#ccc")] {}
                text.tick x=(fmt(LEFT - 4.0)) y=(fmt(yy + 4.0)) text-anchor="end" font-size=[standalone.then_some("9")] { (group_digits(v)) }
            }
            @for (i, y) in s.years.iter().enumerate() {
                @let x0 = LEFT + group * i as f64 + 4.0;
                @for (j, (n, class, colour, what)) in series(y).into_iter().enumerate() {
                    @let top_y = y_of(n);
                    rect class=(class) x=(fmt(x0 + bar * j as f64)) y=(fmt(top_y)) width=(fmt(bar - 1.0)) height=(fmt(TOP + plot_h - top_y)) fill=[standalone.then_some(colour)] {
                        title { (y.label) " " (what) " " (group_digits(n)) "百万円" }
                    }
                }
                text.tick x=(fmt(x0 + group / 2.0 - 4.0)) y=(fmt(H - BOTTOM + 14.0)) text-anchor="middle" font-size=[standalone.then_some("9")] { (short(&y.label)) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped_by_three() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(21_110), "21,110");
        assert_eq!(group_digits(1_938_632), "1,938,632");
        assert_eq!(group_digits(-1_000), "-1,000");
    }
}
