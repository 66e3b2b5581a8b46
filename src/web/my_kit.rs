//! "My kit": the student's start page, their loans and open requests in plain words, from
//! the same workflow as `GET /api/v1/me/loans`.

use actix_web::{web, HttpResponse};
use chrono::Utc;

use super::page::{PageContext, PageError};
use crate::domain::Role;
use crate::workflows::my_kit::my_kit;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/my-kit", web::get().to(my_kit_page));
}

async fn my_kit_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    let session = ctx.signed_in()?;
    let student_id = match (session.role, &session.user.student_id) {
        (Role::Student, Some(id)) => id.clone(),
        _ => return Ok(ctx.see_other("/start")),
    };
    let weights = ctx.state.settings.priority;
    let mine = ctx
        .state
        .db(move |conn| my_kit(conn, &student_id, &weights, Utc::now().date_naive()))
        .await
        .map_err(|e| ctx.fail(e))?;
    ctx.render("my_kit.html", mine)
}
