//! Product service (port 2001): the catalogue of products and categories on DynamoDB, images on S3, served
//! from an in-process snapshot (api/product.md).

pub mod cli;
pub mod config;
pub mod seed;
pub mod store;

use std::sync::Arc;

use axum::extract::FromRef;
use axum::Router;
use eshop_common::auth::{InternalAuth, Verifier};
use eshop_common::server::{self, ready_check, Defaults, Server};

pub use config::Config;

/// The service's OpenAPI document, served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Who may call this service's internal routes (spec README, "Internal HTTP calls").
pub const INTERNAL_ROUTES: &[(&str, &str)] = &[
    ("cart", "/internal/products/lookup"),
    ("order", "/internal/products/lookup"),
    ("warehouse", "/internal/events"),
];
pub const INTERNAL_EVENTS: &[(&str, &str)] = &[("warehouse", "stock.changed")];

/// The AWS clients of the product service.
#[derive(Clone)]
pub struct AwsClients {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub s3: aws_sdk_s3::Client,
}

impl AwsClients {
    pub async fn new(settings: &eshop_common::aws::AwsSettings) -> Self {
        let sdk = settings.sdk_config().await;
        let s3 = aws_sdk_s3::config::Builder::from(&sdk)
            .force_path_style(settings.force_path_style)
            .build();
        AwsClients {
            dynamodb: aws_sdk_dynamodb::Client::new(&sdk),
            s3: aws_sdk_s3::Client::from_conf(s3),
        }
    }
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub aws: AwsClients,
    pub verifier: Arc<Verifier>,
    pub internal: Arc<InternalAuth>,
}

/// The service's own routes over `state`.
pub fn router(state: AppState) -> Router {
    Router::new().with_state(state)
}

/// Wires the service (stores, token keys, routes) and binds `HTTP_PORT`; `main` and tests (port 0) use it.
pub async fn build(config: Config) -> anyhow::Result<Server> {
    let aws = AwsClients::new(&config.aws).await;
    if config.aws.bootstrap {
        store::bootstrap::bootstrap_stores(&aws.dynamodb, &aws.s3, &config.stores).await?;
    }
    // api/product.md §4.2: the pinned roots are seeded at every start.
    seed::seed_root_categories(&aws.dynamodb, &config.stores.categories_table).await?;
    let verifier = Verifier::start(config.auth);
    let internal = Arc::new(InternalAuth::new(
        &config.internal_tokens,
        INTERNAL_ROUTES,
        INTERNAL_EVENTS,
    )?);
    let state = AppState {
        aws: aws.clone(),
        verifier: verifier.clone(),
        internal,
    };
    let table = config.stores.products_table.clone();
    let ready = ready_check(move || {
        let (dynamodb, table) = (aws.dynamodb.clone(), table.clone());
        async move {
            dynamodb
                .describe_table()
                .table_name(table)
                .send()
                .await
                .is_ok()
        }
    });
    Ok(server::start(
        router(state),
        Defaults::new(config.common, OPENAPI, verifier, ready),
    )
    .await?)
}
