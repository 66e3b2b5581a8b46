//! The rules behind the reports, without I/O: the period asked for, the output format, waiting
//! times as percentiles of a histogram, levels over time from daily changes, what a device's
//! state means to its donor, and which impact figures may be published.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};

use super::student::Language;
use super::suppression::{single, suppress, Cell};
use super::FieldError;

/// The days a report covers, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The longest period a report covers: five years (the chart has a point a month).
    pub const MAX_DAYS: i64 = 5 * 366;
    /// Without `from`, a report covers the 365 days up to `to`; without `to`, up to today.
    pub const DEFAULT_DAYS: i64 = 365;

    pub fn parse(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Period, FieldError> {
        // Dates far from now are typing mistakes, and beyond what every database can store.
        let sane = |d: NaiveDate| (1970..=9999).contains(&d.year());
        if let Some(day) = from.filter(|d| !sane(*d)) {
            return Err(FieldError::new("from", crate::phrase!("field-year-range", day = day.to_string())));
        }
        if let Some(day) = to.filter(|d| !sane(*d)) {
            return Err(FieldError::new("to", crate::phrase!("field-year-range", day = day.to_string())));
        }
        let to = to.unwrap_or(today);
        let from = from.unwrap_or(to - TimeDelta::days(Self::DEFAULT_DAYS - 1));
        if from > to {
            return Err(FieldError::new("from", crate::phrase!("field-period-order")));
        }
        if (to - from).num_days() >= Self::MAX_DAYS {
            return Err(FieldError::new("from", crate::phrase!("field-period-too-long")));
        }
        Ok(Period { from, to })
    }

    /// The whole calendar months of an impact report: from the first day of a month to the
    /// last day of a month that has ended. By default the twelve months before this one. Whole
    /// months only, because a report about students is added up from single months (see
    /// [`publish_reach`]), and ended months only, because figures that still change from day
    /// to day could be compared day by day.
    pub fn whole_months(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Period, FieldError> {
        let this_month = first_of_month(today);
        let last_ended = this_month.pred_opt().unwrap_or(this_month);
        let to = to.unwrap_or(last_ended);
        let from = from.unwrap_or_else(|| {
            first_of_month(to).checked_sub_months(chrono::Months::new(11)).unwrap_or(first_of_month(to))
        });
        let period = Period::parse(Some(from), Some(to), today)?;
        let mut errors = Vec::new();
        if from.day() != 1 {
            errors.push(FieldError::new("from", crate::phrase!("field-month-start")));
        }
        if to.succ_opt().is_some_and(|next| next.day() != 1) {
            errors.push(FieldError::new("to", crate::phrase!("field-month-end")));
        } else if to >= this_month {
            errors.push(FieldError::new(
                "to",
                crate::phrase!("field-month-ended", day = last_ended.to_string()),
            ));
        }
        match errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(period),
        }
    }

    /// The calendar months the period touches: each one's first day and the first day after it.
    pub fn months(&self) -> Vec<(NaiveDate, NaiveDate)> {
        let mut months = Vec::new();
        let mut first = first_of_month(self.from);
        while first <= self.to {
            let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
            if next == first {
                break;
            }
            months.push((first, next));
            first = next;
        }
        months
    }

    /// The first moment of the period.
    pub fn start(&self) -> NaiveDateTime {
        self.from.and_time(chrono::NaiveTime::MIN)
    }

    /// The first moment after the period.
    pub fn end(&self) -> NaiveDateTime {
        self.to.succ_opt().unwrap_or(self.to).and_time(chrono::NaiveTime::MIN)
    }

    /// The last day of the period that has happened by `today`; `None` if the period is
    /// entirely in the future.
    pub fn last_day_by(&self, today: NaiveDate) -> Option<NaiveDate> {
        let last = self.to.min(today);
        (last >= self.from).then_some(last)
    }
}

/// The first day of the month of `day`.
pub fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// A month as a month field sends it (`2026-03`) or as people type it (`03-2026`, `3-2026`):
/// its first day. Empty is `None`: the report's default.
pub fn parse_month(field: &str, typed: &str) -> Result<Option<NaiveDate>, FieldError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let number = |s: &str| s.trim().parse::<u32>().ok();
    let (year, month) = match typed.split_once(['-', '/']) {
        Some((a, b)) if a.trim().len() == 4 => (number(a), number(b)),
        Some((a, b)) => (number(b).filter(|_| b.trim().len() == 4), number(a)),
        None => (None, None),
    };
    year.zip(month)
        .and_then(|(y, m)| NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, 1))
        .map(Some)
        .ok_or_else(|| FieldError::new(field, crate::phrase!("field-month")))
}

