//! The notification outbox: messages written in the same transaction as their cause, then
//! claimed, sent and marked by the delivery worker of any server instance.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::outbox_messages;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox_messages)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct OutboxMessage {
    pub id: String,
    pub recipient: String,
    pub language: String,
    pub template: String,
    pub payload: String,
    pub student_id: Option<String>,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub claim_id: Option<String>,
    pub lease_until: Option<NaiveDateTime>,
    pub dedupe_key: Option<String>,
    /// The secret values (a sign-in link), sealed; gone once sent or expired.
    pub secret: Option<String>,
    pub secret_expires_at: Option<NaiveDateTime>,
}

/// A message to queue: whom, in which language, which template with which values.
pub struct NewMessage<'a> {
    pub recipient: &'a str,
    pub language: &'a str,
    pub template: &'a str,
    pub payload: serde_json::Value,
    pub student_id: Option<&'a str>,
    /// Values that must not be stored in clear, such as a one-time link.
    pub secret: Option<MessageSecret<'a>>,
}

/// The secret part of a message: template values sealed with the server's key, bound to the
/// message, and deleted when the message is sent or `expires_at` passes.
pub struct MessageSecret<'a> {
    pub values: serde_json::Value,
    pub expires_at: NaiveDateTime,
    pub keys: &'a dyn Seal,
}

/// What seals a message's secret, bound to the message's id (the server's keys,
/// `auth::keys::ServerKeys`): the store keeps only what it returns.
pub trait Seal {
    fn seal(&self, plain: &[u8], bound_to: &[u8]) -> String;
}

pub fn enqueue(conn: &mut DbConnection, m: &NewMessage, now: NaiveDateTime) -> QueryResult<String> {
    let id = super::new_id();
    insert(conn, &id, m, None, now)?;
    Ok(id)
}

/// Queues a message only once per `key` (a reminder per loan and milestone), however many
/// schedulers try; true if this call queued it.
pub fn enqueue_once(
    conn: &mut DbConnection,
    m: &NewMessage,
    key: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let id = super::new_id();
    Ok(insert(conn, &id, m, Some(key), now)? == 1)
}

fn insert(
    conn: &mut DbConnection,
    id: &str,
    m: &NewMessage,
    key: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let secret = m.secret.as_ref().map(|s| s.keys.seal(s.values.to_string().as_bytes(), id.as_bytes()));
    let values = (
        outbox_messages::id.eq(id),
        outbox_messages::recipient.eq(m.recipient),
        outbox_messages::language.eq(m.language),
        outbox_messages::template.eq(m.template),
        outbox_messages::payload.eq(m.payload.to_string()),
        outbox_messages::student_id.eq(m.student_id),
        outbox_messages::state.eq("pending"),
        outbox_messages::attempts.eq(0),
        outbox_messages::next_attempt_at.eq(now),
        outbox_messages::created_at.eq(now),
        outbox_messages::dedupe_key.eq(key),
        outbox_messages::secret.eq(secret),
        outbox_messages::secret_expires_at.eq(m.secret.as_ref().map(|s| s.expires_at)),
    );
    crate::with_backend!(conn, c => diesel::insert_into(outbox_messages::table)
        .values(values)
        .on_conflict_do_nothing()
        .execute(c))
}

/// Messages to one recipient, newest first.
pub fn for_recipient(conn: &mut DbConnection, recipient: &str) -> QueryResult<Vec<OutboxMessage>> {
    outbox_messages::table
        .filter(outbox_messages::recipient.eq(recipient))
        .order(outbox_messages::id.desc())
        .select(OutboxMessage::as_select())
        .load(conn)
}

/// Messages about one student, newest first.
pub fn for_student(conn: &mut DbConnection, student_id: &str) -> QueryResult<Vec<OutboxMessage>> {
    outbox_messages::table
        .filter(outbox_messages::student_id.eq(student_id))
        .order(outbox_messages::id.desc())
        .select(OutboxMessage::as_select())
        .load(conn)
}

