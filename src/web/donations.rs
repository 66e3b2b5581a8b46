//! A donor's donations: the list, pledging one, a donation's items by the donor's stage (never
//! who holds them), registering a device or a licence, and the printable labels, through the
//! same workflows as `/api/v1/donations`, `/devices` and `/licences`. Another donor's donation
//! is the 404 page.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::form::PageForm;
use super::page::form_errors;
use super::page::{PageContext, PageError, PageFailure};
use super::student_form::parse_day;
use crate::domain::device_import::{field_names, parse_form};
use crate::domain::device_spec::DeviceSpec;
use crate::domain::licence::{parse_product, parse_seats};
use crate::domain::{BoundedText, FieldError, Role};
use crate::download;
use crate::error::ApiError;
use crate::render::label::asset_label_svg;
use crate::workflows::devices::register_one;
use crate::workflows::donations::{self as donations_workflow, NewLicence, NewPledge};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/donations", web::get().to(donations_page))
        .route("/donations/new", web::get().to(pledge_page))
        .route("/donations/new", web::post().to(pledge))
        .route("/donations/{id}", web::get().to(donation_page))
        .route("/donations/{id}/devices/new", web::get().to(device_page))
        .route("/donations/{id}/devices/new", web::post().to(register_device))
        .route("/donations/{id}/licences/new", web::get().to(licence_page))
        .route("/donations/{id}/licences/new", web::post().to(add_licence))
        .route("/donations/{id}/gifts", web::post().to(set_gifts))
        .route("/donations/{id}/labels", web::get().to(labels_page))
        .route("/donations/{id}/certificate", web::get().to(certificate));
}

/// Items shown on a donation's page at a time.
const ITEMS_PER_PAGE: i64 = 100;
/// The most labels one print page holds.
const LABELS_PER_PAGE: i64 = 1000;

/// The signed-in donor's account id and organisation; anyone else may not use these pages.
pub fn donor(ctx: &PageContext) -> Result<(String, String), PageError> {
    let session = ctx.signed_in()?;
    match (session.role, &session.user.organisation_id) {
        (Role::Donor, Some(org)) => Ok((session.user.id.clone(), org.clone())),
        _ => Err(PageError::new(ctx.lang, PageFailure::Forbidden)),
    }
}

/// The notice after an action, as a catalogue key.
fn done_key(done: Option<&String>) -> Option<&'static str> {
    Some(match done?.as_str() {
        "pledged" => "donation-done-pledged",
        "device" => "donation-done-device",
        "imported" => "donation-done-imported",
        "licence" => "donation-done-licence",
        "gifts" => "donation-done-gifts",
        _ => return None,
    })
}

async fn donations_page(
    ctx: PageContext,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let (_, donor_id) = donor(&ctx)?;
    let rows = ctx
        .state
        .db(move |conn| donations_workflow::donations_of(conn, &donor_id, 500))
        .await
        .map_err(|e| ctx.fail(e))?;
    let rows: Vec<Value> = rows
        .into_iter()
        .map(|(d, c)| json!({"donation": d, "devices": c.devices(), "contents": c}))
        .collect();
    ctx.render(
        "donations.html",
        json!({"donations": rows, "done_key": done_key(query.get("done")), "wide": true}),
    )
}

/// The hubs kit may go to, for a form's list.
async fn pledge_form(
    ctx: &PageContext,
    status: StatusCode,
    typed: Value,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let values = json!({"typed": typed, "hubs": ctx.hub_choices().await?});
    ctx.render_form(status, "donation_form.html", values, problems)
}

fn typed_pledge(form: &PageForm) -> Value {
    json!({
        "expected_hub_id": form.get("expected_hub_id"), "expected_date": form.get("expected_date"),
        "note": form.get("note"), "gifts_allowed": form.get("gifts_allowed") == "yes",
    })
}

async fn pledge_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    donor(&ctx)?;
    pledge_form(&ctx, StatusCode::OK, typed_pledge(&PageForm(HashMap::new())), &[]).await
}

