//! A loan's life after confirmation: the student accepts the agreement, staff hand the kit
//! over. Each step is one transaction with guarded updates.

use crate::domain::device::DeviceAction;
use crate::error::ApiError;
use crate::store::{self, loans, requests, DbConnection};
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
        _ => vec![],
    }
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
        apply_loan_action(conn, device, actor, DeviceAction::HandOver, loan_id)?;
    }
    requests::set_state(conn, &loan.request_id, &["allocated"], "fulfilled", now)?;
    Ok(loans::find(conn, loan_id)?)
}
