//! Whatever a person can do on a page, a program can do over `/api/v1`: the list of every
//! page form and the API operation that does the same (the same workflow), checked against
//! the routes the pages register and the operations the document lists; and the twins added
//! for the pages that had none.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{problem, spawn_app, PASSWORD};

/// Every page form (the path it posts to) and its API twin, or why it has none.
const TWINS: &[(&str, &str)] = &[
    ("/login", "post /api/v1/auth/login"),
    ("/logout", "page only: ends this browser's session; an access token simply expires"),
    ("/sign-in", "post /api/v1/auth/magic-link"),
    ("/sign-in/link", "post /api/v1/auth/magic-link/redeem"),
    ("/sign-in/code", "post /api/v1/auth/magic-link/code"),
    ("/forgot-password", "post /api/v1/auth/password-reset"),
    ("/reset-password", "post /api/v1/auth/password-reset/redeem"),
    ("/accept-invitation", "post /api/v1/auth/invitation/accept"),
    ("/account/language", "patch /api/v1/me"),
    ("/account/password", "post /api/v1/me/password"),
    ("/account/sign-out-everywhere", "post /api/v1/me/sign-out-everywhere"),
    ("/accounts", "post /api/v1/users"),
    ("/accounts/{id}/disable", "post /api/v1/users/{id}/disable"),
    ("/organisations/new", "post /api/v1/organisations"),
    ("/organisations/{id}", "patch /api/v1/organisations/{id}"),
    ("/organisations/{id}/invite", "post /api/v1/users"),
    ("/hubs/new", "post /api/v1/hubs"),
    ("/hubs/{id}", "patch /api/v1/hubs/{id}"),
    ("/donations/new", "post /api/v1/donations"),
    ("/donations/{id}/devices/new", "post /api/v1/devices"),
    ("/donations/{id}/licences/new", "post /api/v1/licences"),
    ("/donations/{id}/devices/import", "post /api/v1/devices/import"),
    ("/donations/{id}/asset-list", "post /api/v1/donations/{id}/asset-list"),
    ("/erasure-reports", "post /api/v1/erasure-reports"),
    ("/devices/{id}/steps/{action}", "post /api/v1/devices/{id}/transitions"),
    ("/scan/session", "post /api/v1/devices/{id}/transitions"),
    ("/scan/end", "page only: a scan session lives in the page; ending it changes nothing stored"),
    ("/returns/{loan}", "post /api/v1/loans/{id}/return"),
    ("/returns/stack", "post /api/v1/returns"),
    ("/handovers/{loan}", "post /api/v1/loans/{id}/counter-handover"),
    ("/faults/{id}/swap", "post /api/v1/fault-reports/{id}/swap"),
    ("/class-sets/new", "post /api/v1/class-sets"),
    ("/class-sets/{id}/accept", "post /api/v1/class-sets/{id}/accept"),
    ("/class-sets/{id}/cancel", "post /api/v1/class-sets/{id}/cancel"),
    ("/class-sets/{id}/offer", "post /api/v1/class-sets/{id}/offer"),
    ("/class-sets/{id}/handover", "post /api/v1/class-sets/{id}/handover"),
    ("/class-sets/{id}/return", "post /api/v1/class-sets/{id}/return"),
    ("/scan/class-set", "post /api/v1/class-sets/{id}/handover"),
    ("/class-sets/{id}/report-lost", "post /api/v1/class-sets/{id}/report-lost"),
    ("/class-sets/{id}/write-off", "post /api/v1/class-sets/{id}/write-off"),
    ("/loans/{id}/accept", "post /api/v1/loans/{id}/accept"),
    ("/loans/{id}/gift", "post /api/v1/loans/{id}/gift"),
    ("/in-use", "post /api/v1/in-use-answers"),
    ("/in-use-rounds", "post /api/v1/in-use-rounds"),
    ("/loans/{id}/in-use", "post /api/v1/loans/{id}/in-use"),
    ("/donations/{id}/gifts", "patch /api/v1/donations/{id}"),
    ("/loans/{id}/more-time", "post /api/v1/loans/{id}/extend"),
    ("/loans/{id}/problem", "post /api/v1/loans/{id}/fault"),
    ("/matching/run", "post /api/v1/allocations/run"),
    ("/matching/proposals/{id}/{decision}", "post /api/v1/allocations/{id}/confirm"),
    ("/matching/hubs/{decision}", "post /api/v1/allocations/decide-hub"),
    ("/matching/caps", "post /api/v1/allocation-caps"),
    ("/matching/travel", "post /api/v1/travel-costs"),
    ("/queues/extensions/{loan}/{decision}", "post /api/v1/loans/{id}/extension/approve"),
    ("/queues/mail/{id}/requeue", "post /api/v1/outbox/{id}/requeue"),
    ("/students/new", "post /api/v1/students"),
    ("/students/import", "post /api/v1/students/import"),
    ("/students/{id}/edit", "patch /api/v1/students/{id}"),
    ("/students/{id}/erase", "delete /api/v1/students/{id}"),
    ("/students/{id}/request-kit", "post /api/v1/requests"),
    ("/requests/{id}/cancel", "post /api/v1/requests/{id}/cancel"),
];

/// Every path the pages take a POST on, read from `src/web/`.
fn page_posts() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir("src/web").expect("src/web").filter_map(|e| e.ok()) {
        let text = std::fs::read_to_string(entry.path()).expect("file");
        // `.route("/path", web::post()…)`, or `web::resource("/path")….route(web::post()…)`.
        let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for (at, _) in joined.match_indices("web::post()") {
            let before = &joined[..at];
            let start = before.rfind("(\"").expect("a path before web::post()") + 2;
            let path = &before[start..];
            found.insert(path[..path.find('"').expect("closing quote")].to_owned());
        }
    }
    found
}

