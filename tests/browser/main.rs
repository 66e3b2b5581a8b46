//! End to end in a real browser: Debian's Chromium, driven over WebDriver, against the real
//! app; axe-core checks every page on the way, and screenshots at phone and desktop width go to
//! `target/screenshots/`. They need Chromium, chromedriver and axe-core, which `.ci/run`
//! installs before it runs `cargo test --test browser` on both backends; a plain `cargo test`
//! leaves this binary out (`test = false` in Cargo.toml), and without Chromium it fails loudly.

mod driver;
// The API tests' helpers: the app on a fresh database of the backend under test, and the kit
// and people they build.
#[allow(dead_code)]
#[path = "../api/fixtures.rs"]
mod fixtures;
#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::fixtures::confirmed_loan;
use crate::helpers::{sealed_values, TestApp, PASSWORD};
use driver::{Browser, Driver};

/// The Enter key, as WebDriver types it (a USB scanner ends every code with it).
const ENTER: &str = "\u{E007}";

/// axe-core's script, from `.ci/browser` (npm, pinned) or `$AXE_CORE_JS`.
fn axe() -> String {
    let path = std::env::var("AXE_CORE_JS").unwrap_or_else(|_| {
        format!("{}/.ci/browser/node_modules/axe-core/axe.min.js", env!("CARGO_MANIFEST_DIR"))
    });
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("axe-core at {path}: {e} (npm install in .ci/browser)"))
}

/// Checks the page the browser shows: no serious or critical accessibility problem, no
/// sideways scrolling at phone width, and a screenshot at both widths.
async fn check_page(browser: &Browser, axe: &str, name: &str) {
    let problems = browser.accessibility_problems(axe).await;
    assert!(problems.is_empty(), "{name}: {problems:#?}");
    let bytes = browser.page_bytes().await;
    assert!(bytes > 0 && bytes < 50_000, "{name} weighs {bytes} bytes");
    browser.screenshot(&format!("{name}-desktop")).await;
    browser.set_width(320, 720).await;
    if browser.scrolls_sideways().await {
        panic!("{name} does not fit 320 px: {:?}", browser.too_wide().await);
    }
    browser.screenshot(&format!("{name}-phone")).await;
    browser.set_width(1280, 900).await;
}

/// The reserved loan accepted (as the agreement page records it) and handed over by staff.
async fn with_the_student(app: &TestApp, staff: &str, loan_id: &str) {
    let id = loan_id.to_owned();
    app.with_db(move |conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query(format!(
            "UPDATE loans SET accepted_at = created_at, agreement_version = 'test' WHERE id = '{id}'"
        ))
        .execute(conn)
        .expect("accepted");
    })
    .await;
    let res = app.post(&format!("/api/v1/loans/{loan_id}/handover"), staff, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
}

/// The link and code of the newest sign-in mail to `email`.
async fn sign_in_mail(app: &TestApp, email: &str) -> (String, String) {
    let to = email.to_owned();
    let rows = app.with_db(move |c| devicepool::store::outbox::for_recipient(c, &to).expect("rows")).await;
    let values = sealed_values(app, rows.iter().find(|m| m.template == "magic_link").expect("sign-in mail"));
    let link = values["link"].as_str().expect("link").replace("http://localhost:8080", &app.address);
    (link, values["code"].as_str().expect("code").to_owned())
}

