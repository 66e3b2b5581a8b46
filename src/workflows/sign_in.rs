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
use crate::domain::client_address::counted_as;
use crate::domain::student::Language;
use crate::domain::token::MAX_WRONG_CODES;
use crate::domain::token::{new_token, token_hash};
use crate::domain::{Password, Role};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{
    self, invitations, login_throttle, magic_links, organisations, outbox, password_resets, sign_in_codes,
    students, users, DbConnection,
};

/// Who signed in, and their access token.
pub struct SignedIn {
    pub user: users::User,
    pub token: IssuedToken,
}

fn issue(state: &AppState, user: users::User) -> Result<SignedIn, ApiError> {
    if user.disabled_at.is_some() {
        return Err(ApiError::Unauthorized(crate::phrase!("unauthorized-disabled")));
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
    if let Some(long) = Password::too_long("password", password) {
        return Err(long.into());
    }
    let email = normal_email(email);
    let auth = &state.settings.auth;
    let (address_policy, account_policy) = (
        auth.login_policy(auth.max_failed_logins_per_address),
        auth.login_policy(auth.max_failed_logins_per_account),
    );
    let address_key = state.keys.throttle_key("address", &counted_as(client).to_string());
    let account_key = account_key(&state.keys, &email);
    let (address, account, lookup) = (address_key.clone(), account_key.clone(), email.clone());
    let user = state
        .db(move |conn| {
            // The address first: a blocked address cannot spend an account's allowance.
            take(conn, &address, &address_policy)?;
            take(conn, &account, &account_policy)?;
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
        _ => Err(ApiError::Unauthorized(crate::phrase!("unauthorized-wrong-credentials"))),
    }
}

/// What every "send me a link" answer says, whether or not the address is known.
pub fn magic_link_sent(minutes: i64) -> crate::domain::phrase::Phrase {
    crate::phrase!("accepted-magic-link", minutes = minutes)
}

/// The tables of one-time links. A new sign-in or reset link revokes its owner's older ones.
#[derive(Debug, Clone, Copy)]
enum Links {
    SignIn,
    Invitation,
    Reset,
}

impl Links {
    fn page(self) -> &'static str {
        match self {
            Links::SignIn => "sign-in",
            Links::Invitation => "accept-invitation",
            Links::Reset => "reset-password",
        }
    }

    /// The owner of an unused, unexpired link, without using it.
    fn find_valid(self, conn: &mut DbConnection, hash: &str) -> diesel::QueryResult<Option<String>> {
        let now = store::now();
        match self {
            Links::SignIn => magic_links::find_valid(conn, hash, now),
            Links::Invitation => invitations::find_valid(conn, hash, now),
            Links::Reset => password_resets::find_valid(conn, hash, now),
        }
    }
}

/// A message that carries a one-time link.
struct LinkMail<'a> {
    recipient: &'a str,
    language: &'a str,
    template: &'a str,
    payload: serde_json::Value,
    student_id: Option<&'a str>,
}

/// Makes a one-time link of `links` for `owner`, valid until `expires`, and queues `mail` with
/// the link (`{public_base_url}/{page}?token=…`) sealed in it. Call inside a transaction.
fn queue_link(
    conn: &mut DbConnection,
    (settings, keys): (&Settings, &ServerKeys),
    links: Links,
    owner: &str,
    expires: chrono::NaiveDateTime,
    mail: LinkMail,
) -> Result<(), ApiError> {
    let now = store::now();
    let token = new_token();
    let hash = token_hash(&token);
    let base = settings.server.public_base_url.trim_end_matches('/');
    let mut values = json!({"link": format!("{base}/{}?token={token}", links.page())});
    match links {
        Links::SignIn => {
            magic_links::revoke_open(conn, owner)?;
            magic_links::insert(conn, owner, &hash, expires, now)?;
            // The same link as a code to type, for a student who reads mail on another device.
            let code = crate::domain::token::new_code();
            sign_in_codes::set(conn, &hash, &keys.sign_in_code_hash(owner, &code))?;
            values["code"] = json!(code);
        }
        Links::Reset => {
            password_resets::revoke_open(conn, owner)?;
            password_resets::insert(conn, owner, &hash, expires, now)?;
        }
        Links::Invitation => {
            invitations::insert(conn, owner, &hash, expires, now)?;
        }
    }
    let message = outbox::NewMessage {
        recipient: mail.recipient,
        language: mail.language,
        template: mail.template,
        payload: mail.payload,
        student_id: mail.student_id,
        secret: Some(outbox::MessageSecret { values, expires_at: expires, keys }),
    };
    outbox::enqueue(conn, &message, now)?;
    Ok(())
}

