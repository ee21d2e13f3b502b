//! The bureau statistics (`/statistics`, 審査の統計) and their CSV
//! (`/statistics.csv`): per fiscal year, the plans and applications
//! received, the decisions, the amounts decided against the course's
//! national budget and the days reviews took, with a bar chart (inline SVG)
//! of the counts. Officers see their prefecture, administrators 全国 or the
//! prefecture they choose; everyone else gets the 403 page.

use super::{api_error_page, error_page, jd, page, urlencode, yen, WebUser};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use josei_app::statistics::{csv_file_name, csv_rows, statistics, Area, Statistics, YearRow};
use josei_app::Kind;
use josei_store::bureaus::PREFECTURES;
use josei_store::Role;
use maud::{html, Markup};
use serde::Deserialize;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/statistics", get(statistics_page))
        .route("/statistics.csv", get(statistics_csv))
}

/// The area chosen by an administrator (`prefecture=13`; empty for 全国).
#[derive(Deserialize, Default)]
pub(crate) struct AreaParams {
    prefecture: Option<String>,
}

fn refused(u: &WebUser) -> Response {
    error_page(
        StatusCode::FORBIDDEN,
        "権限がありません",
        "審査の統計は、労働局の職員と管理者が見るページです。",
        Some(u),
    )
}

/// The statistics for the area asked, or the reason the area could not be
/// read (the national figures are shown instead, never a guess).
async fn read(
    state: &AppState,
    u: &WebUser,
    p: &AreaParams,
) -> Result<(Statistics, Option<String>), Response> {
    if !matches!(u.user.role, Role::Officer | Role::Admin) {
        return Err(refused(u));
    }
    match statistics(state, &u.user, p.prefecture.as_deref()).await {
        Ok(s) => Ok((s, None)),
        Err(e) if e.kind == Kind::Invalid => statistics(state, &u.user, None)
            .await
            .map(|s| (s, Some(e.message)))
            .map_err(|e| api_error_page(e, u)),
        Err(e) => Err(api_error_page(e, u)),
    }
}

/// `GET /statistics`.
pub(crate) async fn statistics_page(
    State(state): State<AppState>,
    u: WebUser,
    Query(p): Query<AreaParams>,
) -> Response {
    let (s, problem) = match read(&state, &u, &p).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let csv_href = match &s.area {
        Area::Prefecture(code, _) if s.may_choose => {
            format!(
                "/statistics.csv?prefecture={}",
                urlencode(&code.to_string())
            )
        }
        _ => "/statistics.csv".to_string(),
    };
    let body = html! {
        h1 { "審査の統計" }
        @if let Some(m) = &problem {
            div.errors.error-summary role="alert" tabindex="-1" #error-summary {
                p { "表示する地域を確かめてください。全国の数を表示しています。" }
                ul { li { a href="#prefecture" { (m) } } }
            }
        }
        @if s.may_choose {
            (area_form(&s, &p, problem.as_deref()))
        }
        p.lead {
            strong { (s.area.name()) } "の申請について、" (jd(s.as_of)) "時点の件数と金額です。"
            "年度は、申請に適用される制度の年度です（令和6年度までは計画の提出日、令和7年度からは評価期間の初日で決まります）。"
        }
        p { a href=(csv_href) { "この集計を CSV で書き出す" } }
        h2 { "年度別の件数" }
        (chart(&s))
        h2 { "計画の審査（令和3〜6年度）" }
        (plan_table(&s))
        h2 { "支給申請と支給決定" }
        (application_table(&s))
        h2 { "審査にかかった日数" }
        p.hint { "受付（計画の提出日、支給申請の日）から決定（計画の認定・不認定、支給決定・不支給決定）までの暦日数です。" }
        (days_table(&s))
        h2 { "支給決定額と予算額" }
        (budget_table(&s))
    };
    (status, page("審査の統計", Some(&u), body)).into_response()
}

/// `GET /statistics.csv`: the same figures, one row per fiscal year.
pub(crate) async fn statistics_csv(
    State(state): State<AppState>,
    u: WebUser,
    Query(p): Query<AreaParams>,
) -> Response {
    let s = match read(&state, &u, &p).await {
        Ok((s, None)) => s,
        Ok((_, Some(m))) => {
            return error_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "書き出せませんでした",
                &m,
                Some(&u),
            )
        }
        Err(r) => return r,
    };
    let name = csv_file_name(&s);
    let disposition = format!(
        "attachment; filename=\"statistics.csv\"; filename*=UTF-8''{}",
        crate::percent_encode(&name, false)
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        josei_app::text::csv_table(csv_rows(&s)),
    )
        .into_response()
}

