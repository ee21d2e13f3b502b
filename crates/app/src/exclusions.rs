//! What an officer leaves out of a subsidy decision (査定): individual expense
//! items and individual telework days of a worker, each with a reason. The
//! decided amount is never typed in: the engine evaluates the case again
//! without what was left out, and that evaluation's amount is the most that
//! can be granted.
//!
//! Invariant: [`apply`] only removes what it names from the engine's
//! document; an exclusion that names nothing in the case, or has no reason,
//! is refused with the field it came from, and the document is unchanged.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The longest reason kept for one exclusion (characters).
pub const MAX_REASON_CHARS: usize = 500;
/// The most exclusions one decision may carry (a bound on the request, far
/// above any real case: a year of days for forty workers).
pub const MAX_EXCLUSIONS: usize = 15_000;

/// One thing left out of a decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Exclusion {
    /// An expense item (its `id` in the case's `expenses`).
    Expense { expense: String, reason: String },
    /// One day of telework of one target worker (the worker's `id`, the day
    /// ISO `YYYY-MM-DD`).
    TeleworkDay {
        worker: String,
        date: String,
        reason: String,
    },
}

impl Exclusion {
    pub fn reason(&self) -> &str {
        match self {
            Exclusion::Expense { reason, .. } | Exclusion::TeleworkDay { reason, .. } => reason,
        }
    }

    /// The same exclusion with its fields trimmed.
    fn normalised(&self) -> Exclusion {
        let r = self.reason().trim().to_string();
        match self {
            Exclusion::Expense { expense, .. } => Exclusion::Expense {
                expense: expense.trim().to_string(),
                reason: r,
            },
            Exclusion::TeleworkDay { worker, date, .. } => Exclusion::TeleworkDay {
                worker: worker.trim().to_string(),
                date: date.trim().to_string(),
                reason: r,
            },
        }
    }
}

