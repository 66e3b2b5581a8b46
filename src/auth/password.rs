//! Argon2id password hashing off the async executor, on `max_concurrent` threads of its own
//! (each hash takes about 19 MiB, so a burst of logins cannot exhaust memory), with a bound on
//! how many may wait for one: past that the answer is 503 at once, so anonymous requests cannot
//! queue up work that would starve every other sign-in.
//!
//! Own threads, not tokio's blocking pool: the allocator keeps a freed 19 MiB block for the
//! thread that used it, so hashes spread over the pool's dozens of threads held over a
//! gigabyte after a burst of sign-ins (BENCHMARKS.md, "Under load"). Each hashing thread also
//! keeps its Argon2 working memory from one hash to the next while sign-ins keep coming,
//! instead of asking the allocator for 19 MiB each time: glibc raises its mmap threshold after
//! the first free of such a block, and later ones then came from the heap and stayed there
//! (about 230 MB more resident after 6 s of sign-ins). A thread that has waited 5 s for a hash
//! gives its memory back. The threads wait side by side, each with its own time limit (an
//! MPMC channel): with one receiver behind a lock, one thread could keep taking the lock and
//! the other then waited for the lock with no time limit, keeping its 19 MiB. Reserving the memory
//! above glibc's mmap limit makes "back" mean back to the system (see [`RESERVED_BYTES`]).

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::oneshot;

use crate::error::ApiError;

/// OWASP's recommended Argon2id parameters: m=19456 KiB, t=2, p=1.
fn owasp_params() -> Params {
    Params::new(19_456, 2, 1, None).unwrap_or_else(|_| unreachable!("OWASP argon2 parameters are valid"))
}

thread_local! {
    /// Set on the hashing threads only: other threads (the one that warms up, the CLI's) hash
    /// rarely and should not hold 19 MiB for ever.
    static KEEPS_MEMORY: Cell<bool> = const { Cell::new(false) };
    /// This thread's Argon2 working memory, kept from one hash to the next while sign-ins keep
    /// coming (see above).
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// How long a hashing thread keeps its working memory with no hash to compute: a burst of
/// sign-ins reuses it, a quiet server gives it back.
const KEEP_MEMORY_WHILE_BUSY: std::time::Duration = std::time::Duration::from_secs(5);

/// Room reserved for Argon2's working memory: more than glibc's largest dynamic mmap threshold
/// (32 MiB on 64-bit). A freed 19 MiB block raises the threshold to its size and then stays in
/// the heap, resident; a block reserved above 32 MiB is mapped on its own and given back to
/// the system when freed. Only the pages Argon2 uses become resident.
const RESERVED_BYTES: usize = 33 << 20;

/// Working memory for `blocks` Argon2 blocks (see [`RESERVED_BYTES`]).
fn working_memory(blocks: usize) -> Vec<Block> {
    let mut memory = Vec::with_capacity(blocks.max(RESERVED_BYTES / Block::SIZE));
    memory.resize(blocks, Block::new());
    memory
}

/// Fills `out` with the Argon2 output for `password` and `salt`, in this thread's kept memory
/// on a hashing thread.
fn compute(argon2: &Argon2, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), argon2::Error> {
    let blocks = argon2.params().block_count();
    if !KEEPS_MEMORY.get() {
        return argon2.hash_password_into_with_memory(password, salt, out, working_memory(blocks));
    }
    MEMORY.with_borrow_mut(|memory| {
        if memory.len() != blocks {
            *memory = working_memory(blocks);
        }
        argon2.hash_password_into_with_memory(password, salt, out, &mut memory[..])
    })
}

/// A new PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) for `password`.
fn hash_password(password: &[u8]) -> Result<String, String> {
    let params = owasp_params();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt: [u8; Salt::RECOMMENDED_LENGTH] = rand::random();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    compute(&argon2, password, &salt, &mut out).map_err(|e| e.to_string())?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| e.to_string())?,
        salt: Some(Salt::new(&salt).map_err(|e| e.to_string())?),
        hash: Some(Output::new(&out).map_err(|e| e.to_string())?),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `stored`, with the algorithm, version and
/// parameters written in it; anything unreadable does not match.
fn verify_password(password: &[u8], stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else { return false };
    let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else { return false };
    let Ok(algorithm) = Algorithm::try_from(hash.algorithm.as_str()) else { return false };
    let Ok(version) = hash.version.map(Version::try_from).transpose() else { return false };
    let Ok(params) = Params::try_from(&hash) else { return false };
    let argon2 = Argon2::new(algorithm, version.unwrap_or_default(), params);
    let mut out = vec![0u8; expected.len()];
    // `Output`'s equality takes the same time wherever the first difference is.
    compute(&argon2, password, salt, &mut out).is_ok()
        && Output::new(&out).is_ok_and(|computed| &computed == expected)
}

/// A hash of a random password: verifying an unknown account's login against it costs the same
/// time as a real check, so response times do not reveal which addresses have accounts.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let random: [u8; 16] = rand::random();
    hash_password(&random).unwrap_or_default()
});

/// A hash to compute on one of the hashing threads.
type Job = Box<dyn FnOnce() + Send>;

