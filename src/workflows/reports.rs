//! The three reports, put together from the store's aggregate queries and the rules in
//! `domain::report`: the pool (staff run it on these numbers), impact (donors show it to their
//! board; small groups of students are suppressed) and a school's own view.
//!
//! Every report is an object of sections: `report` (what it covers) and lists of flat rows,
//! so the same value gives the JSON and, through `render::csv`, the CSV.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::device::DeviceKind;
use crate::domain::environment::{self, FactorSet};
use crate::domain::report::{self, Histogram, KitCount, Period};
use crate::domain::request::RequestKind;
use crate::domain::suppression::Cell;
use crate::domain::{OrganisationKind, Role};
use crate::error::ApiError;
use crate::store::{organisations, reports, DbConnection};

/// What a report covers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportInfo {
    /// `pool`, `impact` or `school`.
    pub name: String,
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period (included).
    pub to: NaiveDate,
    pub generated_at: chrono::DateTime<Utc>,
    /// Impact: figures about fewer students than this are hidden.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_cell_size: Option<i64>,
    /// Impact: the donor reported on; absent for all donors together.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub donor_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub donor: Option<String>,
    /// School report: the school.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub school_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub school: Option<String>,
}

impl ReportInfo {
    fn new(name: &str, period: &Period, now: NaiveDateTime) -> ReportInfo {
        ReportInfo {
            name: name.to_owned(),
            from: period.from,
            to: period.to,
            generated_at: now.and_utc(),
            min_cell_size: None,
            donor_id: None,
            donor: None,
            school_id: None,
            school: None,
        }
    }
}

/// Devices of one kind in one state, grade and hub, now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeviceRow {
    pub kind: String,
    pub state: String,
    pub grade: Option<String>,
    pub hub_id: Option<String>,
    pub hub: Option<String>,
    pub count: i64,
}

/// Licences of one product, now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LicenceRow {
    pub product: String,
    pub licences: i64,
    pub seats: i64,
    pub seats_in_use: i64,
    /// Seats of licences past their end date.
    pub expired_seats: i64,
}

/// How many requests wait now and how long they have waited, in days.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WaitFigures {
    pub waiting: i64,
    pub p50_days: Option<i64>,
    pub p90_days: Option<i64>,
    pub longest_days: Option<i64>,
}

impl WaitFigures {
    fn of(h: &Histogram) -> WaitFigures {
        WaitFigures {
            waiting: h.values().sum(),
            p50_days: report::percentile(h, 50),
            p90_days: report::percentile(h, 90),
            longest_days: h.keys().next_back().copied(),
        }
    }
}

/// Requests of one kind waiting now, of students at one hub (null: students without a hub).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueueRow {
    pub kind: String,
    pub hub_id: Option<String>,
    pub hub: Option<String>,
    #[serde(flatten)]
    pub figures: WaitFigures,
}

/// Requests of one kind waiting now, every hub together.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueueKindRow {
    pub kind: String,
    #[serde(flatten)]
    pub figures: WaitFigures,
}

/// Loans of one kind: started, returned, lost and written off in the period; active and
/// overdue at its end (or today, if it ends later).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LoanRow {
    pub kind: String,
    pub started: i64,
    pub returned: i64,
    pub lost: i64,
    pub written_off: i64,
    pub active: i64,
    pub overdue: i64,
}

/// Devices returned in the period and the days until each was handed to the next student.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TurnaroundRow {
    pub kind: String,
    pub returned: i64,
    pub relent: i64,
    pub not_yet_relent: i64,
    pub p50_days: Option<i64>,
    pub p90_days: Option<i64>,
}

/// Requests whose needed-by date fell in the period (up to today), and the share that had
/// their kit in hand by then.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeededByRow {
    pub kind: String,
    pub due: i64,
    pub served_on_time: i64,
    /// served_on_time / due, 0 to 1; null when nothing was due.
    pub share: Option<f64>,
}

