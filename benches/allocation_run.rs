//! `POST /api/v1/allocations/run` end to end on a programme-sized database: 50,000 pending
//! requests against 20,000 units of kit (12,000 laptops, 5,000 dongles, 3,000 licence seats),
//! on SQLite and (with DEVICEPOOL_BENCH_PG_URL) PostgreSQL. A dry run, then a real run that
//! reserves the kit. Baseline in the same run: the solver alone on the same instance
//! (`plan` minus the database reads is measured as `solve`).
//!
//! Run: `cargo bench --bench allocation_run` (add DEVICEPOOL_BENCH_PG_URL=postgres://…/postgres).

mod support;

use std::time::Instant;

use chrono::Utc;
use devicepool::store::{self, devices, donations, hubs, licences, organisations, requests, students};
use diesel::connection::SimpleConnection;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use support::BenchServer;

const REQUESTS: usize = 50_000;
const LAPTOPS: usize = 12_000;
const DONGLES: usize = 5_000;
const SEATS: i32 = 3_000;
const TIERS: [(i32, i32); 6] = [(4, 128), (8, 128), (8, 256), (16, 256), (16, 512), (32, 1024)];
const TRACKS: [&str; 6] =
    ["coder", "data_analyst", "growth_hacker", "ux_designer", "tech_administrator", "other"];

/// Fills the database straight through the store (no HTTP), seeded for repeatability.
fn seed(conn: &mut store::DbConnection) {
    let mut rng = StdRng::seed_from_u64(20_261_125);
    let now = store::now();
    let today = Utc::now().date_naive();
    store::write_tx(conn, |conn| -> Result<(), diesel::result::Error> {
        let hub_ids: Vec<String> = (0..5)
            .map(|i| {
                let id = store::new_id();
                hubs::insert(
                    conn,
                    &hubs::NewHub {
                        id: &id,
                        name: &format!("Hub {i}"),
                        address: "Street 1",
                        opening_hours: None,
                        created_at: now,
                        updated_at: now,
                    },
                )
                .map(|h| h.id)
            })
            .collect::<Result<_, _>>()?;
        for i in 0..5 {
            store::matching::set_travel_cost(
                conn,
                &hub_ids[i],
                &hub_ids[(i + 1) % 5],
                3 + i as i32 % 3,
                now,
            )?;
        }
        let donor = store::new_id();
        organisations::insert(
            conn,
            &organisations::NewOrganisation {
                id: &donor,
                name: "Bench donor",
                kind: "donor",
                created_at: now,
                updated_at: now,
            },
        )?;
        let schools: Vec<String> = (0..40)
            .map(|i| {
                let id = store::new_id();
                organisations::insert(
                    conn,
                    &organisations::NewOrganisation {
                        id: &id,
                        name: &format!("School {i}"),
                        kind: "school",
                        created_at: now,
                        updated_at: now,
                    },
                )
                .map(|o| o.id)
            })
            .collect::<Result<_, _>>()?;
        let admin = devicepool::store::users::find_by_email(conn, "bench@pool.example")?.expect("admin").id;
        let donation_id = store::new_id();
        donations::insert(
            conn,
            &donations::NewDonation {
                id: &donation_id,
                donor_id: &donor,
                expected_hub_id: None,
                expected_date: None,
                note: None,
                state: "received",
                gifts_allowed: false,
                created_by: &admin,
                created_at: now,
                updated_at: now,
            },
        )?;
        let rows: Vec<devices::NewDevice> = (0..LAPTOPS + DONGLES)
            .map(|i| {
                let laptop = i < LAPTOPS;
                let (ram, storage) = TIERS[rng.gen_range(0..TIERS.len())];
                devices::NewDevice {
                    id: store::new_id(),
                    kind: if laptop { "laptop" } else { "wifi_dongle" }.into(),
                    serial_number: format!("B{i:07}"),
                    asset_tag: format!("DPB-{i:07}"),
                    model: "Bench model".into(),
                    state: "received".into(),
                    hub_id: Some(hub_ids[rng.gen_range(0..5)].clone()),
                    donation_id: donation_id.clone(),
                    donor_id: donor.clone(),
                    ram_gb: laptop.then_some(ram),
                    storage_gb: laptop.then_some(storage),
                    cpu: None,
                    screen_inches: None,
                    os: None,
                    keyboard_layout: None,
                    charger_included: None,
                    carrier: None,
                    data_allowance_gb: None,
                    plan_ends_on: None,
                    weight_kg: None,
                    created_at: now,
                    updated_at: now,
                }
            })
            .collect();
        devices::insert_many(conn, &rows)?;
        // Intake (wipe, grade, release) is not what is measured here: straight to available.
        conn.batch_execute("UPDATE devices SET grade = 'B', state = 'available'")?;
        for (product, seats) in [
            ("figma", SEATS / 3),
            ("jetbrains-all-products", SEATS / 3),
            ("power-bi-pro", SEATS - 2 * (SEATS / 3)),
        ] {
            let id = store::new_id();
            licences::insert(
                conn,
                &licences::NewLicence {
                    id: &id,
                    product,
                    vendor: "Vendor",
                    seats,
                    expires_on: None,
                    licence_key: "K",
                    donation_id: &donation_id,
                    donor_id: &donor,
                    created_at: now,
                    updated_at: now,
                },
            )?;
        }
        let mut student_rows = Vec::with_capacity(REQUESTS);
        let mut kinds = Vec::with_capacity(REQUESTS);
        for i in 0..REQUESTS {
            let roll: f64 = rng.gen();
            let kind = if roll < 0.6 {
                "laptop"
            } else if roll < 0.85 {
                "connectivity"
            } else {
                "licence"
            };
            let start = today + chrono::Duration::days(rng.gen_range(-30..90));
            student_rows.push(students::NewStudent {
                id: store::new_id(),
                school_id: schools[rng.gen_range(0..schools.len())].clone(),
                name: format!("Student {i}"),
                email: Some(format!("student{i}@bench.example")),
                preferred_language: "nl".into(),
                track: TRACKS[rng.gen_range(0..TRACKS.len())].into(),
                programme_start: start,
                programme_end: start + chrono::Duration::days(270),
                hub_id: Some(hub_ids[rng.gen_range(0..5)].clone()),
                lacks_laptop: kind == "laptop",
                lacks_connectivity: kind == "connectivity",
                lacks_software: kind == "licence",
                target_group: None,
                created_at: now,
                updated_at: now,
            });
            kinds.push(kind);
        }
        students::insert_many(conn, &student_rows)?;
        let products = ["figma", "jetbrains-all-products", "power-bi-pro"];
        let ids: Vec<String> = (0..REQUESTS).map(|_| store::new_id()).collect();
        let request_rows: Vec<requests::NewRequest> = student_rows
            .iter()
            .zip(&kinds)
            .zip(&ids)
            .map(|((s, kind), id)| requests::NewRequest {
                id,
                student_id: &s.id,
                school_id: &s.school_id,
                kind,
                product: (*kind == "licence").then(|| products[s.id.len() % 3]),
                needed_by: s.programme_start,
                travel_ok: s.id.ends_with(['0', '2', '4', '6', '8', 'a', 'c', 'e']),
                state: "pending",
                created_by: Some(&admin),
                created_at: now,
                updated_at: now,
            })
            .collect();
        requests::insert_many(conn, &request_rows)?;
        Ok(())
    })
    .expect("seed");
}

