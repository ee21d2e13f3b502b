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
        let name = format!("josei_store_test_{}", std::process::id());
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
