//! Choosing a password on the pages: with the link of an invitation (a new account), with
//! the link of a reset, and asking for a reset ("forgot your password?"). The same workflows
//! as the API; the link pages only show a form, and only its POST uses the token.

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
use crate::rate_limit::AnonymousLimit;
use crate::workflows::sign_in;
use crate::workflows::sign_in::SignedIn;

/// The password pages; their posts count against the per-address `limit`.
pub fn config(cfg: &mut web::ServiceConfig, limit: &AnonymousLimit) {
    cfg.service(
        web::resource("/accept-invitation")
            .wrap(Governor::new(limit))
            .route(web::get().to(invitation_page))
            .route(web::post().to(accept_invitation)),
    )
    .service(
        web::resource("/reset-password")
            .wrap(Governor::new(limit))
            .route(web::get().to(reset_page))
            .route(web::post().to(reset_password)),
    )
    .service(
        web::resource("/forgot-password")
            .wrap(Governor::new(limit))
            .route(web::get().to(forgot_page))
            .route(web::post().to(forgot_password)),
    );
}

#[derive(serde::Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// Which link a password page is for.
#[derive(Clone, Copy)]
enum Link {
    Invitation,
    Reset,
}

impl Link {
    fn action(self) -> &'static str {
        match self {
            Link::Invitation => "/accept-invitation",
            Link::Reset => "/reset-password",
        }
    }

    fn title_key(self) -> &'static str {
        match self {
            Link::Invitation => "password-invitation-title",
            Link::Reset => "password-reset-title",
        }
    }

    fn used(self, ctx: &PageContext) -> Result<HttpResponse, PageError> {
        let values = match self {
            Link::Invitation => json!({"again": "", "text_key": "link-used-invitation"}),
            Link::Reset => json!({"again": "/forgot-password", "text_key": "link-used-reset"}),
        };
        ctx.render_with_status(StatusCode::GONE, "link_used.html", values)
    }
}

fn password_form(
    ctx: &PageContext,
    link: Link,
    status: StatusCode,
    token: &str,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let values = json!({
        "title_key": link.title_key(), "action": link.action(), "token": token,
    });
    ctx.render_form(status, "choose_password.html", values, problems)
}

async fn invitation_page(ctx: PageContext, query: web::Query<TokenQuery>) -> Result<HttpResponse, PageError> {
    password_form(&ctx, Link::Invitation, StatusCode::OK, &query.token, &[])
}

async fn reset_page(ctx: PageContext, query: web::Query<TokenQuery>) -> Result<HttpResponse, PageError> {
    password_form(&ctx, Link::Reset, StatusCode::OK, &query.token, &[])
}

/// The answer to a password chosen with `link`: signed in, the form again, or "used".
async fn answer(
    ctx: &PageContext,
    link: Link,
    token: &str,
    result: Result<SignedIn, ApiError>,
) -> Result<HttpResponse, PageError> {
    match result {
        Ok(signed_in) => start_session(ctx, signed_in).await,
        Err(ApiError::Validation(problems)) => {
            password_form(ctx, link, StatusCode::UNPROCESSABLE_ENTITY, token, &problems)
        }
        Err(ApiError::Unauthorized(_)) => link.used(ctx),
        Err(e) => Err(ctx.fail(e)),
    }
}

async fn accept_invitation(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    let (token, password) = (form.get("token"), form.get("password"));
    let result = sign_in::accept_invitation(&ctx.state, token, password).await;
    answer(&ctx, Link::Invitation, token, result).await
}

async fn reset_password(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    let (token, password) = (form.get("token"), form.get("password"));
    let result = sign_in::redeem_password_reset(&ctx.state, token, password).await;
    answer(&ctx, Link::Reset, token, result).await
}

async fn forgot_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    ctx.render("forgot_password.html", json!({"email": "", "sent": false, "minutes": 0}))
}

async fn forgot_password(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    let email = form.get("email").trim().to_owned();
    let minutes = ctx.state.settings.auth.password_reset_minutes;
    if let Some(problem) = email_problem(&email) {
        let (errors, by_field) = form_errors(&ctx, &[problem]);
        let values = json!({"email": email, "sent": false, "minutes": minutes, "errors": errors, "field_errors": by_field});
        return ctx.render_with_status(StatusCode::UNPROCESSABLE_ENTITY, "forgot_password.html", values);
    }
    sign_in::request_password_reset(&ctx.state, &email).await.map_err(|e| ctx.fail(e))?;
    ctx.render("forgot_password.html", json!({"email": email, "sent": true, "minutes": minutes}))
}
