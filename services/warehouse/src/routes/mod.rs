//! The warehouse's routes (contract: api/warehouse.md §2), one module per resource, plus what they share:
//! role extractors (§3), path ids that answer 400 when malformed, list replies (§2.1 "Lists"), the
//! item list of X1, X5 and M2, and their OpenAPI description ([`ApiDoc`], generated from the handlers'
//! `#[utoipa::path]` and the types).

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
use eshop_common::AppError;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use utoipa::openapi::schema::{Array, ArrayBuilder, Object, ObjectBuilder, Type};
use uuid::Uuid;

use crate::domain::allocation::Wanted;
use crate::domain::validate::{Checks, DEFAULT_LIMIT, MAX_LIMIT, MAX_UNITS};
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

/// A list (§2.1 "Lists"). Paged when the caller sent any query parameter (A1 and R1 always page): `data` is
/// an array, `[]` when empty, and `count` the total before paging. Otherwise the compat form: every row,
/// `data: null` when there is none, and no `count`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListReply<T> {
    /// The HTTP status again (200).
    code: u16,
    /// The rows; `null` only in the compat form, when there is none.
    #[schema(required = true)]
    data: Option<Vec<T>>,
    message: &'static str,
    /// Paged only: the number of matching rows before paging.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, minimum = 0)]
    count: Option<i64>,
}

/// A customer zip code that can be located (`CustomerZip`): 1 to 10 digits.
const CUSTOMER_ZIP_PATTERN: &str = "^[0-9]{1,10}$";

/// A customer zip code, in a schema.
fn customer_zip() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(CUSTOMER_ZIP_PATTERN))
}

/// W5's `zip_codes`: at most 100 customer zip codes.
fn customer_zips() -> Array {
    ArrayBuilder::new()
        .items(customer_zip())
        .max_items(Some(100))
        .description(Some("0 to 100 customer zip codes"))
        .build()
}

/// `zip_code` of S5 and `zipcode` of M2: a zip that cannot be located answers 400.
fn locatable_zip() -> Object {
    customer_zip()
        .description(Some("1 to 10 digits, else 400"))
        .build()
}

/// A list reply: paged (`[]` when empty, `count`) when the caller sent parameters, else the compat form
/// (every row, `null` when empty).
pub fn list_reply<T: Serialize>(rows: Vec<T>, count: i64, paged: bool) -> Response {
    let body = if paged {
        ListReply {
            code: 200,
            data: Some(rows),
            message: "success get",
            count: Some(count),
        }
    } else {
        ListReply {
            code: 200,
            data: (!rows.is_empty()).then_some(rows),
            message: "success get",
            count: None,
        }
    };
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// Whether a raw query string carries any parameter.
pub fn has_params(raw: &Option<String>) -> bool {
    raw.as_deref().is_some_and(|q| !q.is_empty())
}

/// An item of X1, X5 and M2 (`product_name` and `price`, sent by old clients, are ignored).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ItemBody {
    /// Listed once per request.
    #[schema(value_type = Uuid, required = true)]
    pub product_id: Option<Uuid>,
    /// 1–10 000 on X1 and X5, 1–1 000 000 on M2.
    #[schema(value_type = i64, required = true, minimum = 1, maximum = 1000000)]
    pub quantity: Option<i64>,
    /// Sent by old clients (M2); ignored.
    #[allow(dead_code)]
    #[schema(value_type = String, required = false)]
    product_name: Option<IgnoredAny>,
    /// Sent by old clients (M2); ignored.
    #[allow(dead_code)]
    #[schema(value_type = f64, required = false)]
    price: Option<IgnoredAny>,
}

// The literals of the schemas here and in the route modules: `maximum = 1000000` of quantities, deltas and
// thresholds (`quantity` above is M2's ceiling; X1's and X5's is lower), and the paging of every list
// (`default = 50`, `maximum = 500`).
const _: () = assert!(MAX_UNITS == 1_000_000 && DEFAULT_LIMIT == 50 && MAX_LIMIT == 500);

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

/// The service's own operations; `eshop_common::openapi::document` adds the common routes, the error
/// envelope and the security schemes.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Eshop warehouse service",
        description = "Contract: shared spec api/warehouse.md. Success bodies use the envelope {code, data, message}; errors {code, error: {message, causes}}. Roles: staff = warehouse_staff, warehouse_manager, admin; managers = warehouse_manager, admin; a customer gets 403 on every /v1 route. /internal/* takes a service token only."
    ),
    servers((url = "http://localhost:2005")),
    paths(
        warehouses::create,
        warehouses::list,
        warehouses::nearest,
        warehouses::show,
        warehouses::update,
        warehouses::remove,
        warehouses::make_main,
        stock::list,
        stock::nearest,
        stock::by_product,
        stock::by_warehouse,
        stock::one,
        stock::set_threshold,
        stock::alerts,
        movements::list,
        movements::movein,
        movements::moveout,
        movements::adjust,
        movements::by_product,
        movements::by_source,
        movements::by_destination,
        reservations::list,
        reservations::show,
        reservations::release,
        internal::reserve,
        internal::quote,
        internal::commit,
        internal::release,
        events::receive,
    ),
    tags(
        (name = "warehouses", description = "W1–W7 (api/warehouse.md §2.2)"),
        (name = "stock", description = "S1–S6 and A1 (§2.3)"),
        (name = "movements", description = "M1–M7 (§2.4)"),
        (name = "reservations", description = "R1–R3 (§2.5)"),
        (name = "internal", description = "X1–X5: peers' service tokens (§2.5, §2.6)"),
    )
)]
pub struct ApiDoc;
