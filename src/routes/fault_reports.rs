//! Fault reports: `POST /api/v1/loans/{id}/fault` (the student, staff) when kit on loan is
//! broken but not lost; `GET /api/v1/fault-reports` (staff), the open ones, oldest first.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::{BoundedText, Role};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::pagination::{page, Page, PageQuery};
use crate::state::AppState;
use crate::store::fault_reports::{self, FaultReport};
use crate::workflows::fault_reports::{report, swap, Replacement};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(report_fault).service(list_fault_reports).service(get_fault_report).service(swap_kit);
}

/// The most a description may hold.
pub const DESCRIPTION_MAX: usize = 2000;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaultBody {
    /// What is wrong, in the student's words.
    #[schema(min_length = 1, max_length = 2000, pattern = "\\S")]
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FaultReportView {
    pub id: uuid::Uuid,
    pub loan_id: uuid::Uuid,
    /// The broken device (null for a licence).
    pub device_id: Option<uuid::Uuid>,
    pub description: String,
    /// `open` until staff swap the kit; then `resolved`.
    pub state: String,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

impl FaultReportView {
    pub fn from_row(r: FaultReport) -> Result<FaultReportView, ApiError> {
        Ok(FaultReportView {
            id: super::stored_id(&r.id)?,
            loan_id: super::stored_id(&r.loan_id)?,
            device_id: r.device_id.as_deref().map(super::stored_id).transpose()?,
            description: r.description,
            state: r.state,
            created_at: r.created_at.and_utc(),
            resolved_at: r.resolved_at.map(|t| t.and_utc()),
        })
    }
}

/// Report kit on loan broken (not lost): the student, or staff for them. A second report of
/// a loan whose first is still open answers that one (200).
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    request_body = FaultBody,
    responses(
        SignedIn, JsonBody,
        (status = 201, description = "Reported", body = FaultReportView, headers(("Location" = String))),
        (status = 200, description = "Reported already; the open report", body = FaultReportView),
        (status = 403, description = "Students and staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The loan is not active", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid description", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/loans/{id}/fault")]
async fn report_fault(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<FaultBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Admin, Role::Staff, Role::Student])?;
    let scope = super::loans::scope(&auth)?;
    let description = BoundedText::parse_multiline("description", &body.0.description, DESCRIPTION_MAX)?;
    let (id, actor) = (id.into_inner().to_string(), auth.id.clone());
    let reported = state.db(move |conn| report(conn, &scope, &id, &actor, &description.into_inner())).await?;
    let view = FaultReportView::from_row(reported.report)?;
    Ok(match reported.created {
        true => super::created(format!("/api/v1/fault-reports/{}", view.id), &view),
        false => HttpResponse::Ok().json(view),
    })
}

/// The open fault reports, oldest first (staff).
#[utoipa::path(
    tag = "loans",
    params(PageQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "A page of open reports", body = Page<FaultReportView>),
        (status = 403, description = "Staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/fault-reports")]
async fn list_fault_reports(
    state: web::Data<AppState>,
    auth: AuthUser,
    paging: web::Query<PageQuery>,
) -> Result<web::Json<Page<FaultReportView>>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let (limit, after) = (paging.limit()?, paging.after()?);
    let rows = state
        .db(move |conn| fault_reports::open_page(conn, after.as_deref(), limit + 1).map_err(ApiError::from))
        .await?;
    Ok(web::Json(super::try_page(page(rows, limit, |r| r.id.as_str(), FaultReportView::from_row))?))
}

/// Read one fault report (staff).
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Fault report id")),
    responses(
        SignedIn,
        (status = 200, description = "The report", body = FaultReportView),
        (status = 403, description = "Staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/fault-reports/{id}")]
async fn get_fault_report(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<FaultReportView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let id = id.into_inner().to_string();
    let row = state.db(move |conn| fault_reports::find(conn, &id).map_err(ApiError::from)).await?;
    Ok(web::Json(FaultReportView::from_row(row)?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SwapBody {
    /// The replacement: an available device of the broken one's kind.
    pub device_id: uuid::Uuid,
}

/// Swap broken kit at the desk (staff): the report resolved, the broken device taken back and
/// into repair, and the replacement lent on the same request and handed over, in one step.
/// The same as the page `/faults/{id}`.
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Fault report id")),
    request_body = SwapBody,
    responses(
        SignedIn, JsonBody,
        (status = 201, description = "Swapped: the new loan, handed over", body = crate::routes::loans::LoanView, headers(("Location" = String))),
        (status = 403, description = "Staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such open report (it may have been swapped already)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The loan cannot be closed now", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such device, or it cannot be lent in place of the broken one", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/fault-reports/{id}/swap")]
async fn swap_kit(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<SwapBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let (report, device) = (id.into_inner().to_string(), body.0.device_id.to_string());
    let (settings, actor, today) = (state.settings.clone(), auth.id.clone(), Utc::now().date_naive());
    let swapped = state
        .db(move |conn| swap(conn, &settings, &report, Replacement::Device(&device), &actor, today))
        .await?;
    let view = crate::routes::loans::LoanView::from_row(swapped.loan, today)?;
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/loans/{}", view.id))).json(view))
}
