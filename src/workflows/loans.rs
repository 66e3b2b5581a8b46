//! A loan's life after confirmation: acceptance, hand-over, extensions, return, loss,
//! write-off and lapse. Each step is checked against the loan state machine
//! (`domain::loan`), written with a guarded update, recorded in the loan's history and,
//! for a device, in the device's history too. Call every step inside `write_tx`.

use chrono::NaiveDate;

use crate::configuration::LoanSettings;
use crate::domain::device::DeviceAction;
use crate::domain::loan::{
    self, check_extension_request, check_new_due_on, check_plan, missing_at_return, IllegalLoanStep,
    LoanAction, LoanFacts, LoanState,
};
use crate::domain::FieldError;
use crate::error::ApiError;
use crate::notify::messages;
use crate::store::json_list;
use crate::store::{self, devices, licences, loans, requests, DbConnection};
use crate::workflows::devices::{apply_as_system, apply_loan_action};

pub fn illegal(e: IllegalLoanStep) -> ApiError {
    ApiError::IllegalTransition {
        state: e.state.as_str().to_owned(),
        action: e.action.as_str().to_owned(),
        allowed_actions: e
            .allowed_actions
            .iter()
            .filter(|a| **a != LoanAction::Lapse)
            .map(|a| a.as_str().to_owned())
            .collect(),
    }
}

/// A stored loan's state and facts, as the state machine sees them.
pub fn facts(l: &loans::Loan) -> Result<LoanFacts, ApiError> {
    let state = LoanState::parse(&l.state).ok_or_else(|| ApiError::internal("unknown loan state stored"))?;
    Ok(LoanFacts {
        state,
        accepted: l.accepted_at.is_some(),
        extension_pending: l.extension_state.as_deref() == Some("pending"),
        gift_offered: l.gift_offered_at.is_some(),
    })
}

/// Checks `action` against the state machine for the loan as read.
pub(crate) fn check(l: &loans::Loan, action: LoanAction) -> Result<LoanState, ApiError> {
    loan::transition(facts(l)?, action).map_err(illegal)
}

/// The guarded write lost to a concurrent change: answer from the loan as it is now.
pub(crate) fn lost_race(conn: &mut DbConnection, id: &str, action: LoanAction) -> ApiError {
    match loans::find(conn, id).map_err(ApiError::from).and_then(|now| check(&now, action)) {
        Err(e) => e,
        Ok(_) => ApiError::conflict(crate::phrase!("conflict-loan-changed")),
    }
}

/// Writes a step of the loan's history.
pub(crate) fn record(
    conn: &mut DbConnection,
    loan_id: &str,
    actor: Option<&str>,
    action: LoanAction,
    details: serde_json::Value,
) -> Result<(), ApiError> {
    loans::insert_event(
        conn,
        &loans::NewLoanEvent {
            id: store::new_id(),
            loan_id,
            at: store::now(),
            actor_id: actor,
            action: action.as_str(),
            details: details.to_string(),
        },
    )?;
    Ok(())
}

/// The condition kit comes back in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReturnCondition {
    Good,
    Worn,
    Damaged,
}

