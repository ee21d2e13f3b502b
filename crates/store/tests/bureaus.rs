//! The labour-bureau directory against real databases: SQLite always,
//! PostgreSQL when `TEST_DATABASE_URL` is set.

mod common;

use common::{databases, finish};
use josei_store::{BureauContact, Role, StoreError};

#[tokio::test]
async fn the_directory_holds_every_bureau_and_the_leaflets_numbers() {
    for (db, pg) in databases().await {
        let all = db.bureaus().await.unwrap();
        assert_eq!(all.len(), 47, "{:?}", db.backend);
        assert_eq!(
            all.iter().map(|b| b.prefecture).collect::<Vec<_>>(),
            (1..=47).collect::<Vec<i64>>()
        );
        assert_eq!(all[0].name, "北海道労働局");
        assert_eq!(all[12].name, "東京労働局");
        assert_eq!(all[12].prefecture_name, "東京都");
        assert_eq!(all[25].name, "京都労働局");
        assert_eq!(all[46].name, "沖縄労働局");
        let phones: Vec<(&str, &str)> = all
            .iter()
            .filter(|b| !b.phone.is_empty())
            .map(|b| (b.name.as_str(), b.phone.as_str()))
            .collect();
        assert_eq!(
            phones,
            [
                ("徳島労働局", "088-652-2718"),
                ("香川労働局", "087-811-8924"),
                ("愛媛労働局", "089-935-5222"),
                ("高知労働局", "088-885-6041"),
            ]
        );
        for b in &all {
            assert_eq!(b.department, "雇用環境・均等部（室）", "{}", b.name);
            assert_eq!(b.source.is_empty(), b.phone.is_empty(), "{}", b.name);
            assert_eq!((b.updated_by, b.updated_at.as_deref()), (None, None));
        }
        assert!(db.bureau(0).await.unwrap().is_none());
        assert!(db.bureau(48).await.unwrap().is_none());
        finish(db, pg).await;
    }
}

#[tokio::test]
async fn a_change_is_stored_with_its_audit_entry() {
    for (db, pg) in databases().await {
        let admin = db
            .create_user("admin", "管理者", "hash", Role::Admin, None, None, None)
            .await
            .unwrap();
        let contact = BureauContact {
            department: "雇用環境・均等部 指導課".into(),
            phone: "03-3512-1611".into(),
            address: "東京都千代田区九段南1-2-1".into(),
            url: "https://jsite.mhlw.go.jp/tokyo-roudoukyoku/".into(),
            source: "東京労働局のホームページ".into(),
        };
        let b = db.update_bureau(13, &contact, admin.id).await.unwrap();
        assert_eq!(
            (b.phone.as_str(), b.name.as_str()),
            ("03-3512-1611", "東京労働局")
        );
        assert_eq!(b.updated_by, Some(admin.id));
        assert!(b.updated_at.is_some());
        assert_eq!(db.bureau(13).await.unwrap().unwrap(), b);
        let log = db.audit_log("setting", "labour_bureau.13").await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].action, "bureau.update");
        assert_eq!(log[0].user_id, Some(admin.id));
        assert_eq!(log[0].before.as_ref().unwrap()["phone"], "");
        assert_eq!(log[0].after.as_ref().unwrap()["phone"], "03-3512-1611");
        // A prefecture that does not exist: nothing written, nothing audited.
        assert!(matches!(
            db.update_bureau(48, &contact, admin.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(db
            .audit_log("setting", "labour_bureau.48")
            .await
            .unwrap()
            .is_empty());
        // The others are untouched.
        assert_eq!(db.bureau(36).await.unwrap().unwrap().phone, "088-652-2718");
        finish(db, pg).await;
    }
}
