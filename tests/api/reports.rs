//! Reports against a hand-built programme whose every figure is worked out below, on
//! whichever backend the suite runs. The data goes straight into the database (reports read
//! history, which the API writes with today's dates); the reports are read over HTTP.
//!
//! The period is the first half of 2026. Donor D1 gave laptops L1–L5 and a 10-seat licence;
//! donor D2 gave laptop L6 and a dongle. Loans (all timestamps at midnight):
//!
//! | loan | kit | student | handed over | closed | state | due | needed by |
//! | A | L2 | s1 | 01-05 | 02-04 | returned | 02-04 | 01-10 (on time) |
//! | B | L2 | s2 | 02-14 | 03-16 | returned | 03-16 | 02-10 (late) |
//! | C | L2 | s3 | 03-20 | 04-19 | returned | 04-19 | 03-25 (on time) |
//! | D | L2 | s4 | 05-01 | — | active | 06-15 | 04-15 (late) |
//! | E | L1 | s5 | 02-01 | 06-10 | returned | 06-10 | 02-01 (on time) |
//! | F | L3 | s6 | 2025-12-01 | 03-01 | lost | 03-01 | 2025-11-30 |
//! | G–L | licence | s7–s12 | 04-01 | — | active | 2099 | 04-01 (on time) |
//! | M | L6 (D2) | s13 | 03-01 | — | active | 2099 | 03-01 (on time) |
//!
//! Each loan's request was made 10 days and its allocation 3 days before the hand-over.
//! Requests still waiting: P1 (laptop, s14, made 04-20, needed by 05-01), P3 (laptop, s16,
//! made 06-01, needed by 2026-12-01) and P2 (connectivity, s15, made today). CX (laptop, s14,
//! made 04-01, needed by 05-01) was cancelled on 04-10.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use devicepool::domain::Role;
use diesel::connection::SimpleConnection;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{problem, spawn_app, TestApp};

const PERIOD: &str = "from=2026-01-01&to=2026-06-30";

