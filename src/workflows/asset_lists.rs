//! A donor's asset list for a donation, taken in from CSV (all lines or none; a new list
//! replaces the old), and the donation reconciled against it: each listed serial matched,
//! expected or missing, each received serial not on it unexpected.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::asset_list::{self, HeldDevice, ListedAsset, ReconciledAsset, ReconciliationCounts};
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

/// Takes in the asset list in `csv` for donation `id` as `actor`, in place of any earlier list:
/// 404 if the donation is not the caller's, 422 listing every bad line, else the reconciliation.
pub fn send_list(
    conn: &mut DbConnection,
    id: &str,
    scope: Option<&str>,
    csv: impl std::io::Read,
    actor: &str,
) -> Result<Reconciliation, ApiError> {
    // The donation first: a stranger learns nothing from how their file was read.
    donations::find_visible(conn, id, scope)?;
    let listed = asset_list::parse(csv).map_err(super::imports::BadRows::from_errors)?;
    store::write_tx(conn, |conn| {
        let donation = donations::find_visible(conn, id, scope)?;
        let now = store::now();
        let entries: Vec<asset_lists::NewEntry> = listed
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
        asset_lists::replace(conn, &donation.id, &entries)?;
        reconcile(conn, &donation)
    })
}
