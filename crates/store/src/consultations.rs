//! `consultations`, `consultation_topics`, `consulting_requests`,
//! `consulting_visits`: the テレワーク相談センター's consultations (at the
//! counter, by phone, by e-mail) and consulting by テレワークマネージャー, and
//! the counts by industry the outreach lists are built from.
//!
//! Invariants: a consultation names an existing organisation or a
//! free-text enquirer (a CHECK); its topics are rows of
//! `consultation_topics`, replaced with the consultation in one
//! transaction; `case_id` is set once (the application the consultation led
//! to). A consulting request moves 受付 → 担当決定 → 訪問済み → 完了: a
//! manager is assigned before a visit is recorded, a visit before it is
//! completed, and a completed request changes no more. Dates are ISO text.
//! Every write is audited in its own transaction (entities `consultation`
//! and `consulting`, migration 0017).

use crate::audit::audit;
use crate::{now_text, CaseId, Db, OrganizationId, Result, StoreError, UserId};
use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

pub use crate::ids::{ConsultationId, ConsultingRequestId};

string_enum! {
    /// How a consultation reached the centre.
    "consultation channel", Channel {
        Counter = "counter",
        Phone = "phone",
        Email = "email",
    }
}

impl Channel {
    /// 窓口 / 電話 / 電子メール.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Counter => "窓口",
            Channel::Phone => "電話",
            Channel::Email => "電子メール",
        }
    }
}

string_enum! {
    /// What a consultation was about.
    "consultation topic", Topic {
        LabourManagement = "labour_management",
        Ict = "ict",
        Subsidy = "subsidy",
        Security = "security",
        WorkRules = "work_rules",
        Other = "other",
    }
}

impl Topic {
    pub fn label(self) -> &'static str {
        match self {
            Topic::LabourManagement => "労務管理",
            Topic::Ict => "ICT（情報通信技術）",
            Topic::Subsidy => "助成金",
            Topic::Security => "セキュリティ",
            Topic::WorkRules => "就業規則",
            Topic::Other => "その他",
        }
    }
}

string_enum! {
    /// The partner a consultation was referred to (the seed's 連携 list).
    "referral", Referral {
        LabourBureau = "labour_bureau",
        WorkStyleCentre = "work_style_centre",
        Municipality = "municipality",
        ChamberOfCommerce = "chamber_of_commerce",
        SharoushiAssociation = "sharoushi_association",
    }
}

impl Referral {
    pub fn label(self) -> &'static str {
        match self {
            Referral::LabourBureau => "都道府県労働局",
            Referral::WorkStyleCentre => "働き方改革推進支援センター",
            Referral::Municipality => "自治体",
            Referral::ChamberOfCommerce => "商工会議所・商工会",
            Referral::SharoushiAssociation => "社会保険労務士会",
        }
    }
}

string_enum! {
    /// Where a consulting request stands.
    "consulting status", ConsultingStatus {
        Received = "received",
        Assigned = "assigned",
        Visited = "visited",
        Completed = "completed",
    }
}

impl ConsultingStatus {
    /// 受付 / 担当決定 / 訪問済み / 完了.
    pub fn label(self) -> &'static str {
        match self {
            ConsultingStatus::Received => "受付",
            ConsultingStatus::Assigned => "担当決定",
            ConsultingStatus::Visited => "訪問済み",
            ConsultingStatus::Completed => "完了",
        }
    }
}

string_enum! {
    /// How a visit was made.
    "visit mode", VisitMode {
        Online = "online",
        OnSite = "on_site",
    }
}

impl VisitMode {
    pub fn label(self) -> &'static str {
        match self {
            VisitMode::Online => "オンライン",
            VisitMode::OnSite => "訪問（対面）",
        }
    }
}

/// A consultation as typed (checked by the caller).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConsultationInput {
    pub received_on: Date,
    pub channel: Channel,
    pub organization_id: Option<OrganizationId>,
    pub enquirer_name: Option<String>,
    pub enquirer_contact: Option<String>,
    pub prefecture: Option<i64>,
    pub industry: Option<String>,
    /// In a 国家戦略特別区域.
    pub special_zone: bool,
    pub topics: Vec<Topic>,
    pub question: String,
    pub answer: String,
    pub follow_up_on: Option<Date>,
    pub referral: Option<Referral>,
}

