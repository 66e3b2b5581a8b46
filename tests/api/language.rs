//! Problems are told in the reader's language, and a body with several mistakes gets one
//! message for each: the `Accept-Language` header first, then the account's own language,
//! then `email.default_language`. `code` and `field` never change with the language.

use devicepool::domain::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{problem, spawn_app, spawn_app_with, TestApp};

/// A student record with three mistakes: a blank name, an address that is none, a language
/// the programme does not offer.
fn bad_student() -> Value {
    json!({
        "name": "  ",
        "email": "not an address",
        "preferred_language": "fr",
        "track": "coder",
        "programme_start": "2026-09-01",
        "programme_end": "2027-06-30"
    })
}

async fn post_with_language(
    app: &TestApp,
    token: &str,
    language: Option<&str>,
    body: Value,
) -> reqwest::Response {
    let mut req = app.client.post(app.url("/api/v1/students")).bearer_auth(token).json(&body);
    if let Some(language) = language {
        req = req.header("Accept-Language", language);
    }
    req.send().await.expect("request sent")
}

fn messages(body: &Value) -> Vec<(String, String)> {
    body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["field"].as_str().expect("field").to_owned(),
                e["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect()
}

async fn school_coordinator(app: &TestApp, language: Option<&str>) -> String {
    let admin = app.admin_token().await;
    let school = app.create_organisation(&admin, &format!("School {}", uuid::Uuid::new_v4()), "school").await;
    let (token, id) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    if let Some(language) = language {
        let res =
            app.patch(&format!("/api/v1/users/{id}"), &admin, json!({"preferred_language": language})).await;
        assert_eq!(res.status(), StatusCode::OK);
        let view: Value = res.json().await.expect("json");
        assert_eq!(view["preferred_language"], language);
    }
    token
}

#[tokio::test]
async fn a_dutch_coordinator_reads_every_mistake_of_a_student_record_in_dutch_in_one_answer() {
    let app = spawn_app().await;
    let school = school_coordinator(&app, None).await;
    let res = post_with_language(&app, &school, Some("nl-NL,nl;q=0.9,en;q=0.5"), bad_student()).await;
    assert_eq!(res.headers().get("content-language").and_then(|v| v.to_str().ok()), Some("nl"));
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["title"], "Sommige velden kloppen niet");
    assert_eq!(body["detail"], "3 velden kloppen niet. Hieronder staat elk veld.");
    assert_eq!(
        messages(&body),
        vec![
            ("name".to_owned(), "Dit mag niet leeg zijn.".to_owned()),
            ("email".to_owned(), "Dit is geen e-mailadres. Schrijf het zo: naam@voorbeeld.nl.".to_owned()),
            ("preferred_language".to_owned(), "Kies Nederlands (nl) of Engels (en).".to_owned()),
        ]
    );
}

#[tokio::test]
async fn accept_language_en_gives_english_with_the_same_codes_and_fields() {
    let app = spawn_app().await;
    let school = school_coordinator(&app, Some("nl")).await;
    let res = post_with_language(&app, &school, Some("en-GB"), bad_student()).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["title"], "Some fields are not valid");
    let english = messages(&body);
    assert_eq!(
        english[2],
        ("preferred_language".to_owned(), "Choose Dutch (nl) or English (en).".to_owned())
    );
    // The header beats the account's own language; in Dutch the same fields come back.
    let res = post_with_language(&app, &school, Some("nl"), bad_student()).await;
    let dutch = messages(&problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await);
    let fields = |m: &[(String, String)]| m.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>();
    assert_eq!(fields(&english), fields(&dutch));
    assert_ne!(english, dutch);
}

#[tokio::test]
async fn an_account_without_the_header_gets_its_own_language_else_the_default() {
    // The server's default is English here, so Dutch can only come from the account.
    let app = spawn_app_with(|s| s.email.default_language = devicepool::domain::student::Language::En).await;
    let dutch = school_coordinator(&app, Some("nl")).await;
    let res = post_with_language(&app, &dutch, None, bad_student()).await;
    assert_eq!(res.headers().get("content-language").and_then(|v| v.to_str().ok()), Some("nl"));
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["title"], "Sommige velden kloppen niet");
    // An error that is not about a field is in the account's language too.
    let res = app.get("/api/v1/students/00000000-0000-7000-8000-000000000000", &dutch).await;
    let body = problem(res, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(body["detail"], "We kunnen dit niet vinden, of het is niet van jou.");
    let me: Value = app.get("/api/v1/me", &dutch).await.json().await.expect("json");
    assert_eq!(me["preferred_language"], "nl");

    let undecided = school_coordinator(&app, None).await;
    let res = post_with_language(&app, &undecided, None, bad_student()).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["title"], "Some fields are not valid");
    // A language we do not speak falls through to the next rule.
    let res = post_with_language(&app, &dutch, Some("de-DE, fr;q=0.8"), bad_student()).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["title"], "Sommige velden kloppen niet");
}

#[tokio::test]
async fn problems_before_sign_in_follow_the_header() {
    let app = spawn_app().await;
    for (language, title) in [("en", "Sign-in needed"), ("nl", "Je moet eerst inloggen")] {
        let res = app
            .client
            .get(app.url("/api/v1/students"))
            .header("Accept-Language", language)
            .send()
            .await
            .expect("sent");
        assert!(res.headers().contains_key("www-authenticate"), "the problem's own headers stay");
        assert!(res.headers().contains_key("x-request-id"), "the headers of the other layers stay");
        let body = problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
        assert_eq!(body["title"], title);
    }
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("Accept-Language", "en")
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .expect("sent");
    let body = problem(res, StatusCode::BAD_REQUEST, "malformed_json").await;
    assert!(body["detail"].as_str().is_some_and(|d| d.starts_with("The body is not valid JSON")), "{body}");
}

#[tokio::test]
async fn an_account_language_is_checked_like_every_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let res = app
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "x@example.org", "role": "staff", "preferred_language": "de", "password": 5}),
        )
        .await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let mut fields: Vec<String> = messages(&body).into_iter().map(|(f, _)| f).collect();
    fields.sort();
    assert_eq!(fields, vec!["password".to_owned(), "preferred_language".to_owned()], "{body}");
}
