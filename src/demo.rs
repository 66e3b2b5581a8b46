//! `seed-demo`: a small, realistic data set to try the service with. Idempotent, and it
//! refuses a database that holds anything that is not demo data.

use anyhow::{bail, Context};
use secrecy::SecretString;

use chrono::{Duration, Utc};

use crate::auth::password::hash_blocking;
use crate::configuration::Settings;
use crate::domain::device::{DeviceKind, Grade, Verification, WipeMethod};
use crate::domain::device_spec::DeviceSpec;
use crate::domain::request::RequestKind;
use crate::domain::student::{Language, StudentSpec, TargetGroup, Track};
use crate::domain::Role;
use crate::error::ApiError;
use crate::store::{
    self, donations, hubs, licences, meta, organisations, requests, students, users, DbConnection,
};
use crate::workflows::devices::{apply, register, TransitionRequest};

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "devicepool-demo";
const MARKER: &str = "demo_data";
const INVENTORY_MARKER: &str = "demo_inventory";
const STUDENTS_MARKER: &str = "demo_students";
const MATCHING_MARKER: &str = "demo_matching";
const LOANS_MARKER: &str = "demo_loans";
const CLASS_SETS_MARKER: &str = "demo_class_sets";

/// Demo students: (school, name, email, language, track, starts in days, lacks laptop,
/// lacks connectivity, lacks software, target group, hub). Their needs are requested.
#[allow(clippy::type_complexity)]
pub const STUDENTS: [(&str, &str, &str, Language, Track, i64, bool, bool, bool, TargetGroup, &str); 6] = [
    (
        "Codeschool Zuidoost",
        "Ayla Demir",
        "ayla.demir@student.example",
        Language::Nl,
        Track::DataAnalyst,
        -5,
        true,
        false,
        true,
        TargetGroup::UnderrepresentedAcademy,
        "Hub Zuidoost",
    ),
    (
        "Codeschool Zuidoost",
        "Mohamed El Amrani",
        "mohamed.elamrani@student.example",
        Language::Nl,
        Track::Coder,
        14,
        true,
        true,
        false,
        TargetGroup::Unemployed,
        "Hub Zuidoost",
    ),
    (
        "Codeschool Zuidoost",
        "Sanne de Wit",
        "sanne.dewit@student.example",
        Language::Nl,
        Track::UxDesigner,
        30,
        false,
        false,
        true,
        TargetGroup::Corporate40Plus,
        "Hub Nieuw-West",
    ),
    (
        "Codeschool Zuidoost",
        "Kofi Mensah",
        "kofi.mensah@student.example",
        Language::En,
        Track::TechAdministrator,
        21,
        true,
        false,
        false,
        TargetGroup::SmeOwner,
        "Hub Zuidoost",
    ),
    (
        "Data Academy Noord",
        "Priya Raman",
        "priya.raman@student.example",
        Language::En,
        Track::DataAnalyst,
        7,
        true,
        false,
        false,
        TargetGroup::Overqualified,
        "Hub Zaandam",
    ),
    (
        "Data Academy Noord",
        "Jeroen Bakker",
        "jeroen.bakker@student.example",
        Language::Nl,
        Track::GrowthHacker,
        45,
        false,
        true,
        false,
        TargetGroup::Corporate40Plus,
        "Hub Zaandam",
    ),
];

pub const HUBS: [(&str, &str); 3] = [
    ("Hub Zuidoost", "Bijlmerplein 888, 1102 MG Amsterdam"),
    ("Hub Nieuw-West", "Osdorpplein 1000, 1068 TG Amsterdam"),
    ("Hub Zaandam", "Stationsplein 10, 1506 DA Zaandam"),
];

pub const ORGANISATIONS: [(&str, &str); 4] = [
    ("Codeschool Zuidoost", "school"),
    ("Data Academy Noord", "school"),
    ("Northwind Logistics BV", "donor"),
    ("Polder Software BV", "donor"),
];

/// (email, role, organisation name)
pub const ACCOUNTS: [(&str, Role, Option<&str>); 6] = [
    ("admin@devicepool.example", Role::Admin, None),
    ("staff@devicepool.example", Role::Staff, None),
    ("coordinator@codeschool-zuidoost.example", Role::School, Some("Codeschool Zuidoost")),
    ("coordinator@data-academy-noord.example", Role::School, Some("Data Academy Noord")),
    ("it@northwind.example", Role::Donor, Some("Northwind Logistics BV")),
    ("csr@poldersoftware.example", Role::Donor, Some("Polder Software BV")),
];

