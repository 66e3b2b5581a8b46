//! A device's life: registering new devices and moving one through its lifecycle, each as
//! one transaction that also writes the history event (and the erasure record of a wipe).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{check_hub, imports};
use crate::domain::csv_file::RowError;
use crate::domain::csv_file::RowLimit;
use crate::domain::device::{
    after_wipe, allowed_actions, transition, DeviceAction, DeviceKind, DeviceState, Grade, IllegalTransition,
    LockReason, SanitisationLevel, Verification, WipeMethod,
};
use crate::domain::device_import::DeviceCsv;
use crate::domain::device_spec::{asset_tag, DeviceSpec};
use crate::domain::BoundedText;
use crate::error::ApiError;
use crate::store::{self, counters, devices, devices::Device, donations, json_list, DbConnection};

/// One step in a device's life. Hand-over and return happen through loans.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum TransitionRequest {
    /// The device arrived at a hub (defaults to the hub it was expected at).
    Receive {
        hub_id: Option<uuid::Uuid>,
        #[schema(max_length = 2000)]
        note: Option<String>,
    },
    /// Data erased. The record is the proof, with the fields of NIST SP 800-88 Rev. 1 §4.7:
    /// level (`method`), technique, tool and version, verification, media serial, certificate.
    /// A `failed` verification records the attempt and leaves the device where it was, to be
    /// wiped again or destroyed.
    Wipe {
        method: WipeMethod,
        /// Certificate or report number from the erasure tool.
        #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
        certificate_ref: String,
        /// The erasure tool, e.g. "Blancco Drive Eraser".
        #[schema(max_length = 200)]
        tool: Option<String>,
        /// The tool's version, e.g. "7.9".
        #[schema(max_length = 100)]
        tool_version: Option<String>,
        /// How: overwrite, block erase, cryptographic erase, … in the tool's words.
        #[schema(max_length = 200)]
        technique: Option<String>,
        /// How the result was checked, e.g. "full verification" or "10% sample".
        #[schema(max_length = 200)]
        verification_method: Option<String>,
        /// Whether that check passed; left out, it is "not recorded".
        verification_result: Option<Verification>,
        /// The drive's own serial number, where known.
        #[schema(max_length = 100)]
        media_serial: Option<String>,
        #[schema(max_length = 2000)]
        note: Option<String>,
    },
    /// Condition graded.
    Grade {
        grade: Grade,
        #[schema(max_length = 2000)]
        note: Option<String>,
    },
    /// Into the pool, ready to lend (or back from a reservation).
    Release {
        #[schema(max_length = 2000)]
        note: Option<String>,
    },
    /// Set aside for a student.
    Reserve {
        #[schema(max_length = 2000)]
        note: Option<String>,
    },
    /// Looked at after a return or a repair. Accessories that were missing and have been
    /// replaced are listed, so the next loan hands them over again.
    Inspect {
        #[schema(schema_with = crate::openapi::lists::accessory_names)]
        accessories_replaced: Option<Vec<String>>,
        #[schema(max_length = 2000)]
        note: Option<String>,
    },
    Repair {
        #[schema(max_length = 2000)]
        note: Option<String>,
    },
    Retire {
        #[schema(max_length = 2000)]
        note: Option<String>,
    },
    MarkLost {
        #[schema(max_length = 2000)]
        note: Option<String>,
    },
    /// A lost device turned up; it starts over at intake.
    Found {
        #[schema(max_length = 2000)]
        note: Option<String>,
    },
    /// Moved to another hub; the state does not change. Only kit promised to nobody.
    Move {
        hub_id: uuid::Uuid,
        #[schema(max_length = 2000)]
        note: Option<String>,
    },
    /// A dongle's data plan was renewed until `plan_ends_on`.
    RenewPlan {
        plan_ends_on: chrono::NaiveDate,
        #[schema(max_length = 2000)]
        note: Option<String>,
    },
    /// Found locked (a firmware password, device management, an activation lock, an account
    /// still signed in): held out of the pool, and the donor is asked by mail to free it.
    MarkLocked {
        reason: LockReason,
        #[schema(max_length = 2000)]
        note: Option<String>,
    },
    /// The lock is gone; the device goes on through intake.
    Unlock {
        #[schema(max_length = 2000)]
        note: Option<String>,
    },
    /// Handed to a certified recycler to be destroyed; their reference is the record.
    Destroy {
        #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
        recycler_ref: String,
        #[schema(max_length = 2000)]
        note: Option<String>,
    },
}

