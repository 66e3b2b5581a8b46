//! A line chart as a standalone SVG document, sized to paste into a board paper: a title, a
//! y axis from 0 with round steps, dates along the x axis and a legend. Text is escaped, so any
//! hub or label name is safe.

use chrono::{Datelike, NaiveDate};

use super::escape;
use crate::domain::student::Language;

/// One line of the chart: its name in the legend, its colour and a value per date.
pub struct Series<'a> {
    pub label: &'a str,
    pub colour: &'a str,
    pub values: &'a [i64],
}

const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 420.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 56.0;
const BOTTOM: f64 = 92.0;

/// A round step for an axis reaching `max` in about five steps: 1, 2 or 5 times a power of 10.
pub fn axis_step(max: i64) -> i64 {
    let rough = (max.max(1) as f64 / 5.0).max(1.0);
    let magnitude = 10f64.powf(rough.log10().floor());
    let step =
        [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= rough).unwrap_or(10.0 * magnitude);
    (step as i64).max(1)
}

/// A date as people write it: "28 feb 2026" (Dutch) or "28 Feb 2026" (English).
pub fn date_label(day: NaiveDate, language: Language) -> String {
    const NL: [&str; 12] =
        ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
    const EN: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let months = if language == Language::Nl { NL } else { EN };
    format!("{} {} {}", day.day(), months[day.month0() as usize], day.year())
}