/// Adds whatever part of the demo data set is missing. Returns the accounts for printing.
pub fn seed(conn: &mut DbConnection, settings: &Settings) -> anyhow::Result<Vec<(String, Role)>> {
    settings.refuse_in_production("the demo data set")?;
    let hash = hash_blocking(&SecretString::from(DEMO_PASSWORD.to_owned()))?;
    store::write_tx(conn, |conn| -> anyhow::Result<()> {
        let marked = meta::get(conn, MARKER)?.is_some();
        let empty = users::count(conn)? == 0 && organisations::count(conn)? == 0 && hubs::count(conn)? == 0;
        if !marked && !empty {
            bail!(
                "this database already holds real data; the demo data set only goes into an empty database"
            );
        }
        let now = store::now();
        for (name, address) in HUBS {
            if hubs::find_by_name(conn, name)?.is_none() {
                let id = store::new_id();
                hubs::insert(
                    conn,
                    &hubs::NewHub {
                        id: &id,
                        name,
                        address,
                        opening_hours: Some("ma-vr 10:00-17:00"),
                        created_at: now,
                        updated_at: now,
                    },
                )?;
            }
        }
        for (name, kind) in ORGANISATIONS {
            if organisations::find_by_name(conn, name)?.is_none() {
                let id = store::new_id();
                organisations::insert(
                    conn,
                    &organisations::NewOrganisation { id: &id, name, kind, created_at: now, updated_at: now },
                )?;
            }
        }
        for (email, role, org_name) in ACCOUNTS {
            if users::find_by_email(conn, email)?.is_some() {
                continue;
            }
            let org = match org_name {
                Some(name) => {
                    Some(organisations::find_by_name(conn, name)?.context("demo organisation missing")?.id)
                }
                None => None,
            };
            let id = store::new_id();
            users::insert(
                conn,
                &users::NewUser {
                    id: &id,
                    email,
                    role: role.as_str(),
                    organisation_id: org.as_deref(),
                    password_hash: Some(&hash),
                    preferred_language: None,
                    created_at: now,
                    updated_at: now,
                },
            )?;
        }
        if meta::get(conn, INVENTORY_MARKER)?.is_none() {
            seed_inventory(conn).map_err(|e| anyhow::anyhow!("demo inventory: {e}"))?;
            meta::set(conn, INVENTORY_MARKER, "1")?;
        }
        if meta::get(conn, STUDENTS_MARKER)?.is_none() {
            seed_students(conn).map_err(|e| anyhow::anyhow!("demo students: {e}"))?;
            meta::set(conn, STUDENTS_MARKER, "1")?;
        }
        if meta::get(conn, MATCHING_MARKER)?.is_none() {
            // Travel costs between the demo hubs, so matching can send students who may travel.
            let id = |conn: &mut DbConnection, name: &str| -> anyhow::Result<String> {
                Ok(hubs::find_by_name(conn, name)?.context("demo hub missing")?.id)
            };
            for (a, b, cost) in [
                ("Hub Zuidoost", "Hub Nieuw-West", 4),
                ("Hub Nieuw-West", "Hub Zaandam", 3),
                ("Hub Zuidoost", "Hub Zaandam", 6),
            ] {
                let (a, b) = (id(conn, a)?, id(conn, b)?);
                store::matching::set_travel_cost(conn, &a, &b, cost, now)?;
            }
            meta::set(conn, MATCHING_MARKER, "1")?;
        }
        if meta::get(conn, LOANS_MARKER)?.is_none() {
            seed_loans(conn, settings).map_err(|e| anyhow::anyhow!("demo loans: {e}"))?;
            meta::set(conn, LOANS_MARKER, "1")?;
        }
        if meta::get(conn, CLASS_SETS_MARKER)?.is_none() {
            seed_class_set(conn).map_err(|e| anyhow::anyhow!("demo class set: {e}"))?;
            meta::set(conn, CLASS_SETS_MARKER, "1")?;
        }
        meta::set(conn, MARKER, "1")?;
        Ok(())
    })?;
    Ok(ACCOUNTS.iter().map(|(email, role, _)| ((*email).to_owned(), *role)).collect())
}

