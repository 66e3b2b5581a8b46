//! "My account", for every signed-in person: who they are signed in as, the language of the
//! pages and mail, a new password, and signing out on every device.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::form::PageForm;
use super::page::{session_cookie, PageContext, PageError};
use super::sign_in::start_session_at;
use crate::domain::student::Language;
use crate::domain::FieldError;
use crate::error::ApiError;
use crate::store::organisations;
use crate::workflows::{accounts, sign_in};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/account", web::get().to(account_page))
        .route("/account/language", web::post().to(choose_language))
        .route("/account/password", web::post().to(change_password))
        .route("/account/sign-out-everywhere", web::post().to(sign_out_everywhere));
}

#[derive(serde::Deserialize)]
struct Done {
    done: Option<String>,
}

/// The notice after a change, as a catalogue key (only the ones this page knows).
fn done_key(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "language" => Some("account-done-language"),
        "password" => Some("account-done-password"),
        _ => None,
    }
}

async fn account_page(ctx: PageContext, done: web::Query<Done>) -> Result<HttpResponse, PageError> {
    show(&ctx, StatusCode::OK, done_key(done.done.as_deref()), &[]).await
}

/// The account page, with a notice or the password form's problems.
async fn show(
    ctx: &PageContext,
    status: StatusCode,
    done: Option<&'static str>,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let session = ctx.signed_in()?;
    let organisation = session.user.organisation_id.clone();
    let organisation = match organisation {
        Some(id) => ctx
            .state
            .db(move |conn| Ok(organisations::find(conn, &id).ok().map(|o| o.name)))
            .await
            .map_err(|e| ctx.fail(e))?,
        None => None,
    };
    let values = json!({
        "role_key": format!("account-role-{}", session.role.as_str()),
        "organisation": organisation,
        "has_password": session.user.password_hash.is_some(),
        "done_key": done,
    });
    ctx.render_form(status, "account.html", values, problems)
}

async fn choose_language(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    let session = ctx.signed_in()?;
    let Some(language) = Language::parse(form.get("language")) else {
        return Ok(ctx.see_other("/account"));
    };
    let id = session.user.id.clone();
    ctx.state
        .db(move |conn| accounts::choose_language(conn, &id, language))
        .await
        .map_err(|e| ctx.fail(e))?;
    // The page that follows is in the new language: `?lang=` says it before the account is read.
    Ok(ctx.see_other(&format!("/account?done=language&lang={}", language.as_str())))
}

async fn change_password(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    let session = ctx.signed_in()?;
    let (current, new) = (form.get("current_password"), form.get("new_password"));
    match sign_in::change_password(&ctx.state, &session.user.id, current, new).await {
        Ok(signed_in) => start_session_at(&ctx, signed_in, "/account?done=password").await,
        Err(ApiError::Validation(problems)) => {
            show(&ctx, StatusCode::UNPROCESSABLE_ENTITY, None, &problems).await
        }
        Err(ApiError::RateLimited { retry_after_seconds }) => {
            let minutes = retry_after_seconds.div_ceil(60);
            let wait = [FieldError::new(
                "current_password",
                crate::phrase!("problem-rate-limited-detail", minutes = minutes),
            )];
            show(&ctx, StatusCode::TOO_MANY_REQUESTS, None, &wait).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

async fn sign_out_everywhere(ctx: PageContext, _form: PageForm) -> Result<HttpResponse, PageError> {
    let id = ctx.signed_in()?.user.id.clone();
    ctx.state.db(move |conn| sign_in::sign_out_everywhere(conn, &id)).await.map_err(|e| ctx.fail(e))?;
    let mut response = ctx.see_other("/login");
    response.add_cookie(&session_cookie("")).map_err(|_| ctx.fail(ApiError::internal("cookie")))?;
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_notices_are_shown() {
        assert_eq!(done_key(Some("password")), Some("account-done-password"));
        assert_eq!(done_key(Some("language")), Some("account-done-language"));
        assert_eq!(done_key(Some("<script>")), None);
        assert_eq!(done_key(None), None);
    }
}
