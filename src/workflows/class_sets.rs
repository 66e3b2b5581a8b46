//! Class sets: a school asks for a set of devices for a course; staff offer it (reserving kit
//! no waiting student can take), the school accepts the set agreement, staff hand it over in
//! one step and take it back device by device. Each step is one transaction of guarded
//! updates, so two desks or two instances acting on one set at once act once.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::configuration::Settings;
use crate::domain::class_set::{
    self, all_closed, missing, parse_new, transition, Candidate, ClassSetAction, ClassSetState, SetLimits,
    SetLoanState, Shortfall,
};
use crate::domain::device::{DeviceAction, DeviceKind, Grade};
use crate::domain::loan;
use crate::domain::phrase::Phrase;
use crate::domain::request::RequestKind;
use crate::domain::FieldError;
use crate::error::ApiError;
use crate::notify::messages;
use crate::pagination::{self, Page};
use crate::store::class_sets::{self as sets, ClassSet, SetLoanLine};
use crate::store::{self, devices, json_list, matching as pool_store, stored_id, DbConnection};
use crate::workflows::devices::{apply, apply_loan_action, TransitionRequest};
use crate::workflows::loans::{AtCounter, ReturnCondition};
use crate::workflows::{allocations, check_hub, pool};

/// What a coordinator asks for, as typed (checked by [`create`]).
#[derive(Debug, Clone)]
pub struct AskedSet {
    pub kind: DeviceKind,
    pub count: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hub_id: String,
    pub course: String,
}

/// One device of a set, as the school and staff see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SetDeviceView {
    pub device_id: uuid::Uuid,
    pub asset_tag: String,
    pub model: String,
    /// `reserved` (held for the set), `active` (at the school), `returned`, `lost`, `written_off`.
    pub state: SetLoanState,
    pub due_on: NaiveDate,
    /// What comes with it, by name (`charger`, `bag`, …).
    pub accessories: Vec<String>,
    /// The condition it came back in.
    pub return_condition: Option<String>,
    /// Accessories that did not come back with it.
    pub missing_accessories: Vec<String>,
}

/// A class set with its devices and what is still missing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassSetView {
    pub id: uuid::Uuid,
    pub school_id: uuid::Uuid,
    pub kind: DeviceKind,
    /// How many devices the school asked for.
    pub count: i32,
    /// How many are held for the set or out with it now.
    pub reserved: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hub_id: uuid::Uuid,
    pub course: String,
    pub state: ClassSetState,
    /// The set agreement's version the school accepted.
    pub agreement_version: Option<String>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub handed_over_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub devices: Vec<SetDeviceView>,
    /// Devices still out once some came back or the course is over.
    pub missing: Vec<uuid::Uuid>,
}

fn state_of(s: &str) -> Result<ClassSetState, ApiError> {
    ClassSetState::parse(s).ok_or_else(|| ApiError::internal("unknown class set state stored"))
}

fn loan_state_of(s: &str) -> Result<SetLoanState, ApiError> {
    SetLoanState::parse(s).ok_or_else(|| ApiError::internal("unknown set loan state stored"))
}

fn kind_of(set: &ClassSet) -> Result<DeviceKind, ApiError> {
    DeviceKind::parse(&set.kind).ok_or_else(|| ApiError::internal("unknown class set kind stored"))
}

