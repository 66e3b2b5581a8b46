//! The pool staff's desk over HTTP against the real app: a pledged laptop found by its tag
//! and taken through intake step by step with its erasure record, steps that no longer fit,
//! two desks at once, and who may use it.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::fixtures::{create_donation, create_laptop};
use crate::helpers::{spawn_app, TestApp};
use crate::web::{form, form_token, page};
use crate::web_school::{html, location, session_of};
use devicepool::domain::Role;

/// A staff session and a pledged laptop: (staff token, session, device id, asset tag).
async fn desk(app: &TestApp) -> (String, String, String, String) {
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let hub = app.post("/api/v1/hubs", &staff, json!({"name": "Hub Noord", "address": "Plein 1"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let donor = app.create_organisation(&admin, "Northwind", "donor").await;
    let donation = create_donation(app, &staff, json!({"donor_id": donor, "expected_hub_id": hub})).await;
    let laptop = create_laptop(app, &staff, &donation, "5CG-DESK-1", 16).await;
    let session = session_of(app, &staff).await;
    let id = laptop["id"].as_str().expect("id").to_owned();
    (staff, session, id, laptop["asset_tag"].as_str().expect("tag").to_owned())
}

#[tokio::test]
async fn staff_take_a_pledged_laptop_through_intake_from_its_tag() {
    let app = spawn_app().await;
    let (staff, session, id, tag) = desk(&app).await;
    let find = html(&app, "/devices?lang=en", &session, StatusCode::OK).await;
    assert!(
        find.contains("autofocus")
            && find.contains("autocomplete=\"off\"")
            && find.contains("spellcheck=\"false\"")
    );
    let csrf = form_token(&find);
    // The camera script the field offers is there, kept for a year, and small.
    let script = find.split("<script src=\"").nth(1).and_then(|r| r.split('"').next()).expect("script");
    let res = app.client.get(app.url(&script.replace("&#x2f;", "/"))).send().await.expect("sent");
    assert_eq!(res.status(), StatusCode::OK);
    let kind = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(kind.starts_with("text/javascript"), "{kind}");
    assert!(res
        .headers()
        .get("cache-control")
        .is_some_and(|c| c.to_str().is_ok_and(|c| c.contains("immutable"))));
    let body = res.text().await.expect("script");
    assert!(body.contains("BarcodeDetector") && find.len() + body.len() < 50_000);

    // The code as a scanner or a person types it: any case, spaces around.
    let res = page(&app, &format!("/devices?q=%20{}%20", tag.to_lowercase()), &session).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/devices/{id}"));
    let res = page(&app, "/devices?q=NOPE-1", &session).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.expect("html").contains("No device has the tag or serial number NOPE-1."));
    let res = page(&app, "/devices?q=5cg-desk-1", &session).await;
    assert_eq!(location(&res), format!("/devices/{id}"), "the serial number finds it too");

    let device = html(&app, &format!("/devices/{id}"), &session, StatusCode::OK).await;
    assert!(device.contains("<strong>Pledged</strong>") && device.contains("Northwind"), "{device}");
    assert!(device.contains(&format!("/devices/{id}/steps/receive")), "{device}");
    assert!(!device.contains("/steps/wipe"), "only what the state allows");

    let step = |action: &str| format!("/devices/{id}/steps/{action}");
    let res = form(&app, &step("receive"), &session, &[("csrf", csrf.as_str())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let device = html(&app, &location(&res), &session, StatusCode::OK).await;
    assert!(device.contains("Received. Now wipe the data.") && device.contains("/steps/wipe"), "{device}");
    // The wipe needs its certificate: said at the field of the wipe's form.
    let res = form(
        &app,
        &step("wipe"),
        &session,
        &[("csrf", csrf.as_str()), ("method", "nist_purge"), ("tool", "Blancco 7")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = res.text().await.expect("html");
    assert!(
        again.contains("href=\"#wipe-certificate_ref\"") && again.contains("value=\"Blancco 7\""),
        "{again}"
    );
    let wipe = [
        ("csrf", csrf.as_str()),
        ("method", "nist_purge"),
        ("tool", "Blancco 7"),
        ("certificate_ref", "BL-2026-0042"),
        ("verification_result", "passed"),
    ];
    let res = form(&app, &step("wipe"), &session, &wipe).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = form(&app, &step("grade"), &session, &[("csrf", csrf.as_str()), ("grade", "B")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = form(&app, &step("release"), &session, &[("csrf", csrf.as_str())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let device = html(&app, &location(&res), &session, StatusCode::OK).await;
    assert!(
        device.contains("It is in the pool.") && device.contains("<strong>In the pool</strong>, grade B"),
        "{device}"
    );
    assert!(device.contains("BL-2026-0042"), "the history shows the erasure record: {device}");

    // The same history through the API, with the erasure's method and tool.
    let history: Value =
        app.get(&format!("/api/v1/devices/{id}/history"), &staff).await.json().await.expect("json");
    let wiped =
        history["items"].as_array().expect("items").iter().find(|e| e["action"] == "wipe").expect("wipe");
    assert_eq!(wiped["details"]["certificate_ref"], "BL-2026-0042");
    assert_eq!(wiped["details"]["method"], "nist_purge");

    // A step that no longer fits: the page as it is, saying why.
    let res = form(&app, &step("wipe"), &session, &wipe).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let refused = res.text().await.expect("html");
    assert!(refused.contains("This step does not fit any more."), "{refused}");
    // A loan's own step is not the desk's.
    let res = form(&app, &step("hand_over"), &session, &[("csrf", csrf.as_str())]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let label = page(&app, &format!("/devices/{id}/label"), &session).await;
    assert_eq!(label.headers()["content-type"], "image/svg+xml");
    assert!(label.text().await.expect("svg").contains(&tag));
}

#[tokio::test]
async fn two_desks_receiving_one_laptop_change_it_once_and_others_may_not_use_the_desk() {
    let app = spawn_app().await;
    let (staff, session, id, _) = desk(&app).await;
    let csrf = form_token(&html(&app, "/devices?lang=en", &session, StatusCode::OK).await);
    let path = format!("/devices/{id}/steps/receive");
    let pairs = [("csrf", csrf.as_str())];
    let (a, b) = tokio::join!(form(&app, &path, &session, &pairs), form(&app, &path, &session, &pairs));
    let mut statuses = vec![a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let history: Value =
        app.get(&format!("/api/v1/devices/{id}/history"), &staff).await.json().await.expect("json");
    let received =
        history["items"].as_array().expect("items").iter().filter(|e| e["action"] == "receive").count();
    assert_eq!(received, 1);

    let admin = app.admin_token().await;
    let donor = app.create_organisation(&admin, "Contoso", "donor").await;
    let (donor, _) = app.user_with_role(&admin, Role::Donor, Some(&donor)).await;
    let donor = session_of(&app, &donor).await;
    for path in ["/devices".to_owned(), format!("/devices/{id}"), format!("/devices/{id}/label")] {
        html(&app, &path, &donor, StatusCode::FORBIDDEN).await;
    }
    html(&app, &format!("/devices/{}", uuid::Uuid::new_v4()), &session, StatusCode::NOT_FOUND).await;
}

/// Scans `code` in the session page `html`, carrying its hidden fields: the next page.
pub(crate) async fn scan(app: &TestApp, session: &str, html: &str, code: &str) -> (StatusCode, String) {
    let mut fields = hidden_fields(html);
    fields.push(("code".to_owned(), code.to_owned()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = form(app, "/scan/session", session, &pairs).await;
    (res.status(), res.text().await.expect("html"))
}

/// The hidden fields of the first form of a page, as the browser would send them back.
pub(crate) fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let form = html.split("<form method=\"post\" action=\"/scan/session\"").nth(1).expect("the scan form");
    let form = form.split("</form>").next().expect("form end");
    form.split("<input type=\"hidden\" ")
        .skip(1)
        .filter_map(|input| {
            let attr = |name: &str| {
                let start = input.find(&format!("{name}=\""))? + name.len() + 2;
                let end = input[start..].find('"')? + start;
                Some(
                    input[start..end]
                        .replace("&#x2f;", "/")
                        .replace("&#10;", "\n")
                        .replace("&#x7c;", "|")
                        .replace("&amp;", "&")
                        .replace("&#x27;", "'")
                        .replace("&quot;", "\""),
                )
            };
            Some((attr("name")?, attr("value")?))
        })
        .collect()
}

#[tokio::test]
async fn a_scan_session_receives_ten_laptops_of_a_donation_and_says_why_one_is_refused() {
    let app = spawn_app().await;
    let (staff, session, first, _) = desk(&app).await;
    let laptop: Value =
        app.get(&format!("/api/v1/devices/{first}"), &staff).await.json().await.expect("json");
    let donation = laptop["donation_id"].as_str().expect("donation").to_owned();
    let mut tags = vec![laptop["asset_tag"].as_str().expect("tag").to_owned()];
    for i in 2..=10 {
        let l = create_laptop(&app, &staff, &donation, &format!("5CG-SCAN-{i}"), 8).await;
        tags.push(l["asset_tag"].as_str().expect("tag").to_owned());
    }
    // One of them came in already, through the API.
    let res =
        app.post(&format!("/api/v1/devices/{first}/transitions"), &staff, json!({"action": "receive"})).await;
    assert_eq!(res.status(), StatusCode::OK);

    let start = html(&app, "/scan?lang=en", &session, StatusCode::OK).await;
    assert!(start.contains(&donation), "the donation can be chosen");
    let res = page(&app, "/scan/session?action=receive", &session).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a receive session names its donation");
    let mut page_now =
        html(&app, &format!("/scan/session?action=receive&donation_id={donation}"), &session, StatusCode::OK)
            .await;
    assert!(page_now.contains("autofocus"), "the code field has the focus");
    for tag in &tags {
        let (status, next) = scan(&app, &session, &page_now, &tag.to_lowercase()).await;
        assert_eq!(status, StatusCode::OK);
        page_now = next;
    }
    assert!(page_now.contains("Done: 9. Refused: 1."), "{page_now}");
    assert!(
        page_now.contains(&format!("<code>{}</code>: Not possible now: it is received.", tags[0])),
        "{page_now}"
    );
    let (_, unknown) = scan(&app, &session, &page_now, "NOPE-1").await;
    assert!(
        unknown.contains("No device has this code.") && unknown.contains("Done: 9. Refused: 2."),
        "{unknown}"
    );

    let mut fields = hidden_fields(&unknown);
    fields.retain(|(k, _)| k != "code");
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = form(&app, "/scan/end", &session, &pairs).await;
    let summary = res.text().await.expect("html");
    assert!(summary.contains("Receive a donation: 9 done, 2 refused."), "{summary}");
    let listed: Value = app
        .get(&format!("/api/v1/devices?donation_id={donation}&state=received&limit=50"), &staff)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(10));
}

#[tokio::test]
async fn two_scan_sessions_on_the_same_laptops_change_each_once() {
    let app = spawn_app().await;
    let (staff, session, first, _) = desk(&app).await;
    let laptop: Value =
        app.get(&format!("/api/v1/devices/{first}"), &staff).await.json().await.expect("json");
    let donation = laptop["donation_id"].as_str().expect("donation").to_owned();
    let mut tags = vec![laptop["asset_tag"].as_str().expect("tag").to_owned()];
    for i in 2..=5 {
        let l = create_laptop(&app, &staff, &donation, &format!("5CG-TWO-{i}"), 8).await;
        tags.push(l["asset_tag"].as_str().expect("tag").to_owned());
    }
    let other = crate::web_school::session_of(&app, &staff).await;
    let path = format!("/scan/session?action=receive&donation_id={donation}&lang=en");
    let (a, b) =
        (html(&app, &path, &session, StatusCode::OK).await, html(&app, &path, &other, StatusCode::OK).await);
    let mut done = 0;
    for tag in &tags {
        let ((_, x), (_, y)) = tokio::join!(scan(&app, &session, &a, tag), scan(&app, &other, &b, tag));
        done += [x, y].iter().filter(|p| p.contains("Done: 1.")).count();
    }
    assert_eq!(done, tags.len(), "each laptop received by one desk, refused at the other");
    for id in [first] {
        let history: Value =
            app.get(&format!("/api/v1/devices/{id}/history"), &staff).await.json().await.expect("json");
        let received =
            history["items"].as_array().expect("items").iter().filter(|e| e["action"] == "receive").count();
        assert_eq!(received, 1);
    }
}

#[tokio::test]
async fn the_returns_counter_takes_a_laptop_back_without_its_charger() {
    let app = spawn_app().await;
    let (staff, _, email, loan, device, _) = crate::fixtures::confirmed_loan(&app).await;
    let loan_id = loan["id"].as_str().expect("id").to_owned();
    let student = crate::students::sign_in_student(&app, &email).await;
    let res = app.post(&format!("/api/v1/loans/{loan_id}/accept"), &student, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app.post(&format!("/api/v1/loans/{loan_id}/handover"), &staff, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let laptop: Value =
        app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    let tag = laptop["asset_tag"].as_str().expect("tag").to_owned();
    let session = session_of(&app, &staff).await;

    let counter = html(&app, "/returns?lang=en", &session, StatusCode::OK).await;
    let csrf = form_token(&counter);
    let res = page(&app, "/returns?code=NOPE-1", &session).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let found = html(&app, &format!("/returns?code={}", tag.to_lowercase()), &session, StatusCode::OK).await;
    assert!(found.contains("name=\"back_charger\"") && found.contains("name=\"back_bag\""), "{found}");
    assert!(!found.contains("Ayla"), "the counter does not name the student");

    let path = format!("/returns/{loan_id}");
    let back = [
        ("csrf", csrf.as_str()),
        ("code", tag.as_str()),
        ("back_bag", "yes"),
        ("back_mouse", "yes"),
        ("condition", "worn"),
    ];
    let res = form(&app, &path, &session, &back[..4]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "the condition is asked");
    let res = form(&app, &path, &session, &back).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let done = html(&app, &location(&res), &session, StatusCode::OK).await;
    assert!(done.contains(&format!("{tag} is back and waits for inspection. Missing: Charger.")), "{done}");

    let laptop: Value =
        app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    assert_eq!(laptop["state"], "inspection");
    assert_eq!(laptop["missing_accessories"], json!(["charger"]));
    let closed: Value =
        app.get(&format!("/api/v1/loans/{loan_id}"), &staff).await.json().await.expect("json");
    assert_eq!(closed["state"], "returned");
    // Taking it back twice: the device is not out on a loan any more.
    let res = form(&app, &path, &session, &back).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_return_session_takes_back_complete_kit_once_even_from_two_desks() {
    let app = spawn_app().await;
    let (staff, _, email, loan, device, _) = crate::fixtures::confirmed_loan(&app).await;
    let loan_id = loan["id"].as_str().expect("id").to_owned();
    let student = crate::students::sign_in_student(&app, &email).await;
    let res = app.post(&format!("/api/v1/loans/{loan_id}/accept"), &student, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app.post(&format!("/api/v1/loans/{loan_id}/handover"), &staff, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let laptop: Value =
        app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    let tag = laptop["asset_tag"].as_str().expect("tag").to_owned();
    let (session, other) = (session_of(&app, &staff).await, session_of(&app, &staff).await);

    let res = page(&app, "/scan/session?action=return&condition=shiny", &session).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "the condition is one of three");
    let path = "/scan/session?action=return&condition=worn&lang=en";
    let (a, b) =
        (html(&app, path, &session, StatusCode::OK).await, html(&app, path, &other, StatusCode::OK).await);
    assert!(a.contains("<h1>Take back kit that is complete</h1>"), "{a}");
    let lower = tag.to_lowercase();
    let ((_, x), (_, y)) = tokio::join!(scan(&app, &session, &a, &lower), scan(&app, &other, &b, &tag));
    let answers = [&x, &y];
    assert_eq!(answers.iter().filter(|p| p.contains("Done: 1.")).count(), 1, "one desk takes it back");
    assert!(answers.iter().any(|p| p.contains("This device is not out on a loan.")), "{x}\n{y}");
    assert!(x.contains("Taken back. It waits for inspection.") || y.contains("Taken back."), "{x}\n{y}");
    let (_, unknown) = scan(&app, &session, &x, "NOPE-1").await;
    assert!(unknown.contains("No device has this code."), "{unknown}");

    let laptop: Value =
        app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    assert_eq!(laptop["state"], "inspection");
    assert_eq!(laptop["missing_accessories"], json!([]), "everything lent came back");
    let closed: Value =
        app.get(&format!("/api/v1/loans/{loan_id}"), &staff).await.json().await.expect("json");
    assert_eq!(
        (closed["state"].as_str(), closed["return_condition"].as_str()),
        (Some("returned"), Some("worn"))
    );
    let history: Value =
        app.get(&format!("/api/v1/devices/{device}/history"), &staff).await.json().await.expect("json");
    let returns =
        history["items"].as_array().expect("items").iter().filter(|e| e["action"] == "return").count();
    assert_eq!(returns, 1);
}
