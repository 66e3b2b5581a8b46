//! `/api/v1/users`: accounts of pool staff, school coordinators and donor contacts (admins only).

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::student::Language;
use crate::domain::{self, EmailAddress, Password, Role};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::extract::AuthUser;
use crate::middleware::RequestId;
use crate::openapi::answers::*;
use crate::pagination::{page, Page, PageQuery};
use crate::state::AppState;
use crate::store::{users, users::User};
use crate::workflows::accounts::{self, AccountChanges, NewAccount};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(create_user).service(list_users).service(get_user).service(update_user).service(disable_user);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    #[schema(format = "email", max_length = 254)]
    pub email: String,
    /// `admin`, `staff`, `school` or `donor`. Students are enrolled by their school.
    pub role: Role,
    /// Required for `school` and `donor` accounts (an organisation of that kind); absent for pool roles.
    pub organisation_id: Option<uuid::Uuid>,
    /// 12 to 128 characters. Leave it out to invite: the person gets a link to choose one.
    #[schema(min_length = 12, max_length = 128)]
    pub password: Option<String>,
    /// The language the account reads the service in; without it, the server's default.
    pub preferred_language: Option<Language>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[schema(format = "email", max_length = 254)]
    pub email: Option<String>,
    pub role: Option<Role>,
    pub organisation_id: Option<uuid::Uuid>,
    pub preferred_language: Option<Language>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: uuid::Uuid,
    pub email: String,
    pub role: Role,
    pub organisation_id: Option<uuid::Uuid>,
    /// `nl` or `en`; null until chosen, and then the server's default applies.
    pub preferred_language: Option<Language>,
    /// Disabled accounts cannot sign in, and their tokens stop working at once.
    pub disabled: bool,
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl UserView {
    fn from_row(u: User) -> Result<UserView, ApiError> {
        Ok(UserView {
            id: super::stored_id(&u.id)?,
            role: Role::parse(&u.role).ok_or_else(|| ApiError::internal("unknown role stored"))?,
            organisation_id: u.organisation_id.as_deref().map(super::stored_id).transpose()?,
            preferred_language: u.preferred_language.as_deref().and_then(Language::parse),
            email: u.email,
            disabled: u.disabled_at.is_some(),
            disabled_at: u.disabled_at.map(|t| t.and_utc()),
            created_at: u.created_at.and_utc(),
            updated_at: u.updated_at.and_utc(),
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub organisation_id: Option<uuid::Uuid>,
}

/// Create an account: with a password, or without one, and the person gets an invitation
/// link (valid `auth.invitation_days`) to choose it.
#[utoipa::path(
    tag = "users",
    request_body = CreateUser,
    responses(
        SignedIn, JsonBody,
        (status = 201, description = "Created", body = UserView, headers(("Location" = String))),
        (status = 403, description = "Admins only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The email address has an account", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/users")]
async fn create_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ApiJson<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Admin])?;
    let body = body.0;
    let email = EmailAddress::parse("email", &body.email);
    let password = body.password.as_deref().map(|p| Password::parse("password", p)).transpose();
    let (email, password) = match (email, password) {
        (Ok(e), Ok(p)) => (e, p),
        (e, p) => return Err(domain::field_errors([e.err(), p.err()]).into()),
    };
    let hash = match &password {
        Some(p) => Some(state.hasher.hash(p.secret()).await?),
        None => None,
    };
    let new = NewAccount {
        email,
        role: body.role,
        organisation_id: body.organisation_id.map(|o| o.to_string()),
        password_hash: hash,
        preferred_language: body.preferred_language,
    };
    let (settings, keys) = (state.settings.clone(), state.keys.clone());
    let user = state.db(move |conn| accounts::create(conn, &settings, &keys, new)).await?;
    let view = UserView::from_row(user)?;
    Ok(super::created(format!("/api/v1/users/{}", view.id), &view))
}

/// List accounts.
#[utoipa::path(
    tag = "users",
    params(PageQuery, UserFilter),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "A page of accounts", body = Page<UserView>),
        (status = 403, description = "Admins only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/users")]
