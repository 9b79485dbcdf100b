//! Spawning the warehouse for a test: a fresh database, a local token issuer, a stub product service that
//! records the `stock.changed` posts it receives, the real wiring on a random port; plus HTTP helpers.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use eshop_common::auth::AuthSettings;
use eshop_common::config::CommonSettings;
use eshop_common::outbox::OutboxSettings;
use serde_json::{json, Value};
use sqlx::PgPool;
use test_support::db::TestDatabase;
use test_support::service::{wait_ready, LocalIssuer, LOCAL_CLIENT, LOCAL_ISSUER};
use uuid::Uuid;

pub const MAIN: &str = "0193d7b4-a3d7-7022-a547-b987b1f9c6a8";
pub const ORDER_TOKEN: &str = "test-order-token-0123456789abcdef0123";
pub const PRODUCT_TOKEN: &str = "test-product-token-0123456789abcdef01";
pub const WAREHOUSE_TOKEN: &str = "test-warehouse-token-0123456789abcdef";

pub fn main_id() -> Uuid {
    Uuid::parse_str(MAIN).unwrap()
}

/// A reply: status and JSON body (`Null` when not JSON).
#[derive(Debug, Clone)]
pub struct Res {
    pub status: u16,
    pub body: Value,
}

impl Res {
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
}

/// The product service's `/internal/events`, answering `status` and recording what it accepted.
#[derive(Clone)]
pub struct ProductStub {
    pub url: String,
    pub received: Arc<Mutex<Vec<Value>>>,
    pub status: Arc<AtomicU16>,
    pub tokens: Arc<Mutex<Vec<String>>>,
}

#[derive(Clone)]
struct StubState {
    received: Arc<Mutex<Vec<Value>>>,
    status: Arc<AtomicU16>,
    tokens: Arc<Mutex<Vec<String>>>,
}

