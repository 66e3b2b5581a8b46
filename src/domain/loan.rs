//! The loan lifecycle as an explicit state machine, and the rules around it: accessories
//! handed over and checked back in, extensions, pick-up deadlines and a dongle's data plan.
//!
//! ```text
//! reserved ──handover (after accept)──→ active ──return──→ returned
//!    │                                    ├──report_lost──→ lost
//!    └──lapse (not picked up in time)──→ lapsed            ├──write_off──→ written_off
//!                                                          └──gift (offered, then accepted)──→ gifted
//! ```
//! `accept`, `extend` and the extension request change no state, only the loan's facts.
//! `overdue` is derived from the due date, never stored.

use std::collections::BTreeSet;

use super::phrase::Phrase;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoanState {
    /// Set aside at the hub for the student.
    Reserved,
    /// With the student.
    Active,
    /// Back at the hub.
    Returned,
    /// Lost or stolen.
    Lost,
    /// Will not come back.
    WrittenOff,
    /// Not picked up in time; the kit went back to the pool.
    Lapsed,
    /// The student keeps the device: a gift at the programme's end.
    Gifted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoanAction {
    /// The student accepts the loan agreement.
    Accept,
    /// Staff hand the kit over.
    Handover,
    /// Staff set a new due date.
    Extend,
    /// The student asks for a later due date.
    RequestExtension,
    /// Staff grant the student's request.
    ApproveExtension,
    /// Staff refuse the student's request.
    RefuseExtension,
    Return,
    ReportLost,
    WriteOff,
    /// The reservation was not picked up in time (housekeeping).
    Lapse,
    /// Staff offer the device as a gift.
    OfferGift,
    /// The student accepts the gift and its transfer text.
    AcceptGift,
    /// Answered "not used" in an in-use round: due back soon.
    Recall,
}

macro_rules! names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }
            pub fn parse(s: &str) -> Option<$ty> {
                match s { $($name => Some($ty::$variant),)+ _ => None }
            }
        }
    };
}

names!(LoanState {
    Reserved => "reserved", Active => "active", Returned => "returned", Lost => "lost",
    WrittenOff => "written_off", Lapsed => "lapsed", Gifted => "gifted",
});
names!(LoanAction {
    Accept => "accept", Handover => "handover", Extend => "extend",
    RequestExtension => "request_extension", ApproveExtension => "approve_extension",
    RefuseExtension => "refuse_extension", Return => "return", ReportLost => "report_lost",
    WriteOff => "write_off", Lapse => "lapse", OfferGift => "offer_gift", AcceptGift => "accept_gift",
    Recall => "recall",
});

impl LoanState {
    /// Reserved or active: the kit is promised to, or with, the student.
    pub fn is_open(self) -> bool {
        matches!(self, LoanState::Reserved | LoanState::Active)
    }
}

/// What the state machine needs to know of a loan besides its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoanFacts {
    pub state: LoanState,
    pub accepted: bool,
    pub extension_pending: bool,
    /// Staff offered the device as a gift.
    pub gift_offered: bool,
}

/// The step is not allowed now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IllegalLoanStep {
    pub state: LoanState,
    pub action: LoanAction,
    pub allowed_actions: Vec<LoanAction>,
}

/// The state `action` leads to, or why not.
pub fn transition(facts: LoanFacts, action: LoanAction) -> Result<LoanState, IllegalLoanStep> {
    next_state(facts, action).ok_or_else(|| IllegalLoanStep {
        state: facts.state,
        action,
        allowed_actions: allowed_actions(facts),
    })
}

/// Every action allowed now, in a fixed order.
pub fn allowed_actions(facts: LoanFacts) -> Vec<LoanAction> {
    LoanAction::ALL.iter().copied().filter(|a| next_state(facts, *a).is_some()).collect()
}

/// The actions people take directly (not the server's own `lapse`, nor `recall`, which an
/// in-use answer does): what views and refusals list.
pub fn user_actions(facts: LoanFacts) -> Vec<LoanAction> {
    allowed_actions(facts)
        .into_iter()
        .filter(|a| !matches!(a, LoanAction::Lapse | LoanAction::Recall))
        .collect()
}

