//! The documents each filing needs ([`checklist`]), each satisfied or
//! missing with where to provide it, and removing an attachment before the
//! filing that rests on it ([`remove_attachment`]).
//!
//! What a filing needs follows the official lists as far as they are known
//! (regimes-sources §3.3: 就業規則, 労働者名簿, 賃金台帳, 出勤簿, receipts and
//! invoices of each expense, evidence of 職場風土作り and of the measures);
//! imported records count as the register and the attendance records.

use crate::access::{require_role, visible_case};
use crate::progress::Place;
use crate::{App, Error, Result};
use jiff::civil::Date;
use josei_rules::civil::parse_iso_date;
use josei_rules::evaluate::{CheckId, Evaluation};
use josei_rules::model::ExpenseCategory;
use josei_store::workflow::{Procedure, Status};
use josei_store::{Attachment, AttachmentId, AttachmentKind, CaseId, CaseRow, Role, User};
use serde::Serialize;
use serde_json::Value;

/// A filing that sends documents to the bureau.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Filing {
    /// The plan (計画の提出, plan regimes).
    Plan,
    /// The first subsidy (機器等導入助成 / 制度導入助成).
    First,
    /// 目標達成助成.
    Goal,
}

impl Filing {
    /// The filing a workflow action makes; the no-plan `start_evaluation`
    /// prepares the first subsidy's.
    pub fn of_action(action: &str) -> Option<Filing> {
        match action {
            "submit_plan" => Some(Filing::Plan),
            "file_equipment" | "start_evaluation" => Some(Filing::First),
            "file_goal" => Some(Filing::Goal),
            _ => None,
        }
    }

    /// The filing the case prepares now, in `status`.
    pub fn next(status: Status, procedure: Procedure) -> Option<Filing> {
        use Status::*;
        match status {
            Draft | PlanReturned if procedure == Procedure::Plan => Some(Filing::Plan),
            Draft | PlanCertified | Evaluation => Some(Filing::First),
            EquipmentGranted | GoalTracking => Some(Filing::Goal),
            _ => None,
        }
    }
}

/// One document a filing needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocItem {
    /// What it is, for people: 「就業規則（テレワーク勤務の規定を整備したもの）」.
    pub label: String,
    /// Why it is needed or what it must show.
    pub detail: Option<String>,
    pub satisfied: bool,
    /// What satisfies it now (the file's name, the imported records), or
    /// what is missing.
    pub state: String,
    /// Where to provide it.
    pub place: Place,
    /// For an attachment: its kind (and the expense item it belongs to).
    pub kind: Option<AttachmentKind>,
    pub expense_ref: Option<String>,
}

/// What the checklist reads.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    pub procedure: Procedure,
    /// The case document (case format).
    pub document: &'a Value,
    pub evaluation: Option<&'a Evaluation>,
    pub attachments: &'a [Attachment],
}

impl Inputs<'_> {
    fn of_kind(&self, kind: AttachmentKind) -> Vec<&Attachment> {
        self.attachments.iter().filter(|a| a.kind == kind).collect()
    }

    fn has_check(&self, id: CheckId) -> bool {
        self.evaluation.is_some_and(|e| {
            e.equipment_subsidy
                .checks
                .iter()
                .chain(&e.goal_subsidy.checks)
                .any(|c| c.id == id)
        })
    }

    /// Telework records (home or satellite office, one per worker per day)
    /// from `from` to `to`.
    fn telework_days(&self, from: Date, to: Date) -> usize {
        let mut seen = std::collections::HashSet::new();
        for t in self.document["telework"].as_array().into_iter().flatten() {
            let (Some(w), Some(d), Some(p)) = (
                t["worker"].as_str(),
                t["date"].as_str(),
                t["place"].as_str(),
            ) else {
                continue;
            };
            if !matches!(p, "home" | "satellite_office") {
                continue;
            }
            if parse_iso_date(d).is_ok_and(|d| from <= d && d <= to) {
                seen.insert((w, d));
            }
        }
        seen.len()
    }

    fn roster_rows(&self) -> usize {
        self.document["roster"].as_array().map_or(0, Vec::len)
    }
}

