use super::FieldError;

/// Free text that is trimmed, not empty, of bounded length and free of control characters.
/// `parse` takes one line, for what is a name or a label (a line break in a name could start
/// a paragraph of its own, with a link, in a message that quotes it); `parse_multiline` takes
/// line breaks too, for notes and addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundedText(String);

impl BoundedText {
    /// One line of text, such as a name.
    pub fn parse(field: &str, value: &str, max_chars: usize) -> Result<BoundedText, FieldError> {
        let text = Self::parse_multiline(field, value, max_chars)?;
        if text.0.contains(['\n', '\u{2028}', '\u{2029}']) {
            return Err(FieldError::new(field, crate::phrase!("field-one-line")));
        }
        Ok(text)
    }

    /// Text that may run over several lines, such as a note or an address.
    pub fn parse_multiline(field: &str, value: &str, max_chars: usize) -> Result<BoundedText, FieldError> {
        // Browsers send the lines of a text area with CRLF.
        let value = value.replace("\r\n", "\n");
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(FieldError::new(field, crate::phrase!("field-empty")));
        }
        if trimmed.chars().count() > max_chars {
            return Err(FieldError::new(field, crate::phrase!("field-at-most-chars", max = max_chars)));
        }
        if trimmed.chars().any(|c| c.is_control() && c != '\n') {
            return Err(FieldError::new(field, crate::phrase!("field-control-chars")));
        }
        Ok(BoundedText(trimmed.to_owned()))
    }

    /// Optional one-line text: absent or blank is `None`, anything else must pass `parse`.
    pub fn parse_optional(
        field: &str,
        value: Option<&str>,
        max_chars: usize,
    ) -> Result<Option<String>, FieldError> {
        Self::optional(field, value, max_chars, Self::parse)
    }

    /// Optional text of several lines: absent or blank is `None`.
    pub fn parse_optional_multiline(
        field: &str,
        value: Option<&str>,
        max_chars: usize,
    ) -> Result<Option<String>, FieldError> {
        Self::optional(field, value, max_chars, Self::parse_multiline)
    }

    fn optional(
        field: &str,
        value: Option<&str>,
        max_chars: usize,
        parse: fn(&str, &str, usize) -> Result<BoundedText, FieldError>,
    ) -> Result<Option<String>, FieldError> {
        match value.map(str::trim) {
            None | Some("") => Ok(None),
            Some(v) => Ok(Some(parse(field, v, max_chars)?.into_inner())),
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
    fn a_name_is_one_line_and_a_note_may_be_several() {
        for name in ["Ayla\nVisit http://evil.example", "Ayla\r\nx", "A\u{2028}B"] {
            assert!(BoundedText::parse("name", name, 100).is_err(), "{name:?}");
        }
        assert_eq!(
            BoundedText::parse_multiline("note", "line one\nline two", 100).map(|t| t.into_inner()),
            Ok("line one\nline two".into())
        );
        assert_eq!(
            BoundedText::parse_optional_multiline("note", Some(" a\nb "), 10),
            Ok(Some("a\nb".into()))
        );
        assert!(BoundedText::parse_optional("name", Some("a\nb"), 10).is_err());
    }

    #[test]
    fn empty_long_and_control_text_is_refused_naming_the_field() {
        for bad in ["", "   ", "abcdefghijk", "a\u{0}b"] {
            let err = BoundedText::parse("name", bad, 10).expect_err(bad);
            assert_eq!(err.field, "name");
        }
    }
}
