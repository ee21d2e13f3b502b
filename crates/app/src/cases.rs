//! Cases: create, view (the typed view model the API and the pages share),
//! validate-and-save, list.

use crate::access::{require_role, scope_of, visible_case};
use crate::deadlines::{next_deadline, Deadline};
use crate::engine::{
    document_for_engine, parse_case_value_text, procedure_of, provisional, run_engine,
};
use crate::text::{check_document_text, forbidden_char, validate_title};
use crate::{today, App, Error, Result};
use jiff::civil::Date;
use josei_rules::evaluate::Evaluation;
use josei_store::workflow::{self, Procedure};
use josei_store::{CaseId, CaseRow, OrganizationId, Role, User, UserId};
use serde::Serialize;
use serde_json::{json, Value};

/// An engine refusal of a stored document (it cannot be evaluated as it is).
#[derive(Clone, Debug, Serialize)]
pub struct EvaluationError {
    pub code: &'static str,
    pub field: String,
    pub message: String,
}

impl EvaluationError {
    /// The refusal in words for the pages and print-outs: what to enter and
    /// where, without the case format's field paths or the rules' ids (the
    /// API keeps `message` as the engine wrote it).
    pub fn for_people(&self) -> String {
        let regimes = josei_rules::regime::set().all();
        if self.code == "no_regime" {
            if self.message.starts_with("制度を決める日付がありません") {
                return "判定に使う年度の制度を決める日付がまだありません。「計画の内容」で、計画の提出日（令和6年度までの制度）か評価期間の初日（令和7年度からの制度）を入力すると判定できます。".to_string();
            }
            let first = regimes.iter().min_by_key(|r| r.applies_from);
            let last = regimes.iter().max_by_key(|r| r.applies_to);
            let range = match (first, last) {
                (Some(a), Some(b)) => format!("（対応している制度：{}〜{}）", a.name, b.name),
                _ => String::new(),
            };
            if self.message.contains("提出・認定がなくなりました") {
                return format!(
                    "入力された計画の提出日に当てはまる制度はありません。令和7年度からは計画の提出・認定がなくなりました。「計画の内容」で計画の提出日・認定日を消し、評価期間の初日を入力してください{range}。"
                );
            }
            return format!(
                "入力された日付に当てはまる年度の制度がありません{range}。「計画の内容」で計画の提出日や評価期間の初日を確かめてください。"
            );
        }
        let readable = !self.message.chars().any(|c| c.is_ascii_alphabetic());
        if readable {
            format!(
                "{}。「計画の内容」で確かめてください。",
                self.message.trim_end_matches('。')
            )
        } else {
            "入力に足りないところか誤りがあるため、判定できません。「計画の内容」で赤く示された欄を確かめてください。".to_string()
        }
    }
}

/// A case as the API returns it and the pages show it: the record, its
/// document in the case format, the engine's evaluation as of today, the
/// actions this user may take and the next deadline.
#[derive(Debug, Serialize)]
pub struct CaseView {
    pub case: CaseRow,
    /// The status in the words of the case's procedure.
    pub status_label: String,
    pub procedure: Procedure,
    /// The stored inputs (case format), without the workflow's `regime`.
    pub document: Value,
    pub today: Date,
    pub evaluation: Option<Evaluation>,
    pub evaluation_error: Option<EvaluationError>,
    /// Workflow actions this user may take now.
    pub actions: Vec<&'static str>,
    pub next_deadline: Option<Deadline>,
    /// The decision a step just recorded (workflow answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<josei_store::Decision>,
    /// What an import just stored (import answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import: Option<crate::imports::Summary>,
}

