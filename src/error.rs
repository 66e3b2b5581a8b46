//! One error type for every request, rendered as RFC 9457 `application/problem+json`
//! with a stable `code` that clients can branch on.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::csv_file::RowError;
use crate::domain::phrase::Phrase;
use crate::domain::student::Language;
use crate::domain::FieldError;
use crate::{i18n, phrase};

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub type_: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, in plain words.
    pub detail: String,
    /// Stable machine-readable code, e.g. `validation_failed`.
    pub code: String,
    /// One entry per field (or CSV row) that broke a rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ProblemField>>,
    /// For a CSV upload: how many rows were bad in all (`errors` lists the first 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_errors: Option<usize>,
    /// For `illegal_transition`: the state the object is in now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// For `illegal_transition`: what may be done in that state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_actions: Option<Vec<String>>,
}

/// One invalid field, or one bad row of a CSV upload.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemField {
    /// The line in the uploaded file (the header is line 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// The field or column; absent when the whole row is unreadable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("malformed JSON: {0:?}")]
    MalformedJson(Phrase),
    #[error("malformed query: {0:?}")]
    MalformedQuery(Phrase),
    #[error("unauthorized: {0:?}")]
    Unauthorized(Phrase),
    /// A sign-in code typed wrong too often: it and its link no longer work.
    #[error("sign-in code spent")]
    CodeSpent,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("no such route")]
    NoRoute,
    #[error("method not allowed")]
    MethodNotAllowed { allow: Vec<String> },
    #[error("conflict: {detail:?}")]
    Conflict { detail: Phrase },
    /// A rule of the object's owner refuses the step (409 with a code of its own, such as
    /// `gift_not_allowed`), so a client can tell it from a state conflict.
    #[error("refused: {code}")]
    Refused { code: &'static str, detail: Phrase },
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported media type")]
    UnsupportedMediaType { expected: &'static str },
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("bad rows in an upload")]
    BadRows { errors: Vec<RowError>, total: usize },
    #[error("illegal transition")]
    IllegalTransition { state: String, action: String, allowed_actions: Vec<String> },
    #[error("rate limited")]
    RateLimited { retry_after_seconds: u64 },
    #[error("database unavailable")]
    DatabaseUnavailable,
    /// Too much work waiting (password checks); try again shortly.
    #[error("busy")]
    Busy { retry_after_seconds: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, message: Phrase) -> ApiError {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn conflict(detail: Phrase) -> ApiError {
        ApiError::Conflict { detail }
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::Internal(anyhow::anyhow!(message.into()))
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MalformedJson(_) => "malformed_json",
            ApiError::MalformedQuery(_) => "malformed_query",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::CodeSpent => "sign_in_code_spent",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound | ApiError::NoRoute => "not_found",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::Conflict { .. } => "conflict",
            ApiError::Refused { code, .. } => code,
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType { .. } => "unsupported_media_type",
            ApiError::Validation(_) | ApiError::BadRows { .. } => "validation_failed",
            ApiError::IllegalTransition { .. } => "illegal_transition",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::DatabaseUnavailable => "database_unavailable",
            ApiError::Busy { .. } => "server_busy",
            ApiError::Internal(_) => "internal_error",
        }
    }

    fn title(&self) -> Phrase {
        match self {
            ApiError::MalformedJson(_) => phrase!("problem-malformed-json-title"),
            ApiError::MalformedQuery(_) => phrase!("problem-malformed-query-title"),
            ApiError::Unauthorized(_) | ApiError::CodeSpent => phrase!("problem-unauthorized-title"),
            ApiError::Forbidden => phrase!("problem-forbidden-title"),
            ApiError::NotFound => phrase!("problem-not-found-title"),
            ApiError::NoRoute => phrase!("problem-no-route-title"),
            ApiError::MethodNotAllowed { .. } => phrase!("problem-method-not-allowed-title"),
            ApiError::Conflict { .. } | ApiError::Refused { .. } => phrase!("problem-conflict-title"),
            ApiError::PayloadTooLarge { .. } => phrase!("problem-payload-too-large-title"),
            ApiError::UnsupportedMediaType { .. } => phrase!("problem-unsupported-media-type-title"),
            ApiError::Validation(_) => phrase!("problem-validation-failed-title"),
            ApiError::BadRows { .. } => phrase!("problem-bad-rows-title"),
            ApiError::IllegalTransition { .. } => phrase!("problem-illegal-transition-title"),
            ApiError::RateLimited { .. } => phrase!("problem-rate-limited-title"),
            ApiError::DatabaseUnavailable => phrase!("problem-database-unavailable-title"),
            ApiError::Busy { .. } => phrase!("problem-server-busy-title"),
            ApiError::Internal(_) => phrase!("problem-internal-error-title"),
        }
    }

    fn detail(&self, lang: Language) -> String {
        let p = match self {
            ApiError::MalformedJson(p) | ApiError::MalformedQuery(p) | ApiError::Unauthorized(p) => p.clone(),
            ApiError::Conflict { detail } | ApiError::Refused { detail, .. } => detail.clone(),
            ApiError::CodeSpent => {
                phrase!("unauthorized-code-spent", tries = crate::domain::token::MAX_WRONG_CODES)
            }
            ApiError::Forbidden => phrase!("problem-forbidden-detail"),
            ApiError::NotFound => phrase!("problem-not-found-detail"),
            ApiError::NoRoute => phrase!("problem-no-route-detail"),
            ApiError::MethodNotAllowed { allow } => {
                phrase!("problem-method-not-allowed-detail", allow = allow.join(", "))
            }
            ApiError::PayloadTooLarge { limit } => {
                phrase!("problem-payload-too-large-detail", limit = *limit)
            }
            ApiError::UnsupportedMediaType { expected } => {
                phrase!("problem-unsupported-media-type-detail", expected = *expected)
            }
            ApiError::Validation(errors) => match errors.as_slice() {
                [one] => phrase!(
                    "problem-validation-one-detail",
                    field = one.field.as_str(),
                    message = i18n::say(&one.message, lang)
                ),
                many => phrase!("problem-validation-many-detail", count = many.len()),
            },
            ApiError::BadRows { total, .. } => phrase!("problem-bad-rows-detail", count = *total),
            ApiError::IllegalTransition { state, action, allowed_actions } => {
                let (action, state) = (action.replace('_', " "), state.replace('_', " "));
                match allowed_actions.as_slice() {
                    [] => phrase!("problem-illegal-transition-detail", action = action, state = state),
                    allowed => phrase!(
                        "problem-illegal-transition-allowed-detail",
                        action = action,
                        state = state,
                        allowed = allowed.join(", ")
                    ),
                }
            }
            ApiError::RateLimited { retry_after_seconds } => {
                phrase!("problem-rate-limited-detail", minutes = retry_after_seconds.div_ceil(60))
            }
            ApiError::DatabaseUnavailable => phrase!("problem-database-unavailable-detail"),
            ApiError::Busy { retry_after_seconds } => {
                phrase!("problem-server-busy-detail", seconds = *retry_after_seconds)
            }
            ApiError::Internal(_) => phrase!("problem-internal-error-detail"),
        };
        i18n::say(&p, lang)
    }

    /// The problem document, in `lang`; `code`, `field` and `row` are the same in every language.
    pub fn problem(&self, lang: Language) -> Problem {
        let status = self.status_code();
        let (errors, total_errors) = match self {
            ApiError::Validation(errors) => {
                let fields = errors
                    .iter()
                    .map(|e| ProblemField {
                        row: None,
                        field: Some(e.field.clone()),
                        message: i18n::say(&e.message, lang),
                    })
                    .collect();
                (Some(fields), None)
            }
            ApiError::BadRows { errors, total } => {
                let rows = errors
                    .iter()
                    .map(|e| ProblemField {
                        row: Some(e.row),
                        field: e.field.clone(),
                        message: i18n::say(&e.message, lang),
                    })
                    .collect();
                (Some(rows), Some(*total))
            }
            _ => (None, None),
        };
        let (state, allowed_actions) = match self {
            ApiError::IllegalTransition { state, allowed_actions, .. } => {
                (Some(state.clone()), Some(allowed_actions.clone()))
            }
            _ => (None, None),
        };
        Problem {
            type_: format!("https://devicepool.example/problems/{}", self.code().replace('_', "-")),
            title: i18n::say(&self.title(), lang),
            status: status.as_u16(),
            detail: self.detail(lang),
            code: self.code().to_owned(),
            errors,
            total_errors,
            state,
            allowed_actions,
        }
    }

    /// The whole answer in `lang`: status, the headers this problem needs, the document.
    pub fn response_in(&self, lang: Language) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        match self {
            ApiError::Unauthorized(_) | ApiError::CodeSpent => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.join(", ")));
            }
            ApiError::RateLimited { retry_after_seconds } => {
                response.insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()));
            }
            ApiError::DatabaseUnavailable => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            ApiError::Busy { retry_after_seconds } => {
                response.insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()));
            }
            _ => {}
        }
        response.json(self.problem(lang))
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> ApiError {
        ApiError::Validation(vec![e])
    }
}

