//! When to try a message again: exponential back-off with jitter, capped.

/// Seconds to wait after failed attempt number `attempt` (1 for the first): the base doubled
/// per attempt up to `max`, then a random share of it between one half and all of it
/// (`jitter` in 0..=1 picks where), so that many messages failing together spread out.
pub fn retry_delay_seconds(attempt: i32, base: i64, max: i64, jitter: f64) -> i64 {
    let exponent = u32::try_from(attempt.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    let full = base.saturating_mul(1_i64 << exponent).min(max).max(1);
    let half = full / 2;
    half + ((full - half) as f64 * jitter.clamp(0.0, 1.0)).round() as i64
}

/// Whether a failed message is tried again.
pub fn should_retry(attempts_made: i32, max_attempts: i32, permanent: bool) -> bool {
    !permanent && attempts_made < max_attempts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_up_to_the_cap_and_jitter_stays_within_half_and_all() {
        assert_eq!(retry_delay_seconds(1, 60, 3600, 1.0), 60);
        assert_eq!(retry_delay_seconds(2, 60, 3600, 1.0), 120);
        assert_eq!(retry_delay_seconds(3, 60, 3600, 0.0), 120);
        assert_eq!(retry_delay_seconds(10, 60, 3600, 1.0), 3600);
        assert_eq!(retry_delay_seconds(1000, 60, 3600, 1.0), 3600, "no overflow");
        for attempt in 1..20 {
            for jitter in [0.0, 0.3, 0.99, 1.0] {
                let d = retry_delay_seconds(attempt, 60, 3600, jitter);
                let full = (60_i64 << (attempt - 1).min(30)).min(3600);
                assert!(d >= full / 2 && d <= full, "{attempt} {jitter}: {d}");
            }
        }
    }

    #[test]
    fn permanent_failures_and_the_last_attempt_are_not_retried() {
        assert!(should_retry(1, 8, false));
        assert!(!should_retry(8, 8, false));
        assert!(!should_retry(1, 8, true));
    }
}
