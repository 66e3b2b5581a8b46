//! The account cache: a signed-in request may find its account in memory, but a change to the
//! account counts at once, on the instance that made it and, over PostgreSQL, on every other.

use std::time::{Duration, Instant};

use devicepool::domain::Role;
use devicepool::startup::Application;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{backend, problem, spawn_app_with, Backend, TestApp};

/// Far longer than any test: a change seen in time was told, not timed out.
const LONG: u64 = 300;

/// The cache's time limit for a test of changes made elsewhere: on PostgreSQL far beyond the
/// test, so only the database's notice can explain a change seen in time; on SQLite, where
/// nothing tells the cache, 1 s is the bound the test sees.
fn time_limit_where_nothing_tells() -> u64 {
    match backend() {
        Backend::Postgres => LONG,
        Backend::Sqlite => 1,
    }
}

/// `name{found_in="…"}` of the account cache's counter, read from `/metrics` of `base`.
async fn lookups(app: &TestApp, base: &str, found_in: &str) -> u64 {
    let text =
        app.client.get(format!("{base}/metrics")).send().await.expect("sent").text().await.expect("text");
    let prefix = format!("devicepool_account_cache_lookups_total{{found_in=\"{found_in}\"}} ");
    text.lines().find_map(|l| l.strip_prefix(&prefix)).map_or(0, |n| n.trim().parse().expect("a count"))
}

async fn me(app: &TestApp, base: &str, token: &str) -> reqwest::Response {
    app.client.get(format!("{base}/api/v1/me")).bearer_auth(token).send().await.expect("sent")
}

/// A second instance in this process, on the app's database, with the app's settings.
async fn second_instance(app: &TestApp) -> String {
    let settings = app.settings.clone();
    let server = tokio::task::spawn_blocking(move || {
        let (url, pool) = devicepool::startup::connect(&settings).expect("connect");
        Application::build_with_pool(settings, url, pool).expect("build")
    })
    .await
    .expect("build task");
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until_stopped());
    base
}

