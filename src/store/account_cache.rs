//! The accounts behind access tokens, kept in memory between requests so that a signed-in
//! request does not wait for the database just to learn who is asking.
//!
//! The database stays the truth. An entry is forgotten as soon as the account changes:
//! - on this instance, after the transaction that changed it ends (`users` notes every change
//!   on the thread that made it, and [`super::with_connection`] hands the notes over here once
//!   the work on the connection is done, so a reader cannot put the old row back in between);
//! - on every instance over PostgreSQL, by the `users` table's trigger, which says
//!   `NOTIFY devicepool_accounts` with the account's id on commit. Each instance listens on its
//!   own connection ([`listen`]). While that connection is down the cache is off: every request
//!   reads the database, as it did before the cache.
//!
//! What no notice reaches (an account changed on SQLite by another process, such as the CLI
//! or a database shell) is forgotten after `auth.account_cache_seconds` at the latest.
//! A reader that started before a change may not store what it read: every change raises the
//! generation, and an entry is only kept under the generation its reader saw before it read.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use super::users::Account;

/// The most accounts kept; beyond it a request reads the database. The programme's staff,
/// coordinators and donors fit many times over; students sign in rarely at once.
pub const CAPACITY: usize = 20_000;

/// The PostgreSQL channel the `users` trigger notifies (migration 2026-12-06-000018).
pub const CHANNEL: &str = "devicepool_accounts";

/// Accounts by id, each with the time it was read.
pub struct AccountCache {
    ttl: Duration,
    inner: Mutex<Inner>,
    /// Signed-in requests answered from memory, and those that read the database.
    lookups: prometheus::IntCounterVec,
    found_in_memory: prometheus::IntCounter,
    found_in_database: prometheus::IntCounter,
    /// 1 while the cache answers (on PostgreSQL: while the listener hears changes).
    live_gauge: prometheus::IntGauge,
}

struct Inner {
    accounts: HashMap<String, (Arc<Account>, Instant)>,
    /// Raised by every change; a reader may store only under the generation it saw first.
    generation: u64,
    /// Whether changes made elsewhere reach this instance (always on SQLite; on PostgreSQL
    /// while the listening connection is up).
    live: bool,
}

impl std::fmt::Debug for AccountCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountCache").field("ttl", &self.ttl).field("live", &self.is_live()).finish()
    }
}

/// What a reader saw before it read the database: the generation at that moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(u64);

impl AccountCache {
    /// A cache whose entries live at most `ttl` (zero: keeps nothing). `live` is false where
    /// changes made elsewhere must first be listened for (PostgreSQL).
    pub fn new(ttl: Duration, live: bool) -> AccountCache {
        let lookups = prometheus::IntCounterVec::new(
            prometheus::Opts::new(
                "devicepool_account_cache_lookups_total",
                "Accounts of signed-in requests looked up, by where they were found (memory or database)",
            ),
            &["found_in"],
        )
        .unwrap_or_else(|_| unreachable!("the counter's name and label are valid"));
        let live_gauge = prometheus::IntGauge::new(
            "devicepool_account_cache_live",
            "1 while the account cache answers; 0 while it cannot hear changes (the database is away)",
        )
        .unwrap_or_else(|_| unreachable!("the gauge's name is valid"));
        live_gauge.set(i64::from(live && !ttl.is_zero()));
        let inner = Mutex::new(Inner { accounts: HashMap::new(), generation: 0, live });
        let found_in_memory = lookups.with_label_values(&["memory"]);
        let found_in_database = lookups.with_label_values(&["database"]);
        AccountCache { ttl, inner, lookups, found_in_memory, found_in_database, live_gauge }
    }

    /// The cache's figures, for `/metrics`.
    pub fn metrics(&self) -> Vec<Box<dyn prometheus::core::Collector>> {
        vec![Box::new(self.lookups.clone()), Box::new(self.live_gauge.clone())]
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves nothing half-done that matters here: the map
        // only ever holds whole entries.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The account, if it was read less than the time limit ago and nothing changed it since.
    pub fn get(&self, id: &str) -> Option<Arc<Account>> {
        self.get_at(id, Instant::now())
    }

    fn get_at(&self, id: &str, now: Instant) -> Option<Arc<Account>> {
        let found = {
            let inner = self.lock();
            inner
                .accounts
                .get(id)
                .filter(|(_, read_at)| inner.live && now.saturating_duration_since(*read_at) < self.ttl)
                .map(|(account, _)| Arc::clone(account))
        };
        match found {
            Some(_) => self.found_in_memory.inc(),
            None => self.found_in_database.inc(),
        }
        found
    }

    /// Take before reading the database; `None` when nothing read now may be kept.
    pub fn ticket(&self) -> Option<Ticket> {
        let inner = self.lock();
        (inner.live && !self.ttl.is_zero()).then_some(Ticket(inner.generation))
    }

    /// Keeps what was read under `ticket`, unless anything changed since the ticket was taken.
    pub fn keep(&self, ticket: Ticket, account: Arc<Account>) {
        self.keep_at(ticket, account, Instant::now());
    }

    fn keep_at(&self, ticket: Ticket, account: Arc<Account>, now: Instant) {
        let mut inner = self.lock();
        if !inner.live || inner.generation != ticket.0 {
            return;
        }
        if inner.accounts.len() >= CAPACITY && !inner.accounts.contains_key(&account.id) {
            let ttl = self.ttl;
            inner.accounts.retain(|_, (_, read_at)| now.saturating_duration_since(*read_at) < ttl);
            if inner.accounts.len() >= CAPACITY {
                return;
            }
        }
        inner.accounts.insert(account.id.clone(), (account, now));
    }

    /// Forgets these accounts: they changed.
    pub fn forget<'a>(&self, ids: impl IntoIterator<Item = &'a str>) {
        let mut inner = self.lock();
        inner.generation += 1;
        for id in ids {
            inner.accounts.remove(id);
        }
    }

