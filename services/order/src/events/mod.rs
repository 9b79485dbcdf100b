//! Events: what order produces through its outbox (api/order.md §5; README "Events") and the payment
//! events it consumes (`payment`, api/order.md §3.10).

pub mod payment;

use chrono::{DateTime, Utc};
use eshop_common::outbox::Envelope;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::domain::status::OrderStatus;
use crate::store::orders::OrderRecord;

/// This service's name, the `source` of its envelopes.
pub const SOURCE: &str = "order";
pub const WAREHOUSE: &str = "warehouse";
pub const SALES_REPORT: &str = "sales-report";

/// Money as an exact JSON number (`60.76`, `70000`).
pub fn money(d: Decimal) -> Value {
    d.normalize()
        .to_string()
        .parse::<serde_json::Number>()
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// `order.status_changed` → warehouse: `{order_id, user_id, from_status, status, note, actor, restock,
/// changed_at}`.
#[allow(clippy::too_many_arguments)]
pub fn status_changed(
    order_id: Uuid,
    user_id: Uuid,
    from: Option<OrderStatus>,
    to: OrderStatus,
    note: &str,
    actor: &str,
    restock: bool,
    changed_at: DateTime<Utc>,
) -> Envelope {
    Envelope::new(
        "order.status_changed",
        SOURCE,
        json!({
            "order_id": order_id, "user_id": user_id, "from_status": from.map(|s| s.as_str()),
            "status": to.as_str(), "note": note, "actor": actor, "restock": restock,
            "changed_at": changed_at,
        }),
    )
}

/// `sale.created` → sales-report: one item per (line, source warehouse); `price` is the unit price.
pub fn sale_created(order: &OrderRecord, accepted_at: DateTime<Utc>) -> Envelope {
    let items: Vec<Value> = order
        .items
        .iter()
        .flat_map(|item| {
            item.allocations.iter().map(move |al| {
                json!({
                    "order_item_id": item.id, "product_id": item.product_id,
                    "product_name": item.product_name, "sku": item.sku,
                    "category_id": item.category_id, "warehouse_id": al.warehouse_id,
                    "price": money(item.price), "quantity": al.quantity,
                    "shipping_cost": money(al.shipping_cost),
                })
            })
        })
        .collect();
    Envelope::new(
        "sale.created",
        SOURCE,
        json!({
            "order_id": order.id, "user_id": order.user_id, "ordered_at": order.created_at,
            "accepted_at": accepted_at, "total_price": money(order.total_price),
            "shipping_total": money(order.shipping_total), "items": items,
        }),
    )
}

/// `sale.reversed` → sales-report: `{order_id, user_id, reason (the new status), reversed_at}`.
pub fn sale_reversed(
    order: &OrderRecord,
    reason: OrderStatus,
    reversed_at: DateTime<Utc>,
) -> Envelope {
    Envelope::new(
        "sale.reversed",
        SOURCE,
        json!({
            "order_id": order.id, "user_id": order.user_id, "reason": reason.as_str(),
            "reversed_at": reversed_at,
        }),
    )
}
