//! The payment service starts on a fresh MySQL database with its private bucket in the emulator, answers
//! the common routes, and refuses to start without a required setting.

use std::time::Duration;

use eshop_common::auth::AuthSettings;
use eshop_common::aws::AwsSettings;
use eshop_common::config::CommonSettings;
use eshop_common::outbox::OutboxSettings;
use test_support::db::TestDatabase;
use test_support::service::{self, LocalIssuer, LOCAL_CLIENT, LOCAL_ISSUER};

#[tokio::test]
async fn starts_with_its_database_and_bucket_and_answers_the_common_routes() {
    let db = TestDatabase::mysql("payment").await;
    let issuer = LocalIssuer::start().await;
    let mut common = CommonSettings::from_env("payment", 0).unwrap();
    common.http_port = 0;
    let config = payment::Config {
        common,
        auth: AuthSettings::new(LOCAL_ISSUER, &[LOCAL_CLIENT], &issuer.jwks.url()),
        aws: AwsSettings {
            endpoint: Some(test_support::cognito::endpoint()),
            force_path_style: true,
            bootstrap: true,
            ..AwsSettings::from_env().unwrap()
        },
        database_url: db.url.clone(),
        database_max_connections: 2,
        bucket: format!("test-proofs-{}", uuid::Uuid::new_v4().simple()),
        presign_endpoint: None,
        order_service: "http://127.0.0.1:9".into(),
        service_token: "local-payment-token".to_string().into(),
        proof_link_secret: "local-proof-link-secret".to_string().into(),
        max_upload_bytes: payment::config::DEFAULT_MAX_UPLOAD_BYTES,
        proof_url_ttl: Duration::from_secs(900),
        outbox: OutboxSettings::default(),
    };
    let app = payment::build(config).await.expect("the service builds");
    let port = app.port();
    let base = format!("http://127.0.0.1:{port}");
    tokio::spawn(app.run());
    service::assert_service_defaults(&base).await;
    service::assert_healthcheck(env!("CARGO_BIN_EXE_payment"), port).await;
}

#[test]
fn exits_non_zero_naming_a_missing_required_variable() {
    service::assert_exits_naming_missing_variable(env!("CARGO_BIN_EXE_payment"));
}

#[test]
fn refuses_to_start_with_a_proof_url_ttl_beyond_the_sigv4_maximum() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_payment"))
        .env("COGNITO_ISSUER", LOCAL_ISSUER)
        .env("COGNITO_CLIENT_IDS", LOCAL_CLIENT)
        .env("PAYMENT_PROOF_URL_TTL_SECONDS", "604801")
        .env("HTTP_PORT", "0")
        .output()
        .expect("run the service binary");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("PAYMENT_PROOF_URL_TTL_SECONDS"));
}
