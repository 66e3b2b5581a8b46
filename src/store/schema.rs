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
        opening_hours -> Nullable<Text>,
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
        student_id -> Nullable<Text>,
        token_version -> Integer,
        preferred_language -> Nullable<Text>,
    }
}

diesel::table! {
    fault_reports (id) {
        id -> Text,
        loan_id -> Text,
        device_id -> Nullable<Text>,
        reported_by -> Text,
        description -> Text,
        state -> Text,
        created_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    asset_list_entries (donation_id, serial_number) {
        donation_id -> Text,
        serial_number -> Text,
        reference -> Nullable<Text>,
        model -> Nullable<Text>,
        line -> Integer,
        uploaded_by -> Text,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    web_sessions (id) {
        id -> Text,
        token_hash -> Text,
        user_id -> Text,
        token_version -> Integer,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        idle_until -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        attempts -> Integer,
        version -> Integer,
        last_attempt_at -> Timestamp,
        blocked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    app_meta (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    donations (id) {
        id -> Text,
        donor_id -> Text,
        expected_hub_id -> Nullable<Text>,
        expected_date -> Nullable<Date>,
        note -> Nullable<Text>,
        state -> Text,
        received_at -> Nullable<Timestamp>,
        received_by -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        gifts_allowed -> Bool,
    }
}

diesel::table! {
    counters (name) {
        name -> Text,
        value -> BigInt,
    }
}

diesel::table! {
    devices (id) {
        id -> Text,
        kind -> Text,
        serial_number -> Text,
        asset_tag -> Text,
        model -> Text,
        state -> Text,
        grade -> Nullable<Text>,
        hub_id -> Nullable<Text>,
        donation_id -> Text,
        donor_id -> Text,
        ram_gb -> Nullable<Integer>,
        storage_gb -> Nullable<Integer>,
        cpu -> Nullable<Text>,
        screen_inches -> Nullable<Double>,
        os -> Nullable<Text>,
        keyboard_layout -> Nullable<Text>,
        charger_included -> Nullable<Bool>,
        carrier -> Nullable<Text>,
        data_allowance_gb -> Nullable<Integer>,
        plan_ends_on -> Nullable<Date>,
        missing_accessories -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        locked_reason -> Nullable<Text>,
        weight_kg -> Nullable<Double>,
    }
}

diesel::table! {
    device_events (id) {
        id -> Text,
        device_id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        from_state -> Nullable<Text>,
        to_state -> Text,
        details -> Text,
    }
}

diesel::table! {
    erasure_records (id) {
        id -> Text,
        device_id -> Text,
        method -> Text,
        tool -> Nullable<Text>,
        certificate_ref -> Text,
        operator_id -> Text,
        performed_at -> Timestamp,
        technique -> Nullable<Text>,
        tool_version -> Nullable<Text>,
        verification_method -> Nullable<Text>,
        verification_result -> Nullable<Text>,
        media_serial -> Nullable<Text>,
    }
}

diesel::table! {
    licences (id) {
        id -> Text,
        product -> Text,
        vendor -> Text,
        seats -> Integer,
        seats_in_use -> Integer,
        expires_on -> Nullable<Date>,
        licence_key -> Text,
        donation_id -> Text,
        donor_id -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    tracks (code) {
        code -> Text,
        name -> Text,
        min_ram_gb -> Integer,
        min_storage_gb -> Integer,
        software -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    students (id) {
        id -> Text,
        school_id -> Text,
        name -> Text,
        email -> Nullable<Text>,
        preferred_language -> Text,
        track -> Text,
        programme_start -> Date,
        programme_end -> Date,
        hub_id -> Nullable<Text>,
        lacks_laptop -> Bool,
        lacks_connectivity -> Bool,
        lacks_software -> Bool,
        target_group -> Nullable<Text>,
        erased_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    requests (id) {
        id -> Text,
        student_id -> Text,
        school_id -> Text,
        kind -> Text,
        product -> Nullable<Text>,
        needed_by -> Date,
        travel_ok -> Bool,
        state -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox_messages (id) {
        id -> Text,
        recipient -> Text,
        language -> Text,
        template -> Text,
        payload -> Text,
        student_id -> Nullable<Text>,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        claim_id -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        dedupe_key -> Nullable<Text>,
        secret -> Nullable<Text>,
        secret_expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    magic_link_tokens (id) {
        id -> Text,
        student_id -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        code_hash -> Nullable<Text>,
        code_failures -> Integer,
    }
}

diesel::table! {
    access_log (id) {
        id -> Text,
        at -> Timestamp,
        actor_id -> Text,
        student_id -> Text,
        action -> Text,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    travel_costs (from_hub_id, to_hub_id) {
        from_hub_id -> Text,
        to_hub_id -> Text,
        cost -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    allocation_caps (school_id, kind) {
        school_id -> Text,
        kind -> Text,
        cap -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    allocations (id) {
        id -> Text,
        run_id -> Text,
        request_id -> Text,
        device_id -> Nullable<Text>,
        licence_id -> Nullable<Text>,
        state -> Text,
        priority -> Integer,
        cost -> Integer,
        reason -> Text,
        details -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    loans (id) {
        id -> Text,
        allocation_id -> Text,
        request_id -> Text,
        student_id -> Text,
        school_id -> Text,
        kind -> Text,
        product -> Nullable<Text>,
        device_id -> Nullable<Text>,
        licence_id -> Nullable<Text>,
        hub_id -> Nullable<Text>,
        state -> Text,
        due_on -> Date,
        pick_up_by -> Nullable<Date>,
        accessories -> Text,
        missing_accessories -> Text,
        return_condition -> Nullable<Text>,
        extension_state -> Nullable<Text>,
        extension_due_on -> Nullable<Date>,
        extension_reason -> Nullable<Text>,
        extension_answer -> Nullable<Text>,
        agreement_version -> Nullable<Text>,
        accepted_at -> Nullable<Timestamp>,
        handed_over_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        gift_reason -> Nullable<Text>,
        gift_offered_by -> Nullable<Text>,
        gift_offered_at -> Nullable<Timestamp>,
        gift_agreement_version -> Nullable<Text>,
        recalled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    in_use_rounds (id) {
        id -> Text,
        opened_after -> Nullable<Text>,
        opened_by -> Nullable<Text>,
        opened_at -> Timestamp,
    }
}

diesel::table! {
    in_use_checks (id) {
        id -> Text,
        round_id -> Text,
        loan_id -> Text,
        school_id -> Text,
        token_hash -> Nullable<Text>,
        answer -> Nullable<Text>,
        note -> Nullable<Text>,
        answered_by -> Nullable<Text>,
        answered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    loan_events (id) {
        id -> Text,
        loan_id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        details -> Text,
    }
}

diesel::table! {
    invitations (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    password_resets (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    student_need_changes (id) {
        id -> Text,
        student_id -> Text,
        actor_id -> Text,
        at -> Timestamp,
        need -> Text,
        lacks -> Bool,
    }
}

diesel::table! {
    class_sets (id) {
        id -> Text,
        school_id -> Text,
        kind -> Text,
        count -> Integer,
        starts_on -> Date,
        ends_on -> Date,
        hub_id -> Text,
        course -> Text,
        course_key -> Text,
        state -> Text,
        agreement_version -> Nullable<Text>,
        accepted_by -> Nullable<Text>,
        accepted_at -> Nullable<Timestamp>,
        handed_over_by -> Nullable<Text>,
        handed_over_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    class_set_loans (id) {
        id -> Text,
        class_set_id -> Text,
        device_id -> Text,
        state -> Text,
        due_on -> Date,
        accessories -> Text,
        missing_accessories -> Text,
        return_condition -> Nullable<Text>,
        reserved_by -> Text,
        reserved_at -> Timestamp,
        handed_over_at -> Nullable<Timestamp>,
        closed_by -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(web_sessions -> users (user_id));
diesel::joinable!(fault_reports -> loans (loan_id));
diesel::joinable!(devices -> donations (donation_id));
diesel::joinable!(device_events -> devices (device_id));
diesel::joinable!(licences -> donations (donation_id));
diesel::joinable!(asset_list_entries -> donations (donation_id));
diesel::joinable!(requests -> students (student_id));
diesel::joinable!(allocations -> requests (request_id));
diesel::joinable!(loans -> students (student_id));
diesel::joinable!(in_use_checks -> loans (loan_id));
diesel::joinable!(in_use_checks -> in_use_rounds (round_id));
diesel::joinable!(loan_events -> loans (loan_id));
diesel::joinable!(class_set_loans -> class_sets (class_set_id));
diesel::joinable!(class_set_loans -> devices (device_id));
diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    hubs,
    users,
    login_throttle,
    app_meta,
    donations,
    counters,
    devices,
    device_events,
    erasure_records,
    licences,
    tracks,
    students,
    requests,
    outbox_messages,
    magic_link_tokens,
    access_log,
    travel_costs,
    allocation_caps,
    allocations,
    loans,
    loan_events,
    invitations,
    password_resets,
    student_need_changes,
    web_sessions,
    fault_reports,
    asset_list_entries,
    class_sets,
    class_set_loans,
    in_use_rounds,
    in_use_checks,
);

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
        cols!(hubs: id, name, address, opening_hours, created_at, updated_at),
        cols!(users: id, email, role, organisation_id, password_hash, disabled_at, created_at, updated_at, student_id, token_version, preferred_language),
        cols!(login_throttle: key, attempts, version, last_attempt_at, blocked_until),
        cols!(fault_reports: id, loan_id, device_id, reported_by, description, state, created_at, resolved_at),
        cols!(asset_list_entries: donation_id, serial_number, reference, model, line, uploaded_by, uploaded_at),
        cols!(web_sessions: id, token_hash, user_id, token_version, created_at, last_seen_at, idle_until, expires_at),
        cols!(app_meta: key, value),
        cols!(donations: id, donor_id, expected_hub_id, expected_date, note, state, received_at, received_by, created_by, created_at, updated_at, gifts_allowed),
        cols!(counters: name, value),
        cols!(devices: id, kind, serial_number, asset_tag, model, state, grade, hub_id, donation_id, donor_id, ram_gb, storage_gb, cpu, screen_inches, os, keyboard_layout, charger_included, carrier, data_allowance_gb, plan_ends_on, missing_accessories, created_at, updated_at, locked_reason, weight_kg),
        cols!(device_events: id, device_id, at, actor_id, action, from_state, to_state, details),
        cols!(erasure_records: id, device_id, method, tool, certificate_ref, operator_id, performed_at, technique, tool_version, verification_method, verification_result, media_serial),
        cols!(tracks: code, name, min_ram_gb, min_storage_gb, software, updated_at),
        cols!(students: id, school_id, name, email, preferred_language, track, programme_start, programme_end, hub_id, lacks_laptop, lacks_connectivity, lacks_software, target_group, erased_at, created_at, updated_at),
        cols!(requests: id, student_id, school_id, kind, product, needed_by, travel_ok, state, created_by, created_at, updated_at, closed_at),
        cols!(outbox_messages: id, recipient, language, template, payload, student_id, state, attempts, next_attempt_at, created_at, sent_at, last_error, claim_id, lease_until, dedupe_key, secret, secret_expires_at),
        cols!(magic_link_tokens: id, student_id, token_hash, expires_at, used_at, created_at, code_hash, code_failures),
        cols!(access_log: id, at, actor_id, student_id, action, request_id),
        cols!(travel_costs: from_hub_id, to_hub_id, cost, updated_at),
        cols!(allocation_caps: school_id, kind, cap, updated_at),
        cols!(allocations: id, run_id, request_id, device_id, licence_id, state, priority, cost, reason, details, created_by, created_at, decided_by, decided_at),
        cols!(loans: id, allocation_id, request_id, student_id, school_id, kind, product, device_id, licence_id, hub_id, state, due_on, pick_up_by, accessories, missing_accessories, return_condition, extension_state, extension_due_on, extension_reason, extension_answer, agreement_version, accepted_at, handed_over_at, closed_at, created_by, created_at, updated_at, gift_reason, gift_offered_by, gift_offered_at, gift_agreement_version, recalled_at),
        cols!(in_use_rounds: id, opened_after, opened_by, opened_at),
        cols!(in_use_checks: id, round_id, loan_id, school_id, token_hash, answer, note, answered_by, answered_at),
        cols!(loan_events: id, loan_id, at, actor_id, action, details),
        cols!(invitations: id, user_id, token_hash, expires_at, used_at, created_at),
        cols!(password_resets: id, user_id, token_hash, expires_at, used_at, created_at),
        cols!(student_need_changes: id, student_id, actor_id, at, need, lacks),
        cols!(licences: id, product, vendor, seats, seats_in_use, expires_on, licence_key, donation_id, donor_id, created_at, updated_at),
        cols!(class_sets: id, school_id, kind, count, starts_on, ends_on, hub_id, course, course_key, state, agreement_version, accepted_by, accepted_at, handed_over_by, handed_over_at, closed_at, created_by, created_at, updated_at),
        cols!(class_set_loans: id, class_set_id, device_id, state, due_on, accessories, missing_accessories, return_condition, reserved_by, reserved_at, handed_over_at, closed_by, closed_at),
    ]
}
