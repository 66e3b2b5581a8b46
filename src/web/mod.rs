//! The web pages: server-rendered HTML for people, beside `/api/v1`, from the same binary and
//! calling the same workflows. Plain forms (POST → 303 → GET), no JavaScript. Templates are in
//! `templates/web/`, their words in the language catalogue (`locales/*/pages.ftl`).

pub mod account;
pub mod accounts;
pub mod asset_lists;
pub mod assets;
pub mod class_list;
pub mod class_sets;
pub mod desk;
pub mod device_import;
pub mod device_step;
pub mod donations;
pub mod erasure_reports;
pub mod faults;
pub mod form;
pub mod front;
pub mod gifts;
pub mod handovers;
pub mod hubs;
pub mod in_use;
pub mod loans;
pub mod matching;
pub mod matching_rules;
pub mod my_data;
pub mod my_kit;
pub mod organisations;
pub mod page;
pub mod passwords;
pub mod queues;
pub mod reports;
pub mod return_stack;
pub mod returns;
pub mod scan;
pub mod sign_in;
pub mod start;
pub mod student_form;
pub mod student_import;
pub mod student_sign_in;
pub mod students;
pub mod templates;
pub mod upload;

use crate::rate_limit::AnonymousLimit;

/// Every page route; the sign-in pages behind `limit`, the limit of their API twins.
pub fn config(limit: &AnonymousLimit) -> impl FnOnce(&mut actix_web::web::ServiceConfig) + '_ {
    move |cfg| {
        cfg.configure(|c| sign_in::config(c, limit))
            .configure(|c| student_sign_in::config(c, limit))
            .configure(|c| passwords::config(c, limit))
            .configure(|c| in_use::config(c, limit))
            .configure(pages);
    }
}

fn pages(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.configure(front::config)
        .configure(account::config)
        .configure(assets::config)
        .configure(start::config)
        .configure(my_kit::config)
        .configure(loans::config)
        .configure(gifts::config)
        .configure(my_data::config)
        .configure(student_import::config)
        .configure(students::config)
        .configure(device_import::config)
        .configure(donations::config)
        .configure(reports::config)
        .configure(desk::config)
        .configure(scan::config)
        .configure(handovers::config)
        .configure(matching_rules::config)
        .configure(matching::config)
        .configure(faults::config)
        .configure(hubs::config)
        .configure(erasure_reports::config)
        .configure(asset_lists::config)
        .configure(organisations::config)
        .configure(accounts::config)
        .configure(queues::config)
        .configure(return_stack::config)
        .configure(returns::config)
        .configure(class_sets::config);
}
