//! A matching round as pool staff see it: the plan of a dry run, or the proposals a run wrote,
//! each with who asked, what they get and where, and why; grouped by hub and kind. Staff
//! then confirm or reject proposals one by one or all of a hub at once.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::configuration::Settings;
use crate::domain::phrase::Phrase;
use crate::error::ApiError;
use crate::store::{self, allocations, devices, hubs, licences, organisations, requests, DbConnection};
use crate::workflows::allocations::{confirm, plan, reject, Plan, Scope};

/// One proposed pair.
#[derive(Debug, Clone, Serialize)]
pub struct ProposedLine {
    /// The allocation, once a run wrote it.
    pub allocation_id: Option<String>,
    pub student: String,
    pub school: String,
    /// The device's asset tag and model, or the licence's product.
    pub item: String,
    /// Why, as stored phrases (`i18n::say_stored`), or `fallback` for older rows.
    pub reason: Value,
    pub fallback: String,
}

/// One request left unserved.
#[derive(Debug, Clone, Serialize)]
pub struct UnservedLine {
    pub student: String,
    pub school: String,
    pub reason: Value,
}

/// Lines of one hub (none: licences, which need no hub) and one kind.
#[derive(Debug, Clone, Serialize)]
pub struct Group<T> {
    pub hub_id: Option<String>,
    pub hub: Option<String>,
    pub kind: String,
    pub lines: Vec<T>,
}

/// Lines grouped by hub and kind, hubs by name (licences last), in the order given within.
pub fn grouped<T>(lines: Vec<(Option<String>, Option<String>, String, T)>) -> Vec<Group<T>> {
    let mut groups: Vec<Group<T>> = Vec::new();
    for (hub_id, hub, kind, line) in lines {
        match groups.iter_mut().find(|g| g.hub_id == hub_id && g.kind == kind) {
            Some(g) => g.lines.push(line),
            None => groups.push(Group { hub_id, hub, kind, lines: vec![line] }),
        }
    }
    groups.sort_by(|a, b| (a.hub.is_none(), &a.hub, &a.kind).cmp(&(b.hub.is_none(), &b.hub, &b.kind)));
    groups
}

/// The dry run: the plan with the names behind it. Nothing is written.
#[derive(Debug, Clone, Serialize)]
pub struct RoundView {
    pub proposed: Vec<Group<ProposedLine>>,
    pub unserved: Vec<Group<UnservedLine>>,
    pub served: usize,
}

/// Names of everything the lines point at, read in a few queries.
struct Names {
    asked: HashMap<String, requests::Asker>,
    schools: HashMap<String, String>,
    hubs: HashMap<String, String>,
    devices: HashMap<String, devices::DeviceLabel>,
}

fn names(conn: &mut DbConnection, request_ids: &[String], device_ids: &[String]) -> Result<Names, ApiError> {
    let asked = requests::who_asked(conn, request_ids)?;
    let school_ids: Vec<String> = asked.values().map(|a| a.school_id.clone()).collect();
    let schools = organisations::names(conn, &school_ids)?;
    let hubs = hubs::list(conn, None, 100_000)?.into_iter().map(|h| (h.id, h.name)).collect();
    let devices = devices::labels(conn, device_ids)?;
    Ok(Names { asked, schools, hubs, devices })
}

impl Names {
    /// (student, school, kind, student's hub) of a request.
    fn who(&self, request: &str) -> (String, String, String, Option<String>) {
        match self.asked.get(request) {
            Some(a) => (
                a.student_name.clone(),
                self.schools.get(&a.school_id).cloned().unwrap_or_default(),
                a.kind.clone(),
                a.hub_id.clone(),
            ),
            None => Default::default(),
        }
    }

    fn hub(&self, id: Option<&String>) -> Option<String> {
        id.and_then(|h| self.hubs.get(h).cloned())
    }
}

fn phrases(p: &[Phrase]) -> Value {
    serde_json::to_value(p).unwrap_or(Value::Null)
}

/// What a dry run of `scope` would propose and leave unserved, with names, grouped.
pub fn dry_run(
    conn: &mut DbConnection,
    settings: &Settings,
    scope: &Scope,
    today: NaiveDate,
) -> Result<RoundView, ApiError> {
    let Plan { proposals, unserved, .. } = plan(conn, settings, scope, today)?;
    let mut request_ids: Vec<String> = proposals.iter().map(|p| p.request_id.clone()).collect();
    request_ids.extend(unserved.iter().map(|u| u.0.clone()));
    let device_ids: Vec<String> = proposals.iter().filter_map(|p| p.device_id.clone()).collect();
    let n = names(conn, &request_ids, &device_ids)?;
    let mut lines = Vec::new();
    for p in &proposals {
        let (student, school, kind, _) = n.who(&p.request_id);
        let (item, hub_id) = item_of(conn, &n, p.device_id.as_ref(), p.licence_id.as_ref())?;
        let line = ProposedLine {
            allocation_id: None,
            student,
            school,
            item,
            reason: phrases(&p.reason),
            fallback: String::new(),
        };
        lines.push((hub_id.clone(), n.hub(hub_id.as_ref()), kind, line));
    }
    let served = lines.len();
    let unserved_lines = unserved
        .iter()
        .map(|(request, why)| {
            let (student, school, kind, hub) = n.who(request);
            let hub = hub.filter(|_| kind != "licence");
            let line = UnservedLine { student, school, reason: phrases(&[why.phrase()]) };
            (hub.clone(), n.hub(hub.as_ref()), kind, line)
        })
        .collect();
    Ok(RoundView { proposed: grouped(lines), unserved: grouped(unserved_lines), served })
}

