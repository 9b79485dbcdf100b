//! Spawning the auth service for a test: its own user pool in the emulator (the real pool settings from
//! `auth::bootstrap`), an admin, the real wiring on a random port; plus small HTTP helpers.

use std::time::Duration;

use auth::bootstrap::{ensure_app_client, ensure_groups, ensure_user_pool, seed_user};
use auth::config::{Limits, Maintenance};
use eshop_common::auth::AuthSettings;
use eshop_common::aws::AwsSettings;
use eshop_common::config::CommonSettings;
use reqwest::header::HeaderMap;
use serde_json::{json, Value};
use test_support::cognito;

/// Meets the bootstrap pool's policy (8+, upper, lower, digit).
pub const PASSWORD: &str = "Passw0rdOK";
pub const ADMIN: &str = "root";

/// A reply: status, headers and JSON body (`Null` when the body is not JSON).
#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Res {
    pub fn message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or_default()
    }
}

pub struct App {
    pub base: String,
    pub http: reqwest::Client,
    pub pool_id: String,
    pub client_id: String,
    pub cognito: aws_sdk_cognitoidentityprovider::Client,
}

/// Generous limits so tests that do not test them never meet them.
pub fn test_limits() -> Limits {
    Limits {
        login_ip_per_minute: 1000,
        public_ip_per_minute: 1000,
        resend_cooldown: Duration::from_millis(1),
        ..Limits::default()
    }
}

pub fn test_config(
    auth: AuthSettings,
    endpoint: String,
    client_id: &str,
    limits: Limits,
) -> auth::Config {
    let mut common = CommonSettings::from_env("auth", 0).unwrap();
    common.http_port = 0;
    auth::Config {
        common,
        auth,
        aws: AwsSettings {
            endpoint: Some(endpoint),
            timeout: Duration::from_secs(3),
            ..AwsSettings::from_env().unwrap()
        },
        app_client_id: client_id.to_string(),
        limits,
        maintenance: Maintenance::default(),
    }
}

/// Starts the service on a random port and waits until it is ready.
pub async fn serve(config: auth::Config) -> String {
    let app = auth::build(config).await.expect("the service builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run());
    test_support::service::wait_ready(&base).await;
    base
}

/// A pool configured as `auth bootstrap` configures it, under a unique name, with the admin `root`.
pub async fn pool() -> (aws_sdk_cognitoidentityprovider::Client, String, String) {
    let client = cognito::client().await;
    let name = format!("auth-test-{}", uuid::Uuid::new_v4().simple());
    let pool_id = ensure_user_pool(&client, &name).await.unwrap();
    let client_id = ensure_app_client(&client, &pool_id).await.unwrap();
    ensure_groups(&client, &pool_id).await.unwrap();
    seed_user(
        &client,
        &pool_id,
        ADMIN,
        "root@test.local",
        PASSWORD,
        Some("admin"),
    )
    .await
    .unwrap();
    (client, pool_id, client_id)
}

pub fn issuer(pool_id: &str) -> String {
    format!("https://cognito-idp.us-east-1.amazonaws.com/{pool_id}")
}

pub fn jwks_url(pool_id: &str) -> String {
    format!("{}/{pool_id}/.well-known/jwks.json", cognito::endpoint())
}

impl App {
    pub async fn spawn() -> App {
        Self::spawn_with(test_limits()).await
    }

    pub async fn spawn_with(limits: Limits) -> App {
        Self::spawn_through(limits, cognito::endpoint()).await
    }

    /// The service reaching the emulator at `endpoint` (e.g. through a proxy).
    pub async fn spawn_through(limits: Limits, endpoint: String) -> App {
        let (cognito, pool_id, client_id) = pool().await;
        let auth = AuthSettings::new(&issuer(&pool_id), &[&client_id], &jwks_url(&pool_id));
        let base = serve(test_config(auth, endpoint, &client_id, limits)).await;
        App {
            base,
            http: reqwest::Client::new(),
            pool_id,
            client_id,
            cognito,
        }
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Res {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap_or_default();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Res {
            status,
            headers,
            body,
        }
    }

    pub async fn post(&self, path: &str, body: Value) -> Res {
        self.send("POST", path, None, Some(body), &[]).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Res {
        self.send("GET", path, token, None, &[]).await
    }

    /// Signs `username` up with `email` and confirms it through the API; returns the user id.
    pub async fn register(&self, username: &str, email: &str) -> String {
        let signed = self
            .post(
                "/v1/auth/signup",
                json!({"username": username, "email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(signed.status, 201, "{signed:?}");
        let confirmed = self
            .post(
                "/v1/auth/confirm",
                json!({"username": username, "code": "123456"}),
            )
            .await;
        assert_eq!(confirmed.status, 200, "{confirmed:?}");
        signed.body["data"]["user_id"].as_str().unwrap().to_string()
    }

    pub async fn try_login(&self, identifier: &str, password: &str) -> Res {
        self.post(
            "/v1/auth/login",
            json!({"username": identifier, "password": password}),
        )
        .await
    }

    /// A successful login's `data`.
    pub async fn login(&self, identifier: &str) -> Value {
        let res = self.try_login(identifier, PASSWORD).await;
        assert_eq!(res.status, 200, "{res:?}");
        res.body["data"].clone()
    }

    pub async fn admin_token(&self) -> String {
        token(&self.login(ADMIN).await)
    }

    /// The value of a user attribute in the pool.
    pub async fn attribute(&self, username: &str, name: &str) -> Option<String> {
        let user = self
            .cognito
            .admin_get_user()
            .user_pool_id(&self.pool_id)
            .username(username)
            .send()
            .await
            .unwrap();
        user.user_attributes()
            .iter()
            .find(|a| a.name() == name)
            .and_then(|a| a.value())
            .map(String::from)
    }
}

pub fn token(session: &Value) -> String {
    session["access_token"]
        .as_str()
        .expect("an access token")
        .to_string()
}

pub fn refresh_token(session: &Value) -> String {
    session["refresh_token"]
        .as_str()
        .expect("a refresh token")
        .to_string()
}

/// A claim of a JWT, read without verification.
pub fn claims(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// A unique lower-case name.
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}{}",
        &uuid::Uuid::new_v4().simple().to_string()[..10]
    )
}
