//! Multi-row inserts: `sqlx::QueryBuilder::push_values`, in as few
//! statements as each backend's limit of bound values allows.
//!
//! `QueryBuilder<Any>` writes every placeholder as `?`: sqlx 0.8's
//! `AnyArguments` does not know the backend it will run on
//! (launchbadge/sqlx#3000). SQLite reads `?`; PostgreSQL needs `$1`, `$2`,
//! …, so [`execute`] numbers them before a statement goes to PostgreSQL.
//! That is sound because the statements built here contain no `?` of their
//! own: table and column names, fixed SQL, and bound values only.

use crate::{Backend, Result};
use sqlx::query_builder::Separated;
use sqlx::{Any, Arguments, Execute, QueryBuilder, Transaction};

/// How many rows of `columns` bound values one statement may carry on
/// `backend` (at least one).
pub(crate) fn rows_per_statement(backend: Backend, columns: usize) -> usize {
    (backend.max_binds() / columns.max(1)).max(1)
}

/// Inserts `rows` with `head` (`INSERT INTO t (a, b) `), a `VALUES` list
/// filled by `push` (given each row and its index in `rows`, binding exactly
/// `columns` values), and `tail` (`ON CONFLICT …` or nothing), split into
/// statements that stay under the backend's bind limit.
pub(crate) async fn insert_values<'r, T>(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    head: &str,
    columns: usize,
    rows: &'r [T],
    tail: &str,
    mut push: impl FnMut(&mut Separated<'_, 'r, Any, &'static str>, usize, &'r T),
) -> Result<()> {
    let per_statement = rows_per_statement(backend, columns);
    for (n, chunk) in rows.chunks(per_statement).enumerate() {
        let first = n * per_statement;
        let mut qb = QueryBuilder::<Any>::new(head);
        qb.push_values(chunk.iter().enumerate(), |mut b, (i, row)| {
            push(&mut b, first + i, row)
        });
        qb.push(tail);
        execute(tx, backend, &mut qb).await?;
    }
    Ok(())
}

/// Runs a built statement in `tx`, its placeholders written for `backend`;
/// returns the rows it affected. The statement is not kept prepared: a
/// multi-row insert's text changes with its row count.
pub(crate) async fn execute(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    qb: &mut QueryBuilder<'_, Any>,
) -> Result<u64> {
    let mut query = qb.build();
    let arguments = query
        .take_arguments()
        .map_err(sqlx::Error::Encode)?
        .unwrap_or_default();
    let built = query.sql();
    let placeholders = built.matches('?').count();
    if placeholders != arguments.len() || arguments.len() > backend.max_binds() {
        return Err(sqlx::Error::Protocol(format!(
            "a built statement has {placeholders} placeholders for {} values (at most {})",
            arguments.len(),
            backend.max_binds()
        ))
        .into());
    }
    let sql = match backend {
        Backend::Sqlite => built.to_string(),
        Backend::Postgres => numbered(built),
    };
    let done = sqlx::query_with(&sql, arguments)
        .persistent(false)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// `?` placeholders numbered as PostgreSQL writes them: `$1`, `$2`, ….
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + sql.len() / 4);
    let mut n = 0usize;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres_only() {
        let mut qb = QueryBuilder::<Any>::new("INSERT INTO t (a, b) ");
        qb.push_values([(1i64, "x"), (2, "y")], |mut b, (a, s)| {
            b.push_bind(a).push_bind(s);
        });
        assert_eq!(qb.sql(), "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
        assert_eq!(
            numbered(qb.sql()),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
    }

    #[test]
    fn statements_stay_under_each_bind_limit() {
        assert_eq!(rows_per_statement(Backend::Sqlite, 4), 8_191);
        assert_eq!(rows_per_statement(Backend::Postgres, 4), 16_383);
        assert_eq!(rows_per_statement(Backend::Sqlite, 12) * 12, 32_760);
        assert_eq!(rows_per_statement(Backend::Postgres, 100_000), 1);
    }
}
