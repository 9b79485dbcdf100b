//! Sales report service (port 2007): sales rows from `sale.created`/`sale.reversed`, summaries and
//! CSV/PDF/XLSX downloads (api/sales-report.md). Owns the PostgreSQL database `sales`.

pub mod cli;
pub mod config;
pub mod domain;
pub mod routes;
pub mod store;

use std::sync::{Arc, LazyLock};

use anyhow::Context;
use axum::Router;
use eshop_common::auth::{InternalAuth, Verifier};
use eshop_common::db;
use eshop_common::server::{self, Defaults, Server};
use sqlx::PgPool;
use utoipa::OpenApi;

pub use config::{Config, SalesSettings};

/// The service's OpenAPI document, served at `/openapi.json`: generated from the handlers and types
/// ([`routes::ApiDoc`]) with the common routes, the error envelope and the security schemes added; built once.
pub static OPENAPI: LazyLock<String> =
    LazyLock::new(|| eshop_common::openapi::document(routes::ApiDoc::openapi()));

/// Migrations of `migrations/sales-report/`, applied at start and by `sales-report migrate`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sales-report");

/// Who may call this service's internal routes (spec README, "Internal HTTP calls").
pub const INTERNAL_ROUTES: &[(&str, &str)] = &[("order", "/internal/events")];
pub const INTERNAL_EVENTS: &[(&str, &str)] =
    &[("order", "sale.created"), ("order", "sale.reversed")];

/// What the routes share; [`AppState`] holds it behind one `Arc`.
pub struct Shared {
    pub pool: PgPool,
    pub verifier: Arc<Verifier>,
    pub internal: Arc<InternalAuth>,
    pub settings: Arc<SalesSettings>,
}

eshop_common::shared_state!(AppState(Shared), verifier: Arc<Verifier>, internal: Arc<InternalAuth>);

/// The service's own routes over `state`.
pub fn router(state: AppState) -> Router {
    routes::router().with_state(state)
}