/// The chart of `series` over `dates` (the same length as each series' values).
pub fn line_chart(
    title: &str,
    description: &str,
    dates: &[NaiveDate],
    series: &[Series],
    language: Language,
) -> String {
    let max = series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0).max(0);
    let step = axis_step(max);
    let top_value = ((max + step - 1) / step * step).max(step);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let (first, last) = (dates.first().copied(), dates.last().copied());
    let span = match (first, last) {
        (Some(a), Some(b)) => (b - a).num_days().max(1) as f64,
        _ => 1.0,
    };
    let x = |d: NaiveDate| LEFT + first.map_or(0.0, |f| (d - f).num_days() as f64 / span * plot_w);
    let y = |v: i64| TOP + plot_h - v.max(0) as f64 / top_value as f64 * plot_h;

    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"title desc\" \
         font-family=\"sans-serif\">\
         <title id=\"title\">{t}</title><desc id=\"desc\">{d}</desc>\
         <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"white\"/>\
         <text x=\"{LEFT}\" y=\"30\" font-size=\"18\" font-weight=\"bold\">{t}</text>",
        t = escape(title),
        d = escape(description),
    );
    // Horizontal grid lines with their values.
    let mut v = 0;
    while v <= top_value {
        let gy = y(v);
        svg.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{x2}\" y1=\"{gy:.1}\" y2=\"{gy:.1}\" stroke=\"#dddddd\"/>\
             <text x=\"{tx}\" y=\"{ty:.1}\" font-size=\"12\" text-anchor=\"end\">{v}</text>",
            x2 = WIDTH - RIGHT,
            tx = LEFT - 8.0,
            ty = gy + 4.0,
        ));
        v += step;
    }
    // About six date labels, the last date always among them.
    if !dates.is_empty() {
        let every = dates.len().div_ceil(6).max(1);
        for (i, day) in dates.iter().enumerate() {
            let last = i + 1 == dates.len();
            // A regular label too close to the last one (drawn right-aligned) would overlap it.
            let clear_of_last = last || x(dates[dates.len() - 1]) - x(*day) >= 135.0;
            if (i % every == 0 && clear_of_last) || last {
                let lx = x(*day);
                // The end labels sit inside the chart so that neither is cut off.
                let anchor = match (i, last) {
                    (0, _) => "start",
                    (_, true) => "end",
                    _ => "middle",
                };
                svg.push_str(&format!(
                    "<line x1=\"{lx:.1}\" x2=\"{lx:.1}\" y1=\"{y0:.1}\" y2=\"{y1:.1}\" stroke=\"#888888\"/>\
                     <text x=\"{lx:.1}\" y=\"{ty:.1}\" font-size=\"12\" text-anchor=\"{anchor}\">{label}</text>",
                    y0 = TOP + plot_h,
                    y1 = TOP + plot_h + 5.0,
                    ty = TOP + plot_h + 20.0,
                    label = escape(&date_label(*day, language)),
                ));
            }
        }
    }
    svg.push_str(&format!(
        "<line x1=\"{LEFT}\" x2=\"{LEFT}\" y1=\"{TOP}\" y2=\"{b:.1}\" stroke=\"#444444\"/>\
         <line x1=\"{LEFT}\" x2=\"{r}\" y1=\"{b:.1}\" y2=\"{b:.1}\" stroke=\"#444444\"/>",
        b = TOP + plot_h,
        r = WIDTH - RIGHT,
    ));
    for (i, s) in series.iter().enumerate() {
        let points: Vec<String> =
            dates.iter().zip(s.values).map(|(d, v)| format!("{:.1},{:.1}", x(*d), y(*v))).collect();
        svg.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{c}\" stroke-width=\"2.5\" points=\"{p}\"/>",
            c = escape(s.colour),
            p = points.join(" "),
        ));
        // The legend, in one row under the dates.
        let lx = LEFT + i as f64 * 220.0;
        let ly = HEIGHT - 24.0;
        svg.push_str(&format!(
            "<line x1=\"{lx}\" x2=\"{lx2}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{c}\" stroke-width=\"4\"/>\
             <text x=\"{tx}\" y=\"{ty}\" font-size=\"13\">{label}</text>",
            lx2 = lx + 24.0,
            c = escape(s.colour),
            tx = lx + 32.0,
            ty = ly + 4.0,
            label = escape(s.label),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// One bar of a bar chart: its label and value.
pub struct Bar<'a> {
    pub label: &'a str,
    pub value: i64,
}

/// A horizontal bar chart as an SVG element to put in a page: a label and a value on every
/// bar, so it reads without the axis; `title` names it for screen readers (the page's table
/// gives the same figures).
pub fn bar_chart(title: &str, bars: &[Bar], colour: &str) -> String {
    const W: f64 = 640.0;
    const LABEL: f64 = 230.0;
    const ROW: f64 = 30.0;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f64;
    let height = ROW * bars.len() as f64 + 8.0;
    let mut out = format!(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {W} {height}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        escape(title)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let length = ((W - LABEL - 60.0) * bar.value.max(0) as f64 / max).max(1.0);
        out.push_str(&format!(
            "<text x=\"{x:.0}\" y=\"{ty:.0}\" text-anchor=\"end\" font-size=\"14\">{label}</text>\
             <rect x=\"{LABEL}\" y=\"{y:.0}\" width=\"{length:.1}\" height=\"20\" fill=\"{colour}\"/>\
             <text x=\"{vx:.1}\" y=\"{ty:.0}\" font-size=\"14\">{value}</text>",
            x = LABEL - 8.0,
            ty = y + 15.0,
            label = escape(bar.label),
            vx = LABEL + length + 6.0,
            value = bar.value,
        ));
    }
    out.push_str("</svg>");
    out
}

/// The pool over a report's period: devices available, kit on loan, requests waiting.
pub fn pool_chart(report: &crate::workflows::reports::PoolReport, language: Language) -> String {
    let points = &report.over_time;
    let dates: Vec<NaiveDate> = points.iter().map(|p| p.date).collect();
    let available: Vec<i64> = points.iter().map(|p| p.available).collect();
    let on_loan: Vec<i64> = points.iter().map(|p| p.on_loan).collect();
    let waiting: Vec<i64> = points.iter().map(|p| p.waiting).collect();
    let (from, to) =
        (date_label(report.figures.report.from, language), date_label(report.figures.report.to, language));
    let (title, description, labels) = match language {
        Language::Nl => (
            format!("De pool van {from} tot {to}"),
            "Apparaten beschikbaar, kit uitgeleend en aanvragen die wachten, aan het eind van elke dag, week of maand.",
            ["Beschikbaar", "Uitgeleend", "Wachtende aanvragen"],
        ),
        Language::En => (
            format!("The pool from {from} to {to}"),
            "Devices available, kit on loan and requests waiting, at the end of each day, week or month.",
            ["Available", "On loan", "Requests waiting"],
        ),
    };
    line_chart(
        &title,
        description,
        &dates,
        &[
            Series { label: labels[0], colour: "#1b7837", values: &available },
            Series { label: labels[1], colour: "#2166ac", values: &on_loan },
            Series { label: labels[2], colour: "#d95f02", values: &waiting },
        ],
        language,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_chart_names_itself_and_labels_every_bar() {
        let bars = [Bar { label: "Laptops <in service>", value: 18 }, Bar { label: "Dongles", value: 0 }];
        let svg = bar_chart("Kit & co", &bars, "#1b7837");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title>Kit &amp; co</title>") && svg.contains("role=\"img\""));
        assert!(svg.contains(">Laptops &lt;in service&gt;</text>"));
        assert!(svg.contains(">18</text>") && svg.contains(">0</text>"));
        assert_eq!(svg.matches("<rect").count(), 2, "a bar for zero too, one pixel wide");
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(axis_step(0), 1);
        assert_eq!(axis_step(4), 1);
        assert_eq!(axis_step(9), 2);
        assert_eq!(axis_step(23), 5);
        assert_eq!(axis_step(48), 10);
        assert_eq!(axis_step(1234), 500);
        assert_eq!(axis_step(20_000), 5000);
    }

    #[test]
    fn the_chart_draws_each_series_and_escapes_text() {
        let dates = [day("2026-01-31"), day("2026-02-28"), day("2026-03-31")];
        let svg = line_chart(
            "Pool <2026> & more",
            "desc",
            &dates,
            &[
                Series { label: "On loan", colour: "#2166ac", values: &[1, 5, 3] },
                Series { label: "Waiting", colour: "#d95f02", values: &[9, 0, 2] },
            ],
            Language::Nl,
        );
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("Pool &lt;2026&gt; &amp; more"));
        assert!(svg.contains(">28 feb 2026</text>"));
        // The first value of "On loan" (1 of 10 on the axis) sits just above the bottom.
        assert!(svg.contains("points=\"64.0,300.8 "), "{svg}");
    }

    #[test]
    fn date_labels_stay_inside_the_chart_and_apart() {
        let dates: Vec<NaiveDate> = day("2026-11-01").iter_days().take(25).collect();
        let values = vec![1; 25];
        let svg = line_chart(
            "t",
            "",
            &dates,
            &[Series { label: "s", colour: "#000", values: &values }],
            Language::En,
        );
        assert!(svg.contains("text-anchor=\"start\">1 Nov 2026</text>"), "{svg}");
        assert!(svg.contains("text-anchor=\"end\">25 Nov 2026</text>"), "{svg}");
        // Every fifth day is labelled, but 21 November is too close to the last label.
        assert!(svg.contains(">16 Nov 2026</text>") && !svg.contains(">21 Nov 2026</text>"), "{svg}");
    }

    #[test]
    fn an_empty_chart_is_still_a_document() {
        let svg = line_chart("Empty", "", &[], &[], Language::En);
        assert!(svg.contains("<title id=\"title\">Empty</title>"));
        assert!(svg.ends_with("</svg>"));
    }
}
