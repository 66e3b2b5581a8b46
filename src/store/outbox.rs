//! The notification outbox: messages written in the same transaction as their cause.
//! Delivery (SMTP, retries) reads from here; until then they wait as `pending`.

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
}

/// A message to queue: whom, in which language, which template with which values.
pub struct NewMessage<'a> {
    pub recipient: &'a str,
    pub language: &'a str,
    pub template: &'a str,
    pub payload: serde_json::Value,
    pub student_id: Option<&'a str>,
}

pub fn enqueue(conn: &mut DbConnection, m: &NewMessage, now: NaiveDateTime) -> QueryResult<String> {
    let id = super::new_id();
    diesel::insert_into(outbox_messages::table)
        .values((
            outbox_messages::id.eq(&id),
            outbox_messages::recipient.eq(m.recipient),
            outbox_messages::language.eq(m.language),
            outbox_messages::template.eq(m.template),
            outbox_messages::payload.eq(m.payload.to_string()),
            outbox_messages::student_id.eq(m.student_id),
            outbox_messages::state.eq("pending"),
            outbox_messages::attempts.eq(0),
            outbox_messages::next_attempt_at.eq(now),
            outbox_messages::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Messages to one recipient, newest first.
pub fn for_recipient(conn: &mut DbConnection, recipient: &str) -> QueryResult<Vec<OutboxMessage>> {
    outbox_messages::table
        .filter(outbox_messages::recipient.eq(recipient))
        .order(outbox_messages::id.desc())
        .select(OutboxMessage::as_select())
        .load(conn)
}
