//! A school coordinator's students: the class list (filters, search, pages), enrolling one
//! student, a student's file with what may be done next (edit, ask for kit, cancel a request,
//! export their data, erase them), all through the same workflows as `/api/v1/students` and
//! `/api/v1/requests`. Another school's student is the 404 page.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde_json::{json, Value};

use super::class_list::table;
use super::form::PageForm;
use super::page::form_errors;
use super::page::{PageContext, PageError, PageFailure};
use super::student_form;
use crate::domain::class_list::Filter;
use crate::domain::licence::parse_product;
use crate::domain::request::RequestKind;
use crate::domain::{FieldError, Role};
use crate::download;
use crate::error::ApiError;
use crate::workflows::class_list::{class_page, student_file, StudentFile};
use crate::workflows::requests::{self as requests_workflow, NewRequest};
use crate::workflows::students::{self as students_workflow, StudentUpdate};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/students", web::get().to(students_page))
        .route("/students/new", web::get().to(new_page))
        .route("/students/new", web::post().to(enrol))
        .route("/students/{id}", web::get().to(student_page))
        .route("/students/{id}/edit", web::get().to(edit_page))
        .route("/students/{id}/edit", web::post().to(save))
        .route("/students/{id}/export", web::get().to(export))
        .route("/students/{id}/erase", web::get().to(erase_page))
        .route("/students/{id}/erase", web::post().to(erase))
        .route("/students/{id}/request-kit", web::get().to(request_page))
        .route("/students/{id}/request-kit", web::post().to(request_kit))
        .route("/requests/{id}/cancel", web::post().to(cancel_request));
}

/// The signed-in coordinator's account id and school; anyone else may not use these pages.
pub fn coordinator(ctx: &PageContext) -> Result<(String, String), PageError> {
    let session = ctx.signed_in()?;
    match (session.role, &session.user.organisation_id) {
        (Role::School, Some(school)) => Ok((session.user.id.clone(), school.clone())),
        _ => Err(PageError::new(ctx.lang, PageFailure::Forbidden)),
    }
}

/// The notice after an action, as a catalogue key (only the ones these pages know).
fn done_key(done: Option<&String>) -> Option<&'static str> {
    Some(match done?.as_str() {
        "enrolled" => "students-done-enrolled",
        "saved" => "students-done-saved",
        "requested" => "students-done-requested",
        "cancelled" => "students-done-cancelled",
        "erased" => "students-done-erased",
        "imported" => "students-done-imported",
        _ => return None,
    })
}

async fn students_page(
    ctx: PageContext,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let (_, school) = coordinator(&ctx)?;
    let weights = ctx.state.settings.priority;
    let today = Utc::now().date_naive();
    let filter = Filter::from_query(&query);
    let asked = filter.clone();
    let found = ctx
        .state
        .db(move |conn| class_page(conn, &school, &asked, &weights, today))
        .await
        .map_err(|e| ctx.fail(e))?;
    let view = table(found, &filter);
    let count = query.get("count").and_then(|c| c.parse::<i64>().ok()).unwrap_or(0);
    ctx.render(
        "students.html",
        json!({"table": view, "done_key": done_key(query.get("done")), "count": count, "wide": true}),
    )
}

/// The hubs a student may prefer, for the form's list.
/// The enrol or edit form, with what was typed and its mistakes.
async fn student_form_page(
    ctx: &PageContext,
    status: StatusCode,
    action: &str,
    values: Value,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let (errors, by_field) = form_errors(ctx, problems);
    let editing = action != "/students/new";
    let values = json!({
        "action": action, "editing": editing, "typed": values, "hubs": ctx.hub_choices().await?,
        "choices": student_form::choices(), "errors": errors, "field_errors": by_field,
    });
    ctx.render_with_status(status, "student_form.html", values)
}

async fn new_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    coordinator(&ctx)?;
    let empty = student_form::typed(&PageForm(HashMap::new()));
    student_form_page(&ctx, StatusCode::OK, "/students/new", empty, &[]).await
}

async fn enrol(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    let (_, school) = coordinator(&ctx)?;
    let result = match student_form::parse(&form) {
        Ok((spec, hub)) => ctx.state.db(move |conn| students_workflow::enrol(conn, &school, spec, hub)).await,
        Err(problems) => Err(ApiError::Validation(problems)),
    };
    match result {
        Ok(student) => Ok(ctx.see_other(&format!("/students/{}?done=enrolled", student.id))),
        Err(e) => {
            let problems = ctx.form_problems(e, "email")?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            student_form_page(&ctx, status, "/students/new", student_form::typed(&form), &problems).await
        }
    }
}

