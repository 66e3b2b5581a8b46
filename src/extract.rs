//! Request extractors whose failures are problem documents: a JSON body that names the
//! offending field, and the error handlers for query strings and path parameters.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpMessage, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

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

impl<T: DeserializeOwned + 'static, const LIMIT: usize> FromRequest for ApiJson<T, LIMIT> {
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
                let chunk =
                    chunk.map_err(|_| ApiError::MalformedJson("The body could not be read.".into()))?;
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

/// Parses `body` as `T`, telling a syntax error (400) from a shape error (422).
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    // serde would read a struct from an array too; every body of this API is an object.
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{') && serde_json::from_slice::<serde_json::Value>(body).is_ok() {
        return Err(ApiError::invalid("body", "must be a JSON object"));
    }
    // No text of this API may hold a NUL character: PostgreSQL cannot store one, and it is
    // never meant. Only the escape `\u0000` can put one in a JSON string, so look closer only then.
    if body.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
            if let Some(field) = field_with_nul(&value, "") {
                return Err(ApiError::invalid(field, "must not contain the NUL character (\\u0000)"));
            }
        }
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        // Trailing bytes after the value are a syntax error, like any other.
        Ok(v) => match de.end() {
            Ok(()) => Ok(v),
            Err(e) => Err(ApiError::MalformedJson(format!(
                "The body has more after the JSON value (line {}, column {}).",
                e.line(),
                e.column()
            ))),
        },
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            match inner.classify() {
                serde_json::error::Category::Data => {
                    let message = plain_serde_message(&inner.to_string());
                    let field = match path.as_str() {
                        "." | "" => missing_field(&message).unwrap_or_else(|| "body".to_owned()),
                        p => p.to_owned(),
                    };
                    Err(ApiError::invalid(field, message))
                }
                _ => Err(ApiError::MalformedJson(format!(
                    "The body is not valid JSON (line {}, column {}).",
                    inner.line(),
                    inner.column()
                ))),
            }
        }
    }
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

/// serde's message without the "at line 1 column 5" tail, which means nothing to a person.
fn plain_serde_message(message: &str) -> String {
    match message.rsplit_once(" at line ") {
        Some((head, _)) => head.to_owned(),
        None => message.to_owned(),
    }
}

fn missing_field(message: &str) -> Option<String> {
    message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()).map(str::to_owned)
}

/// Reads a `text/csv` upload into a temporary file, never into memory: 415 for another type,
/// 413 past `limit` bytes. Returns the file, rewound to its start.
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
    let spool = tempfile::tempfile().map_err(|e| ApiError::internal(format!("temporary file: {e}")))?;
    let mut file = tokio::fs::File::from_std(spool);
    let mut size = 0usize;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ApiError::MalformedQuery("The upload could not be read.".into()))?;
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
    ApiError::MalformedQuery(format!("The query string is not valid: {err}.")).into()
}

/// For `web::Path`: an id that is not even a UUID cannot name anything, so it is a 404.
pub fn path_error(_err: actix_web::error::PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::NotFound.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
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