impl TransitionRequest {
    pub fn action(&self) -> DeviceAction {
        match self {
            TransitionRequest::Receive { .. } => DeviceAction::Receive,
            TransitionRequest::Wipe { .. } => DeviceAction::Wipe,
            TransitionRequest::Grade { .. } => DeviceAction::Grade,
            TransitionRequest::Release { .. } => DeviceAction::Release,
            TransitionRequest::Reserve { .. } => DeviceAction::Reserve,
            TransitionRequest::Inspect { .. } => DeviceAction::Inspect,
            TransitionRequest::Repair { .. } => DeviceAction::Repair,
            TransitionRequest::Retire { .. } => DeviceAction::Retire,
            TransitionRequest::MarkLost { .. } => DeviceAction::MarkLost,
            TransitionRequest::Found { .. } => DeviceAction::Found,
            TransitionRequest::Move { .. } => DeviceAction::Move,
            TransitionRequest::RenewPlan { .. } => DeviceAction::RenewPlan,
            TransitionRequest::MarkLocked { .. } => DeviceAction::MarkLocked,
            TransitionRequest::Unlock { .. } => DeviceAction::Unlock,
            TransitionRequest::Destroy { .. } => DeviceAction::Destroy,
        }
    }

    /// Checks the free text, so that what goes into the history is tidy.
    pub fn checked(mut self) -> Result<TransitionRequest, ApiError> {
        // Notes may run over several lines; everything else is one line.
        let tidy = |field: &str, v: &mut Option<String>, max: usize| -> Result<(), ApiError> {
            *v = if field == "note" {
                BoundedText::parse_optional_multiline(field, v.as_deref(), max)?
            } else {
                BoundedText::parse_optional(field, v.as_deref(), max)?
            };
            Ok(())
        };
        match &mut self {
            TransitionRequest::Wipe {
                certificate_ref,
                tool,
                tool_version,
                technique,
                verification_method,
                media_serial,
                note,
                ..
            } => {
                *certificate_ref = BoundedText::parse("certificate_ref", certificate_ref, 200)?.into_inner();
                tidy("tool", tool, 200)?;
                tidy("tool_version", tool_version, 100)?;
                tidy("technique", technique, 200)?;
                tidy("verification_method", verification_method, 200)?;
                tidy("media_serial", media_serial, 100)?;
                tidy("note", note, 2000)?;
            }
            TransitionRequest::Destroy { recycler_ref, note } => {
                *recycler_ref = BoundedText::parse("recycler_ref", recycler_ref, 200)?.into_inner();
                tidy("note", note, 2000)?;
            }
            TransitionRequest::Receive { note, .. }
            | TransitionRequest::Grade { note, .. }
            | TransitionRequest::Release { note }
            | TransitionRequest::Reserve { note }
            | TransitionRequest::Inspect { note, .. }
            | TransitionRequest::Move { note, .. }
            | TransitionRequest::RenewPlan { note, .. }
            | TransitionRequest::Repair { note }
            | TransitionRequest::Retire { note }
            | TransitionRequest::MarkLost { note }
            | TransitionRequest::Found { note }
            | TransitionRequest::MarkLocked { note, .. }
            | TransitionRequest::Unlock { note } => tidy("note", note, 2000)?,
        }
        Ok(self)
    }
}

