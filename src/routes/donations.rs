//! `/api/v1/donations`: a donor's pledge of kit, and its receipt by pool staff.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::{BoundedText, Role};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::pagination::{page, Page, PageQuery};
use crate::state::AppState;
use crate::store::{self, donations, donations::Donation};
use crate::workflows::donations::{
    contents, pledge as pledge_donation, set_gifts_allowed, DonationContents, NewPledge,
};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(create_donation)
        .service(list_donations)
        .service(get_donation)
        .service(update_donation)
        .service(receive_donation);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DonationState {
    /// Promised; not at a hub yet.
    Pledged,
    /// Delivered to a hub.
    Received,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDonation {
    /// Staff only: the donor organisation giving. Donors always give as themselves.
    pub donor_id: Option<uuid::Uuid>,
    /// Where the donor plans to drop the kit off.
    pub expected_hub_id: Option<uuid::Uuid>,
    pub expected_date: Option<NaiveDate>,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// May this donation's kit be given away at a programme's end (default `false`).
    pub gifts_allowed: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DonationView {
    pub id: uuid::Uuid,
    pub donor_id: uuid::Uuid,
    pub expected_hub_id: Option<uuid::Uuid>,
    pub expected_date: Option<NaiveDate>,
    pub note: Option<String>,
    pub state: DonationState,
    pub received_at: Option<DateTime<Utc>>,
    /// May this donation's kit be given away at a programme's end.
    pub gifts_allowed: bool,
    /// Present when one donation is read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contents: Option<DonationContents>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl DonationView {
    fn from_row(d: Donation) -> Result<DonationView, ApiError> {
        Ok(DonationView {
            id: super::stored_id(&d.id)?,
            donor_id: super::stored_id(&d.donor_id)?,
            expected_hub_id: d.expected_hub_id.as_deref().map(super::stored_id).transpose()?,
            expected_date: d.expected_date,
            note: d.note,
            state: if d.state == "received" { DonationState::Received } else { DonationState::Pledged },
            received_at: d.received_at.map(|t| t.and_utc()),
            gifts_allowed: d.gifts_allowed,
            contents: None,
            created_at: d.created_at.and_utc(),
            updated_at: d.updated_at.and_utc(),
        })
    }
}

/// Register a donation: a pledge of devices and licences.
#[utoipa::path(
    tag = "donations",
    request_body = CreateDonation,
    responses(
        SignedIn, JsonBody,
        (status = 201, description = "Registered", body = DonationView, headers(("Location" = String))),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/donations")]
async fn create_donation(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<CreateDonation>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.donor_scope()?;
    let body = body.0;
    let note = BoundedText::parse_optional_multiline("note", body.note.as_deref(), 2000)?;
    let donor_id = match (scope, body.donor_id) {
        (Some(own), _) => own,
        (None, Some(donor)) => donor.to_string(),
        (None, None) => return Err(ApiError::invalid("donor_id", crate::phrase!("field-donor-required"))),
    };
    let pledge = NewPledge {
        donor_id,
        expected_hub_id: body.expected_hub_id.map(|h| h.to_string()),
        expected_date: body.expected_date,
        note,
        gifts_allowed: body.gifts_allowed.unwrap_or(false),
    };
    let actor = auth.id.clone();
    let donation = state.db(move |conn| pledge_donation(conn, pledge, &actor)).await?;
    let view = DonationView::from_row(donation)?;
    Ok(super::created(format!("/api/v1/donations/{}", view.id), &view))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DonationFilter {
    pub state: Option<DonationState>,
    /// Pool staff: one donor's donations.
    pub donor_id: Option<uuid::Uuid>,
}

/// List donations: a donor sees their own, pool staff all.
#[utoipa::path(
    tag = "donations",
    params(PageQuery, DonationFilter),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "A page of donations", body = Page<DonationView>),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/donations")]
async fn list_donations(
    state: web::Data<AppState>,
    auth: AuthUser,
    paging: web::Query<PageQuery>,
    filter: web::Query<DonationFilter>,
) -> Result<web::Json<Page<DonationView>>, ApiError> {
    let scope = auth.donor_scope()?;
    let (limit, after) = (paging.limit()?, paging.after()?);
    let donor = scope.or(filter.donor_id.map(|d| d.to_string()));
    let wanted = filter.state.map(|s| if s == DonationState::Received { "received" } else { "pledged" });
    let rows = state
        .db(move |conn| {
            donations::list(conn, donor.as_deref(), wanted, after.as_deref(), limit + 1).map_err(Into::into)
        })
        .await?;
    Ok(web::Json(super::try_page(page(rows, limit, |d| d.id.as_str(), DonationView::from_row))?))
}

/// Read one donation, with how many of its items are at each stage.
#[utoipa::path(
    tag = "donations",
    params(("id" = uuid::Uuid, Path, description = "Donation id")),
    responses(
        SignedIn,
        (status = 200, description = "The donation", body = DonationView),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such donation, or not yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/donations/{id}")]
async fn get_donation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<DonationView>, ApiError> {
    let scope = auth.donor_scope()?;
    let id = id.into_inner().to_string();
    let (donation, contents) = state
        .db(move |conn| {
            let donation = donations::find_visible(conn, &id, scope.as_deref())?;
            Ok((donation, contents(conn, &id)?))
        })
        .await?;
    let mut view = DonationView::from_row(donation)?;
    view.contents = Some(contents);
    Ok(web::Json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateDonation {
    /// May this donation's kit be given away at a programme's end.
    pub gifts_allowed: bool,
}

/// Change a donation: whether its kit may be given away (the donor, for their own; staff).
#[utoipa::path(
    tag = "donations",
    params(("id" = uuid::Uuid, Path, description = "Donation id")),
    request_body = UpdateDonation,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "Changed", body = DonationView),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such donation, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/donations/{id}")]
async fn update_donation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<UpdateDonation>,
) -> Result<web::Json<DonationView>, ApiError> {
    let scope = auth.donor_scope()?;
    let id = id.into_inner().to_string();
    let allowed = body.0.gifts_allowed;
    let donation = state.db(move |conn| set_gifts_allowed(conn, &id, scope.as_deref(), allowed)).await?;
    Ok(web::Json(DonationView::from_row(donation)?))
}

/// Mark a donation received at a hub. Its items are then received one by one.
#[utoipa::path(
    tag = "donations",
    params(("id" = uuid::Uuid, Path, description = "Donation id")),
    responses(
        SignedIn,
        (status = 200, description = "Received", body = DonationView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such donation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already received", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/donations/{id}/receive")]
async fn receive_donation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<DonationView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let id = id.into_inner().to_string();
    let actor = auth.id.clone();
    let donation = state
        .db(move |conn| {
            store::write_tx(conn, |conn| {
                let current = donations::find(conn, &id)?;
                if !donations::mark_received(conn, &id, &actor, store::now())? {
                    return Err(ApiError::IllegalTransition {
                        state: current.state,
                        action: "receive".into(),
                        allowed_actions: vec![],
                    });
                }
                donations::find(conn, &id).map_err(ApiError::from)
            })
        })
        .await?;
    Ok(web::Json(DonationView::from_row(donation)?))
}