/// The last day of the month of `day`.
pub fn last_of_month(day: NaiveDate) -> NaiveDate {
    let first = first_of_month(day);
    first.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first)
}

/// How a report is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    /// A chart; only the pool report has one.
    Svg,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Svg => "image/svg+xml",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Svg => "svg",
        }
    }
}

/// The format from `?format=` if given, otherwise the first media type in `accepted` (best
/// first, as the Accept header ranks them) that the report can give; JSON when none can.
pub fn negotiate(format: Option<&str>, accepted: &[String], has_chart: bool) -> Result<Format, FieldError> {
    if let Some(format) = format {
        return match format {
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "svg" if has_chart => Ok(Format::Svg),
            "svg" => Err(FieldError::new("format", crate::phrase!("field-format-no-chart"))),
            _ => Err(FieldError::new(
                "format",
                if has_chart {
                    crate::phrase!("field-format-with-chart")
                } else {
                    crate::phrase!("field-format")
                },
            )),
        };
    }
    for media in accepted {
        match media.as_str() {
            "application/json" | "application/*" | "*/*" => return Ok(Format::Json),
            "text/csv" | "text/*" => return Ok(Format::Csv),
            "image/svg+xml" | "image/*" if has_chart => return Ok(Format::Svg),
            _ => {}
        }
    }
    Ok(Format::Json)
}

/// The language of the chart's words: the first of Dutch or English in an Accept-Language
/// header, by quality; English when neither is asked for.
pub fn language_of(accept_language: Option<&str>) -> Language {
    accept_language.and_then(Language::from_accept_language).unwrap_or(Language::En)
}

/// How many of something have each value, e.g. (days waited, requests).
pub type Histogram = BTreeMap<i64, i64>;

/// The `p`th percentile (nearest rank) of the values counted in `histogram`; `None` if empty.
pub fn percentile(histogram: &Histogram, p: u32) -> Option<i64> {
    let total: i64 = histogram.values().sum();
    if total <= 0 {
        return None;
    }
    // Nearest rank: the smallest value with at least p% of the counts at or below it.
    let rank = ((i64::from(p.min(100)) * total + 99) / 100).max(1);
    let mut seen = 0;
    for (value, count) in histogram {
        seen += count;
        if seen >= rank {
            return Some(*value);
        }
    }
    histogram.keys().next_back().copied()
}

/// The days at which the chart shows the pool: every day for up to two months, every week
/// (ending on `to`) for up to a year, the end of every month beyond. Always from `from` to `to`.
pub fn chart_points(period: &Period) -> Vec<NaiveDate> {
    let days = (period.to - period.from).num_days();
    let mut points = Vec::new();
    if days <= 62 {
        points.extend(period.from.iter_days().take_while(|d| *d <= period.to));
        return points;
    }
    if days <= 366 {
        let mut d = period.to;
        while d > period.from {
            points.push(d);
            d -= TimeDelta::days(7);
        }
        points.push(period.from);
        points.reverse();
        return points;
    }
    points.push(period.from);
    let mut month = NaiveDate::from_ymd_opt(period.from.year(), period.from.month(), 1);
    while let Some(first) = month {
        let next = first.checked_add_months(chrono::Months::new(1));
        let Some(month_end) = next.and_then(|n| n.pred_opt()) else { break };
        if month_end >= period.to {
            break;
        }
        if month_end > period.from {
            points.push(month_end);
        }
        month = next;
    }
    points.push(period.to);
    points
}

/// The level at the end of each of `points`, from the changes on each day: the sum of every
/// change on or before the point.
pub fn levels_at(changes: &BTreeMap<NaiveDate, i64>, points: &[NaiveDate]) -> Vec<i64> {
    let mut level = 0;
    let mut pending = changes.iter().peekable();
    points
        .iter()
        .map(|point| {
            while let Some((day, change)) = pending.peek() {
                if *day > point {
                    break;
                }
                level += **change;
                pending.next();
            }
            level
        })
        .collect()
}

