//! The engine as the service uses it: a stored case made evaluable as of
//! today, the procedure it follows, and validation by the engine's parser.

use crate::text::check_document_text;
use crate::{App, Error, Result};
use jiff::civil::Date;
use josei_rules::evaluate::{evaluate, Evaluation};
use josei_rules::parse_case_value;
use josei_store::workflow::Procedure;
use josei_store::CaseRow;
use serde_json::{json, Value};

/// The case's document with `as_of` = today, made evaluable for drafts
/// ([`provisional`]), and `overrides` applied; target workers without the
/// names kept for people ([`crate::workers::for_engine`]).
pub async fn document_for_engine(
    app: &App,
    c: &CaseRow,
    today: Date,
    overrides: &[(&str, Value)],
) -> Result<Value> {
    let mut doc = app.db.case_document(c).await?;
    doc["as_of"] = json!(today.to_string());
    for (k, v) in overrides {
        doc[*k] = v.clone();
    }
    provisional(&mut doc, today);
    crate::workers::for_engine(&mut doc);
    crate::printout::applicant_for_engine(&mut doc);
    Ok(doc)
}

/// Makes a draft evaluable as of `today`: when a plan regime covers today, a
/// plan not yet submitted is treated as submitted today; otherwise (令和7年度
/// on) the case follows the no-plan regime of its evaluation period, or, with
/// no evaluation period yet, the regime in force today.
pub fn provisional(doc: &mut Value, today: Date) {
    let set = josei_rules::regime::set();
    if !doc["regime"].is_null() || !doc["plan"]["submitted_on"].is_null() {
        return;
    }
    if set.for_submission(today).is_some() {
        doc["plan"]["submitted_on"] = json!(today.to_string());
        return;
    }
    let start = doc["evaluation_start"]
        .as_str()
        .and_then(|s| josei_rules::civil::parse_iso_date(s).ok());
    if start.is_some_and(|s| set.for_evaluation_start(s).is_some()) {
        return;
    }
    if start.is_none() {
        let regime = set
            .in_force_on(today)
            .or_else(|| set.all().last())
            .map(|r| r.id.clone());
        doc["regime"] = json!(regime);
    }
}

/// Which procedure a case follows: that of its regime once fixed, else that
/// of the regime the engine chose for it, else that of the rules in force.
pub fn procedure_of(case: &CaseRow, e: Option<&Evaluation>, today: Date) -> Procedure {
    let set = josei_rules::regime::set();
    let kind = case
        .regime
        .as_deref()
        .and_then(|id| set.by_id(id))
        .map(|r| r.kind)
        .or(e.map(|e| e.regime_kind))
        .or_else(|| set.in_force_on(today).map(|r| r.kind))
        .unwrap_or(josei_rules::regime::RegimeKind::NoPlan);
    match kind {
        josei_rules::regime::RegimeKind::Plan => Procedure::Plan,
        josei_rules::regime::RegimeKind::NoPlan => Procedure::NoPlan,
    }
}

/// Evaluates `doc` with the engine.
pub fn run_engine(
    doc: &Value,
) -> std::result::Result<(Evaluation, String), josei_rules::InputError> {
    let text = doc.to_string();
    let parsed = josei_rules::parse_case(&text, Date::MIN)?;
    let regime = parsed.regime.id.clone();
    Ok((evaluate(&parsed), regime))
}

/// Validates an `employer` object with the engine's parser (field paths included).
pub fn check_employer(employer: &Value) -> Result<()> {
    check_document_text(&json!({ "employer": employer }))?;
    let probe = json!({
        "as_of": "2022-06-01", "regime": "R4", "employer": employer,
        "plan": {"submitted_on": "2022-06-01", "target_workers": []}
    });
    parse_case_value_text(&probe).map(|_| ())
}

pub fn parse_case_value_text(doc: &Value) -> Result<josei_rules::ParsedCase> {
    let text = doc.to_string();
    let json: josei_rules::parse::Json<'_> =
        serde_json::from_str(&text).map_err(|e| Error::invalid("$", e.to_string()))?;
    Ok(parse_case_value(&json, Date::MIN)?)
}
