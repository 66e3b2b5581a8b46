//! Devices, their chain of custody (events) and erasure records.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{device_events, devices, erasure_records};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = devices)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Device {
    pub id: String,
    pub kind: String,
    pub serial_number: String,
    pub asset_tag: String,
    pub model: String,
    pub state: String,
    pub grade: Option<String>,
    pub hub_id: Option<String>,
    pub donation_id: String,
    pub donor_id: String,
    pub ram_gb: Option<i32>,
    pub storage_gb: Option<i32>,
    pub cpu: Option<String>,
    pub screen_inches: Option<f64>,
    pub os: Option<String>,
    pub keyboard_layout: Option<String>,
    pub charger_included: Option<bool>,
    pub carrier: Option<String>,
    pub data_allowance_gb: Option<i32>,
    pub plan_ends_on: Option<NaiveDate>,
    /// JSON list of accessories that did not come back with it.
    pub missing_accessories: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Why it is held out of the pool, while it is `locked`.
    pub locked_reason: Option<String>,
    /// Where it was weighed; otherwise the environmental figures use the factor set's default.
    pub weight_kg: Option<f64>,
}

/// `None` is written as NULL (no column here has another default), which PostgreSQL's `COPY`
/// needs.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = devices, treat_none_as_default_value = false)]
pub struct NewDevice {
    pub id: String,
    pub kind: String,
    pub serial_number: String,
    pub asset_tag: String,
    pub model: String,
    pub state: String,
    pub hub_id: Option<String>,
    pub donation_id: String,
    pub donor_id: String,
    pub ram_gb: Option<i32>,
    pub storage_gb: Option<i32>,
    pub cpu: Option<String>,
    pub screen_inches: Option<f64>,
    pub os: Option<String>,
    pub keyboard_layout: Option<String>,
    pub charger_included: Option<bool>,
    pub carrier: Option<String>,
    pub data_allowance_gb: Option<i32>,
    pub plan_ends_on: Option<NaiveDate>,
    pub weight_kg: Option<f64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = device_events)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct DeviceEvent {
    pub id: String,
    pub device_id: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub details: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = device_events, treat_none_as_default_value = false)]
pub struct NewDeviceEvent<'a> {
    pub id: String,
    pub device_id: &'a str,
    pub at: NaiveDateTime,
    pub actor_id: Option<&'a str>,
    pub action: &'a str,
    pub from_state: Option<&'a str>,
    pub to_state: &'a str,
    pub details: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = erasure_records)]
pub struct NewErasureRecord<'a> {
    pub id: String,
    pub device_id: &'a str,
    pub method: &'a str,
    pub tool: Option<&'a str>,
    pub certificate_ref: &'a str,
    pub operator_id: &'a str,
    pub performed_at: NaiveDateTime,
    pub technique: Option<&'a str>,
    pub tool_version: Option<&'a str>,
    pub verification_method: Option<&'a str>,
    pub verification_result: Option<&'a str>,
    pub media_serial: Option<&'a str>,
}

/// Rows per INSERT: well under SQLite's limit of 32,766 bound values at 21 columns a row.
const BATCH: usize = 500;

/// Inserts many devices at once (an import): on PostgreSQL in one `COPY` (one round trip,
/// no bound-parameter limit; BENCHMARKS.md has its figures), on SQLite in batches.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewDevice]) -> QueryResult<usize> {
    if let DbConnection::Pg(pg) = conn {
        return diesel::copy_from(devices::table).from_insertable(rows).execute(pg);
    }
    let mut inserted = 0;
    for chunk in rows.chunks(BATCH) {
        // Multi-row inserts do not compile through the multi-backend connection.
        inserted += crate::with_backend!(&mut *conn, c => diesel::insert_into(devices::table).values(chunk).execute(c))?;
    }
    Ok(inserted)
}

/// Inserts many history events at once, as [`insert_many`] does devices.
pub fn insert_events(conn: &mut DbConnection, events: &[NewDeviceEvent]) -> QueryResult<usize> {
    if let DbConnection::Pg(pg) = conn {
        return diesel::copy_from(device_events::table).from_insertable(events).execute(pg);
    }
    let mut inserted = 0;
    for chunk in events.chunks(BATCH) {
        inserted += crate::with_backend!(&mut *conn, c => diesel::insert_into(device_events::table).values(chunk).execute(c))?;
    }
    Ok(inserted)
}

/// Which of `serials` (of one kind) the pool already has.
pub fn existing_serials(conn: &mut DbConnection, kind: &str, serials: &[String]) -> QueryResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in serials.chunks(BATCH) {
        found.extend(
            devices::table
                .filter(devices::kind.eq(kind))
                .filter(devices::serial_number.eq_any(chunk))
                .select(devices::serial_number)
                .load::<String>(conn)?,
        );
    }
    Ok(found)
}

