//! A loan's life after confirmation: the student accepts the agreement, staff hand the kit
//! over. Each step is one transaction with guarded updates.

use crate::domain::device::DeviceAction;
use crate::error::ApiError;
use crate::store::{self, licences, loans, requests, DbConnection};
use crate::workflows::devices::apply_loan_action;

fn illegal(state: &str, action: &str, allowed: &[&str]) -> ApiError {
    ApiError::IllegalTransition {
        state: state.to_owned(),
        action: action.to_owned(),
        allowed_actions: allowed.iter().map(|a| (*a).to_owned()).collect(),
    }
}

/// What may be done with a loan next, by whom it may concern.
pub fn allowed_actions(loan: &loans::Loan) -> Vec<&'static str> {
    match (loan.state.as_str(), loan.accepted_at.is_some()) {
        ("reserved", false) => vec!["accept"],
        ("reserved", true) => vec!["handover"],
        ("active", _) => vec!["return", "report_lost", "write_off"],
        _ => vec![],
    }
}

/// The condition kit comes back in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReturnCondition {
    Good,
    Worn,
    Damaged,
}

/// Staff take kit back: the loan is returned; a device goes to `returned` (next: inspection,
/// and for a laptop a new wipe before it is lent again); a licence seat is freed at once.
pub fn return_loan(
    conn: &mut DbConnection,
    loan_id: &str,
    actor: &str,
    condition: ReturnCondition,
    notes: Option<&str>,
) -> Result<loans::Loan, ApiError> {
    let loan = loans::find(conn, loan_id)?;
    if !loans::close(conn, loan_id, &["active"], "returned", store::now())? {
        return Err(illegal(&loan.state, "return", &allowed_actions(&loan)));
    }
    if let Some(device) = &loan.device_id {
        let details = serde_json::json!({ "loan_id": loan_id, "condition": condition, "notes": notes });
        apply_loan_action(conn, device, actor, DeviceAction::Return, details)?;
    }
    if let Some(licence) = &loan.licence_id {
        licences::free_seat(conn, licence)?;
    }
    Ok(loans::find(conn, loan_id)?)
}

/// The kit is lost or stolen: the loan closes as lost, the device is marked lost.
pub fn report_lost(conn: &mut DbConnection, loan_id: &str, actor: &str) -> Result<loans::Loan, ApiError> {
    let loan = loans::find(conn, loan_id)?;
    if loan.device_id.is_none() {
        return Err(ApiError::invalid("id", "a licence seat cannot be lost; return or write off the loan"));
    }
    if !loans::close(conn, loan_id, &["active"], "lost", store::now())? {
        return Err(illegal(&loan.state, "report_lost", &allowed_actions(&loan)));
    }
    if let Some(device) = &loan.device_id {
        apply_loan_action(
            conn,
            device,
            actor,
            DeviceAction::ReportLost,
            serde_json::json!({ "loan_id": loan_id }),
        )?;
    }
    Ok(loans::find(conn, loan_id)?)
}

/// Staff write the loan off: the kit will not come back. A device is retired, a seat freed.
pub fn write_off(conn: &mut DbConnection, loan_id: &str, actor: &str) -> Result<loans::Loan, ApiError> {
    let loan = loans::find(conn, loan_id)?;
    if !loans::close(conn, loan_id, &["active"], "written_off", store::now())? {
        return Err(illegal(&loan.state, "write_off", &allowed_actions(&loan)));
    }
    if let Some(device) = &loan.device_id {
        apply_loan_action(
            conn,
            device,
            actor,
            DeviceAction::WriteOff,
            serde_json::json!({ "loan_id": loan_id }),
        )?;
    }
    if let Some(licence) = &loan.licence_id {
        licences::free_seat(conn, licence)?;
    }
    Ok(loans::find(conn, loan_id)?)
}

/// The student accepts the loan agreement of `version`. Accepting twice keeps the first.
pub fn accept(conn: &mut DbConnection, loan_id: &str, version: &str) -> Result<loans::Loan, ApiError> {
    let loan = loans::find(conn, loan_id)?;
    if loan.accepted_at.is_none() && !loans::accept(conn, loan_id, version, store::now())? {
        return Err(illegal(&loan.state, "accept", &allowed_actions(&loan)));
    }
    Ok(loans::find(conn, loan_id)?)
}

/// Staff hand the kit over: the loan becomes active, the device goes on loan (with its history
/// event) and the request is fulfilled. Needs the student's acceptance first.
pub fn hand_over(conn: &mut DbConnection, loan_id: &str, actor: &str) -> Result<loans::Loan, ApiError> {
    let loan = loans::find(conn, loan_id)?;
    let now = store::now();
    if !loans::hand_over(conn, loan_id, now)? {
        return Err(illegal(&loan.state, "handover", &allowed_actions(&loan)));
    }
    if let Some(device) = &loan.device_id {
        apply_loan_action(
            conn,
            device,
            actor,
            DeviceAction::HandOver,
            serde_json::json!({ "loan_id": loan_id }),
        )?;
    }
    requests::set_state(conn, &loan.request_id, &["allocated"], "fulfilled", now)?;
    Ok(loans::find(conn, loan_id)?)
}
