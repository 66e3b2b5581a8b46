//! An erasure tool's report taken in: every row matched on serial number to a device that
//! waits for a wipe, then all applied in one transaction, or none. A passed verification wipes
//! the device; a failed one keeps the record and leaves it to be wiped again or destroyed.

use serde::Serialize;
use utoipa::ToSchema;

use std::collections::HashMap;

use super::devices::{apply_erased_at, kind_and_state, TransitionRequest};
use super::imports;
use crate::domain::csv_file::RowError;
use crate::domain::device::{DeviceState, Verification};
use crate::domain::erasure_report::{ErasureReportCsv, ErasureRow};
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

/// The device of each row of `rows` (one query for them all), or why a row has none.
fn match_rows(
    conn: &mut DbConnection,
    rows: &[ErasureRow],
) -> Result<Result<Vec<String>, Vec<RowError>>, ApiError> {
    let serials: Vec<String> = rows.iter().map(|r| r.serial.clone()).collect();
    let mut by_serial: HashMap<String, Vec<devices::Device>> = HashMap::new();
    for d in devices::with_serials(conn, &serials)? {
        by_serial.entry(d.serial_number.to_uppercase()).or_default().push(d);
    }
    let (mut ids, mut bad) = (Vec::with_capacity(rows.len()), Vec::new());
    for r in rows {
        let found = by_serial.get(&r.serial).map_or(&[][..], Vec::as_slice);
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
    Ok(if bad.is_empty() { Ok(ids) } else { Err(bad) })
}

fn open(file: &mut std::fs::File) -> Result<ErasureReportCsv<std::io::BufReader<&std::fs::File>>, ApiError> {
    ErasureReportCsv::open(imports::read_from_start(file)?).map_err(imports::BadRows::from_errors)
}

/// Takes in the report spooled to `upload` as staff member `actor`: 422 listing the first bad
/// rows (or saying the file has more rows than it may), else each device wiped (or its
/// failed attempt kept) in one transaction. The file is read twice (see `workflows::imports`)
/// and its serials matched a batch at a time.
pub fn take_in(
    conn: &mut DbConnection,
    upload: imports::Upload,
    actor: &str,
) -> Result<ErasureReportResult, ApiError> {
    let imports::Upload { mut file, max_rows } = upload;
    let mut report = open(&mut file)?;
    let rows = imports::checking(conn, |conn| {
        imports::check_serial_rows(
            || report.next_row(),
            max_rows,
            |r| (r.serial.as_str(), r.row),
            |batch| Ok(match_rows(conn, batch)?.err().unwrap_or_default()),
        )
    })?;
    if rows == 0 {
        return Err(imports::unreadable(RowError {
            row: 1,
            field: None,
            message: crate::phrase!("file-no-rows"),
        }));
    }
    let mut report = open(&mut file)?;
    store::write_tx(conn, |conn| {
        let mut result = ErasureReportResult { passed: 0, failed: 0, devices: Vec::with_capacity(rows) };
        imports::write_in_batches(
            || report.next_row(),
            |batch| {
                // A device may have moved on since the check: then nothing is taken in.
                let ids = match_rows(conn, &batch)?.map_err(imports::BadRows::from_errors)?;
                for (r, id) in batch.iter().zip(ids) {
                    let outcome = wipe(conn, r, &id, actor)?;
                    match r.result {
                        Verification::Passed => result.passed += 1,
                        Verification::Failed => result.failed += 1,
                    }
                    result.devices.push(outcome);
                }
                Ok(batch.len())
            },
        )?;
        Ok(result)
    })
}

/// Records row `r` of a report on device `id`.
fn wipe(conn: &mut DbConnection, r: &ErasureRow, id: &str, actor: &str) -> Result<ErasureOutcome, ApiError> {
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
    let device = apply_erased_at(conn, id, actor, &request, Some(r.performed_at))?;
    Ok(ErasureOutcome {
        device_id: device.id,
        asset_tag: device.asset_tag,
        serial_number: device.serial_number,
        verification_result: r.result,
        state: device.state,
    })
}
