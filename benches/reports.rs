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

use serde_json::Value;
use support::{seed_programme, BenchServer};

const RUNS: usize = 7;

async fn timed_get(client: &reqwest::Client, url: &str, token: &str) -> (f64, usize) {
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
    (support::median(times), bytes)
}

async fn run(backend: &str) {
    let server = BenchServer::start(backend, |_| {}, |conn| seed_programme(backend, conn)).await;
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
    let (baseline, _) = timed_get(client, &format!("{base}/api/v1/me"), token).await;
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
        let (took, bytes) = timed_get(client, &format!("{base}{path}"), token).await;
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
