//! `/api/v1/loans`: kit lent to students. Staff see all, a school its students', a student
//! their own; donors none.

use actix_web::{get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::AuthUser;
use crate::domain::request::RequestKind;
use crate::domain::BoundedText;
use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::pagination::{page, Page, PageQuery};
use crate::state::AppState;
use crate::store::{self, loans, loans::Loan, loans::LoanScope};
use crate::workflows::loans::{
    accept, allowed_actions, hand_over, report_lost, return_loan, write_off, ReturnCondition,
};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(list_loans)
        .service(get_loan)
        .service(accept_loan)
        .service(hand_over_loan)
        .service(return_loan_route)
        .service(report_lost_route)
        .service(write_off_route);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoanState {
    /// Set aside at the hub for the student.
    Reserved,
    /// With the student.
    Active,
    Returned,
    Lost,
    WrittenOff,
}

impl LoanState {
    const ALL: [LoanState; 5] =
        [LoanState::Reserved, LoanState::Active, LoanState::Returned, LoanState::Lost, LoanState::WrittenOff];

    pub fn as_str(self) -> &'static str {
        match self {
            LoanState::Reserved => "reserved",
            LoanState::Active => "active",
            LoanState::Returned => "returned",
            LoanState::Lost => "lost",
            LoanState::WrittenOff => "written_off",
        }
    }

    pub fn parse(s: &str) -> Option<LoanState> {
        LoanState::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoanView {
    pub id: uuid::Uuid,
    pub student_id: uuid::Uuid,
    pub request_id: uuid::Uuid,
    pub kind: RequestKind,
    pub product: Option<String>,
    pub device_id: Option<uuid::Uuid>,
    pub licence_id: Option<uuid::Uuid>,
    pub state: LoanState,
    pub due_on: NaiveDate,
    /// Open and past its due date (derived, not stored).
    pub overdue: bool,
    pub agreement_version: Option<String>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub handed_over_at: Option<DateTime<Utc>>,
    /// What may be done next: `accept` (the student), `handover` (staff).
    pub allowed_actions: Vec<String>,
    pub created_at: DateTime<Utc>,
}

impl LoanView {
    pub fn from_row(l: Loan, today: NaiveDate) -> Result<LoanView, ApiError> {
        let state =
            LoanState::parse(&l.state).ok_or_else(|| ApiError::internal("unknown loan state stored"))?;
        Ok(LoanView {
            id: super::stored_id(&l.id)?,
            student_id: super::stored_id(&l.student_id)?,
            request_id: super::stored_id(&l.request_id)?,
            kind: RequestKind::parse(&l.kind)
                .ok_or_else(|| ApiError::internal("unknown loan kind stored"))?,
            device_id: l.device_id.as_deref().map(super::stored_id).transpose()?,
            licence_id: l.licence_id.as_deref().map(super::stored_id).transpose()?,
            overdue: matches!(state, LoanState::Reserved | LoanState::Active) && l.due_on < today,
            allowed_actions: allowed_actions(&l).into_iter().map(str::to_owned).collect(),
            state,
            product: l.product,
            due_on: l.due_on,
            agreement_version: l.agreement_version,
            accepted_at: l.accepted_at.map(|t| t.and_utc()),
            handed_over_at: l.handed_over_at.map(|t| t.and_utc()),
            created_at: l.created_at.and_utc(),
        })
    }
}

/// Whose loans the caller may see.
fn scope(auth: &AuthUser) -> Result<LoanScope, ApiError> {
    match auth.role {
        Role::Admin | Role::Staff => Ok(LoanScope::default()),
        Role::School => Ok(LoanScope {
            school_id: Some(auth.organisation_id.clone().ok_or(ApiError::Forbidden)?),
            student_id: None,
        }),
        Role::Student => Ok(LoanScope {
            school_id: None,
            student_id: Some(auth.student_id.clone().ok_or(ApiError::Forbidden)?),
        }),
        Role::Donor => Err(ApiError::Forbidden),
    }
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoanQuery {
    pub state: Option<LoanState>,
    /// Only open loans past their due date.
    pub overdue: Option<bool>,
    pub device_id: Option<uuid::Uuid>,
}

/// List loans: staff all, a school its students', a student their own.
#[utoipa::path(
    tag = "loans",
    params(PageQuery, LoanQuery),
    responses(
        (status = 200, description = "A page of loans", body = Page<LoanView>),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not for donors", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/loans")]
async fn list_loans(
    state: web::Data<AppState>,
    auth: AuthUser,
    paging: web::Query<PageQuery>,
    query: web::Query<LoanQuery>,
) -> Result<web::Json<Page<LoanView>>, ApiError> {
    let scope = scope(&auth)?;
    let (limit, after) = (paging.limit()?, paging.after()?);
    let day = today();
    let filter = loans::LoanFilter {
        state: query.state.map(|s| s.as_str().to_owned()),
        overdue_on: query.overdue.filter(|o| *o).map(|_| day),
        device_id: query.device_id.map(|d| d.to_string()),
    };
    let rows = state
        .db(move |conn| loans::list(conn, &scope, &filter, after.as_deref(), limit + 1).map_err(Into::into))
        .await?;
    Ok(web::Json(super::try_page(page(rows, limit, |l| l.id.as_str(), |l| LoanView::from_row(l, day)))?))
}

/// Read one loan.
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    responses(
        (status = 200, description = "The loan", body = LoanView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not for donors", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan, or not yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/loans/{id}")]
async fn get_loan(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<LoanView>, ApiError> {
    let scope = scope(&auth)?;
    let id = id.into_inner().to_string();
    let loan = state.db(move |conn| loans::find_visible(conn, &id, &scope).map_err(Into::into)).await?;
    Ok(web::Json(LoanView::from_row(loan, today())?))
}

/// The student accepts the loan agreement (its version and the time are stored).
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    responses(
        (status = 200, description = "Accepted", body = LoanView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The student only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The loan is closed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/loans/{id}/accept")]
async fn accept_loan(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<LoanView>, ApiError> {
    auth.require(&[Role::Student])?;
    let scope = scope(&auth)?;
    let id = id.into_inner().to_string();
    let version = state.settings.loans.agreement_version.clone();
    let loan = state
        .db(move |conn| {
            store::write_tx(conn, |conn| {
                loans::find_visible(conn, &id, &scope)?;
                accept(conn, &id, &version)
            })
        })
        .await?;
    Ok(web::Json(LoanView::from_row(loan, today())?))
}

/// Staff hand the kit over to the student (who must have accepted the agreement).
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    responses(
        (status = 200, description = "Handed over", body = LoanView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not accepted yet, or not reserved", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/loans/{id}/handover")]
async fn hand_over_loan(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<LoanView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let id = id.into_inner().to_string();
    let actor = auth.id.clone();
    let loan = state.db(move |conn| store::write_tx(conn, |conn| hand_over(conn, &id, &actor))).await?;
    Ok(web::Json(LoanView::from_row(loan, today())?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnRequest {
    pub condition: ReturnCondition,
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
}

/// Staff take the kit back. A device goes to inspection next (a laptop is wiped again before it
/// is lent again); a licence seat is freed at once.
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    request_body = ReturnRequest,
    responses(
        (status = 200, description = "Returned", body = LoanView),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The loan is not active", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/loans/{id}/return")]
async fn return_loan_route(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<ReturnRequest>,
) -> Result<web::Json<LoanView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let b = body.0;
    let notes = match b.notes.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(n) => Some(BoundedText::parse("notes", n, 2000)?.into_inner()),
    };
    let id = id.into_inner().to_string();
    let actor = auth.id.clone();
    let loan = state
        .db(move |conn| {
            store::write_tx(conn, |conn| return_loan(conn, &id, &actor, b.condition, notes.as_deref()))
        })
        .await?;
    Ok(web::Json(LoanView::from_row(loan, today())?))
}

/// Report kit on loan lost or stolen: staff, or the student who holds it.
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    responses(
        (status = 200, description = "Closed as lost", body = LoanView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Staff or the student only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The loan is not active", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A licence seat cannot be lost", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/loans/{id}/report-lost")]
async fn report_lost_route(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<LoanView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff, Role::Student])?;
    let scope = scope(&auth)?;
    let id = id.into_inner().to_string();
    let actor = auth.id.clone();
    let loan = state
        .db(move |conn| {
            store::write_tx(conn, |conn| {
                loans::find_visible(conn, &id, &scope)?;
                report_lost(conn, &id, &actor)
            })
        })
        .await?;
    Ok(web::Json(LoanView::from_row(loan, today())?))
}

/// Write a loan off: the kit will not come back (staff).
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    responses(
        (status = 200, description = "Written off", body = LoanView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The loan is not active", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/loans/{id}/write-off")]
async fn write_off_route(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<LoanView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let id = id.into_inner().to_string();
    let actor = auth.id.clone();
    let loan = state.db(move |conn| store::write_tx(conn, |conn| write_off(conn, &id, &actor))).await?;
    Ok(web::Json(LoanView::from_row(loan, today())?))
}
