//! The reports end to end on a programme-sized database: `devicepool seed-bench`'s data set of
//! 50,000 students, 20,000 devices and 100,000 loans (two years of history), on SQLite and
//! (with DEVICEPOOL_BENCH_PG_URL) PostgreSQL. Each report is asked for over HTTP several
//! times after one warm-up; the median is reported. Baseline in the same run: `GET /api/v1/me`
//! (sign-in check and one primary-key read), the cheapest call that goes through the same stack.
//!
//! Run: `cargo bench --bench reports` (add DEVICEPOOL_BENCH_PG_URL=postgres://…/postgres).
//! Sizes: DEVICEPOOL_BENCH_STUDENTS, _DEVICES, _LOANS (defaults 50000, 20000, 100000).

mod support;

use std::time::Instant;

use devicepool::bench_seed::{seed, BenchSize};
use devicepool::store;
use diesel::connection::SimpleConnection;
use serde_json::Value;
use support::BenchServer;

const RUNS: usize = 7;

fn size(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

async fn median(client: &reqwest::Client, url: &str, token: &str) -> (f64, usize) {
    let mut times = Vec::with_capacity(RUNS);
    let mut bytes = 0;
    for run in 0..=RUNS {
        let start = Instant::now();
        let res = client.get(url).bearer_auth(token).send().await.expect("request");
        assert_eq!(res.status(), 200, "{url}");
        bytes = res.bytes().await.expect("body").len();
        if run > 0 {
            times.push(start.elapsed().as_secs_f64());
        }
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], bytes)
}

async fn run(backend: &str) {
    let bench_size = BenchSize {
        students: size("DEVICEPOOL_BENCH_STUDENTS", 50_000),
        devices: size("DEVICEPOOL_BENCH_DEVICES", 20_000),
        loans: size("DEVICEPOOL_BENCH_LOANS", 100_000),
        seed: 2026,
    };
    let server = BenchServer::start(
        backend,
        |_| {},
        |conn| {
            let start = Instant::now();
            let seeded = seed(conn, bench_size, store::now().date()).expect("seed");
            eprintln!(
                "{backend}: seeded {} students, {} devices, {} loans, {} device events, {} waiting in {:.0} s",
                seeded.students,
                seeded.devices,
                seeded.loans,
                seeded.device_events,
                seeded.waiting,
                start.elapsed().as_secs_f64()
            );
            if let store::DbConnection::Pg(pg) = conn {
                // What autovacuum does soon after a bulk load; index-only scans need it.
                pg.batch_execute("VACUUM ANALYZE").expect("vacuum");
            }
        },
    )
    .await;
    let (base, client, token) = (&server.base, &server.client, &server.token);
    let orgs: Value = client
        .get(format!("{base}/api/v1/organisations?limit=100"))
        .bearer_auth(token)
        .send()
        .await
        .expect("organisations")
        .json()
        .await
        .expect("json");
    let first = |kind: &str| {
        orgs["items"]
            .as_array()
            .and_then(|items| items.iter().find(|o| o["kind"] == kind))
            .and_then(|o| o["id"].as_str())
            .expect("organisation")
            .to_owned()
    };
    let (donor, school) = (first("donor"), first("school"));
    let (baseline, _) = median(client, &format!("{base}/api/v1/me"), token).await;
    println!("| {backend} | `GET /api/v1/me` (baseline) | {:.1} ms | 1× | |", baseline * 1000.0);
    for (name, path) in [
        ("pool, JSON", "/api/v1/reports/pool".to_owned()),
        ("pool, CSV", "/api/v1/reports/pool?format=csv".to_owned()),
        ("pool, SVG chart", "/api/v1/reports/pool?format=svg".to_owned()),
        ("pool, 5 years, SVG", "/api/v1/reports/pool?format=svg&from=2021-12-01".to_owned()),
        ("impact, all donors", "/api/v1/reports/impact".to_owned()),
        ("impact, one donor", format!("/api/v1/reports/impact?donor_id={donor}")),
        ("impact, one donor, CSV", format!("/api/v1/reports/impact?donor_id={donor}&format=csv")),
        ("school", format!("/api/v1/reports/school?school_id={school}")),
    ] {
        let (took, bytes) = median(client, &format!("{base}{path}"), token).await;
        println!(
            "| {backend} | {name} | {:.0} ms | {:.0}× | {:.1} KiB |",
            took * 1000.0,
            took / baseline,
            bytes as f64 / 1024.0
        );
    }
    server.finish();
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    println!("| backend | report | median of {RUNS} (HTTP, end to end) | ratio to baseline | size |");
    println!("| --- | --- | --- | --- | --- |");
    runtime.block_on(run("sqlite"));
    if std::env::var("DEVICEPOOL_BENCH_PG_URL").is_ok() {
        runtime.block_on(run("postgres"));
    }
}
