//! In-app notifications and the e-mails that go with them: who is told what
//! when an officer decides, returns or rejects a plan, when a message is
//! posted, and when a deadline comes near (30, 7 and 1 days before).
//!
//! Each notification is written with its e-mail (for users with an address)
//! in one transaction ([`josei_store::Db::add_notifications`]); the mail is
//! sent later from the outbox ([`crate::mail`]). Texts are polite Japanese
//! with the official terms, the case's title and, for decisions, the amount
//! and the reason; no internal word reaches them.

use crate::cases::CaseView;
use crate::deadlines::{days_after, of_snapshot, Deadline};
use crate::{App, Error, Result};
use jiff::civil::Date;
use josei_rules::evaluate::CheckStatus;
use josei_rules::model::Yen;
use josei_store::workflow::Procedure;
use josei_store::{
    CaseRow, ListQuery, NewMail, NewNotification, Notification, NotificationId, NotificationKind,
    Role, Scope, Sort, Status, User,
};

/// The days before a deadline on which a reminder goes out.
pub const REMINDER_DAYS: [i64; 3] = [30, 7, 1];

/// The most notifications a list shows.
pub const LIST_LIMIT: i64 = 200;

/// A notification for `user` about `case`, with its e-mail when the user has
/// an address: the subject is the title, the mail opens with the name.
pub(crate) fn note_for(
    user: &User,
    case: &CaseRow,
    kind: NotificationKind,
    title: String,
    body: String,
    dedupe_key: Option<String>,
) -> NewNotification {
    let mail = user.email.as_ref().map(|to| NewMail {
        to: to.clone(),
        subject: format!("【テレワーク助成金】{title}"),
        body: format!("{} 様\n\n{body}\n", user.display_name),
        link_path: Some(match kind {
            NotificationKind::Message => format!("/cases/{}/messages", case.id),
            _ => format!("/cases/{}", case.id),
        }),
    });
    NewNotification {
        user_id: user.id,
        case_id: Some(case.id),
        kind,
        title,
        body,
        dedupe_key,
        mail,
    }
}

/// What an officer's step tells the applicant side: the kind, the title and
/// the text naming `bureau` (東京労働局, …), or `None` for steps that tell no one.
pub fn step_text(
    before: &CaseRow,
    view: &CaseView,
    reason: Option<&str>,
    bureau: &str,
) -> Option<(NotificationKind, String, String)> {
    let case = &view.case;
    let title = &case.title;
    let reason_line = |r: Option<&str>| match r.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => format!("\n理由：{r}"),
        None => String::new(),
    };
    if before.status == case.status {
        return None;
    }
    match case.status {
        Status::PlanCertified => Some((
            NotificationKind::PlanCertified,
            "テレワーク実施計画が認定されました".to_string(),
            format!("申請「{title}」のテレワーク実施計画を、{bureau}が認定しました。\n計画に沿って取組を進め、評価期間を始めてください。"),
        )),
        Status::PlanReturned => Some((
            NotificationKind::PlanReturned,
            "テレワーク実施計画が差し戻されました".to_string(),
            format!(
                "申請「{title}」のテレワーク実施計画が、{bureau}から差し戻されました（差戻し）。{}\n内容を直して、もう一度提出してください。",
                reason_line(reason)
            ),
        )),
        Status::PlanRejected => Some((
            NotificationKind::PlanRejected,
            "テレワーク実施計画は認定されませんでした".to_string(),
            format!(
                "申請「{title}」のテレワーク実施計画は、{bureau}で認定されませんでした（不認定）。{}",
                reason_line(reason)
            ),
        )),
        Status::EquipmentGranted | Status::EquipmentDenied | Status::GoalGranted | Status::GoalDenied => {
            let equipment = matches!(case.status, Status::EquipmentGranted | Status::EquipmentDenied);
            let granted = matches!(case.status, Status::EquipmentGranted | Status::GoalGranted);
            let subsidy = subsidy_name(view, equipment);
            let decision = view.decision.as_ref();
            let reason = decision.and_then(|d| d.reason.as_deref()).or(reason);
            if granted {
                let amount = decision.map_or(0, |d| d.decided_amount_yen.max(0) as u64);
                Some((
                    NotificationKind::Granted,
                    format!("{subsidy}の支給決定"),
                    format!(
                        "申請「{title}」について、{bureau}が{subsidy}の支給を決定しました（支給決定）。\n支給決定額：{}{}",
                        Yen(amount),
                        reason_line(reason)
                    ),
                ))
            } else {
                let mut text = format!(
                    "申請「{title}」について、{bureau}が{subsidy}を支給しないことを決定しました（不支給決定）。{}",
                    reason_line(reason)
                );
                let unmet = unmet_requirements(view, equipment);
                if !unmet.is_empty() {
                    text.push_str("\n満たしていない要件：");
                    for m in unmet.iter().take(5) {
                        text.push_str(&format!("\n・{m}"));
                    }
                }
                Some((NotificationKind::Denied, format!("{subsidy}の不支給決定"), text))
            }
        }
        _ => None,
    }
}

