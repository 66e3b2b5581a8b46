//! The returns counter: scan the device that comes back, tick off the accessories that came
//! with it, say its condition, and take it back; the loan closes, a missing charger is recorded
//! on the loan and the device, and the device waits in inspection (`workflows::loans::take_back`).
//! The student is not named here: the counter needs only the device.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde_json::json;

use super::desk::staff;
use super::device_step::ACCESSORIES;
use super::form::PageForm;
use super::page::{PageContext, PageError};
use crate::domain::{BoundedText, FieldError};
use crate::error::ApiError;
use crate::i18n;
use crate::workflows::loans::{AtCounter, ReturnCondition, ReturnRecord};
use crate::workflows::returns::{out_by_code, take_back_one};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/returns", web::get().to(counter)).route("/returns/{loan}", web::post().to(take));
}

/// The record of a return read from the form: ticked accessories, condition, notes.
pub fn parse_return(handed_over: &[String], form: &PageForm) -> Result<ReturnRecord, Vec<FieldError>> {
    let mut errors = Vec::new();
    let condition = ReturnCondition::parse(form.get("condition"));
    if condition.is_none() {
        errors.push(FieldError::new("condition", crate::phrase!("field-required")));
    }
    let notes = BoundedText::parse_optional_multiline("notes", Some(form.get("notes")), 2000)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let back: Vec<String> =
        handed_over.iter().filter(|a| form.get(&format!("back_{a}")) == "yes").cloned().collect();
    match condition {
        Some(condition) if errors.is_empty() => {
            Ok(ReturnRecord { condition, notes, accessories_returned: Some(back) })
        }
        _ => Err(errors),
    }
}

/// The accessories of a `missing` list (`charger,bag`) in the reader's words.
fn accessory_names(ctx: &PageContext, missing: Option<&String>) -> String {
    let Some(missing) = missing.filter(|m| !m.is_empty()) else { return String::new() };
    missing
        .split(',')
        .filter(|a| ACCESSORIES.contains(a))
        .map(|a| i18n::say_key(&format!("accessory-{a}"), [], ctx.lang))
        .collect::<Vec<_>>()
        .join(", ")
}

fn page(
    ctx: &PageContext,
    status: StatusCode,
    code: &str,
    loan: Option<&AtCounter>,
    problems: &[FieldError],
    notice: Option<serde_json::Value>,
) -> Result<HttpResponse, PageError> {
    let values = json!({"code": code, "loan": loan, "notice": notice});
    ctx.render_form(status, "returns.html", values, problems)
}

async fn counter(
    ctx: PageContext,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let notice = query
        .get("back")
        .map(|tag| json!({"tag": tag, "missing": accessory_names(&ctx, query.get("missing"))}));
    let code = query.get("code").map(|c| c.trim().to_owned()).unwrap_or_default();
    if code.is_empty() {
        return page(&ctx, StatusCode::OK, "", None, &[], notice);
    }
    let lookup = code.clone();
    match ctx.state.db(move |conn| out_by_code(conn, &lookup)).await {
        Ok(loan) => page(&ctx, StatusCode::OK, &code, Some(&loan), &[], None),
        Err(ApiError::NotFound) => {
            let problem =
                FieldError::new("code", crate::phrase!("returns-not-on-loan", code = code.as_str()));
            page(&ctx, StatusCode::NOT_FOUND, &code, None, &[problem], None)
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

async fn take(ctx: PageContext, loan: web::Path<String>, form: PageForm) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let loan_id = ctx.object_id(&loan)?;
    let code = form.get("code").trim().to_owned();
    let lookup = code.clone();
    let at_counter = ctx.state.db(move |conn| out_by_code(conn, &lookup)).await.map_err(|e| ctx.fail(e))?;
    if at_counter.loan_id != loan_id {
        return Err(ctx.fail(ApiError::NotFound));
    }
    let record = match parse_return(&at_counter.accessories, &form) {
        Ok(record) => record,
        Err(problems) => {
            return page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &code, Some(&at_counter), &problems, None)
        }
    };
    let (settings, today) = (ctx.state.settings.loans.clone(), Utc::now().date_naive());
    let at = at_counter.clone();
    let missing = ctx
        .state
        .db(move |conn| take_back_one(conn, &settings, &at, record, &actor, today))
        .await
        .map_err(|e| ctx.fail(e))?;
    let missing = missing.join(",");
    Ok(ctx.see_other(&format!("/returns?back={}&missing={missing}", at_counter.asset_tag)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ticked_accessories_came_back_and_the_rest_did_not() {
        let handed: Vec<String> = ["charger", "bag"].map(String::from).to_vec();
        let form = PageForm(
            [
                ("condition", "worn"),
                ("back_bag", "yes"),
                ("back_mouse", "yes"),
                ("notes", " Sticker on lid "),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into(),
        );
        let r = parse_return(&handed, &form).expect("good return");
        assert_eq!(r.condition, ReturnCondition::Worn);
        assert_eq!(r.accessories_returned, Some(vec!["bag".to_owned()]), "only what was handed over counts");
        assert_eq!(r.notes.as_deref(), Some("Sticker on lid"));
        let errors = parse_return(&handed, &PageForm(HashMap::new())).expect_err("no condition");
        assert_eq!(errors[0].field, "condition");
    }
}
