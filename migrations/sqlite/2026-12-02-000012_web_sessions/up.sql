-- Signed-in browser sessions of the web pages. The cookie holds a random token; only its
-- SHA-256 is kept, so a copy of the database signs nobody in. A session ends at its idle or
-- absolute limit, at sign-out, when the account is disabled, and when its password changes
-- (the account's token version is no longer the one the session was made with).
CREATE TABLE web_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    token_version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    idle_until TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX web_sessions_token_hash_key ON web_sessions (token_hash);
CREATE INDEX web_sessions_user_idx ON web_sessions (user_id);
CREATE INDEX web_sessions_expires_idx ON web_sessions (expires_at);
