//! Warehouse service (port 2005): warehouses, stock per warehouse, reservations without oversell,
//! movements and low-stock alerts (api/warehouse.md). Owns the PostgreSQL database `warehouse`.

pub mod cli;
pub mod config;
pub mod seed;

use std::sync::Arc;

use anyhow::Context;
use axum::extract::FromRef;
use axum::Router;
use eshop_common::auth::{InternalAuth, Verifier};
use eshop_common::db;
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
}

/// The service's own routes over `state`.
pub fn router(state: AppState) -> Router {
    Router::new().with_state(state)
}

/// Wires the service (stores, token keys, routes) and binds `HTTP_PORT`; `main` and tests (port 0) use it.
pub async fn build(config: Config) -> anyhow::Result<Server> {
    let pool = db::postgres_pool(&config.database_url, config.database_max_connections)?;
    MIGRATOR
        .run(&pool)
        .await
        .context("applying migrations failed")?;
    let verifier = Verifier::start(config.auth);
    let internal = Arc::new(InternalAuth::new(
        &config.internal_tokens,
        INTERNAL_ROUTES,
        INTERNAL_EVENTS,
    )?);
    let state = AppState {
        pool: pool.clone(),
        verifier: verifier.clone(),
        internal,
    };
    let defaults = Defaults::new(config.common, OPENAPI, verifier, db::postgres_ready(pool));
    Ok(server::start(router(state), defaults).await?)
}
