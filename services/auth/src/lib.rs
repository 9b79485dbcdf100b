//! Auth service (port 2003): fronts the Amazon Cognito user pool for people — sign-up, login, roles —
//! and keeps the old introspection endpoint (api/auth.md). It owns no store but the pool.

pub mod bootstrap;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod maintenance;
pub mod pool;
pub mod routes;
pub mod throttle;

use std::sync::Arc;

use aws_sdk_cognitoidentityprovider::Client as Cognito;
use axum::extract::FromRef;
use axum::Router;
use eshop_common::auth::Verifier;
use eshop_common::server::{self, ready_check, Defaults, Server};

pub use config::Config;
use pool::UserPool;
use throttle::Throttles;

/// The service's OpenAPI document, served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

#[derive(Clone, FromRef)]
pub struct AppState {
    pub pool: UserPool,
    pub verifier: Arc<Verifier>,
    pub throttles: Arc<Throttles>,
}

/// The service's own routes over `state`.
pub fn router(state: AppState) -> Router {
    routes::router().with_state(state)
}

/// Wires the service (pool client, token keys, limits, the maintenance task, routes) and binds `HTTP_PORT`;
/// `main` and tests (port 0) use it.
pub async fn build(config: Config) -> anyhow::Result<Server> {
    let cognito = Cognito::new(&config.aws.sdk_config().await);
    let verifier = Verifier::start(config.auth.clone());
    let pool = UserPool {
        client: cognito,
        pool_id: config.auth.pool_id.as_str().into(),
        app_client_id: config.app_client_id.as_str().into(),
    };
    maintenance::spawn(pool.clone(), config.maintenance.clone());
    let state = AppState {
        pool: pool.clone(),
        verifier: verifier.clone(),
        throttles: Arc::new(Throttles::new(config.limits.clone())),
    };
    // api/auth.md §5: DescribeUserPool is the readiness probe.
    let ready = ready_check(move || {
        let pool = pool.clone();
        async move {
            pool.client
                .describe_user_pool()
                .user_pool_id(&*pool.pool_id)
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_openapi_document_describes_every_route() {
        let doc: serde_json::Value = serde_json::from_str(super::OPENAPI).unwrap();
        let routes = [
            ("/v1/auth/{token}", "get"),
            ("/v1/auth/signup", "post"),
            ("/v1/auth/confirm", "post"),
            ("/v1/auth/resend-code", "post"),
            ("/v1/auth/login", "post"),
            ("/v1/auth/refresh", "post"),
            ("/v1/auth/logout", "post"),
            ("/v1/auth/forgot-password", "post"),
            ("/v1/auth/reset-password", "post"),
            ("/v1/auth/change-password", "post"),
            ("/v1/auth/me", "get"),
            ("/v1/auth/me", "patch"),
            ("/v1/auth/me", "delete"),
            ("/v1/auth/users", "get"),
            ("/v1/auth/users/{user_id}", "get"),
            ("/v1/auth/users/{user_id}/role", "put"),
            ("/v1/auth/users/{user_id}/enabled", "put"),
        ];
        for (path, method) in routes {
            assert!(doc["paths"][path][method].is_object(), "{method} {path}");
        }
    }
}
