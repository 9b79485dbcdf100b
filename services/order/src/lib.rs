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
use std::sync::{Arc, LazyLock};

use anyhow::Context;
use axum::Router;
use eshop_common::auth::{InternalAuth, Verifier};
use eshop_common::db;
use eshop_common::outbox::Relay;
use eshop_common::server::{self, Defaults, Server};
use sqlx::PgPool;
use tokio::sync::watch;
use utoipa::OpenApi;

pub use config::{Config, OrderSettings, Peers};

use crate::peers::PeerClients;
use crate::tasks::Sweeper;

/// The service's OpenAPI document, served at `/openapi.json`: generated from the handlers and types
/// ([`routes::ApiDoc`]) with the common routes, the error envelope and the security schemes added; built once.
pub static OPENAPI: LazyLock<String> =
    LazyLock::new(|| eshop_common::openapi::document(routes::ApiDoc::openapi()));

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

/// What the routes share; [`AppState`] holds it behind one `Arc`.
pub struct Shared {
    pub pool: PgPool,
    pub verifier: Arc<Verifier>,
    pub internal: Arc<InternalAuth>,
    pub settings: Arc<OrderSettings>,
    pub peers: PeerClients,
    pub relay: Relay,
}

eshop_common::shared_state!(AppState(Shared), verifier: Arc<Verifier>, internal: Arc<InternalAuth>);

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
    let state = AppState::from(Shared {
        pool: pool.clone(),
        verifier: verifier.clone(),
        internal,
        settings: settings.clone(),
        peers: PeerClients::new(&config.peers),
        relay: relay.clone(),
    });
    let sweeper = Sweeper {
        pool: pool.clone(),
        settings: settings.as_ref().clone(),
        relay: relay.clone(),
    };
    let defaults = Defaults::new(
        config.common,
        OPENAPI.as_str(),
        verifier,
        db::postgres_ready(pool),
    );
    let server = server::start(router(state), defaults).await?;
    Ok(Application {
        server,
        relay,
        sweeper,
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use eshop_common::openapi::{self, Statuses};
    use eshop_common::outbox::OutboxSettings;
    use serde_json::{json, Value};

    use super::*;

    /// The service's state, wired to nothing: every route refuses a request without a token (or a service
    /// token) before it touches a store or a peer.
    fn offline_state() -> AppState {
        let pool = openapi::offline_pg_pool();
        let peers = Peers {
            product_url: "http://127.0.0.1:9".into(),
            warehouse_url: "http://127.0.0.1:9".into(),
            sales_report_url: "http://127.0.0.1:9".into(),
            service_token: "offline".into(),
            timeout: Duration::from_secs(1),
        };
        AppState::from(Shared {
            pool: pool.clone(),
            verifier: openapi::offline_verifier(),
            internal: Arc::new(
                InternalAuth::new(
                    "payment:offline-payment-token",
                    INTERNAL_ROUTES,
                    INTERNAL_EVENTS,
                )
                .unwrap(),
            ),
            settings: Arc::new(OrderSettings::default()),
            peers: PeerClients::new(&peers),
            relay: Relay::new(
                pool,
                OutboxSettings::default(),
                "offline",
                HashMap::new(),
                reqwest::Client::new(),
            ),
        })
    }

    #[tokio::test]
    async fn the_router_serves_exactly_the_documented_operations() {
        openapi::assert_documented(
            router(offline_state()),
            &OPENAPI,
            env!("CARGO_MANIFEST_DIR"),
        )
        .await;
    }

    #[test]
    fn the_openapi_document_describes_every_route_and_its_statuses() {
        let doc = openapi::json(&OPENAPI);
        let read = &["200", "400", "401", "403", "404", "500", "503"][..];
        let action = &[
            "200", "400", "401", "403", "404", "409", "413", "415", "500", "503",
        ][..];
        let routes = [
            (
                "/v1/orders",
                "post",
                &[
                    "201", "400", "401", "409", "413", "415", "422", "500", "503",
                ][..],
            ),
            (
                "/v1/orders",
                "get",
                &["200", "400", "401", "403", "500", "503"],
            ),
            (
                "/v1/orders/quote",
                "post",
                &[
                    "200", "400", "401", "409", "413", "415", "422", "500", "503",
                ],
            ),
            (
                "/v1/orders/user",
                "get",
                &["200", "400", "401", "500", "503"],
            ),
            ("/v1/orders/{id}", "get", read),
            ("/v1/orders/{id}/ttl", "get", read),
            ("/v1/orders/{id}/history", "get", read),
            (
                "/v1/orders/{id}/cancel",
                "post",
                &[
                    "200", "400", "401", "403", "404", "409", "413", "500", "503",
                ],
            ),
            ("/v1/orders/{id}/status", "patch", action),
            ("/v1/orders/{id}/refund", "post", action),
            (
                "/internal/orders/{id}/payment-eligibility",
                "get",
                &["200", "400", "401", "403", "404", "409", "500", "503"],
            ),
            (
                "/internal/events",
                "post",
                &["200", "400", "401", "403", "413", "415", "500", "503"],
            ),
        ];
        openapi::assert_operations(&OPENAPI, routes, Statuses::Exactly);
        for (path, method, _) in routes {
            let security = doc["paths"][path][method]["security"].to_string();
            if path.starts_with("/v1/") {
                assert_eq!(security, r#"[{"bearer":[]}]"#, "{method} {path}");
            } else if path.starts_with("/internal/") {
                assert_eq!(security, r#"[{"serviceToken":[]}]"#, "{method} {path}");
            }
        }
    }

    #[test]
    fn the_order_object_is_exact() {
        let doc = openapi::json(&OPENAPI);
        let schemas = &doc["components"]["schemas"];
        let order = &schemas["Order"];
        // Every field is always present; only payment_deadline is ever null.
        assert_eq!(order["required"].as_array().unwrap().len(), 18);
        let props = &order["properties"];
        assert_eq!(props["payment_deadline"]["type"], json!(["string", "null"]));
        assert_eq!(props["total_price"]["type"], "number");
        assert_eq!(props["status"]["enum"].as_array().unwrap().len(), 8);
        assert_eq!(
            props["payment_status"]["enum"],
            json!(["", "PENDING", "APPROVED", "REJECTED"])
        );
        assert_eq!(
            props["refund_status"]["enum"],
            json!(["", "DUE", "REFUNDED"])
        );
        let entry = &schemas["HistoryEntry"];
        assert!(entry["properties"]["from_status"]["enum"]
            .as_array()
            .unwrap()
            .contains(&Value::Null));
        let list = &schemas["OrderList"];
        assert_eq!(
            list["required"],
            json!(["code", "data", "message", "count"])
        );
        let checkout = &schemas["CheckoutRequest"];
        assert_eq!(checkout["required"], json!(["items", "address"]));
        let line = &schemas["CheckoutLine"]["properties"];
        for field in ["product_id", "quantity", "note", "price"] {
            assert!(line[field].is_object(), "{field}");
        }
        let quote = &schemas["QuoteRequest"]["properties"];
        assert_eq!(quote["address"]["required"], json!(["zipcode"]));
        // The event types payment may deliver.
        assert_eq!(
            schemas["EventEnvelope"]["properties"]["type"]["enum"],
            json!(["payment.submitted", "payment.reviewed"])
        );
    }
}
