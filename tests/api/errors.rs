use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{break_database, problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn malformed_json_is_400_malformed_json() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for body in ["{", "{\"name\": \"x\",}", "not json", "{\"name\": \"x\", \"kind\": \"school\"} trailing"] {
        let res = app
            .client
            .post(app.url("/api/v1/organisations"))
            .bearer_auth(&admin)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("sent");
        problem(res, StatusCode::BAD_REQUEST, "malformed_json").await;
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for content_type in [None, Some("text/plain"), Some("application/x-www-form-urlencoded")] {
        let mut req = app
            .client
            .post(app.url("/api/v1/hubs"))
            .bearer_auth(&admin)
            .body(r#"{"name":"x","address":"y"}"#);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        problem(
            req.send().await.expect("sent"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        )
        .await;
    }
    // A JSON subtype with a charset is JSON.
    let res = app
        .client
        .post(app.url("/api/v1/hubs"))
        .bearer_auth(&admin)
        .header("content-type", "application/json; charset=utf-8")
        .body(r#"{"name":"Hub","address":"Street 1"}"#)
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let app = spawn_app_with(|s| s.server.max_body_bytes = 2048).await;
    let admin = app.admin_token().await;
    let res = app.post("/api/v1/hubs", &admin, json!({"name": "x".repeat(4000), "address": "y"})).await;
    problem(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}

#[tokio::test]
async fn valid_json_that_breaks_a_rule_is_422_naming_each_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cases = [
        (json!({"kind": "school"}), "name"),
        (json!({"name": "X", "kind": "charity"}), "kind"),
        (json!({"name": "", "kind": "school"}), "name"),
        (json!({"name": "X", "kind": "school", "extra": 1}), "extra"),
        (json!(["not", "an", "object"]), "body"),
    ];
    for (body, field) in cases {
        let res = app.post("/api/v1/organisations", &admin, body.clone()).await;
        let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        let named = p["errors"][0]["field"].as_str().unwrap_or_default().to_owned();
        assert!(
            named == field || p["errors"][0]["message"].as_str().is_some_and(|m| m.contains(field)),
            "{body} → {p}"
        );
    }
}

#[tokio::test]
async fn an_unknown_route_is_404_and_a_wrong_method_is_405_with_allow() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/api/v1/nothing-here")).send().await.expect("sent");
    problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app.client.delete(app.url("/api/v1/organisations")).send().await.expect("sent");
    let allow = res.headers().get("allow").and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(allow.as_deref(), Some("GET, POST"));
    problem(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    let res = app
        .client
        .put(app.url(&format!("/api/v1/users/{}", uuid::Uuid::now_v7())))
        .send()
        .await
        .expect("sent");
    let allow = res.headers().get("allow").and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(allow.as_deref(), Some("GET, PATCH"));
    problem(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
}

#[tokio::test]
async fn every_response_carries_the_servers_own_request_id_whatever_the_client_sent() {
    let app = spawn_app().await;
    let res =
        app.client.get(app.url("/healthz")).header("x-request-id", "trace-42").send().await.expect("sent");
    let id = res.headers().get("x-request-id").and_then(|v| v.to_str().ok()).expect("an id");
    assert!(id != "trace-42" && uuid::Uuid::parse_str(id).is_ok(), "{id}");
    let res = app.client.get(app.url("/nope")).send().await.expect("sent");
    assert!(res.headers().get("x-request-id").is_some());
}

#[tokio::test]
async fn when_the_database_is_gone_requests_answer_503() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    assert_eq!(app.get("/api/v1/hubs", &admin).await.status(), StatusCode::OK);
    let _lock = break_database(&app.db);
    let res = app.post("/api/v1/hubs", &admin, json!({"name": "Hub", "address": "Street 1"})).await;
    let retry_after = res.headers().get("retry-after").is_some();
    problem(res, StatusCode::SERVICE_UNAVAILABLE, "database_unavailable").await;
    assert!(retry_after, "503 tells when to retry");
}

/// PostgreSQL cannot store a NUL character; every way in refuses it on both backends with a
/// clear client error (found by fuzzing the PostgreSQL-backed server).
#[tokio::test]
async fn a_nul_character_anywhere_is_a_client_error_never_a_500() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for (path, body) in [
        ("/api/v1/auth/login", json!({"email": "a\u{0}@example.org", "password": "whatever password"})),
        ("/api/v1/auth/magic-link", json!({"email": "a\u{0}@example.org"})),
    ] {
        let res = app.client.post(app.url(path)).json(&body).send().await.expect("sent");
        let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(p["errors"][0]["field"], "email", "{path}");
    }
    let nested =
        app.post("/api/v1/hubs", &admin, json!({"name": "Hub", "address": "x", "y": ["ok", "\u{0}"]})).await;
    let p = problem(nested, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "y[1]");
    for path in ["/api/v1/devices?q=%00", "/api/v1/devices?q=abc%00def", "/api/v1/hubs?x=%00"] {
        problem(app.get(path, &admin).await, StatusCode::BAD_REQUEST, "malformed_query").await;
    }
    // A literal "%00" typed in a search is text, not a NUL.
    assert_eq!(app.get("/api/v1/devices?q=%2500", &admin).await.status(), StatusCode::OK);

    let pool = crate::inventory::pool(&app).await;
    let donation = pool.donation_a;
    let csv = "kind,serial_number,model,ram_gb,storage_gb\nlaptop,SN\u{0}1,Dell,8,256\n";
    let res = app
        .client
        .post(app.url(&format!("/api/v1/devices/import?donation_id={donation}")))
        .bearer_auth(&pool.staff)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .expect("sent");
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(p["errors"][0]["message"].as_str().is_some_and(|m| m.contains("NUL")), "{p}");
}
