//! An erasure tool's report taken in: every row matched on serial number to a device that
//! waits for a wipe, then all applied in one transaction, or none. A passed verification wipes
//! the device; a failed one keeps the record and leaves it to be wiped again or destroyed.

use serde::Serialize;
use utoipa::ToSchema;

use super::devices::{apply_erased_at, kind_and_state, TransitionRequest};
use crate::domain::device::{DeviceState, Verification};
use crate::domain::device_import::RowError;
use crate::domain::erasure_report::{self, ErasureRow};
use crate::error::ApiError;
use crate::store::{self, devices, DbConnection};

/// One device as the report left it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErasureOutcome {
    pub device_id: String,
    pub asset_tag: String,
    pub serial_number: String,
    pub verification_result: Verification,
    /// `wiped`, or where it stayed after a failed check.
    pub state: String,
}

/// What a report did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErasureReportResult {
    pub passed: usize,
    pub failed: usize,
    pub devices: Vec<ErasureOutcome>,
}

/// The device of each row, or why a row has none.
fn match_rows(conn: &mut DbConnection, rows: &[ErasureRow]) -> Result<Vec<String>, ApiError> {
    let (mut ids, mut bad) = (Vec::with_capacity(rows.len()), Vec::new());
    for r in rows {
        let filter = devices::DeviceFilter { q: Some(r.serial.clone()), ..Default::default() };
        let found: Vec<_> = devices::list(conn, &filter, None, 5)?
            .into_iter()
            .filter(|d| d.serial_number.to_uppercase() == r.serial)
            .collect();
        let waiting: Vec<_> = found
            .iter()
            .filter(|d| {
                kind_and_state(d)
                    .is_ok_and(|(_, s)| matches!(s, DeviceState::Received | DeviceState::Inspection))
            })
            .collect();
        let serial = r.serial.as_str();
        match (waiting.as_slice(), found.first()) {
            ([one], _) => ids.push(one.id.clone()),
            ([], Some(d)) => bad.push(RowError {
                row: r.row,
                field: Some("serial".into()),
                message: crate::phrase!("row-device-not-wipeable", serial = serial, state = d.state.as_str()),
            }),
            _ => bad.push(RowError {
                row: r.row,
                field: Some("serial".into()),
                message: crate::phrase!("row-no-device-to-wipe", serial = serial),
            }),
        }
    }
    if bad.is_empty() {
        Ok(ids)
    } else {
        Err(super::imports::BadRows::from_errors(bad))
    }
}

/// Takes in the report in `csv` as staff member `actor`: 422 listing every bad row, else each
/// device wiped (or its failed attempt kept) in one transaction.
pub fn take_in(
    conn: &mut DbConnection,
    csv: impl std::io::Read,
    actor: &str,
) -> Result<ErasureReportResult, ApiError> {
    let rows = erasure_report::parse(csv).map_err(super::imports::BadRows::from_errors)?;
    store::write_tx(conn, |conn| {
        let ids = match_rows(conn, &rows)?;
        let mut result =
            ErasureReportResult { passed: 0, failed: 0, devices: Vec::with_capacity(rows.len()) };
        for (r, id) in rows.iter().zip(ids) {
            let certificate_ref = r
                .certificate_ref
                .clone()
                .unwrap_or_else(|| format!("{} {}", r.tool, r.performed_at.format("%Y-%m-%dT%H:%M:%SZ")));
            let request = TransitionRequest::Wipe {
                method: r.method,
                certificate_ref,
                tool: Some(r.tool.clone()),
                tool_version: r.tool_version.clone(),
                technique: Some(r.technique.clone()),
                verification_method: r.verification_method.clone(),
                verification_result: Some(r.result),
                media_serial: r.media_serial.clone(),
                note: None,
            }
            .checked()?;
            let device = apply_erased_at(conn, &id, actor, &request, Some(r.performed_at))?;
            match r.result {
                Verification::Passed => result.passed += 1,
                Verification::Failed => result.failed += 1,
            }
            result.devices.push(ErasureOutcome {
                device_id: device.id,
                asset_tag: device.asset_tag,
                serial_number: device.serial_number,
                verification_result: r.result,
                state: device.state,
            });
        }
        Ok(result)
    })
}