fn laptop(serial: &str, model: &str, ram_gb: i32, storage_gb: i32, cpu: &str) -> DeviceSpec {
    DeviceSpec {
        kind: DeviceKind::Laptop,
        serial_number: serial.to_owned(),
        model: model.to_owned(),
        ram_gb: Some(ram_gb),
        storage_gb: Some(storage_gb),
        cpu: Some(cpu.to_owned()),
        screen_inches: Some(14.0),
        os: Some("Windows 11 Pro".to_owned()),
        keyboard_layout: Some("US-International".to_owned()),
        charger_included: Some(true),
        carrier: None,
        data_allowance_gb: None,
        plan_ends_on: None,
        weight_kg: None,
    }
}

fn dongle(serial: &str) -> DeviceSpec {
    DeviceSpec {
        kind: DeviceKind::WifiDongle,
        serial_number: serial.to_owned(),
        model: "Huawei E5576-320".to_owned(),
        ram_gb: None,
        storage_gb: None,
        cpu: None,
        screen_inches: None,
        os: None,
        keyboard_layout: None,
        charger_included: None,
        carrier: Some("KPN".to_owned()),
        data_allowance_gb: Some(50),
        plan_ends_on: Some(Utc::now().date_naive() + Duration::days(300)),
        weight_kg: None,
    }
}

/// Steps that take a pledged device as far as `steps` says, as the demo staff member.
fn prepare(
    conn: &mut DbConnection,
    staff: &str,
    id: &str,
    steps: usize,
    grade: Grade,
) -> Result<(), ApiError> {
    let plan = [
        TransitionRequest::Receive { hub_id: None, note: None },
        TransitionRequest::Wipe {
            method: WipeMethod::NistPurge,
            certificate_ref: format!("DEMO-{}", &id[id.len() - 6..]),
            tool: Some("Blancco Drive Eraser".to_owned()),
            tool_version: Some("7.9".to_owned()),
            technique: Some("NVMe sanitize, crypto erase".to_owned()),
            verification_method: Some("full verification".to_owned()),
            verification_result: Some(Verification::Passed),
            media_serial: None,
            note: None,
        },
        TransitionRequest::Grade { grade, note: None },
        TransitionRequest::Release { note: None },
    ];
    for step in plan.iter().take(steps) {
        apply(conn, id, staff, step)?;
    }
    Ok(())
}