/// Wires the service (stores, token keys, routes) and binds `HTTP_PORT`; `main` and tests (port 0) use it.
pub async fn build(config: Config) -> anyhow::Result<Server> {
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
    let state = AppState::from(Shared {
        pool: pool.clone(),
        verifier: verifier.clone(),
        internal,
        settings: Arc::new(config.sales),
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
    use serde_json::Value;

    use super::*;

    /// The service's state, wired to nothing: every route refuses a request without a token before it
    /// touches a store.
    fn offline_state() -> AppState {
        let pool = openapi::offline_pg_pool();
        AppState::from(Shared {
            pool,
            verifier: openapi::offline_verifier(),
            internal: Arc::new(
                InternalAuth::new(
                    "order:offline-token-0123456789abcdef0123",
                    INTERNAL_ROUTES,
                    INTERNAL_EVENTS,
                )
                .unwrap(),
            ),
            settings: Arc::new(SalesSettings::default()),
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
        let downloads = &["200", "400", "401", "403", "422", "500", "503"][..];
        let routes = [
            (
                "/v1/sales",
                "get",
                &["200", "400", "401", "403", "500", "503"][..],
            ),
            ("/v1/sales/summary", "get", downloads),
            ("/v1/sales/xlsx-report", "get", downloads),
            ("/v1/sales/csv-report", "get", downloads),
            ("/v1/sales/pdf-report", "get", downloads),
            (
                "/v1/sales/cost-prices",
                "get",
                &["200", "401", "403", "500", "503"],
            ),
            (
                "/v1/sales/cost-prices/{product_id}",
                "put",
                &[
                    "200", "400", "401", "403", "404", "413", "415", "500", "503",
                ],
            ),
            (
                "/v1/sales/cost-prices/{product_id}",
                "delete",
                &["200", "400", "401", "403", "404", "500", "503"],
            ),
            (
                "/internal/events",
                "post",
                &["200", "400", "401", "403", "413", "500", "503"],
            ),
        ];
        openapi::assert_operations(&OPENAPI, routes, Statuses::AtLeast);
        for (path, method, _) in routes {
            let security = doc["paths"][path][method]["security"].to_string();
            if path.starts_with("/v1/") {
                assert_eq!(security, r#"[{"bearer":[]}]"#, "{method} {path}");
            } else if path.starts_with("/internal/") {
                assert_eq!(security, r#"[{"serviceToken":[]}]"#, "{method} {path}");
            }
        }
        for (path, content_type) in [
            (
                "/v1/sales/xlsx-report",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            ("/v1/sales/csv-report", "text/csv; charset=utf-8"),
            ("/v1/sales/pdf-report", "application/pdf"),
        ] {
            let content = &doc["paths"][path]["get"]["responses"]["200"]["content"];
            assert_eq!(
                content[content_type]["schema"]["format"], "binary",
                "{path}: {content}"
            );
        }
    }

    /// The names of the query parameters of `method path`.
    fn parameters(doc: &Value, path: &str, method: &str) -> Vec<String> {
        doc["paths"][path][method]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn each_operation_documents_the_parameters_it_reads() {
        let doc = openapi::json(&OPENAPI);
        let filters = ["from", "to", "product_id", "warehouse_id", "tz"];
        let with = |extra: &[&str]| -> Vec<String> {
            filters.iter().chain(extra).map(|s| s.to_string()).collect()
        };
        assert_eq!(
            parameters(&doc, "/v1/sales", "get"),
            with(&["skip", "limit"])
        );
        assert_eq!(
            parameters(&doc, "/v1/sales/summary", "get"),
            with(&["interval"])
        );
        for download in ["xlsx", "csv", "pdf"] {
            let path = format!("/v1/sales/{download}-report");
            assert_eq!(parameters(&doc, &path, "get"), with(&[]), "{path}");
        }
        let list = &doc["paths"]["/v1/sales"]["get"]["parameters"];
        assert_eq!(list[6]["schema"]["maximum"], 1000);
        assert_eq!(list[6]["schema"]["default"], 10);
        let interval = &doc["paths"]["/v1/sales/summary"]["get"]["parameters"][5]["schema"];
        assert_eq!(
            interval["enum"],
            serde_json::json!(["day", "week", "month"])
        );
        assert_eq!(interval["default"], "day");
    }

    #[test]
    fn the_schemas_are_exact() {
        let doc = openapi::json(&OPENAPI);
        let schemas = &doc["components"]["schemas"];
        let row = &schemas["SaleRow"];
        // Every field is always present, in the wire order of §2.2.
        assert_eq!(
            row["required"],
            serde_json::json!([
                "user_id",
                "order_id",
                "product_id",
                "product_quantity",
                "margin_per_product",
                "created_at",
                "id",
                "product_name",
                "sku",
                "warehouse_id",
                "price",
                "cost_price",
                "revenue",
                "margin_total",
                "margin_source",
                "kind"
            ])
        );
        let props = &row["properties"];
        assert_eq!(
            props["cost_price"]["type"],
            serde_json::json!(["number", "null"])
        );
        assert_eq!(props["margin_per_product"]["type"], "number");
        assert_eq!(
            schemas["MarginSource"]["enum"],
            serde_json::json!(["cost_table", "default_rate"])
        );
        assert_eq!(
            schemas["SaleKind"]["enum"],
            serde_json::json!(["sale", "reversal"])
        );
        assert_eq!(
            schemas["SalesList"]["required"],
            serde_json::json!(["code", "data", "count", "message"])
        );
        let totals = &schemas["Totals"];
        assert_eq!(totals["required"].as_array().unwrap().len(), 7);
        assert_eq!(
            totals["properties"]["margin_rate"]["type"],
            serde_json::json!(["number", "null"])
        );
        let summary = &schemas["Summary"];
        assert_eq!(summary["required"].as_array().unwrap().len(), 6);
        assert_eq!(
            summary["properties"]["from"]["type"],
            serde_json::json!(["string", "null"])
        );
        let deleted = &schemas["Envelope_Null"]["properties"]["data"];
        assert_eq!(deleted["type"], "null");
        let answer = &schemas["Envelope_EventAnswer"]["properties"]["data"];
        assert_eq!(
            answer["properties"]["result"]["$ref"],
            "#/components/schemas/EventResult"
        );
        // Only order delivers events here.
        assert_eq!(
            schemas["EventEnvelope"]["properties"]["source"]["enum"],
            serde_json::json!(["order"])
        );
        // The literal of the body's maximum is the largest amount of money.
        let cost = &schemas["CostPriceBody"]["properties"]["cost_price"];
        assert_eq!(
            cost["maximum"].to_string(),
            domain::money::max_money().to_string()
        );
    }
}