pub fn illegal(e: IllegalTransition) -> ApiError {
    ApiError::IllegalTransition {
        state: e.state.as_str().to_owned(),
        action: e.action.as_str().to_owned(),
        allowed_actions: e
            .allowed_actions
            .into_iter()
            .filter(|a| !a.is_loan_action())
            .map(|a| a.as_str().to_owned())
            .collect(),
    }
}

/// Reads a stored device back into domain types; anything unknown means a corrupt row.
pub fn kind_and_state(d: &Device) -> Result<(DeviceKind, DeviceState), ApiError> {
    let kind = DeviceKind::parse(&d.kind).ok_or_else(|| ApiError::internal("unknown device kind stored"))?;
    let state =
        DeviceState::parse(&d.state).ok_or_else(|| ApiError::internal("unknown device state stored"))?;
    Ok((kind, state))
}

/// Applies `request` to device `id` as `actor`, with its history event (and erasure record).
/// An action the current state does not allow, or a concurrent change that got there first,
/// is an illegal transition naming the state the device is in now. Call inside `write_tx`.
pub fn apply(
    conn: &mut DbConnection,
    id: &str,
    actor: &str,
    request: &TransitionRequest,
) -> Result<Device, ApiError> {
    apply_erased_at(conn, id, actor, request, None)
}

/// [`apply`], with the erasure record dated `erased_at` when given: an erasure tool's report is
/// taken in after the tool ran.
pub fn apply_erased_at(
    conn: &mut DbConnection,
    id: &str,
    actor: &str,
    request: &TransitionRequest,
    erased_at: Option<chrono::NaiveDateTime>,
) -> Result<Device, ApiError> {
    let device = devices::find(conn, id)?;
    let hub_id = match request {
        TransitionRequest::Receive { hub_id, .. } => {
            let hub = hub_id
                .map(|h| h.to_string())
                .or_else(|| device.hub_id.clone())
                .ok_or_else(|| ApiError::invalid("hub_id", crate::phrase!("field-hub-required")))?;
            check_hub(conn, "hub_id", &hub)?;
            Some(hub)
        }
        TransitionRequest::Move { hub_id, .. } => {
            let hub = hub_id.to_string();
            check_hub(conn, "hub_id", &hub)?;
            if device.hub_id.as_deref() == Some(hub.as_str()) {
                return Err(ApiError::invalid("hub_id", crate::phrase!("field-same-hub")));
            }
            Some(hub)
        }
        _ => None,
    };
    let plan_ends_on = match request {
        TransitionRequest::RenewPlan { plan_ends_on, .. } => {
            if *plan_ends_on < chrono::Utc::now().date_naive() {
                return Err(ApiError::invalid("plan_ends_on", crate::phrase!("field-today-or-later")));
            }
            Some(*plan_ends_on)
        }
        _ => None,
    };
    let grade = match request {
        TransitionRequest::Grade { grade, .. } => Some(grade.as_str()),
        _ => None,
    };
    let mut details = serde_json::to_value(request).map_err(|e| ApiError::internal(e.to_string()))?;
    if let Some(map) = details.as_object_mut() {
        map.remove("action");
        map.retain(|_, v| !v.is_null());
        if let Some(hub) = &hub_id {
            map.insert("hub_id".into(), serde_json::Value::String(hub.clone()));
        }
    }
    if let Some(map) = details.as_object_mut() {
        if hub_id.is_some() && device.hub_id != hub_id {
            map.insert("from_hub_id".into(), device.hub_id.clone().into());
        }
    }
    let now = store::now();
    let verification = match request {
        TransitionRequest::Wipe { verification_result, .. } => *verification_result,
        _ => None,
    };
    let lock = match request {
        TransitionRequest::MarkLocked { reason, .. } => Some(*reason),
        _ => None,
    };
    let changes = Changes { grade, hub_id: hub_id.as_deref(), plan_ends_on, verification, lock };
    step(conn, &device, Some(actor), request.action(), changes, details, now)?;
    if let TransitionRequest::Inspect { accessories_replaced: Some(replaced), .. } = request {
        let missing: Vec<String> = json_list::parse(&device.missing_accessories)?;
        if let Some(unknown) = replaced.iter().find(|a| !missing.contains(a)) {
            let phrase = match missing.as_slice() {
                [] => crate::phrase!("field-accessory-not-missing-none", item = unknown.as_str()),
                _ => crate::phrase!(
                    "field-accessory-not-missing",
                    item = unknown.as_str(),
                    items = missing.join(", ")
                ),
            };
            return Err(ApiError::invalid("accessories_replaced", phrase));
        }
        let left: Vec<String> = missing.into_iter().filter(|a| !replaced.contains(a)).collect();
        devices::set_missing_accessories(conn, id, &json_list::to_text(&left), now)?;
    }
    if let Some(record) = erasure_record(request, id, actor, erased_at.unwrap_or(now)) {
        devices::insert_erasure(conn, &record)?;
    }
    if let TransitionRequest::MarkLocked { reason, .. } = request {
        crate::notify::messages::device_locked(conn, &device, *reason)?;
    }
    devices::find(conn, id).map_err(ApiError::from)
}

