//! Builds the application: pool, migrations, routes, middleware, and the HTTP server.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use anyhow::Context;
use secrecy::ExposeSecret;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::auth::{jwt::TokenKeys, keys::ServerKeys, password::PasswordHasher};
use crate::configuration::Settings;
use crate::domain::client_address::Networks;
use crate::extract::{path_error, query_error};
use crate::openapi::ApiDoc;
use crate::routes::{self, fallback::RouteTable};
use crate::state::AppState;
use crate::store::{self, DatabaseUrl, DbPool};

pub struct Application {
    port: u16,
    server: Server,
    housekeeping: (DbPool, Arc<Settings>),
    anonymous_limit: crate::rate_limit::AnonymousLimit,
    /// The database the pool's account cache listens to for other instances' changes.
    database_url: DatabaseUrl,
}

/// Opens the pool and applies pending migrations.
pub fn connect(settings: &Settings) -> anyhow::Result<(DatabaseUrl, DbPool)> {
    let url = DatabaseUrl::parse(settings.database.url.expose_secret())
        .map_err(|e| anyhow::anyhow!("database.url: {e}"))?;
    let pool = store::build_pool(
        &url,
        settings.database.max_connections,
        Duration::from_secs(settings.database.acquire_timeout_seconds),
        Duration::from_secs(settings.auth.account_cache_seconds),
    )?;
    let mut conn = pool
        .get()
        .with_context(|| format!("cannot open the {} database named in database.url", url.backend_name()))?;
    store::run_migrations(&mut conn)?;
    store::tracks::seed(&mut conn, &settings.tracks, store::now())
        .context("loading the configured tracks")?;
    Ok((url, pool))
}

/// The OpenAPI document of every route this server serves.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(
            utoipa_actix_web::scope("/api/v1")
                .configure(routes::api_v1(&crate::rate_limit::anonymous_limit(1))),
        )
        .configure(routes::health::config)
        .split_for_parts();
    let mut doc = doc;
    crate::openapi::add_links(&mut doc);
    doc
}

impl Application {
    pub fn build(settings: Settings) -> anyhow::Result<Application> {
        let (url, pool) = connect(&settings)?;
        Self::build_with_pool(settings, url, pool)
    }

