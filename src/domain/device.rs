//! The device lifecycle as an explicit state machine.
//!
//! ```text
//! pledged → received → wiped → graded → available ⇄ reserved → on_loan → returned → inspection
//! inspection → available (dongles) | wiped (laptops: wiped again first) | repair | retired
//! repair → inspection | retired;  lost ← most states;  lost → received when found
//! received ⇄ locked (a firmware password, device management, …, until the donor frees it)
//! received | inspection | locked | repair → retired by `destroy` (certified recycling)
//! on_loan → gifted (the student keeps it at the programme's end; through the loan)
//! ```
//! A laptop always passes through `wiped` between any holder and the next: at intake, and
//! again after every return. The erasure record is the `wipe` action's details; a wipe whose
//! verification failed records the attempt and leaves the device where it was.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    Laptop,
    WifiDongle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceState {
    /// Promised by a donor, not yet at a hub.
    Pledged,
    /// At a hub, not yet erased.
    Received,
    /// Data erased, with a record of how.
    Wiped,
    /// Condition graded A, B or C.
    Graded,
    /// In the pool, ready to lend.
    Available,
    /// Set aside for one student.
    Reserved,
    /// With a student.
    OnLoan,
    /// Back from a student, not yet looked at.
    Returned,
    /// Being checked after a return or repair.
    Inspection,
    /// Being repaired.
    Repair,
    /// Out of service for good.
    Retired,
    /// At a hub but unusable until the donor frees it: held out of the pool.
    Locked,
    /// Lost or stolen.
    Lost,
    /// Given to the student who held it, at their programme's end: out of the pool for good.
    Gifted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceAction {
    Receive,
    Wipe,
    Grade,
    Release,
    Reserve,
    HandOver,
    Return,
    Inspect,
    Repair,
    Retire,
    MarkLost,
    Found,
    /// The student reports kit on loan lost or stolen (through the loan).
    ReportLost,
    /// Staff write off kit on loan: it will not come back (through the loan).
    WriteOff,
    /// Staff move the device to another hub; its state does not change.
    Move,
    /// A dongle's data plan was renewed; its state does not change.
    RenewPlan,
    /// Found locked at intake or after a return (see `LockReason`); the donor is asked to free it.
    MarkLocked,
    /// The lock is gone: back to intake.
    Unlock,
    /// Handed to a certified recycler for destruction (the erasure could not be verified, or
    /// the device cannot be used); its reference is the record.
    Destroy,
    /// The student accepted it as a gift (through the loan).
    Gift,
}

/// Condition of a device: A is as good as new, C works but shows wear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub enum Grade {
    A,
    B,
    C,
}

/// What a donor is told about their item: never who holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DonorStage {
    Pledged,
    Received,
    /// Held at a hub until the donor removes a lock: the one stage that asks the donor to act.
    Locked,
    BeingPrepared,
    InService,
    Retired,
    /// Given to a student to keep, at the end of their programme.
    Gifted,
}

macro_rules! string_enum {
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

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(DeviceKind { Laptop => "laptop", WifiDongle => "wifi_dongle" });
string_enum!(DeviceState {
    Pledged => "pledged", Received => "received", Wiped => "wiped", Graded => "graded",
    Available => "available", Reserved => "reserved", OnLoan => "on_loan", Returned => "returned",
    Inspection => "inspection", Repair => "repair", Retired => "retired", Lost => "lost",
    Locked => "locked", Gifted => "gifted",
});
string_enum!(DeviceAction {
    Receive => "receive", Wipe => "wipe", Grade => "grade", Release => "release",
    Reserve => "reserve", HandOver => "hand_over", Return => "return", Inspect => "inspect",
    Repair => "repair", Retire => "retire", MarkLost => "mark_lost", Found => "found",
    ReportLost => "report_lost", WriteOff => "write_off", Move => "move", RenewPlan => "renew_plan",
    MarkLocked => "mark_locked", Unlock => "unlock", Destroy => "destroy", Gift => "gift",
});
string_enum!(Grade { A => "A", B => "B", C => "C" });

/// The action is not allowed in the device's current state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IllegalTransition {
    pub state: DeviceState,
    pub action: DeviceAction,
    pub allowed_actions: Vec<DeviceAction>,
}

