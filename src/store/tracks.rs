//! Programme tracks and their minimum laptop requirements.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::tracks;
use super::DbConnection;
use crate::configuration::TrackSettings;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = tracks, primary_key(code))]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct TrackRow {
    pub code: String,
    pub name: String,
    pub min_ram_gb: i32,
    pub min_storage_gb: i32,
    /// JSON array of product keys.
    pub software: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = tracks)]
pub struct TrackChanges {
    pub name: Option<String>,
    pub min_ram_gb: Option<i32>,
    pub min_storage_gb: Option<i32>,
    pub software: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

/// Adds the configured tracks that the table lacks; never overwrites what staff changed.
pub fn seed(conn: &mut DbConnection, configured: &[TrackSettings], now: NaiveDateTime) -> QueryResult<()> {
    for t in configured {
        let software = serde_json::to_string(&t.software).unwrap_or_else(|_| "[]".into());
        crate::with_backend!(&mut *conn, c => diesel::insert_into(tracks::table)
            .values((
                tracks::code.eq(t.code.as_str()),
                tracks::name.eq(&t.name),
                tracks::min_ram_gb.eq(t.min_ram_gb),
                tracks::min_storage_gb.eq(t.min_storage_gb),
                tracks::software.eq(&software),
                tracks::updated_at.eq(now),
            ))
            .on_conflict(tracks::code)
            .do_nothing()
            .execute(c))?;
    }
    Ok(())
}

pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<TrackRow>> {
    tracks::table.order(tracks::code.asc()).select(TrackRow::as_select()).load(conn)
}

pub fn find(conn: &mut DbConnection, code: &str) -> QueryResult<TrackRow> {
    tracks::table.find(code).select(TrackRow::as_select()).first(conn)
}

pub fn update(conn: &mut DbConnection, code: &str, changes: &TrackChanges) -> QueryResult<usize> {
    diesel::update(tracks::table.find(code)).set(changes).execute(conn)
}
