//! The matching solver: which available kit goes to which pending request. Pure: an
//! [`Instance`] in, an [`Outcome`] out, no I/O.
//!
//! Policy. A pair (item, request) is eligible when the kinds agree; a laptop meets the
//! request's minimum RAM and storage; a licence is the product asked for (and has free seats);
//! and for physical kit the hubs agree, or differ with a known travel cost and the request
//! allows travel. Its cost is `hub cost + grade cost + waste_cost_per_gb × (ram − min_ram)`.
//! The objective is lexicographic: serve the requests with the largest total priority; among
//! those, the smallest total cost. Each item (or licence seat) and each request at most once;
//! per group (school) and kind at most its cap.
//!
//! Method. Interchangeable items fall into classes (kind, hub, grade, RAM, storage, product)
//! and interchangeable requests into classes (kind, hub, travel, minimums, product, group).
//! On those classes the problem is a min-cost flow, solved exactly by `eo-mcf` (cost-scaling
//! push-relabel, integer arithmetic):
//!
//! ```text
//! source → item class (capacity: items or seats) → request class (eligible pairs, cost: pair cost)
//!        → [group node, capacity: cap] → sink     (one arc per priority value, cost: −priority × M)
//! source → sink (unserved capacity, cost 0)
//! ```
//! `M` exceeds any possible total pair cost, so priority always wins over cost. Concrete items
//! then go to concrete requests: highest priority first, the oldest (smallest id) among equals,
//! items in id order: the same input gives the same output.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::device::Grade;
use super::phrase::Phrase;