/// The pledge read from the form; every mistake at once.
fn parse_pledge(donor_id: String, form: &PageForm) -> Result<NewPledge, Vec<FieldError>> {
    let mut errors = Vec::new();
    let expected_hub_id = match form.get("expected_hub_id").trim() {
        "" => None,
        hub => match uuid::Uuid::parse_str(hub) {
            Ok(id) => Some(id.to_string()),
            Err(_) => {
                errors.push(FieldError::new("expected_hub_id", crate::phrase!("field-invalid")));
                None
            }
        },
    };
    let expected_date = match form.get("expected_date").trim() {
        "" => None,
        typed => parse_day("expected_date", typed).map_err(|e| errors.push(e)).ok(),
    };
    let note = BoundedText::parse_optional_multiline("note", Some(form.get("note")), 2000)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if !errors.is_empty() {
        return Err(errors);
    }
    let gifts_allowed = form.get("gifts_allowed") == "yes";
    Ok(NewPledge { donor_id, expected_hub_id, expected_date, note, gifts_allowed })
}

async fn pledge(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    let (actor, donor_id) = donor(&ctx)?;
    let result = match parse_pledge(donor_id, &form) {
        Ok(pledge) => ctx.state.db(move |conn| donations_workflow::pledge(conn, pledge, &actor)).await,
        Err(problems) => Err(ApiError::Validation(problems)),
    };
    match result {
        Ok(donation) => Ok(ctx.see_other(&format!("/donations/{}?done=pledged", donation.id))),
        Err(e) => {
            let problems = ctx.form_problems(e, "expected_hub_id")?;
            pledge_form(&ctx, StatusCode::UNPROCESSABLE_ENTITY, typed_pledge(&form), &problems).await
        }
    }
}

/// The donor says whether the donation's kit may be given away (`PATCH /api/v1/donations/{id}`).
async fn set_gifts(
    ctx: PageContext,
    id: web::Path<String>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    let (_, donor_id) = donor(&ctx)?;
    let id = ctx.object_id(&id)?;
    let allowed = form.get("gifts_allowed") == "yes";
    let target = id.clone();
    ctx.state
        .db(move |conn| donations_workflow::set_gifts_allowed(conn, &target, Some(&donor_id), allowed))
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.see_other(&format!("/donations/{id}?done=gifts")))
}

/// Donation `id` of the signed-in donor with a page of its items, or the 404 page.
async fn file_of(
    ctx: &PageContext,
    id: &str,
    after: Option<String>,
    limit: i64,
) -> Result<donations_workflow::DonationFile, PageError> {
    let (_, donor_id) = donor(ctx)?;
    let id = ctx.object_id(id)?;
    ctx.state
        .db(move |conn| {
            donations_workflow::donation_file(conn, &id, Some(&donor_id), after.as_deref(), limit)
        })
        .await
        .map_err(|e| ctx.fail(e))
}

async fn donation_page(
    ctx: PageContext,
    id: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let after = query.get("after").and_then(|a| uuid::Uuid::parse_str(a).ok()).map(|a| a.to_string());
    let file = file_of(&ctx, &id, after, ITEMS_PER_PAGE).await?;
    let count = query.get("count").and_then(|c| c.parse::<i64>().ok()).unwrap_or(0);
    let values = json!({
        "file": file, "devices": file.contents.devices(), "done_key": done_key(query.get("done")),
        "count": count, "wide": true,
    });
    ctx.render("donation.html", values)
}

/// The device form, with what was typed and its mistakes.
async fn device_form(
    ctx: &PageContext,
    status: StatusCode,
    file: &donations_workflow::DonationFile,
    form: &PageForm,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let (errors, by_field) = form_errors(ctx, problems);
    let typed: serde_json::Map<String, Value> =
        field_names().map(|name| (name.to_owned(), json!(form.get(name)))).collect();
    let values = json!({
        "donation": file.donation, "typed": typed, "hubs": ctx.hub_choices().await?,
        "hub_id": form.get("hub_id"), "errors": errors, "field_errors": by_field,
    });
    ctx.render_with_status(status, "device_form.html", values)
}

async fn device_page(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    let file = file_of(&ctx, &id, None, 0).await?;
    let mut blank = HashMap::new();
    blank.insert("kind".to_owned(), "laptop".to_owned());
    device_form(&ctx, StatusCode::OK, &file, &PageForm(blank), &[]).await
}

