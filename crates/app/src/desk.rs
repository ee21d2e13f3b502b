//! テレワーク相談センター: consultations (at the counter, by phone, by
//! e-mail), the application or the organisation a consultation leads to,
//! consulting by テレワークマネージャー (requests, assignment, visits) and the
//! outreach lists of industries where telework lags.
//!
//! Who may do what: consultations are the centre's records — advisors and
//! administrators only. Consulting requests: advisors and administrators see
//! and work all of them; an employer and a 社会保険労務士 ask for consulting
//! and see only their organisations' requests (another's answers 404);
//! officers and judges none. Every change is audited by the store.

use crate::access::{in_scope, require_role, scope_of};
use crate::text::{csv_table, forbidden_char, validate_title};
use crate::{today, App, Error, Result};
use jiff::civil::Date;
use josei_rules::model::{Industry, TeleworkStatus};
use josei_store::bureaus::prefecture_name;
use josei_store::{
    CaseId, Channel, Consultation, ConsultationFilter, ConsultationId, ConsultationInput,
    ConsultingRequest, ConsultingRequestId, ConsultingStatus, IndustryCounts, NewConsultingRequest,
    NewVisit, OrganizationId, Referral, Role, Topic, User, UserId, Visit, VisitMode,
};

/// The centre's staff: advisors and administrators.
pub const STAFF: &[Role] = &[Role::Advisor, Role::Admin];

/// Consultations on one page of the list.
pub const PER_PAGE: i64 = 50;

/// 小売業（飲食店を含む） …: an industry as people read it.
pub fn industry_label(s: &str) -> &'static str {
    match Industry::parse(s) {
        Some(Industry::Retail) => "小売業（飲食店を含む）",
        Some(Industry::Service) => "サービス業",
        Some(Industry::Wholesale) => "卸売業",
        Some(Industry::Other) => "その他の業種",
        None => "不明",
    }
}

/// Where an organisation stands with telework, as people read it.
pub fn telework_status_label(s: &str) -> &'static str {
    match TeleworkStatus::parse(s) {
        Some(TeleworkStatus::None) => "未実施",
        Some(TeleworkStatus::TrialOngoing) => "試行中",
        Some(TeleworkStatus::TrialEnded) => "試行したことがある",
        Some(TeleworkStatus::Expanding) => "実施中（拡大予定）",
        Some(TeleworkStatus::Established) => "制度として定着",
        None => "不明",
    }
}

/// A consultation's fields as typed on the form.
#[derive(Clone, Debug, Default)]
pub struct ConsultationFields {
    pub received_on: String,
    pub channel: String,
    /// The organisation's id, or blank for a free-text enquirer.
    pub organization_id: String,
    pub enquirer_name: String,
    pub enquirer_contact: String,
    pub prefecture: String,
    pub industry: String,
    pub special_zone: bool,
    pub topics: Vec<String>,
    pub question: String,
    pub answer: String,
    pub follow_up_on: String,
    pub referral: String,
}

fn date_field(field: &str, label: &str, v: &str) -> Result<Option<Date>> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    josei_rules::civil::parse_iso_date(v)
        .map(Some)
        .map_err(|_| {
            Error::invalid(
                field,
                format!("{label}は「2025-04-01」の形の正しい日付で入力してください"),
            )
        })
}

/// Text of at most `max` characters (line breaks only where `multiline`).
fn text_field(field: &str, label: &str, v: &str, max: usize, multiline: bool) -> Result<String> {
    let v = v.trim();
    if v.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("{label}は{max}文字以内で入力してください"),
        ));
    }
    if v.chars().any(|c| forbidden_char(c, multiline)) {
        return Err(Error::invalid(
            field,
            if multiline {
                format!("{label}に使えない文字が含まれています")
            } else {
                format!("{label}は改行や使えない文字を含めずに入力してください")
            },
        ));
    }
    Ok(v.to_string())
}

fn opt(s: String) -> Option<String> {
    Some(s).filter(|s| !s.is_empty())
}

