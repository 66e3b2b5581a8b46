//! Kit that broke while on loan: the student (or staff) reports it, and the report waits in
//! the staff's queue until they swap the kit at the desk.

use crate::domain::loan::LoanState;
use crate::error::ApiError;
use crate::store::fault_reports::{self, FaultReport, NewFaultReport};
use crate::store::loans::{self, LoanScope};
use crate::store::{self, DbConnection};
use crate::workflows::allocations::{allocate_by_hand, confirm_at_desk, HandPicked};
use crate::workflows::loans::{accept, hand_over};

/// A report, and whether this call made it (a second press finds the open one).
pub struct Reported {
    pub report: FaultReport,
    pub created: bool,
}

/// Reports the kit of loan `loan_id`, which `scope` may see, broken. Only kit the student
/// has can break in their hands: the loan must be active. One open report per loan, held by
/// a unique index, so two presses at once make one report.
pub fn report(
    conn: &mut DbConnection,
    scope: &LoanScope,
    loan_id: &str,
    actor: &str,
    description: &str,
) -> Result<Reported, ApiError> {
    store::write_tx(conn, |conn| {
        let loan = loans::find_visible(conn, loan_id, scope)?;
        report_in(conn, &loan, actor, description)
    })
}

/// [`report`] inside the caller's transaction, for a loan already found.
pub(crate) fn report_in(
    conn: &mut DbConnection,
    loan: &loans::Loan,
    actor: &str,
    description: &str,
) -> Result<Reported, ApiError> {
    if LoanState::parse(&loan.state) != Some(LoanState::Active) {
        return Err(ApiError::conflict(crate::phrase!("conflict-fault-not-active")));
    }
    if let Some(open) = fault_reports::open_of_loan(conn, &loan.id)? {
        return Ok(Reported { report: open, created: false });
    }
    let id = store::new_id();
    let report = fault_reports::insert(
        conn,
        &NewFaultReport {
            id: &id,
            loan_id: &loan.id,
            device_id: loan.device_id.as_deref(),
            reported_by: actor,
            description,
            state: "open",
            created_at: store::now(),
        },
    )?;
    Ok(Reported { report, created: true })
}

/// An open report as the staff's queue shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OpenFault {
    pub id: String,
    pub loan_id: String,
    pub student: String,
    pub kind: String,
    pub asset_tag: Option<String>,
    pub model: Option<String>,
    pub description: String,
    pub reported_at: chrono::NaiveDateTime,
}

fn open_fault(conn: &mut DbConnection, r: FaultReport) -> Result<OpenFault, ApiError> {
    let loan = loans::find(conn, &r.loan_id)?;
    let student = crate::store::students::find(conn, &loan.student_id)?.name;
    let device = r.device_id.as_deref().map(|d| crate::store::devices::find(conn, d)).transpose()?;
    Ok(OpenFault {
        id: r.id,
        loan_id: r.loan_id,
        student,
        kind: loan.kind,
        asset_tag: device.as_ref().map(|d| d.asset_tag.clone()),
        model: device.map(|d| d.model),
        description: r.description,
        reported_at: r.created_at,
    })
}

/// The open reports, oldest first (at most `limit`).
pub fn queue(conn: &mut DbConnection, limit: i64) -> Result<Vec<OpenFault>, ApiError> {
    let open = fault_reports::open_page(conn, None, limit)?;
    open.into_iter().map(|r| open_fault(conn, r)).collect()
}

/// One open report; 404 once it is resolved.
pub fn open_one(conn: &mut DbConnection, id: &str) -> Result<OpenFault, ApiError> {
    let r = fault_reports::find(conn, id)?;
    if r.state != "open" {
        return Err(ApiError::NotFound);
    }
    open_fault(conn, r)
}

/// A swap done: the tags of the broken device and of its replacement, and the new loan.
#[derive(Debug, Clone)]
pub struct Swapped {
    pub broken: String,
    pub replacement: String,
    pub loan: loans::Loan,
}

/// The replacement for broken kit: scanned at the desk (an asset tag or serial number, the
/// page's `code`) or named by its id (the API's `device_id`).
#[derive(Debug, Clone, Copy)]
pub enum Replacement<'a> {
    Code(&'a str),
    Device(&'a str),
}

/// The student at the desk with broken kit gets a replacement at once, in one transaction:
/// the report resolved (a guarded update, so two desks swap once), the broken kit taken back
/// and put into repair, and the replacement (an available device of the same kind) lent on the same request and agreement and handed over. No mails: the student is
/// there.
pub fn swap(
    conn: &mut DbConnection,
    settings: &crate::configuration::Settings,
    report_id: &str,
    replacement: Replacement<'_>,
    actor: &str,
    today: chrono::NaiveDate,
) -> Result<Swapped, ApiError> {
    use crate::workflows::devices::{apply, find_by_code, TransitionRequest};
    use crate::workflows::loans::{close_returned, ReturnCondition, ReturnRecord};
    store::write_tx(conn, |conn| {
        let report = fault_reports::find(conn, report_id)?;
        let now = store::now();
        if !fault_reports::resolve(conn, report_id, now)? {
            return Err(ApiError::NotFound);
        }
        let old = loans::find(conn, &report.loan_id)?;
        let broken = crate::store::devices::find(conn, old.device_id.as_deref().ok_or(ApiError::NotFound)?)?;
        let (replacement, field) = match replacement {
            Replacement::Code(code) => match find_by_code(conn, code.trim())?.as_slice() {
                [one] => (one.clone(), "code"),
                _ => {
                    return Err(ApiError::invalid(
                        "code",
                        crate::phrase!("desk-no-device", code = code.trim()),
                    ))
                }
            },
            Replacement::Device(id) => match crate::store::devices::find(conn, id) {
                Ok(device) => (device, "device_id"),
                Err(diesel::result::Error::NotFound) => {
                    return Err(ApiError::invalid("device_id", crate::phrase!("desk-no-device", code = id)))
                }
                Err(e) => return Err(e.into()),
            },
        };
        if replacement.kind != broken.kind || replacement.state != "available" {
            let why = crate::phrase!("swap-not-lendable", code = replacement.asset_tag.as_str());
            return Err(ApiError::invalid(field, why));
        }
        let back = ReturnRecord {
            condition: ReturnCondition::Damaged,
            notes: Some(report.description.clone()).filter(|d| !d.is_empty()),
            accessories_returned: Some(crate::store::json_list::parse(&old.accessories)?),
        };
        close_returned(conn, &settings.loans, &old.id, actor, &back, today, true)?;
        apply(
            conn,
            &broken.id,
            actor,
            &TransitionRequest::Inspect { accessories_replaced: None, note: None },
        )?;
        apply(conn, &broken.id, actor, &TransitionRequest::Repair { note: back.notes.clone() })?;
        crate::store::requests::set_state(conn, &old.request_id, &["fulfilled"], "pending", now)?;
        let picked = HandPicked::Device(replacement.id.clone());
        let allocation = allocate_by_hand(conn, settings, &old.request_id, picked, actor, today)?;
        let new = confirm_at_desk(conn, &settings.loans, &allocation.id, actor, today)?;
        let version =
            old.agreement_version.clone().unwrap_or_else(|| settings.loans.agreement_version.clone());
        accept(conn, &new.id, actor, &version)?;
        let loan = hand_over(conn, settings, &new.id, actor)?;
        Ok(Swapped { broken: broken.asset_tag, replacement: replacement.asset_tag, loan })
    })
}
