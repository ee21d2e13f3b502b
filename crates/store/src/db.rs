//! Connecting to SQLite or PostgreSQL, applying migrations, and whole-database
//! maintenance (statistics, SQLite backups).
//!
//! Migrations are embedded with `sqlx::migrate!`, one folder per backend:
//! `migrations/sqlite/` and `migrations/postgres/` each hold the whole
//! sequence, with the same versions and descriptions, so that both schemas
//! move in step. Applied versions are recorded by sqlx in `_sqlx_migrations`.
//!
//! Databases made before `sqlx::migrate!` recorded their versions in the old
//! runner's `schema_migrations` table; the first start of this version
//! records those versions in `_sqlx_migrations` (with the checksums of the
//! embedded files, whose SQL is what the old runner applied) and applies only
//! the migrations after them. `schema_migrations` is kept as it was.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migrate, Migrator};
use sqlx::{AnyConnection, AnyPool, Connection, Executor, Row};
use std::str::FromStr;

/// Which database a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection pool to one josei database.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

/// The SQLite schema, version by version.
static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
/// The PostgreSQL schema, version by version (the same versions as [`SQLITE`]).
static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// The advisory lock that keeps concurrently starting servers apart on
/// PostgreSQL while they migrate (the old runner took the same one).
const MIGRATION_LOCK: i64 = 7_421_001;

impl Backend {
    /// The migrations of this backend.
    pub(crate) fn migrator(self) -> &'static Migrator {
        match self {
            Backend::Sqlite => &SQLITE,
            Backend::Postgres => &POSTGRES,
        }
    }

    /// The most values one statement may bind: SQLite's
    /// `SQLITE_MAX_VARIABLE_NUMBER` (32,766 since 3.32), PostgreSQL's 16-bit
    /// parameter count (65,535).
    pub(crate) fn max_binds(self) -> usize {
        match self {
            Backend::Sqlite => 32_766,
            Backend::Postgres => 65_535,
        }
    }
}

/// The database at `target`: a `postgres://` URL, a `sqlite:` URL, or a file
/// path (created when missing). Migrations are applied before it is returned.
pub async fn connect(target: &str) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let (url, backend) = if target.starts_with("postgres://") || target.starts_with("postgresql://")
    {
        (target.to_string(), Backend::Postgres)
    } else if target.starts_with("sqlite:") {
        (target.to_string(), Backend::Sqlite)
    } else {
        (format!("sqlite://{target}?mode=rwc"), Backend::Sqlite)
    };
    let options = AnyConnectOptions::from_str(&url)?;
    let pool = AnyPoolOptions::new()
        .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    let db = Db { pool, backend };
    migrate(&db).await?;
    Ok(db)
}

impl Db {
    /// Refreshes the planner's statistics (and, on PostgreSQL, clears dead
    /// rows) after a bulk load, as autovacuum would do in time.
    pub async fn optimize(&self) -> Result<(), sqlx::Error> {
        let sql = match self.backend {
            Backend::Sqlite => "ANALYZE",
            Backend::Postgres => "VACUUM ANALYZE",
        };
        self.pool.execute(sql).await?;
        Ok(())
    }

    /// An online backup of an SQLite database to `path` (`VACUUM INTO`).
    pub async fn backup_sqlite(&self, path: &str) -> crate::Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(crate::StoreError::Conflict("backup はSQLiteのデータベースにのみ使えます（PostgreSQL は pg_dump を使ってください）".into()));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// Applies every migration not yet applied, each in its own transaction,
/// after taking over the versions an old database recorded in
/// `schema_migrations`. Running it again changes nothing.
///
/// On SQLite the migrating connection runs with foreign keys off, as
/// rebuilding a table needs (a migration that rebuilds checks every foreign
/// key before it commits); on PostgreSQL an advisory lock keeps concurrently
/// starting servers apart. A connection that failed is closed, never
/// returned to the pool half-configured.
pub async fn migrate(db: &Db) -> Result<(), sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    let result = migrate_on(&mut conn, db.backend).await;
    if result.is_err() {
        conn.close_on_drop();
    }
    result
}

async fn migrate_on(conn: &mut AnyConnection, backend: Backend) -> Result<(), sqlx::Error> {
    match backend {
        Backend::Sqlite => {
            conn.execute("PRAGMA foreign_keys = OFF").await?;
            adopt_legacy_versions(conn, backend).await?;
            backend.migrator().run(&mut *conn).await?;
            conn.execute("PRAGMA foreign_keys = ON").await?;
        }
        Backend::Postgres => {
            conn.execute(format!("SELECT pg_advisory_lock({MIGRATION_LOCK})").as_str())
                .await?;
            adopt_legacy_versions(conn, backend).await?;
            backend.migrator().run(&mut *conn).await?;
            conn.execute(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})").as_str())
                .await?;
        }
    }
    Ok(())
}

/// Whether the table exists (in the schema unqualified names resolve to).
async fn table_exists(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
) -> Result<bool, sqlx::Error> {
    let sql = match backend {
        Backend::Sqlite => "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = $1",
        Backend::Postgres => "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1",
    };
    let n: i64 = sqlx::query(sql)
        .bind(table)
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    Ok(n > 0)
}

/// A database migrated by the old runner (`schema_migrations`, no
/// `_sqlx_migrations` yet): records its applied versions in
/// `_sqlx_migrations` with the embedded migrations' descriptions and
/// checksums, in one transaction, so that sqlx applies only the later ones.
async fn adopt_legacy_versions(
    conn: &mut AnyConnection,
    backend: Backend,
) -> Result<(), sqlx::Error> {
    if !table_exists(conn, backend, "schema_migrations").await?
        || table_exists(conn, backend, "_sqlx_migrations").await?
    {
        return Ok(());
    }
    let migrator = backend.migrator();
    let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations ORDER BY version")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>("version"))
        .collect::<Result<_, _>>()?;
    tracing::info!(
        ?applied,
        "recording the versions of the old migration runner in _sqlx_migrations"
    );
    let mut tx = conn.begin().await?;
    tx.ensure_migrations_table().await?;
    for version in applied {
        let migration = migrator
            .iter()
            .find(|m| m.version == version && !m.migration_type.is_down_migration())
            .ok_or_else(|| {
                sqlx::Error::Protocol(format!(
                    "schema_migrations records version {version}, which this josei does not know: the database was made by a newer version"
                ))
            })?;
        // success, and an execution time of -1: not measured (as sqlx itself
        // records before it knows).
        sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ($1, $2, TRUE, $3, -1)")
            .bind(migration.version)
            .bind(migration.description.to_string())
            .bind(migration.checksum.to_vec())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_versions() {
        let versions = |m: &Migrator| {
            m.iter()
                .map(|m| (m.version, m.description.to_string()))
                .collect::<Vec<_>>()
        };
        let sqlite = versions(&SQLITE);
        assert_eq!(sqlite, versions(&POSTGRES));
        // The old runner's versions 1–6 keep their numbers.
        assert_eq!(
            sqlite.iter().map(|v| v.0).collect::<Vec<_>>(),
            (1..=sqlite.len() as i64).collect::<Vec<_>>()
        );
        assert!(sqlite.len() >= 7);
        assert!(SQLITE.iter().all(|m| !m.sql.contains("{ID}")));
        assert!(POSTGRES.iter().any(|m| m.sql.contains("BYTEA")));
        assert!(SQLITE.iter().any(|m| m.sql.contains("AUTOINCREMENT")));
    }
}