/// `name` and the attachments that satisfy an item, for its state line.
fn attached(files: &[&Attachment]) -> String {
    let names: Vec<&str> = files.iter().map(|a| a.filename.as_str()).collect();
    format!("添付済み：{}", names.join("、"))
}

fn attachment_item(
    label: &str,
    detail: Option<&str>,
    kind: AttachmentKind,
    files: &[&Attachment],
) -> DocItem {
    DocItem {
        label: label.to_string(),
        detail: detail.map(str::to_string),
        satisfied: !files.is_empty(),
        state: if files.is_empty() {
            "まだ添付されていません".to_string()
        } else {
            attached(files)
        },
        place: Place::Attach(kind),
        kind: Some(kind),
        expense_ref: None,
    }
}

/// The worker register: imported rows or an attached register.
fn roster_item(i: &Inputs, detail: &str) -> DocItem {
    let rows = i.roster_rows();
    let files = i.of_kind(AttachmentKind::Roster);
    DocItem {
        label: "労働者名簿".into(),
        detail: Some(detail.to_string()),
        satisfied: rows > 0 || !files.is_empty(),
        state: if rows > 0 {
            format!("取り込み済み：{rows}人分")
        } else if !files.is_empty() {
            attached(&files)
        } else {
            "まだ取り込まれていません（CSV の取り込みか、名簿の添付で用意できます）".into()
        },
        place: if rows == 0 && files.is_empty() {
            Place::Import("roster")
        } else {
            Place::Attach(AttachmentKind::Roster)
        },
        kind: Some(AttachmentKind::Roster),
        expense_ref: None,
    }
}

/// Attendance and telework records of a period: imported records in it, or
/// an attached record.
fn attendance_item(i: &Inputs, label: &str, period: Option<(Date, Date)>) -> DocItem {
    let days = period.map_or(0, |(from, to)| i.telework_days(from, to));
    let files = i.of_kind(AttachmentKind::Attendance);
    DocItem {
        label: label.to_string(),
        detail: Some(
            "対象労働者ごとに、在宅・サテライトオフィスで勤務した日がわかる記録です".into(),
        ),
        satisfied: days > 0 || !files.is_empty(),
        state: if days > 0 {
            format!("取り込み済み：延べ{days}日分")
        } else if !files.is_empty() {
            attached(&files)
        } else {
            "まだありません（テレワーク実績の CSV を取り込むか、記録を添付してください）".into()
        },
        place: if days == 0 && files.is_empty() {
            Place::Import("telework")
        } else {
            Place::Attach(AttachmentKind::Attendance)
        },
        kind: Some(AttachmentKind::Attendance),
        expense_ref: None,
    }
}

/// Whether the employer must file its work rules with the labour standards
/// office, with the workers' representative's opinion (労働基準法 89・90条):
/// an establishment with 10 or more regular workers. Unknown: assumed so.
pub fn work_rules_notice_required(document: &Value) -> bool {
    document["employer"]["regular_employees"]
        .as_u64()
        .is_none_or(|n| n >= 10)
}

/// How an expense item is named for people: its description, else its
/// category, with the amount.
fn expense_name(x: &Value) -> String {
    let what = x["description"]
        .as_str()
        .filter(|d| !d.trim().is_empty())
        .map(str::to_string)
        .or_else(|| {
            x["category"]
                .as_str()
                .and_then(ExpenseCategory::parse)
                .map(|c| c.label_ja().to_string())
        })
        .unwrap_or_else(|| "経費".into());
    match x["amount_yen"].as_u64() {
        Some(n) => format!("{what} {}", josei_rules::model::Yen(n)),
        None => what,
    }
}

