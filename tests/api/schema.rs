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

/// A device's donor is its donation's donor, kept by the database itself (one composite key),
/// on both backends: a row that names another donor is refused, the right one goes in.
#[tokio::test]
async fn the_database_refuses_a_device_whose_donor_is_not_its_donations() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut donors = Vec::new();
    for name in ["Donor One BV", "Donor Two BV"] {
        let res = app
            .post("/api/v1/organisations", &admin, serde_json::json!({"name": name, "kind": "donor"}))
            .await;
        assert_eq!(res.status(), 201);
        donors.push(
            res.json::<serde_json::Value>().await.expect("json")["id"].as_str().expect("id").to_owned(),
        );
    }
    let res = app.post("/api/v1/donations", &admin, serde_json::json!({"donor_id": donors[0]})).await;
    assert_eq!(res.status(), 201);
    let donation =
        res.json::<serde_json::Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let insert = move |conn: &mut DbConnection, id: &str, donor: &str| {
        diesel::sql_query(format!(
            "INSERT INTO devices (id, kind, serial_number, asset_tag, model, state, donation_id, donor_id, \
             created_at, updated_at) VALUES ('{id}', 'wifi_dongle', 'SN-{id}', 'TAG-{id}', 'Dongle', 'pledged', \
             '{donation}', '{donor}', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        ))
        .execute(conn)
    };
    let (wrong, right) = app
        .with_db(move |conn| (insert(conn, "dev-wrong", &donors[1]), insert(conn, "dev-right", &donors[0])))
        .await;
    let err = wrong.expect_err("another donor's device in this donation is refused");
    assert!(
        matches!(
            err,
            diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::ForeignKeyViolation, _)
        ),
        "a foreign-key violation, got {err:?}"
    );
    assert_eq!(right.expect("the donation's own donor is accepted"), 1);
}
