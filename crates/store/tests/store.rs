//! The store against real databases: SQLite always, PostgreSQL when
//! `TEST_DATABASE_URL` is set.

mod common;

use common::{databases, finish, is_check_violation};
use josei_store::{AttachmentKind, CaseId, DecisionKind, Outcome, Role};
use serde_json::json;

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
        finish(db, pg).await;
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
        finish(db, pg).await;
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
        let snap = |id: CaseId, version: i64, yen: i64, deadline: Option<&str>| Snapshot {
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
        // Twice in one call (one multi-row upsert): the later wins.
        db.put_snapshots(&[
            snap(a.id, a.version, 300, None),
            snap(b.id, b.version, 900, None),
            snap(a.id, a.version, 200, Some("2026-12-01")),
        ])
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
                    on: None,
                },
                user.id,
            )
            .await
            .unwrap();
        let stale: Vec<CaseId> = db
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
        finish(db, pg).await;
    }
}

/// A case document with one of each record, every enumerated field set.
fn full_document() -> serde_json::Value {
    json!({
        "employer": {"name": "x", "industry": "retail", "regular_employees": 3, "telework_status": "none"},
        "plan": {"target_workers": [{"id": "E1", "employment": "direct"}]},
        "telework": [{"worker": "E1", "date": "2025-05-01", "place": "home"}],
        "roster": [{"id": "E1", "hired_on": "2020-04-01", "left_on": "2025-03-31", "leave_reason": "voluntary"}],
        "expenses": [{"id": "X", "category": "consulting", "amount_yen": 100000, "paid_on": "2025-04-30"}],
        "measures": [{"kind": "consulting", "on": "2025-04-11"}],
    })
}

