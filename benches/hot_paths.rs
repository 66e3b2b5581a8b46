//! The hot paths at programme size, on `devicepool seed-bench`'s data set (50,000 students,
//! 20,000 devices, 100,000 loans, about 5,000 requests waiting), on SQLite and (with
//! DEVICEPOOL_BENCH_PG_URL) PostgreSQL:
//!
//! - `GET /api/v1/requests?state=pending` (50 a page, each with its place in the queue), against
//!   the same page of fulfilled requests, which need no place (baseline);
//! - a student's "my kit" (`workflows::my_kit`, what `GET /me/loans` and `/my-kit` call), in
//!   process, for a student who waits in the queue, against one who does not (baseline);
//! - one request's place in the queue as the database ranks it, against loading the queue of
//!   its kind and ranking it with `domain::priority::queue` (the way before: baseline);
//! - releasing one device over HTTP, which offers it to the best waiting request in the same
//!   transaction, against grading one (a step of the same kind that offers nothing: baseline).
//!
//! Each is run several times after a warm-up; the median is reported.
//!
//! Run: `cargo bench --bench hot_paths` (add DEVICEPOOL_BENCH_PG_URL=postgres://…/postgres).
//! Sizes: DEVICEPOOL_BENCH_STUDENTS, _DEVICES, _LOANS (defaults 50000, 20000, 100000).

mod support;

use std::time::Instant;

use devicepool::domain::priority::{queue, PriorityWeights, QueueEntry};
use devicepool::store::{self, schema};
use diesel::prelude::*;
use serde_json::{json, Value};
use support::{median, seed_programme, BenchServer};

const RUNS: usize = 9;

