//! Databases for the integration tests: SQLite files always, PostgreSQL
//! databases when `TEST_DATABASE_URL` names a server (one database per call:
//! tests run in parallel).

#![allow(dead_code)]

use josei_store::{connect, Db};
use sqlx::Connection;
use std::sync::atomic::{AtomicUsize, Ordering};

static N: AtomicUsize = AtomicUsize::new(0);

/// A new SQLite file's path (not yet created).
pub fn sqlite_path() -> String {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("store_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!(
        "t{}_{}.db",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    file.to_str().unwrap().to_string()
}

/// A PostgreSQL database to drop after the test.
pub struct Pg {
    pub admin: String,
    pub name: String,
    pub url: String,
}

/// A new, empty PostgreSQL database, when `TEST_DATABASE_URL` is set.
pub async fn postgres_database() -> Option<Pg> {
    let admin = std::env::var("TEST_DATABASE_URL").ok()?;
    let n = N.fetch_add(1, Ordering::SeqCst);
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
    Some(Pg { admin, name, url })
}

impl Pg {
    pub async fn drop(&self) {
        if let Ok(mut conn) = sqlx::PgConnection::connect(&self.admin).await {
            let _ = sqlx::query(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn)
            .await;
        }
    }
}

/// A migrated store on SQLite, and on PostgreSQL when configured.
pub async fn databases() -> Vec<(Db, Option<Pg>)> {
    let mut out = vec![(connect(&sqlite_path()).await.unwrap(), None)];
    if let Some(pg) = postgres_database().await {
        out.push((connect(&pg.url).await.unwrap(), Some(pg)));
    }
    out
}

/// Closes the store and drops its PostgreSQL database, if any.
pub async fn finish(db: Db, pg: Option<Pg>) {
    db.pool.close().await;
    if let Some(pg) = pg {
        pg.drop().await;
    }
}

/// Whether `e` is the database refusing a value with a CHECK constraint.
pub fn is_check_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_check_violation())
}