impl DeviceAction {
    /// Actions that belong to a loan and are taken through the loan endpoints, so that a
    /// device is never on loan without a loan record.
    pub fn is_loan_action(self) -> bool {
        matches!(
            self,
            DeviceAction::HandOver
                | DeviceAction::Return
                | DeviceAction::ReportLost
                | DeviceAction::WriteOff
                | DeviceAction::Gift
        )
    }
}

/// The state `action` leads to from `state` for a device of `kind`, or why not.
pub fn transition(
    kind: DeviceKind,
    state: DeviceState,
    action: DeviceAction,
) -> Result<DeviceState, IllegalTransition> {
    next_state(kind, state, action).ok_or_else(|| IllegalTransition {
        state,
        action,
        allowed_actions: allowed_actions(kind, state),
    })
}

/// Every action allowed in `state`, in a fixed order.
pub fn allowed_actions(kind: DeviceKind, state: DeviceState) -> Vec<DeviceAction> {
    DeviceAction::ALL.iter().copied().filter(|a| next_state(kind, state, *a).is_some()).collect()
}

fn next_state(kind: DeviceKind, state: DeviceState, action: DeviceAction) -> Option<DeviceState> {
    use DeviceAction as A;
    use DeviceState as S;
    let next = match (state, action) {
        (S::Pledged, A::Receive) => S::Received,
        (S::Received | S::Inspection, A::Wipe) => S::Wiped,
        (S::Wiped, A::Grade) => S::Graded,
        (S::Graded | S::Reserved, A::Release) => S::Available,
        // A returned dongle holds no personal data; a laptop must be wiped again first.
        (S::Inspection, A::Release) if kind == DeviceKind::WifiDongle => S::Available,
        (S::Available, A::Reserve) => S::Reserved,
        (S::Reserved, A::HandOver) => S::OnLoan,
        (S::OnLoan, A::Return) => S::Returned,
        (S::Returned | S::Repair, A::Inspect) => S::Inspection,
        (S::Available | S::Inspection, A::Repair) => S::Repair,
        (
            S::Received | S::Wiped | S::Graded | S::Available | S::Inspection | S::Repair | S::Locked,
            A::Retire,
        ) => S::Retired,
        (S::Received | S::Inspection, A::MarkLocked) => S::Locked,
        (S::Locked, A::Unlock) => S::Received,
        (S::Received | S::Inspection | S::Locked | S::Repair, A::Destroy) => S::Retired,
        // A device on loan is lost through its loan (report-lost), which closes the loan too.
        (
            S::Pledged
            | S::Received
            | S::Wiped
            | S::Graded
            | S::Available
            | S::Reserved
            | S::Returned
            | S::Inspection
            | S::Repair
            | S::Locked,
            A::MarkLost,
        ) => S::Lost,
        (S::OnLoan, A::MarkLost) => return None,
        (S::OnLoan, A::ReportLost) => S::Lost,
        (S::OnLoan, A::WriteOff) => S::Retired,
        (S::OnLoan, A::Gift) => S::Gifted,
        // Found again: it may have been anywhere, so it starts over at intake.
        (S::Lost, A::Found) => S::Received,
        // Only kit that sits at a hub and is promised to nobody can be moved.
        (
            S::Received
            | S::Wiped
            | S::Graded
            | S::Available
            | S::Returned
            | S::Inspection
            | S::Repair
            | S::Locked,
            A::Move,
        ) => state,
        (S::Retired | S::Lost | S::Gifted, A::RenewPlan) => return None,
        (_, A::RenewPlan) if kind == DeviceKind::WifiDongle => state,
        _ => return None,
    };
    Some(next)
}