/// A stored consultation.
#[derive(Clone, Debug, Serialize)]
pub struct Consultation {
    pub id: ConsultationId,
    pub input: ConsultationInput,
    /// The organisation's name, when it names one.
    pub organization_name: Option<String>,
    pub followed_up_on: Option<Date>,
    pub follow_up_note: String,
    pub case_id: Option<CaseId>,
    pub advisor_id: UserId,
    pub advisor_name: String,
    pub updated_at: String,
}

impl Consultation {
    /// Who consulted: the organisation's name, else the enquirer's.
    pub fn who(&self) -> &str {
        self.organization_name
            .as_deref()
            .or(self.input.enquirer_name.as_deref())
            .unwrap_or("")
    }

    /// Whether its follow-up is due on `today` (set, not done, not later).
    pub fn follow_up_due(&self, today: Date) -> bool {
        self.followed_up_on.is_none() && self.input.follow_up_on.is_some_and(|d| d <= today)
    }
}

/// Which consultations a list shows.
#[derive(Clone, Debug, Default)]
pub struct ConsultationFilter {
    /// Only those whose follow-up is due on this day (and not done).
    pub due_on: Option<Date>,
    pub channel: Option<Channel>,
    pub topic: Option<Topic>,
    /// Part of the organisation's or the enquirer's name.
    pub text: Option<String>,
}

fn date_col(r: &AnyRow, k: &str) -> Result<Option<Date>> {
    let s: Option<String> = r.try_get(k)?;
    s.map(|s| {
        s.parse::<Date>().map_err(|e| {
            StoreError::Db(sqlx::Error::Decode(format!("bad date in {k}: {e}").into()))
        })
    })
    .transpose()
}

fn req_date(r: &AnyRow, k: &str) -> Result<Date> {
    date_col(r, k)?
        .ok_or_else(|| StoreError::Db(sqlx::Error::Decode(format!("{k} is empty").into())))
}

const CONSULTATION_COLUMNS: &str =
    "k.*, o.name AS organization_name, u.display_name AS advisor_name";
const CONSULTATION_FROM: &str = "consultations k LEFT JOIN organizations o ON o.id = k.organization_id JOIN users u ON u.id = k.advisor_id";

