//! What a printed plan or application shows (`/cases/{id}/print`): the case
//! as the applicant sees it, the applicant's particulars, the 社労士 who
//! acts for the employer, the bureau it goes to, the decisions so far, and
//! the figures the documents tabulate (telework days per worker in a period).
//!
//! The case format's `employer` object holds what the engine needs (name,
//! industry, capital, employees, …). The applicant block of the official
//! forms also asks for 所在地, 代表者 and 雇用保険適用事業所番号: they are
//! optional fields of `employer` ([`APPLICANT_FIELDS`]), checked when a
//! document is saved ([`check_applicant`]) and left out of every copy the
//! engine evaluates ([`applicant_for_engine`]), as the engine does not know
//! them.

use crate::access::visible_case;
use crate::cases::{case_view, CaseView};
use crate::text::forbidden_char;
use crate::{App, Error, Result};
use jiff::civil::Date;
use josei_rules::civil::{parse_iso_date, Period};
use josei_rules::model::Place;
use josei_store::{Bureau, CaseId, Decision, Organization, Role, User};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// The applicant's particulars beside the engine's fields: key in
/// `employer`, label, longest value (characters).
pub const APPLICANT_FIELDS: [(&str, &str, usize); 3] = [
    ("address", "所在地", 200),
    ("representative", "代表者の役職・氏名", 100),
    ("employment_insurance_number", "雇用保険適用事業所番号", 20),
];

/// Checks the applicant's particulars in a document's `employer`: each
/// absent, null or one line of text within its length; the 雇用保険適用事業所番号
/// 11 digits written as on the notice (`1301-123456-7`; hyphens optional).
pub fn check_applicant(doc: &Value) -> Result<()> {
    let Some(employer) = doc.get("employer") else {
        return Ok(());
    };
    for (key, label, max) in APPLICANT_FIELDS {
        let path = format!("employer.{key}");
        match employer.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => {
                let n = s.chars().count();
                if n > max || s.trim() != s {
                    return Err(Error::invalid(
                        &path,
                        format!("{label}は前後に空白を付けず、{max}文字以内で入力してください"),
                    ));
                }
                if s.chars().any(|c| forbidden_char(c, false)) {
                    return Err(Error::invalid(
                        &path,
                        format!("{label}に使えない文字（改行・制御文字など）が含まれています"),
                    ));
                }
                if key == "employment_insurance_number" && !s.is_empty() {
                    let digits = s.chars().filter(char::is_ascii_digit).count();
                    if digits != 11 || s.chars().any(|c| !(c.is_ascii_digit() || c == '-')) {
                        return Err(Error::invalid(
                            &path,
                            "雇用保険適用事業所番号は 1301-123456-7 のように、11桁の数字（ハイフンは任意）で入力してください",
                        ));
                    }
                }
            }
            Some(_) => {
                return Err(Error::invalid(
                    &path,
                    format!("{label}は文字列で指定してください"),
                ))
            }
        }
    }
    Ok(())
}

/// `doc` as the engine reads it: the employer without the applicant's
/// particulars (so that evaluations carry no warning about them).
pub fn applicant_for_engine(doc: &mut Value) {
    if let Some(e) = doc.get_mut("employer").and_then(Value::as_object_mut) {
        for (key, _, _) in APPLICANT_FIELDS {
            e.remove(key);
        }
    }
}

/// Everything a printed plan or application shows.
#[derive(Debug)]
pub struct Printout {
    pub view: CaseView,
    pub organization: Option<Organization>,
    /// The 社労士 the employer currently delegates to.
    pub agents: Vec<User>,
    /// The bureau's decisions, oldest first.
    pub decisions: Vec<Decision>,
    /// The labour bureau of the employer's prefecture, as the directory holds it.
    pub bureau: Option<Bureau>,
    /// Its name ([`crate::bureaus::named`]: the directory's, else the
    /// prefecture's own, else 「事業所の所在地を管轄する都道府県労働局」).
    pub bureau_name: String,
}