/// Checks a consultation as typed; each error names its field.
pub async fn check_consultation(
    app: &App,
    f: &ConsultationFields,
    today: Date,
) -> Result<ConsultationInput> {
    let received_on = date_field("received_on", "受付日", &f.received_on)?
        .ok_or_else(|| Error::invalid("received_on", "受付日を入力してください"))?;
    if received_on > today {
        return Err(Error::invalid(
            "received_on",
            "受付日に今日より後の日付は入力できません",
        ));
    }
    let channel = Channel::parse(f.channel.trim()).ok_or_else(|| {
        Error::invalid(
            "channel",
            "受付の方法（窓口・電話・電子メール）を選んでください",
        )
    })?;
    let organization_id = match f.organization_id.trim() {
        "" => None,
        v => {
            let id = v
                .parse::<i64>()
                .ok()
                .map(OrganizationId::from)
                .ok_or_else(|| {
                    Error::invalid("organization_id", "事業主を一覧から選んでください")
                })?;
            let org = app.db.org(id).await?.ok_or_else(|| {
                Error::invalid("organization_id", "事業主を一覧から選んでください")
            })?;
            Some(org)
        }
    };
    let enquirer_name = opt(text_field(
        "enquirer_name",
        "相談者の名称",
        &f.enquirer_name,
        100,
        false,
    )?);
    if organization_id.is_none() && enquirer_name.is_none() {
        return Err(Error::invalid(
            "enquirer_name",
            "登録のない相談者のときは、相談者（事業所）の名称を入力してください",
        ));
    }
    let enquirer_contact = opt(text_field(
        "enquirer_contact",
        "連絡先",
        &f.enquirer_contact,
        200,
        false,
    )?);
    let prefecture = match f.prefecture.trim() {
        "" => organization_id.as_ref().map(|o| o.prefecture),
        v => Some(
            v.parse::<i64>()
                .ok()
                .filter(|p| prefecture_name(*p).is_some())
                .ok_or_else(|| Error::invalid("prefecture", "都道府県を一覧から選んでください"))?,
        ),
    };
    let industry = match f.industry.trim() {
        "" => None,
        v => Some(
            Industry::parse(v)
                .ok_or_else(|| Error::invalid("industry", "業種を一覧から選んでください"))?
                .as_str()
                .to_string(),
        ),
    };
    let mut topics = Vec::new();
    for t in &f.topics {
        let t = Topic::parse(t.trim())
            .ok_or_else(|| Error::invalid("topics", "相談の内容の区分を一覧から選んでください"))?;
        if !topics.contains(&t) {
            topics.push(t);
        }
    }
    if topics.is_empty() {
        return Err(Error::invalid(
            "topics",
            "相談の内容の区分を一つ以上選んでください",
        ));
    }
    topics.sort_by_key(|x| Topic::ALL.iter().position(|y| y == x));
    let question = text_field("question", "相談の内容", &f.question, 4000, true)?;
    if question.is_empty() {
        return Err(Error::invalid("question", "相談の内容を入力してください"));
    }
    let answer = text_field("answer", "回答", &f.answer, 4000, true)?;
    let follow_up_on = date_field("follow_up_on", "フォローアップの予定日", &f.follow_up_on)?;
    if follow_up_on.is_some_and(|d| d < received_on) {
        return Err(Error::invalid(
            "follow_up_on",
            "フォローアップの予定日は受付日以降の日付にしてください",
        ));
    }
    let referral = match f.referral.trim() {
        "" => None,
        v => Some(
            Referral::parse(v)
                .ok_or_else(|| Error::invalid("referral", "紹介先を一覧から選んでください"))?,
        ),
    };
    Ok(ConsultationInput {
        received_on,
        channel,
        organization_id: organization_id.map(|o| o.id),
        enquirer_name,
        enquirer_contact,
        prefecture,
        industry,
        special_zone: f.special_zone,
        topics,
        question,
        answer,
        follow_up_on,
        referral,
    })
}

/// Records a consultation; the centre's staff only.
pub async fn create_consultation(
    app: &App,
    user: &User,
    f: &ConsultationFields,
) -> Result<ConsultationId> {
    require_role(user, STAFF)?;
    let input = check_consultation(app, f, today(app).await?).await?;
    Ok(app.db.create_consultation(&input, user.id).await?)
}

