//! The reports' queries: every figure is counted by the database (GROUP BY, COUNT, SUM over
//! indexed ranges), so a report reads a few hundred rows however big the programme grows.
//!
//! Plain SQL (see [`super::dialect`]), because grouping by `date(…)` and aggregate filters do
//! not compile through diesel's query builder for both backends.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Double, Nullable, Text, Timestamp};

use super::dialect::{days_between, dialect, sql_for, Dialect};
use super::DbConnection;
use crate::with_backend;

/// Runs `sql` with the values bound in order (`?1` is the first) and loads rows of `$t`.
/// An optional filter whose value is absent still binds it (`?n IS NULL OR TRUE`), because
/// SQLite refuses a value bound to a parameter the SQL does not name.
macro_rules! load {
    ($conn:expr, $sql:expr, $t:ty $(, $ty:ty => $val:expr)* $(,)?) => {{
        let sql = sql_for($conn, &$sql);
        with_backend!($conn, c => diesel::sql_query(sql)$(.bind::<$ty, _>($val))*.load::<$t>(c))
    }};
}

/// Devices counted by kind, state, grade and hub (the pool, or one donor's kit).
#[derive(Debug, Clone, QueryableByName)]
pub struct DeviceCount {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub state: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub grade: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub hub_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub hub: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

pub fn devices_by_state(conn: &mut DbConnection, donor_id: Option<&str>) -> QueryResult<Vec<DeviceCount>> {
    let sql = format!(
        "SELECT d.kind, d.state, d.grade, d.hub_id, h.name AS hub, COUNT(*) AS count \
         FROM devices d LEFT JOIN hubs h ON h.id = d.hub_id {} \
         GROUP BY d.kind, d.state, d.grade, d.hub_id, h.name",
        if donor_id.is_some() { "WHERE d.donor_id = ?1" } else { "WHERE ?1 IS NULL OR TRUE" }
    );
    load!(conn, sql, DeviceCount, Nullable<Text> => donor_id)
}

/// Licences by product: how many, their seats, seats lent and seats of licences expired.
#[derive(Debug, Clone, QueryableByName)]
pub struct LicenceCount {
    #[diesel(sql_type = Text)]
    pub product: String,
    #[diesel(sql_type = BigInt)]
    pub licences: i64,
    #[diesel(sql_type = BigInt)]
    pub seats: i64,
    #[diesel(sql_type = BigInt)]
    pub seats_in_use: i64,
    #[diesel(sql_type = BigInt)]
    pub expired_seats: i64,
}

pub fn licences_by_product(
    conn: &mut DbConnection,
    donor_id: Option<&str>,
    today: NaiveDate,
) -> QueryResult<Vec<LicenceCount>> {
    let sql = format!(
        "SELECT product, COUNT(*) AS licences, SUM(seats) AS seats, SUM(seats_in_use) AS seats_in_use, \
         SUM(CASE WHEN expires_on < ?1 THEN seats ELSE 0 END) AS expired_seats \
         FROM licences {} GROUP BY product",
        if donor_id.is_some() { "WHERE donor_id = ?2" } else { "WHERE ?2 IS NULL OR TRUE" }
    );
    load!(conn, sql, LicenceCount, Date => today, Nullable<Text> => donor_id)
}

/// Pending requests by kind, the student's hub and the day the request was made.
#[derive(Debug, Clone, QueryableByName)]
pub struct QueueDay {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub hub_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub hub: Option<String>,
    #[diesel(sql_type = Date)]
    pub day: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

pub fn queue_by_day(conn: &mut DbConnection) -> QueryResult<Vec<QueueDay>> {
    let sql = "SELECT r.kind, s.hub_id, h.name AS hub, date(r.created_at) AS day, COUNT(*) AS count \
               FROM requests r JOIN students s ON s.id = r.student_id LEFT JOIN hubs h ON h.id = s.hub_id \
               WHERE r.state = 'pending' \
               GROUP BY r.kind, s.hub_id, h.name, date(r.created_at)";
    load!(conn, sql, QueueDay)
}

/// Loans of one kind in a period: started (handed over), returned, lost and written off in
/// it; active and overdue at its end (or now, if it ends later).
#[derive(Debug, Clone, Default, QueryableByName)]
pub struct LoanCount {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = BigInt)]
    pub started: i64,
    #[diesel(sql_type = BigInt)]
    pub returned: i64,
    #[diesel(sql_type = BigInt)]
    pub lost: i64,
    #[diesel(sql_type = BigInt)]
    pub written_off: i64,
    #[diesel(sql_type = BigInt)]
    pub active: i64,
    #[diesel(sql_type = BigInt)]
    pub overdue: i64,
}

