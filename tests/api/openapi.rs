use std::collections::{BTreeMap, BTreeSet};

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::spawn_app;

/// The routes of the API contract that this version serves.
const CONTRACT: &[(&str, &str)] = &[
    ("post", "/api/v1/auth/login"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/organisations"),
    ("post", "/api/v1/organisations"),
    ("get", "/api/v1/organisations/{id}"),
    ("patch", "/api/v1/organisations/{id}"),
    ("get", "/api/v1/users"),
    ("post", "/api/v1/users"),
    ("get", "/api/v1/users/{id}"),
    ("patch", "/api/v1/users/{id}"),
    ("post", "/api/v1/users/{id}/disable"),
    ("get", "/api/v1/hubs"),
    ("post", "/api/v1/hubs"),
    ("get", "/api/v1/hubs/{id}"),
    ("patch", "/api/v1/hubs/{id}"),
    ("get", "/api/v1/donations"),
    ("post", "/api/v1/donations"),
    ("get", "/api/v1/donations/{id}"),
    ("post", "/api/v1/donations/{id}/receive"),
    ("get", "/api/v1/devices"),
    ("post", "/api/v1/devices"),
    ("get", "/api/v1/devices/{id}"),
    ("post", "/api/v1/devices/{id}/transitions"),
    ("get", "/api/v1/devices/{id}/history"),
    ("get", "/api/v1/devices/{id}/label"),
    ("get", "/api/v1/devices/{id}/certificate"),
    ("get", "/api/v1/donations/{id}/certificate"),
    ("post", "/api/v1/erasure-reports"),
    ("post", "/api/v1/donations/{id}/asset-list"),
    ("get", "/api/v1/donations/{id}/reconciliation"),
    ("post", "/api/v1/devices/import"),
    ("get", "/api/v1/licences"),
    ("post", "/api/v1/licences"),
    ("get", "/api/v1/licences/{id}"),
    ("patch", "/api/v1/licences/{id}"),
    ("post", "/api/v1/auth/magic-link"),
    ("post", "/api/v1/auth/magic-link/redeem"),
    ("post", "/api/v1/auth/magic-link/code"),
    ("post", "/api/v1/loans/{id}/fault"),
    ("get", "/api/v1/fault-reports"),
    ("get", "/api/v1/fault-reports/{id}"),
    ("post", "/api/v1/fault-reports/{id}/swap"),
    ("post", "/api/v1/class-sets"),
    ("get", "/api/v1/class-sets"),
    ("get", "/api/v1/class-sets/{id}"),
    ("post", "/api/v1/class-sets/{id}/offer"),
    ("post", "/api/v1/class-sets/{id}/accept"),
    ("post", "/api/v1/class-sets/{id}/handover"),
    ("post", "/api/v1/class-sets/{id}/return"),
    ("post", "/api/v1/class-sets/{id}/report-lost"),
    ("post", "/api/v1/class-sets/{id}/write-off"),
    ("post", "/api/v1/class-sets/{id}/cancel"),
    ("get", "/api/v1/class-set-agreement"),
    ("patch", "/api/v1/donations/{id}"),
    ("post", "/api/v1/loans/{id}/gift"),
    ("post", "/api/v1/loans/{id}/gift/accept"),
    ("get", "/api/v1/gift-agreement"),
    ("post", "/api/v1/in-use-rounds"),
    ("get", "/api/v1/in-use-rounds/current"),
    ("post", "/api/v1/loans/{id}/in-use"),
    ("post", "/api/v1/in-use-answers"),
    ("post", "/api/v1/returns"),
    ("patch", "/api/v1/me"),
    ("post", "/api/v1/me/password"),
    ("post", "/api/v1/me/sign-out-everywhere"),
    ("post", "/api/v1/allocations/decide-hub"),
    ("post", "/api/v1/loans/{id}/counter-handover"),
    ("get", "/api/v1/me/loans"),
    ("get", "/api/v1/tracks"),
    ("get", "/api/v1/tracks/{code}"),
    ("patch", "/api/v1/tracks/{code}"),
    ("get", "/api/v1/students"),
    ("post", "/api/v1/students"),
    ("get", "/api/v1/students/{id}"),
    ("patch", "/api/v1/students/{id}"),
    ("delete", "/api/v1/students/{id}"),
    ("get", "/api/v1/students/{id}/export"),
    ("post", "/api/v1/students/import"),
    ("get", "/api/v1/requests"),
    ("post", "/api/v1/requests"),
    ("get", "/api/v1/requests/{id}"),
    ("post", "/api/v1/requests/{id}/cancel"),
    ("get", "/api/v1/access-log"),
    ("post", "/api/v1/allocations/run"),
    ("get", "/api/v1/allocations"),
    ("get", "/api/v1/allocations/{id}"),
    ("post", "/api/v1/allocations/{id}/confirm"),
    ("post", "/api/v1/allocations/{id}/reject"),
    ("get", "/api/v1/travel-costs"),
    ("post", "/api/v1/travel-costs"),
    ("get", "/api/v1/allocation-caps"),
    ("post", "/api/v1/allocation-caps"),
    ("get", "/api/v1/loans"),
    ("get", "/api/v1/loans/{id}"),
    ("post", "/api/v1/loans/{id}/accept"),
    ("post", "/api/v1/loans/{id}/extend"),
    ("post", "/api/v1/loans/{id}/extension/approve"),
    ("post", "/api/v1/loans/{id}/extension/refuse"),
    ("get", "/api/v1/loans/{id}/history"),
    ("get", "/api/v1/loan-agreement"),
    ("get", "/api/v1/outbox"),
    ("post", "/api/v1/auth/invitation/accept"),
    ("post", "/api/v1/auth/password-reset"),
    ("post", "/api/v1/auth/password-reset/redeem"),
    ("post", "/api/v1/allocations"),
    ("post", "/api/v1/outbox/{id}/requeue"),
    ("post", "/api/v1/loans/{id}/handover"),
    ("post", "/api/v1/loans/{id}/return"),
    ("post", "/api/v1/loans/{id}/report-lost"),
    ("post", "/api/v1/loans/{id}/write-off"),
    ("get", "/api/v1/reports/pool"),
    ("get", "/api/v1/reports/impact"),
    ("get", "/api/v1/reports/school"),
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/metrics"),
];

/// Every (method, path) the document lists.
pub(crate) fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object().expect("path item").keys().map(move |method| (method.clone(), path.clone()))
        })
        .collect()
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_and_the_server_serves_every_listed_one() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let doc: Value = app
        .client
        .get(app.url("/api-docs/openapi.json"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "OpenAPI 3.1");
    let documented = operations(&doc);
    let expected: BTreeSet<(String, String)> =
        CONTRACT.iter().map(|(m, p)| ((*m).to_owned(), (*p).to_owned())).collect();
    let unlisted: Vec<_> = documented.difference(&expected).collect();
    let unserved: Vec<_> = expected.difference(&documented).collect();
    assert!(
        unlisted.is_empty() && unserved.is_empty(),
        "documented routes differ from the served contract: not in CONTRACT {unlisted:?}; not documented {unserved:?}"
    );

    // Each documented operation reaches a handler: never the "no such route" fallback.
    let fallback: Value =
        app.client.get(app.url("/no/such/route")).send().await.expect("sent").json().await.expect("json");
    for (method, path) in &documented {
        let concrete = path.replace("{id}", &uuid::Uuid::now_v7().to_string()).replace("{code}", "coder");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let res = app.request(method.clone(), &concrete, Some(&admin), Some(serde_json::json!({}))).await;
        assert_ne!(res.status(), StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        if res.status() == StatusCode::NOT_FOUND {
            let body: Value = res.json().await.expect("json");
            assert_ne!(body["detail"], fallback["detail"], "{method} {path} is documented but not served");
        }
    }
}

#[tokio::test]
async fn the_docs_page_is_served_without_the_internet() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/docs/")).send().await.expect("sent");
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    assert!(html.contains("swagger-ui"), "Swagger UI page");
    assert!(!html.contains("cdn."), "no scripts from a CDN");
    let res = app.client.get(app.url("/docs/swagger-ui-bundle.js")).send().await.expect("sent");
    assert_eq!(res.status(), StatusCode::OK, "the bundle is vendored into the binary");
    let res = app.client.get(app.url("/docs/swagger-initializer.js")).send().await.expect("sent");
    assert_eq!(res.status(), StatusCode::OK);
    let script = res.text().await.expect("script");
    assert!(script.contains("\"/api-docs/openapi.json\""), "Swagger UI reads the served document: {script}");
}

