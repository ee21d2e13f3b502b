//! The labour-bureau directory: where an employer files and asks. Anyone may
//! read it (the diagnosis shows the bureau of the employer's prefecture);
//! only administrators change it, every change audited by the store.

use crate::access::require_role;
use crate::text::forbidden_char;
use crate::{App, Error, Result};
use josei_store::{Bureau, BureauContact, Role, User};
use serde::Deserialize;

/// Every bureau, by prefecture code (1–47).
pub async fn list(app: &App) -> Result<Vec<Bureau>> {
    Ok(app.db.bureaus().await?)
}

/// The bureau of `prefecture` (1–47); any other code names nothing (404).
pub async fn get(app: &App, prefecture: i64) -> Result<Bureau> {
    app.db
        .bureau(prefecture)
        .await?
        .ok_or_else(Error::not_found)
}

/// What a page or an e-mail says when no bureau can be named (a code that
/// names no prefecture).
pub const UNNAMED: &str = "事業所の所在地を管轄する都道府県労働局";

/// The name a prefecture's own name gives its labour bureau (東京都 →
/// 東京労働局, 北海道 → 北海道労働局): what is shown when the directory has no
/// row for it. `None` for a code that names no prefecture.
pub fn fallback_name(prefecture: i64) -> Option<String> {
    let p = josei_store::bureaus::prefecture_name(prefecture)?;
    let stem = match p {
        "北海道" => p,
        // One suffix only: 京都府 → 京都.
        _ => p.strip_suffix(['都', '府', '県']).unwrap_or(p),
    };
    Some(format!("{stem}労働局"))
}

/// The name of `prefecture`'s labour bureau as the directory holds it, else
/// [`fallback_name`]: every page, print-out and e-mail names a bureau
/// through this. `None` for a code that names no prefecture.
pub async fn name_of(app: &App, prefecture: i64) -> Result<Option<String>> {
    Ok(match app.db.bureau(prefecture).await? {
        Some(b) if !b.name.trim().is_empty() => Some(b.name),
        _ => fallback_name(prefecture),
    })
}

/// The bureau of `prefecture` with its contact details when the directory
/// has it, and its name in any case ([`name_of`], else [`UNNAMED`]).
pub async fn named(app: &App, prefecture: i64) -> Result<(String, Option<Bureau>)> {
    let row = app.db.bureau(prefecture).await?;
    let name = match &row {
        Some(b) if !b.name.trim().is_empty() => b.name.clone(),
        _ => fallback_name(prefecture).unwrap_or_else(|| UNNAMED.to_string()),
    };
    Ok((name, row))
}

/// A change to a bureau's contact details: each field given replaces the
/// stored one (an empty text clears it); a field left out stays as it is.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct BureauUpdate {
    pub department: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
}

/// Changes the contact details of `prefecture`'s bureau (administrators only).
pub async fn update(
    app: &App,
    user: &User,
    prefecture: i64,
    change: &BureauUpdate,
) -> Result<Bureau> {
    require_role(user, &[Role::Admin])?;
    let current = get(app, prefecture).await?;
    let contact = checked(&current, change)?;
    Ok(app.db.update_bureau(prefecture, &contact, user.id).await?)
}

/// The contact details `change` makes of `current`'s, each field checked.
pub fn checked(current: &Bureau, change: &BureauUpdate) -> Result<BureauContact> {
    let pick = |v: &Option<String>, old: &str| v.as_deref().unwrap_or(old).trim().to_string();
    let contact = BureauContact {
        department: pick(&change.department, &current.department),
        phone: pick(&change.phone, &current.phone),
        address: pick(&change.address, &current.address),
        url: pick(&change.url, &current.url),
        source: pick(&change.source, &current.source),
    };
    let phone = normalize_phone(&contact.phone)?;
    plain_text("department", "部署名", &contact.department, 100)?;
    plain_text("address", "所在地", &contact.address, 200)?;
    plain_text("source", "出典", &contact.source, 300)?;
    check_url(&contact.url)?;
    Ok(BureauContact { phone, ..contact })
}

/// One line of text of at most `max` characters, no control characters.
fn plain_text(field: &str, label: &str, v: &str, max: usize) -> Result<()> {
    if v.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("{label}は{max}文字以内で入力してください"),
        ));
    }
    if let Some(c) = v.chars().find(|c| forbidden_char(*c, false)) {
        return Err(Error::invalid(
            field,
            format!(
                "{label}に使えない文字（U+{:04X}）が含まれています",
                c as u32
            ),
        ));
    }
    Ok(())
}

