//! One-time links: student sign-in links, invitations to choose a password, and password
//! resets. Each is a table of token hashes (never the token) with an owner, an expiry and a
//! time of use; the three have the same queries, written once here.

/// The queries of one one-time link table whose owner column is `$owner`.
macro_rules! one_time_links {
    ($module:ident, $table:ident, $owner:ident, $what:literal) => {
        #[doc = concat!("One-time links: ", $what, ". Only hashes are stored.")]
        pub mod $module {
            use chrono::NaiveDateTime;
            use diesel::prelude::*;

            use crate::store::schema::$table as t;
            use crate::store::DbConnection;

            /// Stores a new link's hash for `owner`.
            pub fn insert(
                conn: &mut DbConnection,
                owner: &str,
                token_hash: &str,
                expires_at: NaiveDateTime,
                now: NaiveDateTime,
            ) -> QueryResult<usize> {
                diesel::insert_into(t::table)
                    .values((
                        t::id.eq(crate::store::new_id()),
                        t::$owner.eq(owner),
                        t::token_hash.eq(token_hash),
                        t::expires_at.eq(expires_at),
                        t::created_at.eq(now),
                    ))
                    .execute(conn)
            }

            /// The owner of an unused, unexpired link, without using it: a check that costs
            /// nothing before work that does (hashing a new password).
            pub fn find_valid(
                conn: &mut DbConnection,
                token_hash: &str,
                now: NaiveDateTime,
            ) -> QueryResult<Option<String>> {
                t::table
                    .filter(t::token_hash.eq(token_hash))
                    .filter(t::used_at.is_null())
                    .filter(t::expires_at.gt(now))
                    .select(t::$owner)
                    .first(conn)
                    .optional()
            }

            /// Uses the link once: its owner if it was unused and unexpired. The guarded update
            /// makes a second use, even at the same moment on another instance, find it used.
            pub fn redeem(
                conn: &mut DbConnection,
                token_hash: &str,
                now: NaiveDateTime,
            ) -> QueryResult<Option<String>> {
                let Some((id, owner)) = t::table
                    .filter(t::token_hash.eq(token_hash))
                    .filter(t::used_at.is_null())
                    .filter(t::expires_at.gt(now))
                    .select((t::id, t::$owner))
                    .first::<(String, String)>(conn)
                    .optional()?
                else {
                    return Ok(None);
                };
                let used = diesel::update(t::table.find(&id).filter(t::used_at.is_null()))
                    .set(t::used_at.eq(Some(now)))
                    .execute(conn)?;
                Ok((used == 1).then_some(owner))
            }

            /// Revokes every unused link of `owner` (a newer link, a changed address, a
            /// disabled account): they are deleted, so they can never be used.
            pub fn revoke_open(conn: &mut DbConnection, owner: &str) -> QueryResult<usize> {
                diesel::delete(t::table.filter(t::$owner.eq(owner)).filter(t::used_at.is_null()))
                    .execute(conn)
            }

            /// Deletes links that expired before `now`, used or not.
            pub fn purge_expired(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
                diesel::delete(t::table.filter(t::expires_at.lt(now))).execute(conn)
            }

            /// The links of `owner` (for a data export): when made, when they expire, when used.
            pub fn of_owner(
                conn: &mut DbConnection,
                owner: &str,
            ) -> QueryResult<Vec<(NaiveDateTime, NaiveDateTime, Option<NaiveDateTime>)>> {
                t::table
                    .filter(t::$owner.eq(owner))
                    .order(t::created_at.asc())
                    .select((t::created_at, t::expires_at, t::used_at))
                    .load(conn)
            }
        }
    };
}

one_time_links!(magic_links, magic_link_tokens, student_id, "a student's sign-in links");
one_time_links!(invitations, invitations, user_id, "a new account's link to choose a password");
one_time_links!(password_resets, password_resets, user_id, "a link to choose a new password");

/// The short code a sign-in mail carries beside its link: the same link, typed by hand.
pub mod sign_in_codes {
    use chrono::NaiveDateTime;
    use diesel::prelude::*;

    use crate::store::schema::magic_link_tokens as t;
    use crate::store::DbConnection;

    /// Gives the link `token_hash` its code's keyed hash.
    pub fn set(conn: &mut DbConnection, token_hash: &str, code_hash: &str) -> QueryResult<usize> {
        diesel::update(t::table.filter(t::token_hash.eq(token_hash)))
            .set(t::code_hash.eq(code_hash))
            .execute(conn)
    }

    /// Uses the unused, unexpired link of `student_id` whose code hashes to `code_hash`, once;
    /// like a link, a second use at the same moment finds it used.
    pub fn redeem(
        conn: &mut DbConnection,
        student_id: &str,
        code_hash: &str,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let Some(id) = t::table
            .filter(t::student_id.eq(student_id))
            .filter(t::code_hash.eq(code_hash))
            .filter(t::used_at.is_null())
            .filter(t::expires_at.gt(now))
            .select(t::id)
            .first::<String>(conn)
            .optional()?
        else {
            return Ok(false);
        };
        let used = diesel::update(t::table.find(&id).filter(t::used_at.is_null()))
            .set(t::used_at.eq(Some(now)))
            .execute(conn)?;
        Ok(used == 1)
    }

    /// Counts a wrong code against each live code of `student_id`, and burns (uses) every one
    /// typed wrong `max` times, with its link. Whether the student now has a code that was
    /// burnt so and none that still works: then they need a new mail.
    pub fn count_wrong(
        conn: &mut DbConnection,
        student_id: &str,
        max: i32,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let live = || {
            t::table
                .filter(t::student_id.eq(student_id))
                .filter(t::code_hash.is_not_null())
                .filter(t::used_at.is_null())
                .filter(t::expires_at.gt(now))
        };
        diesel::update(live()).set(t::code_failures.eq(t::code_failures + 1)).execute(conn)?;
        diesel::update(live().filter(t::code_failures.ge(max)))
            .set(t::used_at.eq(Some(now)))
            .execute(conn)?;
        let left: i64 = live().count().get_result(conn)?;
        let burnt: i64 = t::table
            .filter(t::student_id.eq(student_id))
            .filter(t::expires_at.gt(now))
            .filter(t::code_failures.ge(max))
            .count()
            .get_result(conn)?;
        Ok(left == 0 && burnt > 0)
    }
}
