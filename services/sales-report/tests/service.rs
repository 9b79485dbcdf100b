//! The sales-report service starts on its own fresh database, answers the common routes, and refuses to start
//! without a required setting.

use eshop_common::auth::AuthSettings;
use eshop_common::config::CommonSettings;
use test_support::db::TestDatabase;
use test_support::service::{self, LocalIssuer, LOCAL_CLIENT, LOCAL_ISSUER};

#[tokio::test]
async fn starts_on_a_fresh_database_and_answers_the_common_routes() {
    let db = TestDatabase::postgres("sales_report").await;
    let issuer = LocalIssuer::start().await;
    let mut common = CommonSettings::from_env("sales-report", 0).unwrap();
    common.http_port = 0;
    let config = sales_report::Config {
        common,
        auth: AuthSettings::new(LOCAL_ISSUER, &[LOCAL_CLIENT], &issuer.jwks.url()),
        database_url: db.url.clone(),
        database_max_connections: 2,
        internal_tokens: String::new(),
        sales: sales_report::SalesSettings::default(),
    };
    let app = sales_report::build(config)
        .await
        .expect("the service builds");
    let port = app.port();
    let base = format!("http://127.0.0.1:{port}");
    tokio::spawn(app.run());
    service::assert_service_defaults(&base).await;
    service::assert_healthcheck(env!("CARGO_BIN_EXE_sales-report"), port).await;
}

#[test]
fn exits_non_zero_naming_a_missing_required_variable() {
    service::assert_exits_naming_missing_variable(env!("CARGO_BIN_EXE_sales-report"));
}