/// Two donations with kit at every stage of intake, and two licences.
fn seed_inventory(conn: &mut DbConnection) -> Result<(), ApiError> {
    let find_org = |conn: &mut DbConnection, name: &str| -> Result<String, ApiError> {
        Ok(organisations::find_by_name(conn, name)?
            .ok_or_else(|| ApiError::internal("demo organisation missing"))?
            .id)
    };
    let find_hub = |conn: &mut DbConnection, name: &str| -> Result<String, ApiError> {
        Ok(hubs::find_by_name(conn, name)?.ok_or_else(|| ApiError::internal("demo hub missing"))?.id)
    };
    let staff = users::find_by_email(conn, "staff@devicepool.example")?
        .ok_or_else(|| ApiError::internal("demo staff missing"))?
        .id;
    let now = store::now();
    let donation = |conn: &mut DbConnection,
                    donor: &str,
                    hub: &str,
                    note: &str|
     -> Result<donations::Donation, ApiError> {
        let id = store::new_id();
        let new = donations::NewDonation {
            id: &id,
            donor_id: donor,
            expected_hub_id: Some(hub),
            expected_date: Some(Utc::now().date_naive()),
            note: Some(note),
            state: "pledged",
            // The demo's donors let their kit be given away, so the gift can be tried.
            gifts_allowed: true,
            created_by: &staff,
            created_at: now,
            updated_at: now,
        };
        let d = donations::insert(conn, &new)?;
        donations::mark_received(conn, &d.id, &staff, now)?;
        Ok(donations::find(conn, &d.id)?)
    };
    let northwind = find_org(conn, "Northwind Logistics BV")?;
    let polder = find_org(conn, "Polder Software BV")?;
    let zuidoost = find_hub(conn, "Hub Zuidoost")?;
    let zaandam = find_hub(conn, "Hub Zaandam")?;

    let gift = donation(conn, &northwind, &zuidoost, "Office refresh: laptops and spare 4G dongles")?;
    let specs = vec![
        laptop("5CG1230001", "HP EliteBook 840 G7", 16, 512, "Intel Core i5 (10th gen)"),
        laptop("5CG1230002", "HP EliteBook 840 G7", 16, 512, "Intel Core i5 (10th gen)"),
        laptop("5CG1230003", "HP EliteBook 840 G6", 8, 256, "Intel Core i5 (8th gen)"),
        laptop("5CG1230004", "HP EliteBook 840 G6", 8, 256, "Intel Core i5 (8th gen)"),
        laptop("5CG1230005", "HP ProBook 450 G8", 8, 256, "Intel Core i5 (11th gen)"),
        laptop("5CG1230006", "HP ProBook 450 G8", 8, 256, "Intel Core i5 (11th gen)"),
        laptop("5CG1230007", "HP ZBook Firefly 14 G8", 32, 1024, "Intel Core i7 (11th gen)"),
        laptop("5CG1230008", "HP ProBook 440 G7", 8, 256, "Intel Core i3 (10th gen)"),
        dongle("862123450001"),
        dongle("862123450002"),
    ];
    let ids = register(conn, &gift, None, specs, &staff, "demo")?;
    // Steps per device: 4 = available, 3 = graded, 2 = wiped, 1 = received, 0 = pledged.
    let plan = [
        (4, Grade::A),
        (4, Grade::B),
        (4, Grade::B),
        (4, Grade::C),
        (3, Grade::B),
        (2, Grade::B),
        (1, Grade::A),
        (0, Grade::A),
        (4, Grade::A),
        (4, Grade::B),
    ];
    for (id, (steps, grade)) in ids.iter().zip(plan) {
        prepare(conn, &staff, id, steps, grade)?;
    }

    let gift = donation(conn, &polder, &zaandam, "Design and developer licences, two laptops")?;
    let ids = register(
        conn,
        &gift,
        None,
        vec![
            laptop("PF2ABCD1", "Lenovo ThinkPad T14 Gen 2", 16, 512, "AMD Ryzen 5 PRO 5650U"),
            laptop("PF2ABCD2", "Lenovo ThinkPad T14 Gen 2", 16, 512, "AMD Ryzen 5 PRO 5650U"),
        ],
        &staff,
        "demo",
    )?;
    for id in &ids {
        prepare(conn, &staff, id, 4, Grade::A)?;
    }
    let next_year = Utc::now().date_naive() + Duration::days(365);
    for (product, vendor, seats, key) in [
        ("figma", "Figma Inc.", 10, "DEMO-FIGMA-EDU-0001"),
        ("jetbrains-all-products", "JetBrains s.r.o.", 25, "DEMO-JB-0001"),
    ] {
        let id = store::new_id();
        licences::insert(
            conn,
            &licences::NewLicence {
                id: &id,
                product,
                vendor,
                seats,
                expires_on: Some(next_year),
                licence_key: key,
                donation_id: &gift.id,
                donor_id: &polder,
                created_at: now,
                updated_at: now,
            },
        )?;
    }
    Ok(())
}

/// Six students at two schools, each with a request for what they lack.
/// A laptop run as staff would make it: of its proposals, the first becomes a loan the
/// student has accepted and picked up, the second a loan waiting at the hub; the rest stay
/// proposed, for staff to confirm or reject.
fn seed_loans(conn: &mut DbConnection, settings: &Settings) -> Result<(), ApiError> {
    use crate::workflows::{allocations, loans};
    let today = Utc::now().date_naive();
    let staff = users::find_by_email(conn, "staff@devicepool.example")?
        .ok_or_else(|| ApiError::internal("demo staff missing"))?
        .id;
    let scope = allocations::Scope { kinds: vec![RequestKind::Laptop], ..Default::default() };
    let plan = allocations::plan(conn, settings, &scope, today)?;
    let written = allocations::apply_plan(conn, &plan, &staff, today)?;
    for (n, proposal) in written.iter().take(2).enumerate() {
        let loan = allocations::confirm(conn, &settings.loans, &proposal.id, &staff, today)?;
        if n == 0 {
            // The student signed in (which makes their account) and accepted the agreement.
            let student = students::find(conn, &loan.student_id)?;
            let email = student.email.ok_or_else(|| ApiError::internal("demo student without email"))?;
            let account = users::find_or_create_for_student(
                conn,
                &loan.student_id,
                &email,
                &student.preferred_language,
                store::now(),
            )?;
            loans::accept(conn, &loan.id, &account.id, &settings.loans.agreement_version)?;
            loans::hand_over(conn, settings, &loan.id, &staff)?;
        }
    }
    Ok(())
}

