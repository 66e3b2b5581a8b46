//! Kit and people the tests build through the API, shared by the API tests and the browser
//! tests: a donation, a laptop taken to available, a student enrolled, a confirmed loan.

use chrono::{Duration, Utc};
use devicepool::domain::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::TestApp;

pub async fn create_donation(app: &TestApp, token: &str, body: Value) -> String {
    let res = app.post("/api/v1/donations", token, body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned()
}

pub async fn create_laptop(app: &TestApp, token: &str, donation: &str, serial: &str, ram_gb: i32) -> Value {
    let body = json!({
        "kind": "laptop", "serial_number": serial, "model": "Lenovo ThinkPad T14",
        "donation_id": donation, "ram_gb": ram_gb, "storage_gb": 256, "cpu": "Intel Core i5 (10th gen)",
        "screen_inches": 14.0, "os": "Windows 11", "keyboard_layout": "US-International", "charger_included": true,
    });
    let res = app.post("/api/v1/devices", token, body).await;
    assert_eq!(res.status(), StatusCode::CREATED, "create laptop {serial}");
    res.json().await.expect("json")
}

pub async fn transition(app: &TestApp, token: &str, device: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/api/v1/devices/{device}/transitions"), token, body).await
}

/// A spare laptop, `serial`, from a second donor (Contoso), available at the hub where `device`
/// is: what a swap at the desk hands out instead of a broken one. Its device JSON.
pub async fn spare_laptop_beside(app: &TestApp, staff: &str, device: &str, serial: &str) -> Value {
    let hub = app.get(&format!("/api/v1/devices/{device}"), staff).await.json::<Value>().await.expect("json")
        ["hub_id"]
        .clone();
    let admin = app.admin_token().await;
    let donor = app.create_organisation(&admin, "Contoso", "donor").await;
    let donation = create_donation(app, staff, json!({"donor_id": donor, "expected_hub_id": hub})).await;
    let spare = create_laptop(app, staff, &donation, serial, 16).await;
    make_available(app, staff, spare["id"].as_str().expect("id")).await;
    spare
}

/// Takes a pledged device through intake to available, checking each step.
pub async fn make_available(app: &TestApp, staff: &str, device: &str) {
    for body in [
        json!({"action": "receive"}),
        json!({"action": "wipe", "method": "nist_purge", "tool": "Blancco Drive Eraser 7", "certificate_ref": format!("BL-{device}")}),
        json!({"action": "grade", "grade": "B"}),
        json!({"action": "release"}),
    ] {
        let res = transition(app, staff, device, body.clone()).await;
        assert_eq!(res.status(), StatusCode::OK, "{body}");
    }
}

pub fn student_body(name: &str, email: &str) -> Value {
    let start = Utc::now().date_naive() + Duration::days(20);
    json!({
        "name": name, "email": email, "preferred_language": "nl", "track": "data_analyst",
        "programme_start": start, "programme_end": start + Duration::days(180),
        "lacks_laptop": true, "lacks_connectivity": false, "lacks_software": true, "target_group": "unemployed",
    })
}

pub async fn enrol(app: &TestApp, token: &str, body: Value) -> Value {
    let res = app.post("/api/v1/students", token, body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.expect("json")
}

pub async fn request_kit(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.post("/api/v1/requests", token, body).await
}

/// One laptop allocated to one student and confirmed: (staff, coordinator, student email, loan, device, request).
pub async fn confirmed_loan(app: &TestApp) -> (String, String, String, Value, String, String) {
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let hub =
        app.post("/api/v1/hubs", &staff, json!({"name": "Hub Zuidoost", "address": "Bijlmerplein 1"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let donor = app.create_organisation(&admin, "Northwind BV", "donor").await;
    let donation = create_donation(app, &staff, json!({"donor_id": donor, "expected_hub_id": hub})).await;
    let device =
        create_laptop(app, &staff, &donation, "LOAN-1", 16).await["id"].as_str().expect("id").to_owned();
    make_available(app, &staff, &device).await;
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    let mut body = student_body("Ayla Demir", "ayla@example.org");
    body["hub_id"] = json!(hub);
    let student = enrol(app, &coordinator, body).await;
    let res = request_kit(app, &coordinator, json!({"student_id": student["id"], "kind": "laptop"})).await;
    let request = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let run: Value = app.post("/api/v1/allocations/run", &staff, json!({})).await.json().await.expect("json");
    let allocation = run["proposals"][0]["id"].as_str().expect("allocated").to_owned();
    let res = app.post(&format!("/api/v1/allocations/{allocation}/confirm"), &staff, json!({})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let loan: Value = res.json().await.expect("json");
    assert_eq!(
        loan["due_on"].as_str().map(|d| d > student["programme_end"].as_str().expect("end")),
        Some(true),
        "due after the programme"
    );
    (staff, coordinator, "ayla@example.org".into(), loan, device, request)
}

/// One available laptop at Hub Noord and two students there asking for one:
/// (staff token, hub id).
pub async fn one_laptop_two_students(app: &TestApp) -> (String, String) {
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let hub = app.post("/api/v1/hubs", &staff, json!({"name": "Hub Noord", "address": "Plein 1"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let donor = app.create_organisation(&admin, "Northwind", "donor").await;
    let donation = create_donation(app, &staff, json!({"donor_id": donor, "expected_hub_id": hub})).await;
    let laptop = create_laptop(app, &staff, &donation, "5CG-ROUND-1", 16).await;
    make_available(app, &staff, laptop["id"].as_str().expect("id")).await;
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    for (name, email, needed_by) in
        [("Ayla Demir", "ayla@example.org", "2027-01-10"), ("Bram Jansen", "bram@example.org", "2027-09-01")]
    {
        let mut body = student_body(name, email);
        body["hub_id"] = json!(hub);
        let student = enrol(app, &coordinator, body).await;
        let res = request_kit(
            app,
            &coordinator,
            json!({"student_id": student["id"], "kind": "laptop", "needed_by": needed_by}),
        )
        .await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    (staff, hub)
}
