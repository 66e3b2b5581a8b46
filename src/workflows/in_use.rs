//! "Still in use?" rounds. A round asks about every active loan: staff open one, and the
//! server opens one `in_use.every_months` after the last. Each student is mailed a one-time
//! link with four answers; their coordinator or staff may answer for them. `not_used` recalls
//! the kit, `broken` opens a fault report, `gone` reports it lost. One answer per loan and round.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::auth::keys::ServerKeys;
use crate::configuration::Settings;
use crate::domain::in_use::{is_late, recall_due_on, round_due, InUseAnswer};
use crate::domain::loan::{LoanAction, LoanState};
use crate::domain::token::{new_token, token_hash};
use crate::error::ApiError;
use crate::notify::messages;
use crate::store::in_use::{self, Check, Round};
use crate::store::loans::{self, Loan, LoanScope};
use crate::store::{self, devices, outbox, students, DbConnection};
use crate::workflows::fault_reports::report_in;
use crate::workflows::loans::{check, lost_race, record, report_lost};

/// How long the sealed link in a round's mail is kept for sending.
const LINK_KEPT_DAYS: i64 = 60;

/// A round just opened.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Opened {
    pub id: String,
    /// How many active loans it asks about.
    pub loans: usize,
}

/// How many students' mails a staff round queues at once; housekeeping queues the rest.
const MAILS_AT_ONCE: usize = 500;

/// Staff open a round now, over every active loan, and the first [`MAILS_AT_ONCE`] students
/// are mailed their link (housekeeping mails the rest).
pub fn open_by_staff(
    conn: &mut DbConnection,
    settings: &Settings,
    keys: &ServerKeys,
    actor: &str,
) -> Result<Opened, ApiError> {
    let opened = store::write_tx(conn, |conn| open_round(conn, None, Some(actor)))?
        .ok_or_else(|| ApiError::internal("a staff round was not opened"))?;
    queue_links(conn, settings, keys, &opened.id, MAILS_AT_ONCE)?;
    Ok(opened)
}

/// The server's own round, when `in_use.every_months` have passed since the last (or since
/// the first hand-over of kit still out). Two instances at once open one. The id if opened.
pub fn open_when_due(conn: &mut DbConnection, settings: &Settings) -> Result<Option<String>, ApiError> {
    let last = in_use::current(conn)?;
    let first = in_use::first_hand_over(conn)?;
    let every = settings.in_use.every_months;
    if !round_due(last.as_ref().map(|r| r.opened_at), first, every, store::now()) {
        return Ok(None);
    }
    let after = last.map_or_else(|| "start".to_owned(), |r| r.id);
    Ok(store::write_tx(conn, |conn| open_round(conn, Some(&after), None))?.map(|o| o.id))
}

fn open_round(
    conn: &mut DbConnection,
    after: Option<&str>,
    by: Option<&str>,
) -> Result<Option<Opened>, ApiError> {
    let id = store::new_id();
    if !in_use::open(conn, &id, after, by, store::now())? {
        return Ok(None);
    }
    let asked = in_use::active_loans(conn)?;
    in_use::insert_checks(conn, &id, &asked)?;
    Ok(Some(Opened { id, loans: asked.len() }))
}

/// Mails up to `max` students of the round not mailed yet their one-time link; each link's
/// hash and its mail in one transaction, so any instance may carry on where another stopped.
pub fn queue_links(
    conn: &mut DbConnection,
    settings: &Settings,
    keys: &ServerKeys,
    round_id: &str,
    max: usize,
) -> Result<usize, ApiError> {
    let mut done = 0;
    while done < max {
        let batch = in_use::without_link(conn, round_id, (max - done).min(100) as i64)?;
        if batch.is_empty() {
            break;
        }
        for c in batch {
            store::write_tx(conn, |conn| link_mail(conn, settings, keys, &c))?;
            done += 1;
        }
    }
    Ok(done)
}

fn link_mail(
    conn: &mut DbConnection,
    settings: &Settings,
    keys: &ServerKeys,
    c: &Check,
) -> Result<(), ApiError> {
    let token = new_token();
    if !in_use::set_link(conn, &c.id, &token_hash(&token))? {
        return Ok(());
    }
    let loan = loans::find(conn, &c.loan_id)?;
    if LoanState::parse(&loan.state) != Some(LoanState::Active) {
        return Ok(());
    }
    let base = settings.server.public_base_url.trim_end_matches('/');
    let secret = outbox::MessageSecret {
        values: json!({ "link": format!("{base}/in-use?token={token}") }),
        expires_at: store::now() + chrono::Duration::days(LINK_KEPT_DAYS),
        keys,
    };
    let key = format!("in_use:{}", c.id);
    messages::about_loan_sealed(conn, &loan, "in_use_round", json!({}), Some(&key), Some(secret))?;
    Ok(())
}

