//! Loans of a device or a licence seat to one student.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::loans;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = loans)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Loan {
    pub id: String,
    pub allocation_id: String,
    pub request_id: String,
    pub student_id: String,
    pub school_id: String,
    pub kind: String,
    pub product: Option<String>,
    pub device_id: Option<String>,
    pub licence_id: Option<String>,
    pub state: String,
    pub due_on: NaiveDate,
    pub agreement_version: Option<String>,
    pub accepted_at: Option<NaiveDateTime>,
    pub handed_over_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = loans)]
pub struct NewLoan<'a> {
    pub id: &'a str,
    pub allocation_id: &'a str,
    pub request_id: &'a str,
    pub student_id: &'a str,
    pub school_id: &'a str,
    pub kind: &'a str,
    pub product: Option<&'a str>,
    pub device_id: Option<&'a str>,
    pub licence_id: Option<&'a str>,
    pub state: &'a str,
    pub due_on: NaiveDate,
    pub created_by: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, l: &NewLoan) -> QueryResult<Loan> {
    diesel::insert_into(loans::table).values(l).execute(conn)?;
    find(conn, l.id)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Loan> {
    loans::table.find(id).select(Loan::as_select()).first(conn)
}

/// Who may see which loans: everyone's (staff), one school's students', or one student's.
#[derive(Debug, Clone, Default)]
pub struct LoanScope {
    pub school_id: Option<String>,
    pub student_id: Option<String>,
}

pub fn find_visible(conn: &mut DbConnection, id: &str, scope: &LoanScope) -> QueryResult<Loan> {
    let mut q = loans::table.find(id).select(Loan::as_select()).into_boxed();
    if let Some(s) = &scope.school_id {
        q = q.filter(loans::school_id.eq(s.clone()));
    }
    if let Some(s) = &scope.student_id {
        q = q.filter(loans::student_id.eq(s.clone()));
    }
    q.first(conn)
}

#[derive(Debug, Clone, Default)]
pub struct LoanFilter {
    pub state: Option<String>,
    /// Open loans due before this day.
    pub overdue_on: Option<NaiveDate>,
    pub device_id: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    scope: &LoanScope,
    f: &LoanFilter,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Loan>> {
    let mut q = loans::table.select(Loan::as_select()).order(loans::id.asc()).limit(limit).into_boxed();
    if let Some(s) = &scope.school_id {
        q = q.filter(loans::school_id.eq(s.clone()));
    }
    if let Some(s) = &scope.student_id {
        q = q.filter(loans::student_id.eq(s.clone()));
    }
    if let Some(s) = &f.state {
        q = q.filter(loans::state.eq(s.clone()));
    }
    if let Some(day) = f.overdue_on {
        q = q.filter(loans::state.eq_any(["reserved", "active"])).filter(loans::due_on.lt(day));
    }
    if let Some(d) = &f.device_id {
        q = q.filter(loans::device_id.eq(d.clone()));
    }
    if let Some(after) = after {
        q = q.filter(loans::id.gt(after.to_owned()));
    }
    q.load(conn)
}

/// Records acceptance of the agreement once; false if the loan is not open or accepted already.
pub fn accept(conn: &mut DbConnection, id: &str, version: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        loans::table
            .find(id)
            .filter(loans::state.eq_any(["reserved", "active"]))
            .filter(loans::accepted_at.is_null()),
    )
    .set((
        loans::agreement_version.eq(Some(version)),
        loans::accepted_at.eq(Some(at)),
        loans::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Reserved and accepted → active; false otherwise.
pub fn hand_over(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        loans::table.find(id).filter(loans::state.eq("reserved")).filter(loans::accepted_at.is_not_null()),
    )
    .set((loans::state.eq("active"), loans::handed_over_at.eq(Some(at)), loans::updated_at.eq(at)))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn of_student(conn: &mut DbConnection, student_id: &str) -> QueryResult<Vec<Loan>> {
    loans::table
        .filter(loans::student_id.eq(student_id))
        .order(loans::id.asc())
        .select(Loan::as_select())
        .load(conn)
}

/// Whether the student holds any kit (a reserved or active loan).
pub fn has_open(conn: &mut DbConnection, student_id: &str) -> QueryResult<bool> {
    let n: i64 = loans::table
        .filter(loans::student_id.eq(student_id))
        .filter(loans::state.eq_any(["reserved", "active"]))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Closes a loan that is in one of `from` as `to`; false if it was not.
pub fn close(
    conn: &mut DbConnection,
    id: &str,
    from: &[&str],
    to: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(loans::table.find(id).filter(loans::state.eq_any(from)))
        .set((loans::state.eq(to), loans::closed_at.eq(Some(at)), loans::updated_at.eq(at)))
        .execute(conn)?;
    Ok(n == 1)
}
