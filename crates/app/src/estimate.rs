//! 見込み額: what a case would get if its planned expenses were paid.
//!
//! The engine counts an expense item only once it is paid (`paid_on`; an
//! unpaid item is `not_paid`). The plan editor lets the employer enter items
//! still to be bought (予定, no `paid_on`); the estimate evaluates a copy of
//! the case in which each planned item is paid on the latest of "today" (the
//! document's `as_of`), its delivery day and the plan's certification day, so
//! that it still has to meet every other rule (category, caps, another
//! subsidy, the filing deadline). Pages label it 「見込み額（予定の経費を含む）」
//! beside the engine's own figures, which count paid items only.

use crate::engine::{document_for_engine, run_engine};
use crate::{today, App, Result};
use jiff::civil::Date;
use josei_rules::civil::parse_iso_date;
use josei_rules::evaluate::Evaluation;
use josei_store::CaseRow;
use serde::Serialize;
use serde_json::{json, Value};

/// The figures of one evaluation that expenses move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// 支給対象経費: the eligible expenses after the category caps.
    pub eligible_expenses_yen: u64,
    /// The first subsidy (機器等導入助成, or 制度導入助成 from 令和7年度, whose
    /// fixed amount expenses do not move).
    pub equipment_yen: u64,
    /// 目標達成助成.
    pub goal_yen: u64,
}

impl Figures {
    fn of(e: &Evaluation) -> Figures {
        Figures {
            eligible_expenses_yen: e.expenses.eligible_total_yen.0,
            equipment_yen: e.equipment_subsidy.amount_yen.0,
            goal_yen: e.goal_subsidy.amount_yen.0,
        }
    }
}

/// The engine's figures (paid items only) and the estimate with the planned
/// items paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Estimate {
    /// The first subsidy's name in the case's regime (`機器等導入助成` or `制度導入助成`).
    pub equipment_name: &'static str,
    /// Counting paid items only: the engine's evaluation.
    pub paid: Figures,
    /// 見込み額（予定の経費を含む）: planned items treated as paid.
    pub with_planned: Figures,
    /// How many items are planned (not yet paid), and their amounts in all.
    pub planned_items: usize,
    pub planned_yen: u64,
}

/// The estimate for an engine-ready document (`as_of` set, as
/// [`document_for_engine`] makes it); `None` when the engine cannot evaluate
/// the document as it is.
pub fn estimate(doc: &Value) -> Option<Estimate> {
    let (paid, _) = run_engine(doc).ok()?;
    let day = |v: &Value| v.as_str().and_then(|s| parse_iso_date(s).ok());
    let certified = day(&doc["plan"]["certified_on"]);
    let mut copy = doc.clone();
    let (mut planned_items, mut planned_yen) = (0usize, 0u64);
    if let Some(items) = copy.get_mut("expenses").and_then(Value::as_array_mut) {
        for item in items.iter_mut().filter(|e| e["paid_on"].is_null()) {
            let on: Date = [Some(paid.as_of), day(&item["delivered_on"]), certified]
                .into_iter()
                .flatten()
                .max()
                .unwrap_or(paid.as_of);
            item["paid_on"] = json!(on.to_string());
            planned_items += 1;
            planned_yen = planned_yen.saturating_add(item["amount_yen"].as_u64().unwrap_or(0));
        }
    }
    let with_planned = if planned_items == 0 {
        Figures::of(&paid)
    } else {
        Figures::of(&run_engine(&copy).ok()?.0)
    };
    Some(Estimate {
        equipment_name: paid.equipment_subsidy.name,
        paid: Figures::of(&paid),
        with_planned,
        planned_items,
        planned_yen,
    })
}

/// [`estimate`] for a stored case as of today.
pub async fn case_estimate(app: &App, case: &CaseRow) -> Result<Option<Estimate>> {
    let today = today(app).await?;
    let doc = document_for_engine(app, case, today, &[]).await?;
    Ok(estimate(&doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 令和4年度 case with a certified plan for three workers, as of a day
    /// before its filing deadline.
    fn case(expenses: Value) -> Value {
        json!({
            "as_of": "2022-08-15",
            "employer": {"name": "株式会社みなと商店", "industry": "retail", "capital_yen": 10000000,
                "regular_employees": 12, "employment_insurance": true, "telework_status": "none",
                "work_rules_have_telework": false, "received_telework_subsidy": false},
            "plan": {"submitted_on": "2022-06-15", "certified_on": "2022-07-01", "target_workers": [
                {"id": "W001", "employment": "direct"}, {"id": "W002", "employment": "direct"},
                {"id": "W003", "employment": "direct"}]},
            "expenses": expenses,
        })
    }

    #[test]
    fn planned_items_count_in_the_estimate_only() {
        let doc = case(json!([
            {"id": "X001", "category": "work_rules", "amount_yen": 132000,
             "delivered_on": "2022-07-20", "paid_on": "2022-07-29"},
            {"id": "X002", "category": "web_conference_equipment", "amount_yen": 22000,
             "delivered_on": "2022-09-01", "paid_on": null},
            // Planned but in a category that is never eligible: no difference.
            {"id": "X003", "category": "pc_tablet_smartphone", "amount_yen": 300000, "paid_on": null},
        ]));
        let e = estimate(&doc).unwrap();
        assert_eq!(e.equipment_name, "機器等導入助成");
        // Paid only: work rules up to their cap of 110,000円, 30 % of it.
        assert_eq!(e.paid.eligible_expenses_yen, 110_000);
        assert_eq!(e.paid.equipment_yen, 33_000);
        // With the planned Web会議 items (under the 3 × 11,000円 cap).
        assert_eq!(e.with_planned.eligible_expenses_yen, 132_000);
        assert_eq!(e.with_planned.equipment_yen, 39_600);
        assert_eq!((e.planned_items, e.planned_yen), (2, 322_000));
        // The same as paying the item on its delivery day (after as_of).
        let mut paid = doc.clone();
        paid["expenses"][1]["paid_on"] = json!("2022-09-01");
        let direct = estimate(&paid).unwrap();
        assert_eq!(direct.paid, e.with_planned);
        // Only an item that is never eligible planned: the same figures.
        assert_eq!(direct.paid, direct.with_planned);
        assert_eq!(direct.planned_items, 1);
    }

    #[test]
    fn a_planned_item_still_meets_every_other_rule() {
        // As of after the filing deadline, paying now is too late.
        let mut doc = case(json!([
            {"id": "X001", "category": "web_conference_equipment", "amount_yen": 22000, "paid_on": null},
        ]));
        doc["as_of"] = json!("2024-01-15");
        let e = estimate(&doc).unwrap();
        assert_eq!(e.with_planned.eligible_expenses_yen, 0);
        // A document the engine refuses has no estimate.
        doc["expenses"][0]["amount_yen"] = json!(-5);
        assert!(estimate(&doc).is_none());
    }
}