/// 機器等導入助成 (制度導入助成 from 令和7年度) or 目標達成助成.
fn subsidy_name(view: &CaseView, equipment: bool) -> &'static str {
    match (&view.evaluation, equipment) {
        (Some(e), true) => e.equipment_subsidy.name,
        (Some(e), false) => e.goal_subsidy.name,
        (None, false) => "目標達成助成",
        (None, true) if view.procedure == Procedure::NoPlan => "制度導入助成",
        (None, true) => "機器等導入助成",
    }
}

/// The engine's messages for the requirements of the subsidy that are not met.
fn unmet_requirements(view: &CaseView, equipment: bool) -> Vec<String> {
    let Some(e) = &view.evaluation else {
        return Vec::new();
    };
    let checks = if equipment {
        &e.equipment_subsidy.checks
    } else {
        &e.goal_subsidy.checks
    };
    checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .map(|c| c.message.clone())
        .collect()
}

/// After a successful workflow step (called at the end of
/// [`crate::workflow::perform_action`]): a decision, a certified, returned
/// or rejected plan notifies the case's employer users and 社労士, with an
/// e-mail each. A failure here is logged: the step itself has been recorded.
pub async fn after_step(
    app: &App,
    before: &CaseRow,
    view: &CaseView,
    actor: &User,
    reason: Option<&str>,
) {
    // The deciding officer's bureau, named by the directory.
    let prefecture = match actor.role {
        Role::Officer => actor.prefecture.unwrap_or(view.case.prefecture),
        _ => view.case.prefecture,
    };
    let bureau = match crate::bureaus::name_of(app, prefecture).await {
        Ok(Some(name)) => name,
        Ok(None) => "労働局".to_string(),
        Err(e) => {
            tracing::error!(case = %view.case.id, error = %e, "reading the labour bureau of a step failed");
            "労働局".to_string()
        }
    };
    let Some((kind, title, body)) = step_text(before, view, reason, &bureau) else {
        return;
    };
    let result = async {
        let notes: Vec<NewNotification> = app
            .db
            .applicant_users(view.case.organization_id)
            .await?
            .iter()
            .filter(|u| u.id != actor.id)
            .map(|u| note_for(u, &view.case, kind, title.clone(), body.clone(), None))
            .collect();
        app.db.add_notifications(&notes).await
    }
    .await;
    if let Err(e) = result {
        tracing::error!(case = %view.case.id, error = %e, "writing the notifications of a step failed");
    }
}

/// The user's notifications, newest first.
pub async fn list(app: &App, user: &User) -> Result<Vec<Notification>> {
    Ok(app.db.notifications(user.id, LIST_LIMIT).await?)
}

/// How many of the user's notifications are unread.
pub async fn unread(app: &App, user: &User) -> Result<i64> {
    Ok(app.db.unread_notifications(user.id).await?)
}