/// What a donor sees of a state.
pub fn donor_stage(state: DeviceState) -> DonorStage {
    use DeviceState as S;
    match state {
        S::Pledged => DonorStage::Pledged,
        S::Received => DonorStage::Received,
        S::Locked => DonorStage::Locked,
        S::Wiped | S::Graded | S::Returned | S::Inspection | S::Repair => DonorStage::BeingPrepared,
        S::Available | S::Reserved | S::OnLoan => DonorStage::InService,
        S::Retired | S::Lost => DonorStage::Retired,
        S::Gifted => DonorStage::Gifted,
    }
}

/// How data was erased, after NIST SP 800-88: `clear` overwrites with standard commands,
/// `purge` uses the drive's own sanitise or cryptographic erase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WipeMethod {
    NistClear,
    NistPurge,
}

string_enum!(WipeMethod { NistClear => "nist_clear", NistPurge => "nist_purge" });

/// The sanitisation level of an erasure record (NIST SP 800-88 Rev. 1 §2.5): a wipe is
/// `clear` or `purge`; `destroy` is a recycler's destruction of the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SanitisationLevel {
    Clear,
    Purge,
    Destroy,
}

string_enum!(SanitisationLevel { Clear => "nist_clear", Purge => "nist_purge", Destroy => "nist_destroy" });

impl From<WipeMethod> for SanitisationLevel {
    fn from(m: WipeMethod) -> SanitisationLevel {
        match m {
            WipeMethod::NistClear => SanitisationLevel::Clear,
            WipeMethod::NistPurge => SanitisationLevel::Purge,
        }
    }
}

/// Whether the erasure was checked afterwards and held (NIST SP 800-88 §4.7, "verification").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    Passed,
    Failed,
}

string_enum!(Verification { Passed => "passed", Failed => "failed" });

/// Why a device cannot be used until its donor frees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LockReason {
    /// A BIOS or firmware password.
    FirmwarePassword,
    /// Still enrolled in the donor's device management (Intune, Jamf, Autopilot, …).
    DeviceManagement,
    /// An activation lock (Apple, or a vendor's anti-theft lock).
    ActivationLock,
    /// A user is still signed in to an account that owns the device.
    SignedInAccount,
}

string_enum!(LockReason {
    FirmwarePassword => "firmware_password", DeviceManagement => "device_management",
    ActivationLock => "activation_lock", SignedInAccount => "signed_in_account",
});

