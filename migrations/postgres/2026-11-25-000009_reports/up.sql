-- Indexes for the reports: each report is a handful of aggregate queries over ranges of
-- these columns, so they stay quick on a programme-sized database.
CREATE INDEX loans_request_idx ON loans (request_id, handed_over_at);
CREATE INDEX allocations_request_idx ON allocations (request_id, created_at);
CREATE INDEX loans_handed_over_idx ON loans (handed_over_at);
CREATE INDEX loans_closed_idx ON loans (closed_at);
CREATE INDEX requests_created_idx ON requests (created_at);
CREATE INDEX requests_needed_by_idx ON requests (needed_by);
CREATE INDEX device_events_to_state_idx ON device_events (to_state, at);
CREATE INDEX device_events_from_state_idx ON device_events (from_state, at);
