//! `labour_bureaus`: the directory of the 47 labour bureaus (都道府県労働局),
//! where an employer files and asks.
//!
//! Invariants: one row per prefecture (JIS X 0401 code 1–47, the primary
//! key), all 47 present from migration 11 on (rows are never added or
//! removed, only changed); `name` is never empty; an empty `phone`,
//! `address` or `url` means "not known yet". Callers validate the text
//! before it is stored. Every change writes its audit entry in the same
//! transaction: the directory is instance-wide reference data that only
//! administrators change, so its entries are of entity `setting` with the id
//! `labour_bureau.{prefecture}` and the values before and after.

use crate::audit::audit;
use crate::{now_text, Db, Result, StoreError, UserId};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

/// The prefectures by JIS X 0401 code (index + 1).
pub const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

/// The prefecture's name for code `prefecture` (1–47).
pub fn prefecture_name(prefecture: i64) -> Option<&'static str> {
    usize::try_from(prefecture)
        .ok()
        .and_then(|p| p.checked_sub(1))
        .and_then(|i| PREFECTURES.get(i).copied())
}

/// One labour bureau and how to reach it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Bureau {
    /// JIS X 0401 code, 1–47.
    pub prefecture: i64,
    /// The prefecture's name, e.g. `徳島県`.
    pub prefecture_name: &'static str,
    /// e.g. `徳島労働局`.
    pub name: String,
    /// The department that answers about the subsidy, e.g. `雇用環境・均等部（室）`.
    pub department: String,
    /// Empty: not known yet.
    pub phone: String,
    pub address: String,
    pub url: String,
    /// Where the contact details come from.
    pub source: String,
    /// Who last changed the entry (`None`: as first recorded).
    pub updated_by: Option<UserId>,
    pub updated_at: Option<String>,
}

/// The changeable fields of an entry (the name and prefecture are fixed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BureauContact {
    pub department: String,
    pub phone: String,
    pub address: String,
    pub url: String,
    pub source: String,
}

const COLUMNS: &str =
    "prefecture, name, department, phone, address, url, source, updated_by, updated_at";

fn bureau_from(r: &AnyRow) -> Result<Bureau> {
    let prefecture: i64 = r.try_get("prefecture")?;
    Ok(Bureau {
        prefecture,
        prefecture_name: prefecture_name(prefecture).ok_or_else(|| {
            StoreError::Db(sqlx::Error::Decode(
                format!("unknown prefecture {prefecture}").into(),
            ))
        })?,
        name: r.try_get("name")?,
        department: r.try_get("department")?,
        phone: r.try_get("phone")?,
        address: r.try_get("address")?,
        url: r.try_get("url")?,
        source: r.try_get("source")?,
        updated_by: r.try_get("updated_by")?,
        updated_at: r.try_get("updated_at")?,
    })
}

impl Bureau {
    fn contact(&self) -> BureauContact {
        BureauContact {
            department: self.department.clone(),
            phone: self.phone.clone(),
            address: self.address.clone(),
            url: self.url.clone(),
            source: self.source.clone(),
        }
    }
}

impl Db {
    /// Every bureau, by prefecture code.
    pub async fn bureaus(&self) -> Result<Vec<Bureau>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM labour_bureaus ORDER BY prefecture"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(bureau_from).collect()
    }

    /// The bureau of `prefecture` (none outside 1–47).
    pub async fn bureau(&self, prefecture: i64) -> Result<Option<Bureau>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM labour_bureaus WHERE prefecture = $1"
        ))
        .bind(prefecture)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(bureau_from).transpose()
    }

    /// Replaces the contact details of `prefecture`'s bureau, with its audit
    /// entry (before and after) in the same transaction.
    pub async fn update_bureau(
        &self,
        prefecture: i64,
        contact: &BureauContact,
        by: UserId,
    ) -> Result<Bureau> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM labour_bureaus WHERE prefecture = $1"
        ))
        .bind(prefecture)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let before = bureau_from(&row)?.contact();
        sqlx::query("UPDATE labour_bureaus SET department = $1, phone = $2, address = $3, url = $4, source = $5, updated_by = $6, updated_at = $7 WHERE prefecture = $8")
            .bind(&contact.department)
            .bind(&contact.phone)
            .bind(&contact.address)
            .bind(&contact.url)
            .bind(&contact.source)
            .bind(by)
            .bind(now_text())
            .bind(prefecture)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(by),
            "bureau.update",
            "setting",
            &format!("labour_bureau.{prefecture}"),
            Some(&json!(before)),
            Some(&json!(contact)),
        )
        .await?;
        tx.commit().await?;
        self.bureau(prefecture).await?.ok_or(StoreError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefecture_codes_name_the_prefectures() {
        assert_eq!(prefecture_name(1), Some("北海道"));
        assert_eq!(prefecture_name(13), Some("東京都"));
        assert_eq!(prefecture_name(36), Some("徳島県"));
        assert_eq!(prefecture_name(47), Some("沖縄県"));
        assert_eq!(prefecture_name(0), None);
        assert_eq!(prefecture_name(48), None);
        assert_eq!(prefecture_name(-1), None);
    }

    /// The migration seeds every bureau under its prefecture's name, and the
    /// four numbers of the leaflet with their source.
    #[test]
    fn the_migration_seeds_every_bureau_on_both_backends() {
        for sql in [
            include_str!("../migrations/sqlite/0011_bureaus.sql"),
            include_str!("../migrations/postgres/0011_bureaus.sql"),
        ] {
            for (i, p) in PREFECTURES.iter().enumerate() {
                let stem = p.strip_suffix(['県', '府', '都']).unwrap_or(p);
                assert!(
                    sql.contains(&format!("({}, '{stem}労働局', ", i + 1)),
                    "{p}"
                );
            }
        }
    }
}
