-- Back to before gifts: gifted devices and loans count as written off (retired).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE devices_new (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('laptop', 'wifi_dongle')),
    serial_number TEXT NOT NULL,
    asset_tag TEXT NOT NULL,
    model TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pledged', 'received', 'wiped', 'graded', 'available', 'reserved',
        'on_loan', 'returned', 'inspection', 'repair', 'retired', 'lost', 'locked')),
    grade TEXT CHECK (grade IN ('A', 'B', 'C')),
    hub_id TEXT REFERENCES hubs (id),
    donation_id TEXT NOT NULL,
    donor_id TEXT NOT NULL,
    ram_gb INTEGER CHECK (ram_gb > 0),
    storage_gb INTEGER CHECK (storage_gb > 0),
    cpu TEXT,
    screen_inches REAL,
    os TEXT,
    keyboard_layout TEXT,
    charger_included BOOLEAN,
    carrier TEXT,
    data_allowance_gb INTEGER CHECK (data_allowance_gb >= 0),
    plan_ends_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    missing_accessories TEXT NOT NULL DEFAULT '[]',
    locked_reason TEXT CHECK (locked_reason IN ('firmware_password', 'device_management', 'activation_lock',
        'signed_in_account')),
    weight_kg REAL CHECK (weight_kg > 0),
    -- The device's donor is its donation's donor.
    FOREIGN KEY (donation_id, donor_id) REFERENCES donations (id, donor_id),
    CHECK ((state = 'locked') = (locked_reason IS NOT NULL)),
    -- A laptop can be matched only if we know its memory and storage.
    CHECK (kind <> 'laptop' OR (ram_gb IS NOT NULL AND storage_gb IS NOT NULL)),
    -- Lendable states need a grade and a place.
    CHECK (state NOT IN ('graded', 'available', 'reserved') OR (grade IS NOT NULL AND hub_id IS NOT NULL))
);
INSERT INTO devices_new (id, kind, serial_number, asset_tag, model, state, grade, hub_id, donation_id, donor_id, ram_gb, storage_gb, cpu, screen_inches, os, keyboard_layout, charger_included, carrier, data_allowance_gb, plan_ends_on, created_at, updated_at, missing_accessories, locked_reason, weight_kg) SELECT id, kind, serial_number, asset_tag, model, CASE state WHEN 'gifted' THEN 'retired' ELSE state END, grade, hub_id, donation_id, donor_id, ram_gb, storage_gb, cpu, screen_inches, os, keyboard_layout, charger_included, carrier, data_allowance_gb, plan_ends_on, created_at, updated_at, missing_accessories, locked_reason, weight_kg FROM devices;
DROP TABLE devices;
ALTER TABLE devices_new RENAME TO devices;
CREATE UNIQUE INDEX devices_serial_number_key ON devices (kind, serial_number);
CREATE UNIQUE INDEX devices_asset_tag_key ON devices (asset_tag);
CREATE INDEX devices_serial_idx ON devices (serial_number);
CREATE INDEX devices_kind_idx ON devices (kind, id);
CREATE INDEX devices_state_idx ON devices (state, id);
CREATE INDEX devices_hub_idx ON devices (hub_id, id);
CREATE INDEX devices_donor_idx ON devices (donor_id, id);
CREATE INDEX devices_donation_idx ON devices (donation_id, id);
CREATE INDEX devices_grade_idx ON devices (grade, id);
CREATE INDEX devices_ram_idx ON devices (ram_gb, id);
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
INSERT INTO loans_new (id, allocation_id, request_id, student_id, school_id, kind, product, device_id, licence_id, hub_id, state, due_on, pick_up_by, accessories, missing_accessories, return_condition, extension_state, extension_due_on, extension_reason, extension_answer, agreement_version, accepted_at, handed_over_at, closed_at, created_by, created_at, updated_at) SELECT id, allocation_id, request_id, student_id, school_id, kind, product, device_id, licence_id, hub_id, CASE state WHEN 'gifted' THEN 'written_off' ELSE state END, due_on, pick_up_by, accessories, missing_accessories, return_condition, extension_state, extension_due_on, extension_reason, extension_answer, agreement_version, accepted_at, handed_over_at, closed_at, created_by, created_at, updated_at FROM loans;
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
CREATE INDEX loans_period_idx ON loans (kind, handed_over_at, closed_at, state, due_on, student_id);
CREATE INDEX loans_closed_idx ON loans (closed_at, handed_over_at);
CREATE INDEX loans_device_history_idx ON loans (device_id, id, handed_over_at, closed_at, state, kind, student_id);
CREATE INDEX loans_licence_idx ON loans (licence_id, handed_over_at, closed_at, student_id);
CREATE INDEX loans_request_idx ON loans (request_id, handed_over_at);
CREATE INDEX loans_student_period_idx ON loans (student_id, handed_over_at, closed_at);
ALTER TABLE donations DROP COLUMN gifts_allowed;
COMMIT;
PRAGMA foreign_keys = ON;
