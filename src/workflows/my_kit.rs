//! The student's own view: their open loans and requests, each with where it stands in plain
//! words in their language, and what they may do now.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::loan::{allowed_actions, LoanAction, LoanState};
use crate::domain::priority::PriorityWeights;
use crate::domain::request::{loan_status_text, status_text, LoanTextFacts, RequestKind, RequestState};
use crate::domain::student::Language;
use crate::error::ApiError;
use crate::store::stored_id;
use crate::store::{hubs, requests, students, DbConnection};

/// Where to pick kit up and bring it back.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyHub {
    pub name: String,
    pub address: String,
    /// When it is open, as people read it ("ma-vr 10:00-17:00").
    pub opening_hours: Option<String>,
}

/// A loan as its student sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyLoan {
    pub id: uuid::Uuid,
    pub kind: RequestKind,
    pub product: Option<String>,
    pub device_id: Option<uuid::Uuid>,
    pub licence_id: Option<uuid::Uuid>,
    pub state: LoanState,
    pub due_on: NaiveDate,
    /// A reservation must be picked up by this day.
    pub pick_up_by: Option<NaiveDate>,
    /// The code to show at the counter, while it waits at a hub for pick-up.
    pub pick_up_code: Option<String>,
    /// Where to pick it up and bring it back (null for a licence).
    pub hub: Option<MyHub>,
    /// What comes with it, and must come back with it.
    pub accessories: Vec<String>,
    /// What the student may do now: `accept`, `request_extension`, `report_lost`, `accept_gift`.
    pub allowed_actions: Vec<LoanAction>,
    /// Where the loan stands, in the student's language.
    pub status_text: String,
    /// Said "not used" in an in-use round: the kit is due back on `due_on`.
    pub recalled: bool,
}

/// An open request as its student sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyRequest {
    pub id: uuid::Uuid,
    pub kind: RequestKind,
    pub product: Option<String>,
    pub state: RequestState,
    pub needed_by: NaiveDate,
    /// Place in line among pending requests of this kind (1 is next); null unless pending.
    pub queue_position: Option<i64>,
    /// Where the request stands, in plain words and the student's language.
    pub status_text: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyLoans {
    /// Open loans (reserved for the student, or with them), and gifts accepted and reservations
    /// lapsed in the last 30 days.
    pub loans: Vec<MyLoan>,
    /// Open requests (pending or allocated).
    pub requests: Vec<MyRequest>,
}

/// The loans and open requests of student `student_id`, as they see them on `today`.
pub fn my_kit(
    conn: &mut DbConnection,
    student_id: &str,
    weights: &PriorityWeights,
    today: NaiveDate,
) -> Result<MyLoans, ApiError> {
    let student = students::find(conn, student_id)?;
    let lang = Language::parse(&student.preferred_language).unwrap_or(Language::En);
    let open: Vec<_> = requests::of_student(conn, student_id)?
        .into_iter()
        .filter(|r| RequestState::parse(&r.state).is_some_and(RequestState::is_open))
        .collect();
    let views = crate::workflows::requests::views(conn, open, weights, today)?;
    let requests = views
        .into_iter()
        .map(|v| MyRequest {
            status_text: status_text(v.kind, v.product.as_deref(), v.state, v.queue_position, lang),
            id: v.id,
            kind: v.kind,
            product: v.product,
            state: v.state,
            needed_by: v.needed_by,
            queue_position: v.queue_position,
            created_at: v.created_at,
        })
        .collect();
    let recent = today - chrono::Duration::days(30);
    let mut loans = Vec::new();
    for l in crate::store::loans::of_student(conn, student_id)? {
        let facts = crate::workflows::loans::facts(&l)?;
        // A lapse or a gift of the last 30 days is still news to the student.
        let news_lately = matches!(facts.state, LoanState::Lapsed | LoanState::Gifted)
            && l.closed_at.is_some_and(|t| t.date() >= recent);
        if !facts.state.is_open() && !news_lately {
            continue;
        }
        let kind = RequestKind::parse(&l.kind).ok_or_else(|| ApiError::internal("unknown loan kind"))?;
        let hub = l.hub_id.as_deref().map(|h| hubs::find(conn, h)).transpose()?;
        let text = loan_status_text(
            &LoanTextFacts {
                kind,
                product: l.product.as_deref(),
                state: &l.state,
                accepted: facts.accepted,
                due_on: l.due_on,
                pick_up_by: l.pick_up_by,
                hub: hub.as_ref().map(|h| h.name.as_str()),
                extension: l.extension_state.as_deref().zip(l.extension_due_on),
            },
            today,
            lang,
        );
        // Only what the student may do; staff steps are left out.
        let allowed = allowed_actions(facts)
            .into_iter()
            .filter(|a| {
                matches!(
                    a,
                    LoanAction::Accept
                        | LoanAction::RequestExtension
                        | LoanAction::ReportLost
                        | LoanAction::AcceptGift
                )
            })
            .filter(|a| *a != LoanAction::ReportLost || l.device_id.is_some())
            .collect();
        loans.push(MyLoan {
            status_text: text,
            id: stored_id(&l.id)?,
            kind,
            product: l.product,
            device_id: l.device_id.as_deref().map(stored_id).transpose()?,
            licence_id: l.licence_id.as_deref().map(stored_id).transpose()?,
            state: facts.state,
            due_on: l.due_on,
            pick_up_by: l.pick_up_by.filter(|_| facts.state == LoanState::Reserved),
            pick_up_code: (facts.state == LoanState::Reserved && hub.is_some())
                .then(|| crate::domain::loan::pick_up_code(&l.id)),
            hub: hub.map(|h| MyHub { name: h.name, address: h.address, opening_hours: h.opening_hours }),
            accessories: crate::store::json_list::parse(&l.accessories)?,
            allowed_actions: allowed,
            recalled: l.recalled_at.is_some() && facts.state == LoanState::Active,
        });
    }
    Ok(MyLoans { loans, requests })
}
