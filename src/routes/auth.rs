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
    cfg.service(login).service(request_magic_link).service(redeem_magic_link).service(accept_invitation);
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MagicLinkRequest {
    #[schema(max_length = 254)]
    pub email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MagicLinkAccepted {
    pub message: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeemRequest {
    /// The `token` from the link in the email.
    #[schema(max_length = 200)]
    pub token: String,
}

/// Ask for a one-time sign-in link (students). Always 202 with the same body, whether or not
/// the address is a student's; the link is mailed only if it is. Throttled per address.
#[utoipa::path(
    tag = "auth",
    request_body = MagicLinkRequest,
    responses(
        (status = 202, description = "Accepted", body = MagicLinkAccepted),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing email", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many links asked for this address", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/magic-link")]
async fn request_magic_link(
    state: web::Data<AppState>,
    body: ApiJson<MagicLinkRequest>,
) -> Result<(web::Json<MagicLinkAccepted>, actix_web::http::StatusCode), ApiError> {
    use crate::domain::token::{address_key, new_token, token_hash};
    let email = body.0.email.trim().to_lowercase();
    let key = address_key("magic", &email);
    let auth = state.settings.auth.clone();
    let minutes = auth.magic_link_minutes;
    let base = state.settings.server.public_base_url.trim_end_matches('/').to_owned();
    let limit = login_throttle::Limit {
        max_failures: auth.max_magic_links_per_address,
        window: TimeDelta::minutes(auth.magic_link_window_minutes),
        lockout: TimeDelta::minutes(auth.magic_link_window_minutes),
    };
    state
        .db(move |conn| {
            store::write_tx(conn, |conn| {
                let now = store::now();
                if let Some(seconds) = login_throttle::locked_for(conn, std::slice::from_ref(&key), now)? {
                    return Err(ApiError::RateLimited { retry_after_seconds: seconds });
                }
                // Every ask counts, known address or not, so throttling reveals nothing.
                login_throttle::record_failure(conn, &key, limit, now)?;
                let Some(student) = crate::store::students::find_by_email(conn, &email)? else {
                    return Ok(());
                };
                let token = new_token();
                let expires = now + TimeDelta::minutes(auth.magic_link_minutes);
                crate::store::magic_links::insert(conn, &student.id, &token_hash(&token), expires, now)?;
                crate::store::outbox::enqueue(
                    conn,
                    &crate::store::outbox::NewMessage {
                        recipient: &email,
                        language: &student.preferred_language,
                        template: "magic_link",
                        payload: serde_json::json!({
                            "name": student.name,
                            "link": format!("{base}/sign-in?token={token}"),
                            "valid_minutes": auth.magic_link_minutes,
                        }),
                        student_id: Some(&student.id),
                    },
                    now,
                )?;
                Ok(())
            })
        })
        .await?;
    let message =
        format!("If this address belongs to a student, we have sent a sign-in link. It works once, for {minutes} minutes.");
    Ok((web::Json(MagicLinkAccepted { message }), actix_web::http::StatusCode::ACCEPTED))
}

/// Sign in with the token from a one-time link; gives a student's access token.
#[utoipa::path(
    tag = "auth",
    request_body = RedeemRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "The link is used, expired or unknown", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/magic-link/redeem")]
async fn redeem_magic_link(
    state: web::Data<AppState>,
    body: ApiJson<RedeemRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    use crate::domain::token::token_hash;
    let hash = token_hash(body.0.token.trim());
    let user = state
        .db(move |conn| {
            store::write_tx(conn, |conn| {
                let now = store::now();
                let invalid =
                    ApiError::Unauthorized("This sign-in link does not work any more. Ask for a new one.");
                let Some(student_id) = crate::store::magic_links::redeem(conn, &hash, now)? else {
                    return Err(invalid);
                };
                let student = crate::store::students::find(conn, &student_id)?;
                let Some(email) = student.email.filter(|_| student.erased_at.is_none()) else {
                    return Err(invalid);
                };
                // The account shows the student's address unless another account has it.
                let account_email = match users::find_by_email(conn, &email)? {
                    Some(u) if u.student_id.as_deref() != Some(student_id.as_str()) => {
                        format!("student-{student_id}@students.devicepool.invalid")
                    }
                    _ => email,
                };
                users::find_or_create_for_student(conn, &student_id, &account_email, now)
                    .map_err(ApiError::from)
            })
        })
        .await?;
    if user.disabled_at.is_some() {
        return Err(ApiError::Unauthorized("This account is disabled."));
    }
    let issued = state.tokens.issue(&user.id).map_err(|e| ApiError::internal(format!("token: {e}")))?;
    Ok(web::Json(TokenResponse::bearer(issued.token, issued.expires_in)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    /// The `token` from the link in the invitation.
    #[schema(max_length = 200)]
    pub token: String,
    /// The password chosen: 12 to 128 characters.
    #[schema(min_length = 12, max_length = 128)]
    pub password: String,
}

/// Choose a password with the one-time link of an invitation; signs the account in.
#[utoipa::path(
    tag = "auth",
    request_body = AcceptInvitation,
    responses(
        (status = 200, description = "Password set; signed in", body = TokenResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "The invitation is used, expired or unknown", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password is too short or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/invitation/accept")]
async fn accept_invitation(
    state: web::Data<AppState>,
    body: ApiJson<AcceptInvitation>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    use crate::domain::token::token_hash;
    let password = crate::domain::password::Password::parse("password", &body.0.password)?;
    let hash = token_hash(body.0.token.trim());
    let password_hash = state.hasher.hash(password.secret()).await?;
    let user = state
        .db(move |conn| {
            store::write_tx(conn, |conn| {
                let now = store::now();
                let Some(user_id) = crate::store::invitations::redeem(conn, &hash, now)? else {
                    return Err(ApiError::Unauthorized(
                        "This invitation link does not work any more. Ask the administrator for a new one.",
                    ));
                };
                users::set_password_hash(conn, &user_id, &password_hash, now)?;
                Ok(users::find(conn, &user_id)?)
            })
        })
        .await?;
    if user.disabled_at.is_some() {
        return Err(ApiError::Unauthorized("This account is disabled."));
    }
    let issued = state.tokens.issue(&user.id).map_err(|e| ApiError::internal(format!("token: {e}")))?;
    Ok(web::Json(TokenResponse::bearer(issued.token, issued.expires_in)))
}
