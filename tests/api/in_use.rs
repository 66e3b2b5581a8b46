//! "Still in use?" rounds over the API: staff open one (and the server on its schedule), each
//! student gets a one-time link, coordinators answer for their own students only, and each
//! answer does what it says: a recall date, a fault report, a lost loan.

use chrono::{Duration, Utc};
use devicepool::domain::Role;
use devicepool::store::{self, outbox};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::class_sets::{laptops, pool, Pool};
use crate::fixtures::{enrol, request_kit, student_body};
use crate::helpers::{assert_integrity, problem, sealed_link, spawn_app, spawn_app_with, TestApp};
use crate::students::sign_in_student;

/// A student with a laptop on loan: their loan, address and sign-in token.
pub(crate) struct Lent {
    pub(crate) loan: String,
    pub(crate) email: String,
    pub(crate) token: String,
    pub(crate) name: String,
}

/// `names.len()` students of the pool's school, each with a laptop handed over.
pub(crate) async fn lend(app: &TestApp, p: &Pool, names: &[&str]) -> Vec<Lent> {
    laptops(app, p, "USE", names.len()).await;
    for name in names {
        let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
        let mut body = student_body(name, &email);
        body["hub_id"] = json!(p.hub);
        let student = enrol(app, &p.coordinator, body).await;
        let res =
            request_kit(app, &p.coordinator, json!({"student_id": student["id"], "kind": "laptop"})).await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let run: Value =
        app.post("/api/v1/allocations/run", &p.staff, json!({})).await.json().await.expect("json");
    let mut lent = Vec::new();
    for proposal in run["proposals"].as_array().expect("proposals") {
        let id = proposal["id"].as_str().expect("id");
        let res = app.post(&format!("/api/v1/allocations/{id}/confirm"), &p.staff, json!({})).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let loan: Value = res.json().await.expect("json");
        let loan_id = loan["id"].as_str().expect("loan").to_owned();
        let student: Value = app
            .get(
                &format!("/api/v1/students/{}", loan["student_id"].as_str().expect("student")),
                &p.coordinator,
            )
            .await
            .json()
            .await
            .expect("json");
        let email = student["email"].as_str().expect("email").to_owned();
        let token = sign_in_student(app, &email).await;
        let res = app.post(&format!("/api/v1/loans/{loan_id}/accept"), &token, json!({})).await;
        assert_eq!(res.status(), StatusCode::OK);
        let res = app.post(&format!("/api/v1/loans/{loan_id}/handover"), &p.staff, json!({})).await;
        assert_eq!(res.status(), StatusCode::OK);
        let name = student["name"].as_str().expect("name").to_owned();
        lent.push(Lent { loan: loan_id, email, token, name });
    }
    assert_eq!(lent.len(), names.len(), "every student got a laptop");
    lent
}

/// The token of the in-use link mailed to `email` (the newest).
pub(crate) async fn link_token(app: &TestApp, email: &str) -> String {
    let to = email.to_owned();
    let messages = app.with_db(move |c| outbox::for_recipient(c, &to).expect("outbox")).await;
    let message = messages.iter().find(|m| m.template == "in_use_round").expect("an in-use mail was queued");
    let link = sealed_link(app, message);
    assert!(link.starts_with("http://localhost:8080/in-use?token="), "{link}");
    link.rsplit_once("token=").expect("token").1.to_owned()
}

async fn answer_by_link(app: &TestApp, token: &str, answer: &str) -> reqwest::Response {
    let body = json!({"token": token, "answer": answer});
    app.request(Method::POST, "/api/v1/in-use-answers", None, Some(body)).await
}

async fn loan(app: &TestApp, staff: &str, id: &str) -> Value {
    app.get(&format!("/api/v1/loans/{id}"), staff).await.json().await.expect("json")
}

async fn mails(app: &TestApp, template: &str) -> usize {
    app.with_db(|c| outbox::list(c, None, None, 1000).expect("outbox"))
        .await
        .into_iter()
        .filter(|m| m.template == template)
        .count()
}

#[tokio::test]
async fn an_in_use_round_with_each_answer_and_its_effect_and_another_schools_coordinator_refused() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let lent = lend(&app, &p, &["Ayla Demir", "Bo Jansen", "Chen Li", "Dana Smit"]).await;
    let other_school = app.create_organisation(&p.admin, "Data Academy", "school").await;
    let (other, _) = app.user_with_role(&p.admin, Role::School, Some(&other_school)).await;
    let answer = |a: &str| json!({"answer": a});

    // No round yet.
    problem(app.get("/api/v1/in-use-rounds/current", &p.staff).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    let res =
        app.post(&format!("/api/v1/loans/{}/in-use", lent[0].loan), &p.coordinator, answer("in_use")).await;
    problem(res, StatusCode::CONFLICT, "no_round").await;

    // Only staff open one; it asks about every active loan and mails each student a link.
    problem(
        app.post("/api/v1/in-use-rounds", &p.coordinator, json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let res = app.post("/api/v1/in-use-rounds", &p.staff, json!({})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["location"], "/api/v1/in-use-rounds/current");
    let opened: Value = res.json().await.expect("json");
    assert_eq!(opened["loans"], 4);
    assert_eq!(mails(&app, "in_use_round").await, 4);
    let round: Value =
        app.get("/api/v1/in-use-rounds/current", &p.coordinator).await.json().await.expect("json");
    assert_eq!(
        (round["id"].clone(), round["progress"]["unanswered"].clone()),
        (opened["id"].clone(), json!(4))
    );
    assert_eq!(round["items"].as_array().map(Vec::len), Some(4));
    assert!(round["items"].as_array().expect("items").iter().all(|i| i["answer"].is_null()));

    // Another school's coordinator sees none of them and cannot answer: 404.
    let theirs: Value = app.get("/api/v1/in-use-rounds/current", &other).await.json().await.expect("json");
    assert_eq!(
        (theirs["items"].as_array().map(Vec::len), theirs["progress"]["unanswered"].clone()),
        (Some(0), json!(0))
    );
    let res = app.post(&format!("/api/v1/loans/{}/in-use", lent[0].loan), &other, answer("not_used")).await;
    problem(res, StatusCode::NOT_FOUND, "not_found").await;
    problem(
        app.post(&format!("/api/v1/loans/{}/in-use", lent[0].loan), &p.coordinator, answer("maybe")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    // In use, from the mailed link: nothing changes; the link used again changes nothing.
    let due = loan(&app, &p.staff, &lent[0].loan).await["due_on"].clone();
    let token = link_token(&app, &lent[0].email).await;
    let res = answer_by_link(&app, &token, "in_use").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.expect("json")["answer"], "in_use");
    problem(answer_by_link(&app, &token, "not_used").await, StatusCode::CONFLICT, "already_answered").await;
    let after = loan(&app, &p.staff, &lent[0].loan).await;
    assert_eq!(
        (after["recalled"].clone(), after["due_on"].clone(), after["state"].clone()),
        (json!(false), due, json!("active"))
    );
    problem(answer_by_link(&app, "made-up-token", "in_use").await, StatusCode::NOT_FOUND, "not_found").await;

    // Not used, answered by the coordinator: recalled, due within recall_days, the student mailed.
    let res =
        app.post(&format!("/api/v1/loans/{}/in-use", lent[1].loan), &p.coordinator, answer("not_used")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    let recall_by = (Utc::now().date_naive() + Duration::days(app.settings.in_use.recall_days)).to_string();
    assert_eq!(
        (body["loan"]["recalled"].clone(), body["loan"]["due_on"].clone()),
        (json!(true), json!(recall_by))
    );
    assert_eq!(mails(&app, "kit_recalled").await, 1);
    let res = app.post(&format!("/api/v1/loans/{}/in-use", lent[1].loan), &p.staff, answer("in_use")).await;
    problem(res, StatusCode::CONFLICT, "already_answered").await;

    // Broken, by staff with a note: a fault report waits in the staff's queue.
    let body = json!({"answer": "broken", "note": "Het scherm flikkert"});
    let res = app.post(&format!("/api/v1/loans/{}/in-use", lent[2].loan), &p.staff, body).await;
    assert_eq!(res.status(), StatusCode::OK);
    let report =
        res.json::<Value>().await.expect("json")["fault_report_id"].as_str().expect("a report").to_owned();
    let broken = lent[2].loan.clone();
    let open = app.with_db(move |c| store::fault_reports::open_of_loan(c, &broken).expect("read")).await;
    let open = open.expect("an open fault report");
    assert_eq!((open.id.as_str(), open.description.as_str()), (report.as_str(), "Het scherm flikkert"));

    // Gone, by the signed-in student: the loan is lost, so is the device.
    let res =
        app.post(&format!("/api/v1/loans/{}/in-use", lent[3].loan), &lent[3].token, answer("gone")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let gone = loan(&app, &p.staff, &lent[3].loan).await;
    assert_eq!(gone["state"], "lost");
    let device: Value = app
        .get(&format!("/api/v1/devices/{}", gone["device_id"].as_str().expect("device")), &p.staff)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(device["state"], "lost");
    // A student cannot answer for another student's loan.
    let res =
        app.post(&format!("/api/v1/loans/{}/in-use", lent[2].loan), &lent[3].token, answer("in_use")).await;
    problem(res, StatusCode::NOT_FOUND, "not_found").await;

    let round: Value = app.get("/api/v1/in-use-rounds/current", &p.staff).await.json().await.expect("json");
    assert_eq!(
        round["progress"],
        json!({"in_use": 1, "not_used": 1, "broken": 1, "gone": 1, "unanswered": 0}),
        "{round}"
    );
    let unanswered: Value =
        app.get("/api/v1/in-use-rounds/current?unanswered=true", &p.staff).await.json().await.expect("json");
    assert_eq!(unanswered["items"], json!([]));

    // The donor sees a count only, hidden while it is about fewer than five students.
    let (donor, _) = app.user_with_role(&p.admin, Role::Donor, Some(&p.donor)).await;
    let impact: Value = app.get("/api/v1/reports/impact", &donor).await.json().await.expect("json");
    assert_eq!(impact["in_use_confirmed"]["devices"], Value::Null, "{}", impact["in_use_confirmed"]);
    assert_eq!(impact["in_use_confirmed"]["suppressed"], true);
    assert_integrity(&app).await;
}

#[tokio::test]
async fn the_server_opens_a_round_every_months_after_the_last_once_and_an_old_link_stops_working() {
    let app = spawn_app_with(|s| s.reports.min_cell_size = 2).await;
    let p = pool(&app).await;
    let lent = lend(&app, &p, &["Ayla Demir", "Bo Jansen"]).await;
    let settings = app.settings.clone();
    let housekeeping = move || {
        let settings = settings.clone();
        move |c: &mut store::DbConnection| {
            devicepool::workflows::housekeeping::run(c, &settings).expect("runs")
        }
    };

    // Kit handed over today: no round is due yet.
    let report = app.with_db(housekeeping()).await;
    assert!(!report.in_use_round_opened);
    // Half a year on (the loans handed over 7 months ago): one round, even from two runs.
    let back = Utc::now().naive_utc() - Duration::days(7 * 31);
    app.with_db(move |c| {
        use devicepool::store::schema::loans;
        use diesel::prelude::*;
        diesel::update(loans::table).set(loans::handed_over_at.eq(back)).execute(c).expect("moved back");
    })
    .await;
    let first = app.with_db(housekeeping()).await;
    let second = app.with_db(housekeeping()).await;
    assert_eq!((first.in_use_round_opened, first.in_use_links_queued), (true, 2));
    assert_eq!((second.in_use_round_opened, second.in_use_links_queued), (false, 0));
    let round: Value = app.get("/api/v1/in-use-rounds/current", &p.staff).await.json().await.expect("json");
    assert_eq!(round["scheduled"], true);
    let old_token = link_token(&app, &lent[0].email).await;
    for l in &lent {
        let token = link_token(&app, &l.email).await;
        assert_eq!(answer_by_link(&app, &token, "in_use").await.status(), StatusCode::OK);
    }
    // Both confirmed in use: two students, shown to the donor as a count.
    let (donor, _) = app.user_with_role(&p.admin, Role::Donor, Some(&p.donor)).await;
    let impact: Value = app.get("/api/v1/reports/impact", &donor).await.json().await.expect("json");
    assert_eq!(impact["in_use_confirmed"]["devices"], 2, "{}", impact["in_use_confirmed"]);

    // Six months after that round the next one opens; the old link is for the old round.
    app.with_db(move |c| {
        use devicepool::store::schema::in_use_rounds;
        use diesel::prelude::*;
        diesel::update(in_use_rounds::table)
            .set(in_use_rounds::opened_at.eq(back))
            .execute(c)
            .expect("moved");
    })
    .await;
    let third = app.with_db(housekeeping()).await;
    assert_eq!((third.in_use_round_opened, third.in_use_links_queued), (true, 2));
    let newer: Value = app.get("/api/v1/in-use-rounds/current", &p.staff).await.json().await.expect("json");
    assert_ne!(newer["id"], round["id"]);
    assert_eq!(newer["progress"]["unanswered"], 2);
    problem(answer_by_link(&app, &old_token, "not_used").await, StatusCode::CONFLICT, "round_over").await;
    assert_eq!(loan(&app, &p.staff, &lent[0].loan).await["recalled"], false);
    assert_integrity(&app).await;
}
