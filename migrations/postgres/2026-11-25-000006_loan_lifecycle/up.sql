-- The loan's whole life: where the kit is picked up and returned, the pick-up deadline after
-- which a reservation lapses, the accessories handed over and those missing at return,
-- extension requests, and a history of every step.
ALTER TABLE loans
    ADD COLUMN hub_id TEXT REFERENCES hubs (id),
    ADD COLUMN pick_up_by DATE,
    ADD COLUMN accessories TEXT NOT NULL DEFAULT '[]',
    ADD COLUMN missing_accessories TEXT NOT NULL DEFAULT '[]',
    ADD COLUMN return_condition TEXT CHECK (return_condition IN ('good', 'worn', 'damaged')),
    ADD COLUMN extension_state TEXT CHECK (extension_state IN ('pending', 'approved', 'refused')),
    ADD COLUMN extension_due_on DATE,
    ADD COLUMN extension_reason TEXT,
    ADD COLUMN extension_answer TEXT,
    ADD CONSTRAINT loans_extension_check CHECK ((extension_state IS NULL) = (extension_due_on IS NULL));
ALTER TABLE loans DROP CONSTRAINT loans_state_check;
ALTER TABLE loans ADD CONSTRAINT loans_state_check
    CHECK (state IN ('reserved', 'active', 'returned', 'lost', 'written_off', 'lapsed'));
UPDATE loans SET hub_id = (SELECT d.hub_id FROM devices d WHERE d.id = loans.device_id),
    pick_up_by = CAST(created_at AS DATE) + 14;
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
