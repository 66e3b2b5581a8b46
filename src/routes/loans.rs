//! `/api/v1/loans`: kit lent to students. Staff see all, a school its students', a student
//! their own; donors none.

use actix_web::{get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::loan::{is_overdue, user_actions, LoanAction, LoanState};
use crate::domain::request::RequestKind;
use crate::domain::student::Language;
use crate::domain::BoundedText;
use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::extract::AuthUser;
use crate::middleware::RequestId;
use crate::openapi::answers::*;
use crate::pagination::{page, Page, PageQuery};
use crate::state::AppState;
use crate::store::json_list;
use crate::store::{self, loans, loans::Loan, loans::LoanScope};
use crate::workflows::loans::{
    accept_visible, change_due_date, decide_extension, facts, hand_over, report_lost_visible, return_loan,
    write_off, ReturnCondition, ReturnRecord,
};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(list_loans)
        .service(hand_over_at_counter)
        .service(get_loan)
        .service(accept_loan)
        .service(hand_over_loan)
        .service(return_loan_route)
        .service(report_lost_route)
        .service(write_off_route)
        .service(extend_route)
        .service(approve_extension)
        .service(refuse_extension)
        .service(loan_history)
        .service(agreement);
}

/// A student's request for a later due date, and the staff's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtensionView {
    /// `pending`, `approved` or `refused`.
    pub state: String,
    /// The due date asked for.
    pub due_on: NaiveDate,
    /// The student's reason.
    pub reason: Option<String>,
    /// The staff's answer.
    pub answer: Option<String>,
}

/// A gift of the loan's device, offered by staff at the programme's end.
#[derive(Debug, Serialize, ToSchema)]
pub struct GiftView {
    pub loan_id: uuid::Uuid,
    /// `offered` (the student may accept it) or `accepted` (the loan is `gifted`).
    pub state: String,
    /// Staff's words for why (null once erased with the student's other text).
    pub reason: Option<String>,
    pub offered_at: DateTime<Utc>,
    /// The transfer text accepted; null while offered (`GET /api/v1/gift-agreement` is the one to accept).
    pub agreement_version: Option<String>,
    pub accepted_at: Option<DateTime<Utc>>,
}

