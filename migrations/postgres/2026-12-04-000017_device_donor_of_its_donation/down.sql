ALTER TABLE devices
    DROP CONSTRAINT devices_donation_donor_fkey,
    ADD CONSTRAINT devices_donation_id_fkey FOREIGN KEY (donation_id) REFERENCES donations (id),
    ADD CONSTRAINT devices_donor_id_fkey FOREIGN KEY (donor_id) REFERENCES organisations (id);
DROP INDEX donations_id_donor_key;
