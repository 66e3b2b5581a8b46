//! Signing in on the pages, for accounts with a password (staff, schools, donors, admins):
//! `/login` asks for the address and password and calls the same workflow as the API, with
//! the same throttles; success starts a browser session. `/logout` ends it.

use actix_governor::Governor;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::form::PageForm;
use super::page::form_errors;
use super::page::{session_cookie, PageContext, PageError};
use crate::domain::{EmailAddress, FieldError, Role};
use crate::error::ApiError;
use crate::extract::ClientAddress;
use crate::rate_limit::AnonymousLimit;
use crate::workflows::sign_in::SignedIn;
use crate::workflows::{sessions, sign_in};

/// Signing in and out; posts to `/login` count against the per-address `limit`.
pub fn config(cfg: &mut web::ServiceConfig, limit: &AnonymousLimit) {
    cfg.service(
        web::resource("/login")
            .wrap(Governor::new(limit))
            .route(web::get().to(login_page))
            .route(web::post().to(log_in)),
    )
    .route("/logout", web::post().to(log_out));
}

/// Where an account lands after signing in.
pub fn start_page(role: Role) -> &'static str {
    match role {
        Role::Student => "/my-kit",
        _ => "/start",
    }
}

async fn login_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    if let Some(session) = &ctx.session {
        return Ok(ctx.see_other(start_page(session.role)));
    }
    ctx.render("login.html", json!({"email": ""}))
}

/// The login form again, with what was typed (never the password) and what is wrong.
fn again(
    ctx: &PageContext,
    status: StatusCode,
    email: &str,
    errors: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let (errors, by_field) = form_errors(ctx, errors);
    ctx.render_with_status(
        status,
        "login.html",
        json!({"email": email, "errors": errors, "field_errors": by_field}),
    )
}

async fn log_in(ctx: PageContext, form: PageForm, client: ClientAddress) -> Result<HttpResponse, PageError> {
    let (email, password) = (form.get("email").trim().to_owned(), form.get("password").to_owned());
    let mut errors: Vec<FieldError> = email_problem(&email).into_iter().collect();
    if password.is_empty() {
        errors.push(FieldError::new("password", crate::phrase!("field-required")));
    }
    if !errors.is_empty() {
        return again(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &email, &errors);
    }
    let signed_in = match sign_in::login(&ctx.state, &email, &password, client.0).await {
        Ok(signed_in) => signed_in,
        Err(ApiError::Unauthorized(message)) => {
            let wrong = [FieldError::new("email", message)];
            return again(&ctx, StatusCode::UNAUTHORIZED, &email, &wrong);
        }
        Err(ApiError::Validation(errors)) => {
            return again(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &email, &errors)
        }
        Err(ApiError::RateLimited { retry_after_seconds }) => {
            let wait = [FieldError::new(
                "email",
                crate::phrase!("problem-rate-limited-detail", minutes = retry_after_seconds.div_ceil(60)),
            )];
            return again(&ctx, StatusCode::TOO_MANY_REQUESTS, &email, &wait);
        }
        Err(e) => return Err(ctx.fail(e)),
    };
    start_session(&ctx, signed_in).await
}

/// Starts the browser session of an account that has just signed in (in any of the ways) and
/// goes to its start page. A new token every time: one planted before never signs anyone in.
pub async fn start_session(ctx: &PageContext, signed_in: SignedIn) -> Result<HttpResponse, PageError> {
    let role = Role::parse(&signed_in.user.role).unwrap_or(Role::Staff);
    start_session_at(ctx, signed_in, start_page(role)).await
}

/// Starts a browser session as [`start_session`] does, and goes to `to`.
pub async fn start_session_at(
    ctx: &PageContext,
    signed_in: SignedIn,
    to: &str,
) -> Result<HttpResponse, PageError> {
    let (settings, user) = (ctx.state.settings.web.clone(), signed_in.user);
    let token =
        ctx.state.db(move |conn| sessions::start(conn, &settings, &user)).await.map_err(|e| ctx.fail(e))?;
    Ok(ctx.see_other_signed_in(to, &token))
}

/// What is wrong with an address typed into a form, if anything.
pub fn email_problem(email: &str) -> Option<FieldError> {
    if email.is_empty() {
        return Some(FieldError::new("email", crate::phrase!("field-required")));
    }
    EmailAddress::parse("email", email).err()
}

async fn log_out(ctx: PageContext, _form: PageForm) -> Result<HttpResponse, PageError> {
    if let Some(session) = &ctx.session {
        let token = session.token.clone();
        ctx.state.db(move |conn| sessions::end(conn, &token)).await.map_err(|e| ctx.fail(e))?;
    }
    let mut response = ctx.see_other("/");
    response.add_cookie(&session_cookie("")).map_err(|_| ctx.fail(ApiError::internal("cookie")))?;
    Ok(response)
}
