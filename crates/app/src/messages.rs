//! The 連絡 thread of a case: the employer, its 社労士 and the labour bureau
//! of the case's prefecture (and administrators) read and write it; each
//! message notifies the other side (the applicant side ↔ the bureau's
//! officers), in app and by e-mail.

use crate::access::visible_case;
use crate::notifications::note_for;
use crate::text::forbidden_char;
use crate::{App, Error, Result};
use josei_store::{
    CaseId, CaseRow, Message, NewNotification, NotificationKind, Role, Status, User,
};

/// The longest message (characters).
pub const MAX_MESSAGE_CHARS: usize = 4_000;

/// A message as typed: line ends made `\n`, blank lines at either end
/// dropped; 1 to 4,000 characters, no control characters but line breaks
/// and tabs, no bidirectional overrides.
pub fn validate_body(text: &str) -> Result<String> {
    let t = text.replace("\r\n", "\n").replace('\r', "\n");
    let t = t.trim();
    if t.is_empty() {
        return Err(Error::invalid("body", "連絡の内容を入力してください"));
    }
    let n = t.chars().count();
    if n > MAX_MESSAGE_CHARS {
        return Err(Error::invalid(
            "body",
            format!(
                "連絡は{}文字以内にしてください（いま{}文字です）",
                with_commas(MAX_MESSAGE_CHARS),
                with_commas(n)
            ),
        ));
    }
    if let Some(c) = t.chars().find(|c| forbidden_char(*c, true)) {
        return Err(Error::invalid(
            "body",
            format!("連絡に使えない文字（U+{:04X}）が含まれています", c as u32),
        ));
    }
    Ok(t.to_string())
}

/// `4,000`.
pub fn with_commas(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether the case's thread is open for writing: once the labour bureau can
/// see the case (never on a draft, which only the applicant side sees).
pub fn can_post(case: &CaseRow) -> bool {
    case.status != Status::Draft
}

/// The thread of a case `user` may see (404 otherwise), oldest first.
pub async fn list(app: &App, user: &User, case_id: CaseId) -> Result<Vec<Message>> {
    let case = visible_case(app, user, case_id).await?;
    Ok(app.db.messages(case.id).await?)
}

/// The side a user writes for.
fn applicant_side(role: Role) -> bool {
    matches!(role, Role::Employer | Role::Agent)
}

/// 事業主 / 社会保険労務士 / 労働局 / 管理者.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Employer => "事業主",
        Role::Agent => "社会保険労務士",
        Role::Officer => "労働局",
        Role::Admin => "管理者",
        Role::Advisor | Role::Judge => role.label(),
    }
}

/// Posts a message to the case's thread as `user` (who must see the case:
/// 404 otherwise), with its audit entry and the notifications (and e-mails)
/// of the other side, in one transaction.
pub async fn post(app: &App, user: &User, case_id: CaseId, body: &str) -> Result<Message> {
    let case = visible_case(app, user, case_id).await?;
    if !can_post(&case) {
        return Err(Error::conflict(
            "労働局との連絡は、申請を労働局に送った後（計画の提出、または評価期間の開始の後）に使えます",
        ));
    }
    let body = validate_body(body)?;
    let recipients = if applicant_side(user.role) {
        app.db.bureau_officers(case.prefecture).await?
    } else {
        app.db.applicant_users(case.organization_id).await?
    };
    let title = format!("新しい連絡：{}", case.title);
    let excerpt: String = body.chars().take(1_000).collect();
    let more = if excerpt.chars().count() < body.chars().count() {
        "\n（続きは申請のページでご覧ください）"
    } else {
        ""
    };
    let text = format!(
        "申請「{}」に、{}（{}）から連絡がありました。\n\n{excerpt}{more}",
        case.title,
        user.display_name,
        role_label(user.role)
    );
    let notes: Vec<NewNotification> = recipients
        .iter()
        .filter(|u| u.id != user.id)
        .map(|u| {
            note_for(
                u,
                &case,
                NotificationKind::Message,
                title.clone(),
                text.clone(),
                None,
            )
        })
        .collect();
    Ok(app.db.post_message(case.id, user.id, &body, &notes).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_1_to_4000_characters_of_text() {
        assert_eq!(
            validate_body("\r\n  お世話になっております。\r\n添付しました。 \n\n").unwrap(),
            "お世話になっております。\n添付しました。"
        );
        assert_eq!(
            validate_body(" \n\t ").unwrap_err().field.as_deref(),
            Some("body")
        );
        assert!(validate_body(&"あ".repeat(4_000)).is_ok());
        let e = validate_body(&"あ".repeat(4_001)).unwrap_err();
        assert!(e.message.contains("4,000文字以内"), "{}", e.message);
        assert!(e.message.contains("いま4,001文字"), "{}", e.message);
        assert_eq!(with_commas(999), "999");
        assert_eq!(with_commas(1_234_567), "1,234,567");
        assert!(validate_body("a\u{0}b").is_err());
        assert!(validate_body("a\u{202E}b").is_err());
        assert!(validate_body("表\tの\n行").is_ok());
    }
}