impl From<Vec<FieldError>> for ApiError {
    fn from(errors: Vec<FieldError>) -> ApiError {
        ApiError::Validation(errors)
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> ApiError {
        use diesel::result::{DatabaseErrorKind as K, Error as E};
        match e {
            E::NotFound => ApiError::NotFound,
            E::DatabaseError(K::UniqueViolation, info) => {
                ApiError::conflict(unique_violation_detail(info.constraint_name(), info.message()))
            }
            E::DatabaseError(K::ForeignKeyViolation, _) => ApiError::conflict(phrase!("conflict-reference")),
            E::DatabaseError(K::CheckViolation | K::NotNullViolation, ref info) => {
                // The handlers check these rules first; reaching the database's own check
                // means a rule was missed, which is still the client's input, not our fault.
                tracing::warn!(message = info.message(), "constraint caught invalid input");
                ApiError::invalid("body", phrase!("field-breaks-rule"))
            }
            E::DatabaseError(K::SerializationFailure, _) => ApiError::conflict(phrase!("conflict-same-time")),
            E::DatabaseError(K::ClosedConnection | K::UnableToSendCommand, _) => {
                ApiError::DatabaseUnavailable
            }
            // PostgreSQL refuses text it cannot store (a NUL character). The request layers
            // refuse NUL first; this keeps any other way in a client error, not a 500.
            E::DatabaseError(_, ref info) if info.message().contains("invalid byte sequence") => {
                tracing::warn!(message = info.message(), "the database refused a text value");
                ApiError::invalid("body", phrase!("field-nul"))
            }
            // SQLite's lock timeout: the writer could not get in within busy_timeout.
            E::DatabaseError(_, ref info) if info.message().contains("database is locked") => {
                ApiError::DatabaseUnavailable
            }
            other => ApiError::Internal(anyhow::Error::new(other).context("database error")),
        }
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(e: diesel::r2d2::PoolError) -> ApiError {
        tracing::warn!(error = %e, "no database connection");
        ApiError::DatabaseUnavailable
    }
}

/// Names the duplicated field from PostgreSQL's constraint name (`users_email_key`) or
/// SQLite's message (`UNIQUE constraint failed: users.email`, or `index 'users_email_key'`).
fn unique_violation_detail(constraint: Option<&str>, message: &str) -> Phrase {
    let from_constraint = |c: &str| {
        c.strip_suffix("_key").and_then(|rest| rest.split_once('_')).map(|(_, field)| field.to_owned())
    };
    let field = constraint
        .and_then(from_constraint)
        .or_else(|| {
            message
                .rsplit_once("UNIQUE constraint failed: ")
                // A unique index over several columns names the one that matters last.
                .and_then(|(_, cols)| cols.split(", ").last())
                .and_then(|col| col.rsplit_once('.'))
                .map(|(_, field)| field.to_owned())
        })
        .or_else(|| message.split('\'').nth(1).and_then(from_constraint));
    match field {
        Some(field) => phrase!("conflict-duplicate-field", field = field),
        None => phrase!("conflict-duplicate"),
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::MalformedJson(_) | ApiError::MalformedQuery(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) | ApiError::CodeSpent => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound | ApiError::NoRoute => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } | ApiError::Refused { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) | ApiError::BadRows { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::IllegalTransition { .. } => StatusCode::CONFLICT,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::DatabaseUnavailable | ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// In English here; `middleware::ReaderLanguage` answers again in the reader's language,
    /// which only the request can tell.
    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(e) = self {
            // The cause chain is logged once, here; the client gets a generic body.
            tracing::error!(error = format!("{e:#}"), "request failed");
        }
        self.response_in(Language::En)
    }
}

/// Input a command of the command line cannot use, as opposed to a failure: the process exits with 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_violations_name_the_field_on_both_backends() {
        let named = |field: &str| phrase!("conflict-duplicate-field", field = field);
        assert_eq!(unique_violation_detail(Some("users_email_key"), "duplicate key value"), named("email"));
        assert_eq!(
            unique_violation_detail(None, "UNIQUE constraint failed: organisations.name"),
            named("name")
        );
        assert_eq!(
            unique_violation_detail(None, "UNIQUE constraint failed: index 'organisations_name_key'"),
            named("name")
        );
        assert_eq!(
            unique_violation_detail(None, "UNIQUE constraint failed: students.school_id, students.email"),
            named("email")
        );
        assert_eq!(unique_violation_detail(None, "something else"), phrase!("conflict-duplicate"));
    }

