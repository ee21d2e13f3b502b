//! Attachments: checked by kind, size and content (the first bytes must match
//! the declared type), stored with their SHA-256.

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
        Error::invalid(
            "kind",
            "kind は work_rules, receipt, invoice, other のいずれかです",
        )
    })
}

/// Checks and stores an attachment (shared by the API and the web pages):
/// the size, the content type against the file's first bytes, and a file
/// name reduced to its printable base name.
pub async fn store_attachment(
    app: &App,
    user: &User,
    case: &CaseRow,
    kind: AttachmentKind,
    filename: &str,
    content_type: &str,
    body: &[u8],
) -> Result<josei_store::Attachment> {
    require_role(user, &[Role::Employer, Role::Agent])?;
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
            format!("ファイルの中身が {content_type} ではありません"),
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
        .add_attachment(case.id, kind, &filename, &content_type, &sha, body, user.id)
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

/// Checks and stores an attachment on case `id` (employer or 社労士).
pub async fn add(
    app: &App,
    user: &User,
    id: CaseId,
    kind: AttachmentKind,
    filename: &str,
    content_type: &str,
    body: &[u8],
) -> Result<josei_store::Attachment> {
    let case = crate::access::visible_case(app, user, id).await?;
    store_attachment(app, user, &case, kind, filename, content_type, body).await
}
