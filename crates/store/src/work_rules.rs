//! `work_rules_drafts`: the テレワーク勤務規程 drafts (モデル就業規則) made on a
//! case from the questionnaire.
//!
//! Invariants: a draft belongs to one case and is read only through it
//! ([`Db::work_rules_draft`] takes the case's id too); it keeps the answers
//! it was made from (JSON, as the application wrote them) and the SHA-256 of
//! the file made, so the same document can be made again; a case holds at
//! most [`MAX_DRAFTS_PER_CASE`] drafts. Making a draft is audited on its case
//! as `case.work_rules_draft`, recording the adoption of one (the day the
//! employer says the rules were adopted) as `case.work_rules_adopt`, each in
//! the write's own transaction.

use crate::audit::audit;
use crate::{now_text, CaseId, Db, Result, StoreError, UserId};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::Row;

/// How many drafts one case may hold.
pub const MAX_DRAFTS_PER_CASE: i64 = 100;

pub use crate::ids::WorkRulesDraftId;

/// A stored draft.
#[derive(Clone, Debug, Serialize)]
pub struct WorkRulesDraft {
    pub id: WorkRulesDraftId,
    pub case_id: CaseId,
    /// Its place among the case's drafts, from 1 (第1版, 第2版, …).
    pub number: i64,
    /// The questionnaire's answers it was made from.
    pub answers: Value,
    pub file_sha256: String,
    pub created_by: UserId,
    /// The display name of who made it.
    pub created_by_name: String,
    pub created_at: String,
    /// The day the employer says the rules were adopted (ISO), once confirmed.
    pub adopted_on: Option<String>,
    pub adopted_by: Option<UserId>,
    pub adopted_at: Option<String>,
}

const COLUMNS: &str = "d.id, d.case_id, d.answers_json, d.file_sha256, d.created_by, d.created_at, d.adopted_on, d.adopted_by, d.adopted_at, u.display_name";

fn draft_from(r: &sqlx::any::AnyRow, number: i64) -> Result<WorkRulesDraft> {
    let answers: String = r.try_get("answers_json")?;
    let answers = serde_json::from_str(&answers).map_err(|e| {
        StoreError::Db(sqlx::Error::Decode(
            format!("work rules draft answers: {e}").into(),
        ))
    })?;
    Ok(WorkRulesDraft {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        number,
        answers,
        file_sha256: r.try_get("file_sha256")?,
        created_by: r.try_get("created_by")?,
        created_by_name: r
            .try_get::<Option<String>, _>("display_name")?
            .unwrap_or_default(),
        created_at: r.try_get("created_at")?,
        adopted_on: r.try_get("adopted_on")?,
        adopted_by: r.try_get("adopted_by")?,
        adopted_at: r.try_get("adopted_at")?,
    })
}

impl Db {
    /// Stores a draft of case `case_id` made by `by` from `answers`, its
    /// file hashing to `file_sha256`; audited as `case.work_rules_draft`.
    /// A case that holds [`MAX_DRAFTS_PER_CASE`] drafts already: `Conflict`.
    pub async fn create_work_rules_draft(
        &self,
        case_id: CaseId,
        answers: &Value,
        file_sha256: &str,
        by: UserId,
    ) -> Result<WorkRulesDraft> {
        let now = now_text();
        let mut tx = self.pool.begin().await?;
        let held: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM work_rules_drafts WHERE case_id = $1")
                .bind(case_id)
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
        if held >= MAX_DRAFTS_PER_CASE {
            return Err(StoreError::Conflict(format!(
                "テレワーク勤務規程の案は、1件の申請につき{MAX_DRAFTS_PER_CASE}件まで作れます"
            )));
        }
        let row = sqlx::query("INSERT INTO work_rules_drafts (case_id, answers_json, file_sha256, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(case_id)
            .bind(answers.to_string())
            .bind(file_sha256)
            .bind(by)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
        let id: WorkRulesDraftId = row.try_get("id")?;
        audit(
            &mut tx,
            Some(by),
            "case.work_rules_draft",
            "case",
            &case_id.to_string(),
            None,
            Some(&json!({"draft": id, "number": held + 1, "file_sha256": file_sha256, "answers": answers})),
        )
        .await?;
        tx.commit().await?;
        self.work_rules_draft(case_id, id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The drafts of case `case_id`, oldest first (numbered from 1).
    pub async fn work_rules_drafts(&self, case_id: CaseId) -> Result<Vec<WorkRulesDraft>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM work_rules_drafts d LEFT JOIN users u ON u.id = d.created_by WHERE d.case_id = $1 ORDER BY d.id"
        ))
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .enumerate()
            .map(|(i, r)| draft_from(r, i as i64 + 1))
            .collect()
    }

    /// Draft `id` of case `case_id`; `None` when it is not one of the case's.
    pub async fn work_rules_draft(
        &self,
        case_id: CaseId,
        id: WorkRulesDraftId,
    ) -> Result<Option<WorkRulesDraft>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS}, (SELECT COUNT(*) FROM work_rules_drafts e WHERE e.case_id = d.case_id AND e.id <= d.id) AS number \
             FROM work_rules_drafts d LEFT JOIN users u ON u.id = d.created_by WHERE d.case_id = $1 AND d.id = $2"
        ))
        .bind(case_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let number: i64 = r.try_get("number")?;
            draft_from(&r, number)
        })
        .transpose()
    }

    /// Records that draft `id` of case `case_id` was adopted on `on` (ISO),
    /// as `by` confirmed; audited as `case.work_rules_adopt` with the day
    /// recorded before. Any other draft of the case marked adopted before is
    /// no longer (one set of rules is in force).
    pub async fn adopt_work_rules_draft(
        &self,
        case_id: CaseId,
        id: WorkRulesDraftId,
        on: &str,
        by: UserId,
    ) -> Result<()> {
        let now = now_text();
        let mut tx = self.pool.begin().await?;
        let before: Option<String> =
            sqlx::query("SELECT adopted_on FROM work_rules_drafts WHERE case_id = $1 AND id = $2")
                .bind(case_id)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?
                .try_get("adopted_on")?;
        sqlx::query("UPDATE work_rules_drafts SET adopted_on = NULL, adopted_by = NULL, adopted_at = NULL WHERE case_id = $1 AND id <> $2")
            .bind(case_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE work_rules_drafts SET adopted_on = $1, adopted_by = $2, adopted_at = $3 WHERE case_id = $4 AND id = $5")
            .bind(on)
            .bind(by)
            .bind(&now)
            .bind(case_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(by),
            "case.work_rules_adopt",
            "case",
            &case_id.to_string(),
            Some(&json!({"draft": id, "adopted_on": before})),
            Some(&json!({"draft": id, "adopted_on": on})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
