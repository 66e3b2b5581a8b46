//! How urgent a request is: an integer priority from a documented, configurable formula.
//!
//! ```text
//! urgency  = urgency_weight × (horizon − days until needed_by), clamped to 0…horizon days
//!            (needed already, or its programme has started: the full horizon)
//! waiting  = waiting_weight × days since the request, at most max_waiting_days
//! lacks    = lacks_weight × how many prerequisites the student lacks (0–3)
//! priority = urgency + waiting + lacks
//! ```
//! With the default weights priorities run from 0 to about 1,100.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The weights, from `[priority]` in the configuration.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
pub struct PriorityWeights {
    pub urgency_weight: i64,
    pub urgency_horizon_days: i64,
    pub waiting_weight: i64,
    pub max_waiting_days: i64,
    pub lacks_weight: i64,
}

impl Default for PriorityWeights {
    fn default() -> PriorityWeights {
        PriorityWeights {
            urgency_weight: 10,
            urgency_horizon_days: 60,
            waiting_weight: 2,
            max_waiting_days: 180,
            lacks_weight: 40,
        }
    }
}

/// A priority and the terms it is made of, so a decision can be explained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Priority {
    pub urgency: i64,
    pub waiting: i64,
    pub lacks: i64,
    pub total: i64,
}

pub fn priority(
    w: &PriorityWeights,
    needed_by: NaiveDate,
    requested_on: NaiveDate,
    lacks: u8,
    today: NaiveDate,
) -> Priority {
    let days_until = (needed_by - today).num_days();
    let urgency = w.urgency_weight * (w.urgency_horizon_days - days_until).clamp(0, w.urgency_horizon_days);
    let waiting = w.waiting_weight * (today - requested_on).num_days().clamp(0, w.max_waiting_days);
    let lacks = w.lacks_weight * i64::from(lacks);
    Priority { urgency, waiting, lacks, total: urgency + waiting + lacks }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).expect("date") + chrono::Duration::days(d)
    }

    #[test]
    fn the_formula_adds_its_terms() {
        let w = PriorityWeights::default();
        let p = priority(&w, day(40), day(0), 2, day(10));
        assert_eq!(p, Priority { urgency: 10 * 30, waiting: 2 * 10, lacks: 80, total: 400 });
    }

    #[test]
    fn already_needed_is_most_urgent_and_far_off_is_not_urgent() {
        let w = PriorityWeights::default();
        assert_eq!(priority(&w, day(0), day(0), 0, day(5)).urgency, 600);
        assert_eq!(priority(&w, day(5), day(0), 0, day(5)).urgency, 600);
        assert_eq!(priority(&w, day(200), day(0), 0, day(5)).urgency, 0);
    }

    #[test]
    fn waiting_is_capped_and_never_negative() {
        let w = PriorityWeights::default();
        assert_eq!(priority(&w, day(900), day(0), 0, day(1000)).waiting, 360);
        assert_eq!(priority(&w, day(900), day(10), 0, day(5)).waiting, 0);
    }

    #[test]
    fn sooner_need_never_lowers_priority() {
        let w = PriorityWeights::default();
        let mut last = i64::MIN;
        for until in (0..100).rev() {
            let p = priority(&w, day(until), day(0), 1, day(0)).total;
            assert!(p >= last);
            last = p;
        }
    }
}

/// A pending request as the queue sees it.
#[derive(Debug, Clone)]
pub struct QueueEntry {
    pub id: String,
    pub needed_by: NaiveDate,
    pub requested_on: NaiveDate,
    pub lacks: u8,
}

/// The queue of one kind of kit: highest priority first, the oldest request first among equals
/// (ids are time-ordered). Position 1 is next in line.
pub fn queue(entries: &[QueueEntry], w: &PriorityWeights, today: NaiveDate) -> Vec<(String, Priority)> {
    let mut ranked: Vec<(String, Priority)> = entries
        .iter()
        .map(|e| (e.id.clone(), priority(w, e.needed_by, e.requested_on, e.lacks, today)))
        .collect();
    ranked.sort_by(|a, b| b.1.total.cmp(&a.1.total).then_with(|| a.0.cmp(&b.0)));
    ranked
}

#[cfg(test)]
mod queue_tests {
    use super::*;

    #[test]
    fn the_queue_serves_the_highest_priority_first_and_the_oldest_among_equals() {
        let d = |n| NaiveDate::from_ymd_opt(2026, 3, 1).expect("date") + chrono::Duration::days(n);
        let entry = |id: &str, needed: i64, lacks| QueueEntry {
            id: id.into(),
            needed_by: d(needed),
            requested_on: d(0),
            lacks,
        };
        let q = queue(
            &[entry("b", 100, 1), entry("a", 100, 1), entry("c", 0, 0), entry("d", 100, 3)],
            &PriorityWeights::default(),
            d(0),
        );
        let order: Vec<&str> = q.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(order, ["c", "d", "a", "b"]);
    }
}
