//! Programme tracks and what they need, as staff change them.

use crate::domain::student::Track;
use crate::error::ApiError;
use crate::store::{self, json_list, tracks, DbConnection};

/// What staff change about a track, parsed; `None` leaves it.
pub struct TrackChange {
    pub name: Option<String>,
    pub min_ram_gb: Option<i32>,
    pub min_storage_gb: Option<i32>,
    pub software: Option<Vec<String>>,
}

/// Changes track `code`; 404 if there is none.
pub fn update(
    conn: &mut DbConnection,
    code: Track,
    change: TrackChange,
) -> Result<tracks::TrackRow, ApiError> {
    store::write_tx(conn, |conn| {
        tracks::find(conn, code.as_str())?;
        let changes = tracks::TrackChanges {
            name: change.name,
            min_ram_gb: change.min_ram_gb,
            min_storage_gb: change.min_storage_gb,
            software: change.software.as_deref().map(json_list::to_text),
            updated_at: Some(store::now()),
        };
        tracks::update(conn, code.as_str(), &changes)?;
        Ok(tracks::find(conn, code.as_str())?)
    })
}
