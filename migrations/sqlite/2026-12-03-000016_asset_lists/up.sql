-- A donor's asset list: the serial numbers they say they hand over with a donation, from their
-- own asset register, so the pool can reconcile what arrived. Sending a new list replaces the
-- old one. Serials are stored in upper case, as devices store them.
CREATE TABLE asset_list_entries (
    donation_id TEXT NOT NULL REFERENCES donations (id),
    serial_number TEXT NOT NULL,
    reference TEXT,
    model TEXT,
    line INTEGER NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    uploaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (donation_id, serial_number)
);