/// The administrators' choice of area, the value sent kept when it could not be read.
fn area_form(s: &Statistics, p: &AreaParams, problem: Option<&str>) -> Markup {
    let chosen = match (&s.area, problem) {
        (_, Some(_)) => p.prefecture.clone().unwrap_or_default(),
        (Area::Prefecture(code, _), None) => code.to_string(),
        (Area::National, None) => String::new(),
    };
    let known =
        chosen.is_empty() || (1..=PREFECTURES.len()).any(|i| i.to_string() == chosen.trim());
    html! {
        form.filters method="get" action="/statistics" {
            div {
                label for="prefecture" { "都道府県" }
                @if let Some(m) = problem { p.field-error #prefecture-error { (m) } }
                select #prefecture name="prefecture" aria-invalid=[problem.map(|_| "true")] aria-describedby=[problem.map(|_| "prefecture-error")] {
                    option value="" selected[chosen.is_empty()] { "全国" }
                    @for (i, name) in PREFECTURES.iter().enumerate() {
                        @let code = (i + 1).to_string();
                        option value=(code) selected[chosen.trim() == code] { (name) }
                    }
                    @if !known {
                        option value=(chosen) selected { "「" (chosen.chars().take(20).collect::<String>()) "」（一覧にない値）" }
                    }
                }
            }
            div { button type="submit" { "表示する" } }
        }
    }
}

/// A number cell the tests and people can read: its id names the figure and
/// the year, `data-value` holds the number.
fn num(field: &str, y: &YearRow, label: &str, value: i64, shown: String) -> Markup {
    html! {
        td.num id=(format!("{field}-{}", y.fiscal_year)) data-value=(value) data-label=(label) { (shown) }
    }
}

fn count(field: &str, y: &YearRow, label: &str, value: i64) -> Markup {
    num(field, y, label, value, format!("{value}件"))
}

/// The year, and whether its cases have a certified plan (計画あり／計画なし).
fn year_head(y: &YearRow) -> Markup {
    html! {
        th scope="row" {
            (y.label)
            span.procedure { @if y.with_plan { "計画あり" } @else { "計画なし" } }
        }
    }
}

fn plan_table(s: &Statistics) -> Markup {
    let plan_years: Vec<&YearRow> = s.years.iter().filter(|y| y.with_plan).collect();
    html! {
        div.table-wrap {
            table.stats #plans {
                caption { (s.area.name()) "の計画の審査（件数は計画の数。差戻しは一度でも差し戻された計画）" }
                thead { tr {
                    th scope="col" { "年度" }
                    th.num scope="col" { "提出" }
                    th.num scope="col" { "計画認定" }
                    th.num scope="col" { "差戻し" }
                    th.num scope="col" { "不認定" }
                } }
                tbody {
                    @for y in &plan_years {
                        tr {
                            (year_head(y))
                            (count("plans_submitted", y, "提出", y.plans_submitted))
                            (count("plans_certified", y, "計画認定", y.plans_certified))
                            (count("plans_returned", y, "差戻し", y.plans_returned))
                            (count("plans_rejected", y, "不認定", y.plans_rejected))
                        }
                    }
                }
            }
        }
        p.hint { "令和7年度からは計画の認定がありません。" }
    }
}

fn application_table(s: &Statistics) -> Markup {
    html! {
        div.table-wrap {
            table.stats #applications {
                caption { (s.area.name()) "の支給申請と決定（機器等導入助成は令和7年度から制度導入助成）" }
                thead {
                    tr {
                        th scope="col" rowspan="2" { "年度" }
                        th scope="colgroup" colspan="3" { "機器等導入助成・制度導入助成" }
                        th scope="colgroup" colspan="3" { "目標達成助成" }
                    }
                    tr {
                        th.num scope="col" { "支給申請" } th.num scope="col" { "支給決定" } th.num scope="col" { "不支給決定" }
                        th.num scope="col" { "支給申請" } th.num scope="col" { "支給決定" } th.num scope="col" { "不支給決定" }
                    }
                }
                tbody {
                    @for y in &s.years {
                        @let first = y.equipment_name;
                        tr {
                            (year_head(y))
                            (count("equipment_filed", y, &format!("{first} 支給申請"), y.equipment_filed))
                            (count("equipment_granted", y, &format!("{first} 支給決定"), y.equipment_granted))
                            (count("equipment_denied", y, &format!("{first} 不支給決定"), y.equipment_denied))
                            (count("goal_filed", y, "目標達成助成 支給申請", y.goal_filed))
                            (count("goal_granted", y, "目標達成助成 支給決定", y.goal_granted))
                            (count("goal_denied", y, "目標達成助成 不支給決定", y.goal_denied))
                        }
                    }
                }
                @let t = s.total();
                tfoot { tr {
                    th scope="row" { "合計" }
                    td.num data-label="支給申請（機器等導入助成・制度導入助成）" { (t.equipment_filed) "件" }
                    td.num data-label="支給決定（機器等導入助成・制度導入助成）" { (t.equipment_granted) "件" }
                    td.num data-label="不支給決定（機器等導入助成・制度導入助成）" { (t.equipment_denied) "件" }
                    td.num data-label="目標達成助成 支給申請" { (t.goal_filed) "件" }
                    td.num data-label="目標達成助成 支給決定" { (t.goal_granted) "件" }
                    td.num data-label="目標達成助成 不支給決定" { (t.goal_denied) "件" }
                } }
            }
        }
    }
}

