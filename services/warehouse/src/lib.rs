//! Warehouse service (port 2005): warehouses, stock per warehouse, reservations without oversell,
//! movements and low-stock alerts (api/warehouse.md). Owns the PostgreSQL database `warehouse`.

pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod ops;
pub mod routes;
pub mod seed;
pub mod store;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::extract::FromRef;
use axum::Router;
use eshop_common::auth::{InternalAuth, Verifier};
use eshop_common::db;
use eshop_common::outbox::Relay;
use eshop_common::server::{self, Defaults, Server};
use sqlx::PgPool;

pub use config::Config;

/// The service's OpenAPI document, served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Migrations of `migrations/warehouse/`, applied at start and by `warehouse migrate`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/warehouse");

/// Who may call this service's internal routes (spec README, "Internal HTTP calls").
pub const INTERNAL_ROUTES: &[(&str, &str)] = &[
    ("order", "/internal/reservations"),
    ("order", "/internal/reservations/quote"),
    ("order", "/internal/reservations/{order_id}/commit"),
    ("order", "/internal/reservations/{order_id}/release"),
    ("order", "/internal/events"),
    ("product", "/internal/events"),
];
pub const INTERNAL_EVENTS: &[(&str, &str)] = &[
    ("order", "order.status_changed"),
    ("product", "product.created"),
    ("product", "product.updated"),
    ("product", "product.deleted"),
];

#[derive(Clone, FromRef)]
pub struct AppState {
    pub pool: PgPool,
    pub verifier: Arc<Verifier>,
    pub internal: Arc<InternalAuth>,
    /// The `stock.changed` relay (design §4.2), woken after each stock-changing commit.
    pub relay: Relay,
    /// `WAREHOUSE_LOW_STOCK_THRESHOLD`.
    pub low_stock_threshold: i32,
}

impl AppState {
    /// Tells the relay that new outbox rows may be waiting.
    pub fn stock_changed(&self) {
        self.relay.wake();
    }
}

/// The service's own routes over `state`.
pub fn router(state: AppState) -> Router {
    routes::router().with_state(state)
}

/// The relay that delivers `stock.changed` to the product service.
pub fn relay(pool: &PgPool, config: &Config) -> Relay {
    let client = reqwest::Client::builder()
        .timeout(config.outbox.http_timeout)
        .build()
        .unwrap_or_default();
    let subscribers = HashMap::from([(
        store::outbox::SUBSCRIBER.to_string(),
        config.product_service.trim_end_matches('/').to_string(),
    )]);
    Relay::new(
        pool.clone(),
        config.outbox,
        config.service_token.clone(),
        subscribers,
        client,
    )
}

/// The database pool. Like `eshop_common::db::postgres_pool` (lazy, so the service starts while the
/// database is down), but a request waits up to 10 s for a connection instead of 3 s: every stock writer
/// of one product queues on that product's row lock (api/warehouse.md §4.6), so a burst of reservations
/// for one product holds the pool's connections for longer than usual. Still well under the 30 s request
/// timeout; an unreachable database answers 503 once it has passed.
fn stock_pool(config: &Config) -> anyhow::Result<PgPool> {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(config.database_max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect_lazy(&config.database_url)
        .context("DATABASE_URL is not a valid PostgreSQL URL")
}

/// Refreshes the gauge `warehouse_low_stock_rows` (api/warehouse.md §2.3 A1) every 30 s.
fn spawn_low_stock_gauge(pool: PgPool, threshold: i32) {
    tokio::spawn(async move {
        loop {
            match store::stock::low_stock_rows(&pool, threshold).await {
                Ok(n) => metrics::gauge!("warehouse_low_stock_rows").set(n as f64),
                Err(e) => tracing::debug!(error = %e, "low-stock gauge not refreshed"),
            }
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    });
}

/// Wires the service (stores, token keys, routes) and binds `HTTP_PORT`; `main` and tests (port 0) use it.
pub async fn build(config: Config) -> anyhow::Result<Server> {
    let pool = stock_pool(&config)?;
    MIGRATOR
        .run(&pool)
        .await
        .context("applying migrations failed")?;
    let relay = relay(&pool, &config);
    let verifier = Verifier::start(config.auth);
    let internal = Arc::new(InternalAuth::new(
        &config.internal_tokens,
        INTERNAL_ROUTES,
        INTERNAL_EVENTS,
    )?);
    tokio::spawn(relay.clone().run(server::shutdown_signal()));
    spawn_low_stock_gauge(pool.clone(), config.low_stock_threshold);
    let state = AppState {
        pool: pool.clone(),
        verifier: verifier.clone(),
        internal,
        relay,
        low_stock_threshold: config.low_stock_threshold,
    };
    let defaults = Defaults::new(config.common, OPENAPI, verifier, db::postgres_ready(pool));
    Ok(server::start(router(state), defaults).await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_openapi_document_describes_every_route() {
        let doc: serde_json::Value = serde_json::from_str(super::OPENAPI).unwrap();
        let routes = [
            ("/v1/warehouse", "post"),
            ("/v1/warehouse", "get"),
            ("/v1/warehouse/{id}", "get"),
            ("/v1/warehouse/{id}", "patch"),
            ("/v1/warehouse/{id}", "delete"),
            ("/v1/warehouse/nearest", "post"),
            ("/v1/warehouse/{id}/main", "post"),
            ("/v1/warehouse-products", "get"),
            ("/v1/warehouse-products/product/{product_id}", "get"),
            ("/v1/warehouse-products/warehouse/{warehouse_id}", "get"),
            (
                "/v1/warehouse-products/product/{product_id}/warehouse/{warehouse_id}",
                "get",
            ),
            ("/v1/warehouse-products/nearest", "post"),
            ("/v1/warehouse-products/{id}", "patch"),
            ("/v1/stock-alerts", "get"),
            ("/v1/stock-movements/movein", "post"),
            ("/v1/stock-movements/moveout", "post"),
            ("/v1/stock-movements", "get"),
            ("/v1/stock-movements/product/{product_id}", "get"),
            ("/v1/stock-movements/source/{source_id}", "get"),
            ("/v1/stock-movements/destination/{destination_id}", "get"),
            ("/v1/stock-movements/adjust", "post"),
            ("/v1/reservations", "get"),
            ("/v1/reservations/{order_id}", "get"),
            ("/v1/reservations/{order_id}/release", "post"),
            ("/internal/reservations", "post"),
            ("/internal/reservations/{order_id}/commit", "post"),
            ("/internal/reservations/{order_id}/release", "post"),
            ("/internal/events", "post"),
            ("/internal/reservations/quote", "post"),
        ];
        for (path, method) in routes {
            let op = &doc["paths"][path][method];
            assert!(op.is_object(), "{method} {path}");
            assert!(op["responses"].is_object(), "{method} {path}");
        }
    }
}
