-- Matching: travel costs between hubs, schools' fair-share caps, and allocations (proposals).
CREATE TABLE travel_costs (
    from_hub_id TEXT NOT NULL REFERENCES hubs (id),
    to_hub_id TEXT NOT NULL REFERENCES hubs (id),
    cost INTEGER NOT NULL CHECK (cost >= 0),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (from_hub_id, to_hub_id),
    -- Stored once per pair, smallest id first; costs are symmetric.
    CHECK (from_hub_id < to_hub_id)
);

CREATE TABLE allocation_caps (
    school_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL CHECK (kind IN ('laptop', 'connectivity', 'licence')),
    cap INTEGER NOT NULL CHECK (cap >= 0),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (school_id, kind)
);

CREATE TABLE allocations (
    id TEXT PRIMARY KEY NOT NULL,
    run_id TEXT NOT NULL,
    request_id TEXT NOT NULL REFERENCES requests (id),
    device_id TEXT REFERENCES devices (id),
    licence_id TEXT REFERENCES licences (id),
    state TEXT NOT NULL CHECK (state IN ('proposed', 'confirmed', 'rejected')),
    priority INTEGER NOT NULL,
    cost INTEGER NOT NULL,
    reason TEXT NOT NULL,
    -- JSON: the priority and cost terms behind the proposal.
    details TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    decided_by TEXT REFERENCES users (id),
    decided_at TIMESTAMP,
    CHECK ((device_id IS NULL) <> (licence_id IS NULL))
);
-- A device and a request are in at most one proposal at a time, whatever the number of runs.
-- (A confirmed allocation has become a loan; loans have their own such index.)
CREATE UNIQUE INDEX allocations_open_device_key ON allocations (device_id) WHERE state = 'proposed' AND device_id IS NOT NULL;
CREATE UNIQUE INDEX allocations_open_request_key ON allocations (request_id) WHERE state = 'proposed';
CREATE INDEX allocations_state_idx ON allocations (state, id);
CREATE INDEX allocations_run_idx ON allocations (run_id, id);
CREATE INDEX allocations_licence_idx ON allocations (licence_id, state);