/// The erasure record a step leaves: a wipe's (passed, failed or not checked), or a
/// recycler's destruction, whose certificate is their reference.
fn erasure_record<'a>(
    request: &'a TransitionRequest,
    device_id: &'a str,
    operator_id: &'a str,
    performed_at: chrono::NaiveDateTime,
) -> Option<devices::NewErasureRecord<'a>> {
    let record = |level: SanitisationLevel, certificate_ref: &'a str| devices::NewErasureRecord {
        id: store::new_id(),
        device_id,
        method: level.as_str(),
        tool: None,
        certificate_ref,
        operator_id,
        performed_at,
        technique: None,
        tool_version: None,
        verification_method: None,
        verification_result: None,
        media_serial: None,
    };
    match request {
        TransitionRequest::Wipe {
            method,
            certificate_ref,
            tool,
            tool_version,
            technique,
            verification_method,
            verification_result,
            media_serial,
            ..
        } => Some(devices::NewErasureRecord {
            tool: tool.as_deref(),
            tool_version: tool_version.as_deref(),
            technique: technique.as_deref(),
            verification_method: verification_method.as_deref(),
            verification_result: verification_result.map(Verification::as_str),
            media_serial: media_serial.as_deref(),
            ..record(SanitisationLevel::from(*method), certificate_ref)
        }),
        TransitionRequest::Destroy { recycler_ref, .. } => {
            Some(record(SanitisationLevel::Destroy, recycler_ref))
        }
        _ => None,
    }
}

/// A step staff take through the transitions endpoint. Besides the state machine: a device
/// promised to a student (a proposal or an open loan) is released or lost only through that
/// allocation or loan; and a dongle goes back into the pool only with time left on its data
/// plan. The device, and whether the step brought it into the pool (`workflows::pool` offers
/// it on).
pub fn step_by_staff(
    conn: &mut DbConnection,
    settings: &crate::configuration::Settings,
    id: &str,
    actor: &str,
    request: &TransitionRequest,
    today: chrono::NaiveDate,
) -> Result<(Device, bool), ApiError> {
    let device = devices::find(conn, id)?;
    let (kind, state) = kind_and_state(&device)?;
    let action = request.action();
    if state == DeviceState::Reserved && matches!(action, DeviceAction::Release | DeviceAction::MarkLost) {
        if crate::store::allocations::device_has_proposal(conn, id)? {
            return Err(ApiError::conflict(crate::phrase!("conflict-device-proposed")));
        }
        if crate::store::loans::device_on_open_loan(conn, id)? {
            return Err(ApiError::conflict(crate::phrase!("conflict-device-reserved")));
        }
    }
    if kind == DeviceKind::WifiDongle && action == DeviceAction::Release && state != DeviceState::Reserved {
        let plan =
            crate::domain::loan::check_plan(device.plan_ends_on, today, settings.loans.dongle_min_plan_days);
        if !plan.lendable() {
            let ends = device.plan_ends_on.map_or_else(String::new, |d| d.to_string());
            return Err(ApiError::conflict(crate::phrase!("conflict-plan-ends", day = ends.to_string())));
        }
    }
    let moved = apply(conn, id, actor, request)?;
    let into_pool = moved.state == DeviceState::Available.as_str()
        && matches!(action, DeviceAction::Release | DeviceAction::Move);
    Ok((moved, into_pool))
}

