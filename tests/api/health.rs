use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{break_database, problem, spawn_app};

#[tokio::test]
async fn healthz_and_readyz_answer_ok() {
    let app = spawn_app().await;
    for path in ["/healthz", "/readyz"] {
        let res = app.client.get(app.url(path)).send().await.expect("sent");
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["status"], "ok");
    }
}

#[tokio::test]
async fn readyz_fails_when_the_database_is_gone_but_healthz_stays_up() {
    let app = spawn_app().await;
    let _lock = break_database(&app.db);
    let res = app.client.get(app.url("/readyz")).send().await.expect("sent");
    problem(res, StatusCode::SERVICE_UNAVAILABLE, "database_unavailable").await;
    let res = app.client.get(app.url("/healthz")).send().await.expect("sent");
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_status() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.get(&format!("/api/v1/hubs/{}", uuid::Uuid::now_v7()), &admin).await;
    let res = app.client.get(app.url("/metrics")).send().await.expect("sent");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("text/plain")));
    let text = res.text().await.expect("text");
    let line = text
        .lines()
        .find(|l| {
            l.starts_with("devicepool_http_requests_total") && l.contains(r#"endpoint="/api/v1/hubs/{id}""#)
        })
        .unwrap_or_else(|| panic!("no counter for the hub route in:\n{text}"));
    assert!(line.contains(r#"status="404""#), "{line}");
    assert!(text.contains("devicepool_http_requests_duration_seconds_bucket"));
}
