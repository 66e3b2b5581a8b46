//! `/api/v1/reports/*`: the pool (staff), donors' impact (a donor: their own; staff: one donor
//! or all) and a school's view (a school: its own; staff: any). Each as JSON, as CSV
//! (`?format=csv` or `Accept: text/csv`) and, for the pool, as an SVG chart (`?format=svg`).

use actix_web::http::header::{self, Header};
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::report::{self, Format, Period};
use crate::domain::Role;
use crate::download;
use crate::error::{ApiError, Problem};
use crate::extract::AuthUser;
use crate::openapi::answers::*;
use crate::render::{chart, csv::report_csv};
use crate::state::AppState;
use crate::store;
use crate::workflows::reports::{self as build, ImpactReport, PoolReport, SchoolReport};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(pool_report).service(impact_report).service(school_report);
}

/// The pool report as JSON, CSV or a chart.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PoolFormat {
    Json,
    Csv,
    Svg,
}

/// A report as JSON or CSV.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TableFormat {
    Json,
    Csv,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PoolQuery {
    /// First day of the period (default: 364 days before `to`).
    pub from: Option<NaiveDate>,
    /// Last day of the period, included (default: today).
    pub to: Option<NaiveDate>,
    /// Overrides the Accept header.
    #[param(inline)]
    pub format: Option<PoolFormat>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImpactQuery {
    /// The first day of a month (default: twelve months before this one).
    pub from: Option<NaiveDate>,
    /// The last day of a month that has ended (default: last month's).
    pub to: Option<NaiveDate>,
    #[param(inline)]
    pub format: Option<TableFormat>,
    /// Staff: one donor (default: all donors together). A donor may leave it out or give
    /// their own; any other answers 404.
    pub donor_id: Option<uuid::Uuid>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SchoolQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    #[param(inline)]
    pub format: Option<TableFormat>,
    /// Staff: the school (required). A school may leave it out or give its own; any other
    /// answers 404.
    pub school_id: Option<uuid::Uuid>,
}

/// The media types the client accepts, best first.
fn accepted(req: &HttpRequest) -> Vec<String> {
    header::Accept::parse(req)
        .map(|a| a.ranked().into_iter().map(|m| m.essence_str().to_owned()).collect())
        .unwrap_or_default()
}

fn format_of(req: &HttpRequest, asked: Option<&str>, has_chart: bool) -> Result<Format, ApiError> {
    Ok(report::negotiate(asked, &accepted(req), has_chart)?)
}

/// The report in `format` (JSON or CSV).
fn table<T: Serialize>(
    report: &T,
    format: Format,
    name: &str,
    period: &Period,
) -> Result<HttpResponse, ApiError> {
    let body = match format {
        Format::Csv => {
            let value = serde_json::to_value(report).map_err(|e| ApiError::internal(e.to_string()))?;
            report_csv(&value).ok_or_else(|| ApiError::internal("report is not shaped as sections"))?
        }
        _ => serde_json::to_string(report).map_err(|e| ApiError::internal(e.to_string()))?,
    };
    Ok(respond(body, format, name, period))
}

/// `body` as a file named for the report and its period: a CSV is a download, the rest shown.
fn respond(body: String, format: Format, name: &str, period: &Period) -> HttpResponse {
    let filename = format!("{name}-{}-{}.{}", period.from, period.to, format.extension());
    let file = if format == Format::Csv { download::attachment } else { download::inline };
    file(format.content_type(), &filename).body(body)
}

fn period_of(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Period, ApiError> {
    Ok(Period::parse(from, to, store::now().date())?)
}

/// The pool as staff run it: kit by kind, state, grade and hub; the queue and how long it
/// waits (p50, p90) by kind and hub; loans started, returned, lost, active and overdue;
/// days from return to the next loan; the share of requests served by their needed-by date;
/// and the pool over time (`?format=svg` draws it).
#[utoipa::path(
    tag = "reports",
    params(PoolQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "The pool report", content(
            (PoolReport = "application/json"),
            (String = "text/csv"),
            (String = "image/svg+xml"),
        )),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The period runs backwards or is over five years", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/pool")]
