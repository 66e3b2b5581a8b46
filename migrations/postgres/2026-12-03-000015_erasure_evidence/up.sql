-- Erasure evidence for donors: the fields of an erasure certificate after NIST SP 800-88
-- Rev. 1 §4.7 / IEEE 2883-2022 (records from before have none of them: "not recorded"), a
-- failed verification kept as a record too; devices held out of the pool while locked, with
-- the reason; and a device's weight where it was weighed (the environmental figures).
ALTER TABLE erasure_records ADD COLUMN technique TEXT;
ALTER TABLE erasure_records ADD COLUMN tool_version TEXT;
ALTER TABLE erasure_records ADD COLUMN verification_method TEXT;
ALTER TABLE erasure_records ADD COLUMN verification_result TEXT
    CHECK (verification_result IN ('passed', 'failed'));
ALTER TABLE erasure_records ADD COLUMN media_serial TEXT;
CREATE INDEX erasure_records_device_time_idx ON erasure_records (device_id, performed_at);
ALTER TABLE erasure_records DROP CONSTRAINT erasure_records_method_check;
ALTER TABLE erasure_records ADD CONSTRAINT erasure_records_method_check
    CHECK (method IN ('nist_clear', 'nist_purge', 'nist_destroy'));

ALTER TABLE devices DROP CONSTRAINT devices_state_check;
ALTER TABLE devices ADD CONSTRAINT devices_state_check CHECK (state IN ('pledged', 'received', 'wiped',
    'graded', 'available', 'reserved', 'on_loan', 'returned', 'inspection', 'repair', 'retired', 'lost',
    'locked'));
ALTER TABLE devices ADD COLUMN locked_reason TEXT CHECK (locked_reason IN ('firmware_password',
    'device_management', 'activation_lock', 'signed_in_account'));
ALTER TABLE devices ADD CONSTRAINT devices_locked_reason_check2 CHECK ((state = 'locked') = (locked_reason IS NOT NULL));
ALTER TABLE devices ADD COLUMN weight_kg DOUBLE PRECISION CHECK (weight_kg > 0);
