//! Small facts about the database itself, such as whether it holds the demo data set.

use diesel::prelude::*;

use super::schema::app_meta;
use super::DbConnection;

pub fn get(conn: &mut DbConnection, key: &str) -> QueryResult<Option<String>> {
    app_meta::table.find(key).select(app_meta::value).first(conn).optional()
}

pub fn set(conn: &mut DbConnection, key: &str, value: &str) -> QueryResult<()> {
    let updated = diesel::update(app_meta::table.find(key)).set(app_meta::value.eq(value)).execute(conn)?;
    if updated == 0 {
        diesel::insert_into(app_meta::table)
            .values((app_meta::key.eq(key), app_meta::value.eq(value)))
            .execute(conn)?;
    }
    Ok(())
}