fn id(n: u32) -> String {
    // Ids that sort in the order the fixture makes them, as v7 ids do in time.
    format!("00000000-0000-7000-8000-{n:012}")
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

pub(crate) struct Programme {
    pub(crate) staff: String,
    pub(crate) d1: String,
    pub(crate) d2: String,
    pub(crate) s1: String,
    pub(crate) s2: String,
    pub(crate) donor1: String,
    pub(crate) donor2: String,
    pub(crate) school1: String,
    pub(crate) school2: String,
}

/// SQL that both backends take: text ids, 'YYYY-MM-DD[ HH:MM:SS]' literals, TRUE/FALSE.
struct Fixture {
    sql: Vec<String>,
    next: u32,
    actor: String,
}

impl Fixture {
    fn new_id(&mut self) -> String {
        self.next += 1;
        id(self.next)
    }

    fn exec(&mut self, s: String) {
        self.sql.push(s);
    }

    fn org(&mut self, name: &str, kind: &str) -> String {
        let id = self.new_id();
        self.exec(format!(
            "INSERT INTO organisations (id, name, kind, created_at, updated_at) \
             VALUES ('{id}', '{name}', '{kind}', '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        ));
        id
    }

    fn hub(&mut self, name: &str) -> String {
        let id = self.new_id();
        self.exec(format!(
            "INSERT INTO hubs (id, name, address, created_at, updated_at) \
             VALUES ('{id}', '{name}', 'Street 1', '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        ));
        id
    }

    fn donation(&mut self, donor: &str) -> String {
        let id = self.new_id();
        self.exec(format!(
            "INSERT INTO donations (id, donor_id, state, created_by, created_at, updated_at) \
             VALUES ('{id}', '{donor}', 'received', '{}', '2025-01-01 00:00:00', '2025-01-01 00:00:00')",
            self.actor
        ));
        id
    }

    fn device(
        &mut self,
        kind: &str,
        state: &str,
        grade: Option<&str>,
        hub: &str,
        donation: &str,
        donor: &str,
    ) -> String {
        let id = self.new_id();
        let grade = grade.map_or("NULL".to_owned(), |g| format!("'{g}'"));
        let (ram, storage) = if kind == "laptop" { ("8", "256") } else { ("NULL", "NULL") };
        self.exec(format!(
            "INSERT INTO devices (id, kind, serial_number, asset_tag, model, state, grade, hub_id, donation_id, \
             donor_id, ram_gb, storage_gb, created_at, updated_at) VALUES ('{id}', '{kind}', 'SN{id}', 'TAG{id}', \
             'Model', '{state}', {grade}, '{hub}', '{donation}', '{donor}', {ram}, {storage}, \
             '2025-06-01 00:00:00', '2025-06-01 00:00:00')"
        ));
        id
    }

    fn event(&mut self, device: &str, at: &str, from: &str, to: &str) {
        let id = self.new_id();
        self.exec(format!(
            "INSERT INTO device_events (id, device_id, at, action, from_state, to_state, details) \
             VALUES ('{id}', '{device}', '{at} 00:00:00', 'release', '{from}', '{to}', '{{}}')"
        ));
    }

    fn student(&mut self, school: &str, hub: &str, track: &str, group: Option<&str>, end: &str) -> String {
        let id = self.new_id();
        let group = group.map_or("NULL".to_owned(), |g| format!("'{g}'"));
        self.exec(format!(
            "INSERT INTO students (id, school_id, name, email, preferred_language, track, programme_start, \
             programme_end, hub_id, lacks_laptop, lacks_connectivity, lacks_software, target_group, created_at, \
             updated_at) VALUES ('{id}', '{school}', 'Student {id}', NULL, 'nl', '{track}', '2025-09-01', '{end}', \
             '{hub}', TRUE, FALSE, FALSE, {group}, '2025-08-01 00:00:00', '2025-08-01 00:00:00')"
        ));
        id
    }

    #[allow(clippy::too_many_arguments)]
    fn request(
        &mut self,
        student: &str,
        school: &str,
        kind: &str,
        state: &str,
        needed_by: &str,
        made: NaiveDate,
        closed: Option<&str>,
    ) -> String {
        let id = self.new_id();
        let product = if kind == "licence" { "'figma'" } else { "NULL" };
        let closed = closed.map_or("NULL".to_owned(), |c| format!("'{c} 00:00:00'"));
        self.exec(format!(
            "INSERT INTO requests (id, student_id, school_id, kind, product, needed_by, travel_ok, state, \
             created_by, created_at, updated_at, closed_at) VALUES ('{id}', '{student}', '{school}', '{kind}', \
             {product}, '{needed_by}', FALSE, '{state}', '{actor}', '{made} 00:00:00', '{made} 00:00:00', {closed})",
            actor = self.actor
        ));
        id
    }

    /// A loan with its request and allocation; returns the loan id.
    #[allow(clippy::too_many_arguments)]
    fn loan(
        &mut self,
        kit: (&str, &str),
        student: &str,
        school: &str,
        handed: &str,
        closed: Option<(&str, &str)>,
        due: &str,
        needed_by: &str,
    ) -> String {
        let (kind, item) = kit;
        let handed_day = day(handed);
        let request = self.request(
            student,
            school,
            kind,
            "fulfilled",
            needed_by,
            handed_day - chrono::Duration::days(10),
            Some(handed),
        );
        let allocation = self.new_id();
        let (device, licence) = if kind == "licence" {
            ("NULL".to_owned(), format!("'{item}'"))
        } else {
            (format!("'{item}'"), "NULL".to_owned())
        };
        let allocated = handed_day - chrono::Duration::days(3);
        self.exec(format!(
            "INSERT INTO allocations (id, run_id, request_id, device_id, licence_id, state, priority, cost, reason, \
             details, created_by, created_at) VALUES ('{allocation}', 'run', '{request}', {device}, {licence}, \
             'confirmed', 1, 0, 'fixture', '{{}}', '{actor}', '{allocated} 00:00:00')",
            actor = self.actor
        ));
        let loan = self.new_id();
        let (state, closed_at) = match closed {
            Some((state, at)) => (state, format!("'{at} 00:00:00'")),
            None => ("active", "NULL".to_owned()),
        };
        let product = if kind == "licence" { "'figma'" } else { "NULL" };
        self.exec(format!(
            "INSERT INTO loans (id, allocation_id, request_id, student_id, school_id, kind, product, device_id, \
             licence_id, state, due_on, accepted_at, handed_over_at, closed_at, created_by, created_at, updated_at) \
             VALUES ('{loan}', '{allocation}', '{request}', '{student}', '{school}', '{kind}', {product}, {device}, \
             {licence}, '{state}', '{due}', '{allocated} 00:00:00', '{handed} 00:00:00', {closed_at}, '{actor}', \
             '{allocated} 00:00:00', '{allocated} 00:00:00')",
            actor = self.actor
        ));
        loan
    }
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

pub(crate) async fn programme(app: &TestApp) -> Programme {
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let me: Value = app.get("/api/v1/me", &staff).await.json().await.expect("json");
    let mut f = Fixture { sql: Vec::new(), next: 0, actor: me["id"].as_str().expect("id").to_owned() };
    let (d1, d2) = (f.org("Northwind", "donor"), f.org("Contoso", "donor"));
    let (s1, s2) = (f.org("Codeschool A", "school"), f.org("Academy B", "school"));
    let (h1, h2) = (f.hub("Hub Noord"), f.hub("Hub Zuid"));
    let (n1, n2) = (f.donation(&d1), f.donation(&d2));
    let l1 = f.device("laptop", "available", Some("A"), &h1, &n1, &d1);
    let l2 = f.device("laptop", "on_loan", Some("B"), &h1, &n1, &d1);
    let l3 = f.device("laptop", "lost", Some("C"), &h2, &n1, &d1);
    f.device("laptop", "pledged", None, &h1, &n1, &d1);
    f.device("laptop", "retired", Some("C"), &h2, &n1, &d1);
    let l6 = f.device("laptop", "on_loan", Some("A"), &h2, &n2, &d2);
    let g1 = f.device("wifi_dongle", "available", Some("A"), &h2, &n2, &d2);
    let k1 = f.new_id();
    f.exec(format!(
        "INSERT INTO licences (id, product, vendor, seats, seats_in_use, licence_key, donation_id, donor_id, \
         created_at, updated_at) VALUES ('{k1}', 'figma', 'Figma', 10, 6, 'KEY', '{n1}', '{d1}', \
         '2025-06-01 00:00:00', '2025-06-01 00:00:00')"
    ));
    // L1 became available before the period, was lent (E) and came back; G1 came in in March.
    f.event(&l1, "2025-12-20", "graded", "available");
    f.event(&l1, "2026-01-29", "available", "reserved");
    f.event(&l1, "2026-06-12", "graded", "available");
    f.event(&g1, "2026-03-01", "graded", "available");

    let tracks = ["coder", "coder", "coder", "coder", "coder", "coder", "data_analyst", "data_analyst"];
    let ends = ["2026-01-20", "2026-03-01", "2026-04-10", "2026-06-20", "2026-06-30", "2026-02-15"];
    let mut students = Vec::new();
    for i in 0..12 {
        let track = tracks.get(i).copied().unwrap_or(if i < 10 { "data_analyst" } else { "ux_designer" });
        let group = if i < 7 { "unemployed" } else { "sme_owner" };
        let school = if i < 9 { &s1 } else { &s2 };
        let end = ends.get(i).copied().unwrap_or("2026-12-31");
        students.push(f.student(school, &h1, track, Some(group), end));
    }
    let s13 = f.student(&s2, &h2, "coder", None, "2026-12-31");
    let s14 = f.student(&s1, &h1, "coder", None, "2026-12-31");
    let s15 = f.student(&s2, &h2, "coder", None, "2026-12-31");
    let s16 = f.student(&s1, &h1, "coder", None, "2026-12-31");
    let s = |i: usize| students[i].clone();
    let far = "2099-12-31";
    f.loan(
        ("laptop", &l2),
        &s(0),
        &s1,
        "2026-01-05",
        Some(("returned", "2026-02-04")),
        "2026-02-04",
        "2026-01-10",
    );
    f.loan(
        ("laptop", &l2),
        &s(1),
        &s1,
        "2026-02-14",
        Some(("returned", "2026-03-16")),
        "2026-03-16",
        "2026-02-10",
    );
    f.loan(
        ("laptop", &l2),
        &s(2),
        &s1,
        "2026-03-20",
        Some(("returned", "2026-04-19")),
        "2026-04-19",
        "2026-03-25",
    );
    f.loan(("laptop", &l2), &s(3), &s1, "2026-05-01", None, "2026-06-15", "2026-04-15");
    f.loan(
        ("laptop", &l1),
        &s(4),
        &s1,
        "2026-02-01",
        Some(("returned", "2026-06-10")),
        "2026-06-10",
        "2026-02-01",
    );
    f.loan(
        ("laptop", &l3),
        &s(5),
        &s1,
        "2025-12-01",
        Some(("lost", "2026-03-01")),
        "2026-03-01",
        "2025-11-30",
    );
    for i in 6..12 {
        let school = if i < 9 { &s1 } else { &s2 };
        f.loan(("licence", &k1), &s(i), school, "2026-04-01", None, far, "2026-04-01");
    }
    f.loan(("laptop", &l6), &s13, &s2, "2026-03-01", None, far, "2026-03-01");
    f.request(&s14, &s1, "laptop", "pending", "2026-05-01", day("2026-04-20"), None);
    f.request(&s16, &s1, "laptop", "pending", "2026-12-01", day("2026-06-01"), None);
    f.request(&s15, &s2, "connectivity", "pending", "2027-01-01", today(), None);
    f.request(&s14, &s1, "laptop", "cancelled", "2026-05-01", day("2026-04-01"), Some("2026-04-10"));

    let sql = f.sql.join(";\n");
    app.with_db(move |conn| conn.batch_execute(&sql).expect("fixture")).await;
    let (donor1, _) = app.user_with_role(&admin, Role::Donor, Some(&d1)).await;
    let (donor2, _) = app.user_with_role(&admin, Role::Donor, Some(&d2)).await;
    let (school1, _) = app.user_with_role(&admin, Role::School, Some(&s1)).await;
    let (school2, _) = app.user_with_role(&admin, Role::School, Some(&s2)).await;
    Programme { staff, d1, d2, s1, s2, donor1, donor2, school1, school2 }
}

async fn json_report(app: &TestApp, path: &str, token: &str) -> Value {
    let res = app.get(path, token).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    assert_eq!(res.headers()["content-type"], "application/json");
    // Reports hold personal data (a school's view names students) and depend on Accept.
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert_eq!(res.headers()["vary"], "Accept, Accept-Language");
    res.json().await.expect("json")
}

fn row<'a>(rows: &'a Value, key: &str, value: &str) -> &'a Value {
    rows.as_array()
        .and_then(|r| r.iter().find(|x| x[key] == value))
        .unwrap_or_else(|| panic!("no row with {key} = {value} in {rows}"))
}

#[tokio::test]
async fn the_pool_report_counts_the_hand_built_programme() {
    let app = spawn_app().await;
    let p = programme(&app).await;
    let r = json_report(&app, &format!("/api/v1/reports/pool?{PERIOD}"), &p.staff).await;
    assert_eq!(
        (r["report"]["from"].as_str(), r["report"]["to"].as_str()),
        (Some("2026-01-01"), Some("2026-06-30"))
    );

    let devices: Vec<(String, String, Value, Value, i64)> = r["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .map(|d| {
            (
                d["kind"].as_str().expect("kind").to_owned(),
                d["state"].as_str().expect("state").to_owned(),
                d["grade"].clone(),
                d["hub"].clone(),
                d["count"].as_i64().expect("count"),
            )
        })
        .collect();
    let expected = [
        ("laptop", "available", json!("A"), json!("Hub Noord"), 1),
        ("laptop", "lost", json!("C"), json!("Hub Zuid"), 1),
        ("laptop", "on_loan", json!("A"), json!("Hub Zuid"), 1),
        ("laptop", "on_loan", json!("B"), json!("Hub Noord"), 1),
        ("laptop", "pledged", Value::Null, json!("Hub Noord"), 1),
        ("laptop", "retired", json!("C"), json!("Hub Zuid"), 1),
        ("wifi_dongle", "available", json!("A"), json!("Hub Zuid"), 1),
    ];
    assert_eq!(
        devices,
        expected
            .iter()
            .map(|(k, s, g, h, n)| (k.to_string(), s.to_string(), g.clone(), h.clone(), *n))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        r["licences"],
        json!([{"product": "figma", "licences": 1, "seats": 10, "seats_in_use": 6, "expired_seats": 0}])
    );

    // The queue now: two laptops waited for at Hub Noord, one dongle at Hub Zuid since today.
    let (since_p1, since_p3) =
        ((today() - day("2026-04-20")).num_days(), (today() - day("2026-06-01")).num_days());
    let noord = row(&r["queue"], "hub", "Hub Noord");
    assert_eq!(
        (
            noord["kind"].as_str(),
            noord["waiting"].as_i64(),
            noord["p50_days"].as_i64(),
            noord["p90_days"].as_i64()
        ),
        (Some("laptop"), Some(2), Some(since_p3), Some(since_p1))
    );
    assert_eq!(noord["longest_days"].as_i64(), Some(since_p1));
    let zuid = row(&r["queue"], "hub", "Hub Zuid");
    assert_eq!(
        (zuid["kind"].as_str(), zuid["waiting"].as_i64(), zuid["p90_days"].as_i64()),
        (Some("connectivity"), Some(1), Some(0))
    );
    assert_eq!(row(&r["queue_by_kind"], "kind", "licence")["waiting"], 0);
    assert_eq!(row(&r["queue_by_kind"], "kind", "licence")["p50_days"], Value::Null);

    assert_eq!(
        r["loans"],
        json!([
            {"kind": "laptop", "started": 6, "returned": 4, "lost": 1, "written_off": 0, "active": 2, "overdue": 1},
            {"kind": "connectivity", "started": 0, "returned": 0, "lost": 0, "written_off": 0, "active": 0, "overdue": 0},
            {"kind": "licence", "started": 6, "returned": 0, "lost": 0, "written_off": 0, "active": 6, "overdue": 0},
        ])
    );
    // Returned in the period: A, B, C (L2, next loans after 10, 4 and 12 days) and E (L1, not yet).
    assert_eq!(
        row(&r["turnaround"], "kind", "laptop"),
        &json!({"kind": "laptop", "returned": 4, "relent": 3, "not_yet_relent": 1, "p50_days": 10, "p90_days": 12})
    );
    // Needed by a date in the period: laptops A, B, C, D, E, M and the waiting P1 (CX was
    // cancelled); A, C, E and M had the laptop in time.
    assert_eq!(
        r["needed_by"],
        json!([
            {"kind": "laptop", "due": 7, "served_on_time": 4, "share": 0.571},
            {"kind": "connectivity", "due": 0, "served_on_time": 0, "share": null},
            {"kind": "licence", "due": 6, "served_on_time": 6, "share": 1.0},
        ])
    );

    // Weekly points from 1 January to 30 June.
    let points = r["over_time"].as_array().expect("points");
    assert_eq!(points.len(), 27);
    assert_eq!(points[0], json!({"date": "2026-01-01", "available": 1, "on_loan": 1, "waiting": 1}));
    assert_eq!(points[26], json!({"date": "2026-06-30", "available": 2, "on_loan": 8, "waiting": 2}));
    // 10 June: E came back that day, L1 is not yet available again, P1 and P3 wait.
    let june_9 = points.iter().find(|p| p["date"] == "2026-06-09").expect("9 June");
    assert_eq!(june_9, &json!({"date": "2026-06-09", "available": 1, "on_loan": 9, "waiting": 2}));
}

/// Ten more students of Northwind's (D1) kit: licence seats handed over on 10 March 2026 and
/// still active. s20–s24 are coders, s25–s29 data analysts; s20–s23 unemployed, s24–s29 SME
/// owners; s20–s26 at Codeschool A, s27–s29 at Academy B. Returns nothing: the figures are
/// worked out in the tests that use it.
async fn march_cohort(app: &TestApp, p: &Programme) {
    let me: Value = app.get("/api/v1/me", &p.staff).await.json().await.expect("json");
    let mut f = Fixture { sql: Vec::new(), next: 1000, actor: me["id"].as_str().expect("id").to_owned() };
    let hub = f.hub("Hub Maart");
    let donation = f.donation(&p.d1);
    let k2 = f.new_id();
    f.exec(format!(
        "INSERT INTO licences (id, product, vendor, seats, seats_in_use, licence_key, donation_id, donor_id, \
         created_at, updated_at) VALUES ('{k2}', 'figma', 'Figma', 20, 10, 'KEY2', '{donation}', '{}', \
         '2025-06-01 00:00:00', '2025-06-01 00:00:00')",
        p.d1
    ));
    for i in 20..30 {
        let track = if i < 25 { "coder" } else { "data_analyst" };
        let group = if i < 24 { "unemployed" } else { "sme_owner" };
        let school = if i < 27 { &p.s1 } else { &p.s2 };
        let student = f.student(school, &hub, track, Some(group), "2026-12-31");
        f.loan(("licence", &k2), &student, school, "2026-03-10", None, "2099-12-31", "2026-03-10");
    }
    let sql = f.sql.join(";\n");
    app.with_db(move |conn| conn.batch_execute(&sql).expect("fixture")).await;
}

fn cells(report: &Value) -> BTreeMap<(String, String), Value> {
    report["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                (g["breakdown"].as_str().expect("b").to_owned(), g["group"].as_str().expect("g").to_owned()),
                g["students"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn impact_is_counted_per_month_with_small_groups_suppressed() {
    let app = spawn_app().await;
    let p = programme(&app).await;
    march_cohort(&app, &p).await;
    // March 2026, D1: hand-overs to s3 (coder, unemployed, Codeschool A) and s20–s29: 11.
    // Tracks: coder 6, data analyst 5. Groups: unemployed 5, SME owner 6. Schools: A 8, B 3,
    // so B is hidden and A with it. Completed in March while holding the kit: s2 only (1,
    // hidden). Held the kit in March: s2, s3, s5 and s20–s29 (13), so loan-months are shown:
    // B 15 days + C 12 + E 31 + 10 × 22 = 278 days = 9.1 months.
    let r = json_report(&app, "/api/v1/reports/impact?from=2026-03-01&to=2026-03-31", &p.donor1).await;
    assert_eq!(r["report"]["donor_id"], p.d1.as_str());
    assert_eq!(r["report"]["donor"], "Northwind");
    assert_eq!(r["report"]["min_cell_size"], 5);
    assert_eq!(
        r["kit"],
        json!([{"kind": "laptop", "donated": 5, "received": 4, "in_service": 2, "with_students": 1, "retired": 1, "lost": 1, "gifted": 0}])
    );
    assert_eq!(
        r["students"],
        json!({"reached": 11, "reached_suppressed": false, "completed_programme": null,
               "completed_suppressed": true, "loan_months": 9.1})
    );
    let c = cells(&r);
    let cell =
        |b: &str, g: &str| c.get(&(b.to_owned(), g.to_owned())).cloned().unwrap_or_else(|| panic!("{b} {g}"));
    assert_eq!((cell("track", "coder"), cell("track", "data_analyst")), (json!(6), json!(5)));
    assert_eq!((cell("target_group", "unemployed"), cell("target_group", "sme_owner")), (json!(5), json!(6)));
    assert_eq!((cell("school", &p.s1), cell("school", &p.s2)), (Value::Null, Value::Null));
    assert_no_cell_can_be_worked_out(&r, 5);

    // April alone: the six licence students of G–L, every breakdown too small to show.
    let april = json_report(&app, "/api/v1/reports/impact?from=2026-04-01&to=2026-04-30", &p.donor1).await;
    assert_eq!(april["students"]["reached"], 6);
    assert!(cells(&april).values().all(Value::is_null));
    // March and April: each figure is the two months' sum, hidden where either month hides it.
    let both = json_report(&app, "/api/v1/reports/impact?from=2026-03-01&to=2026-04-30", &p.donor1).await;
    assert_eq!(both["students"]["reached"], 17);
    let c = cells(&both);
    assert_eq!(c[&("track".to_owned(), "coder".to_owned())], json!(6), "no coder got kit in April");
    assert_eq!(c[&("track".to_owned(), "data_analyst".to_owned())], Value::Null);
    // The half year holds months of one or two students (January, February, May): hidden.
    let half = json_report(&app, &format!("/api/v1/reports/impact?{PERIOD}"), &p.donor1).await;
    assert_eq!(half["students"]["reached_suppressed"], true);
    assert!(cells(&half).values().all(Value::is_null));

    // D2's laptop reached one student in March: nothing about that student is shown.
    let r2 = json_report(&app, "/api/v1/reports/impact?from=2026-03-01&to=2026-03-31", &p.donor2).await;
    assert_eq!(
        r2["students"],
        json!({"reached": null, "reached_suppressed": true, "completed_programme": 0,
               "completed_suppressed": false, "loan_months": null})
    );
    assert!(r2["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .all(|g| g["students"].is_null() && g["suppressed"] == true));

    // Staff: all donors together (12 in March), or one.
    let all = json_report(&app, "/api/v1/reports/impact?from=2026-03-01&to=2026-03-31", &p.staff).await;
    assert_eq!(all["students"]["reached"], 12);
    assert!(all["report"].get("donor_id").is_none());
    assert_no_cell_can_be_worked_out(&all, 5);
    let one = json_report(
        &app,
        &format!("/api/v1/reports/impact?from=2026-03-01&to=2026-03-31&donor_id={}", p.d2),
        &p.staff,
    )
    .await;
    assert_eq!(one["report"]["donor"], "Contoso");
    assert_eq!(one["students"], r2["students"]);
}

/// Donor D2's devices for the environmental figures, on top of the programme (L6's loan M on
/// 03-01, unweighed, is one of March's laptop cycles):
///
/// | device | weight | loans handed over | other |
/// | W1 laptop | 2.0 kg | 03-05 (returned 03-12), 03-15 | |
/// | W2 laptop | — | 03-20 | |
/// | W3 laptop | 1.5 kg | 03-25 | |
/// | V1 dongle | — | 03-10 | |
/// | V2–V6 dongles | — | 04-07 each | |
/// | R1 laptop | 2.5 kg | | destroyed by a recycler 03-10 |
/// | R2 dongle | — | | destroyed by a recycler 04-02 |
async fn environment_cohort(app: &TestApp, p: &Programme) {
    let me: Value = app.get("/api/v1/me", &p.staff).await.json().await.expect("json");
    let mut f = Fixture { sql: Vec::new(), next: 2000, actor: me["id"].as_str().expect("id").to_owned() };
    let hub = f.hub("Hub Milieu");
    let donation = f.donation(&p.d2);
    let device = |f: &mut Fixture, kind: &str, state: &str, weight: Option<f64>| {
        let id = f.device(kind, state, Some("A"), &hub, &donation, &p.d2);
        if let Some(kg) = weight {
            f.exec(format!("UPDATE devices SET weight_kg = {kg} WHERE id = '{id}'"));
        }
        id
    };
    let w1 = device(&mut f, "laptop", "on_loan", Some(2.0));
    let w2 = device(&mut f, "laptop", "on_loan", None);
    let w3 = device(&mut f, "laptop", "on_loan", Some(1.5));
    let v1 = device(&mut f, "wifi_dongle", "on_loan", None);
    let dongles: Vec<String> = (0..5).map(|_| device(&mut f, "wifi_dongle", "on_loan", None)).collect();
    let r1 = device(&mut f, "laptop", "retired", Some(2.5));
    let r2 = device(&mut f, "wifi_dongle", "retired", None);
    let student = |f: &mut Fixture| f.student(&p.s2, &hub, "coder", None, "2026-12-31");
    let far = "2099-12-31";
    let s = student(&mut f);
    f.loan(("laptop", &w1), &s, &p.s2, "2026-03-05", Some(("returned", "2026-03-12")), far, "2026-03-05");
    for (kit, day) in [(&w1, "2026-03-15"), (&w2, "2026-03-20"), (&w3, "2026-03-25")] {
        let s = student(&mut f);
        f.loan(("laptop", kit), &s, &p.s2, day, None, far, day);
    }
    let s = student(&mut f);
    f.loan(("connectivity", &v1), &s, &p.s2, "2026-03-10", None, far, "2026-03-10");
    for v in &dongles {
        let s = student(&mut f);
        f.loan(("connectivity", v), &s, &p.s2, "2026-04-07", None, far, "2026-04-07");
    }
    for (device, at) in [(&r1, "2026-03-10"), (&r2, "2026-04-02")] {
        let id = f.new_id();
        f.exec(format!(
            "INSERT INTO erasure_records (id, device_id, method, certificate_ref, operator_id, performed_at) \
             VALUES ('{id}', '{device}', 'nist_destroy', 'RECYCLER-{id}', '{}', '{at} 09:00:00')",
            f.actor
        ));
    }
    let sql = f.sql.join(";\n");
    app.with_db(move |conn| conn.batch_execute(&sql).expect("fixture")).await;
}

#[tokio::test]
async fn the_environmental_figures_match_the_hand_worked_numbers() {
    let app = spawn_app().await;
    let p = programme(&app).await;
    environment_cohort(&app, &p).await;
    let march = json_report(&app, "/api/v1/reports/impact?from=2026-03-01&to=2026-03-31", &p.donor2).await;
    // Laptops in March: M (1.8 kg by default), W1 twice (2 × 2.0), W2 (1.8 by default), W3
    // (1.5): five cycles, 9.1 kg, 3.6 of it by default. CO2e: 5 × 214 × 0.5 = 535 to
    // 5 × 260 × 0.5 = 650. Recycled: R1, 2.5 kg. The one dongle loan (V1) is one student:
    // hidden, and the total with it.
    assert_eq!(
        march["environment_by_kind"],
        json!([
            {"kind": "laptop", "loan_cycles": 5, "kg_reused": 9.1, "kg_reused_by_default": 3.6,
             "reuse_suppressed": false, "co2e_avoided_kg_low": 535.0, "co2e_avoided_kg_high": 650.0,
             "devices_recycled": 1, "kg_recycled": 2.5},
            {"kind": "wifi_dongle", "loan_cycles": null, "kg_reused": null, "kg_reused_by_default": null,
             "reuse_suppressed": true, "co2e_avoided_kg_low": null, "co2e_avoided_kg_high": null,
             "devices_recycled": 0, "kg_recycled": 0.0},
        ])
    );
    let e = &march["environment"];
    assert_eq!(
        (&e["loan_cycles"], &e["kg_reused"], &e["co2e_avoided_kg_low"]),
        (&Value::Null, &Value::Null, &Value::Null)
    );
    assert_eq!(
        (&e["reuse_suppressed"], &e["devices_recycled"], &e["kg_recycled"]),
        (&json!(true), &json!(1), &json!(2.5))
    );
    assert_eq!((&e["factor_set"], &e["displacement"]), (&json!("2026-12"), &json!(0.5)));
    assert!(e["basis"].as_str().is_some_and(|b| b.contains("not a cut in the donor's own")), "{e}");
    let sources: Vec<&str> =
        e["sources"].as_array().expect("sources").iter().filter_map(Value::as_str).collect();
    assert!(sources.iter().any(|t| t.contains("Restart Project")), "{sources:?}");
    assert!(sources.iter().any(|t| t.contains("Fraunhofer IZM")), "{sources:?}");

    // April: five dongle loans (V2–V6, 5 × 0.1 kg by default, no CO2e factor) and R2 recycled.
    let april = json_report(&app, "/api/v1/reports/impact?from=2026-04-01&to=2026-04-30", &p.donor2).await;
    assert_eq!(
        april["environment_by_kind"],
        json!([{"kind": "wifi_dongle", "loan_cycles": 5, "kg_reused": 0.5, "kg_reused_by_default": 0.5,
                "reuse_suppressed": false, "co2e_avoided_kg_low": null, "co2e_avoided_kg_high": null,
                "devices_recycled": 1, "kg_recycled": 0.1}])
    );
    let e = &april["environment"];
    assert_eq!(
        (&e["loan_cycles"], &e["kg_reused"], &e["co2e_avoided_kg_low"], &e["co2e_avoided_kg_high"]),
        (&json!(5), &json!(0.5), &json!(0.0), &json!(0.0))
    );

    // March and April: laptops shown (April adds none), dongles hidden by March's one loan.
    let both = json_report(&app, "/api/v1/reports/impact?from=2026-03-01&to=2026-04-30", &p.donor2).await;
    assert_eq!(both["environment_by_kind"][0]["loan_cycles"], 5);
    assert_eq!(both["environment_by_kind"][1]["reuse_suppressed"], true);
    assert_eq!(
        (&both["environment"]["devices_recycled"], &both["environment"]["kg_recycled"]),
        (&json!(2), &json!(2.6))
    );

    // D1's own kit had one laptop loan in March (C): hidden; none of D2's devices counted.
    let d1 = json_report(&app, "/api/v1/reports/impact?from=2026-03-01&to=2026-03-31", &p.donor1).await;
    assert_eq!(
        d1["environment_by_kind"],
        json!([{"kind": "laptop", "loan_cycles": null, "kg_reused": null, "kg_reused_by_default": null,
                "reuse_suppressed": true, "co2e_avoided_kg_low": null, "co2e_avoided_kg_high": null,
                "devices_recycled": 0, "kg_recycled": 0.0}])
    );

    // The donor's page shows the same figures, the range and the sources, in Dutch.
    let session = crate::web_school::session_of(&app, &p.donor2).await;
    let path = "/reports/impact?from=2026-03&to=2026-03&lang=nl";
    let page = crate::web_school::html(&app, path, &session, StatusCode::OK).await;
    let row = |th: &str, td: &str| format!("<th scope=\"row\">{th}</th><td>{td}");
    assert!(page.contains(&row("Naar een erkende recycler", "1 apparaat, 2,5 kg")), "{page}");
    assert!(
        page.contains(&row("Apparaten hergebruikt (elke lening telt één keer)", "minder dan 5")),
        "{page}"
    );
    assert!(page.contains("factorenset 2026-12") && page.contains("Fraunhofer IZM"), "{page}");
    assert!(page.contains("geen daling van de uitstoot van je eigen bedrijf"), "{page}");
    let path = "/reports/impact?from=2026-04&to=2026-04&lang=en";
    let page = crate::web_school::html(&app, path, &session, StatusCode::OK).await;
    assert!(page.contains(&row("Weight reused (kg)", "0.5 (0.5 kg of it is an estimate")), "{page}");
    assert!(page.contains(&row("CO2e avoided, estimate (kg)", "0–0")), "{page}");
}

#[tokio::test]
async fn a_donor_asking_for_overlapping_periods_learns_nothing_below_the_minimum() {
    let app = spawn_app().await;
    let p = programme(&app).await;
    march_cohort(&app, &p).await;
    // Every range of whole months in the first half of 2026, each one asked for.
    let months: Vec<(String, String)> = (1..=6u32)
        .map(|m| {
            let first = NaiveDate::from_ymd_opt(2026, m, 1).expect("month");
            let last =
                first.checked_add_months(chrono::Months::new(1)).expect("next").pred_opt().expect("last");
            (first.to_string(), last.to_string())
        })
        .collect();
    let mut reports: Vec<((usize, usize), Value)> = Vec::new();
    for a in 0..6 {
        for b in a..6 {
            let path = format!("/api/v1/reports/impact?from={}&to={}", months[a].0, months[b].1);
            reports.push(((a, b), json_report(&app, &path, &p.donor1).await));
        }
    }
    let figures = |r: &Value| {
        let mut all = cells(r);
        all.insert(("students".into(), "reached".into()), r["students"]["reached"].clone());
        all.insert(("students".into(), "completed".into()), r["students"]["completed_programme"].clone());
        all
    };
    let mut compared = 0;
    for ((a1, b1), inner) in &reports {
        for ((a2, b2), outer) in &reports {
            if !(a2 <= a1 && b1 <= b2) || (a1, b1) == (a2, b2) {
                continue;
            }
            let small = figures(inner);
            for (key, big) in figures(outer) {
                if let (Some(big), Some(small)) = (big.as_i64(), small.get(&key).and_then(Value::as_i64)) {
                    let d = big - small;
                    assert!(d == 0 || d >= 5, "{key:?}: months {a2}..={b2} minus {a1}..={b1} is {d}");
                    compared += 1;
                }
            }
        }
    }
    assert!(compared >= 5, "enough figures were shown to compare: {compared}");
    // Days inside a month, or a month still running, are not periods a report covers.
    for path in [
        "/api/v1/reports/impact?from=2026-03-02&to=2026-03-31",
        "/api/v1/reports/impact?from=2026-03-01&to=2026-03-30",
        "/api/v1/reports/impact?from=2026-01-01&to=2099-12-31",
    ] {
        problem(app.get(path, &p.donor1).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
}

/// The subtraction attack: in every breakdown, the total minus the shown cells (what the
/// hidden cells add up to) is 0 or a group of at least `min`, with never one cell hidden alone.
fn assert_no_cell_can_be_worked_out(report: &Value, min: i64) {
    let Some(total) = report["students"]["reached"].as_i64() else {
        assert!(report["groups"].as_array().expect("groups").iter().all(|g| g["students"].is_null()));
        return;
    };
    for breakdown in ["track", "target_group", "school"] {
        let cells: Vec<&Value> = report["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .filter(|g| g["breakdown"] == breakdown)
            .collect();
        let shown: i64 = cells.iter().filter_map(|c| c["students"].as_i64()).sum();
        let hidden = cells.iter().filter(|c| c["students"].is_null()).count();
        assert!(
            cells.iter().all(|c| c["students"].as_i64().is_none_or(|n| n == 0 || n >= min)),
            "{breakdown}"
        );
        assert!(hidden != 1, "{breakdown}: one hidden cell alone can be worked out");
        let rest = total - shown;
        assert!(rest == 0 || rest >= min, "{breakdown}: hidden cells add up to {rest}");
    }
}

#[tokio::test]
async fn a_donor_reads_only_their_own_impact() {
    let app = spawn_app().await;
    let p = programme(&app).await;
    for path in [
        format!("/api/v1/reports/impact?donor_id={}", p.d2),
        format!("/api/v1/reports/impact?donor_id={}", p.s1),
        format!("/api/v1/reports/impact?donor_id={}", uuid::Uuid::new_v4()),
    ] {
        problem(app.get(&path, &p.donor1).await, StatusCode::NOT_FOUND, "not_found").await;
    }
    // Naming themselves is the same as naming nobody.
    let own =
        json_report(&app, &format!("/api/v1/reports/impact?{PERIOD}&donor_id={}", p.d1), &p.donor1).await;
    let none = json_report(&app, &format!("/api/v1/reports/impact?{PERIOD}"), &p.donor1).await;
    assert_eq!(own["students"], none["students"]);
    assert_eq!(own["report"]["donor_id"], p.d1.as_str());
    // Staff asking for a school as a donor, or an unknown one: 404 too.
    problem(
        app.get(&format!("/api/v1/reports/impact?donor_id={}", p.s1), &p.staff).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for token in [&p.school1] {
        problem(app.get("/api/v1/reports/impact", token).await, StatusCode::FORBIDDEN, "forbidden").await;
        problem(app.get("/api/v1/reports/pool", token).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
    problem(app.get("/api/v1/reports/pool", &p.donor1).await, StatusCode::FORBIDDEN, "forbidden").await;
    problem(app.get("/api/v1/reports/school", &p.donor1).await, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app.client.get(app.url("/api/v1/reports/impact")).send().await.expect("request");
    problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn a_school_sees_its_own_requests_loans_and_waiting_students() {
    let app = spawn_app().await;
    let p = programme(&app).await;
    let r = json_report(&app, &format!("/api/v1/reports/school?{PERIOD}"), &p.school1).await;
    assert_eq!(
        (r["report"]["school_id"].as_str(), r["report"]["school"].as_str()),
        (Some(p.s1.as_str()), Some("Codeschool A"))
    );
    // Made in the period: B, C, D, E (laptops, fulfilled), G, H, I (licences), P1 and P3
    // (waiting) and CX (cancelled). A was made in December.
    assert_eq!(
        r["requests"],
        json!([
            {"kind": "laptop", "state": "cancelled", "count": 1},
            {"kind": "laptop", "state": "fulfilled", "count": 4},
            {"kind": "laptop", "state": "pending", "count": 2},
            {"kind": "licence", "state": "fulfilled", "count": 3},
        ])
    );
    assert_eq!(
        r["loans"],
        json!([
            {"kind": "laptop", "started": 5, "returned": 4, "lost": 1, "written_off": 0, "active": 1, "overdue": 1},
            {"kind": "connectivity", "started": 0, "returned": 0, "lost": 0, "written_off": 0, "active": 0, "overdue": 0},
            {"kind": "licence", "started": 3, "returned": 0, "lost": 0, "written_off": 0, "active": 3, "overdue": 0},
        ])
    );
    let overdue = r["overdue"].as_array().expect("overdue");
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0]["due_on"], "2026-06-15");
    assert_eq!(overdue[0]["days_overdue"].as_i64(), Some((today() - day("2026-06-15")).num_days()));
    let waiting: Vec<(Value, Value, Value)> = r["waiting"]
        .as_array()
        .expect("waiting")
        .iter()
        .map(|w| (w["requested_on"].clone(), w["needed_by"].clone(), w["days_waiting"].clone()))
        .collect();
    assert_eq!(
        waiting,
        vec![
            (json!("2026-04-20"), json!("2026-05-01"), json!((today() - day("2026-04-20")).num_days())),
            (json!("2026-06-01"), json!("2026-12-01"), json!((today() - day("2026-06-01")).num_days())),
        ]
    );
    assert!(r["waiting"][0]["student_name"].as_str().is_some_and(|n| n.starts_with("Student ")));

    // The other school sees only its own: one dongle request waiting, no overdue loans.
    let other = json_report(&app, "/api/v1/reports/school", &p.school2).await;
    assert_eq!(other["waiting"].as_array().map(Vec::len), Some(1));
    assert_eq!(other["overdue"], json!([]));
    problem(
        app.get(&format!("/api/v1/reports/school?school_id={}", p.s1), &p.school2).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Staff say which school; a donor's id is no school.
    let staff_view =
        json_report(&app, &format!("/api/v1/reports/school?{PERIOD}&school_id={}", p.s1), &p.staff).await;
    assert_eq!(staff_view["loans"], r["loans"]);
    let missing = problem(
        app.get("/api/v1/reports/school", &p.staff).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(missing["errors"][0]["field"], "school_id");
    problem(
        app.get(&format!("/api/v1/reports/school?school_id={}", p.d1), &p.staff).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

/// Reads a report's CSV back into sections of rows, the inverse of `render::csv`: an empty
/// cell is null (or absent), anything else is compared with the JSON value as text.
fn assert_csv_matches_json(csv_text: &str, json: &Value) {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
    assert_eq!(header[0], "section");
    let mut sections: BTreeMap<String, Vec<BTreeMap<String, String>>> = BTreeMap::new();
    for record in reader.records() {
        let record = record.expect("record");
        let row: BTreeMap<String, String> = header
            .iter()
            .skip(1)
            .zip(record.iter().skip(1))
            .map(|(h, v)| (h.clone(), v.to_owned()))
            .collect();
        sections.entry(record[0].to_owned()).or_default().push(row);
    }
    let object = json.as_object().expect("object");
    for (name, value) in object {
        let rows: Vec<&serde_json::Map<String, Value>> = match value {
            Value::Object(o) => vec![o],
            Value::Array(a) => a.iter().map(|r| r.as_object().expect("flat row")).collect(),
            other => panic!("{name} is {other}"),
        };
        let csv_rows = sections.remove(name).unwrap_or_default();
        assert_eq!(csv_rows.len(), rows.len(), "rows of {name}");
        for (json_row, csv_row) in rows.iter().zip(&csv_rows) {
            for (column, cell) in csv_row {
                let expected = match json_row.get(column) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    // A list of texts is one cell, a line each.
                    Some(Value::Array(lines)) => {
                        lines.iter().map(|l| l.as_str().expect("text")).collect::<Vec<_>>().join("\n")
                    }
                    Some(other) => other.to_string(),
                };
                assert_eq!(cell, &expected, "{name}.{column}");
            }
            for (key, v) in json_row.iter() {
                if !v.is_null() {
                    assert!(csv_row.contains_key(key), "{name}.{key} missing from the CSV");
                }
            }
        }
    }
    assert!(sections.is_empty(), "sections only in the CSV: {:?}", sections.keys());
}

#[tokio::test]
async fn every_report_as_csv_reads_back_to_its_json_figures() {
    let app = spawn_app().await;
    let p = programme(&app).await;
    for (path, token) in [
        (format!("/api/v1/reports/pool?{PERIOD}"), &p.staff),
        (format!("/api/v1/reports/impact?{PERIOD}"), &p.donor1),
        (format!("/api/v1/reports/impact?{PERIOD}"), &p.staff),
        (format!("/api/v1/reports/school?{PERIOD}"), &p.school1),
    ] {
        let mut json = json_report(&app, &path, token).await;
        // Asked for by parameter and by Accept header: the same CSV (bar the time it was made).
        let by_param = app.get(&format!("{path}&format=csv"), token).await;
        assert_eq!(by_param.status(), StatusCode::OK);
        assert_eq!(by_param.headers()["content-type"], "text/csv; charset=utf-8");
        assert!(by_param.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("attachment; filename="));
        let by_param = by_param.text().await.expect("csv");
        let by_accept = app
            .client
            .get(app.url(&path))
            .bearer_auth(token)
            .header("Accept", "text/csv, application/json;q=0.5")
            .send()
            .await
            .expect("request");
        assert_eq!(by_accept.headers()["content-type"], "text/csv; charset=utf-8");
        let by_accept = by_accept.text().await.expect("csv");
        assert_eq!(by_param.lines().count(), by_accept.lines().count());
        let generated = csv::Reader::from_reader(by_param.as_bytes())
            .records()
            .next()
            .expect("report row")
            .expect("record")
            .iter()
            .find(|v| v.ends_with('Z'))
            .expect("generated_at")
            .to_owned();
        json["report"]["generated_at"] = json!(generated);
        assert_csv_matches_json(&by_param, &json);
    }
}

#[tokio::test]
async fn the_pool_chart_is_valid_svg_in_the_readers_language() {
    let app = spawn_app().await;
    let p = programme(&app).await;
    let res = app
        .client
        .get(app.url(&format!("/api/v1/reports/pool?{PERIOD}&format=svg")))
        .bearer_auth(&p.staff)
        .header("Accept-Language", "nl-NL,nl;q=0.9,en;q=0.5")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    let svg = res.text().await.expect("svg");
    let doc = roxmltree::Document::parse(&svg).expect("the chart is well-formed XML");
    let root = doc.root_element();
    assert_eq!(
        (root.tag_name().name(), root.tag_name().namespace()),
        ("svg", Some("http://www.w3.org/2000/svg"))
    );
    let lines: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("polyline")).collect();
    assert_eq!(lines.len(), 3, "available, on loan, waiting");
    assert!(lines.iter().all(|l| l.attribute("points").is_some_and(|p| p.split(' ').count() == 27)));
    let title = doc.descendants().find(|n| n.has_tag_name("title")).and_then(|n| n.text()).expect("title");
    assert_eq!(title, "De pool van 1 jan 2026 tot 30 jun 2026");
    assert!(doc.descendants().any(|n| n.text() == Some("Wachtende aanvragen")));

    // By Accept header, in English by default.
    let res = app
        .client
        .get(app.url(&format!("/api/v1/reports/pool?{PERIOD}")))
        .bearer_auth(&p.staff)
        .header("Accept", "image/svg+xml")
        .send()
        .await
        .expect("request");
    let svg = res.text().await.expect("svg");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed");
    assert!(doc.descendants().any(|n| n.text() == Some("Requests waiting")));
}

#[tokio::test]
async fn a_bad_period_or_format_is_a_clear_error() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let backwards = problem(
        app.get("/api/v1/reports/pool?from=2026-06-01&to=2026-01-01", &staff).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(backwards["errors"][0]["field"], "from");
    problem(
        app.get("/api/v1/reports/impact?from=2016-01-01&to=2026-01-01", &staff).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    for path in [
        "/api/v1/reports/pool?from=1%20May",
        "/api/v1/reports/pool?format=xml",
        "/api/v1/reports/impact?format=svg",
        "/api/v1/reports/impact?donor_id=nobody",
    ] {
        problem(app.get(path, &staff).await, StatusCode::BAD_REQUEST, "malformed_query").await;
    }
    // An empty programme still gives every report, with zeros and no rows.
    let r = json_report(&app, "/api/v1/reports/pool", &staff).await;
    assert_eq!(r["devices"], json!([]));
    assert_eq!(r["loans"][0]["started"], 0);
    let i = json_report(&app, "/api/v1/reports/impact", &staff).await;
    assert_eq!(i["students"]["reached"], 0);
    assert_eq!(i["students"]["loan_months"], 0.0);
}
