//! Faults: the real binary killed with SIGKILL in the middle of a CSV import, a matching run
//! and a burst of loan confirmations loses nothing and leaves nothing half-written (the
//! integrity rules of `store::integrity` hold after a restart); the database going away under
//! load answers 503 and the service recovers by itself; two instances with one killed in the
//! middle of delivery still send every message, each under one Message-ID.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_integrity, backend, spawn_app_with, Backend, TestApp};
use crate::races::{start_server, start_server_with};

/// A made-up programme (the benchmark seed, small): waiting requests, available kit, loans.
async fn programme(app: &TestApp) -> String {
    use devicepool::bench_seed::{seed, BenchSize};
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, devicepool::domain::Role::Staff, None).await;
    let size = BenchSize { students: 3000, devices: 1200, loans: 2000, seed: 11 };
    let today = chrono::Utc::now().date_naive();
    app.with_db(move |conn| seed(conn, size, today).expect("seed")).await;
    staff
}

async fn count(app: &TestApp, table: &'static str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    app.with_db(move |conn| {
        use diesel::RunQueryDsl;
        devicepool::with_backend!(conn, c => diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result::<N>(c))
            .expect("count")
            .n
    })
    .await
}

#[tokio::test]
async fn a_server_killed_in_the_middle_of_an_import_keeps_all_rows_or_none() {
    let app = spawn_app_with(|_| {}).await;
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, devicepool::domain::Role::Staff, None).await;
    let donor = app.create_organisation(&admin, "Northwind", "donor").await;
    let donation = crate::fixtures::create_donation(&app, &staff, json!({"donor_id": donor})).await;
    let rows = 30_000;
    let mut csv = String::from("kind,serial_number,model,ram_gb,storage_gb\n");
    for i in 0..rows {
        csv.push_str(&format!("laptop,KILL-{i:06},HP ProBook 450 G8,16,256\n"));
    }
    // A file this long is over the default row cap; the test is about the crash, not the cap.
    let rows_allowed = [("DEVICEPOOL__IMPORTS__MAX_DEVICE_ROWS", "30000")];
    let mut server = start_server_with(&app, &rows_allowed).await;
    let url = format!("{}/api/v1/devices/import?donation_id={donation}", server.base);
    let upload =
        app.client.post(url).bearer_auth(&staff).header("content-type", "text/csv").body(csv.clone()).send();
    // Killed while the file is read and written.
    let (answer, ()) = tokio::join!(upload, async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        server.kill();
    });
    let devices = count(&app, "devices").await;
    assert!(devices == 0 || devices == rows, "all rows or none: {devices} of {rows} (answer {answer:?})");
    assert_integrity(&app).await;
    // After a restart the file goes in whole (or, if it was in already, is refused as a whole).
    let server = start_server_with(&app, &rows_allowed).await;
    let url = format!("{}/api/v1/devices/import?donation_id={donation}", server.base);
    let res =
        app.client.post(url).bearer_auth(&staff).header("content-type", "text/csv").body(csv).send().await;
    let status = res.expect("answered").status();
    // Serials already in the pool make the whole file a 422, as any duplicate does.
    let expected = if devices == 0 { StatusCode::CREATED } else { StatusCode::UNPROCESSABLE_ENTITY };
    assert_eq!(status, expected, "{devices} before");
    assert_eq!(count(&app, "devices").await, rows);
}

#[tokio::test]
async fn a_server_killed_in_the_middle_of_a_matching_run_leaves_proposals_whole_or_not_at_all() {
    let app = spawn_app_with(|s| s.loans.offer_available_kit = false).await;
    let staff = programme(&app).await;
    let proposed_before = count(&app, "allocations").await;
    let mut server = start_server(&app).await;
    let run = app
        .client
        .post(format!("{}/api/v1/allocations/run", server.base))
        .bearer_auth(&staff)
        .json(&json!({}))
        .send();
    let (answer, ()) = tokio::join!(run, async {
        tokio::time::sleep(Duration::from_millis(150)).await;
        server.kill();
    });
    assert_integrity(&app).await;
    let after_kill = count(&app, "allocations").await;
    // A run the server finished before it died is whole; one it did not is not there at all.
    if let Ok(res) = answer {
        if res.status() == StatusCode::OK {
            let body: Value = res.json().await.expect("json");
            let written = body["proposals"].as_array().map_or(0, Vec::len) as i64;
            assert_eq!(after_kill - proposed_before, written);
        }
    }
    // The next run, on a restarted server, goes on from there.
    let server = start_server(&app).await;
    let res = app
        .client
        .post(format!("{}/api/v1/allocations/run", server.base))
        .bearer_auth(&staff)
        .json(&json!({}))
        .send()
        .await;
    assert_eq!(res.expect("answered").status(), StatusCode::OK);
    if after_kill == proposed_before {
        assert!(count(&app, "allocations").await > proposed_before, "the restarted server proposes the kit");
    }
    assert_integrity(&app).await;
}

