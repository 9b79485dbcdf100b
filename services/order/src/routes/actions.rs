//! Status actions: O5 owner cancel, O6 admin or manager status change, O9 admin refund
//! (api/order.md §3.5–3.7, §3.12). Each runs in one transaction on the locked order.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use eshop_common::auth::{AuthUser, Role};
use eshop_common::envelope::{updated, Envelope};
use eshop_common::error::ErrorBody;
use eshop_common::extract::{Json, Path};
use eshop_common::openapi::{BearerRefused, DatabaseUnavailable, Fault, NotJson};
use eshop_common::{AppError, AppResult, Cause};
use serde_json::Value;
use uuid::Uuid;

use super::view::{order_view, Audience, OrderView};
use super::{order_id, unknown_order};
use crate::domain::checkout::NO_NUL;
use crate::domain::status::{Actor, OrderStatus};
use crate::store::orders;
use crate::store::transitions::{self, Transition};
use crate::AppState;

fn refused(from: OrderStatus, to: OrderStatus) -> AppError {
    AppError::conflict(format!("cannot change status from {from} to {to}"))
}

/// A proof is under review: the customer may not cancel, nor the admin cancel a PENDING order.
fn proof_under_review(payment_status: Option<&str>) -> bool {
    payment_status == Some("PENDING")
}

fn optional_note(body: Option<&Value>, max: usize) -> Result<String, AppError> {
    match body.and_then(|b| b.get("note")) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) if s.contains('\0') => Err(AppError::invalid_fields(
            "invalid note",
            vec![Cause::new("note", NO_NUL)],
        )),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(s.trim().to_string()),
        Some(_) => Err(AppError::invalid_fields(
            "invalid note",
            vec![Cause::new(
                "note",
                format!("must be a text of at most {max} characters"),
            )],
        )),
    }
}

/// O5's `note` at most this many characters.
pub const CANCEL_NOTE_MAX_CHARS: usize = 500;
/// O6's `note` at most this many characters.
pub const STATUS_NOTE_MAX_CHARS: usize = 1000;
/// O9's `note` at most this many characters.
pub const REFUND_NOTE_MAX_CHARS: usize = 500;

// The literals of the schemas below.
const _: () = assert!(
    CANCEL_NOTE_MAX_CHARS == 500 && STATUS_NOTE_MAX_CHARS == 1000 && REFUND_NOTE_MAX_CHARS == 500
);

// The bodies' schemas in the OpenAPI document too.
/// O5's optional body (a valid one once parsed).
#[derive(Debug, Clone, PartialEq, Eq, utoipa::ToSchema)]
pub struct CancelRequest {
    /// trimmed; default ""
    #[schema(required = false, nullable, max_length = 500, default = "")]
    pub note: String,
}

impl CancelRequest {
    /// An empty (or blank) body is no body; anything else must be JSON, whatever its content type.
    pub fn parse(body: &[u8]) -> AppResult<CancelRequest> {
        let body: Option<Value> = if body.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            Some(
                serde_json::from_slice(body)
                    .map_err(|_| AppError::bad_request("the body is not valid JSON"))?,
            )
        };
        Ok(CancelRequest {
            note: optional_note(body.as_ref(), CANCEL_NOTE_MAX_CHARS)?,
        })
    }
}

/// O6's body (a valid one once parsed).
#[derive(Debug, Clone, PartialEq, Eq, utoipa::ToSchema)]
pub struct StatusChange {
    /// one of the eight statuses, or SHIPPED (= ON_DELIVERY)
    #[schema(schema_with = requested_statuses)]
    pub status: OrderStatus,
    /// trimmed; default ""; becomes the order's status_note and the history note
    #[schema(required = false, nullable, max_length = 1000, default = "")]
    pub note: String,
    /// read only with FAILED: the goods came back
    #[schema(required = false, nullable, default = false)]
    pub restock: bool,
}

/// O6's `status`: a status or the alias SHIPPED.
fn requested_statuses() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let values = OrderStatus::ALL
        .map(OrderStatus::as_str)
        .into_iter()
        .chain([OrderStatus::SHIPPED]);
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
        .build()
}

