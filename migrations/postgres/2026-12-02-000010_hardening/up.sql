-- What the security audit of 2026-12 asked for.

-- Sign-in throttling counts every attempt before the password is checked and makes each try
-- past the allowance wait longer (no hard lock). `version` makes each change a compare-and-set,
-- so concurrent attempts on several instances are counted one by one. The old counters are
-- dropped: they held only minutes of state.
DROP TABLE login_throttle;
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY NOT NULL,
    attempts INTEGER NOT NULL,
    version INTEGER NOT NULL,
    last_attempt_at TIMESTAMP NOT NULL,
    blocked_until TIMESTAMP
);
CREATE INDEX login_throttle_last_idx ON login_throttle (last_attempt_at);

-- Access tokens carry the account's token version; a password reset raises it, which ends
-- every token issued before.
ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;

-- One-time links to choose a new password. Only a hash of the token is kept.
CREATE TABLE password_resets (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX password_resets_token_hash_key ON password_resets (token_hash);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);
CREATE INDEX password_resets_expires_idx ON password_resets (expires_at);
CREATE INDEX magic_link_tokens_expires_idx ON magic_link_tokens (expires_at);
CREATE INDEX invitations_expires_idx ON invitations (expires_at);

-- The secret values of a message (a sign-in link) are kept apart from its payload, encrypted,
-- and removed once it is sent or the link has expired.
ALTER TABLE outbox_messages ADD COLUMN secret TEXT;
ALTER TABLE outbox_messages ADD COLUMN secret_expires_at TIMESTAMP;
CREATE INDEX outbox_secret_expires_idx ON outbox_messages (secret_expires_at);
CREATE INDEX outbox_sent_idx ON outbox_messages (state, sent_at);

-- An address is unique within a school, not across schools: a school must not learn that
-- another school enrolled someone. The same person at two schools is two enrolments.
DROP INDEX students_email_key;
CREATE UNIQUE INDEX students_email_key ON students (school_id, email);
CREATE INDEX students_email_idx ON students (email);

-- Who changed what a student lacks, and when: these flags raise a request's priority.
CREATE TABLE student_need_changes (
    id TEXT PRIMARY KEY NOT NULL,
    student_id TEXT NOT NULL REFERENCES students (id),
    actor_id TEXT NOT NULL REFERENCES users (id),
    at TIMESTAMP NOT NULL,
    need TEXT NOT NULL CHECK (need IN ('laptop', 'connectivity', 'software')),
    lacks BOOLEAN NOT NULL
);
CREATE INDEX student_need_changes_student_idx ON student_need_changes (student_id, at, id);
