//! What every handler shares: settings, the database pool, token keys and the password hasher.

use std::sync::Arc;

use crate::auth::{jwt::TokenKeys, password::PasswordHasher};
use crate::configuration::Settings;
use crate::error::ApiError;
use crate::store::{DatabaseUrl, DbConnection, DbPool};

#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub pool: DbPool,
    pub database_url: Arc<DatabaseUrl>,
    pub tokens: Arc<TokenKeys>,
    pub hasher: PasswordHasher,
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
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await
        .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))?
    }
}