/// The pool at the end of one day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PoolPoint {
    pub date: NaiveDate,
    /// Devices available to lend.
    pub available: i64,
    /// Devices and seats handed over and not yet back.
    pub on_loan: i64,
    /// Requests waiting for kit: from the day they were made to the day kit was first
    /// proposed for them, or they were closed. (A request back in the queue after a refused
    /// proposal or a lapsed reservation is not counted again.)
    pub waiting: i64,
}

/// The pool report but its chart data: what the pool is now and what happened in the period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PoolFigures {
    pub report: ReportInfo,
    pub devices: Vec<DeviceRow>,
    pub licences: Vec<LicenceRow>,
    pub queue: Vec<QueueRow>,
    pub queue_by_kind: Vec<QueueKindRow>,
    pub loans: Vec<LoanRow>,
    /// Devices lent to schools in class sets, by the set's kind (`laptop`, `wifi_dongle`),
    /// counted as `loans` counts students' loans.
    pub set_loans: Vec<LoanRow>,
    pub needed_by: Vec<NeededByRow>,
}

/// `GET /api/v1/reports/pool`: the figures, the turnaround of returned kit and the pool over
/// time. The three parts are independent, so the handler reads them at the same time, each on
/// a connection of its own.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PoolReport {
    #[serde(flatten)]
    pub figures: PoolFigures,
    pub turnaround: Vec<TurnaroundRow>,
    pub over_time: Vec<PoolPoint>,
}

fn kinds() -> impl Iterator<Item = &'static str> {
    RequestKind::ALL.into_iter().map(RequestKind::as_str)
}

/// The moment active loans are counted at: the end of the period, or now if that is later.
fn counted_at(period: &Period, now: NaiveDateTime) -> (NaiveDateTime, NaiveDate) {
    let at = period.end().min(now);
    (at, if at == now { now.date() } else { period.to })
}

fn loan_rows(rows: Vec<reports::LoanCount>) -> Vec<LoanRow> {
    loan_rows_of(rows, kinds())
}

/// A row for each of `kinds`, zero where nothing was counted.
fn loan_rows_of<'a>(rows: Vec<reports::LoanCount>, kinds: impl Iterator<Item = &'a str>) -> Vec<LoanRow> {
    let mut by_kind: HashMap<String, reports::LoanCount> =
        rows.into_iter().map(|r| (r.kind.clone(), r)).collect();
    kinds
        .map(|kind| {
            let r = by_kind.remove(kind).unwrap_or_default();
            LoanRow {
                kind: kind.to_owned(),
                started: r.started,
                returned: r.returned,
                lost: r.lost,
                written_off: r.written_off,
                active: r.active,
                overdue: r.overdue,
            }
        })
        .collect()
}