/// The hash of a new password chosen with the one-time `token_hash` of `links`: the token is
/// looked up (without using it) before the password is hashed, so a made-up token costs no
/// hashing. `used` is the answer to a token that does not work.
async fn new_password_for(
    state: &AppState,
    links: Links,
    token_hash: &str,
    password: &str,
    used: fn() -> ApiError,
) -> Result<String, ApiError> {
    let lookup = token_hash.to_owned();
    let found = state.db(move |conn| Ok(links.find_valid(conn, &lookup)?)).await?;
    if found.is_none() {
        return Err(used());
    }
    let password = Password::parse("password", password)?;
    state.hasher.hash(password.secret()).await
}

/// Mails a one-time sign-in link to each student enrolled with `email` (one per school that
/// enrolled them), revoking their older links. Asks are counted per address whether or not
/// it is a student's, so the answer and the throttling reveal nothing.
pub async fn request_magic_link(state: &AppState, email: &str) -> Result<(), ApiError> {
    let started = tokio::time::Instant::now();
    let email = normal_email(email);
    let (settings, keys) = (state.settings.clone(), state.keys.clone());
    state
        .db(move |conn| {
            let auth = &settings.auth;
            take(conn, &keys.throttle_key("magic", &email), &auth.link_policy())?;
            // Read first, write only for a real student, in one short transaction each.
            for student in students::all_by_email(conn, &email)? {
                let mail = LinkMail {
                    recipient: &email,
                    language: &student.preferred_language,
                    template: "magic_link",
                    payload: json!({"name": student.name, "valid_minutes": auth.magic_link_minutes}),
                    student_id: Some(&student.id),
                };
                let expires = store::now() + TimeDelta::minutes(auth.magic_link_minutes);
                store::write_tx(conn, |conn| {
                    queue_link(conn, (&settings, &keys), Links::SignIn, &student.id, expires, mail)
                })?;
            }
            Ok(())
        })
        .await?;
    answer_no_sooner(state, started).await;
    Ok(())
}

/// Waits until `auth.link_answer_ms` have passed since `started`: a known address costs a few
/// writes more than an unknown one, and the answer's timing must not tell them apart.
async fn answer_no_sooner(state: &AppState, started: tokio::time::Instant) {
    let floor = std::time::Duration::from_millis(state.settings.auth.link_answer_ms);
    tokio::time::sleep_until(started + floor).await;
}

fn link_used() -> ApiError {
    ApiError::Unauthorized(crate::phrase!("unauthorized-sign-in-link-used"))
}

/// Signs a student in with the token of a mailed link, once.
pub async fn redeem_magic_link(state: &AppState, token: &str) -> Result<SignedIn, ApiError> {
    let hash = token_hash(token.trim());
    let user = state
        .db(move |conn| {
            // A look before the write: an unknown token costs no write lock.
            if Links::SignIn.find_valid(conn, &hash)?.is_none() {
                return Err(link_used());
            }
            store::write_tx(conn, |conn| {
                let now = store::now();
                let student_id = magic_links::redeem(conn, &hash, now)?.ok_or_else(link_used)?;
                let student = students::find(conn, &student_id)?;
                let email = student.email.filter(|_| student.erased_at.is_none()).ok_or_else(link_used)?;
                student_account(conn, &student_id, &email, &student.preferred_language, now)
            })
        })
        .await?;
    issue(state, user)
}

