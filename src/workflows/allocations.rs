//! Allocation runs: read today's pool and queue, solve the matching exactly, and write the
//! proposals; and the staff's decisions on them.
//!
//! A run is one transaction of set-based, guarded updates (device still available, seat still
//! free, request still pending): a concurrent change makes that one proposal drop out, not the
//! whole run, and two runs at once can never reserve one device twice.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::configuration::{LoanSettings, Settings};
use crate::domain::device::{DeviceAction, Grade};
use crate::domain::matching::{
    self, pair_cost_terms, CostTerms, GroupCap, HubCost, Instance, Item, ItemKind, MatchSettings, Unmet,
};
use crate::domain::phrase::Phrase;
use crate::domain::priority::{priority, Priority};
use crate::domain::request::{Lacks, RequestKind};
use crate::domain::student::Language;
use crate::error::ApiError;
use crate::i18n;
use crate::store::{
    self, allocations, devices, hubs, licences, loans, matching as pool, requests, students, tracks,
    DbConnection,
};
use crate::workflows::devices::{apply, TransitionRequest};

/// What a run looks at: which kinds of request, and which hubs (none: all).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub kinds: Vec<RequestKind>,
    pub hub_ids: Option<Vec<String>>,
    /// Only these devices (an offer of one device that came into the pool).
    pub device_ids: Option<Vec<String>>,
    /// Only requests of students at these hubs (those that can reach an offered device).
    pub request_hub_ids: Option<Vec<String>>,
    /// Requests left out (the one whose reservation just lapsed).
    pub exclude_requests: Vec<String>,
}

/// One proposed pair, with everything that explains it.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub request_id: String,
    pub device_id: Option<String>,
    pub licence_id: Option<String>,
    pub priority: Priority,
    pub cost: CostTerms,
    /// Why this pair, as phrases: what, where, and the terms.
    pub reason: Vec<Phrase>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub proposals: Vec<Proposal>,
    pub unserved: Vec<(String, Unmet)>,
    pub objective: matching::Objective,
}

fn item_kind(kind: RequestKind) -> ItemKind {
    match kind {
        RequestKind::Laptop => ItemKind::Laptop,
        RequestKind::Connectivity => ItemKind::WifiDongle,
        RequestKind::Licence => ItemKind::Licence,
    }
}

