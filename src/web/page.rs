//! What every page handler starts from: the reader's language, their session if signed in,
//! and the few values the base layout needs; and the answers a page gives: a rendered
//! template, a redirect (POST → 303 → GET), or a friendly error page.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{dev::Payload, web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::{json, Value};

use crate::domain::student::Language;
use crate::domain::Role;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::users;
use crate::workflows::sessions;

/// The session cookie: only sent over https, to this host, never to scripts. Lax, not Strict:
/// students arrive from links in their mail, and Strict would make them sign in again.
pub const SESSION_COOKIE: &str = "__Host-session";
/// The language chosen with `?lang=`, for readers who are not signed in.
pub const LANGUAGE_COOKIE: &str = "lang";

/// A signed-in browser.
pub struct Session {
    /// The cookie's token (the session row holds only its hash).
    pub token: String,
    pub user: users::User,
    pub role: Role,
}

/// The reader of a page.
pub struct PageContext {
    pub lang: Language,
    /// `Some` when `?lang=` chose the language now: the answer remembers it in a cookie.
    chosen: Option<Language>,
    pub session: Option<Session>,
    pub path: String,
    form_token: Option<String>,
    pub state: web::Data<AppState>,
    /// The request carried a session cookie that is no longer live.
    clear_session: bool,
}

/// What a request says of its language: `?lang=` now, the cookie of an earlier choice, and
/// the browser's `Accept-Language`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AskedLanguage {
    pub chosen: Option<Language>,
    pub remembered: Option<Language>,
    pub browser: Option<Language>,
}

pub fn asked_language(req: &HttpRequest) -> AskedLanguage {
    let chosen = web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("lang").and_then(|l| Language::parse(l)));
    let remembered = req.cookie(LANGUAGE_COOKIE).and_then(|c| Language::parse(c.value()));
    let browser = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language);
    AskedLanguage { chosen, remembered, browser }
}

/// The language of a page for a reader whose account we do not look up (error pages).
pub fn quick_language(req: &HttpRequest) -> Language {
    let default =
        req.app_data::<web::Data<AppState>>().map_or(Language::En, |s| s.settings.email.default_language);
    let asked = asked_language(req);
    asked.chosen.or(asked.remembered).or(asked.browser).unwrap_or(default)
}

impl FromRequest for PageContext {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<PageContext, PageError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
        let asked = asked_language(req);
        let path = req.path().to_owned();
        let fallback = quick_language(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| PageError::new(fallback, PageFailure::Internal))?;
            let settings = state.settings.clone();
            let had_cookie = token.is_some();
            let session = match token {
                Some(token) => {
                    let web_settings = settings.web.clone();
                    let lookup = token.clone();
                    let live = state
                        .db(move |conn| sessions::find(conn, &web_settings, &lookup, crate::store::now()))
                        .await
                        .map_err(|e| PageError::from_api(fallback, &e))?;
                    live.and_then(|live| {
                        let role = Role::parse(&live.user.role)?;
                        Some(Session { token, user: live.user, role })
                    })
                }
                None => None,
            };
            let own =
                session.as_ref().and_then(|s| s.user.preferred_language.as_deref()).and_then(Language::parse);
            // A language chosen now, or remembered from a choice in this browser, beats the
            // account's; the account's beats the browser's. Choosing one on a page changes
            // only this browser: the account's language (its mail) changes on the account
            // page alone, so a link from elsewhere cannot change it.
            let lang = asked
                .chosen
                .or(asked.remembered)
                .or(own)
                .or(asked.browser)
                .unwrap_or(settings.email.default_language);
            let form_token = session.as_ref().map(|s| state.keys.form_token(&s.token));
            // A cookie whose session has ended counts as none, and the answer clears it.
            let clear_session = had_cookie && session.is_none();
            Ok(PageContext { lang, chosen: asked.chosen, session, path, form_token, state, clear_session })
        })
    }
}

impl PageContext {
    /// The signed-in reader, or the way to sign in.
    pub fn signed_in(&self) -> Result<&Session, PageError> {
        self.session.as_ref().ok_or_else(|| PageError::new(self.lang, PageFailure::SignInFirst))
    }

    /// What the base layout shows on every page, with the page's own `values` added.
    fn context(&self, values: Value) -> Value {
        let mut context = json!({
            "lang": self.lang.as_str(),
            "other_lang": match self.lang { Language::Nl => "en", Language::En => "nl" },
            "path": self.path,
            "css": super::assets::stylesheet_path(),
            "camera_js": super::assets::camera_script_path(),
            "account": self.session.as_ref().map(|s| json!({"email": s.user.email, "role": s.role.as_str()})),
            "csrf": self.form_token.clone().unwrap_or_default(),
            "errors": [],
            "field_errors": {},
        });
        if let (Some(base), Value::Object(page)) = (context.as_object_mut(), values) {
            base.extend(page);
        }
        context
    }