/// Signs a student in with the code of their sign-in mail, typed with their address. A code
/// is short, so every try counts against the client address and the address typed, like a
/// password, and against the code itself: after `MAX_WRONG_CODES` wrong ones it and its link
/// are burnt, and the answer says so (the student asks for a new mail). It works once, and
/// only while its link does.
pub async fn redeem_sign_in_code(
    state: &AppState,
    email: &str,
    code: &str,
    client: IpAddr,
) -> Result<SignedIn, ApiError> {
    let email = normal_email(email);
    let code = code.trim().to_owned();
    let auth = &state.settings.auth;
    let (address_policy, account_policy) = (
        auth.login_policy(auth.max_failed_logins_per_address),
        auth.login_policy(auth.max_failed_logins_per_account),
    );
    let address_key = state.keys.throttle_key("address", &counted_as(client).to_string());
    let code_key = state.keys.throttle_key("code", &email);
    let keys = state.keys.clone();
    let user = state
        .db(move |conn| {
            take(conn, &address_key, &address_policy)?;
            take(conn, &code_key, &account_policy)?;
            let wrong = || ApiError::Unauthorized(crate::phrase!("unauthorized-wrong-code"));
            if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
                return Err(wrong());
            }
            let user = store::write_tx(conn, |conn| -> Result<Result<users::User, ApiError>, ApiError> {
                let now = store::now();
                for student in students::all_by_email(conn, &email)? {
                    if sign_in_codes::redeem(
                        conn,
                        &student.id,
                        &keys.sign_in_code_hash(&student.id, &code),
                        now,
                    )? {
                        let user =
                            student_account(conn, &student.id, &email, &student.preferred_language, now)?;
                        return Ok(Ok(user));
                    }
                }
                // Wrong: it counts against the code itself, wherever it was typed from.
                let mut spent = false;
                for student in students::all_by_email(conn, &email)? {
                    spent |= sign_in_codes::count_wrong(conn, &student.id, MAX_WRONG_CODES, now)?;
                }
                Ok(Err(if spent { ApiError::CodeSpent } else { wrong() }))
            })?;
            // The count of wrong tries is kept, whatever the answer.
            let user = user?;
            login_throttle::clear(conn, &code_key)?;
            login_throttle::refund(conn, &address_key, &address_policy)?;
            Ok(user)
        })
        .await?;
    issue(state, user)
}

