//! The pool staff's desk for one device at a time, made for a keyboard or a USB scanner (which
//! types the code and presses Enter): find a device by asset tag or serial number, see its
//! facts and history, and take exactly the steps its state allows, each a small form whose
//! first field has the focus. The same workflow and guarded update as
//! `POST /api/v1/devices/{id}/transitions`: of two desks stepping one device, one wins.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde_json::{json, Value};

use super::device_step::{self, ACCESSORIES};
use super::form::PageForm;
use super::page::form_errors;
use super::page::{PageContext, PageError, PageFailure};
use crate::domain::device::{DeviceAction, DeviceState};
use crate::domain::{FieldError, Role};
use crate::download;
use crate::error::ApiError;
use crate::render::label::asset_label_svg;
use crate::store::hubs;
use crate::workflows::devices::{desk, find_by_code};
use crate::workflows::pool::step_by_staff;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/devices", web::get().to(find_page))
        .route("/devices/{id}", web::get().to(device_page))
        .route("/devices/{id}/label", web::get().to(label))
        .route("/devices/{id}/certificate", web::get().to(certificate))
        .route("/devices/{id}/steps/{action}", web::post().to(take_step));
}

/// The signed-in staff member's account id; anyone else may not use the desk.
pub fn staff(ctx: &PageContext) -> Result<String, PageError> {
    let session = ctx.signed_in()?;
    match session.role {
        Role::Staff | Role::Admin => Ok(session.user.id.clone()),
        _ => Err(PageError::new(ctx.lang, PageFailure::Forbidden)),
    }
}

/// Find a device: one code opens its page; none, or several, say so beside the field.
async fn find_page(
    ctx: PageContext,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let code = query.get("q").map(|q| q.trim().to_owned()).unwrap_or_default();
    if code.is_empty() {
        return ctx.render("find_device.html", json!({"q": ""}));
    }
    let lookup = code.clone();
    let found = ctx.state.db(move |conn| find_by_code(conn, &lookup)).await.map_err(|e| ctx.fail(e))?;
    if let [only] = found.as_slice() {
        return Ok(ctx.see_other(&format!("/devices/{}", only.id)));
    }
    let problem = if found.is_empty() {
        FieldError::new("q", crate::phrase!("desk-no-device", code = code.as_str()))
    } else {
        FieldError::new("q", crate::phrase!("desk-several-devices", code = code.as_str()))
    };
    let (errors, by_field) = form_errors(&ctx, &[problem]);
    let matches: Vec<Value> = found
        .iter()
        .map(|d| json!({"id": d.id, "asset_tag": d.asset_tag, "model": d.model, "kind": d.kind}))
        .collect();
    let values = json!({"q": code, "matches": matches, "errors": errors, "field_errors": by_field});
    ctx.render_with_status(StatusCode::NOT_FOUND, "find_device.html", values)
}

/// The notice after a step, as a catalogue key.
fn done_key(done: Option<&String>) -> Option<String> {
    let done = done?;
    if done == "wipe_failed" {
        return Some("desk-done-wipe-failed".to_owned());
    }
    if done == "gift_offered" {
        return Some("desk-done-gift-offered".to_owned());
    }
    let action = DeviceAction::parse(done)?;
    Some(format!("desk-done-{}", action.as_str().replace('_', "-")))
}