/// The printout of case `id` for `user` (404 when out of the user's scope).
pub async fn printout(app: &App, user: &User, id: CaseId) -> Result<Printout> {
    let case = visible_case(app, user, id).await?;
    let view = case_view(app, &case, user).await?;
    let organization = app.db.org(case.organization_id).await?;
    let agents = app
        .db
        .applicant_users(case.organization_id)
        .await?
        .into_iter()
        .filter(|u| u.role == Role::Agent)
        .collect();
    let decisions = app.db.decisions(case.id).await?;
    let (bureau_name, bureau) = crate::bureaus::named(app, case.prefecture).await?;
    Ok(Printout {
        view,
        organization,
        agents,
        decisions,
        bureau,
        bureau_name,
    })
}

/// One target worker's telework in a period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkerDays {
    /// The worker as people know them (氏名; 社員番号 when given).
    pub name: String,
    pub employment: String,
    /// Days by place (one record per day).
    pub home: u32,
    pub satellite_office: u32,
    pub mobile: u32,
    /// Days at the places the regime counts.
    pub counted: u32,
}

/// How a printed document names a target worker: the 氏名 (and 社員番号)
/// typed for them; a worker saved without either (through the API or an
/// older version) by the identifier the employer gave, unless it is one the
/// plan editor made up (`W001`), which no one would recognise.
pub fn worker_name(worker: &Value) -> String {
    let text = |k: &str| {
        worker
            .get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    match (text("name"), text("employee_number")) {
        (Some(n), Some(no)) => format!("{n}（社員番号 {no}）"),
        (Some(n), None) => n.to_string(),
        (None, Some(no)) => format!("社員番号 {no}"),
        (None, None) => match text("id") {
            Some(id) if !is_editor_id(id) => id.to_string(),
            _ => "（氏名未入力）".to_string(),
        },
    }
}

/// Whether `id` is one the plan editor gives (`W` and digits).
pub(crate) fn is_editor_id(id: &str) -> bool {
    id.len() > 1 && id.starts_with('W') && id[1..].chars().all(|c| c.is_ascii_digit())
}

/// Each target worker's telework days in `period`, by place, and the days
/// at the places `counts` accepts; in the plan's order.
pub fn telework_by_worker(
    doc: &Value,
    period: Period,
    counts: impl Fn(Place) -> bool,
) -> Vec<WorkerDays> {
    let workers = doc
        .pointer("/plan/target_workers")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    // One place per worker and day (the last record wins, as stored).
    let mut days: HashMap<&str, BTreeMap<Date, Place>> = HashMap::new();
    for t in doc
        .get("telework")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(w), Some(d), Some(p)) = (
            t.get("worker").and_then(Value::as_str),
            t.get("date").and_then(Value::as_str),
            t.get("place")
                .and_then(Value::as_str)
                .and_then(Place::parse),
        ) else {
            continue;
        };
        let Ok(date) = parse_iso_date(d) else {
            continue;
        };
        if period.contains(date) {
            days.entry(w).or_default().insert(date, p);
        }
    }
    workers
        .iter()
        .map(|w| {
            let mut out = WorkerDays {
                name: worker_name(w),
                employment: match w.get("employment").and_then(Value::as_str) {
                    Some("dispatched") => "派遣".to_string(),
                    _ => "直接雇用".to_string(),
                },
                ..Default::default()
            };
            let id = w.get("id").and_then(Value::as_str).unwrap_or("");
            for place in days.get(id).into_iter().flat_map(|d| d.values()) {
                match place {
                    Place::Home => out.home += 1,
                    Place::SatelliteOffice => out.satellite_office += 1,
                    Place::Mobile => out.mobile += 1,
                    Place::Office => {}
                }
                if counts(*place) {
                    out.counted += 1;
                }
            }
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn applicant_particulars_are_checked_and_kept_from_the_engine() {
        let mut doc = json!({"employer": {
            "name": "株式会社みなと商店",
            "address": "東京都港区芝公園1-1-1",
            "representative": "代表取締役 港 花子",
            "employment_insurance_number": "1301-123456-7",
        }});
        assert!(check_applicant(&doc).is_ok());
        assert!(check_applicant(
            &json!({"employer": {"employment_insurance_number": "13011234567"}})
        )
        .is_ok());
        assert!(check_applicant(&json!({"employer": {"address": null}})).is_ok());
        for (bad, field) in [
            (json!({"address": " 港区"}), "employer.address"),
            (json!({"address": "あ".repeat(201)}), "employer.address"),
            (
                json!({"representative": "代表\n港"}),
                "employer.representative",
            ),
            (json!({"representative": 3}), "employer.representative"),
            (
                json!({"employment_insurance_number": "1301-12345-7"}),
                "employer.employment_insurance_number",
            ),
            (
                json!({"employment_insurance_number": "１３０１１２３４５６７"}),
                "employer.employment_insurance_number",
            ),
        ] {
            let e = check_applicant(&json!({ "employer": bad })).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{bad}");
            assert_eq!(e.kind, crate::Kind::Invalid);
        }
        applicant_for_engine(&mut doc);
        assert_eq!(doc, json!({"employer": {"name": "株式会社みなと商店"}}));
    }

    #[test]
    fn workers_are_named_as_people_know_them() {
        assert_eq!(
            worker_name(&json!({"id": "W001", "name": "山田 太郎"})),
            "山田 太郎"
        );
        assert_eq!(
            worker_name(&json!({"id": "W002", "name": "佐藤 一", "employee_number": "1002"})),
            "佐藤 一（社員番号 1002）"
        );
        assert_eq!(
            worker_name(&json!({"id": "W003", "employee_number": "1003"})),
            "社員番号 1003"
        );
        assert_eq!(
            worker_name(&json!({"id": "W004"})),
            "（氏名未入力）",
            "never the editor's id"
        );
        assert_eq!(
            worker_name(&json!({"id": "E001"})),
            "E001",
            "the employer's own code"
        );
    }

    #[test]
    fn telework_days_are_counted_once_a_day_within_the_period() {
        let doc = json!({
            "plan": {"target_workers": [
                {"id": "W001", "employment": "direct", "name": "山田 太郎"},
                {"id": "W002", "employment": "dispatched", "name": "佐藤 一"},
            ]},
            "telework": [
                {"worker": "W001", "date": "2022-08-01", "place": "home"},
                {"worker": "W001", "date": "2022-08-01", "place": "satellite_office"},
                {"worker": "W001", "date": "2022-08-02", "place": "mobile"},
                {"worker": "W001", "date": "2022-08-03", "place": "office"},
                {"worker": "W001", "date": "2022-07-31", "place": "home"},
                {"worker": "W001", "date": "2022-11-01", "place": "home"},
                {"worker": "W002", "date": "2022-10-31", "place": "home"},
                {"worker": "W009", "date": "2022-08-05", "place": "home"},
            ],
        });
        let period = Period::new(
            jiff::civil::date(2022, 8, 1),
            jiff::civil::date(2022, 10, 31),
        )
        .unwrap();
        let rows = telework_by_worker(&doc, period, |p| {
            matches!(p, Place::Home | Place::SatelliteOffice)
        });
        assert_eq!(
            rows,
            [
                WorkerDays {
                    name: "山田 太郎".into(),
                    employment: "直接雇用".into(),
                    home: 0,
                    satellite_office: 1,
                    mobile: 1,
                    counted: 1,
                },
                WorkerDays {
                    name: "佐藤 一".into(),
                    employment: "派遣".into(),
                    home: 1,
                    satellite_office: 0,
                    mobile: 0,
                    counted: 1,
                },
            ],
            "the last record of a day wins; outside the period and other workers left out"
        );
    }
}
