//! Throttle counters (sign-ins, links asked for) in the database, so a limit holds across
//! every server instance. An attempt is taken with a compare-and-set on the row's version:
//! of two concurrent attempts on one key, one wins and the other reads the new count and
//! decides again, so no attempt slips through uncounted. The rules are `domain::throttle`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::login_throttle as lt;
use super::DbConnection;
use crate::domain::throttle::{Counter, Decision, Policy};

/// How often one attempt retries after losing a compare-and-set before it gives up and is
/// told to wait (only under a storm of attempts on one key).
const MAX_RACES: usize = 50;

fn read(conn: &mut DbConnection, key: &str) -> QueryResult<Option<(Counter, i32)>> {
    Ok(lt::table
        .find(key)
        .select((lt::attempts, lt::last_attempt_at, lt::blocked_until, lt::version))
        .first::<(i32, NaiveDateTime, Option<NaiveDateTime>, i32)>(conn)
        .optional()?
        .map(|(attempts, last_attempt_at, blocked_until, version)| {
            (Counter { attempts, last_attempt_at, blocked_until }, version)
        }))
}

/// Writes `next` over the row if it is still at `version`; true if it was.
fn swap(conn: &mut DbConnection, key: &str, version: Option<i32>, next: &Counter) -> QueryResult<bool> {
    let written = match version {
        None => crate::with_backend!(conn, c => diesel::insert_into(lt::table)
            .values((
                lt::key.eq(key),
                lt::attempts.eq(next.attempts),
                lt::version.eq(1),
                lt::last_attempt_at.eq(next.last_attempt_at),
                lt::blocked_until.eq(next.blocked_until),
            ))
            .on_conflict(lt::key)
            .do_nothing()
            .execute(c))?,
        Some(v) => diesel::update(lt::table.find(key).filter(lt::version.eq(v)))
            .set((
                lt::attempts.eq(next.attempts),
                lt::version.eq(v + 1),
                lt::last_attempt_at.eq(next.last_attempt_at),
                lt::blocked_until.eq(next.blocked_until),
            ))
            .execute(conn)?,
    };
    Ok(written == 1)
}

/// Counts one attempt on `key` if `policy` allows it now: `Ok(())`, or `Err(seconds)` to
/// wait. Run it on its own, outside a longer transaction, so the count is visible to every
/// instance before the guarded work starts.
pub fn take_attempt(
    conn: &mut DbConnection,
    key: &str,
    policy: &Policy,
    now: NaiveDateTime,
) -> QueryResult<Result<(), u64>> {
    for _ in 0..MAX_RACES {
        let current = read(conn, key)?;
        match policy.attempt(current.map(|c| c.0), now) {
            Decision::Wait(seconds) => return Ok(Err(seconds)),
            Decision::Allowed(next) => {
                if swap(conn, key, current.map(|c| c.1), &next)? {
                    return Ok(Ok(()));
                }
            }
        }
    }
    Ok(Err(1))
}

/// Gives back one attempt on `key` that turned out well (see `Policy::refund`).
pub fn refund(conn: &mut DbConnection, key: &str, policy: &Policy) -> QueryResult<()> {
    for _ in 0..MAX_RACES {
        let Some((counter, version)) = read(conn, key)? else { return Ok(()) };
        if swap(conn, key, Some(version), &policy.refund(counter))? {
            return Ok(());
        }
    }
    Ok(())
}

/// Forgets the attempts of `key` (a correct password, a password reset, an erasure).
pub fn clear(conn: &mut DbConnection, key: &str) -> QueryResult<usize> {
    diesel::delete(lt::table.find(key)).execute(conn)
}

/// Deletes counters untouched since `before` that no longer make anyone wait.
pub fn purge_quiet(conn: &mut DbConnection, before: NaiveDateTime, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        lt::table
            .filter(lt::last_attempt_at.lt(before))
            .filter(lt::blocked_until.is_null().or(lt::blocked_until.le(now))),
    )
    .execute(conn)
}