#[tokio::test]
async fn the_front_door_names_the_service_and_docs_without_its_slash_leads_to_the_docs() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/docs")).send().await.expect("sent");
    assert_eq!(res.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(res.headers()["location"], "/docs/");
    for (language, words) in [("nl-NL,nl;q=0.9", "Lees hoe de API werkt"), ("en", "Read how the API works")] {
        let res = app
            .client
            .get(app.url("/"))
            .header("accept", "text/html")
            .header("accept-language", language)
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "text/html; charset=utf-8");
        let html = res.text().await.expect("html");
        assert!(html.contains(words) && html.contains("href=\"/docs/\""), "{html}");
    }
}

#[tokio::test]
async fn creates_and_lists_link_to_the_operations_on_their_objects() {
    let app = spawn_app().await;
    let doc: Value = app
        .client
        .get(app.url("/api-docs/openapi.json"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let links = |path: &str, method: &str, status: &str| -> Vec<(String, Value)> {
        doc["paths"][path][method]["responses"][status]["links"]
            .as_object()
            .map(|l| l.iter().map(|(k, v)| (k.clone(), v["parameters"]["id"].clone())).collect())
            .unwrap_or_default()
    };
    let created = links("/api/v1/students", "post", "201");
    let names: Vec<&str> = created.iter().map(|(k, _)| k.as_str()).collect();
    for op in ["get_student", "update_student", "erase_student", "export_student"] {
        assert!(names.contains(&op), "{op} in {names:?}");
    }
    assert!(created.iter().all(|(_, id)| id == "$response.body#/id"));
    let listed = links("/api/v1/loans", "get", "200");
    assert!(
        listed
            .iter()
            .any(|(k, id)| k == "hand_over_route"
                || (k.contains("loan") && id == "$response.body#/items/0/id")),
        "{listed:?}"
    );
    // Every link names an operation that exists.
    let ids: BTreeSet<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_object().into_iter().flat_map(|m| m.values()))
        .filter_map(|op| op["operationId"].as_str().map(str::to_owned))
        .collect();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for op in item.as_object().expect("item").values() {
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                for link in response["links"].as_object().into_iter().flatten().map(|(_, l)| l) {
                    let target = link["operationId"].as_str().expect("operationId");
                    assert!(ids.contains(target), "{path} {status}: {target}");
                }
            }
        }
    }
}

