ALTER TABLE hubs DROP COLUMN opening_hours;
DROP INDEX outbox_lease_idx;
DROP INDEX outbox_dedupe_key;
ALTER TABLE outbox_messages DROP COLUMN dedupe_key;
ALTER TABLE outbox_messages DROP COLUMN lease_until;
ALTER TABLE outbox_messages DROP COLUMN claim_id;
