//! Lifecycle transitions of a device and its history (the chain of custody).

use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::DeviceView;
use crate::domain::device::DeviceState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::state::AppState;
use crate::store::devices;
use crate::workflows::devices::TransitionRequest;

/// Move a device to its next state. Illegal actions answer 409 with the current state and
/// the actions allowed in it; of two concurrent transitions on one device, one wins. A device
/// that comes into the pool (release, move) is proposed at once to the highest-priority
/// request that can use it: the answer then shows it `reserved`, and the proposal waits for
/// staff at `/api/v1/allocations`.
#[utoipa::path(
    tag = "devices",
    params(("id" = uuid::Uuid, Path, description = "Device id")),
    request_body = TransitionRequest,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "The device in its new state", body = DeviceView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such device", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed in the current state", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/devices/{id}/transitions")]
pub async fn transition_device(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<TransitionRequest>,
) -> Result<web::Json<DeviceView>, ApiError> {
    auth.require(&[crate::domain::Role::Admin, crate::domain::Role::Staff])?;
    let request = body.0.checked()?;
    let id = id.into_inner().to_string();
    let actor = auth.id.clone();
    let settings = state.settings.clone();
    let today = Utc::now().date_naive();
    let device = state
        .db(move |conn| crate::workflows::pool::step_by_staff(conn, &settings, &id, &actor, &request, today))
        .await?;
    Ok(web::Json(DeviceView::from_row(device, true)?))
}

/// One step of a device's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEvent {
    pub at: DateTime<Utc>,
    /// Who did it; null for the system.
    pub actor_id: Option<uuid::Uuid>,
    /// `register`, or a transition action.
    pub action: String,
    pub from_state: Option<DeviceState>,
    pub to_state: DeviceState,
    /// What was recorded with the step: erasure method and certificate, grade, hub, note.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct History {
    /// Oldest first.
    pub items: Vec<HistoryEvent>,
}

/// The device's chain of custody, oldest first.
#[utoipa::path(
    tag = "devices",
    params(("id" = uuid::Uuid, Path, description = "Device id")),
    responses(
        SignedIn,
        (status = 200, description = "Every step, oldest first", body = History),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such device", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/devices/{id}/history")]
pub async fn device_history(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<History>, ApiError> {
    auth.require(&[crate::domain::Role::Admin, crate::domain::Role::Staff])?;
    let id = id.into_inner().to_string();
    let events = state
        .db(move |conn| {
            devices::find(conn, &id)?;
            devices::history(conn, &id).map_err(ApiError::from)
        })
        .await?;
    let parse_state =
        |s: &str| DeviceState::parse(s).ok_or_else(|| ApiError::internal("unknown device state stored"));
    let items = events
        .into_iter()
        .map(|e| {
            Ok(HistoryEvent {
                at: e.at.and_utc(),
                actor_id: e.actor_id.as_deref().map(crate::routes::stored_id).transpose()?,
                from_state: e.from_state.as_deref().map(parse_state).transpose()?,
                to_state: parse_state(&e.to_state)?,
                action: e.action,
                details: serde_json::from_str(&e.details).unwrap_or_else(|_| serde_json::json!({})),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(web::Json(History { items }))
}
