//! The peers cart calls, as small axum servers implementing the spec README's contract: product's
//! `POST /internal/products/lookup` and order's `POST /v1/orders` (idempotent by key, 409 with
//! `Retry-After` while a key is in progress).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use uuid::Uuid;

pub const CART_SERVICE_TOKEN: &str = "test-cart-service-token-0123456789abcdef";

/// One request a stub received.
#[derive(Debug, Clone)]
pub struct Call {
    pub headers: HeaderMap,
    pub body: Value,
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    format!("http://{addr}")
}

fn envelope_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"code": status.as_u16(), "error": {"message": message, "causes": null}})),
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------- product

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProductMode {
    Normal,
    Fail,
    Slow(Duration),
}

#[derive(Default)]
struct ProductState {
    products: Mutex<HashMap<Uuid, Value>>,
    calls: Mutex<Vec<Call>>,
    mode: Mutex<Option<ProductMode>>,
}

#[derive(Clone)]
pub struct ProductStub {
    pub url: String,
    state: Arc<ProductState>,
}

impl ProductStub {
    pub async fn start() -> ProductStub {
        let state = Arc::new(ProductState::default());
        let app = Router::new()
            .route("/internal/products/lookup", post(lookup))
            .with_state(state.clone());
        ProductStub {
            url: serve(app).await,
            state,
        }
    }

