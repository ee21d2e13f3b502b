//! Organisations (employers) and delegations to 社労士.

use crate::access::{in_scope, require_role, scope_of};
use crate::engine::check_employer;
use crate::{App, Error, Result};
use josei_store::{DelegationId, Organization, OrganizationId, Role, User, UserId};
use serde::Serialize;
use serde_json::Value;

/// Registers an employer in `prefecture` (1–47); admins only. The `employer`
/// object is checked by the engine's parser, field paths included.
pub async fn create(
    app: &App,
    user: &User,
    prefecture: i64,
    employer: &Value,
) -> Result<Organization> {
    require_role(user, &[Role::Admin])?;
    if !(1..=47).contains(&prefecture) {
        return Err(Error::invalid(
            "prefecture",
            "都道府県コード（1〜47）を指定してください",
        ));
    }
    check_employer(employer)?;
    Ok(app
        .db
        .create_org(prefecture, employer, Some(user.id))
        .await?)
}

/// The organisations `user` may see.
pub async fn visible(app: &App, user: &User) -> Result<Vec<Organization>> {
    let scope = scope_of(app, user).await?;
    Ok(app
        .db
        .list_orgs()
        .await?
        .into_iter()
        .filter(|o| in_scope(&scope, o.id, o.prefecture))
        .collect())
}

/// A delegation just granted.
#[derive(Debug, Serialize)]
pub struct Delegation {
    pub id: DelegationId,
    pub organization_id: OrganizationId,
    pub agent_user_id: UserId,
}

/// An employer (of that organisation) or an admin delegates the organisation's
/// cases to the 社労士 `agent` (a user name).
pub async fn grant_delegation(
    app: &App,
    user: &User,
    org_id: OrganizationId,
    agent: &str,
) -> Result<Delegation> {
    let own = user.role == Role::Employer && user.organization_id == Some(org_id);
    if !own && user.role != Role::Admin {
        let org = app.db.org(org_id).await?.ok_or_else(Error::not_found)?;
        let scope = scope_of(app, user).await?;
        return Err(if in_scope(&scope, org.id, org.prefecture) {
            Error::forbidden("委任できるのは事業主本人と管理者です")
        } else {
            Error::not_found()
        });
    }
    app.db.org(org_id).await?.ok_or_else(Error::not_found)?;
    let agent = app
        .db
        .user_by_username(agent)
        .await?
        .filter(|a| a.role == Role::Agent && !a.disabled)
        .ok_or_else(|| Error::invalid("agent", format!("社労士のユーザー {agent} はいません")))?;
    let id = app.db.grant_delegation(org_id, agent.id, user.id).await?;
    Ok(Delegation {
        id,
        organization_id: org_id,
        agent_user_id: agent.id,
    })
}

/// Ends a delegation; the employer of the organisation or an admin.
pub async fn revoke_delegation(
    app: &App,
    user: &User,
    org_id: OrganizationId,
    agent: &str,
) -> Result<()> {
    let own = user.role == Role::Employer && user.organization_id == Some(org_id);
    if !own && user.role != Role::Admin {
        return Err(Error::not_found());
    }
    let agent = app
        .db
        .user_by_username(agent)
        .await?
        .ok_or_else(Error::not_found)?;
    app.db.revoke_delegation(org_id, agent.id, user.id).await?;
    Ok(())
}

/// Organisations on one page of the administrators' list.
pub const PER_PAGE: i64 = 50;

/// A page of the administrators' list of organisations.
#[derive(Debug)]
pub struct OrgPage {
    pub organizations: Vec<Organization>,
    pub total: i64,
    /// This page (1-based) and the last page (at least 1).
    pub page: i64,
    pub pages: i64,
}

/// The `page`th page (1-based; past the end: the last) of the organisations
/// whose name contains `text`; administrators only.
pub async fn page(app: &App, admin: &User, text: Option<&str>, page: i64) -> Result<OrgPage> {
    require_role(admin, &[Role::Admin])?;
    let text: Option<String> = text
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().take(100).collect());
    let (_, total) = app.db.orgs_page(text.as_deref(), 0, 0).await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let (organizations, total) = app
        .db
        .orgs_page(text.as_deref(), PER_PAGE, (page - 1) * PER_PAGE)
        .await?;
    Ok(OrgPage {
        organizations,
        total,
        page,
        pages,
    })
}

