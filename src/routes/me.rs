//! `/api/v1/me`: who am I.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::AuthUser;
use crate::domain::Role;
use crate::error::{ApiError, Problem};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(get_me);
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
}

/// The signed-in account.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "The signed-in account", body = MeView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
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
    }))
}
