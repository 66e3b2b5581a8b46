//! Allocations: the solver's proposals, which staff confirm or reject.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::allocations;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = allocations)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Allocation {
    pub id: String,
    pub run_id: String,
    pub request_id: String,
    pub device_id: Option<String>,
    pub licence_id: Option<String>,
    pub state: String,
    pub priority: i32,
    pub cost: i32,
    pub reason: String,
    pub details: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = allocations)]
pub struct NewAllocation<'a> {
    pub id: &'a str,
    pub run_id: &'a str,
    pub request_id: &'a str,
    pub device_id: Option<&'a str>,
    pub licence_id: Option<&'a str>,
    pub state: &'a str,
    pub priority: i32,
    pub cost: i32,
    pub reason: &'a str,
    pub details: &'a str,
    pub created_by: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert_many(conn: &mut DbConnection, rows: &[NewAllocation]) -> QueryResult<usize> {
    let mut n = 0;
    for chunk in rows.chunks(500) {
        n += crate::with_backend!(&mut *conn, c => diesel::insert_into(allocations::table).values(chunk).execute(c))?;
    }
    Ok(n)
}

pub fn insert(conn: &mut DbConnection, a: &NewAllocation) -> QueryResult<usize> {
    diesel::insert_into(allocations::table).values(a).execute(conn)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Allocation> {
    allocations::table.find(id).select(Allocation::as_select()).first(conn)
}

pub fn list(
    conn: &mut DbConnection,
    state: Option<&str>,
    run_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Allocation>> {
    let mut q = allocations::table
        .select(Allocation::as_select())
        .order(allocations::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(s) = state {
        q = q.filter(allocations::state.eq(s.to_owned()));
    }
    if let Some(r) = run_id {
        q = q.filter(allocations::run_id.eq(r.to_owned()));
    }
    if let Some(after) = after {
        q = q.filter(allocations::id.gt(after.to_owned()));
    }
    q.load(conn)
}

/// Moves a proposed allocation to `to`; false if it was not proposed any more.
pub fn decide(
    conn: &mut DbConnection,
    id: &str,
    to: &str,
    by: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(allocations::table.find(id).filter(allocations::state.eq("proposed")))
        .set((
            allocations::state.eq(to),
            allocations::decided_by.eq(by),
            allocations::decided_at.eq(Some(at)),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Confirms a proposal in one guarded update: only while it is proposed, its request still
/// allocated to it and its student not erased. False if any of that changed meanwhile.
pub fn confirm(conn: &mut DbConnection, id: &str, by: &str, at: NaiveDateTime) -> QueryResult<bool> {
    use super::schema::{requests, students};
    let open_requests = requests::table
        .inner_join(students::table)
        .filter(requests::state.eq("allocated"))
        .filter(students::erased_at.is_null())
        .select(requests::id);
    let n = diesel::update(
        allocations::table
            .find(id)
            .filter(allocations::state.eq("proposed"))
            .filter(allocations::request_id.eq_any(open_requests)),
    )
    .set((
        allocations::state.eq("confirmed"),
        allocations::decided_by.eq(Some(by)),
        allocations::decided_at.eq(Some(at)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The proposals waiting for staff on a student's requests.
pub fn proposed_for_student(conn: &mut DbConnection, student_id: &str) -> QueryResult<Vec<String>> {
    use super::schema::requests;
    allocations::table
        .inner_join(requests::table)
        .filter(requests::student_id.eq(student_id))
        .filter(allocations::state.eq("proposed"))
        .select(allocations::id)
        .load(conn)
}

/// Whether a proposal waits for staff on this device.
pub fn device_has_proposal(conn: &mut DbConnection, device_id: &str) -> QueryResult<bool> {
    let n: i64 = allocations::table
        .filter(allocations::device_id.eq(device_id))
        .filter(allocations::state.eq("proposed"))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
