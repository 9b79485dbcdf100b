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

use std::sync::{Arc, LazyLock};

use anyhow::Context;
use axum::Router;
use eshop_common::auth::{InternalAuth, Verifier};
use eshop_common::client::ServiceClient;
use eshop_common::db;
use eshop_common::server::{self, ready_check, Defaults, Server};
use sqlx::MySqlPool;
use utoipa::OpenApi;

pub use cache::Cache;
pub use config::Config;
use config::Limits;
use peers::order::OrderClient;
use peers::product::ProductClient;

/// The service's OpenAPI document, served at `/openapi.json`: generated from the handlers and types
/// ([`routes::ApiDoc`]) with the common routes, the error envelope and the security schemes added; built once.
pub static OPENAPI: LazyLock<String> =
    LazyLock::new(|| eshop_common::openapi::document(routes::ApiDoc::openapi()));

/// Migrations of `migrations/cart/`, applied at start and by `cart migrate`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/cart");

/// Who may call this service's internal routes (spec README, "Internal HTTP calls").
pub const INTERNAL_ROUTES: &[(&str, &str)] = &[("product", "/internal/events")];
pub const INTERNAL_EVENTS: &[(&str, &str)] = &[
    ("product", "product.updated"),
    ("product", "product.deleted"),
];

/// What the routes share; [`AppState`] holds it behind one `Arc`.
pub struct Shared {
    pub pool: MySqlPool,
    pub cache: Arc<Cache>,
    pub verifier: Arc<Verifier>,
    pub internal: Arc<InternalAuth>,
    pub product: ProductClient,
    pub order: OrderClient,
    pub limits: Limits,
}

eshop_common::shared_state!(AppState(Shared), verifier: Arc<Verifier>, internal: Arc<InternalAuth>);

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
    let state = AppState::from(Shared {
        pool: pool.clone(),
        cache: cache.clone(),
        verifier: verifier.clone(),
        internal,
        product,
        order,
        limits: config.limits,
    });
    // §7: `/ready` = MySQL ping, Redis PING and JWKS loaded.
    let ready = ready_check(move || {
        let (pool, cache) = (pool.clone(), cache.clone());
        async move { db::ping_mysql(&pool).await && cache.ping().await }
    });
    Ok(server::start(
        router(state),
        Defaults::new(config.common, OPENAPI.as_str(), verifier, ready),
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
    use std::time::Duration;

    use eshop_common::openapi::{self, Statuses};
    use secrecy::SecretString;
    use serde_json::Value;

    use super::*;

    /// The service's state, wired to nothing: every route refuses a request without a token before it
    /// touches a store or a peer.
    fn offline_state() -> AppState {
        let pool = openapi::offline_mysql_pool();
        let redis = redis::Client::open("redis://127.0.0.1:9/0").unwrap();
        let token = SecretString::from("offline");
        AppState::from(Shared {
            pool,
            cache: Arc::new(Cache::new(redis, "cart:offline:", Duration::from_secs(60))),
            verifier: openapi::offline_verifier(),
            internal: Arc::new(
                InternalAuth::new("product:offline", INTERNAL_ROUTES, INTERNAL_EVENTS).unwrap(),
            ),
            product: ProductClient::new(
                ServiceClient::new(token.clone(), Duration::from_secs(1)),
                "http://127.0.0.1:9",
            ),
            order: OrderClient::new(
                ServiceClient::new(token, Duration::from_secs(1)),
                "http://127.0.0.1:9",
            ),
            limits: Limits::default(),
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
    fn the_openapi_document_describes_every_route() {
        let doc = openapi::json(&OPENAPI);
        let routes = [
            ("/v1/carts/user", "get", &["200", "401", "500", "503"][..]),
            (
                "/v1/carts",
                "post",
                &[
                    "201", "400", "401", "409", "413", "415", "422", "500", "502", "503", "504",
                ],
            ),
            (
                "/v1/carts/{id}",
                "get",
                &["200", "400", "401", "403", "404", "500", "503"],
            ),
            (
                "/v1/carts/{id}",
                "patch",
                &[
                    "200", "400", "401", "403", "404", "413", "415", "500", "503",
                ],
            ),
            (
                "/v1/carts/{id}",
                "delete",
                &["200", "400", "401", "403", "404", "500", "503"],
            ),
            (
                "/v1/carts/deletes",
                "patch",
                &["200", "400", "401", "403", "413", "415", "500", "503"],
            ),
            (
                "/v1/carts/checkout",
                "post",
                &[
                    "200", "400", "401", "403", "409", "413", "415", "422", "500", "502", "503",
                    "504",
                ],
            ),
            (
                "/internal/events",
                "post",
                &["200", "400", "401", "403", "413", "415", "500", "503"],
            ),
        ];
        openapi::assert_operations(&OPENAPI, routes, Statuses::AtLeast);
        for schema in [
            "CartLine",
            "AddLine",
            "ChangeLine",
            "LineIds",
            "Address",
            "Checkout",
            "CheckoutDone",
            "EventEnvelope",
            "EventResponse",
            "Error",
        ] {
            assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
        }
    }

    fn required(schema: &Value) -> Vec<&str> {
        schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v.as_str().unwrap())
            .collect()
    }

    #[test]
    fn the_line_object_is_exact() {
        let doc = openapi::json(&OPENAPI);
        let line = &doc["components"]["schemas"]["CartLine"];
        assert_eq!(
            required(line),
            [
                "id",
                "user_id",
                "product_id",
                "product_name",
                "product_image_url",
                "product_price",
                "product_quantity",
                "note",
                "created_at",
                "updated_at"
            ]
        );
        let props = &line["properties"];
        assert_eq!(props["product_price"]["type"], "number");
        assert_eq!(props["id"]["format"], "uuid");
        assert_eq!(props["created_at"]["format"], "date-time");
        assert_eq!(props["note"]["maxLength"], 255);
        // An empty cart lists as `"data": null`.
        let list = &doc["paths"]["/v1/carts/user"]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"]["$ref"];
        let name = list.as_str().unwrap().rsplit('/').next().unwrap();
        let data = &doc["components"]["schemas"][name]["properties"]["data"];
        assert_eq!(data["oneOf"][0]["type"], "null", "{data}");
        assert_eq!(data["oneOf"][1]["type"], "array", "{data}");
    }

    #[test]
    fn the_request_bodies_name_the_wire_fields() {
        let doc = openapi::json(&OPENAPI);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            required(&schemas["AddLine"]),
            ["product_id", "product_quantity"]
        );
        for ignored in ["product_name", "product_image_url", "product_price"] {
            assert!(
                schemas["AddLine"]["properties"][ignored].is_object(),
                "{ignored}"
            );
        }
        assert_eq!(required(&schemas["ChangeLine"]), ["product_quantity"]);
        assert!(schemas["ChangeLine"]["properties"]["cart_id"].is_object());
        assert_eq!(required(&schemas["LineIds"]), ["cart_ids"]);
        assert_eq!(required(&schemas["Checkout"]), ["cart_ids", "address"]);
        assert_eq!(
            required(&schemas["Address"]),
            ["street", "city", "state", "zipcode"]
        );
        assert_eq!(
            required(&schemas["EventEnvelope"]),
            ["id", "type", "occurred_at", "source", "data"]
        );
        let checkout = &doc["paths"]["/v1/carts/checkout"]["post"];
        assert_eq!(checkout["parameters"][0]["name"], "Idempotency-Key");
        assert_eq!(checkout["parameters"][0]["in"], "header");
    }
}