/// Marks one of the user's notifications read (another user's: 404).
pub async fn mark_read(app: &App, user: &User, id: NotificationId) -> Result<Notification> {
    app.db.mark_notifications_read(user.id, Some(id)).await?;
    app.db
        .notification(user.id, id)
        .await?
        .ok_or_else(Error::not_found)
}

/// Marks every notification of the user read; returns how many were unread.
pub async fn mark_all_read(app: &App, user: &User) -> Result<u64> {
    Ok(app.db.mark_notifications_read(user.id, None).await?)
}

/// The reminder due for a deadline `days_left` days away: the smallest of
/// [`REMINDER_DAYS`] at or above it (so a day missed is caught up once, with
/// the true number of days), or none more than 30 days before or after it.
pub fn reminder_step(days_left: i64) -> Option<i64> {
    if days_left < 0 {
        return None;
    }
    REMINDER_DAYS
        .iter()
        .copied()
        .filter(|d| *d >= days_left)
        .min()
}

/// The reminder's title and text for a deadline.
pub fn reminder_text(case: &CaseRow, d: &Deadline) -> (String, String) {
    let when = match d.days_left {
        0 => "本日".to_string(),
        n => format!("あと{n}日"),
    };
    let title = format!("期限のお知らせ（{when}）：{}", d.label);
    let mut body = format!(
        "申請「{}」の{}は、{}（{}）です。{}です。",
        case.title, d.label, d.date, d.wareki, when
    );
    if !d.missing.is_empty() {
        body.push_str("\nまだ済んでいないこと：");
        for m in d.missing.iter().take(8) {
            body.push_str(&format!("\n・{m}"));
        }
    }
    body.push_str(
        "\n期限を過ぎると助成金を受けられなくなることがあります。お早めにご対応ください。",
    );
    (title, body)
}

/// Queues the deadline reminders of `today`: for every open case whose next
/// deadline is 30, 7 or 1 days away (or nearer, not yet reminded at that
/// step), a notification and an e-mail to each employer user and 社労士 of
/// the case. Each is keyed by case, deadline, date, step and user, so it is
/// written once whatever reruns, restarts or servers do. Returns how many
/// notifications were new.
pub async fn queue_reminders(app: &App, today: Date) -> Result<usize> {
    crate::snapshots::refresh_snapshots_as_of(app, &Scope::All, today).await?;
    let query = ListQuery {
        open_only: true,
        due_by: days_after(today, REMINDER_DAYS[0]),
        sort: Sort::Deadline,
        ..Default::default()
    };
    let (rows, _) = app.db.list_page(&Scope::All, &query).await?;
    let mut written = 0;
    for row in rows {
        let Some(mut d) = of_snapshot(&row.snapshot) else {
            continue;
        };
        d.days_left =
            (josei_rules::civil::day_number(d.date) - josei_rules::civil::day_number(today)) as i64;
        let Some(step) = reminder_step(d.days_left) else {
            continue;
        };
        let kind = serde_json::to_value(d.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let (title, body) = reminder_text(&row.case, &d);
        let notes: Vec<NewNotification> = app
            .db
            .applicant_users(row.case.organization_id)
            .await?
            .iter()
            .filter(|u| matches!(u.role, Role::Employer | Role::Agent))
            .map(|u| {
                let key = format!("reminder:{}:{kind}:{}:{step}:{}", row.case.id, d.date, u.id);
                note_for(
                    u,
                    &row.case,
                    NotificationKind::Reminder,
                    title.clone(),
                    body.clone(),
                    Some(key),
                )
            })
            .collect();
        written += app.db.add_notifications(&notes).await?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_come_30_7_and_1_days_before_and_catch_up_once() {
        assert_eq!(reminder_step(31), None);
        assert_eq!(reminder_step(30), Some(30));
        assert_eq!(reminder_step(20), Some(30));
        assert_eq!(reminder_step(8), Some(30));
        assert_eq!(reminder_step(7), Some(7));
        assert_eq!(reminder_step(2), Some(7));
        assert_eq!(reminder_step(1), Some(1));
        assert_eq!(reminder_step(0), Some(1));
        assert_eq!(reminder_step(-1), None);
    }
}
