use devicepool::domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub use crate::fixtures::{create_donation, create_laptop, make_available, transition};
use crate::helpers::{problem, spawn_app, TestApp};

/// A pool with one hub, one staff member, and two donors with a donation each.
pub struct Pool {
    pub admin: String,
    pub staff: String,
    pub hub: String,
    pub donor_a: String,
    pub donor_b: String,
    pub donation_a: String,
    pub donation_b: String,
}

pub async fn pool(app: &TestApp) -> Pool {
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let res =
        app.post("/api/v1/hubs", &staff, json!({"name": "Hub Zuidoost", "address": "Bijlmerplein 1"})).await;
    let hub = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let org_a = app.create_organisation(&admin, "Northwind BV", "donor").await;
    let org_b = app.create_organisation(&admin, "Polder Software BV", "donor").await;
    let (donor_a, _) = app.user_with_role(&admin, Role::Donor, Some(&org_a)).await;
    let (donor_b, _) = app.user_with_role(&admin, Role::Donor, Some(&org_b)).await;
    let donation_a =
        create_donation(app, &donor_a, json!({"expected_hub_id": hub, "note": "50 laptops"})).await;
    let donation_b = create_donation(app, &donor_b, json!({})).await;
    Pool { admin, staff, hub, donor_a, donor_b, donation_a, donation_b }
}