/// The file of student `id` if the coordinator's school has them, else the 404 page.
async fn file_of(ctx: &PageContext, id: &str) -> Result<StudentFile, PageError> {
    let (actor, school) = coordinator(ctx)?;
    let id = ctx.object_id(id)?;
    let weights = ctx.state.settings.priority;
    let today = Utc::now().date_naive();
    ctx.state
        .db(move |conn| student_file(conn, &id, Some(&school), (&actor, Role::School), &weights, today))
        .await
        .map_err(|e| ctx.fail(e))
}

async fn student_page(
    ctx: PageContext,
    id: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let file = file_of(&ctx, &id).await?;
    if file.student.erased {
        return Err(PageError::new(ctx.lang, PageFailure::NotFound));
    }
    ctx.render("student.html", json!({"file": file, "done_key": done_key(query.get("done")), "wide": true}))
}

async fn edit_page(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    let file = file_of(&ctx, &id).await?;
    let action = format!("/students/{}/edit", file.student.id);
    student_form_page(&ctx, StatusCode::OK, &action, student_form::stored(&file.student), &[]).await
}

async fn save(ctx: PageContext, id: web::Path<String>, form: PageForm) -> Result<HttpResponse, PageError> {
    let (actor, school) = coordinator(&ctx)?;
    let id = ctx.object_id(&id)?;
    let target = id.clone();
    let result = match student_form::parse(&form) {
        Ok((spec, hub)) => {
            let change = StudentUpdate::whole(spec, hub);
            ctx.state
                .db(move |conn| students_workflow::update(conn, &target, Some(&school), &actor, change))
                .await
        }
        Err(problems) => Err(ApiError::Validation(problems)),
    };
    match result {
        Ok(_) => Ok(ctx.see_other(&format!("/students/{id}?done=saved"))),
        Err(e) => {
            let problems = ctx.form_problems(e, "email")?;
            let (status, action) = (StatusCode::UNPROCESSABLE_ENTITY, format!("/students/{id}/edit"));
            student_form_page(&ctx, status, &action, student_form::typed(&form), &problems).await
        }
    }
}

/// Everything held about the student, as the file the API's export gives.
async fn export(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    let (actor, school) = coordinator(&ctx)?;
    let id = ctx.object_id(&id)?;
    let weights = ctx.state.settings.priority;
    let today = Utc::now().date_naive();
    let request_id = crate::store::new_id();
    let held = ctx
        .state
        .db(move |conn| {
            students_workflow::export(
                conn,
                &id,
                Some(&school),
                (&actor, Role::School),
                &request_id,
                &weights,
                today,
            )
        })
        .await
        .map_err(|e| ctx.fail(e))?;
    let file =
        crate::routes::students::privacy::StudentExport::from_held(held, today).map_err(|e| ctx.fail(e))?;
    let name = format!("student-{}.json", file.student.id);
    Ok(download::attachment("application/json", &name).json(file))
}

async fn erase_page(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    let file = file_of(&ctx, &id).await?;
    if file.student.erased {
        return Err(PageError::new(ctx.lang, PageFailure::NotFound));
    }
    let status = if file.holds_kit { StatusCode::CONFLICT } else { StatusCode::OK };
    ctx.render_with_status(status, "erase_student.html", json!({"file": file}))
}

async fn erase(ctx: PageContext, id: web::Path<String>, _form: PageForm) -> Result<HttpResponse, PageError> {
    let (actor, school) = coordinator(&ctx)?;
    let id = ctx.object_id(&id)?;
    let target = id.clone();
    match ctx
        .state
        .db(move |conn| students_workflow::erase_visible(conn, &target, Some(&school), &actor))
        .await
    {
        Ok(()) => Ok(ctx.see_other("/students?done=erased")),
        // Kit went on loan since the page was shown: show it again, with the reason.
        Err(ApiError::Conflict { .. }) => erase_page(ctx, web::Path::from(id)).await,
        Err(e) => Err(ctx.fail(e)),
    }
}

/// The kinds of kit the student may be asked for: what they lack.
fn kinds_for(file: &StudentFile) -> Vec<&'static str> {
    let s = &file.student;
    [(s.lacks_laptop, "laptop"), (s.lacks_connectivity, "connectivity"), (s.lacks_software, "licence")]
        .into_iter()
        .filter_map(|(lacks, kind)| lacks.then_some(kind))
        .collect()
}