#[tokio::test]
async fn a_student_goes_from_the_mail_to_their_laptop_accepts_asks_for_time_and_reports_a_broken_charger() {
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let (staff, _, email, loan, _, _) = confirmed_loan(&app).await;
    let driver = Driver::start().await;
    let browser = driver.browser("nl-NL,nl").await;

    browser.open(&app.url("/")).await;
    check_page(&browser, &axe, "front").await;
    browser.open(&app.url("/sign-in")).await;
    check_page(&browser, &axe, "sign-in").await;
    browser.fill("#email", &email).await;
    browser.click("button[type=submit]").await;
    assert_eq!(browser.wait_for_text("h1", "Kijk in je mail").await, "Kijk in je mail");
    check_page(&browser, &axe, "check-mail").await;

    // A mail scanner opens the link first, in a browser of its own, and follows nothing; the
    // student's browser still signs in with it.
    let (link, _) = sign_in_mail(&app, &email).await;
    let scanner = driver.browser("en").await;
    scanner.open(&link).await;
    assert_eq!(scanner.wait_for_text("h1", "Sign in").await, "Sign in");
    scanner.close().await;
    browser.open(&link).await;
    check_page(&browser, &axe, "sign-in-link").await;
    browser.click("button[type=submit]").await;
    let url = browser.wait_for_path("/my-kit").await;
    assert!(url.ends_with("/my-kit"), "{url}");
    assert_eq!(browser.wait_for_text("h1", "Mijn spullen").await, "Mijn spullen");
    let kit = browser.text("main").await;
    assert!(
        kit.contains("Laptop") && kit.contains("Hub Zuidoost") && kit.contains("Bijlmerplein 1"),
        "{kit}"
    );
    check_page(&browser, &axe, "my-kit").await;

    // The agreement: one box to tick, one button; without the tick, the page says so.
    browser.click(".actions a.button").await;
    assert_eq!(browser.wait_for_text("h1", "De leenovereenkomst").await, "De leenovereenkomst");
    check_page(&browser, &axe, "accept").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for_text(".error-summary h2", "Er is een probleem").await;
    check_page(&browser, &axe, "accept-error").await;
    browser.click("#agree").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for_path("/my-kit").await;
    assert!(!browser.text("main").await.contains("Lees en accepteer"), "accepted");

    // Staff hand the laptop over; then the student asks for more time and reports the charger.
    let loan_id = loan["id"].as_str().expect("id");
    let res = app.post(&format!("/api/v1/loans/{loan_id}/handover"), &staff, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    browser.open(&app.url(&format!("/loans/{loan_id}/more-time"))).await;
    check_page(&browser, &axe, "more-time").await;
    let due: chrono::NaiveDate = loan["due_on"].as_str().expect("due").parse().expect("date");
    browser.fill("#due_on", &(due + chrono::Duration::days(14)).to_string()).await;
    browser.fill("#reason", "Mijn stage duurt langer.").await;
    browser.click("main form button[type=submit]").await;
    let heading = browser.wait_for_text("h1", "We hebben je vraag").await;
    if heading != "We hebben je vraag" {
        browser.screenshot("more-time-failed").await;
        panic!("more time was not asked: {}", browser.text("main").await);
    }
    check_page(&browser, &axe, "more-time-sent").await;

    browser.open(&app.url(&format!("/loans/{loan_id}/problem"))).await;
    check_page(&browser, &axe, "problem").await;
    browser.click("#what-broken").await;
    browser.fill("#description", "De oplader werkt niet meer.").await;
    browser.click("main form button[type=submit]").await;
    assert_eq!(browser.wait_for_text("h1", "We hebben je melding").await, "We hebben je melding");
    let queue: Value = app.get("/api/v1/fault-reports", &staff).await.json().await.expect("json");
    assert_eq!(queue["items"][0]["description"], "De oplader werkt niet meer.", "staff see the report");

    browser.open(&app.url("/my-data")).await;
    assert!(browser.text("main").await.contains(&email), "their own data");
    check_page(&browser, &axe, "my-data").await;
    browser.open(&app.url("/my-kit?lang=en")).await;
    assert_eq!(browser.wait_for_text("h1", "My kit").await, "My kit");
    browser.close().await;
}

#[tokio::test]
async fn a_student_on_another_device_types_the_code_from_the_mail() {
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let (_, _, email, _, _, _) = confirmed_loan(&app).await;
    let res = app.request(Method::POST, "/api/v1/auth/magic-link", None, Some(json!({"email": email}))).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let (_, code) = sign_in_mail(&app, &email).await;
    let driver = Driver::start().await;
    let browser = driver.browser("nl-NL,nl").await;
    browser.open(&app.url("/sign-in")).await;
    browser.fill("#email", &email).await;
    browser.click("button[type=submit]").await;
    assert_eq!(browser.wait_for_text("h1", "Kijk in je mail").await, "Kijk in je mail");
    // The code of the first mail was revoked by the second; the newest one works.
    browser.fill("#code", &code).await;
    browser.click("form[action='/sign-in/code'] button").await;
    browser.wait_for_text(".error-summary h2", "Er is een probleem").await;
    assert!(browser.title().await.starts_with("Fout:"), "an old code is refused: {}", browser.title().await);
    assert_eq!(browser.focused_id().await, "error-summary", "the summary takes the focus");
    check_page(&browser, &axe, "check-mail-error").await;
    let (_, code) = sign_in_mail(&app, &email).await;
    browser.fill("#code", &code).await;
    browser.click("form[action='/sign-in/code'] button").await;
    assert_eq!(browser.wait_for_text("h1", "Mijn spullen").await, "Mijn spullen");
    browser.close().await;
}

#[tokio::test]
async fn a_coordinator_signs_in_with_a_password_after_one_mistake() {
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let admin = app.admin_token().await;
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (token, _) = app.user_with_role(&admin, devicepool::domain::Role::School, Some(&school)).await;
    let me: Value = app.get("/api/v1/me", &token).await.json().await.expect("me");
    let email = me["email"].as_str().expect("email").to_owned();
    let driver = Driver::start().await;
    let browser = driver.browser("en-GB,en").await;
    browser.open(&app.url("/login?lang=en")).await;
    check_page(&browser, &axe, "login").await;
    browser.fill("#email", &email).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text(".error-summary h2", "There is a problem").await;
    assert_eq!(browser.title().await, "Error: Sign in · devicepool");
    check_page(&browser, &axe, "login-error").await;
    browser.fill("#password", PASSWORD).await;
    browser.click("button[type=submit]").await;
    assert!(browser.wait_for_path("/start").await.ends_with("/start"));
    assert!(browser.text("main").await.contains(&email));
    check_page(&browser, &axe, "start").await;
    browser.click("header form button").await;
    assert_eq!(browser.wait_for_text("h1", "Kit for your course").await, "Kit for your course", "signed out");
    browser.open(&app.url("/no-such-page")).await;
    check_page(&browser, &axe, "not-found").await;
    browser.close().await;
}

#[tokio::test]
async fn an_admin_invites_a_new_donor_who_accepts_then_forgets_the_password_and_resets_it() {
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let admin = app.admin_token().await;
    let driver = Driver::start().await;
    let desk = driver.browser("en-GB,en").await;
    admin_invites_the_donor(&app, &desk, &axe, &admin).await;
    let link = |template: &'static str| {
        let app = &app;
        async move {
            let rows = app
                .with_db(|c| {
                    devicepool::store::outbox::for_recipient(c, "it@northwind.example").expect("rows")
                })
                .await;
            let mail = rows.iter().find(|m| m.template == template).expect("mail");
            sealed_values(app, mail)["link"]
                .as_str()
                .expect("link")
                .replace("http://localhost:8080", &app.address)
        }
    };
    let browser = driver.browser("nl-NL,nl").await;

    browser.open(&link("invitation").await).await;
    check_page(&browser, &axe, "accept-invitation").await;
    browser.fill("#password", "kort").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for_text(".error-summary h2", "Er is een probleem").await;
    check_page(&browser, &axe, "accept-invitation-error").await;
    browser.fill("#password", "een wachtwoord van ons").await;
    browser.click("main form button[type=submit]").await;
    assert!(browser.wait_for_path("/start").await.ends_with("/start"));
    assert!(browser.text("main").await.contains("donor"), "the donor's next step");
    browser.click("header form button").await;
    browser.wait_for_text("h1", "Spullen voor je opleiding").await;

    browser.open(&app.url("/login")).await;
    browser.click("a[href='/forgot-password']").await;
    assert_eq!(browser.wait_for_text("h1", "Wachtwoord vergeten?").await, "Wachtwoord vergeten?");
    check_page(&browser, &axe, "forgot-password").await;
    browser.fill("#email", "it@northwind.example").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for("main .panel").await;
    check_page(&browser, &axe, "forgot-password-sent").await;
    browser.open(&link("password_reset").await).await;
    check_page(&browser, &axe, "reset-password").await;
    browser.fill("#password", "een nieuw wachtwoord").await;
    browser.click("main form button[type=submit]").await;
    assert!(browser.wait_for_path("/start").await.ends_with("/start"));
    browser.click("header form button").await;
    browser.wait_for_text("h1", "Spullen voor je opleiding").await;
    browser.open(&app.url("/login")).await;
    browser.fill("#email", "it@northwind.example").await;
    browser.fill("#password", "een nieuw wachtwoord").await;
    browser.click("main form button[type=submit]").await;
    assert!(browser.wait_for_path("/start").await.ends_with("/start"), "the new password signs in");
    browser.close().await;

    // The admin sees the new contact can sign in, and could disable the account.
    desk.open(&app.url("/organisations")).await;
    desk.click("main li a").await;
    assert!(desk.wait_for_text("main td", "it@northwind.example").await.contains("northwind"));
    assert!(desk.text("main table").await.contains("Can sign in"));
    desk.click("main td a[href$='/disable']").await;
    assert_eq!(
        desk.wait_for_text("h1", "Disable it@northwind.example").await,
        "Disable it@northwind.example"
    );
    check_page(&desk, &axe, "account-disable").await;
    desk.close().await;
}

/// The admin adds Northwind BV as a donor and invites its IT manager in Dutch, on the pages.
async fn admin_invites_the_donor(app: &TestApp, desk: &Browser, axe: &str, admin: &str) {
    sign_in_with_password(app, desk, admin, "en").await;
    desk.click("main a.button[href='/organisations']").await;
    assert_eq!(desk.wait_for_text("h1", "Organisations").await, "Organisations");
    check_page(desk, axe, "organisations").await;
    desk.click("a[href='/organisations/new']").await;
    desk.wait_for_text("h1", "Add an organisation").await;
    desk.click("main form button[type=submit]").await;
    desk.wait_for(".error-summary").await;
    assert!(desk.text(".error-summary").await.contains("Choose school or donor."));
    check_page(desk, axe, "organisation-form-mistakes").await;
    desk.fill("#name", "Northwind BV").await;
    desk.click("#kind-donor").await;
    desk.click("main form button[type=submit]").await;
    let added = "The organisation is added. Now invite its people.";
    assert_eq!(desk.wait_for_text(".notice p", added).await, added);
    desk.fill("#email", "it@northwind.example").await;
    desk.click("#language").await;
    desk.type_here(&format!("Nederlands{ENTER}")).await;
    desk.click("form[action$='/invite'] button").await;
    let sent = "The invitation is on its way. The link works for 7 days.";
    assert_eq!(desk.wait_for_text(".notice p", sent).await, sent);
    assert!(desk.text("main table").await.contains("Invited, no password yet"));
    check_page(desk, axe, "organisation").await;
    desk.click("a[href='/organisations']").await;
    desk.click("a[href='/accounts']").await;
    assert_eq!(desk.wait_for_text("h1", "Pool staff and admins").await, "Pool staff and admins");
    check_page(desk, axe, "team").await;
    let contact: Value = app.get("/api/v1/users?role=donor", admin).await.json().await.expect("json");
    assert_eq!(contact["items"][0]["preferred_language"], "nl", "{contact}");
}