async fn pool_report(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<PoolQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let asked = query.format.map(|f| match f {
        PoolFormat::Json => "json",
        PoolFormat::Csv => "csv",
        PoolFormat::Svg => "svg",
    });
    let format = format_of(&req, asked, true)?;
    let period = period_of(query.from, query.to)?;
    let now = store::now();
    let (figures, turnaround, over_time) = futures_util::future::try_join3(
        state.db(move |conn| Ok(build::pool_figures(conn, &period, now)?)),
        state.db(move |conn| Ok(build::pool_turnaround(conn, &period)?)),
        state.db(move |conn| Ok(build::pool_over_time(conn, &period)?)),
    )
    .await?;
    let report = PoolReport { figures, turnaround, over_time };
    if format != Format::Svg {
        return table(&report, format, "pool", &period);
    }
    let language =
        report::language_of(req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    Ok(respond(chart::pool_chart(&report, language), format, "pool", &period))
}

/// Which organisation a report is about: the caller's own (`own`), or for staff the one
/// asked for. Another organisation's id answers 404, as for any object that is not yours.
fn subject(own: Option<String>, asked: Option<uuid::Uuid>) -> Result<Option<String>, ApiError> {
    let asked = asked.map(|id| id.to_string());
    match own {
        Some(own) if asked.as_ref().is_some_and(|a| *a != own) => Err(ApiError::NotFound),
        Some(own) => Ok(Some(own)),
        None => Ok(asked),
    }
}

/// What donated kit achieved over whole months that have ended: items received, in service
/// and retired; students who received the kit, by track, target group and school (counted in
/// each month they received some); loan-months; programmes completed while holding the kit.
/// Each month is suppressed on its own: figures about fewer than `reports.min_cell_size`
/// students are null with `suppressed` true, and so are enough others that a hidden one cannot
/// be worked out from the rest; a figure over several months is the sum of the months', hidden
/// if any is. So no two periods, overlapping or not, give a small group away.
#[utoipa::path(
    tag = "reports",
    params(ImpactQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "The impact report", content(
            (ImpactReport = "application/json"),
            (String = "text/csv"),
        )),
        (status = 403, description = "Donors and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such donor, or not you", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The period is not whole months that have ended, runs backwards or is over five years", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/impact")]
async fn impact_report(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ImpactQuery>,
) -> Result<HttpResponse, ApiError> {
    let donor_id = subject(auth.donor_scope()?, query.donor_id)?;
    let format = format_of(&req, query.format.map(table_format), false)?;
    let period = Period::whole_months(query.from, query.to, store::now().date())?;
    let min = state.settings.reports.min_cell_size;
    let factors = state.settings.reports.environment.clone();
    let report = state
        .db(move |conn| build::impact_of(conn, &period, donor_id.as_deref(), min, &factors, store::now()))
        .await?;
    table(&report, format, "impact", &period)
}

fn table_format(f: TableFormat) -> &'static str {
    match f {
        TableFormat::Json => "json",
        TableFormat::Csv => "csv",
    }
}

/// A school's own view: its requests made in the period, its students' loans, the loans past
/// due now and the students still waiting for kit, longest first, with how long.
#[utoipa::path(
    tag = "reports",
    params(SchoolQuery),
    responses(
        SignedIn, QueryString,
        (status = 200, description = "The school's report", content(
            (SchoolReport = "application/json"),
            (String = "text/csv"),
        )),
        (status = 403, description = "Schools and pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such school, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Staff gave no school_id, or the period is not valid", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/school")]
async fn school_report(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: AuthUser,
    request_id: crate::middleware::RequestId,
    query: web::Query<SchoolQuery>,
) -> Result<HttpResponse, ApiError> {
    let school_id = subject(auth.school_scope()?, query.school_id)?
        .ok_or_else(|| ApiError::invalid("school_id", crate::phrase!("field-school-required")))?;
    let format = format_of(&req, query.format.map(table_format), false)?;
    let period = period_of(query.from, query.to)?;
    let (actor, role) = (auth.id.clone(), auth.role);
    let report = state
        .db(move |conn| {
            let reader = (actor.as_str(), role);
            build::school_of(conn, &period, &school_id, reader, Some(&request_id.0), store::now())
        })
        .await?;
    table(&report, format, "school", &period)
}
