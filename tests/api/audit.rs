//! Leaks and integrity (the audit of 2026-12): formulas in spreadsheets, one school learning
//! about another's students, erasure leaving kit promised, staff reads outside the access
//! log, donors reading hand-overs off their devices, gamed priorities, names with line breaks
//! and imports that would exhaust memory. Each test failed on the code before the fix.

use devicepool::domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{problem, spawn_app, spawn_app_with, TestApp};
use crate::inventory::{create_donation, create_laptop, make_available};
use crate::students::{enrol, request_kit, schools, sign_in_student, student_body};

async fn csv_of(app: &TestApp, path: &str, token: &str) -> String {
    let res = app.get(path, token).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.expect("csv")
}

#[tokio::test]
async fn a_student_named_like_a_formula_reads_as_text_in_every_csv() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let student = enrol(&app, &s.coordinator_a, student_body("=1+1", "formula@example.org")).await;
    let res =
        request_kit(&app, &s.coordinator_a, json!({"student_id": student["id"], "kind": "laptop"})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let csv = csv_of(&app, "/api/v1/reports/school?format=csv", &s.coordinator_a).await;
    assert!(csv.contains(",'=1+1,"), "{csv}");
    assert!(!csv.contains(",=1+1"), "{csv}");
    let csv =
        csv_of(&app, &format!("/api/v1/reports/school?format=csv&school_id={}", s.school_a), &s.staff).await;
    assert!(csv.contains(",'=1+1,"), "{csv}");
    // Organisation names typed by admins reach the impact report.
    let donor = app.create_organisation(&s.admin, "@SUM(A1)", "donor").await;
    let csv = csv_of(&app, &format!("/api/v1/reports/impact?format=csv&donor_id={donor}"), &s.staff).await;
    assert!(csv.contains(",'@SUM(A1),"), "{csv}");
}

