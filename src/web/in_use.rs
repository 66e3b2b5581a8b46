//! "Still in use?" on the pages. The student opens the mailed link (`/in-use?token=…`): a
//! page with the four answers, and only a button's POST uses the link, because mail scanners
//! open links first. A coordinator answers for their students on the round's page
//! (`/in-use-rounds/current`), where staff also follow the progress and start a round. The
//! workflow is the API's (`workflows::in_use`).

use std::collections::HashMap;

use actix_governor::Governor;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde_json::{json, Value};

use super::form::PageForm;
use super::page::{PageContext, PageError, PageFailure};
use crate::domain::in_use::InUseAnswer;
use crate::domain::{BoundedText, FieldError, Role};
use crate::error::ApiError;
use crate::rate_limit::AnonymousLimit;
use crate::store::loans::{Loan, LoanScope};
use crate::workflows::in_use::{self, Answered, RoundFilter};

/// Loans shown on one page of the round; the rest by "next page".
const SHOWN: i64 = 25;

pub fn config(cfg: &mut web::ServiceConfig, limit: &AnonymousLimit) {
    cfg.service(
        web::resource("/in-use")
            .wrap(Governor::new(limit))
            .route(web::get().to(link_page))
            .route(web::post().to(answer_by_link)),
    )
    .route("/in-use-rounds/current", web::get().to(round_page))
    .route("/in-use-rounds", web::post().to(open_round))
    .route("/loans/{id}/in-use", web::post().to(answer_for_loan));
}

#[derive(serde::Deserialize)]
struct LinkQuery {
    token: Option<String>,
}

/// What the kit is, in the reader's words: "laptop AB-1234".
fn what(ctx: &PageContext, loan: &Loan) -> Value {
    let kind = crate::domain::request::RequestKind::parse(&loan.kind);
    json!({
        "kind": loan.kind, "product": loan.product, "device": loan.device_id.is_some(),
        "thing": kind.map(|k| crate::domain::request::thing(k, loan.product.as_deref(), ctx.lang)),
    })
}

fn link_gone(ctx: &PageContext) -> Result<HttpResponse, PageError> {
    ctx.render_with_status(
        StatusCode::GONE,
        "link_used.html",
        json!({"again": "", "text_key": "link-used-in-use"}),
    )
}

/// The four answers, or what was answered already; never uses the link.
async fn link_page(ctx: PageContext, query: web::Query<LinkQuery>) -> Result<HttpResponse, PageError> {
    let Some(token) = query.into_inner().token.filter(|t| !t.trim().is_empty()) else {
        return Err(PageError::new(ctx.lang, PageFailure::NotFound));
    };
    let lookup = token.clone();
    match ctx.state.db(move |conn| in_use::look_up_link(conn, &lookup)).await {
        Ok((check, loan)) => {
            let values =
                json!({"token": token, "what": what(&ctx, &loan), "answered": check.answer, "note": ""});
            ctx.render("in_use_link.html", values)
        }
        Err(ApiError::NotFound | ApiError::Refused { .. }) => link_gone(&ctx),
        Err(e) => Err(ctx.fail(e)),
    }
}

fn parse_answer(form: &PageForm) -> Result<(InUseAnswer, Option<String>), Vec<FieldError>> {
    let answer = InUseAnswer::parse(form.get("answer"))
        .ok_or_else(|| FieldError::new("answer", crate::phrase!("in-use-choose")));
    let note = BoundedText::parse_optional_multiline("note", Some(form.get("note")), 500);
    match (answer, note) {
        (Ok(a), Ok(n)) => Ok((a, n)),
        (a, n) => Err([a.err(), n.err()].into_iter().flatten().collect()),
    }
}

/// "Thank you", and what the answer does: the new due date, the fault report, the loss.
fn done_page(ctx: &PageContext, done: &Answered) -> Result<HttpResponse, PageError> {
    let values = json!({
        "answer": done.answer, "due_on": done.loan.due_on.to_string(), "what": what(ctx, &done.loan), "again": false,
    });
    ctx.render("in_use_done.html", values)
}

async fn answer_by_link(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    let token = form.get("token").to_owned();
    let (answer, note) = match parse_answer(&form) {
        Ok(parsed) => parsed,
        Err(problems) => {
            let lookup = token.clone();
            let (_, loan) = ctx
                .state
                .db(move |conn| in_use::look_up_link(conn, &lookup))
                .await
                .map_err(|e| ctx.fail(e))?;
            let values = json!({"token": token, "what": what(&ctx, &loan), "answered": null, "note": form.get("note")});
            return ctx.render_form(StatusCode::UNPROCESSABLE_ENTITY, "in_use_link.html", values, &problems);
        }
    };
    let settings = ctx.state.settings.clone();
    let today = Utc::now().date_naive();
    let result = ctx
        .state
        .db(move |conn| in_use::answer_by_link(conn, &settings, &token, answer, note.as_deref(), today))
        .await;
    match result {
        Ok(done) => done_page(&ctx, &done),
        Err(ApiError::Refused { code: "already_answered", .. }) => ctx.render_with_status(
            StatusCode::CONFLICT,
            "in_use_done.html",
            json!({"answer": null, "again": true, "what": null, "due_on": null}),
        ),
        Err(ApiError::NotFound | ApiError::Refused { .. }) => link_gone(&ctx),
        Err(e) => Err(ctx.fail(e)),
    }
}

