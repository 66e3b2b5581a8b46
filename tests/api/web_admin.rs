//! The admin's pages over HTTP against the real app: a school added with every mistake said at
//! once, its coordinator invited by mail and signing in, a rename, the pool's own team invited,
//! accounts disabled after a confirmation (never one's own), and for admins only.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{spawn_app, TestApp};
use crate::web::{form, form_token, newest_link, page};
use crate::web_school::{html, location, session_of};
use devicepool::domain::Role;

/// The account with `email`, as the API shows it to an admin.
async fn account(app: &TestApp, admin: &str, email: &str) -> Value {
    let all: Value = app.get("/api/v1/users?limit=100", admin).await.json().await.expect("json");
    let found = all["items"].as_array().expect("items").iter().find(|u| u["email"] == email);
    found.cloned().unwrap_or_else(|| panic!("no account {email}: {all}"))
}

#[tokio::test]
async fn an_admin_adds_a_school_and_its_invited_coordinator_signs_in() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let session = session_of(&app, &admin).await;
    let start = html(&app, "/start?lang=en", &session, StatusCode::OK).await;
    assert!(start.contains("href=\"/organisations\""), "the way in: {start}");
    let list = html(&app, "/organisations", &session, StatusCode::OK).await;
    assert_eq!(list.matches("None yet.").count(), 2, "no schools, no donors: {list}");
    let csrf = form_token(&list);

    let res = form(&app, "/organisations/new", &session, &[("csrf", &csrf), ("name", " ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = res.text().await.expect("html");
    assert!(again.contains("href=\"#name\"") && again.contains("Choose school or donor."), "{again}");
    let school = [("csrf", csrf.as_str()), ("name", "ROC Noord"), ("kind", "school")];
    let res = form(&app, "/organisations/new", &session, &school).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let at = location(&res);
    let id = at.trim_start_matches("/organisations/").trim_end_matches("?done=opened").to_owned();
    let org = html(&app, &at, &session, StatusCode::OK).await;
    assert!(org.contains("The organisation is added. Now invite its people.") && org.contains("No one yet."));
    let res = form(&app, "/organisations/new", &session, &school).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "the name is in use");
    let again = res.text().await.expect("html");
    assert!(again.contains("value=\"ROC Noord\"") && again.contains("already has this name"), "{again}");

    // An invitation: every mistake at once, then sent in the language chosen.
    let invite = format!("/organisations/{id}/invite");
    let res = form(&app, &invite, &session, &[("csrf", &csrf), ("email", "sanne@"), ("language", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = res.text().await.expect("html");
    assert!(again.contains("href=\"#email\"") && again.contains("href=\"#language\""), "{again}");
    assert!(again.contains("value=\"sanne@\""), "what was typed stays: {again}");
    let sanne = [("csrf", csrf.as_str()), ("email", "sanne@roc-noord.example"), ("language", "nl")];
    let res = form(&app, &invite, &session, &sanne).await;
    assert_eq!(location(&res), format!("/organisations/{id}?done=invited"));
    let org = html(&app, &location(&res), &session, StatusCode::OK).await;
    assert!(org.contains("The link works for 7 days.") && org.contains("Invited, no password yet"), "{org}");
    let res = form(&app, &invite, &session, &sanne).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "one account per address");
    assert!(res.text().await.expect("html").contains("already has this email"));
    let coordinator = account(&app, &admin, "sanne@roc-noord.example").await;
    assert_eq!(
        (&coordinator["role"], &coordinator["organisation_id"]),
        (&"school".into(), &id.clone().into())
    );
    assert_eq!(coordinator["preferred_language"], "nl");

    // Sanne follows the mail, chooses a password, and works for her school.
    let token = newest_link(&app, "sanne@roc-noord.example", "invitation").await;
    let res =
        form(&app, "/accept-invitation", "", &[("token", &token), ("password", "een wachtwoord voor Sanne")])
            .await;
    assert_eq!(location(&res), "/start");
    let org = html(&app, &format!("/organisations/{id}"), &session, StatusCode::OK).await;
    assert!(org.contains("Can sign in"), "{org}");

    let res = form(&app, &format!("/organisations/{id}"), &session, &[("csrf", &csrf), ("name", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let renamed = [("csrf", csrf.as_str()), ("name", "ROC Noord-Holland")];
    let res = form(&app, &format!("/organisations/{id}"), &session, &renamed).await;
    assert_eq!(location(&res), format!("/organisations/{id}?done=renamed"));
    let stored: Value =
        app.get(&format!("/api/v1/organisations/{id}"), &admin).await.json().await.expect("json");
    assert_eq!(stored["name"], "ROC Noord-Holland");

    let unknown = uuid::Uuid::new_v4();
    for path in [format!("/organisations/{unknown}"), "/organisations/not-an-id".to_owned()] {
        assert_eq!(page(&app, &path, &session).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let res = form(&app, &format!("/organisations/{unknown}/invite"), &session, &sanne).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_admin_invites_pool_staff_and_disables_accounts_but_not_their_own() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let session = session_of(&app, &admin).await;
    let team = html(&app, "/accounts?lang=en", &session, StatusCode::OK).await;
    assert!(team.contains("admin@pool.example") && !team.contains("/disable\""), "not oneself: {team}");
    let csrf = form_token(&team);

    let res = form(&app, "/accounts", &session, &[("csrf", &csrf), ("email", ""), ("language", "en")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = res.text().await.expect("html");
    assert!(again.contains("href=\"#email\"") && again.contains("Choose staff or admin."), "{again}");
    let kees =
        [("csrf", csrf.as_str()), ("email", "kees@pool.example"), ("language", "en"), ("role", "staff")];
    let res = form(&app, "/accounts", &session, &kees).await;
    assert_eq!(location(&res), "/accounts?done=invited");
    let kees = account(&app, &admin, "kees@pool.example").await;
    assert_eq!((&kees["role"], &kees["organisation_id"]), (&"staff".into(), &Value::Null));
    newest_link(&app, "kees@pool.example", "invitation").await;

    // A staff member who signed in is put out at once, after a confirmation.
    let (staff, staff_id) = app.user_with_role(&admin, Role::Staff, None).await;
    let theirs = session_of(&app, &staff).await;
    for path in ["/organisations", "/accounts", &format!("/accounts/{staff_id}/disable")] {
        assert_eq!(page(&app, path, &theirs).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let confirm = html(&app, &format!("/accounts/{staff_id}/disable"), &session, StatusCode::OK).await;
    assert!(confirm.contains("They can no longer sign in."), "{confirm}");
    let res = form(&app, &format!("/accounts/{staff_id}/disable"), &session, &[("csrf", &csrf)]).await;
    assert_eq!(location(&res), "/accounts?done=disabled");
    assert_eq!(page(&app, "/start", &theirs).await.status(), StatusCode::SEE_OTHER, "signed out");
    let team = html(&app, "/accounts?done=disabled&lang=en", &session, StatusCode::OK).await;
    assert!(team.contains("The account is disabled.") && team.contains("Disabled"), "{team}");
    let confirm = html(&app, &format!("/accounts/{staff_id}/disable"), &session, StatusCode::OK).await;
    assert!(confirm.contains("This account is disabled already."));

    // Not one's own, said on the page; a donor's contact goes back to the donor's page.
    let me = account(&app, &admin, "admin@pool.example").await;
    let mine = format!("/accounts/{}/disable", me["id"].as_str().expect("id"));
    let res = form(&app, &format!("{mine}?lang=en"), &session, &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.expect("html").contains("You cannot disable your own account."));
    let donor = app.create_organisation(&admin, "Northwind", "donor").await;
    let (_, contact) = app.user_with_role(&admin, Role::Donor, Some(&donor)).await;
    let res = form(&app, &format!("/accounts/{contact}/disable"), &session, &[("csrf", &csrf)]).await;
    assert_eq!(location(&res), format!("/organisations/{donor}?done=disabled"));
    let unknown = format!("/accounts/{}/disable", uuid::Uuid::new_v4());
    assert_eq!(page(&app, &unknown, &session).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(form(&app, &unknown, &session, &[("csrf", &csrf)]).await.status(), StatusCode::NOT_FOUND);
}
