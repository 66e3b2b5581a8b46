//! Accounts of pool staff, school coordinators and donor contacts, as admins manage them:
//! creating one (with a password, or an invitation to choose one), changing its address,
//! role or organisation, and disabling it. A changed address or a disabled account loses its
//! open invitation and reset links. There is always at least one enabled admin, however many
//! admins act at once.

use crate::auth::keys::ServerKeys;
use crate::configuration::Settings;
use crate::domain::student::Language;
use crate::domain::{EmailAddress, Role};
use crate::error::ApiError;
use crate::store::{self, invitations, password_resets, users, DbConnection};

/// A new account: `password_hash` when a password was given, else an invitation is mailed.
pub struct NewAccount {
    pub email: EmailAddress,
    pub role: Role,
    pub organisation_id: Option<String>,
    pub password_hash: Option<String>,
    pub preferred_language: Option<Language>,
}

/// What an admin changes; `None` leaves it as it is.
pub struct AccountChanges {
    pub email: Option<EmailAddress>,
    pub role: Option<Role>,
    pub organisation_id: Option<String>,
    pub preferred_language: Option<Language>,
}

/// Checks that the account's role and organisation fit together, reading the organisation.
fn check_membership(
    conn: &mut DbConnection,
    role: Role,
    organisation_id: Option<&str>,
) -> Result<(), ApiError> {
    if role == Role::Student {
        return Err(ApiError::invalid("role", crate::phrase!("field-role-student")));
    }
    match (role.organisation_kind(), organisation_id) {
        (None, None) => Ok(()),
        (None, Some(_)) => {
            Err(ApiError::invalid("organisation_id", crate::phrase!("field-organisation-pool")))
        }
        (Some(kind), None) => Err(ApiError::invalid(
            "organisation_id",
            crate::phrase!("field-organisation-required", kind = kind.as_str()),
        )),
        (Some(kind), Some(org_id)) => {
            crate::workflows::check_organisation(conn, "organisation_id", org_id, kind)
        }
    }
}

/// Creates an account, and queues its invitation if it has no password.
pub fn create(
    conn: &mut DbConnection,
    settings: &Settings,
    keys: &ServerKeys,
    new: NewAccount,
) -> Result<users::User, ApiError> {
    store::write_tx(conn, |conn| {
        check_membership(conn, new.role, new.organisation_id.as_deref())?;
        let now = store::now();
        let id = store::new_id();
        let user = users::insert(
            conn,
            &users::NewUser {
                id: &id,
                email: new.email.as_str(),
                role: new.role.as_str(),
                organisation_id: new.organisation_id.as_deref(),
                password_hash: new.password_hash.as_deref(),
                preferred_language: new.preferred_language.map(Language::as_str),
                created_at: now,
                updated_at: now,
            },
        )?;
        if new.password_hash.is_none() {
            crate::workflows::sign_in::invite(conn, settings, keys, &user, now)?;
        }
        Ok(user)
    })
}

/// 409 unless `actor` is still an enabled admin and, once `target` stops being one, another
/// enabled admin is left. The admins are locked for the transaction, so two admins who
/// demote or disable each other at the same moment are taken one after the other.
fn keep_an_admin(conn: &mut DbConnection, actor: &str, target: &str) -> Result<(), ApiError> {
    let admins = users::lock_enabled_admins(conn)?;
    if !admins.iter().any(|a| a == actor) {
        return Err(ApiError::Forbidden);
    }
    if admins.iter().any(|a| a == target) && admins.len() < 2 {
        return Err(ApiError::conflict(crate::phrase!("conflict-last-admin")));
    }
    Ok(())
}

/// Changes an account as admin `actor`. A new address ends the account's open invitation and
/// reset links (they were sent to the old address).
pub fn update(
    conn: &mut DbConnection,
    actor: &str,
    id: &str,
    changes: AccountChanges,
) -> Result<users::User, ApiError> {
    store::write_tx(conn, |conn| {
        let current = users::find(conn, id)?;
        let current_role =
            Role::parse(&current.role).ok_or_else(|| ApiError::internal("unknown role stored"))?;
        if current_role == Role::Student && (changes.role.is_some() || changes.organisation_id.is_some()) {
            return Err(ApiError::invalid("role", crate::phrase!("field-role-stays-student")));
        }
        if actor == id && changes.role.is_some_and(|r| r != Role::Admin) {
            return Err(ApiError::conflict(crate::phrase!("conflict-own-admin")));
        }
        let role = changes.role.unwrap_or(current_role);
        if current_role == Role::Admin && role != Role::Admin {
            keep_an_admin(conn, actor, id)?;
        }
        // A new role without an organisation drops the old one: pool roles have none.
        let organisation_id = match (changes.organisation_id, changes.role) {
            (Some(org), _) => Some(org),
            (None, Some(r)) if r.organisation_kind().is_none() => None,
            (None, _) => current.organisation_id.clone(),
        };
        // A student account keeps its student link; any other change of role is checked,
        // and asking for the student role is refused there.
        if current_role != Role::Student {
            check_membership(conn, role, organisation_id.as_deref())?;
        }
        let new_email = changes.email.map(EmailAddress::into_inner).filter(|e| *e != current.email);
        if new_email.is_some() {
            invitations::revoke_open(conn, id)?;
            password_resets::revoke_open(conn, id)?;
        }
        let row = users::UserChanges {
            email: new_email,
            role: changes.role.map(|r| r.as_str().to_owned()),
            organisation_id: Some(organisation_id),
            preferred_language: changes.preferred_language.map(|l| Some(l.as_str().to_owned())),
            updated_at: Some(store::now()),
        };
        Ok(users::update(conn, id, &row)?)
    })
}

/// Disables an account as admin `actor`: its tokens and browser sessions stop working at once
/// (every request checks the account; the account cache forgets it), and its open invitation and reset links are revoked.
pub fn disable(conn: &mut DbConnection, actor: &str, id: &str) -> Result<users::User, ApiError> {
    if actor == id {
        return Err(ApiError::conflict(crate::phrase!("conflict-own-account")));
    }
    store::write_tx(conn, |conn| {
        let current = users::find(conn, id)?;
        if current.role == Role::Admin.as_str() {
            keep_an_admin(conn, actor, id)?;
        }
        invitations::revoke_open(conn, id)?;
        password_resets::revoke_open(conn, id)?;
        crate::store::web_sessions::delete_for_user(conn, id)?;
        Ok(users::disable(conn, id, store::now())?)
    })
}

/// The language the account `id` chose on a page: kept on the account, and for a student on
/// their record too, so that their mail follows.
pub fn choose_language(conn: &mut DbConnection, id: &str, language: Language) -> Result<(), ApiError> {
    store::write_tx(conn, |conn| {
        let now = store::now();
        users::set_language(conn, id, language.as_str(), now)?;
        if let Some(student) = users::find(conn, id)?.student_id {
            crate::store::students::set_language(conn, &student, language.as_str(), now)?;
        }
        Ok(())
    })
}
