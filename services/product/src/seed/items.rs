//! DynamoDB item layouts written by the seed (contract: api/product.md §4.1, §4.2).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

use super::catalogue::DemoProduct;

pub type Item = HashMap<String, AttributeValue>;

/// `parent_id` of a root: empty strings cannot be index keys (contract: api/product.md §4.2).
pub const ROOT: &str = "ROOT";
/// The single `changed-index` shard (contract: api/product.md §4.1).
pub const CHANGED_SHARD: &str = "c";

/// The write time in both forms the items carry: RFC 3339 UTC and epoch milliseconds.
#[derive(Clone, Copy, Debug)]
pub struct Stamp(DateTime<Utc>);

impl Stamp {
    pub fn now() -> Self {
        Self(Utc::now())
    }

    pub fn rfc3339(&self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    pub fn millis(&self) -> i64 {
        self.0.timestamp_millis()
    }
}

pub fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// Category item; `parent` is `None` for a root (contract: api/product.md §4.2).
pub fn category_item(
    id: Uuid,
    name: &str,
    parent: Option<Uuid>,
    depth: u32,
    pinned: bool,
    at: Stamp,
) -> Item {
    let name = name.trim();
    let parent_id = parent.map_or_else(|| ROOT.to_owned(), |p| p.to_string());
    HashMap::from([
        ("kind".into(), s("category")),
        ("id".into(), s(id.to_string())),
        ("name".into(), s(name)),
        ("name_lower".into(), s(name.to_lowercase())),
        ("parent_id".into(), s(parent_id)),
        ("depth".into(), n(depth)),
        ("child_count".into(), n(0)),
        ("product_count".into(), n(0)),
        ("pinned".into(), AttributeValue::Bool(pinned)),
        ("version".into(), n(1)),
        ("created_at".into(), s(at.rfc3339())),
        ("updated_at".into(), s(at.rfc3339())),
        ("changed_shard".into(), s(CHANGED_SHARD)),
        ("changed_at".into(), n(at.millis())),
    ])
}

/// Key of the name guard that keeps live sibling names unique: `name#<parent_id|ROOT>#<name_lower>`.
pub fn name_guard_id(name: &str, parent: Option<Uuid>) -> String {
    let parent_id = parent.map_or_else(|| ROOT.to_owned(), |p| p.to_string());
    format!("name#{parent_id}#{}", name.trim().to_lowercase())
}

/// Name guard item; guards carry no `changed_*` attributes, so the snapshot index skips them.
pub fn name_guard_item(category_id: Uuid, name: &str, parent: Option<Uuid>) -> Item {
    HashMap::from([
        ("kind".into(), s("name_guard")),
        ("id".into(), s(name_guard_id(name, parent))),
        ("category_id".into(), s(category_id.to_string())),
    ])
}

/// Product item: `quantity` = the catalogue's total stock, `stock_version` 1 as the warehouse seed's copy, so
/// the warehouse's next `stock.changed` (version 2) applies (contract: api/product.md §4.1, §5.2).
pub fn product_item(product: &DemoProduct, image_url: &str, at: Stamp) -> Item {
    HashMap::from([
        ("id".into(), s(product.id.to_string())),
        ("sku".into(), s(&product.sku)),
        ("name".into(), s(product.name.trim())),
        ("description".into(), s(product.description.trim())),
        ("price".into(), n(&product.price)),
        ("quantity".into(), n(product.quantity())),
        ("stock_version".into(), n(1)),
        ("category_id".into(), s(product.category_id.to_string())),
        ("image_key".into(), s(&product.image_key)),
        ("image_url".into(), s(image_url)),
        ("version".into(), n(1)),
        ("created_at".into(), s(at.rfc3339())),
        ("updated_at".into(), s(at.rfc3339())),
        ("changed_shard".into(), s(CHANGED_SHARD)),
        ("changed_at".into(), n(at.millis())),
    ])
}

/// `image_url` at write time: `PRODUCT_IMAGE_BASE_URL/<image_key>` (contract: api/product.md §4.3).
pub fn image_url(base_url: &str, image_key: &str) -> String {
    format!("{}/{image_key}", base_url.trim_end_matches('/'))
}
