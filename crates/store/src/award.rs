//! 輝くテレワーク賞 (テレワーク推進企業等厚生労働大臣表彰): `award_rounds`,
//! `award_applications`, `award_reviews`, `award_scores` (migration 0019).
//!
//! Invariants: one round per fiscal year, whose status only moves forward
//! (募集中 → 審査中 → 結果公表済み); one application per organisation and
//! round, changed only while it is a draft (a submitted one is final); one
//! review per judge and application, which starts with the judge's
//! declaration of conflict of interest and carries scores only when the
//! judge declared none (the store refuses scores otherwise); each score is
//! 1–5 (CHECK). Every write is audited in its own transaction: a round on
//! the entity `setting` (`award_round.{年度}`: `award.round_create`,
//! `award.round_status`, `award.results_publish`), an application, a review
//! and a result on the applicant's `organization` (`award.application_save`,
//! `award.application_submit`, `award.conflict_declare`,
//! `award.review_save`, `award.result_decide`), the application's id in the
//! entry's values.

use crate::audit::audit;
use crate::{now_text, Db, OrganizationId, Result, StoreError, UserId};
use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

pub use crate::ids::{AwardApplicationId, AwardRoundId};

string_enum! {
    /// Where a round is: 募集中, 審査中, 結果公表済み (only forward).
    "award round status", AwardRoundStatus {
        Accepting = "accepting",
        Screening = "screening",
        Published = "published",
    }
}

string_enum! {
    /// An application: a draft the applicant may change, or submitted (final).
    "award application status", AwardApplicationStatus {
        Draft = "draft",
        Submitted = "submitted",
    }
}

string_enum! {
    /// The result an administrator decides for a submitted application.
    "award result", AwardResult {
        /// 厚生労働大臣賞「優秀賞」.
        Excellence = "excellence",
        /// 厚生労働大臣賞「特別奨励賞」.
        Encouragement = "encouragement",
        /// 選外.
        NotSelected = "not_selected",
    }
}

string_enum! {
    /// The criteria a judge scores (the keys; their meaning is
    /// `josei_app::award::CRITERIA`).
    "award criterion", AwardCriterion {
        Leadership = "leadership",
        System = "system",
        Practice = "practice",
        Outcome = "outcome",
        Spread = "spread",
    }
}

/// A round of the award.
#[derive(Clone, Debug, Serialize)]
pub struct AwardRound {
    pub id: AwardRoundId,
    /// The fiscal year (2026 = 令和8年度).
    pub fiscal_year: i64,
    pub opens_on: Date,
    pub closes_on: Date,
    pub status: AwardRoundStatus,
    pub published_on: Option<Date>,
}

/// An application, with its organisation's name and its round.
#[derive(Clone, Debug, Serialize)]
pub struct AwardApplication {
    pub id: AwardApplicationId,
    pub round_id: AwardRoundId,
    pub fiscal_year: i64,
    pub round_status: AwardRoundStatus,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub status: AwardApplicationStatus,
    /// 導入の経緯.
    pub background: String,
    /// 取組内容.
    pub practices: String,
    /// 成果.
    pub outcomes: String,
    /// 常時雇用する労働者の数.
    pub workers: Option<i64>,
    /// テレワークを実施した労働者の数.
    pub teleworkers: Option<i64>,
    /// テレワークを実施した延べ日数.
    pub telework_days: Option<i64>,
    pub result: Option<AwardResult>,
    pub updated_at: String,
    pub submitted_at: Option<String>,
}

/// What an applicant writes (checked by the application layer).
#[derive(Clone, Debug, Default, Serialize)]
pub struct AwardDraft {
    pub background: String,
    pub practices: String,
    pub outcomes: String,
    pub workers: Option<i64>,
    pub teleworkers: Option<i64>,
    pub telework_days: Option<i64>,
}

/// A judge's review of one application.
#[derive(Clone, Debug, Serialize)]
pub struct AwardReview {
    pub application_id: AwardApplicationId,
    pub judge_id: UserId,
    /// 利害関係あり: the judge may not score.
    pub conflict: bool,
    pub comment: String,
    /// The scores given, in the criteria's order (empty until scored).
    pub scores: Vec<(AwardCriterion, i64)>,
    pub scored_at: Option<String>,
}

/// One judge's review of one application of a round, for the overview
/// (a row per score; a review without scores has one row with `None`).
#[derive(Clone, Debug)]
pub struct AwardScoreRow {
    pub application_id: AwardApplicationId,
    pub judge_id: UserId,
    pub conflict: bool,
    pub scored: bool,
    pub score: Option<(AwardCriterion, i64)>,
}

