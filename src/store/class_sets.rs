//! Class sets and their set loans: every change a guarded update, so two desks (or two
//! instances) acting on one set at once change it once.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{class_set_loans as l, class_sets as s, devices};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = s)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ClassSet {
    pub id: String,
    pub school_id: String,
    pub kind: String,
    pub count: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hub_id: String,
    pub course: String,
    pub course_key: String,
    pub state: String,
    pub agreement_version: Option<String>,
    pub accepted_by: Option<String>,
    pub accepted_at: Option<NaiveDateTime>,
    pub handed_over_by: Option<String>,
    pub handed_over_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = s)]
pub struct NewClassSet<'a> {
    pub id: &'a str,
    pub school_id: &'a str,
    pub kind: &'a str,
    pub count: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hub_id: &'a str,
    pub course: &'a str,
    pub course_key: &'a str,
    pub state: &'a str,
    pub created_by: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = l)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct SetLoan {
    pub id: String,
    pub class_set_id: String,
    pub device_id: String,
    pub state: String,
    pub due_on: NaiveDate,
    pub accessories: String,
    pub missing_accessories: String,
    pub return_condition: Option<String>,
    pub reserved_by: String,
    pub reserved_at: NaiveDateTime,
    pub handed_over_at: Option<NaiveDateTime>,
    pub closed_by: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = l)]
pub struct NewSetLoan<'a> {
    pub id: String,
    pub class_set_id: &'a str,
    pub device_id: &'a str,
    pub state: &'a str,
    pub due_on: NaiveDate,
    pub accessories: String,
    pub missing_accessories: &'a str,
    pub reserved_by: &'a str,
    pub reserved_at: NaiveDateTime,
}

/// A set loan with its device's tag, model and hub, for the set's page.
#[derive(Debug, Clone)]
pub struct SetLoanLine {
    pub loan: SetLoan,
    pub asset_tag: String,
    pub model: String,
    pub hub_id: Option<String>,
}

