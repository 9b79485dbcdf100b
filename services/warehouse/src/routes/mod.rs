//! The warehouse's routes (contract: api/warehouse.md §2), one module per resource, plus what they share:
//! role extractors (§3), path ids that answer 400 when malformed, list replies (§2.1 "Lists") and the
//! item list of X1, X5 and M2.

mod events;
mod internal;
mod movements;
mod reservations;
mod stock;
mod warehouses;

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::Router;
use eshop_common::auth::{AuthUser, Role, Verifier};
use eshop_common::envelope::ok;
use eshop_common::AppError;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use uuid::Uuid;

use crate::domain::allocation::Wanted;
use crate::domain::validate::Checks;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/warehouse",
            get(warehouses::list).post(warehouses::create),
        )
        .route("/v1/warehouse/nearest", post(warehouses::nearest))
        .route(
            "/v1/warehouse/{id}",
            get(warehouses::show)
                .patch(warehouses::update)
                .delete(warehouses::remove),
        )
        .route("/v1/warehouse/{id}/main", post(warehouses::make_main))
        .route("/v1/warehouse-products", get(stock::list))
        .route("/v1/warehouse-products/nearest", post(stock::nearest))
        .route(
            "/v1/warehouse-products/product/{product_id}",
            get(stock::by_product),
        )
        .route(
            "/v1/warehouse-products/warehouse/{warehouse_id}",
            get(stock::by_warehouse),
        )
        .route(
            "/v1/warehouse-products/product/{product_id}/warehouse/{warehouse_id}",
            get(stock::one),
        )
        .route("/v1/warehouse-products/{id}", patch(stock::set_threshold))
        .route("/v1/stock-alerts", get(stock::alerts))
        .route("/v1/stock-movements", get(movements::list))
        .route("/v1/stock-movements/movein", post(movements::movein))
        .route("/v1/stock-movements/moveout", post(movements::moveout))
        .route("/v1/stock-movements/adjust", post(movements::adjust))
        .route(
            "/v1/stock-movements/product/{product_id}",
            get(movements::by_product),
        )
        .route(
            "/v1/stock-movements/source/{source_id}",
            get(movements::by_source),
        )
        .route(
            "/v1/stock-movements/destination/{destination_id}",
            get(movements::by_destination),
        )
        .route("/v1/reservations", get(reservations::list))
        .route("/v1/reservations/{order_id}", get(reservations::show))
        .route(
            "/v1/reservations/{order_id}/release",
            post(reservations::release),
        )
        .route("/internal/reservations", post(internal::reserve))
        .route("/internal/reservations/quote", post(internal::quote))
        .route(
            "/internal/reservations/{order_id}/commit",
            post(internal::commit),
        )
        .route(
            "/internal/reservations/{order_id}/release",
            post(internal::release),
        )
        .route("/internal/events", post(events::receive))
}

macro_rules! role_guard {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        pub struct $name(pub AuthUser);

        impl<S> FromRequestParts<S> for $name
        where
            Arc<Verifier>: FromRef<S>,
            S: Send + Sync,
        {
            type Rejection = AppError;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
                let user = AuthUser::from_request_parts(parts, state).await?;
                let check: fn(&AuthUser) -> Result<(), AppError> = $check;
                check(&user)?;
                Ok($name(user))
            }
        }
    };
}

role_guard!(
    /// `warehouse_staff` and above (§3 "staff").
    Staff,
    |u| u.require_at_least(Role::WarehouseStaff)
);
role_guard!(
    /// `warehouse_manager` and `admin` (§3 "managers").
    Manager,
    |u| u.require_at_least(Role::WarehouseManager)
);
role_guard!(
    /// `admin` only (R3).
    Admin,
    |u| u.require_any(&[Role::Admin])
);

/// A path id: malformed → 400 (§2 "path ids that are not UUIDs").
pub fn parse_id(raw: &str, field: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| {
        AppError::invalid_fields(
            "malformed id",
            vec![eshop_common::Cause::new(field, "must be a UUID")],
        )
    })
}

/// The one id of a path.
pub struct Id(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| AppError::bad_request("malformed id"))?;
        Ok(Id(parse_id(&raw, "id")?))
    }
}

/// A paged list: the envelope plus a top-level `count` (the total before paging).
#[derive(Serialize)]
struct Paged<T> {
    code: u16,
    data: Vec<T>,
    message: &'static str,
    count: i64,
}

/// A list reply: paged (`[]` when empty, `count`) when the caller sent parameters, else the compat form
/// (every row, `null` when empty).
pub fn list_reply<T: Serialize>(rows: Vec<T>, count: i64, paged: bool) -> Response {
    if paged {
        let body = Paged {
            code: 200,
            data: rows,
            message: "success get",
            count,
        };
        (StatusCode::OK, axum::Json(body)).into_response()
    } else if rows.is_empty() {
        ok(Option::<Vec<T>>::None).into_response()
    } else {
        ok(rows).into_response()
    }
}

/// Whether a raw query string carries any parameter.
pub fn has_params(raw: &Option<String>) -> bool {
    raw.as_deref().is_some_and(|q| !q.is_empty())
}

/// An item of X1, X5 and M2 (`product_name` and `price`, sent by old clients, are ignored).
#[derive(Debug, Deserialize)]
pub struct ItemBody {
    pub product_id: Option<Uuid>,
    pub quantity: Option<i64>,
}

/// Checks an item list: 1–100 items, quantity 1..=`max`, no duplicate product ids.
pub fn wanted(checks: &mut Checks, items: Option<&[ItemBody]>, max: i64) -> Vec<Wanted> {
    let Some(items) = items else {
        checks.fail("items", "is required");
        return Vec::new();
    };
    if items.is_empty() || items.len() > 100 {
        checks.fail("items", "must hold 1 to 100 items");
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let product = checks.required(&format!("items[{index}].product_id"), item.product_id);
        let quantity = checks.int(&format!("items[{index}].quantity"), item.quantity, 1, max);
        if let Some(p) = product {
            if !seen.insert(p) {
                checks.fail(format!("items[{index}].product_id"), "is listed twice");
            }
        }
        if let (Some(product_id), Some(quantity)) = (product, quantity) {
            out.push(Wanted {
                index,
                product_id,
                quantity,
            });
        }
    }
    out
}

/// `Some(None)` for an explicit `null`, `None` for a missing key.
pub fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
