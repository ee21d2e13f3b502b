//! `organizations`: the employers, with the `employer` attributes of the case
//! format.
//!
//! Invariants: `prefecture` is 1–47 (the labour bureau in charge);
//! `industry` and `telework_status` hold the names of the engine's
//! `Industry` and `TeleworkStatus`, and the three flags are 0/1 (CHECKs since
//! version 7). Callers validate the `employer` object before it is stored.
//! Every creation writes its audit entry in the same transaction.

use crate::audit::audit;
use crate::{now_text, opt_str, Db, OrganizationId, Result, StoreError, UserId};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::Row;

/// An organisation (employer), with its attributes from the case format.
#[derive(Clone, Debug, Serialize)]
pub struct Organization {
    pub id: OrganizationId,
    pub name: String,
    /// JIS X 0401 prefecture code, 1–47: the labour bureau in charge.
    pub prefecture: i64,
    /// The `employer` object of the case format.
    pub employer: Value,
}

fn org_from(r: &AnyRow) -> Result<Organization> {
    let b = |k: &str| -> Result<bool> { Ok(r.try_get::<i64, _>(k)? != 0) };
    let name: String = r.try_get("name")?;
    Ok(Organization {
        id: r.try_get("id")?,
        prefecture: r.try_get("prefecture")?,
        employer: json!({
            "name": name,
            "industry": r.try_get::<String, _>("industry")?,
            "capital_yen": r.try_get::<Option<i64>, _>("capital_yen")?,
            "regular_employees": r.try_get::<i64, _>("regular_employees")?,
            "employment_insurance": b("employment_insurance")?,
            "telework_status": r.try_get::<String, _>("telework_status")?,
            "work_rules_have_telework": b("work_rules_have_telework")?,
            "received_telework_subsidy": b("received_telework_subsidy")?,
        }),
        name,
    })
}

impl Db {
    /// Creates an organisation from the case format's `employer` object (validated by the caller).
    pub async fn create_org(
        &self,
        prefecture: i64,
        employer: &Value,
        by: Option<UserId>,
    ) -> Result<Organization> {
        let b = |k: &str| i64::from(employer.get(k).and_then(Value::as_bool).unwrap_or(false));
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO organizations (name, prefecture, industry, capital_yen, regular_employees, employment_insurance, telework_status, work_rules_have_telework, received_telework_subsidy, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
            .bind(opt_str(employer, "name").unwrap_or_default())
            .bind(prefecture)
            .bind(opt_str(employer, "industry").unwrap_or_default())
            .bind(employer.get("capital_yen").and_then(Value::as_i64))
            .bind(employer.get("regular_employees").and_then(Value::as_i64).unwrap_or(0))
            .bind(b("employment_insurance"))
            .bind(opt_str(employer, "telework_status").unwrap_or_else(|| "none".into()))
            .bind(b("work_rules_have_telework"))
            .bind(b("received_telework_subsidy"))
            .bind(now_text())
            .fetch_one(&mut *tx)
            .await?;
        let id: OrganizationId = row.try_get("id")?;
        audit(
            &mut tx,
            by,
            "organization.create",
            "organization",
            &id.to_string(),
            None,
            Some(&json!({"prefecture": prefecture, "employer": employer})),
        )
        .await?;
        tx.commit().await?;
        self.org(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn org(&self, id: OrganizationId) -> Result<Option<Organization>> {
        let row = sqlx::query("SELECT * FROM organizations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(org_from).transpose()
    }

    pub async fn list_orgs(&self) -> Result<Vec<Organization>> {
        let rows = sqlx::query("SELECT * FROM organizations ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(org_from).collect()
    }
}

impl Db {
    /// One page of the organisations whose name contains `text` (any case;
    /// all with `None`), by id, and how many match.
    pub async fn orgs_page(
        &self,
        text: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Organization>, i64)> {
        let (filter, texts) = match text.filter(|t| !t.is_empty()) {
            Some(t) => (
                " WHERE LOWER(name) LIKE $1 ESCAPE '\\'",
                vec![crate::users::like_pattern(t)],
            ),
            None => ("", vec![]),
        };
        let n = texts.len();
        let count_sql = format!("SELECT COUNT(*) AS n FROM organizations{filter}");
        let page_sql = format!(
            "SELECT * FROM organizations{filter} ORDER BY id LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let total: i64 = crate::users::bind_all(sqlx::query(&count_sql), &texts, &[])
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let rows = crate::users::bind_all(sqlx::query(&page_sql), &texts, &[limit, offset])
            .fetch_all(&self.pool)
            .await?;
        Ok((rows.iter().map(org_from).collect::<Result<_>>()?, total))
    }

    /// Changes an organisation's name, prefecture and industry (checked by
    /// the caller), audited (`organization.update`) with the values before
    /// and after. The cases keep the employer's particulars they were
    /// written with; the prefecture decides the labour bureau in charge.
    pub async fn update_org(
        &self,
        id: OrganizationId,
        name: &str,
        prefecture: i64,
        industry: &str,
        by: UserId,
    ) -> Result<Organization> {
        let before = self.org(id).await?.ok_or(StoreError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE organizations SET name = $1, prefecture = $2, industry = $3 WHERE id = $4",
        )
        .bind(name)
        .bind(prefecture)
        .bind(industry)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            Some(by),
            "organization.update",
            "organization",
            &id.to_string(),
            Some(&json!({"name": before.name, "prefecture": before.prefecture, "industry": before.employer.get("industry")})),
            Some(&json!({"name": name, "prefecture": prefecture, "industry": industry})),
        )
        .await?;
        tx.commit().await?;
        self.org(id).await?.ok_or(StoreError::NotFound)
    }

    /// How many organisations there are.
    pub async fn count_orgs(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM organizations")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }
}
