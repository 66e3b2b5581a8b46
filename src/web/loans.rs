//! What a student does with a loan on the pages: accept the agreement, ask for more time,
//! report a problem (broken, lost or stolen). Each page finds the loan among the student's
//! own (another's is the 404 page) and calls the same workflow as the API.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::Serialize;
use serde_json::json;

use super::form::PageForm;
use super::page::{PageContext, PageError, PageFailure, Session};
use crate::domain::student::Language;
use crate::domain::{BoundedText, FieldError, Role};
use crate::error::ApiError;
use crate::store::loans::LoanScope;
use crate::workflows::my_kit::{my_kit, MyLoan};
use crate::workflows::{fault_reports, loans};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/loans/{id}/accept", web::get().to(accept_page))
        .route("/loans/{id}/accept", web::post().to(accept))
        .route("/loans/{id}/more-time", web::get().to(more_time_page))
        .route("/loans/{id}/more-time", web::post().to(ask_for_more_time))
        .route("/loans/{id}/problem", web::get().to(problem_page))
        .route("/loans/{id}/problem", web::post().to(report_problem))
        .route("/loans/{id}/sent/{what}", web::get().to(sent));
}

/// The signed-in student and the loans they may act on.
pub(crate) fn student(ctx: &PageContext) -> Result<(&Session, LoanScope), PageError> {
    let session = ctx.signed_in()?;
    match (session.role, &session.user.student_id) {
        (Role::Student, Some(id)) => {
            Ok((session, LoanScope { school_id: None, student_id: Some(id.clone()) }))
        }
        _ => Err(PageError::new(ctx.lang, PageFailure::NotFound)),
    }
}

/// The student's own loan `id`, as "my kit" shows it; the 404 page for any other.
pub(crate) async fn own_loan(ctx: &PageContext, id: &str) -> Result<MyLoan, PageError> {
    let (_, scope) = student(ctx)?;
    let student_id = scope.student_id.unwrap_or_default();
    let weights = ctx.state.settings.priority;
    let mine = ctx
        .state
        .db(move |conn| my_kit(conn, &student_id, &weights, Utc::now().date_naive()))
        .await
        .map_err(|e| ctx.fail(e))?;
    let wanted = uuid::Uuid::parse_str(id).ok();
    mine.loans
        .into_iter()
        .find(|l| Some(l.id) == wanted)
        .ok_or_else(|| PageError::new(ctx.lang, PageFailure::NotFound))
}

/// A part of the agreement's text: a paragraph or a numbered list.
#[derive(Debug, Serialize, PartialEq)]
pub struct Block {
    text: String,
    list: Vec<String>,
}

/// The agreement (`config/agreement/*.md`: a title, paragraphs, one numbered list) as blocks;
/// its title is the page's.
pub fn agreement_blocks(source: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for paragraph in source.split("\n\n").map(str::trim).filter(|p| !p.is_empty() && !p.starts_with("# ")) {
        let numbered = paragraph.split_once(". ").is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()));
        if !numbered {
            blocks.push(Block {
                text: paragraph.split_whitespace().collect::<Vec<_>>().join(" "),
                list: vec![],
            });
            continue;
        }
        let mut items: Vec<String> = Vec::new();
        for line in paragraph.lines() {
            let line = line.trim();
            match line.split_once(". ") {
                Some((n, rest)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
                    items.push(rest.to_owned())
                }
                _ => {
                    if let Some(last) = items.last_mut() {
                        last.push(' ');
                        last.push_str(line);
                    }
                }
            }
        }
        blocks.push(Block { text: String::new(), list: items });
    }
    blocks
}

fn agreement_page(
    ctx: &PageContext,
    id: &str,
    status: StatusCode,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let texts = &ctx.state.settings.loans.agreement;
    let text = match ctx.lang {
        Language::Nl => &texts.nl,
        Language::En => &texts.en,
    };
    let values = json!({"agreement": agreement_blocks(text), "action": format!("/loans/{id}/accept")});
    ctx.render_form(status, "accept.html", values, problems)
}

async fn accept_page(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    own_loan(&ctx, &id).await?;
    agreement_page(&ctx, &id, StatusCode::OK, &[])
}

async fn accept(ctx: PageContext, id: web::Path<String>, form: PageForm) -> Result<HttpResponse, PageError> {
    let loan = own_loan(&ctx, &id).await?;
    if form.get("agree") != "yes" {
        let tick = [FieldError::new("agree", crate::phrase!("field-tick-agreement"))];
        return agreement_page(&ctx, &id, StatusCode::UNPROCESSABLE_ENTITY, &tick);
    }
    let (session, scope) = student(&ctx)?;
    let (actor, version, loan_id) =
        (session.user.id.clone(), ctx.state.settings.loans.agreement_version.clone(), loan.id.to_string());
    ctx.state
        .db(move |conn| loans::accept_visible(conn, &scope, &loan_id, &actor, &version))
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.see_other("/my-kit"))
}

fn more_time_form(
    ctx: &PageContext,
    loan: &MyLoan,
    status: StatusCode,
    typed: (&str, &str),
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let values = json!({
        "action": format!("/loans/{}/more-time", loan.id), "due_on": loan.due_on, "due_on_typed": typed.0,
        "reason": typed.1, "max_days": ctx.state.settings.loans.max_extension_days,
    });
    ctx.render_form(status, "more_time.html", values, problems)
}

async fn more_time_page(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    let loan = own_loan(&ctx, &id).await?;
    more_time_form(&ctx, &loan, StatusCode::OK, ("", ""), &[])
}

