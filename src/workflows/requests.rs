//! Requests for kit: a school asks for kit for one of its students, and each request is read
//! with its priority and its place in the queue.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::priority::{Priority, PriorityWeights};
use crate::domain::request::{check_request, days_between, Lacks, RequestKind, RequestState};
use crate::error::ApiError;
use crate::store::stored_id;
use crate::store::{self, requests, requests::Request, students, DbConnection};

/// What a school asks for, parsed.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub student_id: String,
    pub kind: RequestKind,
    /// A licence's product, normalised.
    pub product: Option<String>,
    pub needed_by: Option<NaiveDate>,
    pub travel_ok: bool,
}

/// Puts a request in the queue for a student of `scope`'s school (any school for staff) as
/// `actor`, and tells the student their place. The student must lack the kit; one open
/// request per student and kind (per product for licences); a needed-by date in the past is
/// refused: it would only push the request up the queue.
pub fn create(
    conn: &mut DbConnection,
    scope: Option<&str>,
    actor: &str,
    asked: NewRequest,
    weights: &PriorityWeights,
    today: NaiveDate,
) -> Result<RequestView, ApiError> {
    if asked.needed_by.is_some_and(|d| d < today) {
        return Err(ApiError::invalid("needed_by", crate::phrase!("field-today-or-later")));
    }
    store::write_tx(conn, |conn| {
        let student = match students::find_visible(conn, &asked.student_id, scope) {
            Ok(s) if s.erased_at.is_none() => s,
            Ok(_) | Err(diesel::result::Error::NotFound) => {
                return Err(ApiError::invalid("student_id", crate::phrase!("field-no-such-student")));
            }
            Err(e) => return Err(e.into()),
        };
        let lacks = Lacks {
            laptop: student.lacks_laptop,
            connectivity: student.lacks_connectivity,
            software: student.lacks_software,
        };
        check_request(asked.kind, asked.product.as_deref(), lacks)?;
        if requests::open_for(conn, &student.id, asked.kind.as_str(), asked.product.as_deref())?.is_some() {
            return Err(ApiError::conflict(crate::phrase!("conflict-open-request")));
        }
        let now = store::now();
        let id = store::new_id();
        let row = requests::insert(
            conn,
            &requests::NewRequest {
                id: &id,
                student_id: &student.id,
                school_id: &student.school_id,
                kind: asked.kind.as_str(),
                product: asked.product.as_deref(),
                needed_by: asked.needed_by.unwrap_or(student.programme_start.max(today)),
                travel_ok: asked.travel_ok,
                state: RequestState::Pending.as_str(),
                created_by: Some(actor),
                created_at: now,
                updated_at: now,
            },
        )?;
        let view = views(conn, vec![row], weights, today)?
            .pop()
            .ok_or_else(|| ApiError::internal("no request view"))?;
        let place = serde_json::json!({ "position": view.queue_position });
        crate::notify::messages::to_student(
            conn,
            &student.id,
            "request_received",
            asked.kind,
            asked.product.as_deref(),
            place,
            None,
        )?;
        Ok(view)
    })
}

/// Cancels a pending request of `scope`'s school (any for staff). An allocated request holds
/// kit; freeing that kit belongs to the allocation, so only a pending one is cancelled here.
pub fn cancel(
    conn: &mut DbConnection,
    id: &str,
    scope: Option<&str>,
    weights: &PriorityWeights,
    today: NaiveDate,
) -> Result<RequestView, ApiError> {
    let row = store::write_tx(conn, |conn| {
        let current = requests::find_visible(conn, id, scope)?;
        if !requests::set_state(conn, id, &["pending"], "cancelled", store::now())? {
            return Err(ApiError::IllegalTransition {
                state: current.state,
                action: "cancel".into(),
                allowed_actions: vec![],
            });
        }
        requests::find_visible(conn, id, None).map_err(ApiError::from)
    })?;
    views(conn, vec![row], weights, today)?.pop().ok_or_else(|| ApiError::internal("no request view"))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestView {
    pub id: uuid::Uuid,
    pub student_id: uuid::Uuid,
    pub school_id: uuid::Uuid,
    pub kind: RequestKind,
    pub product: Option<String>,
    pub needed_by: NaiveDate,
    pub travel_ok: bool,
    pub state: RequestState,
    /// Today's priority and the terms it is made of (see the configuration's `[priority]`).
    pub priority: Priority,
    /// Place among pending requests of this kind (1 is next); null unless pending.
    pub queue_position: Option<i64>,
    /// Days since the request was made (until it closed).
    pub days_waiting: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Builds the views of `rows`: each request's priority from its student's needs, and the
/// queue position of each pending one among all pending requests of its kind (ranked by the
/// database: the queue itself is not read).
pub fn views(
    conn: &mut DbConnection,
    rows: Vec<Request>,
    w: &PriorityWeights,
    today: NaiveDate,
) -> Result<Vec<RequestView>, ApiError> {
    let mut positions: HashMap<String, i64> = HashMap::new();
    let mut kinds: Vec<&str> =
        rows.iter().filter(|r| r.state == "pending").map(|r| r.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        let ids: Vec<&str> =
            rows.iter().filter(|r| r.state == "pending" && r.kind == kind).map(|r| r.id.as_str()).collect();
        positions
            .extend(requests::queue_places(conn, kind, &ids, w, today)?.into_iter().map(|p| (p.id, p.place)));
    }
    let student_ids: Vec<&str> = rows.iter().map(|r| r.student_id.as_str()).collect();
    let lacks = students::lacks(conn, &student_ids)?;
    rows.into_iter()
        .map(|r| {
            let (laptop, connectivity, software) =
                *lacks.get(&r.student_id).ok_or_else(|| ApiError::internal("request without its student"))?;
            let lacks = Lacks { laptop, connectivity, software };
            let until = r.closed_at.map_or(today, |c| c.date());
            Ok(RequestView {
                id: stored_id(&r.id)?,
                student_id: stored_id(&r.student_id)?,
                school_id: stored_id(&r.school_id)?,
                kind: RequestKind::parse(&r.kind)
                    .ok_or_else(|| ApiError::internal("unknown request kind stored"))?,
                state: RequestState::parse(&r.state)
                    .ok_or_else(|| ApiError::internal("unknown request state stored"))?,
                priority: crate::domain::priority::priority(
                    w,
                    r.needed_by,
                    r.created_at.date(),
                    lacks.count(),
                    today,
                ),
                queue_position: positions.get(&r.id).copied(),
                days_waiting: days_between(r.created_at.date(), until),
                product: r.product,
                needed_by: r.needed_by,
                travel_ok: r.travel_ok,
                created_at: r.created_at.and_utc(),
                updated_at: r.updated_at.and_utc(),
                closed_at: r.closed_at.map(|c| c.and_utc()),
            })
        })
        .collect()
}