/// Where a wipe leaves a device in `state`: wiped, unless its verification failed; then it
/// stays where it was, to be wiped again or destroyed, and never goes on towards the pool.
pub fn after_wipe(
    kind: DeviceKind,
    state: DeviceState,
    verification: Option<Verification>,
) -> Result<DeviceState, IllegalTransition> {
    let wiped = transition(kind, state, DeviceAction::Wipe)?;
    Ok(if verification == Some(Verification::Failed) { state } else { wiped })
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeviceAction as A;
    use DeviceState as S;

    /// The whole table, written out: (state, action) → next state for a laptop. Every pair
    /// not listed must be refused.
    const LAPTOP: &[(S, A, S)] = &[
        (S::Pledged, A::Receive, S::Received),
        (S::Pledged, A::MarkLost, S::Lost),
        (S::Received, A::Wipe, S::Wiped),
        (S::Received, A::Retire, S::Retired),
        (S::Received, A::MarkLost, S::Lost),
        (S::Wiped, A::Grade, S::Graded),
        (S::Wiped, A::Retire, S::Retired),
        (S::Wiped, A::MarkLost, S::Lost),
        (S::Graded, A::Release, S::Available),
        (S::Graded, A::Retire, S::Retired),
        (S::Graded, A::MarkLost, S::Lost),
        (S::Available, A::Reserve, S::Reserved),
        (S::Available, A::Repair, S::Repair),
        (S::Available, A::Retire, S::Retired),
        (S::Available, A::MarkLost, S::Lost),
        (S::Reserved, A::Release, S::Available),
        (S::Reserved, A::HandOver, S::OnLoan),
        (S::Reserved, A::MarkLost, S::Lost),
        (S::OnLoan, A::Return, S::Returned),
        (S::OnLoan, A::ReportLost, S::Lost),
        (S::OnLoan, A::WriteOff, S::Retired),
        (S::OnLoan, A::Gift, S::Gifted),
        (S::Returned, A::Inspect, S::Inspection),
        (S::Returned, A::MarkLost, S::Lost),
        (S::Inspection, A::Wipe, S::Wiped),
        (S::Inspection, A::Repair, S::Repair),
        (S::Inspection, A::Retire, S::Retired),
        (S::Inspection, A::MarkLost, S::Lost),
        (S::Repair, A::Inspect, S::Inspection),
        (S::Repair, A::Retire, S::Retired),
        (S::Repair, A::MarkLost, S::Lost),
        (S::Lost, A::Found, S::Received),
        (S::Received, A::Move, S::Received),
        (S::Wiped, A::Move, S::Wiped),
        (S::Graded, A::Move, S::Graded),
        (S::Available, A::Move, S::Available),
        (S::Returned, A::Move, S::Returned),
        (S::Inspection, A::Move, S::Inspection),
        (S::Repair, A::Move, S::Repair),
        (S::Received, A::MarkLocked, S::Locked),
        (S::Inspection, A::MarkLocked, S::Locked),
        (S::Locked, A::Unlock, S::Received),
        (S::Locked, A::Retire, S::Retired),
        (S::Locked, A::MarkLost, S::Lost),
        (S::Locked, A::Move, S::Locked),
        (S::Received, A::Destroy, S::Retired),
        (S::Inspection, A::Destroy, S::Retired),
        (S::Locked, A::Destroy, S::Retired),
        (S::Repair, A::Destroy, S::Retired),
    ];

    fn expected(kind: DeviceKind, state: S, action: A) -> Option<S> {
        if kind == DeviceKind::WifiDongle && state == S::Inspection && action == A::Release {
            return Some(S::Available);
        }
        if action == A::RenewPlan {
            let renewable =
                kind == DeviceKind::WifiDongle && !matches!(state, S::Retired | S::Lost | S::Gifted);
            return renewable.then_some(state);
        }
        LAPTOP.iter().find(|(s, a, _)| *s == state && *a == action).map(|(_, _, next)| *next)
    }

    #[test]
    fn every_state_and_action_pair_is_allowed_or_refused_as_the_table_says() {
        let mut checked = 0;
        for kind in DeviceKind::ALL {
            for state in DeviceState::ALL {
                for action in DeviceAction::ALL {
                    let result = transition(*kind, *state, *action);
                    match expected(*kind, *state, *action) {
                        Some(next) => assert_eq!(result, Ok(next), "{kind} {state} {action}"),
                        None => {
                            let err = result.expect_err("refused");
                            assert_eq!(err.state, *state);
                            assert_eq!(err.allowed_actions, allowed_actions(*kind, *state));
                            assert!(!err.allowed_actions.contains(action));
                        }
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 2 * 14 * 20);
    }

    #[test]
    fn a_gifted_device_never_comes_back_into_the_pool() {
        for kind in DeviceKind::ALL {
            assert!(allowed_actions(*kind, S::Gifted).is_empty(), "{kind}");
        }
        assert!(A::Gift.is_loan_action(), "given away only through its loan");
        assert_eq!(donor_stage(S::Gifted), DonorStage::Gifted);
    }

    #[test]
    fn a_returned_laptop_is_wiped_again_before_it_is_available() {
        let k = DeviceKind::Laptop;
        assert!(transition(k, S::Inspection, A::Release).is_err());
        let mut state = S::Returned;
        for action in [A::Inspect, A::Wipe, A::Grade, A::Release] {
            state = transition(k, state, action).expect("allowed");
        }
        assert_eq!(state, S::Available);
    }

    #[test]
    fn release_needs_an_erasure_first_on_every_path_from_intake() {
        // Breadth-first over all paths from pledged: available is never reached without wipe.
        use std::collections::{BTreeSet, VecDeque};
        for kind in DeviceKind::ALL {
            let mut seen = BTreeSet::new();
            let mut queue = VecDeque::from([(S::Pledged, false)]);
            while let Some((state, wiped)) = queue.pop_front() {
                if !seen.insert((state, wiped)) {
                    continue;
                }
                if state == S::Available && *kind == DeviceKind::Laptop {
                    assert!(wiped, "a laptop became available without a wipe");
                }
                for action in allowed_actions(*kind, state) {
                    let next = transition(*kind, state, action).expect("allowed");
                    // A holder or an unknown whereabouts undoes the last erasure.
                    let wiped_now = match action {
                        A::Wipe => true,
                        A::HandOver | A::Found => false,
                        _ => wiped,
                    };
                    queue.push_back((next, wiped_now));
                }
            }
            assert!(seen.iter().any(|(s, _)| *s == S::Available));
        }
    }

    #[test]
    fn a_locked_device_never_reaches_the_pool_until_it_is_unlocked() {
        for kind in DeviceKind::ALL {
            let allowed = allowed_actions(*kind, S::Locked);
            assert!(allowed.contains(&A::Unlock));
            for action in allowed {
                let next = transition(*kind, S::Locked, action).expect("allowed");
                assert!(matches!(next, S::Locked | S::Received | S::Retired | S::Lost), "{action}");
            }
        }
    }

    #[test]
    fn a_failed_verification_leaves_the_device_to_be_wiped_again_or_destroyed() {
        let k = DeviceKind::Laptop;
        for state in [S::Received, S::Inspection] {
            assert_eq!(after_wipe(k, state, Some(Verification::Failed)), Ok(state));
            assert_eq!(after_wipe(k, state, Some(Verification::Passed)), Ok(S::Wiped));
            assert_eq!(after_wipe(k, state, None), Ok(S::Wiped), "older records: not recorded");
            let next = allowed_actions(k, state);
            assert!(next.contains(&A::Wipe) && next.contains(&A::Destroy) && !next.contains(&A::Release));
        }
        assert!(after_wipe(k, S::Available, Some(Verification::Failed)).is_err(), "still the state machine");
        assert_eq!(SanitisationLevel::from(WipeMethod::NistPurge), SanitisationLevel::Purge);
        for level in SanitisationLevel::ALL {
            assert_eq!(SanitisationLevel::parse(level.as_str()), Some(*level));
        }
        for reason in LockReason::ALL {
            assert_eq!(LockReason::parse(reason.as_str()), Some(*reason));
        }
    }

    #[test]
    fn donors_see_stages_not_states() {
        assert_eq!(donor_stage(S::OnLoan), DonorStage::InService);
        assert_eq!(donor_stage(S::Inspection), DonorStage::BeingPrepared);
        assert_eq!(donor_stage(S::Lost), DonorStage::Retired);
        assert_eq!(donor_stage(S::Locked), DonorStage::Locked, "the stage that asks them to act");
        for state in DeviceState::ALL {
            donor_stage(*state);
        }
    }

    #[test]
    fn names_round_trip() {
        for s in DeviceState::ALL {
            assert_eq!(DeviceState::parse(s.as_str()), Some(*s));
        }
        for a in DeviceAction::ALL {
            assert_eq!(DeviceAction::parse(a.as_str()), Some(*a));
        }
        for g in Grade::ALL {
            assert_eq!(Grade::parse(g.as_str()), Some(*g));
        }
    }
}
