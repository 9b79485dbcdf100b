//! Spawning the order service for a test: a fresh database, a local token issuer, product, warehouse and
//! sales-report stubs, the real wiring on a random port; plus small HTTP and database helpers.

use std::sync::Arc;
use std::time::Duration;

use eshop_common::auth::AuthSettings;
use eshop_common::config::CommonSettings;
use eshop_common::outbox::OutboxSettings;
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;
use test_support::db::TestDatabase;
use test_support::service::{LocalIssuer, LOCAL_CLIENT, LOCAL_ISSUER};
use tokio::sync::oneshot;
use uuid::Uuid;

use crate::stubs::{ConsumerStub, ProductStub, ORDER_TOKEN};
use crate::warehouse_stub::WarehouseStub;

pub const PAYMENT_TOKEN: &str = "test-payment-token-0123456789abcdef012";
pub const WAREHOUSE_TOKEN: &str = "test-warehouse-token-0123456789abcdef0";
pub const CUSTOMER_ZIP: &str = "15326";

/// A reply: status, headers and JSON body (`Null` when the body is not JSON).
#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Res {
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// One running replica; dropping it does not stop it, `stop` does.
pub struct Instance {
    pub base: String,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Instance {
    /// Stops serving and the background tasks (like SIGTERM).
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = tokio::time::timeout(Duration::from_secs(10), &mut self.task).await;
        self.task.abort();
    }
}

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub issuer: Arc<LocalIssuer>,
    pub db: TestDatabase,
    pub pool: PgPool,
    pub product: ProductStub,
    pub warehouse: WarehouseStub,
    pub sales: ConsumerStub,
    pub instance: Option<Instance>,
}

pub fn config(
    app_db: &str,
    issuer: &LocalIssuer,
    product: &str,
    warehouse: &str,
    sales: &str,
) -> order::Config {
    let mut common = CommonSettings::from_env("order", 0).unwrap();
    common.http_port = 0;
    order::Config {
        common,
        auth: AuthSettings::new(LOCAL_ISSUER, &[LOCAL_CLIENT], &issuer.jwks.url()),
        database_url: app_db.to_string(),
        database_max_connections: 5,
        internal_tokens: format!("payment:{PAYMENT_TOKEN},warehouse:{WAREHOUSE_TOKEN}"),
        order: order::OrderSettings {
            sweep_interval: Duration::from_secs(1),
            ..order::OrderSettings::default()
        },
        peers: order::Peers {
            product_url: product.into(),
            warehouse_url: warehouse.into(),
            sales_report_url: sales.into(),
            service_token: ORDER_TOKEN.into(),
            timeout: Duration::from_secs(3),
        },
        outbox: OutboxSettings {
            poll_interval: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            lease: Duration::from_secs(10),
            http_timeout: Duration::from_secs(2),
            ..OutboxSettings::default()
        },
    }
}

