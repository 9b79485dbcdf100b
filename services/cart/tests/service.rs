//! The cart service starts on a fresh MySQL database and the machine's Redis, answers the common routes,
//! and refuses to start without a required setting.

use eshop_common::auth::AuthSettings;
use eshop_common::config::CommonSettings;
use test_support::db::TestDatabase;
use test_support::service::{self, LocalIssuer, LOCAL_CLIENT, LOCAL_ISSUER};

#[tokio::test]
async fn starts_on_a_fresh_database_and_answers_the_common_routes() {
    let db = TestDatabase::mysql("cart").await;
    let issuer = LocalIssuer::start().await;
    let mut common = CommonSettings::from_env("cart", 0).unwrap();
    common.http_port = 0;
    let config = cart::Config {
        common,
        auth: AuthSettings::new(LOCAL_ISSUER, &[LOCAL_CLIENT], &issuer.jwks.url()),
        database_url: db.url.clone(),
        database_max_connections: 2,
        redis_url: std::env::var("TEST_REDIS_URL")
            .unwrap_or_else(|_| "redis://127.0.0.1:6379/5".into()),
        internal_tokens: String::new(),
        cache: cart::config::CacheSettings {
            key_prefix: format!("cart:svc-test:{}:", uuid::Uuid::new_v4().simple()),
            ..Default::default()
        },
        peers: Default::default(),
        limits: Default::default(),
        processed_events_retention: std::time::Duration::from_secs(86_400),
    };
    let app = cart::build(config).await.expect("the service builds");
    let port = app.port();
    let base = format!("http://127.0.0.1:{port}");
    tokio::spawn(app.run());
    service::assert_service_defaults(&base).await;
    service::assert_healthcheck(env!("CARGO_BIN_EXE_cart"), port).await;
}

#[test]
fn exits_non_zero_naming_a_missing_required_variable() {
    service::assert_exits_naming_missing_variable(env!("CARGO_BIN_EXE_cart"));
}
