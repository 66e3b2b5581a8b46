//! `/api/v1/class-sets`: a school borrows a set of devices for a course. The school asks and
//! accepts the set agreement; staff offer (reserve), hand over and take back; either cancels
//! before the hand-over. Another school's set is 404; students and donors are refused.

use actix_web::{get, post, web, HttpResponse};
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::class_set::ClassSetState;
use crate::domain::device::DeviceKind;
use crate::domain::student::Language;
use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, AuthUser};
use crate::openapi::answers::*;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;
use crate::workflows::class_sets::{
    self as workflow, AskedSet, ClassSetView, NotBack, SetDeviceView, SetReturn,
};
use crate::workflows::loans::ReturnCondition;

use super::loans::{AgreementQuery, AgreementView};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(create_set)
        .service(list_sets)
        .service(get_set)
        .service(offer_set)
        .service(accept_set)
        .service(hand_over_set)
        .service(return_set)
        .service(report_lost)
        .service(write_off)
        .service(cancel_set)
        .service(class_set_agreement);
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The school of a coordinator: every school step is on the caller's own school.
fn own_school(auth: &AuthUser) -> Result<String, ApiError> {
    auth.require(&[Role::School])?;
    auth.organisation_id.clone().ok_or(ApiError::Forbidden)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateClassSet {
    /// `laptop` or `wifi_dongle`.
    pub kind: DeviceKind,
    /// How many devices: 1 to `class_sets.max_count` (40 unless set otherwise).
    #[schema(minimum = 1, maximum = 500)]
    pub count: i64,
    /// The course's first day: today or later.
    pub starts_on: NaiveDate,
    /// The course's last day: after the first, at most `class_sets.max_weeks` later. The set is due then.
    pub ends_on: NaiveDate,
    /// Where the set is picked up and brought back.
    pub hub_id: uuid::Uuid,
    /// The course's name; one open set per school and course name.
    #[schema(min_length = 1, max_length = 200)]
    pub course: String,
}

/// A coordinator asks for a set for a course at their school.
#[utoipa::path(
    tag = "class-sets",
    request_body = CreateClassSet,
    responses(
        SignedIn, JsonBody,
        (status = 201, description = "Asked for", body = ClassSetView, headers(("Location" = String))),
        (status = 403, description = "School coordinators only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The school has an open set for this course", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, every one named", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/class-sets")]
async fn create_set(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<CreateClassSet>,
) -> Result<HttpResponse, ApiError> {
    let school = own_school(&auth)?;
    let b = body.0;
    let asked = AskedSet {
        kind: b.kind,
        count: b.count,
        starts_on: b.starts_on,
        ends_on: b.ends_on,
        hub_id: b.hub_id.to_string(),
        course: b.course,
    };
    let (actor, settings) = (auth.id.clone(), state.settings.clone());
    let view =
        state.db(move |conn| workflow::create(conn, &settings, &school, &actor, asked, today())).await?;
    Ok(super::created(format!("/api/v1/class-sets/{}", view.id), &view))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClassSetQuery {
    pub state: Option<ClassSetState>,
}

/// The sets: a school sees its own, staff every school's; oldest first.
#[utoipa::path(
    tag = "class-sets",
    params(PageQuery, ClassSetQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "A page of sets", body = Page<ClassSetView>),
        (status = 403, description = "Schools and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/class-sets")]
async fn list_sets(
    state: web::Data<AppState>,
    auth: AuthUser,
    paging: web::Query<PageQuery>,
    query: web::Query<ClassSetQuery>,
) -> Result<web::Json<Page<ClassSetView>>, ApiError> {
    let school = auth.school_scope()?;
    let (limit, after) = (paging.limit()?, paging.after()?);
    let wanted = query.state;
    let page = state
        .db(move |conn| {
            let states = wanted.map(|s| [s.as_str()]);
            workflow::page(
                conn,
                school.as_deref(),
                states.as_ref().map(|s| &s[..]),
                after.as_deref(),
                limit,
                today(),
            )
        })
        .await?;
    Ok(web::Json(page))
}

/// One set with its devices and what is still missing.
#[utoipa::path(
    tag = "class-sets",
    params(("id" = uuid::Uuid, Path, description = "Class set id")),
    responses(
        SignedIn,
        (status = 200, description = "The set", body = ClassSetView),
        (status = 403, description = "Schools and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such set, or another school's", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/class-sets/{id}")]
async fn get_set(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<ClassSetView>, ApiError> {
    let school = auth.school_scope()?;
    let id = id.into_inner().to_string();
    let view = state.db(move |conn| workflow::view(conn, school.as_deref(), &id, today())).await?;
    Ok(web::Json(view))
}

/// What an offer found.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferView {
    /// How many devices this offer reserved.
    pub reserved: usize,
    /// Every device the set holds now.
    pub devices: Vec<SetDeviceView>,
    /// Why fewer than the set still lacks, in the reader's language; null when none are short.
    pub reason: Option<String>,
    pub class_set: ClassSetView,
}

/// Staff offer a set, or top it up: up to `count` devices at or near its hub that no waiting
/// student can take are reserved for it. Waiting students come first.
#[utoipa::path(
    tag = "class-sets",
    params(("id" = uuid::Uuid, Path, description = "Class set id")),
    responses(
        SignedIn,
        (status = 200, description = "What was reserved, and why not more", body = OfferView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such set", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The set is on loan or closed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/class-sets/{id}/offer")]
async fn offer_set(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<OfferView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let (id, actor, settings) = (id.into_inner().to_string(), auth.id.clone(), state.settings.clone());
    let offered = state.db(move |conn| workflow::offer(conn, &settings, &id, &actor, today())).await?;
    let lang = auth.language.unwrap_or(state.settings.email.default_language);
    Ok(web::Json(OfferView {
        reserved: offered.reserved_now,
        devices: offered.set.devices.clone(),
        reason: offered.reason.map(|r| crate::i18n::say(&r, lang)),
        class_set: offered.set,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptClassSet {
    /// The version of `GET /api/v1/class-set-agreement` the coordinator read.
    #[schema(min_length = 1, max_length = 50)]
    pub agreement_version: String,
}

/// The coordinator accepts the set agreement for their school: the set is ready to pick up.
#[utoipa::path(
    tag = "class-sets",
    params(("id" = uuid::Uuid, Path, description = "Class set id")),
    request_body = AcceptClassSet,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "Accepted", body = ClassSetView),
        (status = 403, description = "School coordinators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such set, or another school's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Nothing offered yet, or closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not the current agreement", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/class-sets/{id}/accept")]
async fn accept_set(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<AcceptClassSet>,
) -> Result<web::Json<ClassSetView>, ApiError> {
    let school = own_school(&auth)?;
    let (id, actor, settings) = (id.into_inner().to_string(), auth.id.clone(), state.settings.clone());
    let version = body.0.agreement_version;
    let view = state
        .db(move |conn| workflow::accept(conn, &settings, &school, &id, &actor, &version, today()))
        .await?;
    Ok(web::Json(view))
}

/// Staff hand the set over: every reserved device goes on loan to the school, due on `ends_on`.
#[utoipa::path(
    tag = "class-sets",
    params(("id" = uuid::Uuid, Path, description = "Class set id")),
    responses(
        SignedIn,
        (status = 200, description = "On loan", body = ClassSetView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such set", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not accepted, handed over already, or nothing held", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/class-sets/{id}/handover")]
async fn hand_over_set(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<ClassSetView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let (id, actor) = (id.into_inner().to_string(), auth.id.clone());
    let view = state.db(move |conn| workflow::hand_over(conn, &id, &actor, today())).await?;
    Ok(web::Json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetReturnItem {
    pub device_id: uuid::Uuid,
    pub condition: ReturnCondition,
    /// The accessories that came back, from the device's `accessories`; those left out are
    /// recorded as missing.
    #[schema(schema_with = crate::openapi::lists::accessory_names)]
    pub accessories_returned: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetReturnBody {
    #[schema(min_items = 1, max_items = 500)]
    pub items: Vec<SetReturnItem>,
}

/// Staff take devices of the set back, some or all: each goes to inspection. The set is
/// returned when every device is back; until then it lists what is missing.
#[utoipa::path(
    tag = "class-sets",
    params(("id" = uuid::Uuid, Path, description = "Class set id")),
    request_body = SetReturnBody,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "Taken back", body = ClassSetView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such set", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The set is not on loan", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A device not out with this set, or bad accessories, each item named", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/class-sets/{id}/return")]
async fn return_set(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<SetReturnBody>,
) -> Result<web::Json<ClassSetView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let (id, actor) = (id.into_inner().to_string(), auth.id.clone());
    let items: Vec<SetReturn> = body
        .0
        .items
        .into_iter()
        .map(|i| SetReturn {
            device_id: i.device_id.to_string(),
            condition: i.condition,
            accessories_returned: i.accessories_returned,
        })
        .collect();
    let view = state.db(move |conn| workflow::take_back(conn, &id, &actor, &items, today())).await?;
    Ok(web::Json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetDevicesBody {
    #[schema(min_items = 1, max_items = 500)]
    pub device_ids: Vec<uuid::Uuid>,
}

async fn close_not_back(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<SetDevicesBody>,
    how: NotBack,
) -> Result<web::Json<ClassSetView>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let (id, actor) = (id.into_inner().to_string(), auth.id.clone());
    let devices: Vec<String> = body.0.device_ids.iter().map(ToString::to_string).collect();
    let view = state.db(move |conn| workflow::not_back(conn, &id, &actor, &devices, how, today())).await?;
    Ok(web::Json(view))
}

/// Staff report devices of the set lost or stolen: their set loans close as lost, the devices
/// are marked lost.
#[utoipa::path(
    tag = "class-sets",
    params(("id" = uuid::Uuid, Path, description = "Class set id")),
    request_body = SetDevicesBody,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "Reported lost", body = ClassSetView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such set", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The set is not on loan", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A device not out with this set, each named", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/class-sets/{id}/report-lost")]
async fn report_lost(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<SetDevicesBody>,
) -> Result<web::Json<ClassSetView>, ApiError> {
    close_not_back(state, auth, id, body, NotBack::Lost).await
}

/// Staff write devices of the set off: they will not come back and are retired.
#[utoipa::path(
    tag = "class-sets",
    params(("id" = uuid::Uuid, Path, description = "Class set id")),
    request_body = SetDevicesBody,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "Written off", body = ClassSetView),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such set", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The set is not on loan", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A device not out with this set, each named", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/class-sets/{id}/write-off")]
async fn write_off(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<SetDevicesBody>,
) -> Result<web::Json<ClassSetView>, ApiError> {
    close_not_back(state, auth, id, body, NotBack::WrittenOff).await
}

/// The school (its own set) or staff cancel a set before the hand-over; its devices go back to
/// the pool, offered first to waiting students.
#[utoipa::path(
    tag = "class-sets",
    params(("id" = uuid::Uuid, Path, description = "Class set id")),
    responses(
        SignedIn,
        (status = 200, description = "Cancelled", body = ClassSetView),
        (status = 403, description = "Schools and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such set, or another school's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Handed over already, or closed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/class-sets/{id}/cancel")]
async fn cancel_set(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<ClassSetView>, ApiError> {
    let school = auth.school_scope()?;
    let (id, actor, settings) = (id.into_inner().to_string(), auth.id.clone(), state.settings.clone());
    let view = state
        .db(move |conn| workflow::cancel(conn, &settings, school.as_deref(), &id, &actor, today()))
        .await?;
    Ok(web::Json(view))
}

/// The class-set agreement schools accept, in Dutch or English. Public: nothing personal.
#[utoipa::path(
    tag = "class-sets",
    params(AgreementQuery),
    responses(
        QueryString,
        (status = 200, description = "The current agreement", body = AgreementView),
    ),
)]
#[get("/class-set-agreement")]
async fn class_set_agreement(
    state: web::Data<AppState>,
    query: web::Query<AgreementQuery>,
) -> Result<web::Json<AgreementView>, ApiError> {
    let sets = &state.settings.class_sets;
    let language = query.lang.unwrap_or(Language::En);
    Ok(web::Json(AgreementView::of(&sets.agreement, &sets.agreement_version, language)))
}
