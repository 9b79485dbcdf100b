//! Product (here) and warehouse (`warehouse_stub`) as small axum servers implementing exactly the README contract that order
//! relies on (product X1 lookup; warehouse X1 reserve, X5 quote, `/internal/events`), and a plain event
//! consumer standing in for sales-report. Each records what it received.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use uuid::Uuid;

/// The token order sends (its `SERVICE_TOKEN` in tests).
pub const ORDER_TOKEN: &str = "test-order-token-0123456789abcdef0123";

pub async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base
}

pub fn authorised(headers: &HeaderMap) -> bool {
    headers.get("x-service-token").and_then(|v| v.to_str().ok()) == Some(ORDER_TOKEN)
}

pub fn error(status: StatusCode, message: &str, causes: Option<Value>) -> Response {
    (
        status,
        Json(json!({"code": status.as_u16(), "error": {"message": message, "causes": causes}})),
    )
        .into_response()
}

// ---------------------------------------------------------------- product

#[derive(Default)]
pub struct ProductState {
    pub products: HashMap<Uuid, Value>,
    pub down: bool,
    pub lookups: Vec<Vec<Uuid>>,
}

#[derive(Clone)]
pub struct ProductStub {
    pub base: String,
    pub state: Arc<Mutex<ProductState>>,
}

impl ProductStub {
    pub async fn start() -> ProductStub {
        let state = Arc::new(Mutex::new(ProductState::default()));
        let router = Router::new()
            .route("/internal/products/lookup", post(lookup))
            .with_state(state.clone());
        ProductStub {
            base: serve(router).await,
            state,
        }
    }

    /// Adds a live product with `price` (a JSON number) and returns its id.
    pub fn add(&self, name: &str, price: f64) -> Uuid {
        let id = Uuid::new_v4();
        let product = json!({
            "id": id, "sku": format!("SKU-{}", &id.simple().to_string()[..8]), "name": name,
            "description": "", "price": price, "quantity": 0, "image_url": format!("https://img.test/{id}.jpg"),
            "category_id": Uuid::new_v4(), "category": null, "version": 1,
            "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z", "deleted_at": null,
        });
        self.state.lock().unwrap().products.insert(id, product);
        id
    }

    pub fn set_price(&self, id: Uuid, price: f64) {
        self.state.lock().unwrap().products.get_mut(&id).unwrap()["price"] = json!(price);
    }

    pub fn delete(&self, id: Uuid) {
        self.state.lock().unwrap().products.get_mut(&id).unwrap()["deleted_at"] =
            json!("2024-02-01T00:00:00Z");
    }

    pub fn set_down(&self, down: bool) {
        self.state.lock().unwrap().down = down;
    }

    pub fn lookups(&self) -> usize {
        self.state.lock().unwrap().lookups.len()
    }
}

async fn lookup(
    State(state): State<Arc<Mutex<ProductState>>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !authorised(&headers) {
        return error(StatusCode::UNAUTHORIZED, "invalid service credential", None);
    }
    let mut s = state.lock().unwrap();
    if s.down {
        return error(StatusCode::SERVICE_UNAVAILABLE, "down", None);
    }
    let ids: Vec<Uuid> = match body["ids"].as_array() {
        Some(ids) if (1..=100).contains(&ids.len()) => ids
            .iter()
            .filter_map(|v| v.as_str()?.parse().ok())
            .collect(),
        _ => return error(StatusCode::BAD_REQUEST, "ids must hold 1–100 UUIDs", None),
    };
    s.lookups.push(ids.clone());
    let data: Vec<Value> = ids
        .iter()
        .filter_map(|id| s.products.get(id).cloned())
        .collect();
    Json(json!({"code": 200, "data": data, "message": "success get"})).into_response()
}

// ---------------------------------------------------------------- sales-report (event consumer)

#[derive(Clone)]
pub struct ConsumerStub {
    pub base: String,
    pub state: Arc<Mutex<Vec<Value>>>,
}

impl ConsumerStub {
    pub async fn start() -> ConsumerStub {
        let state = Arc::new(Mutex::new(Vec::new()));
        let router = Router::new()
            .route("/internal/events", post(consume))
            .with_state(state.clone());
        ConsumerStub {
            base: serve(router).await,
            state,
        }
    }

    pub fn events(&self) -> Vec<Value> {
        self.state.lock().unwrap().clone()
    }

    pub fn events_for(&self, order_id: Uuid) -> Vec<Value> {
        self.events()
            .into_iter()
            .filter(|e| e["data"]["order_id"] == json!(order_id))
            .collect()
    }
}

async fn consume(
    State(state): State<Arc<Mutex<Vec<Value>>>>,
    headers: HeaderMap,
    Json(envelope): Json<Value>,
) -> Response {
    if !authorised(&headers) {
        return error(StatusCode::UNAUTHORIZED, "invalid service credential", None);
    }
    state.lock().unwrap().push(envelope.clone());
    Json(json!({"code": 200, "data": {"event_id": envelope["id"], "result": "applied", "rows": 1}, "message": "success"})).into_response()
}
