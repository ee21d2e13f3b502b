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

#[tokio::test]
async fn snapshots_round_trip_go_stale_and_page_on_both_backends() {
    use josei_store::{ListQuery, Scope, Snapshot, Sort, Verdict};
    for (db, pg) in databases().await {
        let org = db.create_org(13, &json!({"name": "みなと 50%商店", "industry": "retail", "regular_employees": 3, "telework_status": "none"}), None).await.unwrap();
        let user = db
            .create_user("u1", "u1", "hash", Role::Employer, Some(org.id), None, None)
            .await
            .unwrap();
        let a = db.create_case(org.id, "計画 A", user.id).await.unwrap();
        let b = db.create_case(org.id, "計画 B", user.id).await.unwrap();
        let scope = Scope::Organizations(vec![org.id]);
        let stale = db.stale_cases(&scope, "2026-11-21", "e1").await.unwrap();
        assert_eq!(stale.len(), 2, "{:?}", db.backend);
        let snap = |id: i64, version: i64, yen: i64, deadline: Option<&str>| Snapshot {
            case_id: id,
            case_version: version,
            as_of: "2026-11-21".into(),
            engine: "e1".into(),
            regime: Some("R8".into()),
            equipment: Some(Verdict::Pending),
            equipment_yen: yen,
            goal: Some(Verdict::NotPayable),
            goal_yen: 0,
            deadline_date: deadline.map(str::to_string),
            deadline_json: deadline.map(|d| json!({"date": d}).to_string()),
            input_error: None,
        };
        db.put_snapshots(&[
            snap(a.id, a.version, 100, Some("2026-12-01")),
            snap(b.id, b.version, 900, None),
        ])
        .await
        .unwrap();
        // Written twice: replaced, not duplicated.
        db.put_snapshots(&[snap(a.id, a.version, 200, Some("2026-12-01"))])
            .await
            .unwrap();
        assert!(db
            .stale_cases(&scope, "2026-11-21", "e1")
            .await
            .unwrap()
            .is_empty());
        // Another day or another engine makes every snapshot stale.
        assert_eq!(
            db.stale_cases(&scope, "2026-11-22", "e1")
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            db.stale_cases(&scope, "2026-11-21", "e2")
                .await
                .unwrap()
                .len(),
            2
        );

        let all = ListQuery {
            limit: Some(50),
            ..Default::default()
        };
        let (rows, total) = db.list_page(&scope, &all).await.unwrap();
        assert_eq!(total, 2);
        // Nearest deadline first, cases without one last.
        assert_eq!(rows[0].case.id, a.id);
        assert_eq!(
            rows[0].snapshot,
            snap(a.id, a.version, 200, Some("2026-12-01"))
        );
        assert_eq!(rows[0].organization, "みなと 50%商店");
        let by_amount = ListQuery {
            sort: Sort::Amount,
            ..all.clone()
        };
        assert_eq!(
            db.list_page(&scope, &by_amount).await.unwrap().0[0].case.id,
            b.id
        );
        let due = ListQuery {
            due_by: Some("2026-12-01".into()),
            ..all.clone()
        };
        assert_eq!(db.list_page(&scope, &due).await.unwrap().1, 1);
        let rich = ListQuery {
            min_amount: Some(500),
            ..all.clone()
        };
        assert_eq!(
            db.list_page(&scope, &rich).await.unwrap().0[0].case.id,
            b.id
        );
        // Search is literal (`%` and `_` are characters) and case-blind the same way on both.
        for (words, n) in [("50%", 2), ("計画 b", 1), ("_", 0), ("無い", 0)] {
            let q = ListQuery {
                search: Some(words.into()),
                ..all.clone()
            };
            assert_eq!(
                db.list_page(&scope, &q).await.unwrap().1,
                n,
                "{words} on {:?}",
                db.backend
            );
        }
        let paged = ListQuery {
            limit: Some(1),
            offset: 1,
            ..all.clone()
        };
        let (rows, total) = db.list_page(&scope, &paged).await.unwrap();
        assert_eq!((rows.len(), total, rows[0].case.id), (1, 2, b.id));
        // A write marks the snapshot stale in its own transaction.
        let (a2, _) = db
            .step(
                a.id,
                a.version,
                josei_store::Status::ALL,
                josei_store::Status::Withdrawn,
                "withdraw",
                josei_store::StepChanges {
                    set: vec![],
                    decision: None,
                    reason: None,
                },
                user.id,
            )
            .await
            .unwrap();
        let stale: Vec<i64> = db
            .stale_cases(&scope, "2026-11-21", "e1")
            .await
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(stale, vec![a.id]);
        // A snapshot made from the old version does not clear it; one of the new version does.
        db.put_snapshots(&[snap(a.id, a.version, 200, Some("2026-12-01"))])
            .await
            .unwrap();
        assert_eq!(
            db.stale_cases(&scope, "2026-11-21", "e1")
                .await
                .unwrap()
                .len(),
            1
        );
        db.put_snapshots(&[snap(a.id, a2.version, 200, Some("2026-12-01"))])
            .await
            .unwrap();
        assert!(db
            .stale_cases(&scope, "2026-11-21", "e1")
            .await
            .unwrap()
            .is_empty());
        // A bureau sees no drafts: the withdrawn case, not the draft.
        let (seen, n) = db.list_page(&Scope::Prefecture(13), &all).await.unwrap();
        assert_eq!((n, seen[0].case.id), (1, a.id));
        // A status the engine never gives is refused by the database itself.
        assert!(
            sqlx::query("UPDATE case_snapshots SET equipment_status = 'maybe'")
                .execute(&db.pool)
                .await
                .is_err()
        );
        if let Some((admin, name)) = pg {
            db.pool.close().await;
            drop_pg(&admin, &name).await;
        }
    }
}
