//! A donor's pages over HTTP against the real app: pledging, adding devices one by one and as a
//! Dutch spreadsheet, a licence whose key is never shown back, the labels, the impact page with
//! its hidden small groups, and that another donor's donation is the 404 page. And the school's
//! report page, which a coordinator reads beside the class list.

use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};
use crate::reports::programme;
use crate::web::{form, form_token, page};
use crate::web_school::{html, location, session_of, upload};
use devicepool::domain::Role;

/// A donor organisation with a signed-in account, and a hub: (donor token, session, hub id).
async fn donor(app: &TestApp, name: &str) -> (String, String, String) {
    let admin = app.admin_token().await;
    let org = app.create_organisation(&admin, name, "donor").await;
    let (token, _) = app.user_with_role(&admin, Role::Donor, Some(&org)).await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let hub =
        app.post("/api/v1/hubs", &staff, json!({"name": format!("Hub {name}"), "address": "Plein 1"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let session = session_of(app, &token).await;
    (token, session, hub)
}

/// Twenty laptops as the Dutch Excel export writes them; `bad` spoils rows 4 and 7.
fn twenty_laptops(bad: bool) -> String {
    let mut file = String::from("\u{feff}Serienummer;Model;Geheugen;Opslag;Oplader\r\n");
    for i in 1..=20 {
        let memory = if bad && i == 3 { "veel" } else { "16 GB" };
        let serial = if bad && i == 6 { String::new() } else { format!("NW-{i:03}") };
        file.push_str(&format!("{serial};\"HP ProBook 450; G8\";{memory};256;ja\r\n"));
    }
    file
}

#[tokio::test]
async fn a_donor_pledges_adds_twenty_laptops_and_a_licence_and_prints_the_labels() {
    let app = spawn_app().await;
    let (_, session, hub) = donor(&app, "Northwind").await;
    let list = html(&app, "/donations?lang=en", &session, StatusCode::OK).await;
    assert!(list.contains("You have not pledged a donation yet."), "{list}");
    let csrf = form_token(&list);

    // A date that is not one: the form again, with what was typed.
    let typed = [
        ("csrf", csrf.as_str()),
        ("expected_hub_id", hub.as_str()),
        ("expected_date", "soon"),
        ("note", "Bel Sanne"),
    ];
    let res = form(&app, "/donations/new", &session, &typed).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = res.text().await.expect("html");
    assert!(again.contains("href=\"#expected_date\"") && again.contains("Bel Sanne"), "{again}");
    let mut good = typed.to_vec();
    good[2] = ("expected_date", "15-01-2027");
    let res = form(&app, "/donations/new", &session, &good).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let donation_page = location(&res);
    let id = donation_page.trim_start_matches("/donations/").split('?').next().expect("id").to_owned();
    let file = html(&app, &donation_page, &session, StatusCode::OK).await;
    assert!(file.contains("Your donation is pledged.") && file.contains("15 January 2027"), "{file}");

    // The spreadsheet with two bad rows: both said, nothing added.
    let import = format!("/donations/{id}/devices/import");
    let res = upload(&app, &import, &session, &csrf, Some(&twenty_laptops(true))).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let rows = res.text().await.expect("html");
    assert!(rows.contains("Row 4, memory:"), "{rows}");
    assert!(rows.contains("Row 7, serial number:"), "{rows}");
    assert!(html(&app, &format!("/donations/{id}"), &session, StatusCode::OK)
        .await
        .contains("There are no devices"));
    let res = upload(&app, &import, &session, &csrf, Some(&twenty_laptops(false))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let file = html(&app, &location(&res), &session, StatusCode::OK).await;
    assert!(file.contains("20 devices are added."), "{file}");
    assert_eq!(file.matches("<code>NW-").count(), 20, "every laptop is listed");

    // One more by hand: mistakes named at their fields, then the same serial is refused.
    let one = format!("/donations/{id}/devices/new");
    let bad = [("csrf", csrf.as_str()), ("kind", "laptop"), ("serial_number", "NW-021"), ("ram_gb", "lots")];
    let res = form(&app, &one, &session, &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = res.text().await.expect("html");
    for field in ["ram_gb", "model", "storage_gb"] {
        assert!(again.contains(&format!("href=\"#{field}\"")), "{field}: {again}");
    }
    assert!(again.contains("value=\"NW-021\""), "what was typed stays");
    let laptop = [
        ("csrf", csrf.as_str()),
        ("kind", "laptop"),
        ("serial_number", "NW-001"),
        ("model", "Dell Latitude 5420"),
        ("ram_gb", "8"),
        ("storage_gb", "256 GB"),
        ("screen_inches", "14"),
        ("charger_included", "yes"),
    ];
    let res = form(&app, &one, &session, &laptop).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "the serial is in the pool already");
    assert!(res.text().await.expect("html").contains("href=\"#serial_number\""));
    let mut laptop = laptop.to_vec();
    laptop[2] = ("serial_number", "NW-021");
    let res = form(&app, &one, &session, &laptop).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap_or_default());
    let file = html(&app, &location(&res), &session, StatusCode::OK).await;
    assert!(file.contains("The device is added.") && file.contains("Dell Latitude 5420"), "{file}");

    // A licence: its key goes in once and never comes back.
    let licence = format!("/donations/{id}/licences/new");
    let typed = [
        ("csrf", csrf.as_str()),
        ("product", "Figma"),
        ("vendor", ""),
        ("seats", "25"),
        ("key", "SECRET-KEY-123"),
    ];
    let res = form(&app, &licence, &session, &typed).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = res.text().await.expect("html");
    assert!(again.contains("href=\"#vendor\"") && !again.contains("SECRET-KEY-123"), "{again}");
    let mut typed = typed.to_vec();
    typed[2] = ("vendor", "Figma Inc");
    let res = form(&app, &licence, &session, &typed).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let file = html(&app, &location(&res), &session, StatusCode::OK).await;
    assert!(file.contains("0 of 25 in use") && !file.contains("SECRET-KEY-123"), "{file}");
    assert!(file.contains("<th scope=\"row\">Pledged</th><td>21</td>"), "{file}");

    // Every label on one page, light enough to open on a phone.
    let labels = html(&app, &format!("/donations/{id}/labels"), &session, StatusCode::OK).await;
    assert_eq!(labels.matches("<svg").count(), 21);
    assert!(labels.contains(">DPL-") && labels.contains("S/N NW-001"), "{labels}");
    assert!(labels.len() < 50_000, "{} bytes", labels.len());

    let list = html(&app, "/donations", &session, StatusCode::OK).await;
    assert!(list.contains("21 devices, 1 licence"), "{list}");
    let sample = page(&app, "/donations/devices-sample.csv", &session).await;
    assert_eq!(sample.status(), StatusCode::OK);
    assert!(sample.text().await.expect("csv").starts_with("kind,serial_number,model,"));
}

#[tokio::test]
async fn another_donors_donation_is_the_404_page_and_other_roles_are_turned_away() {
    let app = spawn_app().await;
    let (_, session, hub) = donor(&app, "Northwind").await;
    let (_, other, _) = donor(&app, "Contoso").await;
    let csrf = form_token(&html(&app, "/donations?lang=en", &session, StatusCode::OK).await);
    let res =
        form(&app, "/donations/new", &session, &[("csrf", csrf.as_str()), ("expected_hub_id", hub.as_str())])
            .await;
    let id = location(&res).trim_start_matches("/donations/").split('?').next().expect("id").to_owned();

    for path in ["", "/devices/new", "/devices/import", "/licences/new", "/labels"] {
        html(&app, &format!("/donations/{id}{path}"), &other, StatusCode::NOT_FOUND).await;
    }
    html(&app, "/donations/not-an-id", &other, StatusCode::NOT_FOUND).await;
    let other_csrf = form_token(&html(&app, "/donations", &other, StatusCode::OK).await);
    let device =
        [("csrf", other_csrf.as_str()), ("kind", "wifi_dongle"), ("serial_number", "X1"), ("model", "E5576")];
    let res = form(&app, &format!("/donations/{id}/devices/new"), &other, &device).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let licence =
        [("csrf", other_csrf.as_str()), ("product", "figma"), ("vendor", "F"), ("seats", "1"), ("key", "K")];
    let res = form(&app, &format!("/donations/{id}/licences/new"), &other, &licence).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = upload(
        &app,
        &format!("/donations/{id}/devices/import"),
        &other,
        &other_csrf,
        Some("serial;model\nA;B\n"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Nothing reached the donation.
    let file = html(&app, &format!("/donations/{id}"), &session, StatusCode::OK).await;
    assert!(file.contains("There are no devices") && file.contains("There are no licences"), "{file}");

    // A coordinator may not use a donor's pages, nor a donor the school's.
    let admin = app.admin_token().await;
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    let coordinator = session_of(&app, &coordinator).await;
    for path in ["/donations", "/donations/new", "/reports/impact"] {
        html(&app, path, &coordinator, StatusCode::FORBIDDEN).await;
    }
    html(&app, &format!("/donations/{id}"), &coordinator, StatusCode::FORBIDDEN).await;
    html(&app, "/reports/school", &session, StatusCode::FORBIDDEN).await;
    // Signed out: the way to sign in.
    let res = page(&app, "/donations", "").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_impact_page_shows_hidden_groups_as_fewer_than_five_and_never_who_holds_the_kit() {
    let app = spawn_app().await;
    let p = programme(&app).await;
    let session = session_of(&app, &p.donor1).await;
    // March 2026: one student received the kit, so every student figure is hidden; the kit is not.
    let impact =
        html(&app, "/reports/impact?from=2026-03&to=03-2026&lang=en", &session, StatusCode::OK).await;
    assert!(impact.contains("<h1>Our impact</h1>"), "{impact}");
    assert!(impact.contains("fewer than 5<a href=\"#why-hidden\""), "{impact}");
    assert!(impact.contains("so that nobody can be recognised"), "{impact}");
    assert!(impact.contains("<th scope=\"row\">Codeschool A</th><td>fewer than 5"), "{impact}");
    assert!(impact.contains("<th scope=\"row\">Students who had your kit</th><td>fewer than 5"), "{impact}");
    assert!(impact.contains("<td data-label=\"Donated\">5</td>"), "{impact}");
    assert!(impact.contains("<svg class=\"chart\""), "the chart of kit in service");
    assert!(!impact.contains("Student 0000"), "no student is named");
    let dutch = html(&app, "/reports/impact?from=2026-03&to=2026-03&lang=nl", &session, StatusCode::OK).await;
    assert!(dutch.contains("minder dan 5"), "{dutch}");

    // The same figures as a download, in the API's CSV.
    let res = page(&app, "/reports/impact?from=2026-03&to=2026-03&format=csv", &session).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    let disposition = res.headers()[CONTENT_DISPOSITION].to_str().expect("header").to_owned();
    assert_eq!(disposition, "attachment; filename=\"impact-2026-03-01-2026-03-31.csv\"");
    let csv = res.text().await.expect("csv");
    assert!(csv.starts_with("section,") && csv.contains("students,"), "{csv}");

    // A month that has not ended, and one that is not a month: both said, no figures.
    let res = page(&app, "/reports/impact?from=maart&to=2099-01&lang=en", &session).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = res.text().await.expect("html");
    assert!(again.contains("href=\"#from\"") && again.contains("value=\"maart\""), "{again}");
    assert!(!again.contains("Students who had your kit"), "{again}");

    // Their donation's items have stages, never holders.
    let donations: Value = app.get("/api/v1/donations", &p.donor1).await.json().await.expect("json");
    for d in donations["items"].as_array().expect("items") {
        let file =
            html(&app, &format!("/donations/{}", d["id"].as_str().expect("id")), &session, StatusCode::OK)
                .await;
        assert!(!file.contains("Student 0000") && !file.contains("Codeschool"), "{file}");
        if file.contains("TAG") {
            assert!(file.contains("In service") && file.contains("Retired"), "{file}");
        }
    }
}

#[tokio::test]
async fn a_coordinator_reads_the_school_report_as_a_page_and_as_csv() {
    let app = spawn_app().await;
    let p = programme(&app).await;
    let session = session_of(&app, &p.school1).await;
    let report =
        html(&app, "/reports/school?from=2026-01-01&to=30-06-2026&lang=en", &session, StatusCode::OK).await;
    assert!(report.contains("<h1>School report</h1>"), "{report}");
    assert!(report.contains("From 1 January 2026 to 30 June 2026."), "{report}");
    assert!(report.contains("Students who wait for kit") && report.contains("Student 0000"), "{report}");
    assert!(
        report
            .contains("<td data-label=\"Where it stands\">Has the kit</td><td data-label=\"Number\">4</td>"),
        "{report}"
    );
    let res = page(&app, "/reports/school?from=2026-01-01&to=2026-06-30&format=csv", &session).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    let csv = res.text().await.expect("csv");
    assert!(csv.contains("waiting,") && csv.contains("Codeschool A"), "{csv}");
    // Another school's students are not in it.
    let other = session_of(&app, &p.school2).await;
    let theirs = html(&app, "/reports/school?from=2026-01-01&to=2026-06-30", &other, StatusCode::OK).await;
    assert!(!theirs.contains("Codeschool A"), "{theirs}");
    let res = page(&app, "/reports/school?from=2026-07-01&to=2026-01-01&lang=en", &session).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("html").contains("href=\"#from\""));
}