/// Who reads the round: a coordinator (their school's students) or staff (all).
fn reader(ctx: &PageContext) -> Result<(String, Option<String>), PageError> {
    let session = ctx.signed_in()?;
    match (session.role, &session.user.organisation_id) {
        (Role::School, Some(school)) => Ok((session.user.id.clone(), Some(school.clone()))),
        (Role::Staff | Role::Admin, _) => Ok((session.user.id.clone(), None)),
        _ => Err(PageError::new(ctx.lang, PageFailure::Forbidden)),
    }
}

/// The round's page: progress, and the loans asked about with a form for each unanswered one.
async fn round_page(
    ctx: PageContext,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    render_round(&ctx, &query, StatusCode::OK, &[]).await
}

async fn render_round(
    ctx: &PageContext,
    query: &HashMap<String, String>,
    status: StatusCode,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let (_, school) = reader(ctx)?;
    let paging = crate::pagination::PageQuery { limit: Some(SHOWN), cursor: query.get("cursor").cloned() };
    let after = paging.after().map_err(|_| PageError::new(ctx.lang, PageFailure::NotFound))?;
    let unanswered_only = query.get("show").is_some_and(|s| s == "unanswered");
    let filter = RoundFilter { school_id: school.clone(), unanswered_only, after, limit: SHOWN };
    let settings = ctx.state.settings.clone();
    let round = match ctx.state.db(move |conn| in_use::current(conn, &settings, &filter)).await {
        Ok(round) => Some(round),
        Err(ApiError::NotFound) => None,
        Err(e) => return Err(ctx.fail(e)),
    };
    let late = round.as_ref().is_some_and(|r| r.late_from <= Utc::now() && r.progress.unanswered > 0);
    let values = json!({
        "round": round, "staff": school.is_none(), "late": late, "late_days": ctx.state.settings.in_use.unanswered_days, "unanswered_only": unanswered_only,
        "opened_on": round.as_ref().map(|r| r.opened_at.date_naive().to_string()),
        "done": query.get("done").filter(|d| matches!(d.as_str(), "answered" | "opened")),
    });
    ctx.render_form(status, "in_use_round.html", values, problems)
}

/// Staff start a round now.
async fn open_round(ctx: PageContext, _form: PageForm) -> Result<HttpResponse, PageError> {
    let (actor, school) = reader(&ctx)?;
    if school.is_some() {
        return Err(PageError::new(ctx.lang, PageFailure::Forbidden));
    }
    let (settings, keys) = (ctx.state.settings.clone(), ctx.state.keys.clone());
    ctx.state
        .db(move |conn| in_use::open_by_staff(conn, &settings, &keys, &actor))
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.see_other("/in-use-rounds/current?done=opened"))
}

/// A coordinator (or staff) answers for one loan; mistakes come back on the round's page.
async fn answer_for_loan(
    ctx: PageContext,
    id: web::Path<String>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    let loan_id = ctx.object_id(&id)?;
    let (actor, school) = reader(&ctx)?;
    let field = format!("answer-{loan_id}");
    let (answer, note) = match parse_answer(&form) {
        Ok(parsed) => parsed,
        Err(problems) => {
            let mine: Vec<FieldError> =
                problems.into_iter().map(|p| FieldError::new(&field, p.message)).collect();
            return render_round(&ctx, &HashMap::new(), StatusCode::UNPROCESSABLE_ENTITY, &mine).await;
        }
    };
    let scope = LoanScope { school_id: school, student_id: None };
    let settings = ctx.state.settings.clone();
    let today = Utc::now().date_naive();
    let result = ctx
        .state
        .db(move |conn| {
            in_use::answer_visible(conn, &settings, &scope, &loan_id, &actor, answer, note.as_deref(), today)
        })
        .await;
    let (status, problem) = match result {
        Ok(_) => return Ok(ctx.see_other("/in-use-rounds/current?done=answered")),
        Err(ApiError::Refused { detail, .. } | ApiError::Conflict { detail }) => {
            (StatusCode::CONFLICT, detail)
        }
        Err(ApiError::Validation(mut p)) if !p.is_empty() => {
            (StatusCode::UNPROCESSABLE_ENTITY, p.remove(0).message)
        }
        Err(e) => return Err(ctx.fail(e)),
    };
    render_round(&ctx, &HashMap::new(), status, &[FieldError::new(&field, problem)]).await
}
