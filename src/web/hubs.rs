//! Hubs on the pages: the list, a new hub, and changing one (name, address, opening hours,
//! which the "ready" mails and My kit show), through `workflows::hubs` as the API does.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::desk::staff;
use super::form::PageForm;
use super::page::{PageContext, PageError};
use crate::domain::FieldError;
use crate::store::hubs::{self, HubChanges};
use crate::workflows::hubs::{change, details, open};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/hubs", web::get().to(list_page))
        .route("/hubs/new", web::get().to(new_page))
        .route("/hubs/new", web::post().to(create))
        .route("/hubs/{id}", web::get().to(edit_page))
        .route("/hubs/{id}", web::post().to(save));
}

async fn list_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let rows = ctx.state.db(|conn| Ok(hubs::list(conn, None, 500)?)).await.map_err(|e| ctx.fail(e))?;
    let mut list: Vec<Value> = rows
        .into_iter()
        .map(|h| json!({"id": h.id, "name": h.name, "address": h.address, "opening_hours": h.opening_hours}))
        .collect();
    list.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    ctx.render("hubs.html", json!({"hubs": list}))
}

fn typed(form: &PageForm) -> Value {
    json!({"name": form.get("name"), "address": form.get("address"), "opening_hours": form.get("opening_hours")})
}

fn hub_form(
    ctx: &PageContext,
    status: StatusCode,
    action: &str,
    values: Value,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let page = json!({"action": action, "typed": values});
    ctx.render_form(status, "hub_form.html", page, problems)
}

async fn new_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let empty = json!({"name": "", "address": "", "opening_hours": ""});
    hub_form(&ctx, StatusCode::OK, "/hubs/new", empty, &[])
}

async fn create(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let outcome = match details(form.get("name"), form.get("address"), Some(form.get("opening_hours"))) {
        Ok(d) => ctx.state.db(move |conn| open(conn, &d)).await.map(drop),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => Ok(ctx.see_other("/hubs")),
        Err(e) => {
            let problems = ctx.form_problems(e, "name")?;
            hub_form(&ctx, StatusCode::UNPROCESSABLE_ENTITY, "/hubs/new", typed(&form), &problems)
        }
    }
}

async fn edit_page(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let id = ctx.object_id(&id)?;
    let lookup = id.clone();
    let h = ctx.state.db(move |conn| Ok(hubs::find(conn, &lookup)?)).await.map_err(|e| ctx.fail(e))?;
    let values =
        json!({"name": h.name, "address": h.address, "opening_hours": h.opening_hours.unwrap_or_default()});
    hub_form(&ctx, StatusCode::OK, &format!("/hubs/{id}"), values, &[])
}

async fn save(ctx: PageContext, id: web::Path<String>, form: PageForm) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let id = ctx.object_id(&id)?;
    let action = format!("/hubs/{id}");
    let outcome = match details(form.get("name"), form.get("address"), Some(form.get("opening_hours"))) {
        Ok(d) => {
            let changes = HubChanges {
                name: Some(d.name),
                address: Some(d.address),
                opening_hours: Some(d.opening_hours),
                updated_at: None,
            };
            ctx.state.db(move |conn| change(conn, &id, changes)).await.map(drop)
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => Ok(ctx.see_other("/hubs")),
        Err(e) => {
            let problems = ctx.form_problems(e, "name")?;
            hub_form(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &action, typed(&form), &problems)
        }
    }
}
