//! Who read whose personal data and when: ids only, so the log itself holds no personal data.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::access_log as a;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = a)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct AccessEntry {
    pub id: String,
    pub at: NaiveDateTime,
    pub actor_id: String,
    pub student_id: String,
    pub action: String,
    pub request_id: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = a)]
pub struct NewAccessEntry<'a> {
    pub id: String,
    pub at: NaiveDateTime,
    pub actor_id: &'a str,
    pub student_id: &'a str,
    pub action: &'a str,
    pub request_id: Option<&'a str>,
}

pub fn record(conn: &mut DbConnection, entries: &[NewAccessEntry]) -> QueryResult<usize> {
    let mut n = 0;
    for chunk in entries.chunks(500) {
        n += crate::with_backend!(&mut *conn, c => diesel::insert_into(a::table).values(chunk).execute(c))?;
    }
    Ok(n)
}

pub fn list(
    conn: &mut DbConnection,
    student_id: Option<&str>,
    actor_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<AccessEntry>> {
    let mut query = a::table.select(AccessEntry::as_select()).order(a::id.asc()).limit(limit).into_boxed();
    if let Some(s) = student_id {
        query = query.filter(a::student_id.eq(s.to_owned()));
    }
    if let Some(actor) = actor_id {
        query = query.filter(a::actor_id.eq(actor.to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(a::id.gt(after.to_owned()));
    }
    query.load(conn)
}
