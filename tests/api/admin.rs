use devicepool::domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{problem, spawn_app, PASSWORD};

#[tokio::test]
async fn admins_create_list_read_and_rename_organisations() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let res = app
        .post("/api/v1/organisations", &admin, json!({"name": "  Codeschool Zuidoost ", "kind": "school"}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location =
        res.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned).expect("Location");
    let created: Value = res.json().await.expect("json");
    assert_eq!(created["name"], "Codeschool Zuidoost");
    assert_eq!(created["kind"], "school");
    assert_eq!(location, format!("/api/v1/organisations/{}", created["id"].as_str().expect("id")));
    let read: Value = app.get(&location, &admin).await.json().await.expect("json");
    assert_eq!(read, created);
    app.create_organisation(&admin, "Polder Software BV", "donor").await;

    let schools: Value =
        app.get("/api/v1/organisations?kind=school", &admin).await.json().await.expect("json");
    assert_eq!(schools["items"].as_array().map(Vec::len), Some(1));
    let res = app.patch(&location, &admin, json!({"name": "Codeschool Amsterdam Zuidoost"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let renamed: Value = res.json().await.expect("json");
    assert_eq!(renamed["name"], "Codeschool Amsterdam Zuidoost");
    assert_eq!(renamed["kind"], "school");
}

#[tokio::test]
async fn organisation_names_are_unique_whatever_the_case() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.create_organisation(&admin, "Data Academy Noord", "school").await;
    let res = app
        .post("/api/v1/organisations", &admin, json!({"name": "data academy noord", "kind": "donor"}))
        .await;
    let body = problem(res, StatusCode::CONFLICT, "conflict").await;
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("name")), "{body}");
    let other = app.create_organisation(&admin, "Another School", "school").await;
    let res = app
        .patch(&format!("/api/v1/organisations/{other}"), &admin, json!({"name": "DATA ACADEMY NOORD"}))
        .await;
    problem(res, StatusCode::CONFLICT, "conflict").await;
}

