//! Students sign in without a password: `/sign-in` asks for their address and always answers
//! "check your mail" (as the API does); the mail holds a link and a code. The link opens a page
//! with one button and only that button's POST uses the token, because mail scanners open
//! every link in a mail first and would use it up. The code, typed on the "check your mail"
//! page, is the way in on another device.

use actix_governor::Governor;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::form::PageForm;
use super::page::form_errors;
use super::page::{PageContext, PageError};
use super::sign_in::{email_problem, start_session};
use crate::domain::FieldError;
use crate::error::ApiError;
use crate::extract::ClientAddress;
use crate::rate_limit::AnonymousLimit;
use crate::workflows::sign_in;

/// A student's sign-in pages; their posts count against the per-address `limit`.
pub fn config(cfg: &mut web::ServiceConfig, limit: &AnonymousLimit) {
    cfg.service(
        web::resource("/sign-in")
            .wrap(Governor::new(limit))
            .route(web::get().to(sign_in_page))
            .route(web::post().to(ask_for_link)),
    )
    .service(web::resource("/sign-in/link").wrap(Governor::new(limit)).route(web::post().to(use_link)))
    .service(web::resource("/sign-in/code").wrap(Governor::new(limit)).route(web::post().to(use_code)));
}

#[derive(serde::Deserialize)]
struct LinkQuery {
    token: Option<String>,
}

/// The address form, or, from the mailed link, the page with the one button.
async fn sign_in_page(ctx: PageContext, query: web::Query<LinkQuery>) -> Result<HttpResponse, PageError> {
    match query.into_inner().token.filter(|t| !t.trim().is_empty()) {
        Some(token) => ctx.render("sign_in_link.html", json!({"token": token})),
        None => ctx.render("sign_in.html", json!({"email": ""})),
    }
}

async fn ask_for_link(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    let email = form.get("email").trim().to_owned();
    if let Some(problem) = email_problem(&email) {
        let (errors, by_field) = form_errors(&ctx, &[problem]);
        let values = json!({"email": email, "errors": errors, "field_errors": by_field});
        return ctx.render_with_status(StatusCode::UNPROCESSABLE_ENTITY, "sign_in.html", values);
    }
    match sign_in::request_magic_link(&ctx.state, &email).await {
        Ok(()) => check_mail(&ctx, StatusCode::OK, &email, &[]),
        Err(e) => Err(ctx.fail(e)),
    }
}

/// "Check your mail", with the form for the code.
fn check_mail(
    ctx: &PageContext,
    status: StatusCode,
    email: &str,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let (errors, by_field) = form_errors(ctx, problems);
    let minutes = ctx.state.settings.auth.magic_link_minutes;
    let values = json!({"email": email, "minutes": minutes, "errors": errors, "field_errors": by_field});
    ctx.render_with_status(status, "check_mail.html", values)
}

async fn use_link(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    match sign_in::redeem_magic_link(&ctx.state, form.get("token")).await {
        Ok(signed_in) => start_session(&ctx, signed_in).await,
        Err(ApiError::Unauthorized(_)) => ctx.render_with_status(
            StatusCode::GONE,
            "link_used.html",
            json!({"again": "/sign-in", "text_key": "link-used-sign-in"}),
        ),
        Err(e) => Err(ctx.fail(e)),
    }
}

async fn use_code(
    ctx: PageContext,
    form: PageForm,
    client: ClientAddress,
) -> Result<HttpResponse, PageError> {
    let (email, code) = (form.get("email").trim().to_owned(), form.get("code").trim().to_owned());
    let mut problems = Vec::new();
    if email.is_empty() {
        problems.push(FieldError::new("email", crate::phrase!("field-required")));
    }
    if code.is_empty() {
        problems.push(FieldError::new("code", crate::phrase!("field-required")));
    }
    if !problems.is_empty() {
        return check_mail(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &email, &problems);
    }
    match sign_in::redeem_sign_in_code(&ctx.state, &email, &code, client.0).await {
        Ok(signed_in) => start_session(&ctx, signed_in).await,
        Err(ApiError::Unauthorized(message)) => {
            check_mail(&ctx, StatusCode::UNAUTHORIZED, &email, &[FieldError::new("code", message)])
        }
        // The code and its link are burnt: the page says so and offers a new mail.
        Err(ApiError::CodeSpent) => ctx.render_with_status(
            StatusCode::UNAUTHORIZED,
            "check_mail.html",
            json!({"email": email, "spent": true, "errors": [], "field_errors": {}}),
        ),
        Err(ApiError::RateLimited { retry_after_seconds }) => {
            let wait =
                crate::phrase!("problem-rate-limited-detail", minutes = retry_after_seconds.div_ceil(60));
            check_mail(&ctx, StatusCode::TOO_MANY_REQUESTS, &email, &[FieldError::new("code", wait)])
        }
        Err(e) => Err(ctx.fail(e)),
    }
}
