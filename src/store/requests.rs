//! Requests for kit and the queue they wait in.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};

use super::dialect::{dialect, sql_for, Dialect};
use super::schema::{requests, students};
use super::DbConnection;
use crate::domain::priority::PriorityWeights;
use crate::with_backend;

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

/// A request's place in its queue.
#[derive(Debug, QueryableByName)]
pub struct QueuePlace {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = BigInt)]
    pub place: i64,
}

/// The places (1 is next) of those of `ids` that wait in the queue of `kind`, in the order
/// `domain::priority::queue` gives: highest priority on `today` first, the oldest request
/// first among equals. The database ranks the queue, so it is never loaded; the priority
/// formula below is `domain::priority::priority` written in SQL (a test holds the two equal).
pub fn queue_places(
    conn: &mut DbConnection,
    kind: &str,
    ids: &[&str],
    w: &PriorityWeights,
    today: NaiveDate,
) -> QueryResult<Vec<QueuePlace>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let PriorityWeights {
        urgency_weight,
        urgency_horizon_days: h,
        waiting_weight,
        max_waiting_days,
        lacks_weight,
    } = *w;
    let (days_until, days_waited, clamp, lacks, by_bytes) = match dialect(conn) {
        Dialect::Sqlite => (
            "CAST(julianday(r.needed_by) - julianday(?2) AS INTEGER)",
            "CAST(julianday(?2) - julianday(substr(r.created_at, 1, 10)) AS INTEGER)",
            "MIN(MAX(",
            "s.lacks_laptop + s.lacks_connectivity + s.lacks_software",
            "",
        ),
        Dialect::Postgres => (
            "(r.needed_by - ?2)",
            "(?2 - date(r.created_at))",
            "LEAST(GREATEST(",
            "s.lacks_laptop::int + s.lacks_connectivity::int + s.lacks_software::int",
            // Ids are ordered byte by byte, as Rust orders strings, whatever the collation.
            " COLLATE \"C\"",
        ),
    };
    let clamped = |x: String, max: i64| format!("{clamp}{x}, 0), {max})");
    let priority = format!(
        "{urgency_weight} * {} + {waiting_weight} * {} + {lacks_weight} * ({lacks})",
        clamped(format!("{h} - {days_until}"), h),
        clamped(days_waited.to_owned(), max_waiting_days),
    );
    let marks: Vec<String> = (0..ids.len()).map(|i| format!("?{}", i + 3)).collect();
    let sql = sql_for(
        conn,
        &format!(
            "SELECT q.id, q.place FROM ( \
               SELECT r.id AS id, ROW_NUMBER() OVER (ORDER BY {priority} DESC, r.id{by_bytes}) AS place \
               FROM requests r JOIN students s ON s.id = r.student_id \
               WHERE r.kind = ?1 AND r.state = 'pending' \
             ) q WHERE q.id IN ({})",
            marks.join(", ")
        ),
    );
    with_backend!(conn, c => {
        let mut query = diesel::sql_query(sql).into_boxed().bind::<Text, _>(kind).bind::<Date, _>(today);
        for id in ids {
            query = query.bind::<Text, _>(*id);
        }
        query.load(c)
    })
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
/// The open requests of the students `ids` (one page of a class list).
pub fn open_of_students(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<Request>> {
    requests::table
        .filter(requests::student_id.eq_any(ids))
        .filter(requests::state.eq_any(OPEN))
        .order(requests::id.asc())
        .select(Request::as_select())
        .load(conn)
}

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
    super::by_ids(ids, |chunk| {
        let rows: Vec<(String, String, String, String, Option<String>)> = requests::table
            .inner_join(students::table)
            .filter(requests::id.eq_any(chunk))
            .select((requests::id, requests::kind, students::name, requests::school_id, students::hub_id))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(id, kind, student_name, school_id, hub_id)| {
                (id, Asker { kind, student_name, school_id, hub_id })
            })
            .collect())
    })
}
