//! Erasure certificates: `/api/v1/donations/{id}/certificate` (PDF, or CSV with
//! `?format=csv`) and `/api/v1/devices/{id}/certificate` (PDF), for the donor whose kit it is
//! and for pool staff. They list devices, serial numbers, erasure records and stages: never
//! a student.

use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::download;
use crate::error::{ApiError, Problem};
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::render::certificate;
use crate::state::AppState;
use crate::workflows::certificates::{for_device, for_donation, Certificate};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(donation_certificate).service(device_certificate);
}

/// A certificate as a PDF to file, or as CSV for an asset register.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertificateFormat {
    #[default]
    Pdf,
    Csv,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CertificateQuery {
    /// `pdf` (the default) or `csv`.
    #[param(inline)]
    pub format: Option<CertificateFormat>,
}

/// The certificate in the reader's language, as a download named `name`.
fn respond(
    auth: &AuthUser,
    state: &AppState,
    c: &Certificate,
    format: CertificateFormat,
    name: &str,
) -> HttpResponse {
    let lang = auth.language.unwrap_or(state.settings.email.default_language);
    let (body, kind, extension) = certificate::file(c, lang, matches!(format, CertificateFormat::Csv));
    download::attachment(kind, &format!("{name}.{extension}")).body(body)
}

/// A donation's erasure certificate: every device with its serial number, erasure records and stage.
#[utoipa::path(
    tag = "donations",
    params(("id" = uuid::Uuid, Path, description = "Donation id"), CertificateQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "The certificate", content(
            (Vec<u8> = "application/pdf"),
            (String = "text/csv"),
        )),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such donation, or not yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/donations/{id}/certificate")]
async fn donation_certificate(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    query: web::Query<CertificateQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.donor_scope()?;
    let id = id.into_inner().to_string();
    let name = format!("erasure-certificate-{id}");
    let c = state.db(move |conn| for_donation(conn, &id, scope.as_deref())).await?;
    Ok(respond(&auth, &state, &c, query.format.unwrap_or_default(), &name))
}

/// One device's erasure certificate.
#[utoipa::path(
    tag = "devices",
    params(("id" = uuid::Uuid, Path, description = "Device id"), CertificateQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "The certificate", content(
            (Vec<u8> = "application/pdf"),
            (String = "text/csv"),
        )),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such device, or not yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/devices/{id}/certificate")]
async fn device_certificate(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    query: web::Query<CertificateQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.donor_scope()?;
    let id = id.into_inner().to_string();
    let c = state.db(move |conn| for_device(conn, &id, scope.as_deref())).await?;
    let name =
        format!("erasure-certificate-{}", c.devices.first().map_or("device", |d| d.asset_tag.as_str()));
    Ok(respond(&auth, &state, &c, query.format.unwrap_or_default(), &name))
}