impl GiftView {
    /// The gift on loan `l`, if one was offered.
    pub fn of(l: &Loan) -> Result<Option<GiftView>, ApiError> {
        let Some(offered_at) = l.gift_offered_at else { return Ok(None) };
        let accepted = l.state == "gifted";
        Ok(Some(GiftView {
            loan_id: super::stored_id(&l.id)?,
            state: if accepted { "accepted" } else { "offered" }.to_owned(),
            reason: l.gift_reason.clone(),
            offered_at: offered_at.and_utc(),
            agreement_version: l.gift_agreement_version.clone(),
            accepted_at: l.closed_at.filter(|_| accepted).map(|t| t.and_utc()),
        }))
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
    /// Where the kit is picked up and returned (null for a licence seat).
    pub hub_id: Option<uuid::Uuid>,
    pub state: LoanState,
    pub due_on: NaiveDate,
    /// Open and past its due date (derived, not stored).
    pub overdue: bool,
    /// A reservation lapses if not picked up by this day.
    pub pick_up_by: Option<NaiveDate>,
    /// Handed over with the kit, checked off at its return.
    pub accessories: Vec<String>,
    /// Not returned.
    pub missing_accessories: Vec<String>,
    pub return_condition: Option<ReturnCondition>,
    pub extension: Option<ExtensionView>,
    pub agreement_version: Option<String>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub handed_over_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// A gift of the device offered at the programme's end, if any.
    pub gift: Option<GiftView>,
    /// Answered "not used" in an in-use round: the kit is due back on `due_on`.
    pub recalled: bool,
    pub recalled_at: Option<DateTime<Utc>>,
    /// What may be done next (who may do it is in each endpoint's description).
    pub allowed_actions: Vec<LoanAction>,
    pub created_at: DateTime<Utc>,
}

impl LoanView {
    pub fn from_row(l: Loan, today: NaiveDate) -> Result<LoanView, ApiError> {
        let facts = facts(&l)?;
        let extension = match (&l.extension_state, l.extension_due_on) {
            (Some(state), Some(due_on)) => Some(ExtensionView {
                state: state.clone(),
                due_on,
                reason: l.extension_reason.clone(),
                answer: l.extension_answer.clone(),
            }),
            _ => None,
        };
        let return_condition = l
            .return_condition
            .as_deref()
            .map(|c| {
                ReturnCondition::parse(c).ok_or_else(|| ApiError::internal("unknown return condition stored"))
            })
            .transpose()?;
        Ok(LoanView {
            gift: GiftView::of(&l)?,
            recalled: l.recalled_at.is_some(),
            recalled_at: l.recalled_at.map(|t| t.and_utc()),
            id: super::stored_id(&l.id)?,
            student_id: super::stored_id(&l.student_id)?,
            request_id: super::stored_id(&l.request_id)?,
            kind: RequestKind::parse(&l.kind)
                .ok_or_else(|| ApiError::internal("unknown loan kind stored"))?,
            device_id: l.device_id.as_deref().map(super::stored_id).transpose()?,
            licence_id: l.licence_id.as_deref().map(super::stored_id).transpose()?,
            hub_id: l.hub_id.as_deref().map(super::stored_id).transpose()?,
            overdue: is_overdue(facts.state, l.due_on, today),
            allowed_actions: user_actions(facts),
            state: facts.state,
            product: l.product,
            due_on: l.due_on,
            pick_up_by: l.pick_up_by,
            accessories: json_list::parse(&l.accessories)?,
            missing_accessories: json_list::parse(&l.missing_accessories)?,
            return_condition,
            extension,
            agreement_version: l.agreement_version,
            accepted_at: l.accepted_at.map(|t| t.and_utc()),
            handed_over_at: l.handed_over_at.map(|t| t.and_utc()),
            closed_at: l.closed_at.map(|t| t.and_utc()),
            created_at: l.created_at.and_utc(),
        })
    }
}

/// Whose loans the caller may see.
pub fn scope(auth: &AuthUser) -> Result<LoanScope, ApiError> {
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
    /// Kit picked up and returned at this hub.
    pub hub_id: Option<uuid::Uuid>,
    /// Loans of this school's students (staff; a school sees its own anyway).
    pub school_id: Option<uuid::Uuid>,
    /// Only loans with an extension request waiting for an answer.
    pub extension_pending: Option<bool>,
}

/// List loans: staff all, a school its students', a student their own.
#[utoipa::path(
    tag = "loans",
    params(PageQuery, LoanQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "A page of loans", body = Page<LoanView>),
        (status = 403, description = "Not for donors", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/loans")]
async fn list_loans(
    state: web::Data<AppState>,
    auth: AuthUser,
    request_id: RequestId,
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
        hub_id: query.hub_id.map(|h| h.to_string()),
        school_id: query.school_id.map(|s| s.to_string()),
        extension_pending: query.extension_pending.unwrap_or(false),
    };
    let (actor, role) = (auth.id.clone(), auth.role);
    let rows = state
        .db(move |conn| {
            let rows = loans::list(conn, &scope, &filter, after.as_deref(), limit + 1)?;
            log_reasons_read(conn, &actor, role, rows.iter().take(limit as usize), &request_id)?;
            Ok(rows)
        })
        .await?;
    Ok(web::Json(super::try_page(page(rows, limit, |l| l.id.as_str(), |l| LoanView::from_row(l, day)))?))
}

/// What a student wrote asking for more time is their personal data: a staff read of it goes
/// to the access log.
fn log_reasons_read<'a>(
    conn: &mut crate::store::DbConnection,
    actor: &str,
    role: crate::domain::Role,
    read: impl Iterator<Item = &'a Loan>,
    request_id: &RequestId,
) -> Result<(), ApiError> {
    let students: Vec<&str> =
        read.filter(|l| l.extension_reason.is_some()).map(|l| l.student_id.as_str()).collect();
    crate::workflows::students::record_access(conn, actor, role, &students, "loan", Some(&request_id.0))
}