impl ReturnCondition {
    pub fn as_str(self) -> &'static str {
        match self {
            ReturnCondition::Good => "good",
            ReturnCondition::Worn => "worn",
            ReturnCondition::Damaged => "damaged",
        }
    }

    pub fn parse(s: &str) -> Option<ReturnCondition> {
        [ReturnCondition::Good, ReturnCondition::Worn, ReturnCondition::Damaged]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// What staff record when kit comes back.
#[derive(Debug, Clone)]
pub struct ReturnRecord {
    pub condition: ReturnCondition,
    pub notes: Option<String>,
    /// The accessories ticked off as back; `None` when not given.
    pub accessories_returned: Option<Vec<String>>,
}

/// Opens the loan of a confirmed allocation: reserved at the device's hub until the student
/// picks it up (within `pick_up_days`), with the accessories of its kind (less those missing
/// from the device since an earlier loan), and due `grace_days` after the student's programme
/// ends. The caller tells the student (`allocations::confirm`), or hands it over at once (a
/// swap). Call inside the confirming transaction.
pub fn open(
    conn: &mut DbConnection,
    settings: &LoanSettings,
    allocation: &crate::store::allocations::Allocation,
    actor: &str,
    today: NaiveDate,
) -> Result<loans::Loan, ApiError> {
    let request = requests::find_visible(conn, &allocation.request_id, None)?;
    let student = crate::store::students::find(conn, &request.student_id)?;
    let device = allocation.device_id.as_deref().map(|d| devices::find(conn, d)).transpose()?;
    let accessories = match &device {
        Some(d) => loan::accessories_to_hand_over(
            settings.checklist(&d.kind),
            &json_list::parse(&d.missing_accessories)?,
        ),
        None => vec![],
    };
    let now = store::now();
    let loan_id = store::new_id();
    let loan = loans::insert(
        conn,
        &loans::NewLoan {
            id: &loan_id,
            allocation_id: &allocation.id,
            request_id: &request.id,
            student_id: &student.id,
            school_id: &request.school_id,
            kind: &request.kind,
            product: request.product.as_deref(),
            device_id: allocation.device_id.as_deref(),
            licence_id: allocation.licence_id.as_deref(),
            hub_id: device.as_ref().and_then(|d| d.hub_id.as_deref()),
            state: "reserved",
            due_on: student.programme_end + chrono::Duration::days(settings.grace_days),
            pick_up_by: Some(today + chrono::Duration::days(settings.pick_up_days)),
            accessories: &json_list::to_text(&accessories),
            created_by: actor,
            created_at: now,
            updated_at: now,
        },
    )?;
    Ok(loan)
}

/// Staff take kit back: the loan is returned; a device goes to `returned` (next: inspection,
/// and for a laptop a new wipe before it is lent again) with any missing accessories noted on
/// it; a dongle's data plan is checked; a licence seat is freed at once.
pub fn return_loan(
    conn: &mut DbConnection,
    settings: &LoanSettings,
    loan_id: &str,
    actor: &str,
    r: &ReturnRecord,
    today: NaiveDate,
) -> Result<loans::Loan, ApiError> {
    close_returned(conn, settings, loan_id, actor, r, today, false)
}

/// `return_loan`, and the "thank you" mail unless `quietly` (a swap, with the student there).
pub fn close_returned(
    conn: &mut DbConnection,
    settings: &LoanSettings,
    loan_id: &str,
    actor: &str,
    r: &ReturnRecord,
    today: NaiveDate,
    quietly: bool,
) -> Result<loans::Loan, ApiError> {
    let l = loans::find(conn, loan_id)?;
    check(&l, LoanAction::Return)?;
    let handed_over = json_list::parse(&l.accessories)?;
    let missing = missing_at_return(&handed_over, r.accessories_returned.as_deref())
        .map_err(|e| ApiError::from(FieldError::from(e)))?;
    let now = store::now();
    if !loans::close_returned(conn, loan_id, r.condition.as_str(), &json_list::to_text(&missing), now)? {
        return Err(lost_race(conn, loan_id, LoanAction::Return));
    }
    let mut details = serde_json::json!({
        "condition": r.condition, "notes": r.notes, "missing_accessories": missing,
    });
    if let Some(device_id) = &l.device_id {
        let device = devices::find(conn, device_id)?;
        if device.kind == "wifi_dongle" {
            details["plan_check"] =
                serde_json::to_value(check_plan(device.plan_ends_on, today, settings.dongle_min_plan_days))
                    .map_err(|e| ApiError::internal(e.to_string()))?;
        }
        let mut device_details = details.clone();
        device_details["loan_id"] = loan_id.into();
        apply_loan_action(conn, device_id, actor, DeviceAction::Return, device_details)?;
        if !missing.is_empty() {
            let all = loan::merge_missing(&json_list::parse(&device.missing_accessories)?, &missing);
            devices::set_missing_accessories(conn, device_id, &json_list::to_text(&all), now)?;
        }
    }
    if let Some(licence) = &l.licence_id {
        licences::free_seat(conn, licence)?;
    }
    record(conn, loan_id, Some(actor), LoanAction::Return, details)?;
    let closed = loans::find(conn, loan_id)?;
    if quietly {
        return Ok(closed);
    }
    let thanks = serde_json::json!({ "date": messages::day(today), "missing": missing.join(", ") });
    messages::about_loan(conn, &closed, "returned", thanks, None)?;
    Ok(closed)
}

/// The kit is lost or stolen: the loan closes as lost, the device is marked lost.
pub fn report_lost(conn: &mut DbConnection, loan_id: &str, actor: &str) -> Result<loans::Loan, ApiError> {
    let l = loans::find(conn, loan_id)?;
    let Some(device) = &l.device_id else {
        return Err(ApiError::invalid("id", crate::phrase!("field-seat-not-lost")));
    };
    check(&l, LoanAction::ReportLost)?;
    if !loans::close(conn, loan_id, &["active"], "lost", store::now())? {
        return Err(lost_race(conn, loan_id, LoanAction::ReportLost));
    }
    let details = serde_json::json!({ "loan_id": loan_id });
    apply_loan_action(conn, device, actor, DeviceAction::ReportLost, details)?;
    record(conn, loan_id, Some(actor), LoanAction::ReportLost, serde_json::json!({}))?;
    Ok(loans::find(conn, loan_id)?)
}

/// Staff write the loan off: the kit will not come back. A device is retired, a seat freed.
pub fn write_off(conn: &mut DbConnection, loan_id: &str, actor: &str) -> Result<loans::Loan, ApiError> {
    let l = loans::find(conn, loan_id)?;
    check(&l, LoanAction::WriteOff)?;
    if !loans::close(conn, loan_id, &["active"], "written_off", store::now())? {
        return Err(lost_race(conn, loan_id, LoanAction::WriteOff));
    }
    if let Some(device) = &l.device_id {
        let details = serde_json::json!({ "loan_id": loan_id });
        apply_loan_action(conn, device, actor, DeviceAction::WriteOff, details)?;
    }
    if let Some(licence) = &l.licence_id {
        licences::free_seat(conn, licence)?;
    }
    record(conn, loan_id, Some(actor), LoanAction::WriteOff, serde_json::json!({}))?;
    Ok(loans::find(conn, loan_id)?)
}

/// The student accepts the loan agreement of `version`. Accepting twice keeps the first.
pub fn accept(
    conn: &mut DbConnection,
    loan_id: &str,
    actor: &str,
    version: &str,
) -> Result<loans::Loan, ApiError> {
    let l = loans::find(conn, loan_id)?;
    if l.accepted_at.is_some() {
        return Ok(l);
    }
    check(&l, LoanAction::Accept)?;
    if !loans::accept(conn, loan_id, version, store::now())? {
        return Err(lost_race(conn, loan_id, LoanAction::Accept));
    }
    record(
        conn,
        loan_id,
        Some(actor),
        LoanAction::Accept,
        serde_json::json!({ "agreement_version": version }),
    )?;
    Ok(loans::find(conn, loan_id)?)
}

/// Staff hand the kit over: the loan becomes active, the device goes on loan (with its history
/// event) and the request is fulfilled. Needs the student's acceptance first.
pub fn hand_over(
    conn: &mut DbConnection,
    settings: &crate::configuration::Settings,
    loan_id: &str,
    actor: &str,
) -> Result<loans::Loan, ApiError> {
    let l = loans::find(conn, loan_id)?;
    check(&l, LoanAction::Handover)?;
    let now = store::now();
    if !loans::hand_over(conn, loan_id, now)? {
        return Err(lost_race(conn, loan_id, LoanAction::Handover));
    }
    let accessories = json_list::parse(&l.accessories)?;
    if let Some(device) = &l.device_id {
        let details = serde_json::json!({ "loan_id": loan_id, "accessories": accessories });
        apply_loan_action(conn, device, actor, DeviceAction::HandOver, details)?;
        messages::donation_in_service(conn, settings, device)?;
    }
    requests::set_state(conn, &l.request_id, &["allocated"], "fulfilled", now)?;
    record(
        conn,
        loan_id,
        Some(actor),
        LoanAction::Handover,
        serde_json::json!({ "accessories": accessories }),
    )?;
    Ok(loans::find(conn, loan_id)?)
}

/// Staff set a new due date (which also answers a pending request from the student).
pub fn extend(
    conn: &mut DbConnection,
    loan_id: &str,
    actor: &str,
    due_on: NaiveDate,
    today: NaiveDate,
) -> Result<loans::Loan, ApiError> {
    let l = loans::find(conn, loan_id)?;
    check(&l, LoanAction::Extend)?;
    check_new_due_on(due_on, today).map_err(|e| ApiError::from(FieldError::from(e)))?;
    if !loans::set_due_on(conn, loan_id, due_on, store::now())? {
        return Err(lost_race(conn, loan_id, LoanAction::Extend));
    }
    let details = serde_json::json!({ "from": l.due_on, "to": due_on });
    record(conn, loan_id, Some(actor), LoanAction::Extend, details)?;
    let extended = loans::find(conn, loan_id)?;
    let news = serde_json::json!({ "approved": true, "answer": null });
    messages::about_loan(conn, &extended, "extension_decided", news, None)?;
    Ok(extended)
}

/// The student asks for a later due date; staff approve or refuse it.
pub fn request_extension(
    conn: &mut DbConnection,
    settings: &LoanSettings,
    loan_id: &str,
    actor: &str,
    due_on: NaiveDate,
    reason: Option<&str>,
    today: NaiveDate,
) -> Result<loans::Loan, ApiError> {
    let l = loans::find(conn, loan_id)?;
    check(&l, LoanAction::RequestExtension)?;
    check_extension_request(l.due_on, due_on, today, settings.max_extension_days)
        .map_err(|e| ApiError::from(FieldError::from(e)))?;
    if !loans::request_extension(conn, loan_id, due_on, reason, store::now())? {
        return Err(lost_race(conn, loan_id, LoanAction::RequestExtension));
    }
    // The reason is the student's own words: kept on the loan (erased with them), not copied.
    let details = serde_json::json!({ "from": l.due_on, "asked": due_on });
    record(conn, loan_id, Some(actor), LoanAction::RequestExtension, details)?;
    Ok(loans::find(conn, loan_id)?)
}

pub fn decide_extension(
    conn: &mut DbConnection,
    loan_id: &str,
    actor: &str,
    approve: bool,
    answer: Option<&str>,
) -> Result<loans::Loan, ApiError> {
    let action = if approve { LoanAction::ApproveExtension } else { LoanAction::RefuseExtension };
    let l = loans::find(conn, loan_id)?;
    check(&l, action)?;
    if !loans::decide_extension(conn, loan_id, approve, answer, store::now())? {
        return Err(lost_race(conn, loan_id, action));
    }
    let details = serde_json::json!({ "from": l.due_on, "asked": l.extension_due_on });
    record(conn, loan_id, Some(actor), action, details)?;
    let decided = loans::find(conn, loan_id)?;
    let news = serde_json::json!({ "approved": approve, "answer": answer });
    messages::about_loan(conn, &decided, "extension_decided", news, None)?;
    Ok(decided)
}

/// A reservation not picked up in time: the loan lapses, the device goes back to the pool,
/// the seat is freed and the request goes back to the queue, keeping its place. The lapsed
/// loan (`workflows::pool` offers its device on), or none if someone else got there first.
pub fn lapse(
    conn: &mut DbConnection,
    loan_id: &str,
    today: NaiveDate,
) -> Result<Option<loans::Loan>, ApiError> {
    let l = loans::find(conn, loan_id)?;
    if !loan::has_lapsed(facts(&l)?.state, l.pick_up_by, today) {
        return Ok(None);
    }
    let now = store::now();
    if !loans::close(conn, loan_id, &["reserved"], "lapsed", now)? {
        return Ok(None);
    }
    if let Some(device) = &l.device_id {
        let details = serde_json::json!({ "loan_id": loan_id, "note": "reservation not picked up in time" });
        apply_as_system(conn, device, DeviceAction::Release, details)?;
    }
    if let Some(licence) = &l.licence_id {
        licences::free_seat(conn, licence)?;
    }
    requests::set_state(conn, &l.request_id, &["allocated"], "pending", now)?;
    record(conn, loan_id, None, LoanAction::Lapse, serde_json::json!({ "pick_up_by": l.pick_up_by }))?;
    Ok(Some(l))
}

/// The student accepts the agreement of a loan they may see (`scope`): 404 for another's.
pub fn accept_visible(
    conn: &mut DbConnection,
    scope: &loans::LoanScope,
    loan_id: &str,
    actor: &str,
    version: &str,
) -> Result<loans::Loan, ApiError> {
    store::write_tx(conn, |conn| {
        loans::find_visible(conn, loan_id, scope)?;
        accept(conn, loan_id, actor, version)
    })
}

/// Reports the kit of a loan `scope` may see lost or stolen.
pub fn report_lost_visible(
    conn: &mut DbConnection,
    scope: &loans::LoanScope,
    loan_id: &str,
    actor: &str,
) -> Result<loans::Loan, ApiError> {
    store::write_tx(conn, |conn| {
        loans::find_visible(conn, loan_id, scope)?;
        report_lost(conn, loan_id, actor)
    })
}

/// A new due date for a loan `scope` may see: the student asks for it, staff set it.
#[allow(clippy::too_many_arguments)]
pub fn change_due_date(
    conn: &mut DbConnection,
    settings: &LoanSettings,
    scope: &loans::LoanScope,
    loan_id: &str,
    actor: &str,
    by_student: bool,
    due_on: NaiveDate,
    reason: Option<&str>,
    today: NaiveDate,
) -> Result<loans::Loan, ApiError> {
    store::write_tx(conn, |conn| {
        loans::find_visible(conn, loan_id, scope)?;
        if by_student {
            request_extension(conn, settings, loan_id, actor, due_on, reason, today)
        } else {
            extend(conn, loan_id, actor, due_on, today)
        }
    })
}

/// A device at the returns counter with the loan it is out on.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AtCounter {
    pub loan_id: String,
    pub device_id: String,
    pub asset_tag: String,
    pub model: String,
    pub due_on: NaiveDate,
    /// What was handed over with it, to tick off.
    pub accessories: Vec<String>,
    /// The class set it is out with (then `loan_id` is the set loan), if it is not a student's.
    pub class_set_id: Option<String>,
}

