use std::collections::{BTreeMap, BTreeSet};

use devicepool::store::{self, schema::declared_columns, DbConnection};
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::helpers::spawn_app;

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

fn migrated_columns(conn: &mut DbConnection) -> BTreeMap<String, BTreeSet<String>> {
    let sql = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT m.name AS table_name, p.name AS column_name \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '__diesel%'"
        }
        DbConnection::Pg(_) => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name NOT LIKE '__diesel%'"
        }
    };
    let rows: Vec<Column> = diesel::sql_query(sql).load(conn).expect("columns");
    let mut tables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in rows {
        tables.entry(row.table_name).or_default().insert(row.column_name);
    }
    tables
}

/// Both migration sets must produce exactly the tables and columns of `schema.rs`; CI runs
/// this on SQLite and on PostgreSQL, so the two backends match each other.
#[tokio::test]
async fn the_migrated_schema_matches_schema_rs() {
    let app = spawn_app().await;
    let actual = app.with_db(migrated_columns).await;
    let declared: BTreeMap<String, BTreeSet<String>> = declared_columns()
        .into_iter()
        .map(|(t, cols)| (t.to_owned(), cols.into_iter().map(str::to_owned).collect()))
        .collect();
    assert_eq!(actual, declared);
}

#[tokio::test]
async fn migrations_applied_twice_are_a_no_op() {
    let app = spawn_app().await;
    let second = app.with_db(|conn| store::run_migrations(conn).expect("migrate")).await;
    assert!(second.is_empty(), "nothing left to apply, got {second:?}");
    let after = app.with_db(migrated_columns).await;
    assert!(after.contains_key("users"));
}
