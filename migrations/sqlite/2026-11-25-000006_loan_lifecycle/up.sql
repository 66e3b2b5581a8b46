-- The loan's whole life: where the kit is picked up and returned, the pick-up deadline after
-- which a reservation lapses, the accessories handed over and those missing at return,
-- extension requests, and a history of every step. SQLite cannot change a CHECK in place,
-- so the loans table is rebuilt (nothing refers to it yet).
CREATE TABLE loans_new (
    id TEXT PRIMARY KEY NOT NULL,
    allocation_id TEXT NOT NULL REFERENCES allocations (id),
    request_id TEXT NOT NULL REFERENCES requests (id),
    student_id TEXT NOT NULL REFERENCES students (id),
    school_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL CHECK (kind IN ('laptop', 'connectivity', 'licence')),
    product TEXT,
    device_id TEXT REFERENCES devices (id),
    licence_id TEXT REFERENCES licences (id),
    hub_id TEXT REFERENCES hubs (id),
    state TEXT NOT NULL CHECK (state IN ('reserved', 'active', 'returned', 'lost', 'written_off', 'lapsed')),
    due_on DATE NOT NULL,
    pick_up_by DATE,
    accessories TEXT NOT NULL DEFAULT '[]',
    missing_accessories TEXT NOT NULL DEFAULT '[]',
    return_condition TEXT CHECK (return_condition IN ('good', 'worn', 'damaged')),
    extension_state TEXT CHECK (extension_state IN ('pending', 'approved', 'refused')),
    extension_due_on DATE,
    extension_reason TEXT,
    extension_answer TEXT,
    agreement_version TEXT,
    accepted_at TIMESTAMP,
    handed_over_at TIMESTAMP,
    closed_at TIMESTAMP,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((device_id IS NULL) <> (licence_id IS NULL)),
    CHECK (handed_over_at IS NULL OR accepted_at IS NOT NULL),
    CHECK ((extension_state IS NULL) = (extension_due_on IS NULL))
);
INSERT INTO loans_new (id, allocation_id, request_id, student_id, school_id, kind, product, device_id,
    licence_id, hub_id, state, due_on, pick_up_by, agreement_version, accepted_at, handed_over_at, closed_at,
    created_by, created_at, updated_at)
SELECT l.id, l.allocation_id, l.request_id, l.student_id, l.school_id, l.kind, l.product, l.device_id,
    l.licence_id, (SELECT d.hub_id FROM devices d WHERE d.id = l.device_id), l.state, l.due_on,
    DATE(l.created_at, '+14 days'), l.agreement_version, l.accepted_at, l.handed_over_at, l.closed_at,
    l.created_by, l.created_at, l.updated_at
FROM loans l;
DROP TABLE loans;
ALTER TABLE loans_new RENAME TO loans;
CREATE UNIQUE INDEX loans_allocation_key ON loans (allocation_id);
CREATE UNIQUE INDEX loans_open_device_key ON loans (device_id) WHERE state IN ('reserved', 'active') AND device_id IS NOT NULL;
CREATE UNIQUE INDEX loans_open_kind_key ON loans (student_id, kind, COALESCE(product, '')) WHERE state IN ('reserved', 'active');
CREATE INDEX loans_state_idx ON loans (state, due_on, id);
CREATE INDEX loans_student_idx ON loans (student_id, id);
CREATE INDEX loans_school_idx ON loans (school_id, id);
CREATE INDEX loans_device_idx ON loans (device_id, id);
CREATE INDEX loans_hub_idx ON loans (hub_id, id);
CREATE INDEX loans_pick_up_idx ON loans (pick_up_by) WHERE state = 'reserved';

CREATE TABLE loan_events (
    id TEXT PRIMARY KEY NOT NULL,
    loan_id TEXT NOT NULL REFERENCES loans (id),
    at TIMESTAMP NOT NULL,
    -- Null for the server's own housekeeping (a lapsed reservation).
    actor_id TEXT REFERENCES users (id),
    action TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX loan_events_loan_idx ON loan_events (loan_id, at, id);

-- Accessories that did not come back with the device; the next loan hands over the rest.
ALTER TABLE devices ADD COLUMN missing_accessories TEXT NOT NULL DEFAULT '[]';
