//! Device import benchmark: 10,000 and 100,000 CSV rows through the real HTTP endpoint, on
//! SQLite and (when DEVICEPOOL_BENCH_PG_URL is set) PostgreSQL, with peak memory.
//!
//! Baseline, measured in the same run: parsing the same file in process with no database
//! (`parse_devices_csv`). The ratio import ÷ parse shows what the database and HTTP add.
//!
//! Run: `cargo bench --bench import` (add DEVICEPOOL_BENCH_PG_URL=postgres://…/postgres).

mod support;

use std::time::Instant;

use devicepool::domain::device_import::parse_devices_csv;
use serde_json::{json, Value};
use support::{peak_rss_mib, BenchServer};

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

async fn run(backend: &str) {
    let server = BenchServer::start(backend, |s| s.server.max_import_bytes = 200 * 1024 * 1024, |_| {}).await;
    let (base, client, token) = (&server.base, &server.client, &server.token);
    let post =
        |path: &str, body: Value| client.post(format!("{base}{path}")).bearer_auth(token).json(&body).send();
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
            .bearer_auth(token)
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
    server.finish();
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
