//! One-time sign-in links for students. Only hashes are stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::magic_link_tokens as t;
use super::DbConnection;

pub fn insert(
    conn: &mut DbConnection,
    student_id: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(t::table)
        .values((
            t::id.eq(super::new_id()),
            t::student_id.eq(student_id),
            t::token_hash.eq(token_hash),
            t::expires_at.eq(expires_at),
            t::created_at.eq(now),
        ))
        .execute(conn)
}

/// Uses the token once: returns its student if it was unused and unexpired. A second use,
/// even at the same moment from another instance, finds it used.
pub fn redeem(conn: &mut DbConnection, token_hash: &str, now: NaiveDateTime) -> QueryResult<Option<String>> {
    let Some((id, student_id)) = t::table
        .filter(t::token_hash.eq(token_hash))
        .filter(t::used_at.is_null())
        .filter(t::expires_at.gt(now))
        .select((t::id, t::student_id))
        .first::<(String, String)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let used = diesel::update(t::table.find(&id).filter(t::used_at.is_null()))
        .set(t::used_at.eq(Some(now)))
        .execute(conn)?;
    Ok((used == 1).then_some(student_id))
}

/// Sign-in links of a student (for their data export): when made, used and expiring.
pub fn of_student(
    conn: &mut DbConnection,
    student_id: &str,
) -> QueryResult<Vec<(NaiveDateTime, NaiveDateTime, Option<NaiveDateTime>)>> {
    t::table
        .filter(t::student_id.eq(student_id))
        .order(t::created_at.asc())
        .select((t::created_at, t::expires_at, t::used_at))
        .load(conn)
}
