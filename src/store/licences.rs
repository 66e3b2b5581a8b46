//! Software licences and their seat count. Seats are taken and given back with single
//! guarded updates, and a check constraint keeps `seats_in_use` within `0..=seats`, so no
//! number of concurrent borrowers can lend more seats than exist.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::licences;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = licences)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Licence {
    pub id: String,
    pub product: String,
    pub vendor: String,
    pub seats: i32,
    pub seats_in_use: i32,
    pub expires_on: Option<NaiveDate>,
    pub licence_key: String,
    pub donation_id: String,
    pub donor_id: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = licences)]
pub struct NewLicence<'a> {
    pub id: &'a str,
    pub product: &'a str,
    pub vendor: &'a str,
    pub seats: i32,
    pub expires_on: Option<NaiveDate>,
    pub licence_key: &'a str,
    pub donation_id: &'a str,
    pub donor_id: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = licences)]
pub struct LicenceChanges {
    pub vendor: Option<String>,
    pub seats: Option<i32>,
    pub expires_on: Option<Option<NaiveDate>>,
    pub licence_key: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConnection, licence: &NewLicence) -> QueryResult<Licence> {
    diesel::insert_into(licences::table).values(licence).execute(conn)?;
    find_visible(conn, licence.id, None)
}

/// The licence if the caller may see it: `donor_id` limits it to one donor's own.
pub fn find_visible(conn: &mut DbConnection, id: &str, donor_id: Option<&str>) -> QueryResult<Licence> {
    let mut query = licences::table.find(id).select(Licence::as_select()).into_boxed();
    if let Some(donor) = donor_id {
        query = query.filter(licences::donor_id.eq(donor.to_owned()));
    }
    query.first(conn)
}

#[derive(Debug, Default, Clone)]
pub struct LicenceFilter {
    pub product: Option<String>,
    pub donor_id: Option<String>,
    pub donation_id: Option<String>,
    /// Only licences that have not expired by this day.
    pub valid_on: Option<NaiveDate>,
}

pub fn list(
    conn: &mut DbConnection,
    f: &LicenceFilter,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Licence>> {
    let mut query =
        licences::table.select(Licence::as_select()).order(licences::id.asc()).limit(limit).into_boxed();
    if let Some(v) = &f.product {
        query = query.filter(licences::product.eq(v.clone()));
    }
    if let Some(v) = &f.donor_id {
        query = query.filter(licences::donor_id.eq(v.clone()));
    }
    if let Some(v) = &f.donation_id {
        query = query.filter(licences::donation_id.eq(v.clone()));
    }
    if let Some(day) = f.valid_on {
        query = query.filter(licences::expires_on.is_null().or(licences::expires_on.ge(day)));
    }
    if let Some(after) = after {
        query = query.filter(licences::id.gt(after.to_owned()));
    }
    query.load(conn)
}

pub fn update(conn: &mut DbConnection, id: &str, changes: &LicenceChanges) -> QueryResult<usize> {
    diesel::update(licences::table.find(id)).set(changes).execute(conn)
}

/// Takes one seat if the licence has a free one and has not expired by `today`.
/// Returns whether a seat was taken.
pub fn take_seat(conn: &mut DbConnection, id: &str, today: NaiveDate) -> QueryResult<bool> {
    let taken = diesel::update(
        licences::table
            .find(id)
            .filter(licences::seats_in_use.lt(licences::seats))
            .filter(licences::expires_on.is_null().or(licences::expires_on.ge(today))),
    )
    .set(licences::seats_in_use.eq(licences::seats_in_use + 1))
    .execute(conn)?;
    Ok(taken == 1)
}

/// Takes `n` seats at once if that many are free and the licence has not expired by `today`.
pub fn take_seats(conn: &mut DbConnection, id: &str, n: i32, today: NaiveDate) -> QueryResult<bool> {
    let taken = diesel::update(
        licences::table
            .find(id)
            .filter((licences::seats_in_use + n).le(licences::seats))
            .filter(licences::expires_on.is_null().or(licences::expires_on.ge(today))),
    )
    .set(licences::seats_in_use.eq(licences::seats_in_use + n))
    .execute(conn)?;
    Ok(taken == 1)
}

/// Gives `n` seats back (never below zero).
pub fn free_seats(conn: &mut DbConnection, id: &str, n: i32) -> QueryResult<bool> {
    let freed = diesel::update(licences::table.find(id).filter(licences::seats_in_use.ge(n)))
        .set(licences::seats_in_use.eq(licences::seats_in_use - n))
        .execute(conn)?;
    Ok(freed == 1)
}

/// Gives one seat back. Returns whether a seat was in use.
pub fn free_seat(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    let freed = diesel::update(licences::table.find(id).filter(licences::seats_in_use.gt(0)))
        .set(licences::seats_in_use.eq(licences::seats_in_use - 1))
        .execute(conn)?;
    Ok(freed == 1)
}

/// Licences ending between `from` and `until`: (product, seats, end date).
pub fn expiring(
    conn: &mut DbConnection,
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<(String, i32, NaiveDate)>> {
    licences::table
        .filter(licences::expires_on.ge(from))
        .filter(licences::expires_on.le(until))
        .order((licences::expires_on.asc(), licences::product.asc()))
        .select((licences::product, licences::seats, licences::expires_on.assume_not_null()))
        .load(conn)
}
