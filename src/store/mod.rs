//! Storage: one diesel connection type for SQLite and PostgreSQL, the pool, migrations
//! and the query modules (one per resource). Everything here is blocking; handlers reach it
//! through [`crate::state::AppState::db`], which runs it off the async executor.

pub mod access_log;
pub mod account_cache;
pub mod account_changes;
pub mod allocations;
pub mod asset_lists;
pub mod class_sets;
pub mod counters;
pub mod devices;
pub mod dialect;
pub mod donations;
pub mod fault_reports;
pub mod hubs;
pub mod in_use;
pub mod integrity;
pub mod json_list;
pub mod licences;
pub mod loans;
pub mod login_throttle;
pub mod matching;
pub mod meta;
mod one_time_links;
pub use one_time_links::{invitations, magic_links, password_resets, sign_in_codes};
pub mod organisations;
pub mod outbox;
pub mod reports;
pub mod requests;
pub mod schema;
pub mod students;
pub mod tracks;
pub mod users;
pub mod web_sessions;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{ManageConnection, Pool};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

/// A connection to either backend; the variant is picked from the database URL at run time.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Runs the same diesel expression on whichever backend `conn` is, for the few queries
/// (upserts, `RETURNING`, row locks) that do not compile through [`DbConnection`].
#[macro_export]
macro_rules! with_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::store::DbConnection::Pg($c) => $body,
            $crate::store::DbConnection::Sqlite($c) => $body,
        }
    };
}

/// The connection pool, with the cache of the accounts read through it: the work done on a
/// pooled connection tells the cache what it changed ([`with_connection`]).
#[derive(Clone)]
pub struct DbPool {
    pool: Pool<ConnectionManager>,
    accounts: std::sync::Arc<account_cache::AccountCache>,
}

impl DbPool {
    /// The accounts read through this pool, kept between requests.
    pub fn accounts(&self) -> &std::sync::Arc<account_cache::AccountCache> {
        &self.accounts
    }
}

impl std::ops::Deref for DbPool {
    type Target = Pool<ConnectionManager>;
    fn deref(&self) -> &Pool<ConnectionManager> {
        &self.pool
    }
}

/// A connection as the pool holds it, with a flag the pool reads when it comes back. The pool
/// does not test a connection before handing it out (that would cost a round trip on every
/// request); instead a caller whose query failed asks [`PooledDb::check_after_failure`], and a
/// connection that no longer answers is dropped instead of handed out again.
pub struct PooledDb {
    conn: DbConnection,
    broken: bool,
}

impl PooledDb {
    /// After a failed query: if the connection does not answer `SELECT 1` either (the database
    /// restarted, the network went), marks it so the pool replaces it.
    pub fn check_after_failure(&mut self) {
        if self.conn.batch_execute("SELECT 1").is_err() {
            self.broken = true;
        }
    }
}

/// Runs `f` on a connection from the pool; call it off the async executor. Pool exhaustion is
/// `DatabaseUnavailable` (503). After a failure on the server's side the connection checks
/// itself, so one the database dropped is replaced rather than handed out again.
pub fn with_connection<T>(
    pool: &DbPool,
    f: impl FnOnce(&mut DbConnection) -> Result<T, crate::error::ApiError>,
) -> Result<T, crate::error::ApiError> {
    use crate::error::ApiError;
    let mut conn = pool.get()?;
    let result = f(&mut conn);
    if matches!(result, Err(ApiError::DatabaseUnavailable | ApiError::Internal(_))) {
        conn.check_after_failure();
    }
    // Every transaction of `f` has ended: accounts it changed may be read afresh now.
    pool.accounts.forget_noted();
    result
}

impl std::ops::Deref for PooledDb {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for PooledDb {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Where the database is: parsed with the settings, opened here.
pub use crate::configuration::DatabaseUrl;

/// An r2d2 manager that opens the right backend and prepares each SQLite connection.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot connect to the database: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
}

impl ManageConnection for ConnectionManager {
    type Connection = PooledDb;
    type Error = ConnectError;

    fn connect(&self) -> Result<PooledDb, ConnectError> {
        Ok(PooledDb { conn: self.open()?, broken: false })
    }

    fn is_valid(&self, conn: &mut PooledDb) -> Result<(), ConnectError> {
        conn.batch_execute("SELECT 1").map_err(Into::into)
    }