    /// Template `name` with `values`, as a 200 page.
    pub fn render(&self, name: &str, values: impl Serialize) -> Result<HttpResponse, PageError> {
        self.render_with_status(StatusCode::OK, name, values)
    }

    pub fn render_with_status(
        &self,
        status: StatusCode,
        name: &str,
        values: impl Serialize,
    ) -> Result<HttpResponse, PageError> {
        let values =
            serde_json::to_value(values).map_err(|_| PageError::new(self.lang, PageFailure::Internal))?;
        let html = super::templates::render(
            name,
            self.lang,
            &minijinja::Value::from_serialize(self.context(values)),
        )
        .map_err(|e| {
            tracing::error!(template = name, error = %e, "page did not render");
            PageError::new(self.lang, PageFailure::Internal)
        })?;
        let mut response = HttpResponse::build(status);
        self.add_cookies(&mut response);
        Ok(response.content_type("text/html; charset=utf-8").body(html))
    }

    /// The hubs as `[id, name]` choices for a form's select.
    pub async fn hub_choices(&self) -> Result<Vec<serde_json::Value>, PageError> {
        let rows = self
            .state
            .db(|conn| Ok(crate::store::hubs::list(conn, None, 500)?))
            .await
            .map_err(|e| self.fail(e))?;
        Ok(rows.into_iter().map(|h| serde_json::json!([h.id, h.name])).collect())
    }

    /// After a form: 303 to `to`, so a reload does not send it again.
    pub fn see_other(&self, to: &str) -> HttpResponse {
        let mut response = HttpResponse::SeeOther();
        self.add_cookies(&mut response);
        response.insert_header((header::LOCATION, to)).finish()
    }

    /// After signing in: 303 to `to`, with the new session's cookie `token`.
    pub fn see_other_signed_in(&self, to: &str, token: &str) -> HttpResponse {
        let mut response = HttpResponse::SeeOther();
        self.add_language_cookie(&mut response);
        response.cookie(session_cookie(token)).insert_header((header::LOCATION, to)).finish()
    }

    fn add_cookies(&self, response: &mut actix_web::HttpResponseBuilder) {
        if self.clear_session {
            response.cookie(session_cookie(""));
        }
        self.add_language_cookie(response);
    }

    fn add_language_cookie(&self, response: &mut actix_web::HttpResponseBuilder) {
        if let Some(chosen) = self.chosen {
            let mut cookie = Cookie::build(LANGUAGE_COOKIE, chosen.as_str())
                .path("/")
                .same_site(SameSite::Lax)
                .max_age(actix_web::cookie::time::Duration::days(365))
                .finish();
            cookie.set_secure(self.state.settings.server.public_base_url.starts_with("https://"));
            response.cookie(cookie);
        }
    }

    /// An object's id from the address; one that is not an id is simply not found.
    pub fn object_id(&self, id: &str) -> Result<String, PageError> {
        uuid::Uuid::parse_str(id)
            .map(|u| u.to_string())
            .map_err(|_| PageError::new(self.lang, PageFailure::NotFound))
    }

    /// Form page `name` with `values` and the mistakes in `problems`: the error summary
    /// (`errors`) and each field's message (`field_errors`) added to what the template shows.
    pub fn render_form(
        &self,
        status: StatusCode,
        name: &str,
        mut values: serde_json::Value,
        problems: &[crate::domain::FieldError],
    ) -> Result<HttpResponse, PageError> {
        let (errors, by_field) = form_errors(self, problems);
        if let Some(map) = values.as_object_mut() {
            map.insert("errors".into(), errors.into());
            map.insert("field_errors".into(), by_field.into());
        }
        self.render_with_status(status, name, values)
    }

    /// The mistakes a workflow found in a form (a conflict is a mistake in `conflict_field`),
    /// or the failure page for anything else.
    pub fn form_problems(
        &self,
        e: ApiError,
        conflict_field: &str,
    ) -> Result<Vec<crate::domain::FieldError>, PageError> {
        match e {
            ApiError::Validation(problems) => Ok(problems),
            ApiError::Conflict { detail } => Ok(vec![crate::domain::FieldError::new(conflict_field, detail)]),
            e => Err(self.fail(e)),
        }
    }

    /// A failure in this reader's language.
    pub fn fail(&self, e: ApiError) -> PageError {
        PageError::from_api(self.lang, &e)
    }
}

/// The session cookie for `token`; an empty one that ends at once to sign out.
pub fn session_cookie(token: &str) -> Cookie<'static> {
    let mut cookie = Cookie::build(SESSION_COOKIE, token.to_owned())
        .path("/")
        .secure(true)
        .http_only(true)
        .same_site(SameSite::Lax)
        .finish();
    if token.is_empty() {
        cookie.make_removal();
    }
    cookie
}

/// Why a page could not be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageFailure {
    SignInFirst,
    NotFound,
    Forbidden,
    TooMany { minutes: u64 },
    Unavailable,
    BadRequest,
    Internal,
}