/// A step of the loan flow (hand-over, return), which the transitions endpoint does not take:
/// only loans move a device onto or off a loan.
pub fn apply_loan_action(
    conn: &mut DbConnection,
    id: &str,
    actor: &str,
    action: DeviceAction,
    details: serde_json::Value,
) -> Result<Device, ApiError> {
    let device = devices::find(conn, id)?;
    step(conn, &device, Some(actor), action, Changes::default(), details, store::now())?;
    devices::find(conn, id).map_err(ApiError::from)
}

/// A step the server takes on its own (a lapsed reservation): no one is its actor.
pub fn apply_as_system(
    conn: &mut DbConnection,
    id: &str,
    action: DeviceAction,
    details: serde_json::Value,
) -> Result<Device, ApiError> {
    let device = devices::find(conn, id)?;
    step(conn, &device, None, action, Changes::default(), details, store::now())?;
    devices::find(conn, id).map_err(ApiError::from)
}

/// What a step changes besides the state.
#[derive(Debug, Default, Clone, Copy)]
struct Changes<'a> {
    grade: Option<&'a str>,
    hub_id: Option<&'a str>,
    plan_ends_on: Option<chrono::NaiveDate>,
    /// A wipe's verification: a failed one leaves the device where it was.
    verification: Option<Verification>,
    /// Why the device is locked, when it becomes so.
    lock: Option<LockReason>,
}

/// Checks `action` against the state machine, moves the device with a guarded update and
/// writes the history event.
fn step(
    conn: &mut DbConnection,
    device: &Device,
    actor: Option<&str>,
    action: DeviceAction,
    c: Changes,
    details: serde_json::Value,
    now: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    let (kind, current) = kind_and_state(device)?;
    let next = match action {
        DeviceAction::Wipe => after_wipe(kind, current, c.verification),
        _ => transition(kind, current, action),
    }
    .map_err(illegal)?;
    let locked_reason = match (next, current) {
        (DeviceState::Locked, _) => Some(c.lock.map(LockReason::as_str)),
        (_, DeviceState::Locked) => Some(None),
        _ => None,
    };
    let changes = devices::TransitionChanges {
        state: next.as_str(),
        grade: c.grade,
        hub_id: c.hub_id,
        plan_ends_on: c.plan_ends_on,
        locked_reason,
        updated_at: now,
    };
    if !devices::guarded_transition(conn, &device.id, current.as_str(), &changes)? {
        // Someone else moved it first: answer from the state it is in now.
        let moved = devices::find(conn, &device.id)?;
        let (kind, now_state) = kind_and_state(&moved)?;
        return Err(illegal(IllegalTransition {
            state: now_state,
            action,
            allowed_actions: allowed_actions(kind, now_state),
        }));
    }
    devices::insert_event(
        conn,
        &devices::NewDeviceEvent {
            id: store::new_id(),
            device_id: &device.id,
            at: now,
            actor_id: actor,
            action: action.as_str(),
            from_state: Some(current.as_str()),
            to_state: next.as_str(),
            details: details.to_string(),
        },
    )?;
    Ok(())
}

