//! The student form (enrol and edit) read from what was typed: each field into its domain
//! type, every mistake at once, then the same rules as the API (`StudentSpec`).

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::form::PageForm;
use crate::domain::student::{Language, StudentFields, StudentSpec, TargetGroup, Track};
use crate::domain::FieldError;
use crate::phrase;

/// The fields of the form, in the order they are shown (and their mistakes listed).
pub const FIELDS: [&str; 11] = [
    "name",
    "email",
    "preferred_language",
    "track",
    "programme_start",
    "programme_end",
    "hub_id",
    "lacks_laptop",
    "lacks_connectivity",
    "lacks_software",
    "target_group",
];

/// A day as a date field sends it (2027-06-30), or as a Dutch reader types it (30-06-2027).
pub fn parse_day(field: &str, typed: &str) -> Result<NaiveDate, FieldError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(FieldError::new(field, phrase!("field-required")));
    }
    NaiveDate::parse_from_str(typed, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(typed, "%d-%m-%Y"))
        .map_err(|_| FieldError::new(field, phrase!("field-date")))
}

/// A choice among `parse`'s values; empty is `None` unless `required`.
fn choice<T>(
    field: &str,
    typed: &str,
    required: bool,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, FieldError> {
    match typed.trim() {
        "" if required => Err(FieldError::new(field, phrase!("field-required"))),
        "" => Ok(None),
        value => parse(value).map(Some).ok_or_else(|| FieldError::new(field, phrase!("field-invalid"))),
    }
}

/// The value of a field that was read, noting its mistake if not.
fn keep<T>(errors: &mut Vec<FieldError>, read: Result<Option<T>, FieldError>) -> Option<T> {
    read.map_err(|e| errors.push(e)).ok().flatten()
}

/// A checked student and the hub they prefer (an id, checked by the workflow), or every
/// mistake of the form.
pub fn parse(form: &PageForm) -> Result<(StudentSpec, Option<String>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let language = keep(
        &mut errors,
        choice("preferred_language", form.get("preferred_language"), true, Language::parse),
    );
    let track = keep(&mut errors, choice("track", form.get("track"), true, Track::parse));
    let start = keep(&mut errors, parse_day("programme_start", form.get("programme_start")).map(Some));
    let end = keep(&mut errors, parse_day("programme_end", form.get("programme_end")).map(Some));
    let target_group =
        keep(&mut errors, choice("target_group", form.get("target_group"), false, TargetGroup::parse));
    let hub =
        keep(&mut errors, choice("hub_id", form.get("hub_id"), false, |h| uuid::Uuid::parse_str(h).ok()));
    let fields = StudentFields {
        name: Some(form.get("name").to_owned()),
        email: Some(form.get("email").trim().to_owned()),
        preferred_language: language,
        track,
        programme_start: start,
        programme_end: end,
        lacks_laptop: Some(form.get("lacks_laptop") == "yes"),
        lacks_connectivity: Some(form.get("lacks_connectivity") == "yes"),
        lacks_software: Some(form.get("lacks_software") == "yes"),
        target_group,
    };
    let spec = StudentSpec::parse(&fields);
    // A field that could not be read is "required" to the spec too: say it once.
    let spec_errors = spec.as_ref().err().cloned().unwrap_or_default();
    for e in spec_errors {
        if !errors.iter().any(|seen: &FieldError| seen.field == e.field) {
            errors.push(e);
        }
    }
    errors.sort_by_key(|e| FIELDS.iter().position(|f| *f == e.field).unwrap_or(FIELDS.len()));
    match spec {
        Ok(spec) if errors.is_empty() => Ok((spec, hub.map(|h| h.to_string()))),
        _ => Err(errors),
    }
}

/// What the form shows in its fields: what was typed, or a student's stored values.
pub fn typed(form: &PageForm) -> Value {
    let mut values = serde_json::Map::new();
    for field in FIELDS {
        values.insert(field.to_owned(), Value::String(form.get(field).to_owned()));
    }
    Value::Object(values)
}

/// A stored student as the form's values.
pub fn stored(s: &crate::routes::students::StudentView) -> Value {
    let yes = |b: bool| if b { "yes" } else { "" };
    json!({
        "name": s.name, "email": s.email.clone().unwrap_or_default(),
        "preferred_language": s.preferred_language.as_str(), "track": s.track.as_str(),
        "programme_start": s.programme_start.to_string(), "programme_end": s.programme_end.to_string(),
        "hub_id": s.hub_id.map(|h| h.to_string()).unwrap_or_default(),
        "lacks_laptop": yes(s.lacks_laptop), "lacks_connectivity": yes(s.lacks_connectivity),
        "lacks_software": yes(s.lacks_software),
        "target_group": s.target_group.map(|g| g.as_str()).unwrap_or(""),
    })
}

/// The choices of the form's lists: tracks and target groups (their words are in the
/// catalogue as `track-…` and `target-group-…`).
pub fn choices() -> Value {
    let key = |prefix: &str, value: &str| format!("{prefix}-{}", value.replace('_', "-"));
    json!({
        "tracks": Track::ALL.iter().map(|t| [t.as_str().to_owned(), key("track", t.as_str())]).collect::<Vec<_>>(),
        "groups": TargetGroup::ALL.iter().map(|g| [g.as_str().to_owned(), key("group", g.as_str())]).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> PageForm {
        PageForm(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    fn good() -> Vec<(&'static str, &'static str)> {
        vec![
            ("name", "Ayla Yilmaz"),
            ("email", " ayla@example.org "),
            ("preferred_language", "nl"),
            ("track", "coder"),
            ("programme_start", "2026-09-01"),
            ("programme_end", "30-06-2027"),
            ("lacks_laptop", "yes"),
            ("target_group", ""),
        ]
    }

    #[test]
    fn a_good_form_is_a_student() {
        let (spec, hub) = parse(&form(&good())).expect("good");
        assert_eq!(spec.email, "ayla@example.org");
        assert_eq!(spec.programme_end, NaiveDate::from_ymd_opt(2027, 6, 30).expect("day"));
        assert!(spec.lacks_laptop && !spec.lacks_connectivity);
        assert_eq!((spec.target_group, hub), (None, None));
    }

    #[test]
    fn every_mistake_is_named_once_in_the_order_of_the_form() {
        let bad = form(&[
            ("name", " "),
            ("email", "ayla"),
            ("preferred_language", "fr"),
            ("programme_start", "2027-01-01"),
            ("programme_end", "2026-01-01"),
            ("hub_id", "hub noord"),
            ("target_group", "pirates"),
        ]);
        let errors = parse(&bad).expect_err("bad");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["name", "email", "preferred_language", "track", "programme_end", "hub_id", "target_group"]
        );
    }

    #[test]
    fn days_are_read_both_ways_and_nothing_else() {
        assert!(parse_day("d", "2027-06-30").is_ok());
        assert_eq!(parse_day("d", "30-06-2027").ok(), parse_day("d", "2027-06-30").ok());
        assert_eq!(parse_day("d", "").expect_err("empty").message, phrase!("field-required"));
        assert_eq!(parse_day("d", "30/06/27").expect_err("bad").message, phrase!("field-date"));
        assert!(parse_day("d", "2027-02-30").is_err());
    }

    #[test]
    fn every_choice_has_words_in_both_languages() {
        let choices = choices();
        for list in ["tracks", "groups"] {
            for option in choices[list].as_array().expect("list") {
                let key = option[1].as_str().expect("key");
                for lang in [Language::Nl, Language::En] {
                    assert_ne!(crate::i18n::say_key(key, [], lang), key, "{key} {lang:?}");
                }
            }
        }
    }

    #[test]
    fn the_form_shows_again_what_was_typed() {
        let values = typed(&form(&good()));
        assert_eq!(values["name"], "Ayla Yilmaz");
        assert_eq!(values["lacks_software"], "", "an unticked box stays unticked");
    }
}
