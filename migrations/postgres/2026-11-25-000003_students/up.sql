-- Programme tracks, students and their needs, requests for kit, sign-in links, the
-- notification outbox and the access log of personal data.
CREATE TABLE tracks (
    code TEXT PRIMARY KEY NOT NULL CHECK (code IN ('coder', 'data_analyst', 'growth_hacker', 'ux_designer',
        'tech_administrator', 'other')),
    name TEXT NOT NULL,
    min_ram_gb INTEGER NOT NULL CHECK (min_ram_gb >= 0),
    min_storage_gb INTEGER NOT NULL CHECK (min_storage_gb >= 0),
    -- JSON array of licence products the track needs, e.g. ["figma"].
    software TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE students (
    id TEXT PRIMARY KEY NOT NULL,
    school_id TEXT NOT NULL REFERENCES organisations (id),
    -- Replaced by a pseudonym when the student is erased.
    name TEXT NOT NULL,
    -- NULL once erased.
    email TEXT,
    preferred_language TEXT NOT NULL CHECK (preferred_language IN ('nl', 'en')),
    track TEXT NOT NULL REFERENCES tracks (code),
    programme_start DATE NOT NULL,
    programme_end DATE NOT NULL,
    hub_id TEXT REFERENCES hubs (id),
    lacks_laptop BOOLEAN NOT NULL,
    lacks_connectivity BOOLEAN NOT NULL,
    lacks_software BOOLEAN NOT NULL,
    target_group TEXT CHECK (target_group IN ('corporate_40_plus', 'underrepresented_academy', 'unemployed',
        'sme_owner', 'overqualified')),
    erased_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (programme_end >= programme_start)
);
-- One student record per address; erased records have none.
CREATE UNIQUE INDEX students_email_key ON students (email);
CREATE INDEX students_school_idx ON students (school_id, id);
CREATE INDEX students_programme_end_idx ON students (programme_end, id);

-- A student's sign-in account, made the first time they use a link.
ALTER TABLE users ADD COLUMN student_id TEXT REFERENCES students (id);
CREATE UNIQUE INDEX users_student_key ON users (student_id);

CREATE TABLE requests (
    id TEXT PRIMARY KEY NOT NULL,
    student_id TEXT NOT NULL REFERENCES students (id),
    school_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL CHECK (kind IN ('laptop', 'connectivity', 'licence')),
    product TEXT,
    needed_by DATE NOT NULL,
    travel_ok BOOLEAN NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'allocated', 'fulfilled', 'cancelled', 'expired')),
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    CHECK ((kind = 'licence') = (product IS NOT NULL))
);
-- At most one open request per student and kind (and licence product), whatever the instance.
CREATE UNIQUE INDEX requests_open_key ON requests (student_id, kind, COALESCE(product, ''))
    WHERE state IN ('pending', 'allocated');
CREATE INDEX requests_queue_idx ON requests (kind, state, needed_by, id);
CREATE INDEX requests_school_idx ON requests (school_id, id);
CREATE INDEX requests_student_idx ON requests (student_id, id);
CREATE INDEX requests_state_idx ON requests (state, id);

-- Messages to send, written in the same transaction as the event that causes them.
CREATE TABLE outbox_messages (
    id TEXT PRIMARY KEY NOT NULL,
    recipient TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('nl', 'en')),
    template TEXT NOT NULL,
    -- JSON object of the template's values.
    payload TEXT NOT NULL,
    -- The student the message is about, so that erasure can remove it.
    student_id TEXT REFERENCES students (id),
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX outbox_due_idx ON outbox_messages (state, next_attempt_at);
CREATE INDEX outbox_student_idx ON outbox_messages (student_id);

-- One-time sign-in links for students; only a hash of the token is kept.
CREATE TABLE magic_link_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    student_id TEXT NOT NULL REFERENCES students (id),
    token_hash TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX magic_link_tokens_token_hash_key ON magic_link_tokens (token_hash);
CREATE INDEX magic_link_tokens_student_idx ON magic_link_tokens (student_id);

-- Who read whose personal data, and when (GDPR accountability). Ids only, no names.
CREATE TABLE access_log (
    id TEXT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_id TEXT NOT NULL REFERENCES users (id),
    student_id TEXT NOT NULL REFERENCES students (id),
    action TEXT NOT NULL,
    request_id TEXT
);
CREATE INDEX access_log_student_idx ON access_log (student_id, id);
CREATE INDEX access_log_actor_idx ON access_log (actor_id, id);
