-- Delivery of the outbox by any number of server instances: a worker claims due rows for a
-- lease (claim_id, lease_until); a row whose lease ran out (its worker died) is due again.
-- dedupe_key makes a message one of a kind (a reminder per loan and milestone), whatever the
-- number of schedulers.
ALTER TABLE outbox_messages ADD COLUMN claim_id TEXT;
ALTER TABLE outbox_messages ADD COLUMN lease_until TIMESTAMP;
ALTER TABLE outbox_messages ADD COLUMN dedupe_key TEXT;
CREATE UNIQUE INDEX outbox_dedupe_key ON outbox_messages (dedupe_key);
CREATE INDEX outbox_lease_idx ON outbox_messages (state, lease_until);

-- When a hub is open, for the message that kit is ready to pick up.
ALTER TABLE hubs ADD COLUMN opening_hours TEXT;