    /// Forgets every account and turns the cache on or off (PostgreSQL's listener: off while
    /// changes made elsewhere might be missed, on once it listens again).
    pub fn reset(&self, live: bool) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.accounts.clear();
        inner.live = live;
        self.live_gauge.set(i64::from(live && !self.ttl.is_zero()));
    }

    /// Whether the cache answers at all now.
    pub fn is_live(&self) -> bool {
        self.lock().live
    }

    /// Hands over the changes this thread noted while it worked on a connection; call once
    /// that work is done, so every transaction in it has ended.
    pub fn forget_noted(&self) {
        let noted = super::account_changes::take_noted();
        if !noted.is_empty() {
            self.forget(noted.iter().map(String::as_str));
        }
    }
}

/// Listening for changes made through other connections, while this value lives.
pub struct Listening {
    stop: Arc<AtomicBool>,
    /// Closed by the listener thread when it has ended and closed its connection.
    ended: crossbeam_channel::Receiver<()>,
}

impl Drop for Listening {
    /// Stops the listener and waits (briefly) until its connection is closed, so a server
    /// that stops leaves no thread using libpq behind (a process exiting under such a thread
    /// crashed once in the test binary).
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // A connection attempt to a server that does not answer may take longer: not waited for.
        let _ = self.ended.recv_timeout(Duration::from_secs(2));
    }
}

/// Starts listening for changes made through other connections (PostgreSQL only; SQLite
/// is served by one process). The listening ends when the returned value is dropped (the
/// server stopped) or the cache is.
pub fn listen(cache: &Arc<AccountCache>, url: &super::DatabaseUrl) -> Option<Listening> {
    let super::DatabaseUrl::Postgres(url) = url else {
        return None;
    };
    let stop = Arc::new(AtomicBool::new(false));
    let listener = listener::Listener { cache: Arc::downgrade(cache), stop: Arc::clone(&stop) };
    let url = url.clone();
    let (done, ended) = crossbeam_channel::bounded::<()>(0);
    let started = std::thread::Builder::new().name("account-changes".into()).spawn(move || {
        listener.run(&url);
        drop(done);
    });
    if let Err(e) = started {
        // The cache stays off: every request reads the database.
        tracing::error!(error = %e, "cannot start the account change listener; the account cache stays off");
    }
    Some(Listening { stop, ended })
}

mod listener {
    use super::*;
    use diesel::{Connection, PgConnection, RunQueryDsl};

    /// How often the listening connection is read: the longest another instance's change
    /// may go unseen here.
    const POLL: Duration = Duration::from_millis(20);
    /// How often it is asked whether the server still answers (a server that went away
    /// without closing the connection sends nothing).
    const HEARTBEAT: Duration = Duration::from_secs(5);
    const RETRY: Duration = Duration::from_secs(1);

    pub(super) struct Listener {
        pub(super) cache: Weak<AccountCache>,
        pub(super) stop: Arc<AtomicBool>,
    }

    impl Listener {
        fn stopped(&self) -> bool {
            self.stop.load(Ordering::Relaxed) || self.cache.strong_count() == 0
        }

        /// Sleeps `how_long`, or less once stopped.
        fn sleep(&self, how_long: Duration) {
            let until = Instant::now() + how_long;
            while !self.stopped() {
                let left = until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return;
                }
                std::thread::sleep(left.min(POLL));
            }
        }

        pub(super) fn run(&self, url: &str) {
            let mut reported = false;
            while !self.stopped() {
                if let Err(e) = self.listen_once(url) {
                    if let Some(cache) = self.cache.upgrade() {
                        cache.reset(false);
                    }
                    // Said once per outage, not once a second.
                    if !reported && !self.stopped() {
                        tracing::warn!(error = %e, "account change listener lost its connection; the account cache is off until it is back");
                        reported = true;
                    }
                    self.sleep(RETRY);
                } else {
                    reported = false;
                }
            }
            if let Some(cache) = self.cache.upgrade() {
                cache.reset(false);
            }
        }

