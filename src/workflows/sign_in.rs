//! Signing in: with a password (staff, coordinators, donors), with a one-time link mailed to
//! a student, by accepting an invitation, or with a password-reset link. The API and the web
//! pages both call these.
//!
//! The guards, in order: every anonymous endpoint is rate-limited per client address before
//! it runs (in `routes::auth`); a password attempt is counted per client address and per
//! account *before* the password is checked, and past the allowance it must wait
//! (`domain::throttle`), so parallel guesses cannot outrun the count; a one-time token is
//! looked up before any password is hashed; hashing waits in a bounded line (503 when full).
//! Unknown addresses, disabled and erased accounts take the same path and time as real ones.

use std::net::IpAddr;

use chrono::TimeDelta;
use secrecy::SecretString;
use serde_json::json;

use crate::auth::jwt::IssuedToken;
use crate::auth::keys::ServerKeys;
use crate::configuration::Settings;
use crate::domain::student::Language;
use crate::domain::token::{new_token, token_hash};
use crate::domain::{Password, Role};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{
    self, invitations, login_throttle, magic_links, organisations, outbox, password_resets, students, users,
    DbConnection,
};

/// The one answer to a wrong email address or password, whichever it was.
pub const WRONG_CREDENTIALS: &str = "The email address or password is not right.";

/// Who signed in, and their access token.
pub struct SignedIn {
    pub user: users::User,
    pub token: IssuedToken,
}

fn issue(state: &AppState, user: users::User) -> Result<SignedIn, ApiError> {
    if user.disabled_at.is_some() {
        return Err(ApiError::Unauthorized("This account is disabled."));
    }
    let token = state
        .tokens
        .issue(&user.id, user.token_version)
        .map_err(|e| ApiError::internal(format!("token: {e}")))?;
    Ok(SignedIn { user, token })
}

fn normal_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The throttle key of an account's sign-in attempts.
pub fn account_key(keys: &ServerKeys, email: &str) -> String {
    keys.throttle_key("account", email)
}

/// Counts an attempt on `key` now, or answers 429 with how long to wait.
fn take(
    conn: &mut DbConnection,
    key: &str,
    policy: &crate::domain::throttle::Policy,
) -> Result<(), ApiError> {
    login_throttle::take_attempt(conn, key, policy, store::now())?
        .map_err(|seconds| ApiError::RateLimited { retry_after_seconds: seconds })
}

/// Signs in with email and password. The attempt is counted for the client address and the
/// account first; only within their allowance is the password checked.
pub async fn login(
    state: &AppState,
    email: &str,
    password: &str,
    client: IpAddr,
) -> Result<SignedIn, ApiError> {
    // No account has a longer password, and hashing a huge one costs time: refuse it first.
    if password.chars().count() > Password::MAX_CHARS {
        return Err(ApiError::invalid(
            "password",
            format!("must be at most {} characters", Password::MAX_CHARS),
        ));
    }
    let email = normal_email(email);
    let auth = &state.settings.auth;
    let (address_policy, account_policy) = (
        auth.login_policy(auth.max_failed_logins_per_address),
        auth.login_policy(auth.max_failed_logins_per_account),
    );
    let address_key = state.keys.throttle_key("address", &client.to_string());
    let account_key = account_key(&state.keys, &email);
    let (keys, lookup) = ((address_key.clone(), account_key.clone()), email.clone());
    let user = state
        .db(move |conn| {
            // The address first: a blocked address cannot spend an account's allowance.
            take(conn, &keys.0, &address_policy)?;
            take(conn, &keys.1, &account_policy)?;
            Ok(users::find_by_email(conn, &lookup)?)
        })
        .await?;
    // A disabled account, or a student's (who has no password), is checked like an unknown
    // one: against a dummy hash, in the same time, always failing.
    let user = user.filter(|u| u.disabled_at.is_none() && u.role != Role::Student.as_str());
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let verified = state.hasher.verify(&SecretString::from(password.to_owned()), stored).await?;
    match user {
        Some(user) if verified => {
            state
                .db(move |conn| {
                    login_throttle::clear(conn, &account_key)?;
                    login_throttle::refund(conn, &address_key, &address_policy)?;
                    Ok(())
                })
                .await?;
            issue(state, user)
        }
        _ => Err(ApiError::Unauthorized(WRONG_CREDENTIALS)),
    }
}

/// What every "send me a link" answer says, whether or not the address is known.
pub fn magic_link_sent(minutes: i64) -> String {
    format!("If this address belongs to a student, we have sent a sign-in link. It works once, for {minutes} minutes.")
}

