//! A school coordinator's pages over HTTP against the real app: the class list, enrolling,
//! asking for kit and cancelling, a student's file, export and erasure, and that another
//! school's student is the 404 page.

use reqwest::header::{CONTENT_DISPOSITION, LOCATION};
use reqwest::StatusCode;
use serde_json::Value;

use crate::fixtures::confirmed_loan;
use crate::helpers::{spawn_app, TestApp, PASSWORD};
use crate::students::{enrol, schools, student_body};
use crate::web::{form, form_token, page};

/// Signs in on the login page as the account of API `token`: its session cookie.
pub(crate) async fn session_of(app: &TestApp, token: &str) -> String {
    let me: Value = app.get("/api/v1/me", token).await.json().await.expect("me");
    let session = crate::web::sign_in(app, me["email"].as_str().expect("email"), PASSWORD).await;
    // These readers chose English once; their browser keeps that choice in the `lang` cookie.
    format!("{session}; lang=en")
}

/// A page's HTML, checking its status.
pub(crate) async fn html(app: &TestApp, path: &str, session: &str, status: StatusCode) -> String {
    let res = page(app, path, session).await;
    assert_eq!(res.status(), status, "{path}");
    res.text().await.expect("html")
}

pub(crate) fn location(res: &reqwest::Response) -> String {
    res.headers().get(LOCATION).and_then(|v| v.to_str().ok()).expect("location").to_owned()
}

#[tokio::test]
async fn a_coordinator_enrols_a_student_asks_for_kit_and_follows_it_on_the_pages() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let session = session_of(&app, &s.coordinator_a).await;
    let list = html(&app, "/students?lang=en", &session, StatusCode::OK).await;
    assert!(list.contains("You have no students yet."), "{list}");
    let csrf = form_token(&list);

    // Two mistakes: both named, what was typed stays, nothing enrolled.
    let typed = [
        ("csrf", csrf.as_str()),
        ("name", "Ayla Demir"),
        ("email", "ayla-at-example"),
        ("preferred_language", "nl"),
        ("programme_start", "2026-09-01"),
        ("programme_end", "2027-06-30"),
        ("hub_id", s.hub.as_str()),
        ("lacks_laptop", "yes"),
    ];
    let res = form(&app, "/students/new", &session, &typed).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = res.text().await.expect("html");
    assert!(again.contains("href=\"#email\"") && again.contains("href=\"#track\""), "{again}");
    assert!(again.contains("value=\"Ayla Demir\"") && again.contains("checked"), "{again}");
    assert!(html(&app, "/students", &session, StatusCode::OK).await.contains("You have no students yet."));

    let mut good = typed.to_vec();
    good[2] = ("email", "ayla@example.org");
    good.push(("track", "coder"));
    let res = form(&app, "/students/new", &session, &good).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let student_page = location(&res);
    let id = student_page.trim_start_matches("/students/").split('?').next().expect("id").to_owned();
    let file = html(&app, &student_page, &session, StatusCode::OK).await;
    assert!(file.contains("The student is enrolled.") && file.contains("Ayla Demir"), "{file}");

    // The same address twice at one school: said at the field.
    let res = form(&app, "/students/new", &session, &good).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("html").contains("href=\"#email\""));

    // Ask for a laptop: the file shows the place in line.
    let asked = [("csrf", csrf.as_str()), ("kind", "laptop"), ("travel_ok", "yes")];
    let res = form(&app, &format!("/students/{id}/request-kit"), &session, &asked).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let file = html(&app, &location(&res), &session, StatusCode::OK).await;
    assert!(file.contains("number 1 in line"), "{file}");
    // Asking again while it waits: the form again, saying why.
    let res = form(&app, &format!("/students/{id}/request-kit"), &session, &asked).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("html").contains("href=\"#kind\""));

    // The class list filters and searches.
    for (query, shown) in [
        ("", true),
        ("?lacks=laptop", true),
        ("?lacks=software", false),
        ("?standing=waiting", true),
        ("?standing=has_kit", false),
        ("?q=ayla", true),
        ("?q=zz", false),
    ] {
        let list = html(&app, &format!("/students{query}"), &session, StatusCode::OK).await;
        assert_eq!(list.contains(&format!("/students/{id}\"")), shown, "{query}: {list}");
    }
    let list = html(&app, "/students?standing=waiting", &session, StatusCode::OK).await;
    assert!(list.contains("number 1 in line") && list.contains("<th scope=\"col\">"), "{list}");

    // Cancel it.
    let request: Value = app
        .get(&format!("/api/v1/requests?student_id={id}"), &s.coordinator_a)
        .await
        .json()
        .await
        .expect("json");
    let request_id = request["items"][0]["id"].as_str().expect("request").to_owned();
    let res = form(&app, &format!("/requests/{request_id}/cancel"), &session, &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let file = html(&app, &location(&res), &session, StatusCode::OK).await;
    assert!(file.contains("The request is cancelled.") && file.contains("Cancelled"), "{file}");

    // Edit: a new name; the rest stays.
    let mut edited = good.clone();
    edited[1] = ("name", "Ayla Demir-Smit");
    let res = form(&app, &format!("/students/{id}/edit"), &session, &edited).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let stored: Value =
        app.get(&format!("/api/v1/students/{id}"), &s.coordinator_a).await.json().await.expect("json");
    assert_eq!((stored["name"].as_str(), stored["track"].as_str()), (Some("Ayla Demir-Smit"), Some("coder")));

    // Export: a file to keep, with everything held.
    let res = page(&app, &format!("/students/{id}/export"), &session).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[CONTENT_DISPOSITION].to_str().expect("header").starts_with("attachment"));
    let held: Value = res.json().await.expect("json");
    assert_eq!(held["student"]["email"], "ayla@example.org");

    // Erase: a confirmation page that says what goes and what stays, then the erasure.
    let confirm = html(&app, &format!("/students/{id}/erase"), &session, StatusCode::OK).await;
    assert!(confirm.contains("What we remove") && confirm.contains("What we keep"), "{confirm}");
    let res = form(&app, &format!("/students/{id}/erase"), &session, &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/students?done=erased");
    html(&app, &format!("/students/{id}"), &session, StatusCode::NOT_FOUND).await;
    let stored: Value =
        app.get(&format!("/api/v1/students/{id}"), &s.coordinator_a).await.json().await.expect("json");
    assert_eq!(stored["erased"], true);
}

