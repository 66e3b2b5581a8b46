//! Uploading a class list from the page: a CSV file or the Dutch Excel export (`;`), the same
//! workflow as `POST /api/v1/students/import`. All rows or none: a bad file shows each bad
//! row with its line, column and reason, and enrols nobody.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::page::{PageContext, PageError};
use super::students::coordinator;
use super::upload::{row_sentences, UploadForm};
use crate::download;
use crate::error::ApiError;
use crate::i18n;
use crate::workflows::imports::Upload;
use crate::workflows::students::import_csv;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/students/import", web::get().to(import_page))
        .route("/students/import", web::post().to(import))
        .route("/students/import/sample.csv", web::get().to(sample));
}

/// The columns a class list may have, in the order of the sample file; the first six are needed.
const COLUMNS: [&str; 11] = [
    "name",
    "email",
    "preferred_language",
    "track",
    "programme_start",
    "programme_end",
    "hub",
    "lacks_laptop",
    "lacks_connectivity",
    "lacks_software",
    "target_group",
];

/// The page, with the problems of the last upload if it had any.
fn page(
    ctx: &PageContext,
    status: StatusCode,
    rows: Vec<String>,
    total: usize,
    problem: Option<String>,
) -> Result<HttpResponse, PageError> {
    let columns: Vec<_> = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| json!({"name": c, "needed": i < 6, "key": format!("import-column-{}", c.replace('_', "-"))}))
        .collect();
    let errors: Vec<_> = problem.iter().map(|p| json!({"field": "file", "message": p})).collect();
    let values = json!({
        "columns": columns, "rows": rows, "total": total,
        "errors": errors, "field_errors": problem.map(|p| json!({"file": p})).unwrap_or(json!({})),
    });
    ctx.render_with_status(status, "student_import.html", values)
}

async fn import_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    coordinator(&ctx)?;
    page(&ctx, StatusCode::OK, vec![], 0, None)
}

async fn import(ctx: PageContext, mut form: UploadForm) -> Result<HttpResponse, PageError> {
    let (_, school) = coordinator(&ctx)?;
    let say = |p| Some(i18n::say(&p, ctx.lang));
    if form.too_large {
        let limit = ctx.state.settings.server.max_import_bytes / (1024 * 1024);
        return page(
            &ctx,
            StatusCode::PAYLOAD_TOO_LARGE,
            vec![],
            0,
            say(crate::phrase!("import-too-large", megabytes = limit)),
        );
    }
    let Some(file) = form.file.take() else {
        return page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![],
            0,
            say(crate::phrase!("import-choose-file")),
        );
    };
    let upload = Upload { file, max_rows: ctx.state.settings.imports.max_student_rows };
    match ctx.state.db(move |conn| import_csv(conn, upload, &school)).await {
        Ok(outcome) => Ok(ctx.see_other(&format!("/students?done=imported&count={}", outcome.imported))),
        Err(ApiError::BadRows { errors, total }) => {
            let rows = row_sentences(&errors, ctx.lang);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&ctx, status, rows, total, say(crate::phrase!("import-bad-rows", count = total)))
        }
        Err(ApiError::Conflict { detail }) => page(&ctx, StatusCode::CONFLICT, vec![], 0, say(detail)),
        Err(e) => Err(ctx.fail(e)),
    }
}

/// A class list to start from: the header and two made-up students.
async fn sample(ctx: PageContext) -> Result<HttpResponse, PageError> {
    coordinator(&ctx)?;
    let body = format!(
        "{}\nAyla Demir,ayla.demir@example.org,nl,coder,2026-09-01,2027-06-30,,yes,no,no,\nSam de Vries,sam.devries@example.org,en,data_analyst,2026-09-01,2027-06-30,,no,yes,yes,unemployed\n",
        COLUMNS.join(",")
    );
    Ok(download::attachment("text/csv; charset=utf-8", "class-list-sample.csv").body(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::student::Language;

    #[test]
    fn every_column_is_explained_in_both_languages() {
        for column in COLUMNS {
            let key = format!("import-column-{}", column.replace('_', "-"));
            for lang in [Language::Nl, Language::En] {
                assert_ne!(i18n::say_key(&key, [], lang), key, "{key} {lang:?}");
            }
        }
    }
}