fn days_cells(
    field: &str,
    y: &YearRow,
    what: &str,
    p: &josei_app::statistics::Processing,
) -> Markup {
    html! {
        td.num id=(format!("{field}_median-{}", y.fiscal_year))
            data-value=[p.median_half_days.map(|h| format!("{}", h as f64 / 2.0))]
            data-label=(format!("{what} 中央値")) { (p.median_text()) }
        td.num id=(format!("{field}_max-{}", y.fiscal_year))
            data-value=[p.max_days]
            data-label=(format!("{what} 最大")) { (p.max_text()) }
        td.num id=(format!("{field}_count-{}", y.fiscal_year))
            data-value=(p.count)
            data-label=(format!("{what} 件数")) { (p.count) "件" }
    }
}

fn days_table(s: &Statistics) -> Markup {
    html! {
        div.table-wrap {
            table.stats #days {
                caption { (s.area.name()) "の審査日数（中央値・最大・決定の件数）" }
                thead {
                    tr {
                        th scope="col" rowspan="2" { "年度" }
                        th scope="colgroup" colspan="3" { "計画" }
                        th scope="colgroup" colspan="3" { "機器等導入助成・制度導入助成" }
                        th scope="colgroup" colspan="3" { "目標達成助成" }
                    }
                    tr {
                        @for _ in 0..3 {
                            th.num scope="col" { "中央値" } th.num scope="col" { "最大" } th.num scope="col" { "件数" }
                        }
                    }
                }
                tbody {
                    @for y in &s.years {
                        tr {
                            (year_head(y))
                            @if y.with_plan {
                                (days_cells("plan_days", y, "計画", &y.plan_processing))
                            } @else {
                                td.num data-label="計画" colspan="3" { "計画の審査なし" }
                            }
                            (days_cells("equipment_days", y, y.equipment_name, &y.equipment_processing))
                            (days_cells("goal_days", y, "目標達成助成", &y.goal_processing))
                        }
                    }
                }
            }
        }
    }
}

