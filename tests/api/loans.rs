use devicepool::domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub use crate::fixtures::confirmed_loan;
use crate::helpers::{problem, spawn_app, TestApp};
use crate::inventory::{create_donation, create_laptop, make_available};
use crate::students::{enrol, request_kit, sign_in_student, student_body};

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
        (Some("reserved"), json!(["accept", "extend"]))
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
    let pick_up_by = (chrono::Utc::now().date_naive() + chrono::Duration::days(14)).format("%d-%m-%Y");
    assert_eq!(
        mine["loans"][0]["status_text"],
        format!(
            "Er ligt een laptop voor je klaar bij Hub Zuidoost. Accepteer eerst de leenovereenkomst. \
             Haal het uiterlijk {pick_up_by} op."
        )
    );
    assert_eq!(
        mine["loans"][0]["hub"],
        json!({"name": "Hub Zuidoost", "address": "Bijlmerplein 1", "opening_hours": null})
    );
    assert_eq!(mine["loans"][0]["accessories"], json!(["charger", "bag", "mouse"]));
    assert_eq!(mine["loans"][0]["allowed_actions"], json!(["accept"]));
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
            .is_some_and(|t| t.starts_with("Je hebt een laptop. Breng het uiterlijk")
                && t.ends_with("terug naar Hub Zuidoost.")),
        "{mine}"
    );
    assert_eq!(mine["loans"][0]["allowed_actions"], json!(["request_extension", "report_lost"]));
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
    problem(
        app.get(&format!("/api/v1/loans/{id}/history"), &other).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    problem(
        app.get(&format!("/api/v1/loans/{id}/history"), &donor).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(app.get(&format!("/api/v1/loans/{id}/history"), &coordinator).await.status(), StatusCode::OK);
    // Another student can neither read nor act on this loan.
    let mut body = student_body("Bo de Vries", "bo@example.org");
    body["hub_id"] = json!(null);
    enrol(&app, &coordinator, body).await;
    let bo = sign_in_student(&app, "bo@example.org").await;
    for path in [format!("/api/v1/loans/{id}"), format!("/api/v1/loans/{id}/history")] {
        problem(app.get(&path, &bo).await, StatusCode::NOT_FOUND, "not_found").await;
    }
    for action in ["accept", "report-lost"] {
        problem(
            app.post(&format!("/api/v1/loans/{id}/{action}"), &bo, json!({})).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    problem(
        app.post(&format!("/api/v1/loans/{id}/extend"), &bo, json!({"due_on": "2030-01-01"})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let mine: Value = app.get("/api/v1/loans", &bo).await.json().await.expect("json");
    assert_eq!(mine["items"], json!([]));
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

pub async fn hand_over_to_student(app: &TestApp, staff: &str, email: &str, loan: &str) -> String {
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
        app.post(
            &format!("/api/v1/loans/{id}/return"),
            &staff,
            json!({"condition": "good", "accessories_returned": []}),
        )
        .await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    hand_over_to_student(&app, &staff, &email, id).await;
    // Each accessory handed over is ticked off, or recorded as missing.
    problem(
        app.post(&format!("/api/v1/loans/{id}/return"), &staff, json!({"condition": "worn"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let res = app
        .post(
            &format!("/api/v1/loans/{id}/return"),
            &staff,
            json!({"condition": "worn", "notes": "scratch on the lid", "accessories_returned": ["charger", "mouse"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let returned: Value = res.json().await.expect("json");
    assert_eq!(
        (returned["state"].as_str(), returned["missing_accessories"].clone()),
        (Some("returned"), json!(["bag"]))
    );
    let path = format!("/api/v1/devices/{device}/transitions");
    let transition = |body: Value| app.post(&path, &staff, body);
    assert_eq!(transition(json!({"action": "inspect"})).await.status(), StatusCode::OK);
    problem(transition(json!({"action": "release"})).await, StatusCode::CONFLICT, "illegal_transition").await;
    // The next student in line asks for a laptop while this one is being prepared.
    let students: Value = app.get("/api/v1/students", &coordinator).await.json().await.expect("json");
    let hub = students["items"][0]["hub_id"].clone();
    let mut body = student_body("Bo de Vries", "bo@example.org");
    body["hub_id"] = hub;
    let second = enrol(&app, &coordinator, body).await;
    let res = request_kit(&app, &coordinator, json!({"student_id": second["id"], "kind": "laptop"})).await;
    let second_request = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    for body in [
        json!({"action": "wipe", "method": "nist_purge", "certificate_ref": "BL-2"}),
        json!({"action": "grade", "grade": "B"}),
    ] {
        assert_eq!(transition(body).await.status(), StatusCode::OK);
    }
    // Back in the pool, the laptop is offered to that request at once; staff confirm.
    let released: Value = transition(json!({"action": "release"})).await.json().await.expect("json");
    assert_eq!(released["state"], "reserved", "offered as it came back: {released}");
    assert_eq!(released["missing_accessories"], json!(["bag"]));
    let offers: Value =
        app.get("/api/v1/allocations?state=proposed", &staff).await.json().await.expect("json");
    let offer = &offers["items"][0];
    assert_eq!(
        (offer["request_id"].as_str(), offer["device_id"].as_str()),
        (Some(second_request.as_str()), Some(device.as_str())),
        "{offers}"
    );
    let allocation = offer["id"].as_str().expect("id");
    let res = app.post(&format!("/api/v1/allocations/{allocation}/confirm"), &staff, json!({})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let second_loan: Value = res.json().await.expect("json");
    assert_eq!(second_loan["accessories"], json!(["charger", "mouse"]), "the bag never came back");
    hand_over_to_student(&app, &staff, "bo@example.org", second_loan["id"].as_str().expect("id")).await;

    let loan_history: Value =
        app.get(&format!("/api/v1/loans/{id}/history"), &staff).await.json().await.expect("json");
    let steps: Vec<&str> = loan_history["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(steps, vec!["accept", "handover", "return"]);
    assert_eq!(loan_history["items"][2]["details"]["missing_accessories"], json!(["bag"]));

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
    assert_eq!(
        (returned["details"]["condition"].as_str(), returned["details"]["missing_accessories"].clone()),
        (Some("worn"), json!(["bag"]))
    );
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
    let due = loan["due_on"].as_str().expect("due");
    let later = (chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").expect("date")
        + chrono::Duration::days(10))
    .format("%Y-%m-%d")
    .to_string();
    let res = app
        .post(
            &format!("/api/v1/loans/{id}/extend"),
            &student,
            json!({"due_on": later, "reason": "Mijn oma is ziek."}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let res = app.post(&format!("/api/v1/loans/{id}/report-lost"), &student, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.expect("json")["state"], "lost");
    // The school's export lists the loan with its whole history.
    let student_id = loan["student_id"].as_str().expect("student");
    let export: Value = app
        .get(&format!("/api/v1/students/{student_id}/export"), &coordinator)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(export["loans"][0]["loan"]["extension"]["reason"], "Mijn oma is ziek.");
    let steps: Vec<&str> = export["loans"][0]["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(steps, vec!["accept", "handover", "request_extension", "report_lost"]);
    let d: Value = app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    assert_eq!(d["state"], "lost");
    problem(
        app.post(&format!("/api/v1/loans/{id}/write-off"), &staff, json!({})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    // With the loan closed, the student may be erased, and their own words go with them.
    let res = app
        .request(Method::DELETE, &format!("/api/v1/students/{student_id}"), Some(&coordinator), None)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let kept: Value = app.get(&format!("/api/v1/loans/{id}"), &staff).await.json().await.expect("json");
    assert_eq!((kept["state"].as_str(), kept["extension"]["reason"].clone()), (Some("lost"), Value::Null));
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

#[tokio::test]
async fn staff_extend_a_loan_and_answer_the_students_own_requests() {
    let app = spawn_app().await;
    let (staff, coordinator, email, loan, _, _) = confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id");
    let student = hand_over_to_student(&app, &staff, &email, id).await;
    let due =
        chrono::NaiveDate::parse_from_str(loan["due_on"].as_str().expect("due"), "%Y-%m-%d").expect("date");
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let path = format!("/api/v1/loans/{id}/extend");

    // Staff set a new date at once.
    let later = due + chrono::Duration::days(7);
    let res = app.post(&path, &staff, json!({"due_on": day(later)})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.expect("json")["due_on"], day(later));
    problem(
        app.post(&path, &staff, json!({"due_on": "2020-01-01"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    problem(
        app.post(&path, &coordinator, json!({"due_on": day(later)})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // The student asks; the request waits for staff.
    problem(
        app.post(&path, &student, json!({"due_on": day(later + chrono::Duration::days(200))})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let asked = later + chrono::Duration::days(30);
    let res = app
        .post(&path, &student, json!({"due_on": day(asked), "reason": "Mijn stage loopt langer door."}))
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let pending: Value = res.json().await.expect("json");
    assert_eq!(
        (pending["due_on"].as_str(), pending["extension"]["state"].as_str()),
        (Some(day(later).as_str()), Some("pending"))
    );
    problem(
        app.post(&path, &student, json!({"due_on": day(asked)})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    let listed: Value =
        app.get("/api/v1/loans?extension_pending=true", &staff).await.json().await.expect("json");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
    let mine: Value = app.get("/api/v1/me/loans", &student).await.json().await.expect("json");
    assert!(
        mine["loans"][0]["status_text"].as_str().is_some_and(|t| t.contains("We laten het je weten")),
        "{mine}"
    );

    // Refused: the date stays. Asked again and approved: the asked-for date.
    let refused: Value = app
        .post(
            &format!("/api/v1/loans/{id}/extension/refuse"),
            &staff,
            json!({"answer": "Breng hem na je stage terug."}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (refused["extension"]["state"].as_str(), refused["due_on"].as_str()),
        (Some("refused"), Some(day(later).as_str()))
    );
    problem(
        app.post(&format!("/api/v1/loans/{id}/extension/approve"), &staff, json!({})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(app.post(&path, &student, json!({"due_on": day(asked)})).await.status(), StatusCode::ACCEPTED);
    let approved: Value = app
        .post(&format!("/api/v1/loans/{id}/extension/approve"), &staff, json!({}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (approved["extension"]["state"].as_str(), approved["due_on"].as_str()),
        (Some("approved"), Some(day(asked).as_str()))
    );

    let history: Value =
        app.get(&format!("/api/v1/loans/{id}/history"), &student).await.json().await.expect("json");
    let steps: Vec<&str> =
        history["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        steps,
        vec![
            "accept",
            "handover",
            "extend",
            "request_extension",
            "refuse_extension",
            "request_extension",
            "approve_extension"
        ]
    );
}

#[tokio::test]
async fn a_reservation_not_picked_up_in_time_lapses_and_the_kit_goes_to_the_next_in_line() {
    let app = spawn_app().await;
    let (staff, coordinator, email, loan, device, request) = confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id").to_owned();
    // Someone else at the same hub waits for a laptop.
    let students: Value = app.get("/api/v1/students", &coordinator).await.json().await.expect("json");
    let mut body = student_body("Bo de Vries", "bo@example.org");
    body["hub_id"] = students["items"][0]["hub_id"].clone();
    let second = enrol(&app, &coordinator, body).await;
    let res = request_kit(&app, &coordinator, json!({"student_id": second["id"], "kind": "laptop"})).await;
    let second_request = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();

    // Nothing lapses before the pick-up day has passed.
    let settings = app.settings.clone();
    let report =
        app.with_db(move |c| devicepool::workflows::housekeeping::run(c, &settings).expect("run")).await;
    assert_eq!(report.reservations_lapsed, 0);
    // Fifteen days on: the pick-up day was yesterday.
    let loan_id = id.clone();
    app.with_db(move |c| {
        use devicepool::store::schema::loans;
        use diesel::prelude::*;
        let yesterday = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
        diesel::update(loans::table.find(loan_id))
            .set(loans::pick_up_by.eq(Some(yesterday)))
            .execute(c)
            .expect("update")
    })
    .await;
    let settings = app.settings.clone();
    let report =
        app.with_db(move |c| devicepool::workflows::housekeeping::run(c, &settings).expect("run")).await;
    assert_eq!(report.reservations_lapsed, 1);

    let lapsed: Value = app.get(&format!("/api/v1/loans/{id}"), &staff).await.json().await.expect("json");
    assert_eq!((lapsed["state"].as_str(), lapsed["allowed_actions"].clone()), (Some("lapsed"), json!([])));
    let first: Value =
        app.get(&format!("/api/v1/requests/{request}"), &coordinator).await.json().await.expect("json");
    assert_eq!(first["state"], "pending", "back in the queue");
    // The laptop went back to the pool and was offered to the next request, not the lapsed one.
    let offers: Value =
        app.get("/api/v1/allocations?state=proposed", &staff).await.json().await.expect("json");
    assert_eq!(
        (offers["items"][0]["request_id"].as_str(), offers["items"][0]["device_id"].as_str()),
        (Some(second_request.as_str()), Some(device.as_str())),
        "{offers}"
    );
    let history: Value =
        app.get(&format!("/api/v1/devices/{device}/history"), &staff).await.json().await.expect("json");
    let actions: Vec<&str> =
        history["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions[actions.len() - 2..], ["release", "reserve"]);
    let student = sign_in_student(&app, &email).await;
    let mine: Value = app.get("/api/v1/me/loans", &student).await.json().await.expect("json");
    assert_eq!(
        mine["loans"][0]["status_text"],
        "Je hebt een laptop niet op tijd opgehaald. Je aanvraag staat weer in de wachtrij."
    );
    let loan_history: Value =
        app.get(&format!("/api/v1/loans/{id}/history"), &staff).await.json().await.expect("json");
    assert_eq!(loan_history["items"][0]["action"], "lapse");
    assert!(loan_history["items"][0]["actor_id"].is_null(), "the server did it");
    // A second run finds nothing more to do.
    let settings = app.settings.clone();
    let report =
        app.with_db(move |c| devicepool::workflows::housekeeping::run(c, &settings).expect("run")).await;
    assert_eq!(report.reservations_lapsed, 0);
}

#[tokio::test]
async fn kit_promised_to_a_student_leaves_only_through_its_loan_and_loans_filter_by_hub_and_school() {
    let app = spawn_app().await;
    let (staff, coordinator, _, loan, device, _) = confirmed_loan(&app).await;
    let path = format!("/api/v1/devices/{device}/transitions");
    for action in ["release", "mark_lost"] {
        problem(app.post(&path, &staff, json!({"action": action})).await, StatusCode::CONFLICT, "conflict")
            .await;
    }
    let hub = loan["hub_id"].as_str().expect("hub");
    let school: Value = app.get("/api/v1/me", &coordinator).await.json().await.expect("json");
    let school = school["organisation_id"].as_str().expect("school");
    for (query, n) in [
        (format!("hub_id={hub}"), 1),
        (format!("school_id={school}"), 1),
        (format!("school_id={}", uuid::Uuid::new_v4()), 0),
        (format!("hub_id={}", uuid::Uuid::new_v4()), 0),
    ] {
        let listed: Value =
            app.get(&format!("/api/v1/loans?{query}"), &staff).await.json().await.expect("json");
        assert_eq!(listed["items"].as_array().map(Vec::len), Some(n), "{query}");
    }
}

#[tokio::test]
async fn staff_move_an_available_device_to_another_hub_with_a_history_event() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let hub = |name: &'static str| {
        let (app, staff) = (&app, &staff);
        async move {
            let res = app.post("/api/v1/hubs", staff, json!({"name": name, "address": "Straat 1"})).await;
            res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned()
        }
    };
    let (west, east) = (hub("Hub West").await, hub("Hub Oost").await);
    let donor = app.create_organisation(&admin, "Northwind BV", "donor").await;
    let donation = create_donation(&app, &staff, json!({"donor_id": donor, "expected_hub_id": west})).await;
    let device =
        create_laptop(&app, &staff, &donation, "MOVE-1", 8).await["id"].as_str().expect("id").to_owned();
    make_available(&app, &staff, &device).await;
    let path = format!("/api/v1/devices/{device}/transitions");
    problem(
        app.post(&path, &staff, json!({"action": "move", "hub_id": west})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let moved: Value =
        app.post(&path, &staff, json!({"action": "move", "hub_id": east})).await.json().await.expect("json");
    assert_eq!((moved["state"].as_str(), moved["hub_id"].as_str()), (Some("available"), Some(east.as_str())));
    let history: Value =
        app.get(&format!("/api/v1/devices/{device}/history"), &staff).await.json().await.expect("json");
    let last = history["items"].as_array().and_then(|i| i.last()).expect("event").clone();
    assert_eq!(
        (
            last["action"].as_str(),
            last["details"]["from_hub_id"].as_str(),
            last["details"]["hub_id"].as_str()
        ),
        (Some("move"), Some(west.as_str()), Some(east.as_str()))
    );
}

#[tokio::test]
async fn a_dongle_goes_back_into_the_pool_only_with_time_left_on_its_plan() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let hub = app
        .post("/api/v1/hubs", &staff, json!({"name": "Hub Noord", "address": "Buikslotermeerplein 1"}))
        .await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let donor = app.create_organisation(&admin, "KPN", "donor").await;
    let donation = create_donation(&app, &staff, json!({"donor_id": donor, "expected_hub_id": hub})).await;
    let soon = chrono::Utc::now().date_naive() + chrono::Duration::days(10);
    let res = app
        .post(
            "/api/v1/devices",
            &staff,
            json!({"kind": "wifi_dongle", "serial_number": "DONGLE-1", "model": "Huawei E8372",
                   "donation_id": donation, "carrier": "KPN", "data_allowance_gb": 50,
                   "plan_ends_on": soon.format("%Y-%m-%d").to_string()}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let device = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/devices/{device}/transitions");
    for body in [
        json!({"action": "receive"}),
        json!({"action": "wipe", "method": "nist_clear", "certificate_ref": "FACTORY-RESET-1"}),
        json!({"action": "grade", "grade": "A"}),
    ] {
        assert_eq!(app.post(&path, &staff, body).await.status(), StatusCode::OK);
    }
    let refused = problem(
        app.post(&path, &staff, json!({"action": "release"})).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(refused["detail"].as_str().is_some_and(|d| d.contains("renew_plan")), "{refused}");
    problem(
        app.post(&path, &staff, json!({"action": "renew_plan", "plan_ends_on": "2020-01-01"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let renewed =
        (chrono::Utc::now().date_naive() + chrono::Duration::days(365)).format("%Y-%m-%d").to_string();
    let res = app.post(&path, &staff, json!({"action": "renew_plan", "plan_ends_on": renewed})).await;
    assert_eq!(res.json::<Value>().await.expect("json")["plan_ends_on"], renewed.as_str());
    assert_eq!(app.post(&path, &staff, json!({"action": "release"})).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_loan_agreement_is_served_in_dutch_and_english_with_its_version() {
    let app = spawn_app().await;
    for (lang, heading) in [("nl", "Leenovereenkomst"), ("en", "Loan agreement")] {
        let res = reqwest::get(app.url(&format!("/api/v1/loan-agreement?lang={lang}"))).await.expect("get");
        assert_eq!(res.status(), StatusCode::OK);
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["version"], app.settings.loans.agreement_version.as_str());
        assert!(body["text"].as_str().is_some_and(|t| t.starts_with(&format!("# {heading}"))), "{body}");
    }
    let res = reqwest::get(app.url("/api/v1/loan-agreement?lang=de")).await.expect("get");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn metrics_show_the_pool_the_queue_and_overdue_loans() {
    let app = spawn_app().await;
    let (staff, coordinator, email, loan, _, _) = confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id").to_owned();
    hand_over_to_student(&app, &staff, &email, &id).await;
    // One more laptop in the pool at the same hub, and one student waiting.
    let donations: Value = app.get("/api/v1/donations", &staff).await.json().await.expect("json");
    let donation = donations["items"][0]["id"].as_str().expect("donation").to_owned();
    let spare =
        create_laptop(&app, &staff, &donation, "SPARE-1", 8).await["id"].as_str().expect("id").to_owned();
    make_available(&app, &staff, &spare).await;
    let mut body = student_body("Bo de Vries", "bo@example.org");
    body["lacks_laptop"] = json!(false);
    body["lacks_connectivity"] = json!(true);
    let bo = enrol(&app, &coordinator, body).await;
    let res = request_kit(&app, &coordinator, json!({"student_id": bo["id"], "kind": "connectivity"})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    app.with_db(move |c| {
        use devicepool::store::schema::loans;
        use diesel::prelude::*;
        let due = chrono::Utc::now().date_naive() - chrono::Duration::days(3);
        diesel::update(loans::table.find(id)).set(loans::due_on.eq(due)).execute(c).expect("update")
    })
    .await;
    let text = app.client.get(app.url("/metrics")).send().await.expect("metrics").text().await.expect("text");
    for line in [
        r#"devicepool_pool_available{hub="Hub Zuidoost",kind="laptop"} 1"#,
        r#"devicepool_queue_length{kind="connectivity"} 1"#,
        r#"devicepool_queue_length{kind="laptop"} 0"#,
        "devicepool_loans_overdue 1",
        r#"devicepool_outbox_messages{state="dead"} 0"#,
    ] {
        assert!(text.lines().any(|l| l == line), "no {line} in:\n{text}");
    }
}
