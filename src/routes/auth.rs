//! `/api/v1/auth`: signing in.

use actix_web::{post, web, HttpRequest};
use chrono::TimeDelta;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::state::AppState;
use crate::store::{self, login_throttle, users};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(login);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(max_length = 254)]
    pub email: String,
    #[schema(max_length = 1024)]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: i64,
}

impl TokenResponse {
    pub fn bearer(token: String, expires_in: i64) -> TokenResponse {
        TokenResponse { access_token: token, token_type: "Bearer".into(), expires_in }
    }
}

const WRONG_CREDENTIALS: &str = "The email address or password is not right.";

/// Sign in with email and password. Unknown addresses and wrong passwords get the same answer
/// in about the same time; repeated failures lock the account or address for a while (429).
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong email or password", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/login")]
async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let email = body.0.email.trim().to_lowercase();
    let password = SecretString::from(body.0.password);
    let address = req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_else(|| "unknown".into());
    // Keys hold a hash of the address, not the address: the table keeps no personal data.
    let account_key = crate::domain::token::address_key("account", &email);
    let address_key = format!("address:{address}");
    let auth = state.settings.auth.clone();
    let (account_limit, address_limit) = {
        let limit = |max| login_throttle::Limit {
            max_failures: max,
            window: TimeDelta::minutes(auth.failed_login_window_minutes),
            lockout: TimeDelta::minutes(auth.lockout_minutes),
        };
        (limit(auth.max_failed_logins_per_account), limit(auth.max_failed_logins_per_address))
    };

    let keys = vec![account_key.clone(), address_key.clone()];
    let lookup_email = email.clone();
    let (locked, user) = state
        .db(move |conn| {
            let locked = login_throttle::locked_for(conn, &keys, store::now())?;
            let user = users::find_by_email(conn, &lookup_email)?;
            Ok((locked, user))
        })
        .await?;
    if let Some(seconds) = locked {
        return Err(ApiError::RateLimited { retry_after_seconds: seconds });
    }
    let user = user.filter(|u| u.disabled_at.is_none());
    let stored_hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let verified = state.hasher.verify(&password, stored_hash).await?;
    match user {
        Some(user) if verified => {
            state.db(move |conn| login_throttle::clear(conn, &account_key).map_err(ApiError::from)).await?;
            let issued =
                state.tokens.issue(&user.id).map_err(|e| ApiError::internal(format!("token: {e}")))?;
            Ok(web::Json(TokenResponse::bearer(issued.token, issued.expires_in)))
        }
        _ => {
            state
                .db(move |conn| {
                    store::write_tx(conn, |conn| {
                        let now = store::now();
                        login_throttle::record_failure(conn, &account_key, account_limit, now)?;
                        login_throttle::record_failure(conn, &address_key, address_limit, now)
                            .map_err(ApiError::from)
                    })
                })
                .await?;
            Err(ApiError::Unauthorized(WRONG_CREDENTIALS))
        }
    }
}
