//! One schema for both backends: ids as text (UUID v7), times as UTC timestamps.
//! `migrations/sqlite` and `migrations/postgres` must produce exactly these tables and
//! columns; `tests/api/schema.rs` checks each backend against this file.

diesel::table! {
    organisations (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    hubs (id) {
        id -> Text,
        name -> Text,
        address -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        role -> Text,
        organisation_id -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        disabled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    app_meta (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::joinable!(users -> organisations (organisation_id));
diesel::allow_tables_to_appear_in_same_query!(organisations, hubs, users, login_throttle, app_meta);

/// Every table and its columns, as declared above; the schema tests compare each backend's
/// migrated database with this list.
pub fn declared_columns() -> Vec<(&'static str, Vec<&'static str>)> {
    use diesel::Column;
    macro_rules! cols {
        ($table:ident: $($col:ident),+) => {
            (stringify!($table), vec![$(<$table::$col as Column>::NAME),+])
        };
    }
    vec![
        cols!(organisations: id, name, kind, created_at, updated_at),
        cols!(hubs: id, name, address, created_at, updated_at),
        cols!(users: id, email, role, organisation_id, password_hash, disabled_at, created_at, updated_at),
        cols!(login_throttle: key, failures, window_started_at, locked_until),
        cols!(app_meta: key, value),
    ]
}
