//! Hubs: the places where kit is picked up and returned.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::hubs;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = hubs)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Hub {
    pub id: String,
    pub name: String,
    pub address: String,
    pub opening_hours: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = hubs)]
pub struct NewHub<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub address: &'a str,
    pub opening_hours: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = hubs)]
pub struct HubChanges {
    pub name: Option<String>,
    pub address: Option<String>,
    /// `Some(None)` clears them.
    pub opening_hours: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConnection, hub: &NewHub) -> QueryResult<Hub> {
    diesel::insert_into(hubs::table).values(hub).execute(conn)?;
    find(conn, hub.id)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Hub> {
    hubs::table.find(id).select(Hub::as_select()).first(conn)
}

pub fn find_by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Option<Hub>> {
    hubs::table.filter(hubs::name.eq(name)).select(Hub::as_select()).first(conn).optional()
}

pub fn list(conn: &mut DbConnection, after: Option<&str>, limit: i64) -> QueryResult<Vec<Hub>> {
    let mut query = hubs::table.select(Hub::as_select()).order(hubs::id.asc()).limit(limit).into_boxed();
    if let Some(after) = after {
        query = query.filter(hubs::id.gt(after.to_owned()));
    }
    query.load(conn)
}

pub fn update(conn: &mut DbConnection, id: &str, changes: &HubChanges) -> QueryResult<Hub> {
    diesel::update(hubs::table.find(id)).set(changes).execute(conn)?;
    find(conn, id)
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    hubs::table.count().get_result(conn)
}