/// A telephone number as people write it in Japan (full-width digits and
/// dashes allowed), stored as half-width digits and hyphens: 10 or 11 digits
/// starting with 0, e.g. `088-652-2718`. Empty: not known.
pub fn normalize_phone(v: &str) -> Result<String> {
    let bad = || {
        Error::invalid(
            "phone",
            "電話番号は 088-652-2718 のように、0から始まる10桁か11桁の数字とハイフンで入力してください",
        )
    };
    let mut out = String::new();
    for c in v.trim().chars() {
        let c = match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '－' | '‐' | '−' | 'ー' | '―' | '—' => '-',
            c => c,
        };
        match c {
            '0'..='9' | '-' => out.push(c),
            _ => return Err(bad()),
        }
    }
    if out.is_empty() {
        return Ok(out);
    }
    let digits = out.chars().filter(char::is_ascii_digit).count();
    if !(10..=11).contains(&digits)
        || !out.starts_with('0')
        || out.ends_with('-')
        || out.contains("--")
    {
        return Err(bad());
    }
    Ok(out)
}

/// A web address: empty, or `https://` / `http://` with no spaces, 500 characters at most.
fn check_url(v: &str) -> Result<()> {
    if v.is_empty() {
        return Ok(());
    }
    let ok = (v.starts_with("https://") || v.starts_with("http://"))
        && v.len() > "https://".len()
        && v.chars().count() <= 500
        && !v
            .chars()
            .any(|c| c.is_whitespace() || forbidden_char(c, false) || matches!(c, '"' | '<' | '>'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "url",
            "ホームページは https:// から始まるアドレスで入力してください（500文字以内）",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bureau() -> Bureau {
        Bureau {
            prefecture: 36,
            prefecture_name: "徳島県",
            name: "徳島労働局".into(),
            department: "雇用環境・均等部（室）".into(),
            phone: "088-652-2718".into(),
            address: String::new(),
            url: String::new(),
            source: "案内資料".into(),
            updated_by: None,
            updated_at: None,
        }
    }

    #[test]
    fn a_missing_row_falls_back_to_the_prefectures_own_name() {
        assert_eq!(fallback_name(13).as_deref(), Some("東京労働局"));
        assert_eq!(fallback_name(1).as_deref(), Some("北海道労働局"));
        assert_eq!(fallback_name(26).as_deref(), Some("京都労働局"));
        assert_eq!(fallback_name(27).as_deref(), Some("大阪労働局"));
        assert_eq!(fallback_name(36).as_deref(), Some("徳島労働局"));
        assert_eq!(fallback_name(46).as_deref(), Some("鹿児島労働局"));
        assert_eq!(fallback_name(47).as_deref(), Some("沖縄労働局"));
        for bad in [0, 48, -1] {
            assert_eq!(fallback_name(bad), None, "{bad}");
        }
        assert!(!UNNAMED.is_ascii());
    }

    #[test]
    fn phones_are_stored_half_width_and_checked() {
        assert_eq!(
            normalize_phone("０８８－６５２－２７１８").unwrap(),
            "088-652-2718"
        );
        assert_eq!(normalize_phone(" 0886522718 ").unwrap(), "0886522718");
        assert_eq!(normalize_phone("03-1234-56789").unwrap(), "03-1234-56789");
        assert_eq!(normalize_phone("").unwrap(), "");
        for bad in [
            "088-652-271",
            "88-652-2718",
            "088-652-2718-",
            "088--652-2718",
            "088 652 2718",
            "tel:0886522718",
            "088-652-27189-0",
        ] {
            let e = normalize_phone(bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("phone"), "{bad}");
            assert!(e.message.contains("088-652-2718"), "{bad}");
        }
    }

    #[test]
    fn an_update_changes_only_what_it_names_and_checks_each_field() {
        let b = bureau();
        let c = checked(
            &b,
            &BureauUpdate {
                address: Some(" 徳島市徳島町城内6番地6 ".into()),
                url: Some("https://jsite.mhlw.go.jp/tokushima-roudoukyoku/".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(c.phone, "088-652-2718", "kept");
        assert_eq!(c.address, "徳島市徳島町城内6番地6", "trimmed");
        assert_eq!(c.source, "案内資料");
        let cleared = checked(
            &b,
            &BureauUpdate {
                phone: Some(String::new()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(cleared.phone, "");
        for (change, field) in [
            (
                BureauUpdate {
                    url: Some("javascript:alert(1)".into()),
                    ..Default::default()
                },
                "url",
            ),
            (
                BureauUpdate {
                    url: Some("https://a.example/ b".into()),
                    ..Default::default()
                },
                "url",
            ),
            (
                BureauUpdate {
                    department: Some("部\u{202E}署".into()),
                    ..Default::default()
                },
                "department",
            ),
            (
                BureauUpdate {
                    address: Some("あ".repeat(201)),
                    ..Default::default()
                },
                "address",
            ),
            (
                BureauUpdate {
                    source: Some("一行目\n二行目".into()),
                    ..Default::default()
                },
                "source",
            ),
            (
                BureauUpdate {
                    phone: Some("電話".into()),
                    ..Default::default()
                },
                "phone",
            ),
        ] {
            let e = checked(&b, &change).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{change:?}");
            assert_eq!(e.kind, crate::Kind::Invalid);
        }
    }
}
