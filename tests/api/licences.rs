use chrono::{Duration, Utc};
use devicepool::store::{self, licences};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{problem, spawn_app, TestApp};
use crate::inventory::pool;

async fn create_licence(
    app: &TestApp,
    token: &str,
    donation: &str,
    seats: i32,
    expires_on: Option<String>,
) -> Value {
    let body = json!({
        "product": "Figma", "vendor": "Figma Inc.", "seats": seats, "expires_on": expires_on,
        "key": "FIGMA-EDU-1234-5678", "donation_id": donation,
    });
    let res = app.post("/api/v1/licences", token, body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.expect("json")
}

#[tokio::test]
async fn the_key_is_write_only_for_donors_and_visible_to_staff() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let created = create_licence(&app, &p.donor_a, &p.donation_a, 5, None).await;
    assert_eq!(created["product"], "figma");
    assert_eq!(
        (created["seats"].as_i64(), created["seats_in_use"].as_i64(), created["seats_free"].as_i64()),
        (Some(5), Some(0), Some(5))
    );
    assert!(created.get("key").is_none(), "the donor does not get the key back");
    let id = created["id"].as_str().expect("id");
    let donor_read: Value =
        app.get(&format!("/api/v1/licences/{id}"), &p.donor_a).await.json().await.expect("json");
    assert!(donor_read.get("key").is_none());
    let staff_read: Value =
        app.get(&format!("/api/v1/licences/{id}"), &p.staff).await.json().await.expect("json");
    assert_eq!(staff_read["key"], "FIGMA-EDU-1234-5678");
    problem(app.get(&format!("/api/v1/licences/{id}"), &p.donor_b).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    let theirs: Value = app.get("/api/v1/licences", &p.donor_b).await.json().await.expect("json");
    assert_eq!(theirs["items"].as_array().map(Vec::len), Some(0));
    // Only staff change a licence.
    problem(
        app.patch(&format!("/api/v1/licences/{id}"), &p.donor_a, json!({"seats": 10})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn an_expired_licence_lends_no_seat() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let yesterday = (Utc::now().date_naive() - Duration::days(1)).to_string();
    let today = Utc::now().date_naive().to_string();
    let expired = create_licence(&app, &p.staff, &p.donation_a, 3, Some(yesterday)).await;
    assert_eq!((expired["expired"].as_bool(), expired["seats_free"].as_i64()), (Some(true), Some(0)));
    let last_day = create_licence(&app, &p.staff, &p.donation_a, 3, Some(today)).await;
    assert_eq!((last_day["expired"].as_bool(), last_day["seats_free"].as_i64()), (Some(false), Some(3)));
    let valid: Value =
        app.get("/api/v1/licences?valid=true&product=FIGMA", &p.staff).await.json().await.expect("json");
    let ids: Vec<&str> =
        valid["items"].as_array().expect("items").iter().filter_map(|l| l["id"].as_str()).collect();
    assert_eq!(ids, vec![last_day["id"].as_str().expect("id")]);
    let (expired_id, valid_id) =
        (expired["id"].as_str().expect("id").to_owned(), last_day["id"].as_str().expect("id").to_owned());
    let (taken_expired, taken_valid) = app
        .with_db(move |conn| {
            let today = Utc::now().date_naive();
            (
                licences::take_seat(conn, &expired_id, today).expect("query"),
                licences::take_seat(conn, &valid_id, today).expect("query"),
            )
        })
        .await;
    assert!(!taken_expired, "no seat from an expired licence");
    assert!(taken_valid);
}

#[tokio::test]
async fn seats_in_use_never_exceed_seats_even_with_50_concurrent_takers() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let licence = create_licence(&app, &p.staff, &p.donation_a, 5, None).await;
    let id = licence["id"].as_str().expect("id").to_owned();
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let pool = app.pool.clone();
        let id = id.clone();
        tasks.push(tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("connection");
            store::write_tx(&mut conn, |conn| licences::take_seat(conn, &id, Utc::now().date_naive()))
        }));
    }
    let mut taken = 0;
    for t in tasks {
        if t.await.expect("task").expect("no database error") {
            taken += 1;
        }
    }
    assert_eq!(taken, 5);
    let read: Value = app.get(&format!("/api/v1/licences/{id}"), &p.staff).await.json().await.expect("json");
    assert_eq!((read["seats_in_use"].as_i64(), read["seats_free"].as_i64()), (Some(5), Some(0)));

    // Fewer seats than are in use is refused; freeing a seat makes room again.
    let res = app.patch(&format!("/api/v1/licences/{id}"), &p.staff, json!({"seats": 4})).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "seats");
    let freed_id = id.clone();
    assert!(app.with_db(move |conn| licences::free_seat(conn, &freed_id).expect("query")).await);
    let res =
        app.patch(&format!("/api/v1/licences/{id}"), &p.staff, json!({"seats": 4, "key": "NEW-KEY"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    assert_eq!(
        (body["seats"].as_i64(), body["seats_in_use"].as_i64(), body["key"].as_str()),
        (Some(4), Some(4), Some("NEW-KEY"))
    );
    // Even a direct write past the count is stopped by the database itself.
    let direct_id = id.clone();
    let direct = app
        .with_db(move |conn| {
            use devicepool::store::schema::licences::dsl as l;
            use diesel::prelude::*;
            diesel::update(l::licences.find(direct_id)).set(l::seats_in_use.eq(l::seats + 1)).execute(conn)
        })
        .await;
    assert!(direct.is_err(), "the check constraint refuses over-lending");
}

#[tokio::test]
async fn licences_are_checked() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let body =
        json!({"product": "figma!", "vendor": " ", "seats": 0, "key": "", "donation_id": p.donation_a});
    let res = app.post("/api/v1/licences", &p.staff, body).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> =
        body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, vec!["product", "vendor", "seats", "key"]);
    let body =
        json!({"product": "figma", "vendor": "Figma", "seats": 1, "key": "K", "donation_id": p.donation_b});
    let res = app.post("/api/v1/licences", &p.donor_a, body).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "donation_id");
}