/// The device and the hub it goes to (empty: the donation's), read from the form.
fn parse_device(form: &PageForm) -> Result<(DeviceSpec, Option<String>), Vec<FieldError>> {
    let hub = match form.get("hub_id").trim() {
        "" => Ok(None),
        hub => uuid::Uuid::parse_str(hub)
            .map(|h| Some(h.to_string()))
            .map_err(|_| FieldError::new("hub_id", crate::phrase!("field-invalid"))),
    };
    match (parse_form(|name| Some(form.get(name))), hub) {
        (Ok(spec), Ok(hub)) => Ok((spec, hub)),
        (spec, hub) => Err(spec.err().unwrap_or_default().into_iter().chain(hub.err()).collect()),
    }
}

async fn register_device(
    ctx: PageContext,
    id: web::Path<String>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    let (actor, donor_id) = donor(&ctx)?;
    let id = ctx.object_id(&id)?;
    let result = match parse_device(&form) {
        Ok((spec, hub)) => {
            let donation = id.clone();
            let register = move |conn: &mut _| {
                register_one(conn, &donation, Some(&donor_id), hub.as_deref(), spec, &actor, "page")
            };
            ctx.state.db(register).await
        }
        Err(problems) => Err(ApiError::Validation(problems)),
    };
    match result {
        Ok(_) => Ok(ctx.see_other(&format!("/donations/{id}?done=device"))),
        // Another donor's donation, or none: the 404 page, not a mistake in the form.
        Err(ApiError::Validation(p)) if p.iter().any(|e| e.field == "donation_id") => {
            Err(PageError::new(ctx.lang, PageFailure::NotFound))
        }
        Err(e) => {
            let problems = ctx.form_problems(e, "serial_number")?;
            let file = file_of(&ctx, &id, None, 0).await?;
            device_form(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &file, &form, &problems).await
        }
    }
}

/// The licence form. The key is never put back in the page: it is typed once.
async fn licence_form(
    ctx: &PageContext,
    status: StatusCode,
    file: &donations_workflow::DonationFile,
    form: &PageForm,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let (errors, by_field) = form_errors(ctx, problems);
    let typed = json!({
        "product": form.get("product"), "vendor": form.get("vendor"), "seats": form.get("seats"),
        "expires_on": form.get("expires_on"),
    });
    let values =
        json!({"donation": file.donation, "typed": typed, "errors": errors, "field_errors": by_field});
    ctx.render_with_status(status, "licence_form.html", values)
}

async fn licence_page(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    let file = file_of(&ctx, &id, None, 0).await?;
    licence_form(&ctx, StatusCode::OK, &file, &PageForm(HashMap::new()), &[]).await
}

/// The licence read from the form; every mistake at once.
fn parse_licence(donation_id: &str, form: &PageForm) -> Result<NewLicence, Vec<FieldError>> {
    let mut errors = Vec::new();
    let product = parse_product(form.get("product")).map_err(|e| errors.push(e)).ok();
    let vendor = BoundedText::parse("vendor", form.get("vendor"), 200)
        .map(BoundedText::into_inner)
        .map_err(|e| errors.push(e))
        .ok();
    let seats = match form.get("seats").trim().parse::<i32>() {
        Ok(n) => parse_seats(n).map_err(|e| errors.push(e)).ok(),
        Err(_) => {
            errors.push(FieldError::new("seats", crate::phrase!("field-between", min = 1, max = 100_000)));
            None
        }
    };
    let expires_on = match form.get("expires_on").trim() {
        "" => None,
        typed => parse_day("expires_on", typed).map_err(|e| errors.push(e)).ok(),
    };
    let key = BoundedText::parse("key", form.get("key"), 2000)
        .map(BoundedText::into_inner)
        .map_err(|e| errors.push(e))
        .ok();
    match (product, vendor, seats, key) {
        (Some(product), Some(vendor), Some(seats), Some(key)) if errors.is_empty() => {
            Ok(NewLicence { product, vendor, seats, expires_on, key, donation_id: donation_id.to_owned() })
        }
        _ => Err(errors),
    }
}