    /// Read when a connection comes back to the pool. A transaction left open or failed also
    /// counts: the next user must start clean.
    fn has_broken(&self, conn: &mut PooledDb) -> bool {
        conn.broken
            || <DbConnection as Connection>::TransactionManager::is_broken_transaction_manager(&mut conn.conn)
    }
}

impl ConnectionManager {
    fn open(&self) -> Result<DbConnection, ConnectError> {
        match &self.url {
            DatabaseUrl::Postgres(url) => Ok(DbConnection::Pg(diesel::PgConnection::establish(url)?)),
            DatabaseUrl::Sqlite(path) => {
                let path = path.to_string_lossy();
                let mut conn = diesel::SqliteConnection::establish(&path)?;
                // WAL lets readers run beside the one writer; the busy timeout makes a writer
                // wait for the lock instead of failing with "database is locked". It comes first:
                // switching a new connection to WAL can meet a lock too, and without the timeout
                // that fails at once and the pool answers 503 (seen in CI). Reading the
                // file through a memory map (shared by every connection, in the OS page cache)
                // keeps the reports' index scans quick without a big cache per connection.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
                     PRAGMA mmap_size = 268435456; PRAGMA cache_size = -8000;",
                )?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

/// Builds the pool. For SQLite the folder of the file is created first. Accounts read through
/// it are kept up to `account_ttl` (zero: not at all); on PostgreSQL only once
/// [`account_cache::listen`] hears other instances' changes.
pub fn build_pool(
    url: &DatabaseUrl,
    max_size: u32,
    timeout: Duration,
    account_ttl: Duration,
) -> anyhow::Result<DbPool> {
    if let DatabaseUrl::Sqlite(path) = url {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| anyhow::anyhow!("cannot create the database folder {}: {e}", dir.display()))?;
        }
    }
    let pool = Pool::builder()
        .max_size(max_size)
        .min_idle(Some(0))
        .connection_timeout(timeout)
        .test_on_check_out(false)
        .build(ConnectionManager { url: url.clone() })
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let live = matches!(url, DatabaseUrl::Sqlite(_));
    Ok(DbPool { pool, accounts: std::sync::Arc::new(account_cache::AccountCache::new(account_ttl, live)) })
}

/// Applies every pending migration for the connection's backend; returns the versions applied.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    let applied = match conn {
        DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
    }
    .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    Ok(applied.into_iter().map(|v| v.to_string()).collect())
}

/// Runs `f` in one transaction that takes the write lock up front. On SQLite that is
/// `BEGIN IMMEDIATE`: a deferred transaction that reads and then writes can fail with
/// "database is locked" when another writer got in between. PostgreSQL needs nothing special.
pub fn write_tx<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Sqlite(inner) => {
            // DbConnection's transaction manager keeps its state in the inner connection, so
            // opening the transaction on the inner one and finishing it on the outer is sound.
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
            match f(conn) {
                Ok(value) => {
                    <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
                    Ok(value)
                }
                Err(e) => {
                    <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)?;
                    Err(e)
                }
            }
        }
        DbConnection::Pg(_) => conn.transaction(f),
    }
}

/// The current time as stored: UTC without offset, truncated to microseconds so that a value
/// read back equals the value written on both backends.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::{DurationRound, TimeDelta};
    let now = chrono::Utc::now().naive_utc();
    now.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(now)
}

/// A fresh time-ordered id, stored as text on both backends.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Rows for `ids` gathered by key, read `IDS_PER_QUERY` ids at a time: one `eq_any` query per
/// chunk keeps each statement under SQLite's limit on bound values.
pub fn by_ids<I, K, V>(
    ids: &[I],
    mut read: impl FnMut(&[I]) -> QueryResult<Vec<(K, V)>>,
) -> QueryResult<std::collections::HashMap<K, V>>
where
    K: std::hash::Hash + Eq,
{
    let mut found = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        found.extend(read(chunk)?);
    }
    Ok(found)
}

/// How many ids one `eq_any` binds at most.
pub const IDS_PER_QUERY: usize = 500;

/// Ids are stored as text; one that does not parse back means the database is corrupt.
pub fn stored_id(id: &str) -> Result<uuid::Uuid, crate::error::ApiError> {
    uuid::Uuid::parse_str(id)
        .map_err(|_| crate::error::ApiError::internal(format!("stored id is not a UUID: {id}")))
}
