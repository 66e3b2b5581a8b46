use chrono::{Duration, Utc};
use devicepool::domain::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{problem, spawn_app, spawn_app_with, TestApp};
use crate::inventory::{create_donation, create_laptop, make_available, transition};
use crate::students::{enrol, request_kit};

/// A hub with two laptops (8 GB and 16 GB), a school with two students who lack one (a
/// data analyst, whose track needs 16 GB, and a coder, 8 GB), and their requests.
struct World {
    staff: String,
    admin: String,
    hub: String,
    school: String,
    coordinator: String,
    donation: String,
    small: String,
    big: String,
    analyst_request: String,
    coder_request: String,
}

async fn world(app: &TestApp) -> World {
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let hub =
        app.post("/api/v1/hubs", &staff, json!({"name": "Hub Zuidoost", "address": "Bijlmerplein 1"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let donor_org = app.create_organisation(&admin, "Northwind BV", "donor").await;
    let donation = create_donation(app, &staff, json!({"donor_id": donor_org, "expected_hub_id": hub})).await;
    let small =
        create_laptop(app, &staff, &donation, "SMALL-1", 8).await["id"].as_str().expect("id").to_owned();
    let big = create_laptop(app, &staff, &donation, "BIG-1", 16).await["id"].as_str().expect("id").to_owned();
    for id in [&small, &big] {
        make_available(app, &staff, id).await;
    }
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    let mut ids = Vec::new();
    for (name, email, track) in
        [("Ana", "ana@example.org", "data_analyst"), ("Cas", "cas@example.org", "coder")]
    {
        let start = Utc::now().date_naive() + Duration::days(10);
        let student = enrol(
            app,
            &coordinator,
            json!({"name": name, "email": email, "preferred_language": "en", "track": track, "hub_id": hub,
                   "programme_start": start, "programme_end": start + Duration::days(200), "lacks_laptop": true}),
        )
        .await;
        let res =
            request_kit(app, &coordinator, json!({"student_id": student["id"], "kind": "laptop"})).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        ids.push(res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned());
    }
    World {
        staff,
        admin,
        hub,
        school,
        coordinator,
        donation,
        small,
        big,
        analyst_request: ids[0].clone(),
        coder_request: ids[1].clone(),
    }
}

fn proposal_for<'a>(run: &'a Value, request: &str) -> &'a Value {
    run["proposals"]
        .as_array()
        .expect("proposals")
        .iter()
        .find(|p| p["request_id"] == request)
        .expect("a proposal")
}

#[tokio::test]
async fn a_dry_run_explains_the_best_allocation_and_writes_nothing() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let res = app.post("/api/v1/allocations/run", &w.staff, json!({"dry_run": true})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let run: Value = res.json().await.expect("json");
    // The 16 GB laptop goes to the analyst whose track needs it, the 8 GB one to the coder.
    assert_eq!(proposal_for(&run, &w.analyst_request)["device_id"], w.big.as_str());
    assert_eq!(proposal_for(&run, &w.coder_request)["device_id"], w.small.as_str());
    let p = proposal_for(&run, &w.coder_request);
    assert_eq!(p["id"], Value::Null);
    assert!(p["priority"]["urgency"].is_i64() && p["priority"]["lacks"] == 40);
    assert_eq!(p["cost"], json!({"travel": 0, "grade": 2, "waste": 0, "total": 2}));
    assert!(p["reason"].as_str().is_some_and(|r| r.contains("own hub") && r.contains("Priority")), "{p}");
    assert_eq!(run["objective"]["served"], 2);
    // Nothing changed.
    let device: Value =
        app.get(&format!("/api/v1/devices/{}", w.big), &w.staff).await.json().await.expect("json");
    assert_eq!(device["state"], "available");
    let list: Value = app.get("/api/v1/allocations", &w.staff).await.json().await.expect("json");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
    problem(
        app.post("/api/v1/allocations/run", &w.coordinator, json!({"dry_run": true})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_run_reserves_kit_and_staff_confirm_or_reject() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let run: Value =
        app.post("/api/v1/allocations/run", &w.staff, json!({})).await.json().await.expect("json");
    let analyst = proposal_for(&run, &w.analyst_request);
    let coder = proposal_for(&run, &w.coder_request);
    let (analyst_alloc, coder_alloc) =
        (analyst["id"].as_str().expect("id"), coder["id"].as_str().expect("id"));
    let big: Value =
        app.get(&format!("/api/v1/devices/{}", w.big), &w.staff).await.json().await.expect("json");
    assert_eq!(big["state"], "reserved");
    let request: Value = app
        .get(&format!("/api/v1/requests/{}", w.analyst_request), &w.coordinator)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(request["state"], "allocated");
    let history: Value =
        app.get(&format!("/api/v1/devices/{}/history", w.big), &w.staff).await.json().await.expect("json");
    assert_eq!(
        history["items"].as_array().and_then(|i| i.last()).map(|e| e["action"].clone()),
        Some(json!("reserve"))
    );
    // A second run finds nothing left to do.
    let again: Value =
        app.post("/api/v1/allocations/run", &w.staff, json!({})).await.json().await.expect("json");
    assert_eq!(again["proposals"], json!([]));

    let res = app.post(&format!("/api/v1/allocations/{analyst_alloc}/confirm"), &w.staff, json!({})).await;
    assert_eq!(res.status(), StatusCode::CREATED, "confirming opens a loan");
    assert!(res
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .is_some_and(|l| l.starts_with("/api/v1/loans/")));
    let loan: Value = res.json().await.expect("json");
    assert_eq!(
        (loan["state"].as_str(), loan["device_id"].as_str()),
        (Some("reserved"), Some(w.big.as_str()))
    );
    assert_eq!(loan["allowed_actions"], json!(["accept", "extend"]));
    problem(
        app.post(&format!("/api/v1/allocations/{analyst_alloc}/reject"), &w.staff, json!({})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    let res = app.post(&format!("/api/v1/allocations/{coder_alloc}/reject"), &w.staff, json!({})).await;
    assert_eq!(res.json::<Value>().await.expect("json")["state"], "rejected");
    let small: Value =
        app.get(&format!("/api/v1/devices/{}", w.small), &w.staff).await.json().await.expect("json");
    assert_eq!(small["state"], "available", "a rejected item goes back to the pool");
    let request: Value = app
        .get(&format!("/api/v1/requests/{}", w.coder_request), &w.coordinator)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(request["state"], "pending", "and its request back to the queue");
    let list: Value =
        app.get("/api/v1/allocations?state=confirmed", &w.staff).await.json().await.expect("json");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_proposal_whose_device_changed_meanwhile_drops_out_alone() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let settings = app.settings.clone();
    let today = Utc::now().date_naive();
    let plan = app
        .with_db(move |conn| {
            devicepool::workflows::allocations::plan(conn, &settings, &Default::default(), today)
                .expect("plan")
        })
        .await;
    assert_eq!(plan.proposals.len(), 2);
    // Between planning and applying, someone marks the big laptop lost.
    assert_eq!(
        transition(&app, &w.staff, &w.big, json!({"action": "mark_lost"})).await.status(),
        StatusCode::OK
    );
    let me: Value = app.get("/api/v1/me", &w.staff).await.json().await.expect("json");
    let actor = me["id"].as_str().expect("id").to_owned();
    let written = app
        .with_db(move |conn| {
            devicepool::store::write_tx(conn, |conn| {
                devicepool::workflows::allocations::apply_plan(conn, &plan, &actor, today)
            })
            .expect("apply")
        })
        .await;
    let requests: Vec<&str> = written.iter().map(|a| a.request_id.as_str()).collect();
    assert_eq!(requests, vec![w.coder_request.as_str()], "only the untouched proposal was written");
    let analyst: Value = app
        .get(&format!("/api/v1/requests/{}", w.analyst_request), &w.coordinator)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(analyst["state"], "pending");
}

#[tokio::test]
async fn two_runs_at_once_never_reserve_one_device_twice() {
    // Kit released here is left for the runs, not offered as it comes in.
    let app = spawn_app_with(|s| s.loans.offer_available_kit = false).await;
    let w = world(&app).await;
    for n in 0..4 {
        let id = create_laptop(&app, &w.staff, &w.donation, &format!("EXTRA-{n}"), 8).await["id"]
            .as_str()
            .expect("id")
            .to_owned();
        make_available(&app, &w.staff, &id).await;
    }
    let (a, b) = tokio::join!(
        app.post("/api/v1/allocations/run", &w.staff, json!({})),
        app.post("/api/v1/allocations/run", &w.staff, json!({}))
    );
    assert_eq!((a.status(), b.status()), (StatusCode::OK, StatusCode::OK));
    let (a, b): (Value, Value) = (a.json().await.expect("json"), b.json().await.expect("json"));
    let mut devices: Vec<String> = a["proposals"]
        .as_array()
        .expect("a")
        .iter()
        .chain(b["proposals"].as_array().expect("b"))
        .map(|p| p["device_id"].as_str().expect("device").to_owned())
        .collect();
    let total = devices.len();
    devices.sort();
    devices.dedup();
    assert_eq!(devices.len(), total, "no device in two proposals");
    assert_eq!(total, 2, "both requests allocated once, by one run or the other");
    let list: Value = app.get("/api/v1/allocations", &w.staff).await.json().await.expect("json");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn unserved_requests_say_why_and_caps_bind() {
    let app = spawn_app().await;
    let w = world(&app).await;
    // Only the 8 GB laptop stays in the pool: the analyst (16 GB) cannot be served.
    assert_eq!(
        transition(&app, &w.staff, &w.big, json!({"action": "retire"})).await.status(),
        StatusCode::OK
    );
    let run: Value = app
        .post("/api/v1/allocations/run", &w.staff, json!({"dry_run": true}))
        .await
        .json()
        .await
        .expect("json");
    let unserved = run["unserved"].as_array().expect("unserved");
    assert_eq!(unserved.len(), 1);
    assert_eq!(unserved[0]["request_id"], w.analyst_request.as_str());
    assert!(unserved[0]["reason"].as_str().is_some_and(|r| r.contains("16 GB")), "{unserved:?}");

    // A cap of 0 laptops for the school: nobody there is served, and the reason says so.
    let res = app
        .post("/api/v1/allocation-caps", &w.staff, json!({"school_id": w.school, "kind": "laptop", "cap": 0}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let run: Value = app
        .post("/api/v1/allocations/run", &w.staff, json!({"dry_run": true}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(run["proposals"], json!([]));
    let coder = run["unserved"]
        .as_array()
        .expect("unserved")
        .iter()
        .find(|u| u["request_id"] == w.coder_request.as_str())
        .expect("coder");
    assert!(coder["reason"].as_str().is_some_and(|r| r.contains("share")), "{coder}");
    let caps: Value = app.get("/api/v1/allocation-caps", &w.staff).await.json().await.expect("json");
    assert_eq!(caps["items"][0]["cap"], 0);
    problem(
        app.post(
            "/api/v1/allocation-caps",
            &w.admin,
            json!({"school_id": w.hub, "kind": "laptop", "cap": 1}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn students_can_be_sent_to_another_hub_only_with_a_travel_cost_and_their_consent() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let other = app
        .post("/api/v1/hubs", &w.staff, json!({"name": "Hub Zaandam", "address": "Stationsplein 10"}))
        .await;
    let other = other.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    // Move the students to the other hub; their requests do not allow travel.
    let students: Value = app.get("/api/v1/students", &w.coordinator).await.json().await.expect("json");
    for s in students["items"].as_array().expect("items") {
        app.patch(
            &format!("/api/v1/students/{}", s["id"].as_str().expect("id")),
            &w.coordinator,
            json!({"hub_id": other}),
        )
        .await;
    }
    let run: Value = app
        .post("/api/v1/allocations/run", &w.staff, json!({"dry_run": true}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(run["proposals"], json!([]), "no travel allowed");
    // Allow travel on one request and set a travel cost: now it is served, with that cost.
    for r in [&w.coder_request, &w.analyst_request] {
        app.post(&format!("/api/v1/requests/{r}/cancel"), &w.coordinator, json!({})).await;
    }
    let res = app
        .post("/api/v1/travel-costs", &w.staff, json!({"from_hub_id": other, "to_hub_id": w.hub, "cost": 4}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let coder =
        students["items"].as_array().expect("items").iter().find(|s| s["track"] == "coder").expect("coder");
    let res = request_kit(
        &app,
        &w.coordinator,
        json!({"student_id": coder["id"], "kind": "laptop", "travel_ok": true}),
    )
    .await;
    let request = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let run: Value = app
        .post("/api/v1/allocations/run", &w.staff, json!({"dry_run": true}))
        .await
        .json()
        .await
        .expect("json");
    let p = proposal_for(&run, &request);
    assert_eq!(p["cost"]["travel"], 4);
    assert_eq!(p["device_id"], w.small.as_str(), "the cheaper laptop: less RAM wasted");
}

#[tokio::test]
async fn staff_pick_a_device_for_a_request_by_hand() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let pick = |request: &str, device: &str| {
        app.post("/api/v1/allocations", &w.staff, json!({"request_id": request, "device_id": device}))
    };
    problem(
        app.post(
            "/api/v1/allocations",
            &w.coordinator,
            json!({"request_id": w.coder_request, "device_id": w.small}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    problem(
        app.post("/api/v1/allocations", &w.staff, json!({"request_id": w.coder_request})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let res = pick(&w.coder_request, &w.small).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(res.headers().get("location").is_some());
    let a: Value = res.json().await.expect("json");
    assert_eq!((a["state"].as_str(), a["device_id"].as_str()), (Some("proposed"), Some(w.small.as_str())));
    assert_eq!(a["reason"], "Chosen by pool staff.");
    // The same laptop again, or the same request again: 409.
    problem(pick(&w.analyst_request, &w.small).await, StatusCode::CONFLICT, "conflict").await;
    problem(pick(&w.coder_request, &w.big).await, StatusCode::CONFLICT, "illegal_transition").await;
    let d: Value =
        app.get(&format!("/api/v1/devices/{}", w.small), &w.staff).await.json().await.expect("json");
    assert_eq!(d["state"], "reserved");
}
