//! What the plan form sends, read into a case document. Every text and
//! number is normalised first (NFKC: `１２` → `12`, `ＡＢＣ` → `ABC`,
//! full-width spaces trimmed); amounts and dates are read as people write
//! them (`110,000`, `１１００００円`, `2025/4/1`); target workers and expenses
//! come as rows whose ids the system gives and keeps; and every problem is
//! reported by its field, in Japanese. Nothing is silently rewritten: a value
//! that cannot be read is an error on its field, never a guess.

use jiff::civil::Date;
use josei_rules::civil::{parse_iso_date, DateError};
use josei_rules::model::{Disqualification, Employment, ExpenseCategory, MeasureKind};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use unicode_normalization::UnicodeNormalization;

/// Characters a one-line text may not hold (controls, bidirectional overrides).
fn forbidden(c: char) -> bool {
    josei_app::text::forbidden_char(c, false)
}

/// `s` in Unicode NFKC, trimmed: full-width digits, letters and spaces become
/// their ASCII forms, half-width katakana full-width.
pub(crate) fn nfkc(s: &str) -> String {
    s.nfkc().collect::<String>().trim().to_string()
}

/// `110000` → `110,000`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The largest amount the form accepts (a trillion yen less one).
const MAX_AMOUNT_DIGITS: usize = 12;

/// A count or amount written with digits and thousands separators, `units`
/// allowed after it (`円`, `人`, `か月`). `None` when empty.
fn parse_number(
    raw: &str,
    units: &[&str],
    what: &str,
    example: &str,
) -> Result<Option<u64>, String> {
    let s = nfkc(raw);
    let mut s = s.as_str();
    if s.is_empty() {
        return Ok(None);
    }
    if units.contains(&"円") {
        s = s.strip_prefix('¥').unwrap_or(s).trim_start();
    }
    for u in units {
        if let Some(rest) = s.strip_suffix(u) {
            s = rest.trim_end();
            break;
        }
    }
    let digits_only = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == ',');
    if let Some(rest) = s.strip_prefix(['-', '−', '▲', '△']) {
        if digits_only(rest.trim_start()) {
            return Err(format!("{what}は0以上で入力してください"));
        }
    }
    if !digits_only(s) || s.starts_with(',') || s.ends_with(',') {
        return Err(format!(
            "{what}は数字で入力してください（例：{example}）。「万」「千」などの単位は使えません"
        ));
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0');
    if digits.len() > MAX_AMOUNT_DIGITS {
        return Err(format!("{what}が大きすぎます。桁を確かめてください"));
    }
    Ok(Some(digits.parse().unwrap_or(0)))
}

/// An amount in whole yen: `110,000`, `110000`, `１１００００`, `110000円`,
/// `¥110,000`. Refused: units such as `11万`, negative amounts, decimals.
pub(crate) fn parse_amount(raw: &str) -> Result<Option<u64>, String> {
    parse_number(raw, &["円"], "金額", "110,000")
}

/// A count (people, times, months), with its unit allowed after it.
pub(crate) fn parse_count(raw: &str, units: &[&str], what: &str) -> Result<Option<u64>, String> {
    parse_number(raw, units, what, "12")
}

/// A civil date written `2025-04-01`, `2025/4/1`, `2025.4.1` or
/// `2025年4月1日` (a date field without a browser date picker). `None` when empty.
pub(crate) fn parse_date(raw: &str) -> Result<Option<Date>, String> {
    let s = nfkc(raw);
    if s.is_empty() {
        return Ok(None);
    }
    let unified: String = s
        .trim_end_matches('日')
        .chars()
        .map(|c| {
            if matches!(c, '/' | '.' | '年' | '月') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let parts: Vec<&str> = unified.split('-').map(str::trim).collect();
    let well_formed = parts.len() == 3
        && parts[0].len() == 4
        && parts[1..].iter().all(|p| (1..=2).contains(&p.len()))
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
    if !well_formed {
        return Err("日付は 2025-04-01 の形で入力してください".into());
    }
    let iso = format!("{}-{:0>2}-{:0>2}", parts[0], parts[1], parts[2]);
    parse_iso_date(&iso).map(Some).map_err(|e| match e {
        DateError::NoSuchDay => format!("{s} という日付はありません。日付を確かめてください"),
        _ => "1900年から2099年までの日付を入力してください".into(),
    })
}

/// The next free id `PREFIX001`, `PREFIX002`, …: one more than the largest
/// number among the `used` ids of that form (ids of another form, such as
/// `E001` typed by hand in earlier versions, are kept and skipped).
pub(crate) fn next_id(prefix: &str, used: &HashSet<String>) -> String {
    let largest = used
        .iter()
        .filter_map(|id| id.strip_prefix(prefix))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        .filter_map(|n| n.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let mut n = largest.saturating_add(1);
    loop {
        let id = format!("{prefix}{n:03}");
        if !used.contains(&id) {
            return id;
        }
        n = n.saturating_add(1);
    }
}

/// Whether `id` looks like one the system gave (never shown on a page).
pub(crate) fn is_system_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .is_some_and(|n| n.len() >= 3 && n.chars().all(|c| c.is_ascii_digit()))
}

/// The prefix of target workers' ids.
pub(crate) const WORKER_PREFIX: &str = "W";
/// The prefix of expense items' ids.
pub(crate) const EXPENSE_PREFIX: &str = "X";

/// The longest expense description (characters).
pub(crate) const MAX_DESCRIPTION: usize = 200;

/// One target worker as the form shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct WorkerRow {
    /// The form's row key (`w{key}_name`).
    pub key: String,
    /// The stored id; empty for a row not saved yet. Never shown.
    pub id: String,
    pub name: String,
    pub number: String,
    /// `direct` or `dispatched`.
    pub employment: String,
}

/// One expense item as the form shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ExpenseRow {
    pub key: String,
    /// The stored id; empty for a row not saved yet. Never shown.
    pub id: String,
    pub category: String,
    pub description: String,
    /// As typed (normalised), or the stored amount with separators.
    pub amount: String,
    /// `paid` (支払済) or `planned` (予定).
    pub status: String,
    pub delivered_on: String,
    pub paid_on: String,
    pub months: String,
    pub travel_for: String,
    pub other_subsidy: bool,
}