/// Mails a one-time sign-in link to each student enrolled with `email` (one per school that
/// enrolled them), revoking their older links. Asks are counted per address whether or not
/// it is a student's, so the answer and the throttling reveal nothing.
pub async fn request_magic_link(state: &AppState, email: &str) -> Result<(), ApiError> {
    let email = normal_email(email);
    let settings = state.settings.clone();
    let keys = state.keys.clone();
    state
        .db(move |conn| {
            let auth = &settings.auth;
            take(conn, &keys.throttle_key("magic", &email), &auth.link_policy())?;
            // Read first, write only for a real student, in one short transaction each.
            for student in students::all_by_email(conn, &email)? {
                store::write_tx(conn, |conn| {
                    let now = store::now();
                    let token = new_token();
                    let expires = now + TimeDelta::minutes(auth.magic_link_minutes);
                    magic_links::revoke_open(conn, &student.id)?;
                    magic_links::insert(conn, &student.id, &token_hash(&token), expires, now)?;
                    let message = outbox::NewMessage {
                        recipient: &email,
                        language: &student.preferred_language,
                        template: "magic_link",
                        payload: json!({"name": student.name, "valid_minutes": auth.magic_link_minutes}),
                        student_id: Some(&student.id),
                        secret: Some(outbox::MessageSecret {
                            values: json!({"link": link(&settings, "sign-in", &token)}),
                            expires_at: expires,
                            keys: &keys,
                        }),
                    };
                    outbox::enqueue(conn, &message, now)?;
                    Ok::<_, ApiError>(())
                })?;
            }
            Ok(())
        })
        .await
}

/// `{public_base_url}/{page}?token={token}`: the page a mailed link opens.
fn link(settings: &Settings, page: &str, token: &str) -> String {
    format!("{}/{page}?token={token}", settings.server.public_base_url.trim_end_matches('/'))
}

/// Signs a student in with the token of a mailed link, once.
pub async fn redeem_magic_link(state: &AppState, token: &str) -> Result<SignedIn, ApiError> {
    let hash = token_hash(token.trim());
    let user = state
        .db(move |conn| {
            let invalid =
                ApiError::Unauthorized("This sign-in link does not work any more. Ask for a new one.");
            let now = store::now();
            // A look before the write: an unknown token costs no write lock.
            if magic_links::find_valid(conn, &hash, now)?.is_none() {
                return Err(invalid);
            }
            store::write_tx(conn, |conn| {
                let Some(student_id) = magic_links::redeem(conn, &hash, now)? else {
                    return Err(invalid);
                };
                let student = students::find(conn, &student_id)?;
                let Some(email) = student.email.filter(|_| student.erased_at.is_none()) else {
                    return Err(invalid);
                };
                let account_email = student_account_email(conn, &student_id, &email)?;
                Ok(users::find_or_create_for_student(conn, &student_id, &account_email, now)?)
            })
        })
        .await?;
    issue(state, user)
}

/// The address a student's sign-in account shows: theirs, unless another account has it
/// (the same person enrolled at a second school, or a staff account with that address).
pub fn student_account_email(
    conn: &mut DbConnection,
    student_id: &str,
    email: &str,
) -> Result<String, ApiError> {
    Ok(match users::find_by_email(conn, email)? {
        Some(u) if u.student_id.as_deref() != Some(student_id) => {
            format!("student-{student_id}@students.devicepool.invalid")
        }
        _ => email.to_owned(),
    })
}

/// Sets the password of a new account with its invitation link, and signs it in. The token
/// is checked before the password is hashed.
pub async fn accept_invitation(state: &AppState, token: &str, password: &str) -> Result<SignedIn, ApiError> {
    let hash = token_hash(token.trim());
    let lookup = hash.clone();
    let found = state.db(move |conn| Ok(invitations::find_valid(conn, &lookup, store::now())?)).await?;
    let used = ApiError::Unauthorized(
        "This invitation link does not work any more. Ask the administrator for a new one.",
    );
    if found.is_none() {
        return Err(used);
    }
    let password = Password::parse("password", password)?;
    let password_hash = state.hasher.hash(password.secret()).await?;
    let user = state
        .db(move |conn| {
            store::write_tx(conn, |conn| {
                let now = store::now();
                let Some(user_id) = invitations::redeem(conn, &hash, now)? else {
                    return Err(used);
                };
                users::set_password_hash(conn, &user_id, &password_hash, now)?;
                Ok(users::find(conn, &user_id)?)
            })
        })
        .await?;
    issue(state, user)
}

/// What every "forgot your password" answer says, whether or not the address is known.
pub fn reset_sent(minutes: i64) -> String {
    format!("If this address has an account with a password, we have sent a link to choose a new one. It works once, for {minutes} minutes.")
}

