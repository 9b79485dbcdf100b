//! HTTP routes (api/order.md §2): checkout and quote, reads, status actions, internal routes.

mod actions;
mod checkout;
mod internal;
mod orders;
mod pricing;
mod quote;
pub mod view;

use axum::routing::{get, patch, post};
use axum::Router;
use eshop_common::auth::{AuthUser, Role};
use eshop_common::AppError;
use uuid::Uuid;

use crate::store::orders::OrderRecord;
use crate::AppState;
use view::Audience;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/orders", post(checkout::checkout).get(orders::list_all))
        .route("/v1/orders/quote", post(quote::quote))
        .route("/v1/orders/user", get(orders::list_own))
        .route("/v1/orders/{id}", get(orders::read))
        .route("/v1/orders/{id}/ttl", get(orders::ttl))
        .route("/v1/orders/{id}/history", get(orders::history))
        .route("/v1/orders/{id}/cancel", post(actions::cancel))
        .route("/v1/orders/{id}/status", patch(actions::change_status))
        .route("/v1/orders/{id}/refund", post(actions::refund))
        .route(
            "/internal/orders/{id}/payment-eligibility",
            get(internal::payment_eligibility),
        )
        .route("/internal/events", post(internal::events))
        .with_state(state)
}

/// `{id}` must be a UUID (api/order.md §2: else 400).
pub(crate) fn order_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::bad_request("the order id must be a UUID"))
}

pub(crate) fn unknown_order() -> AppError {
    AppError::not_found("order not found")
}

/// O3: the owner or an admin see everything; warehouse roles see orders to ship; others 403.
pub(crate) fn read_audience(user: &AuthUser, order: &OrderRecord) -> Result<Audience, AppError> {
    if user.role == Role::Admin || order.user_id == user.user_id {
        return Ok(Audience::OwnerOrAdmin);
    }
    if matches!(user.role, Role::WarehouseStaff | Role::WarehouseManager)
        && order.status.is_to_ship()
    {
        return Ok(Audience::Shipper);
    }
    Err(AppError::forbidden())
}

/// O4, O7: the owner or an admin only.
pub(crate) fn owner_or_admin(user: &AuthUser, order: &OrderRecord) -> Result<(), AppError> {
    if user.role == Role::Admin || order.user_id == user.user_id {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}
