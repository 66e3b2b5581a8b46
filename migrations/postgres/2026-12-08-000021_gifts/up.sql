-- The programme's end, part one: gifts. A donor says per donation whether its kit may be
-- given away (`gifts_allowed`); staff offer a gift on an active loan (who, when, why, on the
-- loan); the student accepts the transfer text of a version and the loan closes as `gifted`,
-- its device `gifted`, out of the pool for good.
ALTER TABLE donations ADD COLUMN gifts_allowed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE devices DROP CONSTRAINT devices_state_check;
ALTER TABLE devices ADD CONSTRAINT devices_state_check CHECK (state IN ('pledged', 'received', 'wiped',
    'graded', 'available', 'reserved', 'on_loan', 'returned', 'inspection', 'repair', 'retired', 'lost',
    'locked', 'gifted'));
ALTER TABLE loans DROP CONSTRAINT loans_state_check;
ALTER TABLE loans ADD CONSTRAINT loans_state_check
    CHECK (state IN ('reserved', 'active', 'returned', 'lost', 'written_off', 'lapsed', 'gifted'));
ALTER TABLE loans
    ADD COLUMN gift_reason TEXT,
    ADD COLUMN gift_offered_by TEXT REFERENCES users (id),
    ADD COLUMN gift_offered_at TIMESTAMP,
    ADD COLUMN gift_agreement_version TEXT,
    ADD CONSTRAINT loans_gift_offer_check CHECK ((gift_offered_at IS NULL) = (gift_offered_by IS NULL)),
    -- A gift is a device given to the student who holds it, with the transfer they accepted.
    ADD CONSTRAINT loans_gifted_check CHECK (state <> 'gifted' OR (gift_offered_at IS NOT NULL
        AND gift_agreement_version IS NOT NULL AND device_id IS NOT NULL AND closed_at IS NOT NULL));