/// `start`..`end` is the period; `at` is the moment active and overdue are counted
/// (`end`, or now when the period runs on past today) and `on` its date.
pub fn loans_by_kind(
    conn: &mut DbConnection,
    start: NaiveDateTime,
    end: NaiveDateTime,
    at: NaiveDateTime,
    on: NaiveDate,
    school_id: Option<&str>,
) -> QueryResult<Vec<LoanCount>> {
    let closed_in = "closed_at >= ?1 AND closed_at < ?2";
    let open_at = "handed_over_at < ?3 AND (closed_at IS NULL OR closed_at >= ?3)";
    let sql = format!(
        "SELECT kind, \
         COUNT(*) FILTER (WHERE handed_over_at >= ?1 AND handed_over_at < ?2) AS started, \
         COUNT(*) FILTER (WHERE state = 'returned' AND {closed_in}) AS returned, \
         COUNT(*) FILTER (WHERE state = 'lost' AND {closed_in}) AS lost, \
         COUNT(*) FILTER (WHERE state = 'written_off' AND {closed_in}) AS written_off, \
         COUNT(*) FILTER (WHERE {open_at}) AS active, \
         COUNT(*) FILTER (WHERE {open_at} AND due_on < ?4) AS overdue \
         FROM loans {} GROUP BY kind",
        if school_id.is_some() { "WHERE school_id = ?5" } else { "WHERE ?5 IS NULL OR TRUE" }
    );
    load!(conn, sql, LoanCount,
        Timestamp => start, Timestamp => end, Timestamp => at, Date => on, Nullable<Text> => school_id)
}

/// Set loans (devices lent to a school in a class set) in a period, by the set's kind, counted
/// as [`loans_by_kind`] counts students' loans.
pub fn set_loans_by_kind(
    conn: &mut DbConnection,
    start: NaiveDateTime,
    end: NaiveDateTime,
    at: NaiveDateTime,
    on: NaiveDate,
) -> QueryResult<Vec<LoanCount>> {
    let closed_in = "s.closed_at >= ?1 AND s.closed_at < ?2";
    let open_at = "s.handed_over_at < ?3 AND (s.closed_at IS NULL OR s.closed_at >= ?3)";
    let sql = format!(
        "SELECT c.kind AS kind, \
         COUNT(*) FILTER (WHERE s.handed_over_at >= ?1 AND s.handed_over_at < ?2) AS started, \
         COUNT(*) FILTER (WHERE s.state = 'returned' AND {closed_in}) AS returned, \
         COUNT(*) FILTER (WHERE s.state = 'lost' AND {closed_in}) AS lost, \
         COUNT(*) FILTER (WHERE s.state = 'written_off' AND {closed_in}) AS written_off, \
         COUNT(*) FILTER (WHERE {open_at}) AS active, \
         COUNT(*) FILTER (WHERE {open_at} AND s.due_on < ?4) AS overdue \
         FROM class_set_loans s JOIN class_sets c ON c.id = s.class_set_id \
         WHERE s.handed_over_at IS NOT NULL GROUP BY c.kind"
    );
    load!(conn, sql, LoanCount, Timestamp => start, Timestamp => end, Timestamp => at, Date => on)
}

/// Devices returned in the period by kind and the days until each was handed over again
/// (`None`: not yet).
#[derive(Debug, Clone, QueryableByName)]
pub struct TurnaroundDays {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub days: Option<i64>,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

pub fn turnaround(
    conn: &mut DbConnection,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> QueryResult<Vec<TurnaroundDays>> {
    // A device has one loan at a time and ids grow with time, so the next hand-over of the
    // device is the next row in id order among its loans that were handed over. Loans closed
    // before the period can be neither a return in it nor the loan after one.
    let sql = format!(
        "SELECT t.kind, {days} AS days, COUNT(*) AS count FROM ( \
           SELECT kind, state, closed_at, \
             LEAD(handed_over_at) OVER (PARTITION BY device_id ORDER BY id) AS next_at \
           FROM loans WHERE device_id IS NOT NULL AND handed_over_at IS NOT NULL \
             AND (closed_at IS NULL OR closed_at >= ?1)) t \
         WHERE t.state = 'returned' AND t.closed_at >= ?1 AND t.closed_at < ?2 \
         GROUP BY t.kind, {days}",
        days = days_between(dialect(conn), "t.next_at", "t.closed_at")
    );
    load!(conn, sql, TurnaroundDays, Timestamp => start, Timestamp => end)
}

/// Requests whose needed-by date fell in the period (cancelled ones aside), by kind, and how
/// many of them had their kit in hand by that date.
#[derive(Debug, Clone, QueryableByName)]
pub struct NeededBy {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = BigInt)]
    pub due: i64,
    #[diesel(sql_type = BigInt)]
    pub served_on_time: i64,
}

