//! The returns counter's stack, for a cohort's end: scan device after device; each line comes
//! back with the session's condition and everything that was lent ticked; change a line where
//! something is damaged or missing; then take the whole stack back at once. Each line is taken
//! back on its own (`returns::take_back_each`, as `POST /api/v1/returns`): a refused line stays
//! on the page with its reason, the rest are done. The stack lives in the page's fields, so any
//! desk and any instance takes the next scan.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::Serialize;
use serde_json::json;

use super::desk::staff;
use super::form::PageForm;
use super::page::{PageContext, PageError};
use crate::domain::FieldError;
use crate::error::ApiError;
use crate::i18n;
use crate::workflows::loans::ReturnCondition;
use crate::workflows::returns::{out_by_code, take_back_each, StackItem, Which};

/// Lines one stack holds: a page stays light; take these back, then scan on.
pub const MAX_LINES: usize = 40;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/returns/stack", web::get().to(stack_page))
        .route("/returns/stack", web::post().to(stack_step));
}

/// One device of the stack, as the page carries it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub tag: String,
    pub model: String,
    /// What was handed over with it.
    pub lent: Vec<String>,
    /// Of those, what is ticked as back.
    pub back: Vec<String>,
    pub condition: String,
}

/// The lines a form brought back, in their order.
pub fn read_lines(form: &PageForm) -> Vec<Line> {
    (0..MAX_LINES)
        .map_while(|i| {
            let tag = form.0.get(&format!("tag_{i}"))?.trim().to_uppercase();
            let lent: Vec<String> = form
                .get(&format!("lent_{i}"))
                .split(',')
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect();
            let back = lent.iter().filter(|a| form.get(&format!("back_{i}_{a}")) == "yes").cloned().collect();
            let condition = form.get(&format!("condition_{i}")).to_owned();
            Some(Line { tag, model: form.get(&format!("model_{i}")).to_owned(), lent, back, condition })
        })
        .collect()
}

/// The session's condition for new lines: good unless staff chose another.
fn default_condition(form: &PageForm) -> String {
    ReturnCondition::parse(form.get("default_condition")).unwrap_or(ReturnCondition::Good).as_str().to_owned()
}

fn view(
    ctx: &PageContext,
    status: StatusCode,
    form: &PageForm,
    lines: &[Line],
    problems: &[FieldError],
    done: Option<usize>,
) -> Result<HttpResponse, PageError> {
    let values = json!({
        "lines": lines, "default_condition": default_condition(form), "done": done, "max": MAX_LINES, "wide": true,
    });
    ctx.render_form(status, "returns_stack.html", values, problems)
}

async fn stack_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    view(&ctx, StatusCode::OK, &PageForm(Default::default()), &[], &[], None)
}

async fn stack_step(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let mut lines = read_lines(&form);
    if form.get("do") == "take_back" {
        return take_back_all(ctx, form, lines, actor).await;
    }
    let code = form.get("code").trim().to_uppercase();
    let refused = |p| Some(vec![FieldError::new("code", p)]);
    let problem = if code.is_empty() {
        refused(crate::phrase!("scan-code-empty"))
    } else if lines.len() >= MAX_LINES {
        refused(crate::phrase!("stack-full", max = MAX_LINES))
    } else {
        add(&ctx, &mut lines, &code, default_condition(&form)).await?
    };
    match problem {
        Some(problems) => view(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &form, &lines, &problems, None),
        None => view(&ctx, StatusCode::OK, &form, &lines, &[], None),
    }
}

