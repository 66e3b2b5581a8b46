//! Kit that broke while on loan: the student (or staff) reports it, and the report waits in
//! the staff's queue until they swap the kit (the staff side comes with the staff pages).

use crate::domain::loan::LoanState;
use crate::error::ApiError;
use crate::store::fault_reports::{self, FaultReport, NewFaultReport};
use crate::store::loans::{self, LoanScope};
use crate::store::{self, DbConnection};

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
        if LoanState::parse(&loan.state) != Some(LoanState::Active) {
            return Err(ApiError::conflict(crate::phrase!("conflict-fault-not-active")));
        }
        if let Some(open) = fault_reports::open_of_loan(conn, loan_id)? {
            return Ok(Reported { report: open, created: false });
        }
        let id = store::new_id();
        let report = fault_reports::insert(
            conn,
            &NewFaultReport {
                id: &id,
                loan_id,
                device_id: loan.device_id.as_deref(),
                reported_by: actor,
                description,
                state: "open",
                created_at: store::now(),
            },
        )?;
        Ok(Reported { report, created: true })
    })
}
