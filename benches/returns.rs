//! A cohort's returns at programme size, on `devicepool seed-bench`'s data set (50,000
//! students, 20,000 devices, 100,000 loans) on SQLite and (with DEVICEPOOL_BENCH_PG_URL)
//! PostgreSQL: 300 laptops on loan taken back in one `POST /api/v1/returns`, against the same
//! number taken back one by one with `POST /api/v1/loans/{id}/return` (baseline). Each item is
//! its own transaction either way (inspection step, history, the student's mail), so the
//! stack's gain is the round trips and sign-in checks it saves. Reported per device.
//!
//! Run: `cargo bench --bench returns` (add DEVICEPOOL_BENCH_PG_URL=postgres://…/postgres).
//! Sizes: DEVICEPOOL_BENCH_STUDENTS, _DEVICES, _LOANS (defaults 50000, 20000, 100000);
//! DEVICEPOOL_BENCH_STACK (default 300).

mod support;

use std::time::Instant;

use devicepool::store::schema::loans;
use diesel::prelude::*;
use serde_json::{json, Value};
use support::{seed_programme, size, BenchServer};

/// Active laptop loans: (loan, device, accessories handed over as JSON).
fn out_on_loan(conn: &mut devicepool::store::DbConnection, count: usize) -> Vec<(String, String, Value)> {
    let rows: Vec<(String, Option<String>, String)> = loans::table
        .filter(loans::state.eq("active"))
        .filter(loans::kind.eq("laptop"))
        .filter(loans::device_id.is_not_null())
        .order(loans::id)
        .select((loans::id, loans::device_id, loans::accessories))
        .limit(count as i64)
        .load(conn)
        .expect("loans");
    rows.into_iter()
        .map(|(id, device, accessories)| {
            (id, device.expect("a device"), serde_json::from_str(&accessories).expect("a list"))
        })
        .collect()
}

async fn run(backend: &str) {
    let stack = size("DEVICEPOOL_BENCH_STACK", 300);
    let server = BenchServer::start(backend, |_| {}, |conn| seed_programme(backend, conn)).await;
    let (base, client, token) = (&server.base, &server.client, &server.token);
    let mut conn = server.pool.get().expect("connection");
    // Two stacks around the one-by-one baseline, so a drift of the machine shows.
    let out = out_on_loan(&mut conn, 3 * stack);
    drop(conn);
    assert_eq!(out.len(), 3 * stack, "enough laptops on loan");
    let (first, rest) = out.split_at(stack);
    let (one_by_one, second) = rest.split_at(stack);

    let take_stack = |kit: &[(String, String, Value)]| {
        let items: Vec<Value> = kit
            .iter()
            .map(|(_, device, acc)| json!({"device_id": device, "condition": "good", "accessories_returned": acc}))
            .collect();
        async move {
            let start = Instant::now();
            let res = client
                .post(format!("{base}/api/v1/returns"))
                .bearer_auth(token)
                .json(&json!({"items": items}))
                .send()
                .await
                .expect("stack");
            assert_eq!(res.status(), 200);
            let body: Value = res.json().await.expect("json");
            let returned =
                body["results"].as_array().expect("results").iter().filter(|r| r["outcome"] == "returned");
            assert_eq!(returned.count(), items.len(), "every item came back: {body}");
            start.elapsed().as_secs_f64() * 1000.0 / items.len() as f64
        }
    };
    let stack_1 = take_stack(first).await;
    let start = Instant::now();
    for (loan, _, acc) in one_by_one {
        let res = client
            .post(format!("{base}/api/v1/loans/{loan}/return"))
            .bearer_auth(token)
            .json(&json!({"condition": "good", "accessories_returned": acc}))
            .send()
            .await
            .expect("return");
        assert_eq!(res.status(), 200, "{loan}");
    }
    let single = start.elapsed().as_secs_f64() * 1000.0 / one_by_one.len() as f64;
    let stack_2 = take_stack(second).await;
    for (what, ms) in [("stack of 300, first", stack_1), ("stack of 300, second", stack_2)] {
        println!("| {backend} | {what} | {ms:.1} ms | {single:.1} ms | {:.2}× |", ms / single);
    }
    server.finish();
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    println!("| backend | returns | per device | one by one (baseline), per device | ratio |");
    println!("| --- | --- | --- | --- | --- |");
    runtime.block_on(run("sqlite"));
    if std::env::var("DEVICEPOOL_BENCH_PG_URL").is_ok() {
        runtime.block_on(run("postgres"));
    }
}
