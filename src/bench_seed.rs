//! `devicepool seed-bench`: a programme-sized data set for benchmarks, made up but shaped like
//! the real thing (BENCHMARKS.md describes it). Two years of history: devices come in through
//! intake (receive, wipe, grade, release), each is lent to one student after another with a
//! few days of turnaround between loans, a few are lost or retired; licence seats are lent
//! too; students wait in the queue for what is left. Every loan has its request and its
//! confirmed allocation, and every device step its history event, as the API would write them.
//!
//! Rows go in by the thousand, one transaction per batch of devices, so memory stays flat
//! however many loans are asked for. The same seed gives the same data.

use std::collections::HashSet;

use anyhow::{bail, Context};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::store::schema::{devices, loans, requests};
use crate::store::{
    self, allocations, devices as device_store, donations, hubs, licences, organisations, students, users,
    DbConnection,
};

/// How big a programme to make.
#[derive(Debug, Clone, Copy)]
pub struct BenchSize {
    pub students: usize,
    pub devices: usize,
    pub loans: usize,
    pub seed: u64,
}

/// What was made.
#[derive(Debug, Default)]
pub struct Seeded {
    pub students: usize,
    pub devices: usize,
    pub loans: usize,
    pub waiting: usize,
    pub device_events: usize,
}

const HUBS: [&str; 8] = [
    "Hub Amsterdam-Noord",
    "Hub Zuidoost",
    "Hub Nieuw-West",
    "Hub Zaandam",
    "Hub Almere",
    "Hub Haarlem",
    "Hub Utrecht",
    "Hub Rotterdam-Zuid",
];
const SCHOOLS: usize = 60;
const DONORS: usize = 25;
const LICENCES: [&str; 3] = ["figma", "jetbrains-all-products", "power-bi-pro"];
const TRACKS: [&str; 6] =
    ["coder", "data_analyst", "growth_hacker", "ux_designer", "tech_administrator", "other"];
const TARGET_GROUPS: [&str; 5] =
    ["corporate_40_plus", "underrepresented_academy", "unemployed", "sme_owner", "overqualified"];
/// Days of history.
const WINDOW: i64 = 730;
/// Devices per transaction.
const CHUNK: usize = 1000;

#[derive(Insertable)]
#[diesel(table_name = devices)]
struct SeedDevice {
    id: String,
    kind: &'static str,
    serial_number: String,
    asset_tag: String,
    model: &'static str,
    state: &'static str,
    grade: Option<&'static str>,
    hub_id: Option<String>,
    donation_id: String,
    donor_id: String,
    ram_gb: Option<i32>,
    storage_gb: Option<i32>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = requests)]
struct SeedRequest {
    id: String,
    student_id: String,
    school_id: String,
    kind: &'static str,
    product: Option<&'static str>,
    needed_by: NaiveDate,
    travel_ok: bool,
    state: &'static str,
    created_by: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    closed_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = loans)]
struct SeedLoan {
    id: String,
    allocation_id: String,
    request_id: String,
    student_id: String,
    school_id: String,
    kind: &'static str,
    product: Option<&'static str>,
    device_id: Option<String>,
    licence_id: Option<String>,
    hub_id: Option<String>,
    state: &'static str,
    due_on: NaiveDate,
    agreement_version: Option<&'static str>,
    accepted_at: Option<NaiveDateTime>,
    handed_over_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
    created_by: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

struct Student {
    id: String,
    school_id: String,
    hub_id: String,
}

/// A device history event: device, when, action, from state, to state.
type SeedEvent = (String, NaiveDateTime, &'static str, Option<&'static str>, &'static str);

/// A confirmed allocation: id, request, device, licence, when.
struct SeedAllocation {
    id: String,
    request_id: String,
    device_id: Option<String>,
    licence_id: Option<String>,
    created_at: NaiveDateTime,
}

/// The rows of one batch, written together.
#[derive(Default)]
struct Batch {
    devices: Vec<SeedDevice>,
    events: Vec<SeedEvent>,
    requests: Vec<SeedRequest>,
    allocations: Vec<SeedAllocation>,
    loans: Vec<SeedLoan>,
}

fn at(day: NaiveDate, hour: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN))
}