/// The date and reason of the "more time" form, or what is wrong with them.
fn parse_more_time(form: &PageForm) -> Result<(chrono::NaiveDate, Option<String>), Vec<FieldError>> {
    let mut problems = Vec::new();
    // People type dates their own way: 2027-07-31, 31-07-2027 or 31/07/2027.
    let due_on = crate::domain::csv_file::parse_date(form.get("due_on").trim());
    if due_on.is_none() {
        problems.push(FieldError::new("due_on", crate::phrase!("field-date")));
    }
    let reason = BoundedText::parse_optional_multiline("reason", Some(form.get("reason")), 1000)
        .unwrap_or_else(|e| {
            problems.push(e);
            None
        });
    match due_on {
        Some(day) if problems.is_empty() => Ok((day, reason)),
        _ => Err(problems),
    }
}

/// The student's question for a later date, through the same workflow as the API.
async fn ask(
    ctx: &PageContext,
    loan: &MyLoan,
    due_on: chrono::NaiveDate,
    reason: Option<String>,
) -> Result<(), ApiError> {
    let (session, scope) = student(ctx).map_err(|_| ApiError::NotFound)?;
    let (actor, settings, id) =
        (session.user.id.clone(), ctx.state.settings.loans.clone(), loan.id.to_string());
    let today = Utc::now().date_naive();
    ctx.state
        .db(move |conn| {
            let reason = reason.as_deref();
            loans::change_due_date(conn, &settings, &scope, &id, &actor, true, due_on, reason, today)
                .map(drop)
        })
        .await
}

async fn ask_for_more_time(
    ctx: PageContext,
    id: web::Path<String>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    let loan = own_loan(&ctx, &id).await?;
    let typed = (form.get("due_on").trim(), form.get("reason"));
    let problems = match parse_more_time(&form) {
        Ok((due_on, reason)) => match ask(&ctx, &loan, due_on, reason).await {
            Ok(()) => return Ok(ctx.see_other(&format!("/loans/{}/sent/more-time", loan.id))),
            Err(ApiError::Validation(problems)) => problems,
            Err(e) => return Err(ctx.fail(e)),
        },
        Err(problems) => problems,
    };
    more_time_form(&ctx, &loan, StatusCode::UNPROCESSABLE_ENTITY, typed, &problems)
}

fn problem_form(
    ctx: &PageContext,
    loan: &MyLoan,
    status: StatusCode,
    typed: (&str, &str),
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let values = json!({
        "action": format!("/loans/{}/problem", loan.id), "what": typed.0, "description": typed.1,
    });
    ctx.render_form(status, "problem.html", values, problems)
}

async fn problem_page(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    let loan = own_loan(&ctx, &id).await?;
    problem_form(&ctx, &loan, StatusCode::OK, ("", ""), &[])
}

async fn report_problem(
    ctx: PageContext,
    id: web::Path<String>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    let loan = own_loan(&ctx, &id).await?;
    let (what, description) = (form.get("what"), form.get("description"));
    let mut problems = Vec::new();
    if !matches!(what, "broken" | "lost" | "stolen") {
        problems.push(FieldError::new("what", crate::phrase!("field-choose-what-happened")));
    }
    let text = BoundedText::parse_multiline(
        "description",
        description,
        crate::routes::fault_reports::DESCRIPTION_MAX,
    )
    .map_err(|e| problems.push(e))
    .ok();
    let Some(text) = text.filter(|_| problems.is_empty()) else {
        return problem_form(&ctx, &loan, StatusCode::UNPROCESSABLE_ENTITY, (what, description), &problems);
    };
    let (session, scope) = student(&ctx)?;
    let (actor, loan_id, broken) = (session.user.id.clone(), loan.id.to_string(), what == "broken");
    ctx.state
        .db(move |conn| {
            if broken {
                fault_reports::report(conn, &scope, &loan_id, &actor, &text.into_inner()).map(drop)
            } else {
                loans::report_lost_visible(conn, &scope, &loan_id, &actor).map(drop)
            }
        })
        .await
        .map_err(|e| ctx.fail(e))?;
    let sent = if broken { "broken" } else { "lost" };
    Ok(ctx.see_other(&format!("/loans/{}/sent/{sent}", loan.id)))
}

/// What happens next, after a form was sent.
async fn sent(ctx: PageContext, path: web::Path<(String, String)>) -> Result<HttpResponse, PageError> {
    student(&ctx)?;
    let (title_key, text_key) = match path.1.as_str() {
        "more-time" => ("more-time-sent-title", "more-time-sent-text"),
        "broken" => ("problem-broken-sent-title", "problem-broken-sent-text"),
        "lost" => ("problem-lost-sent-title", "problem-lost-sent-text"),
        _ => return Err(PageError::new(ctx.lang, PageFailure::NotFound)),
    };
    ctx.render("sent.html", json!({"title_key": title_key, "text_key": text_key}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_agreement_reads_as_paragraphs_and_one_numbered_list() {
        let blocks =
            agreement_blocks("# Title\n\nFirst words.\nGo on.\n\n1. One.\n2. Two,\n   more.\n\nLast.\n");
        assert_eq!(
            blocks,
            vec![
                Block { text: "First words. Go on.".into(), list: vec![] },
                Block { text: String::new(), list: vec!["One.".into(), "Two, more.".into()] },
                Block { text: "Last.".into(), list: vec![] },
            ]
        );
    }

    #[test]
    fn the_configured_agreements_have_their_rules_as_a_list() {
        for file in ["config/agreement/2026-11.nl.md", "config/agreement/2026-11.en.md"] {
            let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
                .expect(file);
            let blocks = agreement_blocks(&text);
            assert!(blocks.iter().any(|b| b.list.len() >= 5), "{file}: {blocks:?}");
        }
    }
}
