use chrono::{Duration, Utc};
use devicepool::domain::Role;
use devicepool::store::outbox;
use diesel::prelude::*;
use diesel::sql_types::Text;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub use crate::fixtures::{enrol, request_kit, student_body};
use crate::helpers::{problem, sealed_link, spawn_app, TestApp};

/// Two schools with a coordinator each, pool staff, a donor and a hub.
pub struct Schools {
    pub admin: String,
    pub staff: String,
    pub donor: String,
    pub school_a: String,
    pub school_b: String,
    pub coordinator_a: String,
    pub coordinator_b: String,
    pub hub: String,
}

pub async fn schools(app: &TestApp) -> Schools {
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let school_a = app.create_organisation(&admin, "Codeschool Zuidoost", "school").await;
    let school_b = app.create_organisation(&admin, "Data Academy Noord", "school").await;
    let donor_org = app.create_organisation(&admin, "Northwind BV", "donor").await;
    let (coordinator_a, _) = app.user_with_role(&admin, Role::School, Some(&school_a)).await;
    let (coordinator_b, _) = app.user_with_role(&admin, Role::School, Some(&school_b)).await;
    let (donor, _) = app.user_with_role(&admin, Role::Donor, Some(&donor_org)).await;
    let res =
        app.post("/api/v1/hubs", &staff, json!({"name": "Hub Zuidoost", "address": "Bijlmerplein 1"})).await;
    let hub = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    Schools { admin, staff, donor, school_a, school_b, coordinator_a, coordinator_b, hub }
}

/// The sign-in link of the newest sign-in message to `email`, read from the outbox.
pub async fn newest_link_token(app: &TestApp, email: &str) -> String {
    let email = email.to_owned();
    let messages = app.with_db(move |conn| outbox::for_recipient(conn, &email).expect("outbox")).await;
    let message = messages.iter().find(|m| m.template == "magic_link").expect("a sign-in message was queued");
    let link = sealed_link(app, message);
    assert!(link.starts_with("http://localhost:8080/sign-in?token="), "{link}");
    link.rsplit_once("token=").expect("token").1.to_owned()
}

pub async fn sign_in_student(app: &TestApp, email: &str) -> String {
    let res = app.request(Method::POST, "/api/v1/auth/magic-link", None, Some(json!({"email": email}))).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let token = newest_link_token(app, email).await;
    let res = app
        .request(Method::POST, "/api/v1/auth/magic-link/redeem", None, Some(json!({"token": token})))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json::<Value>().await.expect("json")["access_token"].as_str().expect("token").to_owned()
}