#[tokio::test]
async fn every_enumerated_column_refuses_values_outside_its_list() {
    use josei_rules::evaluate::SubsidyStatus;
    use josei_rules::model::{
        Employment, ExpenseCategory, Industry, LeaveReason, MeasureKind, Place, TeleworkStatus,
    };
    use josei_store::{NewDecision, Status, StepChanges, StoreError};
    for (db, pg) in databases().await {
        let backend = db.backend;
        let org = db.create_org(13, &json!({"name": "x", "industry": "retail", "regular_employees": 3, "telework_status": "none"}), None).await.unwrap();
        let employer = db
            .create_user("e", "e", "hash", Role::Employer, Some(org.id), None, None)
            .await
            .unwrap();
        let officer = db
            .create_user("o", "o", "hash", Role::Officer, None, Some(13), None)
            .await
            .unwrap();
        let case = db.create_case(org.id, "t", employer.id).await.unwrap();
        let case = db
            .save_inputs(case.id, case.version, &full_document(), Some(employer.id))
            .await
            .unwrap();
        let decision = NewDecision {
            kind: DecisionKind::Equipment,
            outcome: Outcome::Granted,
            engine_version: "e".into(),
            regime: "R7".into(),
            engine_status: SubsidyStatus::Payable,
            engine_amount_yen: 1,
            decided_amount_yen: 1,
            overrides_engine: false,
            reason: None,
            evaluation: json!({}),
            assumptions: json!({}),
            overlay_sha256: None,
            decided_on: "2026-11-20".into(),
            exclusions: json!([{"kind": "expense", "expense": "X1", "reason": "r"}]),
        };
        let changes = StepChanges {
            set: vec![],
            decision: Some(decision),
            reason: None,
            on: None,
        };
        db.step(
            case.id,
            case.version,
            Status::ALL,
            Status::EquipmentGranted,
            "grant_equipment",
            changes,
            officer.id,
        )
        .await
        .unwrap();
        db.add_attachment(
            case.id,
            AttachmentKind::Receipt,
            "r.pdf",
            "application/pdf",
            "00",
            b"%PDF-",
            employer.id,
        )
        .await
        .unwrap();
        db.begin_login_attempt("e", "127.0.0.1").await.unwrap();
        db.put_snapshots(&[josei_store::Snapshot {
            case_id: case.id,
            case_version: 1,
            as_of: "2026-01-01".into(),
            engine: "e".into(),
            regime: None,
            equipment: Some(josei_store::Verdict::Payable),
            equipment_yen: 0,
            goal: None,
            goal_yen: 0,
            deadline_date: None,
            deadline_json: None,
            input_error: None,
        }])
        .await
        .unwrap();

        // Every value outside its list is refused by a CHECK, whoever writes it.
        for sql in [
            "UPDATE cases SET status = 'lost'",
            "UPDATE organizations SET industry = 'mining'",
            "UPDATE organizations SET telework_status = 'sometimes'",
            "UPDATE organizations SET employment_insurance = 2",
            "UPDATE organizations SET work_rules_have_telework = -1",
            "UPDATE organizations SET received_telework_subsidy = 2",
            "UPDATE organizations SET prefecture = 48",
            "UPDATE users SET role = 'root'",
            "UPDATE users SET prefecture = 0 WHERE prefecture IS NOT NULL",
            "UPDATE users SET disabled = 2",
            "UPDATE login_attempts SET success = 2",
            "UPDATE case_target_workers SET employment = 'contract'",
            "UPDATE case_telework SET place = 'cafe'",
            "UPDATE case_roster SET leave_reason = 'fired'",
            "UPDATE case_expenses SET category = 'party'",
            "UPDATE case_expenses SET funded_by_other_subsidy = 2",
            "UPDATE case_measures SET kind = 'party'",
            "UPDATE decisions SET kind = 'bonus'",
            "UPDATE decisions SET outcome = 'maybe'",
            "UPDATE decisions SET engine_status = 'unknown'",
            "UPDATE decisions SET overrides_engine = 2",
            "UPDATE attachments SET kind = 'photo'",
            "UPDATE case_snapshots SET equipment_status = 'maybe'",
            "UPDATE case_snapshots SET goal_status = 'maybe'",
            "UPDATE case_snapshots SET dirty = 2",
            "INSERT INTO audit_log (at, user_id, action, entity, entity_id) VALUES ('2026-01-01T00:00:00Z', NULL, 'x', 'planet', '1')",
        ] {
            let e = sqlx::query(sql).execute(&db.pool).await.unwrap_err();
            assert!(is_check_violation(&e), "{sql} on {backend:?}: {e}");
        }
        // And through the store's own methods.
        let refused = |r: Result<_, StoreError>| matches!(r, Err(StoreError::Db(ref e)) if is_check_violation(e));
        // (An attachment's kind, a decision's kind, outcome and engine status
        // are enums in the store's API: no other value can be passed.)
        assert!(refused(
            db.create_user("p", "p", "hash", Role::Officer, None, Some(48), None)
                .await
                .map(|_| ())
        ));
        assert!(refused(
            db.create_org(
                13,
                &json!({"name": "y", "industry": "mining", "regular_employees": 3}),
                None
            )
            .await
            .map(|_| ())
        ));
        let mut bad = full_document();
        bad["telework"][0]["place"] = json!("cafe");
        assert!(refused(
            db.save_inputs(case.id, case.version + 1, &bad, Some(employer.id))
                .await
                .map(|_| ())
        ));

        // Every value of the Rust enums that write these columns is allowed.
        let allowed = |table: &'static str, column: &'static str, values: Vec<String>| {
            let db = db.clone();
            async move {
                for v in values {
                    sqlx::query(&format!("UPDATE {table} SET {column} = $1"))
                        .bind(&v)
                        .execute(&db.pool)
                        .await
                        .unwrap_or_else(|e| panic!("{table}.{column} = {v}: {e}"));
                }
            }
        };
        allowed(
            "cases",
            "status",
            Status::ALL.iter().map(|s| s.as_str().into()).collect(),
        )
        .await;
        allowed(
            "organizations",
            "industry",
            Industry::ALL.iter().map(|s| s.as_str().into()).collect(),
        )
        .await;
        allowed(
            "organizations",
            "telework_status",
            TeleworkStatus::ALL
                .iter()
                .map(|s| s.as_str().into())
                .collect(),
        )
        .await;
        allowed(
            "case_target_workers",
            "employment",
            Employment::ALL.iter().map(|s| s.as_str().into()).collect(),
        )
        .await;
        allowed(
            "case_telework",
            "place",
            Place::ALL.iter().map(|s| s.as_str().into()).collect(),
        )
        .await;
        allowed(
            "case_roster",
            "leave_reason",
            LeaveReason::ALL.iter().map(|s| s.as_str().into()).collect(),
        )
        .await;
        allowed(
            "case_expenses",
            "category",
            ExpenseCategory::ALL
                .iter()
                .map(|s| s.as_str().into())
                .collect(),
        )
        .await;
        allowed(
            "case_measures",
            "kind",
            MeasureKind::ALL.iter().map(|s| s.as_str().into()).collect(),
        )
        .await;
        allowed(
            "decisions",
            "engine_status",
            [
                SubsidyStatus::Payable,
                SubsidyStatus::NotPayable,
                SubsidyStatus::Pending,
            ]
            .iter()
            .map(|s| json!(s).as_str().unwrap().to_string())
            .collect(),
        )
        .await;
        allowed(
            "decisions",
            "kind",
            DecisionKind::ALL
                .iter()
                .map(|k| k.as_str().into())
                .collect(),
        )
        .await;
        allowed(
            "decisions",
            "outcome",
            Outcome::ALL.iter().map(|o| o.as_str().into()).collect(),
        )
        .await;
        allowed(
            "attachments",
            "kind",
            AttachmentKind::ALL
                .iter()
                .map(|k| k.as_str().into())
                .collect(),
        )
        .await;
        allowed(
            "users",
            "role",
            [Role::Employer, Role::Agent, Role::Officer, Role::Admin]
                .iter()
                .map(|r| r.as_str().into())
                .collect(),
        )
        .await;
        finish(db, pg).await;
    }
}

