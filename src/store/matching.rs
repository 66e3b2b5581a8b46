//! What matching reads and the settings staff give it: travel costs between hubs, schools'
//! caps, and the pool and queue as they are now.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    allocation_caps, allocations, devices, licences, loans, requests, students, travel_costs,
};
use super::DbConnection;

/// Sets the travel cost between two hubs (either order; stored smallest id first).
pub fn set_travel_cost(
    conn: &mut DbConnection,
    a: &str,
    b: &str,
    cost: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let (from, to) = if a < b { (a, b) } else { (b, a) };
    let updated = diesel::update(travel_costs::table.find((from, to)))
        .set((travel_costs::cost.eq(cost), travel_costs::updated_at.eq(now)))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(travel_costs::table)
            .values((
                travel_costs::from_hub_id.eq(from),
                travel_costs::to_hub_id.eq(to),
                travel_costs::cost.eq(cost),
                travel_costs::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn travel_costs(conn: &mut DbConnection) -> QueryResult<Vec<(String, String, i32)>> {
    travel_costs::table
        .order((travel_costs::from_hub_id, travel_costs::to_hub_id))
        .select((travel_costs::from_hub_id, travel_costs::to_hub_id, travel_costs::cost))
        .load(conn)
}

pub fn set_cap(
    conn: &mut DbConnection,
    school_id: &str,
    kind: &str,
    cap: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let updated = diesel::update(allocation_caps::table.find((school_id, kind)))
        .set((allocation_caps::cap.eq(cap), allocation_caps::updated_at.eq(now)))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(allocation_caps::table)
            .values((
                allocation_caps::school_id.eq(school_id),
                allocation_caps::kind.eq(kind),
                allocation_caps::cap.eq(cap),
                allocation_caps::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Every cap: (school, request kind, cap).
pub fn caps(conn: &mut DbConnection) -> QueryResult<Vec<(String, String, i32)>> {
    allocation_caps::table
        .order((allocation_caps::school_id, allocation_caps::kind))
        .select((allocation_caps::school_id, allocation_caps::kind, allocation_caps::cap))
        .load(conn)
}

/// Open allocations per (school, request kind): proposals waiting for staff, and loans that
/// are reserved or active. This is what counts against a cap.
pub fn open_allocations_per_school(conn: &mut DbConnection) -> QueryResult<Vec<(String, String, i64)>> {
    let proposed: Vec<(String, String, i64)> = allocations::table
        .inner_join(requests::table)
        .filter(allocations::state.eq("proposed"))
        .group_by((requests::school_id, requests::kind))
        .select((requests::school_id, requests::kind, diesel::dsl::count_star()))
        .load(conn)?;
    let lent: Vec<(String, String, i64)> = loans::table
        .filter(loans::state.eq_any(["reserved", "active"]))
        .group_by((loans::school_id, loans::kind))
        .select((loans::school_id, loans::kind, diesel::dsl::count_star()))
        .load(conn)?;
    let mut total: std::collections::BTreeMap<(String, String), i64> = std::collections::BTreeMap::new();
    for (school, kind, n) in proposed.into_iter().chain(lent) {
        *total.entry((school, kind)).or_default() += n;
    }
    Ok(total.into_iter().map(|((s, k), n)| (s, k, n)).collect())
}

/// An available device as matching sees it.
pub type PoolDevice = (String, String, Option<String>, Option<String>, Option<i32>, Option<i32>);

/// Available devices: (id, kind, hub, grade, ram, storage).
/// A dongle whose data plan ends before `min_plan_end` is left out: it needs renewing first.
pub fn available_devices(
    conn: &mut DbConnection,
    kinds: &[&str],
    hubs: Option<&[String]>,
    only: Option<&[String]>,
    min_plan_end: NaiveDate,
) -> QueryResult<Vec<PoolDevice>> {
    let mut q = devices::table
        .filter(devices::state.eq("available"))
        .filter(devices::kind.eq_any(kinds.to_vec()))
        .filter(devices::plan_ends_on.is_null().or(devices::plan_ends_on.ge(min_plan_end)))
        .select((
            devices::id,
            devices::kind,
            devices::hub_id,
            devices::grade,
            devices::ram_gb,
            devices::storage_gb,
        ))
        .into_boxed();
    if let Some(hubs) = hubs {
        q = q.filter(devices::hub_id.eq_any(hubs.to_vec()));
    }
    if let Some(ids) = only {
        q = q.filter(devices::id.eq_any(ids.to_vec()));
    }
    q.load(conn)
}

/// Licences that can lend a seat today: (id, product, free seats).
pub fn lendable_licences(
    conn: &mut DbConnection,
    today: NaiveDate,
) -> QueryResult<Vec<(String, String, i32)>> {
    licences::table
        .filter(licences::seats_in_use.lt(licences::seats))
        .filter(licences::expires_on.is_null().or(licences::expires_on.ge(today)))
        .select((licences::id, licences::product, licences::seats - licences::seats_in_use))
        .load(conn)
}

/// A pending request with what matching needs of its student.
#[derive(Debug, Clone, Queryable)]
pub struct PendingRequest {
    pub id: String,
    pub kind: String,
    pub product: Option<String>,
    pub needed_by: NaiveDate,
    pub travel_ok: bool,
    pub created_at: NaiveDateTime,
    pub school_id: String,
    pub hub_id: Option<String>,
    pub track: String,
    pub lacks_laptop: bool,
    pub lacks_connectivity: bool,
    pub lacks_software: bool,
}

/// Pending requests of `kinds`, of students at `hubs` if given.
pub fn pending_requests(
    conn: &mut DbConnection,
    kinds: &[&str],
    hubs: Option<&[String]>,
) -> QueryResult<Vec<PendingRequest>> {
    let mut q = requests::table
        .inner_join(students::table)
        .filter(requests::state.eq("pending"))
        .filter(requests::kind.eq_any(kinds.to_vec()))
        .order(requests::id.asc())
        .into_boxed();
    if let Some(hubs) = hubs {
        q = q.filter(students::hub_id.eq_any(hubs.to_vec()));
    }
    q.select((
        requests::id,
        requests::kind,
        requests::product,
        requests::needed_by,
        requests::travel_ok,
        requests::created_at,
        requests::school_id,
        students::hub_id,
        students::track,
        students::lacks_laptop,
        students::lacks_connectivity,
        students::lacks_software,
    ))
    .load(conn)
}

/// Gauges of the pool for `/metrics`: available devices by (kind, hub name), pending requests
/// by kind, and open loans past their due date.
pub struct PoolGauges {
    pub available: Vec<(String, String, i64)>,
    pub queue: Vec<(String, i64)>,
    pub overdue_loans: i64,
}

pub fn pool_gauges(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<PoolGauges> {
    use super::schema::hubs;
    let by_hub: Vec<(String, Option<String>, i64)> = devices::table
        .filter(devices::state.eq("available"))
        .group_by((devices::kind, devices::hub_id))
        .select((devices::kind, devices::hub_id, diesel::dsl::count_star()))
        .load(conn)?;
    let names: std::collections::HashMap<String, String> =
        hubs::table.select((hubs::id, hubs::name)).load::<(String, String)>(conn)?.into_iter().collect();
    let mut available: Vec<(String, String, i64)> = by_hub
        .into_iter()
        .map(|(kind, hub, n)| (kind, hub.and_then(|h| names.get(&h).cloned()).unwrap_or_default(), n))
        .collect();
    available.sort();
    let queue: Vec<(String, i64)> = requests::table
        .filter(requests::state.eq("pending"))
        .group_by(requests::kind)
        .select((requests::kind, diesel::dsl::count_star()))
        .order(requests::kind)
        .load(conn)?;
    let overdue_loans: i64 = loans::table
        .filter(loans::state.eq_any(["reserved", "active"]))
        .filter(loans::due_on.lt(today))
        .count()
        .get_result(conn)?;
    Ok(PoolGauges { available, queue, overdue_loans })
}
