//! What donors need to trust us with their kit, over HTTP against the real app: erasure records
//! with the fields of NIST SP 800-88 §4.7, a failed verification that never releases a device
//! (wiped again, or destroyed with the recycler's reference), and a locked device held out of
//! the pool until it is unlocked, with a mail to its donor.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::fixtures::{create_donation, create_laptop, transition};
use crate::helpers::{problem, spawn_app, TestApp};
use crate::web::page;
use crate::web_school::{html, session_of};
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

/// The text of a PDF, as `pdftotext` (Debian's poppler-utils, which `.ci/run` installs) reads it.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("certificate.pdf");
    std::fs::write(&path, pdf).expect("written");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

async fn download(app: &TestApp, path: &str, token: &str) -> (StatusCode, String, Vec<u8>) {
    let res = app.get(path, token).await;
    let kind = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    (res.status(), kind, res.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn a_donations_certificate_lists_every_device_with_its_erasure_and_never_a_student() {
    let app = spawn_app().await;
    // LOAN-1 is reserved for Ayla Demir; two more laptops come in the same donation.
    let (staff, coordinator, _, _, lent, _) = crate::fixtures::confirmed_loan(&app).await;
    let device: Value = app.get(&format!("/api/v1/devices/{lent}"), &staff).await.json().await.expect("json");
    let donation = device["donation_id"].as_str().expect("donation").to_owned();
    let destroyed =
        create_laptop(&app, &staff, &donation, "5CG-CERT-2", 8).await["id"].as_str().expect("id").to_owned();
    create_laptop(&app, &staff, &donation, "5CG-CERT-3", 8).await;
    step(&app, &staff, &destroyed, json!({"action": "receive"})).await;
    step(&app, &staff, &destroyed, wipe("failed", "BL-C-1")).await;
    step(&app, &staff, &destroyed, json!({"action": "destroy", "recycler_ref": "WEEE-2026-7"})).await;
    let admin = app.token_for("admin@pool.example").await;
    let contact = json!({"email": "it@northwind.example", "role": "donor", "organisation_id": device["donor_id"],
        "preferred_language": "en", "password": crate::helpers::PASSWORD});
    assert_eq!(app.post("/api/v1/users", &admin, contact).await.status(), StatusCode::CREATED);
    let donor = app.token_for("it@northwind.example").await;

    let path = format!("/api/v1/donations/{donation}/certificate");
    // Staff read it in the service's language (Dutch here), the donor in the one they chose.
    let (status, kind, pdf) = download(&app, &path, &staff).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/pdf"));
    assert!(pdf_text(&pdf).contains("Certificaat van gegevenswissing"));
    let (status, _, pdf) = download(&app, &path, &donor).await;
    assert_eq!(status, StatusCode::OK);
    let text = pdf_text(&pdf);
    assert!(text.contains("Certificate of data erasure") && text.contains("Donor: Northwind BV"), "{text}");
    assert!(text.contains("Devices on this certificate: 3"), "{text}");
    for serial in ["LOAN-1", "5CG-CERT-2", "5CG-CERT-3"] {
        assert!(text.contains(&format!("serial number {serial}")), "{serial}: {text}");
    }
    assert!(text.contains(&format!("Certificate BL-{lent}")), "the intake wipe of LOAN-1: {text}");
    assert!(text.contains("destroyed by a certified recycler. Certificate WEEE-2026-7"), "{text}");
    assert!(text.contains("Result: failed"), "{text}");
    assert!(text.contains("Not erased yet.") && text.contains("Stage now: In service"), "{text}");
    for student in ["Ayla", "Demir", "ayla@example.org"] {
        assert!(!text.contains(student), "no student on a certificate: {text}");
    }

    // The CSV for their asset register has a row per record.
    let (status, kind, csv) = download(&app, &format!("{path}?format=csv"), &donor).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
    let csv = String::from_utf8(csv).expect("utf-8");
    assert_eq!(csv.lines().count(), 1 + 1 + 2 + 1, "header, LOAN-1, two records of CERT-2, CERT-3: {csv}");
    assert!(csv
        .lines()
        .any(|l| l.contains("5CG-CERT-2") && l.contains("nist_destroy,") && l.contains("WEEE-2026-7")));
    assert!(!csv.contains("Ayla") && !csv.contains("ayla@"), "{csv}");

    // One device alone; and nobody else's.
    let (status, _, one) = download(&app, &format!("/api/v1/devices/{destroyed}/certificate"), &donor).await;
    assert_eq!(status, StatusCode::OK);
    let one = pdf_text(&one);
    assert!(one.contains("5CG-CERT-2") && !one.contains("LOAN-1"), "{one}");
    let other = app.create_organisation(&admin, "Polder Software", "donor").await;
    let (stranger, _) = app.user_with_role(&admin, Role::Donor, Some(&other)).await;
    problem(app.get(&path, &stranger).await, StatusCode::NOT_FOUND, "not_found").await;
    let device_path = format!("/api/v1/devices/{destroyed}/certificate");
    problem(app.get(&device_path, &stranger).await, StatusCode::NOT_FOUND, "not_found").await;
    problem(app.get(&path, &coordinator).await, StatusCode::FORBIDDEN, "forbidden").await;
    problem(
        app.get(&format!("{path}?format=docx"), &staff).await,
        StatusCode::BAD_REQUEST,
        "malformed_query",
    )
    .await;

    // The same from the pages: the donor's donation page links both, the desk the device's.
    let theirs = session_of(&app, &donor).await;
    let file = html(&app, &format!("/donations/{donation}?lang=en"), &theirs, StatusCode::OK).await;
    assert!(file.contains(&format!("/donations/{donation}/certificate?format=csv")), "{file}");
    let res = page(&app, &format!("/donations/{donation}/certificate"), &theirs).await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = pdf_text(&res.bytes().await.expect("pdf"));
    assert!(text.contains("serial number 5CG-CERT-3") && !text.contains("Ayla"), "{text}");
    let res = page(&app, &format!("/donations/{donation}/certificate?format=csv"), &theirs).await;
    assert!(res.text().await.expect("csv").starts_with("asset_tag,kind,model,serial_number,stage"));
    let strangers = session_of(&app, &stranger).await;
    let res = page(&app, &format!("/donations/{donation}/certificate"), &strangers).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let desk = session_of(&app, &staff).await;
    let res = page(&app, &format!("/devices/{destroyed}/certificate"), &desk).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(pdf_text(&res.bytes().await.expect("pdf")).contains("WEEE-2026-7"));
}

async fn report(app: &TestApp, token: &str, csv: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/erasure-reports?lang=en"))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .header("accept-language", "en")
        .body(csv.to_owned())
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn an_erasure_tools_report_is_taken_in_all_rows_or_none_and_a_failed_drive_goes_back() {
    let app = spawn_app().await;
    let (staff, _, donation) = donation_of_northwind(&app).await;
    let mut ids = Vec::new();
    for i in 1..=4 {
        let laptop = create_laptop(&app, &staff, &donation, &format!("5CG-R-{i}"), 8).await;
        let id = laptop["id"].as_str().expect("id").to_owned();
        if i < 4 {
            step(&app, &staff, &id, json!({"action": "receive"})).await;
        }
        ids.push(id);
    }
    let state = |i: usize| {
        let (app, staff, id) = (&app, &staff, ids[i].clone());
        async move {
            let d: Value = app.get(&format!("/api/v1/devices/{id}"), staff).await.json().await.expect("json");
            d["state"].as_str().expect("state").to_owned()
        }
    };

    // Unknown and not yet received serials, and a result no one can read: nothing is taken in.
    let bad = "Serial;Status;Method;Software;Timestamp\n5CG-R-1;Passed;Purge;Blancco;2026-12-03T09:00:00Z\n\
               5CG-NOPE;Passed;Purge;Blancco;2026-12-03T09:01:00Z\n5CG-R-4;Passed;Purge;Blancco;2026-12-03T09:02:00Z\n\
               5CG-R-2;Maybe;Purge;Blancco;2026-12-03T09:03:00Z\n";
    let res = report(&app, &staff, bad).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    // Every bad row at once: the unreadable result and the serials no wipe waits for.
    let rows: Vec<u64> =
        body["errors"].as_array().expect("errors").iter().map(|e| e["row"].as_u64().expect("row")).collect();
    assert_eq!(rows, [3, 4, 5], "{body}");
    assert_eq!(body["errors"][2]["field"], "result", "{body}");
    let fixed = bad.replace("Maybe", "Failed");
    let body =
        problem(report(&app, &staff, &fixed).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
            .await;
    let rows: Vec<u64> =
        body["errors"].as_array().expect("errors").iter().map(|e| e["row"].as_u64().expect("row")).collect();
    assert_eq!(rows, [3, 4], "{body}");
    assert!(
        body["errors"][1]["message"].as_str().is_some_and(|m| m.contains("5CG-R-4 is pledged")),
        "{body}"
    );
    assert_eq!(state(0).await, "received", "all rows or none");

    let good = "serial,result,method,tool,version,time,drive_serial,certificate\n\
                5CG-R-1,Passed,NIST Purge (crypto erase),Blancco Drive Eraser,7.9,2026-12-03T09:00:00Z,S4EW1,BL-77\n\
                5CG-R-2,Failed,NIST Purge (crypto erase),Blancco Drive Eraser,7.9,2026-12-03T09:05:00Z,S4EW2,BL-78\n\
                5cg-r-3,Passed,Overwrite,Blancco Drive Eraser,7.9,2026-12-03 09:10,,\n";
    let res = report(&app, &staff, good).await;
    assert_eq!(res.status(), StatusCode::OK);
    let taken: Value = res.json().await.expect("json");
    assert_eq!((&taken["passed"], &taken["failed"]), (&json!(2), &json!(1)), "{taken}");
    assert_eq!(
        (state(0).await, state(1).await, state(2).await),
        ("wiped".into(), "received".into(), "wiped".into())
    );
    let res = transition(&app, &staff, &ids[1], json!({"action": "grade", "grade": "A"})).await;
    problem(res, StatusCode::CONFLICT, "illegal_transition").await;

    let all = ids.clone();
    let records = app.with_db(move |c| devices::erasure_records(c, &all).expect("records")).await;
    let first = records.iter().find(|r| r.device_id == ids[0]).expect("record");
    assert_eq!(
        first.performed_at.format("%Y-%m-%d %H:%M").to_string(),
        "2026-12-03 09:00",
        "the tool's time"
    );
    assert_eq!((first.method.as_str(), first.certificate_ref.as_str()), ("nist_purge", "BL-77"));
    assert_eq!((first.media_serial.as_deref(), first.tool_version.as_deref()), (Some("S4EW1"), Some("7.9")));
    let third = records.iter().find(|r| r.device_id == ids[2]).expect("record");
    assert_eq!(
        (third.method.as_str(), third.certificate_ref.as_str()),
        ("nist_clear", "Blancco Drive Eraser 2026-12-03T09:10:00Z")
    );
    // A report is for staff only; the same report again finds nothing waiting for a wipe.
    let contact = app.token_for("it@northwind.example").await;
    problem(report(&app, &contact, good).await, StatusCode::FORBIDDEN, "forbidden").await;
    problem(report(&app, &staff, good).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    // From the page: the failed drive wiped again, listed on the page if it fails once more.
    let desk = session_of(&app, &staff).await;
    let form = html(&app, "/erasure-reports?lang=en", &desk, StatusCode::OK).await;
    let csrf = crate::web::form_token(&form);
    let again =
        "serial,result,method,tool,time\n5CG-R-2,Failed,Purge,Blancco Drive Eraser,2026-12-03T11:00:00Z\n";
    let res = crate::web_school::upload(&app, "/erasure-reports?lang=en", &desk, &csrf, Some(again)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let done = res.text().await.expect("html");
    assert!(
        done.contains("Passed and wiped: 0. Failed: 1.") && done.contains(&format!("/devices/{}", ids[1])),
        "{done}"
    );
    let res = crate::web_school::upload(
        &app,
        "/erasure-reports?lang=en",
        &desk,
        &csrf,
        Some("serial,result\nX,passed\n"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("html").contains("no column method"));
    assert_eq!(state(1).await, "received");
}

async fn send_list(app: &TestApp, token: &str, donation: &str, csv: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/donations/{donation}/asset-list")))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .header("accept-language", "en")
        .body(csv.to_owned())
        .send()
        .await
        .expect("sent")
}

fn statuses(r: &Value) -> Vec<(String, String)> {
    r["assets"]
        .as_array()
        .expect("assets")
        .iter()
        .map(|a| {
            (
                a["serial_number"].as_str().expect("serial").to_owned(),
                a["status"].as_str().expect("status").to_owned(),
            )
        })
        .collect()
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
}

#[tokio::test]
async fn a_donors_asset_list_is_reconciled_matched_expected_missing_and_unexpected() {
    let app = spawn_app().await;
    let (staff, _, donation) = donation_of_northwind(&app).await;
    let donor = app.token_for("it@northwind.example").await;
    let mut ids = std::collections::HashMap::new();
    for serial in ["5CG-A", "5CG-B", "5CG-X", "5CG-Y"] {
        let id =
            create_laptop(&app, &staff, &donation, serial, 8).await["id"].as_str().expect("id").to_owned();
        ids.insert(serial, id);
    }
    // A is on the list and received; B on it, registered but not received; C on it only;
    // X received but not on it; Y registered, not received, not on it.
    for serial in ["5CG-A", "5CG-X"] {
        step(&app, &staff, &ids[serial], json!({"action": "receive"})).await;
    }
    let path = format!("/api/v1/donations/{donation}/reconciliation");
    let before: Value = app.get(&path, &donor).await.json().await.expect("json");
    assert_eq!((before["uploaded_at"].clone(), before["counts"]["listed"].clone()), (Value::Null, json!(0)));
    assert_eq!(before["assets"], json!([]), "without a list nothing is reconciled");

    // Every bad line is named, and nothing is taken in.
    let bad = "Asset number;Serial number\nIT-1;5CG-A\nIT-2;\nIT-3;5cg-a\n";
    let refused = problem(
        send_list(&app, &donor, &donation, bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let rows: Vec<Value> =
        refused["errors"].as_array().expect("errors").iter().map(|e| e["row"].clone()).collect();
    assert_eq!(rows, [json!(3), json!(4)], "{refused}");
    let still: Value = app.get(&path, &donor).await.json().await.expect("json");
    assert_eq!(still["uploaded_at"], Value::Null);

    let list = "\u{feff}Asset number;Serial number;Model\nIT-1;5cg-a;T14\nIT-2;5CG-B;T14\nIT-3;5CG-C;=cmd|' /C calc'!A0\n";
    let res = send_list(&app, &donor, &donation, list).await;
    assert_eq!(res.status(), StatusCode::OK);
    let sent: Value = res.json().await.expect("json");
    assert_eq!(
        statuses(&sent),
        pairs(&[("5CG-A", "matched"), ("5CG-B", "expected"), ("5CG-C", "expected"), ("5CG-X", "unexpected")])
    );
    assert_eq!(
        sent["counts"],
        json!({"listed": 3, "matched": 1, "expected": 2, "missing": 0, "unexpected": 1})
    );
    assert_eq!(
        (sent["assets"][0]["reference"].clone(), sent["assets"][0]["stage"].clone()),
        (json!("IT-1"), json!("received"))
    );
    assert_eq!(
        sent["assets"][0]["asset_tag"],
        json!(
            app.get(&format!("/api/v1/devices/{}", ids["5CG-A"]), &staff)
                .await
                .json::<Value>()
                .await
                .expect("json")["asset_tag"]
        )
    );

    // Once the donation is delivered, what did not come is missing.
    let res = app.post(&format!("/api/v1/donations/{donation}/receive"), &staff, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let after: Value = app.get(&path, &staff).await.json().await.expect("json");
    assert_eq!(
        statuses(&after),
        pairs(&[("5CG-A", "matched"), ("5CG-B", "missing"), ("5CG-C", "missing"), ("5CG-X", "unexpected")])
    );
    step(&app, &staff, &ids["5CG-B"], json!({"action": "receive"})).await;
    let later: Value = app.get(&path, &donor).await.json().await.expect("json");
    assert_eq!(
        later["counts"],
        json!({"listed": 3, "matched": 2, "expected": 0, "missing": 1, "unexpected": 1})
    );

    // The CSV for their register, safe to open in a spreadsheet; stages in the contact's Dutch.
    let (status, kind, csv) = download(&app, &format!("{path}?format=csv"), &donor).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
    let csv = String::from_utf8(csv).expect("utf-8");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "serial_number,reference,model,status,asset_tag,stage");
    assert!(lines[2].starts_with("5CG-B,IT-2,T14,matched,DPL-") && lines[2].ends_with(",Ontvangen"), "{csv}");
    assert!(lines[3].starts_with("5CG-C,IT-3,'=cmd") && lines[3].contains(",missing,,"), "{csv}");
    assert!(lines[4].starts_with("5CG-X,,,unexpected,DPL-"), "{csv}");
    assert_eq!(lines.len(), 5);

    // Nobody else's: another donor gets a 404 (even with a bad file), a coordinator a 403.
    let admin = app.admin_token().await;
    let other = app.create_organisation(&admin, "Polder Software", "donor").await;
    let (stranger, _) = app.user_with_role(&admin, Role::Donor, Some(&other)).await;
    problem(app.get(&path, &stranger).await, StatusCode::NOT_FOUND, "not_found").await;
    problem(send_list(&app, &stranger, &donation, "nope\n").await, StatusCode::NOT_FOUND, "not_found").await;
    let school = app.create_organisation(&admin, "ROC Noord", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    problem(app.get(&path, &coordinator).await, StatusCode::FORBIDDEN, "forbidden").await;
    problem(
        app.get(&format!("{path}?format=xlsx"), &donor).await,
        StatusCode::BAD_REQUEST,
        "malformed_query",
    )
    .await;

    // The same on the pages: the donation page says how the list stands and links to it.
    let theirs = session_of(&app, &donor).await;
    let file = html(&app, &format!("/donations/{donation}?lang=en"), &theirs, StatusCode::OK).await;
    assert!(file.contains("Received: 2. Not received yet: 0. Missing: 1. Not on your list: 1."), "{file}");
    let form_path = format!("/donations/{donation}/reconciliation?lang=en");
    let form = html(&app, &form_path, &theirs, StatusCode::OK).await;
    assert!(form.contains("Missing: not in the delivery") && form.contains("IT-3"), "{form}");
    let csrf = crate::web::form_token(&form);
    let upload_path = format!("/donations/{donation}/asset-list");
    let res =
        crate::web_school::upload(&app, &upload_path, &theirs, &csrf, Some("serial\n5CG-A\nbad serial!\n"))
            .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = res.text().await.expect("html");
    assert!(refused.contains("Row 3") || refused.contains("row 3"), "{refused}");
    let res =
        crate::web_school::upload(&app, &upload_path, &theirs, &csrf, Some("serial\n5CG-A\n5CG-Y\n")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let shown = html(
        &app,
        &format!("/donations/{donation}/reconciliation?done=sent&lang=en"),
        &theirs,
        StatusCode::OK,
    )
    .await;
    assert!(shown.contains("We have your list with 2 serial numbers."), "{shown}");
    let replaced: Value = app.get(&path, &donor).await.json().await.expect("json");
    assert_eq!(
        statuses(&replaced),
        pairs(&[
            ("5CG-A", "matched"),
            ("5CG-Y", "missing"),
            ("5CG-B", "unexpected"),
            ("5CG-X", "unexpected")
        ]),
        "a new list replaces the old"
    );
    let res = page(&app, &format!("/donations/{donation}/reconciliation?format=csv"), &theirs).await;
    assert!(res.text().await.expect("csv").starts_with("serial_number,reference"));
    let strangers = session_of(&app, &stranger).await;
    let res = page(&app, &format!("/donations/{donation}/reconciliation"), &strangers).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_certificate_prints_every_letter_of_a_turkish_or_danish_donor_name() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let hub = app.post("/api/v1/hubs", &staff, json!({"name": "Hub Oost", "address": "Plein 2"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    for (name, operator, serial) in
        [("Şahin Bilişim", "Çağrı Öztürk", "TR-1"), ("Ørsted A/S", "Søren Ærø", "DK-1")]
    {
        let donor = app.create_organisation(&admin, name, "donor").await;
        let donation =
            create_donation(&app, &staff, json!({"donor_id": donor, "expected_hub_id": hub})).await;
        let laptop = create_laptop(&app, &staff, &donation, serial, 8).await;
        let id = laptop["id"].as_str().expect("id").to_owned();
        step(&app, &staff, &id, json!({"action": "receive"})).await;
        step(
            &app,
            &staff,
            &id,
            json!({"action": "wipe", "method": "nist_purge", "certificate_ref": "BL-Ğ-1",
            "technique": format!("wiped for {operator}")}),
        )
        .await;
        let email = format!("it@{}.example", serial.to_lowercase());
        let contact = json!({"email": email, "role": "donor", "organisation_id": donor,
            "preferred_language": "en", "password": crate::helpers::PASSWORD});
        assert_eq!(app.post("/api/v1/users", &admin, contact).await.status(), StatusCode::CREATED);
        let contact = app.token_for(&email).await;
        let path = format!("/api/v1/donations/{donation}/certificate");
        // Staff read the service's language (Dutch), the donor's contact chose English.
        for (reader, title) in
            [(&staff, "Certificaat van gegevenswissing"), (&contact, "Certificate of data erasure")]
        {
            let (status, kind, pdf) = download(&app, &path, reader).await;
            assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/pdf"));
            assert!(pdf.len() < 50_000, "a subset of the font, not all of it: {} bytes", pdf.len());
            let text = pdf_text(&pdf);
            assert!(text.contains(title), "{text}");
            assert!(text.contains(name) && text.contains(operator) && text.contains("BL-Ğ-1"), "{text}");
            assert!(!text.contains('?'), "no letter is lost: {text}");
        }
    }
}
