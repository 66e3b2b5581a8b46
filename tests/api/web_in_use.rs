//! "Still in use?" on the pages: the student's one-tap page from the mailed link, the
//! coordinator answering for their students, staff starting a round and following it.

use devicepool::domain::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::class_sets::pool;
use crate::helpers::spawn_app;
use crate::in_use::{lend, link_token};
use crate::web::{form, form_token, page};
use crate::web_school::{html, location, session_of};

#[tokio::test]
async fn a_student_answers_from_the_link_once_and_a_coordinator_answers_for_their_own_students_only() {
    let app = spawn_app().await;
    let p = pool(&app).await;
    let lent = lend(&app, &p, &["Ayla Demir", "Bo Jansen", "Chen Li"]).await;

    // Staff start the round on its page.
    let desk = session_of(&app, &p.staff).await;
    let start = html(&app, "/in-use-rounds/current", &desk, StatusCode::OK).await;
    assert!(start.contains("There is no round yet.") && start.contains("Start a round now"), "{start}");
    let res = form(&app, "/in-use-rounds", &desk, &[("csrf", &form_token(&start))]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let progress = html(&app, &location(&res), &desk, StatusCode::OK).await;
    assert!(progress.contains("The round has started."), "{progress}");
    assert!(progress.contains("<th scope=\"row\">No answer yet</th><td>3</td>"), "{progress}");

    // The mailed link opens a page with the four answers and uses nothing, however often.
    let token = link_token(&app, &lent[0].email).await;
    let open = format!("/in-use?token={token}");
    for _ in 0..2 {
        let one_tap = html(&app, &open, "lang=en", StatusCode::OK).await;
        assert!(one_tap.contains("Yes, I use it") && one_tap.contains("It is lost or stolen"), "{one_tap}");
    }
    let no_answer = form(&app, "/in-use", "lang=en", &[("token", &token), ("note", "")]).await;
    assert_eq!(no_answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_answer.text().await.expect("html").contains("Choose an answer."));
    let res =
        form(&app, "/in-use", "lang=en", &[("token", &token), ("answer", "not_used"), ("note", "")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let done = res.text().await.expect("html");
    assert!(done.contains("Please bring it back by"), "{done}");
    // Used again: nothing changes, and the page says so.
    let again =
        form(&app, "/in-use", "lang=en", &[("token", &token), ("answer", "in_use"), ("note", "")]).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(again.text().await.expect("html").contains("You answered this question already."));
    let later = html(&app, &open, "lang=en", StatusCode::OK).await;
    assert!(later.contains("You answered already:") && later.contains("No, I do not use it"), "{later}");
    let recalled: Value =
        app.get(&format!("/api/v1/loans/{}", lent[0].loan), &p.staff).await.json().await.expect("json");
    assert_eq!(recalled["recalled"], true);
    let own = format!("{}; lang=en", crate::paper_cuts::student_session(&app, &lent[0].email).await);
    let kit = html(&app, "/my-kit", &own, StatusCode::OK).await;
    assert!(kit.contains("You said you do not use it now. Please bring it back by"), "{kit}");
    let made_up = page(&app, "/in-use?token=made-up", "lang=en").await;
    assert_eq!(made_up.status(), StatusCode::GONE);

    // The coordinator answers for a student; a missing answer gets the page back with the mistake.
    let coordinator = session_of(&app, &p.coordinator).await;
    let round = html(&app, "/in-use-rounds/current", &coordinator, StatusCode::OK).await;
    assert!(round.contains(&lent[1].name) && round.contains(&lent[2].name), "{round}");
    assert!(!round.contains("Start a round now"), "only staff start rounds");
    let csrf = form_token(&round);
    let path = format!("/loans/{}/in-use", lent[1].loan);
    let res = form(&app, &path, &coordinator, &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mistake = res.text().await.expect("html");
    assert!(mistake.contains(&format!("href=\"#answer-{}\"", lent[1].loan)), "{mistake}");
    let res = form(&app, &path, &coordinator, &[("csrf", &csrf), ("answer", "in_use")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let saved = html(&app, &location(&res), &coordinator, StatusCode::OK).await;
    assert!(saved.contains("The answer is saved."), "{saved}");
    let res = form(&app, &path, &coordinator, &[("csrf", &csrf), ("answer", "gone")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "one answer per loan and round");

    // Another school's coordinator: the 404 page; students and donors may not read the round.
    let other_school = app.create_organisation(&p.admin, "Data Academy", "school").await;
    let (other, _) = app.user_with_role(&p.admin, Role::School, Some(&other_school)).await;
    let other = session_of(&app, &other).await;
    let theirs = html(&app, "/in-use-rounds/current", &other, StatusCode::OK).await;
    assert!(!theirs.contains(&lent[2].name), "{theirs}");
    let path = format!("/loans/{}/in-use", lent[2].loan);
    let res = form(&app, &path, &other, &[("csrf", &form_token(&theirs)), ("answer", "not_used")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (donor, _) = app.user_with_role(&p.admin, Role::Donor, Some(&p.donor)).await;
    let donor = session_of(&app, &donor).await;
    assert_eq!(page(&app, "/in-use-rounds/current", &donor).await.status(), StatusCode::FORBIDDEN);

    let progress = html(&app, "/in-use-rounds/current?show=unanswered", &desk, StatusCode::OK).await;
    assert!(progress.contains(&lent[2].name) && !progress.contains(&lent[1].name), "{progress}");
    assert!(progress.contains("<th scope=\"row\">No answer yet</th><td>1</td>"), "{progress}");
}
