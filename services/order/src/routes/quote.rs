//! O8 `POST /v1/orders/quote` (api/order.md §3.8): O0's prices and shipping over warehouse X5's
//! dry-run allocation; nothing is stored or reserved.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use eshop_common::auth::AuthUser;
use eshop_common::envelope::{ok, Envelope};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Json;
use eshop_common::openapi::{BearerRefused, Fault, NotJson};
use eshop_common::{AppError, AppResult};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::pricing::{book, price_lines, refusal, totals, Failure};
use super::view::AllocationView;
use crate::domain::checkout::{parse_quote, Quote};
use crate::AppState;

/// A quoted line: what O0 would book for it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct QuoteLine {
    product_id: Uuid,
    product_name: String,
    /// the unit price, exact to the cent
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    price: Decimal,
    #[schema(minimum = 1)]
    quantity: i32,
    /// exact to the cent
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    shipping_cost: Decimal,
    allocations: Vec<AllocationView>,
}

/// api/order.md §3.8: the totals and line shipping O0 would book from the same stock (not a promise).
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Quote)]
pub struct QuoteView {
    /// exact to the cent
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    subtotal: Decimal,
    /// exact to the cent
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    shipping_total: Decimal,
    /// exact to the cent
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    total_price: Decimal,
    items: Vec<QuoteLine>,
}

/// O8 quote: prices, dry-run allocation, shipping; nothing stored
///
/// api/order.md §3.8. O0's rules for `items` and `address.zipcode`; no Idempotency-Key; nothing is stored
/// or reserved.
#[utoipa::path(
    post,
    path = "/v1/orders/quote",
    operation_id = "quote",
    tag = "orders",
    request_body = Quote,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success", body = Envelope<QuoteView>),
        (status = 400, description = "malformed JSON or invalid fields (causes name them)", body = ErrorBody),
        BearerRefused,
        (status = 409, description = "short stock (causes name the lines)", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        NotJson,
        (status = 422, description = "unknown or deleted product, or a zip code the warehouse cannot locate", body = ErrorBody),
        Fault,
        (status = 503, description = "the product or warehouse service is unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn quote(
    State(state): State<AppState>,
    _user: AuthUser,
    Json(body): Json<Value>,
) -> AppResult<Response> {
    let request =
        parse_quote(&body).map_err(|c| AppError::invalid_fields("invalid quote request", c))?;
    let lines = request.lines;
    let unwrap = |f: Failure| match f {
        Failure::Refused(e) | Failure::Retryable(e) => e,
        Failure::LostLease => AppError::internal("quote failed", "lease"),
    };
    let products = price_lines(&state, &lines).await.map_err(unwrap)?;
    let allocations = match state.peers.quote(&request.zipcode, &lines).await? {
        Ok(a) => a,
        Err(r) => return Err(refusal(r, &lines, &products)),
    };
    let priced = book(&state, &request.zipcode, lines, products, &allocations)?;
    let t = totals(&priced);
    let view = QuoteView {
        subtotal: t.subtotal,
        shipping_total: t.shipping_total,
        total_price: t.subtotal + t.shipping_total,
        items: priced
            .into_iter()
            .map(|p| QuoteLine {
                product_id: p.line.product_id,
                product_name: p.product.name,
                price: p.price,
                quantity: p.line.quantity,
                shipping_cost: p.shipping.shipping_cost,
                allocations: p
                    .shipping
                    .allocations
                    .into_iter()
                    .map(|a| AllocationView {
                        warehouse_id: a.warehouse_id,
                        quantity: a.quantity,
                        shipping_cost: a.shipping_cost,
                    })
                    .collect(),
            })
            .collect(),
    };
    Ok(ok(view).into_response())
}
