use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{problem, spawn_app, TestApp};
use crate::inventory::{create_laptop, pool};

async fn upload(
    app: &TestApp,
    token: &str,
    query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/devices/import?{query}")))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("sent")
}

async fn device_count(app: &TestApp, token: &str, donation: &str) -> usize {
    let mut total = 0;
    let mut path = format!("/api/v1/devices?donation_id={donation}&limit=500");
    loop {
        let page: Value = app.get(&path, token).await.json().await.expect("json");
        total += page["items"].as_array().map(Vec::len).unwrap_or(0);
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/devices?donation_id={donation}&limit=500&cursor={c}"),
            None => return total,
        }
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("tests/fixtures/{name}")).expect("fixture")
}

#[tokio::test]
async fn a_good_corporate_export_imports_every_row_as_pledged() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let res = upload(
        &app,
        &p.donor_a,
        &format!("donation_id={}", p.donation_a),
        "text/csv",
        fixture("devices-sample.csv"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(res.headers().get("location").is_some());
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["imported"], 5);
    assert_eq!(body["ignored_columns"], json!(["asset_owner"]));
    let devices: Value = app
        .get(&format!("/api/v1/devices?donation_id={}", p.donation_a), &p.donor_a)
        .await
        .json()
        .await
        .expect("json");
    let items = devices["items"].as_array().expect("items");
    assert_eq!(items.len(), 5);
    assert!(items.iter().all(|d| d["stage"] == "pledged" && d["hub_id"] == p.hub.as_str()));
    let mac = items.iter().find(|d| d["serial_number"] == "C02XK1ABJG5H").expect("the MacBook");
    assert_eq!(
        (mac["model"].as_str(), mac["screen_inches"].as_f64()),
        (Some("MacBook Air (M1, 2020)"), Some(13.3))
    );
    let dongle = items.iter().find(|d| d["kind"] == "wifi_dongle").expect("the dongle");
    assert_eq!(
        (dongle["carrier"].as_str(), dongle["plan_ends_on"].as_str()),
        (Some("KPN"), Some("2027-08-31"))
    );
    let tags: std::collections::BTreeSet<&str> =
        items.iter().filter_map(|d| d["asset_tag"].as_str()).collect();
    assert_eq!(tags.len(), 5, "every device gets its own asset tag");
    let history: Value = app
        .get(&format!("/api/v1/devices/{}/history", items[0]["id"].as_str().expect("id")), &p.staff)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(history["items"][0]["details"]["source"], "import");
}

#[tokio::test]
async fn a_dutch_semicolon_export_with_a_bom_imports() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let res = upload(
        &app,
        &p.staff,
        &format!("donation_id={}", p.donation_a),
        "text/csv; charset=utf-8",
        fixture("devices-dutch.csv"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["imported"], 2);
    let devices: Value = app.get("/api/v1/devices?q=5CG9870001", &p.staff).await.json().await.expect("json");
    let laptop = &devices["items"][0];
    assert_eq!(laptop["model"], "HP ProBook 450 G8; zilver");
    assert_eq!(
        (laptop["ram_gb"].as_i64(), laptop["screen_inches"].as_f64(), laptop["charger_included"].as_bool()),
        (Some(16), Some(15.6), Some(true))
    );
}

#[tokio::test]
async fn a_file_with_bad_rows_imports_nothing_and_reports_every_bad_row() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    // One serial is in the pool already, to show duplicates against the pool too.
    create_laptop(&app, &p.staff, &p.donation_a, "GOOD0001", 8).await;
    let res = upload(
        &app,
        &p.staff,
        &format!("donation_id={}", p.donation_a),
        "text/csv",
        fixture("devices-bad.csv"),
    )
    .await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let rows: Vec<(u64, &str)> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["row"].as_u64().expect("row"), e["field"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        rows,
        vec![(2, "serial_number"), (3, "serial_number"), (4, "kind"), (5, "serial_number"), (6, "ram_gb")]
    );
    assert_eq!(body["total_errors"], 5);
    assert!(body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("al in de pool")));
    assert!(body["errors"][3]["message"].as_str().is_some_and(|m| m.contains("regel 2")));
    assert_eq!(device_count(&app, &p.staff, &p.donation_a).await, 1, "nothing from the file was imported");
}

#[tokio::test]
async fn at_most_100_bad_rows_are_listed_with_the_total() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let mut csv = String::from("kind,serial_number,model,ram_gb,storage_gb\n");
    for i in 0..250 {
        csv.push_str(&format!("laptop,S{i},Model,0,256\n"));
    }
    let res =
        upload(&app, &p.staff, &format!("donation_id={}", p.donation_a), "text/csv", csv.into_bytes()).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(100));
    assert_eq!(body["total_errors"], 250);
    assert_eq!(body["errors"][0]["row"], 2);
}

#[tokio::test]
async fn ten_thousand_rows_import_in_one_request() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let mut csv = String::from("kind;serial_number;model;ram_gb;storage_gb;cpu\r\n");
    for i in 0..10_000 {
        let ram = [4, 8, 16, 32][i % 4];
        csv.push_str(&format!("laptop;BULK{i:06};\"Dell Latitude 7490\";{ram};256;Intel Core i5\r\n"));
    }
    let res =
        upload(&app, &p.donor_a, &format!("donation_id={}", p.donation_a), "text/csv", csv.into_bytes())
            .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["imported"], 10_000);
    assert_eq!(device_count(&app, &p.donor_a, &p.donation_a).await, 10_000);
    let donation: Value =
        app.get(&format!("/api/v1/donations/{}", p.donation_a), &p.donor_a).await.json().await.expect("json");
    assert_eq!(donation["contents"]["pledged"], 10_000);
}

#[tokio::test]
async fn imports_are_refused_cleanly_for_wrong_type_size_donation_or_header() {
    let app = spawn_app_small().await;
    let p = pool(&app).await;
    let query = format!("donation_id={}", p.donation_a);
    let res = upload(&app, &p.staff, &query, "application/json", b"{}".to_vec()).await;
    problem(res, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
    let big = "kind,serial_number,model,ram_gb,storage_gb\n".to_owned() + &"laptop,X,Y,8,256\n".repeat(400);
    problem(
        upload(&app, &p.staff, &query, "text/csv", big.into_bytes()).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
    // Another donor's donation reads as missing.
    let res = upload(&app, &p.donor_b, &query, "text/csv", fixture("devices-sample.csv")).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "donation_id");
    let res = upload(&app, &p.staff, &query, "text/csv", b"kind,model\nlaptop,X\n".to_vec()).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["row"], 1);
    let res = upload(&app, &p.staff, "", "text/csv", fixture("devices-sample.csv")).await;
    problem(res, StatusCode::BAD_REQUEST, "malformed_query").await;
}

async fn spawn_app_small() -> TestApp {
    crate::helpers::spawn_app_with(|s| s.server.max_import_bytes = 4096).await
}
