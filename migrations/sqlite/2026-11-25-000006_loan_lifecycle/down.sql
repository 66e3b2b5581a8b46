DROP TABLE loan_events;
ALTER TABLE devices DROP COLUMN missing_accessories;
CREATE TABLE loans_old (
    id TEXT PRIMARY KEY NOT NULL,
    allocation_id TEXT NOT NULL REFERENCES allocations (id),
    request_id TEXT NOT NULL REFERENCES requests (id),
    student_id TEXT NOT NULL REFERENCES students (id),
    school_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL CHECK (kind IN ('laptop', 'connectivity', 'licence')),
    product TEXT,
    device_id TEXT REFERENCES devices (id),
    licence_id TEXT REFERENCES licences (id),
    state TEXT NOT NULL CHECK (state IN ('reserved', 'active', 'returned', 'lost', 'written_off')),
    due_on DATE NOT NULL,
    agreement_version TEXT,
    accepted_at TIMESTAMP,
    handed_over_at TIMESTAMP,
    closed_at TIMESTAMP,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((device_id IS NULL) <> (licence_id IS NULL)),
    CHECK (handed_over_at IS NULL OR accepted_at IS NOT NULL)
);
INSERT INTO loans_old SELECT id, allocation_id, request_id, student_id, school_id, kind, product, device_id,
    licence_id, CASE state WHEN 'lapsed' THEN 'returned' ELSE state END, due_on, agreement_version,
    accepted_at, handed_over_at, closed_at, created_by, created_at, updated_at FROM loans;
DROP TABLE loans;
ALTER TABLE loans_old RENAME TO loans;
CREATE UNIQUE INDEX loans_allocation_key ON loans (allocation_id);
CREATE UNIQUE INDEX loans_open_device_key ON loans (device_id) WHERE state IN ('reserved', 'active') AND device_id IS NOT NULL;
CREATE UNIQUE INDEX loans_open_kind_key ON loans (student_id, kind, COALESCE(product, '')) WHERE state IN ('reserved', 'active');
CREATE INDEX loans_state_idx ON loans (state, due_on, id);
CREATE INDEX loans_student_idx ON loans (student_id, id);
CREATE INDEX loans_school_idx ON loans (school_id, id);
CREATE INDEX loans_device_idx ON loans (device_id, id);