/// Adds `count` on `day` to the changes, with `sign` +1 (in) or -1 (out).
pub fn add_change(changes: &mut BTreeMap<NaiveDate, i64>, day: NaiveDate, count: i64, sign: i64) {
    *changes.entry(day).or_default() += sign * count;
}

/// Days in an average month, for loan-months.
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

/// What a device's state means to the donor who gave it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct KitCount {
    /// Registered by the donor, received or not.
    pub donated: i64,
    /// Arrived at the pool.
    pub received: i64,
    /// Arrived and neither retired nor lost: being prepared, in the pool, on loan or in repair.
    pub in_service: i64,
    /// With a student now (reserved for one, or on loan).
    pub with_students: i64,
    pub retired: i64,
    pub lost: i64,
    /// Given to a student to keep at the end of their programme.
    pub gifted: i64,
}

impl KitCount {
    /// Counts `n` devices in `state` (a device state's name).
    pub fn add(&mut self, state: &str, n: i64) {
        self.donated += n;
        if state == "pledged" {
            return;
        }
        self.received += n;
        match state {
            "retired" => self.retired += n,
            "lost" => self.lost += n,
            "gifted" => self.gifted += n,
            _ => {
                self.in_service += n;
                if matches!(state, "reserved" | "on_loan") {
                    self.with_students += n;
                }
            }
        }
    }
}

/// One calendar month of a donor's reach, as counted. Students are counted by the month in
/// which they received the kit, so months do not overlap: whatever range of whole months a
/// reader asks for, each figure is a sum of monthly figures (see [`publish_reach`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MonthReach {
    /// Students who received the kit in the month: (track, target group or "not_recorded",
    /// school id, students). Each student is in one group.
    pub groups: Vec<(String, String, String, i64)>,
    /// Students whose programme ended in the month while they held the kit.
    pub completed: i64,
    /// Students who held the kit at some time in the month (counted up to the minimum cell
    /// size: that is all there is to know): loan-days are shown only for a group this big.
    pub holders: i64,
    pub loan_days: f64,
}

/// Impact figures as they may be published.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedReach {
    pub total: Cell,
    pub by_track: Vec<(String, Cell)>,
    pub by_target_group: Vec<(String, Cell)>,
    pub by_school: Vec<(String, Cell)>,
    pub completed: Cell,
    /// Hidden (`None`) when the students behind them are too few.
    pub loan_days: Option<f64>,
}

/// One month's figures with small-cell suppression: each breakdown on its own (primary and
/// complementary), the total and the completions as single counts, loan-days only for a big
/// enough group of holders.
fn publish_month(m: &MonthReach, min: i64) -> PublishedReach {
    let sum_by = |key: fn(&(String, String, String, i64)) -> &String| {
        let mut cells: BTreeMap<String, i64> = BTreeMap::new();
        for g in &m.groups {
            *cells.entry(key(g).clone()).or_default() += g.3;
        }
        suppress(&cells.into_iter().collect::<Vec<_>>(), min).cells
    };
    let total: i64 = m.groups.iter().map(|g| g.3).sum();
    PublishedReach {
        total: single(total, min),
        by_track: sum_by(|g| &g.0),
        by_target_group: sum_by(|g| &g.1),
        by_school: sum_by(|g| &g.2),
        completed: single(m.completed, min),
        loan_days: (m.holders == 0 || m.holders >= min).then_some(m.loan_days),
    }
}

/// A figure over several months: the sum of the months', hidden if any month's is hidden.
fn add(a: Cell, b: Cell) -> Cell {
    match (a, b) {
        (Cell::Count(x), Cell::Count(y)) => Cell::Count(x + y),
        _ => Cell::Suppressed,
    }
}

fn add_cells(into: &mut BTreeMap<String, Cell>, cells: Vec<(String, Cell)>) {
    for (key, cell) in cells {
        let sum = add(into.get(&key).copied().unwrap_or(Cell::Count(0)), cell);
        into.insert(key, sum);
    }
}

