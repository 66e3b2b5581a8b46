-- Donations, devices with their history and erasure records, and software licences.
CREATE TABLE donations (
    id TEXT PRIMARY KEY NOT NULL,
    donor_id TEXT NOT NULL REFERENCES organisations (id),
    expected_hub_id TEXT REFERENCES hubs (id),
    expected_date DATE,
    note TEXT,
    state TEXT NOT NULL CHECK (state IN ('pledged', 'received')),
    received_at TIMESTAMP,
    received_by TEXT REFERENCES users (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX donations_donor_idx ON donations (donor_id, id);
CREATE INDEX donations_state_idx ON donations (state, id);

-- Numbers handed out in order, such as the next asset tag; one row per counter.
CREATE TABLE counters (
    name TEXT PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('asset_tag', 0);

CREATE TABLE devices (
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
    screen_inches DOUBLE PRECISION,
    os TEXT,
    keyboard_layout TEXT,
    charger_included BOOLEAN,
    carrier TEXT,
    data_allowance_gb INTEGER CHECK (data_allowance_gb >= 0),
    plan_ends_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    -- A laptop can be matched only if we know its memory and storage.
    CHECK (kind <> 'laptop' OR (ram_gb IS NOT NULL AND storage_gb IS NOT NULL)),
    -- Lendable states need a grade and a place.
    CHECK (state NOT IN ('graded', 'available', 'reserved') OR (grade IS NOT NULL AND hub_id IS NOT NULL))
);
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

-- The chain of custody: every transition, who made it and when. Never updated or deleted.
CREATE TABLE device_events (
    id TEXT PRIMARY KEY NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices (id),
    at TIMESTAMP NOT NULL,
    actor_id TEXT REFERENCES users (id),
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    details TEXT NOT NULL
);
CREATE INDEX device_events_device_idx ON device_events (device_id, id);

-- Proof of data erasure, one row per wipe (NIST SP 800-88 method or tool, certificate).
CREATE TABLE erasure_records (
    id TEXT PRIMARY KEY NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices (id),
    method TEXT NOT NULL CHECK (method IN ('nist_clear', 'nist_purge')),
    tool TEXT,
    certificate_ref TEXT NOT NULL,
    operator_id TEXT NOT NULL REFERENCES users (id),
    performed_at TIMESTAMP NOT NULL
);
CREATE INDEX erasure_records_device_idx ON erasure_records (device_id, id);

CREATE TABLE licences (
    id TEXT PRIMARY KEY NOT NULL,
    product TEXT NOT NULL,
    vendor TEXT NOT NULL,
    seats INTEGER NOT NULL CHECK (seats >= 1),
    -- Kept in step with the seats lent; the check makes over-lending impossible.
    seats_in_use INTEGER NOT NULL DEFAULT 0 CHECK (seats_in_use >= 0 AND seats_in_use <= seats),
    expires_on DATE,
    licence_key TEXT NOT NULL,
    donation_id TEXT NOT NULL REFERENCES donations (id),
    donor_id TEXT NOT NULL REFERENCES organisations (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX licences_product_idx ON licences (product, id);
CREATE INDEX licences_donor_idx ON licences (donor_id, id);
CREATE INDEX licences_donation_idx ON licences (donation_id, id);
CREATE INDEX licences_expires_idx ON licences (expires_on, id);
