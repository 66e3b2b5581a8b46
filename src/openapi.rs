//! The OpenAPI document's frame: title, security scheme, tags. Paths and schemas are
//! collected from the handlers as they are registered (utoipa-actix-web).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "devicepool",
        description = "Lends donated laptops, wi-fi dongles and software licences to students who would otherwise drop out of tech training.",
        license(name = "AGPL-3.0-or-later"),
        contact(name = "devicepool", email = "help@devicepool.example")
    ),
    servers((url = "/", description = "The server that serves this document")),
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
        (name = "class-sets", description = "Sets of devices a school borrows for a course"),
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

/// The answers many operations share, declared once. An operation lists the sets that fit it
/// before its own answers (`responses(SignedIn, JsonBody, (status = 200, …), …)`); an answer of
/// its own with the same status replaces the set's, so it can say more.
pub mod answers {
    use std::collections::BTreeMap;

    use utoipa::openapi::header::Header;
    use utoipa::openapi::response::{Response, ResponseBuilder};
    use utoipa::openapi::schema::{Object, Ref, Type};
    use utoipa::openapi::{Content, RefOr};
    use utoipa::IntoResponses;

    fn problem(description: &str) -> ResponseBuilder {
        let content = Content::new(Some(Ref::from_schema_name("Problem")));
        ResponseBuilder::new().description(description).content("application/problem+json", content)
    }

    fn with_retry_after(response: ResponseBuilder) -> ResponseBuilder {
        let seconds = Header::new(Object::with_type(Type::Integer));
        response.header("Retry-After", seconds)
    }

    fn set(answers: Vec<(u16, ResponseBuilder)>) -> BTreeMap<String, RefOr<Response>> {
        answers.into_iter().map(|(status, r)| (status.to_string(), RefOr::T(r.build()))).collect()
    }

    /// Any operation that needs a sign-in: no or a bad token (401), the database briefly
    /// away (503).
    pub struct SignedIn;

    impl IntoResponses for SignedIn {
        fn responses() -> BTreeMap<String, RefOr<Response>> {
            set(vec![
                (401, problem("Not signed in, or the sign-in has ended")),
                (503, with_retry_after(problem("The database cannot be reached for a moment"))),
            ])
        }
    }

    /// Any operation that anyone may call: too many requests from this client (429), the
    /// database briefly away (503).
    pub struct Anyone;

    impl IntoResponses for Anyone {
        fn responses() -> BTreeMap<String, RefOr<Response>> {
            set(vec![
                (429, with_retry_after(problem("Too many requests from this client: wait"))),
                (503, with_retry_after(problem("The database cannot be reached for a moment"))),
            ])
        }
    }

    /// Any operation with a JSON body: not JSON (400), too large (413), not sent as JSON
    /// (415), fields that break a rule, every one named (422).
    pub struct JsonBody;

    impl IntoResponses for JsonBody {
        fn responses() -> BTreeMap<String, RefOr<Response>> {
            set(vec![
                (400, problem("The body is not valid JSON")),
                (413, problem("The body is too large")),
                (415, problem("The body is not sent as application/json")),
                (422, problem("Some fields are not valid: each is named")),
            ])
        }
    }

    /// Any operation that takes a spreadsheet: too large (413), not CSV (415), bad rows, each
    /// with its line (422).
    pub struct CsvBody;

    impl IntoResponses for CsvBody {
        fn responses() -> BTreeMap<String, RefOr<Response>> {
            set(vec![
                (413, problem("The file is too large")),
                (415, problem("The body is not sent as text/csv")),
                (422, problem("Some rows are not valid: nothing was imported")),
            ])
        }
    }

    /// Any operation with query parameters: a query string that does not parse (400), values
    /// that break a rule (422).
    pub struct QueryString;

    impl IntoResponses for QueryString {
        fn responses() -> BTreeMap<String, RefOr<Response>> {
            set(vec![
                (400, problem("The query string is not valid")),
                (422, problem("A query parameter is not valid")),
            ])
        }
    }
}

/// The OpenAPI document as JSON, made once at start-up and shared by the workers.
#[derive(Clone)]
pub struct Document(actix_web::web::Bytes);

/// Names this deployment in the served document: its address (`server.public_base_url`) as
/// the server clients call, and `email.contact` as the contact.
pub fn name_deployment(doc: &mut utoipa::openapi::OpenApi, public_base_url: &str, contact: &str) {
    use utoipa::openapi::server::Server;
    doc.servers = Some(vec![Server::new(public_base_url.trim_end_matches('/'))]);
    if let Some(c) = doc.info.contact.as_mut() {
        c.email = Some(contact.to_owned());
    }
}

