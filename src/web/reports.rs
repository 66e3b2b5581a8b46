//! The reports as pages, with the same figures as `/api/v1/reports/*` and a CSV download:
//! a school's own view for its coordinator, and a donor's impact (whole months; figures about
//! too few students shown as "fewer than 5", with why), and the pool for its staff.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;
use serde_json::json;

use super::donations::donor;
use super::page::form_errors;
use super::page::{PageContext, PageError};
use super::student_form::parse_day;
use super::students::coordinator;
use crate::domain::report::{last_of_month, parse_month, Period};
use crate::domain::student::Language;
use crate::domain::{FieldError, Role};
use crate::download;
use crate::error::ApiError;
use crate::i18n;
use crate::render::chart::{bar_chart, Bar};
use crate::render::csv::report_csv;
use crate::store;
use crate::workflows::reports::{impact_of, pool_of, school_of, ImpactReport, KitRow};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/reports/school", web::get().to(school_page))
        .route("/reports/pool", web::get().to(pool_page))
        .route("/reports/impact", web::get().to(impact_page));
}

/// A report as a CSV download named for it and its period.
fn csv_file<T: Serialize>(
    ctx: &PageContext,
    report: &T,
    name: &str,
    period: &Period,
) -> Result<HttpResponse, PageError> {
    let value = serde_json::to_value(report).map_err(|e| ctx.fail(ApiError::internal(e.to_string())))?;
    let body =
        report_csv(&value).ok_or_else(|| ctx.fail(ApiError::internal("report is not shaped as sections")))?;
    let filename = format!("{name}-{}-{}.csv", period.from, period.to);
    Ok(download::attachment("text/csv; charset=utf-8", &filename).body(body))
}

fn field(query: &HashMap<String, String>, name: &str) -> String {
    query.get(name).map(|v| v.trim().to_owned()).unwrap_or_default()
}

/// The school report's period from its two date fields (either may be empty).
fn school_period(from: &str, to: &str, today: chrono::NaiveDate) -> Result<Period, Vec<FieldError>> {
    let day = |name: &str, typed: &str| match typed {
        "" => Ok(None),
        typed => parse_day(name, typed).map(Some),
    };
    match (day("from", from), day("to", to)) {
        (Ok(from), Ok(to)) => Period::parse(from, to, today).map_err(|e| vec![e]),
        (from, to) => Err(from.err().into_iter().chain(to.err()).collect()),
    }
}

async fn school_page(
    ctx: PageContext,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let (actor, school) = coordinator(&ctx)?;
    let (from, to) = (field(&query, "from"), field(&query, "to"));
    let typed = json!({"from": from, "to": to});
    let period = match school_period(&from, &to, store::now().date()) {
        Ok(period) => period,
        Err(problems) => {
            let (errors, by_field) = form_errors(&ctx, &problems);
            let values = json!({"typed": typed, "report": null, "errors": errors, "field_errors": by_field, "wide": true});
            return ctx.render_with_status(StatusCode::UNPROCESSABLE_ENTITY, "school_report.html", values);
        }
    };
    let report = ctx
        .state
        .db(move |conn| school_of(conn, &period, &school, (&actor, Role::School), None, store::now()))
        .await
        .map_err(|e| ctx.fail(e))?;
    if query.get("format").map(String::as_str) == Some("csv") {
        return csv_file(&ctx, &report, "school", &period);
    }
    let typed = json!({"from": period.from.to_string(), "to": period.to.to_string()});
    let csv = format!("/reports/school?from={}&to={}&format=csv", period.from, period.to);
    ctx.render("school_report.html", json!({"typed": typed, "report": report, "csv": csv, "wide": true}))
}

/// The impact report's whole months from its two month fields (either may be empty).
fn impact_period(from: &str, to: &str, today: chrono::NaiveDate) -> Result<Period, Vec<FieldError>> {
    match (parse_month("from", from), parse_month("to", to)) {
        (Ok(from), Ok(to)) => Period::whole_months(from, to.map(last_of_month), today).map_err(|e| vec![e]),
        (from, to) => Err(from.err().into_iter().chain(to.err()).collect()),
    }
}

/// A figure of the impact report as the page shows it: the number, or "fewer than 5".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub value: Option<String>,
    pub hidden: bool,
}

impl Figure {
    fn of(count: Option<i64>, suppressed: bool) -> Figure {
        Figure { value: count.filter(|_| !suppressed).map(|n| n.to_string()), hidden: suppressed }
    }
}

/// A weight as the reader writes decimals: "20.2" or "20,2".
fn kg(value: f64, lang: Language) -> String {
    let text = format!("{value:.1}");
    if lang == Language::Nl {
        text.replace('.', ",")
    } else {
        text
    }
}

