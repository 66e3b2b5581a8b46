//! "My data": everything held about the signed-in student, readable, and as a download: the
//! same export as `GET /api/v1/students/{id}/export`, logged the same way.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde_json::json;

use super::page::{PageContext, PageError, PageFailure};
use crate::domain::Role;
use crate::download;
use crate::middleware::RequestId;
use crate::routes::students::privacy::StudentExport;
use crate::workflows::students::export;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/my-data", web::get().to(my_data)).route("/my-data/download", web::get().to(download));
}

async fn held(ctx: &PageContext, request_id: RequestId) -> Result<StudentExport, PageError> {
    let session = ctx.signed_in()?;
    let Some(student_id) = session.user.student_id.clone().filter(|_| session.role == Role::Student) else {
        return Err(PageError::new(ctx.lang, PageFailure::NotFound));
    };
    let actor = session.user.id.clone();
    let (weights, today) = (ctx.state.settings.priority, Utc::now().date_naive());
    let held = ctx
        .state
        .db(move |conn| {
            export(conn, &student_id, None, (&actor, Role::Student), &request_id.0, &weights, today)
        })
        .await
        .map_err(|e| ctx.fail(e))?;
    StudentExport::from_held(held, today).map_err(|e| ctx.fail(e))
}

async fn my_data(ctx: PageContext, request_id: RequestId) -> Result<HttpResponse, PageError> {
    let held = held(&ctx, request_id).await?;
    ctx.render("my_data.html", json!({"held": held}))
}

async fn download(ctx: PageContext, request_id: RequestId) -> Result<HttpResponse, PageError> {
    let held = held(&ctx, request_id).await?;
    Ok(download::attachment("application/json", "my-data.json")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(held))
}
