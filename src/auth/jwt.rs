//! Short-lived HS256 access tokens. Only HS256 is accepted, and `exp`, `iat`, `iss`, `aud`
//! and `sub` must all be present and right.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use crate::configuration::AuthSettings;

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    /// The account's token version when issued; a password reset raises it, ending this token.
    #[serde(default)]
    pub ver: i32,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    lifetime_seconds: i64,
}

/// A freshly issued token and how many seconds it lives.
pub struct IssuedToken {
    pub token: String,
    pub expires_in: i64,
}

impl TokenKeys {
    pub fn new(settings: &AuthSettings) -> TokenKeys {
        let secret = settings.jwt_secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        // Clocks of several instances agree to within seconds; a minute of grace is too much
        // for a token that lives for minutes.
        validation.leeway = 5;
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            lifetime_seconds: settings.token_lifetime_minutes * 60,
        }
    }

    pub fn issue(&self, user_id: &str, version: i32) -> Result<IssuedToken, jsonwebtoken::errors::Error> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_owned(),
            iat: now,
            exp: now + self.lifetime_seconds,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            ver: version,
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok(IssuedToken { token, expires_in: self.lifetime_seconds })
    }

    /// The user id and token version in a valid token, or `None` for anything else (expired,
    /// other key, other algorithm, wrong issuer or audience, malformed).
    pub fn verify(&self, token: &str) -> Option<(String, i32)> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|data| (data.claims.sub, data.claims.ver))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use secrecy::SecretString;

    pub(crate) fn settings(secret: &str) -> AuthSettings {
        AuthSettings {
            jwt_secret: SecretString::from(secret.to_owned()),
            jwt_secret_file: String::new(),
            issuer: "devicepool".into(),
            audience: "devicepool-api".into(),
            token_lifetime_minutes: 30,
            account_cache_seconds: 5,
            max_concurrent_hashes: 1,
            max_queued_hashes: 1,
            max_failed_logins_per_account: 5,
            max_failed_logins_per_address: 50,
            failed_login_window_minutes: 15,
            login_delay_seconds: 30,
            max_login_delay_minutes: 15,
            magic_link_minutes: 15,
            invitation_days: 7,
            password_reset_minutes: 30,
            max_magic_links_per_address: 5,
            magic_link_window_minutes: 15,
            anonymous_requests_per_minute: 30,
            link_answer_ms: 200,
        }
    }

    #[test]
    fn a_token_round_trips() {
        let keys = TokenKeys::new(&settings("0123456789abcdef0123456789abcdef"));
        let issued = keys.issue("user-1", 3).expect("encode");
        assert_eq!(keys.verify(&issued.token), Some(("user-1".to_owned(), 3)));
        assert_eq!(issued.expires_in, 1800);
    }

    #[test]
    fn a_token_from_another_key_or_audience_is_refused() {
        let ours = TokenKeys::new(&settings("0123456789abcdef0123456789abcdef"));
        let theirs = TokenKeys::new(&settings("another-key-another-key-another-key"));
        let token = theirs.issue("user-1", 0).expect("encode").token;
        assert_eq!(ours.verify(&token), None);
        let mut other_aud = settings("0123456789abcdef0123456789abcdef");
        other_aud.audience = "someone-else".into();
        let token = TokenKeys::new(&other_aud).issue("user-1", 0).expect("encode").token;
        assert_eq!(ours.verify(&token), None);
        assert_eq!(ours.verify("not.a.token"), None);
    }
}
