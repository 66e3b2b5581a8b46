//! Delivery of the outbox to a real SMTP server on loopback (mailin-embedded in a thread).

use std::collections::HashSet;
use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Mutex};

use devicepool::configuration::{EmailTransport, Settings, SmtpTls};
use devicepool::notify::worker::{deliver_due, DeliveryReport, Mailer};
use devicepool::store::{self, outbox, DbPool};
use mailin_embedded::response::{NO_MAILBOX, OK};
use mailin_embedded::{Handler, Response, Server, SslConfig};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{problem, spawn_app_with, TestApp};
use crate::students::{enrol, student_body};

/// One message as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}: ", name.to_lowercase());
        self.data
            .lines()
            .find(|l| l.to_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim().to_owned())
    }
}

#[derive(Clone)]
struct Sink {
    inbox: Arc<Mutex<Vec<Received>>>,
    current: Option<Received>,
}

impl Handler for Sink {
    fn rcpt(&mut self, to: &str) -> Response {
        // Addresses at nowhere.invalid do not exist: a permanent refusal.
        if to.contains("nowhere.invalid") {
            NO_MAILBOX
        } else {
            OK
        }
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(Received { to: to.to_vec(), data: String::new() });
        OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(c) = &mut self.current {
            c.data.push_str(&String::from_utf8_lossy(buf));
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(c) = self.current.take() {
            self.inbox.lock().expect("inbox").push(c);
        }
        OK
    }

    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> Response {
        OK
    }
}

/// A real SMTP server on loopback; it runs until the test process ends.
pub struct SmtpServer {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Received>>>,
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        SmtpServer::serve(port, Some(listener))
    }

    /// Starts listening on `port`, which was free (an outage that ends). It listens before
    /// this returns, so a message sent right after finds it.
    pub fn start_on(port: u16) -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind the port again");
        SmtpServer::serve(port, Some(listener))
    }

    fn serve(port: u16, listener: Option<TcpListener>) -> SmtpServer {
        // Bound by the caller: the server's own bind happens on its thread, after a sender may
        // already have tried.
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let mut server = Server::new(Sink { inbox: inbox.clone(), current: None });
        server.with_name("smtp.test").with_ssl(SslConfig::None).expect("no tls").with_num_threads(4);
        match listener {
            Some(l) => {
                server.with_tcp_listener(l);
            }
            None => {
                server.with_addr(("127.0.0.1", port)).expect("listen");
            }
        }
        std::thread::spawn(move || {
            if let Err(e) = server.serve() {
                eprintln!("test SMTP server stopped: {e}");
            }
        });
        SmtpServer { port, inbox }
    }

    pub fn received(&self) -> Vec<Received> {
        self.inbox.lock().expect("inbox").clone()
    }
}

/// A port nothing listens on (yet).
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

pub(crate) fn smtp_settings(s: &mut Settings, port: u16) {
    s.email.transport = EmailTransport::Smtp;
    s.email.smtp_host = "127.0.0.1".into();
    s.email.smtp_port = port;
    s.email.smtp_tls = SmtpTls::None;
    s.email.smtp_timeout_seconds = 5;
    s.email.max_attempts = 3;
    s.email.retry_base_seconds = 60;
    s.email.batch_size = 7;
}

pub async fn deliver(app: &TestApp) -> DeliveryReport {
    deliver_with(&app.pool, &app.settings).await
}

async fn deliver_with(pool: &DbPool, settings: &Settings) -> DeliveryReport {
    let mailer = Mailer::from_settings(&settings.email).expect("mailer");
    deliver_due(pool, settings, &mailer).await.expect("deliver")
}

/// Makes every waiting message due now, as if the back-off had passed.
async fn time_passes(app: &TestApp) {
    app.with_db(|c| {
        use devicepool::store::schema::outbox_messages as o;
        use diesel::prelude::*;
        diesel::update(o::table.filter(o::state.eq("pending")))
            .set(o::next_attempt_at.eq(store::now()))
            .execute(c)
            .expect("update")
    })
    .await;
}

