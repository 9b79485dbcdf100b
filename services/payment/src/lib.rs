//! Payment service (port 2006): payment proofs in a private S3 bucket and their review by admins
//! (api/payment.md). Owns the MySQL database `payments`.

pub mod cli;
pub mod config;

use std::sync::Arc;

use anyhow::Context;
use axum::extract::FromRef;
use axum::Router;
use eshop_common::auth::Verifier;
use eshop_common::db;
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

/// Wires the service (stores, token keys, routes) and binds `HTTP_PORT`; `main` and tests (port 0) use it.
pub async fn build(config: Config) -> anyhow::Result<Server> {
    let pool = db::mysql_pool(&config.database_url, config.database_max_connections)?;
    MIGRATOR
        .run(&pool)
        .await
        .context("applying migrations failed")?;
    let s3 = s3_client(&config).await;
    if config.aws.bootstrap {
        eshop_common::aws::bucket::ensure_private_bucket(&s3, &config.bucket).await?;
    }
    let verifier = Verifier::start(config.auth);
    let bucket: Arc<str> = config.bucket.as_str().into();
    let state = AppState {
        pool: pool.clone(),
        s3: s3.clone(),
        bucket: bucket.clone(),
        verifier: verifier.clone(),
    };
    // api/payment.md §7: ready only when MySQL answers and HeadBucket succeeds.
    let ready = ready_check(move || {
        let (pool, s3, bucket) = (pool.clone(), s3.clone(), bucket.clone());
        async move {
            db::ping_mysql(&pool).await && s3.head_bucket().bucket(&*bucket).send().await.is_ok()
        }
    });
    Ok(server::start(
        router(state),
        Defaults::new(config.common, OPENAPI, verifier, ready),
    )
    .await?)
}