/// A problem with one field of the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// The field's element id (`w0_name`), or a section's (`workers`).
    pub field: String,
    /// What the field is called on the page (`対象労働者 1人目の氏名`).
    pub label: String,
    pub message: String,
}

/// The rows of a stored document, as the form shows them.
pub(crate) fn rows_of(doc: &Value) -> (Vec<WorkerRow>, Vec<ExpenseRow>) {
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let workers = doc["plan"]["target_workers"]
        .as_array()
        .map(|a| {
            a.iter()
                .enumerate()
                .map(|(i, w)| {
                    let id = text(&w["id"]);
                    // A worker saved before names were kept: its id was typed
                    // by the employer (their own employee number), so it is
                    // shown as the employee number until a name is given.
                    let number = match w["employee_number"].as_str() {
                        Some(n) => n.to_string(),
                        None if w["name"].is_null() && !is_system_id(&id, WORKER_PREFIX) => {
                            id.clone()
                        }
                        None => String::new(),
                    };
                    WorkerRow {
                        key: i.to_string(),
                        id,
                        name: text(&w["name"]),
                        number,
                        employment: text(&w["employment"]),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let expenses = doc["expenses"]
        .as_array()
        .map(|a| {
            a.iter()
                .enumerate()
                .map(|(i, x)| expense_row(x, &i.to_string()))
                .collect()
        })
        .unwrap_or_default();
    (workers, expenses)
}

/// A stored expense item as a row with key `key`.
pub(crate) fn expense_row(x: &Value, key: &str) -> ExpenseRow {
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    ExpenseRow {
        key: key.to_string(),
        id: text(&x["id"]),
        category: text(&x["category"]),
        description: text(&x["description"]),
        amount: x["amount_yen"]
            .as_u64()
            .map(thousands)
            .unwrap_or_else(|| text(&x["amount_yen"])),
        status: if x["paid_on"].is_null() {
            "planned"
        } else {
            "paid"
        }
        .into(),
        delivered_on: text(&x["delivered_on"]),
        paid_on: text(&x["paid_on"]),
        months: x["months"]
            .as_u64()
            .map(|m| m.to_string())
            .unwrap_or_default(),
        travel_for: text(&x["for"]),
        other_subsidy: x["funded_by_other_subsidy"] == true,
    }
}

/// The travel purposes an item of 旅費 may serve (`for`).
pub(crate) const TRAVEL_FOR: &[&str] = &["manager_training", "worker_training", "consulting"];

/// The industries (`employer.industry`) and telework statuses the form offers.
pub(crate) const INDUSTRIES: &[(&str, &str)] = &[
    ("retail", "小売業（飲食店を含む）"),
    ("service", "サービス業"),
    ("wholesale", "卸売業"),
    ("other", "その他の業種"),
];
pub(crate) const TELEWORK_STATUSES: &[(&str, &str)] = &[
    ("none", "これから導入する"),
    ("trial_ongoing", "試行中"),
    ("trial_ended", "試行したことがある"),
    ("expanding", "すでに実施していて、対象者や回数を拡大する"),
    ("established", "制度として定着している"),
];

/// The form read: the document to save, the rows as typed, and the problems.
#[derive(Debug)]
pub(crate) struct Read {
    pub doc: Value,
    pub workers: Vec<WorkerRow>,
    pub expenses: Vec<ExpenseRow>,
    pub errors: Vec<FieldError>,
    /// The row key of each target worker of `doc`, in order.
    pub worker_keys: Vec<String>,
    /// The row key of each expense of `doc`, in order.
    pub expense_keys: Vec<String>,
}

impl Read {
    fn error(&mut self, field: String, label: String, message: impl Into<String>) {
        self.errors.push(FieldError {
            field,
            label,
            message: message.into(),
        });
    }
}

/// The row keys the form sent for rows named `prefix{key}_…`, in order.
fn row_keys(f: &HashMap<String, String>, prefix: char) -> Vec<String> {
    let keys: BTreeSet<u32> = f
        .keys()
        .filter_map(|k| k.strip_prefix(prefix))
        .filter_map(|k| k.split_once('_'))
        .filter(|(n, _)| !n.is_empty() && n.len() <= 6 && n.chars().all(|c| c.is_ascii_digit()))
        .filter_map(|(n, _)| n.parse().ok())
        .collect();
    keys.into_iter().map(|k| k.to_string()).collect()
}

/// Every id a document refers to in `pointer` lists (`field` of each item).
fn ids_in(doc: &Value, lists: &[(&str, &str)]) -> HashSet<String> {
    lists
        .iter()
        .flat_map(|(pointer, field)| {
            doc.pointer(pointer)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|x| x[*field].as_str().map(str::to_string))
        })
        .collect()
}

/// Reads the plan form `f` over the `stored` document. The employer and the
/// target workers are read only while the plan may change
/// (`plan_editable`); `attachment_refs` are the expense ids files belong to
/// (never given to a new item).
pub(crate) fn read(
    f: &HashMap<String, String>,
    stored: &Value,
    plan_editable: bool,
    attachment_refs: &HashSet<String>,
) -> Read {
    let get = |k: &str| nfkc(f.get(k).map_or("", String::as_str));
    let mut r = Read {
        doc: stored.clone(),
        workers: Vec::new(),
        expenses: Vec::new(),
        errors: Vec::new(),
        worker_keys: Vec::new(),
        expense_keys: Vec::new(),
    };
    let (stored_workers, _) = rows_of(stored);
    r.workers = stored_workers;
    if plan_editable && f.contains_key("employer_industry") {
        read_employer(f, &mut r);
        read_workers(f, stored, &mut r);
    }
    // The applicant's particulars (printed on the documents, unknown to the
    // engine) may change while the records may.
    if f.contains_key("employer_address") {
        read_applicant(f, stored, &mut r);
    }
    // Dates.
    let date = |r: &mut Read, k: &str, label: &str| -> Value {
        match parse_date(f.get(k).map_or("", String::as_str)) {
            Ok(d) => d.map_or(Value::Null, |d| json!(d.to_string())),
            Err(m) => {
                r.error(k.into(), label.into(), m);
                json!(get(k))
            }
        }
    };
    r.doc["work_rules_established_on"] = date(
        &mut r,
        "work_rules_established_on",
        "就業規則等にテレワークの規定を整備した日",
    );
    r.doc["evaluation_start"] = date(&mut r, "evaluation_start", "評価期間の初日");
    r.doc["productivity"] = if get("productivity_met") == "true" {
        json!({"met": true})
    } else {
        Value::Null
    };
    if f.contains_key("climate_top_message_on") {
        let top = date(
            &mut r,
            "climate_top_message_on",
            "企業トップからのメッセージ発信の日",
        );
        let sharing = date(
            &mut r,
            "climate_case_sharing_on",
            "テレワーク事例の周知の日",
        );
        r.doc["workplace_climate"] = if top.is_null() && sharing.is_null() {
            Value::Null
        } else {
            json!({"top_message_on": top, "case_sharing_on": sharing})
        };
        r.doc["telework_before_count"] =
            match parse_count(&get("telework_before_count"), &["回"], "実施回数") {
                Ok(n) => n.map_or(Value::Null, Value::from),
                Err(m) => {
                    r.error(
                        "telework_before_count".into(),
                        "拡大前3か月の延べテレワーク実施回数".into(),
                        m,
                    );
                    json!(get("telework_before_count"))
                }
            };
        r.doc["wage_increase"] = match get("wage_met").as_str() {
            "true" => json!({"met": true}),
            "false" => json!({"met": false}),
            _ => stored
                .get("wage_increase")
                .filter(|w| w.get("met").is_none())
                .cloned()
                .unwrap_or(Value::Null),
        };
        let mut measures = Vec::new();
        for i in 0..limits::MAX_MEASURES {
            let (kind_key, on_key) = (format!("m{i}_kind"), format!("m{i}_on"));
            if !f.contains_key(&kind_key) {
                break;
            }
            let (kind, on_raw) = (get(&kind_key), get(&on_key));
            if kind.is_empty() && on_raw.is_empty() {
                continue;
            }
            let n = i + 1;
            if MeasureKind::parse(&kind).is_none() {
                r.error(
                    kind_key,
                    format!("{n}件目の取組"),
                    "取組の種類を選んでください",
                );
            }
            let on = date(&mut r, &on_key, &format!("{n}件目の取組の実施日"));
            if on.is_null() {
                r.error(
                    on_key,
                    format!("{n}件目の取組の実施日"),
                    "実施日を入力してください",
                );
            }
            measures.push(json!({"kind": kind, "on": on}));
        }
        r.doc["measures"] = json!(measures);
    }
    read_expenses(f, stored, attachment_refs, &mut r);
    r
}

use josei_store::limits;

fn read_employer(f: &HashMap<String, String>, r: &mut Read) {
    let get = |k: &str| nfkc(f.get(k).map_or("", String::as_str));
    let flag = |k: &str| get(k) == "true";
    let name = get("employer_name");
    if name.chars().count() > 200 || name.chars().any(forbidden) {
        r.error(
            "employer_name".into(),
            "事業主の名称".into(),
            "事業主の名称は200文字以内で、改行や制御文字を含めずに入力してください",
        );
    }
    let industry = get("employer_industry");
    if !INDUSTRIES.iter().any(|(v, _)| *v == industry) {
        r.error(
            "employer_industry".into(),
            "業種".into(),
            "業種を選んでください",
        );
    }
    let status = get("employer_telework_status");
    if !TELEWORK_STATUSES.iter().any(|(v, _)| *v == status) {
        r.error(
            "employer_telework_status".into(),
            "テレワークの状況".into(),
            "テレワークの状況を選んでください",
        );
    }
    let capital = match parse_amount(&get("employer_capital_yen")) {
        Ok(n) => n.map_or(Value::Null, Value::from),
        Err(m) => {
            r.error(
                "employer_capital_yen".into(),
                "資本金・出資の総額".into(),
                m.replace("金額", "資本金"),
            );
            json!(get("employer_capital_yen"))
        }
    };
    let employees = match parse_count(&get("employer_regular_employees"), &["人"], "労働者の数")
    {
        Ok(n) => n.map_or(Value::Null, Value::from),
        Err(m) => {
            r.error(
                "employer_regular_employees".into(),
                "常時雇用する労働者の数".into(),
                m,
            );
            json!(get("employer_regular_employees"))
        }
    };
    // The applicant's particulars stay as stored unless the form sends them.
    let kept: Vec<(&str, Value)> = josei_app::printout::APPLICANT_FIELDS
        .iter()
        .filter_map(|(k, _, _)| Some((*k, r.doc["employer"].get(*k)?.clone())))
        .collect();
    r.doc["employer"] = json!({
        "name": name, "industry": industry,
        "capital_yen": capital, "regular_employees": employees,
        "employment_insurance": flag("employer_employment_insurance"),
        "telework_status": status,
        "work_rules_have_telework": flag("employer_work_rules_have_telework"),
        "received_telework_subsidy": flag("employer_received_telework_subsidy"),
        "received_other_telework_subsidy": flag("employer_received_other_telework_subsidy"),
    });
    for (k, v) in kept {
        r.doc["employer"][k] = v;
    }
    let chosen: Vec<&str> = Disqualification::ALL
        .iter()
        .filter(|d| flag(&format!("disq_{}", d.as_str())))
        .map(|d| d.as_str())
        .collect();
    if flag("disqualifications_declared") || !chosen.is_empty() {
        r.doc["employer"]["disqualifications"] = json!(chosen);
    }
}

/// The applicant's particulars: 所在地, 代表者の役職・氏名 and
/// 雇用保険適用事業所番号 (`employer_{key}` of
/// [`josei_app::printout::APPLICANT_FIELDS`]), read after NFKC; a blank field
/// removes the value; the number's dashes as people type them become `-`.
/// Each checked by [`josei_app::printout::check_applicant`], a problem shown
/// by its field with what was typed kept.
fn read_applicant(f: &HashMap<String, String>, stored: &Value, r: &mut Read) {
    if !r.doc["employer"].is_object() {
        r.doc["employer"] = stored
            .get("employer")
            .filter(|e| e.is_object())
            .cloned()
            .unwrap_or_else(|| json!({}));
    }
    for (key, label, _) in josei_app::printout::APPLICANT_FIELDS {
        let field = format!("employer_{key}");
        let mut v = nfkc(f.get(&field).map_or("", String::as_str));
        if key == "employment_insurance_number" {
            v = v
                .chars()
                .map(|c| match c {
                    '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | 'ー' | 'ｰ' => '-',
                    c => c,
                })
                .filter(|c| !c.is_whitespace())
                .collect();
        }
        if v.is_empty() {
            if let Some(e) = r.doc["employer"].as_object_mut() {
                e.remove(key);
            }
            continue;
        }
        let probe = json!({"employer": {key: v}});
        if let Err(e) = josei_app::printout::check_applicant(&probe) {
            r.error(field, label.to_string(), e.message);
        }
        r.doc["employer"][key] = json!(v);
    }
}

fn read_workers(f: &HashMap<String, String>, stored: &Value, r: &mut Read) {
    let get = |k: &str| nfkc(f.get(k).map_or("", String::as_str));
    // Every worker id the case refers to: a new worker never takes the id
    // of one removed, whose telework days or roster entry may remain.
    let mut used = ids_in(
        stored,
        &[
            ("/plan/target_workers", "id"),
            ("/telework", "worker"),
            ("/roster", "id"),
        ],
    );
    let stored_ids = ids_in(stored, &[("/plan/target_workers", "id")]);
    let mut kept_ids = HashSet::new();
    let mut rows = Vec::new();
    for key in row_keys(f, 'w') {
        let k = |field: &str| format!("w{key}_{field}");
        if get(&k("remove")) == "true" {
            continue;
        }
        let sent_id = f.get(&k("id")).map_or("", |s| s.trim()).to_string();
        let row = WorkerRow {
            key: key.clone(),
            id: if stored_ids.contains(&sent_id) && kept_ids.insert(sent_id.clone()) {
                sent_id
            } else {
                String::new()
            },
            name: get(&k("name")),
            number: get(&k("number")),
            employment: get(&k("employment")),
        };
        if row.id.is_empty() && row.name.is_empty() && row.number.is_empty() {
            continue;
        }
        rows.push(row);
    }
    let mut targets = Vec::with_capacity(rows.len());
    let mut numbers: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter_mut().enumerate() {
        let n = i + 1;
        let field = |f: &str| format!("w{}_{f}", row.key);
        let label = |what: &str| format!("対象労働者 {n}人目の{what}");
        if row.name.is_empty() {
            r.errors.push(FieldError {
                field: field("name"),
                label: label("氏名"),
                message: "氏名を入力してください".into(),
            });
        } else if row.name.chars().count() > josei_app::workers::MAX_NAME_CHARS {
            r.errors.push(FieldError {
                field: field("name"),
                label: label("氏名"),
                message: format!(
                    "氏名は{}文字以内で入力してください",
                    josei_app::workers::MAX_NAME_CHARS
                ),
            });
        } else if row.name.chars().any(forbidden) {
            r.errors.push(FieldError {
                field: field("name"),
                label: label("氏名"),
                message: "氏名に使えない文字（改行・制御文字など）が含まれています".into(),
            });
        }
        if row.number.chars().count() > josei_app::workers::MAX_NUMBER_CHARS
            || row.number.chars().any(forbidden)
        {
            r.errors.push(FieldError {
                field: field("number"),
                label: label("社員番号"),
                message: format!(
                    "社員番号は{}文字以内で、改行や制御文字を含めずに入力してください",
                    josei_app::workers::MAX_NUMBER_CHARS
                ),
            });
        } else if !row.number.is_empty() {
            if let Some(first) = numbers.insert(row.number.clone(), n) {
                numbers.insert(row.number.clone(), first);
                r.errors.push(FieldError {
                    field: field("number"),
                    label: label("社員番号"),
                    message: format!("社員番号 {} は{first}人目と同じです", row.number),
                });
            }
        }
        if Employment::parse(&row.employment).is_none() {
            r.errors.push(FieldError {
                field: field("employment"),
                label: label("雇用形態"),
                message: "直接雇用か派遣労働者かを選んでください".into(),
            });
        }
        if row.id.is_empty() {
            row.id = next_id(WORKER_PREFIX, &used);
        }
        used.insert(row.id.clone());
        let mut w = json!({"id": row.id, "employment": row.employment});
        if !row.name.is_empty() {
            w["name"] = json!(row.name);
        }
        if !row.number.is_empty() {
            w["employee_number"] = json!(row.number);
        }
        targets.push(w);
        r.worker_keys.push(row.key.clone());
    }
    r.doc["plan"]["target_workers"] = json!(targets);
    r.workers = rows;
}

fn read_expenses(
    f: &HashMap<String, String>,
    stored: &Value,
    attachment_refs: &HashSet<String>,
    r: &mut Read,
) {
    let get = |k: &str| nfkc(f.get(k).map_or("", String::as_str));
    let stored_ids = ids_in(stored, &[("/expenses", "id")]);
    let mut used: HashSet<String> = stored_ids.union(attachment_refs).cloned().collect();
    let mut kept_ids = HashSet::new();
    let mut items = Vec::new();
    let mut position = 0;
    for key in row_keys(f, 'x') {
        let k = |field: &str| format!("x{key}_{field}");
        if get(&k("remove")) == "true" {
            continue;
        }
        let sent_id = f.get(&k("id")).map_or("", |s| s.trim()).to_string();
        let mut row = ExpenseRow {
            key: key.clone(),
            id: if stored_ids.contains(&sent_id) && kept_ids.insert(sent_id.clone()) {
                sent_id
            } else {
                String::new()
            },
            category: get(&k("category")),
            description: get(&k("description")),
            amount: get(&k("amount")),
            status: get(&k("status")),
            delivered_on: get(&k("delivered_on")),
            paid_on: get(&k("paid_on")),
            months: get(&k("months")),
            travel_for: get(&k("for")),
            other_subsidy: get(&k("other_subsidy")) == "true",
        };
        let blank = row.id.is_empty()
            && [
                &row.category,
                &row.description,
                &row.amount,
                &row.delivered_on,
                &row.paid_on,
                &row.months,
            ]
            .iter()
            .all(|v| v.is_empty());
        if blank {
            continue;
        }
        position += 1;
        let n = position;
        let err = |r: &mut Read, f: &str, what: &str, m: String| {
            r.error(format!("x{key}_{f}"), format!("経費 {n}行目の{what}"), m);
        };
        let category = ExpenseCategory::parse(&row.category);
        if category.is_none() {
            err(r, "category", "区分", "経費の区分を選んでください".into());
        }
        let amount = match parse_amount(&row.amount) {
            Ok(Some(a)) => {
                row.amount = thousands(a);
                json!(a)
            }
            Ok(None) => {
                err(r, "amount", "金額", "金額を入力してください".into());
                Value::Null
            }
            Err(m) => {
                err(r, "amount", "金額", m);
                json!(row.amount)
            }
        };
        let day = |r: &mut Read, v: &mut String, f: &str, what: &str| -> Value {
            match parse_date(v) {
                Ok(d) => {
                    if let Some(d) = d {
                        *v = d.to_string();
                    }
                    d.map_or(Value::Null, |d| json!(d.to_string()))
                }
                Err(m) => {
                    err(r, f, what, m);
                    json!(v)
                }
            }
        };
        let delivered_on = day(r, &mut row.delivered_on, "delivered_on", "納品日");
        let paid_on = day(r, &mut row.paid_on, "paid_on", "支払日");
        match row.status.as_str() {
            "paid" if row.paid_on.is_empty() => err(
                r,
                "paid_on",
                "支払日",
                "支払日を入力してください（まだ支払っていない経費は「予定」を選んでください）".into(),
            ),
            "planned" if !row.paid_on.is_empty() => err(
                r,
                "status",
                "支払の状況",
                "予定の経費に支払日が入っています。支払ったときは「支払済」を選んでください（予定のままなら支払日を消してください）".into(),
            ),
            "paid" | "planned" => {}
            _ => err(
                r,
                "status",
                "支払の状況",
                "「支払済」か「予定」かを選んでください".into(),
            ),
        }
        let months = match parse_count(&row.months, &["か月", "ヶ月", "カ月", "ケ月", "月"], "月数")
        {
            Ok(Some(0)) => {
                err(
                    r,
                    "months",
                    "リース・レンタルの月数",
                    "月数は1以上で入力してください".into(),
                );
                json!(0)
            }
            Ok(m) => m.map_or(Value::Null, Value::from),
            Err(m) => {
                err(r, "months", "リース・レンタルの月数", m);
                json!(row.months)
            }
        };
        let travel = category == Some(ExpenseCategory::Travel);
        if travel && !row.travel_for.is_empty() && !TRAVEL_FOR.contains(&row.travel_for.as_str()) {
            err(
                r,
                "for",
                "旅費の対象",
                "旅費の対象を選び直してください".into(),
            );
        }
        if row.description.chars().count() > MAX_DESCRIPTION
            || row.description.chars().any(forbidden)
        {
            err(
                r,
                "description",
                "内容",
                format!(
                    "内容は{MAX_DESCRIPTION}文字以内で、改行や制御文字を含めずに入力してください"
                ),
            );
        }
        if row.id.is_empty() {
            row.id = next_id(EXPENSE_PREFIX, &used);
        }
        used.insert(row.id.clone());
        items.push(json!({
            "id": row.id,
            "category": row.category,
            "amount_yen": amount,
            "delivered_on": delivered_on,
            "paid_on": if row.status == "planned" && row.paid_on.is_empty() { Value::Null } else { paid_on },
            "for": if travel && !row.travel_for.is_empty() { json!(row.travel_for) } else { Value::Null },
            "description": if row.description.is_empty() { Value::Null } else { json!(row.description) },
            "funded_by_other_subsidy": row.other_subsidy,
            "months": months,
        }));
        r.expense_keys.push(key.clone());
        r.expenses.push(row);
    }
    r.doc["expenses"] = json!(items);
}

/// The form field an engine error's path points at, given which row each
/// worker and expense of the document came from.
pub(crate) fn field_of(path: &str, worker_keys: &[String], expense_keys: &[String]) -> String {
    fn indexed(rest: &str) -> Option<(usize, Option<&str>)> {
        let (i, tail) = rest.split_once(']')?;
        Some((i.parse().ok()?, tail.strip_prefix('.')))
    }
    if let Some(rest) = path.strip_prefix("plan.target_workers[") {
        if let Some((i, field)) = indexed(rest) {
            if let Some(key) = worker_keys.get(i) {
                let f = match field {
                    Some("employment") => "employment",
                    Some("employee_number") => "number",
                    _ => "name",
                };
                return format!("w{key}_{f}");
            }
        }
        return "workers".into();
    }
    if path.starts_with("plan.target_workers") {
        return "workers".into();
    }
    if let Some(rest) = path.strip_prefix("expenses[") {
        if let Some((i, field)) = indexed(rest) {
            if let Some(key) = expense_keys.get(i) {
                let f = match field {
                    Some("amount_yen") => "amount",
                    Some(f @ ("delivered_on" | "paid_on" | "months" | "description" | "for")) => f,
                    Some("funded_by_other_subsidy") => "other_subsidy",
                    _ => "category",
                };
                return format!("x{key}_{f}");
            }
        }
        return "expenses".into();
    }
    if let Some(rest) = path.strip_prefix("workplace_climate.") {
        return format!("climate_{rest}");
    }
    if let Some(rest) = path.strip_prefix("measures[") {
        if let Some((i, field)) = indexed(rest) {
            return format!("m{i}_{}", field.unwrap_or("kind"));
        }
    }
    if let Some(rest) = path.strip_prefix("employer.") {
        let rest = rest.split(['.', '[']).next().unwrap_or(rest);
        return format!("employer_{rest}");
    }
    path.replace('.', "_")
}

/// What a field is called on the page, for the error summary.
pub(crate) fn label_of(field: &str, workers: &[WorkerRow], expenses: &[ExpenseRow]) -> String {
    let row = |prefix: char| -> Option<(usize, &str)> {
        let (key, f) = field.strip_prefix(prefix)?.split_once('_')?;
        let n = match prefix {
            'w' => workers.iter().position(|w| w.key == key)?,
            _ => expenses.iter().position(|x| x.key == key)?,
        };
        Some((n + 1, f))
    };
    if let Some((n, f)) = row('w') {
        let what = match f {
            "number" => "社員番号",
            "employment" => "雇用形態",
            _ => "氏名",
        };
        return format!("対象労働者 {n}人目の{what}");
    }
    if let Some((n, f)) = row('x') {
        let what = match f {
            "amount" => "金額",
            "delivered_on" => "納品日",
            "paid_on" => "支払日",
            "status" => "支払の状況",
            "months" => "リース・レンタルの月数",
            "description" => "内容",
            "for" => "旅費の対象",
            "file" => "領収書・請求書",
            "other_subsidy" => "他の助成金",
            _ => "区分",
        };
        return format!("経費 {n}行目の{what}");
    }
    if let Some((i, f)) = field
        .strip_prefix('m')
        .and_then(|r| r.split_once('_'))
        .and_then(|(i, f)| Some((i.parse::<usize>().ok()?, f)))
    {
        return if f == "on" {
            format!("{}件目の取組の実施日", i + 1)
        } else {
            format!("{}件目の取組", i + 1)
        };
    }
    match field {
        "workers" => "対象労働者",
        "expenses" => "経費",
        "employer_name" => "事業主の名称",
        "employer_industry" => "業種",
        "employer_capital_yen" => "資本金・出資の総額",
        "employer_regular_employees" => "常時雇用する労働者の数",
        "employer_telework_status" => "テレワークの状況",
        "employer_disqualifications" => "不支給要件",
        "employer_address" => "所在地",
        "employer_representative" => "代表者の役職・氏名",
        "employer_employment_insurance_number" => "雇用保険適用事業所番号",
        "work_rules_established_on" => "就業規則等にテレワークの規定を整備した日",
        "evaluation_start" => "評価期間の初日",
        "climate_top_message_on" => "企業トップからのメッセージ発信の日",
        "climate_case_sharing_on" => "テレワーク事例の周知の日",
        "telework_before_count" => "拡大前3か月の延べテレワーク実施回数",
        "amendment_reason" => "修正の理由",
        _ => "入力",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// The fields a page always sends (employer, climate), around `rows`.
    fn page(rows: &[(&str, &str)]) -> HashMap<String, String> {
        let mut f = form(&[
            ("employer_name", "株式会社みなと商店"),
            ("employer_industry", "retail"),
            ("employer_capital_yen", "10,000,000"),
            ("employer_regular_employees", "12"),
            ("employer_telework_status", "none"),
            ("climate_top_message_on", ""),
            ("climate_case_sharing_on", ""),
        ]);
        f.extend(form(rows));
        f
    }

    #[test]
    fn the_applicants_particulars_are_read_after_nfkc_and_checked_by_field() {
        let none = HashSet::new();
        let f = page(&[
            ("employer_address", "　東京都港区芝公園１－１－１ "),
            ("employer_representative", "代表取締役　港 花子"),
            (
                "employer_employment_insurance_number",
                "１３０１ー１２３４５６ー７",
            ),
        ]);
        let r = read(&f, &stored(), true, &none);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let e = &r.doc["employer"];
        assert_eq!(e["address"], "東京都港区芝公園1-1-1");
        assert_eq!(e["representative"], "代表取締役 港 花子");
        assert_eq!(e["employment_insurance_number"], "1301-123456-7");
        // After submission the plan's employer stays; the particulars still change.
        let mut after = stored();
        after["employer"]["address"] = json!("旧住所");
        let f = form(&[
            ("employer_address", ""),
            ("employer_representative", "代表取締役 港 花子"),
            ("employer_employment_insurance_number", "1301-12345-7"),
        ]);
        let r = read(&f, &after, false, &none);
        assert_eq!(r.doc["employer"]["name"], "株式会社みなと商店");
        assert!(r.doc["employer"].get("address").is_none(), "blank: removed");
        let fields: Vec<&str> = r.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["employer_employment_insurance_number"]);
        assert_eq!(r.errors[0].label, "雇用保険適用事業所番号");
        assert!(
            r.errors[0].message.contains("11桁"),
            "{}",
            r.errors[0].message
        );
        assert_eq!(
            r.doc["employer"]["employment_insurance_number"], "1301-12345-7",
            "what was typed is kept"
        );
        assert_eq!(label_of("employer_address", &[], &[]), "所在地");
    }

    fn stored() -> Value {
        json!({
            "employer": {"name": "株式会社みなと商店", "industry": "retail"},
            "plan": {"submitted_on": null, "certified_on": null, "target_workers": [
                {"id": "E001", "employment": "direct"},
                {"id": "W002", "employment": "dispatched", "name": "佐藤 花子", "employee_number": "1002"},
            ]},
            "telework": [{"worker": "W007", "date": "2025-07-01", "place": "home"}],
            "expenses": [{"id": "X001", "category": "work_rules", "amount_yen": 110000,
                "delivered_on": null, "paid_on": "2025-06-30", "for": null, "description": null,
                "funded_by_other_subsidy": false, "months": null}],
        })
    }

    #[test]
    fn nfkc_makes_digits_letters_and_spaces_plain() {
        assert_eq!(nfkc("１２"), "12");
        assert_eq!(nfkc("ＡＢＣ"), "ABC");
        assert_eq!(nfkc("　山田　太郎　"), "山田 太郎");
        assert_eq!(nfkc("ｶﾞｲﾄﾞ"), "ガイド");
        assert_eq!(nfkc("ＰＣ（ノート型）"), "PC(ノート型)");
        assert_eq!(nfkc(""), "");
    }

    #[test]
    fn amounts_are_read_as_people_write_them() {
        for ok in [
            "110,000",
            "110000",
            "１１００００",
            "１１０，０００",
            "110000円",
            "¥110,000",
            "￥110,000",
            " 110,000 円 ",
        ] {
            assert_eq!(parse_amount(ok), Ok(Some(110_000)), "{ok}");
        }
        assert_eq!(parse_amount(""), Ok(None));
        assert_eq!(parse_amount("　"), Ok(None));
        assert_eq!(parse_amount("0"), Ok(Some(0)));
        for bad in [
            "11万",
            "１１万円",
            "11.5",
            "abc",
            "1,,",
            ",100",
            "110 000",
            "+5",
        ] {
            let m = parse_amount(bad).unwrap_err();
            assert!(m.contains("数字で入力してください"), "{bad}: {m}");
        }
        for negative in ["-5", "－５", "−110,000", "▲1000"] {
            let m = parse_amount(negative).unwrap_err();
            assert_eq!(m, "金額は0以上で入力してください", "{negative}");
        }
        assert!(parse_amount("1234567890123")
            .unwrap_err()
            .contains("大きすぎ"));
        assert_eq!(parse_amount("999,999,999,999"), Ok(Some(999_999_999_999)));
        assert_eq!(thousands(110_000), "110,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(parse_count("３６か月", &["か月"], "月数"), Ok(Some(36)));
        assert_eq!(parse_count("12人", &["人"], "人数"), Ok(Some(12)));
    }

    #[test]
    fn dates_are_read_in_the_usual_forms() {
        let d = |s: &str| parse_date(s).map(|d| d.map(|d| d.to_string()));
        for ok in [
            "2025-04-01",
            "2025/4/1",
            "２０２５／０４／０１",
            "2025.4.1",
            "2025年4月1日",
        ] {
            assert_eq!(d(ok), Ok(Some("2025-04-01".into())), "{ok}");
        }
        assert_eq!(d(""), Ok(None));
        assert!(d("2023-02-29")
            .unwrap_err()
            .contains("という日付はありません"));
        assert!(d("R7.4.1").unwrap_err().contains("2025-04-01 の形"));
        assert!(d("1800-01-01").unwrap_err().contains("1900年"));
    }

    #[test]
    fn ids_are_the_next_free_and_never_reused_in_use() {
        let used = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<HashSet<_>>();
        assert_eq!(next_id("W", &used(&[])), "W001");
        assert_eq!(next_id("W", &used(&["W001", "W003"])), "W004");
        assert_eq!(next_id("W", &used(&["E001", "E002"])), "W001");
        assert_eq!(next_id("X", &used(&["X1", "X2"])), "X003");
        assert_eq!(next_id("X", &used(&["X999"])), "X1000");
        assert!(
            is_system_id("W001", "W") && !is_system_id("E001", "W") && !is_system_id("W1", "W")
        );
    }

    #[test]
    fn workers_map_to_the_document_keeping_their_ids() {
        let f = page(&[
            // The stored worker typed as E001 before names, now named.
            ("w0_id", "E001"),
            ("w0_name", "山田　太郎"),
            ("w0_number", "E001"),
            ("w0_employment", "direct"),
            ("w1_id", "W002"),
            ("w1_name", "佐藤 花子"),
            ("w1_number", "１００２"),
            ("w1_employment", "dispatched"),
            // A new row, and a blank one.
            ("w2_id", ""),
            ("w2_name", "鈴木 一郎"),
            ("w2_number", ""),
            ("w2_employment", "direct"),
            ("w3_id", ""),
            ("w3_name", ""),
            ("w3_number", ""),
            ("w3_employment", "direct"),
        ]);
        let r = read(&f, &stored(), true, &HashSet::new());
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(
            r.doc["plan"]["target_workers"],
            json!([
                {"id": "E001", "employment": "direct", "name": "山田 太郎", "employee_number": "E001"},
                {"id": "W002", "employment": "dispatched", "name": "佐藤 花子", "employee_number": "1002"},
                // W007 has telework records: the new worker does not take it.
                {"id": "W008", "employment": "direct", "name": "鈴木 一郎"},
            ])
        );
        assert_eq!(r.worker_keys, ["0", "1", "2"]);
        assert_eq!(r.doc["employer"]["capital_yen"], 10_000_000);
        // Removing a row drops the worker; the others keep their ids.
        let mut f2 = f.clone();
        f2.insert("w0_remove".into(), "true".into());
        let r = read(&f2, &stored(), true, &HashSet::new());
        let ids: Vec<&str> = r.doc["plan"]["target_workers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["W002", "W008"]);
        // A forged id is not taken over: the row is new.
        let mut f3 = f.clone();
        f3.insert("w2_id".into(), "W002".into());
        let r = read(&f3, &stored(), true, &HashSet::new());
        assert_eq!(r.doc["plan"]["target_workers"][2]["id"], "W008");
    }

    #[test]
    fn the_old_failures_are_refused_by_their_field() {
        let f = page(&[
            // `E002 直接` typed into the name box is a name, never an id.
            ("w0_name", "E002 直接"),
            ("w0_employment", "direct"),
            // 派遣 typed where the choice belongs: refused, not rewritten.
            ("w1_name", "田中 次郎"),
            ("w1_employment", "派遣 "),
            ("w2_name", "高橋 三郎"),
            ("w2_employment", "正社員"),
            // A number without a name.
            ("w3_name", ""),
            ("w3_number", "1004"),
            ("w3_employment", "direct"),
            // The same employee number twice.
            ("w4_name", "伊藤 四郎"),
            ("w4_number", "1004"),
            ("w4_employment", "dispatched"),
        ]);
        let r = read(&f, &stored(), true, &HashSet::new());
        let by: Vec<(&str, &str)> = r
            .errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            by,
            [
                ("w1_employment", "直接雇用か派遣労働者かを選んでください"),
                ("w2_employment", "直接雇用か派遣労働者かを選んでください"),
                ("w3_name", "氏名を入力してください"),
                ("w4_number", "社員番号 1004 は4人目と同じです"),
            ]
        );
        assert_eq!(r.errors[0].label, "対象労働者 2人目の雇用形態");
        assert_eq!(r.doc["plan"]["target_workers"][0]["name"], "E002 直接");
        // No message names an enum value.
        assert!(r.errors.iter().all(|e| !e.message.contains("direct")));
        // What was typed is kept for the page.
        assert_eq!(r.workers[1].employment, "派遣");
        assert_eq!(r.workers[3].number, "1004");
    }

    #[test]
    fn expenses_map_to_the_document_with_status_and_ids() {
        let f = page(&[
            ("x0_id", "X001"),
            ("x0_category", "work_rules"),
            ("x0_amount", "110,000"),
            ("x0_status", "paid"),
            ("x0_paid_on", "2025/6/30"),
            ("x0_description", "就業規則の改定（社労士報酬）"),
            ("x1_id", ""),
            ("x1_category", "web_conference_equipment"),
            ("x1_amount", "３３，０００円"),
            ("x1_status", "planned"),
            ("x1_delivered_on", ""),
            ("x1_paid_on", ""),
            ("x1_description", "ヘッドセット　３台"),
            ("x2_category", "pc_rental_lease"),
            ("x2_amount", "120000"),
            ("x2_status", "paid"),
            ("x2_paid_on", "2025-07-01"),
            ("x2_months", "３６か月"),
            ("x2_for", "consulting"),
            ("x3_category", ""),
            ("x3_amount", ""),
            ("x3_status", "paid"),
        ]);
        let refs: HashSet<String> = ["X009".to_string()].into();
        let r = read(&f, &stored(), true, &refs);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(
            r.doc["expenses"],
            json!([
                {"id": "X001", "category": "work_rules", "amount_yen": 110000, "delivered_on": null,
                 "paid_on": "2025-06-30", "for": null, "description": "就業規則の改定(社労士報酬)",
                 "funded_by_other_subsidy": false, "months": null},
                // X009 has a file: a new item never takes it.
                {"id": "X010", "category": "web_conference_equipment", "amount_yen": 33000,
                 "delivered_on": null, "paid_on": null, "for": null, "description": "ヘッドセット 3台",
                 "funded_by_other_subsidy": false, "months": null},
                // `for` belongs to travel only.
                {"id": "X011", "category": "pc_rental_lease", "amount_yen": 120000,
                 "delivered_on": null, "paid_on": "2025-07-01", "for": null, "description": null,
                 "funded_by_other_subsidy": false, "months": 36},
            ])
        );
        // Stored and unchanged: the same item as the store gives back.
        assert_eq!(
            r.doc["expenses"][0]["amount_yen"],
            stored()["expenses"][0]["amount_yen"]
        );
        assert_eq!(r.expenses[1].amount, "33,000");
        assert_eq!(r.expense_keys, ["0", "1", "2"]);
    }

    #[test]
    fn bad_expenses_are_refused_by_their_field_and_kept_as_typed() {
        let f = page(&[
            ("x0_category", "work_rules"),
            ("x0_amount", "11万"),
            ("x0_status", "paid"),
            ("x0_paid_on", "2025-06-30"),
            ("x1_category", "network_equipment"),
            ("x1_amount", "-5"),
            ("x1_status", "paid"),
            ("x1_paid_on", ""),
            ("x2_category", "oops"),
            ("x2_amount", "1000"),
            ("x2_status", "planned"),
            ("x2_paid_on", "2025-02-30"),
            ("x3_category", "pc_rental_lease"),
            ("x3_amount", "1000"),
            ("x3_status", "paid"),
            ("x3_paid_on", "2025-07-01"),
            ("x3_months", "0"),
        ]);
        let r = read(&f, &stored(), true, &HashSet::new());
        let by: Vec<(&str, &str)> = r
            .errors
            .iter()
            .map(|e| (e.field.as_str(), e.label.as_str()))
            .collect();
        assert_eq!(
            by,
            [
                ("x0_amount", "経費 1行目の金額"),
                ("x1_amount", "経費 2行目の金額"),
                ("x1_paid_on", "経費 2行目の支払日"),
                ("x2_category", "経費 3行目の区分"),
                ("x2_paid_on", "経費 3行目の支払日"),
                ("x2_status", "経費 3行目の支払の状況"),
                ("x3_months", "経費 4行目のリース・レンタルの月数"),
            ]
        );
        assert!(r.errors[0].message.contains("「万」"));
        assert_eq!(r.errors[1].message, "金額は0以上で入力してください");
        assert_eq!(r.expenses[0].amount, "11万");
        assert_eq!(r.expenses[2].paid_on, "2025-02-30");
    }

    #[test]
    fn engine_paths_point_at_the_rows_they_came_from() {
        let keys = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (w, x) = (keys(&["0", "3"]), keys(&["2", "5"]));
        assert_eq!(field_of("plan.target_workers[1].id", &w, &x), "w3_name");
        assert_eq!(
            field_of("plan.target_workers[0].employment", &w, &x),
            "w0_employment"
        );
        assert_eq!(field_of("plan.target_workers", &w, &x), "workers");
        assert_eq!(field_of("expenses[1].amount_yen", &w, &x), "x5_amount");
        assert_eq!(field_of("expenses[0].paid_on", &w, &x), "x2_paid_on");
        assert_eq!(field_of("expenses[0]", &w, &x), "x2_category");
        assert_eq!(field_of("expenses[9].paid_on", &w, &x), "expenses");
        assert_eq!(
            field_of("workplace_climate.top_message_on", &w, &x),
            "climate_top_message_on"
        );
        assert_eq!(field_of("measures[1].on", &w, &x), "m1_on");
        assert_eq!(
            field_of("employer.capital_yen", &w, &x),
            "employer_capital_yen"
        );
        assert_eq!(field_of("evaluation_start", &w, &x), "evaluation_start");
        let rows = rows_of(&stored());
        assert_eq!(
            label_of("w1_number", &rows.0, &rows.1),
            "対象労働者 2人目の社員番号"
        );
        assert_eq!(label_of("x0_amount", &rows.0, &rows.1), "経費 1行目の金額");
        assert_eq!(label_of("m0_on", &rows.0, &rows.1), "1件目の取組の実施日");
        assert_eq!(
            label_of("evaluation_start", &rows.0, &rows.1),
            "評価期間の初日"
        );
    }

    #[test]
    fn stored_rows_show_names_never_system_ids() {
        let (w, x) = rows_of(&stored());
        // Typed by the employer before names were kept: shown as the number.
        assert_eq!((w[0].name.as_str(), w[0].number.as_str()), ("", "E001"));
        assert_eq!(
            (w[1].name.as_str(), w[1].number.as_str()),
            ("佐藤 花子", "1002")
        );
        let system = json!({"plan": {"target_workers": [{"id": "W001", "employment": "direct"}]}});
        assert_eq!(rows_of(&system).0[0].number, "");
        assert_eq!(
            (x[0].amount.as_str(), x[0].status.as_str()),
            ("110,000", "paid")
        );
    }
}
