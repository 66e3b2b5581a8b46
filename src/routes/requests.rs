//! `/api/v1/requests`: a school asks for kit for one of its students; the queue of requests.

use std::collections::HashMap;

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::AuthUser;
use crate::domain::licence::parse_product;
use crate::domain::priority::{queue, Priority, PriorityWeights, QueueEntry};
use crate::domain::request::{check_request, days_between, Lacks, RequestKind, RequestState};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::openapi::answers::*;
use crate::pagination::{page, PageQuery};
use crate::state::AppState;
use crate::store::{self, requests, requests::Request, students, DbConnection};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(create_request).service(list_requests).service(get_request).service(cancel_request);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRequest {
    pub student_id: uuid::Uuid,
    pub kind: RequestKind,
    /// For a licence: the product, e.g. `figma`.
    pub product: Option<String>,
    /// When the student needs it: today or later. Defaults to the start of their programme
    /// (or today, once it has started).
    pub needed_by: Option<NaiveDate>,
    /// Whether the student can pick kit up at another hub than their own.
    #[serde(default)]
    pub travel_ok: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestView {
    pub id: uuid::Uuid,
    pub student_id: uuid::Uuid,
    pub school_id: uuid::Uuid,
    pub kind: RequestKind,
    pub product: Option<String>,
    pub needed_by: NaiveDate,
    pub travel_ok: bool,
    pub state: RequestState,
    /// Today's priority and the terms it is made of (see the configuration's `[priority]`).
    pub priority: Priority,
    /// Place among pending requests of this kind (1 is next); null unless pending.
    pub queue_position: Option<i64>,
    /// Days since the request was made (until it closed).
    pub days_waiting: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Builds the views of `rows`: each request's priority from its student's needs, and the
/// queue position of each pending one among all pending requests of its kind.
pub fn views(
    conn: &mut DbConnection,
    rows: Vec<Request>,
    w: &PriorityWeights,
    today: NaiveDate,
) -> Result<Vec<RequestView>, ApiError> {
    let mut positions: HashMap<String, i64> = HashMap::new();
    let mut kinds: Vec<&str> =
        rows.iter().filter(|r| r.state == "pending").map(|r| r.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        let entries: Vec<QueueEntry> = requests::pending_of_kind(conn, kind)?
            .into_iter()
            .map(|(id, needed_by, created_at, laptop, connectivity, software)| QueueEntry {
                id,
                needed_by,
                requested_on: created_at.date(),
                lacks: Lacks { laptop, connectivity, software }.count(),
            })
            .collect();
        for (i, (id, _)) in queue(&entries, w, today).into_iter().enumerate() {
            positions.insert(id, i as i64 + 1);
        }
    }
    rows.into_iter()
        .map(|r| {
            let student = students::find(conn, &r.student_id)?;
            let lacks = Lacks {
                laptop: student.lacks_laptop,
                connectivity: student.lacks_connectivity,
                software: student.lacks_software,
            };
            let until = r.closed_at.map_or(today, |c| c.date());
            Ok(RequestView {
                id: super::stored_id(&r.id)?,
                student_id: super::stored_id(&r.student_id)?,
                school_id: super::stored_id(&r.school_id)?,
                kind: RequestKind::parse(&r.kind)
                    .ok_or_else(|| ApiError::internal("unknown request kind stored"))?,
                state: RequestState::parse(&r.state)
                    .ok_or_else(|| ApiError::internal("unknown request state stored"))?,
                priority: crate::domain::priority::priority(
                    w,
                    r.needed_by,
                    r.created_at.date(),
                    lacks.count(),
                    today,
                ),
                queue_position: positions.get(&r.id).copied(),
                days_waiting: days_between(r.created_at.date(), until),
                product: r.product,
                needed_by: r.needed_by,
                travel_ok: r.travel_ok,
                created_at: r.created_at.and_utc(),
                updated_at: r.updated_at.and_utc(),
                closed_at: r.closed_at.map(|c| c.and_utc()),
            })
        })
        .collect()
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
    // A date in the past would only push the request up the queue: it is not a need.
    if b.needed_by.is_some_and(|d| d < today()) {
        return Err(ApiError::invalid("needed_by", "must be today or later"));
    }
    let student_id = b.student_id.to_string();
    let actor = auth.id.clone();
    let weights = state.settings.priority;
    let view = state
        .db(move |conn| {
            store::write_tx(conn, |conn| {
                let student = match students::find_visible(conn, &student_id, scope.as_deref()) {
                    Ok(s) if s.erased_at.is_none() => s,
                    Ok(_) | Err(diesel::result::Error::NotFound) => {
                        return Err(ApiError::invalid("student_id", "no such student"));
                    }
                    Err(e) => return Err(e.into()),
                };
                let lacks = Lacks {
                    laptop: student.lacks_laptop,
                    connectivity: student.lacks_connectivity,
                    software: student.lacks_software,
                };
                check_request(b.kind, product.as_deref(), lacks)?;
                if requests::open_for(conn, &student.id, b.kind.as_str(), product.as_deref())?.is_some() {
                    return Err(ApiError::conflict("This student already has an open request for this."));
                }
                let now = store::now();
                let id = store::new_id();
                let row = requests::insert(
                    conn,
                    &requests::NewRequest {
                        id: &id,
                        student_id: &student.id,
                        school_id: &student.school_id,
                        kind: b.kind.as_str(),
                        product: product.as_deref(),
                        needed_by: b.needed_by.unwrap_or(student.programme_start.max(today())),
                        travel_ok: b.travel_ok,
                        state: RequestState::Pending.as_str(),
                        created_by: Some(&actor),
                        created_at: now,
                        updated_at: now,
                    },
                )
                .map_err(ApiError::from)?;
                let view = views(conn, vec![row], &weights, today())?
                    .pop()
                    .ok_or_else(|| ApiError::internal("no request view"))?;
                let place = serde_json::json!({ "position": view.queue_position });
                crate::notify::messages::to_student(
                    conn,
                    &student.id,
                    "request_received",
                    b.kind,
                    product.as_deref(),
                    place,
                    None,
                )?;
                Ok(view)
            })
        })
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
    let view = state
        .db(move |conn| {
            let row = store::write_tx(conn, |conn| {
                let current = requests::find_visible(conn, &id, scope.as_deref())?;
                // An allocated request holds kit; freeing that kit belongs to the allocation, so
                // only a pending request is cancelled here.
                if !requests::set_state(conn, &id, &["pending"], "cancelled", store::now())? {
                    return Err(ApiError::IllegalTransition {
                        state: current.state,
                        action: "cancel".into(),
                        allowed_actions: vec![],
                    });
                }
                requests::find_visible(conn, &id, None).map_err(ApiError::from)
            })?;
            views(conn, vec![row], &weights, today())?
                .pop()
                .ok_or_else(|| ApiError::internal("no request view"))
        })
        .await?;
    Ok(web::Json(view))
}
