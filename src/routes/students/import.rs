//! `POST /api/v1/students/import`: a school's class list, all rows or none.

use actix_web::{http::header, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::crud::{check_school, target_school};
use crate::error::{ApiError, Problem};
use crate::extract::spool_csv;
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::state::AppState;
use crate::workflows::imports::Upload;
use crate::workflows::students::import_csv;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StudentImportQuery {
    /// Pool staff: the school to enrol into. A school always enrols into itself.
    pub school_id: Option<uuid::Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StudentImportResult {
    pub imported: usize,
    pub school_id: uuid::Uuid,
    /// Columns of the file that devicepool does not use.
    pub ignored_columns: Vec<String>,
}

/// Enrol a class list from a CSV file: header `name,email,preferred_language,track,
/// programme_start,programme_end` and optionally `hub` (by name), `lacks_laptop`,
/// `lacks_connectivity`, `lacks_software`, `target_group`. Dutch names and `;` are fine.
/// Any bad row enrols nobody: 422 lists each.
#[utoipa::path(
    tag = "students",
    params(StudentImportQuery),
    request_body(content = String, content_type = "text/csv", description = "One student a row"),
    responses(
        SignedIn, CsvBody, QueryString,
        (status = 201, description = "Every row enrolled", body = StudentImportResult, headers(("Location" = String))),
        (status = 403, description = "Schools and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An address was enrolled at the school by someone else meanwhile", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad rows (nobody enrolled)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/students/import")]
pub async fn import_students(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    query: web::Query<StudentImportQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let school = target_school(auth.school_scope()?, query.school_id)?;
    let file = spool_csv(&req, payload, state.settings.server.max_import_bytes).await?;
    let upload = Upload { file, max_rows: state.settings.imports.max_student_rows };
    let result = state
        .db(move |conn| {
            check_school(conn, &school)?;
            let outcome = import_csv(conn, upload, &school)?;
            Ok(StudentImportResult {
                imported: outcome.imported,
                school_id: crate::routes::stored_id(&school)?,
                ignored_columns: outcome.ignored_columns,
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/students?school_id={}", result.school_id)))
        .json(result))
}