/// Receipts and invoices, one of each per expense item: an attachment
/// naming the item, else (files attached before items could be named) an
/// unassigned one of the kind, in order.
fn expense_items(i: &Inputs) -> Vec<DocItem> {
    let expenses: Vec<&Value> = i.document["expenses"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    for (kind, what) in [
        (AttachmentKind::Receipt, "領収書（または振込の記録）"),
        (AttachmentKind::Invoice, "請求書・納品書"),
    ] {
        let files = i.of_kind(kind);
        let mut loose = files.iter().filter(|a| a.expense_ref.is_none());
        for x in &expenses {
            let id = x["id"].as_str().unwrap_or("");
            let own: Vec<&Attachment> = files
                .iter()
                .copied()
                .filter(|a| !id.is_empty() && a.expense_ref.as_deref() == Some(id))
                .collect();
            let matched: Vec<&Attachment> = if own.is_empty() {
                loose.next().copied().into_iter().collect()
            } else {
                own
            };
            out.push(DocItem {
                label: format!("{what}：{}", expense_name(x)),
                detail: Some(if kind == AttachmentKind::Receipt {
                    "支払ったことと支払日がわかるもの".into()
                } else {
                    "納品日と内容がわかるもの".into()
                }),
                satisfied: !matched.is_empty(),
                state: if matched.is_empty() {
                    "まだ添付されていません".into()
                } else {
                    attached(&matched)
                },
                place: Place::Attach(kind),
                kind: Some(kind),
                expense_ref: (!id.is_empty()).then(|| id.to_string()),
            });
        }
    }
    out
}

/// The documents `filing` needs, each satisfied or missing.
pub fn checklist(filing: Filing, i: &Inputs) -> Vec<DocItem> {
    let work_rules = i.of_kind(AttachmentKind::WorkRules);
    let e = i.evaluation;
    let mut out = Vec::new();
    match filing {
        Filing::Plan => {
            out.push(attachment_item(
                "現在の就業規則",
                Some("計画を出す時点で、テレワークの規定がまだないことを確かめるためのものです"),
                AttachmentKind::WorkRules,
                &work_rules,
            ));
            out.push(roster_item(
                i,
                "計画時の離職率（計画提出前の1年間）を計算するために使います",
            ));
        }
        Filing::First => {
            let no_plan = i.procedure == Procedure::NoPlan;
            out.push(attachment_item(
                "就業規則（テレワーク勤務の規定を整備したもの）",
                Some(if no_plan {
                    "評価期間の前3か月の間に整備した、テレワークの対象者・手続・留意事項などを定めたもの"
                } else {
                    "計画の認定後に整備した、テレワーク勤務の規定を含むもの"
                }),
                AttachmentKind::WorkRules,
                &work_rules,
            ));
            if work_rules_notice_required(i.document) {
                out.push(attachment_item(
                    "就業規則の届出の控え・労働者代表の意見書",
                    Some("常時10人以上の労働者がいる事業場は、変更した就業規則を労働基準監督署に届け出ます（労働基準法89条・90条）"),
                    AttachmentKind::WorkRulesNotice,
                    &i.of_kind(AttachmentKind::WorkRulesNotice),
                ));
            }
            if i.has_check(CheckId::WorkplaceClimate) {
                out.push(attachment_item(
                    "職場風土作りの記録",
                    Some("トップからのメッセージや社内への呼びかけ、テレワーク事例の社内周知がわかるもの（社内通知、メールの写しなど）"),
                    AttachmentKind::Climate,
                    &i.of_kind(AttachmentKind::Climate),
                ));
            }
            let training_expense = i.document["expenses"].as_array().is_some_and(|a| {
                a.iter().any(|x| {
                    matches!(
                        x["category"].as_str(),
                        Some("consulting" | "manager_training" | "worker_training")
                    )
                })
            });
            if no_plan || training_expense {
                out.push(attachment_item(
                    "研修・コンサルティングの記録",
                    Some("実施日・内容・参加者がわかるもの（研修資料、出席簿、コンサルタントの報告書など）"),
                    AttachmentKind::Training,
                    &i.of_kind(AttachmentKind::Training),
                ));
            }
            out.push(roster_item(
                i,
                "対象労働者が雇用されていることを確かめるために使います",
            ));
            let period = e
                .and_then(|e| e.schedule.evaluation_period)
                .map(|p| (p.from(), p.to()));
            out.push(attendance_item(
                i,
                "出勤簿・テレワーク実施記録（評価期間の分）",
                period,
            ));
            if !no_plan {
                out.extend(expense_items(i));
            }
        }
        Filing::Goal => {
            out.push(roster_item(
                i,
                "評価時の離職率（評価期間後の1年間）を計算するために使います。離職日と離職理由まで最新にしてください",
            ));
            let period = e
                .and_then(|e| e.schedule.goal_evaluation_period)
                .map(|p| (p.from(), p.to()));
            out.push(attendance_item(
                i,
                "出勤簿・テレワーク実施記録（目標達成助成の評価期間の分）",
                period,
            ));
            // The wage requirement applies where the regime has it and the
            // employer claims it (the engine reports it only then).
            if e.is_some_and(|e| e.wage_increase.is_some()) {
                out.push(attachment_item(
                    "賃金台帳（賃上げの前後3か月分）",
                    Some("賃金要件（賃金を5％以上引き上げたこと）による加算を受けるために、引上げの前と後それぞれ3か月分が必要です"),
                    AttachmentKind::WageLedger,
                    &i.of_kind(AttachmentKind::WageLedger),
                ));
            }
        }
    }
    out
}

/// A filing that rests on the documents attached before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilingMade {
    /// 「計画の提出」「機器等導入助成の支給申請」…
    pub name: String,
    pub day: Option<Date>,
    /// The filing's place in the case's audit log.
    pub seq: i64,
}

