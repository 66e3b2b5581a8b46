DROP INDEX device_events_from_state_idx;
DROP INDEX device_events_to_state_idx;
DROP INDEX requests_needed_by_idx;
DROP INDEX requests_created_idx;
DROP INDEX loans_closed_idx;
DROP INDEX loans_handed_over_idx;
DROP INDEX loans_request_idx;
DROP INDEX allocations_request_idx;