pub fn pool_figures(
    conn: &mut DbConnection,
    period: &Period,
    now: NaiveDateTime,
) -> diesel::QueryResult<PoolFigures> {
    let today = now.date();
    let mut devices: Vec<DeviceRow> = reports::devices_by_state(conn, None)?
        .into_iter()
        .map(|d| DeviceRow {
            kind: d.kind,
            state: d.state,
            grade: d.grade,
            hub_id: d.hub_id,
            hub: d.hub,
            count: d.count,
        })
        .collect();
    devices.sort_by(|a, b| (&a.kind, &a.state, &a.grade, &a.hub).cmp(&(&b.kind, &b.state, &b.grade, &b.hub)));
    let licences = licence_rows(reports::licences_by_product(conn, None, today)?);

    let mut by_hub: BTreeMap<(String, Option<String>, Option<String>), Histogram> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, Histogram> =
        kinds().map(|k| (k.to_owned(), Histogram::new())).collect();
    for q in reports::queue_by_day(conn)? {
        let days = (today - q.day).num_days().max(0);
        *by_hub
            .entry((q.kind.clone(), q.hub.clone(), q.hub_id.clone()))
            .or_default()
            .entry(days)
            .or_default() += q.count;
        *by_kind.entry(q.kind).or_default().entry(days).or_default() += q.count;
    }
    let queue = by_hub
        .into_iter()
        .map(|((kind, hub, hub_id), h)| QueueRow { kind, hub_id, hub, figures: WaitFigures::of(&h) })
        .collect();
    let queue_by_kind =
        by_kind.into_iter().map(|(kind, h)| QueueKindRow { kind, figures: WaitFigures::of(&h) }).collect();

    let (at, on) = counted_at(period, now);
    let loans = loan_rows(reports::loans_by_kind(conn, period.start(), period.end(), at, on, None)?);
    let set_loans = loan_rows_of(
        reports::set_loans_by_kind(conn, period.start(), period.end(), at, on)?,
        ["laptop", "wifi_dongle"].into_iter(),
    );

    let mut needed: HashMap<String, reports::NeededBy> = match period.last_day_by(today) {
        Some(last) => reports::served_by_needed_by(conn, period.from, last)?,
        None => Vec::new(),
    }
    .into_iter()
    .map(|n| (n.kind.clone(), n))
    .collect();
    let needed_by = kinds()
        .map(|kind| {
            let (due, served) = needed.remove(kind).map_or((0, 0), |n| (n.due, n.served_on_time));
            NeededByRow {
                kind: kind.to_owned(),
                due,
                served_on_time: served,
                share: (due > 0).then(|| (served as f64 / due as f64 * 1000.0).round() / 1000.0),
            }
        })
        .collect();

    Ok(PoolFigures {
        report: ReportInfo::new("pool", period, now),
        devices,
        licences,
        queue,
        queue_by_kind,
        loans,
        set_loans,
        needed_by,
    })
}

/// Devices returned in the period, by kind, and the days until each was lent again.
pub fn pool_turnaround(conn: &mut DbConnection, period: &Period) -> diesel::QueryResult<Vec<TurnaroundRow>> {
    let mut turnaround: BTreeMap<String, (i64, Histogram)> =
        ["laptop", "connectivity"].into_iter().map(|k| (k.to_owned(), (0, Histogram::new()))).collect();
    for t in reports::turnaround(conn, period.start(), period.end())? {
        let entry = turnaround.entry(t.kind).or_default();
        match t.days {
            Some(days) => *entry.1.entry(days.max(0)).or_default() += t.count,
            None => entry.0 += t.count,
        }
    }
    Ok(turnaround
        .into_iter()
        .map(|(kind, (not_yet, h))| {
            let relent: i64 = h.values().sum();
            TurnaroundRow {
                kind,
                returned: relent + not_yet,
                relent,
                not_yet_relent: not_yet,
                p50_days: report::percentile(&h, 50),
                p90_days: report::percentile(&h, 90),
            }
        })
        .collect())
}

fn licence_rows(rows: Vec<reports::LicenceCount>) -> Vec<LicenceRow> {
    let mut rows: Vec<LicenceRow> = rows
        .into_iter()
        .map(|l| LicenceRow {
            product: l.product,
            licences: l.licences,
            seats: l.seats,
            seats_in_use: l.seats_in_use,
            expired_seats: l.expired_seats,
        })
        .collect();
    rows.sort_by(|a, b| a.product.cmp(&b.product));
    rows
}

/// The pool at the end of each of the chart's days in the period.
pub fn pool_over_time(conn: &mut DbConnection, period: &Period) -> diesel::QueryResult<Vec<PoolPoint>> {
    let c = reports::pool_changes(conn, period.end())?;
    let changes = |ins: &[&[reports::DayCount]], outs: &[&[reports::DayCount]]| {
        let mut changes = BTreeMap::new();
        for d in ins.iter().flat_map(|days| days.iter()) {
            report::add_change(&mut changes, d.day, d.count, 1);
        }
        for d in outs.iter().flat_map(|days| days.iter()) {
            report::add_change(&mut changes, d.day, d.count, -1);
        }
        changes
    };
    let points = report::chart_points(period);
    let available = report::levels_at(&changes(&[&c.available_in], &[&c.available_out]), &points);
    let on_loan = report::levels_at(&changes(&[&c.lent], &[&c.loans_closed]), &points);
    let waiting =
        report::levels_at(&changes(&[&c.requested], &[&c.first_proposed, &c.closed_unproposed]), &points);
    Ok(points
        .into_iter()
        .enumerate()
        .map(|(i, date)| PoolPoint {
            date,
            available: available[i],
            on_loan: on_loan[i],
            waiting: waiting[i],
        })
        .collect())
}

