//! Sign-in under attack (the audit of 2026-12): parallel guesses, proxies, lockout as a
//! weapon, the password-reset way in, invitations and links that must die, the hasher's line,
//! and the limits on what anyone may send. Each test failed on the code before the fix.

use devicepool::domain::Role;
use devicepool::store::{self, outbox};
use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{problem, sealed_link, spawn_app, spawn_app_with, TestApp, PASSWORD};

/// The number of password hashes of `kind` (`verify`, `hash`) the server has computed.
async fn hashes(app: &TestApp, kind: &str) -> u64 {
    let text = app.client.get(app.url("/metrics")).send().await.expect("metrics").text().await.expect("text");
    let prefix = format!("devicepool_password_hashes_total{{kind=\"{kind}\"}} ");
    text.lines().find_map(|l| l.strip_prefix(&prefix)).map_or(0, |n| n.trim().parse().expect("a count"))
}

async fn login_from(app: &TestApp, forwarded_for: &str, email: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .expect("login sent")
}

fn retry_after(res: &reqwest::Response) -> u64 {
    res.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds")
}

#[tokio::test]
async fn a_hundred_parallel_wrong_logins_check_no_more_than_the_allowance_and_the_right_one_then_waits() {
    let app = spawn_app_with(|s| {
        s.auth.max_failed_logins_per_account = 5;
        s.auth.max_failed_logins_per_address = 100_000;
        s.database.max_connections = 8;
        s.database.acquire_timeout_seconds = 10;
    })
    .await;
    app.admin_token().await;
    let before = hashes(&app, "verify").await;
    let wrong: Vec<String> = (0..100).map(|i| format!("wrong guess number {i}")).collect();
    let guesses = wrong.iter().map(|p| app.login("admin@pool.example", p));
    let answers = futures_util::future::join_all(guesses).await;
    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let waited = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(
        (checked, waited),
        (5, 95),
        "every guess is counted before its password is checked: {statuses:?}"
    );
    assert!(answers.iter().filter(|r| r.status() == 429).all(|r| retry_after(r) >= 1));
    assert_eq!(hashes(&app, "verify").await - before, 5, "only the allowance was hashed");
    // The right password now waits too: no token after the allowance.
    let res = app.login("admin@pool.example", PASSWORD).await;
    assert!(retry_after(&res) <= 30, "the first wait is login_delay_seconds");
    let body = problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert!(body.get("access_token").is_none());
    assert_eq!(hashes(&app, "verify").await - before, 5, "and its password was not checked either");
}

