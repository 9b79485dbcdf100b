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
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::extract::FromRef;
use axum::Router;
use eshop_common::auth::Verifier;
use eshop_common::client::ServiceClient;
use eshop_common::db;
use eshop_common::outbox::Relay;
use eshop_common::server::{self, ready_check, Defaults, Server};
use secrecy::{ExposeSecret, SecretString};
use sqlx::MySqlPool;

pub use config::Config;
use order::OrderClient;
use storage::ProofStore;

/// The service's OpenAPI document, served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Migrations of `migrations/payment/`, applied at start and by `payment migrate`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/payment");

/// Upload settings the handlers need.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_upload_bytes: usize,
    /// The inline first attempt's lease (`OUTBOX_LEASE_SECONDS`).
    pub outbox_lease: Duration,
}

#[derive(Clone, FromRef)]
pub struct AppState {
    #[from_ref(skip)]
    pub pool: MySqlPool,
    #[from_ref(skip)]
    pub proofs: ProofStore,
    #[from_ref(skip)]
    pub order: OrderClient,
    #[from_ref(skip)]
    pub relay: Relay,
    #[from_ref(skip)]
    pub link_secret: Arc<SecretString>,
    #[from_ref(skip)]
    pub limits: Limits,
    pub verifier: Arc<Verifier>,
}

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
    let state = AppState {
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
    };
    // api/payment.md §5: ready only when MySQL answers and HeadBucket succeeds.
    let ready = ready_check(move || {
        let (pool, proofs) = (pool.clone(), proofs.clone());
        async move { db::ping_mysql(&pool).await && proofs.reachable().await }
    });
    let server = server::start(
        router(state),
        Defaults::new(config.common, OPENAPI, verifier, ready),
    )
    .await?;
    Ok(App { server, relay })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_openapi_document_describes_every_route() {
        let doc: serde_json::Value = serde_json::from_str(super::OPENAPI).unwrap();
        for (path, method) in [
            ("/v1/payments", "post"),
            ("/v1/payments", "get"),
            ("/v1/payments", "patch"),
            ("/v1/payments/{id}", "get"),
            ("/v1/payments/{id}/proof", "get"),
        ] {
            assert!(doc["paths"][path][method].is_object(), "{method} {path}");
        }
    }
}