/// Inserts checked devices as pledged, with asset tags and a first history event each.
pub fn register(
    conn: &mut DbConnection,
    donation: &donations::Donation,
    hub_id: Option<&str>,
    specs: Vec<DeviceSpec>,
    actor: &str,
    source: &str,
) -> Result<Vec<String>, ApiError> {
    let now = store::now();
    let first = counters::take(conn, "asset_tag", specs.len() as i64)?;
    let hub_id = hub_id.map(str::to_owned).or_else(|| donation.expected_hub_id.clone());
    let rows: Vec<devices::NewDevice> = specs
        .into_iter()
        .zip(first..)
        .map(|(spec, n)| devices::NewDevice {
            id: store::new_id(),
            kind: spec.kind.as_str().to_owned(),
            asset_tag: asset_tag(spec.kind, n),
            serial_number: spec.serial_number,
            model: spec.model,
            state: DeviceState::Pledged.as_str().to_owned(),
            hub_id: hub_id.clone(),
            donation_id: donation.id.clone(),
            donor_id: donation.donor_id.clone(),
            ram_gb: spec.ram_gb,
            storage_gb: spec.storage_gb,
            cpu: spec.cpu,
            screen_inches: spec.screen_inches,
            os: spec.os,
            keyboard_layout: spec.keyboard_layout,
            charger_included: spec.charger_included,
            carrier: spec.carrier,
            data_allowance_gb: spec.data_allowance_gb,
            plan_ends_on: spec.plan_ends_on,
            weight_kg: spec.weight_kg,
            created_at: now,
            updated_at: now,
        })
        .collect();
    devices::insert_many(conn, &rows)?;
    let details = serde_json::json!({ "source": source }).to_string();
    let events: Vec<devices::NewDeviceEvent> = rows
        .iter()
        .map(|d| devices::NewDeviceEvent {
            id: store::new_id(),
            device_id: &d.id,
            at: now,
            actor_id: Some(actor),
            action: "register",
            from_state: None,
            to_state: DeviceState::Pledged.as_str(),
            details: details.clone(),
        })
        .collect();
    devices::insert_events(conn, &events)?;
    Ok(rows.into_iter().map(|d| d.id).collect())
}

/// Registers one device in donation `donation_id` (of `scope`'s donor; any for staff), at
/// `hub_id` or the donation's expected hub, in one transaction. A serial already in the pool
/// is a conflict.
pub fn register_one(
    conn: &mut DbConnection,
    donation_id: &str,
    scope: Option<&str>,
    hub_id: Option<&str>,
    spec: DeviceSpec,
    actor: &str,
    source: &str,
) -> Result<Device, ApiError> {
    store::write_tx(conn, |conn| {
        let donation = super::donation_for(conn, donation_id, scope)?;
        if let Some(hub) = hub_id {
            super::check_hub(conn, "hub_id", hub)?;
        }
        let serial = std::slice::from_ref(&spec.serial_number);
        if !devices::existing_serials(conn, spec.kind.as_str(), serial)?.is_empty() {
            return Err(ApiError::conflict(crate::phrase!("conflict-serial")));
        }
        let ids = register(conn, &donation, hub_id, vec![spec], actor, source)?;
        let id = ids.first().ok_or_else(|| ApiError::internal("no device registered"))?;
        devices::find(conn, id).map_err(ApiError::from)
    })
}

/// Imports a device spreadsheet into donation `donation_id` (of `scope`'s donor; any for
/// staff), as [`import_csv`] does.
pub fn import_into(
    conn: &mut DbConnection,
    upload: imports::Upload,
    donation_id: &str,
    scope: Option<&str>,
    hub_id: Option<&str>,
    default_kind: Option<DeviceKind>,
    actor: &str,
) -> Result<(donations::Donation, ImportOutcome), ApiError> {
    let donation = super::donation_for(conn, donation_id, scope)?;
    if let Some(hub) = hub_id {
        super::check_hub(conn, "hub_id", hub)?;
    }
    let outcome = import_csv(conn, upload, &donation, hub_id, default_kind, actor)?;
    Ok((donation, outcome))
}

/// What an import did.
pub struct ImportOutcome {
    pub imported: usize,
    pub ignored_columns: Vec<String>,
}