/// What an answer did.
#[derive(Debug, Clone)]
pub struct Answered {
    pub answer: InUseAnswer,
    /// The loan after the answer (recalled, or closed as lost).
    pub loan: Loan,
    /// The fault report a `broken` answer opened (or found open).
    pub fault_report_id: Option<String>,
}

/// An answer about a loan `scope` may see (the student, their school, staff), to the
/// current round.
#[allow(clippy::too_many_arguments)]
pub fn answer_visible(
    conn: &mut DbConnection,
    settings: &Settings,
    scope: &LoanScope,
    loan_id: &str,
    actor: &str,
    answer: InUseAnswer,
    note: Option<&str>,
    today: NaiveDate,
) -> Result<Answered, ApiError> {
    store::write_tx(conn, |conn| {
        let loan = loans::find_visible(conn, loan_id, scope)?;
        let round = in_use::current(conn)?.ok_or_else(no_round)?;
        let asked = in_use::of_loan(conn, &round.id, loan_id)?.ok_or_else(not_asked)?;
        apply(conn, settings, (&asked, loan), actor, answer, note, today)
    })
}

/// An answer from the student's mailed link: the link is the proof, like a sign-in link,
/// and works once, for the current round only.
pub fn answer_by_link(
    conn: &mut DbConnection,
    settings: &Settings,
    token: &str,
    answer: InUseAnswer,
    note: Option<&str>,
    today: NaiveDate,
) -> Result<Answered, ApiError> {
    let hash = token_hash(token.trim());
    // A look before the write: a made-up token costs no write lock.
    by_link(conn, &hash)?;
    store::write_tx(conn, |conn| {
        let (asked, loan) = by_link(conn, &hash)?;
        let student = students::find(conn, &loan.student_id)?;
        let email = student.email.filter(|_| student.erased_at.is_none()).ok_or(ApiError::NotFound)?;
        let language = &student.preferred_language;
        let user =
            crate::workflows::sign_in::student_account(conn, &student.id, &email, language, store::now())?;
        apply(conn, settings, (&asked, loan), &user.id, answer, note, today)
    })
}

/// What the mailed link's page shows: the check and its loan, without using the link.
pub fn look_up_link(conn: &mut DbConnection, token: &str) -> Result<(Check, Loan), ApiError> {
    by_link(conn, &token_hash(token.trim()))
}

fn by_link(conn: &mut DbConnection, hash: &str) -> Result<(Check, Loan), ApiError> {
    let asked = in_use::by_token(conn, hash)?.ok_or(ApiError::NotFound)?;
    let current = in_use::current(conn)?.ok_or(ApiError::NotFound)?;
    if current.id != asked.round_id {
        return Err(ApiError::Refused {
            code: "round_over",
            detail: crate::phrase!("conflict-in-use-round-over"),
        });
    }
    let loan = loans::find(conn, &asked.loan_id)?;
    Ok((asked, loan))
}

fn apply(
    conn: &mut DbConnection,
    settings: &Settings,
    (asked, loan): (&Check, Loan),
    actor: &str,
    answer: InUseAnswer,
    note: Option<&str>,
    today: NaiveDate,
) -> Result<Answered, ApiError> {
    if asked.answer.is_some() {
        return Err(already_answered());
    }
    if LoanState::parse(&loan.state) != Some(LoanState::Active) {
        return Err(ApiError::conflict(crate::phrase!("conflict-in-use-loan-closed")));
    }
    if loan.device_id.is_none() && !answer.fits_a_seat() {
        return Err(ApiError::invalid("answer", crate::phrase!("field-in-use-seat")));
    }
    if !in_use::answer(conn, &asked.id, answer.as_str(), note, actor, store::now())? {
        return Err(already_answered());
    }
    let mut fault_report_id = None;
    match answer {
        InUseAnswer::InUse => {}
        InUseAnswer::NotUsed => recall(conn, settings, &loan, actor, today)?,
        InUseAnswer::Broken => {
            let words = note.map_or_else(
                || crate::i18n::say(&crate::phrase!("in-use-broken-said"), settings.email.default_language),
                str::to_owned,
            );
            fault_report_id = Some(report_in(conn, &loan, actor, &words)?.report.id);
        }
        InUseAnswer::Gone => {
            report_lost(conn, &loan.id, actor)?;
        }
    }
    Ok(Answered { answer, loan: loans::find(conn, &loan.id)?, fault_report_id })
}

/// Kit not used comes back: due within `in_use.recall_days` (or sooner, as it was), the loan
/// marked recalled, the student told by mail.
fn recall(
    conn: &mut DbConnection,
    settings: &Settings,
    loan: &Loan,
    actor: &str,
    today: NaiveDate,
) -> Result<(), ApiError> {
    check(loan, LoanAction::Recall)?;
    let due_on = recall_due_on(loan.due_on, today, settings.in_use.recall_days);
    if !loans::recall(conn, &loan.id, due_on, store::now())? {
        return Err(lost_race(conn, &loan.id, LoanAction::Recall));
    }
    record(conn, &loan.id, Some(actor), LoanAction::Recall, json!({ "from": loan.due_on, "to": due_on }))?;
    let recalled = loans::find(conn, &loan.id)?;
    let seat = json!({ "seat": recalled.device_id.is_none() });
    messages::about_loan(conn, &recalled, "kit_recalled", seat, None)?;
    Ok(())
}

