//! Starts the real application on a random port against a fresh database of the backend under
//! test: SQLite by default, PostgreSQL when `DEVICEPOOL_TEST_BACKEND=postgres` (then
//! `DEVICEPOOL_TEST_PG_URL` must reach a server, or every test fails loudly).

use std::path::Path;
use std::time::Duration;

use devicepool::configuration::Settings;
use devicepool::domain::Role;
use devicepool::startup::Application;
use devicepool::store::{self, DbPool};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{json, Value};

pub const PASSWORD: &str = "a long test password";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend() -> Backend {
    match std::env::var("DEVICEPOOL_TEST_BACKEND").as_deref() {
        Ok("postgres") => Backend::Postgres,
        Ok("sqlite") | Err(_) => Backend::Sqlite,
        Ok(other) => panic!("DEVICEPOOL_TEST_BACKEND must be sqlite or postgres, not {other:?}"),
    }
}

/// A database that exists for one test.
pub struct TestDatabase {
    pub url: String,
    pub name: String,
    _dir: Option<tempfile::TempDir>,
}

fn pg_admin_url() -> String {
    std::env::var("DEVICEPOOL_TEST_PG_URL").unwrap_or_else(|_| {
        panic!(
            "DEVICEPOOL_TEST_BACKEND=postgres needs DEVICEPOOL_TEST_PG_URL, e.g. \
             postgres://devicepool:devicepool@127.0.0.1:5432/postgres?sslmode=disable"
        )
    })
}

pub fn fresh_database() -> TestDatabase {
    let name = format!("test_{}", uuid::Uuid::new_v4().simple());
    match backend() {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("devicepool.db");
            TestDatabase { url: format!("sqlite://{}", path.display()), name, _dir: Some(dir) }
        }
        Backend::Postgres => {
            let admin = pg_admin_url();
            let mut conn = diesel::PgConnection::establish(&admin)
                .unwrap_or_else(|e| panic!("PostgreSQL at DEVICEPOOL_TEST_PG_URL is not reachable: {e}"));
            conn.batch_execute(&format!("CREATE DATABASE {name}")).expect("create test database");
            let mut url = url::Url::parse(&admin).expect("DEVICEPOOL_TEST_PG_URL is a URL");
            url.set_path(&name);
            TestDatabase { url: url.to_string(), name, _dir: None }
        }
    }
}