        /// Listens until stopped (`Ok`) or the connection fails (`Err`).
        fn listen_once(&self, url: &str) -> anyhow::Result<()> {
            let mut conn = PgConnection::establish(url)?;
            diesel::sql_query(format!("LISTEN {CHANNEL}")).execute(&mut conn)?;
            // From here on every change is heard; what was read before may be old.
            match self.cache.upgrade() {
                Some(cache) => cache.reset(true),
                None => return Ok(()),
            }
            let mut last_heartbeat = Instant::now();
            while !self.stopped() {
                let mut changed = Vec::new();
                for notification in conn.notifications_iter() {
                    changed.push(notification?.payload);
                }
                if let (false, Some(cache)) = (changed.is_empty(), self.cache.upgrade()) {
                    cache.forget(changed.iter().map(String::as_str));
                }
                if last_heartbeat.elapsed() >= HEARTBEAT {
                    diesel::sql_query("SELECT 1").execute(&mut conn)?;
                    last_heartbeat = Instant::now();
                }
                self.sleep(POLL);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::account_changes::note_changed;

    fn account(id: &str) -> Arc<Account> {
        Arc::new(Account {
            id: id.to_owned(),
            email: format!("{id}@example.org"),
            role: "staff".to_owned(),
            organisation_id: None,
            student_id: None,
            token_version: 0,
            preferred_language: None,
        })
    }

    fn cache() -> AccountCache {
        AccountCache::new(Duration::from_secs(5), true)
    }

    #[test]
    fn a_kept_account_is_found_until_its_time_is_up() {
        let cache = cache();
        let t0 = Instant::now();
        let ticket = cache.ticket().expect("live");
        cache.keep_at(ticket, account("a"), t0);
        assert_eq!(cache.get_at("a", t0 + Duration::from_secs(4)).expect("kept").id, "a");
        assert!(cache.get_at("a", t0 + Duration::from_secs(5)).is_none());
        assert!(cache.get_at("b", t0).is_none());
    }

    #[test]
    fn a_changed_account_is_forgotten_and_others_stay() {
        let cache = cache();
        let ticket = cache.ticket().expect("live");
        cache.keep(ticket, account("a"));
        cache.keep(ticket, account("b"));
        cache.forget(["a"]);
        assert!(cache.get("a").is_none());
        assert!(cache.get("b").is_some());
    }

    #[test]
    fn what_was_read_before_a_change_is_not_kept() {
        let cache = cache();
        let before = cache.ticket().expect("live");
        cache.forget(["someone else"]);
        cache.keep(before, account("a"));
        assert!(cache.get("a").is_none(), "the row read before the change may be old");
        let after = cache.ticket().expect("live");
        cache.keep(after, account("a"));
        assert!(cache.get("a").is_some());
    }

    #[test]
    fn changes_noted_on_a_thread_are_forgotten_when_handed_over() {
        let cache = cache();
        let ticket = cache.ticket().expect("live");
        cache.keep(ticket, account("a"));
        note_changed("a");
        assert!(cache.get("a").is_some(), "not before the work on the connection is done");
        cache.forget_noted();
        assert!(cache.get("a").is_none());
        // Another thread's notes are its own.
        let other = std::thread::spawn(|| note_changed("b"));
        other.join().expect("thread");
        let ticket = cache.ticket().expect("live");
        cache.keep(ticket, account("b"));
        cache.forget_noted();
        assert!(cache.get("b").is_some());
    }

    #[test]
    fn an_off_cache_answers_nothing_and_keeps_nothing() {
        let cache = AccountCache::new(Duration::from_secs(5), false);
        assert!(cache.ticket().is_none());
        let ticket = Ticket(0);
        cache.keep(ticket, account("a"));
        assert!(cache.get("a").is_none());
        cache.reset(true);
        let ticket = cache.ticket().expect("live now");
        cache.keep(ticket, account("a"));
        assert!(cache.get("a").is_some());
        cache.reset(false);
        assert!(cache.get("a").is_none());
        cache.reset(true);
        assert!(cache.get("a").is_none(), "turning it on again starts empty");
    }

    #[test]
    fn a_zero_time_limit_keeps_nothing() {
        let cache = AccountCache::new(Duration::ZERO, true);
        assert!(cache.ticket().is_none());
    }

    #[test]
    fn a_full_cache_makes_room_from_old_entries_only() {
        let cache = cache();
        let t0 = Instant::now();
        let ticket = cache.ticket().expect("live");
        for i in 0..CAPACITY {
            cache.keep_at(ticket, account(&format!("old-{i}")), t0);
        }
        cache.keep_at(ticket, account("new"), t0 + Duration::from_secs(1));
        assert!(cache.get_at("new", t0 + Duration::from_secs(1)).is_none(), "full: read the database");
        cache.keep_at(ticket, account("new"), t0 + Duration::from_secs(6));
        assert!(cache.get_at("new", t0 + Duration::from_secs(6)).is_some(), "the old ones made room");
        assert_eq!(cache.lock().accounts.len(), 1);
    }
}
