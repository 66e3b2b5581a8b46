//! `/api/v1/me`: who am I.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, AuthUser};
use crate::openapi::answers::*;
use crate::state::AppState;
use crate::workflows::my_kit::{my_kit, MyLoans};
use crate::workflows::{accounts, sign_in};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(get_me)
        .service(change_me)
        .service(change_my_password)
        .service(sign_out_everywhere)
        .service(get_my_loans);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    pub id: uuid::Uuid,
    pub email: String,
    pub role: Role,
    /// The school or donor the account belongs to; null for pool staff and students.
    pub organisation_id: Option<uuid::Uuid>,
    /// The student record of a student account; null otherwise.
    pub student_id: Option<uuid::Uuid>,
    /// The language the account reads the service in; null until chosen.
    pub preferred_language: Option<crate::domain::student::Language>,
}

/// The signed-in account.
#[utoipa::path(
    tag = "auth",
    responses(
        SignedIn,
        (status = 200, description = "The signed-in account", body = MeView),
    ),
    security(("bearer" = []))
)]
#[get("/me")]
async fn get_me(auth: AuthUser) -> Result<web::Json<MeView>, ApiError> {
    Ok(web::Json(me_view(auth, None)?))
}

fn me_view(auth: AuthUser, language: Option<crate::domain::student::Language>) -> Result<MeView, ApiError> {
    Ok(MeView {
        id: super::stored_id(&auth.id)?,
        email: auth.email,
        role: auth.role,
        organisation_id: auth.organisation_id.as_deref().map(super::stored_id).transpose()?,
        student_id: auth.student_id.as_deref().map(super::stored_id).transpose()?,
        preferred_language: language.or(auth.language),
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeMe {
    /// The language the account's pages and mail come in (for a student, their record's too).
    pub preferred_language: crate::domain::student::Language,
}

/// Change the signed-in account's language, as on the page "My account".
#[utoipa::path(
    tag = "auth",
    request_body = ChangeMe,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "The account, changed", body = MeView),
        (status = 422, description = "Not a language of the service", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/me")]
async fn change_me(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<ChangeMe>,
) -> Result<web::Json<MeView>, ApiError> {
    let (id, language) = (auth.id.clone(), body.0.preferred_language);
    state.db(move |conn| accounts::choose_language(conn, &id, language)).await?;
    Ok(web::Json(me_view(auth, Some(language))?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    #[schema(max_length = 128)]
    pub current_password: String,
    /// At least 12 characters.
    #[schema(max_length = 128)]
    pub new_password: String,
}

/// Change the signed-in account's password. The current one must be right (counted like a
/// sign-in attempt); every session and token of the account then ends, and the answer is a
/// new token.
#[utoipa::path(
    tag = "auth",
    request_body = ChangePassword,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "Changed: a new access token", body = super::auth::TokenResponse),
        (status = 422, description = "The current password is wrong, or the new one breaks the rules", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords: wait", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64))),
        (status = 503, description = "Too many passwords are being checked: try again", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64))),
    ),
    security(("bearer" = []))
)]
#[post("/me/password")]
async fn change_my_password(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<ChangePassword>,
) -> Result<web::Json<super::auth::TokenResponse>, ApiError> {
    let body = body.0;
    let signed_in =
        sign_in::change_password(&state, &auth.id, &body.current_password, &body.new_password).await?;
    Ok(web::Json(signed_in.into()))
}

/// End every session and access token of the signed-in account, in every browser and tool
/// (this token too).
#[utoipa::path(
    tag = "auth",
    responses(
        SignedIn,
        (status = 204, description = "Signed out everywhere"),
    ),
    security(("bearer" = []))
)]
#[post("/me/sign-out-everywhere")]
async fn sign_out_everywhere(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    let id = auth.id.clone();
    state.db(move |conn| sign_in::sign_out_everywhere(conn, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A student's own loans and open requests, each with a plain-language status.
#[utoipa::path(
    tag = "auth",
    responses(
        SignedIn,
        (status = 200, description = "The student's loans and open requests", body = MyLoans),
        (status = 403, description = "Students only", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/me/loans")]
async fn get_my_loans(state: web::Data<AppState>, auth: AuthUser) -> Result<web::Json<MyLoans>, ApiError> {
    auth.require(&[Role::Student])?;
    let student_id = auth.student_id.clone().ok_or(ApiError::Forbidden)?;
    let weights = state.settings.priority;
    let mine = state.db(move |conn| my_kit(conn, &student_id, &weights, Utc::now().date_naive())).await?;
    Ok(web::Json(mine))
}
