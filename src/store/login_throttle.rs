//! Failed sign-ins counted per account and per network address in the database, so the limit
//! holds across every server instance. Each change is a single guarded statement, so two
//! concurrent failures both count.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::schema::login_throttle as lt;
use super::DbConnection;

/// How the counting works for one key.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max_failures: i32,
    pub window: TimeDelta,
    pub lockout: TimeDelta,
}

/// Seconds until the longest lock among `keys` ends, if any key is locked.
pub fn locked_for(conn: &mut DbConnection, keys: &[String], now: NaiveDateTime) -> QueryResult<Option<u64>> {
    let until: Option<NaiveDateTime> = lt::table
        .filter(lt::key.eq_any(keys))
        .filter(lt::locked_until.gt(now))
        .select(diesel::dsl::max(lt::locked_until))
        .first::<Option<NaiveDateTime>>(conn)?;
    Ok(until.map(|u| (u - now).num_seconds().max(1) as u64))
}

/// Counts one failure for `key`, starting a new window when the old one has passed, and locks
/// the key once it reaches the limit.
pub fn record_failure(
    conn: &mut DbConnection,
    key: &str,
    limit: Limit,
    now: NaiveDateTime,
) -> QueryResult<()> {
    crate::with_backend!(conn, c => diesel::insert_into(lt::table)
        .values((lt::key.eq(key), lt::failures.eq(0), lt::window_started_at.eq(now)))
        .on_conflict(lt::key)
        .do_nothing()
        .execute(c))?;
    // A window that has passed (and is not locked) starts again from zero.
    diesel::update(
        lt::table
            .find(key)
            .filter(lt::window_started_at.lt(now - limit.window))
            .filter(lt::locked_until.is_null().or(lt::locked_until.le(now))),
    )
    .set((lt::failures.eq(0), lt::window_started_at.eq(now), lt::locked_until.eq(None::<NaiveDateTime>)))
    .execute(conn)?;
    diesel::update(lt::table.find(key)).set(lt::failures.eq(lt::failures + 1)).execute(conn)?;
    diesel::update(
        lt::table
            .find(key)
            .filter(lt::failures.ge(limit.max_failures))
            .filter(lt::locked_until.is_null().or(lt::locked_until.le(now))),
    )
    .set((lt::locked_until.eq(now + limit.lockout), lt::failures.eq(0), lt::window_started_at.eq(now)))
    .execute(conn)?;
    Ok(())
}

/// Forgets the failures of `key` after a successful sign-in.
pub fn clear(conn: &mut DbConnection, key: &str) -> QueryResult<usize> {
    diesel::delete(lt::table.find(key)).execute(conn)
}
