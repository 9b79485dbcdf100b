//! auth.md §2.5: the token never reaches a log line, whatever the outcome of its checks (own test binary:
//! it installs a global log subscriber writing to a buffer).

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::routing::get;
use axum::Router;
use eshop_common::auth::{AuthSettings, AuthUser, Verifier};
use eshop_common::config::CommonSettings;
use eshop_common::server::{self, ready_check, Defaults, Server};
use test_support::keys::{JwksServer, SigningKey};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_logs";

#[tokio::test]
async fn no_log_line_contains_the_token() {
    let logs = Buffer::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_writer(move || writer.clone())
        .json()
        .init();

    let key = SigningKey::generate();
    let jwks = JwksServer::start(&[&key]).await;
    let verifier = Verifier::new(AuthSettings::new(ISSUER, &["web"], &jwks.url()));
    verifier.refresh().await.unwrap();
    let routes = Router::new()
        .route(
            "/whoami",
            get(|user: AuthUser| async move { user.user_id.to_string() }),
        )
        .with_state(verifier.clone());
    let settings = CommonSettings::from_env("test", 0).unwrap();
    let defaults = Defaults {
        settings,
        openapi: "{}",
        verifier: Some(verifier),
        stores_ready: ready_check(|| async { true }),
    };
    let server = Server::bind(
        "127.0.0.1:0".parse().unwrap(),
        server::build(routes, defaults),
    )
    .await
    .unwrap();
    let url = format!("http://{}/whoami", server.local_addr());
    tokio::spawn(server.run_until(std::future::pending()));

    let now = chrono::Utc::now().timestamp();
    let good = key.sign(
        &serde_json::json!({"sub": uuid::Uuid::new_v4(), "iss": ISSUER, "token_use": "access",
        "client_id": "web", "exp": now + 600}),
    );
    let expired = key.sign(
        &serde_json::json!({"sub": uuid::Uuid::new_v4(), "iss": ISSUER, "token_use": "access",
        "client_id": "web", "exp": now - 600}),
    );
    let garbage = "garbage-token-value-1234567890";
    for token in [&good, &expired, &garbage.to_string()] {
        reqwest::Client::new()
            .get(&url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
    }

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("request finished"),
        "the access log was captured: {text}"
    );
    assert!(
        text.contains("token refused"),
        "the refusal reason is logged at DEBUG"
    );
    for token in [&good, &expired, &garbage.to_string()] {
        let signature = token.rsplit('.').next().unwrap();
        assert!(!text.contains(signature), "a log line holds a token");
    }
}
