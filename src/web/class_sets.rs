//! Class sets as pages: a coordinator asks for a set, follows it, accepts the set agreement
//! and may cancel before the hand-over; staff see the sets to offer, reserved and on loan,
//! offer (or top up), hand over in one step and take devices back. Each action is the API's
//! workflow (`workflows::class_sets`).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{NaiveDate, Utc};
use serde_json::{json, Value};

use super::form::PageForm;
use super::page::{PageContext, PageError, PageFailure};
use super::student_form::parse_day;
use crate::domain::class_set::COURSE_MAX;
use crate::domain::device::DeviceKind;
use crate::domain::phrase::Phrase;
use crate::domain::{BoundedText, FieldError, Role};
use crate::error::ApiError;
use crate::workflows::class_sets::{self as workflow, AskedSet, NotBack, SetReturn};
use crate::workflows::loans::ReturnCondition;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/class-sets", web::get().to(list_page))
        .route("/class-sets/new", web::get().to(new_page))
        .route("/class-sets/new", web::post().to(ask))
        .route("/class-sets/{id}", web::get().to(set_page))
        .route("/class-sets/{id}/accept", web::post().to(accept))
        .route("/class-sets/{id}/cancel", web::post().to(cancel))
        .route("/class-sets/{id}/offer", web::post().to(offer))
        .route("/class-sets/{id}/handover", web::post().to(hand_over))
        .route("/class-sets/{id}/return", web::post().to(take_back))
        .route("/class-sets/{id}/report-lost", web::post().to(report_lost))
        .route("/class-sets/{id}/write-off", web::post().to(write_off));
}

/// Who reads: a school's coordinator (their school) or staff (none).
struct Reader {
    id: String,
    school: Option<String>,
}

fn reader(ctx: &PageContext) -> Result<Reader, PageError> {
    let session = ctx.signed_in()?;
    match (session.role, &session.user.organisation_id) {
        (Role::School, Some(school)) => {
            Ok(Reader { id: session.user.id.clone(), school: Some(school.clone()) })
        }
        (Role::Staff | Role::Admin, _) => Ok(Reader { id: session.user.id.clone(), school: None }),
        _ => Err(PageError::new(ctx.lang, PageFailure::Forbidden)),
    }
}

fn coordinator(ctx: &PageContext) -> Result<Reader, PageError> {
    match reader(ctx)? {
        r @ Reader { school: Some(_), .. } => Ok(r),
        _ => Err(PageError::new(ctx.lang, PageFailure::Forbidden)),
    }
}

fn staff(ctx: &PageContext) -> Result<String, PageError> {
    match reader(ctx)? {
        Reader { school: None, id } => Ok(id),
        _ => Err(PageError::new(ctx.lang, PageFailure::Forbidden)),
    }
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The sets shown on one page; more than this open at once is far beyond a pool's size.
const SHOWN: i64 = 500;

/// A coordinator's own sets; for staff, the sets to offer, reserved, and on loan.
async fn list_page(
    ctx: PageContext,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let who = reader(&ctx)?;
    let school = who.school.clone();
    let sets = ctx
        .state
        .db(move |conn| workflow::page(conn, school.as_deref(), None, None, SHOWN, today()))
        .await
        .map_err(|e| ctx.fail(e))?;
    let hubs = hub_names(&ctx).await?;
    let values = json!({
        "sets": sets.items, "staff": who.school.is_none(), "hubs": hubs, "today": today().to_string(),
        "done": query.get("done").filter(|d| d.as_str() == "cancelled"),
    });
    ctx.render("class_sets.html", values)
}

async fn hub_names(ctx: &PageContext) -> Result<HashMap<String, String>, PageError> {
    Ok(ctx
        .hub_choices()
        .await?
        .into_iter()
        .filter_map(|h| Some((h[0].as_str()?.to_owned(), h[1].as_str()?.to_owned())))
        .collect())
}

async fn ask_form(
    ctx: &PageContext,
    status: StatusCode,
    typed: Value,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let s = &ctx.state.settings.class_sets;
    let values = json!({
        "typed": typed, "hubs": ctx.hub_choices().await?, "max_count": s.max_count, "max_weeks": s.max_weeks,
    });
    ctx.render_form(status, "class_set_form.html", values, problems)
}

async fn new_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    coordinator(&ctx)?;
    let typed =
        json!({"kind": "laptop", "count": "", "starts_on": "", "ends_on": "", "hub_id": "", "course": ""});
    ask_form(&ctx, StatusCode::OK, typed, &[]).await
}

