//! Students: enrolment (single and from a class list), GDPR erasure and the retention purge,
//! and the access log of staff reads.

use std::collections::HashMap;
use std::io::Read;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::csv_file::RowError;
use crate::domain::csv_file::RowLimit;
use crate::domain::student::{pseudonym, Language, StudentSpec, TargetGroup, Track};
use crate::domain::student_import::StudentCsv;
use crate::domain::Role;
use crate::error::ApiError;
use crate::store::students::Student;
use crate::store::{self, access_log, allocations, hubs, loans, requests, students, users, DbConnection};
use crate::workflows::imports;

/// A student as the API and the pages show them: an erased one with a pseudonym and no address.
#[derive(Debug, Serialize, ToSchema)]
pub struct StudentView {
    pub id: uuid::Uuid,
    pub school_id: uuid::Uuid,
    /// A pseudonym once the student is erased.
    pub name: String,
    /// Null once the student is erased.
    pub email: Option<String>,
    pub preferred_language: Language,
    pub track: Track,
    pub programme_start: NaiveDate,
    pub programme_end: NaiveDate,
    /// The hub the student prefers to pick kit up from.
    pub hub_id: Option<uuid::Uuid>,
    pub lacks_laptop: bool,
    pub lacks_connectivity: bool,
    pub lacks_software: bool,
    /// For anonymised reporting only.
    pub target_group: Option<TargetGroup>,
    pub erased: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl StudentView {
    pub fn from_row(s: Student) -> Result<StudentView, ApiError> {
        Ok(StudentView {
            id: crate::store::stored_id(&s.id)?,
            school_id: crate::store::stored_id(&s.school_id)?,
            preferred_language: Language::parse(&s.preferred_language)
                .ok_or_else(|| ApiError::internal("unknown language stored"))?,
            track: Track::parse(&s.track).ok_or_else(|| ApiError::internal("unknown track stored"))?,
            target_group: s.target_group.as_deref().and_then(TargetGroup::parse),
            hub_id: s.hub_id.as_deref().map(crate::store::stored_id).transpose()?,
            name: s.name,
            email: s.email,
            programme_start: s.programme_start,
            programme_end: s.programme_end,
            lacks_laptop: s.lacks_laptop,
            lacks_connectivity: s.lacks_connectivity,
            lacks_software: s.lacks_software,
            erased: s.erased_at.is_some(),
            created_at: s.created_at.and_utc(),
            updated_at: s.updated_at.and_utc(),
        })
    }
}

/// The row to insert for a checked student.
pub fn new_student(
    school_id: &str,
    spec: StudentSpec,
    hub_id: Option<String>,
    now: NaiveDateTime,
) -> students::NewStudent {
    students::NewStudent {
        id: store::new_id(),
        school_id: school_id.to_owned(),
        name: spec.name,
        email: Some(spec.email),
        preferred_language: spec.preferred_language.as_str().to_owned(),
        track: spec.track.as_str().to_owned(),
        programme_start: spec.programme_start,
        programme_end: spec.programme_end,
        hub_id,
        lacks_laptop: spec.lacks_laptop,
        lacks_connectivity: spec.lacks_connectivity,
        lacks_software: spec.lacks_software,
        target_group: spec.target_group.map(|g| g.as_str().to_owned()),
        created_at: now,
        updated_at: now,
    }
}

/// Enrols one student into `school_id`. 409 if the school has a student with this address
/// already; another school's students are never looked at, so a school cannot learn whether
/// an address is enrolled elsewhere (each school's enrolment is its own record).
pub fn enrol(
    conn: &mut DbConnection,
    school_id: &str,
    spec: StudentSpec,
    hub_id: Option<String>,
) -> Result<students::Student, ApiError> {
    store::write_tx(conn, |conn| {
        crate::workflows::check_school(conn, school_id)?;
        if let Some(hub) = &hub_id {
            crate::workflows::check_hub(conn, "hub_id", hub)?;
        }
        if !students::existing_emails(conn, school_id, std::slice::from_ref(&spec.email))?.is_empty() {
            return Err(ApiError::conflict(crate::phrase!("conflict-student-email")));
        }
        let row = new_student(school_id, spec, hub_id, store::now());
        students::insert_many(conn, std::slice::from_ref(&row))?;
        Ok(students::find(conn, &row.id)?)
    })
}

/// What a school or staff change about a student; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct StudentUpdate {
    pub name: Option<String>,
    pub email: Option<String>,
    pub preferred_language: Option<crate::domain::student::Language>,
    pub track: Option<crate::domain::student::Track>,
    pub programme_start: Option<NaiveDate>,
    pub programme_end: Option<NaiveDate>,
    pub hub_id: Option<String>,
    pub lacks_laptop: Option<bool>,
    pub lacks_connectivity: Option<bool>,
    pub lacks_software: Option<bool>,
    pub target_group: Option<crate::domain::student::TargetGroup>,
}

