//! Erasure certificates a donor can file: every device of a donation (or one device) with its
//! serial number, its erasure records and its stage, never who holds it. Read-only; the
//! PDF and the CSV are drawn from this by `render::certificate`.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::devices::kind_and_state;
use crate::domain::device::{donor_stage, DonorStage};
use crate::error::ApiError;
use crate::store::{self, devices, donations, organisations, DbConnection};

/// Most devices one certificate lists: a donation is registered in lists of this size too.
const MOST: i64 = 10_000;

/// One erasure record as the certificate shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CertifiedErasure {
    pub performed_at: NaiveDateTime,
    /// `nist_clear`, `nist_purge` or `nist_destroy`.
    pub level: String,
    pub technique: Option<String>,
    pub tool: Option<String>,
    pub tool_version: Option<String>,
    pub verification_method: Option<String>,
    /// `passed` or `failed`; `None` where it was not recorded.
    pub verification_result: Option<String>,
    pub media_serial: Option<String>,
    pub certificate_ref: String,
    /// The pool staff member who recorded it (their work address).
    pub operator: String,
}

/// A device on a certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct CertifiedDevice {
    pub asset_tag: String,
    pub kind: String,
    pub model: String,
    pub serial_number: String,
    pub stage: DonorStage,
    pub erasures: Vec<CertifiedErasure>,
}

/// What a certificate says.
#[derive(Debug, Clone, PartialEq)]
pub struct Certificate {
    pub donor: String,
    pub donation_id: String,
    pub donated_on: chrono::NaiveDate,
    pub issued_at: NaiveDateTime,
    pub devices: Vec<CertifiedDevice>,
}

/// The certificate of donation `id`, for its donor (`donor_scope`) or staff (`None`); another
/// donor's donation is not found.
pub fn for_donation(
    conn: &mut DbConnection,
    id: &str,
    donor_scope: Option<&str>,
) -> Result<Certificate, ApiError> {
    let donation = donations::find_visible(conn, id, donor_scope)?;
    let filter = devices::DeviceFilter { donation_id: Some(donation.id.clone()), ..Default::default() };
    let mut listed = devices::list(conn, &filter, None, MOST)?;
    listed.sort_by(|a, b| a.asset_tag.cmp(&b.asset_tag));
    certificate(conn, &donation, listed)
}

/// The certificate of one device, for its donor or staff.
pub fn for_device(
    conn: &mut DbConnection,
    id: &str,
    donor_scope: Option<&str>,
) -> Result<Certificate, ApiError> {
    let device = devices::find_visible(conn, id, donor_scope)?;
    let donation = donations::find(conn, &device.donation_id)?;
    certificate(conn, &donation, vec![device])
}

fn certificate(
    conn: &mut DbConnection,
    donation: &donations::Donation,
    listed: Vec<devices::Device>,
) -> Result<Certificate, ApiError> {
    let ids: Vec<String> = listed.iter().map(|d| d.id.clone()).collect();
    let mut records: HashMap<String, Vec<devices::ErasureRecord>> = HashMap::new();
    for r in devices::erasure_records(conn, &ids)? {
        records.entry(r.device_id.clone()).or_default().push(r);
    }
    let operators: Vec<String> = records.values().flatten().map(|r| r.operator_id.clone()).collect();
    let operators = store::users::emails(conn, &operators)?;
    let mut certified = Vec::with_capacity(listed.len());
    for d in listed {
        let (_, state) = kind_and_state(&d)?;
        let erasures = records
            .remove(&d.id)
            .unwrap_or_default()
            .into_iter()
            .map(|r| CertifiedErasure {
                operator: operators.get(&r.operator_id).cloned().unwrap_or_default(),
                performed_at: r.performed_at,
                level: r.method,
                technique: r.technique,
                tool: r.tool,
                tool_version: r.tool_version,
                verification_method: r.verification_method,
                verification_result: r.verification_result,
                media_serial: r.media_serial,
                certificate_ref: r.certificate_ref,
            })
            .collect();
        certified.push(CertifiedDevice {
            asset_tag: d.asset_tag,
            kind: d.kind,
            model: d.model,
            serial_number: d.serial_number,
            stage: donor_stage(state),
            erasures,
        });
    }
    Ok(Certificate {
        donor: organisations::find(conn, &donation.donor_id)?.name,
        donation_id: donation.id.clone(),
        donated_on: donation.created_at.date(),
        issued_at: store::now(),
        devices: certified,
    })
}