/// Imports a device spreadsheet (spooled to `upload`, of at most its `max_rows`) into `donation`, all rows or none (see
/// `workflows::imports`): every row is checked first; serials repeated in the file, or
/// already in the pool, are bad rows. Only a good file is then inserted, in one transaction.
pub fn import_csv(
    conn: &mut DbConnection,
    upload: imports::Upload,
    donation: &donations::Donation,
    hub_id: Option<&str>,
    default_kind: Option<DeviceKind>,
    actor: &str,
) -> Result<ImportOutcome, ApiError> {
    let imports::Upload { mut file, max_rows } = upload;
    let input = imports::read_from_start(&mut file)?;
    let rows = imports::checking(conn, |conn| check_import(conn, input, default_kind, max_rows))?;
    if rows == 0 {
        return Err(ApiError::invalid("body", crate::phrase!("field-no-device-rows")));
    }
    let mut reader =
        DeviceCsv::open(imports::read_from_start(&mut file)?, default_kind).map_err(imports::unreadable)?;
    let imported = store::write_tx(conn, |conn| {
        imports::write_in_batches(
            || reader.next_row().map(|row| row.map(|(_, spec)| spec)),
            |batch| Ok(register(conn, donation, hub_id, batch, actor, "import")?.len()),
        )
    })?;
    Ok(ImportOutcome { imported, ignored_columns: reader.ignored_columns })
}

/// Reads and checks every row of a device spreadsheet without writing: the number of rows,
/// or the bad ones.
fn check_import<R: std::io::Read>(
    conn: &mut DbConnection,
    input: R,
    default_kind: Option<DeviceKind>,
    max_rows: usize,
) -> Result<usize, ApiError> {
    let mut reader = DeviceCsv::open(input, default_kind).map_err(imports::unreadable)?;
    let mut limit = RowLimit::new(max_rows);
    let mut bad = imports::BadRows::default();
    let mut first_row: HashMap<(DeviceKind, String), u64> = HashMap::new();
    let mut batch: Vec<(u64, DeviceSpec)> = Vec::with_capacity(imports::BATCH);
    let mut rows = 0;
    loop {
        let next = reader.next_row();
        let at_end = next.is_none();
        if next.is_some() {
            // Past the limit the whole file is refused, and the rest of it not read.
            limit.count().map_err(imports::unreadable)?;
        }
        match next {
            Some(Ok((row, spec))) => match first_row.get(&(spec.kind, spec.serial_number.clone())) {
                Some(first) => bad.push(RowError {
                    row,
                    field: Some("serial_number".into()),
                    message: crate::phrase!(
                        "row-serial-twice",
                        serial = spec.serial_number.as_str(),
                        first = *first
                    ),
                }),
                None => {
                    first_row.insert((spec.kind, spec.serial_number.clone()), row);
                    batch.push((row, spec));
                }
            },
            Some(Err(errors)) => bad.extend(errors),
            None => {}
        }
        if batch.len() >= imports::BATCH || (at_end && !batch.is_empty()) {
            for kind in DeviceKind::ALL {
                let serials: Vec<String> = batch
                    .iter()
                    .filter(|(_, s)| s.kind == *kind)
                    .map(|(_, s)| s.serial_number.clone())
                    .collect();
                for serial in devices::existing_serials(conn, kind.as_str(), &serials)? {
                    if let Some((row, _)) =
                        batch.iter().find(|(_, s)| s.kind == *kind && s.serial_number == serial)
                    {
                        bad.push(RowError {
                            row: *row,
                            field: Some("serial_number".into()),
                            message: crate::phrase!("row-serial-in-pool", serial = serial.as_str()),
                        });
                    }
                }
            }
            rows += batch.len();
            batch.clear();
        }
        if at_end {
            break;
        }
    }
    bad.into_result()?;
    Ok(rows)
}

