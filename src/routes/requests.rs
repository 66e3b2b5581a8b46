//! `/api/v1/requests`: a school asks for kit for one of its students; the queue of requests.

use actix_web::{get, post, web, HttpResponse};
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::licence::parse_product;
use crate::domain::request::{RequestKind, RequestState};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::pagination::{page, PageQuery};
use crate::state::AppState;
use crate::store::requests;
use crate::workflows::requests::{self as requests_workflow, cancel, views, NewRequest, RequestView};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(create_request).service(list_requests).service(get_request).service(cancel_request);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRequest {
    pub student_id: uuid::Uuid,
    pub kind: RequestKind,
    /// For a licence: the product, e.g. `figma`.
    #[schema(min_length = 1, max_length = 100, pattern = "^[\\w\\s.+-]*[\\w.+-][\\w\\s.+-]*$")]
    pub product: Option<String>,
    /// When the student needs it: today or later. Defaults to the start of their programme
    /// (or today, once it has started).
    pub needed_by: Option<NaiveDate>,
    /// Whether the student can pick kit up at another hub than their own.
    #[serde(default)]
    pub travel_ok: bool,
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Ask for kit for a student. The student must be flagged as lacking it; one open request per
/// student and kind (per product for licences).
#[utoipa::path(
    tag = "requests",
    request_body = CreateRequest,
    responses(
        SignedIn, JsonBody,
        (status = 201, description = "In the queue", body = RequestView, headers(("Location" = String))),
        (status = 403, description = "Schools and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The student has an open request for this already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the student does not lack this", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/requests")]
async fn create_request(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<CreateRequest>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.school_scope()?;
    let b = body.0;
    let product = b.product.as_deref().map(parse_product).transpose()?;
    let asked = NewRequest {
        student_id: b.student_id.to_string(),
        kind: b.kind,
        product,
        needed_by: b.needed_by,
        travel_ok: b.travel_ok,
    };
    let (actor, weights) = (auth.id.clone(), state.settings.priority);
    let view = state
        .db(move |conn| requests_workflow::create(conn, scope.as_deref(), &actor, asked, &weights, today()))
        .await?;
    Ok(super::created(format!("/api/v1/requests/{}", view.id), &view))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestQuery {
    pub state: Option<RequestState>,
    pub kind: Option<RequestKind>,
    /// Pool staff: one school's requests.
    pub school_id: Option<uuid::Uuid>,
    pub student_id: Option<uuid::Uuid>,
    /// Requests of students whose preferred hub this is.
    pub hub_id: Option<uuid::Uuid>,
}

/// A page of requests.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestPage {
    pub items: Vec<RequestView>,
    pub next_cursor: Option<String>,
}

/// The queue: a school sees its own requests, pool staff all, with waiting times and places.
#[utoipa::path(
    tag = "requests",
    params(PageQuery, RequestQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "A page of requests", body = RequestPage),
        (status = 403, description = "Schools and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/requests")]
async fn list_requests(
    state: web::Data<AppState>,
    auth: AuthUser,
    paging: web::Query<PageQuery>,
    query: web::Query<RequestQuery>,
) -> Result<web::Json<RequestPage>, ApiError> {
    let scope = auth.school_scope()?;
    let (limit, after) = (paging.limit()?, paging.after()?);
    let q = query.into_inner();
    let filter = requests::RequestFilter {
        school_id: scope.or(q.school_id.map(|s| s.to_string())),
        student_id: q.student_id.map(|s| s.to_string()),
        kind: q.kind.map(|k| k.as_str().to_owned()),
        state: q.state.map(|s| s.as_str().to_owned()),
        hub_id: q.hub_id.map(|h| h.to_string()),
    };
    let weights = state.settings.priority;
    let page = state
        .db(move |conn| {
            let rows = requests::list(conn, &filter, after.as_deref(), limit + 1)?;
            let p = page(rows, limit, |r| r.id.as_str(), |r| r);
            Ok(RequestPage { items: views(conn, p.items, &weights, today())?, next_cursor: p.next_cursor })
        })
        .await?;
    Ok(web::Json(page))
}

/// Read one request.
#[utoipa::path(
    tag = "requests",
    params(("id" = uuid::Uuid, Path, description = "Request id")),
    responses(
        SignedIn,
        (status = 200, description = "The request", body = RequestView),
        (status = 403, description = "Schools and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request, or not yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/requests/{id}")]
async fn get_request(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<RequestView>, ApiError> {
    let scope = auth.school_scope()?;
    let id = id.into_inner().to_string();
    let weights = state.settings.priority;
    let view = state
        .db(move |conn| {
            let row = requests::find_visible(conn, &id, scope.as_deref())?;
            views(conn, vec![row], &weights, today())?
                .pop()
                .ok_or_else(|| ApiError::internal("no request view"))
        })
        .await?;
    Ok(web::Json(view))
}

/// Cancel an open request.
#[utoipa::path(
    tag = "requests",
    params(("id" = uuid::Uuid, Path, description = "Request id")),
    responses(
        SignedIn,
        (status = 200, description = "Cancelled", body = RequestView),
        (status = 403, description = "Schools and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The request is closed already", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/requests/{id}/cancel")]
async fn cancel_request(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<RequestView>, ApiError> {
    let scope = auth.school_scope()?;
    let id = id.into_inner().to_string();
    let weights = state.settings.priority;
    let view = state.db(move |conn| cancel(conn, &id, scope.as_deref(), &weights, today())).await?;
    Ok(web::Json(view))
}