fn date_of(s: &str) -> Result<Date> {
    s.parse::<Date>().map_err(|e| {
        StoreError::Db(sqlx::Error::Decode(
            format!("award: unreadable date {s:?}: {e}").into(),
        ))
    })
}

fn round_from(r: &AnyRow) -> Result<AwardRound> {
    Ok(AwardRound {
        id: r.try_get("id")?,
        fiscal_year: r.try_get("fiscal_year")?,
        opens_on: date_of(&r.try_get::<String, _>("opens_on")?)?,
        closes_on: date_of(&r.try_get::<String, _>("closes_on")?)?,
        status: AwardRoundStatus::from_column(&r.try_get::<String, _>("status")?)?,
        published_on: r
            .try_get::<Option<String>, _>("published_on")?
            .map(|s| date_of(&s))
            .transpose()?,
    })
}

const APPLICATION_SELECT: &str = "SELECT a.id, a.round_id, r.fiscal_year, r.status AS round_status, \
     a.organization_id, o.name AS organization_name, a.status, a.background, a.practices, a.outcomes, \
     a.workers, a.teleworkers, a.telework_days, a.result, a.updated_at, a.submitted_at \
     FROM award_applications a JOIN award_rounds r ON r.id = a.round_id \
     JOIN organizations o ON o.id = a.organization_id";

fn application_from(r: &AnyRow) -> Result<AwardApplication> {
    Ok(AwardApplication {
        id: r.try_get("id")?,
        round_id: r.try_get("round_id")?,
        fiscal_year: r.try_get("fiscal_year")?,
        round_status: AwardRoundStatus::from_column(&r.try_get::<String, _>("round_status")?)?,
        organization_id: r.try_get("organization_id")?,
        organization_name: r.try_get("organization_name")?,
        status: AwardApplicationStatus::from_column(&r.try_get::<String, _>("status")?)?,
        background: r.try_get("background")?,
        practices: r.try_get("practices")?,
        outcomes: r.try_get("outcomes")?,
        workers: r.try_get("workers")?,
        teleworkers: r.try_get("teleworkers")?,
        telework_days: r.try_get("telework_days")?,
        result: r
            .try_get::<Option<String>, _>("result")?
            .map(|s| AwardResult::from_column(&s))
            .transpose()?,
        updated_at: r.try_get("updated_at")?,
        submitted_at: r.try_get("submitted_at")?,
    })
}

fn round_entity(fiscal_year: i64) -> String {
    format!("award_round.{fiscal_year}")
}

impl Db {
    /// Every round, the latest fiscal year first.
    pub async fn award_rounds(&self) -> Result<Vec<AwardRound>> {
        sqlx::query("SELECT * FROM award_rounds ORDER BY fiscal_year DESC")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(round_from)
            .collect()
    }

