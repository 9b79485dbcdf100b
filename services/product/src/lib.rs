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

use std::sync::{Arc, LazyLock};

use axum::Router;
use eshop_common::auth::{InternalAuth, Verifier};
use eshop_common::server::{self, ready_check, Defaults, Server};
use tokio::sync::watch;
use utoipa::OpenApi;

pub use config::Config;
use events::relay::Relay;
use snapshot::Snapshot;
use store::bootstrap::StoreNames;
use store::calls::ReadCounter;

/// The service's OpenAPI document, served at `/openapi.json`: generated from the handlers and types
/// ([`routes::ApiDoc`]) with the common routes, the error envelope and the security schemes added; built once.
pub static OPENAPI: LazyLock<String> =
    LazyLock::new(|| eshop_common::openapi::document(routes::ApiDoc::openapi()));

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

/// What the routes share; [`AppState`] holds it behind one `Arc`.
pub struct Shared {
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

eshop_common::shared_state!(AppState(Shared), verifier: Arc<Verifier>, internal: Arc<InternalAuth>);

/// The service's own routes over `state`.
pub fn router(state: AppState) -> Router {
    routes::router(&state).with_state(state)
}

/// Wires the service's state (stores, snapshot, relay, token keys): what [`build`] serves, and what tests can
/// route requests to without a listener. The refresher and the relay stop when its last clone is dropped.
pub async fn app_state(config: &Config) -> anyhow::Result<AppState> {
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
    let verifier = Verifier::start(config.auth.clone());
    let internal = Arc::new(InternalAuth::new(
        &config.internal_tokens,
        INTERNAL_ROUTES,
        INTERNAL_EVENTS,
    )?);
    Ok(AppState::from(Shared {
        aws: aws.clone(),
        verifier,
        internal,
        names: Arc::new(config.stores.clone()),
        snapshot,
        lookups: store::lookup::Lookups::start(
            aws.dynamodb.clone(),
            config.stores.products_table.clone(),
        ),
        relay,
        lifetime: Arc::new(lifetime),
    }))
}

/// Wires the service ([`app_state`], routes) and binds `HTTP_PORT`; `main` and tests (port 0) use it.
pub async fn build(config: Config) -> anyhow::Result<Server> {
    let state = app_state(&config).await?;
    let verifier = state.verifier.clone();
    let (dynamodb, table) = (
        state.aws.dynamodb.clone(),
        config.stores.products_table.clone(),
    );
    let ready = ready_check(move || {
        let (dynamodb, table) = (dynamodb.clone(), table.clone());
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
        Defaults::new(config.common, OPENAPI.as_str(), verifier, ready),
    )
    .await?)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use eshop_common::openapi::{self, Statuses};
    use serde_json::{json, Value};

    use super::*;
    use domain::{CategoryRecord, ProductPage, ProductRecord};

    fn keys(object: &Value) -> BTreeSet<String> {
        object.as_object().unwrap().keys().cloned().collect()
    }

    fn strings(list: &Value) -> BTreeSet<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    }

    fn product(deleted: bool) -> ProductRecord {
        ProductRecord {
            id: uuid::Uuid::now_v7(),
            sku: "SKU-1-0000000a".into(),
            name: "Civic".into(),
            description: "A car".into(),
            price: "19.99".parse().unwrap(),
            quantity: 3,
            stock_version: 0,
            category_id: uuid::Uuid::now_v7().to_string(),
            image_key: Some("product/x.png".into()),
            image_url: String::new(),
            version: 1,
            created_at: "2024-01-01T00:00:00Z".into(),
            updated_at: "2024-01-01T00:00:00Z".into(),
            deleted_at: deleted.then(|| "2024-01-02T00:00:00Z".into()),
            changed_at: 0,
        }
    }

    #[test]
    fn the_openapi_document_describes_every_route_with_its_statuses() {
        let doc = openapi::json(&OPENAPI);
        assert_eq!(doc["openapi"], "3.1.0");
        let routes = [
            (
                "/v1/products",
                "get",
                &["200", "400", "401", "403", "503"][..],
            ),
            (
                "/v1/products",
                "post",
                &[
                    "201", "400", "401", "403", "409", "413", "415", "422", "503",
                ],
            ),
            ("/v1/products/{id}", "get", &["200", "404", "503"]),
            (
                "/v1/products/{id}",
                "put",
                &[
                    "200", "400", "401", "403", "404", "409", "413", "415", "422", "503",
                ],
            ),
            (
                "/v1/products/{id}",
                "delete",
                &["200", "401", "403", "404", "409", "503"],
            ),
            ("/v1/products/category/{id}", "get", &["200", "404", "503"]),
            (
                "/v1/products/categories",
                "post",
                &["200", "400", "413", "415", "503"],
            ),
            (
                "/v1/products/{product_id}/category/{category_id}",
                "delete",
                &["200", "401", "403", "404", "409", "503"],
            ),
            ("/v1/categories", "get", &["200", "503"]),
            (
                "/v1/categories",
                "post",
                &[
                    "201", "400", "401", "403", "409", "413", "415", "422", "503",
                ],
            ),
            ("/v1/categories/{id}", "get", &["200", "404", "503"]),
            (
                "/v1/categories/{id}",
                "put",
                &[
                    "200", "400", "401", "403", "404", "409", "413", "415", "503",
                ],
            ),
            (
                "/v1/categories/{id}",
                "delete",
                &["200", "401", "403", "404", "409", "503"],
            ),
            ("/v1/categories/parent/{id}", "get", &["200", "404", "503"]),
            ("/images/product/{file}", "get", &["200", "404", "503"]),
            (
                "/internal/products/lookup",
                "post",
                &["200", "400", "401", "403", "413", "415", "503"],
            ),
            (
                "/internal/events",
                "post",
                &["200", "400", "401", "403", "413", "415", "503"],
            ),
        ];
        openapi::assert_operations(&OPENAPI, routes, Statuses::Exactly);
        // The public reads need no token; only P1 takes one (include_deleted).
        assert_eq!(
            doc["paths"]["/v1/products"]["get"]["security"],
            json!([{}, {"bearer": []}])
        );
        for (path, method) in [
            ("/v1/products/{id}", "get"),
            ("/v1/products/categories", "post"),
            ("/v1/categories", "get"),
            ("/images/product/{file}", "get"),
        ] {
            assert!(doc["paths"][path][method].get("security").is_none());
        }
        assert_eq!(
            doc["paths"]["/internal/events"]["post"]["security"],
            json!([{"serviceToken": []}])
        );
    }

