//! `POST /api/v1/devices/import`: a donor's or the pool's spreadsheet of devices, all rows or
//! none. The upload is spooled to a temporary file, never held in memory twice.

use actix_web::{http::header, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::device::DeviceKind;
use crate::error::{ApiError, Problem};
use crate::extract::spool_csv;
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::state::AppState;
use crate::workflows::devices::import_into;
use crate::workflows::imports::Upload;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The donation the devices belong to (a donor's own).
    pub donation_id: uuid::Uuid,
    /// The kind of every row, for files without a kind column.
    pub kind: Option<DeviceKind>,
    /// Where the devices are or will be; defaults to the donation's expected hub.
    pub hub_id: Option<uuid::Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    pub imported: usize,
    pub donation_id: uuid::Uuid,
    /// Columns of the file that devicepool does not use.
    pub ignored_columns: Vec<String>,
}

/// Import devices from a CSV file. Header names may be English or Dutch; `;` separators,
/// a BOM, CRLF and quoted fields are fine. Any bad row imports nothing: 422 lists each.
#[utoipa::path(
    tag = "devices",
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv",
        description = "Header `kind,serial_number,model,ram_gb,storage_gb,cpu,os,…` and one device a row"),
    responses(
        SignedIn, CsvBody, QueryString,
        (status = 201, description = "Every row imported as pledged", body = ImportResult, headers(("Location" = String))),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A serial was added by someone else meanwhile", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad rows (nothing imported) or bad parameters", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/devices/import")]
pub async fn import_devices(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    query: web::Query<ImportQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.donor_scope()?;
    let file = spool_csv(&req, payload, state.settings.server.max_import_bytes).await?;
    let upload = Upload { file, max_rows: state.settings.imports.max_device_rows };
    let default_kind = query.kind;
    let donation_id = query.donation_id.to_string();
    let hub_id = query.hub_id.map(|h| h.to_string());
    let actor = auth.id.clone();
    let result = state
        .db(move |conn| {
            let (donation, outcome) = import_into(
                conn,
                upload,
                &donation_id,
                scope.as_deref(),
                hub_id.as_deref(),
                default_kind,
                &actor,
            )?;
            Ok(ImportResult {
                imported: outcome.imported,
                donation_id: crate::routes::stored_id(&donation.id)?,
                ignored_columns: outcome.ignored_columns,
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/devices?donation_id={}", result.donation_id)))
        .json(result))
}
