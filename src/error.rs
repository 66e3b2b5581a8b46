//! One error type for every request, rendered as RFC 9457 `application/problem+json`
//! with a stable `code` that clients can branch on.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::FieldError;

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
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("malformed query: {0}")]
    MalformedQuery(String),
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("no such route")]
    NoRoute,
    #[error("method not allowed")]
    MethodNotAllowed { allow: Vec<String> },
    #[error("{detail}")]
    Conflict { detail: String },
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported media type")]
    UnsupportedMediaType { expected: &'static str },
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("bad rows in an upload")]
    BadRows { errors: Vec<ProblemField>, total: usize },
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
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn conflict(detail: impl Into<String>) -> ApiError {
        ApiError::Conflict { detail: detail.into() }
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::Internal(anyhow::anyhow!(message.into()))
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MalformedJson(_) => "malformed_json",
            ApiError::MalformedQuery(_) => "malformed_query",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound | ApiError::NoRoute => "not_found",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::Conflict { .. } => "conflict",
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

    fn title(&self) -> &'static str {
        match self {
            ApiError::MalformedJson(_) => "The request body is not valid JSON",
            ApiError::MalformedQuery(_) => "The query string is not valid",
            ApiError::Unauthorized(_) => "Sign-in needed",
            ApiError::Forbidden => "Not allowed",
            ApiError::NotFound => "Not found",
            ApiError::NoRoute => "No such address",
            ApiError::MethodNotAllowed { .. } => "Method not allowed",
            ApiError::Conflict { .. } => "Conflict",
            ApiError::PayloadTooLarge { .. } => "Request too large",
            ApiError::UnsupportedMediaType { .. } => "Wrong content type",
            ApiError::Validation(_) => "Some fields are not valid",
            ApiError::BadRows { .. } => "Some rows are not valid; nothing was imported",
            ApiError::IllegalTransition { .. } => "Not possible in this state",
            ApiError::RateLimited { .. } => "Too many attempts",
            ApiError::DatabaseUnavailable => "Service briefly unavailable",
            ApiError::Busy { .. } => "Very busy right now",
            ApiError::Internal(_) => "Something went wrong on our side",
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::MalformedJson(m) | ApiError::MalformedQuery(m) => m.clone(),
            ApiError::Unauthorized(m) => (*m).to_owned(),
            ApiError::Forbidden => "Your role may not do this.".into(),
            ApiError::NotFound => "We could not find this, or it is not yours.".into(),
            ApiError::NoRoute => "There is no such address in this API. See /docs.".into(),
            ApiError::MethodNotAllowed { allow } => {
                format!("This address accepts {} only.", allow.join(", "))
            }
            ApiError::Conflict { detail } => detail.clone(),
            ApiError::PayloadTooLarge { limit } => {
                format!("The body is larger than the limit of {limit} bytes.")
            }
            ApiError::UnsupportedMediaType { expected } => {
                format!("Send the body as {expected}.")
            }
            ApiError::Validation(errors) => match errors.as_slice() {
                [one] => format!("{}: {}.", one.field, one.message),
                many => format!("{} fields are not valid.", many.len()),
            },
            ApiError::BadRows { total, .. } => match total {
                1 => "1 row is not valid. Fix it and upload the whole file again.".to_owned(),
                n => format!("{n} rows are not valid. Fix them and upload the whole file again."),
            },
            ApiError::IllegalTransition { state, action, allowed_actions } => {
                let (action, state) = (action.replace('_', " "), state.replace('_', " "));
                match allowed_actions.as_slice() {
                    [] => format!("You cannot {action} now: it is {state}."),
                    allowed => {
                        format!(
                            "You cannot {action} now: it is {state}. Possible now: {}.",
                            allowed.join(", ")
                        )
                    }
                }
            }
            ApiError::RateLimited { retry_after_seconds } => {
                format!(
                    "Too many failed attempts. Try again in {} minutes.",
                    retry_after_seconds.div_ceil(60)
                )
            }
            ApiError::DatabaseUnavailable => "The database cannot be reached. Try again in a minute.".into(),
            ApiError::Busy { retry_after_seconds } => {
                format!("Many people are signing in at once. Try again in {retry_after_seconds} seconds.")
            }
            ApiError::Internal(_) => "Please try again. If it keeps happening, tell the pool staff.".into(),
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let (errors, total_errors) = match self {
            ApiError::Validation(errors) => {
                let fields = errors
                    .iter()
                    .map(|e| ProblemField {
                        row: None,
                        field: Some(e.field.clone()),
                        message: e.message.clone(),
                    })
                    .collect();
                (Some(fields), None)
            }
            ApiError::BadRows { errors, total } => (Some(errors.clone()), Some(*total)),
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
            title: self.title().to_owned(),
            status: status.as_u16(),
            detail: self.detail(),
            code: self.code().to_owned(),
            errors,
            total_errors,
            state,
            allowed_actions,
        }
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
            E::DatabaseError(K::ForeignKeyViolation, _) => {
                ApiError::conflict("This refers to something that does not exist, or is still in use.")
            }
            E::DatabaseError(K::CheckViolation | K::NotNullViolation, ref info) => {
                // The handlers check these rules first; reaching the database's own check
                // means a rule was missed, which is still the client's input, not our fault.
                tracing::warn!(message = info.message(), "constraint caught invalid input");
                ApiError::invalid("body", "breaks a rule of this resource")
            }
            E::DatabaseError(K::SerializationFailure, _) => {
                ApiError::conflict("Someone else changed this at the same time. Please try again.")
            }
            E::DatabaseError(K::ClosedConnection | K::UnableToSendCommand, _) => {
                ApiError::DatabaseUnavailable
            }
            // PostgreSQL refuses text it cannot store (a NUL character). The request layers
            // refuse NUL first; this keeps any other way in a client error, not a 500.
            E::DatabaseError(_, ref info) if info.message().contains("invalid byte sequence") => {
                tracing::warn!(message = info.message(), "the database refused a text value");
                ApiError::invalid("body", "contains a character that cannot be stored (NUL)")
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
fn unique_violation_detail(constraint: Option<&str>, message: &str) -> String {
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
        Some(field) => format!("Another record already has this {field}."),
        None => "This already exists.".to_owned(),
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::MalformedJson(_) | ApiError::MalformedQuery(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound | ApiError::NoRoute => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) | ApiError::BadRows { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::IllegalTransition { .. } => StatusCode::CONFLICT,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::DatabaseUnavailable | ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(e) = self {
            // The cause chain is logged once, here; the client gets a generic body.
            tracing::error!(error = format!("{e:#}"), "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        match self {
            ApiError::Unauthorized(_) => {
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
        response.json(self.problem())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_violations_name_the_field_on_both_backends() {
        assert_eq!(
            unique_violation_detail(Some("users_email_key"), "duplicate key value"),
            "Another record already has this email."
        );
        assert_eq!(
            unique_violation_detail(None, "UNIQUE constraint failed: organisations.name"),
            "Another record already has this name."
        );
        assert_eq!(
            unique_violation_detail(None, "UNIQUE constraint failed: index 'organisations_name_key'"),
            "Another record already has this name."
        );
        assert_eq!(
            unique_violation_detail(None, "UNIQUE constraint failed: students.school_id, students.email"),
            "Another record already has this email."
        );
        assert_eq!(unique_violation_detail(None, "something else"), "This already exists.");
    }

    #[test]
    fn every_error_renders_a_problem_with_matching_status() {
        let errors = [
            ApiError::MalformedJson("x".into()),
            ApiError::Unauthorized("x"),
            ApiError::Forbidden,
            ApiError::NotFound,
            ApiError::MethodNotAllowed { allow: vec!["GET".into()] },
            ApiError::conflict("x"),
            ApiError::PayloadTooLarge { limit: 10 },
            ApiError::UnsupportedMediaType { expected: "application/json" },
            ApiError::invalid("name", "must not be empty"),
            ApiError::RateLimited { retry_after_seconds: 61 },
            ApiError::DatabaseUnavailable,
            ApiError::Busy { retry_after_seconds: 2 },
            ApiError::internal("boom"),
        ];
        for e in errors {
            let p = e.problem();
            assert_eq!(p.status, e.status_code().as_u16());
            assert_eq!(p.code, e.code());
            assert!(!p.detail.is_empty());
        }
    }

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let p = ApiError::internal("password=hunter2 in query").problem();
        assert!(!p.detail.contains("hunter2"));
    }
}
