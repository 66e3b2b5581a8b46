//! The start page of a signed-in account that is not a student's: who is signed in and what
//! comes next. (A student's start page is "my kit".)

use actix_web::{web, HttpResponse};
use serde_json::json;

use super::page::{PageContext, PageError};
use super::sign_in::start_page;
use crate::domain::Role;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/start", web::get().to(start));
}

async fn start(ctx: PageContext) -> Result<HttpResponse, PageError> {
    let session = ctx.signed_in()?;
    if session.role == Role::Student {
        return Ok(ctx.see_other(start_page(session.role)));
    }
    ctx.render("start.html", json!({"next_key": next_key(session.role)}))
}

/// What comes next for `role`, as a catalogue key.
pub fn next_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "start-next-admin",
        Role::Staff => "start-next-staff",
        Role::School => "start-next-school",
        Role::Donor => "start-next-donor",
        Role::Student => "start-next-student",
    }
}