impl ClassSetView {
    fn of(set: ClassSet, lines: Vec<SetLoanLine>, today: NaiveDate) -> Result<ClassSetView, ApiError> {
        let state = state_of(&set.state)?;
        let states: Vec<(String, SetLoanState)> = lines
            .iter()
            .map(|l| Ok((l.loan.device_id.clone(), loan_state_of(&l.loan.state)?)))
            .collect::<Result<_, ApiError>>()?;
        let missing = missing(state, &states, set.ends_on, today)
            .into_iter()
            .map(stored_id)
            .collect::<Result<Vec<_>, _>>()?;
        let reserved =
            states.iter().filter(|(_, s)| matches!(s, SetLoanState::Reserved | SetLoanState::Active)).count();
        let devices = lines
            .into_iter()
            .map(|l| {
                Ok(SetDeviceView {
                    device_id: stored_id(&l.loan.device_id)?,
                    asset_tag: l.asset_tag,
                    model: l.model,
                    state: loan_state_of(&l.loan.state)?,
                    due_on: l.loan.due_on,
                    accessories: json_list::parse(&l.loan.accessories)?,
                    return_condition: l.loan.return_condition,
                    missing_accessories: json_list::parse(&l.loan.missing_accessories)?,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        Ok(ClassSetView {
            id: stored_id(&set.id)?,
            school_id: stored_id(&set.school_id)?,
            kind: kind_of(&set)?,
            count: set.count,
            reserved: i64::try_from(reserved).unwrap_or(i64::MAX),
            starts_on: set.starts_on,
            ends_on: set.ends_on,
            hub_id: stored_id(&set.hub_id)?,
            course: set.course,
            state,
            agreement_version: set.agreement_version,
            accepted_at: set.accepted_at.map(|t| t.and_utc()),
            handed_over_at: set.handed_over_at.map(|t| t.and_utc()),
            closed_at: set.closed_at.map(|t| t.and_utc()),
            created_at: set.created_at.and_utc(),
            devices,
            missing,
        })
    }
}

fn illegal(e: class_set::IllegalSetStep) -> ApiError {
    ApiError::IllegalTransition {
        state: e.state.as_str().to_owned(),
        action: e.action.as_str().to_owned(),
        allowed_actions: e.allowed_actions.iter().map(|a| a.as_str().to_owned()).collect(),
    }
}

/// The step on `set` as it is now, or 409 naming the state it is in.
fn check(set: &ClassSet, action: ClassSetAction) -> Result<ClassSetState, ApiError> {
    transition(state_of(&set.state)?, action).map_err(illegal)
}

/// The step lost a race (another desk got there first): 409 naming the state the set is in now.
fn lost_race(conn: &mut DbConnection, id: &str, action: ClassSetAction) -> ApiError {
    match sets::find(conn, id).map_err(ApiError::from).and_then(|s| check(&s, action)) {
        Err(e) => e,
        Ok(_) => ApiError::conflict(crate::phrase!("conflict-same-time")),
    }
}

/// The set with its devices, if `school` (none: staff) may see it; another school's is 404.
pub fn view(
    conn: &mut DbConnection,
    school: Option<&str>,
    id: &str,
    today: NaiveDate,
) -> Result<ClassSetView, ApiError> {
    let set = sets::find_visible(conn, id, school)?;
    let lines = sets::lines(conn, &set.id)?;
    ClassSetView::of(set, lines, today)
}

/// A page of sets (one school's, or all for staff) in `states`, with their devices.
pub fn page(
    conn: &mut DbConnection,
    school: Option<&str>,
    states: Option<&[&str]>,
    after: Option<&str>,
    limit: i64,
    today: NaiveDate,
) -> Result<Page<ClassSetView>, ApiError> {
    let rows = sets::page(conn, school, states, after, limit + 1)?;
    let rows = pagination::page(rows, limit, |r| r.id.as_str(), |r| r);
    let items = rows
        .items
        .into_iter()
        .map(|set| {
            let lines = sets::lines(conn, &set.id)?;
            ClassSetView::of(set, lines, today)
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Page { items, next_cursor: rows.next_cursor })
}

/// A school's coordinator asks for a set. Every bad field at once; one open set per school
/// and course name (409).
pub fn create(
    conn: &mut DbConnection,
    settings: &Settings,
    school: &str,
    actor: &str,
    asked: AskedSet,
    today: NaiveDate,
) -> Result<ClassSetView, ApiError> {
    let limits =
        SetLimits { max_count: settings.class_sets.max_count, max_weeks: settings.class_sets.max_weeks };
    let parsed =
        parse_new(asked.kind, asked.count, asked.starts_on, asked.ends_on, &asked.course, limits, today);
    store::write_tx(conn, |conn| {
        let hub_error: Option<FieldError> = match check_hub(conn, "hub_id", &asked.hub_id) {
            Ok(()) => None,
            Err(ApiError::Validation(mut e)) => e.pop(),
            Err(e) => return Err(e),
        };
        let new = match (parsed, hub_error) {
            (Ok(new), None) => new,
            (Ok(_), Some(e)) => return Err(ApiError::Validation(vec![e])),
            (Err(mut errors), hub) => {
                errors.extend(hub);
                errors.sort_by_key(|e| field_order(&e.field));
                return Err(ApiError::Validation(errors));
            }
        };
        let key = class_set::course_key(&new.course);
        let open: Vec<&str> = ClassSetState::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect();
        let same = sets::page(conn, Some(school), Some(&open), None, i64::MAX)?;
        if same.iter().any(|s| s.course_key == key) {
            return Err(ApiError::conflict(crate::phrase!("conflict-open-class-set")));
        }
        let now = store::now();
        let id = store::new_id();
        let set = sets::insert(
            conn,
            &sets::NewClassSet {
                id: &id,
                school_id: school,
                kind: new.kind.as_str(),
                count: new.count,
                starts_on: new.starts_on,
                ends_on: new.ends_on,
                hub_id: &asked.hub_id,
                course: &new.course,
                course_key: &key,
                state: ClassSetState::Requested.as_str(),
                created_by: actor,
                created_at: now,
                updated_at: now,
            },
        )?;
        ClassSetView::of(set, vec![], today)
    })
}

/// The order the request's fields come in, so errors read top to bottom.
fn field_order(field: &str) -> usize {
    ["kind", "count", "starts_on", "ends_on", "hub_id", "course"]
        .iter()
        .position(|f| *f == field)
        .unwrap_or(99)
}

/// What an offer did: the set now, how many it reserved this time, and why not more.
#[derive(Debug, Clone)]
pub struct Offered {
    pub set: ClassSetView,
    pub reserved_now: usize,
    pub reason: Option<Phrase>,
}

/// Staff offer a set (or top it up): reserve up to what it still lacks among the free devices
/// at or near its hub that no waiting student can take. Waiting students come first: the
/// matching plan for those devices and every request that could reach them is made first,
/// and what it gives to a student is left alone. The coordinator is mailed when devices were
/// reserved. One transaction.
pub fn offer(
    conn: &mut DbConnection,
    settings: &Settings,
    id: &str,
    actor: &str,
    today: NaiveDate,
) -> Result<Offered, ApiError> {
    store::write_tx(conn, |conn| {
        let set = sets::find(conn, id)?;
        let next = check(&set, ClassSetAction::Offer)?;
        let kind = kind_of(&set)?;
        let have = sets::lines(conn, &set.id)?.iter().filter(|l| l.loan.state == "reserved").count();
        let want = usize::try_from(set.count).unwrap_or(0).saturating_sub(have);
        let travel = pool_store::travel_costs(conn)?;
        let near = neighbours(std::slice::from_ref(&set.hub_id), &travel);
        // A dongle must have a plan that lasts the course.
        let free = pool_store::available_devices(conn, &[kind.as_str()], Some(&near), None, set.ends_on)?;
        let free_ids: Vec<String> = free.iter().map(|d| d.0.clone()).collect();
        let for_students = students_first(conn, settings, kind, &free_ids, &near, &travel, today)?;
        let candidates: Vec<Candidate> = free
            .into_iter()
            .filter(|d| !for_students.contains(&d.0))
            .filter_map(|d| {
                Some(Candidate { id: d.0, hub: d.2?, grade: d.3.as_deref().and_then(Grade::parse) })
            })
            .collect();
        let grade_cost = settings.matching.grade_costs();
        let picked = class_set::pick(&candidates, &set.hub_id, &travel, &grade_cost, want);
        let reserved = reserve(conn, settings, &set, &picked, actor)?;
        let state = state_of(&set.state)?;
        if reserved > 0 && state != next {
            sets::move_state(conn, &set.id, &[state.as_str()], next.as_str(), store::now())?;
        }
        let kept_for_students = for_students.len().min(want.saturating_sub(reserved));
        let reason = Shortfall { short: want.saturating_sub(reserved), kept_for_students }.phrase();
        let view = view(conn, None, &set.id, today)?;
        if reserved > 0 {
            let extra = serde_json::json!({ "reserved": view.reserved });
            let now_set = sets::find(conn, &set.id)?;
            messages::about_class_set(conn, &now_set, "class_set_offered", extra, None)?;
        }
        Ok(Offered { set: view, reserved_now: reserved, reason })
    })
}

/// The hubs in `hubs` and those a travel cost away from any of them.
fn neighbours(hubs: &[String], travel: &[(String, String, i32)]) -> Vec<String> {
    let mut out: Vec<String> = hubs.to_vec();
    for (a, b, _) in travel {
        for (from, to) in [(a, b), (b, a)] {
            if hubs.contains(from) && !out.contains(to) {
                out.push(to.clone());
            }
        }
    }
    out
}

/// Of the free devices `free` at the hubs `near`, those the matching plan gives to a waiting
/// student: every pending request of the kind at a hub that can reach them is in the plan.
fn students_first(
    conn: &mut DbConnection,
    settings: &Settings,
    kind: DeviceKind,
    free: &[String],
    near: &[String],
    travel: &[(String, String, i32)],
    today: NaiveDate,
) -> Result<HashSet<String>, ApiError> {
    if free.is_empty() {
        return Ok(HashSet::new());
    }
    let scope = allocations::Scope {
        kinds: vec![match kind {
            DeviceKind::Laptop => RequestKind::Laptop,
            DeviceKind::WifiDongle => RequestKind::Connectivity,
        }],
        hub_ids: None,
        device_ids: Some(free.to_vec()),
        request_hub_ids: Some(neighbours(near, travel)),
        exclude_requests: vec![],
    };
    let plan = allocations::plan(conn, settings, &scope, today)?;
    Ok(plan.proposals.into_iter().filter_map(|p| p.device_id).collect())
}

/// Reserves `picked` for the set (those still available), each with its history event and a
/// set loan due on the course's last day; how many it reserved.
fn reserve(
    conn: &mut DbConnection,
    settings: &Settings,
    set: &ClassSet,
    picked: &[String],
    actor: &str,
) -> Result<usize, ApiError> {
    let now = store::now();
    let ids: Vec<&str> = picked.iter().map(String::as_str).collect();
    let moved = devices::move_many(conn, &ids, "available", "reserved", now)?;
    let note =
        serde_json::json!({ "class_set_id": set.id, "note": format!("reserved for class set {}", set.id) })
            .to_string();
    let events: Vec<devices::NewDeviceEvent> = moved
        .iter()
        .map(|device| devices::NewDeviceEvent {
            id: store::new_id(),
            device_id: device,
            at: now,
            actor_id: Some(actor),
            action: DeviceAction::Reserve.as_str(),
            from_state: Some("available"),
            to_state: "reserved",
            details: note.clone(),
        })
        .collect();
    devices::insert_events(conn, &events)?;
    let mut rows = Vec::with_capacity(moved.len());
    for device_id in &moved {
        let device = devices::find(conn, device_id)?;
        let accessories = loan::accessories_to_hand_over(
            settings.loans.checklist(&device.kind),
            &json_list::parse(&device.missing_accessories)?,
        );
        rows.push(sets::NewSetLoan {
            id: store::new_id(),
            class_set_id: &set.id,
            device_id,
            state: SetLoanState::Reserved.as_str(),
            due_on: set.ends_on,
            accessories: json_list::to_text(&accessories),
            missing_accessories: "[]",
            reserved_by: actor,
            reserved_at: now,
        });
    }
    sets::insert_loans(conn, &rows)?;
    Ok(moved.len())
}

/// The school accepts the set agreement of `version` (the current one) for an offered set.
/// Accepting twice keeps the first. The coordinator is told the set is ready to pick up.
pub fn accept(
    conn: &mut DbConnection,
    settings: &Settings,
    school: &str,
    id: &str,
    actor: &str,
    version: &str,
    today: NaiveDate,
) -> Result<ClassSetView, ApiError> {
    if version != settings.class_sets.agreement_version {
        return Err(ApiError::invalid("agreement_version", crate::phrase!("field-agreement-not-current")));
    }
    store::write_tx(conn, |conn| {
        let set = sets::find_visible(conn, id, Some(school))?;
        if set.accepted_at.is_some() {
            return view(conn, Some(school), id, today);
        }
        check(&set, ClassSetAction::Accept)?;
        if !sets::accept(conn, id, version, actor, store::now())? {
            return Err(lost_race(conn, id, ClassSetAction::Accept));
        }
        let accepted = view(conn, Some(school), id, today)?;
        let extra = serde_json::json!({ "reserved": accepted.reserved });
        let now_set = sets::find(conn, id)?;
        messages::about_class_set(
            conn,
            &now_set,
            "class_set_ready",
            extra,
            Some(&format!("set:{id}:ready")),
        )?;
        Ok(accepted)
    })
}

/// Staff hand the set over: every reserved device goes on loan to the school, due on the
/// course's last day. Two desks at once hand it over once (the other gets 409).
pub fn hand_over(
    conn: &mut DbConnection,
    id: &str,
    actor: &str,
    today: NaiveDate,
) -> Result<ClassSetView, ApiError> {
    store::write_tx(conn, |conn| hand_over_in(conn, id, actor, today))
}

/// [`hand_over`] inside the caller's transaction.
fn hand_over_in(
    conn: &mut DbConnection,
    id: &str,
    actor: &str,
    today: NaiveDate,
) -> Result<ClassSetView, ApiError> {
    let set = sets::find(conn, id)?;
    check(&set, ClassSetAction::HandOver)?;
    let now = store::now();
    if !sets::hand_over(conn, id, actor, now)? {
        return Err(lost_race(conn, id, ClassSetAction::HandOver));
    }
    let handed = sets::move_loans(conn, id, "reserved", "active", actor, now)?;
    if handed.is_empty() {
        return Err(ApiError::conflict(crate::phrase!("conflict-class-set-empty")));
    }
    for device in &handed {
        apply_loan_action(
            conn,
            device,
            actor,
            DeviceAction::HandOver,
            serde_json::json!({ "class_set_id": id }),
        )?;
    }
    view(conn, None, id, today)
}

/// The hand-over after a scan session: only when every device held for the set is among the
/// asset tags `scanned` (else 422 naming those not scanned), then as [`hand_over`].
pub fn hand_over_scanned(
    conn: &mut DbConnection,
    id: &str,
    actor: &str,
    scanned: &[String],
    today: NaiveDate,
) -> Result<ClassSetView, ApiError> {
    store::write_tx(conn, |conn| {
        let held = sets::lines(conn, id)?;
        let not_scanned: Vec<&str> = held
            .iter()
            .filter(|l| l.loan.state == SetLoanState::Reserved.as_str() && !scanned.contains(&l.asset_tag))
            .map(|l| l.asset_tag.as_str())
            .collect();
        if !not_scanned.is_empty() {
            let tags = not_scanned.join(", ");
            return Err(ApiError::invalid("code", crate::phrase!("class-set-scan-all", tags = tags)));
        }
        hand_over_in(conn, id, actor, today)
    })
}

/// One device of a set back at the counter.
#[derive(Debug, Clone)]
pub struct SetReturn {
    pub device_id: String,
    pub condition: ReturnCondition,
    pub accessories_returned: Option<Vec<String>>,
}

/// Staff take devices of a set back, part or all, in one transaction: each set loan closed as
/// returned (missing accessories noted on it and the device), each device returned and put in
/// inspection. A device not out with this set is refused, naming its item. When every device
/// is back (or lost or written off) the set is returned; else the coordinator is told what is
/// still missing.
pub fn take_back(
    conn: &mut DbConnection,
    id: &str,
    actor: &str,
    items: &[SetReturn],
    today: NaiveDate,
) -> Result<ClassSetView, ApiError> {
    store::write_tx(conn, |conn| {
        let set = sets::find(conn, id)?;
        check(&set, ClassSetAction::Return)?;
        let mut errors = Vec::new();
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let field = format!("items[{i}].device_id");
            if !seen.insert(item.device_id.as_str()) {
                errors.push(FieldError::new(field, crate::phrase!("field-set-device-twice")));
                continue;
            }
            match sets::active_of_device(conn, id, &item.device_id)? {
                Some(l) => match loan::missing_at_return(
                    &json_list::parse(&l.accessories)?,
                    item.accessories_returned.as_deref(),
                ) {
                    Ok(missing) => found.push((l, item, missing)),
                    Err(e) => {
                        let mut e = FieldError::from(e);
                        e.field = format!("items[{i}].accessories_returned");
                        errors.push(e);
                    }
                },
                None => errors.push(FieldError::new(field, crate::phrase!("field-set-device-not-out"))),
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let now = store::now();
        for (l, item, missing) in &found {
            let missing_text = json_list::to_text(missing);
            if !sets::close_loan(
                conn,
                &l.id,
                "returned",
                Some(item.condition.as_str()),
                &missing_text,
                actor,
                now,
            )? {
                return Err(ApiError::conflict(crate::phrase!("conflict-same-time")));
            }
            let details = serde_json::json!({
                "class_set_id": id, "condition": item.condition, "missing_accessories": missing,
            });
            let device = apply_loan_action(conn, &l.device_id, actor, DeviceAction::Return, details)?;
            if !missing.is_empty() {
                let all = loan::merge_missing(&json_list::parse(&device.missing_accessories)?, missing);
                devices::set_missing_accessories(conn, &l.device_id, &json_list::to_text(&all), now)?;
            }
            let inspect = TransitionRequest::Inspect { accessories_replaced: None, note: None };
            apply(conn, &l.device_id, actor, &inspect)?;
        }
        close_if_all_back(conn, id)?;
        let after = view(conn, None, id, today)?;
        if after.state == ClassSetState::OnLoan && !found.is_empty() {
            let missing: Vec<&str> = after
                .devices
                .iter()
                .filter(|d| d.state == SetLoanState::Active)
                .map(|d| d.asset_tag.as_str())
                .collect();
            let extra = serde_json::json!({ "back": found.len(), "out": missing.len(), "missing": missing });
            messages::about_class_set(conn, &set, "class_set_missing", extra, None)?;
        }
        Ok(after)
    })
}

/// The set is returned once every device of it is back, lost or written off.
fn close_if_all_back(conn: &mut DbConnection, id: &str) -> Result<(), ApiError> {
    let states =
        sets::loan_states(conn, id)?.iter().map(|s| loan_state_of(s)).collect::<Result<Vec<_>, _>>()?;
    if all_closed(&states) {
        sets::move_state(conn, id, &["on_loan"], "returned", store::now())?;
    }
    Ok(())
}

/// How a device of a set ends that will not come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotBack {
    /// Lost or stolen: the device is marked lost (found again, it starts over at intake).
    Lost,
    /// It will not come back: the device is retired.
    WrittenOff,
}

/// Staff close devices of a set on loan that will not come back, in one transaction: each
/// set loan closed as lost or written off, and its device with it. Every device not out with
/// this set is named at once. The set is returned when nothing is out any more.
pub fn not_back(
    conn: &mut DbConnection,
    id: &str,
    actor: &str,
    device_ids: &[String],
    how: NotBack,
    today: NaiveDate,
) -> Result<ClassSetView, ApiError> {
    store::write_tx(conn, |conn| {
        let set = sets::find(conn, id)?;
        check(&set, ClassSetAction::Return)?;
        let mut errors = Vec::new();
        let mut found = Vec::new();
        let mut seen = HashSet::new();
        for (i, device) in device_ids.iter().enumerate() {
            let field = format!("device_ids[{i}]");
            if !seen.insert(device.as_str()) {
                errors.push(FieldError::new(field, crate::phrase!("field-set-device-twice")));
            } else if let Some(l) = sets::active_of_device(conn, id, device)? {
                found.push(l);
            } else {
                errors.push(FieldError::new(field, crate::phrase!("field-set-device-not-out")));
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let (state, action) = match how {
            NotBack::Lost => (SetLoanState::Lost, DeviceAction::ReportLost),
            NotBack::WrittenOff => (SetLoanState::WrittenOff, DeviceAction::WriteOff),
        };
        let now = store::now();
        for l in &found {
            if !sets::close_loan(conn, &l.id, state.as_str(), None, &l.missing_accessories, actor, now)? {
                return Err(ApiError::conflict(crate::phrase!("conflict-same-time")));
            }
            apply_loan_action(conn, &l.device_id, actor, action, serde_json::json!({ "class_set_id": id }))?;
        }
        close_if_all_back(conn, id)?;
        view(conn, None, id, today)
    })
}

/// The school (its own set) or staff cancel a set before the hand-over: its reserved devices
/// go back to the pool, each offered at once to the student who should have it.
pub fn cancel(
    conn: &mut DbConnection,
    settings: &Settings,
    school: Option<&str>,
    id: &str,
    actor: &str,
    today: NaiveDate,
) -> Result<ClassSetView, ApiError> {
    store::write_tx(conn, |conn| {
        let set = sets::find_visible(conn, id, school)?;
        let state = state_of(&set.state)?;
        check(&set, ClassSetAction::Cancel)?;
        let now = store::now();
        if !sets::move_state(conn, id, &[state.as_str()], ClassSetState::Cancelled.as_str(), now)? {
            return Err(lost_race(conn, id, ClassSetAction::Cancel));
        }
        let released = sets::move_loans(conn, id, "reserved", "released", actor, now)?;
        for device in &released {
            let back = TransitionRequest::Release { note: Some(format!("class set {id} cancelled")) };
            apply(conn, device, actor, &back)?;
            pool::came_into_pool(conn, settings, device, actor, today, None)?;
        }
        view(conn, school, id, today)
    })
}

/// Queues the coordinators' reminders due today, once per set and milestone whatever the
/// number of runs or instances: `ending_reminder_days` before the last day, and the day after
/// it (overdue) with the devices still out. How many were queued.
pub fn queue_reminders(
    conn: &mut DbConnection,
    settings: &Settings,
    today: NaiveDate,
) -> Result<usize, ApiError> {
    let until = today + chrono::Duration::days(settings.class_sets.ending_reminder_days);
    let mut queued = 0;
    for set in sets::on_loan_due_by(conn, until)? {
        let out: Vec<String> = sets::lines(conn, &set.id)?
            .into_iter()
            .filter(|l| l.loan.state == SetLoanState::Active.as_str())
            .map(|l| l.asset_tag)
            .collect();
        if out.is_empty() {
            continue;
        }
        let (template, milestone) = if today > set.ends_on {
            ("class_set_overdue", "overdue")
        } else {
            ("class_set_ending", "ending")
        };
        let key = format!("set:{}:{milestone}", set.id);
        let extra = serde_json::json!({ "out": out.len(), "missing": out });
        queued +=
            store::write_tx(conn, |conn| messages::about_class_set(conn, &set, template, extra, Some(&key)))?;
    }
    Ok(queued)
}

/// A set not yet handed over whose course starts within `soon_days`, with how many devices
/// it still lacks: staff's list for today.
#[derive(Debug, Clone)]
pub struct StartingSoon {
    pub set: ClassSet,
    pub held: usize,
    pub short: usize,
}

/// The sets starting within `soon_days` that are not yet on loan, soonest first.
pub fn starting_soon(
    conn: &mut DbConnection,
    soon_days: i64,
    today: NaiveDate,
) -> Result<Vec<StartingSoon>, ApiError> {
    let until = today + chrono::Duration::days(soon_days);
    let rows = sets::starting_by(conn, until)?;
    let ids: Vec<String> = rows.iter().map(|s| s.id.clone()).collect();
    let held: HashMap<String, i64> = sets::open_counts(conn, &ids)?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|set| {
            let held = usize::try_from(held.get(&set.id).copied().unwrap_or(0)).unwrap_or(0);
            let short = usize::try_from(set.count).unwrap_or(0).saturating_sub(held);
            StartingSoon { set, held, short }
        })
        .collect())
}

/// The device whose tag or serial is `code` at the returns counter, if it is out with a class
/// set (`loans::on_loan_by_code` finds students' loans): 404 otherwise.
pub fn out_by_code(conn: &mut DbConnection, code: &str) -> Result<AtCounter, ApiError> {
    for device in crate::workflows::devices::find_by_code(conn, code)? {
        if let Some(l) = sets::open_loan_of_device(conn, &device.id, SetLoanState::Active.as_str())? {
            return Ok(AtCounter {
                accessories: json_list::parse(&l.accessories)?,
                loan_id: l.id,
                device_id: device.id,
                asset_tag: device.asset_tag,
                model: device.model,
                due_on: l.due_on,
                class_set_id: Some(l.class_set_id),
            });
        }
    }
    Err(ApiError::NotFound)
}
