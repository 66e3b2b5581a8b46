//! `POST /api/v1/devices/import`: a donor's or the pool's spreadsheet of devices, all rows or
//! none. The upload is spooled to a temporary file, never held in memory twice.

use std::collections::HashMap;
use std::io::{Seek, SeekFrom};

use actix_web::{http::header, post, web, HttpMessage, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::domain::device::DeviceKind;
use crate::domain::device_import::{parse_devices_csv, ParsedImport, RowError};
use crate::error::{ApiError, Problem, ProblemField};
use crate::state::AppState;
use crate::store::{self, devices};
use crate::workflows::devices::register;
use crate::workflows::{check_hub, donation_for};

/// At most this many bad rows are listed; `total_errors` counts them all.
const MAX_LISTED_ERRORS: usize = 100;

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

fn is_csv(req: &HttpRequest) -> bool {
    matches!(req.mime_type(), Ok(Some(m)) if (m.type_() == mime::TEXT || m.type_() == mime::APPLICATION) && m.subtype() == "csv")
}

fn row_problem(e: RowError) -> ProblemField {
    ProblemField { row: Some(e.row), field: e.field, message: e.message }
}

/// Adds an error for every serial that appears twice in the file, or is in the pool already.
fn duplicate_errors(parsed: &mut ParsedImport, in_pool: &HashMap<DeviceKind, Vec<String>>) {
    let mut first_row: HashMap<(DeviceKind, &str), u64> = HashMap::new();
    let mut errors = Vec::new();
    for (row, spec) in &parsed.rows {
        let key = (spec.kind, spec.serial_number.as_str());
        if let Some(first) = first_row.get(&key) {
            errors.push(RowError {
                row: *row,
                field: Some("serial_number".into()),
                message: format!("{} is also on row {first}", spec.serial_number),
            });
        } else {
            first_row.insert(key, *row);
        }
        if in_pool.get(&spec.kind).is_some_and(|s| s.contains(&spec.serial_number)) {
            errors.push(RowError {
                row: *row,
                field: Some("serial_number".into()),
                message: format!("{} is in the pool already", spec.serial_number),
            });
        }
    }
    parsed.errors.extend(errors);
}

/// Import devices from a CSV file. Header names may be English or Dutch; `;` separators,
/// a BOM, CRLF and quoted fields are fine. Any bad row imports nothing: 422 lists each.
#[utoipa::path(
    tag = "devices",
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv",
        description = "Header `kind,serial_number,model,ram_gb,storage_gb,cpu,os,…` and one device a row"),
    responses(
        (status = 201, description = "Every row imported as pledged", body = ImportResult, headers(("Location" = String))),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A serial was added by someone else meanwhile", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "File too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not text/csv", body = Problem, content_type = "application/problem+json"),
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
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.donor_scope()?;
    if !is_csv(&req) {
        return Err(ApiError::UnsupportedMediaType { expected: "text/csv" });
    }
    let limit = state.settings.server.max_import_bytes;
    let spool = tempfile::tempfile().map_err(|e| ApiError::internal(format!("temporary file: {e}")))?;
    let mut file = tokio::fs::File::from_std(spool);
    let mut size = 0usize;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ApiError::MalformedQuery("The upload could not be read.".into()))?;
        size += chunk.len();
        if size > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        file.write_all(&chunk).await.map_err(|e| ApiError::internal(format!("spooling upload: {e}")))?;
    }
    let mut file = file.into_std().await;
    let default_kind = query.kind;
    let parsed = web::block(move || {
        file.seek(SeekFrom::Start(0))?;
        Ok::<_, std::io::Error>(parse_devices_csv(std::io::BufReader::new(file), default_kind))
    })
    .await
    .map_err(|e| ApiError::internal(format!("parse task: {e}")))?
    .map_err(|e| ApiError::internal(format!("reading the spooled upload: {e}")))?
    .map_err(|e| ApiError::BadRows { errors: vec![row_problem(e)], total: 1 })?;

    let donation_id = query.donation_id.to_string();
    let hub_id = query.hub_id.map(|h| h.to_string());
    let actor = auth.id.clone();
    let result = state
        .db(move |conn| {
            let mut parsed = parsed;
            store::write_tx(conn, |conn| {
                let donation = donation_for(conn, &donation_id, scope.as_deref())?;
                if let Some(hub) = &hub_id {
                    check_hub(conn, "hub_id", hub)?;
                }
                let mut in_pool = HashMap::new();
                for kind in DeviceKind::ALL {
                    let serials: Vec<String> = parsed
                        .rows
                        .iter()
                        .filter(|(_, s)| s.kind == *kind)
                        .map(|(_, s)| s.serial_number.clone())
                        .collect();
                    in_pool.insert(*kind, devices::existing_serials(conn, kind.as_str(), &serials)?);
                }
                duplicate_errors(&mut parsed, &in_pool);
                if !parsed.errors.is_empty() {
                    let total = parsed.errors.len();
                    parsed.errors.sort_by_key(|e| e.row);
                    let errors = parsed.errors.drain(..).take(MAX_LISTED_ERRORS).map(row_problem).collect();
                    return Err(ApiError::BadRows { errors, total });
                }
                if parsed.rows.is_empty() {
                    return Err(ApiError::invalid("body", "the file has no device rows"));
                }
                let specs = parsed.rows.into_iter().map(|(_, spec)| spec).collect();
                let ids = register(conn, &donation, hub_id.as_deref(), specs, &actor, "import")?;
                Ok(ImportResult {
                    imported: ids.len(),
                    donation_id: crate::routes::stored_id(&donation.id)?,
                    ignored_columns: parsed.ignored_columns,
                })
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/devices?donation_id={}", result.donation_id)))
        .json(result))
}