/// The consultation `id`; the centre's staff only (anyone else, and an
/// unknown id: 404).
pub async fn consultation(app: &App, user: &User, id: ConsultationId) -> Result<Consultation> {
    // Anyone else: as if it did not exist.
    if !STAFF.contains(&user.role) {
        return Err(Error::not_found());
    }
    app.db.consultation(id).await?.ok_or_else(Error::not_found)
}

/// Changes a consultation's particulars; the centre's staff only.
pub async fn update_consultation(
    app: &App,
    user: &User,
    id: ConsultationId,
    f: &ConsultationFields,
) -> Result<()> {
    let before = consultation(app, user, id).await?;
    let input = check_consultation(app, f, today(app).await?).await?;
    // A consultation that led to an application keeps its organisation.
    if before.case_id.is_some() && input.organization_id != before.input.organization_id {
        return Err(Error::invalid(
            "organization_id",
            "申請を作成した相談の事業主は変更できません",
        ));
    }
    Ok(app.db.update_consultation(id, &input, user.id).await?)
}

/// Records that the follow-up was made today, with a note (up to 2,000 characters).
pub async fn follow_up(app: &App, user: &User, id: ConsultationId, note: &str) -> Result<()> {
    consultation(app, user, id).await?;
    let note = text_field("note", "フォローアップの内容", note, 2000, true)?;
    if note.is_empty() {
        return Err(Error::invalid(
            "note",
            "フォローアップの内容を入力してください",
        ));
    }
    Ok(app
        .db
        .record_follow_up(id, today(app).await?, &note, user.id)
        .await?)
}

/// A page of consultations.
#[derive(Debug)]
pub struct ConsultationPage {
    pub consultations: Vec<Consultation>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub today: Date,
}

/// What the list is filtered by, as typed (unknown values are ignored).
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub due: bool,
    pub channel: String,
    pub topic: String,
    pub text: String,
    pub page: i64,
}

/// The `page`th page (past the end: the last) of the consultations; staff only.
pub async fn consultations(app: &App, user: &User, q: &ListQuery) -> Result<ConsultationPage> {
    require_role(user, STAFF)?;
    let today = today(app).await?;
    let text: String = q.text.trim().chars().take(100).collect();
    let filter = ConsultationFilter {
        due_on: q.due.then_some(today),
        channel: Channel::parse(q.channel.trim()),
        topic: Topic::parse(q.topic.trim()),
        text: opt(text),
    };
    let (_, total) = app.db.consultations_page(&filter, 0, 0).await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let page = q.page.clamp(1, pages);
    let (consultations, total) = app
        .db
        .consultations_page(&filter, PER_PAGE, (page - 1) * PER_PAGE)
        .await?;
    Ok(ConsultationPage {
        consultations,
        total,
        page,
        pages,
        today,
    })
}

/// Opens a draft application for the consultation's organisation (one per
/// consultation); the case belongs to the employer, who sees it with their
/// 社労士 as usual. A free-text enquirer is registered as an organisation first.
pub async fn open_case(app: &App, user: &User, id: ConsultationId) -> Result<CaseId> {
    let c = consultation(app, user, id).await?;
    if c.input.organization_id.is_none() {
        return Err(Error::conflict(
            "登録のない相談者です。先に事業主として登録してから、申請を作成してください",
        ));
    }
    if c.case_id.is_some() {
        return Err(Error::conflict("この相談からは既に申請を作成しています"));
    }
    let title: String = format!("テレワークコースの申請（相談番号{id}から作成）");
    let title = validate_title(&title)?;
    Ok(app
        .db
        .open_case_from_consultation(id, &title, user.id)
        .await?)
}

/// Registers the enquirer of a consultation as an organisation (the
/// administrators' checks of [`crate::organizations::NewOrgInput`]) and
/// records it on the consultation; the centre's staff only.
pub async fn register_organization(
    app: &App,
    user: &User,
    id: ConsultationId,
    f: &crate::organizations::NewOrgInput<'_>,
) -> Result<OrganizationId> {
    let c = consultation(app, user, id).await?;
    if c.input.organization_id.is_some() {
        return Err(Error::conflict("この相談には既に事業主が登録されています"));
    }
    let name = text_field("name", "事業主の名称", f.name, 100, false)?;
    if name.is_empty() {
        return Err(Error::invalid("name", "事業主の名称を入力してください"));
    }
    let prefecture = f
        .prefecture
        .filter(|p| (1..=47).contains(p))
        .ok_or_else(|| Error::invalid("prefecture", "所在地の都道府県を選んでください"))?;
    if Industry::parse(f.industry).is_none() {
        return Err(Error::invalid("industry", "業種を一覧から選んでください"));
    }
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
    crate::engine::check_employer(&employer)?;
    let org = app
        .db
        .create_org(prefecture, &employer, Some(user.id))
        .await?;
    app.db.link_consultation_org(id, org.id, user.id).await?;
    Ok(org.id)
}

