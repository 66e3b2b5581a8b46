//! Argon2id password hashing off the async executor, behind a bound on how many hashes run
//! at once: each takes about 19 MiB, so a burst of logins cannot exhaust memory.

use std::sync::{Arc, LazyLock};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// OWASP's recommended Argon2id parameters: m=19456 KiB, t=2, p=1.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("OWASP argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of a random password: verifying an unknown account's login against it costs the same
/// time as a real check, so response times do not reveal which addresses have accounts.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let random: [u8; 16] = rand::random();
    argon2().hash_password(&random).map(|h| h.to_string()).unwrap_or_default()
});

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
}

impl PasswordHasher {
    pub fn new(max_concurrent: usize) -> PasswordHasher {
        PasswordHasher { permits: Arc::new(Semaphore::new(max_concurrent)) }
    }

    pub async fn hash(&self, password: &SecretString) -> Result<String, ApiError> {
        let password = password.clone();
        self.run(move || {
            argon2()
                .hash_password(password.expose_secret().as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| ApiError::internal(format!("password hashing failed: {e}")))
        })
        .await
    }

    /// Checks `password` against `stored`; with no stored hash it checks a dummy one so the
    /// answer takes as long as for a real account, and is `false`.
    pub async fn verify(&self, password: &SecretString, stored: Option<String>) -> Result<bool, ApiError> {
        let password = password.clone();
        self.run(move || {
            let (hash, real) = match stored {
                Some(h) => (h, true),
                None => (DUMMY_HASH.clone(), false),
            };
            let ok = PasswordHash::new(&hash)
                .map(|parsed| argon2().verify_password(password.expose_secret().as_bytes(), &parsed).is_ok())
                .unwrap_or(false);
            Ok(ok && real)
        })
        .await
    }

    /// Computes the dummy hash ahead of the first login, so that login is not slower.
    pub fn warm_up(&self) {
        LazyLock::force(&DUMMY_HASH);
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let _permit =
            self.permits.acquire().await.map_err(|_| ApiError::internal("password hasher closed"))?;
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| ApiError::internal(format!("password task failed: {e}")))?
    }
}

/// Hashes outside a request (CLI, demo data).
pub fn hash_blocking(password: &SecretString) -> anyhow::Result<String> {
    argon2()
        .hash_password(password.expose_secret().as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hasher = PasswordHasher::new(1);
        let pw = SecretString::from("correct horse battery".to_owned());
        let hash = hasher.hash(&pw).await.expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(hasher.verify(&pw, Some(hash.clone())).await.expect("verify"));
        let wrong = SecretString::from("wrong horse battery".to_owned());
        assert!(!hasher.verify(&wrong, Some(hash)).await.expect("verify"));
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        let hasher = PasswordHasher::new(1);
        let pw = SecretString::from("correct horse battery".to_owned());
        assert!(!hasher.verify(&pw, None).await.expect("verify"));
    }
}
