use super::FieldError;

/// Free text that is trimmed, not empty, of bounded length and free of control characters,
/// such as a name or an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundedText(String);

impl BoundedText {
    pub fn parse(field: &str, value: &str, max_chars: usize) -> Result<BoundedText, FieldError> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(FieldError::new(field, "must not be empty"));
        }
        if trimmed.chars().count() > max_chars {
            return Err(FieldError::new(field, format!("must be at most {max_chars} characters")));
        }
        if trimmed.chars().any(|c| c.is_control() && c != '\n') {
            return Err(FieldError::new(field, "must not contain control characters"));
        }
        Ok(BoundedText(trimmed.to_owned()))
    }

    /// Optional free text: absent or blank is `None`, anything else must pass `parse`.
    pub fn parse_optional(
        field: &str,
        value: Option<&str>,
        max_chars: usize,
    ) -> Result<Option<String>, FieldError> {
        match value.map(str::trim) {
            None | Some("") => Ok(None),
            Some(v) => Ok(Some(BoundedText::parse(field, v, max_chars)?.into_inner())),
        }
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
    fn text_is_trimmed() {
        assert_eq!(
            BoundedText::parse("name", "  Hub Noord ", 10).map(|t| t.into_inner()),
            Ok("Hub Noord".into())
        );
    }

    #[test]
    fn optional_text_may_be_absent_or_blank() {
        assert_eq!(BoundedText::parse_optional("note", None, 10), Ok(None));
        assert_eq!(BoundedText::parse_optional("note", Some("  "), 10), Ok(None));
        assert_eq!(BoundedText::parse_optional("note", Some(" hi "), 10), Ok(Some("hi".into())));
        assert_eq!(
            BoundedText::parse_optional("note", Some("abcdefghijk"), 10).map_err(|e| e.field),
            Err("note".into())
        );
    }

    #[test]
    fn empty_long_and_control_text_is_refused_naming_the_field() {
        for bad in ["", "   ", "abcdefghijk", "a\u{0}b"] {
            let err = BoundedText::parse("name", bad, 10).expect_err(bad);
            assert_eq!(err.field, "name");
        }
    }
}