/// The view of `case` for `user` as of today.
pub async fn case_view(app: &App, case: &CaseRow, user: &User) -> Result<CaseView> {
    let today = today(app).await?;
    let doc = document_for_engine(app, case, today, &[]).await?;
    let (evaluation, evaluation_error) = match run_engine(&doc) {
        Ok((e, _)) => (Some(e), None),
        Err(e) => (
            None,
            Some(EvaluationError {
                code: e.code.as_str(),
                field: e.field,
                message: e.message,
            }),
        ),
    };
    let next_deadline = evaluation
        .as_ref()
        .and_then(|e| next_deadline(case.status, e, today));
    let procedure = procedure_of(case, evaluation.as_ref(), today);
    let mut document = app.db.case_document(case).await?;
    document.as_object_mut().map(|o| o.remove("regime"));
    Ok(CaseView {
        case: case.clone(),
        status_label: case.status.label_for(procedure),
        procedure,
        document,
        today,
        evaluation,
        evaluation_error,
        actions: workflow::available(case.status, user.role, procedure),
        next_deadline,
        decision: None,
        import: None,
    })
}

/// The case `id`, viewed by `user` (404 when out of the user's scope).
pub async fn get(app: &App, user: &User, id: CaseId) -> Result<CaseView> {
    let case = visible_case(app, user, id).await?;
    case_view(app, &case, user).await
}

/// Opens a new case titled `title`: an employer for their organisation, a
/// 社労士 for an organisation that delegated to them.
pub async fn create(
    app: &App,
    user: &User,
    title: &str,
    organization_id: Option<OrganizationId>,
) -> Result<CaseView> {
    let org_id = match user.role {
        Role::Employer => user
            .organization_id
            .ok_or_else(|| Error::forbidden("事業所が設定されていません"))?,
        Role::Agent => {
            let id = organization_id.ok_or_else(|| {
                Error::invalid("organization_id", "委任を受けた事業所を指定してください")
            })?;
            if !app.db.agent_org_ids(user.id).await?.contains(&id) {
                return Err(Error::not_found());
            }
            id
        }
        _ => return Err(Error::forbidden("申請を作れるのは事業主と社労士です")),
    };
    let title = validate_title(title)?;
    let case = app.db.create_case(org_id, &title, user.id).await?;
    case_view(app, &case, user).await
}

/// Replaces case `id`'s inputs (employer or 社労士), validated by the engine's
/// parser; changes to a filed application's basis need `amendment`.
pub async fn put_inputs(
    app: &App,
    user: &User,
    id: CaseId,
    version: i64,
    document: Value,
    amendment: Option<&str>,
) -> Result<CaseView> {
    let case = visible_case(app, user, id).await?;
    require_role(user, &[Role::Employer, Role::Agent])?;
    save_document_as(app, &case, version, document, user, amendment).await
}

/// A page of cases as the API asks for it.
#[derive(Debug, Default)]
pub struct ListParams {
    /// From 1.
    pub page: Option<i64>,
    /// 1–500, default 50.
    pub per_page: Option<i64>,
    pub q: Option<String>,
    /// `deadline` (default), `amount`, `updated` or `newest`.
    pub sort: Option<String>,
}

/// The cases `user` may see: all of them without paging parameters, else one
/// page (read from the evaluation snapshots) and the total.
pub async fn list(app: &App, user: &User, p: ListParams) -> Result<(Vec<CaseRow>, Option<i64>)> {
    let scope = scope_of(app, user).await?;
    if p.page.is_none() && p.per_page.is_none() && p.q.is_none() && p.sort.is_none() {
        return Ok((app.db.cases(&scope).await?, None));
    }
    let page = p.page.unwrap_or(1);
    if page < 1 {
        return Err(Error::invalid(
            "page",
            "1 以上のページ番号を指定してください",
        ));
    }
    let per_page = p.per_page.unwrap_or(50);
    if !(1..=500).contains(&per_page) {
        return Err(Error::invalid(
            "per_page",
            "1〜500 の件数を指定してください",
        ));
    }
    let sort = match p.sort.as_deref() {
        None => josei_store::Sort::Deadline,
        Some(s) => josei_store::Sort::parse(s).ok_or_else(|| {
            Error::invalid(
                "sort",
                "deadline・amount・updated・newest のいずれかを指定してください",
            )
        })?,
    };
    crate::snapshots::refresh_snapshots(app, &scope).await?;
    let query = josei_store::ListQuery {
        search: p.q.map(|w| w.chars().take(100).collect()),
        sort,
        offset: (page - 1).saturating_mul(per_page),
        limit: Some(per_page),
        ..Default::default()
    };
    let (rows, total) = app.db.list_page(&scope, &query).await?;
    Ok((rows.into_iter().map(|r| r.case).collect(), Some(total)))
}