fn next_state(f: LoanFacts, action: LoanAction) -> Option<LoanState> {
    use LoanAction as A;
    use LoanState as S;
    let next = match (f.state, action) {
        (S::Reserved, A::Accept) if !f.accepted => S::Reserved,
        // Hand-over needs the student's acceptance of the agreement.
        (S::Reserved, A::Handover) if f.accepted => S::Active,
        (S::Reserved | S::Active, A::Extend) => f.state,
        (S::Active, A::RequestExtension) if !f.extension_pending => S::Active,
        (S::Reserved | S::Active, A::ApproveExtension | A::RefuseExtension) if f.extension_pending => f.state,
        (S::Active, A::Return) => S::Returned,
        (S::Active, A::ReportLost) => S::Lost,
        (S::Active, A::WriteOff) => S::WrittenOff,
        (S::Reserved, A::Lapse) => S::Lapsed,
        (S::Active, A::OfferGift) if !f.gift_offered => S::Active,
        (S::Active, A::AcceptGift) if f.gift_offered => S::Gifted,
        (S::Active, A::Recall) => S::Active,
        _ => return None,
    };
    Some(next)
}

/// Open and past its due date.
pub fn is_overdue(state: LoanState, due_on: NaiveDate, today: NaiveDate) -> bool {
    state.is_open() && due_on < today
}

/// A reservation lapses once the day to pick it up by has passed.
pub fn has_lapsed(state: LoanState, pick_up_by: Option<NaiveDate>, today: NaiveDate) -> bool {
    state == LoanState::Reserved && pick_up_by.is_some_and(|d| d < today)
}

/// A rule about a loan's facts was broken: which field, and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanRuleError {
    pub field: &'static str,
    pub message: Phrase,
}

fn rule(field: &'static str, message: Phrase) -> LoanRuleError {
    LoanRuleError { field, message }
}

impl From<LoanRuleError> for super::FieldError {
    fn from(e: LoanRuleError) -> super::FieldError {
        super::FieldError::new(e.field, e.message)
    }
}

/// The accessories handed over with a device: its kind's checklist less what the device is
/// known to be missing.
pub fn accessories_to_hand_over(checklist: &[String], missing_on_device: &[String]) -> Vec<String> {
    checklist.iter().filter(|a| !missing_on_device.contains(a)).cloned().collect()
}

/// Checks the accessories ticked off at a return against those handed over; answers the
/// missing ones. Each must be ticked or left out on purpose, so an empty list is only
/// accepted when nothing was handed over or it is given explicitly.
pub fn missing_at_return(
    handed_over: &[String],
    returned: Option<&[String]>,
) -> Result<Vec<String>, LoanRuleError> {
    let Some(returned) = returned else {
        if handed_over.is_empty() {
            return Ok(vec![]);
        }
        return Err(rule(
            "accessories_returned",
            crate::phrase!("field-tick-accessories", items = handed_over.join(", ")),
        ));
    };
    if let Some(unknown) = returned.iter().find(|a| !handed_over.contains(a)) {
        let phrase = match handed_over {
            [] => crate::phrase!("field-accessory-not-lent-none", item = unknown.as_str()),
            _ => crate::phrase!(
                "field-accessory-not-lent",
                item = unknown.as_str(),
                items = handed_over.join(", ")
            ),
        };
        return Err(rule("accessories_returned", phrase));
    }
    let back: BTreeSet<&String> = returned.iter().collect();
    Ok(handed_over.iter().filter(|a| !back.contains(a)).cloned().collect())
}

/// Adds newly missing accessories to what a device already lacks, without repeats.
pub fn merge_missing(already: &[String], now_missing: &[String]) -> Vec<String> {
    let mut all: Vec<String> = already.to_vec();
    for a in now_missing {
        if !all.contains(a) {
            all.push(a.clone());
        }
    }
    all
}

/// A new due date set by staff: today or later.
pub fn check_new_due_on(new_due_on: NaiveDate, today: NaiveDate) -> Result<(), LoanRuleError> {
    if new_due_on < today {
        return Err(rule("due_on", crate::phrase!("field-today-or-later")));
    }
    Ok(())
}

