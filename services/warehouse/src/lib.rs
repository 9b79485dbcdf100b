//! Warehouse service (port 2005): warehouses, stock per warehouse, reservations without oversell,
//! movements and low-stock alerts (api/warehouse.md). Owns the PostgreSQL database `warehouse`.

pub mod cli;
pub mod config;
pub mod seed;

use std::sync::Arc;

use axum::extract::FromRef;
use axum::Router;
use eshop_common::auth::{InternalAuth, Verifier};
use eshop_common::server::{self, ready_check, Defaults, Server};
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

/// The wired service: built by `main` and by tests (port 0).
pub struct Application {
    server: Server,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let pool =
            eshop_common::db::postgres_pool(&config.database_url, config.database_max_connections)?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| anyhow::anyhow!("applying migrations failed: {e}"))?;
        let verifier = Verifier::new(config.auth.clone());
        verifier.spawn_refresher();
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
        let defaults = Defaults {
            settings: config.common.clone(),
            openapi: OPENAPI,
            verifier: Some(verifier),
            stores_ready: ready_check(move || {
                let pool = pool.clone();
                async move { eshop_common::db::ping_postgres(&pool).await }
            }),
        };
        let app = server::build(router(state), defaults);
        Ok(Application {
            server: Server::bind_port(config.common.http_port, app).await?,
        })
    }

    pub fn port(&self) -> u16 {
        self.server.local_addr().port()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.run().await
    }
}
