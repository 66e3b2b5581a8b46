//! Donations: a donor's pledge of devices and licences, and its receipt at a hub.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{devices, donations, licences};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = donations)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Donation {
    pub id: String,
    pub donor_id: String,
    pub expected_hub_id: Option<String>,
    pub expected_date: Option<NaiveDate>,
    pub note: Option<String>,
    pub state: String,
    pub received_at: Option<NaiveDateTime>,
    pub received_by: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The donor lets this donation's kit be given away at a programme's end.
    pub gifts_allowed: bool,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = donations)]
pub struct NewDonation<'a> {
    pub id: &'a str,
    pub donor_id: &'a str,
    pub expected_hub_id: Option<&'a str>,
    pub expected_date: Option<NaiveDate>,
    pub note: Option<&'a str>,
    pub state: &'a str,
    pub gifts_allowed: bool,
    pub created_by: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, donation: &NewDonation) -> QueryResult<Donation> {
    diesel::insert_into(donations::table).values(donation).execute(conn)?;
    find(conn, donation.id)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Donation> {
    donations::table.find(id).select(Donation::as_select()).first(conn)
}

/// The donation if the caller may see it: `donor_id` limits it to one donor's own.
pub fn find_visible(conn: &mut DbConnection, id: &str, donor_id: Option<&str>) -> QueryResult<Donation> {
    let mut query = donations::table.find(id).select(Donation::as_select()).into_boxed();
    if let Some(donor) = donor_id {
        query = query.filter(donations::donor_id.eq(donor.to_owned()));
    }
    query.first(conn)
}

pub fn list(
    conn: &mut DbConnection,
    donor_id: Option<&str>,
    state: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Donation>> {
    let mut query =
        donations::table.select(Donation::as_select()).order(donations::id.asc()).limit(limit).into_boxed();
    if let Some(donor) = donor_id {
        query = query.filter(donations::donor_id.eq(donor.to_owned()));
    }
    if let Some(state) = state {
        query = query.filter(donations::state.eq(state.to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(donations::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// Whether the donation's kit may be given away at a programme's end.
pub fn set_gifts_allowed(
    conn: &mut DbConnection,
    id: &str,
    allowed: bool,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(donations::table.find(id))
        .set((donations::gifts_allowed.eq(allowed), donations::updated_at.eq(at)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Marks a pledged donation received; false when it was not pledged any more.
pub fn mark_received(conn: &mut DbConnection, id: &str, by: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let updated = diesel::update(donations::table.find(id).filter(donations::state.eq("pledged")))
        .set((
            donations::state.eq("received"),
            donations::received_at.eq(at),
            donations::received_by.eq(by),
            donations::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// The states of a donation's devices with their counts, and how many licences it holds.
pub fn contents(conn: &mut DbConnection, id: &str) -> QueryResult<(Vec<(String, i64)>, i64)> {
    let by_state = devices::table
        .filter(devices::donation_id.eq(id))
        .group_by(devices::state)
        .select((devices::state, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?;
    let licence_count = licences::table.filter(licences::donation_id.eq(id)).count().get_result(conn)?;
    Ok((by_state, licence_count))
}
