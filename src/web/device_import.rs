//! Uploading a spreadsheet of devices into a donation from the page: CSV or the Dutch Excel
//! export (`;`), the same workflow as `POST /api/v1/devices/import`. All rows or none: a bad
//! file shows each bad row with its line, column and reason, and registers nothing.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::donations::donor;
use super::page::{PageContext, PageError, PageFailure};
use super::upload::{row_sentences, UploadForm};
use crate::domain::device::DeviceKind;
use crate::download;
use crate::error::ApiError;
use crate::i18n;
use crate::workflows::devices::import_into;
use crate::workflows::donations::donation_file;
use crate::workflows::imports::Upload;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/donations/devices-sample.csv", web::get().to(sample))
        .route("/donations/{id}/devices/import", web::get().to(import_page))
        .route("/donations/{id}/devices/import", web::post().to(import));
}

/// The columns a device list may have, in the order of the sample file; the first five are
/// needed for a laptop (a dongle needs only the first three).
const COLUMNS: [&str; 14] = [
    "kind",
    "serial_number",
    "model",
    "ram_gb",
    "storage_gb",
    "cpu",
    "screen_inches",
    "os",
    "keyboard_layout",
    "charger_included",
    "carrier",
    "data_allowance_gb",
    "plan_ends_on",
    "weight_kg",
];

/// The page, with the problems of the last upload if it had any.
fn page(
    ctx: &PageContext,
    status: StatusCode,
    donation_id: &str,
    rows: Vec<String>,
    total: usize,
    problem: Option<String>,
) -> Result<HttpResponse, PageError> {
    let columns: Vec<_> = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| json!({"name": c, "needed": i < 5, "key": format!("device-column-{}", c.replace('_', "-"))}))
        .collect();
    let errors: Vec<_> = problem.iter().map(|p| json!({"field": "file", "message": p})).collect();
    let values = json!({
        "donation_id": donation_id, "columns": columns, "rows": rows, "total": total,
        "errors": errors, "field_errors": problem.map(|p| json!({"file": p})).unwrap_or(json!({})),
    });
    ctx.render_with_status(status, "device_import.html", values)
}

/// Donation `id` if it is the signed-in donor's, else the 404 page.
async fn own_donation(ctx: &PageContext, id: &str) -> Result<(String, String, String), PageError> {
    let (actor, donor_id) = donor(ctx)?;
    let id = ctx.object_id(id)?;
    let (check, scope) = (id.clone(), donor_id.clone());
    ctx.state
        .db(move |conn| donation_file(conn, &check, Some(&scope), None, 0))
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok((actor, donor_id, id))
}

async fn import_page(ctx: PageContext, id: web::Path<String>) -> Result<HttpResponse, PageError> {
    let (_, _, id) = own_donation(&ctx, &id).await?;
    page(&ctx, StatusCode::OK, &id, vec![], 0, None)
}

async fn import(
    ctx: PageContext,
    id: web::Path<String>,
    mut form: UploadForm,
) -> Result<HttpResponse, PageError> {
    let (actor, donor_id, id) = own_donation(&ctx, &id).await?;
    let say = |p| Some(i18n::say(&p, ctx.lang));
    if form.too_large {
        let limit = ctx.state.settings.server.max_import_bytes / (1024 * 1024);
        let problem = say(crate::phrase!("import-too-large", megabytes = limit));
        return page(&ctx, StatusCode::PAYLOAD_TOO_LARGE, &id, vec![], 0, problem);
    }
    let Some(file) = form.file.take() else {
        let problem = say(crate::phrase!("import-choose-file"));
        return page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &id, vec![], 0, problem);
    };
    // A file without a kind column is a list of laptops: what donors give most.
    let default_kind = Some(DeviceKind::Laptop);
    let donation = id.clone();
    let upload = Upload { file, max_rows: ctx.state.settings.imports.max_device_rows };
    let outcome = ctx
        .state
        .db(move |conn| import_into(conn, upload, &donation, Some(&donor_id), None, default_kind, &actor))
        .await;
    match outcome {
        Ok((_, outcome)) => {
            Ok(ctx.see_other(&format!("/donations/{id}?done=imported&count={}", outcome.imported)))
        }
        Err(e) => {
            let (status, rows, total, problem) = refused(&ctx, e)?;
            page(&ctx, status, &id, rows, total, Some(problem))
        }
    }
}

/// Why a file was refused, as the page says it: the status, the bad rows as sentences, how
/// many there were, and the message at the file field. Anything else is a failure page.
pub(super) fn refused(
    ctx: &PageContext,
    e: ApiError,
) -> Result<(StatusCode, Vec<String>, usize, String), PageError> {
    let say = |p| i18n::say(&p, ctx.lang);
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    match e {
        ApiError::BadRows { errors, total } => {
            let problem = say(crate::phrase!("import-bad-rows", count = total));
            Ok((unprocessable, row_sentences(&errors, ctx.lang), total, problem))
        }
        ApiError::Validation(problems) if problems.iter().any(|p| p.field == "donation_id") => {
            Err(PageError::new(ctx.lang, PageFailure::NotFound))
        }
        ApiError::Validation(mut problems) if !problems.is_empty() => {
            Ok((unprocessable, vec![], 0, say(problems.swap_remove(0).message)))
        }
        ApiError::Conflict { detail } => Ok((StatusCode::CONFLICT, vec![], 0, say(detail))),
        e => Err(ctx.fail(e)),
    }
}

/// A device list to start from: the header, a laptop and a dongle.
fn sample_csv() -> String {
    format!(
        "{}\nlaptop,5CG1234ABC,HP ProBook 450 G8,16,256,Intel Core i5,15.6,Windows 11,US,yes,,,\nwifi_dongle,867530012345,Huawei E5576,,,,,,,,KPN,20,2027-06-30\n",
        COLUMNS.join(",")
    )
}

async fn sample(ctx: PageContext) -> Result<HttpResponse, PageError> {
    donor(&ctx)?;
    let body = sample_csv();
    Ok(download::attachment("text/csv; charset=utf-8", "devices-sample.csv").body(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::device_import::parse_devices_csv;
    use crate::domain::student::Language;

    #[test]
    fn every_column_is_explained_in_both_languages() {
        for column in COLUMNS {
            let key = format!("device-column-{}", column.replace('_', "-"));
            for lang in [Language::Nl, Language::En] {
                assert_ne!(i18n::say_key(&key, [], lang), key, "{key} {lang:?}");
            }
        }
    }

    #[test]
    fn the_columns_are_the_fields_the_import_reads() {
        let names: Vec<&str> = crate::domain::device_import::field_names().collect();
        assert_eq!(names, COLUMNS);
        let parsed = parse_devices_csv(sample_csv().as_bytes(), None).expect("the sample is read");
        assert!(parsed.errors.is_empty() && parsed.ignored_columns.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.rows.len(), 2);
    }
}
