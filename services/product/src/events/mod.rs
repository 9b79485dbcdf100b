//! Events: what the product service publishes through its outbox (contract: api/product.md §5.1) and the
//! relay that delivers them; `stock.changed` is consumed in `routes::internal` (§5.2).

pub mod relay;

use rust_decimal::prelude::ToPrimitive;
use serde_json::json;

use crate::domain::ProductRecord;
use eshop_common::outbox::Envelope;

pub const PRODUCT_CREATED: &str = "product.created";
pub const PRODUCT_UPDATED: &str = "product.updated";
pub const PRODUCT_DELETED: &str = "product.deleted";
pub const STOCK_CHANGED: &str = "stock.changed";

/// Subscribers of each type (spec README "Events"; api/product.md §4.4).
pub fn targets(event_type: &str) -> Vec<&'static str> {
    match event_type {
        PRODUCT_CREATED => vec!["warehouse"],
        PRODUCT_UPDATED | PRODUCT_DELETED => vec!["cart", "warehouse"],
        _ => Vec::new(),
    }
}

fn price(p: &ProductRecord) -> serde_json::Value {
    json!(p.price.to_f64().unwrap_or_default())
}

/// `product.created`: the new product with its initial stock and version 1.
pub fn created(p: &ProductRecord, image_url: &str) -> Envelope {
    Envelope::new(
        PRODUCT_CREATED,
        "product",
        json!({
            "product_id": p.id, "sku": p.sku, "name": p.name, "description": p.description,
            "price": price(p), "quantity": p.quantity, "category_id": p.category_id,
            "image_url": image_url, "version": p.version, "created_at": p.created_at,
        }),
    )
}

/// `product.updated`: the product after the change, without quantity.
pub fn updated(p: &ProductRecord, image_url: &str) -> Envelope {
    Envelope::new(
        PRODUCT_UPDATED,
        "product",
        json!({
            "product_id": p.id, "sku": p.sku, "name": p.name, "description": p.description,
            "price": price(p), "category_id": p.category_id, "image_url": image_url,
            "version": p.version, "updated_at": p.updated_at,
        }),
    )
}

/// `product.deleted`: the tombstone.
pub fn deleted(p: &ProductRecord) -> Envelope {
    Envelope::new(
        PRODUCT_DELETED,
        "product",
        json!({ "product_id": p.id, "version": p.version, "deleted_at": p.deleted_at }),
    )
}