/// What became of a donor's devices of one kind, now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KitRow {
    pub kind: String,
    #[serde(flatten)]
    pub count: KitCount,
}

/// The students the kit reached in the period. A null figure is hidden because it is about
/// fewer than `min_cell_size` students, or because it would let a hidden one be worked out.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StudentsRow {
    /// Students who held the kit at some time in the period.
    pub reached: Option<i64>,
    pub reached_suppressed: bool,
    /// Of those, students whose programme ended in the period while they held the kit.
    pub completed_programme: Option<i64>,
    pub completed_suppressed: bool,
    /// Months of loans in the period (30.44 days a month), one decimal.
    pub loan_months: Option<f64>,
}

/// Students reached in one group (a track, a target group or a school).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupRow {
    /// Which breakdown: `track`, `target_group` or `school`.
    pub breakdown: String,
    /// The track or target group code (`not_recorded` where none was given), or the school id.
    pub group: String,
    /// The school's name (school breakdown only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub school: Option<String>,
    pub students: Option<i64>,
    pub suppressed: bool,
}

/// Reuse and recycling in the period. Reuse figures are hidden (null, `reuse_suppressed`)
/// where a month had fewer hand-overs than `min_cell_size`, as the students' figures are.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnvironmentFigures {
    /// Devices reused, counted per loan: each hand-over to a student is one reuse.
    pub loan_cycles: Option<i64>,
    /// Weight of those devices, per loan, one decimal.
    pub kg_reused: Option<f64>,
    /// Of `kg_reused`, what the factor set's default weight gave for devices not weighed.
    pub kg_reused_by_default: Option<f64>,
    pub reuse_suppressed: bool,
    /// Estimated CO2e avoided, low and high end, whole kg. Null also where the factor set
    /// gives no emissions for the kind.
    pub co2e_avoided_kg_low: Option<f64>,
    pub co2e_avoided_kg_high: Option<f64>,
    /// Devices handed to a certified recycler to be destroyed, and their weight.
    pub devices_recycled: i64,
    pub kg_recycled: f64,
}

impl EnvironmentFigures {
    fn of(reuse: Option<environment::Reuse>, devices_recycled: i64, kg_recycled: f64) -> EnvironmentFigures {
        let co2e = reuse.and_then(|r| r.co2e_avoided_kg);
        EnvironmentFigures {
            loan_cycles: reuse.map(|r| r.loan_cycles),
            kg_reused: reuse.map(|r| r.kg),
            kg_reused_by_default: reuse.map(|r| r.kg_by_default),
            reuse_suppressed: reuse.is_none(),
            co2e_avoided_kg_low: co2e.map(|c| c.0),
            co2e_avoided_kg_high: co2e.map(|c| c.1),
            devices_recycled,
            kg_recycled,
        }
    }

    /// The CO2e estimate as people read a range, "321–390" (kg); none where it is hidden.
    pub fn co2e_range(&self) -> Option<String> {
        self.co2e_avoided_kg_low
            .zip(self.co2e_avoided_kg_high)
            .map(|(low, high)| format!("{low:.0}–{high:.0}"))
    }
}

/// What the kit's reuse avoided in the period, and what went to certified recycling, worked
/// out with the factor set named.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnvironmentRow {
    /// The version of the factor set (configuration `reports.environment`).
    pub factor_set: String,
    /// Share of a new device's embodied emissions that one reuse avoids.
    pub displacement: f64,
    #[serde(flatten)]
    pub figures: EnvironmentFigures,
    /// Where the factors come from, one line each.
    pub sources: Vec<String>,
    /// What the CO2e figure is, and what it is not.
    pub basis: String,
}

/// The environmental figures of one kind of device.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnvironmentKindRow {
    pub kind: DeviceKind,
    #[serde(flatten)]
    pub figures: EnvironmentFigures,
}

