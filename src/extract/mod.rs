//! Request extractors whose failures are problem documents: who is calling (`AuthUser`, from
//! a bearer token), a JSON body that names the offending field, the client's address, and the
//! error handlers for query strings and path parameters.

mod auth_user;

pub use auth_user::{account_language, AccountLanguage, AuthUser};

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpMessage, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use crate::domain::phrase::Phrase;

use crate::error::ApiError;
use crate::state::AppState;

/// A JSON request body. Wrong content type → 415, too large → 413, not JSON → 400
/// `malformed_json`, JSON of the wrong shape → 422 `validation_failed` naming the field.
/// The body may be `server.max_body_bytes` long, or `LIMIT` bytes when that is not 0.
pub struct ApiJson<T, const LIMIT: usize = 0>(pub T);

/// The most an endpoint that anyone may call reads: enough for an email address, a token
/// and a password, too little to make an anonymous caller's body cost anything.
pub const ANONYMOUS_BODY_BYTES: usize = 4096;

/// The JSON body of an endpoint that needs no sign-in: at most [`ANONYMOUS_BODY_BYTES`].
pub type SmallJson<T> = ApiJson<T, ANONYMOUS_BODY_BYTES>;

impl<T: DeserializeOwned + ToSchema + 'static, const LIMIT: usize> FromRequest for ApiJson<T, LIMIT> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<ApiJson<T, LIMIT>, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = match LIMIT {
            0 => req
                .app_data::<web::Data<AppState>>()
                .map(|s| s.settings.server.max_body_bytes)
                .unwrap_or(1 << 20),
            n => n,
        };
        let content_type_ok = is_json(req);
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !content_type_ok {
                return Err(ApiError::UnsupportedMediaType { expected: "application/json" });
            }
            if declared_length.is_some_and(|n| n > limit) {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| ApiError::MalformedJson(crate::phrase!("json-unreadable")))?;
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::PayloadTooLarge { limit });
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(ApiJson)
        })
    }
}

fn is_json(req: &HttpRequest) -> bool {
    match req.mime_type() {
        Ok(Some(mime)) => {
            mime.type_() == mime::APPLICATION
                && (mime.subtype() == mime::JSON || mime.suffix() == Some(mime::JSON))
        }
        _ => false,
    }
}

/// Parses `body` as `T`: a syntax error is a 400; a body that breaks `T`'s published schema
/// is a 422 naming every bad field (see `body_schema`); then serde reads it.
pub fn parse_json<T: DeserializeOwned + ToSchema>(body: &[u8]) -> Result<T, ApiError> {
    let value = parse_object(body)?;
    let errors = crate::body_schema::check(&T::name(), &value);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    // The schema should have caught every shape error; serde's own check stays the last word.
    serde_path_to_error::deserialize::<_, T>(value).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let field = match path.as_str() {
            "." | "" => missing_field(&message).unwrap_or_else(|| "body".to_owned()),
            p => p.to_owned(),
        };
        ApiError::invalid(field, plain_serde_message(&message))
    })
}

/// The body as a JSON object: a syntax error is `malformed_json`; any other JSON value, or
/// text holding a NUL character, is a 422.
fn parse_object(body: &[u8]) -> Result<serde_json::Value, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let parsed =
        serde::Deserialize::deserialize(&mut de).and_then(|v: serde_json::Value| de.end().map(|()| v));
    let value = parsed.map_err(|e| {
        ApiError::MalformedJson(crate::phrase!("json-syntax", line = e.line(), column = e.column()))
    })?;
    // serde would read a struct from an array too; every body of this API is an object.
    if !value.is_object() {
        return Err(ApiError::invalid("body", crate::phrase!("field-body-object")));
    }
    // No text of this API may hold a NUL character: PostgreSQL cannot store one, and it is
    // never meant. Only the escape `\u0000` can put one in a JSON string, so look closer only then.
    if body.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        if let Some(field) = field_with_nul(&value, "") {
            return Err(ApiError::invalid(field, crate::phrase!("field-nul")));
        }
    }
    Ok(value)
}

