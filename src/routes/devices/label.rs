//! `GET /api/v1/devices/{id}/label`: the printable asset label.

use actix_web::{get, web, HttpResponse};

use crate::download;
use crate::error::{ApiError, Problem};
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::render::label::asset_label_svg;
use crate::state::AppState;
use crate::store::devices;

/// An SVG label (62 × 29 mm) with the asset tag as text and QR code, to stick on the device.
#[utoipa::path(
    tag = "devices",
    params(("id" = uuid::Uuid, Path, description = "Device id")),
    responses(
        SignedIn,
        (status = 200, description = "The label", body = String, content_type = "image/svg+xml"),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such device, or not yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/devices/{id}/label")]
pub async fn device_label(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.donor_scope()?;
    let id = id.into_inner().to_string();
    let device =
        state.db(move |conn| devices::find_visible(conn, &id, scope.as_deref()).map_err(Into::into)).await?;
    let svg = asset_label_svg(&device.asset_tag, &device.model, &device.serial_number)
        .ok_or_else(|| ApiError::internal("asset tag cannot be encoded"))?;
    Ok(download::inline("image/svg+xml", &format!("{}.svg", device.asset_tag)).body(svg))
}