#[tokio::test]
async fn school_a_cannot_tell_that_school_b_enrolled_an_address() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    enrol(&app, &s.coordinator_b, student_body("Ayla at B", "ayla@example.org")).await;
    // School A enrols the same address as any other: no refusal, nothing about school B.
    let at_a =
        app.post("/api/v1/students", &s.coordinator_a, student_body("Ayla at A", "ayla@example.org")).await;
    assert_eq!(at_a.status(), StatusCode::CREATED);
    let at_a: Value = at_a.json().await.expect("json");
    let fresh = enrol(&app, &s.coordinator_a, student_body("Bo", "bo@example.org")).await;
    let keys = |v: &Value| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>());
    assert_eq!(keys(&at_a), keys(&fresh), "the same answer as for an address nobody has");
    // Nor by changing a student's address, nor in a class list.
    let res = app
        .patch(
            &format!("/api/v1/students/{}", fresh["id"].as_str().expect("id")),
            &s.coordinator_a,
            json!({"email": "cem@example.org"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    enrol(&app, &s.coordinator_b, student_body("Cem at B", "dana@example.org")).await;
    let list = "name,email,preferred_language,track,programme_start,programme_end\n\
                Dana,dana@example.org,nl,coder,2027-02-01,2027-07-31\n";
    let res = app
        .client
        .post(app.url("/api/v1/students/import"))
        .bearer_auth(&s.coordinator_a)
        .header("content-type", "text/csv")
        .body(list)
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::CREATED);
    // Within one school an address is still unique.
    problem(
        app.post("/api/v1/students", &s.coordinator_a, student_body("Again", "ayla@example.org")).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    // Each school sees only its own record; the person signs in to each enrolment apart.
    let mine: Value = app.get("/api/v1/students", &s.coordinator_a).await.json().await.expect("json");
    assert!(mine["items"].as_array().expect("items").iter().all(|x| x["school_id"] == s.school_a.as_str()));
    let token = sign_in_student(&app, "ayla@example.org").await;
    let me: Value = app.get("/api/v1/me", &token).await.json().await.expect("json");
    assert!(me["student_id"].is_string());
    let messages =
        app.with_db(|c| devicepool::store::outbox::for_recipient(c, "ayla@example.org").expect("rows")).await;
    assert_eq!(messages.iter().filter(|m| m.template == "magic_link").count(), 2, "one link per enrolment");
}

#[tokio::test]
async fn erasing_a_student_with_a_proposal_frees_the_kit_and_confirm_answers_409() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let hub =
        app.post("/api/v1/hubs", &staff, json!({"name": "Hub Zuidoost", "address": "Bijlmerplein 1"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let donor = app.create_organisation(&admin, "Northwind BV", "donor").await;
    let donation = create_donation(&app, &staff, json!({"donor_id": donor, "expected_hub_id": hub})).await;
    let device =
        create_laptop(&app, &staff, &donation, "ERASE-1", 16).await["id"].as_str().expect("id").to_owned();
    make_available(&app, &staff, &device).await;
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    let mut body = student_body("Ayla Demir", "ayla@example.org");
    body["hub_id"] = json!(hub);
    let student = enrol(&app, &coordinator, body).await;
    let student_id = student["id"].as_str().expect("id").to_owned();
    request_kit(&app, &coordinator, json!({"student_id": student_id, "kind": "laptop"})).await;
    let run: Value = app.post("/api/v1/allocations/run", &staff, json!({})).await.json().await.expect("json");
    let allocation = run["proposals"][0]["id"].as_str().expect("a proposal").to_owned();
    let reserved: Value =
        app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    assert_eq!(reserved["state"], "reserved");

    let res = app
        .request(Method::DELETE, &format!("/api/v1/students/{student_id}"), Some(&coordinator), None)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let freed: Value =
        app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    assert_eq!(freed["state"], "available", "the kit went back to the pool");
    let proposal: Value =
        app.get("/api/v1/allocations?state=rejected", &staff).await.json().await.expect("json");
    assert!(proposal["items"].as_array().expect("items").iter().any(|a| a["id"] == allocation.as_str()));
    let res = app.post(&format!("/api/v1/allocations/{allocation}/confirm"), &staff, json!({})).await;
    problem(res, StatusCode::CONFLICT, "illegal_transition").await;
    let loans: Value = app.get("/api/v1/loans", &staff).await.json().await.expect("json");
    assert_eq!(loans["items"].as_array().map(Vec::len), Some(0), "no loan for an erased student");
}

#[tokio::test]
async fn confirming_checks_the_request_and_the_student_in_one_guarded_step() {
    let app = spawn_app().await;
    let (staff, coordinator, _, _, _, _) = crate::loans::confirmed_loan(&app).await;
    // A second student, proposed kit; then their request is cancelled behind the proposal's back.
    let admin = app.admin_token().await;
    let me: Value = app.get("/api/v1/me", &coordinator).await.json().await.expect("json");
    let _ = me;
    let hubs: Value = app.get("/api/v1/hubs", &staff).await.json().await.expect("json");
    let hub = hubs["items"][0]["id"].as_str().expect("hub").to_owned();
    let donor = app.create_organisation(&admin, "Contoso", "donor").await;
    let donation = create_donation(&app, &staff, json!({"donor_id": donor, "expected_hub_id": hub})).await;
    let device =
        create_laptop(&app, &staff, &donation, "GUARD-1", 16).await["id"].as_str().expect("id").to_owned();
    make_available(&app, &staff, &device).await;
    let mut body = student_body("Bo de Vries", "bo@example.org");
    body["hub_id"] = json!(hub);
    let student = enrol(&app, &coordinator, body).await;
    request_kit(&app, &coordinator, json!({"student_id": student["id"], "kind": "laptop"})).await;
    let run: Value = app.post("/api/v1/allocations/run", &staff, json!({})).await.json().await.expect("json");
    let proposal = &run["proposals"][0];
    let (allocation, request) = (
        proposal["id"].as_str().expect("id").to_owned(),
        proposal["request_id"].as_str().expect("rq").to_owned(),
    );
    app.with_db(move |c| {
        use devicepool::store::schema::requests as r;
        use diesel::prelude::*;
        diesel::update(r::table.find(&request)).set(r::state.eq("cancelled")).execute(c).expect("cancel")
    })
    .await;
    let res = app.post(&format!("/api/v1/allocations/{allocation}/confirm"), &staff, json!({})).await;
    let body = problem(res, StatusCode::CONFLICT, "conflict").await;
    assert!(
        body["detail"].as_str().is_some_and(|d| d.contains("aanvraag van de student is gesloten")),
        "{body}"
    );
}

async fn logged_actions(app: &TestApp, admin: &str, student: &str) -> Vec<String> {
    let v: Value =
        app.get(&format!("/api/v1/access-log?student_id={student}"), admin).await.json().await.expect("json");
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn staff_reads_of_names_and_addresses_are_in_the_access_log() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let student = enrol(&app, &s.coordinator_a, student_body("Ayla Demir", "ayla@example.org")).await;
    let id = student["id"].as_str().expect("id").to_owned();
    request_kit(&app, &s.coordinator_a, json!({"student_id": id, "kind": "laptop"})).await;
    sign_in_student(&app, "ayla@example.org").await;
    let log = || logged_actions(&app, &s.admin, &id);
    assert!(log().await.is_empty());
    // The school's own report names its waiting student: not logged. Staff reading it: logged.
    app.get("/api/v1/reports/school", &s.coordinator_a).await;
    assert!(log().await.is_empty());
    app.get(&format!("/api/v1/reports/school?school_id={}", s.school_a), &s.staff).await;
    app.get("/api/v1/outbox", &s.staff).await;
    app.get("/api/v1/users?role=student", &s.admin).await;
    let actions = log().await;
    for action in ["school_report", "outbox", "account"] {
        assert!(actions.iter().any(|a| a == action), "{action} in {actions:?}");
    }
}

#[tokio::test]
async fn a_students_reason_for_more_time_read_by_staff_is_logged() {
    let app = spawn_app().await;
    let (staff, _, email, loan, _, _) = crate::loans::confirmed_loan(&app).await;
    let loan_id = loan["id"].as_str().expect("id").to_owned();
    let student = crate::loans::hand_over_to_student(&app, &staff, &email, &loan_id).await;
    let due =
        chrono::NaiveDate::parse_from_str(loan["due_on"].as_str().expect("due"), "%Y-%m-%d").expect("date");
    let asked = app
        .post(
            &format!("/api/v1/loans/{loan_id}/extend"),
            &student,
            json!({"due_on": (due + chrono::Duration::days(10)).to_string(), "reason": "My course runs longer"}),
        )
        .await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    app.get("/api/v1/loans?extension_pending=true", &staff).await;
    let admin = app.admin_token().await;
    let student_id = loan["student_id"].as_str().expect("student").to_owned();
    let log: Value = app
        .get(&format!("/api/v1/access-log?student_id={student_id}"), &admin)
        .await
        .json()
        .await
        .expect("json");
    assert!(log["items"].as_array().expect("items").iter().any(|e| e["action"] == "loan"), "{log}");
}

#[tokio::test]
async fn a_donor_sees_stages_never_states_or_times_of_their_kit() {
    let app = spawn_app().await;
    let (staff, _, _, _, device, _) = crate::loans::confirmed_loan(&app).await;
    let admin = app.admin_token().await;
    let orgs: Value = app.get("/api/v1/organisations?kind=donor", &admin).await.json().await.expect("json");
    let donor = orgs["items"][0]["id"].as_str().expect("donor").to_owned();
    let (token, _) = app.user_with_role(&admin, Role::Donor, Some(&donor)).await;
    let seen: Value = app.get(&format!("/api/v1/devices/{device}"), &token).await.json().await.expect("json");
    assert_eq!(seen["stage"], "in_service");
    assert!(seen.get("state").is_none() && seen.get("updated_at").is_none(), "{seen}");
    problem(
        app.get("/api/v1/devices?state=reserved", &token).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let listed: Value = app.get("/api/v1/devices?stage=in_service", &token).await.json().await.expect("json");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
    let staff_view: Value =
        app.get("/api/v1/devices?state=reserved", &staff).await.json().await.expect("json");
    assert_eq!(staff_view["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_past_needed_by_is_refused_and_changes_of_what_a_student_lacks_are_recorded() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let student = enrol(&app, &s.coordinator_a, student_body("Ayla", "ayla@example.org")).await;
    let id = student["id"].as_str().expect("id").to_owned();
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Duration::days(1)).to_string();
    let res = request_kit(
        &app,
        &s.coordinator_a,
        json!({"student_id": id, "kind": "laptop", "needed_by": yesterday}),
    )
    .await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "needed_by");
    let res = app
        .patch(&format!("/api/v1/students/{id}"), &s.coordinator_a, json!({"lacks_connectivity": true}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    app.patch(
        &format!("/api/v1/students/{id}"),
        &s.staff,
        json!({"lacks_laptop": false, "lacks_software": true}),
    )
    .await;
    let export: Value =
        app.get(&format!("/api/v1/students/{id}/export"), &s.coordinator_a).await.json().await.expect("json");
    let changes: Vec<(String, bool)> = export["need_changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| (c["need"].as_str().expect("need").to_owned(), c["lacks"].as_bool().expect("lacks")))
        .collect();
    // lacks_software was true already: no change to record.
    assert_eq!(changes, vec![("connectivity".to_owned(), true), ("laptop".to_owned(), false)]);
    let me: Value = app.get("/api/v1/me", &s.coordinator_a).await.json().await.expect("json");
    assert_eq!(export["need_changes"][0]["actor_id"], me["id"]);
}

#[tokio::test]
async fn a_name_with_a_line_break_is_refused_where_a_name_is_expected() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let name = "Ayla\n\nYour laptop is ready: http://evil.example/sign-in";
    let res = app.post("/api/v1/students", &s.coordinator_a, student_body(name, "ayla@example.org")).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "name");
    let res = app.post("/api/v1/organisations", &s.admin, json!({"name": "A\nB", "kind": "school"})).await;
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app
        .post("/api/v1/hubs", &s.staff, json!({"name": "Hub\r\nX", "address": "Street 1\nAmsterdam"}))
        .await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "name");
    // An address may take two lines.
    let res = app
        .post("/api/v1/hubs", &s.staff, json!({"name": "Hub Noord", "address": "Street 1\r\nAmsterdam"}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_class_list_of_five_megabytes_of_junk_answers_422_with_the_first_hundred_errors() {
    // Under the row cap (set high here), so every row is read and only the errors are capped.
    let app = spawn_app_with(|s| s.imports.max_student_rows = 1_000_000).await;
    let s = schools(&app).await;
    let rows = 5 * 1024 * 1024 / 11;
    let mut body = String::from("name;email;preferred_language;track;programme_start;programme_end\r\n");
    body.push_str(&"junk-line\r\n".repeat(rows));
    let res = app
        .client
        .post(app.url("/api/v1/students/import"))
        .bearer_auth(&s.coordinator_a)
        .header("content-type", "text/csv")
        .body(body)
        // Half a million rows through a debug build on a busy 2-core machine: give it time.
        .timeout(std::time::Duration::from_secs(180))
        .send()
        .await
        .expect("sent");
    let answer = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let errors = answer["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 100);
    assert_eq!(errors[0]["row"], 2);
    assert!(answer["total_errors"].as_u64() >= Some(rows as u64), "{}", answer["total_errors"]);
    let listed: Value = app.get("/api/v1/students", &s.coordinator_a).await.json().await.expect("json");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(0));
}
