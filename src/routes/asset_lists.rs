//! `/api/v1/donations/{id}/asset-list` and `/reconciliation`: a donor's list of the serial
//! numbers they hand over, and the donation reconciled against it, as JSON or CSV for their
//! own asset register. The donor whose donation it is and pool staff; another donor's is a 404.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::reports::TableFormat;
use crate::download;
use crate::error::{ApiError, Problem};
use crate::extract::spool_csv;
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::render::reconciliation;
use crate::state::AppState;
use crate::workflows::asset_lists::{self as workflow, Reconciliation};
use crate::workflows::imports::Upload;

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(send_asset_list).service(get_reconciliation);
}

/// Send the donation's asset list. One serial a line (column `serial`; optional `reference`,
/// your own asset number, and `model`), `,` or `;`. It replaces any list sent before. Any bad
/// line takes in nothing: 422 lists each.
#[utoipa::path(
    tag = "donations",
    params(("id" = uuid::Uuid, Path, description = "Donation id")),
    request_body(content = String, content_type = "text/csv",
        description = "Header `serial,reference,model` and one device a line"),
    responses(
        SignedIn, CsvBody,
        (status = 200, description = "The list taken in, reconciled", body = Reconciliation),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such donation, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad lines: nothing taken in", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/donations/{id}/asset-list")]
async fn send_asset_list(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.donor_scope()?;
    let id = id.into_inner().to_string();
    let file = spool_csv(&req, payload, state.settings.server.max_import_bytes).await?;
    let upload = Upload { file, max_rows: state.settings.imports.max_asset_list_rows };
    let actor = auth.id.clone();
    let result =
        state.db(move |conn| workflow::send_list(conn, &id, scope.as_deref(), upload, &actor)).await?;
    Ok(HttpResponse::Ok().json(result))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReconciliationQuery {
    /// `json` (the default) or `csv`.
    #[param(inline)]
    pub format: Option<TableFormat>,
}

/// The donation reconciled with its asset list: each listed serial `matched`, `expected` or
/// (once the donation was delivered) `missing`, then each received serial not listed as
/// `unexpected`. Without a list, nothing is listed.
#[utoipa::path(
    tag = "donations",
    params(("id" = uuid::Uuid, Path, description = "Donation id"), ReconciliationQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "The reconciled list", content(
            (Reconciliation = "application/json"),
            (String = "text/csv"),
        )),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such donation, or not yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/donations/{id}/reconciliation")]
async fn get_reconciliation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    query: web::Query<ReconciliationQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.donor_scope()?;
    let id = id.into_inner().to_string();
    let name = format!("reconciliation-{id}");
    let r = state.db(move |conn| workflow::reconciliation(conn, &id, scope.as_deref())).await?;
    match query.format {
        Some(TableFormat::Csv) => {
            let lang = auth.language.unwrap_or(state.settings.email.default_language);
            let body =
                reconciliation::csv(&r, lang).ok_or_else(|| ApiError::internal("reconciliation csv"))?;
            Ok(download::attachment("text/csv; charset=utf-8", &format!("{name}.csv")).body(body))
        }
        _ => Ok(HttpResponse::Ok().json(r)),
    }
}
