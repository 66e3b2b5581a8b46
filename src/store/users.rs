//! Accounts: pool staff, school coordinators, donor contacts and (later) students.
//!
//! Every function here that changes an account notes it (`note_changed`), so this instance's
//! account cache forgets it once the transaction has ended; PostgreSQL's trigger tells the
//! other instances. A new change written here must note it too.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::account_changes::note_changed;
use super::schema::users;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct User {
    pub id: String,
    pub email: String,
    pub role: String,
    pub organisation_id: Option<String>,
    pub password_hash: Option<String>,
    pub disabled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The student record of a student account.
    pub student_id: Option<String>,
    /// Access tokens name it; raising it (a password reset) ends every older token.
    pub token_version: i32,
    /// `nl` or `en`; `None` until chosen (a student account follows its student record).
    pub preferred_language: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    pub organisation_id: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub preferred_language: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Fields an admin may change; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub email: Option<String>,
    pub role: Option<String>,
    pub organisation_id: Option<Option<String>>,
    pub preferred_language: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConnection, user: &NewUser) -> QueryResult<User> {
    diesel::insert_into(users::table).values(user).execute(conn)?;
    find(conn, user.id)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<User> {
    users::table.find(id).select(User::as_select()).first(conn)
}

/// The account if it exists and is not disabled.
pub fn find_active(conn: &mut DbConnection, id: &str) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .filter(users::disabled_at.is_null())
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// What a signed-in request needs to know of its account (no password hash): the part the
/// account cache keeps.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Account {
    pub id: String,
    pub email: String,
    pub role: String,
    pub organisation_id: Option<String>,
    pub student_id: Option<String>,
    pub token_version: i32,
    pub preferred_language: Option<String>,
}

/// The account behind a token, if it exists and is not disabled.
pub fn find_active_account(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Account>> {
    users::table
        .find(id)
        .filter(users::disabled_at.is_null())
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<User>> {
    users::table.filter(users::email.eq(email)).select(User::as_select()).first(conn).optional()
}

/// A page of users in id order (ids are time-ordered), after `cursor` when given.
pub fn list(
    conn: &mut DbConnection,
    role: Option<&str>,
    organisation_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<User>> {
    let mut query = users::table.select(User::as_select()).order(users::id.asc()).limit(limit).into_boxed();
    if let Some(role) = role {
        query = query.filter(users::role.eq(role.to_owned()));
    }
    if let Some(org) = organisation_id {
        query = query.filter(users::organisation_id.eq(org.to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(users::id.gt(after.to_owned()));
    }
    query.load(conn)
}

pub fn update(conn: &mut DbConnection, id: &str, changes: &UserChanges) -> QueryResult<User> {
    note_changed(id);
    diesel::update(users::table.find(id)).set(changes).execute(conn)?;
    find(conn, id)
}

pub fn set_password_hash(
    conn: &mut DbConnection,
    id: &str,
    hash: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    note_changed(id);
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(at)))
        .execute(conn)
}

/// Ends every access token issued to the account so far (their version is now too old).
pub fn end_tokens(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    note_changed(id);
    diesel::update(users::table.find(id))
        .set((users::token_version.eq(users::token_version + 1), users::updated_at.eq(at)))
        .execute(conn)
}

/// The ids of enabled admin accounts, locked until the transaction ends on PostgreSQL (SQLite
/// has one writer at a time already), so two admins changing each other at once are taken one
/// after the other and cannot leave the service without an admin.
pub fn lock_enabled_admins(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    let query = users::table
        .filter(users::role.eq("admin"))
        .filter(users::disabled_at.is_null())
        .order(users::id.asc())
        .select(users::id);
    match conn {
        DbConnection::Pg(c) => query.for_update().load(c),
        DbConnection::Sqlite(c) => query.load(c),
    }
}

/// Disables an account once; disabling it again keeps the first time.
pub fn disable(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<User> {
    note_changed(id);
    diesel::update(users::table.find(id).filter(users::disabled_at.is_null()))
        .set((users::disabled_at.eq(at), users::updated_at.eq(at)))
        .execute(conn)?;
    find(conn, id)
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// The sign-in account of a student: no password (they sign in with a one-time link).
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewStudentUser<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    pub student_id: &'a str,
    pub preferred_language: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The account of `student_id`, made on first sign-in.
pub fn find_or_create_for_student(
    conn: &mut DbConnection,
    student_id: &str,
    email: &str,
    language: &str,
    now: NaiveDateTime,
) -> QueryResult<User> {
    if let Some(user) = users::table
        .filter(users::student_id.eq(student_id))
        .select(User::as_select())
        .first(conn)
        .optional()?
    {
        return Ok(user);
    }
    let id = super::new_id();
    let new = NewStudentUser {
        id: &id,
        email,
        role: "student",
        student_id,
        preferred_language: language,
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(users::table).values(&new).execute(conn)?;
    find(conn, &id)
}

/// The sign-in account of a student, if they have signed in once.
pub fn of_student(conn: &mut DbConnection, student_id: &str) -> QueryResult<Option<User>> {
    users::table.filter(users::student_id.eq(student_id)).select(User::as_select()).first(conn).optional()
}

/// Sets the language an account reads the service in (a student's, after their school changed it).
pub fn set_language(
    conn: &mut DbConnection,
    id: &str,
    language: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    note_changed(id);
    diesel::update(users::table.find(id))
        .set((users::preferred_language.eq(language), users::updated_at.eq(at)))
        .execute(conn)
}

/// Sets the address an account shows (a student's, after their school changed it).
pub fn set_email(conn: &mut DbConnection, id: &str, email: &str, at: NaiveDateTime) -> QueryResult<usize> {
    note_changed(id);
    diesel::update(users::table.find(id))
        .set((users::email.eq(email), users::updated_at.eq(at)))
        .execute(conn)
}

/// Replaces a student account's address with a non-personal one and disables it.
pub fn erase_student_account(
    conn: &mut DbConnection,
    student_id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let Some(user) = users::table
        .filter(users::student_id.eq(student_id))
        .select(User::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(0);
    };
    note_changed(&user.id);
    diesel::update(users::table.find(&user.id))
        .set((
            users::email.eq(format!("erased-{}@devicepool.invalid", user.id)),
            users::disabled_at.eq(Some(now)),
            users::updated_at.eq(now),
        ))
        .execute(conn)
}

/// The enabled accounts of an organisation.
pub fn active_of_organisation(conn: &mut DbConnection, organisation_id: &str) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::organisation_id.eq(organisation_id))
        .filter(users::disabled_at.is_null())
        .order(users::id.asc())
        .select(User::as_select())
        .load(conn)
}

/// Enabled donor accounts, by organisation.
pub fn active_donors(conn: &mut DbConnection) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::role.eq("donor"))
        .filter(users::disabled_at.is_null())
        .order((users::organisation_id.asc(), users::id.asc()))
        .select(User::as_select())
        .load(conn)
}

/// The addresses of the accounts `ids` (each id once is enough), by id.
pub fn emails(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    super::by_ids(&unique, |chunk| {
        users::table.filter(users::id.eq_any(chunk)).select((users::id, users::email)).load(conn)
    })
}
