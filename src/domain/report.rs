//! The rules behind the reports, without I/O: the period asked for, the output format, waiting
//! times as percentiles of a histogram, levels over time from daily changes, what a device's
//! state means to its donor, and which impact figures may be published.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};

use super::student::Language;
use super::suppression::{suppress, Cell};
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
            return Err(FieldError::new(
                "from",
                format!("{day} is not a date the programme has: use 1970 to 9999."),
            ));
        }
        if let Some(day) = to.filter(|d| !sane(*d)) {
            return Err(FieldError::new(
                "to",
                format!("{day} is not a date the programme has: use 1970 to 9999."),
            ));
        }
        let to = to.unwrap_or(today);
        let from = from.unwrap_or(to - TimeDelta::days(Self::DEFAULT_DAYS - 1));
        if from > to {
            return Err(FieldError::new("from", "The start must be on or before the end ('to')."));
        }
        if (to - from).num_days() >= Self::MAX_DAYS {
            return Err(FieldError::new("from", "A report covers at most five years."));
        }
        Ok(Period { from, to })
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
            "svg" => Err(FieldError::new("format", "Only the pool report has a chart. Use json or csv.")),
            _ => Err(FieldError::new(
                "format",
                if has_chart { "Use json, csv or svg." } else { "Use json or csv." },
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
    let mut ranked: Vec<(f32, usize, &str)> = accept_language
        .unwrap_or("")
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, i, tag))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, _, tag) in ranked {
        let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "nl" => return Language::Nl,
            "en" => return Language::En,
            _ => {}
        }
    }
    Language::En
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
            _ => {
                self.in_service += n;
                if matches!(state, "reserved" | "on_loan") {
                    self.with_students += n;
                }
            }
        }
    }
}

/// Students reached, each counted once with their track, target group and school.
#[derive(Debug, Clone, Default)]
pub struct Reach {
    /// (track, target group or "not_recorded", school id, students).
    pub groups: Vec<(String, String, String, i64)>,
    /// Of those, students whose programme ended in the period while they held the kit.
    pub completed: i64,
}

/// Impact figures as they may be published.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedReach {
    pub total: Cell,
    pub by_track: Vec<(String, Cell)>,
    pub by_target_group: Vec<(String, Cell)>,
    pub by_school: Vec<(String, Cell)>,
    pub completed: Cell,
    /// Loan-months may be shown only when the students behind them are a group big enough.
    pub loan_months_shown: bool,
}

/// Applies small-cell suppression to each breakdown of the students reached, and to the
/// students who completed their programme (with its complement: those who did not, which a
/// reader could work out from the total).
pub fn publish_reach(reach: &Reach, min: i64) -> PublishedReach {
    let sum_by = |key: fn(&(String, String, String, i64)) -> &String| {
        let mut cells: BTreeMap<String, i64> = BTreeMap::new();
        for g in &reach.groups {
            *cells.entry(key(g).clone()).or_default() += g.3;
        }
        cells.into_iter().collect::<Vec<_>>()
    };
    let total: i64 = reach.groups.iter().map(|g| g.3).sum();
    let by_track = suppress(&sum_by(|g| &g.0), min);
    let by_target_group = suppress(&sum_by(|g| &g.1), min);
    let by_school = suppress(&sum_by(|g| &g.2), min);
    let completed = reach.completed.clamp(0, total);
    let split = suppress(
        &[("completed".to_owned(), completed), ("not_completed".to_owned(), total - completed)],
        min,
    );
    let small_total = total > 0 && total < min;
    PublishedReach {
        total: if small_total { Cell::Suppressed } else { Cell::Count(total) },
        by_track: by_track.cells,
        by_target_group: by_target_group.cells,
        by_school: by_school.cells,
        completed: if small_total { Cell::Suppressed } else { split.cells[0].1 },
        loan_months_shown: !small_total,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

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
        ] {
            k.add(state, n);
        }
        assert_eq!(
            k,
            KitCount { donated: 15, received: 13, in_service: 10, with_students: 5, retired: 2, lost: 1 }
        );
    }

    fn reach(groups: &[(&str, &str, &str, i64)], completed: i64) -> Reach {
        Reach {
            groups: groups
                .iter()
                .map(|(a, b, c, n)| (a.to_string(), b.to_string(), c.to_string(), *n))
                .collect(),
            completed,
        }
    }

    #[test]
    fn a_small_reach_hides_everything_about_it() {
        let p = publish_reach(&reach(&[("coder", "women", "s1", 3)], 2), 5);
        assert_eq!(p.total, Cell::Suppressed);
        assert_eq!(p.by_track, vec![("coder".to_owned(), Cell::Suppressed)]);
        assert_eq!(p.completed, Cell::Suppressed);
        assert!(!p.loan_months_shown);
    }

    #[test]
    fn each_breakdown_of_the_reach_is_suppressed_on_its_own() {
        let p = publish_reach(
            &reach(
                &[
                    ("coder", "women", "s1", 10),
                    ("coder", "over_40", "s1", 2),
                    ("data_analyst", "women", "s2", 8),
                    ("ux_designer", "women", "s2", 3),
                ],
                20,
            ),
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
        // 20 of 23 completed: the 3 who did not could be worked out, so the 20 is hidden.
        assert_eq!(p.completed, Cell::Suppressed);
        assert!(p.loan_months_shown);
    }

    #[test]
    fn completions_are_shown_when_both_sides_are_big_enough() {
        let p = publish_reach(&reach(&[("coder", "women", "s1", 30)], 12), 5);
        assert_eq!(p.completed, Cell::Count(12));
        let none = publish_reach(&reach(&[("coder", "women", "s1", 30)], 0), 5);
        assert_eq!(none.completed, Cell::Count(0));
    }
}
