//! The auth service is ready once its user pool answers and the pool's keys are loaded, answers the common
//! routes, and refuses to start without a required setting.

use eshop_common::auth::AuthSettings;
use eshop_common::aws::AwsSettings;
use eshop_common::config::CommonSettings;
use test_support::cognito::TestPool;
use test_support::service;

#[tokio::test]
async fn starts_against_its_user_pool_and_answers_the_common_routes() {
    let pool = TestPool::create().await;
    let mut common = CommonSettings::from_env("auth", 0).unwrap();
    common.http_port = 0;
    let config = auth::Config {
        common,
        auth: AuthSettings::new(&pool.issuer(), &[&pool.client_id], &pool.jwks_url()),
        aws: AwsSettings {
            endpoint: Some(test_support::cognito::endpoint()),
            ..AwsSettings::from_env().unwrap()
        },
        app_client_id: pool.client_id.clone(),
        limits: auth::config::Limits::default(),
        maintenance: auth::config::Maintenance::default(),
    };
    let app = auth::build(config).await.expect("the service builds");
    let port = app.port();
    let base = format!("http://127.0.0.1:{port}");
    tokio::spawn(app.run());
    service::assert_service_defaults(&base).await;
    service::assert_healthcheck(env!("CARGO_BIN_EXE_auth"), port).await;
}

#[test]
fn exits_non_zero_naming_a_missing_required_variable() {
    service::assert_exits_naming_missing_variable(env!("CARGO_BIN_EXE_auth"));
}
