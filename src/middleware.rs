//! Cross-cutting request handling: a request id and one log line per request, and turning a
//! panic in a handler into a 500 problem instead of a dropped connection.

use std::panic::AssertUnwindSafe;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use futures_util::FutureExt;
use tracing::Instrument;

use crate::domain::student::Language;
use crate::error::ApiError;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request being handled, for handlers that want to log or return it.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl actix_web::FromRequest for RequestId {
    type Error = Error;
    type Future = std::future::Ready<Result<RequestId, Error>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let id = req.extensions().get::<RequestId>().cloned().unwrap_or_else(|| RequestId(String::new()));
        std::future::ready(Ok(id))
    }
}

/// Gives every request the server's own id (a UUID v7), which the access log and the log
/// lines carry and the response returns in `X-Request-Id`. A caller's own `X-Request-Id`
/// (visible ASCII, at most 128 characters) is logged beside it for tracing across systems,
/// never instead of it: an audit record must not name whatever id a client chose.
pub async fn request_log(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let id = uuid::Uuid::now_v7().to_string();
    let client_id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("")
        .to_owned();
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().to_string();
    // The path only: query strings can carry tokens, which must not reach the logs.
    let path = req.path().to_owned();
    let span =
        tracing::info_span!("request", request_id = %id, client_request_id = %client_id, %method, %path);
    let started = Instant::now();
    let result = next.call(req).instrument(span.clone()).await;
    let mut response = match result {
        Ok(res) => res.map_into_boxed_body(),
        Err(e) => {
            let status = e.as_response_error().status_code().as_u16();
            span.in_scope(|| tracing::info!(status, route = "unknown", "request failed"));
            return Err(e);
        }
    };
    let status = response.status().as_u16();
    let route = response.request().match_pattern().unwrap_or_else(|| "unmatched".into());
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| tracing::info!(status, %route, latency_ms = format!("{latency_ms:.1}"), "request done"));
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(response)
}

/// A handler that panics answers 500 with a problem body; the worker keeps serving.
pub async fn catch_panic(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // No clone of the request may be held here: routing needs it unshared. Returning the
    // error lets actix render it as the response.
    match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(result) => result.map(ServiceResponse::map_into_boxed_body),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(ApiError::internal(format!("handler panicked: {message}")).into())
        }
    }
}

/// A NUL character (`%00`) in the query string is refused before any handler sees it:
/// PostgreSQL cannot store or compare one, and no filter or search ever needs it. (Bodies are
/// checked in `extract::parse_json`; path ids that are not UUIDs are 404 anyway.)
pub async fn refuse_nul(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if req.query_string().to_ascii_lowercase().contains("%00") {
        // An answer, not an error, so the outer middleware (headers, log) still see it.
        let error = ApiError::MalformedQuery(crate::phrase!("query-nul"));
        return Ok(req.into_response(actix_web::HttpResponse::from_error(error)));
    }
    next.call(req).await.map(ServiceResponse::map_into_boxed_body)
}

