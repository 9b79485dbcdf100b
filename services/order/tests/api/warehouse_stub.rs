//! The warehouse stub: X1 reserve, X5 quote and `/internal/events` exactly as warehouse.md §2.5 and the
//! README table describe them (nearest warehouses first, all or nothing, 409 with per-item causes).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::stubs::{authorised, error, serve};

pub struct StockRow {
    pub warehouse_id: Uuid,
    pub zip: String,
    pub product_id: Uuid,
    pub available: i64,
    pub reserved: i64,
}

pub struct Reservation {
    pub zip: String,
    pub items: Vec<(Uuid, i64)>,
    pub allocations: Vec<Value>,
    pub status: &'static str,
}

#[derive(Default)]
pub struct WarehouseState {
    pub warehouses: HashMap<String, Uuid>,
    pub stock: Vec<StockRow>,
    pub reservations: HashMap<Uuid, Reservation>,
    pub reserve_calls: usize,
    pub quote_calls: usize,
    pub down: bool,
    /// Sleep this long after reserving, before answering (a timeout after the reservation).
    pub delay_after_reserve: Option<Duration>,
    pub events: Vec<Value>,
    /// The status `/internal/events` answers with (200 unless a test says otherwise).
    pub events_status: u16,
}

#[derive(Clone)]
pub struct WarehouseStub {
    pub base: String,
    pub state: Arc<Mutex<WarehouseState>>,
}

type Shared = Arc<Mutex<WarehouseState>>;

impl WarehouseStub {
    pub async fn start() -> WarehouseStub {
        let state: Shared = Arc::new(Mutex::new(WarehouseState {
            events_status: 200,
            ..WarehouseState::default()
        }));
        let router = Router::new()
            .route("/internal/reservations", post(reserve))
            .route("/internal/reservations/quote", post(quote))
            .route("/internal/events", post(warehouse_event))
            .with_state(state.clone());
        WarehouseStub {
            base: serve(router).await,
            state,
        }
    }

    /// Adds `quantity` of `product` to the warehouse at `zip` (created on first use); returns its id.
    pub fn stock(&self, product: Uuid, zip: &str, quantity: i64) -> Uuid {
        let mut s = self.state.lock().unwrap();
        let warehouse_id = *s
            .warehouses
            .entry(zip.to_string())
            .or_insert_with(Uuid::new_v4);
        match s
            .stock
            .iter_mut()
            .find(|r| r.warehouse_id == warehouse_id && r.product_id == product)
        {
            Some(row) => row.available += quantity,
            None => s.stock.push(StockRow {
                warehouse_id,
                zip: zip.into(),
                product_id: product,
                available: quantity,
                reserved: 0,
            }),
        }
        warehouse_id
    }

    /// (Σ available, Σ reserved) of `product`.
    pub fn levels(&self, product: Uuid) -> (i64, i64) {
        let s = self.state.lock().unwrap();
        s.stock
            .iter()
            .filter(|r| r.product_id == product)
            .fold((0, 0), |(a, r), row| (a + row.available, r + row.reserved))
    }

    pub fn reservation_status(&self, order_id: Uuid) -> Option<&'static str> {
        self.state
            .lock()
            .unwrap()
            .reservations
            .get(&order_id)
            .map(|r| r.status)
    }

    pub fn events(&self) -> Vec<Value> {
        self.state.lock().unwrap().events.clone()
    }

    /// Events received for `order_id`, in arrival order.
    pub fn events_for(&self, order_id: Uuid) -> Vec<Value> {
        self.events()
            .into_iter()
            .filter(|e| e["data"]["order_id"] == json!(order_id))
            .collect()
    }

    pub fn set(&self, f: impl FnOnce(&mut WarehouseState)) {
        f(&mut self.state.lock().unwrap());
    }
}

fn zip_number(zip: &str) -> Option<i64> {
    (!zip.is_empty() && zip.len() <= 10 && zip.bytes().all(|b| b.is_ascii_digit()))
        .then(|| zip.parse().ok())?
}