pub async fn start(config: order::Config) -> Instance {
    let app = order::build(config).await.expect("the service builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    test_support::service::wait_ready(&base).await;
    Instance {
        base,
        stop: Some(stop),
        task,
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut order::Config)) -> TestApp {
        let db = TestDatabase::postgres("order").await;
        let issuer = Arc::new(LocalIssuer::start().await);
        let (product, warehouse, sales) = (
            ProductStub::start().await,
            WarehouseStub::start().await,
            ConsumerStub::start().await,
        );
        let mut cfg = config(
            &db.url,
            &issuer,
            &product.base,
            &warehouse.base,
            &sales.base,
        );
        adjust(&mut cfg);
        let instance = start(cfg).await;
        let pool = PgPool::connect(&db.url).await.unwrap();
        TestApp {
            base: instance.base.clone(),
            http: reqwest::Client::new(),
            issuer,
            db,
            pool,
            product,
            warehouse,
            sales,
            instance: Some(instance),
        }
    }

    /// The configuration of this app's wiring, for another replica or a restart.
    pub fn config(&self) -> order::Config {
        config(
            &self.db.url,
            &self.issuer,
            &self.product.base,
            &self.warehouse.base,
            &self.sales.base,
        )
    }

    pub fn customer(&self) -> (Uuid, String) {
        let id = Uuid::new_v4();
        (id, self.issuer.token(id, &[]))
    }

    pub fn token_with(&self, group: &str) -> (Uuid, String) {
        let id = Uuid::new_v4();
        (id, self.issuer.token(id, &[group]))
    }

    pub fn admin(&self) -> String {
        self.token_with("admin").1
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Res {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let response = req.send().await.expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        Res {
            status,
            headers,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Res {
        self.call(Method::GET, path, Some(token), None, &[]).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Res {
        self.call(Method::POST, path, Some(token), Some(body), &[])
            .await
    }

    pub async fn patch_status(&self, id: Uuid, token: &str, body: Value) -> Res {
        self.call(
            Method::PATCH,
            &format!("/v1/orders/{id}/status"),
            Some(token),
            Some(body),
            &[],
        )
        .await
    }

    pub async fn checkout(&self, token: &str, key: &str, body: Value) -> Res {
        self.call(
            Method::POST,
            "/v1/orders",
            Some(token),
            Some(body),
            &[("Idempotency-Key", key)],
        )
        .await
    }

    /// A product at `price` with `stock` units in the warehouse at zip 10250.
    pub fn product_in_stock(&self, name: &str, price: f64, stock: i64) -> Uuid {
        let id = self.product.add(name, price);
        self.warehouse.stock(id, "10250", stock);
        id
    }

    /// Checks out one unit of a fresh product for a new customer: (order id, owner id, owner token).
    pub async fn placed_order(&self) -> (Uuid, Uuid, String) {
        let product = self.product_in_stock("Car", 100.0, 10);
        let (user, token) = self.customer();
        let res = self
            .checkout(
                &token,
                &Uuid::new_v4().to_string(),
                order_body(&[(product, 1)]),
            )
            .await;
        assert_eq!(res.status, 201, "{:?}", res.body);
        (
            res.data()["id"].as_str().unwrap().parse().unwrap(),
            user,
            token,
        )
    }

    /// Delivers an event from payment to `/internal/events`.
    pub async fn payment_event(&self, event_type: &str, data: Value) -> Res {
        self.event_as(PAYMENT_TOKEN, "payment", event_type, data)
            .await
    }

    pub async fn event_as(&self, token: &str, source: &str, event_type: &str, data: Value) -> Res {
        let envelope = json!({"id": Uuid::now_v7(), "type": event_type, "occurred_at": "2024-05-01T10:00:00Z",
                              "source": source, "data": data});
        self.post_envelope(token, envelope).await
    }

    pub async fn post_envelope(&self, token: &str, envelope: Value) -> Res {
        self.call(
            Method::POST,
            "/internal/events",
            None,
            Some(envelope),
            &[("X-Service-Token", token)],
        )
        .await
    }

    pub async fn submit_proof(&self, order_id: Uuid, user: Uuid) -> Uuid {
        let payment_id = Uuid::new_v4();
        let res = self
            .payment_event("payment.submitted", json!({"payment_id": payment_id, "order_id": order_id, "user_id": user,
                "status": "PENDING", "total_amount": 110.0, "content_type": "image/png", "submitted_at": "2024-05-01T10:00:00Z"}))
            .await;
        assert_eq!(res.data()["result"], "applied", "{:?}", res.body);
        payment_id
    }

    pub async fn review(
        &self,
        order_id: Uuid,
        user: Uuid,
        payment_id: Uuid,
        status: &str,
        reject_order: bool,
    ) -> Res {
        self.payment_event(
            "payment.reviewed",
            json!({"payment_id": payment_id, "order_id": order_id, "user_id": user,
            "status": status, "note": format!("{status} by test"), "reject_order": reject_order,
            "reviewed_by": Uuid::new_v4(), "reviewed_at": "2024-05-01T10:05:00Z"}),
        )
        .await
    }

    pub async fn order(&self, id: Uuid) -> Value {
        let res = self.get(&format!("/v1/orders/{id}"), &self.admin()).await;
        assert_eq!(res.status, 200, "{:?}", res.body);
        res.body["data"].clone()
    }

    /// Outbox rows of `order_id` as (type, subscriber, payload), oldest first.
    pub async fn outbox(&self, order_id: Uuid) -> Vec<(String, String, Value)> {
        sqlx::query_as("SELECT type, subscriber, payload FROM outbox WHERE aggregate_id = $1 ORDER BY created_at, id")
            .bind(order_id)
            .fetch_all(&self.pool)
            .await
            .unwrap()
    }

    pub async fn outbox_count(&self, order_id: Uuid, event_type: &str) -> usize {
        self.outbox(order_id)
            .await
            .iter()
            .filter(|(t, _, _)| t == event_type)
            .count()
    }

    pub async fn history(&self, order_id: Uuid) -> Vec<Value> {
        let res = self
            .get(&format!("/v1/orders/{order_id}/history"), &self.admin())
            .await;
        assert_eq!(res.status, 200, "{:?}", res.body);
        res.data().as_array().unwrap().clone()
    }
}

/// A checkout body for `lines` (product, quantity) to the customer zip 15326.
pub fn order_body(lines: &[(Uuid, i64)]) -> Value {
    body_to(lines, CUSTOMER_ZIP)
}

pub fn body_to(lines: &[(Uuid, i64)], zip: &str) -> Value {
    json!({
        "items": lines.iter().map(|(p, q)| json!({"product_id": p, "quantity": q, "price": 0, "note": ""})).collect::<Vec<_>>(),
        "address": {"street": "1 Main St", "city": "Springfield", "state": "IL", "zipcode": zip, "note": "ring twice"},
    })
}

/// Polls `check` every 100 ms for up to `secs` seconds.
pub async fn eventually<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while tokio::time::Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("not within {secs} s: {what}");
}
