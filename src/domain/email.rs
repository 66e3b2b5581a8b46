use super::FieldError;

/// An email address, trimmed and lower-cased so that one person has one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(field: &str, value: &str) -> Result<EmailAddress, FieldError> {
        let normalised = value.trim().to_lowercase();
        if normalised.len() > 254 {
            return Err(FieldError::new(field, crate::phrase!("field-at-most-chars", max = 254)));
        }
        // The syntax check is the email_address crate's (RFC 5322); we add that a domain
        // needs a dot, since addresses like user@localhost cannot receive our mail.
        let valid = email_address::EmailAddress::is_valid(&normalised)
            && normalised.rsplit_once('@').is_some_and(|(_, domain)| domain.contains('.'));
        if !valid {
            return Err(FieldError::new(field, crate::phrase!("field-email")));
        }
        Ok(EmailAddress(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        let e = EmailAddress::parse("email", "  Ayla.Demir@Example.ORG ").map(EmailAddress::into_inner);
        assert_eq!(e, Ok("ayla.demir@example.org".into()));
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in ["", "no-at-sign", "a@b", "two@@example.org", "space in@example.org", "@example.org"] {
            assert!(EmailAddress::parse("email", bad).is_err(), "{bad}");
        }
    }
}
