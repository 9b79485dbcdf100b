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
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use eshop_common::auth::{InternalAuth, Verifier};
use eshop_common::db;
use eshop_common::outbox::Relay;
use eshop_common::server::{self, Defaults, Server};
use sqlx::PgPool;
use utoipa::OpenApi;

pub use config::Config;

/// The service's OpenAPI document, served at `/openapi.json`: generated from the handlers and types
/// ([`routes::ApiDoc`]) with the common routes, the error envelope and the security schemes added; built once.
pub static OPENAPI: LazyLock<String> =
    LazyLock::new(|| eshop_common::openapi::document(routes::ApiDoc::openapi()));

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

/// What the routes share; [`AppState`] holds it behind one `Arc`.
pub struct Shared {
    pub pool: PgPool,
    pub verifier: Arc<Verifier>,
    pub internal: Arc<InternalAuth>,
    /// The `stock.changed` relay (design §4.2), woken after each stock-changing commit.
    pub relay: Relay,
    /// `WAREHOUSE_LOW_STOCK_THRESHOLD`.
    pub low_stock_threshold: i32,
}

eshop_common::shared_state!(AppState(Shared), verifier: Arc<Verifier>, internal: Arc<InternalAuth>);

impl Shared {
    /// Tells the relay that new outbox rows may be waiting.
    pub fn stock_changed(&self) {
        self.relay.wake();
    }
}

/// The service's own routes over `state`.
pub fn router(state: AppState) -> Router {
    routes::router().with_state(state)
}

/// The relay that delivers `stock.changed` to the product service. Under load a product's events pile up
/// behind its oldest one; only the newest counts for product (it applies a strictly higher
/// `stock_version`), so the older undelivered ones are superseded, not posted ([`Relay::superseding`]).
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
    .superseding([store::outbox::EVENT_TYPE])
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
    let state = AppState::from(Shared {
        pool: pool.clone(),
        verifier: verifier.clone(),
        internal,
        relay,
        low_stock_threshold: config.low_stock_threshold,
    });
    let defaults = Defaults::new(
        config.common,
        OPENAPI.as_str(),
        verifier,
        db::postgres_ready(pool),
    );
    Ok(server::start(router(state), defaults).await?)
}

#[cfg(test)]
mod tests {
    use eshop_common::openapi::{self, Statuses};
    use eshop_common::outbox::OutboxSettings;

    use super::*;