#[tokio::test]
async fn lists_page_with_a_cursor_in_creation_order() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut created = Vec::new();
    for i in 0..5 {
        created.push(app.create_organisation(&admin, &format!("School {i}"), "school").await);
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/organisations?limit=2".to_owned();
    loop {
        let page: Value = app.get(&path, &admin).await.json().await.expect("json");
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|o| o["id"].as_str().expect("id").to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/organisations?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, created);
    for bad in ["limit=0", "limit=501", "cursor=nonsense"] {
        let body = problem(
            app.get(&format!("/api/v1/organisations?{bad}"), &admin).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        let field = bad.split('=').next().expect("field");
        assert_eq!(body["errors"][0]["field"], field);
    }
    problem(
        app.get("/api/v1/organisations?limit=ten", &admin).await,
        StatusCode::BAD_REQUEST,
        "malformed_query",
    )
    .await;
}

#[tokio::test]
async fn admins_create_accounts_that_fit_their_organisation() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let donor = app.create_organisation(&admin, "Donor BV", "donor").await;
    let cases = [
        (json!({"email": "a@x.org", "role": "school", "password": PASSWORD}), "organisation_id"),
        (
            json!({"email": "b@x.org", "role": "school", "organisation_id": donor, "password": PASSWORD}),
            "organisation_id",
        ),
        (
            json!({"email": "c@x.org", "role": "staff", "organisation_id": school, "password": PASSWORD}),
            "organisation_id",
        ),
        (json!({"email": "d@x.org", "role": "student", "password": PASSWORD}), "role"),
        (json!({"email": "not-an-email", "role": "staff", "password": PASSWORD}), "email"),
        (json!({"email": "e@x.org", "role": "staff", "password": "short"}), "password"),
        (
            json!({"email": "f@x.org", "role": "donor", "organisation_id": uuid::Uuid::now_v7(), "password": PASSWORD}),
            "organisation_id",
        ),
    ];
    for (body, field) in cases {
        let res = app.post("/api/v1/users", &admin, body.clone()).await;
        let problem = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    let res = app.post("/api/v1/users", &admin, json!({"email": "Coordinator@Codeschool.example", "role": "school", "organisation_id": school, "password": PASSWORD})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let user: Value = res.json().await.expect("json");
    assert_eq!(user["email"], "coordinator@codeschool.example");
    assert_eq!(user["organisation_id"], school);
    assert!(user.get("password").is_none() && user.get("password_hash").is_none());
    let res = app
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "coordinator@codeschool.example", "role": "staff", "password": PASSWORD}),
        )
        .await;
    problem(res, StatusCode::CONFLICT, "conflict").await;
    let listed: Value =
        app.get(&format!("/api/v1/users?organisation_id={school}"), &admin).await.json().await.expect("json");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn an_admin_can_move_an_account_between_roles_but_not_demote_themselves() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (_, staff_id) = app.user_with_role(&admin, Role::Staff, None).await;
    let res = app
        .patch(
            &format!("/api/v1/users/{staff_id}"),
            &admin,
            json!({"role": "school", "organisation_id": school}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let moved: Value = res.json().await.expect("json");
    assert_eq!(
        (moved["role"].as_str(), moved["organisation_id"].as_str()),
        (Some("school"), Some(school.as_str()))
    );
    let res = app.patch(&format!("/api/v1/users/{staff_id}"), &admin, json!({"role": "staff"})).await;
    let back: Value = res.json().await.expect("json");
    assert_eq!(back["organisation_id"], Value::Null);
    let me: Value = app.get("/api/v1/me", &admin).await.json().await.expect("json");
    let my_id = me["id"].as_str().expect("id");
    problem(
        app.patch(&format!("/api/v1/users/{my_id}"), &admin, json!({"role": "staff"})).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    problem(
        app.post(&format!("/api/v1/users/{my_id}/disable"), &admin, json!({})).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
}

#[tokio::test]
async fn hubs_are_written_by_pool_staff_and_read_by_everyone_signed_in() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let school_org = app.create_organisation(&admin, "Codeschool", "school").await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let (school, _) = app.user_with_role(&admin, Role::School, Some(&school_org)).await;
    let res = app
        .post(
            "/api/v1/hubs",
            &staff,
            json!({"name": "Hub Noord", "address": "Buikslotermeerplein 1, Amsterdam"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let hub: Value = res.json().await.expect("json");
    let path = format!("/api/v1/hubs/{}", hub["id"].as_str().expect("id"));
    let read: Value = app.get(&path, &school).await.json().await.expect("json");
    assert_eq!(read["address"], "Buikslotermeerplein 1, Amsterdam");
    problem(
        app.post("/api/v1/hubs", &school, json!({"name": "Mine", "address": "x"})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    problem(app.patch(&path, &school, json!({"name": "Mine"})).await, StatusCode::FORBIDDEN, "forbidden")
        .await;
    let res = app.patch(&path, &staff, json!({"address": "Buikslotermeerplein 2, Amsterdam"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = problem(
        app.post("/api/v1/hubs", &staff, json!({"name": " ", "address": ""})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(2), "both bad fields are named: {body}");
}

#[tokio::test]
async fn only_admins_reach_the_admin_endpoints() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let school_org = app.create_organisation(&admin, "Codeschool", "school").await;
    let donor_org = app.create_organisation(&admin, "Donor BV", "donor").await;
    let (_, some_user) = app.user_with_role(&admin, Role::Staff, None).await;
    let callers = [
        app.user_with_role(&admin, Role::Staff, None).await.0,
        app.user_with_role(&admin, Role::School, Some(&school_org)).await.0,
        app.user_with_role(&admin, Role::Donor, Some(&donor_org)).await.0,
    ];
    let org_path = format!("/api/v1/organisations/{school_org}");
    let user_path = format!("/api/v1/users/{some_user}");
    let disable_path = format!("{user_path}/disable");
    let endpoints = [
        (Method::GET, "/api/v1/organisations", None),
        (Method::POST, "/api/v1/organisations", Some(json!({"name": "X", "kind": "school"}))),
        (Method::GET, org_path.as_str(), None),
        (Method::PATCH, org_path.as_str(), Some(json!({"name": "Y"}))),
        (Method::GET, "/api/v1/users", None),
        (
            Method::POST,
            "/api/v1/users",
            Some(json!({"email": "z@x.org", "role": "staff", "password": PASSWORD})),
        ),
        (Method::GET, user_path.as_str(), None),
        (Method::PATCH, user_path.as_str(), Some(json!({"role": "admin"}))),
        (Method::POST, disable_path.as_str(), Some(json!({}))),
    ];
    for token in &callers {
        for (method, path, body) in &endpoints {
            let res = app.request(method.clone(), path, Some(token), body.clone()).await;
            problem(res, StatusCode::FORBIDDEN, "forbidden").await;
        }
    }
    // And nothing changed.
    let user: Value = app.get(&user_path, &admin).await.json().await.expect("json");
    assert_eq!((user["role"].as_str(), user["disabled"].as_bool()), (Some("staff"), Some(false)));
}

#[tokio::test]
async fn unknown_ids_are_404() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = uuid::Uuid::now_v7();
    for path in [
        format!("/api/v1/organisations/{id}"),
        format!("/api/v1/users/{id}"),
        format!("/api/v1/hubs/{id}"),
        "/api/v1/hubs/not-a-uuid".into(),
    ] {
        problem(app.get(&path, &admin).await, StatusCode::NOT_FOUND, "not_found").await;
    }
    problem(
        app.post(&format!("/api/v1/users/{id}/disable"), &admin, json!({})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    problem(
        app.patch(&format!("/api/v1/hubs/{id}"), &admin, json!({"name": "X"})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
