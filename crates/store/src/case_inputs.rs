//! The records of a case's inputs: `case_target_workers`, `case_telework`,
//! `case_roster`, `case_expenses` and `case_measures`, with the input
//! columns of `cases` (employer, dates, 職場風土作り, growth count, wages,
//! productivity).
//!
//! Invariants: the records are always replaced together, in one transaction
//! with the case's version check, its audit entry and its snapshot marked
//! dirty; each list keeps the document's order (`seq`), and telework has one
//! record per worker and day (the last wins). Enumerated fields hold the
//! engine's names (`employment`, `place`, `leave_reason`, `category`,
//! measure `kind`; CHECKs since versions 3 and 7): callers store only
//! documents the engine has parsed. A target worker may carry the `name` and
//! `employee_number` people know it by (since version 9; the engine ignores
//! them).

use crate::audit::audit;
use crate::bulk::insert_values;
use crate::cases::{case_in_tx, stale};
use crate::{now_text, opt_str, snapshots, CaseId, CaseRow, Db, Result, StoreError, UserId};
use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// The array at `v`, or none.
fn list(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// Telework records, one per worker and day (the last wins).
fn dedupe_telework(items: &[Value]) -> Vec<Value> {
    let mut seen = std::collections::HashMap::new();
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    for t in items {
        let key = (opt_str(t, "worker"), opt_str(t, "date"));
        match seen.get(&key) {
            Some(&i) => out[i] = t.clone(),
            None => {
                seen.insert(key, out.len());
                out.push(t.clone());
            }
        }
    }
    out
}

/// A target worker as the document holds it: `id` and `employment`, and the
/// name and employee number people know the worker by when they were given
/// (since version 9; absent rather than null, so that documents stored
/// before read back exactly as they were sent).
fn target_worker(id: Value, employment: Value, name: Value, number: Value) -> Value {
    let mut w = json!({"id": id, "employment": employment});
    for (k, v) in [("name", name), ("employee_number", number)] {
        if !v.is_null() {
            w[k] = v;
        }
    }
    w
}

async fn document_in_tx(tx: &mut Transaction<'_, Any>, c: &CaseRow) -> Result<Value> {
    let count =
        |table: &'static str| format!("SELECT COUNT(*) AS n FROM {table} WHERE case_id = $1");
    let mut counts = serde_json::Map::new();
    for table in [
        "case_target_workers",
        "case_telework",
        "case_roster",
        "case_expenses",
        "case_measures",
    ] {
        let n: i64 = sqlx::query(&count(table))
            .bind(c.id)
            .fetch_one(&mut **tx)
            .await?
            .try_get("n")?;
        counts.insert(table.trim_start_matches("case_").to_string(), json!(n));
    }
    Ok(json!({
        "employer": serde_json::from_str::<Value>(&c.employer_json).unwrap_or(Value::Null),
        "work_rules_established_on": c.work_rules_established_on,
        "workplace_climate": {"top_message_on": c.climate_top_message_on, "case_sharing_on": c.climate_case_sharing_on},
        "telework_before_count": c.telework_before_count,
        "wage_increase": c.wage_increase_json.as_deref().and_then(|p| serde_json::from_str::<Value>(p).ok()),
        "evaluation_start": c.evaluation_start,
        "record_counts": counts,
        "version": c.version,
    }))
}

impl Db {
    /// The case's inputs in the engine's JSON contract (without `as_of`).
    pub async fn case_document(&self, c: &CaseRow) -> Result<Value> {
        let id = c.id;
        let targets = sqlx::query(
            "SELECT worker_id, employment, name, employee_number FROM case_target_workers WHERE case_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let telework = sqlx::query("SELECT worker_id, day, place FROM case_telework WHERE case_id = $1 ORDER BY day, worker_id").bind(id).fetch_all(&self.pool).await?;
        let roster = sqlx::query("SELECT worker_id, hired_on, left_on, leave_reason FROM case_roster WHERE case_id = $1 ORDER BY seq").bind(id).fetch_all(&self.pool).await?;
        let expenses = sqlx::query("SELECT expense_id, category, amount_yen, delivered_on, paid_on, travel_for, description, funded_by_other_subsidy, months FROM case_expenses WHERE case_id = $1 ORDER BY seq").bind(id).fetch_all(&self.pool).await?;
        let measures =
            sqlx::query("SELECT kind, done_on FROM case_measures WHERE case_id = $1 ORDER BY seq")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        let g = |r: &AnyRow, k: &str| -> Value {
            r.try_get::<Option<String>, _>(k)
                .ok()
                .flatten()
                .map_or(Value::Null, Value::String)
        };
        Ok(json!({
            "regime": c.regime,
            "employer": serde_json::from_str::<Value>(&c.employer_json).unwrap_or(Value::Null),
            "plan": {
                "submitted_on": c.submitted_on,
                "certified_on": c.certified_on,
                "target_workers": targets.iter().map(|r| target_worker(g(r, "worker_id"), g(r, "employment"), g(r, "name"), g(r, "employee_number"))).collect::<Vec<_>>(),
            },
            "work_rules_established_on": c.work_rules_established_on,
            "workplace_climate": if c.climate_top_message_on.is_none() && c.climate_case_sharing_on.is_none() {
                Value::Null
            } else {
                json!({"top_message_on": c.climate_top_message_on, "case_sharing_on": c.climate_case_sharing_on})
            },
            "measures": measures.iter().map(|r| json!({"kind": g(r, "kind"), "on": g(r, "done_on")})).collect::<Vec<_>>(),
            "evaluation_start": c.evaluation_start,
            "telework_before_count": c.telework_before_count,
            "telework": telework.iter().map(|r| json!({"worker": g(r, "worker_id"), "date": g(r, "day"), "place": g(r, "place")})).collect::<Vec<_>>(),
            "expenses": expenses.iter().map(|r| json!({
                "id": g(r, "expense_id"), "category": g(r, "category"),
                "amount_yen": r.try_get::<i64, _>("amount_yen").unwrap_or(0),
                "delivered_on": g(r, "delivered_on"), "paid_on": g(r, "paid_on"),
                "for": g(r, "travel_for"), "description": g(r, "description"),
                "funded_by_other_subsidy": r.try_get::<i64, _>("funded_by_other_subsidy").unwrap_or(0) != 0,
                "months": r.try_get::<Option<i64>, _>("months").ok().flatten(),
            })).collect::<Vec<_>>(),
            "roster": roster.iter().map(|r| json!({"id": g(r, "worker_id"), "hired_on": g(r, "hired_on"), "left_on": g(r, "left_on"), "leave_reason": g(r, "leave_reason")})).collect::<Vec<_>>(),
            "equipment_application_filed_on": c.equipment_application_filed_on,
            "goal_application_filed_on": c.goal_application_filed_on,
            "productivity": c.productivity_json.as_deref().and_then(|p| serde_json::from_str::<Value>(p).ok()),
            "wage_increase": c.wage_increase_json.as_deref().and_then(|p| serde_json::from_str::<Value>(p).ok()),
        }))
    }

    /// Replaces the case's editable inputs with those of `doc` (a validated
    /// contract document), if the case is still at `expected_version`. Dates
    /// owned by the workflow (submission, certification, filing) are kept.
    pub async fn save_inputs(
        &self,
        case_id: CaseId,
        expected_version: i64,
        doc: &Value,
        by: Option<UserId>,
    ) -> Result<CaseRow> {
        self.save_inputs_as(case_id, expected_version, doc, by, None)
            .await
    }

    /// [`Db::save_inputs`], recorded as an amendment with its reason when one
    /// is given (changes to inputs a filed application rests on).
    pub async fn save_inputs_as(
        &self,
        case_id: CaseId,
        expected_version: i64,
        doc: &Value,
        by: Option<UserId>,
        amendment: Option<&str>,
    ) -> Result<CaseRow> {
        let before_row = self.case(case_id).await?.ok_or(StoreError::NotFound)?;
        let before = self.case_document(&before_row).await?;
        let mut tx = self.pool.begin().await?;
        let climate = doc.get("workplace_climate").cloned().unwrap_or(Value::Null);
        let updated = sqlx::query("UPDATE cases SET version = version + 1, updated_at = $1, employer_json = $2, work_rules_established_on = $3, evaluation_start = $4, productivity_json = $5, climate_top_message_on = $6, climate_case_sharing_on = $7, telework_before_count = $8, wage_increase_json = $9 WHERE id = $10 AND version = $11")
            .bind(now_text())
            .bind(doc.get("employer").cloned().unwrap_or(Value::Null).to_string())
            .bind(opt_str(doc, "work_rules_established_on"))
            .bind(opt_str(doc, "evaluation_start"))
            .bind(doc.get("productivity").filter(|p| !p.is_null()).map(|p| p.to_string()))
            .bind(opt_str(&climate, "top_message_on"))
            .bind(opt_str(&climate, "case_sharing_on"))
            .bind(doc.get("telework_before_count").and_then(Value::as_i64))
            .bind(doc.get("wage_increase").filter(|p| !p.is_null()).map(|p| p.to_string()))
            .bind(case_id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(stale());
        }
        for table in [
            "case_target_workers",
            "case_telework",
            "case_roster",
            "case_expenses",
            "case_measures",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE case_id = $1"))
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
        }
        // Each list in as few multi-row statements as the backend allows.
        let backend = self.backend;
        let targets = list(doc.get("plan").and_then(|p| p.get("target_workers")));
        insert_values(
            &mut tx,
            backend,
            "INSERT INTO case_target_workers (case_id, seq, worker_id, employment, name, employee_number) ",
            6,
            targets,
            "",
            |b, i, t| {
                b.push_bind(case_id)
                    .push_bind(i as i64)
                    .push_bind(opt_str(t, "id"))
                    .push_bind(opt_str(t, "employment"))
                    .push_bind(opt_str(t, "name"))
                    .push_bind(opt_str(t, "employee_number"));
            },
        )
        .await?;
        let telework = dedupe_telework(list(doc.get("telework")));
        insert_values(
            &mut tx,
            backend,
            "INSERT INTO case_telework (case_id, worker_id, day, place) ",
            4,
            &telework,
            "",
            |b, _, t| {
                b.push_bind(case_id)
                    .push_bind(opt_str(t, "worker"))
                    .push_bind(opt_str(t, "date"))
                    .push_bind(opt_str(t, "place"));
            },
        )
        .await?;
        insert_values(
            &mut tx,
            backend,
            "INSERT INTO case_roster (case_id, seq, worker_id, hired_on, left_on, leave_reason) ",
            6,
            list(doc.get("roster")),
            "",
            |b, i, r| {
                b.push_bind(case_id)
                    .push_bind(i as i64)
                    .push_bind(opt_str(r, "id"))
                    .push_bind(opt_str(r, "hired_on"))
                    .push_bind(opt_str(r, "left_on"))
                    .push_bind(opt_str(r, "leave_reason"));
            },
        )
        .await?;
        insert_values(
            &mut tx,
            backend,
            "INSERT INTO case_expenses (case_id, seq, expense_id, category, amount_yen, delivered_on, paid_on, travel_for, description, funded_by_other_subsidy, months) ",
            11,
            list(doc.get("expenses")),
            "",
            |b, i, e| {
                b.push_bind(case_id)
                    .push_bind(i as i64)
                    .push_bind(opt_str(e, "id"))
                    .push_bind(opt_str(e, "category"))
                    .push_bind(e.get("amount_yen").and_then(Value::as_i64).unwrap_or(0))
                    .push_bind(opt_str(e, "delivered_on"))
                    .push_bind(opt_str(e, "paid_on"))
                    .push_bind(opt_str(e, "for"))
                    .push_bind(opt_str(e, "description"))
                    .push_bind(i64::from(
                        e.get("funded_by_other_subsidy").and_then(Value::as_bool) == Some(true),
                    ))
                    .push_bind(e.get("months").and_then(Value::as_i64));
            },
        )
        .await?;
        insert_values(
            &mut tx,
            backend,
            "INSERT INTO case_measures (case_id, seq, kind, done_on) ",
            4,
            list(doc.get("measures")),
            "",
            |b, i, m| {
                b.push_bind(case_id)
                    .push_bind(i as i64)
                    .push_bind(opt_str(m, "kind"))
                    .push_bind(opt_str(m, "on"));
            },
        )
        .await?;
        // The audit entry holds the stored documents before and after.
        let after_row = case_in_tx(&mut tx, case_id).await?;
        let after = document_in_tx(&mut tx, &after_row).await?;
        let mut after = after;
        if let Some(reason) = amendment {
            after["amendment_reason"] = json!(reason);
        }
        audit(
            &mut tx,
            by,
            if amendment.is_some() {
                "case.amend"
            } else {
                "case.inputs"
            },
            "case",
            &case_id.to_string(),
            Some(&before),
            Some(&after),
        )
        .await?;
        snapshots::mark_stale(&mut tx, case_id).await?;
        tx.commit().await?;
        self.case(case_id).await?.ok_or(StoreError::NotFound)
    }
}
