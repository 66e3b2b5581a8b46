//! `GET /api/v1/access-log`: who among pool staff read whose personal data (admins).

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::pagination::{page, Page, PageQuery};
use crate::state::AppState;
use crate::store::access_log::{self, AccessEntry};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(list_access_log);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLogEntry {
    pub id: uuid::Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: uuid::Uuid,
    pub student_id: uuid::Uuid,
    /// `read`, `list` or `export`.
    pub action: String,
    /// The `X-Request-Id` of the read, to find it in the logs.
    pub request_id: Option<String>,
}

impl AccessLogEntry {
    fn from_row(e: AccessEntry) -> Result<AccessLogEntry, ApiError> {
        Ok(AccessLogEntry {
            id: super::stored_id(&e.id)?,
            at: e.at.and_utc(),
            actor_id: super::stored_id(&e.actor_id)?,
            student_id: super::stored_id(&e.student_id)?,
            action: e.action,
            request_id: e.request_id,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccessLogQuery {
    pub student_id: Option<uuid::Uuid>,
    pub actor_id: Option<uuid::Uuid>,
}

/// Reads of students' personal data by pool staff, oldest first.
#[utoipa::path(
    tag = "privacy",
    params(PageQuery, AccessLogQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "A page of the access log", body = Page<AccessLogEntry>),
        (status = 403, description = "Admins only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/access-log")]
async fn list_access_log(
    state: web::Data<AppState>,
    auth: AuthUser,
    paging: web::Query<PageQuery>,
    query: web::Query<AccessLogQuery>,
) -> Result<web::Json<Page<AccessLogEntry>>, ApiError> {
    auth.require(&[Role::Admin])?;
    let (limit, after) = (paging.limit()?, paging.after()?);
    let (student, actor) = (query.student_id.map(|s| s.to_string()), query.actor_id.map(|a| a.to_string()));
    let rows = state
        .db(move |conn| {
            access_log::list(conn, student.as_deref(), actor.as_deref(), after.as_deref(), limit + 1)
                .map_err(Into::into)
        })
        .await?;
    Ok(web::Json(super::try_page(page(rows, limit, |e| e.id.as_str(), AccessLogEntry::from_row))?))
}