impl StatusChange {
    /// §3.6 body rules, one 400 per field in order: status, note, restock.
    pub fn parse(body: &Value) -> AppResult<StatusChange> {
        let status = body
            .get("status")
            .and_then(Value::as_str)
            .and_then(OrderStatus::parse_requested)
            .ok_or_else(|| {
                AppError::invalid_fields(
                    "invalid status",
                    vec![Cause::new(
                        "status",
                        "must be one of the eight statuses or SHIPPED",
                    )],
                )
            })?;
        let note = optional_note(Some(body), STATUS_NOTE_MAX_CHARS)?;
        let restock = match body.get("restock") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(AppError::invalid_fields(
                    "invalid restock",
                    vec![Cause::new("restock", "must be true or false")],
                ))
            }
        };
        Ok(StatusChange {
            status,
            note,
            restock,
        })
    }
}

/// O9's body (a valid one once parsed).
#[derive(Debug, Clone, PartialEq, Eq, utoipa::ToSchema)]
pub struct RefundRequest {
    /// the payment reference; trimmed, 1–500 characters
    #[schema(min_length = 1, max_length = 500)]
    pub note: String,
}

impl RefundRequest {
    pub fn parse(body: &Value) -> AppResult<RefundRequest> {
        match body.get("note").and_then(Value::as_str).map(str::trim) {
            Some(n) if n.contains('\0') => Err(AppError::invalid_fields(
                "invalid note",
                vec![Cause::new("note", NO_NUL)],
            )),
            Some(n) if !n.is_empty() && n.chars().count() <= REFUND_NOTE_MAX_CHARS => {
                Ok(RefundRequest {
                    note: n.to_string(),
                })
            }
            _ => Err(AppError::invalid_fields(
                "invalid note",
                vec![Cause::new("note", "is required, 1–500 characters")],
            )),
        }
    }
}

async fn answer(state: &AppState, id: Uuid, audience: Audience) -> AppResult<impl IntoResponse> {
    let mut conn = state.pool.acquire().await?;
    let order = orders::find(&mut conn, id)
        .await?
        .ok_or_else(unknown_order)?;
    Ok(updated(order_view(order, &state.settings, audience)))
}

/// O5 owner cancels a PENDING order without a proof under review
///
/// api/order.md §3.5. The body is optional (and read as JSON whatever its content type).
#[utoipa::path(
    post,
    path = "/v1/orders/{id}/cancel",
    operation_id = "cancelOrder",
    tag = "orders",
    params(("id" = Uuid, Path, description = "order id (not a UUID → 400)")),
    request_body = Option<CancelRequest>,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "cancelled", body = Envelope<OrderView>),
        (status = 400, description = "id not a UUID, a body that is not JSON, or an invalid note", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not the owner (admins use O6)", body = ErrorBody),
        (status = 404, description = "unknown order", body = ErrorBody),
        (status = 409, description = "not PENDING, or a proof is under review", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> AppResult<impl IntoResponse> {
    let id = order_id(&id)?;
    // The rejection in the error envelope (axum's own answer is plain text).
    let body = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::PayloadTooLarge("request body is too large".into())
        }
        _ => AppError::bad_request("the body could not be read"),
    })?;
    let note = CancelRequest::parse(&body)?.note;
    let mut tx = state.pool.begin().await?;
    let order = orders::lock(&mut tx, id).await?.ok_or_else(unknown_order)?;
    if order.user_id != user.user_id {
        return Err(AppError::forbidden());
    }
    if order.status != OrderStatus::Pending || proof_under_review(order.payment_status.as_deref()) {
        return Err(AppError::conflict(format!(
            "the order cannot be cancelled (status {}, payment {})",
            order.status,
            order.payment_status.as_deref().unwrap_or("none")
        )));
    }
    let t = Transition {
        from: OrderStatus::Pending,
        to: OrderStatus::Cancelled,
        actor: Actor::Customer,
        actor_id: None,
        note: &note,
        restock: false,
    };
    if !transitions::apply(&mut tx, &order, &t).await? {
        return Err(refused(order.status, OrderStatus::Cancelled));
    }
    tx.commit().await?;
    state.relay.wake();
    answer(&state, id, Audience::OwnerOrAdmin).await
}