/// Said with every CO2e figure, in the report and on the page.
pub const CO2E_BASIS: &str = "An estimate of the emissions avoided in the world because a reused device \
    stands in for a new one: the embodied CO2e of making one, times the displacement, for each loan. It is \
    not a cut in the donor's own (scope 1-3) emissions.";

/// Devices given to their students in the period, and their weight (weighed, or the factor
/// set's default weight). Counts devices, like recycling, so it is always shown; no student
/// is named.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GiftedRow {
    pub devices: i64,
    pub kg: f64,
}

/// `GET /api/v1/reports/impact`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImpactReport {
    pub report: ReportInfo,
    pub kit: Vec<KitRow>,
    pub licences: Vec<LicenceRow>,
    pub students: StudentsRow,
    pub groups: Vec<GroupRow>,
    pub environment: EnvironmentRow,
    pub environment_by_kind: Vec<EnvironmentKindRow>,
    pub gifted: GiftedRow,
    pub in_use_confirmed: InUseRow,
}

/// Devices confirmed in use in the newest in-use round, counted (never who). Hidden (null,
/// `suppressed`) when the answers are about fewer than `min_cell_size` students.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InUseRow {
    /// When the round opened; null when there has been none.
    pub round_opened_at: Option<chrono::DateTime<chrono::Utc>>,
    pub devices: Option<i64>,
    pub suppressed: bool,
}

fn in_use_row(
    conn: &mut DbConnection,
    donor_id: Option<&str>,
    min_cell_size: i64,
) -> diesel::QueryResult<InUseRow> {
    let Some(round) = crate::store::in_use::current(conn)? else {
        return Ok(InUseRow { round_opened_at: None, devices: Some(0), suppressed: false });
    };
    let (devices, students) = crate::store::in_use::confirmed_in_use(conn, &round.id, donor_id)?;
    let hidden = crate::domain::suppression::single(students, min_cell_size) == Cell::Suppressed;
    Ok(InUseRow {
        round_opened_at: Some(round.opened_at.and_utc()),
        devices: Some(devices).filter(|_| !hidden),
        suppressed: hidden,
    })
}

/// Devices counted by kind, as the environmental figures take them.
fn devices_by_kind(rows: Vec<reports::RecycledCount>) -> Vec<(DeviceKind, environment::Recycled)> {
    rows.into_iter()
        .filter_map(|r| {
            let counts = environment::Recycled {
                devices: r.devices,
                weighed_kg: r.weighed_kg.unwrap_or(0.0),
                unweighed: r.unweighed,
            };
            // The database allows only known kinds.
            Some((DeviceKind::parse(&r.kind)?, counts))
        })
        .collect()
}

/// The period's environmental figures of one donor's devices (or all).
fn environment(
    conn: &mut DbConnection,
    period: &Period,
    donor_id: Option<&str>,
    factors: &FactorSet,
    min_cell_size: i64,
) -> diesel::QueryResult<(EnvironmentRow, Vec<EnvironmentKindRow>)> {
    let reuse: Vec<(String, DeviceKind, environment::MonthReuse)> =
        reports::reuse_by_month(conn, period.start(), period.end(), donor_id)?
            .into_iter()
            // The database allows only known kinds.
            .filter_map(|r| {
                let counts = environment::MonthReuse {
                    loan_cycles: r.loan_cycles,
                    weighed_kg: r.weighed_kg.unwrap_or(0.0),
                    unweighed: r.unweighed,
                };
                Some((r.month, DeviceKind::parse(&r.kind)?, counts))
            })
            .collect();
    let recycled = devices_by_kind(reports::recycled_by_kind(conn, period.start(), period.end(), donor_id)?);
    let f = environment::figures(factors, &reuse, &recycled, min_cell_size);
    let kinds = f
        .kinds
        .iter()
        .map(|k| EnvironmentKindRow {
            kind: k.kind,
            figures: EnvironmentFigures::of(k.reuse, k.devices_recycled, k.kg_recycled),
        })
        .collect();
    let row = EnvironmentRow {
        factor_set: factors.version.clone(),
        displacement: factors.displacement,
        figures: EnvironmentFigures::of(f.reuse, f.devices_recycled, f.kg_recycled),
        sources: factors.sources.clone(),
        basis: CO2E_BASIS.to_owned(),
    };
    Ok((row, kinds))
}