/// The environmental figures shaped for the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnvironmentView {
    pub loan_cycles: Figure,
    pub kg_reused: Figure,
    /// Of the weight, how much is the default for devices nobody weighed ("" when none).
    pub kg_by_default: Option<String>,
    /// "1177–1430"; hidden with the reuse figures.
    pub co2e: Figure,
    pub devices_recycled: i64,
    pub kg_recycled: String,
    /// Given to students to keep, and their weight.
    pub devices_gifted: i64,
    pub kg_gifted: String,
    /// Confirmed in use in the newest in-use round (hidden for few students); null without a round.
    pub in_use_confirmed: Option<Figure>,
    pub factor_set: String,
    pub sources: Vec<String>,
}

pub fn environment_view(report: &ImpactReport, lang: Language) -> EnvironmentView {
    let e = &report.environment.figures;
    let hidden = e.reuse_suppressed;
    let shown = |value: Option<String>| Figure { value: value.filter(|_| !hidden), hidden };
    EnvironmentView {
        loan_cycles: Figure::of(e.loan_cycles, hidden),
        kg_reused: shown(e.kg_reused.map(|v| kg(v, lang))),
        kg_by_default: e.kg_reused_by_default.filter(|v| *v > 0.0 && !hidden).map(|v| kg(v, lang)),
        co2e: shown(e.co2e_range()),
        devices_recycled: e.devices_recycled,
        kg_recycled: kg(e.kg_recycled, lang),
        devices_gifted: report.gifted.devices,
        kg_gifted: kg(report.gifted.kg, lang),
        in_use_confirmed: report
            .in_use_confirmed
            .round_opened_at
            .map(|_| Figure::of(report.in_use_confirmed.devices, report.in_use_confirmed.suppressed)),
        factor_set: report.environment.factor_set.clone(),
        sources: report.environment.sources.clone(),
    }
}

/// One row of a breakdown table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupLine {
    /// A catalogue key (tracks, target groups) or a school's name.
    pub name: String,
    pub is_key: bool,
    pub students: Figure,
}

/// The impact report shaped for the page's tables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpactView {
    pub reached: Figure,
    pub completed: Figure,
    pub loan_months: Option<String>,
    pub tracks: Vec<GroupLine>,
    pub target_groups: Vec<GroupLine>,
    pub schools: Vec<GroupLine>,
    /// Whether any figure is hidden (the page then says why).
    pub any_hidden: bool,
}

/// The page's view of `report`: figures hidden where the report hides them, and the groups
/// of each breakdown in the report's order.
pub fn impact_view(report: &ImpactReport) -> ImpactView {
    let s = &report.students;
    let mut view = ImpactView {
        reached: Figure::of(s.reached, s.reached_suppressed),
        completed: Figure::of(s.completed_programme, s.completed_suppressed),
        loan_months: s.loan_months.map(|m| format!("{m:.1}")),
        tracks: Vec::new(),
        target_groups: Vec::new(),
        schools: Vec::new(),
        any_hidden: false,
    };
    for g in &report.groups {
        let line =
            |name: String, is_key| GroupLine { name, is_key, students: Figure::of(g.students, g.suppressed) };
        match g.breakdown.as_str() {
            "track" => view.tracks.push(line(format!("track-{}", g.group.replace('_', "-")), true)),
            "target_group" => {
                view.target_groups.push(line(format!("group-{}", g.group.replace('_', "-")), true))
            }
            _ => view.schools.push(line(g.school.clone().unwrap_or_default(), false)),
        }
    }
    view.any_hidden = [&view.reached, &view.completed].iter().any(|f| f.hidden)
        || view.tracks.iter().chain(&view.target_groups).chain(&view.schools).any(|g| g.students.hidden);
    view
}

/// The kit in service now, a bar for each kind, as an SVG element.
fn kit_chart(ctx: &PageContext, kit: &[KitRow]) -> String {
    let say = |key: &str| i18n::say_key(key, [], ctx.lang);
    let labels: Vec<(String, i64)> = kit
        .iter()
        .flat_map(|k| {
            let kind = say(if k.kind == "laptop" { "impact-kind-laptops" } else { "impact-kind-dongles" });
            [
                (format!("{kind}: {}", say("impact-in-service")), k.count.in_service),
                (format!("{kind}: {}", say("impact-with-students")), k.count.with_students),
            ]
        })
        .collect();
    let bars: Vec<Bar> = labels.iter().map(|(label, value)| Bar { label, value: *value }).collect();
    bar_chart(&say("impact-chart-title"), &bars, "#1b7837")
}

