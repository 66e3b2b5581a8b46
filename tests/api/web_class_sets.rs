//! Class sets on the pages: a coordinator asks for a set, staff offer and hand it over, the
//! coordinator accepts the agreement, and a partial return shows what is missing.

use chrono::{Duration, Utc};
use devicepool::domain::Role;
use reqwest::StatusCode;

use crate::class_sets::{laptops, pool};
use crate::helpers::spawn_app;
use crate::web::{form, form_token, page};
use crate::web_school::{html, location, session_of};

fn day(d: i64) -> String {
    (Utc::now().date_naive() + Duration::days(d)).to_string()
}

#[tokio::test]
async fn a_coordinator_asks_for_a_set_staff_hand_it_over_and_a_partial_return_shows_the_missing_device() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let kit = laptops(&app, &p, "PAGE-SET", 2).await;
    let school = session_of(&app, &p.coordinator).await;
    let staff = session_of(&app, &p.staff).await;

    let list = html(&app, "/class-sets", &school, StatusCode::OK).await;
    assert!(list.contains("Your school has not asked for a class set yet."), "{list}");
    let new = html(&app, "/class-sets/new", &school, StatusCode::OK).await;
    let csrf = form_token(&new);
    // Every mistake at once, with what was typed kept.
    let res = form(
        &app,
        "/class-sets/new",
        &school,
        &[
            ("csrf", &csrf),
            ("course", "Coderen 1"),
            ("kind", "laptop"),
            ("count", "99"),
            ("starts_on", &day(-3)),
            ("ends_on", &day(-5)),
            ("hub_id", &p.hub),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = res.text().await.expect("html");
    for said in [
        "Give a number from 1 to 40.",
        "Choose today or a later day.",
        "The last day must come after the first day.",
        "value=\"Coderen 1\"",
        "value=\"99\"",
    ] {
        assert!(again.contains(said), "{said}: {again}");
    }
    assert!(again.contains("<title>Error: "), "the title says so");
    let res = form(
        &app,
        "/class-sets/new",
        &school,
        &[
            ("csrf", &csrf),
            ("course", "Coderen 1"),
            ("kind", "laptop"),
            ("count", "2"),
            ("starts_on", &day(5)),
            ("ends_on", &day(75)),
            ("hub_id", &p.hub),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let set_page = location(&res);
    let id = set_page.trim_start_matches("/class-sets/").split('?').next().expect("id").to_owned();
    let asked = html(&app, &set_page, &school, StatusCode::OK).await;
    assert!(asked.contains("We have your request."), "{asked}");

    // Staff see it to offer, and offer it.
    let todo = html(&app, "/class-sets", &staff, StatusCode::OK).await;
    assert!(todo.contains(&format!("href=\"/class-sets/{id}\">Coderen 1</a>")), "{todo}");
    let at_staff = html(&app, &format!("/class-sets/{id}"), &staff, StatusCode::OK).await;
    let staff_csrf = form_token(&at_staff);
    let res = form(&app, &format!("/class-sets/{id}/offer"), &staff, &[("csrf", &staff_csrf)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.expect("html").contains("2 devices were set aside now."));

    // The coordinator must tick the box, then accepts.
    let offered = html(&app, &format!("/class-sets/{id}"), &school, StatusCode::OK).await;
    assert!(
        offered.contains("The agreement for your school") && offered.contains("The devices stay ours."),
        "{offered}"
    );
    let version = app.settings.class_sets.agreement_version.clone();
    let res =
        form(&app, &format!("/class-sets/{id}/accept"), &school, &[("csrf", &csrf), ("version", &version)])
            .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .expect("html")
        .contains("Tick the box to accept the agreement for your school."));
    let res = form(
        &app,
        &format!("/class-sets/{id}/accept"),
        &school,
        &[("csrf", &csrf), ("version", &version), ("agree", "yes")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Staff hand it over in one step.
    let res = form(&app, &format!("/class-sets/{id}/handover"), &staff, &[("csrf", &staff_csrf)]).await;
    assert_eq!(
        (res.status(), location(&res)),
        (StatusCode::SEE_OTHER, format!("/class-sets/{id}?done=handed_over"))
    );
    // Handing it over again says the set moved on.
    let res = form(&app, &format!("/class-sets/{id}/handover"), &staff, &[("csrf", &staff_csrf)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("html").contains("the set has moved on"));

    // One device comes back without its mouse.
    let (first, second) = (&kit[0], &kit[1]);
    let back = format!("back|{first}");
    let (charger, bag) = (format!("acc|{first}|charger"), format!("acc|{first}|bag"));
    let condition = format!("condition|{first}");
    let res = form(
        &app,
        &format!("/class-sets/{id}/return"),
        &staff,
        &[("csrf", &staff_csrf), (&back, "yes"), (&condition, "worn"), (&charger, "yes"), (&bag, "yes")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let follow = html(&app, &format!("/class-sets/{id}"), &school, StatusCode::OK).await;
    let missing =
        follow.split("id=\"missing\"").nth(1).expect("a missing list").split("</ul>").next().expect("list");
    let d: serde_json::Value =
        app.get(&format!("/api/v1/devices/{second}"), &p.staff).await.json().await.expect("json");
    assert!(missing.contains(d["asset_tag"].as_str().expect("tag")), "{missing}");
    assert!(follow.contains("Missing: mouse"), "{follow}");
    assert!(
        page(&app, &format!("/class-sets/{id}"), &school).await.text().await.expect("html").len() < 50_000
    );

    // Nothing ticked is a mistake on the page, not a failure.
    let res = form(&app, &format!("/class-sets/{id}/return"), &staff, &[("csrf", &staff_csrf)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("html").contains("Tick each device that came back."));

    // The other one will not come back: written off on the page, the set is closed.
    let res = form(&app, &format!("/class-sets/{id}/write-off"), &staff, &[("csrf", &staff_csrf)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("html").contains("Choose the device that will not come back."));
    let res = form(
        &app,
        &format!("/class-sets/{id}/write-off"),
        &staff,
        &[("csrf", &staff_csrf), ("not_back", second)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let closed = html(&app, &format!("/class-sets/{id}"), &school, StatusCode::OK).await;
    assert!(
        closed.contains("Every device is back. Thank you.") && closed.contains("Written off"),
        "{closed}"
    );

    // A return on a closed set is a mistake on the page, not a failure.
    let res = form(&app, &format!("/class-sets/{id}/return"), &staff, &[("csrf", &staff_csrf)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn another_schools_set_is_the_404_page_and_students_and_donors_may_not_use_these_pages() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let body = serde_json::json!({"kind": "laptop", "count": 2, "starts_on": day(5), "ends_on": day(40), "hub_id": p.hub, "course": "Mine"});
    let set: serde_json::Value =
        app.post("/api/v1/class-sets", &p.coordinator, body).await.json().await.expect("json");
    let id = set["id"].as_str().expect("id");
    let other_school = app.create_organisation(&p.admin, "Other", "school").await;
    let (other, _) = app.user_with_role(&p.admin, Role::School, Some(&other_school)).await;
    let other = session_of(&app, &other).await;
    html(&app, &format!("/class-sets/{id}"), &other, StatusCode::NOT_FOUND).await;
    let token = form_token(&html(&app, "/class-sets/new", &other, StatusCode::OK).await);
    let res = form(&app, &format!("/class-sets/{id}/cancel"), &other, &[("csrf", &token)]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let theirs = html(&app, "/class-sets", &other, StatusCode::OK).await;
    assert!(!theirs.contains("Mine"), "{theirs}");
    let donor_org = app.create_organisation(&p.admin, "D", "donor").await;
    let (donor, _) = app.user_with_role(&p.admin, Role::Donor, Some(&donor_org)).await;
    let donor = session_of(&app, &donor).await;
    html(&app, "/class-sets", &donor, StatusCode::FORBIDDEN).await;
    html(&app, &format!("/class-sets/{id}"), &donor, StatusCode::FORBIDDEN).await;
    // Staff may not ask for a set for a school; a coordinator may not offer one.
    let staff = session_of(&app, &p.staff).await;
    html(&app, "/class-sets/new", &staff, StatusCode::FORBIDDEN).await;
    // Its course starts in five days with nothing held: on staff's list for today.
    let todo = html(&app, "/queues", &staff, StatusCode::OK).await;
    let sets = todo
        .split("id=\"class-sets\"")
        .nth(1)
        .expect("the class sets list")
        .split("</ul>")
        .next()
        .expect("list");
    assert!(
        sets.contains(&format!("href=\"/class-sets/{id}\">Mine</a>"))
            && sets.contains("2 of 2 devices still missing."),
        "{sets}"
    );
    let school = session_of(&app, &p.coordinator).await;
    let token = form_token(&html(&app, &format!("/class-sets/{id}"), &school, StatusCode::OK).await);
    let res = form(&app, &format!("/class-sets/{id}/offer"), &school, &[("csrf", &token)]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // An empty form in Dutch names every field in Dutch.
    let dutch = school.replace("lang=en", "lang=nl");
    let res = form(&app, "/class-sets/new", &dutch, &[("csrf", &token), ("kind", "laptop")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.expect("html");
    for said in [
        "Dit mag niet leeg zijn.",
        "Zeg hoeveel apparaten de klas nodig heeft.",
        "Geef de eerste dag van de cursus.",
        "Geef de laatste dag van de cursus.",
        "Kies de hub waar je de set ophaalt.",
    ] {
        assert!(page.contains(said), "{said}: {page}");
    }
}

#[tokio::test]
async fn staff_hand_a_set_over_by_scanning_every_device_and_take_one_back_in_a_return_session() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let kit = laptops(&app, &p, "SCAN-SET", 2).await;
    let mut tags = Vec::new();
    for d in &kit {
        let device: serde_json::Value =
            app.get(&format!("/api/v1/devices/{d}"), &p.staff).await.json().await.expect("json");
        tags.push(device["asset_tag"].as_str().expect("tag").to_owned());
    }
    let body = serde_json::json!({"kind": "laptop", "count": 2, "starts_on": day(3), "ends_on": day(40), "hub_id": p.hub, "course": "Scan"});
    let set: serde_json::Value =
        app.post("/api/v1/class-sets", &p.coordinator, body).await.json().await.expect("json");
    let id = set["id"].as_str().expect("id").to_owned();
    assert_eq!(
        app.post(&format!("/api/v1/class-sets/{id}/offer"), &p.staff, serde_json::json!({})).await.status(),
        StatusCode::OK
    );
    let version = serde_json::json!({"agreement_version": app.settings.class_sets.agreement_version});
    assert_eq!(
        app.post(&format!("/api/v1/class-sets/{id}/accept"), &p.coordinator, version).await.status(),
        StatusCode::OK
    );

    let staff = session_of(&app, &p.staff).await;
    let start = html(&app, "/scan", &staff, StatusCode::OK).await;
    assert!(start.contains("Hand over a class set") && start.contains("Scan (2)"), "{start}");
    let mut at =
        html(&app, &format!("/scan/session?action=hand_over&class_set_id={id}"), &staff, StatusCode::OK)
            .await;
    let (status, next) = crate::web_desk::scan(&app, &staff, &at, &tags[0]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(next.contains("It is in the set. Scan the next one."), "{next}");
    at = next;
    let (_, next) = crate::web_desk::scan(&app, &staff, &at, &tags[0]).await;
    assert!(next.contains("You scanned this device already."), "{next}");
    at = next;
    let (_, next) = crate::web_desk::scan(&app, &staff, &at, "NOT-A-TAG").await;
    assert!(next.contains("No device has this code."), "{next}");
    at = next;
    // Handing over with one device not scanned names it.
    let carried = crate::web_desk::hidden_fields(&at);
    let pairs: Vec<(&str, &str)> = carried.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = form(&app, "/scan/class-set", &staff, &pairs).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = res.text().await.expect("html");
    assert!(refused.contains(&format!("Not scanned yet: {}.", tags[1])), "{refused}");
    let (_, next) = crate::web_desk::scan(&app, &staff, &refused, &tags[1]).await;
    let carried = crate::web_desk::hidden_fields(&next);
    let pairs: Vec<(&str, &str)> = carried.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = form(&app, "/scan/class-set", &staff, &pairs).await;
    assert_eq!(
        (res.status(), location(&res)),
        (StatusCode::SEE_OTHER, format!("/class-sets/{id}?done=handed_over"))
    );
    let lent: serde_json::Value =
        app.get(&format!("/api/v1/class-sets/{id}"), &p.staff).await.json().await.expect("json");
    assert_eq!(lent["state"], "on_loan");

    // A return session takes one device of the set back, complete.
    let at = html(&app, "/scan/session?action=return&condition=good", &staff, StatusCode::OK).await;
    let (_, next) = crate::web_desk::scan(&app, &staff, &at, &tags[1]).await;
    assert!(next.contains("Taken back. It waits for inspection."), "{next}");
    let after: serde_json::Value =
        app.get(&format!("/api/v1/class-sets/{id}"), &p.staff).await.json().await.expect("json");
    assert_eq!(after["missing"], serde_json::json!([kit[0]]));
    let school = session_of(&app, &p.coordinator).await;
    let follow = html(&app, &format!("/class-sets/{id}"), &school, StatusCode::OK).await;
    assert!(follow.contains("Still missing") && follow.contains(&tags[0]), "{follow}");

    // The last one comes back at the returns counter, without its bag and mouse.
    let counter = html(&app, &format!("/returns?code={}", tags[0]), &staff, StatusCode::OK).await;
    let action = counter
        .split("action=\"/returns/")
        .nth(1)
        .expect("the return form")
        .split('"')
        .next()
        .expect("loan")
        .to_owned();
    let csrf = form_token(&counter);
    let res = form(
        &app,
        &format!("/returns/{action}"),
        &staff,
        &[("csrf", &csrf), ("code", &tags[0]), ("condition", "damaged"), ("back_charger", "yes")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/returns?back={}&missing=bag,mouse", tags[0]));
    let back: serde_json::Value =
        app.get(&format!("/api/v1/class-sets/{id}"), &p.staff).await.json().await.expect("json");
    assert_eq!(back["state"], "returned");
    let last = crate::class_sets::device_in(&back, &kit[0]);
    assert_eq!(last["missing_accessories"], serde_json::json!(["bag", "mouse"]));
    assert_eq!(last["return_condition"], "damaged");
}
