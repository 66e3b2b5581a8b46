//! The OpenAPI document's frame: title, security scheme, tags. Paths and schemas are
//! collected from the handlers as they are registered (utoipa-actix-web).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "devicepool",
        description = "Lends donated laptops, wi-fi dongles and software licences to students who would otherwise drop out of tech training.",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Signing in"),
        (name = "organisations", description = "Schools and donors"),
        (name = "hubs", description = "Pick-up and return locations"),
        (name = "users", description = "Accounts"),
        (name = "donations", description = "Pledges of kit by donors"),
        (name = "devices", description = "Laptops and wi-fi dongles, from pledge to retirement"),
        (name = "licences", description = "Donated software licences and their seats"),
        (name = "tracks", description = "Programme tracks and the kit they need"),
        (name = "students", description = "Students, their needs and their personal data"),
        (name = "requests", description = "Requests for kit and the queue"),
        (name = "privacy", description = "Access log of personal data"),
        (name = "allocations", description = "Matching the pool to the queue"),
        (name = "loans", description = "Kit lent to students"),
        (name = "notifications", description = "The outbox of messages to students, schools and donors"),
        (name = "reports", description = "The pool, donors' impact and a school's view, as JSON, CSV or a chart"),
        (name = "operations", description = "Health and metrics"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build(),
            ),
        );
    }
}