impl Document {
    /// Where the document is served (Swagger UI at `/docs` reads it from here).
    pub const PATH: &'static str = "/api-docs/openapi.json";

    pub fn of(doc: &utoipa::openapi::OpenApi) -> serde_json::Result<Document> {
        serde_json::to_vec(doc).map(|json| Document(json.into()))
    }
}

/// `GET /api-docs/openapi.json`.
pub async fn serve(document: actix_web::web::Data<Document>) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().content_type(mime::APPLICATION_JSON).body(document.0.clone())
}

/// Adds OpenAPI links, so a client (and the fuzzer in CI) can follow an object from the answer
/// that creates or lists it to every operation on it: from `POST /things` (201, the new
/// object's `id`) and from `GET /things` (200, the first item's `id`) to each operation at
/// `/things/{id}…`. Worked out from the paths, so a new route is linked without a word more.
pub fn add_links(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::link::LinkBuilder;
    use utoipa::openapi::path::Operation;
    use utoipa::openapi::RefOr;

    fn operations(item: &utoipa::openapi::PathItem) -> Vec<&Operation> {
        [&item.get, &item.post, &item.put, &item.patch, &item.delete].into_iter().flatten().collect()
    }
    // The operations on each object, by the collection path they hang off.
    let mut targets: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (path, item) in &doc.paths.paths {
        let Some(at) = path.find("/{id}") else { continue };
        let collection = path[..at].to_owned();
        for op in operations(item) {
            if let Some(id) = &op.operation_id {
                targets.entry(collection.clone()).or_default().push(id.clone());
            }
        }
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        let Some(ops) = targets.get(path.as_str()) else { continue };
        let sources = [
            (item.post.as_mut(), "201", "$response.body#/id"),
            (item.get.as_mut(), "200", "$response.body#/items/0/id"),
        ];
        for (op, status, value) in sources {
            let Some(RefOr::T(response)) = op.and_then(|op| op.responses.responses.get_mut(status)) else {
                continue;
            };
            for target in ops {
                let link = LinkBuilder::new().operation_id(target.clone()).parameter("id", value).build();
                response.links.insert(target.clone(), RefOr::T(link));
            }
        }
    }
}

/// Schemas the derive cannot bound: lists of short texts (`schema_with = …`). The request
/// bodies are checked against these schemas (`body_schema`), so the bounds here are enforced.
pub mod lists {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};

    /// The most names a list of accessories or of software may hold.
    pub const MAX_NAMES: usize = 20;

    fn texts(max_length: usize, nullable: bool) -> Schema {
        let item =
            ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(max_length));
        let kind = if nullable {
            SchemaType::from_iter([Type::Array, Type::Null])
        } else {
            SchemaType::Type(Type::Array)
        };
        Schema::Array(ArrayBuilder::new().schema_type(kind).items(item).max_items(Some(MAX_NAMES)).build())
    }

    /// Accessories by their checklist names (`loans.accessories`), or null.
    pub fn accessory_names() -> Schema {
        texts(50, true)
    }

    /// Software products by name (at most 100 characters each, as `domain::licence` takes
    /// them), or null.
    pub fn product_names() -> Schema {
        texts(100, true)
    }
}

/// Every operation of document `doc` as a Markdown table (method, path, what it does, who may
/// call it), in path order: the end of `docs/API.md`, which a test keeps equal to this.
pub fn operations_table(doc: &serde_json::Value) -> String {
    let mut out = String::from("| operation | what it does | signed in |\n| --- | --- | --- |\n");
    let empty = serde_json::Map::new();
    let mut paths: Vec<(&String, &serde_json::Value)> =
        doc["paths"].as_object().unwrap_or(&empty).iter().collect();
    paths.sort_by(|a, b| a.0.cmp(b.0));
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(method) else { continue };
            // The doc comment's first sentence (utoipa cuts the summary at the first line).
            let summary = format!(
                "{} {}",
                op["summary"].as_str().unwrap_or(""),
                op["description"].as_str().unwrap_or("")
            );
            let words = summary.split_whitespace().collect::<Vec<_>>().join(" ");
            let first = words.find(". ").map_or(words.as_str(), |end| &words[..=end]);
            let summary = first.trim().replace('|', "\\|");
            let signed_in = op.get("security").and_then(|s| s.as_array()).is_some_and(|s| !s.is_empty());
            out.push_str(&format!(
                "| `{} {path}` | {summary} | {} |\n",
                method.to_uppercase(),
                if signed_in { "yes" } else { "no" }
            ));
        }
    }
    out
}
