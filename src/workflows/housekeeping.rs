//! Periodic work of the server (and of `devicepool purge`): lapsing reservations not picked
//! up in time, queueing reminders, erasing students past the retention period, expiring
//! requests whose programme has ended, and deleting what is no longer needed: expired
//! one-time links, quiet throttle counters, the secret part of messages whose link expired,
//! and old sent messages. Every step is idempotent and guarded in the database, so several
//! instances may run it at once.

use std::time::Duration;

use chrono::Utc;

use crate::configuration::Settings;
use crate::error::ApiError;
use crate::notify::messages::{queue_expiry_warnings, queue_reminders};
use crate::store::{
    self, invitations, login_throttle, magic_links, outbox, password_resets, requests, DbConnection, DbPool,
};
use crate::workflows::pool::lapse_overdue_reservations;
use crate::workflows::reports::queue_impact_summaries;
use crate::workflows::students::purge;

/// What one run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub reservations_lapsed: usize,
    pub reminders_queued: usize,
    pub expiry_warnings_queued: usize,
    /// An in-use round the server opened on its schedule.
    pub in_use_round_opened: bool,
    /// Students mailed their in-use round link.
    pub in_use_links_queued: usize,
    pub impact_summaries_queued: usize,
    pub students_erased: usize,
    pub requests_expired: usize,
    /// Expired sign-in, invitation and reset links deleted.
    pub links_deleted: usize,
    pub throttle_counters_deleted: usize,
    /// Messages whose link expired before or after sending lost its sealed copy.
    pub message_secrets_deleted: usize,
    pub sent_messages_deleted: usize,
}

pub fn run(conn: &mut DbConnection, settings: &Settings) -> Result<Report, ApiError> {
    let today = Utc::now().date_naive();
    // First: a lapsed reservation puts its request back in the queue, which may then expire.
    let reservations_lapsed = lapse_overdue_reservations(conn, settings, today)?;
    let reminders_queued = queue_reminders(conn, &settings.reminders, today)?
        + crate::workflows::class_sets::queue_reminders(conn, settings, today)?
        + crate::notify::messages::queue_programme_end(conn, settings, today)?;
    let expiry_warnings_queued = queue_expiry_warnings(conn, settings, today)?;
    let (in_use_round_opened, in_use_links_queued) = in_use_round(conn, settings)?;
    let impact_summaries_queued =
        store::write_tx(conn, |conn| queue_impact_summaries(conn, settings, today))?;
    let requests_expired = store::write_tx(conn, |conn| requests::expire_ended(conn, today, store::now()))?;
    let students_erased = purge(conn, settings.privacy.retention_months, today)?;
    let tidy = tidy_up(conn, settings)?;
    Ok(Report {
        reservations_lapsed,
        reminders_queued,
        expiry_warnings_queued,
        in_use_round_opened,
        in_use_links_queued,
        impact_summaries_queued,
        students_erased,
        requests_expired,
        ..tidy
    })
}

/// Opens the in-use round when one is due, and mails the current round's students not yet
/// mailed (a round staff opened mails the first ones at once, the rest here).
fn in_use_round(conn: &mut DbConnection, settings: &Settings) -> Result<(bool, usize), ApiError> {
    let opened = crate::workflows::in_use::open_when_due(conn, settings)?.is_some();
    let Some(round) = store::in_use::current(conn)? else {
        return Ok((opened, 0));
    };
    let keys = crate::auth::keys::ServerKeys::derive(&settings.auth);
    let queued = crate::workflows::in_use::queue_links(conn, settings, &keys, &round.id, usize::MAX)?;
    Ok((opened, queued))
}

/// Deletes what is kept only while it can be used.
fn tidy_up(conn: &mut DbConnection, settings: &Settings) -> Result<Report, ApiError> {
    let now = store::now();
    let auth = &settings.auth;
    // A counter is kept as long as any policy could still count it.
    let longest =
        [auth.failed_login_window_minutes, auth.magic_link_window_minutes, auth.max_login_delay_minutes]
            .into_iter()
            .max()
            .unwrap_or(60);
    let quiet_since = now - chrono::TimeDelta::minutes(longest);
    let sent_before = now - chrono::TimeDelta::days(settings.privacy.sent_message_days);
    store::write_tx(conn, |conn| {
        Ok(Report {
            links_deleted: magic_links::purge_expired(conn, now)?
                + invitations::purge_expired(conn, now)?
                + password_resets::purge_expired(conn, now)?
                + crate::store::web_sessions::delete_ended(conn, now)?,
            throttle_counters_deleted: login_throttle::purge_quiet(conn, quiet_since, now)?,
            message_secrets_deleted: outbox::drop_expired_secrets(conn, now)?,
            sent_messages_deleted: outbox::purge_sent(conn, sent_before)?,
            ..Report::default()
        })
    })
}

/// Runs housekeeping every `privacy.housekeeping_interval_minutes` until the task is dropped.
pub async fn every_interval(pool: DbPool, settings: std::sync::Arc<Settings>) {
    let minutes = settings.privacy.housekeeping_interval_minutes;
    if minutes == 0 {
        return;
    }
    let period = Duration::from_secs(minutes * 60);
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        ticks.tick().await;
        let (pool, settings) = (pool.clone(), settings.clone());
        let result =
            tokio::task::spawn_blocking(move || store::with_connection(&pool, |c| run(c, &settings))).await;
        match result {
            Ok(Ok(report)) => tracing::info!(?report, "housekeeping done"),
            Ok(Err(e)) => tracing::warn!(error = %e, "housekeeping failed; will try again"),
            Err(e) => tracing::warn!(error = %e, "housekeeping task failed; will try again"),
        }
    }
}
