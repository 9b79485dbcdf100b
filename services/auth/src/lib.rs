//! Auth service (port 2003): fronts the Amazon Cognito user pool for people — sign-up, login, roles —
//! and keeps the old introspection endpoint (api/auth.md). It owns no store but the pool.

pub mod bootstrap;
pub mod cli;
pub mod config;

use std::sync::Arc;

use aws_sdk_cognitoidentityprovider::Client as Cognito;
use axum::extract::FromRef;
use axum::Router;
use eshop_common::auth::Verifier;
use eshop_common::server::{self, ready_check, Defaults, Server};

pub use config::Config;

/// The service's OpenAPI document, served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

#[derive(Clone, FromRef)]
pub struct AppState {
    pub cognito: Cognito,
    #[from_ref(skip)]
    pub pool_id: Arc<str>,
    #[from_ref(skip)]
    pub app_client_id: Arc<str>,
    pub verifier: Arc<Verifier>,
}

/// The service's own routes over `state`.
pub fn router(state: AppState) -> Router {
    Router::new().with_state(state)
}

/// Wires the service (pool client, token keys, routes) and binds `HTTP_PORT`; `main` and tests (port 0) use it.
pub async fn build(config: Config) -> anyhow::Result<Server> {
    let cognito = Cognito::new(&config.aws.sdk_config().await);
    let verifier = Verifier::start(config.auth.clone());
    let pool_id: Arc<str> = config.auth.pool_id.as_str().into();
    let state = AppState {
        cognito: cognito.clone(),
        pool_id: pool_id.clone(),
        app_client_id: config.app_client_id.as_str().into(),
        verifier: verifier.clone(),
    };
    // api/auth.md §5: DescribeUserPool is the readiness probe.
    let ready = ready_check(move || {
        let (cognito, pool_id) = (cognito.clone(), pool_id.clone());
        async move {
            cognito
                .describe_user_pool()
                .user_pool_id(&*pool_id)
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
