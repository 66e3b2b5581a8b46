//! The authorisation matrix: every route in the OpenAPI document has a row saying who may use
//! it and which tenant owns its object, and every role is tried on it, signed out, on its own
//! tenant's object and on another tenant's. What API.md promises:
//!
//! - signed out: 401 (but for the routes anyone may call);
//! - a role the route is not for: 403;
//! - a school, donor or student on another tenant's object: 404, so ids cannot be probed;
//! - a role the route is for, on its own object: neither 401 nor 403 (nor 404 when reading).
//!
//! A route the document lists without a row here fails the test, and so does a row for a
//! route it does not list.

use std::collections::BTreeSet;

use devicepool::domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::fixtures::{create_donation, create_laptop, enrol, make_available, request_kit, student_body};
use crate::helpers::{spawn_app_with, TestApp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anon,
    Admin,
    Staff,
    School,
    Donor,
    Student,
}

/// The object a route's `{id}` names, and so which tenant owns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Obj {
    None,
    Organisation,
    User,
    Hub,
    Donation,
    Device,
    Licence,
    Student,
    Request,
    Allocation,
    Loan,
    Track,
    ClassSet,
    /// Ids staff look up that no fixture makes (an outbox message, a fault report).
    Unknown,
    /// `?donor_id=` of the impact report.
    ImpactOf,
    /// `?school_id=` of the school report.
    SchoolReportOf,
}

/// Who a route is for: "anyone", "signed" (any signed-in role), or roles joined by `+`
/// (`staff` includes admin, who may do everything).
struct Row {
    method: &'static str,
    path: &'static str,
    who: &'static str,
    obj: Obj,
}

const fn row(method: &'static str, path: &'static str, who: &'static str, obj: Obj) -> Row {
    Row { method, path, who, obj }
}