/// warehouse.md §2.5: nearest warehouses first, all or nothing, one cause per failing item.
fn allocate(s: &WarehouseState, zip: i64, items: &[(Uuid, i64)]) -> Result<Vec<Value>, Vec<Value>> {
    let mut allocations = Vec::new();
    let mut causes = Vec::new();
    for (i, (product, quantity)) in items.iter().enumerate() {
        let mut rows: Vec<&StockRow> = s
            .stock
            .iter()
            .filter(|r| r.product_id == *product && r.available > 0)
            .collect();
        rows.sort_by_key(|r| {
            (
                (zip_number(&r.zip).unwrap_or(0) - zip).abs(),
                r.warehouse_id,
            )
        });
        let total: i64 = rows.iter().map(|r| r.available).sum();
        let known = s.stock.iter().any(|r| r.product_id == *product);
        if total < *quantity {
            causes.push(json!({
                "field": format!("items[{i}]"),
                "message": if known { "insufficient stock" } else { "product unavailable" },
                "product_id": product, "requested": quantity, "available": total,
            }));
            continue;
        }
        let mut left = *quantity;
        for row in rows {
            if left == 0 {
                break;
            }
            let take = row.available.min(left);
            left -= take;
            allocations.push(json!({
                "product_id": product, "warehouse_id": row.warehouse_id,
                "warehouse_zip_code": row.zip, "quantity": take,
            }));
        }
    }
    if causes.is_empty() {
        Ok(allocations)
    } else {
        Err(causes)
    }
}

fn parse_items(body: &Value) -> Option<Vec<(Uuid, i64)>> {
    let items = body["items"].as_array()?;
    if items.is_empty() || items.len() > 100 {
        return None;
    }
    let mut parsed: Vec<(Uuid, i64)> = Vec::new();
    for item in items {
        let id: Uuid = item["product_id"].as_str()?.parse().ok()?;
        let q = item["quantity"]
            .as_i64()
            .filter(|q| (1..=10_000).contains(q))?;
        if parsed.iter().any(|(p, _)| *p == id) {
            return None;
        }
        parsed.push((id, q));
    }
    parsed.sort();
    Some(parsed)
}

fn reservation_json(order_id: Uuid, r: &Reservation) -> Value {
    json!({"order_id": order_id, "zip_code": r.zip, "status": r.status,
           "items": r.items.iter().map(|(p, q)| json!({"product_id": p, "quantity": q})).collect::<Vec<_>>(),
           "allocations": r.allocations})
}

async fn reserve(
    State(state): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !authorised(&headers) {
        return error(StatusCode::UNAUTHORIZED, "invalid service credential", None);
    }
    let delay = {
        let mut s = state.lock().unwrap();
        s.reserve_calls += 1;
        if s.down {
            return error(StatusCode::SERVICE_UNAVAILABLE, "down", None);
        }
        let (Some(order_id), Some(items)) = (
            body["order_id"]
                .as_str()
                .and_then(|v| v.parse::<Uuid>().ok()),
            parse_items(&body),
        ) else {
            return error(StatusCode::BAD_REQUEST, "invalid reservation", None);
        };
        let zip_text = body["zip_code"].as_str().unwrap_or_default().to_string();
        let Some(zip) = zip_number(&zip_text) else {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "zip code cannot be located",
                None,
            );
        };
        if let Some(existing) = s.reservations.get(&order_id) {
            if existing.items != items
                || existing.zip != zip_text
                || matches!(existing.status, "RELEASED" | "RETURNED")
            {
                return error(
                    StatusCode::CONFLICT,
                    "reservation exists with other items",
                    None,
                );
            }
            let body = json!({"code": 200, "data": reservation_json(order_id, existing), "message": "success get"});
            return (StatusCode::OK, Json(body)).into_response();
        }
        let allocations = match allocate(&s, zip, &items) {
            Ok(a) => a,
            Err(causes) => {
                return error(
                    StatusCode::CONFLICT,
                    "insufficient stock",
                    Some(json!(causes)),
                )
            }
        };
        for a in &allocations {
            let (w, p, q) = (
                a["warehouse_id"].as_str().unwrap().parse::<Uuid>().unwrap(),
                a["product_id"].as_str().unwrap().parse::<Uuid>().unwrap(),
                a["quantity"].as_i64().unwrap(),
            );
            let row = s
                .stock
                .iter_mut()
                .find(|r| r.warehouse_id == w && r.product_id == p)
                .unwrap();
            row.available -= q;
            row.reserved += q;
        }
        let r = Reservation {
            zip: zip_text,
            items,
            allocations,
            status: "RESERVED",
        };
        s.reservations.insert(order_id, r);
        s.delay_after_reserve.take()
    };
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let s = state.lock().unwrap();
    let order_id: Uuid = body["order_id"].as_str().unwrap().parse().unwrap();
    let body = json!({"code": 201, "data": reservation_json(order_id, &s.reservations[&order_id]), "message": "success create"});
    (StatusCode::CREATED, Json(body)).into_response()
}

