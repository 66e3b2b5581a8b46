//! A form sent from a page: its fields as the person typed them (the page's own parsers check
//! them, so a bad value is a message, not a 400), and the checks against cross-site requests:
//! the browser must say the form came from this site (`Sec-Fetch-Site`, else `Origin`), and a
//! signed-in form must carry the session's form token (a cookie whose session has ended counts as
//! no session).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use subtle::ConstantTimeEq;

use super::page::{quick_language, PageError, PageFailure, SESSION_COOKIE};
use crate::state::AppState;

/// The most a page's form may send: a few text fields.
const FORM_BYTES: usize = 64 * 1024;

/// The fields of a form, each as typed (trimmed by whoever reads them).
pub struct PageForm(pub HashMap<String, String>);

impl PageForm {
    /// Field `name` as typed, or empty.
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }
}

/// Whether the browser says the request came from this site. Requests from tools that send
/// neither header are not refused here; a signed-in form still needs its token.
pub fn same_site(req: &HttpRequest, public_base_url: &str) -> bool {
    if let Some(site) = req.headers().get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => {
            let ours = url::Url::parse(public_base_url).map(|u| u.origin().ascii_serialization());
            let host_origin = req.connection_info().host().to_owned();
            ours.is_ok_and(|o| o == origin)
                || origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"))
                    == Some(&host_origin)
        }
        None => true,
    }
}

impl FromRequest for PageForm {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<PageForm, PageError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let lang = quick_language(req);
        let refuse = move || PageError::new(lang, PageFailure::Forbidden);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let allowed = state.as_ref().is_some_and(|s| same_site(req, &s.settings.server.public_base_url));
        let cookie = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
        let mut payload = payload.take();
        Box::pin(async move {
            if !allowed {
                return Err(refuse());
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| PageError::new(lang, PageFailure::BadRequest))?;
                if body.len() + chunk.len() > FORM_BYTES {
                    return Err(PageError::new(lang, PageFailure::BadRequest));
                }
                body.extend_from_slice(&chunk);
            }
            let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
                .map_err(|_| PageError::new(lang, PageFailure::BadRequest))?;
            let fields: HashMap<String, String> =
                fields.into_iter().map(|(k, v)| (k, v.replace('\0', ""))).collect();
            if let (Some(state), Some(cookie)) = (state, cookie) {
                let expected = state.keys.form_token(&cookie);
                let given = fields.get("csrf").map_or("", String::as_str);
                if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
                    // A cookie whose session has ended (staff idle out) counts as none: the
                    // form is an anonymous one, such as signing in again.
                    let live = state
                        .db(move |conn| crate::workflows::sessions::is_live(conn, &cookie))
                        .await
                        .map_err(|e| PageError::from_api(lang, &e))?;
                    if live {
                        return Err(refuse());
                    }
                }
            }
            Ok(PageForm(fields))
        })
    }
}
