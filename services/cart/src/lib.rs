//! Cart service (port 2002): the active cart in Redis, its durable copy in MySQL `carts`, checkout through
//! the order service (api/cart.md).

pub mod cli;
pub mod config;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::extract::FromRef;
use axum::Router;
use eshop_common::auth::{InternalAuth, Verifier};
use eshop_common::db;
use eshop_common::server::{self, ready_check, Defaults, Server};
use sqlx::MySqlPool;

pub use config::Config;

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
    pub redis: redis::Client,
    pub verifier: Arc<Verifier>,
    pub internal: Arc<InternalAuth>,
}

/// The service's own routes over `state`.
pub fn router(state: AppState) -> Router {
    Router::new().with_state(state)
}

/// Redis answers `PING` within a second.
pub async fn ping_redis(client: &redis::Client) -> bool {
    let ping = async {
        let mut conn = client.get_multiplexed_async_connection().await.ok()?;
        redis::cmd("PING")
            .query_async::<String>(&mut conn)
            .await
            .ok()
    };
    matches!(
        tokio::time::timeout(Duration::from_secs(1), ping).await,
        Ok(Some(_))
    )
}

/// Wires the service (stores, token keys, routes) and binds `HTTP_PORT`; `main` and tests (port 0) use it.
pub async fn build(config: Config) -> anyhow::Result<Server> {
    let pool = db::mysql_pool(&config.database_url, config.database_max_connections)?;
    MIGRATOR
        .run(&pool)
        .await
        .context("applying migrations failed")?;
    let redis = redis::Client::open(config.redis_url.as_str()).map_err(|_| {
        eshop_common::config::ConfigError::new("REDIS_URL", "is not a valid Redis URL")
    })?;
    let verifier = Verifier::start(config.auth);
    let internal = Arc::new(InternalAuth::new(
        &config.internal_tokens,
        INTERNAL_ROUTES,
        INTERNAL_EVENTS,
    )?);
    let state = AppState {
        pool: pool.clone(),
        redis: redis.clone(),
        verifier: verifier.clone(),
        internal,
    };
    let ready = ready_check(move || {
        let (pool, redis) = (pool.clone(), redis.clone());
        async move { db::ping_mysql(&pool).await && ping_redis(&redis).await }
    });
    Ok(server::start(
        router(state),
        Defaults::new(config.common, OPENAPI, verifier, ready),
    )
    .await?)
}
