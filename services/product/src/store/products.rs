//! Product writes and authoritative reads (contract: api/product.md §2.5–2.7, §2.10, §4.1, §5.2). Every
//! change moves its category counters and writes its outbox item in one `TransactWriteItems`.

use aws_sdk_dynamodb::types::{KeysAndAttributes, ReturnValue, TransactWriteItem, Update};
use aws_sdk_dynamodb::Client;
use eshop_common::outbox::Envelope;
use uuid::Uuid;

use super::bootstrap::StoreNames;
use super::items::{self, n, s, CHANGED_SHARD};
use super::{outbox, StoreError};
use crate::domain::ProductRecord;

fn build_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("request build: {e}"))
}

/// `product_count + delta` on a category; `+1` needs it live (contract: api/product.md §2.5, §2.6).
pub(super) fn category_counter(
    table: &str,
    id: &str,
    counter: &str,
    delta: i64,
) -> Result<TransactWriteItem, StoreError> {
    let condition = if delta > 0 {
        "attribute_exists(id) AND attribute_not_exists(deleted_at)"
    } else {
        "attribute_exists(id)"
    };
    let update = Update::builder()
        .table_name(table)
        .key("id", s(id))
        .update_expression(format!(
            "SET {counter} = if_not_exists({counter}, :zero) + :delta, changed_shard = :shard, changed_at = :now"
        ))
        .condition_expression(condition)
        .expression_attribute_values(":delta", n(delta))
        .expression_attribute_values(":zero", n(0))
        .expression_attribute_values(":shard", s(CHANGED_SHARD))
        .expression_attribute_values(":now", n(chrono::Utc::now().timestamp_millis()))
        .build()
        .map_err(build_error)?;
    Ok(TransactWriteItem::builder().update(update).build())
}

pub(super) async fn transact(
    dynamodb: &Client,
    writes: Vec<TransactWriteItem>,
) -> Result<(), StoreError> {
    dynamodb
        .transact_write_items()
        .set_transact_items(Some(writes))
        .send()
        .await
        .map(|_| ())
        .map_err(StoreError::from_transaction)
}

/// Consistent `GetItem` of one product (live or deleted).
pub async fn get(
    dynamodb: &Client,
    table: &str,
    id: Uuid,
) -> Result<Option<ProductRecord>, StoreError> {
    let out = dynamodb
        .get_item()
        .table_name(table)
        .key("id", s(id.to_string()))
        .consistent_read(true)
        .send()
        .await
        .map_err(StoreError::from_sdk)?;
    Ok(out.item().and_then(items::product_from_item))
}

/// Consistent `BatchGetItem` (X1): found products, deleted ones included; unknown ids are absent.
pub async fn batch_get(
    dynamodb: &Client,
    table: &str,
    ids: &[Uuid],
) -> Result<Vec<ProductRecord>, StoreError> {
    let mut found = Vec::new();
    let mut keys: Vec<_> = ids
        .iter()
        .map(|id| std::collections::HashMap::from([("id".to_string(), s(id.to_string()))]))
        .collect();
    let mut rounds = 0;
    while !keys.is_empty() {
        rounds += 1;
        if rounds > 10 {
            return Err(StoreError::Unavailable(
                "BatchGetItem kept returning unprocessed keys".into(),
            ));
        }
        let request = KeysAndAttributes::builder()
            .set_keys(Some(keys))
            .consistent_read(true)
            .build()
            .map_err(build_error)?;
        let out = dynamodb
            .batch_get_item()
            .request_items(table, request)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        if let Some(items) = out.responses().and_then(|r| r.get(table)) {
            found.extend(items.iter().filter_map(items::product_from_item));
        }
        keys = out
            .unprocessed_keys()
            .and_then(|u| u.get(table))
            .map(|k| k.keys().to_vec())
            .unwrap_or_default();
        if !keys.is_empty() {
            tokio::time::sleep(std::time::Duration::from_millis(50 * rounds)).await;
        }
    }
    Ok(found)
}

/// P5: {Put product, category `product_count + 1` if live, Put outbox}. Write 1 failing = category gone.
pub async fn create(
    dynamodb: &Client,
    names: &StoreNames,
    product: &ProductRecord,
    event: &Envelope,
) -> Result<(), StoreError> {
    let put = aws_sdk_dynamodb::types::Put::builder()
        .table_name(&names.products_table)
        .set_item(Some(items::product_item(product)))
        .condition_expression("attribute_not_exists(id)")
        .build()
        .map_err(build_error)?;
    let writes = vec![
        TransactWriteItem::builder().put(put).build(),
        category_counter(
            &names.categories_table,
            &product.category_id,
            "product_count",
            1,
        )?,
        outbox::put(
            &names.outbox_table,
            event,
            &crate::events::targets(&event.event_type),
        )?,
    ];
    transact(dynamodb, writes).await
}

/// The product condition of updates and deletes (contract: api/product.md §4.1).
const LIVE_AT_VERSION: &str =
    "attribute_exists(id) AND attribute_not_exists(deleted_at) AND version = :read_version";

