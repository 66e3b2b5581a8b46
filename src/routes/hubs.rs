//! `/api/v1/hubs`: pick-up and return locations. Pool staff write; everyone signed in reads.

use actix_web::{get, patch, post, web, HttpResponse};
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
use crate::store::{hubs, hubs::Hub};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(create_hub).service(list_hubs).service(get_hub).service(update_hub);
}

use crate::workflows::hubs::{ADDRESS_MAX, HOURS_MAX, NAME_MAX};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateHub {
    /// Unique, whatever the case.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: String,
    /// Street address as people would write it on an envelope.
    #[schema(min_length = 1, max_length = 500, pattern = "\\S")]
    pub address: String,
    /// When people can pick kit up, as they would read it, e.g. "ma-vr 10:00-17:00".
    #[schema(max_length = 200)]
    pub opening_hours: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateHub {
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: Option<String>,
    #[schema(min_length = 1, max_length = 500, pattern = "\\S")]
    pub address: Option<String>,
    /// An empty text clears them.
    #[schema(max_length = 200)]
    pub opening_hours: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HubView {
    pub id: uuid::Uuid,
    pub name: String,
    pub address: String,
    pub opening_hours: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl HubView {
    fn from_row(h: Hub) -> Result<HubView, ApiError> {
        Ok(HubView {
            id: super::stored_id(&h.id)?,
            name: h.name,
            address: h.address,
            opening_hours: h.opening_hours,
            created_at: h.created_at.and_utc(),
            updated_at: h.updated_at.and_utc(),
        })
    }
}

/// Add a hub.
#[utoipa::path(
    tag = "hubs",
    request_body = CreateHub,
    responses(
        SignedIn, JsonBody,
        (status = 201, description = "Created", body = HubView, headers(("Location" = String))),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/hubs")]
async fn create_hub(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<CreateHub>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let b = body.0;
    let d = crate::workflows::hubs::details(&b.name, &b.address, b.opening_hours.as_deref())?;
    let hub = state.db(move |conn| crate::workflows::hubs::open(conn, &d)).await?;
    let view = HubView::from_row(hub)?;
    Ok(super::created(format!("/api/v1/hubs/{}", view.id), &view))
}

/// List hubs.
#[utoipa::path(
    tag = "hubs",
    params(PageQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "A page of hubs", body = Page<HubView>),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/hubs")]
async fn list_hubs(
    state: web::Data<AppState>,
    _auth: AuthUser,
    paging: web::Query<PageQuery>,
) -> Result<web::Json<Page<HubView>>, ApiError> {
    let (limit, after) = (paging.limit()?, paging.after()?);
    let rows =
        state.db(move |conn| hubs::list(conn, after.as_deref(), limit + 1).map_err(ApiError::from)).await?;
    Ok(web::Json(super::try_page(page(rows, limit, |h| h.id.as_str(), HubView::from_row))?))
}

/// Read one hub.
#[utoipa::path(
    tag = "hubs",
    params(("id" = uuid::Uuid, Path, description = "Hub id")),
    responses(
        SignedIn,
        (status = 200, description = "The hub", body = HubView),
        (status = 404, description = "No such hub", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/hubs/{id}")]
async fn get_hub(
    state: web::Data<AppState>,
    _auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<HubView>, ApiError> {
    let id = id.into_inner().to_string();
    let hub = state.db(move |conn| hubs::find(conn, &id).map_err(ApiError::from)).await?;
    Ok(web::Json(HubView::from_row(hub)?))
}

/// Rename a hub or change its address.
#[utoipa::path(
    tag = "hubs",
    params(("id" = uuid::Uuid, Path, description = "Hub id")),
    request_body = UpdateHub,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "The updated hub", body = HubView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such hub", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/hubs/{id}")]
async fn update_hub(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<UpdateHub>,
) -> Result<web::Json<HubView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let id = id.into_inner().to_string();
    let name = body.0.name.map(|n| BoundedText::parse("name", &n, NAME_MAX)).transpose()?;
    let address =
        body.0.address.map(|a| BoundedText::parse_multiline("address", &a, ADDRESS_MAX)).transpose()?;
    let hours = body
        .0
        .opening_hours
        .as_deref()
        .map(|h| BoundedText::parse_optional_multiline("opening_hours", Some(h), HOURS_MAX))
        .transpose()?;
    let changes = hubs::HubChanges {
        name: name.map(BoundedText::into_inner),
        address: address.map(BoundedText::into_inner),
        opening_hours: hours,
        updated_at: None,
    };
    let hub = state.db(move |conn| crate::workflows::hubs::change(conn, &id, changes)).await?;
    Ok(web::Json(HubView::from_row(hub)?))
}
