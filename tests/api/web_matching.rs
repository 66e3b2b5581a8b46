//! A matching round on the pages over HTTP against the real app: the dry run says what would
//! go to whom and why, and why the rest waits, in the reader's language; the run writes the
//! proposals; all of a hub are confirmed at once, and a second desk's click finds them decided.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::fixtures::one_laptop_two_students;
use crate::helpers::spawn_app;
use crate::web::{form, form_token};
use crate::web_school::{html, location, session_of};

#[tokio::test]
async fn a_dry_run_says_why_then_the_run_is_confirmed_for_the_whole_hub() {
    let app = spawn_app().await;
    let (staff, hub) = one_laptop_two_students(&app).await;
    let session = session_of(&app, &staff).await;

    let round = html(&app, "/matching?try=1&kind=laptop&lang=en", &session, StatusCode::OK).await;
    assert!(round.contains("1 student would get kit"), "{round}");
    assert!(round.contains("Ayla Demir") && round.contains("At the student&#x27;s own hub."), "{round}");
    assert!(
        round.contains("Bram Jansen")
            && round.contains("All suitable kit went to requests with a higher priority."),
        "{round}"
    );
    let dutch = html(&app, "/matching?try=1&lang=nl", &session, StatusCode::OK).await;
    assert!(dutch.contains("Laptop met 16 GB RAM") && dutch.contains("meer voorrang"), "{dutch}");
    let nothing: Value = app.get("/api/v1/allocations", &staff).await.json().await.expect("json");
    assert_eq!(nothing["items"], json!([]), "a dry run writes nothing");

    let csrf = form_token(&round);
    let res =
        form(&app, "/matching/run", &session, &[("csrf", &csrf), ("kind", "laptop"), ("hub", "")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/matching/proposals?made=1");
    let proposals = html(&app, "/matching/proposals?made=1&lang=en", &session, StatusCode::OK).await;
    assert!(
        proposals.contains("The round made 1 proposal.") && proposals.contains("Ayla Demir"),
        "{proposals}"
    );
    assert!(proposals.contains("Confirm all at Hub Noord"), "{proposals}");

    let res = form(&app, "/matching/hubs/confirm?lang=en", &session, &[("csrf", &csrf), ("hub", &hub)]).await;
    assert_eq!(location(&res), "/matching/proposals?decision=confirm&done=1&skipped=0");
    let loans: Value = app.get("/api/v1/loans?state=reserved", &staff).await.json().await.expect("json");
    assert_eq!(loans["items"].as_array().map(Vec::len), Some(1), "{loans}");
    let after = html(&app, "/matching/proposals?lang=en", &session, StatusCode::OK).await;
    assert!(after.contains("No proposals wait for you."), "{after}");

    // A second desk still showing the old list: its click finds the proposal decided.
    let allocations: Value = app.get("/api/v1/allocations", &staff).await.json().await.expect("json");
    let id = allocations["items"][0]["id"].as_str().expect("id").to_owned();
    let res = form(&app, &format!("/matching/proposals/{id}/reject"), &session, &[("csrf", &csrf)]).await;
    assert_eq!(location(&res), "/matching/proposals?decision=reject&done=0&skipped=1");
    let res = form(&app, &format!("/matching/proposals/{id}/explode"), &session, &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn caps_and_travel_costs_are_set_on_their_own_pages_and_the_round_follows_them() {
    let app = spawn_app().await;
    let (staff, hub) = one_laptop_two_students(&app).await;
    let session = session_of(&app, &staff).await;
    let caps = html(&app, "/matching/caps?lang=en", &session, StatusCode::OK).await;
    assert!(caps.contains("No school has a limit yet."), "{caps}");
    let csrf = form_token(&caps);
    let school =
        caps.split("<option value=\"").nth(2).and_then(|s| s.split('"').next()).expect("a school").to_owned();

    // Every mistake at once, with what was typed.
    let res = form(
        &app,
        "/matching/caps?lang=en",
        &session,
        &[("csrf", &csrf), ("kind", "spaceship"), ("cap", "-3")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.expect("html");
    assert!(
        body.contains("href=\"#school_id\"")
            && body.contains("href=\"#kind\"")
            && body.contains("href=\"#cap\""),
        "{body}"
    );
    assert!(body.contains("value=\"-3\""), "{body}");
    let fields = [("csrf", csrf.as_str()), ("school_id", school.as_str()), ("kind", "laptop"), ("cap", "0")];
    let res = form(&app, "/matching/caps", &session, &fields).await;
    assert_eq!(location(&res), "/matching/caps");
    let caps = html(&app, "/matching/caps?lang=en", &session, StatusCode::OK).await;
    assert!(caps.contains("Codeschool</strong>: at most 0, now 0"), "{caps}");
    let round = html(&app, "/matching?try=1&lang=en", &session, StatusCode::OK).await;
    assert!(round.contains("The school&#x27;s share is in use: 0 laptops."), "{round}");

    // A travel cost needs two different hubs.
    let other = app.post("/api/v1/hubs", &staff, json!({"name": "Hub Zuid", "address": "Laan 2"})).await;
    let other = other.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let same =
        [("csrf", csrf.as_str()), ("from_hub_id", hub.as_str()), ("to_hub_id", hub.as_str()), ("cost", "4")];
    let res = form(&app, "/matching/travel?lang=en", &session, &same).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let two = [
        ("csrf", csrf.as_str()),
        ("from_hub_id", other.as_str()),
        ("to_hub_id", hub.as_str()),
        ("cost", "4"),
    ];
    let res = form(&app, "/matching/travel", &session, &two).await;
    assert_eq!(location(&res), "/matching/travel");
    let travel = html(&app, "/matching/travel?lang=en", &session, StatusCode::OK).await;
    assert!(travel.contains("<strong>Hub Noord</strong> – <strong>Hub Zuid</strong>: cost 4"), "{travel}");
    let costs: Value = app.get("/api/v1/travel-costs", &staff).await.json().await.expect("json");
    assert_eq!(costs["items"].as_array().map(Vec::len), Some(1), "the API reads what the page set");
}