async fn list_users(
    state: web::Data<AppState>,
    auth: AuthUser,
    request_id: RequestId,
    paging: web::Query<PageQuery>,
    filter: web::Query<UserFilter>,
) -> Result<web::Json<Page<UserView>>, ApiError> {
    auth.require(&[Role::Admin])?;
    let (limit, after) = (paging.limit()?, paging.after()?);
    let role = filter.role.map(Role::as_str);
    let org = filter.organisation_id.map(|o| o.to_string());
    let actor = auth.id.clone();
    let rows = state
        .db(move |conn| {
            let rows = users::list(conn, role, org.as_deref(), after.as_deref(), limit + 1)?;
            log_student_accounts(conn, &actor, rows.iter().take(limit as usize), &request_id)?;
            Ok(rows)
        })
        .await?;
    Ok(web::Json(super::try_page(page(rows, limit, |u| u.id.as_str(), UserView::from_row))?))
}

/// A student's account shows their address: an admin's read of it goes to the access log.
fn log_student_accounts<'a>(
    conn: &mut crate::store::DbConnection,
    actor: &str,
    read: impl Iterator<Item = &'a User>,
    request_id: &RequestId,
) -> Result<(), ApiError> {
    let students: Vec<&str> = read.filter_map(|u| u.student_id.as_deref()).collect();
    crate::workflows::students::record_access(
        conn,
        actor,
        Role::Admin,
        &students,
        "account",
        Some(&request_id.0),
    )
}

/// Read one account.
#[utoipa::path(
    tag = "users",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses(
        SignedIn,
        (status = 200, description = "The account", body = UserView),
        (status = 403, description = "Admins only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/users/{id}")]
async fn get_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    request_id: RequestId,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<UserView>, ApiError> {
    auth.require(&[Role::Admin])?;
    let id = id.into_inner().to_string();
    let actor = auth.id.clone();
    let user = state
        .db(move |conn| {
            let user = users::find(conn, &id)?;
            log_student_accounts(conn, &actor, std::iter::once(&user), &request_id)?;
            Ok(user)
        })
        .await?;
    Ok(web::Json(UserView::from_row(user)?))
}

/// Change an account's email, role or organisation.
#[utoipa::path(
    tag = "users",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    request_body = UpdateUser,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "The updated account", body = UserView),
        (status = 403, description = "Admins only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The email address has an account, or it would leave no admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/users/{id}")]
async fn update_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<UpdateUser>,
) -> Result<web::Json<UserView>, ApiError> {
    auth.require(&[Role::Admin])?;
    let id = id.into_inner().to_string();
    let body = body.0;
    let email = body.email.as_deref().map(|e| EmailAddress::parse("email", e)).transpose()?;
    let changes = AccountChanges {
        email,
        role: body.role,
        organisation_id: body.organisation_id.map(|o| o.to_string()),
        preferred_language: body.preferred_language,
    };
    let actor = auth.id.clone();
    let user = state.db(move |conn| accounts::update(conn, &actor, &id, changes)).await?;
    Ok(web::Json(UserView::from_row(user)?))
}

/// Disable an account. Its tokens stop working at once; it cannot sign in again.
#[utoipa::path(
    tag = "users",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses(
        SignedIn,
        (status = 200, description = "The disabled account", body = UserView),
        (status = 403, description = "Admins only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Your own account, or the last admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/users/{id}/disable")]
async fn disable_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<uuid::Uuid>,
) -> Result<web::Json<UserView>, ApiError> {
    auth.require(&[Role::Admin])?;
    let id = id.into_inner().to_string();
    let actor = auth.id.clone();
    let user = state.db(move |conn| accounts::disable(conn, &actor, &id)).await?;
    Ok(web::Json(UserView::from_row(user)?))
}
