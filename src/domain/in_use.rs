//! "Still in use?" rounds: the four answers, what each does to a loan, when the server opens
//! the next round, and which checks are late. Pure rules; `workflows::in_use` applies them.

use chrono::{Months, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What the student (or their coordinator, or staff) says about kit on loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InUseAnswer {
    /// Used for the course: nothing changes.
    InUse,
    /// Not used: the kit is recalled so another student can have it.
    NotUsed,
    /// It broke: a fault report opens and staff swap it.
    Broken,
    /// Lost or stolen: the loan closes as lost.
    Gone,
}

impl InUseAnswer {
    pub const ALL: [InUseAnswer; 4] =
        [InUseAnswer::InUse, InUseAnswer::NotUsed, InUseAnswer::Broken, InUseAnswer::Gone];

    pub fn as_str(self) -> &'static str {
        match self {
            InUseAnswer::InUse => "in_use",
            InUseAnswer::NotUsed => "not_used",
            InUseAnswer::Broken => "broken",
            InUseAnswer::Gone => "gone",
        }
    }

    pub fn parse(s: &str) -> Option<InUseAnswer> {
        InUseAnswer::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// A licence seat cannot break or be lost: only devices can.
    pub fn fits_a_seat(self) -> bool {
        matches!(self, InUseAnswer::InUse | InUseAnswer::NotUsed)
    }
}

/// The due date of recalled kit: `recall_days` from today, or the old date if that is sooner.
pub fn recall_due_on(due_on: NaiveDate, today: NaiveDate, recall_days: i64) -> NaiveDate {
    due_on.min(today + chrono::Duration::days(recall_days))
}

/// Whether the server opens a round now: `every_months` after the last round, or after the
/// first hand-over of kit still out when there has been no round. Never when `every_months`
/// is 0 or nothing is on loan.
pub fn round_due(
    last_round: Option<NaiveDateTime>,
    first_hand_over: Option<NaiveDateTime>,
    every_months: u32,
    now: NaiveDateTime,
) -> bool {
    if every_months == 0 {
        return false;
    }
    let Some(since) = last_round.or(first_hand_over) else {
        return false;
    };
    since.checked_add_months(Months::new(every_months)).is_some_and(|at| at <= now)
}

/// A check still without an answer `unanswered_days` after its round opened: on staff's list.
pub fn is_late(opened_at: NaiveDateTime, answered: bool, now: NaiveDateTime, unanswered_days: i64) -> bool {
    !answered && opened_at + chrono::Duration::days(unanswered_days) <= now
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).expect("date").and_hms_opt(9, 0, 0).expect("time")
    }

    #[test]
    fn answers_have_stable_names_and_only_two_fit_a_seat() {
        for a in InUseAnswer::ALL {
            assert_eq!(InUseAnswer::parse(a.as_str()), Some(a));
            assert_eq!(serde_json::to_value(a).expect("json"), a.as_str());
        }
        assert_eq!(InUseAnswer::parse("maybe"), None);
        let seat: Vec<_> = InUseAnswer::ALL.into_iter().filter(|a| a.fits_a_seat()).collect();
        assert_eq!(seat, [InUseAnswer::InUse, InUseAnswer::NotUsed]);
    }

    #[test]
    fn recalled_kit_is_due_in_the_recall_days_or_sooner() {
        let today = NaiveDate::from_ymd_opt(2027, 3, 1).expect("date");
        let later = NaiveDate::from_ymd_opt(2027, 9, 1).expect("date");
        let sooner = NaiveDate::from_ymd_opt(2027, 3, 5).expect("date");
        assert_eq!(recall_due_on(later, today, 14), NaiveDate::from_ymd_opt(2027, 3, 15).expect("date"));
        assert_eq!(recall_due_on(sooner, today, 14), sooner);
        assert_eq!(recall_due_on(later, today, 0), today);
    }

    #[test]
    fn the_server_opens_a_round_every_months_after_the_last_or_the_first_hand_over() {
        let now = at(2027, 7, 1);
        assert!(round_due(Some(at(2027, 1, 1)), None, 6, now), "six months on");
        assert!(!round_due(Some(at(2027, 1, 2)), None, 6, now), "a day short");
        assert!(round_due(None, Some(at(2026, 12, 1)), 6, now), "no round yet: from the first hand-over");
        assert!(!round_due(None, Some(at(2027, 6, 1)), 6, now));
        assert!(
            !round_due(Some(at(2027, 6, 1)), Some(at(2020, 1, 1)), 6, now),
            "the last round counts first"
        );
        assert!(!round_due(None, None, 6, now), "nothing on loan");
        assert!(!round_due(Some(at(2020, 1, 1)), None, 0, now), "0: only staff open rounds");
    }

    #[test]
    fn a_check_is_late_once_the_unanswered_days_have_passed_without_an_answer() {
        let opened = at(2027, 3, 1);
        assert!(!is_late(opened, false, at(2027, 3, 14), 14));
        assert!(is_late(opened, false, at(2027, 3, 15), 14));
        assert!(!is_late(opened, true, at(2027, 4, 1), 14), "answered is never late");
    }
}
