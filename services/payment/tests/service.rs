//! The payment service starts on a fresh MySQL database with its private bucket in the emulator, answers
//! the common routes, and refuses to start without a required setting.

use eshop_common::auth::AuthSettings;
use eshop_common::aws::AwsSettings;
use eshop_common::config::CommonSettings;
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
    };
    let app = payment::build(config).await.expect("the service builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run());
    service::assert_service_defaults(&base).await;
}

#[test]
fn exits_non_zero_naming_a_missing_required_variable() {
    service::assert_exits_naming_missing_variable(env!("CARGO_BIN_EXE_payment"));
}
