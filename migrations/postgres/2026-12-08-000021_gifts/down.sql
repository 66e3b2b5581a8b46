-- Back to before gifts: gifted devices and loans count as written off (retired).
ALTER TABLE loans DROP CONSTRAINT loans_gifted_check;
ALTER TABLE loans DROP CONSTRAINT loans_gift_offer_check;
UPDATE loans SET state = 'written_off' WHERE state = 'gifted';
UPDATE devices SET state = 'retired' WHERE state = 'gifted';
ALTER TABLE loans DROP COLUMN gift_reason, DROP COLUMN gift_offered_by, DROP COLUMN gift_offered_at,
    DROP COLUMN gift_agreement_version;
ALTER TABLE loans DROP CONSTRAINT loans_state_check;
ALTER TABLE loans ADD CONSTRAINT loans_state_check
    CHECK (state IN ('reserved', 'active', 'returned', 'lost', 'written_off', 'lapsed'));
ALTER TABLE devices DROP CONSTRAINT devices_state_check;
ALTER TABLE devices ADD CONSTRAINT devices_state_check CHECK (state IN ('pledged', 'received', 'wiped',
    'graded', 'available', 'reserved', 'on_loan', 'returned', 'inspection', 'repair', 'retired', 'lost',
    'locked'));
ALTER TABLE donations DROP COLUMN gifts_allowed;
