//! The order object of api/order.md §2.1 as the wire shows it, and the history entry.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use crate::config::OrderSettings;
use crate::domain::proof_link;
use crate::store::orders::{HistoryRecord, OrderRecord};

#[derive(Debug, Serialize)]
pub struct OrderView {
    pub id: Uuid,
    pub user_id: Uuid,
    pub status: &'static str,
    #[serde(with = "rust_decimal::serde::float")]
    pub total_price: Decimal,
    #[serde(with = "rust_decimal::serde::float")]
    pub subtotal: Decimal,
    #[serde(with = "rust_decimal::serde::float")]
    pub shipping_total: Decimal,
    pub payment_id: String,
    pub payment_status: String,
    pub payment_image_url: String,
    pub payment_note: String,
    pub payment_deadline: Option<DateTime<Utc>>,
    pub refund_status: String,
    pub refund_note: String,
    pub status_note: String,
    pub items: Vec<ItemView>,
    pub address: AddressView,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize)]
pub struct ItemView {
    pub id: Uuid,
    pub order_id: Uuid,
    pub product_id: Uuid,
    pub product_name: String,
    pub sku: String,
    pub image_url: String,
    #[serde(with = "rust_decimal::serde::float")]
    pub price: Decimal,
    pub quantity: i32,
    #[serde(with = "rust_decimal::serde::float")]
    pub shipping_cost: Decimal,
    pub note: String,
    pub allocations: Vec<AllocationView>,
}

#[derive(Debug, Serialize)]
pub struct AllocationView {
    pub warehouse_id: Uuid,
    pub quantity: i32,
    #[serde(with = "rust_decimal::serde::float")]
    pub shipping_cost: Decimal,
}

#[derive(Debug, Serialize)]
pub struct AddressView {
    pub order_id: Uuid,
    pub street: String,
    pub city: String,
    pub state: String,
    pub zipcode: String,
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct HistoryView {
    pub id: Uuid,
    pub order_id: Uuid,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: String,
    pub actor: String,
    pub actor_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
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