#[tokio::test]
async fn another_schools_student_is_the_404_page_and_other_roles_may_not_use_these_pages() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    let student = enrol(&app, &s.coordinator_a, student_body("Bram", "bram@example.org")).await;
    let id = student["id"].as_str().expect("id");
    let other = session_of(&app, &s.coordinator_b).await;
    let csrf = form_token(&html(&app, "/students", &other, StatusCode::OK).await);
    for path in ["", "/edit", "/erase", "/request-kit", "/export"] {
        let res = page(&app, &format!("/students/{id}{path}"), &other).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(res.text().await.expect("html").contains("<html"), "the 404 page: {path}");
    }
    for path in ["/erase", "/edit", "/request-kit"] {
        let res =
            form(&app, &format!("/students/{id}{path}"), &other, &[("csrf", &csrf), ("kind", "laptop")])
                .await;
        assert!(matches!(res.status(), StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY), "{path}");
    }
    let stored: Value =
        app.get(&format!("/api/v1/students/{id}"), &s.coordinator_a).await.json().await.expect("json");
    assert_eq!(
        (stored["erased"].as_bool(), stored["name"].as_str()),
        (Some(false), Some("Bram")),
        "untouched"
    );
    let res = app
        .post("/api/v1/requests", &s.coordinator_a, serde_json::json!({"student_id": id, "kind": "laptop"}))
        .await;
    let request = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let res = form(&app, &format!("/requests/{request}/cancel"), &other, &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = page(&app, "/students/not-an-id", &other).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let donor = session_of(&app, &s.donor).await;
    assert_eq!(page(&app, "/students", &donor).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(page(&app, "/students", "").await.status(), StatusCode::SEE_OTHER, "sign in first");
}

#[tokio::test]
async fn a_student_with_kit_on_loan_is_not_erased_and_the_page_says_why() {
    let app = spawn_app().await;
    let (_, coordinator, _, loan, _, _) = confirmed_loan(&app).await;
    let id = loan["student_id"].as_str().expect("student");
    let session = session_of(&app, &coordinator).await;
    let file = html(&app, &format!("/students/{id}?lang=en"), &session, StatusCode::OK).await;
    assert!(
        file.contains("Ready at the hub") && file.contains("has not accepted the loan agreement"),
        "{file}"
    );
    let confirm = html(&app, &format!("/students/{id}/erase"), &session, StatusCode::CONFLICT).await;
    assert!(confirm.contains("still has kit") && !confirm.contains("Erase the data</button>"), "{confirm}");
    let csrf = form_token(&html(&app, "/students", &session, StatusCode::OK).await);
    let res = form(&app, &format!("/students/{id}/erase"), &session, &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let stored: Value =
        app.get(&format!("/api/v1/students/{id}"), &coordinator).await.json().await.expect("json");
    assert_eq!(stored["erased"], false);
    let list = html(&app, "/students?standing=has_kit", &session, StatusCode::OK).await;
    assert!(list.contains(&format!("/students/{id}\"")) && list.contains("Ready at the hub"), "{list}");
}

/// A class list sent from the upload page, as a browser sends it.
pub(crate) async fn upload(
    app: &TestApp,
    path: &str,
    session: &str,
    csrf: &str,
    file: Option<&str>,
) -> reqwest::Response {
    let mut parts = reqwest::multipart::Form::new().text("csrf", csrf.to_owned());
    if let Some(file) = file {
        let part = reqwest::multipart::Part::bytes(file.as_bytes().to_vec())
            .file_name("klassenlijst.csv")
            .mime_str("text/csv")
            .expect("mime");
        parts = parts.part("file", part);
    }
    app.client
        .post(app.url(path))
        .header(reqwest::header::COOKIE, session)
        .header(reqwest::header::ACCEPT, "text/html")
        .header("sec-fetch-site", "same-origin")
        .multipart(parts)
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn a_class_list_with_bad_rows_enrols_nobody_and_says_each_row_then_the_fixed_one_enrols_all() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    // This coordinator's browser remembers Dutch.
    let session = session_of(&app, &s.coordinator_a).await.replace("lang=en", "lang=nl");
    let upload_page = html(&app, "/students/import", &session, StatusCode::OK).await;
    assert!(
        upload_page.contains("enctype=\"multipart/form-data\"") && upload_page.contains("Voorbeeldbestand"),
        "{upload_page}"
    );
    let csrf = form_token(&upload_page);
    let sample = page(&app, "/students/import/sample.csv", &session).await;
    assert!(sample.text().await.expect("csv").starts_with("name,email,preferred_language,track"));

    let bad = "Naam;E-mailadres;Taal;Richting;Startdatum;Einddatum;Geen laptop\n\
               Ayla Demir;ayla@example.org;nl;coder;01-09-2026;30-06-2027;ja\n\
               Sam de Vries;sam-at-example;nl;coder;01-09-2026;30-06-2027;nee\n\
               Noor Bakker;noor@example.org;nl;coder;01-09-2026;morgen;ja\n";
    let res = upload(&app, "/students/import", &session, &csrf, Some(bad)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let answer = res.text().await.expect("html");
    assert!(answer.contains("Rij 3, e-mailadres: dit is geen e-mailadres"), "{answer}");
    assert!(answer.contains("Rij 4, laatste dag:"), "{answer}");
    assert!(answer.contains("2 rijen kloppen niet. Er is niemand ingeschreven."), "{answer}");
    let list = html(&app, "/students", &session, StatusCode::OK).await;
    assert!(list.contains("U hebt nog geen studenten."), "nobody enrolled: {list}");

    let fixed = bad.replace("sam-at-example", "sam@example.org").replace("morgen", "30-06-2027");
    let res = upload(&app, "/students/import", &session, &csrf, Some(&fixed)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let list = html(&app, &location(&res), &session, StatusCode::OK).await;
    assert!(list.contains("3 studenten zijn ingeschreven uit het bestand."), "{list}");
    for name in ["Ayla Demir", "Sam de Vries", "Noor Bakker"] {
        assert!(list.contains(name), "{name}: {list}");
    }

    // No file, a cross-site upload, and a donor: refused without a change.
    let res = upload(&app, "/students/import", &session, &csrf, None).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("html").contains("Kies eerst een bestand."));
    let res = upload(&app, "/students/import", &session, "not-the-token", Some(&fixed)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let donor = session_of(&app, &s.donor).await;
    let donor_csrf = form_token(&html(&app, "/account", &donor, StatusCode::OK).await);
    let res = upload(&app, "/students/import", &donor, &donor_csrf, Some(&fixed)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
