//! Schools and donors, as admins open and rename them, from the API and the pages alike. The
//! kind never changes: accounts and records depend on it.

use crate::domain::{BoundedText, FieldError, OrganisationKind};
use crate::error::ApiError;
use crate::store::{self, organisations, organisations::Organisation, DbConnection};

pub const NAME_MAX: usize = 200;

/// An organisation's name as typed, checked; one in use already is a conflict when saved.
pub fn name(typed: &str) -> Result<String, FieldError> {
    BoundedText::parse("name", typed, NAME_MAX).map(BoundedText::into_inner)
}

/// Opens a school or donor organisation.
pub fn open(conn: &mut DbConnection, name: &str, kind: OrganisationKind) -> Result<Organisation, ApiError> {
    let (now, id) = (store::now(), store::new_id());
    let new = organisations::NewOrganisation {
        id: &id,
        name,
        kind: kind.as_str(),
        created_at: now,
        updated_at: now,
    };
    Ok(organisations::insert(conn, &new)?)
}

/// Renames organisation `id` (404 if there is none); no name leaves it as it is.
pub fn rename(conn: &mut DbConnection, id: &str, name: Option<String>) -> Result<Organisation, ApiError> {
    store::write_tx(conn, |conn| {
        organisations::find(conn, id)?;
        let changes = organisations::OrganisationChanges { name, updated_at: Some(store::now()) };
        Ok(organisations::update(conn, id, &changes)?)
    })
}
