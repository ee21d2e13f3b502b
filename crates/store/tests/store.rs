//! The store against real databases: SQLite always, PostgreSQL when
//! `TEST_DATABASE_URL` is set.

use josei_store::{connect, Db, Role};
use serde_json::json;

async fn databases() -> Vec<(Db, Option<(String, String)>)> {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("store_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!(
        "t{}.db",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    let mut out = vec![(connect(file.to_str().unwrap()).await.unwrap(), None)];
    if let Ok(admin) = std::env::var("TEST_DATABASE_URL") {
        use sqlx::Connection;
        // One database per call: tests run in parallel.
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name = format!("josei_store_test_{}_{n}", std::process::id());
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        let (base, _) = admin.split_once('?').unwrap_or((&admin, ""));
        let url = format!("{}/{name}", &base[..base.rfind('/').unwrap()]);
        out.push((connect(&url).await.unwrap(), Some((admin, name))));
    }
    out
}

async fn drop_pg(admin: &str, name: &str) {
    use sqlx::Connection;
    if let Ok(mut conn) = sqlx::PgConnection::connect(admin).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await;
    }
}

#[tokio::test]
async fn audit_log_is_append_only_and_migrations_are_idempotent() {
    for (db, pg) in databases().await {
        let org = db.create_org(13, &json!({"name": "x", "industry": "retail", "regular_employees": 3, "telework_status": "none"}), None).await.unwrap();
        let user = db
            .create_user("u1", "u1", "hash", Role::Employer, Some(org.id), None, None)
            .await
            .unwrap();
        let case = db.create_case(org.id, "t", user.id).await.unwrap();
        let log = db.audit_log("case", &case.id.to_string()).await.unwrap();
        assert_eq!(log.len(), 1);
        assert!(
            sqlx::query("UPDATE audit_log SET action = 'forged'")
                .execute(&db.pool)
                .await
                .is_err(),
            "{:?}",
            db.backend
        );
        assert!(
            sqlx::query("DELETE FROM audit_log")
                .execute(&db.pool)
                .await
                .is_err(),
            "{:?}",
            db.backend
        );
        assert_eq!(
            db.audit_log("case", &case.id.to_string()).await.unwrap()[0].action,
            "case.create"
        );
        // Running the migrations again changes nothing.
        josei_store::db::migrate(&db).await.unwrap();
        // A stale version is a conflict and leaves the case alone.
        let doc = db.case_document(&case).await.unwrap();
        assert!(db
            .save_inputs(case.id, case.version + 1, &doc, Some(user.id))
            .await
            .is_err());
        let saved = db
            .save_inputs(case.id, case.version, &doc, Some(user.id))
            .await
            .unwrap();
        assert_eq!(saved.version, case.version + 1);
        if let Some((admin, name)) = pg {
            db.pool.close().await;
            drop_pg(&admin, &name).await;
        }
    }
}

#[tokio::test]
async fn tokens_expire_and_die_with_a_disabled_account() {
    for (db, pg) in databases().await {
        let user = db
            .create_user("tok", "tok", "hash", Role::Admin, None, None, None)
            .await
            .unwrap();
        let now = josei_store::now_ms();
        db.create_api_token("live", user.id, "live", now + 60_000)
            .await
            .unwrap();
        db.create_api_token("old", user.id, "old", now - 1)
            .await
            .unwrap();
        assert!(db.user_by_api_token("live").await.unwrap().is_some());
        assert!(
            db.user_by_api_token("old").await.unwrap().is_none(),
            "expired"
        );
        let listed = db.api_tokens(user.id).await.unwrap();
        assert_eq!(listed.len(), 2);
        // Disabled, then enabled again: the tokens stay dead.
        db.set_user_disabled("tok", true, None).await.unwrap();
        db.set_user_disabled("tok", false, None).await.unwrap();
        assert!(db.user_by_api_token("live").await.unwrap().is_none());
        assert!(db
            .api_tokens(user.id)
            .await
            .unwrap()
            .iter()
            .all(|t| t.revoked_at.is_some()));
        // A round trip of the new inputs, on this backend.
        let org = db.create_org(13, &json!({"name": "x", "industry": "retail", "regular_employees": 3, "telework_status": "none"}), None).await.unwrap();
        let case = db.create_case(org.id, "t", user.id).await.unwrap();
        let mut doc = db.case_document(&case).await.unwrap();
        doc["workplace_climate"] = json!({"top_message_on": "2025-04-06", "case_sharing_on": null});
        doc["measures"] = json!([{"kind": "consulting", "on": "2025-04-11"}, {"kind": "worker_training", "on": "2025-05-11"}]);
        doc["telework_before_count"] = json!(24);
        doc["wage_increase"] = json!({"before_yen": 100, "after_yen": 106});
        doc["expenses"] = json!([{"id": "L", "category": "pc_rental_lease", "amount_yen": 396000, "months": 12, "funded_by_other_subsidy": true, "paid_on": "2025-04-30"}]);
        let saved = db
            .save_inputs(case.id, case.version, &doc, Some(user.id))
            .await
            .unwrap();
        let back = db.case_document(&saved).await.unwrap();
        for key in [
            "workplace_climate",
            "measures",
            "telework_before_count",
            "wage_increase",
        ] {
            assert_eq!(back[key], doc[key], "{key} on {:?}", db.backend);
        }
        assert_eq!(back["expenses"][0]["months"], 12);
        assert_eq!(back["expenses"][0]["funded_by_other_subsidy"], true);
        // The database refuses a measure kind it does not know.
        assert!(sqlx::query("INSERT INTO case_measures (case_id, seq, kind, done_on) VALUES ($1, 9, 'party', '2025-01-01')")
            .bind(case.id)
            .execute(&db.pool)
            .await
            .is_err());
        if let Some((admin, name)) = pg {
            db.pool.close().await;
            drop_pg(&admin, &name).await;
        }
    }
}
