//! The rules of a matching round on their own pages: a cap per school and kind, and travel
//! costs between hubs (`workflows::matching_rules`, as the API's).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::desk::staff;
use super::form::PageForm;
use super::page::{PageContext, PageError};
use crate::domain::request::RequestKind;
use crate::domain::FieldError;
use crate::error::ApiError;
use crate::workflows::matching_rules::{caps, school_choices, set_cap, set_travel_cost, travel};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/matching/caps", web::get().to(caps_page))
        .route("/matching/caps", web::post().to(save_cap))
        .route("/matching/travel", web::get().to(travel_page))
        .route("/matching/travel", web::post().to(save_travel));
}

/// A whole number typed in `field`, or what is wrong with it.
pub fn parse_number(field: &str, typed: &str, most: i32) -> Result<i32, FieldError> {
    typed
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (0..=most).contains(n))
        .ok_or_else(|| FieldError::new(field, crate::phrase!("field-between", min = 0, max = most)))
}

async fn caps_view(
    ctx: &PageContext,
    status: StatusCode,
    typed: Value,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let (lines, schools) =
        ctx.state.db(|conn| Ok((caps(conn)?, school_choices(conn)?))).await.map_err(|e| ctx.fail(e))?;
    let values = json!({"caps": lines, "schools": schools, "typed": typed});
    ctx.render_form(status, "caps.html", values, problems)
}

async fn caps_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    caps_view(&ctx, StatusCode::OK, json!({"school_id": "", "kind": "", "cap": ""}), &[]).await
}

async fn save_cap(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let typed = json!({"school_id": form.get("school_id"), "kind": form.get("kind"), "cap": form.get("cap")});
    let mut problems = Vec::new();
    let school = uuid::Uuid::parse_str(form.get("school_id")).map(|u| u.to_string()).ok();
    if school.is_none() {
        problems.push(FieldError::new("school_id", crate::phrase!("field-required")));
    }
    let kind = RequestKind::parse(form.get("kind"));
    if kind.is_none() {
        problems.push(FieldError::new("kind", crate::phrase!("field-required")));
    }
    let cap = parse_number("cap", form.get("cap"), crate::workflows::matching_rules::MOST_CAP)
        .map_err(|e| problems.push(e))
        .ok();
    let (Some(school), Some(kind), Some(cap)) = (school, kind, cap) else {
        return caps_view(&ctx, StatusCode::UNPROCESSABLE_ENTITY, typed, &problems).await;
    };
    match ctx.state.db(move |conn| set_cap(conn, &school, kind, cap)).await {
        Ok(()) => Ok(ctx.see_other("/matching/caps")),
        Err(ApiError::Validation(problems)) => {
            caps_view(&ctx, StatusCode::UNPROCESSABLE_ENTITY, typed, &problems).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

async fn travel_view(
    ctx: &PageContext,
    status: StatusCode,
    typed: Value,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let lines = ctx.state.db(travel).await.map_err(|e| ctx.fail(e))?;
    let values = json!({"travel": lines, "hubs": ctx.hub_choices().await?, "typed": typed});
    ctx.render_form(status, "travel.html", values, problems)
}

async fn travel_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    travel_view(&ctx, StatusCode::OK, json!({"from_hub_id": "", "to_hub_id": "", "cost": ""}), &[]).await
}

async fn save_travel(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let typed = json!({"from_hub_id": form.get("from_hub_id"), "to_hub_id": form.get("to_hub_id"), "cost": form.get("cost")});
    let mut problems = Vec::new();
    let mut hub = |field: &str| {
        let id = uuid::Uuid::parse_str(form.get(field)).map(|u| u.to_string()).ok();
        if id.is_none() {
            problems.push(FieldError::new(field, crate::phrase!("field-required")));
        }
        id
    };
    let (from, to) = (hub("from_hub_id"), hub("to_hub_id"));
    let cost = parse_number("cost", form.get("cost"), crate::workflows::matching_rules::MOST_COST)
        .map_err(|e| problems.push(e))
        .ok();
    let (Some(from), Some(to), Some(cost)) = (from, to, cost) else {
        return travel_view(&ctx, StatusCode::UNPROCESSABLE_ENTITY, typed, &problems).await;
    };
    match ctx.state.db(move |conn| set_travel_cost(conn, &from, &to, cost)).await {
        Ok(()) => Ok(ctx.see_other("/matching/travel")),
        Err(ApiError::Validation(problems)) => {
            travel_view(&ctx, StatusCode::UNPROCESSABLE_ENTITY, typed, &problems).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_whole_and_within_bounds() {
        assert_eq!(parse_number("cap", " 12 ", 100), Ok(12));
        for bad in ["", "-1", "101", "1.5", "twelve"] {
            assert_eq!(parse_number("cap", bad, 100).map_err(|e| e.field), Err("cap".to_owned()), "{bad}");
        }
    }
}
