//! `/api/v1/licences`: donated software licences and their seats. The licence key is
//! write-only: only pool staff (and, once loans exist, the seat's holder) read it back.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::licence::{free_seats, is_expired, parse_product, parse_seats};
use crate::domain::{self, BoundedText, Role};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::pagination::{page, Page, PageQuery};
use crate::state::AppState;
use crate::store::{self, licences, licences::Licence};
use crate::workflows::donations::{add_licence, NewLicence};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(create_licence).service(list_licences).service(get_licence).service(update_licence);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLicence {
    /// What requests ask for, e.g. `figma` or `adobe-creative-cloud` (stored in lower case).
    #[schema(min_length = 1, max_length = 100, pattern = "^[\\w\\s.+-]*[\\w.+-][\\w\\s.+-]*$")]
    pub product: String,
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub vendor: String,
    #[schema(minimum = 1, maximum = 100000)]
    pub seats: i32,
    /// Last day the licence may be used; none for a perpetual licence.
    pub expires_on: Option<NaiveDate>,
    /// The licence key or activation code. Never shown back to the donor.
    #[schema(min_length = 1, max_length = 2000, pattern = "\\S")]
    pub key: String,
    pub donation_id: uuid::Uuid,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateLicence {
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub vendor: Option<String>,
    /// Never fewer than the seats in use.
    #[schema(minimum = 1, maximum = 100000)]
    pub seats: Option<i32>,
    pub expires_on: Option<NaiveDate>,
    #[schema(min_length = 1, max_length = 2000, pattern = "\\S")]
    pub key: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LicenceView {
    pub id: uuid::Uuid,
    pub product: String,
    pub vendor: String,
    pub seats: i32,
    pub seats_in_use: i32,
    /// Seats that can be lent today: none once expired.
    pub seats_free: i32,
    pub expires_on: Option<NaiveDate>,
    pub expired: bool,
    pub donation_id: uuid::Uuid,
    pub donor_id: uuid::Uuid,
    /// Pool staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl LicenceView {
    fn from_row(l: Licence, show_key: bool, today: NaiveDate) -> Result<LicenceView, ApiError> {
        Ok(LicenceView {
            id: super::stored_id(&l.id)?,
            seats_free: free_seats(l.seats, l.seats_in_use, l.expires_on, today),
            expired: is_expired(l.expires_on, today),
            product: l.product,
            vendor: l.vendor,
            seats: l.seats,
            seats_in_use: l.seats_in_use,
            expires_on: l.expires_on,
            donation_id: super::stored_id(&l.donation_id)?,
            donor_id: super::stored_id(&l.donor_id)?,
            key: show_key.then_some(l.licence_key),
            created_at: l.created_at.and_utc(),
            updated_at: l.updated_at.and_utc(),
        })
    }
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Register a donated licence as part of a donation.
#[utoipa::path(
    tag = "licences",
    request_body = CreateLicence,
    responses(
        SignedIn, JsonBody,
        (status = 201, description = "Registered", body = LicenceView, headers(("Location" = String))),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/licences")]
async fn create_licence(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<CreateLicence>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.donor_scope()?;
    let b = body.0;
    let product = parse_product(&b.product);
    let vendor = BoundedText::parse("vendor", &b.vendor, 200);
    let seats = parse_seats(b.seats);
    let key = BoundedText::parse_multiline("key", &b.key, 2000);
    let (product, vendor, seats, key) = match (product, vendor, seats, key) {
        (Ok(p), Ok(v), Ok(s), Ok(k)) => (p, v, s, k),
        (p, v, s, k) => return Err(domain::field_errors([p.err(), v.err(), s.err(), k.err()]).into()),
    };
    let show_key = scope.is_none();
    let new = NewLicence {
        product,
        vendor: vendor.into_inner(),
        seats,
        expires_on: b.expires_on,
        key: key.into_inner(),
        donation_id: b.donation_id.to_string(),
    };
    let licence = state.db(move |conn| add_licence(conn, new, scope.as_deref())).await?;
    let view = LicenceView::from_row(licence, show_key, today())?;
    Ok(super::created(format!("/api/v1/licences/{}", view.id), &view))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LicenceQuery {
    pub product: Option<String>,
    /// Pool staff: one donor's licences.
    pub donor_id: Option<uuid::Uuid>,
    pub donation_id: Option<uuid::Uuid>,
    /// Only licences that have not expired.
    pub valid: Option<bool>,
}

/// List licences: pool staff see all, a donor their own.
#[utoipa::path(
    tag = "licences",
    params(PageQuery, LicenceQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "A page of licences", body = Page<LicenceView>),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit, cursor or product", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/licences")]
async fn list_licences(
    state: web::Data<AppState>,
    auth: AuthUser,
    paging: web::Query<PageQuery>,
    query: web::Query<LicenceQuery>,
) -> Result<web::Json<Page<LicenceView>>, ApiError> {
    let scope = auth.donor_scope()?;
    let (limit, after) = (paging.limit()?, paging.after()?);
    let show_key = scope.is_none();
    let q = query.into_inner();
    let day = today();
    let filter = licences::LicenceFilter {
        product: q.product.as_deref().map(parse_product).transpose()?,
        donor_id: scope.or(q.donor_id.map(|d| d.to_string())),
        donation_id: q.donation_id.map(|d| d.to_string()),
        valid_on: q.valid.filter(|v| *v).map(|_| day),
    };
    let rows = state
        .db(move |conn| licences::list(conn, &filter, after.as_deref(), limit + 1).map_err(Into::into))
        .await?;
    Ok(web::Json(super::try_page(page(
        rows,
        limit,
        |l| l.id.as_str(),
        |l| LicenceView::from_row(l, show_key, day),
    ))?))
}

/// Read one licence.
#[utoipa::path(
    tag = "licences",
    params(("id" = uuid::Uuid, Path, description = "Licence id")),
    responses(
        SignedIn,
        (status = 200, description = "The licence", body = LicenceView),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such licence, or not yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/licences/{id}")]
async fn get_licence(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<LicenceView>, ApiError> {
    let scope = auth.donor_scope()?;
    let show_key = scope.is_none();
    let id = id.into_inner().to_string();
    let licence =
        state.db(move |conn| licences::find_visible(conn, &id, scope.as_deref()).map_err(Into::into)).await?;
    Ok(web::Json(LicenceView::from_row(licence, show_key, today())?))
}

/// Change a licence's seats, expiry, vendor or key (pool staff).
#[utoipa::path(
    tag = "licences",
    params(("id" = uuid::Uuid, Path, description = "Licence id")),
    request_body = UpdateLicence,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "The updated licence", body = LicenceView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such licence", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or fewer seats than are in use", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/licences/{id}")]
async fn update_licence(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<UpdateLicence>,
) -> Result<web::Json<LicenceView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let b = body.0;
    let vendor = b.vendor.as_deref().map(|v| BoundedText::parse("vendor", v, 200)).transpose()?;
    let seats = b.seats.map(parse_seats).transpose()?;
    let key = b.key.as_deref().map(|k| BoundedText::parse_multiline("key", k, 2000)).transpose()?;
    let id = id.into_inner().to_string();
    let licence = state
        .db(move |conn| {
            store::write_tx(conn, |conn| {
                let current = licences::find_visible(conn, &id, None)?;
                if let Some(seats) = seats.filter(|s| *s < current.seats_in_use) {
                    return Err(ApiError::invalid(
                        "seats",
                        crate::phrase!("field-seats-in-use", seats = seats, in_use = current.seats_in_use),
                    ));
                }
                let changes = licences::LicenceChanges {
                    vendor: vendor.map(BoundedText::into_inner),
                    seats,
                    expires_on: b.expires_on.map(Some),
                    licence_key: key.map(BoundedText::into_inner),
                    updated_at: Some(store::now()),
                };
                licences::update(conn, &id, &changes)?;
                licences::find_visible(conn, &id, None).map_err(ApiError::from)
            })
        })
        .await?;
    Ok(web::Json(LicenceView::from_row(licence, true, today())?))
}