/// The sign-in account of a student who proved they read `email` (a link, a code): made on
/// first use, with [`student_account_email`]'s address.
pub fn student_account(
    conn: &mut DbConnection,
    student_id: &str,
    email: &str,
    language: &str,
    now: chrono::NaiveDateTime,
) -> Result<users::User, ApiError> {
    let account_email = student_account_email(conn, student_id, email)?;
    Ok(users::find_or_create_for_student(conn, student_id, &account_email, language, now)?)
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

fn invitation_used() -> ApiError {
    ApiError::Unauthorized(crate::phrase!("unauthorized-invitation-used"))
}

/// Sets the password of a new account with its invitation link, and signs it in. The token
/// is checked before the password is hashed.
pub async fn accept_invitation(state: &AppState, token: &str, password: &str) -> Result<SignedIn, ApiError> {
    let hash = token_hash(token.trim());
    let password_hash = new_password_for(state, Links::Invitation, &hash, password, invitation_used).await?;
    let user = state
        .db(move |conn| {
            store::write_tx(conn, |conn| {
                let now = store::now();
                let user_id = invitations::redeem(conn, &hash, now)?.ok_or_else(invitation_used)?;
                users::set_password_hash(conn, &user_id, &password_hash, now)?;
                Ok(users::find(conn, &user_id)?)
            })
        })
        .await?;
    issue(state, user)
}

/// What every "forgot your password" answer says, whether or not the address is known.
pub fn reset_sent(minutes: i64) -> crate::domain::phrase::Phrase {
    crate::phrase!("accepted-reset", minutes = minutes)
}

/// Mails a one-time link to choose a new password, if `email` is an enabled account that
/// signs in with a password (not a student's), revoking older reset links. Counted per
/// address whether known or not.
pub async fn request_password_reset(state: &AppState, email: &str) -> Result<(), ApiError> {
    let started = tokio::time::Instant::now();
    let email = normal_email(email);
    let (settings, keys) = (state.settings.clone(), state.keys.clone());
    state
        .db(move |conn| {
            let auth = &settings.auth;
            take(conn, &keys.throttle_key("reset", &email), &auth.link_policy())?;
            let Some(user) = users::find_by_email(conn, &email)?
                .filter(|u| u.disabled_at.is_none() && u.role != Role::Student.as_str())
            else {
                return Ok(());
            };
            let mail = LinkMail {
                recipient: &user.email,
                language: account_language(&settings, &user).as_str(),
                template: "password_reset",
                payload: json!({"valid_minutes": auth.password_reset_minutes}),
                student_id: None,
            };
            let expires = store::now() + TimeDelta::minutes(auth.password_reset_minutes);
            store::write_tx(conn, |conn| {
                queue_link(conn, (&settings, &keys), Links::Reset, &user.id, expires, mail)
            })
        })
        .await?;
    answer_no_sooner(state, started).await;
    Ok(())
}

fn reset_used() -> ApiError {
    ApiError::Unauthorized(crate::phrase!("unauthorized-reset-link-used"))
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
    let password_hash = new_password_for(state, Links::Reset, &hash, password, reset_used).await?;
    let keys = state.keys.clone();
    let user = state
        .db(move |conn| {
            store::write_tx(conn, |conn| {
                let now = store::now();
                let user_id = password_resets::redeem(conn, &hash, now)?.ok_or_else(reset_used)?;
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

/// The language of mail to an account: its own, else the server's default.
fn account_language(settings: &Settings, user: &users::User) -> crate::domain::student::Language {
    user.preferred_language
        .as_deref()
        .and_then(crate::domain::student::Language::parse)
        .unwrap_or(settings.email.default_language)
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
    let lang = account_language(settings, user);
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
    let mail = LinkMail {
        recipient: &user.email,
        language: lang.as_str(),
        template: "invitation",
        payload: json!({"role": role, "organisation": organisation, "valid_days": settings.auth.invitation_days}),
        student_id: None,
    };
    let expires = now + TimeDelta::days(settings.auth.invitation_days);
    queue_link(conn, (settings, keys), Links::Invitation, &user.id, expires, mail)
}

/// Changes the password of a signed-in account: the current one must be right (counted like a
/// sign-in attempt, so a left-open browser cannot be used to guess it), the new one must follow
/// the rules. Both are checked at once. Every session and token of the account ends; the
/// caller starts a new session for the browser that asked.
pub async fn change_password(
    state: &AppState,
    user_id: &str,
    current: &str,
    new: &str,
) -> Result<SignedIn, ApiError> {
    let lookup = user_id.to_owned();
    let user =
        state.db(move |conn| Ok(users::find_active(conn, &lookup)?)).await?.ok_or(ApiError::NotFound)?;
    let policy = state.settings.auth.login_policy(state.settings.auth.max_failed_logins_per_account);
    let key = account_key(&state.keys, &user.email);
    let counted = key.clone();
    state.db(move |conn| take(conn, &counted, &policy)).await?;
    let right = match Password::too_long("current_password", current) {
        Some(_) => false,
        None => {
            let stored = user.password_hash.clone();
            state.hasher.verify(&SecretString::from(current.to_owned()), stored).await?
        }
    };
    let chosen = match (right, Password::parse("new_password", new)) {
        (true, Ok(chosen)) => chosen,
        (right, chosen) => {
            let wrong = (!right).then(|| {
                crate::domain::FieldError::new("current_password", crate::phrase!("field-wrong-password"))
            });
            return Err(ApiError::Validation(wrong.into_iter().chain(chosen.err()).collect()));
        }
    };
    let hash = state.hasher.hash(chosen.secret()).await?;
    let id = user.id.clone();
    let user = state
        .db(move |conn| {
            store::write_tx(conn, |conn| {
                let now = store::now();
                users::set_password_hash(conn, &id, &hash, now)?;
                users::end_tokens(conn, &id, now)?;
                crate::store::web_sessions::delete_for_user(conn, &id)?;
                password_resets::revoke_open(conn, &id)?;
                login_throttle::clear(conn, &key)?;
                Ok(users::find(conn, &id)?)
            })
        })
        .await?;
    issue(state, user)
}

/// Ends every session and access token of an account, in every browser and tool.
pub fn sign_out_everywhere(conn: &mut DbConnection, user_id: &str) -> Result<(), ApiError> {
    store::write_tx(conn, |conn| {
        users::end_tokens(conn, user_id, store::now())?;
        crate::store::web_sessions::delete_for_user(conn, user_id)?;
        Ok(())
    })
}