async fn add_licence(
    ctx: PageContext,
    id: web::Path<String>,
    form: PageForm,
) -> Result<HttpResponse, PageError> {
    let (_, donor_id) = donor(&ctx)?;
    let id = ctx.object_id(&id)?;
    let result = match parse_licence(&id, &form) {
        Ok(licence) => {
            ctx.state.db(move |conn| donations_workflow::add_licence(conn, licence, Some(&donor_id))).await
        }
        Err(problems) => Err(ApiError::Validation(problems)),
    };
    match result {
        Ok(_) => Ok(ctx.see_other(&format!("/donations/{id}?done=licence"))),
        Err(ApiError::Validation(p)) if p.iter().any(|e| e.field == "donation_id") => {
            Err(PageError::new(ctx.lang, PageFailure::NotFound))
        }
        Err(e) => {
            let problems = ctx.form_problems(e, "product")?;
            let file = file_of(&ctx, &id, None, 0).await?;
            licence_form(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &file, &form, &problems).await
        }
    }
}

/// Every label of the donation on one page, laid out for A4 (the style sheet's print rules).
async fn labels_page(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    let file = file_of(&ctx, &id, None, LABELS_PER_PAGE).await?;
    let labels: Vec<Value> = file
        .items
        .iter()
        .filter_map(|item| {
            let svg = asset_label_svg(&item.asset_tag, &item.model, &item.serial_number)?;
            Some(json!({"tag": item.asset_tag, "svg": svg}))
        })
        .collect();
    let values =
        json!({"donation": file.donation, "labels": labels, "more": file.next.is_some(), "wide": true});
    ctx.render("labels.html", values)
}

/// The donation's erasure certificate to file: a PDF, or CSV with `?format=csv`.
async fn certificate(
    ctx: PageContext,
    id: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let (_, org) = donor(&ctx)?;
    let id = ctx.object_id(&id)?;
    let name = format!("erasure-certificate-{id}");
    let c = ctx
        .state
        .db(move |conn| crate::workflows::certificates::for_donation(conn, &id, Some(&org)))
        .await
        .map_err(|e| ctx.fail(e))?;
    let as_csv = query.get("format").is_some_and(|f| f == "csv");
    let (body, kind, extension) = crate::render::certificate::file(&c, ctx.lang, as_csv);
    Ok(download::attachment(kind, &format!("{name}.{extension}")).body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> PageForm {
        PageForm(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
    }

    #[test]
    fn a_pledge_reads_the_hub_the_date_and_the_note() {
        let hub = uuid::Uuid::new_v4().to_string();
        let p = parse_pledge(
            "d".into(),
            &form(&[("expected_hub_id", &hub), ("expected_date", "15-01-2027"), ("note", " 20 laptops ")]),
        )
        .expect("good pledge");
        assert_eq!(p.expected_hub_id.as_deref(), Some(hub.as_str()));
        assert_eq!(p.expected_date, chrono::NaiveDate::from_ymd_opt(2027, 1, 15));
        assert_eq!(p.note.as_deref(), Some("20 laptops"));
        let empty = parse_pledge("d".into(), &form(&[])).expect("everything is optional");
        assert!(empty.expected_hub_id.is_none() && empty.expected_date.is_none() && empty.note.is_none());
        let bad = parse_pledge("d".into(), &form(&[("expected_hub_id", "x"), ("expected_date", "soon")]))
            .err()
            .expect("bad pledge");
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["expected_hub_id", "expected_date"]);
    }

    #[test]
    fn a_licence_needs_a_product_vendor_seats_and_key() {
        let l = parse_licence(
            "don",
            &form(&[("product", "Figma"), ("vendor", "Figma Inc"), ("seats", "25"), ("key", "ABC-123")]),
        )
        .expect("good licence");
        assert_eq!((l.product.as_str(), l.seats, l.key.as_str()), ("figma", 25, "ABC-123"));
        let bad = parse_licence("don", &form(&[("seats", "many"), ("expires_on", "2027-13-01")]))
            .err()
            .expect("bad licence");
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["product", "vendor", "seats", "expires_on", "key"]);
    }
}