/// P6: write 0 is the product (condition: live at `before.version`); when the category changes, writes 1
/// and 2 move the counters (2 failing = new category gone); the outbox Put is last.
pub async fn update(
    dynamodb: &Client,
    names: &StoreNames,
    before: &ProductRecord,
    after: &ProductRecord,
    event: &Envelope,
) -> Result<(), StoreError> {
    let mut expression = String::from(
        "SET #name = :name, description = :description, price = :price, category_id = :category_id, \
         image_url = :image_url, version = :version, updated_at = :updated_at, \
         changed_shard = :shard, changed_at = :changed_at",
    );
    let mut update = Update::builder()
        .table_name(&names.products_table)
        .key("id", s(after.id.to_string()))
        .condition_expression(LIVE_AT_VERSION)
        .expression_attribute_names("#name", "name")
        .expression_attribute_values(":read_version", n(before.version))
        .expression_attribute_values(":name", s(&after.name))
        .expression_attribute_values(":description", s(&after.description))
        .expression_attribute_values(":price", n(after.price))
        .expression_attribute_values(":category_id", s(&after.category_id))
        .expression_attribute_values(":image_url", s(&after.image_url))
        .expression_attribute_values(":version", n(after.version))
        .expression_attribute_values(":updated_at", s(&after.updated_at))
        .expression_attribute_values(":shard", s(CHANGED_SHARD))
        .expression_attribute_values(":changed_at", n(after.changed_at));
    if let Some(key) = &after.image_key {
        expression.push_str(", image_key = :image_key");
        update = update.expression_attribute_values(":image_key", s(key));
    }
    let update = update
        .update_expression(expression)
        .build()
        .map_err(build_error)?;
    let mut writes = vec![TransactWriteItem::builder().update(update).build()];
    if before.category_id != after.category_id {
        writes.push(category_counter(
            &names.categories_table,
            &before.category_id,
            "product_count",
            -1,
        )?);
        writes.push(category_counter(
            &names.categories_table,
            &after.category_id,
            "product_count",
            1,
        )?);
    }
    writes.push(outbox::put(
        &names.outbox_table,
        event,
        &crate::events::targets(&event.event_type),
    )?);
    transact(dynamodb, writes).await
}

/// P7/P8: soft delete at `before.version`, category `product_count - 1`, outbox `product.deleted`.
pub async fn delete(
    dynamodb: &Client,
    names: &StoreNames,
    before: &ProductRecord,
    after: &ProductRecord,
    event: &Envelope,
) -> Result<(), StoreError> {
    let update = Update::builder()
        .table_name(&names.products_table)
        .key("id", s(after.id.to_string()))
        .condition_expression(LIVE_AT_VERSION)
        .update_expression(
            "SET deleted_at = :deleted_at, updated_at = :deleted_at, version = :version, \
             changed_shard = :shard, changed_at = :changed_at",
        )
        .expression_attribute_values(":read_version", n(before.version))
        .expression_attribute_values(
            ":deleted_at",
            s(after.deleted_at.clone().unwrap_or_default()),
        )
        .expression_attribute_values(":version", n(after.version))
        .expression_attribute_values(":shard", s(CHANGED_SHARD))
        .expression_attribute_values(":changed_at", n(after.changed_at))
        .build()
        .map_err(build_error)?;
    let writes = vec![
        TransactWriteItem::builder().update(update).build(),
        category_counter(
            &names.categories_table,
            &before.category_id,
            "product_count",
            -1,
        )?,
        outbox::put(
            &names.outbox_table,
            event,
            &crate::events::targets(&event.event_type),
        )?,
    ];
    transact(dynamodb, writes).await
}

/// `stock.changed` (contract: api/product.md §5.2): one conditional `UpdateItem`, no transaction. Answers
/// the new item, or `ConditionFailed` when the product is unknown or the version is not newer.
pub async fn apply_stock(
    dynamodb: &Client,
    table: &str,
    id: Uuid,
    quantity: i64,
    stock_version: i64,
) -> Result<ProductRecord, StoreError> {
    let out = dynamodb
        .update_item()
        .table_name(table)
        .key("id", s(id.to_string()))
        .update_expression(
            "SET quantity = :q, stock_version = :v, changed_shard = :shard, changed_at = :now",
        )
        .condition_expression(
            "attribute_exists(id) AND (attribute_not_exists(stock_version) OR stock_version < :v)",
        )
        .expression_attribute_values(":q", n(quantity))
        .expression_attribute_values(":v", n(stock_version))
        .expression_attribute_values(":shard", s(CHANGED_SHARD))
        .expression_attribute_values(":now", n(chrono::Utc::now().timestamp_millis()))
        .return_values(ReturnValue::AllNew)
        .send()
        .await
        .map_err(StoreError::from_sdk)?;
    out.attributes()
        .and_then(items::product_from_item)
        .ok_or_else(|| StoreError::Unavailable("UpdateItem returned no attributes".into()))
}
