//! Other people's accounts, as admins manage them on the pages (one's own is `account.rs`):
//! the pool's staff and admins with an invitation form, and disabling any account after a
//! confirmation. Inviting a school's or donor's people is on their organisation's page
//! (`organisations.rs`); both go through `workflows::accounts`, as `/api/v1/users` does.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::form::PageForm;
use super::page::form_errors;
use super::page::{PageContext, PageError, PageFailure};
use crate::domain::student::Language;
use crate::domain::{EmailAddress, FieldError, Role};
use crate::phrase;
use crate::store::users::{self, User};
use crate::workflows::accounts::{self, NewAccount};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/accounts", web::get().to(team_page))
        .route("/accounts", web::post().to(invite))
        .route("/accounts/{id}/disable", web::get().to(disable_page))
        .route("/accounts/{id}/disable", web::post().to(disable));
}

/// The signed-in admin's account id; anyone else may not manage accounts.
pub fn admin(ctx: &PageContext) -> Result<String, PageError> {
    let session = ctx.signed_in()?;
    match session.role {
        Role::Admin => Ok(session.user.id.clone()),
        _ => Err(PageError::new(ctx.lang, PageFailure::Forbidden)),
    }
}

/// An account as the lists show it: signed in before, invited only, or disabled.
pub fn line(u: &User) -> Value {
    let state = match (&u.disabled_at, &u.password_hash) {
        (Some(_), _) => "disabled",
        (None, None) => "invited",
        (None, Some(_)) => "active",
    };
    json!({"id": u.id, "email": u.email, "role": u.role, "state": state})
}

/// The address and the language of an invitation as typed, every mistake at once.
pub fn invitation(form: &PageForm) -> Result<(EmailAddress, Language), Vec<FieldError>> {
    let email = EmailAddress::parse("email", form.get("email"));
    let language = Language::parse(form.get("language"))
        .ok_or_else(|| FieldError::new("language", phrase!("field-choose-language")));
    match (email, language) {
        (Ok(email), Ok(language)) => Ok((email, language)),
        (email, language) => Err(crate::domain::field_errors([email.err(), language.err()])),
    }
}

/// An invitation as the form shows it again: what was typed, or the reader's language.
pub fn typed(ctx: &PageContext, form: Option<&PageForm>) -> Value {
    match form {
        Some(f) => json!({"email": f.get("email"), "language": f.get("language"), "role": f.get("role")}),
        None => json!({"email": "", "language": ctx.lang.as_str(), "role": ""}),
    }
}

/// The `?done=` of a page after an action.
#[derive(Deserialize)]
pub struct Done {
    pub done: Option<String>,
}

/// The notice after an action, as a catalogue key (only the ones these pages know).
pub fn done_key(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "invited" => Some("people-done-invited"),
        "disabled" => Some("people-done-disabled"),
        "renamed" => Some("orgs-done-renamed"),
        "opened" => Some("orgs-done-opened"),
        _ => None,
    }
}

async fn team_page(ctx: PageContext, done: web::Query<Done>) -> Result<HttpResponse, PageError> {
    admin(&ctx)?;
    show_team(&ctx, StatusCode::OK, typed(&ctx, None), &[], done_key(done.done.as_deref())).await
}

/// The pool's staff and admins, with the invitation form.
async fn show_team(
    ctx: &PageContext,
    status: StatusCode,
    typed: Value,
    problems: &[FieldError],
    notice: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let rows = ctx
        .state
        .db(|conn| {
            let mut team = users::list(conn, Some(Role::Admin.as_str()), None, None, 500)?;
            team.extend(users::list(conn, Some(Role::Staff.as_str()), None, None, 500)?);
            Ok(team)
        })
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut people: Vec<Value> = rows.iter().map(line).collect();
    people.sort_by_key(|p| p["email"].as_str().unwrap_or("").to_lowercase());
    let me = ctx.signed_in()?.user.id.clone();
    let page = json!({"people": people, "me": me, "typed": typed, "notice": notice, "days": ctx.state.settings.auth.invitation_days});
    ctx.render_form(status, "accounts.html", page, problems)
}

/// Invites a member of the pool's team: staff or admin, by mail.
async fn invite(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    admin(&ctx)?;
    let role = match form.get("role") {
        "staff" => Ok(Role::Staff),
        "admin" => Ok(Role::Admin),
        _ => Err(FieldError::new("role", phrase!("field-choose-team-role"))),
    };
    let outcome = match (invitation(&form), role) {
        (Ok((email, language)), Ok(role)) => {
            let new = NewAccount {
                email,
                role,
                organisation_id: None,
                password_hash: None,
                preferred_language: Some(language),
            };
            let (settings, keys) = (ctx.state.settings.clone(), ctx.state.keys.clone());
            ctx.state.db(move |conn| accounts::create(conn, &settings, &keys, new)).await.map(drop)
        }
        (invited, role) => {
            let mut problems = invited.err().unwrap_or_default();
            problems.extend(role.err());
            Err(problems.into())
        }
    };
    match outcome {
        Ok(()) => Ok(ctx.see_other("/accounts?done=invited")),
        Err(e) => {
            let problems = ctx.form_problems(e, "email")?;
            show_team(&ctx, StatusCode::UNPROCESSABLE_ENTITY, typed(&ctx, Some(&form)), &problems, None).await
        }
    }
}

/// Where an account is listed: its organisation's page, or the pool's team.
fn listed_at(u: &User) -> String {
    match &u.organisation_id {
        Some(org) => format!("/organisations/{org}"),
        None => "/accounts".to_owned(),
    }
}

async fn disable_page(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    admin(&ctx)?;
    let id = ctx.object_id(&id)?;
    let u = ctx.state.db(move |conn| Ok(users::find(conn, &id)?)).await.map_err(|e| ctx.fail(e))?;
    let page = json!({"person": line(&u), "back": listed_at(&u)});
    ctx.render("account_disable.html", page)
}

/// Disables an account; refused for one's own and for the last admin, said on the page.
async fn disable(
    ctx: PageContext,
    id: web::Path<String>,
    _form: PageForm,
) -> Result<HttpResponse, PageError> {
    let actor = admin(&ctx)?;
    let id = ctx.object_id(&id)?;
    let target = id.clone();
    match ctx.state.db(move |conn| accounts::disable(conn, &actor, &target)).await {
        Ok(u) => Ok(ctx.see_other(&format!("{}?done=disabled", listed_at(&u)))),
        Err(e) => {
            let problems = ctx.form_problems(e, "disable")?;
            let u = ctx.state.db(move |conn| Ok(users::find(conn, &id)?)).await.map_err(|e| ctx.fail(e))?;
            let (errors, _) = form_errors(&ctx, &problems);
            let page = json!({"person": line(&u), "back": listed_at(&u), "errors": errors});
            ctx.render_with_status(StatusCode::CONFLICT, "account_disable.html", page)
        }
    }
}