const MATRIX: &[Row] = &[
    row("post", "/api/v1/auth/login", "anyone", Obj::None),
    row("post", "/api/v1/auth/magic-link", "anyone", Obj::None),
    row("post", "/api/v1/auth/magic-link/redeem", "anyone", Obj::None),
    row("post", "/api/v1/auth/magic-link/code", "anyone", Obj::None),
    row("post", "/api/v1/auth/invitation/accept", "anyone", Obj::None),
    row("post", "/api/v1/auth/password-reset", "anyone", Obj::None),
    row("post", "/api/v1/auth/password-reset/redeem", "anyone", Obj::None),
    row("get", "/api/v1/loan-agreement", "anyone", Obj::None),
    row("get", "/healthz", "anyone", Obj::None),
    row("get", "/readyz", "anyone", Obj::None),
    row("get", "/metrics", "anyone", Obj::None),
    row("get", "/api/v1/me", "signed", Obj::None),
    row("patch", "/api/v1/me", "signed", Obj::None),
    row("post", "/api/v1/me/password", "signed", Obj::None),
    row("post", "/api/v1/me/sign-out-everywhere", "signed", Obj::None),
    row("get", "/api/v1/organisations", "admin", Obj::None),
    row("post", "/api/v1/organisations", "admin", Obj::None),
    row("get", "/api/v1/organisations/{id}", "admin", Obj::Organisation),
    row("patch", "/api/v1/organisations/{id}", "admin", Obj::Organisation),
    row("get", "/api/v1/users", "admin", Obj::None),
    row("post", "/api/v1/users", "admin", Obj::None),
    row("get", "/api/v1/users/{id}", "admin", Obj::User),
    row("patch", "/api/v1/users/{id}", "admin", Obj::User),
    row("post", "/api/v1/users/{id}/disable", "admin", Obj::User),
    row("get", "/api/v1/access-log", "admin", Obj::None),
    row("get", "/api/v1/hubs", "signed", Obj::None),
    row("post", "/api/v1/hubs", "staff", Obj::None),
    row("get", "/api/v1/hubs/{id}", "signed", Obj::Hub),
    row("patch", "/api/v1/hubs/{id}", "staff", Obj::Hub),
    row("get", "/api/v1/tracks", "signed", Obj::None),
    row("get", "/api/v1/tracks/{code}", "signed", Obj::Track),
    row("patch", "/api/v1/tracks/{code}", "staff", Obj::Track),
    row("get", "/api/v1/donations", "staff+donor", Obj::None),
    row("post", "/api/v1/donations", "staff+donor", Obj::None),
    row("get", "/api/v1/donations/{id}", "staff+donor", Obj::Donation),
    row("patch", "/api/v1/donations/{id}", "staff+donor", Obj::Donation),
    row("post", "/api/v1/donations/{id}/receive", "staff", Obj::Donation),
    row("get", "/api/v1/donations/{id}/certificate", "staff+donor", Obj::Donation),
    row("post", "/api/v1/donations/{id}/asset-list", "staff+donor", Obj::Donation),
    row("get", "/api/v1/donations/{id}/reconciliation", "staff+donor", Obj::Donation),
    row("get", "/api/v1/devices", "staff+donor", Obj::None),
    row("post", "/api/v1/devices", "staff+donor", Obj::None),
    row("post", "/api/v1/devices/import", "staff+donor", Obj::None),
    row("get", "/api/v1/devices/{id}", "staff+donor", Obj::Device),
    row("post", "/api/v1/devices/{id}/transitions", "staff", Obj::Device),
    row("get", "/api/v1/devices/{id}/history", "staff", Obj::Device),
    row("get", "/api/v1/devices/{id}/label", "staff+donor", Obj::Device),
    row("get", "/api/v1/devices/{id}/certificate", "staff+donor", Obj::Device),
    row("post", "/api/v1/erasure-reports", "staff", Obj::None),
    row("get", "/api/v1/licences", "staff+donor", Obj::None),
    row("post", "/api/v1/licences", "staff+donor", Obj::None),
    row("get", "/api/v1/licences/{id}", "staff+donor", Obj::Licence),
    row("patch", "/api/v1/licences/{id}", "staff", Obj::Licence),
    row("get", "/api/v1/students", "staff+school", Obj::None),
    row("post", "/api/v1/students", "staff+school", Obj::None),
    row("post", "/api/v1/students/import", "staff+school", Obj::None),
    row("get", "/api/v1/students/{id}", "staff+school+student", Obj::Student),
    row("patch", "/api/v1/students/{id}", "staff+school", Obj::Student),
    row("delete", "/api/v1/students/{id}", "staff+school", Obj::Student),
    row("get", "/api/v1/students/{id}/export", "staff+school+student", Obj::Student),
    row("get", "/api/v1/requests", "staff+school", Obj::None),
    row("post", "/api/v1/requests", "staff+school", Obj::None),
    row("get", "/api/v1/requests/{id}", "staff+school", Obj::Request),
    row("post", "/api/v1/requests/{id}/cancel", "staff+school", Obj::Request),
    row("post", "/api/v1/allocations/run", "staff", Obj::None),
    row("post", "/api/v1/allocations/decide-hub", "staff", Obj::None),
    row("post", "/api/v1/allocations", "staff", Obj::None),
    row("get", "/api/v1/allocations", "staff", Obj::None),
    row("get", "/api/v1/allocations/{id}", "staff", Obj::Allocation),
    row("post", "/api/v1/allocations/{id}/confirm", "staff", Obj::Allocation),
    row("post", "/api/v1/allocations/{id}/reject", "staff", Obj::Allocation),
    row("get", "/api/v1/travel-costs", "staff", Obj::None),
    row("post", "/api/v1/travel-costs", "staff", Obj::None),
    row("get", "/api/v1/allocation-caps", "staff", Obj::None),
    row("post", "/api/v1/allocation-caps", "staff", Obj::None),
    row("get", "/api/v1/loans", "staff+school+student", Obj::None),
    row("get", "/api/v1/loans/{id}", "staff+school+student", Obj::Loan),
    row("get", "/api/v1/loans/{id}/history", "staff+school+student", Obj::Loan),
    row("post", "/api/v1/loans/{id}/accept", "student", Obj::Loan),
    row("post", "/api/v1/loans/{id}/handover", "staff", Obj::Loan),
    row("post", "/api/v1/loans/{id}/counter-handover", "staff", Obj::Loan),
    row("post", "/api/v1/loans/{id}/extend", "staff+student", Obj::Loan),
    row("post", "/api/v1/loans/{id}/extension/approve", "staff", Obj::Loan),
    row("post", "/api/v1/loans/{id}/extension/refuse", "staff", Obj::Loan),
    row("post", "/api/v1/loans/{id}/return", "staff", Obj::Loan),
    row("post", "/api/v1/loans/{id}/report-lost", "staff+student", Obj::Loan),
    row("post", "/api/v1/loans/{id}/write-off", "staff", Obj::Loan),
    row("post", "/api/v1/loans/{id}/gift", "staff", Obj::Loan),
    row("post", "/api/v1/loans/{id}/gift/accept", "student", Obj::Loan),
    row("get", "/api/v1/gift-agreement", "anyone", Obj::None),
    row("post", "/api/v1/in-use-rounds", "staff", Obj::None),
    row("get", "/api/v1/in-use-rounds/current", "staff+school", Obj::None),
    row("post", "/api/v1/loans/{id}/in-use", "staff+school+student", Obj::Loan),
    row("post", "/api/v1/in-use-answers", "anyone", Obj::None),
    row("post", "/api/v1/returns", "staff", Obj::None),
    row("post", "/api/v1/loans/{id}/fault", "staff+student", Obj::Loan),
    row("get", "/api/v1/fault-reports", "staff", Obj::None),
    row("get", "/api/v1/fault-reports/{id}", "staff", Obj::Unknown),
    row("post", "/api/v1/fault-reports/{id}/swap", "staff", Obj::Unknown),
    row("get", "/api/v1/me/loans", "student", Obj::None),
    row("post", "/api/v1/class-sets", "school", Obj::None),
    row("get", "/api/v1/class-sets", "staff+school", Obj::None),
    row("get", "/api/v1/class-sets/{id}", "staff+school", Obj::ClassSet),
    row("post", "/api/v1/class-sets/{id}/offer", "staff", Obj::ClassSet),
    row("post", "/api/v1/class-sets/{id}/accept", "school", Obj::ClassSet),
    row("post", "/api/v1/class-sets/{id}/handover", "staff", Obj::ClassSet),
    row("post", "/api/v1/class-sets/{id}/return", "staff", Obj::ClassSet),
    row("post", "/api/v1/class-sets/{id}/report-lost", "staff", Obj::ClassSet),
    row("post", "/api/v1/class-sets/{id}/write-off", "staff", Obj::ClassSet),
    row("post", "/api/v1/class-sets/{id}/cancel", "staff+school", Obj::ClassSet),
    row("get", "/api/v1/class-set-agreement", "anyone", Obj::None),
    row("get", "/api/v1/outbox", "staff", Obj::None),
    row("post", "/api/v1/outbox/{id}/requeue", "staff", Obj::Unknown),
    row("get", "/api/v1/reports/pool", "staff", Obj::None),
    row("get", "/api/v1/reports/impact", "staff+donor", Obj::ImpactOf),
    row("get", "/api/v1/reports/school", "staff+school", Obj::SchoolReportOf),
];

