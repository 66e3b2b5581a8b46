//! Liveness, readiness and Prometheus metrics, outside `/api/v1` and without sign-in.

use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, Problem};
use crate::state::AppState;
use crate::store::DatabaseUrl;

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(healthz).service(readyz).service(metrics);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`
    pub status: String,
}

/// Liveness: the process answers.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Alive", body = Health)))]
#[get("/healthz")]
async fn healthz() -> web::Json<Health> {
    web::Json(Health { status: "ok".into() })
}

/// Readiness: the database answers a query (and, for SQLite, its file is still there).
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "The database cannot be reached", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
async fn readyz(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    if let DatabaseUrl::Sqlite(path) = state.database_url.as_ref() {
        // An open SQLite connection keeps working on a deleted or unmounted file, which
        // would lose every later write; readiness must notice.
        if !path.exists() {
            tracing::warn!(path = %path.display(), "SQLite database file is gone");
            return Err(ApiError::DatabaseUnavailable);
        }
    }
    state
        .db(|conn| {
            use diesel::connection::SimpleConnection;
            conn.batch_execute("SELECT 1").map_err(|_| ApiError::DatabaseUnavailable)
        })
        .await?;
    Ok(web::Json(Health { status: "ok".into() }))
}

/// Prometheus metrics in the text format: request counts and latency histograms by route
/// template and status; the pool (`devicepool_pool_available` by kind and hub,
/// `devicepool_queue_length` by kind, `devicepool_loans_overdue`) and the outbox by state
/// (`devicepool_outbox_messages`; dead messages need a person). These are read from the
/// database at each scrape with aggregate queries, and left out if it is down, so the metrics
/// themselves still answer.
///
/// When `metrics.token` or `metrics.allowed_addresses` is set, only a scraper that sends
/// the token (`Authorization: Bearer …`) or comes from a listed address may read them.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Metrics", body = String, content_type = "text/plain; version=0.0.4"),
        (status = 401, description = "Metrics are restricted: send the token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/metrics")]
async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
    registry: web::Data<prometheus::Registry>,
) -> Result<HttpResponse, ApiError> {
    if !may_read_metrics(&req, &state) {
        return Err(ApiError::Unauthorized(crate::phrase!("unauthorized-metrics")));
    }

    use prometheus::Encoder;
    let mut families = registry.gather();
    let today = chrono::Utc::now().date_naive();
    let figures = state
        .db(move |conn| {
            Ok((
                crate::store::outbox::count_by_state(conn)?,
                crate::store::matching::pool_gauges(conn, today)?,
            ))
        })
        .await;
    // Left out while the database is down, so the metrics themselves still answer.
    if let Ok((outbox_counts, pool)) = figures {
        families.extend(gauges(&outbox_counts, &pool)?);
    }
    // A gauge with no samples yet (no hub has kit) is left out: the encoder refuses it.
    families.retain(|f| !f.get_metric().is_empty());
    let encoder = prometheus::TextEncoder::new();
    let mut buffer = Vec::new();
    encoder
        .encode(&families, &mut buffer)
        .map_err(|e| ApiError::internal(format!("metrics encoding: {e}")))?;
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(buffer))
}

/// The gauges read from the database at each scrape: the outbox by state, the pool.
fn gauges(
    outbox_counts: &[(String, i64)],
    pool: &crate::store::matching::PoolGauges,
) -> Result<Vec<prometheus::proto::MetricFamily>, ApiError> {
    use prometheus::core::Collector;
    let gauge = |name: &str, help: &str, labels: &[&str]| {
        prometheus::IntGaugeVec::new(prometheus::Opts::new(name, help), labels)
            .map_err(|e| ApiError::internal(format!("metrics: {e}")))
    };
    let outbox = gauge("devicepool_outbox_messages", "Messages in the outbox, by state", &["state"])?;
    for s in ["pending", "sending", "sent", "dead"] {
        let n = outbox_counts.iter().find(|(state, _)| state == s).map_or(0, |(_, n)| *n);
        outbox.with_label_values(&[s]).set(n);
    }
    let available =
        gauge("devicepool_pool_available", "Devices ready to lend, by kind and hub", &["kind", "hub"])?;
    for (kind, hub, n) in &pool.available {
        available.with_label_values(&[kind.as_str(), hub.as_str()]).set(*n);
    }
    let queue = gauge("devicepool_queue_length", "Pending requests, by kind", &["kind"])?;
    for kind in ["laptop", "connectivity", "licence"] {
        let n = pool.queue.iter().find(|(k, _)| k == kind).map_or(0, |(_, n)| *n);
        queue.with_label_values(&[kind]).set(n);
    }
    let overdue = prometheus::IntGauge::new("devicepool_loans_overdue", "Open loans past their due date")
        .map_err(|e| ApiError::internal(format!("metrics: {e}")))?;
    overdue.set(pool.overdue_loans);
    let mut families = outbox.collect();
    families.extend(available.collect());
    families.extend(queue.collect());
    families.extend(overdue.collect());
    Ok(families)
}

/// Whether `req` may read the metrics: open unless a token or addresses are configured; then
/// the right bearer token (compared in constant time) or a listed client address.
fn may_read_metrics(req: &HttpRequest, state: &AppState) -> bool {
    use secrecy::ExposeSecret;
    use subtle::ConstantTimeEq;
    let token = state.settings.metrics.token.expose_secret();
    if token.is_empty() && state.metrics_readers.is_empty() {
        return true;
    }
    if !state.metrics_readers.is_empty()
        && state.metrics_readers.contains(crate::extract::ClientAddress::of(req).0)
    {
        return true;
    }
    let sent = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    !token.is_empty() && bool::from(sent.as_bytes().ct_eq(token.as_bytes()))
}