    /// The service's state, wired to nothing: every route refuses a request without a token before it
    /// touches a store.
    fn offline_state() -> AppState {
        let pool = openapi::offline_pg_pool();
        AppState::from(Shared {
            pool: pool.clone(),
            verifier: openapi::offline_verifier(),
            internal: Arc::new(
                InternalAuth::new("order:offline", INTERNAL_ROUTES, INTERNAL_EVENTS).unwrap(),
            ),
            relay: Relay::new(
                pool,
                OutboxSettings::default(),
                "offline",
                HashMap::new(),
                reqwest::Client::new(),
            ),
            low_stock_threshold: 10,
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
        let read = &["200", "400", "401", "403", "500", "503"][..];
        let one = &["200", "400", "401", "403", "404", "500", "503"][..];
        let body = ["413", "415"];
        let routes: [(&str, &str, &[&str]); 29] = [
            ("/v1/warehouse", "post", &["201", "409", "413", "415"]),
            ("/v1/warehouse", "get", read),
            ("/v1/warehouse/{id}", "get", one),
            (
                "/v1/warehouse/{id}",
                "patch",
                &["200", "404", "409", "413", "415"],
            ),
            ("/v1/warehouse/{id}", "delete", &["200", "404", "409"]),
            ("/v1/warehouse/nearest", "post", &["200", "413", "415"]),
            ("/v1/warehouse/{id}/main", "post", one),
            ("/v1/warehouse-products", "get", read),
            ("/v1/warehouse-products/product/{product_id}", "get", read),
            (
                "/v1/warehouse-products/warehouse/{warehouse_id}",
                "get",
                read,
            ),
            (
                "/v1/warehouse-products/product/{product_id}/warehouse/{warehouse_id}",
                "get",
                one,
            ),
            (
                "/v1/warehouse-products/nearest",
                "post",
                &["200", "404", "413", "415"],
            ),
            (
                "/v1/warehouse-products/{id}",
                "patch",
                &["200", "404", "413", "415"],
            ),
            ("/v1/stock-alerts", "get", read),
            (
                "/v1/stock-movements/movein",
                "post",
                &["201", "404", "409", "413", "415"],
            ),
            (
                "/v1/stock-movements/moveout",
                "post",
                &["201", "409", "413", "415"],
            ),
            ("/v1/stock-movements", "get", read),
            ("/v1/stock-movements/product/{product_id}", "get", read),
            ("/v1/stock-movements/source/{source_id}", "get", read),
            (
                "/v1/stock-movements/destination/{destination_id}",
                "get",
                read,
            ),
            (
                "/v1/stock-movements/adjust",
                "post",
                &["201", "404", "409", "413", "415"],
            ),
            ("/v1/reservations", "get", read),
            ("/v1/reservations/{order_id}", "get", one),
            (
                "/v1/reservations/{order_id}/release",
                "post",
                &["200", "404", "409"],
            ),
            (
                "/internal/reservations",
                "post",
                &["200", "201", "409", "413", "415", "422"],
            ),
            (
                "/internal/reservations/{order_id}/commit",
                "post",
                &["200", "404", "409"],
            ),
            (
                "/internal/reservations/{order_id}/release",
                "post",
                &["200", "404", "409"],
            ),
            ("/internal/events", "post", &["200", "413", "415"]),
            (
                "/internal/reservations/quote",
                "post",
                &["200", "409", "413", "415", "422"],
            ),
        ];
        // Every own operation also answers the statuses any request can get; one with a body, 413 and 415.
        let always = ["400", "401", "403", "500", "503"];
        let expected = routes.map(|(path, method, statuses)| {
            let op = &doc["paths"][path][method];
            let mut expected = [statuses, &always[..]].concat();
            if op.get("requestBody").is_some() {
                expected.extend(body);
            }
            let security = op["security"].to_string();
            if path.starts_with("/internal/") {
                assert_eq!(security, r#"[{"serviceToken":[]}]"#, "{method} {path}");
            } else {
                assert_eq!(security, r#"[{"bearer":[]}]"#, "{method} {path}");
            }
            (path, method, expected)
        });
        openapi::assert_operations(&OPENAPI, expected, Statuses::AtLeast);
    }

    #[test]
    fn the_objects_are_exact() {
        let doc = openapi::json(&OPENAPI);
        let schemas = &doc["components"]["schemas"];
        let required = |name: &str| -> Vec<String> {
            let mut r: Vec<String> = schemas[name]["required"]
                .as_array()
                .unwrap_or_else(|| panic!("{name} has required fields"))
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            r.sort();
            r
        };
        // Every field of the objects is always sent; the optional ones as null.
        for (name, fields) in [
            ("Warehouse", 9),
            ("StockRow", 18),
            ("Movement", 12),
            ("Reservation", 8),
            ("Allocation", 4),
            ("Item", 2),
        ] {
            assert_eq!(required(name).len(), fields, "{name}: {:?}", required(name));
        }
        let stock = &schemas["StockRow"]["properties"];
        assert_eq!(stock["product_price"]["type"], "number");
        assert_eq!(
            stock["deleted_at"]["type"],
            serde_json::json!(["string", "null"])
        );
        let movement = &schemas["Movement"]["properties"];
        assert_eq!(
            movement["type"]["enum"],
            serde_json::json!(["INITIAL", "TRANSFER", "SHIPMENT", "ADJUSTMENT"])
        );
        // An absent warehouse or user id is the nil UUID, never null.
        assert_eq!(movement["from_warehouse_id"]["type"], "string");
        assert_eq!(
            movement["note"]["type"],
            serde_json::json!(["string", "null"])
        );
        assert_eq!(
            schemas["ReservationStatus"]["enum"],
            serde_json::json!(["RESERVED", "COMMITTED", "RELEASED", "RETURNED"])
        );
        assert_eq!(
            schemas["EventResult"]["enum"],
            serde_json::json!(["applied", "duplicate", "ignored"])
        );
        assert_eq!(required("ThresholdBody"), ["low_stock_threshold"]);
        assert_eq!(
            required("MoveoutBody"),
            ["items", "note", "zipcode"],
            "compat key zipcode"
        );
        // A list: `data` always sent (null in the compat form when empty), `count` only when paged.
        let list = &schemas["ListReply_Warehouse"];
        assert_eq!(
            list["properties"]["data"]["type"],
            serde_json::json!(["array", "null"])
        );
        assert_eq!(list["properties"]["count"]["type"], "integer");
        let mut list_required = required("ListReply_Warehouse");
        list_required.sort();
        assert_eq!(list_required, ["code", "data", "message"]);
        let deleted = &doc["paths"]["/v1/warehouse/{id}"]["delete"]["responses"]["200"];
        let body = deleted["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap();
        assert_eq!(schemas[body]["properties"]["data"]["type"], "null");
    }
}
