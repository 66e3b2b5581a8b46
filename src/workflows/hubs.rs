//! Hubs, the places students pick kit up and bring it back: opened and changed by pool staff,
//! from the API and the pages alike.

use crate::domain::{self, BoundedText};
use crate::error::ApiError;
use crate::store::{self, hubs, DbConnection};

pub const NAME_MAX: usize = 200;
pub const ADDRESS_MAX: usize = 500;
pub const HOURS_MAX: usize = 200;

/// A hub's name, address and opening hours, checked.
#[derive(Debug, Clone)]
pub struct HubDetails {
    pub name: String,
    pub address: String,
    pub opening_hours: Option<String>,
}

/// The details as typed, or every mistake in them at once.
pub fn details(name: &str, address: &str, opening_hours: Option<&str>) -> Result<HubDetails, ApiError> {
    let name = BoundedText::parse("name", name, NAME_MAX);
    let address = BoundedText::parse_multiline("address", address, ADDRESS_MAX);
    let hours = BoundedText::parse_optional_multiline("opening_hours", opening_hours, HOURS_MAX);
    match (name, address, hours) {
        (Ok(name), Ok(address), Ok(opening_hours)) => {
            Ok(HubDetails { name: name.into_inner(), address: address.into_inner(), opening_hours })
        }
        (name, address, hours) => Err(domain::field_errors([name.err(), address.err(), hours.err()]).into()),
    }
}

/// Opens a hub; a name in use already is a conflict on `name`.
pub fn open(conn: &mut DbConnection, d: &HubDetails) -> Result<hubs::Hub, ApiError> {
    let (now, id) = (store::now(), store::new_id());
    let hub = hubs::NewHub {
        id: &id,
        name: &d.name,
        address: &d.address,
        opening_hours: d.opening_hours.as_deref(),
        created_at: now,
        updated_at: now,
    };
    Ok(hubs::insert(conn, &hub)?)
}

/// Changes hub `id` (404 if there is none).
pub fn change(
    conn: &mut DbConnection,
    id: &str,
    mut changes: hubs::HubChanges,
) -> Result<hubs::Hub, ApiError> {
    changes.updated_at = Some(store::now());
    store::write_tx(conn, |conn| {
        hubs::find(conn, id)?;
        Ok(hubs::update(conn, id, &changes)?)
    })
}