/// Every `$ref` in `value`, with where it is.
fn refs<'a>(value: &'a Value, at: &str, out: &mut Vec<(String, &'a str)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push((at.to_owned(), r)),
                    _ => refs(v, &format!("{at}/{key}"), out),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                refs(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Every schema a request body can hold, followed through `$ref`, `oneOf`, `allOf`,
/// properties and items, each with the path to it; each named schema visited once.
fn body_schemas<'a>(
    doc: &'a Value,
    schema: &'a Value,
    at: String,
    seen: &mut BTreeSet<String>,
    out: &mut Vec<(String, &'a Value)>,
) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        if seen.insert(r.to_owned()) {
            let target = doc.pointer(r.trim_start_matches('#')).unwrap_or(&Value::Null);
            body_schemas(doc, target, format!("{at}→{}", r.rsplit('/').next().unwrap_or(r)), seen, out);
        }
        return;
    }
    out.push((at.clone(), schema));
    for key in ["oneOf", "anyOf", "allOf"] {
        for (i, s) in schema.get(key).and_then(Value::as_array).into_iter().flatten().enumerate() {
            body_schemas(doc, s, format!("{at}/{key}/{i}"), seen, out);
        }
    }
    for (name, s) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        body_schemas(doc, s, format!("{at}.{name}"), seen, out);
    }
    if let Some(items) = schema.get("items") {
        body_schemas(doc, items, format!("{at}[]"), seen, out);
    }
}