async fn impact_page(
    ctx: PageContext,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let (_, donor_id) = donor(&ctx)?;
    let (from, to) = (field(&query, "from"), field(&query, "to"));
    let period = match impact_period(&from, &to, store::now().date()) {
        Ok(period) => period,
        Err(problems) => {
            let (errors, by_field) = form_errors(&ctx, &problems);
            let values = json!({
                "typed": {"from": from, "to": to}, "report": null, "errors": errors,
                "field_errors": by_field, "wide": true,
            });
            return ctx.render_with_status(StatusCode::UNPROCESSABLE_ENTITY, "impact.html", values);
        }
    };
    let min = ctx.state.settings.reports.min_cell_size;
    let factors = ctx.state.settings.reports.environment.clone();
    let report = ctx
        .state
        .db(move |conn| impact_of(conn, &period, Some(&donor_id), min, &factors, store::now()))
        .await
        .map_err(|e| ctx.fail(e))?;
    if query.get("format").map(String::as_str) == Some("csv") {
        return csv_file(&ctx, &report, "impact", &period);
    }
    let month = |d: chrono::NaiveDate| d.format("%Y-%m").to_string();
    let values = json!({
        "typed": {"from": month(period.from), "to": month(period.to)},
        "period": {"from": period.from.to_string(), "to": period.to.to_string()},
        "csv": format!("/reports/impact?from={}&to={}&format=csv", month(period.from), month(period.to)),
        "chart": kit_chart(&ctx, &report.kit), "view": impact_view(&report), "min": min,
        "environment": environment_view(&report, ctx.lang),
        "report": report, "wide": true,
    });
    ctx.render("impact.html", values)
}

