//! `/api/v1/me`: who am I.

use actix_web::{get, web};
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::state::AppState;
use crate::workflows::my_kit::{my_kit, MyLoans};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(get_me).service(get_my_loans);
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
    Ok(web::Json(MeView {
        id: super::stored_id(&auth.id)?,
        email: auth.email,
        role: auth.role,
        organisation_id: auth.organisation_id.as_deref().map(super::stored_id).transpose()?,
        student_id: auth.student_id.as_deref().map(super::stored_id).transpose()?,
        preferred_language: auth.language,
    }))
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
