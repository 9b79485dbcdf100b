//! Checks every service must pass, shared so each service's test states only how it is built:
//! the common routes answer (design §2) and a missing required setting stops the binary naming it.

use std::process::Command;
use std::time::Duration;

use crate::keys::{JwksServer, SigningKey};

/// A local token issuer (key + JWKS server) so a service under test becomes ready without the emulator.
pub struct LocalIssuer {
    pub key: SigningKey,
    pub jwks: JwksServer,
}

pub const LOCAL_ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test";
pub const LOCAL_CLIENT: &str = "test-client";

impl LocalIssuer {
    pub async fn start() -> LocalIssuer {
        let key = SigningKey::generate();
        let jwks = JwksServer::start(&[&key]).await;
        LocalIssuer { key, jwks }
    }

    /// An access token for `sub` with `groups`, valid for ten minutes.
    pub fn token(&self, sub: uuid::Uuid, groups: &[&str]) -> String {
        let now = chrono_now();
        self.key.sign(&serde_json::json!({
            "sub": sub, "iss": LOCAL_ISSUER, "token_use": "access", "client_id": LOCAL_CLIENT,
            "exp": now + 600, "iat": now, "cognito:groups": groups, "username": format!("user-{sub}"),
        }))
    }
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Waits up to 10 s for `GET {base}/ready` to answer 200.
pub async fn wait_ready(base: &str) {
    for _ in 0..100 {
        if let Ok(r) = reqwest::get(format!("{base}/ready")).await {
            if r.status().as_u16() == 200 {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{base}/ready did not answer 200 within 10 s");
}

/// The common routes: health (empty 200), ready 200, metrics, the OpenAPI document, and the error envelope
/// for an unknown route, with and without a trailing slash.
pub async fn assert_service_defaults(base: &str) {
    wait_ready(base).await;
    let health = reqwest::get(format!("{base}/health")).await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let spec: serde_json::Value = reqwest::get(format!("{base}/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        spec["openapi"]
            .as_str()
            .unwrap_or_default()
            .starts_with("3."),
        "{spec}"
    );
    assert!(spec["paths"].get("/health").is_some());
    let metrics = reqwest::get(format!("{base}/metrics")).await.unwrap();
    assert_eq!(metrics.status().as_u16(), 200);
    for path in ["/v1/no-such-route", "/v1/no-such-route/"] {
        let response = reqwest::get(format!("{base}{path}")).await.unwrap();
        assert_eq!(response.status().as_u16(), 404, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["code"], 404);
        assert!(body["error"]["message"].is_string(), "{body}");
    }
}

/// Runs `binary` with `COGNITO_CLIENT_IDS` (and its fallback) removed: it must exit non-zero and name it.
pub fn assert_exits_naming_missing_variable(binary: &str) {
    let output = Command::new(binary)
        .env_remove("COGNITO_CLIENT_IDS")
        .env_remove("COGNITO_CLIENT_ID")
        .env("COGNITO_ISSUER", LOCAL_ISSUER)
        .env("HTTP_PORT", "0")
        .output()
        .expect("run the service binary");
    assert!(
        !output.status.success(),
        "{binary} started without COGNITO_CLIENT_IDS"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("COGNITO_CLIENT_IDS"),
        "stderr does not name the variable: {stderr}"
    );
}

/// `<binary> healthcheck` (docker-compose.yml's healthcheck): exit 0 against the service ready on `port`,
/// non-zero against a port where nothing listens. The binary runs on a blocking thread, so an app served
/// by the test's own runtime can answer it.
pub async fn assert_healthcheck(binary: &str, port: u16) {
    let run = |port: u16| {
        let binary = binary.to_string();
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(binary)
                .arg("healthcheck")
                .env("HTTP_PORT", port.to_string())
                .output()
                .expect("the binary runs")
        })
    };
    let ready = run(port).await.expect("healthcheck thread");
    assert!(ready.status.success(), "{ready:?}");
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let down = run(closed).await.expect("healthcheck thread");
    assert!(
        !down.status.success(),
        "healthcheck passed with nothing listening"
    );
}