/// The device page with what the last step typed and got wrong.
pub(crate) async fn device_view(
    ctx: &PageContext,
    status: StatusCode,
    id: &str,
    failed: Option<(&str, &PageForm, Vec<FieldError>)>,
    done: Option<String>,
) -> Result<HttpResponse, PageError> {
    let id = ctx.object_id(id)?;
    let device = ctx.state.db(move |conn| desk(conn, &id)).await.map_err(|e| ctx.fail(e))?;
    let hubs = ctx.state.db(|conn| Ok(hubs::list(conn, None, 500)?)).await.map_err(|e| ctx.fail(e))?;
    let hubs: Vec<Value> = hubs.into_iter().map(|h| json!([h.id, h.name])).collect();
    let (step, typed, problems) = match failed {
        Some((step, form, problems)) => (step, form.0.clone(), problems),
        None => ("", HashMap::new(), Vec::new()),
    };
    // Every step's form is on the page: its fields are named for the step, and the summary
    // links to them so.
    let problems: Vec<FieldError> = problems
        .into_iter()
        .map(|e| {
            let field = if e.field == "step" { "go".to_owned() } else { e.field };
            FieldError::new(format!("{step}-{field}"), e.message)
        })
        .collect();
    let values = json!({
        "device": device, "hubs": hubs, "accessories": ACCESSORIES, "failed_step": step, "typed": typed,
        "done_key": done, "wide": true,
    });
    ctx.render_form(status, "device_desk.html", values, &problems)
}

async fn device_page(
    ctx: PageContext,
    id: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    device_view(&ctx, StatusCode::OK, &id, None, done_key(query.get("done"))).await
}

async fn take_step(
    ctx: PageContext,
    path: web::Path<(String, String)>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let (id, action) = path.into_inner();
    let device_id = ctx.object_id(&id)?;
    let action =
        DeviceAction::parse(&action).ok_or_else(|| PageError::new(ctx.lang, PageFailure::NotFound))?;
    let parsed =
        device_step::parse(action, &form).ok_or_else(|| PageError::new(ctx.lang, PageFailure::NotFound))?;
    let result = match parsed.map_err(ApiError::Validation).and_then(|r| r.checked()) {
        Ok(request) => {
            let (settings, today) = (ctx.state.settings.clone(), Utc::now().date_naive());
            let target = device_id.clone();
            let step = move |conn: &mut _| step_by_staff(conn, &settings, &target, &actor, &request, today);
            ctx.state.db(step).await
        }
        Err(e) => Err(e),
    };
    let (status, problems) = match result {
        Ok(moved) => {
            // A wipe whose check failed leaves the device where it was: say so, not "wiped".
            let failed = action == DeviceAction::Wipe && moved.state != DeviceState::Wiped.as_str();
            let done = if failed { "wipe_failed" } else { action.as_str() };
            return Ok(ctx.see_other(&format!("/devices/{device_id}?done={done}")));
        }
        Err(ApiError::Validation(problems)) => (StatusCode::UNPROCESSABLE_ENTITY, problems),
        // Another desk moved it first, or the step does not fit any more: the page as it is now, saying why.
        Err(ApiError::IllegalTransition { .. }) => {
            (StatusCode::CONFLICT, vec![FieldError::new("step", crate::phrase!("desk-step-refused"))])
        }
        Err(ApiError::Conflict { detail }) => (StatusCode::CONFLICT, vec![FieldError::new("step", detail)]),
        Err(e) => return Err(ctx.fail(e)),
    };
    device_view(&ctx, status, &device_id, Some((action.as_str(), &form, problems)), None).await
}

/// The device's label, to print on a label printer (62 × 29 mm).
async fn label(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let id = ctx.object_id(&id)?;
    let device = ctx.state.db(move |conn| desk(conn, &id)).await.map_err(|e| ctx.fail(e))?;
    let svg = asset_label_svg(&device.asset_tag, &device.model, &device.serial_number)
        .ok_or_else(|| PageError::new(ctx.lang, PageFailure::Internal))?;
    Ok(HttpResponse::Ok().content_type("image/svg+xml").body(svg))
}

/// The device's erasure certificate (PDF), to hand a donor who asks for one device.
async fn certificate(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let id = ctx.object_id(&id)?;
    let c = ctx
        .state
        .db(move |conn| crate::workflows::certificates::for_device(conn, &id, None))
        .await
        .map_err(|e| ctx.fail(e))?;
    let name = c.devices.first().map_or_else(|| "device".to_owned(), |d| d.asset_tag.clone());
    let (body, kind, _) = crate::render::certificate::file(&c, ctx.lang, false);
    Ok(download::attachment(kind, &format!("erasure-certificate-{name}.pdf")).body(body))
}
