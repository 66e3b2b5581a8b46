PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE devices_new (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('laptop', 'wifi_dongle')),
    serial_number TEXT NOT NULL,
    asset_tag TEXT NOT NULL,
    model TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pledged', 'received', 'wiped', 'graded', 'available', 'reserved',
        'on_loan', 'returned', 'inspection', 'repair', 'retired', 'lost')),
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
    -- A laptop can be matched only if we know its memory and storage.
    CHECK (kind <> 'laptop' OR (ram_gb IS NOT NULL AND storage_gb IS NOT NULL)),
    -- Lendable states need a grade and a place.
    CHECK (state NOT IN ('graded', 'available', 'reserved') OR (grade IS NOT NULL AND hub_id IS NOT NULL))
);
INSERT INTO devices_new (id, kind, serial_number, asset_tag, model, state, grade, hub_id, donation_id, donor_id, ram_gb, storage_gb, cpu, screen_inches, os, keyboard_layout, charger_included, carrier, data_allowance_gb, plan_ends_on, created_at, updated_at, missing_accessories) SELECT id, kind, serial_number, asset_tag, model, state, grade, hub_id, donation_id, donor_id, ram_gb, storage_gb, cpu, screen_inches, os, keyboard_layout, charger_included, carrier, data_allowance_gb, plan_ends_on, created_at, updated_at, missing_accessories FROM devices;
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
CREATE TABLE erasure_records_new (
    id TEXT PRIMARY KEY NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices (id),
    method TEXT NOT NULL CHECK (method IN ('nist_clear', 'nist_purge')),
    tool TEXT,
    certificate_ref TEXT NOT NULL,
    operator_id TEXT NOT NULL REFERENCES users (id),
    performed_at TIMESTAMP NOT NULL
);
INSERT INTO erasure_records_new (id, device_id, method, tool, certificate_ref, operator_id, performed_at)
SELECT id, device_id, method, tool, certificate_ref, operator_id, performed_at FROM erasure_records
WHERE method <> 'nist_destroy';
DROP TABLE erasure_records;
ALTER TABLE erasure_records_new RENAME TO erasure_records;
CREATE INDEX erasure_records_device_idx ON erasure_records (device_id, id);
COMMIT;
PRAGMA foreign_keys = ON;
