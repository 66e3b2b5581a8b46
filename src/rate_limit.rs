//! The per-address limit of everything anyone may call without signing in: `/api/v1/auth`
//! and its page twins (`/login`, `/sign-in`, `/sign-in/code`, `/sign-in/link`,
//! `/forgot-password`, `/reset-password`, `/accept-invitation`). One limiter for both, so a
//! client cannot double its tries by switching between the API and the pages. IPv6 clients
//! count per /64 (see `domain::client_address::counted_as`): one household or phone gets a
//! whole /64 and can pick any address in it.

use actix_governor::{GovernorConfig, GovernorConfigBuilder, KeyExtractor};
use actix_web::dev::ServiceRequest;
use actix_web::http::Method;
use actix_web::{HttpResponse, HttpResponseBuilder};

use crate::domain::client_address::counted_as;
use crate::error::ApiError;
use crate::extract::ClientAddress;

/// The client address, as the per-address limit of anonymous endpoints counts it.
#[derive(Debug, Clone, Copy)]
pub struct ClientKey;

impl KeyExtractor for ClientKey {
    type Key = std::net::IpAddr;
    type KeyExtractionError = ApiError;

    fn extract(&self, req: &ServiceRequest) -> Result<Self::Key, Self::KeyExtractionError> {
        Ok(counted_as(ClientAddress::of(req.request()).0))
    }

    fn exceed_rate_limit_response(
        &self,
        negative: &actix_governor::governor::NotUntil<actix_governor::governor::clock::QuantaInstant>,
        mut response: HttpResponseBuilder,
    ) -> HttpResponse {
        use actix_governor::governor::clock::{Clock, DefaultClock};
        let seconds = negative.wait_time_from(DefaultClock::default().now()).as_secs().max(1);
        // The error travels with the answer, so that it is told in the reader's language
        // (`middleware::answer_in_readers_language`) like every other problem.
        let mut answer = HttpResponse::from_error(ApiError::RateLimited { retry_after_seconds: seconds });
        for (name, value) in response.finish().headers() {
            if !answer.headers().contains_key(name) {
                answer.headers_mut().insert(name.clone(), value.clone());
            }
        }
        answer
    }
}

/// The per-address limit of the anonymous endpoints, shared by every worker of an instance.
pub type AnonymousLimit = GovernorConfig<ClientKey, actix_governor::governor::middleware::NoOpMiddleware>;

/// `auth.anonymous_requests_per_minute` per client address, with a burst of as many: in
/// memory, per instance. It bounds how much work, writes and password hashes one address can
/// cause; the database counters in `workflows::sign_in` hold across instances.
pub fn anonymous_limit(per_minute: u32) -> AnonymousLimit {
    let per_minute = per_minute.max(1);
    GovernorConfigBuilder::default()
        .period(std::time::Duration::from_secs(60) / per_minute)
        .burst_size(per_minute)
        // Posts only: reading the sign-in page costs nothing, sending it does.
        .methods(vec![Method::POST])
        .key_extractor(ClientKey)
        .finish()
        .unwrap_or_else(|| unreachable!("a period above zero and a burst of at least one are valid"))
}
