//! Donations and the licences in them, as donors pledge them and staff register them.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::asset_list::ReconciliationCounts;
use crate::domain::device::{donor_stage, DeviceState, DonorStage};
use crate::error::ApiError;
use crate::store::{self, devices, donations, licences, DbConnection};
use crate::workflows::{check_donor, check_hub, donation_for};

/// A pledge, parsed.
pub struct NewPledge {
    pub donor_id: String,
    pub expected_hub_id: Option<String>,
    pub expected_date: Option<NaiveDate>,
    pub note: Option<String>,
    /// The donor lets the kit be given away at a programme's end.
    pub gifts_allowed: bool,
}

/// Registers a donation pledged by `pledge.donor_id`, as `actor`.
pub fn pledge(
    conn: &mut DbConnection,
    pledge: NewPledge,
    actor: &str,
) -> Result<donations::Donation, ApiError> {
    store::write_tx(conn, |conn| {
        check_donor(conn, &pledge.donor_id)?;
        if let Some(hub) = &pledge.expected_hub_id {
            check_hub(conn, "expected_hub_id", hub)?;
        }
        let now = store::now();
        let id = store::new_id();
        let new = donations::NewDonation {
            id: &id,
            donor_id: &pledge.donor_id,
            expected_hub_id: pledge.expected_hub_id.as_deref(),
            expected_date: pledge.expected_date,
            note: pledge.note.as_deref(),
            state: "pledged",
            gifts_allowed: pledge.gifts_allowed,
            created_by: actor,
            created_at: now,
            updated_at: now,
        };
        Ok(donations::insert(conn, &new)?)
    })
}

/// The donor (`donor_scope`: only their own) or staff change whether a donation's kit may be
/// given away. Gifts offered already stand: the student was told.
pub fn set_gifts_allowed(
    conn: &mut DbConnection,
    id: &str,
    donor_scope: Option<&str>,
    allowed: bool,
) -> Result<donations::Donation, ApiError> {
    store::write_tx(conn, |conn| {
        donations::find_visible(conn, id, donor_scope)?;
        donations::set_gifts_allowed(conn, id, allowed, store::now())?;
        Ok(donations::find(conn, id)?)
    })
}

/// A licence, parsed.
pub struct NewLicence {
    pub product: String,
    pub vendor: String,
    pub seats: i32,
    pub expires_on: Option<NaiveDate>,
    pub key: String,
    pub donation_id: String,
}

/// Registers a licence in a donation (of `scope`'s donor; any for staff).
pub fn add_licence(
    conn: &mut DbConnection,
    licence: NewLicence,
    scope: Option<&str>,
) -> Result<licences::Licence, ApiError> {
    store::write_tx(conn, |conn| {
        let donation = donation_for(conn, &licence.donation_id, scope)?;
        let now = store::now();
        let id = store::new_id();
        let new = licences::NewLicence {
            id: &id,
            product: &licence.product,
            vendor: &licence.vendor,
            seats: licence.seats,
            expires_on: licence.expires_on,
            licence_key: &licence.key,
            donation_id: &donation.id,
            donor_id: &donation.donor_id,
            created_at: now,
            updated_at: now,
        };
        Ok(licences::insert(conn, &new)?)
    })
}

/// How many of the donation's items are at each stage.
#[derive(Debug, Default, Clone, Serialize, ToSchema)]
pub struct DonationContents {
    pub pledged: i64,
    pub received: i64,
    /// Held until the donor removes a lock (a firmware password, device management, …).
    pub locked: i64,
    pub being_prepared: i64,
    pub in_service: i64,
    pub retired: i64,
    /// Given to a student to keep, at the end of their programme.
    pub gifted: i64,
    pub licences: i64,
}

impl DonationContents {
    /// Devices of every stage together.
    pub fn devices(&self) -> i64 {
        self.pledged
            + self.received
            + self.locked
            + self.being_prepared
            + self.in_service
            + self.retired
            + self.gifted
    }
}

/// Donation `id`'s items counted by the donor's stage.
pub fn contents(conn: &mut DbConnection, id: &str) -> Result<DonationContents, ApiError> {
    let (by_state, licences) = donations::contents(conn, id)?;
    let mut c = DonationContents { licences, ..DonationContents::default() };
    for (state, n) in by_state {
        let state = DeviceState::parse(&state).ok_or_else(|| ApiError::internal("unknown device state"))?;
        *match donor_stage(state) {
            DonorStage::Pledged => &mut c.pledged,
            DonorStage::Received => &mut c.received,
            DonorStage::Locked => &mut c.locked,
            DonorStage::BeingPrepared => &mut c.being_prepared,
            DonorStage::InService => &mut c.in_service,
            DonorStage::Retired => &mut c.retired,
            DonorStage::Gifted => &mut c.gifted,
        } += n;
    }
    Ok(c)
}

