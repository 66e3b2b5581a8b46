//! The front door: what the service is, and the way in for each kind of user. `/docs`
//! without its slash goes to the API documentation.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::page::{PageContext, PageError};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(front_page)).route("/docs", web::get().to(to_docs));
}

async fn front_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    let mut page = ctx.render("front.html", json!({}))?;
    // Without a chosen language, the page follows Accept-Language.
    page.headers_mut().insert(header::VARY, header::HeaderValue::from_static("Accept-Language, Cookie"));
    Ok(page)
}

async fn to_docs() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header((header::LOCATION, "/docs/")).finish()
}