    /// One of every kind of error: each renders, in both languages, a title and a detail
    /// from the catalogue, with the status and code that do not change with the language.
    fn one_of_each() -> Vec<ApiError> {
        vec![
            ApiError::MalformedJson(phrase!("json-syntax", line = 1, column = 2)),
            ApiError::MalformedQuery(phrase!("query-invalid")),
            ApiError::Unauthorized(phrase!("unauthorized-sign-in-first")),
            ApiError::CodeSpent,
            ApiError::Forbidden,
            ApiError::NotFound,
            ApiError::NoRoute,
            ApiError::MethodNotAllowed { allow: vec!["GET".into()] },
            ApiError::conflict(phrase!("conflict-same-time")),
            ApiError::Refused { code: "gift_not_allowed", detail: phrase!("conflict-gift-not-allowed") },
            ApiError::PayloadTooLarge { limit: 10 },
            ApiError::UnsupportedMediaType { expected: "application/json" },
            ApiError::invalid("name", phrase!("field-empty")),
            ApiError::Validation(vec![
                FieldError::new("name", phrase!("field-empty")),
                FieldError::new("email", phrase!("field-email")),
            ]),
            ApiError::BadRows {
                errors: vec![RowError { row: 2, field: None, message: phrase!("row-unreadable") }],
                total: 1,
            },
            ApiError::IllegalTransition {
                state: "reserved".into(),
                action: "wipe".into(),
                allowed_actions: vec![],
            },
            ApiError::IllegalTransition {
                state: "reserved".into(),
                action: "wipe".into(),
                allowed_actions: vec!["handover".into()],
            },
            ApiError::RateLimited { retry_after_seconds: 61 },
            ApiError::DatabaseUnavailable,
            ApiError::Busy { retry_after_seconds: 2 },
            ApiError::internal("boom"),
        ]
    }

