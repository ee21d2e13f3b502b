//! `cases`: one application (a case) of an organisation, its status and the
//! dates its workflow owns.
//!
//! Invariants: `status` is one of [`Status`] (a CHECK since version 7);
//! every change bumps `version` and is refused when the caller's version is
//! stale (optimistic concurrency); every change writes its audit entry and
//! marks the case's snapshot dirty in the same transaction. A case's input
//! records live in the tables of `case_inputs`.

use crate::audit::audit;
use crate::decisions::insert_decision;
use crate::{
    now_text, snapshots, CaseId, Db, Decision, NewDecision, OrganizationId, Result, Status,
    StoreError, UserId,
};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// Which cases a user may see.
#[derive(Clone, Debug)]
pub enum Scope {
    All,
    Organizations(Vec<OrganizationId>),
    /// A labour bureau: its prefecture's cases, drafts excluded.
    Prefecture(i64),
}

/// A case's row (its child records are read by [`Db::case_document`]).
#[derive(Clone, Debug, Serialize)]
pub struct CaseRow {
    pub id: CaseId,
    pub organization_id: OrganizationId,
    pub prefecture: i64,
    pub title: String,
    pub status: Status,
    pub version: i64,
    pub regime: Option<String>,
    pub submitted_on: Option<String>,
    pub certified_on: Option<String>,
    pub work_rules_established_on: Option<String>,
    pub evaluation_start: Option<String>,
    pub equipment_application_filed_on: Option<String>,
    pub goal_application_filed_on: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip)]
    pub(crate) employer_json: String,
    #[serde(skip)]
    pub(crate) productivity_json: Option<String>,
    pub climate_top_message_on: Option<String>,
    pub climate_case_sharing_on: Option<String>,
    pub telework_before_count: Option<i64>,
    #[serde(skip)]
    pub(crate) wage_increase_json: Option<String>,
}

pub(crate) const CASE_COLUMNS: &str = "c.id, c.organization_id, o.prefecture, c.title, c.status, c.version, c.regime, c.submitted_on, c.certified_on, c.work_rules_established_on, c.evaluation_start, c.equipment_application_filed_on, c.goal_application_filed_on, c.created_at, c.updated_at, c.employer_json, c.productivity_json, c.climate_top_message_on, c.climate_case_sharing_on, c.telework_before_count, c.wage_increase_json";

pub(crate) fn case_from(r: &AnyRow) -> Result<CaseRow> {
    let status: String = r.try_get("status")?;
    Ok(CaseRow {
        id: r.try_get("id")?,
        organization_id: r.try_get("organization_id")?,
        prefecture: r.try_get("prefecture")?,
        title: r.try_get("title")?,
        // A status this version does not know is a damaged row, never a draft.
        status: Status::parse(&status).ok_or_else(|| {
            StoreError::Db(sqlx::Error::Decode(
                format!("case has an unknown status {status:?}").into(),
            ))
        })?,
        version: r.try_get("version")?,
        regime: r.try_get("regime")?,
        submitted_on: r.try_get("submitted_on")?,
        certified_on: r.try_get("certified_on")?,
        work_rules_established_on: r.try_get("work_rules_established_on")?,
        evaluation_start: r.try_get("evaluation_start")?,
        equipment_application_filed_on: r.try_get("equipment_application_filed_on")?,
        goal_application_filed_on: r.try_get("goal_application_filed_on")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        employer_json: r.try_get("employer_json")?,
        productivity_json: r.try_get("productivity_json")?,
        climate_top_message_on: r.try_get("climate_top_message_on")?,
        climate_case_sharing_on: r.try_get("climate_case_sharing_on")?,
        telework_before_count: r.try_get("telework_before_count")?,
        wage_increase_json: r.try_get("wage_increase_json")?,
    })
}

