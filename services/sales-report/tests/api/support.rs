//! Spawning the service for a test: a fresh database, a local token issuer, the real wiring on port 0;
//! plus helpers to post events as the order service and to read as an admin.

use eshop_common::auth::AuthSettings;
use eshop_common::config::CommonSettings;
use reqwest::header::HeaderMap;
use sales_report::SalesSettings;
use serde_json::{json, Value};
use sqlx::PgPool;
use test_support::db::TestDatabase;
use test_support::service::{wait_ready, LocalIssuer, LOCAL_CLIENT, LOCAL_ISSUER};
use uuid::Uuid;

pub const ORDER_TOKEN: &str = "order-test-token-0123456789abcdef0123";
/// Payment's token: a real credential elsewhere in the fleet, unknown here (§5 `INTERNAL_TOKENS`).
pub const PAYMENT_TOKEN: &str = "payment-test-token-0123456789abcdef01";

/// A reply: status, headers, raw bytes and the JSON body (`Null` when not JSON).
#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    pub body: Value,
}

impl Res {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

pub struct App {
    pub base: String,
    pub http: reqwest::Client,
    pub issuer: LocalIssuer,
    pub pool: PgPool,
    pub admin: String,
    /// Dropped with the app: the database goes away after the test.
    pub _db: TestDatabase,
}

pub fn config(db_url: &str, issuer: &LocalIssuer, sales: SalesSettings) -> sales_report::Config {
    let mut common = CommonSettings::from_env("sales-report", 0).unwrap();
    common.http_port = 0;
    sales_report::Config {
        common,
        auth: AuthSettings::new(LOCAL_ISSUER, &[LOCAL_CLIENT], &issuer.jwks.url()),
        database_url: db_url.to_string(),
        database_max_connections: 5,
        internal_tokens: format!("order:{ORDER_TOKEN}"),
        sales,
    }
}

impl App {
    pub async fn spawn() -> App {
        Self::spawn_with(SalesSettings::default()).await
    }

    pub async fn spawn_with(sales: SalesSettings) -> App {
        let db = TestDatabase::postgres("sales_report").await;
        let issuer = LocalIssuer::start().await;
        let app = sales_report::build(config(&db.url, &issuer, sales))
            .await
            .expect("the service builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run());
        wait_ready(&base).await;
        let pool = PgPool::connect(&db.url)
            .await
            .expect("connect to the test db");
        let admin = issuer.token(Uuid::now_v7(), &["admin"]);
        App {
            base,
            http: reqwest::Client::new(),
            issuer,
            pool,
            admin,
            _db: db,
        }
    }

    pub fn token(&self, groups: &[&str]) -> String {
        self.issuer.token(Uuid::now_v7(), groups)
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Res {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap_or_default().to_vec();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Res {
            status,
            headers,
            bytes,
            body,
        }
    }

    /// GET with a bearer token.
    pub async fn get_as(&self, path: &str, token: &str) -> Res {
        let auth = format!("Bearer {token}");
        self.send("GET", path, &[("authorization", &auth)], None)
            .await
    }

    /// GET as the admin; asserts 200.
    pub async fn admin_get(&self, path: &str) -> Res {
        let res = self.get_as(path, &self.admin).await;
        assert_eq!(res.status, 200, "{path}: {res:?}");
        res
    }

    pub async fn admin_json(&self, method: &str, path: &str, body: Value) -> Res {
        let auth = format!("Bearer {}", self.admin);
        self.send(
            method,
            path,
            &[("authorization", &auth)],
            Some(body.to_string().into_bytes()),
        )
        .await
    }

    /// POSTs an envelope (or any bytes) to `/internal/events` with `token`.
    pub async fn post_raw(&self, body: Vec<u8>, token: Option<&str>) -> Res {
        let mut headers = Vec::new();
        if let Some(token) = token {
            headers.push(("x-service-token", token));
        }
        self.send("POST", "/internal/events", &headers, Some(body))
            .await
    }

    /// POSTs `envelope` as the order service.
    pub async fn deliver(&self, envelope: &Value) -> Res {
        self.post_raw(envelope.to_string().into_bytes(), Some(ORDER_TOKEN))
            .await
    }

    /// Delivers `envelope` and asserts `applied` with `rows`.
    pub async fn apply(&self, envelope: &Value, rows: u64) {
        let res = self.deliver(envelope).await;
        assert_eq!(res.status, 200, "{res:?}");
        assert_eq!(res.body["data"]["result"], "applied", "{res:?}");
        assert_eq!(res.body["data"]["rows"], rows, "{res:?}");
    }

    pub async fn row_count(&self) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM sales")
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    pub async fn processed(&self, id: &str) -> bool {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM processed_events WHERE id = $1)")
            .bind(Uuid::parse_str(id).unwrap())
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

/// An envelope from order.
pub fn envelope(event_type: &str, data: Value) -> Value {
    json!({
        "id": Uuid::now_v7(),
        "type": event_type,
        "occurred_at": "2025-06-01T12:00:00Z",
        "source": "order",
        "data": data,
    })
}

/// One sale item: (product, warehouse, quantity, price).
pub fn item(product: Uuid, warehouse: Uuid, quantity: i64, price: f64) -> Value {
    json!({
        "order_item_id": Uuid::now_v7(), "product_id": product, "product_name": format!("Product {}", &product.to_string()[..8]),
        "sku": "SKU-1", "category_id": Uuid::now_v7(), "warehouse_id": warehouse,
        "price": price, "quantity": quantity, "shipping_cost": 7.5,
    })
}

/// A `sale.created` envelope for a new order accepted at `accepted_at`.
pub fn sale(accepted_at: &str, items: Vec<Value>) -> Value {
    envelope(
        "sale.created",
        json!({
            "order_id": Uuid::now_v7(), "user_id": Uuid::now_v7(),
            "ordered_at": accepted_at, "accepted_at": accepted_at,
            "total_price": 1, "shipping_total": 12.5, "items": items,
        }),
    )
}

/// A fresh id as a string, for query strings.
pub fn id() -> Uuid {
    Uuid::now_v7()
}
