//! A donor's asset list on the pages: `/donations/{id}/reconciliation` shows the donation set
//! against it (with a CSV download) and takes a new list, through the same workflow as
//! `/api/v1/donations/{id}/asset-list`. Another donor's donation is the 404 page.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::device_import::refused;
use super::donations::donor;
use super::page::{PageContext, PageError};
use super::upload::UploadForm;
use crate::download;
use crate::i18n;
use crate::workflows::asset_lists::{reconciliation, send_list, Reconciliation};
use crate::workflows::imports::Upload;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/donations/{id}/reconciliation", web::get().to(reconciliation_page))
        .route("/donations/{id}/asset-list", web::post().to(upload));
}

/// What the page shows: the reconciliation, a notice, and the bad lines of a refused file.
struct Shown {
    status: StatusCode,
    sent: bool,
    rows: Vec<String>,
    total: usize,
    problem: Option<String>,
}

fn page(ctx: &PageContext, r: &Reconciliation, shown: Shown) -> Result<HttpResponse, PageError> {
    let errors: Vec<_> = shown.problem.iter().map(|p| json!({"field": "file", "message": p})).collect();
    let values = json!({
        "r": r, "sent": shown.sent, "rows": shown.rows, "total": shown.total, "errors": errors,
        "field_errors": shown.problem.map(|p| json!({"file": p})).unwrap_or(json!({})), "wide": true,
    });
    ctx.render_with_status(shown.status, "reconciliation.html", values)
}

async fn load(ctx: &PageContext, id: &str) -> Result<Reconciliation, PageError> {
    let (_, org) = donor(ctx)?;
    let id = ctx.object_id(id)?;
    ctx.state.db(move |conn| reconciliation(conn, &id, Some(&org))).await.map_err(|e| ctx.fail(e))
}

async fn reconciliation_page(
    ctx: PageContext,
    id: web::Path<String>,
    query: web::Query<std::collections::HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let r = load(&ctx, &id).await?;
    if query.get("format").is_some_and(|f| f == "csv") {
        let body = crate::render::reconciliation::csv(&r, ctx.lang)
            .ok_or_else(|| ctx.fail(crate::error::ApiError::internal("reconciliation csv")))?;
        let name = format!("reconciliation-{}", r.donation_id);
        return Ok(download::attachment("text/csv; charset=utf-8", &format!("{name}.csv")).body(body));
    }
    let sent = query.get("done").is_some_and(|d| d == "sent");
    page(&ctx, &r, Shown { status: StatusCode::OK, sent, rows: vec![], total: 0, problem: None })
}

async fn upload(
    ctx: PageContext,
    id: web::Path<String>,
    mut form: UploadForm,
) -> Result<HttpResponse, PageError> {
    let (actor, org) = donor(&ctx)?;
    let id = ctx.object_id(&id)?;
    let refuse = |ctx: &PageContext, r: &Reconciliation, status, rows, total, problem| {
        page(ctx, r, Shown { status, sent: false, rows, total, problem: Some(problem) })
    };
    if form.too_large {
        let limit = ctx.state.settings.server.max_import_bytes / (1024 * 1024);
        let r = load(&ctx, &id).await?;
        let problem = i18n::say(&crate::phrase!("import-too-large", megabytes = limit), ctx.lang);
        return refuse(&ctx, &r, StatusCode::PAYLOAD_TOO_LARGE, vec![], 0, problem);
    }
    let Some(file) = form.file.take() else {
        let r = load(&ctx, &id).await?;
        let problem = i18n::say(&crate::phrase!("import-choose-file"), ctx.lang);
        return refuse(&ctx, &r, StatusCode::UNPROCESSABLE_ENTITY, vec![], 0, problem);
    };
    let (donation, scope) = (id.clone(), org.clone());
    let upload = Upload { file, max_rows: ctx.state.settings.imports.max_asset_list_rows };
    let outcome = ctx.state.db(move |conn| send_list(conn, &donation, Some(&scope), upload, &actor)).await;
    match outcome {
        Ok(_) => Ok(ctx.see_other(&format!("/donations/{id}/reconciliation?done=sent"))),
        Err(e) => {
            let (status, rows, total, problem) = refused(&ctx, e)?;
            let r = load(&ctx, &id).await?;
            refuse(&ctx, &r, status, rows, total, problem)
        }
    }
}
