DROP TABLE loan_events;
ALTER TABLE devices DROP COLUMN missing_accessories;
UPDATE loans SET state = 'returned' WHERE state = 'lapsed';
ALTER TABLE loans DROP CONSTRAINT loans_state_check;
ALTER TABLE loans ADD CONSTRAINT loans_state_check
    CHECK (state IN ('reserved', 'active', 'returned', 'lost', 'written_off'));
ALTER TABLE loans DROP CONSTRAINT loans_extension_check;
ALTER TABLE loans
    DROP COLUMN hub_id, DROP COLUMN pick_up_by, DROP COLUMN accessories, DROP COLUMN missing_accessories,
    DROP COLUMN return_condition, DROP COLUMN extension_state, DROP COLUMN extension_due_on,
    DROP COLUMN extension_reason, DROP COLUMN extension_answer;