/// Reads the pool and the queue and solves: nothing is written.
pub fn plan(
    conn: &mut DbConnection,
    settings: &Settings,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Plan, ApiError> {
    let kinds: Vec<RequestKind> =
        if scope.kinds.is_empty() { RequestKind::ALL.to_vec() } else { scope.kinds.clone() };
    let request_kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let device_kinds: Vec<&str> = kinds
        .iter()
        .filter_map(|k| match k {
            RequestKind::Laptop => Some("laptop"),
            RequestKind::Connectivity => Some("wifi_dongle"),
            RequestKind::Licence => None,
        })
        .collect();

    let hub_names: HashMap<String, String> =
        hubs::list(conn, None, 100_000)?.into_iter().map(|h| (h.id, h.name)).collect();
    let track_needs: HashMap<String, (i32, i32)> =
        tracks::all(conn)?.into_iter().map(|t| (t.code, (t.min_ram_gb, t.min_storage_gb))).collect();
    let min_plan_end = today + chrono::Duration::days(settings.loans.dongle_min_plan_days);
    let devices = pool::available_devices(
        conn,
        &device_kinds,
        scope.hub_ids.as_deref(),
        scope.device_ids.as_deref(),
        min_plan_end,
    )?;
    let lendable =
        if kinds.contains(&RequestKind::Licence) { pool::lendable_licences(conn, today)? } else { vec![] };
    let mut pending = pool::pending_requests(conn, &request_kinds, scope.request_hub_ids.as_deref())?;
    pending.retain(|r| !scope.exclude_requests.contains(&r.id));

    let mut unserved: Vec<(String, Unmet)> = Vec::new();
    let mut requests = Vec::new();
    let mut priorities: HashMap<String, Priority> = HashMap::new();
    for r in pending {
        let kind =
            RequestKind::parse(&r.kind).ok_or_else(|| ApiError::internal("unknown request kind stored"))?;
        if kind != RequestKind::Licence {
            match &r.hub_id {
                None => {
                    unserved.push((r.id, Unmet::NoHub));
                    continue;
                }
                Some(hub) if scope.hub_ids.as_ref().is_some_and(|h| !h.contains(hub)) => continue,
                Some(_) => {}
            }
        }
        let lacks =
            Lacks { laptop: r.lacks_laptop, connectivity: r.lacks_connectivity, software: r.lacks_software };
        let p = priority(&settings.priority, r.needed_by, r.created_at.date(), lacks.count(), today);
        let (min_ram, min_storage) = match kind {
            RequestKind::Laptop => track_needs.get(&r.track).copied().unwrap_or((0, 0)),
            _ => (0, 0),
        };
        priorities.insert(r.id.clone(), p);
        requests.push(matching::Request {
            id: r.id,
            kind: item_kind(kind),
            hub: if kind == RequestKind::Licence { None } else { r.hub_id },
            travel_ok: r.travel_ok,
            priority: p.total,
            min_ram_gb: i64::from(min_ram),
            min_storage_gb: i64::from(min_storage),
            product: r.product,
            group: Some(r.school_id),
        });
    }

    let mut items: Vec<Item> = devices
        .into_iter()
        .map(|d| Item {
            kind: if d.1 == "laptop" { ItemKind::Laptop } else { ItemKind::WifiDongle },
            id: d.0,
            hub: d.2,
            grade: d.3.as_deref().and_then(Grade::parse),
            ram_gb: d.4.map(i64::from),
            storage_gb: d.5.map(i64::from),
            product: None,
            seats: None,
        })
        .filter(|i| i.kind != ItemKind::Laptop || (i.ram_gb.is_some() && i.storage_gb.is_some()))
        .collect();
    items.extend(lendable.into_iter().map(|(id, product, free)| Item {
        id,
        kind: ItemKind::Licence,
        hub: None,
        grade: None,
        ram_gb: None,
        storage_gb: None,
        product: Some(product),
        seats: Some(i64::from(free)),
    }));

    let open: HashMap<(String, String), i64> =
        pool::open_allocations_per_school(conn)?.into_iter().map(|(s, k, n)| ((s, k), n)).collect();
    let group_caps = pool::caps(conn)?
        .into_iter()
        .filter_map(|(school, kind, cap)| {
            let kind = RequestKind::parse(&kind)?;
            let used = open.get(&(school.clone(), kind.as_str().to_owned())).copied().unwrap_or(0);
            Some(GroupCap { group: school, kind: item_kind(kind), cap: (i64::from(cap) - used).max(0) })
        })
        .collect();
    let m = &settings.matching;
    let instance = Instance {
        settings: MatchSettings { grade_cost: m.grade_costs(), waste_cost_per_gb: m.waste_cost_per_gb },
        hub_costs: pool::travel_costs(conn)?
            .into_iter()
            .map(|(from, to, cost)| HubCost { from, to, cost: i64::from(cost) })
            .collect(),
        items,
        requests,
        group_caps,
    };
    let outcome = matching::solve(&instance).map_err(|e| ApiError::internal(format!("matching: {e}")))?;

    let items_by_id: HashMap<&str, &Item> = instance.items.iter().map(|i| (i.id.as_str(), i)).collect();
    let requests_by_id: HashMap<&str, &matching::Request> =
        instance.requests.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut proposals = Vec::with_capacity(outcome.assignments.len());
    for a in &outcome.assignments {
        let (Some(item), Some(req)) =
            (items_by_id.get(a.item.as_str()), requests_by_id.get(a.request.as_str()))
        else {
            return Err(ApiError::internal("matching answered with an unknown item or request"));
        };
        let cost = pair_cost_terms(&instance, item, req)
            .ok_or_else(|| ApiError::internal("ineligible pair proposed"))?;
        let p = priorities[&req.id];
        proposals.push(Proposal {
            reason: explain(item, req, &p, &cost, &hub_names),
            request_id: req.id.clone(),
            device_id: (item.kind != ItemKind::Licence).then(|| item.id.clone()),
            licence_id: (item.kind == ItemKind::Licence).then(|| item.id.clone()),
            priority: p,
            cost,
        });
    }
    unserved.extend(outcome.unserved.into_iter().map(|u| (u.request, u.reason)));
    Ok(Plan { proposals, unserved, objective: outcome.objective })
}

/// Why this pair, in phrases: what, where, and the terms of priority and cost.
fn explain(
    item: &Item,
    req: &matching::Request,
    p: &Priority,
    c: &CostTerms,
    hubs: &HashMap<String, String>,
) -> Vec<Phrase> {
    let grade = item.grade.map_or("?", Grade::as_str);
    let mut said = vec![match item.kind {
        ItemKind::Laptop => crate::phrase!("match-laptop", ram = item.ram_gb.unwrap_or(0), grade = grade),
        ItemKind::WifiDongle => crate::phrase!("match-dongle", grade = grade),
        ItemKind::Licence => {
            crate::phrase!("match-seat", product = item.product.as_deref().unwrap_or("software"))
        }
    }];
    match (&item.hub, &req.hub) {
        (Some(i), Some(r)) if i == r => said.push(crate::phrase!("match-own-hub")),
        (Some(i), _) => said
            .push(crate::phrase!("match-other-hub", hub = hubs.get(i).map_or("another hub", String::as_str))),
        _ => {}
    }
    said.push(crate::phrase!(
        "match-terms",
        priority = p.total,
        urgency = p.urgency,
        waiting = p.waiting,
        lacks = p.lacks,
        cost = c.total,
        travel = c.travel,
        grade = c.grade,
        waste = c.waste
    ));
    said
}

/// Writes the plan's proposals as allocations: devices to reserved (with their history
/// events), seats taken, requests to allocated. Every step is a guarded, set-based update, so
/// a proposal whose device, seat or request changed since the plan simply drops out (and what
/// it had taken is given back), while the rest of the run stands. Returns the allocations
/// written. Call inside `write_tx`.
pub fn apply_plan(
    conn: &mut DbConnection,
    plan: &Plan,
    actor: &str,
    today: NaiveDate,
) -> Result<Vec<allocations::Allocation>, ApiError> {
    let run_id = store::new_id();
    let now = store::now();
    // 1. Reserve the devices that are still available.
    let device_ids: Vec<&str> = plan.proposals.iter().filter_map(|p| p.device_id.as_deref()).collect();
    let reserved: HashSet<String> =
        devices::move_many(conn, &device_ids, "available", "reserved", now)?.into_iter().collect();
    // 2. Take licence seats, all of a licence's at once, else as many as are still free.
    let mut seats_wanted: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in &plan.proposals {
        if let Some(licence) = &p.licence_id {
            seats_wanted.entry(licence).or_default().push(&p.request_id);
        }
    }
    let mut seated: HashSet<&str> = HashSet::new();
    for (licence, wanting) in &seats_wanted {
        let n = i32::try_from(wanting.len()).unwrap_or(i32::MAX);
        if licences::take_seats(conn, licence, n, today)? {
            seated.extend(wanting.iter().copied());
        } else {
            for request in wanting {
                if !licences::take_seat(conn, licence, today)? {
                    break;
                }
                seated.insert(request);
            }
        }
    }
    // 3. Allocate the requests whose kit was secured, if they are still pending.
    let secured: Vec<&Proposal> = plan
        .proposals
        .iter()
        .filter(|p| {
            p.device_id.as_ref().is_some_and(|d| reserved.contains(d))
                || seated.contains(p.request_id.as_str())
        })
        .collect();
    let request_ids: Vec<&str> = secured.iter().map(|p| p.request_id.as_str()).collect();
    let allocated: HashSet<String> =
        requests::move_many(conn, &request_ids, "pending", "allocated", now)?.into_iter().collect();
    let (kept, dropped): (Vec<&Proposal>, Vec<&Proposal>) =
        secured.into_iter().partition(|p| allocated.contains(&p.request_id));
    // 4. Give back what the dropped ones took.
    let give_back: Vec<&str> = dropped.iter().filter_map(|p| p.device_id.as_deref()).collect();
    devices::move_many(conn, &give_back, "reserved", "available", now)?;
    for p in &dropped {
        if let Some(licence) = &p.licence_id {
            licences::free_seats(conn, licence, 1)?;
        }
    }
    let left_out = plan.proposals.len() - kept.len();
    if left_out > 0 {
        tracing::info!(left_out, "proposals dropped: their kit or request changed since the plan");
    }
    // 5. The history of each reserved device, and the allocations.
    let notes: Vec<String> = kept
        .iter()
        .map(|p| serde_json::json!({ "note": format!("allocated to request {}", p.request_id) }).to_string())
        .collect();
    let events: Vec<devices::NewDeviceEvent> = kept
        .iter()
        .zip(&notes)
        .filter_map(|(p, note)| {
            p.device_id.as_deref().map(|device| devices::NewDeviceEvent {
                id: store::new_id(),
                device_id: device,
                at: now,
                actor_id: Some(actor),
                action: "reserve",
                from_state: Some("available"),
                to_state: "reserved",
                details: note.clone(),
            })
        })
        .collect();
    devices::insert_events(conn, &events)?;
    let ids: Vec<String> = kept.iter().map(|_| store::new_id()).collect();
    // The reason in English for the API, and as phrases for pages in the reader's language.
    let reasons: Vec<String> = kept.iter().map(|p| i18n::say_all(&p.reason, Language::En)).collect();
    let details: Vec<String> = kept
        .iter()
        .map(|p| {
            serde_json::json!({ "priority": p.priority, "cost": p.cost, "reason": p.reason }).to_string()
        })
        .collect();
    let rows: Vec<allocations::NewAllocation> = kept
        .iter()
        .zip(&ids)
        .zip(&details)
        .zip(&reasons)
        .map(|(((p, id), details), reason)| allocations::NewAllocation {
            id,
            run_id: &run_id,
            request_id: &p.request_id,
            device_id: p.device_id.as_deref(),
            licence_id: p.licence_id.as_deref(),
            state: "proposed",
            priority: i32::try_from(p.priority.total).unwrap_or(i32::MAX),
            cost: i32::try_from(p.cost.total).unwrap_or(i32::MAX),
            reason,
            details,
            created_by: actor,
            created_at: now,
        })
        .collect();
    allocations::insert_many(conn, &rows)?;
    Ok(allocations::list(conn, None, Some(&run_id), None, i64::MAX)?)
}

/// Proposes a device that has just come into the pool (released, back from a lapsed
/// reservation, moved) to the request that should have it, as a run of one device would:
/// the same priorities, eligibility, travel and caps. Staff still confirm. Returns the
/// proposal, if any request can use the device. Call inside `write_tx`.
pub fn offer_device(
    conn: &mut DbConnection,
    settings: &Settings,
    device_id: &str,
    actor: &str,
    today: NaiveDate,
    exclude_request: Option<&str>,
) -> Result<Option<allocations::Allocation>, ApiError> {
    let device = devices::find(conn, device_id)?;
    let kind = match device.kind.as_str() {
        "laptop" => RequestKind::Laptop,
        _ => RequestKind::Connectivity,
    };
    let Some(hub) = device.hub_id.clone() else {
        return Ok(None);
    };
    if device.state != "available" {
        return Ok(None);
    }
    // Students at the device's hub, and at hubs with a travel cost to it (if they can travel).
    let mut reach = vec![hub.clone()];
    for (from, to, _) in pool::travel_costs(conn)? {
        if from == hub {
            reach.push(to);
        } else if to == hub {
            reach.push(from);
        }
    }
    let scope = Scope {
        kinds: vec![kind],
        hub_ids: None,
        device_ids: Some(vec![device_id.to_owned()]),
        request_hub_ids: Some(reach),
        exclude_requests: exclude_request.map(str::to_owned).into_iter().collect(),
    };
    let mut plan = plan(conn, settings, &scope, today)?;
    for p in &mut plan.proposals {
        p.reason.insert(0, crate::phrase!("match-offered"));
    }
    if plan.proposals.is_empty() {
        return Ok(None);
    }
    Ok(apply_plan(conn, &plan, actor, today)?.into_iter().next())
}

/// An allocation run as `actor`: the plan, and (unless `dry_run`) the proposals written. The
/// plan is made inside the write transaction: on SQLite no other writer can change the pool
/// meanwhile; on PostgreSQL the guarded updates catch what changed.
pub fn run(
    conn: &mut DbConnection,
    settings: &Settings,
    scope: &Scope,
    dry_run: bool,
    actor: &str,
    today: NaiveDate,
) -> Result<(Plan, Option<Vec<allocations::Allocation>>), ApiError> {
    if dry_run {
        return Ok((plan(conn, settings, scope, today)?, None));
    }
    store::write_tx(conn, |conn| {
        let plan = plan(conn, settings, scope, today)?;
        let written = apply_plan(conn, &plan, actor, today)?;
        Ok((plan, Some(written)))
    })
}

/// Staff pick one item for one request by hand: a proposal like a run's, with the same
/// guarded writes (the device still available, a seat still free, the request still pending),
/// so of many such picks at once only as many succeed as there is kit. The item must be of
/// the kind (and licence product) asked for; hub, grade, RAM and caps are the staff's call.
pub fn allocate_by_hand(
    conn: &mut DbConnection,
    settings: &Settings,
    request_id: &str,
    item: HandPicked,
    actor: &str,
    today: NaiveDate,
) -> Result<allocations::Allocation, ApiError> {
    let request = requests::find_visible(conn, request_id, None).map_err(|e| match e {
        diesel::result::Error::NotFound => {
            ApiError::invalid("request_id", crate::phrase!("field-no-such-request"))
        }
        e => e.into(),
    })?;
    let kind = RequestKind::parse(&request.kind).ok_or_else(|| ApiError::internal("unknown request kind"))?;
    let (device_id, licence_id) = match (&item, kind) {
        (HandPicked::Device(id), RequestKind::Laptop | RequestKind::Connectivity) => {
            let device = devices::find(conn, id).map_err(|e| match e {
                diesel::result::Error::NotFound => {
                    ApiError::invalid("device_id", crate::phrase!("field-no-such-device"))
                }
                e => e.into(),
            })?;
            let wanted = if kind == RequestKind::Laptop { "laptop" } else { "wifi_dongle" };
            if device.kind != wanted {
                return Err(ApiError::invalid(
                    "device_id",
                    crate::phrase!("field-wrong-device-kind", wanted = wanted, given = device.kind.as_str()),
                ));
            }
            (Some(id.clone()), None)
        }
        (HandPicked::Licence(id), RequestKind::Licence) => {
            let licence = licences::find_visible(conn, id, None).map_err(|e| match e {
                diesel::result::Error::NotFound => {
                    ApiError::invalid("licence_id", crate::phrase!("field-no-such-licence"))
                }
                e => e.into(),
            })?;
            if Some(&licence.product) != request.product.as_ref() {
                return Err(ApiError::invalid(
                    "licence_id",
                    crate::phrase!(
                        "field-wrong-product",
                        wanted = request.product.as_deref().unwrap_or("?"),
                        given = licence.product.as_str()
                    ),
                ));
            }
            (None, Some(id.clone()))
        }
        (HandPicked::Device(_), RequestKind::Licence) => {
            return Err(ApiError::invalid("device_id", crate::phrase!("field-give-licence")))
        }
        (HandPicked::Licence(_), _) => {
            return Err(ApiError::invalid("licence_id", crate::phrase!("field-give-device")))
        }
    };
    if request.state != "pending" {
        return Err(illegal(&request.state, "allocate"));
    }
    let student = students::find(conn, &request.student_id)?;
    let lacks = Lacks {
        laptop: student.lacks_laptop,
        connectivity: student.lacks_connectivity,
        software: student.lacks_software,
    };
    let p = priority(&settings.priority, request.needed_by, request.created_at.date(), lacks.count(), today);
    let proposal = Proposal {
        request_id: request.id.clone(),
        device_id,
        licence_id,
        priority: p,
        cost: CostTerms { travel: 0, grade: 0, waste: 0, total: 0 },
        reason: vec![crate::phrase!("match-by-hand")],
    };
    let plan =
        Plan { proposals: vec![proposal], unserved: vec![], objective: matching::Objective::default() };
    apply_plan(conn, &plan, actor, today)?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::conflict(crate::phrase!("conflict-kit-taken")))
}

