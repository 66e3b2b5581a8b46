//! In-use rounds and their checks: one check per loan asked, answered once.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{in_use_checks, in_use_rounds, loans};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = in_use_rounds)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Round {
    pub id: String,
    pub opened_after: Option<String>,
    pub opened_by: Option<String>,
    pub opened_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = in_use_checks)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Check {
    pub id: String,
    pub round_id: String,
    pub loan_id: String,
    pub school_id: String,
    pub token_hash: Option<String>,
    pub answer: Option<String>,
    pub note: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<NaiveDateTime>,
}

/// The newest round: the one answers go to.
pub fn current(conn: &mut DbConnection) -> QueryResult<Option<Round>> {
    in_use_rounds::table
        .order((in_use_rounds::opened_at.desc(), in_use_rounds::id.desc()))
        .select(Round::as_select())
        .first(conn)
        .optional()
}

/// Opens a round; with `opened_after` (the server's rounds) at most one per value, so two
/// instances opening at once make one. True if this call opened it.
pub fn open(
    conn: &mut DbConnection,
    id: &str,
    opened_after: Option<&str>,
    opened_by: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let values = (
        in_use_rounds::id.eq(id),
        in_use_rounds::opened_after.eq(opened_after),
        in_use_rounds::opened_by.eq(opened_by),
        in_use_rounds::opened_at.eq(at),
    );
    let n = crate::with_backend!(conn, c => diesel::insert_into(in_use_rounds::table)
        .values(values)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

/// The active loans a new round asks about: (loan, school).
pub fn active_loans(conn: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
    loans::table
        .filter(loans::state.eq("active"))
        .order(loans::id.asc())
        .select((loans::id, loans::school_id))
        .load(conn)
}

/// When the kit longest out still on loan was handed over: the start for the first round.
pub fn first_hand_over(conn: &mut DbConnection) -> QueryResult<Option<NaiveDateTime>> {
    loans::table.filter(loans::state.eq("active")).select(diesel::dsl::min(loans::handed_over_at)).first(conn)
}

/// Adds a check for each (loan, school) to the round, in batches the backends accept.
pub fn insert_checks(conn: &mut DbConnection, round_id: &str, asked: &[(String, String)]) -> QueryResult<()> {
    for chunk in asked.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(loan, school)| {
                (
                    in_use_checks::id.eq(super::new_id()),
                    in_use_checks::round_id.eq(round_id),
                    in_use_checks::loan_id.eq(loan.as_str()),
                    in_use_checks::school_id.eq(school.as_str()),
                )
            })
            .collect();
        crate::with_backend!(conn, c => diesel::insert_into(in_use_checks::table).values(&rows).execute(c))?;
    }
    Ok(())
}

/// Checks of the round whose student has not been mailed a link yet, oldest first.
pub fn without_link(conn: &mut DbConnection, round_id: &str, limit: i64) -> QueryResult<Vec<Check>> {
    in_use_checks::table
        .filter(in_use_checks::round_id.eq(round_id))
        .filter(in_use_checks::token_hash.is_null())
        .filter(in_use_checks::answer.is_null())
        .order(in_use_checks::id.asc())
        .limit(limit)
        .select(Check::as_select())
        .load(conn)
}

/// Gives the check its link's hash; false if another instance already did.
pub fn set_link(conn: &mut DbConnection, id: &str, token_hash: &str) -> QueryResult<bool> {
    let n = diesel::update(in_use_checks::table.find(id).filter(in_use_checks::token_hash.is_null()))
        .set(in_use_checks::token_hash.eq(token_hash))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn by_token(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<Check>> {
    in_use_checks::table
        .filter(in_use_checks::token_hash.eq(token_hash))
        .select(Check::as_select())
        .first(conn)
        .optional()
}

pub fn of_loan(conn: &mut DbConnection, round_id: &str, loan_id: &str) -> QueryResult<Option<Check>> {
    in_use_checks::table
        .filter(in_use_checks::round_id.eq(round_id))
        .filter(in_use_checks::loan_id.eq(loan_id))
        .select(Check::as_select())
        .first(conn)
        .optional()
}

/// Records the answer if there is none yet; false if someone answered first.
pub fn answer(
    conn: &mut DbConnection,
    id: &str,
    answer: &str,
    note: Option<&str>,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(in_use_checks::table.find(id).filter(in_use_checks::answer.is_null()))
        .set((
            in_use_checks::answer.eq(answer),
            in_use_checks::note.eq(note),
            in_use_checks::answered_by.eq(by),
            in_use_checks::answered_at.eq(at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// A page of the round's checks (one school's, or all), in id order after `after`.
pub fn list(
    conn: &mut DbConnection,
    round_id: &str,
    school_id: Option<&str>,
    unanswered_only: bool,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Check>> {
    let mut q = in_use_checks::table
        .filter(in_use_checks::round_id.eq(round_id))
        .order(in_use_checks::id.asc())
        .limit(limit)
        .select(Check::as_select())
        .into_boxed();
    if let Some(s) = school_id {
        q = q.filter(in_use_checks::school_id.eq(s.to_owned()));
    }
    if unanswered_only {
        q = q.filter(in_use_checks::answer.is_null());
    }
    if let Some(a) = after {
        q = q.filter(in_use_checks::id.gt(a.to_owned()));
    }
    q.load(conn)
}

/// How many checks of the round (one school's, or all) have each answer; `None`: no answer.
pub fn counts(
    conn: &mut DbConnection,
    round_id: &str,
    school_id: Option<&str>,
) -> QueryResult<Vec<(Option<String>, i64)>> {
    let mut q = in_use_checks::table
        .filter(in_use_checks::round_id.eq(round_id))
        .group_by(in_use_checks::answer)
        .select((in_use_checks::answer, diesel::dsl::count_star()))
        .into_boxed();
    if let Some(s) = school_id {
        q = q.filter(in_use_checks::school_id.eq(s.to_owned()));
    }
    q.load(conn)
}

/// One donor's devices (or all donors') confirmed in use in the round: (devices, distinct
/// students), counts only.
pub fn confirmed_in_use(
    conn: &mut DbConnection,
    round_id: &str,
    donor_id: Option<&str>,
) -> QueryResult<(i64, i64)> {
    use super::schema::devices;
    let mut q = in_use_checks::table
        .inner_join(loans::table)
        .inner_join(devices::table.on(loans::device_id.eq(devices::id.nullable())))
        .filter(in_use_checks::round_id.eq(round_id))
        .filter(in_use_checks::answer.eq("in_use"))
        .select(loans::student_id)
        .into_boxed();
    if let Some(d) = donor_id {
        q = q.filter(devices::donor_id.eq(d.to_owned()));
    }
    let rows: Vec<String> = q.load(conn)?;
    let students: std::collections::BTreeSet<&String> = rows.iter().collect();
    Ok((rows.len() as i64, students.len() as i64))
}

/// Clears what a student wrote in their answers (erasure).
pub fn erase_student_notes(conn: &mut DbConnection, student_id: &str) -> QueryResult<usize> {
    let theirs = loans::table.filter(loans::student_id.eq(student_id)).select(loans::id);
    diesel::update(in_use_checks::table.filter(in_use_checks::loan_id.eq_any(theirs)))
        .set(in_use_checks::note.eq(None::<String>))
        .execute(conn)
}
