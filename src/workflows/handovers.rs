//! The hand-over counter: find the kit a student comes to pick up (by name, email or the
//! pick-up code in their mail), let them accept the agreement on the spot if they have not yet,
//! and hand it over with the accessories staff ticked, in one transaction.

use chrono::NaiveDate;
use serde::Serialize;

use crate::configuration::Settings;
use crate::domain::loan::{parse_pick_up_code, pick_up_code};
use crate::domain::FieldError;
use crate::error::ApiError;
use crate::store::{self, devices, hubs, json_list, licences, loans, students, DbConnection};
use crate::workflows::loans::{accept, hand_over};

/// A reserved loan as the counter shows it: who it is for, what, where, and whether the
/// agreement is accepted.
#[derive(Debug, Clone, Serialize)]
pub struct ReadyLoan {
    pub loan_id: String,
    pub student_name: String,
    /// The student's language, for the agreement they read at the counter.
    pub student_language: String,
    pub kind: String,
    pub product: Option<String>,
    pub asset_tag: Option<String>,
    pub model: Option<String>,
    pub hub: Option<String>,
    pub pick_up_by: Option<NaiveDate>,
    pub pick_up_code: String,
    pub accepted: bool,
    /// What goes with the device, to tick off as it is handed over.
    pub accessories: Vec<String>,
}

/// At most this many matches are shown; a longer list means the search was too wide.
pub const MOST_MATCHES: i64 = 20;

fn ready(conn: &mut DbConnection, l: loans::Loan, student_name: String) -> Result<ReadyLoan, ApiError> {
    let device = l.device_id.as_deref().map(|d| devices::find(conn, d)).transpose()?;
    let product = match (&l.product, &l.licence_id) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(licence)) => Some(licences::find_visible(conn, licence, None)?.product),
        (None, None) => None,
    };
    let hub = l.hub_id.as_deref().map(|h| hubs::find(conn, h)).transpose()?.map(|h| h.name);
    let student_language = students::find(conn, &l.student_id)?.preferred_language;
    Ok(ReadyLoan {
        pick_up_code: pick_up_code(&l.id),
        accessories: json_list::parse(&l.accessories)?,
        asset_tag: device.as_ref().map(|d| d.asset_tag.clone()),
        model: device.map(|d| d.model),
        accepted: l.accepted_at.is_some(),
        loan_id: l.id,
        student_name,
        student_language,
        kind: l.kind,
        product,
        hub,
        pick_up_by: l.pick_up_by,
    })
}

/// The reserved loans that `typed` (part of a name, an email address or a pick-up code)
/// finds, the oldest first. A query of fewer than two letters finds nothing, so the counter
/// never lists every student.
pub fn find_ready(conn: &mut DbConnection, typed: &str) -> Result<Vec<ReadyLoan>, ApiError> {
    let typed = typed.trim();
    if typed.chars().count() < 2 {
        return Ok(Vec::new());
    }
    let code = parse_pick_up_code(typed);
    let found = loans::reserved_for(conn, typed, &typed.to_lowercase(), code.as_deref(), MOST_MATCHES)?;
    found.into_iter().map(|(l, name)| ready(conn, l, name)).collect()
}

/// The reserved loan `loan_id`; 404 when there is none or it is no longer reserved.
pub fn ready_loan(conn: &mut DbConnection, loan_id: &str) -> Result<ReadyLoan, ApiError> {
    let l = loans::find(conn, loan_id)?;
    if l.state != "reserved" {
        return Err(ApiError::NotFound);
    }
    let name = students::find(conn, &l.student_id)?;
    if name.erased_at.is_some() {
        return Err(ApiError::NotFound);
    }
    ready(conn, l, name.name)
}

/// What staff did at the counter.
#[derive(Debug, Clone)]
pub struct AtCounter {
    /// The student read and accepted the agreement here, on the staff's screen.
    pub accepted_here: bool,
    /// The accessories ticked as handed over.
    pub given: Vec<String>,
}

/// Hands the loan over in one transaction: the agreement accepted on the spot if the student
/// had not yet (recorded with the staff member as the one who saw it), the accessories given
/// recorded on the loan (what comes back is checked against them), then the hand-over itself.
/// Refused with a field error when the agreement is neither accepted nor ticked.
pub fn hand_over_at_counter(
    conn: &mut DbConnection,
    settings: &Settings,
    loan_id: &str,
    actor: &str,
    done: &AtCounter,
) -> Result<loans::Loan, ApiError> {
    store::write_tx(conn, |conn| {
        let l = loans::find(conn, loan_id)?;
        if l.state != "reserved" {
            return Err(ApiError::NotFound);
        }
        if l.accepted_at.is_none() {
            if !done.accepted_here {
                let tick = FieldError::new("agree", crate::phrase!("field-tick-agreement"));
                return Err(ApiError::Validation(vec![tick]));
            }
            accept(conn, loan_id, actor, &settings.loans.agreement_version)?;
        }
        let listed = json_list::parse(&l.accessories)?;
        let given: Vec<String> = listed.into_iter().filter(|a| done.given.contains(a)).collect();
        loans::set_accessories(conn, loan_id, &json_list::to_text(&given), store::now())?;
        hand_over(conn, settings, loan_id, actor)
    })
}
