//! Payment service (port 2006): payment proofs in a private S3 bucket and their review by admins
//! (api/payment.md). Owns the MySQL database `payments` and its outbox to the order service.

pub mod cli;
pub mod config;
pub mod domain;
pub mod events;
pub mod order;
pub mod routes;
pub mod storage;
pub mod store;

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use eshop_common::auth::Verifier;
use eshop_common::client::ServiceClient;
use eshop_common::db;
use eshop_common::outbox::Relay;
use eshop_common::server::{self, ready_check, Defaults, Server};
use secrecy::{ExposeSecret, SecretString};
use sqlx::MySqlPool;
use utoipa::OpenApi;

pub use config::Config;
use order::OrderClient;
use storage::ProofStore;

/// The service's OpenAPI document, served at `/openapi.json`: generated from the handlers and types
/// ([`routes::ApiDoc`]) with the common routes, the error envelope and the security schemes added; built once.
pub static OPENAPI: LazyLock<String> =
    LazyLock::new(|| eshop_common::openapi::document(routes::ApiDoc::openapi()));

/// Migrations of `migrations/payment/`, applied at start and by `payment migrate`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/payment");

/// Upload settings the handlers need.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_upload_bytes: usize,
    /// The inline first attempt's lease (`OUTBOX_LEASE_SECONDS`).
    pub outbox_lease: Duration,
}

/// What the routes share; [`AppState`] holds it behind one `Arc`.
pub struct Shared {
    pub pool: MySqlPool,
    pub proofs: ProofStore,
    pub order: OrderClient,
    pub relay: Relay,
    pub link_secret: Arc<SecretString>,
    pub limits: Limits,
    pub verifier: Arc<Verifier>,
}

eshop_common::shared_state!(AppState(Shared), verifier: Arc<Verifier>);

/// The service's own routes over `state`.
pub fn router(state: AppState) -> Router {
    routes::router(state.limits.max_upload_bytes).with_state(state)
}

/// The S3 client: the shared SDK settings plus path-style addressing where configured (the emulator);
/// `endpoint` overrides the SDK's endpoint (the presigner's `S3_PRESIGN_ENDPOINT`).
pub async fn s3_client(config: &Config, endpoint: Option<&str>) -> aws_sdk_s3::Client {
    let sdk = config.aws.sdk_config().await;
    let mut s3 =
        aws_sdk_s3::config::Builder::from(&sdk).force_path_style(config.aws.force_path_style);
    if let Some(endpoint) = endpoint {
        s3 = s3.endpoint_url(endpoint);
    }
    aws_sdk_s3::Client::from_conf(s3.build())
}

/// The bound server and the outbox relay that runs beside it.
pub struct App {
    server: Server,
    relay: Relay,
}

impl App {
    /// The bound port.
    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// Serves, with the relay, until SIGTERM or Ctrl-C.
    pub async fn run(self) -> std::io::Result<()> {
        self.run_until(server::shutdown_signal()).await
    }

    /// Serves until `shutdown` resolves; then the relay stops claiming and finishes its posts (design §4.2).
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let relay = tokio::spawn(self.relay.run(async move {
            let _ = stopped.wait_for(|s| *s).await;
        }));
        let served = self.server.run_until(shutdown).await;
        let _ = stop.send(true);
        let _ = relay.await;
        served
    }
}

/// Wires the service (stores, token keys, order client, relay, routes) and binds `HTTP_PORT`; `main` and
/// tests (port 0) use it.
pub async fn build(config: Config) -> anyhow::Result<App> {
    let pool = db::mysql_pool(&config.database_url, config.database_max_connections)?;
    MIGRATOR
        .run(&pool)
        .await
        .context("applying migrations failed")?;
    let s3 = s3_client(&config, None).await;
    if config.aws.bootstrap {
        eshop_common::aws::bucket::ensure_private_bucket(&s3, &config.bucket).await?;
    }
    let presigner = match &config.presign_endpoint {
        Some(endpoint) => s3_client(&config, Some(endpoint)).await,
        None => s3.clone(),
    };
    let proofs = ProofStore {
        s3,
        presigner,
        bucket: config.bucket.as_str().into(),
        url_ttl: config.proof_url_ttl,
    };
    let client = ServiceClient::new(config.service_token.clone(), config.common.client_timeout);
    let relay = Relay::new(
        pool.clone(),
        config.outbox,
        config.service_token.expose_secret(),
        HashMap::from([(events::SUBSCRIBER.to_string(), config.order_service.clone())]),
        reqwest::Client::new(),
    );
    let verifier = Verifier::start(config.auth);
    let state = AppState::from(Shared {
        pool: pool.clone(),
        proofs: proofs.clone(),
        order: OrderClient::new(client, &config.order_service),
        relay: relay.clone(),
        link_secret: Arc::new(config.proof_link_secret),
        limits: Limits {
            max_upload_bytes: config.max_upload_bytes,
            outbox_lease: config.outbox.lease,
        },
        verifier: verifier.clone(),
    });
    // api/payment.md §5: ready only when MySQL answers and HeadBucket succeeds.
    let ready = ready_check(move || {
        let (pool, proofs) = (pool.clone(), proofs.clone());
        async move { db::ping_mysql(&pool).await && proofs.reachable().await }
    });
    let server = server::start(
        router(state),
        Defaults::new(config.common, OPENAPI.as_str(), verifier, ready),
    )
    .await?;
    Ok(App { server, relay })
}

