//! `POST /api/v1/erasure-reports`: an erasure tool's report (CSV), matched on serial number to
//! the devices waiting for a wipe, all rows or none.

use actix_web::{post, web, HttpRequest, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::extract::spool_csv;
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::state::AppState;
use crate::workflows::erasure_reports::{take_in, ErasureReportResult};
use crate::workflows::imports::Upload;

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(take_in_report);
}

/// Take in an erasure tool's report. Columns `serial, result, method, tool, time` (and, where
/// the tool writes them, `version`, `verification`, `drive_serial`, `certificate`), in English
/// or Dutch, `,` or `;`. A passed row wipes its device; a failed one keeps the record and
/// leaves the device to be wiped again or destroyed. Any bad row takes in nothing: 422 lists each.
#[utoipa::path(
    tag = "devices",
    request_body(content = String, content_type = "text/csv",
        description = "Header `serial,result,method,tool,time` and one drive a row"),
    responses(
        SignedIn, CsvBody,
        (status = 200, description = "Every row taken in", body = ErasureReportResult),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A device changed meanwhile; nothing taken in", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad rows: nothing taken in", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/erasure-reports")]
async fn take_in_report(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Staff, Role::Admin])?;
    let file = spool_csv(&req, payload, state.settings.server.max_import_bytes).await?;
    let upload = Upload { file, max_rows: state.settings.imports.max_erasure_report_rows };
    let actor = auth.id.clone();
    let result = state.db(move |conn| take_in(conn, upload, &actor)).await?;
    Ok(HttpResponse::Ok().json(result))
}
