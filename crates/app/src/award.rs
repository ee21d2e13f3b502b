//! 輝くテレワーク賞 (テレワーク推進企業等厚生労働大臣表彰): rounds by fiscal
//! year, employers' applications with their telework figures drawn from
//! their cases, screening by judges (a declaration of conflict of interest,
//! then a score per criterion and a comment), results decided and published
//! by an administrator, and the public list of winners.
//!
//! Who sees what (every function checks it; a record out of scope answers
//! [`Error::not_found`]):
//! - employers and 社会保険労務士: the applications of their organisations
//!   (an agent's: the organisations delegated to them);
//! - judges: submitted applications of rounds under screening, never a
//!   draft, and only their own review (never another judge's scores);
//! - administrators: everything, with the scores of every judge;
//! - officers and advisors: nothing (403).

use crate::access::{in_scope, require_role, scope_of};
use crate::text::forbidden_char;
use crate::{today, App, Error, Result};
use jiff::civil::Date;
use josei_store::{
    AwardApplication, AwardApplicationId, AwardApplicationStatus, AwardCriterion, AwardDraft,
    AwardResult, AwardReview, AwardRound, AwardRoundId, AwardRoundStatus, Organization,
    OrganizationId, Role, Scope, User, UserId,
};
use serde_json::Value;
use std::collections::BTreeMap;

/// A criterion the judges score, from 1 (不十分) to 5 (特に優れている).
#[derive(Clone, Copy, Debug)]
pub struct Criterion {
    pub key: AwardCriterion,
    /// The criterion as the pages name it.
    pub label: &'static str,
    /// What the judge asks of the application.
    pub question: &'static str,
}

/// The screening criteria, in the order the forms and the overview show
/// them: the one place they are defined (the store's [`AwardCriterion`]
/// holds only their keys). They follow what the award honours — telework
/// used for work-life balance, an example for other employers — read as
/// five questions: 経営トップの関与, 制度の整備, 実施状況, 成果, 波及効果.
pub const CRITERIA: [Criterion; 5] = [
    Criterion {
        key: AwardCriterion::Leadership,
        label: "経営トップの関与",
        question: "経営トップがテレワークの方針を示し、推進に関わっているか",
    },
    Criterion {
        key: AwardCriterion::System,
        label: "制度の整備",
        question: "就業規則・労務管理・情報セキュリティ等、テレワークの制度が整っているか",
    },
    Criterion {
        key: AwardCriterion::Practice,
        label: "実施状況",
        question: "対象者の範囲や実施の頻度など、テレワークが実際に活用されているか",
    },
    Criterion {
        key: AwardCriterion::Outcome,
        label: "成果",
        question: "ワーク・ライフ・バランスや生産性、人材確保などに成果が上がっているか",
    },
    Criterion {
        key: AwardCriterion::Spread,
        label: "波及効果",
        question: "他の企業・団体の模範となり、取組が広がることが期待できるか",
    },
];

/// The lowest and highest score of a criterion.
pub const SCORE_RANGE: std::ops::RangeInclusive<i64> = 1..=5;

/// The longest text of an application or a comment (characters).
pub const MAX_TEXT: usize = 2_000;

/// The criterion's label.
pub fn criterion_label(c: AwardCriterion) -> &'static str {
    CRITERIA.iter().find(|x| x.key == c).map_or("", |x| x.label)
}

/// A result as pages name it.
pub fn result_label(r: AwardResult) -> &'static str {
    match r {
        AwardResult::Excellence => "厚生労働大臣賞「優秀賞」",
        AwardResult::Encouragement => "厚生労働大臣賞「特別奨励賞」",
        AwardResult::NotSelected => "選外",
    }
}

/// A round's status as pages name it.
pub fn round_status_label(s: AwardRoundStatus) -> &'static str {
    match s {
        AwardRoundStatus::Accepting => "募集中",
        AwardRoundStatus::Screening => "審査中",
        AwardRoundStatus::Published => "結果公表済み",
    }
}