/// The path of the first string (or object key) in `value` that holds a NUL character.
fn field_with_nul(value: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    let here = |p: &str| if p.is_empty() { "body".to_owned() } else { p.to_owned() };
    match value {
        Value::String(s) if s.contains('\0') => Some(here(path)),
        Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, v)| field_with_nul(v, &format!("{}[{i}]", here(path))))
        }
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
            if k.contains('\0') {
                Some(here(path))
            } else {
                field_with_nul(v, &p)
            }
        }),
        _ => None,
    }
}

/// serde's message, which is meant for programmers, as a plain phrase.
fn plain_serde_message(message: &str) -> Phrase {
    let quoted = |m: &str| m.split('`').skip(1).step_by(2).map(str::to_owned).collect::<Vec<_>>();
    if message.starts_with("missing field") {
        crate::phrase!("field-required")
    } else if message.starts_with("unknown field") {
        crate::phrase!("field-unknown")
    } else if message.starts_with("unknown variant") {
        let options: Vec<String> = quoted(message).into_iter().skip(1).collect();
        if options == ["nl", "en"] {
            crate::phrase!("field-language")
        } else {
            crate::phrase!("field-choice", options = options.join(", "))
        }
    } else if message.contains("UUID") {
        crate::phrase!("field-id")
    } else if message.contains("expected a string") {
        crate::phrase!("field-type", expected = "text")
    } else if message.contains("expected a boolean") {
        crate::phrase!("field-type", expected = "boolean")
    } else if message.contains("expected a sequence") {
        crate::phrase!("field-type", expected = "list")
    } else if ["expected u", "expected i"].iter().any(|t| message.contains(t)) {
        crate::phrase!("field-type", expected = "whole-number")
    } else {
        crate::phrase!("field-invalid")
    }
}

fn missing_field(message: &str) -> Option<String> {
    message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()).map(str::to_owned)
}

/// Reads a `text/csv` upload into a temporary file, never into memory: 415 for another type,
/// 413 past `limit` bytes (unread when the request declares a larger length). Returns the
/// file, rewound to its start.
pub async fn spool_csv(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<std::fs::File, ApiError> {
    use std::io::{Seek, SeekFrom};
    use tokio::io::AsyncWriteExt;
    let is_csv = matches!(req.mime_type(), Ok(Some(m)) if (m.type_() == mime::TEXT || m.type_() == mime::APPLICATION) && m.subtype() == "csv");
    if !is_csv {
        return Err(ApiError::UnsupportedMediaType { expected: "text/csv" });
    }
    let declared = req.headers().get(actix_web::http::header::CONTENT_LENGTH);
    if declared.and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok()).is_some_and(|n| n > limit)
    {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    let spool = tempfile::tempfile().map_err(|e| ApiError::internal(format!("temporary file: {e}")))?;
    let mut file = tokio::fs::File::from_std(spool);
    let mut size = 0usize;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ApiError::MalformedQuery(crate::phrase!("upload-unreadable")))?;
        size += chunk.len();
        if size > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        file.write_all(&chunk).await.map_err(|e| ApiError::internal(format!("spooling upload: {e}")))?;
    }
    file.flush().await.map_err(|e| ApiError::internal(format!("spooling upload: {e}")))?;
    let mut file = file.into_std().await;
    file.seek(SeekFrom::Start(0)).map_err(|e| ApiError::internal(format!("rewinding the upload: {e}")))?;
    Ok(file)
}

/// The network address of the client behind the request: the peer, or, when the peer is a
/// trusted proxy, the address the proxies forwarded (see `domain::client_address`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub std::net::IpAddr);

