//! Status actions: O5 owner cancel, O6 admin or manager status change, O9 admin refund
//! (api/order.md §3.5–3.7, §3.12). Each runs in one transaction on the locked order.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::IntoResponse;
use eshop_common::auth::{AuthUser, Role};
use eshop_common::envelope::updated;
use eshop_common::extract::{Json, Path};
use eshop_common::{AppError, AppResult, Cause};
use serde_json::Value;
use uuid::Uuid;

use super::view::{order_view, Audience};
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

async fn answer(state: &AppState, id: Uuid, audience: Audience) -> AppResult<impl IntoResponse> {
    let mut conn = state.pool.acquire().await?;
    let order = orders::find(&mut conn, id)
        .await?
        .ok_or_else(unknown_order)?;
    Ok(updated(order_view(order, &state.settings, audience)))
}

/// O5 `POST /v1/orders/{id}/cancel`: the owner cancels a PENDING order without a proof under review.
pub async fn cancel(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    body: Bytes,
) -> AppResult<impl IntoResponse> {
    let id = order_id(&id)?;
    let body: Option<Value> = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(
            serde_json::from_slice(&body)
                .map_err(|_| AppError::bad_request("the body is not valid JSON"))?,
        )
    };
    let note = optional_note(body.as_ref(), 500)?;
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

/// O6 `PATCH /v1/orders/{id}/status` `{status, note, restock}`.
pub async fn change_status(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> AppResult<impl IntoResponse> {
    let id = order_id(&id)?;
    let to = body
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
    let note = optional_note(Some(&body), 1000)?;
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

/// O9 `POST /v1/orders/{id}/refund` `{note}`: records the refund of a DUE order (no event).
pub async fn refund(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> AppResult<impl IntoResponse> {
    let id = order_id(&id)?;
    user.require_any(&[Role::Admin])?;
    let note = match body.get("note").and_then(Value::as_str).map(str::trim) {
        Some(n) if n.contains('\0') => {
            return Err(AppError::invalid_fields(
                "invalid note",
                vec![Cause::new("note", NO_NUL)],
            ))
        }
        Some(n) if !n.is_empty() && n.chars().count() <= 500 => n.to_string(),
        _ => {
            return Err(AppError::invalid_fields(
                "invalid note",
                vec![Cause::new("note", "is required, 1–500 characters")],
            ))
        }
    };
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