/// What of a case decides whether its files may still go: whether it is
/// open, the filings made (in the order of its audit log), and when each
/// file was attached (its `attachment.add` entry).
#[derive(Clone, Debug, Default)]
pub struct Filed {
    pub open: bool,
    pub filings: Vec<FilingMade>,
    pub added: std::collections::HashMap<i64, i64>,
}

impl Filed {
    /// Read from the case and its audit log. A plan returned for correction
    /// no longer holds its documents; a resubmission holds them again.
    pub fn of(case: &CaseRow, procedure: Procedure, audit: &[josei_store::AuditEntry]) -> Filed {
        Filed::from_parts(
            &FiledParts {
                status: case.status,
                submitted_on: case.submitted_on.as_deref(),
                equipment_filed_on: case.equipment_application_filed_on.as_deref(),
                goal_filed_on: case.goal_application_filed_on.as_deref(),
            },
            procedure,
            audit,
        )
    }

    /// [`Filed::of`] from the case's status and filing days.
    pub fn from_parts(
        case: &FiledParts<'_>,
        procedure: Procedure,
        audit: &[josei_store::AuditEntry],
    ) -> Filed {
        let first = match procedure {
            Procedure::Plan => "機器等導入助成",
            Procedure::NoPlan => "制度導入助成",
        };
        let day = |s: Option<&str>| s.and_then(|s| parse_iso_date(s).ok());
        let last = |action: &str| {
            audit
                .iter()
                .rev()
                .find(|a| a.action == action)
                .map(|a| i64::from(a.id))
        };
        let mut filings = Vec::new();
        let mut push = |name: String, day: Option<Date>, seq: Option<i64>| {
            if let Some(seq) = seq {
                filings.push(FilingMade { name, day, seq });
            }
        };
        if !matches!(case.status, Status::Draft | Status::PlanReturned) {
            push(
                "計画の提出".into(),
                day(case.submitted_on),
                last("case.submit_plan"),
            );
        }
        push(
            format!("{first}の支給申請"),
            day(case.equipment_filed_on),
            last("case.file_equipment"),
        );
        push(
            "目標達成助成の支給申請".into(),
            day(case.goal_filed_on),
            last("case.file_goal"),
        );
        let added = audit
            .iter()
            .filter(|a| a.action == "attachment.add")
            .filter_map(|a| {
                let id = a.after.as_ref()?.get("attachment_id")?.as_i64()?;
                Some((id, i64::from(a.id)))
            })
            .collect();
        Filed {
            open: case.status.is_open(),
            filings,
            added,
        }
    }

