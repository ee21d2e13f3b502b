//! Comparing an evaluation with an expected one, as the contract prescribes
//! (case-format.md): every field of the expected document compared exactly,
//! except `rate_percent` and `required_teleworkers` (±0.005) and `citation` /
//! `message` (only required to be non-empty). Fields the expected document does
//! not have are allowed (the contract may grow).

use serde_json::Value;

/// Tolerance for the two approximate fields.
const TOLERANCE: f64 = 0.005;

/// Every difference between `expected` and `actual`, each as `path: reason`.
/// Empty when they conform.
pub fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    compare("$", None, expected, actual, &mut out);
    out
}

fn compare(path: &str, key: Option<&str>, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match key {
        Some("citation" | "message") => {
            if actual.as_str().is_none_or(|s| s.trim().is_empty()) {
                out.push(format!("{path}: expected a non-empty string, got {actual}"));
            }
            return;
        }
        Some("rate_percent" | "required_teleworkers") if expected.is_number() => {
            match (expected.as_f64(), actual.as_f64()) {
                (Some(e), Some(a)) if (e - a).abs() <= TOLERANCE => {}
                _ => out.push(format!(
                    "{path}: expected {expected} ±{TOLERANCE}, got {actual}"
                )),
            }
            return;
        }
        _ => {}
    }
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let child = format!("{path}.{k}");
                match a.get(k) {
                    Some(av) => compare(&child, Some(k), ev, av, out),
                    None => out.push(format!("{child}: missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!(
                    "{path}: expected {} elements, got {}",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                compare(&format!("{path}[{i}]"), None, ev, av, out);
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            // 0.0 and 0 are the same number.
            if e != a && e.as_f64() != a.as_f64() {
                out.push(format!("{path}: expected {e}, got {a}"));
            }
        }
        (e, a) if e == a => {}
        (e, a) => out.push(format!("{path}: expected {e}, got {a}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn detects_what_matters_and_tolerates_the_rest() {
        let e =
            json!({"a": 1, "rate_percent": 8.33, "checks": [{"message": "x", "status": "pass"}]});
        let ok = json!({"a": 1, "rate_percent": 8.334, "extra": true, "checks": [{"message": "説明", "status": "pass"}]});
        assert!(differences(&e, &ok).is_empty());
        let bad = json!({"a": 2, "rate_percent": 8.34, "checks": [{"message": "", "status": "fail"}, {}]});
        let d = differences(&e, &bad);
        assert_eq!(d.len(), 5, "{d:?}");
        assert!(differences(&json!({"x": null}), &json!({})).len() == 1);
    }
}