impl StudentUpdate {
    /// Every field from a whole, checked form (the page's edit form sends them all).
    pub fn whole(spec: StudentSpec, hub_id: Option<String>) -> StudentUpdate {
        StudentUpdate {
            name: Some(spec.name),
            email: Some(spec.email),
            preferred_language: Some(spec.preferred_language),
            track: Some(spec.track),
            programme_start: Some(spec.programme_start),
            programme_end: Some(spec.programme_end),
            hub_id,
            lacks_laptop: Some(spec.lacks_laptop),
            lacks_connectivity: Some(spec.lacks_connectivity),
            lacks_software: Some(spec.lacks_software),
            target_group: spec.target_group,
        }
    }
}

/// Changes a student (of `scope`'s school, or any for staff) as `actor`. What the student
/// lacks raises their priority, so each change of it is recorded with who made it. A new
/// address revokes the student's open sign-in links (mailed to the old one) and becomes their
/// account's address.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    scope: Option<&str>,
    actor: &str,
    change: StudentUpdate,
) -> Result<students::Student, ApiError> {
    store::write_tx(conn, |conn| {
        let current = students::find_visible(conn, id, scope)?;
        if current.erased_at.is_some() {
            return Err(ApiError::invalid("id", crate::phrase!("field-student-erased")));
        }
        let start = change.programme_start.unwrap_or(current.programme_start);
        if change.programme_end.unwrap_or(current.programme_end) < start {
            return Err(ApiError::invalid("programme_end", crate::phrase!("field-end-before-start")));
        }
        if let Some(hub) = &change.hub_id {
            crate::workflows::check_hub(conn, "hub_id", hub)?;
        }
        let now = store::now();
        let new_email = change.email.filter(|e| current.email.as_deref() != Some(e.as_str()));
        if let Some(email) = &new_email {
            if !students::existing_emails(conn, &current.school_id, std::slice::from_ref(email))?.is_empty() {
                return Err(ApiError::conflict(crate::phrase!("conflict-student-email")));
            }
            crate::store::magic_links::revoke_open(conn, id)?;
            if let Some(account) = users::of_student(conn, id)? {
                let shown = crate::workflows::sign_in::student_account_email(conn, id, email)?;
                users::set_email(conn, &account.id, &shown, now)?;
            }
        }
        if let Some(language) = change.preferred_language {
            if let Some(account) = users::of_student(conn, id)? {
                users::set_language(conn, &account.id, language.as_str(), now)?;
            }
        }
        for (need, was, is) in [
            ("laptop", current.lacks_laptop, change.lacks_laptop),
            ("connectivity", current.lacks_connectivity, change.lacks_connectivity),
            ("software", current.lacks_software, change.lacks_software),
        ] {
            if let Some(is) = is.filter(|is| *is != was) {
                students::record_need_change(conn, id, actor, need, is, now)?;
            }
        }
        let changes = students::StudentChanges {
            name: change.name,
            email: new_email.map(Some),
            preferred_language: change.preferred_language.map(|l| l.as_str().to_owned()),
            track: change.track.map(|t| t.as_str().to_owned()),
            programme_start: change.programme_start,
            programme_end: change.programme_end,
            hub_id: change.hub_id.map(Some),
            lacks_laptop: change.lacks_laptop,
            lacks_connectivity: change.lacks_connectivity,
            lacks_software: change.lacks_software,
            target_group: change.target_group.map(|g| Some(g.as_str().to_owned())),
            updated_at: Some(now),
        };
        students::update(conn, id, &changes)?;
        Ok(students::find(conn, id)?)
    })
}

/// What a class-list import did.
pub struct ImportOutcome {
    pub imported: usize,
    pub ignored_columns: Vec<String>,
}

