//! Plain SQL for both backends, for the queries diesel's query builder cannot write for both
//! (grouping by `date(…)`, window functions, day arithmetic). Parameters are written `?1`,
//! `?2`… (SQLite's numbered form) and become `$1`, `$2`… on PostgreSQL; where the dialects
//! differ, [`Dialect`] gives each its own fragment.

use super::DbConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

pub fn dialect(conn: &DbConnection) -> Dialect {
    match conn {
        DbConnection::Pg(_) => Dialect::Postgres,
        DbConnection::Sqlite(_) => Dialect::Sqlite,
    }
}

/// The SQL as the connection's backend wants its parameters.
pub fn sql_for(conn: &DbConnection, sql: &str) -> String {
    match dialect(conn) {
        Dialect::Sqlite => sql.to_owned(),
        Dialect::Postgres => sql.replace('?', "$"),
    }
}

/// Whole days from the date of `earlier` to the date of `later` (both timestamps).
pub fn days_between(d: Dialect, later: &str, earlier: &str) -> String {
    match d {
        // Timestamps are stored as 'YYYY-MM-DD HH:MM:SS…' text: the first ten characters are
        // the date, which is quicker to take than to parse.
        Dialect::Sqlite => {
            format!(
                "CAST(julianday(substr({later}, 1, 10)) - julianday(substr({earlier}, 1, 10)) AS INTEGER)"
            )
        }
        Dialect::Postgres => format!("(date({later}) - date({earlier}))::bigint"),
    }
}
