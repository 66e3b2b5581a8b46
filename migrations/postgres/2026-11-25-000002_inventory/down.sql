DROP TABLE licences;
DROP TABLE erasure_records;
DROP TABLE device_events;
DROP TABLE devices;
DROP TABLE counters;
DROP TABLE donations;