/// What kind of thing is lent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Laptop,
    WifiDongle,
    Licence,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Laptop => "laptop",
            ItemKind::WifiDongle => "wifi_dongle",
            ItemKind::Licence => "licence",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MatchSettings {
    /// Cost of lending a device of each grade (a worse grade costs more, so the best kit goes first).
    pub grade_cost: BTreeMap<Grade, i64>,
    /// Cost per GB of RAM above what the request needs.
    pub waste_cost_per_gb: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HubCost {
    pub from: String,
    pub to: String,
    pub cost: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub kind: ItemKind,
    /// Devices only.
    pub hub: Option<String>,
    pub grade: Option<Grade>,
    pub ram_gb: Option<i64>,
    pub storage_gb: Option<i64>,
    /// Licences only.
    pub product: Option<String>,
    /// Licences only: free seats.
    pub seats: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub id: String,
    pub kind: ItemKind,
    pub hub: Option<String>,
    #[serde(default)]
    pub travel_ok: bool,
    pub priority: i64,
    #[serde(default)]
    pub min_ram_gb: i64,
    #[serde(default)]
    pub min_storage_gb: i64,
    pub product: Option<String>,
    pub group: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GroupCap {
    pub group: String,
    pub kind: ItemKind,
    pub cap: i64,
}

/// One matching problem. This is also the input format of `devicepool match`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    pub settings: MatchSettings,
    #[serde(default)]
    pub hub_costs: Vec<HubCost>,
    pub items: Vec<Item>,
    pub requests: Vec<Request>,
    #[serde(default)]
    pub group_caps: Vec<GroupCap>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub request: String,
    pub item: String,
    pub cost: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unserved {
    pub request: String,
    pub reason: Unmet,
}

/// Why a request stays unserved; `phrase` says it to a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum Unmet {
    /// The student has no hub, so no device can be placed (the school can set one).
    NoHub,
    NoLaptop {
        ram_gb: i64,
        storage_gb: i64,
    },
    NoDongle,
    NoSeat {
        product: String,
    },
    /// The school's cap on open allocations of this kind is reached.
    ShareInUse {
        kind: ItemKind,
        cap: i64,
    },
    /// Suitable kit exists, but all of it went to requests with a higher priority.
    Outranked,
}

impl Unmet {
    pub fn phrase(&self) -> Phrase {
        match self {
            Unmet::NoHub => crate::phrase!("match-unserved-no-hub"),
            Unmet::NoLaptop { ram_gb, storage_gb } => {
                crate::phrase!("match-unserved-no-laptop", ram = *ram_gb, storage = *storage_gb)
            }
            Unmet::NoDongle => crate::phrase!("match-unserved-no-dongle"),
            Unmet::NoSeat { product } => crate::phrase!("match-unserved-no-seat", product = product.as_str()),
            Unmet::ShareInUse { kind, cap } => {
                crate::phrase!("match-unserved-share", kind = kind.as_str(), cap = *cap)
            }
            Unmet::Outranked => crate::phrase!("match-unserved-outranked"),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objective {
    pub served: i64,
    pub total_priority: i64,
    pub total_cost: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub assignments: Vec<Assignment>,
    pub unserved: Vec<Unserved>,
    pub objective: Objective,
}

/// An instance that cannot be solved as given; the message names the place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MatchError(pub String);

impl Instance {
    /// Checks what the types cannot: every message names the offending entry.
    pub fn validate(&self) -> Result<(), MatchError> {
        let err = |m: String| Err(MatchError(m));
        for (grade, cost) in &self.settings.grade_cost {
            if *cost < 0 {
                return err(format!("settings.grade_cost.{}: must not be negative", grade.as_str()));
            }
        }
        if self.settings.waste_cost_per_gb < 0 {
            return err("settings.waste_cost_per_gb: must not be negative".into());
        }
        for (i, h) in self.hub_costs.iter().enumerate() {
            if h.cost < 0 {
                return err(format!("hub_costs[{i}].cost: must not be negative"));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (i, it) in self.items.iter().enumerate() {
            if !seen.insert(it.id.as_str()) {
                return err(format!("items[{i}].id: {} appears twice", it.id));
            }
            match it.kind {
                ItemKind::Licence => {
                    if it.product.is_none() {
                        return err(format!("items[{i}].product: a licence needs a product"));
                    }
                    match it.seats {
                        Some(s) if s >= 0 => {}
                        Some(_) => return err(format!("items[{i}].seats: must not be negative")),
                        None => return err(format!("items[{i}].seats: a licence needs seats")),
                    }
                }
                ItemKind::Laptop | ItemKind::WifiDongle => {
                    if it.hub.is_none() {
                        return err(format!("items[{i}].hub: a device needs a hub"));
                    }
                    match it.grade {
                        Some(g) if self.settings.grade_cost.contains_key(&g) => {}
                        Some(g) => {
                            return err(format!(
                                "items[{i}].grade: settings.grade_cost has no {}",
                                g.as_str()
                            ))
                        }
                        None => return err(format!("items[{i}].grade: a device needs a grade")),
                    }
                    if it.kind == ItemKind::Laptop && (it.ram_gb.is_none() || it.storage_gb.is_none()) {
                        return err(format!("items[{i}]: a laptop needs ram_gb and storage_gb"));
                    }
                    if it.ram_gb.is_some_and(|v| v < 0) || it.storage_gb.is_some_and(|v| v < 0) {
                        return err(format!("items[{i}]: ram_gb and storage_gb must not be negative"));
                    }
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (i, r) in self.requests.iter().enumerate() {
            if !seen.insert(r.id.as_str()) {
                return err(format!("requests[{i}].id: {} appears twice", r.id));
            }
            if !(0..=1_000_000).contains(&r.priority) {
                return err(format!("requests[{i}].priority: must be between 0 and 1000000"));
            }
            if r.min_ram_gb < 0 || r.min_storage_gb < 0 {
                return err(format!("requests[{i}]: minimums must not be negative"));
            }
            match r.kind {
                ItemKind::Licence if r.product.is_none() => {
                    return err(format!("requests[{i}].product: a licence request needs a product"));
                }
                ItemKind::Laptop | ItemKind::WifiDongle if r.hub.is_none() => {
                    return err(format!("requests[{i}].hub: a device request needs a hub"));
                }
                _ => {}
            }
        }
        for (i, c) in self.group_caps.iter().enumerate() {
            if c.cap < 0 {
                return err(format!("group_caps[{i}].cap: must not be negative"));
            }
        }
        Ok(())
    }

    fn hub_cost(&self, from: &str, to: &str) -> Option<i64> {
        if from == to {
            return Some(0);
        }
        self.hub_costs
            .iter()
            .find(|h| (h.from == from && h.to == to) || (h.from == to && h.to == from))
            .map(|h| h.cost)
    }
}

/// What a pair's cost is made of, to explain a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CostTerms {
    /// Travel cost between the kit's hub and the student's (0 at the student's hub).
    pub travel: i64,
    pub grade: i64,
    /// Cost of RAM above what the student's track needs.
    pub waste: i64,
    pub total: i64,
}

/// The cost of lending `item` to `request`, or `None` if the pair is not eligible.
pub fn pair_cost(inst: &Instance, item: &Item, request: &Request) -> Option<i64> {
    pair_cost_terms(inst, item, request).map(|t| t.total)
}

/// The terms of [`pair_cost`].
pub fn pair_cost_terms(inst: &Instance, item: &Item, request: &Request) -> Option<CostTerms> {
    if item.kind != request.kind {
        return None;
    }
    match item.kind {
        ItemKind::Licence => (item.product == request.product && item.seats.unwrap_or(0) > 0)
            .then_some(CostTerms { travel: 0, grade: 0, waste: 0, total: 0 }),
        ItemKind::Laptop | ItemKind::WifiDongle => {
            let (item_hub, request_hub) = (item.hub.as_deref()?, request.hub.as_deref()?);
            let travel = if item_hub == request_hub {
                0
            } else if request.travel_ok {
                inst.hub_cost(item_hub, request_hub)?
            } else {
                return None;
            };
            let grade = *inst.settings.grade_cost.get(&item.grade?)?;
            let waste = if item.kind == ItemKind::Laptop {
                let (ram, storage) = (item.ram_gb?, item.storage_gb?);
                if ram < request.min_ram_gb || storage < request.min_storage_gb {
                    return None;
                }
                inst.settings.waste_cost_per_gb * (ram - request.min_ram_gb)
            } else {
                0
            };
            Some(CostTerms { travel, grade, waste, total: travel + grade + waste })
        }
    }
}

/// Items that are interchangeable: same kind, place, grade, specification and product.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct ItemClass {
    kind: ItemKind,
    hub: Option<String>,
    grade: Option<Grade>,
    ram: Option<i64>,
    storage: Option<i64>,
    product: Option<String>,
}

/// Requests that are interchangeable but for their priority.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct RequestClass {
    kind: ItemKind,
    hub: Option<String>,
    travel_ok: bool,
    min_ram: i64,
    min_storage: i64,
    product: Option<String>,
    group: Option<String>,
}

fn item_class(i: &Item) -> ItemClass {
    ItemClass {
        kind: i.kind,
        hub: i.hub.clone(),
        grade: i.grade,
        ram: i.ram_gb,
        storage: i.storage_gb,
        product: i.product.clone(),
    }
}

/// A request's class. Its group counts only where the group has a cap: elsewhere requests of
/// different schools are interchangeable, and merging them keeps the network small.
fn request_class(r: &Request, caps: &HashMap<(String, ItemKind), i64>) -> RequestClass {
    let group = r.group.clone().filter(|g| caps.contains_key(&(g.clone(), r.kind)));
    RequestClass {
        kind: r.kind,
        hub: r.hub.clone(),
        travel_ok: r.travel_ok,
        min_ram: r.min_ram_gb,
        min_storage: r.min_storage_gb,
        product: r.product.clone(),
        group,
    }
}

fn capacity(i: &Item) -> i64 {
    match i.kind {
        ItemKind::Licence => i.seats.unwrap_or(0),
        _ => 1,
    }
}

/// Requests in serving order: highest priority first, then the oldest (smallest id).
fn serving_order(a: &Request, b: &Request) -> std::cmp::Ordering {
    b.priority.cmp(&a.priority).then_with(|| a.id.cmp(&b.id))
}

/// Items grouped by class, each class in id order, with its representative.
fn classes_of_items(inst: &Instance) -> BTreeMap<ItemClass, Vec<&Item>> {
    let mut classes: BTreeMap<ItemClass, Vec<&Item>> = BTreeMap::new();
    for it in inst.items.iter().filter(|i| capacity(i) > 0) {
        classes.entry(item_class(it)).or_default().push(it);
    }
    for items in classes.values_mut() {
        items.sort_by(|a, b| a.id.cmp(&b.id));
    }
    classes
}

fn classes_of_requests<'a>(
    inst: &'a Instance,
    caps: &HashMap<(String, ItemKind), i64>,
) -> BTreeMap<RequestClass, Vec<&'a Request>> {
    let mut classes: BTreeMap<RequestClass, Vec<&Request>> = BTreeMap::new();
    for r in &inst.requests {
        classes.entry(request_class(r, caps)).or_default().push(r);
    }
    for requests in classes.values_mut() {
        requests.sort_by(|a, b| serving_order(a, b));
    }
    classes
}

fn caps(inst: &Instance) -> HashMap<(String, ItemKind), i64> {
    let mut caps = HashMap::new();
    for c in &inst.group_caps {
        let slot = caps.entry((c.group.clone(), c.kind)).or_insert(c.cap);
        *slot = (*slot).min(c.cap);
    }
    caps
}

/// The exact optimum.
pub fn solve(inst: &Instance) -> Result<Outcome, MatchError> {
    inst.validate()?;
    let item_classes = classes_of_items(inst);
    let caps = caps(inst);
    let request_classes = classes_of_requests(inst, &caps);

    // Node numbering: source, sink, item classes, request classes, group nodes.
    let (source, sink) = (0usize, 1usize);
    let item_nodes: Vec<(&ItemClass, &Vec<&Item>, usize)> =
        item_classes.iter().enumerate().map(|(i, (c, items))| (c, items, 2 + i)).collect();
    let request_base = 2 + item_nodes.len();
    let request_nodes: Vec<(&RequestClass, &Vec<&Request>, usize)> =
        request_classes.iter().enumerate().map(|(i, (c, reqs))| (c, reqs, request_base + i)).collect();
    let mut group_nodes: BTreeMap<(String, ItemKind), usize> = BTreeMap::new();
    let mut next = request_base + request_nodes.len();
    for (class, _, _) in &request_nodes {
        if let Some(group) = &class.group {
            if caps.contains_key(&(group.clone(), class.kind)) {
                group_nodes.entry((group.clone(), class.kind)).or_insert_with(|| {
                    next += 1;
                    next - 1
                });
            }
        }
    }

    // Class pairs and their costs.
    let mut pairs: Vec<(usize, usize, i64, i64)> = Vec::new(); // (item idx, request idx, cap, cost)
    let mut max_pair_cost = 0i64;
    for (ii, (_, items, _)) in item_nodes.iter().enumerate() {
        let supply: i64 = items.iter().map(|i| capacity(i)).sum();
        for (ri, (_, reqs, _)) in request_nodes.iter().enumerate() {
            if let Some(cost) = pair_cost(inst, items[0], reqs[0]) {
                pairs.push((ii, ri, supply.min(reqs.len() as i64), cost));
                max_pair_cost = max_pair_cost.max(cost);
            }
        }
    }
    let total_supply: i64 =
        item_nodes.iter().map(|(_, items, _)| items.iter().map(|i| capacity(i)).sum::<i64>()).sum();
    let most_served = total_supply.min(inst.requests.len() as i64);
    // Priority must always outweigh cost: M is more than any total pair cost can be.
    let big_m = max_pair_cost
        .checked_mul(most_served)
        .and_then(|v| v.checked_add(1))
        .ok_or_else(|| MatchError("the costs are too large to solve exactly".into()))?;

    let mut builder = eo_mcf::Problem::builder(next).supply(source, total_supply).supply(sink, -total_supply);
    builder = builder.edge(source, sink, total_supply, 0);
    for (_, items, node) in &item_nodes {
        builder = builder.edge(source, *node, items.iter().map(|i| capacity(i)).sum(), 0);
    }
    let pair_arc_base = 1 + item_nodes.len();
    for (ii, ri, cap, cost) in &pairs {
        builder = builder.edge(item_nodes[*ii].2, request_nodes[*ri].2, *cap, *cost);
    }
    // One arc per distinct priority in a class, so equal requests share an arc. No more of a
    // class can be served than its pairs bring in (or its group's cap allows), and an optimum
    // serves a class's highest priorities first: requests below that line get no arc, which
    // keeps the network small where kit is scarce.
    let mut inflow = vec![0i64; request_nodes.len()];
    for (_, ri, cap, _) in &pairs {
        inflow[*ri] += cap;
    }
    for (ri, (class, reqs, node)) in request_nodes.iter().enumerate() {
        let group = class.group.as_ref().map(|g| (g.clone(), class.kind));
        let target = group.as_ref().and_then(|k| group_nodes.get(k).copied()).unwrap_or(sink);
        let cap = group.as_ref().and_then(|k| caps.get(k).copied());
        let reachable = usize::try_from(cap.map_or(inflow[ri], |c| c.min(inflow[ri]))).unwrap_or(0);
        let mut counts: BTreeMap<std::cmp::Reverse<i64>, i64> = BTreeMap::new();
        for r in reqs.iter().take(reachable) {
            *counts.entry(std::cmp::Reverse(r.priority)).or_default() += 1;
        }
        for (std::cmp::Reverse(p), n) in counts {
            let value = p
                .checked_mul(big_m)
                .ok_or_else(|| MatchError("priorities too large to solve exactly".into()))?;
            builder = builder.edge(*node, target, n, -value);
        }
    }
    for ((group, kind), node) in &group_nodes {
        builder = builder.edge(*node, sink, caps[&(group.clone(), *kind)], 0);
    }
    let problem = builder.build().map_err(|e| MatchError(format!("building the flow network: {e}")))?;
    let solution = eo_mcf::solve(&problem).map_err(|e| MatchError(format!("solving: {e}")))?;
    let flows = solution.flows();

    // How many of each request class are served, and from which item classes.
    let mut served_per_class = vec![0i64; request_nodes.len()];
    let mut incoming: Vec<Vec<(usize, i64)>> = vec![Vec::new(); request_nodes.len()];
    for (k, (ii, ri, _, _)) in pairs.iter().enumerate() {
        let f = flows[pair_arc_base + k];
        if f > 0 {
            served_per_class[*ri] += f;
            incoming[*ri].push((*ii, f));
        }
    }

    // Hand concrete items to concrete requests.
    let mut item_cursor: Vec<(usize, i64)> = vec![(0, 0); item_nodes.len()]; // (item index, seats used)
    let mut assignments = Vec::new();
    for (ri, (_, reqs, _)) in request_nodes.iter().enumerate() {
        let mut queue = reqs.iter().take(served_per_class[ri] as usize);
        for (ii, f) in &incoming[ri] {
            for _ in 0..*f {
                let (Some(req), Some(item)) =
                    (queue.next(), take_item(&item_nodes[*ii].1[..], &mut item_cursor[*ii]))
                else {
                    return Err(MatchError("internal: flow and classes disagree".into()));
                };
                let cost = pair_cost(inst, item, req)
                    .ok_or_else(|| MatchError("internal: ineligible pair in flow".into()))?;
                assignments.push(Assignment { request: req.id.clone(), item: item.id.clone(), cost });
            }
        }
    }
    Ok(finish(inst, assignments))
}

/// The next item of a class to hand out: devices once, licences once per seat.
fn take_item<'a>(items: &[&'a Item], cursor: &mut (usize, i64)) -> Option<&'a Item> {
    while let Some(item) = items.get(cursor.0) {
        if cursor.1 < capacity(item) {
            cursor.1 += 1;
            return Some(item);
        }
        *cursor = (cursor.0 + 1, 0);
    }
    None
}

/// Highest priority first, each taking the cheapest eligible item left (ties: item class
/// order, then item id). A baseline for tests and benchmarks.
pub fn greedy(inst: &Instance) -> Result<Outcome, MatchError> {
    inst.validate()?;
    let item_classes: Vec<(ItemClass, Vec<&Item>)> = classes_of_items(inst).into_iter().collect();
    let mut cursors = vec![(0usize, 0i64); item_classes.len()];
    let mut remaining: Vec<i64> =
        item_classes.iter().map(|(_, items)| items.iter().map(|i| capacity(i)).sum()).collect();
    let mut caps = caps(inst);
    let mut order: Vec<&Request> = inst.requests.iter().collect();
    order.sort_by(|a, b| serving_order(a, b));
    let mut assignments = Vec::new();
    for r in order {
        let cap_key = r.group.clone().map(|g| (g, r.kind));
        if cap_key.as_ref().and_then(|k| caps.get(k)).is_some_and(|c| *c <= 0) {
            continue;
        }
        let best = item_classes
            .iter()
            .enumerate()
            .filter(|(i, _)| remaining[*i] > 0)
            .filter_map(|(i, (_, items))| pair_cost(inst, items[0], r).map(|c| (c, i)))
            .min();
        if let Some((cost, i)) = best {
            let item = take_item(&item_classes[i].1, &mut cursors[i])
                .ok_or_else(|| MatchError("internal: class empty".into()))?;
            remaining[i] -= 1;
            if let Some(c) = cap_key.as_ref().and_then(|k| caps.get_mut(k)) {
                *c -= 1;
            }
            assignments.push(Assignment { request: r.id.clone(), item: item.id.clone(), cost });
        }
    }
    Ok(finish(inst, assignments))
}

/// Sorts the assignments, explains every unserved request and sums the objective.
fn finish(inst: &Instance, mut assignments: Vec<Assignment>) -> Outcome {
    assignments.sort_by(|a, b| a.request.cmp(&b.request));
    let by_id: HashMap<&str, &Request> = inst.requests.iter().map(|r| (r.id.as_str(), r)).collect();
    let served: std::collections::HashSet<&str> = assignments.iter().map(|a| a.request.as_str()).collect();
    let caps = caps(inst);
    let mut used_per_group: HashMap<(String, ItemKind), i64> = HashMap::new();
    for a in &assignments {
        if let Some(g) = by_id.get(a.request.as_str()).and_then(|r| r.group.as_ref().map(|g| (g, r.kind))) {
            *used_per_group.entry((g.0.clone(), g.1)).or_default() += 1;
        }
    }
    // Whether any item could ever serve a request depends only on its class: decide it once
    // per class, against one item of each item class.
    let item_reps: Vec<&Item> =
        classes_of_items(inst).into_values().filter_map(|items| items.first().copied()).collect();
    let mut eligible: HashMap<RequestClass, bool> = HashMap::new();
    let mut unserved: Vec<Unserved> = inst
        .requests
        .iter()
        .filter(|r| !served.contains(r.id.as_str()))
        .map(|r| {
            let any = *eligible
                .entry(request_class(r, &HashMap::new()))
                .or_insert_with(|| item_reps.iter().any(|i| pair_cost(inst, i, r).is_some()));
            Unserved { request: r.id.clone(), reason: reason(r, any, &caps, &used_per_group) }
        })
        .collect();
    unserved.sort_by(|a, b| a.request.cmp(&b.request));
    let objective = Objective {
        served: assignments.len() as i64,
        total_priority: assignments
            .iter()
            .map(|a| by_id.get(a.request.as_str()).map_or(0, |r| r.priority))
            .sum(),
        total_cost: assignments.iter().map(|a| a.cost).sum(),
    };
    Outcome { assignments, unserved, objective }
}

/// Why a request was not served.
fn reason(
    r: &Request,
    any_eligible: bool,
    caps: &HashMap<(String, ItemKind), i64>,
    used: &HashMap<(String, ItemKind), i64>,
) -> Unmet {
    if !any_eligible {
        return match r.kind {
            ItemKind::Laptop => Unmet::NoLaptop { ram_gb: r.min_ram_gb, storage_gb: r.min_storage_gb },
            ItemKind::WifiDongle => Unmet::NoDongle,
            ItemKind::Licence => {
                Unmet::NoSeat { product: r.product.clone().unwrap_or_else(|| "software".to_owned()) }
            }
        };
    }
    if let Some(group) = &r.group {
        let key = (group.clone(), r.kind);
        if let Some(cap) = caps.get(&key) {
            if used.get(&key).copied().unwrap_or(0) >= *cap {
                return Unmet::ShareInUse { kind: r.kind, cap: *cap };
            }
        }
    }
    Unmet::Outranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn example() -> Instance {
        serde_json::from_str(
            r#"{"settings": {"grade_cost": {"A": 0, "B": 2, "C": 5}, "waste_cost_per_gb": 1},
                "hub_costs": [{"from": "north", "to": "west", "cost": 4}],
                "items": [{"id": "d1", "kind": "laptop", "hub": "north", "grade": "A", "ram_gb": 8, "storage_gb": 256},
                          {"id": "w1", "kind": "wifi_dongle", "hub": "west", "grade": "B"},
                          {"id": "l1", "kind": "licence", "product": "figma", "seats": 3}],
                "requests": [{"id": "r1", "kind": "laptop", "hub": "north", "travel_ok": true, "priority": 120,
                              "min_ram_gb": 8, "min_storage_gb": 128},
                             {"id": "r2", "kind": "wifi_dongle", "hub": "north", "travel_ok": false, "priority": 90},
                             {"id": "r3", "kind": "licence", "product": "figma", "priority": 40, "group": "school-a"}],
                "group_caps": [{"group": "school-a", "kind": "licence", "cap": 2}]}"#,
        )
        .expect("the issue's example parses")
    }

    #[test]
    fn the_documented_example_is_solved() {
        let out = solve(&example()).expect("solves");
        assert_eq!(
            out.assignments,
            vec![
                Assignment { request: "r1".into(), item: "d1".into(), cost: 0 },
                Assignment { request: "r3".into(), item: "l1".into(), cost: 0 },
            ]
        );
        assert_eq!(out.unserved, vec![Unserved { request: "r2".into(), reason: Unmet::NoDongle }]);
        assert_eq!(out.objective, Objective { served: 2, total_priority: 160, total_cost: 0 });
    }

    #[test]
    fn priority_beats_cost_and_cost_breaks_ties() {
        let mut inst = example();
        // Two laptops: a 16 GB one (waste 8) and the 8 GB one; two requests needing 8 GB.
        inst.items.push(Item {
            id: "d2".into(),
            kind: ItemKind::Laptop,
            hub: Some("north".into()),
            grade: Some(Grade::A),
            ram_gb: Some(16),
            storage_gb: Some(512),
            product: None,
            seats: None,
        });
        inst.requests.push(Request {
            id: "r4".into(),
            kind: ItemKind::Laptop,
            hub: Some("north".into()),
            travel_ok: false,
            priority: 10,
            min_ram_gb: 16,
            min_storage_gb: 0,
            product: None,
            group: None,
        });
        let out = solve(&inst).expect("solves");
        let item_of = |r: &str| out.assignments.iter().find(|a| a.request == r).map(|a| a.item.clone());
        // r4 needs 16 GB: only d2 fits it, so r1 takes d1 even though d2 is free to any.
        assert_eq!((item_of("r1"), item_of("r4")), (Some("d1".into()), Some("d2".into())));
    }

    #[test]
    fn a_group_cap_is_a_constraint_of_the_optimum() {
        let mut inst = example();
        inst.group_caps[0].cap = 1;
        for (id, p) in [("r5", 50), ("r6", 45)] {
            inst.requests.push(Request {
                id: id.into(),
                kind: ItemKind::Licence,
                hub: None,
                travel_ok: false,
                priority: p,
                min_ram_gb: 0,
                min_storage_gb: 0,
                product: Some("figma".into()),
                group: Some("school-a".into()),
            });
        }
        inst.requests.push(Request {
            id: "r7".into(),
            kind: ItemKind::Licence,
            hub: None,
            travel_ok: false,
            priority: 1,
            min_ram_gb: 0,
            min_storage_gb: 0,
            product: Some("figma".into()),
            group: Some("school-b".into()),
        });
        let out = solve(&inst).expect("solves");
        let licence_requests: Vec<&str> =
            out.assignments.iter().filter(|a| a.item == "l1").map(|a| a.request.as_str()).collect();
        // School A gets one seat (its best request), school B's low-priority request gets another.
        assert_eq!(licence_requests, vec!["r5", "r7"]);
        let r3 = out.unserved.iter().find(|u| u.request == "r3").expect("r3 unserved");
        assert_eq!(r3.reason, Unmet::ShareInUse { kind: ItemKind::Licence, cap: 1 });
    }

    #[test]
    fn bad_instances_name_the_place() {
        let mut inst = example();
        inst.group_caps[0].cap = -1;
        assert_eq!(solve(&inst).map_err(|e| e.0), Err("group_caps[0].cap: must not be negative".into()));
        let mut inst = example();
        inst.items[2].seats = None;
        assert!(solve(&inst).expect_err("invalid").0.starts_with("items[2].seats"));
        assert!(serde_json::from_str::<Instance>(r#"{"settings": {"grade_cost": {}, "waste_cost_per_gb": 0}, "items": [{"id": "x", "kind": "tablet"}], "requests": []}"#).is_err());
    }

    /// The lexicographic optimum by trying every assignment (small instances only).
    fn brute_force(inst: &Instance) -> (i64, i64) {
        fn go(
            inst: &Instance,
            k: usize,
            seats: &mut Vec<i64>,
            caps: &mut HashMap<(String, ItemKind), i64>,
            acc: (i64, i64),
            best: &mut (i64, i64),
        ) {
            if k == inst.requests.len() {
                if acc.0 > best.0 || (acc.0 == best.0 && acc.1 < best.1) {
                    *best = acc;
                }
                return;
            }
            go(inst, k + 1, seats, caps, acc, best);
            let r = &inst.requests[k];
            let key = r.group.clone().map(|g| (g, r.kind));
            if key.as_ref().and_then(|k| caps.get(k)).is_some_and(|c| *c <= 0) {
                return;
            }
            for (i, item) in inst.items.iter().enumerate() {
                if seats[i] <= 0 {
                    continue;
                }
                if let Some(cost) = pair_cost(inst, item, r) {
                    seats[i] -= 1;
                    if let Some(c) = key.as_ref().and_then(|k| caps.get_mut(k)) {
                        *c -= 1;
                    }
                    go(inst, k + 1, seats, caps, (acc.0 + r.priority, acc.1 + cost), best);
                    if let Some(c) = key.as_ref().and_then(|k| caps.get_mut(k)) {
                        *c += 1;
                    }
                    seats[i] += 1;
                }
            }
        }
        let mut seats: Vec<i64> = inst.items.iter().map(capacity).collect();
        let mut caps = caps(inst);
        let mut best = (0, 0);
        go(inst, 0, &mut seats, &mut caps, (0, 0), &mut best);
        best
    }

    fn arb_instance() -> impl Strategy<Value = Instance> {
        let hubs = ["north", "west", "east"];
        let item = (0..3usize, 0..3usize, 0..3usize, 0..3usize, 1..3i64).prop_map(
            move |(kind, hub, grade, tier, seats)| {
                let kind = [ItemKind::Laptop, ItemKind::WifiDongle, ItemKind::Licence][kind];
                let grade = [Grade::A, Grade::B, Grade::C][grade];
                Item {
                    id: String::new(),
                    kind,
                    hub: (kind != ItemKind::Licence).then(|| hubs[hub].to_owned()),
                    grade: (kind != ItemKind::Licence).then_some(grade),
                    ram_gb: (kind == ItemKind::Laptop).then_some([4, 8, 16][tier]),
                    storage_gb: (kind == ItemKind::Laptop).then_some([128, 256, 512][tier]),
                    product: (kind == ItemKind::Licence).then(|| ["figma", "jetbrains"][tier % 2].to_owned()),
                    seats: (kind == ItemKind::Licence).then_some(seats),
                }
            },
        );
        let request = (0..3usize, 0..3usize, any::<bool>(), 0..60i64, 0..3usize, 0..3usize).prop_map(
            move |(kind, hub, travel, priority, tier, group)| {
                let kind = [ItemKind::Laptop, ItemKind::WifiDongle, ItemKind::Licence][kind];
                Request {
                    id: String::new(),
                    kind,
                    hub: (kind != ItemKind::Licence).then(|| hubs[hub].to_owned()),
                    travel_ok: travel,
                    priority: priority * 10,
                    min_ram_gb: if kind == ItemKind::Laptop { [4, 8, 16][tier] } else { 0 },
                    min_storage_gb: if kind == ItemKind::Laptop { [128, 128, 256][tier] } else { 0 },
                    product: (kind == ItemKind::Licence).then(|| ["figma", "jetbrains"][tier % 2].to_owned()),
                    group: (group < 2).then(|| format!("school-{group}")),
                }
            },
        );
        (proptest::collection::vec(item, 0..5), proptest::collection::vec(request, 0..6), 0..3i64).prop_map(
            |(mut items, mut requests, cap)| {
                for (i, it) in items.iter_mut().enumerate() {
                    it.id = format!("i{i}");
                }
                for (i, r) in requests.iter_mut().enumerate() {
                    r.id = format!("r{i}");
                }
                Instance {
                    settings: MatchSettings {
                        grade_cost: [(Grade::A, 0), (Grade::B, 2), (Grade::C, 5)].into(),
                        waste_cost_per_gb: 1,
                    },
                    hub_costs: vec![
                        HubCost { from: "north".into(), to: "west".into(), cost: 4 },
                        HubCost { from: "west".into(), to: "east".into(), cost: 3 },
                    ],
                    items,
                    requests,
                    group_caps: vec![GroupCap { group: "school-0".into(), kind: ItemKind::Laptop, cap }],
                }
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn the_solver_reaches_the_brute_force_optimum_and_never_falls_below_greedy(inst in arb_instance()) {
            let out = solve(&inst).expect("solves");
            let (best_priority, best_cost) = brute_force(&inst);
            prop_assert_eq!((out.objective.total_priority, out.objective.total_cost), (best_priority, best_cost));
            let g = greedy(&inst).expect("greedy");
            prop_assert!(g.objective.total_priority < out.objective.total_priority
                || (g.objective.total_priority == out.objective.total_priority && g.objective.total_cost >= out.objective.total_cost));
        }

        #[test]
        fn every_assignment_is_eligible_and_nothing_is_used_beyond_capacity(inst in arb_instance()) {
            let out = solve(&inst).expect("solves");
            let mut used: HashMap<&str, i64> = HashMap::new();
            let mut per_group: HashMap<(String, ItemKind), i64> = HashMap::new();
            let mut requests_seen = std::collections::HashSet::new();
            for a in &out.assignments {
                let item = inst.items.iter().find(|i| i.id == a.item).expect("item exists");
                let req = inst.requests.iter().find(|r| r.id == a.request).expect("request exists");
                prop_assert_eq!(pair_cost(&inst, item, req), Some(a.cost));
                *used.entry(item.id.as_str()).or_default() += 1;
                prop_assert!(requests_seen.insert(req.id.clone()), "a request served twice");
                if let Some(g) = &req.group {
                    *per_group.entry((g.clone(), req.kind)).or_default() += 1;
                }
            }
            for (id, n) in used {
                let item = inst.items.iter().find(|i| i.id == id).expect("item");
                prop_assert!(n <= capacity(item));
            }
            for c in &inst.group_caps {
                prop_assert!(per_group.get(&(c.group.clone(), c.kind)).copied().unwrap_or(0) <= c.cap);
            }
            prop_assert_eq!(out.assignments.len() + out.unserved.len(), inst.requests.len());
        }

        #[test]
        fn the_same_input_gives_the_same_output(inst in arb_instance()) {
            prop_assert_eq!(solve(&inst).expect("solves"), solve(&inst).expect("solves"));
        }
    }
}
