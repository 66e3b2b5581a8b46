//! The web pages' foundation, driven over HTTP against the real app: the front door in the
//! reader's language, signing in and out with a password, the session cookie and its ends,
//! refusing cross-site forms, and friendly error pages for browsers.

use devicepool::domain::Role;
use devicepool::store::outbox;
use reqwest::header::{
    HeaderMap, ACCEPT, ACCEPT_LANGUAGE, CONTENT_SECURITY_POLICY, COOKIE, LOCATION, SET_COOKIE,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{problem, sealed_link, sealed_values, spawn_app, TestApp, PASSWORD};
use crate::students::{enrol, schools, student_body};

/// `name=value` of the cookie `name` the answer sets, and its attributes.
pub(crate) fn set_cookie(headers: &HeaderMap, name: &str) -> Option<(String, String)> {
    headers.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|line| {
        let (pair, attributes) = line.split_once(';').unwrap_or((line, ""));
        pair.strip_prefix(&format!("{name}=")).map(|value| (value.to_owned(), attributes.to_owned()))
    })
}

pub(crate) async fn page(app: &TestApp, path: &str, cookies: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header(ACCEPT, "text/html")
        .header(COOKIE, cookies)
        .send()
        .await
        .expect("sent")
}

/// A form as a browser sends it from one of our pages.
pub(crate) async fn form(
    app: &TestApp,
    path: &str,
    cookies: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header(ACCEPT, "text/html")
        .header(COOKIE, cookies)
        .header("sec-fetch-site", "same-origin")
        .form(fields)
        .send()
        .await
        .expect("sent")
}

/// The value of the hidden form token in a page.
pub(crate) fn form_token(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a form token");
    html[at + 19..].split('"').next().expect("value").to_owned()
}

/// A staff account made by the admin, and its address.
pub(crate) async fn staff_account(app: &TestApp) -> (String, String) {
    let admin = app.admin_token().await;
    let (token, _) = app.user_with_role(&admin, Role::Staff, None).await;
    let me: Value = app.get("/api/v1/me", &token).await.json().await.expect("me");
    (me["email"].as_str().expect("email").to_owned(), admin)
}

/// Signs in on the login page; the session cookie as a `Cookie` header value.
pub(crate) async fn sign_in(app: &TestApp, email: &str, password: &str) -> String {
    let res = form(app, "/login", "", &[("email", email), ("password", password)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers().get(LOCATION).and_then(|v| v.to_str().ok()), Some("/start"));
    let (token, attributes) = set_cookie(res.headers(), "__Host-session").expect("a session cookie");
    for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(attributes.contains(attribute), "{attribute} in {attributes}");
    }
    assert!(!attributes.contains("Domain"), "a __Host- cookie has no Domain: {attributes}");
    format!("__Host-session={token}")
}

#[tokio::test]
async fn the_front_door_speaks_the_readers_language_and_remembers_a_choice() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/")).header(ACCEPT_LANGUAGE, "en-GB").send().await.expect("sent");
    assert_eq!(res.status(), StatusCode::OK);
    let policy =
        res.headers().get(CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(policy.contains("default-src 'none'") && policy.contains("style-src 'self'"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self';"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "no inline script or style: {policy}");
    let permissions = res.headers().get("permissions-policy").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(permissions.contains("camera=(self)") && permissions.contains("microphone=()"), "{permissions}");
    let html = res.text().await.expect("html");
    assert!(
        html.contains("<html lang=\"en\">")
            && html.contains("href=\"/sign-in\"")
            && html.contains("href=\"/login\"")
    );
    assert!(html.len() < 50_000);

    // The style sheet is named by its content and kept for a year.
    let css = html.split("rel=\"stylesheet\" href=\"").nth(1).and_then(|r| r.split('"').next()).expect("css");
    let css = css.replace("&#x2f;", "/");
    let res = app.client.get(app.url(&css)).send().await.expect("sent");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.contains("immutable")));
    assert!(html.len() + res.text().await.expect("css").len() < 50_000, "page and style sheet under 50 KB");
    assert_eq!(
        app.client.get(app.url("/assets/site.0000.css")).send().await.expect("sent").status(),
        StatusCode::NOT_FOUND
    );

    // ?lang= switches, and a cookie remembers it for the next page.
    let res = app.client.get(app.url("/?lang=nl")).header(ACCEPT_LANGUAGE, "en").send().await.expect("sent");
    let (lang, _) = set_cookie(res.headers(), "lang").expect("the choice is remembered");
    assert_eq!(lang, "nl");
    assert!(res.text().await.expect("html").contains("<html lang=\"nl\">"));
    let html = page(&app, "/login", "lang=nl").await.text().await.expect("html");
    assert!(html.contains("<html lang=\"nl\">") && html.contains("Inloggen"), "{html}");
}

