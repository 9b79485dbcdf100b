//! Internal routes for payment's service token (api/order.md §3.9–3.10): I1 payment eligibility and
//! I2 event delivery.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::IntoResponse;
use chrono::Utc;
use eshop_common::auth::ServiceCaller;
use eshop_common::envelope::ok;
use eshop_common::extract::{Json, Path, Query};
use eshop_common::outbox::{Envelope, EventResponse};
use eshop_common::{AppError, AppResult};
use serde_json::{json, Value};
use uuid::Uuid;

use super::view::ttl_seconds;
use super::{order_id, unknown_order};
use crate::domain::status::OrderStatus;
use crate::events::payment;
use crate::store::orders;
use crate::AppState;

/// I1 `GET /internal/orders/{id}/payment-eligibility[?user_id=]`.
pub async fn payment_eligibility(
    State(state): State<AppState>,
    _caller: ServiceCaller,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> AppResult<impl IntoResponse> {
    let id = order_id(&id)?;
    let uploader = match query.get("user_id").filter(|v| !v.is_empty()) {
        Some(v) => {
            Some(Uuid::parse_str(v).map_err(|_| AppError::bad_request("user_id must be a UUID"))?)
        }
        None => None,
    };
    let mut conn = state.pool.acquire().await?;
    let order = orders::find(&mut conn, id)
        .await?
        .ok_or_else(unknown_order)?;
    if uploader.is_some_and(|u| u != order.user_id) {
        return Err(AppError::Forbidden(
            "the order belongs to another user".into(),
        ));
    }
    let now = Utc::now();
    if order.status != OrderStatus::Pending {
        return Err(AppError::conflict(format!(
            "the order is not payable (status {})",
            order.status
        )));
    }
    if order.payment_deadline.is_some_and(|d| d <= now) {
        return Err(AppError::conflict(
            "the order is not payable (payment deadline passed)",
        ));
    }
    Ok(ok(json!({
        "order_id": order.id,
        "user_id": order.user_id,
        "status": order.status.as_str(),
        "payment_status": order.payment_status.unwrap_or_default(),
        "total_price": crate::events::money(order.total_price),
        "payment_deadline": order.payment_deadline,
        "ttl_seconds": ttl_seconds(order.payment_deadline, now),
        "payable": true,
    })))
}

/// I2 `POST /internal/events`: `payment.submitted`, `payment.reviewed` (design §4.3 answers).
pub async fn events(
    State(state): State<AppState>,
    caller: ServiceCaller,
    Json(body): Json<Value>,
) -> AppResult<impl IntoResponse> {
    let envelope: Envelope = serde_json::from_value(body)
        .map_err(|e| AppError::bad_request(format!("invalid envelope: {e}")))?;
    caller.check_event(&state.internal, &envelope.source, &envelope.event_type)?;
    let (result, emitted) = payment::apply(&state.pool, &state.settings, &envelope).await?;
    if emitted {
        state.relay.wake();
    }
    Ok(ok(EventResponse {
        event_id: envelope.id,
        result,
    }))
}
