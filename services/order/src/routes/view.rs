//! The order object of api/order.md §2.1 as the wire shows it, and the history entry.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use crate::config::OrderSettings;
use crate::domain::proof_link;
use crate::domain::status::{Actor, OrderStatus};
use crate::store::orders::{HistoryRecord, OrderRecord};

/// api/order.md §2.1 (the owner or an admin see the payment fields; warehouse roles see them blank)
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Order)]
pub struct OrderView {
    pub id: Uuid,
    pub user_id: Uuid,
    #[schema(schema_with = order_statuses)]
    pub status: &'static str,
    /// subtotal + shipping_total, exact to the cent
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub total_price: Decimal,
    /// Σ price × quantity, exact to the cent
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub subtotal: Decimal,
    /// Σ items' shipping_cost, exact to the cent
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub shipping_total: Decimal,
    /// the latest proof's payment id, "" when none (or for warehouse roles)
    pub payment_id: String,
    #[schema(schema_with = payment_statuses)]
    pub payment_status: String,
    /// signed proof link, "" when none or for warehouse roles
    pub payment_image_url: String,
    /// the admin's review note, "" when none (or for warehouse roles)
    pub payment_note: String,
    /// set only while the timer runs (PENDING, no proof under review)
    #[schema(required = true)]
    pub payment_deadline: Option<DateTime<Utc>>,
    #[schema(schema_with = refund_statuses)]
    pub refund_status: String,
    pub refund_note: String,
    /// note of the latest status change, "" when none
    pub status_note: String,
    /// in checkout line order
    #[schema(min_items = 1)]
    pub items: Vec<ItemView>,
    pub address: AddressView,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = OrderItem)]
pub struct ItemView {
    pub id: Uuid,
    pub order_id: Uuid,
    pub product_id: Uuid,
    pub product_name: String,
    pub sku: String,
    pub image_url: String,
    /// the unit price at checkout, exact to the cent
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub price: Decimal,
    #[schema(minimum = 1)]
    pub quantity: i32,
    /// shipping booked on this line (not per unit), exact to the cent
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub shipping_cost: Decimal,
    pub note: String,
    pub allocations: Vec<AllocationView>,
}

/// What one source warehouse supplies to a line.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Allocation)]
pub struct AllocationView {
    pub warehouse_id: Uuid,
    #[schema(minimum = 1)]
    pub quantity: i32,
    /// exact to the cent
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub shipping_cost: Decimal,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Address)]
pub struct AddressView {
    pub order_id: Uuid,
    pub street: String,
    pub city: String,
    pub state: String,
    pub zipcode: String,
    pub note: String,
}

/// One status change (O7); the first is the creation.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = HistoryEntry)]
pub struct HistoryView {
    pub id: Uuid,
    pub order_id: Uuid,
    /// null for the creation
    #[schema(schema_with = from_statuses, required = true)]
    pub from_status: Option<String>,
    #[schema(schema_with = order_statuses)]
    pub to_status: String,
    pub note: String,
    #[schema(schema_with = actors)]
    pub actor: String,
    /// null unless an admin or a manager acted (or the reviewer of a payment)
    #[schema(required = true)]
    pub actor_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// `payment_status`: "" no proof yet, then the latest proof's status (api/order.md §2.1).
pub const PAYMENT_STATUSES: [&str; 4] = ["", "PENDING", "APPROVED", "REJECTED"];
/// `refund_status`: "", DUE (paid, then cancelled or FAILED), REFUNDED (O9).
pub const REFUND_STATUSES: [&str; 3] = ["", "DUE", "REFUNDED"];

fn string_enum<V: Into<serde_json::Value>>(
    values: impl IntoIterator<Item = V>,
) -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
        .build()
}

/// An order status: one of the eight.
pub fn order_statuses() -> utoipa::openapi::Object {
    string_enum(OrderStatus::ALL.map(OrderStatus::as_str))
}

