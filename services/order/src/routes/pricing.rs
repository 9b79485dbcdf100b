//! What checkout (O0) and quote (O8) share (api/order.md §3.1 steps 2 and 4, §3.8): prices from one
//! product lookup, the warehouse's refusals as answers, shipping per source warehouse, exact totals.

use std::collections::HashMap;

use eshop_common::{AppError, Cause};
use rust_decimal::{Decimal, RoundingStrategy};
use uuid::Uuid;

use crate::domain::checkout::Line;
use crate::domain::shipping::{Allocation, LineShipping};
use crate::peers::{CatalogueProduct, StockRefusal};
use crate::AppState;

/// A priced line with its shipping.
pub(super) struct Priced {
    pub line: Line,
    pub product: CatalogueProduct,
    pub price: Decimal,
    pub shipping: LineShipping,
}

pub(super) struct Totals {
    pub subtotal: Decimal,
    pub shipping_total: Decimal,
}

pub(super) fn totals(lines: &[Priced]) -> Totals {
    Totals {
        subtotal: lines
            .iter()
            .map(|p| p.price * Decimal::from(p.line.quantity))
            .sum(),
        shipping_total: lines.iter().map(|p| p.shipping.shipping_cost).sum(),
    }
}

/// How an attempt failed: definitive refusals free the key; anything else keeps the row for a retry.
pub(super) enum Failure {
    Refused(AppError),
    Retryable(AppError),
    LostLease,
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        Failure::Retryable(e)
    }
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        Failure::Retryable(e.into())
    }
}

/// Step 2: one lookup; unknown or deleted products → 422 with a cause per line.
pub(super) async fn price_lines(
    state: &AppState,
    lines: &[Line],
) -> Result<Vec<CatalogueProduct>, Failure> {
    let ids: Vec<Uuid> = lines.iter().map(|l| l.product_id).collect();
    let mut found: HashMap<Uuid, CatalogueProduct> = state
        .peers
        .lookup(&ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut causes = Vec::new();
    let mut products = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        match found.remove(&line.product_id) {
            Some(p) if p.deleted_at.is_none() => products.push(p),
            _ => causes.push(Cause::new(
                format!("items[{i}].product_id"),
                format!("product {} is not available", line.product_id),
            )),
        }
    }
    if causes.is_empty() {
        Ok(products)
    } else {
        Err(Failure::Refused(AppError::Unprocessable {
            message: "some products are not available".into(),
            causes,
        }))
    }
}

pub(super) fn refusal(
    refusal: StockRefusal,
    lines: &[Line],
    products: &[CatalogueProduct],
) -> AppError {
    match refusal {
        StockRefusal::Zip(message) => AppError::Unprocessable {
            message: format!("the zip code cannot be served: {message}"),
            causes: vec![Cause::new("address.zipcode", "cannot be located")],
        },
        StockRefusal::Short(items) => {
            let name = |id: Option<Uuid>| {
                lines
                    .iter()
                    .position(|l| Some(l.product_id) == id)
                    .map(|i| (i, products[i].name.clone()))
            };
            let causes: Vec<Cause> = items
                .iter()
                .map(|c| match name(c.product_id) {
                    Some((i, n)) => Cause::new(
                        format!("items[{i}]"),
                        format!(
                            "not enough stock for {n}: requested {}, available {}",
                            c.requested.unwrap_or_default(),
                            c.available.unwrap_or_default()
                        ),
                    ),
                    None => Cause::new(c.field.clone(), c.message.clone()),
                })
                .collect();
            let names: Vec<String> = items
                .iter()
                .filter_map(|c| name(c.product_id).map(|x| x.1))
                .collect();
            AppError::Conflict {
                message: format!("not enough stock for {}", names.join(", ")),
                causes,
            }
        }
    }
}

pub(super) fn book(
    state: &AppState,
    zip: &str,
    lines: Vec<Line>,
    products: Vec<CatalogueProduct>,
    allocations: &[Allocation],
) -> Result<Vec<Priced>, AppError> {
    let ids: Vec<Uuid> = lines.iter().map(|l| l.product_id).collect();
    let shipping = state.settings.shipping.book(zip, &ids, allocations);
    let mut priced = Vec::new();
    for ((line, product), shipping) in lines.into_iter().zip(products).zip(shipping) {
        let allocated: i32 = shipping.allocations.iter().map(|a| a.quantity).sum();
        if allocated != line.quantity {
            return Err(AppError::unavailable(
                "the warehouse service is unavailable",
                format!(
                    "allocation of {} covers {allocated} of {}",
                    line.product_id, line.quantity
                ),
            ));
        }
        let price = product
            .price
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        priced.push(Priced {
            line,
            product,
            price,
            shipping,
        });
    }
    Ok(priced)
}
