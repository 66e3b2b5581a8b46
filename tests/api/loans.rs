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

async fn hand_over_to_student(app: &TestApp, staff: &str, email: &str, loan: &str) -> String {
    let student = sign_in_student(app, email).await;
    assert_eq!(
        app.post(&format!("/api/v1/loans/{loan}/accept"), &student, json!({})).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.post(&format!("/api/v1/loans/{loan}/handover"), staff, json!({})).await.status(),
        StatusCode::OK
    );
    student
}

#[tokio::test]
async fn a_laptop_goes_round_the_loop_to_a_second_student_with_a_complete_history() {
    let app = spawn_app().await;
    let (staff, coordinator, email, loan, device, _) = confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id");
    problem(
        app.post(&format!("/api/v1/loans/{id}/return"), &staff, json!({"condition": "good"})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    hand_over_to_student(&app, &staff, &email, id).await;
    let res = app
        .post(
            &format!("/api/v1/loans/{id}/return"),
            &staff,
            json!({"condition": "worn", "notes": "scratch on the lid"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.expect("json")["state"], "returned");
    let path = format!("/api/v1/devices/{device}/transitions");
    let transition = |body: Value| app.post(&path, &staff, body);
    assert_eq!(transition(json!({"action": "inspect"})).await.status(), StatusCode::OK);
    problem(transition(json!({"action": "release"})).await, StatusCode::CONFLICT, "illegal_transition").await;
    for body in [
        json!({"action": "wipe", "method": "nist_purge", "certificate_ref": "BL-2"}),
        json!({"action": "grade", "grade": "B"}),
        json!({"action": "release"}),
    ] {
        assert_eq!(transition(body).await.status(), StatusCode::OK);
    }
    // The next run offers the laptop to the next student in line.
    let students: Value = app.get("/api/v1/students", &coordinator).await.json().await.expect("json");
    let hub = students["items"][0]["hub_id"].clone();
    let mut body = student_body("Bo de Vries", "bo@example.org");
    body["hub_id"] = hub;
    let second = enrol(&app, &coordinator, body).await;
    let res = request_kit(&app, &coordinator, json!({"student_id": second["id"], "kind": "laptop"})).await;
    let second_request = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let run: Value = app.post("/api/v1/allocations/run", &staff, json!({})).await.json().await.expect("json");
    assert_eq!(
        (run["proposals"][0]["request_id"].as_str(), run["proposals"][0]["device_id"].as_str()),
        (Some(second_request.as_str()), Some(device.as_str())),
        "{run}"
    );
    let allocation = run["proposals"][0]["id"].as_str().expect("id");
    let res = app.post(&format!("/api/v1/allocations/{allocation}/confirm"), &staff, json!({})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let second_loan: Value = res.json().await.expect("json");
    hand_over_to_student(&app, &staff, "bo@example.org", second_loan["id"].as_str().expect("id")).await;

    let history: Value =
        app.get(&format!("/api/v1/devices/{device}/history"), &staff).await.json().await.expect("json");
    let actions: Vec<&str> =
        history["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        vec![
            "register",
            "receive",
            "wipe",
            "grade",
            "release",
            "reserve",
            "hand_over",
            "return",
            "inspect",
            "wipe",
            "grade",
            "release",
            "reserve",
            "hand_over"
        ]
    );
    let items = history["items"].as_array().expect("items");
    for pair in items.windows(2) {
        assert_eq!(pair[0]["to_state"], pair[1]["from_state"], "every step follows from the one before");
    }
    let returned = items.iter().find(|e| e["action"] == "return").expect("return event");
    assert_eq!(returned["details"]["condition"], "worn");
    let loans: Value =
        app.get(&format!("/api/v1/loans?device_id={device}"), &staff).await.json().await.expect("json");
    assert_eq!(loans["items"].as_array().map(Vec::len), Some(2), "two loans of this device");
}

#[tokio::test]
async fn a_student_reports_kit_lost_and_staff_write_a_loan_off() {
    let app = spawn_app().await;
    let (staff, coordinator, email, loan, device, _) = confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id");
    let student = hand_over_to_student(&app, &staff, &email, id).await;
    problem(
        app.post(&format!("/api/v1/loans/{id}/report-lost"), &coordinator, json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let res = app.post(&format!("/api/v1/loans/{id}/report-lost"), &student, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.expect("json")["state"], "lost");
    let d: Value = app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    assert_eq!(d["state"], "lost");
    problem(
        app.post(&format!("/api/v1/loans/{id}/write-off"), &staff, json!({})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    // With the loan closed, the student may be erased.
    let student_id = loan["student_id"].as_str().expect("student");
    let res = app
        .request(Method::DELETE, &format!("/api/v1/students/{student_id}"), Some(&coordinator), None)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn staff_write_off_kit_that_will_not_come_back() {
    let app = spawn_app().await;
    let (staff, _, email, loan, device, _) = confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id");
    hand_over_to_student(&app, &staff, &email, id).await;
    let res = app.post(&format!("/api/v1/loans/{id}/write-off"), &staff, json!({})).await;
    assert_eq!(res.json::<Value>().await.expect("json")["state"], "written_off");
    let d: Value = app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    assert_eq!(d["state"], "retired");
}
