//! Browser sessions of the web pages: the hash of each session's cookie token, its account,
//! and when it ends. Reading a session checks the account in the same query, so a disabled
//! account or a changed password ends every session at once, on every instance.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{users, web_sessions as s};
use super::users::User;
use super::DbConnection;

/// Starts a session for `user` whose cookie token hashes to `token_hash`.
pub fn insert(
    conn: &mut DbConnection,
    token_hash: &str,
    user: &User,
    now: NaiveDateTime,
    idle_until: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(s::table)
        .values((
            s::id.eq(super::new_id()),
            s::token_hash.eq(token_hash),
            s::user_id.eq(&user.id),
            s::token_version.eq(user.token_version),
            s::created_at.eq(now),
            s::last_seen_at.eq(now),
            s::idle_until.eq(idle_until),
            s::expires_at.eq(expires_at),
        ))
        .execute(conn)
}

/// The account of a live session: not idle too long, not past its end, the account enabled
/// and its password unchanged since the session began. With the session's id and when it was
/// last seen.
pub fn find_live(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<(String, NaiveDateTime, User)>> {
    s::table
        .inner_join(users::table)
        .filter(s::token_hash.eq(token_hash))
        .filter(s::idle_until.gt(now))
        .filter(s::expires_at.gt(now))
        .filter(users::disabled_at.is_null())
        .filter(s::token_version.eq(users::token_version))
        .select((s::id, s::last_seen_at, User::as_select()))
        .first(conn)
        .optional()
}

/// How often a session's idle limit moves on: reading a page should not write on every request.
pub const TOUCH_EVERY: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

/// Moves the idle limit on, at most once per [`TOUCH_EVERY`] per session (two pages read at
/// once write once).
pub fn touch(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
    idle_until: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(s::table.find(id).filter(s::last_seen_at.lt(now - TOUCH_EVERY)))
        .set((s::last_seen_at.eq(now), s::idle_until.eq(idle_until)))
        .execute(conn)
}

/// Ends one session (sign-out).
pub fn delete_by_hash(conn: &mut DbConnection, token_hash: &str) -> QueryResult<usize> {
    diesel::delete(s::table.filter(s::token_hash.eq(token_hash))).execute(conn)
}

/// Ends every session of an account (disabled, password changed, erased).
pub fn delete_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<usize> {
    diesel::delete(s::table.filter(s::user_id.eq(user_id))).execute(conn)
}

/// Housekeeping: sessions that can no longer be used.
pub fn delete_ended(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(s::table.filter(s::expires_at.le(now).or(s::idle_until.le(now)))).execute(conn)
}
