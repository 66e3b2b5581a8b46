//! Argon2id password hashing off the async executor, on `max_concurrent` threads of its own
//! (each hash takes about 19 MiB, so a burst of logins cannot exhaust memory), with a bound on
//! how many may wait for one: past that the answer is 503 at once, so anonymous requests cannot
//! queue up work that would starve every other sign-in.
//!
//! Own threads, not tokio's blocking pool: the allocator keeps a freed 19 MiB block for the
//! thread that used it, so hashes spread over the pool's dozens of threads held over a
//! gigabyte after a burst of sign-ins (BENCHMARKS.md, "Under load"). A few threads that only
//! hash reuse the same blocks.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, LazyLock, Mutex};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::oneshot;

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

/// A hash to compute on one of the hashing threads.
type Job = Box<dyn FnOnce() + Send>;

#[derive(Clone)]
pub struct PasswordHasher {
    /// To the hashing threads; they end when the last hasher is dropped.
    jobs: mpsc::Sender<Job>,
    /// Checks running or waiting now, and the most that may be.
    in_line: Arc<AtomicUsize>,
    max_in_line: usize,
    /// Hashes computed, by kind (`hash`, `verify`): what tests and operators count.
    computed: prometheus::IntCounterVec,
}

/// Takes a check out of the line when it is done, however it ends.
struct InLine(Arc<AtomicUsize>);

impl Drop for InLine {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl PasswordHasher {
    /// `max_concurrent` hashes at once, and up to `max_queued` more waiting.
    pub fn new(max_concurrent: usize, max_queued: usize) -> PasswordHasher {
        let computed = prometheus::IntCounterVec::new(
            prometheus::Opts::new("devicepool_password_hashes_total", "Argon2id hashes computed, by kind"),
            &["kind"],
        )
        .unwrap_or_else(|_| unreachable!("the counter's name and label are valid"));
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..max_concurrent.max(1) {
            let queue = queue.clone();
            let spawned =
                std::thread::Builder::new().name(format!("password-hash-{n}")).spawn(move || loop {
                    // The lock is held only while a job is taken, not while it runs.
                    let next = queue.lock().map(|q| q.recv());
                    match next {
                        // A hash that panics answers 500 (its sender is dropped); the thread goes on.
                        Ok(Ok(job)) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                        }
                        _ => break,
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        PasswordHasher {
            jobs,
            in_line: Arc::new(AtomicUsize::new(0)),
            max_in_line: max_concurrent + max_queued,
            computed,
        }
    }

    /// The counter of hashes computed, for the metrics registry.
    pub fn counter(&self) -> prometheus::IntCounterVec {
        self.computed.clone()
    }

    pub async fn hash(&self, password: &SecretString) -> Result<String, ApiError> {
        let password = password.clone();
        self.run("hash", move || {
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
        self.run("verify", move || {
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
        kind: &str,
        f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        if self.in_line.fetch_add(1, Ordering::SeqCst) >= self.max_in_line {
            self.in_line.fetch_sub(1, Ordering::SeqCst);
            return Err(ApiError::Busy { retry_after_seconds: 2 });
        }
        let _in_line = InLine(self.in_line.clone());
        self.computed.with_label_values(&[kind]).inc();
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(f());
        });
        self.jobs.send(job).map_err(|_| ApiError::internal("password hasher closed"))?;
        result.await.map_err(|_| ApiError::internal("password task failed"))?
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
        let hasher = PasswordHasher::new(1, 1);
        let pw = SecretString::from("correct horse battery".to_owned());
        let hash = hasher.hash(&pw).await.expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(hasher.verify(&pw, Some(hash.clone())).await.expect("verify"));
        let wrong = SecretString::from("wrong horse battery".to_owned());
        assert!(!hasher.verify(&wrong, Some(hash)).await.expect("verify"));
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        let hasher = PasswordHasher::new(1, 1);
        let pw = SecretString::from("correct horse battery".to_owned());
        assert!(!hasher.verify(&pw, None).await.expect("verify"));
        assert_eq!(hasher.counter().with_label_values(&["verify"]).get(), 1);
    }

    #[tokio::test]
    async fn a_full_line_answers_busy_at_once_and_frees_up_afterwards() {
        let hasher = PasswordHasher::new(1, 2);
        let pw = SecretString::from("correct horse battery".to_owned());
        let results = futures_util::future::join_all((0..12).map(|_| hasher.verify(&pw, None))).await;
        let busy = results.iter().filter(|r| matches!(r, Err(ApiError::Busy { .. }))).count();
        assert_eq!(busy, 9, "one running and two waiting; the other nine are turned away");
        assert_eq!(hasher.counter().with_label_values(&["verify"]).get(), 3);
        assert!(hasher.verify(&pw, None).await.is_ok(), "the line is empty again");
    }
}
