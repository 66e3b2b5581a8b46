-- A class set: a school borrows several devices for one course. Each device of a set is a
-- set loan (`class_set_loans`), reserved when staff offer the set, active from the hand-over
-- and closed one by one as devices come back. Set loans name no student: the school borrows.
CREATE TABLE class_sets (
    id TEXT PRIMARY KEY NOT NULL,
    school_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL CHECK (kind IN ('laptop', 'wifi_dongle')),
    count INTEGER NOT NULL CHECK (count >= 1),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    hub_id TEXT NOT NULL REFERENCES hubs (id),
    course TEXT NOT NULL,
    -- The course name folded (trimmed, lower case, single spaces): one open set per school and course.
    course_key TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('requested', 'offered', 'accepted', 'on_loan', 'returned', 'cancelled')),
    agreement_version TEXT,
    accepted_by TEXT REFERENCES users (id),
    accepted_at TIMESTAMP,
    handed_over_by TEXT REFERENCES users (id),
    handed_over_at TIMESTAMP,
    closed_at TIMESTAMP,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (ends_on > starts_on),
    -- No hand-over without the school's acceptance of the set agreement.
    CHECK (state NOT IN ('accepted', 'on_loan', 'returned') OR (agreement_version IS NOT NULL AND accepted_at IS NOT NULL)),
    CHECK (state NOT IN ('on_loan', 'returned') OR handed_over_at IS NOT NULL)
);
CREATE UNIQUE INDEX class_sets_open_course_key ON class_sets (school_id, course_key) WHERE state NOT IN ('returned', 'cancelled');
CREATE INDEX class_sets_state_idx ON class_sets (state, starts_on, id);
CREATE INDEX class_sets_school_idx ON class_sets (school_id, id);

CREATE TABLE class_set_loans (
    id TEXT PRIMARY KEY NOT NULL,
    class_set_id TEXT NOT NULL REFERENCES class_sets (id),
    device_id TEXT NOT NULL REFERENCES devices (id),
    -- reserved (held for the set), active (at the school), returned, lost, written_off, or
    -- released (given back to the pool before the hand-over).
    state TEXT NOT NULL CHECK (state IN ('reserved', 'active', 'returned', 'lost', 'written_off', 'released')),
    due_on DATE NOT NULL,
    accessories TEXT NOT NULL,
    missing_accessories TEXT NOT NULL,
    return_condition TEXT CHECK (return_condition IN ('good', 'worn', 'damaged')),
    reserved_by TEXT NOT NULL REFERENCES users (id),
    reserved_at TIMESTAMP NOT NULL,
    handed_over_at TIMESTAMP,
    closed_by TEXT REFERENCES users (id),
    closed_at TIMESTAMP,
    CHECK (state NOT IN ('active', 'returned', 'lost', 'written_off') OR handed_over_at IS NOT NULL)
);
-- A device on at most one open set loan (and, through its state, never on a student's loan too).
CREATE UNIQUE INDEX class_set_loans_open_device_key ON class_set_loans (device_id) WHERE state IN ('reserved', 'active');
CREATE INDEX class_set_loans_set_idx ON class_set_loans (class_set_id, id);
CREATE INDEX class_set_loans_state_idx ON class_set_loans (state, due_on);