async fn run(backend: &str) {
    let server = BenchServer::start(
        backend,
        |_| {},
        |conn| {
            let start = Instant::now();
            seed(conn);
            eprintln!("{backend}: seeded in {:.1} s", start.elapsed().as_secs_f64());
            if let store::DbConnection::Pg(pg) = conn {
                pg.batch_execute("ANALYZE").expect("analyze");
            }
        },
    )
    .await;
    let (base, client, token) = (&server.base, &server.client, &server.token);
    for dry_run in [true, false] {
        let start = Instant::now();
        let res = client
            .post(format!("{base}/api/v1/allocations/run"))
            .bearer_auth(token)
            .json(&json!({"dry_run": dry_run}))
            .send()
            .await
            .expect("run");
        let status = res.status();
        let body: Value = res.json().await.expect("json");
        let took = start.elapsed().as_secs_f64();
        assert_eq!(status, 200, "{body}");
        println!(
            "| {backend} | {} | {:.2} s | {} | {} |",
            if dry_run { "dry run" } else { "run (writes)" },
            took,
            body["proposals"].as_array().map_or(0, Vec::len),
            body["unserved"].as_array().map_or(0, Vec::len),
        );
    }
    server.finish();
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    println!("| backend | call | time (HTTP, end to end) | proposals | unserved |");
    println!("| --- | --- | --- | --- | --- |");
    runtime.block_on(run("sqlite"));
    if std::env::var("DEVICEPOOL_BENCH_PG_URL").is_ok() {
        runtime.block_on(run("postgres"));
    }
}
