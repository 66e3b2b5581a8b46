//! Fault reports: kit on loan that broke. The student (or staff) reports it once; staff see
//! the open reports; nobody else does; a loan that is not active cannot have one.

use devicepool::domain::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{problem, spawn_app};
use crate::loans::{confirmed_loan, hand_over_to_student};

#[tokio::test]
async fn a_student_reports_broken_kit_once_and_staff_see_it_in_their_queue() {
    let app = spawn_app().await;
    let (staff, coordinator, email, loan, device, _) = confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id").to_owned();
    let fault = |token: String, body: Value| {
        let path = format!("/api/v1/loans/{id}/fault");
        let app = &app;
        async move { app.post(&path, &token, body).await }
    };
    // Reserved kit is not in the student's hands yet.
    let res = fault(staff.clone(), json!({"description": "The screen stays black."})).await;
    problem(res, StatusCode::CONFLICT, "conflict").await;

    let student = hand_over_to_student(&app, &staff, &email, &id).await;
    problem(
        fault(student.clone(), json!({"description": "  "})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let res = fault(student.clone(), json!({"description": "The charger does not work."})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).expect("location").to_owned();
    let first: Value = res.json().await.expect("json");
    assert_eq!((first["state"].as_str(), first["device_id"].as_str()), (Some("open"), Some(device.as_str())));
    // A second press finds the first report.
    let res = fault(student.clone(), json!({"description": "Still broken."})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.expect("json")["id"], first["id"]);

    let queue: Value = app.get("/api/v1/fault-reports", &staff).await.json().await.expect("json");
    assert_eq!(queue["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(queue["items"][0]["description"], "The charger does not work.");
    assert_eq!(app.get(&location, &staff).await.status(), StatusCode::OK);
    // Nobody else sees the queue or reports on another's loan.
    problem(app.get("/api/v1/fault-reports", &coordinator).await, StatusCode::FORBIDDEN, "forbidden").await;
    problem(app.get("/api/v1/fault-reports", &student).await, StatusCode::FORBIDDEN, "forbidden").await;
    let admin = app.admin_token().await;
    let school = app.create_organisation(&admin, "Another school", "school").await;
    let (other, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    problem(fault(other, json!({"description": "x"})).await, StatusCode::FORBIDDEN, "forbidden").await;
}
