//! What donors need to trust us with their kit, over HTTP against the real app: erasure records
//! with the fields of NIST SP 800-88 §4.7, a failed verification that never releases a device
//! (wiped again, or destroyed with the recycler's reference), and a locked device held out of
//! the pool until it is unlocked, with a mail to its donor.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::fixtures::{create_donation, create_laptop, transition};
use crate::helpers::{problem, spawn_app, TestApp};
use devicepool::domain::Role;
use devicepool::store::{devices, outbox};

/// Staff, a donor with one contact who reads Dutch, a hub and a donation: (staff, donor, donation).
async fn donation_of_northwind(app: &TestApp) -> (String, String, String) {
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let donor = app.create_organisation(&admin, "Northwind", "donor").await;
    let contact = json!({"email": "it@northwind.example", "role": "donor", "organisation_id": donor,
        "preferred_language": "nl", "password": crate::helpers::PASSWORD});
    assert_eq!(app.post("/api/v1/users", &admin, contact).await.status(), StatusCode::CREATED);
    let hub = app.post("/api/v1/hubs", &staff, json!({"name": "Hub Noord", "address": "Plein 1"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let donation = create_donation(app, &staff, json!({"donor_id": donor, "expected_hub_id": hub})).await;
    (staff, donor, donation)
}

async fn step(app: &TestApp, staff: &str, id: &str, body: Value) -> Value {
    let res = transition(app, staff, id, body.clone()).await;
    let status = res.status();
    let answer: Value = res.json().await.expect("json");
    assert_eq!(status, StatusCode::OK, "{body}: {answer}");
    answer
}

fn wipe(result: &str, certificate: &str) -> Value {
    json!({"action": "wipe", "method": "nist_purge", "certificate_ref": certificate,
        "tool": "Blancco Drive Eraser", "tool_version": "7.9", "technique": "NVMe sanitize, crypto erase",
        "verification_method": "full verification", "verification_result": result, "media_serial": "S4EWNX0R"})
}

#[tokio::test]
async fn a_failed_verification_never_releases_a_laptop_it_is_wiped_again_or_destroyed() {
    let app = spawn_app().await;
    let (staff, _, donation) = donation_of_northwind(&app).await;
    let again =
        create_laptop(&app, &staff, &donation, "5CG-FAIL-1", 8).await["id"].as_str().expect("id").to_owned();
    let broken =
        create_laptop(&app, &staff, &donation, "5CG-FAIL-2", 8).await["id"].as_str().expect("id").to_owned();
    for id in [&again, &broken] {
        step(&app, &staff, id, json!({"action": "receive"})).await;
        let device = step(&app, &staff, id, wipe("failed", "BL-F-1")).await;
        assert_eq!(device["state"], "received", "the attempt is kept, the device stays");
        let res = transition(&app, &staff, id, json!({"action": "grade", "grade": "A"})).await;
        let refused = problem(res, StatusCode::CONFLICT, "illegal_transition").await;
        assert_eq!(
            refused["allowed_actions"],
            json!(["wipe", "retire", "mark_lost", "move", "mark_locked", "destroy"])
        );
    }
    // Wiped again, and this time the check holds.
    assert_eq!(step(&app, &staff, &again, wipe("passed", "BL-F-2")).await["state"], "wiped");
    // The other cannot be wiped: a recycler destroys it, and their reference is the record.
    let res = transition(&app, &staff, &broken, json!({"action": "destroy", "recycler_ref": " "})).await;
    let bad = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(bad["errors"][0]["field"], "recycler_ref", "{bad}");
    let destroyed =
        step(&app, &staff, &broken, json!({"action": "destroy", "recycler_ref": "WEEE-2026-118"})).await;
    assert_eq!(destroyed["state"], "retired");

    let ids = vec![again.clone(), broken.clone()];
    let records = app.with_db(move |c| devices::erasure_records(c, &ids).expect("records")).await;
    let of = |id: &str| records.iter().filter(|r| r.device_id == id).collect::<Vec<_>>();
    let tried = of(&again);
    assert_eq!(tried.len(), 2);
    assert_eq!(
        tried.iter().map(|r| r.verification_result.as_deref()).collect::<Vec<_>>(),
        [Some("failed"), Some("passed")]
    );
    let last = tried[1];
    assert_eq!((last.method.as_str(), last.certificate_ref.as_str()), ("nist_purge", "BL-F-2"));
    assert_eq!(
        (last.tool.as_deref(), last.tool_version.as_deref()),
        (Some("Blancco Drive Eraser"), Some("7.9"))
    );
    assert_eq!(
        (last.technique.as_deref(), last.media_serial.as_deref()),
        (Some("NVMe sanitize, crypto erase"), Some("S4EWNX0R"))
    );
    assert_eq!(last.verification_method.as_deref(), Some("full verification"));
    let gone = of(&broken);
    assert_eq!(
        gone.last().map(|r| (r.method.as_str(), r.certificate_ref.as_str())),
        Some(("nist_destroy", "WEEE-2026-118"))
    );

    // A wipe without a verification is accepted as before, and recorded as not checked.
    let older =
        create_laptop(&app, &staff, &donation, "5CG-FAIL-3", 8).await["id"].as_str().expect("id").to_owned();
    step(&app, &staff, &older, json!({"action": "receive"})).await;
    let plain = json!({"action": "wipe", "method": "nist_clear", "certificate_ref": "BL-OLD"});
    assert_eq!(step(&app, &staff, &older, plain).await["state"], "wiped");
    let res = transition(&app, &staff, &older, json!({"action": "wipe", "method": "nist_clear", "certificate_ref": "X", "verification_result": "maybe"})).await;
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

#[tokio::test]
async fn a_locked_laptop_stays_out_of_the_pool_until_unlocked_and_its_donor_is_asked_to_free_it() {
    let app = spawn_app().await;
    let (staff, donor, donation) = donation_of_northwind(&app).await;
    let laptop = create_laptop(&app, &staff, &donation, "5CG-LOCK-1", 16).await;
    let id = laptop["id"].as_str().expect("id").to_owned();
    step(&app, &staff, &id, json!({"action": "receive"})).await;
    let res = transition(&app, &staff, &id, json!({"action": "mark_locked", "reason": "forgotten"})).await;
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let locked =
        step(&app, &staff, &id, json!({"action": "mark_locked", "reason": "device_management"})).await;
    assert_eq!(locked["state"], "locked");

    // The donor's contact is asked, in Dutch, naming the laptop by its serial number.
    let mails = app.with_db(|c| outbox::for_recipient(c, "it@northwind.example").expect("rows")).await;
    let asked: Vec<_> = mails.iter().filter(|m| m.template == "device_locked").collect();
    assert_eq!(asked.len(), 1, "one mail to the one contact");
    assert_eq!(asked[0].language, "nl");
    let payload: Value = serde_json::from_str(&asked[0].payload).expect("payload");
    assert_eq!((&payload["serial"], &payload["reason"]), (&json!("5CG-LOCK-1"), &json!("device_management")));

    // Nothing moves it towards the pool while it is locked; the donor sees it waits for them.
    for body in
        [json!({"action": "release"}), wipe("passed", "BL-L-1"), json!({"action": "grade", "grade": "A"})]
    {
        let res = transition(&app, &staff, &id, body).await;
        let refused = problem(res, StatusCode::CONFLICT, "illegal_transition").await;
        assert_eq!(refused["state"], "locked");
    }
    let contact = app.token_for("it@northwind.example").await;
    let mine: Value =
        app.get(&format!("/api/v1/donations/{donation}"), &contact).await.json().await.expect("json");
    assert_eq!(mine["contents"]["locked"], 1, "{mine}");
    let _ = donor;

    let unlocked =
        step(&app, &staff, &id, json!({"action": "unlock", "note": "Removed from Intune by Northwind IT"}))
            .await;
    assert_eq!(unlocked["state"], "received");
    step(&app, &staff, &id, wipe("passed", "BL-L-2")).await;
    step(&app, &staff, &id, json!({"action": "grade", "grade": "A"})).await;
    assert_eq!(step(&app, &staff, &id, json!({"action": "release"})).await["state"], "available");
    let stored = app.with_db(move |c| devices::find(c, &id).expect("device")).await;
    assert_eq!(stored.locked_reason, None, "the reason goes with the lock");
}
