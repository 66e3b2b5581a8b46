//! The rules a matching round follows that staff set: a cap per school and kind (a fair share
//! of open allocations), and the travel cost between two hubs (without one, no student is
//! sent from one to the other). Shared by `/api/v1/allocation-caps`, `/api/v1/travel-costs`
//! and the pages.

use serde::Serialize;

use crate::domain::request::RequestKind;
use crate::error::ApiError;
use crate::store::{self, hubs, matching as pool, organisations, DbConnection};
use crate::workflows::{check_hub, check_school};

/// The highest cap and travel cost accepted.
pub const MOST_CAP: i32 = 1_000_000;
pub const MOST_COST: i32 = 10_000;

/// Sets the travel cost between hubs `from` and `to` (either way).
pub fn set_travel_cost(conn: &mut DbConnection, from: &str, to: &str, cost: i32) -> Result<(), ApiError> {
    if from == to {
        return Err(ApiError::invalid("to_hub_id", crate::phrase!("field-same-hub")));
    }
    if !(0..=MOST_COST).contains(&cost) {
        return Err(ApiError::invalid("cost", crate::phrase!("field-between", min = 0, max = MOST_COST)));
    }
    store::write_tx(conn, |conn| {
        check_hub(conn, "from_hub_id", from)?;
        check_hub(conn, "to_hub_id", to)?;
        pool::set_travel_cost(conn, from, to, cost, store::now()).map_err(ApiError::from)
    })
}

/// Sets school `school`'s cap on open allocations of `kind`.
pub fn set_cap(conn: &mut DbConnection, school: &str, kind: RequestKind, cap: i32) -> Result<(), ApiError> {
    if !(0..=MOST_CAP).contains(&cap) {
        return Err(ApiError::invalid("cap", crate::phrase!("field-between", min = 0, max = MOST_CAP)));
    }
    store::write_tx(conn, |conn| {
        check_school(conn, school)?;
        pool::set_cap(conn, school, kind.as_str(), cap, store::now()).map_err(ApiError::from)
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct CapLine {
    pub school: String,
    pub kind: String,
    pub cap: i32,
    /// Open allocations of the school and kind now, which count against the cap.
    pub in_use: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TravelLine {
    pub from: String,
    pub to: String,
    pub cost: i32,
}

/// Every cap with the school's name and how much of it is in use, by school name.
pub fn caps(conn: &mut DbConnection) -> Result<Vec<CapLine>, ApiError> {
    let rows = pool::caps(conn)?;
    let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let names = organisations::names(conn, &ids)?;
    let open: std::collections::HashMap<(String, String), i64> =
        pool::open_allocations_per_school(conn)?.into_iter().map(|(s, k, n)| ((s, k), n)).collect();
    let mut lines: Vec<CapLine> = rows
        .into_iter()
        .map(|(school, kind, cap)| CapLine {
            in_use: open.get(&(school.clone(), kind.clone())).copied().unwrap_or(0),
            school: names.get(&school).cloned().unwrap_or_default(),
            kind,
            cap,
        })
        .collect();
    lines.sort_by(|a, b| (&a.school, &a.kind).cmp(&(&b.school, &b.kind)));
    Ok(lines)
}

/// Every travel cost with the hubs' names, by name.
pub fn travel(conn: &mut DbConnection) -> Result<Vec<TravelLine>, ApiError> {
    let names: std::collections::HashMap<String, String> =
        hubs::list(conn, None, 100_000)?.into_iter().map(|h| (h.id, h.name)).collect();
    let name = |id: &String| names.get(id).cloned().unwrap_or_default();
    let mut lines: Vec<TravelLine> = pool::travel_costs(conn)?
        .into_iter()
        .map(|(from, to, cost)| {
            let (a, b) = (name(&from), name(&to));
            let (from, to) = if a <= b { (a, b) } else { (b, a) };
            TravelLine { from, to, cost }
        })
        .collect();
    lines.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
    Ok(lines)
}

/// The schools as `(id, name)` choices, by name.
pub fn school_choices(conn: &mut DbConnection) -> Result<Vec<(String, String)>, ApiError> {
    let mut schools: Vec<(String, String)> = organisations::list(conn, Some("school"), None, 10_000)?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    schools.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(schools)
}
