//! Target workers as people know them: beside the engine's `id` and
//! `employment`, a worker in `plan.target_workers[]` may carry the `name`
//! (氏名) and `employee_number` (社員番号) the employer typed. The case format
//! allows added fields; the engine's parser ignores them (with a warning), so
//! they are taken out of every copy the engine evaluates ([`for_engine`]).
//! The plan editor gives each worker a system id (`W001`, …) that no page
//! shows; the name is what people read.

use crate::text::forbidden_char;
use crate::{Error, Result};
use serde_json::Value;

/// The longest name (characters).
pub const MAX_NAME_CHARS: usize = 100;
/// The longest employee number (characters).
pub const MAX_NUMBER_CHARS: usize = 30;

/// The fields kept for people only.
const PEOPLE_FIELDS: [&str; 2] = ["name", "employee_number"];

/// Checks the names and employee numbers of a document's target workers:
/// absent or null, or text of 1–[`MAX_NAME_CHARS`] (names) and
/// 1–[`MAX_NUMBER_CHARS`] (numbers) characters on one line. The error names
/// the field by its path.
pub fn check(doc: &Value) -> Result<()> {
    let Some(workers) = doc
        .pointer("/plan/target_workers")
        .and_then(Value::as_array)
    else {
        return Ok(());
    };
    for (i, w) in workers.iter().enumerate() {
        for (key, max, what) in [
            ("name", MAX_NAME_CHARS, "氏名"),
            ("employee_number", MAX_NUMBER_CHARS, "社員番号"),
        ] {
            let path = format!("plan.target_workers[{i}].{key}");
            match w.get(key) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) => {
                    let n = s.chars().count();
                    if n == 0 || n > max || s.trim() != s {
                        return Err(Error::invalid(
                            &path,
                            format!("{what}は前後に空白を付けず、1〜{max}文字で指定してください"),
                        ));
                    }
                    if s.chars().any(|c| forbidden_char(c, false)) {
                        return Err(Error::invalid(
                            &path,
                            format!("{what}に使えない文字（改行・制御文字など）が含まれています"),
                        ));
                    }
                }
                Some(_) => {
                    return Err(Error::invalid(
                        &path,
                        format!("{what}は文字列で指定してください"),
                    ))
                }
            }
        }
    }
    Ok(())
}

/// `doc` as the engine reads it: the target workers without the fields kept
/// for people (so that evaluations carry no warning about them).
pub fn for_engine(doc: &mut Value) {
    if let Some(workers) = doc
        .pointer_mut("/plan/target_workers")
        .and_then(Value::as_array_mut)
    {
        for w in workers.iter_mut().filter_map(Value::as_object_mut) {
            for k in PEOPLE_FIELDS {
                w.remove(k);
            }
        }
    }
}

/// How a page names a target worker: its name, with the employee number when
/// given (`山田 太郎（社員番号 1001）`); a worker stored without a name (by
/// the API or an older version) by its number, else its id.
pub fn display_name(worker: &Value) -> String {
    let text = |k: &str| {
        worker
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    match (text("name"), text("employee_number")) {
        (Some(n), Some(no)) => format!("{n}（社員番号 {no}）"),
        (Some(n), None) => n.to_string(),
        (None, Some(no)) => format!("社員番号 {no}"),
        (None, None) => text("id").unwrap_or("").to_string(),
    }
}

/// The id of the target worker a record names by `written`: the id itself,
/// else the one worker with that employee number, else the one with that
/// name (after trimming). For imports whose rows carry the employer's own
/// numbers (従業員ID) while the plan editor gave the workers system ids.
pub fn worker_id_for<'a>(doc: &'a Value, written: &str) -> Option<&'a str> {
    let written = written.trim();
    let workers = doc.pointer("/plan/target_workers")?.as_array()?;
    let by = |key: &str| -> Option<&'a str> {
        let mut found = workers
            .iter()
            .filter(|w| w.get(key).and_then(Value::as_str) == Some(written));
        let first = found.next()?;
        // Two workers answering to the same name: no guess.
        found
            .next()
            .is_none()
            .then(|| first["id"].as_str())
            .flatten()
    };
    by("id")
        .or_else(|| by("employee_number"))
        .or_else(|| by("name"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_and_numbers_are_checked_and_left_out_for_the_engine() {
        let mut doc = json!({"plan": {"target_workers": [
            {"id": "W001", "employment": "direct", "name": "山田 太郎", "employee_number": "1001"},
            {"id": "W002", "employment": "dispatched"},
        ]}});
        assert!(check(&doc).is_ok());
        assert_eq!(
            display_name(&doc["plan"]["target_workers"][0]),
            "山田 太郎（社員番号 1001）"
        );
        assert_eq!(display_name(&doc["plan"]["target_workers"][1]), "W002");
        for_engine(&mut doc);
        assert_eq!(
            doc["plan"]["target_workers"][0],
            json!({"id": "W001", "employment": "direct"})
        );
        let doc = json!({"plan": {"target_workers": [
            {"id": "W001", "employment": "direct", "name": "山田 太郎", "employee_number": "1001"},
            {"id": "W002", "employment": "direct", "name": "佐藤 花子", "employee_number": "1002"},
            {"id": "W003", "employment": "direct", "name": "佐藤 花子"},
        ]}});
        assert_eq!(worker_id_for(&doc, "W002"), Some("W002"));
        assert_eq!(worker_id_for(&doc, " 1001 "), Some("W001"));
        assert_eq!(worker_id_for(&doc, "山田 太郎"), Some("W001"));
        assert_eq!(worker_id_for(&doc, "佐藤 花子"), None, "two of that name");
        assert_eq!(worker_id_for(&doc, "E009"), None);
        for (bad, field) in [
            (json!({"name": ""}), "plan.target_workers[0].name"),
            (
                json!({"name": "x".repeat(101)}),
                "plan.target_workers[0].name",
            ),
            (json!({"name": "山田\n太郎"}), "plan.target_workers[0].name"),
            (json!({"name": 5}), "plan.target_workers[0].name"),
            (
                json!({"employee_number": " 1"}),
                "plan.target_workers[0].employee_number",
            ),
            (
                json!({"employee_number": "9".repeat(31)}),
                "plan.target_workers[0].employee_number",
            ),
        ] {
            let doc = json!({"plan": {"target_workers": [bad]}});
            let e = check(&doc).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{doc}");
        }
    }
}