pub fn insert(conn: &mut DbConnection, set: &NewClassSet) -> QueryResult<ClassSet> {
    diesel::insert_into(s::table).values(set).execute(conn)?;
    find(conn, set.id)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<ClassSet> {
    s::table.find(id).select(ClassSet::as_select()).first(conn)
}

/// The set, if `school` (none: any) may see it; another school's set is not found.
pub fn find_visible(conn: &mut DbConnection, id: &str, school: Option<&str>) -> QueryResult<ClassSet> {
    let mut q = s::table.filter(s::id.eq(id)).select(ClassSet::as_select()).into_boxed();
    if let Some(school) = school {
        q = q.filter(s::school_id.eq(school.to_owned()));
    }
    q.first(conn)
}

/// A page of sets in id order after `after`: one school's (or all), in `states` (or any).
pub fn page(
    conn: &mut DbConnection,
    school: Option<&str>,
    states: Option<&[&str]>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<ClassSet>> {
    let mut q = s::table.select(ClassSet::as_select()).into_boxed();
    if let Some(school) = school {
        q = q.filter(s::school_id.eq(school.to_owned()));
    }
    if let Some(states) = states {
        q = q.filter(s::state.eq_any(states.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()));
    }
    if let Some(after) = after {
        q = q.filter(s::id.gt(after.to_owned()));
    }
    q.order(s::id.asc()).limit(limit).load(conn)
}

/// Moves the set from one of `from` to `to`; false if it was in none of them (someone else
/// moved it first).
pub fn move_state(
    conn: &mut DbConnection,
    id: &str,
    from: &[&str],
    to: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let from: Vec<String> = from.iter().map(|s| (*s).to_owned()).collect();
    let closed_at = matches!(to, "returned" | "cancelled").then_some(now);
    let n = diesel::update(s::table.filter(s::id.eq(id)).filter(s::state.eq_any(from)))
        .set((s::state.eq(to), s::updated_at.eq(now), s::closed_at.eq(closed_at)))
        .execute(conn)?;
    Ok(n == 1)
}

/// The school accepts the set agreement of `version`: an offered set becomes accepted. False
/// if it was not offered any more.
pub fn accept(
    conn: &mut DbConnection,
    id: &str,
    version: &str,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(s::table.filter(s::id.eq(id)).filter(s::state.eq("offered")))
        .set((
            s::state.eq("accepted"),
            s::agreement_version.eq(Some(version)),
            s::accepted_by.eq(Some(by)),
            s::accepted_at.eq(Some(now)),
            s::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// An accepted set goes on loan; false if another desk handed it over first.
pub fn hand_over(conn: &mut DbConnection, id: &str, by: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(s::table.filter(s::id.eq(id)).filter(s::state.eq("accepted")))
        .set((
            s::state.eq("on_loan"),
            s::handed_over_by.eq(Some(by)),
            s::handed_over_at.eq(Some(now)),
            s::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn insert_loans(conn: &mut DbConnection, rows: &[NewSetLoan]) -> QueryResult<usize> {
    // A set holds at most a few dozen devices: one statement.
    if rows.is_empty() {
        return Ok(0);
    }
    crate::with_backend!(&mut *conn, c => diesel::insert_into(l::table).values(rows).execute(c))
}

/// The set's loans (not those given back before the hand-over), oldest first, with their devices.
pub fn lines(conn: &mut DbConnection, set_id: &str) -> QueryResult<Vec<SetLoanLine>> {
    let rows: Vec<(SetLoan, String, String, Option<String>)> = l::table
        .inner_join(devices::table)
        .filter(l::class_set_id.eq(set_id))
        .filter(l::state.ne("released"))
        .order(l::id.asc())
        .select((SetLoan::as_select(), devices::asset_tag, devices::model, devices::hub_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(loan, asset_tag, model, hub_id)| SetLoanLine { loan, asset_tag, model, hub_id })
        .collect())
}

/// How many devices each of `set_ids` holds or has out (reserved or active loans).
pub fn open_counts(conn: &mut DbConnection, set_ids: &[String]) -> QueryResult<Vec<(String, i64)>> {
    if set_ids.is_empty() {
        return Ok(vec![]);
    }
    l::table
        .filter(l::class_set_id.eq_any(set_ids))
        .filter(l::state.eq_any(["reserved", "active"]))
        .group_by(l::class_set_id)
        .select((l::class_set_id, diesel::dsl::count_star()))
        .load(conn)
}

/// Moves every loan of the set in state `from` to `to` (the hand-over, a cancel); the
/// devices they name.
pub fn move_loans(
    conn: &mut DbConnection,
    set_id: &str,
    from: &str,
    to: &str,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    let devices: Vec<String> = l::table
        .filter(l::class_set_id.eq(set_id))
        .filter(l::state.eq(from))
        .select(l::device_id)
        .load(conn)?;
    let target = l::table.filter(l::class_set_id.eq(set_id)).filter(l::state.eq(from));
    match to {
        "active" => {
            diesel::update(target).set((l::state.eq(to), l::handed_over_at.eq(Some(now)))).execute(conn)?
        }
        _ => diesel::update(target)
            .set((l::state.eq(to), l::closed_by.eq(Some(by)), l::closed_at.eq(Some(now))))
            .execute(conn)?,
    };
    Ok(devices)
}

/// The set's active loan of `device`, if it has one.
pub fn active_of_device(conn: &mut DbConnection, set_id: &str, device: &str) -> QueryResult<Option<SetLoan>> {
    l::table
        .filter(l::class_set_id.eq(set_id))
        .filter(l::device_id.eq(device))
        .filter(l::state.eq("active"))
        .select(SetLoan::as_select())
        .first(conn)
        .optional()
}

/// Closes an active set loan as `to` (returned, lost, written off); false if it was not
/// active any more.
pub fn close_loan(
    conn: &mut DbConnection,
    id: &str,
    to: &str,
    condition: Option<&str>,
    missing_accessories: &str,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(l::table.filter(l::id.eq(id)).filter(l::state.eq("active")))
        .set((
            l::state.eq(to),
            l::return_condition.eq(condition),
            l::missing_accessories.eq(missing_accessories),
            l::closed_by.eq(Some(by)),
            l::closed_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// The states of every loan of the set.
pub fn loan_states(conn: &mut DbConnection, set_id: &str) -> QueryResult<Vec<String>> {
    l::table.filter(l::class_set_id.eq(set_id)).select(l::state).load(conn)
}

/// Sets on loan whose last day is on or before `until`, with how many devices are still out:
/// the reminders' candidates.
pub fn on_loan_due_by(conn: &mut DbConnection, until: NaiveDate) -> QueryResult<Vec<ClassSet>> {
    s::table
        .filter(s::state.eq("on_loan"))
        .filter(s::ends_on.le(until))
        .order(s::ends_on.asc())
        .select(ClassSet::as_select())
        .load(conn)
}

/// Open sets not yet handed over whose first day is on or before `until`, oldest first.
pub fn starting_by(conn: &mut DbConnection, until: NaiveDate) -> QueryResult<Vec<ClassSet>> {
    s::table
        .filter(s::state.eq_any(["requested", "offered", "accepted"]))
        .filter(s::starts_on.le(until))
        .order((s::starts_on.asc(), s::id.asc()))
        .select(ClassSet::as_select())
        .load(conn)
}

/// The open set loan (in `state`: reserved or active) of `device`, whichever set it is in.
pub fn open_loan_of_device(
    conn: &mut DbConnection,
    device: &str,
    state: &str,
) -> QueryResult<Option<SetLoan>> {
    l::table
        .filter(l::device_id.eq(device))
        .filter(l::state.eq(state))
        .select(SetLoan::as_select())
        .first(conn)
        .optional()
}