#[cfg(test)]
mod tests {
    use eshop_common::client::ServiceClient;
    use eshop_common::openapi::{self, Statuses};
    use eshop_common::outbox::{OutboxSettings, Relay};

    use super::*;

    /// The service's state, wired to nothing: every route refuses a request without a token before it
    /// touches a store.
    fn offline_state() -> AppState {
        let pool = openapi::offline_mysql_pool();
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::Config::builder()
                .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
                .region(aws_sdk_s3::config::Region::new("us-east-1"))
                .build(),
        );
        let token = SecretString::from("offline");
        AppState::from(Shared {
            pool: pool.clone(),
            proofs: ProofStore {
                s3: s3.clone(),
                presigner: s3,
                bucket: "offline".into(),
                url_ttl: Duration::from_secs(60),
            },
            order: OrderClient::new(
                ServiceClient::new(token.clone(), Duration::from_secs(1)),
                "http://127.0.0.1:9",
            ),
            relay: Relay::new(
                pool,
                OutboxSettings::default(),
                "offline",
                HashMap::new(),
                reqwest::Client::new(),
            ),
            link_secret: Arc::new(token),
            limits: Limits {
                max_upload_bytes: 1024,
                outbox_lease: Duration::from_secs(5),
            },
            verifier: openapi::offline_verifier(),
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
        let routes = [
            (
                "/v1/payments",
                "post",
                &[
                    "201", "400", "401", "403", "404", "409", "413", "415", "503",
                ][..],
            ),
            ("/v1/payments", "get", &["200", "400", "401", "403", "503"]),
            (
                "/v1/payments",
                "patch",
                &[
                    "200", "400", "401", "403", "404", "409", "415", "422", "503",
                ],
            ),
            (
                "/v1/payments/{id}",
                "get",
                &["200", "400", "401", "403", "404", "503"],
            ),
            (
                "/v1/payments/{id}/proof",
                "get",
                &["302", "400", "401", "403", "404", "503"],
            ),
        ];
        openapi::assert_operations(&OPENAPI, routes, Statuses::AtLeast);
    }

    #[test]
    fn the_payment_object_is_exact() {
        let doc = openapi::json(&OPENAPI);
        let payment = &doc["components"]["schemas"]["Payment"];
        let required: Vec<&str> = payment["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        // Every field is always present; the review fields are null until a review.
        assert_eq!(required.len(), 15, "{required:?}");
        let props = &payment["properties"];
        assert_eq!(
            props["reviewedBy"]["type"],
            serde_json::json!(["string", "null"])
        );
        assert_eq!(props["reviewedBy"]["format"], "uuid");
        assert_eq!(props["totalAmount"]["type"], "number");
        assert_eq!(
            props["contentType"]["enum"],
            serde_json::json!(["image/jpeg", "image/png", "image/webp", "application/pdf"])
        );
        assert_eq!(
            doc["components"]["schemas"]["PaymentStatus"]["enum"],
            serde_json::json!(["PENDING", "APPROVED", "REJECTED"])
        );
        let review = &doc["components"]["schemas"]["ReviewRequest"];
        assert_eq!(
            review["required"],
            serde_json::json!(["paymentId", "status"])
        );
        assert_eq!(
            review["properties"]["status"]["enum"],
            serde_json::json!(["APPROVED", "REJECTED"])
        );
        let form = &doc["components"]["schemas"]["UploadForm"];
        assert_eq!(form["required"], serde_json::json!(["image"]));
        for part in ["orderId", "order_id", "image", "note"] {
            assert!(form["properties"][part].is_object(), "{part}");
        }
        assert!(form["properties"].get("kind").is_none());
    }
}
