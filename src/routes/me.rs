//! `/api/v1/me`: who am I.

use actix_web::{get, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::AuthUser;
use crate::domain::loan::{allowed_actions, LoanAction, LoanState};
use crate::domain::request::{loan_status_text, status_text, LoanTextFacts, RequestKind, RequestState};
use crate::domain::student::Language;
use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::openapi::answers::*;
use crate::state::AppState;
use crate::store::{hubs, requests, students};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(get_me).service(get_my_loans);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    pub id: uuid::Uuid,
    pub email: String,
    pub role: Role,
    /// The school or donor the account belongs to; null for pool staff and students.
    pub organisation_id: Option<uuid::Uuid>,
    /// The student record of a student account; null otherwise.
    pub student_id: Option<uuid::Uuid>,
}

/// The signed-in account.
#[utoipa::path(
    tag = "auth",
    responses(
        SignedIn,
        (status = 200, description = "The signed-in account", body = MeView),
    ),
    security(("bearer" = []))
)]
#[get("/me")]
async fn get_me(auth: AuthUser) -> Result<web::Json<MeView>, ApiError> {
    Ok(web::Json(MeView {
        id: super::stored_id(&auth.id)?,
        email: auth.email,
        role: auth.role,
        organisation_id: auth.organisation_id.as_deref().map(super::stored_id).transpose()?,
        student_id: auth.student_id.as_deref().map(super::stored_id).transpose()?,
    }))
}

/// Where to pick kit up and bring it back.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyHub {
    pub name: String,
    pub address: String,
}

/// A loan as its student sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyLoan {
    pub id: uuid::Uuid,
    pub kind: RequestKind,
    pub product: Option<String>,
    pub device_id: Option<uuid::Uuid>,
    pub licence_id: Option<uuid::Uuid>,
    pub state: LoanState,
    pub due_on: NaiveDate,
    /// A reservation must be picked up by this day.
    pub pick_up_by: Option<NaiveDate>,
    /// Where to pick it up and bring it back (null for a licence).
    pub hub: Option<MyHub>,
    /// What comes with it, and must come back with it.
    pub accessories: Vec<String>,
    /// What the student may do now: `accept`, `request_extension`, `report_lost`.
    pub allowed_actions: Vec<LoanAction>,
    /// Where the loan stands, in the student's language.
    pub status_text: String,
}

/// An open request as its student sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyRequest {
    pub id: uuid::Uuid,
    pub kind: RequestKind,
    pub product: Option<String>,
    pub state: RequestState,
    pub needed_by: NaiveDate,
    /// Place in line among pending requests of this kind (1 is next); null unless pending.
    pub queue_position: Option<i64>,
    /// Where the request stands, in plain words and the student's language.
    pub status_text: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyLoans {
    /// Open loans (reserved for the student, or with them), and reservations that lapsed in
    /// the last 30 days.
    pub loans: Vec<MyLoan>,
    /// Open requests (pending or allocated).
    pub requests: Vec<MyRequest>,
}

/// A student's own loans and open requests, each with a plain-language status.
#[utoipa::path(
    tag = "auth",
    responses(
        SignedIn,
        (status = 200, description = "The student's loans and open requests", body = MyLoans),
        (status = 403, description = "Students only", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/me/loans")]
async fn get_my_loans(state: web::Data<AppState>, auth: AuthUser) -> Result<web::Json<MyLoans>, ApiError> {
    auth.require(&[Role::Student])?;
    let student_id = auth.student_id.clone().ok_or(ApiError::Forbidden)?;
    let weights = state.settings.priority;
    let mine = state
        .db(move |conn| {
            let student = students::find(conn, &student_id)?;
            let lang = Language::parse(&student.preferred_language).unwrap_or(Language::En);
            let open: Vec<_> = requests::of_student(conn, &student_id)?
                .into_iter()
                .filter(|r| RequestState::parse(&r.state).is_some_and(RequestState::is_open))
                .collect();
            let views = super::requests::views(conn, open, &weights, Utc::now().date_naive())?;
            let requests = views
                .into_iter()
                .map(|v| MyRequest {
                    status_text: status_text(v.kind, v.product.as_deref(), v.state, v.queue_position, lang),
                    id: v.id,
                    kind: v.kind,
                    product: v.product,
                    state: v.state,
                    needed_by: v.needed_by,
                    queue_position: v.queue_position,
                    created_at: v.created_at,
                })
                .collect();
            let today = Utc::now().date_naive();
            let recent = today - chrono::Duration::days(30);
            let mut loans = Vec::new();
            for l in crate::store::loans::of_student(conn, &student_id)? {
                let facts = crate::workflows::loans::facts(&l)?;
                let lapsed_lately =
                    facts.state == LoanState::Lapsed && l.closed_at.is_some_and(|t| t.date() >= recent);
                if !facts.state.is_open() && !lapsed_lately {
                    continue;
                }
                let kind =
                    RequestKind::parse(&l.kind).ok_or_else(|| ApiError::internal("unknown loan kind"))?;
                let hub = l.hub_id.as_deref().map(|h| hubs::find(conn, h)).transpose()?;
                let text = loan_status_text(
                    &LoanTextFacts {
                        kind,
                        product: l.product.as_deref(),
                        state: &l.state,
                        accepted: facts.accepted,
                        due_on: l.due_on,
                        pick_up_by: l.pick_up_by,
                        hub: hub.as_ref().map(|h| h.name.as_str()),
                        extension: l.extension_state.as_deref().zip(l.extension_due_on),
                    },
                    today,
                    lang,
                );
                // Only what the student may do; staff steps are left out.
                let allowed = allowed_actions(facts)
                    .into_iter()
                    .filter(|a| {
                        matches!(
                            a,
                            LoanAction::Accept | LoanAction::RequestExtension | LoanAction::ReportLost
                        )
                    })
                    .filter(|a| *a != LoanAction::ReportLost || l.device_id.is_some())
                    .collect();
                loans.push(MyLoan {
                    status_text: text,
                    id: super::stored_id(&l.id)?,
                    kind,
                    product: l.product,
                    device_id: l.device_id.as_deref().map(super::stored_id).transpose()?,
                    licence_id: l.licence_id.as_deref().map(super::stored_id).transpose()?,
                    state: facts.state,
                    due_on: l.due_on,
                    pick_up_by: l.pick_up_by.filter(|_| facts.state == LoanState::Reserved),
                    hub: hub.map(|h| MyHub { name: h.name, address: h.address }),
                    accessories: crate::store::json_list::parse(&l.accessories)?,
                    allowed_actions: allowed,
                });
            }
            Ok(MyLoans { loans, requests })
        })
        .await?;
    Ok(web::Json(mine))
}