/// What a workflow step changes besides the status.
#[derive(Clone, Debug, Default)]
pub struct StepChanges {
    /// Date columns to set: `submitted_on`, `certified_on`, `equipment_application_filed_on`, `goal_application_filed_on`, `regime`.
    pub set: Vec<(&'static str, Option<String>)>,
    pub decision: Option<NewDecision>,
    pub reason: Option<String>,
    /// The day the step is taken as the application counts days (the
    /// training clock's today), kept in its audit entry as `on`: what the
    /// pages show as the day of a return or a certification.
    pub on: Option<String>,
}

/// The inputs a decided or filed application rests on that `after` would
/// change, by their Japanese names. Once the first subsidy is filed, its basis
/// (expenses, the evaluation period, the work rules, 職場風土作り, the measures,
/// the growth count, and the telework records up to the filing day) is fixed;
/// changing it needs an explicit amendment with a reason.
pub fn locked_changes(case: &CaseRow, before: &Value, after: &Value) -> Vec<&'static str> {
    let Some(filed) = case.equipment_application_filed_on.as_deref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, label) in [
        ("expenses", "経費"),
        ("evaluation_start", "評価期間の初日"),
        ("work_rules_established_on", "就業規則等の整備日"),
        ("workplace_climate", "職場風土作り"),
        ("measures", "取組"),
        ("telework_before_count", "拡大前の実施回数"),
    ] {
        let (a, b) = (before.get(key), after.get(key));
        let empty = |v: Option<&Value>| {
            v.is_none_or(|v| v.is_null() || v.as_array().is_some_and(|a| a.is_empty()))
        };
        if a != b && !(empty(a) && empty(b)) {
            out.push(label);
        }
    }
    // Telework records up to the filing day (evaluation period 1).
    let early = |doc: &Value| -> Vec<Value> {
        let mut v: Vec<Value> = doc["telework"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|d| d["date"].as_str().is_some_and(|x| x <= filed))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        v.sort_by_key(|d| (d["date"].to_string(), d["worker"].to_string()));
        v
    };
    if early(before) != early(after) {
        out.push("申請済みの期間のテレワーク実績");
    }
    out
}

/// The conflict of a write made from a version the case has left, in words
/// a person reads on the page (no ids, no version numbers).
pub(crate) fn stale() -> StoreError {
    StoreError::Conflict(
        "この申請は、画面を開いた後にほかの方が更新しました。ページを読み込み直して最新の内容を確かめてから、もう一度操作してください"
            .to_string(),
    )
}