/// The form read into what the API takes; every field that cannot be read at all, at once
/// (the workflow checks the rest).
fn parse_ask(form: &PageForm) -> Result<AskedSet, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = DeviceKind::parse(form.get("kind"));
    if kind.is_none() {
        errors.push(FieldError::new("kind", crate::phrase!("field-required")));
    }
    let count = match form.get("count").trim() {
        "" => {
            errors.push(FieldError::new("count", crate::phrase!("class-set-need-count")));
            None
        }
        typed => typed
            .parse::<i64>()
            .map_err(|_| {
                errors.push(FieldError::new("count", crate::phrase!("field-type", expected = "whole-number")))
            })
            .ok(),
    };
    // An empty field says which one: the summary lists the messages alone.
    let mut day = |field: &str, empty: Phrase| match form.get(field).trim() {
        "" => {
            errors.push(FieldError::new(field, empty));
            None
        }
        typed => parse_day(field, typed).map_err(|e| errors.push(e)).ok(),
    };
    let starts_on = day("starts_on", crate::phrase!("class-set-need-starts"));
    let ends_on = day("ends_on", crate::phrase!("class-set-need-ends"));
    let hub_id = form.get("hub_id").trim();
    if hub_id.is_empty() {
        errors.push(FieldError::new("hub_id", crate::phrase!("class-set-need-hub")));
    }
    // Named with the rest, though the workflow checks it too.
    if let Err(e) = BoundedText::parse("course", form.get("course"), COURSE_MAX) {
        errors.insert(0, e);
    }
    match (kind, count, starts_on, ends_on) {
        (Some(kind), Some(count), Some(starts_on), Some(ends_on)) if errors.is_empty() => Ok(AskedSet {
            kind,
            count,
            starts_on,
            ends_on,
            hub_id: hub_id.to_owned(),
            course: form.get("course").to_owned(),
        }),
        _ => Err(errors),
    }
}

async fn ask(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    let who = coordinator(&ctx)?;
    let school = who.school.clone().unwrap_or_default();
    let settings = ctx.state.settings.clone();
    let result = match parse_ask(&form) {
        Ok(asked) => {
            ctx.state
                .db(move |conn| workflow::create(conn, &settings, &school, &who.id, asked, today()))
                .await
        }
        Err(problems) => Err(ApiError::Validation(problems)),
    };
    match result {
        Ok(set) => Ok(ctx.see_other(&format!("/class-sets/{}?done=asked", set.id))),
        Err(e) => {
            let problems = ctx.form_problems(e, "course")?;
            let typed = json!({
                "kind": form.get("kind"), "count": form.get("count"), "starts_on": form.get("starts_on"),
                "ends_on": form.get("ends_on"), "hub_id": form.get("hub_id"), "course": form.get("course"),
            });
            ask_form(&ctx, StatusCode::UNPROCESSABLE_ENTITY, typed, &problems).await
        }
    }
}

/// The notices after an action, as catalogue keys.
fn done_key(done: Option<&String>) -> Option<&'static str> {
    Some(match done?.as_str() {
        "asked" => "class-set-done-asked",
        "accepted" => "class-set-done-accepted",
        "offered" => "class-set-done-offered",
        "handed_over" => "class-set-done-handed-over",
        "returned" => "class-set-done-returned",
        "not_back" => "class-set-done-not-back",
        _ => return None,
    })
}