/// The page for a browser whose request to a page address failed with `error` before a page
/// handler could say so (`middleware::answer_in_readers_language` calls it).
pub fn error_page(req: &HttpRequest, error: &ApiError) -> HttpResponse {
    PageError::from_api(quick_language(req), error).page()
}

/// A page that failed, in its reader's language: a friendly page, or the way to sign in.
#[derive(Debug)]
pub struct PageError {
    lang: Language,
    failure: PageFailure,
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "page failed: {:?}", self.failure)
    }
}

impl PageError {
    pub fn new(lang: Language, failure: PageFailure) -> PageError {
        PageError { lang, failure }
    }

    pub fn from_api(lang: Language, e: &ApiError) -> PageError {
        let failure = match e {
            ApiError::NotFound | ApiError::NoRoute => PageFailure::NotFound,
            ApiError::Forbidden => PageFailure::Forbidden,
            ApiError::Unauthorized(_) | ApiError::CodeSpent => PageFailure::SignInFirst,
            ApiError::RateLimited { retry_after_seconds } => {
                PageFailure::TooMany { minutes: retry_after_seconds.div_ceil(60) }
            }
            ApiError::MethodNotAllowed { .. } => PageFailure::NotFound,
            ApiError::DatabaseUnavailable | ApiError::Busy { .. } => PageFailure::Unavailable,
            ApiError::Internal(e) => {
                tracing::error!(error = format!("{e:#}"), "page failed");
                PageFailure::Internal
            }
            _ => PageFailure::BadRequest,
        };
        PageError { lang, failure }
    }

    /// The error page's status and its title and text keys.
    fn parts(&self) -> (StatusCode, &'static str, &'static str, u64) {
        match self.failure {
            PageFailure::SignInFirst => (StatusCode::SEE_OTHER, "", "", 0),
            PageFailure::NotFound => {
                (StatusCode::NOT_FOUND, "error-not-found-title", "error-not-found-text", 0)
            }
            PageFailure::Forbidden => {
                (StatusCode::FORBIDDEN, "error-forbidden-title", "error-forbidden-text", 0)
            }
            PageFailure::TooMany { minutes } => {
                (StatusCode::TOO_MANY_REQUESTS, "error-too-many-title", "error-too-many-text", minutes)
            }
            PageFailure::Unavailable => {
                (StatusCode::SERVICE_UNAVAILABLE, "error-unavailable-title", "error-unavailable-text", 0)
            }
            PageFailure::BadRequest => {
                (StatusCode::BAD_REQUEST, "error-bad-request-title", "error-bad-request-text", 0)
            }
            PageFailure::Internal => {
                (StatusCode::INTERNAL_SERVER_ERROR, "error-internal-title", "error-internal-text", 0)
            }
        }
    }

    /// The friendly page (a plain one if even that fails to render).
    pub fn page(&self) -> HttpResponse {
        let (status, title_key, text_key, minutes) = self.parts();
        if self.failure == PageFailure::SignInFirst {
            // Whatever session cookie came with the request is no longer any good.
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/login"))
                .cookie(session_cookie(""))
                .finish();
        }
        let context = json!({
            "lang": self.lang.as_str(),
            "other_lang": match self.lang { Language::Nl => "en", Language::En => "nl" },
            "path": "/",
            "css": super::assets::stylesheet_path(),
            "camera_js": super::assets::camera_script_path(),
            "account": null,
            "csrf": "",
            "errors": [],
            "field_errors": {},
            "title_key": title_key,
            "text_key": text_key,
            "minutes": minutes,
        });
        let html =
            super::templates::render("error.html", self.lang, &minijinja::Value::from_serialize(context))
                .unwrap_or_else(|_| {
                    format!(
                        "<!DOCTYPE html><html lang=\"{}\"><title>{status}</title><h1>{status}</h1></html>",
                        self.lang.as_str()
                    )
                });
        let mut response = HttpResponse::build(status);
        if let PageFailure::TooMany { minutes } = self.failure {
            response.insert_header((header::RETRY_AFTER, (minutes * 60).to_string()));
        }
        response.content_type("text/html; charset=utf-8").body(html)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.parts().0
    }

    fn error_response(&self) -> HttpResponse {
        self.page()
    }
}

/// A form's problems for its template: the summary's list, and each field's message.
pub fn form_errors(
    ctx: &PageContext,
    errors: &[crate::domain::FieldError],
) -> (Vec<serde_json::Value>, serde_json::Map<String, serde_json::Value>) {
    let listed: Vec<_> = errors
        .iter()
        .map(|e| json!({"field": e.field, "message": crate::i18n::say(&e.message, ctx.lang)}))
        .collect();
    let mut by_field = serde_json::Map::new();
    for e in &listed {
        let field = e["field"].as_str().unwrap_or("").to_owned();
        by_field.entry(field).or_insert_with(|| e["message"].clone());
    }
    (listed, by_field)
}
