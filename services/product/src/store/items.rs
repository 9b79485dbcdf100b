//! DynamoDB item layouts ⇄ catalogue records (contract: api/product.md §4.1, §4.2).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use uuid::Uuid;

use crate::domain::{CategoryRecord, ProductRecord};
pub use crate::seed::items::{
    n, name_guard_id, name_guard_item, s, Item, Stamp, CHANGED_SHARD, ROOT,
};

pub fn text(item: &HashMap<String, AttributeValue>, name: &str) -> Option<String> {
    item.get(name).and_then(|v| v.as_s().ok()).cloned()
}

pub fn number(item: &HashMap<String, AttributeValue>, name: &str) -> Option<i64> {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|n| n.parse::<i64>().ok())
}

/// A product item, or `None` when it lacks what a product needs.
pub fn product_from_item(item: &Item) -> Option<ProductRecord> {
    Some(ProductRecord {
        id: Uuid::parse_str(&text(item, "id")?).ok()?,
        sku: text(item, "sku").unwrap_or_default(),
        name: text(item, "name").unwrap_or_default(),
        description: text(item, "description").unwrap_or_default(),
        price: item.get("price")?.as_n().ok()?.parse().ok()?,
        quantity: number(item, "quantity").unwrap_or(0),
        stock_version: number(item, "stock_version").unwrap_or(0),
        category_id: text(item, "category_id").unwrap_or_default(),
        image_key: text(item, "image_key"),
        image_url: text(item, "image_url").unwrap_or_default(),
        version: number(item, "version").unwrap_or(1),
        created_at: text(item, "created_at").unwrap_or_default(),
        updated_at: text(item, "updated_at").unwrap_or_default(),
        deleted_at: text(item, "deleted_at"),
        changed_at: number(item, "changed_at").unwrap_or(0),
    })
}

/// A category item (`kind = "category"` or legacy without `kind`); name guards answer `None`.
pub fn category_from_item(item: &Item) -> Option<CategoryRecord> {
    if text(item, "kind").is_some_and(|k| k != "category") {
        return None;
    }
    let parent = text(item, "parent_id").unwrap_or_default();
    Some(CategoryRecord {
        id: Uuid::parse_str(&text(item, "id")?).ok()?,
        name: text(item, "name").unwrap_or_default(),
        parent_id: Uuid::parse_str(&parent).ok(),
        depth: number(item, "depth").unwrap_or(1).clamp(1, 64) as u32,
        child_count: number(item, "child_count").unwrap_or(0),
        product_count: number(item, "product_count").unwrap_or(0),
        pinned: item
            .get("pinned")
            .and_then(|v| v.as_bool().ok())
            .copied()
            .unwrap_or(false),
        version: number(item, "version").unwrap_or(1),
        deleted_at: text(item, "deleted_at"),
        changed_at: number(item, "changed_at").unwrap_or(0),
    })
}

/// The item of a new product (contract: api/product.md §4.1).
pub fn product_item(p: &ProductRecord) -> Item {
    let mut item: Item = HashMap::from([
        ("id".into(), s(p.id.to_string())),
        ("sku".into(), s(&p.sku)),
        ("name".into(), s(&p.name)),
        ("description".into(), s(&p.description)),
        ("price".into(), n(p.price)),
        ("quantity".into(), n(p.quantity)),
        ("category_id".into(), s(&p.category_id)),
        ("image_url".into(), s(&p.image_url)),
        ("version".into(), n(p.version)),
        ("created_at".into(), s(&p.created_at)),
        ("updated_at".into(), s(&p.updated_at)),
        ("changed_shard".into(), s(CHANGED_SHARD)),
        ("changed_at".into(), n(p.changed_at)),
    ]);
    if let Some(key) = &p.image_key {
        item.insert("image_key".into(), s(key));
    }
    item
}

/// The item of a new category (contract: api/product.md §4.2).
pub fn category_item(c: &CategoryRecord, at: Stamp) -> Item {
    let mut item =
        crate::seed::items::category_item(c.id, &c.name, c.parent_id, c.depth, c.pinned, at);
    item.insert("version".into(), n(c.version));
    item
}