pub fn served_by_needed_by(
    conn: &mut DbConnection,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<Vec<NeededBy>> {
    let sql = "SELECT r.kind, COUNT(*) AS due, \
               SUM(CASE WHEN EXISTS (SELECT 1 FROM loans l WHERE l.request_id = r.id \
                 AND l.handed_over_at IS NOT NULL AND date(l.handed_over_at) <= r.needed_by) \
               THEN 1 ELSE 0 END) AS served_on_time \
               FROM requests r WHERE r.needed_by >= ?1 AND r.needed_by <= ?2 AND r.state <> 'cancelled' \
               GROUP BY r.kind";
    load!(conn, sql, NeededBy, Date => first, Date => last)
}

/// How many things happened on each day.
#[derive(Debug, Clone, QueryableByName)]
pub struct DayCount {
    #[diesel(sql_type = Date)]
    pub day: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

/// The daily changes behind the chart of the pool, each up to `end`: devices that became
/// available and that stopped being available; loans handed over and closed; requests made,
/// requests first proposed kit and requests closed without ever being proposed any.
pub struct PoolChanges {
    pub available_in: Vec<DayCount>,
    pub available_out: Vec<DayCount>,
    pub lent: Vec<DayCount>,
    pub loans_closed: Vec<DayCount>,
    pub requested: Vec<DayCount>,
    pub first_proposed: Vec<DayCount>,
    pub closed_unproposed: Vec<DayCount>,
}

pub fn pool_changes(conn: &mut DbConnection, end: NaiveDateTime) -> QueryResult<PoolChanges> {
    let per_day = |conn: &mut DbConnection, column: &str, from: &str, filter: &str| {
        let sql = format!(
            "SELECT date({column}) AS day, COUNT(*) AS count FROM {from} \
             WHERE {column} < ?1 {filter} GROUP BY date({column})"
        );
        load!(conn, sql, DayCount, Timestamp => end)
    };
    Ok(PoolChanges {
        available_in: per_day(conn, "at", "device_events", "AND to_state = 'available'")?,
        available_out: per_day(conn, "at", "device_events", "AND from_state = 'available'")?,
        lent: per_day(conn, "handed_over_at", "loans", "")?,
        loans_closed: per_day(conn, "closed_at", "loans", "AND handed_over_at IS NOT NULL")?,
        requested: per_day(conn, "created_at", "requests", "")?,
        first_proposed: per_day(
            conn,
            "first_at",
            "(SELECT MIN(created_at) AS first_at FROM allocations GROUP BY request_id) t",
            "",
        )?,
        closed_unproposed: per_day(
            conn,
            "closed_at",
            "requests r",
            "AND r.state IN ('cancelled', 'expired') \
             AND NOT EXISTS (SELECT 1 FROM allocations a WHERE a.request_id = r.id)",
        )?,
    })
}

/// The loans to count: every loan, or (with a donor) those of the donor's devices and licence
/// seats, found through the donor's own kit so that only its loans are read. A loan is of a
/// device or of a seat, never both, so the two halves never hold the same loan. `param` is the
/// donor id's parameter; without a donor it is still named, so that it can be bound.
fn loans_of(donor_id: Option<&str>, param: &str) -> String {
    const COLUMNS: &str = "l.student_id, l.handed_over_at, l.closed_at";
    match donor_id {
        Some(_) => format!(
            "(SELECT {COLUMNS} FROM devices d JOIN loans l ON l.device_id = d.id WHERE d.donor_id = {param} \
             UNION ALL \
             SELECT {COLUMNS} FROM licences c JOIN loans l ON l.licence_id = c.id WHERE c.donor_id = {param})"
        ),
        None => format!("(SELECT {COLUMNS} FROM loans l WHERE {param} IS NULL OR TRUE)"),
    }
}

/// `YYYY-MM` of a timestamp or date expression.
fn month_of(d: Dialect, expr: &str) -> String {
    match d {
        Dialect::Sqlite => format!("strftime('%Y-%m', {expr})"),
        Dialect::Postgres => format!("to_char({expr}, 'YYYY-MM')"),
    }
}

/// Loan cycles of devices begun in a month, by kind, with the weights of the devices lent.
#[derive(Debug, Clone, QueryableByName)]
pub struct MonthReuse {
    /// `YYYY-MM`.
    #[diesel(sql_type = Text)]
    pub month: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = BigInt)]
    pub loan_cycles: i64,
    /// Summed over the cycles whose device was weighed (null: none was).
    #[diesel(sql_type = Nullable<Double>)]
    pub weighed_kg: Option<f64>,
    #[diesel(sql_type = BigInt)]
    pub unweighed: i64,
}

