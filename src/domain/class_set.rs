//! Class sets: a school borrows several devices for one course.
//!
//! ```text
//! requested → offered (devices reserved, maybe fewer than asked; topped up later)
//!           → accepted (the school accepted the set agreement) → on_loan → returned
//! requested | offered | accepted → cancelled (the reserved kit goes back to the pool)
//! ```
//! Each device of a set is a set loan: reserved, then active from the hand-over, then closed
//! on its own (returned, lost or written off). The set is returned when every loan is closed.
//! Waiting students come first: the store picks only kit no waiting request can take.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::device::{DeviceKind, Grade};
use super::{phrase, BoundedText, FieldError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClassSetState {
    /// Asked for by the school; nothing reserved yet.
    Requested,
    /// Devices reserved for it, maybe fewer than asked.
    Offered,
    /// The school accepted the set agreement: ready to pick up.
    Accepted,
    /// At the school.
    OnLoan,
    /// Every device back, lost or written off.
    Returned,
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClassSetAction {
    Offer,
    Accept,
    HandOver,
    Return,
    Cancel,
}

/// One device's loan within a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SetLoanState {
    /// Held for the set.
    Reserved,
    /// At the school.
    Active,
    Returned,
    Lost,
    WrittenOff,
    /// Given back to the pool before the hand-over.
    Released,
}

impl ClassSetState {
    pub const ALL: [ClassSetState; 6] = [
        ClassSetState::Requested,
        ClassSetState::Offered,
        ClassSetState::Accepted,
        ClassSetState::OnLoan,
        ClassSetState::Returned,
        ClassSetState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClassSetState::Requested => "requested",
            ClassSetState::Offered => "offered",
            ClassSetState::Accepted => "accepted",
            ClassSetState::OnLoan => "on_loan",
            ClassSetState::Returned => "returned",
            ClassSetState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<ClassSetState> {
        ClassSetState::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Still open: the course name cannot be used for another set of the school.
    pub fn is_open(self) -> bool {
        !matches!(self, ClassSetState::Returned | ClassSetState::Cancelled)
    }
}

impl ClassSetAction {
    pub const ALL: [ClassSetAction; 5] = [
        ClassSetAction::Offer,
        ClassSetAction::Accept,
        ClassSetAction::HandOver,
        ClassSetAction::Return,
        ClassSetAction::Cancel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClassSetAction::Offer => "offer",
            ClassSetAction::Accept => "accept",
            ClassSetAction::HandOver => "handover",
            ClassSetAction::Return => "return",
            ClassSetAction::Cancel => "cancel",
        }
    }
}

impl SetLoanState {
    pub const ALL: [SetLoanState; 6] = [
        SetLoanState::Reserved,
        SetLoanState::Active,
        SetLoanState::Returned,
        SetLoanState::Lost,
        SetLoanState::WrittenOff,
        SetLoanState::Released,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SetLoanState::Reserved => "reserved",
            SetLoanState::Active => "active",
            SetLoanState::Returned => "returned",
            SetLoanState::Lost => "lost",
            SetLoanState::WrittenOff => "written_off",
            SetLoanState::Released => "released",
        }
    }

    pub fn parse(s: &str) -> Option<SetLoanState> {
        SetLoanState::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The step is not allowed in the set's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IllegalSetStep {
    pub state: ClassSetState,
    pub action: ClassSetAction,
    pub allowed_actions: Vec<ClassSetAction>,
}

/// The state `action` leads to from `state`. A return keeps the set on loan: whether it is
/// back is for [`all_closed`] to say. Offering again tops the set up and keeps an acceptance.
fn next_state(state: ClassSetState, action: ClassSetAction) -> Option<ClassSetState> {
    use ClassSetAction as A;
    use ClassSetState as S;
    Some(match (state, action) {
        (S::Requested | S::Offered, A::Offer) => S::Offered,
        (S::Accepted, A::Offer) => S::Accepted,
        (S::Offered | S::Accepted, A::Accept) => S::Accepted,
        (S::Accepted, A::HandOver) => S::OnLoan,
        (S::OnLoan, A::Return) => S::OnLoan,
        (S::Requested | S::Offered | S::Accepted, A::Cancel) => S::Cancelled,
        _ => return None,
    })
}

/// The state `action` leads to, or why not.
pub fn transition(state: ClassSetState, action: ClassSetAction) -> Result<ClassSetState, IllegalSetStep> {
    next_state(state, action).ok_or_else(|| IllegalSetStep {
        state,
        action,
        allowed_actions: ClassSetAction::ALL
            .into_iter()
            .filter(|a| next_state(state, *a).is_some())
            .collect(),
    })
}

/// The limits the settings put on a set.
#[derive(Debug, Clone, Copy)]
pub struct SetLimits {
    pub max_count: i32,
    pub max_weeks: i64,
}

/// What a coordinator asks for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClassSet {
    pub kind: DeviceKind,
    pub count: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub course: String,
}

/// The most a course name may hold.
pub const COURSE_MAX: usize = 100;

/// Checks a set as asked for, every field at once: `count` 1 to the maximum, the first day
/// today or later, the last day after the first and at most `max_weeks` after it, a course name.
pub fn parse_new(
    kind: DeviceKind,
    count: i64,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    course: &str,
    limits: SetLimits,
    today: NaiveDate,
) -> Result<NewClassSet, Vec<FieldError>> {
    let mut errors = Vec::new();
    let max = i64::from(limits.max_count);
    if !(1..=max).contains(&count) {
        errors.push(FieldError::new("count", crate::phrase!("field-between", min = 1, max = max)));
    }
    if starts_on < today {
        errors.push(FieldError::new("starts_on", crate::phrase!("field-today-or-later")));
    }
    if ends_on <= starts_on {
        errors.push(FieldError::new("ends_on", crate::phrase!("field-set-ends-after-start")));
    } else if ends_on > starts_on + chrono::Duration::weeks(limits.max_weeks) {
        errors
            .push(FieldError::new("ends_on", crate::phrase!("field-set-too-long", weeks = limits.max_weeks)));
    }
    let course = course.split_whitespace().collect::<Vec<_>>().join(" ");
    let course = match BoundedText::parse("course", &course, COURSE_MAX) {
        Ok(text) => Some(text.into_inner()),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    match course {
        Some(course) if errors.is_empty() => Ok(NewClassSet {
            kind,
            count: i32::try_from(count).unwrap_or(i32::MAX),
            starts_on,
            ends_on,
            course,
        }),
        _ => Err(errors),
    }
}

/// The course name as the one-open-set rule compares it: single spaces, lower case.
pub fn course_key(course: &str) -> String {
    course.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A free device that could go into a set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub hub: String,
    pub grade: Option<Grade>,
}

/// The devices a set gets, at most `want`, best first, the way matching weighs them: those
/// at the set's hub before those a travel cost away (cheapest first), then the better grade
/// (its matching cost), then the oldest id. Devices at a hub with no travel cost to the set's
/// hub are left out.
pub fn pick(
    candidates: &[Candidate],
    set_hub: &str,
    travel: &[(String, String, i32)],
    grade_cost: &BTreeMap<Grade, i64>,
    want: usize,
) -> Vec<String> {
    let cost_to = |hub: &str| -> Option<i64> {
        if hub == set_hub {
            return Some(0);
        }
        travel
            .iter()
            .filter(|(a, b, _)| (a == hub && b == set_hub) || (a == set_hub && b == hub))
            .map(|(_, _, c)| i64::from(*c))
            .min()
    };
    let mut ranked: Vec<(i64, i64, &str)> = candidates
        .iter()
        .filter_map(|c| {
            let travel = cost_to(&c.hub)?;
            let grade = c.grade.and_then(|g| grade_cost.get(&g).copied()).unwrap_or(i64::MAX / 4);
            Some((travel, grade, c.id.as_str()))
        })
        .collect();
    ranked.sort();
    ranked.into_iter().take(want).map(|(_, _, id)| id.to_owned()).collect()
}

/// Why an offer found fewer devices than the set still needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortfall {
    /// How many more the set needs.
    pub short: usize,
    /// Free devices kept back because waiting students can take them.
    pub kept_for_students: usize,
}

impl Shortfall {
    /// The reason, in a phrase; none when nothing is short.
    pub fn phrase(self) -> Option<phrase::Phrase> {
        match (self.short, self.kept_for_students) {
            (0, _) => None,
            (short, 0) => Some(crate::phrase!("class-set-short-pool", short = short)),
            (short, kept) => Some(crate::phrase!("class-set-short-students", short = short, kept = kept)),
        }
    }
}

/// The devices of a set on loan that are still out, once some are back or the course is over:
/// what the coordinator must still bring. Empty while the whole set is out and not yet due.
pub fn missing(
    state: ClassSetState,
    loans: &[(String, SetLoanState)],
    ends_on: NaiveDate,
    today: NaiveDate,
) -> Vec<&str> {
    if state != ClassSetState::OnLoan {
        return vec![];
    }
    let out: Vec<&str> =
        loans.iter().filter(|(_, s)| *s == SetLoanState::Active).map(|(id, _)| id.as_str()).collect();
    let some_back = loans.iter().any(|(_, s)| matches!(s, SetLoanState::Returned));
    if some_back || today > ends_on {
        out
    } else {
        vec![]
    }
}

/// Every device of the set is back, lost or written off (and there was at least one).
pub fn all_closed(loans: &[SetLoanState]) -> bool {
    let lent: Vec<&SetLoanState> = loans.iter().filter(|s| **s != SetLoanState::Released).collect();
    !lent.is_empty()
        && lent
            .iter()
            .all(|s| matches!(s, SetLoanState::Returned | SetLoanState::Lost | SetLoanState::WrittenOff))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, day).expect("date")
    }

    const LIMITS: SetLimits = SetLimits { max_count: 40, max_weeks: 26 };

    #[test]
    fn a_set_moves_from_request_to_loan_and_cancels_only_before_the_hand_over() {
        use ClassSetAction as A;
        use ClassSetState as S;
        assert_eq!(transition(S::Requested, A::Offer), Ok(S::Offered));
        assert_eq!(transition(S::Offered, A::Offer), Ok(S::Offered), "topped up");
        assert_eq!(transition(S::Accepted, A::Offer), Ok(S::Accepted), "topping up keeps the acceptance");
        assert_eq!(transition(S::Offered, A::Accept), Ok(S::Accepted));
        assert_eq!(transition(S::Accepted, A::Accept), Ok(S::Accepted), "accepting twice");
        assert_eq!(transition(S::Accepted, A::HandOver), Ok(S::OnLoan));
        assert_eq!(transition(S::OnLoan, A::Return), Ok(S::OnLoan));
        for s in [S::Requested, S::Offered, S::Accepted] {
            assert_eq!(transition(s, A::Cancel), Ok(S::Cancelled));
        }
        let e = transition(S::Requested, A::Accept).expect_err("nothing to accept yet");
        assert_eq!(e.allowed_actions, vec![A::Offer, A::Cancel]);
        assert_eq!(transition(S::Offered, A::HandOver).expect_err("not accepted").state, S::Offered);
        for s in [S::OnLoan, S::Returned, S::Cancelled] {
            assert!(transition(s, A::Cancel).is_err(), "{s:?}");
            assert!(transition(s, A::Offer).is_err(), "{s:?}");
        }
        assert!(transition(S::Returned, A::Return).is_err());
        assert_eq!(transition(S::Cancelled, A::Return).expect_err("closed").allowed_actions, vec![]);
    }

    #[test]
    fn every_state_and_loan_state_reads_back_from_its_name() {
        for s in ClassSetState::ALL {
            assert_eq!(ClassSetState::parse(s.as_str()), Some(s));
        }
        for s in SetLoanState::ALL {
            assert_eq!(SetLoanState::parse(s.as_str()), Some(s));
        }
        assert_eq!(ClassSetState::parse("lent"), None);
        assert!(ClassSetState::Accepted.is_open() && !ClassSetState::Cancelled.is_open());
    }

    #[test]
    fn a_good_request_is_taken_with_its_course_name_tidied() {
        let set =
            parse_new(DeviceKind::Laptop, 16, d(2, 1), d(4, 12), "  Coding   basics ", LIMITS, d(1, 10))
                .expect("valid");
        assert_eq!(set.count, 16);
        assert_eq!(set.course, "Coding basics");
        assert_eq!(course_key(" CODING  Basics"), "coding basics");
        let today = parse_new(DeviceKind::WifiDongle, 1, d(1, 10), d(1, 11), "x", LIMITS, d(1, 10));
        assert!(today.is_ok(), "a course may start today");
        let longest = parse_new(
            DeviceKind::Laptop,
            40,
            d(1, 10),
            d(1, 10) + chrono::Duration::weeks(26),
            "x",
            LIMITS,
            d(1, 10),
        );
        assert!(longest.is_ok(), "exactly the longest course");
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let errors =
            parse_new(DeviceKind::Laptop, 41, d(1, 9), d(1, 9), " ", LIMITS, d(1, 10)).expect_err("bad");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["count", "starts_on", "ends_on", "course"]);
        let errors = parse_new(DeviceKind::Laptop, 0, d(1, 10), d(7, 12), &"x".repeat(101), LIMITS, d(1, 10))
            .expect_err("bad");
        let keys: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.message.id)).collect();
        assert_eq!(
            keys,
            [
                ("count", "field-between"),
                ("ends_on", "field-set-too-long"),
                ("course", "field-at-most-chars")
            ]
        );
        assert!(parse_new(DeviceKind::Laptop, -3, d(1, 10), d(2, 1), "x", LIMITS, d(1, 10)).is_err());
    }

    fn c(id: &str, hub: &str, grade: Grade) -> Candidate {
        Candidate { id: id.into(), hub: hub.into(), grade: Some(grade) }
    }

    #[test]
    fn the_set_gets_kit_at_its_own_hub_first_then_the_nearest_then_the_best_grade() {
        let grades: BTreeMap<Grade, i64> = [(Grade::A, 0), (Grade::B, 10), (Grade::C, 30)].into();
        let travel =
            vec![("far".to_owned(), "home".to_owned(), 50), ("home".to_owned(), "near".to_owned(), 5)];
        let pool = vec![
            c("1", "far", Grade::A),
            c("2", "home", Grade::C),
            c("3", "near", Grade::A),
            c("4", "home", Grade::A),
            c("5", "elsewhere", Grade::A),
            Candidate { id: "6".into(), hub: "home".into(), grade: None },
        ];
        assert_eq!(pick(&pool, "home", &travel, &grades, 10), ["4", "2", "6", "3", "1"]);
        assert_eq!(pick(&pool, "home", &travel, &grades, 2), ["4", "2"]);
        assert!(pick(&pool, "home", &travel, &grades, 0).is_empty());
        assert!(pick(&[], "home", &travel, &grades, 3).is_empty());
    }

    #[test]
    fn a_short_offer_says_why() {
        assert_eq!(Shortfall { short: 0, kept_for_students: 4 }.phrase(), None);
        assert_eq!(
            Shortfall { short: 2, kept_for_students: 0 }.phrase().map(|p| p.id),
            Some("class-set-short-pool")
        );
        assert_eq!(
            Shortfall { short: 2, kept_for_students: 1 }.phrase().map(|p| p.id),
            Some("class-set-short-students")
        );
    }

    #[test]
    fn missing_devices_show_once_some_are_back_or_the_course_is_over() {
        use SetLoanState as L;
        let loans = vec![("a".to_owned(), L::Active), ("b".to_owned(), L::Active)];
        assert!(missing(ClassSetState::OnLoan, &loans, d(3, 1), d(2, 1)).is_empty(), "all out, not due");
        assert_eq!(missing(ClassSetState::OnLoan, &loans, d(3, 1), d(3, 2)), ["a", "b"], "overdue");
        let partly =
            vec![("a".to_owned(), L::Returned), ("b".to_owned(), L::Active), ("c".to_owned(), L::Lost)];
        assert_eq!(missing(ClassSetState::OnLoan, &partly, d(3, 1), d(2, 1)), ["b"]);
        assert!(missing(ClassSetState::Accepted, &loans, d(3, 1), d(4, 1)).is_empty());
    }

    #[test]
    fn a_set_is_back_when_every_lent_device_is_closed() {
        use SetLoanState as L;
        assert!(all_closed(&[L::Returned, L::Lost, L::WrittenOff, L::Released]));
        assert!(!all_closed(&[L::Returned, L::Active]));
        assert!(!all_closed(&[L::Released]), "nothing was lent");
        assert!(!all_closed(&[]));
    }
}
