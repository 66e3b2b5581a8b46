//! Loans of a device or a licence seat to one student.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{loan_events, loans};
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
    pub hub_id: Option<String>,
    pub state: String,
    pub due_on: NaiveDate,
    pub pick_up_by: Option<NaiveDate>,
    /// JSON list of the accessories handed over.
    pub accessories: String,
    /// JSON list of the accessories that did not come back.
    pub missing_accessories: String,
    pub return_condition: Option<String>,
    pub extension_state: Option<String>,
    pub extension_due_on: Option<NaiveDate>,
    pub extension_reason: Option<String>,
    pub extension_answer: Option<String>,
    pub agreement_version: Option<String>,
    pub accepted_at: Option<NaiveDateTime>,
    pub handed_over_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Staff's words for why the kit may be kept (erased with the student's other text).
    pub gift_reason: Option<String>,
    pub gift_offered_by: Option<String>,
    pub gift_offered_at: Option<NaiveDateTime>,
    /// The transfer text the student accepted; set when the loan closes as `gifted`.
    pub gift_agreement_version: Option<String>,
    /// Answered "not used" in an in-use round: due back soon.
    pub recalled_at: Option<NaiveDateTime>,
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
    pub hub_id: Option<&'a str>,
    pub state: &'a str,
    pub due_on: NaiveDate,
    pub pick_up_by: Option<NaiveDate>,
    pub accessories: &'a str,
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
    pub hub_id: Option<String>,
    pub school_id: Option<String>,
    pub extension_pending: bool,
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
    if let Some(h) = &f.hub_id {
        q = q.filter(loans::hub_id.eq(h.clone()));
    }
    if let Some(s) = &f.school_id {
        q = q.filter(loans::school_id.eq(s.clone()));
    }
    if f.extension_pending {
        q = q.filter(loans::extension_state.eq("pending"));
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

diesel::define_sql_function! {
    /// SQL's `lower`, the same on both backends (for ASCII, which names typed at a counter are).
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// Reserved loans waiting at the counter for a student whose name contains `name_part`, whose
/// email is `email`, or whose loan id ends in `id_end` (the pick-up code): the first `limit`,
/// the oldest first. Erased students cannot pick anything up.
pub fn reserved_for(
    conn: &mut DbConnection,
    name_part: &str,
    email: &str,
    id_end: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<(Loan, String)>> {
    use super::schema::students;
    let pattern = format!("%{}%", name_part.to_lowercase().replace(['%', '_'], ""));
    let mut q = loans::table
        .inner_join(students::table)
        .filter(loans::state.eq("reserved"))
        .filter(students::erased_at.is_null())
        .select((Loan::as_select(), students::name))
        .order(loans::id.asc())
        .limit(limit)
        .into_boxed();
    q = match id_end {
        Some(end) => q.filter(
            lower(students::name)
                .like(pattern)
                .or(students::email.eq(email.to_owned()))
                .or(loans::id.like(format!("%{end}"))),
        ),
        None => q.filter(lower(students::name).like(pattern).or(students::email.eq(email.to_owned()))),
    };
    q.load(conn)
}

/// The accessories actually handed over, while the loan is still reserved.
pub fn set_accessories(
    conn: &mut DbConnection,
    id: &str,
    accessories: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(loans::table.find(id).filter(loans::state.eq("reserved")))
        .set((loans::accessories.eq(accessories), loans::updated_at.eq(at)))
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

/// The open (reserved or active) loans of a school's students.
/// The reserved and active loans of the students `ids` (one page of a class list).
pub fn open_of_students(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<Loan>> {
    loans::table
        .filter(loans::student_id.eq_any(ids))
        .filter(loans::state.eq_any(["reserved", "active"]))
        .order(loans::id.asc())
        .select(Loan::as_select())
        .load(conn)
}

pub fn open_of_school(conn: &mut DbConnection, school_id: &str) -> QueryResult<Vec<Loan>> {
    loans::table
        .filter(loans::school_id.eq(school_id))
        .filter(loans::state.eq_any(["reserved", "active"]))
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

/// Offers the active loan's device as a gift, once: false if the loan is no longer active or
/// a gift was offered already (another desk was first).
pub fn offer_gift(
    conn: &mut DbConnection,
    id: &str,
    reason: &str,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        loans::table.find(id).filter(loans::state.eq("active")).filter(loans::gift_offered_at.is_null()),
    )
    .set((
        loans::gift_reason.eq(reason),
        loans::gift_offered_by.eq(by),
        loans::gift_offered_at.eq(at),
        loans::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Closes an active loan with a gift offer as `gifted`, with the transfer text's version.
pub fn close_gifted(
    conn: &mut DbConnection,
    id: &str,
    version: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        loans::table.find(id).filter(loans::state.eq("active")).filter(loans::gift_offered_at.is_not_null()),
    )
    .set((
        loans::state.eq("gifted"),
        loans::gift_agreement_version.eq(version),
        loans::closed_at.eq(at),
        loans::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Closes an active loan as returned, with the condition and what did not come back.
pub fn close_returned(
    conn: &mut DbConnection,
    id: &str,
    condition: &str,
    missing_accessories: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(loans::table.find(id).filter(loans::state.eq("active")))
        .set((
            loans::state.eq("returned"),
            loans::return_condition.eq(Some(condition)),
            loans::missing_accessories.eq(missing_accessories),
            loans::closed_at.eq(Some(at)),
            loans::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Staff set a new due date on an open loan; a pending request from the student is answered
/// by it (approved). False if the loan is not open.
pub fn set_due_on(
    conn: &mut DbConnection,
    id: &str,
    due_on: NaiveDate,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let open = loans::table.find(id).filter(loans::state.eq_any(["reserved", "active"]));
    let n = diesel::update(open.clone().filter(loans::extension_state.eq("pending")))
        .set((loans::due_on.eq(due_on), loans::extension_state.eq("approved"), loans::updated_at.eq(at)))
        .execute(conn)?;
    if n == 1 {
        return Ok(true);
    }
    let n = diesel::update(
        open.filter(loans::extension_state.is_null().or(loans::extension_state.ne("pending"))),
    )
    .set((loans::due_on.eq(due_on), loans::updated_at.eq(at)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Recalls an active loan: due back on `due_on`, marked recalled. False if it is not active.
pub fn recall(conn: &mut DbConnection, id: &str, due_on: NaiveDate, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(loans::table.find(id).filter(loans::state.eq("active")))
        .set((loans::due_on.eq(due_on), loans::recalled_at.eq(at), loans::updated_at.eq(at)))
        .execute(conn)?;
    Ok(n == 1)
}

/// The student asks for a later due date; false if the loan is not active or a request is
/// already waiting.
pub fn request_extension(
    conn: &mut DbConnection,
    id: &str,
    due_on: NaiveDate,
    reason: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        loans::table
            .find(id)
            .filter(loans::state.eq("active"))
            .filter(loans::extension_state.is_null().or(loans::extension_state.ne("pending"))),
    )
    .set((
        loans::extension_state.eq(Some("pending")),
        loans::extension_due_on.eq(Some(due_on)),
        loans::extension_reason.eq(reason),
        loans::extension_answer.eq(None::<String>),
        loans::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Staff answer a pending extension request: approved moves the due date to the one asked for.
pub fn decide_extension(
    conn: &mut DbConnection,
    id: &str,
    approve: bool,
    answer: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let pending = loans::table
        .find(id)
        .filter(loans::state.eq_any(["reserved", "active"]))
        .filter(loans::extension_state.eq("pending"));
    let n = if approve {
        // The asked-for date is on the same row: copy it in SQL.
        diesel::update(pending)
            .set((
                loans::due_on.eq(diesel::dsl::sql::<diesel::sql_types::Date>("extension_due_on")),
                loans::extension_state.eq(Some("approved")),
                loans::extension_answer.eq(answer),
                loans::updated_at.eq(at),
            ))
            .execute(conn)?
    } else {
        diesel::update(pending)
            .set((
                loans::extension_state.eq(Some("refused")),
                loans::extension_answer.eq(answer),
                loans::updated_at.eq(at),
            ))
            .execute(conn)?
    };
    Ok(n == 1)
}

/// Reserved loans whose pick-up day has passed, oldest first.
pub fn lapsed_reservations(conn: &mut DbConnection, today: NaiveDate, limit: i64) -> QueryResult<Vec<Loan>> {
    loans::table
        .filter(loans::state.eq("reserved"))
        .filter(loans::pick_up_by.lt(today))
        .order((loans::pick_up_by.asc(), loans::id.asc()))
        .limit(limit)
        .select(Loan::as_select())
        .load(conn)
}

/// Reservations to be picked up between `from` and `to` (both included), the soonest first.
pub fn lapsing_between(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<Loan>> {
    loans::table
        .filter(loans::state.eq("reserved"))
        .filter(loans::pick_up_by.ge(from))
        .filter(loans::pick_up_by.le(to))
        .order((loans::pick_up_by.asc(), loans::id.asc()))
        .limit(limit)
        .select(Loan::as_select())
        .load(conn)
}

/// Active loans due before `today`, the longest overdue first.
pub fn overdue(conn: &mut DbConnection, today: NaiveDate, limit: i64) -> QueryResult<Vec<Loan>> {
    loans::table
        .filter(loans::state.eq("active"))
        .filter(loans::due_on.lt(today))
        .order((loans::due_on.asc(), loans::id.asc()))
        .limit(limit)
        .select(Loan::as_select())
        .load(conn)
}

/// Clears what a student wrote on their loans (erasure); the loans stay, anonymous.
pub fn erase_student_text(
    conn: &mut DbConnection,
    student_id: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(loans::table.filter(loans::student_id.eq(student_id)))
        .set((
            loans::extension_reason.eq(None::<String>),
            loans::extension_answer.eq(None::<String>),
            loans::gift_reason.eq(None::<String>),
            loans::updated_at.eq(at),
        ))
        .execute(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = loan_events)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct LoanEvent {
    pub id: String,
    pub loan_id: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub action: String,
    pub details: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = loan_events)]
pub struct NewLoanEvent<'a> {
    pub id: String,
    pub loan_id: &'a str,
    pub at: NaiveDateTime,
    pub actor_id: Option<&'a str>,
    pub action: &'a str,
    pub details: String,
}

pub fn insert_event(conn: &mut DbConnection, e: &NewLoanEvent) -> QueryResult<()> {
    diesel::insert_into(loan_events::table).values(e).execute(conn)?;
    Ok(())
}

pub fn events(conn: &mut DbConnection, loan_id: &str) -> QueryResult<Vec<LoanEvent>> {
    loan_events::table
        .filter(loan_events::loan_id.eq(loan_id))
        .order((loan_events::at.asc(), loan_events::id.asc()))
        .select(LoanEvent::as_select())
        .load(conn)
}

/// Whether the device is in a reserved or active loan.
pub fn device_on_open_loan(conn: &mut DbConnection, device_id: &str) -> QueryResult<bool> {
    let n: i64 = loans::table
        .filter(loans::device_id.eq(device_id))
        .filter(loans::state.eq_any(["reserved", "active"]))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Loans that may need a reminder: active ones due by `due_by`, reservations to pick up by
/// `pick_up_by`.
pub fn reminder_candidates(
    conn: &mut DbConnection,
    due_by: NaiveDate,
    pick_up_by: NaiveDate,
) -> QueryResult<Vec<Loan>> {
    loans::table
        .filter(
            loans::state
                .eq("active")
                .and(loans::due_on.le(due_by))
                .or(loans::state.eq("reserved").and(loans::pick_up_by.le(pick_up_by))),
        )
        .order(loans::id.asc())
        .select(Loan::as_select())
        .load(conn)
}

/// Active loans of students whose programme ends from `from` to `until` (both included).
pub fn programme_ending(
    conn: &mut DbConnection,
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<Loan>> {
    use super::schema::students;
    loans::table
        .inner_join(students::table)
        .filter(loans::state.eq("active"))
        .filter(students::programme_end.between(from, until))
        .filter(students::erased_at.is_null())
        .order(loans::id.asc())
        .select(Loan::as_select())
        .load(conn)
}

/// A donor's impact up to `until` (exclusive): (students who had their kit, loans handed over
/// from `since`). Counts only: never who.
pub fn donor_impact(
    conn: &mut DbConnection,
    donor_id: &str,
    since: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<(i64, i64)> {
    use super::schema::{devices, licences};
    let of_donor = loans::device_id
        .eq_any(
            devices::table.filter(devices::donor_id.eq(donor_id.to_owned())).select(devices::id.nullable()),
        )
        .or(loans::licence_id.eq_any(
            licences::table
                .filter(licences::donor_id.eq(donor_id.to_owned()))
                .select(licences::id.nullable()),
        ));
    let students: i64 = loans::table
        .filter(of_donor.clone())
        .filter(loans::handed_over_at.lt(until))
        .select(diesel::dsl::count(loans::student_id).aggregate_distinct())
        .get_result(conn)?;
    let new: i64 = loans::table
        .filter(of_donor)
        .filter(loans::handed_over_at.ge(since))
        .filter(loans::handed_over_at.lt(until))
        .count()
        .get_result(conn)?;
    Ok((students, new))
}