/// The organisation `id`, for an administrator.
pub async fn get(app: &App, admin: &User, id: OrganizationId) -> Result<Organization> {
    require_role(admin, &[Role::Admin])?;
    app.db.org(id).await?.ok_or_else(Error::not_found)
}

/// Checks an organisation's name, prefecture and industry as typed.
fn check_org_fields(name: &str, prefecture: Option<i64>, industry: &str) -> Result<(String, i64)> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "事業主の名称を入力してください"));
    }
    if name.chars().count() > 100 || name.chars().any(|c| crate::text::forbidden_char(c, false)) {
        return Err(Error::invalid(
            "name",
            "事業主の名称は改行を含めず、100文字以内で入力してください",
        ));
    }
    let prefecture = prefecture
        .filter(|p| (1..=47).contains(p))
        .ok_or_else(|| Error::invalid("prefecture", "所在地の都道府県を選んでください"))?;
    if josei_rules::model::Industry::parse(industry).is_none() {
        return Err(Error::invalid("industry", "業種を一覧から選んでください"));
    }
    Ok((name.to_string(), prefecture))
}

/// Changes an organisation's name, prefecture (the labour bureau in charge)
/// and industry; administrators only, audited by the store.
pub async fn update(
    app: &App,
    admin: &User,
    id: OrganizationId,
    name: &str,
    prefecture: Option<i64>,
    industry: &str,
) -> Result<Organization> {
    require_role(admin, &[Role::Admin])?;
    app.db.org(id).await?.ok_or_else(Error::not_found)?;
    let (name, prefecture) = check_org_fields(name, prefecture, industry)?;
    Ok(app
        .db
        .update_org(id, &name, prefecture, industry, admin.id)
        .await?)
}

/// What the administrators' form registers an organisation with.
pub struct NewOrgInput<'a> {
    pub name: &'a str,
    pub prefecture: Option<i64>,
    pub industry: &'a str,
    /// 常時雇用する労働者の数 (0 or more).
    pub regular_employees: Option<i64>,
    /// 資本金 in yen (blank: not known).
    pub capital_yen: Option<i64>,
    pub employment_insurance: bool,
}

/// Registers an organisation from the administrators' form: the fields are
/// checked one by one (each error names its field), then the engine checks
/// the `employer` object as for the API ([`create`]).
pub async fn create_from_form(
    app: &App,
    admin: &User,
    f: &NewOrgInput<'_>,
) -> Result<Organization> {
    require_role(admin, &[Role::Admin])?;
    let (name, prefecture) = check_org_fields(f.name, f.prefecture, f.industry)?;
    let employees = f
        .regular_employees
        .filter(|n| (0..=1_000_000).contains(n))
        .ok_or_else(|| {
            Error::invalid(
                "regular_employees",
                "常時雇用する労働者の数を、0以上の整数で入力してください",
            )
        })?;
    if f.capital_yen.is_some_and(|c| c < 0) {
        return Err(Error::invalid(
            "capital_yen",
            "資本金は0以上の金額（円）で入力してください",
        ));
    }
    let employer = serde_json::json!({
        "name": name,
        "industry": f.industry,
        "capital_yen": f.capital_yen,
        "regular_employees": employees,
        "employment_insurance": f.employment_insurance,
        "telework_status": "none",
        "work_rules_have_telework": false,
        "received_telework_subsidy": false,
    });
    create(app, admin, prefecture, &employer).await
}

/// An organisation's delegations (live first, then the newest revoked;
/// at most 100), for an administrator.
pub async fn delegations(
    app: &App,
    admin: &User,
    id: OrganizationId,
) -> Result<Vec<josei_store::DelegationRow>> {
    require_role(admin, &[Role::Admin])?;
    Ok(app.db.org_delegations(id, 100).await?)
}

/// The organisations an administrator may give an employer's account, by
/// id (at most 1,000; a larger register is reached from each
/// organisation's own page).
pub async fn choices(app: &App, admin: &User) -> Result<Vec<Organization>> {
    require_role(admin, &[Role::Admin])?;
    Ok(app.db.orgs_page(None, 1_000, 0).await?.0)
}
