//! The lists staff work from, over HTTP against the real app: a student's question for more
//! time answered, overdue kit, a reservation about to lapse, and a failed mail sent again; a
//! step another desk took first is said as such.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::fixtures::confirmed_loan;
use crate::helpers::spawn_app;
use crate::loans::hand_over_to_student;
use crate::web::{form, form_token};
use crate::web_school::{html, location, session_of};

#[tokio::test]
async fn staff_answer_more_time_see_late_and_lapsing_kit_and_send_a_failed_mail_again() {
    let app = spawn_app().await;
    let (staff, _, email, loan, _, _) = confirmed_loan(&app).await;
    let id = loan["id"].as_str().expect("id").to_owned();
    // A reservation to pick up tomorrow, and a mail that failed for good.
    let tomorrow =
        (chrono::Utc::now().date_naive() + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let loan_id = id.clone();
    let dead = app
        .with_db(move |conn| {
            use diesel::RunQueryDsl;
            diesel::sql_query(format!("UPDATE loans SET pick_up_by = '{tomorrow}' WHERE id = '{loan_id}'"))
                .execute(conn)
                .expect("lapsing");
            let mails = devicepool::store::outbox::list(conn, None, None, 1).expect("mails");
            diesel::sql_query(format!(
                "UPDATE outbox_messages SET state = 'dead', attempts = 8, last_error = '550 mailbox full' WHERE id = '{}'",
                mails[0].id
            ))
            .execute(conn)
            .expect("dead");
            mails[0].id.clone()
        })
        .await;
    let session = session_of(&app, &staff).await;
    let lists = html(&app, "/queues?lang=en", &session, StatusCode::OK).await;
    assert!(lists.contains("Pick-up ends soon (1)") && lists.contains("Must be picked up by"), "{lists}");
    assert!(
        lists.contains("Mail not sent (1)") && lists.contains("We tried 8 times and gave up."),
        "{lists}"
    );

    // Handed over, the student asks for more time.
    let student = hand_over_to_student(&app, &staff, &email, &id).await;
    let due =
        chrono::NaiveDate::parse_from_str(loan["due_on"].as_str().expect("due"), "%Y-%m-%d").expect("date");
    let asked = (due + chrono::Duration::days(30)).format("%Y-%m-%d").to_string();
    let res = app
        .post(
            &format!("/api/v1/loans/{id}/extend"),
            &student,
            json!({"due_on": asked, "reason": "Stage loopt door."}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let lists = html(&app, "/queues?lang=en", &session, StatusCode::OK).await;
    assert!(lists.contains("More time asked (1)") && lists.contains("Stage loopt door."), "{lists}");
    assert!(lists.contains("Pick-up ends soon (0)") && lists.contains("Overdue (0)"), "{lists}");
    let csrf = form_token(&lists);

    let approve = format!("/queues/extensions/{id}/approve");
    let res = form(&app, &approve, &session, &[("csrf", &csrf), ("answer", "Succes met je stage!")]).await;
    assert_eq!(location(&res), "/queues?done=approve");
    let extended: Value = app.get(&format!("/api/v1/loans/{id}"), &staff).await.json().await.expect("json");
    assert_eq!(extended["due_on"], asked.as_str());
    let res = form(&app, &format!("/queues/extensions/{id}/refuse"), &session, &[("csrf", &csrf)]).await;
    assert_eq!(location(&res), "/queues?done=gone", "answered already");

    let res = form(&app, &format!("/queues/mail/{dead}/requeue"), &session, &[("csrf", &csrf)]).await;
    assert_eq!(location(&res), "/queues?done=requeue");
    let res = form(&app, &format!("/queues/mail/{dead}/requeue"), &session, &[("csrf", &csrf)]).await;
    assert_eq!(location(&res), "/queues?done=gone");
    let after = html(&app, "/queues?done=requeue&lang=en", &session, StatusCode::OK).await;
    assert!(
        after.contains("We try to send the mail again.") && after.contains("Mail not sent (0)"),
        "{after}"
    );

    // Kit past its due date shows how late it is.
    let late = (chrono::Utc::now().date_naive() - chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
    app.with_db(move |conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query(format!("UPDATE loans SET due_on = '{late}' WHERE id = '{id}'"))
            .execute(conn)
            .expect("late");
    })
    .await;
    let lists = html(&app, "/queues?lang=en", &session, StatusCode::OK).await;
    assert!(lists.contains("Overdue (1)") && lists.contains("3 days late."), "{lists}");
}

#[tokio::test]
async fn staff_read_the_pool_report_as_a_page_and_as_csv() {
    let app = spawn_app().await;
    let (staff, coordinator, _, _, _, _) = confirmed_loan(&app).await;
    let session = session_of(&app, &staff).await;
    let report = html(&app, "/reports/pool?lang=en", &session, StatusCode::OK).await;
    assert!(report.contains("<h1>The pool</h1>") && report.contains("<svg"), "{report}");
    assert!(
        report.contains("Set aside") && report.contains("Hub Zuidoost"),
        "the laptop set aside: {report}"
    );
    let res =
        crate::web::page(&app, "/reports/pool?from=2026-01-01&to=2026-12-31&format=csv", &session).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
    assert!(res.text().await.expect("csv").contains("laptop"));
    let bad = crate::web::page(&app, "/reports/pool?from=soon&lang=en", &session).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let school = session_of(&app, &coordinator).await;
    assert_eq!(crate::web::page(&app, "/reports/pool", &school).await.status(), StatusCode::FORBIDDEN);
}
