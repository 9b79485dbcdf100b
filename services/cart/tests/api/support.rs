//! Spawning the cart service for a test: a fresh MySQL database, its own Redis key prefix in a Redis
//! database the running stack does not use, a local token issuer, product and order stubs, the real
//! wiring on a random port; plus small HTTP, MySQL and Redis helpers.

use std::time::Duration;

use cart::config::{CacheSettings, Limits, PeerSettings};
use eshop_common::auth::AuthSettings;
use eshop_common::config::CommonSettings;
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::{json, Value};
use sqlx::mysql::MySqlPoolOptions;
use sqlx::{MySqlPool, Row};
use test_support::db::TestDatabase;
use test_support::service::{wait_ready, LocalIssuer, LOCAL_CLIENT, LOCAL_ISSUER};
use uuid::Uuid;

use super::stubs::{OrderStub, ProductStub, CART_SERVICE_TOKEN};

/// product's credential on cart's `/internal/events`.
pub const PRODUCT_TOKEN: &str = "test-product-token-0123456789abcdef012345";
/// order's credential: not in cart's `INTERNAL_TOKENS`.
pub const ORDER_TOKEN: &str = "test-order-token-0123456789abcdef01234567";

/// The Redis database the cart tests use (never 0, where the running stack keeps its cart).
pub fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/5".into())
}

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

    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
}