/// Enrols a class list (spooled to `upload`, of at most its `max_rows`) into `school_id`, all rows or none (see
/// `workflows::imports`). Hubs are named by name; an address that appears twice, or that the
/// school has enrolled already, is a bad row. Another school's students are not looked at.
pub fn import_csv(
    conn: &mut DbConnection,
    upload: imports::Upload,
    school_id: &str,
) -> Result<ImportOutcome, ApiError> {
    let imports::Upload { mut file, max_rows } = upload;
    let hubs_by_name: HashMap<String, String> =
        hubs::list(conn, None, 10_000)?.into_iter().map(|h| (h.name.to_lowercase(), h.id)).collect();
    let input = imports::read_from_start(&mut file)?;
    let rows =
        imports::checking(conn, |conn| check_class_list(conn, input, school_id, &hubs_by_name, max_rows))?;
    if rows == 0 {
        return Err(ApiError::invalid("body", crate::phrase!("field-no-student-rows")));
    }
    let mut reader = StudentCsv::open(imports::read_from_start(&mut file)?).map_err(imports::unreadable)?;
    let imported = store::write_tx(conn, |conn| {
        let now = store::now();
        imports::write_in_batches(
            || {
                reader.next_row().map(|row| {
                    row.map(|(_, spec, hub)| {
                        let hub_id = hub.and_then(|name| hubs_by_name.get(&name.to_lowercase()).cloned());
                        new_student(school_id, spec, hub_id, now)
                    })
                })
            },
            |batch| Ok(students::insert_many(conn, &batch)?),
        )
    })?;
    Ok(ImportOutcome { imported, ignored_columns: reader.ignored_columns })
}

/// Reads and checks every row of a class list without writing: the number of students, or
/// the bad rows.
fn check_class_list<R: Read>(
    conn: &mut DbConnection,
    input: R,
    school_id: &str,
    hubs_by_name: &HashMap<String, String>,
    max_rows: usize,
) -> Result<usize, ApiError> {
    let mut reader = StudentCsv::open(input).map_err(imports::unreadable)?;
    let mut limit = RowLimit::new(max_rows);
    let mut bad = imports::BadRows::default();
    let mut first_row: HashMap<String, u64> = HashMap::new();
    let mut batch: Vec<(u64, String)> = Vec::with_capacity(imports::BATCH);
    let mut rows = 0;
    loop {
        let next = reader.next_row();
        let at_end = next.is_none();
        if next.is_some() {
            // Past the limit the whole file is refused, and the rest of it not read.
            limit.count().map_err(imports::unreadable)?;
        }
        match next {
            Some(Ok((row, spec, hub))) => {
                if let Some(name) = hub.filter(|n| !hubs_by_name.contains_key(&n.to_lowercase())) {
                    bad.push(RowError {
                        row,
                        field: Some("hub".into()),
                        message: crate::phrase!("row-no-such-hub", hub = name),
                    });
                } else if let Some(first) = first_row.get(&spec.email) {
                    bad.push(RowError {
                        row,
                        field: Some("email".into()),
                        message: crate::phrase!(
                            "row-email-twice",
                            email = spec.email.as_str(),
                            first = *first
                        ),
                    });
                } else {
                    first_row.insert(spec.email.clone(), row);
                    batch.push((row, spec.email));
                }
            }
            Some(Err(errors)) => bad.extend(errors),
            None => {}
        }
        if batch.len() >= imports::BATCH || (at_end && !batch.is_empty()) {
            let emails: Vec<String> = batch.iter().map(|(_, e)| e.clone()).collect();
            for email in students::existing_emails(conn, school_id, &emails)? {
                if let Some((row, _)) = batch.iter().find(|(_, e)| *e == email) {
                    bad.push(RowError {
                        row: *row,
                        field: Some("email".into()),
                        message: crate::phrase!("row-email-enrolled", email = email.as_str()),
                    });
                }
            }
            rows += batch.len();
            batch.clear();
        }
        if at_end {
            break;
        }
    }
    bad.into_result()?;
    Ok(rows)
}

/// Erases a student's personal data: name and email become a pseudonym and nothing; kit
/// proposed to them goes back to the pool (the proposals are rejected); their open requests
/// are cancelled; their sign-in account, links and messages go. Their anonymised requests and
/// the history of the kit they used stay. `actor` is the person erasing (none for the
/// retention purge). Refused while kit is on loan. Idempotent. Call inside `write_tx`.
pub fn erase(
    conn: &mut DbConnection,
    student_id: &str,
    actor: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let student = students::find(conn, student_id)?;
    if student.erased_at.is_some() {
        return Ok(());
    }
    if loans::has_open(conn, student_id)? {
        return Err(ApiError::conflict(crate::phrase!("conflict-student-has-kit")));
    }
    for proposal in allocations::proposed_for_student(conn, student_id)? {
        crate::workflows::allocations::reject(conn, &proposal, actor)?;
    }
    requests::cancel_open_of_student(conn, student_id, now)?;
    loans::erase_student_text(conn, student_id, now)?;
    crate::store::fault_reports::erase_student_text(conn, student_id)?;
    crate::store::in_use::erase_student_notes(conn, student_id)?;
    users::erase_student_account(conn, student_id, now)?;
    students::erase(conn, student_id, &pseudonym(student_id), now)?;
    Ok(())
}