async fn quote(
    State(state): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !authorised(&headers) {
        return error(StatusCode::UNAUTHORIZED, "invalid service credential", None);
    }
    let mut s = state.lock().unwrap();
    s.quote_calls += 1;
    if s.down {
        return error(StatusCode::SERVICE_UNAVAILABLE, "down", None);
    }
    let Some(items) = parse_items(&body) else {
        return error(StatusCode::BAD_REQUEST, "invalid quote", None);
    };
    let Some(zip) = zip_number(body["zip_code"].as_str().unwrap_or_default()) else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "zip code cannot be located",
            None,
        );
    };
    match allocate(&s, zip, &items) {
        Ok(allocations) => Json(
            json!({"code": 200, "data": {"allocations": allocations}, "message": "success get"}),
        )
        .into_response(),
        Err(causes) => error(
            StatusCode::CONFLICT,
            "insufficient stock",
            Some(json!(causes)),
        ),
    }
}

/// `order.status_changed`: release, commit or return like warehouse.md §2.5; anomalies are 200.
async fn warehouse_event(
    State(state): State<Shared>,
    headers: HeaderMap,
    Json(envelope): Json<Value>,
) -> Response {
    if !authorised(&headers) {
        return error(StatusCode::UNAUTHORIZED, "invalid service credential", None);
    }
    let mut s = state.lock().unwrap();
    if s.events_status != 200 {
        let status = StatusCode::from_u16(s.events_status).unwrap();
        return error(status, "refused by the test", None);
    }
    s.events.push(envelope.clone());
    if envelope["type"] == "order.status_changed" {
        let order_id: Uuid = envelope["data"]["order_id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let status = envelope["data"]["status"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let restock = envelope["data"]["restock"] == json!(true);
        let WarehouseState {
            reservations,
            stock,
            ..
        } = &mut *s;
        if let Some(r) = reservations.get_mut(&order_id) {
            let mut moves: Vec<(Uuid, Uuid, i64)> = Vec::new();
            for a in &r.allocations {
                moves.push((
                    a["warehouse_id"].as_str().unwrap().parse().unwrap(),
                    a["product_id"].as_str().unwrap().parse().unwrap(),
                    a["quantity"].as_i64().unwrap(),
                ));
            }
            let mut apply = |f: &dyn Fn(&mut StockRow, i64)| {
                for (w, p, q) in &moves {
                    if let Some(row) = stock
                        .iter_mut()
                        .find(|x| x.warehouse_id == *w && x.product_id == *p)
                    {
                        f(row, *q);
                    }
                }
            };
            match (r.status, status.as_str()) {
                ("RESERVED", "EXPIRED" | "CANCELLED" | "REJECTED") => {
                    apply(&|row, q| {
                        row.reserved -= q;
                        row.available += q;
                    });
                    r.status = "RELEASED";
                }
                ("RESERVED", "PAYMENT_ACCEPTED") => {
                    apply(&|row, q| row.reserved -= q);
                    r.status = "COMMITTED";
                }
                ("COMMITTED", _) if restock => {
                    apply(&|row, q| row.available += q);
                    r.status = "RETURNED";
                }
                _ => {}
            }
        }
    }
    Json(json!({"code": 200, "data": {"event_id": envelope["id"], "result": "applied"}, "message": "success"})).into_response()
}