/// Hand-overs of devices (one donor's, or all) from `start` to before `end`, by month and kind:
/// to students and, in class sets, to schools.
pub fn reuse_by_month(
    conn: &mut DbConnection,
    start: NaiveDateTime,
    end: NaiveDateTime,
    donor_id: Option<&str>,
) -> QueryResult<Vec<MonthReuse>> {
    let month = month_of(dialect(conn), "l.handed_over_at");
    let sql = format!(
        "SELECT {month} AS month, d.kind, COUNT(*) AS loan_cycles, SUM(d.weight_kg) AS weighed_kg,          COUNT(*) FILTER (WHERE d.weight_kg IS NULL) AS unweighed          FROM (SELECT device_id, handed_over_at FROM loans WHERE device_id IS NOT NULL \
         UNION ALL SELECT device_id, handed_over_at FROM class_set_loans) l \
         JOIN devices d ON d.id = l.device_id \
         WHERE l.handed_over_at >= ?1 AND l.handed_over_at < ?2 AND {} \
         GROUP BY {month}, d.kind",
        if donor_id.is_some() { "d.donor_id = ?3" } else { "(?3 IS NULL OR TRUE)" }
    );
    load!(conn, sql, MonthReuse, Timestamp => start, Timestamp => end, Nullable<Text> => donor_id)
}

/// Devices of one kind destroyed by a certified recycler (a `nist_destroy` erasure record).
#[derive(Debug, Clone, QueryableByName)]
pub struct RecycledCount {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = BigInt)]
    pub devices: i64,
    #[diesel(sql_type = Nullable<Double>)]
    pub weighed_kg: Option<f64>,
    #[diesel(sql_type = BigInt)]
    pub unweighed: i64,
}

/// Devices (one donor's, or all) handed to a recycler from `start` to before `end`, by kind.
pub fn recycled_by_kind(
    conn: &mut DbConnection,
    start: NaiveDateTime,
    end: NaiveDateTime,
    donor_id: Option<&str>,
) -> QueryResult<Vec<RecycledCount>> {
    let sql = format!(
        "SELECT d.kind, COUNT(*) AS devices, SUM(d.weight_kg) AS weighed_kg,          COUNT(*) FILTER (WHERE d.weight_kg IS NULL) AS unweighed          FROM devices d WHERE EXISTS (SELECT 1 FROM erasure_records e WHERE e.device_id = d.id            AND e.method = 'nist_destroy' AND e.performed_at >= ?1 AND e.performed_at < ?2) AND {}          GROUP BY d.kind",
        if donor_id.is_some() { "d.donor_id = ?3" } else { "(?3 IS NULL OR TRUE)" }
    );
    load!(conn, sql, RecycledCount, Timestamp => start, Timestamp => end, Nullable<Text> => donor_id)
}

