//! Notifications, start to end: which messages events and the housekeeping run queue in the
//! outbox, in the transaction of their cause (`messages.rs`); the texts in Dutch and English
//! (`templates.rs`, pure; sources in `templates/email/`); and the worker that claims due rows
//! and sends them over SMTP, or to files or the log in development (`worker.rs`). The outbox
//! table's queries are `store::outbox`; when to try a message again is `domain::retry`.

pub mod messages;
pub mod templates;
pub mod worker;