#[tokio::test]
async fn a_school_enrols_and_reads_only_its_own_students() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let mut body = student_body("Ayla Demir", "ayla@example.org");
    body["hub_id"] = json!(s.hub);
    let ayla = enrol(&app, &s.coordinator_a, body).await;
    assert_eq!(
        (ayla["school_id"].as_str(), ayla["track"].as_str()),
        (Some(s.school_a.as_str()), Some("data_analyst"))
    );
    let bo = enrol(&app, &s.coordinator_b, student_body("Bo de Vries", "bo@example.org")).await;
    let (ayla_id, bo_id) = (ayla["id"].as_str().expect("id"), bo["id"].as_str().expect("id"));

    // School A cannot read, update, export, erase or request for school B's student.
    for (method, path, body) in [
        (Method::GET, format!("/api/v1/students/{bo_id}"), None),
        (Method::PATCH, format!("/api/v1/students/{bo_id}"), Some(json!({"name": "X"}))),
        (Method::GET, format!("/api/v1/students/{bo_id}/export"), None),
        (Method::DELETE, format!("/api/v1/students/{bo_id}"), None),
    ] {
        problem(
            app.request(method, &path, Some(&s.coordinator_a), body).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    let res = request_kit(&app, &s.coordinator_a, json!({"student_id": bo_id, "kind": "laptop"})).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "student_id");
    let listed: Value = app.get("/api/v1/students", &s.coordinator_a).await.json().await.expect("json");
    let ids: Vec<&str> =
        listed["items"].as_array().expect("items").iter().filter_map(|x| x["id"].as_str()).collect();
    assert_eq!(ids, vec![ayla_id]);
    let with_filter: Value = app
        .get(&format!("/api/v1/students?school_id={}", s.school_b), &s.coordinator_a)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(with_filter["items"].as_array().map(Vec::len), Some(1), "a school cannot widen its view");

    // A donor reaches no student at all.
    for path in
        ["/api/v1/students".to_owned(), format!("/api/v1/students/{ayla_id}"), "/api/v1/requests".to_owned()]
    {
        problem(app.get(&path, &s.donor).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
    // Staff see everyone, and must say which school they enrol into.
    let all: Value = app.get("/api/v1/students", &s.staff).await.json().await.expect("json");
    assert_eq!(all["items"].as_array().map(Vec::len), Some(2));
    let res = app.post("/api/v1/students", &s.staff, student_body("C", "c@example.org")).await;
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    // One student per address within a school (another school's enrolment is its own).
    let res =
        app.post("/api/v1/students", &s.coordinator_a, student_body("Ayla again", "AYLA@example.org")).await;
    problem(res, StatusCode::CONFLICT, "conflict").await;
}

#[tokio::test]
async fn a_student_signs_in_with_a_one_time_link_and_sees_only_themselves() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let ayla = enrol(&app, &s.coordinator_a, student_body("Ayla Demir", "ayla@example.org")).await;
    let other = enrol(&app, &s.coordinator_a, student_body("Bo de Vries", "bo@example.org")).await;
    let ayla_id = ayla["id"].as_str().expect("id");

    // Unknown and known addresses get the same answer.
    let known = app
        .request(Method::POST, "/api/v1/auth/magic-link", None, Some(json!({"email": "Ayla@example.org"})))
        .await;
    let unknown = app
        .request(Method::POST, "/api/v1/auth/magic-link", None, Some(json!({"email": "nobody@example.org"})))
        .await;
    assert_eq!((known.status(), unknown.status()), (StatusCode::ACCEPTED, StatusCode::ACCEPTED));
    let (known, unknown): (Value, Value) =
        (known.json().await.expect("json"), unknown.json().await.expect("json"));
    assert_eq!(known, unknown);

    let token = newest_link_token(&app, "ayla@example.org").await;
    assert!(token.len() >= 43, "at least 256 bits");
    let redeem = |token: String| {
        app.request(Method::POST, "/api/v1/auth/magic-link/redeem", None, Some(json!({"token": token})))
    };
    let res = redeem(token.clone()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let student: String =
        res.json::<Value>().await.expect("json")["access_token"].as_str().expect("token").to_owned();
    // Single use.
    problem(redeem(token).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    problem(redeem("made-up-token".into()).await, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let me: Value = app.get("/api/v1/me", &student).await.json().await.expect("json");
    assert_eq!((me["role"].as_str(), me["student_id"].as_str()), (Some("student"), Some(ayla_id)));
    assert_eq!(app.get(&format!("/api/v1/students/{ayla_id}"), &student).await.status(), StatusCode::OK);
    assert_eq!(
        app.get(&format!("/api/v1/students/{ayla_id}/export"), &student).await.status(),
        StatusCode::OK
    );
    let other_id = other["id"].as_str().expect("id");
    problem(
        app.get(&format!("/api/v1/students/{other_id}"), &student).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    problem(app.get("/api/v1/students", &student).await, StatusCode::FORBIDDEN, "forbidden").await;
    problem(app.get("/api/v1/devices", &student).await, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn an_expired_link_does_not_sign_in() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    enrol(&app, &s.coordinator_a, student_body("Ayla Demir", "ayla@example.org")).await;
    app.request(Method::POST, "/api/v1/auth/magic-link", None, Some(json!({"email": "ayla@example.org"})))
        .await;
    let token = newest_link_token(&app, "ayla@example.org").await;
    // Sixteen minutes later: past the 15-minute limit.
    app.with_db(|conn| {
        use devicepool::store::schema::magic_link_tokens::dsl as t;
        diesel::update(t::magic_link_tokens)
            .set(t::expires_at.eq(devicepool::store::now() - chrono::TimeDelta::minutes(1)))
            .execute(conn)
            .expect("update")
    })
    .await;
    let res = app
        .request(Method::POST, "/api/v1/auth/magic-link/redeem", None, Some(json!({"token": token})))
        .await;
    problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn links_are_throttled_per_address_whether_or_not_it_is_a_student() {
    let app = spawn_app_with_link_limit(2).await;
    for email in ["ghost@example.org", "ghost@example.org"] {
        let res =
            app.request(Method::POST, "/api/v1/auth/magic-link", None, Some(json!({"email": email}))).await;
        assert_eq!(res.status(), StatusCode::ACCEPTED);
    }
    let res = app
        .request(Method::POST, "/api/v1/auth/magic-link", None, Some(json!({"email": "ghost@example.org"})))
        .await;
    assert!(res.headers().get("retry-after").is_some());
    problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

async fn spawn_app_with_link_limit(n: i32) -> TestApp {
    crate::helpers::spawn_app_with(|s| s.auth.max_magic_links_per_address = n).await
}

#[tokio::test]
async fn requests_need_the_flag_and_one_open_request_per_kind() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let ayla = enrol(&app, &s.coordinator_a, student_body("Ayla Demir", "ayla@example.org")).await;
    let id = ayla["id"].as_str().expect("id");
    // Ayla lacks a laptop and software, not connectivity.
    let res = request_kit(&app, &s.coordinator_a, json!({"student_id": id, "kind": "connectivity"})).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "kind");
    let res = request_kit(&app, &s.coordinator_a, json!({"student_id": id, "kind": "licence"})).await;
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    // Two at once: one is queued, the other is a clean 409 (the unique index decides).
    let body = json!({"student_id": id, "kind": "laptop", "travel_ok": true});
    let (a, b) = tokio::join!(
        request_kit(&app, &s.coordinator_a, body.clone()),
        request_kit(&app, &s.coordinator_a, body.clone())
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT]);
    let created = if a.status() == StatusCode::CREATED { a } else { b };
    let request: Value = created.json().await.expect("json");
    assert_eq!(request["state"], "pending");
    assert_eq!(request["needed_by"], ayla["programme_start"], "needed-by defaults to the programme start");
    assert_eq!(request["queue_position"], 1);
    assert!(request["priority"]["total"].as_i64().is_some_and(|p| p > 0));
    // A licence is one per product.
    let res =
        request_kit(&app, &s.coordinator_a, json!({"student_id": id, "kind": "licence", "product": "Figma"}))
            .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = request_kit(
        &app,
        &s.coordinator_a,
        json!({"student_id": id, "kind": "licence", "product": "power-bi-pro"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    // After cancelling, a new request may be made.
    let rid = request["id"].as_str().expect("id");
    let res = app.post(&format!("/api/v1/requests/{rid}/cancel"), &s.coordinator_a, json!({})).await;
    assert_eq!(res.json::<Value>().await.expect("json")["state"], "cancelled");
    problem(
        app.post(&format!("/api/v1/requests/{rid}/cancel"), &s.coordinator_a, json!({})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(request_kit(&app, &s.coordinator_a, body).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn the_queue_orders_by_priority_and_students_see_their_place_in_their_language() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let today = Utc::now().date_naive();
    let mut urgent = student_body("Urgent Student", "urgent@example.org");
    urgent["programme_start"] = json!(today - Duration::days(3));
    let later = student_body("Later Student", "later@example.org");
    let mut english = student_body("Sam Jones", "sam@example.org");
    english["preferred_language"] = json!("en");
    english["programme_start"] = json!(today + Duration::days(50));
    let mut ids = Vec::new();
    for body in [later, urgent, english] {
        let student = enrol(&app, &s.coordinator_a, body).await;
        let id = student["id"].as_str().expect("id").to_owned();
        assert_eq!(
            request_kit(&app, &s.coordinator_a, json!({"student_id": id, "kind": "laptop"})).await.status(),
            StatusCode::CREATED
        );
        ids.push(id);
    }
    let queue: Value =
        app.get("/api/v1/requests?kind=laptop&state=pending", &s.staff).await.json().await.expect("json");
    let position = |student: &str| {
        queue["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|r| r["student_id"] == student)
            .expect("request")["queue_position"]
            .as_i64()
            .expect("position")
    };
    assert_eq!(
        (position(&ids[1]), position(&ids[0]), position(&ids[2])),
        (1, 2, 3),
        "the student who started already is first"
    );

    let dutch = sign_in_student(&app, "later@example.org").await;
    let mine: Value = app.get("/api/v1/me/loans", &dutch).await.json().await.expect("json");
    assert_eq!(mine["loans"], json!([]));
    assert_eq!(mine["requests"][0]["queue_position"], 2);
    assert_eq!(
        mine["requests"][0]["status_text"],
        "Je hebt een laptop gevraagd. Je bent nummer 2 in de rij."
    );
    let english = sign_in_student(&app, "sam@example.org").await;
    let mine: Value = app.get("/api/v1/me/loans", &english).await.json().await.expect("json");
    assert_eq!(mine["requests"][0]["status_text"], "You asked for a laptop. You are number 3 in line.");
    problem(app.get("/api/v1/me/loans", &s.staff).await, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn class_lists_enrol_all_rows_or_none() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let upload = |token: String, body: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/students/import"))
                .bearer_auth(token)
                .header("content-type", "text/csv")
                .body(body)
                .send()
                .await
                .expect("sent")
        }
    };
    let bad = "Naam;E-mail;Taal;Opleiding;Startdatum;Einddatum;Locatie;Geen laptop\r\n\
               Ayla Demir;ayla@example.org;nl;data_analyst;01-02-2027;31-07-2027;Hub Zuidoost;ja\r\n\
               Bo;bo@example.org;fr;coder;01-02-2027;31-07-2027;;ja\r\n\
               Cem;ayla@example.org;en;coder;01-02-2027;31-07-2027;;nee\r\n\
               Dana;dana@example.org;en;coder;01-02-2027;31-07-2027;Hub Mars;nee\r\n";
    let body = problem(
        upload(s.coordinator_a.clone(), bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let rows: Vec<(u64, &str)> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["row"].as_u64().expect("row"), e["field"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(rows, vec![(3, "preferred_language"), (4, "email"), (5, "hub")]);
    let listed: Value = app.get("/api/v1/students", &s.coordinator_a).await.json().await.expect("json");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(0), "nobody was enrolled");

    let good = "name,email,preferred_language,track,programme_start,programme_end,hub,lacks_laptop,lacks_connectivity\n\
                Ayla Demir,ayla@example.org,nl,data_analyst,2027-02-01,2027-07-31,hub zuidoost,yes,no\n\
                Bo de Vries,bo@example.org,en,ux_designer,2027-02-01,2027-07-31,,no,yes\n";
    let res = upload(s.coordinator_a.clone(), good).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.json::<Value>().await.expect("json")["imported"], 2);
    let listed: Value = app.get("/api/v1/students", &s.coordinator_a).await.json().await.expect("json");
    let items = listed["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["hub_id"], s.hub.as_str());
    // The same list again: every address is enrolled already.
    let body = problem(
        upload(s.coordinator_a.clone(), good).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["total_errors"], 2);
    problem(upload(s.donor.clone(), good).await, StatusCode::FORBIDDEN, "forbidden").await;
}

#[derive(QueryableByName)]
struct TextColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Every (table, column) of a text type in the database.
fn text_columns(conn: &mut devicepool::store::DbConnection) -> Vec<(String, String)> {
    let sql = match conn {
        devicepool::store::DbConnection::Sqlite(_) => {
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND p.type = 'TEXT'"
        }
        devicepool::store::DbConnection::Pg(_) => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns \
             WHERE table_schema = 'public' AND data_type = 'text'"
        }
    };
    diesel::sql_query(sql)
        .load::<TextColumn>(conn)
        .expect("columns")
        .into_iter()
        .map(|c| (c.table_name, c.column_name))
        .collect()
}

fn rows_containing(conn: &mut devicepool::store::DbConnection, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (table, column) in text_columns(conn) {
        let sql =
            format!("SELECT COUNT(*) AS n FROM {table} WHERE LOWER({column}) LIKE '%' || LOWER($1) || '%'");
        let sql = if matches!(conn, devicepool::store::DbConnection::Sqlite(_)) {
            sql.replace("$1", "?")
        } else {
            sql
        };
        let n = diesel::sql_query(sql).bind::<Text, _>(needle).get_result::<Count>(conn).expect("count").n;
        if n > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

#[tokio::test]
async fn erasure_leaves_no_personal_data_in_any_table_and_keeps_the_history() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let ayla =
        enrol(&app, &s.coordinator_a, student_body("Ayla Zeynep Demir", "ayla.demir@example.org")).await;
    let id = ayla["id"].as_str().expect("id").to_owned();
    let res = request_kit(&app, &s.coordinator_a, json!({"student_id": id, "kind": "laptop"})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    // Traces everywhere: a sign-in account and link, messages, a staff read, login counters.
    let student = sign_in_student(&app, "ayla.demir@example.org").await;
    app.request(
        Method::POST,
        "/api/v1/auth/magic-link",
        None,
        Some(json!({"email": "ayla.demir@example.org"})),
    )
    .await;
    app.get(&format!("/api/v1/students/{id}"), &s.staff).await;
    app.login("ayla.demir@example.org", "not a password at all").await;
    let before = app.with_db(|conn| rows_containing(conn, "ayla.demir@example.org")).await;
    assert!(before.len() >= 2, "the address is stored before erasure: {before:?}");

    let res =
        app.request(Method::DELETE, &format!("/api/v1/students/{id}"), Some(&s.coordinator_a), None).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    for needle in ["Ayla Zeynep Demir", "ayla.demir@example.org", "Zeynep"] {
        let needle_owned = needle.to_owned();
        let left = app.with_db(move |conn| rows_containing(conn, &needle_owned)).await;
        assert!(left.is_empty(), "{needle} is still in {left:?}");
    }
    let after: Value = app
        .get(&format!("/api/v1/students/{id}?include_erased=true"), &s.staff)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!((after["erased"].as_bool(), after["email"].as_str()), (Some(true), None));
    assert!(after["name"].as_str().is_some_and(|n| n.starts_with("Erased student")));
    // The anonymised history stays: the request is there, cancelled.
    let requests: Value =
        app.get(&format!("/api/v1/requests?student_id={id}"), &s.staff).await.json().await.expect("json");
    assert_eq!(requests["items"][0]["state"], "cancelled");
    // The student's sign-in no longer works, and erasing again is harmless.
    problem(app.get("/api/v1/me", &student).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = app.request(Method::DELETE, &format!("/api/v1/students/{id}"), Some(&s.staff), None).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn the_retention_purge_erases_students_whose_programme_ended_long_ago() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let mut old = student_body("Old Student", "old@example.org");
    old["programme_start"] = json!("2022-09-01");
    old["programme_end"] = json!("2023-06-30");
    let old = enrol(&app, &s.coordinator_a, old).await;
    let current = enrol(&app, &s.coordinator_a, student_body("Current Student", "current@example.org")).await;
    let settings = app.settings.clone();
    let report = app
        .with_db(move |conn| devicepool::workflows::housekeeping::run(conn, &settings).expect("purge"))
        .await;
    assert_eq!(report.students_erased, 1);
    let old: Value = app
        .get(&format!("/api/v1/students/{}", old["id"].as_str().expect("id")), &s.staff)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(old["erased"], true);
    let current: Value = app
        .get(&format!("/api/v1/students/{}", current["id"].as_str().expect("id")), &s.staff)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (current["erased"].as_bool(), current["name"].as_str()),
        (Some(false), Some("Current Student"))
    );
    let settings = app.settings.clone();
    let again = app
        .with_db(move |conn| devicepool::workflows::housekeeping::run(conn, &settings).expect("purge"))
        .await;
    assert_eq!(again.students_erased, 0, "a second run finds nothing to do");
}

#[tokio::test]
async fn staff_reads_of_personal_data_are_logged_for_admins() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let ayla = enrol(&app, &s.coordinator_a, student_body("Ayla Demir", "ayla@example.org")).await;
    let id = ayla["id"].as_str().expect("id");
    app.get(&format!("/api/v1/students/{id}"), &s.coordinator_a).await;
    let res = app
        .client
        .get(app.url(&format!("/api/v1/students/{id}/export")))
        .bearer_auth(&s.staff)
        .header("x-request-id", "audit-7")
        .send()
        .await
        .expect("sent");
    let server_id = res.headers()["x-request-id"].to_str().expect("id").to_owned();
    let export: Value = res.json().await.expect("json");
    assert_eq!(export["student"]["email"], "ayla@example.org");
    app.get("/api/v1/students", &s.staff).await;
    let log: Value =
        app.get(&format!("/api/v1/access-log?student_id={id}"), &s.admin).await.json().await.expect("json");
    let actions: Vec<&str> =
        log["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, vec!["export", "list"], "staff reads only; the school's own read is not logged");
    // The log names the server's own id of the request, never the one the client made up.
    assert_eq!(log["items"][0]["request_id"], server_id.as_str());
    // The student's export shows who read their data.
    let export: Value =
        app.get(&format!("/api/v1/students/{id}/export"), &s.coordinator_a).await.json().await.expect("json");
    assert_eq!(export["access_log"].as_array().map(Vec::len), Some(2));
    problem(app.get("/api/v1/access-log", &s.staff).await, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn staff_edit_track_requirements_and_schools_cannot() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let tracks: Value = app.get("/api/v1/tracks", &s.coordinator_a).await.json().await.expect("json");
    assert_eq!(tracks["items"].as_array().map(Vec::len), Some(6));
    let ux: Value = app.get("/api/v1/tracks/ux_designer", &s.coordinator_a).await.json().await.expect("json");
    assert_eq!((ux["min_ram_gb"].as_i64(), ux["software"].clone()), (Some(16), json!(["figma"])));
    let res = app
        .patch(
            "/api/v1/tracks/ux_designer",
            &s.staff,
            json!({"min_ram_gb": 12, "software": ["Figma", "Adobe XD"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let changed: Value = res.json().await.expect("json");
    assert_eq!(
        (changed["min_ram_gb"].as_i64(), changed["software"].clone()),
        (Some(12), json!(["figma", "adobe-xd"]))
    );
    problem(
        app.patch("/api/v1/tracks/ux_designer", &s.coordinator_a, json!({"min_ram_gb": 4})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    problem(app.get("/api/v1/tracks/astronaut", &s.staff).await, StatusCode::NOT_FOUND, "not_found").await;
}

/// The database ranks the queue (`store::requests::queue_places`) with the priority formula
/// written in SQL; it must give every request the place `domain::priority::queue` gives it,
/// clamps, ties and all, whatever the weights.
#[tokio::test]
async fn places_ranked_by_the_database_are_the_domain_queue() {
    use devicepool::domain::priority::{queue, PriorityWeights, QueueEntry};
    use devicepool::store::{self, requests, students};

    let app = spawn_app().await;
    let s = schools(&app).await;
    let school = s.school_a.clone();
    let today = Utc::now().date_naive();
    let weight_sets = [
        PriorityWeights::default(),
        PriorityWeights {
            urgency_weight: 3,
            urgency_horizon_days: 30,
            waiting_weight: 7,
            max_waiting_days: 20,
            lacks_weight: 100,
        },
    ];
    let checked = app
        .with_db(move |conn| {
            let now = store::now();
            // A fixed pseudo-random spread: needed-by dates past and far off, requests made
            // from over a year ago to today at any hour, each count of lacks, many ties.
            let mut x: u64 = 20_261_204;
            let mut next = |n: u64| {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                ((x >> 33) % n) as i64
            };
            let mut entries = Vec::new();
            let mut rows = Vec::new();
            let mut pupils = Vec::new();
            for i in 0..120 {
                let lacks = [next(2) == 1, next(2) == 1, next(2) == 1];
                let id = store::new_id();
                pupils.push(students::NewStudent {
                    id: id.clone(),
                    school_id: school.clone(),
                    name: format!("Queue Student {i}"),
                    email: None,
                    preferred_language: "nl".into(),
                    track: "coder".into(),
                    programme_start: today,
                    programme_end: today + Duration::days(200),
                    hub_id: None,
                    lacks_laptop: lacks[0],
                    lacks_connectivity: lacks[1],
                    lacks_software: lacks[2],
                    target_group: None,
                    created_at: now,
                    updated_at: now,
                });
                let made = today - Duration::days(next(400));
                let at = made.and_hms_opt(next(24) as u32, next(60) as u32, 59).expect("time");
                let needed_by = today + Duration::days(next(200) - 80);
                // One in six is another kind or no longer waits: neither may count.
                let (kind, state) = match i % 6 {
                    0 => ("connectivity", "pending"),
                    1 => ("laptop", "fulfilled"),
                    _ => ("laptop", "pending"),
                };
                if (kind, state) == ("laptop", "pending") {
                    entries.push(QueueEntry {
                        id: String::new(),
                        needed_by,
                        requested_on: made,
                        lacks: lacks.iter().filter(|l| **l).count() as u8,
                    });
                }
                rows.push((id, kind, state, needed_by, at));
            }
            students::insert_many(conn, &pupils).expect("students");
            let ids: Vec<String> = rows.iter().map(|_| store::new_id()).collect();
            let new: Vec<requests::NewRequest> = rows
                .iter()
                .zip(&ids)
                .map(|((student, kind, state, needed_by, at), id)| requests::NewRequest {
                    id,
                    student_id: student,
                    school_id: &school,
                    kind,
                    product: None,
                    needed_by: *needed_by,
                    travel_ok: false,
                    state,
                    created_by: None,
                    created_at: *at,
                    updated_at: *at,
                })
                .collect();
            requests::insert_many(conn, &new).expect("requests");
            let laptops: Vec<&str> = rows
                .iter()
                .zip(&ids)
                .filter(|((_, kind, state, _, _), _)| (*kind, *state) == ("laptop", "pending"))
                .map(|(_, id)| id.as_str())
                .collect();
            for (entry, id) in entries.iter_mut().zip(&laptops) {
                entry.id = (*id).to_owned();
            }
            let mut all: Vec<&str> = ids.iter().map(String::as_str).collect();
            all.reverse(); // the order asked in must not matter
            let mut checked = 0;
            for w in &weight_sets {
                let ranked = queue(&entries, w, today);
                let totals: std::collections::HashSet<i64> = ranked.iter().map(|(_, p)| p.total).collect();
                assert!(totals.len() < ranked.len(), "some priorities are equal, so ties are tested too");
                let expected: std::collections::HashMap<String, i64> =
                    ranked.into_iter().enumerate().map(|(i, (id, _))| (id, i as i64 + 1)).collect();
                let places: std::collections::HashMap<String, i64> =
                    requests::queue_places(conn, "laptop", &all, w, today)
                        .expect("places")
                        .into_iter()
                        .map(|p| (p.id, p.place))
                        .collect();
                assert_eq!(places, expected, "weights {w:?}");
                checked += places.len();
                // A few asked for alone get the same places.
                for id in laptops.iter().step_by(17) {
                    let one = requests::queue_places(conn, "laptop", &[id], w, today).expect("place");
                    assert_eq!(one.len(), 1);
                    assert_eq!(Some(&one[0].place), expected.get(*id));
                }
            }
            checked
        })
        .await;
    assert_eq!(checked, 2 * 80, "every waiting laptop request has a place, under both weight sets");
}
