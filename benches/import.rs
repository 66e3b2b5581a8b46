//! Device import benchmark: 10,000 and 100,000 CSV rows through the real HTTP endpoint, on
//! SQLite and (when DEVICEPOOL_BENCH_PG_URL is set) PostgreSQL, with peak memory.
//!
//! Baseline, measured in the same run: parsing the same file in process with no database
//! (`parse_devices_csv`). The ratio import ÷ parse shows what the database and HTTP add.
//!
//! Run: `cargo bench --bench import` (add DEVICEPOOL_BENCH_PG_URL=postgres://…/postgres).

use std::path::Path;
use std::time::{Duration, Instant};

use devicepool::configuration::Settings;
use devicepool::domain::device_import::parse_devices_csv;
use devicepool::startup::{connect, Application};
use diesel::connection::SimpleConnection;
use diesel::Connection;
use secrecy::SecretString;
use serde_json::{json, Value};

fn csv(rows: usize) -> String {
    let mut csv = String::from("kind;serial_number;model;ram_gb;storage_gb;cpu;os\r\n");
    for i in 0..rows {
        let ram = [4, 8, 16, 32][i % 4];
        csv.push_str(&format!(
            "laptop;BENCH{i:07};\"Dell Latitude 7490\";{ram};256;Intel Core i5;Windows 11\r\n"
        ));
    }
    csv
}

/// Peak resident memory of this process so far, in MiB (Linux `VmHWM`).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn database(backend: &str) -> (String, Option<tempfile::TempDir>) {
    match backend {
        "postgres" => {
            let admin = std::env::var("DEVICEPOOL_BENCH_PG_URL").expect("DEVICEPOOL_BENCH_PG_URL");
            let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
            let mut conn = diesel::PgConnection::establish(&admin).expect("PostgreSQL reachable");
            conn.batch_execute(&format!("CREATE DATABASE {name}")).expect("create database");
            let mut url = url::Url::parse(&admin).expect("url");
            url.set_path(&name);
            (url.to_string(), None)
        }
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            (format!("sqlite://{}", dir.path().join("bench.db").display()), Some(dir))
        }
    }
}

async fn run(backend: &str) {
    let (url, _dir) = database(backend);
    let mut settings = Settings::read(Path::new("config"), "test", false).expect("settings");
    settings.database.url = SecretString::from(url);
    settings.server.max_import_bytes = 200 * 1024 * 1024;
    let (db_url, pool) = connect(&settings).expect("connect");
    {
        let mut conn = pool.get().expect("connection");
        devicepool::cli::create_admin(
            &mut conn,
            "bench@pool.example",
            &SecretString::from("bench password 123".to_owned()),
        )
        .expect("admin");
    }
    let app = Application::build_with_pool(settings, db_url, pool).expect("app");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder().timeout(Duration::from_secs(600)).build().expect("client");
    let login: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "bench@pool.example", "password": "bench password 123"}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let token = login["access_token"].as_str().expect("token").to_owned();
    let post =
        |path: &str, body: Value| client.post(format!("{base}{path}")).bearer_auth(&token).json(&body).send();
    let org: Value = post("/api/v1/organisations", json!({"name": "Bench BV", "kind": "donor"}))
        .await
        .expect("org")
        .json()
        .await
        .expect("json");
    let donation: Value = post("/api/v1/donations", json!({"donor_id": org["id"]}))
        .await
        .expect("donation")
        .json()
        .await
        .expect("json");
    let donation = donation["id"].as_str().expect("id").to_owned();

    for (rows, prefix) in [(10_000usize, "A"), (100_000, "B")] {
        let body = csv(rows).replace("BENCH", &format!("{prefix}BENCH"));
        let bytes = body.len();
        let parse_start = Instant::now();
        let parsed = parse_devices_csv(body.as_bytes(), None).expect("parses");
        let parse = parse_start.elapsed();
        assert_eq!(parsed.rows.len(), rows);
        drop(parsed);
        let before = peak_rss_mib();
        let start = Instant::now();
        let res = client
            .post(format!("{base}/api/v1/devices/import?donation_id={donation}"))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .body(body)
            .send()
            .await
            .expect("import");
        let took = start.elapsed();
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap_or_default());
        let after = peak_rss_mib();
        println!(
            "| {backend} | {rows} | {:.1} MiB | {:.2} s | {:.3} s | {:.0}× | {:.0} MiB → {:.0} MiB |",
            bytes as f64 / 1_048_576.0,
            took.as_secs_f64(),
            parse.as_secs_f64(),
            took.as_secs_f64() / parse.as_secs_f64(),
            before,
            after,
        );
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    println!("| backend | rows | file | import (HTTP, end to end) | parse only (baseline) | ratio | peak RSS before → after |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    runtime.block_on(run("sqlite"));
    if std::env::var("DEVICEPOOL_BENCH_PG_URL").is_ok() {
        runtime.block_on(run("postgres"));
    } else {
        println!("(PostgreSQL skipped: set DEVICEPOOL_BENCH_PG_URL to include it)");
    }
}