#[test]
fn every_page_form_has_its_api_twin_in_the_document() {
    let doc = serde_json::to_value(devicepool::startup::openapi()).expect("document");
    let posts = page_posts();
    assert!(posts.len() > 40 && posts.contains("/faults/{id}/swap"), "read the page routes: {posts:?}");
    let listed: BTreeSet<String> = TWINS.iter().map(|(page, _)| (*page).to_owned()).collect();
    let unlisted: Vec<&String> = posts.difference(&listed).collect();
    assert!(unlisted.is_empty(), "page forms without a line in TWINS: {unlisted:?}");
    let gone: Vec<&String> = listed.difference(&posts).collect();
    assert!(gone.is_empty(), "TWINS lists page forms that are gone: {gone:?}");
    for (page, twin) in TWINS {
        if twin.starts_with("page only: ") {
            continue;
        }
        let (method, path) = twin.split_once(' ').expect("method and path");
        assert!(doc["paths"][path][method].is_object(), "{page}: the document has no {twin}");
    }
}

#[tokio::test]
async fn the_account_page_twins_change_the_language_and_password_and_sign_out_everywhere() {
    let app = spawn_app().await;
    let (email, _) = crate::web::staff_account(&app).await;
    let token = app.token_for(&email).await;
    let res = app
        .request(Method::PATCH, "/api/v1/me", Some(&token), Some(json!({"preferred_language": "fr"})))
        .await;
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app
        .request(Method::PATCH, "/api/v1/me", Some(&token), Some(json!({"preferred_language": "en"})))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.expect("json")["preferred_language"], "en");
    let me: Value = app.get("/api/v1/me", &token).await.json().await.expect("me");
    assert_eq!(me["preferred_language"], "en", "kept: {me}");

    let wrong = json!({"current_password": "not the password", "new_password": "short"});
    let res = app.post("/api/v1/me/password", &token, wrong).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> =
        body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["current_password", "new_password"], "both at once: {body}");
    let new_password = "a brand new long password";
    let res = app
        .post(
            "/api/v1/me/password",
            &token,
            json!({"current_password": PASSWORD, "new_password": new_password}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let fresh = res.json::<Value>().await.expect("json")["access_token"].as_str().expect("token").to_owned();
    assert_eq!(app.get("/api/v1/me", &token).await.status(), StatusCode::UNAUTHORIZED, "the old token ended");
    assert_eq!(app.get("/api/v1/me", &fresh).await.status(), StatusCode::OK);
    let login = json!({"email": email, "password": new_password});
    assert_eq!(
        app.request(Method::POST, "/api/v1/auth/login", None, Some(login)).await.status(),
        StatusCode::OK
    );

    let res = app.post("/api/v1/me/sign-out-everywhere", &fresh, json!({})).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/me", &fresh).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_hand_over_counter_in_one_step_over_the_api() {
    let app = spawn_app().await;
    let (staff, coordinator, _, loan, _, _) = crate::fixtures::confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id");
    let path = format!("/api/v1/loans/{id}/counter-handover");
    let res = app.post(&path, &coordinator, json!({"agree": true})).await;
    problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    // The student has not accepted the agreement, and did not here either.
    let res = app.post(&path, &staff, json!({"accessories_given": ["charger"]})).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "agree", "{body}");
    let res =
        app.post(&path, &staff, json!({"agree": true, "accessories_given": ["charger", "unicorn"]})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let handed: Value = res.json().await.expect("json");
    assert_eq!(handed["state"], "active", "{handed}");
    assert_eq!(handed["accessories"], json!(["charger"]), "only what the loan lists: {handed}");
    assert!(handed["accepted_at"].is_string(), "accepted at the counter: {handed}");
    // Once only: the loan no longer waits at the counter.
    problem(app.post(&path, &staff, json!({"agree": true})).await, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn every_proposal_of_a_hub_is_decided_in_one_call() {
    let app = spawn_app().await;
    let (staff, hub) = crate::fixtures::one_laptop_two_students(&app).await;
    let run: Value = app.post("/api/v1/allocations/run", &staff, json!({})).await.json().await.expect("json");
    assert_eq!(run["proposals"].as_array().map(Vec::len), Some(1), "{run}");
    let elsewhere = json!({"hub_id": uuid::Uuid::now_v7(), "decision": "confirm"});
    let decided: Value =
        app.post("/api/v1/allocations/decide-hub", &staff, elsewhere).await.json().await.expect("json");
    assert_eq!(decided, json!({"done": 0, "skipped": 0}), "another hub's proposals are left");
    let bad = json!({"hub_id": hub, "decision": "maybe"});
    problem(
        app.post("/api/v1/allocations/decide-hub", &staff, bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let this = json!({"hub_id": hub, "decision": "confirm"});
    let res = app.post("/api/v1/allocations/decide-hub", &staff, this.clone()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.expect("json"), json!({"done": 1, "skipped": 0}));
    let loans: Value = app.get("/api/v1/loans", &staff).await.json().await.expect("json");
    assert_eq!(
        loans["items"].as_array().map(Vec::len),
        Some(1),
        "the confirmed proposal opened a loan: {loans}"
    );
    let again: Value =
        app.post("/api/v1/allocations/decide-hub", &staff, this).await.json().await.expect("json");
    assert_eq!(again["done"], 0, "nothing left to decide: {again}");
}