/// The audit trail of case `id`.
pub async fn audit(app: &App, user: &User, id: CaseId) -> Result<Vec<josei_store::AuditEntry>> {
    let case = visible_case(app, user, id).await?;
    Ok(app.db.audit_log("case", &case.id.to_string()).await?)
}

/// The decisions recorded on case `id`.
pub async fn decisions(app: &App, user: &User, id: CaseId) -> Result<Vec<josei_store::Decision>> {
    let case = visible_case(app, user, id).await?;
    Ok(app.db.decisions(case.id).await?)
}

/// Validates and stores a document for `case`, enforcing what may still change.
pub async fn save_document(
    app: &App,
    case: &CaseRow,
    version: i64,
    doc: Value,
    user: &User,
) -> Result<CaseView> {
    save_document_as(app, case, version, doc, user, None).await
}

/// [`save_document`]; changes to the basis of a filed application need an
/// amendment reason and are recorded as an amendment.
pub async fn save_document_as(
    app: &App,
    case: &CaseRow,
    version: i64,
    doc: Value,
    user: &User,
    amendment: Option<&str>,
) -> Result<CaseView> {
    let updated = save_checked(app, case, version, doc, Some(user.id), amendment).await?;
    case_view(app, &updated, user).await
}

/// Validates `doc` for `case` and stores it at `version` as `by` (the system
/// when `None`): what may still change in the case's state, text and row
/// limits, locked inputs (an amendment reason required), and the whole case
/// as the engine's parser reads it today. Returns the updated case.
pub async fn save_checked(
    app: &App,
    case: &CaseRow,
    version: i64,
    mut doc: Value,
    by: Option<UserId>,
    amendment: Option<&str>,
) -> Result<CaseRow> {
    if !doc.is_object() {
        return Err(Error::invalid(
            "document",
            "申請の入力（JSON オブジェクト）を送ってください",
        ));
    }
    if !case.status.records_editable() {
        return Err(Error::conflict(format!(
            "「{}」の申請は、いまの状態では内容を変更できません",
            case.status.label_ja()
        )));
    }
    let stored = app.db.case_document(case).await?;
    if !case.status.plan_editable() {
        // After submission the plan (employer, target workers) is fixed; the
        // applicant's particulars printed on the documents (所在地, 代表者,
        // 雇用保険適用事業所番号) are not part of it and may still change.
        let plan_employer = |d: &Value| {
            let mut e = d.get("employer").cloned();
            if let Some(o) = e.as_mut().and_then(Value::as_object_mut) {
                for (k, _, _) in crate::printout::APPLICANT_FIELDS {
                    o.remove(k);
                }
            }
            e
        };
        let same = plan_employer(&doc) == plan_employer(&stored)
            && doc.pointer("/plan/target_workers") == stored.pointer("/plan/target_workers");
        if !same {
            return Err(Error::conflict(
                "計画の提出後は、事業主の情報と対象労働者を変更できません",
            ));
        }
    }
    // Dates owned by the workflow come from the stored case.
    for k in [
        "equipment_application_filed_on",
        "goal_application_filed_on",
        "regime",
    ] {
        doc[k] = stored[k].clone();
    }
    let plan = doc.get("plan").cloned().unwrap_or(json!({}));
    doc["plan"] = json!({
        "submitted_on": stored["plan"]["submitted_on"],
        "certified_on": stored["plan"]["certified_on"],
        "target_workers": plan.get("target_workers").cloned().unwrap_or(json!([])),
    });
    check_document_text(&doc)?;
    crate::workers::check(&doc)?;
    crate::printout::check_applicant(&doc)?;
    josei_store::limits::check_rows(&doc).map_err(|t| Error::invalid(t.field, t.message))?;
    let amendment = amendment.map(str::trim).filter(|r| !r.is_empty());
    if let Some(r) = amendment {
        if r.chars().count() > 1_000 || r.chars().any(|c| forbidden_char(c, true)) {
            return Err(Error::invalid(
                "amendment_reason",
                "理由は1,000文字以内で、制御文字を含めないでください",
            ));
        }
    }
    let locked = josei_store::locked_changes(case, &stored, &doc);
    if !locked.is_empty() && amendment.is_none() {
        return Err(Error::conflict(format!(
            "支給申請の後は、申請の根拠になった入力（{}）を変更できません。変更が必要なときは、修正の理由を添えて送ってください",
            locked.join("・")
        )));
    }
    crate::attachments::check_expenses_kept(app, case, &stored, &doc).await?;
    let amendment = amendment.filter(|_| !locked.is_empty());
    let mut probe = doc.clone();
    let today = today(app).await?;
    probe["as_of"] = json!(today.to_string());
    provisional(&mut probe, today);
    parse_case_value_text(&probe)?;
    Ok(app
        .db
        .save_inputs_as(case.id, version, &doc, by, amendment)
        .await?)
}

