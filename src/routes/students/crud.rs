//! Enrolling, listing, reading and changing students.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{reader_scope, StudentView};
use crate::domain::student::{Language, StudentFields, StudentSpec, TargetGroup, Track};
use crate::domain::EmailAddress;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::extract::AuthUser;
use crate::middleware::RequestId;
use crate::openapi::answers::*;
use crate::pagination::{page, Page, PageQuery};
use crate::state::AppState;
use crate::store::students;
pub(super) use crate::workflows::check_school;
use crate::workflows::students::{enrol, record_access, update, StudentUpdate};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStudent {
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: String,
    /// Where the student's sign-in links and messages go.
    #[schema(format = "email", max_length = 254)]
    pub email: String,
    pub preferred_language: Language,
    pub track: Track,
    pub programme_start: NaiveDate,
    pub programme_end: NaiveDate,
    pub hub_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub lacks_laptop: bool,
    #[serde(default)]
    pub lacks_connectivity: bool,
    #[serde(default)]
    pub lacks_software: bool,
    /// Optional, for anonymised reporting only.
    pub target_group: Option<TargetGroup>,
    /// Pool staff: the student's school. A school always enrols into itself.
    pub school_id: Option<uuid::Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStudent {
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: Option<String>,
    #[schema(format = "email", max_length = 254)]
    pub email: Option<String>,
    pub preferred_language: Option<Language>,
    pub track: Option<Track>,
    pub programme_start: Option<NaiveDate>,
    pub programme_end: Option<NaiveDate>,
    pub hub_id: Option<uuid::Uuid>,
    pub lacks_laptop: Option<bool>,
    pub lacks_connectivity: Option<bool>,
    pub lacks_software: Option<bool>,
    pub target_group: Option<TargetGroup>,
}

/// The school a new student joins: the caller's own, or for pool staff the one they name.
pub(super) fn target_school(scope: Option<String>, given: Option<uuid::Uuid>) -> Result<String, ApiError> {
    match (scope, given) {
        (Some(own), _) => Ok(own),
        (None, Some(school)) => Ok(school.to_string()),
        (None, None) => Err(ApiError::invalid("school_id", crate::phrase!("field-school-required"))),
    }
}

/// Enrol one student.
#[utoipa::path(
    tag = "students",
    request_body = CreateStudent,
    responses(
        SignedIn, JsonBody,
        (status = 201, description = "Enrolled", body = StudentView, headers(("Location" = String))),
        (status = 403, description = "Schools and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Your school has a student with this email address already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/students")]
pub async fn create_student(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<CreateStudent>,
) -> Result<HttpResponse, ApiError> {
    let school = target_school(auth.school_scope()?, body.0.school_id)?;
    let b = body.0;
    let spec = StudentSpec::parse(&StudentFields {
        name: Some(b.name),
        email: Some(b.email),
        preferred_language: Some(b.preferred_language),
        track: Some(b.track),
        programme_start: Some(b.programme_start),
        programme_end: Some(b.programme_end),
        lacks_laptop: Some(b.lacks_laptop),
        lacks_connectivity: Some(b.lacks_connectivity),
        lacks_software: Some(b.lacks_software),
        target_group: b.target_group,
    })?;
    let hub = b.hub_id.map(|h| h.to_string());
    let student = state.db(move |conn| enrol(conn, &school, spec, hub)).await?;
    let view = StudentView::from_row(student)?;
    Ok(crate::routes::created(format!("/api/v1/students/{}", view.id), &view))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StudentQuery {
    /// Pool staff: one school's students.
    pub school_id: Option<uuid::Uuid>,
    pub track: Option<Track>,
    pub hub_id: Option<uuid::Uuid>,
    /// Include erased (pseudonymised) records.
    pub include_erased: Option<bool>,
}

/// List students: a school sees its own, pool staff all (each read is logged).
#[utoipa::path(
    tag = "students",
    params(PageQuery, StudentQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "A page of students", body = Page<StudentView>),
        (status = 403, description = "Schools and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/students")]
pub async fn list_students(
    state: web::Data<AppState>,
    auth: AuthUser,
    request_id: RequestId,
    paging: web::Query<PageQuery>,
    query: web::Query<StudentQuery>,
) -> Result<web::Json<Page<StudentView>>, ApiError> {
    let scope = auth.school_scope()?;
    let (limit, after) = (paging.limit()?, paging.after()?);
    let q = query.into_inner();
    let filter = students::StudentFilter {
        school_id: scope.or(q.school_id.map(|s| s.to_string())),
        track: q.track.map(|t| t.as_str().to_owned()),
        hub_id: q.hub_id.map(|h| h.to_string()),
        include_erased: q.include_erased.unwrap_or(false),
    };
    let (actor, role) = (auth.id.clone(), auth.role);
    let rows = state
        .db(move |conn| {
            let rows = students::list(conn, &filter, after.as_deref(), limit + 1)?;
            let ids: Vec<&str> = rows.iter().take(limit as usize).map(|s| s.id.as_str()).collect();
            record_access(conn, &actor, role, &ids, "list", Some(&request_id.0))?;
            Ok(rows)
        })
        .await?;
    Ok(web::Json(crate::routes::try_page(page(rows, limit, |s| s.id.as_str(), StudentView::from_row))?))
}

/// Read one student: their school, pool staff (logged) or the student.
#[utoipa::path(
    tag = "students",
    params(("id" = uuid::Uuid, Path, description = "Student id")),
    responses(
        SignedIn,
        (status = 200, description = "The student", body = StudentView),
        (status = 403, description = "Not for donors", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such student, or not yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/students/{id}")]
pub async fn get_student(
    state: web::Data<AppState>,
    auth: AuthUser,
    request_id: RequestId,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<StudentView>, ApiError> {
    let id = id.into_inner().to_string();
    let scope = reader_scope(&auth, &id)?;
    let (actor, role) = (auth.id.clone(), auth.role);
    let student = state
        .db(move |conn| {
            let student = students::find_visible(conn, &id, scope.as_deref())?;
            record_access(conn, &actor, role, &[&id], "read", Some(&request_id.0))?;
            Ok(student)
        })
        .await?;
    Ok(web::Json(StudentView::from_row(student)?))
}

/// Change a student's details or what they lack.
#[utoipa::path(
    tag = "students",
    params(("id" = uuid::Uuid, Path, description = "Student id")),
    request_body = UpdateStudent,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "The updated student", body = StudentView),
        (status = 403, description = "Schools and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such student, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Your school has a student with this email address already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the student is erased", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/students/{id}")]
pub async fn update_student(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<UpdateStudent>,
) -> Result<web::Json<StudentView>, ApiError> {
    let scope = auth.school_scope()?;
    let id = id.into_inner().to_string();
    let b = body.0;
    let name = b.name.as_deref().map(|n| crate::domain::BoundedText::parse("name", n, 200));
    let email = b.email.as_deref().map(|e| EmailAddress::parse("email", e));
    let (name, email) = match (name.transpose(), email.transpose()) {
        (Ok(n), Ok(e)) => (n, e),
        (n, e) => return Err(crate::domain::field_errors([n.err(), e.err()]).into()),
    };
    let change = StudentUpdate {
        name: name.map(crate::domain::BoundedText::into_inner),
        email: email.map(EmailAddress::into_inner),
        preferred_language: b.preferred_language,
        track: b.track,
        programme_start: b.programme_start,
        programme_end: b.programme_end,
        hub_id: b.hub_id.map(|h| h.to_string()),
        lacks_laptop: b.lacks_laptop,
        lacks_connectivity: b.lacks_connectivity,
        lacks_software: b.lacks_software,
        target_group: b.target_group,
    };
    let actor = auth.id.clone();
    let student = state.db(move |conn| update(conn, &id, scope.as_deref(), &actor, change)).await?;
    Ok(web::Json(StudentView::from_row(student)?))
}
