//! Gifts on the pages: the donor allows them on the donation's page, staff offer one from the
//! device's desk page, and the student reads the text and accepts it.

use devicepool::domain::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::gifts::active_loan;
use crate::helpers::spawn_app;
use crate::paper_cuts::student_session;
use crate::web::{form, form_token};
use crate::web_school::{html, location, session_of};

#[tokio::test]
async fn the_donor_allows_gifts_staff_offer_one_at_the_desk_and_the_student_accepts_it() {
    let app = spawn_app().await;
    let (staff, _, student, loan, device, donation) = active_loan(&app).await;
    let desk = session_of(&app, &staff).await;
    let page = html(&app, &format!("/devices/{device}"), &desk, StatusCode::OK).await;
    assert!(page.contains("The donor does not allow gifts for this donation."), "{page}");
    assert!(!page.contains("Offer as a gift"), "no form where it would be refused");

    // The donor says yes on the donation's page.
    let admin = app.admin_token().await;
    let d: Value =
        app.get(&format!("/api/v1/donations/{donation}"), &staff).await.json().await.expect("json");
    let (donor, _) =
        app.user_with_role(&admin, Role::Donor, Some(d["donor_id"].as_str().expect("donor"))).await;
    let donor = session_of(&app, &donor).await;
    let page = html(&app, &format!("/donations/{donation}"), &donor, StatusCode::OK).await;
    assert!(page.contains("Now: gifts are not allowed."), "{page}");
    let csrf = form_token(&page);
    let res = form(
        &app,
        &format!("/donations/{donation}/gifts"),
        &donor,
        &[("csrf", &csrf), ("gifts_allowed", "yes")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = html(&app, &location(&res), &donor, StatusCode::OK).await;
    assert!(page.contains("Now: gifts are allowed.") && page.contains("Saved."), "{page}");
    // Another donor's donation is the 404 page.
    let other_org = app.create_organisation(&admin, "Other donor", "donor").await;
    let (other, _) = app.user_with_role(&admin, Role::Donor, Some(&other_org)).await;
    let other = session_of(&app, &other).await;
    let res = form(
        &app,
        &format!("/donations/{donation}/gifts"),
        &other,
        &[
            ("csrf", &form_token(&html(&app, "/donations", &other, StatusCode::OK).await)),
            ("gifts_allowed", "yes"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Staff offer it; a missing reason gets the desk page back with the mistake.
    let page = html(&app, &format!("/devices/{device}"), &desk, StatusCode::OK).await;
    assert!(page.contains("Offer as a gift"), "{page}");
    let csrf = form_token(&page);
    let res = form(&app, &format!("/loans/{loan}/gift"), &desk, &[("csrf", &csrf), ("reason", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = res.text().await.expect("html");
    assert!(again.contains("href=\"#gift-reason\""), "the summary links to the field: {again}");
    let res =
        form(&app, &format!("/loans/{loan}/gift"), &desk, &[("csrf", &csrf), ("reason", "Started a job")])
            .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = html(&app, &location(&res), &desk, StatusCode::OK).await;
    assert!(page.contains("The gift is offered.") && page.contains("(Started a job)"), "{page}");

    // The student reads it on My kit and accepts it; without the tick nothing happens.
    let me: Value = app.get("/api/v1/me", &student).await.json().await.expect("me");
    let own = format!("{}; lang=en", student_session(&app, me["email"].as_str().expect("email")).await);
    let kit = html(&app, "/my-kit", &own, StatusCode::OK).await;
    assert!(
        kit.contains("You may keep it: it is a gift.") && kit.contains(&format!("/loans/{loan}/gift")),
        "{kit}"
    );
    let text = html(&app, &format!("/loans/{loan}/gift"), &own, StatusCode::OK).await;
    assert!(text.contains("From today the device belongs to you."), "{text}");
    let csrf = form_token(&text);
    let res = form(&app, &format!("/loans/{loan}/gift"), &own, &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .expect("html")
        .contains("Tick the box to say that you take the device as your own."));
    let l: Value = app.get(&format!("/api/v1/loans/{loan}"), &staff).await.json().await.expect("json");
    assert_eq!(l["state"], "active", "nothing changed without the tick");
    let res = form(&app, &format!("/loans/{loan}/gift"), &own, &[("csrf", &csrf), ("agree", "yes")]).await;
    assert_eq!((res.status(), location(&res).as_str()), (StatusCode::SEE_OTHER, "/my-kit"));
    let kit = html(&app, "/my-kit", &own, StatusCode::OK).await;
    assert!(kit.contains("is nu van jou") && !kit.contains("Where"), "in the student's language: {kit}");
    let l: Value = app.get(&format!("/api/v1/loans/{loan}"), &staff).await.json().await.expect("json");
    assert_eq!(l["state"], "gifted");
    let page = html(&app, &format!("/devices/{device}"), &desk, StatusCode::OK).await;
    assert!(page.contains("Given away"), "{page}");
    // The donor sees the stage, never who.
    let page = html(&app, &format!("/donations/{donation}"), &donor, StatusCode::OK).await;
    assert!(page.contains("Given to a student to keep") && !page.contains("Ayla"), "{page}");
}