/// Median time of `RUNS` calls of `call` (after one warm-up), in milliseconds.
async fn timed<F, Fut>(mut call: F) -> f64
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = Vec::with_capacity(RUNS);
    for run in 0..=RUNS {
        let start = Instant::now();
        call(run).await;
        if run > 0 {
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    median(times)
}

fn row(backend: &str, what: &str, ms: f64, baseline: f64) {
    println!("| {backend} | {what} | {ms:.1} ms | {baseline:.1} ms | {:.2}× |", ms / baseline);
}

/// Laptops now available at a hub, put back a step (to `state`) so the bench can take the
/// step again: `count` of them, none of the ones in `skip`.
fn put_back(conn: &mut store::DbConnection, state: &str, count: usize, skip: &[String]) -> Vec<String> {
    use schema::devices::dsl as d;
    let ids: Vec<String> = d::devices
        .filter(d::kind.eq("laptop"))
        .filter(d::state.eq("available"))
        .filter(d::hub_id.is_not_null())
        .filter(d::id.ne_all(skip))
        .order(d::id)
        .select(d::id)
        .limit(count as i64)
        .load(conn)
        .expect("devices");
    diesel::update(d::devices.filter(d::id.eq_any(&ids)))
        .set(d::state.eq(state))
        .execute(conn)
        .expect("update");
    ids
}

async fn run(backend: &str) {
    let mut graded = Vec::new();
    let mut wiped = Vec::new();
    let server = BenchServer::start(
        backend,
        |_| {},
        |conn| {
            seed_programme(backend, conn);
            graded = put_back(conn, "graded", RUNS + 1, &[]);
            wiped = put_back(conn, "wiped", RUNS + 1, &graded);
        },
    )
    .await;
    let (base, client, token) = (&server.base, &server.client, &server.token);

    let list = |state: &'static str| {
        let url = format!("{base}/api/v1/requests?state={state}&limit=50");
        move |_| {
            let url = url.clone();
            async move {
                let res = client.get(&url).bearer_auth(token).send().await.expect("request");
                assert_eq!(res.status(), 200, "{url}");
                let page: Value = res.json().await.expect("json");
                assert_eq!(page["items"].as_array().map(Vec::len), Some(50), "{url}");
            }
        }
    };
    let fulfilled = timed(list("fulfilled")).await;
    let pending = timed(list("pending")).await;
    row(backend, "`GET /requests?state=pending`, 50 a page", pending, fulfilled);

    let mut pooled = server.pool.get().expect("connection");
    let conn: &mut store::DbConnection = &mut pooled;
    let waiting: String = schema::requests::table
        .filter(schema::requests::state.eq("pending"))
        .order(schema::requests::id)
        .select(schema::requests::student_id)
        .first(conn)
        .expect("a waiting student");
    let holding: String = schema::loans::table
        .filter(schema::loans::state.eq("active"))
        .filter(
            schema::loans::student_id.ne_all(
                schema::requests::table
                    .filter(schema::requests::state.eq("pending"))
                    .select(schema::requests::student_id),
            ),
        )
        .order(schema::loans::id)
        .select(schema::loans::student_id)
        .first(conn)
        .expect("a student with kit and no waiting request");
    let weights = PriorityWeights::default();
    let today = store::now().date();
    let mut my_kit = |student: &str| {
        let mut times = Vec::with_capacity(RUNS);
        for run in 0..=RUNS {
            let start = Instant::now();
            let kit = devicepool::workflows::my_kit::my_kit(conn, student, &weights, today).expect("my kit");
            if student == waiting {
                assert!(kit.requests.iter().any(|r| r.queue_position.is_some()), "a place in the queue");
            }
            if run > 0 {
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
        }
        median(times)
    };
    let plain = my_kit(&holding);
    let queued = my_kit(&waiting);
    row(backend, "my kit of a student in the queue (in process)", queued, plain);

    // One request's place, ranked by the database (what the service does), against loading
    // the whole queue of its kind and ranking it in Rust (what it did before, the baseline).
    let (request, kind): (String, String) = schema::requests::table
        .filter(schema::requests::state.eq("pending"))
        .filter(schema::requests::kind.eq("laptop"))
        .order(schema::requests::id.desc())
        .select((schema::requests::id, schema::requests::kind))
        .first(conn)
        .expect("a waiting laptop request");
    let mut place = |in_sql: bool| {
        let mut times = Vec::with_capacity(RUNS);
        let mut places = Vec::new();
        for run in 0..=RUNS {
            let start = Instant::now();
            let found = if in_sql {
                store::requests::queue_places(conn, &kind, &[request.as_str()], &weights, today)
                    .expect("places")[0]
                    .place
            } else {
                use schema::{requests as r, students as s};
                let rows: Vec<(String, chrono::NaiveDate, chrono::NaiveDateTime, bool, bool, bool)> =
                    r::table
                        .inner_join(s::table)
                        .filter(r::kind.eq(&kind))
                        .filter(r::state.eq("pending"))
                        .select((
                            r::id,
                            r::needed_by,
                            r::created_at,
                            s::lacks_laptop,
                            s::lacks_connectivity,
                            s::lacks_software,
                        ))
                        .load(conn)
                        .expect("queue");
                let entries: Vec<QueueEntry> = rows
                    .into_iter()
                    .map(|(id, needed_by, created_at, l, c, sw)| QueueEntry {
                        id,
                        needed_by,
                        requested_on: created_at.date(),
                        lacks: u8::from(l) + u8::from(c) + u8::from(sw),
                    })
                    .collect();
                queue(&entries, &weights, today)
                    .iter()
                    .position(|(id, _)| *id == request)
                    .expect("in the queue") as i64
                    + 1
            };
            places.push(found);
            if run > 0 {
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
        }
        (median(times), places[0])
    };
    let (in_rust, place_rust) = place(false);
    let (in_sql, place_sql) = place(true);
    assert_eq!(place_sql, place_rust, "the database and the domain give the same place");
    row(
        backend,
        "one request's place, ranked in SQL (baseline: queue loaded, ranked in Rust)",
        in_sql,
        in_rust,
    );
    drop(pooled);

    let step = |ids: Vec<String>, body: Value, offers: bool| {
        move |run: usize| {
            let url = format!("{base}/api/v1/devices/{}/transitions", ids[run]);
            let body = body.clone();
            async move {
                let res = client.post(&url).bearer_auth(token).json(&body).send().await.expect("step");
                assert_eq!(res.status(), 200, "{url}");
                if offers {
                    let device: Value = res.json().await.expect("json");
                    assert_eq!(device["state"], "reserved", "the released laptop is offered on at once");
                }
            }
        }
    };
    let grade = timed(step(wiped, json!({"action": "grade", "grade": "B"}), false)).await;
    let release = timed(step(graded, json!({"action": "release"}), true)).await;
    row(backend, "release one laptop, offered to the best waiting request", release, grade);
    server.finish();
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    println!("| backend | path | median of {RUNS} | baseline | ratio |");
    println!("| --- | --- | --- | --- | --- |");
    runtime.block_on(run("sqlite"));
    if std::env::var("DEVICEPOOL_BENCH_PG_URL").is_ok() {
        runtime.block_on(run("postgres"));
    }
}
