//! Students: enrolled by their school, erased on request or after the retention period.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{magic_link_tokens, outbox_messages, students};
use super::DbConnection;
use crate::domain::class_list::{Filter, Need, Standing};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = students)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Student {
    pub id: String,
    pub school_id: String,
    pub name: String,
    pub email: Option<String>,
    pub preferred_language: String,
    pub track: String,
    pub programme_start: NaiveDate,
    pub programme_end: NaiveDate,
    pub hub_id: Option<String>,
    pub lacks_laptop: bool,
    pub lacks_connectivity: bool,
    pub lacks_software: bool,
    pub target_group: Option<String>,
    pub erased_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = students)]
pub struct NewStudent {
    pub id: String,
    pub school_id: String,
    pub name: String,
    pub email: Option<String>,
    pub preferred_language: String,
    pub track: String,
    pub programme_start: NaiveDate,
    pub programme_end: NaiveDate,
    pub hub_id: Option<String>,
    pub lacks_laptop: bool,
    pub lacks_connectivity: bool,
    pub lacks_software: bool,
    pub target_group: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = students)]
pub struct StudentChanges {
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub preferred_language: Option<String>,
    pub track: Option<String>,
    pub programme_start: Option<NaiveDate>,
    pub programme_end: Option<NaiveDate>,
    pub hub_id: Option<Option<String>>,
    pub lacks_laptop: Option<bool>,
    pub lacks_connectivity: Option<bool>,
    pub lacks_software: Option<bool>,
    pub target_group: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

const BATCH: usize = 500;

pub fn insert_many(conn: &mut DbConnection, rows: &[NewStudent]) -> QueryResult<usize> {
    let mut n = 0;
    for chunk in rows.chunks(BATCH) {
        n += crate::with_backend!(&mut *conn, c => diesel::insert_into(students::table).values(chunk).execute(c))?;
    }
    Ok(n)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Student> {
    students::table.find(id).select(Student::as_select()).first(conn)
}

/// The student if the caller may see them: `school_id` limits it to one school's own.
pub fn find_visible(conn: &mut DbConnection, id: &str, school_id: Option<&str>) -> QueryResult<Student> {
    let mut query = students::table.find(id).select(Student::as_select()).into_boxed();
    if let Some(school) = school_id {
        query = query.filter(students::school_id.eq(school.to_owned()));
    }
    query.first(conn)
}

/// Every student of a school who has not been erased, by name.
pub fn of_school(conn: &mut DbConnection, school_id: &str) -> QueryResult<Vec<Student>> {
    students::table
        .filter(students::school_id.eq(school_id))
        .filter(students::erased_at.is_null())
        .order((students::name.asc(), students::id.asc()))
        .select(Student::as_select())
        .load(conn)
}

/// Which students of a school the class list shows (see `domain::class_list`).
pub struct ClassQuery<'a> {
    pub school_id: &'a str,
    pub filter: &'a Filter,
    /// To tell overdue kit.
    pub today: NaiveDate,
}

diesel::define_sql_function! {
    /// SQL's `lower`, the same on both backends for ASCII (SQLite lowers nothing else).
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// The students of `q` (not erased), as one query still to be ordered and paged or counted.
fn class_query<'a>(q: &ClassQuery<'a>) -> students::BoxedQuery<'a, super::MultiBackend> {
    use super::schema::{loans, requests};
    let mut query = students::table
        .filter(students::school_id.eq(q.school_id.to_owned()))
        .filter(students::erased_at.is_null())
        .into_boxed();
    if let Some(pattern) = q.filter.like_pattern() {
        query = query.filter(
            lower(students::name)
                .like(pattern.clone())
                .escape('\\')
                .or(students::email.like(pattern).escape('\\')),
        );
    }
    query = match q.filter.lacks {
        Some(Need::Laptop) => query.filter(students::lacks_laptop.eq(true)),
        Some(Need::Connectivity) => query.filter(students::lacks_connectivity.eq(true)),
        Some(Need::Software) => query.filter(students::lacks_software.eq(true)),
        None => query,
    };
    let open_loans = || {
        loans::table
            .filter(loans::student_id.eq(students::id))
            .filter(loans::state.eq_any(["reserved", "active"]))
    };
    match q.filter.standing {
        Some(Standing::Waiting) => query.filter(diesel::dsl::exists(
            requests::table
                .filter(requests::student_id.eq(students::id))
                .filter(requests::state.eq("pending")),
        )),
        Some(Standing::HasKit) => query.filter(diesel::dsl::exists(open_loans())),
        Some(Standing::Overdue) => {
            query.filter(diesel::dsl::exists(open_loans().filter(loans::due_on.lt(q.today))))
        }
        None => query,
    }
}