/// The active loan of the device whose tag or serial is `code`: 404 when no device has the
/// code or it is not out on a loan.
pub fn on_loan_by_code(conn: &mut DbConnection, code: &str) -> Result<AtCounter, ApiError> {
    let found = crate::workflows::devices::find_by_code(conn, code)?;
    for device in found {
        let filter = loans::LoanFilter {
            state: Some("active".into()),
            device_id: Some(device.id.clone()),
            ..Default::default()
        };
        if let Some(l) = loans::list(conn, &loans::LoanScope::default(), &filter, None, 1)?.into_iter().next()
        {
            return Ok(AtCounter {
                accessories: json_list::parse(&l.accessories)?,
                loan_id: l.id,
                device_id: device.id,
                asset_tag: device.asset_tag,
                model: device.model,
                due_on: l.due_on,
                class_set_id: None,
            });
        }
    }
    Err(ApiError::NotFound)
}

/// Kit taken back at the counter, in one transaction: the loan returned (missing accessories
/// recorded on the loan and the device) and the device looked at, so it waits in inspection.
/// The closed loan and the accessories that did not come back.
pub fn take_back(
    conn: &mut DbConnection,
    settings: &LoanSettings,
    loan_id: &str,
    actor: &str,
    r: &ReturnRecord,
    today: NaiveDate,
) -> Result<(loans::Loan, Vec<String>), ApiError> {
    store::write_tx(conn, |conn| {
        let closed = return_loan(conn, settings, loan_id, actor, r, today)?;
        if let Some(device) = &closed.device_id {
            let inspect = crate::workflows::devices::TransitionRequest::Inspect {
                accessories_replaced: None,
                note: r.notes.clone(),
            };
            crate::workflows::devices::apply(conn, device, actor, &inspect)?;
        }
        let missing = json_list::parse(&closed.missing_accessories)?;
        Ok((closed, missing))
    })
}
