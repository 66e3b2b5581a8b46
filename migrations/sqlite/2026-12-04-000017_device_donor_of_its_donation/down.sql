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
    donation_id TEXT NOT NULL REFERENCES donations (id),
    donor_id TEXT NOT NULL REFERENCES organisations (id),
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
    CHECK ((state = 'locked') = (locked_reason IS NOT NULL)),
    -- A laptop can be matched only if we know its memory and storage.
    CHECK (kind <> 'laptop' OR (ram_gb IS NOT NULL AND storage_gb IS NOT NULL)),
    -- Lendable states need a grade and a place.
    CHECK (state NOT IN ('graded', 'available', 'reserved') OR (grade IS NOT NULL AND hub_id IS NOT NULL))
);
INSERT INTO devices_new (id, kind, serial_number, asset_tag, model, state, grade, hub_id, donation_id, donor_id, ram_gb, storage_gb, cpu, screen_inches, os, keyboard_layout, charger_included, carrier, data_allowance_gb, plan_ends_on, created_at, updated_at, missing_accessories, locked_reason, weight_kg) SELECT id, kind, serial_number, asset_tag, model, state, grade, hub_id, donation_id, donor_id, ram_gb, storage_gb, cpu, screen_inches, os, keyboard_layout, charger_included, carrier, data_allowance_gb, plan_ends_on, created_at, updated_at, missing_accessories, locked_reason, weight_kg FROM devices;
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
DROP INDEX donations_id_donor_key;
COMMIT;
PRAGMA foreign_keys = ON;
