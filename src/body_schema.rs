//! Checks a JSON body against the schema the OpenAPI document publishes for its type, before
//! serde reads it, so that one answer names every field that breaks the contract (serde stops
//! at the first). The schema is generated from the same Rust types, so the two cannot drift.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError, Validator};
use serde_json::Value;

use crate::domain::phrase::Phrase;
use crate::domain::FieldError;
use crate::phrase;

/// The schemas of the OpenAPI document, for `$ref`s to resolve against. The document is built
/// from the routes, far above this module: `startup` hands it over with [`publish`].
static COMPONENTS: OnceLock<Value> = OnceLock::new();

/// Takes the components of the served OpenAPI document `doc`; the first call counts (every
/// server of the process serves the same document).
pub fn publish(doc: &Value) {
    let _ = COMPONENTS.set(doc.pointer("/components").cloned().unwrap_or_default());
}

/// One compiled validator per body type, made the first time a body of that type arrives.
static VALIDATORS: LazyLock<Mutex<HashMap<String, Option<Arc<Validator>>>>> = LazyLock::new(Default::default);

fn validator(schema_name: &str) -> Option<Arc<Validator>> {
    let mut cache = VALIDATORS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    cache
        .entry(schema_name.to_owned())
        .or_insert_with(|| {
            let components = COMPONENTS.get()?;
            components.pointer(&format!("/schemas/{schema_name}"))?;
            let root = serde_json::json!({
                "$ref": format!("#/components/schemas/{schema_name}"),
                "components": components,
            });
            match jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true)
                .build(&root)
            {
                Ok(v) => Some(Arc::new(v)),
                Err(e) => {
                    tracing::error!(schema = schema_name, error = %e, "a request schema does not compile");
                    None
                }
            }
        })
        .clone()
}

/// Every way `body` breaks the published schema `schema_name`, one error per field.
/// A type without a published schema is left to serde.
pub fn check(schema_name: &str, body: &Value) -> Vec<FieldError> {
    let Some(validator) = validator(schema_name) else {
        return Vec::new();
    };
    let mut errors: Vec<FieldError> = Vec::new();
    for e in validator.iter_errors(body) {
        for found in field_errors(&e) {
            // One message per field: the first is the one to fix first.
            if !errors.iter().any(|x| x.field == found.field) {
                errors.push(found);
            }
        }
    }
    errors
}

/// `/items/0/name` → `items[0].name`; the root is `body`.
fn field_name(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if segment.chars().all(|c| c.is_ascii_digit()) && !out.is_empty() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    if out.is_empty() {
        "body".to_owned()
    } else {
        out
    }
}

fn within(parent: &str, child: &str) -> String {
    if parent == "body" {
        child.to_owned()
    } else {
        format!("{parent}.{child}")
    }
}

fn field_errors(e: &ValidationError<'_>) -> Vec<FieldError> {
    let field = field_name(e.instance_path().as_str());
    let one = |message: Phrase| vec![FieldError::new(field.clone(), message)];
    match e.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or("body");
            vec![FieldError::new(within(&field, name), phrase!("field-required"))]
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|name| FieldError::new(within(&field, name), phrase!("field-unknown")))
            .collect(),
        ValidationErrorKind::Type { kind } if field == "body" => {
            let _ = kind;
            one(phrase!("field-body-object"))
        }
        ValidationErrorKind::Type { kind } => one(type_phrase(kind)),
        ValidationErrorKind::Enum { options } => one(choice(options)),
        ValidationErrorKind::Constant { expected_value } => {
            one(phrase!("field-choice", options = plain(expected_value)))
        }
        ValidationErrorKind::MinLength { limit: 1 } => one(phrase!("field-empty")),
        ValidationErrorKind::MinLength { limit } => one(phrase!("field-at-least-chars", min = *limit)),
        ValidationErrorKind::MaxLength { limit } => one(phrase!("field-at-most-chars", max = *limit)),
        ValidationErrorKind::Minimum { limit } | ValidationErrorKind::ExclusiveMinimum { limit } => {
            one(phrase!("field-at-least", min = plain(limit)))
        }
        ValidationErrorKind::Maximum { limit } | ValidationErrorKind::ExclusiveMaximum { limit } => {
            one(phrase!("field-at-most", max = plain(limit)))
        }
        ValidationErrorKind::MinItems { limit: 1 } => one(phrase!("field-empty-list")),
        ValidationErrorKind::MinItems { limit } => one(phrase!("field-at-least-items", min = *limit)),
        ValidationErrorKind::MaxItems { limit } => one(phrase!("field-at-most-items", max = *limit)),
        ValidationErrorKind::UniqueItems => one(phrase!("field-unique-items")),
        // `\S`: some text that is not only spaces, which is what names and addresses need.
        ValidationErrorKind::Pattern { pattern } if pattern == "\\S" => one(phrase!("field-empty")),
        // The patterns of `domain::licence::parse_product` and `domain::device_spec::parse_serial`.
        ValidationErrorKind::Pattern { pattern } if pattern == r"^[\w\s.+-]*[\w.+-][\w\s.+-]*$" => {
            one(phrase!("field-product-chars"))
        }
        ValidationErrorKind::Pattern { pattern } if pattern == r"^\s*[A-Za-z0-9_./-]+\s*$" => {
            one(phrase!("field-serial-chars"))
        }
        ValidationErrorKind::Format { format } => one(match format.as_str() {
            "email" | "idn-email" => phrase!("field-email"),
            "date" => phrase!("field-date"),
            "date-time" => phrase!("field-date-time"),
            "uuid" => phrase!("field-id"),
            _ => phrase!("field-invalid"),
        }),
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            alternatives(&field, context)
        }
        _ => one(phrase!("field-invalid")),
    }
}