fn cell_row(breakdown: &str, group: String, school: Option<String>, cell: Cell) -> GroupRow {
    GroupRow {
        breakdown: breakdown.to_owned(),
        group,
        school,
        students: cell.count(),
        suppressed: cell == Cell::Suppressed,
    }
}

/// A donor's reach (or all donors') in each month of `period`, as counted.
fn reach_by_month(
    conn: &mut DbConnection,
    period: &Period,
    donor_id: Option<&str>,
    min_cell_size: i64,
) -> diesel::QueryResult<Vec<report::MonthReach>> {
    let key = |day: NaiveDate| day.format("%Y-%m").to_string();
    let mut months: BTreeMap<String, report::MonthReach> = BTreeMap::new();
    let calendar = period.months();
    for (first, _) in &calendar {
        months.insert(key(*first), report::MonthReach::default());
    }
    for u in reports::use_by_month(conn, &calendar, donor_id, min_cell_size)? {
        if let Some(m) = months.get_mut(&u.month) {
            (m.holders, m.loan_days) = (u.holders, u.days);
        }
    }
    for g in reports::reach_by_month(conn, period.start(), period.end(), donor_id)? {
        if let Some(m) = months.get_mut(&g.month) {
            m.groups.push((g.track, g.target_group, g.school_id, g.students));
        }
    }
    for c in reports::completed_by_month(conn, period.from, period.to, donor_id)? {
        if let Some(m) = months.get_mut(&c.month) {
            m.completed = c.count;
        }
    }
    Ok(months.into_values().collect())
}

/// The impact of one donor's kit (`donor`: id and name), or of all donors' together, over
/// whole months (`Period::whole_months`).
pub fn impact(
    conn: &mut DbConnection,
    period: &Period,
    donor: Option<(&str, &str)>,
    min_cell_size: i64,
    factors: &FactorSet,
    now: NaiveDateTime,
) -> diesel::QueryResult<ImpactReport> {
    let donor_id = donor.map(|d| d.0);
    let mut kit: BTreeMap<String, KitCount> = BTreeMap::new();
    for d in reports::devices_by_state(conn, donor_id)? {
        kit.entry(d.kind).or_default().add(&d.state, d.count);
    }
    let kit = kit.into_iter().map(|(kind, count)| KitRow { kind, count }).collect();
    let licences = licence_rows(reports::licences_by_product(conn, donor_id, now.date())?);

    let published =
        report::publish_reach(&reach_by_month(conn, period, donor_id, min_cell_size)?, min_cell_size);
    let school_ids: Vec<String> = published.by_school.iter().map(|(id, _)| id.clone()).collect();
    let school_names = organisations::names(conn, &school_ids)?;

    let mut rows: Vec<GroupRow> = Vec::new();
    rows.extend(published.by_track.into_iter().map(|(g, c)| cell_row("track", g, None, c)));
    rows.extend(published.by_target_group.into_iter().map(|(g, c)| cell_row("target_group", g, None, c)));
    let mut schools: Vec<GroupRow> = published
        .by_school
        .into_iter()
        .map(|(id, c)| {
            let name = school_names.get(&id).cloned().unwrap_or_default();
            cell_row("school", id, Some(name), c)
        })
        .collect();
    schools.sort_by(|a, b| (&a.school, &a.group).cmp(&(&b.school, &b.group)));
    rows.extend(schools);

    let (environment, environment_by_kind) = environment(conn, period, donor_id, factors, min_cell_size)?;
    let gifts = devices_by_kind(reports::gifted_by_kind(conn, period.start(), period.end(), donor_id)?);
    let (devices, kg) = environment::devices_and_kg(factors, &gifts);
    let mut info = ReportInfo::new("impact", period, now);
    info.min_cell_size = Some(min_cell_size);
    info.donor_id = donor.map(|d| d.0.to_owned());
    info.donor = donor.map(|d| d.1.to_owned());
    Ok(ImpactReport {
        report: info,
        kit,
        licences,
        students: StudentsRow {
            reached: published.total.count(),
            reached_suppressed: published.total == Cell::Suppressed,
            completed_programme: published.completed.count(),
            completed_suppressed: published.completed == Cell::Suppressed,
            loan_months: published
                .loan_days
                .map(|days| (days / report::DAYS_PER_MONTH * 10.0).round() / 10.0),
        },
        groups: rows,
        environment,
        environment_by_kind,
        gifted: GiftedRow { devices, kg },
        in_use_confirmed: in_use_row(conn, donor_id, min_cell_size)?,
    })
}