pub async fn case_targets(app: &App, case: &CaseRow) -> Result<usize> {
    let doc = app.db.case_document(case).await?;
    Ok(doc
        .pointer("/plan/target_workers")
        .and_then(Value::as_array)
        .map_or(0, Vec::len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(doc: Value) -> EvaluationError {
        let e = crate::engine::run_engine(&doc).expect_err("the engine refuses it");
        EvaluationError {
            code: e.code.as_str(),
            field: e.field,
            message: e.message,
        }
    }

    fn draft(plan: Value) -> Value {
        json!({
            "employer": {"name": "株式会社みなと商店", "industry": "retail", "capital_yen": 10000000,
                "regular_employees": 12, "employment_insurance": true, "telework_status": "none",
                "work_rules_have_telework": false, "received_telework_subsidy": false},
            "plan": plan,
        })
    }

    /// Pages never show the case format's paths or the rules' ids: what is
    /// missing is said in words, with where to enter it.
    #[test]
    fn refusals_are_told_in_words_without_paths_or_regime_ids() {
        let no_dates = refusal(draft(json!({"target_workers": []})));
        assert!(no_dates.message.contains("R4"), "{}", no_dates.message);
        let too_early = refusal(draft(
            json!({"submitted_on": "2019-06-01", "target_workers": []}),
        ));
        for e in [&no_dates, &too_early] {
            let text = e.for_people();
            assert!(
                !text.chars().any(|c| c.is_ascii_alphabetic()),
                "{text} (from {})",
                e.message
            );
            assert!(text.contains("「計画の内容」"), "{text}");
        }
        assert!(no_dates.for_people().contains("評価期間の初日"));
        assert!(
            too_early.for_people().contains("令和3年度"),
            "{}",
            too_early.for_people()
        );
        // A message with a path gives way to a general one; one in words is kept.
        let path = EvaluationError {
            code: "missing_field",
            field: "employer.industry".into(),
            message: "employer.industry がありません".into(),
        };
        assert!(!path.for_people().contains("employer"));
        let words = EvaluationError {
            code: "out_of_range",
            field: "x".into(),
            message: "対象労働者が多すぎます".into(),
        };
        assert_eq!(
            words.for_people(),
            "対象労働者が多すぎます。「計画の内容」で確かめてください。"
        );
    }
}
