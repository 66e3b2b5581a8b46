//! The style sheet and the one small script (camera scanning), compiled into the binary and
//! served under names that hold a hash of their content, so browsers may keep them for a year
//! and still get a new one the day it changes.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use sha2::{Digest, Sha256};

/// A file the pages load: where they find it, its type and its content.
struct Asset {
    path: String,
    content_type: &'static str,
    body: &'static str,
}

fn asset_at(stem: &str, extension: &str, content_type: &'static str, body: &'static str) -> Asset {
    let hash = hex::encode(Sha256::digest(body.as_bytes()));
    Asset { path: format!("/assets/{stem}.{}.{extension}", &hash[..16]), content_type, body }
}

static STYLESHEET: LazyLock<Asset> = LazyLock::new(|| {
    asset_at("site", "css", "text/css; charset=utf-8", include_str!("../../static/site.css"))
});
static CAMERA: LazyLock<Asset> = LazyLock::new(|| {
    asset_at("camera", "js", "text/javascript; charset=utf-8", include_str!("../../static/camera.js"))
});

/// Where pages link the style sheet.
pub fn stylesheet_path() -> &'static str {
    &STYLESHEET.path
}

/// Where pages with a code field load the camera script.
pub fn camera_script_path() -> &'static str {
    &CAMERA.path
}

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/assets/{name}", web::get().to(asset));
}

async fn asset(path: web::Path<String>) -> HttpResponse {
    let wanted = format!("/assets/{}", path.into_inner());
    let Some(found) = [&*STYLESHEET, &*CAMERA].into_iter().find(|a| a.path == wanted) else {
        return HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("Not found");
    };
    HttpResponse::Ok()
        .content_type(found.content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(found.body)
}
