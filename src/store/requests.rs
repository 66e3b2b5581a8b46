//! Requests for kit and the queue they wait in.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{requests, students};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = requests)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Request {
    pub id: String,
    pub student_id: String,
    pub school_id: String,
    pub kind: String,
    pub product: Option<String>,
    pub needed_by: NaiveDate,
    pub travel_ok: bool,
    pub state: String,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = requests)]
pub struct NewRequest<'a> {
    pub id: &'a str,
    pub student_id: &'a str,
    pub school_id: &'a str,
    pub kind: &'a str,
    pub product: Option<&'a str>,
    pub needed_by: NaiveDate,
    pub travel_ok: bool,
    pub state: &'a str,
    pub created_by: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

const OPEN: [&str; 2] = ["pending", "allocated"];

/// Inserts many requests at once (seeding and benchmarks).
pub fn insert_many(conn: &mut DbConnection, rows: &[NewRequest]) -> QueryResult<usize> {
    let mut n = 0;
    for chunk in rows.chunks(500) {
        n += crate::with_backend!(&mut *conn, c => diesel::insert_into(requests::table).values(chunk).execute(c))?;
    }
    Ok(n)
}

pub fn insert(conn: &mut DbConnection, r: &NewRequest) -> QueryResult<Request> {
    diesel::insert_into(requests::table).values(r).execute(conn)?;
    find_visible(conn, r.id, None)
}

pub fn find_visible(conn: &mut DbConnection, id: &str, school_id: Option<&str>) -> QueryResult<Request> {
    let mut query = requests::table.find(id).select(Request::as_select()).into_boxed();
    if let Some(school) = school_id {
        query = query.filter(requests::school_id.eq(school.to_owned()));
    }
    query.first(conn)
}

/// The student's open request of this kind (and product), if any.
pub fn open_for(
    conn: &mut DbConnection,
    student_id: &str,
    kind: &str,
    product: Option<&str>,
) -> QueryResult<Option<Request>> {
    let mut query = requests::table
        .filter(requests::student_id.eq(student_id))
        .filter(requests::kind.eq(kind))
        .filter(requests::state.eq_any(OPEN))
        .select(Request::as_select())
        .into_boxed();
    query = match product {
        Some(p) => query.filter(requests::product.eq(p.to_owned())),
        None => query.filter(requests::product.is_null()),
    };
    query.first(conn).optional()
}

#[derive(Debug, Default, Clone)]
pub struct RequestFilter {
    pub school_id: Option<String>,
    pub student_id: Option<String>,
    pub kind: Option<String>,
    pub state: Option<String>,
    pub hub_id: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    f: &RequestFilter,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Request>> {
    let mut query =
        requests::table.select(Request::as_select()).order(requests::id.asc()).limit(limit).into_boxed();
    if let Some(v) = &f.school_id {
        query = query.filter(requests::school_id.eq(v.clone()));
    }
    if let Some(v) = &f.student_id {
        query = query.filter(requests::student_id.eq(v.clone()));
    }
    if let Some(v) = &f.kind {
        query = query.filter(requests::kind.eq(v.clone()));
    }
    if let Some(v) = &f.state {
        query = query.filter(requests::state.eq(v.clone()));
    }
    if let Some(hub) = &f.hub_id {
        let at_hub = students::table.filter(students::hub_id.eq(hub.clone())).select(students::id);
        query = query.filter(requests::student_id.eq_any(at_hub));
    }
    if let Some(after) = after {
        query = query.filter(requests::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// Every pending request of one kind with what its priority needs: (id, needed_by,
/// created_at, lacks_laptop, lacks_connectivity, lacks_software).
pub type PendingRow = (String, NaiveDate, NaiveDateTime, bool, bool, bool);

pub fn pending_of_kind(conn: &mut DbConnection, kind: &str) -> QueryResult<Vec<PendingRow>> {
    requests::table
        .inner_join(students::table)
        .filter(requests::kind.eq(kind))
        .filter(requests::state.eq("pending"))
        .select((
            requests::id,
            requests::needed_by,
            requests::created_at,
            students::lacks_laptop,
            students::lacks_connectivity,
            students::lacks_software,
        ))
        .load(conn)
}

/// Moves a request from one of `from` to `to`; false if it was in none of them.
pub fn set_state(
    conn: &mut DbConnection,
    id: &str,
    from: &[&str],
    to: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let closed = matches!(to, "fulfilled" | "cancelled" | "expired").then_some(now);
    let n = diesel::update(requests::table.find(id).filter(requests::state.eq_any(from)))
        .set((requests::state.eq(to), requests::updated_at.eq(now), requests::closed_at.eq(closed)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Cancels every open request of a student (on erasure).
pub fn cancel_open_of_student(
    conn: &mut DbConnection,
    student_id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        requests::table.filter(requests::student_id.eq(student_id)).filter(requests::state.eq_any(OPEN)),
    )
    .set((requests::state.eq("cancelled"), requests::updated_at.eq(now), requests::closed_at.eq(Some(now))))
    .execute(conn)
}

/// Pending requests of students whose programme ended before `today` expire.
pub fn expire_ended(conn: &mut DbConnection, today: NaiveDate, now: NaiveDateTime) -> QueryResult<usize> {
    let ended = students::table.filter(students::programme_end.lt(today)).select(students::id);
    diesel::update(
        requests::table.filter(requests::state.eq("pending")).filter(requests::student_id.eq_any(ended)),
    )
    .set((requests::state.eq("expired"), requests::updated_at.eq(now), requests::closed_at.eq(Some(now))))
    .execute(conn)
}

pub fn of_student(conn: &mut DbConnection, student_id: &str) -> QueryResult<Vec<Request>> {
    requests::table
        .filter(requests::student_id.eq(student_id))
        .order(requests::id.asc())
        .select(Request::as_select())
        .load(conn)
}

/// The open (pending or allocated) requests of a school's students.
pub fn open_of_school(conn: &mut DbConnection, school_id: &str) -> QueryResult<Vec<Request>> {
    requests::table
        .filter(requests::school_id.eq(school_id))
        .filter(requests::state.eq_any(OPEN))
        .order(requests::id.asc())
        .select(Request::as_select())
        .load(conn)
}

/// Moves every request of `ids` still in state `from` to `to`; returns the ids that moved.
pub fn move_many(
    conn: &mut DbConnection,
    ids: &[&str],
    from: &str,
    to: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    let mut moved = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let target = requests::table.filter(requests::id.eq_any(chunk)).filter(requests::state.eq(from));
        moved.extend(crate::with_backend!(&mut *conn, c => diesel::update(target)
            .set((requests::state.eq(to), requests::updated_at.eq(now)))
            .returning(requests::id)
            .get_results::<String>(c))?);
    }
    Ok(moved)
}

/// Who asked for a request, and for what.
#[derive(Debug, Clone)]
pub struct Asker {
    pub kind: String,
    pub student_name: String,
    pub school_id: String,
    pub hub_id: Option<String>,
}

/// Who asked, for requests `ids`, by request id.
pub fn who_asked(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<std::collections::HashMap<String, Asker>> {
    let mut found = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(String, String, String, String, Option<String>)> = requests::table
            .inner_join(students::table)
            .filter(requests::id.eq_any(chunk))
            .select((requests::id, requests::kind, students::name, requests::school_id, students::hub_id))
            .load(conn)?;
        found.extend(rows.into_iter().map(|(id, kind, student_name, school_id, hub_id)| {
            (id, Asker { kind, student_name, school_id, hub_id })
        }));
    }
    Ok(found)
}