/// Mails a one-time link to choose a new password, if `email` is an enabled account that
/// signs in with a password (not a student's), revoking older reset links. Counted per
/// address whether known or not.
pub async fn request_password_reset(state: &AppState, email: &str) -> Result<(), ApiError> {
    let email = normal_email(email);
    let settings = state.settings.clone();
    let keys = state.keys.clone();
    state
        .db(move |conn| {
            let auth = &settings.auth;
            take(conn, &keys.throttle_key("reset", &email), &auth.link_policy())?;
            let Some(user) = users::find_by_email(conn, &email)?
                .filter(|u| u.disabled_at.is_none() && u.role != Role::Student.as_str())
            else {
                return Ok(());
            };
            store::write_tx(conn, |conn| {
                let now = store::now();
                let token = new_token();
                let expires = now + TimeDelta::minutes(auth.password_reset_minutes);
                password_resets::revoke_open(conn, &user.id)?;
                password_resets::insert(conn, &user.id, &token_hash(&token), expires, now)?;
                let message = outbox::NewMessage {
                    recipient: &user.email,
                    language: settings.email.default_language.as_str(),
                    template: "password_reset",
                    payload: json!({"valid_minutes": auth.password_reset_minutes}),
                    student_id: None,
                    secret: Some(outbox::MessageSecret {
                        values: json!({"link": link(&settings, "reset-password", &token)}),
                        expires_at: expires,
                        keys: &keys,
                    }),
                };
                outbox::enqueue(conn, &message, now)?;
                Ok(())
            })
        })
        .await
}

/// Sets a new password with a reset link and signs in. Every access token issued before ends,
/// every other reset link and open invitation of the account is revoked, and its sign-in
/// throttle is cleared: the owner is in, whatever an attacker tried meanwhile.
pub async fn redeem_password_reset(
    state: &AppState,
    token: &str,
    password: &str,
) -> Result<SignedIn, ApiError> {
    let hash = token_hash(token.trim());
    let lookup = hash.clone();
    let found = state.db(move |conn| Ok(password_resets::find_valid(conn, &lookup, store::now())?)).await?;
    let used = ApiError::Unauthorized(
        "This link to choose a new password does not work any more. Ask for a new one.",
    );
    if found.is_none() {
        return Err(used);
    }
    let password = Password::parse("password", password)?;
    let password_hash = state.hasher.hash(password.secret()).await?;
    let keys = state.keys.clone();
    let user = state
        .db(move |conn| {
            store::write_tx(conn, |conn| {
                let now = store::now();
                let Some(user_id) = password_resets::redeem(conn, &hash, now)? else {
                    return Err(used);
                };
                users::set_password_hash(conn, &user_id, &password_hash, now)?;
                users::end_tokens(conn, &user_id, now)?;
                password_resets::revoke_open(conn, &user_id)?;
                invitations::revoke_open(conn, &user_id)?;
                let user = users::find(conn, &user_id)?;
                login_throttle::clear(conn, &account_key(&keys, &user.email))?;
                Ok(user)
            })
        })
        .await?;
    issue(state, user)
}

/// Queues the invitation of a new account without a password: a one-time link to choose one.
/// Call inside the transaction that creates the account.
pub fn invite(
    conn: &mut DbConnection,
    settings: &Settings,
    keys: &ServerKeys,
    user: &users::User,
    now: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    let token = new_token();
    let expires = now + TimeDelta::days(settings.auth.invitation_days);
    invitations::insert(conn, &user.id, &token_hash(&token), expires, now)?;
    let lang = settings.email.default_language;
    let organisation = match &user.organisation_id {
        Some(o) => Some(organisations::find(conn, o)?.name),
        None => None,
    };
    let role = match (user.role.as_str(), lang) {
        ("admin", Language::En) => "administrator",
        ("admin", Language::Nl) => "beheerder",
        ("staff", Language::En) => "pool staff",
        ("staff", Language::Nl) => "medewerker van de pool",
        ("school", Language::En) => "school coordinator",
        ("school", Language::Nl) => "coördinator van een school",
        (_, Language::En) => "donor",
        (_, Language::Nl) => "donateur",
    };
    let message = outbox::NewMessage {
        recipient: &user.email,
        language: lang.as_str(),
        template: "invitation",
        payload: json!({"role": role, "organisation": organisation, "valid_days": settings.auth.invitation_days}),
        student_id: None,
        secret: Some(outbox::MessageSecret {
            values: json!({"link": link(settings, "accept-invitation", &token)}),
            expires_at: expires,
            keys,
        }),
    };
    outbox::enqueue(conn, &message, now)?;
    Ok(())
}
