//! A donor's asset list for a donation: the serial numbers they hand over, and the donation's
//! devices to reconcile it with.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{asset_list_entries, devices};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = asset_list_entries)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct AssetListEntry {
    pub donation_id: String,
    pub serial_number: String,
    pub reference: Option<String>,
    pub model: Option<String>,
    pub line: i32,
    pub uploaded_by: String,
    pub uploaded_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = asset_list_entries)]
pub struct NewEntry<'a> {
    pub donation_id: &'a str,
    pub serial_number: &'a str,
    pub reference: Option<&'a str>,
    pub model: Option<&'a str>,
    pub line: i32,
    pub uploaded_by: &'a str,
    pub uploaded_at: NaiveDateTime,
}

/// Rows per INSERT, well under SQLite's limit of bound values at 7 columns a row.
const BATCH: usize = 1000;

/// Empties donation `id`'s list (inside the caller's transaction, before the new one goes in).
pub fn clear(conn: &mut DbConnection, id: &str) -> QueryResult<usize> {
    diesel::delete(asset_list_entries::table.filter(asset_list_entries::donation_id.eq(id))).execute(conn)
}

/// Adds `entries` to a list (inside the caller's transaction).
pub fn insert(conn: &mut DbConnection, entries: &[NewEntry]) -> QueryResult<usize> {
    let mut inserted = 0;
    for chunk in entries.chunks(BATCH) {
        // Multi-row inserts do not compile through the multi-backend connection.
        inserted += crate::with_backend!(&mut *conn, c => diesel::insert_into(asset_list_entries::table).values(chunk).execute(c))?;
    }
    Ok(inserted)
}

/// Donation `id`'s list in the order of its file.
pub fn entries(conn: &mut DbConnection, id: &str) -> QueryResult<Vec<AssetListEntry>> {
    asset_list_entries::table
        .filter(asset_list_entries::donation_id.eq(id))
        .order(asset_list_entries::line.asc())
        .select(AssetListEntry::as_select())
        .load(conn)
}

/// Every device of donation `id`: (id, asset tag, serial number, state), in a stable order.
pub fn donation_devices(
    conn: &mut DbConnection,
    id: &str,
) -> QueryResult<Vec<(String, String, String, String)>> {
    devices::table
        .filter(devices::donation_id.eq(id))
        .order(devices::asset_tag.asc())
        .select((devices::id, devices::asset_tag, devices::serial_number, devices::state))
        .load(conn)
}
