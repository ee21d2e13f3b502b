//! Evaluation snapshots: what lists read instead of running the engine.

use crate::deadlines::next_deadline;
use crate::engine::{document_for_engine, run_engine};
use crate::{today, App, Result};
use jiff::civil::Date;
use josei_rules::evaluate::SubsidyStatus;
use josei_store::{CaseRow, Db, Scope};
use std::time::Duration;

/// The engine a snapshot was made with: its version and, with an overlay, the
/// overlay's hash (a corrected value re-evaluates every case).
pub fn engine_key() -> String {
    match josei_rules::regime::set().overlay() {
        Some(o) => format!(
            "{}+{}",
            josei_rules::ENGINE_VERSION,
            &o.sha256[..16.min(o.sha256.len())]
        ),
        None => josei_rules::ENGINE_VERSION.to_string(),
    }
}

pub fn verdict(s: SubsidyStatus) -> josei_store::Verdict {
    match s {
        SubsidyStatus::Payable => josei_store::Verdict::Payable,
        SubsidyStatus::NotPayable => josei_store::Verdict::NotPayable,
        SubsidyStatus::Pending => josei_store::Verdict::Pending,
    }
}

/// The case evaluated as of `today`, as a snapshot.
pub async fn snapshot_of(
    app: &App,
    case: &CaseRow,
    today: Date,
    engine: &str,
) -> Result<josei_store::Snapshot> {
    let doc = document_for_engine(app, case, today, &[]).await?;
    let mut snap = josei_store::Snapshot {
        case_id: case.id,
        case_version: case.version,
        as_of: today.to_string(),
        engine: engine.to_string(),
        regime: None,
        equipment: None,
        equipment_yen: 0,
        goal: None,
        goal_yen: 0,
        deadline_date: None,
        deadline_json: None,
        input_error: None,
    };
    let yen = |y: josei_rules::model::Yen| i64::try_from(y.0).unwrap_or(i64::MAX);
    match run_engine(&doc) {
        Ok((e, regime)) => {
            let deadline = next_deadline(case.status, &e, today);
            snap.regime = Some(regime);
            snap.equipment = Some(verdict(e.equipment_subsidy.status));
            snap.equipment_yen = yen(e.equipment_subsidy.amount_yen);
            snap.goal = Some(verdict(e.goal_subsidy.status));
            snap.goal_yen = yen(e.goal_subsidy.amount_yen);
            snap.deadline_date = deadline.as_ref().map(|d| d.date.to_string());
            snap.deadline_json = deadline.and_then(|d| serde_json::to_string(&d).ok());
        }
        Err(e) => snap.input_error = Some(e.message),
    }
    Ok(snap)
}

/// Brings the snapshot of every case in `scope` up to date (today, this
/// engine, each case's current version) and returns today. Only stale cases
/// are evaluated: after a write, one case; after midnight, all once.
pub async fn refresh_snapshots(app: &App, scope: &Scope) -> Result<Date> {
    let today = today(app).await?;
    refresh_snapshots_as_of(app, scope, today).await?;
    Ok(today)
}

/// [`refresh_snapshots`] as of `today` (the CLI's `--as-of`; the service's
/// next read re-evaluates cases whose snapshot is of another day).
pub async fn refresh_snapshots_as_of(app: &App, scope: &Scope, today: Date) -> Result<()> {
    let engine = engine_key();
    let stale = app
        .db
        .stale_cases(scope, &today.to_string(), &engine)
        .await?;
    for chunk in stale.chunks(200) {
        let mut fresh = Vec::with_capacity(chunk.len());
        for case in chunk {
            fresh.push(snapshot_of(app, case, today, &engine).await?);
        }
        app.db.put_snapshots(&fresh).await?;
    }
    Ok(())
}

/// Brings every case's snapshot up to date (for `josei demo` and imports run
/// outside the server).
pub async fn refresh_all_snapshots(db: &Db) -> std::result::Result<(), String> {
    let app = App::new(db.clone(), false);
    refresh_snapshots(&app, &Scope::All)
        .await
        .map(|_| ())
        .map_err(|e| e.message)
}

/// Keeps every snapshot current in the background: at start, after each
/// change of day and every minute for cases written since, so that the first
/// list of a morning does not wait for thousands of evaluations.
pub async fn keep_snapshots_fresh(app: App) {
    loop {
        if let Err(e) = refresh_snapshots(&app, &Scope::All).await {
            tracing::warn!(error = %e.message, "refreshing evaluation snapshots failed");
        }
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
}