/// `text` written to a file of its own under `dir`, for a file field.
fn file_in(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("file written");
    path
}

/// Signs in on the login page with a password: the browser lands on the start page.
async fn sign_in_with_password(app: &TestApp, browser: &Browser, token: &str, lang: &str) {
    let me: Value = app.get("/api/v1/me", token).await.json().await.expect("me");
    browser.open(&app.url(&format!("/login?lang={lang}"))).await;
    browser.fill("#email", me["email"].as_str().expect("email")).await;
    browser.fill("#password", PASSWORD).await;
    browser.click("main form button[type=submit]").await;
    assert!(browser.wait_for_path("/start").await.ends_with("/start"), "signed in");
}

#[tokio::test]
async fn a_coordinator_uploads_a_class_list_fixes_two_rows_and_asks_for_a_laptop() {
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let admin = app.admin_token().await;
    let school = app.create_organisation(&admin, "Codeschool Noord", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, devicepool::domain::Role::School, Some(&school)).await;
    let other_school = app.create_organisation(&admin, "Academie Zuid", "school").await;
    let (other, _) = app.user_with_role(&admin, devicepool::domain::Role::School, Some(&other_school)).await;
    let files = tempfile::tempdir().expect("dir");
    let header = "naam;e-mail;taal;opleiding;startdatum;einddatum;geen laptop\r\n";
    let bad = format!(
        "{header}Ayla Demir;ayla@example.org;nl;coder;01-09-2026;30-06-2027;ja\r\n\
         Sam de Vries;sam-at-example;nl;coder;01-09-2026;30-06-2027;nee\r\n\
         Noor Bakker;noor@example.org;nl;coder;01-09-2026;gisteren;ja\r\n"
    );
    let good = bad.replace("sam-at-example", "sam@example.org").replace("gisteren", "30-06-2027");
    let (bad, good) =
        (file_in(&files, "klassenlijst-fout.csv", &bad), file_in(&files, "klassenlijst.csv", &good));

    let driver = Driver::start().await;
    let browser = driver.browser("nl-NL,nl").await;
    sign_in_with_password(&app, &browser, &coordinator, "nl").await;
    browser.click("main .panel a.button").await;
    assert_eq!(browser.wait_for_text("h1", "Mijn studenten").await, "Mijn studenten");
    check_page(&browser, &axe, "students-empty").await;
    browser.click("a[href='/students/import']").await;
    browser.wait_for_path("/students/import").await;
    check_page(&browser, &axe, "class-list-upload").await;

    // Two bad rows: both said in plain words, nobody enrolled.
    browser.choose_file("#file", &bad).await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for_text(".error-summary h2", "Er is een probleem").await;
    let rows = browser.text("#bad-rows + ul").await;
    assert!(rows.contains("Rij 3, e-mailadres:"), "{rows}");
    assert!(rows.contains("Rij 4, laatste dag:"), "{rows}");
    check_page(&browser, &axe, "class-list-bad-rows").await;

    browser.choose_file("#file", &good).await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for_path("/students").await;
    let list = browser.text("main").await;
    assert!(
        list.contains("Ayla Demir") && list.contains("Sam de Vries") && list.contains("Noor Bakker"),
        "{list}"
    );
    check_page(&browser, &axe, "students").await;

    // A laptop for Ayla: her page shows her place in the queue.
    let enrolled: Value = app.get("/api/v1/students", &coordinator).await.json().await.expect("students");
    let ayla = enrolled["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|s| s["name"] == "Ayla Demir")
        .expect("Ayla");
    browser.click(&format!("a[href='/students/{}']", ayla["id"].as_str().expect("id"))).await;
    browser.wait_for_text("h1", "Ayla Demir").await;
    let student_url = browser.url().await;
    check_page(&browser, &axe, "student").await;
    browser.click("a[href$='/request-kit']").await;
    browser.wait_for_path("/request-kit").await;
    check_page(&browser, &axe, "request-kit").await;
    browser.click("#kind").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for(".notice").await;
    let file = browser.text("main").await;
    assert!(file.contains("nummer 1 in de rij"), "{file}");
    check_page(&browser, &axe, "student-waiting").await;
    browser.open(&app.url("/reports/school")).await;
    assert!(browser.text("main").await.contains("Ayla Demir"), "the report lists who waits");
    check_page(&browser, &axe, "school-report").await;
    browser.close().await;

    // Another school's coordinator with that address: the page that says it is not there.
    let stranger = driver.browser("nl-NL,nl").await;
    sign_in_with_password(&app, &stranger, &other, "nl").await;
    stranger.open(&student_url).await;
    assert_eq!(stranger.wait_for_text("h1", "Pagina niet gevonden").await, "Pagina niet gevonden");
    assert!(!stranger.text("main").await.contains("Ayla"), "nothing of her shows");
    check_page(&stranger, &axe, "student-not-yours").await;
    stranger.close().await;
}

#[tokio::test]
async fn a_donor_pledges_uploads_twenty_laptops_prints_the_labels_and_reads_the_impact() {
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    // A laptop of this donor went to a student; the fixture dates the hand-over last month,
    // so that month's report counts one student: hidden.
    let (staff, _, _, loan, device, _) = confirmed_loan(&app).await;
    let loan_id = loan["id"].as_str().expect("id").to_owned();
    let today = chrono::Utc::now().date_naive();
    let last_month = devicepool::domain::report::first_of_month(today) - chrono::Duration::days(10);
    let handed = format!("{last_month} 10:00:00");
    app.with_db(move |conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query(format!(
            "UPDATE loans SET state = 'active', accepted_at = '{handed}', handed_over_at = '{handed}' \
             WHERE id = '{loan_id}'"
        ))
        .execute(conn)
        .expect("moved to last month");
    })
    .await;
    let laptop: Value =
        app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("device");
    let admin = app.admin_token().await;
    let donor_org = laptop["donor_id"].as_str().expect("donor").to_owned();
    let (donor, _) = app.user_with_role(&admin, devicepool::domain::Role::Donor, Some(&donor_org)).await;

    let files = tempfile::tempdir().expect("dir");
    let mut list = String::from("\u{feff}Serienummer;Model;Geheugen;Opslag;Oplader\r\n");
    for i in 1..=20 {
        list.push_str(&format!("NW-{i:03};\"HP ProBook 450; G8\";16 GB;256;ja\r\n"));
    }
    let list = file_in(&files, "laptops.csv", &list);

    let driver = Driver::start().await;
    let browser = driver.browser("en-GB,en").await;
    sign_in_with_password(&app, &browser, &donor, "en").await;
    browser.click("main .panel a.button").await;
    assert_eq!(browser.wait_for_text("h1", "My donations").await, "My donations");
    check_page(&browser, &axe, "donations").await;
    browser.click("a[href='/donations/new']").await;
    browser.wait_for_path("/donations/new").await;
    check_page(&browser, &axe, "pledge").await;
    browser.fill("#note", "Ask for Sanne at the desk.").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for(".notice").await;
    assert!(browser.text("main").await.contains("Your donation is pledged."));
    check_page(&browser, &axe, "donation-pledged").await;

    browser.click("a[href$='/devices/import']").await;
    browser.wait_for_path("/devices/import").await;
    check_page(&browser, &axe, "device-upload").await;
    browser.choose_file("#file", &list).await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for(".notice").await;
    let donation = browser.text("main").await;
    assert!(donation.contains("20 devices are added."), "{donation}");
    assert_eq!(donation.matches("NW-0").count(), 20, "{donation}");
    check_page(&browser, &axe, "donation").await;

    browser.click("a[href$='/labels']").await;
    browser.wait_for_path("/labels").await;
    assert_eq!(browser.text("h1").await, "Labels to print");
    check_page(&browser, &axe, "labels").await;

    let month = last_month.format("%Y-%m").to_string();
    browser.open(&app.url(&format!("/reports/impact?from={month}&to={month}"))).await;
    assert_eq!(browser.wait_for_text("h1", "Our impact").await, "Our impact");
    let impact = browser.text("main").await;
    assert!(impact.contains("fewer than 5"), "{impact}");
    assert!(impact.contains("so that nobody can be recognised"), "{impact}");
    check_page(&browser, &axe, "impact").await;
    browser.close().await;
}