/// Requests the school made in the period, of one kind now in one state.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestRow {
    pub kind: String,
    pub state: String,
    pub count: i64,
}

/// A loan of one of the school's students past its due date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverdueRow {
    pub loan_id: String,
    pub student_id: String,
    pub student_name: String,
    pub kind: String,
    pub due_on: NaiveDate,
    pub days_overdue: i64,
}

/// One of the school's students still waiting for kit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WaitingRow {
    pub request_id: String,
    pub student_id: String,
    pub student_name: String,
    pub kind: String,
    pub requested_on: NaiveDate,
    pub needed_by: NaiveDate,
    pub days_waiting: i64,
}

/// `GET /api/v1/reports/school`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SchoolReport {
    pub report: ReportInfo,
    pub requests: Vec<RequestRow>,
    pub loans: Vec<LoanRow>,
    /// Now, whatever the period.
    pub overdue: Vec<OverdueRow>,
    /// Now, whatever the period; the longest waiting first.
    pub waiting: Vec<WaitingRow>,
}

/// One school's own view (`school`: id and name).
pub fn school(
    conn: &mut DbConnection,
    period: &Period,
    school: (&str, &str),
    now: NaiveDateTime,
) -> diesel::QueryResult<SchoolReport> {
    let today = now.date();
    let mut requests: Vec<RequestRow> =
        reports::school_requests(conn, school.0, period.start(), period.end())?
            .into_iter()
            .map(|r| RequestRow { kind: r.kind, state: r.state, count: r.count })
            .collect();
    requests.sort_by(|a, b| (&a.kind, &a.state).cmp(&(&b.kind, &b.state)));
    let (at, on) = counted_at(period, now);
    let loans =
        loan_rows(reports::loans_by_kind(conn, period.start(), period.end(), at, on, Some(school.0))?);
    let overdue = reports::school_overdue(conn, school.0, today)?
        .into_iter()
        .map(|o| OverdueRow {
            days_overdue: (today - o.due_on).num_days(),
            loan_id: o.loan_id,
            student_id: o.student_id,
            student_name: o.student_name,
            kind: o.kind,
            due_on: o.due_on,
        })
        .collect();
    let waiting = reports::school_waiting(conn, school.0)?
        .into_iter()
        .map(|w| WaitingRow {
            days_waiting: (today - w.requested_at.date()).num_days().max(0),
            requested_on: w.requested_at.date(),
            request_id: w.request_id,
            student_id: w.student_id,
            student_name: w.student_name,
            kind: w.kind,
            needed_by: w.needed_by,
        })
        .collect();
    let mut info = ReportInfo::new("school", period, now);
    info.school_id = Some(school.0.to_owned());
    info.school = Some(school.1.to_owned());
    Ok(SchoolReport { report: info, requests, loans, overdue, waiting })
}

