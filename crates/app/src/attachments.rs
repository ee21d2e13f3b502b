//! Attachments: checked by kind, size and content (the first bytes must match
//! the declared type), stored with their SHA-256; a receipt or invoice may
//! belong to one expense item of the case. Removing one follows the one rule
//! of [`crate::documents::removable`]: until a filing made after the file
//! was attached rests on it.

use crate::access::require_role;
use crate::{App, Error, Kind, Result};
pub use josei_store::AttachmentKind;
use josei_store::{AttachmentId, CaseId, CaseRow, Role, User};

/// The largest attachment: 10 MiB.
pub const MAX_ATTACHMENT: usize = 10 * 1024 * 1024;

/// Accepted content types, with the bytes a file of that type starts with.
pub const CONTENT_TYPES: &[(&str, &[u8])] = &[
    ("application/pdf", b"%PDF-"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xFF\xD8\xFF"),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04",
    ),
];

/// The attachment kind written as `s` (a query or form field), or the
/// error that names the kinds.
pub fn parse_kind(s: &str) -> Result<AttachmentKind> {
    AttachmentKind::parse(s).ok_or_else(|| {
        let kinds: Vec<&str> = AttachmentKind::ALL.iter().map(|k| k.as_str()).collect();
        Error::invalid(
            "kind",
            format!("kind は {} のいずれかです", kinds.join(", ")),
        )
    })
}

/// Checks and stores an attachment (shared by the API and the web pages):
/// the size, the content type against the file's first bytes, a file name
/// reduced to its printable base name, and the expense item it belongs to
/// (`expense`: an `expenses[].id` of the stored document), if any.
#[allow(clippy::too_many_arguments)]
pub async fn store_attachment(
    app: &App,
    user: &User,
    case: &CaseRow,
    kind: AttachmentKind,
    filename: &str,
    content_type: &str,
    body: &[u8],
    expense: Option<&str>,
) -> Result<josei_store::Attachment> {
    require_role(user, &[Role::Employer, Role::Agent])?;
    let expense = expense.map(str::trim).filter(|e| !e.is_empty());
    if let Some(x) = expense {
        let doc = app.db.case_document(case).await?;
        let known = doc["expenses"]
            .as_array()
            .is_some_and(|a| a.iter().any(|e| e["id"] == x));
        if !known {
            return Err(Error::invalid(
                "expense",
                "この経費はまだ保存されていません。計画を保存してから添付してください",
            ));
        }
    }
    if body.len() > MAX_ATTACHMENT {
        return Err(Error::new(
            Kind::TooLarge,
            "too_large",
            format!("添付ファイルは {} MiB までです", MAX_ATTACHMENT >> 20),
        ));
    }
    if body.is_empty() {
        return Err(Error::invalid("body", "ファイルが空です"));
    }
    let content_type = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    let Some((_, magic)) = CONTENT_TYPES.iter().find(|(t, _)| *t == content_type) else {
        // The type's name as a person knows it, never a MIME type.
        return Err(Error::new(
            Kind::UnsupportedType,
            "unsupported_type",
            "PDF・PNG・JPEG・Excel（.xlsx）のファイルを送ってください",
        ));
    };
    if !body.starts_with(magic) {
        return Err(Error::new(
            Kind::UnsupportedType,
            "type_mismatch",
            format!(
                "ファイルの中身が{}ではありません。ファイルの種類を確かめて、もう一度お送りください",
                type_name(&content_type)
            ),
        ));
    }
    let filename: String = filename
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    if filename.trim().is_empty() {
        return Err(Error::invalid("filename", "ファイル名を指定してください"));
    }
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(app
        .db
        .add_attachment_for(
            case.id,
            kind,
            &filename,
            &content_type,
            &sha,
            body,
            user.id,
            expense,
        )
        .await?)
}

/// The attachments of case `id`.
pub async fn list(app: &App, user: &User, id: CaseId) -> Result<Vec<josei_store::Attachment>> {
    let case = crate::access::visible_case(app, user, id).await?;
    Ok(app.db.attachments(case.id).await?)
}

/// One attachment of case `id`, with its bytes.
pub async fn get(
    app: &App,
    user: &User,
    id: CaseId,
    attachment: AttachmentId,
) -> Result<(josei_store::Attachment, Vec<u8>)> {
    let case = crate::access::visible_case(app, user, id).await?;
    Ok(app.db.attachment_data(case.id, attachment).await?)
}

/// Checks and stores an attachment on case `id` (employer or 社労士),
/// belonging to the expense item `expense` when given.
#[allow(clippy::too_many_arguments)]
pub async fn add(
    app: &App,
    user: &User,
    id: CaseId,
    kind: AttachmentKind,
    filename: &str,
    content_type: &str,
    body: &[u8],
    expense: Option<&str>,
) -> Result<josei_store::Attachment> {
    let case = crate::access::visible_case(app, user, id).await?;
    store_attachment(
        app,
        user,
        &case,
        kind,
        filename,
        content_type,
        body,
        expense,
    )
    .await
}

/// Refuses a document for `case` that drops an expense item of the `stored`
/// one while files belong to it: the receipts would lose their item. The
/// files go first (before filing), then the item.
pub async fn check_expenses_kept(
    app: &App,
    case: &CaseRow,
    stored: &serde_json::Value,
    doc: &serde_json::Value,
) -> Result<()> {
    let ids = |d: &serde_json::Value| -> std::collections::HashSet<String> {
        d["expenses"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x["id"].as_str().map(str::to_string))
            .collect()
    };
    let (before, after) = (ids(stored), ids(doc));
    if before.is_subset(&after) {
        return Ok(());
    }
    let files = app.db.attachments(case.id).await?;
    let orphaned = files.iter().any(|a| {
        a.expense_ref
            .as_ref()
            .is_some_and(|x| before.contains(x) && !after.contains(x))
    });
    if orphaned {
        return Err(Error::conflict(
            "領収書などが添付されている経費は削除できません。先に添付ファイルを削除してください",
        )
        .with_field("expenses"));
    }
    Ok(())
}

/// Removes attachment `attachment` of case `id` (employer or 社労士) while
/// no filing rests on it ([`crate::documents::removable`]); the removal is
/// audited on the case with what the file was.
pub async fn delete(
    app: &App,
    user: &User,
    id: CaseId,
    attachment: AttachmentId,
) -> Result<josei_store::Attachment> {
    crate::documents::remove_attachment(app, user, id, attachment).await
}

/// A content type as a person names it: 「PDF」, 「PNG 画像」…
pub fn type_name(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => "PDF",
        "image/png" => "PNG 画像",
        "image/jpeg" => "JPEG 画像",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "Excel（.xlsx）",
        _ => "送られた種類のファイル",
    }
}

#[cfg(test)]
mod type_name_tests {
    #[test]
    fn every_accepted_type_has_a_name_a_person_knows() {
        for (t, _) in super::CONTENT_TYPES {
            let name = super::type_name(t);
            assert!(!name.contains('/'), "{t} → {name}");
            assert_ne!(name, "送られた種類のファイル", "{t}");
        }
    }
}