pub(crate) fn payment_statuses() -> utoipa::openapi::Object {
    string_enum(PAYMENT_STATUSES)
}

fn refund_statuses() -> utoipa::openapi::Object {
    string_enum(REFUND_STATUSES)
}

fn actors() -> utoipa::openapi::Object {
    string_enum(Actor::ALL.map(Actor::as_str))
}

/// A history entry's `from_status`: an order status or null.
fn from_statuses() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    let values = OrderStatus::ALL
        .map(|s| serde_json::Value::from(s.as_str()))
        .into_iter()
        .chain([serde_json::Value::Null]);
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(values))
        .build()
}

/// Who reads the order: the owner or an admin see payment fields and a signed proof link; warehouse
/// roles reading orders to ship see them blank (api/order.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    OwnerOrAdmin,
    Shipper,
}

pub fn order_view(order: OrderRecord, settings: &OrderSettings, audience: Audience) -> OrderView {
    let full = audience == Audience::OwnerOrAdmin;
    let payment_image_url = match order.payment_id {
        Some(payment_id) if full => {
            let exp = Utc::now().timestamp() + settings.proof_link_ttl.as_secs() as i64;
            proof_link::link(
                &settings.payment_public_url,
                &settings.proof_link_secret,
                payment_id,
                exp,
            )
        }
        _ => String::new(),
    };
    let blank_unless_full = |v: Option<String>| {
        if full {
            v.unwrap_or_default()
        } else {
            String::new()
        }
    };
    let id = order.id;
    OrderView {
        id,
        user_id: order.user_id,
        status: order.status.as_str(),
        total_price: order.total_price,
        subtotal: order.subtotal,
        shipping_total: order.shipping_total,
        payment_id: blank_unless_full(order.payment_id.map(|p| p.to_string())),
        payment_status: blank_unless_full(order.payment_status),
        payment_image_url,
        payment_note: blank_unless_full(order.payment_note),
        payment_deadline: order.payment_deadline,
        refund_status: order.refund_status,
        refund_note: order.refund_note,
        status_note: order.status_note,
        items: order
            .items
            .into_iter()
            .map(|i| ItemView {
                id: i.id,
                order_id: id,
                product_id: i.product_id,
                product_name: i.product_name,
                sku: i.sku,
                image_url: i.image_url,
                price: i.price,
                quantity: i.quantity,
                shipping_cost: i.shipping_cost,
                note: i.note,
                allocations: i
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
        address: AddressView {
            order_id: id,
            street: order.address.street,
            city: order.address.city,
            state: order.address.state,
            zipcode: order.address.zipcode,
            note: order.address.note,
        },
        created_at: order.created_at,
        updated_at: order.updated_at,
    }
}

pub fn history_view(h: HistoryRecord) -> HistoryView {
    HistoryView {
        id: h.id,
        order_id: h.order_id,
        from_status: h.from_status,
        to_status: h.to_status,
        note: h.note,
        actor: h.actor,
        actor_id: h.actor_id,
        created_at: h.created_at,
    }
}

/// `ttl_seconds` (api/order.md §3.4): ceil(deadline − now) while the timer runs, else 0; never negative.
pub fn ttl_seconds(deadline: Option<DateTime<Utc>>, now: DateTime<Utc>) -> i64 {
    match deadline {
        Some(d) if d > now => {
            let micros = (d - now).num_microseconds().unwrap_or(i64::MAX);
            (micros + 999_999) / 1_000_000
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn ttl_rounds_up_and_is_never_negative() {
        let now = Utc::now();
        assert_eq!(
            ttl_seconds(Some(now + Duration::milliseconds(1500)), now),
            2
        );
        assert_eq!(ttl_seconds(Some(now + Duration::seconds(600)), now), 600);
        assert_eq!(ttl_seconds(Some(now - Duration::seconds(5)), now), 0);
        assert_eq!(ttl_seconds(None, now), 0);
    }
}