/// O6 status change (admin; warehouse_manager: PAYMENT_ACCEPTED → ON_DELIVERY only)
///
/// api/order.md §3.6–3.7. Every pair outside the admin transitions (the same status again, REJECTED and
/// EXPIRED included) answers 409 and changes nothing.
#[utoipa::path(
    patch,
    path = "/v1/orders/{id}/status",
    operation_id = "changeOrderStatus",
    tag = "orders",
    params(("id" = Uuid, Path, description = "order id (not a UUID → 400)")),
    request_body = StatusChange,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "status changed", body = Envelope<OrderView>),
        (status = 400, description = "id not a UUID, malformed JSON, an unknown status, an invalid note or restock", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "neither an admin nor a warehouse_manager shipping", body = ErrorBody),
        (status = 404, description = "unknown order", body = ErrorBody),
        (status = 409, description = "cannot change status from X to Y", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        NotJson,
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn change_status(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> AppResult<impl IntoResponse> {
    let id = order_id(&id)?;
    let StatusChange {
        status: to,
        note,
        restock,
    } = StatusChange::parse(&body)?;
    let (actor, audience) = match user.role {
        Role::Admin => (Actor::Admin, Audience::OwnerOrAdmin),
        // A manager may only ship (api/order.md §3.6).
        Role::WarehouseManager if to == OrderStatus::OnDelivery => {
            (Actor::Warehouse, Audience::Shipper)
        }
        _ => return Err(AppError::forbidden()),
    };
    let mut tx = state.pool.begin().await?;
    let order = orders::lock(&mut tx, id).await?.ok_or_else(unknown_order)?;
    let from = order.status;
    let allowed = match actor {
        Actor::Admin => {
            from.admin_may_become(to)
                && !(from == OrderStatus::Pending
                    && proof_under_review(order.payment_status.as_deref()))
        }
        _ => (from, to) == (OrderStatus::PaymentAccepted, OrderStatus::OnDelivery),
    };
    if !allowed {
        return Err(refused(from, to));
    }
    let t = Transition {
        from,
        to,
        actor,
        actor_id: Some(user.user_id),
        note: &note,
        restock,
    };
    if !transitions::apply(&mut tx, &order, &t).await? {
        return Err(refused(from, to));
    }
    tx.commit().await?;
    state.relay.wake();
    answer(&state, id, audience).await
}

/// O9 record the refund of a DUE order (admin)
///
/// api/order.md §3.12. No status change, no event (the sale was already reversed).
#[utoipa::path(
    post,
    path = "/v1/orders/{id}/refund",
    operation_id = "refundOrder",
    tag = "orders",
    params(("id" = Uuid, Path, description = "order id (not a UUID → 400)")),
    request_body = RefundRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "refund recorded", body = Envelope<OrderView>),
        (status = 400, description = "id not a UUID, malformed JSON, or a missing or invalid note", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "unknown order", body = ErrorBody),
        (status = 409, description = "no refund is due", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        NotJson,
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn refund(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> AppResult<impl IntoResponse> {
    let id = order_id(&id)?;
    user.require_any(&[Role::Admin])?;
    let note = RefundRequest::parse(&body)?.note;
    let mut tx = state.pool.begin().await?;
    let order = orders::lock(&mut tx, id).await?.ok_or_else(unknown_order)?;
    if order.refund_status != "DUE" {
        return Err(AppError::conflict(format!(
            "no refund is due (refund status {:?})",
            order.refund_status
        )));
    }
    sqlx::query(
        "UPDATE orders SET refund_status = 'REFUNDED', refund_note = $2, refunded_at = now(),
                refunded_by = $3, updated_at = now()
         WHERE id = $1 AND refund_status = 'DUE'",
    )
    .bind(id)
    .bind(&note)
    .bind(user.user_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    answer(&state, id, Audience::OwnerOrAdmin).await
}