async fn render_set(
    ctx: &PageContext,
    status: StatusCode,
    id: String,
    extra: Value,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let who = reader(ctx)?;
    let school = who.school.clone();
    let set = ctx
        .state
        .db(move |conn| workflow::view(conn, school.as_deref(), &id, today()))
        .await
        .map_err(|e| ctx.fail(e))?;
    let hubs = hub_names(ctx).await?;
    let agreement = &ctx.state.settings.class_sets;
    let text = match ctx.lang {
        crate::domain::student::Language::Nl => &agreement.agreement.nl,
        crate::domain::student::Language::En => &agreement.agreement.en,
    };
    let mut values = json!({
        "set": set, "hub": hubs.get(&set.hub_id.to_string()), "staff": who.school.is_none(),
        "done": null, "reason": null, "reserved": null,
        "agreement": {"version": agreement.agreement_version, "lines": text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).collect::<Vec<_>>()},
    });
    if let (Some(map), Some(more)) = (values.as_object_mut(), extra.as_object()) {
        map.extend(more.clone());
    }
    ctx.render_form(status, "class_set.html", values, problems)
}

async fn set_page(
    ctx: PageContext,
    id: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let id = ctx.object_id(&id)?;
    let extra = json!({"done": done_key(query.get("done")), "reason": query.get("reason"), "reserved": query.get("reserved")});
    render_set(&ctx, StatusCode::OK, id, extra, &[]).await
}

/// A form's failure: its mistakes on the set's page again, or the failure page.
async fn refused(ctx: &PageContext, id: String, e: ApiError, field: &str) -> Result<HttpResponse, PageError> {
    let problems = match e {
        ApiError::IllegalTransition { .. } => {
            vec![FieldError::new(field, crate::phrase!("class-set-step-not-now"))]
        }
        e => ctx.form_problems(e, field)?,
    };
    render_set(ctx, StatusCode::UNPROCESSABLE_ENTITY, id, json!({}), &problems).await
}

async fn accept(ctx: PageContext, id: web::Path<String>, form: PageForm) -> Result<HttpResponse, PageError> {
    let who = coordinator(&ctx)?;
    let id = ctx.object_id(&id)?;
    if form.get("agree") != "yes" {
        let problems = [FieldError::new("agree", crate::phrase!("class-set-agree-first"))];
        return render_set(&ctx, StatusCode::UNPROCESSABLE_ENTITY, id, json!({}), &problems).await;
    }
    let (settings, version, set) = (ctx.state.settings.clone(), form.get("version").to_owned(), id.clone());
    let school = who.school.clone().unwrap_or_default();
    let accepted =
        move |conn: &mut _| workflow::accept(conn, &settings, &school, &set, &who.id, &version, today());
    match ctx.state.db(accepted).await {
        Ok(_) => Ok(ctx.see_other(&format!("/class-sets/{id}?done=accepted"))),
        Err(e) => refused(&ctx, id, e, "agree").await,
    }
}

async fn cancel(ctx: PageContext, id: web::Path<String>, _form: PageForm) -> Result<HttpResponse, PageError> {
    let who = reader(&ctx)?;
    let id = ctx.object_id(&id)?;
    let (settings, set) = (ctx.state.settings.clone(), id.clone());
    let school = who.school.clone();
    let cancelled =
        move |conn: &mut _| workflow::cancel(conn, &settings, school.as_deref(), &set, &who.id, today());
    match ctx.state.db(cancelled).await {
        Ok(_) => Ok(ctx.see_other("/class-sets?done=cancelled")),
        Err(e) => refused(&ctx, id, e, "cancel").await,
    }
}

async fn offer(ctx: PageContext, id: web::Path<String>, _form: PageForm) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let id = ctx.object_id(&id)?;
    let (settings, set) = (ctx.state.settings.clone(), id.clone());
    match ctx.state.db(move |conn| workflow::offer(conn, &settings, &set, &actor, today())).await {
        Ok(offered) => {
            let extra = json!({
                "done": done_key(Some(&"offered".to_owned())), "reserved": offered.reserved_now,
                "reason": offered.reason.map(|r| crate::i18n::say(&r, ctx.lang)),
            });
            render_set(&ctx, StatusCode::OK, id, extra, &[]).await
        }
        Err(e) => refused(&ctx, id, e, "offer").await,
    }
}

