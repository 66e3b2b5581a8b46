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
    assert_eq!(body["errors"][0]["row"], 5, "the unreadable row first, on its own: {body}");
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