#[tokio::test]
async fn a_server_killed_in_a_burst_of_confirmations_opens_one_loan_per_confirmed_allocation() {
    let app = spawn_app_with(|s| s.loans.offer_available_kit = false).await;
    let staff = programme(&app).await;
    let run: Value = app.post("/api/v1/allocations/run", &staff, json!({})).await.json().await.expect("json");
    let proposals: Vec<String> = run["proposals"]
        .as_array()
        .expect("proposals")
        .iter()
        .filter_map(|p| p["id"].as_str().map(str::to_owned))
        .take(200)
        .collect();
    assert!(proposals.len() >= 50, "a burst needs proposals: {}", proposals.len());
    let loans_before = count(&app, "loans").await;
    let mut server = start_server(&app).await;
    let base = server.base.clone();
    let confirms = proposals.iter().map(|id| {
        app.client
            .post(format!("{base}/api/v1/allocations/{id}/confirm"))
            .bearer_auth(&staff)
            .json(&json!({}))
            .send()
    });
    let (answers, ()) = tokio::join!(join_all(confirms), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        server.kill();
    });
    let created =
        answers.iter().filter(|a| a.as_ref().is_ok_and(|r| r.status() == StatusCode::CREATED)).count();
    assert_integrity(&app).await;
    let opened = count(&app, "loans").await - loans_before;
    // Every answered confirmation has its loan; one cut off may have opened its loan or not,
    // but never half (the integrity rules: each confirmed allocation has one loan).
    assert!(opened >= created as i64, "{opened} loans for {created} answered confirmations");
}

