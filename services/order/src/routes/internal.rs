//! Internal routes for payment's service token (api/order.md §3.9–3.10): I1 payment eligibility and
//! I2 event delivery.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use eshop_common::auth::ServiceCaller;
use eshop_common::envelope::ok;
use eshop_common::error::ErrorBody;
use eshop_common::extract::{Json, Path, Query};
use eshop_common::openapi::{DatabaseUnavailable, Fault, NotJson, ServiceTokenRefused};
use eshop_common::outbox::{Envelope, EventResponse};
use eshop_common::{AppError, AppResult};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::view::{order_statuses, payment_statuses, ttl_seconds};
use super::{order_id, unknown_order};
use crate::domain::status::OrderStatus;
use crate::events::payment;
use crate::store::orders;
use crate::AppState;

/// I1's answer: the order is payable (api/order.md §3.9).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Eligibility {
    pub order_id: Uuid,
    pub user_id: Uuid,
    #[schema(schema_with = order_statuses)]
    pub status: &'static str,
    /// "" no proof yet, else the latest proof's status (PENDING: under review)
    #[schema(schema_with = payment_statuses)]
    pub payment_status: String,
    /// exact to the cent
    #[serde(serialize_with = "money")]
    #[schema(value_type = f64)]
    pub total_price: Decimal,
    #[schema(required = true)]
    pub payment_deadline: Option<DateTime<Utc>>,
    #[schema(minimum = 0)]
    pub ttl_seconds: i64,
    /// always true (a non-payable order answers 409)
    #[schema(schema_with = always_true)]
    pub payable: bool,
}

/// Money as the events write it (a JSON number of the exact decimal).
fn money<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    crate::events::money(*d).serialize(s)
}

fn always_true() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .enum_values(Some([true]))
        .build()
}

/// I1 payment eligibility (payment's service token)
///
/// api/order.md §3.9. Asked by payment before it stores a proof (user_id = the uploader) and before an
/// approval (no user_id).
#[utoipa::path(
    get,
    path = "/internal/orders/{id}/payment-eligibility",
    operation_id = "paymentEligibility",
    tag = "internal",
    params(
        ("id" = Uuid, Path, description = "order id (not a UUID → 400)"),
        ("user_id" = Option<Uuid>, Query, nullable = false, description = "the uploader; omitted on approval"),
    ),
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "payable", body = eshop_common::envelope::Envelope<Eligibility>),
        (status = 400, description = "id or user_id not a UUID", body = ErrorBody),
        ServiceTokenRefused,
        (status = 403, description = "caller not allowed, or user_id not the owner", body = ErrorBody),
        (status = 404, description = "unknown order", body = ErrorBody),
        (status = 409, description = "not payable: not PENDING, or the deadline has passed", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
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
    Ok(ok(Eligibility {
        order_id: order.id,
        user_id: order.user_id,
        status: order.status.as_str(),
        payment_status: order.payment_status.unwrap_or_default(),
        total_price: order.total_price,
        payment_deadline: order.payment_deadline,
        ttl_seconds: ttl_seconds(order.payment_deadline, now),
        payable: true,
    }))
}

/// I2 event delivery: payment.submitted, payment.reviewed (design §4.3)
///
/// api/order.md §3.10. A 400 parks the producer's row; a 503 is retried.
#[utoipa::path(
    post,
    path = "/internal/events",
    operation_id = "deliverEvent",
    tag = "internal",
    request_body(
        content = Envelope,
        description = "payment.submitted (data: payment_id, order_id, user_id, submitted_at) or payment.reviewed \
                       (data: payment_id, order_id, status APPROVED|REJECTED, note, reject_order, reviewed_by, \
                       reviewed_at), else 400; another type answers 403 if another service handles it, else \
                       ignored; the source must be the caller's name (payment), else 403; a repeated id answers \
                       duplicate"
    ),
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "applied, duplicate or ignored", body = eshop_common::envelope::Envelope<EventResponse>),
        (status = 400, description = "malformed JSON, an unusable envelope or data", body = ErrorBody),
        ServiceTokenRefused,
        (status = 403, description = "caller not allowed, a source other than the caller, or a type the caller may not send", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        NotJson,
        Fault,
        (status = 503, description = "the database is unavailable (retried; the message carries the request id)", body = ErrorBody),
    )
)]
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
