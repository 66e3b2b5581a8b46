//! Keys derived from the one configured secret (`auth.jwt_secret`), one per use, so that no
//! key serves two purposes: a keyed hash for throttling keys (the table holds no email or
//! network address, and nobody without the secret can test a guess against it), and the
//! key that seals the secret part of a queued message (a sign-in link) until it is sent.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::XChaCha20Poly1305;
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use sha2::Sha256;

use crate::configuration::AuthSettings;

pub struct ServerKeys {
    throttle: [u8; 32],
    sealing: [u8; 32],
    forms: [u8; 32],
}

impl ServerKeys {
    pub fn derive(auth: &AuthSettings) -> ServerKeys {
        let hkdf = hkdf::Hkdf::<Sha256>::new(Some(b"devicepool"), auth.jwt_secret.expose_secret().as_bytes());
        let mut throttle = [0u8; 32];
        let mut sealing = [0u8; 32];
        // 32 bytes is far below HKDF-SHA256's limit of 8160, so expanding cannot fail.
        let _ = hkdf.expand(b"throttle keys v1", &mut throttle);
        let _ = hkdf.expand(b"outbox secrets v1", &mut sealing);
        let mut forms = [0u8; 32];
        let _ = hkdf.expand(b"form tokens v1", &mut forms);
        ServerKeys { throttle, sealing, forms }
    }

    /// The key a throttle counter is stored under: `prefix` and a keyed hash of `value`
    /// (an email address in lower case, or a network address).
    pub fn throttle_key(&self, prefix: &str, value: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.throttle).unwrap_or_else(|_| {
            // HMAC takes keys of any length; this branch cannot be reached.
            unreachable!("HMAC accepts a 32-byte key")
        });
        mac.update(prefix.as_bytes());
        mac.update(&[0]);
        mac.update(value.trim().to_lowercase().as_bytes());
        format!("{prefix}:{}", hex::encode(mac.finalize().into_bytes()))
    }

    /// The token every form of a signed-in page carries: a keyed hash of the session's cookie
    /// token, so it needs no storage and another site, which cannot read the cookie, cannot
    /// know it.
    pub fn form_token(&self, session_token: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.forms)
            .unwrap_or_else(|_| unreachable!("HMAC accepts a 32-byte key"));
        mac.update(session_token.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The stored form of a sign-in code: a keyed hash, bound to the student it was sent to,
    /// so a copy of the database cannot be searched for a code.
    pub fn sign_in_code_hash(&self, student_id: &str, code: &str) -> String {
        self.throttle_key("code", &format!("{student_id}:{}", code.trim()))
    }

    /// Encrypts `plain`, bound to `context` (the message id): the result is useless without
    /// the server's secret and cannot be moved to another message.
    pub fn seal(&self, plain: &[u8], context: &[u8]) -> String {
        let cipher = XChaCha20Poly1305::new((&self.sealing).into());
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        // Encryption with a fresh nonce only fails for inputs of many gigabytes.
        let sealed = cipher.encrypt(&nonce, Payload { msg: plain, aad: context }).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        URL_SAFE_NO_PAD.encode(out)
    }

    /// The plain text of `sealed`, if it was sealed with this key for `context`.
    pub fn open(&self, sealed: &str, context: &[u8]) -> Option<Vec<u8>> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed).ok()?;
        if bytes.len() < 24 {
            return None;
        }
        let (nonce, body) = bytes.split_at(24);
        let cipher = XChaCha20Poly1305::new((&self.sealing).into());
        cipher.decrypt(nonce.into(), Payload { msg: body, aad: context }).ok()
    }
}

impl crate::store::outbox::Seal for ServerKeys {
    fn seal(&self, plain: &[u8], bound_to: &[u8]) -> String {
        ServerKeys::seal(self, plain, bound_to)
    }
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;

    fn keys(secret: &str) -> ServerKeys {
        let mut auth = crate::auth::jwt::tests::settings(secret);
        auth.jwt_secret = SecretString::from(secret.to_owned());
        ServerKeys::derive(&auth)
    }

    #[test]
    fn throttle_keys_hide_the_value_and_depend_on_the_secret() {
        let a = keys("0123456789abcdef0123456789abcdef");
        let b = keys("another-key-another-key-another-key");
        let key = a.throttle_key("account", "Ayla@Example.org ");
        assert!(key.starts_with("account:") && !key.contains("ayla"));
        assert_eq!(key, a.throttle_key("account", "ayla@example.org"));
        assert_ne!(key, a.throttle_key("magic", "ayla@example.org"));
        assert_ne!(key, b.throttle_key("account", "ayla@example.org"));
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_context() {
        let a = keys("0123456789abcdef0123456789abcdef");
        let sealed = a.seal(b"https://x/sign-in?token=abc", b"msg-1");
        assert!(!sealed.contains("token"));
        assert_eq!(a.open(&sealed, b"msg-1").as_deref(), Some(&b"https://x/sign-in?token=abc"[..]));
        assert_eq!(a.open(&sealed, b"msg-2"), None);
        assert_eq!(keys("another-key-another-key-another-key").open(&sealed, b"msg-1"), None);
        assert_eq!(a.open("not sealed", b"msg-1"), None);
        assert_ne!(sealed, a.seal(b"https://x/sign-in?token=abc", b"msg-1"), "a fresh nonce each time");
    }
}