/// One entry of a record's history: when, who (their display name) and the action code.
#[derive(Clone, Debug)]
pub struct HistoryEntry {
    pub at: String,
    pub who: Option<String>,
    pub action: String,
}

async fn history(app: &App, entity: &str, id: &str) -> Result<Vec<HistoryEntry>> {
    let log = app.db.audit_log(entity, id).await?;
    let mut names: Vec<(UserId, String)> = Vec::new();
    let mut out = Vec::with_capacity(log.len());
    for e in log {
        let who = match e.user_id {
            None => None,
            Some(uid) => match names.iter().find(|(n, _)| *n == uid) {
                Some((_, name)) => Some(name.clone()),
                None => {
                    let name = app
                        .db
                        .user_by_id(uid)
                        .await?
                        .map_or_else(String::new, |u| u.display_name);
                    names.push((uid, name.clone()));
                    Some(name)
                }
            },
        };
        out.push(HistoryEntry {
            at: e.at,
            who,
            action: e.action,
        });
    }
    Ok(out)
}

/// The history of a consultation (its audit entries, oldest first); staff only.
pub async fn consultation_history(
    app: &App,
    user: &User,
    id: ConsultationId,
) -> Result<Vec<HistoryEntry>> {
    consultation(app, user, id).await?;
    history(app, "consultation", &id.to_string()).await
}

/// The history of a consulting request; staff only.
pub async fn request_history(
    app: &App,
    user: &User,
    id: ConsultingRequestId,
) -> Result<Vec<HistoryEntry>> {
    staff_request(app, user, id).await?;
    history(app, "consulting", &id.to_string()).await
}

// ---------------------------------------------------------------------------
// Consulting by テレワークマネージャー.

/// Who may see consulting requests, and which: `None` all (staff), else
/// the organisations in the user's scope (employer, 社労士). Officers and
/// judges are refused.
async fn request_scope(app: &App, user: &User) -> Result<Option<Vec<OrganizationId>>> {
    match user.role {
        Role::Advisor | Role::Admin => Ok(None),
        Role::Employer | Role::Agent => {
            let scope = scope_of(app, user).await?;
            Ok(Some(match scope {
                josei_store::Scope::Organizations(ids) => ids,
                _ => Vec::new(),
            }))
        }
        _ => Err(Error::forbidden(
            "コンサルティングの依頼は、事業主・社会保険労務士と相談センターの職員が扱います",
        )),
    }
}

