use devicepool::domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{problem, spawn_app, TestApp};
use crate::inventory::{create_donation, create_laptop, make_available};
use crate::students::{enrol, request_kit, sign_in_student, student_body};

/// One laptop allocated to one student and confirmed: (staff, coordinator, student email, loan, device, request).
async fn confirmed_loan(app: &TestApp) -> (String, String, String, Value, String, String) {
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

#[tokio::test]
async fn the_student_accepts_and_staff_hand_over_the_kit() {
    let app = spawn_app().await;
    let (staff, coordinator, email, loan, device, request) = confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id");
    // No hand-over before the agreement is accepted.
    let refused = problem(
        app.post(&format!("/api/v1/loans/{id}/handover"), &staff, json!({})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(
        (refused["state"].as_str(), refused["allowed_actions"].clone()),
        (Some("reserved"), json!(["accept"]))
    );
    // Only the student accepts.
    problem(
        app.post(&format!("/api/v1/loans/{id}/accept"), &staff, json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let student = sign_in_student(&app, &email).await;
    let mine: Value = app.get("/api/v1/me/loans", &student).await.json().await.expect("json");
    assert_eq!(
        mine["loans"][0]["status_text"],
        "Er ligt een laptop voor je klaar. Accepteer eerst de leenovereenkomst."
    );
    let res = app.post(&format!("/api/v1/loans/{id}/accept"), &student, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let accepted: Value = res.json().await.expect("json");
    assert_eq!(accepted["agreement_version"], app.settings.loans.agreement_version.as_str());
    assert!(accepted["accepted_at"].is_string());

    let res = app.post(&format!("/api/v1/loans/{id}/handover"), &staff, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.expect("json")["state"], "active");
    let d: Value = app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    assert_eq!(d["state"], "on_loan");
    let history: Value =
        app.get(&format!("/api/v1/devices/{device}/history"), &staff).await.json().await.expect("json");
    let last = history["items"].as_array().and_then(|i| i.last()).expect("event").clone();
    assert_eq!((last["action"].as_str(), last["details"]["loan_id"].as_str()), (Some("hand_over"), Some(id)));
    let r: Value =
        app.get(&format!("/api/v1/requests/{request}"), &coordinator).await.json().await.expect("json");
    assert_eq!(r["state"], "fulfilled");
    let mine: Value = app.get("/api/v1/me/loans", &student).await.json().await.expect("json");
    assert!(
        mine["loans"][0]["status_text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Je hebt een laptop. Breng het uiterlijk")),
        "{mine}"
    );
    problem(
        app.post(&format!("/api/v1/loans/{id}/handover"), &staff, json!({})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
}

#[tokio::test]
async fn loans_are_read_by_staff_their_school_and_their_student_only() {
    let app = spawn_app().await;
    let (staff, coordinator, email, loan, _, _) = confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id");
    let admin = app.admin_token().await;
    let other_school = app.create_organisation(&admin, "Other School", "school").await;
    let (other, _) = app.user_with_role(&admin, Role::School, Some(&other_school)).await;
    let donor_org = app.create_organisation(&admin, "Donor Two", "donor").await;
    let (donor, _) = app.user_with_role(&admin, Role::Donor, Some(&donor_org)).await;
    for token in [&staff, &coordinator] {
        assert_eq!(app.get(&format!("/api/v1/loans/{id}"), token).await.status(), StatusCode::OK);
    }
    let student = sign_in_student(&app, &email).await;
    assert_eq!(app.get(&format!("/api/v1/loans/{id}"), &student).await.status(), StatusCode::OK);
    problem(app.get(&format!("/api/v1/loans/{id}"), &other).await, StatusCode::NOT_FOUND, "not_found").await;
    let listed: Value = app.get("/api/v1/loans", &other).await.json().await.expect("json");
    assert_eq!(listed["items"], json!([]));
    problem(app.get("/api/v1/loans", &donor).await, StatusCode::FORBIDDEN, "forbidden").await;
    let listed: Value = app.get("/api/v1/loans?state=reserved", &staff).await.json().await.expect("json");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
    // A student with kit on loan cannot be erased yet.
    let student_id = loan["student_id"].as_str().expect("student");
    let res = app
        .request(Method::DELETE, &format!("/api/v1/students/{student_id}"), Some(&coordinator), None)
        .await;
    problem(res, StatusCode::CONFLICT, "conflict").await;
}
