//! O8 `POST /v1/orders/quote` (api/order.md §3.8): O0's prices and shipping over warehouse X5's
//! dry-run allocation; nothing is stored or reserved.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use eshop_common::auth::AuthUser;
use eshop_common::envelope::ok;
use eshop_common::extract::Json;
use eshop_common::{AppError, AppResult};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::pricing::{book, price_lines, refusal, totals, Failure};
use super::view::AllocationView;
use crate::domain::checkout::parse_quote;
use crate::AppState;

#[derive(Serialize)]
struct QuoteLine {
    product_id: Uuid,
    product_name: String,
    #[serde(with = "rust_decimal::serde::float")]
    price: Decimal,
    quantity: i32,
    #[serde(with = "rust_decimal::serde::float")]
    shipping_cost: Decimal,
    allocations: Vec<AllocationView>,
}

#[derive(Serialize)]
struct QuoteView {
    #[serde(with = "rust_decimal::serde::float")]
    subtotal: Decimal,
    #[serde(with = "rust_decimal::serde::float")]
    shipping_total: Decimal,
    #[serde(with = "rust_decimal::serde::float")]
    total_price: Decimal,
    items: Vec<QuoteLine>,
}

/// O8 `POST /v1/orders/quote`: nothing is stored or reserved.
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