pub(crate) async fn queue_messages(app: &TestApp, n: usize, domain: &str) -> Vec<String> {
    let domain = domain.to_owned();
    app.with_db(move |c| {
        (0..n)
            .map(|i| {
                let to = format!("student{i}@{domain}");
                let m = outbox::NewMessage {
                    recipient: &to,
                    language: if i % 2 == 0 { "nl" } else { "en" },
                    template: "request_received",
                    payload: json!({"name": format!("Student {i}"), "thing": "a laptop", "position": i + 1}),
                    student_id: None,
                    secret: None,
                };
                outbox::enqueue(c, &m, store::now()).expect("enqueue")
            })
            .collect()
    })
    .await
}

/// The token of the link to `page` in a delivered mail (its text is quoted-printable).
pub fn token_in(mail: &str, page: &str) -> String {
    let text = quoted_printable(mail);
    let start = text.find(page).map(|i| i + page.len()).expect("the link is in the mail");
    text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// Undoes quoted-printable: soft line breaks go, `=XX` becomes its byte.
fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) fn message_ids(inbox: &[Received]) -> Vec<String> {
    inbox.iter().map(|m| m.header("Message-ID").expect("Message-ID")).collect()
}

#[tokio::test]
async fn a_sign_in_link_arrives_over_smtp_in_the_students_language() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(|s| smtp_settings(s, smtp.port)).await;
    let admin = app.admin_token().await;
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, devicepool::domain::Role::School, Some(&school)).await;
    enrol(&app, &coordinator, student_body("Ayla Demir", "ayla@example.org")).await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/magic-link"))
        .json(&json!({"email": "ayla@example.org"}))
        .send()
        .await;
    assert_eq!(res.expect("post").status(), StatusCode::ACCEPTED);

    assert_eq!(deliver(&app).await, DeliveryReport { sent: 1, retried: 0, dead: 0 });
    let inbox = smtp.received();
    assert_eq!(inbox.len(), 1);
    let mail = &inbox[0];
    assert_eq!(mail.to, vec!["ayla@example.org".to_owned()]);
    assert_eq!(mail.header("Subject").as_deref(), Some("Je link om in te loggen"));
    let row = app.with_db(|c| outbox::for_recipient(c, "ayla@example.org").expect("rows")).await;
    assert_eq!(row[0].state, "sent");
    assert_eq!(mail.header("Message-ID"), Some(format!("<{}@devicepool.example>", row[0].id)));
    assert!(mail.data.contains("/sign-in?token="), "the link is in the mail");
    assert!(mail.data.contains("text/html"), "with an HTML part");
    // Once sent, no stored message holds the token, sealed or not.
    let token = token_in(&mail.data, "/sign-in?token=");
    assert_eq!(row[0].secret, None);
    assert!(!row[0].payload.contains(&token) && !row[0].payload.contains("token="), "{}", row[0].payload);
    assert_eq!(deliver(&app).await, DeliveryReport::default(), "nothing is sent twice");
}

#[tokio::test]
async fn with_the_smtp_server_down_messages_wait_and_all_arrive_once_it_is_back() {
    let port = closed_port();
    let app = spawn_app_with(|s| smtp_settings(s, port)).await;
    let ids = queue_messages(&app, 5, "example.org").await;
    assert_eq!(deliver(&app).await, DeliveryReport { sent: 0, retried: 5, dead: 0 });
    let waiting = app.with_db(|c| outbox::list(c, Some("pending"), None, 100).expect("list")).await;
    assert_eq!(waiting.len(), 5);
    assert!(waiting.iter().all(|m| m.attempts == 1 && m.next_attempt_at > store::now()), "backing off");
    assert_eq!(deliver(&app).await, DeliveryReport::default(), "not due yet");

    let smtp = SmtpServer::start_on(port);
    time_passes(&app).await;
    assert_eq!(deliver(&app).await, DeliveryReport { sent: 5, retried: 0, dead: 0 });
    let inbox = smtp.received();
    let got: HashSet<String> = message_ids(&inbox).into_iter().collect();
    let want: HashSet<String> = ids.iter().map(|id| format!("<{id}@devicepool.example>")).collect();
    assert_eq!((inbox.len(), got), (5, want), "every message once");
}

