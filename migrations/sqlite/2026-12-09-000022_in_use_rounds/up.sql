-- "Still in use?" rounds. A round asks about every active loan; each loan asked is a check,
-- answered once (by the student from a one-time link, by their coordinator or by staff).
-- The server opens a round `in_use.every_months` after the last; `opened_after` (the round it
-- follows, or 'start') is unique, so two instances opening at once make one round.
CREATE TABLE in_use_rounds (
    id TEXT PRIMARY KEY NOT NULL,
    opened_after TEXT UNIQUE,
    opened_by TEXT REFERENCES users (id),
    opened_at TIMESTAMP NOT NULL
);
CREATE INDEX in_use_rounds_opened_idx ON in_use_rounds (opened_at, id);

CREATE TABLE in_use_checks (
    id TEXT PRIMARY KEY NOT NULL,
    round_id TEXT NOT NULL REFERENCES in_use_rounds (id),
    loan_id TEXT NOT NULL REFERENCES loans (id),
    school_id TEXT NOT NULL REFERENCES organisations (id),
    -- The SHA-256 of the student's one-time answer link, set when its mail is queued (in
    -- batches after the round opens); the link itself is only in the sealed mail.
    token_hash TEXT UNIQUE,
    answer TEXT CHECK (answer IN ('in_use', 'not_used', 'broken', 'gone')),
    -- The student's or coordinator's words (erased with the student).
    note TEXT,
    answered_by TEXT,
    answered_at TIMESTAMP,
    CHECK ((answer IS NULL) = (answered_at IS NULL)),
    UNIQUE (round_id, loan_id)
);
CREATE INDEX in_use_checks_school_idx ON in_use_checks (round_id, school_id, id);
CREATE INDEX in_use_checks_loan_idx ON in_use_checks (loan_id);

-- A loan answered "not used" is recalled: due back soon, and marked so.
ALTER TABLE loans ADD COLUMN recalled_at TIMESTAMP;
