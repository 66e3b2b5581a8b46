//! The second audit (issue 37): uploads refused before they are read, lists streamed and
//! capped, one per-address limit for the API's and the pages' sign-in, a sign-in code burnt
//! after five wrong tries, and the small items (language, stale cookie, no-store). Each test
//! failed on the code before the fix. The backup file modes are in `backup.rs`.

use std::time::Duration;

use reqwest::header::{ACCEPT, CACHE_CONTROL, COOKIE, LOCATION};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{problem, spawn_app, spawn_app_with, TestApp};
use crate::races::{start_server_with, Server};
use crate::students::{enrol, schools, student_body};
use crate::web::{form, page, set_cookie};
use crate::web_school::{html, session_of};

/// A figure of the server process's memory from `/proc/<pid>/status`, in KiB: `VmRSS` (now)
/// or `VmHWM` (the most it ever held).
fn memory_kib(server: &Server, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).expect("status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in {status}"))
}

/// A multipart body of `fields` small text fields, as a flood sends it.
fn flood_body(fields: usize) -> (String, Vec<u8>) {
    let boundary = "flood-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::with_capacity(fields * 80);
    for i in 0..fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nxxxxxxxx\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn an_anonymous_multipart_flood_is_refused_before_it_is_read() {
    let app = spawn_app().await;
    let server = start_server_with(&app, &[]).await;
    let (content_type, body) = flood_body(50_000);
    let donation = uuid::Uuid::new_v4();
    let paths = [
        "/students/import".to_owned(),
        format!("/donations/{donation}/devices/import"),
        format!("/donations/{donation}/asset-list"),
        "/erasure-reports".to_owned(),
    ];
    let send = |path: &str, cookie: Option<&str>, site: &str| {
        let mut req = app
            .client
            .post(format!("{}{path}", server.base))
            .header("content-type", &content_type)
            .header(ACCEPT, "text/html")
            .header("sec-fetch-site", site)
            .body(body.clone());
        if let Some(cookie) = cookie {
            req = req.header(COOKIE, cookie);
        }
        req.send()
    };
    // Warm up the workers, so that what is measured is the flood, not the first requests.
    for path in &paths {
        send(path, None, "same-origin").await.expect("answered");
    }
    let before = memory_kib(&server, "VmRSS");
    for round in 0..3 {
        for path in &paths {
            let res = send(path, None, "same-origin").await.expect("answered");
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}, round {round}");
            assert_eq!(res.headers().get(LOCATION).and_then(|v| v.to_str().ok()), Some("/login"));
            // A dead session is no session, and another site's post is refused outright.
            let res = send(path, Some("__Host-session=made-up"), "same-origin").await.expect("answered");
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path} with a dead cookie");
            let res = send(path, Some("__Host-session=made-up"), "cross-site").await.expect("answered");
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path} from another site");
        }
    }
    let after = memory_kib(&server, "VmRSS");
    // 36 bodies of 3.4 MB each: read, they took the server up by 190 MB before the fix.
    assert!(after < before + 8 * 1024, "resident memory went from {before} KiB to {after} KiB");
}

#[tokio::test]
async fn a_fifty_mebibyte_junk_asset_list_is_refused_with_flat_memory() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, devicepool::domain::Role::Staff, None).await;
    let donor = app.create_organisation(&admin, "Northwind", "donor").await;
    let donation = crate::fixtures::create_donation(&app, &staff, json!({"donor_id": donor})).await;
    let (donor_token, _) = app.user_with_role(&admin, devicepool::domain::Role::Donor, Some(&donor)).await;
    let server = start_server_with(&app, &[]).await;
    let url = format!("{}/api/v1/donations/{donation}/asset-list", server.base);
    let upload = |body: String| {
        app.client
            .post(&url)
            .bearer_auth(&donor_token)
            .header("content-type", "text/csv")
            .header("accept-language", "en")
            .timeout(Duration::from_secs(120))
            .body(body)
            .send()
    };
    let small = "serial_number,model\nSN-1,HP ProBook\n".to_owned();
    assert_eq!(upload(small).await.expect("answered").status(), StatusCode::OK, "a good list is taken");
    let before = memory_kib(&server, "VmHWM");
    // Rows of junk (empty serials, stray columns), just under the upload limit of 50 MiB.
    let line = ",ThinkPad,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n";
    let mut junk = String::from("serial_number,model\n");
    junk.push_str(&line.repeat((50 * 1024 * 1024 - 1024) / line.len()));
    let res = upload(junk).await.expect("answered");
    let answer = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let errors = answer["errors"].as_array().expect("errors");
    assert!(!errors.is_empty() && errors.len() <= 100, "errors are capped: {}", errors.len());
    let after = memory_kib(&server, "VmHWM");
    // Before the fix the server held every row and error: 2.9 GB for this file.
    assert!(after < before + 24 * 1024, "peak memory went from {before} KiB to {after} KiB");
    let list: Value = app
        .get(&format!("/api/v1/donations/{donation}/reconciliation"), &donor_token)
        .await
        .json()
        .await
        .expect("json");
    assert!(list.to_string().contains("SN-1"), "the good list stays: {list}");
}