/// The types a schema allows: `"string"` or `["string", "null"]`.
fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// What a generated client needs of the document: every reference resolves, every value a
/// request may send is bounded, and the answers a throttle or a missing token give are listed.
#[test]
fn a_client_generator_can_use_the_whole_document() {
    let doc = serde_json::to_value(devicepool::startup::openapi()).expect("document");
    let mut found = Vec::new();
    refs(&doc, "", &mut found);
    assert!(found.len() > 100, "read the references: {}", found.len());
    let dangling: Vec<String> = found
        .iter()
        .filter(|(_, r)| !r.starts_with("#/") || doc.pointer(&r[1..]).is_none())
        .map(|(at, r)| format!("{at}: {r}"))
        .collect();
    assert!(dangling.is_empty(), "references to nothing: {dangling:#?}");

    assert!(doc.pointer("/info/contact/email").is_some(), "a contact");
    assert!(doc["servers"].as_array().is_some_and(|s| !s.is_empty()), "the servers");

    let mut unbounded = Vec::new();
    let (mut unlisted_401, mut unlisted_429) = (Vec::new(), Vec::new());
    // A generator names each method after its operation id: two alike make a client that
    // does not compile (and schemathesis refuses the document).
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            let name = format!("{method} {path}");
            match op["operationId"].as_str() {
                Some(id) => ids.entry(id.to_owned()).or_default().push(name.clone()),
                None => ids.entry(String::new()).or_default().push(name.clone()),
            }
            let statuses = op["responses"].as_object().expect("responses");
            let signed_in = op.get("security").and_then(Value::as_array).is_some_and(|s| !s.is_empty());
            if signed_in && !statuses.contains_key("401") {
                unlisted_401.push(name.clone());
            }
            if path.starts_with("/api/v1/auth/") && method == "post" && !statuses.contains_key("429") {
                unlisted_429.push(name.clone());
            }
            let Some(body) = op.pointer("/requestBody/content/application~1json/schema") else { continue };
            let mut schemas = Vec::new();
            body_schemas(&doc, body, name.clone(), &mut BTreeSet::new(), &mut schemas);
            for (at, schema) in schemas {
                let kinds = types(schema);
                let format = schema.get("format").and_then(Value::as_str);
                // A uuid, a date or a choice from a list is bounded by what it is.
                let fixed =
                    schema.get("enum").is_some() || matches!(format, Some("uuid" | "date" | "date-time"));
                if kinds.contains(&"string") && !fixed && schema.get("maxLength").is_none() {
                    unbounded.push(format!("{at}: a string without maxLength"));
                }
                if kinds.contains(&"array") && schema.get("maxItems").is_none() {
                    unbounded.push(format!("{at}: an array without maxItems"));
                }
                if kinds.contains(&"integer")
                    && (schema.get("minimum").is_none() || schema.get("maximum").is_none())
                {
                    unbounded.push(format!("{at}: an integer without minimum and maximum"));
                }
            }
        }
    }
    let twice: Vec<_> = ids.iter().filter(|(id, ops)| id.is_empty() || ops.len() > 1).collect();
    assert!(ids.len() > 50, "read the operation ids: {}", ids.len());
    assert!(twice.is_empty(), "operations without an id of their own (\"\" = none): {twice:#?}");
    assert!(unbounded.is_empty(), "request values without bounds: {unbounded:#?}");
    assert!(unlisted_401.is_empty(), "signed-in operations without 401: {unlisted_401:#?}");
    assert!(unlisted_429.is_empty(), "throttled operations without 429: {unlisted_429:#?}");
}

/// `docs/API.md` is the contract, in the repository: its table of operations is the one the
/// served document makes, and every path it names outside a section marked planned is served.
#[test]
fn docs_api_md_is_in_step_with_what_the_server_serves() {
    let doc = serde_json::to_value(devicepool::startup::openapi()).expect("document");
    let text = std::fs::read_to_string("docs/API.md").expect("docs/API.md");
    let (contract, rest) = text.split_once("<!-- operations:start -->\n").expect("the start marker");
    let table = rest.split("<!-- operations:end -->").next().expect("the end marker");
    let expected = devicepool::openapi::operations_table(&doc);
    let missing: Vec<&str> = expected.lines().filter(|l| !table.lines().any(|t| t == *l)).collect();
    let extra: Vec<&str> = table.lines().filter(|l| !expected.lines().any(|e| e == *l)).collect();
    assert!(
        table == expected,
        "docs/API.md is behind the server: put the output of `devicepool openapi --markdown` between \
         its markers. Missing: {missing:#?}; not served: {extra:#?}"
    );
    let served: BTreeSet<&str> =
        doc["paths"].as_object().expect("paths").keys().map(String::as_str).collect();
    let (mut planned, mut named, mut unserved) = (false, 0, Vec::new());
    for line in contract.lines() {
        if line.starts_with("## ") {
            planned = false;
        }
        if line == "*Planned: not served yet.*" {
            planned = true;
        }
        for (at, _) in line.match_indices("/api/v1/") {
            let path: String = line[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "_/{}-.".contains(*c))
                .collect();
            let path = path.trim_end_matches(['.', '/']);
            named += 1;
            if !planned && !served.contains(path) {
                unserved.push(path.to_owned());
            }
        }
    }
    assert!(named > 50, "read the contract's paths: {named}");
    assert!(unserved.is_empty(), "the contract names paths the server does not serve: {unserved:?}");
}
