//! A stubbed Cognito endpoint for behaviour the emulator lacks (api/auth.md §5 "Emulator limits"): a small
//! server speaking the JSON-1.1 operations a test needs (`x-amz-target`), counting calls. A test double of an
//! external API, not of our store.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::{json, Value};

type Handler = dyn Fn(&str, &Value) -> (u16, Value) + Send + Sync;

pub struct CognitoStub {
    pub url: String,
    calls: Arc<Mutex<HashMap<String, usize>>>,
}

/// A Cognito error reply.
pub fn error(code: &str) -> (u16, Value) {
    (
        400,
        json!({"__type": code, "message": format!("stubbed {code}")}),
    )
}

impl CognitoStub {
    /// Serves `answer(operation, body)`; `DescribeUserPool` always succeeds (readiness).
    pub async fn start(
        answer: impl Fn(&str, &Value) -> (u16, Value) + Send + Sync + 'static,
    ) -> Self {
        let calls = Arc::new(Mutex::new(HashMap::<String, usize>::new()));
        let answer: Arc<Handler> = Arc::new(answer);
        let counted = calls.clone();
        let app =
            axum::Router::new().fallback(move |headers: HeaderMap, body: axum::body::Bytes| {
                let (answer, counted) = (answer.clone(), counted.clone());
                async move {
                    let operation = headers
                        .get("x-amz-target")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.rsplit('.').next())
                        .unwrap_or_default()
                        .to_string();
                    *counted
                        .lock()
                        .unwrap()
                        .entry(operation.clone())
                        .or_default() += 1;
                    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    let (status, reply) = if operation == "DescribeUserPool" {
                        (200, json!({"UserPool": {"Id": "us-east-1_test"}}))
                    } else {
                        answer(&operation, &body)
                    };
                    (
                        StatusCode::from_u16(status).unwrap(),
                        [("content-type", "application/x-amz-json-1.1")],
                        reply.to_string(),
                    )
                        .into_response()
                }
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        CognitoStub { url, calls }
    }

    pub fn calls(&self, operation: &str) -> usize {
        self.calls
            .lock()
            .unwrap()
            .get(operation)
            .copied()
            .unwrap_or(0)
    }
}

/// The service wired to `stub` for Cognito and to a local issuer for token keys.
pub async fn spawn_against(
    stub: &CognitoStub,
    limits: auth::config::Limits,
) -> (super::support::App, test_support::service::LocalIssuer) {
    use test_support::service::{LocalIssuer, LOCAL_CLIENT, LOCAL_ISSUER};
    // Gives the SDK's credential chain the static test credentials when the environment has none.
    test_support::cognito::endpoint();
    let issuer = LocalIssuer::start().await;
    let settings =
        eshop_common::auth::AuthSettings::new(LOCAL_ISSUER, &[LOCAL_CLIENT], &issuer.jwks.url());
    let config = super::support::test_config(settings, stub.url.clone(), LOCAL_CLIENT, limits);
    let base = super::support::serve(config).await;
    let app = super::support::App {
        base,
        http: reqwest::Client::new(),
        pool_id: "us-east-1_test".into(),
        client_id: LOCAL_CLIENT.into(),
        cognito: test_support::cognito::client().await,
    };
    (app, issuer)
}