/// A device as its donor follows it: what it is and its stage, never who holds it.
#[derive(Debug, Clone, Serialize)]
pub struct DonatedItem {
    pub id: String,
    pub asset_tag: String,
    pub kind: String,
    pub model: String,
    pub serial_number: String,
    pub stage: DonorStage,
}

/// A donated licence, without its key.
#[derive(Debug, Clone, Serialize)]
pub struct DonatedLicence {
    pub product: String,
    pub vendor: String,
    pub seats: i32,
    pub seats_in_use: i32,
    pub expires_on: Option<NaiveDate>,
}

/// A pledge as its donor reads it.
#[derive(Debug, Clone, Serialize)]
pub struct PledgeView {
    pub id: String,
    /// `pledged` or `received`.
    pub state: String,
    pub expected_date: Option<NaiveDate>,
    pub note: Option<String>,
    pub pledged_on: NaiveDate,
    pub received_on: Option<NaiveDate>,
    pub gifts_allowed: bool,
}

impl PledgeView {
    fn of(d: &donations::Donation) -> PledgeView {
        PledgeView {
            id: d.id.clone(),
            state: d.state.clone(),
            expected_date: d.expected_date,
            note: d.note.clone(),
            pledged_on: d.created_at.date(),
            received_on: d.received_at.map(|t| t.date()),
            gifts_allowed: d.gifts_allowed,
        }
    }
}

/// One donation as its donor sees it: the pledge, its items by stage and its licences.
#[derive(Debug, Clone, Serialize)]
pub struct DonationFile {
    pub donation: PledgeView,
    pub hub: Option<String>,
    pub contents: DonationContents,
    /// Up to `limit` devices after `after`, in a stable order.
    pub items: Vec<DonatedItem>,
    /// Where the next page of items starts, if there is one.
    pub next: Option<String>,
    pub licences: Vec<DonatedLicence>,
    /// How the donor's asset list stands, once they sent one.
    pub asset_list: Option<ReconciliationCounts>,
}

/// Donation `id` of `scope`'s donor (any for staff), or 404.
pub fn donation_file(
    conn: &mut DbConnection,
    id: &str,
    scope: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<DonationFile, ApiError> {
    let donation = donations::find_visible(conn, id, scope)?;
    let hub = match &donation.expected_hub_id {
        Some(hub) => Some(store::hubs::find(conn, hub)?.name),
        None => None,
    };
    let contents = contents(conn, id)?;
    let filter = devices::DeviceFilter { donation_id: Some(donation.id.clone()), ..Default::default() };
    let mut rows = devices::list(conn, &filter, after, limit + 1)?;
    let next = (rows.len() as i64 > limit).then(|| {
        rows.truncate(limit as usize);
        rows.last().map(|d| d.id.clone())
    });
    let items = rows
        .into_iter()
        .map(|d| {
            let state =
                DeviceState::parse(&d.state).ok_or_else(|| ApiError::internal("unknown device state"))?;
            Ok(DonatedItem {
                id: d.id,
                asset_tag: d.asset_tag,
                kind: d.kind,
                model: d.model,
                serial_number: d.serial_number,
                stage: donor_stage(state),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let filter = licences::LicenceFilter { donation_id: Some(donation.id.clone()), ..Default::default() };
    let licences = licences::list(conn, &filter, None, 500)?
        .into_iter()
        .map(|l| DonatedLicence {
            product: l.product,
            vendor: l.vendor,
            seats: l.seats,
            seats_in_use: l.seats_in_use,
            expires_on: l.expires_on,
        })
        .collect();
    let reconciled = super::asset_lists::reconciliation(conn, &donation.id, scope)?;
    let asset_list = reconciled.uploaded_at.map(|_| reconciled.counts);
    Ok(DonationFile {
        donation: PledgeView::of(&donation),
        hub,
        contents,
        items,
        next: next.flatten(),
        licences,
        asset_list,
    })
}

/// A donor's donations, newest first, each with its contents.
pub fn donations_of(
    conn: &mut DbConnection,
    donor_id: &str,
    limit: i64,
) -> Result<Vec<(PledgeView, DonationContents)>, ApiError> {
    let mut rows = donations::list(conn, Some(donor_id), None, None, limit)?;
    rows.sort_by_key(|d| std::cmp::Reverse(d.created_at));
    rows.into_iter()
        .map(|d| {
            let c = contents(conn, &d.id)?;
            Ok((PledgeView::of(&d), c))
        })
        .collect()
}
