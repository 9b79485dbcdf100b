//! Cart service (port 2002): the active cart in Redis, its durable copy in MySQL `carts`, checkout through
//! the order service (api/cart.md).
//!
//! `routes/` holds the handlers per resource, `domain/` the pure rules, `store/` the SQL, `cache` the Redis
//! layout and its purge-on-reconnect, `reads` the read path that joins them, `peers/` the calls to product
//! and order.

pub mod cache;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod peers;
pub mod reads;
pub mod routes;
pub mod store;

use std::sync::Arc;

use anyhow::Context;
use axum::extract::FromRef;
use axum::Router;
use eshop_common::auth::{InternalAuth, Verifier};
use eshop_common::client::ServiceClient;
use eshop_common::db;
use eshop_common::server::{self, ready_check, Defaults, Server};
use sqlx::MySqlPool;

pub use cache::Cache;
pub use config::Config;
use config::Limits;
use peers::order::OrderClient;
use peers::product::ProductClient;

/// The service's OpenAPI document, served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Migrations of `migrations/cart/`, applied at start and by `cart migrate`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/cart");

/// Who may call this service's internal routes (spec README, "Internal HTTP calls").
pub const INTERNAL_ROUTES: &[(&str, &str)] = &[("product", "/internal/events")];
pub const INTERNAL_EVENTS: &[(&str, &str)] = &[
    ("product", "product.updated"),
    ("product", "product.deleted"),
];

#[derive(Clone, FromRef)]
pub struct AppState {
    pub pool: MySqlPool,
    pub cache: Arc<Cache>,
    pub verifier: Arc<Verifier>,
    pub internal: Arc<InternalAuth>,
    pub product: ProductClient,
    pub order: OrderClient,
    pub limits: Limits,
}

/// The service's own routes over `state`.
pub fn router(state: AppState) -> Router {
    routes::router().with_state(state)
}

/// Wires the service (stores, token keys, peers, routes) and binds `HTTP_PORT`; `main` and tests (port 0)
/// use it.
pub async fn build(config: Config) -> anyhow::Result<Server> {
    config.validate()?;
    let pool =
        db::mysql_pool_read_committed(&config.database_url, config.database_max_connections)?;
    MIGRATOR
        .run(&pool)
        .await
        .context("applying migrations failed")?;
    let redis = redis::Client::open(config.redis_url.as_str()).map_err(|_| {
        eshop_common::config::ConfigError::new("REDIS_URL", "is not a valid Redis URL")
    })?;
    let cache = Arc::new(Cache::new(
        redis,
        &config.cache.key_prefix,
        config.cache.ttl,
    ));
    let verifier = Verifier::start(config.auth);
    let internal = Arc::new(InternalAuth::new(
        &config.internal_tokens,
        INTERNAL_ROUTES,
        INTERNAL_EVENTS,
    )?);
    let peers = &config.peers;
    let product = ProductClient::new(
        ServiceClient::new(peers.service_token.clone(), peers.product_timeout),
        &peers.product_url,
    );
    let order = OrderClient::new(
        ServiceClient::new(peers.service_token.clone(), peers.order_timeout),
        &peers.order_url,
    );
    spawn_processed_events_purge(pool.clone(), config.processed_events_retention);
    let state = AppState {
        pool: pool.clone(),
        cache: cache.clone(),
        verifier: verifier.clone(),
        internal,
        product,
        order,
        limits: config.limits,
    };
    // §7: `/ready` = MySQL ping, Redis PING and JWKS loaded.
    let ready = ready_check(move || {
        let (pool, cache) = (pool.clone(), cache.clone());
        async move { db::ping_mysql(&pool).await && cache.ping().await }
    });
    Ok(server::start(
        router(state),
        Defaults::new(config.common, OPENAPI, verifier, ready),
    )
    .await?)
}

/// §6.1: processed events older than the retention are purged daily.
fn spawn_processed_events_purge(pool: MySqlPool, retention: std::time::Duration) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(86_400));
        loop {
            every.tick().await;
            match store::events::purge_processed(&pool, retention).await {
                Ok(n) => tracing::info!(purged = n, "old processed events purged"),
                Err(e) => tracing::warn!(error = %e, "purging processed events failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_openapi_document_describes_every_route() {
        let doc: serde_json::Value = serde_json::from_str(super::OPENAPI).unwrap();
        let routes = [
            ("/v1/carts/user", "get"),
            ("/v1/carts", "post"),
            ("/v1/carts/{id}", "get"),
            ("/v1/carts/{id}", "patch"),
            ("/v1/carts/{id}", "delete"),
            ("/v1/carts/deletes", "patch"),
            ("/v1/carts/checkout", "post"),
            ("/internal/events", "post"),
        ];
        for (path, method) in routes {
            let op = &doc["paths"][path][method];
            assert!(op.is_object(), "{method} {path}");
            assert!(op["responses"].is_object(), "{method} {path}");
        }
        for schema in [
            "CartLine",
            "AddLine",
            "ChangeLine",
            "Checkout",
            "CheckoutDone",
        ] {
            assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
        }
    }
}