/// The case's row as the transaction sees it.
pub(crate) async fn case_in_tx(tx: &mut Transaction<'_, Any>, id: CaseId) -> Result<CaseRow> {
    let sql = format!("SELECT {CASE_COLUMNS} FROM cases c JOIN organizations o ON o.id = c.organization_id WHERE c.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_one(&mut **tx).await?;
    case_from(&row)
}

impl Db {
    pub async fn create_case(
        &self,
        organization_id: OrganizationId,
        title: &str,
        by: UserId,
    ) -> Result<CaseRow> {
        let org = self
            .org(organization_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        let now = now_text();
        let row = sqlx::query("INSERT INTO cases (organization_id, title, status, version, employer_json, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $5, $6) RETURNING id")
            .bind(organization_id)
            .bind(title)
            .bind(Status::Draft.as_str())
            .bind(org.employer.to_string())
            .bind(&now)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
        let id: CaseId = row.try_get("id")?;
        audit(
            &mut tx,
            Some(by),
            "case.create",
            "case",
            &id.to_string(),
            None,
            Some(&json!({"organization_id": organization_id, "title": title, "status": "draft"})),
        )
        .await?;
        snapshots::mark_stale(&mut tx, id).await?;
        tx.commit().await?;
        self.case(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn case(&self, id: CaseId) -> Result<Option<CaseRow>> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases c JOIN organizations o ON o.id = c.organization_id WHERE c.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(case_from).transpose()
    }

    /// Every case in `scope`, newest first.
    pub async fn cases(&self, scope: &Scope) -> Result<Vec<CaseRow>> {
        let base = format!(
            "SELECT {CASE_COLUMNS} FROM cases c JOIN organizations o ON o.id = c.organization_id"
        );
        let rows = match scope {
            Scope::All => {
                sqlx::query(&format!("{base} ORDER BY c.id DESC"))
                    .fetch_all(&self.pool)
                    .await?
            }
            // A labour bureau never sees an employer's draft.
            Scope::Prefecture(p) => {
                sqlx::query(&format!(
                    "{base} WHERE o.prefecture = $1 AND c.status <> 'draft' ORDER BY c.id DESC"
                ))
                .bind(*p)
                .fetch_all(&self.pool)
                .await?
            }
            Scope::Organizations(ids) if ids.is_empty() => Vec::new(),
            Scope::Organizations(ids) => {
                let list = ids
                    .iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(",");
                sqlx::query(&format!(
                    "{base} WHERE c.organization_id IN ({list}) ORDER BY c.id DESC"
                ))
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(case_from).collect()
    }

    /// Moves the case to `to` if it is at `expected_version` and in one of
    /// `from`, setting the given columns and recording a decision, in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn step(
        &self,
        case_id: CaseId,
        expected_version: i64,
        from: &[Status],
        to: Status,
        action: &str,
        changes: StepChanges,
        by: UserId,
    ) -> Result<(CaseRow, Option<Decision>)> {
        let before = self.case(case_id).await?.ok_or(StoreError::NotFound)?;
        if !from.contains(&before.status) {
            return Err(StoreError::Conflict(format!(
                "状態 {} では {action} できません",
                before.status.label_ja()
            )));
        }
        let mut changes = changes;
        if let Some(day) = crate::queue::received_on(to, &changes) {
            changes.set.push(("received_on", Some(day)));
        }
        let mut tx = self.pool.begin().await?;
        let mut sql =
            String::from("UPDATE cases SET version = version + 1, status = $1, updated_at = $2");
        for (i, (col, _)) in changes.set.iter().enumerate() {
            sql.push_str(&format!(", {col} = ${}", i + 3));
        }
        let n = changes.set.len();
        sql.push_str(&format!(
            " WHERE id = ${} AND version = ${} AND status = ${}",
            n + 3,
            n + 4,
            n + 5
        ));
        let mut q = sqlx::query(&sql).bind(to.as_str()).bind(now_text());
        for (_, v) in &changes.set {
            q = q.bind(v.clone());
        }
        let done = q
            .bind(case_id)
            .bind(expected_version)
            .bind(before.status.as_str())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(stale());
        }
        let mut decision_id = None;
        if let Some(d) = &changes.decision {
            decision_id = Some(insert_decision(&mut tx, case_id, d, by).await?);
        }
        let before_json = json!({"status": before.status.as_str(), "version": before.version});
        let mut after_json =
            json!({"status": to.as_str(), "version": before.version + 1, "reason": changes.reason});
        for (col, v) in &changes.set {
            after_json[*col] = json!(v);
        }
        if let Some(id) = decision_id {
            after_json["decision_id"] = json!(id);
        }
        if let Some(on) = &changes.on {
            after_json["on"] = json!(on);
        }
        audit(
            &mut tx,
            Some(by),
            &format!("case.{action}"),
            "case",
            &case_id.to_string(),
            Some(&before_json),
            Some(&after_json),
        )
        .await?;
        snapshots::mark_stale(&mut tx, case_id).await?;
        tx.commit().await?;
        let case = self.case(case_id).await?.ok_or(StoreError::NotFound)?;
        let decision = match decision_id {
            Some(id) => self
                .decisions(case_id)
                .await?
                .into_iter()
                .find(|d| d.id == id),
            None => None,
        };
        Ok((case, decision))
    }
}
