//! A scan session at the staff's desk: one action for device after device, each scan its own
//! transaction through the same guarded step as every other (`pool::step_by_staff`), so two
//! desks scanning the same devices change each once. A return session takes kit back through
//! the returns counter's own step (`returns::take_back_one`).
//! A class set's hand-over session checks each scanned device is held for the set.

use chrono::NaiveDate;

use crate::configuration::{LoanSettings, Settings};
use crate::error::ApiError;
use crate::store::{class_sets, devices, devices::Device, DbConnection};
use crate::workflows::devices::{find_by_code, TransitionRequest};
use crate::workflows::loans::{ReturnCondition, ReturnRecord};
use crate::workflows::pool::step_by_staff;
use crate::workflows::returns::{out_by_code, take_back_one};

/// Why a scan was not applied, besides what the step itself refuses.
#[derive(Debug)]
pub enum ScanRefusal {
    /// No device has the code.
    Unknown,
    /// More than one device has it (a serial shared by a laptop and a dongle).
    Ambiguous,
    /// A receive session is for one donation, and the device is in another.
    OtherDonation,
    /// A return session, and the device is not out on a loan.
    NotOnLoan,
    /// A class set's hand-over, and the device is not held for that set.
    NotInSet,
    /// Scanned already in this session.
    Twice,
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

/// Takes back the kit on loan (a student's or a class set's) with the device whose tag or
/// serial is `code`, as it came back complete (everything lent ticked off) in `condition`: the
/// loan closes and the device waits in inspection (`returns::take_back_one`). Kit with
/// something missing goes to the returns counter.
pub fn scan_return(
    conn: &mut DbConnection,
    settings: &LoanSettings,
    code: &str,
    condition: ReturnCondition,
    actor: &str,
    today: NaiveDate,
) -> Result<Result<Device, (Option<Device>, ScanRefusal)>, ApiError> {
    let at = match out_by_code(conn, code) {
        Ok(at) => at,
        Err(ApiError::NotFound) => {
            let device = find_by_code(conn, code)?.into_iter().next();
            let refusal = if device.is_some() { ScanRefusal::NotOnLoan } else { ScanRefusal::Unknown };
            return Ok(Err((device, refusal)));
        }
        Err(e) => return Err(e),
    };
    let record = ReturnRecord { condition, notes: None, accessories_returned: Some(at.accessories.clone()) };
    match take_back_one(conn, settings, &at, record, actor, today) {
        Ok(_) => Ok(Ok(devices::find(conn, &at.device_id)?)),
        // Another desk took it back first.
        Err(ApiError::IllegalTransition { .. } | ApiError::Conflict { .. } | ApiError::Validation(_)) => {
            Ok(Err((Some(devices::find(conn, &at.device_id)?), ScanRefusal::NotOnLoan)))
        }
        Err(e) => Err(e),
    }
}

/// A scan before a class set's hand-over: the device whose tag or serial is `code` must be
/// held for set `set_id`. Nothing changes; the hand-over at the end of the session does.
pub fn scan_for_set(
    conn: &mut DbConnection,
    set_id: &str,
    code: &str,
) -> Result<Result<Device, (Option<Device>, ScanRefusal)>, ApiError> {
    let found = find_by_code(conn, code)?;
    for device in &found {
        if class_sets::open_loan_of_device(conn, &device.id, "reserved")?
            .is_some_and(|l| l.class_set_id == set_id)
        {
            return Ok(Ok(device.clone()));
        }
    }
    let device = found.into_iter().next();
    let refusal = if device.is_some() { ScanRefusal::NotInSet } else { ScanRefusal::Unknown };
    Ok(Err((device, refusal)))
}
