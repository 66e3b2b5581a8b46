//! Bursts of concurrent requests, on one server and on two server processes sharing one
//! database: nothing is ever lent twice, and every loser gets a clean 409.

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};

use devicepool::domain::Role;
use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app_with, TestApp};
use crate::inventory::{create_donation, create_laptop, make_available};
use crate::students::{enrol, request_kit, student_body};

struct Queue {
    staff: String,
    coordinator: String,
    donation: String,
}

/// A hub with `laptops` available laptops, and `students` students there who each asked for
/// a laptop (and, with `product`, a seat of that licence). Kit is not offered as it comes in:
/// these tests make the runs and confirmations race.
async fn queue(app: &TestApp, laptops: usize, students: usize, product: Option<&str>) -> Queue {
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let hub =
        app.post("/api/v1/hubs", &staff, json!({"name": "Hub Zuidoost", "address": "Bijlmerplein 1"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let donor = app.create_organisation(&admin, "Northwind BV", "donor").await;
    let donation = create_donation(app, &staff, json!({"donor_id": donor, "expected_hub_id": hub})).await;
    for n in 0..laptops {
        let device = create_laptop(app, &staff, &donation, &format!("RACE-{n}"), 16).await;
        make_available(app, &staff, device["id"].as_str().expect("id")).await;
    }
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    for n in 0..students {
        let mut body = student_body(&format!("Student {n}"), &format!("student{n}@example.org"));
        body["hub_id"] = json!(hub);
        let student = enrol(app, &coordinator, body).await;
        let kind = json!({"student_id": student["id"], "kind": "laptop"});
        if laptops > 0 {
            assert_eq!(request_kit(app, &coordinator, kind).await.status(), StatusCode::CREATED);
        }
        if let Some(product) = product {
            let seat = json!({"student_id": student["id"], "kind": "licence", "product": product});
            assert_eq!(request_kit(app, &coordinator, seat).await.status(), StatusCode::CREATED);
        }
    }
    Queue { staff, coordinator, donation }
}

async fn proposals(app: &TestApp, staff: &str) -> Vec<Value> {
    let list: Value =
        app.get("/api/v1/allocations?state=proposed&limit=200", staff).await.json().await.expect("json");
    list["items"].as_array().expect("items").clone()
}

async fn open_loans(app: &TestApp, staff: &str) -> Vec<Value> {
    let list: Value =
        app.get("/api/v1/loans?state=reserved&limit=200", staff).await.json().await.expect("json");
    list["items"].as_array().expect("items").clone()
}

/// Counts answers by status; panics on anything but the expected two.
fn tally(statuses: &[StatusCode], win: StatusCode) -> (usize, usize) {
    for s in statuses {
        assert!(*s == win || *s == StatusCode::CONFLICT, "unexpected status {s}");
    }
    let wins = statuses.iter().filter(|s| **s == win).count();
    (wins, statuses.len() - wins)
}

/// Confirms each of `allocations` ten times at once, spread over `servers`.
async fn confirm_burst(
    client: &reqwest::Client,
    servers: &[String],
    token: &str,
    allocations: &[String],
) -> Vec<StatusCode> {
    let attempts = (0..10).flat_map(|round| allocations.iter().enumerate().map(move |(i, a)| (round + i, a)));
    let calls = attempts.map(|(n, a)| {
        let url = format!("{}/api/v1/allocations/{a}/confirm", servers[n % servers.len()]);
        client.post(url).bearer_auth(token).json(&json!({})).send()
    });
    join_all(calls).await.into_iter().map(|r| r.expect("answer").status()).collect()
}

fn ids(items: &[Value], field: &str) -> Vec<String> {
    items.iter().map(|i| i[field].as_str().expect("id").to_owned()).collect()
}

fn assert_distinct(values: &[String], what: &str) {
    let set: HashSet<&String> = values.iter().collect();
    assert_eq!(set.len(), values.len(), "a {what} appears twice: {values:?}");
}

#[tokio::test]
async fn fifty_confirmations_over_five_allocations_open_exactly_five_loans() {
    let app = spawn_app_with(|s| s.loans.offer_available_kit = false).await;
    let q = queue(&app, 5, 5, None).await;
    let run: Value =
        app.post("/api/v1/allocations/run", &q.staff, json!({})).await.json().await.expect("json");
    let allocations = ids(run["proposals"].as_array().expect("proposals"), "id");
    assert_eq!(allocations.len(), 5);
    let statuses =
        confirm_burst(&app.client, std::slice::from_ref(&app.address), &q.staff, &allocations).await;
    assert_eq!(tally(&statuses, StatusCode::CREATED), (5, 45));
    let loans = open_loans(&app, &q.staff).await;
    assert_eq!(loans.len(), 5);
    assert_distinct(&ids(&loans, "device_id"), "device");
    assert_distinct(&ids(&loans, "student_id"), "student");
    crate::helpers::assert_integrity(&app).await;
}

#[tokio::test]
async fn fifty_concurrent_runs_lend_a_five_seat_licence_five_times() {
    let app = spawn_app_with(|s| s.loans.offer_available_kit = false).await;
    let q = queue(&app, 0, 50, Some("figma")).await;
    let res = app
        .post(
            "/api/v1/licences",
            &q.staff,
            json!({"product": "figma", "vendor": "Figma Inc.", "seats": 5, "key": "FIGMA-EDU-1", "donation_id": q.donation}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let licence = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    // Fifty staff clicks at once, each trying to lend seats to the fifty students waiting.
    let runs = (0..50).map(|_| app.post("/api/v1/allocations/run", &q.staff, json!({"kinds": ["licence"]})));
    let answers = join_all(runs).await;
    assert!(answers.iter().all(|r| r.status() == StatusCode::OK));
    let proposed = proposals(&app, &q.staff).await;
    assert_eq!(proposed.len(), 5, "five seats, five proposals");
    assert_distinct(&ids(&proposed, "request_id"), "request");
    let seats: Value =
        app.get(&format!("/api/v1/licences/{licence}"), &q.staff).await.json().await.expect("json");
    assert_eq!(seats["seats_in_use"], 5);
    let statuses =
        confirm_burst(&app.client, std::slice::from_ref(&app.address), &q.staff, &ids(&proposed, "id")).await;
    assert_eq!(tally(&statuses, StatusCode::CREATED), (5, 45));
    assert_eq!(open_loans(&app, &q.staff).await.len(), 5);
    let seats: Value =
        app.get(&format!("/api/v1/licences/{licence}"), &q.staff).await.json().await.expect("json");
    assert_eq!(seats["seats_in_use"], 5, "never above the seat count");
    crate::helpers::assert_integrity(&app).await;
}

#[tokio::test]
async fn ten_concurrent_runs_never_reserve_one_device_twice() {
    let app = spawn_app_with(|s| s.loans.offer_available_kit = false).await;
    let q = queue(&app, 6, 9, None).await;
    let runs = (0..10).map(|_| app.post("/api/v1/allocations/run", &q.staff, json!({})));
    let answers = join_all(runs).await;
    let mut written = Vec::new();
    for res in answers {
        assert_eq!(res.status(), StatusCode::OK);
        let run: Value = res.json().await.expect("json");
        written.extend(run["proposals"].as_array().expect("proposals").iter().cloned());
    }
    assert_eq!(written.len(), 6, "six laptops, six proposals over all runs");
    assert_distinct(&ids(&written, "device_id"), "device");
    assert_distinct(&ids(&written, "request_id"), "request");
    let reserved: Value =
        app.get("/api/v1/devices?state=reserved&limit=100", &q.staff).await.json().await.expect("json");
    assert_eq!(reserved["items"].as_array().map(Vec::len), Some(6));
    let pending: Value =
        app.get("/api/v1/requests?state=pending&limit=100", &q.coordinator).await.json().await.expect("json");
    assert_eq!(pending["items"].as_array().map(Vec::len), Some(3));
    crate::helpers::assert_integrity(&app).await;
}

/// The real binary, serving the test database on a port of its own; killed (SIGKILL) when
/// dropped, or before with `kill`.
pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
}

impl Server {
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(crate) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub(crate) async fn start_server(app: &TestApp) -> Server {
    start_server_with(app, &[]).await
}

/// The real binary with settings of its own: `DEVICEPOOL__SECTION__KEY` environment variables.
pub(crate) async fn start_server_with(app: &TestApp, settings: &[(&str, &str)]) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let child = Command::new(env!("CARGO_BIN_EXE_devicepool"))
        .arg("serve")
        .envs(settings.iter().copied())
        .env("DATABASE_URL", &app.db.url)
        .env("PORT", port.to_string())
        .env("DEVICEPOOL_ENVIRONMENT", "test")
        .env("DEVICEPOOL__LOANS__OFFER_AVAILABLE_KIT", "false")
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start devicepool");
    let mut server = Server { child, base: format!("http://127.0.0.1:{port}") };
    crate::helpers::wait_until_ready(&app.client, &server.base, &mut server.child).await;
    server
}

#[tokio::test]
async fn the_confirmation_race_across_two_server_processes_on_one_database() {
    let app = spawn_app_with(|s| s.loans.offer_available_kit = false).await;
    let q = queue(&app, 5, 5, None).await;
    let run: Value =
        app.post("/api/v1/allocations/run", &q.staff, json!({})).await.json().await.expect("json");
    let allocations = ids(run["proposals"].as_array().expect("proposals"), "id");
    assert_eq!(allocations.len(), 5);
    let (a, b) = tokio::join!(start_server(&app), start_server(&app));
    let statuses =
        confirm_burst(&app.client, &[a.base.clone(), b.base.clone()], &q.staff, &allocations).await;
    assert_eq!(tally(&statuses, StatusCode::CREATED), (5, 45));
    let loans = open_loans(&app, &q.staff).await;
    assert_eq!(loans.len(), 5);
    assert_distinct(&ids(&loans, "device_id"), "device");
    crate::helpers::assert_integrity(&app).await;
}

#[tokio::test]
async fn fifty_staff_picks_of_one_five_seat_licence_lend_five_seats_and_answer_45_clean_409s() {
    let app = spawn_app_with(|s| s.loans.offer_available_kit = false).await;
    let q = queue(&app, 0, 50, Some("figma")).await;
    let res = app
        .post(
            "/api/v1/licences",
            &q.staff,
            json!({"product": "figma", "vendor": "Figma Inc.", "seats": 5, "key": "FIGMA-EDU-2", "donation_id": q.donation}),
        )
        .await;
    let licence = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let pending: Value =
        app.get("/api/v1/requests?state=pending&limit=100", &q.coordinator).await.json().await.expect("json");
    let requests = ids(pending["items"].as_array().expect("items"), "id");
    assert_eq!(requests.len(), 50);
    // The wrong kind of item is refused before anything is taken.
    let res = app
        .post(
            "/api/v1/allocations",
            &q.staff,
            json!({"request_id": requests[0], "device_id": uuid::Uuid::new_v4()}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let picks = requests
        .iter()
        .map(|r| app.post("/api/v1/allocations", &q.staff, json!({"request_id": r, "licence_id": licence})));
    let statuses: Vec<StatusCode> = join_all(picks).await.into_iter().map(|r| r.status()).collect();
    assert_eq!(tally(&statuses, StatusCode::CREATED), (5, 45));
    let seats: Value =
        app.get(&format!("/api/v1/licences/{licence}"), &q.staff).await.json().await.expect("json");
    assert_eq!(seats["seats_in_use"], 5, "never above the seat count");
    let proposed = proposals(&app, &q.staff).await;
    let statuses =
        confirm_burst(&app.client, std::slice::from_ref(&app.address), &q.staff, &ids(&proposed, "id")).await;
    assert_eq!(tally(&statuses, StatusCode::CREATED), (5, 45));
    assert_eq!(open_loans(&app, &q.staff).await.len(), 5);
    crate::helpers::assert_integrity(&app).await;
}

#[tokio::test]
async fn wrong_passwords_spread_over_three_instances_are_checked_no_more_than_the_allowance() {
    let app = spawn_app_with(|_| {}).await;
    app.admin_token().await;
    let (a, b) = tokio::join!(start_server(&app), start_server(&app));
    let bases = [app.address.clone(), a.base.clone(), b.base.clone()];
    let guesses = (0..60).map(|i| {
        let url = format!("{}/api/v1/auth/login", bases[i % 3]);
        let body = json!({"email": "admin@pool.example", "password": format!("wrong guess {i}")});
        let client = app.client.clone();
        async move { client.post(url).json(&body).send().await.expect("login sent").status() }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    assert_eq!(checked, 5, "{statuses:?}");
    // The rest are told to wait; on a busy machine a few may find no free connection and get
    // 503 with Retry-After, which checks no password either.
    let refused = [StatusCode::TOO_MANY_REQUESTS, StatusCode::SERVICE_UNAVAILABLE];
    assert!(statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED || refused.contains(s)), "{statuses:?}");
}