/// Makes the database unreachable for the running app: PostgreSQL drops it (closing its
/// connections); SQLite removes the file and takes the write lock from another connection.
pub fn break_database(db: &TestDatabase) -> Option<diesel::SqliteConnection> {
    match backend() {
        Backend::Postgres => {
            let mut conn = diesel::PgConnection::establish(&pg_admin_url()).expect("admin connection");
            conn.batch_execute(&format!("DROP DATABASE {} WITH (FORCE)", db.name)).expect("drop database");
            None
        }
        Backend::Sqlite => {
            let path = db.url.trim_start_matches("sqlite://").to_owned();
            let mut locker = diesel::SqliteConnection::establish(&path).expect("second connection");
            locker.batch_execute("BEGIN EXCLUSIVE").expect("exclusive lock");
            std::fs::remove_file(&path).expect("remove database file");
            Some(locker)
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub pool: DbPool,
    pub db: TestDatabase,
    pub settings: Settings,
}

pub fn test_settings(db: &TestDatabase) -> Settings {
    let mut settings = Settings::read(Path::new("config"), "test", false).expect("test settings");
    settings.database.url = SecretString::from(db.url.clone());
    settings.database.max_connections = 4;
    settings.database.acquire_timeout_seconds = 2;
    settings
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let db = fresh_database();
    let mut settings = test_settings(&db);
    adjust(&mut settings);
    let app_settings = settings.clone();
    let (app, pool) = tokio::task::spawn_blocking(move || {
        let (url, pool) = devicepool::startup::connect(&app_settings).expect("connect and migrate");
        let app = Application::build_with_pool(app_settings, url, pool.clone()).expect("build app");
        (app, pool)
    })
    .await
    .expect("build task");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    // Idle connections are dropped before the server's keep-alive (5 s) ends them, so a test
    // never sends on a connection the server is closing (seen as IncompleteMessage under load).
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    TestApp { address, client, pool, db, settings }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut req = self.client.request(method, self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.request(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> reqwest::Response {
        self.request(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> reqwest::Response {
        self.request(Method::PATCH, path, Some(token), Some(body)).await
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.request(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": email, "password": password})),
        )
        .await
    }

    pub async fn token_for(&self, email: &str) -> String {
        let res = self.login(email, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::OK, "login of {email}");
        let body: Value = res.json().await.expect("json");
        body["access_token"].as_str().expect("token").to_owned()
    }

    /// An admin made the way an operator makes one: with the `create-admin` code path.
    pub async fn admin_token(&self) -> String {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("connection");
            devicepool::cli::create_admin(
                &mut conn,
                "admin@pool.example",
                &SecretString::from(PASSWORD.to_owned()),
            )
            .expect("create admin");
        })
        .await
        .expect("task");
        self.token_for("admin@pool.example").await
    }

    pub async fn create_organisation(&self, admin: &str, name: &str, kind: &str) -> String {
        let res = self.post("/api/v1/organisations", admin, json!({"name": name, "kind": kind})).await;
        assert_eq!(res.status(), StatusCode::CREATED, "create organisation {name}");
        let body: Value = res.json().await.expect("json");
        body["id"].as_str().expect("id").to_owned()
    }

    /// Creates an account of `role` (in `organisation` when given) and returns its token and id.
    pub async fn user_with_role(
        &self,
        admin: &str,
        role: Role,
        organisation: Option<&str>,
    ) -> (String, String) {
        let email = format!("{}-{}@example.org", role.as_str(), uuid::Uuid::new_v4().simple());
        let res = self
            .post(
                "/api/v1/users",
                admin,
                json!({"email": email, "role": role.as_str(), "organisation_id": organisation, "password": PASSWORD}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "create {} user", role.as_str());
        let body: Value = res.json().await.expect("json");
        let id = body["id"].as_str().expect("id").to_owned();
        (self.token_for(&email).await, id)
    }

    /// Runs blocking database work against the app's database. Accounts it changes through
    /// `store::users` are forgotten by the app's account cache afterwards, as the server's own
    /// work on a connection does (`store::with_connection`).
    pub async fn with_db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut store::DbConnection) -> T + Send + 'static,
    ) -> T {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let result = f(&mut pool.get().expect("connection"));
            pool.accounts().forget_noted();
            result
        })
        .await
        .expect("db task")
    }
}

/// Reads a problem+json body, checking the content type and the status inside the body.
/// Fails the test if any of `store::integrity`'s rules is broken in the app's database.
pub async fn assert_integrity(app: &TestApp) {
    let findings = app.with_db(|conn| store::integrity::check(conn).expect("integrity check")).await;
    assert!(findings.is_empty(), "integrity rules broken: {findings:#?}");
}

pub async fn problem(res: reqwest::Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(res.status(), status, "status");
    let content_type = res.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    let body: Value = res.json().await.expect("problem body");
    assert_eq!(body["status"], status.as_u16());
    assert_eq!(body["code"], code, "code in {body}");
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()), "title in {body}");
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()), "detail in {body}");
    assert!(body["type"].as_str().is_some_and(|t| !t.is_empty()), "type in {body}");
    body
}

/// The one-time link sealed in a queued message, opened with the app's own key. The payload
/// stored beside it never holds the link.
/// The values sealed in a queued message (its link, and a sign-in mail's code).
pub fn sealed_values(app: &TestApp, message: &store::outbox::OutboxMessage) -> Value {
    let sealed = message.secret.as_deref().expect("the message has a sealed secret");
    let keys = devicepool::auth::keys::ServerKeys::derive(&app.settings.auth);
    let plain = keys.open(sealed, message.id.as_bytes()).expect("the app's key opens it");
    serde_json::from_slice(&plain).expect("json")
}

pub fn sealed_link(app: &TestApp, message: &store::outbox::OutboxMessage) -> String {
    assert!(!message.payload.contains("token="), "the stored payload holds no token: {}", message.payload);
    let sealed = message.secret.as_deref().expect("the message has a sealed secret");
    assert!(!sealed.contains("token="), "the secret is sealed");
    let keys = devicepool::auth::keys::ServerKeys::derive(&app.settings.auth);
    let plain = keys.open(sealed, message.id.as_bytes()).expect("the app's key opens it");
    let values: Value = serde_json::from_slice(&plain).expect("json");
    values["link"].as_str().expect("a link").to_owned()
}

/// Waits until the devicepool process `child` answers `{base}/readyz` with 200; fails the test
/// if it stops first (saying what it wrote to stderr, where that is piped) or takes over 30 s.
pub async fn wait_until_ready(client: &reqwest::Client, base: &str, child: &mut std::process::Child) {
    let started = std::time::Instant::now();
    loop {
        if let Ok(res) = client.get(format!("{base}/readyz")).send().await {
            if res.status() == StatusCode::OK {
                return;
            }
        }
        if let Some(exit) = child.try_wait().expect("wait") {
            let mut err = String::new();
            if let Some(mut stderr) = child.stderr.take() {
                std::io::Read::read_to_string(&mut stderr, &mut err).expect("read stderr");
            }
            panic!("devicepool stopped ({exit:?}) before it was ready: {err}");
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "the server did not become ready");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