/// Headers every answer carries: no content sniffing, no referrer leaving the site (links
/// carry one-time tokens), no framing by another site (`/docs` included: clickjacking), and
/// for the API a policy that lets a browser run nothing it returns. `/docs` (Swagger UI) gets
/// a policy that allows its own scripts and styles; a handler that set its own policy keeps it.
/// Over https, browsers are told to keep to https.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    use actix_web::http::header;
    let docs = req.path() == "/docs" || req.path().starts_with("/docs/");
    let page = is_page_path(req.path());
    let https = req
        .app_data::<actix_web::web::Data<crate::state::AppState>>()
        .is_some_and(|s| s.settings.server.public_base_url.starts_with("https://"));
    let mut response = next.call(req).await?.map_into_boxed_body();
    let headers = response.headers_mut();
    let policy = if docs {
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    } else if page {
        // The pages need their own style sheet, their own forms and one script file of their
        // own (camera scanning), nothing else: no inline script, nothing from elsewhere.
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'"
    } else {
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    };
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CONTENT_SECURITY_POLICY, policy),
    ] {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    if page && !headers.contains_key(header::CACHE_CONTROL) {
        // Pages show personal data and differ by who is signed in: neither the browser's
        // history nor a shared cache may keep them. Static files say their own (immutable).
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if page && !headers.contains_key("permissions-policy") {
        // The camera for scanning labels on this site's own pages; nothing else a page could ask.
        headers.insert(
            header::HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(self), microphone=(), geolocation=(), payment=(), usb=()"),
        );
    }
    if https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::{middleware::from_fn, test, web, App, HttpResponse};

    #[actix_web::test]
    async fn a_panicking_handler_answers_500_problem_and_the_app_keeps_serving() {
        let app = test::init_service(
            App::new()
                .wrap(from_fn(catch_panic))
                .route(
                    "/boom",
                    web::get().to(|| async {
                        panic!("boom");
                        #[allow(unreachable_code)]
                        HttpResponse::Ok().finish()
                    }),
                )
                .route("/fine", web::get().to(|| async { HttpResponse::Ok().body("fine") })),
        )
        .await;
        // The middleware answers with an error, which actix's dispatcher renders as this response.
        let err = test::try_call_service(&app, test::TestRequest::get().uri("/boom").to_request())
            .await
            .expect_err("the panic became an error");
        let res = err.error_response();
        assert_eq!(res.status(), 500);
        assert_eq!(
            res.headers().get("content-type").map(|v| v.to_str().ok()),
            Some(Some("application/problem+json"))
        );
        let body = actix_web::body::to_bytes(res.into_body()).await.expect("body");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(body["code"], "internal_error");
        let res = test::call_service(&app, test::TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(res.status(), 200);
    }

    #[actix_web::test]
    async fn every_request_gets_the_servers_own_id_whatever_the_client_sent() {
        let app = test::init_service(
            App::new()
                .wrap(from_fn(request_log))
                .route("/", web::get().to(|| async { HttpResponse::Ok().finish() })),
        )
        .await;
        for given in ["abc-123", "has space"] {
            let res = test::call_service(
                &app,
                test::TestRequest::get().uri("/").insert_header(("x-request-id", given)).to_request(),
            )
            .await;
            let id = res.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
            assert!(id.is_some_and(|id| id != given && uuid::Uuid::parse_str(&id).is_ok()), "{given}");
        }
    }
}

/// Whether `path` is one of the web pages rather than the API, its documentation or the
/// operations endpoints.
pub fn is_page_path(path: &str) -> bool {
    !["/api/", "/api-docs/", "/docs", "/metrics", "/healthz", "/readyz"].iter().any(|p| path.starts_with(p))
}

/// Whether the request is from a browser that asks for HTML.
fn wants_html(req: &actix_web::HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// How a browser on a page address is told of a problem: with a page, which `web` makes.
/// `startup` hands the function in, as pages are a layer above this one.
#[derive(Clone, Copy)]
pub struct ErrorPage(pub fn(&actix_web::HttpRequest, &ApiError) -> actix_web::HttpResponse);

/// The language to answer a request in: what its `Accept-Language` asks for, else the
/// account's own language, else `email.default_language`.
pub async fn readers_language(req: &actix_web::HttpRequest) -> Language {
    let asked = req
        .headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language);
    if let Some(asked) = asked {
        return asked;
    }
    if let Some(own) = crate::extract::account_language(req).await {
        return own;
    }
    req.app_data::<actix_web::web::Data<crate::state::AppState>>()
        .map_or(Language::En, |s| s.settings.email.default_language)
}

/// Tells every problem in the reader's language. A handler's error is rendered before anyone
/// knows the reader (`ResponseError` sees no request); here the answer is made again from
/// the same error, keeping the headers that others added.
pub async fn answer_in_readers_language(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // Cloning the request here would stop the router from filling in its path.
    let res = next.call(req).await?.map_into_boxed_body();
    let Some(error) = res.response().error().and_then(|e| e.as_error::<ApiError>()) else {
        return Ok(res);
    };
    // A person's browser on a page address gets a page, not a problem document.
    if is_page_path(res.request().path()) && wants_html(res.request()) {
        if let Some(ErrorPage(page)) = res.request().app_data::<ErrorPage>().copied() {
            let page = page(res.request(), error);
            return Ok(res.into_response(page));
        }
    }
    let lang = readers_language(res.request()).await;
    let mut answer = error.response_in(lang);
    for (name, value) in res.response().headers() {
        if !answer.headers().contains_key(name) {
            answer.headers_mut().append(name.clone(), value.clone());
        }
    }
    answer.headers_mut().insert(
        actix_web::http::header::CONTENT_LANGUAGE,
        HeaderValue::from_static(match lang {
            Language::Nl => "nl",
            Language::En => "en",
        }),
    );
    Ok(res.into_response(answer))
}