/// Waits (a few seconds at most) until the instance at `base` answers `GET /me` with
/// `status`, and returns that answer.
async fn me_until(app: &TestApp, base: &str, token: &str, status: StatusCode) -> reqwest::Response {
    let started = Instant::now();
    loop {
        let res = me(app, base, token).await;
        if res.status() == status {
            return res;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "still {} after 5 s, not {status}", res.status());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_signed_in_account_is_read_from_memory_after_its_first_request() {
    let app = spawn_app_with(|s| s.auth.account_cache_seconds = LONG).await;
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    // On PostgreSQL the cache answers once the listener hears changes.
    me_until(&app, &app.address, &staff, StatusCode::OK).await;
    let (memory, database) =
        (lookups(&app, &app.address, "memory").await, lookups(&app, &app.address, "database").await);
    for _ in 0..5 {
        assert_eq!(me(&app, &app.address, &staff).await.status(), StatusCode::OK);
    }
    assert!(lookups(&app, &app.address, "memory").await >= memory + 4, "read from memory");
    assert!(lookups(&app, &app.address, "database").await <= database + 1, "not from the database");
}

#[tokio::test]
async fn changes_made_through_the_service_count_at_once_with_the_account_in_memory() {
    let app = spawn_app_with(|s| s.auth.account_cache_seconds = LONG).await;
    let admin = app.admin_token().await;
    let (staff, id) = app.user_with_role(&admin, Role::Staff, None).await;
    let donor_org = app.create_organisation(&admin, "Donor BV", "donor").await;
    me_until(&app, &app.address, &staff, StatusCode::OK).await;

    let res = app
        .patch(&format!("/api/v1/users/{id}"), &admin, json!({"role": "donor", "organisation_id": donor_org}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = me(&app, &app.address, &staff).await.json().await.expect("json");
    assert_eq!(body["role"], "donor");
    assert_eq!(body["organisation_id"], donor_org.as_str());
    // The new role is what the routes check, too: staff lists are closed to a donor.
    assert_eq!(app.get("/api/v1/students", &staff).await.status(), StatusCode::FORBIDDEN);

    let res = app.patch(&format!("/api/v1/users/{id}"), &admin, json!({"preferred_language": "en"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = me(&app, &app.address, &staff).await.json().await.expect("json");
    assert_eq!(body["preferred_language"], "en");

    let res = app.post(&format!("/api/v1/users/{id}/disable"), &admin, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    problem(me(&app, &app.address, &staff).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// Two instances on one database, each with the account in memory. On PostgreSQL the other
/// instance is told by the database: the time limit is far beyond the test, so only the notice
/// can explain the refusal. On SQLite one server is the supported set-up and nothing tells the
/// other: there the time limit (1 s here) is the bound.
#[tokio::test]
async fn an_account_disabled_on_one_instance_is_refused_by_another_that_had_it_in_memory() {
    let app = spawn_app_with(|s| s.auth.account_cache_seconds = time_limit_where_nothing_tells()).await;
    let admin = app.admin_token().await;
    let (staff, id) = app.user_with_role(&admin, Role::Staff, None).await;
    let other = second_instance(&app).await;
    me_until(&app, &other, &staff, StatusCode::OK).await;
    let before = lookups(&app, &other, "memory").await;
    assert_eq!(me(&app, &other, &staff).await.status(), StatusCode::OK);
    assert!(lookups(&app, &other, "memory").await > before, "the other instance has the account in memory");

    let res = app.post(&format!("/api/v1/users/{id}/disable"), &admin, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    problem(
        me_until(&app, &other, &staff, StatusCode::UNAUTHORIZED).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

/// `GET /me`'s role on the instance at `base`, once it is `role` (a few seconds at most).
async fn role_until(app: &TestApp, base: &str, token: &str, role: &str) {
    let started = Instant::now();
    loop {
        let body: Value = me(app, base, token).await.json().await.expect("json");
        if body["role"] == role {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "still {} after 5 s, not {role}", body["role"]);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The cache's `devicepool_account_cache_live` gauge, once it reads `value`.
async fn live_until(app: &TestApp, value: u8) {
    let started = Instant::now();
    loop {
        let text =
            app.client.get(app.url("/metrics")).send().await.expect("sent").text().await.expect("text");
        if text.lines().any(|l| l == format!("devicepool_account_cache_live {value}")) {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "the cache's gauge is not {value} after 5 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Writes the account's role with plain SQL on a pooled connection: a change that does not go
/// through the service's code, as a database shell or another program would make it.
async fn set_role_behind_the_service(app: &TestApp, id: &str, role: &str) {
    use diesel::RunQueryDsl;
    let statement = format!("UPDATE users SET role = '{role}' WHERE id = '{id}'");
    app.with_db(move |conn| diesel::sql_query(statement).execute(conn).expect("update")).await;
}

/// A change that does not go through the service: on PostgreSQL the database announces it and
/// every cache forgets the account at once; while the listener cannot hear, the cache is off.
/// On SQLite nothing announces it, and the time limit (1 s here) is the bound.
#[tokio::test]
async fn an_account_changed_outside_the_service_counts_within_the_promised_time() {
    let app = spawn_app_with(|s| s.auth.account_cache_seconds = time_limit_where_nothing_tells()).await;
    let admin = app.admin_token().await;
    let (staff, id) = app.user_with_role(&admin, Role::Staff, None).await;
    me_until(&app, &app.address, &staff, StatusCode::OK).await;
    set_role_behind_the_service(&app, &id, "admin").await;
    role_until(&app, &app.address, &staff, "admin").await;
    if backend() == Backend::Sqlite {
        return;
    }
    // The listener's connection ends and cannot come back; the pool's connections still work.
    use diesel::{Connection, RunQueryDsl};
    let admin_url = std::env::var("DEVICEPOOL_TEST_PG_URL").expect("admin url");
    let name = app.db.name.clone();
    let sql = |statement: String| {
        let admin_url = admin_url.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                let mut conn = diesel::PgConnection::establish(&admin_url).expect("admin connection");
                diesel::sql_query(statement).execute(&mut conn).expect("statement");
            })
            .await
            .expect("task");
        }
    };
    sql(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false")).await;
    sql(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND query LIKE 'LISTEN%'"
    ))
    .await;
    live_until(&app, 0).await;
    // Read while nothing could tell the cache of a change, then changed: never served old.
    role_until(&app, &app.address, &staff, "admin").await;
    set_role_behind_the_service(&app, &id, "staff").await;
    let body: Value = me(&app, &app.address, &staff).await.json().await.expect("json");
    assert_eq!(body["role"], "staff", "the cache is off while the listener cannot hear");
    sql(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true")).await;
    live_until(&app, 1).await;
    me_until(&app, &app.address, &staff, StatusCode::OK).await;
}
