//! One-time secrets such as sign-in links: 256 random bits, sent once, stored only as a hash.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// A fresh token for a link (43 URL-safe characters).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Wrong codes a sign-in code survives: at this many its link and code are burnt, whoever
/// typed them and from wherever, so a guesser gets 5 tries in a million per mail.
pub const MAX_WRONG_CODES: i32 = 5;

/// A six-digit code for a person to type (the sign-in mail's fallback for its link). Short,
/// so it is only ever checked within a few attempts (see `workflows::sign_in`).
pub fn new_code() -> String {
    format!("{:06}", rand::thread_rng().gen_range(0..1_000_000))
}

/// What is stored and looked up: the SHA-256 of the token, in hex. A stolen database holds
/// no usable links.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "256 bits in base64url");
        assert_eq!(token_hash(&a).len(), 64);
        assert_eq!(token_hash(&a), token_hash(&a));
    }
}
