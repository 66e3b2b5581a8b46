//! What a new user notices on the pages, in both languages: accessories and software named in
//! words rather than codes, an impact page with nothing recycled yet, hints that fit the field
//! they sit under, and a hub form that is valid HTML.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::fixtures::{confirmed_loan, request_kit};
use crate::helpers::spawn_app;
use crate::web::{form, newest_sign_in_mail, set_cookie};
use crate::web_school::{html, session_of};
use devicepool::domain::Role;

/// A student's page session, signed in with the code from their mail.
pub(crate) async fn student_session(app: &crate::helpers::TestApp, email: &str) -> String {
    form(app, "/sign-in", "", &[("email", email)]).await;
    let (_, code) = newest_sign_in_mail(app, email).await;
    let res = form(app, "/sign-in/code", "", &[("email", email), ("code", &code)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (session, _) = set_cookie(res.headers(), "__Host-session").expect("signed in");
    format!("__Host-session={session}")
}

#[tokio::test]
async fn accessories_and_software_are_named_in_the_readers_words() {
    let app = spawn_app().await;
    let (staff, coordinator, email, loan, device, _) = confirmed_loan(&app).await;
    let device: Value =
        app.get(&format!("/api/v1/devices/{device}"), &staff).await.json().await.expect("json");
    let licence = json!({"product": "Power BI Pro", "vendor": "Microsoft", "seats": 5,
        "key": "PBI-EDU-1234", "donation_id": device["donation_id"]});
    assert_eq!(app.post("/api/v1/licences", &staff, licence).await.status(), StatusCode::CREATED);
    let student = loan["student_id"].as_str().expect("student").to_owned();
    let body = json!({"student_id": student, "kind": "licence", "product": "power-bi-pro"});
    assert_eq!(request_kit(&app, &coordinator, body).await.status(), StatusCode::CREATED);

    // The student's own page, in Dutch (their language) and in English.
    let session = student_session(&app, &email).await;
    let dutch = html(&app, "/my-kit?lang=nl", &session, StatusCode::OK).await;
    assert!(dutch.contains("oplader, tas en muis"), "{dutch}");
    let english = html(&app, "/my-kit?lang=en", &session, StatusCode::OK).await;
    assert!(english.contains("charger, bag and mouse"), "{english}");
    for page in [&dutch, &english] {
        assert!(page.contains("Power BI Pro") && !page.contains("power-bi-pro"), "{page}");
    }
    assert!(!dutch.contains("charger"), "{dutch}");

    // The coordinator's file on the student and the pool report staff read.
    let coordinator = session_of(&app, &coordinator).await;
    let staff = session_of(&app, &staff).await;
    for lang in ["nl", "en"] {
        let file =
            html(&app, &format!("/students/{student}?lang={lang}"), &coordinator, StatusCode::OK).await;
        assert!(file.contains("Power BI Pro") && !file.contains("power-bi-pro"), "{file}");
        let report = html(&app, &format!("/reports/pool?lang={lang}"), &staff, StatusCode::OK).await;
        assert!(report.contains("Power BI Pro") && !report.contains("power-bi-pro"), "{report}");
    }
    // The mails say it in words too.
    let rows = app
        .with_db(move |c| devicepool::store::outbox::for_recipient(c, "ayla@example.org").expect("rows"))
        .await;
    assert!(rows.iter().all(|m| !m.payload.contains("power-bi-pro")), "{rows:?}");
}

#[tokio::test]
async fn an_impact_page_with_nothing_recycled_says_none_and_its_hints_fit_a_month_picker() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let donor = app.create_organisation(&admin, "Ørsted A/S", "donor").await;
    let (contact, _) = app.user_with_role(&admin, Role::Donor, Some(&donor)).await;
    let session = session_of(&app, &contact).await;
    for (lang, none, hint) in [
        ("nl", "<td>Geen</td>", "Het overzicht begint op de eerste dag van deze maand."),
        ("en", "<td>None</td>", "The report starts on the first day of this month."),
    ] {
        let page = html(
            &app,
            &format!("/reports/impact?from=2026-01&to=2026-02&lang={lang}"),
            &session,
            StatusCode::OK,
        )
        .await;
        assert!(page.contains(none), "{lang}: {page}");
        assert!(
            !page.contains("-0.0") && !page.contains("0 devices") && !page.contains("0 apparaten"),
            "{page}"
        );
        assert!(page.contains(hint) && !page.contains("2026-03."), "{page}");
    }
}

#[tokio::test]
async fn the_hub_form_asks_for_an_address_without_claiming_it_is_the_readers_own() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let session = session_of(&app, &staff).await;
    for lang in ["nl", "en"] {
        let page = html(&app, &format!("/hubs/new?lang={lang}"), &session, StatusCode::OK).await;
        assert!(page.contains("name=\"address\""), "{page}");
        // `street-address` is only valid on a textarea, and describes the reader's own address.
        assert!(!page.contains("street-address"), "{page}");
    }
}