fn consultation_from(r: &AnyRow, topics: Vec<Topic>) -> Result<Consultation> {
    Ok(Consultation {
        id: r.try_get("id")?,
        input: ConsultationInput {
            received_on: req_date(r, "received_on")?,
            channel: Channel::from_column(&r.try_get::<String, _>("channel")?)?,
            organization_id: r.try_get("organization_id")?,
            enquirer_name: r.try_get("enquirer_name")?,
            enquirer_contact: r.try_get("enquirer_contact")?,
            prefecture: r.try_get("prefecture")?,
            industry: r.try_get("industry")?,
            special_zone: r.try_get::<i64, _>("special_zone")? != 0,
            topics,
            question: r.try_get("question")?,
            answer: r.try_get("answer")?,
            follow_up_on: date_col(r, "follow_up_on")?,
            referral: r
                .try_get::<Option<String>, _>("referral")?
                .map(|s| Referral::from_column(&s))
                .transpose()?,
        },
        organization_name: r.try_get("organization_name")?,
        followed_up_on: date_col(r, "followed_up_on")?,
        follow_up_note: r.try_get("follow_up_note")?,
        case_id: r.try_get("case_id")?,
        advisor_id: r.try_get("advisor_id")?,
        advisor_name: r.try_get("advisor_name")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// A request for consulting as typed (checked by the caller).
#[derive(Clone, Debug, Serialize)]
pub struct NewConsultingRequest {
    pub organization_id: OrganizationId,
    pub request: String,
    pub preferred_mode: Option<VisitMode>,
}

/// A stored request for consulting.
#[derive(Clone, Debug, Serialize)]
pub struct ConsultingRequest {
    pub id: ConsultingRequestId,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub prefecture: i64,
    pub request: String,
    pub preferred_mode: Option<VisitMode>,
    pub status: ConsultingStatus,
    pub manager_id: Option<UserId>,
    pub manager_name: Option<String>,
    pub requested_by_name: String,
    pub created_at: String,
}

/// A visit as typed.
#[derive(Clone, Debug, Serialize)]
pub struct NewVisit {
    pub visited_on: Date,
    pub mode: VisitMode,
    pub report: String,
    pub outcome: String,
}

/// A recorded visit.
#[derive(Clone, Debug, Serialize)]
pub struct Visit {
    pub visited_on: Date,
    pub mode: VisitMode,
    pub report: String,
    pub outcome: String,
    pub recorded_by_name: String,
}

const REQUEST_SELECT: &str = "SELECT r.*, o.name AS organization_name, o.prefecture AS prefecture, m.display_name AS manager_name, b.display_name AS requested_by_name \
     FROM consulting_requests r JOIN organizations o ON o.id = r.organization_id \
     LEFT JOIN users m ON m.id = r.manager_id JOIN users b ON b.id = r.requested_by";

fn request_from(r: &AnyRow) -> Result<ConsultingRequest> {
    Ok(ConsultingRequest {
        id: r.try_get("id")?,
        organization_id: r.try_get("organization_id")?,
        organization_name: r.try_get("organization_name")?,
        prefecture: r.try_get("prefecture")?,
        request: r.try_get("request")?,
        preferred_mode: r
            .try_get::<Option<String>, _>("preferred_mode")?
            .map(|s| VisitMode::from_column(&s))
            .transpose()?,
        status: ConsultingStatus::from_column(&r.try_get::<String, _>("status")?)?,
        manager_id: r.try_get("manager_id")?,
        manager_name: r.try_get("manager_name")?,
        requested_by_name: r.try_get("requested_by_name")?,
        created_at: r.try_get("created_at")?,
    })
}

/// One industry's row of the outreach table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct IndustryCounts {
    /// The engine's industry name (`retail`, `service`, …).
    pub industry: String,
    pub organizations: i64,
    /// Organisations whose telework status is `none`.
    pub without_telework: i64,
    pub cases: i64,
    pub consultations: i64,
    pub consulting_requests: i64,
}

/// An organisation to approach.
#[derive(Clone, Debug, Serialize)]
pub struct OutreachTarget {
    pub name: String,
    pub prefecture: i64,
    pub industry: String,
    pub telework_status: String,
}

fn topics_json(t: &[Topic]) -> Vec<&'static str> {
    t.iter().map(|t| t.as_str()).collect()
}

fn input_json(i: &ConsultationInput) -> serde_json::Value {
    json!({
        "received_on": i.received_on.to_string(),
        "channel": i.channel,
        "organization_id": i.organization_id,
        "enquirer_name": i.enquirer_name,
        "enquirer_contact": i.enquirer_contact,
        "prefecture": i.prefecture,
        "industry": i.industry,
        "special_zone": i.special_zone,
        "topics": topics_json(&i.topics),
        "question": i.question,
        "answer": i.answer,
        "follow_up_on": i.follow_up_on.map(|d| d.to_string()),
        "referral": i.referral,
    })
}

impl Db {
    /// Records a consultation taken by `by`, with its topics; audited
    /// (`consultation.create`).
    pub async fn create_consultation(
        &self,
        i: &ConsultationInput,
        by: UserId,
    ) -> Result<ConsultationId> {
        let now = now_text();
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO consultations (received_on, channel, organization_id, enquirer_name, enquirer_contact, prefecture, industry, special_zone, question, answer, follow_up_on, referral, advisor_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id")
            .bind(i.received_on.to_string())
            .bind(i.channel.as_str())
            .bind(i.organization_id)
            .bind(i.enquirer_name.clone())
            .bind(i.enquirer_contact.clone())
            .bind(i.prefecture)
            .bind(i.industry.clone())
            .bind(i64::from(i.special_zone))
            .bind(&i.question)
            .bind(&i.answer)
            .bind(i.follow_up_on.map(|d| d.to_string()))
            .bind(i.referral.map(|r| r.as_str()))
            .bind(by)
            .bind(&now)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
        let id: ConsultationId = row.try_get("id")?;
        for t in &i.topics {
            sqlx::query("INSERT INTO consultation_topics (consultation_id, topic) VALUES ($1, $2)")
                .bind(id)
                .bind(t.as_str())
                .execute(&mut *tx)
                .await?;
        }
        audit(
            &mut tx,
            Some(by),
            "consultation.create",
            "consultation",
            &id.to_string(),
            None,
            Some(&input_json(i)),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn topics_of(&self, ids: &[ConsultationId]) -> Result<Vec<(ConsultationId, Topic)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT consultation_id, topic FROM consultation_topics WHERE consultation_id IN ({}) ORDER BY consultation_id, topic",
            marks.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("consultation_id")?,
                    Topic::from_column(&r.try_get::<String, _>("topic")?)?,
                ))
            })
            .collect()
    }

    fn order_topics(mut t: Vec<Topic>) -> Vec<Topic> {
        t.sort_by_key(|x| Topic::ALL.iter().position(|y| y == x));
        t
    }

    /// The consultation `id`, if any.
    pub async fn consultation(&self, id: ConsultationId) -> Result<Option<Consultation>> {
        let sql = format!("SELECT {CONSULTATION_COLUMNS} FROM {CONSULTATION_FROM} WHERE k.id = $1");
        let Some(row) = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let topics = self.topics_of(&[id]).await?.into_iter().map(|(_, t)| t);
        consultation_from(&row, Self::order_topics(topics.collect())).map(Some)
    }

    /// One page of the consultations matching `f`, newest first, and how many match.
    pub async fn consultations_page(
        &self,
        f: &ConsultationFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Consultation>, i64)> {
        let mut conds: Vec<String> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        if let Some(d) = f.due_on {
            texts.push(d.to_string());
            conds.push(format!(
                "k.followed_up_on IS NULL AND k.follow_up_on IS NOT NULL AND k.follow_up_on <= ${}",
                texts.len()
            ));
        }
        if let Some(c) = f.channel {
            texts.push(c.as_str().to_string());
            conds.push(format!("k.channel = ${}", texts.len()));
        }
        if let Some(t) = f.topic {
            texts.push(t.as_str().to_string());
            conds.push(format!("EXISTS (SELECT 1 FROM consultation_topics t WHERE t.consultation_id = k.id AND t.topic = ${})", texts.len()));
        }
        if let Some(t) = f.text.as_deref().filter(|t| !t.is_empty()) {
            texts.push(crate::users::like_pattern(t));
            let n = texts.len();
            conds.push(format!(
                "(LOWER(COALESCE(o.name, '')) LIKE ${n} ESCAPE '\\' OR LOWER(COALESCE(k.enquirer_name, '')) LIKE ${n} ESCAPE '\\')"
            ));
        }
        let filter = if conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conds.join(" AND "))
        };
        let n = texts.len();
        let count_sql = format!("SELECT COUNT(*) AS n FROM {CONSULTATION_FROM}{filter}");
        let page_sql = format!(
            "SELECT {CONSULTATION_COLUMNS} FROM {CONSULTATION_FROM}{filter} ORDER BY k.received_on DESC, k.id DESC LIMIT ${} OFFSET ${}",
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
        let ids: Vec<ConsultationId> = rows
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<std::result::Result<_, _>>()?;
        let topics = self.topics_of(&ids).await?;
        let list = rows
            .iter()
            .zip(&ids)
            .map(|(r, id)| {
                let mine = topics
                    .iter()
                    .filter(|(c, _)| c == id)
                    .map(|(_, t)| *t)
                    .collect();
                consultation_from(r, Self::order_topics(mine))
            })
            .collect::<Result<_>>()?;
        Ok((list, total))
    }

    /// Replaces a consultation's particulars and topics; audited
    /// (`consultation.update`) with the values before and after.
    pub async fn update_consultation(
        &self,
        id: ConsultationId,
        i: &ConsultationInput,
        by: UserId,
    ) -> Result<()> {
        let before = self.consultation(id).await?.ok_or(StoreError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE consultations SET received_on = $1, channel = $2, organization_id = $3, enquirer_name = $4, enquirer_contact = $5, prefecture = $6, industry = $7, special_zone = $8, question = $9, answer = $10, follow_up_on = $11, referral = $12, updated_at = $13 WHERE id = $14")
            .bind(i.received_on.to_string())
            .bind(i.channel.as_str())
            .bind(i.organization_id)
            .bind(i.enquirer_name.clone())
            .bind(i.enquirer_contact.clone())
            .bind(i.prefecture)
            .bind(i.industry.clone())
            .bind(i64::from(i.special_zone))
            .bind(&i.question)
            .bind(&i.answer)
            .bind(i.follow_up_on.map(|d| d.to_string()))
            .bind(i.referral.map(|r| r.as_str()))
            .bind(now_text())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM consultation_topics WHERE consultation_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for t in &i.topics {
            sqlx::query("INSERT INTO consultation_topics (consultation_id, topic) VALUES ($1, $2)")
                .bind(id)
                .bind(t.as_str())
                .execute(&mut *tx)
                .await?;
        }
        audit(
            &mut tx,
            Some(by),
            "consultation.update",
            "consultation",
            &id.to_string(),
            Some(&input_json(&before.input)),
            Some(&input_json(i)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the follow-up of a consultation (done on `on`, with a note);
    /// audited (`consultation.follow_up`).
    pub async fn record_follow_up(
        &self,
        id: ConsultationId,
        on: Date,
        note: &str,
        by: UserId,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE consultations SET followed_up_on = $1, follow_up_note = $2, updated_at = $3 WHERE id = $4")
            .bind(on.to_string())
            .bind(note)
            .bind(now_text())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit(
            &mut tx,
            Some(by),
            "consultation.follow_up",
            "consultation",
            &id.to_string(),
            None,
            Some(&json!({"followed_up_on": on.to_string(), "note": note})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Opens a draft case for the consultation's organisation and records it
    /// on the consultation, in one transaction: the case's own audit entry
    /// (`case.create`) and the consultation's (`consultation.open_case`).
    /// A consultation that already led to a case, or names no organisation,
    /// is a conflict.
    pub async fn open_case_from_consultation(
        &self,
        id: ConsultationId,
        title: &str,
        by: UserId,
    ) -> Result<CaseId> {
        let c = self.consultation(id).await?.ok_or(StoreError::NotFound)?;
        let org_id = c.input.organization_id.ok_or_else(|| {
            StoreError::Conflict("事業主が登録されていない相談からは申請を作成できません".into())
        })?;
        if c.case_id.is_some() {
            return Err(StoreError::Conflict(
                "この相談からは既に申請を作成しています".into(),
            ));
        }
        let org = self.org(org_id).await?.ok_or(StoreError::NotFound)?;
        let now = now_text();
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO cases (organization_id, title, status, version, employer_json, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $5, $6) RETURNING id")
            .bind(org_id)
            .bind(title)
            .bind(crate::Status::Draft.as_str())
            .bind(org.employer.to_string())
            .bind(&now)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
        let case_id: CaseId = row.try_get("id")?;
        audit(
            &mut tx,
            Some(by),
            "case.create",
            "case",
            &case_id.to_string(),
            None,
            Some(&json!({"organization_id": org_id, "title": title, "status": "draft", "consultation_id": id})),
        )
        .await?;
        crate::snapshots::mark_stale(&mut tx, case_id).await?;
        let linked = sqlx::query("UPDATE consultations SET case_id = $1, updated_at = $2 WHERE id = $3 AND case_id IS NULL")
            .bind(case_id)
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if linked.rows_affected() == 0 {
            // Another request linked a case first: this one is not kept.
            return Err(StoreError::Conflict(
                "この相談からは既に申請を作成しています".into(),
            ));
        }
        audit(
            &mut tx,
            Some(by),
            "consultation.open_case",
            "consultation",
            &id.to_string(),
            None,
            Some(&json!({"case_id": case_id})),
        )
        .await?;
        tx.commit().await?;
        Ok(case_id)
    }

    /// Records that the enquirer of a consultation is now the organisation
    /// `org_id` (registered for them); audited (`consultation.link_organization`).
    pub async fn link_consultation_org(
        &self,
        id: ConsultationId,
        org_id: OrganizationId,
        by: UserId,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE consultations SET organization_id = $1, updated_at = $2 WHERE id = $3 AND organization_id IS NULL")
            .bind(org_id)
            .bind(now_text())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "この相談には既に事業主が登録されています".into(),
            ));
        }
        audit(
            &mut tx,
            Some(by),
            "consultation.link_organization",
            "consultation",
            &id.to_string(),
            None,
            Some(&json!({"organization_id": org_id})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The enabled advisor accounts (the テレワークマネージャー), by id.
    pub async fn active_advisors(&self) -> Result<Vec<(UserId, String)>> {
        let rows = sqlx::query(
            "SELECT id, display_name FROM users WHERE role = 'advisor' AND disabled = 0 ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("display_name")?)))
            .collect()
    }

    /// Records a request for consulting by `by`; audited (`consulting.request`).
    pub async fn create_consulting_request(
        &self,
        n: &NewConsultingRequest,
        by: UserId,
    ) -> Result<ConsultingRequestId> {
        let now = now_text();
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("INSERT INTO consulting_requests (organization_id, request, preferred_mode, status, requested_by, created_at, updated_at) VALUES ($1, $2, $3, 'received', $4, $5, $6) RETURNING id")
            .bind(n.organization_id)
            .bind(&n.request)
            .bind(n.preferred_mode.map(|m| m.as_str()))
            .bind(by)
            .bind(&now)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
        let id: ConsultingRequestId = row.try_get("id")?;
        audit(
            &mut tx,
            Some(by),
            "consulting.request",
            "consulting",
            &id.to_string(),
            None,
            Some(&json!(n)),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The request `id`, if any.
    pub async fn consulting_request(
        &self,
        id: ConsultingRequestId,
    ) -> Result<Option<ConsultingRequest>> {
        let sql = format!("{REQUEST_SELECT} WHERE r.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(request_from).transpose()
    }

    /// One page of the requests (of `orgs` only, when given; of `status`
    /// only, when given), newest first, and how many match.
    pub async fn consulting_requests_page(
        &self,
        orgs: Option<&[OrganizationId]>,
        status: Option<ConsultingStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<ConsultingRequest>, i64)> {
        let mut conds: Vec<String> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let mut numbers: Vec<i64> = Vec::new();
        if let Some(s) = status {
            texts.push(s.as_str().to_string());
            conds.push("r.status = $1".to_string());
        }
        if let Some(orgs) = orgs {
            if orgs.is_empty() {
                return Ok((Vec::new(), 0));
            }
            let marks: Vec<String> = orgs
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    numbers.push(o.get());
                    format!("${}", texts.len() + i + 1)
                })
                .collect();
            conds.push(format!("r.organization_id IN ({})", marks.join(", ")));
        }
        let filter = if conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conds.join(" AND "))
        };
        let n = texts.len() + numbers.len();
        let count_sql = format!("SELECT COUNT(*) AS n FROM consulting_requests r{filter}");
        let page_sql = format!(
            "{REQUEST_SELECT}{filter} ORDER BY r.id DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let total: i64 = crate::users::bind_all(sqlx::query(&count_sql), &texts, &numbers)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let mut all = numbers.clone();
        all.extend([limit, offset]);
        let rows = crate::users::bind_all(sqlx::query(&page_sql), &texts, &all)
            .fetch_all(&self.pool)
            .await?;
        Ok((rows.iter().map(request_from).collect::<Result<_>>()?, total))
    }

    /// Assigns a request to the manager `manager` (an enabled advisor, checked
    /// by the caller); a received request becomes 担当決定. Audited
    /// (`consulting.assign`). A completed request is a conflict.
    pub async fn assign_consulting(
        &self,
        id: ConsultingRequestId,
        manager: UserId,
        by: UserId,
    ) -> Result<()> {
        let before = self
            .consulting_request(id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if before.status == ConsultingStatus::Completed {
            return Err(StoreError::Conflict("完了した依頼は変更できません".into()));
        }
        let status = match before.status {
            ConsultingStatus::Received => ConsultingStatus::Assigned,
            s => s,
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE consulting_requests SET manager_id = $1, status = $2, updated_at = $3 WHERE id = $4 AND status <> 'completed'")
            .bind(manager)
            .bind(status.as_str())
            .bind(now_text())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(by),
            "consulting.assign",
            "consulting",
            &id.to_string(),
            Some(&json!({"manager_id": before.manager_id, "status": before.status})),
            Some(&json!({"manager_id": manager, "status": status})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a visit; the request becomes 訪問済み. Audited
    /// (`consulting.visit`). A request without a manager, or completed, is a conflict.
    pub async fn add_visit(&self, id: ConsultingRequestId, v: &NewVisit, by: UserId) -> Result<()> {
        let before = self
            .consulting_request(id)
            .await?
            .ok_or(StoreError::NotFound)?;
        match before.status {
            ConsultingStatus::Received => {
                return Err(StoreError::Conflict(
                    "先に担当のテレワークマネージャーを決めてください".into(),
                ))
            }
            ConsultingStatus::Completed => {
                return Err(StoreError::Conflict("完了した依頼は変更できません".into()))
            }
            _ => {}
        }
        let now = now_text();
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO consulting_visits (request_id, visited_on, mode, report, outcome, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id)
            .bind(v.visited_on.to_string())
            .bind(v.mode.as_str())
            .bind(&v.report)
            .bind(&v.outcome)
            .bind(by)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE consulting_requests SET status = 'visited', updated_at = $1 WHERE id = $2",
        )
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            Some(by),
            "consulting.visit",
            "consulting",
            &id.to_string(),
            Some(&json!({"status": before.status})),
            Some(&json!({"status": "visited", "visit": v})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Completes a visited request; audited (`consulting.complete`).
    pub async fn complete_consulting(&self, id: ConsultingRequestId, by: UserId) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE consulting_requests SET status = 'completed', updated_at = $1 WHERE id = $2 AND status = 'visited'")
            .bind(now_text())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "訪問を記録した依頼だけを完了にできます".into(),
            ));
        }
        audit(
            &mut tx,
            Some(by),
            "consulting.complete",
            "consulting",
            &id.to_string(),
            Some(&json!({"status": "visited"})),
            Some(&json!({"status": "completed"})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The visits of a request, oldest first.
    pub async fn visits(&self, id: ConsultingRequestId) -> Result<Vec<Visit>> {
        let rows = sqlx::query("SELECT v.*, u.display_name AS recorded_by_name FROM consulting_visits v JOIN users u ON u.id = v.recorded_by WHERE v.request_id = $1 ORDER BY v.visited_on, v.id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Visit {
                    visited_on: req_date(r, "visited_on")?,
                    mode: VisitMode::from_column(&r.try_get::<String, _>("mode")?)?,
                    report: r.try_get("report")?,
                    outcome: r.try_get("outcome")?,
                    recorded_by_name: r.try_get("recorded_by_name")?,
                })
            })
            .collect()
    }

    /// Per industry: organisations known, those without telework, cases,
    /// consultations (by the organisation's industry, else the enquirer's)
    /// and consulting requests. Industries with nothing are left out.
    pub async fn industry_counts(&self) -> Result<Vec<IndustryCounts>> {
        let mut out: Vec<IndustryCounts> = Vec::new();
        let mut slot = |industry: String| -> usize {
            match out.iter().position(|c| c.industry == industry) {
                Some(i) => i,
                None => {
                    out.push(IndustryCounts {
                        industry,
                        ..IndustryCounts::default()
                    });
                    out.len() - 1
                }
            }
        };
        let mut idx = Vec::new();
        for r in sqlx::query("SELECT industry, COUNT(*) AS n, COUNT(CASE WHEN telework_status = 'none' THEN 1 END) AS w FROM organizations GROUP BY industry")
            .fetch_all(&self.pool)
            .await?
        {
            let i = slot(r.try_get("industry")?);
            idx.push((i, 0, r.try_get::<i64, _>("n")?));
            idx.push((i, 1, r.try_get::<i64, _>("w")?));
        }
        let grouped = [
            "SELECT o.industry AS industry, COUNT(*) AS n FROM cases c JOIN organizations o ON o.id = c.organization_id GROUP BY o.industry",
            "SELECT COALESCE(o.industry, k.industry) AS industry, COUNT(*) AS n FROM consultations k LEFT JOIN organizations o ON o.id = k.organization_id WHERE COALESCE(o.industry, k.industry) IS NOT NULL GROUP BY COALESCE(o.industry, k.industry)",
            "SELECT o.industry AS industry, COUNT(*) AS n FROM consulting_requests r JOIN organizations o ON o.id = r.organization_id GROUP BY o.industry",
        ];
        for (which, sql) in grouped.iter().enumerate() {
            for r in sqlx::query(sql).fetch_all(&self.pool).await? {
                let i = slot(r.try_get("industry")?);
                idx.push((i, which + 2, r.try_get::<i64, _>("n")?));
            }
        }
        for (i, which, n) in idx {
            let c = &mut out[i];
            match which {
                0 => c.organizations = n,
                1 => c.without_telework = n,
                2 => c.cases = n,
                3 => c.consultations = n,
                _ => c.consulting_requests = n,
            }
        }
        Ok(out)
    }

    /// The organisations of `industries` that have not established
    /// telework (`none`, `trial_ongoing`, `trial_ended`) and have no case,
    /// in the order of `industries`, then by name (at most `limit`).
    pub async fn outreach_targets(
        &self,
        industries: &[String],
        limit: i64,
    ) -> Result<Vec<OutreachTarget>> {
        let mut out = Vec::new();
        for industry in industries {
            let rows = sqlx::query("SELECT o.name, o.prefecture, o.industry, o.telework_status FROM organizations o WHERE o.industry = $1 AND o.telework_status IN ('none', 'trial_ongoing', 'trial_ended') AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.organization_id = o.id) ORDER BY o.name, o.id LIMIT $2")
                .bind(industry)
                .bind(limit - out.len() as i64)
                .fetch_all(&self.pool)
                .await?;
            for r in rows {
                out.push(OutreachTarget {
                    name: r.try_get("name")?,
                    prefecture: r.try_get("prefecture")?,
                    industry: r.try_get("industry")?,
                    telework_status: r.try_get("telework_status")?,
                });
            }
            if out.len() as i64 >= limit {
                break;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each enum's texts are exactly the CHECK's list, on both backends.
    #[test]
    fn the_enums_are_the_texts_the_database_accepts() {
        fn list(texts: &[&str]) -> String {
            texts
                .iter()
                .map(|t| format!("'{t}'"))
                .collect::<Vec<_>>()
                .join(", ")
        }
        let checks = [
            (
                "channel IN",
                list(&Channel::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>()),
            ),
            (
                "topic IN",
                list(&Topic::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>()),
            ),
            (
                "referral IN",
                list(&Referral::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>()),
            ),
            (
                "status IN",
                list(
                    &ConsultingStatus::ALL
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>(),
                ),
            ),
            (
                "mode IN",
                list(
                    &VisitMode::ALL
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>(),
                ),
            ),
        ];
        for sql in [
            include_str!("../migrations/sqlite/0017_consultations.sql"),
            include_str!("../migrations/postgres/0017_consultations.sql"),
        ] {
            for (column, values) in &checks {
                assert!(sql.contains(&format!("{column} ({values})")), "{column}");
            }
        }
        // Every value has its Japanese label, none of them the code's word.
        for c in Channel::ALL {
            assert!(!c.label().is_ascii());
        }
        for t in Topic::ALL {
            assert!(!t.label().contains(t.as_str()));
        }
        for r in Referral::ALL {
            assert!(!r.label().is_ascii());
        }
        for s in ConsultingStatus::ALL {
            assert!(!s.label().is_ascii());
        }
    }
}