    /// Which kind of error `e` is. A new kind does not compile until it has a number here,
    /// and the test below fails until `one_of_each` has one of it.
    fn kind(e: &ApiError) -> usize {
        match e {
            ApiError::MalformedJson(_) => 0,
            ApiError::MalformedQuery(_) => 1,
            ApiError::Unauthorized(_) => 2,
            ApiError::Forbidden => 3,
            ApiError::NotFound => 4,
            ApiError::NoRoute => 5,
            ApiError::MethodNotAllowed { .. } => 6,
            ApiError::Conflict { .. } => 7,
            ApiError::PayloadTooLarge { .. } => 8,
            ApiError::UnsupportedMediaType { .. } => 9,
            ApiError::Validation(_) => 10,
            ApiError::BadRows { .. } => 11,
            ApiError::IllegalTransition { .. } => 12,
            ApiError::RateLimited { .. } => 13,
            ApiError::DatabaseUnavailable => 14,
            ApiError::Busy { .. } => 15,
            ApiError::Internal(_) => 16,
            ApiError::CodeSpent => 17,
            ApiError::Refused { .. } => 18,
        }
    }

    #[test]
    fn every_error_renders_in_both_languages_with_the_same_code_and_status() {
        let kinds: std::collections::BTreeSet<usize> = one_of_each().iter().map(kind).collect();
        assert_eq!(kinds, (0..19).collect(), "one of every kind of error is checked");
        for e in one_of_each() {
            let (nl, en) = (e.problem(Language::Nl), e.problem(Language::En));
            for p in [&nl, &en] {
                assert_eq!(p.status, e.status_code().as_u16());
                assert_eq!(p.code, e.code());
                assert!(!p.title.is_empty() && !p.detail.is_empty(), "{e:?}");
                assert!(!p.title.starts_with("problem-") && !p.detail.starts_with("problem-"), "{p:?}");
            }
            assert_ne!(nl.title, en.title, "{e:?} has a Dutch title");
            assert_ne!(nl.detail, en.detail, "{e:?} has a Dutch detail");
        }
    }

    #[test]
    fn field_messages_are_in_the_readers_language() {
        let e = ApiError::invalid("preferred_language", phrase!("field-language"));
        let nl = e.problem(Language::Nl);
        let errors = nl.errors.expect("errors");
        assert_eq!(errors[0].field.as_deref(), Some("preferred_language"));
        assert_eq!(errors[0].message, "Kies Nederlands (nl) of Engels (en).");
        assert_eq!(nl.detail, "preferred_language: Kies Nederlands (nl) of Engels (en).");
        assert_eq!(
            e.problem(Language::En).errors.expect("errors")[0].message,
            "Choose Dutch (nl) or English (en)."
        );
    }

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let p = ApiError::internal("password=hunter2 in query").problem(Language::En);
        assert!(!p.detail.contains("hunter2"));
    }
}
