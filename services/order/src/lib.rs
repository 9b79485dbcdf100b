//! Order service (port 2004): quote, checkout, the payment deadline, the status lifecycle and refunds
//! (api/order.md). Owns the PostgreSQL database `orders`; delivers its events through the outbox relay.

pub mod cli;
pub mod config;
pub mod domain;
pub mod events;
pub mod peers;
pub mod routes;
pub mod store;
pub mod tasks;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use axum::extract::FromRef;
use axum::Router;
use eshop_common::auth::{InternalAuth, Verifier};
use eshop_common::db;
use eshop_common::outbox::Relay;
use eshop_common::server::{self, Defaults, Server};
use sqlx::PgPool;
use tokio::sync::watch;

pub use config::{Config, OrderSettings, Peers};

use crate::peers::PeerClients;
use crate::tasks::Sweeper;

/// The service's OpenAPI document, served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Migrations of `migrations/order/`, applied at start and by `order migrate`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/order");

/// Who may call this service's internal routes (spec README, "Internal HTTP calls").
pub const INTERNAL_ROUTES: &[(&str, &str)] = &[
    ("payment", "/internal/orders/{id}/payment-eligibility"),
    ("payment", "/internal/events"),
];
pub const INTERNAL_EVENTS: &[(&str, &str)] = &[
    ("payment", "payment.submitted"),
    ("payment", "payment.reviewed"),
];

#[derive(Clone, FromRef)]
pub struct AppState {
    pub pool: PgPool,
    pub verifier: Arc<Verifier>,
    pub internal: Arc<InternalAuth>,
    pub settings: Arc<OrderSettings>,
    pub peers: PeerClients,
    pub relay: Relay,
}

/// The service's own routes over `state`.
pub fn router(state: AppState) -> Router {
    routes::router(state)
}

/// A built service: the bound HTTP server plus the background work (outbox relay, deadline sweeper and
/// checkout janitor) that runs while it serves.
pub struct Application {
    server: Server,
    relay: Relay,
    sweeper: Sweeper,
}

impl Application {
    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// Serves until SIGTERM or Ctrl-C.
    pub async fn run(self) -> std::io::Result<()> {
        self.run_until(server::shutdown_signal()).await
    }

    /// Serves and runs the background tasks until `shutdown`; then stops them all (the relay finishes
    /// its in-flight posts, design §4.2).
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop.send(true);
        });
        let wait = |mut rx: watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|s| *s).await;
        };
        let relay = tokio::spawn(self.relay.run(wait(stopped.clone())));
        let sweeper = tokio::spawn(self.sweeper.run(wait(stopped.clone())));
        let served = self.server.run_until(wait(stopped)).await;
        let _ = relay.await;
        let _ = sweeper.await;
        served
    }
}

/// Wires the service (stores, token keys, peers, relay, routes) and binds `HTTP_PORT`; `main` and tests
/// (port 0) use it.
pub async fn build(config: Config) -> anyhow::Result<Application> {
    config.order.validate()?;
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
    // design §4.2: subscribers warehouse and sales-report, ordered per order id.
    let subscribers = HashMap::from([
        (
            events::WAREHOUSE.to_string(),
            config.peers.warehouse_url.clone(),
        ),
        (
            events::SALES_REPORT.to_string(),
            config.peers.sales_report_url.clone(),
        ),
    ]);
    let relay = Relay::new(
        pool.clone(),
        config.outbox,
        config.peers.service_token.clone(),
        subscribers,
        reqwest::Client::new(),
    );
    let settings = Arc::new(config.order);
    let state = AppState {
        pool: pool.clone(),
        verifier: verifier.clone(),
        internal,
        settings: settings.clone(),
        peers: PeerClients::new(&config.peers),
        relay: relay.clone(),
    };
    let sweeper = Sweeper {
        pool: pool.clone(),
        settings: settings.as_ref().clone(),
        relay: relay.clone(),
    };
    let defaults = Defaults::new(config.common, OPENAPI, verifier, db::postgres_ready(pool));
    let server = server::start(router(state), defaults).await?;
    Ok(Application {
        server,
        relay,
        sweeper,
    })
}