#[tokio::test]
async fn a_donor_registers_a_donation_and_cannot_see_anothers() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let own: Value =
        app.get(&format!("/api/v1/donations/{}", p.donation_a), &p.donor_a).await.json().await.expect("json");
    assert_eq!(own["state"], "pledged");
    assert_eq!(own["expected_hub_id"], p.hub);
    assert_eq!(own["contents"]["pledged"], 0);
    problem(
        app.get(&format!("/api/v1/donations/{}", p.donation_b), &p.donor_a).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let listed: Value = app.get("/api/v1/donations", &p.donor_a).await.json().await.expect("json");
    let ids: Vec<&str> =
        listed["items"].as_array().expect("items").iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(ids, vec![p.donation_a.as_str()]);
    // A donor cannot give in another donor's name: the donation is theirs whatever they send.
    let staff_list: Value = app.get("/api/v1/donations", &p.staff).await.json().await.expect("json");
    assert_eq!(staff_list["items"].as_array().map(Vec::len), Some(2));
    // Staff must say whose donation it is, and it must be a donor.
    let res = app.post("/api/v1/donations", &p.staff, json!({})).await;
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

#[tokio::test]
async fn staff_receive_a_donation_once() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let path = format!("/api/v1/donations/{}/receive", p.donation_a);
    problem(app.post(&path, &p.donor_a, json!({})).await, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app.post(&path, &p.staff, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["state"], "received");
    assert!(body["received_at"].is_string());
    let again =
        problem(app.post(&path, &p.staff, json!({})).await, StatusCode::CONFLICT, "illegal_transition").await;
    assert_eq!(again["state"], "received");
}

#[tokio::test]
async fn staff_take_a_device_from_pledged_to_available_and_history_lists_every_step() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let device = create_laptop(&app, &p.donor_a, &p.donation_a, "5cg0001", 8).await;
    let id = device["id"].as_str().expect("id");
    // The donor sees the stage, never the exact state or when it last changed.
    assert_eq!(device["stage"], "pledged");
    assert!(device.get("state").is_none() && device.get("updated_at").is_none(), "{device}");
    let staff_view: Value =
        app.get(&format!("/api/v1/devices/{id}"), &p.staff).await.json().await.expect("json");
    assert_eq!(staff_view["state"], "pledged");
    assert!(staff_view["updated_at"].is_string());
    assert_eq!(device["serial_number"], "5CG0001");
    assert!(device["asset_tag"].as_str().is_some_and(|t| t.starts_with("DPL-")));
    assert!(device.get("allowed_actions").is_none(), "donors are not shown staff actions");

    // Release before erasure is refused, naming what is possible now.
    transition(&app, &p.staff, id, json!({"action": "receive"})).await;
    let refused = problem(
        transition(&app, &p.staff, id, json!({"action": "release"})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(refused["state"], "received");
    assert_eq!(
        refused["allowed_actions"],
        json!(["wipe", "retire", "mark_lost", "move", "mark_locked", "destroy"])
    );
    // A wipe needs its erasure record.
    let res = transition(&app, &p.staff, id, json!({"action": "wipe", "method": "nist_purge"})).await;
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res =
        transition(&app, &p.staff, id, json!({"action": "wipe", "method": "shred", "certificate_ref": "X"}))
            .await;
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    for body in [
        json!({"action": "wipe", "method": "nist_clear", "tool": "nwipe 0.35", "certificate_ref": "NW-0001"}),
        json!({"action": "grade", "grade": "A", "note": "as new"}),
        json!({"action": "release"}),
    ] {
        assert_eq!(transition(&app, &p.staff, id, body).await.status(), StatusCode::OK);
    }
    let now: Value = app.get(&format!("/api/v1/devices/{id}"), &p.staff).await.json().await.expect("json");
    assert_eq!(
        (now["state"].as_str(), now["grade"].as_str(), now["hub_id"].as_str()),
        (Some("available"), Some("A"), Some(p.hub.as_str()))
    );
    assert_eq!(now["allowed_actions"], json!(["reserve", "repair", "retire", "mark_lost", "move"]));
    let donor_view: Value =
        app.get(&format!("/api/v1/devices/{id}"), &p.donor_a).await.json().await.expect("json");
    assert_eq!(donor_view["stage"], "in_service");

    let history: Value =
        app.get(&format!("/api/v1/devices/{id}/history"), &p.staff).await.json().await.expect("json");
    let steps: Vec<(&str, Option<&str>, &str)> = history["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| {
            (
                e["action"].as_str().expect("action"),
                e["from_state"].as_str(),
                e["to_state"].as_str().expect("to"),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            ("register", None, "pledged"),
            ("receive", Some("pledged"), "received"),
            ("wipe", Some("received"), "wiped"),
            ("grade", Some("wiped"), "graded"),
            ("release", Some("graded"), "available"),
        ]
    );
    let wipe = &history["items"][2];
    assert_eq!(wipe["details"]["method"], "nist_clear");
    assert_eq!(wipe["details"]["certificate_ref"], "NW-0001");
    assert!(wipe["actor_id"].is_string() && wipe["at"].is_string());
    problem(
        app.get(&format!("/api/v1/devices/{id}/history"), &p.donor_a).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_returned_laptop_needs_a_new_wipe_before_release() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let device = create_laptop(&app, &p.staff, &p.donation_a, "5cg0002", 8).await;
    let id = device["id"].as_str().expect("id");
    make_available(&app, &p.staff, id).await;
    // Hand-over and return belong to loans: the transitions endpoint does not take them.
    for action in ["hand_over", "return"] {
        let res = transition(&app, &p.staff, id, json!({"action": action})).await;
        problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    // Repair → inspection → release is refused for a laptop: it must be wiped again.
    assert_eq!(transition(&app, &p.staff, id, json!({"action": "repair"})).await.status(), StatusCode::OK);
    assert_eq!(transition(&app, &p.staff, id, json!({"action": "inspect"})).await.status(), StatusCode::OK);
    let refused = problem(
        transition(&app, &p.staff, id, json!({"action": "release"})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(
        refused["allowed_actions"],
        json!(["wipe", "repair", "retire", "mark_lost", "move", "mark_locked", "destroy"])
    );
}

#[tokio::test]
async fn two_concurrent_transitions_on_one_device_end_with_one_success_and_one_409() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    // Several devices, each raced twice (receive, then wipe), to give the race a real chance.
    for n in 0..4 {
        let device = create_laptop(&app, &p.staff, &p.donation_a, &format!("RACE-{n}"), 8).await;
        let id = device["id"].as_str().expect("id").to_owned();
        for action in [
            json!({"action": "receive"}),
            json!({"action": "wipe", "method": "nist_purge", "certificate_ref": format!("C-{n}")}),
        ] {
            let (a, b) = tokio::join!(
                transition(&app, &p.staff, &id, action.clone()),
                transition(&app, &p.staff, &id, action.clone())
            );
            let mut statuses = [a.status(), b.status()];
            statuses.sort();
            assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{action}");
            let loser = if a.status() == StatusCode::CONFLICT { a } else { b };
            problem(loser, StatusCode::CONFLICT, "illegal_transition").await;
        }
        let history: Value =
            app.get(&format!("/api/v1/devices/{id}/history"), &p.staff).await.json().await.expect("json");
        let actions: Vec<&str> =
            history["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
        assert_eq!(actions, vec!["register", "receive", "wipe"], "one event per winning transition");
    }
}

#[tokio::test]
async fn a_donor_sees_only_their_own_devices_and_labels() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let mine = create_laptop(&app, &p.donor_a, &p.donation_a, "A-1", 8).await;
    let theirs = create_laptop(&app, &p.donor_b, &p.donation_b, "B-1", 8).await;
    let theirs_id = theirs["id"].as_str().expect("id");
    // Registering into someone else's donation reads as "no such donation".
    let body = json!({"kind": "laptop", "serial_number": "A-2", "model": "X", "donation_id": p.donation_b, "ram_gb": 8, "storage_gb": 128});
    let p422 = problem(
        app.post("/api/v1/devices", &p.donor_a, body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(p422["errors"][0]["field"], "donation_id");
    for path in [format!("/api/v1/devices/{theirs_id}"), format!("/api/v1/devices/{theirs_id}/label")] {
        problem(app.get(&path, &p.donor_a).await, StatusCode::NOT_FOUND, "not_found").await;
    }
    let listed: Value = app
        .get(&format!("/api/v1/devices?donor_id={}", theirs["donor_id"].as_str().expect("donor")), &p.donor_a)
        .await
        .json()
        .await
        .expect("json");
    let ids: Vec<&str> =
        listed["items"].as_array().expect("items").iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(ids, vec![mine["id"].as_str().expect("id")], "the donor filter cannot widen a donor's view");
    let res =
        app.get(&format!("/api/v1/devices/{}/label", mine["id"].as_str().expect("id")), &p.donor_a).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("image/svg+xml"));
    let svg = res.text().await.expect("svg");
    assert!(svg.contains(mine["asset_tag"].as_str().expect("tag")));
    // Schools and students have no business with inventory.
    let school_org = app.create_organisation(&p.admin, "Codeschool", "school").await;
    let (school, _) = app.user_with_role(&p.admin, Role::School, Some(&school_org)).await;
    for (method, path) in [
        (Method::GET, "/api/v1/devices"),
        (Method::GET, "/api/v1/donations"),
        (Method::GET, "/api/v1/licences"),
    ] {
        problem(app.request(method, path, Some(&school), None).await, StatusCode::FORBIDDEN, "forbidden")
            .await;
    }
}

#[tokio::test]
async fn device_lists_filter_and_page() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let small = create_laptop(&app, &p.staff, &p.donation_a, "F-1", 8).await;
    let big = create_laptop(&app, &p.staff, &p.donation_a, "F-2", 16).await;
    create_laptop(&app, &p.staff, &p.donation_b, "F-3", 32).await;
    let res = app.post("/api/v1/devices", &p.staff, json!({"kind": "wifi_dongle", "serial_number": "D-1", "model": "Huawei E5576", "donation_id": p.donation_a, "carrier": "KPN", "data_allowance_gb": 50, "plan_ends_on": "2027-08-31"})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    make_available(&app, &p.staff, big["id"].as_str().expect("id")).await;

    let count = |v: Value| v["items"].as_array().map(Vec::len).unwrap_or(0);
    let get = |q: String| {
        let app = &app;
        let staff = p.staff.clone();
        async move { app.get(&format!("/api/v1/devices?{q}"), &staff).await.json::<Value>().await.expect("json") }
    };
    assert_eq!(count(get("kind=laptop".into()).await), 3);
    assert_eq!(count(get("kind=wifi_dongle".into()).await), 1);
    assert_eq!(count(get("state=available".into()).await), 1);
    assert_eq!(count(get(format!("hub_id={}", p.hub)).await), 3, "expected hub of donation A");
    assert_eq!(count(get("grade=B".into()).await), 1);
    assert_eq!(count(get("min_ram_gb=16".into()).await), 2);
    assert_eq!(
        count(get(format!("q={}", small["asset_tag"].as_str().expect("tag").to_lowercase())).await),
        1
    );
    assert_eq!(count(get("q=f-3".into()).await), 1);
    assert_eq!(count(get(format!("donor_id={}", small["donor_id"].as_str().expect("donor"))).await), 3);
    let first = get("limit=3".into()).await;
    assert_eq!(count(first.clone()), 3);
    let cursor = first["next_cursor"].as_str().expect("more").to_owned();
    let second = get(format!("limit=3&cursor={cursor}")).await;
    assert_eq!(count(second.clone()), 1);
    assert_eq!(second["next_cursor"], Value::Null);
    problem(
        app.get("/api/v1/devices?state=flying", &p.staff).await,
        StatusCode::BAD_REQUEST,
        "malformed_query",
    )
    .await;
}

#[tokio::test]
async fn serial_numbers_are_unique_per_kind_and_devices_are_checked() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    create_laptop(&app, &p.staff, &p.donation_a, "SAME-1", 8).await;
    let body = json!({"kind": "laptop", "serial_number": "same-1", "model": "X", "donation_id": p.donation_a, "ram_gb": 8, "storage_gb": 128});
    problem(app.post("/api/v1/devices", &p.staff, body).await, StatusCode::CONFLICT, "conflict").await;
    // The same serial on a dongle is another device.
    let dongle = json!({"kind": "wifi_dongle", "serial_number": "SAME-1", "model": "TP-Link M7350", "donation_id": p.donation_a});
    assert_eq!(app.post("/api/v1/devices", &p.staff, dongle).await.status(), StatusCode::CREATED);
    let bad = json!({"kind": "laptop", "serial_number": "N-1", "model": "X", "donation_id": p.donation_a, "storage_gb": 128, "carrier": "KPN"});
    let body = problem(
        app.post("/api/v1/devices", &p.staff, bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> =
        body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, vec!["ram_gb", "carrier"]);

    // A weighed laptop keeps its weight for the environmental figures; a weight no laptop has
    // is refused with the rest.
    let weighed = json!({"kind": "laptop", "serial_number": "W-1", "model": "X", "donation_id": p.donation_a, "ram_gb": 8, "storage_gb": 128, "weight_kg": 1.6});
    let res = app.post("/api/v1/devices", &p.staff, weighed).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.json::<Value>().await.expect("json")["weight_kg"], 1.6);
    let heavy = json!({"kind": "laptop", "serial_number": "W-2", "model": "X", "donation_id": p.donation_a, "ram_gb": 8, "storage_gb": 128, "weight_kg": 25.0});
    let body = problem(
        app.post("/api/v1/devices", &p.staff, heavy).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> =
        body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, vec!["weight_kg"]);
}