/// Fills an empty database; refuses one that already holds students or devices.
pub fn seed(conn: &mut DbConnection, size: BenchSize, today: NaiveDate) -> anyhow::Result<Seeded> {
    use crate::store::schema::students as student_table;
    let existing: i64 = student_table::table.count().get_result::<i64>(conn)?
        + devices::table.count().get_result::<i64>(conn)?;
    if existing > 0 {
        bail!("seed-bench fills an empty database only; this one already has students or devices");
    }
    let mut rng = StdRng::seed_from_u64(size.seed);
    let now = store::now();
    let start = today - Duration::days(WINDOW);
    let mut seeded = Seeded::default();

    // Organisations, hubs, donations, licences and the account the rows are made by.
    let (actor, hub_ids, schools, donor_donations, licence_ids) =
        store::write_tx(conn, |conn| -> anyhow::Result<_> {
            let actor = store::new_id();
            users::insert(
                conn,
                &users::NewUser {
                    id: &actor,
                    email: "seed-bench@devicepool.invalid",
                    role: "staff",
                    organisation_id: None,
                    password_hash: None,
                    preferred_language: None,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            let mut hub_ids = Vec::new();
            for name in HUBS {
                let id = store::new_id();
                hubs::insert(
                    conn,
                    &hubs::NewHub {
                        id: &id,
                        name,
                        address: "Stationsplein 1",
                        opening_hours: None,
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                hub_ids.push(id);
            }
            let org = |conn: &mut DbConnection, name: String, kind: &str| -> anyhow::Result<String> {
                let id = store::new_id();
                organisations::insert(
                    conn,
                    &organisations::NewOrganisation {
                        id: &id,
                        name: &name,
                        kind,
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                Ok(id)
            };
            let schools: Vec<String> = (0..SCHOOLS)
                .map(|i| org(conn, format!("Bench school {i:02}"), "school"))
                .collect::<Result<_, _>>()?;
            let mut donor_donations = Vec::new();
            for i in 0..DONORS {
                let donor = org(conn, format!("Bench donor {i:02}"), "donor")?;
                let donation = store::new_id();
                donations::insert(
                    conn,
                    &donations::NewDonation {
                        id: &donation,
                        donor_id: &donor,
                        expected_hub_id: None,
                        expected_date: None,
                        note: None,
                        state: "received",
                        gifts_allowed: false,
                        created_by: &actor,
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                donor_donations.push((donor, donation));
            }
            let mut licence_ids = Vec::new();
            for (i, product) in LICENCES.iter().enumerate() {
                let (donor, donation) = &donor_donations[i % DONORS];
                let id = store::new_id();
                licences::insert(
                    conn,
                    &licences::NewLicence {
                        id: &id,
                        product,
                        vendor: "Vendor",
                        seats: 100_000,
                        expires_on: None,
                        licence_key: "BENCH-KEY",
                        donation_id: donation,
                        donor_id: donor,
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                licence_ids.push((id, *product));
            }
            Ok((actor, hub_ids, schools, donor_donations, licence_ids))
        })?;

    // Students, their programmes spread over the two years and the next three months.
    let mut all_students = Vec::with_capacity(size.students);
    for chunk_start in (0..size.students).step_by(5000) {
        let rows: Vec<students::NewStudent> = (chunk_start..(chunk_start + 5000).min(size.students))
            .map(|i| {
                let programme_start = start + Duration::days(rng.gen_range(0..WINDOW + 90));
                let hub = hub_ids[rng.gen_range(0..hub_ids.len())].clone();
                let school = schools[rng.gen_range(0..schools.len())].clone();
                all_students.push(Student {
                    id: store::new_id(),
                    school_id: school.clone(),
                    hub_id: hub.clone(),
                });
                let id = all_students[i].id.clone();
                students::NewStudent {
                    id,
                    school_id: school,
                    name: format!("Bench student {i}"),
                    email: Some(format!("student{i}@bench.invalid")),
                    preferred_language: if rng.gen_bool(0.7) { "nl" } else { "en" }.into(),
                    track: TRACKS[rng.gen_range(0..TRACKS.len())].into(),
                    programme_start,
                    programme_end: programme_start + Duration::days(rng.gen_range(180..360)),
                    hub_id: Some(hub),
                    lacks_laptop: rng.gen_bool(0.6),
                    lacks_connectivity: rng.gen_bool(0.3),
                    lacks_software: rng.gen_bool(0.2),
                    target_group: rng
                        .gen_bool(0.8)
                        .then(|| TARGET_GROUPS[rng.gen_range(0..TARGET_GROUPS.len())].to_owned()),
                    created_at: at(programme_start - Duration::days(30), 9),
                    updated_at: now,
                }
            })
            .collect();
        store::write_tx(conn, |conn| students::insert_many(conn, &rows))?;
    }
    seeded.students = size.students;
    if all_students.is_empty() {
        bail!("--students must be at least 1");
    }

    // About one in ten loans is a licence seat; the rest go along chains of loans per device.
    // Chains cut short (a device lost, or still out) leave their loans to licence seats.
    let device_loans = size.loans - size.loans / 10;
    let per_device = |i: usize| {
        device_loans.checked_div(size.devices).unwrap_or(0)
            + usize::from(i < device_loans.checked_rem(size.devices).unwrap_or(0))
    };
    // Students holding an open loan of a kind: at most one each (as the schema demands).
    let mut holding: HashSet<(usize, &'static str)> = HashSet::new();
    let mut serial = 0usize;
    for chunk_start in (0..size.devices).step_by(CHUNK) {
        let mut batch = Batch::default();
        for d in chunk_start..(chunk_start + CHUNK).min(size.devices) {
            let laptop = rng.gen_bool(0.7);
            let kind = if laptop { "laptop" } else { "wifi_dongle" };
            let loan_kind = if laptop { "laptop" } else { "connectivity" };
            let (donor, donation) = donor_donations[rng.gen_range(0..DONORS)].clone();
            let hub = hub_ids[rng.gen_range(0..hub_ids.len())].clone();
            let id = store::new_id();
            serial += 1;
            let intake = start + Duration::days(rng.gen_range(0..60));
            let steps: &[(&'static str, Option<&'static str>, &'static str)] = if laptop {
                &[
                    ("receive", Some("pledged"), "received"),
                    ("wipe", Some("received"), "wiped"),
                    ("grade", Some("wiped"), "graded"),
                    ("release", Some("graded"), "available"),
                ]
            } else {
                &[
                    ("receive", Some("pledged"), "received"),
                    ("grade", Some("received"), "graded"),
                    ("release", Some("graded"), "available"),
                ]
            };
            for (n, (action, from, to)) in steps.iter().enumerate() {
                batch.events.push((id.clone(), at(intake, 10 + n as u32), action, *from, to));
            }
            let loans_here = per_device(d);
            let slot = (WINDOW - 70) / (loans_here.max(1) as i64);
            let mut t = intake + Duration::days(rng.gen_range(1..10));
            let mut state = "available";
            for n in 0..loans_here {
                let length = (slot as f64 * rng.gen_range(0.6..0.9)) as i64;
                let handed = t;
                let planned_end = handed + Duration::days(length.max(7));
                let last = n + 1 == loans_here;
                // The last loan of a device is still out unless it ended before today.
                let returned_on = if last && rng.gen_bool(0.5) {
                    None
                } else {
                    Some(planned_end.min(today - Duration::days(1)))
                };
                let lost = returned_on.is_some() && rng.gen_bool(0.02);
                let outcome = match (returned_on, lost) {
                    (None, _) => "active",
                    (Some(_), true) => "lost",
                    (Some(_), false) => "returned",
                };
                let student =
                    pick_student(&mut rng, all_students.len(), loan_kind, outcome == "active", &mut holding)?;
                // Some loans run past their due date.
                let due_on = match outcome {
                    "active" if rng.gen_bool(0.1) => today - Duration::days(rng.gen_range(1..40)),
                    "active" => planned_end.max(today + Duration::days(30)),
                    _ => planned_end,
                };
                push_loan(
                    &mut batch,
                    &mut rng,
                    &all_students[student],
                    (loan_kind, None),
                    (Some(&id), None),
                    handed,
                    due_on,
                    returned_on.map(|r| (outcome, r)),
                    &actor,
                );
                batch.events.push((
                    id.clone(),
                    at(handed - Duration::days(3), 11),
                    "reserve",
                    Some("available"),
                    "reserved",
                ));
                batch.events.push((id.clone(), at(handed, 12), "hand_over", Some("reserved"), "on_loan"));
                match (outcome, returned_on) {
                    ("returned", Some(back)) => {
                        batch.events.push((id.clone(), at(back, 13), "return", Some("on_loan"), "returned"));
                        batch.events.push((
                            id.clone(),
                            at(back, 14),
                            "inspect",
                            Some("returned"),
                            "inspection",
                        ));
                        let ready = back + Duration::days(rng.gen_range(1..5));
                        if laptop {
                            batch.events.push((
                                id.clone(),
                                at(ready, 10),
                                "wipe",
                                Some("inspection"),
                                "wiped",
                            ));
                            batch.events.push((id.clone(), at(ready, 11), "grade", Some("wiped"), "graded"));
                            batch.events.push((
                                id.clone(),
                                at(ready, 12),
                                "release",
                                Some("graded"),
                                "available",
                            ));
                        } else {
                            batch.events.push((
                                id.clone(),
                                at(ready, 12),
                                "release",
                                Some("inspection"),
                                "available",
                            ));
                        }
                        state = "available";
                        t = ready + Duration::days(rng.gen_range(3..((slot - length).max(4) + 3)));
                    }
                    ("lost", Some(back)) => {
                        batch.events.push((id.clone(), at(back, 13), "report_lost", Some("on_loan"), "lost"));
                        state = "lost";
                        break;
                    }
                    _ => {
                        state = "on_loan";
                        break;
                    }
                }
                if t >= today - Duration::days(7) {
                    break;
                }
            }
            if state == "available" && rng.gen_bool(0.03) {
                batch.events.push((
                    id.clone(),
                    at(today - Duration::days(2), 9),
                    "retire",
                    Some("available"),
                    "retired",
                ));
                state = "retired";
            }
            batch.devices.push(SeedDevice {
                id,
                kind,
                serial_number: format!("BENCH{serial:08}"),
                asset_tag: format!("DPB-{serial:08}"),
                model: if laptop { "Lenovo ThinkPad T480" } else { "Huawei E3372" },
                state,
                grade: Some(["A", "B", "C"][rng.gen_range(0..3)]),
                hub_id: Some(hub),
                donation_id: donation,
                donor_id: donor,
                ram_gb: laptop.then_some([8, 16][rng.gen_range(0..2)]),
                storage_gb: laptop.then_some(256),
                created_at: at(intake - Duration::days(5), 9),
                updated_at: now,
            });
        }
        seeded.devices += batch.devices.len();
        write(conn, &batch, &actor, &mut seeded)?;
    }

    // Licence seats, lent for a programme's length each.
    let licence_loans = size.loans.saturating_sub(seeded.loans);
    let mut batch = Batch::default();
    let mut in_use = vec![0i32; licence_ids.len()];
    for n in 0..licence_loans {
        let which = n % licence_ids.len();
        let (licence, product) = &licence_ids[which];
        let handed = start + Duration::days(rng.gen_range(30..WINDOW));
        let end = handed + Duration::days(rng.gen_range(120..300));
        let open = end >= today;
        let student = pick_student(&mut rng, all_students.len(), "licence", open, &mut holding)?;
        push_loan(
            &mut batch,
            &mut rng,
            &all_students[student],
            ("licence", Some(product)),
            (None, Some(licence)),
            handed,
            end,
            (!open).then_some(("returned", end)),
            &actor,
        );
        if open {
            in_use[which] += 1;
        }
        if batch.loans.len() >= 5000 {
            write(conn, &std::mem::take(&mut batch), &actor, &mut seeded)?;
        }
    }
    write(conn, &batch, &actor, &mut seeded)?;
    for ((licence, _), n) in licence_ids.iter().zip(in_use) {
        diesel::update(crate::store::schema::licences::table.find(licence))
            .set(crate::store::schema::licences::seats_in_use.eq(n))
            .execute(conn)?;
    }

    // The queue: one student in ten waits for something, for up to four months.
    let mut waiting = Vec::new();
    for (i, s) in all_students.iter().enumerate().step_by(10) {
        let kind = ["laptop", "connectivity", "licence"][i % 3];
        if holding.contains(&(i, kind)) {
            continue;
        }
        let made = today - Duration::days(rng.gen_range(0..120));
        waiting.push(SeedRequest {
            id: store::new_id(),
            student_id: s.id.clone(),
            school_id: s.school_id.clone(),
            kind,
            product: (kind == "licence").then_some(LICENCES[i % LICENCES.len()]),
            needed_by: made + Duration::days(rng.gen_range(7..60)),
            travel_ok: rng.gen_bool(0.5),
            state: "pending",
            created_by: Some(actor.clone()),
            created_at: at(made, 10),
            updated_at: at(made, 10),
            closed_at: None,
        });
    }
    seeded.waiting = waiting.len();
    store::write_tx(conn, |conn| insert_requests(conn, &waiting))?;
    Ok(seeded)
}

/// A student for a loan; one who already holds an open loan of this kind is passed over
/// when the loan is still open.
fn pick_student(
    rng: &mut StdRng,
    students: usize,
    kind: &'static str,
    open: bool,
    holding: &mut HashSet<(usize, &'static str)>,
) -> anyhow::Result<usize> {
    for _ in 0..10_000 {
        let s = rng.gen_range(0..students);
        if !open || holding.insert((s, kind)) {
            return Ok(s);
        }
    }
    bail!("too few students for this many loans still out: give more --students")
}

#[allow(clippy::too_many_arguments)]
fn push_loan(
    batch: &mut Batch,
    rng: &mut StdRng,
    student: &Student,
    (kind, product): (&'static str, Option<&'static str>),
    (device, licence): (Option<&str>, Option<&str>),
    handed: NaiveDate,
    due_on: NaiveDate,
    closed: Option<(&'static str, NaiveDate)>,
    actor: &str,
) {
    let request = store::new_id();
    let allocation = store::new_id();
    let made = handed - Duration::days(rng.gen_range(3..40));
    let allocated = at(handed - Duration::days(3), 11);
    batch.requests.push(SeedRequest {
        id: request.clone(),
        student_id: student.id.clone(),
        school_id: student.school_id.clone(),
        kind,
        product,
        needed_by: made + Duration::days(rng.gen_range(7..45)),
        travel_ok: rng.gen_bool(0.5),
        state: "fulfilled",
        created_by: Some(actor.to_owned()),
        created_at: at(made, 10),
        updated_at: at(handed, 12),
        closed_at: Some(at(handed, 12)),
    });
    batch.allocations.push(SeedAllocation {
        id: allocation.clone(),
        request_id: request.clone(),
        device_id: device.map(str::to_owned),
        licence_id: licence.map(str::to_owned),
        created_at: allocated,
    });
    batch.loans.push(SeedLoan {
        id: store::new_id(),
        allocation_id: allocation,
        request_id: request,
        student_id: student.id.clone(),
        school_id: student.school_id.clone(),
        kind,
        product,
        device_id: device.map(str::to_owned),
        licence_id: licence.map(str::to_owned),
        hub_id: Some(student.hub_id.clone()),
        state: closed.map_or("active", |c| c.0),
        due_on,
        agreement_version: Some("2026-01"),
        accepted_at: Some(at(handed - Duration::days(1), 15)),
        handed_over_at: Some(at(handed, 12)),
        closed_at: closed.map(|(_, day)| at(day, 13)),
        created_by: actor.to_owned(),
        created_at: allocated,
        updated_at: allocated,
    });
}

fn insert_requests(conn: &mut DbConnection, rows: &[SeedRequest]) -> QueryResult<usize> {
    let mut n = 0;
    for chunk in rows.chunks(500) {
        n += crate::with_backend!(&mut *conn, c => diesel::insert_into(requests::table).values(chunk).execute(c))?;
    }
    Ok(n)
}

fn write(conn: &mut DbConnection, batch: &Batch, actor: &str, seeded: &mut Seeded) -> anyhow::Result<()> {
    store::write_tx(conn, |conn| -> anyhow::Result<()> {
        for chunk in batch.devices.chunks(500) {
            crate::with_backend!(&mut *conn, c => diesel::insert_into(devices::table).values(chunk).execute(c))?;
        }
        let events: Vec<device_store::NewDeviceEvent> = batch
            .events
            .iter()
            .map(|(device, at, action, from, to)| device_store::NewDeviceEvent {
                id: store::new_id(),
                device_id: device,
                at: *at,
                actor_id: Some(actor),
                action,
                from_state: *from,
                to_state: to,
                details: "{}".into(),
            })
            .collect();
        device_store::insert_events(conn, &events)?;
        insert_requests(conn, &batch.requests)?;
        let rows: Vec<allocations::NewAllocation> = batch
            .allocations
            .iter()
            .map(|a| allocations::NewAllocation {
                id: &a.id,
                run_id: "seed-bench",
                request_id: &a.request_id,
                device_id: a.device_id.as_deref(),
                licence_id: a.licence_id.as_deref(),
                state: "confirmed",
                priority: 1,
                cost: 0,
                reason: "seed-bench",
                details: "{}",
                created_by: actor,
                created_at: a.created_at,
            })
            .collect();
        allocations::insert_many(conn, &rows)?;
        for chunk in batch.loans.chunks(500) {
            crate::with_backend!(&mut *conn, c => diesel::insert_into(loans::table).values(chunk).execute(c))?;
        }
        Ok(())
    })
    .context("writing a batch of the bench data set")?;
    seeded.loans += batch.loans.len();
    seeded.device_events += batch.events.len();
    Ok(())
}
