//! Gifts at the programme's end over the API: a donor allows them per donation, staff offer
//! one on an active loan, the student accepts the transfer text, and the device leaves the pool.

use chrono::{Datelike, Utc};
use devicepool::domain::Role;
use devicepool::store;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::fixtures::{confirmed_loan, enrol, request_kit, student_body};
use crate::helpers::{assert_integrity, problem, spawn_app, TestApp};
use crate::students::sign_in_student;

/// A loan handed over to its student: (staff, coordinator, student token, loan id, device, donation).
pub(crate) async fn active_loan(app: &TestApp) -> (String, String, String, String, String, String) {
    let (staff, coordinator, email, loan, device, _) = confirmed_loan(app).await;
    let id = loan["id"].as_str().expect("id").to_owned();
    let student = sign_in_student(app, &email).await;
    assert_eq!(
        app.post(&format!("/api/v1/loans/{id}/accept"), &student, json!({})).await.status(),
        StatusCode::OK
    );
    let res = app.post(&format!("/api/v1/loans/{id}/handover"), &staff, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let d: Value = app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    let donation = d["donation_id"].as_str().expect("donation").to_owned();
    (staff, coordinator, student, id, device, donation)
}

async fn current_version(app: &TestApp) -> String {
    let text: Value = app
        .client
        .get(app.url("/api/v1/gift-agreement"))
        .header("accept-language", "nl")
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(text["language"], "nl", "the reader's language");
    assert!(text["text"].as_str().is_some_and(|t| t.contains("van jou")), "{text}");
    text["version"].as_str().expect("version").to_owned()
}

async fn gift_mails(app: &TestApp) -> usize {
    app.with_db(|c| store::outbox::list(c, None, None, 1000).expect("outbox"))
        .await
        .into_iter()
        .filter(|m| m.template == "gift_offered")
        .count()
}

#[tokio::test]
async fn a_gift_is_refused_where_the_donor_does_not_allow_it_and_once_accepted_the_device_leaves_the_pool() {
    let app = spawn_app().await;
    let (staff, coordinator, student, id, device, donation) = active_loan(&app).await;
    let offer = json!({"reason": "Started a job as a developer"});

    // Gifts are off unless the donor says yes.
    let res = app.post(&format!("/api/v1/loans/{id}/gift"), &staff, offer.clone()).await;
    let p = problem(res, StatusCode::CONFLICT, "gift_not_allowed").await;
    assert!(p["detail"].as_str().is_some_and(|d| d.contains("geen cadeau")), "{p}");
    assert_eq!(gift_mails(&app).await, 0);

    // The donor allows it for their own donation; another donor cannot see it.
    let admin = app.admin_token().await;
    let d: Value =
        app.get(&format!("/api/v1/donations/{donation}"), &staff).await.json().await.expect("json");
    assert_eq!(d["gifts_allowed"], false);
    let (donor, _) =
        app.user_with_role(&admin, Role::Donor, Some(d["donor_id"].as_str().expect("donor"))).await;
    let other_org = app.create_organisation(&admin, "Other donor", "donor").await;
    let (other, _) = app.user_with_role(&admin, Role::Donor, Some(&other_org)).await;
    let path = format!("/api/v1/donations/{donation}");
    problem(
        app.patch(&path, &other, json!({"gifts_allowed": true})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    problem(
        app.patch(&path, &coordinator, json!({"gifts_allowed": true})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    problem(
        app.patch(&path, &donor, json!({"gifts_allowed": "yes"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let res = app.patch(&path, &donor, json!({"gifts_allowed": true})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.expect("json")["gifts_allowed"], true);

    // Only staff offer; a reason is needed.
    problem(
        app.post(&format!("/api/v1/loans/{id}/gift"), &student, offer.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let p = problem(
        app.post(&format!("/api/v1/loans/{id}/gift"), &staff, json!({"reason": " "})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "reason", "{p}");
    let res = app.post(&format!("/api/v1/loans/{id}/gift"), &staff, offer.clone()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["location"], format!("/api/v1/loans/{id}").as_str());
    let gift: Value = res.json().await.expect("json");
    assert_eq!(
        (gift["state"].as_str(), gift["reason"].as_str()),
        (Some("offered"), Some("Started a job as a developer"))
    );
    assert_eq!(gift_mails(&app).await, 1, "the student is mailed");
    problem(
        app.post(&format!("/api/v1/loans/{id}/gift"), &staff, offer.clone()).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    let mine: Value = app.get("/api/v1/me/loans", &student).await.json().await.expect("json");
    assert!(
        mine["loans"][0]["allowed_actions"].as_array().expect("actions").contains(&json!("accept_gift")),
        "{mine}"
    );

    // Another student cannot accept it; an old text is refused.
    let mut body = student_body("Bo de Vries", "bo@example.org");
    body["hub_id"] = json!(null);
    enrol(&app, &coordinator, body).await;
    let bo = sign_in_student(&app, "bo@example.org").await;
    let version = current_version(&app).await;
    let accept = format!("/api/v1/loans/{id}/gift/accept");
    problem(
        app.post(&accept, &bo, json!({"agreement_version": version})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let p = problem(
        app.post(&accept, &student, json!({"agreement_version": "2020-01"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "agreement_version");
    let res = app.post(&accept, &student, json!({"agreement_version": version})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let loan: Value = res.json().await.expect("json");
    assert_eq!(loan["state"], "gifted");
    assert_eq!(
        (loan["gift"]["state"].as_str(), loan["gift"]["agreement_version"].as_str()),
        (Some("accepted"), Some(version.as_str()))
    );
    problem(
        app.post(&accept, &student, json!({"agreement_version": version})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;

    // The device is the student's: gifted, with who and which version in its history.
    let d: Value = app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    assert_eq!(d["state"], "gifted");
    let history: Value =
        app.get(&format!("/api/v1/devices/{device}/history"), &staff).await.json().await.expect("json");
    let last = history["items"].as_array().and_then(|i| i.last()).expect("event").clone();
    assert_eq!(last["action"], "gift");
    assert_eq!(last["details"]["agreement_version"], version.as_str());
    assert!(last["actor_id"].is_string(), "{last}");
    for step in ["release", "mark_lost", "retire"] {
        let res =
            app.post(&format!("/api/v1/devices/{device}/transitions"), &staff, json!({"action": step})).await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "{step}");
    }
    // Its erasure certificate stays with the donor.
    let res = app.get(&format!("/api/v1/devices/{device}/certificate"), &donor).await;
    assert_eq!(res.status(), StatusCode::OK);

    // Never offered again: a new request at the same hub gets nothing from a run.
    let mut body = student_body("Cem Yilmaz", "cem@example.org");
    body["hub_id"] = loan["hub_id"].clone();
    let cem = enrol(&app, &coordinator, body).await;
    assert_eq!(
        request_kit(&app, &coordinator, json!({"student_id": cem["id"], "kind": "laptop"})).await.status(),
        StatusCode::CREATED
    );
    let run: Value = app.post("/api/v1/allocations/run", &staff, json!({})).await.json().await.expect("json");
    assert_eq!(run["proposals"], json!([]), "{run}");
    assert_integrity(&app).await;

    // The impact of last month counts it (the acceptance moved to last month).
    let first = Utc::now().date_naive().with_day(1).expect("first");
    let last_month = first - chrono::Months::new(1);
    let loan_id = id.clone();
    app.with_db(move |c| {
        use devicepool::store::schema::loans as l;
        use diesel::prelude::*;
        let at = last_month.and_hms_opt(10, 0, 0).expect("time");
        diesel::update(l::table.find(&loan_id)).set(l::closed_at.eq(at)).execute(c).expect("moved");
    })
    .await;
    let period = format!("from={last_month}&to={}", first.pred_opt().expect("day"));
    let impact: Value =
        app.get(&format!("/api/v1/reports/impact?{period}"), &donor).await.json().await.expect("json");
    assert_eq!(impact["gifted"]["devices"], 1, "{impact}");
    assert!(impact["gifted"]["kg"].as_f64().is_some_and(|kg| kg > 0.0), "{impact}");
    assert_eq!(impact["kit"][0]["gifted"], 1, "{impact}");
    let text = serde_json::to_string(&impact).expect("text");
    assert!(!text.contains("Ayla") && !text.contains("ayla@"), "no student named: {text}");
}

#[tokio::test]
async fn two_desks_offering_a_gift_while_the_student_accepts_leave_one_consistent_state() {
    let app = spawn_app().await;
    let (staff, _, student, id, device, donation) = active_loan(&app).await;
    let other_staff = {
        let admin = app.admin_token().await;
        app.user_with_role(&admin, Role::Staff, None).await.0
    };
    let res =
        app.patch(&format!("/api/v1/donations/{donation}"), &staff, json!({"gifts_allowed": true})).await;
    assert_eq!(res.status(), StatusCode::OK, "staff may allow it too");
    let version = current_version(&app).await;
    let offer = json!({"reason": "Device older than four years"});
    let (offer_path, accept_path) =
        (format!("/api/v1/loans/{id}/gift"), format!("/api/v1/loans/{id}/gift/accept"));
    let (a, b, c) = tokio::join!(
        app.post(&offer_path, &staff, offer.clone()),
        app.post(&offer_path, &other_staff, offer.clone()),
        app.post(&accept_path, &student, json!({"agreement_version": version})),
    );
    let offers = [a.status(), b.status()];
    assert_eq!(offers.iter().filter(|s| **s == StatusCode::CREATED).count(), 1, "offered once: {offers:?}");
    assert!(offers.contains(&StatusCode::CONFLICT), "{offers:?}");
    let accepted = c.status();
    assert!(accepted == StatusCode::OK || accepted == StatusCode::CONFLICT, "{accepted}");
    let loan: Value = app.get(&format!("/api/v1/loans/{id}"), &staff).await.json().await.expect("json");
    let d: Value = app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    if accepted == StatusCode::OK {
        assert_eq!((loan["state"].as_str(), d["state"].as_str()), (Some("gifted"), Some("gifted")));
    } else {
        // The acceptance came before the offer: nothing changed but the offer.
        assert_eq!((loan["state"].as_str(), d["state"].as_str()), (Some("active"), Some("on_loan")));
        assert_eq!(loan["gift"]["state"], "offered");
        let res = app
            .post(&format!("/api/v1/loans/{id}/gift/accept"), &student, json!({"agreement_version": version}))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    assert_eq!(gift_mails(&app).await, 1, "one offer, one mail");
    let events: Value =
        app.get(&format!("/api/v1/loans/{id}/history"), &staff).await.json().await.expect("json");
    let steps: Vec<&str> =
        events["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(steps.iter().filter(|s| **s == "offer_gift").count(), 1, "{steps:?}");
    assert_eq!(steps.iter().filter(|s| **s == "accept_gift").count(), 1, "{steps:?}");
    assert_integrity(&app).await;
}

#[tokio::test]
async fn a_loan_that_is_not_active_cannot_be_a_gift() {
    let app = spawn_app().await;
    let (staff, _, _, id, _, _) = active_loan(&app).await;
    let res = app
        .post(
            &format!("/api/v1/loans/{id}/return"),
            &staff,
            json!({"condition": "good", "accessories_returned": ["charger", "bag", "mouse"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    problem(
        app.post(&format!("/api/v1/loans/{id}/gift"), &staff, json!({"reason": "Started a job"})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
}

#[tokio::test]
async fn the_programme_end_mail_goes_once_per_loan_shortly_before_the_end() {
    let app = spawn_app().await;
    let (staff, coordinator, _, id, _, _) = active_loan(&app).await;
    let loan: Value = app.get(&format!("/api/v1/loans/{id}"), &staff).await.json().await.expect("json");
    let student = loan["student_id"].as_str().expect("student").to_owned();
    let ends_in = |days: i64| (Utc::now().date_naive() + chrono::Duration::days(days)).to_string();
    let res = app
        .patch(
            &format!("/api/v1/students/{student}"),
            &coordinator,
            json!({"programme_start": ends_in(-60), "programme_end": ends_in(30)}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    housekeeping(&app).await;
    assert_eq!(ending_mails(&app).await.len(), 0, "not yet: 30 days before the end");
    let res = app
        .patch(&format!("/api/v1/students/{student}"), &coordinator, json!({"programme_end": ends_in(10)}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    housekeeping(&app).await;
    housekeeping(&app).await;
    let sent = ending_mails(&app).await;
    assert_eq!(sent.len(), 1, "once per loan, whatever the runs");
    let payload: Value = serde_json::from_str(&sent[0].payload).expect("payload");
    assert_eq!(payload["gift_offered"], false);
    assert!(payload["due_on"].is_string() && payload["hub"] == "Hub Zuidoost", "{payload}");
}

async fn housekeeping(app: &TestApp) {
    let settings = app.settings.clone();
    app.with_db(move |c| devicepool::workflows::housekeeping::run(c, &settings).expect("run")).await;
}

async fn ending_mails(app: &TestApp) -> Vec<store::outbox::OutboxMessage> {
    app.with_db(|c| store::outbox::list(c, None, None, 1000).expect("outbox"))
        .await
        .into_iter()
        .filter(|m| m.template == "programme_ending")
        .collect()
}
