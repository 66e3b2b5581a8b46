//! `AuthUser`: a handler argument that demands a valid bearer token of an enabled account.
//! The account comes from the account cache, which forgets it the moment it changes
//! (`store::account_cache`), or else from the database, so disabling a user or changing their
//! role takes effect at once, whatever tokens they still hold.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpMessage, HttpRequest};

use crate::domain::student::Language;
use crate::domain::Role;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::users::{self, Account};

/// The signed-in account behind a request.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub organisation_id: Option<String>,
    /// The student record of a student account.
    pub student_id: Option<String>,
    /// The language the account reads the service in, if it chose one.
    pub language: Option<Language>,
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

/// The language of the account whose token the request carries, if it chose one. For an
/// error answer that came before `AuthUser` had looked (the extractors of a handler run side
/// by side, and a bad body can fail first).
pub async fn account_language(req: &HttpRequest) -> Option<Language> {
    // Known already when `AuthUser` ran: no second look at the account.
    if let Some(known) = req.extensions().get::<AccountLanguage>() {
        return known.0;
    }
    let state = req.app_data::<web::Data<AppState>>()?.clone();
    let token = bearer_token(req).ok()?;
    let (user_id, version) = state.tokens.verify(&token)?;
    let account = active_account(&state, user_id).await.ok()??;
    (account.token_version == version).then_some(())?;
    account.preferred_language.as_deref().and_then(Language::parse)
}

/// The enabled account `id`, from the account cache or else from the database (and then kept).
async fn active_account(state: &AppState, id: String) -> Result<Option<Arc<Account>>, ApiError> {
    let cache = Arc::clone(state.pool.accounts());
    if let Some(account) = cache.get(&id) {
        return Ok(Some(account));
    }
    let ticket = cache.ticket();
    let found = state.db(move |conn| users::find_active_account(conn, &id).map_err(Into::into)).await?;
    let found = found.map(Arc::new);
    if let (Some(ticket), Some(account)) = (ticket, &found) {
        cache.keep(ticket, Arc::clone(account));
    }
    Ok(found)
}

fn bearer_token(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthorized(crate::phrase!("unauthorized-sign-in-first")))?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::Unauthorized(crate::phrase!("unauthorized-header-unreadable")))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Ok(token.trim().to_owned())
        }
        _ => Err(ApiError::Unauthorized(crate::phrase!("unauthorized-header-scheme"))),
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<AuthUser, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        let request = req.clone();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("app state missing"))?;
            let token = token?;
            let expired = ApiError::Unauthorized(crate::phrase!("unauthorized-expired"));
            let (user_id, version) = state.tokens.verify(&token).ok_or(expired)?;
            let user = active_account(&state, user_id).await?;
            let user = user.ok_or(ApiError::Unauthorized(crate::phrase!("unauthorized-account-gone")))?;
            // A token from before the last password reset has ended.
            if user.token_version != version {
                return Err(ApiError::Unauthorized(crate::phrase!("unauthorized-expired")));
            }
            let role = Role::parse(&user.role).ok_or_else(|| ApiError::internal("unknown role stored"))?;
            let language = user.preferred_language.as_deref().and_then(Language::parse);
            // For the answer's language, should this request fail further on.
            request.extensions_mut().insert(AccountLanguage(language));
            Ok(AuthUser {
                id: user.id.clone(),
                email: user.email.clone(),
                role,
                organisation_id: user.organisation_id.clone(),
                student_id: user.student_id.clone(),
                language,
            })
        })
    }
}

/// The language of the signed-in account (`None`: it chose none), put in the request by
/// `AuthUser` once it knows who asks, for the answer to be in it when the request does not say.
#[derive(Debug, Clone, Copy)]
pub struct AccountLanguage(pub Option<Language>);