#[tokio::test]
async fn two_instances_on_one_database_deliver_each_message_exactly_once() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(|s| smtp_settings(s, smtp.port)).await;
    queue_messages(&app, 60, "example.org").await;
    // A second instance: its own pool on the same database.
    let settings = app.settings.clone();
    let (_, other_pool) =
        tokio::task::spawn_blocking(move || devicepool::startup::connect(&settings).expect("connect"))
            .await
            .expect("task");
    let (a, b) = tokio::join!(deliver(&app), deliver_with(&other_pool, &app.settings));
    assert_eq!(a.sent + b.sent, 60, "{a:?} {b:?}");
    let ids = message_ids(&smtp.received());
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!((ids.len(), distinct.len()), (60, 60), "each message exactly once");
}

#[tokio::test]
async fn a_message_dies_after_its_attempts_and_staff_requeue_it() {
    let port = closed_port();
    let app = spawn_app_with(|s| smtp_settings(s, port)).await;
    let ids = queue_messages(&app, 1, "example.org").await;
    let id = &ids[0];
    for _ in 0..2 {
        assert_eq!(deliver(&app).await.retried, 1);
        time_passes(&app).await;
    }
    assert_eq!(deliver(&app).await.dead, 1, "the third failure is the last");
    let metrics =
        app.client.get(app.url("/metrics")).send().await.expect("metrics").text().await.expect("text");
    assert!(metrics.contains(r#"devicepool_outbox_messages{state="dead"} 1"#), "{metrics}");

    let admin = app.admin_token().await;
    let (staff, _) = app.user_with_role(&admin, devicepool::domain::Role::Staff, None).await;
    let dead: Value = app.get("/api/v1/outbox?state=dead", &staff).await.json().await.expect("json");
    assert_eq!(dead["items"][0]["id"], id.as_str());
    assert_eq!(dead["items"][0]["attempts"], 3);
    assert!(dead["items"][0]["last_error"].is_string());
    assert!(dead["items"][0].get("payload").is_none(), "what a message says is not shown");
    let school = app.create_organisation(&admin, "Codeschool", "school").await;
    let (coordinator, _) = app.user_with_role(&admin, devicepool::domain::Role::School, Some(&school)).await;
    problem(app.get("/api/v1/outbox", &coordinator).await, StatusCode::FORBIDDEN, "forbidden").await;

    let smtp = SmtpServer::start_on(port);
    let res = app.post(&format!("/api/v1/outbox/{id}/requeue"), &staff, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.expect("json")["state"], "pending");
    problem(
        app.post(&format!("/api/v1/outbox/{id}/requeue"), &staff, json!({})).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(deliver(&app).await.sent, 1);
    assert_eq!(smtp.received().len(), 1);
}

#[tokio::test]
async fn a_mailbox_refused_for_good_is_dead_at_once() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(|s| smtp_settings(s, smtp.port)).await;
    queue_messages(&app, 1, "nowhere.invalid").await;
    assert_eq!(deliver(&app).await, DeliveryReport { sent: 0, retried: 0, dead: 1 });
    assert!(smtp.received().is_empty());
}

fn templates_to(app_rows: &[devicepool::store::outbox::OutboxMessage], template: &str) -> usize {
    app_rows.iter().filter(|m| m.template == template).count()
}

async fn set_due_on(app: &TestApp, loan: &str, days_from_today: i64) {
    let loan = loan.to_owned();
    app.with_db(move |c| {
        use devicepool::store::schema::loans;
        use diesel::prelude::*;
        let due = chrono::Utc::now().date_naive() + chrono::Duration::days(days_from_today);
        diesel::update(loans::table.find(loan)).set(loans::due_on.eq(due)).execute(c).expect("update")
    })
    .await;
}

/// Two schedulers at once, each on its own pool, as two instances would run them.
async fn two_schedulers(app: &TestApp, other: &DbPool) -> usize {
    let run = |pool: DbPool, settings: Settings| {
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("conn");
            devicepool::workflows::housekeeping::run(&mut conn, &settings)
                .expect("housekeeping")
                .reminders_queued
        })
    };
    let (a, b) =
        tokio::join!(run(app.pool.clone(), app.settings.clone()), run(other.clone(), app.settings.clone()));
    a.expect("a") + b.expect("b")
}

