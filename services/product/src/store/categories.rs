//! Category writes (contract: api/product.md §2.8, §4.2): each one a `TransactWriteItems` over the category,
//! its name guard and its parent's `child_count`.

use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem, Update};
use aws_sdk_dynamodb::Client;
use uuid::Uuid;

use super::items::{self, n, name_guard_id, name_guard_item, s, Stamp, CHANGED_SHARD};
use super::products::{category_counter, transact};
use super::StoreError;
use crate::domain::CategoryRecord;

fn build_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("request build: {e}"))
}

/// Consistent `GetItem` of a category (live or deleted); name guards and unknown ids answer `None`.
pub async fn get(
    dynamodb: &Client,
    table: &str,
    id: Uuid,
) -> Result<Option<CategoryRecord>, StoreError> {
    let out = dynamodb
        .get_item()
        .table_name(table)
        .key("id", s(id.to_string()))
        .consistent_read(true)
        .send()
        .await
        .map_err(StoreError::from_sdk)?;
    Ok(out.item().and_then(items::category_from_item))
}

fn put_if_absent(table: &str, item: items::Item) -> Result<TransactWriteItem, StoreError> {
    let put = Put::builder()
        .table_name(table)
        .set_item(Some(item))
        .condition_expression("attribute_not_exists(id)")
        .build()
        .map_err(build_error)?;
    Ok(TransactWriteItem::builder().put(put).build())
}

fn delete_guard(
    table: &str,
    name: &str,
    parent: Option<Uuid>,
) -> Result<TransactWriteItem, StoreError> {
    let delete = Delete::builder()
        .table_name(table)
        .key("id", s(name_guard_id(name, parent)))
        .build()
        .map_err(build_error)?;
    Ok(TransactWriteItem::builder().delete(delete).build())
}

/// C1: write 0 the category, 1 the name guard (fails = live sibling with that name), 2 the parent's
/// `child_count + 1` (fails = parent unknown or deleted).
pub async fn create(
    dynamodb: &Client,
    table: &str,
    category: &CategoryRecord,
    at: Stamp,
) -> Result<(), StoreError> {
    let mut writes = vec![
        put_if_absent(table, items::category_item(category, at))?,
        put_if_absent(
            table,
            name_guard_item(category.id, &category.name, category.parent_id),
        )?,
    ];
    if let Some(parent) = category.parent_id {
        writes.push(category_counter(
            table,
            &parent.to_string(),
            "child_count",
            1,
        )?);
    }
    transact(dynamodb, writes).await
}

/// C5: write 0 the category (condition: live at `before.version`); when the lower-cased name changes,
/// write 1 drops the old guard and write 2 puts the new one (fails = sibling clash).
pub async fn rename(
    dynamodb: &Client,
    table: &str,
    before: &CategoryRecord,
    after: &CategoryRecord,
    at: Stamp,
) -> Result<(), StoreError> {
    let update = Update::builder()
        .table_name(table)
        .key("id", s(after.id.to_string()))
        .update_expression(
            "SET #name = :name, name_lower = :lower, version = :version, updated_at = :at, \
             changed_shard = :shard, changed_at = :now",
        )
        .condition_expression(
            "attribute_exists(id) AND attribute_not_exists(deleted_at) AND version = :read_version",
        )
        .expression_attribute_names("#name", "name")
        .expression_attribute_values(":name", s(&after.name))
        .expression_attribute_values(":lower", s(after.name.to_lowercase()))
        .expression_attribute_values(":version", n(after.version))
        .expression_attribute_values(":read_version", n(before.version))
        .expression_attribute_values(":at", s(at.rfc3339()))
        .expression_attribute_values(":shard", s(CHANGED_SHARD))
        .expression_attribute_values(":now", n(after.changed_at))
        .build()
        .map_err(build_error)?;
    let mut writes = vec![TransactWriteItem::builder().update(update).build()];
    if before.name.to_lowercase() != after.name.to_lowercase() {
        writes.push(delete_guard(table, &before.name, before.parent_id)?);
        writes.push(put_if_absent(
            table,
            name_guard_item(after.id, &after.name, after.parent_id),
        )?);
    }
    transact(dynamodb, writes).await
}

/// C6: write 0 soft-deletes (condition: live at `before.version`, no children, no live products, not
/// pinned); write 1 drops the name guard; write 2 the parent's `child_count - 1`.
pub async fn delete(
    dynamodb: &Client,
    table: &str,
    before: &CategoryRecord,
    after: &CategoryRecord,
    at: Stamp,
) -> Result<(), StoreError> {
    let update = Update::builder()
        .table_name(table)
        .key("id", s(after.id.to_string()))
        .update_expression(
            "SET deleted_at = :at, updated_at = :at, version = :version, changed_shard = :shard, \
             changed_at = :now",
        )
        .condition_expression(
            "attribute_exists(id) AND attribute_not_exists(deleted_at) AND version = :read_version \
             AND (attribute_not_exists(child_count) OR child_count = :zero) \
             AND (attribute_not_exists(product_count) OR product_count = :zero) \
             AND (attribute_not_exists(pinned) OR pinned = :false)",
        )
        .expression_attribute_values(":at", s(at.rfc3339()))
        .expression_attribute_values(":version", n(after.version))
        .expression_attribute_values(":read_version", n(before.version))
        .expression_attribute_values(":zero", n(0))
        .expression_attribute_values(":false", aws_sdk_dynamodb::types::AttributeValue::Bool(false))
        .expression_attribute_values(":shard", s(CHANGED_SHARD))
        .expression_attribute_values(":now", n(after.changed_at))
        .build()
        .map_err(build_error)?;
    let mut writes = vec![
        TransactWriteItem::builder().update(update).build(),
        delete_guard(table, &before.name, before.parent_id)?,
    ];
    if let Some(parent) = before.parent_id {
        writes.push(category_counter(
            table,
            &parent.to_string(),
            "child_count",
            -1,
        )?);
    }
    transact(dynamodb, writes).await
}
