//! `/api/v1/outbox`: messages waiting, sent or given up on; staff requeue dead ones. What a
//! message says (its payload: a sign-in link, for one) is never shown here.

use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::extract::AuthUser;
use crate::middleware::RequestId;
use crate::openapi::answers::*;
use crate::pagination::{page, Page, PageQuery};
use crate::state::AppState;
use crate::store::{outbox, outbox::OutboxMessage};
use crate::workflows::students::record_access;

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(list_outbox).service(requeue_message);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MessageState {
    /// Waiting for its (next) attempt.
    Pending,
    /// Claimed by a worker now.
    Sending,
    Sent,
    /// Given up after `email.max_attempts`, or refused for good by the mail server.
    Dead,
}

impl MessageState {
    fn as_str(self) -> &'static str {
        match self {
            MessageState::Pending => "pending",
            MessageState::Sending => "sending",
            MessageState::Sent => "sent",
            MessageState::Dead => "dead",
        }
    }

    fn parse(s: &str) -> Option<MessageState> {
        [MessageState::Pending, MessageState::Sending, MessageState::Sent, MessageState::Dead]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub id: uuid::Uuid,
    /// Which message, e.g. `kit_ready`.
    pub template: String,
    pub language: String,
    pub recipient: String,
    pub state: MessageState,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl MessageView {
    fn from_row(m: OutboxMessage) -> Result<MessageView, ApiError> {
        Ok(MessageView {
            id: super::stored_id(&m.id)?,
            state: MessageState::parse(&m.state)
                .ok_or_else(|| ApiError::internal("unknown message state"))?,
            template: m.template,
            language: m.language,
            recipient: m.recipient,
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at.and_utc(),
            last_error: m.last_error,
            created_at: m.created_at.and_utc(),
            sent_at: m.sent_at.map(|t| t.and_utc()),
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    pub state: Option<MessageState>,
}

/// Messages in the outbox, oldest first; `state=dead` lists those given up on (staff).
#[utoipa::path(
    tag = "notifications",
    params(PageQuery, OutboxQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "A page of messages", body = Page<MessageView>),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/outbox")]
async fn list_outbox(
    state: web::Data<AppState>,
    auth: AuthUser,
    request_id: RequestId,
    paging: web::Query<PageQuery>,
    query: web::Query<OutboxQuery>,
) -> Result<web::Json<Page<MessageView>>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let (limit, after) = (paging.limit()?, paging.after()?);
    let filter = query.state.map(MessageState::as_str);
    let (actor, role) = (auth.id.clone(), auth.role);
    let rows = state
        .db(move |conn| {
            let rows = outbox::list(conn, filter, after.as_deref(), limit + 1)?;
            // A message to a student shows their address: the read is logged.
            let students: Vec<&str> =
                rows.iter().take(limit as usize).filter_map(|m| m.student_id.as_deref()).collect();
            record_access(conn, &actor, role, &students, "outbox", Some(&request_id.0))?;
            Ok(rows)
        })
        .await?;
    Ok(web::Json(super::try_page(page(rows, limit, |m| m.id.as_str(), MessageView::from_row))?))
}

/// Try a dead message again, with a fresh set of attempts starting now (staff).
#[utoipa::path(
    tag = "notifications",
    params(("id" = uuid::Uuid, Path, description = "Message id")),
    responses(
        SignedIn,
        (status = 200, description = "Queued again", body = MessageView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such message", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The message is not dead", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/outbox/{id}/requeue")]
async fn requeue_message(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<MessageView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let id = id.into_inner().to_string();
    let message = state.db(move |conn| crate::workflows::queues::requeue(conn, &id)).await?;
    Ok(web::Json(MessageView::from_row(message)?))
}