/// A school without laptops of its own asks for a class set for a ten-week course, for staff to
/// offer: the pool's waiting students still come first.
fn seed_class_set(conn: &mut DbConnection) -> Result<(), ApiError> {
    let school = organisations::find_by_name(conn, "Data Academy Noord")?
        .ok_or_else(|| ApiError::internal("demo school missing"))?;
    let by = users::find_by_email(conn, "coordinator@data-academy-noord.example")?
        .ok_or_else(|| ApiError::internal("demo coordinator missing"))?;
    let hub =
        hubs::find_by_name(conn, "Hub Zuidoost")?.ok_or_else(|| ApiError::internal("demo hub missing"))?;
    let starts_on = Utc::now().date_naive() + Duration::days(21);
    let (now, id, course) = (store::now(), store::new_id(), "Data basics, groep 3");
    store::class_sets::insert(
        conn,
        &store::class_sets::NewClassSet {
            id: &id,
            school_id: &school.id,
            kind: "laptop",
            count: 8,
            starts_on,
            ends_on: starts_on + Duration::weeks(10),
            hub_id: &hub.id,
            course,
            course_key: &crate::domain::class_set::course_key(course),
            state: "requested",
            created_by: &by.id,
            created_at: now,
            updated_at: now,
        },
    )?;
    Ok(())
}

fn seed_students(conn: &mut DbConnection) -> Result<(), ApiError> {
    let today = Utc::now().date_naive();
    let coordinator = |conn: &mut DbConnection, school: &str| -> Result<String, ApiError> {
        let email = match school {
            "Codeschool Zuidoost" => "coordinator@codeschool-zuidoost.example",
            _ => "coordinator@data-academy-noord.example",
        };
        Ok(users::find_by_email(conn, email)?
            .ok_or_else(|| ApiError::internal("demo coordinator missing"))?
            .id)
    };
    for (school, name, email, language, track, starts_in, laptop, connectivity, software, group, hub) in
        STUDENTS
    {
        let school_id = organisations::find_by_name(conn, school)?
            .ok_or_else(|| ApiError::internal("demo school missing"))?
            .id;
        let hub_id = hubs::find_by_name(conn, hub)?.map(|h| h.id);
        let start = today + Duration::days(starts_in);
        let spec = StudentSpec {
            name: name.to_owned(),
            email: email.to_owned(),
            preferred_language: language,
            track,
            programme_start: start,
            programme_end: start + Duration::days(270),
            lacks_laptop: laptop,
            lacks_connectivity: connectivity,
            lacks_software: software,
            target_group: Some(group),
        };
        let now = store::now();
        let row = crate::workflows::students::new_student(&school_id, spec, hub_id, now);
        students::insert_many(conn, std::slice::from_ref(&row))?;
        let by = coordinator(conn, school)?;
        let product = match track {
            Track::UxDesigner => Some("figma"),
            Track::DataAnalyst => Some("power-bi-pro"),
            _ => Some("jetbrains-all-products"),
        };
        for (kind, wanted) in [
            (RequestKind::Laptop, laptop),
            (RequestKind::Connectivity, connectivity),
            (RequestKind::Licence, software),
        ] {
            if !wanted {
                continue;
            }
            let id = store::new_id();
            requests::insert(
                conn,
                &requests::NewRequest {
                    id: &id,
                    student_id: &row.id,
                    school_id: &school_id,
                    kind: kind.as_str(),
                    product: if kind == RequestKind::Licence { product } else { None },
                    needed_by: start,
                    travel_ok: starts_in > 20,
                    state: "pending",
                    created_by: Some(&by),
                    created_at: now,
                    updated_at: now,
                },
            )?;
        }
    }
    Ok(())
}