/// Caps of two rows, so that a file of three is refused whole and one of two is taken.
fn two_rows(s: &mut devicepool::configuration::Settings) {
    s.imports.max_student_rows = 2;
    s.imports.max_device_rows = 2;
    s.imports.max_asset_list_rows = 2;
    s.imports.max_erasure_report_rows = 2;
}

async fn csv_post(app: &TestApp, path: &str, token: &str, body: &str) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .header("accept-language", "en")
        .body(body.to_owned())
        .send()
        .await
        .expect("sent")
}

/// The answer to a file over the cap: one error that says the limit, nothing written.
async fn over_the_cap(res: reqwest::Response) {
    let answer = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("more than 2 rows"), "the limit is said: {answer}");
}

#[tokio::test]
async fn each_import_has_a_row_cap_from_the_settings_and_says_it() {
    let app = spawn_app_with(two_rows).await;
    let s = schools(&app).await;
    let head = "name,email,preferred_language,track,programme_start,programme_end\n";
    let row = |i: u32| format!("Leerling {i},leerling{i}@example.org,nl,coder,2026-09-01,2027-06-30\n");
    let three = format!("{head}{}{}{}", row(1), row(2), row(3));
    over_the_cap(csv_post(&app, "/api/v1/students/import", &s.coordinator_a, &three).await).await;
    let listed: Value = app.get("/api/v1/students", &s.coordinator_a).await.json().await.expect("json");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(0), "refused whole");
    let two = format!("{head}{}{}", row(1), row(2));
    assert_eq!(
        csv_post(&app, "/api/v1/students/import", &s.coordinator_a, &two).await.status(),
        StatusCode::CREATED
    );

    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, devicepool::domain::Role::Staff, None).await;
    let donor = app.create_organisation(&admin, "Northwind", "donor").await;
    let donation = crate::fixtures::create_donation(&app, &staff, json!({"donor_id": donor})).await;
    let devices =
        "kind,serial_number,model,ram_gb,storage_gb\nlaptop,CAP-1,HP,16,256\nlaptop,CAP-2,HP,16,256\n";
    let path = format!("/api/v1/devices/import?donation_id={donation}");
    let res = csv_post(&app, &path, &staff, &format!("{devices}laptop,CAP-3,HP,16,256\n")).await;
    over_the_cap(res).await;
    assert_eq!(csv_post(&app, &path, &staff, devices).await.status(), StatusCode::CREATED);

    let path = format!("/api/v1/donations/{donation}/asset-list");
    over_the_cap(csv_post(&app, &path, &staff, "serial_number\nA-1\nA-2\nA-3\n").await).await;
    assert_eq!(csv_post(&app, &path, &staff, "serial_number\nA-1\nA-2\n").await.status(), StatusCode::OK);

    let wipe = |serial: &str| format!("{serial},Passed,Purge,Blancco,2026-12-03T09:00:00Z\n");
    let report =
        format!("serial,result,method,tool,time\n{}{}{}", wipe("CAP-1"), wipe("CAP-2"), wipe("CAP-3"));
    over_the_cap(csv_post(&app, "/api/v1/erasure-reports", &staff, &report).await).await;

    // The page says it too, in the reader's words.
    let session = session_of(&app, &s.coordinator_a).await;
    let upload_page = html(&app, "/students/import", &session, StatusCode::OK).await;
    let csrf = crate::web::form_token(&upload_page);
    let res = crate::web_school::upload(&app, "/students/import", &session, &csrf, Some(&three)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let answer = res.text().await.expect("html");
    assert!(answer.contains("more than 2 rows"), "{answer}");
}

