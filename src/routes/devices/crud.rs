//! Registering, listing and reading devices.

use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::DeviceView;
use crate::domain::device::{donor_stage, DeviceKind, DeviceState, DonorStage, Grade};
use crate::domain::device_spec::{DeviceFields, DeviceSpec};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::pagination::{page, Page, PageQuery};
use crate::state::AppState;
use crate::store::devices;
use crate::workflows::devices::register_one;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDevice {
    pub kind: DeviceKind,
    #[schema(min_length = 1, max_length = 64, pattern = "^\\s*[A-Za-z0-9_./-]+\\s*$")]
    pub serial_number: String,
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub model: String,
    /// The donation this device is part of (a donor's own).
    pub donation_id: uuid::Uuid,
    /// Where it is or will be; defaults to the donation's expected hub.
    pub hub_id: Option<uuid::Uuid>,
    /// Laptops: memory in GB (required).
    #[schema(minimum = 1, maximum = 1024)]
    pub ram_gb: Option<i32>,
    /// Laptops: storage in GB (required).
    #[schema(minimum = 1, maximum = 65536)]
    pub storage_gb: Option<i32>,
    /// Laptops: CPU class, e.g. "Intel Core i5 (11th gen)".
    #[schema(max_length = 100)]
    pub cpu: Option<String>,
    #[schema(minimum = 7, maximum = 21)]
    pub screen_inches: Option<f64>,
    #[schema(max_length = 100)]
    pub os: Option<String>,
    #[schema(max_length = 40)]
    pub keyboard_layout: Option<String>,
    pub charger_included: Option<bool>,
    /// Dongles: mobile network.
    #[schema(max_length = 100)]
    pub carrier: Option<String>,
    /// Dongles: data per month in GB.
    #[schema(minimum = 0, maximum = 100000)]
    pub data_allowance_gb: Option<i32>,
    /// Dongles: last day of the data plan.
    pub plan_ends_on: Option<NaiveDate>,
    /// Weight in kg, where it was weighed; the environmental figures use a default otherwise.
    #[schema(minimum = 0.01, maximum = 20)]
    pub weight_kg: Option<f64>,
}

impl CreateDevice {
    fn fields(&self) -> DeviceFields {
        DeviceFields {
            kind: Some(self.kind),
            serial_number: Some(self.serial_number.clone()),
            model: Some(self.model.clone()),
            ram_gb: self.ram_gb,
            storage_gb: self.storage_gb,
            cpu: self.cpu.clone(),
            screen_inches: self.screen_inches,
            os: self.os.clone(),
            keyboard_layout: self.keyboard_layout.clone(),
            charger_included: self.charger_included,
            carrier: self.carrier.clone(),
            data_allowance_gb: self.data_allowance_gb,
            plan_ends_on: self.plan_ends_on,
            weight_kg: self.weight_kg,
        }
    }
}

/// Register one device of a donation.
#[utoipa::path(
    tag = "devices",
    request_body = CreateDevice,
    responses(
        SignedIn, JsonBody,
        (status = 201, description = "Registered as pledged", body = DeviceView, headers(("Location" = String))),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The serial number is in the pool already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/devices")]
pub async fn create_device(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<CreateDevice>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.donor_scope()?;
    let spec = DeviceSpec::parse(&body.0.fields())?;
    let donation_id = body.0.donation_id.to_string();
    let hub_id = body.0.hub_id.map(|h| h.to_string());
    let actor = auth.id.clone();
    let for_staff = scope.is_none();
    let device = state
        .db(move |conn| {
            register_one(conn, &donation_id, scope.as_deref(), hub_id.as_deref(), spec, &actor, "api")
        })
        .await?;
    let view = DeviceView::from_row(device, for_staff)?;
    Ok(crate::routes::created(format!("/api/v1/devices/{}", view.id), &view))
}

#[derive(Debug, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeviceQuery {
    pub kind: Option<DeviceKind>,
    /// Pool staff only: a donor filters by `stage`.
    pub state: Option<DeviceState>,
    /// Devices at this stage (what a donor sees).
    pub stage: Option<DonorStage>,
    pub hub_id: Option<uuid::Uuid>,
    /// Pool staff: one donor's devices (a donor always sees only their own).
    pub donor_id: Option<uuid::Uuid>,
    pub donation_id: Option<uuid::Uuid>,
    pub grade: Option<Grade>,
    /// Laptops with at least this much memory.
    #[param(minimum = 0)]
    pub min_ram_gb: Option<i32>,
    /// An asset tag or serial number, exactly (any case).
    pub q: Option<String>,
}

/// List devices with filters: pool staff see all, a donor their own.
#[utoipa::path(
    tag = "devices",
    params(PageQuery, DeviceQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "A page of devices", body = Page<DeviceView>),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor, or a donor filtering by state", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/devices")]
pub async fn list_devices(
    state: web::Data<AppState>,
    auth: AuthUser,
    paging: web::Query<PageQuery>,
    query: web::Query<DeviceQuery>,
) -> Result<web::Json<Page<DeviceView>>, ApiError> {
    let scope = auth.donor_scope()?;
    let (limit, after) = (paging.limit()?, paging.after()?);
    let for_staff = scope.is_none();
    let q = query.into_inner();
    if !for_staff && q.state.is_some() {
        return Err(ApiError::invalid("state", crate::phrase!("field-donor-state-filter")));
    }
    let filter = devices::DeviceFilter {
        kind: q.kind.map(|k| k.as_str().to_owned()),
        state: q.state.map(|s| s.as_str().to_owned()),
        states: q.stage.map(|stage| {
            DeviceState::ALL
                .iter()
                .filter(|s| donor_stage(**s) == stage)
                .map(|s| s.as_str().to_owned())
                .collect()
        }),
        hub_id: q.hub_id.map(|h| h.to_string()),
        donor_id: scope.or(q.donor_id.map(|d| d.to_string())),
        donation_id: q.donation_id.map(|d| d.to_string()),
        grade: q.grade.map(|g| g.as_str().to_owned()),
        min_ram_gb: q.min_ram_gb,
        q: q.q.map(|v| v.trim().to_uppercase()).filter(|v| !v.is_empty()),
    };
    let rows = state
        .db(move |conn| devices::list(conn, &filter, after.as_deref(), limit + 1).map_err(Into::into))
        .await?;
    Ok(web::Json(crate::routes::try_page(page(
        rows,
        limit,
        |d| d.id.as_str(),
        |d| DeviceView::from_row(d, for_staff),
    ))?))
}

/// Read one device.
#[utoipa::path(
    tag = "devices",
    params(("id" = uuid::Uuid, Path, description = "Device id")),
    responses(
        SignedIn,
        (status = 200, description = "The device", body = DeviceView),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such device, or not yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/devices/{id}")]
pub async fn get_device(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<DeviceView>, ApiError> {
    let scope = auth.donor_scope()?;
    let for_staff = scope.is_none();
    let id = id.into_inner().to_string();
    let device =
        state.db(move |conn| devices::find_visible(conn, &id, scope.as_deref()).map_err(Into::into)).await?;
    Ok(web::Json(DeviceView::from_row(device, for_staff)?))
}
