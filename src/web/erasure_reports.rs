//! Taking in an erasure tool's report from the page: the same workflow as
//! `POST /api/v1/erasure-reports`. All rows or none: a bad file shows each bad row; a good one
//! says how many drives passed, and lists the failed ones to wipe again or send to the recycler.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::desk::staff;
use super::device_import::refused;
use super::page::{PageContext, PageError};
use super::upload::UploadForm;
use crate::i18n;
use crate::workflows::erasure_reports::take_in;
use crate::workflows::imports::Upload;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/erasure-reports", web::get().to(report_page))
        .route("/erasure-reports", web::post().to(upload));
}

fn page(
    ctx: &PageContext,
    status: StatusCode,
    result: Value,
    rows: Vec<String>,
    total: usize,
    problem: Option<String>,
) -> Result<HttpResponse, PageError> {
    let errors: Vec<_> = problem.iter().map(|p| json!({"field": "file", "message": p})).collect();
    let values = json!({
        "result": result, "rows": rows, "total": total, "errors": errors,
        "field_errors": problem.map(|p| json!({"file": p})).unwrap_or(json!({})),
    });
    ctx.render_with_status(status, "erasure_report.html", values)
}

async fn report_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    page(&ctx, StatusCode::OK, Value::Null, vec![], 0, None)
}

async fn upload(ctx: PageContext, mut form: UploadForm) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let say = |p| Some(i18n::say(&p, ctx.lang));
    if form.too_large {
        let limit = ctx.state.settings.server.max_import_bytes / (1024 * 1024);
        let problem = say(crate::phrase!("import-too-large", megabytes = limit));
        return page(&ctx, StatusCode::PAYLOAD_TOO_LARGE, Value::Null, vec![], 0, problem);
    }
    let Some(file) = form.file.take() else {
        let problem = say(crate::phrase!("import-choose-file"));
        return page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, Value::Null, vec![], 0, problem);
    };
    let upload = Upload { file, max_rows: ctx.state.settings.imports.max_erasure_report_rows };
    let outcome = ctx.state.db(move |conn| take_in(conn, upload, &actor)).await;
    match outcome {
        Ok(result) => {
            let result = serde_json::to_value(result).unwrap_or(Value::Null);
            page(&ctx, StatusCode::OK, result, vec![], 0, None)
        }
        Err(e) => {
            let (status, rows, total, problem) = refused(&ctx, e)?;
            page(&ctx, status, Value::Null, rows, total, Some(problem))
        }
    }
}
