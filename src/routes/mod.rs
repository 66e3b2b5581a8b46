//! HTTP handlers, one module per resource. Each module registers its own routes; handlers
//! parse, authorise, call the domain and the store, and map errors.

pub mod access_log;
pub mod allocations;
pub mod asset_lists;
pub mod auth;
pub mod certificates;
pub mod class_sets;
pub mod devices;
pub mod donations;
pub mod erasure_reports;
pub mod fallback;
pub mod fault_reports;
pub mod gifts;
pub mod health;
pub mod hubs;
pub mod in_use;
pub mod licences;
pub mod loans;
pub mod me;
pub mod organisations;
pub mod outbox;
pub mod reports;
pub mod requests;
pub mod returns;
pub mod students;
pub mod tracks;
pub mod users;

use actix_web::{http::header, HttpResponse};
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;
use crate::pagination::Page;

/// Every route under `/api/v1`; the anonymous ones behind `limit` per client address.
pub fn api_v1(limit: &crate::rate_limit::AnonymousLimit) -> impl FnOnce(&mut ServiceConfig) + '_ {
    move |cfg| {
        cfg.configure(|cfg| auth::config(cfg, limit));
        cfg.configure(|cfg| in_use::config_anonymous(cfg, limit));
        api_v1_signed_in(cfg);
    }
}

fn api_v1_signed_in(cfg: &mut ServiceConfig) {
    cfg.configure(me::config)
        .configure(organisations::config)
        .configure(hubs::config)
        .configure(users::config)
        .configure(donations::config)
        .configure(devices::config)
        .configure(licences::config)
        .configure(tracks::config)
        .configure(students::config)
        .configure(requests::config)
        .configure(access_log::config)
        .configure(allocations::config)
        .configure(loans::config)
        .configure(gifts::config)
        .configure(in_use::config)
        .configure(returns::config)
        .configure(fault_reports::config)
        .configure(outbox::config)
        .configure(reports::config)
        .configure(certificates::config)
        .configure(erasure_reports::config)
        .configure(asset_lists::config)
        .configure(class_sets::config);
}

/// 201 with a `Location` header and the created resource.
pub fn created(location: String, body: &impl Serialize) -> HttpResponse {
    HttpResponse::Created().insert_header((header::LOCATION, location)).json(body)
}

pub use crate::store::stored_id;

/// Turns a page of fallible views into a page, or the first error.
pub fn try_page<T>(page: Page<Result<T, ApiError>>) -> Result<Page<T>, ApiError> {
    Ok(Page { items: page.items.into_iter().collect::<Result<_, _>>()?, next_cursor: page.next_cursor })
}
