//! `/api/v1/auth`: signing in, the one-time links that stand in for a password, and choosing
//! a new password. Anyone may call these, so they read small bodies only and are rate-limited
//! per client address (`crate::rate_limit`, shared with their page twins) before a handler runs; the rules are in
//! `workflows::sign_in`.

use actix_governor::Governor;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, Problem};
use crate::extract::{ClientAddress, SmallJson};
use crate::openapi::answers::*;
use crate::rate_limit::AnonymousLimit;
use crate::state::AppState;
use crate::workflows::sign_in::{self, SignedIn};

/// The routes under `/api/v1/auth`, behind the per-address limit.
pub fn config(cfg: &mut ServiceConfig, limit: &AnonymousLimit) {
    let scope = utoipa_actix_web::scope("/auth").wrap(Governor::new(limit)).configure(routes);
    cfg.service(scope);
}

fn routes(cfg: &mut ServiceConfig) {
    cfg.service(login)
        .service(request_magic_link)
        .service(redeem_magic_link)
        .service(redeem_sign_in_code)
        .service(accept_invitation)
        .service(request_password_reset)
        .service(redeem_password_reset);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(max_length = 254)]
    pub email: String,
    #[schema(max_length = 128)]
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

impl From<SignedIn> for TokenResponse {
    fn from(s: SignedIn) -> TokenResponse {
        TokenResponse {
            access_token: s.token.token,
            token_type: "Bearer".into(),
            expires_in: s.token.expires_in,
        }
    }
}

/// Sign in with email and password. Unknown addresses and wrong passwords get the same answer
/// in about the same time. Each attempt is counted per account and per client address before
/// the password is checked; past the allowance each try must wait longer (429).
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        Anyone, JsonBody,
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong email or password", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing fields, or a password over 128 characters", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts: wait", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Too many sign-ins at once", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/login")]
async fn login(
    state: web::Data<AppState>,
    client: ClientAddress,
    body: SmallJson<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let signed_in = sign_in::login(&state, &body.0.email, &body.0.password, client.0).await?;
    Ok(web::Json(signed_in.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailOnly {
    #[schema(max_length = 254)]
    pub email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
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
    request_body = EmailOnly,
    responses(
        Anyone, JsonBody,
        (status = 202, description = "Accepted", body = Accepted),
        (status = 422, description = "Missing email", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many links asked for this address, or from this client", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/magic-link")]
async fn request_magic_link(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    body: SmallJson<EmailOnly>,
) -> Result<HttpResponse, ApiError> {
    sign_in::request_magic_link(&state, &body.0.email).await?;
    // The same words for every address, in the reader's language.
    let message = crate::i18n::say(
        &sign_in::magic_link_sent(state.settings.auth.magic_link_minutes),
        crate::middleware::readers_language(&req).await,
    );
    Ok(HttpResponse::build(StatusCode::ACCEPTED).json(Accepted { message }))
}

/// Sign in with the token from a one-time link; gives a student's access token.
#[utoipa::path(
    tag = "auth",
    request_body = RedeemRequest,
    responses(
        Anyone, JsonBody,
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "The link is used, expired or unknown", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing token", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/magic-link/redeem")]
async fn redeem_magic_link(
    state: web::Data<AppState>,
    body: SmallJson<RedeemRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    Ok(web::Json(sign_in::redeem_magic_link(&state, &body.0.token).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailAndCode {
    #[schema(max_length = 254)]
    pub email: String,
    /// The six-digit code from the sign-in mail.
    #[schema(max_length = 20)]
    pub code: String,
}

/// Sign in with the short code from the sign-in mail, typed with the address it went to: the
/// same sign-in as the mailed link, once, for as long as the link works. Every try counts
/// against the client and the address, like a password.
#[utoipa::path(
    tag = "auth",
    request_body = EmailAndCode,
    responses(
        Anyone, JsonBody,
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "The code is wrong, used or expired", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many tries", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/magic-link/code")]
async fn redeem_sign_in_code(
    state: web::Data<AppState>,
    client: ClientAddress,
    body: SmallJson<EmailAndCode>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let signed_in = sign_in::redeem_sign_in_code(&state, &body.0.email, &body.0.code, client.0).await?;
    Ok(web::Json(signed_in.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenAndPassword {
    /// The `token` from the link in the mail.
    #[schema(max_length = 200)]
    pub token: String,
    /// The password chosen: 12 to 128 characters.
    #[schema(min_length = 12, max_length = 128)]
    pub password: String,
}

/// Choose a password with the one-time link of an invitation; signs the account in.
#[utoipa::path(
    tag = "auth",
    request_body = TokenAndPassword,
    responses(
        Anyone, JsonBody,
        (status = 200, description = "Password set; signed in", body = TokenResponse),
        (status = 401, description = "The invitation is used, expired or unknown", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password is too short or too long", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Too many passwords being set at once", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/invitation/accept")]
async fn accept_invitation(
    state: web::Data<AppState>,
    body: SmallJson<TokenAndPassword>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    Ok(web::Json(sign_in::accept_invitation(&state, &body.0.token, &body.0.password).await?.into()))
}

/// Forgot your password? Always 202 with the same body; if the address has an account that
/// signs in with a password, a one-time link to choose a new one is mailed. Throttled per
/// address and per client.
#[utoipa::path(
    tag = "auth",
    request_body = EmailOnly,
    responses(
        Anyone, JsonBody,
        (status = 202, description = "Accepted", body = Accepted),
        (status = 422, description = "Missing email", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many links asked for this address, or from this client", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/password-reset")]
async fn request_password_reset(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    body: SmallJson<EmailOnly>,
) -> Result<HttpResponse, ApiError> {
    sign_in::request_password_reset(&state, &body.0.email).await?;
    // The same words for every address, in the reader's language.
    let message = crate::i18n::say(
        &sign_in::reset_sent(state.settings.auth.password_reset_minutes),
        crate::middleware::readers_language(&req).await,
    );
    Ok(HttpResponse::build(StatusCode::ACCEPTED).json(Accepted { message }))
}

/// Choose a new password with the one-time link from the mail; signs in. Every other access
/// token and link of the account stops working.
#[utoipa::path(
    tag = "auth",
    request_body = TokenAndPassword,
    responses(
        Anyone, JsonBody,
        (status = 200, description = "Password changed; signed in", body = TokenResponse),
        (status = 401, description = "The link is used, expired or unknown", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password is too short or too long", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Too many passwords being set at once", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/password-reset/redeem")]
async fn redeem_password_reset(
    state: web::Data<AppState>,
    body: SmallJson<TokenAndPassword>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    Ok(web::Json(sign_in::redeem_password_reset(&state, &body.0.token, &body.0.password).await?.into()))
}
