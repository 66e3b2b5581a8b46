//! Personal data rights: a student's data export (right of access) and erasure.

use actix_web::{delete, get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{reader_scope, StudentView};
use crate::error::{ApiError, Problem};
use crate::extract::AuthUser;
use crate::middleware::RequestId;
use crate::openapi::answers::*;
use crate::routes::loans::{LoanEventView, LoanView};
use crate::state::AppState;
use crate::workflows::requests::RequestView;
use crate::workflows::students::{erase_visible, export, Held};

/// A sign-in link: when it was made, until when it worked, and when it was used.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignInLinkRecord {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

/// A message queued or sent to the student.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageRecord {
    pub template: String,
    pub language: String,
    pub state: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A change of what the student lacks: `need` is laptop, connectivity or software.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeedChangeRecord {
    pub at: DateTime<Utc>,
    pub actor_id: uuid::Uuid,
    pub need: String,
    pub lacks: bool,
}

/// One read of the student's data by pool staff.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessRecord {
    pub at: DateTime<Utc>,
    pub actor_id: uuid::Uuid,
    pub action: String,
}

/// Everything devicepool holds about a student.
#[derive(Debug, Serialize, ToSchema)]
pub struct StudentExport {
    pub student: StudentView,
    pub requests: Vec<RequestView>,
    /// Every loan, open or closed, with its history.
    pub loans: Vec<LoanRecord>,
    pub sign_in_links: Vec<SignInLinkRecord>,
    pub messages: Vec<MessageRecord>,
    /// Who changed what the student lacks (laptop, connectivity, software), and when.
    pub need_changes: Vec<NeedChangeRecord>,
    /// Who among pool staff read this data, and when.
    pub access_log: Vec<AccessRecord>,
    pub exported_at: DateTime<Utc>,
}

/// A loan and its history, as exported.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoanRecord {
    pub loan: LoanView,
    pub history: Vec<LoanEventView>,
}

impl StudentExport {
    /// The export of what `workflows::students::export` read.
    pub fn from_held(held: Held, today: chrono::NaiveDate) -> Result<StudentExport, ApiError> {
        let id = crate::routes::stored_id;
        let loans = held
            .loans
            .into_iter()
            .map(|(l, events)| {
                let history =
                    events.into_iter().map(LoanEventView::from_row).collect::<Result<Vec<_>, ApiError>>()?;
                Ok(LoanRecord { loan: LoanView::from_row(l, today)?, history })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        let sign_in_links = held
            .links
            .into_iter()
            .map(|(created, expires, used)| SignInLinkRecord {
                created_at: created.and_utc(),
                expires_at: expires.and_utc(),
                used_at: used.map(|u| u.and_utc()),
            })
            .collect();
        let messages = held
            .messages
            .into_iter()
            .map(|m| MessageRecord {
                template: m.template,
                language: m.language,
                state: m.state,
                created_at: m.created_at.and_utc(),
                sent_at: m.sent_at.map(|t| t.and_utc()),
            })
            .collect();
        let need_changes = held
            .need_changes
            .into_iter()
            .map(|c| {
                Ok(NeedChangeRecord {
                    at: c.at.and_utc(),
                    actor_id: id(&c.actor_id)?,
                    need: c.need,
                    lacks: c.lacks,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        let access_log = held
            .access
            .into_iter()
            .map(|e| Ok(AccessRecord { at: e.at.and_utc(), actor_id: id(&e.actor_id)?, action: e.action }))
            .collect::<Result<Vec<_>, ApiError>>()?;
        Ok(StudentExport {
            student: StudentView::from_row(held.student)?,
            requests: held.requests,
            loans,
            sign_in_links,
            messages,
            need_changes,
            access_log,
            exported_at: Utc::now(),
        })
    }
}

/// Everything held about a student (right of access): their school, pool staff (logged), or
/// the student.
#[utoipa::path(
    tag = "students",
    params(("id" = uuid::Uuid, Path, description = "Student id")),
    responses(
        SignedIn,
        (status = 200, description = "All data held about the student", body = StudentExport),
        (status = 403, description = "Not for donors", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such student, or not yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/students/{id}/export")]
pub async fn export_student(
    state: web::Data<AppState>,
    auth: AuthUser,
    request_id: RequestId,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<StudentExport>, ApiError> {
    let id = id.into_inner().to_string();
    let scope = reader_scope(&auth, &id)?;
    let (actor, role) = (auth.id.clone(), auth.role);
    let today = Utc::now().date_naive();
    let weights = state.settings.priority;
    let held = state
        .db(move |conn| export(conn, &id, scope.as_deref(), (&actor, role), &request_id.0, &weights, today))
        .await?;
    Ok(web::Json(StudentExport::from_held(held, today)?))
}

/// Erase a student's personal data. Name and email are replaced by a pseudonym, open
/// requests are cancelled, and the anonymised history of the kit stays.
#[utoipa::path(
    tag = "students",
    params(("id" = uuid::Uuid, Path, description = "Student id")),
    responses(
        SignedIn,
        (status = 204, description = "Erased (or erased already)"),
        (status = 403, description = "Schools and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such student, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Kit is still on loan", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/students/{id}")]
pub async fn erase_student(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.school_scope()?;
    let id = id.into_inner().to_string();
    let actor = auth.id.clone();
    state.db(move |conn| erase_visible(conn, &id, scope.as_deref(), &actor)).await?;
    Ok(HttpResponse::NoContent().finish())
}