/// What a test may change in the wiring.
pub struct Options {
    pub redis_url: String,
    pub limits: Limits,
    pub product_timeout: Duration,
    pub order_timeout: Duration,
    /// `host:port` of a proxy the service reaches MariaDB through (outage tests).
    pub mysql_via: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            redis_url: redis_url(),
            limits: Limits::default(),
            product_timeout: Duration::from_millis(3000),
            order_timeout: Duration::from_millis(5000),
            mysql_via: None,
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub issuer: LocalIssuer,
    /// Kept for the test's life: dropping it drops the database.
    pub _db: TestDatabase,
    pub pool: MySqlPool,
    pub redis: redis::aio::MultiplexedConnection,
    pub prefix: String,
    pub product: ProductStub,
    pub order: OrderStub,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(Options::default()).await
    }

    pub async fn spawn_with(options: Options) -> TestApp {
        let db = TestDatabase::mysql("cart").await;
        let issuer = LocalIssuer::start().await;
        let product = ProductStub::start().await;
        let order = OrderStub::start().await;
        let prefix = format!("cart:test:{}:", Uuid::new_v4().simple());
        let mut common = CommonSettings::from_env("cart", 0).unwrap();
        common.http_port = 0;
        common.request_timeout = Duration::from_secs(30);
        let config = cart::Config {
            common,
            auth: AuthSettings::new(LOCAL_ISSUER, &[LOCAL_CLIENT], &issuer.jwks.url()),
            database_url: match &options.mysql_via {
                Some(proxy) => db.url.replacen("127.0.0.1:3306", proxy, 1),
                None => db.url.clone(),
            },
            database_max_connections: 10,
            redis_url: options.redis_url.clone(),
            internal_tokens: format!("product:{PRODUCT_TOKEN}"),
            cache: CacheSettings {
                key_prefix: prefix.clone(),
                ttl: Duration::from_secs(600),
            },
            peers: PeerSettings {
                product_url: product.url.clone(),
                order_url: order.url.clone(),
                product_timeout: options.product_timeout,
                order_timeout: options.order_timeout,
                service_token: CART_SERVICE_TOKEN.to_string().into(),
            },
            limits: options.limits,
            processed_events_retention: Duration::from_secs(30 * 86_400),
        };
        let app = cart::build(config).await.expect("the service builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run());
        wait_ready(&base).await;
        let pool = MySqlPoolOptions::new()
            .max_connections(2)
            .connect(&db.url)
            .await
            .unwrap();
        let redis = redis::Client::open(redis_url())
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap();
        TestApp {
            base,
            http: reqwest::Client::new(),
            issuer,
            _db: db,
            pool,
            redis,
            prefix,
            product,
            order,
        }
    }

    /// A new customer: id and access token.
    pub fn customer(&self) -> (Uuid, String) {
        let id = Uuid::new_v4();
        (id, self.issuer.token(id, &[]))
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Res {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        read(request.send().await.expect("request sent")).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Res {
        self.send(Method::GET, path, Some(token), None).await
    }

    /// `POST /v1/carts` of `quantity` of `product`.
    pub async fn add(&self, token: &str, product: Uuid, quantity: i64) -> Res {
        self.send(
            Method::POST,
            "/v1/carts",
            Some(token),
            Some(json!({"product_id": product, "product_quantity": quantity, "note": ""})),
        )
        .await
    }

    /// `GET /v1/carts/user`'s `data`.
    pub async fn cart(&self, token: &str) -> Value {
        let res = self.get("/v1/carts/user", token).await;
        assert_eq!(res.status, 200, "{:?}", res.body);
        res.body["data"].clone()
    }

    /// `POST /internal/events` with product's credential.
    pub async fn event(&self, envelope: Value) -> Res {
        self.event_as(PRODUCT_TOKEN, envelope).await
    }

    pub async fn event_as(&self, token: &str, envelope: Value) -> Res {
        let response = self
            .http
            .post(format!("{}/internal/events", self.base))
            .header("x-service-token", token)
            .json(&envelope)
            .send()
            .await
            .unwrap();
        read(response).await
    }

    pub async fn checkout(&self, token: &str, key: Option<&str>, body: &Value) -> Res {
        let mut request = self
            .http
            .post(format!("{}/v1/carts/checkout", self.base))
            .bearer_auth(token)
            .json(body);
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        read(request.send().await.unwrap()).await
    }

    /// The user's lines in MySQL: (id, product_id, quantity, note, name, price as text).
    pub async fn rows(&self, user: Uuid) -> Vec<Row6> {
        let rows = sqlx::query(
            "SELECT id, product_id, product_quantity, note, product_name, CAST(product_price AS CHAR) AS price
             FROM carts WHERE user_id = ? ORDER BY created_at, id",
        )
        .bind(user.to_string())
        .fetch_all(&self.pool)
        .await
        .unwrap();
        rows.iter()
            .map(|r| Row6 {
                id: r.get("id"),
                product_id: r.get("product_id"),
                quantity: r.get("product_quantity"),
                note: r.get("note"),
                name: r.get("product_name"),
                price: r.get("price"),
            })
            .collect()
    }

    pub fn key(&self, user: Uuid) -> String {
        format!("{}{user}", self.prefix)
    }

    /// The user's cached hash (empty when not cached).
    pub async fn cached(&self, user: Uuid) -> std::collections::HashMap<String, String> {
        let mut conn = self.redis.clone();
        redis::cmd("HGETALL")
            .arg(self.key(user))
            .query_async(&mut conn)
            .await
            .unwrap()
    }

    pub async fn redis_cmd(&self, cmd: &mut redis::Cmd) {
        let mut conn = self.redis.clone();
        cmd.query_async::<()>(&mut conn).await.unwrap();
    }

    /// Deletes every key under this test's prefix (Redis is shared: never FLUSHALL).
    pub async fn drop_prefix(&self) {
        let mut conn = self.redis.clone();
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(format!("{}*", self.prefix))
            .query_async(&mut conn)
            .await
            .unwrap();
        if !keys.is_empty() {
            redis::cmd("DEL")
                .arg(keys)
                .query_async::<()>(&mut conn)
                .await
                .unwrap();
        }
    }

    /// A counter from `/metrics` (0 when not yet registered).
    pub async fn metric(&self, name: &str) -> f64 {
        let text = self
            .http
            .get(format!("{}/metrics", self.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        text.lines()
            .find(|l| l.starts_with(name) && !l.starts_with('#'))
            .and_then(|l| l.split_whitespace().last())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    }

    /// An address the order service accepts.
    pub fn address() -> Value {
        json!({"street": "1 Main St", "city": "Springfield", "state": "IL", "zipcode": "62701",
            "note": "ring twice"})
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row6 {
    pub id: String,
    pub product_id: String,
    pub quantity: i32,
    pub note: String,
    pub name: String,
    pub price: String,
}

pub async fn read(response: reqwest::Response) -> Res {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap_or_default();
    Res {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

/// A product event envelope from product.
pub fn envelope(event_type: &str, data: Value) -> Value {
    json!({"id": Uuid::now_v7(), "type": event_type, "occurred_at": "2024-05-01T10:00:00Z",
        "source": "product", "data": data})
}