/// The pool report for staff: the pool now and over the period, with its chart.
async fn pool_page(
    ctx: PageContext,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    super::desk::staff(&ctx)?;
    let (from, to) = (field(&query, "from"), field(&query, "to"));
    let period = match school_period(&from, &to, store::now().date()) {
        Ok(period) => period,
        Err(problems) => {
            let (errors, by_field) = form_errors(&ctx, &problems);
            let values = json!({"typed": {"from": from, "to": to}, "report": null, "errors": errors, "field_errors": by_field, "wide": true});
            return ctx.render_with_status(StatusCode::UNPROCESSABLE_ENTITY, "pool_report.html", values);
        }
    };
    let report =
        ctx.state.db(move |conn| pool_of(conn, &period, store::now())).await.map_err(|e| ctx.fail(e))?;
    if query.get("format").map(String::as_str) == Some("csv") {
        return csv_file(&ctx, &report, "pool", &period);
    }
    let values = json!({
        "typed": {"from": period.from.to_string(), "to": period.to.to_string()},
        "csv": format!("/reports/pool?from={}&to={}&format=csv", period.from, period.to),
        "chart": crate::render::chart::pool_chart(&report, ctx.lang), "report": report, "wide": true,
    });
    ctx.render("pool_report.html", values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::KitCount;
    use crate::workflows::reports::{EnvironmentFigures, EnvironmentRow, GroupRow, ReportInfo, StudentsRow};
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("day")
    }

    fn report(groups: Vec<GroupRow>, students: StudentsRow) -> ImpactReport {
        ImpactReport {
            report: ReportInfo {
                name: "impact".into(),
                from: day(2026, 1, 1),
                to: day(2026, 11, 30),
                generated_at: chrono::Utc::now(),
                min_cell_size: Some(5),
                donor_id: None,
                donor: None,
                school_id: None,
                school: None,
            },
            kit: vec![KitRow { kind: "laptop".into(), count: KitCount::default() }],
            licences: vec![],
            students,
            groups,
            environment: EnvironmentRow {
                factor_set: "2026-12".into(),
                displacement: 0.5,
                figures: EnvironmentFigures {
                    loan_cycles: Some(11),
                    kg_reused: Some(20.2),
                    kg_reused_by_default: Some(16.2),
                    reuse_suppressed: false,
                    co2e_avoided_kg_low: Some(1177.0),
                    co2e_avoided_kg_high: Some(1430.0),
                    devices_recycled: 2,
                    kg_recycled: 4.3,
                },
                sources: vec!["A study".into()],
                basis: String::new(),
            },
            environment_by_kind: vec![],
            gifted: crate::workflows::reports::GiftedRow { devices: 1, kg: 1.8 },
            in_use_confirmed: crate::workflows::reports::InUseRow {
                round_opened_at: None,
                devices: Some(0),
                suppressed: false,
            },
        }
    }

    fn students() -> StudentsRow {
        StudentsRow {
            reached: Some(12),
            reached_suppressed: false,
            completed_programme: None,
            completed_suppressed: true,
            loan_months: None,
        }
    }

    #[test]
    fn environmental_figures_are_written_as_the_reader_writes_decimals_and_hidden_together() {
        let r = report(vec![], students());
        let en = environment_view(&r, Language::En);
        assert_eq!(en.loan_cycles, Figure { value: Some("11".into()), hidden: false });
        assert_eq!(
            (en.kg_reused.value.as_deref(), en.kg_by_default.as_deref()),
            (Some("20.2"), Some("16.2"))
        );
        assert_eq!(en.co2e.value.as_deref(), Some("1177–1430"));
        assert_eq!((en.kg_recycled.as_str(), en.sources.len()), ("4.3", 1));
        let nl = environment_view(&r, Language::Nl);
        assert_eq!((nl.kg_reused.value.as_deref(), nl.kg_recycled.as_str()), (Some("20,2"), "4,3"));

        let mut hidden = report(vec![], students());
        let e = &mut hidden.environment.figures;
        (e.loan_cycles, e.kg_reused, e.kg_reused_by_default, e.reuse_suppressed) = (None, None, None, true);
        (e.co2e_avoided_kg_low, e.co2e_avoided_kg_high) = (None, None);
        let v = environment_view(&hidden, Language::En);
        assert!(v.loan_cycles.hidden && v.kg_reused.hidden && v.co2e.hidden);
        assert_eq!((v.kg_reused.value, v.co2e.value, v.kg_by_default), (None, None, None));
        assert_eq!(v.devices_recycled, 2, "recycling is never hidden");
        assert_eq!(v.in_use_confirmed, None, "no in-use round yet: no row");
        let mut asked = report(vec![], students());
        asked.in_use_confirmed.round_opened_at = Some(chrono::Utc::now());
        (asked.in_use_confirmed.devices, asked.in_use_confirmed.suppressed) = (None, true);
        let v = environment_view(&asked, Language::En);
        assert_eq!(v.in_use_confirmed, Some(Figure { value: None, hidden: true }));
    }

    fn group(breakdown: &str, group: &str, students: Option<i64>) -> GroupRow {
        GroupRow {
            breakdown: breakdown.into(),
            group: group.into(),
            school: (breakdown == "school").then(|| format!("School {group}")),
            students,
            suppressed: students.is_none(),
        }
    }

    #[test]
    fn hidden_figures_carry_no_number_and_say_so() {
        let students = StudentsRow {
            reached: Some(12),
            reached_suppressed: false,
            completed_programme: None,
            completed_suppressed: true,
            loan_months: Some(30.46),
        };
        let view = impact_view(&report(
            vec![
                group("track", "data_analyst", Some(9)),
                group("track", "ux_designer", None),
                group("target_group", "not_recorded", Some(12)),
                group("school", "s1", Some(12)),
            ],
            students,
        ));
        assert_eq!(view.reached, Figure { value: Some("12".into()), hidden: false });
        assert_eq!(view.completed, Figure { value: None, hidden: true });
        assert_eq!(view.loan_months.as_deref(), Some("30.5"));
        let tracks: Vec<(&str, bool)> =
            view.tracks.iter().map(|g| (g.name.as_str(), g.students.hidden)).collect();
        assert_eq!(tracks, vec![("track-data-analyst", false), ("track-ux-designer", true)]);
        assert_eq!(view.target_groups[0].name, "group-not-recorded");
        assert_eq!((view.schools[0].name.as_str(), view.schools[0].is_key), ("School s1", false));
        assert!(view.any_hidden);
    }

    #[test]
    fn a_report_with_nothing_hidden_says_nothing_about_hiding() {
        let students = StudentsRow {
            reached: Some(0),
            reached_suppressed: false,
            completed_programme: Some(0),
            completed_suppressed: false,
            loan_months: None,
        };
        let view = impact_view(&report(vec![], students));
        assert!(!view.any_hidden);
        assert_eq!(view.reached.value.as_deref(), Some("0"));
        assert!(view.tracks.is_empty() && view.schools.is_empty());
    }

    #[test]
    fn report_periods_are_read_from_what_was_typed() {
        let today = day(2026, 12, 2);
        let p = impact_period("2026-01", "10-2026", today).expect("whole months");
        assert_eq!((p.from, p.to), (day(2026, 1, 1), day(2026, 10, 31)));
        let p = impact_period("", "", today).expect("the default");
        assert_eq!((p.from, p.to), (day(2025, 12, 1), day(2026, 11, 30)));
        let errors = impact_period("jan", "2026-12", today).expect_err("bad");
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), vec!["from"]);
        let errors = impact_period("2026-01", "2026-12", today).expect_err("December has not ended");
        assert_eq!(errors[0].field, "to");
        let p = school_period("01-09-2026", "", today).expect("school period");
        assert_eq!((p.from, p.to), (day(2026, 9, 1), today));
        let errors = school_period("yesterday", "soon", today).expect_err("bad");
        assert_eq!(errors.len(), 2);
    }
}