impl ClientAddress {
    pub fn of(req: &HttpRequest) -> ClientAddress {
        use crate::domain::client_address::{client_address, ForwardedHeader};
        let peer = req.peer_addr().map_or(std::net::IpAddr::from([0, 0, 0, 0]), |a| a.ip());
        let Some(state) = req.app_data::<web::Data<AppState>>() else {
            return ClientAddress(peer);
        };
        let header = state.settings.server.forwarded_header;
        let name = match header {
            ForwardedHeader::XForwardedFor => "x-forwarded-for",
            ForwardedHeader::Forwarded => "forwarded",
        };
        let lines: Vec<&str> = req.headers().get_all(name).filter_map(|v| v.to_str().ok()).collect();
        ClientAddress(client_address(peer, header, &lines, &state.proxies))
    }
}

impl FromRequest for ClientAddress {
    type Error = ApiError;
    type Future = std::future::Ready<Result<ClientAddress, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(ClientAddress::of(req)))
    }
}

/// For `web::Query`: a query string that does not parse is a 400.
pub fn query_error(err: actix_web::error::QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let actix_web::error::QueryPayloadError::Deserialize(e) = &err else {
        return ApiError::MalformedQuery(crate::phrase!("query-invalid")).into();
    };
    // serde_urlencoded does not say which parameter; a missing one it names.
    let message = e.to_string();
    let detail = match message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        Some(name) => crate::phrase!("query-missing", name = name),
        None => {
            crate::phrase!("query-problem", problem = message.replace("unknown variant", "unknown value"))
        }
    };
    ApiError::MalformedQuery(detail).into()
}

/// For `web::Path`: an id that is not even a UUID cannot name anything, so it is a 404.
pub fn path_error(_err: actix_web::error::PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::NotFound.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Not in the OpenAPI document: serde alone checks it.
    #[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        seats: u32,
    }

    fn field_of(e: ApiError) -> String {
        match e {
            ApiError::Validation(errors) => errors[0].field.clone(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_nul_character_names_its_field_and_an_escaped_backslash_is_not_one() {
        let nul =
            |body: &str| field_of(parse_json::<serde_json::Value>(body.as_bytes()).expect_err("refused"));
        assert_eq!(nul(r#"{"name": "a\u0000b", "seats": 1}"#), "name");
        assert_eq!(nul(r#"{"a": {"b": ["x", "\u0000"]}}"#), "a.b[1]");
        assert_eq!(nul(r#"{"k\u0000": 1}"#), "body");
        // `\\u0000` is a backslash followed by the text "u0000": no NUL, nothing to refuse.
        assert!(parse_json::<serde_json::Value>(br#"{"name": "a\\u0000"}"#).is_ok());
    }

    #[test]
    fn syntax_errors_are_malformed_json() {
        for body in ["{", "not json", "{\"name\": \"x\",}", ""] {
            assert!(matches!(parse_json::<Body>(body.as_bytes()), Err(ApiError::MalformedJson(_))), "{body}");
        }
    }

    #[test]
    fn shape_errors_name_the_field() {
        assert_eq!(field_of(parse_json::<Body>(br#"{"name": "x"}"#).unwrap_err()), "seats");
        assert_eq!(field_of(parse_json::<Body>(br#"{"name": "x", "seats": -1}"#).unwrap_err()), "seats");
        assert_eq!(field_of(parse_json::<Body>(br#"{"name": 3, "seats": 1}"#).unwrap_err()), "name");
    }

    #[test]
    fn a_body_that_is_not_an_object_is_refused() {
        for body in ["[\"x\", 1]", "\"text\"", "42", "null", " true"] {
            assert_eq!(field_of(parse_json::<Body>(body.as_bytes()).unwrap_err()), "body", "{body}");
        }
    }

    #[test]
    fn a_good_body_parses() {
        let b: Body = parse_json(br#"{"name": "x", "seats": 2}"#).expect("parses");
        assert_eq!(b.seats, 2);
    }
}
