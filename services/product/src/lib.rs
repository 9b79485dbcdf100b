//! Product service (port 2001): the catalogue of products and categories on DynamoDB, images on S3, served
//! from an in-process snapshot (api/product.md).

pub mod cli;
pub mod config;
pub mod domain;
pub mod events;
pub mod routes;
pub mod seed;
pub mod snapshot;
pub mod store;

use std::sync::Arc;

use axum::extract::FromRef;
use axum::Router;
use eshop_common::auth::{InternalAuth, Verifier};
use eshop_common::server::{self, ready_check, Defaults, Server};
use tokio::sync::watch;

pub use config::Config;
use events::relay::Relay;
use snapshot::Snapshot;
use store::bootstrap::StoreNames;
use store::calls::ReadCounter;

/// The service's OpenAPI document, served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Who may call this service's internal routes (spec README, "Internal HTTP calls").
pub const INTERNAL_ROUTES: &[(&str, &str)] = &[
    ("cart", "/internal/products/lookup"),
    ("order", "/internal/products/lookup"),
    ("warehouse", "/internal/events"),
];
pub const INTERNAL_EVENTS: &[(&str, &str)] = &[("warehouse", "stock.changed")];

/// The AWS clients of the product service; DynamoDB reads are counted (api/product.md §4.5).
#[derive(Clone)]
pub struct AwsClients {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub s3: aws_sdk_s3::Client,
    pub reads: ReadCounter,
}

impl AwsClients {
    pub async fn new(settings: &eshop_common::aws::AwsSettings) -> Self {
        Self::counting(settings, ReadCounter::default()).await
    }

    /// Clients whose DynamoDB reads go to `reads`.
    pub async fn counting(settings: &eshop_common::aws::AwsSettings, reads: ReadCounter) -> Self {
        let sdk = settings.sdk_config().await;
        let s3 = aws_sdk_s3::config::Builder::from(&sdk)
            .force_path_style(settings.force_path_style)
            .build();
        let dynamodb = aws_sdk_dynamodb::config::Builder::from(&sdk)
            .interceptor(reads.clone())
            .build();
        AwsClients {
            dynamodb: aws_sdk_dynamodb::Client::from_conf(dynamodb),
            s3: aws_sdk_s3::Client::from_conf(s3),
            reads,
        }
    }
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub aws: AwsClients,
    pub verifier: Arc<Verifier>,
    pub internal: Arc<InternalAuth>,
    pub names: Arc<StoreNames>,
    pub snapshot: Arc<Snapshot>,
    /// X1's coalescing consistent reader.
    pub lookups: store::lookup::Lookups,
    pub relay: Relay,
    /// Dropped with the last router clone: the refresher and the relay stop then.
    pub lifetime: Arc<watch::Sender<bool>>,
}

/// The service's own routes over `state`.
pub fn router(state: AppState) -> Router {
    routes::router(&state).with_state(state)
}

/// Wires the service (stores, snapshot, relay, token keys, routes) and binds `HTTP_PORT`; `main` and tests
/// (port 0) use it.
pub async fn build(config: Config) -> anyhow::Result<Server> {
    // The recorder must exist before the start-up scan is counted.
    eshop_common::telemetry::metrics_handle();
    let reads = ReadCounter::excluding(&[&config.stores.outbox_table]);
    let aws = AwsClients::counting(&config.aws, reads).await;
    if config.aws.bootstrap {
        store::bootstrap::bootstrap_stores(&aws.dynamodb, &aws.s3, &config.stores).await?;
    }
    // api/product.md §4.2: the pinned roots are seeded at every start.
    seed::seed_root_categories(&aws.dynamodb, &config.stores.categories_table).await?;
    let snapshot = Snapshot::load(
        aws.dynamodb.clone(),
        config.stores.clone(),
        config.catalogue.clone(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("loading the catalogue snapshot: {e:?}"))?;
    let (lifetime, stop) = watch::channel(false);
    snapshot.spawn_refresher(stop.clone());
    let relay = Relay::new(
        aws.dynamodb.clone(),
        &config.stores.outbox_table,
        config.relay.clone(),
    );
    relay.clone().spawn(stop);
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
        names: Arc::new(config.stores.clone()),
        snapshot,
        lookups: store::lookup::Lookups::start(
            aws.dynamodb.clone(),
            config.stores.products_table.clone(),
        ),
        relay,
        lifetime: Arc::new(lifetime),
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