/// None of a `oneOf` fitted. An `Option<T>` is "null or T", a tagged enum is one object per
/// tag: report the errors of the alternative the sender meant, which is the one whose tag
/// matched and whose type was right, with the fewest errors; if no tag matched, the tags.
fn alternatives(field: &str, context: &[Vec<ValidationError<'static>>]) -> Vec<FieldError> {
    let is_tag_mismatch = |e: &ValidationError<'_>| match e.kind() {
        ValidationErrorKind::Constant { .. } => true,
        ValidationErrorKind::Enum { options } => options.as_array().is_some_and(|o| o.len() == 1),
        _ => false,
    };
    let at_this_field = |e: &ValidationError<'_>| field_name(e.instance_path().as_str()) == field;
    let only_wrong_type = |branch: &Vec<ValidationError<'static>>| {
        branch.len() == 1
            && at_this_field(&branch[0])
            && matches!(branch[0].kind(), ValidationErrorKind::Type { .. })
    };
    let meant = context
        .iter()
        .filter(|branch| !branch.iter().any(&is_tag_mismatch) && !only_wrong_type(branch))
        .min_by_key(|branch| branch.len());
    if let Some(branch) = meant {
        return branch.iter().flat_map(|e| field_errors(e)).collect();
    }
    // Every alternative is a tag that did not match: say which tags there are.
    let tags: Vec<(String, String)> = context
        .iter()
        .flat_map(|branch| branch.iter())
        .filter(|e| is_tag_mismatch(e))
        .filter_map(|e| {
            let value = match e.kind() {
                ValidationErrorKind::Constant { expected_value } => plain(expected_value),
                ValidationErrorKind::Enum { options } => plain(options.as_array()?.first()?),
                _ => return None,
            };
            Some((field_name(e.instance_path().as_str()), value))
        })
        .collect();
    if let Some((tag_field, _)) = tags.first() {
        let options: Vec<&str> =
            tags.iter().filter(|(f, _)| f == tag_field).map(|(_, v)| v.as_str()).collect();
        return vec![FieldError::new(
            tag_field.clone(),
            phrase!("field-choice", options = options.join(", ")),
        )];
    }
    // Only wrong types: name the type that is not "empty".
    let wanted = context.iter().flatten().find_map(|e| match e.kind() {
        ValidationErrorKind::Type { kind } if !matches!(kind, TypeKind::Single(JsonType::Null)) => {
            Some(type_phrase(kind))
        }
        _ => None,
    });
    vec![FieldError::new(field.to_owned(), wanted.unwrap_or_else(|| phrase!("field-invalid")))]
}

fn type_phrase(kind: &TypeKind) -> Phrase {
    let first = match kind {
        TypeKind::Single(t) => Some(*t),
        TypeKind::Multiple(set) => set.iter().find(|t| *t != JsonType::Null),
    };
    let expected = match first {
        Some(JsonType::String) => "text",
        Some(JsonType::Integer) => "whole-number",
        Some(JsonType::Number) => "number",
        Some(JsonType::Boolean) => "boolean",
        Some(JsonType::Array) => "list",
        Some(JsonType::Object) => "object",
        Some(JsonType::Null) | None => "empty",
    };
    phrase!("field-type", expected = expected)
}

