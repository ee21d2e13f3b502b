//! How many records one case may hold. The bounds are far above any real
//! case (an SME has at most 300 regular employees: 300 workers × 92 days in
//! each evaluation period is 55,200 telework days) and keep one case, one
//! import and one page from growing without bound.

use serde_json::Value;

/// Telework days (both evaluation periods).
pub const MAX_TELEWORK_ROWS: usize = 60_000;
/// Roster entries, leavers included.
pub const MAX_ROSTER_ROWS: usize = 5_000;
pub const MAX_EXPENSE_ROWS: usize = 2_000;
pub const MAX_TARGET_WORKERS: usize = 1_000;
pub const MAX_MEASURES: usize = 200;

/// Each list of a case document: its path, its bound and what it is called.
pub const ROW_LIMITS: &[(&str, usize, &str)] = &[
    ("telework", MAX_TELEWORK_ROWS, "テレワークの実施記録"),
    ("roster", MAX_ROSTER_ROWS, "労働者名簿"),
    ("expenses", MAX_EXPENSE_ROWS, "経費"),
    ("plan.target_workers", MAX_TARGET_WORKERS, "対象労働者"),
    ("measures", MAX_MEASURES, "取組"),
];

/// A list over its bound: the field's path and a message for the user.
#[derive(Debug, PartialEq, Eq)]
pub struct TooMany {
    pub field: &'static str,
    pub message: String,
}

/// The bound of the list a CSV import of `kind` fills (`telework` or `roster`).
pub fn import_limit(kind: &str) -> usize {
    if kind == "telework" {
        MAX_TELEWORK_ROWS
    } else {
        MAX_ROSTER_ROWS
    }
}

/// Checks every list of a case document against its bound.
pub fn check_rows(doc: &Value) -> Result<(), TooMany> {
    for &(path, max, what) in ROW_LIMITS {
        let pointer = format!("/{}", path.replace('.', "/"));
        let n = doc
            .pointer(&pointer)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if n > max {
            return Err(TooMany {
                field: path,
                message: format!("{what}は1件の申請につき{max}件までです（{n}件あります）"),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bounds_are_inclusive_and_name_the_list() {
        let rows = |n: usize| vec![json!({}); n];
        assert!(check_rows(&json!({"telework": rows(MAX_TELEWORK_ROWS)})).is_ok());
        let e = check_rows(&json!({"telework": rows(MAX_TELEWORK_ROWS + 1)})).unwrap_err();
        assert_eq!(e.field, "telework");
        assert!(e.message.contains("60000件まで"), "{}", e.message);
        let e = check_rows(&json!({"plan": {"target_workers": rows(MAX_TARGET_WORKERS + 1)}}))
            .unwrap_err();
        assert_eq!(e.field, "plan.target_workers");
        assert!(check_rows(&json!({})).is_ok());
    }
}
