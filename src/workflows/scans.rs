//! A scan session at the staff's desk: one action for device after device, each scan its own
//! transaction through the same guarded step as every other (`pool::step_by_staff`), so two
//! desks scanning the same devices change each once. A return session takes kit back through
//! the returns counter's own step (`loans::take_back`), or a class set's (`class_sets::take_back`).
//! A class set's hand-over session checks each scanned device is held for the set.

use chrono::NaiveDate;

use crate::configuration::{LoanSettings, Settings};
use crate::error::ApiError;
use crate::store::{class_sets, devices, devices::Device, json_list, DbConnection};
use crate::workflows::class_sets::{self as set_steps, SetReturn};
use crate::workflows::devices::{find_by_code, TransitionRequest};
use crate::workflows::loans::{on_loan_by_code, take_back, ReturnCondition, ReturnRecord};
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

/// Takes back the kit on loan with the device whose tag or serial is `code`, as it came back
/// complete (everything lent ticked off) in `condition`: the loan closes and the device waits
/// in inspection (`loans::take_back`). Kit with something missing goes to the returns counter.
pub fn scan_return(
    conn: &mut DbConnection,
    settings: &LoanSettings,
    code: &str,
    condition: ReturnCondition,
    actor: &str,
    today: NaiveDate,
) -> Result<Result<Device, (Option<Device>, ScanRefusal)>, ApiError> {
    let on_loan = match on_loan_by_code(conn, code) {
        Ok(on_loan) => on_loan,
        Err(ApiError::NotFound) => return scan_set_return(conn, code, condition, actor, today),
        Err(e) => return Err(e),
    };
    let record = ReturnRecord { condition, notes: None, accessories_returned: Some(on_loan.accessories) };
    match take_back(conn, settings, &on_loan.loan_id, actor, &record, today) {
        Ok(_) => Ok(Ok(devices::find(conn, &on_loan.device_id)?)),
        // Another desk took it back first.
        Err(ApiError::IllegalTransition { .. } | ApiError::Conflict { .. }) => {
            Ok(Err((Some(devices::find(conn, &on_loan.device_id)?), ScanRefusal::NotOnLoan)))
        }
        Err(e) => Err(e),
    }
}

/// A return scan of a device that is not on a student's loan: if it is out with a class set,
/// it comes back to that set, complete, in `condition` (`class_sets::take_back`).
fn scan_set_return(
    conn: &mut DbConnection,
    code: &str,
    condition: ReturnCondition,
    actor: &str,
    today: NaiveDate,
) -> Result<Result<Device, (Option<Device>, ScanRefusal)>, ApiError> {
    let found = find_by_code(conn, code)?;
    for device in &found {
        let Some(l) = class_sets::open_loan_of_device(conn, &device.id, "active")? else { continue };
        let back = SetReturn {
            device_id: device.id.clone(),
            condition,
            accessories_returned: Some(json_list::parse(&l.accessories)?),
        };
        return match set_steps::take_back(conn, &l.class_set_id, actor, &[back], today) {
            Ok(_) => Ok(Ok(devices::find(conn, &device.id)?)),
            Err(ApiError::IllegalTransition { .. } | ApiError::Conflict { .. } | ApiError::Validation(_)) => {
                Ok(Err((Some(devices::find(conn, &device.id)?), ScanRefusal::NotOnLoan)))
            }
            Err(e) => Err(e),
        };
    }
    let device = found.into_iter().next();
    let refusal = if device.is_some() { ScanRefusal::NotOnLoan } else { ScanRefusal::Unknown };
    Ok(Err((device, refusal)))
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
