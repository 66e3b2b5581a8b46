//! Schools and donors on the pages, for admins: the list, a new one, and one organisation's
//! page to rename it, see its people and invite more (they get a mail and choose a password).
//! The same workflows as `/api/v1/organisations` and `/api/v1/users`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::accounts::{admin, done_key, invitation, line, typed, Done};
use super::form::PageForm;
use super::page::{PageContext, PageError};
use crate::domain::{FieldError, OrganisationKind};
use crate::error::ApiError;
use crate::phrase;
use crate::store::{organisations as stored, users};
use crate::workflows::accounts::{self, NewAccount};
use crate::workflows::organisations::{name, open, rename};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/organisations", web::get().to(list_page))
        .route("/organisations/new", web::get().to(new_page))
        .route("/organisations/new", web::post().to(create))
        .route("/organisations/{id}", web::get().to(organisation_page))
        .route("/organisations/{id}", web::post().to(save_name))
        .route("/organisations/{id}/invite", web::post().to(invite));
}

/// How many organisations the list shows; a programme has a few hundred.
const LISTED: i64 = 5_000;

async fn list_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    admin(&ctx)?;
    let rows =
        ctx.state.db(|conn| Ok(stored::list(conn, None, None, LISTED)?)).await.map_err(|e| ctx.fail(e))?;
    let (mut schools, mut donors): (Vec<_>, Vec<_>) = rows.into_iter().partition(|o| o.kind == "school");
    for list in [&mut schools, &mut donors] {
        list.sort_by_key(|o| o.name.to_lowercase());
    }
    let show = |list: Vec<stored::Organisation>| -> Vec<Value> {
        list.into_iter().map(|o| json!({"id": o.id, "name": o.name})).collect()
    };
    ctx.render("organisations.html", json!({"schools": show(schools), "donors": show(donors)}))
}

fn new_form(
    ctx: &PageContext,
    status: StatusCode,
    typed: Value,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let page = json!({"typed": typed});
    ctx.render_form(status, "organisation_form.html", page, problems)
}

async fn new_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    admin(&ctx)?;
    new_form(&ctx, StatusCode::OK, json!({"name": "", "kind": ""}), &[])
}

async fn create(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    admin(&ctx)?;
    let kind = OrganisationKind::parse(form.get("kind"))
        .ok_or_else(|| FieldError::new("kind", phrase!("field-choose-organisation-kind")));
    let outcome = match (name(form.get("name")), kind) {
        (Ok(name), Ok(kind)) => ctx.state.db(move |conn| open(conn, &name, kind)).await,
        (name, kind) => Err(crate::domain::field_errors([name.err(), kind.err()]).into()),
    };
    match outcome {
        Ok(org) => Ok(ctx.see_other(&format!("/organisations/{}?done=opened", org.id))),
        Err(e) => {
            let problems = ctx.form_problems(e, "name")?;
            let typed = json!({"name": form.get("name"), "kind": form.get("kind")});
            new_form(&ctx, StatusCode::UNPROCESSABLE_ENTITY, typed, &problems)
        }
    }
}

async fn organisation_page(
    ctx: PageContext,
    id: web::Path<String>,
    done: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    admin(&ctx)?;
    let id = ctx.object_id(&id)?;
    let forms = Forms { name: None, invite: typed(&ctx, None), problems: Vec::new() };
    show(&ctx, StatusCode::OK, id, forms, done_key(done.done.as_deref())).await
}

/// The two forms of an organisation's page as typed, and what is wrong in them.
struct Forms {
    name: Option<String>,
    invite: Value,
    problems: Vec<FieldError>,
}

/// One organisation: its name to change, its people, and the invitation form.
async fn show(
    ctx: &PageContext,
    status: StatusCode,
    id: String,
    forms: Forms,
    notice: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let (org, people) = ctx
        .state
        .db(move |conn| {
            let org = stored::find(conn, &id)?;
            let people = users::list(conn, None, Some(&org.id), None, 500)?;
            Ok((org, people))
        })
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut people: Vec<Value> = people.iter().map(line).collect();
    people.sort_by_key(|p| p["email"].as_str().unwrap_or("").to_lowercase());
    let page = json!({
        "organisation": {"id": org.id, "name": org.name, "kind": org.kind},
        "typed_name": forms.name.unwrap_or(org.name), "invite": forms.invite, "people": people,
        "notice": notice, "days": ctx.state.settings.auth.invitation_days,
    });
    ctx.render_form(status, "organisation.html", page, &forms.problems)
}

async fn save_name(
    ctx: PageContext,
    id: web::Path<String>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    admin(&ctx)?;
    let id = ctx.object_id(&id)?;
    let target = id.clone();
    let outcome = match name(form.get("name")) {
        Ok(name) => ctx.state.db(move |conn| rename(conn, &target, Some(name))).await.map(drop),
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(()) => Ok(ctx.see_other(&format!("/organisations/{id}?done=renamed"))),
        Err(e) => {
            let problems = ctx.form_problems(e, "name")?;
            let forms =
                Forms { name: Some(form.get("name").to_owned()), invite: typed(&ctx, None), problems };
            show(&ctx, StatusCode::UNPROCESSABLE_ENTITY, id, forms, None).await
        }
    }
}

/// Invites a person of this school or donor; their role follows from the organisation's kind.
async fn invite(ctx: PageContext, id: web::Path<String>, form: PageForm) -> Result<HttpResponse, PageError> {
    admin(&ctx)?;
    let id = ctx.object_id(&id)?;
    let (settings, keys, org_id) = (ctx.state.settings.clone(), ctx.state.keys.clone(), id.clone());
    let outcome = match invitation(&form) {
        Ok((email, language)) => {
            ctx.state
                .db(move |conn| {
                    let org = stored::find(conn, &org_id)?;
                    let kind = OrganisationKind::parse(&org.kind)
                        .ok_or_else(|| ApiError::internal("unknown kind"))?;
                    let new = NewAccount {
                        email,
                        role: kind.member_role(),
                        organisation_id: Some(org.id),
                        password_hash: None,
                        preferred_language: Some(language),
                    };
                    accounts::create(conn, &settings, &keys, new).map(drop)
                })
                .await
        }
        Err(problems) => Err(problems.into()),
    };
    match outcome {
        Ok(()) => Ok(ctx.see_other(&format!("/organisations/{id}?done=invited"))),
        Err(e) => {
            let problems = ctx.form_problems(e, "email")?;
            let forms = Forms { name: None, invite: typed(&ctx, Some(&form)), problems };
            show(&ctx, StatusCode::UNPROCESSABLE_ENTITY, id, forms, None).await
        }
    }
}