/// A page of consulting requests.
#[derive(Debug)]
pub struct RequestPage {
    pub requests: Vec<ConsultingRequest>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// The requests `user` may see (of `status` only, when given), newest first.
pub async fn requests(
    app: &App,
    user: &User,
    status: Option<ConsultingStatus>,
    page: i64,
) -> Result<RequestPage> {
    let orgs = request_scope(app, user).await?;
    let (_, total) = app
        .db
        .consulting_requests_page(orgs.as_deref(), status, 0, 0)
        .await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let (requests, total) = app
        .db
        .consulting_requests_page(orgs.as_deref(), status, PER_PAGE, (page - 1) * PER_PAGE)
        .await?;
    Ok(RequestPage {
        requests,
        total,
        page,
        pages,
    })
}

/// The organisations an employer or 社労士 may ask consulting for.
pub async fn requesting_organizations(
    app: &App,
    user: &User,
) -> Result<Vec<josei_store::Organization>> {
    require_role(user, &[Role::Employer, Role::Agent])?;
    crate::organizations::visible(app, user).await
}

/// An employer or 社労士 asks for consulting for one of their organisations.
pub async fn create_request(
    app: &App,
    user: &User,
    organization_id: &str,
    request: &str,
    preferred_mode: &str,
) -> Result<ConsultingRequestId> {
    require_role(user, &[Role::Employer, Role::Agent])?;
    let visible = crate::organizations::visible(app, user).await?;
    let org = match organization_id.trim() {
        "" if visible.len() == 1 => visible[0].id,
        "" => {
            return Err(Error::invalid(
                "organization_id",
                "依頼する事業主を選んでください",
            ))
        }
        v => {
            let id = v.parse::<i64>().ok().map(OrganizationId::from);
            id.filter(|id| visible.iter().any(|o| o.id == *id))
                .ok_or_else(|| {
                    Error::invalid("organization_id", "依頼する事業主を一覧から選んでください")
                })?
        }
    };
    let request = text_field("request", "相談したい内容", request, 2000, true)?;
    if request.is_empty() {
        return Err(Error::invalid(
            "request",
            "相談したい内容を入力してください",
        ));
    }
    let preferred_mode = match preferred_mode.trim() {
        "" | "either" => None,
        v => Some(
            VisitMode::parse(v)
                .ok_or_else(|| Error::invalid("preferred_mode", "希望する方法を選んでください"))?,
        ),
    };
    Ok(app
        .db
        .create_consulting_request(
            &NewConsultingRequest {
                organization_id: org,
                request,
                preferred_mode,
            },
            user.id,
        )
        .await?)
}

/// The request `id` and its visits, if `user` may see it (another
/// organisation's: 404, as if it did not exist).
pub async fn request(
    app: &App,
    user: &User,
    id: ConsultingRequestId,
) -> Result<(ConsultingRequest, Vec<Visit>)> {
    let orgs = request_scope(app, user).await?;
    let r = app
        .db
        .consulting_request(id)
        .await?
        .ok_or_else(Error::not_found)?;
    if let Some(orgs) = orgs {
        let scope = josei_store::Scope::Organizations(orgs);
        if !in_scope(&scope, r.organization_id, r.prefecture) {
            return Err(Error::not_found());
        }
    }
    let visits = app.db.visits(id).await?;
    Ok((r, visits))
}

/// The テレワークマネージャー a request may be assigned to: enabled advisors.
pub async fn managers(app: &App, user: &User) -> Result<Vec<(UserId, String)>> {
    require_role(user, STAFF)?;
    Ok(app.db.active_advisors().await?)
}

async fn staff_request(
    app: &App,
    user: &User,
    id: ConsultingRequestId,
) -> Result<ConsultingRequest> {
    require_role(user, STAFF)?;
    app.db
        .consulting_request(id)
        .await?
        .ok_or_else(Error::not_found)
}

/// Assigns a request to a テレワークマネージャー (an enabled advisor); staff only.
pub async fn assign(app: &App, user: &User, id: ConsultingRequestId, manager: &str) -> Result<()> {
    staff_request(app, user, id).await?;
    let managers = app.db.active_advisors().await?;
    let manager = manager
        .trim()
        .parse::<i64>()
        .ok()
        .map(UserId::from)
        .filter(|m| managers.iter().any(|(id, _)| id == m))
        .ok_or_else(|| {
            Error::invalid(
                "manager",
                "担当のテレワークマネージャーを一覧から選んでください",
            )
        })?;
    Ok(app.db.assign_consulting(id, manager, user.id).await?)
}

/// A visit as typed.
#[derive(Clone, Debug, Default)]
pub struct VisitFields {
    pub visited_on: String,
    pub mode: String,
    pub report: String,
    pub outcome: String,
}

/// Records a visit of the manager; staff only.
pub async fn add_visit(
    app: &App,
    user: &User,
    id: ConsultingRequestId,
    f: &VisitFields,
) -> Result<()> {
    staff_request(app, user, id).await?;
    let visited_on = date_field("visited_on", "実施日", &f.visited_on)?
        .ok_or_else(|| Error::invalid("visited_on", "実施日を入力してください"))?;
    if visited_on > today(app).await? {
        return Err(Error::invalid(
            "visited_on",
            "実施日に今日より後の日付は入力できません",
        ));
    }
    let mode = VisitMode::parse(f.mode.trim())
        .ok_or_else(|| Error::invalid("mode", "実施の方法（オンライン・訪問）を選んでください"))?;
    let report = text_field("report", "報告", &f.report, 4000, true)?;
    if report.is_empty() {
        return Err(Error::invalid("report", "報告を入力してください"));
    }
    let outcome = text_field("outcome", "成果", &f.outcome, 2000, true)?;
    Ok(app
        .db
        .add_visit(
            id,
            &NewVisit {
                visited_on,
                mode,
                report,
                outcome,
            },
            user.id,
        )
        .await?)
}

/// Completes a visited request; staff only.
pub async fn complete(app: &App, user: &User, id: ConsultingRequestId) -> Result<()> {
    staff_request(app, user, id).await?;
    Ok(app.db.complete_consulting(id, user.id).await?)
}

// ---------------------------------------------------------------------------
// Outreach (アウトリーチ型).

/// One industry of the outreach table.
#[derive(Clone, Debug, PartialEq)]
pub struct OutreachRow {
    pub counts: IndustryCounts,
    /// Share of the organisations without telework, in per mille (0–1000).
    pub without_permille: i64,
}

/// Industries where telework lags, most lagging first (the share without
/// telework, then the fewest cases per organisation, then the most
/// organisations); staff only.
pub async fn outreach(app: &App, user: &User) -> Result<Vec<OutreachRow>> {
    require_role(user, STAFF)?;
    let mut rows: Vec<OutreachRow> = app
        .db
        .industry_counts()
        .await?
        .into_iter()
        .map(|c| OutreachRow {
            without_permille: if c.organizations > 0 {
                (c.without_telework * 1000 + c.organizations / 2) / c.organizations
            } else {
                0
            },
            counts: c,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.without_permille
            .cmp(&a.without_permille)
            .then_with(|| {
                // fewer cases per organisation lags more: a.cases/a.orgs < b.cases/b.orgs
                (a.counts.cases * b.counts.organizations.max(1))
                    .cmp(&(b.counts.cases * a.counts.organizations.max(1)))
            })
            .then_with(|| b.counts.organizations.cmp(&a.counts.organizations))
            .then_with(|| a.counts.industry.cmp(&b.counts.industry))
    });
    Ok(rows)
}

/// How many of the most lagging industries the CSV covers.
pub const OUTREACH_TOP: usize = 2;

/// The organisations to approach in the [`OUTREACH_TOP`] most lagging
/// industries (telework not established, no application yet) as CSV:
/// name, prefecture, industry, telework status; staff only.
pub async fn outreach_csv(app: &App, user: &User) -> Result<String> {
    let rows = outreach(app, user).await?;
    let industries: Vec<String> = rows
        .iter()
        .filter(|r| r.counts.organizations > 0)
        .take(OUTREACH_TOP)
        .map(|r| r.counts.industry.clone())
        .collect();
    let targets = app.db.outreach_targets(&industries, 10_000).await?;
    let mut table: Vec<Vec<String>> = vec![vec![
        "事業主の名称".into(),
        "都道府県".into(),
        "業種".into(),
        "テレワークの実施状況".into(),
    ]];
    table.extend(targets.into_iter().map(|t| {
        vec![
            t.name,
            prefecture_name(t.prefecture).unwrap_or("").to_string(),
            industry_label(&t.industry).to_string(),
            telework_status_label(&t.telework_status).to_string(),
        ]
    }));
    Ok(csv_table(table))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cover_every_stored_value() {
        for i in Industry::ALL {
            assert_ne!(industry_label(i.as_str()), "不明");
        }
        for s in TeleworkStatus::ALL {
            assert_ne!(telework_status_label(s.as_str()), "不明");
        }
    }

    #[test]
    fn text_fields_refuse_long_or_control_text_naming_the_field() {
        let e = text_field("answer", "回答", &"あ".repeat(4001), 4000, true).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("answer"));
        assert!(text_field("answer", "回答", "一行目\n二行目", 4000, true).is_ok());
        let e = text_field("enquirer_name", "相談者の名称", "a\nb", 100, false).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("enquirer_name"));
        let e = date_field("follow_up_on", "予定日", "2025-02-30").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("follow_up_on"));
        assert_eq!(date_field("x", "x", " ").unwrap(), None);
    }
}