#[tokio::test]
async fn staff_take_a_pledged_laptop_through_intake_with_the_keyboard_alone() {
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, devicepool::domain::Role::Staff, None).await;
    let donor = app.create_organisation(&admin, "Northwind", "donor").await;
    let hub = app.post("/api/v1/hubs", &staff, json!({"name": "Hub Noord", "address": "Plein 1"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let donation =
        crate::fixtures::create_donation(&app, &staff, json!({"donor_id": donor, "expected_hub_id": hub}))
            .await;
    let laptop = crate::fixtures::create_laptop(&app, &staff, &donation, "5CG-KEYS-1", 16).await;
    let tag = laptop["asset_tag"].as_str().expect("tag").to_owned();

    let driver = Driver::start().await;
    let browser = driver.browser("en-GB,en").await;
    sign_in_with_password(&app, &browser, &staff, "en").await;
    browser.open(&app.url("/devices")).await;
    assert_eq!(browser.focused_id().await, "q", "the field has the focus");
    check_page(&browser, &axe, "find-device").await;
    browser.type_here("nope-404").await;
    browser.type_here(ENTER).await;
    browser.wait_for(".error-summary").await;
    check_page(&browser, &axe, "find-device-none").await;
    browser.fill("#q", &tag.to_lowercase()).await;
    browser.type_here(ENTER).await;
    assert!(browser.wait_for_text("h1", &format!("{tag}: Lenovo ThinkPad T14")).await.starts_with(&tag));
    check_page(&browser, &axe, "device-pledged").await;

    // Each step's form has the focus where the next key goes: Enter, the certificate, Enter, Enter.
    for (typed, done) in [
        (ENTER.to_owned(), "Received. Now wipe the data."),
        (format!("BL-KEYS-1{ENTER}"), "The data is wiped and the record is kept. Now grade it."),
        (ENTER.to_owned(), "Graded. Now put it in the pool."),
        (ENTER.to_owned(), "It is in the pool."),
    ] {
        browser.type_here(&typed).await;
        assert_eq!(browser.wait_for_text(".notice p", done).await, done);
    }
    let page = browser.text("main").await;
    assert!(page.contains("In the pool") && page.contains("BL-KEYS-1"), "{page}");
    check_page(&browser, &axe, "device-in-pool").await;
    // An erasure tool's report is taken in from a link beside the finder; a bad one says why.
    browser.open(&app.url("/devices")).await;
    browser.click("a[href='/erasure-reports']").await;
    assert_eq!(browser.wait_for_text("h1", "Take in an erasure report").await, "Take in an erasure report");
    check_page(&browser, &axe, "erasure-report").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for(".error-summary").await;
    check_page(&browser, &axe, "erasure-report-mistakes").await;
    browser.close().await;
}

#[tokio::test]
async fn staff_hold_a_locked_laptop_and_the_donor_reconciles_their_list_and_files_the_certificate() {
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, devicepool::domain::Role::Staff, None).await;
    let donor_org = app.create_organisation(&admin, "Northwind", "donor").await;
    let (donor, _) = app.user_with_role(&admin, devicepool::domain::Role::Donor, Some(&donor_org)).await;
    let hub = app.post("/api/v1/hubs", &staff, json!({"name": "Hub Noord", "address": "Plein 1"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let donation = crate::fixtures::create_donation(
        &app,
        &staff,
        json!({"donor_id": donor_org, "expected_hub_id": hub}),
    )
    .await;
    let mut laptops = Vec::new();
    for serial in ["NW-LOCK-1", "NW-WIPED-2", "NW-EXTRA-9"] {
        let laptop = crate::fixtures::create_laptop(&app, &staff, &donation, serial, 8).await;
        laptops.push((
            laptop["id"].as_str().expect("id").to_owned(),
            laptop["asset_tag"].as_str().expect("tag").to_owned(),
        ));
    }
    let wiped = json!({"action": "wipe", "method": "nist_purge", "tool": "Blancco", "certificate_ref": "BL-2", "verification_result": "passed"});
    for (device, body) in [
        (&laptops[0].0, json!({"action": "receive"})),
        (&laptops[1].0, json!({"action": "receive"})),
        (&laptops[1].0, wiped),
    ] {
        let res = crate::fixtures::transition(&app, &staff, device, body.clone()).await;
        assert_eq!(res.status(), StatusCode::OK, "{body}");
    }

    // At the desk: the received laptop has a device management lock.
    let driver = Driver::start().await;
    let desk = driver.browser("en-GB,en").await;
    sign_in_with_password(&app, &desk, &staff, "en").await;
    desk.open(&app.url("/devices")).await;
    desk.type_here(&format!("{}{ENTER}", laptops[0].1)).await;
    desk.wait_for("#mark_locked-go").await;
    desk.click("#mark_locked-reason-device_management").await;
    desk.click("#mark_locked-go").await;
    let done = "It is held out of the pool. We mailed the donor to ask them to unlock it.";
    assert_eq!(desk.wait_for_text(".notice p", done).await, done);
    let page = desk.text("main").await;
    assert!(page.contains("Locked because"), "{page}");
    assert!(!page.contains("Put in the pool"), "a locked laptop cannot be released: {page}");
    check_page(&desk, &axe, "device-locked").await;
    let me: Value = app.get("/api/v1/me", &donor).await.json().await.expect("me");
    let donor_email = me["email"].as_str().expect("email").to_owned();
    let rows =
        app.with_db(move |c| devicepool::store::outbox::for_recipient(c, &donor_email).expect("rows")).await;
    assert!(rows.iter().any(|m| m.template == "device_locked"), "the donor is asked to free it");
    desk.close().await;

    // The donor sends their asset list (one serial we never got) and reads it back.
    let files = tempfile::tempdir().expect("dir");
    let list = file_in(
        &files,
        "assets.csv",
        "Serienummer;Referentie\r\nNW-LOCK-1;IT-001\r\nNW-WIPED-2;IT-002\r\nNW-GONE-4;IT-004\r\n",
    );
    let browser = driver.browser("nl-NL,nl").await;
    sign_in_with_password(&app, &browser, &donor, "nl").await;
    browser.open(&app.url(&format!("/donations/{donation}"))).await;
    browser.click(&format!("a[href='/donations/{donation}/reconciliation']")).await;
    browser.wait_for_path("/reconciliation").await;
    check_page(&browser, &axe, "reconciliation-empty").await;
    browser.choose_file("#file", &list).await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for(".notice").await;
    let page = browser.text("main").await;
    // Two of the list received (one of them locked), one not yet; the pledged laptop not on the
    // list is no surprise until it comes in.
    assert!(page.contains("Ontvangen 2") && page.contains("Nog niet ontvangen 1"), "{page}");
    assert!(page.contains("IT-004") && !page.contains("NW-EXTRA-9"), "{page}");
    check_page(&browser, &axe, "reconciliation").await;

    // The certificate is a file the browser downloads, a PDF.
    let downloads = tempfile::tempdir().expect("dir");
    browser.download_to(downloads.path()).await;
    browser.open(&app.url(&format!("/donations/{donation}"))).await;
    browser.click(&format!("a[href='/donations/{donation}/certificate']")).await;
    // Chromium may show the file under its final name before it has written it all, so wait for
    // the end-of-file marker rather than for the name.
    let mut pdf = Vec::new();
    for _ in 0..100 {
        let done = std::fs::read_dir(downloads.path())
            .expect("dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "pdf"));
        if let Some(path) = done {
            pdf = std::fs::read(path).unwrap_or_default();
            if pdf.trim_ascii_end().ends_with(b"%%EOF") {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(pdf.starts_with(b"%PDF-"), "a PDF was downloaded: {} bytes", pdf.len());
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"), "the whole PDF was downloaded: {} bytes", pdf.len());
    browser.close().await;
}

/// A staff member and `count` laptops pledged by Northwind: (staff token, [(device id, asset tag)]).
async fn pledged_laptops(app: &TestApp, count: usize) -> (String, Vec<(String, String)>) {
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, devicepool::domain::Role::Staff, None).await;
    let donor = app.create_organisation(&admin, "Northwind", "donor").await;
    let hub = app.post("/api/v1/hubs", &staff, json!({"name": "Hub Noord", "address": "Plein 1"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let donation =
        crate::fixtures::create_donation(app, &staff, json!({"donor_id": donor, "expected_hub_id": hub}))
            .await;
    let mut tags = Vec::new();
    for i in 1..=count {
        let laptop =
            crate::fixtures::create_laptop(app, &staff, &donation, &format!("5CG-SCAN-{i}"), 8).await;
        tags.push((
            laptop["id"].as_str().expect("id").to_owned(),
            laptop["asset_tag"].as_str().expect("tag").to_owned(),
        ));
    }
    (staff, tags)
}

/// From the scan start page: a session that receives Northwind's donation, chosen by keyboard.
async fn start_receiving(browser: &Browser) {
    browser.click("#action").await;
    browser.click("#donation_id").await;
    browser.type_here(&format!("Northwind{ENTER}")).await;
    browser.click("main form button[type=submit]").await;
    assert_eq!(browser.wait_for_text("h1", "Receive a donation").await, "Receive a donation");
    assert_eq!(browser.focused_id().await, "code");
}

#[tokio::test]
async fn a_scan_session_receives_ten_laptops_and_shows_why_one_is_refused() {
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let (staff, tags) = pledged_laptops(&app, 10).await;
    let res = app
        .post(&format!("/api/v1/devices/{}/transitions", tags[3].0), &staff, json!({"action": "receive"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK, "one came in already");

    let driver = Driver::start().await;
    let browser = driver.browser("en-GB,en").await;
    sign_in_with_password(&app, &browser, &staff, "en").await;
    browser.open(&app.url("/scan")).await;
    check_page(&browser, &axe, "scan-start").await;
    start_receiving(&browser).await;
    // Chromium here reads no QR codes, so the page offers no camera; typing is the way.
    let reads_codes = browser.run("return 'BarcodeDetector' in window").await;
    let buttons = browser.run("return document.querySelectorAll('.camera-button').length").await;
    assert_eq!(buttons, json!(if reads_codes == json!(true) { 1 } else { 0 }));
    check_page(&browser, &axe, "scan-session").await;
    for (i, (_, tag)) in tags.iter().enumerate() {
        browser.type_here(&format!("{tag}{ENTER}")).await;
        let refused = usize::from(i >= 3);
        let counts = format!("Done: {}. Refused: {refused}.", i + 1 - refused);
        assert_eq!(browser.wait_for_text("main p[role=status]", &counts).await, counts);
    }
    let lines = browser.text("ol.scans").await;
    assert!(lines.contains(&format!("Refused {}: Not possible now: it is received.", tags[3].1)), "{lines}");
    check_page(&browser, &axe, "scan-lines").await;
    browser.click("form[action='/scan/end'] button").await;
    assert_eq!(browser.wait_for_text("h1", "Summary").await, "Summary");
    assert!(browser.text("main").await.contains("Receive a donation: 9 done, 1 refused."));
    check_page(&browser, &axe, "scan-summary").await;
    browser.close().await;
}

/// Stands in for the QR reader phones have and Chromium on Linux lacks: it "sees" the codes the
/// test queued in `seen-codes`, one at a time, and only in a playing camera picture (Chromium's
/// made-up camera), so the page's own camera handling is what the test drives.
const QR_READER: &str = r#"
window.BarcodeDetector = class {
  static getSupportedFormats() { return Promise.resolve(["qr_code", "ean_13"]); }
  detect(source) {
    const live = source instanceof HTMLVideoElement && source.readyState >= 2 && source.srcObject;
    const queue = JSON.parse(localStorage.getItem("seen-codes") || "[]");
    if (!live || !queue.length) return Promise.resolve([]);
    localStorage.setItem("seen-codes", JSON.stringify(queue.slice(1)));
    return Promise.resolve([{ rawValue: " " + queue[0] + " ", format: "qr_code" }]);
  }
};"#;

#[tokio::test]
async fn a_phone_camera_scans_label_after_label_and_typing_still_works() {
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let (staff, tags) = pledged_laptops(&app, 3).await;
    let driver = Driver::start().await;
    let browser = driver.browser("en-GB,en").await;
    browser.before_each_page(QR_READER).await;
    sign_in_with_password(&app, &browser, &staff, "en").await;
    browser.open(&app.url("/scan")).await;
    start_receiving(&browser).await;
    assert_eq!(browser.text(".camera-button").await, "Scan with the camera");

    // One tap on the camera, then two labels held up: each is received, page after page.
    let seen = json!([tags[0].1, tags[1].1]).to_string();
    browser.run(&format!("localStorage.setItem('seen-codes', JSON.stringify({seen})); return true")).await;
    browser.click(".camera-button").await;
    let counts = "Done: 2. Refused: 0.";
    assert_eq!(browser.wait_for_text("main p[role=status]", counts).await, counts);
    assert_eq!(browser.wait_for_text(".camera-button", "Stop the camera").await, "Stop the camera");
    let hint = browser.text("#code ~ p[role=status]").await;
    assert_eq!(hint, "Hold the QR code of the label in front of the camera.");
    check_page(&browser, &axe, "scan-camera").await;

    // Stopped, the camera stays off, and the field takes a typed code again.
    browser.click(".camera-button").await;
    assert_eq!(browser.wait_for_text(".camera-button", "Scan with the camera").await, "Scan with the camera");
    assert_eq!(browser.focused_id().await, "code");
    browser.type_here(&format!("{}{ENTER}", tags[2].1)).await;
    let counts = "Done: 3. Refused: 0.";
    assert_eq!(browser.wait_for_text("main p[role=status]", counts).await, counts);
    assert_eq!(browser.text(".camera-button").await, "Scan with the camera");
    let lines = browser.text("ol.scans").await;
    for (_, tag) in &tags {
        assert!(lines.contains(&format!("Done {tag}")), "{lines}");
    }
    for (id, _) in &tags {
        let device =
            app.get(&format!("/api/v1/devices/{id}"), &staff).await.json::<Value>().await.expect("json");
        assert_eq!(device["state"], "received", "{device}");
    }
    browser.close().await;
}

#[tokio::test]
async fn the_returns_counter_takes_a_laptop_back_and_records_the_missing_charger() {
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let (staff, _, _, loan, device, _) = confirmed_loan(&app).await;
    let loan_id = loan["id"].as_str().expect("id").to_owned();
    with_the_student(&app, &staff, &loan_id).await;
    let laptop: Value =
        app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    let tag = laptop["asset_tag"].as_str().expect("tag").to_owned();

    let driver = Driver::start().await;
    let browser = driver.browser("en-GB,en").await;
    sign_in_with_password(&app, &browser, &staff, "en").await;
    browser.open(&app.url("/returns")).await;
    assert_eq!(browser.focused_id().await, "code");
    check_page(&browser, &axe, "returns").await;
    browser.type_here(&format!("{tag}{ENTER}")).await;
    browser.wait_for("#back_charger").await;
    check_page(&browser, &axe, "returns-device").await;
    browser.click("#back_charger").await;
    browser.click("main form button[type=submit]").await;
    let notice = browser
        .wait_for_text(".notice p", &format!("{tag} is back and waits for inspection. Missing: Charger."))
        .await;
    assert_eq!(notice, format!("{tag} is back and waits for inspection. Missing: Charger."));
    assert_eq!(browser.focused_id().await, "code", "ready for the next device");
    check_page(&browser, &axe, "returns-done").await;
    let laptop: Value =
        app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    assert_eq!(
        (laptop["state"].as_str(), laptop["missing_accessories"].clone()),
        (Some("inspection"), json!(["charger"]))
    );
    browser.close().await;
}

#[tokio::test]
async fn a_student_accepts_the_agreement_at_the_counter_and_takes_the_laptop_home() {
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let (staff, _, _, loan, device, _) = confirmed_loan(&app).await;
    let loan_id = loan["id"].as_str().expect("id").to_owned();

    let driver = Driver::start().await;
    let browser = driver.browser("en-GB,en").await;
    sign_in_with_password(&app, &browser, &staff, "en").await;
    browser.open(&app.url("/handovers")).await;
    assert_eq!(browser.focused_id().await, "q");
    check_page(&browser, &axe, "handovers").await;
    browser.type_here(&format!("demir{ENTER}")).await;
    assert_eq!(browser.wait_for_text("h1", "Ayla Demir").await, "Ayla Demir");
    assert!(browser.text("main").await.contains("Not accepted yet"));
    assert_eq!(browser.focused_id().await, "agree", "the student ticks first");
    check_page(&browser, &axe, "handover-agreement").await;
    // Handing over without the student's tick is refused, and says so.
    browser.click("main form button[type=submit]").await;
    browser.wait_for(".error-summary").await;
    assert_eq!(browser.wait_for_text("h1", "Ayla Demir").await, "Ayla Demir");
    check_page(&browser, &axe, "handover-refused").await;
    browser.click("#agree").await;
    browser.click("#give_mouse").await;
    browser.click("main form button[type=submit]").await;
    let done = "Handed over. The loan has started.";
    assert_eq!(browser.wait_for_text(".notice p", done).await, done);
    assert_eq!(browser.focused_id().await, "q", "ready for the next student");
    check_page(&browser, &axe, "handover-done").await;
    let loan: Value = app.get(&format!("/api/v1/loans/{loan_id}"), &staff).await.json().await.expect("json");
    assert_eq!(
        (loan["state"].as_str(), loan["accessories"].clone()),
        (Some("active"), json!(["charger", "bag"]))
    );
    let laptop: Value =
        app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    assert_eq!(laptop["state"], "on_loan");
    browser.close().await;
}

#[tokio::test]
async fn a_dry_run_shows_why_and_the_round_is_run_and_confirmed() {
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let (staff, _) = crate::fixtures::one_laptop_two_students(&app).await;

    let driver = Driver::start().await;
    let browser = driver.browser("en-GB,en").await;
    sign_in_with_password(&app, &browser, &staff, "en").await;
    browser.open(&app.url("/matching")).await;
    check_page(&browser, &axe, "matching").await;
    browser.click("main form[action='/matching'] button[type=submit]").await;
    browser.wait_for("#unserved").await;
    let round = browser.text("main").await;
    assert!(
        round.contains("1 student would get kit") && round.contains("At the student's own hub."),
        "{round}"
    );
    assert!(
        round.contains("Bram Jansen (Codeschool): All suitable kit went to requests with a higher priority."),
        "{round}"
    );
    check_page(&browser, &axe, "matching-dry-run").await;
    browser.click("form[action='/matching/run'] button").await;
    let made = "The round made 1 proposal.";
    assert_eq!(browser.wait_for_text(".notice p", made).await, made);
    assert!(browser.text("main").await.contains("Ayla Demir"));
    check_page(&browser, &axe, "proposals").await;
    browser.click("form[action='/matching/hubs/confirm'] button").await;
    assert_eq!(browser.wait_for_text(".notice p", "1 confirmed.").await, "1 confirmed.");
    check_page(&browser, &axe, "proposals-confirmed").await;
    // The day's lists and the pool report, now that a laptop waits for pick-up.
    browser.open(&app.url("/queues")).await;
    assert!(browser.text("main").await.contains("Pick-up ends soon (0)"));
    check_page(&browser, &axe, "queues").await;
    browser.open(&app.url("/reports/pool")).await;
    assert!(browser.text("main").await.contains("Set aside"));
    check_page(&browser, &axe, "pool-report").await;
    browser.open(&app.url("/matching/caps")).await;
    check_page(&browser, &axe, "caps").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for(".error-summary").await;
    check_page(&browser, &axe, "caps-mistakes").await;
    browser.open(&app.url("/matching/travel")).await;
    check_page(&browser, &axe, "travel").await;
    browser.open(&app.url("/hubs")).await;
    assert!(browser.text("main").await.contains("Hub Noord"));
    check_page(&browser, &axe, "hubs").await;
    browser.open(&app.url("/hubs/new")).await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for(".error-summary").await;
    check_page(&browser, &axe, "hub-form-mistakes").await;
    let loans: Value = app.get("/api/v1/loans?state=reserved", &staff).await.json().await.expect("json");
    assert_eq!(loans["items"].as_array().map(Vec::len), Some(1), "{loans}");
    browser.close().await;
}

#[tokio::test]
async fn a_broken_laptop_is_swapped_for_one_from_the_pool() {
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let (staff, _, _, loan, broken, _) = confirmed_loan(&app).await;
    let loan_id = loan["id"].as_str().expect("id").to_owned();
    with_the_student(&app, &staff, &loan_id).await;
    let res = app
        .post(&format!("/api/v1/loans/{loan_id}/fault"), &staff, json!({"description": "Screen flickers."}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let spare = crate::fixtures::spare_laptop_beside(&app, &staff, &broken, "SPARE-1").await;
    let spare_tag = spare["asset_tag"].as_str().expect("tag").to_owned();

    let driver = Driver::start().await;
    let browser = driver.browser("en-GB,en").await;
    sign_in_with_password(&app, &browser, &staff, "en").await;
    browser.open(&app.url("/faults")).await;
    check_page(&browser, &axe, "faults").await;
    browser.click("ul.lines a").await;
    browser.wait_for("#code").await;
    assert_eq!(browser.focused_id().await, "code");
    assert!(browser.text("main").await.contains("Screen flickers."));
    check_page(&browser, &axe, "fault").await;
    browser.type_here(&format!("{spare_tag}{ENTER}")).await;
    browser.wait_for(".notice p").await;
    let notice = browser.text(".notice p").await;
    assert!(notice.starts_with(&format!("Swapped: {spare_tag} is now on loan")), "{notice}");
    check_page(&browser, &axe, "faults-swapped").await;
    let laptop: Value =
        app.get(&format!("/api/v1/devices/{broken}"), &staff).await.json().await.expect("json");
    assert_eq!(laptop["state"], "repair");
    browser.close().await;
}

/// Sets the value of form field `css` as a person's choice in it would (date pickers and
/// selects are the browser's own widgets, which WebDriver cannot type into the same way in
/// every locale).
async fn choose(browser: &Browser, css: &str, value: &str) {
    let script = format!(
        "const f = document.querySelector({css:?}); f.value = {value:?}; f.dispatchEvent(new Event('change')); return f.value"
    );
    assert_eq!(browser.run(&script).await, json!(value), "{css} takes {value}");
}

#[tokio::test]
async fn a_school_asks_for_a_class_set_staff_hand_it_over_by_scanning_and_a_partial_return_shows_what_is_missing(
) {
    use devicepool::domain::Role;
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let hub =
        app.post("/api/v1/hubs", &staff, json!({"name": "Hub Zuidoost", "address": "Bijlmerplein 1"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let donor = app.create_organisation(&admin, "Northwind", "donor").await;
    let donation =
        crate::fixtures::create_donation(&app, &staff, json!({"donor_id": donor, "expected_hub_id": hub}))
            .await;
    let mut tags = Vec::new();
    for serial in ["SET-BROWSER-1", "SET-BROWSER-2"] {
        let laptop = crate::fixtures::create_laptop(&app, &staff, &donation, serial, 16).await;
        crate::fixtures::make_available(&app, &staff, laptop["id"].as_str().expect("id")).await;
        tags.push(laptop["asset_tag"].as_str().expect("tag").to_owned());
    }
    let school = app.create_organisation(&admin, "Codeschool Zuidoost", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    let day = |d: i64| (chrono::Utc::now().date_naive() + chrono::Duration::days(d)).to_string();

    let driver = Driver::start().await;
    let school_browser = driver.browser("en-GB,en").await;
    sign_in_with_password(&app, &school_browser, &coordinator, "en").await;
    school_browser.open(&app.url("/class-sets")).await;
    check_page(&school_browser, &axe, "class-sets-school").await;
    school_browser.click("a[href='/class-sets/new']").await;
    school_browser.wait_for("#course").await;
    check_page(&school_browser, &axe, "class-set-form").await;
    // A mistake first: no dates and no hub.
    school_browser.fill("#course", "Coding for beginners").await;
    school_browser.fill("#count", "2").await;
    school_browser.click("main form button[type=submit]").await;
    school_browser.wait_for(".error-summary").await;
    assert!(school_browser.title().await.starts_with("Error: "));
    check_page(&school_browser, &axe, "class-set-form-errors").await;
    choose(&school_browser, "#starts_on", &day(5)).await;
    choose(&school_browser, "#ends_on", &day(75)).await;
    choose(&school_browser, "#hub_id", &hub).await;
    school_browser.click("main form button[type=submit]").await;
    let asked = "We have your request. You get a mail when devices are ready.";
    assert_eq!(school_browser.wait_for_text(".notice p", asked).await, asked);
    let set_url = school_browser.url().await;
    check_page(&school_browser, &axe, "class-set-requested").await;

    let desk = driver.browser("en-GB,en").await;
    sign_in_with_password(&app, &desk, &staff, "en").await;
    desk.open(&app.url("/class-sets")).await;
    check_page(&desk, &axe, "class-sets-staff").await;
    desk.click("main a[href^='/class-sets/']").await;
    desk.wait_for("form#offer").await;
    desk.click("form#offer button").await;
    let offered = "2 devices were set aside now.";
    assert_eq!(desk.wait_for_text(".notice p", offered).await, offered);
    check_page(&desk, &axe, "class-set-offered-staff").await;

    school_browser.open(&set_url.split('?').next().expect("address").to_owned()).await;
    school_browser.wait_for("#agree").await;
    check_page(&school_browser, &axe, "class-set-agreement").await;
    school_browser.click("#agree").await;
    school_browser.click("form[action$='/accept'] button").await;
    let accepted = "Thank you. The set is ready to pick up.";
    assert_eq!(school_browser.wait_for_text(".notice p", accepted).await, accepted);

    // The desk scans both laptops in a hand-over session and hands the set over.
    desk.open(&app.url("/scan")).await;
    desk.click("#action-hand_over").await;
    let options = desk.run("return document.querySelector('#class_set_id').options[1].value").await;
    choose(&desk, "#class_set_id", options.as_str().expect("a set to hand over")).await;
    desk.click("main form button[type=submit]").await;
    desk.wait_for("#code").await;
    check_page(&desk, &axe, "scan-hand-over").await;
    for (i, tag) in tags.iter().enumerate() {
        desk.type_here(&format!("{tag}{ENTER}")).await;
        let counts = format!("Done: {}. Refused: 0.", i + 1);
        assert_eq!(desk.wait_for_text("main p[role=status]", &counts).await, counts);
    }
    check_page(&desk, &axe, "scan-hand-over-scanned").await;
    desk.click("form[action='/scan/class-set'] button").await;
    let lent = "The set is handed over.";
    assert_eq!(desk.wait_for_text(".notice p", lent).await, lent);
    check_page(&desk, &axe, "class-set-on-loan-staff").await;

    // One laptop comes back at the returns counter; the other is still out.
    desk.open(&app.url("/returns")).await;
    desk.type_here(&format!("{}{ENTER}", tags[0])).await;
    desk.wait_for("#back_charger").await;
    desk.click("main form button[type=submit]").await;
    let back = format!("{} is back and waits for inspection.", tags[0]);
    assert_eq!(desk.wait_for_text(".notice p", &back).await, back);

    school_browser.open(&set_url.split('?').next().expect("address").to_owned()).await;
    school_browser.wait_for("#missing").await;
    let missing = school_browser.text("#missing").await;
    assert!(missing.contains(&tags[1]) && !missing.contains(&tags[0]), "{missing}");
    check_page(&school_browser, &axe, "class-set-partly-back").await;
    school_browser.close().await;
    desk.close().await;
}

#[tokio::test]
async fn staff_take_back_a_stack_of_five_with_one_damaged() {
    use devicepool::domain::Role;
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let hub = app.post("/api/v1/hubs", &staff, json!({"name": "Hub Noord", "address": "Plein 1"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let donor = app.create_organisation(&admin, "Northwind", "donor").await;
    let donation =
        crate::fixtures::create_donation(&app, &staff, json!({"donor_id": donor, "expected_hub_id": hub}))
            .await;
    let mut kit = Vec::new();
    for i in 0..5 {
        let laptop = crate::fixtures::create_laptop(&app, &staff, &donation, &format!("STACK-{i}"), 16).await;
        crate::fixtures::make_available(&app, &staff, laptop["id"].as_str().expect("id")).await;
        kit.push((
            laptop["id"].as_str().expect("id").to_owned(),
            laptop["asset_tag"].as_str().expect("tag").to_owned(),
        ));
    }
    // The cohort's kit is out with a class set.
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    let day = |d: i64| (chrono::Utc::now().date_naive() + chrono::Duration::days(d)).to_string();
    let set = json!({"kind": "laptop", "count": 5, "starts_on": day(0), "ends_on": day(30), "hub_id": hub, "course": "Cohort 1"});
    let set: Value = app.post("/api/v1/class-sets", &coordinator, set).await.json().await.expect("json");
    let id = set["id"].as_str().expect("id").to_owned();
    assert_eq!(
        app.post(&format!("/api/v1/class-sets/{id}/offer"), &staff, json!({})).await.status(),
        StatusCode::OK
    );
    let version = app.settings.class_sets.agreement_version.clone();
    let res = app
        .post(&format!("/api/v1/class-sets/{id}/accept"), &coordinator, json!({"agreement_version": version}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        app.post(&format!("/api/v1/class-sets/{id}/handover"), &staff, json!({})).await.status(),
        StatusCode::OK
    );

    let driver = Driver::start().await;
    let browser = driver.browser("en-GB,en").await;
    sign_in_with_password(&app, &browser, &staff, "en").await;
    browser.open(&app.url("/returns")).await;
    browser.click("a[href='/returns/stack']").await;
    assert_eq!(browser.wait_for_text("h1", "Take back a stack").await, "Take back a stack");
    assert_eq!(browser.focused_id().await, "code");
    check_page(&browser, &axe, "returns-stack").await;
    for (n, (_, tag)) in kit.iter().enumerate() {
        browser.type_here(&format!("{tag}{ENTER}")).await;
        let count = if n == 0 {
            "One device in the stack".to_owned()
        } else {
            format!("{} devices in the stack", n + 1)
        };
        browser.wait_for_text("main h2", &count).await;
        assert_eq!(browser.focused_id().await, "code", "ready for the next scan");
    }
    check_page(&browser, &axe, "returns-stack-five").await;
    // The third is damaged and its charger is missing.
    choose(&browser, "#condition_2", "damaged").await;
    browser.click("#back_2_charger").await;
    browser.click("button[value=take_back]").await;
    let done = "5 devices are back and wait for inspection.";
    assert_eq!(browser.wait_for_text(".notice p", done).await, done);
    check_page(&browser, &axe, "returns-stack-done").await;
    let third: Value =
        app.get(&format!("/api/v1/devices/{}", kit[2].0), &staff).await.json().await.expect("json");
    assert_eq!(
        (third["state"].as_str(), third["missing_accessories"].clone()),
        (Some("inspection"), json!(["charger"]))
    );
    let set: Value = app.get(&format!("/api/v1/class-sets/{id}"), &staff).await.json().await.expect("json");
    assert_eq!(set["state"], "returned", "{set}");
    browser.close().await;
}

#[tokio::test]
async fn a_student_accepts_a_gift_of_their_laptop() {
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let (staff, _, email, loan, device, _) = confirmed_loan(&app).await;
    let loan_id = loan["id"].as_str().expect("id").to_owned();
    with_the_student(&app, &staff, &loan_id).await;
    let laptop: Value =
        app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    let donation = laptop["donation_id"].as_str().expect("donation");
    let res =
        app.patch(&format!("/api/v1/donations/{donation}"), &staff, json!({"gifts_allowed": true})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res =
        app.post(&format!("/api/v1/loans/{loan_id}/gift"), &staff, json!({"reason": "Started a job"})).await;
    assert_eq!(res.status(), StatusCode::CREATED);

    let driver = Driver::start().await;
    let browser = driver.browser("nl-NL,nl").await;
    browser.open(&app.url("/sign-in")).await;
    browser.fill("#email", &email).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text("h1", "Kijk in je mail").await;
    let (link, _) = sign_in_mail(&app, &email).await;
    browser.open(&link).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_path("/my-kit").await;
    assert!(browser.text("main").await.contains("Je mag het houden: het is een cadeau."));
    check_page(&browser, &axe, "my-kit-gift").await;
    browser.click(&format!("a[href='/loans/{loan_id}/gift']")).await;
    assert_eq!(browser.wait_for_text("h1", "Houd je apparaat").await, "Houd je apparaat");
    check_page(&browser, &axe, "gift").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for(".error-summary").await;
    check_page(&browser, &axe, "gift-no-tick").await;
    browser.click("#agree").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for_path("/my-kit").await;
    assert!(browser.text("main").await.contains("is nu van jou"), "{}", browser.text("main").await);
    check_page(&browser, &axe, "my-kit-gifted").await;
    let laptop: Value =
        app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    assert_eq!(laptop["state"], "gifted");
    browser.close().await;
}

#[tokio::test]
async fn a_coordinator_answers_a_round_for_three_students() {
    use devicepool::domain::Role;
    let app = crate::helpers::spawn_app().await;
    let axe = axe();
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let hub = app.post("/api/v1/hubs", &staff, json!({"name": "Hub Noord", "address": "Plein 1"})).await;
    let hub = hub.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let donor = app.create_organisation(&admin, "Northwind", "donor").await;
    let donation =
        crate::fixtures::create_donation(&app, &staff, json!({"donor_id": donor, "expected_hub_id": hub}))
            .await;
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    // The laptops first: one made available while a student waits is offered at once.
    for i in 0..3 {
        let laptop = crate::fixtures::create_laptop(&app, &staff, &donation, &format!("ROUND-{i}"), 16).await;
        crate::fixtures::make_available(&app, &staff, laptop["id"].as_str().expect("id")).await;
    }
    for (i, name) in ["Ayla Demir", "Bo Jansen", "Chen Li"].iter().enumerate() {
        let mut body = crate::fixtures::student_body(name, &format!("student{i}@example.org"));
        body["hub_id"] = json!(hub);
        let student = crate::fixtures::enrol(&app, &coordinator, body).await;
        let ask = json!({"student_id": student["id"], "kind": "laptop"});
        assert_eq!(crate::fixtures::request_kit(&app, &coordinator, ask).await.status(), StatusCode::CREATED);
    }
    let run: Value = app.post("/api/v1/allocations/run", &staff, json!({})).await.json().await.expect("json");
    let mut loans = Vec::new();
    for proposal in run["proposals"].as_array().expect("proposals") {
        let res = app
            .post(
                &format!("/api/v1/allocations/{}/confirm", proposal["id"].as_str().expect("id")),
                &staff,
                json!({}),
            )
            .await;
        let loan: Value = res.json().await.expect("json");
        let id = loan["id"].as_str().expect("loan").to_owned();
        with_the_student(&app, &staff, &id).await;
        loans.push(id);
    }
    assert_eq!(loans.len(), 3);
    assert_eq!(app.post("/api/v1/in-use-rounds", &staff, json!({})).await.status(), StatusCode::CREATED);

    let driver = Driver::start().await;
    let browser = driver.browser("nl-NL,nl").await;
    sign_in_with_password(&app, &browser, &coordinator, "nl").await;
    browser.open(&app.url("/in-use-rounds/current")).await;
    browser.wait_for_text("h1", "Nog in gebruik?").await;
    check_page(&browser, &axe, "in-use-round").await;
    // Saving without a choice names the mistake.
    browser.click(&format!("#loan-{} button[type=submit]", loans[0])).await;
    browser.wait_for(".error-summary").await;
    check_page(&browser, &axe, "in-use-round-mistake").await;
    for (n, (loan, answer)) in loans.iter().zip(["in_use", "not_used", "broken"]).enumerate() {
        browser.click(&format!("#a{}-{answer}", n + 1)).await;
        browser.click(&format!("#loan-{loan} button[type=submit]")).await;
        browser.wait_for_text(".notice", "Het antwoord is opgeslagen.").await;
    }
    let main = browser.text("main").await;
    assert!(main.contains("Nog geen antwoord"), "{main}");
    check_page(&browser, &axe, "in-use-round-answered").await;
    let round: Value =
        app.get("/api/v1/in-use-rounds/current", &coordinator).await.json().await.expect("json");
    assert_eq!(
        round["progress"],
        json!({"in_use": 1, "not_used": 1, "broken": 1, "gone": 0, "unanswered": 0})
    );
    let recalled: Value =
        app.get(&format!("/api/v1/loans/{}", loans[1]), &staff).await.json().await.expect("json");
    assert_eq!(recalled["recalled"], true);
    browser.close().await;
}