    /// Whether files attached from now on may be removed (the case is open).
    pub fn new_files_removable(&self) -> bool {
        self.open
    }
}

/// What of a case [`Filed::from_parts`] reads besides its audit log.
#[derive(Clone, Copy, Debug)]
pub struct FiledParts<'a> {
    pub status: Status,
    pub submitted_on: Option<&'a str>,
    pub equipment_filed_on: Option<&'a str>,
    pub goal_filed_on: Option<&'a str>,
}

/// What decides whether the files of `case` may go, read from its audit log.
pub async fn filed(app: &App, case: &CaseRow) -> Result<Filed> {
    let procedure = crate::engine::procedure_of(case, None, crate::today(app).await?);
    let audit = app.db.audit_log("case", &case.id.to_string()).await?;
    Ok(Filed::of(case, procedure, &audit))
}

/// Whether attachment `a` may still be removed or replaced: only while the
/// case is open and no filing made after the file was attached rests on
/// it. The refusal says why, in Japanese.
pub fn removable(f: &Filed, a: &Attachment) -> Result<()> {
    if !f.open {
        return Err(Error::conflict(
            "手続きの終わった申請の書類は、削除も差し替えもできません",
        ));
    }
    let added = f.added.get(&i64::from(a.id)).copied();
    if let Some(made) = f
        .filings
        .iter()
        .find(|m| added.is_none_or(|added| added < m.seq))
    {
        return Err(Error::conflict(format!(
            "この書類は{}{}で労働局に提出済みのため、削除も差し替えもできません。直したいときは、新しい書類を添付し、労働局にご連絡ください",
            made.name,
            made.day
                .map(|d| format!("（{}）", josei_rules::wareki::format_wareki(d)))
                .unwrap_or_default()
        )));
    }
    Ok(())
}