#[tokio::test]
async fn through_a_trusted_proxy_an_attackers_failures_do_not_lock_out_another_client() {
    let app = spawn_app_with(|s| {
        s.server.trusted_proxies = vec!["127.0.0.1".into()];
        s.auth.max_failed_logins_per_address = 3;
    })
    .await;
    app.admin_token().await;
    // The attacker tries many accounts from one address; the proxy appends it after whatever
    // the attacker wrote in the header.
    for i in 0..3 {
        let res =
            login_from(&app, "10.66.66.66, 203.0.113.5", &format!("guess{i}@pool.example"), "wrong password")
                .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = login_from(&app, "203.0.113.5", "guess9@pool.example", "wrong password").await;
    problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Another client behind the same proxy signs in; a made-up left-hand entry changes nothing.
    let res = login_from(&app, "198.51.100.7", "admin@pool.example", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK, "another client is not locked out");
    let res = login_from(&app, "198.51.100.7, 203.0.113.5", "admin@pool.example", PASSWORD).await;
    problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Only keyed hashes are stored: neither the address nor the email address.
    let keys: Vec<String> = app
        .with_db(|c| {
            devicepool::store::schema::login_throttle::table
                .select(devicepool::store::schema::login_throttle::key)
                .load::<String>(c)
                .expect("keys")
        })
        .await;
    assert!(!keys.is_empty());
    for key in &keys {
        assert!(!key.contains("203.0.113") && !key.contains("198.51") && !key.contains('@'), "{key}");
    }
}

#[tokio::test]
async fn without_a_trusted_proxy_a_forged_forwarded_for_header_changes_nothing() {
    let app = spawn_app_with(|s| s.auth.max_failed_logins_per_address = 3).await;
    app.admin_token().await;
    for i in 0..3 {
        let res =
            login_from(&app, &format!("203.0.113.{i}"), &format!("x{i}@pool.example"), "wrong password")
                .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = login_from(&app, "198.51.100.9", "admin@pool.example", PASSWORD).await;
    problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn a_locked_out_owner_gets_in_with_a_reset_link_and_every_older_token_ends() {
    let app = spawn_app_with(|s| s.auth.max_failed_logins_per_account = 3).await;
    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let me: Value = app.get("/api/v1/me", &staff).await.json().await.expect("me");
    let email = me["email"].as_str().expect("email").to_owned();
    for _ in 0..4 {
        app.login(&email, "an attacker's guess").await;
    }
    problem(app.login(&email, PASSWORD).await, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

    let res =
        app.request(Method::POST, "/api/v1/auth/password-reset", None, Some(json!({"email": email}))).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let accepted: Value = res.json().await.expect("json");
    let to = email.clone();
    let rows = app.with_db(move |c| outbox::for_recipient(c, &to).expect("rows")).await;
    let reset = rows.iter().find(|m| m.template == "password_reset").expect("a reset mail is queued");
    let link = sealed_link(&app, reset);
    assert!(link.starts_with("http://localhost:8080/reset-password?token="), "{link}");
    let token = link.rsplit_once("token=").expect("token").1.to_owned();

    let redeem = |token: &str, password: &str| {
        app.request(
            Method::POST,
            "/api/v1/auth/password-reset/redeem",
            None,
            Some(json!({"token": token, "password": password})),
        )
    };
    problem(redeem(&token, "short").await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    problem(redeem("not-the-token", "a brand new password").await, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
    let res = redeem(&token, "a brand new password").await;
    assert_eq!(res.status(), StatusCode::OK);
    let signed_in: Value = res.json().await.expect("json");
    let fresh = signed_in["access_token"].as_str().expect("token");
    assert_eq!(app.get("/api/v1/me", fresh).await.status(), StatusCode::OK);
    // The token from before the reset has ended; the link works once; the throttle is cleared.
    problem(app.get("/api/v1/me", &staff).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    problem(redeem(&token, "yet another password").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(app.login(&email, "a brand new password").await.status(), StatusCode::OK);
    problem(app.login(&email, PASSWORD).await, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // Unknown addresses get the same answer, and no mail.
    let res = app
        .request(
            Method::POST,
            "/api/v1/auth/password-reset",
            None,
            Some(json!({"email": "nobody@pool.example"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    assert_eq!(res.json::<Value>().await.expect("json"), accepted);
    let none = app.with_db(|c| outbox::for_recipient(c, "nobody@pool.example").expect("rows")).await;
    assert!(none.is_empty());
}

#[tokio::test]
async fn a_disabled_account_gets_no_reset_link_and_no_token_with_its_right_password() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (staff, staff_id) = app.user_with_role(&admin, Role::Staff, None).await;
    let me: Value = app.get("/api/v1/me", &staff).await.json().await.expect("me");
    let email = me["email"].as_str().expect("email").to_owned();
    let wrong =
        problem(app.login(&email, "not the password").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    app.post(&format!("/api/v1/users/{staff_id}/disable"), &admin, json!({})).await;
    let right = problem(app.login(&email, PASSWORD).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(wrong, right, "a disabled account answers like a wrong password");
    app.request(Method::POST, "/api/v1/auth/password-reset", None, Some(json!({"email": email}))).await;
    let to = email.clone();
    let rows = app.with_db(move |c| outbox::for_recipient(c, &to).expect("rows")).await;
    assert!(rows.iter().all(|m| m.template != "password_reset"));
}

#[tokio::test]
async fn a_random_invitation_token_is_refused_before_any_password_is_hashed() {
    let app = spawn_app().await;
    let before = hashes(&app, "hash").await;
    for _ in 0..5 {
        let res = app
            .request(
                Method::POST,
                "/api/v1/auth/invitation/accept",
                None,
                Some(json!({"token": devicepool::domain::token::new_token(), "password": "a long enough password"})),
            )
            .await;
        problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    assert_eq!(hashes(&app, "hash").await, before, "no hash for a token that does not exist");
}

#[tokio::test]
async fn a_password_longer_than_any_account_has_is_refused_before_hashing() {
    let app = spawn_app().await;
    app.admin_token().await;
    let before = hashes(&app, "verify").await;
    let res = app.login("admin@pool.example", &"x".repeat(129)).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "password");
    assert_eq!(hashes(&app, "verify").await, before);
}

#[tokio::test]
async fn when_the_hashers_line_is_full_sign_ins_answer_503_with_retry_after() {
    let app = spawn_app_with(|s| {
        s.auth.max_concurrent_hashes = 1;
        s.auth.max_queued_hashes = 1;
        s.auth.max_failed_logins_per_address = 100_000;
        s.database.acquire_timeout_seconds = 10;
    })
    .await;
    let emails: Vec<String> = (0..24).map(|i| format!("someone{i}@pool.example")).collect();
    let tries = emails.iter().map(|e| app.login(e, "a wrong password"));
    let answers = futures_util::future::join_all(tries).await;
    let busy: Vec<&reqwest::Response> = answers.iter().filter(|r| r.status() == 503).collect();
    assert!(!busy.is_empty(), "some were turned away");
    assert!(busy.iter().all(|r| retry_after(r) >= 1));
    assert!(answers.iter().all(|r| matches!(r.status().as_u16(), 401 | 503)));
    let res = app.login("late@pool.example", "a wrong password").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "the line empties and serves again");
}

async fn invitation_token(app: &TestApp, email: &'static str) -> String {
    let rows = app.with_db(move |c| outbox::for_recipient(c, email).expect("rows")).await;
    let m = rows.iter().find(|m| m.template == "invitation").expect("an invitation");
    sealed_link(app, m).rsplit_once("token=").expect("token").1.to_owned()
}

#[tokio::test]
async fn a_new_address_or_a_disabled_account_kills_the_open_invitation() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let invite = |email: &'static str| {
        app.post(
            "/api/v1/users",
            &admin,
            json!({"email": email, "role": "school", "organisation_id": school}),
        )
    };
    let accept = |token: String| {
        app.request(
            Method::POST,
            "/api/v1/auth/invitation/accept",
            None,
            Some(json!({"token": token, "password": "a long enough password"})),
        )
    };

    let res = invite("first@codeschool.example").await;
    let id = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let token = invitation_token(&app, "first@codeschool.example").await;
    let res = app
        .patch(&format!("/api/v1/users/{id}"), &admin, json!({"email": "second@codeschool.example"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    problem(accept(token).await, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let res = invite("third@codeschool.example").await;
    let id = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let token = invitation_token(&app, "third@codeschool.example").await;
    app.post(&format!("/api/v1/users/{id}/disable"), &admin, json!({})).await;
    problem(accept(token).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn a_new_sign_in_link_revokes_the_older_one() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    crate::students::enrol(&app, &coordinator, crate::students::student_body("Ayla", "ayla@example.org"))
        .await;
    let ask = || {
        app.request(Method::POST, "/api/v1/auth/magic-link", None, Some(json!({"email": "ayla@example.org"})))
    };
    ask().await;
    let first = crate::students::newest_link_token(&app, "ayla@example.org").await;
    ask().await;
    let second = crate::students::newest_link_token(&app, "ayla@example.org").await;
    assert_ne!(first, second);
    let redeem = |token: String| {
        app.request(Method::POST, "/api/v1/auth/magic-link/redeem", None, Some(json!({"token": token})))
    };
    problem(redeem(first).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(redeem(second).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_link_that_expires_unsent_loses_its_secret_and_housekeeping_clears_expired_links() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    crate::students::enrol(&app, &coordinator, crate::students::student_body("Ayla", "ayla@example.org"))
        .await;
    app.request(Method::POST, "/api/v1/auth/magic-link", None, Some(json!({"email": "ayla@example.org"})))
        .await;
    let settings = app.settings.clone();
    let report = app
        .with_db(move |c| {
            use devicepool::store::schema::{magic_link_tokens as t, outbox_messages as o};
            let past = store::now() - chrono::TimeDelta::hours(1);
            diesel::update(o::table)
                .set(o::secret_expires_at.eq(Some(past)))
                .execute(c)
                .expect("age secrets");
            diesel::update(t::table).set(t::expires_at.eq(past)).execute(c).expect("age links");
            devicepool::workflows::housekeeping::run(c, &settings).expect("housekeeping")
        })
        .await;
    assert_eq!((report.links_deleted, report.message_secrets_deleted), (1, 1));
    let rows = app.with_db(|c| outbox::for_recipient(c, "ayla@example.org").expect("rows")).await;
    assert_eq!((rows[0].state.as_str(), rows[0].secret.as_deref()), ("dead", None));
    assert!(!rows[0].payload.contains("token"));
}

#[tokio::test]
async fn anonymous_endpoints_are_limited_per_client_address_with_retry_after() {
    let app = spawn_app_with(|s| {
        s.auth.anonymous_requests_per_minute = 3;
        s.server.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await;
    let ask = |from: &'static str| {
        app.client
            .post(app.url("/api/v1/auth/magic-link"))
            .header("x-forwarded-for", from)
            .json(&json!({"email": "someone@example.org"}))
            .send()
    };
    for _ in 0..3 {
        assert_eq!(ask("203.0.113.5").await.expect("sent").status(), StatusCode::ACCEPTED);
    }
    let res = ask("203.0.113.5").await.expect("sent");
    assert!(retry_after(&res) >= 1);
    problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(ask("198.51.100.7").await.expect("sent").status(), StatusCode::ACCEPTED, "another client");
}

#[tokio::test]
async fn endpoints_anyone_may_call_take_small_bodies_only() {
    let app = spawn_app().await;
    let big = json!({"email": "a@example.org", "password": "x".repeat(5000)});
    for path in ["/api/v1/auth/login", "/api/v1/auth/magic-link", "/api/v1/auth/password-reset"] {
        let res = app.request(Method::POST, path, None, Some(big.clone())).await;
        problem(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    }
}

#[tokio::test]
async fn two_admins_disabling_or_demoting_each_other_at_once_leave_an_admin() {
    let app = spawn_app_with(|s| s.database.acquire_timeout_seconds = 10).await;
    let mut survivor = app.admin_token().await;
    for round in 0..6 {
        let (a, a_id) = app.user_with_role(&survivor, Role::Admin, None).await;
        let (b, b_id) = app.user_with_role(&survivor, Role::Admin, None).await;
        let me: Value = app.get("/api/v1/me", &survivor).await.json().await.expect("me");
        let res = app
            .post(&format!("/api/v1/users/{}/disable", me["id"].as_str().expect("id")), &a, json!({}))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "now a and b are the only admins");
        let (disable_a, disable_b) =
            (format!("/api/v1/users/{a_id}/disable"), format!("/api/v1/users/{b_id}/disable"));
        let (user_a, user_b) = (format!("/api/v1/users/{a_id}"), format!("/api/v1/users/{b_id}"));
        let (by_a, by_b) = if round % 2 == 0 {
            futures_util::join!(app.post(&disable_b, &a, json!({})), app.post(&disable_a, &b, json!({})))
        } else {
            futures_util::join!(
                app.patch(&user_b, &a, json!({"role": "staff"})),
                app.patch(&user_a, &b, json!({"role": "staff"})),
            )
        };
        let statuses = [by_a.status().as_u16(), by_b.status().as_u16()];
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "round {round}: {statuses:?}");
        assert!(statuses.iter().all(|s| matches!(s, 200 | 401 | 403 | 409)), "round {round}: {statuses:?}");
        let admins = app.with_db(|c| devicepool::store::users::lock_enabled_admins(c).expect("admins")).await;
        assert_eq!(admins.len(), 1, "round {round}: one admin is left");
        survivor = if admins[0] == a_id { a } else { b };
    }
}

#[tokio::test]
async fn every_answer_says_nosniff_no_referrer_and_no_framing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for (path, token) in
        [("/healthz", None), ("/api/v1/me", Some(admin.as_str())), ("/docs/", None), ("/nope", None)]
    {
        let res = app.request(Method::GET, path, token, None).await;
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        let csp = h["content-security-policy"].to_str().expect("csp");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        if path != "/docs/" {
            assert!(csp.starts_with("default-src 'none'"), "{path}: {csp}");
        }
    }
}

#[tokio::test]
async fn metrics_can_be_kept_for_a_scraper_with_a_token() {
    let app = spawn_app_with(|s| {
        s.metrics.token = secrecy::SecretString::from("scrape-token-0123456789".to_owned())
    })
    .await;
    let res = app.client.get(app.url("/metrics")).send().await.expect("sent");
    problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = app.client.get(app.url("/metrics")).bearer_auth("wrong-token").send().await.expect("sent");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("scrape-token-0123456789")
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.expect("text").contains("devicepool_"));
}

#[tokio::test]
async fn link_answers_take_the_same_least_time_for_known_and_unknown_addresses() {
    let app = spawn_app_with(|s| s.auth.link_answer_ms = 200).await;
    let admin = app.admin_token().await;
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    crate::students::enrol(&app, &coordinator, crate::students::student_body("Ayla", "ayla@example.org"))
        .await;
    for (path, email) in [
        ("/api/v1/auth/magic-link", "ayla@example.org"),
        ("/api/v1/auth/magic-link", "nobody@example.org"),
        ("/api/v1/auth/password-reset", "admin@pool.example"),
        ("/api/v1/auth/password-reset", "nobody@example.org"),
    ] {
        let started = std::time::Instant::now();
        let res = app.request(Method::POST, path, None, Some(json!({"email": email}))).await;
        assert_eq!(res.status(), StatusCode::ACCEPTED);
        // A floor, not a speed: the extra writes for a known address hide inside it.
        assert!(started.elapsed() >= std::time::Duration::from_millis(200), "{path} {email}");
    }
}
