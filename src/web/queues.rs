//! The lists staff work from each day (`workflows::queues`): answer students who ask for more
//! time, see overdue kit and reservations about to lapse, and send failed mails again.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde_json::json;

use super::desk::staff;
use super::form::PageForm;
use super::page::{PageContext, PageError};
use crate::domain::BoundedText;
use crate::error::ApiError;
use crate::store;
use crate::workflows::loans::decide_extension;
use crate::workflows::queues::{requeue, today};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/queues", web::get().to(queues_page))
        .route("/queues/extensions/{loan}/{decision}", web::post().to(answer))
        .route("/queues/mail/{id}/requeue", web::post().to(send_again));
}

async fn queues_page(
    ctx: PageContext,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let role = ctx.signed_in()?.role;
    let warn = ctx.state.settings.reminders.pick_up_days.max(1);
    let soon = ctx.state.settings.class_sets.soon_days;
    let day = Utc::now().date_naive();
    let lists = ctx
        .state
        .db(move |conn| today(conn, &actor, role, warn, soon, day))
        .await
        .map_err(|e| ctx.fail(e))?;
    let done = query.get("done").filter(|d| matches!(d.as_str(), "approve" | "refuse" | "requeue" | "gone"));
    ctx.render("queues.html", json!({"lists": lists, "done": done, "wide": true}))
}

/// What happened, for the notice on the lists; a step another desk took first is "gone".
fn done_or_gone(outcome: Result<(), ApiError>, done: &str) -> Result<&str, ApiError> {
    match outcome {
        Ok(()) => Ok(done),
        Err(ApiError::IllegalTransition { .. } | ApiError::Conflict { .. } | ApiError::NotFound) => {
            Ok("gone")
        }
        Err(e) => Err(e),
    }
}

async fn answer(
    ctx: PageContext,
    path: web::Path<(String, String)>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let (loan, decision) = path.into_inner();
    let loan = ctx.object_id(&loan)?;
    let approve = match decision.as_str() {
        "approve" => true,
        "refuse" => false,
        _ => return Err(ctx.fail(ApiError::NotFound)),
    };
    // Too long an answer is cut, not refused: the student still gets the decision.
    let typed: String = form.get("answer").chars().take(1000).collect();
    let answer = BoundedText::parse_optional_multiline("answer", Some(&typed), 1000).ok().flatten();
    let outcome = ctx
        .state
        .db(move |conn| {
            store::write_tx(conn, |conn| decide_extension(conn, &loan, &actor, approve, answer.as_deref()))
                .map(drop)
        })
        .await;
    let done = done_or_gone(outcome, &decision).map_err(|e| ctx.fail(e))?;
    Ok(ctx.see_other(&format!("/queues?done={done}")))
}

async fn send_again(
    ctx: PageContext,
    id: web::Path<String>,
    _form: PageForm,
) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let id = ctx.object_id(&id)?;
    let outcome = ctx.state.db(move |conn| requeue(conn, &id).map(drop)).await;
    let done = done_or_gone(outcome, "requeue").map_err(|e| ctx.fail(e))?;
    Ok(ctx.see_other(&format!("/queues?done={done}")))
}
