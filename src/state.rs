//! What every handler shares: settings, the database pool, token keys and the password hasher.

use std::sync::Arc;

use crate::auth::{jwt::TokenKeys, keys::ServerKeys, password::PasswordHasher};
use crate::configuration::Settings;
use crate::domain::client_address::Networks;
use crate::error::ApiError;
use crate::store::{DatabaseUrl, DbConnection, DbPool};

#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub pool: DbPool,
    pub database_url: Arc<DatabaseUrl>,
    pub tokens: Arc<TokenKeys>,
    /// Keys derived from the secret: throttle-key hashing, sealing of message secrets.
    pub keys: Arc<ServerKeys>,
    pub hasher: PasswordHasher,
    /// Proxies whose forwarding header names the client (`server.trusted_proxies`).
    pub proxies: Arc<Networks>,
    /// Addresses that may read `/metrics` without its token.
    pub metrics_readers: Arc<Networks>,
}

impl AppState {
    /// Runs blocking database work on the blocking thread pool, never on the async executor,
    /// with a pooled connection. Pool exhaustion and lost connections become 503.
    pub async fn db<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        actix_web::web::block(move || {
            let _entered = span.enter();
            crate::store::with_connection(&pool, f)
        })
        .await
        .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))?
    }
}
