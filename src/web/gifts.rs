//! A gift at the programme's end on the pages: staff offer it from the device's desk page,
//! the student reads the transfer text and accepts it. The same workflow as the API
//! (`workflows::gifts`); another student's loan is the 404 page.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::desk::{device_view, staff};
use super::form::PageForm;
use super::loans::{agreement_blocks, own_loan, student};
use super::page::{PageContext, PageError, PageFailure};
use crate::domain::loan::{LoanAction, LoanState};
use crate::domain::student::Language;
use crate::domain::FieldError;
use crate::error::ApiError;
use crate::store::loans;
use crate::workflows::gifts;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/loans/{id}/gift", web::get().to(gift_page))
        .route("/loans/{id}/gift", web::post().to(offer_or_accept));
}

/// Staff offer the gift; the student accepts it. One address, as in the API's twins.
async fn offer_or_accept(
    ctx: PageContext,
    id: web::Path<String>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    match staff(&ctx) {
        Ok(actor) => offer(ctx, &id, form, actor).await,
        Err(_) => accept(ctx, &id, form).await,
    }
}

async fn offer(ctx: PageContext, id: &str, form: PageForm, actor: String) -> Result<HttpResponse, PageError> {
    let loan_id = ctx.object_id(id)?;
    let typed = form.get("reason").to_owned();
    let target = loan_id.clone();
    let result = match gifts::parse_reason(&typed) {
        Ok(reason) => ctx.state.db(move |conn| gifts::offer(conn, &target, &actor, &reason)).await,
        Err(e) => Err(e),
    };
    let problems = match result {
        Ok(loan) => {
            let device = loan.device_id.unwrap_or_default();
            return Ok(ctx.see_other(&format!("/devices/{device}?done=gift_offered")));
        }
        Err(ApiError::Validation(problems)) => problems,
        Err(ApiError::Refused { detail, .. }) => vec![FieldError::new("go", detail)],
        Err(ApiError::IllegalTransition { .. } | ApiError::Conflict { .. }) => {
            vec![FieldError::new("go", crate::phrase!("gift-offer-not-now"))]
        }
        Err(e) => return Err(ctx.fail(e)),
    };
    let lookup = loan_id.clone();
    let loan = ctx.state.db(move |conn| Ok(loans::find(conn, &lookup)?)).await.map_err(|e| ctx.fail(e))?;
    let device = loan.device_id.ok_or_else(|| PageError::new(ctx.lang, PageFailure::NotFound))?;
    let status = if problems.iter().any(|p| p.field == "go") {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    device_view(&ctx, status, &device, Some(("gift", &form, problems)), None).await
}

fn text_page(
    ctx: &PageContext,
    id: &str,
    status: StatusCode,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let texts = &ctx.state.settings.programme_end.gift_agreement;
    let text = match ctx.lang {
        Language::Nl => &texts.nl,
        Language::En => &texts.en,
    };
    let values = json!({"agreement": agreement_blocks(text), "action": format!("/loans/{id}/gift")});
    ctx.render_form(status, "gift.html", values, problems)
}

/// The transfer text with one box to tick; the 404 page unless a gift waits for this student.
async fn gift_page(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    let loan = own_loan(&ctx, &id).await?;
    if loan.state == LoanState::Gifted {
        return Ok(ctx.see_other("/my-kit"));
    }
    if !loan.allowed_actions.contains(&LoanAction::AcceptGift) {
        return Err(PageError::new(ctx.lang, PageFailure::NotFound));
    }
    text_page(&ctx, &loan.id.to_string(), StatusCode::OK, &[])
}

async fn accept(ctx: PageContext, id: &str, form: PageForm) -> Result<HttpResponse, PageError> {
    let loan = own_loan(&ctx, id).await?;
    let loan_id = loan.id.to_string();
    if form.get("agree") != "yes" {
        let tick = [FieldError::new("agree", crate::phrase!("gift-tick"))];
        return text_page(&ctx, &loan_id, StatusCode::UNPROCESSABLE_ENTITY, &tick);
    }
    let (session, scope) = student(&ctx)?;
    let actor = session.user.id.clone();
    let settings = ctx.state.settings.clone();
    let version = settings.programme_end.gift_agreement_version.clone();
    ctx.state
        .db(move |conn| gifts::accept(conn, &settings, &scope, &loan_id, &actor, &version))
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.see_other("/my-kit"))
}