    pub fn build_with_pool(
        settings: Settings,
        url: DatabaseUrl,
        pool: DbPool,
    ) -> anyhow::Result<Application> {
        let listener = TcpListener::bind((settings.server.host.as_str(), settings.server.port))
            .with_context(|| format!("cannot listen on {}:{}", settings.server.host, settings.server.port))?;
        let port = listener.local_addr()?.port();
        let hasher =
            PasswordHasher::new(settings.auth.max_concurrent_hashes, settings.auth.max_queued_hashes);
        hasher.warm_up();
        let housekeeping = (pool.clone(), Arc::new(settings.clone()));
        let database_url = url.clone();
        let networks = |list: &[String], name: &str| {
            Networks::parse(list).map(Arc::new).map_err(|e| anyhow::anyhow!("{name}: {e}"))
        };
        let state = AppState {
            tokens: Arc::new(TokenKeys::new(&settings.auth)),
            keys: Arc::new(ServerKeys::derive(&settings.auth)),
            settings: Arc::new(settings.clone()),
            pool,
            database_url: Arc::new(url),
            proxies: networks(&settings.server.trusted_proxies, "server.trusted_proxies")?,
            metrics_readers: networks(&settings.metrics.allowed_addresses, "metrics.allowed_addresses")?,
            hasher: hasher.clone(),
        };
        let registry = prometheus::Registry::new();
        registry.register(Box::new(hasher.counter())).map_err(|e| anyhow::anyhow!("metrics: {e}"))?;
        registry.register(Box::new(hasher.memory_held())).map_err(|e| anyhow::anyhow!("metrics: {e}"))?;
        for collector in state.pool.accounts().metrics() {
            registry.register(collector).map_err(|e| anyhow::anyhow!("metrics: {e}"))?;
        }
        let metrics = actix_web_prom::PrometheusMetricsBuilder::new("devicepool")
            .registry(registry)
            .mask_unmatched_patterns("UNMATCHED")
            // Swagger UI assets would each be their own label; they are not the API.
            .exclude_regex("^/docs")
            .build()
            .map_err(|e| anyhow::anyhow!("metrics: {e}"))?;
        let registry = web::Data::new(metrics.registry.clone());
        // The document is built here once: each worker's own copy (collected as it registers
        // the routes) is dropped; each worker used to keep it and a clone for Swagger UI.
        let mut doc = openapi();
        crate::openapi::name_deployment(&mut doc, &settings.server.public_base_url, &settings.email.contact);
        let routes = web::Data::new(RouteTable::from_openapi(&doc));
        // Request bodies are checked against the schemas this document publishes.
        crate::body_schema::publish(&serde_json::to_value(&doc)?);
        let document = web::Data::new(crate::openapi::Document::of(&doc)?);
        drop(doc);
        // One limiter for every worker, so the limit is per instance, not per thread.
        let anonymous_limit = crate::rate_limit::anonymous_limit(settings.auth.anonymous_requests_per_minute);
        let limit = anonymous_limit.clone();

        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(crate::middleware::refuse_nul))
                .wrap(from_fn(crate::middleware::answer_in_readers_language))
                .wrap(from_fn(crate::middleware::catch_panic))
                .wrap(metrics.clone())
                .wrap(from_fn(crate::middleware::security_headers))
                .wrap(from_fn(crate::middleware::request_log))
                .app_data(web::Data::new(state.clone()))
                .app_data(registry.clone())
                .app_data(routes.clone())
                .app_data(web::QueryConfig::default().error_handler(query_error))
                .app_data(web::PathConfig::default().error_handler(path_error))
                .app_data(document.clone())
                .app_data(crate::middleware::ErrorPage(crate::web::page::error_page))
                .into_utoipa_app()
                .service(
                    utoipa_actix_web::scope("/api/v1")
                        // Answers hold personal data and differ by who asks and by the Accept
                        // headers: no cache, on the way or in the browser, may keep them.
                        .wrap(
                            actix_web::middleware::DefaultHeaders::new()
                                .add((actix_web::http::header::CACHE_CONTROL, "no-store"))
                                .add((actix_web::http::header::VARY, "Accept, Accept-Language")),
                        )
                        .configure(routes::api_v1(&limit)),
                )
                .configure(routes::health::config)
                .into_app()
                .route(crate::openapi::Document::PATH, web::get().to(crate::openapi::serve))
                .service(SwaggerUi::new("/docs/{_:.*}").config(Config::from(crate::openapi::Document::PATH)))
                .configure(crate::web::config(&limit))
                .default_service(web::to(routes::fallback::no_route))
        })
        .listen(listener)?
        .shutdown_timeout(settings.server.shutdown_timeout_seconds)
        // Every blocking task waits for a pooled connection anyway; more threads than
        // connections only add switches and per-thread allocator memory (tokio's default is
        // 512 shared by the workers). Password hashes have threads of their own.
        .worker_max_blocking_threads(settings.database.max_connections as usize);
        if settings.server.workers > 0 {
            server = server.workers(settings.server.workers);
        }
        Ok(Application { port, server: server.run(), housekeeping, anonymous_limit, database_url })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM or Ctrl-C, then lets in-flight requests finish. Housekeeping and
    /// the outbox delivery run beside the server and stop with it (a message being sent then
    /// is claimed again by the next worker once its lease runs out).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (pool, settings) = self.housekeeping;
        // Other instances' account changes reach the account cache while the server runs.
        let _listening = store::account_cache::listen(pool.accounts(), &self.database_url);
        let delivery = tokio::spawn(crate::notify::worker::every_interval(pool.clone(), settings.clone()));
        let housekeeping = tokio::spawn(crate::workflows::housekeeping::every_interval(pool, settings));
        // The per-address limiter keeps a cell per client address; drop the quiet ones.
        let limiter = self.anonymous_limit.limiter();
        let forget = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(Duration::from_secs(60));
            loop {
                ticks.tick().await;
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        });
        let result = self.server.await;
        forget.abort();
        housekeeping.abort();
        delivery.abort();
        result
    }
}
