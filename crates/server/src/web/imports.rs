//! CSV imports with a preview before anything is stored.

use super::*;
use crate::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use josei_app::access::visible_case;
use josei_app::cases::save_document;
use josei_store::{ImportKind, Role};
use maud::html;
use serde::Deserialize;

/// This area's pages.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/import", post(import_preview))
        .route("/cases/{id}/import/confirm", post(import_confirm))
}

/// The rows of a CSV of `kind`, or its bad rows.
fn read_csv(
    kind: ImportKind,
    bytes: &[u8],
) -> Result<
    (Vec<serde_json::Value>, josei_store::import::Encoding),
    Vec<josei_store::import::ImportError>,
> {
    match kind {
        ImportKind::Telework => josei_store::import::telework_csv(bytes),
        ImportKind::Roster => josei_store::import::roster_csv(bytes),
    }
}

/// The page for a form without a known kind of import.
fn no_kind(u: &WebUser) -> Response {
    error_page(
        StatusCode::UNPROCESSABLE_ENTITY,
        "種類を選んでください",
        "テレワーク実績か労働者名簿かを選んでください。",
        Some(u),
    )
}

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
    let (mut csrf, mut kind, mut bytes) = (String::new(), String::new(), Vec::new());
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "kind" => kind = field.text().await.unwrap_or_default(),
            "file" => bytes = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
            _ => {}
        }
    }
    if let Some(r) = csrf_error(&u, &csrf) {
        return r;
    }
    let Some(kind) = ImportKind::parse(&kind) else {
        return no_kind(&u);
    };
    let parsed = read_csv(kind, &bytes);
    let text = josei_store::import::decode(&bytes)
        .map(|(t, _)| t)
        .unwrap_or_default();
    let (status, body) = match parsed {
        Err(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            html! {
                h1 { "取り込めません" }
                div.errors role="alert" {
                    p { (errors.len()) "件の問題があります。CSV を直してから、もう一度選んでください。何も保存していません。" }
                    div.table-wrap { table {
                        thead { tr { th scope="col" { "行" } th scope="col" { "列" } th scope="col" { "内容" } } }
                        tbody { @for e in &errors { tr { td { @if e.line == 0 { "—" } @else { (e.line) } } td { (e.column.clone().unwrap_or_default()) } td { (e.message) } } } }
                    } }
                }
                p { a href=(format!("/cases/{id}")) { "ケースに戻る" } }
            },
        ),
        Ok((rows, encoding)) => (
            StatusCode::OK,
            html! {
                h1 { "取り込む内容の確認" }
                p { (rows.len()) "行を読み込みました（文字コード: " (encoding.label_ja()) "）。まだ保存していません。" }
                div.table-wrap { table {
                    thead { tr { @for h in josei_store::import::preview_headings(kind) { th scope="col" { (h) } } } }
                    tbody { @for r in rows.iter().take(50) { tr { @for c in josei_store::import::preview_cells(kind, r) { td { (c) } } } } }
                } }
                @if rows.len() > 50 { p { "ほか " (rows.len() - 50) "行" } }
                form method="post" action=(format!("/cases/{id}/import/confirm")) {
                    input type="hidden" name="csrf" value=(u.csrf);
                    input type="hidden" name="version" value=(case.version);
                    input type="hidden" name="kind" value=(kind);
                    input type="hidden" name="csv" value=(text);
                    fieldset.choices {
                        legend { "既にある記録" }
                        label { input type="radio" name="mode" value="append" checked; " 残して追加する" }
                        label { input type="radio" name="mode" value="replace"; " 置き換える" }
                    }
                    button type="submit" { "この内容で取り込む" }
                }
                p { a href=(format!("/cases/{id}")) { "取り込まずに戻る" } }
            },
        ),
    };
    (status, page("CSV の取り込み", Some(&u), body)).into_response()
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

pub(crate) async fn import_confirm(
    State(state): State<AppState>,
    Path(id): Path<CaseId>,
    CsrfForm(u, f): CsrfForm<ImportConfirm>,
) -> Response {
    let case = match visible_case(&state, &u.user, id).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, &u),
    };
    if !matches!(u.user.role, Role::Employer | Role::Agent) {
        return error_page(
            StatusCode::FORBIDDEN,
            "権限がありません",
            "取り込みは事業主と社労士が行います。",
            Some(&u),
        );
    }
    let Some(kind) = ImportKind::parse(&f.kind) else {
        return no_kind(&u);
    };
    let parsed = read_csv(kind, f.csv.as_bytes());
    let Ok((rows, _)) = parsed else {
        return error_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "取り込めません",
            "CSV に問題があります。もう一度ファイルを選んでください。",
            Some(&u),
        );
    };
    let mut doc = match state.db.case_document(&case).await {
        Ok(d) => d,
        Err(e) => return api_error_page(e, &u),
    };
    josei_store::import::merge(&mut doc, kind, rows, f.mode.as_deref() == Some("replace"));
    match save_document(&state, &case, f.version, doc, &u.user).await {
        Ok(_) => Redirect::to(&format!("/cases/{id}")).into_response(),
        Err(e) => api_error_page(e, &u),
    }
}

has_csrf!(ImportConfirm);
