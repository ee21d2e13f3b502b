//! Who may see what: roles, and the scope of cases and organisations of each
//! user. Records out of scope answer "not found", as if they did not exist.

use crate::{App, Error, Result};
use josei_store::{CaseId, CaseRow, OrganizationId, Role, Scope, Status, User};

pub fn require_role(user: &User, roles: &[Role]) -> Result<()> {
    if roles.contains(&user.role) {
        Ok(())
    } else {
        Err(Error::forbidden("この操作の権限がありません"))
    }
}

/// Which cases and organisations `user` may see.
pub async fn scope_of(app: &App, user: &User) -> Result<Scope> {
    Ok(match user.role {
        Role::Admin => Scope::All,
        Role::Officer => Scope::Prefecture(user.prefecture.unwrap_or(0)),
        Role::Employer => Scope::Organizations(user.organization_id.into_iter().collect()),
        Role::Agent => Scope::Organizations(app.db.agent_org_ids(user.id).await?),
        // The programme's staff and the award's judges work on their own
        // records (consultations, events, applications), never on cases.
        Role::Advisor | Role::Judge => Scope::Organizations(Vec::new()),
    })
}

/// Whether an organisation is in `scope`.
pub fn in_scope(scope: &Scope, org_id: OrganizationId, prefecture: i64) -> bool {
    match scope {
        Scope::All => true,
        Scope::Prefecture(p) => *p == prefecture,
        Scope::Organizations(ids) => ids.contains(&org_id),
    }
}

/// Whether `case` is in `scope`. A labour bureau sees a case only once the
/// employer has sent it (never a draft), as [`josei_store::Db::cases`] lists.
pub fn case_in_scope(scope: &Scope, case: &CaseRow) -> bool {
    in_scope(scope, case.organization_id, case.prefecture)
        && !(matches!(scope, Scope::Prefecture(_)) && case.status == Status::Draft)
}

/// The case, if `user` may see it; otherwise 404, as if it did not exist.
pub async fn visible_case(app: &App, user: &User, id: CaseId) -> Result<CaseRow> {
    let case = app.db.case(id).await?.ok_or_else(Error::not_found)?;
    let scope = scope_of(app, user).await?;
    if case_in_scope(&scope, &case) {
        Ok(case)
    } else {
        Err(Error::not_found())
    }
}
