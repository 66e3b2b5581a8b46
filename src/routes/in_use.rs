//! "Still in use?" rounds: staff open one (`POST /in-use-rounds`), schools and staff follow the
//! current one (`GET /in-use-rounds/current`), and the student, their school or staff answer
//! for a loan (`POST /loans/{id}/in-use`); the student's mailed link answers without signing
//! in (`POST /in-use-answers`).

use actix_governor::Governor;
use actix_web::{get, post, web, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::in_use::InUseAnswer;
use crate::domain::text::BoundedText;
use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, AuthUser, SmallJson};
use crate::openapi::answers::*;
use crate::pagination::PageQuery;
use crate::rate_limit::AnonymousLimit;
use crate::state::AppState;
use crate::workflows::in_use::{self, Answered, Opened, RoundFilter, RoundView};

use super::loans::{scope, LoanView};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(open_in_use_round).service(current_in_use_round).service(answer_in_use);
}

/// The anonymous answer from a mailed link, behind `limit` per client address.
pub fn config_anonymous(cfg: &mut ServiceConfig, limit: &AnonymousLimit) {
    cfg.service(
        utoipa_actix_web::scope("/in-use-answers").wrap(Governor::new(limit)).service(answer_in_use_by_link),
    );
}

/// Staff open a round now over every active loan; each student is mailed a link with the four
/// answers (the first 500 at once, the rest at the next housekeeping run).
#[utoipa::path(
    tag = "in-use rounds",
    responses(
        SignedIn,
        (status = 201, description = "Opened", body = Opened, headers(("Location" = String))),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/in-use-rounds")]
async fn open_in_use_round(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let (actor, settings, keys) = (auth.id.clone(), state.settings.clone(), state.keys.clone());
    let opened = state.db(move |conn| in_use::open_by_staff(conn, &settings, &keys, &actor)).await?;
    Ok(super::created("/api/v1/in-use-rounds/current".to_owned(), &opened))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoundQuery {
    /// Only loans without an answer yet.
    pub unanswered: Option<bool>,
    /// Staff: one school's students.
    pub school_id: Option<uuid::Uuid>,
}

/// The current round: how many answered what, and a page of the loans asked about (a school
/// its own students', staff all). Unanswered loans are `late` after `in_use.unanswered_days`.
#[utoipa::path(
    tag = "in-use rounds",
    params(PageQuery, RoundQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "The current round", body = RoundView),
        (status = 403, description = "Schools and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "There has been no round yet", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/in-use-rounds/current")]
async fn current_in_use_round(
    state: web::Data<AppState>,
    auth: AuthUser,
    paging: web::Query<PageQuery>,
    query: web::Query<RoundQuery>,
) -> Result<web::Json<RoundView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff, Role::School])?;
    let school_id = match auth.school_scope()? {
        Some(own) => Some(own),
        None => query.school_id.map(|s| s.to_string()),
    };
    let filter = RoundFilter {
        school_id,
        unanswered_only: query.unanswered.unwrap_or(false),
        after: paging.after()?,
        limit: paging.limit()?,
    };
    let settings = state.settings.clone();
    Ok(web::Json(state.db(move |conn| in_use::current(conn, &settings, &filter)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InUseBody {
    pub answer: InUseAnswer,
    /// A few words, such as what broke.
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

/// What an answer did.
#[derive(Debug, Serialize, ToSchema)]
pub struct InUseAnswered {
    pub loan_id: String,
    pub answer: InUseAnswer,
    /// The loan now: `recalled` with a new `due_on` after `not_used`, `lost` after `gone`.
    pub loan: LoanView,
    /// The fault report `broken` opened.
    pub fault_report_id: Option<String>,
}

impl InUseAnswered {
    fn of(a: Answered) -> Result<InUseAnswered, ApiError> {
        Ok(InUseAnswered {
            loan_id: a.loan.id.clone(),
            answer: a.answer,
            loan: LoanView::from_row(a.loan, Utc::now().date_naive())?,
            fault_report_id: a.fault_report_id,
        })
    }
}

fn note(raw: Option<String>) -> Result<Option<String>, ApiError> {
    BoundedText::parse_optional_multiline("note", raw.as_deref(), 500).map_err(ApiError::from)
}

/// Answers the current round for a loan: the student for their own, a school for its
/// students', staff for any. `not_used` recalls the kit, `broken` opens a fault report,
/// `gone` reports it lost. One answer per loan and round.
#[utoipa::path(
    tag = "in-use rounds",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    request_body = InUseBody,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "Answered", body = InUseAnswered),
        (status = 403, description = "Not for donors", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_answered`, `no_round`, `not_in_round`, or the loan has ended", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (a licence seat is only `in_use` or `not_used`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/loans/{id}/in-use")]
async fn answer_in_use(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<InUseBody>,
) -> Result<web::Json<InUseAnswered>, ApiError> {
    let scope = scope(&auth)?;
    let (answer, note) = (body.0.answer, note(body.0.note)?);
    let (id, actor, settings) = (id.into_inner().to_string(), auth.id.clone(), state.settings.clone());
    let today = Utc::now().date_naive();
    let done = state
        .db(move |conn| {
            in_use::answer_visible(conn, &settings, &scope, &id, &actor, answer, note.as_deref(), today)
        })
        .await?;
    Ok(web::Json(InUseAnswered::of(done)?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InUseLinkBody {
    /// The token of the mailed link (`/in-use?token=…`).
    #[schema(max_length = 100)]
    pub token: String,
    pub answer: InUseAnswer,
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

/// The student answers from the link in their mail, without signing in. The link works once
/// and only in its round; a second use changes nothing (409 `already_answered`).
#[utoipa::path(
    tag = "in-use rounds",
    request_body = InUseLinkBody,
    responses(
        Anyone, JsonBody,
        (status = 200, description = "Answered", body = InUseAnswered),
        (status = 404, description = "No such link", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_answered`, `round_over`, or the loan has ended", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("")]
async fn answer_in_use_by_link(
    state: web::Data<AppState>,
    body: SmallJson<InUseLinkBody>,
) -> Result<web::Json<InUseAnswered>, ApiError> {
    let b = body.0;
    let (note, settings) = (note(b.note)?, state.settings.clone());
    let today = Utc::now().date_naive();
    let done = state
        .db(move |conn| in_use::answer_by_link(conn, &settings, &b.token, b.answer, note.as_deref(), today))
        .await?;
    Ok(web::Json(InUseAnswered::of(done)?))
}
