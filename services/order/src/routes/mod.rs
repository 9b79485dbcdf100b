//! HTTP routes (api/order.md §2): checkout and quote, reads, status actions, internal routes, and their
//! OpenAPI description ([`ApiDoc`], generated from the handlers' `#[utoipa::path]` and the types).

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
use eshop_common::openapi::EventTypes;
use eshop_common::AppError;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
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

/// The service's own operations; `eshop_common::openapi::document` adds the common routes, the error
/// envelope and the security schemes.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Eshop order service",
        description = "Contract: shared spec api/order.md. Success bodies use the envelope {code, data, message}; errors {code, error: {message, causes}}."
    ),
    servers((url = "http://localhost:2004")),
    paths(
        checkout::checkout,
        orders::list_all,
        quote::quote,
        orders::list_own,
        orders::read,
        orders::ttl,
        orders::history,
        actions::cancel,
        actions::change_status,
        actions::refund,
        internal::payment_eligibility,
        internal::events,
    ),
    modifiers(&IgnoredPrice, &HANDLED_EVENTS)
)]
pub struct ApiDoc;

/// `EventEnvelope.type`: the events payment may deliver.
const HANDLED_EVENTS: EventTypes = EventTypes(crate::INTERNAL_EVENTS);

/// A line's `price`: accepted and ignored (compat; the price comes from the product service).
struct IgnoredPrice;

impl utoipa::Modify for IgnoredPrice {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let line = api
            .components
            .as_mut()
            .and_then(|c| c.schemas.get_mut("CheckoutLine"));
        if let Some(RefOr::T(Schema::Object(line))) = line {
            let price = ObjectBuilder::new()
                .schema_type(Type::Number)
                .description(Some("ignored: the price comes from the product service"));
            line.properties.insert("price".into(), price.into());
        }
    }
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
