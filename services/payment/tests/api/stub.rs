//! The order service as payment sees it, stood up inside the test (README "Internal HTTP calls"):
//! `GET /internal/orders/{id}/payment-eligibility[?user_id=]` and `POST /internal/events`, both behind
//! payment's `X-Service-Token`. Tests set the orders it knows and how it answers, and read what it received.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use uuid::Uuid;

pub const PAYMENT_TOKEN: &str = "test-payment-service-token-0123456789";

#[derive(Clone, Debug)]
pub struct StubOrder {
    pub user_id: Uuid,
    /// `PENDING` is payable; anything else answers 409.
    pub status: String,
    pub total_price: f64,
}

/// One eligibility call as received.
#[derive(Clone, Debug)]
pub struct EligibilityCall {
    pub order_id: String,
    pub user_id: Option<String>,
    pub token: Option<String>,
    pub request_id: Option<String>,
    pub traceparent: Option<String>,
}

/// One event POST as received.
#[derive(Clone, Debug)]
pub struct Received {
    pub envelope: Value,
    pub token: Option<String>,
    pub at: Instant,
    pub answered: u16,
}

#[derive(Default)]
pub struct StubState {
    pub orders: Mutex<HashMap<Uuid, StubOrder>>,
    pub calls: Mutex<Vec<EligibilityCall>>,
    /// When set, eligibility answers this status (or hangs for `eligibility_delay`).
    pub eligibility_status: Mutex<Option<u16>>,
    pub eligibility_delay: Mutex<Duration>,
    pub events: Mutex<Vec<Received>>,
    /// Statuses answered to the next event posts, in order; then 200.
    pub event_answers: Mutex<VecDeque<u16>>,
    /// Event types answered 503 while listed.
    pub refused_types: Mutex<HashSet<String>>,
    /// Every event answer waits this long.
    pub event_delay: Mutex<Duration>,
    /// Posts of one event id in flight right now, and the most ever seen at once.
    pub in_flight: Mutex<HashMap<String, usize>>,
    pub max_in_flight_per_event: Mutex<usize>,
}

pub struct OrderStub {
    pub addr: SocketAddr,
    pub state: Arc<StubState>,
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(String::from)
}

async fn eligibility(
    State(state): State<Arc<StubState>>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> (StatusCode, Json<Value>) {
    let token = header(&headers, "x-service-token");
    state.calls.lock().unwrap().push(EligibilityCall {
        order_id: id.clone(),
        user_id: query.get("user_id").cloned(),
        token: token.clone(),
        request_id: header(&headers, "x-request-id"),
        traceparent: header(&headers, "traceparent"),
    });
    let delay = *state.eligibility_delay.lock().unwrap();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let error = |status: u16, message: &str| {
        let code = StatusCode::from_u16(status).unwrap();
        (
            code,
            Json(json!({"code": status, "error": {"message": message, "causes": null}})),
        )
    };
    if let Some(status) = *state.eligibility_status.lock().unwrap() {
        return error(status, "forced by the test");
    }
    if token.as_deref() != Some(PAYMENT_TOKEN) {
        return error(401, "invalid service credential");
    }
    let Ok(order_id) = Uuid::parse_str(&id) else {
        return error(400, "bad id");
    };
    let Some(order) = state.orders.lock().unwrap().get(&order_id).cloned() else {
        return error(404, "order not found");
    };
    if let Some(user) = query.get("user_id") {
        if Uuid::parse_str(user).ok() != Some(order.user_id) {
            return error(403, "not the owner");
        }
    }
    if order.status != "PENDING" {
        return error(409, "not payable");
    }
    (
        StatusCode::OK,
        Json(json!({"code": 200, "message": "success get", "data": {
            "order_id": order_id, "user_id": order.user_id, "status": order.status,
            "payment_status": "", "total_price": order.total_price,
            "payment_deadline": "2099-01-01T00:00:00Z", "ttl_seconds": 600, "payable": true}})),
    )
}

async fn events(
    State(state): State<Arc<StubState>>,
    headers: HeaderMap,
    Json(envelope): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let id = envelope["id"].as_str().unwrap_or_default().to_string();
    {
        let mut in_flight = state.in_flight.lock().unwrap();
        let n = in_flight.entry(id.clone()).or_default();
        *n += 1;
        let mut max = state.max_in_flight_per_event.lock().unwrap();
        *max = (*max).max(*n);
    }
    let delay = *state.event_delay.lock().unwrap();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let token = header(&headers, "x-service-token");
    let event_type = envelope["type"].as_str().unwrap_or_default().to_string();
    let status = if token.as_deref() != Some(PAYMENT_TOKEN) {
        401
    } else if envelope["source"] != "payment" {
        403
    } else if state.refused_types.lock().unwrap().contains(&event_type) {
        503
    } else {
        state
            .event_answers
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(200)
    };
    state.events.lock().unwrap().push(Received {
        envelope: envelope.clone(),
        token,
        at: Instant::now(),
        answered: status,
    });
    *state.in_flight.lock().unwrap().get_mut(&id).unwrap() -= 1;
    let code = StatusCode::from_u16(status).unwrap();
    let body = if status == 200 {
        json!({"code": 200, "message": "success", "data": {"event_id": id, "result": "applied"}})
    } else {
        json!({"code": status, "error": {"message": "refused by the test", "causes": null}})
    };
    (code, Json(body))
}

impl OrderStub {
    pub async fn start() -> OrderStub {
        let state = Arc::new(StubState::default());
        let app = Router::new()
            .route(
                "/internal/orders/{id}/payment-eligibility",
                get(eligibility),
            )
            .route("/internal/events", post(events))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        OrderStub { addr, state }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A `PENDING` order of `user` for `total`.
    pub fn order(&self, user: Uuid, total: f64) -> Uuid {
        let id = Uuid::now_v7();
        self.set_order(id, user, "PENDING", total);
        id
    }

    pub fn set_order(&self, id: Uuid, user: Uuid, status: &str, total: f64) {
        self.state.orders.lock().unwrap().insert(
            id,
            StubOrder {
                user_id: user,
                status: status.into(),
                total_price: total,
            },
        );
    }

    pub fn set_status(&self, id: Uuid, status: &str) {
        self.state
            .orders
            .lock()
            .unwrap()
            .get_mut(&id)
            .unwrap()
            .status = status.into();
    }

    pub fn calls(&self) -> Vec<EligibilityCall> {
        self.state.calls.lock().unwrap().clone()
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.events.lock().unwrap().clone()
    }

    /// Events answered 2xx, in arrival order.
    pub fn delivered(&self) -> Vec<Value> {
        self.received()
            .into_iter()
            .filter(|r| r.answered == 200)
            .map(|r| r.envelope)
            .collect()
    }

    pub fn answer_events_with(&self, statuses: &[u16]) {
        self.state
            .event_answers
            .lock()
            .unwrap()
            .extend(statuses.iter().copied());
    }

    pub fn refuse_type(&self, event_type: &str, refuse: bool) {
        let mut set = self.state.refused_types.lock().unwrap();
        if refuse {
            set.insert(event_type.into());
        } else {
            set.remove(event_type);
        }
    }

    pub fn set_event_delay(&self, delay: Duration) {
        *self.state.event_delay.lock().unwrap() = delay;
    }

    pub fn force_eligibility(&self, status: Option<u16>) {
        *self.state.eligibility_status.lock().unwrap() = status;
    }

    pub fn set_eligibility_delay(&self, delay: Duration) {
        *self.state.eligibility_delay.lock().unwrap() = delay;
    }
}