/// The item's label and hub: a device's tag and model at its hub, or a licence's product.
fn item_of(
    conn: &mut DbConnection,
    n: &Names,
    device: Option<&String>,
    licence: Option<&String>,
) -> Result<(String, Option<String>), ApiError> {
    if let Some(d) = device.and_then(|d| n.devices.get(d)) {
        return Ok((format!("{}, {}", d.asset_tag, d.model), d.hub_id.clone()));
    }
    match licence {
        Some(l) => Ok((licences::find_visible(conn, l, None)?.product, None)),
        None => Ok((String::new(), None)),
    }
}

/// Every proposal waiting for a decision, with names, grouped by hub and kind.
pub fn waiting_proposals(conn: &mut DbConnection) -> Result<Vec<Group<ProposedLine>>, ApiError> {
    let waiting = allocations::list(conn, Some("proposed"), None, None, 5_000)?;
    let request_ids: Vec<String> = waiting.iter().map(|a| a.request_id.clone()).collect();
    let device_ids: Vec<String> = waiting.iter().filter_map(|a| a.device_id.clone()).collect();
    let n = names(conn, &request_ids, &device_ids)?;
    let mut lines = Vec::new();
    for a in waiting {
        let (student, school, kind, _) = n.who(&a.request_id);
        let (item, hub_id) = item_of(conn, &n, a.device_id.as_ref(), a.licence_id.as_ref())?;
        let details: Value = serde_json::from_str(&a.details).unwrap_or(Value::Null);
        let line = ProposedLine {
            allocation_id: Some(a.id),
            student,
            school,
            item,
            reason: details["reason"].clone(),
            fallback: a.reason,
        };
        lines.push((hub_id.clone(), n.hub(hub_id.as_ref()), kind, line));
    }
    Ok(grouped(lines))
}

/// How a decision on several proposals went.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Decided {
    pub done: usize,
    /// Proposals that changed meanwhile (decided at another desk, request closed).
    pub skipped: usize,
}

/// Confirms (`true`) or rejects every waiting proposal of one hub (`None`: the licences),
/// each in its own transaction, so one that changed meanwhile does not stop the rest.
pub fn decide_hub(
    conn: &mut DbConnection,
    settings: &Settings,
    hub_id: Option<&str>,
    confirm_them: bool,
    actor: &str,
    today: NaiveDate,
) -> Result<Decided, ApiError> {
    let waiting = allocations::list(conn, Some("proposed"), None, None, 5_000)?;
    let device_ids: Vec<String> = waiting.iter().filter_map(|a| a.device_id.clone()).collect();
    let hubs_of = devices::labels(conn, &device_ids)?;
    let mut decided = Decided::default();
    for a in waiting {
        let hub = a.device_id.as_ref().and_then(|d| hubs_of.get(d)).and_then(|d| d.hub_id.as_deref());
        if hub != hub_id {
            continue;
        }
        let outcome = store::write_tx(conn, |conn| match confirm_them {
            true => confirm(conn, &settings.loans, &a.id, actor, today).map(drop),
            false => reject(conn, &a.id, Some(actor)).map(drop),
        });
        match outcome {
            Ok(()) => decided.done += 1,
            Err(ApiError::Conflict { .. } | ApiError::IllegalTransition { .. }) => decided.skipped += 1,
            Err(e) => return Err(e),
        }
    }
    Ok(decided)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_group_by_hub_and_kind_with_licences_last() {
        let h = |id: &str| (Some(id.to_owned()), Some(format!("Hub {id}")));
        let lines = vec![
            (None, None, "licence".to_owned(), 1),
            (h("b").0, h("b").1, "laptop".to_owned(), 2),
            (h("a").0, h("a").1, "laptop".to_owned(), 3),
            (h("b").0, h("b").1, "laptop".to_owned(), 4),
            (h("a").0, h("a").1, "connectivity".to_owned(), 5),
        ];
        let groups = grouped(lines);
        let shape: Vec<(Option<&str>, &str, Vec<i32>)> =
            groups.iter().map(|g| (g.hub.as_deref(), g.kind.as_str(), g.lines.clone())).collect();
        assert_eq!(
            shape,
            vec![
                (Some("Hub a"), "connectivity", vec![5]),
                (Some("Hub a"), "laptop", vec![3]),
                (Some("Hub b"), "laptop", vec![2, 4]),
                (None, "licence", vec![1]),
            ]
        );
    }
}
