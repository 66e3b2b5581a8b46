//! Throttling of attempts (sign-ins, links asked for) with growing waits instead of a lock.
//!
//! Each key (an account, a network address, an email address) has a counter. Every attempt is
//! counted *before* the work it guards (checking a password) is done, so a burst of parallel
//! attempts cannot all get through: the first `free_attempts` pass at once; each attempt past
//! them must wait, twice as long each time, up to `max_delay`. Nobody is locked out for good:
//! a waiting owner gets in once the wait is over, and a correct sign-in (or a password reset)
//! clears the account's counter. A counter that has seen nothing for `forget_after` starts over.

use chrono::{NaiveDateTime, TimeDelta};

/// How one kind of key is throttled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Attempts that pass without waiting.
    pub free_attempts: i32,
    /// The wait after the last free attempt; it doubles with each attempt after that.
    pub first_delay: TimeDelta,
    pub max_delay: TimeDelta,
    /// A counter untouched for this long starts again from zero.
    pub forget_after: TimeDelta,
}

/// A key's counter as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    pub attempts: i32,
    pub last_attempt_at: NaiveDateTime,
    pub blocked_until: Option<NaiveDateTime>,
}

/// What an attempt may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead; the counter becomes this.
    Allowed(Counter),
    /// Not yet: try again in this many seconds (at least 1).
    Wait(u64),
}

impl Policy {
    /// The wait imposed after the `attempts`-th attempt (none while attempts are free).
    pub fn delay_after(&self, attempts: i32) -> Option<TimeDelta> {
        let over = attempts - self.free_attempts;
        if over < 0 {
            return None;
        }
        // 2^over, without overflow: past 30 doublings every delay is the maximum anyway.
        let factor = 1i32.checked_shl(over.min(30) as u32).unwrap_or(i32::MAX);
        Some(self.first_delay.checked_mul(factor).map_or(self.max_delay, |d| d.min(self.max_delay)))
    }

    /// Decides one attempt at `now` on a key whose counter is `counter` (none yet: `None`).
    pub fn attempt(&self, counter: Option<Counter>, now: NaiveDateTime) -> Decision {
        let current = counter.filter(|c| {
            let forgotten = c.last_attempt_at + self.forget_after <= now;
            let blocked = c.blocked_until.is_some_and(|b| b > now);
            blocked || !forgotten
        });
        if let Some(until) = current.and_then(|c| c.blocked_until).filter(|b| *b > now) {
            return Decision::Wait(((until - now).num_milliseconds() as u64).div_ceil(1000).max(1));
        }
        let attempts = current.map_or(0, |c| c.attempts).saturating_add(1);
        Decision::Allowed(Counter {
            attempts,
            last_attempt_at: now,
            blocked_until: self.delay_after(attempts).map(|d| now + d),
        })
    }

    /// Gives back one attempt that turned out well (a correct password from a shared
    /// address), so that only failures add up; lifts the wait if it came from that attempt.
    pub fn refund(&self, counter: Counter) -> Counter {
        let attempts = (counter.attempts - 1).max(0);
        let blocked_until = if attempts < self.free_attempts { None } else { counter.blocked_until };
        Counter { attempts, blocked_until, ..counter }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn at(seconds: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + seconds, 0).expect("time").naive_utc()
    }

    fn policy() -> Policy {
        Policy {
            free_attempts: 3,
            first_delay: TimeDelta::seconds(30),
            max_delay: TimeDelta::minutes(15),
            forget_after: TimeDelta::hours(1),
        }
    }

    /// Runs attempts at the given seconds; returns each decision.
    fn run(times: &[i64]) -> Vec<Decision> {
        let p = policy();
        let mut counter = None;
        times
            .iter()
            .map(|t| {
                let d = p.attempt(counter, at(*t));
                if let Decision::Allowed(c) = d {
                    counter = Some(c);
                }
                d
            })
            .collect()
    }

