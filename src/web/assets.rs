//! The style sheet, compiled into the binary and served under a name that holds a hash of
//! its content, so browsers may keep it for a year and still get a new one the day it changes.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use sha2::{Digest, Sha256};

const STYLESHEET: &str = include_str!("../../static/site.css");

static STYLESHEET_PATH: LazyLock<String> = LazyLock::new(|| {
    let hash = hex::encode(Sha256::digest(STYLESHEET.as_bytes()));
    format!("/assets/site.{}.css", &hash[..16])
});

/// Where pages link the style sheet.
pub fn stylesheet_path() -> &'static str {
    &STYLESHEET_PATH
}

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/assets/{name}", web::get().to(asset));
}

async fn asset(path: web::Path<String>) -> HttpResponse {
    if format!("/assets/{}", path.into_inner()) != stylesheet_path() {
        return HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("Not found");
    }
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(STYLESHEET)
}
