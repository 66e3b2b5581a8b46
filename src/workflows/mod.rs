//! Use cases that combine domain rules and the store in one transaction, shared by the HTTP
//! handlers, the command line and the demo data: registering devices, moving a device through
//! its lifecycle, and checking that a referenced hub, donor or donation exists.

pub mod accounts;
pub mod allocations;
pub mod asset_lists;
pub mod certificates;
pub mod class_list;
pub mod class_sets;
pub mod devices;
pub mod donations;
pub mod erasure_reports;
pub mod fault_reports;
pub mod gifts;
pub mod handovers;
pub mod housekeeping;
pub mod hubs;
pub mod imports;
pub mod in_use;
pub mod loans;
pub mod matching_rules;
pub mod my_kit;
pub mod organisations;
pub mod pool;
pub mod queues;
pub mod reports;
pub mod requests;
pub mod returns;
pub mod rounds;
pub mod scans;
pub mod sessions;
pub mod sign_in;
pub mod students;
pub mod tracks;

use crate::domain::OrganisationKind;
use crate::error::ApiError;
use crate::store::{self, DbConnection};

/// 422 (naming `field`) unless `id` names an organisation of `kind`.
pub fn check_organisation(
    conn: &mut DbConnection,
    field: &str,
    id: &str,
    kind: OrganisationKind,
) -> Result<(), ApiError> {
    match store::organisations::find(conn, id) {
        Ok(org) if org.kind == kind.as_str() => Ok(()),
        Ok(_) => {
            Err(ApiError::invalid(field, crate::phrase!("field-organisation-kind", kind = kind.as_str())))
        }
        Err(diesel::result::Error::NotFound) => {
            Err(ApiError::invalid(field, crate::phrase!("field-no-such-organisation")))
        }
        Err(e) => Err(e.into()),
    }
}

/// 422 unless `id` names a donor organisation.
pub fn check_donor(conn: &mut DbConnection, id: &str) -> Result<(), ApiError> {
    check_organisation(conn, "donor_id", id, OrganisationKind::Donor)
}

/// 422 unless `id` names a school.
pub fn check_school(conn: &mut DbConnection, id: &str) -> Result<(), ApiError> {
    check_organisation(conn, "school_id", id, OrganisationKind::School)
}

/// 422 unless `id` names a hub.
pub fn check_hub(conn: &mut DbConnection, field: &str, id: &str) -> Result<(), ApiError> {
    match store::hubs::find(conn, id) {
        Ok(_) => Ok(()),
        Err(diesel::result::Error::NotFound) => {
            Err(ApiError::invalid(field, crate::phrase!("field-no-such-hub")))
        }
        Err(e) => Err(e.into()),
    }
}

/// The donation that new items join, checked against the caller's scope: another donor's
/// donation reads as missing (422 naming `donation_id`).
pub fn donation_for(
    conn: &mut DbConnection,
    donation_id: &str,
    scope: Option<&str>,
) -> Result<store::donations::Donation, ApiError> {
    match store::donations::find_visible(conn, donation_id, scope) {
        Ok(d) => Ok(d),
        Err(diesel::result::Error::NotFound) => {
            Err(ApiError::invalid("donation_id", crate::phrase!("field-no-such-donation")))
        }
        Err(e) => Err(e.into()),
    }
}