fn choice(options: &Value) -> Phrase {
    let values: Vec<String> = options.as_array().map(|o| o.iter().map(plain).collect()).unwrap_or_default();
    if values == ["nl", "en"] || values == ["en", "nl"] {
        return phrase!("field-language");
    }
    phrase!("field-choice", options = values.join(", "))
}

/// A JSON value as a person would type it: text without quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n;

    /// The served document's components, handed over as `startup` does.
    fn components() -> &'static Value {
        publish(&serde_json::to_value(crate::startup::openapi()).expect("document"));
        COMPONENTS.get().expect("published")
    }

    #[test]
    fn json_pointers_become_field_names() {
        assert_eq!(field_name(""), "body");
        assert_eq!(field_name("/name"), "name");
        assert_eq!(field_name("/items/0/serial_number"), "items[0].serial_number");
        assert_eq!(field_name("/a~1b"), "a/b");
    }

    fn fields(schema: &str, body: Value) -> Vec<(String, Phrase)> {
        components();
        check(schema, &body).into_iter().map(|e| (e.field, e.message)).collect()
    }

    #[test]
    fn a_student_record_with_three_mistakes_gets_three_messages() {
        let errors = fields(
            "CreateStudent",
            serde_json::json!({
                "name": "  ",
                "email": "not an address",
                "preferred_language": "fr",
                "track": "coder",
                "programme_start": "2026-09-01",
                "programme_end": "2027-06-30"
            }),
        );
        assert_eq!(
            errors,
            vec![
                ("name".into(), phrase!("field-empty")),
                ("email".into(), phrase!("field-email")),
                ("preferred_language".into(), phrase!("field-language")),
            ]
        );
    }

    #[test]
    fn missing_unknown_and_mistyped_fields_are_each_named() {
        let errors =
            fields("CreateStudent", serde_json::json!({"name": 3, "colour": "red", "lacks_laptop": "yes"}));
        let named: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        for field in ["name", "colour", "lacks_laptop", "email", "preferred_language", "track"] {
            assert!(named.contains(&field), "{field} in {errors:?}");
        }
        assert!(errors.contains(&("colour".into(), phrase!("field-unknown"))));
        assert!(errors.contains(&("name".into(), phrase!("field-type", expected = "text"))));
        assert!(errors.contains(&("lacks_laptop".into(), phrase!("field-type", expected = "boolean"))));
        assert!(errors.contains(&("email".into(), phrase!("field-required"))));
    }

    #[test]
    fn an_optional_field_with_a_wrong_value_names_the_right_rule() {
        let errors = fields("UpdateStudent", serde_json::json!({"preferred_language": "fr", "hub_id": "x"}));
        assert_eq!(
            errors,
            vec![
                ("preferred_language".into(), phrase!("field-language")),
                ("hub_id".into(), phrase!("field-id"))
            ]
        );
    }

    #[test]
    fn a_tagged_body_is_checked_against_the_variant_its_tag_names() {
        let errors = |body| fields("TransitionRequest", body);
        assert_eq!(
            errors(serde_json::json!({"action": "grade", "grade": "Z"})),
            vec![("grade".into(), phrase!("field-choice", options = "A, B, C"))]
        );
        assert_eq!(
            errors(serde_json::json!({"action": "wipe"})),
            vec![
                ("method".into(), phrase!("field-required")),
                ("certificate_ref".into(), phrase!("field-required"))
            ]
        );
        let unknown = errors(serde_json::json!({"action": "fly"}));
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].0, "action");
        assert!(
            matches!(&unknown[0].1.args[..], [("options", crate::domain::phrase::Arg::Text(o))] if o.starts_with("receive, wipe, grade")),
            "{unknown:?}"
        );
    }

    #[test]
    fn rules_of_the_domain_that_the_schema_states_are_reported_together() {
        let errors = fields(
            "CreateDevice",
            serde_json::json!({"kind": "laptop", "serial_number": "ab c", "model": " ", "ram_gb": 0}),
        );
        assert_eq!(
            errors,
            vec![
                ("donation_id".into(), phrase!("field-required")),
                ("serial_number".into(), phrase!("field-serial-chars")),
                ("model".into(), phrase!("field-empty")),
                ("ram_gb".into(), phrase!("field-at-least", min = "1")),
            ]
        );
        let errors = fields(
            "CreateRequest",
            serde_json::json!({"student_id": "x", "kind": "car", "product": "figma!"}),
        );
        assert_eq!(
            errors,
            vec![
                ("student_id".into(), phrase!("field-id")),
                ("kind".into(), phrase!("field-choice", options = "laptop, connectivity, licence")),
                ("product".into(), phrase!("field-product-chars")),
            ]
        );
    }

    /// A value of the wrong type for a property's schema, if the property has a type at all.
    fn wrong_value(property: &Value) -> Option<Value> {
        let resolved = match property.get("$ref").and_then(Value::as_str) {
            Some(r) => components()
                .pointer(&format!("/schemas/{}", r.trim_start_matches("#/components/schemas/")))?,
            None => property,
        };
        let typed = resolved.get("type").is_some()
            || resolved.get("oneOf").is_some()
            || resolved.get("enum").is_some();
        let is_object = resolved.get("type").and_then(Value::as_str) == Some("object");
        typed.then(|| if is_object { serde_json::json!(12345) } else { serde_json::json!({"wrong": [1]}) })
    }

    /// Table-driven over every request body the API documents: each field given a value of
    /// the wrong type is named, and its message exists in Dutch and in English.
    #[test]
    fn every_field_of_every_request_body_has_a_message_in_both_languages() {
        use crate::domain::student::Language;
        let doc = serde_json::to_value(crate::startup::openapi()).expect("document");
        let mut names = std::collections::BTreeSet::new();
        for item in doc["paths"].as_object().expect("paths").values() {
            for operation in item.as_object().expect("operations").values() {
                if let Some(r) = operation.pointer("/requestBody/content/application~1json/schema/$ref") {
                    names.insert(
                        r.as_str().expect("ref").trim_start_matches("#/components/schemas/").to_owned(),
                    );
                }
            }
        }
        assert!(names.len() >= 25, "the bodies are found: {names:?}");
        let mut checked = 0;
        for name in &names {
            let schema = &components()["schemas"][name];
            // A tagged body is one object per tag: check each, with its tag right.
            let variants: Vec<&Value> = match schema.get("oneOf").and_then(Value::as_array) {
                Some(variants) => variants.iter().collect(),
                None => vec![schema],
            };
            for variant in variants {
                let mut body = serde_json::Map::new();
                let mut expected = Vec::new();
                for (field, property) in variant["properties"].as_object().into_iter().flatten() {
                    let tag = property["enum"].as_array().filter(|e| e.len() == 1).map(|e| e[0].clone());
                    match (tag, wrong_value(property)) {
                        (Some(tag), _) => {
                            body.insert(field.clone(), tag);
                        }
                        (None, Some(wrong)) => {
                            body.insert(field.clone(), wrong);
                            expected.push(field.clone());
                        }
                        (None, None) => {}
                    }
                }
                let errors = check(name, &Value::Object(body));
                for field in &expected {
                    assert!(
                        errors.iter().any(|e| &e.field == field),
                        "{name}.{field} is not named: {errors:?}"
                    );
                }
                for e in &errors {
                    let (nl, en) = (i18n::say(&e.message, Language::Nl), i18n::say(&e.message, Language::En));
                    assert!(
                        !nl.starts_with("field-") && !en.starts_with("field-"),
                        "{name}.{}: {e:?}",
                        e.field
                    );
                    assert_ne!(nl, en, "{name}.{}: the same in both languages", e.field);
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "{checked} messages checked");
    }

    #[test]
    fn a_good_body_passes_and_a_body_that_is_no_object_is_named_body() {
        let good = serde_json::json!({
            "name": "Ayla", "email": "ayla@example.org", "preferred_language": "nl",
            "track": "coder", "programme_start": "2026-09-01", "programme_end": "2027-06-30"
        });
        assert_eq!(fields("CreateStudent", good), vec![]);
        assert_eq!(
            fields("CreateStudent", serde_json::json!([1])),
            vec![("body".into(), phrase!("field-body-object"))]
        );
        assert_eq!(fields("NoSuchSchema", serde_json::json!({})), vec![]);
    }
}