async fn stub_events(
    State(s): State<StubState>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> (StatusCode, axum::Json<Value>) {
    let status = StatusCode::from_u16(s.status.load(Ordering::SeqCst)).unwrap();
    if let Some(t) = headers.get("x-service-token").and_then(|v| v.to_str().ok()) {
        s.tokens.lock().unwrap().push(t.to_string());
    }
    if status.is_success() {
        s.received.lock().unwrap().push(body.clone());
    }
    let reply = json!({"code": status.as_u16(), "data": {"event_id": body["id"], "result": "applied"}, "message": "ok"});
    (status, axum::Json(reply))
}

impl ProductStub {
    pub async fn start() -> ProductStub {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::serve(
            listener,
            Default::default(),
            Arc::new(AtomicU16::new(200)),
            Default::default(),
        )
    }

    fn serve(
        listener: tokio::net::TcpListener,
        received: Arc<Mutex<Vec<Value>>>,
        status: Arc<AtomicU16>,
        tokens: Arc<Mutex<Vec<String>>>,
    ) -> ProductStub {
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = StubState {
            received: received.clone(),
            status: status.clone(),
            tokens: tokens.clone(),
        };
        let app = Router::new()
            .route("/internal/events", post(stub_events))
            .with_state(state);
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        ProductStub {
            url,
            received,
            status,
            tokens,
        }
    }

    /// The `stock.changed` envelopes accepted so far.
    pub fn events(&self) -> Vec<Value> {
        self.received.lock().unwrap().clone()
    }
}

pub struct App {
    pub base: String,
    pub http: reqwest::Client,
    pub pool: PgPool,
    pub issuer: Arc<LocalIssuer>,
    pub product: ProductStub,
    pub db: Arc<TestDatabase>,
    pub admin: String,
    pub manager: String,
    pub staff: String,
    pub customer: String,
    pub manager_id: Uuid,
}

pub fn config(db_url: &str, issuer: &LocalIssuer, product_url: &str) -> warehouse::Config {
    let mut common = CommonSettings::from_env("warehouse", 0).unwrap();
    common.http_port = 0;
    warehouse::Config {
        common,
        auth: AuthSettings::new(LOCAL_ISSUER, &[LOCAL_CLIENT], &issuer.jwks.url()),
        database_url: db_url.to_string(),
        database_max_connections: 10,
        internal_tokens: format!("order:{ORDER_TOKEN},product:{PRODUCT_TOKEN}"),
        service_token: WAREHOUSE_TOKEN.into(),
        product_service: product_url.to_string(),
        low_stock_threshold: 10,
        outbox: OutboxSettings {
            poll_interval: Duration::from_millis(100),
            max_backoff: Duration::from_millis(200),
            ..OutboxSettings::default()
        },
    }
}

/// Starts the service and waits until it is ready; its base URL.
pub async fn serve(config: warehouse::Config) -> String {
    let app = warehouse::build(config).await.expect("the service builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run());
    wait_ready(&base).await;
    base
}

impl App {
    pub async fn spawn() -> App {
        let db = TestDatabase::postgres("wh").await;
        let issuer = LocalIssuer::start().await;
        let product = ProductStub::start().await;
        let base = serve(config(&db.url, &issuer, &product.url)).await;
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(3)
            .connect(&db.url)
            .await
            .unwrap();
        let manager_id = Uuid::now_v7();
        App {
            base,
            http: reqwest::Client::new(),
            pool,
            admin: issuer.token(Uuid::now_v7(), &["admin"]),
            manager: issuer.token(manager_id, &["warehouse_manager"]),
            staff: issuer.token(Uuid::now_v7(), &["warehouse_staff"]),
            customer: issuer.token(Uuid::now_v7(), &[]),
            issuer: Arc::new(issuer),
            product,
            db: Arc::new(db),
            manager_id,
        }
    }

    /// A request with an optional bearer token and optional extra header.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        bearer: Option<&str>,
        service_token: Option<&str>,
        body: Option<Value>,
    ) -> Res {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = bearer {
            request = request.bearer_auth(t);
        }
        if let Some(t) = service_token {
            request = request.header("x-service-token", t);
        }
        if let Some(b) = body {
            request = request.json(&b);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        Res {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }

    /// A `/v1` call with a user token.
    pub async fn call(&self, method: &str, path: &str, token: &str, body: Option<Value>) -> Res {
        self.send(method, path, Some(token), None, body).await
    }

    /// An `/internal` call with the order service's token.
    pub async fn order_call(&self, method: &str, path: &str, body: Option<Value>) -> Res {
        self.send(method, path, None, Some(ORDER_TOKEN), body).await
    }

    /// X1 for `items` of (product, quantity).
    pub async fn reserve(&self, order_id: Uuid, zip: &str, items: &[(Uuid, i64)]) -> Res {
        let items: Vec<Value> = items
            .iter()
            .map(|(p, q)| json!({"product_id": p, "quantity": q}))
            .collect();
        let body = json!({"order_id": order_id, "user_id": Uuid::now_v7(), "zip_code": zip, "items": items});
        self.order_call("POST", "/internal/reservations", Some(body))
            .await
    }

    /// Posts an event envelope with the token of its `source`.
    pub async fn event_as(&self, token: &str, envelope: Value) -> Res {
        self.send(
            "POST",
            "/internal/events",
            None,
            Some(token),
            Some(envelope),
        )
        .await
    }

    pub async fn event(&self, source: &str, kind: &str, data: Value) -> Res {
        let token = if source == "order" {
            ORDER_TOKEN
        } else {
            PRODUCT_TOKEN
        };
        self.event_as(token, envelope(source, kind, data)).await
    }

    /// A new product through `product.created` with `quantity` in the main warehouse.
    pub async fn product(&self, quantity: i64) -> Uuid {
        let id = Uuid::now_v7();
        let res = self
            .event(
                "product",
                "product.created",
                product_data(id, "Widget", 1, quantity),
            )
            .await;
        assert_eq!(res.status, 200, "{:?}", res.body);
        id
    }

    /// A new warehouse through W1.
    pub async fn warehouse(&self, name: &str, zip: &str) -> Uuid {
        let body = json!({"name": name, "street": "Jl. Test 1", "city": "Kota", "state": "Prov", "zip_code": zip});
        let res = self
            .call("POST", "/v1/warehouse", &self.manager, Some(body))
            .await;
        assert_eq!(res.status, 201, "{:?}", res.body);
        Uuid::parse_str(res.data()["id"].as_str().unwrap()).unwrap()
    }

    /// M7 `delta` units of `product` into (or out of) `warehouse`.
    pub async fn adjust(&self, warehouse: Uuid, product: Uuid, delta: i64) -> Res {
        let body = json!({"warehouse_id": warehouse, "product_id": product, "delta": delta, "note": "test stock"});
        self.call(
            "POST",
            "/v1/stock-movements/adjust",
            &self.manager,
            Some(body),
        )
        .await
    }

    /// (available, reserved) of one row, `None` when there is no row.
    pub async fn level(&self, warehouse: Uuid, product: Uuid) -> Option<(i32, i32)> {
        sqlx::query_as(
            "SELECT available, reserved FROM warehouse_products WHERE warehouse_id = $1 AND product_id = $2",
        )
        .bind(warehouse)
        .bind(product)
        .fetch_optional(&self.pool)
        .await
        .unwrap()
    }

    /// A product's stock rows as warehouse staff read them (`GET /v1/warehouse-products/product/{id}`).
    pub async fn stock_rows(&self, product: Uuid) -> Res {
        let path = format!("/v1/warehouse-products/product/{product}");
        self.call("GET", &path, &self.staff, None).await
    }

    /// (Σ available, Σ reserved) of a product.
    pub async fn totals(&self, product: Uuid) -> (i64, i64) {
        sqlx::query_as(
            "SELECT COALESCE(sum(available), 0)::bigint, COALESCE(sum(reserved), 0)::bigint
             FROM warehouse_products WHERE product_id = $1",
        )
        .bind(product)
        .fetch_one(&self.pool)
        .await
        .unwrap()
    }

    /// The `stock.changed` payloads written for `product`, oldest first.
    pub async fn outbox(&self, product: Uuid) -> Vec<Value> {
        sqlx::query_scalar(
            "SELECT payload FROM outbox WHERE aggregate_id = $1 ORDER BY created_at, id",
        )
        .bind(product)
        .fetch_all(&self.pool)
        .await
        .unwrap()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.unwrap()
    }

    /// §4.5: every row's `reserved` equals Σ lines of RESERVED reservations for it.
    pub async fn assert_reserved_invariant(&self) {
        let broken = self
            .count(
                "SELECT count(*) FROM warehouse_products wp WHERE wp.reserved <> COALESCE((
                     SELECT sum(l.quantity) FROM reservation_lines l JOIN reservations r ON r.order_id = l.order_id
                     WHERE r.status = 'RESERVED' AND l.product_id = wp.product_id AND l.warehouse_id = wp.warehouse_id), 0)",
            )
            .await;
        assert_eq!(broken, 0, "reserved = Σ lines of RESERVED reservations");
        let negative = self
            .count("SELECT count(*) FROM warehouse_products WHERE available < 0 OR reserved < 0")
            .await;
        assert_eq!(negative, 0);
    }
}

pub fn envelope(source: &str, kind: &str, data: Value) -> Value {
    json!({
        "id": Uuid::now_v7(), "type": kind, "occurred_at": "2026-01-01T00:00:00Z",
        "source": source, "data": data,
    })
}

pub fn product_data(id: Uuid, name: &str, version: i64, quantity: i64) -> Value {
    json!({
        "product_id": id, "sku": format!("SKU-{}", &id.simple().to_string()[..8]), "name": name,
        "description": "a thing", "price": 27450.5, "quantity": quantity, "category_id": Uuid::now_v7(),
        "image_url": "http://localhost:2001/images/x.jpg", "version": version,
        "created_at": "2026-01-01T00:00:00Z",
    })
}

pub fn order_event(order_id: Uuid, status: &str, restock: bool) -> Value {
    json!({
        "order_id": order_id, "user_id": Uuid::now_v7(), "from_status": "PENDING", "status": status,
        "note": "", "actor": "system", "restock": restock, "changed_at": "2026-01-01T00:00:00Z",
    })
}

pub fn id_of(v: &Value) -> Uuid {
    Uuid::parse_str(v.as_str().expect("an id")).unwrap()
}
