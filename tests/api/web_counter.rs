//! The hand-over counter over HTTP against the real app: a student's reserved laptop found by
//! name, email or the pick-up code in their mail, the agreement accepted on the spot, the
//! accessories given recorded, and who may use the counter.

use devicepool::store::outbox;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::fixtures::confirmed_loan;
use crate::helpers::{problem, spawn_app};
use crate::web::{form, form_token, page};
use crate::web_school::{html, location, session_of};

#[tokio::test]
async fn a_reserved_laptop_is_found_accepted_on_the_spot_and_handed_over_with_what_was_given() {
    let app = spawn_app().await;
    let (staff, coordinator, email, loan, _, _) = confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id").to_owned();
    let session = session_of(&app, &staff).await;

    // The code in the "ready" mail finds the loan, as do the name and the email.
    let to = email.clone();
    let mails = app.with_db(move |c| outbox::for_recipient(c, &to).expect("rows")).await;
    let ready = mails.iter().find(|m| m.template == "kit_ready").expect("a ready mail");
    let payload: Value = serde_json::from_str(&ready.payload).expect("payload");
    let code = payload["pick_up_code"].as_str().expect("a pick-up code").to_owned();
    assert_eq!(code.len(), 9, "{code}");
    for typed in [code.to_lowercase().replace('-', " "), "demir".into(), email.to_uppercase()] {
        let res = page(&app, &format!("/handovers?q={}", urlencoding(&typed)), &session).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{typed}");
        assert_eq!(location(&res), format!("/handovers/{id}"), "{typed}");
    }
    let res = page(&app, "/handovers?q=Nobody&lang=en", &session).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.expect("html").contains("No kit waits for Nobody."));

    let counter = html(&app, &format!("/handovers/{id}?lang=en"), &session, StatusCode::OK).await;
    assert!(counter.contains("Ayla Demir") && counter.contains("Not accepted yet"), "{counter}");
    assert!(counter.contains(&code) && counter.contains("name=\"give_charger\""), "{counter}");
    let csrf = form_token(&counter);
    let path = format!("/handovers/{id}?lang=en");

    // Without the student's tick nothing happens.
    let res = form(&app, &path, &session, &[("csrf", &csrf), ("give_charger", "yes")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("html").contains("error-summary"));
    let still: Value = app.get(&format!("/api/v1/loans/{id}"), &staff).await.json().await.expect("json");
    assert_eq!(still["state"], "reserved");
    assert_eq!(still["accepted_at"], Value::Null, "nothing half-written");

    // The student ticks the box; staff give the charger and the bag, not the mouse.
    let fields = [("csrf", csrf.as_str()), ("agree", "yes"), ("give_charger", "yes"), ("give_bag", "yes")];
    let res = form(&app, &path, &session, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/handovers?handed=1");
    let done = html(&app, "/handovers?handed=1&lang=en", &session, StatusCode::OK).await;
    assert!(done.contains("Handed over. The loan has started."), "{done}");
    let active: Value = app.get(&format!("/api/v1/loans/{id}"), &staff).await.json().await.expect("json");
    assert_eq!(active["state"], "active");
    assert_eq!(active["accessories"], json!(["charger", "bag"]));
    assert!(active["accepted_at"].is_string());
    let history: Value =
        app.get(&format!("/api/v1/loans/{id}/history"), &staff).await.json().await.expect("json");
    let actions: Vec<&str> =
        history["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.ends_with(&["accept", "handover"]), "{history}");

    // Handed over, it is no longer at the counter: the 404 page, for a second desk too.
    page_status(&app, &format!("/handovers/{id}"), &session, StatusCode::NOT_FOUND).await;
    let res = form(&app, &path, &session, &fields).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The counter is for pool staff only.
    let school = session_of(&app, &coordinator).await;
    page_status(&app, "/handovers", &school, StatusCode::FORBIDDEN).await;
}

async fn page_status(app: &crate::helpers::TestApp, path: &str, session: &str, status: StatusCode) {
    assert_eq!(page(app, path, session).await.status(), status, "{path}");
}

/// `text` as a query value.
fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn broken_kit_is_swapped_at_the_desk_in_one_step_and_only_once() {
    let app = spawn_app().await;
    let (staff, _, email, loan, broken, _) = confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id").to_owned();
    let student = crate::loans::hand_over_to_student(&app, &staff, &email, &id).await;
    let res = app
        .post(&format!("/api/v1/loans/{id}/fault"), &student, json!({"description": "Screen flickers."}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let report = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    // A second laptop in the pool at the same hub.
    let spare = crate::fixtures::spare_laptop_beside(&app, &staff, &broken, "SPARE-1").await;
    let spare_id = spare["id"].as_str().expect("id").to_owned();
    let spare_tag = spare["asset_tag"].as_str().expect("tag").to_owned();
    let broken_tag =
        app.get(&format!("/api/v1/devices/{broken}"), &staff).await.json::<Value>().await.expect("json")
            ["asset_tag"]
            .as_str()
            .expect("tag")
            .to_owned();
    let mails_before = app.with_db(move |c| outbox::for_recipient(c, &email).expect("rows").len()).await;

    let session = session_of(&app, &staff).await;
    let queue = html(&app, "/faults?lang=en", &session, StatusCode::OK).await;
    assert!(queue.contains("Ayla Demir") && queue.contains("Screen flickers."), "{queue}");
    let page_html = html(&app, &format!("/faults/{report}?lang=en"), &session, StatusCode::OK).await;
    let csrf = form_token(&page_html);
    let path = format!("/faults/{report}/swap?lang=en");
    // A code that is no device, and a device that is not in the pool: said at the field, nothing done.
    let res = form(&app, &path, &session, &[("csrf", &csrf), ("code", "NOPE-1")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("html").contains("No device has the tag or serial number NOPE-1."));
    let res = form(&app, &path, &session, &[("csrf", &csrf), ("code", &broken_tag)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("html").contains(&format!("{broken_tag} cannot be lent now.")));
    let still: Value = app.get(&format!("/api/v1/loans/{id}"), &staff).await.json().await.expect("json");
    assert_eq!(still["state"], "active", "nothing half-written");

    let res = form(&app, &path, &session, &[("csrf", &csrf), ("code", &spare_tag.to_lowercase())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/faults?broken={broken_tag}&replacement={spare_tag}"));
    let old: Value = app.get(&format!("/api/v1/loans/{id}"), &staff).await.json().await.expect("json");
    assert_eq!(
        (old["state"].as_str(), old["return_condition"].as_str()),
        (Some("returned"), Some("damaged"))
    );
    let device = |d: String| {
        let (app, staff) = (&app, &staff);
        async move { app.get(&format!("/api/v1/devices/{d}"), staff).await.json::<Value>().await.expect("json") }
    };
    assert_eq!(device(broken.clone()).await["state"], "repair");
    assert_eq!(device(spare_id.clone()).await["state"], "on_loan");
    let mine: Value = app.get("/api/v1/me/loans", &student).await.json().await.expect("json");
    let active: Vec<&Value> =
        mine["loans"].as_array().expect("loans").iter().filter(|l| l["state"] == "active").collect();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0]["device_id"], spare_id.as_str(), "the student has the replacement");
    let to = "ayla@example.org".to_owned();
    let mails_after = app.with_db(move |c| outbox::for_recipient(c, &to).expect("rows").len()).await;
    assert_eq!(mails_after, mails_before, "no mails: the student is at the desk");
    let done = html(&app, &location(&res), &session, StatusCode::OK).await;
    assert!(done.contains("No broken kit waits for a swap."), "{done}");

    // A second desk pressing Swap finds the report resolved.
    let res = form(&app, &path, &session, &[("csrf", &csrf), ("code", &spare_tag)]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// The API twin of the desk's swap: `POST /api/v1/fault-reports/{id}/swap {device_id}`.
#[tokio::test]
async fn broken_kit_is_swapped_over_the_api_as_at_the_desk_and_only_once() {
    let app = spawn_app().await;
    let (staff, coordinator, email, loan, broken, _) = confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id").to_owned();
    let student = crate::loans::hand_over_to_student(&app, &staff, &email, &id).await;
    let res =
        app.post(&format!("/api/v1/loans/{id}/fault"), &student, json!({"description": "No sound."})).await;
    let report = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let spare = crate::fixtures::spare_laptop_beside(&app, &staff, &broken, "SPARE-API-1").await;
    let spare = spare["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/fault-reports/{report}/swap");

    // Only staff; a device that is not there or cannot be lent is named, nothing done.
    let res = app.post(&path, &coordinator, json!({"device_id": spare})).await;
    problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app.post(&path, &staff, json!({"device_id": uuid::Uuid::now_v7()})).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "device_id", "{body}");
    let res = app.post(&path, &staff, json!({"device_id": broken})).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "device_id", "{body}");
    let still: Value = app.get(&format!("/api/v1/loans/{id}"), &staff).await.json().await.expect("json");
    assert_eq!(still["state"], "active", "nothing half-written");

    let res = app.post(&path, &staff, json!({"device_id": spare})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).expect("location").to_owned();
    let new: Value = res.json().await.expect("json");
    assert_eq!(location, format!("/api/v1/loans/{}", new["id"].as_str().expect("id")));
    assert_eq!((new["state"].as_str(), new["device_id"].as_str()), (Some("active"), Some(spare.as_str())));
    let old: Value = app.get(&format!("/api/v1/loans/{id}"), &staff).await.json().await.expect("json");
    assert_eq!(
        (old["state"].as_str(), old["return_condition"].as_str()),
        (Some("returned"), Some("damaged"))
    );
    let device: Value =
        app.get(&format!("/api/v1/devices/{broken}"), &staff).await.json().await.expect("json");
    assert_eq!(device["state"], "repair");
    // Once only.
    let res = app.post(&path, &staff, json!({"device_id": spare})).await;
    problem(res, StatusCode::NOT_FOUND, "not_found").await;
}