/// One page of the class list of `q`, by name: `limit` students after the first `offset`.
pub fn class_page(
    conn: &mut DbConnection,
    q: &ClassQuery,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<Student>> {
    class_query(q)
        .order((students::name.asc(), students::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(Student::as_select())
        .load(conn)
}

/// How many students of `q` there are.
pub fn class_count(conn: &mut DbConnection, q: &ClassQuery) -> QueryResult<i64> {
    class_query(q).count().get_result(conn)
}

/// Every student enrolled with `email`: one record per school that enrolled them.
pub fn all_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Vec<Student>> {
    students::table
        .filter(students::email.eq(email))
        .filter(students::erased_at.is_null())
        .order(students::id.asc())
        .select(Student::as_select())
        .load(conn)
}

/// Which of `emails` belong to a student of `school_id` already. (Another school's students
/// are not looked at: an address may be enrolled at several schools, and a school must not
/// learn that another enrolled it.)
pub fn existing_emails(
    conn: &mut DbConnection,
    school_id: &str,
    emails: &[String],
) -> QueryResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in emails.chunks(BATCH) {
        found.extend(
            students::table
                .filter(students::school_id.eq(school_id))
                .filter(students::email.eq_any(chunk))
                .select(students::email)
                .load::<Option<String>>(conn)?
                .into_iter()
                .flatten(),
        );
    }
    Ok(found)
}

#[derive(Debug, Default, Clone)]
pub struct StudentFilter {
    pub school_id: Option<String>,
    pub track: Option<String>,
    pub hub_id: Option<String>,
    /// Erased records are left out unless asked for.
    pub include_erased: bool,
}

pub fn list(
    conn: &mut DbConnection,
    f: &StudentFilter,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Student>> {
    let mut query =
        students::table.select(Student::as_select()).order(students::id.asc()).limit(limit).into_boxed();
    if let Some(v) = &f.school_id {
        query = query.filter(students::school_id.eq(v.clone()));
    }
    if let Some(v) = &f.track {
        query = query.filter(students::track.eq(v.clone()));
    }
    if let Some(v) = &f.hub_id {
        query = query.filter(students::hub_id.eq(v.clone()));
    }
    if !f.include_erased {
        query = query.filter(students::erased_at.is_null());
    }
    if let Some(after) = after {
        query = query.filter(students::id.gt(after.to_owned()));
    }
    query.load(conn)
}

pub fn update(conn: &mut DbConnection, id: &str, changes: &StudentChanges) -> QueryResult<usize> {
    diesel::update(students::table.find(id).filter(students::erased_at.is_null())).set(changes).execute(conn)
}

/// Sets the language a student reads their messages in (their own choice on a page).
pub fn set_language(
    conn: &mut DbConnection,
    id: &str,
    language: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(students::table.find(id).filter(students::erased_at.is_null()))
        .set((students::preferred_language.eq(language), students::updated_at.eq(at)))
        .execute(conn)
}

/// Replaces the personal data of a student with a pseudonym, and removes their sign-in links
/// and messages. Returns false if they were erased already.
pub fn erase(conn: &mut DbConnection, id: &str, pseudonym: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let erased = diesel::update(students::table.find(id).filter(students::erased_at.is_null()))
        .set((
            students::name.eq(pseudonym),
            students::email.eq(None::<String>),
            students::target_group.eq(None::<String>),
            students::erased_at.eq(Some(now)),
            students::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::delete(magic_link_tokens::table.filter(magic_link_tokens::student_id.eq(id))).execute(conn)?;
    diesel::delete(outbox_messages::table.filter(outbox_messages::student_id.eq(id))).execute(conn)?;
    Ok(erased == 1)
}

/// Students not erased whose programme ended before `ended_before`, in id order after `after`.
pub fn ended_before(
    conn: &mut DbConnection,
    ended_before: NaiveDate,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<String>> {
    let mut q = students::table
        .filter(students::erased_at.is_null())
        .filter(students::programme_end.lt(ended_before))
        .order(students::id.asc())
        .limit(limit)
        .select(students::id)
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(students::id.gt(after.to_owned()));
    }
    q.load(conn)
}

/// A change of what a student lacks, by whom.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = super::schema::student_need_changes)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct NeedChange {
    pub at: NaiveDateTime,
    pub actor_id: String,
    pub need: String,
    pub lacks: bool,
}

/// Records that `actor` set `need` (laptop, connectivity, software) to `lacks`.
pub fn record_need_change(
    conn: &mut DbConnection,
    student_id: &str,
    actor_id: &str,
    need: &str,
    lacks: bool,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    use super::schema::student_need_changes as c;
    diesel::insert_into(c::table)
        .values((
            c::id.eq(super::new_id()),
            c::student_id.eq(student_id),
            c::actor_id.eq(actor_id),
            c::at.eq(at),
            c::need.eq(need),
            c::lacks.eq(lacks),
        ))
        .execute(conn)
}

/// Every recorded change of what the student lacks, oldest first.
pub fn need_changes(conn: &mut DbConnection, student_id: &str) -> QueryResult<Vec<NeedChange>> {
    use super::schema::student_need_changes as c;
    c::table
        .filter(c::student_id.eq(student_id))
        .order((c::at.asc(), c::id.asc()))
        .select(NeedChange::as_select())
        .load(conn)
}

/// Names of students `ids`, by id (erased students keep their pseudonym).
pub fn names(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    super::by_ids(ids, |chunk| {
        students::table.filter(students::id.eq_any(chunk)).select((students::id, students::name)).load(conn)
    })
}

/// What students `ids` lack, by id: (laptop, connectivity, software).
pub fn lacks(
    conn: &mut DbConnection,
    ids: &[&str],
) -> QueryResult<std::collections::HashMap<String, (bool, bool, bool)>> {
    super::by_ids(ids, |chunk| {
        students::table
            .filter(students::id.eq_any(chunk))
            .select((
                students::id,
                (students::lacks_laptop, students::lacks_connectivity, students::lacks_software),
            ))
            .load(conn)
    })
}