#[derive(Clone)]
pub struct PasswordHasher {
    /// To the hashing threads; they end when the last hasher is dropped.
    jobs: crossbeam_channel::Sender<Job>,
    /// Checks running or waiting now, and the most that may be.
    in_line: Arc<AtomicUsize>,
    max_in_line: usize,
    /// Hashes computed, by kind (`hash`, `verify`): what tests and operators count.
    computed: prometheus::IntCounterVec,
    /// Hashing threads holding their working memory now (about 19 MiB each).
    holding: prometheus::IntGauge,
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
        Self::keeping_memory_for(KEEP_MEMORY_WHILE_BUSY, max_concurrent, max_queued)
    }

    /// As [`PasswordHasher::new`], with each thread's memory given back after `keep` with no hash.
    fn keeping_memory_for(
        keep: std::time::Duration,
        max_concurrent: usize,
        max_queued: usize,
    ) -> PasswordHasher {
        let computed = prometheus::IntCounterVec::new(
            prometheus::Opts::new("devicepool_password_hashes_total", "Argon2id hashes computed, by kind"),
            &["kind"],
        )
        .unwrap_or_else(|_| unreachable!("the counter's name and label are valid"));
        let (jobs, queue) = crossbeam_channel::unbounded::<Job>();
        let holding = prometheus::IntGauge::new(
            "devicepool_password_hash_memory_held",
            "Password hashing threads holding their Argon2 working memory",
        )
        .unwrap_or_else(|_| unreachable!("the gauge's name is valid"));
        for n in 0..max_concurrent.max(1) {
            let (queue, holding) = (queue.clone(), holding.clone());
            let spawned = std::thread::Builder::new().name(format!("password-hash-{n}")).spawn(move || {
                KEEPS_MEMORY.set(true);
                let mut holds = false;
                loop {
                    match queue.recv_timeout(keep) {
                        // A hash that panics answers 500 (its sender is dropped); the thread goes on.
                        Ok(job) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                            if !holds && MEMORY.with_borrow(|m| m.capacity() > 0) {
                                holds = true;
                                holding.inc();
                            }
                        }
                        Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                            drop(MEMORY.take());
                            if std::mem::take(&mut holds) {
                                holding.dec();
                            }
                        }
                        Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
                    }
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
            holding,
        }
    }

    /// The counter of hashes computed, for the metrics registry.
    pub fn counter(&self) -> prometheus::IntCounterVec {
        self.computed.clone()
    }

    /// The gauge of hashing threads holding their working memory, for the metrics registry.
    pub fn memory_held(&self) -> prometheus::IntGauge {
        self.holding.clone()
    }

    pub async fn hash(&self, password: &SecretString) -> Result<String, ApiError> {
        let password = password.clone();
        self.run("hash", move || {
            hash_password(password.expose_secret().as_bytes())
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
            Ok(verify_password(password.expose_secret().as_bytes(), &hash) && real)
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
    hash_password(password.expose_secret().as_bytes())
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

    #[test]
    fn hashes_made_by_the_argon2_crate_itself_still_verify() {
        use argon2::password_hash::PasswordHasher as _;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, owasp_params());
        let theirs = argon2.hash_password(b"correct horse battery").expect("hash").to_string();
        assert!(verify_password(b"correct horse battery", &theirs));
        assert!(!verify_password(b"wrong horse battery", &theirs));
        // Other parameters, as an older release may have stored: read from the string.
        let light =
            Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8, 1, 1, None).expect("params"));
        let older = light.hash_password(b"correct horse battery").expect("hash").to_string();
        assert!(verify_password(b"correct horse battery", &older));
        assert!(!verify_password(b"wrong horse battery", &older));
    }

    #[test]
    fn unreadable_stored_hashes_do_not_verify() {
        for stored in [
            "",
            "plain text",
            "$argon2id$v=19$m=19456,t=2,p=1$",
            "$scrypt$ln=4,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
        ] {
            assert!(!verify_password(b"anything", stored), "{stored:?}");
        }
    }

    #[test]
    fn our_hashes_verify_with_the_argon2_crate_itself() {
        use argon2::password_hash::PasswordVerifier as _;
        let ours = hash_password(b"correct horse battery").expect("hash");
        let parsed = PasswordHash::new(&ours).expect("a PHC string");
        let argon2 = Argon2::default();
        assert!(argon2.verify_password(b"correct horse battery", &parsed).is_ok());
        assert!(argon2.verify_password(b"wrong horse battery", &parsed).is_err());
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

    #[tokio::test]
    async fn every_hashing_thread_gives_its_memory_back_when_sign_ins_stop() {
        let hasher = PasswordHasher::keeping_memory_for(std::time::Duration::from_millis(200), 2, 8);
        let pw = SecretString::from("correct horse battery".to_owned());
        let stored = hash_blocking(&pw).expect("hashed");
        // Both threads busy: a burst of parallel checks, until each thread has hashed once.
        let mut rounds = 0;
        while hasher.memory_held().get() < 2 && rounds < 20 {
            let checks = (0..4).map(|_| hasher.verify(&pw, Some(stored.clone())));
            assert!(futures_util::future::join_all(checks).await.into_iter().all(|r| r.is_ok_and(|ok| ok)));
            rounds += 1;
        }
        assert_eq!(hasher.memory_held().get(), 2, "both threads keep their memory while busy");
        // Quiet now: each thread waits with its own time limit, so both give their memory back.
        for _ in 0..100 {
            if hasher.memory_held().get() == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!(
            "{} hashing threads still hold their memory 5 s after the last hash",
            hasher.memory_held().get()
        );
    }
}