#[tokio::test]
async fn loan_events_and_reminders_reach_the_student_once_each() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(|s| smtp_settings(s, smtp.port)).await;
    let (staff, _, email, loan, _, _) = crate::loans::confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id");
    assert_eq!(deliver(&app).await.sent, 2, "request received, kit ready");
    let inbox = smtp.received();
    let subjects: Vec<String> = inbox.iter().filter_map(|m| m.header("Subject")).collect();
    assert_eq!(subjects, vec!["We hebben je aanvraag", "Je laptop ligt klaar"]);
    assert!(inbox[1].data.contains("Hub Zuidoost, Bijlmerplein 1"), "{}", inbox[1].data);

    crate::loans::hand_over_to_student(&app, &staff, &email, id).await;
    let settings = app.settings.clone();
    let (_, other) =
        tokio::task::spawn_blocking(move || devicepool::startup::connect(&settings).expect("connect"))
            .await
            .expect("task");
    set_due_on(&app, id, 3).await;
    assert_eq!(two_schedulers(&app, &other).await, 1, "one due-soon reminder between two schedulers");
    assert_eq!(two_schedulers(&app, &other).await, 0, "and not again");
    set_due_on(&app, id, -2).await;
    assert_eq!(two_schedulers(&app, &other).await, 1, "one overdue reminder");
    assert_eq!(two_schedulers(&app, &other).await, 0);
    let rows = app.with_db(move |c| outbox::for_recipient(c, "ayla@example.org").expect("rows")).await;
    assert_eq!((templates_to(&rows, "due_soon"), templates_to(&rows, "overdue")), (1, 1));

    // A week late: one more, and that is all.
    set_due_on(&app, id, -8).await;
    assert_eq!(two_schedulers(&app, &other).await, 1);
    assert_eq!(two_schedulers(&app, &other).await, 0);
    // Staff give more time, then take the laptop back, with the bag missing.
    let later = (chrono::Utc::now().date_naive() + chrono::Duration::days(10)).format("%Y-%m-%d").to_string();
    let res = app.post(&format!("/api/v1/loans/{id}/extend"), &staff, json!({"due_on": later})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .post(
            &format!("/api/v1/loans/{id}/return"),
            &staff,
            json!({"condition": "good", "accessories_returned": ["charger", "mouse"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        deliver(&app).await,
        DeliveryReport { sent: 6, retried: 0, dead: 0 },
        "sign-in link, due soon, two overdue, extension, thanks"
    );
    let inbox = smtp.received();
    let thanks =
        inbox.iter().find(|m| m.header("Subject").as_deref() == Some("Bedankt voor het terugbrengen"));
    assert!(thanks.is_some_and(|m| m.data.contains("Dit ontbrak: bag")), "{inbox:?}");
    let subjects: Vec<String> = inbox.iter().filter_map(|m| m.header("Subject")).collect();
    assert!(subjects.iter().any(|s| s == "Je mag je laptop langer houden"), "{subjects:?}");
    assert!(subjects.iter().any(|s| s.starts_with("Breng je laptop uiterlijk")), "{subjects:?}");
    assert_eq!(subjects.iter().filter(|s| s.starts_with("Je laptop moest op")).count(), 2, "{subjects:?}");
}

#[tokio::test]
async fn in_development_messages_are_written_to_files() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().to_owned();
    let app = spawn_app_with(move |s| {
        s.email.transport = EmailTransport::File;
        s.email.file_dir = path;
    })
    .await;
    let ids = queue_messages(&app, 2, "example.org").await;
    assert_eq!(deliver(&app).await.sent, 2);
    for id in ids {
        let eml = std::fs::read_to_string(dir.path().join(format!("{id}.eml"))).expect("a file per message");
        assert!(eml.contains(&format!("Message-ID: <{id}@devicepool.example>")), "{eml}");
        assert!(eml.contains("To: student"), "{eml}");
    }
}

#[tokio::test]
async fn the_pool_hears_once_of_licences_and_plans_ending_and_donors_of_kit_in_service() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(|s| smtp_settings(s, smtp.port)).await;
    let (staff, _, email, loan, _, _) = crate::loans::confirmed_loan(&app).await;
    let admin = app.admin_token().await;
    let orgs: Value = app.get("/api/v1/organisations?limit=100", &admin).await.json().await.expect("json");
    let donor = orgs["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|o| o["name"] == "Northwind BV")
        .and_then(|o| o["id"].as_str())
        .expect("donor")
        .to_owned();
    let (donor_token, _) = app.user_with_role(&admin, devicepool::domain::Role::Donor, Some(&donor)).await;
    let me: Value = app.get("/api/v1/me", &donor_token).await.json().await.expect("json");
    let donor_email = me["email"].as_str().expect("email").to_owned();
    let donations: Value = app.get("/api/v1/donations", &staff).await.json().await.expect("json");
    let donation = donations["items"][0]["id"].as_str().expect("donation").to_owned();
    let soon = |days: i64| {
        (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).format("%Y-%m-%d").to_string()
    };
    let res = app
        .post(
            "/api/v1/licences",
            &staff,
            json!({"product": "figma", "vendor": "Figma Inc.", "seats": 5, "key": "K-1", "donation_id": donation, "expires_on": soon(10)}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    for serial in ["DONGLE-A", "DONGLE-B"] {
        let res = app
            .post(
                "/api/v1/devices",
                &staff,
                json!({"kind": "wifi_dongle", "serial_number": serial, "model": "Huawei E8372", "donation_id": donation,
                       "carrier": "KPN", "plan_ends_on": soon(20)}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let settings = app.settings.clone();
    let (_, other) =
        tokio::task::spawn_blocking(move || devicepool::startup::connect(&settings).expect("connect"))
            .await
            .expect("task");
    let warnings = |pool: DbPool, settings: Settings| {
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("conn");
            devicepool::workflows::housekeeping::run(&mut conn, &settings)
                .expect("run")
                .expiry_warnings_queued
        })
    };
    let (a, b) = tokio::join!(
        warnings(app.pool.clone(), app.settings.clone()),
        warnings(other.clone(), app.settings.clone())
    );
    assert_eq!(a.expect("a") + b.expect("b"), 2, "one for the licence, one for both dongles");
    assert_eq!(warnings(other, app.settings.clone()).await.expect("again"), 0);

    crate::loans::hand_over_to_student(&app, &staff, &email, loan["id"].as_str().expect("id")).await;
    let report = deliver(&app).await;
    assert_eq!(report.dead, 0);
    let inbox = smtp.received();
    let to_pool: Vec<&Received> = inbox.iter().filter(|m| m.to == ["pool@devicepool.example"]).collect();
    assert_eq!(to_pool.len(), 2);
    assert!(to_pool.iter().any(|m| m.data.contains("DPW-") && m.data.contains("KPN")), "{to_pool:?}");
    // Besides the monthly summary, one message that their kit is in service.
    let to_donor: Vec<&Received> = inbox
        .iter()
        .filter(|m| m.to == [donor_email.clone()])
        .filter(|m| m.header("Subject").as_deref() == Some("Je donatie helpt nu studenten"))
        .collect();
    assert_eq!(to_donor.len(), 1);
    assert!(!to_donor[0].data.contains("Ayla"), "a donor never learns who has the kit");
}

#[tokio::test]
async fn an_account_made_without_a_password_is_invited_and_chooses_one() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(|s| smtp_settings(s, smtp.port)).await;
    let admin = app.admin_token().await;
    let school = app.create_organisation(&admin, "Codeschool Zuidoost", "school").await;
    let body =
        json!({"email": "coordinator@codeschool.example", "role": "school", "organisation_id": school});
    assert_eq!(app.post("/api/v1/users", &admin, body).await.status(), StatusCode::CREATED);
    let login = app.login("coordinator@codeschool.example", "any password at all").await;
    assert_eq!(login.status(), StatusCode::UNAUTHORIZED, "no password yet");

    assert_eq!(deliver(&app).await.sent, 1);
    let mail = smtp.received().pop().expect("the invitation");
    assert_eq!(mail.header("Subject").as_deref(), Some("Je account bij devicepool"));
    assert!(mail.data.contains("Codeschool Zuidoost"), "{}", mail.data);
    let token = token_in(&mail.data, "/accept-invitation?token=");
    let rows =
        app.with_db(|c| outbox::for_recipient(c, "coordinator@codeschool.example").expect("rows")).await;
    assert_eq!(
        (rows[0].secret.as_deref(), rows[0].payload.contains(&token)),
        (None, false),
        "sent: no token kept"
    );

    let accept = |body: Value| app.client.post(app.url("/api/v1/auth/invitation/accept")).json(&body).send();
    let res = accept(json!({"token": token, "password": "short"})).await.expect("post");
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res =
        accept(json!({"token": "not-the-token", "password": "a long enough password"})).await.expect("post");
    problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = accept(json!({"token": token, "password": "a long enough password"})).await.expect("post");
    assert_eq!(res.status(), StatusCode::OK);
    let signed_in: Value = res.json().await.expect("json");
    let me: Value = app
        .get("/api/v1/me", signed_in["access_token"].as_str().expect("token"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (me["role"].as_str(), me["organisation_id"].as_str()),
        (Some("school"), Some(school.as_str()))
    );
    assert_eq!(
        app.login("coordinator@codeschool.example", "a long enough password").await.status(),
        StatusCode::OK
    );
    let res = accept(json!({"token": token, "password": "another long password"})).await.expect("post");
    problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn donors_get_one_anonymous_summary_of_last_month() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(|s| smtp_settings(s, smtp.port)).await;
    let (staff, _, email, loan, _, _) = crate::loans::confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id").to_owned();
    crate::loans::hand_over_to_student(&app, &staff, &email, &id).await;
    let admin = app.admin_token().await;
    let orgs: Value = app.get("/api/v1/organisations?limit=100", &admin).await.json().await.expect("json");
    let donor = orgs["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|o| o["name"] == "Northwind BV")
        .and_then(|o| o["id"].as_str())
        .expect("donor")
        .to_owned();
    let (token, _) = app.user_with_role(&admin, devicepool::domain::Role::Donor, Some(&donor)).await;
    let me: Value = app.get("/api/v1/me", &token).await.json().await.expect("json");
    let donor_email = me["email"].as_str().expect("email").to_owned();
    // The laptop was handed over in the middle of last month.
    app.with_db(move |c| {
        use chrono::Datelike;
        use devicepool::store::schema::loans;
        use diesel::prelude::*;
        let today = chrono::Utc::now().date_naive();
        let mid_last_month = today.with_day(1).expect("first") - chrono::Duration::days(15);
        let at = mid_last_month.and_hms_opt(12, 0, 0).expect("time");
        diesel::update(loans::table.find(id))
            .set(loans::handed_over_at.eq(Some(at)))
            .execute(c)
            .expect("update")
    })
    .await;
    let run = |app: &TestApp| {
        let (pool, settings) = (app.pool.clone(), app.settings.clone());
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("conn");
            devicepool::workflows::housekeeping::run(&mut conn, &settings)
                .expect("run")
                .impact_summaries_queued
        })
    };
    assert_eq!(run(&app).await.expect("run"), 1);
    assert_eq!(run(&app).await.expect("run"), 0, "one a month");
    let rows = app.with_db(move |c| outbox::for_recipient(c, &donor_email).expect("rows")).await;
    let summary = rows.iter().find(|m| m.template == "impact_summary").expect("summary");
    let payload: Value = serde_json::from_str(&summary.payload).expect("payload");
    // One student is fewer than reports.min_cell_size (5): the count is hidden.
    assert_eq!(
        (&payload["donated"], &payload["in_service"], &payload["students"]),
        (&json!(1), &json!(1), &Value::Null)
    );
    // The one hand-over is a loan cycle of one student: hidden too, and no CO2e without it.
    assert_eq!(
        (&payload["reused"], &payload["recycled"], &payload["co2e"], &payload["factor_set"]),
        (&Value::Null, &json!(0), &Value::Null, &json!("2026-12"))
    );
    assert_eq!(deliver(&app).await.dead, 0);
    let inbox = smtp.received();
    let mail =
        inbox.iter().find(|m| m.header("Subject").is_some_and(|s| s.starts_with("Wat je donatie deed in")));
    assert!(mail.is_some_and(|m| !m.data.contains("Ayla")), "anonymous: {inbox:?}");
    assert!(
        mail.is_some_and(|m| quoted_printable(&m.data).contains("je spullen kregen: minder dan 5")),
        "{inbox:?}"
    );
    assert!(
        mail.is_some_and(|m| {
            let text = quoted_printable(&m.data);
            text.contains("elke lening één keer: minder dan 5")
                && text.contains("factorenset 2026-12")
                && text.contains("geen daling van de uitstoot van je eigen bedrijf")
        }),
        "{inbox:?}"
    );
}

/// The real binary with its delivery worker on, sending to `smtp_port`.
fn start_binary(app: &TestApp, smtp_port: u16) -> std::process::Child {
    start_binary_with(app, smtp_port, &[])
}

/// `start_binary` with more settings from the environment.
pub(crate) fn start_binary_with(app: &TestApp, smtp_port: u16, env: &[(&str, &str)]) -> std::process::Child {
    let port = TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    std::process::Command::new(env!("CARGO_BIN_EXE_devicepool"))
        .arg("serve")
        .env("DATABASE_URL", &app.db.url)
        .env("PORT", port.to_string())
        .env("DEVICEPOOL_ENVIRONMENT", "test")
        .env("DEVICEPOOL__EMAIL__TRANSPORT", "smtp")
        .env("DEVICEPOOL__EMAIL__SMTP_HOST", "127.0.0.1")
        .env("DEVICEPOOL__EMAIL__SMTP_PORT", smtp_port.to_string())
        .env("DEVICEPOOL__EMAIL__SMTP_TLS", "none")
        .env("DEVICEPOOL__EMAIL__POLL_INTERVAL_SECONDS", "1")
        .env("DEVICEPOOL__EMAIL__BATCH_SIZE", "5")
        .envs(env.iter().copied())
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start devicepool")
}

#[tokio::test]
async fn two_server_processes_deliver_each_message_exactly_once() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(|s| smtp_settings(s, smtp.port)).await;
    queue_messages(&app, 40, "example.org").await;
    let mut servers = [start_binary(&app, smtp.port), start_binary(&app, smtp.port)];
    let started = std::time::Instant::now();
    while smtp.received().len() < 40 && started.elapsed() < std::time::Duration::from_secs(60) {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // A moment more, in case anything would be sent twice.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    for s in &mut servers {
        let _ = s.kill();
        let _ = s.wait();
    }
    let ids = message_ids(&smtp.received());
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!((ids.len(), distinct.len()), (40, 40), "each message exactly once");
    let sent = app.with_db(|c| outbox::list(c, Some("sent"), None, 100).expect("list")).await;
    assert_eq!(sent.len(), 40);
}