#[tokio::test]
async fn sixty_page_sign_in_posts_from_one_address_are_limited_like_the_api() {
    // The database's own counters (per account, per address) are lenient here and each post
    // names another address: what refuses is the per-address limit of the anonymous routes.
    let app = spawn_app_with(|s| {
        s.auth.anonymous_requests_per_minute = 30;
        s.auth.max_failed_logins_per_account = 1000;
        s.auth.max_failed_logins_per_address = 1000;
        s.auth.max_magic_links_per_address = 1000;
    })
    .await;
    let mut statuses = Vec::new();
    for i in 0..60 {
        let email = format!("someone{i}@example.org");
        let res = form(&app, "/forgot-password", "", &[("email", &email)]).await;
        statuses.push(res.status());
    }
    let limited = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert!(limited >= 25, "most of the last 30 are refused: {statuses:?}");
    assert!(statuses[..25].iter().all(|s| *s != StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    // One limit for the pages and the API: this address has used it up for both.
    for path in
        ["/login", "/sign-in", "/sign-in/code", "/sign-in/link", "/reset-password", "/accept-invitation"]
    {
        let res = form(&app, path, "", &[("email", "someone@example.org")]).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
        assert!(res.headers().contains_key("retry-after"), "{path}");
    }
    let body = json!({"email": "someone@example.org", "password": "not it at all"});
    let res = app.request(Method::POST, "/api/v1/auth/login", None, Some(body)).await;
    problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Reading the pages costs nothing and stays open.
    assert_eq!(page(&app, "/login", "").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_sign_in_code_is_burnt_after_five_wrong_tries_even_with_lenient_throttles() {
    let app = spawn_app_with(|s| {
        s.auth.max_failed_logins_per_account = 1000;
        s.auth.max_failed_logins_per_address = 1000;
        s.auth.max_magic_links_per_address = 1000;
    })
    .await;
    let s = schools(&app).await;
    enrol(&app, &s.coordinator_a, student_body("Ayla Demir", "ayla@example.org")).await;
    let ask = json!({"email": "ayla@example.org"});
    app.request(Method::POST, "/api/v1/auth/magic-link", None, Some(ask.clone())).await;
    let (token, code) = crate::web::newest_sign_in_mail(&app, "ayla@example.org").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let try_code = |code: &str| {
        let body = json!({"email": "ayla@example.org", "code": code});
        app.request(Method::POST, "/api/v1/auth/magic-link/code", None, Some(body))
    };
    for _ in 0..4 {
        problem(try_code(wrong).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let spent = problem(try_code(wrong).await, StatusCode::UNAUTHORIZED, "sign_in_code_spent").await;
    assert!(spent["detail"].as_str().is_some_and(|d| d.contains('5')), "{spent}");
    // The right code and the link no longer work either.
    problem(try_code(&code).await, StatusCode::UNAUTHORIZED, "sign_in_code_spent").await;
    let res = app
        .request(Method::POST, "/api/v1/auth/magic-link/redeem", None, Some(json!({"token": token})))
        .await;
    assert!(res.status().is_client_error(), "the link is burnt with its code: {}", res.status());

    // On the page: the code no longer works, and a button sends a new mail.
    form(&app, "/sign-in?lang=en", "", &[("email", "ayla@example.org")]).await;
    let (_, code) = crate::web::newest_sign_in_mail(&app, "ayla@example.org").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..4 {
        let res =
            form(&app, "/sign-in/code?lang=en", "", &[("email", "ayla@example.org"), ("code", wrong)]).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res =
        form(&app, "/sign-in/code?lang=en", "", &[("email", "ayla@example.org"), ("code", wrong)]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let html = res.text().await.expect("html");
    assert!(html.contains("action=\"/sign-in\"") && html.contains("value=\"ayla@example.org\""), "{html}");
    let res =
        form(&app, "/sign-in/code?lang=en", "", &[("email", "ayla@example.org"), ("code", &code)]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "burnt, even the right code");
    assert!(set_cookie(res.headers(), "__Host-session").is_none());
    // A new mail brings a new code that works.
    form(&app, "/sign-in", "", &[("email", "ayla@example.org")]).await;
    let (_, code) = crate::web::newest_sign_in_mail(&app, "ayla@example.org").await;
    assert_eq!(try_code(&code).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_dead_session_cookie_counts_as_none_and_is_cleared() {
    let app = spawn_app().await;
    let (email, _) = crate::web::staff_account(&app).await;
    let session = crate::web::sign_in(&app, &email, crate::helpers::PASSWORD).await;
    // The session ends (staff idle out after 30 minutes) while the browser keeps the cookie.
    let token = app.token_for(&email).await;
    let me: Value = app.get("/api/v1/me", &token).await.json().await.expect("me");
    let id = me["id"].as_str().expect("id").to_owned();
    app.with_db(move |conn| devicepool::store::web_sessions::delete_for_user(conn, &id).expect("ended"))
        .await;
    let res = page(&app, "/login", &session).await;
    assert_eq!(res.status(), StatusCode::OK);
    let (value, attributes) =
        set_cookie(res.headers(), "__Host-session").expect("the dead cookie is cleared");
    assert!(value.is_empty() && attributes.contains("Max-Age=0"), "{value}; {attributes}");
    // Signing in again with the dead cookie still sent works (it was 403).
    let fields = [("email", email.as_str()), ("password", crate::helpers::PASSWORD)];
    let res = form(&app, "/login", &session, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers().get(LOCATION).and_then(|v| v.to_str().ok()), Some("/start"));
}

#[tokio::test]
async fn pages_with_personal_data_are_not_stored_and_assets_are() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let session = session_of(&app, &s.coordinator_a).await;
    for path in ["/students", "/start", "/account", "/login"] {
        let res = page(&app, path, &session).await;
        let cache = res.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()).unwrap_or("");
        assert_eq!(cache, "no-store", "{path}");
    }
    let front = page(&app, "/", "").await.text().await.expect("html");
    let css = front.split("href=\"").find(|s| s.starts_with("&#x2f;assets")).expect("a stylesheet");
    let css = css.split('"').next().expect("href").replace("&#x2f;", "/");
    let res = page(&app, &css, "").await;
    assert_eq!(res.status(), StatusCode::OK, "{css}");
    let cache = res.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(cache.contains("immutable"), "{css}: {cache}");
}

#[tokio::test]
async fn the_class_list_shows_one_page_of_students_and_finds_the_overdue_ones() {
    let app = spawn_app().await;
    let (staff, coordinator, email, loan, ..) = crate::fixtures::confirmed_loan(&app).await;
    let loan_id = loan["id"].as_str().expect("id").to_owned();
    crate::loans::hand_over_to_student(&app, &staff, &email, &loan_id).await;
    let head = "name,email,preferred_language,track,programme_start,programme_end\n";
    let mut csv = head.to_owned();
    for i in 1..=29 {
        csv.push_str(&format!("Leerling {i:02},leerling{i}@example.org,nl,coder,2026-09-01,2027-06-30\n"));
    }
    assert_eq!(
        csv_post(&app, "/api/v1/students/import", &coordinator, &csv).await.status(),
        StatusCode::CREATED
    );
    let session = session_of(&app, &coordinator).await;

    let first = html(&app, "/students", &session, StatusCode::OK).await;
    assert!(first.contains("Ayla Demir") && first.contains("Leerling 24"), "{first}");
    assert!(!first.contains("Leerling 25"), "25 on a page: {first}");
    assert!(first.contains("page=2"), "a link to the next page: {first}");
    let second = html(&app, "/students?page=2", &session, StatusCode::OK).await;
    assert!(second.contains("Leerling 25") && second.contains("Leerling 29"), "{second}");
    assert!(!second.contains("Leerling 24") && !second.contains("Ayla Demir"), "{second}");
    // A page past the end shows the last one.
    let past = html(&app, "/students?page=99", &session, StatusCode::OK).await;
    assert!(past.contains("Leerling 29"), "{past}");

    let found = html(&app, "/students?q=LEERLING%202", &session, StatusCode::OK).await;
    assert!(found.contains("Leerling 20") && found.contains("Leerling 29") && !found.contains("Leerling 19"));
    // A % typed in the search matches only a %.
    let none = html(&app, "/students?q=%25", &session, StatusCode::OK).await;
    assert!(!none.contains("Leerling 01") && !none.contains("Ayla Demir"), "{none}");

    // Nobody is overdue yet; then Ayla's laptop is a week late.
    let overdue = html(&app, "/students?standing=overdue", &session, StatusCode::OK).await;
    assert!(!overdue.contains("Ayla Demir"), "{overdue}");
    let past_due = (chrono::Utc::now().date_naive() - chrono::Days::new(7)).to_string();
    app.with_db(move |conn| {
        use diesel::connection::SimpleConnection;
        conn.batch_execute(&format!("UPDATE loans SET due_on = '{past_due}' WHERE id = '{loan_id}'"))
            .expect("moved");
    })
    .await;
    let overdue = html(&app, "/students?standing=overdue", &session, StatusCode::OK).await;
    assert!(overdue.contains("Ayla Demir") && !overdue.contains("Leerling"), "{overdue}");
    let waiting = html(&app, "/students?standing=has_kit&q=ayla", &session, StatusCode::OK).await;
    assert!(waiting.contains("Ayla Demir"), "{waiting}");
}
