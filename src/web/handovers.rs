//! The hand-over counter: type part of the student's name, their email or the pick-up code in
//! their mail (one match opens it), see whether they accepted the agreement (if not, they read
//! it here and tick the box), tick the accessories given and hand over
//! (`workflows::handovers`).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::desk::staff;
use super::form::PageForm;
use super::loans::agreement_blocks;
use super::page::form_errors;
use super::page::{PageContext, PageError};
use crate::domain::FieldError;
use crate::error::ApiError;
use crate::workflows::handovers::{find_ready, hand_over_at_counter, ready_loan, AtCounter, ReadyLoan};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/handovers", web::get().to(find_page))
        .route("/handovers/{loan}", web::get().to(loan_page))
        .route("/handovers/{loan}", web::post().to(hand_over));
}

/// What staff ticked: the agreement box and the accessories given.
pub fn parse_counter(loan: &ReadyLoan, form: &PageForm) -> AtCounter {
    AtCounter {
        accepted_here: form.get("agree") == "yes",
        given: loan.accessories.iter().filter(|a| form.get(&format!("give_{a}")) == "yes").cloned().collect(),
    }
}

async fn find_page(
    ctx: PageContext,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let handed = query.contains_key("handed");
    let typed = query.get("q").map(|q| q.trim().to_owned()).unwrap_or_default();
    if typed.is_empty() {
        return ctx.render("handovers.html", json!({"q": "", "handed": handed, "matches": []}));
    }
    let lookup = typed.clone();
    let found = ctx.state.db(move |conn| find_ready(conn, &lookup)).await.map_err(|e| ctx.fail(e))?;
    if let [only] = found.as_slice() {
        return Ok(ctx.see_other(&format!("/handovers/{}", only.loan_id)));
    }
    let problems = match found.is_empty() {
        true => vec![FieldError::new("q", crate::phrase!("handover-none", typed = typed.as_str()))],
        false => vec![],
    };
    let (errors, by_field) = form_errors(&ctx, &problems);
    let status = if found.is_empty() { StatusCode::NOT_FOUND } else { StatusCode::OK };
    let values =
        json!({"q": typed, "handed": false, "matches": found, "errors": errors, "field_errors": by_field});
    ctx.render_with_status(status, "handovers.html", values)
}

fn loan_view(
    ctx: &PageContext,
    status: StatusCode,
    loan: &ReadyLoan,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let texts = &ctx.state.settings.loans.agreement;
    // The student reads the agreement in their own language, whatever the staff's is.
    let text = if loan.student_language == "en" { &texts.en } else { &texts.nl };
    let values = json!({"loan": loan, "agreement": agreement_blocks(text)});
    ctx.render_form(status, "handover.html", values, problems)
}

async fn loan_page(ctx: PageContext, loan: web::Path<String>) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let loan_id = ctx.object_id(&loan)?;
    let loan = ctx.state.db(move |conn| ready_loan(conn, &loan_id)).await.map_err(|e| ctx.fail(e))?;
    loan_view(&ctx, StatusCode::OK, &loan, &[])
}

async fn hand_over(
    ctx: PageContext,
    loan: web::Path<String>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let loan_id = ctx.object_id(&loan)?;
    let lookup = loan_id.clone();
    let loan = ctx.state.db(move |conn| ready_loan(conn, &lookup)).await.map_err(|e| ctx.fail(e))?;
    let done = parse_counter(&loan, &form);
    let settings = ctx.state.settings.clone();
    match ctx.state.db(move |conn| hand_over_at_counter(conn, &settings, &loan_id, &actor, &done)).await {
        Ok(_) => Ok(ctx.see_other("/handovers?handed=1")),
        Err(ApiError::Validation(problems)) => {
            loan_view(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &loan, &problems)
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_listed_accessories_that_are_ticked_are_given() {
        let loan = ReadyLoan {
            loan_id: "l".into(),
            student_name: "Ayla".into(),
            student_language: "nl".into(),
            kind: "laptop".into(),
            product: None,
            asset_tag: Some("DPL-000001".into()),
            model: Some("HP".into()),
            hub: None,
            pick_up_by: None,
            pick_up_code: "1B2C-3D4E".into(),
            accepted: false,
            accessories: vec!["charger".into(), "bag".into()],
        };
        let form = PageForm(
            [("give_charger", "yes"), ("give_mouse", "yes"), ("agree", "yes")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .into(),
        );
        let done = parse_counter(&loan, &form);
        assert!(done.accepted_here);
        assert_eq!(done.given, vec!["charger".to_owned()], "the bag stays, a mouse was never listed");
        assert!(!parse_counter(&loan, &PageForm(HashMap::new())).accepted_here);
    }
}