async fn request_form(
    ctx: &PageContext,
    status: StatusCode,
    file: StudentFile,
    typed: Value,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let values = json!({"kinds": kinds_for(&file), "file": file, "typed": typed});
    ctx.render_form(status, "request_kit.html", values, problems)
}

async fn request_page(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    let file = file_of(&ctx, &id).await?;
    let typed = json!({"kind": kinds_for(&file).first().copied().unwrap_or(""), "product": "", "needed_by": "", "travel_ok": ""});
    request_form(&ctx, StatusCode::OK, file, typed, &[]).await
}

/// What was asked for, read from the form; every mistake at once.
fn parse_request(student_id: &str, form: &PageForm) -> Result<NewRequest, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = RequestKind::parse(form.get("kind"));
    if kind.is_none() {
        errors.push(FieldError::new("kind", crate::phrase!("field-required")));
    }
    let product = match kind {
        Some(RequestKind::Licence) => parse_product(form.get("product")).map_err(|e| errors.push(e)).ok(),
        _ => None,
    };
    let needed_by = match form.get("needed_by").trim() {
        "" => None,
        typed => student_form::parse_day("needed_by", typed).map_err(|e| errors.push(e)).ok(),
    };
    match kind {
        Some(kind) if errors.is_empty() => Ok(NewRequest {
            student_id: student_id.to_owned(),
            kind,
            product,
            needed_by,
            travel_ok: form.get("travel_ok") == "yes",
        }),
        _ => Err(errors),
    }
}

async fn request_kit(
    ctx: PageContext,
    id: web::Path<String>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    let (actor, school) = coordinator(&ctx)?;
    let id = ctx.object_id(&id)?;
    let (weights, today) = (ctx.state.settings.priority, Utc::now().date_naive());
    let result = match parse_request(&id, &form) {
        Ok(asked) => {
            let create = move |conn: &mut _| {
                requests_workflow::create(conn, Some(&school), &actor, asked, &weights, today)
            };
            ctx.state.db(create).await
        }
        Err(problems) => Err(ApiError::Validation(problems)),
    };
    match result {
        Ok(_) => Ok(ctx.see_other(&format!("/students/{id}?done=requested"))),
        Err(e) => {
            let problems = ctx.form_problems(e, "kind")?;
            let typed = json!({"kind": form.get("kind"), "product": form.get("product"), "needed_by": form.get("needed_by"), "travel_ok": form.get("travel_ok")});
            let file = file_of(&ctx, &id).await?;
            request_form(&ctx, StatusCode::UNPROCESSABLE_ENTITY, file, typed, &problems).await
        }
    }
}

async fn cancel_request(
    ctx: PageContext,
    id: web::Path<String>,
    _form: PageForm,
) -> Result<HttpResponse, PageError> {
    let (_, school) = coordinator(&ctx)?;
    let id = ctx.object_id(&id)?;
    let (weights, today) = (ctx.state.settings.priority, Utc::now().date_naive());
    let cancel = move |conn: &mut _| requests_workflow::cancel(conn, &id, Some(&school), &weights, today);
    match ctx.state.db(cancel).await {
        Ok(view) => Ok(ctx.see_other(&format!("/students/{}?done=cancelled", view.student_id))),
        Err(e) => Err(ctx.fail(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> PageForm {
        PageForm(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn a_request_form_is_read_with_every_mistake() {
        let asked =
            parse_request("s", &form(&[("kind", "licence"), ("product", "Figma Pro"), ("travel_ok", "yes")]))
                .expect("good");
        assert_eq!(
            (asked.product.as_deref(), asked.travel_ok, asked.needed_by),
            (Some("figma-pro"), true, None)
        );
        let errors = parse_request("s", &form(&[("kind", "pony"), ("needed_by", "soon")])).expect_err("bad");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["kind", "needed_by"]);
        let errors = parse_request("s", &form(&[("kind", "licence")])).expect_err("no product");
        assert_eq!(errors[0].field, "product");
    }

    #[test]
    fn only_known_notices_are_shown() {
        assert_eq!(done_key(Some(&"erased".to_owned())), Some("students-done-erased"));
        assert_eq!(done_key(Some(&"<b>".to_owned())), None);
    }
}
