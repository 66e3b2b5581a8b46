use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use devicepool::domain::Role;
use jsonwebtoken::{encode, EncodingKey, Header};
use reqwest::StatusCode;
use secrecy::ExposeSecret;
use serde_json::{json, Value};

use crate::helpers::{problem, spawn_app, spawn_app_with, PASSWORD};

#[tokio::test]
async fn login_with_the_right_password_gives_a_bearer_token_that_me_accepts() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let res = app.login("ADMIN@pool.example ", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], app.settings.auth.token_lifetime_minutes * 60);
    let me: Value = app.get("/api/v1/me", &admin).await.json().await.expect("json");
    assert_eq!(me["email"], "admin@pool.example");
    assert_eq!(me["role"], "admin");
    assert_eq!(me["organisation_id"], Value::Null);
    assert_eq!(me["student_id"], Value::Null);
}

#[tokio::test]
async fn me_shows_the_organisation_of_a_school_account() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let school = app.create_organisation(&admin, "Codeschool West", "school").await;
    let (token, id) = app.user_with_role(&admin, Role::School, Some(&school)).await;
    let me: Value = app.get("/api/v1/me", &token).await.json().await.expect("json");
    assert_eq!(me["id"], id);
    assert_eq!(me["role"], "school");
    assert_eq!(me["organisation_id"], school);
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    app.admin_token().await;
    let wrong = app.login("admin@pool.example", "not the password at all").await;
    let wrong_headers = wrong.headers().get("www-authenticate").cloned();
    let wrong = problem(wrong, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let unknown =
        problem(app.login("nobody@pool.example", PASSWORD).await, StatusCode::UNAUTHORIZED, "unauthorized")
            .await;
    assert_eq!(wrong, unknown);
    assert_eq!(wrong_headers.and_then(|v| v.to_str().ok().map(str::to_owned)).as_deref(), Some("Bearer"));
}

#[tokio::test]
async fn repeated_failures_lock_the_account_with_429_and_retry_after() {
    let app = spawn_app_with(|s| s.auth.max_failed_logins_per_account = 3).await;
    app.admin_token().await;
    for _ in 0..3 {
        let res = app.login("admin@pool.example", "wrong password here").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    // Now even the right password is refused until the lock ends.
    let res = app.login("admin@pool.example", PASSWORD).await;
    let retry_after: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!(retry_after > 0 && retry_after <= 15 * 60, "{retry_after}");
    problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Unknown addresses are counted the same way, so locking does not reveal accounts.
    for _ in 0..3 {
        app.login("ghost@pool.example", "wrong password here").await;
    }
    problem(
        app.login("ghost@pool.example", "wrong password here").await,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
}

#[tokio::test]
async fn failures_from_one_address_are_throttled_across_accounts() {
    let app = spawn_app_with(|s| s.auth.max_failed_logins_per_address = 4).await;
    app.admin_token().await;
    for i in 0..4 {
        let res = app.login(&format!("someone{i}@pool.example"), "wrong password here").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    problem(app.login("admin@pool.example", PASSWORD).await, StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        .await;
}

fn token_with(secret: &str, app: &crate::helpers::TestApp, sub: &str, iat: i64, exp: i64) -> String {
    let claims = json!({
        "sub": sub, "iat": iat, "exp": exp,
        "iss": app.settings.auth.issuer, "aud": app.settings.auth.audience,
    });
    encode(&Header::default(), &claims, &EncodingKey::from_secret(secret.as_bytes())).expect("encode")
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let me: Value = app.get("/api/v1/me", &admin).await.json().await.expect("json");
    let sub = me["id"].as_str().expect("id");
    let now = chrono::Utc::now().timestamp();
    let secret = app.settings.auth.jwt_secret.expose_secret().to_owned();
    let fresh = token_with(&secret, &app, sub, now, now + 60);
    assert_eq!(app.get("/api/v1/me", &fresh).await.status(), StatusCode::OK);
    let expired = token_with(&secret, &app, sub, now - 3600, now - 60);
    problem(app.get("/api/v1/me", &expired).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn a_token_signed_with_another_key_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let me: Value = app.get("/api/v1/me", &admin).await.json().await.expect("json");
    let now = chrono::Utc::now().timestamp();
    let forged = token_with(
        "someone-elses-key-someone-elses-key",
        &app,
        me["id"].as_str().expect("id"),
        now,
        now + 600,
    );
    problem(app.get("/api/v1/me", &forged).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn a_token_with_alg_none_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let me: Value = app.get("/api/v1/me", &admin).await.json().await.expect("json");
    let now = chrono::Utc::now().timestamp();
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let claims = URL_SAFE_NO_PAD.encode(
        json!({"sub": me["id"], "iat": now, "exp": now + 600, "iss": app.settings.auth.issuer, "aud": app.settings.auth.audience})
            .to_string(),
    );
    for token in [format!("{header}.{claims}."), format!("{header}.{claims}")] {
        problem(app.get("/api/v1/me", &token).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
}

#[tokio::test]
async fn missing_and_malformed_authorization_headers_are_401_not_anonymous() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/api/v1/me")).send().await.expect("sent");
    problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    for header in ["Basic YWRtaW46cGFzcw==", "Bearer", "Bearer    ", "token"] {
        let res = app
            .client
            .get(app.url("/api/v1/hubs"))
            .header("authorization", header)
            .send()
            .await
            .expect("sent");
        problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
}

#[tokio::test]
async fn a_disabled_user_is_refused_at_once_and_cannot_sign_in_again() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (staff, staff_id) = app.user_with_role(&admin, Role::Staff, None).await;
    assert_eq!(app.get("/api/v1/hubs", &staff).await.status(), StatusCode::OK);
    let res = app.post(&format!("/api/v1/users/{staff_id}/disable"), &admin, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["disabled"], true);
    // The token it still holds stops working immediately.
    problem(app.get("/api/v1/hubs", &staff).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let email = body["email"].as_str().expect("email");
    problem(app.login(email, PASSWORD).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
}
