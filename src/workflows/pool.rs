//! Kit coming into the pool: a device released or moved by staff, or back from a reservation
//! nobody picked up, is offered at once to the request that should have it (the same rules as
//! an allocation run; staff still confirm), when `loans.offer_available_kit` is on. The one
//! home of that policy: the device and loan workflows report that kit came back, and this
//! module decides what follows.

use chrono::NaiveDate;

use crate::configuration::Settings;
use crate::error::ApiError;
use crate::store::{self, devices, devices::Device, loans, DbConnection};
use crate::workflows::devices::TransitionRequest;
use crate::workflows::{allocations, devices as device_steps, loans as loan_steps};

/// Offers `device`, just come into the pool, to the request that should have it, in the name
/// of `actor`; `skip_request` is left out (the request whose reservation just lapsed, which
/// keeps its place for the next run). Call inside the transaction that brought the device in.
pub fn came_into_pool(
    conn: &mut DbConnection,
    settings: &Settings,
    device: &str,
    actor: &str,
    today: NaiveDate,
    skip_request: Option<&str>,
) -> Result<(), ApiError> {
    if settings.loans.offer_available_kit {
        allocations::offer_device(conn, settings, device, actor, today, skip_request)?;
    }
    Ok(())
}

/// A step staff take on a device (`workflows::devices::step_by_staff`), in one transaction;
/// a device it brings into the pool is offered on.
pub fn step_by_staff(
    conn: &mut DbConnection,
    settings: &Settings,
    id: &str,
    actor: &str,
    request: &TransitionRequest,
    today: NaiveDate,
) -> Result<Device, ApiError> {
    store::write_tx(conn, |conn| {
        let (moved, into_pool) = device_steps::step_by_staff(conn, settings, id, actor, request, today)?;
        if !into_pool {
            return Ok(moved);
        }
        came_into_pool(conn, settings, id, actor, today, None)?;
        Ok(devices::find(conn, id)?)
    })
}

/// Lapses every reservation past its pick-up day, one transaction each, and offers each device
/// that comes back (in the name of the staff member who confirmed the lapsed loan); returns how
/// many lapsed.
pub fn lapse_overdue_reservations(
    conn: &mut DbConnection,
    settings: &Settings,
    today: NaiveDate,
) -> Result<usize, ApiError> {
    let mut lapsed = 0;
    loop {
        let batch = loans::lapsed_reservations(conn, today, 200)?;
        if batch.is_empty() {
            return Ok(lapsed);
        }
        let mut progressed = false;
        for l in batch {
            let done = store::write_tx(conn, |conn| {
                let Some(loan) = loan_steps::lapse(conn, &l.id, today)? else { return Ok(false) };
                if let Some(device) = &loan.device_id {
                    came_into_pool(conn, settings, device, &loan.created_by, today, Some(&loan.request_id))?;
                }
                Ok::<_, ApiError>(true)
            })?;
            if done {
                lapsed += 1;
                progressed = true;
            }
        }
        if !progressed {
            return Ok(lapsed);
        }
    }
}
