//! Email: the message templates and the delivery of the outbox over SMTP (or to files, or
//! the log, in development).

pub mod delivery;
pub mod templates;
