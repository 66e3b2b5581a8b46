-- A student's kit is broken but not lost: a fault report on the loan, which staff see in a
-- queue, so the student gets a replacement instead of dropping out. One open report per loan
-- (a second press of the button finds the first). The description is the student's own words:
-- erased with them.
CREATE TABLE fault_reports (
    id TEXT PRIMARY KEY NOT NULL,
    loan_id TEXT NOT NULL REFERENCES loans (id),
    device_id TEXT REFERENCES devices (id),
    reported_by TEXT NOT NULL REFERENCES users (id),
    description TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'resolved')),
    created_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP
);
CREATE UNIQUE INDEX fault_reports_one_open_per_loan ON fault_reports (loan_id) WHERE state = 'open';
CREATE INDEX fault_reports_state_idx ON fault_reports (state, created_at);
