use secrecy::SecretString;

use super::FieldError;

/// A new password: 12 to 128 characters (NIST SP 800-63B: length, not composition rules).
pub struct Password(SecretString);

impl Password {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(field: &str, value: &str) -> Result<Password, FieldError> {
        let n = value.chars().count();
        if n < Self::MIN_CHARS {
            return Err(FieldError::new(
                field,
                crate::phrase!("field-at-least-chars", min = Self::MIN_CHARS),
            ));
        }
        if let Some(long) = Self::too_long(field, value) {
            return Err(long);
        }
        Ok(Password(SecretString::from(value.to_owned())))
    }

    /// The error for a password longer than any account may have, if `value` is one: checked
    /// before any hashing, at sign-in too (a huge password costs time to hash).
    pub fn too_long(field: &str, value: &str) -> Option<FieldError> {
        (value.chars().count() > Self::MAX_CHARS)
            .then(|| FieldError::new(field, crate::phrase!("field-at-most-chars", max = Self::MAX_CHARS)))
    }

    pub fn secret(&self) -> &SecretString {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_bounds_are_inclusive() {
        assert!(Password::parse("password", &"a".repeat(11)).is_err());
        assert!(Password::parse("password", &"a".repeat(12)).is_ok());
        assert!(Password::parse("password", &"é".repeat(128)).is_ok());
        assert!(Password::parse("password", &"a".repeat(129)).is_err());
    }
}
