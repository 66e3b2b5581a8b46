//! Numbers handed out in order across every instance, such as asset tags. The row lock taken
//! by the update serialises concurrent takers until their transaction ends.

use diesel::prelude::*;

use super::schema::counters;
use super::DbConnection;

/// Takes the next `n` numbers of `name` and returns the first. Call inside a transaction.
pub fn take(conn: &mut DbConnection, name: &str, n: i64) -> QueryResult<i64> {
    diesel::update(counters::table.find(name)).set(counters::value.eq(counters::value + n)).execute(conn)?;
    let last: i64 = counters::table.find(name).select(counters::value).first(conn)?;
    Ok(last - n + 1)
}