    /// A live product with stock `quantity`; returns its id.
    pub fn add(&self, name: &str, price: f64, image_url: &str, quantity: u64) -> Uuid {
        let id = Uuid::now_v7();
        self.put(
            json!({"id": id, "sku": format!("SKU-{}", id.simple()), "name": name,
            "description": "", "price": price, "image_url": image_url, "quantity": quantity,
            "category_id": Uuid::now_v7(), "version": 1, "deleted_at": null,
            "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}),
        );
        id
    }

    pub fn put(&self, product: Value) {
        let id = Uuid::parse_str(product["id"].as_str().unwrap()).unwrap();
        self.state.products.lock().unwrap().insert(id, product);
    }

    /// Changes one field of a product.
    pub fn set(&self, id: Uuid, field: &str, value: Value) {
        self.state.products.lock().unwrap().get_mut(&id).unwrap()[field] = value;
    }

    pub fn mode(&self, mode: ProductMode) {
        *self.state.mode.lock().unwrap() = Some(mode);
    }

    pub fn calls(&self) -> Vec<Call> {
        self.state.calls.lock().unwrap().clone()
    }
}

async fn lookup(
    State(state): State<Arc<ProductState>>,
    headers: HeaderMap,
    body: axum::Json<Value>,
) -> Response {
    state.calls.lock().unwrap().push(Call {
        headers: headers.clone(),
        body: body.0.clone(),
    });
    if headers.get("x-service-token").and_then(|v| v.to_str().ok()) != Some(CART_SERVICE_TOKEN) {
        return envelope_error(StatusCode::UNAUTHORIZED, "invalid service credential");
    }
    let mode = state.mode.lock().unwrap().unwrap_or(ProductMode::Normal);
    match mode {
        ProductMode::Fail => {
            return envelope_error(StatusCode::INTERNAL_SERVER_ERROR, "boom");
        }
        ProductMode::Slow(d) => tokio::time::sleep(d).await,
        ProductMode::Normal => {}
    }
    let Some(ids) = body["ids"]
        .as_array()
        .filter(|a| (1..=100).contains(&a.len()))
    else {
        return envelope_error(StatusCode::BAD_REQUEST, "ids must list 1 to 100 ids");
    };
    let products = state.products.lock().unwrap();
    let data: Vec<Value> = ids
        .iter()
        .filter_map(|v| v.as_str().and_then(|s| Uuid::parse_str(s).ok()))
        .filter_map(|id| products.get(&id).cloned())
        .collect();
    axum::Json(json!({"code": 200, "data": data, "message": "success"})).into_response()
}

// ------------------------------------------------------------------------------------------------ order

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderMode {
    /// Creates (or replays) the order after `delay`.
    Create { delay: Duration },
    /// 409 not enough stock, no `Retry-After`.
    NoStock,
    /// 409 with `Retry-After: 7`.
    InProgress,
    /// 500.
    Fail,
    /// 422 (e.g. zip code not locatable).
    Refuse,
}

enum Entry {
    InProgress,
    Done { order_id: Uuid, body: Value },
}

struct OrderState {
    mode: Mutex<OrderMode>,
    keys: Mutex<HashMap<String, Entry>>,
    calls: Mutex<Vec<Call>>,
}

#[derive(Clone)]
pub struct OrderStub {
    pub url: String,
    state: Arc<OrderState>,
}

impl OrderStub {
    pub async fn start() -> OrderStub {
        let state = Arc::new(OrderState {
            mode: Mutex::new(OrderMode::Create {
                delay: Duration::ZERO,
            }),
            keys: Mutex::new(HashMap::new()),
            calls: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .route("/v1/orders", post(create_order))
            .with_state(state.clone());
        OrderStub {
            url: serve(app).await,
            state,
        }
    }

    pub fn mode(&self, mode: OrderMode) {
        *self.state.mode.lock().unwrap() = mode;
    }

    pub fn calls(&self) -> Vec<Call> {
        self.state.calls.lock().unwrap().clone()
    }

    /// Orders made (distinct keys completed).
    pub fn orders(&self) -> usize {
        self.state
            .keys
            .lock()
            .unwrap()
            .values()
            .filter(|e| matches!(e, Entry::Done { .. }))
            .count()
    }
}

async fn create_order(
    State(state): State<Arc<OrderState>>,
    headers: HeaderMap,
    body: axum::Json<Value>,
) -> Response {
    let body = body.0;
    state.calls.lock().unwrap().push(Call {
        headers: headers.clone(),
        body: body.clone(),
    });
    if !headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "))
    {
        return envelope_error(StatusCode::UNAUTHORIZED, "missing bearer token");
    }
    let Some(key) = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(String::from)
    else {
        return envelope_error(StatusCode::BAD_REQUEST, "Idempotency-Key is required");
    };
    let mode = state.mode.lock().unwrap().clone();
    let delay = match mode {
        OrderMode::NoStock => {
            return envelope_error(StatusCode::CONFLICT, "not enough stock for Car");
        }
        OrderMode::InProgress => {
            let mut r = envelope_error(StatusCode::CONFLICT, "checkout already in progress");
            r.headers_mut().insert("retry-after", "7".parse().unwrap());
            return r;
        }
        OrderMode::Fail => return envelope_error(StatusCode::INTERNAL_SERVER_ERROR, "db down"),
        OrderMode::Refuse => {
            return envelope_error(StatusCode::UNPROCESSABLE_ENTITY, "zip code not locatable")
        }
        OrderMode::Create { delay } => delay,
    };
    // order.md §3.1 step 1: replay, refuse a changed body, or tell a concurrent caller to retry.
    let order_id = {
        let mut keys = state.keys.lock().unwrap();
        match keys.get(&key) {
            Some(Entry::Done {
                order_id,
                body: first,
            }) => {
                if *first != body {
                    return envelope_error(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "key reused with another body",
                    );
                }
                let order_id = *order_id;
                let mut r = (
                    StatusCode::CREATED,
                    axum::Json(
                        json!({"code": 201, "data": {"id": order_id, "status": "PENDING"},
                        "message": "success create"}),
                    ),
                )
                    .into_response();
                r.headers_mut()
                    .insert("idempotent-replayed", "true".parse().unwrap());
                return r;
            }
            Some(Entry::InProgress) => {
                let mut r = envelope_error(StatusCode::CONFLICT, "checkout already in progress");
                r.headers_mut().insert("retry-after", "2".parse().unwrap());
                return r;
            }
            None => {
                keys.insert(key.clone(), Entry::InProgress);
            }
        }
        Uuid::now_v7()
    };
    // The order is made before the answer is sent, in a task of its own: like a real order service, it
    // completes even when the caller gave up waiting and closed the connection.
    let state2 = state.clone();
    let work = tokio::spawn(async move {
        tokio::time::sleep(delay / 2).await;
        state2
            .keys
            .lock()
            .unwrap()
            .insert(key, Entry::Done { order_id, body });
        tokio::time::sleep(delay / 2).await;
    });
    let _ = work.await;
    (
        StatusCode::CREATED,
        axum::Json(
            json!({"code": 201, "data": {"id": order_id, "status": "PENDING"},
            "message": "success create"}),
        ),
    )
        .into_response()
}
