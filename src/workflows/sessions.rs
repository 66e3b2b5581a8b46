//! Browser sessions of the web pages: started for an account that has just signed in (by any
//! of the ways in `sign_in`), found again from the cookie, ended at sign-out. The cookie's
//! token is never stored; its hash is.

use chrono::{NaiveDateTime, TimeDelta};

use crate::configuration::WebSettings;
use crate::domain::token::{new_token, token_hash};
use crate::domain::Role;
use crate::error::ApiError;
use crate::store::{self, users, web_sessions, DbConnection};

/// A signed-in browser: the account, and the session row's id.
pub struct LiveSession {
    pub id: String,
    pub user: users::User,
}

/// How long `role`'s sessions last without use, and at most.
fn limits(settings: &WebSettings, role: &str) -> (TimeDelta, TimeDelta) {
    if role == Role::Student.as_str() {
        (TimeDelta::days(settings.student_session_idle_days), TimeDelta::days(settings.student_session_days))
    } else {
        (TimeDelta::minutes(settings.session_idle_minutes), TimeDelta::hours(settings.session_hours))
    }
}

/// Starts a session for `user` and returns the token for its cookie. A new token at every
/// sign-in, so a token someone planted before cannot become a signed-in one.
pub fn start(
    conn: &mut DbConnection,
    settings: &WebSettings,
    user: &users::User,
) -> Result<String, ApiError> {
    let token = new_token();
    let now = store::now();
    let (idle, most) = limits(settings, &user.role);
    web_sessions::insert(conn, &token_hash(&token), user, now, now + idle, now + most)?;
    Ok(token)
}

/// The session of a cookie token, if it is still live; its idle limit moves on.
pub fn find(
    conn: &mut DbConnection,
    settings: &WebSettings,
    token: &str,
    now: NaiveDateTime,
) -> Result<Option<LiveSession>, ApiError> {
    let Some((id, last_seen, user)) = web_sessions::find_live(conn, &token_hash(token), now)? else {
        return Ok(None);
    };
    // Only a session not seen for a while is written to: a write statement takes SQLite's
    // write lock even when it changes nothing, and most pages are read within the minute.
    if last_seen < now - web_sessions::TOUCH_EVERY {
        let (idle, _) = limits(settings, &user.role);
        web_sessions::touch(conn, &id, now, now + idle)?;
    }
    Ok(Some(LiveSession { id, user }))
}

/// Whether a cookie token's session is live, without moving its idle limit on: a read only,
/// for checks made before a request's body is read.
pub fn is_live(conn: &mut DbConnection, token: &str) -> Result<bool, ApiError> {
    Ok(web_sessions::find_live(conn, &token_hash(token), store::now())?.is_some())
}

/// Ends the session of a cookie token (sign-out). Ending one that is gone is no error.
pub fn end(conn: &mut DbConnection, token: &str) -> Result<(), ApiError> {
    web_sessions::delete_by_hash(conn, &token_hash(token))?;
    Ok(())
}