/// Puts the device with `code` on the stack, or says why not.
async fn add(
    ctx: &PageContext,
    lines: &mut Vec<Line>,
    code: &str,
    condition: String,
) -> Result<Option<Vec<FieldError>>, PageError> {
    let lookup = code.to_owned();
    let at = match ctx.state.db(move |conn| out_by_code(conn, &lookup)).await {
        Ok(at) => at,
        Err(ApiError::NotFound) => {
            return Ok(Some(vec![FieldError::new(
                "code",
                crate::phrase!("returns-not-on-loan", code = code),
            )]))
        }
        Err(e) => return Err(ctx.fail(e)),
    };
    if lines.iter().any(|l| l.tag == at.asset_tag) {
        return Ok(Some(vec![FieldError::new("code", crate::phrase!("scan-twice"))]));
    }
    let (lent, back) = (at.accessories.clone(), at.accessories);
    lines.push(Line { tag: at.asset_tag, model: at.model, lent, back, condition });
    Ok(None)
}

/// Takes every line back; the refused ones stay, each with its reason at its condition field.
async fn take_back_all(
    ctx: PageContext,
    form: PageForm,
    lines: Vec<Line>,
    actor: String,
) -> Result<HttpResponse, PageError> {
    if lines.is_empty() {
        let problem = FieldError::new("code", crate::phrase!("stack-empty"));
        return view(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &form, &lines, &[problem], None);
    }
    let items: Vec<StackItem> = lines
        .iter()
        .map(|l| StackItem {
            device: Which::AssetTag(l.tag.clone()),
            condition: ReturnCondition::parse(&l.condition).unwrap_or(ReturnCondition::Good),
            accessories_returned: Some(l.back.clone()),
        })
        .collect();
    let (settings, today) = (ctx.state.settings.loans.clone(), Utc::now().date_naive());
    let answers = ctx
        .state
        .db(move |conn| take_back_each(conn, &settings, &items, &actor, today))
        .await
        .map_err(|e| ctx.fail(e))?;
    let done = answers.iter().filter(|a| a.is_ok()).count();
    let (left, problems) = refused_lines(&ctx, lines, answers);
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    view(&ctx, status, &form, &left, &problems, Some(done))
}

/// The lines that were not taken back, each with its reason at its condition field.
fn refused_lines(
    ctx: &PageContext,
    lines: Vec<Line>,
    answers: Vec<Result<crate::workflows::returns::TakenBack, ApiError>>,
) -> (Vec<Line>, Vec<FieldError>) {
    let (mut left, mut problems) = (Vec::new(), Vec::new());
    for (line, answer) in lines.into_iter().zip(answers) {
        if let Err(e) = answer {
            let said = i18n::say(&reason(&e), ctx.lang);
            let field = format!("condition_{}", left.len());
            problems.push(FieldError::new(field, crate::phrase!("stack-line-refused", reason = said)));
            left.push(line);
        }
    }
    (left, problems)
}

/// Why a line was refused, as one sentence.
fn reason(e: &ApiError) -> crate::domain::phrase::Phrase {
    match e {
        ApiError::Conflict { detail } => detail.clone(),
        ApiError::Validation(problems) => problems
            .first()
            .map(|p| p.message.clone())
            .unwrap_or_else(|| crate::phrase!("scan-not-now-plain")),
        _ => crate::phrase!("scan-not-now-plain"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stack_comes_back_as_the_page_carried_it() {
        let form = PageForm(
            [
                ("tag_0", "dpl-000001"),
                ("model_0", "HP ProBook"),
                ("lent_0", "charger,bag"),
                ("back_0_bag", "yes"),
                ("back_0_mouse", "yes"),
                ("condition_0", "damaged"),
                ("tag_1", "DPL-000002"),
                ("lent_1", ""),
                ("condition_1", "good"),
                ("tag_3", "DPL-000004"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into(),
        );
        let lines = read_lines(&form);
        assert_eq!(lines.len(), 2, "a gap ends the stack");
        assert_eq!(lines[0].tag, "DPL-000001");
        assert_eq!(lines[0].back, vec!["bag".to_owned()], "only what was lent counts");
        assert_eq!((lines[0].condition.as_str(), lines[1].lent.len()), ("damaged", 0));
        assert_eq!(default_condition(&form), "good");
    }
}
