//! Personal data rights: a student's data export (right of access) and erasure.

use actix_web::{delete, get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{reader_scope, StudentView};
use crate::auth::AuthUser;
use crate::error::{ApiError, Problem};
use crate::middleware::RequestId;
use crate::openapi::answers::*;
use crate::routes::loans::{LoanEventView, LoanView};
use crate::routes::requests::RequestView;
use crate::state::AppState;
use crate::store::{self, access_log, loans, magic_links, outbox, requests, students};
use crate::workflows::students::{erase, record_access};

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
    let export = state
        .db(move |conn| {
            let student = students::find_visible(conn, &id, scope.as_deref())?;
            record_access(conn, &actor, role, &[&id], "export", Some(&request_id.0))?;
            let rows = requests::of_student(conn, &id)?;
            let reqs = crate::routes::requests::views(conn, rows, &weights, today)?;
            let loan_records = loans::of_student(conn, &id)?
                .into_iter()
                .map(|l| {
                    let history = loans::events(conn, &l.id)?
                        .into_iter()
                        .map(LoanEventView::from_row)
                        .collect::<Result<Vec<_>, ApiError>>()?;
                    Ok(LoanRecord { loan: LoanView::from_row(l, today)?, history })
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            let links = magic_links::of_owner(conn, &id)?
                .into_iter()
                .map(|(created, expires, used)| SignInLinkRecord {
                    created_at: created.and_utc(),
                    expires_at: expires.and_utc(),
                    used_at: used.map(|u| u.and_utc()),
                })
                .collect();
            // By student, not by address: the same address may be enrolled at another school.
            let messages = outbox::for_student(conn, &id)?
                .into_iter()
                .map(|m| MessageRecord {
                    template: m.template,
                    language: m.language,
                    state: m.state,
                    created_at: m.created_at.and_utc(),
                    sent_at: m.sent_at.map(|t| t.and_utc()),
                })
                .collect();
            let need_changes = students::need_changes(conn, &id)?
                .into_iter()
                .map(|c| {
                    Ok(NeedChangeRecord {
                        at: c.at.and_utc(),
                        actor_id: crate::routes::stored_id(&c.actor_id)?,
                        need: c.need,
                        lacks: c.lacks,
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            let log = access_log::list(conn, Some(&id), None, None, 10_000)?
                .into_iter()
                .map(|e| {
                    Ok(AccessRecord {
                        at: e.at.and_utc(),
                        actor_id: crate::routes::stored_id(&e.actor_id)?,
                        action: e.action,
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            Ok(StudentExport {
                student: StudentView::from_row(student)?,
                requests: reqs,
                loans: loan_records,
                sign_in_links: links,
                messages,
                need_changes,
                access_log: log,
                exported_at: Utc::now(),
            })
        })
        .await?;
    Ok(web::Json(export))
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
    state
        .db(move |conn| {
            store::write_tx(conn, |conn| {
                students::find_visible(conn, &id, scope.as_deref())?;
                erase(conn, &id, Some(&actor), store::now())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