#[tokio::test]
async fn multi_row_inserts_split_under_each_bind_limit() {
    use josei_store::limits::{MAX_ROSTER_ROWS, MAX_TELEWORK_ROWS};
    for (db, pg) in databases().await {
        let org = db.create_org(13, &json!({"name": "x", "industry": "retail", "regular_employees": 3, "telework_status": "none"}), None).await.unwrap();
        let user = db
            .create_user("u", "u", "hash", Role::Employer, Some(org.id), None, None)
            .await
            .unwrap();
        let case = db.create_case(org.id, "t", user.id).await.unwrap();
        // As many telework days as a case may hold: 4 values a row, so more
        // rows than one statement may bind on SQLite (8,191) and on
        // PostgreSQL (16,383).
        let start = jiff::civil::date(2024, 1, 1);
        let workers = 300;
        let mut telework: Vec<serde_json::Value> = (0..MAX_TELEWORK_ROWS)
            .map(|i| {
                let day = start + jiff::Span::new().days((i / workers) as i64);
                let place = ["home", "office", "mobile"][i % 3];
                json!({"worker": format!("W{:03}", i % workers), "date": day.to_string(), "place": place})
            })
            .collect();
        // A repeated worker and day: the last record wins.
        telework.push(json!({"worker": "W000", "date": "2024-01-01", "place": "satellite_office"}));
        let roster: Vec<serde_json::Value> = (0..MAX_ROSTER_ROWS)
            .map(|i| json!({"id": format!("R{i:05}"), "hired_on": "2020-04-01", "left_on": null, "leave_reason": null}))
            .collect();
        let mut doc = db.case_document(&case).await.unwrap();
        doc["telework"] = json!(telework);
        doc["roster"] = json!(roster);
        doc["expenses"] = json!((0..2_000)
            .map(|i| json!({"id": format!("X{i}"), "category": "consulting", "amount_yen": i, "months": 1 + i % 12}))
            .collect::<Vec<_>>());
        let saved = db
            .save_inputs(case.id, case.version, &doc, Some(user.id))
            .await
            .unwrap();
        let back = db.case_document(&saved).await.unwrap();
        let tw = back["telework"].as_array().unwrap();
        assert_eq!(tw.len(), MAX_TELEWORK_ROWS, "{:?}", db.backend);
        assert_eq!(
            tw[0],
            json!({"worker": "W000", "date": "2024-01-01", "place": "satellite_office"})
        );
        assert_eq!(tw.last().unwrap()["date"], "2024-07-18");
        assert_eq!(back["roster"], doc["roster"]);
        let expenses = back["expenses"].as_array().unwrap();
        assert_eq!(expenses.len(), 2_000);
        assert_eq!(expenses[1_999]["amount_yen"], 1_999);
        assert_eq!(expenses[1_999]["months"], 1 + 1_999 % 12);
        // Saved again with fewer rows: replaced, not added to.
        doc["telework"] = json!([{"worker": "W1", "date": "2024-01-02", "place": "home"}]);
        let again = db
            .save_inputs(saved.id, saved.version, &doc, Some(user.id))
            .await
            .unwrap();
        let back = db.case_document(&again).await.unwrap();
        assert_eq!(back["telework"].as_array().unwrap().len(), 1);
        assert_eq!(back["roster"].as_array().unwrap().len(), MAX_ROSTER_ROWS);
        finish(db, pg).await;
    }
}