/// One step of a device's history as the desk shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DeskEvent {
    pub at: chrono::NaiveDateTime,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    /// What was recorded with the step: erasure method and certificate, grade, hub, note.
    pub details: serde_json::Value,
}

/// A device at the staff's desk: its facts, where it is, its history, and the steps staff may
/// take next (the state machine's, without the loan's own steps, which the counters take).
#[derive(Debug, Clone, Serialize)]
pub struct DeskDevice {
    pub id: String,
    pub asset_tag: String,
    pub kind: String,
    pub model: String,
    pub serial_number: String,
    pub state: String,
    pub grade: Option<String>,
    pub hub: Option<String>,
    pub donor: String,
    pub ram_gb: Option<i32>,
    pub storage_gb: Option<i32>,
    pub plan_ends_on: Option<chrono::NaiveDate>,
    pub missing_accessories: Vec<String>,
    /// Why it is held out of the pool, while it is locked.
    pub locked_reason: Option<String>,
    pub actions: Vec<DeviceAction>,
    pub history: Vec<DeskEvent>,
    /// While it is on a student's loan: whether it may be given to them, at the programme's end.
    pub gift: Option<DeskGift>,
}

/// A gift of the device on loan, as the desk shows it (never who holds it).
#[derive(Debug, Clone, Serialize)]
pub struct DeskGift {
    pub loan_id: String,
    /// The donation allows gifts.
    pub allowed: bool,
    /// A gift was offered; the student has not answered yet.
    pub offered: bool,
    pub reason: Option<String>,
}

/// Device `id` as the desk shows it, or 404.
pub fn desk(conn: &mut DbConnection, id: &str) -> Result<DeskDevice, ApiError> {
    let d = devices::find(conn, id)?;
    let (kind, state) = kind_and_state(&d)?;
    let hub = match &d.hub_id {
        Some(hub) => Some(store::hubs::find(conn, hub)?.name),
        None => None,
    };
    let donor = store::organisations::find(conn, &d.donor_id)?.name;
    let history = devices::history(conn, id)?
        .into_iter()
        .map(|e| DeskEvent {
            at: e.at,
            action: e.action,
            from_state: e.from_state,
            to_state: e.to_state,
            details: serde_json::from_str(&e.details).unwrap_or_else(|_| serde_json::json!({})),
        })
        .collect();
    let actions = allowed_actions(kind, state).into_iter().filter(|a| !a.is_loan_action()).collect();
    let filter = store::loans::LoanFilter {
        state: Some("active".into()),
        device_id: Some(d.id.clone()),
        ..Default::default()
    };
    let on_loan = store::loans::list(conn, &store::loans::LoanScope::default(), &filter, None, 1)?;
    let gift = match on_loan.into_iter().next() {
        Some(l) => Some(DeskGift {
            allowed: donations::find(conn, &d.donation_id)?.gifts_allowed,
            offered: l.gift_offered_at.is_some(),
            reason: l.gift_reason,
            loan_id: l.id,
        }),
        None => None,
    };
    Ok(DeskDevice {
        gift,
        missing_accessories: json_list::parse(&d.missing_accessories)?,
        id: d.id,
        asset_tag: d.asset_tag,
        kind: d.kind,
        model: d.model,
        serial_number: d.serial_number,
        state: d.state,
        grade: d.grade,
        hub,
        donor,
        ram_gb: d.ram_gb,
        storage_gb: d.storage_gb,
        plan_ends_on: d.plan_ends_on,
        locked_reason: d.locked_reason,
        actions,
        history,
    })
}

/// The devices whose asset tag or serial number is `code` (any case, as a scanner types it).
pub fn find_by_code(conn: &mut DbConnection, code: &str) -> Result<Vec<Device>, ApiError> {
    let code = code.trim().to_uppercase();
    if code.is_empty() {
        return Ok(Vec::new());
    }
    let filter = devices::DeviceFilter { q: Some(code), ..Default::default() };
    Ok(devices::list(conn, &filter, None, 20)?)
}