/// The item staff pick for a request.
#[derive(Debug, Clone)]
pub enum HandPicked {
    Device(String),
    Licence(String),
}

/// Confirms a proposed allocation and opens its loan (`workflows::loans::open`).
pub fn confirm(
    conn: &mut DbConnection,
    settings: &LoanSettings,
    id: &str,
    actor: &str,
    today: NaiveDate,
) -> Result<loans::Loan, ApiError> {
    let loan = confirm_at_desk(conn, settings, id, actor, today)?;
    crate::notify::messages::about_loan(conn, &loan, "kit_ready", serde_json::json!({}), None)?;
    Ok(loan)
}

/// `confirm` without the "ready" mail, for kit handed over at the desk at once.
pub fn confirm_at_desk(
    conn: &mut DbConnection,
    settings: &LoanSettings,
    id: &str,
    actor: &str,
    today: NaiveDate,
) -> Result<loans::Loan, ApiError> {
    let current = allocations::find(conn, id)?;
    let now = store::now();
    if !allocations::confirm(conn, id, actor, now)? {
        if current.state != "proposed" {
            return Err(illegal(&current.state, "confirm"));
        }
        return Err(ApiError::conflict(crate::phrase!("conflict-request-closed")));
    }
    crate::workflows::loans::open(conn, settings, &current, actor, today)
}

