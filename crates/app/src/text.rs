//! Text at the boundary: what a stored string may hold (the same on SQLite
//! and PostgreSQL), and CSV that spreadsheets cannot mistake for formulas.

use crate::{Error, Result};
use serde_json::Value;

/// A case title, as the API and the pages both accept it: 1–200 characters
/// after trimming, no control or bidirectional-override characters.
pub fn validate_title(title: &str) -> Result<String> {
    let t = title.trim();
    if t.is_empty() || t.chars().count() > 200 {
        return Err(Error::invalid(
            "title",
            "件名を1〜200文字で指定してください",
        ));
    }
    if let Some(c) = t.chars().find(|c| forbidden_char(*c, false)) {
        return Err(Error::invalid(
            "title",
            format!("件名に使えない文字（U+{:04X}）が含まれています", c as u32),
        ));
    }
    Ok(t.to_string())
}

/// Characters no stored text may hold: NUL and other controls (line breaks
/// and tabs allowed where `multiline`), and the bidirectional overrides that
/// can disguise a name (U+202A–U+202E, U+2066–U+2069).
pub fn forbidden_char(c: char, multiline: bool) -> bool {
    (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// The largest text value a case document may hold (characters).
pub const MAX_TEXT_CHARS: usize = 2_000;

/// Checks every string of a case document before it reaches the database, the
/// same way on SQLite and PostgreSQL: no forbidden characters (descriptions
/// may break lines), at most [`MAX_TEXT_CHARS`] characters. The error names
/// the field by its path.
pub fn check_document_text(doc: &Value) -> Result<()> {
    fn walk(v: &Value, path: &str) -> Result<()> {
        match v {
            Value::String(s) => {
                let multiline = path.ends_with("description") || path.ends_with("name");
                if s.chars().count() > MAX_TEXT_CHARS {
                    return Err(Error::invalid(
                        path,
                        format!("{MAX_TEXT_CHARS}文字以内で指定してください"),
                    ));
                }
                if let Some(c) = s.chars().find(|c| forbidden_char(*c, multiline)) {
                    return Err(Error::invalid(
                        path,
                        format!("使えない文字（U+{:04X}）が含まれています", c as u32),
                    ));
                }
                Ok(())
            }
            Value::Array(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, x)| walk(x, &format!("{path}[{i}]"))),
            Value::Object(map) => map.iter().try_for_each(|(k, x)| {
                let key_path = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if k.chars().any(|c| forbidden_char(c, false)) || k.chars().count() > 100 {
                    return Err(Error::invalid(path, "項目名に使えない文字が含まれています"));
                }
                walk(x, &key_path)
            }),
            _ => Ok(()),
        }
    }
    walk(doc, "")
}

/// A cell a spreadsheet would read as a formula (starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return) gets a leading `'`.
pub fn formula_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A CSV export (the `csv` crate: cells with a comma, quote or line break are
/// quoted, so a bare CR in a title cannot split a row), every cell made
/// formula-safe, CRLF line ends and a BOM so that Excel reads UTF-8.
pub fn csv_table<R, C>(rows: R) -> String
where
    R: IntoIterator<Item = Vec<C>>,
    C: AsRef<str>,
{
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(row.iter().map(|c| formula_safe(c.as_ref()).into_owned()));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_cannot_be_formulas_or_split_rows() {
        for f in ["=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(formula_safe(f).starts_with('\''), "{f:?}");
        }
        assert_eq!(formula_safe("テレワーク導入"), "テレワーク導入");
        let text = csv_table([
            vec!["件名", "額"],
            vec!["a\rb", "100"],
            vec!["=1+1", "a,\"b\""],
        ]);
        assert_eq!(
            text,
            "\u{feff}件名,額\r\n\"a\rb\",100\r\n'=1+1,\"a,\"\"b\"\"\"\r\n"
        );
        // What it writes, the csv crate reads back cell for cell.
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(std::result::Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[1][0], "a\rb");
    }
}
