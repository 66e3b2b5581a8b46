-- A device's donor is its donation's donor. One composite key says so and replaces two:
-- PostgreSQL checks each foreign key with a query per inserted row, so an import now checks
-- one fewer per device. The donor is still an organisation, through the donation's own key.
CREATE UNIQUE INDEX donations_id_donor_key ON donations (id, donor_id);
ALTER TABLE devices
    DROP CONSTRAINT devices_donation_id_fkey,
    DROP CONSTRAINT devices_donor_id_fkey,
    ADD CONSTRAINT devices_donation_donor_fkey FOREIGN KEY (donation_id, donor_id) REFERENCES donations (id, donor_id);