/// Rejects a proposed allocation: the device goes back to the pool (with its history event),
/// the seat is freed, and the request returns to the queue. `actor` is none when the server
/// does it itself (erasing a student at the end of the retention period).
pub fn reject(
    conn: &mut DbConnection,
    id: &str,
    actor: Option<&str>,
) -> Result<allocations::Allocation, ApiError> {
    let current = allocations::find(conn, id)?;
    let now = store::now();
    if !allocations::decide(conn, id, "rejected", actor, now)? {
        return Err(illegal(&current.state, "reject"));
    }
    if let Some(device) = &current.device_id {
        let note = "allocation rejected";
        match actor {
            Some(actor) => {
                apply(conn, device, actor, &TransitionRequest::Release { note: Some(note.into()) })?;
            }
            None => {
                let details = serde_json::json!({ "note": note });
                crate::workflows::devices::apply_as_system(conn, device, DeviceAction::Release, details)?;
            }
        }
    }
    if let Some(licence) = &current.licence_id {
        licences::free_seat(conn, licence)?;
    }
    requests::set_state(conn, &current.request_id, &["allocated"], "pending", now)?;
    Ok(allocations::find(conn, id)?)
}

fn illegal(state: &str, action: &str) -> ApiError {
    ApiError::IllegalTransition {
        state: state.to_owned(),
        action: action.to_owned(),
        allowed_actions: vec![],
    }
}