#[tokio::test]
async fn staff_sign_in_with_a_password_and_out_again() {
    let app = spawn_app().await;
    let (email, _) = staff_account(&app).await;

    // Mistakes come back on the form, with what was typed and a summary.
    let res = form(&app, "/login?lang=en", "", &[("email", "not an address"), ("password", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("html");
    assert!(html.contains("<title>Error: Sign in · devicepool</title>"), "{html}");
    assert!(html.contains("href=\"#email\"") && html.contains("href=\"#password\""), "{html}");
    assert!(html.contains("value=\"not an address\""), "{html}");
    let res = form(&app, "/login?lang=en", "", &[("email", &email), ("password", "a wrong password")]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.text().await.expect("html").contains("The email address or password is not right."));

    let session = sign_in(&app, &email, PASSWORD).await;
    let res = page(&app, "/start?lang=en", &session).await;
    assert_eq!(res.status(), StatusCode::OK);
    let headers = res.headers().clone();
    let html = res.text().await.expect("html");
    assert!(html.contains(&format!("You are signed in as {email}.")), "{html}");
    // `?lang=` on a GET is remembered in this browser only: a link from another site must not
    // change the language of someone's mail. The account page's form does change it.
    let (lang, _) = set_cookie(&headers, "lang").expect("the choice is remembered in a cookie");
    assert_eq!(lang, "en");
    let token = app.token_for(&email).await;
    let me: Value = app.get("/api/v1/me", &token).await.json().await.expect("me");
    assert_eq!(me["preferred_language"], Value::Null, "a GET wrote the account: {me}");
    let account = page(&app, "/account", &session).await.text().await.expect("html");
    let res =
        form(&app, "/account/language", &session, &[("csrf", &form_token(&account)), ("language", "en")])
            .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let me: Value = app.get("/api/v1/me", &token).await.json().await.expect("me");
    assert_eq!(me["preferred_language"], "en");

    // Signing out needs the page's form token; then the session is gone.
    let res = form(&app, "/logout", &session, &[]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = form(&app, "/logout", &session, &[("csrf", &form_token(&html))]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(set_cookie(res.headers(), "__Host-session")
        .is_some_and(|(v, a)| v.is_empty() && a.contains("Max-Age=0")));
    let res = page(&app, "/start", &session).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers().get(LOCATION).and_then(|v| v.to_str().ok()), Some("/login"));
}

#[tokio::test]
async fn forms_from_another_site_are_refused() {
    let app = spawn_app().await;
    let (email, _) = staff_account(&app).await;
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("origin", "https://evil.example"),
    ] {
        let res = app
            .client
            .post(app.url("/login"))
            .header(ACCEPT, "text/html")
            .header(name, value)
            .form(&[("email", email.as_str()), ("password", PASSWORD)])
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{name}: {value}");
        assert!(set_cookie(res.headers(), "__Host-session").is_none(), "no session from another site");
    }
    // A signed-in form with another session's token is refused too.
    let mine = sign_in(&app, &email, PASSWORD).await;
    let theirs = sign_in(&app, &email, PASSWORD).await;
    assert_ne!(mine, theirs, "every sign-in gets a new session");
    let html = page(&app, "/start", &theirs).await.text().await.expect("html");
    let res = form(&app, "/logout", &mine, &[("csrf", &form_token(&html))]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_disabled_account_or_a_new_password_ends_the_session_at_once() {
    let app = spawn_app().await;
    let (email, admin) = staff_account(&app).await;
    let session = sign_in(&app, &email, PASSWORD).await;
    assert_eq!(page(&app, "/start", &session).await.status(), StatusCode::OK);

    // A new password (by the reset link) ends every session of the account.
    let res =
        app.request(Method::POST, "/api/v1/auth/password-reset", None, Some(json!({"email": email}))).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let to = email.clone();
    let rows = app.with_db(move |c| outbox::for_recipient(c, &to).expect("rows")).await;
    let link = sealed_link(&app, rows.iter().find(|m| m.template == "password_reset").expect("reset mail"));
    let token = link.rsplit_once("token=").expect("token").1.to_owned();
    let body = json!({"token": token, "password": "a brand new password"});
    let res = app.request(Method::POST, "/api/v1/auth/password-reset/redeem", None, Some(body)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(page(&app, "/start", &session).await.status(), StatusCode::SEE_OTHER);

    let session = sign_in(&app, &email, "a brand new password").await;
    assert_eq!(page(&app, "/start", &session).await.status(), StatusCode::OK);
    let users: Value = app.get("/api/v1/users?role=staff", &admin).await.json().await.expect("users");
    let id = users["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|u| u["email"] == email.as_str())
        .expect("user")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let res = app.post(&format!("/api/v1/users/{id}/disable"), &admin, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(page(&app, "/start", &session).await.status(), StatusCode::SEE_OTHER);
}

/// The session's idle limit and when it was last seen, read from its row.
async fn session_times(app: &TestApp) -> (chrono::NaiveDateTime, chrono::NaiveDateTime) {
    use devicepool::store::schema::web_sessions as s;
    use diesel::prelude::*;
    app.with_db(|c| s::table.select((s::last_seen_at, s::idle_until)).first(c).expect("one session")).await
}

#[tokio::test]
async fn a_session_in_use_moves_its_idle_limit_on_once_a_minute_not_on_every_page() {
    use devicepool::store::schema::web_sessions as s;
    use diesel::prelude::*;
    let app = spawn_app().await;
    let (email, _) = staff_account(&app).await;
    let session = sign_in(&app, &email, PASSWORD).await;
    let (seen, idle) = session_times(&app).await;
    assert_eq!(page(&app, "/start", &session).await.status(), StatusCode::OK);
    assert_eq!(session_times(&app).await, (seen, idle), "seen within the minute: no write");

    // Last seen two minutes ago, with a minute of idle time left: the next page moves it on.
    let (earlier, soon) =
        (seen - chrono::TimeDelta::minutes(2), devicepool::store::now() + chrono::TimeDelta::minutes(1));
    app.with_db(move |c| {
        diesel::update(s::table)
            .set((s::last_seen_at.eq(earlier), s::idle_until.eq(soon)))
            .execute(c)
            .expect("update")
    })
    .await;
    assert_eq!(page(&app, "/start", &session).await.status(), StatusCode::OK);
    let (seen_now, idle_now) = session_times(&app).await;
    assert!(seen_now > seen, "seen again: {seen_now} after {seen}");
    assert!(idle_now > soon + chrono::TimeDelta::minutes(5), "the idle limit moved on: {idle_now}");
}

#[tokio::test]
async fn browsers_get_friendly_error_pages_and_the_api_keeps_its_problems() {
    let app = spawn_app().await;
    let res = page(&app, "/no-such-page?lang=nl", "").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html")));
    let html = res.text().await.expect("html");
    assert!(html.contains("<html lang=\"nl\">") && html.contains("Pagina niet gevonden"), "{html}");
    assert!(html.contains("href=\"/\""));

    let res = app
        .client
        .get(app.url("/api/v1/no-such-thing"))
        .header(ACCEPT, "text/html")
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(
        res.headers().get("content-type").and_then(|v| v.to_str().ok()) == Some("application/problem+json")
    );
    // A page that needs a session sends a stranger to sign in.
    let res = page(&app, "/start", "__Host-session=made-up").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

/// The link's token and the code of the newest sign-in mail to `email`.
pub(crate) async fn newest_sign_in_mail(app: &TestApp, email: &str) -> (String, String) {
    let to = email.to_owned();
    let rows = app.with_db(move |c| outbox::for_recipient(c, &to).expect("rows")).await;
    let mail = rows.iter().find(|m| m.template == "magic_link").expect("a sign-in mail");
    assert!(!mail.payload.contains("code"), "the code is sealed, not in the payload");
    let values = sealed_values(app, mail);
    let link = values["link"].as_str().expect("link");
    let code = values["code"].as_str().expect("code").to_owned();
    assert!(code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()), "{code}");
    (link.rsplit_once("token=").expect("token").1.to_owned(), code)
}

#[tokio::test]
async fn a_student_signs_in_from_the_mailed_link_even_after_a_mail_scanner_opened_it() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    enrol(&app, &s.coordinator_a, student_body("Ayla Demir", "ayla@example.org")).await;

    let html = page(&app, "/sign-in", "").await.text().await.expect("html");
    assert!(
        html.contains("<html lang=\"nl\">") && html.contains("Stuur me een link"),
        "the student's language: {html}"
    );
    let res = form(&app, "/sign-in", "", &[("email", "Ayla@example.org")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    assert!(html.contains("Kijk in je mail") && html.contains("name=\"code\""), "{html}");
    // An unknown address gets the same page.
    let res = form(&app, "/sign-in", "", &[("email", "nobody@example.org")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.expect("html").contains("Kijk in je mail"));

    let (token, _) = newest_sign_in_mail(&app, "ayla@example.org").await;
    // A scanner opens the link first: a page with a button, nothing used.
    for _ in 0..2 {
        let res = page(&app, &format!("/sign-in?token={token}"), "").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(set_cookie(res.headers(), "__Host-session").is_none());
        assert!(res.text().await.expect("html").contains("action=\"/sign-in/link\""));
    }
    let res = form(&app, "/sign-in/link", "", &[("token", &token)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers().get(LOCATION).and_then(|v| v.to_str().ok()), Some("/my-kit"));
    let (session, _) = set_cookie(res.headers(), "__Host-session").expect("signed in");
    let res = page(&app, "/my-kit", &format!("__Host-session={session}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.expect("html").contains("Mijn spullen"));

    // The link works once; after that, a page that says so and offers a new one.
    let res = form(&app, "/sign-in/link", "", &[("token", &token)]).await;
    assert_eq!(res.status(), StatusCode::GONE);
    assert!(res.text().await.expect("html").contains("Deze link werkt niet meer"));
}

#[tokio::test]
async fn a_student_signs_in_with_the_code_from_the_mail_once() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    enrol(&app, &s.coordinator_a, student_body("Ayla Demir", "ayla@example.org")).await;
    form(&app, "/sign-in", "", &[("email", "ayla@example.org")]).await;
    let (_, code) = newest_sign_in_mail(&app, "ayla@example.org").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };

    let res = form(&app, "/sign-in/code", "", &[("email", "ayla@example.org"), ("code", wrong)]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let html = res.text().await.expect("html");
    assert!(html.contains("Deze code klopt niet") && html.contains("href=\"#code\""), "{html}");
    let res = form(&app, "/sign-in/code", "", &[("email", "ayla@example.org"), ("code", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let res = form(&app, "/sign-in/code", "", &[("email", "ayla@example.org"), ("code", &code)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(set_cookie(res.headers(), "__Host-session").is_some());
    // Once only, on the API too.
    let body = json!({"email": "ayla@example.org", "code": code});
    let res = app.request(Method::POST, "/api/v1/auth/magic-link/code", None, Some(body)).await;
    problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // The API takes a fresh code and gives an access token.
    app.request(Method::POST, "/api/v1/auth/magic-link", None, Some(json!({"email": "ayla@example.org"})))
        .await;
    let (_, code) = newest_sign_in_mail(&app, "ayla@example.org").await;
    let body = json!({"email": "ayla@example.org", "code": code});
    let res = app.request(Method::POST, "/api/v1/auth/magic-link/code", None, Some(body)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let token: Value = res.json().await.expect("json");
    let me: Value =
        app.get("/api/v1/me", token["access_token"].as_str().expect("token")).await.json().await.expect("me");
    assert_eq!(me["role"], "student");
}

#[tokio::test]
async fn guessing_codes_is_throttled_like_passwords() {
    let app = spawn_app().await;
    let s = schools(&app).await;
    enrol(&app, &s.coordinator_a, student_body("Ayla Demir", "ayla@example.org")).await;
    form(&app, "/sign-in", "", &[("email", "ayla@example.org")]).await;
    let (_, code) = newest_sign_in_mail(&app, "ayla@example.org").await;
    let mut last = StatusCode::OK;
    for guess in 0..app.settings.auth.max_failed_logins_per_account + 1 {
        let guess = format!("{:06}", (guess as u32 + code.parse::<u32>().expect("digits") + 1) % 1_000_000);
        let body = json!({"email": "ayla@example.org", "code": guess});
        last = app.request(Method::POST, "/api/v1/auth/magic-link/code", None, Some(body)).await.status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS, "the account's allowance is spent");
    // Even the right code now waits.
    let body = json!({"email": "ayla@example.org", "code": code});
    let res = app.request(Method::POST, "/api/v1/auth/magic-link/code", None, Some(body)).await;
    problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

/// The token of the newest mail of `template` to `email`.
pub(crate) async fn newest_link(app: &TestApp, email: &str, template: &str) -> String {
    let to = email.to_owned();
    let rows = app.with_db(move |c| outbox::for_recipient(c, &to).expect("rows")).await;
    let mail = rows.iter().find(|m| m.template == template).expect("the mail is queued");
    sealed_link(app, mail).rsplit_once("token=").expect("token").1.to_owned()
}

#[tokio::test]
async fn a_new_account_chooses_its_password_from_the_invitation_and_a_forgotten_one_is_reset() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let body = json!({"email": "coordinator@techlab.example", "role": "staff", "preferred_language": "en"});
    assert_eq!(app.post("/api/v1/users", &admin, body).await.status(), StatusCode::CREATED);
    let token = newest_link(&app, "coordinator@techlab.example", "invitation").await;

    let res = page(&app, &format!("/accept-invitation?token={token}"), "").await;
    assert_eq!(res.status(), StatusCode::OK);
    // minijinja writes a value's "/" as "&#x2f;", which browsers read as "/".
    let html = res.text().await.expect("html").replace("&#x2f;", "/");
    assert!(html.contains("action=\"/accept-invitation\"") && html.contains(&token), "{html}");
    let res = form(&app, "/accept-invitation?lang=en", "", &[("token", &token), ("password", "short")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("html").contains("Use at least 12 characters."));
    let res =
        form(&app, "/accept-invitation", "", &[("token", &token), ("password", "a password we chose")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers().get(LOCATION).and_then(|v| v.to_str().ok()), Some("/start"));
    let (first, _) = set_cookie(res.headers(), "__Host-session").expect("signed in");
    let res =
        form(&app, "/accept-invitation", "", &[("token", &token), ("password", "another password here")])
            .await;
    assert_eq!(res.status(), StatusCode::GONE, "an invitation works once");

    // Forgotten: the same answer whether or not the address has an account.
    for email in ["coordinator@techlab.example", "nobody@example.org"] {
        let res = form(&app, "/forgot-password?lang=en", "", &[("email", email)]).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.text().await.expect("html").contains("If this address has an account with a password"));
    }
    let token = newest_link(&app, "coordinator@techlab.example", "password_reset").await;
    let res =
        form(&app, "/reset-password", "", &[("token", &token), ("password", "a brand new password")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The session from before the new password has ended; the new password signs in.
    assert_eq!(
        page(&app, "/start", &format!("__Host-session={first}")).await.status(),
        StatusCode::SEE_OTHER
    );
    sign_in(&app, "coordinator@techlab.example", "a brand new password").await;
}

#[tokio::test]
async fn the_account_page_changes_language_and_password_and_signs_out_everywhere() {
    let app = spawn_app().await;
    let (email, _) = staff_account(&app).await;
    let session = sign_in(&app, &email, PASSWORD).await;
    let other_browser = sign_in(&app, &email, PASSWORD).await;
    let res = page(&app, "/account?lang=en", &session).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    assert!(html.contains(&email) && html.contains("pool staff"), "{html}");
    let csrf = form_token(&html);

    // Dutch from now on, for the pages and the account (and so its mail).
    let res = form(&app, "/account/language", &session, &[("csrf", &csrf), ("language", "nl")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()[LOCATION].to_str().expect("location").to_owned();
    let html = page(&app, &to, &session).await.text().await.expect("html");
    assert!(html.contains("<html lang=\"nl\">") && html.contains("Uw taal is opgeslagen."), "{html}");
    let html = page(&app, "/account", &session).await.text().await.expect("html");
    assert!(html.contains("<html lang=\"nl\">"), "the account remembers: {html}");

    // A wrong current password and a short new one: both said at once, nothing changed.
    let fields = [("csrf", csrf.as_str()), ("current_password", "not it"), ("new_password", "short")];
    let res = form(&app, "/account/password", &session, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("Dit is niet uw huidige wachtwoord.") && html.contains("href=\"#new_password\""),
        "{html}"
    );
    assert!(!html.contains("value=\"not it\""), "a password is never shown again");
    assert_eq!(page(&app, "/start", &other_browser).await.status(), StatusCode::OK);

    // The right one: this browser goes on with a new session, the other one is out.
    let fields =
        [("csrf", csrf.as_str()), ("current_password", PASSWORD), ("new_password", "a brand new password")];
    let res = form(&app, "/account/password", &session, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[LOCATION], "/account?done=password");
    let (token, _) = set_cookie(res.headers(), "__Host-session").expect("a new session");
    let session = format!("__Host-session={token}");
    assert_eq!(page(&app, "/account", &session).await.status(), StatusCode::OK);
    assert_eq!(page(&app, "/start", &other_browser).await.status(), StatusCode::SEE_OTHER);
    let res = form(&app, "/login", "", &[("email", &email), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "the old password no longer works");

    // Sign out everywhere: this session too, and the API tokens issued before.
    let res = app.login(&email, "a brand new password").await;
    let api = res.json::<Value>().await.expect("json")["access_token"].as_str().expect("token").to_owned();
    assert_eq!(app.get("/api/v1/me", &api).await.status(), StatusCode::OK);
    let html = page(&app, "/account", &session).await.text().await.expect("html");
    let res = form(&app, "/account/sign-out-everywhere", &session, &[("csrf", &form_token(&html))]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(page(&app, "/account", &session).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/api/v1/me", &api).await.status(), StatusCode::UNAUTHORIZED);
}