/// Removes attachment `id` of case `case_id` (employer or 社労士), if no
/// filing rests on it ([`removable`]); audited by the store.
pub async fn remove_attachment(
    app: &App,
    user: &User,
    case_id: CaseId,
    id: AttachmentId,
) -> Result<Attachment> {
    let case = visible_case(app, user, case_id).await?;
    require_role(user, &[Role::Employer, Role::Agent])?;
    let a = app
        .db
        .attachments(case.id)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(Error::not_found)?;
    removable(&filed(app, &case).await?, &a)?;
    Ok(app.db.delete_attachment(case.id, id, user.id).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::run_engine;
    use josei_store::UserId;
    use serde_json::json;

    fn attachment(
        id: i64,
        kind: AttachmentKind,
        name: &str,
        expense: Option<&str>,
        at: &str,
    ) -> Attachment {
        Attachment {
            id: AttachmentId::from(id),
            case_id: CaseId::from(1),
            kind,
            filename: name.into(),
            content_type: "application/pdf".into(),
            size_bytes: 10,
            sha256: String::new(),
            uploaded_by: UserId::from(1),
            uploaded_at: at.into(),
            expense_ref: expense.map(str::to_string),
        }
    }

    fn r4_case(employees: u64) -> Value {
        json!({"as_of": "2022-11-25",
            "employer": {"name": "株式会社みなと", "industry": "retail", "capital_yen": 10000000,
                "regular_employees": employees, "employment_insurance": true, "telework_status": "none",
                "work_rules_have_telework": false, "received_telework_subsidy": false},
            "plan": {"submitted_on": "2022-06-15", "certified_on": "2022-07-01",
                "target_workers": [{"id": "E001", "employment": "direct"}]},
            "evaluation_start": "2022-08-01",
            "telework": [{"worker": "E001", "date": "2022-08-03", "place": "home"},
                         {"worker": "E001", "date": "2022-08-03", "place": "home"},
                         {"worker": "E001", "date": "2022-08-04", "place": "office"}],
            "expenses": [
                {"id": "X1", "category": "work_rules", "amount_yen": 132000, "description": "就業規則改定", "paid_on": "2022-07-29"},
                {"id": "X2", "category": "network_equipment", "amount_yen": 88000, "paid_on": "2022-07-29"}]})
    }

    fn labels(items: &[DocItem]) -> Vec<(&str, bool)> {
        items
            .iter()
            .map(|d| (d.label.as_str(), d.satisfied))
            .collect()
    }

    #[test]
    fn the_plan_needs_the_current_work_rules_and_the_register() {
        let doc = r4_case(12);
        let files = [attachment(
            1,
            AttachmentKind::WorkRules,
            "就業規則.pdf",
            None,
            "2022-06-01T00:00:00Z",
        )];
        let i = Inputs {
            procedure: Procedure::Plan,
            document: &doc,
            evaluation: None,
            attachments: &files,
        };
        let c = checklist(Filing::Plan, &i);
        assert_eq!(
            labels(&c),
            [("現在の就業規則", true), ("労働者名簿", false)]
        );
        assert_eq!(c[0].state, "添付済み：就業規則.pdf");
        assert_eq!(c[1].place, Place::Import("roster"));
    }

    #[test]
    fn the_first_filing_needs_rules_notice_climate_records_and_each_receipt() {
        let doc = r4_case(12);
        let (e, _) = run_engine(&doc).unwrap();
        let files = [
            attachment(
                1,
                AttachmentKind::WorkRules,
                "規則.pdf",
                None,
                "2022-07-20T00:00:00Z",
            ),
            attachment(
                2,
                AttachmentKind::Receipt,
                "ルーター領収書.pdf",
                Some("X2"),
                "2022-07-30T00:00:00Z",
            ),
            // Attached before items could be named: counts for the first item without one.
            attachment(
                3,
                AttachmentKind::Invoice,
                "請求書.pdf",
                None,
                "2022-07-30T00:00:00Z",
            ),
        ];
        let i = Inputs {
            procedure: Procedure::Plan,
            document: &doc,
            evaluation: Some(&e),
            attachments: &files,
        };
        let c = checklist(Filing::First, &i);
        assert_eq!(
            labels(&c),
            [
                ("就業規則（テレワーク勤務の規定を整備したもの）", true),
                ("就業規則の届出の控え・労働者代表の意見書", false),
                ("職場風土作りの記録", false),
                ("労働者名簿", false),
                ("出勤簿・テレワーク実施記録（評価期間の分）", true),
                ("領収書（または振込の記録）：就業規則改定 132,000円", false),
                (
                    "領収書（または振込の記録）：ネットワーク機器 88,000円",
                    true
                ),
                ("請求書・納品書：就業規則改定 132,000円", true),
                ("請求書・納品書：ネットワーク機器 88,000円", false),
            ]
        );
        // Imported records count, once per worker and day, home or satellite only.
        assert_eq!(c[4].state, "取り込み済み：延べ1日分");
        assert_eq!(c[6].expense_ref.as_deref(), Some("X2"));
        assert_eq!(c[5].place, Place::Attach(AttachmentKind::Receipt));
        // Fewer than 10 regular workers: no duty to file the rules.
        let small = r4_case(9);
        let i = Inputs {
            document: &small,
            ..i
        };
        assert!(!checklist(Filing::First, &i)
            .iter()
            .any(|d| d.label.contains("届出")));
        assert!(work_rules_notice_required(&r4_case(10)));
        assert!(!work_rules_notice_required(&r4_case(9)));
        assert!(
            work_rules_notice_required(&json!({})),
            "unknown: assumed required"
        );
    }

    #[test]
    fn no_plan_filings_need_the_measures_and_no_receipts() {
        let doc = json!({"as_of": "2026-11-21", "regime": "R8",
            "employer": {"name": "あおば", "industry": "service", "capital_yen": 10000000,
                "regular_employees": 5, "employment_insurance": true, "telework_status": "none",
                "work_rules_have_telework": false, "received_telework_subsidy": false},
            "plan": {"target_workers": [{"id": "A", "employment": "direct"}]},
            "evaluation_start": "2026-07-01",
            "roster": [{"id": "A", "hired_on": "2020-04-01"}],
            "expenses": [{"id": "X1", "category": "consulting", "amount_yen": 50000}]});
        let (e, _) = run_engine(&doc).unwrap();
        let i = Inputs {
            procedure: Procedure::NoPlan,
            document: &doc,
            evaluation: Some(&e),
            attachments: &[],
        };
        let c = checklist(Filing::First, &i);
        assert_eq!(
            labels(&c),
            [
                ("就業規則（テレワーク勤務の規定を整備したもの）", false),
                ("職場風土作りの記録", false),
                ("研修・コンサルティングの記録", false),
                ("労働者名簿", true),
                ("出勤簿・テレワーク実施記録（評価期間の分）", false),
            ]
        );
        assert_eq!(c[4].place, Place::Import("telework"));
    }

    #[test]
    fn the_goal_filing_needs_the_wage_ledger_only_with_the_wage_requirement() {
        let mut doc = json!({"as_of": "2026-11-21", "regime": "R8",
            "employer": {"name": "あおば", "industry": "service", "capital_yen": 10000000,
                "regular_employees": 5, "employment_insurance": true, "telework_status": "none",
                "work_rules_have_telework": false, "received_telework_subsidy": false},
            "plan": {"target_workers": [{"id": "A", "employment": "direct"}]},
            "evaluation_start": "2025-07-01"});
        let (e, _) = run_engine(&doc).unwrap();
        let i = Inputs {
            procedure: Procedure::NoPlan,
            document: &doc,
            evaluation: Some(&e),
            attachments: &[],
        };
        assert_eq!(
            labels(&checklist(Filing::Goal, &i)),
            [
                ("労働者名簿", false),
                (
                    "出勤簿・テレワーク実施記録（目標達成助成の評価期間の分）",
                    false
                )
            ]
        );
        doc["wage_increase"] = json!({"before_yen": 1000000, "after_yen": 1060000});
        let (e, _) = run_engine(&doc).unwrap();
        let files = [attachment(
            1,
            AttachmentKind::WageLedger,
            "賃金台帳.xlsx",
            None,
            "2026-11-01T00:00:00Z",
        )];
        let i = Inputs {
            procedure: Procedure::NoPlan,
            document: &doc,
            evaluation: Some(&e),
            attachments: &files,
        };
        let c = checklist(Filing::Goal, &i);
        assert_eq!(c[2].label, "賃金台帳（賃上げの前後3か月分）");
        assert!(c[2].satisfied);
        // 令和4年度 has no wage requirement: no ledger even when given.
        let mut r4 = r4_case(12);
        r4["wage_increase"] = json!({"met": true});
        let (e, _) = run_engine(&r4).unwrap();
        let i = Inputs {
            procedure: Procedure::Plan,
            document: &r4,
            evaluation: Some(&e),
            attachments: &[],
        };
        assert!(!checklist(Filing::Goal, &i)
            .iter()
            .any(|d| d.label.contains("賃金台帳")));
    }

    /// An audit entry of the case: `seq`, `action`, and for an attachment its id.
    fn entry(seq: i64, action: &str, attachment: Option<i64>) -> josei_store::AuditEntry {
        josei_store::AuditEntry {
            id: josei_store::AuditEntryId::from(seq),
            at: "2022-06-01T00:00:00Z".into(),
            user_id: None,
            action: action.into(),
            entity: "case".into(),
            entity_id: "1".into(),
            before: None,
            after: attachment.map(|id| json!({"attachment_id": id})),
        }
    }

    /// The one rule for removing or replacing a document (the plan page, the
    /// case page and `DELETE /api/v1/cases/{id}/attachments/{aid}` all ask
    /// it): a file may go until a filing made after it was attached rests on
    /// it, judged by the order of the audit log; a returned plan releases the
    /// files it rested on, its resubmission holds them again; nothing goes
    /// once the application is over.
    #[test]
    fn a_document_may_go_until_a_filing_made_after_it_rests_on_it() {
        let at = "2022-06-10T03:00:00Z";
        let files: Vec<Attachment> = (1..=4)
            .map(|i| attachment(i, AttachmentKind::Other, &format!("{i}.pdf"), None, at))
            .collect();
        let may_go =
            |f: &Filed| -> Vec<bool> { files.iter().map(|a| removable(f, a).is_ok()).collect() };
        let parts = |status: Status| FiledParts {
            status,
            submitted_on: Some("2022-06-15"),
            equipment_filed_on: None,
            goal_filed_on: None,
        };
        let mut audit = vec![
            entry(1, "case.create", None),
            entry(2, "attachment.add", Some(1)),
        ];
        let f = Filed::from_parts(&parts(Status::Draft), Procedure::Plan, &audit);
        assert!(
            may_go(&f)[0],
            "before any filing: the applicant's to change"
        );
        // The plan is submitted: the file it rests on is locked, with the filing named.
        audit.push(entry(3, "case.submit_plan", None));
        let f = Filed::from_parts(&parts(Status::PlanSubmitted), Procedure::Plan, &audit);
        let e = removable(&f, &files[0]).unwrap_err();
        assert_eq!(e.kind, crate::Kind::Conflict);
        assert!(
            e.message
                .contains("計画の提出（令和4年6月15日）で労働局に提出済み"),
            "{}",
            e.message
        );
        // Returned for correction: released; a file added now may go too.
        audit.push(entry(4, "case.return_plan", None));
        audit.push(entry(5, "attachment.add", Some(2)));
        let f = Filed::from_parts(&parts(Status::PlanReturned), Procedure::Plan, &audit);
        assert_eq!(may_go(&f)[..2], [true, true]);
        // Resubmitted: both held again; a file attached after it is not.
        audit.push(entry(6, "case.submit_plan", None));
        audit.push(entry(7, "case.certify_plan", None));
        audit.push(entry(8, "attachment.add", Some(3)));
        let f = Filed::from_parts(&parts(Status::Evaluation), Procedure::Plan, &audit);
        assert_eq!(may_go(&f)[..3], [false, false, true]);
        // The first subsidy is filed (制度導入助成 without a plan): locked too.
        audit.push(entry(9, "case.file_equipment", None));
        audit.push(entry(10, "attachment.add", Some(4)));
        let filed = FiledParts {
            equipment_filed_on: Some("2026-11-02"),
            ..parts(Status::EquipmentFiled)
        };
        let f = Filed::from_parts(&filed, Procedure::NoPlan, &audit);
        assert_eq!(may_go(&f), [false, false, false, true]);
        let e = removable(&f, &files[2]).unwrap_err();
        assert!(
            e.message
                .contains("制度導入助成の支給申請（令和8年11月2日）で労働局に提出済み"),
            "{}",
            e.message
        );
        assert!(f.new_files_removable());
        // A file whose attachment is not on record is taken as sent.
        let unknown = attachment(9, AttachmentKind::Other, "x.pdf", None, at);
        assert!(removable(&f, &unknown).is_err());
        // Once the application is over, nothing goes.
        let f = Filed::from_parts(
            &FiledParts {
                status: Status::Withdrawn,
                ..filed
            },
            Procedure::NoPlan,
            &audit,
        );
        assert_eq!(may_go(&f), [false; 4]);
        assert!(!f.new_files_removable());
        assert!(removable(&f, &files[3])
            .unwrap_err()
            .message
            .contains("手続きの終わった申請"));
    }
}
