//! The product service creates its tables and bucket in the emulator, seeds the pinned roots, answers the
//! common routes, and refuses to start without a required setting.

use eshop_common::auth::AuthSettings;
use eshop_common::aws::AwsSettings;
use eshop_common::config::CommonSettings;
use product::store::bootstrap::StoreNames;
use test_support::service::{self, LocalIssuer, LOCAL_CLIENT, LOCAL_ISSUER};

#[tokio::test]
async fn starts_with_its_tables_and_bucket_and_answers_the_common_routes() {
    let issuer = LocalIssuer::start().await;
    let suffix = uuid::Uuid::new_v4().simple().to_string();
    let mut common = CommonSettings::from_env("product", 0).unwrap();
    common.http_port = 0;
    let config = product::Config {
        common,
        auth: AuthSettings::new(LOCAL_ISSUER, &[LOCAL_CLIENT], &issuer.jwks.url()),
        aws: AwsSettings {
            endpoint: Some(test_support::cognito::endpoint()),
            force_path_style: true,
            bootstrap: true,
            ..AwsSettings::from_env().unwrap()
        },
        stores: StoreNames {
            products_table: format!("test-products-{suffix}"),
            categories_table: format!("test-categories-{suffix}"),
            outbox_table: format!("test-outbox-{suffix}"),
            bucket: format!("test-images-{suffix}"),
        },
        internal_tokens: String::new(),
        catalogue: Default::default(),
        relay: Default::default(),
    };
    let app = product::build(config).await.expect("the service builds");
    let port = app.port();
    let base = format!("http://127.0.0.1:{port}");
    tokio::spawn(app.run());
    service::assert_service_defaults(&base).await;
    service::assert_healthcheck(env!("CARGO_BIN_EXE_product"), port).await;
}

#[test]
fn exits_non_zero_naming_a_missing_required_variable() {
    service::assert_exits_naming_missing_variable(env!("CARGO_BIN_EXE_product"));
}

#[test]
fn prints_the_served_openapi_document_without_starting() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_product"))
        .arg("openapi")
        .env_clear()
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{out:?}");
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let served: serde_json::Value = serde_json::from_str(&product::OPENAPI).unwrap();
    assert_eq!(printed, served);
    for (path, methods) in [
        ("/v1/products", &["get", "post"][..]),
        ("/v1/products/{id}", &["get", "put", "delete"]),
        ("/v1/products/category/{id}", &["get"]),
        ("/v1/products/categories", &["post"]),
        (
            "/v1/products/{product_id}/category/{category_id}",
            &["delete"],
        ),
        ("/v1/categories", &["get", "post"]),
        ("/v1/categories/{id}", &["get", "put", "delete"]),
        ("/v1/categories/parent/{id}", &["get"]),
        ("/images/product/{file}", &["get"]),
        ("/internal/products/lookup", &["post"]),
        ("/internal/events", &["post"]),
    ] {
        for method in methods {
            assert!(served["paths"][path][method].is_object(), "{method} {path}");
        }
    }
}
