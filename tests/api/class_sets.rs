//! Class sets over the API: a school borrows a set of devices for a course, while every
//! waiting student still comes first.

use chrono::{Datelike, Duration, Utc};
use devicepool::domain::Role;
use devicepool::store;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::fixtures::{create_donation, create_laptop, enrol, make_available, request_kit, student_body};
use crate::helpers::{assert_integrity, problem, spawn_app, spawn_app_with, TestApp};

/// A pool with one hub and a school: (admin, staff, coordinator, hub, donation, school).
pub(crate) struct Pool {
    pub(crate) admin: String,
    pub(crate) staff: String,
    pub(crate) coordinator: String,
    pub(crate) hub: String,
    pub(crate) donation: String,
    pub(crate) school: String,
    pub(crate) donor: String,
}

pub(crate) async fn pool(app: &TestApp) -> Pool {
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let hub = app.post("/api/v1/hubs", &staff, json!({"name": "Hub Noord", "address": "Plein 1"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let donor = app.create_organisation(&admin, "Northwind", "donor").await;
    let donation = create_donation(app, &staff, json!({"donor_id": donor, "expected_hub_id": hub})).await;
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    Pool { admin, staff, coordinator, hub, donation, school, donor }
}

/// `n` laptops made available at the pool's hub; their ids.
pub(crate) async fn laptops(app: &TestApp, p: &Pool, prefix: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let laptop = create_laptop(app, &p.staff, &p.donation, &format!("{prefix}-{i}"), 16).await;
        let id = laptop["id"].as_str().expect("id").to_owned();
        make_available(app, &p.staff, &id).await;
        ids.push(id);
    }
    ids
}

/// A student of the pool's school waiting for a laptop at its hub.
async fn waiting_student(app: &TestApp, p: &Pool, name: &str, email: &str) {
    let mut body = student_body(name, email);
    body["hub_id"] = json!(p.hub);
    let student = enrol(app, &p.coordinator, body).await;
    let res = request_kit(app, &p.coordinator, json!({"student_id": student["id"], "kind": "laptop"})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

/// The line of `device` in a set's view.
pub(crate) fn device_in<'a>(set: &'a Value, device: &str) -> &'a Value {
    set["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .find(|d| d["device_id"] == device)
        .expect("the device is in the set")
}

fn day(d: i64) -> String {
    (Utc::now().date_naive() + Duration::days(d)).to_string()
}

async fn ask(app: &TestApp, p: &Pool, count: i64, course: &str) -> Value {
    let body = json!({
        "kind": "laptop", "count": count, "starts_on": day(7), "ends_on": day(77), "hub_id": p.hub, "course": course,
    });
    let res = app.post("/api/v1/class-sets", &p.coordinator, body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(res.headers().get("location").is_some());
    res.json().await.expect("json")
}

async fn step(app: &TestApp, token: &str, set: &str, action: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/api/v1/class-sets/{set}/{action}"), token, body).await
}

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.expect("json");
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn device_state(app: &TestApp, staff: &str, device: &str) -> String {
    let d: Value = app.get(&format!("/api/v1/devices/{device}"), staff).await.json().await.expect("json");
    d["state"].as_str().expect("state").to_owned()
}

/// The class-set mails queued so far, as (template, recipient language).
async fn set_mails(app: &TestApp) -> Vec<(String, Value)> {
    let mut mails: Vec<(String, Value)> = app
        .with_db(|c| store::outbox::list(c, None, None, 1000).expect("outbox"))
        .await
        .into_iter()
        .filter(|m| m.template.starts_with("class_set_"))
        .map(|m| (m.template, serde_json::from_str(&m.payload).expect("payload")))
        .collect();
    mails.sort_by(|a, b| a.0.cmp(&b.0));
    mails
}

#[tokio::test]
async fn waiting_students_come_first_when_a_set_is_offered() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let free = laptops(&app, &p, "SET-FIRST", 3).await;
    waiting_student(&app, &p, "Ayla Demir", "ayla@example.org").await;
    waiting_student(&app, &p, "Bram Jansen", "bram@example.org").await;
    let set = ask(&app, &p, 3, "Coderen 1").await;
    let id = set["id"].as_str().expect("id");
    assert_eq!((set["state"].as_str(), set["reserved"].as_i64()), (Some("requested"), Some(0)));

    // Three free laptops, two students waiting: the set gets one.
    let offered = ok(step(&app, &p.staff, id, "offer", json!({})).await).await;
    assert_eq!(offered["reserved"], 1, "{offered}");
    assert_eq!(offered["devices"].as_array().map(Vec::len), Some(1));
    assert_eq!(offered["class_set"]["state"], "offered");
    let reason = offered["reason"].as_str().expect("a reason");
    assert!(reason.contains("2") && reason.to_lowercase().contains("student"), "{reason}");
    let held = offered["devices"][0]["device_id"].as_str().expect("id").to_owned();
    assert!(free.contains(&held));
    assert_eq!(device_state(&app, &p.staff, &held).await, "reserved");

    // A laptop released while students wait goes to a student, not to the set.
    let released = laptops(&app, &p, "SET-LATER", 1).await.remove(0);
    assert_eq!(device_state(&app, &p.staff, &released).await, "reserved");
    let proposals: Value =
        app.get("/api/v1/allocations?state=proposed", &p.staff).await.json().await.expect("json");
    let to_students: Vec<&str> = proposals["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|a| a["device_id"].as_str())
        .collect();
    assert_eq!(to_students, [released.as_str()], "offered to a waiting student");
    let now: Value =
        app.get(&format!("/api/v1/class-sets/{id}"), &p.coordinator).await.json().await.expect("json");
    let in_set: Vec<&str> =
        now["devices"].as_array().expect("devices").iter().filter_map(|d| d["device_id"].as_str()).collect();
    assert_eq!(in_set, [held.as_str()]);

    // Topping up: one student still waits for one of the two free laptops; the set gets the other.
    let topped = ok(step(&app, &p.staff, id, "offer", json!({})).await).await;
    assert_eq!(topped["reserved"], 1, "{topped}");
    assert_eq!(topped["class_set"]["reserved"], 2);
    assert!(topped["reason"].as_str().is_some_and(|r| r.contains("1")));
    // The plan behind the offer left the waiting student a laptop.
    let left: Vec<&String> =
        free.iter().filter(|d| !topped["devices"].to_string().contains(d.as_str())).collect();
    assert_eq!(left.len(), 1);
    assert_eq!(device_state(&app, &p.staff, left[0]).await, "available");
    assert_integrity(&app).await;
}

#[tokio::test]
async fn a_set_goes_from_request_to_hand_over_and_back_device_by_device() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let kit = laptops(&app, &p, "SET-LIFE", 3).await;
    let set = ask(&app, &p, 3, "Data basis").await;
    let id = set["id"].as_str().expect("id");

    // Nothing to accept or hand over before an offer.
    problem(
        step(&app, &p.staff, id, "handover", json!({})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    let agreement: Value = app
        .client
        .get(app.url("/api/v1/class-set-agreement?lang=nl"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let version = agreement["version"].as_str().expect("version").to_owned();
    assert!(agreement["text"].as_str().is_some_and(|t| t.contains("klassenset")));
    problem(
        step(&app, &p.coordinator, id, "accept", json!({"agreement_version": version})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;

    let offered = ok(step(&app, &p.staff, id, "offer", json!({})).await).await;
    assert_eq!((offered["reserved"].as_i64(), offered["reason"].is_null()), (Some(3), true), "{offered}");
    assert_eq!(offered["devices"][0]["due_on"], day(77));
    assert_eq!(offered["devices"][0]["accessories"], json!(["charger", "bag", "mouse"]));
    // An old agreement version is refused; the current one is stored with the set.
    let stale = problem(
        step(&app, &p.coordinator, id, "accept", json!({"agreement_version": "2020-01"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(stale["errors"][0]["field"], "agreement_version");
    // Staff cannot accept for the school.
    problem(
        step(&app, &p.staff, id, "accept", json!({"agreement_version": version})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let accepted =
        ok(step(&app, &p.coordinator, id, "accept", json!({"agreement_version": version})).await).await;
    assert_eq!(
        (accepted["state"].as_str(), accepted["agreement_version"].as_str()),
        (Some("accepted"), Some(version.as_str()))
    );

    let lent = ok(step(&app, &p.staff, id, "handover", json!({})).await).await;
    assert_eq!(lent["state"], "on_loan");
    assert!(lent["devices"].as_array().expect("devices").iter().all(|d| d["state"] == "active"));
    assert_eq!(lent["missing"], json!([]), "nothing missing while the course runs");
    for d in &kit {
        assert_eq!(device_state(&app, &p.staff, d).await, "on_loan");
    }
    // The donor sees their laptop in service, and nothing of the school or the set.
    let (donor, _) = app.user_with_role(&p.admin, Role::Donor, Some(&p.donor)).await;
    let seen = app.get(&format!("/api/v1/devices/{}", kit[0]), &donor).await;
    assert_eq!(seen.status(), StatusCode::OK);
    let seen = seen.text().await.expect("body");
    assert!(seen.contains("\"in_service\""), "{seen}");
    assert!(
        !seen.contains(&p.school) && !seen.contains("class_set") && !seen.contains("Data basis"),
        "{seen}"
    );
    problem(app.get(&format!("/api/v1/class-sets/{id}"), &donor).await, StatusCode::FORBIDDEN, "forbidden")
        .await;
    // Cancelling after the hand-over is refused.
    problem(
        step(&app, &p.coordinator, id, "cancel", json!({})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;

    // Two come back, one without its mouse; the third is missing.
    let items = json!({"items": [
        {"device_id": kit[0], "condition": "good", "accessories_returned": ["charger", "bag", "mouse"]},
        {"device_id": kit[1], "condition": "worn", "accessories_returned": ["charger", "bag"]},
    ]});
    let partly = ok(step(&app, &p.staff, id, "return", items).await).await;
    assert_eq!(partly["state"], "on_loan");
    assert_eq!(partly["missing"], json!([kit[2]]));
    let second = partly["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .find(|d| d["device_id"] == kit[1].as_str())
        .expect("device")
        .clone();
    assert_eq!(
        (second["state"].as_str(), second["missing_accessories"].clone()),
        (Some("returned"), json!(["mouse"]))
    );
    assert_eq!(device_state(&app, &p.staff, &kit[0]).await, "inspection");
    // Returning one twice, or one not in the set, names each bad item at once.
    let bad = problem(
        step(
            &app,
            &p.staff,
            id,
            "return",
            json!({"items": [
                {"device_id": kit[0], "condition": "good"},
                {"device_id": uuid::Uuid::now_v7(), "condition": "good"},
            ]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> =
        bad["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["items[0].device_id", "items[1].device_id"]);
    assert_eq!(device_state(&app, &p.staff, &kit[2]).await, "on_loan", "a refused return changes nothing");

    let back = ok(step(&app, &p.staff, id, "return", json!({"items": [
        {"device_id": kit[2], "condition": "damaged", "accessories_returned": ["charger", "bag", "mouse"]},
    ]}))
    .await)
    .await;
    assert_eq!((back["state"].as_str(), back["missing"].clone()), (Some("returned"), json!([])));
    assert!(back["closed_at"].is_string());
    problem(
        step(&app, &p.staff, id, "return", json!({"items": [{"device_id": kit[2], "condition": "good"}]}))
            .await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;

    // The coordinator heard: offered (3 of 3), ready, and the two still missing after the first return.
    let mails = set_mails(&app).await;
    let names: Vec<&str> = mails.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(names, ["class_set_missing", "class_set_offered", "class_set_ready"]);
    assert_eq!(mails[0].1["missing"], json!([device_in(&lent, &kit[2])["asset_tag"]]));
    assert_eq!((mails[1].1["reserved"].as_i64(), mails[1].1["count"].as_i64()), (Some(3), Some(3)));
    assert_eq!(mails[2].1["hub"], "Hub Noord");
    // The course name is free again once the set is back.
    ask(&app, &p, 2, "Data basis").await;
    assert_integrity(&app).await;
}

#[tokio::test]
async fn cancelling_a_set_gives_its_kit_back_to_the_pool_and_to_waiting_students() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let kit = laptops(&app, &p, "SET-CANCEL", 2).await;
    let set = ask(&app, &p, 2, "UX 1").await;
    let id = set["id"].as_str().expect("id");
    ok(step(&app, &p.staff, id, "offer", json!({})).await).await;
    // A student starts waiting after the set was offered: the set keeps its kit.
    waiting_student(&app, &p, "Ayla Demir", "ayla@example.org").await;
    let cancelled = ok(step(&app, &p.coordinator, id, "cancel", json!({})).await).await;
    assert_eq!(cancelled["state"], "cancelled");
    assert!(cancelled["devices"].as_array().expect("devices").is_empty(), "released kit is not the set's");
    let states = [device_state(&app, &p.staff, &kit[0]).await, device_state(&app, &p.staff, &kit[1]).await];
    let mut sorted = states.clone();
    sorted.sort();
    assert_eq!(sorted, ["available", "reserved"], "one offered to the waiting student, one back in the pool");
    problem(step(&app, &p.staff, id, "offer", json!({})).await, StatusCode::CONFLICT, "illegal_transition")
        .await;
    // Staff may cancel too.
    let other = ask(&app, &p, 1, "UX 2").await;
    let other = other["id"].as_str().expect("id");
    ok(step(&app, &p.staff, other, "cancel", json!({})).await).await;
    assert_integrity(&app).await;
}

#[tokio::test]
async fn two_desks_handing_over_one_set_at_once_hand_it_over_once() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let kit = laptops(&app, &p, "SET-RACE", 2).await;
    let set = ask(&app, &p, 2, "Race").await;
    let id = set["id"].as_str().expect("id").to_owned();
    ok(step(&app, &p.staff, &id, "offer", json!({})).await).await;
    let agreement: Value = app
        .client
        .get(app.url("/api/v1/class-set-agreement"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    ok(step(&app, &p.coordinator, &id, "accept", json!({"agreement_version": agreement["version"]})).await)
        .await;
    let (second, _) = app.user_with_role(&p.admin, Role::Staff, None).await;
    let (a, b) = tokio::join!(
        step(&app, &p.staff, &id, "handover", json!({})),
        step(&app, &second, &id, "handover", json!({}))
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let history: Value =
        app.get(&format!("/api/v1/devices/{}/history", kit[0]), &p.staff).await.json().await.expect("json");
    let hand_overs =
        history["items"].as_array().expect("items").iter().filter(|e| e["action"] == "hand_over").count();
    assert_eq!(hand_overs, 1, "{history}");
    assert_integrity(&app).await;
}

#[tokio::test]
async fn another_schools_set_is_not_found_and_students_and_donors_see_no_sets() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let set = ask(&app, &p, 2, "Mine").await;
    let id = set["id"].as_str().expect("id");
    let other_school = app.create_organisation(&p.admin, "Other school", "school").await;
    let (other, _) = app.user_with_role(&p.admin, Role::School, Some(&other_school)).await;
    problem(app.get(&format!("/api/v1/class-sets/{id}"), &other).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    problem(step(&app, &other, id, "cancel", json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
    problem(
        step(&app, &other, id, "accept", json!({"agreement_version": "2026-12"})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let theirs: Value = app.get("/api/v1/class-sets", &other).await.json().await.expect("json");
    assert_eq!(theirs["items"], json!([]));
    let mine: Value = app.get("/api/v1/class-sets", &p.coordinator).await.json().await.expect("json");
    assert_eq!(mine["items"][0]["id"], set["id"]);
    assert_eq!(mine["items"][0]["school_id"], p.school.as_str());
    let staff_view: Value =
        app.get("/api/v1/class-sets?state=requested", &p.staff).await.json().await.expect("json");
    assert_eq!(staff_view["items"].as_array().map(Vec::len), Some(1));
    let none: Value = app.get("/api/v1/class-sets?state=on_loan", &p.staff).await.json().await.expect("json");
    assert_eq!(none["items"], json!([]));
    let (donor, _) = app
        .user_with_role(&p.admin, Role::Donor, Some(&app.create_organisation(&p.admin, "D", "donor").await))
        .await;
    problem(app.get("/api/v1/class-sets", &donor).await, StatusCode::FORBIDDEN, "forbidden").await;
    problem(app.get(&format!("/api/v1/class-sets/{id}"), &donor).await, StatusCode::FORBIDDEN, "forbidden")
        .await;
}

#[tokio::test]
async fn every_bad_field_of_a_set_is_answered_at_once_in_dutch_and_english() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let bad = json!({
        "kind": "laptop", "count": 41, "starts_on": day(-1), "ends_on": day(-1),
        "hub_id": uuid::Uuid::now_v7(), "course": "   ",
    });
    for (lang, words) in [("nl", "laatste dag"), ("en", "last day")] {
        let res = app
            .client
            .post(app.url("/api/v1/class-sets"))
            .bearer_auth(&p.coordinator)
            .header("accept-language", lang)
            .json(&bad)
            .send()
            .await
            .expect("sent");
        let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        let fields: Vec<&str> =
            body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, ["count", "starts_on", "ends_on", "hub_id", "course"], "{lang}: {body}");
        assert!(body["errors"][2]["message"].as_str().is_some_and(|m| m.contains(words)), "{lang}: {body}");
    }
    // Too long a course, and a course name already open at the school.
    let long = json!({"kind": "laptop", "count": 2, "starts_on": day(1), "ends_on": day(400), "hub_id": p.hub, "course": "A"});
    let body = problem(
        app.post("/api/v1/class-sets", &p.coordinator, long).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "ends_on");
    ask(&app, &p, 2, "Coderen  1").await;
    let again = json!({"kind": "laptop", "count": 5, "starts_on": day(8), "ends_on": day(30), "hub_id": p.hub, "course": "coderen 1"});
    problem(app.post("/api/v1/class-sets", &p.coordinator, again).await, StatusCode::CONFLICT, "conflict")
        .await;
    // The schema's own rules: a kind that is not a device, a count of 0.
    let body = problem(
        app.post("/api/v1/class-sets", &p.coordinator, json!({"kind": "licence", "count": 0, "starts_on": day(1), "ends_on": day(9), "hub_id": p.hub, "course": "B"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> =
        body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["kind", "count"], "{body}");
}

/// A set of `n` laptops asked for, offered, accepted and handed over: (set id, its devices).
pub(crate) async fn set_on_loan(
    app: &TestApp,
    p: &Pool,
    n: usize,
    course: &str,
    ends_in: i64,
) -> (String, Vec<String>) {
    let kit = laptops(app, p, &format!("SET-{course}"), n).await;
    let body = json!({
        "kind": "laptop", "count": n, "starts_on": day(0), "ends_on": day(ends_in), "hub_id": p.hub, "course": course,
    });
    let set: Value = app.post("/api/v1/class-sets", &p.coordinator, body).await.json().await.expect("json");
    let id = set["id"].as_str().expect("id").to_owned();
    ok(step(app, &p.staff, &id, "offer", json!({})).await).await;
    let version = app.settings.class_sets.agreement_version.clone();
    ok(step(app, &p.coordinator, &id, "accept", json!({"agreement_version": version})).await).await;
    ok(step(app, &p.staff, &id, "handover", json!({})).await).await;
    (id, kit)
}

#[tokio::test]
async fn a_set_closes_when_every_device_is_back_lost_or_written_off() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let (id, kit) = set_on_loan(&app, &p, 3, "Lost", 30).await;
    ok(step(&app, &p.staff, &id, "return", json!({"items": [{"device_id": kit[0], "condition": "good", "accessories_returned": ["charger", "bag", "mouse"]}]})).await).await;
    let lost = ok(step(&app, &p.staff, &id, "report-lost", json!({"device_ids": [kit[1]]})).await).await;
    assert_eq!((lost["state"].as_str(), lost["missing"].clone()), (Some("on_loan"), json!([kit[2]])));
    assert_eq!(device_state(&app, &p.staff, &kit[1]).await, "lost");
    // A device already closed, and one named twice, are refused at once.
    let bad = problem(
        step(&app, &p.staff, &id, "write-off", json!({"device_ids": [kit[1], kit[2], kit[2]]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> =
        bad["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["device_ids[0]", "device_ids[2]"]);
    let closed = ok(step(&app, &p.staff, &id, "write-off", json!({"device_ids": [kit[2]]})).await).await;
    assert_eq!(closed["state"], "returned");
    let states: Vec<&Value> = kit.iter().map(|d| &device_in(&closed, d)["state"]).collect();
    assert_eq!(states, [&json!("returned"), &json!("lost"), &json!("written_off")]);
    assert_eq!(device_state(&app, &p.staff, &kit[2]).await, "retired");
    assert_integrity(&app).await;
}

#[tokio::test]
async fn the_coordinator_is_reminded_before_the_last_day_and_once_when_devices_are_late() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let (id, kit) = set_on_loan(&app, &p, 2, "Reminders", 2).await;
    let run = || {
        let settings = app.settings.clone();
        app.with_db(move |c| devicepool::workflows::housekeeping::run(c, &settings).expect("run"))
    };
    run().await;
    run().await;
    let ending: Vec<Value> =
        set_mails(&app).await.into_iter().filter(|(t, _)| t == "class_set_ending").map(|(_, m)| m).collect();
    assert_eq!(ending.len(), 1, "once, whatever the runs");
    assert_eq!(ending[0]["out"], 2);
    // The course ended yesterday; one device came back.
    ok(step(&app, &p.staff, &id, "return", json!({"items": [{"device_id": kit[0], "condition": "good", "accessories_returned": ["charger", "bag", "mouse"]}]})).await).await;
    let set_id = id.clone();
    app.with_db(move |c| {
        use devicepool::store::schema::{class_set_loans, class_sets};
        use diesel::prelude::*;
        let yesterday = Utc::now().date_naive() - Duration::days(1);
        diesel::update(class_sets::table.find(&set_id))
            .set((
                class_sets::starts_on.eq(yesterday - Duration::days(30)),
                class_sets::ends_on.eq(yesterday),
            ))
            .execute(c)
            .expect("moved");
        diesel::update(class_set_loans::table.filter(class_set_loans::class_set_id.eq(&set_id)))
            .set(class_set_loans::due_on.eq(yesterday))
            .execute(c)
            .expect("moved");
    })
    .await;
    run().await;
    run().await;
    let overdue: Vec<Value> =
        set_mails(&app).await.into_iter().filter(|(t, _)| t == "class_set_overdue").map(|(_, m)| m).collect();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0]["out"], 1);
    let seen: Value =
        app.get(&format!("/api/v1/class-sets/{id}"), &p.coordinator).await.json().await.expect("json");
    assert_eq!(seen["missing"], json!([kit[1]]));
    assert_eq!(overdue[0]["missing"], json!([device_in(&seen, &kit[1])["asset_tag"]]));
}

#[tokio::test]
async fn the_pool_report_counts_set_loans_beside_students_loans_and_the_donor_sees_them_reused() {
    let app = spawn_app_with(|s| s.reports.min_cell_size = 2).await;
    let p = pool(&app).await;
    let (id, kit) = set_on_loan(&app, &p, 3, "Report", 30).await;
    ok(step(&app, &p.staff, &id, "return", json!({"items": [{"device_id": kit[0], "condition": "good", "accessories_returned": ["charger", "bag", "mouse"]}]})).await).await;
    let today = Utc::now().date_naive();
    let first = today.with_day(1).expect("first day");
    let last = (first + chrono::Months::new(1)).pred_opt().expect("last day");
    let period = format!("from={first}&to={last}");
    let r: Value =
        app.get(&format!("/api/v1/reports/pool?{period}"), &p.staff).await.json().await.expect("json");
    assert_eq!(
        r["set_loans"],
        json!([
            {"kind": "laptop", "started": 3, "returned": 1, "lost": 0, "written_off": 0, "active": 2, "overdue": 0},
            {"kind": "wifi_dongle", "started": 0, "returned": 0, "lost": 0, "written_off": 0, "active": 0, "overdue": 0},
        ])
    );
    assert_eq!(r["loans"][0]["started"], 0, "no student borrowed: {}", r["loans"]);
    let csv = app
        .client
        .get(app.url(&format!("/api/v1/reports/pool?{period}&format=csv")))
        .bearer_auth(&p.staff)
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("text");
    assert!(
        csv.lines()
            .any(|l| l.starts_with("set_loans,") && l.contains(",laptop,") && l.contains(",3,1,0,0,2,0,")),
        "{csv}"
    );
    // The impact report covers months gone by: the hand-over moves to last month.
    let last_month = first - chrono::Months::new(1);
    let set_id = id.clone();
    app.with_db(move |c| {
        use devicepool::store::schema::class_set_loans as l;
        use diesel::prelude::*;
        let at = last_month.and_hms_opt(10, 0, 0).expect("time");
        diesel::update(l::table.filter(l::class_set_id.eq(&set_id)))
            .set(l::handed_over_at.eq(at))
            .execute(c)
            .expect("moved");
    })
    .await;
    let before = format!("from={last_month}&to={}", first.pred_opt().expect("day"));
    let impact: Value = app
        .get(&format!("/api/v1/reports/impact?{before}&donor_id={}", p.donor), &p.staff)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(impact["environment"]["loan_cycles"], 3, "{impact}");
}