/// Claims up to `limit` due messages for `claim_id` until `lease_until`: pending ones whose
/// time has come, and those whose last claim ran out (the worker died). On PostgreSQL the
/// rows are locked with `SKIP LOCKED`, so concurrent workers claim different rows; SQLite
/// serialises writers. Call inside `write_tx`.
pub fn claim_due(
    conn: &mut DbConnection,
    claim_id: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OutboxMessage>> {
    use outbox_messages as o;
    let ids: Vec<String> = match conn {
        DbConnection::Pg(c) => o::table
            .filter(
                o::state
                    .eq("pending")
                    .and(o::next_attempt_at.le(now))
                    .or(o::state.eq("sending").and(o::lease_until.lt(now))),
            )
            .order((o::next_attempt_at.asc(), o::id.asc()))
            .limit(limit)
            .select(o::id)
            .for_update()
            .skip_locked()
            .load(c)?,
        DbConnection::Sqlite(c) => o::table
            .filter(
                o::state
                    .eq("pending")
                    .and(o::next_attempt_at.le(now))
                    .or(o::state.eq("sending").and(o::lease_until.lt(now))),
            )
            .order((o::next_attempt_at.asc(), o::id.asc()))
            .limit(limit)
            .select(o::id)
            .load(c)?,
    };
    if ids.is_empty() {
        return Ok(vec![]);
    }
    diesel::update(o::table.filter(o::id.eq_any(&ids)))
        .set((
            o::state.eq("sending"),
            o::claim_id.eq(Some(claim_id)),
            o::lease_until.eq(Some(lease_until)),
            o::attempts.eq(o::attempts + 1),
        ))
        .execute(conn)?;
    o::table.filter(o::claim_id.eq(claim_id)).order(o::id.asc()).select(OutboxMessage::as_select()).load(conn)
}

/// The claimed message went out; false if the claim was lost meanwhile. Its secret part is
/// deleted: the link now lives only in the reader's mailbox.
pub fn mark_sent(conn: &mut DbConnection, id: &str, claim_id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    use outbox_messages as o;
    let n = diesel::update(o::table.find(id).filter(o::claim_id.eq(claim_id)).filter(o::state.eq("sending")))
        .set((
            o::state.eq("sent"),
            o::sent_at.eq(Some(at)),
            o::lease_until.eq(None::<NaiveDateTime>),
            o::secret.eq(None::<String>),
            o::secret_expires_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Deletes the secret part of messages whose link has expired; one still waiting to be sent
/// is given up (dead): its link would not work any more. Returns how many lost their secret.
pub fn drop_expired_secrets(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    use outbox_messages as o;
    let expired = o::secret.is_not_null().and(o::secret_expires_at.le(now));
    diesel::update(o::table.filter(expired).filter(o::state.eq("pending")))
        .set((
            o::state.eq("dead"),
            o::last_error.eq(Some("The link in this message expired before it could be sent.")),
        ))
        .execute(conn)?;
    diesel::update(o::table.filter(expired))
        .set((o::secret.eq(None::<String>), o::secret_expires_at.eq(None::<NaiveDateTime>)))
        .execute(conn)
}

/// Deletes messages sent before `before`.
pub fn purge_sent(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    use outbox_messages as o;
    diesel::delete(o::table.filter(o::state.eq("sent")).filter(o::sent_at.lt(before))).execute(conn)
}

/// The claimed message failed: try again at `retry_at`, or give up (`None`: dead).
pub fn mark_failed(
    conn: &mut DbConnection,
    id: &str,
    claim_id: &str,
    retry_at: Option<NaiveDateTime>,
    error: &str,
) -> QueryResult<bool> {
    use outbox_messages as o;
    let target = o::table.find(id).filter(o::claim_id.eq(claim_id)).filter(o::state.eq("sending"));
    let error: String = error.chars().take(1000).collect();
    let n = match retry_at {
        Some(at) => diesel::update(target)
            .set((
                o::state.eq("pending"),
                o::next_attempt_at.eq(at),
                o::lease_until.eq(None::<NaiveDateTime>),
                o::last_error.eq(Some(error)),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((
                o::state.eq("dead"),
                o::lease_until.eq(None::<NaiveDateTime>),
                o::last_error.eq(Some(error)),
            ))
            .execute(conn)?,
    };
    Ok(n == 1)
}

/// Messages in `state` (all if none), oldest first, after the cursor.
pub fn list(
    conn: &mut DbConnection,
    state: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<OutboxMessage>> {
    use outbox_messages as o;
    let mut q = o::table.select(OutboxMessage::as_select()).order(o::id.asc()).limit(limit).into_boxed();
    if let Some(s) = state {
        q = q.filter(o::state.eq(s.to_owned()));
    }
    if let Some(after) = after {
        q = q.filter(o::id.gt(after.to_owned()));
    }
    q.load(conn)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<OutboxMessage> {
    outbox_messages::table.find(id).select(OutboxMessage::as_select()).first(conn)
}

/// A dead message is given a new set of attempts, starting now; false if it was not dead.
pub fn requeue(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    use outbox_messages as o;
    let n = diesel::update(o::table.find(id).filter(o::state.eq("dead")))
        .set((
            o::state.eq("pending"),
            o::attempts.eq(0),
            o::next_attempt_at.eq(now),
            o::claim_id.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// How many messages are in each state (metrics).
pub fn count_by_state(conn: &mut DbConnection) -> QueryResult<Vec<(String, i64)>> {
    use outbox_messages as o;
    o::table.group_by(o::state).select((o::state, diesel::dsl::count_star())).load(conn)
}