/// `list` checked against the case document `doc` (as stored or as the
/// engine reads it): each names an expense item or a telework record of the
/// case and carries a reason. Returns the list normalised, duplicates
/// dropped (the first reason kept), in the order given.
pub fn check(doc: &Value, list: &[Exclusion]) -> Result<Vec<Exclusion>> {
    if list.len() > MAX_EXCLUSIONS {
        return Err(Error::invalid(
            "exclusions",
            format!("除外できるのは一度に{MAX_EXCLUSIONS}件までです"),
        ));
    }
    let expenses = doc["expenses"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let telework = doc["telework"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let mut out: Vec<Exclusion> = Vec::with_capacity(list.len());
    let mut seen = std::collections::HashSet::new();
    for x in list.iter().map(Exclusion::normalised) {
        let key = match &x {
            Exclusion::Expense { expense, .. } => {
                if !expenses.iter().any(|e| e["id"].as_str() == Some(expense)) {
                    return Err(Error::invalid(
                        "exclusions",
                        "除外する経費が、この申請の経費の中に見つかりません。ページを読み込み直してください",
                    ));
                }
                format!("e:{expense}")
            }
            Exclusion::TeleworkDay { worker, date, .. } => {
                if !telework.iter().any(|t| {
                    t["worker"].as_str() == Some(worker) && t["date"].as_str() == Some(date)
                }) {
                    return Err(Error::invalid(
                        "exclusions",
                        format!("{date} のテレワークの記録が見つかりません。ページを読み込み直してください"),
                    ));
                }
                format!("t:{worker}:{date}")
            }
        };
        if x.reason().is_empty() {
            return Err(Error::invalid(
                match x {
                    Exclusion::Expense { .. } => "exclusion_reason",
                    Exclusion::TeleworkDay { .. } => "exclusion_day_reason",
                },
                "除外する経費や日には、それぞれ理由を入力してください",
            ));
        }
        if x.reason().chars().count() > MAX_REASON_CHARS {
            return Err(Error::invalid(
                "exclusions",
                format!("除外の理由は{MAX_REASON_CHARS}文字以内で入力してください"),
            ));
        }
        if seen.insert(key) {
            out.push(x);
        }
    }
    Ok(out)
}

/// Removes what `list` names from the engine's document `doc`: the expense
/// items, and the telework records of those workers on those days. `list`
/// must have passed [`check`] against the same document.
pub fn apply(doc: &mut Value, list: &[Exclusion]) {
    if list.is_empty() {
        return;
    }
    let expense = |id: &str| {
        list.iter()
            .any(|x| matches!(x, Exclusion::Expense { expense, .. } if expense == id))
    };
    let day = |w: &str, d: &str| {
        list.iter().any(
            |x| matches!(x, Exclusion::TeleworkDay { worker, date, .. } if worker == w && date == d),
        )
    };
    if let Some(a) = doc["expenses"].as_array_mut() {
        a.retain(|e| !expense(e["id"].as_str().unwrap_or("")));
    }
    if let Some(a) = doc["telework"].as_array_mut() {
        a.retain(|t| {
            !day(
                t["worker"].as_str().unwrap_or(""),
                t["date"].as_str().unwrap_or(""),
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "expenses": [{"id": "X1", "amount_yen": 100}, {"id": "X2", "amount_yen": 200}],
            "telework": [
                {"worker": "E1", "date": "2022-08-01", "place": "home"},
                {"worker": "E1", "date": "2022-08-02", "place": "home"},
                {"worker": "E2", "date": "2022-08-01", "place": "home"}
            ]
        })
    }

    #[test]
    fn removes_only_what_is_named() {
        let mut d = doc();
        let list = check(
            &d,
            &[
                Exclusion::Expense {
                    expense: "X2".into(),
                    reason: " 領収書なし ".into(),
                },
                Exclusion::TeleworkDay {
                    worker: "E1".into(),
                    date: "2022-08-01".into(),
                    reason: "出社".into(),
                },
            ],
        )
        .unwrap();
        assert_eq!(list[0].reason(), "領収書なし");
        apply(&mut d, &list);
        assert_eq!(d["expenses"], json!([{"id": "X1", "amount_yen": 100}]));
        let days: Vec<(&str, &str)> = d["telework"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["worker"].as_str().unwrap(), t["date"].as_str().unwrap()))
            .collect();
        assert_eq!(days, [("E1", "2022-08-02"), ("E2", "2022-08-01")]);
    }

    #[test]
    fn refuses_unknown_items_and_missing_reasons() {
        let d = doc();
        let unknown = check(
            &d,
            &[Exclusion::Expense {
                expense: "X9".into(),
                reason: "r".into(),
            }],
        )
        .unwrap_err();
        assert_eq!(unknown.field.as_deref(), Some("exclusions"));
        let wrong_day = check(
            &d,
            &[Exclusion::TeleworkDay {
                worker: "E2".into(),
                date: "2022-08-02".into(),
                reason: "r".into(),
            }],
        )
        .unwrap_err();
        assert!(wrong_day.message.contains("2022-08-02"));
        let no_reason = check(
            &d,
            &[Exclusion::Expense {
                expense: "X1".into(),
                reason: "　".into(),
            }],
        )
        .unwrap_err();
        assert_eq!(no_reason.field.as_deref(), Some("exclusion_reason"));
    }

    #[test]
    fn duplicates_keep_the_first_reason() {
        let d = doc();
        let x = |r: &str| Exclusion::Expense {
            expense: "X1".into(),
            reason: r.into(),
        };
        let list = check(&d, &[x("a"), x("b")]).unwrap();
        assert_eq!(list, [x("a")]);
    }

    #[test]
    fn serialises_with_its_kind() {
        let x = Exclusion::TeleworkDay {
            worker: "E1".into(),
            date: "2022-08-01".into(),
            reason: "r".into(),
        };
        assert_eq!(
            serde_json::to_value(&x).unwrap(),
            json!({"kind": "telework_day", "worker": "E1", "date": "2022-08-01", "reason": "r"})
        );
    }
}