/// Read one loan.
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    responses(
        SignedIn,
        (status = 200, description = "The loan", body = LoanView),
        (status = 403, description = "Not for donors", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan, or not yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/loans/{id}")]
async fn get_loan(
    state: web::Data<AppState>,
    auth: AuthUser,
    request_id: RequestId,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<LoanView>, ApiError> {
    let scope = scope(&auth)?;
    let id = id.into_inner().to_string();
    let (actor, role) = (auth.id.clone(), auth.role);
    let loan = state
        .db(move |conn| {
            let loan = loans::find_visible(conn, &id, &scope)?;
            log_reasons_read(conn, &actor, role, std::iter::once(&loan), &request_id)?;
            Ok(loan)
        })
        .await?;
    Ok(web::Json(LoanView::from_row(loan, today())?))
}

/// The student accepts the loan agreement (its version and the time are stored).
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    responses(
        SignedIn,
        (status = 200, description = "Accepted", body = LoanView),
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
    let actor = auth.id.clone();
    let loan = state.db(move |conn| accept_visible(conn, &scope, &id, &actor, &version)).await?;
    Ok(web::Json(LoanView::from_row(loan, today())?))
}

/// Staff hand the kit over to the student (who must have accepted the agreement).
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    responses(
        SignedIn,
        (status = 200, description = "Handed over", body = LoanView),
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
    let settings = state.settings.clone();
    let loan =
        state.db(move |conn| store::write_tx(conn, |conn| hand_over(conn, &settings, &id, &actor))).await?;
    Ok(web::Json(LoanView::from_row(loan, today())?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CounterHandover {
    /// The student read and accepted the agreement here, on the staff's screen (needed when
    /// they have not accepted it themselves).
    #[serde(default)]
    pub agree: bool,
    /// The accessories handed over, of those listed on the loan; the rest are not given.
    #[serde(default)]
    #[schema(schema_with = crate::openapi::lists::accessory_names)]
    pub accessories_given: Option<Vec<String>>,
}

/// The hand-over counter in one step (staff), as the page `/handovers/{loan}`: the agreement
/// accepted here if the student has not yet, the accessories given recorded, the kit handed over.
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    request_body = CounterHandover,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "Handed over", body = LoanView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No loan waits at the counter with this id", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The agreement is neither accepted nor agreed here", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/loans/{id}/counter-handover")]
async fn hand_over_at_counter(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<CounterHandover>,
) -> Result<web::Json<LoanView>, ApiError> {
    use crate::workflows::handovers::{hand_over_at_counter, AtCounter};
    auth.require(&[Role::Admin, Role::Staff])?;
    let (id, actor, settings) = (id.into_inner().to_string(), auth.id.clone(), state.settings.clone());
    let done = AtCounter { accepted_here: body.0.agree, given: body.0.accessories_given.unwrap_or_default() };
    let loan = state.db(move |conn| hand_over_at_counter(conn, &settings, &id, &actor, &done)).await?;
    Ok(web::Json(LoanView::from_row(loan, today())?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnRequest {
    pub condition: ReturnCondition,
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    /// The accessories that came back, ticked off from the loan's `accessories`; required when
    /// any were handed over. Those left out are recorded as missing on the loan and the device.
    #[schema(schema_with = crate::openapi::lists::accessory_names)]
    pub accessories_returned: Option<Vec<String>>,
}

/// Staff take the kit back. A device goes to inspection next (a laptop is wiped again before it
/// is lent again); a licence seat is freed at once.
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    request_body = ReturnRequest,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "Returned", body = LoanView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The loan is not active", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or accessories not ticked off", body = Problem, content_type = "application/problem+json"),
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
    let notes = BoundedText::parse_optional_multiline("notes", b.notes.as_deref(), 2000)?;
    let id = id.into_inner().to_string();
    let actor = auth.id.clone();
    let record = ReturnRecord { condition: b.condition, notes, accessories_returned: b.accessories_returned };
    let settings = state.settings.clone();
    let day = today();
    let loan = state
        .db(move |conn| {
            store::write_tx(conn, |conn| return_loan(conn, &settings.loans, &id, &actor, &record, day))
        })
        .await?;
    Ok(web::Json(LoanView::from_row(loan, day)?))
}

/// Report kit on loan lost or stolen: staff, or the student who holds it.
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    responses(
        SignedIn,
        (status = 200, description = "Closed as lost", body = LoanView),
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
    let loan = state.db(move |conn| report_lost_visible(conn, &scope, &id, &actor)).await?;
    Ok(web::Json(LoanView::from_row(loan, today())?))
}

/// Write a loan off: the kit will not come back (staff).
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    responses(
        SignedIn,
        (status = 200, description = "Written off", body = LoanView),
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendRequest {
    /// The new due date (staff), or the one asked for (the student).
    pub due_on: NaiveDate,
    /// Why: the student's reason, or the staff's note.
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
}

/// A new due date. Staff set it (200; a pending request from the student counts as approved).
/// The student asks for it (202): the request waits for staff to approve or refuse it.
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    request_body = ExtendRequest,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "New due date set (staff)", body = LoanView),
        (status = 202, description = "Extension asked for, waiting for staff (student)", body = LoanView),
        (status = 403, description = "Staff or the student only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The loan is closed, or a request is waiting already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The date is in the past, not later, or too far", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/loans/{id}/extend")]
async fn extend_route(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<ExtendRequest>,
) -> Result<actix_web::HttpResponse, ApiError> {
    auth.require(&[Role::Admin, Role::Staff, Role::Student])?;
    let scope = scope(&auth)?;
    let b = body.0;
    let reason = BoundedText::parse_optional_multiline("reason", b.reason.as_deref(), 1000)?;
    let id = id.into_inner().to_string();
    let actor = auth.id.clone();
    let is_student = auth.role == Role::Student;
    let settings = state.settings.clone();
    let day = today();
    let loan = state
        .db(move |conn| {
            change_due_date(
                conn,
                &settings.loans,
                &scope,
                &id,
                &actor,
                is_student,
                b.due_on,
                reason.as_deref(),
                day,
            )
        })
        .await?;
    let view = LoanView::from_row(loan, day)?;
    Ok(if is_student {
        actix_web::HttpResponse::Accepted().json(view)
    } else {
        actix_web::HttpResponse::Ok().json(view)
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionAnswer {
    /// A short answer the student will read.
    #[schema(max_length = 1000)]
    pub answer: Option<String>,
}

async fn answer_extension(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: uuid::Uuid,
    body: ExtensionAnswer,
    approve: bool,
) -> Result<web::Json<LoanView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let answer = BoundedText::parse_optional_multiline("answer", body.answer.as_deref(), 1000)?;
    let id = id.to_string();
    let actor = auth.id.clone();
    let loan = state
        .db(move |conn| {
            store::write_tx(conn, |conn| decide_extension(conn, &id, &actor, approve, answer.as_deref()))
        })
        .await?;
    Ok(web::Json(LoanView::from_row(loan, today())?))
}

/// Approve the student's extension request: the due date becomes the one asked for (staff).
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    request_body(content = ExtensionAnswer, description = "An answer for the student, or `{}`"),
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "Approved", body = LoanView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No request waiting", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Answer too long", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/loans/{id}/extension/approve")]
async fn approve_extension(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<ExtensionAnswer>,
) -> Result<web::Json<LoanView>, ApiError> {
    answer_extension(state, auth, id.into_inner(), body.0, true).await
}

/// Refuse the student's extension request; the due date stays (staff).
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    request_body(content = ExtensionAnswer, description = "An answer for the student, or `{}`"),
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "Refused", body = LoanView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No request waiting", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Answer too long", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/loans/{id}/extension/refuse")]
async fn refuse_extension(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<ExtensionAnswer>,
) -> Result<web::Json<LoanView>, ApiError> {
    answer_extension(state, auth, id.into_inner(), body.0, false).await
}

/// One step of a loan's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoanEventView {
    pub at: DateTime<Utc>,
    /// Who did it; null for the server's own housekeeping.
    pub actor_id: Option<uuid::Uuid>,
    pub action: LoanAction,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl LoanEventView {
    pub fn from_row(e: loans::LoanEvent) -> Result<LoanEventView, ApiError> {
        Ok(LoanEventView {
            at: e.at.and_utc(),
            actor_id: e.actor_id.as_deref().map(super::stored_id).transpose()?,
            action: LoanAction::parse(&e.action)
                .ok_or_else(|| ApiError::internal("unknown loan action stored"))?,
            details: serde_json::from_str(&e.details).map_err(|e| ApiError::internal(e.to_string()))?,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoanHistory {
    /// Oldest first.
    pub items: Vec<LoanEventView>,
}

/// The loan's history, oldest first: staff, the student's school, the student.
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    responses(
        SignedIn,
        (status = 200, description = "Every step, oldest first", body = LoanHistory),
        (status = 403, description = "Not for donors", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan, or not yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/loans/{id}/history")]
async fn loan_history(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<LoanHistory>, ApiError> {
    let scope = scope(&auth)?;
    let id = id.into_inner().to_string();
    let events = state
        .db(move |conn| {
            loans::find_visible(conn, &id, &scope)?;
            Ok(loans::events(conn, &id)?)
        })
        .await?;
    let items = events.into_iter().map(LoanEventView::from_row).collect::<Result<_, ApiError>>()?;
    Ok(web::Json(LoanHistory { items }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgreementQuery {
    /// `nl` or `en` (default `en`).
    pub lang: Option<Language>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementView {
    /// The version accepted now; stored with the loan or the class set accepted.
    pub version: String,
    pub language: Language,
    /// The text, in Markdown.
    pub text: String,
}

impl AgreementView {
    /// The text of `version` in `language`.
    pub fn of(
        texts: &crate::configuration::AgreementTexts,
        version: &str,
        language: Language,
    ) -> AgreementView {
        let text = match language {
            Language::Nl => texts.nl.clone(),
            Language::En => texts.en.clone(),
        };
        AgreementView { version: version.to_owned(), language, text }
    }
}

/// The loan agreement students accept, in Dutch or English. Public: it holds nothing personal.
#[utoipa::path(
    tag = "loans",
    params(AgreementQuery),
    responses(
        QueryString,
        (status = 200, description = "The current agreement", body = AgreementView),
    ),
)]
#[get("/loan-agreement")]
async fn agreement(
    state: web::Data<AppState>,
    query: web::Query<AgreementQuery>,
) -> Result<web::Json<AgreementView>, ApiError> {
    let loans = &state.settings.loans;
    let language = query.lang.unwrap_or(Language::En);
    Ok(web::Json(AgreementView::of(&loans.agreement, &loans.agreement_version, language)))
}
