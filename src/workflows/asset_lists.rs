//! A donor's asset list for a donation, taken in from CSV (all lines or none; a new list
//! replaces the old), and the donation reconciled against it: each listed serial matched,
//! expected or missing, each received serial not on it unexpected.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::imports;
use crate::domain::asset_list::{
    self, AssetListCsv, HeldDevice, ListedAsset, ReconciledAsset, ReconciliationCounts,
};
use crate::domain::csv_file::RowError;
use crate::domain::device::DeviceState;
use crate::error::ApiError;
use crate::store::{self, asset_lists, donations, DbConnection};

/// A donation's asset list set against what the pool received.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reconciliation {
    pub donation_id: String,
    /// When the list was sent; `null` while the donor has sent none (then nothing is listed).
    pub uploaded_at: Option<DateTime<Utc>>,
    /// Whether the donation was delivered: from then on a listed serial not received is `missing`.
    pub donation_received: bool,
    pub counts: ReconciliationCounts,
    /// The list's serials in its order, then the unexpected ones.
    pub assets: Vec<ReconciledAsset>,
}

fn reconcile(conn: &mut DbConnection, donation: &donations::Donation) -> Result<Reconciliation, ApiError> {
    let entries = asset_lists::entries(conn, &donation.id)?;
    let uploaded_at = entries.iter().map(|e| e.uploaded_at).max().map(|t| t.and_utc());
    let listed: Vec<ListedAsset> = entries
        .into_iter()
        .map(|e| ListedAsset {
            row: e.line as u64,
            serial: e.serial_number,
            reference: e.reference,
            model: e.model,
        })
        .collect();
    // Without a list there is nothing to set the received devices against.
    let held = if uploaded_at.is_none() {
        Vec::new()
    } else {
        asset_lists::donation_devices(conn, &donation.id)?
            .into_iter()
            .map(|(device_id, asset_tag, serial, state)| {
                let state =
                    DeviceState::parse(&state).ok_or_else(|| ApiError::internal("unknown device state"))?;
                Ok(HeldDevice { device_id, asset_tag, serial: serial.to_uppercase(), state })
            })
            .collect::<Result<Vec<_>, ApiError>>()?
    };
    let received = donation.state == "received";
    let (assets, counts) = asset_list::reconcile(&listed, &held, received);
    Ok(Reconciliation {
        donation_id: donation.id.clone(),
        uploaded_at,
        donation_received: received,
        counts,
        assets,
    })
}

/// Donation `id` (of `scope`'s donor; any for staff) reconciled with its asset list, or 404.
pub fn reconciliation(
    conn: &mut DbConnection,
    id: &str,
    scope: Option<&str>,
) -> Result<Reconciliation, ApiError> {
    let donation = donations::find_visible(conn, id, scope)?;
    reconcile(conn, &donation)
}

fn open(file: &mut std::fs::File) -> Result<AssetListCsv<std::io::BufReader<&std::fs::File>>, ApiError> {
    AssetListCsv::open(imports::read_from_start(file)?).map_err(imports::BadRows::from_errors)
}

/// Takes in the asset list spooled to `upload` for donation `id` as `actor`, in place of any
/// earlier list: 404 if the donation is not the caller's, 422 listing the first bad lines (or
/// saying the file has more lines than it may), else the reconciliation. The file is read
/// twice (see `workflows::imports`), so only a batch of lines is ever held.
pub fn send_list(
    conn: &mut DbConnection,
    id: &str,
    scope: Option<&str>,
    upload: imports::Upload,
    actor: &str,
) -> Result<Reconciliation, ApiError> {
    // The donation first: a stranger learns nothing from how their file was read.
    donations::find_visible(conn, id, scope)?;
    let imports::Upload { mut file, max_rows } = upload;
    let mut list = open(&mut file)?;
    let rows = imports::check_serial_rows(
        || list.next_row(),
        max_rows,
        |a| (a.serial.as_str(), a.row),
        |_| Ok(Vec::new()),
    )?;
    if rows == 0 {
        return Err(imports::unreadable(RowError {
            row: 1,
            field: None,
            message: crate::phrase!("file-no-rows"),
        }));
    }
    let mut list = open(&mut file)?;
    store::write_tx(conn, |conn| {
        let donation = donations::find_visible(conn, id, scope)?;
        let now = store::now();
        asset_lists::clear(conn, &donation.id)?;
        imports::write_in_batches(
            || list.next_row(),
            |batch| {
                let entries: Vec<asset_lists::NewEntry> = batch
                    .iter()
                    .map(|a| asset_lists::NewEntry {
                        donation_id: &donation.id,
                        serial_number: &a.serial,
                        reference: a.reference.as_deref(),
                        model: a.model.as_deref(),
                        line: i32::try_from(a.row).unwrap_or(i32::MAX),
                        uploaded_by: actor,
                        uploaded_at: now,
                    })
                    .collect();
                Ok(asset_lists::insert(conn, &entries)?)
            },
        )?;
        reconcile(conn, &donation)
    })
}
