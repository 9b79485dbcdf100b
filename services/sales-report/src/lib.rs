//! Sales report service (port 2007): sales rows from `sale.created`/`sale.reversed`, summaries and
//! CSV/PDF/XLSX downloads (api/sales-report.md). Owns the PostgreSQL database `sales`.

pub mod cli;
pub mod config;
pub mod domain;
pub mod routes;
pub mod store;

use std::sync::Arc;

use anyhow::Context;
use axum::extract::FromRef;
use axum::Router;
use eshop_common::auth::{InternalAuth, Verifier};
use eshop_common::db;
use eshop_common::server::{self, Defaults, Server};
use sqlx::PgPool;

pub use config::{Config, SalesSettings};

/// The service's OpenAPI document, served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Migrations of `migrations/sales-report/`, applied at start and by `sales-report migrate`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sales-report");

/// Who may call this service's internal routes (spec README, "Internal HTTP calls").
pub const INTERNAL_ROUTES: &[(&str, &str)] = &[("order", "/internal/events")];
pub const INTERNAL_EVENTS: &[(&str, &str)] =
    &[("order", "sale.created"), ("order", "sale.reversed")];

#[derive(Clone, FromRef)]
pub struct AppState {
    pub pool: PgPool,
    pub verifier: Arc<Verifier>,
    pub internal: Arc<InternalAuth>,
    pub settings: Arc<SalesSettings>,
}

/// The service's own routes over `state`.
pub fn router(state: AppState) -> Router {
    routes::router().with_state(state)
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
        settings: Arc::new(config.sales),
    };
    let defaults = Defaults::new(config.common, OPENAPI, verifier, db::postgres_ready(pool));
    Ok(server::start(router(state), defaults).await?)
}