    pub async fn award_round(&self, id: AwardRoundId) -> Result<Option<AwardRound>> {
        sqlx::query("SELECT * FROM award_rounds WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(round_from)
            .transpose()
    }

    /// Opens the round of `fiscal_year` for applications from `opens_on` to
    /// `closes_on`; audited (`award.round_create`). A second round of the
    /// same year is a conflict.
    pub async fn create_award_round(
        &self,
        fiscal_year: i64,
        opens_on: Date,
        closes_on: Date,
        by: UserId,
    ) -> Result<AwardRoundId> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO award_rounds (fiscal_year, opens_on, closes_on, status, created_at) VALUES ($1, $2, $3, 'accepting', $4) RETURNING id")
            .bind(fiscal_year)
            .bind(opens_on.to_string())
            .bind(closes_on.to_string())
            .bind(now_text())
            .fetch_one(&mut *tx)
            .await?;
        let id: AwardRoundId = row.try_get("id")?;
        audit(
            &mut tx,
            Some(by),
            "award.round_create",
            "setting",
            &round_entity(fiscal_year),
            None,
            Some(&json!({"round_id": id, "opens_on": opens_on.to_string(), "closes_on": closes_on.to_string()})),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Moves the round from `from` to `to` (on `on` when `to` is published);
    /// a round no longer in `from` is a conflict. Audited
    /// (`award.round_status`, or `award.results_publish`).
    pub async fn set_award_round_status(
        &self,
        id: AwardRoundId,
        from: AwardRoundStatus,
        to: AwardRoundStatus,
        on: Date,
        by: UserId,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let fiscal_year: i64 = sqlx::query("SELECT fiscal_year FROM award_rounds WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_get("fiscal_year")?;
        let published = (to == AwardRoundStatus::Published).then(|| on.to_string());
        let done = sqlx::query(
            "UPDATE award_rounds SET status = $1, published_on = $2 WHERE id = $3 AND status = $4",
        )
        .bind(to.as_str())
        .bind(&published)
        .bind(id)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "この回の状態は既に変わっています。画面を読み込み直してください".into(),
            ));
        }
        let action = if to == AwardRoundStatus::Published {
            "award.results_publish"
        } else {
            "award.round_status"
        };
        audit(
            &mut tx,
            Some(by),
            action,
            "setting",
            &round_entity(fiscal_year),
            Some(&json!({"round_id": id, "status": from.as_str()})),
            Some(&json!({"round_id": id, "status": to.as_str(), "on": on.to_string()})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn award_application(
        &self,
        id: AwardApplicationId,
    ) -> Result<Option<AwardApplication>> {
        sqlx::query(&format!("{APPLICATION_SELECT} WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(application_from)
            .transpose()
    }

    /// The application of `org` to `round`, if any.
    pub async fn award_application_of(
        &self,
        round: AwardRoundId,
        org: OrganizationId,
    ) -> Result<Option<AwardApplication>> {
        sqlx::query(&format!(
            "{APPLICATION_SELECT} WHERE a.round_id = $1 AND a.organization_id = $2"
        ))
        .bind(round)
        .bind(org)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(application_from)
        .transpose()
    }

    /// The applications of the organisations `orgs`, the latest round first.
    pub async fn award_applications_of_orgs(
        &self,
        orgs: &[OrganizationId],
    ) -> Result<Vec<AwardApplication>> {
        if orgs.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=orgs.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "{APPLICATION_SELECT} WHERE a.organization_id IN ({}) ORDER BY r.fiscal_year DESC, o.name, a.id",
            marks.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for o in orgs {
            q = q.bind(*o);
        }
        q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(application_from)
            .collect()
    }

    /// The submitted applications of `round` (never a draft), by name.
    pub async fn award_submitted_in_round(
        &self,
        round: AwardRoundId,
    ) -> Result<Vec<AwardApplication>> {
        sqlx::query(&format!(
            "{APPLICATION_SELECT} WHERE a.round_id = $1 AND a.status = 'submitted' ORDER BY o.name, a.id"
        ))
        .bind(round)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(application_from)
        .collect()
    }

    /// The submitted applications of the rounds in `status`, the latest
    /// round first.
    pub async fn award_submitted_in_rounds(
        &self,
        status: AwardRoundStatus,
    ) -> Result<Vec<AwardApplication>> {
        sqlx::query(&format!(
            "{APPLICATION_SELECT} WHERE r.status = $1 AND a.status = 'submitted' ORDER BY r.fiscal_year DESC, o.name, a.id"
        ))
        .bind(status.as_str())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(application_from)
        .collect()
    }

    /// The winners of published rounds (優秀賞 and 特別奨励賞), the latest
    /// year first, 優秀賞 before 特別奨励賞.
    pub async fn award_winners(&self) -> Result<Vec<AwardApplication>> {
        sqlx::query(&format!(
            "{APPLICATION_SELECT} WHERE r.status = 'published' AND a.status = 'submitted' \
             AND a.result IN ('excellence', 'encouragement') \
             ORDER BY r.fiscal_year DESC, CASE a.result WHEN 'excellence' THEN 0 ELSE 1 END, o.name, a.id"
        ))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(application_from)
        .collect()
    }

    /// Writes the draft of `org` for `round` (created on first save), and
    /// submits it when `submit`; a submitted application is final (a
    /// conflict). Audited (`award.application_save` or
    /// `award.application_submit`).
    pub async fn save_award_application(
        &self,
        round: AwardRoundId,
        org: OrganizationId,
        draft: &AwardDraft,
        submit: bool,
        by: UserId,
    ) -> Result<AwardApplicationId> {
        let now = now_text();
        let mut tx = self.pool.begin().await?;
        let existing = sqlx::query(
            "SELECT id, status FROM award_applications WHERE round_id = $1 AND organization_id = $2",
        )
        .bind(round)
        .bind(org)
        .fetch_optional(&mut *tx)
        .await?;
        let status = if submit { "submitted" } else { "draft" };
        let submitted_at = submit.then(|| now.clone());
        let id: AwardApplicationId = match existing {
            Some(r) => {
                let id: AwardApplicationId = r.try_get("id")?;
                let done = sqlx::query("UPDATE award_applications SET background = $1, practices = $2, outcomes = $3, workers = $4, teleworkers = $5, telework_days = $6, status = $7, submitted_at = $8, updated_at = $9 WHERE id = $10 AND status = 'draft'")
                    .bind(&draft.background)
                    .bind(&draft.practices)
                    .bind(&draft.outcomes)
                    .bind(draft.workers)
                    .bind(draft.teleworkers)
                    .bind(draft.telework_days)
                    .bind(status)
                    .bind(&submitted_at)
                    .bind(&now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Conflict(
                        "この応募は既に提出されているため、変更できません".into(),
                    ));
                }
                id
            }
            None => sqlx::query("INSERT INTO award_applications (round_id, organization_id, status, background, practices, outcomes, workers, teleworkers, telework_days, created_by, created_at, updated_at, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id")
                .bind(round)
                .bind(org)
                .bind(status)
                .bind(&draft.background)
                .bind(&draft.practices)
                .bind(&draft.outcomes)
                .bind(draft.workers)
                .bind(draft.teleworkers)
                .bind(draft.telework_days)
                .bind(by)
                .bind(&now)
                .bind(&now)
                .bind(&submitted_at)
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?,
        };
        audit(
            &mut tx,
            Some(by),
            if submit {
                "award.application_submit"
            } else {
                "award.application_save"
            },
            "organization",
            &org.to_string(),
            None,
            Some(&json!({"award_application_id": id, "round_id": round, "status": status, "application": draft})),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The review of `application` by `judge`, with its scores.
    pub async fn award_review(
        &self,
        application: AwardApplicationId,
        judge: UserId,
    ) -> Result<Option<AwardReview>> {
        let Some(r) = sqlx::query("SELECT id, conflict, comment, scored_at FROM award_reviews WHERE application_id = $1 AND judge_id = $2")
            .bind(application)
            .bind(judge)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let review_id: i64 = r.try_get("id")?;
        let mut scores = Vec::new();
        for s in sqlx::query("SELECT criterion, score FROM award_scores WHERE review_id = $1")
            .bind(review_id)
            .fetch_all(&self.pool)
            .await?
        {
            scores.push((
                AwardCriterion::from_column(&s.try_get::<String, _>("criterion")?)?,
                s.try_get::<i64, _>("score")?,
            ));
        }
        scores.sort_by_key(|(c, _)| AwardCriterion::ALL.iter().position(|x| x == c));
        Ok(Some(AwardReview {
            application_id: application,
            judge_id: judge,
            conflict: r.try_get::<i64, _>("conflict")? != 0,
            comment: r.try_get("comment")?,
            scores,
            scored_at: r.try_get("scored_at")?,
        }))
    }

    /// Records `judge`'s declaration on `application`: `conflict` (利害関係
    /// あり) or none. Once only (a second one is a conflict). Audited
    /// (`award.conflict_declare`).
    pub async fn declare_award_conflict(
        &self,
        application: AwardApplicationId,
        judge: UserId,
        conflict: bool,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let org: OrganizationId =
            sqlx::query("SELECT organization_id FROM award_applications WHERE id = $1")
                .bind(application)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?
                .try_get("organization_id")?;
        let clash =
            sqlx::query("SELECT id FROM award_reviews WHERE application_id = $1 AND judge_id = $2")
                .bind(application)
                .bind(judge)
                .fetch_optional(&mut *tx)
                .await?;
        if clash.is_some() {
            return Err(StoreError::Conflict(
                "利害関係の申告は既に済んでいます".into(),
            ));
        }
        sqlx::query("INSERT INTO award_reviews (application_id, judge_id, conflict, comment, declared_at) VALUES ($1, $2, $3, '', $4)")
            .bind(application)
            .bind(judge)
            .bind(i64::from(conflict))
            .bind(now_text())
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(judge),
            "award.conflict_declare",
            "organization",
            &org.to_string(),
            None,
            Some(&json!({"award_application_id": application, "conflict": conflict})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores `judge`'s scores and comment on `application`, replacing the
    /// ones before. Refused (a conflict) unless the judge declared no
    /// conflict of interest first. Audited (`award.review_save`).
    pub async fn save_award_review(
        &self,
        application: AwardApplicationId,
        judge: UserId,
        scores: &[(AwardCriterion, i64)],
        comment: &str,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let org: OrganizationId =
            sqlx::query("SELECT organization_id FROM award_applications WHERE id = $1")
                .bind(application)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?
                .try_get("organization_id")?;
        let review = sqlx::query(
            "SELECT id, conflict FROM award_reviews WHERE application_id = $1 AND judge_id = $2",
        )
        .bind(application)
        .bind(judge)
        .fetch_optional(&mut *tx)
        .await?;
        let review_id: i64 = match review {
            Some(r) if r.try_get::<i64, _>("conflict")? == 0 => r.try_get("id")?,
            _ => {
                return Err(StoreError::Conflict(
                    "利害関係がないことを申告した審査員だけが採点できます".into(),
                ))
            }
        };
        let before: Vec<(String, i64)> =
            sqlx::query("SELECT criterion, score FROM award_scores WHERE review_id = $1")
                .bind(review_id)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("criterion")?, r.try_get("score")?)))
                .collect::<Result<_>>()?;
        sqlx::query("DELETE FROM award_scores WHERE review_id = $1")
            .bind(review_id)
            .execute(&mut *tx)
            .await?;
        for (c, s) in scores {
            sqlx::query(
                "INSERT INTO award_scores (review_id, criterion, score) VALUES ($1, $2, $3)",
            )
            .bind(review_id)
            .bind(c.as_str())
            .bind(*s)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE award_reviews SET comment = $1, scored_at = $2 WHERE id = $3")
            .bind(comment)
            .bind(now_text())
            .bind(review_id)
            .execute(&mut *tx)
            .await?;
        let as_map = |v: Vec<(String, i64)>| -> serde_json::Map<String, serde_json::Value> {
            v.into_iter().map(|(c, s)| (c, json!(s))).collect()
        };
        audit(
            &mut tx,
            Some(judge),
            "award.review_save",
            "organization",
            &org.to_string(),
            Some(&json!({"award_application_id": application, "scores": as_map(before)})),
            Some(&json!({
                "award_application_id": application,
                "scores": as_map(scores.iter().map(|(c, s)| (c.as_str().to_string(), *s)).collect()),
                "comment": comment,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every review of the submitted applications of `round` (a row per
    /// score), for the administrators' overview.
    pub async fn award_score_rows(&self, round: AwardRoundId) -> Result<Vec<AwardScoreRow>> {
        sqlx::query(
            "SELECT v.application_id, v.judge_id, v.conflict, v.scored_at, s.criterion, s.score \
             FROM award_reviews v JOIN award_applications a ON a.id = v.application_id \
             LEFT JOIN award_scores s ON s.review_id = v.id \
             WHERE a.round_id = $1 AND a.status = 'submitted' ORDER BY v.application_id, v.judge_id",
        )
        .bind(round)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let criterion: Option<String> = r.try_get("criterion")?;
            let score: Option<i64> = r.try_get("score")?;
            Ok(AwardScoreRow {
                application_id: r.try_get("application_id")?,
                judge_id: r.try_get("judge_id")?,
                conflict: r.try_get::<i64, _>("conflict")? != 0,
                scored: r.try_get::<Option<String>, _>("scored_at")?.is_some(),
                score: match (criterion, score) {
                    (Some(c), Some(s)) => Some((AwardCriterion::from_column(&c)?, s)),
                    _ => None,
                },
            })
        })
        .collect()
    }

    /// Sets (or clears) the result of a submitted application of a round
    /// under screening. Audited (`award.result_decide`).
    pub async fn decide_award_result(
        &self,
        application: AwardApplicationId,
        result: Option<AwardResult>,
        by: UserId,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("SELECT a.organization_id, a.result FROM award_applications a JOIN award_rounds r ON r.id = a.round_id WHERE a.id = $1 AND a.status = 'submitted' AND r.status = 'screening'")
            .bind(application)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::Conflict("審査中の回の提出済みの応募だけ、結果を決められます".into()))?;
        let org: OrganizationId = row.try_get("organization_id")?;
        let before: Option<String> = row.try_get("result")?;
        sqlx::query("UPDATE award_applications SET result = $1 WHERE id = $2")
            .bind(result.map(AwardResult::as_str))
            .bind(application)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(by),
            "award.result_decide",
            "organization",
            &org.to_string(),
            Some(&json!({"award_application_id": application, "result": before})),
            Some(&json!({"award_application_id": application, "result": result.map(AwardResult::as_str)})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
