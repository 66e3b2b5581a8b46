//! What a school's coordinator sees of its students: the class list with what each student
//! lacks, waits for and holds, and one student's whole file (needs, requests followed to the
//! kit's return, loans with their history).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::class_list::{self, Filter, Window, PER_PAGE};
use crate::domain::loan::{is_overdue, LoanState};
use crate::domain::priority::PriorityWeights;
use crate::domain::request::{FollowStep, RequestState};
use crate::domain::Role;
use crate::error::ApiError;
use crate::store::{loans, requests, students, DbConnection};
use crate::workflows::requests::{views, RequestView};
use crate::workflows::students::record_access;

/// An open request of a student, as the class list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Waiting {
    pub request_id: String,
    pub kind: String,
    pub product: Option<String>,
    pub step: FollowStep,
    /// Place in the queue of its kind (1 is next); only while waiting.
    pub queue_position: Option<i64>,
    pub days_waiting: i64,
}

/// Kit a student holds or may pick up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kit {
    pub loan_id: String,
    pub kind: String,
    pub product: Option<String>,
    pub step: FollowStep,
    pub due_on: NaiveDate,
    /// Days past the due date; `None` unless overdue.
    pub days_overdue: Option<i64>,
}

/// One student of the class list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub lacks_laptop: bool,
    pub lacks_connectivity: bool,
    pub lacks_software: bool,
    pub waiting: Vec<Waiting>,
    pub kit: Vec<Kit>,
}

fn kit_of(l: &loans::Loan, today: NaiveDate) -> Kit {
    let state = LoanState::parse(&l.state);
    let overdue = state.is_some_and(|s| is_overdue(s, l.due_on, today));
    Kit {
        loan_id: l.id.clone(),
        kind: l.kind.clone(),
        product: l.product.clone(),
        step: FollowStep::of(RequestState::Fulfilled, Some(&l.state)),
        due_on: l.due_on,
        days_overdue: overdue.then(|| (today - l.due_on).num_days()),
    }
}

fn waiting_of(r: &RequestView) -> Waiting {
    Waiting {
        request_id: r.id.to_string(),
        kind: r.kind.as_str().to_owned(),
        product: r.product.clone(),
        step: FollowStep::of(r.state, None),
        queue_position: r.queue_position,
        days_waiting: r.days_waiting,
    }
}

/// One page of a school's class list, and where it falls.
#[derive(Debug)]
pub struct ClassPage {
    pub entries: Vec<Entry>,
    /// Students that match the filter, and all students of the school.
    pub matching: usize,
    pub all: usize,
    pub window: Window,
}

/// The page of `school_id`'s students (not erased) that `filter` asks for, by name, with their
/// open requests and kit. Only that page is read: a school may have thousands of students.
pub fn class_page(
    conn: &mut DbConnection,
    school_id: &str,
    filter: &Filter,
    weights: &PriorityWeights,
    today: NaiveDate,
) -> Result<ClassPage, ApiError> {
    let everyone = Filter::default();
    let all = students::class_count(conn, &students::ClassQuery { school_id, filter: &everyone, today })?;
    let asked = students::ClassQuery { school_id, filter, today };
    let matching = if *filter == (Filter { page: filter.page, ..Filter::default() }) {
        all
    } else {
        students::class_count(conn, &asked)?
    };
    let matching = usize::try_from(matching).unwrap_or(0);
    let window = class_list::window(matching, filter.page);
    let people = students::class_page(conn, &asked, window.offset as i64, PER_PAGE as i64)?;
    let ids: Vec<String> = people.iter().map(|s| s.id.clone()).collect();
    let rows = requests::open_of_students(conn, &ids)?;
    let open = views(conn, rows, weights, today)?;
    let mut waiting: HashMap<String, Vec<Waiting>> = HashMap::new();
    for r in open.iter().filter(|r| r.state == RequestState::Pending) {
        waiting.entry(r.student_id.to_string()).or_default().push(waiting_of(r));
    }
    let mut kit: HashMap<String, Vec<Kit>> = HashMap::new();
    for l in loans::open_of_students(conn, &ids)? {
        kit.entry(l.student_id.clone()).or_default().push(kit_of(&l, today));
    }
    let entries = people
        .into_iter()
        .map(|s| Entry {
            waiting: waiting.remove(&s.id).unwrap_or_default(),
            kit: kit.remove(&s.id).unwrap_or_default(),
            id: s.id,
            name: s.name,
            email: s.email,
            lacks_laptop: s.lacks_laptop,
            lacks_connectivity: s.lacks_connectivity,
            lacks_software: s.lacks_software,
        })
        .collect();
    Ok(ClassPage { entries, matching, all: usize::try_from(all).unwrap_or(0), window })
}

/// A request with where it stands now.
#[derive(Debug, Serialize)]
pub struct FollowedRequest {
    #[serde(flatten)]
    pub request: RequestView,
    pub step: FollowStep,
}

/// One step in a loan's history.
#[derive(Debug, Clone, Serialize)]
pub struct LoanStep {
    pub at: chrono::NaiveDateTime,
    pub action: String,
}

/// A loan of the student with its history.
#[derive(Debug, Serialize)]
pub struct LoanRecord {
    #[serde(flatten)]
    pub kit: Kit,
    pub state: String,
    /// When the student accepted the loan agreement, and its version.
    pub accepted_at: Option<chrono::NaiveDateTime>,
    pub agreement_version: Option<String>,
    pub handed_over_at: Option<chrono::NaiveDateTime>,
    pub history: Vec<LoanStep>,
}

/// Everything a coordinator sees of one student.
#[derive(Debug, Serialize)]
pub struct StudentFile {
    pub student: super::students::StudentView,
    pub requests: Vec<FollowedRequest>,
    pub loans: Vec<LoanRecord>,
    /// Kit is on loan: the student cannot be erased now.
    pub holds_kit: bool,
}

/// Student `id` of `scope`'s school (any for staff; the read is logged for staff), or 404.
pub fn student_file(
    conn: &mut DbConnection,
    id: &str,
    scope: Option<&str>,
    reader: (&str, Role),
    weights: &PriorityWeights,
    today: NaiveDate,
) -> Result<StudentFile, ApiError> {
    let student = students::find_visible(conn, id, scope)?;
    record_access(conn, reader.0, reader.1, &[id], "read", None)?;
    let lent = loans::of_student(conn, id)?;
    let rows = requests::of_student(conn, id)?;
    let mut followed: Vec<FollowedRequest> = views(conn, rows, weights, today)?
        .into_iter()
        .map(|request| {
            // The newest loan for the request tells where it stands (a lapsed one came first).
            let loan = lent.iter().rev().find(|l| l.request_id == request.id.to_string());
            FollowedRequest { step: FollowStep::of(request.state, loan.map(|l| l.state.as_str())), request }
        })
        .collect();
    followed.reverse();
    let mut records = Vec::with_capacity(lent.len());
    for l in lent.iter().rev() {
        let history = loans::events(conn, &l.id)?
            .into_iter()
            .map(|e| LoanStep { at: e.at, action: e.action })
            .collect();
        records.push(LoanRecord {
            kit: kit_of(l, today),
            state: l.state.clone(),
            accepted_at: l.accepted_at,
            agreement_version: l.agreement_version.clone(),
            handed_over_at: l.handed_over_at,
            history,
        });
    }
    let holds_kit = lent.iter().any(|l| LoanState::parse(&l.state).is_some_and(LoanState::is_open));
    Ok(StudentFile {
        student: super::students::StudentView::from_row(student)?,
        requests: followed,
        loans: records,
        holds_kit,
    })
}
