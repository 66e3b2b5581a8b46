//! A scan session at the staff's desk: one action for device after device, each scan its own
//! transaction through the same guarded step as every other (`pool::step_by_staff`), so two
//! desks scanning the same devices change each once.

use chrono::NaiveDate;

use crate::configuration::Settings;
use crate::error::ApiError;
use crate::store::{devices::Device, DbConnection};
use crate::workflows::devices::{find_by_code, TransitionRequest};
use crate::workflows::pool::step_by_staff;

/// Why a scan was not applied, besides what the step itself refuses.
#[derive(Debug)]
pub enum ScanRefusal {
    /// No device has the code.
    Unknown,
    /// More than one device has it (a serial shared by a laptop and a dongle).
    Ambiguous,
    /// A receive session is for one donation, and the device is in another.
    OtherDonation,
    /// The step refused it (not allowed in the device's state, or a conflict).
    Step(ApiError),
}

/// Applies `request` to the device whose tag or serial is `code`; in a receive session, only to
/// the devices of `donation_id`. The device as it is after the step, with its asset tag.
pub fn scan(
    conn: &mut DbConnection,
    settings: &Settings,
    code: &str,
    donation_id: Option<&str>,
    request: &TransitionRequest,
    actor: &str,
    today: NaiveDate,
) -> Result<Result<Device, (Option<Device>, ScanRefusal)>, ApiError> {
    let found = find_by_code(conn, code)?;
    let device = match found.as_slice() {
        [] => return Ok(Err((None, ScanRefusal::Unknown))),
        [device] => device.clone(),
        _ => return Ok(Err((None, ScanRefusal::Ambiguous))),
    };
    if donation_id.is_some_and(|d| d != device.donation_id) {
        return Ok(Err((Some(device), ScanRefusal::OtherDonation)));
    }
    match step_by_staff(conn, settings, &device.id, actor, request, today) {
        Ok(moved) => Ok(Ok(moved)),
        Err(
            e @ (ApiError::IllegalTransition { .. } | ApiError::Conflict { .. } | ApiError::Validation(_)),
        ) => Ok(Err((Some(device), ScanRefusal::Step(e)))),
        Err(e) => Err(e),
    }
}
