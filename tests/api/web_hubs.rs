//! Hubs on the pages over HTTP against the real app: added with every mistake said at once,
//! a name in use said at its field, changed with its opening hours, and for staff only.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::spawn_app;
use crate::web::{form, form_token, page};
use crate::web_school::{html, location, session_of};
use devicepool::domain::Role;

#[tokio::test]
async fn staff_add_a_hub_and_change_its_opening_hours() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let session = session_of(&app, &staff).await;
    let list = html(&app, "/hubs?lang=en", &session, StatusCode::OK).await;
    assert!(list.contains("There are no hubs yet."), "{list}");
    let csrf = form_token(&list);

    let res =
        form(&app, "/hubs/new?lang=en", &session, &[("csrf", &csrf), ("name", " "), ("address", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.expect("html");
    assert!(body.contains("href=\"#name\"") && body.contains("href=\"#address\""), "{body}");
    let fields =
        [("csrf", csrf.as_str()), ("name", "Hub Noord"), ("address", "Plein 1"), ("opening_hours", "")];
    let res = form(&app, "/hubs/new", &session, &fields).await;
    assert_eq!(location(&res), "/hubs");
    let res = form(&app, "/hubs/new?lang=en", &session, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "the name is in use");
    assert!(res.text().await.expect("html").contains("value=\"Hub Noord\""));

    let hubs: Value = app.get("/api/v1/hubs", &staff).await.json().await.expect("json");
    let id = hubs["items"][0]["id"].as_str().expect("id").to_owned();
    assert_eq!(hubs["items"][0]["opening_hours"], Value::Null);
    let edit = html(&app, &format!("/hubs/{id}?lang=en"), &session, StatusCode::OK).await;
    assert!(edit.contains("value=\"Plein 1\""), "{edit}");
    let changed = [
        ("csrf", csrf.as_str()),
        ("name", "Hub Noord"),
        ("address", "Plein 1"),
        ("opening_hours", "ma-vr 10-17"),
    ];
    let res = form(&app, &format!("/hubs/{id}"), &session, &changed).await;
    assert_eq!(location(&res), "/hubs");
    let list = html(&app, "/hubs?lang=en", &session, StatusCode::OK).await;
    assert!(list.contains("Hub Noord</a>: Plein 1. Open: ma-vr 10-17"), "{list}");
    let hub: Value = app.get(&format!("/api/v1/hubs/{id}"), &staff).await.json().await.expect("json");
    assert_eq!(hub["opening_hours"], "ma-vr 10-17");

    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    let other = session_of(&app, &coordinator).await;
    assert_eq!(page(&app, "/hubs", &other).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(page(&app, "/hubs/not-an-id", &session).await.status(), StatusCode::NOT_FOUND);
}
