//! A gift at the programme's end: staff offer a loan's device (`POST /loans/{id}/gift`), the
//! student reads the transfer text (`GET /gift-agreement`) and accepts it
//! (`POST /loans/{id}/gift/accept`). Another student's loan is 404.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::report::language_of;
use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, AuthUser};
use crate::openapi::answers::*;
use crate::state::AppState;
use crate::workflows::gifts;

use super::loans::{scope, AgreementQuery, AgreementView, GiftView, LoanView};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(offer_gift).service(accept_gift).service(gift_agreement);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GiftOffer {
    /// Why the student may keep it, in a few words ("started a job", "device older than four years").
    #[schema(max_length = 200)]
    pub reason: String,
}

/// Staff offer the device of an active loan to its student as a gift. Refused when the
/// donation does not allow gifts (`gift_not_allowed`), or the loan is not active or has an offer.
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    request_body = GiftOffer,
    responses(
        SignedIn, JsonBody,
        (status = 201, description = "Offered; the student is mailed", body = GiftView, headers(("Location" = String))),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`gift_not_allowed` (the donation does not allow it, or a licence seat), or the loan is not active or has an offer", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/loans/{id}/gift")]
async fn offer_gift(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<GiftOffer>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let reason = gifts::parse_reason(&body.0.reason)?;
    let (id, actor) = (id.into_inner().to_string(), auth.id.clone());
    let loan = state.db(move |conn| gifts::offer(conn, &id, &actor, &reason)).await?;
    let view = GiftView::of(&loan)?.ok_or_else(|| ApiError::internal("an offer without its time"))?;
    Ok(super::created(format!("/api/v1/loans/{}", view.loan_id), &view))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GiftAcceptance {
    /// The version of `GET /api/v1/gift-agreement` the student read.
    #[schema(max_length = 40)]
    pub agreement_version: String,
}

/// The student accepts the gift: the loan ends as `gifted` and the device is theirs, never in
/// the pool again.
#[utoipa::path(
    tag = "loans",
    params(("id" = uuid::Uuid, Path, description = "Loan id")),
    request_body = GiftAcceptance,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "The loan, now `gifted`", body = LoanView),
        (status = 403, description = "The student only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such loan, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No gift offered, or the loan is not active", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not the current version of the text", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/loans/{id}/gift/accept")]
async fn accept_gift(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<GiftAcceptance>,
) -> Result<web::Json<LoanView>, ApiError> {
    auth.require(&[Role::Student])?;
    let scope = scope(&auth)?;
    let (id, actor, version) = (id.into_inner().to_string(), auth.id.clone(), body.0.agreement_version);
    let settings = state.settings.clone();
    let loan = state.db(move |conn| gifts::accept(conn, &settings, &scope, &id, &actor, &version)).await?;
    Ok(web::Json(LoanView::from_row(loan, Utc::now().date_naive())?))
}

/// The transfer-of-ownership text a student accepts for a gift, in `?lang=` or the reader's
/// language. Public: it holds nothing personal.
#[utoipa::path(
    tag = "loans",
    params(AgreementQuery),
    responses(
        QueryString,
        (status = 200, description = "The current text", body = AgreementView),
    ),
)]
#[get("/gift-agreement")]
async fn gift_agreement(
    state: web::Data<AppState>,
    request: HttpRequest,
    query: web::Query<AgreementQuery>,
) -> Result<web::Json<AgreementView>, ApiError> {
    let header = request.headers().get("accept-language").and_then(|v| v.to_str().ok());
    let language = query.lang.unwrap_or_else(|| language_of(header));
    let p = &state.settings.programme_end;
    Ok(web::Json(AgreementView::of(&p.gift_agreement, &p.gift_agreement_version, language)))
}
