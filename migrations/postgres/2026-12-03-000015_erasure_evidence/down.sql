ALTER TABLE devices DROP COLUMN weight_kg;
ALTER TABLE devices DROP CONSTRAINT devices_locked_reason_check2;
ALTER TABLE devices DROP COLUMN locked_reason;
ALTER TABLE devices DROP CONSTRAINT devices_state_check;
ALTER TABLE devices ADD CONSTRAINT devices_state_check CHECK (state IN ('pledged', 'received', 'wiped',
    'graded', 'available', 'reserved', 'on_loan', 'returned', 'inspection', 'repair', 'retired', 'lost'));
DROP INDEX erasure_records_device_time_idx;
DELETE FROM erasure_records WHERE method = 'nist_destroy';
ALTER TABLE erasure_records DROP CONSTRAINT erasure_records_method_check;
ALTER TABLE erasure_records ADD CONSTRAINT erasure_records_method_check CHECK (method IN ('nist_clear', 'nist_purge'));
ALTER TABLE erasure_records DROP COLUMN media_serial;
ALTER TABLE erasure_records DROP COLUMN verification_result;
ALTER TABLE erasure_records DROP COLUMN verification_method;
ALTER TABLE erasure_records DROP COLUMN tool_version;
ALTER TABLE erasure_records DROP COLUMN technique;