/// An application's status as its applicant reads it.
pub fn application_status_label(a: &AwardApplication) -> &'static str {
    match (a.status, a.round_status) {
        (AwardApplicationStatus::Draft, AwardRoundStatus::Accepting) => "下書き（未提出）",
        (AwardApplicationStatus::Draft, _) => "未提出のまま募集終了",
        (AwardApplicationStatus::Submitted, AwardRoundStatus::Accepting) => "提出済み（受付済み）",
        (AwardApplicationStatus::Submitted, AwardRoundStatus::Screening) => "提出済み（審査中）",
        (AwardApplicationStatus::Submitted, AwardRoundStatus::Published) => "審査結果公表済み",
    }
}

/// The telework rate in percent (one decimal), when both figures are known.
pub fn telework_rate(workers: Option<i64>, teleworkers: Option<i64>) -> Option<f64> {
    match (workers, teleworkers) {
        (Some(w), Some(t)) if w > 0 => Some((t as f64 * 1000.0 / w as f64).round() / 10.0),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Rounds and the public page.

/// Every round, the latest first (public).
pub async fn rounds(app: &App) -> Result<Vec<AwardRound>> {
    Ok(app.db.award_rounds().await?)
}

/// The round shown as 「今年度の募集」: the latest one accepting
/// applications, else the latest round.
pub async fn current_round(app: &App) -> Result<Option<AwardRound>> {
    let all = rounds(app).await?;
    Ok(all
        .iter()
        .find(|r| r.status == AwardRoundStatus::Accepting)
        .or(all.first())
        .cloned())
}

/// Whether applications may be sent to `round` on `day`.
pub fn accepting(round: &AwardRound, day: Date) -> bool {
    round.status == AwardRoundStatus::Accepting && round.opens_on <= day && day <= round.closes_on
}

/// The winners of the published rounds, grouped by fiscal year (the latest
/// first). Nothing of a round appears before an administrator publishes it.
pub async fn winners(app: &App) -> Result<Vec<(i64, Vec<AwardApplication>)>> {
    let mut by_year: Vec<(i64, Vec<AwardApplication>)> = Vec::new();
    for a in app.db.award_winners().await? {
        match by_year.last_mut() {
            Some((y, list)) if *y == a.fiscal_year => list.push(a),
            _ => by_year.push((a.fiscal_year, vec![a])),
        }
    }
    Ok(by_year)
}

// ---------------------------------------------------------------------------
// Applicants.

/// The organisations `user` may apply for (an employer's own, an agent's
/// delegated ones).
pub async fn applicant_orgs(app: &App, user: &User) -> Result<Vec<Organization>> {
    require_role(user, &[Role::Employer, Role::Agent])?;
    crate::organizations::visible(app, user).await
}

/// The organisation `id`, if `user` may apply for it; otherwise 404.
async fn applicant_org(app: &App, user: &User, id: OrganizationId) -> Result<Organization> {
    require_role(user, &[Role::Employer, Role::Agent])?;
    let org = app.db.org(id).await?.ok_or_else(Error::not_found)?;
    let scope = scope_of(app, user).await?;
    if in_scope(&scope, org.id, org.prefecture) {
        Ok(org)
    } else {
        Err(Error::not_found())
    }
}

/// The applications of `user`'s organisations, the latest round first.
pub async fn my_applications(app: &App, user: &User) -> Result<Vec<AwardApplication>> {
    let orgs: Vec<OrganizationId> = applicant_orgs(app, user)
        .await?
        .iter()
        .map(|o| o.id)
        .collect();
    Ok(app.db.award_applications_of_orgs(&orgs).await?)
}

/// A figure prefilled from a case, with where it came from.
#[derive(Clone, Debug)]
pub struct Figure {
    pub value: i64,
    /// Where the figure comes from, in words (the case's title and the part
    /// of it).
    pub source: String,
}

/// What the form can take from the organisation's latest case.
#[derive(Clone, Debug, Default)]
pub struct Prefill {
    /// The case's title (none: the organisation has no case).
    pub case_title: Option<String>,
    pub workers: Option<Figure>,
    pub teleworkers: Option<Figure>,
    pub telework_days: Option<Figure>,
}

/// The figures of the organisation's case updated last: 常時雇用する労働者の
/// 数 from its employer section, the workers who teleworked and the days
/// they did (places other than the office) from its telework records (or,
/// without records, the plan's target workers).
pub async fn prefill(app: &App, org: OrganizationId) -> Result<Prefill> {
    let cases = app.db.cases(&Scope::Organizations(vec![org])).await?;
    let Some(case) = cases
        .iter()
        .filter(|c| c.status != josei_store::Status::Withdrawn)
        .max_by(|a, b| a.updated_at.cmp(&b.updated_at).then(a.id.cmp(&b.id)))
    else {
        return Ok(Prefill::default());
    };
    let doc = app.db.case_document(case).await?;
    Ok(prefill_from(&case.title, &doc))
}

/// [`prefill`] from a case document.
pub fn prefill_from(title: &str, doc: &Value) -> Prefill {
    let named = |what: &str| format!("申請「{title}」の{what}");
    let workers = doc["employer"]["regular_employees"]
        .as_i64()
        .filter(|n| *n > 0)
        .map(|value| Figure {
            value,
            source: named("事業主情報（常時雇用する労働者の数）"),
        });
    let records: Vec<&Value> = doc["telework"]
        .as_array()
        .map(|a| a.iter().filter(|r| r["place"] != "office").collect())
        .unwrap_or_default();
    let (teleworkers, telework_days) = if records.is_empty() {
        let targets = doc["plan"]["target_workers"]
            .as_array()
            .or(doc["target_workers"].as_array())
            .map(Vec::len)
            .filter(|n| *n > 0);
        (
            targets.map(|n| Figure {
                value: n as i64,
                source: named("対象労働者（テレワークの実施記録はまだありません）"),
            }),
            None,
        )
    } else {
        let mut people: Vec<&str> = records
            .iter()
            .filter_map(|r| r["worker"].as_str())
            .collect();
        people.sort_unstable();
        people.dedup();
        (
            Some(Figure {
                value: people.len() as i64,
                source: named("テレワークの実施記録（実施した労働者の人数）"),
            }),
            Some(Figure {
                value: records.len() as i64,
                source: named("テレワークの実施記録（延べ日数）"),
            }),
        )
    };
    Prefill {
        case_title: Some(title.to_string()),
        workers,
        teleworkers,
        telework_days,
    }
}

/// What the application form needs: the round, the organisation, its
/// application so far and what its cases say.
#[derive(Clone, Debug)]
pub struct ApplyForm {
    pub round: AwardRound,
    pub org: Organization,
    pub application: Option<AwardApplication>,
    pub prefill: Prefill,
    /// Whether the round accepts applications today.
    pub open: bool,
}

/// The form of `org` for the current round.
pub async fn apply_form(app: &App, user: &User, org: OrganizationId) -> Result<ApplyForm> {
    let org = applicant_org(app, user, org).await?;
    let round = current_round(app)
        .await?
        .ok_or_else(|| Error::conflict("現在、募集している回はありません"))?;
    let application = app.db.award_application_of(round.id, org.id).await?;
    let day = today(app).await?;
    Ok(ApplyForm {
        open: accepting(&round, day),
        prefill: prefill(app, org.id).await?,
        application,
        org,
        round,
    })
}

/// The form as sent: text as typed.
#[derive(Clone, Debug, Default)]
pub struct ApplicationInput {
    pub background: String,
    pub practices: String,
    pub outcomes: String,
    pub workers: String,
    pub teleworkers: String,
    pub telework_days: String,
}

/// A whole number as typed (full-width digits and commas read): blank is
/// `None`.
fn number(
    field: &str,
    label: &str,
    v: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>> {
    let t: String = v
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，'))
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .collect();
    if t.is_empty() {
        return Ok(None);
    }
    let n: i64 = t
        .parse()
        .map_err(|_| Error::invalid(field, format!("{label}は半角の整数で入力してください")))?;
    if !range.contains(&n) {
        return Err(Error::invalid(
            field,
            format!(
                "{label}は{}〜{}の範囲で入力してください",
                range.start(),
                range.end()
            ),
        ));
    }
    Ok(Some(n))
}

/// A text of the form: trimmed, at most [`MAX_TEXT`] characters, line
/// breaks allowed, no control characters.
fn text(field: &str, label: &str, v: &str) -> Result<String> {
    let t = v.trim().replace("\r\n", "\n");
    if t.chars().count() > MAX_TEXT {
        return Err(Error::invalid(
            field,
            format!("{label}は{MAX_TEXT}文字以内で入力してください"),
        ));
    }
    if let Some(c) = t.chars().find(|c| forbidden_char(*c, true)) {
        return Err(Error::invalid(
            field,
            format!(
                "{label}に使えない文字（U+{:04X}）が含まれています",
                c as u32
            ),
        ));
    }
    Ok(t)
}

/// Checks the form: every value readable and in range, the teleworkers no
/// more than the workers; to submit, every text and the two head counts
/// given.
pub fn check_input(input: &ApplicationInput, submit: bool) -> Result<AwardDraft> {
    let draft = AwardDraft {
        background: text("background", "導入の経緯", &input.background)?,
        practices: text("practices", "取組内容", &input.practices)?,
        outcomes: text("outcomes", "成果", &input.outcomes)?,
        workers: number(
            "workers",
            "常時雇用する労働者の数",
            &input.workers,
            1..=1_000_000,
        )?,
        teleworkers: number(
            "teleworkers",
            "テレワークを実施した労働者の数",
            &input.teleworkers,
            0..=1_000_000,
        )?,
        telework_days: number(
            "telework_days",
            "テレワークの延べ実施日数",
            &input.telework_days,
            0..=100_000_000,
        )?,
    };
    if let (Some(w), Some(t)) = (draft.workers, draft.teleworkers) {
        if t > w {
            return Err(Error::invalid(
                "teleworkers",
                "テレワークを実施した労働者の数は、常時雇用する労働者の数以下にしてください",
            ));
        }
    }
    if submit {
        let required = [
            ("background", "導入の経緯", draft.background.is_empty()),
            ("practices", "取組内容", draft.practices.is_empty()),
            ("outcomes", "成果", draft.outcomes.is_empty()),
            ("workers", "常時雇用する労働者の数", draft.workers.is_none()),
            (
                "teleworkers",
                "テレワークを実施した労働者の数",
                draft.teleworkers.is_none(),
            ),
        ];
        if let Some((field, label, _)) = required.iter().find(|(_, _, missing)| *missing) {
            return Err(Error::invalid(
                field,
                format!("応募するには{label}を入力してください"),
            ));
        }
    }
    Ok(draft)
}

/// Saves `org`'s application to the current round as a draft, or submits
/// it (`submit`). The round must be accepting applications today; a
/// submitted application is final. Audited.
pub async fn save_application(
    app: &App,
    user: &User,
    org: OrganizationId,
    input: &ApplicationInput,
    submit: bool,
) -> Result<AwardApplicationId> {
    let form = apply_form(app, user, org).await?;
    if !form.open {
        return Err(Error::conflict(
            "募集期間外のため、応募の保存や提出はできません",
        ));
    }
    if form
        .application
        .as_ref()
        .is_some_and(|a| a.status == AwardApplicationStatus::Submitted)
    {
        return Err(Error::conflict(
            "この応募は既に提出されているため、変更できません",
        ));
    }
    let draft = check_input(input, submit)?;
    Ok(app
        .db
        .save_award_application(form.round.id, form.org.id, &draft, submit, user.id)
        .await?)
}

/// An application `user` may read: an applicant's own, a submitted one of
/// a round under screening for a judge, any for an administrator.
pub async fn application(
    app: &App,
    user: &User,
    id: AwardApplicationId,
) -> Result<AwardApplication> {
    require_role(
        user,
        &[Role::Employer, Role::Agent, Role::Judge, Role::Admin],
    )?;
    let a = app
        .db
        .award_application(id)
        .await?
        .ok_or_else(Error::not_found)?;
    let visible = match user.role {
        Role::Admin => true,
        Role::Judge => screenable(&a),
        _ => {
            let scope = scope_of(app, user).await?;
            matches!(&scope, Scope::Organizations(ids) if ids.contains(&a.organization_id))
        }
    };
    if visible {
        Ok(a)
    } else {
        Err(Error::not_found())
    }
}

// ---------------------------------------------------------------------------
// Judges.

/// Whether a judge may see the application: submitted, in a round under
/// screening.
fn screenable(a: &AwardApplication) -> bool {
    a.status == AwardApplicationStatus::Submitted && a.round_status == AwardRoundStatus::Screening
}

/// The applications a judge screens, each with the judge's own review.
pub async fn screening_list(
    app: &App,
    judge: &User,
) -> Result<Vec<(AwardApplication, Option<AwardReview>)>> {
    require_role(judge, &[Role::Judge])?;
    let mut out = Vec::new();
    for a in app
        .db
        .award_submitted_in_rounds(AwardRoundStatus::Screening)
        .await?
    {
        let review = app.db.award_review(a.id, judge.id).await?;
        out.push((a, review));
    }
    Ok(out)
}

/// One application for its judge, with the judge's own review only.
pub async fn screening(
    app: &App,
    judge: &User,
    id: AwardApplicationId,
) -> Result<(AwardApplication, Option<AwardReview>)> {
    require_role(judge, &[Role::Judge])?;
    let a = application(app, judge, id).await?;
    let review = app.db.award_review(a.id, judge.id).await?;
    Ok((a, review))
}

/// The judge's declaration on the application: `conflict` (利害関係あり:
/// the judge will not score it) or none. Once per application. Audited.
pub async fn declare(
    app: &App,
    judge: &User,
    id: AwardApplicationId,
    conflict: bool,
) -> Result<()> {
    let (a, review) = screening(app, judge, id).await?;
    if review.is_some() {
        return Err(Error::conflict("利害関係の申告は既に済んでいます"));
    }
    Ok(app
        .db
        .declare_award_conflict(a.id, judge.id, conflict)
        .await?)
}

/// Reads the judge's scores as sent (`scores`: criterion key → text):
/// every criterion scored, each 1–5; the comment at most [`MAX_TEXT`]
/// characters.
pub fn check_scores(
    scores: &BTreeMap<String, String>,
    comment: &str,
) -> Result<(Vec<(AwardCriterion, i64)>, String)> {
    let mut out = Vec::new();
    for c in CRITERIA {
        let field = format!("score_{}", c.key.as_str());
        let v = scores.get(c.key.as_str()).map_or("", |s| s.trim());
        if v.is_empty() {
            return Err(Error::invalid(
                &field,
                format!("「{}」の評点を選んでください", c.label),
            ));
        }
        let n: i64 = v
            .parse()
            .ok()
            .filter(|n| SCORE_RANGE.contains(n))
            .ok_or_else(|| {
                Error::invalid(
                    &field,
                    format!("「{}」の評点は1〜5のいずれかにしてください", c.label),
                )
            })?;
        out.push((c.key, n));
    }
    let comment = text("comment", "講評", comment)?;
    Ok((out, comment))
}

/// Stores the judge's scores and comment (replacing earlier ones). Only
/// after declaring no conflict of interest, while the round is under
/// screening. Audited.
pub async fn score(
    app: &App,
    judge: &User,
    id: AwardApplicationId,
    scores: &BTreeMap<String, String>,
    comment: &str,
) -> Result<()> {
    let (a, review) = screening(app, judge, id).await?;
    match review {
        None => {
            return Err(Error::conflict(
                "採点の前に、利害関係の有無を申告してください",
            ))
        }
        Some(r) if r.conflict => {
            return Err(Error::conflict(
                "利害関係ありと申告した応募は採点できません",
            ))
        }
        Some(_) => {}
    }
    let (scores, comment) = check_scores(scores, comment)?;
    Ok(app
        .db
        .save_award_review(a.id, judge.id, &scores, &comment)
        .await?)
}

// ---------------------------------------------------------------------------
// Administrators.

/// Opens a round for `fiscal_year` (2015–2100) from `opens_on` to
/// `closes_on`. Audited.
pub async fn create_round(
    app: &App,
    admin: &User,
    fiscal_year: &str,
    opens_on: &str,
    closes_on: &str,
) -> Result<AwardRoundId> {
    require_role(admin, &[Role::Admin])?;
    let year = number("fiscal_year", "年度", fiscal_year, 2015..=2100)?
        .ok_or_else(|| Error::invalid("fiscal_year", "年度を入力してください"))?;
    let date = |field: &str, label: &str, v: &str| -> Result<Date> {
        let v = v.trim();
        if v.is_empty() {
            return Err(Error::invalid(field, format!("{label}を入力してください")));
        }
        josei_rules::civil::parse_iso_date(v).map_err(|_| {
            Error::invalid(
                field,
                format!("{label}は 2026-06-01 の形の日付で入力してください"),
            )
        })
    };
    let opens = date("opens_on", "募集開始日", opens_on)?;
    let closes = date("closes_on", "募集締切日", closes_on)?;
    if closes < opens {
        return Err(Error::invalid(
            "closes_on",
            "募集締切日は募集開始日以降の日付にしてください",
        ));
    }
    if app
        .db
        .award_rounds()
        .await?
        .iter()
        .any(|r| r.fiscal_year == year)
    {
        return Err(Error::invalid(
            "fiscal_year",
            "この年度の回は既に登録されています",
        ));
    }
    Ok(app
        .db
        .create_award_round(year, opens, closes, admin.id)
        .await?)
}

/// The round `id`, for an administrator.
pub async fn round(app: &App, admin: &User, id: AwardRoundId) -> Result<AwardRound> {
    require_role(admin, &[Role::Admin])?;
    app.db.award_round(id).await?.ok_or_else(Error::not_found)
}

/// Ends the applications of a round and starts its screening: judges see
/// its submitted applications from now on. Audited.
pub async fn start_screening(app: &App, admin: &User, id: AwardRoundId) -> Result<()> {
    let r = round(app, admin, id).await?;
    if r.status != AwardRoundStatus::Accepting {
        return Err(Error::conflict("この回は既に審査を始めています"));
    }
    let day = today(app).await?;
    Ok(app
        .db
        .set_award_round_status(
            r.id,
            AwardRoundStatus::Accepting,
            AwardRoundStatus::Screening,
            day,
            admin.id,
        )
        .await?)
}

/// One application in the administrators' overview of a round.
#[derive(Clone, Debug)]
pub struct OverviewRow {
    pub application: AwardApplication,
    /// The average score per criterion over the judges who scored
    /// ([`CRITERIA`]'s order; `None` before the first score).
    pub averages: Vec<Option<f64>>,
    /// The sum of the averages (out of 25).
    pub total: Option<f64>,
    /// Judges who scored.
    pub scored: usize,
    /// Judges who declared a conflict of interest.
    pub conflicts: usize,
    /// Each judge's review, with the judge's name.
    pub reviews: Vec<(String, AwardReview)>,
}

/// The submitted applications of a round with their scores, for an
/// administrator: averages per criterion, their total, the number of judges
/// who scored and who declared a conflict.
pub async fn overview(
    app: &App,
    admin: &User,
    id: AwardRoundId,
) -> Result<(AwardRound, Vec<OverviewRow>)> {
    let r = round(app, admin, id).await?;
    let rows = app.db.award_score_rows(r.id).await?;
    let mut out = Vec::new();
    for a in app.db.award_submitted_in_round(r.id).await? {
        let of_this: Vec<&josei_store::AwardScoreRow> =
            rows.iter().filter(|x| x.application_id == a.id).collect();
        let mut judges: Vec<UserId> = of_this.iter().map(|x| x.judge_id).collect();
        judges.dedup();
        let distinct = |keep: &dyn Fn(&josei_store::AwardScoreRow) -> bool| {
            let mut j: Vec<UserId> = of_this
                .iter()
                .filter(|x| keep(x))
                .map(|x| x.judge_id)
                .collect();
            j.dedup();
            j.len()
        };
        let conflicts = distinct(&|x| x.conflict);
        let scored = distinct(&|x| x.scored && !x.conflict);
        let averages: Vec<Option<f64>> = CRITERIA
            .iter()
            .map(|c| {
                let s: Vec<i64> = of_this
                    .iter()
                    .filter(|x| !x.conflict)
                    .filter_map(|x| x.score.filter(|(k, _)| *k == c.key).map(|(_, n)| n))
                    .collect();
                (!s.is_empty())
                    .then(|| (s.iter().sum::<i64>() as f64 * 10.0 / s.len() as f64).round() / 10.0)
            })
            .collect();
        let total = averages
            .iter()
            .all(Option::is_some)
            .then(|| (averages.iter().flatten().sum::<f64>() * 10.0).round() / 10.0);
        let mut named = Vec::new();
        for judge in &judges {
            if let Some(review) = app.db.award_review(a.id, *judge).await? {
                let name = app
                    .db
                    .user_by_id(*judge)
                    .await?
                    .map_or_else(String::new, |u| u.display_name);
                named.push((name, review));
            }
        }
        out.push(OverviewRow {
            application: a,
            averages,
            total,
            scored,
            conflicts,
            reviews: named,
        });
    }
    Ok((r, out))
}

/// Decides (or clears, `None`) the result of a submitted application of a
/// round under screening. Audited.
pub async fn decide(
    app: &App,
    admin: &User,
    id: AwardApplicationId,
    result: Option<AwardResult>,
) -> Result<AwardApplication> {
    require_role(admin, &[Role::Admin])?;
    let a = application(app, admin, id).await?;
    if a.status != AwardApplicationStatus::Submitted
        || a.round_status != AwardRoundStatus::Screening
    {
        return Err(Error::conflict(
            "審査中の回の提出済みの応募だけ、結果を決められます",
        ));
    }
    app.db.decide_award_result(a.id, result, admin.id).await?;
    Ok(a)
}

/// Publishes the results of a round under screening: its winners appear on
/// the public page from now on. Every submitted application needs its
/// result first. Audited.
pub async fn publish(app: &App, admin: &User, id: AwardRoundId) -> Result<()> {
    let r = round(app, admin, id).await?;
    if r.status != AwardRoundStatus::Screening {
        return Err(Error::conflict("結果を公表できるのは審査中の回だけです"));
    }
    let undecided = app
        .db
        .award_submitted_in_round(r.id)
        .await?
        .iter()
        .filter(|a| a.result.is_none())
        .count();
    if undecided > 0 {
        return Err(Error::conflict(format!(
            "結果を決めていない応募が{undecided}件あります。すべての応募の結果を決めてから公表してください"
        )));
    }
    let day = today(app).await?;
    Ok(app
        .db
        .set_award_round_status(
            r.id,
            AwardRoundStatus::Screening,
            AwardRoundStatus::Published,
            day,
            admin.id,
        )
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_figures_come_from_the_case_and_say_so() {
        let doc = json!({
            "employer": {"regular_employees": 12},
            "plan": {"target_workers": [{"id": "E001"}, {"id": "E002"}, {"id": "E003"}]},
            "telework": [
                {"worker": "E001", "date": "2022-08-03", "place": "home"},
                {"worker": "E001", "date": "2022-08-10", "place": "home"},
                {"worker": "E002", "date": "2022-08-10", "place": "satellite_office"},
                {"worker": "E003", "date": "2022-08-10", "place": "office"},
            ],
        });
        let p = prefill_from("導入計画", &doc);
        assert_eq!(p.workers.as_ref().map(|f| f.value), Some(12));
        assert_eq!(p.teleworkers.as_ref().map(|f| f.value), Some(2));
        assert_eq!(p.telework_days.as_ref().map(|f| f.value), Some(3));
        assert!(p.workers.unwrap().source.contains("導入計画"));
        // Without records: the plan's target workers, and no days.
        let p = prefill_from("x", &json!({"plan": {"target_workers": [{"id": "E001"}]}}));
        assert_eq!(p.teleworkers.map(|f| f.value), Some(1));
        assert!(p.telework_days.is_none() && p.workers.is_none());
    }

    #[test]
    fn a_submission_needs_every_text_and_head_count() {
        let mut input = ApplicationInput {
            background: "経緯".into(),
            practices: "取組".into(),
            outcomes: String::new(),
            workers: "１２".into(),
            teleworkers: "3".into(),
            telework_days: String::new(),
        };
        assert!(check_input(&input, false).is_ok());
        let e = check_input(&input, true).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("outcomes"));
        input.outcomes = "成果".into();
        assert_eq!(check_input(&input, true).unwrap().workers, Some(12));
        input.teleworkers = "13".into();
        let e = check_input(&input, true).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("teleworkers"));
        input.teleworkers = "abc".into();
        assert!(check_input(&input, false).is_err());
    }

    #[test]
    fn every_criterion_is_scored_one_to_five() {
        let mut s: BTreeMap<String, String> = CRITERIA
            .iter()
            .map(|c| (c.key.as_str().to_string(), "4".to_string()))
            .collect();
        assert_eq!(check_scores(&s, "良い").unwrap().0.len(), 5);
        s.insert("spread".into(), "6".into());
        let e = check_scores(&s, "").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("score_spread"));
        s.remove("spread");
        assert!(check_scores(&s, "").is_err());
        assert_eq!(CRITERIA.len(), AwardCriterion::ALL.len());
    }

    #[test]
    fn rate_in_percent() {
        assert_eq!(telework_rate(Some(12), Some(3)), Some(25.0));
        assert_eq!(telework_rate(Some(3), Some(1)), Some(33.3));
        assert_eq!(telework_rate(None, Some(1)), None);
    }
}
