-- Indexes for the reports. Each report is a handful of aggregate queries over ranges of time;
-- these indexes hold every column those queries read, so the database answers from the index
-- alone (an index-only scan) instead of reading the wide loan rows.
-- Loans by kind and hand-over time: loans per kind in a period (grouped in index order),
-- students reached, loan-days, hand-overs per day.
CREATE INDEX loans_period_idx ON loans (kind, handed_over_at, closed_at, state, due_on, student_id);
-- Loans by closing time: returns and losses in a period.
CREATE INDEX loans_closed_idx ON loans (closed_at, handed_over_at);
-- The loans of one device in order (the time from a return to the next hand-over), and a
-- donor's loans found through their devices and licences.
CREATE INDEX loans_device_history_idx ON loans (device_id, id, handed_over_at, closed_at, state, kind, student_id);
CREATE INDEX loans_licence_idx ON loans (licence_id, handed_over_at, closed_at, student_id);
-- Whether a request's kit was in hand by its needed-by date; a student's loans at their programme's end.
CREATE INDEX loans_request_idx ON loans (request_id, handed_over_at);
CREATE INDEX loans_student_period_idx ON loans (student_id, handed_over_at, closed_at);
-- When a request left the queue (its first proposal).
CREATE INDEX allocations_request_idx ON allocations (request_id, created_at);
CREATE INDEX requests_created_idx ON requests (created_at);
CREATE INDEX requests_needed_by_idx ON requests (kind, needed_by, state);
-- Devices becoming available and stopping being available, for the chart of the pool.
CREATE INDEX device_events_to_state_idx ON device_events (to_state, at);
CREATE INDEX device_events_from_state_idx ON device_events (from_state, at);