/// A due date a student asks for: later than the current one, by at most `max_days`.
pub fn check_extension_request(
    current_due_on: NaiveDate,
    asked: NaiveDate,
    today: NaiveDate,
    max_days: i64,
) -> Result<(), LoanRuleError> {
    check_new_due_on(asked, today)?;
    if asked <= current_due_on {
        return Err(rule("due_on", crate::phrase!("field-after-due-date", day = current_due_on.to_string())));
    }
    let limit = current_due_on + chrono::Duration::days(max_days);
    if asked > limit {
        return Err(rule(
            "due_on",
            crate::phrase!("field-extension-limit", days = max_days, day = limit.to_string()),
        ));
    }
    Ok(())
}

/// Where a dongle's data plan stands when it comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "plan", rename_all = "snake_case")]
pub enum PlanCheck {
    /// Long enough left for another loan.
    Ok,
    /// Ends within `min_days`: renew before lending again.
    EndsSoon { ends_on: NaiveDate },
    /// Already ended.
    Ended { ends_on: NaiveDate },
    /// No end date known.
    Unknown,
}

pub fn check_plan(plan_ends_on: Option<NaiveDate>, today: NaiveDate, min_days: i64) -> PlanCheck {
    match plan_ends_on {
        None => PlanCheck::Unknown,
        Some(ends_on) if ends_on < today => PlanCheck::Ended { ends_on },
        Some(ends_on) if ends_on < today + chrono::Duration::days(min_days) => {
            PlanCheck::EndsSoon { ends_on }
        }
        Some(_) => PlanCheck::Ok,
    }
}

impl PlanCheck {
    /// Whether the dongle may go back into the pool as it is.
    pub fn lendable(self) -> bool {
        matches!(self, PlanCheck::Ok | PlanCheck::Unknown)
    }
}

/// The pick-up code in the "ready" mail, which the student shows at the counter: the last 8
/// characters of the loan's id (its random part), as `A1B2-C3D4`. Short enough to read out,
/// and staff find the loan by it without the student's name.
pub fn pick_up_code(loan_id: &str) -> String {
    let tail: String = loan_id.chars().filter(char::is_ascii_hexdigit).collect();
    let tail = tail.get(tail.len().saturating_sub(8)..).unwrap_or("").to_ascii_uppercase();
    match tail.split_at_checked(4) {
        Some((a, b)) => format!("{a}-{b}"),
        None => tail,
    }
}

