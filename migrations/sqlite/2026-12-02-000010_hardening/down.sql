DROP TABLE student_need_changes;
DROP INDEX students_email_idx;
DROP INDEX students_email_key;
CREATE UNIQUE INDEX students_email_key ON students (email);
DROP INDEX outbox_sent_idx;
DROP INDEX outbox_secret_expires_idx;
ALTER TABLE outbox_messages DROP COLUMN secret_expires_at;
ALTER TABLE outbox_messages DROP COLUMN secret;
DROP INDEX invitations_expires_idx;
DROP INDEX magic_link_tokens_expires_idx;
DROP TABLE password_resets;
ALTER TABLE users DROP COLUMN token_version;
DROP TABLE login_throttle;
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    window_started_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);