async fn hand_over(
    ctx: PageContext,
    id: web::Path<String>,
    _form: PageForm,
) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let id = ctx.object_id(&id)?;
    let set = id.clone();
    match ctx.state.db(move |conn| workflow::hand_over(conn, &set, &actor, today())).await {
        Ok(_) => Ok(ctx.see_other(&format!("/class-sets/{id}?done=handed_over"))),
        Err(e) => refused(&ctx, id, e, "handover").await,
    }
}

/// The devices ticked as back (`back|{device}`), each in the condition chosen for it
/// (`condition|{device}`, good unless said) with the accessories ticked for it
/// (`acc|{device}|{name}`).
fn parse_returns(form: &PageForm) -> Result<Vec<SetReturn>, Vec<FieldError>> {
    let mut ticked: Vec<&str> = form.0.keys().filter_map(|k| k.strip_prefix("back|")).collect();
    ticked.sort_unstable();
    if ticked.is_empty() {
        return Err(vec![FieldError::new("device", crate::phrase!("class-set-tick-a-device"))]);
    }
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for device in ticked {
        let condition = match form.get(&format!("condition|{device}")) {
            "" => "good",
            typed => typed,
        };
        let prefix = format!("acc|{device}|");
        let mut back: Vec<String> =
            form.0.keys().filter_map(|k| k.strip_prefix(&prefix)).map(str::to_owned).collect();
        back.sort_unstable();
        match ReturnCondition::parse(condition) {
            Some(condition) => items.push(SetReturn {
                device_id: device.to_owned(),
                condition,
                accessories_returned: Some(back),
            }),
            None => errors.push(FieldError::new("device", crate::phrase!("field-required"))),
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

async fn take_back(
    ctx: PageContext,
    id: web::Path<String>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let id = ctx.object_id(&id)?;
    let set = id.clone();
    let result = match parse_returns(&form) {
        Ok(items) => ctx.state.db(move |conn| workflow::take_back(conn, &set, &actor, &items, today())).await,
        Err(problems) => Err(ApiError::Validation(problems)),
    };
    match result {
        Ok(_) => Ok(ctx.see_other(&format!("/class-sets/{id}?done=returned"))),
        Err(e) => refused(&ctx, id, e, "device").await,
    }
}

async fn report_lost(
    ctx: PageContext,
    id: web::Path<String>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    not_back(ctx, id, form, NotBack::Lost).await
}

async fn write_off(
    ctx: PageContext,
    id: web::Path<String>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    not_back(ctx, id, form, NotBack::WrittenOff).await
}

/// A device of the set that will not come back: lost, or written off.
async fn not_back(
    ctx: PageContext,
    id: web::Path<String>,
    form: PageForm,
    how: NotBack,
) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let id = ctx.object_id(&id)?;
    let device = form.get("not_back").trim().to_owned();
    if device.is_empty() {
        let problems = [FieldError::new("not_back", crate::phrase!("class-set-choose-device"))];
        return render_set(&ctx, StatusCode::UNPROCESSABLE_ENTITY, id, json!({}), &problems).await;
    }
    let set = id.clone();
    let closed = move |conn: &mut _| workflow::not_back(conn, &set, &actor, &[device], how, today());
    match ctx.state.db(closed).await {
        Ok(_) => Ok(ctx.see_other(&format!("/class-sets/{id}?done=not_back"))),
        Err(ApiError::Validation(_)) => {
            let problems = [FieldError::new("not_back", crate::phrase!("field-set-device-not-out"))];
            render_set(&ctx, StatusCode::UNPROCESSABLE_ENTITY, id, json!({}), &problems).await
        }
        Err(e) => refused(&ctx, id, e, "not_back").await,
    }
}
