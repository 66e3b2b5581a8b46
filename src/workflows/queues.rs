//! The lists pool staff work from each day: class sets starting soon, students asking for
//! more time, kit overdue, reservations about to lapse, and mails that could not be sent (to
//! try again).

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::Role;
use crate::error::ApiError;
use crate::store::{self, devices, loans, outbox, students, DbConnection};
use crate::workflows::class_sets;
use crate::workflows::students::record_access;

/// A loan on one of the lists.
#[derive(Debug, Clone, Serialize)]
pub struct LoanLine {
    pub loan_id: String,
    pub student: String,
    pub kind: String,
    pub asset_tag: Option<String>,
    pub due_on: NaiveDate,
    pub pick_up_by: Option<NaiveDate>,
    /// The later date asked for, and the student's reason.
    pub asked_for: Option<NaiveDate>,
    pub reason: Option<String>,
    pub days_overdue: i64,
}

/// A mail that failed for good.
#[derive(Debug, Clone, Serialize)]
pub struct DeadMail {
    pub id: String,
    pub recipient: String,
    pub template: String,
    pub attempts: i32,
    pub last_error: Option<String>,
}

/// A class set whose course starts soon and is not handed over yet, with how many devices
/// it still lacks.
#[derive(Debug, Clone, Serialize)]
pub struct SetLine {
    pub id: String,
    pub course: String,
    pub state: String,
    pub starts_on: NaiveDate,
    pub count: i32,
    pub held: usize,
    pub short: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Queues {
    pub class_sets: Vec<SetLine>,
    pub extensions: Vec<LoanLine>,
    pub overdue: Vec<LoanLine>,
    pub lapsing: Vec<LoanLine>,
    pub dead_mail: Vec<DeadMail>,
}

/// Each list shows at most this many, the most urgent first.
pub const SHOWN: i64 = 100;

fn lines(
    conn: &mut DbConnection,
    rows: Vec<loans::Loan>,
    today: NaiveDate,
) -> Result<Vec<LoanLine>, ApiError> {
    let student_ids: Vec<String> = rows.iter().map(|l| l.student_id.clone()).collect();
    let names = students::names(conn, &student_ids)?;
    let device_ids: Vec<String> = rows.iter().filter_map(|l| l.device_id.clone()).collect();
    let tags = devices::labels(conn, &device_ids)?;
    Ok(rows
        .into_iter()
        .map(|l| LoanLine {
            student: names.get(&l.student_id).cloned().unwrap_or_default(),
            asset_tag: l.device_id.as_ref().and_then(|d| tags.get(d)).map(|d| d.asset_tag.clone()),
            days_overdue: (today - l.due_on).num_days().max(0),
            loan_id: l.id,
            kind: l.kind,
            due_on: l.due_on,
            pick_up_by: l.pick_up_by,
            asked_for: l.extension_due_on.filter(|_| l.extension_state.as_deref() == Some("pending")),
            reason: l.extension_reason,
        })
        .collect())
}

/// Today's lists. Dead mails show the address, so reading them is logged as a read of those
/// students' data.
pub fn today(
    conn: &mut DbConnection,
    actor: &str,
    role: Role,
    pick_up_warning_days: i64,
    set_soon_days: i64,
    today: NaiveDate,
) -> Result<Queues, ApiError> {
    let filter = loans::LoanFilter { extension_pending: true, ..Default::default() };
    let asking = loans::list(conn, &loans::LoanScope::default(), &filter, None, SHOWN)?;
    let overdue = loans::overdue(conn, today, SHOWN)?;
    let soon = today + chrono::Duration::days(pick_up_warning_days);
    let lapsing = loans::lapsing_between(conn, today, soon, SHOWN)?;
    let dead = outbox::list(conn, Some("dead"), None, SHOWN)?;
    let students: Vec<&str> = dead.iter().filter_map(|m| m.student_id.as_deref()).collect();
    record_access(conn, actor, role, &students, "outbox", None)?;
    let class_sets = class_sets::starting_soon(conn, set_soon_days, today)?
        .into_iter()
        .map(|s| SetLine {
            id: s.set.id,
            course: s.set.course,
            state: s.set.state,
            starts_on: s.set.starts_on,
            count: s.set.count,
            held: s.held,
            short: s.short,
        })
        .collect();
    Ok(Queues {
        class_sets,
        extensions: lines(conn, asking, today)?,
        overdue: lines(conn, overdue, today)?,
        lapsing: lines(conn, lapsing, today)?,
        dead_mail: dead
            .into_iter()
            .map(|m| DeadMail {
                id: m.id,
                recipient: m.recipient,
                template: m.template,
                attempts: m.attempts,
                last_error: m.last_error,
            })
            .collect(),
    })
}

/// Tries a dead mail again, with fresh attempts from now; refused unless it is dead.
pub fn requeue(conn: &mut DbConnection, id: &str) -> Result<outbox::OutboxMessage, ApiError> {
    store::write_tx(conn, |conn| {
        let m = outbox::find(conn, id)?;
        if !outbox::requeue(conn, id, store::now())? {
            return Err(ApiError::IllegalTransition {
                state: m.state,
                action: "requeue".into(),
                allowed_actions: vec![],
            });
        }
        Ok(outbox::find(conn, id)?)
    })
}