    #[test]
    fn the_product_schema_is_what_a_product_serialises_to() {
        let doc = openapi::json(&OPENAPI);
        let schema = &doc["components"]["schemas"]["Product"];
        let category = CategoryRecord {
            id: uuid::Uuid::now_v7(),
            name: "Car".into(),
            parent_id: None,
            depth: 1,
            child_count: 0,
            product_count: 1,
            pinned: true,
            version: 1,
            deleted_at: None,
            changed_at: 0,
        };
        for (p, category) in [(product(false), Some(&category)), (product(true), None)] {
            let view =
                serde_json::to_value(p.view("http://localhost:2001/images", category)).unwrap();
            // Every field is always present: the document requires them all.
            assert_eq!(keys(&view), keys(&schema["properties"]));
            assert_eq!(strings(&schema["required"]), keys(&view));
            assert!(view["price"].is_f64(), "{view}");
        }
        let props = &schema["properties"];
        assert_eq!(props["price"]["type"], "number");
        assert_eq!(props["deleted_at"]["type"], json!(["string", "null"]));
        assert!(props["category"].to_string().contains("null"));
        assert!(props["category"].to_string().contains("CategoryRef"));
        let node = &doc["components"]["schemas"]["CategoryNode"];
        assert_eq!(
            strings(&node["required"]),
            ["childs", "id", "name", "parent_id"]
                .map(String::from)
                .into()
        );
    }

    #[test]
    fn the_list_schema_covers_both_cached_bodies() {
        let doc = openapi::json(&OPENAPI);
        let schema = &doc["components"]["schemas"]["ProductList"];
        assert_eq!(
            strings(&schema["required"]),
            ["code", "data", "message"].map(String::from).into()
        );
        let compat = serde_json::to_value(ProductPage::new(Vec::new(), None)).unwrap();
        assert_eq!(
            compat,
            json!({"code": 200, "data": [], "message": "success get"})
        );
        let search = serde_json::to_value(ProductPage::new(Vec::new(), Some(3))).unwrap();
        assert_eq!(keys(&search), keys(&schema["properties"]));
        assert_eq!(schema["properties"]["count"]["type"], "integer");
    }

    #[test]
    fn the_search_parameters_are_those_that_switch_to_search_mode() {
        let doc = openapi::json(&OPENAPI);
        let params = doc["paths"]["/v1/products"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let names: BTreeSet<&str> = params.iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, domain::search::PARAMETERS.into());
        let sort = params.iter().find(|p| p["name"] == "sort").unwrap();
        assert_eq!(
            sort["schema"]["enum"],
            json!(domain::search::SortKey::VALUES)
        );
        for value in domain::search::SortKey::VALUES {
            let pairs = [("sort".to_string(), value.to_string())];
            assert!(domain::search::Search::parse(&pairs).is_ok(), "{value}");
        }
        assert!(params.iter().all(|p| p["required"] == false));
    }

    #[test]
    fn the_form_schemas_name_the_parts_the_form_reader_takes() {
        let doc = openapi::json(&OPENAPI);
        let schemas = &doc["components"]["schemas"];
        let parts: BTreeSet<String> = [
            "name",
            "description",
            "price",
            "quantity",
            "category_id",
            "image",
        ]
        .map(String::from)
        .into();
        assert_eq!(keys(&schemas["ProductForm"]["properties"]), parts);
        assert!(schemas["ProductForm"].get("required").is_none());
        assert_eq!(keys(&schemas["ProductCreateForm"]["properties"]), parts);
        assert_eq!(
            strings(&schemas["ProductCreateForm"]["required"]),
            ["name", "description", "price", "category_id", "image"]
                .map(String::from)
                .into()
        );
        assert_eq!(
            schemas["ProductForm"]["properties"]["image"]["format"],
            "binary"
        );
        assert_eq!(
            keys(&schemas["ProductJsonUpdate"]["properties"]),
            ["name", "description", "price", "category_id"]
                .map(String::from)
                .into()
        );
        assert_eq!(
            keys(&schemas["CategoryCreate"]["properties"]),
            ["name", "parent_id"].map(String::from).into()
        );
        let body = &doc["paths"]["/v1/products/{id}"]["put"]["requestBody"]["content"];
        assert_eq!(
            keys(body),
            ["application/json", "multipart/form-data"]
                .map(String::from)
                .into()
        );
    }
}