/// Two of each tenant: A's objects belong to the signed-in school, donor and student, B's to
/// others.
struct World {
    tokens: Vec<(Who, String)>,
    a: Objects,
    b: Objects,
    organisation: String,
    user: String,
    hub: String,
    allocation: String,
}

struct Objects {
    donor: String,
    school: String,
    donation: String,
    device: String,
    licence: String,
    student: String,
    request: String,
    loan: String,
    class_set: String,
}

async fn id_of(res: reqwest::Response) -> String {
    assert!(res.status().is_success(), "{}", res.status());
    res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned()
}

async fn world(app: &TestApp) -> World {
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let hub =
        id_of(app.post("/api/v1/hubs", &staff, json!({"name": "Hub Noord", "address": "Plein 1"})).await)
            .await;
    let mut objects = Vec::new();
    for (tenant, serial) in [("A", "MATRIX-A"), ("B", "MATRIX-B")] {
        let donor = app.create_organisation(&admin, &format!("Donor {tenant}"), "donor").await;
        let school = app.create_organisation(&admin, &format!("School {tenant}"), "school").await;
        let donation = create_donation(app, &staff, json!({"donor_id": donor, "expected_hub_id": hub})).await;
        let device =
            create_laptop(app, &staff, &donation, serial, 16).await["id"].as_str().expect("id").to_owned();
        make_available(app, &staff, &device).await;
        let licence = id_of(
            app.post(
                "/api/v1/licences",
                &staff,
                json!({"product": "figma", "vendor": "Figma", "seats": 3, "key": format!("KEY-{tenant}"), "donation_id": donation}),
            )
            .await,
        )
        .await;
        let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
        let email = format!("student-{}@example.org", tenant.to_lowercase());
        let mut body = student_body(&format!("Student {tenant}"), &email);
        body["hub_id"] = json!(hub);
        let student = enrol(app, &coordinator, body).await["id"].as_str().expect("id").to_owned();
        let request =
            id_of(request_kit(app, &coordinator, json!({"student_id": student, "kind": "laptop"})).await)
                .await;
        let class_set =
            id_of(app.post("/api/v1/class-sets", &coordinator, class_set_body(&hub, tenant)).await).await;
        objects.push((
            Objects {
                donor,
                school,
                donation,
                device,
                licence,
                student,
                request,
                loan: String::new(),
                class_set,
            },
            coordinator,
            email,
        ));
    }
    // Each request gets its tenant's laptop (by hand), confirmed into a loan.
    for (o, _, _) in &mut objects {
        let allocation = id_of(
            app.post("/api/v1/allocations", &staff, json!({"request_id": o.request, "device_id": o.device}))
                .await,
        )
        .await;
        o.loan =
            id_of(app.post(&format!("/api/v1/allocations/{allocation}/confirm"), &staff, json!({})).await)
                .await;
    }
    // A proposal left for the allocation rows: B's school asks again, for a seat.
    let b = &objects[1];
    let request = id_of(
        request_kit(app, &b.1, json!({"student_id": b.0.student, "kind": "licence", "product": "figma"}))
            .await,
    )
    .await;
    let allocation = id_of(
        app.post("/api/v1/allocations", &staff, json!({"request_id": request, "licence_id": b.0.licence}))
            .await,
    )
    .await;
    let organisation = app.create_organisation(&admin, "Spare School", "school").await;
    let (_, user) = app.user_with_role(&admin, Role::Staff, None).await;
    let a = &objects[0];
    let (donor, _) = app.user_with_role(&admin, Role::Donor, Some(&a.0.donor)).await;
    let student = crate::students::sign_in_student(app, &a.2).await;
    let tokens = vec![
        (Who::Admin, admin),
        (Who::Staff, staff),
        (Who::School, a.1.clone()),
        (Who::Donor, donor),
        (Who::Student, student),
    ];
    // An in-use round, so that reading the current one finds it.
    let res = app.post("/api/v1/in-use-rounds", &tokens[1].1, json!({})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let mut objects = objects.into_iter().map(|(o, _, _)| o);
    let (a, b) = (objects.next().expect("A"), objects.next().expect("B"));
    World { tokens, a, b, organisation, user, hub, allocation }
}

impl Row {
    fn allows(&self, who: Who) -> bool {
        match self.who {
            "anyone" => true,
            "signed" => who != Who::Anon,
            spec => spec.split('+').any(|part| match part {
                "admin" => who == Who::Admin,
                "staff" => matches!(who, Who::Staff | Who::Admin),
                "school" => who == Who::School,
                "donor" => who == Who::Donor,
                "student" => who == Who::Student,
                other => panic!("{} {}: unknown role {other}", self.method, self.path),
            }),
        }
    }

    /// Whether `who` is bound to a tenant that owns this row's object.
    fn tenant_bound(&self, who: Who) -> bool {
        matches!(
            (self.obj, who),
            (Obj::Donation | Obj::Device | Obj::Licence | Obj::ImpactOf, Who::Donor)
                | (
                    Obj::Student | Obj::Request | Obj::Loan | Obj::SchoolReportOf | Obj::ClassSet,
                    Who::School
                )
                | (Obj::Student | Obj::Loan, Who::Student)
        )
    }

    /// The concrete path, naming tenant A's object (`own`) or B's.
    fn concrete(&self, w: &World, own: bool) -> String {
        let o = if own { &w.a } else { &w.b };
        let id = match self.obj {
            Obj::None | Obj::ImpactOf | Obj::SchoolReportOf => String::new(),
            Obj::Organisation => w.organisation.clone(),
            Obj::User => w.user.clone(),
            Obj::Hub => w.hub.clone(),
            Obj::Donation => o.donation.clone(),
            Obj::Device => o.device.clone(),
            Obj::Licence => o.licence.clone(),
            Obj::Student => o.student.clone(),
            Obj::Request => o.request.clone(),
            Obj::Allocation => w.allocation.clone(),
            Obj::Loan => o.loan.clone(),
            Obj::ClassSet => o.class_set.clone(),
            Obj::Track => "coder".to_owned(),
            Obj::Unknown => uuid::Uuid::now_v7().to_string(),
        };
        let path = self.path.replace("{id}", &id).replace("{code}", &id);
        match self.obj {
            // The import names its donation in the query.
            Obj::None if self.path == "/api/v1/devices/import" => {
                format!("{path}?donation_id={}", o.donation)
            }
            Obj::ImpactOf => format!("{path}?donor_id={}", o.donor),
            Obj::SchoolReportOf => format!("{path}?school_id={}", o.school),
            _ => path,
        }
    }
}

/// A class set asked for at `hub`, for a course named after `tenant`.
fn class_set_body(hub: &str, tenant: &str) -> Value {
    let day = |d: i64| (chrono::Utc::now().date_naive() + chrono::Duration::days(d)).to_string();
    json!({"kind": "laptop", "count": 2, "starts_on": day(7), "ends_on": day(60), "hub_id": hub, "course": format!("Course {tenant}")})
}

/// A body that passes the route's schema, so that a refusal is about who asks, not what.
fn body(row: &Row, w: &World) -> Option<(Value, &'static str)> {
    let a = &w.a;
    let csv = |text: &str| Some((Value::String(text.to_owned()), "text/csv"));
    let json = |v: Value| Some((v, "application/json"));
    match (row.method, row.path) {
        ("get" | "delete", _) => None,
        ("post", "/api/v1/devices/import") | ("post", "/api/v1/students/import") => {
            csv("serial_number,model\nX-1,Model\n")
        }
        ("post", "/api/v1/donations/{id}/asset-list") => csv("serial\nMATRIX-A\n"),
        ("post", "/api/v1/erasure-reports") => {
            csv("serial,result,method,tool,time\nMATRIX-A,passed,nist_purge,Tool,2026-12-01 10:00\n")
        }
        ("post", "/api/v1/organisations") => json(json!({"name": "New School", "kind": "school"})),
        ("patch", "/api/v1/organisations/{id}") => json(json!({"name": "Renamed School"})),
        ("post", "/api/v1/users") => json(json!({"email": "new-staff@example.org", "role": "staff"})),
        ("patch", "/api/v1/users/{id}") => json(json!({"preferred_language": "en"})),
        ("post", "/api/v1/hubs") => json(json!({"name": "Hub Zuid", "address": "Weg 1"})),
        ("patch", "/api/v1/hubs/{id}") => json(json!({"opening_hours": "ma-vr 9-17"})),
        ("patch", "/api/v1/tracks/{code}") => json(json!({"min_ram_gb": 8})),
        ("post", "/api/v1/donations") => json(json!({"donor_id": a.donor, "expected_hub_id": w.hub})),
        ("post", "/api/v1/devices") => json(
            json!({"kind": "wifi_dongle", "serial_number": "DONGLE-M", "model": "M7350", "donation_id": a.donation}),
        ),
        ("post", "/api/v1/devices/{id}/transitions") => json(json!({"action": "move", "hub_id": w.hub})),
        ("post", "/api/v1/licences") => json(
            json!({"product": "jetbrains-all-products", "vendor": "JetBrains", "seats": 1, "key": "K", "donation_id": a.donation}),
        ),
        ("patch", "/api/v1/licences/{id}") => json(json!({"seats": 3})),
        ("post", "/api/v1/students") => {
            let mut b = student_body("Matrix New", "matrix-new@example.org");
            b["hub_id"] = json!(w.hub);
            json(b)
        }
        ("patch", "/api/v1/students/{id}") => json(json!({"lacks_software": false})),
        ("post", "/api/v1/requests") => json(json!({"student_id": a.student, "kind": "connectivity"})),
        ("post", "/api/v1/allocations") => json(json!({"request_id": a.request, "device_id": a.device})),
        ("post", "/api/v1/travel-costs") => {
            json(json!({"from_hub_id": w.hub, "to_hub_id": w.hub, "cost": 1}))
        }
        ("post", "/api/v1/allocation-caps") => {
            json(json!({"school_id": a.school, "kind": "laptop", "cap": 5}))
        }
        ("post", "/api/v1/loans/{id}/extend") => json(json!({"due_on": "2099-01-01", "reason": "More time"})),
        ("post", "/api/v1/loans/{id}/extension/refuse") => json(json!({"answer": "No"})),
        ("post", "/api/v1/loans/{id}/return") => json(json!({"condition": "good"})),
        ("post", "/api/v1/loans/{id}/fault") => json(json!({"description": "The screen flickers."})),
        ("post", "/api/v1/loans/{id}/gift") => json(json!({"reason": "Started a job"})),
        ("post", "/api/v1/loans/{id}/gift/accept") => json(json!({"agreement_version": "2026-12"})),
        ("post", "/api/v1/loans/{id}/in-use") => json(json!({"answer": "in_use"})),
        ("post", "/api/v1/in-use-answers") => json(json!({"token": "not-a-token", "answer": "in_use"})),
        ("patch", "/api/v1/donations/{id}") => json(json!({"gifts_allowed": false})),
        ("post", "/api/v1/returns") => {
            json(json!({"items": [{"asset_tag": "DPL-NONE", "condition": "good"}]}))
        }
        ("patch", "/api/v1/me") => json(json!({"preferred_language": "en"})),
        ("post", "/api/v1/me/password") => {
            json(json!({"current_password": "not the password", "new_password": "a long enough password"}))
        }
        ("post", "/api/v1/allocations/decide-hub") => json(json!({"hub_id": null, "decision": "reject"})),
        ("post", "/api/v1/loans/{id}/counter-handover") => json(json!({"agree": true})),
        ("post", "/api/v1/class-sets") => json(class_set_body(&w.hub, "new")),
        ("post", "/api/v1/class-sets/{id}/report-lost" | "/api/v1/class-sets/{id}/write-off") => {
            json(json!({"device_ids": [uuid::Uuid::now_v7()]}))
        }
        ("post", "/api/v1/class-sets/{id}/accept") => json(json!({"agreement_version": "2026-12"})),
        ("post", "/api/v1/class-sets/{id}/return") => {
            json(json!({"items": [{"device_id": uuid::Uuid::now_v7(), "condition": "good"}]}))
        }
        ("post", "/api/v1/fault-reports/{id}/swap") => json(json!({"device_id": uuid::Uuid::now_v7()})),
        ("post", "/api/v1/auth/login") => {
            json(json!({"email": "nobody@example.org", "password": "wrong password 1"}))
        }
        ("post", "/api/v1/auth/magic-link" | "/api/v1/auth/password-reset") => {
            json(json!({"email": "nobody@example.org"}))
        }
        ("post", "/api/v1/auth/magic-link/redeem") => json(json!({"token": "not-a-token"})),
        ("post", "/api/v1/auth/magic-link/code") => {
            json(json!({"email": "nobody@example.org", "code": "123456"}))
        }
        ("post", "/api/v1/auth/invitation/accept" | "/api/v1/auth/password-reset/redeem") => {
            json(json!({"token": "not-a-token", "password": "a long enough password"}))
        }
        _ => json(json!({})),
    }
}

async fn send(
    app: &TestApp,
    row: &Row,
    path: &str,
    token: Option<&str>,
    body: &Option<(Value, &str)>,
) -> StatusCode {
    let method = Method::from_bytes(row.method.to_uppercase().as_bytes()).expect("method");
    let mut req = app.client.request(method, app.url(path));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    match body {
        Some((Value::String(text), kind)) if *kind == "text/csv" => {
            req = req.header("content-type", "text/csv").body(text.clone());
        }
        Some((value, _)) => req = req.json(value),
        None => {}
    }
    req.send().await.expect("sent").status()
}

#[tokio::test]
async fn every_route_answers_every_role_and_tenant_as_the_contract_says() {
    let app = spawn_app_with(|s| s.loans.offer_available_kit = false).await;
    let doc: Value = app
        .client
        .get(app.url("/api-docs/openapi.json"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let documented = crate::openapi::operations(&doc);
    let rows: BTreeSet<(String, String)> =
        MATRIX.iter().map(|r| (r.method.to_owned(), r.path.to_owned())).collect();
    let missing: Vec<_> = documented.difference(&rows).collect();
    assert!(missing.is_empty(), "routes without a row in the authorisation matrix: {missing:?}");
    let stale: Vec<_> = rows.difference(&documented).collect();
    assert!(stale.is_empty(), "rows for routes the document does not list: {stale:?}");

    let w = world(&app).await;
    let mut wrong = Vec::new();
    // Refusals first: they change nothing, so every row sees the world as it was made.
    for row in MATRIX {
        let body = body(row, &w);
        let own = row.concrete(&w, true);
        if !row.allows(Who::Anon) {
            let status = send(&app, row, &own, None, &body).await;
            if status != StatusCode::UNAUTHORIZED {
                wrong.push(format!("{} {} signed out: {status}, not 401", row.method, row.path));
            }
        }
        for (who, token) in &w.tokens {
            if !row.allows(*who) {
                let status = send(&app, row, &own, Some(token), &body).await;
                if status != StatusCode::FORBIDDEN {
                    wrong.push(format!("{} {} as {who:?}: {status}, not 403", row.method, row.path));
                }
            } else if row.tenant_bound(*who) {
                let other = row.concrete(&w, false);
                let status = send(&app, row, &other, Some(token), &body).await;
                if status != StatusCode::NOT_FOUND {
                    wrong.push(format!(
                        "{} {} as {who:?} on another tenant's: {status}, not 404",
                        row.method, row.path
                    ));
                }
            }
        }
    }
    // Then the roles each route is for, reading before writing and erasing last, so that no
    // write takes away what a later row reads.
    // Signing out everywhere ends the roles' tokens: it comes after everything else.
    let order = |r: &&Row| match r.method {
        _ if r.path.ends_with("/sign-out-everywhere") => 3,
        "get" => 0,
        "delete" => 2,
        _ => 1,
    };
    let mut allowed: Vec<&Row> = MATRIX.iter().collect();
    allowed.sort_by_key(order);
    for row in allowed {
        let body = body(row, &w);
        let own = row.concrete(&w, true);
        for (who, token) in &w.tokens {
            if !row.allows(*who) {
                continue;
            }
            // The student was erased by the DELETE rows before: their account is gone.
            if row.path.ends_with("/sign-out-everywhere") && *who == Who::Student {
                continue;
            }
            let status = send(&app, row, &own, Some(token), &body).await;
            // Made-up credentials are refused with 401: that is the sign-in working.
            let signs_in = row.path.starts_with("/api/v1/auth/");
            let refused = (status == StatusCode::UNAUTHORIZED && !signs_in)
                || status == StatusCode::FORBIDDEN
                || (row.method == "get" && row.obj != Obj::Unknown && status == StatusCode::NOT_FOUND);
            if refused || status.is_server_error() {
                wrong.push(format!("{} {} as {who:?} on its own: {status}", row.method, row.path));
            }
        }
        if row.allows(Who::Anon) {
            let status = send(&app, row, &own, None, &body).await;
            let signs_in = row.path.starts_with("/api/v1/auth/");
            if (status == StatusCode::UNAUTHORIZED && !signs_in)
                || status == StatusCode::FORBIDDEN
                || status.is_server_error()
            {
                wrong.push(format!("{} {} signed out, open to anyone: {status}", row.method, row.path));
            }
        }
    }
    assert!(wrong.is_empty(), "{} answers break the contract:\n{}", wrong.len(), wrong.join("\n"));
}