fn no_round() -> ApiError {
    ApiError::Refused { code: "no_round", detail: crate::phrase!("conflict-in-use-no-round") }
}

fn not_asked() -> ApiError {
    ApiError::Refused { code: "not_in_round", detail: crate::phrase!("conflict-in-use-not-asked") }
}

fn already_answered() -> ApiError {
    ApiError::Refused { code: "already_answered", detail: crate::phrase!("conflict-in-use-answered") }
}

/// The answers so far: how many of each, and how many without one.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Progress {
    pub in_use: i64,
    pub not_used: i64,
    pub broken: i64,
    pub gone: i64,
    pub unanswered: i64,
}

/// One loan asked about, as the coordinator's and staff's lists show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckView {
    pub loan_id: String,
    pub student_id: String,
    pub student_name: String,
    pub kind: String,
    pub product: Option<String>,
    pub asset_tag: Option<String>,
    /// The loan now (`active`, or closed since the round opened).
    pub loan_state: String,
    pub answer: Option<InUseAnswer>,
    pub answered_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Still without an answer `in_use.unanswered_days` after the round opened.
    pub late: bool,
}

/// The current round as one school (or staff, all) sees it: a page of its checks.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoundView {
    pub id: String,
    pub opened_at: chrono::DateTime<chrono::Utc>,
    /// Opened by the server on its schedule (else by staff).
    pub scheduled: bool,
    pub progress: Progress,
    /// When unanswered checks count as late.
    pub late_from: chrono::DateTime<chrono::Utc>,
    pub items: Vec<CheckView>,
    pub next_cursor: Option<String>,
}

/// Which checks of the current round to show.
#[derive(Debug, Clone, Default)]
pub struct RoundFilter {
    /// One school's (a coordinator), or all (staff).
    pub school_id: Option<String>,
    pub unanswered_only: bool,
    pub after: Option<String>,
    pub limit: i64,
}

/// The current round, or 404 when there has been none.
pub fn current(conn: &mut DbConnection, settings: &Settings, f: &RoundFilter) -> Result<RoundView, ApiError> {
    let round = in_use::current(conn)?.ok_or(ApiError::NotFound)?;
    let now = store::now();
    let mut progress = Progress::default();
    for (answer, n) in in_use::counts(conn, &round.id, f.school_id.as_deref())? {
        match answer.as_deref().and_then(InUseAnswer::parse) {
            Some(InUseAnswer::InUse) => progress.in_use += n,
            Some(InUseAnswer::NotUsed) => progress.not_used += n,
            Some(InUseAnswer::Broken) => progress.broken += n,
            Some(InUseAnswer::Gone) => progress.gone += n,
            None => progress.unanswered += n,
        }
    }
    let rows = in_use::list(
        conn,
        &round.id,
        f.school_id.as_deref(),
        f.unanswered_only,
        f.after.as_deref(),
        f.limit + 1,
    )?;
    let page = crate::pagination::page(rows, f.limit, |c| c.id.as_str(), |c| c);
    let mut items = Vec::new();
    for c in page.items {
        items.push(check_view(conn, &round, c, now, settings.in_use.unanswered_days)?);
    }
    let days = chrono::Duration::days(settings.in_use.unanswered_days);
    Ok(RoundView {
        id: round.id.clone(),
        opened_at: round.opened_at.and_utc(),
        scheduled: round.opened_by.is_none(),
        progress,
        late_from: (round.opened_at + days).and_utc(),
        items,
        next_cursor: page.next_cursor,
    })
}

fn check_view(
    conn: &mut DbConnection,
    round: &Round,
    c: Check,
    now: NaiveDateTime,
    unanswered_days: i64,
) -> Result<CheckView, ApiError> {
    let loan = loans::find(conn, &c.loan_id)?;
    let student = students::find(conn, &loan.student_id)?;
    let asset_tag =
        loan.device_id.as_deref().map(|d| devices::find(conn, d)).transpose()?.map(|d| d.asset_tag);
    Ok(CheckView {
        late: is_late(round.opened_at, c.answer.is_some(), now, unanswered_days),
        loan_id: c.loan_id,
        student_id: student.id,
        student_name: student.name,
        kind: loan.kind,
        product: loan.product,
        asset_tag,
        loan_state: loan.state,
        answer: c.answer.as_deref().and_then(InUseAnswer::parse),
        answered_at: c.answered_at.map(|t| t.and_utc()),
    })
}
