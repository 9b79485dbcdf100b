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

use std::sync::{Arc, LazyLock};

use aws_sdk_cognitoidentityprovider::Client as Cognito;
use axum::Router;
use eshop_common::auth::Verifier;
use eshop_common::server::{self, ready_check, Defaults, Server};
use utoipa::OpenApi;

pub use config::Config;
use pool::UserPool;
use throttle::Throttles;

/// The service's OpenAPI document, served at `/openapi.json`: generated from the handlers and types
/// ([`routes::ApiDoc`]) with the common routes, the error envelope and the security schemes added; built once.
pub static OPENAPI: LazyLock<String> =
    LazyLock::new(|| eshop_common::openapi::document(routes::ApiDoc::openapi()));

/// What the routes share; [`AppState`] holds it behind one `Arc`.
pub struct Shared {
    pub pool: UserPool,
    pub verifier: Arc<Verifier>,
    pub throttles: Arc<Throttles>,
}

eshop_common::shared_state!(AppState(Shared), verifier: Arc<Verifier>);

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
    let state = AppState::from(Shared {
        pool: pool.clone(),
        verifier: verifier.clone(),
        throttles: Arc::new(Throttles::new(config.limits.clone())),
    });
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
        Defaults::new(config.common, OPENAPI.as_str(), verifier, ready),
    )
    .await?)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use eshop_common::openapi::{self, Statuses};
    use serde_json::Value;

    use super::*;
    use crate::config::Limits;
    use crate::domain::identity::{self, Identifier};
    use crate::domain::profile::{self, Address};

    /// The service's state, wired to nothing: every route answers a request without a token or a body before
    /// it reaches the pool.
    fn offline_state() -> AppState {
        use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Region};
        let cognito = Cognito::from_conf(
            aws_sdk_cognitoidentityprovider::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .endpoint_url("http://127.0.0.1:9")
                .timeout_config(
                    aws_config::timeout::TimeoutConfig::builder()
                        .operation_timeout(Duration::from_secs(1))
                        .build(),
                )
                .build(),
        );
        AppState::from(Shared {
            pool: UserPool {
                client: cognito,
                pool_id: "us-east-1_offline".into(),
                app_client_id: "offline".into(),
            },
            verifier: openapi::offline_verifier(),
            throttles: Arc::new(Throttles::new(Limits::default())),
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
        let bodies = ["400", "413", "415"];
        let bearer = ["401", "503"];
        let routes: [(&str, &str, &[&str]); 17] = [
            ("/v1/auth/{token}", "get", &["200", "401", "404", "503"]),
            (
                "/v1/auth/signup",
                "post",
                &["201", "409", "422", "429", "502"],
            ),
            (
                "/v1/auth/confirm",
                "post",
                &["200", "404", "409", "422", "429", "502"],
            ),
            (
                "/v1/auth/resend-code",
                "post",
                &["200", "404", "409", "429", "502"],
            ),
            (
                "/v1/auth/login",
                "post",
                &["200", "401", "403", "409", "422", "429", "502", "503"],
            ),
            ("/v1/auth/refresh", "post", &["200", "401", "429", "502"]),
            (
                "/v1/auth/logout",
                "post",
                &["200", "401", "429", "502", "503"],
            ),
            ("/v1/auth/forgot-password", "post", &["200", "429", "502"]),
            (
                "/v1/auth/reset-password",
                "post",
                &["200", "422", "429", "502"],
            ),
            (
                "/v1/auth/change-password",
                "post",
                &["200", "404", "422", "429", "502"],
            ),
            ("/v1/auth/me", "get", &["200", "404", "429", "502"]),
            ("/v1/auth/me", "patch", &["200", "404", "429", "502"]),
            ("/v1/auth/me", "delete", &["200", "429", "502"]),
            (
                "/v1/auth/users",
                "get",
                &["200", "400", "403", "429", "502"],
            ),
            (
                "/v1/auth/users/{user_id}",
                "get",
                &["200", "400", "403", "404", "429", "502"],
            ),
            (
                "/v1/auth/users/{user_id}/role",
                "put",
                &["200", "403", "404", "409", "429", "502"],
            ),
            (
                "/v1/auth/users/{user_id}/enabled",
                "put",
                &["200", "403", "404", "409", "429", "502"],
            ),
        ];
        let expected = routes.map(|(path, method, statuses)| {
            let operation = &doc["paths"][path][method];
            let mut expected = statuses.to_vec();
            if operation.get("requestBody").is_some() {
                expected.extend(bodies);
            }
            if operation.get("security").is_some() {
                assert_eq!(operation["security"], serde_json::json!([{"bearer": []}]));
                expected.extend(bearer);
            }
            (path, method, expected)
        });
        openapi::assert_operations(&OPENAPI, expected, Statuses::AtLeast);
    }

    #[test]
    fn the_user_is_exact() {
        let doc = openapi::json(&OPENAPI);
        let schemas = &doc["components"]["schemas"];
        let user = &schemas["User"];
        // Every field is always written; name, phone and address as null when unset.
        assert_eq!(user["required"].as_array().unwrap().len(), 13);
        assert_eq!(
            user["properties"]["name"]["type"],
            serde_json::json!(["string", "null"])
        );
        assert_eq!(
            user["properties"]["role"]["$ref"],
            "#/components/schemas/Role"
        );
        assert_eq!(
            schemas["Role"]["enum"],
            serde_json::json!(["customer", "warehouse_staff", "warehouse_manager", "admin"])
        );
        // What is read back has no write rules: a stored value that is not JSON has empty parts.
        assert!(!schemas["Address"].to_string().contains("minLength"));
        assert_eq!(
            schemas["AddressInput"]["required"]
                .as_array()
                .unwrap()
                .len(),
            4
        );
        assert_eq!(
            schemas["Envelope_Null"]["properties"]["data"]["type"],
            "null"
        );
        let refreshed = &schemas["Refreshed"];
        assert!(!refreshed["required"].to_string().contains("refresh_token"));
        assert_eq!(refreshed["properties"]["refresh_token"]["type"], "string");
    }

    /// The string constraints of `schema.field` in the document.
    fn bounds(doc: &Value, schema: &str, field: &str) -> (usize, usize) {
        let property = &doc["components"]["schemas"][schema]["properties"][field];
        let n = |key: &str| {
            property[key]
                .as_u64()
                .unwrap_or_else(|| panic!("{schema}.{field} has no {key}")) as usize
        };
        (n("minLength"), n("maxLength"))
    }

    /// A rule accepts exactly the lengths the document allows (at both ends).
    fn agrees<T, E>(doc: &Value, schema: &str, field: &str, rule: impl Fn(&str) -> Result<T, E>) {
        let (min, max) = bounds(doc, schema, field);
        let text = |n: usize| "a".repeat(n);
        assert!(rule(&text(min)).is_ok(), "{schema}.{field} at {min}");
        assert!(rule(&text(max)).is_ok(), "{schema}.{field} at {max}");
        assert!(
            rule(&text(max + 1)).is_err(),
            "{schema}.{field} above {max}"
        );
        if min > 0 {
            assert!(
                rule(&text(min - 1)).is_err(),
                "{schema}.{field} below {min}"
            );
        }
    }

    #[test]
    fn the_documented_request_limits_are_the_rules() {
        let doc = openapi::json(&OPENAPI);
        agrees(&doc, "SignUpRequest", "username", |v| {
            identity::username("u", v)
        });
        agrees(&doc, "SignUpRequest", "password", |v| {
            identity::new_password("p", v)
        });
        agrees(&doc, "SignUpRequest", "name", |v| profile::name("n", v));
        for schema in [
            "LoginRequest",
            "ConfirmRequest",
            "ResendCodeRequest",
            "ForgotPasswordRequest",
        ] {
            agrees(&doc, schema, "username", |v| Identifier::parse("u", v));
        }
        agrees(&doc, "LoginRequest", "password", |v| {
            identity::presented_password("p", v)
        });
        agrees(&doc, "ResetPasswordRequest", "password", |v| {
            identity::new_password("p", v)
        });
        agrees(&doc, "ChangePasswordRequest", "current_password", |v| {
            identity::presented_password("p", v)
        });
        agrees(&doc, "ChangePasswordRequest", "new_password", |v| {
            identity::new_password("p", v)
        });
        agrees(&doc, "ProfileUpdateRequest", "name", |v| {
            profile::name("n", v)
        });
        let email_max = doc["components"]["schemas"]["SignUpRequest"]["properties"]["email"]
            ["maxLength"]
            .as_u64()
            .unwrap() as usize;
        let email = |n: usize| format!("{}@b.io", "a".repeat(n - 5));
        assert!(identity::email("e", &email(email_max)).is_ok());
        assert!(identity::email("e", &email(email_max + 1)).is_err());
        for part in ["street", "city", "state"] {
            agrees(&doc, "AddressInput", part, |v| {
                let mut address = Address {
                    street: "1 Main St".into(),
                    city: "Springfield".into(),
                    state: "IL".into(),
                    zipcode: "12345".into(),
                };
                match part {
                    "street" => address.street = v.into(),
                    "city" => address.city = v.into(),
                    _ => address.state = v.into(),
                }
                Address::parse(&address)
            });
        }
        let (_, token_max) = bounds(&doc, "RefreshRequest", "refresh_token");
        assert_eq!(token_max, 8192);
    }

    #[test]
    fn the_documented_patterns_are_the_rules() {
        let doc = openapi::json(&OPENAPI);
        let pattern = |schema: &str, field: &str| {
            doc["components"]["schemas"][schema]["properties"][field]["pattern"]
                .as_str()
                .unwrap_or_else(|| panic!("{schema}.{field} has no pattern"))
                .to_string()
        };
        assert_eq!(pattern("ConfirmRequest", "code"), "^[0-9]{1,16}$");
        assert_eq!(pattern("ResetPasswordRequest", "code"), "^[0-9]{1,16}$");
        assert!(identity::code("c", &"1".repeat(16)).is_ok());
        assert!(identity::code("c", &"1".repeat(17)).is_err());
        assert_eq!(
            pattern("ProfileUpdateRequest", "phone_number"),
            r"^\+[0-9]{7,15}$"
        );
        assert!(profile::phone_number("p", &format!("+{}", "1".repeat(7))).is_ok());
        assert!(profile::phone_number("p", &format!("+{}", "1".repeat(15))).is_ok());
        assert!(profile::phone_number("p", &format!("+{}", "1".repeat(6))).is_err());
        assert!(profile::phone_number("p", &format!("+{}", "1".repeat(16))).is_err());
        assert_eq!(pattern("AddressInput", "zipcode"), "^[0-9]{3,10}$");
        assert_eq!(pattern("SignUpRequest", "username"), r"^[^\s@]+$");
    }
}