/// What a person typed as a pick-up code (`a1b2 c3d4`, `A1B2-C3D4`), as the lower-case end of a
/// loan id; `None` when it cannot be one.
pub fn parse_pick_up_code(typed: &str) -> Option<String> {
    let code: String = typed.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    (code.len() == 8 && code.chars().all(|c| c.is_ascii_hexdigit())).then(|| code.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use LoanAction as A;
    use LoanState as S;

    fn facts(state: S, accepted: bool, extension_pending: bool) -> LoanFacts {
        LoanFacts { state, accepted, extension_pending, gift_offered: false }
    }

    /// The whole table, written out: every (state, accepted, pending, action) → next state
    /// that is allowed, and the gift's two steps. Every combination not listed must be refused.
    fn expected(f: LoanFacts, action: A) -> Option<S> {
        match (f.state, action) {
            (S::Active, A::OfferGift) => return (!f.gift_offered).then_some(S::Active),
            (S::Active, A::AcceptGift) => return f.gift_offered.then_some(S::Gifted),
            (_, A::OfferGift | A::AcceptGift) => return None,
            _ => {}
        }
        /// (state, accepted, extension pending, action, next); `None`: either value.
        type Row = (S, Option<bool>, Option<bool>, A, S);
        let table: &[Row] = &[
            (S::Reserved, Some(false), None, A::Accept, S::Reserved),
            (S::Reserved, Some(true), None, A::Handover, S::Active),
            (S::Reserved, None, None, A::Extend, S::Reserved),
            (S::Reserved, None, Some(true), A::ApproveExtension, S::Reserved),
            (S::Reserved, None, Some(true), A::RefuseExtension, S::Reserved),
            (S::Reserved, None, None, A::Lapse, S::Lapsed),
            (S::Active, None, None, A::Extend, S::Active),
            (S::Active, None, Some(false), A::RequestExtension, S::Active),
            (S::Active, None, Some(true), A::ApproveExtension, S::Active),
            (S::Active, None, Some(true), A::RefuseExtension, S::Active),
            (S::Active, None, None, A::Return, S::Returned),
            (S::Active, None, None, A::ReportLost, S::Lost),
            (S::Active, None, None, A::WriteOff, S::WrittenOff),
            (S::Active, None, None, A::Recall, S::Active),
        ];
        table
            .iter()
            .find(|(s, acc, pend, a, _)| {
                *s == f.state
                    && *a == action
                    && acc.is_none_or(|v| v == f.accepted)
                    && pend.is_none_or(|v| v == f.extension_pending)
            })
            .map(|(.., next)| *next)
    }

    #[test]
    fn every_state_fact_and_action_is_allowed_or_refused_as_the_table_says() {
        let mut checked = 0;
        for state in S::ALL {
            for accepted in [false, true] {
                for pending in [false, true] {
                    for gift_offered in [false, true] {
                        let f = LoanFacts { gift_offered, ..facts(*state, accepted, pending) };
                        for action in A::ALL {
                            match expected(f, *action) {
                                Some(next) => {
                                    assert_eq!(transition(f, *action), Ok(next), "{f:?} {action:?}")
                                }
                                None => {
                                    let err = transition(f, *action).expect_err("refused");
                                    assert_eq!(err.state, *state);
                                    assert!(!err.allowed_actions.contains(action));
                                    assert_eq!(err.allowed_actions, allowed_actions(f));
                                }
                            }
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 7 * 2 * 2 * 2 * 13);
    }

    #[test]
    fn closed_loans_allow_nothing() {
        for state in [S::Returned, S::Lost, S::WrittenOff, S::Lapsed, S::Gifted] {
            assert!(!state.is_open());
            assert!(allowed_actions(facts(state, true, true)).is_empty());
            let offered = LoanFacts { gift_offered: true, ..facts(state, true, false) };
            assert!(allowed_actions(offered).is_empty());
        }
    }

    #[test]
    fn the_loop_from_reservation_to_return() {
        let mut f = facts(S::Reserved, false, false);
        assert!(transition(f, A::Handover).is_err(), "no hand-over before acceptance");
        f.state = transition(f, A::Accept).expect("accept");
        f.accepted = true;
        assert!(transition(f, A::Accept).is_err(), "accepted once");
        f.state = transition(f, A::Handover).expect("hand over");
        assert_eq!(f.state, S::Active);
        assert_eq!(transition(f, A::Return), Ok(S::Returned));
    }

    #[test]
    fn a_gift_is_offered_once_and_the_student_may_still_bring_the_kit_back() {
        let mut f =
            LoanFacts { state: S::Active, accepted: true, extension_pending: false, gift_offered: false };
        assert!(transition(f, A::AcceptGift).is_err(), "nothing to accept before an offer");
        assert_eq!(transition(f, A::OfferGift), Ok(S::Active));
        f.gift_offered = true;
        assert!(transition(f, A::OfferGift).is_err(), "offered once");
        assert_eq!(transition(f, A::Return), Ok(S::Returned));
        assert_eq!(transition(f, A::AcceptGift), Ok(S::Gifted));
        assert!(
            transition(LoanFacts { state: S::Reserved, ..f }, A::OfferGift).is_err(),
            "not before hand-over"
        );
    }

    #[test]
    fn overdue_and_lapse_are_derived_from_dates() {
        let d = |day| NaiveDate::from_ymd_opt(2027, 1, day).expect("date");
        assert!(is_overdue(S::Active, d(1), d(2)));
        assert!(!is_overdue(S::Active, d(2), d(2)), "due today is not overdue");
        assert!(!is_overdue(S::Returned, d(1), d(9)));
        assert!(has_lapsed(S::Reserved, Some(d(1)), d(2)));
        assert!(!has_lapsed(S::Reserved, Some(d(2)), d(2)), "the last day to pick up still counts");
        assert!(!has_lapsed(S::Active, Some(d(1)), d(9)));
        assert!(!has_lapsed(S::Reserved, None, d(9)));
    }

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn accessories_missing_on_the_device_are_not_handed_over_again() {
        assert_eq!(
            accessories_to_hand_over(&v(&["charger", "bag", "mouse"]), &v(&["bag"])),
            v(&["charger", "mouse"])
        );
        assert_eq!(merge_missing(&v(&["bag"]), &v(&["bag", "mouse"])), v(&["bag", "mouse"]));
    }

    #[test]
    fn a_return_ticks_off_each_accessory() {
        let handed = v(&["charger", "bag"]);
        assert_eq!(missing_at_return(&handed, Some(&v(&["charger"]))), Ok(v(&["bag"])));
        assert_eq!(missing_at_return(&handed, Some(&v(&["bag", "charger"]))), Ok(vec![]));
        assert_eq!(missing_at_return(&handed, Some(&[])), Ok(handed.clone()));
        let unticked = missing_at_return(&handed, None).expect_err("must tick off");
        assert_eq!(unticked.message, crate::phrase!("field-tick-accessories", items = "charger, bag"));
        let unknown = missing_at_return(&handed, Some(&v(&["sim"]))).expect_err("not handed over");
        assert_eq!(
            unknown.message,
            crate::phrase!("field-accessory-not-lent", item = "sim", items = "charger, bag")
        );
        assert_eq!(missing_at_return(&[], None), Ok(vec![]));
    }

    #[test]
    fn extension_requests_must_be_later_and_within_the_limit() {
        let d = |m, day| NaiveDate::from_ymd_opt(2027, m, day).expect("date");
        let (due, today) = (d(6, 30), d(6, 1));
        assert!(check_extension_request(due, d(7, 31), today, 90).is_ok());
        assert!(check_extension_request(due, d(9, 28), today, 90).is_ok());
        assert!(check_extension_request(due, d(9, 29), today, 90)
            .expect_err("too far")
            .message
            .args
            .contains(&("days", 90.into())));
        assert!(check_extension_request(due, due, today, 90).is_err());
        assert!(check_extension_request(due, d(5, 1), today, 90).is_err());
        assert!(check_new_due_on(d(5, 31), today).is_err());
        assert!(check_new_due_on(today, today).is_ok());
    }

    #[test]
    fn a_dongle_plan_needs_time_left_for_another_loan() {
        let d = |m, day| NaiveDate::from_ymd_opt(2027, m, day).expect("date");
        let today = d(3, 1);
        assert_eq!(check_plan(None, today, 30), PlanCheck::Unknown);
        assert_eq!(check_plan(Some(d(2, 28)), today, 30), PlanCheck::Ended { ends_on: d(2, 28) });
        assert_eq!(check_plan(Some(d(3, 30)), today, 30), PlanCheck::EndsSoon { ends_on: d(3, 30) });
        assert_eq!(check_plan(Some(d(3, 31)), today, 30), PlanCheck::Ok);
        assert!(check_plan(Some(d(3, 31)), today, 30).lendable());
        assert!(!check_plan(Some(d(3, 30)), today, 30).lendable());
    }

    #[test]
    fn names_round_trip() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(*s));
        }
        for a in A::ALL {
            assert_eq!(A::parse(a.as_str()), Some(*a));
        }
    }
    #[test]
    fn a_pick_up_code_is_read_back_to_the_end_of_its_loan_id() {
        let id = "0190a3f2-7c1e-7b2a-9d4e-5f6a1b2c3d4e";
        assert_eq!(pick_up_code(id), "1B2C-3D4E");
        assert_eq!(parse_pick_up_code(&pick_up_code(id)).as_deref(), Some("1b2c3d4e"));
        assert!(id.ends_with(&parse_pick_up_code(" 1b2c 3d4e").unwrap_or_default()));
        for not_a_code in ["", "1B2C-3D4", "1B2C-3D4EF", "XYZW-3D4E", "Ayla de Vries"] {
            assert_eq!(parse_pick_up_code(not_a_code), None, "{not_a_code}");
        }
    }
}
