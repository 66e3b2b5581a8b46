//! `AuthUser`: a handler argument that demands a valid bearer token of an enabled account.
//! The account is read from the database on every request, so disabling a user or changing
//! their role takes effect at once, whatever tokens they still hold.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};

use crate::domain::Role;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::users;

/// The signed-in account behind a request.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub organisation_id: Option<String>,
    /// The student record of a student account.
    pub student_id: Option<String>,
}

impl AuthUser {
    /// Whose school data the caller may see: `None` for pool staff (every school's), the
    /// caller's own organisation for a school, 403 for anyone else.
    pub fn school_scope(&self) -> Result<Option<String>, ApiError> {
        match self.role {
            Role::Admin | Role::Staff => Ok(None),
            Role::School => self.organisation_id.clone().map(Some).ok_or(ApiError::Forbidden),
            Role::Donor | Role::Student => Err(ApiError::Forbidden),
        }
    }

    /// Whose donor data the caller may see: `None` for pool staff (everyone's), the caller's
    /// own organisation for a donor, 403 for anyone else.
    pub fn donor_scope(&self) -> Result<Option<String>, ApiError> {
        match self.role {
            Role::Admin | Role::Staff => Ok(None),
            Role::Donor => self.organisation_id.clone().map(Some).ok_or(ApiError::Forbidden),
            Role::School | Role::Student => Err(ApiError::Forbidden),
        }
    }

    /// 403 unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

fn bearer_token(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthorized("Sign in first and send the token as 'Authorization: Bearer …'."))?;
    let value =
        value.to_str().map_err(|_| ApiError::Unauthorized("The Authorization header is malformed."))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Ok(token.trim().to_owned())
        }
        _ => Err(ApiError::Unauthorized("The Authorization header must be 'Bearer <token>'.")),
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<AuthUser, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("app state missing"))?;
            let token = token?;
            let expired =
                ApiError::Unauthorized("Your sign-in has expired or is not valid. Please sign in again.");
            let (user_id, version) = state.tokens.verify(&token).ok_or(expired)?;
            let user = state.db(move |conn| users::find_active(conn, &user_id).map_err(Into::into)).await?;
            let user = user.ok_or(ApiError::Unauthorized("This account is disabled or no longer exists."))?;
            // A token from before the last password reset has ended.
            if user.token_version != version {
                return Err(ApiError::Unauthorized(
                    "Your sign-in has expired or is not valid. Please sign in again.",
                ));
            }
            let role = Role::parse(&user.role).ok_or_else(|| ApiError::internal("unknown role stored"))?;
            Ok(AuthUser {
                id: user.id,
                email: user.email,
                role,
                organisation_id: user.organisation_id,
                student_id: user.student_id,
            })
        })
    }
}
