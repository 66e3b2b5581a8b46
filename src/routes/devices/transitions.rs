//! Lifecycle transitions of a device and its history (the chain of custody).

use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{kind_and_state, DeviceView};
use crate::auth::AuthUser;
use crate::domain::device::{transition, DeviceAction, DeviceState, Grade, IllegalTransition, WipeMethod};
use crate::domain::BoundedText;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::routes::donations::check_hub;
use crate::state::AppState;
use crate::store::{self, devices};

/// One step in a device's life. Hand-over and return happen through loans.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum TransitionRequest {
    /// The device arrived at a hub (defaults to the hub it was expected at).
    Receive {
        hub_id: Option<uuid::Uuid>,
        note: Option<String>,
    },
    /// Data erased. The record is the proof: NIST SP 800-88 method, tool, certificate.
    Wipe {
        method: WipeMethod,
        /// Certificate or report number from the erasure tool.
        #[schema(min_length = 1, max_length = 200)]
        certificate_ref: String,
        /// The erasure tool, e.g. "Blancco Drive Eraser 7".
        tool: Option<String>,
        note: Option<String>,
    },
    /// Condition graded.
    Grade {
        grade: Grade,
        note: Option<String>,
    },
    /// Into the pool, ready to lend (or back from a reservation).
    Release {
        note: Option<String>,
    },
    /// Set aside for a student.
    Reserve {
        note: Option<String>,
    },
    /// Looked at after a return or a repair.
    Inspect {
        note: Option<String>,
    },
    Repair {
        note: Option<String>,
    },
    Retire {
        note: Option<String>,
    },
    MarkLost {
        note: Option<String>,
    },
    /// A lost device turned up; it starts over at intake.
    Found {
        note: Option<String>,
    },
}

impl TransitionRequest {
    fn action(&self) -> DeviceAction {
        match self {
            TransitionRequest::Receive { .. } => DeviceAction::Receive,
            TransitionRequest::Wipe { .. } => DeviceAction::Wipe,
            TransitionRequest::Grade { .. } => DeviceAction::Grade,
            TransitionRequest::Release { .. } => DeviceAction::Release,
            TransitionRequest::Reserve { .. } => DeviceAction::Reserve,
            TransitionRequest::Inspect { .. } => DeviceAction::Inspect,
            TransitionRequest::Repair { .. } => DeviceAction::Repair,
            TransitionRequest::Retire { .. } => DeviceAction::Retire,
            TransitionRequest::MarkLost { .. } => DeviceAction::MarkLost,
            TransitionRequest::Found { .. } => DeviceAction::Found,
        }
    }

    /// Checks the free text, so that what goes into the history is tidy.
    fn checked(mut self) -> Result<TransitionRequest, ApiError> {
        let tidy = |field: &str, v: &mut Option<String>, max: usize| -> Result<(), ApiError> {
            *v = match v.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(text) => Some(BoundedText::parse(field, text, max)?.into_inner()),
            };
            Ok(())
        };
        match &mut self {
            TransitionRequest::Wipe { certificate_ref, tool, note, .. } => {
                *certificate_ref = BoundedText::parse("certificate_ref", certificate_ref, 200)?.into_inner();
                tidy("tool", tool, 200)?;
                tidy("note", note, 2000)?;
            }
            TransitionRequest::Receive { note, .. }
            | TransitionRequest::Grade { note, .. }
            | TransitionRequest::Release { note }
            | TransitionRequest::Reserve { note }
            | TransitionRequest::Inspect { note }
            | TransitionRequest::Repair { note }
            | TransitionRequest::Retire { note }
            | TransitionRequest::MarkLost { note }
            | TransitionRequest::Found { note } => tidy("note", note, 2000)?,
        }
        Ok(self)
    }
}

fn illegal(e: IllegalTransition) -> ApiError {
    ApiError::IllegalTransition {
        state: e.state.as_str().to_owned(),
        action: e.action.as_str().to_owned(),
        allowed_actions: e
            .allowed_actions
            .into_iter()
            .filter(|a| !a.is_loan_action())
            .map(|a| a.as_str().to_owned())
            .collect(),
    }
}

/// Move a device to its next state. Illegal actions answer 409 with the current state and
/// the actions allowed in it; of two concurrent transitions on one device, one wins.
#[utoipa::path(
    tag = "devices",
    params(("id" = uuid::Uuid, Path, description = "Device id")),
    request_body = TransitionRequest,
    responses(
        (status = 200, description = "The device in its new state", body = DeviceView),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
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
    let device = state
        .db(move |conn| {
            store::write_tx(conn, |conn| {
                let device = devices::find(conn, &id)?;
                let (kind, current) = kind_and_state(&device)?;
                let action = request.action();
                let next = transition(kind, current, action).map_err(illegal)?;
                let hub_id = match &request {
                    TransitionRequest::Receive { hub_id, .. } => {
                        let hub = hub_id
                            .map(|h| h.to_string())
                            .or_else(|| device.hub_id.clone())
                            .ok_or_else(|| {
                                ApiError::invalid(
                                    "hub_id",
                                    "is required: the device was not expected at a hub",
                                )
                            })?;
                        check_hub(conn, "hub_id", &hub)?;
                        Some(hub)
                    }
                    _ => None,
                };
                let grade = match &request {
                    TransitionRequest::Grade { grade, .. } => Some(grade.as_str()),
                    _ => None,
                };
                let now = store::now();
                let changes = devices::TransitionChanges {
                    state: next.as_str(),
                    grade,
                    hub_id: hub_id.as_deref(),
                    updated_at: now,
                };
                if !devices::guarded_transition(conn, &id, current.as_str(), &changes)? {
                    // Someone else moved it first: answer from the state it is in now.
                    let moved = devices::find(conn, &id)?;
                    let (kind, now_state) = kind_and_state(&moved)?;
                    return Err(illegal(transition(kind, now_state, action).err().unwrap_or(
                        IllegalTransition { state: now_state, action, allowed_actions: vec![] },
                    )));
                }
                let mut details =
                    serde_json::to_value(&request).map_err(|e| ApiError::internal(e.to_string()))?;
                if let Some(map) = details.as_object_mut() {
                    map.remove("action");
                    map.retain(|_, v| !v.is_null());
                    if let Some(hub) = &hub_id {
                        map.insert("hub_id".into(), serde_json::Value::String(hub.clone()));
                    }
                }
                devices::insert_event(
                    conn,
                    &devices::NewDeviceEvent {
                        id: store::new_id(),
                        device_id: &id,
                        at: now,
                        actor_id: Some(&actor),
                        action: action.as_str(),
                        from_state: Some(current.as_str()),
                        to_state: next.as_str(),
                        details: details.to_string(),
                    },
                )?;
                if let TransitionRequest::Wipe { method, certificate_ref, tool, .. } = &request {
                    devices::insert_erasure(
                        conn,
                        &devices::NewErasureRecord {
                            id: store::new_id(),
                            device_id: &id,
                            method: method.as_str(),
                            tool: tool.as_deref(),
                            certificate_ref,
                            operator_id: &actor,
                            performed_at: now,
                        },
                    )?;
                }
                devices::find(conn, &id).map_err(ApiError::from)
            })
        })
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
        (status = 200, description = "Every step, oldest first", body = History),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
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
