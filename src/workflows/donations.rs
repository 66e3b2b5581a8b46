//! Donations and the licences in them, as donors pledge them and staff register them.

use chrono::NaiveDate;

use crate::error::ApiError;
use crate::store::{self, donations, licences, DbConnection};
use crate::workflows::{check_donor, check_hub, donation_for};

/// A pledge, parsed.
pub struct NewPledge {
    pub donor_id: String,
    pub expected_hub_id: Option<String>,
    pub expected_date: Option<NaiveDate>,
    pub note: Option<String>,
}

/// Registers a donation pledged by `pledge.donor_id`, as `actor`.
pub fn pledge(
    conn: &mut DbConnection,
    pledge: NewPledge,
    actor: &str,
) -> Result<donations::Donation, ApiError> {
    store::write_tx(conn, |conn| {
        check_donor(conn, &pledge.donor_id)?;
        if let Some(hub) = &pledge.expected_hub_id {
            check_hub(conn, "expected_hub_id", hub)?;
        }
        let now = store::now();
        let id = store::new_id();
        let new = donations::NewDonation {
            id: &id,
            donor_id: &pledge.donor_id,
            expected_hub_id: pledge.expected_hub_id.as_deref(),
            expected_date: pledge.expected_date,
            note: pledge.note.as_deref(),
            state: "pledged",
            created_by: actor,
            created_at: now,
            updated_at: now,
        };
        Ok(donations::insert(conn, &new)?)
    })
}

/// A licence, parsed.
pub struct NewLicence {
    pub product: String,
    pub vendor: String,
    pub seats: i32,
    pub expires_on: Option<NaiveDate>,
    pub key: String,
    pub donation_id: String,
}

/// Registers a licence in a donation (of `scope`'s donor; any for staff).
pub fn add_licence(
    conn: &mut DbConnection,
    licence: NewLicence,
    scope: Option<&str>,
) -> Result<licences::Licence, ApiError> {
    store::write_tx(conn, |conn| {
        let donation = donation_for(conn, &licence.donation_id, scope)?;
        let now = store::now();
        let id = store::new_id();
        let new = licences::NewLicence {
            id: &id,
            product: &licence.product,
            vendor: &licence.vendor,
            seats: licence.seats,
            expires_on: licence.expires_on,
            licence_key: &licence.key,
            donation_id: &donation.id,
            donor_id: &donation.donor_id,
            created_at: now,
            updated_at: now,
        };
        Ok(licences::insert(conn, &new)?)
    })
}
