//! Class-list import benchmark: memory stays flat whatever the upload. Junk files of 5 and
//! 50 MiB (one field a row, so every row is bad many times over) and valid lists of 10,000
//! and 50,000 students go through the real HTTP endpoint, streamed from a generator so the
//! benchmark itself holds no file; peak resident memory is read before and after each.
//!
//! Baseline, measured in the same run: reading and checking the same rows in process with no
//! database or HTTP (`StudentCsv`). The ratio import ÷ check shows what the rest adds.
//!
//! Run: `cargo bench --bench class_list` (add DEVICEPOOL_BENCH_PG_URL=postgres://…/postgres).

mod support;

use std::io::Read;
use std::time::Instant;

use devicepool::domain::student_import::StudentCsv;
use serde_json::{json, Value};
use support::{peak_rss_mib, BenchServer};

const HEADER: &str = "name;email;preferred_language;track;programme_start;programme_end\r\n";

/// Row `i` of a file: junk (one field) or a valid student.
fn row(junk: bool, prefix: &str, i: usize) -> String {
    if junk {
        "x\r\n".to_owned()
    } else {
        format!("Student {i};{prefix}{i}@bench.example;nl;coder;01-02-2027;31-07-2027\r\n")
    }
}

/// The file as chunks of 1,000 rows, made as they are sent.
fn chunks(junk: bool, prefix: String, rows: usize) -> impl Iterator<Item = Vec<u8>> {
    std::iter::once(HEADER.as_bytes().to_vec()).chain((0..rows.div_ceil(1000)).map(move |c| {
        (c * 1000..((c + 1) * 1000).min(rows)).map(|i| row(junk, &prefix, i)).collect::<String>().into_bytes()
    }))
}

/// The same rows read and checked in process: the baseline.
fn check_only(junk: bool, prefix: &str, rows: usize) -> (std::time::Duration, usize) {
    struct Chunks<I: Iterator<Item = Vec<u8>>>(I, Vec<u8>, usize);
    impl<I: Iterator<Item = Vec<u8>>> Read for Chunks<I> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            while self.2 >= self.1.len() {
                match self.0.next() {
                    Some(c) => (self.1, self.2) = (c, 0),
                    None => return Ok(0),
                }
            }
            let n = buf.len().min(self.1.len() - self.2);
            buf[..n].copy_from_slice(&self.1[self.2..self.2 + n]);
            self.2 += n;
            Ok(n)
        }
    }
    let start = Instant::now();
    let mut csv =
        StudentCsv::open(Chunks(chunks(junk, prefix.to_owned(), rows), Vec::new(), 0)).expect("opens");
    let mut bad = 0;
    while let Some(r) = csv.next_row() {
        bad += usize::from(r.is_err());
    }
    (start.elapsed(), bad)
}

async fn run(backend: &str) {
    let server = BenchServer::start(backend, |s| s.server.max_import_bytes = 200 * 1024 * 1024, |_| {}).await;
    let (base, client, token) = (&server.base, &server.client, &server.token);
    let school: Value = client
        .post(format!("{base}/api/v1/organisations"))
        .bearer_auth(token)
        .json(&json!({"name": "Bench Academy", "kind": "school"}))
        .send()
        .await
        .expect("school")
        .json()
        .await
        .expect("json");
    let school = school["id"].as_str().expect("id").to_owned();
    let cases = [
        ("junk", true, 5 * 1024 * 1024 / 3),
        ("junk", true, 50 * 1024 * 1024 / 3),
        ("valid", false, 10_000),
        ("valid", false, 50_000),
    ];
    for (i, (what, junk, rows)) in cases.into_iter().enumerate() {
        let prefix = format!("{backend}{i}-");
        let bytes: usize = chunks(junk, prefix.clone(), rows).map(|c| c.len()).sum();
        let (check, bad) = check_only(junk, &prefix, rows);
        let before = peak_rss_mib();
        let body = reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks(junk, prefix, rows).map(Ok::<_, std::io::Error>),
        ));
        let start = Instant::now();
        let res = client
            .post(format!("{base}/api/v1/students/import?school_id={school}"))
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(body)
            .send()
            .await
            .expect("import");
        let took = start.elapsed();
        let status = res.status().as_u16();
        let answer: Value = res.json().await.expect("json");
        let after = peak_rss_mib();
        let outcome = match status {
            201 => format!("201, {} enrolled", answer["imported"]),
            422 => format!(
                "422, {} errors listed of {}",
                answer["errors"].as_array().map_or(0, Vec::len),
                answer["total_errors"]
            ),
            s => format!("{s}: {answer}"),
        };
        assert_eq!(status, if junk { 422 } else { 201 }, "{outcome}");
        assert_eq!(bad > 0, junk);
        println!(
            "| {backend} | {what} | {rows} | {:.1} MiB | {outcome} | {:.2} s | {:.2} s | {:.1}× | {before:.0} MiB → {after:.0} MiB |",
            bytes as f64 / 1_048_576.0,
            took.as_secs_f64(),
            check.as_secs_f64(),
            took.as_secs_f64() / check.as_secs_f64(),
        );
    }
    server.finish();
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    println!("| backend | file | rows | size | answer | import (HTTP, end to end) | check only (baseline) | ratio | peak RSS before → after |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    runtime.block_on(run("sqlite"));
    if std::env::var("DEVICEPOOL_BENCH_PG_URL").is_ok() {
        runtime.block_on(run("postgres"));
    } else {
        println!("(PostgreSQL skipped: set DEVICEPOOL_BENCH_PG_URL to include it)");
    }
}
