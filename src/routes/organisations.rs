//! `/api/v1/organisations`: schools and donors, managed by admins.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::{OrganisationKind, Role};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::pagination::{page, Page, PageQuery};
use crate::state::AppState;
use crate::store::organisations::{self as stored, Organisation};
use crate::workflows::organisations;

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(create_organisation)
        .service(list_organisations)
        .service(get_organisation)
        .service(update_organisation);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganisation {
    /// Unique, whatever the case.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: String,
    pub kind: OrganisationKind,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganisation {
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationView {
    pub id: uuid::Uuid,
    pub name: String,
    pub kind: OrganisationKind,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OrganisationView {
    fn from_row(o: Organisation) -> Result<OrganisationView, ApiError> {
        Ok(OrganisationView {
            id: super::stored_id(&o.id)?,
            kind: OrganisationKind::parse(&o.kind)
                .ok_or_else(|| ApiError::internal("unknown organisation kind"))?,
            name: o.name,
            created_at: o.created_at.and_utc(),
            updated_at: o.updated_at.and_utc(),
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationFilter {
    /// Only schools or only donors.
    pub kind: Option<OrganisationKind>,
}

/// Create a school or donor organisation.
#[utoipa::path(
    tag = "organisations",
    request_body = CreateOrganisation,
    responses(
        SignedIn, JsonBody,
        (status = 201, description = "Created", body = OrganisationView, headers(("Location" = String))),
        (status = 403, description = "Admins only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/organisations")]
async fn create_organisation(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<CreateOrganisation>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Admin])?;
    let name = organisations::name(&body.0.name)?;
    let kind = body.0.kind;
    let org = state.db(move |conn| organisations::open(conn, &name, kind)).await?;
    let view = OrganisationView::from_row(org)?;
    Ok(super::created(format!("/api/v1/organisations/{}", view.id), &view))
}

/// List organisations.
#[utoipa::path(
    tag = "organisations",
    params(PageQuery, OrganisationFilter),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "A page of organisations", body = Page<OrganisationView>),
        (status = 403, description = "Admins only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/organisations")]
async fn list_organisations(
    state: web::Data<AppState>,
    auth: AuthUser,
    paging: web::Query<PageQuery>,
    filter: web::Query<OrganisationFilter>,
) -> Result<web::Json<Page<OrganisationView>>, ApiError> {
    auth.require(&[Role::Admin])?;
    let (limit, after) = (paging.limit()?, paging.after()?);
    let kind = filter.kind.map(OrganisationKind::as_str);
    let rows = state
        .db(move |conn| stored::list(conn, kind, after.as_deref(), limit + 1).map_err(ApiError::from))
        .await?;
    let page = page(rows, limit, |o| o.id.as_str(), OrganisationView::from_row);
    Ok(web::Json(super::try_page(page)?))
}

/// Read one organisation.
#[utoipa::path(
    tag = "organisations",
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses(
        SignedIn,
        (status = 200, description = "The organisation", body = OrganisationView),
        (status = 403, description = "Admins only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/organisations/{id}")]
async fn get_organisation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<OrganisationView>, ApiError> {
    auth.require(&[Role::Admin])?;
    let id = id.into_inner().to_string();
    let org = state.db(move |conn| stored::find(conn, &id).map_err(ApiError::from)).await?;
    Ok(web::Json(OrganisationView::from_row(org)?))
}

/// Rename an organisation. Its kind cannot change: its accounts and records depend on it.
#[utoipa::path(
    tag = "organisations",
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    request_body = UpdateOrganisation,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "The updated organisation", body = OrganisationView),
        (status = 403, description = "Admins only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/organisations/{id}")]
async fn update_organisation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<UpdateOrganisation>,
) -> Result<web::Json<OrganisationView>, ApiError> {
    auth.require(&[Role::Admin])?;
    let id = id.into_inner().to_string();
    let name = body.0.name.as_deref().map(organisations::name).transpose()?;
    let org = state.db(move |conn| organisations::rename(conn, &id, name)).await?;
    Ok(web::Json(OrganisationView::from_row(org)?))
}
