//! One-time links for new accounts to set their password. Only hashes are stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::invitations as t;
use super::DbConnection;

pub fn insert(
    conn: &mut DbConnection,
    user_id: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(t::table)
        .values((
            t::id.eq(super::new_id()),
            t::user_id.eq(user_id),
            t::token_hash.eq(token_hash),
            t::expires_at.eq(expires_at),
            t::created_at.eq(now),
        ))
        .execute(conn)
}

/// Uses the invitation once: its account if it was unused and unexpired. The guarded update
/// makes a second use, even at the same moment on another instance, find it used.
pub fn redeem(conn: &mut DbConnection, token_hash: &str, now: NaiveDateTime) -> QueryResult<Option<String>> {
    let Some((id, user_id)) = t::table
        .filter(t::token_hash.eq(token_hash))
        .filter(t::used_at.is_null())
        .filter(t::expires_at.gt(now))
        .select((t::id, t::user_id))
        .first::<(String, String)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let used = diesel::update(t::table.find(&id).filter(t::used_at.is_null()))
        .set(t::used_at.eq(Some(now)))
        .execute(conn)?;
    Ok((used == 1).then_some(user_id))
}