#[tokio::test]
async fn two_instances_with_one_killed_mid_delivery_send_every_message_under_one_message_id() {
    use crate::mail::{message_ids, queue_messages, smtp_settings, start_binary_with, SmtpServer};
    let smtp = SmtpServer::start();
    let app = spawn_app_with(|s| smtp_settings(s, smtp.port)).await;
    let total = 60;
    queue_messages(&app, total, "example.org").await;
    // A claim the dead instance held is taken over when its lease (10 s, the least) runs out.
    let env = [("DEVICEPOOL__EMAIL__LEASE_SECONDS", "10"), ("DEVICEPOOL__EMAIL__SMTP_TIMEOUT_SECONDS", "5")];
    let mut doomed = start_binary_with(&app, smtp.port, &env);
    let mut survivor = start_binary_with(&app, smtp.port, &env);
    let wait_for = |n: usize, within: u64| {
        let smtp = &smtp;
        async move {
            let started = Instant::now();
            while smtp.received().len() < n && started.elapsed() < Duration::from_secs(within) {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    };
    wait_for(8, 60).await;
    let _ = doomed.kill();
    let _ = doomed.wait();
    let started = Instant::now();
    loop {
        let ids = message_ids(&smtp.received());
        let distinct: std::collections::HashSet<&String> = ids.iter().collect();
        if distinct.len() == total || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // A message the killed instance sent but had not marked is sent again once its lease ends.
    let sent_rows = || async {
        app.with_db(|c| devicepool::store::outbox::list(c, Some("sent"), None, 100).expect("list").len())
            .await
    };
    let started = Instant::now();
    while sent_rows().await < total && started.elapsed() < Duration::from_secs(40) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let _ = survivor.kill();
    let _ = survivor.wait();
    let ids = message_ids(&smtp.received());
    let mut times: std::collections::HashMap<&String, usize> = std::collections::HashMap::new();
    for id in &ids {
        *times.entry(id).or_default() += 1;
    }
    assert_eq!(times.len(), total, "every message was sent");
    // At least once: only a message the killed instance had claimed (a batch of 5) may go
    // twice, and then under the same Message-ID, so the reader's mail program shows it once.
    assert!(times.values().all(|n| *n <= 2), "{times:?}");
    assert!(ids.len() - total <= 5, "{} sent again", ids.len() - total);
    let sent =
        app.with_db(|c| devicepool::store::outbox::list(c, Some("sent"), None, 100).expect("list")).await;
    assert_eq!(sent.len(), total);
}

/// Cuts the app off from its database for a while: PostgreSQL refuses new connections to the
/// test's database and ends the open ones (what a restart does to the app, without stopping the
/// server the other tests share); SQLite is held by another writer longer than the busy timeout.
async fn database_away(app: &TestApp, seconds: u64) {
    let away = Duration::from_secs(seconds);
    match backend() {
        Backend::Postgres => {
            use diesel::{Connection, RunQueryDsl};
            let admin = std::env::var("DEVICEPOOL_TEST_PG_URL").expect("admin url");
            let name = app.db.name.clone();
            tokio::task::spawn_blocking(move || {
                let mut conn = diesel::PgConnection::establish(&admin).expect("admin connection");
                diesel::sql_query(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false")).execute(&mut conn).expect("refuse");
                diesel::sql_query(format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
                ))
                .execute(&mut conn)
                .expect("terminate");
                std::thread::sleep(away);
                diesel::sql_query(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true")).execute(&mut conn).expect("allow");
            })
            .await
            .expect("outage");
        }
        Backend::Sqlite => {
            use diesel::connection::SimpleConnection;
            use diesel::Connection;
            let path = app.db.url.trim_start_matches("sqlite://").to_owned();
            tokio::task::spawn_blocking(move || {
                let mut locker = diesel::SqliteConnection::establish(&path).expect("second connection");
                locker.batch_execute("BEGIN EXCLUSIVE").expect("exclusive lock");
                std::thread::sleep(away);
                locker.batch_execute("COMMIT").expect("release");
            })
            .await
            .expect("outage");
        }
    }
}

#[tokio::test]
async fn the_database_going_away_under_load_answers_503_and_the_service_recovers_by_itself() {
    let app = spawn_app_with(|_| {}).await;
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, devicepool::domain::Role::Staff, None).await;
    // The account behind a token may be in memory; on PostgreSQL that memory is trusted only
    // while its listener hears changes, so the outage is a 503 for `GET /me` too.
    let me_load = async {
        let mut statuses = Vec::new();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(9) {
            statuses.push(app.get("/api/v1/me", &staff).await.status());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        statuses
    };
    let load = async {
        let mut statuses = Vec::new();
        let started = Instant::now();
        let mut i = 0;
        while started.elapsed() < Duration::from_secs(9) {
            i += 1;
            let writes = (0..4).map(|j| {
                app.post("/api/v1/hubs", &staff, json!({"name": format!("Hub {i}-{j}"), "address": "Weg 1"}))
            });
            statuses.extend(join_all(writes).await.iter().map(|r| r.status()));
            // Reads outside a transaction too: a connection the database dropped under a
            // plain read is only replaced because it checks itself after the failure.
            let reads = (0..4).map(|_| app.get("/api/v1/hubs", &staff));
            statuses.extend(join_all(reads).await.iter().map(|r| {
                if r.status() == StatusCode::OK {
                    StatusCode::CREATED
                } else {
                    r.status()
                }
            }));
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        statuses
    };
    let (statuses, me_statuses, ()) = tokio::join!(load, me_load, async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        database_away(&app, 7).await;
    });
    let odd: Vec<&StatusCode> = statuses
        .iter()
        .chain(me_statuses.iter().map(|s| if *s == StatusCode::OK { &StatusCode::CREATED } else { s }))
        .filter(|s| **s != StatusCode::CREATED && **s != StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert!(odd.is_empty(), "only 201 or 503 while the database comes and goes: {odd:?}");
    assert!(statuses.contains(&StatusCode::SERVICE_UNAVAILABLE), "the outage was answered 503");
    if backend() == Backend::Postgres {
        assert!(me_statuses.contains(&StatusCode::SERVICE_UNAVAILABLE), "GET /me too: {me_statuses:?}");
    }
    // Back by itself, without a restart: the pool replaces the connections it lost.
    let started = Instant::now();
    loop {
        let res = app.post("/api/v1/hubs", &staff, json!({"name": "Hub After", "address": "Weg 2"})).await;
        if res.status() == StatusCode::CREATED {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "not recovered: {}", res.status());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // And every pooled connection works again, not just the one that answered first.
    for _ in 0..5 {
        let reads = join_all((0..8).map(|_| app.get("/api/v1/hubs", &staff))).await;
        let statuses: Vec<StatusCode> = reads.iter().map(|r| r.status()).collect();
        assert!(
            statuses.iter().all(|s| *s == StatusCode::OK),
            "a dropped connection came back: {statuses:?}"
        );
    }
    let res = app.client.get(app.url("/readyz")).send().await.expect("sent");
    assert_eq!(res.status(), StatusCode::OK);
    assert_integrity(&app).await;
}
