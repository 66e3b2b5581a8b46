//! `/api/v1/allocations`: run the matching, and confirm or reject its proposals (staff).
//! Also the settings matching uses: travel costs between hubs and schools' caps.

use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::matching::{CostTerms, Objective};
use crate::domain::priority::Priority;
use crate::domain::request::RequestKind;
use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::pagination::{page, Page, PageQuery};
use crate::state::AppState;
use crate::store::{self, allocations, allocations::Allocation, matching as pool};
use crate::workflows::allocations::{allocate_by_hand, confirm, reject, run, HandPicked, Plan, Scope};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(run_allocations)
        .service(allocate_by_hand_route)
        .service(list_allocations)
        .service(get_allocation)
        .service(confirm_allocation)
        .service(reject_allocation)
        .service(decide_hub_route)
        .service(set_travel_cost)
        .service(list_travel_costs)
        .service(set_cap)
        .service(list_caps);
}

const POOL: [Role; 2] = [Role::Admin, Role::Staff];

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// Only show what would be proposed; write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Only kit at, and requests of students at, these hubs (licences have no hub).
    #[schema(max_items = 500)]
    pub hub_ids: Option<Vec<uuid::Uuid>>,
    /// Only these kinds of request.
    #[schema(max_items = 3)]
    pub kinds: Option<Vec<RequestKind>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalView {
    /// The allocation written for it; null in a dry run.
    pub id: Option<uuid::Uuid>,
    pub request_id: uuid::Uuid,
    pub device_id: Option<uuid::Uuid>,
    pub licence_id: Option<uuid::Uuid>,
    /// The request's priority and its terms.
    pub priority: Priority,
    /// The pair's cost and its terms.
    pub cost: CostTerms,
    /// Why this pair, in one sentence.
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnservedView {
    pub request_id: uuid::Uuid,
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ObjectiveView {
    pub served: i64,
    pub total_priority: i64,
    pub total_cost: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RunResult {
    pub dry_run: bool,
    pub proposals: Vec<ProposalView>,
    pub unserved: Vec<UnservedView>,
    /// Of the solved plan. In a real run, proposals whose kit changed meanwhile are left out.
    pub objective: ObjectiveView,
}

impl From<Objective> for ObjectiveView {
    fn from(o: Objective) -> ObjectiveView {
        ObjectiveView { served: o.served, total_priority: o.total_priority, total_cost: o.total_cost }
    }
}

/// Match today's pool to the queue, exactly: the largest total priority served, then the
/// least cost. A dry run only shows the proposals; a real run reserves the kit and allocates
/// the requests, for staff to confirm or reject.
#[utoipa::path(
    tag = "allocations",
    request_body = RunRequest,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "The proposals, the unserved requests and why, and the objective", body = RunResult),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/allocations/run")]
async fn run_allocations(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<RunRequest>,
) -> Result<web::Json<RunResult>, ApiError> {
    auth.require(&POOL)?;
    let body = body.0;
    let scope = Scope {
        kinds: body.kinds.unwrap_or_default(),
        hub_ids: body.hub_ids.map(|h| h.iter().map(ToString::to_string).collect()),
        ..Scope::default()
    };
    let settings = state.settings.clone();
    let actor = auth.id.clone();
    let dry_run = body.dry_run;
    let today = Utc::now().date_naive();
    let (plan, written) = state.db(move |conn| run(conn, &settings, &scope, dry_run, &actor, today)).await?;
    let result = RunResult::from_plan(plan, written, dry_run)?;
    Ok(web::Json(result))
}

impl RunResult {
    /// The answer of a run: the plan's proposals (those written, with their ids, unless it was
    /// a dry run) and what stays unserved.
    fn from_plan(
        plan: Plan,
        written: Option<Vec<allocations::Allocation>>,
        dry_run: bool,
    ) -> Result<RunResult, ApiError> {
        let ids: std::collections::HashMap<String, String> =
            written.iter().flatten().map(|a| (a.request_id.clone(), a.id.clone())).collect();
        let proposals = plan
            .proposals
            .into_iter()
            .filter(|p| written.is_none() || ids.contains_key(&p.request_id))
            .map(|p| {
                Ok(ProposalView {
                    id: ids.get(&p.request_id).map(|id| super::stored_id(id)).transpose()?,
                    request_id: super::stored_id(&p.request_id)?,
                    device_id: p.device_id.as_deref().map(super::stored_id).transpose()?,
                    licence_id: p.licence_id.as_deref().map(super::stored_id).transpose()?,
                    priority: p.priority,
                    cost: p.cost,
                    reason: crate::i18n::say_all(&p.reason, crate::domain::student::Language::En),
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        let unserved = plan
            .unserved
            .into_iter()
            .map(|(id, reason)| {
                let reason = crate::i18n::say(&reason.phrase(), crate::domain::student::Language::En);
                Ok(UnservedView { request_id: super::stored_id(&id)?, reason })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        Ok(RunResult { dry_run, proposals, unserved, objective: plan.objective.into() })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AllocationState {
    Proposed,
    Confirmed,
    Rejected,
}

impl AllocationState {
    const ALL: [AllocationState; 3] =
        [AllocationState::Proposed, AllocationState::Confirmed, AllocationState::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            AllocationState::Proposed => "proposed",
            AllocationState::Confirmed => "confirmed",
            AllocationState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<AllocationState> {
        AllocationState::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AllocationView {
    pub id: uuid::Uuid,
    pub run_id: uuid::Uuid,
    pub request_id: uuid::Uuid,
    pub device_id: Option<uuid::Uuid>,
    pub licence_id: Option<uuid::Uuid>,
    pub state: AllocationState,
    pub priority: i32,
    pub cost: i32,
    pub reason: String,
    /// The priority and cost terms behind the proposal.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl AllocationView {
    fn from_row(a: Allocation) -> Result<AllocationView, ApiError> {
        Ok(AllocationView {
            id: super::stored_id(&a.id)?,
            run_id: super::stored_id(&a.run_id)?,
            request_id: super::stored_id(&a.request_id)?,
            device_id: a.device_id.as_deref().map(super::stored_id).transpose()?,
            licence_id: a.licence_id.as_deref().map(super::stored_id).transpose()?,
            state: AllocationState::parse(&a.state)
                .ok_or_else(|| ApiError::internal("unknown allocation state stored"))?,
            priority: a.priority,
            cost: a.cost,
            reason: a.reason,
            details: serde_json::from_str(&a.details).unwrap_or_else(|_| serde_json::json!({})),
            created_at: a.created_at.and_utc(),
            decided_at: a.decided_at.map(|t| t.and_utc()),
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AllocationQuery {
    pub state: Option<AllocationState>,
    pub run_id: Option<uuid::Uuid>,
}

/// List allocations.
#[utoipa::path(
    tag = "allocations",
    params(PageQuery, AllocationQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "A page of allocations", body = Page<AllocationView>),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/allocations")]
async fn list_allocations(
    state: web::Data<AppState>,
    auth: AuthUser,
    paging: web::Query<PageQuery>,
    query: web::Query<AllocationQuery>,
) -> Result<web::Json<Page<AllocationView>>, ApiError> {
    auth.require(&POOL)?;
    let (limit, after) = (paging.limit()?, paging.after()?);
    let wanted = query.state.map(AllocationState::as_str);
    let run = query.run_id.map(|r| r.to_string());
    let rows = state
        .db(move |conn| {
            allocations::list(conn, wanted, run.as_deref(), after.as_deref(), limit + 1).map_err(Into::into)
        })
        .await?;
    Ok(web::Json(super::try_page(page(rows, limit, |a| a.id.as_str(), AllocationView::from_row))?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandAllocation {
    pub request_id: uuid::Uuid,
    /// For a laptop or connectivity request: an available device of that kind.
    pub device_id: Option<uuid::Uuid>,
    /// For a licence request: a licence of the product asked for, with a free seat.
    pub licence_id: Option<uuid::Uuid>,
}

/// Propose one item for one request by hand, as staff judge best (hub, grade, RAM and caps
/// are theirs to weigh). Staff still confirm it like any proposal. Of many picks of the same
/// kit at once, only as many succeed as there is kit; the rest get 409.
#[utoipa::path(
    tag = "allocations",
    request_body = HandAllocation,
    responses(
        SignedIn, JsonBody,
        (status = 201, description = "Proposed", body = AllocationView, headers(("Location" = String))),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The kit is not free, or the request is not pending", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such request or item, or the wrong kind", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/allocations")]
async fn allocate_by_hand_route(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<HandAllocation>,
) -> Result<actix_web::HttpResponse, ApiError> {
    auth.require(&POOL)?;
    let b = body.0;
    let item = match (b.device_id, b.licence_id) {
        (Some(d), None) => HandPicked::Device(d.to_string()),
        (None, Some(l)) => HandPicked::Licence(l.to_string()),
        _ => return Err(ApiError::invalid("device_id", crate::phrase!("field-device-or-licence"))),
    };
    let request_id = b.request_id.to_string();
    let settings = state.settings.clone();
    let actor = auth.id.clone();
    let today = Utc::now().date_naive();
    let allocation = state
        .db(move |conn| {
            store::write_tx(conn, |conn| allocate_by_hand(conn, &settings, &request_id, item, &actor, today))
        })
        .await?;
    let view = AllocationView::from_row(allocation)?;
    Ok(super::created(format!("/api/v1/allocations/{}", view.id), &view))
}

/// Read one allocation.
#[utoipa::path(
    tag = "allocations",
    params(("id" = uuid::Uuid, Path, description = "Allocation id")),
    responses(
        SignedIn,
        (status = 200, description = "The allocation", body = AllocationView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such allocation", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/allocations/{id}")]
async fn get_allocation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<AllocationView>, ApiError> {
    auth.require(&POOL)?;
    let id = id.into_inner().to_string();
    let row = state.db(move |conn| allocations::find(conn, &id).map_err(Into::into)).await?;
    Ok(web::Json(AllocationView::from_row(row)?))
}

/// Confirm a proposed allocation: opens the loan, reserved at the hub for the student.
#[utoipa::path(
    tag = "allocations",
    params(("id" = uuid::Uuid, Path, description = "Allocation id")),
    responses(
        SignedIn,
        (status = 201, description = "Confirmed: the loan", body = crate::routes::loans::LoanView, headers(("Location" = String))),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such allocation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not proposed any more", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/allocations/{id}/confirm")]
async fn confirm_allocation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<actix_web::HttpResponse, ApiError> {
    auth.require(&POOL)?;
    let id = id.into_inner().to_string();
    let actor = auth.id.clone();
    let settings = state.settings.clone();
    let today = Utc::now().date_naive();
    let loan = state
        .db(move |conn| store::write_tx(conn, |conn| confirm(conn, &settings.loans, &id, &actor, today)))
        .await?;
    let view = super::loans::LoanView::from_row(loan, today)?;
    Ok(super::created(format!("/api/v1/loans/{}", view.id), &view))
}

/// Reject a proposed allocation: the kit goes back to the pool, the request back to the queue.
#[utoipa::path(
    tag = "allocations",
    params(("id" = uuid::Uuid, Path, description = "Allocation id")),
    responses(
        SignedIn,
        (status = 200, description = "Rejected", body = AllocationView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such allocation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not proposed any more", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/allocations/{id}/reject")]
async fn reject_allocation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<AllocationView>, ApiError> {
    auth.require(&POOL)?;
    let id = id.into_inner().to_string();
    let actor = auth.id.clone();
    let row = state.db(move |conn| store::write_tx(conn, |conn| reject(conn, &id, Some(&actor)))).await?;
    Ok(web::Json(AllocationView::from_row(row)?))
}

/// What to do with a hub's proposals.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HubDecision {
    Confirm,
    Reject,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideHub {
    /// The hub whose proposals to decide; null: the licences, which have no hub.
    pub hub_id: Option<uuid::Uuid>,
    pub decision: HubDecision,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HubDecided {
    /// Proposals confirmed (each opened a loan) or rejected.
    pub done: usize,
    /// Proposals that changed meanwhile (decided at another desk, request closed).
    pub skipped: usize,
}

/// Confirm or reject every waiting proposal of one hub (staff), each in its own transaction,
/// as the matching page's "all of this hub" buttons.
#[utoipa::path(
    tag = "allocations",
    request_body = DecideHub,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "Decided", body = HubDecided),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid hub or decision", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/allocations/decide-hub")]
async fn decide_hub_route(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<DecideHub>,
) -> Result<web::Json<HubDecided>, ApiError> {
    auth.require(&POOL)?;
    let hub = body.0.hub_id.map(|h| h.to_string());
    let confirming = matches!(body.0.decision, HubDecision::Confirm);
    let (settings, actor, today) = (state.settings.clone(), auth.id.clone(), chrono::Utc::now().date_naive());
    let decided = state
        .db(move |conn| {
            crate::workflows::rounds::decide_hub(conn, &settings, hub.as_deref(), confirming, &actor, today)
        })
        .await?;
    Ok(web::Json(HubDecided { done: decided.done, skipped: decided.skipped }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TravelCost {
    pub from_hub_id: uuid::Uuid,
    pub to_hub_id: uuid::Uuid,
    /// Cost of sending a student from one hub to the other (either way).
    #[schema(minimum = 0, maximum = 10000)]
    pub cost: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TravelCostList {
    pub items: Vec<TravelCost>,
}

/// Set the travel cost between two hubs. Without one, students cannot be sent between them.
#[utoipa::path(
    tag = "allocations",
    request_body = TravelCost,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "Set", body = TravelCost),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/travel-costs")]
async fn set_travel_cost(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<TravelCost>,
) -> Result<web::Json<TravelCost>, ApiError> {
    auth.require(&POOL)?;
    let b = body.0;
    let (from, to) = (b.from_hub_id.to_string(), b.to_hub_id.to_string());
    state.db(move |conn| crate::workflows::matching_rules::set_travel_cost(conn, &from, &to, b.cost)).await?;
    Ok(web::Json(b))
}

/// Every travel cost between hubs.
#[utoipa::path(
    tag = "allocations",
    responses(
        SignedIn,
        (status = 200, description = "Travel costs", body = TravelCostList),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/travel-costs")]
async fn list_travel_costs(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<web::Json<TravelCostList>, ApiError> {
    auth.require(&POOL)?;
    let rows = state.db(|conn| pool::travel_costs(conn).map_err(Into::into)).await?;
    let items = rows
        .into_iter()
        .map(|(f, t, cost)| {
            Ok(TravelCost { from_hub_id: super::stored_id(&f)?, to_hub_id: super::stored_id(&t)?, cost })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(web::Json(TravelCostList { items }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationCap {
    pub school_id: uuid::Uuid,
    pub kind: RequestKind,
    /// At most this many open allocations of this kind for the school's students.
    #[schema(minimum = 0, maximum = 1000000)]
    pub cap: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AllocationCapList {
    pub items: Vec<AllocationCap>,
}

/// Give a school a fair share: a cap on its open allocations of one kind.
#[utoipa::path(
    tag = "allocations",
    request_body = AllocationCap,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "Set", body = AllocationCap),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/allocation-caps")]
async fn set_cap(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<AllocationCap>,
) -> Result<web::Json<AllocationCap>, ApiError> {
    auth.require(&POOL)?;
    let b = body.0;
    let school = b.school_id.to_string();
    let kind = b.kind;
    state.db(move |conn| crate::workflows::matching_rules::set_cap(conn, &school, kind, b.cap)).await?;
    Ok(web::Json(b))
}

/// Every school's cap.
#[utoipa::path(
    tag = "allocations",
    responses(
        SignedIn,
        (status = 200, description = "Caps", body = AllocationCapList),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/allocation-caps")]
async fn list_caps(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<web::Json<AllocationCapList>, ApiError> {
    auth.require(&POOL)?;
    let rows = state.db(|conn| pool::caps(conn).map_err(Into::into)).await?;
    let items = rows
        .into_iter()
        .filter_map(|(school, kind, cap)| {
            let kind = RequestKind::parse(&kind)?;
            Some(super::stored_id(&school).map(|school_id| AllocationCap { school_id, kind, cap }))
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(web::Json(AllocationCapList { items }))
}