    #[test]
    fn the_free_attempts_pass_and_the_next_must_wait_30_seconds() {
        let d = run(&[0, 1, 2, 3]);
        assert!(matches!(d[0], Decision::Allowed(c) if c.attempts == 1 && c.blocked_until.is_none()));
        assert!(matches!(d[1], Decision::Allowed(_)));
        // The third (last free) attempt passes and sets the first wait.
        assert!(matches!(d[2], Decision::Allowed(c) if c.blocked_until == Some(at(32))));
        assert_eq!(d[3], Decision::Wait(29));
    }

    #[test]
    fn each_attempt_past_the_allowance_doubles_the_wait_up_to_the_maximum() {
        let p = policy();
        let delays: Vec<i64> = (1..=12).map(|n| p.delay_after(n).map_or(0, |d| d.num_seconds())).collect();
        assert_eq!(delays, [0, 0, 30, 60, 120, 240, 480, 900, 900, 900, 900, 900]);
        assert_eq!(p.delay_after(i32::MAX).map(|d| d.num_seconds()), Some(900));
    }

    #[test]
    fn an_owner_gets_in_once_the_wait_is_over_never_locked_for_good() {
        // An attacker tries every time the wait ends; in between, the owner's try must wait,
        // but never longer than the maximum delay.
        let p = policy();
        let mut counter = None;
        let mut now = 0;
        for _ in 0..50 {
            match p.attempt(counter, at(now)) {
                Decision::Allowed(c) => {
                    counter = Some(c);
                    now = (c.blocked_until.unwrap_or(at(now)) - at(0)).num_seconds();
                }
                Decision::Wait(s) => {
                    assert!(s <= 900, "a wait is never longer than the maximum: {s}");
                    now += s as i64;
                }
            }
            // The owner, a second later, is told to wait no longer than the maximum delay.
            if let Decision::Wait(s) = p.attempt(counter, at(now + 1)) {
                assert!(s <= 900, "{s}");
            }
        }
        assert!(matches!(p.attempt(counter, at(now)), Decision::Allowed(_)));
    }

    #[test]
    fn a_quiet_counter_is_forgotten_but_not_while_it_blocks() {
        let p = policy();
        let c = Counter { attempts: 9, last_attempt_at: at(0), blocked_until: Some(at(7200)) };
        assert_eq!(p.attempt(Some(c), at(3600)), Decision::Wait(3600));
        let Decision::Allowed(next) = p.attempt(Some(c), at(7200)) else { panic!("allowed") };
        assert_eq!(next.attempts, 1, "a counter untouched for an hour and not blocking starts over");
    }

    #[test]
    fn a_refund_gives_back_one_attempt_and_its_wait() {
        let p = policy();
        let c = Counter { attempts: 3, last_attempt_at: at(0), blocked_until: Some(at(30)) };
        assert_eq!(p.refund(c), Counter { attempts: 2, last_attempt_at: at(0), blocked_until: None });
        let c = Counter { attempts: 5, last_attempt_at: at(0), blocked_until: Some(at(120)) };
        assert_eq!(p.refund(c).blocked_until, Some(at(120)));
        let zero = Counter { attempts: 0, last_attempt_at: at(0), blocked_until: None };
        assert_eq!(p.refund(zero).attempts, 0);
    }

    proptest! {
        /// However attempts arrive, no more than `free_attempts` pass before the first wait,
        /// and every pass after that comes at least the doubled delay after the previous one.
        #[test]
        fn attempts_never_pass_faster_than_the_policy_allows(gaps in proptest::collection::vec(0i64..400, 1..60)) {
            let p = policy();
            let mut counter = None;
            let mut now = 0;
            let mut passed: Vec<(i64, i32)> = Vec::new();
            for gap in gaps {
                now += gap;
                if let Decision::Allowed(c) = p.attempt(counter, at(now)) {
                    counter = Some(c);
                    passed.push((now, c.attempts));
                }
            }
            for pair in passed.windows(2) {
                let ((t0, n0), (t1, n1)) = (pair[0], pair[1]);
                if n1 == n0 + 1 {
                    let wait = p.delay_after(n0).map_or(0, |d| d.num_seconds());
                    prop_assert!(t1 - t0 >= wait, "{t0} {n0} -> {t1}");
                }
            }
        }
    }
}