/// Devices (one donor's, or all) given to their students as gifts from `start` to before
/// `end`, by kind.
pub fn gifted_by_kind(
    conn: &mut DbConnection,
    start: NaiveDateTime,
    end: NaiveDateTime,
    donor_id: Option<&str>,
) -> QueryResult<Vec<RecycledCount>> {
    let sql = format!(
        "SELECT d.kind, COUNT(*) AS devices, SUM(d.weight_kg) AS weighed_kg, \
         COUNT(*) FILTER (WHERE d.weight_kg IS NULL) AS unweighed \
         FROM loans l JOIN devices d ON d.id = l.device_id \
         WHERE l.state = 'gifted' AND l.closed_at >= ?1 AND l.closed_at < ?2 AND {} GROUP BY d.kind",
        if donor_id.is_some() { "d.donor_id = ?3" } else { "(?3 IS NULL OR TRUE)" }
    );
    load!(conn, sql, RecycledCount, Timestamp => start, Timestamp => end, Nullable<Text> => donor_id)
}

/// Students who received the kit in a month, by track, target group and school; each
/// student is in one row a month.
#[derive(Debug, Clone, QueryableByName)]
pub struct MonthGroup {
    /// `YYYY-MM`.
    #[diesel(sql_type = Text)]
    pub month: String,
    #[diesel(sql_type = Text)]
    pub track: String,
    #[diesel(sql_type = Text)]
    pub target_group: String,
    #[diesel(sql_type = Text)]
    pub school_id: String,
    #[diesel(sql_type = BigInt)]
    pub students: i64,
}

/// Students who received the kit (a hand-over) from `start` to before `end`, by month.
pub fn reach_by_month(
    conn: &mut DbConnection,
    start: NaiveDateTime,
    end: NaiveDateTime,
    donor_id: Option<&str>,
) -> QueryResult<Vec<MonthGroup>> {
    let loans = loans_of(donor_id, "?3");
    let month = month_of(dialect(conn), "l.handed_over_at");
    let sql = format!(
        "SELECT {month} AS month, s.track, COALESCE(s.target_group, 'not_recorded') AS target_group, \
         s.school_id, COUNT(DISTINCT l.student_id) AS students \
         FROM {loans} l JOIN students s ON s.id = l.student_id \
         WHERE l.handed_over_at >= ?1 AND l.handed_over_at < ?2 \
         GROUP BY {month}, s.track, COALESCE(s.target_group, 'not_recorded'), s.school_id"
    );
    load!(conn, sql, MonthGroup, Timestamp => start, Timestamp => end, Nullable<Text> => donor_id)
}

