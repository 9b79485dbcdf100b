//! Payment service (port 2006): payment proofs in a private S3 bucket and their review by admins
//! (api/payment.md). Owns the MySQL database `payments`.

pub mod cli;
pub mod config;
pub mod store;

use std::sync::Arc;

use axum::extract::FromRef;
use axum::Router;
use eshop_common::auth::Verifier;
use eshop_common::server::{self, ready_check, Defaults, Server};
use sqlx::MySqlPool;

pub use config::Config;

/// The service's OpenAPI document, served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Migrations of `migrations/payment/`, applied at start and by `payment migrate`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/payment");

#[derive(Clone, FromRef)]
pub struct AppState {
    pub pool: MySqlPool,
    pub s3: aws_sdk_s3::Client,
    #[from_ref(skip)]
    pub bucket: Arc<str>,
    pub verifier: Arc<Verifier>,
}

/// The service's own routes over `state`.
pub fn router(state: AppState) -> Router {
    Router::new().with_state(state)
}

/// The S3 client: the shared SDK settings plus path-style addressing where configured (the emulator).
pub async fn s3_client(config: &Config) -> aws_sdk_s3::Client {
    let sdk = config.aws.sdk_config().await;
    let s3 = aws_sdk_s3::config::Builder::from(&sdk)
        .force_path_style(config.aws.force_path_style)
        .build();
    aws_sdk_s3::Client::from_conf(s3)
}

/// The wired service: built by `main` and by tests (port 0).
pub struct Application {
    server: Server,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let pool =
            eshop_common::db::mysql_pool(&config.database_url, config.database_max_connections)?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| anyhow::anyhow!("applying migrations failed: {e}"))?;
        let s3 = s3_client(&config).await;
        if config.aws.bootstrap {
            store::bucket::ensure_proof_bucket(&s3, &config.bucket).await?;
        }
        let verifier = Verifier::new(config.auth.clone());
        verifier.spawn_refresher();
        let bucket: Arc<str> = config.bucket.as_str().into();
        let state = AppState {
            pool: pool.clone(),
            s3: s3.clone(),
            bucket: bucket.clone(),
            verifier: verifier.clone(),
        };
        let defaults = Defaults {
            settings: config.common.clone(),
            openapi: OPENAPI,
            verifier: Some(verifier),
            // api/payment.md §7: ready only when MySQL answers and HeadBucket succeeds.
            stores_ready: ready_check(move || {
                let (pool, s3, bucket) = (pool.clone(), s3.clone(), bucket.clone());
                async move {
                    eshop_common::db::ping_mysql(&pool).await
                        && s3.head_bucket().bucket(&*bucket).send().await.is_ok()
                }
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