/// Erases student `id` of `scope`'s school (any for staff) as `actor`, in one transaction; 404
/// if not theirs, 409 while kit is on loan.
pub fn erase_visible(
    conn: &mut DbConnection,
    id: &str,
    scope: Option<&str>,
    actor: &str,
) -> Result<(), ApiError> {
    store::write_tx(conn, |conn| {
        students::find_visible(conn, id, scope)?;
        erase(conn, id, Some(actor), store::now())
    })
}

/// Erases every student whose programme ended more than `retention_months` before `today`.
/// Returns how many were erased. Safe to run on several instances at once.
pub fn purge(conn: &mut DbConnection, retention_months: u32, today: NaiveDate) -> Result<usize, ApiError> {
    let cutoff = today.checked_sub_months(chrono::Months::new(retention_months)).unwrap_or(today);
    let mut erased = 0;
    let mut after: Option<String> = None;
    loop {
        let batch = students::ended_before(conn, cutoff, after.as_deref(), 200)?;
        let Some(last) = batch.last().cloned() else {
            return Ok(erased);
        };
        for id in batch {
            match store::write_tx(conn, |conn| erase(conn, &id, None, store::now())) {
                Ok(()) => erased += 1,
                // Kit still on loan: kept until it comes back or is written off.
                Err(ApiError::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        after = Some(last);
    }
}

/// Records that pool staff read these students' personal data. Schools reading their own
/// students and students reading themselves are not logged: it is their own data.
pub fn record_access(
    conn: &mut DbConnection,
    actor_id: &str,
    role: Role,
    student_ids: &[&str],
    action: &str,
    request_id: Option<&str>,
) -> Result<(), ApiError> {
    if !role.is_pool() || student_ids.is_empty() {
        return Ok(());
    }
    let at = store::now();
    let unique: std::collections::BTreeSet<&str> = student_ids.iter().copied().collect();
    let entries: Vec<access_log::NewAccessEntry> = unique
        .into_iter()
        .map(|s| access_log::NewAccessEntry {
            id: store::new_id(),
            at,
            actor_id,
            student_id: s,
            action,
            request_id,
        })
        .collect();
    access_log::record(conn, &entries)?;
    Ok(())
}

/// Everything held about a student, as read for their data export.
pub struct Held {
    pub student: students::Student,
    pub requests: Vec<crate::workflows::requests::RequestView>,
    /// Every loan with its history.
    pub loans: Vec<(loans::Loan, Vec<loans::LoanEvent>)>,
    /// Sign-in links: made, expiring, used.
    pub links: Vec<(NaiveDateTime, NaiveDateTime, Option<NaiveDateTime>)>,
    pub messages: Vec<crate::store::outbox::OutboxMessage>,
    pub need_changes: Vec<students::NeedChange>,
    /// Who among pool staff read the student's data.
    pub access: Vec<access_log::AccessEntry>,
}

/// Reads everything held about student `id` (of `scope`'s school; any for staff) for its
/// data export (right of access), and logs the read when `reader` (actor, role) is pool staff.
pub fn export(
    conn: &mut DbConnection,
    id: &str,
    scope: Option<&str>,
    reader: (&str, Role),
    request_id: &str,
    weights: &crate::domain::priority::PriorityWeights,
    today: NaiveDate,
) -> Result<Held, ApiError> {
    let student = students::find_visible(conn, id, scope)?;
    record_access(conn, reader.0, reader.1, &[id], "export", Some(request_id))?;
    let rows = requests::of_student(conn, id)?;
    let requests = crate::workflows::requests::views(conn, rows, weights, today)?;
    let loans = loans::of_student(conn, id)?
        .into_iter()
        .map(|l| {
            let events = loans::events(conn, &l.id)?;
            Ok((l, events))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Held {
        student,
        requests,
        loans,
        links: crate::store::magic_links::of_owner(conn, id)?,
        // By student, not by address: the same address may be enrolled at another school.
        messages: crate::store::outbox::for_student(conn, id)?,
        need_changes: students::need_changes(conn, id)?,
        access: access_log::list(conn, Some(id), None, None, 10_000)?,
    })
}
