//! Fault reports staff work from: the open reports, oldest first, and for each a swap at the
//! desk: scan a replacement and the student leaves with it while the broken kit goes into
//! repair, in one step (`workflows::fault_reports::swap`).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde_json::json;

use super::desk::staff;
use super::form::PageForm;
use super::page::{PageContext, PageError};
use crate::domain::FieldError;
use crate::error::ApiError;
use crate::workflows::fault_reports::{open_one, queue, swap, OpenFault, Replacement};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/faults", web::get().to(queue_page))
        .route("/faults/{id}", web::get().to(fault_page))
        .route("/faults/{id}/swap", web::post().to(swap_kit));
}

/// The queue shows this many; the oldest come first, so none waits unseen.
const SHOWN: i64 = 200;

async fn queue_page(
    ctx: PageContext,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let faults = ctx.state.db(|conn| queue(conn, SHOWN)).await.map_err(|e| ctx.fail(e))?;
    let swapped = json!({"broken": query.get("broken"), "replacement": query.get("replacement")});
    ctx.render("faults.html", json!({"faults": faults, "swapped": swapped}))
}

fn fault_view(
    ctx: &PageContext,
    status: StatusCode,
    fault: &OpenFault,
    code: &str,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let values = json!({"fault": fault, "code": code});
    ctx.render_form(status, "fault.html", values, problems)
}

async fn fault_page(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let id = ctx.object_id(&id)?;
    let fault = ctx.state.db(move |conn| open_one(conn, &id)).await.map_err(|e| ctx.fail(e))?;
    fault_view(&ctx, StatusCode::OK, &fault, "", &[])
}

async fn swap_kit(
    ctx: PageContext,
    id: web::Path<String>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let id = ctx.object_id(&id)?;
    let code = form.get("code").trim().to_owned();
    let (settings, typed, report) = (ctx.state.settings.clone(), code.clone(), id.clone());
    let today = Utc::now().date_naive();
    match ctx
        .state
        .db(move |conn| swap(conn, &settings, &report, Replacement::Code(&typed), &actor, today))
        .await
    {
        Ok(s) => Ok(ctx.see_other(&format!("/faults?broken={}&replacement={}", s.broken, s.replacement))),
        Err(ApiError::Validation(problems)) => {
            let fault = ctx.state.db(move |conn| open_one(conn, &id)).await.map_err(|e| ctx.fail(e))?;
            fault_view(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &fault, &code, &problems)
        }
        Err(e) => Err(ctx.fail(e)),
    }
}