fn budget_table(s: &Statistics) -> Markup {
    let national = s.area == Area::National;
    html! {
        div.table-wrap {
            table.stats #budget {
                caption { (s.area.name()) "の支給決定額と、コース全体（全国）の当初予算額" }
                thead { tr {
                    th scope="col" { "年度" }
                    th.num scope="col" { "支給決定額" }
                    th.num scope="col" { "予算額（全国）" }
                    @if national { th.num scope="col" { "予算額に対する割合" } }
                    th scope="col" { "予算額の出典" }
                } }
                tbody {
                    @for y in &s.years {
                        tr {
                            (year_head(y))
                            (num("decided_yen", y, "支給決定額", y.decided_yen(), yen(u64::try_from(y.decided_yen()).unwrap_or(0))))
                            @match &y.budget {
                                Some(b) => {
                                    td.num id=(format!("budget_yen-{}", y.fiscal_year)) data-value=(b.yen) data-label="予算額（全国）" { (yen(b.yen)) }
                                }
                                None => {
                                    td.num id=(format!("budget_yen-{}", y.fiscal_year)) data-label="予算額（全国）" { "予算額の資料なし" }
                                }
                            }
                            @if national {
                                td.num id=(format!("budget_share-{}", y.fiscal_year)) data-value=[y.budget_share_tenths.map(|t| format!("{}.{}", t / 10, t % 10))] data-label="予算額に対する割合" {
                                    (y.share_text().unwrap_or_else(|| "—".into()))
                                }
                            }
                            td.source data-label="予算額の出典" {
                                @match &y.budget {
                                    Some(b) => {
                                        (b.source)
                                        @if !b.quote.is_empty() { br; span.citation { "「" (b.quote) "」" } }
                                        br; span.citation { "情報の確かさ：" (b.grade.label_ja()) }
                                    }
                                    None => { "—" }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !national {
            p.hint { "予算額はコース全体（全国）の額です。都道府県ごとの配分ではないため、割合は全国の集計でだけ示します。" }
        }
    }
}

/// A round step for an axis going up to `max`: 1, 2 or 5 times a power of ten.
pub(crate) fn axis_step(max: i64) -> i64 {
    let rough = (max.max(1) as f64 / 4.0).max(1.0);
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    (step as i64).max(1)
}

/// The bars of each fiscal year: plans submitted, applications filed (both
/// subsidies), decisions made (both outcomes, both subsidies).
fn chart(s: &Statistics) -> Markup {
    const W: f64 = 360.0;
    const H: f64 = 244.0;
    const LEFT: f64 = 46.0;
    const RIGHT: f64 = 6.0;
    const TOP: f64 = 22.0;
    const BOTTOM: f64 = 44.0;
    let series = |y: &YearRow| -> [(i64, &'static str, &'static str); 3] {
        [
            (y.plans_submitted, "bar-plans", "計画の提出"),
            (y.equipment_filed + y.goal_filed, "bar-filed", "支給申請"),
            (y.decisions(), "bar-decided", "支給決定・不支給決定"),
        ]
    };
    let max = s
        .years
        .iter()
        .flat_map(|y| series(y).map(|(n, _, _)| n))
        .max()
        .unwrap_or(0);
    let step = axis_step(max);
    let top = ((max + step - 1) / step).max(1) * step;
    let plot_h = H - TOP - BOTTOM;
    let plot_w = W - LEFT - RIGHT;
    let y_of = |n: i64| TOP + plot_h - (n as f64 / top as f64) * plot_h;
    let group = plot_w / s.years.len().max(1) as f64;
    let bar = (group - 10.0) / 3.0;
    let summary = s
        .years
        .iter()
        .map(|y| {
            format!(
                "{}：計画の提出{}件、支給申請{}件、決定{}件",
                y.label,
                y.plans_submitted,
                y.equipment_filed + y.goal_filed,
                y.decisions()
            )
        })
        .collect::<Vec<_>>()
        .join("。");
    let fmt = |v: f64| format!("{v:.1}");
    let name = format!(
        "{}の年度別の件数（計画の提出、支給申請、支給決定・不支給決定）",
        s.area.name()
    );
    html! {
        figure.chart {
            svg viewBox=(format!("0 0 {W} {H}")) role="img" aria-label=(name) aria-describedby="chart-desc" {
                title #chart-title { (name) }
                desc #chart-desc { (summary) }
                text x="0" y="12" class="axis-title" { "件数" }
                @for i in 0..=(top / step) {
                    @let v = i * step;
                    @let yy = y_of(v);
                    line.grid x1=(fmt(LEFT)) x2=(fmt(W - RIGHT)) y1=(fmt(yy)) y2=(fmt(yy)) {}
                    text.tick x=(fmt(LEFT - 4.0)) y=(fmt(yy + 4.0)) text-anchor="end" { (v) }
                }
                @for (i, y) in s.years.iter().enumerate() {
                    @let x0 = LEFT + group * i as f64 + 5.0;
                    @for (j, (n, class, what)) in series(y).into_iter().enumerate() {
                        @let h = (n as f64 / top as f64) * plot_h;
                        rect class=(class) x=(fmt(x0 + bar * j as f64)) y=(fmt(TOP + plot_h - h)) width=(fmt(bar - 1.0)) height=(fmt(h)) {
                            title { (y.label) " " (what) " " (n) "件" }
                        }
                    }
                    @let cx = LEFT + group * (i as f64 + 0.5);
                    @let (era, year) = y.label.split_at(y.label.find(|c: char| c.is_ascii_digit() || c == '元').unwrap_or(0));
                    text.tick x=(fmt(cx)) y=(fmt(H - BOTTOM + 19.0)) text-anchor="middle" { (era) }
                    text.tick x=(fmt(cx)) y=(fmt(H - BOTTOM + 37.0)) text-anchor="middle" { (year) }
                }
                line.axis x1=(fmt(LEFT)) x2=(fmt(W - RIGHT)) y1=(fmt(TOP + plot_h)) y2=(fmt(TOP + plot_h)) {}
            }
            figcaption {
                ul.legend {
                    li { span.swatch.bar-plans aria-hidden="true" {} "計画の提出" }
                    li { span.swatch.bar-filed aria-hidden="true" {} "支給申請（両助成の合計）" }
                    li { span.swatch.bar-decided aria-hidden="true" {} "支給決定・不支給決定（両助成の合計）" }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::axis_step;

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(axis_step(0), 1);
        assert_eq!(axis_step(3), 1);
        assert_eq!(axis_step(7), 2);
        assert_eq!(axis_step(18), 5);
        assert_eq!(axis_step(40), 10);
        assert_eq!(axis_step(20_000), 5_000);
    }
}