/// The figures of a range of whole months, as they may be published. Every month is
/// suppressed on its own, and a figure over the range is the sum of the months' published
/// figures, hidden if any of them is. So everything a reader can learn from any ranges they
/// ask for, overlapping or not, follows from the single months' reports, which do not overlap:
/// taking one range from another gives a sum of whole published months, 0 or at least `min`.
pub fn publish_reach(months: &[MonthReach], min: i64) -> PublishedReach {
    let mut total = Cell::Count(0);
    let mut completed = Cell::Count(0);
    let mut loan_days = Some(0.0);
    let (mut track, mut group, mut school) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    let keys = |month: &MonthReach, key: fn(&(String, String, String, i64)) -> &String| {
        month.groups.iter().map(key).cloned().collect::<std::collections::BTreeSet<_>>()
    };
    let all_tracks: std::collections::BTreeSet<String> =
        months.iter().flat_map(|m| keys(m, |g| &g.0)).collect();
    let all_groups: std::collections::BTreeSet<String> =
        months.iter().flat_map(|m| keys(m, |g| &g.1)).collect();
    let all_schools: std::collections::BTreeSet<String> =
        months.iter().flat_map(|m| keys(m, |g| &g.2)).collect();
    for m in months {
        let p = publish_month(m, min);
        total = add(total, p.total);
        completed = add(completed, p.completed);
        loan_days = loan_days.zip(p.loan_days).map(|(a, b)| a + b);
        add_cells(&mut track, p.by_track);
        add_cells(&mut group, p.by_target_group);
        add_cells(&mut school, p.by_school);
    }
    // A group missing from a month counts 0 there, published as such.
    let fill = |mut cells: BTreeMap<String, Cell>, all: std::collections::BTreeSet<String>| {
        for key in all {
            cells.entry(key).or_insert(Cell::Count(0));
        }
        cells.into_iter().collect::<Vec<_>>()
    };
    PublishedReach {
        total,
        by_track: fill(track, all_tracks),
        by_target_group: fill(group, all_groups),
        by_school: fill(school, all_schools),
        completed,
        loan_days,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn months_are_read_as_fields_send_them_and_people_type_them() {
        let march = NaiveDate::from_ymd_opt(2026, 3, 1);
        for typed in ["2026-03", "2026-3", "03-2026", "3-2026", " 3/2026 "] {
            assert_eq!(parse_month("from", typed).expect(typed), march, "{typed}");
        }
        assert_eq!(parse_month("from", "").expect("empty"), None);
        for typed in ["2026-13", "march", "26-03", "2026", "0-2026", "03-26"] {
            assert_eq!(parse_month("to", typed).expect_err(typed).field, "to", "{typed}");
        }
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("day");
        assert_eq!(last_of_month(day(2028, 2, 1)), day(2028, 2, 29));
        assert_eq!(last_of_month(day(2026, 12, 5)), day(2026, 12, 31));
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn a_period_defaults_to_the_year_up_to_today() {
        let p = Period::parse(None, None, day("2026-11-25")).expect("period");
        assert_eq!(p, Period { from: day("2025-11-26"), to: day("2026-11-25") });
        assert_eq!(p.start().to_string(), "2025-11-26 00:00:00");
        assert_eq!(p.end().to_string(), "2026-11-26 00:00:00");
    }

    #[test]
    fn an_impact_report_covers_whole_months_that_have_ended() {
        let today = day("2026-12-02");
        let p = Period::whole_months(None, None, today).expect("default");
        assert_eq!((p.from, p.to), (day("2025-12-01"), day("2026-11-30")));
        assert_eq!(p.months().len(), 12);
        let p = Period::whole_months(Some(day("2026-01-01")), Some(day("2026-06-30")), today)
            .expect("half a year");
        assert_eq!(p.months().first(), Some(&(day("2026-01-01"), day("2026-02-01"))));
        assert_eq!(p.months().last(), Some(&(day("2026-06-01"), day("2026-07-01"))));
        let field = |from: &str, to: &str| {
            Period::whole_months(Some(day(from)), Some(day(to)), today).map_err(|e| e.field).err()
        };
        assert_eq!(field("2026-01-02", "2026-06-30").as_deref(), Some("from"));
        assert_eq!(field("2026-01-01", "2026-06-29").as_deref(), Some("to"));
        assert_eq!(field("2026-01-01", "2026-12-31").as_deref(), Some("to"), "December has not ended");
        assert_eq!(field("2026-02-01", "2026-02-28"), None);
        assert_eq!(field("2026-06-01", "2026-01-31").as_deref(), Some("from"), "backwards");
    }

    #[test]
    fn a_period_must_run_forwards_and_not_too_long() {
        let today = day("2026-11-25");
        let back = Period::parse(Some(day("2026-02-01")), Some(day("2026-01-01")), today).expect_err("back");
        assert_eq!(back.field, "from");
        assert!(Period::parse(Some(day("2020-01-01")), Some(day("2026-01-01")), today).is_err());
        assert!(Period::parse(Some(day("2026-01-01")), Some(day("2026-01-01")), today).is_ok());
        assert_eq!(Period::parse(None, Some(NaiveDate::MAX), today).expect_err("max").field, "to");
        assert_eq!(Period::parse(Some(NaiveDate::MIN), None, today).expect_err("min").field, "from");
        assert!(Period::parse(Some(day("1969-12-31")), Some(day("1970-01-02")), today).is_err());
        assert!(Period::parse(Some(day("9999-12-30")), Some(day("9999-12-31")), today).is_ok());
    }

    #[test]
    fn the_last_day_so_far_stops_at_today() {
        let p = Period { from: day("2026-11-01"), to: day("2026-12-31") };
        assert_eq!(p.last_day_by(day("2026-11-25")), Some(day("2026-11-25")));
        assert_eq!(p.last_day_by(day("2026-10-25")), None);
        assert_eq!(p.last_day_by(day("2027-01-05")), Some(day("2026-12-31")));
    }

    #[test]
    fn the_format_parameter_wins_over_accept() {
        let csv = vec!["text/csv".to_owned()];
        assert_eq!(negotiate(Some("json"), &csv, true), Ok(Format::Json));
        assert_eq!(negotiate(None, &csv, false), Ok(Format::Csv));
        assert_eq!(negotiate(Some("svg"), &[], true), Ok(Format::Svg));
        assert_eq!(negotiate(Some("svg"), &[], false).expect_err("no chart").field, "format");
        assert_eq!(negotiate(Some("xml"), &[], true).expect_err("unknown").field, "format");
    }

    #[test]
    fn accept_is_read_best_first_and_falls_back_to_json() {
        let ranked = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(negotiate(None, &ranked(&["image/svg+xml", "text/csv"]), true), Ok(Format::Svg));
        assert_eq!(negotiate(None, &ranked(&["image/svg+xml", "text/csv"]), false), Ok(Format::Csv));
        assert_eq!(negotiate(None, &ranked(&["application/xml"]), true), Ok(Format::Json));
        assert_eq!(negotiate(None, &ranked(&["*/*", "text/csv"]), true), Ok(Format::Json));
        assert_eq!(negotiate(None, &[], true), Ok(Format::Json));
    }

    #[test]
    fn the_chart_speaks_dutch_when_asked() {
        assert_eq!(language_of(Some("nl-NL,nl;q=0.9,en;q=0.8")), Language::Nl);
        assert_eq!(language_of(Some("de-DE, en;q=0.5, nl;q=0.7")), Language::Nl);
        assert_eq!(language_of(Some("en-GB,nl;q=0.9")), Language::En);
        assert_eq!(language_of(Some("nl;q=0, fr")), Language::En);
        assert_eq!(language_of(Some("fr")), Language::En);
        assert_eq!(language_of(None), Language::En);
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let h: Histogram = [(1, 1), (2, 1), (3, 1), (4, 1), (10, 1)].into_iter().collect();
        assert_eq!(percentile(&h, 50), Some(3));
        assert_eq!(percentile(&h, 90), Some(10));
        assert_eq!(percentile(&h, 0), Some(1));
        assert_eq!(percentile(&h, 100), Some(10));
        let skewed: Histogram = [(0, 9), (30, 1)].into_iter().collect();
        assert_eq!(percentile(&skewed, 90), Some(0));
        assert_eq!(percentile(&skewed, 91), Some(30));
        assert_eq!(percentile(&Histogram::new(), 50), None);
    }

    proptest! {
        #[test]
        fn a_percentile_matches_sorting_every_value(values in proptest::collection::vec(0i64..400, 1..200), p in 0u32..=100) {
            let mut h = Histogram::new();
            for v in &values {
                *h.entry(*v).or_default() += 1;
            }
            let mut sorted = values.clone();
            sorted.sort();
            let rank = ((p as usize * sorted.len()).div_ceil(100)).max(1);
            prop_assert_eq!(percentile(&h, p), Some(sorted[rank - 1]));
        }

        #[test]
        fn chart_points_run_from_start_to_end_in_order(start in 0i64..3000, len in 0i64..(5 * 366)) {
            let from = day("2020-01-01") + TimeDelta::days(start);
            let p = Period { from, to: from + TimeDelta::days(len) };
            let points = chart_points(&p);
            prop_assert_eq!(points.first().copied(), Some(p.from));
            prop_assert_eq!(points.last().copied(), Some(p.to));
            prop_assert!(points.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(points.len() <= 70, "{} points", points.len());
        }
    }

    #[test]
    fn chart_points_are_daily_weekly_or_monthly() {
        let p = Period { from: day("2026-11-01"), to: day("2026-11-10") };
        assert_eq!(chart_points(&p).len(), 10);
        let p = Period { from: day("2026-01-01"), to: day("2026-06-30") };
        let points = chart_points(&p);
        assert_eq!(points[points.len() - 2], day("2026-06-23"));
        let p = Period { from: day("2024-01-15"), to: day("2026-01-10") };
        let points = chart_points(&p);
        assert_eq!(&points[..3], &[day("2024-01-15"), day("2024-01-31"), day("2024-02-29")]);
        assert_eq!(&points[points.len() - 2..], &[day("2025-12-31"), day("2026-01-10")]);
    }

    #[test]
    fn levels_add_up_every_change_up_to_each_point() {
        let mut changes = BTreeMap::new();
        add_change(&mut changes, day("2026-01-01"), 5, 1);
        add_change(&mut changes, day("2026-01-03"), 2, -1);
        add_change(&mut changes, day("2026-01-03"), 1, 1);
        add_change(&mut changes, day("2026-02-01"), 4, 1);
        let points = [day("2025-12-31"), day("2026-01-02"), day("2026-01-03"), day("2026-01-31")];
        assert_eq!(levels_at(&changes, &points), vec![0, 5, 4, 4]);
    }

    #[test]
    fn donors_see_what_became_of_their_kit() {
        let mut k = KitCount::default();
        for (state, n) in [
            ("pledged", 2),
            ("received", 1),
            ("available", 3),
            ("reserved", 1),
            ("on_loan", 4),
            ("repair", 1),
            ("retired", 2),
            ("lost", 1),
            ("gifted", 2),
        ] {
            k.add(state, n);
        }
        assert_eq!(
            k,
            KitCount {
                donated: 17,
                received: 15,
                in_service: 10,
                with_students: 5,
                retired: 2,
                lost: 1,
                gifted: 2
            }
        );
    }

    fn month(groups: &[(&str, &str, &str, i64)], completed: i64, holders: i64) -> MonthReach {
        MonthReach {
            groups: groups
                .iter()
                .map(|(a, b, c, n)| (a.to_string(), b.to_string(), c.to_string(), *n))
                .collect(),
            completed,
            holders,
            loan_days: 30.0 * holders as f64,
        }
    }

    #[test]
    fn a_small_month_hides_everything_about_it() {
        let p = publish_reach(&[month(&[("coder", "women", "s1", 3)], 2, 3)], 5);
        assert_eq!(p.total, Cell::Suppressed);
        assert_eq!(p.by_track, vec![("coder".to_owned(), Cell::Suppressed)]);
        assert_eq!(p.completed, Cell::Suppressed);
        assert_eq!(p.loan_days, None);
    }

    #[test]
    fn each_breakdown_of_a_month_is_suppressed_on_its_own() {
        let p = publish_reach(
            &[month(
                &[
                    ("coder", "women", "s1", 10),
                    ("coder", "over_40", "s1", 2),
                    ("data_analyst", "women", "s2", 8),
                    ("ux_designer", "women", "s2", 3),
                ],
                20,
                23,
            )],
            5,
        );
        assert_eq!(p.total, Cell::Count(23));
        // ux_designer (3) is small; data_analyst (8) is the next smallest and goes with it.
        assert_eq!(
            p.by_track,
            vec![
                ("coder".to_owned(), Cell::Count(12)),
                ("data_analyst".to_owned(), Cell::Suppressed),
                ("ux_designer".to_owned(), Cell::Suppressed)
            ]
        );
        // over_40 (2) alone is small and the only other group would give it away: both hidden.
        assert_eq!(
            p.by_target_group,
            vec![("over_40".to_owned(), Cell::Suppressed), ("women".to_owned(), Cell::Suppressed)]
        );
        assert_eq!(p.by_school, vec![("s1".to_owned(), Cell::Count(12)), ("s2".to_owned(), Cell::Count(11))]);
        assert_eq!(p.completed, Cell::Count(20));
        assert_eq!(p.loan_days, Some(690.0));
    }

    #[test]
    fn a_range_adds_up_its_months_and_hides_what_any_month_hides() {
        let jan = month(&[("coder", "women", "s1", 6), ("ux_designer", "women", "s1", 5)], 0, 11);
        let feb = month(&[("coder", "women", "s1", 6), ("ux_designer", "women", "s1", 1)], 3, 7);
        let p = publish_reach(&[jan.clone(), feb], 5);
        // February's lone ux designer is hidden, with a coder cell to cover it; so both range
        // cells are hidden, and January's figures alone still show them.
        assert_eq!(p.total, Cell::Count(18));
        assert_eq!(
            p.by_track,
            vec![("coder".to_owned(), Cell::Suppressed), ("ux_designer".to_owned(), Cell::Suppressed)]
        );
        assert_eq!(p.completed, Cell::Suppressed, "three completions in February");
        assert_eq!(p.loan_days, Some(540.0));
        let only_jan = publish_reach(&[jan], 5);
        assert_eq!(
            only_jan.by_track,
            vec![("coder".to_owned(), Cell::Count(6)), ("ux_designer".to_owned(), Cell::Count(5))]
        );
        // A month with nobody in it is zeros, shown.
        let empty = publish_reach(&[MonthReach::default()], 5);
        assert_eq!(
            (empty.total, empty.completed, empty.loan_days),
            (Cell::Count(0), Cell::Count(0), Some(0.0))
        );
    }

    fn months_strategy() -> impl Strategy<Value = Vec<MonthReach>> {
        let group = (0usize..3, 0usize..2, 0usize..2, 0i64..9);
        let m = (proptest::collection::vec(group, 0..5), 0i64..8, 0i64..9);
        proptest::collection::vec(m, 1..7).prop_map(|months| {
            months
                .into_iter()
                .map(|(groups, completed, holders)| MonthReach {
                    groups: groups
                        .into_iter()
                        .map(|(t, g, s, n)| (format!("t{t}"), format!("g{g}"), format!("s{s}"), n))
                        .collect(),
                    completed,
                    holders,
                    loan_days: holders as f64,
                })
                .collect()
        })
    }

    proptest! {
        /// The differencing attack: a reader asks for two ranges of months, one inside the other,
        /// and subtracts. Whatever comes out for a figure shown in both is 0 or at least `min`.
        #[test]
        fn no_two_ranges_give_away_a_small_group(months in months_strategy(), min in 2i64..6) {
            let n = months.len();
            let ranges: Vec<(usize, usize)> = (0..n).flat_map(|a| (a + 1..=n).map(move |b| (a, b))).collect();
            let published: Vec<((usize, usize), PublishedReach)> =
                ranges.iter().map(|&(a, b)| ((a, b), publish_reach(&months[a..b], min))).collect();
            let cells = |p: &PublishedReach| {
                let mut all: Vec<(String, Cell)> = vec![("total".into(), p.total), ("completed".into(), p.completed)];
                all.extend(p.by_track.iter().map(|(k, c)| (format!("track {k}"), *c)));
                all.extend(p.by_target_group.iter().map(|(k, c)| (format!("group {k}"), *c)));
                all.extend(p.by_school.iter().map(|(k, c)| (format!("school {k}"), *c)));
                all
            };
            for ((a1, b1), p1) in &published {
                for ((a2, b2), p2) in &published {
                    if !(a2 <= a1 && b1 <= b2) || (a1, b1) == (a2, b2) {
                        continue;
                    }
                    let inner: BTreeMap<String, Cell> = cells(p1).into_iter().collect();
                    for (key, outer) in cells(p2) {
                        if let (Cell::Count(big), Some(Cell::Count(small))) = (outer, inner.get(&key)) {
                            let d = big - small;
                            prop_assert!(d == 0 || d >= min, "{key}: {big} - {small} over {a2}..{b2} and {a1}..{b1}");
                        }
                    }
                }
            }
            // And no single range shows a figure of 1 to min - 1 people.
            for (_, p) in &published {
                for (key, c) in cells(p) {
                    if let Cell::Count(x) = c {
                        prop_assert!(x == 0 || x >= min, "{key}: {x}");
                    }
                }
            }
        }
    }
}