/// Every device whose serial number is one of `serials` (upper case, as stored).
pub fn with_serials(conn: &mut DbConnection, serials: &[String]) -> QueryResult<Vec<Device>> {
    let mut found = Vec::new();
    for chunk in serials.chunks(BATCH) {
        found.extend(
            devices::table
                .filter(devices::serial_number.eq_any(chunk))
                .order(devices::id.asc())
                .select(Device::as_select())
                .load(conn)?,
        );
    }
    Ok(found)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Device> {
    devices::table.find(id).select(Device::as_select()).first(conn)
}

/// The device if the caller may see it: `donor_id` limits it to one donor's own.
pub fn find_visible(conn: &mut DbConnection, id: &str, donor_id: Option<&str>) -> QueryResult<Device> {
    let mut query = devices::table.find(id).select(Device::as_select()).into_boxed();
    if let Some(donor) = donor_id {
        query = query.filter(devices::donor_id.eq(donor.to_owned()));
    }
    query.first(conn)
}

/// List filters; every one is backed by an index.
#[derive(Debug, Default, Clone)]
pub struct DeviceFilter {
    pub kind: Option<String>,
    pub state: Option<String>,
    /// Any of these states (a donor's stage).
    pub states: Option<Vec<String>>,
    pub hub_id: Option<String>,
    pub donor_id: Option<String>,
    pub donation_id: Option<String>,
    pub grade: Option<String>,
    pub min_ram_gb: Option<i32>,
    /// An asset tag or serial number, exactly (upper case).
    pub q: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    f: &DeviceFilter,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Device>> {
    let mut query =
        devices::table.select(Device::as_select()).order(devices::id.asc()).limit(limit).into_boxed();
    if let Some(v) = &f.kind {
        query = query.filter(devices::kind.eq(v.clone()));
    }
    if let Some(v) = &f.state {
        query = query.filter(devices::state.eq(v.clone()));
    }
    if let Some(v) = &f.states {
        query = query.filter(devices::state.eq_any(v.clone()));
    }
    if let Some(v) = &f.hub_id {
        query = query.filter(devices::hub_id.eq(v.clone()));
    }
    if let Some(v) = &f.donor_id {
        query = query.filter(devices::donor_id.eq(v.clone()));
    }
    if let Some(v) = &f.donation_id {
        query = query.filter(devices::donation_id.eq(v.clone()));
    }
    if let Some(v) = &f.grade {
        query = query.filter(devices::grade.eq(v.clone()));
    }
    if let Some(v) = f.min_ram_gb {
        query = query.filter(devices::ram_gb.ge(v));
    }
    if let Some(v) = &f.q {
        query = query.filter(devices::asset_tag.eq(v.clone()).or(devices::serial_number.eq(v.clone())));
    }
    if let Some(after) = after {
        query = query.filter(devices::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// What a transition changes besides the state.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = devices)]
pub struct TransitionChanges<'a> {
    pub state: &'a str,
    pub grade: Option<&'a str>,
    pub hub_id: Option<&'a str>,
    pub plan_ends_on: Option<NaiveDate>,
    /// `Some(None)` clears it (the device leaves `locked`); `None` leaves it as it is.
    pub locked_reason: Option<Option<&'a str>>,
    pub updated_at: NaiveDateTime,
}

/// Moves the device from `from` to the new state only if it is still in `from`: of two
/// concurrent transitions on one device, one changes a row and the other none.
pub fn guarded_transition(
    conn: &mut DbConnection,
    id: &str,
    from: &str,
    changes: &TransitionChanges,
) -> QueryResult<bool> {
    let updated =
        diesel::update(devices::table.find(id).filter(devices::state.eq(from))).set(changes).execute(conn)?;
    Ok(updated == 1)
}

pub fn set_missing_accessories(
    conn: &mut DbConnection,
    id: &str,
    missing: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(devices::table.find(id))
        .set((devices::missing_accessories.eq(missing), devices::updated_at.eq(at)))
        .execute(conn)
}

pub fn insert_event(conn: &mut DbConnection, event: &NewDeviceEvent) -> QueryResult<usize> {
    diesel::insert_into(device_events::table).values(event).execute(conn)
}

pub fn insert_erasure(conn: &mut DbConnection, record: &NewErasureRecord) -> QueryResult<usize> {
    diesel::insert_into(erasure_records::table).values(record).execute(conn)
}

/// An erasure record as stored: a wipe (passed, failed or not checked) or a destruction.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = erasure_records)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ErasureRecord {
    pub id: String,
    pub device_id: String,
    /// The sanitisation level: `nist_clear`, `nist_purge` or `nist_destroy`.
    pub method: String,
    pub tool: Option<String>,
    pub certificate_ref: String,
    pub operator_id: String,
    pub performed_at: NaiveDateTime,
    pub technique: Option<String>,
    pub tool_version: Option<String>,
    pub verification_method: Option<String>,
    pub verification_result: Option<String>,
    pub media_serial: Option<String>,
}

/// The erasure records of `device_ids`, oldest first, read in batches.
pub fn erasure_records(conn: &mut DbConnection, device_ids: &[String]) -> QueryResult<Vec<ErasureRecord>> {
    let mut records = Vec::new();
    for chunk in device_ids.chunks(BATCH) {
        records.extend(
            erasure_records::table
                .filter(erasure_records::device_id.eq_any(chunk))
                .order((erasure_records::performed_at.asc(), erasure_records::id.asc()))
                .select(ErasureRecord::as_select())
                .load(conn)?,
        );
    }
    records.sort_by(|a, b| (a.performed_at, &a.id).cmp(&(b.performed_at, &b.id)));
    Ok(records)
}

/// The device's history, oldest first (event ids are time-ordered).
pub fn history(conn: &mut DbConnection, device_id: &str) -> QueryResult<Vec<DeviceEvent>> {
    device_events::table
        .filter(device_events::device_id.eq(device_id))
        .order((device_events::at.asc(), device_events::id.asc()))
        .select(DeviceEvent::as_select())
        .load(conn)
}

/// Moves every device of `ids` that is still in state `from` to `to`, in batches; returns the
/// ids that moved. The guard makes this safe against concurrent changes: a device that left
/// `from` meanwhile is simply not among them.
pub fn move_many(
    conn: &mut DbConnection,
    ids: &[&str],
    from: &str,
    to: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    let mut moved = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(BATCH) {
        let target = devices::table.filter(devices::id.eq_any(chunk)).filter(devices::state.eq(from));
        moved.extend(crate::with_backend!(&mut *conn, c => diesel::update(target)
            .set((devices::state.eq(to), devices::updated_at.eq(now)))
            .returning(devices::id)
            .get_results::<String>(c))?);
    }
    Ok(moved)
}

/// Dongles still in service whose data plan ends between `from` and `until`:
/// (asset tag, carrier, plan end).
pub fn plans_ending(
    conn: &mut DbConnection,
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<(String, Option<String>, NaiveDate)>> {
    devices::table
        .filter(devices::kind.eq("wifi_dongle"))
        .filter(devices::state.ne_all(["retired", "lost"]))
        .filter(devices::plan_ends_on.ge(from))
        .filter(devices::plan_ends_on.le(until))
        .order((devices::plan_ends_on.asc(), devices::asset_tag.asc()))
        .select((devices::asset_tag, devices::carrier, devices::plan_ends_on.assume_not_null()))
        .load(conn)
}

/// How many devices of a donation are with a student, of how many.
pub fn in_service_of_donation(conn: &mut DbConnection, donation_id: &str) -> QueryResult<(i64, i64)> {
    let total: i64 = devices::table.filter(devices::donation_id.eq(donation_id)).count().get_result(conn)?;
    let lent: i64 = devices::table
        .filter(devices::donation_id.eq(donation_id))
        .filter(devices::state.eq("on_loan"))
        .count()
        .get_result(conn)?;
    Ok((lent, total))
}

/// A donor's kit: (items given: devices and licences, items with a student now: devices on
/// loan and licence seats in use).
pub fn donor_kit(conn: &mut DbConnection, donor_id: &str) -> QueryResult<(i64, i64)> {
    use super::schema::licences;
    let devices_given: i64 =
        devices::table.filter(devices::donor_id.eq(donor_id)).count().get_result(conn)?;
    let lent: i64 = devices::table
        .filter(devices::donor_id.eq(donor_id))
        .filter(devices::state.eq("on_loan"))
        .count()
        .get_result(conn)?;
    let licences_given: i64 =
        licences::table.filter(licences::donor_id.eq(donor_id)).count().get_result(conn)?;
    let seats: Option<i64> = licences::table
        .filter(licences::donor_id.eq(donor_id))
        .select(diesel::dsl::sum(licences::seats_in_use))
        .get_result(conn)?;
    Ok((devices_given + licences_given, lent + seats.unwrap_or(0)))
}

/// What a list needs to name a device.
#[derive(Debug, Clone, Queryable)]
pub struct DeviceLabel {
    pub asset_tag: String,
    pub model: String,
    pub hub_id: Option<String>,
}

/// Devices `ids`, by id.
pub fn labels(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<std::collections::HashMap<String, DeviceLabel>> {
    super::by_ids(ids, |chunk| {
        let rows: Vec<(String, String, String, Option<String>)> = devices::table
            .filter(devices::id.eq_any(chunk))
            .select((devices::id, devices::asset_tag, devices::model, devices::hub_id))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(id, asset_tag, model, hub_id)| (id, DeviceLabel { asset_tag, model, hub_id }))
            .collect())
    })
}