/// A count in a month (`YYYY-MM`).
#[derive(Debug, Clone, QueryableByName)]
pub struct MonthCount {
    #[diesel(sql_type = Text)]
    pub month: String,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

/// Students whose programme ended between `first` and `last` while they held the kit, by the
/// month it ended.
pub fn completed_by_month(
    conn: &mut DbConnection,
    first: NaiveDate,
    last: NaiveDate,
    donor_id: Option<&str>,
) -> QueryResult<Vec<MonthCount>> {
    let loans = loans_of(donor_id, "?3");
    let month = month_of(dialect(conn), "s.programme_end");
    let sql = format!(
        "SELECT {month} AS month, COUNT(DISTINCT s.id) AS count \
         FROM {loans} l JOIN students s ON s.id = l.student_id \
         WHERE s.programme_end >= ?1 AND s.programme_end <= ?2 AND l.handed_over_at IS NOT NULL \
           AND date(l.handed_over_at) <= s.programme_end \
           AND (l.closed_at IS NULL OR date(l.closed_at) >= s.programme_end) \
         GROUP BY {month}"
    );
    load!(conn, sql, MonthCount, Date => first, Date => last, Nullable<Text> => donor_id)
}

/// The students who held the kit in a month (counted up to a cap), and the days of loans in it.
#[derive(Debug, Clone, QueryableByName)]
pub struct MonthUse {
    /// `YYYY-MM`.
    #[diesel(sql_type = Text)]
    pub month: String,
    #[diesel(sql_type = BigInt)]
    pub holders: i64,
    #[diesel(sql_type = Double)]
    pub days: f64,
}

/// For each month (its first day and the first day after it): the students who held the kit
/// at some time in it, counted up to `cap` (all the report needs to know is whether they are
/// at least `cap`: counting every distinct student of every month was most of the report's
/// time), and the days of loans in it, summed. The loans of the whole period are read once;
/// the months are written into the query (dates we made, not input).
pub fn use_by_month(
    conn: &mut DbConnection,
    months: &[(NaiveDate, NaiveDate)],
    donor_id: Option<&str>,
    cap: i64,
) -> QueryResult<Vec<MonthUse>> {
    let (Some((start, _)), Some((_, end))) = (months.first(), months.last()) else {
        return Ok(vec![]);
    };
    let d = dialect(conn);
    let stamp = |day: NaiveDate| match d {
        Dialect::Sqlite => format!("'{} 00:00:00'", day.format("%Y-%m-%d")),
        Dialect::Postgres => format!("TIMESTAMP '{} 00:00:00'", day.format("%Y-%m-%d")),
    };
    let rows: Vec<String> = months
        .iter()
        .map(|(first, next)| format!("('{}', {}, {})", first.format("%Y-%m"), stamp(*first), stamp(*next)))
        .collect();
    let far = stamp(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(*end));
    let loans = loans_of(donor_id, "?1");
    let days = match d {
        Dialect::Sqlite => "julianday(MIN(x.c, m.e)) - julianday(MAX(x.h, m.s))",
        Dialect::Postgres => "EXTRACT(EPOCH FROM (LEAST(x.c, m.e) - GREATEST(x.h, m.s))) / 86400.0",
    };
    let sql = format!(
        "WITH m(month, s, e) AS (VALUES {months}), \
         x AS (SELECT l.student_id, l.handed_over_at AS h, COALESCE(l.closed_at, {far}) AS c FROM {loans} l \
               WHERE l.handed_over_at IS NOT NULL AND l.handed_over_at < {end} \
                 AND (l.closed_at IS NULL OR l.closed_at > {start})) \
         SELECT m.month, \
           (SELECT COUNT(*) FROM (SELECT DISTINCT x.student_id FROM x WHERE x.h < m.e AND x.c > m.s LIMIT ?2) held) \
             AS holders, \
           (SELECT CAST(COALESCE(SUM({days}), 0) AS DOUBLE PRECISION) FROM x WHERE x.h < m.e AND x.c > m.s) AS days \
         FROM m",
        months = rows.join(", "),
        end = stamp(*end),
        start = stamp(*start),
    );
    load!(conn, sql, MonthUse, Nullable<Text> => donor_id, BigInt => cap)
}

/// Requests of one school made in the period, by kind and state.
#[derive(Debug, Clone, QueryableByName)]
pub struct RequestCount {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub state: String,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

pub fn school_requests(
    conn: &mut DbConnection,
    school_id: &str,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> QueryResult<Vec<RequestCount>> {
    let sql = "SELECT kind, state, COUNT(*) AS count FROM requests \
               WHERE school_id = ?1 AND created_at >= ?2 AND created_at < ?3 GROUP BY kind, state";
    load!(conn, sql, RequestCount, Text => school_id, Timestamp => start, Timestamp => end)
}

/// A student of the school still waiting for kit.
#[derive(Debug, Clone, Queryable)]
pub struct Waiting {
    pub request_id: String,
    pub student_id: String,
    pub student_name: String,
    pub kind: String,
    pub needed_by: NaiveDate,
    pub requested_at: NaiveDateTime,
}

pub fn school_waiting(conn: &mut DbConnection, school_id: &str) -> QueryResult<Vec<Waiting>> {
    use super::schema::{requests, students};
    requests::table
        .inner_join(students::table)
        .filter(requests::school_id.eq(school_id))
        .filter(requests::state.eq("pending"))
        .order((requests::created_at.asc(), requests::id.asc()))
        .select((
            requests::id,
            requests::student_id,
            students::name,
            requests::kind,
            requests::needed_by,
            requests::created_at,
        ))
        .load(conn)
}

/// A loan of the school's student past its due date.
#[derive(Debug, Clone, Queryable)]
pub struct Overdue {
    pub loan_id: String,
    pub student_id: String,
    pub student_name: String,
    pub kind: String,
    pub due_on: NaiveDate,
}

pub fn school_overdue(
    conn: &mut DbConnection,
    school_id: &str,
    today: NaiveDate,
) -> QueryResult<Vec<Overdue>> {
    use super::schema::{loans, students};
    loans::table
        .inner_join(students::table)
        .filter(loans::school_id.eq(school_id))
        // Open and past due, as `domain::loan::is_overdue` has it.
        .filter(loans::state.eq_any(["reserved", "active"]))
        .filter(loans::due_on.lt(today))
        .order((loans::due_on.asc(), loans::id.asc()))
        .select((loans::id, loans::student_id, students::name, loans::kind, loans::due_on))
        .load(conn)
}