#[tokio::test]
async fn every_id_round_trips_through_the_database_and_serialises_as_a_bare_number() {
    use josei_rules::evaluate::SubsidyStatus;
    use josei_store::{
        ApiTokenId, AttachmentId, AuditEntryId, DelegationId, LoginAttemptId, NewDecision,
        OrganizationId, Status, StepChanges, TokenRef, UserId,
    };
    use sqlx::Row;
    for (db, pg) in databases().await {
        let on = db.backend;
        // Each id as the table's own column holds it: bound typed, read typed.
        async fn read_back<T>(db: &josei_store::Db, table: &str, id: T) -> T
        where
            T: for<'q> sqlx::Encode<'q, sqlx::Any>
                + for<'r> sqlx::Decode<'r, sqlx::Any>
                + sqlx::Type<sqlx::Any>
                + Send
                + 'static,
        {
            sqlx::query(&format!("SELECT id FROM {table} WHERE id = $1"))
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap_or_else(|e| panic!("{table}: {e}"))
                .try_get("id")
                .unwrap()
        }

        let org = db.create_org(13, &json!({"name": "x", "industry": "retail", "regular_employees": 3, "telework_status": "none"}), None).await.unwrap();
        assert_eq!(
            read_back(&db, "organizations", org.id).await,
            org.id,
            "{on:?}"
        );
        assert_eq!(db.org(org.id).await.unwrap().unwrap().id, org.id);
        let user = db
            .create_user("e", "e", "hash", Role::Employer, Some(org.id), None, None)
            .await
            .unwrap();
        assert_eq!(read_back(&db, "users", user.id).await, user.id, "{on:?}");
        let back = db.user_by_id(user.id).await.unwrap().unwrap();
        assert_eq!((back.id, back.organization_id), (user.id, Some(org.id)));
        let officer = db
            .create_user(
                "o",
                "o",
                "hash",
                Role::Officer,
                None,
                Some(13),
                Some(user.id),
            )
            .await
            .unwrap();
        let agent = db
            .create_user("a", "a", "hash", Role::Agent, None, None, None)
            .await
            .unwrap();
        assert!(user.id < officer.id && officer.id < agent.id);

        let delegation: DelegationId = db
            .grant_delegation(org.id, agent.id, user.id)
            .await
            .unwrap();
        assert_eq!(read_back(&db, "delegations", delegation).await, delegation);
        assert_eq!(db.agent_org_ids(agent.id).await.unwrap(), [org.id]);

        let case = db.create_case(org.id, "t", user.id).await.unwrap();
        assert_eq!(read_back(&db, "cases", case.id).await, case.id, "{on:?}");
        let back = db.case(case.id).await.unwrap().unwrap();
        assert_eq!((back.id, back.organization_id), (case.id, org.id));

        let token: ApiTokenId = db
            .create_api_token("h", user.id, "n", josei_store::now_ms() + 60_000)
            .await
            .unwrap();
        assert_eq!(read_back(&db, "api_tokens", token).await, token);
        assert_eq!(db.api_tokens(user.id).await.unwrap()[0].id, token);
        db.revoke_api_token(user.id, TokenRef::Id(token), user.id)
            .await
            .unwrap();
        assert!(db.api_tokens(user.id).await.unwrap()[0]
            .revoked_at
            .is_some());

        let attachment = db
            .add_attachment(
                case.id,
                AttachmentKind::Invoice,
                "i.pdf",
                "application/pdf",
                "00",
                b"%PDF-",
                user.id,
            )
            .await
            .unwrap();
        let a_id: AttachmentId = attachment.id;
        assert_eq!(read_back(&db, "attachments", a_id).await, a_id);
        let (meta, _) = db.attachment_data(case.id, a_id).await.unwrap();
        assert_eq!(
            (meta.id, meta.case_id, meta.kind, meta.uploaded_by),
            (a_id, case.id, AttachmentKind::Invoice, user.id),
            "{on:?}"
        );

        let changes = StepChanges {
            decision: Some(NewDecision {
                kind: DecisionKind::Goal,
                outcome: Outcome::Denied,
                engine_version: "e".into(),
                regime: "R7".into(),
                engine_status: SubsidyStatus::NotPayable,
                engine_amount_yen: 0,
                decided_amount_yen: 0,
                overrides_engine: false,
                reason: None,
                evaluation: json!({}),
                assumptions: json!({}),
                overlay_sha256: None,
                decided_on: "2026-11-21".into(),
                exclusions: json!([]),
            }),
            ..StepChanges::default()
        };
        let (_, decision) = db
            .step(
                case.id,
                case.version,
                Status::ALL,
                Status::GoalDenied,
                "deny_goal",
                changes,
                officer.id,
            )
            .await
            .unwrap();
        let decision = decision.unwrap();
        assert_eq!(read_back(&db, "decisions", decision.id).await, decision.id);
        let stored = &db.decisions(case.id).await.unwrap()[0];
        assert_eq!(
            (stored.decided_on.as_str(), &stored.exclusions),
            ("2026-11-21", &json!([]))
        );
        assert_eq!(
            (
                stored.id,
                stored.case_id,
                stored.decided_by,
                stored.kind,
                stored.outcome,
                stored.engine_status
            ),
            (
                decision.id,
                case.id,
                officer.id,
                DecisionKind::Goal,
                Outcome::Denied,
                SubsidyStatus::NotPayable
            ),
            "{on:?}"
        );

        let log = db.audit_log("case", &case.id.to_string()).await.unwrap();
        let entry_id: AuditEntryId = log[0].id;
        assert_eq!(read_back(&db, "audit_log", entry_id).await, entry_id);
        assert_eq!(log[0].user_id, Some(user.id));
        assert_eq!(log.last().unwrap().user_id, Some(officer.id));
        let created = db.audit_log("user", &officer.id.to_string()).await.unwrap();
        assert_eq!(created[0].user_id, Some(user.id), "{on:?}");

        let attempt: LoginAttemptId = db.begin_login_attempt("e", "127.0.0.1").await.unwrap();
        assert_eq!(read_back(&db, "login_attempts", attempt).await, attempt);
        db.finish_login_attempt(attempt).await.unwrap();
        let (by_user, _) = db.recent_login_failures("e", "127.0.0.1", 0).await.unwrap();
        assert_eq!(by_user, 0, "{on:?}");

        // An absent id reads as none, a NULL one as `None`.
        assert!(db.case(CaseId::from(i64::MAX)).await.unwrap().is_none());
        assert_eq!(
            db.user_by_id(officer.id)
                .await
                .unwrap()
                .unwrap()
                .organization_id,
            None
        );
        let none: Option<OrganizationId> =
            sqlx::query("SELECT organization_id FROM users WHERE id = $1")
                .bind(agent.id)
                .fetch_one(&db.pool)
                .await
                .unwrap()
                .try_get("organization_id")
                .unwrap();
        assert_eq!(none, None);
        let typed: UserId = sqlx::query("SELECT user_id FROM audit_log WHERE id = $1")
            .bind(entry_id)
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .try_get("user_id")
            .unwrap();
        assert_eq!(typed, user.id);

        // In JSON every id is a bare number, every kind its stored text.
        let n = |v: &serde_json::Value, key: &str| -> i64 {
            v[key]
                .as_i64()
                .unwrap_or_else(|| panic!("{key} is not a number: {v}"))
        };
        let j = serde_json::to_value(&back).unwrap();
        assert_eq!(
            (n(&j, "id"), n(&j, "organization_id")),
            (case.id.get(), org.id.get())
        );
        let j = serde_json::to_value(&user).unwrap();
        assert_eq!(
            (n(&j, "id"), n(&j, "organization_id")),
            (user.id.get(), org.id.get())
        );
        assert_eq!(n(&serde_json::to_value(&org).unwrap(), "id"), org.id.get());
        let j = serde_json::to_value(&meta).unwrap();
        assert_eq!(
            (n(&j, "id"), n(&j, "case_id"), n(&j, "uploaded_by")),
            (a_id.get(), case.id.get(), user.id.get())
        );
        assert_eq!(j["kind"], "invoice");
        let j = serde_json::to_value(stored).unwrap();
        assert_eq!(
            (n(&j, "id"), n(&j, "case_id"), n(&j, "decided_by")),
            (decision.id.get(), case.id.get(), officer.id.get())
        );
        assert_eq!(
            (&j["kind"], &j["outcome"], &j["engine_status"]),
            (&json!("goal"), &json!("denied"), &json!("not_payable"))
        );
        let j = serde_json::to_value(&log[0]).unwrap();
        assert_eq!(
            (n(&j, "id"), n(&j, "user_id")),
            (entry_id.get(), user.id.get())
        );
        let j = serde_json::to_value(&db.api_tokens(user.id).await.unwrap()[0]).unwrap();
        assert_eq!(n(&j, "id"), token.get());
        finish(db, pg).await;
    }
}
