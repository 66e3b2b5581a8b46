//! `/api/v1/devices`: laptops and wi-fi dongles, from pledge to retirement. One file per
//! action: registering and reading, lifecycle transitions, CSV import, printable labels.

mod crud;
mod import;
mod label;
mod transitions;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::device::{
    allowed_actions, donor_stage, DeviceAction, DeviceKind, DeviceState, DonorStage, Grade,
};
use crate::error::ApiError;
use crate::store::devices::Device;
use crate::workflows::devices::kind_and_state;

pub fn config(cfg: &mut ServiceConfig) {
    // The import route comes before `/devices/{id}` routes so "import" is never read as an id.
    cfg.service(import::import_devices)
        .service(crud::create_device)
        .service(crud::list_devices)
        .service(crud::get_device)
        .service(transitions::transition_device)
        .service(transitions::device_history)
        .service(label::device_label);
}

/// A device as pool staff and its donor see it. Never who holds it; a donor sees only its
/// coarse `stage`, not its state or when it last changed (either would show a hand-over).
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceView {
    pub id: uuid::Uuid,
    pub kind: DeviceKind,
    pub serial_number: String,
    /// Printed on the label, e.g. `DPL-000042`.
    pub asset_tag: String,
    pub model: String,
    /// Pool staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<DeviceState>,
    /// The stage a donor is shown: pledged, received, being_prepared, in_service, retired.
    pub stage: DonorStage,
    /// Pool staff: what may be done next.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_actions: Option<Vec<DeviceAction>>,
    pub grade: Option<Grade>,
    pub hub_id: Option<uuid::Uuid>,
    pub donation_id: uuid::Uuid,
    pub donor_id: uuid::Uuid,
    pub ram_gb: Option<i32>,
    pub storage_gb: Option<i32>,
    pub cpu: Option<String>,
    pub screen_inches: Option<f64>,
    pub os: Option<String>,
    pub keyboard_layout: Option<String>,
    pub charger_included: Option<bool>,
    pub carrier: Option<String>,
    pub data_allowance_gb: Option<i32>,
    pub plan_ends_on: Option<NaiveDate>,
    /// Where it was weighed.
    pub weight_kg: Option<f64>,
    /// Accessories that did not come back from a loan; the next loan hands over the rest.
    pub missing_accessories: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// Pool staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl DeviceView {
    pub fn from_row(d: Device, for_staff: bool) -> Result<DeviceView, ApiError> {
        let (kind, state) = kind_and_state(&d)?;
        Ok(DeviceView {
            id: super::stored_id(&d.id)?,
            kind,
            serial_number: d.serial_number,
            asset_tag: d.asset_tag,
            model: d.model,
            state: for_staff.then_some(state),
            stage: donor_stage(state),
            allowed_actions: for_staff
                .then(|| allowed_actions(kind, state).into_iter().filter(|a| !a.is_loan_action()).collect()),
            grade: d.grade.as_deref().and_then(Grade::parse),
            hub_id: d.hub_id.as_deref().map(super::stored_id).transpose()?,
            donation_id: super::stored_id(&d.donation_id)?,
            donor_id: super::stored_id(&d.donor_id)?,
            ram_gb: d.ram_gb,
            storage_gb: d.storage_gb,
            cpu: d.cpu,
            screen_inches: d.screen_inches,
            os: d.os,
            keyboard_layout: d.keyboard_layout,
            charger_included: d.charger_included,
            carrier: d.carrier,
            data_allowance_gb: d.data_allowance_gb,
            plan_ends_on: d.plan_ends_on,
            weight_kg: d.weight_kg,
            missing_accessories: crate::store::json_list::parse(&d.missing_accessories)?,
            created_at: d.created_at.and_utc(),
            updated_at: for_staff.then(|| d.updated_at.and_utc()),
        })
    }
}