/// The name of organisation `id` of `kind`, or 404: a report about an organisation that is not
/// there (or of another kind) is a report about nothing.
fn organisation_name(conn: &mut DbConnection, id: &str, kind: OrganisationKind) -> Result<String, ApiError> {
    match organisations::find(conn, id) {
        Ok(org) if org.kind == kind.as_str() => Ok(org.name),
        Ok(_) | Err(diesel::result::Error::NotFound) => Err(ApiError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// The whole pool report, read in one go (the API reads its three parts side by side).
pub fn pool_of(conn: &mut DbConnection, period: &Period, now: NaiveDateTime) -> Result<PoolReport, ApiError> {
    Ok(PoolReport {
        figures: pool_figures(conn, period, now)?,
        turnaround: pool_turnaround(conn, period)?,
        over_time: pool_over_time(conn, period)?,
    })
}

/// The impact report as a reader sees it: one donor's (`donor_id`, already checked against
/// the reader's scope) or all donors' together.
pub fn impact_of(
    conn: &mut DbConnection,
    period: &Period,
    donor_id: Option<&str>,
    min_cell_size: i64,
    factors: &FactorSet,
    now: NaiveDateTime,
) -> Result<ImpactReport, ApiError> {
    let donor = match donor_id {
        Some(id) => Some((id, organisation_name(conn, id, OrganisationKind::Donor)?)),
        None => None,
    };
    let donor = donor.as_ref().map(|(id, name)| (*id, name.as_str()));
    Ok(impact(conn, period, donor, min_cell_size, factors, now)?)
}

/// School `school_id`'s report as `reader` (account id and role) reads it. It names students,
/// so a pool reader's look is logged for each of them.
pub fn school_of(
    conn: &mut DbConnection,
    period: &Period,
    school_id: &str,
    reader: (&str, Role),
    request_id: Option<&str>,
    now: NaiveDateTime,
) -> Result<SchoolReport, ApiError> {
    let name = organisation_name(conn, school_id, OrganisationKind::School)?;
    let report = school(conn, period, (school_id, &name), now)?;
    let named: Vec<&str> = report
        .overdue
        .iter()
        .map(|o| o.student_id.as_str())
        .chain(report.waiting.iter().map(|w| w.student_id.as_str()))
        .collect();
    super::students::record_access(conn, reader.0, reader.1, &named, "school_report", request_id)?;
    Ok(report)
}

/// Each donor account gets a summary of last month's impact, once per month: queued by the
/// first housekeeping run of the month (a unique key per account and month).
pub fn queue_impact_summaries(
    conn: &mut DbConnection,
    settings: &crate::configuration::Settings,
    today: NaiveDate,
) -> Result<usize, ApiError> {
    use chrono::Datelike;
    let this_month = today.with_day(1).unwrap_or(today);
    let last_month = this_month.checked_sub_months(chrono::Months::new(1)).unwrap_or(this_month);
    let period =
        crate::domain::report::Period { from: last_month, to: this_month.pred_opt().unwrap_or(this_month) };
    let month = last_month.format("%m-%Y").to_string();
    let lang = settings.email.default_language;
    let min = settings.reports.min_cell_size;
    let mut queued = 0;
    for account in crate::store::users::active_donors(conn)? {
        let Some(org) = account.organisation_id.as_deref() else { continue };
        let (donated, in_service) = crate::store::devices::donor_kit(conn, org)?;
        if donated == 0 {
            continue;
        }
        // The month's figures as the impact report publishes them, small groups hidden: the
        // message says "fewer than {min}" instead.
        let impact =
            impact(conn, &period, Some((org, "")), min, &settings.reports.environment, crate::store::now())?;
        let m = crate::store::outbox::NewMessage {
            recipient: &account.email,
            language: lang.as_str(),
            template: "impact_summary",
            payload: serde_json::json!({
                "month": month, "donated": donated, "in_service": in_service, "min": min,
                "students": impact.students.reached,
                "reused": impact.environment.figures.loan_cycles, "recycled": impact.environment.figures.devices_recycled,
                "gifted": impact.gifted.devices,
                "co2e": impact.environment.figures.co2e_range(), "factor_set": impact.environment.factor_set,
            }),
            student_id: None,
            secret: None,
        };
        let key = format!("impact:{}:{}", account.id, last_month.format("%Y-%m"));
        queued += usize::from(crate::store::outbox::enqueue_once(conn, &m, &key, crate::store::now())?);
    }
    Ok(queued)
}
