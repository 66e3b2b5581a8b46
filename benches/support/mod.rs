//! What the HTTP benchmarks share: a fresh database of each backend, the real server started
//! in process with an admin signed in, and the process's peak memory.
//! Each bench uses some of it, so items one bench leaves unused are not warnings.
#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

use devicepool::configuration::Settings;
use devicepool::startup::{connect, Application};
use devicepool::store::{DbConnection, DbPool};
use diesel::connection::SimpleConnection;
use diesel::Connection;
use secrecy::SecretString;
use serde_json::{json, Value};

const ADMIN: &str = "bench@pool.example";
const PASSWORD: &str = "bench password 123";

/// A fresh database: a new PostgreSQL database (DEVICEPOOL_BENCH_PG_URL) or an SQLite file in a
/// temporary folder, which lives as long as the folder handle.
pub fn database(backend: &str) -> (String, Option<tempfile::TempDir>) {
    if backend == "postgres" {
        let admin = std::env::var("DEVICEPOOL_BENCH_PG_URL").expect("DEVICEPOOL_BENCH_PG_URL");
        let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
        diesel::PgConnection::establish(&admin)
            .expect("PostgreSQL reachable")
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create database");
        let mut url = url::Url::parse(&admin).expect("url");
        url.set_path(&name);
        (url.to_string(), None)
    } else {
        let dir = tempfile::tempdir().expect("dir");
        (format!("sqlite://{}", dir.path().join("bench.db").display()), Some(dir))
    }
}

/// Drops a PostgreSQL database a bench made, with the server's connections to it.
pub fn drop_database(url: &str) {
    if let (Ok(admin), Ok(parsed)) = (std::env::var("DEVICEPOOL_BENCH_PG_URL"), url::Url::parse(url)) {
        let name = parsed.path().trim_start_matches('/').to_owned();
        if let Ok(mut conn) = diesel::PgConnection::establish(&admin) {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// The server running on a fresh database of `backend`, with an admin signed in.
pub struct BenchServer {
    pub base: String,
    pub client: reqwest::Client,
    pub token: String,
    pub url: String,
    /// The server's own pool, for work a bench measures in process beside the HTTP calls.
    pub pool: DbPool,
    _dir: Option<tempfile::TempDir>,
}

impl BenchServer {
    /// Makes the database, lets `adjust` change the settings and `prepare` fill the database
    /// (after the admin exists), then starts the server and signs in.
    pub async fn start(
        backend: &str,
        adjust: impl FnOnce(&mut Settings),
        prepare: impl FnOnce(&mut DbConnection),
    ) -> BenchServer {
        let (url, dir) = database(backend);
        let mut settings = Settings::read(Path::new("config"), "test", false).expect("settings");
        settings.database.url = SecretString::from(url.clone());
        settings.database.acquire_timeout_seconds = 60;
        adjust(&mut settings);
        let (db_url, pool) = connect(&settings).expect("connect");
        {
            let mut conn = pool.get().expect("connection");
            devicepool::cli::create_admin(&mut conn, ADMIN, &SecretString::from(PASSWORD.to_owned()))
                .expect("admin");
            prepare(&mut conn);
        }
        let app = Application::build_with_pool(settings, db_url, pool.clone()).expect("app");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder().timeout(Duration::from_secs(600)).build().expect("client");
        let login: Value = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"email": ADMIN, "password": PASSWORD}))
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("json");
        let token = login["access_token"].as_str().expect("token").to_owned();
        BenchServer { base, client, token, url, pool, _dir: dir }
    }

    /// Removes a PostgreSQL database (SQLite's folder goes with the value).
    pub fn finish(self) {
        if !self.url.starts_with("sqlite://") {
            drop_database(&self.url);
        }
    }
}

/// A size from the environment, or `default`.
pub fn size(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The middle one of `times`.
pub fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Fills `conn` with `devicepool seed-bench`'s programme-sized data set (sizes from
/// DEVICEPOOL_BENCH_STUDENTS, _DEVICES, _LOANS; defaults 50,000, 20,000, 100,000) and says
/// on stderr what it made. On PostgreSQL, then what autovacuum does soon after a bulk load
/// (index-only scans need it).
pub fn seed_programme(backend: &str, conn: &mut DbConnection) {
    let bench_size = devicepool::bench_seed::BenchSize {
        students: size("DEVICEPOOL_BENCH_STUDENTS", 50_000),
        devices: size("DEVICEPOOL_BENCH_DEVICES", 20_000),
        loans: size("DEVICEPOOL_BENCH_LOANS", 100_000),
        seed: 2026,
    };
    let start = Instant::now();
    let seeded =
        devicepool::bench_seed::seed(conn, bench_size, devicepool::store::now().date()).expect("seed");
    eprintln!(
        "{backend}: seeded {} students, {} devices, {} loans, {} device events, {} waiting in {:.0} s",
        seeded.students,
        seeded.devices,
        seeded.loans,
        seeded.device_events,
        seeded.waiting,
        start.elapsed().as_secs_f64()
    );
    if let DbConnection::Pg(pg) = conn {
        pg.batch_execute("VACUUM ANALYZE").expect("vacuum");
    }
}

/// Peak resident memory of this process so far, in MiB (Linux `VmHWM`).
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}
