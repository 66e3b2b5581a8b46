//! Fault reports: kit on loan that is broken but not lost, waiting for staff.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{fault_reports as f, loans};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = f)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct FaultReport {
    pub id: String,
    pub loan_id: String,
    pub device_id: Option<String>,
    pub reported_by: String,
    pub description: String,
    pub state: String,
    pub created_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = f)]
pub struct NewFaultReport<'a> {
    pub id: &'a str,
    pub loan_id: &'a str,
    pub device_id: Option<&'a str>,
    pub reported_by: &'a str,
    pub description: &'a str,
    pub state: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, report: &NewFaultReport) -> QueryResult<FaultReport> {
    diesel::insert_into(f::table).values(report).execute(conn)?;
    find(conn, report.id)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<FaultReport> {
    f::table.find(id).select(FaultReport::as_select()).first(conn)
}

/// The open report of a loan, if there is one.
pub fn open_of_loan(conn: &mut DbConnection, loan_id: &str) -> QueryResult<Option<FaultReport>> {
    f::table
        .filter(f::loan_id.eq(loan_id))
        .filter(f::state.eq("open"))
        .select(FaultReport::as_select())
        .first(conn)
        .optional()
}

/// Open reports, oldest first, after the id `after` (a page of the queue).
pub fn open_page(conn: &mut DbConnection, after: Option<&str>, limit: i64) -> QueryResult<Vec<FaultReport>> {
    let mut q = f::table.filter(f::state.eq("open")).select(FaultReport::as_select()).into_boxed();
    if let Some(after) = after {
        q = q.filter(f::id.gt(after.to_owned()));
    }
    q.order(f::id.asc()).limit(limit).load(conn)
}

/// Marks an open report resolved; false if it was not open any more (another desk did it).
pub fn resolve(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(f::table.find(id).filter(f::state.eq("open")))
        .set((f::state.eq("resolved"), f::resolved_at.eq(Some(at))))
        .execute(conn)?;
    Ok(n == 1)
}

/// Blanks the student's own words in the reports of their loans (erasure).
pub fn erase_student_text(conn: &mut DbConnection, student_id: &str) -> QueryResult<usize> {
    let their_loans = loans::table.filter(loans::student_id.eq(student_id)).select(loans::id);
    diesel::update(f::table.filter(f::loan_id.eq_any(their_loans))).set(f::description.eq("")).execute(conn)
}

/// The reports of a student's loans (their data export).
pub fn of_student(conn: &mut DbConnection, student_id: &str) -> QueryResult<Vec<FaultReport>> {
    let their_loans = loans::table.filter(loans::student_id.eq(student_id)).select(loans::id);
    f::table
        .filter(f::loan_id.eq_any(their_loans))
        .order(f::id.asc())
        .select(FaultReport::as_select())
        .load(conn)
}
